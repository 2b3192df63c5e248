//! The pipeline: normalized text → sentences and sections → one matcher pass → status by
//! scope → findings → report. Pure: same input, same report; nothing printed.

use std::sync::Arc;

use crate::document::Document;
use crate::flags::{self, FlagSettings};
use crate::metrics;
use crate::normalize::Normalized;
use crate::profile::{Observed, Outcome};
use crate::report::{DataTypeFinding, DocumentInfo, Elements, Evidence, HedgeFinding, LineIndex, Report, SCHEMA};
use crate::rules::{Hit, RuleSet, Target};
use crate::scope;
use crate::segment::{Segments, segment};
use crate::taxonomy::{CONTACT_KINDS, Concern, DATA_TYPES, ELEMENTS, Status};

/// Settings that change what a report contains.
#[derive(Debug, Clone)]
pub struct Options {
    /// At most this many evidence spans per data type or disclosure.
    pub max_evidence: usize,
    pub flags: FlagSettings,
}

impl Default for Options {
    fn default() -> Self {
        Options { max_evidence: 8, flags: FlagSettings::default() }
    }
}

/// Buffers a worker reuses from one document to the next.
#[derive(Debug, Default)]
pub struct Scratch {
    hits: Vec<Hit>,
}

/// Analyzes one document.
pub fn analyze(doc: &Document, rules: &RuleSet, options: &Options) -> Report {
    analyze_with(doc, rules, options, &mut Scratch::default())
}

/// The text after normalization and segmentation, for stages that need more than the report.
pub struct Prepared {
    pub normalized: Normalized,
    pub segments: Segments,
}

/// [`analyze`] reusing `scratch`'s buffers.
pub fn analyze_with(doc: &Document, rules: &RuleSet, options: &Options, scratch: &mut Scratch) -> Report {
    run(doc, rules, options, scratch, false).report
}

/// A report with what front ends such as `check` show beside it.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub report: Report,
    /// The profile's requirements, checked (empty without a profile).
    pub profile: Vec<Outcome>,
    /// The sentences (not headings), as byte ranges of the document's text.
    pub sentences: Vec<std::ops::Range<usize>>,
}

/// [`analyze_with`], keeping the profile check and the sentences.
pub fn analyze_detailed(doc: &Document, rules: &RuleSet, options: &Options, scratch: &mut Scratch) -> Analysis {
    run(doc, rules, options, scratch, true)
}

/// The pipeline; `detailed` keeps the sentences for [`Analysis`] (a batch scan does not need them).
fn run(doc: &Document, rules: &RuleSet, options: &Options, scratch: &mut Scratch, detailed: bool) -> Analysis {
    let normalized = Normalized::new(&doc.text);
    let segments = segment(&normalized.text, &rules.text);
    rules.matcher.scan(&normalized.text, &mut scratch.hits);
    let prepared = Prepared { normalized, segments };
    let lines = LineIndex::new(&doc.text);
    let mut findings = Findings::new(options.max_evidence);
    collect(&prepared, &scratch.hits, rules, &lines, options.flags.profile.is_some(), &mut findings);

    findings.infer_exfiltration();
    let text = &prepared.normalized.text;
    let metrics = metrics::measure(text, prepared.segments.sentences.iter().filter(|s| !s.heading).map(|s| s.range.clone()));
    let headings = headings(&prepared, &lines);
    // Every heading line, for the profile's checks only.
    let heading_lines: Vec<Evidence> = match options.flags.profile {
        None => Vec::new(),
        Some(_) => prepared
            .segments
            .sentences
            .iter()
            .filter(|s| s.heading)
            .map(|s| {
                let orig = prepared.normalized.to_original(s.range.clone());
                lines.evidence(orig.start, orig.end, None)
            })
            .collect(),
    };
    let mut elements = findings.take_elements();
    dates_into(&prepared, rules, &lines, &mut elements);
    for &(kind, ref evidence) in &headings {
        if let Some(element) = elements.get_mut(kind) {
            element.present = true;
            element.evidence.insert(0, evidence.clone());
        }
    }
    let data_types = findings.data_types();
    // Naming the types of information involved is the element, heading or not.
    if let Some(named) = data_types.iter().find(|t| t.status.is_involved()) {
        elements.information_involved.present = true;
        elements.information_involved.evidence.extend(named.evidence.first().cloned());
    }
    let mut report = Report {
        schema: SCHEMA.to_owned(),
        document: DocumentInfo { id: doc.id.clone(), path: doc.path.clone(), format: doc.format.to_owned(), bytes: doc.bytes },
        warnings: doc.warnings.clone(),
        data_types,
        hedges: findings.hedges,
        disclosures: findings.disclosures,
        elements,
        metrics,
        flags: Vec::new(),
    };
    let seen = Observed { headings: &heading_lines, fired: &findings.fired };
    let profile = options.flags.profile.as_ref().map(|p| p.evaluate(&report, &seen)).unwrap_or_default();
    let context = flags::Context { facts: doc.facts.as_ref(), vague: &findings.vague, headings: &headings, profile: &profile };
    report.flags = flags::evaluate(&report, &context, rules, &options.flags);
    let sentences = match detailed {
        false => Vec::new(),
        true => {
            prepared.segments.sentences.iter().filter(|s| !s.heading).map(|s| prepared.normalized.to_original(s.range.clone())).collect()
        }
    };
    Analysis { report, profile, sentences }
}

/// The breach, discovery and notice dates the notice states.
fn dates_into(prepared: &Prepared, rules: &RuleSet, lines: &LineIndex, elements: &mut Elements) {
    let sentences: Vec<std::ops::Range<usize>> = prepared.segments.sentences.iter().map(|s| s.range.clone()).collect();
    let found = crate::dates::extract::extract(&prepared.normalized.text, &sentences, &rules.dates);
    for (id, value) in [("breach_date", found.breach), ("discovery_date", found.discovery), ("notice_date", found.notice)] {
        let (Some(value), Some(element)) = (value, elements.get_mut(id)) else { continue };
        let orig = prepared.normalized.to_original(value.evidence);
        element.present = true;
        element.value = Some(value.value);
        element.end = value.end;
        element.evidence = vec![lines.evidence(orig.start, orig.end, None)];
    }
}

/// The headings of known sections, by kind, as evidence in the original text.
fn headings<'a>(prepared: &'a Prepared, lines: &LineIndex) -> Vec<(&'a str, Evidence)> {
    prepared
        .segments
        .sections
        .iter()
        .filter_map(|s| {
            let (kind, range) = (s.kind.as_ref()?, s.heading.clone()?);
            let orig = prepared.normalized.to_original(range);
            Some((kind.as_str(), lines.evidence(orig.start, orig.end, None)))
        })
        .collect()
}

/// Walks the sentences with their hits and records what each rule finds; `fired` also
/// keeps each rule's first match (a profile's checks need it).
fn collect(prepared: &Prepared, hits: &[Hit], rules: &RuleSet, lines: &LineIndex, fired: bool, out: &mut Findings) {
    let text = &prepared.normalized.text;
    let mut next = 0;
    for sentence in &prepared.segments.sentences {
        // Headings state nothing. A question ("Are my name and address affected?") names
        // data types weakly: they count only if no statement elsewhere mentions them.
        // Closing quotes and brackets are ASCII: stepped back over as bytes.
        let bytes = &text.as_bytes()[sentence.range.clone()];
        let last = bytes.iter().rposition(|b| !matches!(b, b'"' | b'\'' | b')'));
        let question = last.is_some_and(|i| bytes[i] == b'?');
        while next < hits.len() && hits[next].start < sentence.range.start {
            next += 1;
        }
        let begin = next;
        while next < hits.len() && hits[next].start < sentence.range.end {
            next += 1;
        }
        let in_sentence = &hits[begin..next];
        for hit in in_sentence {
            let Target::Rule(r) = hit.target else { continue };
            let rule = &rules.rules[r as usize];
            if sentence.heading || question && rule.concern != Concern::DataType {
                continue;
            }
            if rule.needs_near && !scope::has_near(text, hit, r, rule, in_sentence, rules) {
                continue;
            }
            // Evidence is built (offsets mapped back, text copied, line and column counted)
            // only once a finding keeps it: most hits repeat what is already recorded.
            let span = |range: std::ops::Range<usize>| Span { range, normalized: &prepared.normalized, rule: &rule.id, lines };
            if fired && !out.fired.iter().any(|(id, _)| **id == *rule.id) {
                out.fired.push((rule.id.to_string(), span(hit.start..hit.end).evidence()));
            }
            match rule.concern {
                Concern::Hedge => out.hedge(&rule.category, span(sentence.range.clone())),
                Concern::Signal => out.signal(rule.slot, rule.kind_rank, span(hit.start..hit.end)),
                Concern::DataType | Concern::Disclosure => {
                    if let Some(status) = scope::judge(text, hit, in_sentence, rules, rule.concern, rule.default_status) {
                        let status = if question { Status::Possible } else { status };
                        out.mention(rule.concern, rule.slot, status, span(hit.start..hit.end), question);
                    }
                }
            }
        }
    }
}

/// A rule's match in the normalized text, before it becomes [`Evidence`]; mapped to the
/// original text only once a finding looks at it (most hits repeat what is recorded).
struct Span<'a> {
    range: std::ops::Range<usize>,
    normalized: &'a Normalized,
    rule: &'a Arc<str>,
    lines: &'a LineIndex<'a>,
}

impl<'a> Span<'a> {
    /// The span in the original text.
    fn original(&self) -> Original<'a> {
        let orig = self.normalized.to_original(self.range.clone());
        Original { start: orig.start, end: orig.end, rule: self.rule, lines: self.lines }
    }

    fn evidence(&self) -> Evidence {
        self.original().evidence()
    }
}

/// A [`Span`] in the original text.
struct Original<'a> {
    start: usize,
    end: usize,
    rule: &'a Arc<str>,
    lines: &'a LineIndex<'a>,
}

impl Original<'_> {
    fn evidence(&self) -> Evidence {
        self.lines.evidence(self.start, self.end, Some(self.rule))
    }

    /// The same evidence as `e` (the same span, so the same text and position, and rule).
    fn is(&self, e: &Evidence) -> bool {
        e.start == self.start && e.end == self.end && e.rule.as_deref() == Some(&**self.rule)
    }
}

/// Findings as they accumulate; the strongest status of a thing wins.
struct Findings {
    max_evidence: usize,
    types: Vec<(Status, Vec<Evidence>)>,
    /// Data types named only in questions.
    asked: Vec<(Status, Vec<Evidence>)>,
    hedges: Vec<HedgeFinding>,
    disclosures: crate::report::Disclosures,
    vague: Vec<Evidence>,
    elements: Elements,
    /// The contact kinds each element's matches gave, as bits of [`CONTACT_KINDS`] positions.
    kinds: [u32; ELEMENTS.len()],
    /// The first match of each rule that fired (data types and disclosures: whatever status).
    fired: Vec<(String, Evidence)>,
}

impl Findings {
    fn new(max_evidence: usize) -> Findings {
        Findings {
            max_evidence,
            types: std::iter::repeat_with(|| (Status::Absent, Vec::new())).take(DATA_TYPES.len()).collect(),
            asked: std::iter::repeat_with(|| (Status::Absent, Vec::new())).take(DATA_TYPES.len()).collect(),
            hedges: Vec::new(),
            disclosures: Default::default(),
            vague: Vec::new(),
            elements: Elements::default(),
            kinds: [0; ELEMENTS.len()],
            fired: Vec::new(),
        }
    }

    /// A data type or disclosure at `slot` of its SPEC list.
    fn mention(&mut self, concern: Concern, slot: usize, status: Status, span: Span, asked: bool) {
        let (current, list) = match concern {
            Concern::DataType => {
                let (s, e) = if asked { &mut self.asked[slot] } else { &mut self.types[slot] };
                (s, e)
            }
            _ => {
                let Some(d) = self.disclosures.at_mut(slot) else { return };
                (&mut d.status, &mut d.evidence)
            }
        };
        // Evidence shows why the status is what it is: a stronger status replaces it.
        if status > *current {
            *current = status;
            list.clear();
        }
        if status == *current && list.len() < self.max_evidence {
            let span = span.original();
            if !list.iter().any(|e| span.is(e)) {
                list.push(span.evidence());
            }
        }
    }

    /// Data that was published had to be taken first: a notice that says the data was
    /// posted has said it was exfiltrated, even without the word.
    fn infer_exfiltration(&mut self) {
        let d = &mut self.disclosures;
        if d.exfiltration.status == Status::Absent && d.publication.status.is_involved() {
            d.exfiltration = d.publication.clone();
        }
    }

    /// Text that feeds flags and elements rather than the report's findings: `slot` is an
    /// element's position in [`ELEMENTS`], past them `vague_data_types`.
    fn signal(&mut self, slot: usize, kind: Option<usize>, span: Span) {
        if slot == ELEMENTS.len() {
            if self.vague.len() < self.max_evidence {
                self.vague.push(span.evidence());
            }
        } else if let Some(element) = self.elements.at_mut(slot) {
            element.present = true;
            if let Some(kind) = kind {
                self.kinds[slot] |= 1 << kind;
            }
            if element.evidence.len() < self.max_evidence {
                element.evidence.push(span.evidence());
            }
        }
    }

    /// The elements found, with the contact kinds each gave in [`CONTACT_KINDS`] order.
    fn take_elements(&mut self) -> Elements {
        let mut elements = std::mem::take(&mut self.elements);
        for (slot, &kinds) in self.kinds.iter().enumerate().filter(|(_, k)| **k != 0) {
            let element = elements.at_mut(slot).expect("an element slot");
            let given = CONTACT_KINDS.iter().enumerate().filter(|(i, _)| kinds & 1 << i != 0);
            element.kinds = given.map(|(_, k)| (*k).to_owned()).collect();
        }
        elements
    }

    fn hedge(&mut self, category: &str, span: Span) {
        let span = span.original();
        if self.hedges.iter().any(|h| h.start == span.start && h.category == category) {
            return;
        }
        let e = span.evidence();
        self.hedges.push(HedgeFinding {
            category: category.to_owned(),
            rule: span.rule.clone(),
            text: e.text,
            start: e.start,
            end: e.end,
            line: e.line,
            column: e.column,
        });
    }

    fn data_types(&mut self) -> Vec<DataTypeFinding> {
        let asked = std::mem::take(&mut self.asked);
        DATA_TYPES
            .iter()
            .zip(
                std::mem::take(&mut self.types)
                    .into_iter()
                    .zip(asked)
                    .map(|(stated, asked)| if stated.0 == Status::Absent { asked } else { stated }),
            )
            .filter(|(_, (status, _))| *status != Status::Absent)
            .map(|(id, (status, evidence))| DataTypeFinding { id: (*id).to_owned(), status, evidence })
            .collect()
    }
}
