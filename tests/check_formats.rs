//! `check` across formats and its machine output: SARIF validates against the SARIF
//! 2.1.0 schema (tests/schemas, from the MIT-licensed npm package @microsoft/jest-sarif),
//! and the same draft as .txt, .html, .docx and .pdf gives the same findings.

mod support;

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use noticelint::analyze::Options;
use noticelint::check::{Settings, check};
use noticelint::extract::document_from_bytes;
use noticelint::{Document, RuleSet};

const PARAGRAPHS: &[&str] = &[
    "Notice of Data Breach",
    "What Happened",
    "On April 2, 2024, we found that someone broke into our billing server. The attacker copied files from the server. We have no indication that any information has been misused.",
    "What Information Was Involved",
    "The files held your name, address and Social Security number.",
    "What You Can Do",
    "Out of an abundance of caution, we are offering 24 months of free credit monitoring. Review your bank statements.",
    "For More Information",
    "Call us at 1-855-555-0134.",
];

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_noticelint"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let mut schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/schemas/sarif-2.1.0-rtm.5.json")).unwrap()).unwrap();
    // rtm.5's `language` patterns are malformed (a stray `]`) and the meta-schema rejects
    // them; the final 2.1.0 text fixed them as below. We emit no `language`.
    for def in ["run", "toolComponent"] {
        let language = &mut schema["definitions"][def]["properties"]["language"]["pattern"];
        assert_eq!(language, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *language = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
    }
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let out = bin()
        .args([
            "check",
            "tests/cmd/drafts/every-flag.txt",
            "tests/cmd/drafts/suppressed.md",
            "--facts",
            "tests/cmd/drafts/dumped.facts.toml",
        ])
        .args(["--format", "sarif"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "omits-public-dump" && r["level"] == "error"));
    assert!(results.iter().any(|r| r["ruleId"] == "hedge.precaution" && r["suppressions"][0]["kind"] == "inSource"));
    // A broken log must not pass: the test would prove nothing otherwise.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}

fn summary(doc: &Document, rules: &RuleSet) -> Vec<String> {
    let mut options = Options::default();
    options.flags.profile = rules.profile("california").cloned();
    let c = check(doc, rules, &options, &Settings::default());
    let mut out: Vec<String> = c.diagnostics.iter().map(|d| format!("{} {}", d.id, d.message)).collect();
    out.extend(c.report.data_types.iter().map(|t| format!("{} {:?}", t.id, t.status)));
    out.extend(c.report.hedges.iter().map(|h| h.rule.to_string()));
    out.extend(c.checklist.iter().map(|o| format!("{} {:?}", o.id, o.state)));
    out
}

fn html() -> Vec<u8> {
    let mut s = String::from("<!doctype html><html><head><title>x</title><style>p{}</style></head><body>");
    for (i, p) in PARAGRAPHS.iter().enumerate() {
        let tag = if i == 0 {
            "h1"
        } else if p.split(' ').count() <= 5 {
            "h2"
        } else {
            "p"
        };
        s.push_str(&format!("<{tag}>{}</{tag}>\n", p.replace('&', "&amp;")));
    }
    s.push_str("</body></html>");
    s.into_bytes()
}

fn docx() -> Vec<u8> {
    let body: String = PARAGRAPHS.iter().map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>")).collect();
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file("[Content_Types].xml", opts).unwrap();
    w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#).unwrap();
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(doc.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

/// One page per paragraph, so each paragraph is its own block.
fn pdf() -> Vec<u8> {
    let n = PARAGRAPHS.len();
    let mut objs: Vec<Vec<u8>> = Vec::new();
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objs.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objs.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
    objs.push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec());
    for (i, p) in PARAGRAPHS.iter().enumerate() {
        objs.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 6000 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * i
            )
            .into_bytes(),
        );
        let content = format!("BT\n/F1 10 Tf\n20 700 Td\n({p}) Tj\nET\n");
        let mut s = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        s.extend_from_slice(content.as_bytes());
        s.extend_from_slice(b"\nendstream");
        objs.push(s);
    }
    support::pdf_from_objects(&objs)
}

#[test]
fn html_docx_and_pdf_give_the_findings_of_the_same_text() {
    let rules = RuleSet::builtin().unwrap();
    let text = PARAGRAPHS.join("\n\n");
    let expected = summary(&Document::from_text("draft", text), &rules);
    assert!(expected.iter().any(|s| s.starts_with("hedge.precaution")), "{expected:#?}");
    assert!(expected.iter().any(|s| s == "title Met"), "{expected:#?}");
    for (format, bytes) in [("html", html()), ("docx", docx()), ("pdf", pdf())] {
        let doc = document_from_bytes("draft", None, format, &bytes).unwrap_or_else(|e| panic!("{format}: {e}"));
        assert_eq!(summary(&doc, &rules), expected, "{format} differs; text was {:?}", doc.text);
    }
}

#[test]
fn docx_and_pdf_diagnostics_name_the_paragraph_or_page() {
    let rules = RuleSet::builtin().unwrap();
    for (format, bytes, want) in [("docx", docx(), "paragraph 7"), ("pdf", pdf(), "page 7")] {
        let doc = document_from_bytes("draft", None, format, &bytes).unwrap();
        let c = check(&doc, &rules, &Options::default(), &Settings::default());
        let d = c.diagnostics.iter().find(|d| d.id == "hedge.precaution").unwrap_or_else(|| panic!("{format}: {:?}", c.diagnostics));
        assert_eq!(d.locator.as_deref(), Some(want), "{format}");
    }
}
