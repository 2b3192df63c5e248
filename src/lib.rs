//! noticelint reads data-breach notification notices and reports what they disclose,
//! how they hedge and what they leave out.
//!
//! The library is the engine: it never prints, never touches a terminal and reads files
//! only where asked to (rule packs, facts). Front ends (the `noticelint` binary's printers,
//! `eval`) are consumers of the [`Report`] value that [`analyze`] returns.
//!
//! The pipeline, one module per stage:
//! [`document`] (decode) → [`normalize`] (offset map) → [`segment`] (sentences, sections) →
//! [`rules`] (one-pass matching) → [`scope`] (negation/uncertainty) → [`analyze`]
//! (findings, elements, flags) → [`report`] (SPEC §3 JSON) → [`summary`] (a corpus's counts).
//!
//! ```
//! use noticelint::{analyze, Document, RuleSet};
//! let rules = RuleSet::builtin().unwrap();
//! let doc = Document::from_text("letter", "The files did not include Social Security numbers.");
//! let report = analyze(&doc, &rules, &Default::default());
//! assert_eq!(report.data_types[0].id, "ssn");
//! assert_eq!(report.data_types[0].status, noticelint::Status::Negated);
//! ```
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod analyze;
pub mod check;
pub mod dates;
pub mod document;
pub mod eval;
pub mod extract;
pub mod facts;
pub mod flags;
pub mod input;
pub mod metrics;
pub mod normalize;
pub mod profile;
pub mod report;
pub mod rules;
pub mod scope;
pub mod segment;
pub mod summary;
pub mod taxonomy;
#[cfg(test)]
mod test_support;

pub use analyze::{Options, analyze};
pub use document::{Document, ReadError};
pub use report::Report;
pub use rules::{RuleError, RuleSet};
pub use taxonomy::Status;
