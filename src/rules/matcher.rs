//! One pass over the text for every rule: all literal phrases of all packs and the trigger
//! literals of all patterns in one Aho-Corasick DFA (overlapping, ASCII case-insensitive),
//! walked as a compact copy of its table (see `Table`), and the regex patterns verified
//! only where a literal they need occurs.
//!
//! Phrases are reported leftmost-longest, selected from the overlapping occurrences (see
//! `leftmost_longest`). That makes look-alikes cheap: a pseudo-cue ("not only") or an
//! exclusion ("dark web monitoring") is longer than, or starts before, what it shadows, so
//! it is reported instead.
//!
//! Patterns are literal-triggered, as in Hyperscan-style engines, so no pattern rescans
//! the whole text. At build time each pattern (each top-level branch of it) is split into
//! `prefix · run · suffix`, where `run` is a stretch of the pattern that matches exactly one
//! of a few literal strings (`evidence|indications?|reason to believe`, `seriously`, `@`):
//! every match contains one of them (an inner alternation without such a run is
//! distributed: `a(b|c)d` is `abd|acd`); a branch that is one such run but for word
//! boundaries at its ends (`\b(?:security|credit) freezes?\b`) is its own trigger and has
//! no side to search. The same pass finds those trigger literals. Each
//! occurrence passes cheap checks first (on either side, the bytes next to it that a match
//! could have, up to 8, see `Edge`, `Steps`, `Probe` and `Near`); then a reverse lazy DFA
//! of the prefix, anchored at the trigger, says where a match could start at the
//! earliest, and a forward one of the suffix where it would end (leftmost-first); an
//! occurrence either rejects is dropped. The surviving windows of a pattern are merged
//! and the pattern itself runs only inside them,
//! with look-arounds (`\b`) seeing the real text around, in a loop that reproduces
//! `find_iter` over the whole text exactly (see `verify`); a window alone in its group is
//! already the match, and most are. A pattern with no
//! usable literal is searched over the whole text ([`Matcher::untriggered`] lists those).
//! Literals are matched ASCII case-insensitively; a text holding one of the two non-ASCII
//! characters that fold to ASCII letters (KELVIN SIGN, LONG S) takes the whole-text path.

use std::collections::HashMap;

use aho_corasick::automaton::Automaton;
use aho_corasick::{MatchKind, dfa::DFA};
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::{Anchored, Input, hybrid, meta, nfa::thompson};
use regex_syntax::hir::{Class, Hir, HirKind, Look};

use crate::normalize::Normalized;

/// What a phrase or pattern belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A detection rule's trigger (index into `RuleSet::rules`).
    Rule(u32),
    /// A companion phrase a rule needs in the same sentence.
    Near(u32),
    /// A look-alike a rule discards.
    Exclude(u32),
    /// A scope cue (index into `RuleSet::cues`).
    Cue(u32),
}

/// A match in the normalized text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub target: Target,
}

/// Size limit for one compiled regex: a pack cannot make the program allocate without bound.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

#[derive(Debug)]
pub struct Matcher {
    /// The phrases, then the trigger literals that are not also phrases: one overlapping
    /// (standard) DFA, ASCII case-insensitive, so one pass finds both (see `Table`). Its
    /// string `i` is phrase `i` for `i < phrases.len()`.
    automaton: Table,
    /// The longest string of the automaton, in bytes.
    max_len: usize,
    /// The literal phrases, normalized and lowercased.
    phrases: Vec<String>,
    phrase_targets: Vec<Vec<Target>>,
    /// For each phrase, whether it starts and whether it ends with a word character (so
    /// does every text it matches: the automaton folds only ASCII case).
    phrase_words: Vec<(bool, bool)>,
    patterns: Vec<Pattern>,
    /// The targets of pseudo-cue patterns (`Pattern::mask`).
    mask_targets: Vec<Target>,
    /// The splits each trigger literal triggers, a run for each (see `Found::splits`).
    split_of: Vec<u32>,
    splits: Vec<Split>,
    /// Each split's cheap checks, apart from its DFAs (the walk's bookkeeping runs them).
    checks: Vec<Check>,
    /// For each trigger literal, at the start of its run of `split_of`: what its neighbour
    /// bytes may be (see `Near`).
    near: Vec<Near>,
    scratch: Pool<Scratch, fn() -> Scratch>,
}

/// One regex pattern as the matcher runs it.
#[derive(Debug)]
struct Pattern {
    source: String,
    /// `source` as compiled (ASCII word boundaries).
    compiled: String,
    regex: meta::Regex,
    target: Target,
    /// A pseudo-cue's pattern: what it matches is not a cue, whatever else matched there.
    mask: bool,
    /// No trigger literal: searched over the whole text.
    whole: bool,
    /// An earlier pattern with the same source (two rules sharing a pattern): its matches
    /// are this one's.
    same_as: Option<usize>,
}

/// One way a pattern (or one of its top-level branches) contains a trigger literal:
/// `prefix · run · suffix`, where `run` matches exactly one of the literals.
#[derive(Debug)]
struct Split {
    pattern: u32,
    /// The prefix compiled in reverse, longest match (`None`: the prefix is empty).
    prefix: Option<hybrid::dfa::DFA>,
    /// The suffix, leftmost-first match (`None`: empty).
    suffix: Option<hybrid::dfa::DFA>,
    /// Every ASCII case variant of a string the run matches is one too, so a trigger
    /// occurrence is a match of the run (not so under `(?-i)`).
    caseless: bool,
    /// Run the suffix DFA first: it needs more text than the prefix, so it rejects more
    /// (a prefix that can be empty hardly rejects at all).
    suffix_first: bool,
}

/// Cheap necessary conditions a trigger occurrence must meet before a split's DFAs run:
/// most occurrences of short triggers fail them (`st` inside `first`).
#[derive(Debug)]
struct Check {
    before: Probe,
    after: Probe,
    /// For a run that is not `caseless`, the strings it matches exactly (`None`: too many
    /// to list, or caseless): an occurrence in another case cannot be the run.
    cased: Option<Vec<String>>,
}

impl Check {
    /// Whether the occurrence `start..end` of `text` passes.
    fn allows(&self, text: &[u8], start: usize, end: usize) -> bool {
        self.before.before(text, start)
            && self.after.after(text, end)
            && self.cased.as_ref().is_none_or(|cased| cased.iter().any(|c| c.as_bytes() == &text[start..end]))
    }
}

/// For one trigger literal, the bytes that may stand just before and just after an
/// occurrence of it for some split it triggers: the union of their `Check`s' first steps.
/// An occurrence's own bytes there are the literal's up to ASCII case, so of known kinds,
/// and the steps reduce to a set of bytes. `sort_out` drops the occurrences whose
/// neighbours fail it, most of them (a digit inside a number, `st` inside a word), before
/// they are listed for `check_triggers`.
#[derive(Debug, Clone, Copy, Default)]
struct Near {
    before: ByteSet,
    after: ByteSet,
}

impl Near {
    /// Whether the occurrence `start..end` of `text` may pass some `Check` of its literal.
    fn allows(&self, text: &[u8], start: usize, end: usize) -> bool {
        (start == 0 || has(&self.before, text[start - 1])) && text.get(end).is_none_or(|&c| has(&self.after, c))
    }
}

/// What the text must look like on one side of a trigger occurrence: a word boundary (or
/// not), and the byte next to it (`None`: anything, the side can match empty).
#[derive(Debug, Default)]
struct Edge {
    boundary: Option<bool>,
    bytes: Option<Box<[bool; 256]>>,
    /// Where the side has a DFA: the bytes its first steps away from the trigger can take
    /// (see `Steps`). Replaces the two above.
    steps: Option<Steps>,
}

impl Edge {
    /// The edge of `items` next to the trigger: their end if `last`, else their start.
    fn of(items: &[Hir], last: bool) -> Edge {
        let mut boundary = None;
        let ordered: Vec<&Hir> = if last { items.iter().rev().collect() } else { items.iter().collect() };
        for h in &ordered {
            match h.kind() {
                HirKind::Look(Look::WordAscii) => boundary = Some(true),
                HirKind::Look(Look::WordAsciiNegate) => boundary = Some(false),
                HirKind::Look(_) => {}
                _ => break,
            }
        }
        let (bytes, empty) = edge_bytes(&Hir::concat(items.to_vec()), last);
        Edge { boundary, bytes: (!empty).then(|| Box::new(bytes)), steps: None }
    }

    /// This check as the walk's bookkeeping runs it (see `Probe`).
    fn probe(&self) -> Probe {
        let mut table = [0u16; 256];
        let (mut depth, mut need_next, mut boundary) = (0, false, None);
        if let Some(steps) = &self.steps {
            for (c, bits) in table.iter_mut().enumerate() {
                for (kind, set) in steps.first.iter().enumerate() {
                    *bits |= u16::from(has(set, c as u8)) << kind;
                }
                for (j, set) in steps.rest.iter().enumerate() {
                    *bits |= u16::from(has(set, c as u8)) << (KINDS + j);
                }
            }
            depth = steps.rest.len();
        } else {
            boundary = self.boundary;
            need_next = self.bytes.is_some();
            for (c, bits) in table.iter_mut().enumerate() {
                if self.bytes.as_ref().is_none_or(|bytes| bytes[c]) {
                    *bits = (1 << KINDS) - 1;
                }
            }
        }
        Probe { table, depth, boundary, need_next }
    }

    /// Whether the trigger's edge at `at` of `text` passes: its end if `after`, else its start.
    /// (`Probe::allows` is what runs; this is what it is tested against.)
    #[cfg(test)]
    fn allows(&self, text: &[u8], at: usize, after: bool) -> bool {
        let (own, next) = if after { (text[at - 1], text.get(at)) } else { (text[at], at.checked_sub(1).map(|i| &text[i])) };
        if let Some(steps) = &self.steps {
            return if after { steps.allows(own, &text[at..]) } else { steps.allows(own, text[..at].iter().rev()) };
        }
        if let Some(b) = self.boundary {
            let word = |i: Option<&u8>| i.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
            let before = at.checked_sub(1).and_then(|i| text.get(i));
            if (word(before) != word(text.get(at))) != b {
                return false;
            }
        }
        self.bytes.as_ref().is_none_or(|bytes| next.is_some_and(|&c| bytes[c as usize]))
    }
}

/// How many bytes away from a trigger `Steps` looks at, at most.
const DEPTH: usize = 8;

/// A set of bytes, a bit each.
type ByteSet = [u64; 4];

fn has(set: &ByteSet, b: u8) -> bool {
    set[(b >> 6) as usize] >> (b & 63) & 1 != 0
}

fn add(set: &mut ByteSet, b: u8) {
    set[(b >> 6) as usize] |= 1 << (b & 63);
}

/// The bytes a side can start with, position by position going away from the trigger: a
/// cheap necessary condition checked before its DFA runs. Most occurrences of short
/// triggers die within a few bytes (`2` in "2024,", `have` after "we"), where a DFA search
/// pays its setup and a transition table the automaton walk has evicted from the cache.
#[derive(Debug, Clone)]
struct Steps {
    /// The first byte, exact: whether the DFA's first step on it is alive (a delayed match
    /// is alive), by the kind of the trigger's own byte there, which decides look-arounds
    /// such as `\b` at the trigger (see `first_steps`).
    first: [ByteSet; 4],
    /// The next bytes, from the side's expression (see `position_bytes`).
    rest: Vec<ByteSet>,
}

impl Steps {
    /// Whether `next` (the bytes going away from the trigger, whose own byte there is `own`)
    /// can start a match of the side. The text running out allows anything.
    #[cfg(test)]
    fn allows<'a>(&self, own: u8, next: impl IntoIterator<Item = &'a u8>) -> bool {
        let mut next = next.into_iter();
        let Some(&c) = next.next() else { return true };
        has(&self.first[byte_kind(own)], c) && self.rest.iter().zip(next).all(|(set, &c)| has(set, c))
    }
}

/// An `Edge` as one table: for each byte, whether it may stand at each distance from the
/// trigger, so a check costs a load and a bit test per byte. Run for every trigger
/// occurrence (most fail it), while the walk's occurrences are sorted out.
#[derive(Debug, Clone)]
struct Probe {
    /// For byte `c`: bit `kind` (below `KINDS`) if `c` may be the first byte away from the
    /// trigger when the trigger's own byte there is of that kind (`byte_kind`), and bit
    /// `KINDS + j` if it may be the byte `j + 1` further away (`Steps::rest`).
    table: [u16; 256],
    /// How many bytes after the first are checked.
    depth: usize,
    /// For an edge with no DFA steps: a word boundary there (`Some(true)`) or none.
    boundary: Option<bool>,
    /// The text must not end at the edge (an edge with no DFA steps and a byte to have).
    need_next: bool,
}

/// How many kinds `byte_kind` tells apart.
const KINDS: usize = 4;
const _: () = assert!(KINDS + DEPTH - 1 <= u16::BITS as usize, "a probe's bits fit its table");

/// `1 << byte_kind(b)` for every byte.
const KIND_BIT: [u16; 256] = {
    let mut bits = [0; 256];
    let mut b = 0;
    while b < 256 {
        bits[b] = 1 << byte_kind(b as u8);
        b += 1;
    }
    bits
};

impl Probe {
    /// `Edge::allows` for the start of a trigger at `at` of `text`: the bytes before it.
    fn before(&self, text: &[u8], at: usize) -> bool {
        if self.boundary.is_some() && !self.boundary_at(text, at) {
            return false;
        }
        if at == 0 {
            return !self.need_next;
        }
        if self.table[text[at - 1] as usize] & KIND_BIT[text[at] as usize] == 0 {
            return false;
        }
        let mut bit = 1 << KINDS;
        for i in (at.saturating_sub(self.depth + 1)..at - 1).rev() {
            if self.table[text[i] as usize] & bit == 0 {
                return false;
            }
            bit <<= 1;
        }
        true
    }

    /// `Edge::allows` for the end of a trigger at `at` of `text`: the bytes after it.
    fn after(&self, text: &[u8], at: usize) -> bool {
        if self.boundary.is_some() && !self.boundary_at(text, at) {
            return false;
        }
        if at == text.len() {
            return !self.need_next;
        }
        if self.table[text[at] as usize] & KIND_BIT[text[at - 1] as usize] == 0 {
            return false;
        }
        let mut bit = 1 << KINDS;
        for &c in &text[at + 1..text.len().min(at + 1 + self.depth)] {
            if self.table[c as usize] & bit == 0 {
                return false;
            }
            bit <<= 1;
        }
        true
    }

    /// The bytes that pass this check's first step (`boundary` included) as the byte next
    /// to the trigger whose own byte there is `own`: `before` and `after` test those.
    fn first_bytes(&self, own: u8) -> ByteSet {
        let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
        let mut set = [0; 4];
        for c in 0..=255u8 {
            if self.boundary.is_none_or(|b| (word(c) != word(own)) == b) && self.table[c as usize] & KIND_BIT[own as usize] != 0 {
                add(&mut set, c);
            }
        }
        set
    }

    /// Whether there is a word boundary at `at` as `boundary` wants one.
    fn boundary_at(&self, text: &[u8], at: usize) -> bool {
        let word = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
        (word(at.checked_sub(1).and_then(|i| text.get(i))) != word(text.get(at))) == self.boundary.unwrap_or(true)
    }
}

/// A byte as a DFA's start state sees the byte before it: 0 other, 1 word (ASCII), 2 `\n`,
/// 3 `\r`. `KIND_BYTES` holds one of each.
const fn byte_kind(b: u8) -> usize {
    match b {
        b'\n' => 2,
        b'\r' => 3,
        b if b.is_ascii_alphanumeric() || b == b'_' => 1,
        _ => 0,
    }
}

const KIND_BYTES: [u8; 4] = [b' ', b'a', b'\n', b'\r'];

/// For a side's DFA (reversed for a prefix), anchored at a trigger whose byte there is of
/// each kind: the bytes on which one step leaves it alive (a delayed match is alive). A
/// DFA that gives up on a byte allows it. Bytes of one equivalence class step alike, so
/// one byte of each class is stepped on.
fn first_steps(dfa: &hybrid::dfa::DFA, reverse: bool) -> Option<[ByteSet; 4]> {
    let mut cache = dfa.create_cache();
    let mut steps = [[0; 4]; 4];
    let classes = dfa.byte_classes();
    for (kind, own) in KIND_BYTES.into_iter().enumerate() {
        let mut by_class: [Option<bool>; 256] = [None; 256];
        for b in 0..=255u8 {
            let alive = match by_class[classes.get(b) as usize] {
                Some(alive) => alive,
                None => {
                    let hay = if reverse { [b, own] } else { [own, b] };
                    let input = Input::new(&hay).anchored(Anchored::Yes);
                    let start = if reverse {
                        dfa.start_state_reverse(&mut cache, &input.range(..1))
                    } else {
                        dfa.start_state_forward(&mut cache, &input.range(1..))
                    };
                    let Ok(start) = start else { return None };
                    let alive = dfa.next_state(&mut cache, start, b).map_or(true, |next| !next.is_dead());
                    by_class[classes.get(b) as usize] = Some(alive);
                    alive
                }
            };
            if alive {
                add(&mut steps[kind], b);
            }
        }
    }
    Some(steps)
}

/// For positions `1..DEPTH` away from the trigger (going backwards through a prefix, its
/// `reverse`): the bytes some match of `hir` can have there, as far as no match of it can
/// have ended yet (after that, anything goes). Look-arounds count as empty, a non-ASCII
/// character as up to four bytes of any value from 0x80. Full sets at the end are dropped.
fn position_bytes(hir: &Hir, reverse: bool) -> Vec<ByteSet> {
    let mut sets = [[0; 4]; DEPTH];
    let ends = offsets(hir, reverse, 1, &mut sets);
    // The first offset where a match can have ended; `OVER` when none is below `DEPTH`.
    let open = (ends.trailing_zeros() as usize).min(DEPTH);
    let mut rest = sets[1..open.max(1)].to_vec();
    while rest.last().is_some_and(|s| *s == [u64::MAX; 4]) {
        rest.pop();
    }
    rest
}

/// Offsets as a bit each: `0..DEPTH`, and `OVER` for `DEPTH` or more.
type Offsets = u16;
const OVER: Offsets = 1 << DEPTH;

/// One byte further.
fn shift(at: Offsets) -> Offsets {
    ((at << 1) & (OVER | (OVER - 1))) | (at & OVER)
}

/// Where matches of `hir` can end when they start at the offsets `at`; the bytes they can
/// have at each offset are added to `sets`.
fn offsets(hir: &Hir, reverse: bool, at: Offsets, sets: &mut [ByteSet; DEPTH]) -> Offsets {
    let mark = |at: Offsets, sets: &mut [ByteSet; DEPTH], bytes: &mut dyn FnMut(&mut ByteSet)| {
        (0..DEPTH).filter(|o| at >> o & 1 != 0).for_each(|o| bytes(&mut sets[o]));
    };
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => at,
        HirKind::Literal(lit) => {
            let mut at = at;
            let bytes: Vec<u8> = if reverse { lit.0.iter().rev().copied().collect() } else { lit.0.to_vec() };
            for b in bytes {
                mark(at, sets, &mut |s| add(s, b));
                at = shift(at);
            }
            at
        }
        HirKind::Class(class) => {
            let (mut ascii, mut wide) = ([0u64; 4], false);
            match class {
                Class::Unicode(u) => {
                    for r in u.iter() {
                        (r.start() as u32..=(r.end() as u32).min(0x7F)).for_each(|c| add(&mut ascii, c as u8));
                        wide |= r.end() > '\u{7F}';
                    }
                }
                Class::Bytes(b) => b.iter().flat_map(|r| r.start()..=r.end()).for_each(|b| add(&mut ascii, b)),
            }
            let mut ends = 0;
            if ascii != [0; 4] {
                mark(at, sets, &mut |s| s.iter_mut().zip(ascii).for_each(|(x, y)| *x |= y));
                ends |= shift(at);
            }
            if wide {
                let mut at = at;
                for n in 1..=4 {
                    mark(at, sets, &mut |s| (0x80..=0xFF).for_each(|b| add(s, b)));
                    at = shift(at);
                    if n >= 2 {
                        ends |= at;
                    }
                }
            }
            ends
        }
        HirKind::Capture(c) => offsets(&c.sub, reverse, at, sets),
        HirKind::Concat(items) => {
            let mut at = at;
            let ordered: Vec<&Hir> = if reverse { items.iter().rev().collect() } else { items.iter().collect() };
            for h in ordered {
                at = offsets(h, reverse, at, sets);
            }
            at
        }
        HirKind::Alternation(items) => items.iter().fold(0, |ends, h| ends | offsets(h, reverse, at, sets)),
        HirKind::Repetition(r) => {
            // The offsets only grow, so each loop settles within `DEPTH + 2` rounds.
            let mut at = at;
            for _ in 0..r.min {
                let next = offsets(&r.sub, reverse, at, sets);
                if next == at {
                    break;
                }
                at = next;
            }
            let mut more = r.max.map_or(u32::MAX, |max| max - r.min);
            while more > 0 {
                let next = at | offsets(&r.sub, reverse, at, sets);
                if next == at {
                    break;
                }
                at = next;
                more -= 1;
            }
            at
        }
    }
}

/// The bytes a match of `hir` can start with (its last byte if `last`), and whether it can
/// be empty. Look-arounds count as empty; a non-ASCII character as any byte of its kind.
fn edge_bytes(hir: &Hir, last: bool) -> ([bool; 256], bool) {
    let mut set = [false; 256];
    let empty = match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(lit) => {
            let b = if last { lit.0.last() } else { lit.0.first() };
            match b {
                Some(&b) => {
                    set[b as usize] = true;
                    false
                }
                None => true,
            }
        }
        HirKind::Class(Class::Unicode(u)) => {
            for r in u.iter() {
                for c in r.start()..=r.end().min('\u{7F}') {
                    set[c as usize] = true;
                }
                if r.end() > '\u{7F}' {
                    set[0x80..].iter_mut().for_each(|x| *x = true);
                }
            }
            false
        }
        HirKind::Class(Class::Bytes(b)) => {
            for r in b.iter() {
                set[r.start() as usize..=r.end() as usize].iter_mut().for_each(|x| *x = true);
            }
            false
        }
        HirKind::Capture(c) => return edge_bytes(&c.sub, last),
        HirKind::Repetition(r) => {
            let (sub, empty) = edge_bytes(&r.sub, last);
            set = sub;
            empty || r.min == 0
        }
        HirKind::Concat(items) => {
            let mut empty = true;
            let ordered: Vec<&Hir> = if last { items.iter().rev().collect() } else { items.iter().collect() };
            for h in ordered {
                let (sub, e) = edge_bytes(h, last);
                set.iter_mut().zip(sub).for_each(|(x, y)| *x |= y);
                if !e {
                    empty = false;
                    break;
                }
            }
            empty
        }
        HirKind::Alternation(items) => {
            let mut empty = false;
            for h in items {
                let (sub, e) = edge_bytes(h, last);
                set.iter_mut().zip(sub).for_each(|(x, y)| *x |= y);
                empty |= e;
            }
            empty
        }
    };
    (set, empty)
}

/// Where one trigger occurrence allows a match: a start in `lo..=last`, an end by `hi`.
#[derive(Debug, Clone, Copy)]
struct Window {
    lo: usize,
    last: usize,
    hi: usize,
    /// `lo..hi` is the match through this occurrence that starts earliest, as the pattern
    /// would report it (see `verify`): the occurrence matches the run and both DFAs bounded.
    exact: bool,
}

/// No trigger literal (see `Builder::strings`).
const NONE: u32 = u32::MAX;

/// An occurrence of one of the automaton's strings: start, end, phrase or split index.
type Occurrence = (usize, usize, u32);

/// How many stretches of a long text the automaton walks in step (see `Matcher::walk`).
const LANES: usize = 4;

/// The phrase automaton as the walk runs it: the aho-corasick DFA's reachable states,
/// numbered densely with the match states first, over the fewest byte classes (two bytes
/// are one class where every state steps alike on them). The walk is bound by loads from
/// this table, and the DFA's own (a power-of-two stride of `u32`s per state) is several
/// times larger, too large for the near caches and evicting what the later stages use.
#[derive(Debug)]
struct Table {
    classes: [u8; 256],
    n_classes: usize,
    /// `trans[state * n_classes + class]`: `u16` states where they fit.
    trans: Trans,
    start: u32,
    /// States below this are match states.
    n_match: u32,
    /// The strings match state `s` reports are `matches[match_start[s]..match_start[s + 1]]`,
    /// in the DFA's order.
    match_start: Vec<u32>,
    matches: Vec<Found>,
}

#[derive(Debug)]
enum Trans {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

/// A string a match state reports, with what `sort_out` needs of it.
#[derive(Debug, Clone, Copy)]
struct Found {
    id: u32,
    len: u32,
    /// The splits it triggers as a trigger literal: `Matcher::split_of[splits[0]..splits[1]]`.
    splits: [u32; 2],
}

impl Table {
    /// `dfa` (over `strings`, the automaton's strings with their lengths and split runs)
    /// copied from its unanchored start.
    fn new(dfa: &DFA, texts: &[String], strings: &[(u32, [u32; 2])]) -> Table {
        let no = aho_corasick::Anchored::No;
        // Bytes no string has in either case step alike everywhere, and so do the two
        // cases of a letter: one byte of each group is stepped on, and groups that step
        // alike are merged below.
        let mut used = [false; 256];
        texts.iter().flat_map(|t| t.bytes()).for_each(|b| used[b.to_ascii_lowercase() as usize] = true);
        let unused = (0..=255u8).find(|b| !used[b.to_ascii_lowercase() as usize]);
        let group_of = |b: u8| if used[b.to_ascii_lowercase() as usize] { Some(b.to_ascii_lowercase()) } else { unused };
        let mut reps: Vec<u8> = (0..=255u8).filter_map(group_of).collect();
        reps.sort_unstable();
        reps.dedup();
        // Breadth first from the start; `next[i * reps.len() + j]` is where state `i` (in
        // order of discovery) goes on `reps[j]`.
        let start = dfa.start_state(no).expect("an unanchored automaton");
        // By state id; a map, since the ids are premultiplied and a vector indexed by them
        // would be as large as the DFA itself, at the peak of rule loading.
        let mut index: HashMap<aho_corasick::automaton::StateID, u32> = HashMap::with_capacity(1 << 14);
        let mut order = Vec::new();
        let mut seen = |sid: aho_corasick::automaton::StateID, order: &mut Vec<_>| {
            *index.entry(sid).or_insert_with(|| {
                order.push(sid);
                order.len() as u32 - 1
            })
        };
        seen(start, &mut order);
        let mut next: Vec<u32> = Vec::with_capacity(reps.len() << 14);
        let mut i = 0;
        while i < order.len() {
            let sid = order[i];
            for &b in &reps {
                let to = dfa.next_state(no, sid, b);
                next.push(seen(to, &mut order));
            }
            i += 1;
        }
        let n = order.len();
        // Groups whose columns are equal are one class. Columns are told apart by a hash
        // of each first: two columns can differ only in late rows.
        let mut hashes = vec![0u64; reps.len()];
        for row in next.chunks_exact(reps.len()) {
            for (h, &to) in hashes.iter_mut().zip(row) {
                *h = (*h ^ u64::from(to)).wrapping_mul(0x0100_0000_01b3).rotate_left(29);
            }
        }
        let same = |a: usize, b: usize| hashes[a] == hashes[b] && next.chunks_exact(reps.len()).all(|row| row[a] == row[b]);
        let mut rep_of_class: Vec<usize> = Vec::new();
        let mut class_of_rep: Vec<u8> = Vec::with_capacity(reps.len());
        for j in 0..reps.len() {
            let c = rep_of_class.iter().position(|&r| same(r, j)).unwrap_or_else(|| {
                rep_of_class.push(j);
                rep_of_class.len() - 1
            });
            class_of_rep.push(c as u8);
        }
        let n_classes = rep_of_class.len();
        let mut classes = [0u8; 256];
        for b in 0..=255u8 {
            let g = group_of(b).expect("a byte of every group");
            classes[b as usize] = class_of_rep[reps.binary_search(&g).expect("a representative")];
        }
        // Match states first, each group in order of discovery.
        let is_match: Vec<bool> = order.iter().map(|&sid| dfa.is_match(sid)).collect();
        let mut dense = vec![0u32; n];
        let mut by_dense = Vec::with_capacity(n);
        for want in [true, false] {
            for i in (0..n).filter(|&i| is_match[i] == want) {
                dense[i] = by_dense.len() as u32;
                by_dense.push(i);
            }
        }
        let n_match = is_match.iter().filter(|&&m| m).count() as u32;
        let mut wide = Vec::with_capacity(n * n_classes);
        for &i in &by_dense {
            let row = &next[i * reps.len()..][..reps.len()];
            wide.extend(rep_of_class.iter().map(|&j| dense[row[j] as usize]));
        }
        let trans = if n <= 1 << 16 { Trans::Narrow(wide.into_iter().map(|x| x as u16).collect()) } else { Trans::Wide(wide) };
        let mut match_start = vec![0];
        let mut matches = Vec::new();
        for &i in &by_dense[..n_match as usize] {
            for k in 0..dfa.match_len(order[i]) {
                let id = dfa.match_pattern(order[i], k).as_u32();
                let (len, splits) = strings[id as usize];
                matches.push(Found { id, len, splits });
            }
            match_start.push(matches.len() as u32);
        }
        Table { classes, n_classes, trans, start: dense[0], n_match, match_start, matches }
    }
}

/// Per-thread search state, reused across documents.
#[derive(Debug, Default)]
struct Scratch {
    /// What the automaton pass met, in each lane of the text (see `Matcher::walk`): where
    /// it was in a match state, and which (see `Table`).
    raw: [Vec<(usize, u32)>; LANES],
    /// Phrase and trigger literal occurrences, in order of end (a literal's with its run
    /// of `Matcher::split_of`).
    phrases: Vec<Occurrence>,
    literals: Vec<(usize, usize, [u32; 2])>,
    /// The trigger occurrences that pass their split's `Check`, with the split.
    triggers: Vec<Occurrence>,
    regex: Vec<meta::Cache>,
    prefix: Vec<Option<hybrid::dfa::Cache>>,
    suffix: Vec<Option<hybrid::dfa::Cache>>,
    windows: Vec<Vec<Window>>,
    /// Each pattern's matches in this text.
    found: Vec<Vec<(usize, usize)>>,
    excluded: Vec<(usize, usize, u32)>,
    masks: Vec<(usize, usize)>,
    /// The pattern hits while they are merged with the phrase hits (see `merge_hits`).
    hits: Vec<(usize, usize, u32, Target)>,
}

impl Matcher {
    /// The literal phrases of every pack, as the automaton holds them (normalized,
    /// lowercase, deduplicated). A baseline for benchmarks: one bare automaton pass over
    /// these is the least any analysis must do.
    pub fn phrases(&self) -> &[String] {
        &self.phrases
    }

    /// Patterns with no trigger literal, searched over the whole text of every document:
    /// slow, so a pack author should give them a literal word (see rules/README.md).
    /// Each with the rule or cue it belongs to; `noticelint rules` names them.
    pub fn untriggered(&self) -> impl Iterator<Item = (&str, Target)> {
        self.patterns.iter().filter(|p| p.whole).map(|p| (p.source.as_str(), p.target))
    }

    /// Every hit in `text`, sorted by position, written into `out` (cleared first) so a
    /// worker can reuse one buffer for all its documents.
    pub fn scan(&self, text: &str, out: &mut Vec<Hit>) {
        self.scan_with(text, out, false);
    }

    /// `scan`, with every pattern searched over the whole text if `whole`. Its stages are
    /// kept out of line: inlined here, their loops competed for registers and spilled
    /// (up to 28 M more instructions per 2,000 letters).
    fn scan_with(&self, text: &str, out: &mut Vec<Hit>, whole: bool) {
        out.clear();
        let mut guard = self.scratch();
        let s: &mut Scratch = &mut guard;
        self.walk(text.as_bytes(), s);
        self.phrase_hits(text, s, out);
        if self.patterns.is_empty() {
            return;
        }
        let n_phrases = out.len();
        // Exclusion spans in text order; phrase hits do not overlap, so their ends are in
        // order too and a binary search finds the candidates.
        s.excluded.clear();
        s.excluded.extend(out.iter().filter_map(|h| if let Target::Exclude(r) = h.target { Some((h.start, h.end, r)) } else { None }));
        s.masks.clear();
        let whole = whole || text.contains('\u{212A}') || text.contains('\u{17F}');
        if !whole {
            self.find_windows(text, s);
        }
        for (i, p) in self.patterns.iter().enumerate() {
            let k = p.same_as.unwrap_or(i);
            if k == i {
                let found = &mut s.found[i];
                found.clear();
                if whole || p.whole {
                    found.extend(p.regex.find_iter(text).filter(|m| !m.is_empty()).map(|m| (m.start(), m.end())));
                } else {
                    verify(&p.regex, &mut s.regex[i], text, &mut s.windows[i], |start, end| found.push((start, end)));
                }
            }
            for &(start, end) in &s.found[k] {
                // A rule's exclusions shadow that rule's patterns too, not other rules'.
                if let Target::Rule(r) = p.target
                    && overlapping(&s.excluded, start, end).any(|&(_, _, x)| x == r)
                {
                    continue;
                }
                out.push(Hit { start, end, target: p.target });
                if p.mask {
                    s.masks.push((start, end));
                }
            }
        }
        merge_hits(out, n_phrases, &mut s.hits);
        if !s.masks.is_empty() {
            // What a pseudo-cue pattern matched is not a cue, whatever else matched there.
            merge(&mut s.masks);
            let masks = &s.masks;
            let is_mask = |h: &Hit| matches!(h.target, Target::Cue(_)) && self.mask_targets.contains(&h.target);
            out.retain(|h| is_mask(h) || overlapping(masks, h.start, h.end).next().is_none());
        }
    }

    /// The phrase hits among the automaton pass's occurrences, appended to `out`.
    #[inline(never)] // see `scan_with`
    fn phrase_hits(&self, text: &str, s: &mut Scratch, out: &mut Vec<Hit>) {
        for (start, end, phrase) in leftmost_longest(&mut s.phrases) {
            let (starts, ends) = self.phrase_words[phrase as usize];
            if starts && !boundary_before(text, start) {
                continue;
            }
            let end = if ends { extend_plural(text, end) } else { end };
            if ends && !boundary_after(text, end) {
                continue;
            }
            out.extend(self.phrase_targets[phrase as usize].iter().map(|&target| Hit { start, end, target }));
        }
    }

    /// This thread's scratch, with a cache for every regex and DFA.
    fn scratch(&self) -> PoolGuard<'_, Scratch, fn() -> Scratch> {
        let mut guard = self.scratch.get();
        if guard.regex.len() != self.patterns.len() {
            let s: &mut Scratch = &mut guard;
            s.regex = self.patterns.iter().map(|p| p.regex.create_cache()).collect();
            s.prefix = self.splits.iter().map(|x| x.prefix.as_ref().map(|d| d.create_cache())).collect();
            s.suffix = self.splits.iter().map(|x| x.suffix.as_ref().map(|d| d.create_cache())).collect();
            s.windows = vec![Vec::new(); self.patterns.len()];
            s.found = vec![Vec::new(); self.patterns.len()];
        }
        guard
    }

    /// The automaton pass: every occurrence of every phrase and trigger literal, into
    /// `s.phrases` and `s.triggers` (in order of end). A DFA walk waits on each transition's load from a
    /// table too large for the near caches, so a long text is cut into `LANES` stretches
    /// walked in step (each starting early enough to see every string that ends in it),
    /// which keeps that many loads in flight.
    fn walk(&self, text: &[u8], s: &mut Scratch) {
        match &self.automaton.trans {
            Trans::Narrow(trans) => self.walk_over(trans, text, s),
            Trans::Wide(trans) => self.walk_over(trans, text, s),
        }
    }

    #[inline(never)] // see `scan_with`
    fn walk_over<T: Copy + Into<u32>>(&self, trans: &[T], text: &[u8], s: &mut Scratch) {
        let t = &self.automaton;
        let (classes, width, n_match) = (&t.classes, t.n_classes, t.n_match);
        let step = |sid: u32, b: u8| -> u32 { trans[sid as usize * width + classes[b as usize] as usize].into() };
        for v in &mut s.raw {
            v.clear();
        }
        let overlap = self.max_len.saturating_sub(1);
        if text.len() < LANES * (overlap + 64) {
            let mut sid = t.start;
            for (i, &b) in text.iter().enumerate() {
                sid = step(sid, b);
                if sid < n_match {
                    s.raw[0].push((i + 1, sid));
                }
            }
            self.sort_out(text, s);
            return;
        }
        // Lane `k` reports what ends in `bounds[k] + 1..=bounds[k + 1]`; it starts `overlap`
        // bytes before `bounds[k]`, where the longest string ending there starts.
        let bounds: [usize; LANES + 1] = std::array::from_fn(|k| k * text.len() / LANES);
        let from: [usize; LANES] = std::array::from_fn(|k| bounds[k].saturating_sub(overlap));
        let lanes: [&[u8]; LANES] = std::array::from_fn(|k| &text[from[k]..bounds[k + 1]]);
        let common = lanes.iter().map(|l| l.len()).min().unwrap_or(0);
        let mut sid = [t.start; LANES];
        #[allow(clippy::needless_range_loop)] // `i` indexes every lane at once
        for i in 0..common {
            for k in 0..LANES {
                sid[k] = step(sid[k], lanes[k][i]);
            }
            if sid.iter().any(|&x| x < n_match) {
                for k in 0..LANES {
                    let end = from[k] + i + 1;
                    if sid[k] < n_match && end > bounds[k] {
                        s.raw[k].push((end, sid[k]));
                    }
                }
            }
        }
        for k in 0..LANES {
            let mut x = sid[k];
            for (i, &b) in lanes[k].iter().enumerate().skip(common) {
                x = step(x, b);
                let end = from[k] + i + 1;
                if x < n_match && end > bounds[k] {
                    s.raw[k].push((end, x));
                }
            }
        }
        self.sort_out(text, s);
    }

    /// The walk's occurrences as phrases and literals (those whose neighbours may pass a
    /// check, see `Near`), lanes in order. Done after the walk,
    /// whose transition table would evict the match lists between two matches.
    #[inline(never)] // see `scan_with`
    fn sort_out(&self, text: &[u8], s: &mut Scratch) {
        s.phrases.clear();
        s.literals.clear();
        let t = &self.automaton;
        for &(end, state) in s.raw.iter().flatten() {
            let (from, to) = (t.match_start[state as usize], t.match_start[state as usize + 1]);
            for m in &t.matches[from as usize..to as usize] {
                let start = end - m.len as usize;
                if (m.id as usize) < self.phrases.len() {
                    s.phrases.push((start, end, m.id));
                }
                if m.splits[0] != m.splits[1] && self.near[m.splits[0] as usize].allows(text, start, end) {
                    s.literals.push((start, end, m.splits));
                }
            }
        }
    }

    /// The trigger occurrences, for each split they trigger, that pass its `Check` (most
    /// fail it), into `s.triggers`.
    #[inline(never)] // see `scan_with`
    fn check_triggers(&self, text: &[u8], s: &mut Scratch) {
        s.triggers.clear();
        for &(start, end, [from, to]) in &s.literals {
            for &k in &self.split_of[from as usize..to as usize] {
                if self.checks[k as usize].allows(text, start, end) {
                    s.triggers.push((start, end, k));
                }
            }
        }
    }

    /// Fills each pattern's windows from the trigger occurrences its prefix and suffix accept.
    #[inline(never)] // see `scan_with`
    fn find_windows(&self, text: &str, s: &mut Scratch) {
        for w in &mut s.windows {
            w.clear();
        }
        self.check_triggers(text.as_bytes(), s);
        for &(ts, te, k) in &s.triggers {
            let (k, split) = (k as usize, &self.splits[k as usize]);
            // `None`: no match; `Some((at, false))`: the DFA gave up.
            let mut prefix = || match (&split.prefix, &mut s.prefix[k]) {
                (Some(dfa), Some(cache)) => match dfa.try_search_rev(cache, &Input::new(text).range(..ts).anchored(Anchored::Yes)) {
                    Ok(m) => m.map(|m| (m.offset(), true)),
                    Err(_) => Some((0, false)),
                },
                _ => Some((ts, true)),
            };
            let mut suffix = || match (&split.suffix, &mut s.suffix[k]) {
                (Some(dfa), Some(cache)) => match dfa.try_search_fwd(cache, &Input::new(text).range(te..).anchored(Anchored::Yes)) {
                    Ok(m) => m.map(|m| (m.offset(), true)),
                    Err(_) => Some((text.len(), false)),
                },
                _ => Some((te, true)),
            };
            let sides = if split.suffix_first {
                suffix().and_then(|hi| Some((prefix()?, hi)))
            } else {
                prefix().and_then(|lo| Some((lo, suffix()?)))
            };
            let Some(((lo, lo_exact), (hi, hi_exact))) = sides else { continue };
            let exact = split.caseless && lo_exact && hi_exact;
            s.windows[split.pattern as usize].push(Window { lo, last: ts, hi, exact });
        }
    }
}

/// What a leftmost-longest automaton reports, from all occurrences (in order of end): the
/// leftmost start, the longest string there, then the same after its end.
#[inline(never)] // see `Matcher::scan_with`
fn leftmost_longest(all: &mut [Occurrence]) -> impl Iterator<Item = Occurrence> + '_ {
    // Occurrences come by end, so by start they are out of order only where one holds
    // another: an insertion sort moves few.
    let key = |&(start, end, _): &Occurrence| (start, std::cmp::Reverse(end));
    for i in 1..all.len() {
        let mut j = i;
        while j > 0 && key(&all[j - 1]) > key(&all[j]) {
            all.swap(j - 1, j);
            j -= 1;
        }
    }
    let mut at = 0;
    all.iter().copied().filter(move |&(start, end, _)| {
        let next = start >= at;
        if next {
            at = end;
        }
        next
    })
}

/// The matches `regex.find_iter(text)` would give, found inside `windows` only.
///
/// Every match starts in some window's `lo..=last` and ends by its `hi`. Windows sorted by
/// `lo` and merged where their start ranges overlap form groups; any match starting in a
/// group's start range ends by the group's `hi` (its trigger is in that group). A window's
/// `lo` is where its prefix, trigger and suffix all match, so the group's first `lo` is where
/// its leftmost match starts, and an anchored search there gives the end a whole-text
/// search would. After a match that ends inside a group, a search confined to `at..hi`
/// finds the next match if it starts by the group's `last`; one starting later belongs to a
/// later group.
///
/// A group of one `exact` window needs no search: a match starting at its `lo` goes through
/// its occurrence (any other would be a window of the group), so the prefix ends at the
/// trigger and the end is where the suffix, searched leftmost-first from the trigger's end,
/// ends: its `hi`.
#[inline(never)] // see `Matcher::scan_with`
fn verify(regex: &meta::Regex, cache: &mut meta::Cache, text: &str, windows: &mut [Window], mut push: impl FnMut(usize, usize)) {
    if windows.is_empty() {
        return;
    }
    windows.sort_unstable_by_key(|w| w.lo);
    let mut at = 0;
    let mut i = 0;
    while i < windows.len() {
        let Window { lo, mut last, mut hi, exact } = windows[i];
        i += 1;
        let alone = i == windows.len() || windows[i].lo > last;
        if alone && exact && lo >= at {
            push(lo, hi);
            at = hi;
            continue;
        }
        while i < windows.len() && windows[i].lo <= last {
            last = last.max(windows[i].last);
            hi = hi.max(windows[i].hi);
            i += 1;
        }
        let mut anchored = lo >= at;
        let mut from = lo.max(at);
        while from <= last {
            let input = Input::new(text).span(from..hi).anchored(if anchored { Anchored::Yes } else { Anchored::No });
            match regex.search_with(cache, &input) {
                Some(m) if m.start() <= last => {
                    push(m.start(), m.end());
                    at = m.end();
                    from = at;
                    anchored = false;
                }
                // A match starts at `lo` (see above), unless a DFA gave up and bounded
                // nothing: then search the group unanchored.
                None if anchored => anchored = false,
                _ => break,
            }
        }
    }
}

/// Sorts `hits` by start and end as a stable sort would (ties in their order): the first
/// `n` (the phrase hits) are sorted already and come before the rest on ties, so only the
/// rest (the pattern hits, fewer) is sorted, by start, end and place (an unstable sort
/// then gives the stable order, with no buffer to allocate), then merged in from the back.
#[inline(never)] // see `Matcher::scan_with`
fn merge_hits(hits: &mut [Hit], n: usize, rest: &mut Vec<(usize, usize, u32, Target)>) {
    rest.clear();
    rest.extend(hits[n..].iter().enumerate().map(|(i, h)| (h.start, h.end, i as u32, h.target)));
    rest.sort_unstable_by_key(|&(start, end, i, _)| (start, end, i));
    let (mut i, mut j) = (n, rest.len());
    while j > 0 {
        let (start, end, _, target) = rest[j - 1];
        let k = i + j - 1;
        if i > 0 && (hits[i - 1].start, hits[i - 1].end) > (start, end) {
            hits[k] = hits[i - 1];
            i -= 1;
        } else {
            hits[k] = Hit { start, end, target };
            j -= 1;
        }
    }
}

/// A span that has a start and an end, for overlap search.
trait Span {
    fn span(&self) -> (usize, usize);
}

impl Span for (usize, usize) {
    fn span(&self) -> (usize, usize) {
        *self
    }
}

impl Span for (usize, usize, u32) {
    fn span(&self) -> (usize, usize) {
        (self.0, self.1)
    }
}

/// The spans of `sorted` (ordered by start and end, not overlapping each other) that
/// overlap `start..end`.
fn overlapping<T: Span>(sorted: &[T], start: usize, end: usize) -> impl Iterator<Item = &T> {
    let upto = sorted.partition_point(|x| x.span().0 < end);
    sorted[..upto].iter().rev().take_while(move |x| x.span().1 > start)
}

/// Sorts spans and merges overlapping ones, in place.
fn merge(spans: &mut Vec<(usize, usize)>) {
    spans.sort_unstable();
    let mut n = 0;
    for i in 0..spans.len() {
        let (s, e) = spans[i];
        if n > 0 && s < spans[n - 1].1 {
            spans[n - 1].1 = spans[n - 1].1.max(e);
        } else {
            spans[n] = (s, e);
            n += 1;
        }
    }
    spans.truncate(n);
}

/// Collects phrases and patterns while packs load.
#[derive(Debug, Default)]
pub(super) struct Builder {
    phrases: Vec<String>,
    phrase_index: HashMap<String, usize>,
    phrase_targets: Vec<Vec<Target>>,
    patterns: Vec<PatternDef>,
}

/// A pattern as loaded: parsed and compiled once, when its pack is read.
#[derive(Debug)]
struct PatternDef {
    source: String,
    compiled: String,
    hir: Hir,
    regex: meta::Regex,
    target: Target,
}

impl Builder {
    /// Adds a literal phrase, normalized like the text it will meet.
    pub fn phrase(&mut self, phrase: &str, target: Target) -> Result<(), String> {
        let key = Normalized::new(phrase).text.to_lowercase();
        if key.trim().is_empty() {
            return Err("empty phrase".into());
        }
        let next = self.phrases.len();
        let i = *self.phrase_index.entry(key.clone()).or_insert(next);
        if i == next {
            self.phrases.push(key);
            self.phrase_targets.push(Vec::new());
        }
        if !self.phrase_targets[i].contains(&target) {
            self.phrase_targets[i].push(target);
        }
        Ok(())
    }

    /// Adds a regex pattern (case-insensitive), checking it compiles within the size limit.
    /// It is compiled here, once: the regex that checks it is the one that runs.
    pub fn pattern(&mut self, pattern: &str, target: Target) -> Result<(), String> {
        if pattern.trim().is_empty() {
            return Err("empty pattern".into());
        }
        let compiled = ascii_boundaries(pattern);
        let (hir, regex) = match self.patterns.iter().find(|p| p.compiled == compiled) {
            Some(p) => (p.hir.clone(), p.regex.clone()),
            None => {
                // The messages are the `regex` crate's: the parser's error with the pattern
                // and a caret, or the size limit.
                let invalid = |e: String| format!("invalid regex `{pattern}`: {e}");
                let hir = regex_automata::util::syntax::parse_with(&compiled, &syntax_config()).map_err(|e| invalid(e.to_string()))?;
                let regex = compile(&hir, false).map_err(invalid)?;
                (hir, regex)
            }
        };
        if regex.is_match("") {
            return Err(format!("regex `{pattern}` matches the empty string"));
        }
        self.patterns.push(PatternDef { source: pattern.to_owned(), compiled, hir, regex, target });
        Ok(())
    }

    pub fn build(mut self, cue_kinds: &[super::pack::CueKind]) -> Result<Matcher, String> {
        self.inherit_cues(cue_kinds)?;
        // Where each pattern's trigger literals are (`Some(vec![])` for a repeated
        // pattern, whose matches are the first one's), found cheaply from its expression.
        let planned: Vec<Option<Vec<Plan>>> = (0..self.patterns.len())
            .map(|i| {
                let p = &self.patterns[i];
                if self.patterns[..i].iter().any(|q| q.compiled == p.compiled) { Some(Vec::new()) } else { plans(&p.hir) }
            })
            .collect();
        // The phrase automaton and the side DFAs are the two large builds left: one
        // thread each. The automaton takes every planned literal; a side that cannot be
        // built (a part of a pattern that compiled within the same limit, so in practice
        // never) leaves its pattern untriggered, and the automaton is built again without it.
        let speculative = self.strings(planned.iter().flatten().flatten().flat_map(|p| &p.literals));
        let (automaton, triggered) = std::thread::scope(|scope| {
            let automaton = scope.spawn(|| phrase_automaton(&speculative.0));
            let mut sides = Sides::default();
            let triggered: Vec<Option<Vec<Trigger>>> =
                planned.into_iter().map(|plans| plans.and_then(|p| p.into_iter().map(|p| p.trigger(&mut sides)).collect())).collect();
            (automaton.join().unwrap_or_else(|e| std::panic::resume_unwind(e)), triggered)
        });
        let mut patterns = Vec::new();
        let mut splits = Vec::new();
        let mut checks = Vec::new();
        let mut literals: Vec<String> = Vec::new();
        let mut literal_index: HashMap<String, usize> = HashMap::new();
        let mut trigger_splits: Vec<Vec<u32>> = Vec::new();
        for (i, (PatternDef { source, compiled, hir, mut regex, target }, triggered)) in
            std::mem::take(&mut self.patterns).into_iter().zip(triggered).enumerate()
        {
            let same_as = patterns.iter().position(|p: &Pattern| p.compiled == compiled);
            let whole = triggered.is_none();
            if whole {
                // Searched over every whole text: worth the literal prefilter after all.
                regex = compile(&hir, true).map_err(|e| format!("invalid regex `{source}`: {e}"))?;
            }
            for t in triggered.into_iter().flatten() {
                for lit in &t.literals {
                    let next = literals.len();
                    let l = *literal_index.entry(lit.clone()).or_insert(next);
                    if l == next {
                        literals.push(lit.clone());
                        trigger_splits.push(Vec::new());
                    }
                    trigger_splits[l].push(splits.len() as u32);
                }
                splits.push(Split {
                    pattern: i as u32,
                    prefix: t.prefix,
                    suffix: t.suffix,
                    caseless: t.caseless,
                    suffix_first: t.suffix_first,
                });
                checks.push(Check { before: t.before.probe(), after: t.after.probe(), cased: t.cased });
            }
            let mask = matches!(target, Target::Cue(c) if cue_kinds[c as usize] == super::pack::CueKind::Pseudo);
            patterns.push(Pattern { source, compiled, regex, target, mask, whole, same_as });
        }
        let (strings, literal_of) = self.strings(&literals);
        let automaton = if strings == speculative.0 { automaton? } else { phrase_automaton(&strings)? };
        // Each literal's splits as one run of `split_of`.
        let mut runs = Vec::with_capacity(trigger_splits.len());
        let mut split_of = Vec::new();
        for of in &trigger_splits {
            let from = split_of.len() as u32;
            split_of.extend(of);
            runs.push([from, split_of.len() as u32]);
        }
        let mut near = vec![Near::default(); split_of.len()];
        for (lit, &[from, to]) in literals.iter().zip(&runs) {
            let (first, last) = (lit.as_bytes()[0], lit.as_bytes()[lit.len() - 1]);
            let n = &mut near[from as usize];
            for &k in &split_of[from as usize..to as usize] {
                let check = &checks[k as usize];
                let (before, after) = (check.before.first_bytes(first), check.after.first_bytes(last));
                n.before.iter_mut().zip(before).for_each(|(x, y)| *x |= y);
                n.after.iter_mut().zip(after).for_each(|(x, y)| *x |= y);
            }
        }
        let lengths: Vec<(u32, [u32; 2])> =
            strings.iter().zip(literal_of).map(|(x, l)| (x.len() as u32, if l == NONE { [0, 0] } else { runs[l as usize] })).collect();
        Ok(Matcher {
            max_len: strings.iter().map(String::len).max().unwrap_or(0),
            automaton: Table::new(&automaton, &strings, &lengths),
            phrase_words: self.phrases.iter().map(|p| (starts_word(p), ends_word(p))).collect(),
            phrases: self.phrases,
            phrase_targets: self.phrase_targets,
            mask_targets: patterns.iter().filter(|p| p.mask).map(|p| p.target).collect(),
            patterns,
            split_of,
            splits,
            checks,
            near,
            scratch: Pool::new(Scratch::default),
        })
    }

    /// The automaton's strings: the phrases, then the trigger literals (numbered in order
    /// of first appearance) that are not phrases too; and for each string, the literal it is.
    fn strings<'a>(&self, literals: impl IntoIterator<Item = &'a String>) -> (Vec<String>, Vec<u32>) {
        let mut strings = self.phrases.clone();
        let mut literal_of = vec![NONE; strings.len()];
        let mut seen: HashMap<&str, u32> = HashMap::new();
        for lit in literals {
            let next = seen.len() as u32;
            let l = *seen.entry(lit).or_insert(next);
            if l != next {
                continue;
            }
            match self.phrase_index.get(lit) {
                Some(&i) => literal_of[i] = l,
                None => {
                    strings.push(lit.clone());
                    literal_of.push(l);
                }
            }
        }
        (strings, literal_of)
    }
}

/// One overlapping (standard) DFA over the phrases and trigger literals.
fn phrase_automaton(strings: &[String]) -> Result<DFA, String> {
    DFA::builder()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(true)
        .prefilter(false)
        .build(strings)
        .map_err(|e| format!("cannot build the phrase automaton: {e}"))
}

/// How patterns are parsed: case-insensitive, otherwise the `regex` crate's defaults.
fn syntax_config() -> regex_automata::util::syntax::Config {
    regex_automata::util::syntax::Config::new().case_insensitive(true)
}

/// The regex that verifies a pattern. It runs anchored at a trigger's window or inside a
/// group of windows, where a literal prefilter (and the reverse-inner and reverse-suffix
/// strategies built on one) does not help, and extracting the literals and compiling those
/// strategies' extra automata costs about a third of the build. A pattern searched over
/// whole texts (`prefilter`) keeps them. Going over the size limit is worded as the
/// `regex` crate words it.
fn compile(hir: &Hir, prefilter: bool) -> Result<meta::Regex, String> {
    meta::Regex::builder()
        .configure(meta::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT)).auto_prefilter(prefilter))
        .build_from_hir(hir)
        .map_err(|e| match e.size_limit() {
            Some(limit) => format!("Compiled regex exceeds size limit of {limit} bytes."),
            None => e.to_string(),
        })
}

impl Builder {
    /// Leftmost-longest reports one phrase where several overlap, so a longer phrase
    /// ("may have included", a hedge) would hide the cue inside it ("may have"), and
    /// "viewed or copied" would hide the companion word "copied" a hedge waits for. A phrase
    /// therefore also acts as every cue and companion phrase it contains at word
    /// boundaries. Cue phrases are the exception: a pseudo-cue hides the cue by design, and
    /// a longer cue ("could not rule out") means what its own kind says.
    fn inherit_cues(&mut self, cue_kinds: &[super::pack::CueKind]) -> Result<(), String> {
        // The cue and companion phrases, in phrase order, each with the targets it passes on.
        let cues: Vec<(usize, Vec<Target>)> = self
            .phrase_targets
            .iter()
            .enumerate()
            .filter_map(|(i, targets)| {
                let passed: Vec<Target> = targets
                    .iter()
                    .filter(|t| match t {
                        Target::Cue(c) => cue_kinds[*c as usize] != super::pack::CueKind::Pseudo,
                        Target::Near(_) => true,
                        _ => false,
                    })
                    .copied()
                    .collect();
                (!passed.is_empty()).then_some((i, passed))
            })
            .collect();
        if cues.is_empty() {
            return Ok(());
        }
        // One automaton finds every cue inside a phrase in one pass, where asking each
        // phrase for each cue cost ~300,000 substring searches.
        let automaton = aho_corasick::AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(cues.iter().map(|&(i, _)| &self.phrases[i]))
            .map_err(|e| format!("cannot build the cue automaton: {e}"))?;
        let mut found: Vec<(usize, usize)> = Vec::new();
        for (phrase, targets) in self.phrases.iter().zip(self.phrase_targets.iter_mut()) {
            // A cue phrase means what its own kind says ("could not rule out" is not "not").
            if targets.iter().any(|t| matches!(t, Target::Cue(_))) {
                continue;
            }
            found.clear();
            found.extend(automaton.find_overlapping_iter(phrase).map(|m| (m.pattern().as_usize(), m.start())));
            // By cue, in phrase order, so targets are added in that order; each cue's
            // occurrences from the left.
            found.sort_unstable();
            for group in found.chunk_by(|a, b| a.0 == b.0) {
                let (i, passed) = &cues[group[0].0];
                let cue = &self.phrases[*i];
                if cue.len() < phrase.len() && contains_word_seq(phrase, cue.len(), group.iter().map(|&(_, at)| at)) {
                    for target in passed {
                        if !targets.contains(target) {
                            targets.push(*target);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Whether a string of `len` bytes found in `hay` at `starts` (ascending, overlapping
/// occurrences included) has word boundaries on both sides at one of its non-overlapping
/// occurrences from the left, the ones `str::match_indices` gives.
fn contains_word_seq(hay: &str, len: usize, starts: impl Iterator<Item = usize>) -> bool {
    let mut next = 0;
    for at in starts {
        if at < next {
            continue;
        }
        if boundary_before(hay, at) && boundary_after(hay, at + len) {
            return true;
        }
        next = at + len;
    }
    false
}

/// Most literal strings one trigger may stand for; more and the run is not a trigger.
const MAX_LITERALS: usize = 64;

/// The trigger of one top-level branch of a pattern: `prefix · run · suffix`, where the
/// run matches exactly one of `literals` (lowercase; matched ASCII case-insensitively).
#[derive(Debug)]
struct Trigger {
    literals: Vec<String>,
    prefix: Option<hybrid::dfa::DFA>,
    suffix: Option<hybrid::dfa::DFA>,
    caseless: bool,
    cased: Option<Vec<String>>,
    suffix_first: bool,
    before: Edge,
    after: Edge,
}

/// The trigger runs of a pattern (parsed as compiled, case-insensitive), one per top-level
/// branch, or `None` when some branch has no literal run (or the pattern can match the
/// empty string): then the pattern must be searched over the whole text.
fn plans(hir: &Hir) -> Option<Vec<Plan>> {
    if hir.properties().minimum_len().is_none_or(|n| n == 0) {
        return None;
    }
    let hir = strip_captures(hir);
    let mut branches: Vec<Vec<Hir>> = match hir.kind() {
        HirKind::Alternation(branches) => branches.iter().map(|b| items(&strip_captures(b))).collect(),
        _ => vec![items(&hir)],
    };
    let mut out = Vec::new();
    while let Some(items) = branches.pop() {
        let Some((start, end, literals)) = best_run(&items) else {
            // `a (b|c) d` is `a b d | a c d`: a branch without a literal run may have one
            // in each of those (`\b(?:Kroll|IDX(?:\s+identity)?)\b`).
            let k = items.iter().position(|h| matches!(strip_captures(h).kind(), HirKind::Alternation(_)))?;
            let HirKind::Alternation(alts) = strip_captures(&items[k]).into_kind() else { unreachable!() };
            if branches.len() + alts.len() > MAX_LITERALS {
                return None;
            }
            for alt in alts {
                branches.push([&items[..k], &[alt][..], &items[k + 1..]].concat().iter().flat_map(items_of).collect());
            }
            continue;
        };
        out.push(Plan { items, start, end, literals });
    }
    Some(out)
}

/// One branch of a pattern as `items[..start] · run · items[end..]`, where the run
/// matches exactly one of `literals`.
#[derive(Debug)]
struct Plan {
    items: Vec<Hir>,
    start: usize,
    end: usize,
    literals: Vec<String>,
}

impl Plan {
    /// The trigger with its side DFAs, or `None` if one cannot be built (then the pattern
    /// is searched over the whole text).
    fn trigger(self, sides: &mut Sides) -> Option<Trigger> {
        let Plan { items, start, end, literals } = self;
        // A side that is nothing but word-boundary assertions needs no DFA: its `Edge`
        // checks it exactly, and it adds no length. `Err`: no DFA could be built.
        let mut side = |items: &[Hir], reverse: bool| -> Result<Option<Side>, ()> {
            let boundary = |h: &Hir| matches!(h.kind(), HirKind::Look(Look::WordAscii | Look::WordAsciiNegate));
            if items.iter().all(boundary) {
                return Ok(None);
            }
            sides.get(Hir::concat(items.to_vec()), reverse).map(Some).ok_or(())
        };
        let (Ok(prefix), Ok(suffix)) = (side(&items[..start], true), side(&items[end..], false)) else {
            return None;
        };
        let (mut before, mut after) = (Edge::of(&items[..start], true), Edge::of(&items[end..], false));
        before.steps = prefix.as_ref().and_then(|s| s.steps.clone());
        after.steps = suffix.as_ref().and_then(|s| s.steps.clone());
        let caseless = items[start..end].iter().all(caseless);
        // A case-sensitive run (`(?-i)May`): the exact strings it matches, to check an
        // occurrence against before any DFA runs (most occurrences are in another case).
        let cased = if caseless { None } else { strings(&Hir::concat(items[start..end].to_vec()), false) };
        let least = |items: &[Hir]| Hir::concat(items.to_vec()).properties().minimum_len().unwrap_or(0);
        let suffix_first = least(&items[end..]) > least(&items[..start]);
        let (prefix, suffix) = (prefix.map(|s| s.dfa), suffix.map(|s| s.dfa));
        Some(Trigger { literals, prefix, suffix, caseless, cased, suffix_first, before, after })
    }
}

/// A prefix (reversed) or suffix DFA and its first steps (see `Steps`).
#[derive(Debug, Clone)]
struct Side {
    dfa: hybrid::dfa::DFA,
    steps: Option<Steps>,
}

/// The sides built so far, by expression and direction: the branches of a distributed
/// alternation, and patterns written alike, share theirs (`None`: no DFA could be built).
#[derive(Debug, Default)]
struct Sides(Vec<(Hir, bool, Option<Side>)>);

impl Sides {
    fn get(&mut self, hir: Hir, reverse: bool) -> Option<Side> {
        if let Some((_, _, side)) = self.0.iter().find(|(h, r, _)| *r == reverse && *h == hir) {
            return side.clone();
        }
        let side = lazy_dfa(&hir, reverse)
            .ok()
            .map(|dfa| Side { steps: first_steps(&dfa, reverse).map(|first| Steps { first, rest: position_bytes(&hir, reverse) }), dfa });
        self.0.push((hir, reverse, side.clone()));
        side
    }
}

/// The items of a concatenation (a lone item otherwise).
fn items(hir: &Hir) -> Vec<Hir> {
    match hir.kind() {
        HirKind::Concat(items) => items.clone(),
        _ => vec![hir.clone()],
    }
}

/// `items` of `hir` with captures stripped, so a distributed branch is flat.
fn items_of(hir: &Hir) -> Vec<Hir> {
    items(&strip_captures(hir))
}

fn strip_captures(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Capture(c) => strip_captures(&c.sub),
        _ => hir.clone(),
    }
}

/// A lazy DFA for `hir`, searched anchored: in reverse it reports the longest match (the
/// earliest start), forward the leftmost-first one (the end the pattern would give).
fn lazy_dfa(hir: &Hir, reverse: bool) -> Result<hybrid::dfa::DFA, String> {
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new().reverse(reverse).which_captures(thompson::WhichCaptures::None).nfa_size_limit(Some(REGEX_SIZE_LIMIT)),
        )
        .build_from_hir(hir)
        .map_err(|e| e.to_string())?;
    hybrid::dfa::DFA::builder()
        .configure(hybrid::dfa::DFA::config().match_kind(if reverse {
            regex_automata::MatchKind::All
        } else {
            regex_automata::MatchKind::LeftmostFirst
        }))
        .build_from_nfa(nfa)
        .map_err(|e| e.to_string())
}

/// A run of items: (first, end, the literal strings it matches).
type Run = (usize, usize, Vec<String>);

/// The most selective run of consecutive `items` that matches exactly one of a few
/// non-empty literal strings: (first item, end, the strings). The run of every item but
/// word-boundary assertions at the ends wins where there is one: it leaves no side to
/// search, an occurrence that passes the `Edge` checks is a match, and its strings are the
/// longest. Otherwise the longer shortest literal wins (up to 6 bytes, beyond which fewer
/// literals win).
fn best_run(items: &[Hir]) -> Option<Run> {
    let exact: Vec<Option<Vec<String>>> = items.iter().map(exact).collect();
    let boundary = |h: &Hir| matches!(h.kind(), HirKind::Look(Look::WordAscii | Look::WordAsciiNegate));
    let whole = (items.iter().position(|h| !boundary(h)), items.iter().rposition(|h| !boundary(h)));
    // Score: the whole branch, shortest literal up to 6 bytes, fewer literals, shortest literal.
    type Score = (bool, usize, std::cmp::Reverse<usize>, usize);
    let mut best: Option<(Score, Run)> = None;
    for start in 0..items.len() {
        let mut acc = vec![String::new()];
        for (end, e) in exact.iter().enumerate().skip(start) {
            let Some(next) = e.as_ref().and_then(|e| cross(&acc, e)) else { break };
            acc = next;
            let shortest = acc.iter().map(String::len).min().unwrap_or(0);
            if shortest == 0 {
                continue;
            }
            let score = (whole == (Some(start), Some(end)), shortest.min(6), std::cmp::Reverse(acc.len()), shortest);
            if best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, (start, end + 1, acc.clone())));
            }
        }
    }
    best.map(|(_, run)| run)
}

/// Every string `a` followed by `b` (deduplicated), unless there are too many.
fn cross(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.len() * b.len() > MAX_LITERALS {
        return None;
    }
    let mut out: Vec<String> = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let s = format!("{x}{y}");
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    Some(out)
}

/// The strings `hir` matches, lowercased, if they are few (and it has no look-around).
/// Lowercase is a superset for a case-sensitive piece: the trigger automaton ignores
/// ASCII case and the pattern itself decides.
fn exact(hir: &Hir) -> Option<Vec<String>> {
    strings(hir, true)
}

/// The strings `hir` matches, ASCII-lowercased if `fold`, if they are few (and it has no
/// look-around).
fn strings(hir: &Hir, fold: bool) -> Option<Vec<String>> {
    match hir.kind() {
        HirKind::Empty => Some(vec![String::new()]),
        HirKind::Literal(lit) => std::str::from_utf8(&lit.0).ok().map(|s| vec![if fold { s.to_ascii_lowercase() } else { s.to_owned() }]),
        HirKind::Class(class) => class_chars(class, fold).map(|cs| cs.into_iter().map(String::from).collect()),
        HirKind::Look(_) => None,
        HirKind::Capture(c) => strings(&c.sub, fold),
        HirKind::Repetition(r) => match (r.min, r.max) {
            (1, Some(1)) => strings(&r.sub, fold),
            (0, Some(1)) => cross(&[String::new()], &[vec![String::new()], strings(&r.sub, fold)?].concat()),
            _ => None,
        },
        HirKind::Concat(items) => items.iter().try_fold(vec![String::new()], |acc, item| cross(&acc, &strings(item, fold)?)),
        HirKind::Alternation(items) => {
            let mut out = Vec::new();
            for item in items {
                for s in strings(item, fold)? {
                    if !out.contains(&s) {
                        out.push(s);
                    }
                }
                if out.len() > MAX_LITERALS {
                    return None;
                }
            }
            Some(out)
        }
    }
}

/// Whether every ASCII case variant of a string `hir` matches is matched too.
fn caseless(hir: &Hir) -> bool {
    let closed = |has: &dyn Fn(u8) -> bool| (b'a'..=b'z').all(|c| has(c) == has(c.to_ascii_uppercase()));
    match hir.kind() {
        HirKind::Empty => true,
        HirKind::Literal(lit) => !lit.0.iter().any(u8::is_ascii_alphabetic),
        HirKind::Class(Class::Unicode(u)) => closed(&|c| u.iter().any(|r| r.start() <= c as char && c as char <= r.end())),
        HirKind::Class(Class::Bytes(b)) => closed(&|c| b.iter().any(|r| r.start() <= c && c <= r.end())),
        HirKind::Look(_) => false,
        HirKind::Capture(c) => caseless(&c.sub),
        HirKind::Repetition(r) => caseless(&r.sub),
        HirKind::Concat(items) | HirKind::Alternation(items) => items.iter().all(caseless),
    }
}

/// The characters of a small class, ASCII-lowercased. KELVIN SIGN and LONG S, which case
/// folding adds to `k` and `s`, are left out: a text holding them is searched whole.
fn class_chars(class: &Class, fold: bool) -> Option<Vec<char>> {
    let mut out: Vec<char> = Vec::new();
    let mut add = |c: char| {
        let c = if fold { c.to_ascii_lowercase() } else { c };
        if c != '\u{212A}' && c != '\u{17F}' && !out.contains(&c) {
            out.push(c);
        }
    };
    match class {
        Class::Unicode(u) => {
            if u.ranges().iter().map(|r| r.end() as usize - r.start() as usize + 1).sum::<usize>() > 16 {
                return None;
            }
            u.iter().flat_map(|r| r.start()..=r.end()).for_each(&mut add);
        }
        Class::Bytes(b) => {
            if b.ranges().iter().any(|r| r.end() >= 0x80) || b.ranges().iter().map(|r| r.len()).sum::<usize>() > 16 {
                return None;
            }
            b.iter().flat_map(|r| r.start()..=r.end()).for_each(|b| add(b as char));
        }
    }
    (out.len() <= 8).then_some(out)
}

/// Rewrites `\b` and `\B` as ASCII word boundaries. A Unicode word boundary stops the
/// lazy DFA at the first non-ASCII byte and sends the search to the far slower PikeVM;
/// the text is normalized, so ASCII boundaries are what the packs mean.
pub fn ascii_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(next) => {
                out.push(c);
                out.push(next);
            }
            None => out.push(c),
        }
    }
    out
}

// Word characters are Unicode alphanumerics; an ASCII byte decides without decoding.

fn starts_word(s: &str) -> bool {
    match s.as_bytes().first() {
        Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
        _ => s.chars().next().is_some_and(char::is_alphanumeric),
    }
}

fn ends_word(s: &str) -> bool {
    match s.as_bytes().last() {
        Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
        _ => s.chars().next_back().is_some_and(char::is_alphanumeric),
    }
}

fn boundary_before(text: &str, at: usize) -> bool {
    !ends_word(&text[..at])
}

fn boundary_after(text: &str, at: usize) -> bool {
    !starts_word(&text[at..])
}

/// Lets a singular phrase match its plural or possessive ("number" → "numbers").
fn extend_plural(text: &str, end: usize) -> usize {
    let rest = &text.as_bytes()[end..];
    if !matches!(rest.first(), Some(b'\'' | b's' | b'S' | b'e' | b'E')) {
        return end;
    }
    for suffix in [&b"'s"[..], b"es", b"s"] {
        if rest.len() >= suffix.len() && rest[..suffix.len()].eq_ignore_ascii_case(suffix) && boundary_after(text, end + suffix.len()) {
            return end + suffix.len();
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use proptest::strategy::Strategy as _;

    use super::*;

    #[test]
    fn word_boundaries_become_ascii() {
        assert_eq!(ascii_boundaries(r"\bssn\b"), r"(?-u:\b)ssn(?-u:\b)");
        assert_eq!(ascii_boundaries(r"a\\b\B"), r"a\\b(?-u:\B)");
    }

    #[test]
    fn phrases_match_whole_words_with_plurals_and_longest_wins() {
        let mut b = Builder::default();
        b.phrase("number", Target::Rule(0)).unwrap();
        b.phrase("account number", Target::Rule(1)).unwrap();
        b.phrase("not", Target::Cue(0)).unwrap();
        b.phrase("not only", Target::Cue(1)).unwrap();
        let m = b.build(&[super::super::pack::CueKind::Negation, super::super::pack::CueKind::Pseudo]).unwrap();
        let mut hits = Vec::new();
        m.scan("Account numbers, not only numbered lists; renumber.", &mut hits);
        let got: Vec<(&str, Target)> =
            hits.iter().map(|h| (&"Account numbers, not only numbered lists; renumber."[h.start..h.end], h.target)).collect();
        assert_eq!(got, [("Account numbers", Target::Rule(1)), ("not only", Target::Cue(1))]);
    }

    #[test]
    fn one_overlapping_pass_gives_what_a_leftmost_longest_automaton_does() {
        let rules = crate::RuleSet::builtin().unwrap();
        let m = &rules.matcher;
        let ll = aho_corasick::AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&m.phrases)
            .unwrap();
        let mut texts = vec!["Account numbers, not only numbered lists; renumber.".to_string(), String::new()];
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/corpora/general")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "txt") {
                let text = Normalized::new(&std::fs::read_to_string(&path).unwrap()).text;
                // Phrases across the places where the lanes of the walk meet.
                for lane in 1..LANES {
                    for cut in [0, 1, 7, 40] {
                        let at = lane * text.len() / LANES - cut;
                        texts.push(format!(
                            "{} social security numbers {}",
                            &text[..text.floor_char_boundary(at)],
                            &text[text.ceil_char_boundary(at)..]
                        ));
                    }
                }
                texts.push(text);
            }
        }
        let mut s = m.scratch();
        for text in &texts {
            m.walk(text.as_bytes(), &mut s);
            let got: Vec<Occurrence> = leftmost_longest(&mut s.phrases).collect();
            let want: Vec<Occurrence> = ll.find_iter(text).map(|x| (x.start(), x.end(), x.pattern().as_u32())).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn the_compact_table_steps_as_the_automaton_does() {
        // Every byte value, in both cases, around the phrases: the table's classes and
        // states give the same overlapping occurrences as an automaton of the phrases.
        let rules = crate::RuleSet::builtin().unwrap();
        let m = &rules.matcher;
        let ac = aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(&m.phrases).unwrap();
        let all: Vec<u8> = (0..=255u8).collect();
        let mut texts: Vec<Vec<u8>> = vec![all.clone()];
        for (i, p) in m.phrases.iter().enumerate().step_by(7) {
            let mut t = all[i % 256..].to_vec();
            t.extend(p.to_ascii_uppercase().bytes());
            t.push(all[(i * 31) % 256]);
            t.extend(p.bytes());
            texts.push(t);
        }
        texts.push(texts.concat());
        let mut s = m.scratch();
        for text in &texts {
            m.walk(text, &mut s);
            let mut got = s.phrases.clone();
            let mut want: Vec<Occurrence> = ac.find_overlapping_iter(text).map(|x| (x.start(), x.end(), x.pattern().as_u32())).collect();
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn bad_patterns_are_refused() {
        let mut b = Builder::default();
        assert!(b.pattern("(unclosed", Target::Rule(0)).unwrap_err().contains("invalid regex"));
        assert!(b.pattern("a*", Target::Rule(0)).unwrap_err().contains("empty string"));
        assert!(b.phrase("  ", Target::Rule(0)).is_err());
        assert!(b.pattern(r"\w{1000}{1000}", Target::Rule(0)).is_err(), "over the size limit");
    }

    fn literals(pattern: &str) -> Option<Vec<Vec<String>>> {
        let hir = regex_automata::util::syntax::parse_with(&ascii_boundaries(pattern), &syntax_config()).unwrap();
        let mut out: Vec<Vec<String>> = plans(&hir)?
            .into_iter()
            .map(|t| {
                let mut l = t.literals;
                l.sort();
                l
            })
            .collect();
        out.sort();
        Some(out)
    }

    #[test]
    fn triggers_are_the_most_selective_literal_run() {
        let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // The alternation beats `no`: its shortest literal is longer.
        assert_eq!(
            literals(r"\bno\s+(?:\w+\s+){1,4}(?:reason to believe|evidence|indications?)\b"),
            Some(vec![l(&["evidence", "indication", "indications", "reason to believe"])])
        );
        // Case-insensitive letters become one lowercase literal; `e-?mail` is two.
        assert_eq!(literals(r"(?:,\s*|\band\s+)E-?mails?\b"), Some(vec![l(&["e-mail", "email"])]));
        assert_eq!(literals(r"\b8(?:00|88)\s*\d{3}"), Some(vec![l(&["800", "888"])]));
        // A top-level alternation: one trigger per branch.
        assert_eq!(literals(r"\bunaware\b|\bnot\s+aware\b"), Some(vec![l(&["aware"]), l(&["unaware"])]));
        // An alternation with no literal run of its own is distributed over its branches.
        assert_eq!(literals(r"\b(?:Kroll|IDX(?:\s+identity)?)\b"), Some(vec![l(&["idx"]), l(&["kroll"])]));
        // A branch that is all literal but its word boundaries is its own trigger, though a
        // part of it has fewer strings: then no side is left to search.
        assert_eq!(
            literals(r"\b(?:security|credit) freezes?\b"),
            Some(vec![l(&["credit freeze", "credit freezes", "security freeze", "security freezes"])])
        );
        assert_eq!(literals(r"\bcredit\s+freeze\b"), Some(vec![l(&["credit"])]), "`\\s` has too many strings");
        // No literal anywhere: searched over the whole text.
        assert_eq!(literals(r"\b\d{3}\s\d{4}\b"), None);
        assert_eq!(literals(r"\w+\s+\w+"), None);
    }

    /// Hits of `patterns` (as rules 0, 1, ...) in `text`, checked against the whole-text search.
    fn pattern_hits<'t>(patterns: &[&str], text: &'t str) -> Vec<(&'t str, Target)> {
        let mut b = Builder::default();
        for (i, p) in patterns.iter().enumerate() {
            b.pattern(p, Target::Rule(i as u32)).unwrap();
        }
        let m = b.build(&[]).unwrap();
        let (mut hits, mut whole) = (Vec::new(), Vec::new());
        m.scan(text, &mut hits);
        m.scan_with(text, &mut whole, true);
        assert_eq!(hits, whole, "windowed and whole-text search differ on {text:?}");
        hits.iter().map(|h| (&text[h.start..h.end], h.target)).collect()
    }

    #[test]
    fn window_verification_finds_what_a_whole_text_search_finds() {
        // The match starts words before its trigger (`reason`); the unanchored second match
        // of the group starts after the first one's end.
        let hits = pattern_hits(&[r"\bno\s+(?:\w+\s+){0,3}reason\b"], "There is no good reason, no reason, and nothing reasonable.");
        assert_eq!(hits, [("no good reason", Target::Rule(0)), ("no reason", Target::Rule(0))]);
        // Greedy ends reach past a later trigger occurrence; leftmost-first and
        // non-overlapping as `find_iter` is.
        let hits = pattern_hits(&[r"\btake\b[^.;]{0,40}\bseriously\b"], "We take this seriously, very seriously. Take care.");
        assert_eq!(hits, [("take this seriously, very seriously", Target::Rule(0))]);
        // Top-level alternation, a case-sensitive pattern, and a pattern with no trigger.
        let hits = pattern_hits(
            &[r"\bunaware\b|\bnot\s+aware\b", r"(?-i)\bMay\s+\d", r"\b\d{3}\s\d{4}\b"],
            "We are not  aware; may 5, May 6; call 555 1234 (unaware).",
        );
        assert_eq!(
            hits,
            [("not  aware", Target::Rule(0)), ("May 6", Target::Rule(1)), ("555 1234", Target::Rule(2)), ("unaware", Target::Rule(0))]
        );
        // Look-around sees the text outside the window: `\b` fails inside a longer word.
        assert_eq!(pattern_hits(&[r"\bfraud alert\b"], "fraud alerts, a fraud alert."), [("fraud alert", Target::Rule(0))]);
        // A window alone in its group is the match without a search: the end is the
        // suffix's leftmost-first one (lazy, alternation order), not its longest.
        let hits = pattern_hits(&[r"\bfoo\b[^.]{0,20}?\bbar\b", r"\bcall\s+(?:us|us now)"], "Foo x bar y bar. Call us now.");
        assert_eq!(hits, [("Foo x bar", Target::Rule(0)), ("Call us", Target::Rule(1))]);
        // Not for a case-sensitive run (`may` triggers, `May` matches), nor where windows
        // share a group or a match overlaps the previous one.
        let hits = pattern_hits(&[r"(?-i)\bMay\b", r"[a-z ]{0,10}take"], "may May; take take");
        assert_eq!(hits, [("May", Target::Rule(0)), (" take take", Target::Rule(1))]);
        // A case-sensitive run is checked against the cases it allows before any DFA runs.
        let hits = pattern_hits(&[r"(?-i)\b[Mm]ay\s+(?i:be)\b", r"(?-i:RE)port"], "MAY be, may BE, mAy be; Report, REport");
        assert_eq!(hits, [("may BE", Target::Rule(0)), ("REport", Target::Rule(1))]);
        // A character that folds to an ASCII letter sends the text to the whole-text path.
        assert_eq!(pattern_hits(&[r"\bask them\b"], "as\u{212A} them"), [("as\u{212A} them", Target::Rule(0))]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        // Texts of the patterns' own words in other cases, glued to word and non-word
        // characters: triggers that are whole branches (no side), overlapping ones
        // (`freeze`, `freezes`), a case-sensitive one and one with a side all find what a
        // whole-text search finds.
        #[test]
        fn windowed_search_finds_what_a_whole_text_search_finds(
            text in proptest::collection::vec(proptest::sample::select(vec![
                "credit", "Credit", "security", "FREEZE", "freeze", "freezes", "place", "a", "fraud alert", "request",
                "New", "new", "York", "york", "review", "your", "statements", " ", " ", " ", ",", ".", "x", "_", "é",
            ]), 0..30).prop_map(|w| w.concat())
        ) {
            pattern_hits(
                &[
                    r"\b(?:security|credit) freezes?\b",
                    r"\b(?:place|request) a (?:fraud alert|security freeze|credit freeze)\b",
                    r"(?-i)\bNew (?:York|Jersey)\b",
                    r"\breview (?:your )?statements\b",
                    r"\bcredit\B",
                    r"\bfreezes?\b[^.]{0,20}\bcredit\b",
                ],
                &text,
            );
        }
    }

    #[test]
    fn steps_reject_what_the_side_cannot_start_with() {
        let hir = |p: &str| regex_automata::util::syntax::parse_with(&ascii_boundaries(p), &syntax_config()).unwrap();
        // (Unicode `\d` has non-ASCII digits too.)
        let digit = |set: &ByteSet| (0..=255u8).filter(|&b| has(set, b) && b.is_ascii()).eq(b'0'..=b'9');
        // The suffix of `2` in a phone number: a digit, then a digit, then no comma.
        let rest = position_bytes(&hir(r"\d\d\s*\)?[\s.-]?\d{3}[\s.-]\d{4}\b"), false);
        assert!(digit(&rest[0]) && !has(&rest[1], b',') && has(&rest[1], b'-') && has(&rest[1], b'7'));
        // A prefix read backwards, up to where a match of it can have ended (`no\s+`).
        let rest = position_bytes(&hir(r"\b(?:no|not)\s+(?:\w+\s+){0,2}"), true);
        assert_eq!(rest.len(), 2, "after ` on` the prefix may have matched `no `");
        assert!(has(&rest[0], b'o') && has(&rest[0], b' ') && !has(&rest[0], b','));
        // A non-ASCII character is any bytes from 0x80, up to four of them.
        let rest = position_bytes(&hir(r"é{2}x"), false);
        // `x` is at offset 4 at the earliest; a match ends at 5 at the earliest.
        assert!(rest.len() == 4 && has(&rest[0], 0xA9) && has(&rest[3], b'x') && !has(&rest[2], b'x'));
        let hits = pattern_hits(
            &[r"(?:\b1[\s.-]?)?(?:\(\s*|\b)[2-9]\d\d\s*\)?[\s.-]?\d{3}[\s.-]\d{4}\b", r"\b(?:no|not)\s+(?:\w+\s+){0,2}evidence\b"],
            "In 2024, call (555) 123-4567 or 202 555 9876, 2025; 1-800-555-0000. No evidence, not any real evidence.",
        );
        let want: [(&str, Target); 5] = [
            ("(555) 123-4567", Target::Rule(0)),
            ("202 555 9876", Target::Rule(0)),
            ("1-800-555-0000", Target::Rule(0)),
            ("No evidence", Target::Rule(1)),
            ("not any real evidence", Target::Rule(1)),
        ];
        assert_eq!(hits, want);
    }

    #[test]
    fn probes_check_what_edges_check() {
        // Every edge of every built-in pattern's triggers, with DFA steps or without, at
        // every place of random texts of digits, words, spaces, line breaks and punctuation.
        let rules = crate::RuleSet::builtin().unwrap();
        let mut sides = Sides::default();
        let mut edges = Vec::new();
        for p in rules.matcher.patterns.iter().filter(|p| !p.whole && p.same_as.is_none()) {
            let hir = regex_automata::util::syntax::parse_with(&p.compiled, &syntax_config()).unwrap();
            for plan in plans(&hir).unwrap() {
                let t = plan.trigger(&mut sides).unwrap();
                edges.push(t.before);
                edges.push(t.after);
            }
        }
        assert!(edges.iter().any(|e| e.steps.is_none()) && edges.iter().any(|e| e.steps.is_some()));
        let alphabet = &["1", "2", "800", "St", "st", "no", "may", "May", " ", "  ", "\n", "\r\n", ",", ".", "-", "(", ")", "_", "é", "a"];
        for text in crate::test_support::random_strings(7, 300, 14, alphabet) {
            let text = text.as_bytes();
            for (i, edge) in edges.iter().enumerate() {
                let probe = edge.probe();
                for at in 0..=text.len() {
                    if at < text.len() {
                        assert_eq!(probe.before(text, at), edge.allows(text, at, false), "edge {i} before {at} of {text:?}");
                    }
                    if at > 0 {
                        assert_eq!(probe.after(text, at), edge.allows(text, at, true), "edge {i} after {at} of {text:?}");
                    }
                }
            }
        }
    }

    /// The trigger occurrences that pass their checks, from every occurrence the walk met
    /// (not only those `Near` lets through): what `check_triggers` must give.
    fn checked_unfiltered(m: &Matcher, text: &[u8], s: &Scratch) -> Vec<Occurrence> {
        let t = &m.automaton;
        let mut out = Vec::new();
        for &(end, state) in s.raw.iter().flatten() {
            for f in &t.matches[t.match_start[state as usize] as usize..t.match_start[state as usize + 1] as usize] {
                let start = end - f.len as usize;
                for &k in &m.split_of[f.splits[0] as usize..f.splits[1] as usize] {
                    if m.checks[k as usize].allows(text, start, end) {
                        out.push((start, end, k));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn near_drops_only_occurrences_every_check_rejects() {
        let rules = crate::RuleSet::builtin().unwrap();
        let m = &rules.matcher;
        let mut s = Scratch::default();
        let mut texts: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/corpora/general"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .map(|p| Normalized::new(&std::fs::read_to_string(p).unwrap()).text)
            .collect();
        // Trigger literals glued to every kind of neighbour, at the text's ends too.
        let words =
            ["2", "8", "St", "st", "Dr", "reports", "Evidence", "May", "may", "@", "www.", "(", "-", "_", "1", " ", "\n", ",", ".", "é"];
        let mut x = 7u64;
        for _ in 0..400 {
            let mut text = String::new();
            for _ in 0..(x % 24) {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                text.push_str(words[(x >> 33) as usize % words.len()]);
            }
            texts.push(text);
        }
        let mut dropped = 0;
        for text in &texts {
            m.walk(text.as_bytes(), &mut s);
            m.check_triggers(text.as_bytes(), &mut s);
            let mut got = s.triggers.clone();
            let mut want = checked_unfiltered(m, text.as_bytes(), &s);
            let t = &m.automaton;
            let literals = s
                .raw
                .iter()
                .flatten()
                .flat_map(|&(_, q)| &t.matches[t.match_start[q as usize] as usize..t.match_start[q as usize + 1] as usize]);
            dropped += literals.filter(|f| f.splits[0] != f.splits[1]).count() - s.literals.len();
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want, "{text:?}");
        }
        assert!(dropped > 1000 && texts.len() > 400, "{dropped}");
    }

    #[test]
    fn merged_hits_are_in_stable_sort_order() {
        let hit = |start, end, t| Hit { start, end, target: Target::Rule(t) };
        let mut next = crate::test_support::xorshift(11);
        let mut rest = Vec::new();
        for _ in 0..2000 {
            // Phrase hits: in order, some sharing a span; then pattern hits in runs.
            let mut hits = Vec::new();
            let mut at = 0;
            for t in 0..next(8) {
                at += next(3);
                let end = at + 1 + next(3);
                hits.push(hit(at, end, t as u32));
                if next(3) == 0 {
                    hits.push(hit(at, end, 100 + t as u32));
                }
                at = end;
            }
            let n = hits.len();
            for run in 0..next(5) {
                let mut at = 0;
                for _ in 0..next(5) {
                    at += next(4);
                    hits.push(hit(at, at + 1 + next(3), 200 + run as u32));
                }
            }
            let mut want = hits.clone();
            want.sort_by_key(|h| (h.start, h.end));
            merge_hits(&mut hits, n, &mut rest);
            assert_eq!(hits, want);
        }
    }

    #[test]
    fn a_side_with_no_lazy_dfa_leaves_its_pattern_untriggered() {
        // `\<` (a Unicode word start) has no lazy DFA, so the suffix of `foo` cannot be
        // built: the pattern is searched whole and its literal leaves the automaton, which
        // was built with it on another thread and is built again.
        let mut b = Builder::default();
        b.pattern(r"\bfoo\s+\<bar", Target::Rule(0)).unwrap();
        b.pattern(r"\bbaz\b", Target::Rule(1)).unwrap();
        let m = b.build(&[]).unwrap();
        assert_eq!(m.untriggered().collect::<Vec<_>>(), [(r"\bfoo\s+\<bar", Target::Rule(0))]);
        assert_eq!(m.automaton.matches.len(), 1, "only `baz`");
        assert_eq!(pattern_hits(&[r"\bfoo\s+\<bar", r"\bbaz\b"], "foo bar, baz"), [("foo bar", Target::Rule(0)), ("baz", Target::Rule(1))]);
    }

    #[test]
    fn builtin_patterns_have_triggers_and_match_as_whole_text_search_does() {
        let rules = crate::RuleSet::builtin().unwrap();
        let untriggered: Vec<(&str, Target)> = rules.matcher.untriggered().collect();
        assert!(untriggered.is_empty(), "patterns without a trigger literal: {untriggered:#?}");
        let (mut hits, mut whole) = (Vec::new(), Vec::new());
        let mut n = 0;
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/corpora/general")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "txt") {
                let text = Normalized::new(&std::fs::read_to_string(&path).unwrap()).text;
                rules.matcher.scan(&text, &mut hits);
                rules.matcher.scan_with(&text, &mut whole, true);
                assert_eq!(hits, whole, "{}", path.display());
                n += 1;
            }
        }
        assert!(n > 10);
    }
}
