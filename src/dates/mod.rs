//! Dates: the calendar value facts and elements use, and (in [`extract`]) finding the
//! dates a notice states and telling the breach, discovery and notice dates apart.

mod cues;
pub mod extract;
mod references;

use std::fmt;

/// A calendar date, or a month when the notice gives only the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: Option<u32>,
}

impl Date {
    /// A full date, if it exists on the calendar.
    pub fn ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        (1..=12).contains(&month).then_some(())?;
        (1..=days_in_month(year, month)).contains(&day).then_some(Date { year, month, day: Some(day) })
    }

    /// A month.
    pub fn ym(year: i32, month: u32) -> Option<Date> {
        (1..=12).contains(&month).then_some(Date { year, month, day: None })
    }

    /// `YYYY-MM-DD` or `YYYY-MM`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let mut parts = s.trim().split('-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let date = match parts.next() {
            Some(d) => Date::ymd(year, month, d.parse().ok()?)?,
            None => Date::ym(year, month)?,
        };
        parts.next().is_none().then_some(date)
    }

    /// Days since 1970-01-01 (a month counts from its first day).
    pub fn days_from_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (y, m, d) = (self.year as i64, self.month as i64, self.day.unwrap_or(1) as i64);
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days_from_epoch() - self.days_from_epoch()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.day {
            Some(d) => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, d),
            None => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

/// Days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_iso() {
        assert_eq!(Date::parse_iso("2021-02-25").unwrap().to_string(), "2021-02-25");
        assert_eq!(Date::parse_iso("2021-02").unwrap().to_string(), "2021-02");
        assert_eq!(Date::parse_iso("2021-02-29"), None);
        assert_eq!(Date::parse_iso("2020-02-29").map(|d| d.day), Some(Some(29)));
        assert_eq!(Date::parse_iso("02/25/2021"), None);
    }

    #[test]
    fn counts_days() {
        let a = Date::parse_iso("2021-03-03").unwrap();
        let b = Date::parse_iso("2021-05-02").unwrap();
        assert_eq!(a.days_until(b), 60);
        assert_eq!(Date::parse_iso("1970-01-01").unwrap().days_from_epoch(), 0);
    }
}
