//! What the unit tests of several layers share: a fixed stream of varied
//! numbers, the same at every run, so a test's cases are many and yet
//! reproducible, and the comparisons of numbers they make.

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

/// Uniform numbers in (0, 1) from the named stream of `seed` (the
/// simulation's own generator, [`crate::sample::stream`]): the random games
/// of the tests.
pub(crate) fn uniforms(seed: u64) -> impl FnMut() -> f64 {
    let mut rng = crate::sample::stream(seed, 0, crate::sample::StreamKind::Design, 0, 0);
    move || crate::sample::open_unit(&mut rng)
}

/// Asserts that `left` and `right` are the same to the bit: their `Debug`
/// text shows `-0.0` and every digit, so equal text is equal bits. `case`
/// names what is compared, for the failure message.
#[track_caller]
pub(crate) fn assert_same_bits(
    left: &impl std::fmt::Debug,
    right: &impl std::fmt::Debug,
    case: &str,
) {
    assert_eq!(format!("{left:?}"), format!("{right:?}"), "{case}");
}

/// Asserts that `actual` is within `tolerance` of `expected`.
#[track_caller]
pub(crate) fn assert_close(actual: f64, expected: f64, tolerance: f64) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "{actual} differs from {expected} by more than {tolerance}"
    );
}

/// Asserts that `text` (a message, a file) contains each of `parts`,
/// showing the whole text when one is missing.
#[track_caller]
pub(crate) fn assert_mentions(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "`{part}` is not in: {text}");
    }
}
