//! A bounded fuzz run of the scenario parser, validator and simulation, on
//! stable Rust inside the test suite (the open-ended run is the cargo-fuzz
//! target in `fuzz/`): no input may panic, and a scenario that validates
//! must simulate without a panic and without a NaN or infinity in its
//! results.
//!
//! Inputs are random text, and the bundled scenarios mutated the way a
//! hurried author would: a number replaced by an extreme, a value by one of
//! the wrong type, a line deleted, duplicated or moved, the file cut short.

use proptest::prelude::*;
use sscsim::metrics::{YEAR_METRIC_MAY_BE_MISSING, YEAR_METRICS};
use sscsim::run::replication_metrics;
use sscsim::scenario::parse;
use sscsim::sim::{Workspace, simulate_replication};

/// Numbers at the edges of what a scenario may hold, and beyond.
const EXTREME_NUMBERS: [&str; 14] = [
    "0",
    "-0.0",
    "-1",
    "1e-308",
    "1e308",
    "-1e308",
    "nan",
    "inf",
    "-inf",
    "9223372036854775807",
    "-9223372036854775808",
    "0.999999999",
    "1e9",
    "366",
];

/// Values of every type, for any key.
const ODD_VALUES: [&str; 10] = [
    "\"\"",
    "\"x\"",
    "[]",
    "[1, 2]",
    "{}",
    "{ GS = -1 }",
    "true",
    "1979-05-27",
    "{ dist = \"normal\", mean = 1, sd = 1e300 }",
    "{ dist = \"triangular\", min = 3, mode = 2, max = 1 }",
];

/// A replication is simulated only when it holds at most this many daily
/// arrival counts, so a mutation that makes the horizon long stays quick.
const MAX_SIMULATED_CELLS: usize = 2_000_000;

fn bundled() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// One edit of `lines` at `at`, chosen by `op` and `choice`.
fn mutate(lines: &mut Vec<String>, op: u8, at: usize, choice: usize) {
    if lines.is_empty() {
        return;
    }
    let i = at % lines.len();
    match op {
        0 => {
            // The first number on the line becomes an extreme.
            let line = &lines[i];
            if let Some(start) = line.find(|c: char| c.is_ascii_digit()) {
                let end = line[start..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
                    .map_or(line.len(), |n| start + n);
                let extreme = EXTREME_NUMBERS[choice % EXTREME_NUMBERS.len()];
                lines[i] = format!("{}{extreme}{}", &line[..start], &line[end..]);
            }
        }
        1 => {
            lines.remove(i);
        }
        2 => {
            let line = lines[i].clone();
            lines.insert(i, line);
        }
        3 => {
            // The value after `=` becomes one of another type.
            if let Some(eq) = lines[i].find('=') {
                let odd = ODD_VALUES[choice % ODD_VALUES.len()];
                lines[i] = format!("{}= {odd}", &lines[i][..eq]);
            }
        }
        4 => {
            let line = lines.remove(i);
            let to = choice % (lines.len() + 1);
            lines.insert(to, line);
        }
        5 => {
            // Delete every table of the kind the line is in, e.g. every
            // [[location]].
            let header = lines[..=i]
                .iter()
                .rev()
                .find(|l| l.starts_with('['))
                .cloned();
            if let Some(header) = header {
                let mut keep = true;
                lines.retain(|l| {
                    if l.starts_with('[') {
                        keep = *l != header;
                    }
                    keep
                });
            }
        }
        _ => {
            // Cut the file short, possibly mid-line.
            lines.truncate(i + 1);
            let last = lines.last_mut().expect("one line is left");
            let mut cut = choice % (last.len() + 1);
            while !last.is_char_boundary(cut) {
                cut -= 1;
            }
            last.truncate(cut);
        }
    }
}

/// Parses `text`; when it validates and is small enough, simulates one
/// replication and checks every result is a number.
fn check(text: &str) -> Result<(), TestCaseError> {
    let Ok(scenario) = parse("fuzz.toml", text) else {
        return Ok(());
    };
    let s = &scenario.settings;
    let cells = scenario.agencies.len()
        * scenario.service_lines.len()
        * s.working_days_per_year as usize
        * s.horizon_years as usize;
    if cells > MAX_SIMULATED_CELLS {
        return Ok(());
    }
    let outcome = simulate_replication(&scenario, 1, 0, &mut Workspace::default());
    let Ok(metrics) = replication_metrics(&scenario, &outcome) else {
        // An undefined result is reported as an error: that is allowed.
        return Ok(());
    };
    for (s, years) in metrics.years.iter().enumerate() {
        for (y, year) in years.iter().enumerate() {
            let number = |(name, v): (&&str, &f64)| {
                v.is_finite() || (*name == YEAR_METRIC_MAY_BE_MISSING && v.is_nan())
            };
            prop_assert!(
                YEAR_METRICS.iter().zip(year).all(number),
                "strategy {s}, year {y}: {year:?}"
            );
        }
    }
    for centres in &metrics.centres {
        for c in centres {
            let values = [c.transactions, c.running_cost_usd, c.fte];
            prop_assert!(values.iter().all(|v| v.is_finite()), "{c:?}");
        }
    }
    if let Some(d) = &metrics.decomposition {
        prop_assert!(d.parts().iter().all(|v| v.is_finite()), "{:?}", d.parts());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_is_read_without_a_panic(text in any::<String>()) {
        let _ = parse("fuzz.toml", &text);
    }

    #[test]
    fn toml_like_text_is_read_without_a_panic(
        text in "(\\[\\[?[a-z_.]{1,12}\\]\\]?\n|[a-z_]{1,12} = ([0-9.e+-]{1,8}|\"[a-z]{0,6}\"|\\{ [a-z]{1,4} = [0-9]{1,3} \\})\n){0,30}"
    ) {
        let _ = parse("fuzz.toml", &text);
    }

    #[test]
    fn mutated_bundled_scenarios_never_panic_or_give_a_nan(
        scenario in 0usize..64,
        edits in proptest::collection::vec((0u8..7, any::<usize>(), any::<usize>()), 1..4),
    ) {
        let bundled = bundled();
        let text = &bundled[scenario % bundled.len()];
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        for (op, at, choice) in edits {
            mutate(&mut lines, op, at, choice);
        }
        check(&lines.join("\n"))?;
    }
}
