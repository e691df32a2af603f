//! `--parquet`: the Parquet copies of `replications.csv` and `years.csv`
//! read back with Apache Arrow's reader and compared with the CSV, value
//! for value; shards' files together are the single run's.

use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::Array;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt64Type};
use arrow_schema::DataType;
use assert_cmd::Command;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::util::read_csv;

/// sscsim, steered by no array job the tests themselves run in.
fn sscsim() -> Command {
    let mut command = Command::cargo_bin("sscsim").unwrap();
    for variable in [
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_MIN",
        "JOB_COMPLETION_INDEX",
        "AWS_BATCH_JOB_ARRAY_INDEX",
    ] {
        command.env_remove(variable);
    }
    command
}

/// A value of a Parquet file, as read.
#[derive(Debug, PartialEq)]
enum Value {
    Null,
    Text(String),
    Count(u64),
    Number(f64),
}

/// A Parquet file's column names, types and rows.
struct Table {
    columns: Vec<String>,
    types: Vec<DataType>,
    rows: Vec<Vec<Value>>,
}

fn read_parquet(path: &Path) -> Table {
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let schema = builder.schema().clone();
    let mut rows = Vec::new();
    for batch in builder.build().unwrap() {
        let batch = batch.unwrap();
        for row in 0..batch.num_rows() {
            let values = batch.columns().iter().map(|column| {
                if column.is_null(row) {
                    return Value::Null;
                }
                match column.data_type() {
                    DataType::Utf8 => Value::Text(column.as_string::<i32>().value(row).to_owned()),
                    DataType::UInt64 => {
                        Value::Count(column.as_primitive::<UInt64Type>().value(row))
                    }
                    DataType::Float64 => {
                        Value::Number(column.as_primitive::<Float64Type>().value(row))
                    }
                    other => panic!("unexpected column type {other}"),
                }
            });
            rows.push(values.collect());
        }
    }
    Table {
        columns: schema.fields().iter().map(|f| f.name().clone()).collect(),
        types: schema
            .fields()
            .iter()
            .map(|f| f.data_type().clone())
            .collect(),
        rows,
    }
}

/// Asserts that `parquet` holds the rows of `csv`, value for value: text
/// as written, counts as their decimal digits, numbers to the bit (the CSV
/// writes the shortest decimal that parses back to the same double), an
/// empty cell as null. Returns the number of rows compared.
fn assert_same_table(csv: &Path, parquet: &Path) -> usize {
    let (header, csv_rows) = read_csv(csv);
    let table = read_parquet(parquet);
    assert_eq!(table.columns, header, "{}: columns", parquet.display());
    assert_eq!(
        table.rows.len(),
        csv_rows.len(),
        "{}: rows",
        parquet.display()
    );
    for (r, (cells, values)) in csv_rows.iter().zip(&table.rows).enumerate() {
        for ((cell, value), column) in cells.iter().zip(values).zip(&header) {
            let same = match value {
                Value::Null => cell.is_empty(),
                Value::Text(text) => text == cell,
                Value::Count(count) => count.to_string() == *cell,
                Value::Number(x) => cell
                    .parse::<f64>()
                    .is_ok_and(|parsed| parsed.to_bits() == x.to_bits()),
            };
            assert!(
                same,
                "row {r}, column {column}: CSV `{cell}`, Parquet {value:?}"
            );
        }
    }
    csv_rows.len()
}

/// Runs `sscsim run` with `args` into `out`.
fn run(args: &[&str], out: &Path) {
    sscsim()
        .args(["run", "-q", "-o"])
        .arg(out)
        .args(args)
        .assert()
        .success();
}

#[test]
fn a_runs_parquet_tables_hold_its_csv_tables_value_for_value() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(&["-n", "7", "-s", "11", "--parquet"], &out);

    let rows = assert_same_table(
        &out.join("replications.csv"),
        &out.join("replications.parquet"),
    );
    let strategies = sscsim::scenario::default_scenario().strategies.len();
    assert_eq!(rows, 7 * strategies, "one row per replication and strategy");
    let replications = read_parquet(&out.join("replications.parquet"));
    assert_eq!(replications.types[0], DataType::UInt64);
    assert_eq!(replications.types[1], DataType::Utf8);
    assert!(
        replications.types[2..]
            .iter()
            .all(|t| *t == DataType::Float64)
    );

    assert_same_table(&out.join("years.csv"), &out.join("years.parquet"));
    let years = read_parquet(&out.join("years.parquet"));
    let expected = [
        DataType::Utf8,
        DataType::UInt64,
        DataType::Utf8,
        DataType::Float64,
        DataType::Float64,
        DataType::Float64,
        DataType::Float64,
    ];
    assert_eq!(years.types, expected);
}

#[test]
fn a_run_without_the_option_writes_no_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(&["-n", "2"], &out);
    assert!(!out.join("replications.parquet").exists());
    assert!(!out.join("years.parquet").exists());
}

/// Three shards of `args` with `--parquet` in `root/1` to `root/3`.
fn three_parquet_shards(args: &[&str], root: &Path) -> Vec<PathBuf> {
    (1..=3)
        .map(|i| {
            let dir = root.join(i.to_string());
            let shard = format!("{i}/3");
            let mut shard_args = vec!["--shard", &shard, "--parquet"];
            shard_args.extend_from_slice(args);
            run(&shard_args, &dir);
            dir
        })
        .collect()
}

#[test]
fn shards_parquet_files_together_are_the_single_runs_and_merge_to_its_bytes() {
    let root = tempfile::tempdir().unwrap();
    let args = ["-n", "8", "-s", "5"];
    let single = root.path().join("single");
    let mut single_args = vec!["--parquet"];
    single_args.extend_from_slice(&args);
    run(&single_args, &single);
    let shards = three_parquet_shards(&args, root.path());

    // The union of the shards' rows, in shard order, is the single run's
    // table: every row under its global replication index.
    let whole = read_parquet(&single.join("replications.parquet"));
    let mut union = Vec::new();
    for shard in &shards {
        let part = read_parquet(&shard.join("replications.parquet"));
        assert_eq!(part.columns, whole.columns);
        assert_eq!(part.types, whole.types);
        assert!(
            !part.rows.is_empty(),
            "8 replications give every shard some"
        );
        union.extend(part.rows);
    }
    assert_eq!(union, whole.rows);

    // Shards that wrote Parquet merge to the single run's files, byte for
    // byte, without being asked.
    let merged = root.path().join("merged");
    sscsim()
        .args(["merge", "-q"])
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();
    for file in ["replications.parquet", "years.parquet"] {
        let expected = std::fs::read(single.join(file)).unwrap();
        let got = std::fs::read(merged.join(file))
            .unwrap_or_else(|e| panic!("merged folder lacks {file}: {e}"));
        assert!(expected == got, "{file} differs from the single run's");
    }
}

#[test]
fn parquet_into_a_folder_that_cannot_be_made_is_a_clear_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let out = file.join("out");
    let assert = sscsim()
        .args(["run", "-q", "-n", "2", "--parquet", "-o"])
        .arg(&out)
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("cannot create the output folder") && stderr.contains("a-file"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "only the file that was there");
}
