//! Bad inputs and bad rule packs (issue 6): every input yields exactly one record, a bad
//! one an error record saying why, the rest of the batch is still reported, stderr tells
//! a person what happened, and nothing panics.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const NOTICE: &str = "Harbor Valley Clinic\n\nThe files included names and Social Security numbers.\n";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_noticelint"))
}

/// A fresh, empty directory under the system temp dir, named after this checkout and the
/// test, so each run replaces the last one's instead of piling up.
fn tempdir(name: &str) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_MANIFEST_DIR").hash(&mut h);
    let dir = std::env::temp_dir().join(format!("noticelint-robust-{:x}-{name}", h.finish()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A directory holding one good notice (`good.txt`) and one file `name` with `bytes`.
fn batch(test: &str, name: &str, bytes: &[u8]) -> PathBuf {
    let dir = tempdir(test);
    std::fs::write(dir.join("good.txt"), NOTICE).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
    dir
}

fn scan(args: &[&str], paths: &[&Path]) -> Output {
    bin().arg("scan").args(args).args(paths).output().unwrap()
}

fn records(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn by_id<'a>(records: &'a [Value], id: &str) -> &'a Value {
    records.iter().find(|r| r["document"]["id"] == id).unwrap_or_else(|| panic!("no record for {id}: {records:?}"))
}

/// Scans `dir`, checks the run succeeded, that `good` was reported, and that `id` got an
/// error record of `kind` that stderr mentions too. Returns the error record.
fn expect_error(dir: &Path, id: &str, kind: &str, args: &[&str]) -> Value {
    let out = scan(args, &[dir]);
    assert!(out.status.success(), "exit {:?}: {}", out.status, stderr(&out));
    let recs = records(&out);
    assert!(by_id(&recs, "good")["data_types"].as_array().is_some_and(|a| !a.is_empty()), "the good notice is still reported");
    let rec = by_id(&recs, id).clone();
    assert_eq!(rec["error"]["kind"], kind, "{rec}");
    assert_eq!(rec["schema"], "noticelint.report/1");
    assert!(rec["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    let err = stderr(&out);
    assert!(err.contains(&format!("failed {id}: {kind}")), "stderr names the failure: {err}");
    assert!(!err.contains("panicked"), "{err}");
    rec
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}

// ---------------------------------------------------------------- encodings

#[test]
fn windows_1252_text_is_decoded_with_a_warning() {
    let dir = batch("cp1252", "legacy.txt", b"We\x92re writing about an incident \x96 the files included names.\n");
    let out = scan(&["-q"], &[&dir]);
    assert!(out.status.success());
    let recs = records(&out);
    let legacy = by_id(&recs, "legacy");
    assert!(legacy["warnings"][0].as_str().unwrap().contains("Windows-1252"), "{legacy}");
    assert!(legacy["data_types"].to_string().contains("\"name\""), "decoded text is analyzed: {legacy}");
    assert!(by_id(&recs, "good")["warnings"].as_array().is_none_or(|w| w.is_empty()));
}

#[test]
fn invalid_utf8_in_a_utf8_file_is_replaced_with_a_warning() {
    let mut bytes = "We\u{2019}re writing: the files included names".as_bytes().to_vec();
    bytes.extend_from_slice(b" \xC3\x28 and Social Security numbers.\n");
    let dir = batch("badutf8", "damaged.txt", &bytes);
    let out = scan(&["-q"], &[&dir]);
    let recs = records(&out);
    let damaged = by_id(&recs, "damaged");
    let warning = damaged["warnings"][0].as_str().unwrap();
    assert!(warning.contains("not valid UTF-8") && warning.contains("U+FFFD"), "{warning}");
    // The intact curly apostrophe survives (it would be mojibake if decoded as Windows-1252).
    let evidence = damaged["data_types"].to_string();
    assert!(evidence.contains("ssn"), "{damaged}");
}

#[test]
fn binary_file_with_text_extension_is_an_error_record() {
    let dir = batch("binary", "image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01");
    let rec = expect_error(&dir, "image", "binary", &[]);
    assert!(rec["error"]["message"].as_str().unwrap().contains("image.txt"), "the message names the file: {rec}");
}

#[test]
fn empty_file_is_an_error_record() {
    let dir = batch("empty", "blank.txt", b"");
    expect_error(&dir, "blank", "empty", &[]);
}

// ---------------------------------------------------------------- size limits

#[test]
fn file_of_200_mb_is_refused_before_reading() {
    let dir = batch("huge", "huge.txt", b"");
    // Sparse: 200 MB of size, no data written. The check is on metadata, so neither memory
    // nor time grows with the file (the default limit is 64 MiB; --max-bytes raises it).
    std::fs::OpenOptions::new().write(true).open(dir.join("huge.txt")).unwrap().set_len(200_000_000).unwrap();
    let started = std::time::Instant::now();
    let rec = expect_error(&dir, "huge", "too_large", &[]);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let message = rec["error"]["message"].as_str().unwrap();
    assert!(message.contains("huge.txt") && message.contains("67108864"), "names file and limit: {message}");
}

#[test]
fn max_bytes_sets_the_per_document_limit() {
    let dir = batch("maxbytes", "long.txt", "word ".repeat(400).as_bytes());
    let rec = expect_error(&dir, "long", "too_large", &["--max-bytes", "1K"]);
    assert!(rec["error"]["message"].as_str().unwrap().contains("1024"), "{rec}");
    let out = scan(&["--max-bytes", "lots"], &[&dir]);
    assert_eq!(out.status.code(), Some(2), "a bad size is a usage error");
}

#[test]
fn jsonl_line_over_the_limit_is_refused_and_the_stream_goes_on() {
    let mut child = bin()
        .args(["scan", "-", "--max-bytes", "200"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let big = format!("{{\"id\": \"big\", \"text\": \"{}\"}}\n", "x ".repeat(500));
    let input = format!("{big}{{\"id\": \"small\", \"text\": \"Names were stolen.\"}}\n");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let recs = records(&out);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["error"]["kind"], "too_large");
    assert_eq!(recs[1]["document"]["id"], "small");
}

// ---------------------------------------------------------------- corrupt containers

#[test]
fn truncated_pdf_is_an_error_record() {
    let pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Cou";
    let dir = batch("pdf", "cut.pdf", pdf);
    expect_error(&dir, "cut", "corrupt", &[]);
}

#[test]
fn corrupt_docx_is_an_error_record() {
    let dir = batch("docx", "broken.docx", b"PK\x03\x04\x14\0\0\0\x08\0garbage that is not a zip archive");
    expect_error(&dir, "broken", "corrupt", &[]);
}

#[test]
fn docx_zip_bomb_is_bounded() {
    // 4 MiB of spaces in word/document.xml compresses to a few KiB; the limit is 1 MiB.
    let mut xml = br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>"#.to_vec();
    xml.resize(xml.len() + (4 << 20), b' ');
    xml.extend_from_slice(b"x</w:t></w:r></w:p></w:body></w:document>");
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(&xml).unwrap();
    let bytes = w.finish().unwrap().into_inner();
    assert!(bytes.len() < 64 << 10);
    let dir = batch("bomb", "bomb.docx", &bytes);
    expect_error(&dir, "bomb", "too_large", &["--max-bytes", "1M"]);
}

#[test]
fn deeply_nested_html_is_read() {
    let depth = 100_000;
    let html = format!("{}<p>The files included names.</p>{}", "<div>".repeat(depth), "</div>".repeat(depth));
    let dir = batch("nested", "deep.html", html.as_bytes());
    let out = scan(&["-q"], &[&dir]);
    assert!(out.status.success(), "{}", stderr(&out));
    let recs = records(&out);
    assert!(by_id(&recs, "deep")["data_types"].to_string().contains("\"name\""));
}

// ---------------------------------------------------------------- JSONL files

#[test]
fn jsonl_file_lines_that_are_not_json_or_lack_text_are_error_records() {
    let lines = "{\"id\": \"a\", \"text\": \"Names were stolen.\"}\nnot json at all\n{\"id\": \"notext\"}\n{\"id\": \"d\", \"text\": \"SSNs were stolen.\"}\n";
    let dir = batch("jsonl", "batch.jsonl", lines.as_bytes());
    let out = scan(&[], &[&dir]);
    let recs = records(&out);
    assert_eq!(recs.len(), 5, "good.txt + four lines");
    assert_eq!(by_id(&recs, "a")["schema"], "noticelint.report/1");
    let bad = recs.iter().find(|r| r["error"]["kind"] == "json" && r["error"]["message"].as_str().unwrap().contains(":2:")).unwrap();
    assert!(bad["error"]["message"].as_str().unwrap().contains("batch.jsonl"));
    assert!(by_id(&recs, "notext")["error"]["message"].as_str().unwrap().contains("text"));
    assert!(by_id(&recs, "d").get("error").is_none());
    assert!(stderr(&out).contains("3 read"), "{}", stderr(&out));
}

// ---------------------------------------------------------------- the file system

#[test]
fn unreadable_file_is_an_error_record() {
    let dir = batch("unreadable", "locked.txt", NOTICE.as_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.join("locked.txt"), std::fs::Permissions::from_mode(0o000)).unwrap();
        if is_root() {
            eprintln!("skipped the chmod 000 assertion: running as root, where permissions do not block reads");
        } else {
            expect_error(&dir, "locked", "permission", &[]);
        }
        // Whoever runs the tests: a symlink to nothing cannot be read either.
        std::os::unix::fs::symlink(dir.join("nowhere.txt"), dir.join("dangling.txt")).unwrap();
        let rec = expect_error(&dir, "dangling", "not_found", &[]);
        assert!(rec["error"]["message"].as_str().unwrap().contains("dangling.txt"));
    }
}

#[cfg(unix)]
#[test]
fn directory_symlink_loop_is_reported_not_followed() {
    let dir = tempdir("loop");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("good.txt"), NOTICE).unwrap();
    std::fs::write(dir.join("sub/inner.txt"), NOTICE).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("sub/up")).unwrap(); // back to an ancestor
    std::os::unix::fs::symlink("self.txt", dir.join("self.txt")).unwrap(); // a link to itself
    let out = scan(&[], &[&dir]);
    assert!(out.status.success());
    let recs = records(&out);
    assert_eq!(by_id(&recs, "sub/up")["error"]["kind"], "symlink_loop");
    assert_eq!(by_id(&recs, "self")["error"]["kind"], "symlink_loop");
    assert!(by_id(&recs, "sub/inner").get("error").is_none());
    assert_eq!(recs.len(), 4, "good, sub/inner, sub/up, self: {recs:?}");
}

#[test]
fn path_with_spaces_and_non_ascii_is_read() {
    let dir = tempdir("names");
    let sub = dir.join("Notices ünd Briefe");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(sub.join("Clínica del Río – aviso 1.txt"), NOTICE).unwrap();
    let out = scan(&["-q"], &[&dir]);
    let recs = records(&out);
    let rec = by_id(&recs, "Notices ünd Briefe/Clínica del Río – aviso 1");
    assert!(rec["document"]["path"].as_str().unwrap().ends_with("Clínica del Río – aviso 1.txt"));
    assert!(rec.get("error").is_none());
    // And the same file named directly on the command line.
    let out = scan(&["-q"], &[&sub.join("Clínica del Río – aviso 1.txt")]);
    assert_eq!(records(&out)[0]["document"]["id"], "Clínica del Río – aviso 1");
}

#[test]
fn file_that_vanishes_between_listing_and_reading_is_an_error_record() {
    let dir = batch("vanish", "gone.txt", NOTICE.as_bytes());
    let sources = noticelint::input::discover(std::slice::from_ref(&dir));
    std::fs::remove_file(dir.join("gone.txt")).unwrap();
    let loaded: Vec<_> = sources.iter().flat_map(noticelint::input::load).collect();
    assert_eq!(loaded.len(), 2, "one record per listed input");
    let Some(noticelint::input::Loaded::Failed(rec)) = loaded.iter().find(|l| matches!(l, noticelint::input::Loaded::Failed(_))) else {
        panic!("the vanished file has an error record")
    };
    assert_eq!(rec.document.id, "gone");
    assert_eq!(rec.error.kind, "not_found");
    assert!(rec.error.message.contains("gone.txt"));
    // A path named on the command line that does not exist is the same case.
    let out = scan(&[], &[&dir.join("good.txt"), &dir.join("gone.txt")]);
    let recs = records(&out);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[1]["error"]["kind"], "not_found");
}

#[test]
fn malformed_sidecar_facts_are_an_error_record() {
    let dir = batch("facts", "acme.txt", NOTICE.as_bytes());
    std::fs::write(dir.join("acme.facts.toml"), "published = \"maybe\"\n").unwrap();
    let rec = expect_error(&dir, "acme", "facts", &[]);
    assert!(rec["error"]["message"].as_str().unwrap().contains("acme.facts.toml"), "{rec}");
}

// ---------------------------------------------------------------- accounting

#[test]
fn batch_accounts_for_every_input() {
    let dir = tempdir("accounting");
    std::fs::write(dir.join("a.txt"), NOTICE).unwrap();
    std::fs::write(dir.join("b.md"), NOTICE).unwrap();
    std::fs::write(dir.join("c.txt"), b"").unwrap();
    std::fs::write(dir.join("d.pdf"), b"%PDF-1.7 not really").unwrap();
    std::fs::write(dir.join("e.txt"), b"\0\0\0").unwrap();
    std::fs::write(dir.join("notes.csv"), b"a,b\n").unwrap();
    std::fs::write(dir.join(".hidden.txt"), NOTICE).unwrap();
    std::fs::write(dir.join("README.md"), b"# corpus").unwrap();
    std::fs::write(dir.join("a.labels.toml"), b"").unwrap();
    let out = scan(&[], &[&dir]);
    assert!(out.status.success());
    let recs = records(&out);
    let ids: Vec<&str> = recs.iter().map(|r| r["document"]["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"], "exactly one record per input, in order");
    let err = stderr(&out);
    let summary = err.lines().find(|l| l.starts_with("noticelint:")).unwrap();
    assert_eq!(
        summary,
        "noticelint: 2 read, 4 skipped (hidden: 1, labels sidecar: 1, not a notice format: 1, readme: 1), 3 failed (binary: 1, corrupt: 1, empty: 1)"
    );
    for id in ["c", "d", "e"] {
        assert!(err.contains(&format!("failed {id}: ")), "{err}");
    }
}

#[test]
fn output_to_a_closed_pipe_ends_quietly() {
    let dir = tempdir("pipe");
    for i in 0..400 {
        std::fs::write(dir.join(format!("n{i:03}.txt")), NOTICE).unwrap();
    }
    let mut child = bin().arg("scan").arg(&dir).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout); // like `| head -c 64`
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    let status = child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("error"), "nothing to report: {err}");
    assert!(status.success(), "{status:?}: {err}");
}

// ---------------------------------------------------------------- rule packs

/// A copy of the built-in packs plus `extra.toml`, scanned with `--rules`.
fn scan_with_pack(test: &str, extra: &str) -> Output {
    let dir = tempdir(test);
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    for (name, src) in noticelint::rules::BUILTIN_PACKS {
        std::fs::write(rules.join(name), src).unwrap();
    }
    std::fs::write(rules.join("extra.toml"), extra).unwrap();
    std::fs::write(dir.join("n.txt"), NOTICE).unwrap();
    bin().arg("scan").arg("--rules").arg(&rules).arg(dir.join("n.txt")).output().unwrap()
}

const RULE_HEAD: &str = "description = \"test\"\n\n[[rule]]\nid = \"x.bad\"\n";

#[test]
fn bad_rule_packs_are_one_error_naming_file_line_and_rule() {
    let long_regex = format!("patterns = ['(?:{})']", (0..3000).map(|i| format!("w{i}x{{1,50}}")).collect::<Vec<_>>().join("|"));
    let cases: Vec<(&str, String, &str)> = vec![
        ("malformed", "description = \"test\n[[rule]]\n".into(), "extra.toml:1"),
        (
            "unknown_key",
            format!("{RULE_HEAD}category = \"ssn\"\nphrases = [\"a b\"]\nmessage = \"m\"\ncolour = \"red\"\n"),
            "unknown field `colour`",
        ),
        (
            "unknown_category",
            format!("{RULE_HEAD}category = \"shoe_size\"\nphrases = [\"a b\"]\nmessage = \"m\"\n"),
            "unknown category `shoe_size`",
        ),
        ("empty_phrase", format!("{RULE_HEAD}category = \"ssn\"\nphrases = [\" \"]\nmessage = \"m\"\n"), "empty phrase"),
        ("invalid_regex", format!("{RULE_HEAD}category = \"ssn\"\npatterns = ['(unclosed']\nmessage = \"m\"\n"), "unclosed"),
        ("regex_too_large", format!("{RULE_HEAD}category = \"ssn\"\n{long_regex}\nmessage = \"m\"\n"), "size limit"),
        (
            "duplicate_id",
            "[[rule]]\nid = \"data.name\"\ncategory = \"name\"\nphrases = [\"a b\"]\nmessage = \"m\"\n".into(),
            "duplicate rule id",
        ),
    ];
    for (name, pack, needle) in cases {
        let out = scan_with_pack(name, &pack);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: exit 2\n{err}");
        assert!(out.stdout.is_empty(), "{name}: nothing on stdout");
        assert_eq!(err.matches("noticelint: error:").count(), 1, "{name}: one error\n{err}");
        assert!(err.contains("extra.toml:"), "{name}: names file and line\n{err}");
        assert!(err.contains(needle), "{name}: says `{needle}`\n{err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        if name != "malformed" {
            let id = if name == "duplicate_id" { "data.name" } else { "x.bad" };
            assert!(err.contains(&format!("rule `{id}`")), "{name}: names the rule\n{err}");
            assert!(err.contains("extra.toml:"), "{name}: names the file\n{err}");
        }
    }
}

// ---------------------------------------------------------------- facts

#[test]
fn bad_facts_csv_is_one_error_naming_file_line_and_column() {
    let dir = tempdir("factscsv");
    std::fs::write(dir.join("n.txt"), NOTICE).unwrap();
    let cases = [
        ("bad_date.csv", "id,listed_on\nn,2021-02-30\n", "listed_on", ":2:"),
        ("unknown_column.csv", "id,listed\nn,2021-02-03\n", "unknown column `listed`", ":1:"),
    ];
    for (name, csv, needle, line) in cases {
        std::fs::write(dir.join(name), csv).unwrap();
        let out = bin().arg("scan").arg(dir.join("n.txt")).arg("--facts").arg(dir.join(name)).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: exit 2\n{err}");
        assert!(out.stdout.is_empty(), "{name}: nothing on stdout");
        assert_eq!(err.matches("noticelint: error:").count(), 1, "{name}: one error\n{err}");
        assert!(err.contains(&format!("{name}{line}")), "{name}: names file and line\n{err}");
        assert!(err.contains(needle), "{name}: says `{needle}`\n{err}");
    }
}
