//! `noticelint scan`: parallel over documents, output in input order, streaming.
//!
//! Three roles run at once:
//! - a **reader** thread turns the command-line paths into work items in input order: one
//!   per file, one per line of a JSONL stream (stdin or a `.jsonl` file), so a 10 GB JSONL
//!   file is never held whole;
//! - **workers** (a rayon pool of `--jobs` threads; rules shared read-only, one
//!   [`Scratch`] per worker reused for every document) read, analyze and render each item
//!   into its own buffer, and fold its report into a small summary [`Entry`];
//! - the **writer** (this thread) puts the buffers back in input order, writes them, adds
//!   the entries to the [`Summary`] and draws the progress bar.
//!
//! The reader may run at most [`window`] items ahead of the writer, so memory is bounded by
//! the documents in flight, not by the corpus: a slow document holds back at most that many
//! finished ones. Items travel in chunks of [`CHUNK`] to save wake-ups; a chunk is sent
//! early whenever reading on might block, and the writer flushes whenever it would wait,
//! so a streaming consumer gets each answer as soon as it is ready.

use std::collections::{HashSet, VecDeque};
use std::io::{BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};
use std::sync::{Condvar, Mutex};

use anyhow::{Context, Result};
use noticelint::analyze::{Options, Scratch, analyze_with};
use noticelint::input::{self, Loaded, ReadOptions, Source};
use noticelint::summary::{Entry, Skipped, Summary};
use noticelint::{ReadError, RuleSet};

use crate::cli::{RuleArgs, ScanArgs};
use crate::facts::GivenFacts;
use crate::output::{Printer, Record};
use crate::progress::Progress;

pub fn run(args: &ScanArgs) -> Result<ExitCode> {
    let rules = load_rules(&args.rules)?;
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().context("cannot start worker threads")?;
    let (sources, skipped) = input::discover_all(&args.paths);
    let interactive = !args.quiet && std::io::stderr().is_terminal();
    let progress = if interactive { Progress::start(&sources) } else { Progress::hidden() };
    let printer = Printer::new(args.format);
    let mut options = Options::default();
    options.flags.late_notice_days = args.facts.late_notice_days;
    let facts = GivenFacts::load(&args.facts)?;
    let read = ReadOptions { max_bytes: args.max_bytes };

    let window = window(jobs);
    let (work_tx, work_rx) = sync_channel::<Vec<(usize, Work)>>(jobs * 2);
    let (done_tx, done_rx) = sync_channel::<Vec<Done>>(window);
    let work_rx = Mutex::new(work_rx);
    let permits = Permits::new(window);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut summary = Summary::new();
    // Ids of the documents reported, to find `--facts` rows that matched none.
    let mut reported = matches!(facts, GivenFacts::ById(_)).then(HashSet::new);

    let written = std::thread::scope(|threads| -> Result<usize> {
        let reader = threads.spawn(|| read_inputs(sources, work_tx, &permits, read.max_bytes));
        pool.in_place_scope(|scope| -> Result<usize> {
            for _ in 0..jobs {
                let job = Job { rules: &rules, options: &options, facts: &facts, printer, read };
                let (done_tx, work_rx) = (done_tx.clone(), &work_rx);
                scope.spawn(move |_| job.work(work_rx, done_tx));
            }
            drop(done_tx);
            let result = write_in_order(&done_rx, &mut out, printer, &permits, &mut summary, &progress, &mut reported);
            if result.is_err() {
                // Let the reader and workers run out: stop handing out work.
                permits.close();
                while done_rx.recv().is_ok() {}
            }
            result
        })
        .inspect(|_| reader.join().expect("the reader does not panic"))
    })?;
    printer.finish(&mut out, written)?;
    out.flush()?;
    progress.finish();

    for s in skipped {
        summary.skip(s);
    }
    // Facts with no notice: `--facts` rows no document joined, sidecars alone in a folder.
    let mut no_notice = Vec::new();
    if let Some(reported) = &reported {
        for (id, f) in facts.unmatched_facts(reported) {
            summary.listing_without_notice(id, f);
            no_notice.push(crate::facts::describe(id, f, &f.origin));
        }
    }
    for (id, path) in input::orphan_facts(&args.paths) {
        match noticelint::facts::read_toml(&path) {
            Ok(f) => {
                summary.listing_without_notice(&id, &f);
                no_notice.push(crate::facts::describe(&id, &f, &path.display().to_string()));
            }
            Err(e) => {
                summary.skip(Skipped { path: path.display().to_string(), reason: "unreadable facts".into() });
                no_notice.push(format!("facts with no notice: {id}: unreadable: {e}"));
            }
        }
    }
    if let Some(path) = &args.summary {
        let json = serde_json::to_string_pretty(&summary)?;
        std::fs::write(path, json + "\n").with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.report {
        std::fs::write(path, crate::html::page(&summary)).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if interactive {
        eprint!("{}", crate::summary_table::table(&summary));
    } else if !args.quiet {
        eprintln!("{}", crate::summary_table::one_line(&summary));
        for line in &no_notice {
            eprintln!("  {line}");
        }
    }
    // The process ends here: freeing the compiled rules (their automata and lazy DFA
    // caches, some 13 M instructions) would buy nothing.
    std::mem::forget(rules);
    Ok(ExitCode::SUCCESS)
}

/// Loads the rule packs the arguments name, or the built-in ones.
pub fn load_rules(args: &RuleArgs) -> Result<RuleSet> {
    Ok(match &args.rules {
        Some(dir) => RuleSet::from_dir(dir)?,
        None => RuleSet::builtin()?,
    })
}

/// Items in flight (read but not yet written) at most: two chunks per worker (one being
/// analyzed, one waiting) and two more for the reader and the writer.
fn window(jobs: usize) -> usize {
    CHUNK * (2 * jobs + 2)
}

/// Items handed from the reader to a worker, and back to the writer, at a time. Every
/// hand-off between threads costs a wake-up (a system call); one per document was a
/// measurable share of a scan of short letters, and 32 scaled better to two workers than 8.
const CHUNK: usize = 32;

/// One item of work: exactly one output record each.
enum Work {
    Source(Source),
    Line { name: String, lineno: usize, path: Option<PathBuf>, line: Result<Vec<u8>, ReadError> },
}

/// One finished item: its rendered record and its summary entry.
struct Done {
    seq: usize,
    id: String,
    rendered: Result<Vec<u8>, String>,
    entry: Entry,
}

/// A JSONL input read line by line: its name in error messages, its path, its reader.
type Stream = (String, Option<PathBuf>, BufReader<Box<dyn Read>>);

/// The reader: sources in order, JSONL streams line by line, in chunks of up to [`CHUNK`].
fn read_inputs(sources: Vec<Source>, tx: SyncSender<Vec<(usize, Work)>>, permits: &Permits, max_bytes: u64) {
    let mut out = Chunker { tx, permits, seq: 0, chunk: Vec::with_capacity(CHUNK) };
    for source in sources {
        let stream: Option<Stream> = match &source {
            Source::Stdin => Some(("-".into(), None, BufReader::with_capacity(1 << 16, Box::new(std::io::stdin())))),
            Source::File { path, .. } if input::format_of(path) == "jsonl" => match std::fs::File::open(path) {
                Ok(f) => Some((path.display().to_string(), Some(path.clone()), BufReader::with_capacity(1 << 16, Box::new(f)))),
                Err(_) => None, // the worker reports it when it fails to read the file
            },
            _ => None,
        };
        let Some((name, path, mut reader)) = stream else {
            if !out.push(Work::Source(source)) {
                return;
            }
            continue;
        };
        // A line over the size limit is passed over without being held: it yields a
        // `too_large` record and the stream goes on.
        let mut buf = Vec::new();
        for lineno in 1.. {
            // Reading on may block (a pipe that delivers records as they come): hand over
            // what we have first, so a streaming consumer gets every answer without delay.
            if reader.buffer().is_empty() && !out.flush() {
                return;
            }
            let line = match input::read_line_bounded(&mut reader, &mut buf, max_bytes) {
                Ok(None) => break,
                Ok(Some((_, true))) if buf.iter().all(u8::is_ascii_whitespace) => continue,
                Ok(Some((_, true))) => Ok(std::mem::take(&mut buf)),
                Ok(Some((len, false))) => Err(ReadError::new(
                    "too_large",
                    format!("{name}:{lineno}: the line is {len} bytes, over the per-document limit of {max_bytes} bytes"),
                )),
                Err(e) => Err(ReadError::new("io", format!("{name}:{lineno}: {e}"))),
            };
            let failed = line.as_ref().is_err_and(|e| e.kind == "io");
            if !out.push(Work::Line { name: name.clone(), lineno, path: path.clone(), line }) || failed {
                break;
            }
        }
    }
    out.flush();
}

/// Numbers work items and sends them on in chunks, each item holding a permit.
struct Chunker<'a> {
    tx: SyncSender<Vec<(usize, Work)>>,
    permits: &'a Permits,
    seq: usize,
    chunk: Vec<(usize, Work)>,
}

impl Chunker<'_> {
    /// Adds an item; false once the run is being stopped.
    fn push(&mut self, work: Work) -> bool {
        // Never wait for a permit while holding items back: the writer may be waiting
        // for exactly those.
        let permitted = self.permits.try_acquire() || (self.flush() && self.permits.acquire());
        if !permitted {
            return false;
        }
        self.chunk.push((self.seq, work));
        self.seq += 1;
        self.chunk.len() < CHUNK || self.flush()
    }

    fn flush(&mut self) -> bool {
        self.chunk.is_empty() || self.tx.send(std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK))).is_ok()
    }
}

/// What every worker shares, read-only.
#[derive(Clone, Copy)]
struct Job<'a> {
    rules: &'a RuleSet,
    options: &'a Options,
    facts: &'a GivenFacts,
    printer: Printer,
    read: ReadOptions,
}

impl Job<'_> {
    /// A worker: takes chunks of items until there are none, analyzes and renders each.
    fn work(self, rx: &Mutex<Receiver<Vec<(usize, Work)>>>, tx: SyncSender<Vec<Done>>) {
        let mut scratch = Scratch::default();
        // The size of the last record rendered, to size the next one's buffer.
        let mut size = 0;
        loop {
            let next = rx.lock().expect("no worker panics holding the queue").recv();
            let Ok(chunk) = next else { return };
            let done = chunk.into_iter().map(|(seq, item)| self.one(seq, item, &mut scratch, &mut size)).collect();
            if tx.send(done).is_err() {
                return;
            }
        }
    }

    /// One item. Its record is rendered into a buffer with room for half again the last
    /// one (up to 64 KiB of it), handed over as it is: letters alike in length rarely grow
    /// it, and no copy is made.
    fn one(&self, seq: usize, item: Work, scratch: &mut Scratch, size: &mut usize) -> Done {
        let loaded = match item {
            Work::Source(source) => input::load_with(&source, &self.read).pop().unwrap_or_else(|| no_document(&source)),
            Work::Line { name, lineno, path, line } => match line {
                Ok(l) => input::jsonl_line(&l, &name, lineno, path.as_deref()),
                Err(e) => input::failed(&format!("{name}:{lineno}"), path.as_deref(), "jsonl", 0, &e),
            },
        };
        let mut buf = Vec::with_capacity((*size).min(1 << 16) * 3 / 2);
        let (rendered, entry, id) = match loaded {
            Loaded::Document(mut doc) => {
                self.facts.attach(&mut doc);
                let report = analyze_with(&doc, self.rules, self.options, scratch);
                let entry = Entry::analyzed(&report, doc.facts.as_ref());
                (self.printer.render(&mut buf, &Record::Report(&report)), entry, doc.id)
            }
            Loaded::Failed(e) => (self.printer.render(&mut buf, &Record::Error(&e)), Entry::failed(&e), e.document.id),
        };
        *size = buf.len();
        Done { seq, id, rendered: rendered.map(|()| buf).map_err(|e| format!("{e:#}")), entry }
    }
}

/// A file the reader handed over that held no document (cannot happen for non-JSONL
/// files; kept so that every item still yields a record).
fn no_document(source: &Source) -> Loaded {
    let (id, path) = match source {
        Source::File { path, id, .. } | Source::Unreadable { path, id, .. } => (id.as_str(), Some(path.as_path())),
        Source::Stdin => ("-", None::<&Path>),
    };
    input::failed(id, path, "unknown", 0, &ReadError::new("empty", "no document in this input"))
}

/// The writer: records in input order; returns how many were written.
fn write_in_order(
    rx: &Receiver<Vec<Done>>,
    out: &mut impl Write,
    printer: Printer,
    permits: &Permits,
    summary: &mut Summary,
    progress: &Progress,
    reported: &mut Option<HashSet<String>>,
) -> Result<usize> {
    // Finished items not yet written, by their distance from `next`: the permits keep that
    // under the window, so a ring does (no tree node per item).
    let mut pending: VecDeque<Option<Done>> = VecDeque::new();
    let mut next = 0;
    printer.start(out)?;
    loop {
        let chunk = match rx.try_recv() {
            Ok(chunk) => chunk,
            // Nothing ready: the reader or the workers wait on input. Flush, so a consumer
            // at the other end of a pipe has every finished record now, not at the end.
            Err(TryRecvError::Empty) => {
                out.flush()?;
                match rx.recv() {
                    Ok(chunk) => chunk,
                    Err(_) => break,
                }
            }
            Err(TryRecvError::Disconnected) => break,
        };
        for done in chunk {
            let at = done.seq - next;
            if pending.len() <= at {
                pending.resize_with(at + 1, || None);
            }
            pending[at] = Some(done);
        }
        let before = next;
        while let Some(done) = pending.front_mut().and_then(Option::take) {
            pending.pop_front();
            printer.separator(out, next)?;
            let rendered = done.rendered.map_err(anyhow::Error::msg)?;
            out.write_all(&rendered)?;
            progress.advance(&done.entry);
            summary.add(&done.entry);
            if let Some(ids) = reported {
                ids.insert(done.id);
            }
            next += 1;
        }
        permits.release(next - before);
    }
    Ok(next)
}

/// A counting semaphore: how far the reader may run ahead of the writer.
struct Permits {
    state: Mutex<(usize, bool)>,
    freed: Condvar,
}

impl Permits {
    fn new(n: usize) -> Permits {
        Permits { state: Mutex::new((n, false)), freed: Condvar::new() }
    }

    /// Takes a permit if one is free.
    fn try_acquire(&self) -> bool {
        let mut state = self.state.lock().expect("permits lock");
        let free = state.0 > 0 && !state.1;
        if free {
            state.0 -= 1;
        }
        free
    }

    /// Waits for a permit; false once closed.
    fn acquire(&self) -> bool {
        let mut state = self.state.lock().expect("permits lock");
        while state.0 == 0 && !state.1 {
            state = self.freed.wait(state).expect("permits lock");
        }
        if state.1 {
            return false;
        }
        state.0 -= 1;
        true
    }

    fn release(&self, n: usize) {
        if n > 0 {
            self.state.lock().expect("permits lock").0 += n;
            self.freed.notify_one();
        }
    }

    fn close(&self) {
        self.state.lock().expect("permits lock").1 = true;
        self.freed.notify_all();
    }
}
