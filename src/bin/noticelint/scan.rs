//! `noticelint scan`: parallel over documents, output in input order, streaming.
//!
//! Inputs are analyzed in batches: a batch is spread over the worker threads (rayon,
//! compiled rules shared read-only, one scratch buffer per worker), then written out in
//! input order before the next batch is read, so memory is bounded by one batch.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use noticelint::analyze::{Options, Scratch, analyze_with};
use noticelint::input::{self, Loaded, Source};
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
    let job = Job { pool, rules, options, facts };
    let stdout = std::io::stdout();
    let mut sink = Sink {
        out: std::io::BufWriter::new(stdout.lock()),
        ids: Vec::new(),
        printer: Printer::new(args.format),
        read: 0,
        failed: Vec::new(),
    };

    let mut files = Vec::new();
    for source in input::discover(&args.paths) {
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
        eprintln!("{}", sink.summary());
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
                .map_init(Scratch::default, |scratch, source| input::load(source).into_iter().map(|l| self.record(l, scratch)).collect())
                .collect()
        });
        sink.emit(records.into_iter().flatten())
    }

    /// JSONL on stdin, `BATCH` lines at a time.
    fn stdin(&self, sink: &mut Sink<impl Write>) -> Result<()> {
        let stdin = std::io::stdin();
        let mut lines = stdin.lock().split(b'\n').enumerate();
        loop {
            let batch: Vec<(usize, std::io::Result<Vec<u8>>)> = lines.by_ref().take(BATCH).collect();
            if batch.is_empty() {
                return Ok(());
            }
            let records: Vec<Record> = self.pool.install(|| {
                batch
                    .par_iter()
                    .filter(|(_, line)| !line.as_ref().is_ok_and(|l| l.iter().all(u8::is_ascii_whitespace)))
                    .map_init(Scratch::default, |scratch, (i, line)| {
                        let loaded = match line {
                            Ok(l) => input::jsonl_line(l, "-", i + 1, None),
                            Err(e) => input::failed(&format!("-:{}", i + 1), None, "jsonl", 0, &ReadError::new("io", e.to_string())),
                        };
                        self.record(loaded, scratch)
                    })
                    .collect()
            });
            sink.emit(records)?;
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
    failed: Vec<(String, String)>,
}

impl<W: Write> Sink<W> {
    fn emit(&mut self, records: impl IntoIterator<Item = Record>) -> Result<()> {
        for r in records {
            match &r {
                Record::Report(report) => {
                    self.read += 1;
                    self.ids.push(report.document.id.clone());
                }
                Record::Error(e) => self.failed.push((e.document.id.clone(), format!("{}: {}", e.error.kind, e.error.message))),
            }
            self.printer.record(&mut self.out, &r)?;
        }
        Ok(())
    }

    fn summary(&self) -> String {
        let mut s = format!("noticelint: {} documents analyzed, {} could not be read", self.read, self.failed.len());
        for (id, why) in &self.failed {
            s.push_str(&format!("\n  {id}: {why}"));
        }
        s
    }
}
