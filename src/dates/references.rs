//! Day references (`[dates.day_references]` in the dates pack): phrases such as "the same
//! day" that refer back to a nearby full date, and appositives such as ", the day we
//! noticed it" that say what else a date is. This file checks and compiles them.

use regex::Regex;
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

/// The `[dates.day_references]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayReferences {
    /// Phrases dated like the nearest full date before them ("that morning").
    #[serde(default)]
    pub phrases: Vec<Spanned<String>>,
    /// Openings of an appositive right after a date and a comma ("the day").
    #[serde(default)]
    pub appositives: Vec<Spanned<String>>,
}

/// A malformed `[dates]` entry: the message, and the span of the offending value when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatesError {
    pub span: Option<Range<usize>>,
    pub message: String,
}

/// The compiled day references.
#[derive(Debug, Clone, Default)]
pub(super) struct References {
    /// Every phrase (longest first), case-insensitive, between word boundaries.
    pub phrases: Option<Regex>,
    /// `^,\s+`, an appositive opening, then the rest of its clause.
    pub appositive: Option<Regex>,
    /// The last word of each phrase, after white space when the phrase has more than one
    /// word, for a cheap first look in ASCII text (`None`: no look, always search).
    last_words: Option<Regex>,
    /// The most words in one phrase.
    max_words: usize,
}

impl References {
    pub(super) fn new(def: &DayReferences) -> Result<References, DatesError> {
        let phrases = words_of(&def.phrases, "phrases")?;
        let appositives = words_of(&def.appositives, "appositives")?;
        let compile =
            |list: &[Vec<&str>], def: &[Spanned<String>], key: &str, head: &str, tail: &str| -> Result<Option<Regex>, DatesError> {
                if list.is_empty() {
                    return Ok(None);
                }
                let mut alts: Vec<String> =
                    list.iter().map(|w| w.iter().map(|w| regex::escape(w)).collect::<Vec<_>>().join(r"\s+")).collect();
                // Leftmost-first alternation: the longer phrase wins where two start together.
                alts.sort_by_key(|a| std::cmp::Reverse(a.len()));
                Regex::new(&format!("{head}(?:{}){tail}", alts.join("|")))
                    .map(Some)
                    .map_err(|e| DatesError { span: def.first().map(Spanned::span), message: format!("[dates.day_references] {key}: {e}") })
            };
        let last = |spaced: bool| {
            let mut words: Vec<String> = Vec::new();
            for w in phrases.iter().filter(|w| (w.len() > 1) == spaced).map(|w| regex::escape(w[w.len() - 1])) {
                if !words.contains(&w) {
                    words.push(w);
                }
            }
            words.join("|")
        };
        let (spaced, alone) = (last(true), last(false));
        let look = match (spaced.is_empty(), alone.is_empty()) {
            (false, false) => format!(r"(?i-u)(?:\s(?:{spaced})|\b(?:{alone}))\b"),
            (false, true) => format!(r"(?i-u)\s(?:{spaced})\b"),
            (true, _) => format!(r"(?i-u)\b(?:{alone})\b"),
        };
        // Unicode case folding can match a non-ASCII word in ASCII text ("K", the Kelvin
        // sign, matches "k"); a look without it would miss that, so there is none then.
        let ascii = phrases.iter().flatten().all(|w| w.is_ascii());
        let last_words = (ascii && !phrases.is_empty()).then(|| Regex::new(&look)).transpose().map_err(|e| DatesError {
            span: def.phrases.first().map(Spanned::span),
            message: format!("[dates.day_references] phrases: {e}"),
        })?;
        Ok(References {
            phrases: compile(&phrases, &def.phrases, "phrases", r"(?i)\b", r"\b")?,
            appositive: compile(&appositives, &def.appositives, "appositives", r"^,\s+", r"\b[^.;,!?]*")?,
            last_words,
            max_words: phrases.iter().map(Vec::len).max().unwrap_or(0),
        })
    }

    /// Whether ASCII `text` may hold a phrase starting in `from..=reach`: a last word of a
    /// phrase within the phrase's reach. It may say yes too often, never no too often.
    pub(super) fn may_start_within(&self, text: &str, from: usize, reach: usize) -> bool {
        let Some(look) = &self.last_words else { return self.phrases.is_some() };
        let b = text.as_bytes();
        let space = |c: &u8| matches!(c, b'\t'..=b'\r' | b' ');
        let run = |i: usize| i + b.get(i..).unwrap_or_default().iter().take_while(|c| !space(c)).count();
        let gap = |i: usize| i + b.get(i..).unwrap_or_default().iter().take_while(|c| space(c)).count();
        // A phrase starting by `reach` ends within the run of non-space there and the next
        // `max_words - 1` runs.
        let mut end = run(reach.min(b.len()));
        for _ in 1..self.max_words {
            end = run(gap(end));
        }
        match text.get(..end) {
            Some(hay) if from <= end => look.find_at(hay, from).is_some(),
            _ => true,
        }
    }
}

/// The words of each phrase of one list, or an error naming the phrase that cannot be used.
fn words_of<'a>(list: &'a [Spanned<String>], key: &str) -> Result<Vec<Vec<&'a str>>, DatesError> {
    let mut out = Vec::new();
    for phrase in list {
        let err = |what: &str| DatesError {
            span: Some(phrase.span()),
            message: format!("[dates.day_references] {key}: {:?} {what}", phrase.get_ref()),
        };
        let words: Vec<&str> = phrase.get_ref().split_whitespace().collect();
        let (Some(first), Some(last)) = (words.first(), words.last()) else { return Err(err("is empty")) };
        if words.iter().any(|w| *w == "..." || *w == "…") {
            return Err(err("has a `...` gap, which day references do not allow"));
        }
        // Both ends are word boundaries.
        let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        if !alnum(first.chars().next()) || !alnum(last.chars().last()) {
            return Err(err("must begin and end with a letter or digit"));
        }
        out.push(words);
    }
    Ok(out)
}
