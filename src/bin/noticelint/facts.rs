//! Facts given on the command line, attached to the documents they are about.

use std::collections::BTreeMap;

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

    /// CSV rows whose id is not among the documents reported.
    pub fn unmatched_facts<'a>(&'a self, reported: &std::collections::HashSet<String>) -> Vec<(&'a str, &'a Facts)> {
        let GivenFacts::ById(map) = self else { return Vec::new() };
        map.iter().filter(|(id, _)| !reported.contains(id.as_str())).map(|(id, f)| (id.as_str(), f)).collect()
    }
}

/// A line for the run summary about facts no notice was found for.
pub fn describe(id: &str, f: &Facts, origin: &str) -> String {
    let listed = match (&f.leak_site, f.listed_on) {
        (Some(site), Some(on)) => format!("listed on {site} {on}, "),
        (Some(site), None) => format!("listed on {site}, "),
        _ => String::new(),
    };
    format!("facts with no notice: {id} ({listed}{origin})")
}
