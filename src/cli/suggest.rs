//! "Did you mean": a first argument that is neither a subcommand nor an
//! existing file.
//!
//! Without a subcommand, sscsim runs the scenario file its first argument
//! names (`sscsim my.toml` is `sscsim run my.toml`). So a misspelt
//! subcommand (`sscsim rn`) would be read as a scenario file that does not
//! exist, and the user would learn only that `rn` cannot be read. This
//! module catches that case before the arguments are parsed, says that the
//! argument is neither, and names the subcommand and the bundled scenario
//! file (in `./scenarios`) closest to it.

use std::ffi::OsString;
use std::path::Path;

use crate::text::visible;

/// Where the bundled scenarios are, relative to the working directory (a
/// clone of the repository).
const SCENARIO_FOLDER: &str = "scenarios";

/// How alike (normalised Damerau-Levenshtein similarity, 0 to 1) a name
/// must be to the argument to be suggested: `rn` is 0.67 like `run`,
/// `valdate` 0.88 like `validate`; below one half, more of the name would
/// have to change than stay, and the suggestion would be a guess.
const MIN_SIMILARITY: f64 = 0.5;

/// The message for a first argument that is neither one of `subcommands`
/// nor an existing file, or `None` when it is one of them, is an option,
/// or there is none.
pub(super) fn unknown_first_argument(args: &[OsString], subcommands: &[String]) -> Option<String> {
    let first = args.get(1)?.to_str()?;
    if first.starts_with('-') || subcommands.iter().any(|s| s == first) || Path::new(first).exists()
    {
        return None;
    }
    Some(message(first, subcommands, &bundled_scenarios()))
}

/// What to say about `argument`, given the subcommands and the scenario
/// files it could have meant.
fn message(argument: &str, subcommands: &[String], scenarios: &[String]) -> String {
    let mut text = format!(
        "`{}` is neither a subcommand nor an existing file; expected a subcommand ({}) \
         or the path of a scenario file",
        visible(argument),
        subcommands.join(", ")
    );
    if let Some(subcommand) = nearest(argument, subcommands.iter().map(String::as_str)) {
        text += &format!("\n  did you mean the subcommand `{subcommand}`?");
    }
    if let Some(scenario) = nearest_scenario(argument, scenarios) {
        text += &format!(
            "\n  did you mean the scenario file `{}`?",
            visible(scenario)
        );
    }
    text
}

/// What is wrong with `path` as a scenario file the user named — it does
/// not exist, or is a folder — with the nearest bundled scenario file as a
/// suggestion; `None` when it is a file (or cannot be looked at, which
/// reading it will report as the I/O failure it is).
///
/// A path that is not there is bad input, like a misspelt subcommand: the
/// user typed it, and can correct it.
pub(super) fn not_a_scenario_file(path: &Path) -> Option<String> {
    let problem = match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => "it is a folder",
        Ok(_) => return None,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "it does not exist",
        Err(_) => return None,
    };
    let mut text = format!("{problem}; expected the path of a scenario file");
    let argument = path.to_string_lossy();
    let scenarios = bundled_scenarios();
    if let Some(scenario) = nearest_scenario(&argument, &scenarios) {
        text += &format!(
            "\n  did you mean the scenario file `{}`?",
            visible(scenario)
        );
    }
    Some(text)
}

/// The bundled scenario file whose name is most like `argument`'s, if any
/// is alike enough.
fn nearest_scenario<'a>(argument: &str, scenarios: &'a [String]) -> Option<&'a String> {
    let stem = file_stem(argument);
    nearest(stem, scenarios.iter().map(|s| file_stem(s)))
        .and_then(|stem| scenarios.iter().find(|s| file_stem(s) == stem))
}

/// The `.toml` files of [`SCENARIO_FOLDER`], as paths to type, sorted; none
/// when there is no such folder.
fn bundled_scenarios() -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(SCENARIO_FOLDER) else {
        return Vec::new();
    };
    let mut files: Vec<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".toml"))
        .map(|name| format!("{SCENARIO_FOLDER}/{name}"))
        .collect();
    files.sort();
    files
}

/// A path's file name without its `.toml` extension: what a user means by
/// a scenario's name.
fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".toml").unwrap_or(name)
}

/// The candidate most like `argument`, if any is at least
/// [`MIN_SIMILARITY`] alike; the first of equals.
fn nearest<'a>(argument: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::normalized_damerau_levenshtein(argument, c), c))
        .filter(|(similarity, _)| *similarity >= MIN_SIMILARITY)
        .fold(
            None,
            |best: Option<(f64, &str)>, (similarity, c)| match best {
                Some((b, _)) if b >= similarity => best,
                _ => Some((similarity, c)),
            },
        )
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subcommands() -> Vec<String> {
        ["run", "explain", "batch", "pool", "validate"]
            .map(String::from)
            .to_vec()
    }

    fn scenarios() -> Vec<String> {
        ["scenarios/budapest-joint.toml", "scenarios/large.toml"]
            .map(String::from)
            .to_vec()
    }

    /// What sscsim says to `argument` among the subcommands and scenarios
    /// above, checked to contain `expected` and not `unexpected`.
    fn says(argument: &str, expected: &str, unexpected: &str) -> String {
        let text = message(argument, &subcommands(), &scenarios());
        assert!(text.contains(expected), "{text}");
        assert!(!text.contains(unexpected), "{text}");
        text
    }

    #[test]
    fn a_misspelt_subcommand_is_named() {
        // "rn" → "run": one insertion in three letters, similarity 2/3.
        says(
            "rn",
            "did you mean the subcommand `run`?",
            "scenario file `",
        );
    }

    #[test]
    fn a_misspelt_scenario_is_named_by_its_path() {
        // "budapest" → "budapest-joint": 6 insertions in 14, similarity 0.57.
        let expected = "did you mean the scenario file `scenarios/budapest-joint.toml`?";
        says("budapest.toml", expected, "the subcommand `");
    }

    #[test]
    fn nothing_alike_suggests_nothing() {
        let text = says("zzzzzz", "is neither a subcommand", "did you mean");
        assert!(
            text.starts_with("`zzzzzz` is neither a subcommand nor an existing file"),
            "{text}"
        );
    }

    #[test]
    fn the_nearest_is_the_most_alike_and_the_first_of_equals() {
        // "pol": "pool" 3/4 alike, "run" 0; "batc": "batch" 4/5.
        let names = ["run", "pool", "batch"];
        assert_eq!(nearest("pol", names.into_iter()), Some("pool"));
        assert_eq!(nearest("batc", names.into_iter()), Some("batch"));
        // "ab" is 1/2 alike "ax" and "xb" (one substitution in two): the first wins.
        assert_eq!(nearest("ab", ["ax", "xb"].into_iter()), Some("ax"));
    }

    #[test]
    fn options_subcommands_and_existing_files_are_left_to_the_parser() {
        let args = |first: &str| vec![OsString::from("sscsim"), OsString::from(first)];
        assert_eq!(unknown_first_argument(&args("-n"), &subcommands()), None);
        assert_eq!(unknown_first_argument(&args("run"), &subcommands()), None);
        assert_eq!(
            unknown_first_argument(&args("Cargo.toml"), &subcommands()),
            None
        );
        assert_eq!(
            unknown_first_argument(&args("sscsim")[..1], &subcommands()),
            None
        );
        assert!(unknown_first_argument(&args("rn"), &subcommands()).is_some());
    }
}
