//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "noticelint", version, about = "Reads data-breach notices: what they disclose, how they hedge, what they leave out")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyze notices (files, directories, or `-` for JSONL on stdin) and print one report per document.
    Scan(ScanArgs),
    /// Score the analysis against gold labels (`*.labels.toml`) in a directory.
    Eval(EvalArgs),
    /// Serve the editors' web page and its JSON API (loopback by default).
    Serve(ServeArgs),
    /// Check drafts before they go out: diagnostics, required elements, readability.
    Check(CheckArgs),
    /// Explain a rule, flag, diagnostic or profile.
    Explain(ExplainArgs),
    /// List the rules, flags and diagnostics (id, category, severity).
    Rules(SettingsArgs),
    /// Print the effective settings (noticelint.toml found upward from here, or --config).
    Config(SettingsArgs),
}

#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Use this configuration file instead of looking for noticelint.toml upward from here.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Use the rule packs (*.toml) in this directory instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Drafts: .txt, .md, .html, .docx, .pdf.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// What is known from outside the notice (SPEC §4, TOML).
    #[arg(long, value_name = "F")]
    pub facts: Option<PathBuf>,
    /// The legal profile whose elements are required (default: the config's, else generic).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Warn when the Flesch-Kincaid grade is above this (default: the config's, else 10).
    #[arg(long, value_name = "GRADE")]
    pub max_grade: Option<f64>,
    #[command(flatten)]
    pub settings: SettingsArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Annotated snippets and a summary, for people.
    Human,
    /// A JSON array of SPEC §3 reports.
    Json,
    /// SARIF 2.1.0, for code-scanning and editor integrations.
    Sarif,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule, flag or diagnostic id (see `noticelint rules`), or a profile name.
    pub id: String,
    #[command(flatten)]
    pub settings: SettingsArgs,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// Use the rule packs (*.toml) in this directory instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files, directories (searched recursively) or `-` for JSONL on stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScanFormat::Jsonl)]
    pub format: ScanFormat,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// No progress or summary on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Write the corpus summary (counts, failures, leak-site table) as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    /// Write the corpus summary as one self-contained HTML page with charts to FILE.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Largest document read, in bytes (suffixes K, M, G: powers of 1024); larger ones
    /// get a `too_large` error record.
    #[arg(long, value_name = "BYTES", default_value = "64M", value_parser = parse_size)]
    pub max_bytes: u64,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub facts: FactsArgs,
}

#[derive(Debug, Args)]
pub struct FactsArgs {
    /// Facts known from outside the notices: a CSV for a corpus (column `id` joins
    /// document ids) or a TOML file for every document given. Overrides sidecar
    /// NAME.facts.toml files.
    #[arg(long, value_name = "FILE")]
    pub facts: Option<PathBuf>,
    /// `late-notice` fires when more days than this separate discovery and notice.
    #[arg(long, value_name = "DAYS", default_value_t = 60)]
    pub late_notice_days: i64,
}

/// `1000`, `512K`, `64M`, `1G` → bytes.
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, shift) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 10),
        Some((i, 'm' | 'M')) => (&t[..i], 20),
        Some((i, 'g' | 'G')) => (&t[..i], 30),
        _ => (t, 0),
    };
    let n: u64 = digits.parse().map_err(|_| format!("`{s}` is not a size (e.g. 1000, 512K, 64M, 1G)"))?;
    n.checked_mul(1 << shift).filter(|&n| n > 0).ok_or_else(|| format!("`{s}` is out of range"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// One SPEC §3 report per line.
    Jsonl,
    /// Pretty-printed JSON array of reports.
    Json,
    /// A compact table for a terminal.
    Table,
    /// One row per document, one column per data type and disclosure (for spreadsheets, pandas).
    Csv,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Directory with NAME.txt and NAME.labels.toml.
    pub dir: PathBuf,
    /// Print each disagreement.
    #[arg(long)]
    pub show_errors: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (the address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8731")]
    pub listen: std::net::SocketAddr,
    /// Largest request body accepted, in bytes (larger: 413).
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_body: usize,
    /// Longest notice text analyzed, in bytes after extraction (longer: 413). Notices are
    /// a few pages; this keeps one request from holding a worker for minutes.
    #[arg(long, value_name = "BYTES", default_value_t = 512 * 1024)]
    pub max_text: usize,
    #[command(flatten)]
    pub rules: RuleArgs,
}
