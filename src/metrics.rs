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

/// Byte classes for [`count_ascii`], as bits.
const VOWEL: u8 = 1;
const LETTER: u8 = 2;
const ALNUM: u8 = 4;
const SPACE: u8 = 8;

static CLASS: [u8; 256] = {
    let mut t = [0; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = match c {
            b'\t'..=b'\r' | b' ' => SPACE,
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'A' | b'E' | b'I' | b'O' | b'U' | b'Y' => VOWEL | LETTER | ALNUM,
            b'a'..=b'z' | b'A'..=b'Z' => LETTER | ALNUM,
            b'0'..=b'9' => ALNUM,
            _ => 0,
        };
        b += 1;
    }
    t
};

/// [`count_unicode`] for ASCII text, with one tight loop per word: this runs on every
/// word of every notice. White space is what `split_whitespace` sees in ASCII;
/// punctuation around a word holds no vowel, so vowel groups over the whole word are
/// those of the trimmed word, whose end is found by stepping back over punctuation.
fn count_ascii(s: &[u8]) -> (usize, usize) {
    let (mut words, mut syllables) = (0, 0);
    let mut i = 0;
    while i < s.len() {
        if CLASS[s[i] as usize] & SPACE != 0 {
            i += 1;
            continue;
        }
        let start = i;
        let (mut groups, mut seen, mut prev_vowel) = (0usize, 0u8, 0u8);
        while let Some(&b) = s.get(i) {
            let class = CLASS[b as usize];
            if class & SPACE != 0 {
                break;
            }
            let vowel = class & VOWEL;
            groups += usize::from(vowel & !prev_vowel);
            prev_vowel = vowel;
            seen |= class;
            i += 1;
        }
        if seen & LETTER == 0 {
            continue;
        }
        // The trimmed word's last two bytes: a silent final "e", but not "-le".
        let mut end = i;
        while CLASS[s[end - 1] as usize] & ALNUM == 0 {
            end -= 1;
        }
        let last = s[end - 1] | 0x20;
        let before_last = if end - 1 > start { s[end - 2] | 0x20 } else { 0 };
        let silent_e = groups > 1 && last == b'e' && before_last != b'l';
        words += 1;
        syllables += (groups - usize::from(silent_e)).max(1);
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
            assert_eq!(count_ascii(s.as_bytes()), count_unicode(s), "{s:?}");
        }
        // Random ASCII strings over letters, digits, punctuation and white space.
        let mut state = 0x1234_5678_9abc_def1u64;
        for _ in 0..20_000 {
            let mut s = String::new();
            for _ in 0..(state % 40) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let alphabet = b"aeiouyAEYlLtsxE019 .,-'_()\t\n\x0b";
                s.push(char::from(alphabet[(state % alphabet.len() as u64) as usize]));
            }
            assert_eq!(count_ascii(s.as_bytes()), count_unicode(&s), "{s:?}");
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
