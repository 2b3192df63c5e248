//! Helpers shared by unit tests.

/// A seeded pseudo-random index below `n` (xorshift64 from `seed`, which must not be 0):
/// the same cases every run, no dependency.
pub fn xorshift(mut state: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    }
}

/// `count` random strings, each of up to `max_pieces` pieces drawn from `alphabet`.
pub fn random_strings(seed: u64, count: usize, max_pieces: usize, alphabet: &'static [&'static str]) -> impl Iterator<Item = String> {
    let mut next = xorshift(seed);
    (0..count).map(move |_| (0..next(max_pieces)).map(|_| alphabet[next(alphabet.len())]).collect())
}
