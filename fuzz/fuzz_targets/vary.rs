//! Any text as `--vary KEY=FROM..TO` (of `sweep` and `breakeven`): reading
//! it must never panic, and a range it accepts must give, at any number of
//! steps, that many finite values from FROM to TO, both ends exact, each
//! between them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sscsim::sweep::{MAX_STEPS, Vary};

fuzz_target!(|data: &[u8]| {
    let Some((&steps, text)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let Ok(vary) = Vary::parse(text) else {
        return;
    };
    assert!(!vary.key.is_empty() && !vary.key.split('.').any(str::is_empty));
    assert!(vary.from.is_finite() && vary.to.is_finite() && vary.from != vary.to);
    let (low, high) = (vary.from.min(vary.to), vary.from.max(vary.to));
    for steps in [1, 2, u64::from(steps) + 1, MAX_STEPS] {
        let values = vary.values(steps);
        assert_eq!(values.len() as u64, steps);
        assert_eq!(values[0], vary.from);
        if steps > 1 {
            assert_eq!(values[values.len() - 1], vary.to);
        }
        assert!(
            values
                .iter()
                .all(|v| v.is_finite() && (low..=high).contains(v))
        );
    }
});
