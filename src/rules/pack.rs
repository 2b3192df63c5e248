//! The rule-pack file format (`rules/README.md` specifies it field by field).
//!
//! Parsing is strict: unknown keys are errors, and every semantic check (categories, empty
//! phrases, regexes, duplicate ids) reports the file, line and rule id.

use serde::{Deserialize, Serialize};
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
    /// Legal profiles: what a notice must (and must not) contain.
    #[serde(default)]
    pub profile: Vec<ProfileDef>,
    /// Texts of the diagnostics `check` adds beyond rules and flags (readability, profiles).
    #[serde(default)]
    pub diagnostic: Vec<DiagnosticDef>,
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
    /// How `check` reports a match (default: `warning` for hedges, `info` otherwise).
    #[serde(default)]
    pub severity: Option<Severity>,
    /// For `element.contact` rules: the SPEC §2.4 contact kind a match gives.
    #[serde(default)]
    pub kind: Option<String>,
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

/// How a diagnostic is reported. `info` rules feed the report but are not diagnostics.
#[derive(Debug, Deserialize, Serialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Suggestion,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Suggestion => "suggestion",
            Severity::Info => "info",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "suggestion" => Severity::Suggestion,
            "info" => Severity::Info,
            _ => return None,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileDef {
    pub name: Spanned<String>,
    /// The law the profile follows, for people ("45 CFR 164.404(c)").
    pub law: String,
    #[serde(default)]
    pub description: String,
    /// What the notice must contain.
    #[serde(default)]
    pub require: Vec<RequirementDef>,
    /// What the notice must not contain.
    #[serde(default)]
    pub forbid: Vec<RequirementDef>,
}

/// One thing a profile checks. Exactly one of `element`, `title`, `heading`, `rules` says
/// how it is found; `when_data_types` makes it apply only when one of them is involved.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementDef {
    /// The id `missing-element` names: a SPEC §2.4 element id, or a profile's own id.
    pub id: Spanned<String>,
    /// What it is, for people ("toll-free number, email, website or postal address").
    pub label: String,
    /// Present when this SPEC §2.4 element is present.
    #[serde(default)]
    pub element: Option<String>,
    /// For `element = "contact"`: present only with one of these kinds.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Present when a heading line reads exactly this (case-insensitive) before any other text.
    #[serde(default)]
    pub title: Option<String>,
    /// Present when a heading line reads exactly this (case-insensitive, trailing `:?` ignored).
    #[serde(default)]
    pub heading: Option<String>,
    /// Present when one of these detection rules fired.
    #[serde(default)]
    pub rules: Vec<String>,
    #[serde(default)]
    pub when_data_types: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagnosticDef {
    pub id: Spanned<String>,
    pub severity: Severity,
    /// `{placeholders}` are filled in by the code that raises it.
    pub message: String,
    pub suggestion: String,
    pub explanation: String,
}

fn affirmed() -> Status {
    Status::Affirmed
}
