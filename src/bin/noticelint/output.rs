//! Printers over reports: JSONL, pretty JSON, CSV, and a compact table for a terminal.
//!
//! A worker renders each record whole into its own buffer ([`Printer::render`]); the
//! writer adds what goes between and around records ([`Printer::start`],
//! [`Printer::separator`], [`Printer::finish`]) and writes the buffers in input order.

use std::io::Write;

use anyhow::Result;
use noticelint::Report;
use noticelint::report::ErrorRecord;
use noticelint::taxonomy::{DATA_TYPES, DISCLOSURES, Status};

use crate::cli::ScanFormat;

/// One output record per input document.
pub enum Record<'a> {
    Report(&'a Report),
    Error(&'a ErrorRecord),
}

#[derive(Clone, Copy)]
pub struct Printer {
    format: ScanFormat,
}

impl Printer {
    pub fn new(format: ScanFormat) -> Printer {
        Printer { format }
    }

    /// What comes before the first record.
    pub fn start(&self, out: &mut dyn Write) -> Result<()> {
        match self.format {
            ScanFormat::Csv => out.write_all(csv_header().as_bytes())?,
            ScanFormat::Table => writeln!(
                out,
                "{:<28} {:<5} {:<5} {:<5} {:<5}  data types (+ involved, - negated) | hedges | flags",
                "document", "exfil", "ransm", "claim", "publ"
            )?,
            ScanFormat::Jsonl | ScanFormat::Json => {}
        }
        Ok(())
    }

    /// What comes before record number `index` (0-based).
    pub fn separator(&self, out: &mut dyn Write, index: usize) -> Result<()> {
        if self.format == ScanFormat::Json {
            out.write_all(if index == 0 { b"[\n" } else { b",\n" })?;
        }
        Ok(())
    }

    /// One record, whole.
    pub fn render(&self, out: &mut Vec<u8>, record: &Record<'_>) -> Result<()> {
        match self.format {
            ScanFormat::Jsonl => {
                match record {
                    Record::Report(r) => crate::jsonl::write_report(out, r),
                    Record::Error(e) => crate::jsonl::write_error(out, e),
                }
                out.push(b'\n');
            }
            ScanFormat::Json => match record {
                Record::Report(r) => serde_json::to_writer_pretty(&mut *out, r)?,
                Record::Error(e) => serde_json::to_writer_pretty(&mut *out, e)?,
            },
            ScanFormat::Csv => csv_row(out, record)?,
            ScanFormat::Table => table_row(out, record)?,
        }
        Ok(())
    }

    /// What comes after the last of `count` records.
    pub fn finish(&self, out: &mut dyn Write, count: usize) -> Result<()> {
        if self.format == ScanFormat::Json {
            out.write_all(if count == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        Ok(())
    }
}

/// The CSV columns: `id`, `path`, `format`, `bytes`, one `data_type.<id>` per SPEC §2.1
/// id, `hedges` (`;`-joined categories), one `disclosure.<id>` per SPEC §2.3 id, `flags`
/// (`;`-joined ids), `words`, `fk_grade`, `error_kind`, `error_message`.
pub fn csv_columns() -> Vec<String> {
    let mut cols: Vec<String> = ["id", "path", "format", "bytes"].map(String::from).into();
    cols.extend(DATA_TYPES.iter().map(|t| format!("data_type.{t}")));
    cols.push("hedges".into());
    cols.extend(DISCLOSURES.iter().map(|d| format!("disclosure.{d}")));
    cols.extend(["flags", "words", "fk_grade", "error_kind", "error_message"].map(String::from));
    cols
}

fn csv_header() -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(csv_columns()).expect("writing to memory");
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("the header is UTF-8")
}

fn csv_row(out: &mut Vec<u8>, record: &Record<'_>) -> Result<()> {
    let mut row: Vec<String> = Vec::with_capacity(DATA_TYPES.len() + 14);
    match record {
        Record::Report(r) => {
            let d = &r.document;
            row.extend([d.id.clone(), d.path.clone().unwrap_or_default(), d.format.clone(), d.bytes.to_string()]);
            row.extend(
                DATA_TYPES
                    .iter()
                    .map(|t| r.data_types.iter().find(|f| f.id == *t).map_or(Status::Absent, |f| f.status).as_str().to_owned()),
            );
            let mut hedges: Vec<&str> = r.hedges.iter().map(|h| h.category.as_str()).collect();
            hedges.sort_unstable();
            hedges.dedup();
            row.push(hedges.join(";"));
            row.extend(DISCLOSURES.iter().map(|id| r.disclosures.get(id).map_or(Status::Absent, |d| d.status).as_str().to_owned()));
            let mut flags: Vec<&str> = r.flags.iter().map(|f| f.id.as_str()).collect();
            flags.dedup();
            row.push(flags.join(";"));
            row.extend([r.metrics.words.to_string(), format!("{:.1}", r.metrics.fk_grade), String::new(), String::new()]);
        }
        Record::Error(e) => {
            let d = &e.document;
            row.extend([d.id.clone(), d.path.clone().unwrap_or_default(), d.format.clone(), d.bytes.to_string()]);
            row.extend(std::iter::repeat_n(String::new(), DATA_TYPES.len() + 1 + DISCLOSURES.len() + 3));
            row.extend([e.error.kind.clone(), e.error.message.clone()]);
        }
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&row)?;
    w.flush()?;
    Ok(())
}

fn table_row(out: &mut Vec<u8>, record: &Record<'_>) -> Result<()> {
    let r = match record {
        Record::Report(r) => r,
        Record::Error(e) => {
            writeln!(out, "{:<28} error ({}): {}", e.document.id, e.error.kind, e.error.message)?;
            return Ok(());
        }
    };
    let mark = |s: Status| match s {
        Status::Affirmed => "yes",
        Status::Possible => "may",
        Status::Negated => "no",
        Status::Absent => "-",
    };
    let d = &r.disclosures;
    let types: Vec<String> =
        r.data_types.iter().map(|t| format!("{}{}", if t.status == Status::Negated { "-" } else { "+" }, t.id)).collect();
    let mut hedges: Vec<&str> = r.hedges.iter().map(|h| h.category.as_str()).collect();
    hedges.sort_unstable();
    hedges.dedup();
    let flags: Vec<&str> = r.flags.iter().map(|f| f.id.as_str()).collect();
    writeln!(
        out,
        "{:<28} {:<5} {:<5} {:<5} {:<5}  {} | {} | {}",
        r.document.id,
        mark(d.exfiltration.status),
        mark(d.ransomware.status),
        mark(d.threat_actor_claim.status),
        mark(d.publication.status),
        types.join(" "),
        hedges.join(" "),
        flags.join(" ")
    )?;
    Ok(())
}
