//! Finding the date cues of a sentence (`[dates.cues]`), and whether it speaks of
//! misdirection or reports another party's account (`[dates.words]`).
//!
//! Each category's cues compile into one leftmost-first regex, which defines the hits. In
//! ASCII text one automaton pass over the first words of every cue (and the misdirection
//! and reported-speech phrases) stands in for the four regexes: each first-word hit is
//! checked word by word against the cues opening with it, and the regexes' choice among
//! overlapping hits is replayed (a test compares the two on random text).

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;
use std::ops::Range;

use super::extract::CueLists;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Category {
    Breach,
    Discovery,
    Notice,
    Other,
}

/// A cue hit: its category and byte span.
pub(super) type Hit = (Category, usize, usize);

/// The compiled cues.
#[derive(Debug, Clone)]
pub(super) struct CueMatcher {
    /// One regex per category that has cues, in the order [`SentenceCues::hits`] lists them.
    regexes: Vec<(Category, Regex)>,
    /// Misdirection and reported-speech phrases, lowercased.
    misdirection: Vec<String>,
    reported_speech: Vec<String>,
    /// The search for ASCII text; `None` when some cue cannot take part (see [`Fast::new`]).
    fast: Option<Fast>,
}

/// What [`CueMatcher::scan`] found in a text.
#[derive(Debug, Default)]
pub(super) struct SentenceCues {
    /// Grouped by category in the matcher's order, each group in text order; spans are
    /// offset by the `offset` given to the scan.
    pub hits: Vec<Hit>,
    pub misdirected: bool,
    pub reported: bool,
    /// The span last scanned, so that dates sharing a sentence share its scan.
    pub span: Option<Range<usize>>,
    /// (category slot, start, rank, end) of every cue occurrence, before choosing.
    candidates: Vec<(usize, usize, usize, usize)>,
    lowered: String,
}

impl CueMatcher {
    pub(super) fn new(cues: &CueLists, misdirection: &[String], reported_speech: &[String]) -> CueMatcher {
        let lists = [
            (Category::Other, &cues.other),
            (Category::Discovery, &cues.discovery),
            (Category::Breach, &cues.breach),
            (Category::Notice, &cues.notice),
        ];
        let mut regexes = Vec::new();
        let mut ranked: Vec<Vec<&str>> = Vec::new();
        for (cat, list) in lists.into_iter().filter(|(_, l)| !l.is_empty()) {
            let mut alts: Vec<(String, &str)> = list.iter().map(|c| (cue_pattern(c), c.as_str())).collect();
            // Leftmost-first alternation: longest phrase first so "began mailing" beats
            // "began" at the same position.
            alts.sort_by_key(|(a, _)| std::cmp::Reverse(a.len()));
            let sources: Vec<&str> = alts.iter().map(|(a, _)| a.as_str()).collect();
            // Word start only: stems match inflections, but "left" not "cleft".
            let pattern = crate::rules::ascii_boundaries(&format!(r"(?i)\b(?:{})", sources.join("|")));
            if let Ok(re) = Regex::new(&pattern) {
                regexes.push((cat, re));
                ranked.push(alts.iter().map(|(_, c)| *c).collect());
            }
        }
        let lower = |l: &[String]| l.iter().map(|p| p.to_lowercase()).collect::<Vec<_>>();
        let (misdirection, reported_speech) = (lower(misdirection), lower(reported_speech));
        let fast = Fast::new(&ranked, &misdirection, &reported_speech);
        CueMatcher { regexes, misdirection, reported_speech, fast }
    }

    /// Fills `out` with the cues of `s` (searched as a text of its own, positions offset by
    /// `offset`) and whether it speaks of misdirection or reported speech.
    pub(super) fn scan(&self, s: &str, offset: usize, out: &mut SentenceCues) {
        out.hits.clear();
        match &self.fast {
            Some(fast) if s.is_ascii() => fast.scan(s, offset, &self.regexes, out),
            _ => {
                for (cat, re) in &self.regexes {
                    out.hits.extend(re.find_iter(s).map(|h| (*cat, offset + h.start(), offset + h.end())));
                }
                lowercase_into(s, &mut out.lowered);
                let has = |list: &[String]| list.iter().any(|p| out.lowered.contains(p.as_str()));
                out.misdirected = has(&self.misdirection);
                out.reported = has(&self.reported_speech);
            }
        }
    }

    /// Category of the first cue in `s` (the longest where two start together), if any.
    pub(super) fn first(&self, s: &str) -> Option<Category> {
        let mut found = SentenceCues::default();
        self.scan(s, 0, &mut found);
        let key = |h: &Hit| (h.1, usize::MAX - (h.2 - h.1));
        let mut best: Option<Hit> = None;
        for (i, h) in found.hits.iter().enumerate() {
            // Only the first hit of each category, as a regex `find` gives it; at a tie the
            // earlier category.
            let first_of_category = i == 0 || found.hits[i - 1].0 != h.0;
            if first_of_category && best.is_none_or(|b| key(h) < key(&b)) {
                best = Some(*h);
            }
        }
        best.map(|h| h.0)
    }

    /// Whether `s` gives another party's account.
    pub(super) fn reported(&self, s: &str) -> bool {
        let s = s.to_lowercase();
        self.reported_speech.iter().any(|r| s.contains(r.as_str()))
    }
}

/// The one-pass search for ASCII text.
#[derive(Debug, Clone)]
struct Fast {
    /// The distinct first words of the cues (lowercase), then the misdirection phrases, then
    /// the reported-speech phrases; matched ASCII case-insensitively, overlapping.
    ac: AhoCorasick,
    /// For each first word: the cues opening with it.
    heads: Vec<Vec<usize>>,
    cues: Vec<FastCue>,
    /// Pattern ids from here on are reported-speech phrases (before it, from `heads.len()`,
    /// misdirection phrases).
    reported_from: usize,
    /// An empty phrase is contained in every text.
    always_misdirected: bool,
    always_reported: bool,
}

/// One cue, as [`cue_pattern`] reads it.
#[derive(Debug, Clone)]
struct FastCue {
    /// Index of its category in the matcher's regexes.
    slot: usize,
    /// Its place in the category's alternation: the lower wins at one position.
    rank: usize,
    /// Lowercase words; `gap_before[i]`: up to six words may come between word i-1 and word i.
    words: Vec<Vec<u8>>,
    gap_before: Vec<bool>,
}

impl Fast {
    /// `None` when a cue has no word, a non-ASCII word (whose case folding the automaton
    /// would not reproduce) or more than two gaps (each gap multiplies the tries by seven).
    fn new(ranked: &[Vec<&str>], misdirection: &[String], reported_speech: &[String]) -> Option<Fast> {
        let mut head_words: Vec<Vec<u8>> = Vec::new();
        let mut heads: Vec<Vec<usize>> = Vec::new();
        let mut cues = Vec::new();
        for (slot, list) in ranked.iter().enumerate() {
            for (rank, cue) in list.iter().enumerate() {
                let (words, gap_before) = cue_words(cue);
                if words.is_empty() || words.iter().any(|w| !w.is_ascii()) || gap_before.iter().filter(|g| **g).count() > 2 {
                    return None;
                }
                let words: Vec<Vec<u8>> = words.iter().map(|w| w.to_ascii_lowercase().into_bytes()).collect();
                let head = match head_words.iter().position(|h| *h == words[0]) {
                    Some(h) => h,
                    None => {
                        head_words.push(words[0].clone());
                        heads.push(Vec::new());
                        heads.len() - 1
                    }
                };
                heads[head].push(cues.len());
                cues.push(FastCue { slot, rank, words, gap_before });
            }
        }
        // A non-ASCII phrase is in no ASCII text, even lowercased.
        let phrases = |l: &[String]| l.iter().filter(|p| !p.is_empty() && p.is_ascii()).map(|p| p.as_bytes().to_vec()).collect::<Vec<_>>();
        let (mis, rep) = (phrases(misdirection), phrases(reported_speech));
        let reported_from = heads.len() + mis.len();
        let patterns = head_words.iter().chain(&mis).chain(&rep);
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(patterns)
            .ok()?;
        Some(Fast {
            ac,
            heads,
            cues,
            reported_from,
            always_misdirected: misdirection.iter().any(String::is_empty),
            always_reported: reported_speech.iter().any(String::is_empty),
        })
    }

    fn scan(&self, s: &str, offset: usize, regexes: &[(Category, Regex)], out: &mut SentenceCues) {
        let b = s.as_bytes();
        out.candidates.clear();
        out.misdirected = self.always_misdirected;
        out.reported = self.always_reported;
        for m in self.ac.find_overlapping_iter(s) {
            let p = m.pattern().as_usize();
            if p >= self.reported_from {
                out.reported = true;
            } else if p >= self.heads.len() {
                out.misdirected = true;
            } else if word_start(b, m.start()) {
                for cue in self.heads[p].iter().map(|&c| &self.cues[c]) {
                    if let Some(end) = cue.rest(b, 1, m.end()) {
                        out.candidates.push((cue.slot, m.start(), cue.rank, end));
                    }
                }
            }
        }
        // Per category, as the regex's `find_iter` chooses: the leftmost start, there the
        // lowest rank, then on from its end.
        out.candidates.sort_unstable();
        let (mut slot, mut pos) = (usize::MAX, 0);
        for &(sl, start, _, end) in &out.candidates {
            if sl != slot {
                (slot, pos) = (sl, 0);
            }
            if start >= pos {
                out.hits.push((regexes[sl].0, offset + start, offset + end));
                pos = end;
            }
        }
    }
}

impl FastCue {
    /// Where the cue ends when its words from `w` on follow at `i` (`i` ends word `w - 1`).
    /// Tries gap lengths shortest first, as the regex's lazy `{0,6}?` does; every other
    /// part of the pattern can match in only one way. Recurses only at a gap (at most two).
    fn rest(&self, b: &[u8], mut w: usize, mut i: usize) -> Option<usize> {
        let at = |p: usize, word: &[u8]| b.get(p..p + word.len()).is_some_and(|t| t.eq_ignore_ascii_case(word));
        loop {
            let Some(word) = self.words.get(w) else { return Some(i) };
            let mut p = spaces(b, i);
            if p == i {
                return None;
            }
            if !self.gap_before[w] {
                if !at(p, word) {
                    return None;
                }
                (w, i) = (w + 1, p + word.len());
                continue;
            }
            for k in 0..7 {
                if let Some(end) = at(p, word).then(|| self.rest(b, w + 1, p + word.len())).flatten() {
                    return Some(end);
                }
                if k == 6 {
                    break;
                }
                // One more word in the gap: `[^\s.;:!?]+\s+`.
                let q = p + b[p..].iter().take_while(|c| !is_space(**c) && !matches!(c, b'.' | b';' | b':' | b'!' | b'?')).count();
                let r = spaces(b, q);
                if q == p || r == q {
                    return None;
                }
                p = r;
            }
            return None;
        }
    }
}

/// Regex source for one cue phrase. Spaces match any run of white space; a `...` token
/// stands for up to six words in between ("sent ... to the wrong" matches "sent the
/// letter to the wrong"), which never cross sentence punctuation.
fn cue_pattern(cue: &str) -> String {
    let (words, gap_before) = cue_words(cue);
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            out.push_str(if gap_before[i] { r"\s+(?:[^\s.;:!?]+\s+){0,6}?" } else { r"\s+" });
        }
        out.push_str(&regex::escape(word));
    }
    out
}

/// The words of a cue, and for each whether a `...` gap comes before it (never before the
/// first: a leading or trailing gap is ignored).
fn cue_words(cue: &str) -> (Vec<&str>, Vec<bool>) {
    let (mut words, mut gaps) = (Vec::new(), Vec::new());
    let mut gap = false;
    for word in cue.split_whitespace() {
        if word == "..." || word == "…" {
            gap = true;
            continue;
        }
        gaps.push(gap && !words.is_empty());
        words.push(word);
        gap = false;
    }
    (words, gaps)
}

fn is_space(c: u8) -> bool {
    matches!(c, b'\t'..=b'\r' | b' ')
}

/// End of the ASCII white space run at `i`.
fn spaces(b: &[u8], i: usize) -> usize {
    i + b.get(i..).unwrap_or_default().iter().take_while(|c| is_space(**c)).count()
}

/// `(?-u:\b)` at `i`, for a match starting there.
fn word_start(b: &[u8], i: usize) -> bool {
    let word = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
    (i > 0 && word(i - 1)) != word(i)
}

/// `out` = `s.to_lowercase()`, reusing `out`'s buffer.
fn lowercase_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else {
        out.push_str(&s.to_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The regexes alone, as the matcher searched before the automaton.
    fn by_regex(m: &CueMatcher, s: &str) -> (Vec<Hit>, bool, bool) {
        let hits = m.regexes.iter().flat_map(|(cat, re)| re.find_iter(s).map(|h| (*cat, h.start(), h.end()))).collect();
        let lower = s.to_lowercase();
        let has = |list: &[String]| list.iter().any(|p| lower.contains(p.as_str()));
        (hits, has(&m.misdirection), has(&m.reported_speech))
    }

    fn by_scan(m: &CueMatcher, s: &str) -> (Vec<Hit>, bool, bool) {
        let mut out = SentenceCues::default();
        m.scan(s, 0, &mut out);
        (out.hits, out.misdirected, out.reported)
    }

    #[test]
    fn automaton_finds_what_the_regexes_find() {
        let rules = crate::rules::RuleSet::builtin().unwrap();
        let cues = &rules.dates;
        let m = CueMatcher::new(&cues.cues, &cues.words.misdirection, &cues.words.reported_speech);
        assert!(m.fast.is_some());
        // Words of the cues, pieces of them, separators that gaps may or may not cross.
        let mut tokens: Vec<String> = [&cues.cues.breach, &cues.cues.discovery, &cues.cues.notice, &cues.cues.other]
            .into_iter()
            .flatten()
            .flat_map(|c| c.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            .chain(cues.words.misdirection.iter().cloned())
            .collect();
        tokens.extend(["a", "the", "letter", "X", "_", "re", "ed", "s", "mis", "Sent", "DISCOVERED", "According to"].map(String::from));
        // Gapped cues with gaps of every length up to one too many, and gaps that punctuation ends.
        let gapped: Vec<&String> = [&cues.cues.breach, &cues.cues.discovery, &cues.cues.notice, &cues.cues.other]
            .into_iter()
            .flatten()
            .filter(|c| c.contains("..."))
            .collect();
        for cue in gapped {
            for filler in ["", "the letter", "a b c d e f", "a b c d e f g", "it. the", "x; y", "five\n\tlong"] {
                tokens.push(cue.replace("...", filler));
            }
        }
        let seps = [" ", " ", " ", "  ", "\n", "\t", "", ".", ", ", "; ", "-", "!", ":"];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let (mut hits, mut gapped, mut misdirected) = (0, 0, 0);
        for _ in 0..20_000 {
            let mut s = String::new();
            for _ in 0..1 + next(24) {
                let t = &tokens[next(tokens.len())];
                match next(5) {
                    0 => s.push_str(&t.to_uppercase()),
                    1 => s.push_str(&t[..t.len().min(1 + next(t.len().max(1)))]),
                    _ => s.push_str(t),
                }
                s.push_str(seps[next(seps.len())]);
            }
            let got = by_scan(&m, &s);
            assert_eq!(got, by_regex(&m, &s), "{s:?}");
            hits += got.0.len();
            gapped += got.0.iter().filter(|h| s[h.1..h.2].split_whitespace().count() > 4).count();
            misdirected += usize::from(got.1);
        }
        // The soup reaches every path: plenty of hits, gaps taken, misdirection found.
        assert!(hits > 50_000 && gapped > 1_000 && misdirected > 1_000, "{hits} {gapped} {misdirected}");
    }
}
