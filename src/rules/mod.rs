//! Rule packs: loading, validation and the compiled rule set.
//!
//! Packs are TOML files under `rules/` (format: `rules/README.md`). The default packs are
//! compiled into the binary; [`RuleSet::from_dir`] replaces them. Loading checks every
//! rule and reports the first problem with its file, line and rule id.

mod headings;
mod matcher;
pub mod pack;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

pub use matcher::{Hit, Matcher, Target, ascii_boundaries};
pub use pack::Severity;
use pack::{CueDef, CueKind, Direction, Example, PackFile, ProfileDef, RuleDef};

use crate::profile::Profile;

use crate::taxonomy::{Concern, Status, concern_of};

/// The packs built into the binary, as (file name, contents).
pub const BUILTIN_PACKS: &[(&str, &str)] = &[
    ("data-types.toml", include_str!("../../rules/data-types.toml")),
    ("hedges.toml", include_str!("../../rules/hedges.toml")),
    ("disclosures.toml", include_str!("../../rules/disclosures.toml")),
    ("cues.toml", include_str!("../../rules/cues.toml")),
    ("text.toml", include_str!("../../rules/text.toml")),
    ("flags.toml", include_str!("../../rules/flags.toml")),
    ("dates.toml", include_str!("../../rules/dates.toml")),
    ("elements.toml", include_str!("../../rules/elements.toml")),
    ("profiles.toml", include_str!("../../rules/profiles.toml")),
    ("check.toml", include_str!("../../rules/check.toml")),
];

/// A compiled detection rule.
#[derive(Debug)]
pub struct Rule {
    /// Shared with the evidence of every report that names the rule.
    pub id: Arc<str>,
    pub category: String,
    pub concern: Concern,
    /// The category's place in its SPEC list ([`crate::taxonomy::slot_of`]).
    pub slot: usize,
    pub default_status: Status,
    /// True when a trigger needs a `near` phrase in the same sentence.
    pub needs_near: bool,
    /// The near phrase must follow the trigger in the same clause.
    pub near_after: bool,
    /// Word limit between trigger and near phrase.
    pub near_within: Option<usize>,
    pub message: String,
    pub suggestion: Option<String>,
    pub explanation: Option<String>,
    /// How `check` reports a match: hedges are warnings, other rules feed the report (`info`).
    pub severity: Severity,
    /// For `element.contact` rules: the contact kind a match gives.
    pub kind: Option<String>,
    /// `kind`'s position in [`crate::taxonomy::CONTACT_KINDS`], the order reports list kinds in.
    pub kind_rank: Option<usize>,
    pub examples: Vec<Example>,
    pub counterexamples: Vec<String>,
    /// Where the rule was defined, for messages.
    pub origin: String,
}

/// A compiled scope cue.
#[derive(Debug)]
pub struct Cue {
    pub id: String,
    pub kind: CueKind,
    pub direction: Direction,
    pub max_words: Option<usize>,
}

/// Heading vocabulary and abbreviations for sentence and section splitting.
#[derive(Debug, Default)]
pub struct TextRules {
    sections: Vec<(String, Vec<String>)>,
    /// As bytes: segmentation lowercases a word on the stack and looks it up as it is.
    abbreviations: HashSet<Box<[u8]>, std::hash::BuildHasherDefault<Fnv>>,
    /// The length of the longest abbreviation: most words before a period are longer and
    /// need no hashing.
    longest_abbreviation: usize,
    /// The heading phrases, indexed once every pack is loaded.
    headings: headings::HeadingIndex,
}

/// FNV-1a: the abbreviation set is looked up at nearly every period, with words of a
/// few bytes, where the default SipHash costs more than the lookup.
#[derive(Debug, Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

impl TextRules {
    /// The section kind of a lowercase heading line, if a pack knows it.
    pub fn section_kind(&self, heading: &str) -> Option<&str> {
        self.section_of(heading)
    }

    /// The section kind of a heading line in any case: the first section with a phrase equal
    /// to the lowercased heading, or with a phrase of several words inside it.
    pub fn section_of(&self, heading: &str) -> Option<&str> {
        if !heading.is_ascii() {
            return self.section_in(&heading.to_lowercase());
        }
        self.section_in(heading)
    }

    fn section_in(&self, heading: &str) -> Option<&str> {
        self.headings.section(heading).map(|i| self.sections[i].0.as_str())
    }

    /// The length in bytes of the longest abbreviation (lowercase, without its final period).
    pub fn longest_abbreviation(&self) -> usize {
        self.longest_abbreviation
    }

    /// True when `word` (lowercase, without its final period) is an abbreviation.
    pub fn is_abbreviation(&self, word: &str) -> bool {
        self.is_abbreviation_bytes(word.as_bytes())
    }

    /// [`TextRules::is_abbreviation`] of a word given as bytes.
    pub fn is_abbreviation_bytes(&self, word: &[u8]) -> bool {
        let start = word.iter().position(|b| !matches!(b, b'(' | b'"' | b'\'')).unwrap_or(word.len());
        let word = &word[start..];
        word.len() <= self.longest_abbreviation && self.abbreviations.contains(word)
    }
}

/// The text of a flag (SPEC §2.5).
#[derive(Debug, Clone)]
pub struct FlagText {
    pub id: String,
    pub severity: String,
    pub message: String,
    pub suggestion: String,
    pub explanation: String,
}

/// The text of a diagnostic that `check` raises beyond rules and flags.
#[derive(Debug, Clone)]
pub struct DiagnosticText {
    pub id: String,
    pub severity: Severity,
    pub message: String,
    pub suggestion: String,
    pub explanation: String,
}

/// Everything the analyzer needs, compiled once and shared read-only.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub dates: crate::dates::extract::DateCues,
    pub flags: Vec<FlagText>,
    pub cues: Vec<Cue>,
    pub text: TextRules,
    pub matcher: Matcher,
    pub profiles: Vec<Profile>,
    pub diagnostics: Vec<DiagnosticText>,
}

/// A rule pack that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub file: String,
    pub line: Option<usize>,
    pub rule: Option<String>,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(rule) = &self.rule {
            write!(f, ": rule `{rule}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for RuleError {}

impl RuleSet {
    /// The literal phrases of all packs, as one automaton holds them (see [`Matcher::phrases`]).
    pub fn phrases(&self) -> &[String] {
        self.matcher.phrases()
    }

    /// The packs compiled into the binary.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        RuleSet::from_sources(BUILTIN_PACKS.iter().map(|(name, src)| (format!("rules/{name}"), (*src).to_owned())))
    }

    /// Every `*.toml` in `dir` (sorted by name), replacing the built-in packs.
    pub fn from_dir(dir: &Path) -> Result<RuleSet, RuleError> {
        let io_err = |e: std::io::Error| RuleError { file: dir.display().to_string(), line: None, rule: None, message: e.to_string() };
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(io_err)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        if paths.is_empty() {
            return Err(RuleError { file: dir.display().to_string(), line: None, rule: None, message: "no *.toml rule packs here".into() });
        }
        let mut sources = Vec::new();
        for p in paths {
            let src = std::fs::read_to_string(&p).map_err(|e| RuleError {
                file: p.display().to_string(),
                line: None,
                rule: None,
                message: e.to_string(),
            })?;
            sources.push((p.display().to_string(), src));
        }
        RuleSet::from_sources(sources)
    }

    /// Compiles packs given as (file name, TOML source).
    pub fn from_sources(sources: impl IntoIterator<Item = (String, String)>) -> Result<RuleSet, RuleError> {
        let mut builder = matcher::Builder::default();
        let mut rules = Vec::new();
        let mut cues = Vec::new();
        let mut text = TextRules::default();
        let mut flags: Vec<FlagText> = Vec::new();
        let mut dates: Option<(crate::dates::extract::DateCues, String)> = None;
        let mut ids: HashMap<String, String> = HashMap::new();
        let mut profile_defs: Vec<(ProfileDef, String, String)> = Vec::new();
        let mut diagnostics: Vec<DiagnosticText> = Vec::new();
        for (file, src) in sources {
            let pack: PackFile = toml::from_str(&src).map_err(|e| RuleError {
                file: file.clone(),
                line: e.span().map(|s| line_of(&src, s.start)),
                rule: e.span().and_then(|s| enclosing_id(&src, s.start)),
                message: e.message().to_owned(),
            })?;
            let at = |span: std::ops::Range<usize>, rule: &str, message: String| RuleError {
                file: file.clone(),
                line: Some(line_of(&src, span.start)),
                rule: Some(rule.to_owned()),
                message,
            };
            for def in pack.rule {
                let span = def.id.span();
                let id = def.id.get_ref().clone();
                let origin = format!("{file}:{}", line_of(&src, span.start));
                if let Some(first) = ids.insert(id.clone(), origin.clone()) {
                    return Err(at(span, &id, format!("duplicate rule id (first defined at {first})")));
                }
                let index = rules.len();
                let rule = compile_rule(def, origin, index, &mut builder).map_err(|m| at(span, &id, m))?;
                rules.push(rule);
            }
            for def in pack.cue {
                let span = def.id.span();
                let id = def.id.get_ref().clone();
                if let Some(first) = ids.insert(id.clone(), format!("{file}:{}", line_of(&src, span.start))) {
                    return Err(at(span, &id, format!("duplicate rule id (first defined at {first})")));
                }
                let index = cues.len();
                let cue = compile_cue(def, index, &mut builder).map_err(|m| at(span, &id, m))?;
                cues.push(cue);
            }
            for s in pack.section {
                let kind = s.kind.get_ref().clone();
                if s.headings.iter().any(|h| h.trim().is_empty()) {
                    return Err(at(s.kind.span(), &kind, "empty heading phrase".into()));
                }
                text.sections.push((kind, s.headings.iter().map(|h| h.to_lowercase()).collect()));
            }
            if let Some(cues) = pack.dates {
                if let Some((_, first)) = &dates {
                    return Err(RuleError {
                        file: file.clone(),
                        line: None,
                        rule: None,
                        message: format!("a second [dates] table (the first is in {first})"),
                    });
                }
                cues.validate().map_err(|e| RuleError {
                    file: file.clone(),
                    line: e.span.map(|s| line_of(&src, s.start)),
                    rule: None,
                    message: e.message,
                })?;
                dates = Some((cues, file.clone()));
            }
            for f in pack.flag {
                let id = f.id.get_ref().clone();
                let Some((_, severity)) = crate::taxonomy::FLAGS.iter().find(|(fid, _)| *fid == id) else {
                    return Err(at(f.id.span(), &id, "unknown flag id (SPEC §2.5 ids)".into()));
                };
                if f.severity != *severity {
                    return Err(at(f.id.span(), &id, format!("severity must be `{severity}` (SPEC §2.5)")));
                }
                if flags.iter().any(|g| g.id == id) {
                    return Err(at(f.id.span(), &id, "duplicate flag definition".into()));
                }
                if f.message.trim().is_empty() {
                    return Err(at(f.id.span(), &id, "empty message".into()));
                }
                flags.push(FlagText { id, severity: f.severity, message: f.message, suggestion: f.suggestion, explanation: f.explanation });
            }
            for d in pack.diagnostic {
                let id = d.id.get_ref().clone();
                if let Some(first) = ids.insert(id.clone(), format!("{file}:{}", line_of(&src, d.id.span().start))) {
                    return Err(at(d.id.span(), &id, format!("duplicate rule id (first defined at {first})")));
                }
                if d.message.trim().is_empty() {
                    return Err(at(d.id.span(), &id, "empty message".into()));
                }
                diagnostics.push(DiagnosticText {
                    id,
                    severity: d.severity,
                    message: d.message,
                    suggestion: d.suggestion,
                    explanation: d.explanation,
                });
            }
            profile_defs.extend(pack.profile.into_iter().map(|p| (p, file.clone(), src.clone())));
            text.abbreviations.extend(pack.abbreviations.iter().map(|a| a.to_lowercase().trim_end_matches('.').as_bytes().into()));
        }
        let missing: Vec<&str> = crate::taxonomy::FLAGS.iter().map(|(id, _)| *id).filter(|id| !flags.iter().any(|f| f.id == *id)).collect();
        if !missing.is_empty() {
            return Err(RuleError {
                file: "rule packs".into(),
                line: None,
                rule: None,
                message: format!("no [[flag]] definition for: {}", missing.join(", ")),
            });
        }
        let Some((dates, _)) = dates else {
            return Err(RuleError {
                file: "rule packs".into(),
                line: None,
                rule: None,
                message: "no [dates] table (see rules/dates.toml)".into(),
            });
        };
        let mut profiles: Vec<Profile> = Vec::new();
        for (def, file, src) in profile_defs {
            let name = def.name.get_ref().clone();
            let err = |span: std::ops::Range<usize>, message: String| RuleError {
                file: file.clone(),
                line: Some(line_of(&src, span.start)),
                rule: Some(format!("profile {name}")),
                message,
            };
            if profiles.iter().any(|p| p.name == name) {
                return Err(err(def.name.span(), "duplicate profile".into()));
            }
            let exists = |id: &str| rules.iter().any(|r: &Rule| *r.id == *id);
            profiles.push(Profile::compile(def, &exists).map_err(|(span, m)| err(span, m))?);
        }
        text.longest_abbreviation = text.abbreviations.iter().map(|a| a.len()).max().unwrap_or(0);
        text.headings = headings::HeadingIndex::new(text.sections.iter().map(|(_, list)| list.as_slice()));
        let cue_kinds: Vec<_> = cues.iter().map(|c: &Cue| c.kind).collect();
        let matcher =
            builder.build(&cue_kinds).map_err(|message| RuleError { file: "rule packs".into(), line: None, rule: None, message })?;
        Ok(RuleSet { rules, dates, flags, cues, text, matcher, profiles, diagnostics })
    }

    /// The text of a SPEC §2.5 flag (every flag has one: loading checks).
    pub fn flag(&self, id: &str) -> Option<&FlagText> {
        self.flags.iter().find(|f| f.id == id)
    }

    /// The profile with this name.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    /// The text of a `check` diagnostic.
    pub fn diagnostic(&self, id: &str) -> Option<&DiagnosticText> {
        self.diagnostics.iter().find(|d| d.id == id)
    }

    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| *r.id == *id)
    }
}

fn compile_rule(def: RuleDef, origin: String, index: usize, b: &mut matcher::Builder) -> Result<Rule, String> {
    let concern = concern_of(&def.category)
        .ok_or_else(|| format!("unknown category `{}` (SPEC §2.1–2.3 ids, `vague_data_types` or `element.<id>`)", def.category))?;
    if def.phrases.is_empty() && def.patterns.is_empty() {
        return Err("a rule needs at least one phrase or pattern".into());
    }
    if def.message.trim().is_empty() {
        return Err("empty message".into());
    }
    match (&def.kind, def.category.as_str()) {
        (Some(k), "element.contact") if !crate::taxonomy::CONTACT_KINDS.contains(&k.as_str()) => {
            return Err(format!("unknown contact kind `{k}` (SPEC §2.4: {})", crate::taxonomy::CONTACT_KINDS.join(", ")));
        }
        (Some(_), c) if c != "element.contact" => return Err("`kind` goes with `category = \"element.contact\"`".into()),
        _ => {}
    }
    let severity = def.severity.unwrap_or(if concern == Concern::Hedge { Severity::Warning } else { Severity::Info });
    let target = Target::Rule(index as u32);
    for p in &def.phrases {
        b.phrase(p, target)?;
    }
    for p in &def.patterns {
        b.pattern(p, target)?;
    }
    for p in &def.near {
        b.phrase(p, Target::Near(index as u32))?;
    }
    for p in &def.exclude {
        b.phrase(p, Target::Exclude(index as u32))?;
    }
    let slot = crate::taxonomy::slot_of(&def.category).ok_or_else(|| format!("unknown category `{}`", def.category))?;
    let kind_rank = def.kind.as_ref().and_then(|k| crate::taxonomy::CONTACT_KINDS.iter().position(|c| c == k));
    Ok(Rule {
        id: def.id.into_inner().into(),
        category: def.category,
        concern,
        slot,
        kind_rank,
        default_status: def.status,
        needs_near: !def.near.is_empty(),
        near_after: def.near_after,
        near_within: def.near_within,
        message: def.message,
        suggestion: def.suggestion,
        explanation: def.explanation,
        severity,
        kind: def.kind,
        examples: def.examples,
        counterexamples: def.counterexamples,
        origin,
    })
}

fn compile_cue(def: CueDef, index: usize, b: &mut matcher::Builder) -> Result<Cue, String> {
    if def.phrases.is_empty() && def.patterns.is_empty() {
        return Err("a cue needs at least one phrase or pattern".into());
    }
    let target = Target::Cue(index as u32);
    for p in &def.phrases {
        b.phrase(p, target)?;
    }
    for p in &def.patterns {
        b.pattern(p, target)?;
    }
    Ok(Cue { id: def.id.into_inner(), kind: def.kind, direction: def.direction, max_words: def.max_words })
}

/// The `id` of the `[[rule]]`, `[[cue]]` or `[[flag]]` table around a byte offset, read
/// from the source text: a table that does not parse has no value to take it from.
fn enclosing_id(src: &str, offset: usize) -> Option<String> {
    let offset = offset.min(src.len());
    let is_header = |l: &str| l.trim_start().starts_with('[');
    let mut start = 0;
    let mut header = None;
    let mut pos = 0;
    for line in src.split_inclusive('\n') {
        if pos > offset {
            break;
        }
        if is_header(line) {
            start = pos;
            header = Some(line.trim());
        }
        pos += line.len();
    }
    if !matches!(header?, "[[rule]]" | "[[cue]]" | "[[flag]]") {
        return None;
    }
    let table = src[start..].split_inclusive('\n').skip(1).take_while(|l| !is_header(l));
    table.filter_map(|l| l.trim().strip_prefix("id")?.trim_start().strip_prefix('=')).find_map(|v| {
        let v = v.trim();
        let q = v.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        Some(v[1..].split(q).next()?.to_owned())
    })
}

/// 1-based line of a byte offset.
fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())].iter().filter(|&&b| b == b'\n').count() + 1
}
