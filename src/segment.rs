//! Sentences and sections of normalized text.
//!
//! A sentence ends at `.`, `!` or `?` followed by a capital, digit, quote or bullet —
//! unless the word before the stop is an abbreviation from the text pack ("Inc.", "U.S.",
//! "No.", "e.g.") or an initial — and at every line break that normalization kept (those
//! are headings, list items and paragraph ends). A line that reads as a heading ("What
//! Happened", "WHAT INFORMATION WAS INVOLVED?") starts a section; the text pack maps
//! heading phrases to section kinds so later stages know where they are.

use std::ops::Range;

use crate::normalize::starts_list_item;
use crate::rules::TextRules;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte range in the normalized text, without surrounding white space.
    pub range: Range<usize>,
    /// Index into [`Segments::sections`].
    pub section: usize,
    /// The sentence is a heading line.
    pub heading: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The kind the text pack gives the heading (`what_happened`, …), if it knows it.
    pub kind: Option<String>,
    /// The heading's range, or None for the text before the first heading.
    pub heading: Option<Range<usize>>,
}

#[derive(Debug, Clone, Default)]
pub struct Segments {
    pub sentences: Vec<Sentence>,
    pub sections: Vec<Section>,
}

impl Segments {
    /// The sentence containing byte `pos`, if any (binary search).
    pub fn sentence_at(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.range.end <= pos);
        (i < self.sentences.len() && self.sentences[i].range.start <= pos).then_some(i)
    }
}

/// Splits `text` into sentences and sections.
pub fn segment(text: &str, rules: &TextRules) -> Segments {
    // Room for a letter's sentences (one per 40 bytes or so) without regrowing.
    let sentences = Vec::with_capacity((text.len() / 32).min(1024));
    // A letter has a dozen sections at most; growing from one would reallocate thrice.
    let mut sections = Vec::with_capacity(16);
    sections.push(Section { kind: None, heading: None });
    let mut seg = Segments { sentences, sections };
    let mut splits = Splits { text: text.as_bytes(), bullet: None };
    let mut line_start = 0;
    // Line breaks found with vector instructions, and each line trimmed once.
    for line_end in memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]) {
        let range = trim(text, line_start..line_end);
        line_start = line_end + 1;
        if range.is_empty() {
            continue;
        }
        let trimmed = &text[range.clone()];
        if let Some(kind) = heading_kind(trimmed, rules) {
            seg.sections.push(Section { kind, heading: Some(range.clone()) });
            let section = seg.sections.len() - 1;
            seg.sentences.push(Sentence { range, section, heading: true });
            continue;
        }
        let section = seg.sections.len() - 1;
        split_line(text, range, rules, &mut splits, &mut |r| seg.sentences.push(Sentence { range: r, section, heading: false }));
    }
    seg
}

/// `Some(kind)` when the line is a heading: a known heading phrase, or a short line shaped
/// like one (Title Case or capitals, no closing period).
fn heading_kind(line: &str, rules: &TextRules) -> Option<Option<String>> {
    // The cheap tests first: most lines end with a period.
    if line.len() > 90 || line.ends_with(['.', ',', ';']) && !line.ends_with("..") {
        return None;
    }
    if starts_list_item(line) && !line.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let key = line.trim_end_matches([':', '?', '.', ' ']).trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
    if let Some(kind) = rules.section_of(key) {
        return Some(Some(kind.to_owned()));
    }
    let (words, capitalized, small) = if key.is_ascii() { ascii_word_shapes(key.as_bytes()) } else { word_shapes(key) };
    let looks_like = words > 0 && words <= 8 && capitalized >= 1 && capitalized + small == words && !line.ends_with(',');
    looks_like.then_some(None)
}

/// The number of words of `key`, of those that start with a capital, and of the short
/// ones (up to 3 bytes) that start with a small letter.
fn word_shapes(key: &str) -> (usize, usize, usize) {
    let (mut words, mut capitalized, mut small) = (0, 0, 0);
    for w in key.split_whitespace() {
        words += 1;
        capitalized += usize::from(w.starts_with(|c: char| c.is_uppercase()));
        small += usize::from(w.len() <= 3 && w.starts_with(|c: char| c.is_lowercase()));
    }
    (words, capitalized, small)
}

/// [`word_shapes`] of ASCII text, a byte at a time (`split_whitespace` decodes chars and
/// asks Unicode about each).
fn ascii_word_shapes(key: &[u8]) -> (usize, usize, usize) {
    let (mut words, mut capitalized, mut small) = (0, 0, 0);
    let mut i = 0;
    while i < key.len() {
        if is_space(key[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < key.len() && !is_space(key[i]) {
            i += 1;
        }
        words += 1;
        capitalized += usize::from(key[start].is_ascii_uppercase());
        small += usize::from(i - start <= 3 && key[start].is_ascii_lowercase());
    }
    (words, capitalized, small)
}

/// Where a line may split: the stops (`.`, `!`, `?`) and the first byte of a bullet
/// (0xE2), found with memchr's vector searches. Most notices have no 0xE2 at all once
/// normalized, so the next one is searched for over the rest of the text and kept until
/// it is passed.
struct Splits<'a> {
    text: &'a [u8],
    /// The first 0xE2 at or after the last position asked for, or `text.len()`; None
    /// before the first search.
    bullet: Option<usize>,
}

impl Splits<'_> {
    /// The first byte in `from..end` that may split a line, or `end`.
    fn next(&mut self, from: usize, end: usize) -> usize {
        if from >= end {
            return end;
        }
        let bullet = match self.bullet {
            Some(b) if b >= from => b,
            _ => memchr::memchr(0xE2, &self.text[from..]).map_or(self.text.len(), |k| from + k),
        };
        self.bullet = Some(bullet);
        let end = end.min(bullet);
        memchr::memchr3(b'.', b'!', b'?', &self.text[from..end]).map_or(end, |k| from + k)
    }
}

/// Splits one line into sentences, handing each to `out`.
fn split_line(text: &str, line: Range<usize>, rules: &TextRules, splits: &mut Splits, out: &mut impl FnMut(Range<usize>)) {
    let bytes = text.as_bytes();
    let mut start = line.start;
    let mut i = line.start;
    loop {
        i = splits.next(i, line.end);
        if i >= line.end {
            break;
        }
        let b = bytes[i];
        let boundary_after = b != 0xE2 && ends_sentence(text, i, line.end, rules);
        if boundary_after {
            // Include closing quotes or brackets right after the stop.
            let mut end = i + 1;
            while end < line.end && matches!(bytes[end], b'"' | b'\'' | b')') {
                end += 1;
            }
            push(text, out, start..end);
            start = end;
            i = end;
            continue;
        }
        // An inline bullet starts a new sentence.
        if bytes[i..].starts_with("•".as_bytes()) && i > start {
            push(text, out, start..i);
            start = i;
        }
        i += 1;
    }
    push(text, out, start..line.end);
}

fn ends_sentence(text: &str, stop: usize, line_end: usize, rules: &TextRules) -> bool {
    // Stepped over as bytes (closing quotes, ASCII white space); chars are decoded only
    // where a byte that is not ASCII starts the next word.
    let bytes = text.as_bytes();
    let mut k = stop + 1;
    while k < line_end && matches!(bytes[k], b'"' | b'\'' | b')') {
        k += 1;
    }
    if k == line_end {
        return true;
    }
    if bytes[k] != b' ' {
        return false;
    }
    while k < line_end && is_space(bytes[k]) {
        k += 1;
    }
    let starts_new = match bytes[k..line_end].first() {
        None => false,
        Some(&b) if b.is_ascii() => b.is_ascii_uppercase() || b.is_ascii_digit() || matches!(b, b'"' | b'\'' | b'(' | b'['),
        Some(_) => text[k..line_end]
            .trim_start()
            .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '\'' | '(' | '•' | '[')),
    };
    if !starts_new {
        return false;
    }
    if bytes[stop] != b'.' {
        return true;
    }
    // The word before the period: an abbreviation or an initial does not end a sentence.
    let before = &text[..stop];
    let word = &before[word_start(before)..];
    if word.len() == 1 {
        if word.as_bytes()[0].is_ascii_uppercase() {
            return false;
        }
    } else {
        let mut chars = word.chars();
        if chars.next().is_some_and(char::is_uppercase) && chars.next().is_none() {
            return false;
        }
    }
    // Lowercased on the stack when it is short and ASCII, as abbreviations are; most words
    // before a period are longer than any abbreviation.
    let mut buf = [0u8; 24];
    let ascii = word.is_ascii();
    if ascii {
        let opening = word.bytes().take_while(|b| matches!(b, b'(' | b'"' | b'\'')).count();
        if word.len() - opening > rules.longest_abbreviation() {
            return true;
        }
    }
    if ascii && word.len() <= buf.len() {
        let lower = &mut buf[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        return !rules.is_abbreviation_bytes(lower);
    }
    !rules.is_abbreviation(&word.to_lowercase())
}

/// Where the last word of `before` starts: after the last white space or `(`.
fn word_start(before: &str) -> usize {
    // Back over ASCII bytes first; a byte that is not ASCII sends the search to chars.
    let ascii_start = before.bytes().rposition(|b| !b.is_ascii() || is_space(b) || b == b'(').map_or(0, |p| p + 1);
    match before.as_bytes().get(ascii_start.wrapping_sub(1)) {
        Some(&b) if !b.is_ascii() => word_start_by_chars(before),
        _ => ascii_start,
    }
}

fn word_start_by_chars(before: &str) -> usize {
    before.char_indices().rev().find(|&(_, c)| c.is_whitespace() || c == '(').map_or(0, |(p, c)| p + c.len_utf8())
}

fn push(text: &str, out: &mut impl FnMut(Range<usize>), r: Range<usize>) {
    let r = trim(text, r);
    if !r.is_empty() {
        out(r);
    }
}

/// The range without white space around it: ASCII white space a byte at a time, other
/// white space (reached only past a byte that is not ASCII) as chars.
fn trim(text: &str, r: Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    let (mut start, mut end) = (r.start, r.end);
    while start < end && is_space(bytes[start]) {
        start += 1;
    }
    while end > start && is_space(bytes[end - 1]) {
        end -= 1;
    }
    if start < end && !(bytes[start].is_ascii() && bytes[end - 1].is_ascii()) {
        let s = &text[start..end];
        start += s.len() - s.trim_start().len();
        end = start + s.trim().len();
    }
    start..end
}

/// ASCII white space as `char::is_whitespace` sees it (which, unlike
/// `u8::is_ascii_whitespace`, includes the vertical tab).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    fn sentences(text: &str) -> Vec<&str> {
        let rules = RuleSet::builtin().unwrap();
        segment(text, &rules.text).sentences.iter().map(|s| &text[s.range.clone()]).collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        let text = "Lakeview Dental, Inc. learned of it on Jan. 4 from J. Doe in the U.S. Postal Service. We then acted, e.g. by resetting passwords.";
        assert_eq!(
            sentences(text),
            vec![
                "Lakeview Dental, Inc. learned of it on Jan. 4 from J. Doe in the U.S. Postal Service.",
                "We then acted, e.g. by resetting passwords."
            ]
        );
    }

    #[test]
    fn headings_and_bullets_end_sentences() {
        let rules = RuleSet::builtin().unwrap();
        let text = "What Happened\nOn May 2 we found it. We acted\n\u{2022} name \u{2022} address";
        let seg = segment(text, &rules.text);
        let got: Vec<&str> = seg.sentences.iter().map(|s| &text[s.range.clone()]).collect();
        assert_eq!(got, vec!["What Happened", "On May 2 we found it.", "We acted", "\u{2022} name", "\u{2022} address"]);
        assert!(seg.sentences[0].heading);
        assert_eq!(seg.sections[1].kind.as_deref(), Some("what_happened"));
        assert_eq!(seg.sentences[2].section, 1);
    }

    #[test]
    fn faq_questions_are_headings() {
        let rules = RuleSet::builtin().unwrap();
        let text = "What information was involved?\nNames were involved.";
        let seg = segment(text, &rules.text);
        assert_eq!(seg.sections[1].kind.as_deref(), Some("information_involved"));
    }

    /// Random strings of ASCII and other white space, brackets, letters and a bullet
    /// (xorshift64, seeded: the same cases every run).
    fn random_texts(seed: u64, count: usize) -> impl Iterator<Item = String> {
        const ALPHABET: &[&str] = &[
            " ", "\t", "\n", "\x0b", "\x0c", "\r", "\u{85}", "\u{a0}", "\u{3000}", "a", "Z", "é", "(", ".", "!", "?", "\u{2022}",
            "\u{20ac}",
        ];
        crate::test_support::random_strings(seed, count, 24, ALPHABET)
    }

    #[test]
    fn byte_level_helpers_agree_with_char_level_ones() {
        for text in random_texts(0x9e37_79b9_7f4a_7c15, 20_000) {
            let trimmed = trim(&text, 0..text.len());
            assert_eq!(&text[trimmed], text.trim(), "{text:?}");
            assert_eq!(word_start(&text), word_start_by_chars(&text), "{text:?}");
            let bytes = text.as_bytes();
            let mut splits = Splits { text: bytes, bullet: None };
            for from in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let by_bytes = (from..bytes.len()).find(|&i| matches!(bytes[i], b'.' | b'!' | b'?' | 0xE2)).unwrap_or(bytes.len());
                assert_eq!(splits.next(from, bytes.len()), by_bytes, "{text:?} from {from}");
            }
        }
    }

    #[test]
    fn ascii_word_shapes_agree_with_split_whitespace() {
        const ALPHABET: &[&str] = &[" ", " ", "\t", "\x0b", "\x0c", "\r", "a", "Z", "of", "the", "And", "7", ":", "."];
        for text in crate::test_support::random_strings(0x5851_f42d_4c95_7f2d, 20_000, 16, ALPHABET) {
            assert_eq!(ascii_word_shapes(text.as_bytes()), word_shapes(&text), "{text:?}");
        }
    }

    /// [`ends_sentence`] as it was written with chars and `str` trimming.
    fn ends_sentence_by_chars(text: &str, stop: usize, line_end: usize, rules: &TextRules) -> bool {
        let rest = text[stop + 1..line_end].trim_start_matches(['"', '\'', ')']);
        if rest.is_empty() {
            return true;
        }
        if !rest.starts_with(' ') {
            return false;
        }
        let next = rest.trim_start();
        if !next.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '\'' | '(' | '•' | '[')) {
            return false;
        }
        if text.as_bytes()[stop] != b'.' {
            return true;
        }
        let before = &text[..stop];
        let word = &before[word_start_by_chars(before)..];
        let mut chars = word.chars();
        if chars.next().is_some_and(char::is_uppercase) && chars.next().is_none() {
            return false;
        }
        !rules.is_abbreviation(&word.to_lowercase())
    }

    #[test]
    fn sentence_ends_are_judged_as_by_chars() {
        let rules = RuleSet::builtin().unwrap();
        const ALPHABET: &[&str] = &[
            " ",
            " ",
            "\t",
            "\u{85}",
            "\u{a0}",
            "a",
            "Z",
            "É",
            "é",
            "(",
            ")",
            "\"",
            "'",
            ".",
            "!",
            "?",
            "\u{2022}",
            "[",
            "7",
            "inc",
            "U.S",
            "Dr",
            "approximately",
        ];
        for text in crate::test_support::random_strings(0x2545_f491_4f6c_dd1d, 20_000, 12, ALPHABET) {
            for (stop, _) in text.match_indices(['.', '!', '?']) {
                let got = ends_sentence(&text, stop, text.len(), &rules.text);
                assert_eq!(got, ends_sentence_by_chars(&text, stop, text.len(), &rules.text), "{text:?} at {stop}");
            }
        }
    }

    /// Found by fuzzing: the word before a period, preceded by a multi-byte space.
    #[test]
    fn period_after_a_no_break_space_word_does_not_panic() {
        assert_eq!(sentences("We saw it.\u{a0}J. Then we acted."), vec!["We saw it.\u{a0}J. Then we acted."]);
    }
}
