//! How much memory a command will need, estimated before it allocates
//! anything large, and the limit it is checked against.
//!
//! A command that needs more memory than the machine has does not fail
//! cleanly: it pushes the machine into swap for minutes, or the kernel kills
//! it (and perhaps a neighbour) without a word. The few things that grow —
//! each worker thread's daily arrivals, the replications a block holds, the
//! values a summary keeps, a coalition search's costs and ranked structures
//! — are known from the scenario and the options before the first
//! replication, so a command that would not fit is refused at once (exit
//! code 2) with the part that is largest and the option that shrinks it.
//!
//! The estimate is of the peak resident memory and errs on the high side
//! (1.1 to 2 times the peak measured with `/usr/bin/time -v`, the most for
//! small runs, where the fixed part dominates); the constants below say
//! how each was calibrated.

use std::fmt;

use crate::metrics::{METRIC_COUNT, MetricValues, YEAR_METRIC_COUNT, YearValues};
use crate::model::{BYTES_PER_INPUT, Scenario};
use crate::pool::partition::search_peak_bytes;
use crate::sim::{CentreYear, LineYear, ServiceTotals};
use crate::stats::differences;
use crate::stats::series::{EXACT_VALUES, SKETCH_BINS};

/// The share of physical memory a command may use by default: the rest is
/// left to the system and to whatever else runs.
pub const DEFAULT_SHARE_OF_PHYSICAL: f64 = 0.75;

/// The limit where physical memory cannot be read (no `/proc/meminfo`).
pub const FALLBACK_LIMIT_BYTES: u64 = 8 << 30;

/// What every command takes whatever its size: the program, its thread
/// stacks, the scenario, buffers of files. Measured at 12 to 13 MB for
/// small runs; rounded up.
const BASE_BYTES: u64 = 16 << 20;

/// A replication's working set per team-year of its plans (teams, queues,
/// staffing, the decomposition's plans), besides its arrivals: about 100
/// bytes measured on a generated scenario of 200 agencies × 10 service
/// lines × 10 years (a thread took 44.5 MB, 40.2 MB of it arrivals);
/// rounded up 2.5 times.
const PLAN_BYTES_PER_TEAM_YEAR: u64 = 256;

/// One coalition's centre at one location, as the search builds it: the
/// strategy, its centre, site and teams. With the other constants, the
/// estimate of `pool` was 1.1 to 1.7 times the peak measured on 10 to 14
/// agencies at 5 locations, `--top` 10 and 100.
const CENTRE_BYTES: u64 = 700;

/// A coalition's teams' staffing and capacity needs, cached while one
/// replication evaluates every coalition, per team-year.
const COALITION_BYTES_PER_TEAM_YEAR: u64 = 400;

/// The memory a command may use.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MemoryLimit {
    /// Bytes.
    pub bytes: u64,
    /// Where the limit comes from.
    pub source: LimitSource,
}

/// Where a [`MemoryLimit`] comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LimitSource {
    /// `--memory-limit`.
    Option,
    /// [`DEFAULT_SHARE_OF_PHYSICAL`] of the machine's physical memory.
    Physical,
    /// [`FALLBACK_LIMIT_BYTES`]: physical memory could not be read.
    Fallback,
}

impl MemoryLimit {
    /// `--memory-limit` if given, else [`DEFAULT_SHARE_OF_PHYSICAL`] of
    /// physical memory, else [`FALLBACK_LIMIT_BYTES`].
    pub fn new(option: Option<u64>) -> MemoryLimit {
        match (option, physical_memory_bytes()) {
            (Some(bytes), _) => MemoryLimit {
                bytes,
                source: LimitSource::Option,
            },
            (None, Some(physical)) => MemoryLimit {
                bytes: (physical as f64 * DEFAULT_SHARE_OF_PHYSICAL) as u64,
                source: LimitSource::Physical,
            },
            (None, None) => MemoryLimit {
                bytes: FALLBACK_LIMIT_BYTES,
                source: LimitSource::Fallback,
            },
        }
    }
}

impl fmt::Display for MemoryLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = readable_bytes(self.bytes);
        match self.source {
            LimitSource::Option => write!(f, "{bytes} (--memory-limit)"),
            LimitSource::Physical => write!(
                f,
                "{bytes} ({:.0}% of physical memory; --memory-limit to change it)",
                DEFAULT_SHARE_OF_PHYSICAL * 100.0
            ),
            LimitSource::Fallback => write!(
                f,
                "{bytes} (physical memory unknown; --memory-limit to change it)"
            ),
        }
    }
}

/// The machine's physical memory, from `MemTotal` in `/proc/meminfo`
/// (Linux); `None` elsewhere.
fn physical_memory_bytes() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line
        .trim_start_matches("MemTotal:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    kib.checked_mul(1024)
}

/// A memory size as `--memory-limit` takes it: a number and a unit, `B`,
/// `KB`, `MB`, `GB`, `TB` (powers of 1000) or `KiB`, `MiB`, `GiB`, `TiB`
/// (powers of 1024), in any case; bytes without a unit.
///
/// # Errors
/// A message for anything else, or a size of 0.
pub(crate) fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        "tib" => 1 << 40,
        _ => 0,
    };
    let bytes = number.parse::<f64>().map(|n| n * multiplier as f64);
    match bytes {
        Ok(b) if b >= 1.0 && b < u64::MAX as f64 => Ok(b as u64),
        _ => Err(format!(
            "`{text}` is not a memory size; expected a number above 0 and a unit, e.g. 8GiB or 500MB"
        )),
    }
}

/// A size in bytes for a message: `512 B`, `3.1 MiB`, `11.3 GiB`.
fn readable_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// One part of an [`Estimate`]: what it holds and what makes it smaller.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    /// What the memory holds, for a message.
    pub what: String,
    /// Bytes.
    pub bytes: u64,
    /// What the user can change to make it smaller.
    pub knob: &'static str,
}

/// The peak memory of a command, by part.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Estimate {
    /// The parts, each of which may be at its peak at the same time.
    pub parts: Vec<Part>,
}

/// A command that would need more than its [`MemoryLimit`].
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error(
    "this would need about {need} of memory — {parts}; expected at most {limit}: {knobs}, or a higher --memory-limit"
)]
pub struct TooMuchMemory {
    need: String,
    parts: String,
    limit: String,
    knobs: String,
}

/// The knob for the threads each holding a replication.
const THREADS: &str = "fewer threads (-j)";
/// The knob for anything that grows with the scenario's size.
const SCENARIO: &str = "a smaller scenario (fewer agencies, service lines, strategies or years)";

impl Estimate {
    /// The total, saturating.
    pub fn total_bytes(&self) -> u64 {
        self.parts
            .iter()
            .fold(BASE_BYTES, |sum, p| sum.saturating_add(p.bytes))
    }

    fn add(&mut self, what: String, bytes: u64, knob: &'static str) {
        self.parts.push(Part { what, bytes, knob });
    }

    /// Refuses an estimate above `limit`, naming its largest parts and
    /// the options that shrink them, largest first.
    ///
    /// # Errors
    /// [`TooMuchMemory`] when the total is above the limit.
    pub fn check(&self, limit: MemoryLimit) -> Result<(), TooMuchMemory> {
        if self.total_bytes() <= limit.bytes {
            return Ok(());
        }
        let mut parts: Vec<&Part> = self.parts.iter().filter(|p| p.bytes > 0).collect();
        parts.sort_by_key(|p| std::cmp::Reverse(p.bytes));
        let mut knobs: Vec<&str> = Vec::new();
        for p in &parts {
            if !knobs.contains(&p.knob) {
                knobs.push(p.knob);
            }
        }
        // The program's own share is shown among the largest parts, so
        // that the parts account for the total; no option shrinks it.
        let mut sizes: Vec<(u64, &str)> =
            parts.iter().map(|p| (p.bytes, p.what.as_str())).collect();
        sizes.push((BASE_BYTES, "the program itself"));
        sizes.sort_by_key(|&(bytes, _)| std::cmp::Reverse(bytes));
        let shown: Vec<String> = sizes
            .iter()
            .take(3)
            .map(|(bytes, what)| format!("{} for {what}", readable_bytes(*bytes)))
            .collect();
        Err(TooMuchMemory {
            need: readable_bytes(self.total_bytes()),
            parts: shown.join(", "),
            limit: limit.to_string(),
            knobs: knobs.join(", "),
        })
    }
}

/// How many of each thing a command holds while it runs.
#[derive(Clone, Copy, Debug)]
pub struct Workload {
    /// Worker threads.
    pub threads: usize,
    /// Replications run.
    pub replications: u64,
    /// Whether each worker draws a replication's daily arrivals (`run`;
    /// not `explain` or the sensitivity swings of `merge`).
    pub draws_arrivals: bool,
}

/// `a × b × c` bytes, saturating.
fn product(factors: &[u64]) -> u64 {
    factors.iter().fold(1u64, |p, &f| p.saturating_mul(f))
}

/// Bytes of a vector of `n` values of `size` bytes, grown by doubling.
fn grown(n: u64, size: u64) -> u64 {
    n.checked_next_power_of_two()
        .unwrap_or(u64::MAX)
        .saturating_mul(size)
}

/// The daily arrivals one worker draws: `[agency][service line][day]`.
fn arrivals_bytes(scenario: &Scenario) -> u64 {
    let days = scenario.calendar().horizon_days() as u64;
    product(&[
        scenario.agencies.len() as u64 + 1,
        scenario.service_lines.len() as u64,
        days,
        8,
    ])
}

/// What a replication's planner keeps of each agency's demand in each
/// service line: its months, year by year (`sim::plan`), computed once for
/// every team that holds the agency; and the capacities and contact desks'
/// hours it has solved, kept from one replication to the next up to a
/// fixed size.
fn member_months_bytes(scenario: &Scenario) -> u64 {
    let agency_lines = (scenario.agencies.len() * scenario.service_lines.len()) as u64;
    product(&[
        agency_lines,
        u64::from(scenario.settings.horizon_years),
        crate::sim::plan::MEMBER_MONTHS_BYTES_PER_YEAR,
    ])
    .saturating_add(product(&[agency_lines, 16]))
    .saturating_add(crate::sim::plan::SOLVED_CAPACITIES_BYTES)
    .saturating_add(crate::sim::contact::SOLVED_HOURS_BYTES)
}

/// Team-years a replication plans: every strategy's teams, and the
/// headquarters units (one per agency and service line) each one keeps.
fn team_years(scenario: &Scenario) -> u64 {
    let hq_units = (scenario.agencies.len() * scenario.service_lines.len()) as u64;
    let teams: u64 = scenario
        .strategies
        .iter()
        .map(|s| {
            let teams: usize = s.centres.iter().map(|c| c.teams.len()).sum();
            teams as u64 + hq_units
        })
        .sum();
    teams.saturating_mul(u64::from(scenario.settings.horizon_years))
}

/// What one worker keeps to serve a replication's queues, beyond its
/// arrivals and plans: the arrivals table sampler, a year of every shared
/// queue's days (arrived, on time, late; at most every team a year is
/// shared) and a year of one queue's arrivals and capacity.
fn queue_buffer_bytes(scenario: &Scenario) -> u64 {
    let horizon_years = u64::from(scenario.settings.horizon_years).max(1);
    let teams_a_year = team_years(scenario) / horizon_years;
    let days_a_year = u64::from(scenario.settings.working_days_per_year);
    crate::sample::ARRIVAL_TABLE_BYTES
        .saturating_add(product(&[teams_a_year, grown(days_a_year, 24)]))
        .saturating_add(2 * grown(days_a_year, 8))
}

/// The peak memory of `run` (and of `explain`, `batch`'s scenarios and
/// `merge`) on `scenario`: per thread, its arrivals and plans; one block of
/// replications' metrics in flight; the values the summaries keep.
pub(crate) fn run_estimate(scenario: &Scenario, work: Workload) -> Estimate {
    let mut estimate = Estimate::default();
    let threads = work.threads as u64;
    if work.draws_arrivals {
        estimate.add(
            format!("{threads} threads' daily arrivals"),
            product(&[threads, arrivals_bytes(scenario)]),
            THREADS,
        );
    }
    estimate.add(
        format!("{threads} threads' plans"),
        product(&[threads, team_years(scenario), PLAN_BYTES_PER_TEAM_YEAR])
            .saturating_add(product(&[threads, member_months_bytes(scenario)])),
        THREADS,
    );
    estimate.add(
        format!("{threads} threads' queue buffers"),
        product(&[threads, queue_buffer_bytes(scenario)]),
        THREADS,
    );
    let strategies = scenario.strategies.len() as u64;
    let years = u64::from(scenario.settings.horizon_years);
    let centres: u64 = scenario
        .strategies
        .iter()
        .map(|s| s.centres.len() as u64)
        .sum();
    let metrics_bytes = strategies * (std::mem::size_of::<MetricValues>() as u64 + 3 * 24 + 64)
        + product(&[strategies, years, std::mem::size_of::<YearValues>() as u64])
        + centres * std::mem::size_of::<CentreYear>() as u64
        + product(&[
            strategies,
            scenario.service_lines.len() as u64,
            std::mem::size_of::<LineYear>() as u64,
        ])
        + scenario.inputs.len() as u64 * 8
        + 256;
    estimate.add(
        "the replications of a block in flight".to_owned(),
        product(&[
            work.replications.min(crate::run::BLOCK_REPLICATIONS),
            metrics_bytes,
            2,
        ]),
        SCENARIO,
    );
    // Each strategy's metrics and yearly figures, the decomposition, and
    // every ordered pair's savings by year and over the horizon.
    let series = strategies * METRIC_COUNT as u64
        + product(&[strategies, years, YEAR_METRIC_COUNT as u64])
        + 16
        + differences::series_count(strategies, years);
    let kept = work.replications.min(EXACT_VALUES as u64);
    let per_series = grown(kept, 8) + 128;
    let per_series = if work.replications > EXACT_VALUES as u64 {
        per_series + 2 * u64::from(SKETCH_BINS) * 8
    } else {
        per_series
    };
    estimate.add(
        format!("{series} summaries"),
        product(&[series, per_series]),
        SCENARIO,
    );
    estimate.add(
        "the draws kept for sensitivity".to_owned(),
        product(&[
            scenario.inputs.len() as u64 + 2 * strategies,
            grown(kept, 8),
        ]),
        SCENARIO,
    );
    estimate
}

/// The peak memory of `pool --search heuristic`: every replication's
/// draws, the mean costs of up to `cache_coalitions` coalitions, a batch's
/// centres and costs in every replication, per thread a batch's staffing
/// and a replication's arrivals, and the service of the best structures.
pub(crate) fn lazy_pool_estimate(
    scenario: &Scenario,
    search: Search,
    work: Workload,
    cache_coalitions: usize,
) -> Estimate {
    use crate::pool::lazy::{BATCH_COALITIONS, CACHE_OVERHEAD_BYTES};
    let mut estimate = Estimate::default();
    let lines = scenario.service_lines.len() as u64;
    let locations = search.locations as u64;
    estimate.add(
        format!("{} replications' draws", work.replications),
        product(&[
            work.replications,
            scenario.inputs.len() as u64 + 8,
            BYTES_PER_INPUT,
        ]),
        "fewer replications (-n)",
    );
    estimate.add(
        format!("the mean costs of up to {cache_coalitions} coalitions"),
        product(&[
            cache_coalitions as u64,
            CACHE_OVERHEAD_BYTES + 8 * locations,
        ]),
        "fewer candidate locations (--locations)",
    );
    let batch = BATCH_COALITIONS as u64;
    estimate.add(
        format!("a batch of {batch} coalitions' centres and costs"),
        product(&[
            batch,
            locations,
            CENTRE_BYTES + lines * (64 + 8 * u64::from(search.players)) + 8 * work.replications,
        ]),
        "fewer replications (-n)",
    );
    add_pool_service_and_threads(&mut estimate, scenario, search, work, batch);
    estimate
}

/// The sizes of a coalition search.
#[derive(Clone, Copy, Debug)]
pub struct Search {
    /// Agencies that play.
    pub players: u32,
    /// Candidate locations.
    pub locations: usize,
    /// Structures ranked (`--top`).
    pub top: usize,
}

/// The peak memory of `pool`: the centres of every coalition at every
/// location, every replication's costs of each of them, the search for the
/// best structures, and per thread a replication's arrivals and plans.
pub fn pool_estimate(scenario: &Scenario, search: Search, work: Workload) -> Estimate {
    let mut estimate = Estimate::default();
    let centres = product(&[(1u64 << search.players) - 1, search.locations as u64]);
    let lines = scenario.service_lines.len() as u64;
    estimate.add(
        format!("{centres} coalition centres"),
        product(&[
            centres,
            CENTRE_BYTES + lines * (64 + 8 * u64::from(search.players)),
        ]),
        "fewer agencies or candidate locations (--locations)",
    );
    estimate.add(
        format!("{} replications' costs of every centre", work.replications),
        product(&[
            work.replications,
            centres.saturating_add(u64::from(search.players) + 16),
            8,
        ]),
        "fewer replications (-n)",
    );
    estimate.add(
        format!("the search for the {} best structures", search.top),
        search_peak_bytes(search.players, search.locations, search.top),
        "a smaller --top",
    );
    add_pool_service_and_threads(
        &mut estimate,
        scenario,
        search,
        work,
        (1u64 << search.players) - 1,
    );
    estimate
}

/// What both searches of `pool` hold beside their own: the service of the
/// best structures, and per thread the staffing of the `coalitions` it
/// evaluates in one replication, a replication's arrivals and its queues.
fn add_pool_service_and_threads(
    estimate: &mut Estimate,
    scenario: &Scenario,
    search: Search,
    work: Workload,
    coalitions: u64,
) {
    let served = product(&[
        work.replications,
        search.top as u64,
        u64::from(search.players),
        std::mem::size_of::<ServiceTotals>() as u64 + 8,
    ]);
    estimate.add(
        format!("the service of the {} best structures", search.top),
        served,
        "a smaller --top",
    );
    let threads = work.threads as u64;
    let team_years = product(&[
        coalitions,
        scenario.service_lines.len() as u64,
        u64::from(scenario.settings.horizon_years),
    ]);
    estimate.add(
        format!("{threads} threads' replications"),
        product(&[threads, COALITION_BYTES_PER_TEAM_YEAR, team_years])
            .saturating_add(product(&[threads, member_months_bytes(scenario)]))
            .saturating_add(product(&[threads, arrivals_bytes(scenario)]))
            .saturating_add(product(&[threads, queue_buffer_bytes(scenario)])),
        THREADS,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_in_decimal_and_binary_units() {
        assert_eq!(parse_size("500MB"), Ok(500_000_000));
        assert_eq!(parse_size("500 mib"), Ok(500 << 20));
        assert_eq!(parse_size("2TiB"), Ok(2 << 40));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("0.5GiB"), Ok(512 << 20));
        assert_eq!(parse_size("8GiB"), Ok(8 << 30));
        assert_eq!(parse_size("1.5 kb"), Ok(1500));
        assert!(parse_size("lots").is_err());
        for bad in ["", "0", "GiB", "8 GB extra", "-1GB", "1e3MB", "0.1B"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bytes_read_in_binary_units() {
        assert_eq!(readable_bytes(512), "512 B");
        assert_eq!(readable_bytes(3 << 20), "3.0 MiB");
        assert_eq!(readable_bytes((11 << 30) + (3 << 29)), "12.5 GiB");
    }

    #[test]
    fn an_estimate_above_the_limit_names_its_largest_part_and_its_knob() {
        let estimate = Estimate {
            parts: vec![
                Part {
                    what: "small".to_owned(),
                    bytes: 1 << 20,
                    knob: "knob a",
                },
                Part {
                    what: "big".to_owned(),
                    bytes: 3 << 30,
                    knob: "knob b",
                },
            ],
        };
        let limit = MemoryLimit {
            bytes: 1 << 30,
            source: LimitSource::Option,
        };
        let message = estimate.check(limit).unwrap_err().to_string();
        assert!(
            message.contains("3.0 GiB for big, 16.0 MiB for the program itself, 1.0 MiB for small"),
            "{message}"
        );
        assert!(
            message.contains("at most 1.0 GiB (--memory-limit): knob b, knob a"),
            "{message}"
        );
        let roomy = MemoryLimit {
            bytes: 4 << 30,
            source: LimitSource::Option,
        };
        assert_eq!(estimate.check(roomy), Ok(()));
    }
}
