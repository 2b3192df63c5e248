//! Readability: words, sentences, Flesch reading ease and Flesch-Kincaid grade.
//!
//! Syllables are estimated by vowel groups (a silent final "e" dropped), the usual
//! approximation; it is close enough to rank notices, not to grade a single word.

mod ascii;

use std::ops::Range;

use crate::report::Metrics;

/// Metrics over the given sentences (byte ranges) of `text`.
pub fn measure(text: &str, sentences: impl Iterator<Item = Range<usize>>) -> Metrics {
    let masks = ascii::Masks::new(text.as_bytes());
    let (mut words, mut syllables, mut count) = (0usize, 0usize, 0usize);
    for range in sentences {
        let (w, s) = masks.count(range.clone()).unwrap_or_else(|| count_unicode(&text[range]));
        words += w;
        syllables += s;
        count += usize::from(w > 0);
    }
    if words == 0 || count == 0 {
        return Metrics { words, sentences: count, fk_grade: 0.0, flesch_reading_ease: 0.0 };
    }
    let wps = words as f64 / count as f64;
    let spw = syllables as f64 / words as f64;
    Metrics {
        words,
        sentences: count,
        fk_grade: round1(0.39 * wps + 11.8 * spw - 15.59),
        flesch_reading_ease: round1(206.835 - 1.015 * wps - 84.6 * spw),
    }
}

/// Words (with a letter) and their syllables in one sentence; [`ascii::count`] gives the
/// same for ASCII text, faster.
fn count_unicode(sentence: &str) -> (usize, usize) {
    let (mut words, mut syllables) = (0, 0);
    for word in sentence.split_whitespace() {
        let w = word.trim_matches(|c: char| !c.is_alphanumeric());
        if w.chars().any(char::is_alphabetic) {
            words += 1;
            syllables += syllables_in(w);
        }
    }
    (words, syllables)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Vowel groups, at least one per word.
pub fn syllables_in(word: &str) -> usize {
    syllables_in_bytes(word.as_bytes())
}

fn syllables_in_bytes(bytes: &[u8]) -> usize {
    // Case-folded byte by byte: this runs on every word of every notice, so no allocation.
    let vowel = |b: u8| matches!(b.to_ascii_lowercase(), b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
    let mut groups = 0;
    let mut prev = false;
    for &b in bytes {
        let v = vowel(b);
        if v && !prev {
            groups += 1;
        }
        prev = v;
    }
    let ends = |suffix: &[u8]| bytes.len() >= suffix.len() && bytes[bytes.len() - suffix.len()..].eq_ignore_ascii_case(suffix);
    if ends(b"e") && !ends(b"le") && groups > 1 {
        groups -= 1;
    }
    groups.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_syllables_roughly() {
        for (w, n) in [("cat", 1), ("notice", 2), ("information", 4), ("people", 2), ("I", 1)] {
            assert_eq!(syllables_in(w), n, "{w}");
        }
    }

    #[test]
    fn ascii_counts_match_the_general_path() {
        for s in [
            "We lost a file.",
            "  The (unauthorized) exfiltration -- potentially 'compromised' people's data; e.g. \"able\", tale, I, A, 1st, 2021-05-03.",
            "cafe-le e. E ee -e- LE. Lee's x_e _a_ \t\x0b\x0c\r\n done",
            "",
            "   ",
            "... 123 45,6",
        ] {
            assert_eq!(ascii::count(s.as_bytes()), count_unicode(s), "{s:?}");
        }
        // Words and white space on both sides of the 64-byte blocks `ascii::count` reads.
        for at in 60..=66 {
            for tail in ["le", "e", "e.", "ee", "le.", "ate", "ate)", "x", ""] {
                let mut s = "a ".repeat(at / 2) + &"b".repeat(at % 2);
                s += tail;
                s += " tale";
                assert_eq!(ascii::count(s.as_bytes()), count_unicode(&s), "{s:?}");
                let long = "Name".repeat(at) + tail;
                assert_eq!(ascii::count(long.as_bytes()), count_unicode(&long), "{long:?}");
            }
        }
        // Words whose carries cross a whole block: punctuation before the first letter,
        // consonants between vowel groups.
        for long in ["(".repeat(150) + "ab", "aba".to_owned() + &"x".repeat(150) + "e", "x".repeat(150) + "e. b", "'".repeat(130)] {
            assert_eq!(ascii::count(long.as_bytes()), count_unicode(&long), "{long:?}");
        }
        // Random ASCII strings over letters, digits, punctuation and white space, some
        // long enough to span several blocks, some with long words.
        let mut next = crate::test_support::xorshift(0x1234_5678_9abc_def1u64);
        for i in 0..100_000 {
            let alphabet: &[u8] = if i % 5 == 0 { b"aeiyEelLtx.-' " } else { b"aeiouyAEYlLtsxE019 .,-'_()\t\n\x0b" };
            let len = next(if i % 4 == 0 { 300 } else { 70 });
            let s: String = (0..len).map(|_| char::from(alphabet[next(alphabet.len())])).collect();
            assert_eq!(ascii::count(s.as_bytes()), count_unicode(&s), "{s:?}");
        }
    }

    #[test]
    fn sentences_anywhere_in_a_text_count_alike() {
        // Ranges at every offset within a block, across blocks, to the text's end, and
        // over non-ASCII text (which the masks decline).
        let mut next = crate::test_support::xorshift(0x0f1e_2d3c_4b5a_6978u64);
        for i in 0..2_000 {
            let alphabet = ["a", "e", "y", "E", "l", "t", "x", "1", ".", "-", "'", " ", " ", "\n", "é"];
            let len = next(if i % 3 == 0 { 400 } else { 150 });
            let n = if i % 4 == 0 { alphabet.len() } else { alphabet.len() - 1 };
            let text: String = (0..len).map(|_| alphabet[next(n)]).collect();
            let masks = ascii::Masks::new(text.as_bytes());
            for _ in 0..20 {
                let (mut a, mut b) = (next(text.len() + 1), next(text.len() + 1));
                if a > b {
                    (a, b) = (b, a);
                }
                let (Some(s), true) = (text.get(a..b), text.is_char_boundary(a)) else { continue };
                let expected = s.is_ascii().then(|| count_unicode(s));
                assert_eq!(masks.count(a..b), expected, "{text:?} {a}..{b}");
            }
        }
    }

    #[test]
    fn grades_simple_and_hard_text() {
        let easy = measure("We lost a file. It had your name.", [0..15, 16..33].into_iter());
        let hard = "The unauthorized exfiltration potentially compromised confidential administrative information.";
        let hard = measure(hard, std::iter::once(0..hard.len()));
        assert_eq!((easy.words, easy.sentences), (8, 2));
        assert!(easy.fk_grade < hard.fk_grade);
    }
}
