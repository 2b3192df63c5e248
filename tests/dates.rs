//! Table-driven tests on fictional sentences: formats, year context, and the
//! breach / discovery / notice distinction.

use noticelint::RuleSet;
use noticelint::dates::extract::{Dates, Precision, extract, find_dates};
use std::ops::Range;

fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().unwrap())
}

/// Sentence ranges from the real segmenter.
fn sentences(text: &str) -> Vec<Range<usize>> {
    noticelint::segment::segment(text, &rules().text).sentences.iter().map(|s| s.range.clone()).collect()
}

fn run(text: &str) -> Dates {
    extract(text, &sentences(text), &rules().dates)
}

/// (breach start, breach end, discovery, notice) as strings.
type Want = (Option<&'static str>, Option<&'static str>, Option<&'static str>, Option<&'static str>);

fn got(d: &Dates) -> (Option<String>, Option<String>, Option<String>, Option<String>) {
    (
        d.breach.as_ref().map(|v| v.value.clone()),
        d.breach.as_ref().and_then(|v| v.end.clone()),
        d.discovery.as_ref().map(|v| v.value.clone()),
        d.notice.as_ref().map(|v| v.value.clone()),
    )
}

fn check(cases: &[(&str, Want)]) {
    for (text, want) in cases {
        let want = (want.0.map(String::from), want.1.map(String::from), want.2.map(String::from), want.3.map(String::from));
        assert_eq!(got(&run(text)), want, "text: {text}");
    }
}

#[test]
fn formats() {
    check(&[
        ("On February 25, 2021, an intruder accessed a file server.", (Some("2021-02-25"), None, None, None)),
        ("On Feb. 25, 2021, an intruder accessed a file server.", (Some("2021-02-25"), None, None, None)),
        ("On 25 February 2021 an intruder accessed a file server.", (Some("2021-02-25"), None, None, None)),
        ("On 2/25/21 an intruder accessed a file server.", (Some("2021-02-25"), None, None, None)),
        ("On 02/25/2021 an intruder accessed a file server.", (Some("2021-02-25"), None, None, None)),
        ("On 2021-02-25 an intruder accessed a file server.", (Some("2021-02-25"), None, None, None)),
        ("The laptop was stolen in late February 2021.", (Some("2021-02"), None, None, None)),
        ("The intrusion began in February 2021 and ended in April 2021.", (Some("2021-02"), Some("2021-04"), None, None)),
        ("Someone accessed the mailbox between May 1 and May 7, 2020.", (Some("2020-05-01"), Some("2020-05-07"), None, None)),
        ("Someone accessed the mailbox from May 1, 2020 to May 7, 2020.", (Some("2020-05-01"), Some("2020-05-07"), None, None)),
        ("Someone accessed the mailbox May 1 – 7, 2020.", (Some("2020-05-01"), Some("2020-05-07"), None, None)),
        ("Someone accessed the mailbox from May 1, 2020 through May 7, 2020.", (Some("2020-05-01"), Some("2020-05-07"), None, None)),
        ("Someone accessed the mailbox from May 1, 2020 until May 7, 2020.", (Some("2020-05-01"), Some("2020-05-07"), None, None)),
        ("Records were copied between March and June 2019.", (Some("2019-03"), Some("2019-06"), None, None)),
        ("Records were copied between December 28, 2019 and January 3, 2020.", (Some("2019-12-28"), Some("2020-01-03"), None, None)),
        (
            "The attacker was active from 08:15 GMT 3 June 2022 until 17:40 GMT 9 June 2022.",
            (Some("2022-06-03"), Some("2022-06-09"), None, None),
        ),
    ]);
}

#[test]
fn year_from_context() {
    check(&[
        // A yearless date takes the nearest preceding stated year.
        (
            "In 2022 we updated our systems. On January 9, 2022, the vendor informed us of a problem. Our review showed that on or about March 3 an outsider accessed the portal.",
            (Some("2022-03-03"), None, Some("2022-01-09"), None),
        ),
        // With no stated year before it, the letter's year applies.
        (
            "July 30, 2023\n\nDear Member,\nOn or about July 2 we detected unusual activity in an inbox.",
            (None, None, Some("2023-07-02"), Some("2023-07-30")),
        ),
        // A yearless date that would fall after the letter is ambiguous and left out.
        ("March 1, 2023\n\nDear Member,\nOn December 12 we detected unusual activity.", (None, None, None, Some("2023-03-01"))),
        // No year anywhere: left out.
        ("On March 3 we discovered that an email account was accessed.", (None, None, None, None)),
    ]);
}

#[test]
fn breach_discovery_notice() {
    check(&[
        (
            "On April 4, 2022, we discovered suspicious activity in our network. The investigation found that an unknown actor accessed our systems between March 28, 2022 and April 3, 2022.",
            (Some("2022-03-28"), Some("2022-04-03"), Some("2022-04-04"), None),
        ),
        // The later determination of whose data was involved is not the discovery.
        (
            "On June 1, 2021, Example Clinic became aware of unusual activity. On August 20, 2021, the review was completed and we determined that your information was involved.",
            (None, None, Some("2021-06-01"), None),
        ),
        (
            "We learned on October 5, 2020 that a package of records went missing. The package was lost on September 30, 2020.",
            (Some("2020-09-30"), None, Some("2020-10-05"), None),
        ),
        // "determined that on DATE ..." : the clause's own cue decides.
        (
            "Our investigation determined that on or about January 14, 2024, an outside party gained access to one workstation.",
            (Some("2024-01-14"), None, None, None),
        ),
        // The earliest awareness wins.
        (
            "We identified the intrusion on May 20, 2022. We first noticed slow servers on May 18, 2022.",
            (None, None, Some("2022-05-18"), None),
        ),
        // Letter date alone on a line near the top; deadlines are ignored.
        (
            "Example Water District\n123 Main Street\n\nNovember 2, 2022\n\nDear Customer:\nOn September 9, 2022, we detected ransomware on a server. Please enroll by January 31, 2023.",
            (None, None, Some("2022-09-09"), Some("2022-11-02")),
        ),
        // Press-release dateline.
        (
            "SPRINGFIELD, Ill., March 14, 2024 -- Example Health announced that it experienced a cyber incident on January 29, 2024.",
            (Some("2024-01-29"), None, None, Some("2024-03-14")),
        ),
        // No date line: the stated mailing date.
        (
            "We began mailing letters to affected patients on December 1, 2019. Someone gained access to one mailbox on October 10, 2019.",
            (Some("2019-10-10"), None, None, Some("2019-12-01")),
        ),
        // Another party's account is not the organization's discovery.
        (
            "According to our vendor, on May 2, 2023 it became aware of an intrusion. We were notified by the vendor on May 9, 2023.",
            (None, None, Some("2023-05-09"), None),
        ),
        // Dates unrelated to the incident stay out.
        ("Our call center is open until June 30, 2021, and the offer expires on July 31, 2021.", (None, None, None, None)),
    ]);
}

#[test]
fn find_dates_and_precision() {
    let text = "Filed 4 May 2020; updated in June 2020.";
    let found = find_dates(text);
    assert_eq!(found.len(), 2);
    assert_eq!((found[0].year, found[0].month, found[0].day), (2020, 5, Some(4)));
    assert_eq!(found[0].precision(), Precision::Day);
    assert_eq!(text.get(found[0].start..found[0].end), Some("4 May 2020"));
    assert_eq!(found[1].precision(), Precision::Month);
}

#[test]
fn evidence_spans_the_date() {
    let text = "On June 3, 2021, we discovered that a mailbox was accessed.";
    let d = run(text);
    let ev = d.discovery.map(|v| v.evidence).unwrap_or_default();
    assert_eq!(text.get(ev), Some("June 3, 2021"));
}

#[test]
fn a_dates_table_without_cues_is_refused() {
    let mut packs: Vec<(String, String)> =
        noticelint::rules::BUILTIN_PACKS.iter().filter(|(n, _)| *n != "dates.toml").map(|(n, s)| (n.to_string(), s.to_string())).collect();
    packs.push(("dates.toml".into(), "[dates]\nmax_cue_distance = 1\nnotice_zone = 1\n[dates.cues]\nbreach = []\ndiscovery = []\nnotice = []\nother = []\n[dates.words]\nrange_connectors = []\nrange_openers = []\nqualifiers = []\nnarrative_leads = []\ndeadline_leads = []\nreported_speech = []\n".into()));
    let err = noticelint::RuleSet::from_sources(packs).unwrap_err();
    assert!(err.to_string().contains("dates.toml"), "{err}");
    let mut packs: Vec<(String, String)> = noticelint::rules::BUILTIN_PACKS.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect();
    packs.push(("extra.toml".into(), "[dates]\nbogus = 1\n".into()));
    assert!(noticelint::RuleSet::from_sources(packs).is_err());
}

#[test]
fn cues_that_do_not_compile_are_refused_not_dropped() {
    // Cues with `...` gaps compile to large automata: enough of them pass the regex size
    // limit, which must stop rule loading with the category named, not lose the category.
    let builtin = noticelint::rules::BUILTIN_PACKS.iter().find(|(n, _)| *n == "dates.toml").unwrap().1;
    let many: Vec<String> = (0..2000).map(|i| format!("\"cue{i} ... w{i} ... x{i}\"")).collect();
    assert!(builtin.contains("\nother = ["), "the built-in pack's `other` cues, which this test adds to");
    let dates = builtin.replacen("\nother = [", &format!("\nother = [{}, ", many.join(", ")), 1);
    let packs = noticelint::rules::BUILTIN_PACKS
        .iter()
        .map(|(n, s)| (n.to_string(), if *n == "dates.toml" { dates.clone() } else { s.to_string() }));
    let err = noticelint::RuleSet::from_sources(packs).unwrap_err().to_string();
    assert!(err.contains("dates.toml") && err.contains("[dates.cues] other"), "{err}");
}

#[test]
fn no_panic_on_odd_input() {
    let cues = &rules().dates;
    let inputs = [
        "",
        "é—May 1 – 7, 2020 ü",
        "99/99/9999 0000-00-00 February 30, 2021 13/45/21",
        "«May 3» 日本 between June 1 and",
        "\n\n\nMay 2020\n",
    ];
    for t in inputs {
        // Sentence ranges that are out of bounds or split characters must not panic either.
        let bad = [0..t.len() + 10, 1..2, Range { start: 3, end: 1 }];
        let _ = extract(t, &bad, cues);
        let _ = extract(t, &sentences(t), cues);
        let _ = find_dates(t);
    }
}

#[test]
fn reporting_verbs_do_not_govern_their_that_clause() {
    check(&[
        // "confirmed that," with a comma before the date: the clause's own verb decides.
        (
            "The review confirmed that, on March 9, 2023, an outsider used a stolen password to reach a billing server.",
            (Some("2023-03-09"), None, None, None),
        ),
        // "found that" is a discovery cue, but the window sits inside its clause.
        (
            "Our forensic firm found that an intruder had access to two mailboxes between April 2 and April 9, 2021.",
            (Some("2021-04-02"), Some("2021-04-09"), None, None),
        ),
        // A few words of the verb's own may come before "that".
        (
            "We determined with the help of specialists that on 4 May 2022 a former contractor copied a customer list.",
            (Some("2022-05-04"), None, None, None),
        ),
        // The verb still governs a date between it and its clause.
        ("We discovered on August 30, 2021 that a vendor portal had been misconfigured.", (None, None, Some("2021-08-30"), None)),
    ]);
}

#[test]
fn misdirected_mail_and_email() {
    check(&[
        // A gapped cue: "sent ... to the wrong".
        ("On May 12, 2022, a clerk sent a spreadsheet of member names to the wrong vendor.", (Some("2022-05-12"), None, None, None)),
        // In a misdirection sentence a mailing verb is the incident, not the notice.
        (
            "On June 8, 2023, we learned that renewal notices mailed on May 30, 2023 were placed in envelopes addressed to other customers.",
            (Some("2023-05-30"), None, Some("2023-06-08"), None),
        ),
        // Without misdirection, mailing is still the notice.
        ("We mailed these letters on July 14, 2023 to everyone whose file was copied.", (None, None, None, Some("2023-07-14"))),
        // A sentence-opening date takes the sentence's verb even when it comes late.
        (
            "On October 2, 2020, a coordinator in our scheduling department who was preparing a quarterly summary of appointment volumes for a partner hospital attached a workbook to a message and sent the workbook to an outside address.",
            (Some("2020-10-02"), None, None, None),
        ),
    ]);
}

#[test]
fn day_references_and_appositives() {
    check(&[
        // "the same evening" refers back to the last full date.
        (
            "On January 15, 2024, a staff member left a tablet in a taxi. He reported it missing the same evening.",
            (Some("2024-01-15"), None, Some("2024-01-15"), None),
        ),
        (
            "On March 3, 2021, a billing clerk emailed a claims file to an unintended recipient. She realized the mistake on March 5, 2021 and told her manager that day.",
            (Some("2021-03-03"), None, Some("2021-03-05"), None),
        ),
        // Another party's account stays theirs, also when referred back to.
        (
            "According to our vendor, on March 2, 2024 it detected ransomware. On the same day it discovered the attack, the vendor shut down its servers.",
            (None, None, None, None),
        ),
        // An appositive says what else the date is.
        (
            "A script ran on our checkout page between July 3 and July 10, 2021, and we removed it on July 10, 2021, the day our hosting company detected it.",
            (Some("2021-07-03"), Some("2021-07-10"), Some("2021-07-10"), None),
        ),
    ]);
}

/// The built-in packs with `dates.toml` changed by `edit`.
fn packs_with_dates(edit: impl Fn(&str) -> String) -> Vec<(String, String)> {
    noticelint::rules::BUILTIN_PACKS
        .iter()
        .map(|(n, s)| (n.to_string(), if *n == "dates.toml" { edit(s) } else { s.to_string() }))
        .collect()
}

#[test]
fn day_references_come_from_the_pack() {
    let discovery = |rules: &RuleSet, text: &str| extract(text, &sentences(text), &rules.dates).discovery.map(|v| v.value);
    // A phrase the built-in pack does not have counts once a pack lists it.
    let text =
        "On March 3, 2021, a billing clerk emailed a claims file to an unintended recipient. Her manager learned of it that very day.";
    assert_eq!(discovery(rules(), text), None);
    let custom = packs_with_dates(|s| s.replace("phrases = [\n", "phrases = [\n  \"that very day\",\n"));
    let custom = RuleSet::from_sources(custom).unwrap();
    assert_eq!(discovery(&custom, text).as_deref(), Some("2021-03-03"));
    // And a built-in phrase stops counting once the pack leaves it out.
    let text = "On January 15, 2024, a staff member left a tablet in a taxi. He reported it missing the same evening.";
    assert_eq!(discovery(rules(), text).as_deref(), Some("2024-01-15"));
    let without = packs_with_dates(|s| s.replace("\"the same evening\", ", ""));
    assert_eq!(discovery(&RuleSet::from_sources(without).unwrap(), text), None);
    // Appositives too.
    let text = "A script ran on our checkout page and we removed it on July 10, 2021, the day our hosting company detected it.";
    assert_eq!(discovery(rules(), text).as_deref(), Some("2021-07-10"));
    let without = packs_with_dates(|s| s.replace("appositives = [\n  \"the day\", ", "appositives = [\n  "));
    assert_eq!(discovery(&RuleSet::from_sources(without).unwrap(), text), None);
}

#[test]
fn a_malformed_day_reference_names_its_file_and_line() {
    let line = |src: &str, needle: &str| src[..src.find(needle).unwrap()].lines().count();
    for (bad, why) in [("\"that ... day\"", "gap"), ("\"  \"", "empty"), ("\"the same day,\"", "letter or digit")] {
        let packs = packs_with_dates(|s| s.replace("phrases = [\n", &format!("phrases = [\n  {bad},\n")));
        let src = &packs.iter().find(|(n, _)| n == "dates.toml").unwrap().1;
        let err = RuleSet::from_sources(packs.clone()).unwrap_err().to_string();
        let at = format!("dates.toml:{}:", line(src, bad));
        assert!(err.starts_with(&at) && err.contains(why), "{err} (want {at} ... {why})");
    }
    // A key the table does not know is a TOML error with its line too.
    let packs = packs_with_dates(|s| s.replace("appositives = [", "apositives = ["));
    let err = RuleSet::from_sources(packs).unwrap_err().to_string();
    assert!(err.starts_with("dates.toml:") && err.contains("apositives"), "{err}");
}

#[test]
fn letter_date_layouts() {
    check(&[
        // A long heading joined to the date line by normalization.
        (
            "Harbor Credit Union - Notice of Email Security Incident for Members November 8, 2022\n\nOn October 1, 2022, we detected unusual activity in one mailbox.",
            (None, None, Some("2022-10-01"), Some("2022-11-08")),
        ),
        // The date is a sentence of its own at the start of the text.
        (
            "Notice About Our Patient Portal\n\nMay 4, 2023. Between April 1 and April 3, 2023, a coding error allowed some patients to see other patients' messages.",
            (Some("2023-04-01"), Some("2023-04-03"), None, Some("2023-05-04")),
        ),
        // A dateline label in a one-line notice.
        (
            "Town of Example - Notice of Payment Page Incident. Posted 2022-03-15. On 2022-03-01, we detected unusual activity on the payment page.",
            (None, None, Some("2022-03-01"), Some("2022-03-15")),
        ),
        // A month in a title.
        (
            "Update on Network Incident - August 2021\n\nIn early July 2021, we discovered unusual activity on our network.",
            (None, None, Some("2021-07"), Some("2021-08")),
        ),
        // A month title gives way to a full date line below it.
        (
            "Notice of Data Incident June 2023\n\nJune 14, 2023\n\nDear Patient,\nOn May 2, 2023, we detected ransomware on one server.",
            (None, None, Some("2023-05-02"), Some("2023-06-14")),
        ),
        // A narrative sentence ending in a date is not a date line.
        ("Summary of Events\n\nWe finished restoring our systems on May 20, 2023.", (None, None, None, None)),
    ]);
}

#[test]
fn phishing_events() {
    check(&[
        (
            "In mid-March 2022, an employee received a phishing email and entered her password on a fake page.",
            (Some("2022-03"), None, None, None),
        ),
        (
            "On April 2, 2021, an employee received an email that appeared to come from our CEO. On April 6, 2021, we learned the message was fraudulent.",
            (Some("2021-04-02"), None, Some("2021-04-06"), None),
        ),
        // The organization receiving a message is still how it learns.
        ("On September 19, 2022, we received an email from a group claiming to hold our files.", (None, None, Some("2022-09-19"), None)),
    ]);
}

#[test]
fn year_from_a_later_date() {
    check(&[
        (
            "On 12 August, an intruder accessed one server. We detected the intrusion on 20 August 2022.",
            (Some("2022-08-12"), None, Some("2022-08-20"), None),
        ),
        // Falling after the later date's day in that year, the year is ambiguous: left out.
        (
            "On 20 December, an intruder accessed one server. We detected the intrusion on 3 January 2023.",
            (None, None, Some("2023-01-03"), None),
        ),
    ]);
}
