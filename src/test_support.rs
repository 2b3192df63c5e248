//! Helpers shared by unit tests.

/// `count` random strings, each of up to `max_pieces` pieces drawn from `alphabet`
/// (xorshift64 from `seed`: the same cases every run, no dependency).
pub fn random_strings(seed: u64, count: usize, max_pieces: usize, alphabet: &'static [&'static str]) -> impl Iterator<Item = String> {
    let mut state = seed;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    (0..count).map(move |_| (0..next(max_pieces)).map(|_| alphabet[next(alphabet.len())]).collect())
}
