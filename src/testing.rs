//! What the unit tests of several layers share: a fixed stream of varied
//! numbers, the same at every run, so a test's cases are many and yet
//! reproducible.

/// The xorshift64 stream from `seed` (Marsaglia's 13, 7, 17 shifts).
pub(crate) fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
