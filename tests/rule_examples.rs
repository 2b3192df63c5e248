//! Every rule's examples must fire with the stated status, and its counterexamples must
//! not fire it: the rule packs carry their own tests (see rules/README.md).

use noticelint::rules::RuleSet;
use noticelint::taxonomy::Concern;
use noticelint::{Document, Options, Report, analyze};

/// The rule ids that fired on `text`, with the status of their finding (None for hedges).
fn fired(report: &Report) -> Vec<(std::sync::Arc<str>, Option<noticelint::Status>)> {
    let mut out = Vec::new();
    for t in &report.data_types {
        for e in &t.evidence {
            out.push((e.rule.clone().unwrap_or_default(), Some(t.status)));
        }
    }
    for id in noticelint::taxonomy::DISCLOSURES {
        let d = report.disclosures.get(id).unwrap();
        for e in &d.evidence {
            out.push((e.rule.clone().unwrap_or_default(), Some(d.status)));
        }
    }
    for h in &report.hedges {
        out.push((h.rule.clone(), None));
    }
    // Signals show up as the evidence of the flags and elements they feed.
    let elements = noticelint::taxonomy::ELEMENTS.iter().filter_map(|id| report.elements.get(id));
    for e in report.flags.iter().flat_map(|f| &f.evidence).chain(elements.flat_map(|e| &e.evidence)) {
        if let Some(rule) = &e.rule {
            out.push((rule.clone(), None));
        }
    }
    out
}

/// Checks every rule of a rule set against its examples; returns the failures.
pub fn check_examples(rules: &RuleSet) -> Vec<String> {
    let mut failures = Vec::new();
    for rule in &rules.rules {
        for ex in &rule.examples {
            let report = analyze(&Document::from_text("example", ex.text.as_str()), rules, &Options::default());
            let hits = fired(&report);
            let ok = match (rule.concern, ex.status) {
                (Concern::Hedge, _) | (_, None) => hits.iter().any(|(id, _)| *id == rule.id),
                (_, Some(status)) => hits.iter().any(|(id, s)| *id == rule.id && *s == Some(status)),
            };
            if !ok {
                failures.push(format!("{} ({}): example {:?} expected {:?}, got {:?}", rule.id, rule.origin, ex.text, ex.status, hits));
            }
        }
        for text in &rule.counterexamples {
            let report = analyze(&Document::from_text("counterexample", text.as_str()), rules, &Options::default());
            let hits = fired(&report);
            if hits.iter().any(|(id, _)| *id == rule.id) {
                failures.push(format!("{} ({}): counterexample {:?} fired: {:?}", rule.id, rule.origin, text, hits));
            }
        }
    }
    failures
}

#[test]
fn builtin_rules_pass_their_examples() {
    let rules = RuleSet::builtin().unwrap();
    let failures = check_examples(&rules);
    assert!(failures.is_empty(), "{} rule example failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_rule_has_an_example_and_a_counterexample() {
    let rules = RuleSet::builtin().unwrap();
    for rule in &rules.rules {
        assert!(!rule.examples.is_empty(), "{} has no examples", rule.id);
        assert!(!rule.counterexamples.is_empty(), "{} has no counterexamples", rule.id);
    }
}
