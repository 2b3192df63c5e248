//! The corpus summary: reports folded into counts an analyst can publish — how many
//! notices name each data type, carry each hedge, disclose each thing, raise each flag —
//! plus every input that was skipped or failed and why, and, where facts are known, the
//! investigator's table (organizations listed on a leak site; of those, notices found,
//! notices that disclose the dump, notices that reassure despite it, listings with no
//! notice).
//!
//! Folding is two steps so a parallel batch can do the heavy part in its workers: a worker
//! turns a report into a small [`Entry`] ([`Entry::analyzed`]), and one place adds the
//! entries, in input order, to a [`Summary`]. Facts arrive with their documents (sidecar
//! files, `Document::facts`) or on their own, for listings no notice was found for
//! ([`Summary::listing_without_notice`]). Nothing here prints; printers are in the binary.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::facts::Facts;
use crate::report::{ErrorRecord, Report};
use crate::taxonomy::{DATA_TYPES, DISCLOSURES, FLAGS, HEDGES, Status};

pub const SCHEMA: &str = "noticelint.summary/1";

const N_TYPES: usize = DATA_TYPES.len();
const N_DISCLOSURES: usize = DISCLOSURES.len();

/// One input's contribution to a summary.
#[derive(Debug, Clone)]
pub enum Entry {
    Analyzed(Box<Digest>),
    Failed(Failure),
}

/// What the summary keeps of one report.
#[derive(Debug, Clone)]
pub struct Digest {
    pub bytes: usize,
    /// Status per SPEC §2.1 data type, in [`DATA_TYPES`] order.
    pub data_types: [Status; N_TYPES],
    /// Bit `i` set: the notice carries hedge [`HEDGES`]`[i]`.
    pub hedges: u32,
    /// Status per SPEC §2.3 disclosure, in [`DISCLOSURES`] order.
    pub disclosures: [Status; N_DISCLOSURES],
    /// Bit `i` set: the report raises flag [`FLAGS`]`[i]`.
    pub flags: u32,
    pub words: usize,
    pub fk_grade: f64,
    /// The leak-site listing the facts record, if any.
    pub listing: Option<Listing>,
}

/// What the facts say about an organization's listing on a leak site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    pub leak_site: String,
    pub published: bool,
}

impl Listing {
    /// The listing the facts describe, when they say the organization was listed.
    pub fn of(id: &str, facts: &Facts) -> Option<Listing> {
        facts.is_listed().then(|| Listing {
            id: id.to_owned(),
            entity: facts.entity.clone(),
            leak_site: facts.leak_site.clone().unwrap_or_else(|| "(unnamed leak site)".into()),
            published: facts.is_published(),
        })
    }
}

/// An input that could not be analyzed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub kind: String,
    pub message: String,
}

/// A file a directory walk passed over, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

impl Entry {
    /// The entry of an analyzed document; `facts` are the document's own.
    pub fn analyzed(report: &Report, facts: Option<&Facts>) -> Entry {
        let mut data_types = [Status::Absent; N_TYPES];
        for t in &report.data_types {
            if let Some(i) = DATA_TYPES.iter().position(|id| *id == t.id) {
                data_types[i] = t.status;
            }
        }
        let hedges = report.hedges.iter().filter_map(|h| HEDGES.iter().position(|c| *c == h.category)).fold(0, |m, i| m | 1 << i);
        let flags = report.flags.iter().filter_map(|f| FLAGS.iter().position(|(id, _)| *id == f.id)).fold(0, |m, i| m | 1 << i);
        let disclosures = std::array::from_fn(|i| report.disclosures.get(DISCLOSURES[i]).map_or(Status::Absent, |d| d.status));
        Entry::Analyzed(Box::new(Digest {
            bytes: report.document.bytes,
            data_types,
            hedges,
            disclosures,
            flags,
            words: report.metrics.words,
            fk_grade: report.metrics.fk_grade,
            listing: facts.and_then(|f| Listing::of(&report.document.id, f)),
        }))
    }

    /// The entry of an input that could not be read.
    pub fn failed(record: &ErrorRecord) -> Entry {
        Entry::Failed(Failure {
            id: record.document.id.clone(),
            path: record.document.path.clone(),
            kind: record.error.kind.clone(),
            message: record.error.message.clone(),
        })
    }
}

/// Counts over a corpus (SPEC ids throughout). Serializes as `--summary` JSON.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub schema: &'static str,
    pub documents: Documents,
    /// Per data type: how many notices give it each status.
    pub data_types: Vec<StatusCount>,
    /// Per hedge category: how many notices carry it.
    pub hedges: Vec<Count>,
    /// Per disclosure: how many notices give it each status.
    pub disclosures: Vec<StatusCount>,
    /// Per flag: how many notices raise it.
    pub flags: Vec<FlagCount>,
    pub metrics: MetricsSummary,
    /// Every input that could not be analyzed, in input order.
    pub failed: Vec<Failure>,
    /// Every file a directory walk passed over.
    pub skipped: Vec<Skipped>,
    /// The leak-site table; empty when no facts record a listing.
    pub investigator: Investigator,
    #[serde(skip)]
    fk_sum: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Documents {
    /// Inputs that yielded a record: `analyzed + failed`.
    pub inputs: usize,
    pub analyzed: usize,
    pub failed: usize,
    pub skipped: usize,
    /// Bytes of the analyzed documents as read.
    pub bytes: u64,
    pub failed_by_kind: BTreeMap<String, usize>,
    pub skipped_by_reason: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusCount {
    pub id: &'static str,
    pub affirmed: usize,
    pub possible: usize,
    pub negated: usize,
    pub absent: usize,
}

impl StatusCount {
    /// Notices that say it is (or may be) involved.
    pub fn involved(&self) -> usize {
        self.affirmed + self.possible
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub id: &'static str,
    pub documents: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct FlagCount {
    pub id: &'static str,
    pub severity: &'static str,
    pub documents: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct MetricsSummary {
    pub words: u64,
    pub mean_words: f64,
    pub mean_fk_grade: f64,
}

/// The investigator's table: one row per leak site, and a total.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Investigator {
    pub by_leak_site: Vec<InvestigatorRow>,
    pub total: InvestigatorRow,
    /// Listings for which no notice was found.
    pub no_notice: Vec<Listing>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InvestigatorRow {
    pub leak_site: String,
    /// Organizations listed on the leak site (with or without a notice).
    pub listed: usize,
    /// Of those, notices found.
    pub notices_found: usize,
    /// Notices that say the data was (or may have been) published.
    pub disclose_dump: usize,
    /// Notices silent on publication.
    pub omit_dump: usize,
    /// Notices that deny publication.
    pub deny_dump: usize,
    /// Notices with a "no evidence of misuse" hedge despite the listing.
    pub reassure_despite_dump: usize,
    /// Listed with no notice found.
    pub no_notice_found: usize,
}

impl Default for Summary {
    fn default() -> Self {
        Summary::new()
    }
}

impl Summary {
    pub fn new() -> Summary {
        let status = |id: &'static str| StatusCount { id, affirmed: 0, possible: 0, negated: 0, absent: 0 };
        Summary {
            schema: SCHEMA,
            documents: Documents::default(),
            data_types: DATA_TYPES.iter().map(|id| status(id)).collect(),
            hedges: HEDGES.iter().map(|id| Count { id, documents: 0 }).collect(),
            disclosures: DISCLOSURES.iter().map(|id| status(id)).collect(),
            flags: FLAGS.iter().map(|(id, severity)| FlagCount { id, severity, documents: 0 }).collect(),
            metrics: MetricsSummary::default(),
            failed: Vec::new(),
            skipped: Vec::new(),
            investigator: Investigator::default(),
            fk_sum: 0.0,
        }
    }

    /// Adds one input's entry.
    pub fn add(&mut self, entry: &Entry) {
        self.documents.inputs += 1;
        match entry {
            Entry::Failed(f) => {
                self.documents.failed += 1;
                *self.documents.failed_by_kind.entry(f.kind.clone()).or_default() += 1;
                self.failed.push(f.clone());
            }
            Entry::Analyzed(d) => {
                self.documents.analyzed += 1;
                self.documents.bytes += d.bytes as u64;
                for (count, status) in self.data_types.iter_mut().zip(d.data_types) {
                    count.add(status);
                }
                for (count, status) in self.disclosures.iter_mut().zip(d.disclosures) {
                    count.add(status);
                }
                for (i, count) in self.hedges.iter_mut().enumerate() {
                    count.documents += (d.hedges >> i & 1) as usize;
                }
                for (i, count) in self.flags.iter_mut().enumerate() {
                    count.documents += (d.flags >> i & 1) as usize;
                }
                self.metrics.words += d.words as u64;
                self.fk_sum += d.fk_grade;
                let n = self.documents.analyzed as f64;
                self.metrics.mean_words = self.metrics.words as f64 / n;
                self.metrics.mean_fk_grade = self.fk_sum / n;
                if let Some(listing) = &d.listing {
                    let publication = d.disclosures[DISCLOSURES.iter().position(|id| *id == "publication").unwrap_or(3)];
                    let misuse = HEDGES.iter().position(|h| *h == "no_evidence_of_misuse").is_some_and(|i| d.hedges >> i & 1 == 1);
                    for row in self.investigator.rows(&listing.leak_site) {
                        row.listed += 1;
                        row.notices_found += 1;
                        row.disclose_dump += publication.is_involved() as usize;
                        row.omit_dump += (publication == Status::Absent) as usize;
                        row.deny_dump += (publication == Status::Negated) as usize;
                        row.reassure_despite_dump += misuse as usize;
                    }
                }
            }
        }
    }

    /// Records a file the walk passed over.
    pub fn skip(&mut self, skipped: Skipped) {
        self.documents.skipped += 1;
        *self.documents.skipped_by_reason.entry(skipped.reason.clone()).or_default() += 1;
        self.skipped.push(skipped);
    }

    /// Records facts about an organization for which no notice was found (a sidecar with
    /// no notice beside it, or a corpus facts row no document joined). Facts that record
    /// no leak-site listing add nothing.
    pub fn listing_without_notice(&mut self, id: &str, facts: &Facts) {
        let Some(listing) = Listing::of(id, facts) else { return };
        for row in self.investigator.rows(&listing.leak_site) {
            row.listed += 1;
            row.no_notice_found += 1;
        }
        self.investigator.no_notice.push(listing);
    }
}

impl StatusCount {
    fn add(&mut self, status: Status) {
        match status {
            Status::Affirmed => self.affirmed += 1,
            Status::Possible => self.possible += 1,
            Status::Negated => self.negated += 1,
            Status::Absent => self.absent += 1,
        }
    }
}

impl Investigator {
    /// True when any facts recorded a listing.
    pub fn is_empty(&self) -> bool {
        self.total.listed == 0
    }

    /// The leak site's row and the total row.
    fn rows(&mut self, leak_site: &str) -> [&mut InvestigatorRow; 2] {
        let i = match self.by_leak_site.binary_search_by(|r| r.leak_site.as_str().cmp(leak_site)) {
            Ok(i) => i,
            Err(i) => {
                self.by_leak_site.insert(i, InvestigatorRow { leak_site: leak_site.to_owned(), ..Default::default() });
                i
            }
        };
        self.total.leak_site = "all".into();
        [&mut self.by_leak_site[i], &mut self.total]
    }
}
