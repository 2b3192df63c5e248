//! Properties over arbitrary text (issue 6): every reported span lies inside the document,
//! on char boundaries, and its `text` is the document's slice; normalizing twice changes
//! nothing; the offset map takes char boundaries to char boundaries of the original.

use std::sync::OnceLock;

use noticelint::normalize::Normalized;
use noticelint::{Document, RuleSet, analyze};
use proptest::prelude::*;
use serde_json::Value;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().unwrap())
}

/// Notice-like text: words the rules know, cues, punctuation, line structure and the
/// characters normalization rewrites (curly quotes, NBSP, soft hyphen, ligatures, BOM).
fn noticeish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("names".to_owned()),
        Just("Social Security numbers".to_owned()),
        Just("did not include".to_owned()),
        Just("may have".to_owned()),
        Just("no evidence of misuse".to_owned()),
        Just("ransomware".to_owned()),
        Just("posted on the dark web".to_owned()),
        Just("What Happened".to_owned()),
        Just("On March 3, 2024".to_owned()),
        Just("[First Name]".to_owned()),
        Just("in-\nformation".to_owned()),
        Just("\u{2019}s".to_owned()),
        Just("\u{a0}".to_owned()),
        Just("\u{ad}".to_owned()),
        Just("\u{fb01}".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("é".to_owned()),
        Just("🦀".to_owned()),
        Just(". ".to_owned()),
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("• ".to_owned()),
        Just("-".to_owned()),
        "[a-zA-Z]{1,8}".prop_map(|s| s),
        any::<char>().prop_map(|c| c.to_string()),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|v| v.join(" "))
}

fn check_spans(v: &Value, text: &str) -> Result<(), TestCaseError> {
    match v {
        Value::Object(map) => {
            if let (Some(start), Some(end), Some(span)) =
                (map.get("start").and_then(Value::as_u64), map.get("end").and_then(Value::as_u64), map.get("text").and_then(Value::as_str))
            {
                let (start, end) = (start as usize, end as usize);
                prop_assert!(start <= end && end <= text.len(), "span {start}..{end} outside 0..{}", text.len());
                prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end), "span {start}..{end} splits a char");
                prop_assert_eq!(&text[start..end], span);
            }
            for v in map.values() {
                check_spans(v, text)?;
            }
        }
        Value::Array(items) => {
            for v in items {
                check_spans(v, text)?;
            }
        }
        _ => {}
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn reported_spans_are_slices_of_the_document(text in noticeish()) {
        let doc = Document::from_text("p", text.clone());
        let report = serde_json::to_value(analyze(&doc, rules(), &Default::default())).unwrap();
        check_spans(&report, &text)?;
    }

    #[test]
    fn reported_spans_are_slices_of_arbitrary_text(text in any::<String>()) {
        let doc = Document::from_text("p", text.clone());
        let report = serde_json::to_value(analyze(&doc, rules(), &Default::default())).unwrap();
        check_spans(&report, &text)?;
    }

    #[test]
    fn normalizing_twice_changes_nothing(text in prop_oneof![noticeish(), any::<String>()]) {
        let once = Normalized::new(&text).text;
        prop_assert_eq!(Normalized::new(&once).text, once);
    }

    #[test]
    fn offset_map_lands_on_char_boundaries(text in noticeish(), a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>()) {
        let n = Normalized::new(&text);
        let len = n.text.len() + 1;
        // Spans the matcher reports lie on char boundaries of the normalized text.
        let snap = |mut i: usize| { while !n.text.is_char_boundary(i) { i -= 1; } i };
        let (x, y) = (snap(a.index(len)), snap(b.index(len)));
        let r = n.to_original(x.min(y)..x.max(y));
        prop_assert!(r.start <= r.end && r.end <= text.len());
        prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
    }
}
