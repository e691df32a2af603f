//! Plausibility warnings: values that are valid but implausible are
//! reported with their position, their plausible range and why, run
//! anyway, and are refused under `--deny-warnings`; no bundled scenario has
//! one.

use assert_cmd::Command;
use predicates::prelude::*;

use crate::util::{bundled_stems, bundled_text, files_under, fixture};

fn sscsim() -> Command {
    Command::cargo_bin("sscsim").unwrap()
}

/// The default scenario with `from` replaced by `to` (exactly once).
fn default_with(from: &str, to: &str) -> String {
    let text = bundled_text("budapest-joint");
    assert_eq!(text.matches(from).count(), 1, "{from}");
    text.replace(from, to)
}

/// The default scenario with UNHCR's HR volume growth set to `growth`.
fn with_unhcr_hr_growth(growth: &str) -> String {
    default_with(
        "volume_growth_rate_per_year = { dist = \"triangular\", min = 0.0, mode = 0.02, \
         max = 0.04 }   # assumption",
        &format!("volume_growth_rate_per_year = {growth}"),
    )
}

/// 1-based line and column of the first `needle` in `text`.
fn line_column(text: &str, needle: &str) -> (usize, usize) {
    let offset = text.find(needle).unwrap_or_else(|| panic!("no {needle}"));
    let line = text[..offset].matches('\n').count() + 1;
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

/// Asserts that `text` is valid and warns `message` (a prefix of the
/// warning) at `needle`, and of nothing else.
fn assert_warns_at(text: &str, needle: &str, message: &str) {
    let checked = sscsim::scenario::parse_checked("s.toml", text)
        .unwrap_or_else(|d| panic!("the scenario should be valid:\n{d}"));
    let (line, column) = line_column(text, needle);
    let warnings = &checked.warnings.problems;
    assert_eq!(warnings.len(), 1, "{}", checked.warnings);
    let w = &warnings[0];
    assert_eq!((w.line, w.column), (line, column), "{}", checked.warnings);
    assert!(w.message.starts_with(message), "{}", w.message);
}

#[test]
fn a_general_service_cost_of_45_usd_a_year_warns_at_the_value() {
    let text = default_with("{ GS = 145000,", "{ GS = 45,");
    assert_warns_at(
        &text,
        "45, P = 235000",
        "location.geneva.annual_cost_usd_per_fte.GS is 45; plausible from 10000 to 250000 USD a \
         year: a standard cost per FTE-year",
    );
}

#[test]
fn a_discount_rate_of_100_percent_warns() {
    let text = default_with(
        "discount_rate_per_year = 0.03",
        "discount_rate_per_year = 1",
    );
    assert_warns_at(
        &text,
        "1      # assumption: a real social",
        "settings.discount_rate_per_year is 1; plausible from 0 to 0.1 a year (0.035 means \
         3.5%): public appraisal discounts at 3.5%",
    );
}

#[test]
fn an_effort_of_a_hundredth_of_a_minute_warns() {
    let text = default_with(
        "{ dist = \"triangular\", min = 4.3, mode = 5.8, max = 8.6 }",
        "0.01",
    );
    assert_warns_at(
        &text,
        "0.01\nservice_level_target_days = 3",
        "service_line.payroll.effort_minutes_per_transaction is 0.01; plausible from 1 to 2400 \
         minutes",
    );
}

#[test]
fn a_distribution_warns_when_its_central_90_percent_leaves_the_range() {
    // Triangular from 0.3 to 0.7 with mode 0.5: its 5th percentile is
    // 0.3 + sqrt(0.05 × 0.4 × 0.2) = 0.3632, its 95th 0.7 − 0.0632 = 0.6368.
    let text = with_unhcr_hr_growth("{ dist = \"triangular\", min = 0.3, mode = 0.5, max = 0.7 }");
    assert_warns_at(
        &text,
        "{ dist = \"triangular\", min = 0.3",
        "agency.unhcr.service_line.hr.volume_growth_rate_per_year has its central 90% from \
         0.3632 to 0.6368; plausible from -0.15 to 0.15 a year",
    );
}

#[test]
fn a_distribution_whose_tail_alone_leaves_the_range_does_not_warn() {
    // Uniform from 0 to 0.155: only the top 0.005 / 0.155 = 3% is above 0.15.
    let text = with_unhcr_hr_growth("{ dist = \"uniform\", min = 0.0, max = 0.155 }");
    let checked = sscsim::scenario::parse_checked("s.toml", &text).unwrap();
    assert!(checked.warnings.is_empty(), "{}", checked.warnings);
}

#[test]
fn no_bundled_scenario_warns() {
    for stem in bundled_stems() {
        let checked = sscsim::scenario::parse_checked(&stem, &bundled_text(&stem))
            .unwrap_or_else(|d| panic!("{stem} is invalid:\n{d}"));
        assert!(checked.warnings.is_empty(), "{stem}:\n{}", checked.warnings);
    }
}

#[test]
fn a_currency_other_than_usd_is_refused_at_its_value_and_alone() {
    let text = default_with("currency = \"USD\"", "currency = \"GBP\"");
    let problems = sscsim::scenario::parse("s.toml", &text)
        .expect_err("GBP is refused")
        .problems;
    // Only the currency: the settings it belongs to are still read, so
    // what refers to the horizon is not reported in its turn.
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(
        (problems[0].line, problems[0].column),
        line_column(&text, "\"GBP\"")
    );
    assert_eq!(
        problems[0].message,
        "currency is \"GBP\"; expected \"USD\": every amount of a scenario, and every default \
         sscsim fills in, is in US dollars; convert amounts to USD (e.g. at the UN operational \
         rate of exchange) or leave currency out"
    );
}

/// A folder holding `bad.toml`, the default scenario with a GS cost of 45.
fn implausible_file() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    let text = default_with("{ GS = 145000,", "{ GS = 45,");
    std::fs::write(&path, &text).unwrap();
    let (line, column) = line_column(&text, "45, P = 235000");
    (dir, path, format!("bad.toml:{line}:{column}: warning: "))
}

#[test]
fn validate_prints_warnings_on_stderr_with_the_snippet_and_succeeds() {
    let (_dir, path, position) = implausible_file();
    let out = sscsim().arg("validate").arg(&path).assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stdout.contains(": ok — ") && !stdout.contains("warning"),
        "{stdout}"
    );
    let header = stderr.lines().next().unwrap();
    assert!(
        header.ends_with(&format!(
            "{position}location.geneva.annual_cost_usd_per_fte.GS is 45; plausible from 10000 to \
         250000 USD a year: a standard cost per FTE-year (salary, post adjustment, common staff \
         costs); assumption: bounds around the bundled scenarios' costs, which span offshore \
         centres and headquarters (JIU/REP/2009/6: Budapest saves 66% of FAO's staff costs \
         against Rome, para 48; an NPO in Kuala Lumpur costs a quarter of a P-3 in Geneva, para \
         74); a cost outside is most likely in the wrong unit"
        )),
        "{stderr}"
    );
    // The value is underlined in its line, as errors are.
    assert!(
        stderr.contains("annual_cost_usd_per_fte = { GS = 45,"),
        "{stderr}"
    );
    assert!(stderr.contains("^^"), "{stderr}");
    assert!(
        stderr.ends_with("has 1 implausible value (--deny-warnings makes it an error)\n"),
        "{stderr}"
    );
}

#[test]
fn deny_warnings_exits_2_before_anything_is_written_in_every_command() {
    let (dir, path, position) = implausible_file();
    let out = dir.path().join("results");
    let path = path.to_str().unwrap();
    let out_dir = out.to_str().unwrap();
    for args in [
        vec!["validate", path],
        vec!["run", path, "-n", "2", "-o", out_dir],
        vec!["explain", path, "-n", "2", "-o", out_dir],
        vec!["pool", path, "-n", "2", "-o", out_dir],
        vec!["batch", path, "-n", "2", "-o", out_dir],
    ] {
        let assert = sscsim()
            .args(&args)
            .arg("--deny-warnings")
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty());
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains(&position), "{args:?}: {stderr}");
        assert!(
            stderr.ends_with("has 1 implausible value, denied by --deny-warnings\n"),
            "{args:?}: {stderr}"
        );
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
    }
}

#[test]
fn warnings_go_to_stderr_and_not_into_the_results() {
    // The hand-computed fixture has easy numbers, several implausible: its
    // exact results are checked in tests/cli.rs with its warnings printed.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let run = sscsim()
        .arg("run")
        .arg(fixture("hand-computed.toml"))
        .args(["-n", "3", "-q", "-o"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains(": warning: "), "{stderr}");
    assert!(
        !stdout.contains("warning") && !stdout.contains("plausible"),
        "{stdout}"
    );
    for file in files_under(&out) {
        let bytes = std::fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("plausible from"), "{}", file.display());
    }
}
