//! The whole pipeline on arbitrary bytes: decode as a text file would be, analyze, and
//! check that every reported span lies inside the document on char boundaries and that
//! its `text` is the document's slice.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use noticelint::{Document, RuleSet, analyze};

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("built-in packs load"))
}

fn check_spans(v: &serde_json::Value, text: &str) {
    match v {
        serde_json::Value::Object(map) => {
            if let (Some(start), Some(end), Some(span)) = (
                map.get("start").and_then(|v| v.as_u64()),
                map.get("end").and_then(|v| v.as_u64()),
                map.get("text").and_then(|v| v.as_str()),
            ) {
                let (start, end) = (start as usize, end as usize);
                assert!(start <= end && end <= text.len(), "span {start}..{end} outside 0..{}", text.len());
                assert!(text.is_char_boundary(start) && text.is_char_boundary(end), "span {start}..{end} splits a char");
                assert_eq!(&text[start..end], span, "evidence text is the document's slice");
            }
            map.values().for_each(|v| check_spans(v, text));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| check_spans(v, text)),
        _ => {}
    }
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(doc) = Document::from_bytes("fuzz", None, "text", bytes) else { return };
    let report = analyze(&doc, rules(), &Default::default());
    let json = serde_json::to_value(&report).expect("a report serializes");
    check_spans(&json, &doc.text);
});
