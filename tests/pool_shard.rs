//! The heuristic coalition search split into shards of its restarts
//! (`pool --search heuristic --shard I/N`), merged: the files and table of
//! one process, and clear refusals when the shards are not one complete
//! search.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use sscsim::pool::lazy::{DEFAULT_CACHE_COALITIONS, LazyGame};
use sscsim::pool::search::CoalitionCosts;
use sscsim::pool::{Coalition, Game, search_structures};
use sscsim::run::Cancel;

use crate::util::{bundled_path, comparable_manifest, parse};

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
    command.timeout(Duration::from_secs(600));
    command
}

/// The search of every test: the bundled ten-agency UN-system scenario,
/// few replications, five restarts (2, 2 and 1 in three shards).
fn search_args(seed: &str) -> Vec<String> {
    let scenario = bundled_path("un-system-ssc");
    [
        scenario.to_str().unwrap(),
        "-q",
        "-n",
        "3",
        "--seed",
        seed,
        "--search",
        "heuristic",
        "--restarts",
        "5",
        "--top",
        "4",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// Runs `pool` with `args` and returns its stdout, asserting success.
fn pool(args: &[String], extra: &[&str], out: &Path) -> String {
    let output = sscsim()
        .arg("pool")
        .args(args)
        .args(extra)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Three shards of the search of `seed` in `root/1`, `root/2`, `root/3`;
/// the second picked by `--shards 3` from a Kubernetes index, as an array
/// job's task would.
fn three_shards(seed: &str, root: &Path) -> Vec<PathBuf> {
    let args = search_args(seed);
    (1..=3u64)
        .map(|i| {
            let dir = root.join(i.to_string());
            if i == 2 {
                let output = sscsim()
                    .arg("pool")
                    .args(&args)
                    .args(["--shards", "3", "-o"])
                    .arg(&dir)
                    .env("JOB_COMPLETION_INDEX", "1")
                    .output()
                    .unwrap();
                assert!(output.status.success());
            } else {
                pool(&args, &["--shard", &format!("{i}/3")], &dir);
            }
            dir
        })
        .collect()
}

fn merge(shards: &[&PathBuf], out: &Path) -> std::process::Output {
    sscsim()
        .args(["merge", "-q"])
        .args(shards)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// Asserts that a merge failed with exit code 2, saying `expected`, and
/// left no result in `out`.
fn assert_refused(output: &std::process::Output, out: &Path, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    assert!(!out.join("manifest.toml").exists());
    assert!(!out.join("coalitions.csv").exists());
}

/// The whole check, in one test so that the shards run once: three shards
/// merged (given out of order) are the single run byte for byte (both
/// files, the printed table, the manifest but its command, threads and
/// times); a missing shard, a shard given twice, and a shard of another
/// search (another seed) are refused with exit code 2 and nothing written.
#[test]
fn three_pool_shards_merged_are_the_single_search_byte_for_byte() {
    let root = tempfile::tempdir().unwrap();
    let single = root.path().join("single");
    let single_table = pool(&search_args("11"), &[], &single);
    let shards = three_shards("11", &root.path().join("shards"));
    for shard in &shards {
        assert!(shard.join("pool_shard.toml").is_file());
        assert!(
            !shard.join("coalitions.csv").exists(),
            "a shard has no results"
        );
    }
    let manifest = std::fs::read_to_string(shards[1].join("manifest.toml")).unwrap();
    for line in [
        "shard = \"2/3\"",
        "[pool]",
        "restarts = 5",
        "first_restart = 2",
        "last_restart = 3",
    ] {
        assert!(manifest.contains(line), "{line} not in {manifest}");
    }

    let merged = root.path().join("merged");
    let output = merge(&[&shards[2], &shards[0], &shards[1]], &merged);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for file in ["coalitions.csv", "allocation.csv"] {
        let expected = std::fs::read(single.join(file)).unwrap();
        let got = std::fs::read(merged.join(file)).unwrap();
        assert!(expected == got, "{file} differs from the single run's");
    }
    assert_eq!(String::from_utf8(output.stdout).unwrap(), single_table);
    assert!(single_table.contains("Heuristic search (--restarts 5)"));
    assert_eq!(comparable_manifest(&single), comparable_manifest(&merged));
    assert!(
        std::fs::read_to_string(merged.join("manifest.toml"))
            .unwrap()
            .contains("merged_shards = 3")
    );

    let out = root.path().join("missing");
    let output = merge(&[&shards[0], &shards[2]], &out);
    assert_refused(&output, &out, "shard 2/3 is missing");

    let out = root.path().join("twice");
    let output = merge(&[&shards[0], &shards[1], &shards[1], &shards[2]], &out);
    assert_refused(&output, &out, "shard 2/3 is given twice");

    let other = root.path().join("other");
    pool(&search_args("12"), &["--shard", "2/3"], &other);
    let out = root.path().join("mixed");
    let output = merge(&[&shards[0], &other, &shards[2]], &out);
    assert_refused(&output, &out, "the shards are not of one search");
    assert_refused(&output, &out, "has seed 11");
}

/// The exact search (the default at ten agencies, or asked for) is not
/// split: `--shard` with it is refused with exit code 2, naming
/// `--search heuristic`; so are more shards than restarts.
#[test]
fn a_shard_of_the_exact_search_or_of_too_few_restarts_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let scenario = bundled_path("un-system-ssc");
    for search in [&[][..], &["--search", "exact"][..]] {
        let out = root.path().join("exact");
        let output = sscsim()
            .arg("pool")
            .arg(&scenario)
            .args(["-q", "-n", "2", "--shard", "1/2"])
            .args(search)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("pass --search heuristic"), "{stderr}");
        assert!(!out.join("manifest.toml").exists());
    }
    let out = root.path().join("few");
    let output = sscsim()
        .arg("pool")
        .arg(&scenario)
        .args(["-q", "-n", "2", "--search", "heuristic", "--restarts", "2"])
        .args(["--shard", "1/3", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("3 shards for 2 restarts"), "{stderr}");
}

/// A search on the lazy game, which cancels `token` once it has asked for
/// `cancel_after` batches: the token a command's Ctrl-C sets.
struct CancelAfter<'a> {
    lazy: LazyGame<'a>,
    token: Cancel,
    cancel_after: usize,
    calls: usize,
    /// Coalitions the game had evaluated when the token was cancelled.
    evaluated_at_cancel: Option<u64>,
}

impl CoalitionCosts for CancelAfter<'_> {
    fn players(&self) -> usize {
        self.lazy.players()
    }
    fn options(&self) -> usize {
        self.lazy.options()
    }
    fn mean_costs(&mut self, coalitions: &[Coalition]) -> Vec<f64> {
        let costs = self.lazy.mean_costs(coalitions);
        self.calls += 1;
        if self.calls == self.cancel_after {
            self.token.cancel();
            self.evaluated_at_cancel = Some(self.lazy.evaluated());
        }
        costs
    }
    fn stopped(&self) -> bool {
        self.lazy.stopped()
    }
}

/// With the cancellation token set, the heuristic search evaluates no
/// batch of coalitions after it, and stops well short of a whole search;
/// set before the search, nothing is evaluated at all.
#[test]
fn a_cancelled_heuristic_search_stops_at_its_next_batch() {
    let scenario = parse(include_str!("../scenarios/un-system-ssc.toml"));
    let locations = ["budapest".to_owned(), "manila".to_owned()];
    let game = Game::on_demand(&scenario, Some(&locations)).unwrap();
    let lazy = || LazyGame::new(&scenario, &game, 5, 0..1, DEFAULT_CACHE_COALITIONS);

    let mut whole = lazy();
    let found = search_structures(&mut whole, 5, 3, 2);
    assert!(!found.is_empty() && !whole.stopped());

    let token = Cancel::new();
    let mut stopped = CancelAfter {
        lazy: lazy(),
        token: token.clone(),
        cancel_after: 3,
        calls: 0,
        evaluated_at_cancel: None,
    };
    stopped.lazy.stop_on(token);
    search_structures(&mut stopped, 5, 3, 2);
    assert!(stopped.stopped());
    let at_cancel = stopped
        .evaluated_at_cancel
        .expect("cancelled after 3 batches");
    assert_eq!(
        stopped.lazy.evaluated(),
        at_cancel,
        "no batch after the stop"
    );
    assert!(
        at_cancel < whole.evaluated(),
        "{at_cancel} of {} coalitions",
        whole.evaluated()
    );

    let cancelled = Cancel::new();
    cancelled.cancel();
    let mut never = lazy();
    never.stop_on(cancelled);
    search_structures(&mut never, 5, 3, 2);
    assert_eq!(never.evaluated(), 0);
}
