//! What a new user meets first: shell completions, the manual page, and a
//! misspelt subcommand.

use assert_cmd::Command;
use predicates::prelude::*;

use crate::util::crate_dir;

fn sscsim() -> Command {
    Command::cargo_bin("sscsim").unwrap()
}

/// What a command printed to stdout, after checking it succeeded.
fn stdout_of(args: &[&str]) -> String {
    let assert = sscsim().args(args).assert().success();
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

/// The subcommands `sscsim --help` lists (but `help`): read from the help
/// itself, so that a new subcommand is checked without editing this test.
fn subcommands() -> Vec<String> {
    let help = stdout_of(&["--help"]);
    let listed = help
        .split("Commands:\n")
        .nth(1)
        .expect("a Commands: section in --help");
    let names: Vec<String> = listed
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect();
    for known in ["run", "batch", "validate", "completions", "man"] {
        assert!(names.iter().any(|n| n == known), "{known} not in {names:?}");
    }
    names
}

#[test]
fn the_bash_completion_offers_every_subcommand() {
    let script = stdout_of(&["completions", "bash"]);
    assert!(script.contains("complete -F _sscsim"), "{script:.400}");
    for name in subcommands() {
        // bash-completion's list of words after `sscsim`, and a case per
        // subcommand (`sscsim__subcmd__run)`, named by clap_complete).
        assert!(
            script.contains(&format!(" {name} ")) || script.contains(&format!(" {name}\"")),
            "`{name}` is not offered"
        );
        assert!(
            script.contains(&format!("sscsim__subcmd__{name})")),
            "no case for `{name}`"
        );
    }
}

#[test]
fn every_shell_gets_a_completion_script() {
    for (shell, marker) in [
        ("bash", "complete -F _sscsim"),
        ("zsh", "#compdef sscsim"),
        ("fish", "complete -c sscsim"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[sscsim]"),
    ] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: no `{marker}`");
    }
}

#[test]
fn an_unknown_shell_is_refused_with_the_shells_there_are() {
    sscsim()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("invalid value 'tcsh'"))
        .stderr(predicate::str::contains(
            "bash, elvish, fish, powershell, zsh",
        ));
}

#[test]
fn the_manual_page_is_roff_with_a_name_section_and_every_subcommand() {
    let page = stdout_of(&["man"]);
    assert!(
        page.contains("\n.TH sscsim 1 "),
        "no title line:\n{page:.400}"
    );
    assert!(
        page.contains("\n.SH NAME\nsscsim \\- Monte Carlo engine"),
        "no NAME section:\n{page:.600}"
    );
    for section in ["SYNOPSIS", "DESCRIPTION", "OPTIONS", "SUBCOMMANDS"] {
        assert!(page.contains(&format!("\n.SH {section}\n")), "no {section}");
    }
    for name in subcommands() {
        // roff escapes the hyphen of `sscsim-run(1)`.
        assert!(
            page.contains(&format!("\nsscsim\\-{name}(1)\n")),
            "`{name}` is not in the manual page"
        );
    }
    assert!(
        !page.contains("sscsim\\-help(1)"),
        "help has no page of its own"
    );
}

#[test]
fn man_out_writes_one_page_per_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man1");
    sscsim()
        .args(["man", "-o"])
        .arg(&pages)
        .assert()
        .success()
        .stdout("");
    let mut expected: Vec<String> = subcommands()
        .iter()
        .map(|name| format!("sscsim-{name}.1"))
        .collect();
    expected.push("sscsim.1".to_owned());
    expected.sort();
    let mut written: Vec<String> = std::fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    written.sort();
    assert_eq!(written, expected);
    let run = std::fs::read_to_string(pages.join("sscsim-run.1")).unwrap();
    assert!(
        run.contains("\n.SH NAME\nsscsim\\-run \\- Simulate a scenario"),
        "{run:.400}"
    );
    assert!(run.contains("\\-\\-replications"), "{run:.400}");
}

#[test]
fn a_misspelt_subcommand_is_refused_with_the_nearest_one() {
    sscsim()
        .current_dir(crate_dir())
        .args(["valdate", "scenarios/large.toml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "error: `valdate` is neither a subcommand nor an existing file; \
             expected a subcommand (run, explain,",
        ))
        .stderr(predicate::str::contains(
            "did you mean the subcommand `validate`?",
        ))
        .stderr(predicate::str::contains("scenario file").count(1));
}

#[test]
fn a_misspelt_scenario_is_refused_with_the_nearest_bundled_one() {
    let dir = tempfile::tempdir().unwrap();
    sscsim()
        .current_dir(crate_dir())
        .args(["budapest.toml", "-n", "3", "-o"])
        .arg(dir.path().join("out"))
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "did you mean the scenario file `scenarios/budapest-joint.toml`?",
        ))
        .stderr(predicate::str::contains("the subcommand `").not());
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

#[test]
fn without_a_scenarios_folder_only_the_subcommand_is_suggested() {
    let dir = tempfile::tempdir().unwrap();
    sscsim()
        .current_dir(dir.path())
        .arg("rn")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean the subcommand `run`?",
        ))
        .stderr(predicate::str::contains("the scenario file `").not());
}

#[test]
fn an_existing_scenario_file_as_first_argument_still_runs() {
    sscsim()
        .current_dir(crate_dir())
        .args(["scenarios/budapest-joint.toml", "-n", "2", "-q"])
        .assert()
        .success()
        .stdout(predicate::str::contains("P(pooled cheaper)"));
}
