//! Finding the date cues of a sentence (`[dates.cues]`), and whether it speaks of
//! misdirection or reports another party's account (`[dates.words]`).
//!
//! Each category's cues compile into one leftmost-first regex, which defines the hits. In
//! ASCII text one pass over the word boundaries stands in for the four regexes: a small
//! table of the cues' first words says which cues may start at each, each is checked word
//! by word, and the regexes' choice among overlapping hits is replayed (a test compares the
//! two on random text). Misdirection and reported speech are looked for only when asked.

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
#[derive(Debug, Clone, Default)]
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
    /// The span last scanned, so that dates sharing a sentence share its scan.
    pub span: Option<Range<usize>>,
    /// Whether the text speaks of misdirection or reported speech, once asked (few dates
    /// need to know).
    misdirected: Option<bool>,
    reported: Option<bool>,
    /// (category slot, start, rank, end) of every cue occurrence, before choosing.
    candidates: Vec<(usize, usize, usize, usize)>,
    /// The text lowercased, once asked.
    lowered: Option<String>,
    buffer: String,
}

impl CueMatcher {
    /// The matcher, or which category's cues do not compile (a regex over the size limit).
    pub(super) fn new(cues: &CueLists, misdirection: &[String], reported_speech: &[String]) -> Result<CueMatcher, String> {
        let lists = [
            (Category::Other, &cues.other, "other"),
            (Category::Discovery, &cues.discovery, "discovery"),
            (Category::Breach, &cues.breach, "breach"),
            (Category::Notice, &cues.notice, "notice"),
        ];
        let mut regexes = Vec::new();
        let mut ranked: Vec<Vec<&str>> = Vec::new();
        for (cat, list, key) in lists.into_iter().filter(|(_, l, _)| !l.is_empty()) {
            let mut alts: Vec<(String, &str)> = list.iter().map(|c| (cue_pattern(c), c.as_str())).collect();
            // Leftmost-first alternation: longest phrase first so "began mailing" beats
            // "began" at the same position.
            alts.sort_by_key(|(a, _)| std::cmp::Reverse(a.len()));
            let sources: Vec<&str> = alts.iter().map(|(a, _)| a.as_str()).collect();
            // Word start only: stems match inflections, but "left" not "cleft".
            let pattern = crate::rules::ascii_boundaries(&format!(r"(?i)\b(?:{})", sources.join("|")));
            let re = Regex::new(&pattern).map_err(|e| format!("[dates.cues] {key}: {e}"))?;
            regexes.push((cat, re));
            ranked.push(alts.iter().map(|(_, c)| *c).collect());
        }
        let lower = |l: &[String]| l.iter().map(|p| p.to_lowercase()).collect::<Vec<_>>();
        let (misdirection, reported_speech) = (lower(misdirection), lower(reported_speech));
        let fast = Fast::new(&ranked);
        Ok(CueMatcher { regexes, misdirection, reported_speech, fast })
    }

    /// Fills `out` with the cues of `s` (searched as a text of its own, positions offset by
    /// `offset`).
    pub(super) fn scan(&self, s: &str, offset: usize, out: &mut SentenceCues) {
        out.hits.clear();
        (out.misdirected, out.reported) = (None, None);
        if let Some(lowered) = out.lowered.take() {
            out.buffer = lowered;
        }
        match &self.fast {
            Some(fast) if s.is_ascii() => fast.scan(s, offset, &self.regexes, out),
            _ => {
                for (cat, re) in &self.regexes {
                    out.hits.extend(re.find_iter(s).map(|h| (*cat, offset + h.start(), offset + h.end())));
                }
            }
        }
    }

    /// Whether `s`, the text last scanned into `out`, speaks of misdirection.
    pub(super) fn misdirected(&self, s: &str, out: &mut SentenceCues) -> bool {
        if out.misdirected.is_none() {
            out.misdirected = Some(contains_any(&self.misdirection, lowered(s, out)));
        }
        out.misdirected == Some(true)
    }

    /// Whether `s`, the text last scanned into `out`, gives another party's account.
    pub(super) fn reported_in(&self, s: &str, out: &mut SentenceCues) -> bool {
        if out.reported.is_none() {
            out.reported = Some(contains_any(&self.reported_speech, lowered(s, out)));
        }
        out.reported == Some(true)
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

/// The search for ASCII text: at each word boundary, the cues whose first word starts there.
#[derive(Debug, Clone)]
struct Fast {
    /// The distinct first words of the cues.
    heads: Vec<Head>,
    /// Indices into `heads`, grouped by [`bucket`] of their first two bytes: group `k` is
    /// `order[groups[k].start..groups[k].end]`. A table this small stays in cache where an
    /// automaton's would not (the stage runs on cold caches).
    order: Vec<u16>,
    groups: Vec<Group>,
    cues: Vec<FastCue>,
    /// Some first word begins with a byte that is not a word byte.
    after_words: bool,
}

/// The heads of one bucket, and which third bytes they allow.
#[derive(Debug, Clone, Copy, Default)]
struct Group {
    start: u16,
    end: u16,
    /// Bit `c & 31` is set for the third byte `c` of each head (all bits for a head of one
    /// or two bytes, which any third byte may follow): most word starts that share a
    /// bucket with a head fail here, before any head is compared.
    third: u32,
}

/// A first word of some cues.
#[derive(Debug, Clone)]
struct Head {
    /// Its first (up to) four bytes `| 0x20`, little-endian; `mask` covers them.
    key: u32,
    mask: u32,
    /// The whole word, lowercase.
    word: Vec<u8>,
    /// The cues opening with it.
    cues: Vec<usize>,
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
    /// `None` when a cue has no word, a non-ASCII word (whose case folding this search
    /// would not reproduce) or more than two gaps (each gap multiplies the tries by seven).
    fn new(ranked: &[Vec<&str>]) -> Option<Fast> {
        let mut heads: Vec<Head> = Vec::new();
        let mut cues = Vec::new();
        for (slot, list) in ranked.iter().enumerate() {
            for (rank, cue) in list.iter().enumerate() {
                let (words, gap_before) = cue_words(cue);
                if words.is_empty() || words.iter().any(|w| !w.is_ascii()) || gap_before.iter().filter(|g| **g).count() > 2 {
                    return None;
                }
                let words: Vec<Vec<u8>> = words.iter().map(|w| w.to_ascii_lowercase().into_bytes()).collect();
                let head = match heads.iter().position(|h| h.word == words[0]) {
                    Some(h) => h,
                    None => {
                        let (key, mask) = head_key(&words[0]);
                        heads.push(Head { key, mask, word: words[0].clone(), cues: Vec::new() });
                        heads.len() - 1
                    }
                };
                heads[head].cues.push(cues.len());
                cues.push(FastCue { slot, rank, words, gap_before });
            }
        }
        // A one-byte head belongs to every bucket of its first byte.
        let mut grouped: Vec<(usize, u16)> = Vec::new();
        for (h, head) in heads.iter().enumerate() {
            let h = u16::try_from(h).ok()?;
            match head.word.get(1) {
                Some(&second) => grouped.push((bucket(head.word[0], second), h)),
                None => grouped.extend((0..32).map(|second| (bucket(head.word[0], second), h))),
            }
        }
        grouped.sort_unstable();
        let order = grouped.iter().map(|g| g.1).collect();
        let start = |k: usize| u16::try_from(grouped.partition_point(|g| g.0 < k)).ok();
        let mut groups =
            (0..BUCKETS).map(|k| Some(Group { start: start(k)?, end: start(k + 1)?, third: 0 })).collect::<Option<Vec<_>>>()?;
        for &(k, h) in &grouped {
            groups[k].third |= heads[usize::from(h)].word.get(2).map_or(u32::MAX, |&c| 1 << (c & 31));
        }
        let after_words = heads.iter().any(|h| !(h.word[0].is_ascii_alphanumeric() || h.word[0] == b'_'));
        Some(Fast { heads, order, groups, cues, after_words })
    }

    fn scan(&self, s: &str, offset: usize, regexes: &[(Category, Regex)], out: &mut SentenceCues) {
        let b = s.as_bytes();
        out.candidates.clear();
        // A cue starts where `(?-u:\b)` holds: at the first byte of a word, or (only for a
        // first word that does not begin with a word byte) at the first byte after one.
        // Eight bytes at a time find them.
        let mut before = 0u64;
        for (chunk, bytes) in b.chunks(8).enumerate() {
            let word = word_mask(load(bytes));
            let after_word = word << 8 | before;
            before = word >> 56;
            let mut at = word & !after_word;
            if self.after_words {
                // Padding bytes are not words: only real bytes may start a cue.
                at |= !word & after_word & (HIGH >> (8 * (8 - bytes.len())));
            }
            while at != 0 {
                let i = chunk * 8 + at.trailing_zeros() as usize / 8;
                at &= at - 1;
                self.cues_at(b, i, out);
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

    /// Adds the cues starting at `i` to `out.candidates`.
    fn cues_at(&self, b: &[u8], i: usize, out: &mut SentenceCues) {
        let g = self.groups[bucket(b[i], b.get(i + 1).copied().unwrap_or(0))];
        // Past the end the third byte reads as 0: only a head of one or two bytes, whose
        // bits are all set, can match there.
        if g.third >> (b.get(i + 2).copied().unwrap_or(0) & 31) & 1 == 0 {
            return;
        }
        let group = &self.order[usize::from(g.start)..usize::from(g.end)];
        // `| 0x20` lowercases a letter (and may confuse some punctuation, which the full
        // comparison then tells apart).
        let key = match b.get(i..i + 4) {
            Some(four) => u32::from_le_bytes([four[0], four[1], four[2], four[3]]),
            None => load(&b[i..]) as u32,
        } | 0x2020_2020;
        for head in group.iter().map(|&h| &self.heads[usize::from(h)]).filter(|h| key & h.mask == h.key) {
            let end = i + head.word.len();
            if !b.get(i..end).is_some_and(|t| t.eq_ignore_ascii_case(&head.word)) {
                continue;
            }
            for cue in head.cues.iter().map(|&c| &self.cues[c]) {
                if let Some(end) = cue.rest(b, 1, end) {
                    out.candidates.push((cue.slot, i, cue.rank, end));
                }
            }
        }
    }
}

const BUCKETS: usize = 1024;

/// The bucket of a word starting with bytes `a`, `b`: their low five bits, which an ASCII
/// letter shares with its other case.
fn bucket(a: u8, b: u8) -> usize {
    usize::from(a & 31) << 5 | usize::from(b & 31)
}

/// The first (up to) four bytes of a lowercase word `| 0x20` as a little-endian key, and
/// the mask that covers them.
fn head_key(word: &[u8]) -> (u32, u32) {
    word.iter().take(4).enumerate().fold((0, 0), |(k, m), (j, &c)| (k | u32::from(c | 0x20) << (8 * j), m | 0xff << (8 * j)))
}

/// Up to eight bytes as a little-endian number, zeros after them.
fn load(bytes: &[u8]) -> u64 {
    match bytes.first_chunk::<8>() {
        Some(full) => u64::from_le_bytes(*full),
        None => bytes.iter().rev().fold(0, |v, &c| v << 8 | u64::from(c)),
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of ASCII `v` that is a word byte (`[0-9A-Za-z_]`).
fn word_mask(v: u64) -> u64 {
    // Below 0x80 a byte plus 0x80 - n has its high bit set exactly when it is >= n, and
    // the sum never carries into the next byte.
    let within = |v: u64, lo: u8, hi: u8| (v + ONES * u64::from(0x80 - lo)) & !(v + ONES * u64::from(0x7f - hi)) & HIGH;
    within(v, b'0', b'9') | within(v | (ONES * 0x20), b'a', b'z') | within(v, b'_', b'_')
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

/// `s.to_lowercase()`, kept in `out` for the text last scanned.
fn lowered<'a>(s: &str, out: &'a mut SentenceCues) -> &'a str {
    out.lowered.get_or_insert_with(|| {
        let mut l = std::mem::take(&mut out.buffer);
        l.clear();
        if s.is_ascii() {
            l.push_str(s);
            l.make_ascii_lowercase();
        } else {
            l.push_str(&s.to_lowercase());
        }
        l
    })
}

/// Whether lowercase `text` contains one of the (lowercase) phrases.
fn contains_any(phrases: &[String], text: &str) -> bool {
    phrases.iter().any(|p| text.contains(p.as_str()))
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

    fn by_scan(m: &CueMatcher, s: &str, out: &mut SentenceCues) -> (Vec<Hit>, bool, bool) {
        m.scan(s, 0, out);
        let (misdirected, reported) = (m.misdirected(s, out), m.reported_in(s, out));
        (out.hits.clone(), misdirected, reported)
    }

    #[test]
    fn third_byte_masks_admit_every_head() {
        let rules = crate::rules::RuleSet::builtin().unwrap();
        let cues = &rules.dates;
        let m = CueMatcher::new(&cues.cues, &cues.words.misdirection, &cues.words.reported_speech).unwrap();
        let fast = m.fast.unwrap();
        // Each head, in either case and with any tail, passes its bucket's mask and is
        // listed in its group, as the search without masks found it.
        for (h, head) in fast.heads.iter().enumerate() {
            for word in [head.word.clone(), head.word.to_ascii_uppercase()] {
                for tail in [&b""[..], b" ", b"s", b"ed"] {
                    let b = [&word[..], tail].concat();
                    let g = fast.groups[bucket(b[0], b.get(1).copied().unwrap_or(0))];
                    assert_eq!(g.third >> (b.get(2).copied().unwrap_or(0) & 31) & 1, 1, "{:?}", String::from_utf8_lossy(&b));
                    assert!(fast.order[usize::from(g.start)..usize::from(g.end)].contains(&(h as u16)));
                }
            }
        }
    }

    #[test]
    fn automaton_finds_what_the_regexes_find() {
        let rules = crate::rules::RuleSet::builtin().unwrap();
        let cues = &rules.dates;
        let m = CueMatcher::new(&cues.cues, &cues.words.misdirection, &cues.words.reported_speech).unwrap();
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
        let mut next = crate::test_support::xorshift(0x9e37_79b9_7f4a_7c15u64);
        let (mut hits, mut gapped, mut misdirected) = (0, 0, 0);
        // One buffer for all, as the extractor reuses it.
        let mut out = SentenceCues::default();
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
            let got = by_scan(&m, &s, &mut out);
            assert_eq!(got, by_regex(&m, &s), "{s:?}");
            hits += got.0.len();
            gapped += got.0.iter().filter(|h| s[h.1..h.2].split_whitespace().count() > 4).count();
            misdirected += usize::from(got.1);
        }
        // The soup reaches every path: plenty of hits, gaps taken, misdirection found.
        assert!(hits > 50_000 && gapped > 1_000 && misdirected > 1_000, "{hits} {gapped} {misdirected}");
    }
}
