//! Any patterns as an `[[input_group]]`'s `inputs`, in the default
//! scenario: reading must never panic; a group the scenario accepts holds
//! exactly the inputs some pattern matches (`*` any characters, every other
//! character itself, as a plain reference matcher reads it), and a
//! scenario is refused when a pattern matches no input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sscsim::scenario::{DEFAULT_SCENARIO_TOML, parse};

/// Patterns a group gets from one input, at most: enough for overlaps.
const MAX_PATTERNS: usize = 16;

/// `text` as a TOML basic string.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `text` matches `pattern`: dynamic programming over both, by
/// characters, independently of the scenario's own matcher.
fn reference_matches(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // `row[j]`: the pattern's first `i` characters match the text's first `j`.
    let mut row = vec![false; t.len() + 1];
    row[0] = true;
    for &c in &p {
        let mut next = vec![false; t.len() + 1];
        if c == '*' {
            let mut any = false;
            for j in 0..=t.len() {
                any |= row[j];
                next[j] = any;
            }
        } else {
            for j in 1..=t.len() {
                next[j] = row[j - 1] && t[j - 1] == c;
            }
        }
        row = next;
    }
    row[t.len()]
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let patterns: Vec<&str> = text.split('\n').take(MAX_PATTERNS).collect();
    let listed: Vec<String> = patterns.iter().map(|p| quoted(p)).collect();
    let scenario_text = format!(
        "{DEFAULT_SCENARIO_TOML}\n[[input_group]]\nname = \"fuzzed\"\ninputs = [{}]\n",
        listed.join(", ")
    );
    let every_pattern_matches = |names: &[&str]| {
        patterns
            .iter()
            .all(|p| names.iter().any(|n| reference_matches(p, n)))
    };
    match parse("fuzz.toml", &scenario_text) {
        Ok(scenario) => {
            let names: Vec<&str> = scenario.inputs.iter().map(|i| i.name.as_str()).collect();
            assert!(every_pattern_matches(&names));
            let group = scenario
                .input_groups
                .iter()
                .find(|g| g.name == "fuzzed")
                .expect("the group read");
            let expected: Vec<usize> = (0..names.len())
                .filter(|&i| patterns.iter().any(|p| reference_matches(p, names[i])))
                .collect();
            assert_eq!(group.inputs, expected);
        }
        Err(_) => {
            // The default scenario is valid: the group is what is refused.
            let scenario = parse("default.toml", DEFAULT_SCENARIO_TOML).expect("valid");
            let names: Vec<&str> = scenario.inputs.iter().map(|i| i.name.as_str()).collect();
            assert!(!every_pattern_matches(&names));
        }
    }
});
