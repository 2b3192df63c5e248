//! Human diagnostics in the style of rustc: `severity[id]: message`, the place, an
//! annotated line, the suggestion; then a summary with counts, readability and the
//! profile's checklist. Colours come from `anstyle`; `anstream` drops them when the
//! output is not a terminal or `NO_COLOR` is set.

use std::io::Write;

use anstyle::{AnsiColor, Style};
use anyhow::Result;
use noticelint::Document;
use noticelint::check::{Checked, Diagnostic};
use noticelint::profile::{Profile, State};
use noticelint::rules::{RuleSet, Severity};

const BOLD: Style = Style::new().bold();
const GUTTER: Style = AnsiColor::Blue.on_default().bold();
const OK: Style = AnsiColor::Green.on_default().bold();
const BAD: Style = AnsiColor::Red.on_default().bold();
const DIM: Style = Style::new().dimmed();
/// Characters of context shown on each side of a span in a long line.
const WINDOW: usize = 40;

/// Renders one checked document.
pub fn render(out: &mut dyn Write, doc: &Document, c: &Checked, _rules: &RuleSet, profile: &Profile, max_grade: f64) -> Result<()> {
    let path = doc.path.clone().unwrap_or_else(|| doc.id.clone());
    for d in &c.diagnostics {
        diagnostic(out, doc, &path, d)?;
    }
    for d in &c.suppressed {
        let at = d.span.as_ref().map_or_else(String::new, |s| format!(":{}:{}", s.line, s.column));
        let by = d.suppressed_at.map_or_else(String::new, |l| format!(" by the marker on line {l}"));
        writeln!(out, "{DIM}suppressed[{}]: {path}{at}{by}: {}{DIM:#}", d.id, d.message)?;
    }
    if !c.suppressed.is_empty() {
        writeln!(out)?;
    }

    let count = |s: Severity| c.count(s);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    writeln!(
        out,
        "{BOLD}{path}{BOLD:#}: {}, {}, {}, {} suppressed",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Suggestion), "suggestion"),
        c.suppressed.len()
    )?;
    let r = &c.readability;
    let grade_style = if r.fk_grade > max_grade { BAD } else { OK };
    writeln!(
        out,
        "readability: {} words, {} sentences, Flesch reading ease {:.1}, grade {grade_style}{:.1}{grade_style:#} (limit {:.1})",
        r.words, r.sentences, r.flesch_reading_ease, r.fk_grade, max_grade
    )?;
    if !r.longest.is_empty() {
        let longest: Vec<String> = r.longest.iter().map(|(n, e)| format!("line {} ({n} words)", e.line)).collect();
        writeln!(out, "  longest sentences: {}", longest.join(", "))?;
    }
    writeln!(out, "required by {BOLD}{}{BOLD:#} ({}):", profile.name, profile.law)?;
    for o in &c.checklist {
        let line = o.evidence.first().map_or_else(String::new, |e| format!(" (line {})", e.line));
        let (mark, style, text) = match (o.state, o.forbidden) {
            (State::Met, false) => ("✓", OK, format!("{}{line}", o.label)),
            (State::Met, true) => ("✓", OK, format!("does not state {}", o.label)),
            (State::Missing, _) => ("✗", BAD, o.label.clone()),
            (State::Forbidden, _) => ("✗", BAD, format!("must not state {}{line}", o.label)),
            (State::NotApplicable, _) => ("-", DIM, format!("{} (not required here)", o.label)),
        };
        writeln!(out, "  {style}{mark}{style:#} {text}")?;
    }
    writeln!(out)?;
    Ok(())
}

fn diagnostic(out: &mut dyn Write, doc: &Document, path: &str, d: &Diagnostic) -> Result<()> {
    let style = match d.severity {
        Severity::Error => AnsiColor::Red.on_default().bold(),
        Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        Severity::Suggestion | Severity::Info => AnsiColor::Cyan.on_default().bold(),
    };
    writeln!(out, "{style}{}[{}]{style:#}{BOLD}: {}{BOLD:#}", d.severity.as_str(), d.id, d.message)?;
    let Some(span) = &d.span else {
        writeln!(out, "  {GUTTER}-->{GUTTER:#} {path}")?;
        return suggestion(out, d, 2);
    };
    let place = d.locator.as_ref().map_or_else(String::new, |l| format!(" ({l})"));
    let number = span.line.to_string();
    let pad = " ".repeat(number.len());
    writeln!(out, "{pad}{GUTTER}-->{GUTTER:#} {path}:{}:{}{place}", span.line, span.column)?;
    let line_start = doc.text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = doc.text[span.start..].find('\n').map_or(doc.text.len(), |i| span.start + i);
    let line = doc.text[line_start..line_end].trim_end_matches('\r');
    let before: Vec<char> = doc.text[line_start..span.start].chars().collect();
    let width = doc.text[span.start..span.end.min(line_start + line.len())].chars().count().max(1);
    // A long paragraph is one line: show a window around the span.
    let skip = before.len().saturating_sub(WINDOW);
    let shown: String = line.chars().skip(skip).take(before.len() - skip + width + WINDOW).collect();
    let (open, close) = (if skip > 0 { "..." } else { "" }, if line.chars().count() > before.len() + width + WINDOW { "..." } else { "" });
    let lead = " ".repeat(open.len() + before.len() - skip);
    writeln!(out, "{pad} {GUTTER}|{GUTTER:#}")?;
    writeln!(out, "{GUTTER}{number} |{GUTTER:#} {open}{shown}{close}")?;
    writeln!(out, "{pad} {GUTTER}|{GUTTER:#} {lead}{style}{}{style:#}", "^".repeat(width))?;
    suggestion(out, d, pad.len() + 1)
}

fn suggestion(out: &mut dyn Write, d: &Diagnostic, indent: usize) -> Result<()> {
    if let Some(s) = &d.suggestion {
        writeln!(out, "{}{GUTTER}={GUTTER:#} {BOLD}help{BOLD:#}: {s}", " ".repeat(indent))?;
    }
    writeln!(out, "{}{GUTTER}={GUTTER:#} {BOLD}explain{BOLD:#}: noticelint explain {}", " ".repeat(indent), d.id)?;
    writeln!(out)?;
    Ok(())
}
