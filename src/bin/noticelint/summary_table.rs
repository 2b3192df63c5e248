//! The corpus summary as plain-text tables, for the end of a terminal run (stderr).

use std::fmt::Write as _;

use noticelint::summary::{InvestigatorRow, Summary};

/// The line printed when stderr is not a terminal: what was read, what failed and why.
pub fn one_line(s: &Summary) -> String {
    let d = &s.documents;
    let why = |m: &std::collections::BTreeMap<String, usize>| {
        if m.is_empty() {
            String::new()
        } else {
            format!(" ({})", m.iter().map(|(k, n)| format!("{k}: {n}")).collect::<Vec<_>>().join(", "))
        }
    };
    let mut out = format!(
        "noticelint: {} read, {} skipped{}, {} failed{}",
        d.analyzed,
        d.skipped,
        why(&d.skipped_by_reason),
        d.failed,
        why(&d.failed_by_kind)
    );
    for f in &s.failed {
        let _ = write!(out, "\n  failed {}: {}: {}", f.id, f.kind, f.message);
    }
    out
}

/// Every table of the summary.
pub fn table(s: &Summary) -> String {
    let d = &s.documents;
    let n = d.analyzed.max(1);
    let pct = |k: usize| format!("{k:>6} {:>5.1}%", 100.0 * k as f64 / n as f64);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n{} inputs: {} analyzed ({:.1} MB), {} failed, {} skipped · mean {:.0} words, grade {:.1}",
        d.inputs,
        d.analyzed,
        d.bytes as f64 / 1e6,
        d.failed,
        d.skipped,
        s.metrics.mean_words,
        s.metrics.mean_fk_grade
    );
    let _ = writeln!(out, "\n{:<24} {:>13} {:>8} {:>8}", "data type", "named", "possible", "negated");
    for t in s.data_types.iter().filter(|t| t.absent < d.analyzed) {
        let _ = writeln!(out, "{:<24} {} {:>8} {:>8}", t.id, pct(t.involved()), t.possible, t.negated);
    }
    let _ = writeln!(out, "\n{:<24} {:>13}", "hedge", "notices");
    for h in &s.hedges {
        let _ = writeln!(out, "{:<24} {}", h.id, pct(h.documents));
    }
    let _ = writeln!(out, "\n{:<24} {:>13} {:>8} {:>8}", "disclosure", "affirmed", "possible", "negated");
    for x in &s.disclosures {
        let _ = writeln!(out, "{:<24} {} {:>8} {:>8}", x.id, pct(x.affirmed), x.possible, x.negated);
    }
    let _ = writeln!(out, "\n{:<40} {:>13}", "flag", "notices");
    for f in s.flags.iter().filter(|f| f.documents > 0) {
        let _ = writeln!(out, "{:<40} {}", format!("{} ({})", f.id, f.severity), pct(f.documents));
    }
    if !s.investigator.is_empty() {
        let _ = writeln!(
            out,
            "\n{:<22} {:>7} {:>8} {:>9} {:>8} {:>8} {:>10} {:>10}",
            "leak site", "listed", "notices", "disclose", "omit", "deny", "reassure", "no notice"
        );
        for row in s.investigator.by_leak_site.iter().chain([&s.investigator.total]) {
            let _ = writeln!(out, "{}", investigator_row(row));
        }
    }
    for (reason, k) in &d.failed_by_kind {
        let _ = writeln!(out, "failed ({reason}): {k}");
    }
    for f in s.failed.iter().take(10) {
        let _ = writeln!(out, "  {}: {}", f.id, f.message);
    }
    if s.failed.len() > 10 {
        let _ = writeln!(out, "  … {} more (see --summary)", s.failed.len() - 10);
    }
    for (reason, k) in &d.skipped_by_reason {
        let _ = writeln!(out, "skipped ({reason}): {k}");
    }
    out
}

fn investigator_row(r: &InvestigatorRow) -> String {
    format!(
        "{:<22} {:>7} {:>8} {:>9} {:>8} {:>8} {:>10} {:>10}",
        r.leak_site, r.listed, r.notices_found, r.disclose_dump, r.omit_dump, r.deny_dump, r.reassure_despite_dump, r.no_notice_found
    )
}
