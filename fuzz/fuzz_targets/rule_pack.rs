//! The rule-pack loader: any TOML text is loaded or refused with an error, never a panic.
//! The flag and date packs ride along so a pack that parses reaches the final build.
#![no_main]

use libfuzzer_sys::fuzz_target;
use noticelint::RuleSet;
use noticelint::rules::BUILTIN_PACKS;

fuzz_target!(|src: &str| {
    let mut sources = vec![("fuzz.toml".to_owned(), src.to_owned())];
    for (name, text) in BUILTIN_PACKS.iter().filter(|(n, _)| *n == "flags.toml" || *n == "dates.toml") {
        sources.push(((*name).to_owned(), (*text).to_owned()));
    }
    if let Err(e) = RuleSet::from_sources(sources) {
        let _ = e.to_string();
    }
});
