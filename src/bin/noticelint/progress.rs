//! The progress bar on stderr (only when stderr is a terminal and not `--quiet`):
//! documents and megabytes done, rate and ETA.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use noticelint::input::Source;
use noticelint::summary::Entry;

pub struct Progress {
    bar: Option<ProgressBar>,
    docs: std::cell::Cell<usize>,
    total_docs: Option<usize>,
}

impl Progress {
    /// A bar sized by the files' lengths; a spinner when a stream (stdin) is among the inputs.
    pub fn start(sources: &[Source]) -> Progress {
        let streaming = sources
            .iter()
            .any(|s| matches!(s, Source::Stdin) || matches!(s, Source::File { path, .. } if noticelint::input::format_of(path) == "jsonl"));
        let bar = if streaming {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {bytes} read, {binary_bytes_per_sec} · {msg} · {elapsed}")
                    .expect("a valid template"),
            );
            bar
        } else {
            let total: u64 = sources
                .iter()
                .filter_map(|s| match s {
                    Source::File { path, .. } => std::fs::metadata(path).ok().map(|m| m.len()),
                    _ => None,
                })
                .sum();
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} · {msg} · ETA {eta}")
                    .expect("a valid template"),
            );
            bar
        };
        bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(8));
        Progress { bar: Some(bar), docs: Default::default(), total_docs: (!streaming).then_some(sources.len()) }
    }

    pub fn hidden() -> Progress {
        Progress { bar: None, docs: Default::default(), total_docs: None }
    }

    /// One more record written.
    pub fn advance(&self, entry: &Entry) {
        let Some(bar) = &self.bar else { return };
        let docs = self.docs.get() + 1;
        self.docs.set(docs);
        if let Entry::Analyzed(d) = entry {
            bar.inc(d.bytes as u64);
        }
        bar.set_message(match self.total_docs {
            Some(total) => format!("{docs}/{total} documents"),
            None => format!("{docs} documents"),
        });
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
