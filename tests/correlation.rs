//! Rank-correlated uncertain inputs: names that identify inputs, the
//! Gaussian copula's rank correlation and marginals, and its validation.

use std::collections::HashSet;
use std::path::Path;

use crate::util::parse;

/// Text of every bundled scenario, with its file name.
fn bundled_scenarios() -> Vec<(String, String)> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<(String, String)> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn input_names_are_unique_in_every_bundled_scenario() {
    let files = bundled_scenarios();
    assert!(files.len() >= 6);
    for (name, text) in files {
        let scenario = parse(&text);
        let mut seen = HashSet::new();
        for input in &scenario.inputs {
            assert!(
                seen.insert(input.name.as_str()),
                "{name}: `{}` names two inputs",
                input.name
            );
        }
    }
}
