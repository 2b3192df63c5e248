//! The engine end to end on notices written for the purpose (fictional organizations).

use noticelint::{Document, Options, Report, RuleSet, Status, analyze};

fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("built-in packs load"))
}

fn report(text: &str) -> Report {
    analyze(&Document::from_text("t", text), rules(), &Options::default())
}

fn type_status(r: &Report, id: &str) -> Option<Status> {
    r.data_types.iter().find(|t| t.id == id).map(|t| t.status)
}

/// What a notice says, without positions: the fingerprint twins must share.
fn findings(r: &Report) -> String {
    let types: Vec<String> = r.data_types.iter().map(|t| format!("{}={:?}", t.id, t.status)).collect();
    let mut hedges: Vec<&str> = r.hedges.iter().map(|h| h.category.as_str()).collect();
    hedges.sort_unstable();
    hedges.dedup();
    let d = &r.disclosures;
    let flags: Vec<&str> = r.flags.iter().map(|f| f.id.as_str()).collect();
    format!(
        "{types:?} {hedges:?} {:?} {:?} {:?} {:?} {flags:?}",
        d.exfiltration.status, d.ransomware.status, d.threat_actor_claim.status, d.publication.status
    )
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    String::from_utf8(std::fs::read(&path).unwrap()).unwrap()
}

#[test]
fn formatting_twins_give_the_same_findings_as_the_clean_notice() {
    let clean = report(&fixture("clean.txt"));
    assert_eq!(type_status(&clean, "ssn"), Some(Status::Negated));
    assert_eq!(type_status(&clean, "payment_card"), Some(Status::Possible));
    for twin in ["oneline.txt", "crlf.txt", "curly.txt", "hyphenated.txt"] {
        assert_eq!(findings(&report(&fixture(twin))), findings(&clean), "{twin}");
    }
}

#[test]
fn evidence_points_into_the_document_as_read() {
    for name in ["clean.txt", "oneline.txt", "crlf.txt", "curly.txt", "hyphenated.txt"] {
        let text = fixture(name);
        let r = report(&text);
        let spans = r.data_types.iter().flat_map(|t| &t.evidence).chain(r.disclosures.exfiltration.evidence.iter());
        for e in spans {
            assert_eq!(&text[e.start..e.end], e.text, "{name}");
            let line_start = text[..e.start].rfind('\n').map_or(0, |i| i + 1);
            assert_eq!(e.line, text[..e.start].matches('\n').count() + 1, "{name}");
            assert_eq!(e.column, text[line_start..e.start].chars().count() + 1, "{name}");
        }
        for h in &r.hedges {
            assert_eq!(&text[h.start..h.end], h.text, "{name}");
        }
    }
}

/// (data type, a sentence naming it as involved, one saying it was not, advice or a near miss).
const DATA_TYPE_CASES: &[(&str, &str, &str, &str)] = &[
    ("name", "The folder held client names.", "Names were not involved.", "Please print your name on the enclosed form."),
    ("postal_address", "The list included mailing addresses.", "Home addresses were not affected.", "Write to us at the address below."),
    (
        "email_address",
        "Attackers copied email addresses.",
        "No email addresses were involved.",
        "You may also reach us by email at help@example.org.",
    ),
    (
        "phone_number",
        "The file contained phone numbers.",
        "Telephone numbers were not affected.",
        "Call the toll-free number below with questions.",
    ),
    (
        "date_of_birth",
        "The records contained dates of birth.",
        "Dates of birth were not involved.",
        "To place a fraud alert, provide your date of birth.",
    ),
    (
        "ssn",
        "The records contained Social Security numbers.",
        "The files did not include Social Security numbers.",
        "Never share your Social Security number with callers.",
    ),
    (
        "drivers_license",
        "In limited instances, driver's license numbers were included.",
        "Driver's license numbers were not affected.",
        "To request a freeze, include a copy of your driver's license.",
    ),
    (
        "passport",
        "Passport numbers were in the folder.",
        "No passport numbers were involved.",
        "To request a freeze, include a copy of a passport.",
    ),
    (
        "tax_id",
        "The server stored copies of tax returns.",
        "Taxpayer identification numbers were not involved.",
        "The IRS offers an Identity Protection PIN to protect your tax return.",
    ),
    (
        "government_id",
        "The records held military identification numbers.",
        "No government-issued identification numbers were involved.",
        "Bring government-issued identification to the branch when you request a freeze.",
    ),
    (
        "financial_account",
        "The files contained bank account numbers.",
        "No financial account information was involved.",
        "Review your bank account statements for unfamiliar charges.",
    ),
    (
        "payment_card",
        "The code captured payment card numbers.",
        "Payment card numbers were not involved.",
        "Contact your credit card provider if you see unfamiliar charges.",
    ),
    (
        "credentials",
        "Usernames and passwords were exposed.",
        "Account passwords were not affected.",
        "We reset all passwords as a precaution.",
    ),
    (
        "patient_id",
        "The report listed medical record numbers.",
        "Patient account numbers were not involved.",
        "Please have your patient ID card ready when you call.",
    ),
    (
        "health_insurance",
        "For some patients, health insurance information was included.",
        "No health insurance information was involved.",
        "Review the explanation of benefits statements from your insurer.",
    ),
    (
        "medical_info",
        "The records included diagnosis and treatment information.",
        "The files did not contain any clinical information.",
        "We have reviewed our policies and procedures.",
    ),
    (
        "biometric",
        "The vendor stored employee fingerprint templates, which were accessed.",
        "No biometric data was involved.",
        "Employees sign in at the front desk.",
    ),
    (
        "employment_info",
        "The share held W-2 forms and payroll records.",
        "Payroll information was not affected.",
        "Our human resources team can answer questions.",
    ),
    (
        "education_records",
        "The files contained student transcripts.",
        "No student records were involved.",
        "Students in third grade will receive new laptops.",
    ),
    (
        "demographics",
        "The survey data included race and ethnicity.",
        "Gender and ethnicity were not involved.",
        "We do not discriminate on the basis of race or sex.",
    ),
];

#[test]
fn every_data_type_is_found_negated_and_left_alone_in_advice() {
    let mut failures = Vec::new();
    for (id, involved, negated, advice) in DATA_TYPE_CASES {
        let check = |text: &str, ok: &dyn Fn(Option<Status>) -> bool, failures: &mut Vec<String>| {
            let got = type_status(&report(text), id);
            if !ok(got) {
                failures.push(format!("{id}: {text:?} gave {got:?}"));
            }
        };
        check(involved, &|s| s.is_some_and(Status::is_involved), &mut failures);
        check(negated, &|s| s == Some(Status::Negated), &mut failures);
        check(advice, &|s| s.is_none(), &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// (hedge category, an instance, a near miss).
const HEDGE_CASES: &[(&str, &str, &str)] = &[
    (
        "no_evidence_of_misuse",
        "We have no indication that any client information has been misused.",
        "Tell us if you see any misuse of your information.",
    ),
    ("no_evidence_of_access", "There is no evidence that the files were viewed or copied.", "The attacker viewed several files."),
    ("precautionary", "Out of an abundance of caution, we are offering credit monitoring.", "Be cautious with unexpected emails."),
    ("possibility", "Your information may have been accessed.", "You may call us with questions."),
    ("boilerplate_assurance", "We take the privacy of your information very seriously.", "Please take these steps to protect yourself."),
    ("sophisticated_attack", "We were the target of a sophisticated cyberattack.", "We detected unusual activity on one laptop."),
    ("inconvenience_framing", "We regret any inconvenience this may cause.", "We regret that this incident occurred."),
];

#[test]
fn every_hedge_category_is_found_and_near_misses_are_not() {
    let has = |text: &str, category: &str| report(text).hedges.iter().any(|h| h.category == category);
    let failures: Vec<String> = HEDGE_CASES
        .iter()
        .flat_map(|(c, instance, miss)| {
            [(!has(instance, c)).then(|| format!("{c}: missed {instance:?}")), has(miss, c).then(|| format!("{c}: fired on {miss:?}"))]
        })
        .flatten()
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// (disclosure, affirmed, negated, near miss that leaves it absent).
const DISCLOSURE_CASES: &[(&str, &str, &str, &str)] = &[
    (
        "exfiltration",
        "The attacker copied files from our server.",
        "There is no evidence that any data was exfiltrated.",
        "The attacker accessed one mailbox.",
    ),
    (
        "ransomware",
        "We were the victim of a ransomware attack.",
        "This was not a ransomware attack.",
        "The laptop's hard drive was protected by encryption.",
    ),
    (
        "threat_actor_claim",
        "A criminal group claimed responsibility for the attack.",
        "No group has claimed responsibility for the attack.",
        "Please contact us with questions.",
    ),
    (
        "publication",
        "Some of the data was posted on the group's leak site.",
        "We have no evidence that any data was published.",
        "We are offering dark web monitoring at no cost.",
    ),
];

#[test]
fn every_disclosure_is_affirmed_negated_and_absent_on_near_misses() {
    let mut failures = Vec::new();
    for (id, affirmed, negated, miss) in DISCLOSURE_CASES {
        for (text, want) in [(affirmed, Status::Affirmed), (negated, Status::Negated), (miss, Status::Absent)] {
            let got = report(text).disclosures.get(id).unwrap().status;
            if got != want {
                failures.push(format!("{id}: {text:?} gave {got:?}, want {want:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_issue_examples_hold() {
    assert_eq!(type_status(&report("The information did not include Social Security numbers."), "ssn"), Some(Status::Negated));
    let r = report("The data may have included your name and date of birth.");
    assert_eq!(type_status(&r, "name"), Some(Status::Possible));
    assert_eq!(type_status(&r, "date_of_birth"), Some(Status::Possible));
    let r = report("There is no evidence that your information has been misused.");
    assert!(r.hedges.iter().any(|h| h.category == "no_evidence_of_misuse"));
    assert!(r.data_types.is_empty());
    let r = report("We have no evidence that your Social Security number has been misused.");
    assert_eq!(type_status(&r, "ssn"), None, "a hedge about misuse says nothing about involvement");
    assert_eq!(report("We are monitoring the dark web for your information.").disclosures.publication.status, Status::Absent);
}

#[test]
fn mail_merge_fields_are_not_names() {
    assert!(report("Dear <<FIRST NAME>> [Last Name],\nWe are writing about an incident.").data_types.is_empty());
}
