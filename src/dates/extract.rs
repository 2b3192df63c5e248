//! Date extraction for breach notices: finds date expressions, then decides from cue words
//! in the surrounding sentence which one is the breach (window), the discovery and the
//! notice date. The cue vocabulary lives in a TOML pack (`rules/dates.toml`); this file
//! only implements the mechanism.

use regex::Regex;
use serde::Deserialize;
use std::ops::Range;
use std::sync::OnceLock;

use super::cues::{Category, CueMatcher, Hit, SentenceCues};
use super::references::References;
pub use super::references::{DatesError, DayReferences};

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
    /// Phrases that refer back to a nearby full date (`[dates.day_references]`).
    #[serde(default)]
    pub day_references: DayReferences,
    /// Cues and day references, compiled on first use so that plain serde deserialization
    /// also works.
    #[serde(skip)]
    compiled: OnceLock<CueMatcher>,
    #[serde(skip)]
    references: OnceLock<References>,
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

impl DateCues {
    /// Checks a pack's `[dates]` table and compiles its cues and day references.
    pub fn validate(&self) -> Result<(), DatesError> {
        if self.cues.breach.is_empty() && self.cues.discovery.is_empty() {
            return Err(DatesError { span: None, message: "the [dates] table has no breach or discovery cues".to_string() });
        }
        let references = References::new(&self.day_references)?;
        let _ = self.references.set(references);
        let cues = self.compile().map_err(|message| DatesError { span: None, message })?;
        let _ = self.compiled.set(cues);
        Ok(())
    }

    fn compile(&self) -> Result<CueMatcher, String> {
        CueMatcher::new(&self.cues, &self.words.misdirection, &self.words.reported_speech)
    }

    /// The cues as `validate` compiled them (rule loading refuses a table whose cues do
    /// not compile; a table never validated finds no cues then).
    fn compiled(&self) -> &CueMatcher {
        self.compiled.get_or_init(|| self.compile().unwrap_or_default())
    }

    fn references(&self) -> &References {
        self.references.get_or_init(|| References::new(&self.day_references).unwrap_or_default())
    }

    fn has(list: &[String], word: &str) -> bool {
        list.iter().any(|w| w.eq_ignore_ascii_case(word))
    }
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
        let fits = u32::try_from(y).is_ok_and(|y| y <= 9999) && self.month <= 99 && self.day.is_none_or(|d| d <= 99);
        if !fits {
            return Some(match self.day {
                Some(d) => format!("{y:04}-{:02}-{d:02}", self.month),
                None => format!("{y:04}-{:02}", self.month),
            });
        }
        // By hand: `format!` was a twentieth of the date stage.
        fn digits(out: &mut String, n: u32, width: u32) {
            for k in (0..width).rev() {
                out.push(char::from(b'0' + (n / 10u32.pow(k) % 10) as u8));
            }
        }
        let mut out = String::with_capacity(10);
        digits(&mut out, y as u32, 4);
        for part in [Some(self.month), self.day].into_iter().flatten() {
            out.push('-');
            digits(&mut out, part, 2);
        }
        Some(out)
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
    let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let head = name.as_bytes().get(..3)?;
    months.iter().position(|m| head.eq_ignore_ascii_case(m.as_bytes())).map(|i| i as u32 + 1)
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

/// The named groups of one date expression (see [`date_regex`]), as text.
#[derive(Debug, Default, PartialEq, Eq)]
struct DateCaps<'t> {
    start: usize,
    end: usize,
    iy: Option<&'t str>,
    im: Option<&'t str>,
    id: Option<&'t str>,
    nm: Option<&'t str>,
    nd: Option<&'t str>,
    ny: Option<&'t str>,
    rm1: Option<&'t str>,
    rm2: Option<&'t str>,
    ry: Option<&'t str>,
    dd: Option<&'t str>,
    dmon: Option<&'t str>,
    dy: Option<&'t str>,
    mmon: Option<&'t str>,
    md: Option<&'t str>,
    md2: Option<&'t str>,
    my2: Option<&'t str>,
    my: Option<&'t str>,
    ymon: Option<&'t str>,
    yy: Option<&'t str>,
}

impl<'t> DateCaps<'t> {
    fn from_regex(c: &regex::Captures<'t>) -> Option<DateCaps<'t>> {
        let all = c.get(0)?;
        let g = |name: &str| c.name(name).map(|m| m.as_str());
        Some(DateCaps {
            start: all.start(),
            end: all.end(),
            iy: g("iy"),
            im: g("im"),
            id: g("id"),
            nm: g("nm"),
            nd: g("nd"),
            ny: g("ny"),
            rm1: g("rm1"),
            rm2: g("rm2"),
            ry: g("ry"),
            dd: g("dd"),
            dmon: g("dmon"),
            dy: g("dy"),
            mmon: g("mmon"),
            md: g("md"),
            md2: g("md2"),
            my2: g("my2"),
            my: g("my"),
            ymon: g("ymon"),
            yy: g("yy"),
        })
    }

    /// The mention the expression states, if its date exists.
    fn mention(&self) -> Option<Mention> {
        fn num<T: std::str::FromStr>(s: Option<&str>) -> Option<T> {
            s.and_then(|s| s.parse().ok())
        }
        let point = |year: Option<i32>, month: Option<u32>, day: Option<u32>| month.and_then(|month| valid(Point { year, month, day }));
        let mon = |s: Option<&str>| s.and_then(month_number);
        let (from, to, explicit) = if self.iy.is_some() {
            (point(num(self.iy), num(self.im), num(self.id)), None, true)
        } else if self.nm.is_some() {
            let y = num::<i32>(self.ny).map(|y| if y < 100 { 2000 + y } else { y });
            (point(y, num(self.nm), num(self.nd)), None, true)
        } else if self.rm1.is_some() {
            let y: Option<i32> = num(self.ry);
            let (m1, m2) = (mon(self.rm1), mon(self.rm2));
            // "December and January 2021": the window starts in the previous year.
            let y1 = y.map(|y| if m1 > m2 { y - 1 } else { y });
            (point(y1, m1, None), point(y, m2, None), true)
        } else if self.dmon.is_some() {
            let y: Option<i32> = num(self.dy);
            (point(y, mon(self.dmon), num(self.dd)), None, y.is_some())
        } else if self.mmon.is_some() {
            let y2: Option<i32> = num(self.my2);
            let y = y2.or(num(self.my));
            let to = self.md2.and_then(|_| point(y2, mon(self.mmon), num(self.md2)));
            (point(y, mon(self.mmon), num(self.md)), to, y.is_some())
        } else {
            (point(num(self.yy), mon(self.ymon), None), None, true)
        };
        Some(Mention { from: from?, to, start: self.start, end: self.end, explicit })
    }
}

/// Every date expression in `text`, windows not yet joined.
fn scan(text: &str) -> Vec<Mention> {
    if text.is_ascii() {
        return AsciiDates::new(text).filter_map(|c| c.mention()).collect();
    }
    scan_regex(text)
}

/// [`scan`] by the date regex itself; any text.
fn scan_regex(text: &str) -> Vec<Mention> {
    let Some(re) = date_regex() else { return Vec::new() };
    re.captures_iter(text).filter_map(|c| DateCaps::from_regex(&c)?.mention()).collect()
}

/// The matches of [`date_regex`] in ASCII text, found without the regex: a hand-written
/// backtracking matcher that tries the regex's alternatives and their options in the
/// regex's own order (leftmost-first), so it finds the same expressions and groups
/// (a test checks this against the regex). In ASCII text `\d` is `[0-9]`, `\s` is
/// `[\t\n\x0B\x0C\r ]` and the dash alternatives cannot occur.
///
/// Every expression holds a digit, so the search jumps from digit to digit: the starts
/// worth trying are the digit itself and the few words just before it, which may open
/// "May 5", "March of 2021" or "January to March 2021".
struct AsciiDates<'t> {
    text: &'t str,
    b: &'t [u8],
    pos: usize,
    /// Candidate word starts before the current digit, nearest first.
    pending: [usize; 4],
    pending_len: usize,
}

/// `(end, ...)` options of one regex element at a position, most preferred first.
type Opts = [Option<usize>; 3];

impl<'t> AsciiDates<'t> {
    fn new(text: &'t str) -> Self {
        AsciiDates { text, b: text.as_bytes(), pos: 0, pending: [0; 4], pending_len: 0 }
    }

    fn digit(&self, i: usize) -> bool {
        self.b.get(i).is_some_and(u8::is_ascii_digit)
    }

    fn word(&self, i: usize) -> bool {
        self.b.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    }

    /// `(?-u:\b)` at `i`.
    fn boundary(&self, i: usize) -> bool {
        (i > 0 && self.word(i - 1)) != self.word(i)
    }

    fn is_space(c: u8) -> bool {
        matches!(c, b'\t'..=b'\r' | b' ')
    }

    /// End of the white space run at `i` (`\s*`; `\s+` when it moved). Only the longest
    /// run can succeed in this regex: what follows a run never starts with white space.
    fn spaces(&self, i: usize) -> usize {
        let mut j = i;
        while self.b.get(j).is_some_and(|c| Self::is_space(*c)) {
            j += 1;
        }
        j
    }

    fn at(&self, i: usize, lit: &[u8]) -> bool {
        self.b.get(i..i + lit.len()) == Some(lit)
    }

    /// `\d{n}` exactly.
    fn digits(&self, i: usize, n: usize) -> bool {
        (i..i + n).all(|k| self.digit(k))
    }

    /// `\d{1,2}`.
    fn digits12(&self, i: usize) -> Opts {
        match (self.digit(i), self.digit(i + 1)) {
            (true, true) => [Some(i + 2), Some(i + 1), None],
            (true, false) => [Some(i + 1), None, None],
            _ => [None; 3],
        }
    }

    /// An optional literal byte (`\.?`, `,?`).
    fn maybe(&self, i: usize, c: u8) -> Opts {
        if self.b.get(i) == Some(&c) { [Some(i + 1), Some(i), None] } else { [Some(i), None, None] }
    }

    /// `(?:st|nd|rd|th)?`.
    fn ordinal(&self, i: usize) -> Opts {
        if [b"st", b"nd", b"rd", b"th"].iter().any(|o| self.at(i, *o)) { [Some(i + 2), Some(i), None] } else { [Some(i), None, None] }
    }

    /// `(?:of\s+)?`.
    fn of(&self, i: usize) -> Opts {
        let after = self.spaces(i + 2);
        if self.at(i, b"of") && after > i + 2 { [Some(after), Some(i), None] } else { [Some(i), None, None] }
    }

    /// `(?:-|–|—|to|through|and)`: at most one can match at a position.
    fn connector(&self, i: usize) -> Option<usize> {
        [&b"-"[..], b"to", b"through", b"and"].iter().find(|c| self.at(i, c)).map(|c| i + c.len())
    }

    /// The regex's month alternation (case-sensitive, as written).
    fn month(&self, i: usize) -> Opts {
        const SHORT: [(&[u8], &[&[u8]]); 12] = [
            (b"Jan", &[b"uary"]),
            (b"Feb", &[b"ruary"]),
            (b"Mar", &[b"ch"]),
            (b"Apr", &[b"il"]),
            (b"May", &[]),
            (b"Jun", &[b"e"]),
            (b"Jul", &[b"y"]),
            (b"Aug", &[b"ust"]),
            (b"Sep", &[b"tember", b"t"]),
            (b"Oct", &[b"ober"]),
            (b"Nov", &[b"ember"]),
            (b"Dec", &[b"ember"]),
        ];
        const LONG: [&[u8]; 12] = [
            b"JANUARY",
            b"FEBRUARY",
            b"MARCH",
            b"APRIL",
            b"MAY",
            b"JUNE",
            b"JULY",
            b"AUGUST",
            b"SEPTEMBER",
            b"OCTOBER",
            b"NOVEMBER",
            b"DECEMBER",
        ];
        let mut out = [None; 3];
        let Some(head3) = self.b.get(i..i + 3) else { return out };
        // Most words start with another letter.
        if !matches!(head3[0], b'J' | b'F' | b'M' | b'A' | b'S' | b'O' | b'N' | b'D') {
            return out;
        }
        // The three letters name the month: a jump instead of a search of both tables.
        let index = |head: &[u8]| -> Option<usize> {
            Some(match head {
                b"jan" => 0,
                b"feb" => 1,
                b"mar" => 2,
                b"apr" => 3,
                b"may" => 4,
                b"jun" => 5,
                b"jul" => 6,
                b"aug" => 7,
                b"sep" => 8,
                b"oct" => 9,
                b"nov" => 10,
                b"dec" => 11,
                _ => return None,
            })
        };
        let (second, third) = (head3[1], head3[2]);
        let lower = [head3[0].to_ascii_lowercase(), second.to_ascii_lowercase(), third.to_ascii_lowercase()];
        let k = index(&lower);
        if let Some((head, tails)) = k.filter(|_| second.is_ascii_lowercase() && third.is_ascii_lowercase()).map(|k| SHORT[k]) {
            let mut k = 0;
            for t in tails.iter().filter(|t| self.at(i + head.len(), t)) {
                out[k] = Some(i + head.len() + t.len());
                k += 1;
            }
            out[k] = Some(i + head.len());
        } else if let Some(m) =
            k.filter(|_| second.is_ascii_uppercase() && third.is_ascii_uppercase()).map(|k| LONG[k]).filter(|m| self.at(i, m))
        {
            out[0] = Some(i + m.len());
        }
        out
    }

    fn s(&self, r: Range<usize>) -> Option<&'t str> {
        self.text.get(r)
    }

    /// `\d{4}\b` at `i`.
    fn year(&self, i: usize) -> bool {
        self.digits(i, 4) && self.boundary(i + 4)
    }

    /// The regex's match starting at `p` (where `\b` holds), if any.
    fn match_at(&self, p: usize) -> Option<DateCaps<'t>> {
        let o = |x: Opts| x.into_iter().flatten();
        let caps = |end: usize| DateCaps { start: p, end, ..DateCaps::default() };
        if self.digit(p) {
            if !self.digits_may_open(p, self.digit_run(p)) {
                return None;
            }
            // (?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})\b
            if self.digits(p, 4) && self.at(p + 4, b"-") {
                for e1 in o(self.digits12(p + 5)).filter(|&e| self.at(e, b"-")) {
                    if let Some(e2) = o(self.digits12(e1 + 1)).find(|&e| self.boundary(e)) {
                        return Some(DateCaps { iy: self.s(p..p + 4), im: self.s(p + 5..e1), id: self.s(e1 + 1..e2), ..caps(e2) });
                    }
                }
            }
            // (?P<nm>\d{1,2})/(?P<nd>\d{1,2})/(?P<ny>\d{4}|\d{2})\b
            for e1 in o(self.digits12(p)).filter(|&e| self.at(e, b"/")) {
                for e2 in o(self.digits12(e1 + 1)).filter(|&e| self.at(e, b"/")) {
                    let y = e2 + 1;
                    let ny = [self.digits(y, 4).then_some(y + 4), self.digits(y, 2).then_some(y + 2)];
                    if let Some(e3) = ny.into_iter().flatten().find(|&e| self.boundary(e)) {
                        return Some(DateCaps { nm: self.s(p..e1), nd: self.s(e1 + 1..e2), ny: self.s(y..e3), ..caps(e3) });
                    }
                }
            }
            // (?P<dd>\d{1,2}){ord}\s+(?:of\s+)?(?P<dmon>{MONTH})\b\.?(?:,?\s+(?P<dy>\d{4})\b)?
            for e1 in o(self.digits12(p)) {
                for e2 in o(self.ordinal(e1)) {
                    let sp = self.spaces(e2);
                    if sp == e2 {
                        continue;
                    }
                    for h in o(self.of(sp)) {
                        // The first month that fits always makes a match.
                        if let Some(mend) = o(self.month(h)).find(|&m| self.boundary(m)) {
                            let e3 = o(self.maybe(mend, b'.')).next().unwrap_or(mend);
                            let dd = DateCaps { dd: self.s(p..e1), dmon: self.s(h..mend), ..caps(e3) };
                            for f in o(self.maybe(e3, b',')) {
                                let g = self.spaces(f);
                                if g > f && self.year(g) {
                                    return Some(DateCaps { dy: self.s(g..g + 4), end: g + 4, ..dd });
                                }
                            }
                            return Some(dd);
                        }
                    }
                }
            }
            return None;
        }
        let month = self.month(p);
        month[0]?;
        // (?P<rm1>{MONTH})\.?\s*(?:-|–|—|to|through|and)\s*(?P<rm2>{MONTH})\.?,?\s+(?:of\s+)?(?P<ry>\d{4})\b
        for m1 in o(month) {
            for a in o(self.maybe(m1, b'.')) {
                let Some(c) = self.connector(self.spaces(a)) else { continue };
                let d = self.spaces(c);
                for m2 in o(self.month(d)) {
                    for e in o(self.maybe(m2, b'.')) {
                        for f in o(self.maybe(e, b',')) {
                            let g = self.spaces(f);
                            if g == f {
                                continue;
                            }
                            if let Some(h) = o(self.of(g)).find(|&h| self.year(h)) {
                                return Some(DateCaps { rm1: self.s(p..m1), rm2: self.s(d..m2), ry: self.s(h..h + 4), ..caps(h + 4) });
                            }
                        }
                    }
                }
            }
        }
        // (?P<mmon>{MONTH})\.?\s+(?P<md>\d{1,2}){ord}\b(?:\s*(?:-|–|—|to|through|and)\s*(?P<md2>\d{1,2}){ord},?\s+(?P<my2>\d{4})\b|,?\s+(?P<my>\d{4})\b)?
        for m1 in o(month) {
            for a in o(self.maybe(m1, b'.')) {
                let sp = self.spaces(a);
                if sp == a {
                    continue;
                }
                for e1 in o(self.digits12(sp)) {
                    // The first day that fits always makes a match.
                    if let Some(e2) = o(self.ordinal(e1)).find(|&e| self.boundary(e)) {
                        let md = DateCaps { mmon: self.s(p..m1), md: self.s(sp..e1), ..caps(e2) };
                        if let Some(c) = self.connector(self.spaces(e2)) {
                            let d = self.spaces(c);
                            for f1 in o(self.digits12(d)) {
                                for f2 in o(self.ordinal(f1)) {
                                    for f3 in o(self.maybe(f2, b',')) {
                                        let g = self.spaces(f3);
                                        if g > f3 && self.year(g) {
                                            return Some(DateCaps { md2: self.s(d..f1), my2: self.s(g..g + 4), end: g + 4, ..md });
                                        }
                                    }
                                }
                            }
                        }
                        for f in o(self.maybe(e2, b',')) {
                            let g = self.spaces(f);
                            if g > f && self.year(g) {
                                return Some(DateCaps { my: self.s(g..g + 4), end: g + 4, ..md });
                            }
                        }
                        return Some(md);
                    }
                }
            }
        }
        // (?P<ymon>{MONTH})\.?,?\s+(?:of\s+)?(?P<yy>\d{4})\b
        for m1 in o(month) {
            for a in o(self.maybe(m1, b'.')) {
                for f in o(self.maybe(a, b',')) {
                    let g = self.spaces(f);
                    if g == f {
                        continue;
                    }
                    if let Some(h) = o(self.of(g)).find(|&h| self.year(h)) {
                        return Some(DateCaps { ymon: self.s(p..m1), yy: self.s(h..h + 4), ..caps(h + 4) });
                    }
                }
            }
        }
        None
    }

    /// The length of the run of digits at `p`.
    fn digit_run(&self, p: usize) -> usize {
        self.b[p..].iter().take_while(|c| c.is_ascii_digit()).count()
    }

    /// Whether a match may start at the run of `n` digits at `p`: what follows the digits
    /// decides which alternatives can match at all: "2021-" (iy), "5/" (nm), "5 ", "5th"
    /// (dd); most digits are none of these.
    fn digits_may_open(&self, p: usize, n: usize) -> bool {
        match self.b.get(p + n) {
            Some(b'-') => n == 4,
            Some(&c) => n <= 2 && (c == b'/' || Self::is_space(c) || matches!(c, b's' | b'n' | b'r' | b't')),
            None => false,
        }
    }

    /// The next digit at or after `from`.
    fn next_digit(&self, from: usize) -> Option<usize> {
        let mut i = from;
        // Blocks first: the fold has no early exit, so it vectorizes. In a block with a
        // digit, eight bytes at a time find it.
        while let Some(block) = self.b.get(i..i + 32) {
            if block.iter().fold(0u8, |any, c| any | u8::from(c.wrapping_sub(b'0') < 10)) != 0 {
                for (k, word) in block.chunks_exact(8).enumerate() {
                    let mask = digit_mask(u64::from_le_bytes(word.try_into().ok()?));
                    if mask != 0 {
                        return Some(i + k * 8 + mask.trailing_zeros() as usize / 8);
                    }
                }
            }
            i += 32;
        }
        self.b.get(i..)?.iter().position(u8::is_ascii_digit).map(|k| i + k)
    }

    /// Capitalized starts of the (up to four) letter runs just before the digit at `d`, back to `self.pos`,
    /// nearest first, crossing only what a date's text before its first digit may hold:
    /// letters, white space, `.`, `,` and `-`. A date starting before `d` has at most four
    /// (month, connector, month, "of").
    fn words_before_digit(&mut self, d: usize) {
        self.pending_len = 0;
        // In every alternative that opens with a month, white space comes right before
        // the first digit: most digits ("555-0100", "(800)", "$50") need no look back.
        if d == 0 || !Self::is_space(self.b[d - 1]) {
            return;
        }
        let mut j = d;
        let mut runs = 0;
        while j > self.pos && runs < 4 {
            let c = self.b[j - 1];
            if c.is_ascii_alphabetic() {
                let end = j;
                while j > self.pos && self.b[j - 1].is_ascii_alphabetic() {
                    j -= 1;
                }
                runs += 1;
                // Only a capital can open a month. A run that opens none cannot be part of
                // a match either ("Box 12", "MD 21047"): nothing further back can start one.
                if self.b[j].is_ascii_uppercase() {
                    if self.month(j)[0].is_none() {
                        break;
                    }
                    self.pending[self.pending_len] = j;
                    self.pending_len += 1;
                } else {
                    // Before its first digit a date holds no lowercase word but "of" and a
                    // connector (which may run into the next month: "toMarch"); a match
                    // starting further back would have to hold this one.
                    let w = &self.b[j..end];
                    if w != b"of" && ![&b"to"[..], b"and", b"through"].iter().any(|c| w.starts_with(c)) {
                        break;
                    }
                }
            } else if Self::is_space(c) || matches!(c, b'.' | b',' | b'-') {
                j -= 1;
            } else {
                break;
            }
        }
    }
}

impl<'t> Iterator for AsciiDates<'t> {
    type Item = DateCaps<'t>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let d = self.next_digit(self.pos)?;
            self.words_before_digit(d);
            while self.pending_len > 0 {
                self.pending_len -= 1;
                let w = self.pending[self.pending_len];
                if self.boundary(w)
                    && let Some(m) = self.match_at(w)
                {
                    self.pos = m.end;
                    return Some(m);
                }
            }
            // The run's length and what follows it rule out most digits before a call.
            let n = self.digit_run(d);
            if self.boundary(d)
                && self.digits_may_open(d, n)
                && let Some(m) = self.match_at(d)
            {
                self.pos = m.end;
                return Some(m);
            }
            // No match starts inside a run of digits (no boundary there).
            self.pos = d + n;
        }
    }
}

/// The high bit of each byte of `v` that is an ASCII digit.
fn digit_mask(v: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Below 0x80 a byte plus 0x80 - n has its high bit set exactly when it is >= n, and
    // the sum never carries into the next byte.
    let low = v & !HIGH;
    let at_least_0 = low + ONES * (0x80 - u64::from(b'0'));
    let above_9 = low + ONES * (0x80 - u64::from(b'9') - 1);
    at_least_0 & !above_9 & !v & HIGH
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

/// Category of the cue nearest to the mention in its sentence (`hits`: the sentence's cues),
/// if any is close enough. A date opening its sentence frames the whole sentence, so when no
/// cue is close enough the first cue after it in the sentence decides.
fn classify(text: &str, ctx: Range<usize>, m: &Mention, cues: &DateCues, hits: &[Hit]) -> Option<Category> {
    text.get(ctx.clone())?;
    let mut best: Option<((usize, usize), Category)> = None;
    let mut first_after: Option<(usize, Category)> = None;
    for &(cat, s, e) in hits {
        // Cue words inside the date expression itself do not count, nor does a verb
        // whose "that" clause holds the date ("determined that on May 1 X accessed"):
        // the clause's own cue tells what the date is.
        let clause = e <= m.start && governs_clause_holding(text, e, m.start, cues);
        if (s < m.end && e > m.start) || clause {
            continue;
        }
        if s >= m.end && first_after.is_none_or(|(p, _)| s < p) {
            first_after = Some((s, cat));
        }
        let dist = if e <= m.start { m.start - e } else { s.saturating_sub(m.end) };
        // Nearest cue wins; at equal distance the longer, more specific phrase.
        let rank = (dist, usize::MAX - (e - s));
        if dist <= cues.max_cue_distance && best.is_none_or(|(r, _)| rank < r) {
            best = Some((rank, cat));
        }
    }
    best.map(|(_, c)| c).or_else(|| first_after.filter(|_| opens_sentence(text, &ctx, m, cues)).map(|(_, c)| c))
}

/// An appositive describing the date ("on May 7, 2020, the day our developer noticed it"):
/// the category of the first cue in it, which applies to the date as well.
fn appositive(text: &str, m: &Mention, cues: &DateCues) -> Option<Category> {
    let hit = cues.references().appositive.as_ref()?.find(text.get(m.end..)?)?;
    cues.compiled().first(hit.as_str().get(1..)?)
}

/// Day references ("the same day", "that afternoon"; `[dates.day_references]`): each refers
/// back to the nearest preceding date with a day, within `max_cue_distance` * 3 bytes. Each
/// comes with the start of the date it refers to.
fn day_references(text: &str, mentions: &[Mention], cues: &DateCues) -> Vec<(Mention, usize)> {
    let references = cues.references();
    let Some(re) = &references.phrases else { return Vec::new() };
    let reach = cues.max_cue_distance * 3;
    // A reference counts only within reach after a date with a day and a year: without
    // such a date there is nothing to find, and in ASCII text a cheap look for a phrase's
    // last word within reach of one decides whether to search at all.
    // (One look per run of overlapping reaches: they often overlap, and the text between
    // runs far apart need not be looked at.)
    let qualifies = |p: &&Mention| p.to.is_none() && p.from.day.is_some() && p.from.year.is_some();
    if !mentions.iter().any(|m| qualifies(&m)) {
        return Vec::new();
    }
    if text.is_ascii() {
        let (mut run, mut may) = (None::<(usize, usize)>, false);
        for m in mentions.iter().filter(qualifies) {
            match run.as_mut() {
                Some(r) if m.end <= r.1 => r.1 = r.1.max(m.end + reach),
                _ => {
                    may = run.is_some_and(|(from, to)| references.may_start_within(text, from, to));
                    if may {
                        break;
                    }
                    run = Some((m.end, m.end + reach));
                }
            }
        }
        if !may && !run.is_some_and(|(from, to)| references.may_start_within(text, from, to)) {
            return Vec::new();
        }
    }
    re.find_iter(text)
        .filter_map(|hit| {
            let prev = mentions.iter().rev().find(|p| p.end <= hit.start() && p.to.is_none())?;
            let near = hit.start() - prev.end <= reach;
            (near && prev.from.day.is_some() && prev.from.year.is_some())
                .then(|| (Mention { from: prev.from, to: None, start: hit.start(), end: hit.end(), explicit: false }, prev.start))
        })
        .collect()
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
    let matcher = cues.compiled();
    let mut found = SentenceCues::default();
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
        let sentence = text.get(ctx.clone()).unwrap_or("");
        // Dates sharing a sentence share its scan.
        if found.span.as_ref() != Some(&ctx) {
            matcher.scan(sentence, ctx.start, &mut found);
            found.span = Some(ctx.clone());
        }
        // Another party's account ("according to the vendor, ..."), also when "the same
        // day" refers back to it, is not the organization's own discovery.
        let antecedent_reported = || {
            antecedent.is_some_and(|a| {
                let r = sentences.iter().find(|s| s.contains(&a)).cloned().unwrap_or_else(|| line_of(text, a));
                text.get(r).is_some_and(|s| matcher.reported(s))
            })
        };
        let reported = |found: &mut SentenceCues| matcher.reported_in(sentence, found) || antecedent_reported();
        let category = match classify(text, ctx.clone(), m, cues, &found.hits) {
            // "statements mailed on May 3 went to the wrong members": the mailing is the incident.
            Some(Category::Notice) if matcher.misdirected(sentence, &mut found) => Some(Category::Breach),
            c => c,
        };
        match category {
            Some(Category::Breach) => breach.push((ctx.start, m)),
            Some(Category::Discovery) if !reported(&mut found) => discovery.push(m),
            Some(Category::Notice) => notice.push(m),
            // A window with no cue at all is the incident's window: notices rarely state
            // any other span without saying what it is.
            None if m.to.is_some() => breach.push((ctx.start, m)),
            _ => {}
        }
        // "..., the day our developer identified it": the appositive says what else the date is.
        match appositive(text, m, cues) {
            Some(Category::Discovery) if category != Some(Category::Discovery) && !reported(&mut found) => discovery.push(m),
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

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::xorshift;

    fn by_regex(text: &str) -> Vec<DateCaps<'_>> {
        date_regex().unwrap().captures_iter(text).filter_map(|c| DateCaps::from_regex(&c)).collect()
    }

    fn by_hand(text: &str) -> Vec<DateCaps<'_>> {
        AsciiDates::new(text).collect()
    }

    #[test]
    fn hand_matcher_finds_what_the_regex_finds() {
        for text in [
            "On 2021-02-25, 2/25/21 and 02/25/2021 and 25th of February, 2021 we met.",
            "From January to March 2021, Jan.-Feb. of 2021, Sept. 5th - 7th, 2022 and May 3 through 9, 2021.",
            "Mayor 5, Junee 2021, May5, 5May, MAY 2021, SEPTEMBER of 2020, Sept 2021, Sep. 3, 2021.",
            "Call 555-123-4567 or 1-800-555-0100; ZIP 12345; 12/345/2021; 2021-1-123; 1/2/20215.",
            "May 1to 9, 2021 and December and January 2021 and 3rd March 2022 and March 3rd.",
            "the 1st of May, 2020 and 10 June.2021 and March\n2021 and May\t7,\x0b2021",
        ] {
            assert_eq!(by_hand(text), by_regex(text), "{text}");
        }
    }

    /// `day_references` without its pre-check: the pack's phrases over the whole text.
    fn day_references_by_regex(text: &str, mentions: &[Mention], cues: &DateCues) -> Vec<(Mention, usize)> {
        let re = cues.references().phrases.as_ref().unwrap();
        re.find_iter(text)
            .filter_map(|hit| {
                let prev = mentions.iter().rev().find(|p| p.end <= hit.start() && p.to.is_none())?;
                let near = hit.start() - prev.end <= cues.max_cue_distance * 3;
                (near && prev.from.day.is_some() && prev.from.year.is_some())
                    .then(|| (Mention { from: prev.from, to: None, start: hit.start(), end: hit.end(), explicit: false }, prev.start))
            })
            .collect()
    }

    #[test]
    fn day_reference_check_misses_nothing() {
        let rules = crate::rules::RuleSet::builtin().unwrap();
        let cues = &rules.dates;
        const WORDS: &[&str] = &[
            "we",
            "found",
            "it",
            "that",
            "the",
            "same",
            "later",
            "earlier",
            "day",
            "Day",
            "DAY",
            "days",
            "morning",
            "evening",
            "night",
            "afternoon",
            "today",
            "that\n\n",
            "the  same",
            "on May 3, 2021",
            "in June 2021",
            "between May 1 and May 9, 2021",
            "5",
            ".",
            ",",
            "day5",
            "day_",
            "  ",
            "\t",
        ];
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15u64);
        const FILLER: &[&str] = &["we", "found", "it", "the", "same", "later", "that", "day", "days", "today", ".", ",", "  ", "\n"];
        const REFERENCES: &[&str] = &["that day", "later that  day", "the same\nmorning", "earlier that night", "that day5", "that day_"];
        for round in 0..6_000 {
            let mut text = String::new();
            if round % 2 == 0 {
                for _ in 0..20 + next(250) {
                    text.push_str(WORDS[next(WORDS.len())]);
                    text.push(' ');
                }
            } else {
                // One date, then a reference around the edge of its reach.
                text.push_str("On May 3, 2021 ");
                let target = 380 + next(80);
                while text.len() < target {
                    text.push_str(FILLER[next(FILLER.len())]);
                    text.push(' ');
                }
                text.push_str(REFERENCES[next(REFERENCES.len())]);
                text.push_str(" we left.");
            }
            let mut mentions = join_ranges(&text, scan(&text), cues);
            resolve_years(&mut mentions, None);
            let got: Vec<_> = day_references(&text, &mentions, cues).into_iter().map(|(m, a)| (m.start, m.end, a)).collect();
            let want: Vec<_> = day_references_by_regex(&text, &mentions, cues).into_iter().map(|(m, a)| (m.start, m.end, a)).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    /// Random token soup around the regex's vocabulary, so every alternative and option
    /// of the hand matcher meets text that takes it and text that almost does.
    #[test]
    fn hand_matcher_agrees_on_random_text() {
        const TOKENS: &[&str] = &[
            "Jan",
            "January",
            "JANUARY",
            "Feb",
            "February",
            "Mar",
            "March",
            "MARCH",
            "Apr",
            "April",
            "May",
            "MAY",
            "Jun",
            "June",
            "JUNE",
            "Jul",
            "July",
            "Aug",
            "August",
            "Sep",
            "Sept",
            "September",
            "SEPTEMBER",
            "Oct",
            "October",
            "Nov",
            "November",
            "Dec",
            "December",
            "DECEMBER",
            "Mayor",
            "Junee",
            "Septe",
            "to",
            "through",
            "and",
            "of",
            "the",
            "on",
            "st",
            "nd",
            "rd",
            "th",
            "that",
            "or",
            "t",
            "a",
            "x",
            "A",
            "_",
            " ",
            " ",
            " ",
            "  ",
            "\n",
            "\t",
            "\x0b",
            "\x0c",
            "\r",
            ",",
            ", ",
            ".",
            ". ",
            "-",
            " - ",
            "/",
            "(",
            ")",
            ":",
            ";",
            "'",
        ];
        let mut next = xorshift(0x2545_f491_4f6c_dd1du64);
        for _ in 0..60_000 {
            let mut text = String::new();
            for _ in 0..2 + next(14) {
                // Digit groups joined by "-" or "/" ("2021-05-03", "5/3/21", "555-1234").
                let groups = if next(3) == 0 { 2 + next(3) } else { 1 };
                let joiner = ["-", "/", " - ", "-"][next(4)];
                match next(4) {
                    // A date-shaped sequence whose every slot may be wrong.
                    1 => {
                        let months = &TOKENS[..30];
                        let digits = |n: usize, text: &mut String, next: &mut dyn FnMut(usize) -> usize| {
                            for _ in 0..n {
                                text.push(char::from(b'0' + next(10) as u8));
                            }
                        };
                        let first_month = next(2) == 0;
                        if first_month {
                            text.push_str(months[next(months.len())]);
                        } else {
                            digits(1 + next(2), &mut text, &mut next);
                        }
                        text.push_str(["", ".", "st", "th", "nd", "rd", ""][next(7)]);
                        text.push_str(["", " ", "  ", "\n", ", ", ",", " "][next(7)]);
                        text.push_str(["", "to ", "through ", "and ", "- ", "-", "of ", "", "to"][next(9)]);
                        text.push_str(["", " ", " ", "\t"][next(4)]);
                        if next(2) == 0 {
                            text.push_str(months[next(months.len())]);
                        } else {
                            digits(1 + next(2), &mut text, &mut next);
                        }
                        text.push_str(["", ".", "th", ",", "", "st"][next(6)]);
                        text.push_str(["", " ", ", ", ",", " "][next(5)]);
                        text.push_str(["", "of ", "", "of", ""][next(5)]);
                        digits([4, 4, 4, 2, 5, 1][next(6)], &mut text, &mut next);
                        text.push_str(["", ".", "x", "5", " ", ","][next(6)]);
                    }
                    0 => {
                        for g in 0..groups {
                            if g > 0 {
                                text.push_str(joiner);
                            }
                            for _ in 0..[1, 1, 2, 2, 4, 4, 3, 5][next(8)] {
                                text.push(char::from(b'0' + next(10) as u8));
                            }
                        }
                    }
                    _ => text.push_str(TOKENS[next(TOKENS.len())]),
                }
                if next(3) == 0 {
                    text.push(' ');
                }
            }
            assert_eq!(by_hand(&text), by_regex(&text), "{text:?}");
        }
    }
}
