//! `noticelint check FILE...`: diagnostics for drafts. Exit 0 clean, 1 when an
//! error-severity diagnostic was reported (by default: an `error` flag), 2 on a usage or
//! input error (SPEC §6). Every readable file is reported before the exit.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};
use noticelint::Document;
use noticelint::analyze::Options;
use noticelint::check::{Checked, Settings, check};
use noticelint::input::{self, Loaded};
use noticelint::rules::Severity;

use crate::cli::{CheckArgs, CheckFormat};
use crate::config::Effective;

pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let cfg = Effective::load(&args.settings)?;
    let rules = cfg.rule_set()?;
    let name = args.profile.clone().unwrap_or_else(|| cfg.profile.clone());
    let Some(profile) = rules.profile(&name) else {
        let known: Vec<&str> = rules.profiles.iter().map(|p| p.name.as_str()).collect();
        bail!("unknown profile `{name}` (known: {})", known.join(", "));
    };
    let facts = match &args.facts {
        Some(p) => Some(noticelint::facts::read_toml(p)?),
        None => None,
    };
    let mut options = Options::default();
    options.flags.profile = Some(profile.clone());
    options.flags.late_notice_days = cfg.late_notice_days;
    let settings = Settings {
        disabled: cfg.disable.clone(),
        severity: cfg.severity.clone(),
        max_grade: args.max_grade.unwrap_or(cfg.max_grade),
        ..Settings::default()
    };

    let mut input_error = false;
    let mut results: Vec<(Document, Checked)> = Vec::new();
    for path in &args.files {
        let id = path.file_stem().map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into_owned());
        for loaded in input::load_file(path, &id) {
            match loaded {
                Loaded::Document(mut doc) => {
                    if facts.is_some() {
                        doc.facts.clone_from(&facts);
                    }
                    let checked = check(&doc, &rules, &options, &settings);
                    results.push((doc, checked));
                }
                Loaded::Failed(e) => {
                    eprintln!("noticelint: error: {} ({})", e.error.message, e.error.kind);
                    input_error = true;
                }
            }
        }
    }

    let stdout = std::io::stdout();
    match args.format {
        CheckFormat::Human => {
            let mut out = anstream::AutoStream::auto(stdout.lock());
            for (doc, checked) in &results {
                crate::human::render(&mut out, doc, checked, &rules, profile, settings.max_grade)?;
            }
            out.flush()?;
        }
        CheckFormat::Json => {
            let mut out = std::io::BufWriter::new(stdout.lock());
            let reports: Vec<_> = results.iter().map(|(_, c)| &c.report).collect();
            serde_json::to_writer_pretty(&mut out, &reports)?;
            out.write_all(b"\n")?;
            out.flush()?;
        }
        CheckFormat::Sarif => {
            let mut out = std::io::BufWriter::new(stdout.lock());
            serde_json::to_writer_pretty(&mut out, &crate::sarif::log(&results, &rules))?;
            out.write_all(b"\n")?;
            out.flush()?;
        }
    }
    let errors = results.iter().any(|(_, c)| c.count(Severity::Error) > 0);
    Ok(ExitCode::from(if input_error {
        2
    } else if errors {
        1
    } else {
        0
    }))
}
