//! Heading phrases, indexed so that a line is judged in a few comparisons.
//!
//! A line names a section when it equals one of the section's phrases, or when it holds a
//! phrase of several words anywhere (ASCII letters in any case). Nearly every line asked
//! about is no heading, so the index touches little memory: phrases by length for the
//! whole-line test, and for the test inside, the phrases of several words by the bytes
//! around their first space. Any occurrence of such a phrase puts that space on a space
//! of the line, so only the line's spaces are looked at.

/// The heading phrases of all sections. The phrases' bytes lie in one buffer and the
/// entries are small, so that a lookup after the matcher's walk (which leaves the caches
/// cold) touches a few cache lines.
#[derive(Debug, Default)]
pub(super) struct HeadingIndex {
    /// Every phrase, lowercased, one after another.
    bytes: Vec<u8>,
    /// Every phrase, by length and then section; the phrases of length `n` are
    /// `whole[by_length[n]..by_length[n + 1]]`.
    whole: Vec<Entry>,
    by_length: Vec<u32>,
    /// Phrases of several words, ordered by bucket: bucket `b` is
    /// `inside[starts[b]..starts[b + 1]]`.
    inside: Vec<Entry>,
    starts: Vec<u32>,
    /// Phrases of several words whose first space starts or ends them (no bucket key).
    unkeyed: Vec<Entry>,
}

/// A phrase: where its bytes are, the offset of its first space (phrases of several
/// words), and its section index.
#[derive(Debug, Clone, Copy)]
struct Entry {
    start: u32,
    len: u32,
    space: u32,
    section: u32,
}

const BUCKETS: usize = 256;

impl HeadingIndex {
    /// Indexes the phrases (lowercase) of each section, in section order.
    pub(super) fn new<'a>(sections: impl IntoIterator<Item = &'a [String]>) -> HeadingIndex {
        let mut index = HeadingIndex::default();
        let mut keyed = Vec::new();
        for (section, phrases) in sections.into_iter().enumerate() {
            for p in phrases {
                let start = index.bytes.len();
                // ASCII letters are compared in lowercase on both sides.
                index.bytes.extend(p.bytes().map(|b| b.to_ascii_lowercase()));
                let p = &index.bytes[start..];
                let space = p.iter().position(|&b| b == b' ');
                let entry = Entry { start: start as u32, len: p.len() as u32, space: space.unwrap_or(0) as u32, section: section as u32 };
                if let Some(space) = space {
                    match key_at(p, space) {
                        Some(key) => keyed.push((key, entry)),
                        None => index.unkeyed.push(entry),
                    }
                }
                index.whole.push(entry);
            }
        }
        index.whole.sort_by_key(|e| (e.len, e.section));
        let longest = index.whole.last().map_or(0, |e| e.len);
        index.by_length = (0..=longest + 1).map(|n| index.whole.partition_point(|e| e.len < n) as u32).collect();
        keyed.sort_by_key(|(key, _)| *key);
        index.starts = (0..=BUCKETS).map(|b| keyed.partition_point(|(key, _)| *key < b) as u32).collect();
        index.inside = keyed.into_iter().map(|(_, entry)| entry).collect();
        index
    }

    /// The first section (lowest index) with a phrase equal to `heading` or, for a phrase
    /// of several words, inside it; ASCII letters compare in any case.
    pub(super) fn section(&self, heading: &str) -> Option<usize> {
        // Lowercased once (on the stack: headings are short), so phrases compare as bytes.
        let mut buf = [0u8; 128];
        let owned;
        let h: &[u8] = match buf.get_mut(..heading.len()) {
            Some(lower) => {
                lower.copy_from_slice(heading.as_bytes());
                lower.make_ascii_lowercase();
                lower
            }
            None => {
                owned = heading.as_bytes().to_ascii_lowercase();
                &owned
            }
        };
        let phrase = |e: &Entry| &self.bytes[e.start as usize..(e.start + e.len) as usize];
        let mut best: Option<usize> = None;
        if let Some(bounds) = self.by_length.get(h.len()..h.len() + 2) {
            // In section order within a length: the first equal phrase is the one.
            let same_length = &self.whole[bounds[0] as usize..bounds[1] as usize];
            best = same_length.iter().find(|e| phrase(e) == h).map(|e| e.section as usize);
        }
        if self.inside.is_empty() && self.unkeyed.is_empty() {
            return best;
        }
        let mut consider = |e: &Entry| {
            let section = e.section as usize;
            if best.is_none_or(|b| section < b) {
                best = Some(section);
            }
        };
        let occurs = |e: &Entry, at: usize| at >= e.space as usize && h[at - e.space as usize..].starts_with(phrase(e));
        for at in (0..h.len()).filter(|&at| h[at] == b' ') {
            if let Some(key) = key_at(h, at) {
                for e in &self.inside[self.starts[key] as usize..self.starts[key + 1] as usize] {
                    if occurs(e, at) {
                        consider(e);
                    }
                }
            }
            for e in &self.unkeyed {
                if occurs(e, at) {
                    consider(e);
                }
            }
        }
        best
    }
}

/// The bucket of a space at `at` of lowercase `s`: the bytes before and after it, mixed;
/// None when the space starts or ends `s`.
fn key_at(s: &[u8], at: usize) -> Option<usize> {
    let before = *s.get(at.checked_sub(1)?)?;
    let after = *s.get(at + 1)?;
    Some(usize::from(before.wrapping_mul(31) ^ after) % BUCKETS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The matching the index replaces: every phrase in one overlapping automaton.
    fn by_automaton(sections: &[Vec<String>]) -> impl Fn(&str) -> Option<usize> + '_ {
        let all: Vec<(&String, usize)> = sections.iter().enumerate().flat_map(|(i, l)| l.iter().map(move |p| (p, i))).collect();
        let ac = aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(all.iter().map(|(p, _)| p.as_str())).unwrap();
        move |heading| {
            ac.find_overlapping_iter(heading)
                .filter(|m| all[m.pattern().as_usize()].0.contains(' ') || m.range() == (0..heading.len()))
                .map(|m| all[m.pattern().as_usize()].1)
                .min()
        }
    }

    #[test]
    fn agrees_with_an_overlapping_automaton() {
        let rules = crate::rules::RuleSet::builtin().unwrap();
        let mut sections: Vec<Vec<String>> = rules.text.sections.iter().map(|(_, l)| l.clone()).collect();
        // Phrases a pack may hold: spaces at the ends, a character that is not ASCII.
        sections.push(vec![" lead".into(), "trail ".into(), "a  b".into(), "caf\u{e9} x".into(), "what happened".into()]);
        let index = HeadingIndex::new(sections.iter().map(Vec::as_slice));
        let reference = by_automaton(&sections);
        let phrases: Vec<&str> = sections.iter().flatten().map(String::as_str).collect();
        let words: Vec<&str> = phrases.iter().flat_map(|p| p.split(' ')).collect();
        let extra = ["", " ", "  ", "WHAT", "Happened", "x", "of", "CAF\u{c9}", "incidentx", "bathe"];
        let mut next = crate::test_support::xorshift(0x9e37_79b9_7f4a_7c15_u64);
        let mut found = 0;
        for _ in 0..20_000 {
            let mut heading = String::new();
            for _ in 0..next(6) {
                if !heading.is_empty() || next(4) == 0 {
                    heading.push(' ');
                }
                let w = match next(6) {
                    0 => extra[next(extra.len())],
                    1 => phrases[next(phrases.len())],
                    _ => words[next(words.len())],
                };
                heading.push_str(&if next(3) == 0 { w.to_uppercase() } else { w.to_owned() });
            }
            let section = index.section(&heading);
            assert_eq!(section, reference(&heading), "{heading:?}");
            found += usize::from(section.is_some());
        }
        assert!(found > 4_000, "too few headings found ({found}) to compare");
        let long = "Z".repeat(130);
        for p in phrases.iter().map(|p| p.to_string()).chain([format!("{long} What Happened"), format!("{long}{long}"), long]) {
            assert_eq!(index.section(&p), reference(&p), "{p:?}");
        }
    }
}
