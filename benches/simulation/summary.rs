//! What the throughput groups measured, per agency·service-line·day, and
//! the ratios they are read for, printed once criterion has run them.
//!
//! Criterion prints each benchmark alone, in elements a second; the
//! questions asked of these groups are about pairs: how far a replication
//! is above the floor of its random numbers (`simulate` ÷ `floor`), and
//! how much the second core adds (1 thread ÷ 2 threads). The figures are
//! criterion's medians from the `estimates.json` files it writes, read only
//! where this run wrote them: a benchmark the command line filtered out, or
//! one measured by an earlier run, is shown as `–`, never as if measured now.
//!
//! Its tests are in `tests/bench_summary.rs`: a bench without libtest's
//! harness runs none of its own.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// One workload's benchmarks, by criterion id (`group/function`).
pub struct Workload {
    pub name: &'static str,
    /// Agency·service-line·days of one replication.
    pub days_per_replication: u64,
    /// One replication on one thread.
    pub simulate: String,
    /// Drawing one replication's inputs and arrivals, nothing else.
    pub floor: String,
    /// A block of replications through the run on 1 and on 2 threads, and
    /// the block's replications.
    pub threads: Option<(String, String, u64)>,
}

/// Nanoseconds per agency·line·day of one workload, and the ratios; `None`
/// where a benchmark was not measured in this run.
#[derive(Debug, PartialEq)]
pub struct Row {
    pub simulate_ns: Option<f64>,
    pub floor_ns: Option<f64>,
    pub one_thread_ns: Option<f64>,
    pub two_threads_ns: Option<f64>,
}

impl Row {
    /// The row of `workload` from the median time of each benchmark, in
    /// nanoseconds per iteration.
    pub fn of(workload: &Workload, median_ns: impl Fn(&str) -> Option<f64>) -> Row {
        let days = workload.days_per_replication as f64;
        let per_day =
            |id: &str, replications: u64| median_ns(id).map(|ns| ns / (days * replications as f64));
        let (one_thread_ns, two_threads_ns) = match &workload.threads {
            Some((one, two, block)) => (per_day(one, *block), per_day(two, *block)),
            None => (None, None),
        };
        Row {
            simulate_ns: per_day(&workload.simulate, 1),
            floor_ns: per_day(&workload.floor, 1),
            one_thread_ns,
            two_threads_ns,
        }
    }

    fn measured(&self) -> bool {
        [
            self.simulate_ns,
            self.floor_ns,
            self.one_thread_ns,
            self.two_threads_ns,
        ]
        .iter()
        .any(Option::is_some)
    }
}

/// The table of `rows`, one line per workload measured; empty if none was.
pub fn table(rows: &[(&str, Row)]) -> String {
    let measured: Vec<_> = rows.iter().filter(|(_, row)| row.measured()).collect();
    if measured.is_empty() {
        return String::new();
    }
    let ns = |v: Option<f64>| v.map_or("–".to_owned(), |v| format!("{v:.1}"));
    let millions = |v: Option<f64>| v.map_or("–".to_owned(), |v| format!("{:.1}", 1e3 / v));
    let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => format!("{:.2}", a / b),
        _ => "–".to_owned(),
    };
    let mut out = String::from(
        "Per agency·service-line·day (criterion's medians, this run; – not measured):\n",
    );
    out.push_str(&format!(
        "{:<10} {:>11} {:>10} {:>9} {:>16} {:>11} {:>12} {:>6}\n",
        "workload",
        "simulate ns",
        "M a second",
        "floor ns",
        "simulate ÷ floor",
        "1 thread ns",
        "2 threads ns",
        "1 ÷ 2"
    ));
    for (name, row) in measured {
        out.push_str(&format!(
            "{:<10} {:>11} {:>10} {:>9} {:>16} {:>11} {:>12} {:>6}\n",
            name,
            ns(row.simulate_ns),
            millions(row.simulate_ns),
            ns(row.floor_ns),
            ratio(row.simulate_ns, row.floor_ns),
            ns(row.one_thread_ns),
            ns(row.two_threads_ns),
            ratio(row.one_thread_ns, row.two_threads_ns),
        ));
    }
    out
}

/// Prints the table of `workloads` from the estimates criterion wrote since
/// `started`.
pub fn print(workloads: &[Workload], started: SystemTime) {
    let home = criterion_home();
    let rows: Vec<_> = workloads
        .iter()
        .map(|w| (w.name, Row::of(w, |id| median_ns(&home, id, started))))
        .collect();
    print!("{}", table(&rows));
}

/// Where criterion writes its results, found as criterion finds it:
/// `$CRITERION_HOME`, else `criterion` in `$CARGO_TARGET_DIR` or in the
/// target folder `cargo metadata` names, else `target/criterion`.
fn criterion_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    let metadata = std::env::var_os("CARGO").and_then(|cargo| {
        std::process::Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .output()
            .ok()
    });
    #[derive(serde::Deserialize)]
    struct Metadata {
        target_directory: PathBuf,
    }
    metadata
        .and_then(|out| serde_json::from_slice::<Metadata>(&out.stdout).ok())
        .map_or_else(
            || PathBuf::from("target/criterion"),
            |m| m.target_directory.join("criterion"),
        )
}

/// The median of benchmark `id` (`group/function`), in nanoseconds per
/// iteration, if criterion wrote it since `since`.
pub fn median_ns(home: &Path, id: &str, since: SystemTime) -> Option<f64> {
    #[derive(serde::Deserialize)]
    struct Estimates {
        median: Estimate,
    }
    #[derive(serde::Deserialize)]
    struct Estimate {
        point_estimate: f64,
    }
    let (group, function) = id.rsplit_once('/')?;
    let path = home
        .join(filename_safe(group))
        .join(filename_safe(function))
        .join("new/estimates.json");
    let written = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
    if written < since {
        return None;
    }
    let text = std::fs::read(&path).ok()?;
    let estimates: Estimates = serde_json::from_slice(&text).ok()?;
    Some(estimates.median.point_estimate)
}

/// A benchmark id's part as a folder name, as criterion makes it
/// (`criterion::report::make_filename_safe`: these names are short and
/// need no truncation).
pub fn filename_safe(name: &str) -> String {
    name.replace(['?', '"', '/', '\\', '*', '<', '>', ':', '|', '^'], "_")
}
