//! Commands that would need more memory than the limit are refused before
//! they allocate, naming the option that shrinks them; the estimate is an
//! upper bound of the peak measured.

use std::time::{Duration, Instant};

use assert_cmd::Command;
use sscsim::memory::{Search, Workload, pool_estimate};
use sscsim::pool::Game;

use crate::util::parse;

fn sscsim() -> Command {
    Command::cargo_bin("sscsim").unwrap()
}

/// A scenario of `agencies` agencies with one service line, two years and
/// `locations` candidate locations for the coalition search.
fn pool_scenario(agencies: usize, locations: usize) -> String {
    let mut text = String::from(
        "[scenario]\nname = \"generated\"\n\n[settings]\nhorizon_years = 2\n\
         working_days_per_year = 250\ndiscount_rate_per_year = 0.03\nreplications = 10\nseed = 1\n\
         working_minutes_per_day = 450\navailability_share = 0.85\n\n\
         [[service_line]]\nid = \"hr\"\neffort_minutes_per_transaction = 10\n\
         service_level_target_days = 5\nservice_level_target_share = 0.95\n\n\
         [[location]]\nid = \"hq\"\nannual_cost_usd_per_fte = { GS = 90000 }\n\n",
    );
    let ids: Vec<String> = (0..locations).map(|l| format!("\"city{l}\"")).collect();
    for l in 0..locations {
        text += &format!(
            "[[location]]\nid = \"city{l}\"\nannual_cost_usd_per_fte = {{ GS = {} }}\n\n",
            30_000 + 1_000 * l
        );
    }
    for a in 0..agencies {
        text += &format!(
            "[[agency]]\nid = \"a{a}\"\nhq_location = \"hq\"\n[agency.service_line.hr]\n\
             annual_volume = {{ dist = \"triangular\", min = 9000, mode = 10000, max = 11000 }}\n\
             hq_staff_fte = {{ GS = 2 }}\n\n"
        );
    }
    text + &format!(
        "[pool]\nlocations = [{}]\ngrade_mix = {{ GS = 1 }}\n",
        ids.join(", ")
    )
}

fn write_scenario(dir: &std::path::Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("s.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// 14 agencies at 5 locations with --top 1000 hold about 4.4 GiB at the
/// peak of the search (it measured above 11 GB before the search kept
/// only its best structures): under a 2 GiB limit it is refused at once,
/// nothing is written, and the message names --top.
#[test]
fn pool_of_14_agencies_with_top_1000_is_refused_quickly_naming_top() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write_scenario(dir.path(), &pool_scenario(14, 5));
    let out = dir.path().join("out");
    let started = Instant::now();
    let output = sscsim()
        .arg("pool")
        .arg(&scenario)
        .args([
            "-q",
            "-n",
            "2",
            "--top",
            "1000",
            "--memory-limit",
            "2GiB",
            "-o",
        ])
        .arg(&out)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(
        stderr.contains("for the search for the 1000 best structures"),
        "{stderr}"
    );
    assert!(stderr.contains("a smaller --top"), "{stderr}");
    assert!(stderr.contains("2.0 GiB (--memory-limit)"), "{stderr}");
    assert!(!out.exists(), "nothing is written");
}

/// One worker's arrivals of the default scenario are small, but 1 000
/// threads' are not: under a 64 MB limit the run is refused, naming the
/// threads; at one thread it runs.
#[test]
fn a_run_whose_threads_exceed_the_memory_limit_is_refused_naming_threads() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = sscsim()
        .args([
            "run",
            "-q",
            "-n",
            "2",
            "-j",
            "1000",
            "--memory-limit",
            "64MB",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("1000 threads' daily arrivals"), "{stderr}");
    assert!(stderr.contains("fewer threads (-j)"), "{stderr}");
    assert!(!out.exists(), "nothing is written");
    sscsim()
        .args(["run", "-q", "-n", "2", "-j", "1", "--memory-limit", "64MB"])
        .assert()
        .success();
}

#[test]
fn a_memory_limit_that_is_not_a_size_is_an_argument_error() {
    let output = sscsim()
        .args(["run", "-n", "2", "--memory-limit", "lots"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("e.g. 8GiB or 500MB"), "{stderr}");
}

/// The peak resident memory (`VmHWM`) of a child, read from
/// `/proc/PID/status` until it exits.
#[cfg(target_os = "linux")]
fn peak_bytes(mut command: std::process::Command) -> u64 {
    let mut child = command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    while child.try_wait().unwrap().is_none() {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kib: u64 = line[6..]
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .unwrap();
            peak_kib = peak_kib.max(kib);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    peak_kib * 1024
}

/// The estimate of a coalition search bounds the peak it reaches.
#[cfg(target_os = "linux")]
#[test]
fn the_pool_estimate_bounds_the_measured_peak() {
    let dir = tempfile::tempdir().unwrap();
    let text = pool_scenario(11, 3);
    let path = write_scenario(dir.path(), &text);
    let scenario = parse(&text);
    let (players, locations) = Game::players_and_locations(&scenario, None).unwrap();
    let search = Search {
        players: players.len() as u32,
        locations: locations.len(),
        top: 200,
    };
    let work = Workload {
        threads: 1,
        replications: 4,
        draws_arrivals: true,
    };
    let estimate = pool_estimate(&scenario, search, work).total_bytes();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_sscsim"));
    command
        .arg("pool")
        .arg(&path)
        .args(["-q", "-n", "4", "-j", "1", "--top", "200"]);
    let peak = peak_bytes(command);
    assert!(
        peak > 0 && estimate >= peak,
        "estimate {estimate}, peak {peak}"
    );
}
