//! `noticelint explain ID`, `noticelint rules` and `noticelint config`: what the rule packs
//! and the settings say, for people.

use std::process::ExitCode;

use anyhow::{Result, bail};
use noticelint::RuleSet;
use noticelint::rules::Target;

use crate::cli::{ExplainArgs, SettingsArgs};
use crate::config::Effective;

pub fn explain(args: &ExplainArgs) -> Result<ExitCode> {
    let rules = Effective::load(&args.settings)?.rule_set()?;
    print!("{}", explanation(&rules, &args.id)?);
    Ok(ExitCode::SUCCESS)
}

pub fn rules(args: &SettingsArgs) -> Result<ExitCode> {
    let rules = Effective::load(args)?.rule_set()?;
    let mut rows: Vec<(String, String, &str)> = Vec::new();
    rows.extend(rules.rules.iter().map(|r| (r.id.to_string(), r.category.clone(), r.severity.as_str())));
    rows.extend(rules.flags.iter().map(|f| (f.id.clone(), "flag".to_owned(), f.severity.as_str())));
    rows.extend(rules.diagnostics.iter().map(|d| (d.id.clone(), "check".to_owned(), d.severity.as_str())));
    let w0 = rows.iter().map(|r| r.0.len()).max().unwrap_or(2);
    let w1 = rows.iter().map(|r| r.1.len()).max().unwrap_or(8);
    println!("{:<w0$}  {:<w1$}  severity", "id", "category");
    for (id, category, severity) in rows {
        println!("{id:<w0$}  {category:<w1$}  {severity}");
    }
    // A pack author's cue that a pattern will cost a whole-text search per document.
    let untriggered: Vec<(&str, &str)> = rules
        .matcher
        .untriggered()
        .map(|(pattern, target)| {
            let owner = match target {
                Target::Rule(i) | Target::Near(i) | Target::Exclude(i) => &rules.rules[i as usize].id,
                Target::Cue(i) => rules.cues[i as usize].id.as_str(),
            };
            (owner, pattern)
        })
        .collect();
    if !untriggered.is_empty() {
        println!("\npatterns without a trigger literal, searched over the whole text of every document (slow; see rules/README.md):");
        let w = untriggered.iter().map(|u| u.0.len()).max().unwrap_or(0);
        for (owner, pattern) in untriggered {
            println!("{owner:<w$}  {pattern}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn config(args: &SettingsArgs) -> Result<ExitCode> {
    let cfg = Effective::load(args)?;
    cfg.rule_set()?;
    print!("{}", cfg.to_toml());
    Ok(ExitCode::SUCCESS)
}

/// The long text for a rule, flag, diagnostic or profile.
fn explanation(rules: &RuleSet, id: &str) -> Result<String> {
    let mut s = String::new();
    let mut section = |title: &str, body: &str| {
        if !body.trim().is_empty() {
            s.push_str(&format!("\n{title}{body}\n"));
        }
    };
    if let Some(r) = rules.rule(id) {
        section("", &format!("{} ({}, {})\n{}", r.id, r.category, r.severity.as_str(), r.message));
        section("suggestion: ", r.suggestion.as_deref().unwrap_or(""));
        section("", r.explanation.as_deref().unwrap_or(""));
        let examples: Vec<String> = r.examples.iter().map(|e| format!("  + {}", e.text)).collect();
        let counter: Vec<String> = r.counterexamples.iter().map(|e| format!("  - {e}")).collect();
        section("examples (+ fires, - does not):\n", &[examples, counter].concat().join("\n"));
        section("defined at ", &r.origin);
    } else if let Some(f) = rules.flag(id) {
        section("", &format!("{} (flag, {})\n{}", f.id, f.severity, f.message));
        section("suggestion: ", &f.suggestion);
        section("", &f.explanation);
    } else if let Some(d) = rules.diagnostic(id) {
        section("", &format!("{} (check, {})\n{}", d.id, d.severity.as_str(), d.message));
        section("suggestion: ", &d.suggestion);
        section("", &d.explanation);
    } else if let Some(p) = rules.profile(id) {
        section("", &format!("profile {} ({})\n{}", p.name, p.law, p.description));
        let required: Vec<String> = p
            .required
            .iter()
            .map(|r| {
                let when = if r.when_data_types.is_empty() { String::new() } else { format!(" [when: {}]", r.when_data_types.join(", ")) };
                format!("  {}: {}{when}", r.id, r.label)
            })
            .collect();
        section("requires:\n", &required.join("\n"));
        let forbidden: Vec<String> = p.forbidden.iter().map(|r| format!("  {}: {}", r.id, r.label)).collect();
        section("forbids:\n", &forbidden.join("\n"));
    } else {
        bail!(
            "unknown rule id `{id}` (see `noticelint rules`; profiles: {})",
            rules.profiles.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
        );
    }
    Ok(s.trim_start().to_owned())
}
