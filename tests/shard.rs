//! Shards as separate processes, merged: the same files as one process,
//! and clear refusals when the shards are not one complete run.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

use sscsim::metrics::{Metric, YearMetric};
use sscsim::run::ReplicationMetrics;

use crate::util::{comparable_manifest, twins};

/// The array-job variables `--shards` reads; cleared so that a test run
/// inside an array job is not steered by its own index.
const INDEX_VARIABLES: [&str; 6] = [
    "SLURM_ARRAY_TASK_ID",
    "SLURM_ARRAY_TASK_MIN",
    "SLURM_ARRAY_TASK_STEP",
    "SLURM_ARRAY_TASK_COUNT",
    "JOB_COMPLETION_INDEX",
    "AWS_BATCH_JOB_ARRAY_INDEX",
];

fn sscsim() -> Command {
    let mut command = Command::cargo_bin("sscsim").unwrap();
    for variable in INDEX_VARIABLES {
        command.env_remove(variable);
    }
    command
}

/// The data files a run writes; the manifest is compared apart.
const DATA_FILES: [&str; 12] = [
    "replications.csv",
    "summary.csv",
    "years.csv",
    "centres.csv",
    "differences.csv",
    "lines.csv",
    "sensitivity.csv",
    "voi.csv",
    "global_sensitivity.csv",
    "decomposition_summary.csv",
    "agencies.csv",
    "dominance.csv",
];

/// Asserts that `merged` has every data file of `single`, byte for byte.
fn assert_same_files(single: &Path, merged: &Path) {
    for file in DATA_FILES {
        let expected = std::fs::read(single.join(file)).unwrap();
        let got = std::fs::read(merged.join(file))
            .unwrap_or_else(|e| panic!("merged folder lacks {file}: {e}"));
        assert!(expected == got, "{file} differs from the single run's");
    }
    assert_eq!(comparable_manifest(single), comparable_manifest(merged));
}

/// Runs `args` (a scenario and options) as shard `i` of `n` into `dir`.
fn run_shard(args: &[&str], i: u64, n: u64, dir: &Path) {
    sscsim()
        .args(["run", "-q", "--shard", &format!("{i}/{n}"), "-o"])
        .arg(dir)
        .args(args)
        .assert()
        .success();
}

/// Three shards of `args` in `root/1`, `root/2`, `root/3`.
fn three_shards(args: &[&str], root: &Path) -> Vec<PathBuf> {
    (1..=3)
        .map(|i| {
            let dir = root.join(i.to_string());
            run_shard(args, i, 3, &dir);
            dir
        })
        .collect()
}

fn merge(shards: &[&PathBuf], out: &Path) -> assert_cmd::assert::Assert {
    sscsim()
        .args(["merge", "-q"])
        .args(shards)
        .arg("--out")
        .arg(out)
        .assert()
}

#[test]
fn three_shards_merged_write_the_files_of_one_run_byte_for_byte() {
    // The embedded default scenario: every output file, a comparison, and
    // uncertain inputs for the sensitivity table.
    let root = tempfile::tempdir().unwrap();
    let args = ["-n", "40", "-s", "11"];
    let shards = three_shards(&args, root.path());
    for shard in &shards {
        assert!(shard.join("replications.bin").is_file());
        assert!(shard.join("shard-scenario.toml").is_file());
    }
    let merged = root.path().join("merged");
    // Given in any order.
    let merge_out = merge(&[&shards[2], &shards[0], &shards[1]], &merged).success();
    let single = root.path().join("single");
    let single_out = sscsim()
        .args(["run", "-q", "-o"])
        .arg(&single)
        .args(args)
        .assert()
        .success();
    assert_same_files(&single, &merged);
    assert_eq!(
        merge_out.get_output().stdout,
        single_out.get_output().stdout,
        "the printed tables differ"
    );
    let manifest = std::fs::read_to_string(merged.join("manifest.toml")).unwrap();
    assert!(manifest.contains("command = \"merge\""), "{manifest}");
    assert!(manifest.contains("merged_shards = 3"), "{manifest}");
}

#[test]
fn shards_past_the_exact_values_merge_to_the_single_runs_sketched_summaries() {
    // 1 005 replications, past the 1 000 values a summary keeps exactly,
    // of a small scenario with random arrivals and an uncertain input. The
    // shards take their index from array-job variables, as on a cluster.
    let root = tempfile::tempdir().unwrap();
    let scenario = root.path().join("twins.toml");
    let text = twins(
        "\"poisson\"",
        "[comparison]\nfragmented = \"solo\"\npooled = \"pooled\"\n",
    )
    .replace(
        "availability_share = 0.75",
        "availability_share = { dist = \"triangular\", min = 0.7, mode = 0.75, max = 0.8 }",
    );
    std::fs::write(&scenario, text).unwrap();
    let scenario = scenario.to_str().unwrap();
    let args = [scenario, "-n", "1005", "-s", "3", "-q", "--shards", "3"];
    let environments: [&[(&str, &str)]; 3] = [
        // A Slurm array --array=1-3, task 1; a Kubernetes Indexed Job's
        // pod 1 (0-based: shard 2); an AWS Batch child 2 (shard 3).
        &[
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ],
        &[("JOB_COMPLETION_INDEX", "1")],
        &[("AWS_BATCH_JOB_ARRAY_INDEX", "2")],
    ];
    let mut shards = Vec::new();
    for (i, environment) in environments.iter().enumerate() {
        let dir = root.path().join(format!("shard-{i}"));
        let mut command = sscsim();
        command.arg("run").args(args).arg("-o").arg(&dir);
        for (name, value) in *environment {
            command.env(name, value);
        }
        command.assert().success();
        let manifest = std::fs::read_to_string(dir.join("manifest.toml")).unwrap();
        assert!(
            manifest.contains(&format!("shard = \"{}/3\"", i + 1)),
            "{manifest}"
        );
        shards.push(dir);
    }
    let merged = root.path().join("merged");
    merge(&shards.iter().collect::<Vec<_>>(), &merged).success();
    let single = root.path().join("single");
    sscsim()
        .args(["run", scenario, "-n", "1005", "-s", "3", "-q", "-o"])
        .arg(&single)
        .assert()
        .success();
    assert_same_files(&single, &merged);
}

/// Three shards of 9 replications of the small scenario in `root`.
fn small_shards(root: &Path, seed: &str) -> Vec<PathBuf> {
    let scenario = root.join("twins.toml");
    std::fs::write(&scenario, twins("\"poisson\"", "")).unwrap();
    let args = [scenario.to_str().unwrap(), "-n", "9", "-s", seed];
    three_shards(&args, &root.join(format!("seed-{seed}")))
}

#[test]
fn a_missing_shard_is_refused_naming_its_replications() {
    let root = tempfile::tempdir().unwrap();
    let shards = small_shards(root.path(), "1");
    merge(&[&shards[0], &shards[2]], &root.path().join("out"))
        .code(2)
        .stderr(predicate::str::contains(
            "replications 3 to 5 are missing (shard 2/3)",
        ));
    assert!(!root.path().join("out/manifest.toml").exists());
}

#[test]
fn a_duplicated_shard_is_refused_naming_both_folders() {
    let root = tempfile::tempdir().unwrap();
    let shards = small_shards(root.path(), "1");
    let again = root.path().join("again");
    run_shard(
        &[
            root.path().join("twins.toml").to_str().unwrap(),
            "-n",
            "9",
            "-s",
            "1",
        ],
        2,
        3,
        &again,
    );
    merge(
        &[&shards[0], &shards[1], &again, &shards[2]],
        &root.path().join("out"),
    )
    .code(2)
    .stderr(predicate::str::contains("replications 3 to 5 are in both"))
    .stderr(predicate::str::contains("again"));
}

#[test]
fn shards_of_different_seeds_are_refused() {
    let root = tempfile::tempdir().unwrap();
    let one = small_shards(root.path(), "1");
    let two = small_shards(root.path(), "2");
    merge(&[&one[0], &two[1], &one[2]], &root.path().join("out"))
        .code(2)
        .stderr(predicate::str::contains("the shards are not of one run"))
        .stderr(predicate::str::contains("has seed 1"))
        .stderr(predicate::str::contains("has 2"));
}

#[test]
fn a_replay_file_changed_after_the_shard_wrote_it_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let shards = small_shards(root.path(), "1");
    let replay = shards[1].join("replications.bin");
    let mut bytes = std::fs::read(&replay).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&replay, bytes).unwrap();
    let shards: Vec<&PathBuf> = shards.iter().collect();
    merge(&shards, &root.path().join("out"))
        .failure()
        .stderr(predicate::str::contains("replications.bin"));
}

/// A merge of `shards` into `out` under a 2 GiB address-space limit, so
/// that a large allocation fails the command instead of passing unseen.
#[cfg(unix)]
fn merge_in_little_memory(shards: &[PathBuf], out: &Path) -> std::process::Output {
    let mut script = format!(
        "ulimit -v 2097152; exec '{}' merge -q -j 1",
        assert_cmd::cargo::cargo_bin("sscsim").display()
    );
    for shard in shards {
        script += &format!(" '{}'", shard.display());
    }
    script += &format!(" --out '{}'", out.display());
    std::process::Command::new("sh")
        .args(["-c", &script])
        .output()
        .unwrap()
}

/// Rewrites a shard's manifest so that its `replay_sha256` is that of the
/// replay file as it now is: a shard folder tampered with throughout.
fn rehash_manifest(shard: &Path) {
    let replay = std::fs::read(shard.join("replications.bin")).unwrap();
    let sha = sscsim::results::manifest::sha256_hex(&replay);
    let path = shard.join("manifest.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text: String = text
        .lines()
        .map(|l| {
            if l.starts_with("replay_sha256 =") {
                format!("replay_sha256 = \"{sha}\"\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(path, text).unwrap();
}

fn append(path: &Path, bytes: &[u8]) {
    let mut all = std::fs::read(path).unwrap();
    all.extend_from_slice(bytes);
    std::fs::write(path, all).unwrap();
}

#[cfg(unix)]
#[test]
fn a_replay_file_with_four_bytes_appended_is_refused_by_its_checksum_without_a_large_allocation() {
    let root = tempfile::tempdir().unwrap();
    let shards = small_shards(root.path(), "1");
    append(&shards[1].join("replications.bin"), &[0xFF; 4]);
    let output = merge_in_little_memory(&shards, &root.path().join("out"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("replications.bin has SHA-256"), "{stderr}");
    assert!(
        stderr.contains("changed after the shard wrote it"),
        "{stderr}"
    );
    assert!(!root.path().join("out").exists());
}

#[cfg(unix)]
#[test]
fn a_record_longer_than_the_file_is_refused_before_it_is_read_even_with_a_matching_checksum() {
    let root = tempfile::tempdir().unwrap();
    let shards = small_shards(root.path(), "1");
    append(&shards[1].join("replications.bin"), &[0xFF; 4]);
    rehash_manifest(&shards[1]);
    let output = merge_in_little_memory(&shards, &root.path().join("out"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("record 3 is 4294967295 bytes long, but only 0 bytes follow"),
        "{stderr}"
    );
    let out = root.path().join("out");
    assert!(!out.exists() || crate::util::files_under(&out).is_empty());
}

#[test]
fn a_flipped_byte_in_a_replay_file_is_refused_by_its_checksum() {
    let root = tempfile::tempdir().unwrap();
    let shards = small_shards(root.path(), "1");
    let replay = shards[2].join("replications.bin");
    let mut bytes = std::fs::read(&replay).unwrap();
    // A byte inside the first record, past the header and its length.
    bytes[20] ^= 0x40;
    std::fs::write(&replay, bytes).unwrap();
    let shards: Vec<&PathBuf> = shards.iter().collect();
    merge(&shards, &root.path().join("out"))
        .code(2)
        .stderr(predicate::str::contains("replications.bin has SHA-256"))
        .stderr(predicate::str::contains("changed after the shard wrote it"));
}

/// Rewrites shard `shard`'s replay file with `change` applied to its
/// first replication, and its manifest to match.
fn tamper_first_replication(shard: &Path, change: impl Fn(&mut ReplicationMetrics)) {
    use sscsim::results::replay::{ReplayReader, ReplayWriter};
    let path = shard.join("replications.bin");
    let file = std::fs::File::open(&path).unwrap();
    let length = file.metadata().unwrap().len();
    let mut replications: Vec<ReplicationMetrics> = ReplayReader::new(file, length)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    change(&mut replications[0]);
    let mut writer = ReplayWriter::new(Vec::new()).unwrap();
    for r in &replications {
        writer.write(r).unwrap();
    }
    let (bytes, _, _) = writer.finish().unwrap();
    std::fs::write(&path, bytes).unwrap();
    rehash_manifest(shard);
}

#[test]
fn values_a_run_never_writes_are_refused_even_with_a_matching_checksum() {
    type Change = fn(&mut ReplicationMetrics);
    let cases: [(Change, &str); 6] = [
        (
            |m| m.strategies[1][Metric::NpvCostUsd] = Some(f64::NAN),
            "npv_cost_usd of strategy `solo` is NaN; expected a finite number",
        ),
        (
            |m| m.strategies[1][Metric::CheaperThanStatusQuo] = Some(0.5),
            "cheaper_than_status_quo of strategy `solo` is 0.5; expected 0 or 1",
        ),
        (
            |m| m.strategies[0][Metric::ServiceLevel] = Some(1.5),
            "service_level of strategy `status_quo` is 1.5; expected a share from 0 to 1",
        ),
        (
            |m| m.strategies.push(m.strategies[0]),
            "it has 4 strategies; expected 3",
        ),
        (
            |m| m.inputs.push(1.0),
            "it has 1 uncertain inputs; expected 0",
        ),
        (
            |m| m.years[0][0][YearMetric::AnnualCostUsd] = Some(f64::INFINITY),
            "annual_cost_usd of strategy `status_quo` is not finite (inf)",
        ),
    ];
    for (change, message) in cases {
        let root = tempfile::tempdir().unwrap();
        let shards = small_shards(root.path(), "1");
        tamper_first_replication(&shards[1], change);
        let shards: Vec<&PathBuf> = shards.iter().collect();
        merge(&shards, &root.path().join("out"))
            .code(2)
            .stderr(predicate::str::contains("replications.bin"))
            .stderr(predicate::str::contains(message));
        assert!(!root.path().join("out/manifest.toml").exists());
    }
}

#[test]
fn the_largest_seed_goes_through_shards_merge_and_report() {
    let root = tempfile::tempdir().unwrap();
    let seed = u64::MAX.to_string();
    let shards = small_shards(root.path(), &seed);
    let manifest = std::fs::read_to_string(shards[0].join("manifest.toml")).unwrap();
    // TOML integers are signed 64-bit: the seed is written as text.
    assert!(
        manifest.contains(&format!("seed = \"{seed}\"\n")),
        "{manifest}"
    );
    let merged = root.path().join("merged");
    let shards: Vec<&PathBuf> = shards.iter().collect();
    merge(&shards, &merged).success();
    let single = root.path().join("single");
    sscsim()
        .args(["run", "-q", "-n", "9", "-s", &seed, "-o"])
        .arg(&single)
        .arg(root.path().join("twins.toml"))
        .assert()
        .success();
    assert_same_files(&single, &merged);
    sscsim().arg("report").arg(&merged).assert().success();
    let html = std::fs::read_to_string(merged.join("report.html")).unwrap();
    assert!(html.contains(&seed));
}

#[test]
fn shard_options_are_checked_before_anything_runs() {
    let out = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["-n", "10", "--shard", "4/3"], "shard 4/3 does not exist"),
        (&["-n", "10", "--shard", "2-3"], "expected I/N"),
        (
            &["-n", "2", "--shard", "1/3"],
            "3 shards for 2 replications",
        ),
        (&["-n", "10", "--shards", "3"], "give --shard I/3"),
        (
            &["-n", "10", "--shard", "1/2", "--precision", "1"],
            "--precision cannot be used with a shard",
        ),
    ];
    for (args, message) in cases {
        sscsim()
            .args(["run", "-q", "-o"])
            .arg(out.path())
            .args(args)
            .assert()
            .failure()
            .stderr(predicate::str::contains(message));
    }
    assert!(!out.path().join("manifest.toml").exists());
}

mod split {
    //! Same seed, same bytes: at any number of threads, and in any split
    //! into shards, checked with proptest on random seeds, run lengths,
    //! thread counts and shard counts (a few cases: each runs several
    //! processes).

    use proptest::prelude::*;

    use super::{DATA_FILES, sscsim};

    /// Runs `run -n N -s SEED -j THREADS` of the default scenario into a
    /// new folder in `dir` and returns it.
    fn run(dir: &std::path::Path, name: &str, n: u64, seed: u64, extra: &[String]) {
        sscsim()
            .args([
                "run",
                "-q",
                "-n",
                &n.to_string(),
                "-s",
                &seed.to_string(),
                "-o",
            ])
            .arg(dir.join(name))
            .args(extra)
            .assert()
            .success();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(6))]

        #[test]
        fn same_bytes_at_any_thread_count_and_shard_split(
            seed in any::<u64>(),
            n in 2u64..40,
            threads in 2u64..=4,
            shards in 2u64..=4,
        ) {
            let shards = shards.min(n);
            let dir = tempfile::tempdir().unwrap();
            run(dir.path(), "one", n, seed, &["-j".into(), "1".into()]);
            run(dir.path(), "threads", n, seed, &["-j".into(), threads.to_string()]);
            for i in 1..=shards {
                let name = format!("shard{i}");
                let shard = format!("{i}/{shards}");
                run(dir.path(), &name, n, seed, &["--shard".into(), shard, "-j".into(), threads.to_string()]);
            }
            let mut merge = sscsim();
            merge.args(["merge", "-q", "-o"]).arg(dir.path().join("merged"));
            for i in 1..=shards {
                merge.arg(dir.path().join(format!("shard{i}")));
            }
            merge.assert().success();
            for file in DATA_FILES {
                let one = std::fs::read(dir.path().join("one").join(file)).unwrap();
                for other in ["threads", "merged"] {
                    let bytes = std::fs::read(dir.path().join(other).join(file)).unwrap();
                    prop_assert!(bytes == one, "{file} differs in {other}");
                }
            }
        }
    }
}
