//! `noticelint eval DIR`: analyze every labelled notice in DIR and score it.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use noticelint::analyze::{Options, Scratch, analyze_with};
use noticelint::eval::{Labels, Outcome, score};
use noticelint::input::{self, Loaded};
use rayon::prelude::*;

use crate::cli::EvalArgs;
use crate::scan::load_rules;

pub fn run(args: &EvalArgs) -> Result<ExitCode> {
    let rules = load_rules(&args.rules)?;
    let labels = read_labels(&args.dir)?;
    anyhow::ensure!(!labels.is_empty(), "{}: no *.labels.toml here", args.dir.display());
    let options = Options::default();
    let sources = input::discover(std::slice::from_ref(&args.dir));
    let loaded: Vec<Loaded> = sources.par_iter().flat_map_iter(input::load).collect();
    let reports: Vec<(String, Option<noticelint::Report>)> = loaded
        .into_par_iter()
        .map_init(Scratch::default, |scratch, l| match l {
            Loaded::Document(doc) => (doc.id.clone(), Some(analyze_with(&doc, &rules, &options, scratch))),
            Loaded::Failed(e) => (e.document.id, None),
        })
        .collect();
    let outcomes: BTreeMap<String, Outcome> =
        reports.iter().map(|(id, r)| (id.clone(), r.as_ref().map_or(Outcome::Failed, Outcome::Report))).collect();
    print!("{}", score(&labels, &outcomes).render(args.show_errors));
    Ok(ExitCode::SUCCESS)
}

/// Every `*.labels.toml` under `dir`, by document id (path relative to `dir`, no extension).
fn read_labels(dir: &Path) -> Result<BTreeMap<String, Labels>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("cannot read {}", d.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
            let Some(stem) = name.strip_suffix(".labels.toml") else { continue };
            let src = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let labels: Labels = toml::from_str(&src).map_err(|e| {
                let line = e.span().map_or(0, |s| src[..s.start].matches('\n').count() + 1);
                anyhow::anyhow!("{}:{line}: {}", path.display(), e.message())
            })?;
            let rel = path.with_file_name(stem);
            let id = rel.strip_prefix(dir).unwrap_or(&rel).to_string_lossy().replace('\\', "/");
            out.insert(id, labels);
        }
    }
    Ok(out)
}
