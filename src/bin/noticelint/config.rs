//! `noticelint.toml`: settings found from the working directory upward (like `.vale.ini`),
//! or named with `--config`. Command-line options override them.
//!
//! ```toml
//! profile = "hipaa"                 # generic | hipaa | california | massachusetts
//! rules = "rules"                   # a directory of rule packs, relative to this file
//! disable = ["hedge.possibility"]   # ids not to report
//! max-grade = 10                    # readability warning above this grade
//! late-notice-days = 60
//! [severity]
//! "hedge.precaution" = "error"      # error | warning | suggestion | info (not reported)
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use noticelint::RuleSet;
use noticelint::rules::Severity;
use serde::Deserialize;

use crate::cli::SettingsArgs;

/// The file names looked for, in each directory from the working directory upward.
pub const NAMES: &[&str] = &["noticelint.toml", ".noticelint.toml"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigFile {
    profile: Option<String>,
    rules: Option<PathBuf>,
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, Severity>,
    max_grade: Option<f64>,
    late_notice_days: Option<i64>,
}

/// The settings in force, and where they came from.
#[derive(Debug)]
pub struct Effective {
    /// The configuration file read, if any.
    pub source: Option<PathBuf>,
    pub profile: String,
    pub rules: Option<PathBuf>,
    pub disable: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub max_grade: f64,
    pub late_notice_days: i64,
}

impl Effective {
    /// Settings from `--config` or the nearest `noticelint.toml`, with `--rules` applied.
    pub fn load(args: &SettingsArgs) -> Result<Effective> {
        let source = match &args.config {
            Some(p) => Some(p.clone()),
            None => discover(&std::env::current_dir().context("cannot read the working directory")?),
        };
        let file = match &source {
            Some(p) => read(p)?,
            None => ConfigFile::default(),
        };
        let base = source.as_deref().and_then(Path::parent).unwrap_or(Path::new("."));
        let rules = args.rules.clone().or_else(|| file.rules.map(|r| base.join(r)));
        Ok(Effective {
            source,
            profile: file.profile.unwrap_or_else(|| "generic".into()),
            rules,
            disable: file.disable,
            severity: file.severity,
            max_grade: file.max_grade.unwrap_or(10.0),
            late_notice_days: file.late_notice_days.unwrap_or(60),
        })
    }

    /// The rule packs these settings name, checked against them: every id in `disable`
    /// and `severity` must exist, and so must the profile.
    pub fn rule_set(&self) -> Result<RuleSet> {
        let rules = match &self.rules {
            Some(dir) => RuleSet::from_dir(dir)?,
            None => RuleSet::builtin()?,
        };
        let known = |id: &str| rules.rule(id).is_some() || rules.flag(id).is_some() || rules.diagnostic(id).is_some();
        let from = self.source.as_ref().map_or_else(|| "settings".to_owned(), |p| p.display().to_string());
        for id in self.disable.iter().chain(self.severity.keys()) {
            if !known(id) {
                bail!("{from}: unknown rule id `{id}` (see `noticelint rules`)");
            }
        }
        Ok(rules)
    }

    /// The settings as a configuration file would state them.
    pub fn to_toml(&self) -> String {
        let mut s = match &self.source {
            Some(p) => format!("# read from {}\n", p.display()),
            None => "# no noticelint.toml found; defaults\n".to_owned(),
        };
        s.push_str(&format!("profile = {:?}\n", self.profile));
        match &self.rules {
            Some(r) => s.push_str(&format!("rules = {:?}\n", r.display().to_string())),
            None => s.push_str("# rules: the built-in packs\n"),
        }
        s.push_str(&format!("disable = {:?}\n", self.disable));
        s.push_str(&format!("max-grade = {:?}\n", self.max_grade));
        s.push_str(&format!("late-notice-days = {}\n", self.late_notice_days));
        s.push_str("\n[severity]\n");
        for (id, sev) in &self.severity {
            s.push_str(&format!("{id:?} = {:?}\n", sev.as_str()));
        }
        s
    }
}

/// The nearest configuration file in `dir` or a parent.
fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().flat_map(|d| NAMES.iter().map(move |n| d.join(n))).find(|p| p.is_file())
}

fn read(path: &Path) -> Result<ConfigFile> {
    let src = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    toml::from_str(&src).map_err(|e| {
        let line = e.span().map_or(0, |s| src[..s.start].matches('\n').count() + 1);
        anyhow::anyhow!("{}:{line}: {}", path.display(), e.message())
    })
}
