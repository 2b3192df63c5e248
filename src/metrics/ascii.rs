//! Words and syllables of ASCII text, 64 bytes at a time.
//!
//! [`Masks`] gives what `count_unicode` gives for ASCII text without a loop per byte or
//! per word: each byte's classes become one bit in a 64-bit mask per class, and every
//! quantity becomes a count of bits. A word's syllables are its vowel groups, one less
//! for a silent final "e" when it has more than one, and at least one; summed over the
//! words of a sentence that is
//!
//! > vowel groups + words without a vowel − words with a silent final "e".
//!
//! What belongs to one word (its first letter, its first vowel, whether a later group or
//! a silent "e" ends it) is found with carries: an addition started at one bit runs over
//! a run of set bits and stops at the first clear one, as a word stops at white space.
//! The additions carry from one block into the next, as in multiple-precision
//! arithmetic, so a word may cross blocks.
//!
//! The masks are made once for a whole text; a sentence reads them through 64-byte
//! windows at its own offset (two shifts per class), so the sentences' bytes are
//! classified once, without a copy of a short last block.

use std::ops::Range;

/// Class bits of a byte, one byte of a `u64` apart: [`CLASSES`] holds class `c` at bit
/// `8 c`, so that eight bytes' entries, shifted by their place and or-ed together, give
/// byte `c` = the mask of class `c` over the eight.
const SPACE: usize = 0;
const LETTER: usize = 1;
const VOWEL: usize = 2;
const ALNUM: usize = 3;
/// `e` or `E`, which may be a silent final "e".
const E: usize = 4;
/// `l` or `L`: "-le" is not a silent "e".
const L: usize = 5;
/// A byte that is not ASCII: the sentence goes the general way.
const OTHER: usize = 6;
/// The classes a window carries (class 7 is unused).
const CLASSES_USED: usize = 7;

const fn bit(class: usize) -> u64 {
    1 << (8 * class)
}

const CLASSES: [u64; 256] = {
    let mut t = [bit(OTHER); 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let lower = c | 0x20;
        t[b] = match c {
            b'\t'..=b'\r' | b' ' => bit(SPACE),
            b'a'..=b'z' | b'A'..=b'Z' => {
                let vowel = matches!(lower, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
                let mut v = bit(LETTER) | bit(ALNUM);
                if vowel {
                    v |= bit(VOWEL);
                }
                if lower == b'e' {
                    v |= bit(E);
                }
                if lower == b'l' {
                    v |= bit(L);
                }
                v
            }
            b'0'..=b'9' => bit(ALNUM),
            _ => 0,
        };
        b += 1;
    }
    t
};

/// [`CLASSES`] shifted by a byte's place `k` in its row of eight: `CLASSES_AT[k][b]` is
/// `CLASSES[b] << k`, so that a row is eight loads or-ed together (no shift per byte).
static CLASSES_AT: [[u64; 256]; 8] = {
    let mut t = [[0; 256]; 8];
    let mut k = 0;
    while k < 8 {
        let mut b = 0;
        while b < 256 {
            t[k][b] = CLASSES[b] << k;
            b += 1;
        }
        k += 1;
    }
    t
};

/// Words (with a letter) and their syllables in ASCII text.
#[cfg(test)]
pub(super) fn count(s: &[u8]) -> (usize, usize) {
    Masks::new(s).count(0..s.len()).expect("ASCII text")
}

/// The class masks of a whole text, one `[u64; 8]` per 64 bytes (see [`masks`]), then a
/// block of white space so that a window may always read the block after its own.
pub(super) struct Masks {
    blocks: Vec<[u64; 8]>,
}

/// The masks of 64 bytes of white space.
const SPACES: [u64; 8] = {
    let mut m = [0; 8];
    m[SPACE] = !0;
    m
};

impl Masks {
    pub(super) fn new(text: &[u8]) -> Masks {
        let mut blocks = Vec::with_capacity(text.len() / 64 + 2);
        let mut chunks = text.chunks_exact(64);
        for block in chunks.by_ref() {
            blocks.push(masks(block.try_into().expect("64 bytes")));
        }
        // The last bytes padded with white space (which ends a word as the end of the
        // text does).
        let rest = chunks.remainder();
        let mut padded = [b' '; 64];
        padded[..rest.len()].copy_from_slice(rest);
        blocks.push(masks(&padded));
        blocks.push(SPACES);
        Masks { blocks }
    }

    /// The masks of the 64 bytes from `at`; bytes at or past `end` are white space.
    fn window(&self, at: usize, end: usize) -> [u64; 8] {
        let (lo, hi) = (&self.blocks[at / 64], &self.blocks[at / 64 + 1]);
        let shift = at % 64;
        let mut m = [0; 8];
        for c in 0..CLASSES_USED {
            m[c] = if shift == 0 { lo[c] } else { lo[c] >> shift | hi[c] << (64 - shift) };
        }
        if end - at < 64 {
            let keep = (1u64 << (end - at)) - 1;
            for class in &mut m {
                *class &= keep;
            }
            m[SPACE] |= !keep;
        }
        m
    }

    /// Words (with a letter) and their syllables in `range` of the text, if it is ASCII.
    pub(super) fn count(&self, range: Range<usize>) -> Option<(usize, usize)> {
        let mut counter = Counter::default();
        let mut other = 0;
        let mut at = range.start;
        while at < range.end {
            let m = self.window(at, range.end);
            other |= m[OTHER];
            counter.block(m);
            at += 64;
        }
        // White space after the range ends its last word: a short last window is padded
        // with it, a full one is followed by a window of it, so that every carry lands.
        if range.len() % 64 == 0 && !range.is_empty() {
            counter.block(SPACES);
        }
        (other == 0).then(|| counter.finish())
    }
}

/// One mask per class: bit `k` of `masks[c]` is set when byte `k` has class `c`.
fn masks(block: &[u8; 64]) -> [u64; 8] {
    let mut rows = [0; 8];
    for (r, bytes) in rows.iter_mut().zip(block.chunks_exact(8)) {
        *r = bytes.iter().zip(&CLASSES_AT).fold(0, |row, (&b, at)| row | at[usize::from(b)]);
    }
    // Row `j` byte `c` holds class `c` of bytes 8j..8j+8; the mask of class `c` wants
    // them in its byte `j`: an 8 × 8 byte transpose.
    transpose(rows)
}

/// Transposes an 8 × 8 matrix of bytes (row `j`, byte `c` → row `c`, byte `j`) by
/// swapping ever smaller blocks: 4 × 4, 2 × 2, 1 × 1.
fn transpose(mut r: [u64; 8]) -> [u64; 8] {
    for (half, mask) in [(4, 0x0000_0000_ffff_ffff_u64), (2, 0x0000_ffff_0000_ffff), (1, 0x00ff_00ff_00ff_00ff)] {
        let shift = 8 * half;
        for j in (0..8).filter(|j| j & half == 0) {
            let (a, b) = (r[j], r[j + half]);
            r[j] = (a & mask) | ((b & mask) << shift);
            r[j + half] = ((a >> shift) & mask) | (b & !mask);
        }
    }
    r
}

/// Counts, and what carries from one block into the next.
#[derive(Default)]
struct Counter {
    words: u64,
    /// Vowel groups that are not a word's first (a word's first vowel always opens a
    /// group: what comes before it in the word is no vowel), counted as one mask.
    later_groups: u64,
    silent_e: u64,
    /// The last bit of the previous block's masks, shifted into this one's first.
    last_inside: u64,
    last_vowel: u64,
    last_l: u64,
    last_e: u64,
    /// The carries of the four additions.
    to_letter: bool,
    to_vowel: bool,
    later_group: bool,
    final_e: bool,
}

impl Counter {
    fn block(&mut self, masks: [u64; 8]) {
        let space = masks[SPACE];
        let inside = !space;
        let vowel = masks[VOWEL];
        let starts = inside & !(inside << 1 | self.last_inside);
        let group_starts = vowel & !(vowel << 1 | self.last_vowel);
        // A carry from each word's first byte runs over what is not a letter and stops
        // on the first letter, or on the white space after a word that has none.
        let first_letters = add(inside & !masks[LETTER], starts, &mut self.to_letter) & masks[LETTER];
        let first_vowels = add(inside & !vowel, starts, &mut self.to_vowel) & vowel;
        // A second or later vowel group, carried to the white space after its word.
        let later_groups = add(inside, group_starts & !first_vowels, &mut self.later_group) & space;
        // An "e" not after an "l", carried over punctuation to the white space after
        // its word when no letter or digit follows it there.
        let e = masks[E] & !(masks[L] << 1 | self.last_l);
        let final_e = add(inside & !masks[ALNUM], e << 1 | self.last_e, &mut self.final_e) & space;
        self.words += u64::from(first_letters.count_ones());
        self.later_groups += u64::from((group_starts & !first_vowels).count_ones());
        // A word has a silent "e" when both land on the white space after it.
        self.silent_e += u64::from((later_groups & final_e).count_ones());
        self.last_inside = inside >> 63;
        self.last_vowel = vowel >> 63;
        self.last_l = masks[L] >> 63;
        self.last_e = e >> 63;
    }

    fn finish(self) -> (usize, usize) {
        // Vowel groups + words without a vowel = later groups + words.
        let syllables = self.later_groups + self.words - self.silent_e;
        (self.words as usize, syllables as usize)
    }
}

/// `a + b` with a carry in and out.
fn add(a: u64, b: u64, carry: &mut bool) -> u64 {
    let (sum, c1) = a.overflowing_add(b);
    let (sum, c2) = sum.overflowing_add(u64::from(*carry));
    *carry = c1 || c2;
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transposes_bytes() {
        let rows: [u64; 8] = std::array::from_fn(|j| u64::from_le_bytes(std::array::from_fn(|c| (16 * j + c) as u8)));
        let cols = transpose(rows);
        for (c, col) in cols.iter().enumerate() {
            assert_eq!(col.to_le_bytes(), std::array::from_fn(|j| (16 * j + c) as u8));
        }
    }
}
