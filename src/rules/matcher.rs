//! One pass over the text for every rule: all literal phrases of all packs in one
//! Aho-Corasick automaton (leftmost-longest, ASCII case-insensitive), all regex patterns
//! behind one `RegexSet` that says which of them can match at all.
//!
//! Leftmost-longest makes look-alikes cheap: a pseudo-cue ("not only") or an exclusion
//! ("dark web monitoring") is longer than, or starts before, what it shadows, so the
//! automaton reports it instead.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use crate::normalize::Normalized;

/// What a phrase or pattern belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A detection rule's trigger (index into `RuleSet::rules`).
    Rule(u32),
    /// A companion phrase a rule needs in the same sentence.
    Near(u32),
    /// A look-alike a rule discards.
    Exclude(u32),
    /// A scope cue (index into `RuleSet::cues`).
    Cue(u32),
}

/// A match in the normalized text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub target: Target,
}

/// Size limit for one compiled regex: a pack cannot make the program allocate without bound.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

#[derive(Debug)]
pub struct Matcher {
    automaton: AhoCorasick,
    phrase_targets: Vec<Vec<Target>>,
    set: RegexSet,
    regexes: Vec<Regex>,
    regex_targets: Vec<Target>,
    /// Regexes of pseudo-cues: what they match is not a cue, whatever else matched there.
    regex_masks: Vec<bool>,
}

impl Matcher {
    /// Every hit in `text`, sorted by position, written into `out` (cleared first) so a
    /// worker can reuse one buffer for all its documents.
    pub fn scan(&self, text: &str, out: &mut Vec<Hit>) {
        out.clear();
        for m in self.automaton.find_iter(text) {
            let (start, end) = (m.start(), m.end());
            let pattern = &text[start..end];
            if starts_word(pattern) && !boundary_before(text, start) {
                continue;
            }
            let end = if ends_word(pattern) { extend_plural(text, end) } else { end };
            if ends_word(pattern) && !boundary_after(text, end) {
                continue;
            }
            out.extend(self.phrase_targets[m.pattern().as_usize()].iter().map(|&target| Hit { start, end, target }));
        }
        let literal_hits = out.len();
        let mut masked = false;
        if !self.regexes.is_empty() {
            for i in self.set.matches(text).iter() {
                for m in self.regexes[i].find_iter(text) {
                    if m.is_empty() {
                        continue;
                    }
                    let target = self.regex_targets[i];
                    // A rule's exclusions shadow that rule's patterns too, not other rules'.
                    let shadowed = match target {
                        Target::Rule(r) => {
                            out[..literal_hits].iter().any(|h| h.target == Target::Exclude(r) && h.start < m.end() && m.start() < h.end)
                        }
                        _ => false,
                    };
                    if !shadowed {
                        out.push(Hit { start: m.start(), end: m.end(), target });
                        masked |= self.regex_masks[i];
                    }
                }
            }
            out.sort_by_key(|h| (h.start, h.end));
        }
        if masked {
            let masks: Vec<(usize, usize)> = out
                .iter()
                .filter(|h| self.regex_targets.iter().zip(&self.regex_masks).any(|(t, &m)| m && *t == h.target))
                .map(|h| (h.start, h.end))
                .collect();
            out.retain(|h| masks.contains(&(h.start, h.end)) || !masks.iter().any(|&(s, e)| h.start < e && s < h.end));
        }
    }
}

/// Collects phrases and patterns while packs load.
#[derive(Debug, Default)]
pub(super) struct Builder {
    phrases: Vec<String>,
    phrase_index: HashMap<String, usize>,
    phrase_targets: Vec<Vec<Target>>,
    patterns: Vec<String>,
    regexes: Vec<Regex>,
    regex_targets: Vec<Target>,
}

impl Builder {
    /// Adds a literal phrase, normalized like the text it will meet.
    pub fn phrase(&mut self, phrase: &str, target: Target) -> Result<(), String> {
        let key = Normalized::new(phrase).text.to_lowercase();
        if key.trim().is_empty() {
            return Err("empty phrase".into());
        }
        let next = self.phrases.len();
        let i = *self.phrase_index.entry(key.clone()).or_insert(next);
        if i == next {
            self.phrases.push(key);
            self.phrase_targets.push(Vec::new());
        }
        if !self.phrase_targets[i].contains(&target) {
            self.phrase_targets[i].push(target);
        }
        Ok(())
    }

    /// Adds a regex pattern (case-insensitive), checking it compiles within the size limit.
    pub fn pattern(&mut self, pattern: &str, target: Target) -> Result<(), String> {
        if pattern.trim().is_empty() {
            return Err("empty pattern".into());
        }
        let compiled = ascii_boundaries(pattern);
        let regex = RegexBuilder::new(&compiled)
            .case_insensitive(true)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|e| format!("invalid regex `{pattern}`: {e}"))?;
        if regex.is_match("") {
            return Err(format!("regex `{pattern}` matches the empty string"));
        }
        self.patterns.push(compiled);
        self.regexes.push(regex);
        self.regex_targets.push(target);
        Ok(())
    }

    pub fn build(mut self, cue_kinds: &[super::pack::CueKind]) -> Result<Matcher, String> {
        self.inherit_cues(cue_kinds);
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&self.phrases)
            .map_err(|e| format!("cannot build the phrase automaton: {e}"))?;
        let set = RegexSetBuilder::new(&self.patterns)
            .case_insensitive(true)
            .size_limit(REGEX_SIZE_LIMIT * 16)
            .dfa_size_limit(32 << 20)
            .build()
            .map_err(|e| format!("the patterns together are too large: {e}"))?;
        let regex_masks = self
            .regex_targets
            .iter()
            .map(|t| matches!(t, Target::Cue(c) if cue_kinds[*c as usize] == super::pack::CueKind::Pseudo))
            .collect();
        Ok(Matcher {
            automaton,
            phrase_targets: self.phrase_targets,
            set,
            regexes: self.regexes,
            regex_targets: self.regex_targets,
            regex_masks,
        })
    }
}

impl Builder {
    /// Leftmost-longest reports one phrase where several overlap, so a longer phrase
    /// ("may have included", a hedge) would hide the cue inside it ("may have"), and
    /// "viewed or copied" would hide the companion word "copied" a hedge waits for. A phrase
    /// therefore also acts as every cue and companion phrase it contains at word
    /// boundaries. Cue phrases are the exception: a pseudo-cue hides the cue by design, and
    /// a longer cue ("could not rule out") means what its own kind says.
    fn inherit_cues(&mut self, cue_kinds: &[super::pack::CueKind]) {
        let cue_phrases: Vec<(String, Target)> = self
            .phrases
            .iter()
            .zip(&self.phrase_targets)
            .flat_map(|(p, targets)| {
                targets
                    .iter()
                    .filter(|t| match t {
                        Target::Cue(c) => cue_kinds[*c as usize] != super::pack::CueKind::Pseudo,
                        Target::Near(_) => true,
                        _ => false,
                    })
                    .map(move |t| (p.clone(), *t))
            })
            .collect();
        for (phrase, targets) in self.phrases.iter().zip(self.phrase_targets.iter_mut()) {
            // A cue phrase means what its own kind says ("could not rule out" is not "not").
            if targets.iter().any(|t| matches!(t, Target::Cue(_))) {
                continue;
            }
            for (cue, target) in &cue_phrases {
                if cue.len() < phrase.len() && contains_word_seq(phrase, cue) && !targets.contains(target) {
                    targets.push(*target);
                }
            }
        }
    }
}

/// `needle` occurs in `hay` with word boundaries on both sides.
fn contains_word_seq(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| boundary_before(hay, i) && boundary_after(hay, i + needle.len()))
}

/// Rewrites `\b` and `\B` as ASCII word boundaries. A Unicode word boundary stops the
/// lazy DFA at the first non-ASCII byte and sends the search to the far slower PikeVM;
/// the text is normalized, so ASCII boundaries are what the packs mean.
pub fn ascii_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(next) => {
                out.push(c);
                out.push(next);
            }
            None => out.push(c),
        }
    }
    out
}

fn starts_word(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_alphanumeric)
}

fn ends_word(s: &str) -> bool {
    s.chars().next_back().is_some_and(char::is_alphanumeric)
}

fn boundary_before(text: &str, at: usize) -> bool {
    !text[..at].chars().next_back().is_some_and(char::is_alphanumeric)
}

fn boundary_after(text: &str, at: usize) -> bool {
    !text[at..].chars().next().is_some_and(char::is_alphanumeric)
}

/// Lets a singular phrase match its plural or possessive ("number" → "numbers").
fn extend_plural(text: &str, end: usize) -> usize {
    let rest = &text.as_bytes()[end..];
    for suffix in [&b"'s"[..], b"es", b"s"] {
        if rest.len() >= suffix.len() && rest[..suffix.len()].eq_ignore_ascii_case(suffix) && boundary_after(text, end + suffix.len()) {
            return end + suffix.len();
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boundaries_become_ascii() {
        assert_eq!(ascii_boundaries(r"\bssn\b"), r"(?-u:\b)ssn(?-u:\b)");
        assert_eq!(ascii_boundaries(r"a\\b\B"), r"a\\b(?-u:\B)");
    }

    #[test]
    fn phrases_match_whole_words_with_plurals_and_longest_wins() {
        let mut b = Builder::default();
        b.phrase("number", Target::Rule(0)).unwrap();
        b.phrase("account number", Target::Rule(1)).unwrap();
        b.phrase("not", Target::Cue(0)).unwrap();
        b.phrase("not only", Target::Cue(1)).unwrap();
        let m = b.build(&[super::super::pack::CueKind::Negation, super::super::pack::CueKind::Pseudo]).unwrap();
        let mut hits = Vec::new();
        m.scan("Account numbers, not only numbered lists; renumber.", &mut hits);
        let got: Vec<(&str, Target)> =
            hits.iter().map(|h| (&"Account numbers, not only numbered lists; renumber."[h.start..h.end], h.target)).collect();
        assert_eq!(got, [("Account numbers", Target::Rule(1)), ("not only", Target::Cue(1))]);
    }

    #[test]
    fn bad_patterns_are_refused() {
        let mut b = Builder::default();
        assert!(b.pattern("(unclosed", Target::Rule(0)).unwrap_err().contains("invalid regex"));
        assert!(b.pattern("a*", Target::Rule(0)).unwrap_err().contains("empty string"));
        assert!(b.phrase("  ", Target::Rule(0)).is_err());
        assert!(b.pattern(r"\w{1000}{1000}", Target::Rule(0)).is_err(), "over the size limit");
    }
}
