//! The `noticelint` command line: parses arguments into a plan, runs one mode, maps the
//! outcome to an exit code (SPEC §6). Analysis lives in the library; this only presents.

mod check;
mod cli;
mod config;
mod eval;
mod facts;
mod html;
mod human;
mod info;
mod jsonl;
mod output;
mod progress;
mod sarif;
mod scan;
mod serve;
mod summary_table;

use std::io::ErrorKind;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Scan(args) => scan::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Check(args) => check::run(args),
        Command::Explain(args) => info::explain(args),
        Command::Rules(args) => info::rules(args),
        Command::Config(args) => info::config(args),
    };
    match result {
        Ok(code) => code,
        // A reader that went away (`noticelint scan corpora | head -1`) is not an error.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("noticelint: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The error is (or wraps) a write to a pipe whose reader has gone.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == ErrorKind::BrokenPipe)
            || cause.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind) == Some(ErrorKind::BrokenPipe)
    })
}

/// Every report is built from many small strings (evidence text, rule ids) and freed whole;
/// mimalloc's per-thread free lists make that about an eighth cheaper in CPU time than glibc's
/// malloc (docs/benchmarks.md). Built without transparent huge pages, which would more than
/// double peak RSS.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
