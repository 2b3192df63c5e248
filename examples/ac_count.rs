//! The benchmark baseline: one bare Aho-Corasick pass (leftmost-longest, ASCII
//! case-insensitive, as noticelint's matcher builds it) over the same literal phrases the
//! rule packs hold, counting matches in every file `scan` would read. No normalization, no
//! regexes, no analysis, no output but the count.
//!
//! ```text
//! cargo run --release --example ac_count -- DIR...
//! ```

use aho_corasick::{AhoCorasick, MatchKind};
use noticelint::RuleSet;
use noticelint::input::{self, Source};

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    let rules = RuleSet::builtin().expect("built-in rules load");
    let automaton = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(rules.phrases())
        .expect("automaton builds");
    let (mut files, mut bytes, mut matches) = (0usize, 0usize, 0usize);
    let mut buf = Vec::new();
    for source in input::discover(&paths) {
        let Source::File { path, .. } = source else { continue };
        buf.clear();
        let Ok(mut f) = std::fs::File::open(&path) else { continue };
        if std::io::Read::read_to_end(&mut f, &mut buf).is_err() {
            continue;
        }
        files += 1;
        bytes += buf.len();
        matches += automaton.find_iter(&buf).count();
    }
    println!("{files} files, {bytes} bytes, {} phrases, {matches} matches", rules.phrases().len());
}
