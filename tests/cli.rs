//! The command line as scripts use it (SPEC §6).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_noticelint"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared dev set, when this checkout sits beside it (CI has it; a user's clone does not).
fn shared() -> Option<PathBuf> {
    let dir = root().join("../shared");
    if dir.join("corpus").is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: ../shared/corpus is not here (it is only beside the project's own checkout)");
        None
    }
}

fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout).lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect()
}

#[test]
fn scan_prints_one_report_per_input_in_order() {
    let out = bin().args(["scan", "tests/fixtures", "--format", "jsonl", "-q"]).current_dir(root()).output().unwrap();
    assert!(out.status.success());
    let ids: Vec<String> = json_lines(&out.stdout).iter().map(|r| r["document"]["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids, ["clean", "crlf", "curly", "hyphenated", "oneline"]);
    let first = &json_lines(&out.stdout)[0];
    assert_eq!(first["schema"], "noticelint.report/1");
    assert_eq!(first["document"]["format"], "text");
    for key in ["data_types", "hedges", "disclosures", "elements", "metrics", "flags"] {
        assert!(first.get(key).is_some(), "report has {key}");
    }
}

#[test]
fn scan_reads_jsonl_on_stdin_and_reports_bad_lines() {
    let mut child = bin().args(["scan", "-", "--format", "jsonl", "-q"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let input = "{\"id\": \"a\", \"text\": \"The files did not include Social Security numbers.\"}\nnot json\n{\"id\": \"c\"}\n{\"id\": \"d\", \"text\": \"Names were stolen.\"}\n";
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 4, "one record per input line");
    assert_eq!(lines[0]["document"]["id"], "a");
    assert_eq!(lines[0]["data_types"][0]["status"], "negated");
    assert_eq!(lines[1]["error"]["kind"], "json");
    assert!(lines[1]["error"]["message"].as_str().unwrap().contains(":2:"));
    assert_eq!(lines[2]["document"]["id"], "c");
    assert!(lines[2]["error"]["message"].as_str().unwrap().contains("text"));
    assert_eq!(lines[3]["document"]["id"], "d");
}

#[test]
fn an_unreadable_file_yields_an_error_record_and_the_batch_goes_on() {
    let dir = std::env::temp_dir().join(format!("noticelint-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.txt"), "The attacker copied names.").unwrap();
    std::fs::write(dir.join("b.txt"), b"\0\x01\x02binary").unwrap();
    std::fs::write(dir.join("c.txt"), "").unwrap();
    std::fs::write(dir.join("d.txt"), "Dates of birth were not involved.").unwrap();
    let out = bin().args(["scan"]).arg(&dir).args(["--format", "jsonl"]).output().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(out.status.success());
    let lines = json_lines(&out.stdout);
    let kinds: Vec<&str> = lines.iter().map(|r| r.get("error").map_or("report", |e| e["kind"].as_str().unwrap())).collect();
    assert_eq!(kinds, ["report", "binary", "empty", "report"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("2 read, 0 skipped, 2 failed (binary: 1, empty: 1)"), "{stderr}");
}

#[test]
fn a_broken_rule_pack_is_an_error_naming_file_line_and_rule() {
    let dir = std::env::temp_dir().join(format!("noticelint-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, src) in noticelint::rules::BUILTIN_PACKS {
        std::fs::write(dir.join(name), src).unwrap();
    }
    let bad = "[[rule]]\nid = \"data.ssn\"\ncategory = \"ssn\"\nphrases = [\"ssn\"]\nmessage = \"again\"\n";
    std::fs::write(dir.join("zz-extra.toml"), bad).unwrap();
    let out = bin().args(["scan", "tests/fixtures/clean.txt", "--rules"]).arg(&dir).current_dir(root()).output().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing misleading on stdout");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("zz-extra.toml:2: rule `data.ssn`: duplicate rule id"), "{stderr}");
}

#[test]
fn eval_agrees_with_the_reference_scorer() {
    let Some(shared) = shared() else { return };
    let scorer = shared.join("eval/score");
    for dir in [shared.join("corpus"), root().join("corpora")] {
        let ours = bin().arg("eval").arg(&dir).output().unwrap();
        assert!(ours.status.success());
        let theirs = Command::new(&scorer).arg("--bin").arg(env!("CARGO_BIN_EXE_noticelint")).arg(&dir).output().unwrap();
        assert!(theirs.status.success(), "{}", String::from_utf8_lossy(&theirs.stderr));
        let last = |b: &[u8]| String::from_utf8_lossy(b).lines().last().unwrap_or_default().to_owned();
        assert_eq!(last(&ours.stdout), last(&theirs.stdout), "{}", dir.display());
    }
}

#[test]
fn bundled_corpus_raises_the_expected_flags() {
    let expected: toml::Table = toml::from_str(&std::fs::read_to_string(root().join("corpora/expected-flags.toml")).unwrap()).unwrap();
    let out = bin().args(["scan", "corpora", "--format", "jsonl", "-q"]).current_dir(root()).output().unwrap();
    let reports = json_lines(&out.stdout);
    let mut failures = Vec::new();
    for (id, case) in &expected {
        if case.get("no_notice").and_then(|v| v.as_bool()) == Some(true) {
            assert!(!reports.iter().any(|r| r["document"]["id"] == id.as_str()), "{id} has no notice");
            continue;
        }
        let Some(report) = reports.iter().find(|r| r["document"]["id"] == id.as_str()) else {
            failures.push(format!("{id}: no report"));
            continue;
        };
        let flags: Vec<&str> = report["flags"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
        let list = |key: &str| case.get(key).and_then(|v| v.as_array()).cloned().unwrap_or_default();
        for f in list("must") {
            if !flags.contains(&f.as_str().unwrap()) {
                failures.push(format!("{id}: {f} did not fire (got {flags:?})"));
            }
        }
        for f in list("must_not") {
            if flags.contains(&f.as_str().unwrap()) {
                failures.push(format!("{id}: {f} fired"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn closed_pipe_ends_quietly() {
    let child = bin()
        .args(["scan", "corpora", "tests/fixtures", "--format", "jsonl", "-q"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = child;
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn rules_names_patterns_without_a_trigger_literal() {
    let dir = std::env::temp_dir().join(format!("noticelint-untriggered-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, src) in noticelint::rules::BUILTIN_PACKS {
        std::fs::write(dir.join(name), src).unwrap();
    }
    let slow = "[[rule]]\nid = \"data.case-number\"\ncategory = \"ssn\"\npatterns = ['\\b\\d{3}\\s\\d{4}\\b']\nmessage = \"m\"\n";
    std::fs::write(dir.join("zz-extra.toml"), slow).unwrap();
    let out = bin().args(["rules", "--rules"]).arg(&dir).current_dir(root()).output().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed = stdout.split_once("without a trigger literal").map(|x| x.1).unwrap_or_default();
    assert!(listed.contains(r"data.case-number  \b\d{3}\s\d{4}\b"), "{stdout}");
    // The built-in packs have none.
    let out = bin().arg("rules").current_dir(root()).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("trigger literal"));
}
