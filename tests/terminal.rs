//! No control character from a scenario, a file name or an argument
//! reaches the terminal or the report raw: each is shown as `\u{1b}`.

use std::path::Path;

use assert_cmd::Command;

use crate::util::fixture_text;

const ESC: u8 = 0x1b;

fn sscsim() -> Command {
    Command::cargo_bin("sscsim").unwrap()
}

/// The hand-computed fixture with `ESC [2J` (clear the screen) in its name,
/// written in TOML as `\u001b`.
fn scenario_with_escape_in_name() -> String {
    fixture_text("hand-computed.toml").replace(
        "name = \"Hand-computed\"",
        "name = \"Hand\\u001b[2J\\u009b31m-computed\"",
    )
}

/// Runs `sscsim args` and returns its stdout and stderr together.
fn output_of(args: &[&str]) -> (Option<i32>, Vec<u8>) {
    let output = sscsim().args(args).output().unwrap();
    let mut all = output.stdout;
    all.extend(output.stderr);
    (output.status.code(), all)
}

fn assert_no_raw_control(bytes: &[u8], context: &str) {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !bytes.contains(&ESC) && !text.contains('\u{9b}'),
        "{context}: a raw control character in\n{text:?}"
    );
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn a_name_with_an_escape_sequence_is_shown_escaped_by_validate_run_and_batch() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", &scenario_with_escape_in_name());
    let out = dir.path().join("out");
    let batch_out = dir.path().join("batch");
    let runs: [Vec<&str>; 3] = [
        vec!["validate", &file],
        vec!["run", &file, "-n", "3", "-o", out.to_str().unwrap()],
        vec!["batch", &file, "-n", "3", "-o", batch_out.to_str().unwrap()],
    ];
    for args in runs {
        let (code, all) = output_of(&args);
        assert_eq!(code, Some(0), "{args:?}: {}", String::from_utf8_lossy(&all));
        assert_no_raw_control(&all, &args[0..1].join(" "));
        if args[0] == "run" {
            let text = String::from_utf8_lossy(&all);
            assert!(text.contains("Hand\\u{1b}[2J\\u{9b}31m-computed"), "{text}");
        }
    }
}

#[test]
fn an_unknown_key_with_an_escape_is_echoed_escaped() {
    let text = fixture_text("hand-computed.toml")
        .replace("seed = 1\n", "seed = 1\n\"bad\\u001b[2Jkey\" = 2\n");
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", &text);
    let (code, all) = output_of(&["validate", &file]);
    assert_eq!(code, Some(2), "{}", String::from_utf8_lossy(&all));
    assert_no_raw_control(&all, "validate");
    assert!(
        String::from_utf8_lossy(&all).contains("bad\\u{1b}[2Jkey"),
        "{}",
        String::from_utf8_lossy(&all)
    );
}

/// TOML refuses a raw control character; the line the error shows has it
/// escaped.
#[test]
fn a_raw_escape_in_the_file_is_shown_escaped_in_the_snippet() {
    let text = fixture_text("hand-computed.toml").replace(
        "seed = 1\n",
        "seed = 1   # \u{1b}[2J\u{9b}31m in a comment\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", &text);
    let (code, all) = output_of(&["validate", &file]);
    assert_eq!(code, Some(2), "{}", String::from_utf8_lossy(&all));
    assert_no_raw_control(&all, "validate");
    assert!(
        String::from_utf8_lossy(&all).contains("seed = 1   # \\u{1b}[2J\\u{9b}31m in a comment"),
        "{}",
        String::from_utf8_lossy(&all)
    );
}

#[test]
fn a_file_name_with_an_escape_is_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let text = fixture_text("hand-computed.toml");
    let file = write(dir.path(), "x\u{1b}[2J.toml", &text);
    let out = dir.path().join("o\u{1b}[2Jut");
    for args in [
        vec!["validate", file.as_str()],
        vec!["run", &file, "-n", "3", "-o", out.to_str().unwrap()],
    ] {
        let (code, all) = output_of(&args);
        assert_eq!(code, Some(0), "{}", String::from_utf8_lossy(&all));
        assert_no_raw_control(&all, args[0]);
        assert!(String::from_utf8_lossy(&all).contains("x\\u{1b}[2J.toml"));
    }
    // An error naming the file: the folder now has files.
    let (code, all) = output_of(&["run", &file, "-n", "3", "-o", out.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert_no_raw_control(&all, "run into a folder with files");
}

#[test]
fn report_html_shows_a_name_with_an_escape_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", &scenario_with_escape_in_name());
    let out = dir.path().join("out");
    sscsim()
        .args(["run", &file, "-q", "-n", "3", "-o"])
        .arg(&out)
        .arg("--report")
        .assert()
        .success();
    let html = std::fs::read(out.join("report.html")).unwrap();
    assert_no_raw_control(&html, "report.html");
    assert!(String::from_utf8_lossy(&html).contains("Hand\\u{1b}[2J"));
}
