//! The coalition search and cost sharing on games small enough to work out
//! by hand.

use std::time::Duration;

use assert_cmd::Command;
use sscsim::pool::analysis::{rank, rank_structures, shares, structure_costs};
use sscsim::pool::lazy::{DEFAULT_CACHE_COALITIONS, LazyGame};
use sscsim::pool::partition::Block;
use sscsim::pool::search::CoalitionCosts;
use sscsim::pool::sharing::Method;
use sscsim::pool::{Coalition, Game, Replication, Workspace, evaluate, search_structures};

use crate::util::{parse, read_csv, twins};

/// The start of the note where the Shapley values and the core would be.
const SAMPLED_NOTE_START: &str = "Above the exact search (14 agencies by default)";

/// The twins of `util::twins` (8⅓ GS FTE each at 50 000 a year, two years,
/// no discounting), with a director per centre (150 000 a year) and a
/// candidate location `far` where everything costs double.
fn twins_with_pool() -> sscsim::model::Scenario {
    let text = twins(
        "\"deterministic\"",
        "[mechanisms.fixed_overhead]\ncentre_staff_fte = { D = 1 }\n\n[pool]\nlocations = [\"city\", \"far\"]\ngrade_mix = { GS = 1 }\n",
    ) + "\n[[location]]\nid = \"far\"\nannual_cost_usd_per_fte = { GS = 100000, D = 300000 }\n";
    parse(&text)
}

fn replications(scenario: &sscsim::model::Scenario, game: &Game, n: u64) -> Vec<Replication> {
    let mut workspace = Workspace::default();
    (0..n)
        .map(|r| evaluate(scenario, game, 3, r, &mut workspace))
        .collect()
}

const AGENCY_FTE: f64 = 100.0 * 30.0 / 360.0;

/// Alone, an agency costs 2 years × (8⅓ × 50 000 + 150 000) = 1 133 333⅓ in
/// `city`; together they share one director: 2 × (16⅔ × 50 000 + 150 000).
#[test]
fn coalition_costs_and_the_best_structures_match_hand_computation() {
    let scenario = twins_with_pool();
    let game = Game::new(&scenario, None).unwrap();
    assert_eq!(
        (game.players.len(), game.locations.len(), game.coalitions()),
        (2, 2, 3)
    );
    let reps = replications(&scenario, &game, 2);
    let alone = 2.0 * (AGENCY_FTE * 50_000.0 + 150_000.0);
    let together = 2.0 * (2.0 * AGENCY_FTE * 50_000.0 + 150_000.0);
    // Costs are ordered [(coalition − 1) × L + option].
    let close = |a: f64, b: f64| (a - b).abs() < 1e-6 * b;
    assert!(close(reps[0].costs[0], alone) && close(reps[0].costs[2], alone));
    assert!(close(reps[0].costs[4], together));
    assert!(
        close(reps[0].costs[1], 2.0 * alone),
        "everything costs double in `far`"
    );

    let ranked = rank_structures(&game, &reps, 3);
    assert_eq!(
        ranked[0].structure.blocks,
        vec![Block {
            coalition: 0b11,
            option: 0
        }]
    );
    assert!(close(ranked[0].cost.mean, together));
    assert!(close(ranked[1].cost.mean, 2.0 * alone));
    assert_eq!(ranked[0].beats_next, Some(1.0));
    // Third: one agency in `city`, the other in `far`.
    assert!(close(ranked[2].cost.mean, 3.0 * alone));
}

/// Symmetric twins: every method gives each half the shared cost, each saves
/// one director's two years (150 000) against going alone, and the split is
/// in the core.
#[test]
fn twins_share_the_pooled_centre_equally_and_stably() {
    let scenario = twins_with_pool();
    let game = Game::new(&scenario, None).unwrap();
    let reps = replications(&scenario, &game, 2);
    let together = 2.0 * (2.0 * AGENCY_FTE * 50_000.0 + 150_000.0);
    for share in shares(&game, &reps).expect("the programmes solve") {
        assert!(
            (share.share.mean - together / 2.0).abs() < 1e-6 * together,
            "{:?}",
            share.method
        );
        assert!(
            (share.saving.mean - 150_000.0).abs() < 1e-6,
            "{:?}: saving {}",
            share.method,
            share.saving.mean
        );
        assert_eq!((share.better_off, share.in_core), (1.0, Some(1.0)));
    }
}

/// Agency `a` has three times `b`'s volume: alone a needs 25 FTE, b 8⅓.
/// Shapley splits the saved director equally; volume shares by workload; the
/// equal split makes `b` pay more than alone, so it is not in the core.
#[test]
fn unequal_agencies_get_different_shares_by_method() {
    let text = twins("\"deterministic\"", "[mechanisms.fixed_overhead]\ncentre_staff_fte = { D = 1 }\n\n[pool]\ngrade_mix = { GS = 1 }\nlocations = [\"city\"]\n")
        .replacen("annual_volume = 25000", "annual_volume = 75000", 1);
    let scenario = parse(&text);
    let game = Game::new(&scenario, None).unwrap();
    let reps = replications(&scenario, &game, 1);
    let year = |fte: f64| fte * 50_000.0 + 150_000.0;
    let (alone_a, alone_b) = (2.0 * year(3.0 * AGENCY_FTE), 2.0 * year(AGENCY_FTE));
    let together = 2.0 * year(4.0 * AGENCY_FTE);
    let rows = shares(&game, &reps).expect("the programmes solve");
    let get = |method: Method, player: usize| {
        rows.iter()
            .find(|r| r.method == method && r.player == player)
            .unwrap()
    };
    let close = |a: f64, b: f64| (a - b).abs() < 1e-6 * b.abs().max(1.0);
    // Shapley: each pays its own cost alone minus half the saving.
    let saving = alone_a + alone_b - together;
    assert!(close(
        get(Method::Shapley, 0).share.mean,
        alone_a - saving / 2.0
    ));
    assert!(close(
        get(Method::Shapley, 1).share.mean,
        alone_b - saving / 2.0
    ));
    // Volume: 3:1 by workload.
    assert!(close(get(Method::Volume, 0).share.mean, together * 0.75));
    assert!(close(get(Method::Volume, 1).share.mean, together * 0.25));
    // Equal: b pays half of the pooled cost, more than alone.
    assert!(together / 2.0 > alone_b);
    assert_eq!(get(Method::Equal, 1).better_off, 0.0);
    assert_eq!(get(Method::Equal, 1).in_core, Some(0.0));
    assert_eq!(get(Method::Shapley, 1).in_core, Some(1.0));
}

#[test]
fn a_scenario_without_a_pool_table_cannot_be_searched() {
    let scenario = parse(&twins("\"deterministic\"", ""));
    let e = Game::new(&scenario, None).err().unwrap();
    assert!(e.to_string().contains("no [pool] table"));
    let scenario = twins_with_pool();
    let e = Game::new(&scenario, Some(&["mars".to_owned()]))
        .err()
        .unwrap();
    assert_eq!(
        e.to_string(),
        "unknown location `mars`; expected one of city, far"
    );
}

/// The best structure (both agencies in one `city` centre, 2 × (16⅔ ×
/// 50 000 + 150 000)) against the next (each alone in `city`, 2 × 2 × (8⅓ ×
/// 50 000 + 150 000)): the second pays a second director, 2 years × 150 000 =
/// 300 000 more in every replication, so the paired difference has no
/// spread and the best is significantly cheaper. A location `twin` priced
/// as `city` gives a structure that costs exactly the best's in every
/// replication: a tie.
#[test]
fn a_structure_ties_the_best_only_when_its_paired_difference_is_within_noise() {
    let scenario = twins_with_pool();
    let game = Game::new(&scenario, None).unwrap();
    let ranked = rank_structures(&game, &replications(&scenario, &game, 3), 3);
    assert!(ranked[0].tied_with_best && ranked[0].above_best.is_none());
    let second = ranked[1].above_best.unwrap();
    assert!((second.mean - 300_000.0).abs() < 1e-6, "{}", second.mean);
    assert!(
        !ranked[1].tied_with_best,
        "a director more in every replication"
    );

    let text = twins(
        "\"deterministic\"",
        "[mechanisms.fixed_overhead]\ncentre_staff_fte = { D = 1 }\n\n[pool]\nlocations = [\"city\", \"twin\"]\ngrade_mix = { GS = 1 }\n",
    ) + "\n[[location]]\nid = \"twin\"\nannual_cost_usd_per_fte = { GS = 50000, P = 100000, D = 150000 }\n";
    let scenario = parse(&text);
    let game = Game::new(&scenario, None).unwrap();
    let ranked = rank_structures(&game, &replications(&scenario, &game, 3), 3);
    let twin = ranked[1].above_best.unwrap();
    assert_eq!(
        twin.mean, 0.0,
        "the same centre at a location priced the same"
    );
    assert!(ranked[1].tied_with_best);
    assert!(!ranked[2].tied_with_best, "two directors");
}

/// The ten agencies of `un-system-ssc.toml` and `copies − 1` copies of
/// each (ids and names suffixed), with the file's `[pool]` and mechanisms
/// but not its strategies (which name the ten): 10 · `copies` agencies.
fn un_system_copies(copies: usize) -> String {
    let text = include_str!("../scenarios/un-system-ssc.toml");
    let start = text.find("[[agency]]").unwrap();
    let end = text.find("\n[comparison]").unwrap();
    let agencies = &text[start..end];
    let mut out = text[..end].to_owned();
    for copy in 2..=copies {
        out.push('\n');
        for line in agencies.lines() {
            if let Some(id) = line.strip_prefix("id = \"") {
                out += &format!("id = \"{}_{copy}\"\n", id.trim_end_matches('"'));
            } else if let Some(name) = line.strip_prefix("name = \"") {
                out += &format!("name = \"{} {copy}\"\n", name.trim_end_matches('"'));
            } else {
                out += line;
                out.push('\n');
            }
        }
    }
    let pool = end + text[end..].find("\n[pool]").unwrap();
    let strategies = text.find("# --- Strategies").unwrap();
    out + &text[pool..strategies]
}

fn sscsim() -> Command {
    Command::cargo_bin("sscsim").unwrap()
}

/// Every coalition of the ten UN agencies at two locations, three
/// replications: the lazy game's mean of each is the exact game's mean over
/// `evaluate`, bit for bit (the same draws, the same simulation of the same
/// centre, summed in the same replication order); and the heuristic's best
/// structure costs no less than the exact optimum.
#[test]
fn the_lazy_game_means_are_the_exact_games_bit_for_bit() {
    let scenario = parse(include_str!("../scenarios/un-system-ssc.toml"));
    let locations = ["budapest".to_owned(), "manila".to_owned()];
    let game = Game::new(&scenario, Some(&locations)).unwrap();
    assert_eq!(game.coalitions(), 1023);
    let n = 3;
    let mut workspace = Workspace::default();
    let reps: Vec<Replication> = (0..n)
        .map(|r| evaluate(&scenario, &game, 5, r, &mut workspace))
        .collect();
    let on_demand = Game::on_demand(&scenario, Some(&locations)).unwrap();
    let mut lazy = LazyGame::new(&scenario, &on_demand, 5, 0..n, DEFAULT_CACHE_COALITIONS);
    // Asked in an order of their own, with a repeat, as a search asks.
    let coalitions: Vec<Coalition> = (1..=1023).rev().chain([3, 3]).collect();
    let means = lazy.mean_costs(&coalitions);
    assert_eq!(lazy.evaluated(), 1023, "a coalition is evaluated once");
    for (i, &c) in coalitions.iter().enumerate() {
        for o in 0..2 {
            let index = (c as usize - 1) * 2 + o;
            let exact = reps.iter().map(|r| r.costs[index]).sum::<f64>() / n as f64;
            assert_eq!(
                means[i * 2 + o].to_bits(),
                exact.to_bits(),
                "coalition {c}, option {o}"
            );
        }
    }

    let exact_best = rank_structures(&game, &reps, 1).remove(0);
    let found = search_structures(&mut lazy, 5, 4, 3);
    assert!(
        found[0].cost >= exact_best.structure.cost,
        "heuristic {} below the exact optimum {}",
        found[0].cost,
        exact_best.structure.cost
    );
}

/// On the twins (8⅓ GS FTE each, a director per centre; `far` costs
/// double), the heuristic finds the hand-computed best: both in one `city`
/// centre, 2 × (16⅔ × 50 000 + 150 000); ranked on its per-replication
/// costs as the exact search ranks.
#[test]
fn the_heuristic_finds_the_twins_best_structure() {
    let scenario = twins_with_pool();
    let game = Game::on_demand(&scenario, None).unwrap();
    let mut lazy = LazyGame::new(&scenario, &game, 3, 0..2, DEFAULT_CACHE_COALITIONS);
    let found = search_structures(&mut lazy, 3, 10, 5);
    let together = 2.0 * (2.0 * AGENCY_FTE * 50_000.0 + 150_000.0);
    assert_eq!(
        found[0].blocks,
        vec![Block {
            coalition: 0b11,
            option: 0
        }]
    );
    assert!((found[0].cost - together).abs() < 1e-6 * together);
    let mut blocks: Vec<Block> = found.iter().flat_map(|s| s.blocks.clone()).collect();
    blocks.sort();
    blocks.dedup();
    let block_costs = lazy.block_costs(&blocks);
    let per_replication = structure_costs(
        &found,
        |b, r| block_costs[blocks.binary_search(b).unwrap()][r],
        2,
    );
    let ranked = rank(found, &per_replication);
    assert!((ranked[0].cost.mean - together).abs() < 1e-6 * together);
    assert!(ranked[0].tied_with_best && ranked[0].above_best.is_none());
}

/// Thirty agencies run (the heuristic is the default above 14), and their
/// coalitions.csv is the same bytes at one and two threads; the exact
/// search is refused for them with exit code 2.
#[test]
fn thirty_agencies_search_heuristically_the_same_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("un30.toml");
    std::fs::write(&path, un_system_copies(3)).unwrap();
    let run = |threads: &str| {
        let out = dir.path().join(format!("out{threads}"));
        let output = sscsim()
            .arg("pool")
            .arg(&path)
            .args(["-q", "-n", "3", "--top", "3"])
            .args(["--shapley-se", "0.05", "--shapley-budget", "6000"])
            .args(["--threads", threads, "-o"])
            .arg(&out)
            .timeout(Duration::from_secs(300))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            stdout.contains(&format!(
                "Heuristic search (--restarts {})",
                sscsim::pool::search::DEFAULT_RESTARTS
            )),
            "{stdout}"
        );
        assert!(stdout.contains(SAMPLED_NOTE_START), "{stdout}");
        // Structures of thirty agencies wrap to the 80 columns of a
        // non-terminal output instead of one line of hundreds.
        let structures = &stdout[stdout.find("Best coalition structures").unwrap()
            ..stdout.find("Heuristic search (").unwrap()];
        assert!(
            structures.lines().all(|l| l.chars().count() <= 80),
            "{structures}"
        );
        // The notes wrap to 80 columns: read them as one line.
        let flat = stdout.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("the target of 0.05% was NOT met within the budget (--shapley-budget)"),
            "the pilot (5 101 coalitions) reaches about 0.2%, not 0.05%: {stdout}"
        );
        let (header, rows) = read_csv(&out.join("allocation.csv"));
        let in_core = header.iter().position(|h| h == "in_core").unwrap();
        assert_eq!(rows.len(), 5 * 30, "every method's shares of 30 agencies");
        assert!(
            rows.iter().all(|r| r[in_core].is_empty()),
            "the core is not checked"
        );
        let mut bytes = std::fs::read(out.join("coalitions.csv")).unwrap();
        bytes.extend(std::fs::read(out.join("allocation.csv")).unwrap());
        bytes
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("2"));

    let output = sscsim()
        .arg("pool")
        .arg(&path)
        .args(["-q", "-n", "2", "--search", "exact"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("30 agencies have relocatable work; the exact search takes at most 14"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A limit below what the heuristic search holds (about 27 MB of cached
/// means alone, 2^18 coalitions × (64 + 5 × 8) bytes, besides the 16 MB
/// every command takes) is refused before anything is written, with exit
/// code 2.
#[test]
fn a_heuristic_search_over_the_memory_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("un30.toml");
    std::fs::write(&path, un_system_copies(3)).unwrap();
    let out = dir.path().join("out");
    let output = sscsim()
        .arg("pool")
        .arg(&path)
        .args(["-q", "-n", "2", "--memory-limit", "20MiB", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("(--memory-limit)"), "{stderr}");
    assert!(!out.exists(), "nothing is written");
}

/// The options only the heuristic search reads (`--restarts`, and the
/// Shapley sampling's `--shapley-se`, `--shapley-budget`,
/// `--shapley-blocks`) are refused with exit code 2 when the search is
/// exact, by default (the default scenario's two agencies) or asked for,
/// naming each option given and the way out; nothing is written. With
/// `--search heuristic` the same options run.
#[test]
fn options_of_the_heuristic_search_are_refused_by_the_exact_one() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &["--shapley-blocks", "3"],
            "--shapley-blocks applies to the heuristic search only, and the search is exact, \
             the default for 2 agencies (up to 14)",
        ),
        (
            &["--restarts", "4", "--shapley-se", "2"],
            "--restarts and --shapley-se apply to the heuristic search only",
        ),
        (
            &[
                "--shapley-budget",
                "100",
                "--shapley-se",
                "2",
                "--restarts",
                "3",
            ],
            "--restarts, --shapley-se and --shapley-budget apply",
        ),
        (
            &["--search", "exact", "--shapley-budget", "100"],
            "--shapley-budget applies to the heuristic search only, and the search asked for \
             is exact (--search exact)",
        ),
    ];
    for (i, (args, expected)) in cases.into_iter().enumerate() {
        let out = dir.path().join(format!("out{i}"));
        let output = sscsim()
            .args(["pool", "-q", "-n", "1"])
            .args(args)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(stderr.contains("pass --search heuristic"), "{stderr}");
        assert!(!out.exists(), "nothing is written for {args:?}");
    }
    let out = dir.path().join("heuristic");
    sscsim()
        .args(["pool", "-q", "-n", "1", "--search", "heuristic"])
        .args([
            "--restarts",
            "2",
            "--shapley-se",
            "2",
            "--shapley-budget",
            "100",
        ])
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("allocation.csv").exists());
}

/// 65 agencies do not fit a coalition's 64 bits: refused with exit code 2.
#[test]
fn more_than_64_agencies_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("un70.toml");
    std::fs::write(&path, un_system_copies(7)).unwrap();
    let output = sscsim()
        .arg("pool")
        .arg(&path)
        .args(["-q", "-n", "2"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("70 agencies have relocatable work; expected at most 64"),
        "{stderr}"
    );
}

/// `allocation.csv`'s rows: `(method, agency) → (share_usd, share_se_usd)`.
type SharesByMethodAndAgency = std::collections::BTreeMap<(String, String), (f64, Option<f64>)>;

/// `sscsim pool` on `scenario` with `args`, its `allocation.csv` read back:
/// `(method, agency) → (share_usd, share_se_usd)`, with the grand
/// coalition's mean cost (a volume row's share over its share of cost).
fn pool_allocation(
    scenario: &std::path::Path,
    args: &[&str],
) -> (SharesByMethodAndAgency, f64, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = sscsim()
        .arg("pool")
        .arg(scenario)
        .args(["-q", "-o"])
        .arg(&out)
        .args(args)
        .timeout(Duration::from_secs(600))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (header, rows) = read_csv(&out.join("allocation.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (method, agency, share, se, of_cost) = (
        column("method"),
        column("agency"),
        column("share_usd"),
        column("share_se_usd"),
        column("share_of_cost"),
    );
    let volume = rows.iter().find(|r| r[method] == "volume").unwrap();
    let grand = volume[share].parse::<f64>().unwrap() / volume[of_cost].parse::<f64>().unwrap();
    let table = rows
        .iter()
        .map(|r| {
            (
                (r[method].clone(), r[agency].clone()),
                (
                    r[share].parse().unwrap(),
                    (!r[se].is_empty()).then(|| r[se].parse().unwrap()),
                ),
            )
        })
        .collect();
    (table, grand, header)
}

/// Ten agencies at two locations, three replications: forced through the
/// heuristic's sharing, the least core and the nucleolus are the exact
/// path's (the same mean game, every group enumerated at ten), and the
/// sampled Shapley values fall within four standard errors of the exact
/// path's (which, Shapley values being linear in the game, are the mean
/// game's).
#[test]
fn the_heuristics_shares_agree_with_the_exact_paths_on_ten_agencies() {
    let scenario =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/un-system-ssc.toml");
    let common = ["-n", "3", "--top", "2", "--locations", "budapest,manila"];
    let (exact, grand, _) =
        pool_allocation(&scenario, &[&common[..], &["--search", "exact"]].concat());
    let (sampled, sampled_grand, _) = pool_allocation(
        &scenario,
        &[&common[..], &["--search", "heuristic"]].concat(),
    );
    assert!((grand - sampled_grand).abs() <= 1e-9 * grand);
    assert_eq!(exact.len(), 5 * 10);
    assert_eq!(sampled.len(), 5 * 10);
    let mut shapley = 0;
    for ((method, agency), (share, se)) in &sampled {
        let (exact_share, exact_se) = exact[&(method.clone(), agency.clone())];
        assert_eq!(exact_se, None, "the exact path samples nothing");
        if method == "shapley" {
            let se = se.expect("a sampled share has its standard error");
            assert!(se > 0.0 && se <= 0.01 * share.abs(), "{agency}: se {se}");
            let z = (share - exact_share) / se;
            // |z| > 4 has probability 6e-5 per agency under normality.
            assert!(z.abs() < 4.0, "{agency}: z = {z}");
            shapley += 1;
        } else {
            assert_eq!(*se, None);
            // The simplex's answers on the same numbers, to 1e-8 of c(N).
            assert!(
                (share - exact_share).abs() <= 1e-8 * grand,
                "{method} {agency}: {share} against {exact_share}"
            );
        }
    }
    assert_eq!(shapley, 10);
}

/// The thirty CEB organisations, two replications: every method's shares
/// with the new columns, the least core, nucleolus, volume and equal
/// shares adding up to the grand coalition's cost, the sampled Shapley
/// values to it within four standard errors of their sum (the strata are
/// drawn independently for each agency).
#[test]
fn the_ceb_scenarios_fair_shares_split_the_grand_coalitions_cost() {
    let scenario =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/un-system-ceb.toml");
    let (shares, grand, header) = pool_allocation(
        &scenario,
        &["-n", "2", "--top", "2", "--shapley-budget", "8000"],
    );
    for column in [
        "largest_excess_group",
        "largest_excess_exact",
        "share_se_usd",
        "share_proven",
    ] {
        assert!(header.iter().any(|h| h == column), "{column}");
    }
    for method in ["shapley", "volume", "equal", "least_core", "nucleolus"] {
        let rows: Vec<&(f64, Option<f64>)> = shares
            .iter()
            .filter(|((m, _), _)| m == method)
            .map(|(_, v)| v)
            .collect();
        assert_eq!(rows.len(), 30, "{method}");
        let total: f64 = rows.iter().map(|(share, _)| share).sum();
        let tolerance = if method == "shapley" {
            4.0 * rows
                .iter()
                .map(|(_, se)| se.unwrap().powi(2))
                .sum::<f64>()
                .sqrt()
        } else {
            1e-8 * grand
        };
        assert!(
            (total - grand).abs() <= tolerance,
            "{method}: {total} against {grand} (± {tolerance})"
        );
    }
}
