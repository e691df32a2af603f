//! Golden files: every output file of every bundled scenario, byte for byte.
//!
//! Each scenario in `scenarios/*.toml` is run through the `sscsim` binary —
//! `run`, `explain` when it compares a fragmented and a pooled strategy,
//! `pool` when it has a `[pool]` table and no more agencies than the
//! coalition search takes, each with `--report` — at a few
//! replications and its own seed, and every file the command writes is
//! compared with the stored copy in `tests/golden/<scenario>/<command>/<file>`.
//! Any change of any number, column, label or chart shows here, so a change
//! of the code's structure that must not change results can be checked
//! against it.
//!
//! What differs from run to run is normalised before a file is stored and
//! before it is compared, and everything else is kept:
//! - `manifest.toml`: the values of `sscsim_version`, `threads`, `started_at`
//!   and `finished_at` become `"(varies)"`; the scenario is given by a path
//!   relative to the crate, so `scenario_path` stays as it is;
//! - `report.html`: the version and the finishing time it shows become
//!   `(varies)`, and each embedded `base64,` blob (the font) becomes its
//!   SHA-256, which keeps the comparison exact and the stored copy small.
//!
//! `results.xlsx` is not written (no `--xlsx`): it is a compressed archive
//! that records when the run finished; `tests/xlsx.rs` checks that its cells
//! are those of the CSV files compared here.
//!
//! When a change of results is meant, regenerate the stored files with
//!
//! ```sh
//! SSCSIM_BLESS_GOLDEN=1 cargo test --test integration golden
//! ```
//!
//! and commit them with the change, saying why. A stored file that is
//! missing, or one the command no longer writes, is a failure.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use sscsim::pool::{Game, PoolError};
use sscsim::results::manifest::sha256_hex;

use crate::util::{bundled, bundled_stems, crate_dir};

/// Set (to anything) to rewrite the stored files instead of comparing.
const BLESS_VARIABLE: &str = "SSCSIM_BLESS_GOLDEN";

/// The command that rewrites the stored files, for failure messages.
const BLESS_COMMAND: &str = "SSCSIM_BLESS_GOLDEN=1 cargo test --test integration golden";

/// Replications of `run` and `explain`: enough for every percentile and
/// chart to have something to show, few enough to keep `tests/golden` small.
const REPLICATIONS: &str = "12";

/// Replications of `pool`, which keeps every coalition's cost in memory.
const POOL_REPLICATIONS: &str = "4";

/// Coalition structures `pool` ranks.
const POOL_TOP: &str = "3";

/// Characters shown either side of the first difference in a long line.
const CONTEXT_CHARS: usize = 60;

/// Placeholder for a value that differs from run to run.
const VARIES: &str = "(varies)";

/// Manifest keys whose values differ from run to run.
const VARYING_MANIFEST_KEYS: [&str; 4] = ["sscsim_version", "threads", "started_at", "finished_at"];

/// One command on one scenario, and where its stored files live.
struct Case {
    scenario: String,
    command: &'static str,
    args: Vec<&'static str>,
}

impl Case {
    fn golden_dir(&self) -> PathBuf {
        crate_dir()
            .join("tests/golden")
            .join(&self.scenario)
            .join(self.command)
    }

    fn name(&self) -> String {
        format!("{} {}", self.scenario, self.command)
    }
}

/// `run` for every scenario; `explain` and `pool` where the scenario has
/// what they need.
fn cases_of(scenario: &str) -> Vec<Case> {
    let parsed = bundled(scenario);
    let mut cases = vec![Case {
        scenario: scenario.to_owned(),
        command: "run",
        args: vec!["-n", REPLICATIONS],
    }];
    if parsed.comparison.is_some() {
        cases.push(Case {
            scenario: scenario.to_owned(),
            command: "explain",
            args: vec!["-n", REPLICATIONS],
        });
    }
    // A scenario with more agencies than the search takes (the UN system's
    // thirty) has no `pool` files to compare until the search takes it.
    let searchable = !matches!(
        Game::players_and_locations(&parsed, None),
        Err(PoolError::TooManyAgencies(_))
    );
    if parsed.pool.is_some() && searchable {
        cases.push(Case {
            scenario: scenario.to_owned(),
            command: "pool",
            args: vec!["-n", POOL_REPLICATIONS, "--top", POOL_TOP],
        });
    }
    cases
}

/// Runs the case into `out` and returns its files, normalised, by name.
fn fresh_files(case: &Case, out: &Path) -> Vec<(String, String)> {
    Command::cargo_bin("sscsim")
        .unwrap()
        .current_dir(crate_dir())
        .arg(case.command)
        .arg(format!("scenarios/{}.toml", case.scenario))
        .args(&case.args)
        .args(["-j", "2", "-q", "--report", "-o"])
        .arg(out)
        .assert()
        .success();
    let manifest = std::fs::read_to_string(out.join("manifest.toml")).unwrap();
    file_names(out)
        .into_iter()
        .map(|name| {
            let text = std::fs::read_to_string(out.join(&name))
                .unwrap_or_else(|e| panic!("{}: {name} is not text: {e}", case.name()));
            let text = normalise(&name, &text, &manifest);
            (name, text)
        })
        .collect()
}

/// Names of the files in `dir`, sorted; empty when it does not exist.
fn file_names(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Replaces what differs from run to run with placeholders; see the module
/// doc. `manifest` is the text of the folder's `manifest.toml`.
fn normalise(name: &str, text: &str, manifest: &str) -> String {
    match name {
        "manifest.toml" => normalise_manifest(text),
        "report.html" => digest_base64_blobs(&normalise_report(text, manifest)),
        _ => text.to_owned(),
    }
}

fn normalise_manifest(text: &str) -> String {
    text.lines()
        .map(|line| match line.split_once(" = ") {
            Some((key, _)) if VARYING_MANIFEST_KEYS.contains(&key) => {
                format!("{key} = \"{VARIES}\"\n")
            }
            _ => format!("{line}\n"),
        })
        .collect()
}

/// The value of `key` in the manifest's text, without quotes.
fn manifest_value<'a>(manifest: &'a str, key: &str) -> &'a str {
    manifest
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(" = "))
        .unwrap_or_else(|| panic!("manifest.toml has no {key}:\n{manifest}"))
        .trim_matches('"')
}

/// The report shows the version (in the header, the footer and the
/// `generator` tag) and when the run finished.
fn normalise_report(text: &str, manifest: &str) -> String {
    let version = manifest_value(manifest, "sscsim_version");
    let finished = manifest_value(manifest, "finished_at");
    let text = text
        .replace(&format!("sscsim {version}"), &format!("sscsim {VARIES}"))
        .replace(
            &format!("<dt>sscsim version</dt><dd>{version}</dd>"),
            &format!("<dt>sscsim version</dt><dd>{VARIES}</dd>"),
        )
        .replace(
            &format!("<dd>{finished}</dd>"),
            &format!("<dd>{VARIES}</dd>"),
        );
    // The finishing time as the page shows it: a `<time>` element whose
    // text is the same time in words.
    let start = format!("<dd><time datetime=\"{finished}\">");
    match text.find(&start) {
        Some(at) => match text[at..].find("</time></dd>") {
            Some(len) => format!(
                "{}<dd>{VARIES}</dd>{}",
                &text[..at],
                &text[at + len + "</time></dd>".len()..]
            ),
            None => text,
        },
        None => text,
    }
}

/// Replaces each `base64,` blob with the SHA-256 of its text.
fn digest_base64_blobs(text: &str) -> String {
    const MARKER: &str = "base64,";
    let is_base64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(MARKER) {
        let (before, after) = rest.split_at(start + MARKER.len());
        let blob_len = after.find(|c| !is_base64(c)).unwrap_or(after.len());
        let (blob, tail) = after.split_at(blob_len);
        out.push_str(before);
        out.push_str(&format!("(sha256 {})", sha256_hex(blob.as_bytes())));
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// Where `stored` and `fresh` first differ: the line number and both
/// versions of the line (around the difference when it is long), not the
/// whole file.
fn first_difference(stored: &str, fresh: &str) -> String {
    let mut stored_lines = stored.lines();
    let mut fresh_lines = fresh.lines();
    for number in 1.. {
        match (stored_lines.next(), fresh_lines.next()) {
            (Some(s), Some(f)) if s == f => continue,
            (Some(s), Some(f)) => {
                let (column, s, f) = around_difference(s, f);
                return format!("line {number}, column {column}:\n  stored: {s}\n  fresh:  {f}");
            }
            (Some(s), None) => return format!("line {number}: only stored has it:\n  {s}"),
            (None, Some(f)) => return format!("line {number}: only fresh has it:\n  {f}"),
            (None, None) => break,
        }
    }
    "line ends: the lines are the same, their ends (`\\n`, `\\r\\n`, the last one) are not"
        .to_owned()
}

/// The 1-based column of the first differing character, and both lines cut
/// to `CONTEXT_CHARS` characters either side of it.
fn around_difference(stored: &str, fresh: &str) -> (usize, String, String) {
    let same = stored
        .chars()
        .zip(fresh.chars())
        .take_while(|(s, f)| s == f)
        .count();
    let start = same.saturating_sub(CONTEXT_CHARS);
    let cut = |line: &str| -> String {
        let mut part: String = line.chars().skip(start).take(2 * CONTEXT_CHARS).collect();
        if start > 0 {
            part.insert(0, '…');
        }
        if line.chars().count() > start + 2 * CONTEXT_CHARS {
            part.push('…');
        }
        part
    };
    (same + 1, cut(stored), cut(fresh))
}

/// Compares the case's fresh files with the stored ones; one message per
/// difference.
fn compare(case: &Case, fresh: &[(String, String)]) -> Vec<String> {
    let dir = case.golden_dir();
    if !dir.exists() {
        return vec![format!(
            "{}: no stored copies in {}; if the new case is meant, run `{BLESS_COMMAND}`",
            case.name(),
            dir.strip_prefix(crate_dir()).unwrap().display()
        )];
    }
    let mut problems = Vec::new();
    for (name, text) in fresh {
        let path = dir.join(name);
        let shown = path.strip_prefix(crate_dir()).unwrap().display();
        match std::fs::read_to_string(&path) {
            Err(_) => problems.push(format!(
                "{}: {name}: no stored copy at {shown}; if the new file is meant, run `{BLESS_COMMAND}`",
                case.name()
            )),
            Ok(stored) if stored != *text => problems.push(format!(
                "{}: {name} differs from {shown} at {}",
                case.name(),
                first_difference(&stored, text)
            )),
            Ok(_) => {}
        }
    }
    for name in file_names(&dir) {
        if !fresh.iter().any(|(written, _)| *written == name) {
            problems.push(format!(
                "{}: {name} is stored but no longer written; if that is meant, run `{BLESS_COMMAND}`",
                case.name()
            ));
        }
    }
    problems
}

/// Replaces the case's stored files with the fresh ones.
fn bless(case: &Case, fresh: &[(String, String)]) {
    let dir = case.golden_dir();
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in fresh {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

#[test]
fn every_output_file_of_every_bundled_scenario_matches_its_golden_copy() {
    let blessing = std::env::var_os(BLESS_VARIABLE).is_some();
    let scenarios = bundled_stems();
    assert!(!scenarios.is_empty(), "no scenarios in scenarios/");
    let mut problems = Vec::new();
    for scenario in &scenarios {
        for case in cases_of(scenario) {
            let out = tempfile::tempdir().unwrap();
            let fresh = fresh_files(&case, out.path());
            if blessing {
                bless(&case, &fresh);
            } else {
                problems.extend(compare(&case, &fresh));
            }
        }
    }
    for stored in file_names(&crate_dir().join("tests/golden")) {
        // `.gitattributes` keeps git from converting line ends.
        if !stored.starts_with('.') && !scenarios.contains(&stored) {
            problems.push(format!(
                "tests/golden/{stored} has no scenario in scenarios/; remove it"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} difference(s) from the golden files:\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

#[test]
fn a_difference_is_shown_at_its_first_line_and_column_with_both_versions() {
    let stored = "a,b\n1,2\n3,4\n";
    let fresh = "a,b\n1,5\n3,4\n";
    assert_eq!(
        first_difference(stored, fresh),
        "line 2, column 3:\n  stored: 1,2\n  fresh:  1,5"
    );
    assert_eq!(
        first_difference("a\n", "a\nb\n"),
        "line 2: only fresh has it:\n  b"
    );
    assert!(first_difference("a\n", "a").starts_with("line ends"));
    // A long line is cut to the characters around the difference.
    let long = |c: char| format!("{}{c}{}", "x".repeat(200), "y".repeat(200));
    let message = first_difference(&long('1'), &long('2'));
    let around = format!("…{}", "x".repeat(CONTEXT_CHARS));
    assert!(message.starts_with("line 1, column 201:\n"), "{message}");
    assert!(
        message.contains(&format!(
            "stored: {around}1{}…",
            "y".repeat(CONTEXT_CHARS - 1)
        )),
        "{message}"
    );
}

#[test]
fn normalising_keeps_everything_but_what_varies_from_run_to_run() {
    let manifest = "sscsim_version = \"0.1.0\"\nscenario_name = \"Twins\"\nseed = 5\n\
                    threads = 8\nstarted_at = \"2026-01-01T00:00:00Z\"\n\
                    finished_at = \"2026-01-01T00:00:01Z\"\ncommand = \"run\"\n";
    assert_eq!(
        normalise("manifest.toml", manifest, manifest),
        "sscsim_version = \"(varies)\"\nscenario_name = \"Twins\"\nseed = 5\n\
         threads = \"(varies)\"\nstarted_at = \"(varies)\"\n\
         finished_at = \"(varies)\"\ncommand = \"run\"\n"
    );
    let report = "<meta content=\"sscsim 0.1.0\"><dt>sscsim version</dt><dd>0.1.0</dd>\
                  <dd>2026-01-01T00:00:01Z</dd><dd>0.1.0x</dd>url(data:font/ttf;base64,YWJj)";
    assert_eq!(
        normalise("report.html", report, manifest),
        "<meta content=\"sscsim (varies)\"><dt>sscsim version</dt><dd>(varies)</dd>\
         <dd>(varies)</dd><dd>0.1.0x</dd>url(data:font/ttf;base64,(sha256 \
         35d95694d3f160215db293c7899daa5907837838fb4b8119ed713e32446c1266))"
    );
    assert_eq!(normalise("summary.csv", report, manifest), report);
}
