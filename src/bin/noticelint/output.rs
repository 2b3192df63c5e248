//! Printers over reports: JSONL, pretty JSON, and a compact table for a terminal.

use std::io::Write;

use anyhow::Result;
use noticelint::Report;
use noticelint::report::ErrorRecord;
use noticelint::taxonomy::Status;

use crate::cli::ScanFormat;

/// One output record per input document.
pub enum Record {
    Report(Box<Report>),
    Error(ErrorRecord),
}

pub struct Printer {
    format: ScanFormat,
    count: usize,
}

impl Printer {
    pub fn new(format: ScanFormat) -> Printer {
        Printer { format, count: 0 }
    }

    pub fn record(&mut self, out: &mut dyn Write, record: &Record) -> Result<()> {
        match self.format {
            ScanFormat::Jsonl => {
                match record {
                    Record::Report(r) => serde_json::to_writer(&mut *out, r)?,
                    Record::Error(e) => serde_json::to_writer(&mut *out, e)?,
                }
                out.write_all(b"\n")?;
            }
            ScanFormat::Json => {
                out.write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
                match record {
                    Record::Report(r) => serde_json::to_writer_pretty(&mut *out, r)?,
                    Record::Error(e) => serde_json::to_writer_pretty(&mut *out, e)?,
                }
            }
            ScanFormat::Table => {
                if self.count == 0 {
                    writeln!(
                        out,
                        "{:<28} {:<5} {:<5} {:<5} {:<5}  data types (+ involved, - negated) | hedges | flags",
                        "document", "exfil", "ransm", "claim", "publ"
                    )?;
                }
                table_row(out, record)?;
            }
        }
        self.count += 1;
        Ok(())
    }

    pub fn finish(&mut self, out: &mut dyn Write) -> Result<()> {
        if self.format == ScanFormat::Json {
            out.write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        Ok(())
    }
}

fn table_row(out: &mut dyn Write, record: &Record) -> Result<()> {
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
