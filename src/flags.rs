//! Flags (SPEC §2.5): judgements that combine what the notice says with what is known
//! from outside it. The logic of each flag is here; its words are in `rules/flags.toml`.

use crate::facts::Facts;
use crate::report::{Evidence, Flag, HedgeFinding, Report};
use crate::rules::RuleSet;
use crate::taxonomy::Status;

/// Settings that change when flags fire.
#[derive(Debug, Clone)]
pub struct FlagSettings {
    /// `late-notice` fires when more days than this separate discovery and notice.
    pub late_notice_days: i64,
    /// The legal profile whose required elements `missing-element` checks, if any.
    pub profile: Option<Profile>,
}

impl Default for FlagSettings {
    fn default() -> Self {
        FlagSettings { late_notice_days: 60, profile: None }
    }
}

pub use crate::profile::Profile;
use crate::profile::{Outcome, State};

/// What the flags look at besides the report.
pub struct Context<'a> {
    pub facts: Option<&'a Facts>,
    /// "certain personal information" and the like.
    pub vague: &'a [Evidence],
    /// Section headings by kind (`what_happened`, …), to point at where a statement belongs.
    pub headings: &'a [(&'a str, Evidence)],
    /// The profile's requirements, checked (empty without a profile).
    pub profile: &'a [Outcome],
}

/// The flags a report raises.
pub fn evaluate(report: &Report, ctx: &Context, rules: &RuleSet, settings: &FlagSettings) -> Vec<Flag> {
    let mut flags = Vec::new();
    let d = &report.disclosures;
    let misuse: Vec<Evidence> = report.hedges.iter().filter(|h| h.category == "no_evidence_of_misuse").map(hedge_evidence).collect();
    let heading = |kind: &str| ctx.headings.iter().find(|(k, _)| *k == kind).map(|(_, e)| e.clone());
    let section_name = |kind: &str, fallback: &str| {
        heading(kind).map_or_else(|| fallback.to_owned(), |e| e.text.trim_end_matches([':', '?', '.']).to_owned())
    };
    let mut raise = |id: &str, evidence: Vec<Evidence>, element: Option<String>, values: &[(&str, String)]| {
        let text = rules.flag(id).expect("every SPEC flag has a definition (checked at load)");
        flags.push(Flag { id: id.to_owned(), severity: text.severity.clone(), message: fill(&text.message, values), element, evidence });
    };

    if let Some(facts) = ctx.facts.filter(|f| f.is_published()) {
        let known = [
            ("leak_site", facts.leak_site.clone().unwrap_or_else(|| "a leak site".into())),
            ("listed_on", facts.listed_on.map_or_else(|| "date unknown".into(), |d| d.to_string())),
            ("section", section_name("what_happened", "What Happened")),
        ];
        match d.publication.status {
            Status::Absent => raise("omits-public-dump", heading("what_happened").into_iter().collect(), None, &known),
            Status::Negated => raise("denies-public-dump", d.publication.evidence.clone(), None, &known),
            Status::Affirmed | Status::Possible => {}
        }
        if !misuse.is_empty() {
            raise("reassurance-despite-dump", misuse.clone(), None, &known);
        }
    }
    if let Some(facts) = ctx.facts {
        let named: Vec<&str> = report.data_types.iter().filter(|t| t.status.is_involved()).map(|t| t.id.as_str()).collect();
        let missing: Vec<&str> = facts.dump_data_types.iter().map(String::as_str).filter(|t| !named.contains(t)).collect();
        if !missing.is_empty() {
            let values =
                [("types", missing.join(", ")), ("section", section_name("information_involved", "What Information Was Involved"))];
            raise("understated-data-types", heading("information_involved").into_iter().collect(), None, &values);
        }
    }
    let exfiltrated = d.exfiltration.status.is_involved();
    if exfiltrated && d.publication.status == Status::Absent && ctx.facts.is_none_or(|f| f.published.is_none()) {
        raise("silent-on-publication", d.exfiltration.evidence.clone(), None, &[]);
    }
    if d.exfiltration.status == Status::Affirmed && !misuse.is_empty() {
        raise("reassurance-after-exfiltration", misuse.clone(), None, &[]);
    }
    late_notice(report, ctx, settings, &mut raise);
    if !ctx.vague.is_empty() && !report.data_types.iter().any(|t| t.status.is_involved()) {
        raise("vague-data-types", ctx.vague.to_vec(), None, &[]);
    }
    if let Some(profile) = &settings.profile {
        for missing in ctx.profile.iter().filter(|o| o.state == State::Missing) {
            let values = [("profile", profile.name.clone()), ("element", missing.id.clone()), ("label", missing.label.clone())];
            raise("missing-element", Vec::new(), Some(missing.id.clone()), &values);
        }
    }
    flags
}

/// More than the allowed days between discovery and the notice's date (or the facts').
fn late_notice(
    report: &Report,
    ctx: &Context,
    settings: &FlagSettings,
    raise: &mut impl FnMut(&str, Vec<Evidence>, Option<String>, &[(&str, String)]),
) {
    use crate::dates::Date;
    let discovery = &report.elements.discovery_date;
    let Some(discovered) = discovery.value.as_deref().and_then(Date::parse_iso).filter(|d| d.day.is_some()) else { return };
    let notice = &report.elements.notice_date;
    let notified = notice.value.as_deref().and_then(Date::parse_iso).or(ctx.facts.and_then(|f| f.notice_date));
    let Some(notified) = notified.filter(|d| d.day.is_some()) else { return };
    let days = discovered.days_until(notified);
    if days > settings.late_notice_days {
        let evidence = discovery.evidence.iter().chain(&notice.evidence).cloned().collect();
        let values = [
            ("days", days.to_string()),
            ("limit", settings.late_notice_days.to_string()),
            ("discovered", discovered.to_string()),
            ("notified", notified.to_string()),
        ];
        raise("late-notice", evidence, None, &values);
    }
}

fn hedge_evidence(h: &HedgeFinding) -> Evidence {
    Evidence { text: h.text.clone(), start: h.start, end: h.end, line: h.line, column: h.column, rule: Some(h.rule.clone()) }
}

/// Fills `{name}` placeholders.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    // Values from facts may hold braces; then only the literal one-key-after-another
    // replacement gives what it gives.
    if values.iter().any(|(_, v)| v.contains(['{', '}'])) {
        let mut out = template.to_owned();
        for (k, v) in values {
            out = out.replace(&format!("{{{k}}}"), v);
        }
        return out;
    }
    // Otherwise every `{key}` of the template (braces with no brace inside) is replaced by
    // the first value of that key, as replacing key after key would, in one pass.
    let mut out = String::with_capacity(template.len() + values.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(['{', '}']) else { break };
        let value = (after.as_bytes()[close] == b'}').then(|| values.iter().find(|(k, _)| *k == &after[..close])).flatten();
        match value {
            Some((_, v)) => {
                out.push_str(&rest[..open]);
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[..open + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    /// What `fill` must give: each key replaced in turn over the whole text.
    fn replace_in_turn(template: &str, values: &[(&str, String)]) -> String {
        values.iter().fold(template.to_owned(), |out, (k, v)| out.replace(&format!("{{{k}}}"), v))
    }

    #[test]
    fn fill_replaces_as_key_after_key_would() {
        let templates = ["", "no keys", "{a} and {b}", "{a}{a}{b}", "{{a}}", "{a{b}}", "{c} {a", "a}{b", "{}", "{ab}{a}}{", "{b}{a}’é{a}"];
        let values = [
            vec![("a", "1".to_owned()), ("b", "two".to_owned())],
            vec![("a", "x".to_owned()), ("a", "y".to_owned())],
            vec![("a", "{b}".to_owned()), ("b", "2".to_owned())],
            vec![("b", "}".to_owned()), ("a", "{".to_owned())],
            vec![("", "empty".to_owned())],
            vec![],
        ];
        for t in templates {
            for v in &values {
                assert_eq!(super::fill(t, v), replace_in_turn(t, v), "{t:?} with {v:?}");
            }
        }
    }
}
