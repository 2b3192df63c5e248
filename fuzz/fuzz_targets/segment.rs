//! Sentence and section splitting: any normalized text splits without panicking, and
//! every sentence is a non-overlapping, in-order range on char boundaries.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use noticelint::RuleSet;
use noticelint::normalize::Normalized;
use noticelint::segment::segment;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("built-in packs load"))
}

fuzz_target!(|text: &str| {
    // Check both the raw text and what the analyzer actually hands to `segment`.
    let normalized = Normalized::new(text).text;
    for t in [text, normalized.as_str()] {
        let seg = segment(t, &rules().text);
        let mut last = 0;
        for s in &seg.sentences {
            assert!(s.range.start >= last && s.range.start <= s.range.end && s.range.end <= t.len(), "{:?}", s.range);
            assert!(t.is_char_boundary(s.range.start) && t.is_char_boundary(s.range.end));
            assert!(s.section < seg.sections.len());
            last = s.range.end;
        }
    }
});
