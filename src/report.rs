//! The report of SPEC §3: plain data, serialized with serde. Printers format it; nothing
//! here prints.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::taxonomy::Status;

pub const SCHEMA: &str = "noticelint.report/1";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub schema: String,
    pub document: DocumentInfo,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    pub data_types: Vec<DataTypeFinding>,
    pub hedges: Vec<HedgeFinding>,
    pub disclosures: Disclosures,
    pub elements: Elements,
    pub metrics: Metrics,
    pub flags: Vec<Flag>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub format: String,
    pub bytes: usize,
}

/// A span of the document as read, with the rule that found it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    /// Shared with the rule set (a report names the same rules many times over).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Arc<str>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DataTypeFinding {
    pub id: String,
    pub status: Status,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HedgeFinding {
    pub category: String,
    pub rule: Arc<str>,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Disclosure {
    pub status: Status,
    pub evidence: Vec<Evidence>,
}

impl Default for Disclosure {
    fn default() -> Self {
        Disclosure { status: Status::Absent, evidence: Vec::new() }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Disclosures {
    pub exfiltration: Disclosure,
    pub ransomware: Disclosure,
    pub threat_actor_claim: Disclosure,
    pub publication: Disclosure,
}

impl Disclosures {
    /// The disclosure with a SPEC §2.3 id.
    pub fn get(&self, id: &str) -> Option<&Disclosure> {
        match id {
            "exfiltration" => Some(&self.exfiltration),
            "ransomware" => Some(&self.ransomware),
            "threat_actor_claim" => Some(&self.threat_actor_claim),
            "publication" => Some(&self.publication),
            _ => None,
        }
    }

    /// The disclosure with a SPEC §2.3 id, found by its position.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Disclosure> {
        self.at_mut(crate::taxonomy::DISCLOSURES.iter().position(|&d| d == id)?)
    }

    /// The disclosure at position `i` of [`crate::taxonomy::DISCLOSURES`].
    pub fn at_mut(&mut self, i: usize) -> Option<&mut Disclosure> {
        Some(match i {
            0 => &mut self.exfiltration,
            1 => &mut self.ransomware,
            2 => &mut self.threat_actor_claim,
            3 => &mut self.publication,
            _ => return None,
        })
    }
}

/// One element of SPEC §2.4.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Element {
    pub present: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// For `contact`: which kinds of contact the notice gives.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<String>,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Elements {
    pub what_happened: Element,
    pub breach_date: Element,
    pub discovery_date: Element,
    pub notice_date: Element,
    pub information_involved: Element,
    pub entity_actions: Element,
    pub individual_steps: Element,
    pub contact: Element,
    pub credit_monitoring: Element,
    pub regulator_resources: Element,
}

impl Elements {
    /// The element with a SPEC §2.4 id.
    pub fn get(&self, id: &str) -> Option<&Element> {
        Some(match id {
            "what_happened" => &self.what_happened,
            "breach_date" => &self.breach_date,
            "discovery_date" => &self.discovery_date,
            "notice_date" => &self.notice_date,
            "information_involved" => &self.information_involved,
            "entity_actions" => &self.entity_actions,
            "individual_steps" => &self.individual_steps,
            "contact" => &self.contact,
            "credit_monitoring" => &self.credit_monitoring,
            "regulator_resources" => &self.regulator_resources,
            _ => return None,
        })
    }

    /// The element with a SPEC §2.4 id, found by its position.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Element> {
        self.at_mut(crate::taxonomy::ELEMENTS.iter().position(|&e| e == id)?)
    }

    /// The element at position `i` of [`crate::taxonomy::ELEMENTS`].
    pub fn at_mut(&mut self, i: usize) -> Option<&mut Element> {
        Some(match i {
            0 => &mut self.what_happened,
            1 => &mut self.breach_date,
            2 => &mut self.discovery_date,
            3 => &mut self.notice_date,
            4 => &mut self.information_involved,
            5 => &mut self.entity_actions,
            6 => &mut self.individual_steps,
            7 => &mut self.contact,
            8 => &mut self.credit_monitoring,
            9 => &mut self.regulator_resources,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Metrics {
    pub words: usize,
    pub sentences: usize,
    pub fk_grade: f64,
    pub flesch_reading_ease: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flag {
    pub id: String,
    pub severity: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// The record for an input that could not be read (SPEC §3).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorRecord {
    pub schema: String,
    pub document: DocumentInfo,
    pub error: ErrorInfo,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorInfo {
    pub kind: String,
    pub message: String,
}

/// Converts byte offsets of one text into 1-based lines and character columns.
#[derive(Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// The text before this offset is ASCII, so a column there is a byte count.
    ascii_end: usize,
    /// The line of the last lookup: evidence mostly comes in text order, often several
    /// spans to a line, so the next lookup starts there rather than with a search.
    last: std::cell::Cell<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        // Room for lines of 40 bytes on average, so that letters rarely grow the vector.
        let mut starts = Vec::with_capacity(text.len() / 40 + 2);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts, ascii_end: ascii_prefix(text.as_bytes()), last: std::cell::Cell::new(1) }
    }

    /// The 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        let last = self.last.get();
        let starts = &self.starts;
        // Line `l` spans `starts[l - 1]..starts[l]`.
        let line = if starts[last - 1] <= offset && starts.get(last).is_none_or(|&next| offset < next) {
            last
        } else if starts[last - 1] <= offset && starts.get(last + 1).is_none_or(|&next| offset < next) {
            last + 1
        } else {
            starts.partition_point(|&s| s <= offset)
        };
        self.last.set(line);
        line
    }

    /// (line, column) of a byte offset, both 1-based; the column counts characters.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.starts[line - 1];
        // Characters are counted only past the ASCII prefix of the text (a paragraph on
        // one line puts evidence hundreds of bytes from its line start).
        if offset <= self.ascii_end {
            return (line, offset - start + 1);
        }
        let ascii = self.ascii_end.max(start);
        (line, ascii - start + self.text[ascii..offset].chars().count() + 1)
    }

    /// Evidence for a byte range of the original text.
    pub fn evidence(&self, start: usize, end: usize, rule: Option<&Arc<str>>) -> Evidence {
        let (line, column) = self.position(start);
        Evidence { text: self.text[start..end].to_owned(), start, end, line, column, rule: rule.cloned() }
    }
}

/// The length of the ASCII prefix of `bytes`, a block at a time.
fn ascii_prefix(bytes: &[u8]) -> usize {
    let mut done = 0;
    for block in bytes.chunks(64) {
        if !block.is_ascii() {
            return done + block.iter().position(|b| !b.is_ascii()).unwrap_or(0);
        }
        done += block.len();
    }
    done
}

#[cfg(test)]
mod tests {
    use super::{Disclosures, Elements, LineIndex};
    use crate::taxonomy::{DISCLOSURES, ELEMENTS};

    #[test]
    fn positions_follow_the_spec_lists() {
        let (mut elements, mut disclosures) = (Elements::default(), Disclosures::default());
        for (i, id) in ELEMENTS.iter().enumerate() {
            elements.at_mut(i).unwrap().value = Some(id.to_string());
            assert_eq!(elements.get(id).unwrap().value.as_deref(), Some(*id));
        }
        for (i, id) in DISCLOSURES.iter().enumerate() {
            let at: *const super::Disclosure = disclosures.at_mut(i).unwrap();
            let named: *const super::Disclosure = disclosures.get(id).unwrap();
            assert_eq!(at, named, "{id}");
        }
        assert!(elements.at_mut(ELEMENTS.len()).is_none() && disclosures.at_mut(DISCLOSURES.len()).is_none());
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let long = format!("{}\u{e9}\nq r", "z".repeat(130));
        let blocks = format!("{}\n\n{}\u{2019}\n{}\n", "a\nbc ".repeat(40), "d".repeat(63), "\u{e9}\n".repeat(50));
        for text in ["ab\ncd\n\nef", "a\u{e9}b\ncd", "x\n\u{2019}y\u{e9}z w", "abc", "", &long, &blocks] {
            let lines = LineIndex::new(text);
            // In text order, then backwards, then jumping about (the index remembers its last line).
            let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let forward = offsets.clone();
            offsets.extend(forward.iter().rev());
            offsets.extend(forward.iter().step_by(7).chain(forward.iter().rev().step_by(5)));
            for offset in offsets {
                let before = &text[..offset];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
                assert_eq!(lines.position(offset), (line, column), "{text:?} at {offset}");
            }
        }
    }
}
