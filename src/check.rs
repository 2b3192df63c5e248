//! Draft checking: a report turned into diagnostics an editor acts on.
//!
//! [`check`] analyses one draft and lists, as [`Diagnostic`]s: the flags (SPEC §2.5), the
//! hedges whose rules have a severity above `info`, what a profile forbids, and a
//! readability warning. Settings disable rules or change their severity; markers in the
//! draft (`noticelint: ignore RULE-ID`, `<!-- noticelint-disable RULE-ID -->` …
//! `<!-- noticelint-enable RULE-ID -->`) suppress a diagnostic, which is then reported as
//! suppressed rather than dropped. Nothing here prints: the binary's printers present it.

use std::collections::BTreeMap;

use crate::analyze::{Options, Scratch, analyze_detailed};
use crate::document::Document;
use crate::profile::{Outcome, State};
use crate::report::{Evidence, LineIndex, Report};
use crate::rules::{RuleSet, Severity};

/// What a user can change about checking.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Rule, flag and diagnostic ids not to report.
    pub disabled: Vec<String>,
    /// Severity by id, replacing the default (`info` stops reporting it).
    pub severity: BTreeMap<String, Severity>,
    /// `readability.grade` fires above this Flesch-Kincaid grade.
    pub max_grade: f64,
    /// How many of the longest sentences the readability summary lists.
    pub longest: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { disabled: Vec::new(), severity: BTreeMap::new(), max_grade: 10.0, longest: 3 }
    }
}

/// One thing to tell the editor.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// A rule, flag or diagnostic id (`noticelint explain ID` tells more).
    pub id: String,
    pub severity: Severity,
    pub message: String,
    pub suggestion: Option<String>,
    /// Where in the text, if the diagnostic is about a span.
    pub span: Option<Evidence>,
    /// The block of an extracted document ("paragraph 4", "page 2").
    pub locator: Option<String>,
    /// The line of the marker that suppressed it.
    pub suppressed_at: Option<usize>,
}

/// Words, sentences, reading ease and grade, and the longest sentences.
#[derive(Debug, Clone, PartialEq)]
pub struct Readability {
    pub words: usize,
    pub sentences: usize,
    pub flesch_reading_ease: f64,
    pub fk_grade: f64,
    /// (words, sentence), longest first.
    pub longest: Vec<(usize, Evidence)>,
}

/// The outcome of checking one draft.
#[derive(Debug, Clone)]
pub struct Checked {
    pub report: Report,
    /// Reported diagnostics: errors first, then warnings, suggestions; by position within each.
    pub diagnostics: Vec<Diagnostic>,
    /// Diagnostics a marker in the draft suppressed.
    pub suppressed: Vec<Diagnostic>,
    /// The profile's requirements, checked.
    pub checklist: Vec<Outcome>,
    pub readability: Readability,
}

impl Checked {
    /// Diagnostics of one severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }
}

/// A suppression marker found in a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub kind: MarkerKind,
    /// The ids it names; empty means every id.
    pub ids: Vec<String>,
    /// 1-based line of the marker.
    pub line: usize,
    /// For `Ignore`: the next non-blank line, which it covers too.
    pub next_line: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// `noticelint: ignore ID…`: this line and the next non-blank one.
    Ignore,
    /// `noticelint-disable ID…`: from here to a matching `noticelint-enable` or the end.
    Disable,
    Enable,
}

/// Checks one draft.
pub fn check(doc: &Document, rules: &RuleSet, options: &Options, settings: &Settings) -> Checked {
    let mut doc = doc.clone();
    let markers = take_markers(&mut doc.text);
    let analysis = analyze_detailed(&doc, rules, options, &mut Scratch::default());
    // Spans and snippets index the text as the editor wrote it, markers included.
    let report = analysis.report;
    let lines = LineIndex::new(&doc.text);
    let mut longest: Vec<(usize, Evidence)> =
        analysis.sentences.iter().map(|r| (doc.text[r.clone()].split_whitespace().count(), lines.evidence(r.start, r.end, None))).collect();
    longest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.start.cmp(&b.1.start)));
    longest.truncate(settings.longest);
    let m = &report.metrics;
    let readability =
        Readability { words: m.words, sentences: m.sentences, flesch_reading_ease: m.flesch_reading_ease, fk_grade: m.fk_grade, longest };

    let mut all = Vec::new();
    let mut push = |id: &str, severity: Severity, message: String, suggestion: Option<String>, span: Option<Evidence>| {
        all.push(Diagnostic { id: id.to_owned(), severity, message, suggestion, span, locator: None, suppressed_at: None });
    };
    for f in &report.flags {
        let text = rules.flag(&f.id);
        let severity = Severity::parse(&f.severity).unwrap_or(Severity::Warning);
        push(&f.id, severity, f.message.clone(), text.map(|t| t.suggestion.clone()), f.evidence.first().cloned());
    }
    for h in &report.hedges {
        let Some(rule) = rules.rule(&h.rule) else { continue };
        let span =
            Evidence { text: h.text.clone(), start: h.start, end: h.end, line: h.line, column: h.column, rule: Some(h.rule.clone()) };
        push(&h.rule, rule.severity, rule.message.clone(), rule.suggestion.clone(), Some(span));
    }
    let profile = options.flags.profile.as_ref();
    if let (Some(text), Some(profile)) = (rules.diagnostic("forbidden-element"), profile) {
        for o in analysis.profile.iter().filter(|o| o.state == State::Forbidden) {
            let message = fill(&text.message, &[("profile", &profile.name), ("label", &o.label), ("element", &o.id)]);
            push(&text.id, text.severity, message, Some(text.suggestion.clone()), o.evidence.first().cloned());
        }
    }
    if let Some(text) =
        rules.diagnostic("readability.grade").filter(|_| readability.sentences > 0 && readability.fk_grade > settings.max_grade)
    {
        let (grade, limit, ease) = (
            format!("{:.1}", readability.fk_grade),
            format!("{:.1}", settings.max_grade),
            format!("{:.1}", readability.flesch_reading_ease),
        );
        let message = fill(&text.message, &[("grade", &grade), ("limit", &limit), ("ease", &ease)]);
        push(&text.id, text.severity, message, Some(text.suggestion.clone()), readability.longest.first().map(|(_, e)| e.clone()));
    }

    let mut diagnostics = Vec::new();
    let mut suppressed = Vec::new();
    for mut d in all {
        if settings.disabled.contains(&d.id) {
            continue;
        }
        if let Some(&s) = settings.severity.get(&d.id) {
            d.severity = s;
        }
        if d.severity == Severity::Info {
            continue;
        }
        d.locator = d.span.as_ref().and_then(|s| doc.locate(s.start)).map(str::to_owned);
        d.suppressed_at = suppressed_by(&markers, &d);
        if d.suppressed_at.is_some() { suppressed.push(d) } else { diagnostics.push(d) }
    }
    let order = |d: &Diagnostic| (d.severity, d.span.as_ref().map_or(usize::MAX, |s| s.start), d.id.clone());
    diagnostics.sort_by_key(order);
    suppressed.sort_by_key(order);
    Checked { report, diagnostics, suppressed, checklist: analysis.profile, readability }
}

/// Finds suppression markers and blanks their lines (same byte length, so offsets hold)
/// so the analysis does not read them as part of the notice.
pub fn take_markers(text: &mut String) -> Vec<Marker> {
    let mut markers = Vec::new();
    let mut blank = Vec::new();
    let mut offset = 0;
    for (i, line) in text.split('\n').enumerate() {
        let range = offset..offset + line.len();
        offset = range.end + 1;
        if let Some((kind, ids)) = parse_marker(line) {
            markers.push(Marker { kind, ids, line: i + 1, next_line: None });
            blank.push(range);
        } else if !line.trim().is_empty() {
            for m in markers.iter_mut().filter(|m| m.kind == MarkerKind::Ignore && m.next_line.is_none()) {
                m.next_line = Some(i + 1);
            }
        }
    }
    for range in blank {
        // Each character becomes as many spaces as it had bytes.
        let spaces: String =
            text[range.clone()].chars().map(|c| if c == '\r' { "\r".to_owned() } else { " ".repeat(c.len_utf8()) }).collect();
        text.replace_range(range, &spaces);
    }
    markers
}

/// `noticelint: ignore A, B`, `noticelint-disable A`, `noticelint-enable` — alone on a line,
/// bare or inside an HTML or `//` / `#` comment.
fn parse_marker(line: &str) -> Option<(MarkerKind, Vec<String>)> {
    let t = line.trim();
    let t = t.strip_prefix("<!--").map_or(t, |r| r.strip_suffix("-->").unwrap_or(r)).trim();
    let t = t.trim_start_matches(['/', '#']).trim();
    let (kind, rest) = if let Some(r) = t.strip_prefix("noticelint:") {
        (MarkerKind::Ignore, r.trim_start().strip_prefix("ignore")?)
    } else if let Some(r) = t.strip_prefix("noticelint-disable") {
        (MarkerKind::Disable, r)
    } else if let Some(r) = t.strip_prefix("noticelint-enable") {
        (MarkerKind::Enable, r)
    } else {
        return None;
    };
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let ids: Vec<String> = rest.split([',', ' ', '\t']).filter(|s| !s.is_empty()).map(str::to_owned).collect();
    ids.iter().all(|id| id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))).then_some((kind, ids))
}

/// The line of the marker that covers `d`, if one does. A diagnostic without a span (a
/// missing element) is covered by any marker that names its id.
fn suppressed_by(markers: &[Marker], d: &Diagnostic) -> Option<usize> {
    let names = |m: &Marker| m.ids.is_empty() || m.ids.contains(&d.id);
    let Some(span) = &d.span else {
        return markers.iter().find(|m| m.kind != MarkerKind::Enable && !m.ids.is_empty() && names(m)).map(|m| m.line);
    };
    let line = span.line;
    if let Some(m) = markers.iter().find(|m| m.kind == MarkerKind::Ignore && names(m) && (m.line == line || m.next_line == Some(line))) {
        return Some(m.line);
    }
    let mut open = None;
    for m in markers.iter().filter(|m| m.line < line && names(m)) {
        match m.kind {
            MarkerKind::Disable => open = Some(m.line),
            MarkerKind::Enable => open = None,
            MarkerKind::Ignore => {}
        }
    }
    open
}

fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}
