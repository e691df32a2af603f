//! Throughput of the simulation, against the floor of drawing its random
//! numbers, its scaling over threads, and the coalition search.
//!
//! `cargo bench --bench simulation`. Groups:
//! - `replications/SCENARIO`: `simulate_replication`, in replications per second;
//! - `agency_line_days/SCENARIO`: the same, in agency·service-line·days per
//!   second (one simulated working day of one agency's work in one line);
//! - `floor/SCENARIO`: drawing the inputs and arrivals of a replication and
//!   nothing else, in replications per second — no simulation can be faster;
//! - `replications/service-desk`: a replication of
//!   `scenarios/service-desk.toml`, whose contact lines staff each hour by
//!   Erlang A, the staffing searches most of its time;
//! - `threads/large`: a block of replications of the large scenario through
//!   [`sscsim::run::run`] on a pool of 1 and of 2 threads, in replications
//!   per second, so that their ratio is measured within one run;
//! - `peer/*`: the workload of `benches/peer.toml`, the one the NumPy peer
//!   (`benches/peers/numpy_peer.py`) runs — 12 agencies × 8 service lines,
//!   Poisson arrivals of 200 a day, one year of 250 days, each agency's own
//!   team and one pooled team per line — in agency·service-line·days per
//!   second: `peer/simulate` (one replication on one thread), `peer/floor`
//!   (drawing its inputs and arrivals alone), and `peer/threads_1` and
//!   `peer/threads_2` (a block of replications through [`sscsim::run::run`]
//!   on 1 and 2 threads, measured in one run);
//! - `analyses/wfp-2007`: what `sscsim run` works out from a run's
//!   replications once they are done, on one thread, for the 1 000
//!   replications of `scenarios/wfp-2007.toml` (where these analyses are
//!   most of a run): `global_sensitivity` (the first-order indices of
//!   `global_sensitivity.csv`, without a design) and
//!   `value_of_information` (`voi.csv`), in analyses per second;
//! - `pool/10x5`: the coalition search of `scenarios/un-system-ssc.toml`
//!   (10 agencies × 5 locations): one replication's costs of every
//!   coalition at every location, and a whole search over a few
//!   replications on one thread.
//!
//! The scenarios are the embedded default (`scenarios/budapest-joint.toml`)
//! and `scenarios/large.toml` (12 agencies × 8 service lines × 10 years).
//!
//! Reading them: criterion prints a throughput in elements per second;
//! its inverse is the time per agency·line·day (24 M elements/s = 41.7 ns).
//! `simulate` ÷ `floor` (times) is the cost of the simulation over the
//! random numbers it cannot do without: 1 would be a simulation that costs
//! nothing beyond its draws. 1 thread ÷ 2 threads (times) is the speed-up
//! of the second core. After criterion's own output the bench prints these
//! per agency·line·day for the default, large and peer workloads, from the
//! medians this run measured (`summary`).

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group};
use sscsim::global_sensitivity;
use sscsim::model::{Draws, Scenario};
use sscsim::pool::analysis::{distinct_blocks, rank_structures, shares};
use sscsim::pool::{self, Game};
use sscsim::run::{RunControl, RunError, RunPlan, run};
use sscsim::sample::Arrivals;
use sscsim::scenario::{default_scenario, parse};
use sscsim::sim::{Workspace, simulate_replication};
use sscsim::simulate::collect;

#[path = "simulation/summary.rs"]
mod summary;
use summary::Workload;

const SEED: u64 = 20_080_101;

/// Replications per iteration of the thread-scaling benchmark: enough for
/// both threads to stay busy to the end.
const BLOCK_REPLICATIONS: u64 = 16;

/// Replications of a whole coalition search.
const POOL_REPLICATIONS: u64 = 4;

/// Replications whose analyses `analyses/*` times: those of a default run
/// of `scenarios/wfp-2007.toml`.
const ANALYSED_REPLICATIONS: u64 = 1_000;

/// Coalition structures a search ranks (`sscsim pool`'s default).
const POOL_TOP: usize = 10;

fn bundled(file: &str) -> Scenario {
    read_scenario(&format!("scenarios/{file}"))
}

/// A scenario file of the repository, by its path from the manifest's folder.
fn read_scenario(relative: &str) -> Scenario {
    let path = format!("{}/{relative}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("a bundled scenario is readable");
    parse(&path, &text).expect("a bundled scenario is valid")
}

fn scenarios() -> [(&'static str, Scenario); 2] {
    [
        ("default", default_scenario()),
        ("large", bundled("large.toml")),
    ]
}

/// Agency·service-line·days of one replication: each agency's work in each
/// line it has, on every working day of the horizon.
fn agency_line_days(scenario: &Scenario) -> u64 {
    let pairs: usize = scenario
        .agencies
        .iter()
        .map(|a| a.lines.iter().flatten().count())
        .sum();
    (pairs * scenario.calendar().horizon_days()) as u64
}

/// Simulates replications 0, 1, 2, … one per iteration, reusing one workspace.
fn bench_replications(group: &mut BenchmarkGroup<WallTime>, name: &str, scenario: &Scenario) {
    group.bench_function(name, |b| {
        let mut workspace = Workspace::default();
        let mut replication = 0;
        b.iter(|| {
            replication += 1;
            black_box(simulate_replication(
                scenario,
                SEED,
                replication,
                &mut workspace,
            ))
        });
    });
}

fn simulation(c: &mut Criterion) {
    for (name, scenario) in &scenarios() {
        let mut group = c.benchmark_group(format!("replications/{name}"));
        group.throughput(Throughput::Elements(1));
        bench_replications(&mut group, "simulate", scenario);
        group.finish();

        let mut group = c.benchmark_group(format!("agency_line_days/{name}"));
        group.throughput(Throughput::Elements(agency_line_days(scenario)));
        bench_replications(&mut group, "simulate", scenario);
        group.finish();

        let mut group = c.benchmark_group(format!("floor/{name}"));
        group.throughput(Throughput::Elements(1));
        bench_floor(&mut group, "draw", scenario);
        group.finish();
    }
    let mut group = c.benchmark_group("replications/service-desk");
    group.throughput(Throughput::Elements(1));
    bench_replications(&mut group, "simulate", &bundled("service-desk.toml"));
    group.finish();
}

/// Draws the inputs and arrivals of replications 0, 1, 2, … one per
/// iteration: the same draws as `simulate_replication` makes, and nothing
/// else.
fn bench_floor(group: &mut BenchmarkGroup<WallTime>, name: &str, scenario: &Scenario) {
    group.bench_function(name, |b| {
        let (mut inputs, mut arrivals) = (Draws::default(), Arrivals::default());
        let mut replication = 0;
        b.iter(|| {
            replication += 1;
            inputs.draw(scenario, SEED, replication);
            arrivals.draw(scenario, &inputs, SEED, replication);
            black_box(&arrivals);
        });
    });
}

/// Runs a block of [`BLOCK_REPLICATIONS`] through [`run`] per iteration on
/// a pool of 1 and of 2 threads, as benchmarks `{prefix}1` and `{prefix}2`
/// of one group, so that their ratio is measured within one run.
fn bench_threads(group: &mut BenchmarkGroup<WallTime>, prefix: &str, scenario: &Scenario) {
    let plan = RunPlan {
        replications: BLOCK_REPLICATIONS,
        seed: SEED,
    };
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool");
        group.bench_function(format!("{prefix}{threads}"), |b| {
            b.iter(|| {
                pool.install(|| {
                    run::<RunError>(scenario, plan, &RunControl::default(), |metrics| {
                        black_box(metrics);
                        Ok(())
                    })
                })
                .expect("metrics are defined")
            });
        });
    }
}

fn threads(c: &mut Criterion) {
    let [_, (_, large)] = scenarios();
    let mut group = c.benchmark_group("threads/large");
    group.throughput(Throughput::Elements(BLOCK_REPLICATIONS));
    bench_threads(&mut group, "", &large);
    group.finish();
}

/// The NumPy peer's workload (`benches/peer.toml`), every benchmark in
/// agency·service-line·days per second.
fn peer(c: &mut Criterion) {
    let scenario = read_scenario("benches/peer.toml");
    let days = agency_line_days(&scenario);
    assert_eq!(days, 12 * 8 * 250, "the peer's workload");
    let mut group = c.benchmark_group("peer");
    group.throughput(Throughput::Elements(days));
    bench_replications(&mut group, "simulate", &scenario);
    bench_floor(&mut group, "floor", &scenario);
    group.throughput(Throughput::Elements(days * BLOCK_REPLICATIONS));
    bench_threads(&mut group, "threads_", &scenario);
    group.finish();
}

/// A whole coalition search on one thread, as `sscsim pool` makes it: the
/// costs of every coalition at every location in each replication, the
/// best structures, the queues of their centres, and the cost shares.
fn search(scenario: &Scenario, game: &Game) {
    let mut workspace = pool::Workspace::default();
    let replications: Vec<_> = (0..POOL_REPLICATIONS)
        .map(|r| pool::evaluate(scenario, game, SEED, r, &mut workspace))
        .collect();
    let ranked = rank_structures(game, &replications, POOL_TOP);
    let blocks = distinct_blocks(&ranked);
    for r in 0..POOL_REPLICATIONS {
        black_box(pool::serve_blocks(
            scenario,
            game,
            &blocks,
            SEED,
            r,
            &mut workspace,
        ));
    }
    black_box((
        ranked,
        shares(game, &replications).expect("the programmes solve"),
    ));
}

fn coalitions(c: &mut Criterion) {
    let scenario = bundled("un-system-ssc.toml");
    let game = Game::new(&scenario, None).expect("the scenario has a [pool] table");
    assert_eq!((game.players.len(), game.locations.len()), (10, 5));
    let mut group = c.benchmark_group("pool/10x5");
    // Replications per second.
    group.throughput(Throughput::Elements(1));
    group.bench_function("evaluate", |b| {
        let mut workspace = pool::Workspace::default();
        let mut replication = 0;
        b.iter(|| {
            replication += 1;
            black_box(pool::evaluate(
                &scenario,
                &game,
                SEED,
                replication,
                &mut workspace,
            ))
        });
    });
    group.throughput(Throughput::Elements(POOL_REPLICATIONS));
    group.bench_function(format!("search_{POOL_REPLICATIONS}_replications"), |b| {
        b.iter(|| search(&scenario, &game));
    });
    group.finish();
}

/// The analyses of a run's replications, on a pool of one thread (they
/// run on the current rayon pool).
fn analyses(c: &mut Criterion) {
    let scenario = bundled("wfp-2007.toml");
    let plan = RunPlan {
        replications: ANALYSED_REPLICATIONS,
        seed: SEED,
    };
    let control = RunControl::default();
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    let collected = one_thread
        .install(|| collect::<RunError>(&scenario, plan, None, &control, |_| Ok(())))
        .expect("the replications run");
    let mut group = c.benchmark_group("analyses/wfp-2007");
    group.throughput(Throughput::Elements(1));
    group.bench_function("global_sensitivity", |b| {
        b.iter(|| {
            one_thread.install(|| {
                black_box(
                    global_sensitivity::analyse(&scenario, SEED, &collected.inputs, None, &control)
                        .expect("not cancelled"),
                )
            })
        });
    });
    group.bench_function("value_of_information", |b| {
        b.iter(|| one_thread.install(|| black_box(collected.voi.analyse(&scenario, SEED))));
    });
    group.finish();
}

/// The workloads of the summary printed after the benchmarks, by the ids
/// their benchmarks get above.
fn workloads() -> Vec<Workload> {
    let scenarios = scenarios().map(|(name, scenario)| Workload {
        name,
        days_per_replication: agency_line_days(&scenario),
        simulate: format!("agency_line_days/{name}/simulate"),
        floor: format!("floor/{name}/draw"),
        // `threads/large` alone runs a scenario on 1 and 2 threads.
        threads: (name == "large").then(|| {
            let group = format!("threads/{name}");
            (
                format!("{group}/1"),
                format!("{group}/2"),
                BLOCK_REPLICATIONS,
            )
        }),
    });
    let peer = Workload {
        name: "peer",
        days_per_replication: agency_line_days(&read_scenario("benches/peer.toml")),
        simulate: "peer/simulate".to_owned(),
        floor: "peer/floor".to_owned(),
        threads: Some((
            "peer/threads_1".to_owned(),
            "peer/threads_2".to_owned(),
            BLOCK_REPLICATIONS,
        )),
    };
    scenarios.into_iter().chain([peer]).collect()
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = simulation, threads, peer, analyses, coalitions
}

/// `criterion_main!`'s main, then the summary per agency·line·day.
fn main() {
    let started = SystemTime::now();
    benches();
    Criterion::default().configure_from_args().final_summary();
    summary::print(&workloads(), started);
}
