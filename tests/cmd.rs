//! CLI snapshot tests: each `tests/cmd/*.toml` runs `noticelint` with its args and
//! compares stdout, stderr and the exit code with the files beside it. After a deliberate
//! change in output, regenerate with `TRYCMD=overwrite cargo test --test cmd` and review
//! the diff.

#[test]
fn cli_cases() {
    trycmd::TestCases::new().register_bin("noticelint", std::path::Path::new(env!("CARGO_BIN_EXE_noticelint"))).case("tests/cmd/*.toml");
}
