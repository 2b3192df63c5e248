//! SARIF 2.1.0 for code scanning and editors: one run, one result per diagnostic.
//! Suppressed diagnostics are results with an `inSource` suppression. Columns count
//! Unicode code points. For HTML, DOCX and PDF, line and column index the extracted text,
//! not the file, so the region is left out and the location's message names the block.

use noticelint::Document;
use noticelint::check::{Checked, Diagnostic};
use noticelint::rules::{RuleSet, Severity};
use serde_json::{Value, json};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log for the checked documents.
pub fn log(results: &[(Document, Checked)], rules: &RuleSet) -> Value {
    let mut ids: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (doc, c) in results {
        for d in c.diagnostics.iter().chain(&c.suppressed) {
            let index = ids.iter().position(|i| *i == d.id).unwrap_or_else(|| {
                ids.push(d.id.clone());
                ids.len() - 1
            });
            out.push(result(doc, d, index));
        }
    }
    let descriptors: Vec<Value> = ids.iter().map(|id| descriptor(id, rules)).collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "noticelint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://crates.io/crates/noticelint",
                "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
            "results": out,
        }],
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Suggestion | Severity::Info => "note",
    }
}

fn result(doc: &Document, d: &Diagnostic, index: usize) -> Value {
    let uri = doc.path.clone().unwrap_or_else(|| doc.id.clone()).replace('\\', "/");
    let mut physical = json!({"artifactLocation": {"uri": uri}});
    let mut location = json!({});
    if let Some(span) = &d.span {
        if doc.blocks.is_empty() {
            let (end_line, end_column) = end_of(doc, span.start, span.end, span.line, span.column);
            physical["region"] = json!({
                "startLine": span.line, "startColumn": span.column, "endLine": end_line, "endColumn": end_column,
                "snippet": {"text": span.text},
            });
        }
        if let Some(l) = &d.locator {
            location["message"] = json!({"text": l});
        }
    }
    location["physicalLocation"] = physical;
    let mut message = d.message.clone();
    if let Some(s) = &d.suggestion {
        message = format!("{message} {s}");
    }
    let mut r = json!({
        "ruleId": d.id,
        "ruleIndex": index,
        "level": level(d.severity),
        "message": {"text": message},
        "locations": [location],
    });
    if let Some(line) = d.suppressed_at {
        r["suppressions"] = json!([{"kind": "inSource", "justification": format!("noticelint marker on line {line}")}]);
    }
    r
}

/// Line and column (1-based, code points) just past the span.
fn end_of(doc: &Document, start: usize, end: usize, line: usize, column: usize) -> (usize, usize) {
    let text = &doc.text[start..end];
    match text.rfind('\n') {
        Some(i) => (line + text.matches('\n').count(), text[i + 1..].chars().count() + 1),
        None => (line, column + text.chars().count()),
    }
}

fn descriptor(id: &str, rules: &RuleSet) -> Value {
    let (short, full, help, severity) = if let Some(r) = rules.rule(id) {
        (r.message.clone(), r.explanation.clone().unwrap_or_else(|| r.message.clone()), r.suggestion.clone(), r.severity)
    } else if let Some(f) = rules.flag(id) {
        (f.message.clone(), f.explanation.clone(), Some(f.suggestion.clone()), Severity::parse(&f.severity).unwrap_or(Severity::Warning))
    } else if let Some(d) = rules.diagnostic(id) {
        (d.message.clone(), d.explanation.clone(), Some(d.suggestion.clone()), d.severity)
    } else {
        (id.to_owned(), id.to_owned(), None, Severity::Warning)
    };
    let mut v = json!({
        "id": id,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "defaultConfiguration": {"level": level(severity)},
    });
    if let Some(h) = help {
        v["help"] = json!({"text": h});
    }
    v
}
