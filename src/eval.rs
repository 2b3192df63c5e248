//! Scoring against gold labels (SPEC §5): per-field precision, recall and F1, the same
//! figures as the project's reference scorer, so a user who edits a rule pack can
//! measure the change.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Deserialize;

use crate::report::Report;
use crate::taxonomy::{DISCLOSURES, Status};

/// The gold labels of one notice.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    #[serde(default)]
    pub data_types: LabelTypes,
    #[serde(default)]
    pub hedges: LabelHedges,
    #[serde(default)]
    pub disclosures: BTreeMap<String, String>,
    pub dates: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelTypes {
    #[serde(default)]
    pub involved: BTreeSet<String>,
    #[serde(default)]
    pub negated: BTreeSet<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelHedges {
    #[serde(default)]
    pub present: BTreeSet<String>,
}

/// Label keys of `[dates]` and the element field each is compared with.
pub const DATE_KEYS: &[(&str, &str, &str)] = &[
    ("breach_start", "breach_date", "value"),
    ("breach_end", "breach_date", "end"),
    ("discovery", "discovery_date", "value"),
    ("notice", "notice_date", "value"),
];

/// True positives, false positives, false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Tally {
    fn add(&mut self, predicted: &BTreeSet<String>, gold: &BTreeSet<String>) {
        self.tp += predicted.intersection(gold).count();
        self.fp += predicted.difference(gold).count();
        self.fn_ += gold.difference(predicted).count();
    }

    /// (precision, recall, F1); an empty denominator counts as perfect, as the reference scorer does.
    pub fn prf(&self) -> (f64, f64, f64) {
        let p = if self.tp + self.fp > 0 { self.tp as f64 / (self.tp + self.fp) as f64 } else { 1.0 };
        let r = if self.tp + self.fn_ > 0 { self.tp as f64 / (self.tp + self.fn_) as f64 } else { 1.0 };
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        (p, r, f)
    }
}

/// A document's outcome: its report, or that it could not be read.
pub enum Outcome<'a> {
    Report(&'a Report),
    Failed,
}

/// The scores of a labelled set.
#[derive(Debug, Default)]
pub struct Scores {
    pub types: Tally,
    pub negated: Tally,
    pub hedges: Tally,
    pub publication: Tally,
    pub disclosures_right: [usize; 4],
    pub dates_right: [usize; 4],
    pub dated: usize,
    pub scored: usize,
    pub labelled: usize,
    pub missing: Vec<String>,
    pub errored: Vec<String>,
    /// One line per disagreement.
    pub problems: Vec<String>,
}

/// Scores outcomes (by document id) against labels (by document id).
pub fn score(labels: &BTreeMap<String, Labels>, outcomes: &BTreeMap<String, Outcome>) -> Scores {
    let mut s = Scores { labelled: labels.len(), ..Scores::default() };
    for (id, gold) in labels {
        let report = match outcomes.get(id) {
            None => {
                s.missing.push(id.clone());
                continue;
            }
            Some(Outcome::Failed) => {
                s.errored.push(id.clone());
                continue;
            }
            Some(Outcome::Report(r)) => r,
        };
        s.scored += 1;
        let p_types: BTreeSet<String> = report.data_types.iter().filter(|t| t.status.is_involved()).map(|t| t.id.clone()).collect();
        let p_neg: BTreeSet<String> = report.data_types.iter().filter(|t| t.status == Status::Negated).map(|t| t.id.clone()).collect();
        let p_hedges: BTreeSet<String> = report.hedges.iter().map(|h| h.category.clone()).collect();
        for (what, tally, p, g) in [
            ("types", &mut s.types, &p_types, &gold.data_types.involved),
            ("negated", &mut s.negated, &p_neg, &gold.data_types.negated),
            ("hedges", &mut s.hedges, &p_hedges, &gold.hedges.present),
        ] {
            tally.add(p, g);
            if p != g {
                let missed: Vec<&String> = g.difference(p).collect();
                let extra: Vec<&String> = p.difference(g).collect();
                s.problems.push(format!("{id}: {what}: missed {missed:?} extra {extra:?}"));
            }
        }
        for (i, d) in DISCLOSURES.iter().enumerate() {
            let p = collapse(report.disclosures.get(d).map_or("absent", |x| x.status.as_str()));
            let g = collapse(gold.disclosures.get(*d).map_or("absent", String::as_str));
            s.disclosures_right[i] += usize::from(p == g);
            if p != g {
                s.problems.push(format!("{id}: {d}: gold {g} got {p}"));
            }
            if *d == "publication" {
                let one = |yes: bool| if yes { BTreeSet::from(["1".to_owned()]) } else { BTreeSet::new() };
                s.publication.add(&one(p == "yes"), &one(g == "yes"));
            }
        }
        if let Some(dates) = &gold.dates {
            s.dated += 1;
            for (i, (key, element, field)) in DATE_KEYS.iter().enumerate() {
                let e = report.elements.get(element);
                let p = e.filter(|e| e.present).and_then(|e| if *field == "value" { e.value.clone() } else { e.end.clone() });
                let g = dates.get(*key).cloned();
                s.dates_right[i] += usize::from(p == g);
                if p != g {
                    s.problems.push(format!(
                        "{id}: date {key}: gold {} got {}",
                        g.as_deref().unwrap_or("None"),
                        p.as_deref().unwrap_or("None")
                    ));
                }
            }
        }
    }
    s
}

/// affirmed/possible → yes, negated → no, anything else → absent.
fn collapse(status: &str) -> &'static str {
    match status {
        "affirmed" | "possible" => "yes",
        "negated" => "no",
        _ => "absent",
    }
}

impl Scores {
    /// The summary figures, in the reference scorer's order and scaling (a labelled
    /// document without a report scores as all wrong).
    pub fn figures(&self) -> Vec<(&'static str, f64)> {
        let denom = self.scored.max(1) as f64;
        let mut f = vec![
            ("types_f1", self.types.prf().2),
            ("negated_f1", self.negated.prf().2),
            ("hedges_f1", self.hedges.prf().2),
            ("disclosures_acc", self.disclosures_right.iter().sum::<usize>() as f64 / (denom * DISCLOSURES.len() as f64)),
            ("publication_f1", self.publication.prf().2),
        ];
        if self.dated > 0 {
            f.push(("dates_acc", self.dates_right.iter().sum::<usize>() as f64 / (self.dated * DATE_KEYS.len()) as f64));
        }
        if !self.missing.is_empty() || !self.errored.is_empty() {
            let share = self.scored as f64 / self.labelled as f64;
            for (_, v) in &mut f {
                *v *= share;
            }
        }
        f
    }

    /// The scores as a table, the disagreements when asked, and the `score:` summary line.
    pub fn render(&self, show_errors: bool) -> String {
        let mut out = String::new();
        let denom = self.scored.max(1) as f64;
        let _ = writeln!(out, "{:<24}{:>7}{:>7}{:>7}   tp/fp/fn", "field", "P", "R", "F1");
        for (name, t) in [
            ("data types involved", self.types),
            ("data types negated", self.negated),
            ("hedge categories", self.hedges),
            ("publication disclosed", self.publication),
        ] {
            let (p, r, f) = t.prf();
            let _ = writeln!(out, "{name:<24}{p:7.3}{r:7.3}{f:7.3}   {}/{}/{}", t.tp, t.fp, t.fn_);
        }
        for (i, d) in DISCLOSURES.iter().enumerate() {
            let _ = writeln!(out, "{:<38} accuracy {:.3}", format!("disclosure {d}"), self.disclosures_right[i] as f64 / denom);
        }
        if self.dated > 0 {
            for (i, (key, _, _)) in DATE_KEYS.iter().enumerate() {
                let _ = writeln!(out, "{:<38} accuracy {:.3}", format!("date {key}"), self.dates_right[i] as f64 / self.dated as f64);
            }
        }
        if show_errors {
            for p in &self.problems {
                let _ = writeln!(out, "{p}");
            }
        }
        if !self.missing.is_empty() {
            let _ = writeln!(out, "no report for {} labelled documents: {}", self.missing.len(), self.missing.join(", "));
        }
        if !self.errored.is_empty() {
            let _ = writeln!(out, "reported an error for {} documents: {}", self.errored.len(), self.errored.join(", "));
        }
        let summary: Vec<String> = self.figures().iter().map(|(k, v)| format!("{k}={v:.3}")).collect();
        let _ = writeln!(out, "score: {} docs={} scored={}", summary.join(" "), self.labelled, self.scored);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tallies_like_the_reference_scorer() {
        let mut t = Tally::default();
        let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        t.add(&set(&["name", "ssn"]), &set(&["name", "date_of_birth"]));
        assert_eq!(t, Tally { tp: 1, fp: 1, fn_: 1 });
        assert_eq!(t.prf(), (0.5, 0.5, 0.5));
        assert_eq!(Tally::default().prf(), (1.0, 1.0, 1.0));
    }

    #[test]
    fn parses_spec_labels() {
        let src = "[data_types]\ninvolved = [\"name\"]\nnegated = [\"ssn\"]\n[hedges]\npresent = [\"precautionary\"]\n[disclosures]\nexfiltration = \"affirmed\"\n[dates]\nnotice = \"2021-04-20\"\n";
        let l: Labels = toml::from_str(src).unwrap();
        assert!(l.data_types.negated.contains("ssn"));
        assert_eq!(l.dates.unwrap()["notice"], "2021-04-20");
    }
}
