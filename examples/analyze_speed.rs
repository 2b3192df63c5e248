//! Quick in-process throughput check: analyze every file under DIR on one thread, N rounds.
//! `cargo run --release --example analyze_speed -- DIR [ROUNDS]`
use noticelint::RuleSet;
use noticelint::analyze::{Options, Scratch, analyze_with};
use noticelint::input::{self, Loaded};

#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}
unsafe extern "C" {
    fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
}
/// CPU time of this thread (CLOCK_THREAD_CPUTIME_ID), immune to a loaded machine's waits.
fn cpu() -> f64 {
    let mut ts = Timespec { sec: 0, nsec: 0 };
    unsafe { clock_gettime(3, &mut ts) };
    ts.sec as f64 + ts.nsec as f64 * 1e-9
}

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("DIR"));
    let rounds: usize = std::env::args().nth(2).map_or(3, |r| r.parse().unwrap());
    let rules = RuleSet::builtin().unwrap();
    let docs: Vec<_> = input::discover(&[dir])
        .iter()
        .flat_map(input::load)
        .filter_map(|l| if let Loaded::Document(d) = l { Some(d) } else { None })
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut scratch = Scratch::default();
    let options = Options::default();
    for _ in 0..rounds {
        let t = std::time::Instant::now();
        let c = cpu();
        let mut n = 0;
        for d in &docs {
            n += analyze_with(d, &rules, &options, &mut scratch).data_types.len();
        }
        let (s, c) = (t.elapsed().as_secs_f64(), cpu() - c);
        println!(
            "{} docs {:.1} MB wall {:.3} s cpu {:.3} s {:.1} MB/s of cpu ({n})",
            docs.len(),
            bytes as f64 / 1e6,
            s,
            c,
            bytes as f64 / 1e6 / c
        );
    }
}
