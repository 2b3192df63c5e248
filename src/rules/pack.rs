//! The rule-pack file format (`rules/README.md` specifies it field by field).
//!
//! Parsing is strict: unknown keys are errors, and every semantic check (categories, empty
//! phrases, regexes, duplicate ids) reports the file, line and rule id.

use serde::Deserialize;
use toml::Spanned;

use crate::taxonomy::Status;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    /// Free text describing the pack.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub rule: Vec<RuleDef>,
    #[serde(default)]
    pub cue: Vec<CueDef>,
    #[serde(default)]
    pub section: Vec<SectionDef>,
    #[serde(default)]
    pub flag: Vec<FlagDef>,
    /// Cues that tell breach, discovery and notice dates apart (one pack defines them).
    #[serde(default)]
    pub dates: Option<crate::dates::extract::DateCues>,
    /// Words whose trailing period does not end a sentence (lowercase, without the final period).
    #[serde(default)]
    pub abbreviations: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: Spanned<String>,
    pub category: String,
    #[serde(default)]
    pub phrases: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
    /// When non-empty, a trigger counts only if one of these occurs in the same sentence.
    #[serde(default)]
    pub near: Vec<String>,
    /// The `near` phrase must follow the trigger within its clause (no terminating cue
    /// between them), as "no evidence … misused" needs; otherwise anywhere in the sentence.
    #[serde(default)]
    pub near_after: bool,
    /// At most this many words between the trigger and the `near` phrase.
    #[serde(default)]
    pub near_within: Option<usize>,
    /// Look-alike phrases that must not count (matched, then discarded).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The status of a match that no cue changes.
    #[serde(default = "affirmed")]
    pub status: Status,
    pub message: String,
    #[serde(default)]
    pub suggestion: Option<String>,
    #[serde(default)]
    pub explanation: Option<String>,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub counterexamples: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    /// The status the rule must give (data types and disclosures); hedges leave it out.
    #[serde(default)]
    pub status: Option<Status>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CueKind {
    /// Says the target is not involved / did not happen.
    Negation,
    /// Makes the target uncertain ("may have").
    Possibility,
    /// Advice or procedure ("never share", "to place a fraud alert"): not a finding at all.
    Advice,
    /// Ends a cue's scope ("but", "however").
    Terminate,
    /// Turns a negation into one about harm ("no evidence ... misused"), not involvement.
    Harm,
    /// Looks like a cue but is not ("not only", "no cost"): matched and discarded.
    Pseudo,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Forward,
    Backward,
    Both,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CueDef {
    pub id: Spanned<String>,
    pub kind: CueKind,
    #[serde(default)]
    pub direction: Direction,
    #[serde(default)]
    pub phrases: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Scope limit in words (default: to the end of the sentence or a terminating cue).
    #[serde(default)]
    pub max_words: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDef {
    /// The section kind (`what_happened`, `information_involved`, …).
    pub kind: Spanned<String>,
    /// Lowercase phrases; a heading line containing one is a heading of this kind.
    pub headings: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagDef {
    /// A SPEC §2.5 flag id.
    pub id: Spanned<String>,
    /// `error` or `warning` (SPEC §2.5 fixes the default; a pack may not change it).
    pub severity: String,
    /// What the flag means for this notice; `{placeholders}` are filled in (rules/README.md).
    pub message: String,
    pub suggestion: String,
    pub explanation: String,
}

fn affirmed() -> Status {
    Status::Affirmed
}
