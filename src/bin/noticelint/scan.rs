//! `noticelint scan`: parallel over documents, output in input order, streaming.
//!
//! Inputs are analyzed in batches: a batch is spread over the worker threads (rayon,
//! compiled rules shared read-only, one scratch buffer per worker), then written out in
//! input order before the next batch is read, so memory is bounded by one batch.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use noticelint::analyze::{Options, Scratch, analyze_with};
use noticelint::input::{self, Loaded, ReadOptions, Skipped, Source};
use noticelint::{ReadError, RuleSet};
use rayon::prelude::*;

use crate::cli::{RuleArgs, ScanArgs};
use crate::output::{Printer, Record};

/// Documents per parallel batch.
const BATCH: usize = 256;

pub fn run(args: &ScanArgs) -> Result<ExitCode> {
    let rules = load_rules(&args.rules)?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.jobs.unwrap_or(0)).build().context("cannot start worker threads")?;
    let mut options = Options::default();
    options.flags.late_notice_days = args.facts.late_notice_days;
    let facts = crate::facts::GivenFacts::load(&args.facts)?;
    let job = Job { pool, rules, options, facts, read: ReadOptions { max_bytes: args.max_bytes } };
    let stdout = std::io::stdout();
    let mut sink = Sink {
        out: std::io::BufWriter::new(stdout.lock()),
        ids: Vec::new(),
        printer: Printer::new(args.format),
        read: 0,
        failed: Vec::new(),
    };

    let (sources, skipped) = input::discover_all(&args.paths);
    let mut files = Vec::new();
    for source in sources {
        if source == Source::Stdin {
            job.files(std::mem::take(&mut files), &mut sink)?;
            job.stdin(&mut sink)?;
            continue;
        }
        files.push(source);
        if files.len() == BATCH {
            job.files(std::mem::take(&mut files), &mut sink)?;
        }
    }
    job.files(files, &mut sink)?;
    sink.printer.finish(&mut sink.out)?;
    sink.out.flush()?;
    if !args.quiet {
        eprintln!("{}", sink.summary(&skipped));
        let reported: Vec<&str> = sink.ids.iter().map(String::as_str).collect();
        for line in job.facts.unmatched(&reported).into_iter().chain(crate::facts::orphans(&args.paths)) {
            eprintln!("  {line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads the rule packs the arguments name, or the built-in ones.
pub fn load_rules(args: &RuleArgs) -> Result<RuleSet> {
    Ok(match &args.rules {
        Some(dir) => RuleSet::from_dir(dir)?,
        None => RuleSet::builtin()?,
    })
}

struct Job {
    pool: rayon::ThreadPool,
    rules: RuleSet,
    options: Options,
    facts: crate::facts::GivenFacts,
    read: ReadOptions,
}

impl Job {
    fn record(&self, loaded: Loaded, scratch: &mut Scratch) -> Record {
        match loaded {
            Loaded::Document(mut doc) => {
                self.facts.attach(&mut doc);
                Record::Report(Box::new(analyze_with(&doc, &self.rules, &self.options, scratch)))
            }
            Loaded::Failed(e) => Record::Error(e),
        }
    }

    fn files(&self, batch: Vec<Source>, sink: &mut Sink<impl Write>) -> Result<()> {
        let records: Vec<Vec<Record>> = self.pool.install(|| {
            batch
                .par_iter()
                .map_init(Scratch::default, |scratch, source| {
                    input::load_with(source, &self.read).into_iter().map(|l| self.record(l, scratch)).collect()
                })
                .collect()
        });
        sink.emit(records.into_iter().flatten())
    }

    /// JSONL on stdin, `BATCH` lines at a time; a line over the size limit is passed over
    /// without being held and yields a `too_large` record.
    fn stdin(&self, sink: &mut Sink<impl Write>) -> Result<()> {
        let stdin = std::io::stdin();
        let mut reader = stdin.lock();
        let mut lineno = 0;
        let mut buf = Vec::new();
        loop {
            let mut batch: Vec<(usize, Result<Vec<u8>, ReadError>)> = Vec::new();
            while batch.len() < BATCH {
                lineno += 1;
                match input::read_line_bounded(&mut reader, &mut buf, self.read.max_bytes) {
                    Ok(None) => break,
                    Ok(Some((_, true))) if buf.iter().all(u8::is_ascii_whitespace) => {}
                    Ok(Some((_, true))) => batch.push((lineno, Ok(std::mem::take(&mut buf)))),
                    Ok(Some((len, false))) => {
                        let message =
                            format!("-:{lineno}: the line is {len} bytes, over the per-document limit of {} bytes", self.read.max_bytes);
                        batch.push((lineno, Err(ReadError::new("too_large", message))));
                    }
                    Err(e) => {
                        batch.push((lineno, Err(ReadError::new("io", format!("-:{lineno}: {e}")))));
                        break;
                    }
                }
            }
            if batch.is_empty() {
                return Ok(());
            }
            let records: Vec<Record> = self.pool.install(|| {
                batch
                    .par_iter()
                    .map_init(Scratch::default, |scratch, (i, line)| {
                        let loaded = match line {
                            Ok(l) => input::jsonl_line(l, "-", *i, None),
                            Err(e) => input::failed(&format!("-:{i}"), None, "jsonl", 0, e),
                        };
                        self.record(loaded, scratch)
                    })
                    .collect()
            });
            let stop = records.len() < BATCH;
            sink.emit(records)?;
            if stop {
                return Ok(());
            }
        }
    }
}

/// Where records go, and what the run did.
struct Sink<W: Write> {
    out: W,
    /// Ids of the documents reported, to match facts against.
    ids: Vec<String>,
    printer: Printer,
    read: usize,
    /// (document id, error kind, message) per input that could not be read.
    failed: Vec<(String, String, String)>,
}

impl<W: Write> Sink<W> {
    fn emit(&mut self, records: impl IntoIterator<Item = Record>) -> Result<()> {
        for r in records {
            match &r {
                Record::Report(report) => {
                    self.read += 1;
                    self.ids.push(report.document.id.clone());
                }
                Record::Error(e) => self.failed.push((e.document.id.clone(), e.error.kind.clone(), e.error.message.clone())),
            }
            self.printer.record(&mut self.out, &r)?;
        }
        Ok(())
    }

    /// For people: read / skipped (why) / failed (why), then each failure.
    fn summary(&self, skipped: &[Skipped]) -> String {
        let mut skip_why: BTreeMap<&str, usize> = BTreeMap::new();
        for s in skipped {
            *skip_why.entry(s.reason.as_str()).or_default() += 1;
        }
        let mut fail_why: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, kind, _) in &self.failed {
            *fail_why.entry(kind).or_default() += 1;
        }
        let why = |m: &BTreeMap<&str, usize>| {
            if m.is_empty() {
                String::new()
            } else {
                format!(" ({})", m.iter().map(|(k, n)| format!("{k}: {n}")).collect::<Vec<_>>().join(", "))
            }
        };
        let mut s = format!(
            "noticelint: {} read, {} skipped{}, {} failed{}",
            self.read,
            skipped.len(),
            why(&skip_why),
            self.failed.len(),
            why(&fail_why)
        );
        for (id, kind, message) in &self.failed {
            s.push_str(&format!("\n  failed {id}: {kind}: {message}"));
        }
        s
    }
}
