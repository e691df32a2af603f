//! `--decimal-comma`: every command that writes CSV writes, with it, the
//! same values as without it, with `;` between fields, decimal commas and
//! a UTF-8 byte-order mark; without it, the tidy CSV of before. A folder
//! written either way is read back by `report` and the workbook.

use std::path::Path;

use assert_cmd::Command;

use crate::util::{bundled_path, files_under};

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Runs `sscsim ARGS -o DIR` twice, without and with `--decimal-comma`,
/// into `root/tidy` and `root/comma`.
fn run_both(root: &Path, args: &[&str]) {
    for (dir, extra) in [("tidy", None), ("comma", Some("--decimal-comma"))] {
        Command::cargo_bin("sscsim")
            .unwrap()
            .args(args)
            .args(extra)
            .args(["-q", "-j", "2", "-o"])
            .arg(root.join(dir))
            .assert()
            .success();
    }
}

/// A CSV file's records, read with `delimiter`.
fn records(path: &Path, delimiter: u8) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_path(path)
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// Checks that every CSV file of `root/tidy` has a twin in `root/comma`
/// with a byte-order mark, `;` separators, and the same cells once decimal
/// commas are read as points: numbers equal as numbers, text as text.
/// Returns how many files and number cells were compared.
fn assert_same_values(root: &Path) -> (usize, usize) {
    let (mut files, mut numbers) = (0, 0);
    for tidy in files_under(&root.join("tidy")) {
        if tidy.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let name = tidy.strip_prefix(root.join("tidy")).unwrap();
        let comma = root.join("comma").join(name);
        let tidy_bytes = std::fs::read(&tidy).unwrap();
        let comma_bytes = std::fs::read(&comma).unwrap();
        assert!(!tidy_bytes.starts_with(BOM), "{}", tidy.display());
        assert!(comma_bytes.starts_with(BOM), "{}", comma.display());
        let (expected, found) = (records(&tidy, b','), records(&comma, b';'));
        assert_eq!(expected.len(), found.len(), "{}", name.display());
        for (want, got) in expected.iter().zip(&found) {
            assert_eq!(want.len(), got.len(), "{}: {got:?}", name.display());
            for (w, g) in want.iter().zip(got) {
                match w.parse::<f64>() {
                    Ok(x) if x.is_finite() => {
                        assert!(!g.contains('.'), "{}: {g}", name.display());
                        let y: f64 = g.replace(',', ".").parse().unwrap();
                        assert_eq!(x.to_bits(), y.to_bits(), "{}: {w} vs {g}", name.display());
                        numbers += usize::from(w.contains('.'));
                    }
                    _ => assert_eq!(w, g, "{}", name.display()),
                }
            }
        }
        files += 1;
    }
    (files, numbers)
}

#[test]
fn run_writes_the_same_values_in_either_dialect_and_the_bom_only_with_the_flag() {
    let root = tempfile::tempdir().unwrap();
    run_both(root.path(), &["run", "-n", "12", "--xlsx", "--report"]);
    let (files, numbers) = assert_same_values(root.path());
    assert!(files >= 7, "{files} files compared");
    assert!(numbers > 100, "{numbers} decimal numbers compared");
    let manifest = std::fs::read_to_string(root.path().join("comma/manifest.toml")).unwrap();
    assert!(
        manifest.contains("csv_dialect = \"decimal-comma\""),
        "{manifest}"
    );
    let manifest = std::fs::read_to_string(root.path().join("tidy/manifest.toml")).unwrap();
    assert!(!manifest.contains("csv_dialect"), "{manifest}");
}

#[test]
fn explain_and_pool_write_the_same_values_in_either_dialect() {
    let root = tempfile::tempdir().unwrap();
    run_both(root.path(), &["explain", "-n", "8"]);
    assert_eq!(assert_same_values(root.path()).0, 2);
    let root = tempfile::tempdir().unwrap();
    run_both(root.path(), &["pool", "-n", "4", "--top", "3"]);
    assert_eq!(assert_same_values(root.path()).0, 2);
}

#[test]
fn batch_writes_the_same_values_in_either_dialect() {
    let root = tempfile::tempdir().unwrap();
    let scenario = bundled_path("budapest-joint");
    run_both(
        root.path(),
        &["batch", scenario.to_str().unwrap(), "-n", "6"],
    );
    let (files, _) = assert_same_values(root.path());
    assert!(files >= 8, "{files} files compared");
}

#[test]
fn merge_writes_the_same_values_in_either_dialect() {
    let root = tempfile::tempdir().unwrap();
    for shard in ["1/2", "2/2"] {
        Command::cargo_bin("sscsim")
            .unwrap()
            .args(["run", "-n", "8", "-q", "--shard", shard, "-o"])
            .arg(root.path().join(shard.replace('/', "-")))
            .assert()
            .success();
    }
    let shards = [root.path().join("1-2"), root.path().join("2-2")];
    let merged = tempfile::tempdir().unwrap();
    let shard_args: Vec<&str> = shards.iter().map(|s| s.to_str().unwrap()).collect();
    let args: Vec<&str> = ["merge"].into_iter().chain(shard_args).collect();
    run_both(merged.path(), &args);
    let (files, _) = assert_same_values(merged.path());
    assert!(files >= 7, "{files} files compared");
}

#[test]
fn report_reads_a_decimal_comma_folder_as_its_tidy_twin() {
    let root = tempfile::tempdir().unwrap();
    run_both(root.path(), &["run", "-n", "12"]);
    let page = |dir: &str| {
        let dir = root.path().join(dir);
        Command::cargo_bin("sscsim")
            .unwrap()
            .arg("report")
            .arg(&dir)
            .assert()
            .success();
        let text = std::fs::read_to_string(dir.join("report.html")).unwrap();
        // The two runs differ only in when they finished.
        let start = text
            .find("<dt>Finished</dt>")
            .expect("the report says when");
        let end = start + text[start..].find("</dd>").unwrap();
        format!("{}{}", &text[..start], &text[end..])
    };
    let tidy = page("tidy");
    assert!(tidy.contains("Costs and savings"));
    assert!(tidy == page("comma"), "the reports differ");
}
