//! Throughput of `analyze` on one thread, in bytes per second (criterion).
//!
//! `cargo bench --bench analyze` runs over the bundled corpus (`corpora/`). Set
//! `NOTICELINT_BENCH_DIR` to a folder of notices (e.g. one made by
//! `cargo run --release --example gen_notices -- DIR --count 2000`) to measure on that.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use noticelint::analyze::{Options, Scratch, analyze_with};
use noticelint::input::{self, Loaded};
use noticelint::{Document, RuleSet};

fn corpus() -> Vec<Document> {
    let dir = std::env::var_os("NOTICELINT_BENCH_DIR")
        .map_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpora"), Into::into);
    input::discover(&[dir])
        .iter()
        .flat_map(input::load)
        .filter_map(|l| match l {
            Loaded::Document(d) => Some(d),
            Loaded::Failed(_) => None,
        })
        .collect()
}

fn analyze(c: &mut Criterion) {
    let rules = RuleSet::builtin().expect("built-in rules load");
    let docs = corpus();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let options = Options::default();
    let mut group = c.benchmark_group("analyze");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function(format!("1 thread, {} notices", docs.len()), |b| {
        let mut scratch = Scratch::default();
        b.iter(|| docs.iter().map(|d| analyze_with(d, &rules, &options, &mut scratch).flags.len()).sum::<usize>())
    });
    group.bench_function("bare phrase automaton", |b| {
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(rules.phrases())
            .expect("automaton builds");
        b.iter(|| docs.iter().map(|d| ac.find_iter(&d.text).count()).sum::<usize>())
    });
    group.finish();
}

criterion_group!(benches, analyze);
criterion_main!(benches);
