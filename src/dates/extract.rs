//! Date extraction for breach notices: finds date expressions, then decides from cue words
//! in the surrounding sentence which one is the breach (window), the discovery and the
//! notice date. The cue vocabulary lives in a TOML pack (`rules/dates.toml`); this file
//! only implements the mechanism.

use aho_corasick::AhoCorasick;
use regex::Regex;
use serde::Deserialize;
use std::ops::Range;
use std::sync::OnceLock;

/// A cue pack, deserialized from TOML (see `rules/dates.toml`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateCues {
    /// Cues farther than this many bytes from a date are ignored.
    pub max_cue_distance: usize,
    /// A date alone on a line within this many bytes of the top is the letter date.
    pub notice_zone: usize,
    pub cues: CueLists,
    pub words: WordLists,
    /// Cue regexes, compiled on first use so that plain serde deserialization also works.
    #[serde(skip)]
    compiled: OnceLock<Vec<(Category, Regex)>>,
}

/// Cue phrases per category.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CueLists {
    pub breach: Vec<String>,
    pub discovery: Vec<String>,
    pub notice: Vec<String>,
    pub other: Vec<String>,
}

/// Single words steering range joining and date-line detection.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordLists {
    pub range_connectors: Vec<String>,
    pub range_openers: Vec<String>,
    pub qualifiers: Vec<String>,
    pub narrative_leads: Vec<String>,
    pub deadline_leads: Vec<String>,
    /// Phrases marking another party's account of events (not the organization's own).
    pub reported_speech: Vec<String>,
    /// Labels that make a date the notice's own date when they open its line or sentence
    /// ("Posted May 3, 2021.", "Updated: 2021-05-03").
    #[serde(default)]
    pub dateline_labels: Vec<String>,
    /// Phrases saying something went to the wrong recipient: in such a sentence a mailing
    /// or sending verb is the incident itself, not the notice.
    #[serde(default)]
    pub misdirection: Vec<String>,
    /// Words that, after a cue and before a date, open a complement clause ("confirmed
    /// that, on May 3, ..."): the clause's own cues then decide what the date is.
    #[serde(default)]
    pub complementizers: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    Breach,
    Discovery,
    Notice,
    Other,
}

impl DateCues {
    /// Checks a pack's `[dates]` table and compiles its cues.
    pub fn validate(&self) -> Result<(), String> {
        if self.cues.breach.is_empty() && self.cues.discovery.is_empty() {
            return Err("the [dates] table has no breach or discovery cues".to_string());
        }
        self.compiled();
        Ok(())
    }

    fn compiled(&self) -> &[(Category, Regex)] {
        self.compiled.get_or_init(|| {
            let lists = [
                (Category::Other, &self.cues.other),
                (Category::Discovery, &self.cues.discovery),
                (Category::Breach, &self.cues.breach),
                (Category::Notice, &self.cues.notice),
            ];
            lists
                .into_iter()
                .filter(|(_, l)| !l.is_empty())
                .filter_map(|(cat, list)| {
                    let mut alts: Vec<String> = list.iter().map(|c| cue_pattern(c)).collect();
                    // Leftmost-first alternation: longest phrase first so "began mailing"
                    // beats "began" at the same position.
                    alts.sort_by_key(|a| std::cmp::Reverse(a.len()));
                    // Word start only: stems match inflections, but "left" not "cleft".
                    let pattern = crate::rules::ascii_boundaries(&format!(r"(?i)\b(?:{})", alts.join("|")));
                    Regex::new(&pattern).ok().map(|re| (cat, re))
                })
                .collect()
        })
    }

    /// Category of the first cue in `text`, if any.
    fn first_cue(&self, text: &str) -> Option<Category> {
        self.compiled()
            .iter()
            .filter_map(|(cat, re)| re.find(text).map(|h| (h.start(), usize::MAX - h.len(), *cat)))
            .min_by_key(|(s, l, _)| (*s, *l))
            .map(|(_, _, c)| c)
    }

    fn has(list: &[String], word: &str) -> bool {
        list.iter().any(|w| w.eq_ignore_ascii_case(word))
    }
}

/// Regex source for one cue phrase. Spaces match any run of white space; a `...` token
/// stands for up to six words in between ("sent ... to the wrong" matches "sent the
/// letter to the wrong"), which never cross sentence punctuation.
fn cue_pattern(cue: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for word in cue.split_whitespace() {
        if word == "..." || word == "…" {
            gap = true;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if gap { r"\s+(?:[^\s.;:!?]+\s+){0,6}?" } else { r"\s+" });
        }
        gap = false;
        out.push_str(&regex::escape(word));
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Day,
    Month,
}

/// A single calendar date found in text, with its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    pub year: i32,
    pub month: u32,
    pub day: Option<u32>,
    pub start: usize,
    pub end: usize,
}

impl FoundDate {
    pub fn precision(&self) -> Precision {
        if self.day.is_some() { Precision::Day } else { Precision::Month }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateValue {
    /// "YYYY-MM-DD", or "YYYY-MM" when only the month is stated.
    pub value: String,
    /// Last day of a stated window.
    pub end: Option<String>,
    /// Byte span of the date expression in the text.
    pub evidence: Range<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dates {
    pub breach: Option<DateValue>,
    pub discovery: Option<DateValue>,
    pub notice: Option<DateValue>,
}

/// A calendar point whose year may still be unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Point {
    year: Option<i32>,
    month: u32,
    day: Option<u32>,
}

impl Point {
    /// Chronological order; a stated day sorts before a bare month of the same month.
    fn key(&self) -> (i32, u32, u32) {
        (self.year.unwrap_or(0), self.month, self.day.unwrap_or(32))
    }
    fn render(&self) -> Option<String> {
        let y = self.year?;
        Some(match self.day {
            Some(d) => format!("{y:04}-{:02}-{d:02}", self.month),
            None => format!("{y:04}-{:02}", self.month),
        })
    }
}

/// A date expression: one point, or a window.
#[derive(Debug, Clone)]
struct Mention {
    from: Point,
    to: Option<Point>,
    start: usize,
    end: usize,
    /// The year was written in the expression itself.
    explicit: bool,
}

const MONTH: &str = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)";

fn date_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        let ord = r"(?:st|nd|rd|th)?";
        let pat = format!(
            r"\b(?:(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})\b|(?P<nm>\d{{1,2}})/(?P<nd>\d{{1,2}})/(?P<ny>\d{{4}}|\d{{2}})\b|(?P<rm1>{MONTH})\.?\s*(?:-|–|—|to|through|and)\s*(?P<rm2>{MONTH})\.?,?\s+(?:of\s+)?(?P<ry>\d{{4}})\b|(?P<dd>\d{{1,2}}){ord}\s+(?:of\s+)?(?P<dmon>{MONTH})\b\.?(?:,?\s+(?P<dy>\d{{4}})\b)?|(?P<mmon>{MONTH})\.?\s+(?P<md>\d{{1,2}}){ord}\b(?:\s*(?:-|–|—|to|through|and)\s*(?P<md2>\d{{1,2}}){ord},?\s+(?P<my2>\d{{4}})\b|,?\s+(?P<my>\d{{4}})\b)?|(?P<ymon>{MONTH})\.?,?\s+(?:of\s+)?(?P<yy>\d{{4}})\b)"
        );
        // The pattern is a constant, so this only fails in a broken build (caught by tests).
        Regex::new(&crate::rules::ascii_boundaries(&pat)).ok()
    })
    .as_ref()
}

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    months.iter().position(|m| lower.starts_with(m)).map(|i| i as u32 + 1)
}

fn valid(p: Point) -> Option<Point> {
    if !(1..=12).contains(&p.month) || p.year.is_some_and(|y| !(1970..=2100).contains(&y)) {
        return None;
    }
    if let Some(d) = p.day {
        let max = match p.month {
            2 => 29,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if d == 0 || d > max {
            return None;
        }
    }
    Some(p)
}

fn num<T: std::str::FromStr>(c: &regex::Captures, name: &str) -> Option<T> {
    c.name(name).and_then(|m| m.as_str().parse().ok())
}

/// Every date expression in `text`, windows not yet joined.
fn scan(text: &str) -> Vec<Mention> {
    let mut out = Vec::new();
    let Some(re) = date_regex() else { return out };
    for c in re.captures_iter(text) {
        let Some(all) = c.get(0) else { continue };
        let point = |year: Option<i32>, month: Option<u32>, day: Option<u32>| month.and_then(|month| valid(Point { year, month, day }));
        let mon = |n: &str| c.name(n).and_then(|m| month_number(m.as_str()));
        let (from, to, explicit) = if c.name("iy").is_some() {
            (point(num(&c, "iy"), num(&c, "im"), num(&c, "id")), None, true)
        } else if c.name("nm").is_some() {
            let y = num::<i32>(&c, "ny").map(|y| if y < 100 { 2000 + y } else { y });
            (point(y, num(&c, "nm"), num(&c, "nd")), None, true)
        } else if c.name("rm1").is_some() {
            let y: Option<i32> = num(&c, "ry");
            let (m1, m2) = (mon("rm1"), mon("rm2"));
            // "December and January 2021": the window starts in the previous year.
            let y1 = y.map(|y| if m1 > m2 { y - 1 } else { y });
            (point(y1, m1, None), point(y, m2, None), true)
        } else if c.name("dmon").is_some() {
            let y: Option<i32> = num(&c, "dy");
            (point(y, mon("dmon"), num(&c, "dd")), None, y.is_some())
        } else if c.name("mmon").is_some() {
            let y2: Option<i32> = num(&c, "my2");
            let y = y2.or(num(&c, "my"));
            let to = c.name("md2").and_then(|_| point(y2, mon("mmon"), num(&c, "md2")));
            (point(y, mon("mmon"), num(&c, "md")), to, y.is_some())
        } else {
            (point(num(&c, "yy"), mon("ymon"), None), None, true)
        };
        if let Some(from) = from {
            out.push(Mention { from, to, start: all.start(), end: all.end(), explicit });
        }
    }
    out
}

/// Words before byte `pos`, nearest first, surrounding punctuation trimmed.
fn words_before(text: &str, pos: usize, n: usize) -> impl Iterator<Item = &str> {
    let head = text.get(..pos).unwrap_or("");
    head.split_whitespace()
        .rev()
        .take(n)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != ':'))
        .take_while(|w| !w.is_empty())
}

/// A time of day or time zone ("22:58", "p.m.", "BST"): it refines a date without
/// changing it, so it is skipped like a qualifier.
fn is_clock(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    (w.contains(':') && w.chars().any(|c| c.is_ascii_digit()))
        || ["am", "pm", "a.m", "p.m"].iter().any(|x| w.eq_ignore_ascii_case(x))
        || ((2..=4).contains(&w.len()) && w.chars().all(|c| c.is_ascii_uppercase()))
}

fn skippable(word: &str, cues: &DateCues) -> bool {
    is_clock(word) || DateCues::has(&cues.words.qualifiers, word)
}

/// The words before `pos` up to and including the first that is not a qualifier
/// ("on or about" → about, or, on).
fn lead_words<'a>(text: &'a str, pos: usize, cues: &'a DateCues) -> impl Iterator<Item = &'a str> {
    let mut done = false;
    words_before(text, pos, 6).take_while(move |w| {
        let more = !done;
        done = done || !skippable(w, cues);
        more
    })
}

/// Join "X to Y", "between X and Y" into windows, and give a window's start its end's year.
fn join_ranges(text: &str, mentions: Vec<Mention>, cues: &DateCues) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    for m in mentions {
        if let Some(prev) = out.last_mut().filter(|p| p.to.is_none()) {
            let gap = text.get(prev.end..m.start).unwrap_or("");
            // Only a short gap can join (checked first: the gap may run to the previous date).
            let joins = gap.len() <= 40 && {
                let mut raw = gap.split_whitespace().map(|w| w.trim_matches(',')).peekable();
                let (mut count, mut word) = (0, "");
                while let Some(w) = raw.next() {
                    // "to on or about May 7": "on" before "or" is part of the hedge.
                    let hedge_on = w.eq_ignore_ascii_case("on") && raw.peek().is_some_and(|n| n.eq_ignore_ascii_case("or"));
                    if !w.is_empty() && !skippable(w, cues) && !hedge_on {
                        count += 1;
                        word = w;
                    }
                }
                let opened = || lead_words(text, prev.start, cues).any(|w| DateCues::has(&cues.words.range_openers, w));
                count == 1 && (DateCues::has(&cues.words.range_connectors, word) || (word.eq_ignore_ascii_case("and") && opened()))
            };
            if joins {
                if prev.from.year.is_none() {
                    prev.from.year = m.from.year.map(|y| if prev.from.month > m.from.month { y - 1 } else { y });
                    prev.explicit = m.explicit;
                }
                prev.to = Some(m.from);
                prev.end = m.end;
                continue;
            }
        }
        out.push(m);
    }
    out
}

/// The span of the sentence(s) holding the mention, or of its line when no sentence covers
/// it. Both ends count, since a splitter may break after an abbreviation ("Feb. 25").
fn context(text: &str, sentences: &[Range<usize>], m: &Mention) -> Range<usize> {
    let find = |pos: usize| {
        sentences.iter().find(|s| s.contains(&pos)).map_or_else(|| line_of(text, pos), |s| s.start.min(text.len())..s.end.min(text.len()))
    };
    let (a, b) = (find(m.start), find(m.end.saturating_sub(1)));
    a.start.min(b.start)..a.end.max(b.end)
}

fn line_of(text: &str, pos: usize) -> Range<usize> {
    let start = text.get(..pos).and_then(|h| h.rfind('\n')).map_or(0, |i| i + 1);
    let end = text.get(pos..).and_then(|t| t.find('\n')).map_or(text.len(), |i| pos + i);
    start..end
}

/// The cue before a date governs a complement clause that holds the date when a
/// complementizer ("that") comes first in the words between them, possibly after a few
/// words of the verb's own ("found evidence that", "confirmed to us that, on ...").
fn governs_clause_holding(text: &str, cue_end: usize, date_start: usize, cues: &DateCues) -> bool {
    let Some(gap) = text.get(cue_end..date_start) else { return false };
    if gap.contains(['.', ';', '!', '?']) {
        return false;
    }
    gap.split_whitespace()
        .take(6)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .any(|w| DateCues::has(&cues.words.complementizers, w))
}

/// The date opens its sentence ("On May 3, 2022, ..."): only lead words before it.
fn opens_sentence(text: &str, ctx: &Range<usize>, m: &Mention, cues: &DateCues) -> bool {
    let head = text.get(ctx.start..m.start).unwrap_or("");
    let words: Vec<&str> =
        head.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric())).filter(|w| !w.is_empty()).collect();
    words.len() <= 4 && words.iter().all(|w| skippable(w, cues) || DateCues::has(&cues.words.narrative_leads, w))
}

/// Category of the cue nearest to the mention in its sentence, if any is close enough.
/// A date opening its sentence frames the whole sentence, so when no cue is close enough
/// the first cue after it in the sentence decides.
fn classify(text: &str, ctx: Range<usize>, m: &Mention, cues: &DateCues) -> Option<Category> {
    let sentence = text.get(ctx.clone())?;
    let mut best: Option<((usize, usize), Category)> = None;
    let mut first_after: Option<(usize, Category)> = None;
    for (cat, re) in cues.compiled() {
        for hit in re.find_iter(sentence) {
            let (s, e) = (ctx.start + hit.start(), ctx.start + hit.end());
            // Cue words inside the date expression itself do not count, nor does a verb
            // whose "that" clause holds the date ("determined that on May 1 X accessed"):
            // the clause's own cue tells what the date is.
            let clause = e <= m.start && governs_clause_holding(text, e, m.start, cues);
            if (s < m.end && e > m.start) || clause {
                continue;
            }
            if s >= m.end && first_after.is_none_or(|(p, _)| s < p) {
                first_after = Some((s, *cat));
            }
            let dist = if e <= m.start { m.start - e } else { s.saturating_sub(m.end) };
            // Nearest cue wins; at equal distance the longer, more specific phrase.
            let rank = (dist, usize::MAX - hit.len());
            if dist <= cues.max_cue_distance && best.is_none_or(|(r, _)| rank < r) {
                best = Some((rank, *cat));
            }
        }
    }
    best.map(|(_, c)| c).or_else(|| first_after.filter(|_| opens_sentence(text, &ctx, m, cues)).map(|(_, c)| c))
}

/// An appositive describing the date ("on May 7, 2020, the day our developer noticed it"):
/// the category of the first cue in it, which applies to the date as well.
fn appositive(text: &str, m: &Mention, cues: &DateCues) -> Option<Category> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let re =
        RE.get_or_init(|| Regex::new(r"^,\s+the\s+(?:same\s+)?(?:day|date|morning|afternoon|evening|night)\b[^.;,!?]*").ok()).as_ref()?;
    let hit = re.find(text.get(m.end..)?)?;
    cues.first_cue(hit.as_str().get(1..)?)
}

/// "the same day", "that afternoon", "later that day": a reference back to the nearest
/// preceding date with a day, within `max_cue_distance` * 3 bytes. Each comes with the
/// start of the date it refers to.
fn day_references(text: &str, mentions: &[Mention], cues: &DateCues) -> Vec<(Mention, usize)> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = RE
        .get_or_init(|| {
            Regex::new(r"(?i)\b(?:the\s+same|that|later\s+that|earlier\s+that)\s+(?:day|morning|afternoon|evening|night)\b").ok()
        })
        .as_ref()
    else {
        return Vec::new();
    };
    if text.is_ascii() && !mentions_day_time(text) {
        return Vec::new();
    }
    re.find_iter(text)
        .filter_map(|hit| {
            let prev = mentions.iter().rev().find(|p| p.end <= hit.start() && p.to.is_none())?;
            let near = hit.start() - prev.end <= cues.max_cue_distance * 3;
            (near && prev.from.day.is_some() && prev.from.year.is_some())
                .then(|| (Mention { from: prev.from, to: None, start: hit.start(), end: hit.end(), explicit: false }, prev.start))
        })
        .collect()
}

/// Whether ASCII `text` has a word the references above end with, after white space:
/// a cheap test that lets most notices skip the reference regex.
fn mentions_day_time(text: &str) -> bool {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    let Some(ac) = AC
        .get_or_init(|| AhoCorasick::builder().ascii_case_insensitive(true).build(["day", "morning", "afternoon", "evening", "night"]).ok())
        .as_ref()
    else {
        return true;
    };
    let bytes = text.as_bytes();
    ac.find_overlapping_iter(text).any(|m| {
        let space_before = m.start() > 0 && matches!(bytes[m.start() - 1], b'\t'..=b'\r' | b' ');
        let boundary_after = bytes.get(m.end()).is_none_or(|b| !b.is_ascii_alphanumeric() && *b != b'_');
        space_before && boundary_after
    })
}

fn value(m: &Mention) -> Option<DateValue> {
    Some(DateValue { value: m.from.render()?, end: m.to.and_then(|t| t.render()), evidence: m.start..m.end })
}

/// A heading in title case: at least two words, most of them capitalized
/// ("Important Notice for Online Customers").
fn title_case(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).collect();
    let capital =
        words.iter().filter(|w| w.chars().find(|c| c.is_alphanumeric()).is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())).count();
    words.len() >= 2 && capital * 10 >= words.len() * 7
}

/// The date makes a sentence of its own, alone or after a dateline label
/// ("June 20, 2022. From June 2 ...", "... Incident. Posted 2021-02-25. On ...").
fn own_sentence(text: &str, line: &Range<usize>, m: &Mention, cues: &DateCues) -> bool {
    let before = text.get(line.start..m.start).unwrap_or("");
    let head = before.rfind(['.', '!', '?']).map_or(before, |i| &before[i + 1..]);
    let head = head.trim().trim_end_matches(':').trim().to_ascii_lowercase();
    let labelled = head.is_empty() || cues.words.dateline_labels.iter().any(|l| l.eq_ignore_ascii_case(&head));
    let after = text.get(m.end..line.end).unwrap_or("").trim_start();
    let ends = after.is_empty() || (after.starts_with('.') && !after.starts_with("..")) || after.starts_with(['!', '?']);
    labelled && ends && !(head.is_empty() && after.is_empty() && !before.trim().is_empty())
}

/// The letter's own date: the first date near the top that stands alone on its line or is
/// set off like a header ("CITY, May 5, 2021 --", "(May 5, 2021)", "[Zip] 5 May 2021 NOTICE",
/// "Notice to Customers May 5, 2021" where a heading line was joined to the date line,
/// "Posted May 5, 2021."), and is not introduced by a narrative word ("on", "in", ...).
/// A month alone counts only when nothing but a heading or label shares its line or sentence.
fn letter_date(text: &str, mentions: &[Mention], cues: &DateCues) -> Option<usize> {
    let candidates = mentions.iter().enumerate().filter(|(_, m)| m.explicit && m.to.is_none() && m.start < cues.notice_zone);
    // A month-only date line gives way to a full date line further down.
    let mut month_line = None;
    for (i, m) in candidates {
        let line = line_of(text, m.start);
        let before = text.get(line.start..m.start).unwrap_or("").trim_end();
        let after = text.get(m.end..line.end).unwrap_or("").trim_start();
        let alone = !before.chars().chain(after.chars()).any(char::is_alphanumeric);
        let narrative = lead_words(text, m.start, cues)
            .any(|w| DateCues::has(&cues.words.narrative_leads, w) || DateCues::has(&cues.words.deadline_leads, w));
        let next_word = after.split_whitespace().next().unwrap_or("");
        // A date ending a line counts only after a short header ("City, State," or a
        // label), not at the end of a wrapped sentence.
        let short_head = before.ends_with(',') || before.split_whitespace().count() <= 4;
        let set_off = (after.is_empty() && short_head)
            || after.starts_with(['-', '–', '—', '/', ')', '('])
            || before.ends_with([']', '>', '('])
            || (next_word.len() >= 2 && next_word.chars().all(|c| c.is_ascii_uppercase()));
        let heading = after.is_empty() && !before.contains(['.', '!', '?']) && title_case(before);
        let layout = if m.from.day.is_some() { alone || set_off || heading } else { alone || heading };
        if (layout && !narrative) || alone || own_sentence(text, &line, m, cues) && !narrative {
            if m.from.day.is_some() {
                return Some(i);
            }
            month_line = month_line.or(Some(i));
        }
    }
    month_line
}

/// Every date point in `text` (both ends of a window), years resolved from the nearest
/// preceding stated year; dates whose year stays unknown are left out.
pub fn find_dates(text: &str) -> Vec<FoundDate> {
    let mut mentions = scan(text);
    resolve_years(&mut mentions, None);
    mentions
        .iter()
        .flat_map(|m| [Some(m.from), m.to].into_iter().flatten().map(move |p| (m, p)))
        .filter_map(|(m, p)| Some(FoundDate { year: p.year?, month: p.month, day: p.day, start: m.start, end: m.end }))
        .collect()
}

/// Give yearless dates the nearest preceding stated year, else the letter's year, else the
/// year of the next stated date when the yearless one falls earlier in that year
/// ("on 28 September ... on 8 October 2022"); leave them out when the result would fall
/// after the letter (the year is then ambiguous).
fn resolve_years(mentions: &mut [Mention], letter: Option<Point>) {
    let mut last_year: Option<i32> = None;
    for i in 0..mentions.len() {
        let m = &mentions[i];
        if m.explicit {
            last_year = m.from.year.or(last_year);
            continue;
        }
        let next_year = || {
            let next = mentions[i + 1..].iter().find(|n| n.explicit && n.from.year.is_some())?;
            let (a, b) = (m.to.unwrap_or(m.from), next.from);
            ((a.month, a.day.unwrap_or(32)) <= (b.month, b.day.unwrap_or(32))).then_some(b.year).flatten()
        };
        let year = last_year.or(letter.and_then(|l| l.year)).or_else(next_year);
        let m = &mut mentions[i];
        m.from.year = year;
        if let Some(t) = m.to.as_mut().filter(|t| t.year.is_none()) {
            t.year = year;
        }
        if let (Some(l), Some(_)) = (letter, year)
            && m.from.key() > l.key()
        {
            m.from.year = None;
        }
    }
}

/// Find the breach, discovery and notice dates of a notice.
pub fn extract(text: &str, sentences: &[Range<usize>], cues: &DateCues) -> Dates {
    let mut mentions = join_ranges(text, scan(text), cues);
    let letter = letter_date(text, &mentions, cues);
    let letter_point = letter.and_then(|i| mentions.get(i)).map(|m| m.from);
    resolve_years(&mut mentions, letter_point);

    let references = day_references(text, &mentions, cues);
    let mut breach: Vec<(usize, &Mention)> = Vec::new();
    let mut discovery: Vec<&Mention> = Vec::new();
    let mut notice: Vec<&Mention> = Vec::new();
    let own = mentions.iter().enumerate().map(|(i, m)| (Some(i), m, None));
    let refs = references.iter().map(|(m, antecedent)| (None, m, Some(*antecedent)));
    for (i, m, antecedent) in own.chain(refs) {
        if (i.is_some() && i == letter) || m.from.year.is_none() {
            continue;
        }
        if lead_words(text, m.start, cues).any(|w| DateCues::has(&cues.words.deadline_leads, w)) {
            continue;
        }
        let ctx = context(text, sentences, m);
        let sentence = text.get(ctx.clone()).unwrap_or("").to_lowercase();
        // Another party's account ("according to the vendor, ...") is not the
        // organization's own discovery.
        let reported_in = |s: &str| cues.words.reported_speech.iter().any(|r| s.contains(&r.to_lowercase()));
        // "the same day" in another party's account stays theirs.
        let antecedent_sentence = antecedent.and_then(|a| {
            let r = sentences.iter().find(|s| s.contains(&a)).cloned().unwrap_or_else(|| line_of(text, a));
            text.get(r).map(str::to_lowercase)
        });
        let reported = reported_in(&sentence) || antecedent_sentence.is_some_and(|s| reported_in(&s));
        // "statements mailed on May 3 went to the wrong members": the mailing is the incident.
        let misdirected = cues.words.misdirection.iter().any(|r| sentence.contains(&r.to_lowercase()));
        let category = match classify(text, ctx.clone(), m, cues) {
            Some(Category::Notice) if misdirected => Some(Category::Breach),
            c => c,
        };
        match category {
            Some(Category::Breach) => breach.push((ctx.start, m)),
            Some(Category::Discovery) if !reported => discovery.push(m),
            Some(Category::Notice) => notice.push(m),
            // A window with no cue at all is the incident's window: notices rarely state
            // any other span without saying what it is.
            None if m.to.is_some() => breach.push((ctx.start, m)),
            _ => {}
        }
        // "..., the day our developer identified it": the appositive says what else the date is.
        match appositive(text, m, cues) {
            Some(Category::Discovery) if category != Some(Category::Discovery) && !reported => discovery.push(m),
            Some(Category::Breach) if category != Some(Category::Breach) => breach.push((ctx.start, m)),
            _ => {}
        }
    }

    let breach_value = breach.iter().min_by_key(|(_, m)| (m.from.key(), m.to.is_none())).and_then(|(sent, first)| {
        let mut v = value(first)?;
        // "began in February and ended in December": a later breach date in the same
        // sentence closes the window.
        if v.end.is_none() {
            let last = breach.iter().filter(|(s, m)| s == sent && m.from.key() > first.from.key()).max_by_key(|(_, m)| m.from.key());
            if let Some((_, m)) = last {
                v.end = m.from.render();
                v.evidence = v.evidence.start..m.end.max(v.evidence.end);
            }
        }
        Some(v)
    });
    Dates {
        breach: breach_value,
        // The earliest awareness counts, not later determinations.
        discovery: discovery.iter().min_by_key(|m| m.from.key()).and_then(|m| value(m)),
        // Without a date line, the last stated mailing/posting is the notice itself
        // (earlier ones are typically notices to business clients or regulators).
        notice: letter
            .and_then(|i| mentions.get(i))
            .and_then(value)
            .or_else(|| notice.iter().max_by_key(|m| m.from.key()).and_then(|m| value(m))),
    }
}
