//! Facts given on the command line, attached to the documents they are about.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;
use noticelint::Document;
use noticelint::facts::{self, Facts};

use crate::cli::FactsArgs;

/// `--facts`: a CSV by document id, or one TOML for every document.
#[derive(Debug, Default)]
pub enum GivenFacts {
    #[default]
    None,
    ById(BTreeMap<String, Facts>),
    ForAll(Facts),
}

impl GivenFacts {
    pub fn load(args: &FactsArgs) -> Result<GivenFacts> {
        let Some(path) = &args.facts else { return Ok(GivenFacts::None) };
        let csv = path.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv"));
        Ok(if csv { GivenFacts::ById(facts::read_csv(path)?) } else { GivenFacts::ForAll(facts::read_toml(path)?) })
    }

    /// Given facts win over a sidecar file.
    pub fn attach(&self, doc: &mut Document) {
        match self {
            GivenFacts::None => {}
            GivenFacts::ById(map) => {
                if let Some(f) = map.get(&doc.id) {
                    doc.facts = Some(f.clone());
                }
            }
            GivenFacts::ForAll(f) => doc.facts = Some(f.clone()),
        }
    }

    /// Lines for the run summary: CSV rows that matched no document.
    pub fn unmatched(&self, reported: &[&str]) -> Vec<String> {
        let GivenFacts::ById(map) = self else { return Vec::new() };
        map.iter().filter(|(id, _)| !reported.contains(&id.as_str())).map(|(id, f)| describe(id, f, &f.origin)).collect()
    }
}

/// Lines for the run summary: sidecar facts with no notice beside them.
pub fn orphans(paths: &[PathBuf]) -> Vec<String> {
    noticelint::input::orphan_facts(paths)
        .into_iter()
        .map(|(id, path)| match facts::read_toml(&path) {
            Ok(f) => describe(&id, &f, &path.display().to_string()),
            Err(e) => format!("facts with no notice: {id}: unreadable: {e}"),
        })
        .collect()
}

fn describe(id: &str, f: &Facts, origin: &str) -> String {
    let listed = match (&f.leak_site, f.listed_on) {
        (Some(site), Some(on)) => format!("listed on {site} {on}, "),
        (Some(site), None) => format!("listed on {site}, "),
        _ => String::new(),
    };
    format!("facts with no notice: {id} ({listed}{origin})")
}
