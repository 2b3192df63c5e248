//! The HTML extractor: any bytes extract or are refused with an error, never a panic;
//! every block lies inside the extracted text on char boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use noticelint::extract::{Format, Limits, extract};

fuzz_target!(|bytes: &[u8]| {
    // Small limits so that bombs are cut short instead of eating the fuzzer's memory.
    let limits = Limits { max_output_bytes: 1 << 20, max_entry_bytes: 4 << 20, max_depth: 128 };
    if let Ok(e) = extract(bytes, Format::Html, &limits) {
        for b in &e.blocks {
            assert!(b.start <= b.end && b.end <= e.text.len());
            assert!(e.text.is_char_boundary(b.start) && e.text.is_char_boundary(b.end));
        }
    }
});
