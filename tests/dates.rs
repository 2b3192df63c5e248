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
