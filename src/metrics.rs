//! Readability: words, sentences, Flesch reading ease and Flesch-Kincaid grade.
//!
//! Syllables are estimated by vowel groups (a silent final "e" dropped), the usual
//! approximation; it is close enough to rank notices, not to grade a single word.

use crate::report::Metrics;

/// Metrics over the given sentences of `text`.
pub fn measure<'a>(sentences: impl Iterator<Item = &'a str>) -> Metrics {
    let (mut words, mut syllables, mut count) = (0usize, 0usize, 0usize);
    for sentence in sentences {
        let (w, s) = if sentence.is_ascii() { count_ascii(sentence.as_bytes()) } else { count_unicode(sentence) };
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

/// Words (with a letter) and their syllables in one sentence.
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

/// [`count_unicode`] for ASCII text, byte by byte: this runs on every word of every notice.
fn count_ascii(s: &[u8]) -> (usize, usize) {
    // White space as `split_whitespace` sees it in ASCII: \t \n \v \f \r and space.
    let space = |b: u8| matches!(b, b'\t'..=b'\r' | b' ');
    let (mut words, mut syllables) = (0, 0);
    let mut i = 0;
    while i < s.len() {
        if space(s[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < s.len() && !space(s[i]) {
            i += 1;
        }
        let word = &s[start..i];
        // Trimmed of punctuation at both ends; the trimmed bytes hold no letter.
        let (Some(a), Some(z)) = (word.iter().position(u8::is_ascii_alphanumeric), word.iter().rposition(u8::is_ascii_alphanumeric)) else {
            continue;
        };
        let w = &word[a..=z];
        if w.iter().any(u8::is_ascii_alphabetic) {
            words += 1;
            syllables += syllables_in_bytes(w);
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
    fn grades_simple_and_hard_text() {
        let easy = measure(["We lost a file.", "It had your name."].into_iter());
        let hard = measure(["The unauthorized exfiltration potentially compromised confidential administrative information."].into_iter());
        assert_eq!((easy.words, easy.sentences), (8, 2));
        assert!(easy.fk_grade < hard.fk_grade);
    }
}
