//! `scan` at scale: CSV rows, the corpus summary (JSON), the HTML report's structure,
//! input order under parallelism, and streaming JSONL.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_noticelint"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("noticelint-batch-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> std::process::Output {
    let out = bin().args(args).current_dir(root()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out
}

#[test]
fn csv_has_one_row_per_document_and_a_column_per_spec_id() {
    let out = run(&["scan", "corpora", "tests/fixtures", "--format", "csv", "-q"]);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    for t in noticelint::taxonomy::DATA_TYPES {
        assert!(headers.iter().any(|h| h == format!("data_type.{t}")), "column for {t}");
    }
    for d in noticelint::taxonomy::DISCLOSURES {
        assert!(headers.iter().any(|h| h == format!("disclosure.{d}")), "column for {d}");
    }
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let jsonl = run(&["scan", "corpora", "tests/fixtures", "-q"]);
    let reports: Vec<serde_json::Value> =
        String::from_utf8_lossy(&jsonl.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), reports.len());
    for (row, report) in rows.iter().zip(&reports) {
        assert_eq!(&row[col("id")], report["document"]["id"].as_str().unwrap());
        assert_eq!(row.len(), headers.len());
        for t in report["data_types"].as_array().unwrap() {
            let id = t["id"].as_str().unwrap();
            assert_eq!(&row[col(&format!("data_type.{id}"))], t["status"].as_str().unwrap(), "{}", &row[0]);
        }
        assert_eq!(&row[col("disclosure.publication")], report["disclosures"]["publication"]["status"].as_str().unwrap());
        let flags: Vec<&str> = report["flags"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
        let mut flags_dedup = flags.clone();
        flags_dedup.dedup();
        assert_eq!(&row[col("flags")], flags_dedup.join(";"));
        assert_eq!(&row[col("words")], report["metrics"]["words"].to_string());
    }
    // A known notice: Harbor Point's letter.
    let harbor = rows.iter().find(|r| &r[0] == "pysa/harbor-gastro").unwrap();
    assert_eq!(&harbor[col("disclosure.ransomware")], "affirmed");
    assert!(harbor[col("hedges")].split(';').any(|h| h == "no_evidence_of_misuse"));
    assert!(harbor[col("flags")].split(';').any(|f| f == "omits-public-dump"));
}

#[test]
fn csv_rows_for_unreadable_inputs_carry_the_error() {
    let dir = tmp("csv-errors");
    std::fs::write(dir.join("good.txt"), "Your Social Security number was involved.").unwrap();
    std::fs::write(dir.join("bad.txt"), [0u8, 1, 2, 3, 0, 0, 0, 0]).unwrap();
    let out = run(&["scan", dir.to_str().unwrap(), "--format", "csv", "-q"]);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let kind = headers.iter().position(|h| h == "error_kind").unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!((&rows[0][0], &rows[0][kind]), ("bad", "binary"));
    assert_eq!((&rows[1][0], &rows[1][kind]), ("good", ""));
    assert_eq!(&rows[1][headers.iter().position(|h| h == "data_type.ssn").unwrap()], "affirmed");
}

#[test]
fn summary_counts_documents_findings_failures_skips_and_listings() {
    let dir = tmp("summary");
    let json = dir.join("summary.json");
    let html = dir.join("report.html");
    let out =
        run(&["scan", "corpora", "--format", "jsonl", "--summary", json.to_str().unwrap(), "--report", html.to_str().unwrap(), "-j", "2"]);
    let reports: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let s: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(s["schema"], "noticelint.summary/1");
    assert_eq!(s["documents"]["analyzed"].as_u64().unwrap() as usize, reports.len());
    assert_eq!(s["documents"]["failed"], 0);
    // The labels sidecars and the README are skipped, each with its reason.
    assert!(s["documents"]["skipped_by_reason"]["labels sidecar"].as_u64().unwrap() > 0);
    assert_eq!(s["documents"]["skipped_by_reason"]["readme"], 1);
    // Every count equals a count over the reports.
    let count = |f: &dyn Fn(&serde_json::Value) -> bool| reports.iter().filter(|r| f(r)).count() as u64;
    for t in s["data_types"].as_array().unwrap() {
        let id = t["id"].as_str().unwrap();
        let status = |want: &'static str| {
            count(&|r: &serde_json::Value| r["data_types"].as_array().unwrap().iter().any(|x| x["id"] == id && x["status"] == want))
        };
        assert_eq!(t["affirmed"].as_u64().unwrap(), status("affirmed"), "{id}");
        assert_eq!(t["negated"].as_u64().unwrap(), status("negated"), "{id}");
    }
    for h in s["hedges"].as_array().unwrap() {
        let id = h["id"].as_str().unwrap();
        assert_eq!(h["documents"].as_u64().unwrap(), count(&|r| r["hedges"].as_array().unwrap().iter().any(|x| x["category"] == id)));
    }
    for d in s["disclosures"].as_array().unwrap() {
        let id = d["id"].as_str().unwrap();
        assert_eq!(d["affirmed"].as_u64().unwrap(), count(&|r| r["disclosures"][id]["status"] == "affirmed"), "{id}");
    }
    for f in s["flags"].as_array().unwrap() {
        let id = f["id"].as_str().unwrap();
        assert_eq!(f["documents"].as_u64().unwrap(), count(&|r| r["flags"].as_array().unwrap().iter().any(|x| x["id"] == id)), "{id}");
    }
    // The leak-site table: five Pysa listings have no notice in the corpus.
    let inv = &s["investigator"];
    let pysa = inv["by_leak_site"].as_array().unwrap().iter().find(|r| r["leak_site"] == "Pysa").unwrap();
    assert_eq!(pysa["no_notice_found"], 5);
    assert_eq!(pysa["listed"].as_u64().unwrap(), pysa["notices_found"].as_u64().unwrap() + 5);
    let omits = count(&|r| r["flags"].as_array().unwrap().iter().any(|x| x["id"] == "omits-public-dump"));
    assert!(inv["total"]["omit_dump"].as_u64().unwrap() >= omits);
    assert_eq!(inv["no_notice"].as_array().unwrap().len(), 5);
}

#[test]
fn summary_counts_failures_by_kind() {
    let dir = tmp("failures");
    std::fs::write(dir.join("a.txt"), "We take your privacy seriously.").unwrap();
    std::fs::write(dir.join("b.txt"), "").unwrap();
    std::fs::write(dir.join("notes.csv"), "x").unwrap();
    let json = dir.join("out").with_extension("json");
    std::fs::create_dir_all(dir.join("in")).unwrap();
    let out = bin().args(["scan", dir.to_str().unwrap(), "--summary", json.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success());
    let s: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(s["documents"]["inputs"], 2);
    assert_eq!(s["documents"]["analyzed"], 1);
    assert_eq!(s["failed"][0]["id"], "b");
    assert_eq!(s["documents"]["failed_by_kind"][s["failed"][0]["kind"].as_str().unwrap()], 1);
    assert_eq!(s["documents"]["skipped_by_reason"]["not a notice format"], 1);
    assert_eq!(s["hedges"].as_array().unwrap().iter().find(|h| h["id"] == "boilerplate_assurance").unwrap()["documents"], 1);
}

#[test]
fn html_report_is_self_contained_with_svg_charts() {
    let dir = tmp("html");
    let html = dir.join("report.html");
    run(&["scan", "corpora", "-q", "--report", html.to_str().unwrap()]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    for id in ["data-types", "disclosures", "hedges", "flags"] {
        assert!(page.contains(&format!("<svg id=\"chart-{id}\"")), "chart {id}");
    }
    assert!(page.matches("<rect ").count() > 20, "bars are drawn");
    assert!(page.contains("Leak-site listings"), "the investigator table is there");
    // Nothing is fetched: no URLs, no scripts, no external styles or images.
    for banned in ["http://", "https://", "<script", "<link", "<img", "@import", "url("] {
        assert!(!page.contains(banned), "the report contains {banned}");
    }
    assert_well_formed(&page);
}

/// Every element opened is closed, in order (void elements aside); attribute quotes balance.
fn assert_well_formed(page: &str) {
    const VOID: &[&str] = &["meta", "br", "hr", "img", "input", "link", "line"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = page;
    while let Some(i) = rest.find('<') {
        let end = rest[i..].find('>').expect("every tag closes") + i;
        let tag = &rest[i + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        assert_eq!(tag.matches('"').count() % 2, 0, "quotes balance in <{tag}>");
        let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if let Some(closing) = tag.strip_prefix('/') {
            let closing: String = closing.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            assert_eq!(stack.pop().as_deref(), Some(closing.as_str()), "closing </{closing}>");
        } else if !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn parallel_output_keeps_input_order_and_matches_one_thread() {
    let one = run(&["scan", "corpora", "tests/fixtures", "-j", "1", "-q"]);
    let four = run(&["scan", "corpora", "tests/fixtures", "-j", "4", "-q"]);
    assert_eq!(one.stdout, four.stdout);
}

#[test]
fn stdin_jsonl_streams_one_report_per_line_in_order() {
    let mut child =
        bin().args(["scan", "-", "--format", "jsonl", "-j", "3", "-q"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        for i in 0..600 {
            let text = if i % 7 == 0 { "Your Social Security number was not involved." } else { "Names and addresses were copied." };
            writeln!(stdin, "{}", serde_json::json!({"id": format!("n{i}"), "text": text})).unwrap();
            if i == 300 {
                writeln!(stdin, "not json").unwrap();
                writeln!(stdin).unwrap();
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 601, "one line per non-blank input line");
    assert_eq!(lines[0]["document"]["id"], "n0");
    assert_eq!(lines[301]["error"]["kind"], "json");
    assert_eq!(lines[302]["document"]["id"], "n301");
    assert_eq!(lines[600]["document"]["id"], "n599");
    assert_eq!(lines[7]["data_types"][0]["status"], "negated");
}

#[test]
fn stdin_jsonl_answers_each_record_before_the_next_arrives() {
    // A program piping records through `scan -` (Spark's `RDD.pipe`, a coprocess) may
    // wait for an answer before it sends more: every record must come out without waiting
    // for a full chunk or buffer, or for the end of input.
    use std::io::{BufRead, BufReader};
    let mut child = bin().args(["scan", "-", "--format", "jsonl", "-q"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            tx.send(line.unwrap()).unwrap();
        }
    });
    for id in ["first", "second"] {
        writeln!(stdin, "{}", serde_json::json!({"id": id, "text": "Names were copied."})).unwrap();
        stdin.flush().unwrap();
        let answer = rx.recv_timeout(std::time::Duration::from_secs(30)).expect("an answer while stdin is still open");
        let record: serde_json::Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(record["document"]["id"], id);
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}
