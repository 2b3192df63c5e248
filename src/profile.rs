//! Legal profiles: what a notice must contain, and what it must not, under one law.
//!
//! Profiles are data (`rules/profiles.toml`); this module compiles them and checks one
//! analysed notice against one profile. Each requirement is found in one of four ways: a
//! SPEC §2.4 element (optionally with given contact kinds), a title line, a heading line,
//! or a detection rule that fired. `missing-element` flags and the `check` checklist are
//! both read from the [`Outcome`]s.

use crate::report::{Evidence, Report};
use crate::rules::pack::{ProfileDef, RequirementDef};
use crate::taxonomy::{CONTACT_KINDS, DATA_TYPES, ELEMENTS};

/// A compiled legal profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    /// The law it follows, for people.
    pub law: String,
    pub description: String,
    pub required: Vec<Requirement>,
    pub forbidden: Vec<Requirement>,
}

/// One thing a profile requires or forbids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// What `missing-element` names: a SPEC §2.4 element id or the profile's own id.
    pub id: String,
    pub label: String,
    pub test: Test,
    /// Applies only when one of these data types is involved (empty: always).
    pub when_data_types: Vec<String>,
}

/// How a requirement is found in a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Test {
    /// A SPEC §2.4 element is present (for `contact`, with one of `kinds` if any are named).
    Element { id: String, kinds: Vec<String> },
    /// A heading line reads this title.
    Title(String),
    /// A heading line reads this heading.
    Heading(String),
    /// One of these detection rules fired.
    Rules(Vec<String>),
}

/// What checking one requirement found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Required and found, or forbidden and not found.
    Met,
    /// Required and not found.
    Missing,
    /// Forbidden and found.
    Forbidden,
    /// Conditional on data types the notice does not name.
    NotApplicable,
}

/// One requirement of a profile, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub id: String,
    pub label: String,
    /// True for a requirement that the notice must *not* meet.
    pub forbidden: bool,
    pub state: State,
    /// Where it was found.
    pub evidence: Vec<Evidence>,
}

/// What a profile looks at besides the report.
pub struct Observed<'a> {
    /// Every heading line, as evidence in the original text.
    pub headings: &'a [Evidence],
    /// The first match of each detection rule that fired, by rule id.
    pub fired: &'a [(String, Evidence)],
}

impl Profile {
    /// Compiles and checks a profile definition; `rule_exists` says whether a rule id is known.
    pub fn compile(def: ProfileDef, rule_exists: &dyn Fn(&str) -> bool) -> Result<Profile, (std::ops::Range<usize>, String)> {
        let name_span = def.name.span();
        let mut seen: Vec<String> = Vec::new();
        let mut compile_list = |defs: Vec<RequirementDef>| -> Result<Vec<Requirement>, (std::ops::Range<usize>, String)> {
            defs.into_iter()
                .map(|d| {
                    let span = d.id.span();
                    let id = d.id.get_ref().clone();
                    if seen.contains(&id) {
                        return Err((span, format!("duplicate requirement `{id}`")));
                    }
                    seen.push(id.clone());
                    compile_requirement(d, rule_exists).map_err(|m| (span, format!("requirement `{id}`: {m}")))
                })
                .collect()
        };
        let required = compile_list(def.require)?;
        let forbidden = compile_list(def.forbid)?;
        if required.is_empty() && forbidden.is_empty() {
            return Err((name_span, "a profile needs at least one [[profile.require]] or [[profile.forbid]]".into()));
        }
        Ok(Profile { name: def.name.into_inner(), law: def.law, description: def.description, required, forbidden })
    }

    /// Checks a report against the profile, requirements first, then prohibitions.
    pub fn evaluate(&self, report: &Report, seen: &Observed) -> Vec<Outcome> {
        let involved =
            |types: &[String]| types.is_empty() || report.data_types.iter().any(|t| t.status.is_involved() && types.contains(&t.id));
        let mut out = Vec::new();
        for (list, forbidden) in [(&self.required, false), (&self.forbidden, true)] {
            for r in list {
                let evidence = find(&r.test, report, seen);
                let state = match (involved(&r.when_data_types), evidence.is_some(), forbidden) {
                    (false, _, _) => State::NotApplicable,
                    (true, true, false) | (true, false, true) => State::Met,
                    (true, false, false) => State::Missing,
                    (true, true, true) => State::Forbidden,
                };
                out.push(Outcome { id: r.id.clone(), label: r.label.clone(), forbidden, state, evidence: evidence.unwrap_or_default() });
            }
        }
        out
    }
}

/// Where the notice meets a test (an empty list when it does with no span to show), or None.
fn find(test: &Test, report: &Report, seen: &Observed) -> Option<Vec<Evidence>> {
    let heading = |want: &str| {
        let want = want.to_lowercase();
        seen.headings.iter().find(|h| h.text.trim().trim_end_matches([':', '?', '.', ' ']).to_lowercase() == want).cloned()
    };
    match test {
        Test::Element { id, kinds } => {
            let e = report.elements.get(id)?;
            let ok = e.present && (kinds.is_empty() || e.kinds.iter().any(|k| kinds.contains(k)));
            ok.then(|| e.evidence.iter().take(1).cloned().collect())
        }
        Test::Title(t) | Test::Heading(t) => heading(t).map(|e| vec![e]),
        Test::Rules(ids) => seen.fired.iter().find(|(id, _)| ids.contains(id)).map(|(_, e)| vec![e.clone()]),
    }
}

fn compile_requirement(d: RequirementDef, rule_exists: &dyn Fn(&str) -> bool) -> Result<Requirement, String> {
    let tests = usize::from(d.element.is_some())
        + usize::from(d.title.is_some())
        + usize::from(d.heading.is_some())
        + usize::from(!d.rules.is_empty());
    if tests != 1 {
        return Err("give exactly one of `element`, `title`, `heading`, `rules`".into());
    }
    if !d.kinds.is_empty() && d.element.as_deref() != Some("contact") {
        return Err("`kinds` goes with `element = \"contact\"`".into());
    }
    if let Some(k) = d.kinds.iter().find(|k| !CONTACT_KINDS.contains(&k.as_str())) {
        return Err(format!("unknown contact kind `{k}` (SPEC §2.4: {})", CONTACT_KINDS.join(", ")));
    }
    if let Some(t) = d.when_data_types.iter().find(|t| !DATA_TYPES.contains(&t.as_str())) {
        return Err(format!("unknown data type `{t}` (SPEC §2.1)"));
    }
    if d.label.trim().is_empty() {
        return Err("empty label".into());
    }
    let test = if let Some(id) = d.element {
        if !ELEMENTS.contains(&id.as_str()) {
            return Err(format!("unknown element `{id}` (SPEC §2.4)"));
        }
        Test::Element { id, kinds: d.kinds }
    } else if let Some(t) = d.title {
        Test::Title(t)
    } else if let Some(h) = d.heading {
        Test::Heading(h)
    } else {
        if let Some(r) = d.rules.iter().find(|r| !rule_exists(r)) {
            return Err(format!("unknown rule `{r}`"));
        }
        Test::Rules(d.rules)
    };
    Ok(Requirement { id: d.id.into_inner(), label: d.label, test, when_data_types: d.when_data_types })
}
