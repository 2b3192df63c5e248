//! Status by scope, after NegEx/ConText: a cue (from the packs) governs the targets in its
//! direction up to the end of the sentence, a terminating cue ("but", "however") or its
//! word limit. Pseudo-cues never reach here: the matcher reports them instead of the cue
//! they resemble, and they govern nothing.
//!
//! The outcome for one target:
//! - an advice cue governs a data type → no finding ("never share your Social Security number");
//! - a negation governs it → `negated`; for a data type, unless the negated clause is
//!   about harm ("no evidence your Social Security number was misused"), which is a hedge
//!   and says nothing about involvement → no finding;
//! - a possibility cue governs it → `possible`;
//! - otherwise the rule's own status.

use crate::rules::pack::{CueKind, Direction};
use crate::rules::{Hit, Rule, RuleSet, Target};
use crate::taxonomy::{Concern, Status};

/// Decides the status of `target` given the other hits of its sentence.
pub fn judge(text: &str, target: &Hit, sentence: &[Hit], rules: &RuleSet, concern: Concern, default: Status) -> Option<Status> {
    let mut negated = false;
    let mut possible = false;
    for cue_hit in sentence {
        let Target::Cue(c) = cue_hit.target else { continue };
        let cue = &rules.cues[c as usize];
        if !governs(text, cue_hit, target, cue.direction, cue.max_words, sentence, rules) {
            continue;
        }
        match cue.kind {
            // Advice is about what readers should do with their data, not about the incident.
            CueKind::Advice if concern == Concern::DataType => return None,
            CueKind::Advice => {}
            CueKind::Negation => {
                if concern == Concern::DataType && clause_mentions_harm(cue_hit, sentence, rules) {
                    return None;
                }
                negated = true;
            }
            CueKind::Possibility => possible = true,
            CueKind::Terminate | CueKind::Harm | CueKind::Pseudo => {}
        }
    }
    Some(if negated {
        Status::Negated
    } else if possible && default == Status::Affirmed {
        Status::Possible
    } else {
        default
    })
}

/// Is a `near` phrase of rule `index` in the sentence — after `trigger` within its clause
/// and word limit when the rule says so?
pub fn has_near(text: &str, trigger: &Hit, index: u32, rule: &Rule, sentence: &[Hit], rules: &RuleSet) -> bool {
    let within = |h: &Hit| {
        let (from, to) = if h.start >= trigger.end { (trigger.end, h.start) } else { (h.end.min(trigger.start), trigger.start) };
        rule.near_within.is_none_or(|max| text[from..to].split_whitespace().count() <= max)
    };
    if !rule.near_after {
        return sentence.iter().any(|h| h.target == Target::Near(index) && within(h));
    }
    for h in sentence.iter().filter(|h| h.start >= trigger.end) {
        if h.target == Target::Near(index) {
            return within(h);
        }
        if is_kind(h, CueKind::Terminate, rules) {
            return false;
        }
    }
    false
}

/// Does the cue at `cue` reach `target`?
fn governs(text: &str, cue: &Hit, target: &Hit, direction: Direction, max_words: Option<usize>, sentence: &[Hit], rules: &RuleSet) -> bool {
    // A regex target may overlap the cue that precedes it ("may have [been posted]").
    let (from, to) = if cue.start < target.start && direction != Direction::Backward {
        (cue.end.min(target.start), target.start)
    } else if target.end <= cue.start && direction != Direction::Forward {
        (target.end, cue.start)
    } else {
        return false;
    };
    if max_words.is_some_and(|max| text[from..to].split_whitespace().count() > max) {
        return false;
    }
    !sentence.iter().any(|h| h.start >= from && h.end <= to && is_kind(h, CueKind::Terminate, rules))
}

/// A harm cue follows the negation in the same clause.
fn clause_mentions_harm(negation: &Hit, sentence: &[Hit], rules: &RuleSet) -> bool {
    for h in sentence.iter().filter(|h| h.start >= negation.end) {
        if is_kind(h, CueKind::Terminate, rules) {
            return false;
        }
        if is_kind(h, CueKind::Harm, rules) {
            return true;
        }
    }
    false
}

fn is_kind(hit: &Hit, kind: CueKind, rules: &RuleSet) -> bool {
    matches!(hit.target, Target::Cue(c) if rules.cues[c as usize].kind == kind)
}

#[cfg(test)]
mod tests {
    use crate::taxonomy::Status;
    use crate::{Document, Options, RuleSet, analyze};

    fn ssn(text: &str) -> Option<Status> {
        let rules = RuleSet::builtin().unwrap();
        analyze(&Document::from_text("t", text), &rules, &Options::default()).data_types.iter().find(|t| t.id == "ssn").map(|t| t.status)
    }

    #[test]
    fn cues_reach_in_their_direction_up_to_a_terminator() {
        assert_eq!(ssn("The files did not include Social Security numbers."), Some(Status::Negated));
        assert_eq!(ssn("Social Security numbers were not involved."), Some(Status::Negated));
        assert_eq!(ssn("Names were not involved, but Social Security numbers were."), Some(Status::Affirmed));
        assert_eq!(ssn("Social Security numbers may have been exposed."), Some(Status::Possible));
    }

    #[test]
    fn pseudo_cues_and_harm_clauses_do_not_negate() {
        assert_eq!(ssn("Not only names but also Social Security numbers were taken."), Some(Status::Affirmed));
        assert_eq!(ssn("There is no evidence that any Social Security number was misused."), None);
    }

    #[test]
    fn advice_is_not_a_finding() {
        assert_eq!(ssn("Never share your Social Security number over the phone."), None);
        assert_eq!(ssn("To place a security freeze, you will need your Social Security number."), None);
    }
}
