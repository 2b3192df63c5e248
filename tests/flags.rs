//! Every SPEC §2.5 flag fires where it should and stays silent on a near miss.

use noticelint::dates::Date;
use noticelint::facts::Facts;
use noticelint::{Document, Options, RuleSet, analyze};

fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().unwrap())
}

fn flags_with(text: &str, facts: Option<Facts>, options: &Options) -> Vec<String> {
    let mut doc = Document::from_text("t", text);
    doc.facts = facts;
    analyze(&doc, rules(), options).flags.into_iter().map(|f| f.id).collect()
}

fn flags(text: &str, facts: Option<Facts>) -> Vec<String> {
    flags_with(text, facts, &Options::default())
}

fn dumped(types: &[&str]) -> Facts {
    Facts {
        leak_site: Some("Pysa".into()),
        listed_on: Date::parse_iso("2021-02-01"),
        published: Some(true),
        dump_data_types: types.iter().map(|t| t.to_string()).collect(),
        ..Facts::default()
    }
}

const TAKEN: &str =
    "What Happened\nOn March 3, 2021, we learned that an attacker copied files containing names and Social Security numbers.";

#[test]
fn omits_public_dump() {
    let f = flags(TAKEN, Some(dumped(&[])));
    assert!(f.contains(&"omits-public-dump".into()), "{f:?}");
    let said = format!("{TAKEN} Some of the data was posted on the group's website.");
    assert!(!flags(&said, Some(dumped(&[]))).contains(&"omits-public-dump".into()));
    // A dark-web monitoring offer says nothing about publication.
    let monitoring = format!("{TAKEN} We are monitoring the dark web for your information.");
    assert!(flags(&monitoring, Some(dumped(&[]))).contains(&"omits-public-dump".into()));
    // Without facts there is nothing to omit.
    assert!(!flags(TAKEN, None).contains(&"omits-public-dump".into()));
}

#[test]
fn denies_public_dump() {
    let denial = format!("{TAKEN} We have no evidence that any data has been published.");
    assert!(flags(&denial, Some(dumped(&[]))).contains(&"denies-public-dump".into()));
    let unpublished = Facts { published: Some(false), ..Facts::default() };
    assert!(!flags(&denial, Some(unpublished)).contains(&"denies-public-dump".into()));
}

#[test]
fn reassurance_despite_dump() {
    let soothing = format!("{TAKEN} We have no indication that any information has been misused.");
    assert!(flags(&soothing, Some(dumped(&[]))).contains(&"reassurance-despite-dump".into()));
    assert!(!flags(TAKEN, Some(dumped(&[]))).contains(&"reassurance-despite-dump".into()));
}

#[test]
fn understated_data_types_names_the_missing_types() {
    let mut doc = Document::from_text("t", TAKEN);
    doc.facts = Some(dumped(&["name", "ssn", "employment_info"]));
    let report = analyze(&doc, rules(), &Options::default());
    let flag = report.flags.iter().find(|f| f.id == "understated-data-types").expect("fires");
    assert!(flag.message.contains("employment_info") && !flag.message.contains("ssn"), "{}", flag.message);
    assert!(!flags(TAKEN, Some(dumped(&["name", "ssn"]))).contains(&"understated-data-types".into()));
}

#[test]
fn silent_on_publication() {
    assert!(flags(TAKEN, None).contains(&"silent-on-publication".into()));
    let said = format!("{TAKEN} We have found no sign that the files were posted online.");
    assert!(!flags(&said, None).contains(&"silent-on-publication".into()));
    assert!(!flags("A laptop was lost. It held names.", None).contains(&"silent-on-publication".into()));
}

#[test]
fn reassurance_after_exfiltration() {
    let soothing = format!("{TAKEN} There is no evidence that your information has been misused.");
    assert!(flags(&soothing, None).contains(&"reassurance-after-exfiltration".into()));
    let lost = "A laptop was lost. There is no evidence that your information has been misused.";
    assert!(!flags(lost, None).contains(&"reassurance-after-exfiltration".into()));
}

#[test]
fn late_notice_uses_the_threshold_and_facts() {
    let late = "May 20, 2021\n\nDear Member,\nOn March 3, 2021, we discovered suspicious activity in our network.";
    assert!(flags(late, None).contains(&"late-notice".into()));
    let prompt = "April 1, 2021\n\nDear Member,\nOn March 3, 2021, we discovered suspicious activity in our network.";
    assert!(!flags(prompt, None).contains(&"late-notice".into()));
    // 29 days: late under a 20-day rule, not under HIPAA's 60.
    let mut strict = Options::default();
    strict.flags.late_notice_days = 20;
    assert!(flags_with(prompt, None, &strict).contains(&"late-notice".into()));
    let undated = "On March 3, 2021, we discovered suspicious activity in our network.";
    let facts = Facts { notice_date: Date::parse_iso("2021-06-01"), ..Facts::default() };
    assert!(flags(undated, Some(facts)).contains(&"late-notice".into()));
}

#[test]
fn vague_data_types() {
    assert!(flags("Certain personal information may have been involved.", None).contains(&"vague-data-types".into()));
    assert!(!flags("Certain personal information, including names, may have been involved.", None).contains(&"vague-data-types".into()));
}

#[test]
fn missing_element_follows_the_profile() {
    let mut options = Options::default();
    options.flags.profile = rules().profile("hipaa").cloned();
    let report = analyze(&Document::from_text("t", TAKEN), rules(), &options);
    let missing: Vec<&str> = report.flags.iter().filter(|f| f.id == "missing-element").filter_map(|f| f.element.as_deref()).collect();
    assert!(missing.contains(&"contact"), "{missing:?}");
    assert!(!missing.contains(&"what_happened") && !missing.contains(&"information_involved"), "{missing:?}");
    assert!(!flags(TAKEN, None).contains(&"missing-element".into()), "no profile, no missing elements");
}
