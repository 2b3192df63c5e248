//! Normalization and its offset map: any text normalizes without panicking, normalizing
//! twice changes nothing, and every normalized range maps back inside the original on
//! char boundaries (from ranges on char boundaries of the normalized text).
#![no_main]

use libfuzzer_sys::fuzz_target;
use noticelint::normalize::Normalized;

fuzz_target!(|text: &str| {
    let n = Normalized::new(text);
    assert_eq!(Normalized::new(&n.text).text, n.text, "normalizing twice changes nothing");
    let len = n.text.len();
    // A spread of ranges, including empty ones and ones that end mid-char.
    let step = (len / 16).max(1);
    // The matcher reports ranges on char boundaries of the normalized text.
    let bounds: Vec<usize> = (0..=len).step_by(step).filter(|&i| n.text.is_char_boundary(i)).collect();
    for (k, &start) in bounds.iter().enumerate() {
        for &end in &bounds[k..] {
            let r = n.to_original(start..end);
            assert!(r.start <= r.end && r.end <= text.len(), "{r:?} outside 0..{}", text.len());
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end), "{r:?} splits a char");
        }
    }
});
