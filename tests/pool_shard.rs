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

use crate::util::{bundled_path, column, comparable_manifest, parse, read_csv};

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

/// The fixed count of Shapley blocks of every test's shards: two, so that
/// three shards are more shards than blocks (the third draws none).
const SHAPLEY_BLOCKS: &str = "2";

/// `count` shards of the search of `seed` in `root/1` … `root/count`, each
/// drawing its part of `--shapley-blocks 2`; with three, the second picked
/// by `--shards 3` from a Kubernetes index, as an array job's task would.
fn shards(seed: &str, count: u64, root: &Path) -> Vec<PathBuf> {
    let args = search_args(seed);
    (1..=count)
        .map(|i| {
            let dir = root.join(i.to_string());
            if i == 2 && count == 3 {
                let output = sscsim()
                    .arg("pool")
                    .args(&args)
                    .args(["--shapley-blocks", SHAPLEY_BLOCKS])
                    .args(["--shards", "3", "-o"])
                    .arg(&dir)
                    .env("JOB_COMPLETION_INDEX", "1")
                    .output()
                    .unwrap();
                assert!(output.status.success());
            } else {
                let shard = format!("{i}/{count}");
                pool(
                    &args,
                    &["--shapley-blocks", SHAPLEY_BLOCKS, "--shard", &shard],
                    &dir,
                );
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

/// Asserts that `merged` holds the files of `single`, byte for byte, but
/// the manifest's command, threads and times.
fn assert_same_folder(single: &Path, merged: &Path) {
    let names = |dir: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(single), names(merged));
    for name in names(single) {
        if name == "manifest.toml" {
            continue;
        }
        let expected = std::fs::read(single.join(&name)).unwrap();
        let got = std::fs::read(merged.join(&name)).unwrap();
        assert!(expected == got, "{name} differs from the single run's");
    }
    assert_eq!(comparable_manifest(single), comparable_manifest(merged));
}

/// A copy of the shard folder `from` in `to`, with its `pool_shard.toml`
/// (or with `manifest`, its `manifest.toml`) changed by `edit`.
fn edited_copy(from: &Path, to: &Path, file: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
    let text = std::fs::read_to_string(to.join(file)).unwrap();
    std::fs::write(to.join(file), edit(&text)).unwrap();
    to.to_owned()
}

/// The whole check, in one test so that the shards run once: three shards
/// (more than the two Shapley blocks) merged, given out of order, and two
/// shards merged, are the single run with `--shapley-blocks 2` byte for
/// byte (every file, the printed table, the manifest but its command,
/// threads and times); a missing shard, a shard given twice, a shard of
/// another search (another seed, another count of blocks), a shard whose
/// file lacks a block or holds one twice, and a shard of format 1 are
/// refused with exit code 2 and nothing written.
#[test]
fn pool_shards_merged_are_the_single_search_byte_for_byte() {
    let root = tempfile::tempdir().unwrap();
    let single = root.path().join("single");
    let single_table = pool(
        &search_args("11"),
        &["--shapley-blocks", SHAPLEY_BLOCKS],
        &single,
    );
    let three = shards("11", 3, &root.path().join("three"));
    for shard in &three {
        assert!(shard.join("pool_shard.toml").is_file());
        assert!(
            !shard.join("coalitions.csv").exists(),
            "a shard has no results"
        );
    }
    let manifest = std::fs::read_to_string(three[1].join("manifest.toml")).unwrap();
    for line in [
        "shard = \"2/3\"",
        "[pool]",
        "restarts = 5",
        "first_restart = 2",
        "last_restart = 3",
        "shapley_blocks = 2",
        "format = 2",
    ] {
        assert!(manifest.contains(line), "{line} not in {manifest}");
    }
    // Two blocks over three shards: blocks 1 and 2 in the first two, none
    // in the third.
    let block_indices = |dir: &Path| -> Vec<String> {
        std::fs::read_to_string(dir.join("pool_shard.toml"))
            .unwrap()
            .split("[[shapley_block]]")
            .skip(1)
            .map(|block| block.trim().lines().next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(block_indices(&three[0]), ["index = 1"]);
    assert_eq!(block_indices(&three[1]), ["index = 2"]);
    assert!(block_indices(&three[2]).is_empty());

    let merged = root.path().join("merged");
    let output = merge(&[&three[2], &three[0], &three[1]], &merged);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_same_folder(&single, &merged);
    assert_eq!(String::from_utf8(output.stdout).unwrap(), single_table);
    assert!(single_table.contains("Heuristic search (--restarts 5)"));
    assert!(
        std::fs::read_to_string(merged.join("manifest.toml"))
            .unwrap()
            .contains("merged_shards = 3")
    );

    let two = shards("11", 2, &root.path().join("two"));
    assert_eq!(block_indices(&two[0]), ["index = 1"]);
    assert_eq!(block_indices(&two[1]), ["index = 2"]);
    let merged_two = root.path().join("merged-two");
    let output = merge(&[&two[1], &two[0]], &merged_two);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_same_folder(&single, &merged_two);
    assert_eq!(String::from_utf8(output.stdout).unwrap(), single_table);

    let out = root.path().join("missing");
    let output = merge(&[&three[0], &three[2]], &out);
    assert_refused(&output, &out, "shard 2/3 is missing");

    let out = root.path().join("twice");
    let output = merge(&[&three[0], &three[1], &three[1], &three[2]], &out);
    assert_refused(&output, &out, "shard 2/3 is given twice");

    let other = root.path().join("other");
    pool(
        &search_args("12"),
        &["--shapley-blocks", SHAPLEY_BLOCKS, "--shard", "2/3"],
        &other,
    );
    let out = root.path().join("mixed");
    let output = merge(&[&three[0], &other, &three[2]], &out);
    assert_refused(&output, &out, "the shards are not of one search");
    assert_refused(&output, &out, "has seed 11");

    let more_blocks = root.path().join("more-blocks");
    pool(
        &search_args("11"),
        &["--shapley-blocks", "3", "--shard", "2/3"],
        &more_blocks,
    );
    let out = root.path().join("mixed-blocks");
    let output = merge(&[&three[0], &more_blocks, &three[2]], &out);
    assert_refused(&output, &out, "has Shapley blocks (--shapley-blocks) 2, ");

    // Shard 1/3's block 1 taken out of its file, then written twice.
    let edited = root.path().join("edited");
    let block = |text: &str| text[text.find("[[shapley_block]]").unwrap()..].to_owned();
    let lacking = edited_copy(&three[0], &edited.join("lacking"), "pool_shard.toml", |t| {
        t.replace(&block(t), "")
    });
    let out = root.path().join("lacking");
    let output = merge(&[&lacking, &three[1], &three[2]], &out);
    assert_refused(&output, &out, "lacks Shapley block 1; shard 1/3 of 2");
    assert_refused(&output, &out, "draws block 1, each once");
    let doubled = edited_copy(&three[0], &edited.join("doubled"), "pool_shard.toml", |t| {
        format!("{t}\n{}", block(t))
    });
    let out = root.path().join("doubled");
    let output = merge(&[&doubled, &three[1], &three[2]], &out);
    assert_refused(&output, &out, "has Shapley block 1 twice");
    // Shard 2/3's block put in shard 3/3's file.
    let stray = edited_copy(&three[2], &edited.join("stray"), "pool_shard.toml", |t| {
        let second = std::fs::read_to_string(three[1].join("pool_shard.toml")).unwrap();
        format!("{t}\n{}", block(&second))
    });
    let out = root.path().join("stray");
    let output = merge(&[&three[0], &three[1], &stray], &out);
    assert_refused(&output, &out, "has Shapley block 2, not its own");
    assert_refused(&output, &out, "shard 3/3 of 2 Shapley blocks draws none");

    // A shard of an older sscsim: format 1, no Shapley blocks.
    let old = edited_copy(&three[0], &edited.join("old"), "manifest.toml", |t| {
        t.replace("format = 2", "format = 1")
            .replace("shapley_blocks = 2\n", "")
    });
    let out = root.path().join("old");
    let output = merge(&[&old, &three[1], &three[2]], &out);
    assert_refused(&output, &out, "format 1 is not one this sscsim reads");
    assert_refused(
        &output,
        &out,
        "run the shards again with this sscsim and `--shapley-blocks B`",
    );
}

/// A single run with a fixed count of Shapley blocks says, in its table
/// and in `allocation.csv`'s `share_proven`, whether every standard error
/// it reached is within `--shapley-se` of its share: not at 0.01% in one
/// block, yes at 50% in none (the pilot alone).
#[test]
fn a_fixed_count_of_shapley_blocks_says_whether_its_target_was_met() {
    let root = tempfile::tempdir().unwrap();
    for (percent, blocks) in [("0.01", "1"), ("50", "0")] {
        let out = root.path().join(blocks);
        let table = pool(
            &search_args("11"),
            &["--shapley-se", percent, "--shapley-blocks", blocks],
            &out,
        );
        let (header, rows) = read_csv(&out.join("allocation.csv"));
        let at = |name: &str| column(&header, name);
        let shapley: Vec<&Vec<String>> = rows
            .iter()
            .filter(|r| r[at("method")] == "shapley")
            .collect();
        assert_eq!(shapley.len(), 10, "ten agencies");
        let target = percent.parse::<f64>().unwrap() / 100.0;
        let met = shapley.iter().all(|r| {
            let share: f64 = r[at("share_usd")].parse().unwrap();
            let se: f64 = r[at("share_se_usd")].parse().unwrap();
            se <= target * share.abs()
        });
        assert_eq!(met, percent == "50");
        let proven = if met { "1" } else { "0" };
        assert!(shapley.iter().all(|r| r[at("share_proven")] == proven));
        let flat = table.split_whitespace().collect::<Vec<_>>().join(" ");
        let said = if met {
            format!("the target of {percent}% was met.")
        } else {
            format!(
                "the target of {percent}% was NOT met in the 1 block after the pilot (--shapley-blocks)."
            )
        };
        assert!(flat.contains(&said), "{table}");
    }
}

/// The exact search (the default at ten agencies, or asked for) is not
/// split: `--shard` with it is refused with exit code 2, naming
/// `--search heuristic`; so are more shards than restarts, a shard
/// without a fixed count of Shapley blocks, a fixed count with a budget,
/// and more blocks than the memory limit holds.
#[test]
fn a_shard_of_the_exact_search_or_of_too_few_restarts_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let scenario = bundled_path("un-system-ssc");
    let out = root.path().join("exact");
    for search in [&[][..], &["--search", "exact"][..]] {
        let args = [&["-n", "2", "--shard", "1/2"][..], search].concat();
        refused_pool(&scenario, &args, Some(&out), &["pass --search heuristic"]);
    }
    let heuristic = ["-n", "2", "--search", "heuristic", "--restarts", "2"];
    let few = [&heuristic[..], &["--shard", "1/3"]].concat();
    let out = root.path().join("few");
    refused_pool(&scenario, &few, Some(&out), &["3 shards for 2 restarts"]);

    let stopping = [&heuristic[..], &["--shard", "1/2"]].concat();
    let out = root.path().join("stopping");
    let needs_blocks = "a shard needs --shapley-blocks B";
    refused_pool(&scenario, &stopping, Some(&out), &[needs_blocks]);
    let both = [
        &heuristic[..],
        &["--shapley-blocks", "2"],
        &["--shapley-budget", "5000"],
    ]
    .concat();
    refused_pool(&scenario, &both, None, &["cannot be used with"]);

    // 100 000 blocks of 10 × 10 strata at 128 bytes each, 1.28 GB, held
    // for one shard's file: refused under 200 MB before anything runs.
    let many = [
        &heuristic[..],
        &["--shapley-blocks", "100000", "--shard", "1/1"],
        &["--memory-limit", "200MB"],
    ]
    .concat();
    let out = root.path().join("many-blocks");
    let expected = [
        "100000 Shapley blocks of 100 strata",
        "fewer Shapley blocks (--shapley-blocks)",
    ];
    refused_pool(&scenario, &many, Some(&out), &expected);
}

/// Runs `pool` on `scenario` with `args` (and `-o out` when given), and
/// asserts that it was refused as bad input (exit code 2), saying each of
/// `expected`, and wrote no folder.
fn refused_pool(scenario: &Path, args: &[&str], out: Option<&Path>, expected: &[&str]) {
    let mut command = sscsim();
    command.arg("pool").arg(scenario).arg("-q").args(args);
    if let Some(out) = out {
        command.arg("-o").arg(out);
    }
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    for needle in expected {
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
    if let Some(out) = out {
        assert!(!out.exists(), "{}", out.display());
    }
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
