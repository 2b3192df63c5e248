//! Facts: what is known about a notice from outside it (SPEC §4) — a leak-site listing,
//! whether the dump was published, which data types it held, the notice date.
//!
//! Per document as TOML (`--facts FILE`, or a sidecar `NAME.facts.toml` beside the notice)
//! or per corpus as CSV (column `id` joins `document.id`; list fields `;`-separated).
//! Parsing is strict: an unknown field, an unknown data-type id or a bad date is an error
//! naming the file and line.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;

use crate::dates::Date;
use crate::taxonomy::DATA_TYPES;

/// What is known about one notice from outside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub entity: Option<String>,
    pub leak_site: Option<String>,
    pub listed_on: Option<Date>,
    pub published: Option<bool>,
    pub dump_data_types: Vec<String>,
    pub notice_date: Option<Date>,
    /// Where these facts were read from, for messages.
    pub origin: String,
}

impl Facts {
    /// The facts say the dump was made available.
    pub fn is_published(&self) -> bool {
        self.published == Some(true)
    }

    /// The organization was listed on a leak site.
    pub fn is_listed(&self) -> bool {
        self.leak_site.is_some() || self.listed_on.is_some()
    }
}

/// Facts that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactsError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for FactsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for FactsError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactsToml {
    entity: Option<String>,
    leak_site: Option<String>,
    listed_on: Option<toml::Spanned<DateField>>,
    published: Option<bool>,
    #[serde(default)]
    dump_data_types: Vec<toml::Spanned<String>>,
    notice_date: Option<toml::Spanned<DateField>>,
}

/// A TOML date literal (`2021-02-01`) or a string (`"2021-02-01"`).
#[derive(Deserialize)]
#[serde(untagged)]
enum DateField {
    Toml(toml::value::Datetime),
    Text(String),
}

impl DateField {
    fn text(&self) -> String {
        match self {
            DateField::Toml(d) => d.to_string(),
            DateField::Text(s) => s.clone(),
        }
    }
}

/// Parses one facts TOML file; `file` names it in errors.
pub fn parse_toml(src: &str, file: &str) -> Result<Facts, FactsError> {
    // A scan reads one sidecar per listed notice; most are a few `key = value` lines, which
    // a direct reading turns into the same facts in a small fraction of the time.
    simple::parse(src, file).map_or_else(|| parse_toml_serde(src, file), Ok)
}

/// [`parse_toml`] by the TOML parser: any file, and every error.
fn parse_toml_serde(src: &str, file: &str) -> Result<Facts, FactsError> {
    let err = |offset: Option<usize>, message: String| FactsError { file: file.to_owned(), line: offset.map(|o| line_of(src, o)), message };
    let raw: FactsToml = toml::from_str(src).map_err(|e| err(e.span().map(|s| s.start), e.message().to_owned()))?;
    let date = |field: &Option<toml::Spanned<DateField>>, name: &str| -> Result<Option<Date>, FactsError> {
        match field {
            None => Ok(None),
            Some(spanned) => {
                let text = spanned.get_ref().text();
                Date::parse_iso(&text)
                    .map(Some)
                    .ok_or_else(|| err(Some(spanned.span().start), format!("`{name}`: `{text}` is not a date (YYYY-MM-DD)")))
            }
        }
    };
    let mut types = Vec::new();
    for t in &raw.dump_data_types {
        check_type(t.get_ref()).map_err(|m| err(Some(t.span().start), m))?;
        types.push(t.get_ref().clone());
    }
    Ok(Facts {
        entity: raw.entity,
        leak_site: raw.leak_site,
        listed_on: date(&raw.listed_on, "listed_on")?,
        published: raw.published,
        dump_data_types: types,
        notice_date: date(&raw.notice_date, "notice_date")?,
        origin: file.to_owned(),
    })
}

/// The common shape of a facts file read directly: a line each, bare known keys, basic
/// strings without escapes, `true`/`false`, dates `YYYY-MM-DD`, one-line arrays of strings,
/// comments. Anything else, and anything invalid (a duplicate key, a bad date or data type),
/// gives `None`: the TOML parser then decides, so its values and errors stay the only ones.
mod simple {
    use super::{Date, Facts, check_type};

    pub(super) fn parse(src: &str, file: &str) -> Option<Facts> {
        let mut facts = Facts::default();
        let (mut listed_on, mut notice_date, mut types) = (None, None, None);
        for line in src.split_inclusive('\n') {
            let line = line.strip_suffix("\r\n").or_else(|| line.strip_suffix('\n')).unwrap_or(line);
            let line = line.trim_start_matches([' ', '\t']);
            if line.is_empty() || line.starts_with('#') {
                comment(line)?;
                continue;
            }
            let (key, rest) = line.split_once('=')?;
            let rest = rest.trim_start_matches([' ', '\t']);
            let key = key.trim_end_matches([' ', '\t']);
            let rest = match key {
                "entity" | "leak_site" => {
                    let (value, rest) = string(rest)?;
                    let field = if key == "entity" { &mut facts.entity } else { &mut facts.leak_site };
                    field.replace(value.to_owned()).is_none().then_some(rest)?
                }
                "listed_on" | "notice_date" => {
                    let (value, rest) = date(rest)?;
                    let field = if key == "listed_on" { &mut listed_on } else { &mut notice_date };
                    field.replace(value).is_none().then_some(rest)?
                }
                "published" => {
                    let (value, rest) = match rest.strip_prefix("true") {
                        Some(rest) => (true, rest),
                        None => (false, rest.strip_prefix("false")?),
                    };
                    facts.published.replace(value).is_none().then_some(rest)?
                }
                "dump_data_types" => {
                    let (value, rest) = strings(rest)?;
                    types.replace(value).is_none().then_some(rest)?
                }
                _ => return None,
            };
            comment(rest.trim_start_matches([' ', '\t']))?;
        }
        facts.listed_on = listed_on.map(Date::parse_iso).map(|d| d.ok_or(())).transpose().ok()?;
        facts.notice_date = notice_date.map(Date::parse_iso).map(|d| d.ok_or(())).transpose().ok()?;
        for t in types.unwrap_or_default() {
            check_type(t).ok()?;
            facts.dump_data_types.push(t.to_owned());
        }
        facts.origin = file.to_owned();
        Some(facts)
    }

    /// Nothing, or a comment TOML accepts (no control characters but tab).
    fn comment(rest: &str) -> Option<()> {
        (rest.is_empty() || rest.starts_with('#') && !rest.contains(|c: char| c < ' ' && c != '\t' || c == '\u{7f}')).then_some(())
    }

    /// A basic string with nothing to unescape, and what follows it.
    fn string(s: &str) -> Option<(&str, &str)> {
        let body = s.strip_prefix('"')?;
        let end = body.find(|c: char| c == '"' || c == '\\' || c < ' ' || c == '\u{7f}')?;
        body[end..].starts_with('"').then(|| (&body[..end], &body[end + 1..]))
    }

    /// A date as text: a TOML local date (valid in its month, as TOML requires) or a string.
    fn date(s: &str) -> Option<(&str, &str)> {
        if s.starts_with('"') {
            return string(s);
        }
        let (value, rest) = s.split_at_checked(10)?;
        let b = value.as_bytes();
        let digits =
            |r: std::ops::Range<usize>| b[r].iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')));
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            1..=12 => 31,
            _ => return None,
        };
        // A time after the date makes another value; the caller accepts only a comment there.
        (b[4] == b'-' && b[7] == b'-' && (1..=days).contains(&day)).then_some((value, rest))
    }

    /// A one-line array of such strings (a trailing comma allowed), and what follows it.
    fn strings(s: &str) -> Option<(Vec<&str>, &str)> {
        let mut rest = s.strip_prefix('[')?.trim_start_matches([' ', '\t']);
        let mut out = Vec::new();
        loop {
            if let Some(after) = rest.strip_prefix(']') {
                return Some((out, after));
            }
            let (value, after) = string(rest)?;
            out.push(value);
            rest = after.trim_start_matches([' ', '\t']);
            match rest.strip_prefix(',') {
                Some(after) => rest = after.trim_start_matches([' ', '\t']),
                None => rest.starts_with(']').then_some(())?,
            }
        }
    }
}

/// Reads a facts TOML file.
pub fn read_toml(path: &Path) -> Result<Facts, FactsError> {
    let src =
        std::fs::read_to_string(path).map_err(|e| FactsError { file: path.display().to_string(), line: None, message: e.to_string() })?;
    parse_toml(&src, &path.display().to_string())
}

/// The columns a facts CSV may have.
pub const CSV_COLUMNS: &[&str] = &["id", "entity", "leak_site", "listed_on", "published", "dump_data_types", "notice_date"];

/// Parses a corpus facts CSV into facts by document id.
pub fn parse_csv(src: &str, file: &str) -> Result<BTreeMap<String, Facts>, FactsError> {
    let err = |line: Option<usize>, message: String| FactsError { file: file.to_owned(), line, message };
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(src.as_bytes());
    let headers = reader.headers().map_err(|e| err(Some(1), e.to_string()))?.clone();
    for h in &headers {
        if !CSV_COLUMNS.contains(&h) {
            return Err(err(Some(1), format!("unknown column `{h}` (known: {})", CSV_COLUMNS.join(", "))));
        }
    }
    let Some(id_col) = headers.iter().position(|h| h == "id") else {
        return Err(err(Some(1), "no `id` column".into()));
    };
    let mut out = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| err(e.position().map(|p| p.line() as usize), e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let mut facts = Facts { origin: format!("{file}:{line}"), ..Facts::default() };
        let id = record.get(id_col).unwrap_or_default().to_owned();
        if id.is_empty() {
            return Err(err(Some(line), "empty `id`".into()));
        }
        for (h, value) in headers.iter().zip(record.iter()) {
            if value.is_empty() {
                continue;
            }
            let date = || Date::parse_iso(value).ok_or_else(|| err(Some(line), format!("`{h}`: `{value}` is not a date (YYYY-MM-DD)")));
            match h {
                "entity" => facts.entity = Some(value.to_owned()),
                "leak_site" => facts.leak_site = Some(value.to_owned()),
                "listed_on" => facts.listed_on = Some(date()?),
                "notice_date" => facts.notice_date = Some(date()?),
                "published" => {
                    facts.published = Some(match value.to_ascii_lowercase().as_str() {
                        "true" | "yes" | "1" => true,
                        "false" | "no" | "0" => false,
                        _ => return Err(err(Some(line), format!("`published`: `{value}` is not true or false"))),
                    })
                }
                "dump_data_types" => {
                    for t in value.split(';').map(str::trim).filter(|t| !t.is_empty()) {
                        check_type(t).map_err(|m| err(Some(line), m))?;
                        facts.dump_data_types.push(t.to_owned());
                    }
                }
                _ => {}
            }
        }
        if out.insert(id.clone(), facts).is_some() {
            return Err(err(Some(line), format!("duplicate id `{id}`")));
        }
    }
    Ok(out)
}

/// Reads a facts CSV file.
pub fn read_csv(path: &Path) -> Result<BTreeMap<String, Facts>, FactsError> {
    let src =
        std::fs::read_to_string(path).map_err(|e| FactsError { file: path.display().to_string(), line: None, message: e.to_string() })?;
    parse_csv(&src, &path.display().to_string())
}

/// The sidecar facts file of a notice: `NAME.facts.toml` beside `NAME.txt`.
pub fn sidecar_path(notice: &Path) -> std::path::PathBuf {
    notice.with_extension("facts.toml")
}

fn check_type(t: &str) -> Result<(), String> {
    if DATA_TYPES.contains(&t) { Ok(()) } else { Err(format!("unknown data type `{t}` (SPEC §2.1 ids)")) }
}

fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_spec_example() {
        let src = "entity = \"Example Gastroenterology Associates\"\nleak_site = \"Pysa\"\nlisted_on = 2021-02-01\npublished = true\ndump_data_types = [\"name\", \"ssn\", \"employment_info\", \"medical_info\"]\nnotice_date = 2021-04-20\n";
        let f = parse_toml(src, "x.facts.toml").unwrap();
        assert!(f.is_published() && f.is_listed());
        assert_eq!(f.listed_on, Date::parse_iso("2021-02-01"));
        assert_eq!(f.dump_data_types, ["name", "ssn", "employment_info", "medical_info"]);
    }

    #[test]
    fn rejects_unknown_fields_types_and_dates_with_lines() {
        let e = parse_toml("published = true\nleaked = true\n", "f.toml").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        let e = parse_toml("published = true\ndump_data_types = [\"name\", \"blood_type\"]\n", "f.toml").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("blood_type"), "{e}");
        let e = parse_toml("listed_on = \"2021-02-30\"\n", "f.toml").unwrap_err();
        assert!(e.to_string().starts_with("f.toml:1:"), "{e}");
    }

    #[test]
    fn the_direct_reading_agrees_with_the_toml_parser() {
        let lines = [
            "entity = \"Ashford Hill Logistics\"",
            "entity=\"É’ x # y\" # note",
            "  leak_site\t=  \"Pysa\"  ",
            "leak_site = 'Pysa'",
            "leak_site = \"a\\\"b\"",
            "listed_on = 2021-05-01",
            "listed_on = 2024-02-29 # leap",
            "listed_on = 2023-02-29",
            "listed_on = 2021-04-31",
            "listed_on = 2021-13-01",
            "listed_on = 2021-05-01T10:00:00",
            "listed_on = 2021-05-01 10:00:00",
            "listed_on = 2021-05-01x",
            "listed_on = \"2021-5-1\"",
            "listed_on = \"2021-02-30\"",
            "notice_date = 2021-06-15",
            "notice_date = \" 2021-06-15\"",
            "published = true",
            "published = false#",
            "published = True",
            "published = truex",
            "dump_data_types = [\"name\", \"ssn\",]",
            "dump_data_types = []",
            "dump_data_types = [ \"name\" ,\"blood_type\" ]",
            "dump_data_types = [\"name\"",
            "dump_data_types = [,]",
            "dump_data_types = [\"name\" \"ssn\"]",
            "# comment",
            "",
            "   ",
            "[table]",
            "other = 1",
            "\"entity\" = \"x\"",
            "# bad \u{7f} comment",
            "entity = \"tab\there\"",
            "published = true\r",
            "published = true\r\r",
        ];
        // Every line alone, every pair (duplicates included), and a few whole files.
        let mut sources: Vec<String> = lines.iter().map(|l| format!("{l}\n")).collect();
        for a in lines {
            for b in lines {
                sources.push(format!("{a}\n{b}"));
                sources.push(format!("{a}\r\n{b}\r\n"));
            }
        }
        sources.push("\u{feff}published = true\n".into());
        sources.push("entity = \"E\"\nleak_site = \"Pysa\"\nlisted_on = 2021-05-01\npublished = true\ndump_data_types = [\"name\", \"employment_info\"]\nnotice_date = \"2021-06-01\"\n".into());
        let mut direct = 0;
        for src in &sources {
            let serde = parse_toml_serde(src, "f.toml");
            if let Some(facts) = simple::parse(src, "f.toml") {
                direct += 1;
                assert_eq!(Ok(facts), serde, "{src:?}");
            }
            assert_eq!(parse_toml(src, "f.toml"), serde, "{src:?}");
        }
        assert!(direct > sources.len() / 8, "only {direct} of {} read directly", sources.len());
    }

    #[test]
    fn reads_csv_and_names_bad_rows() {
        let csv = "id,leak_site,listed_on,published,dump_data_types\na,Pysa,2021-02-01,true,name;ssn\nb,,,false,\n";
        let all = parse_csv(csv, "facts.csv").unwrap();
        assert_eq!(all["a"].dump_data_types, ["name", "ssn"]);
        assert_eq!(all["b"].published, Some(false));
        let e = parse_csv("id,listed\na,2021-01-01\n", "facts.csv").unwrap_err();
        assert!(e.message.contains("unknown column `listed`"), "{e}");
        let e = parse_csv("id,listed_on\na,2021-01-01\nb,01/02/2021\n", "facts.csv").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
    }
}
