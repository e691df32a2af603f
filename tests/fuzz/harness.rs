//! The fuzz harness shared by the bounded run in `cargo test`
//! (`tests/fuzz.rs`) and the long campaign (`examples/fuzz-campaign.rs`).
//!
//! Inputs are scenario files edited the way a hurried author or a bad copy
//! would: a number replaced by an extreme (0, −0, subnormals, 1e±300, NaN), a
//! number scaled, a value replaced by one of another type or by a
//! distribution of any kind with extreme or ordinary parameters, a line
//! deleted, duplicated or moved, every table of a kind deleted, the file cut
//! short. Every input goes through the reader and validator; valid ones
//! built on the tiny every-section fixture then go through every command
//! (`validate`, `run`, `run --shard` and `merge`, `pool`, `batch`,
//! `report`).
//!
//! What counts as a failure: a panic, a case that runs past the time limit
//! (a hang), a command that fails on a scenario `validate` accepted (any
//! exit code but 0; `pool` may also refuse with exit 2, for reasons of its
//! own such as a scenario without candidate locations).
//!
//! Every input is a function of (seed, index) alone, so a failure is
//! reproduced by its index, whatever the number of workers.

use std::ffi::{OsStr, OsString};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rand::{Rng, RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Numbers at the edges of what a scenario may hold, and beyond.
pub const EXTREME_NUMBERS: [&str; 24] = [
    "0",
    "-0.0",
    "-1",
    "5e-324",
    "2.2250738585072014e-308",
    "1e-300",
    "1e-9",
    "1e-308",
    "1e300",
    "-1e300",
    "1e308",
    "-1e308",
    "1.7976931348623157e308",
    "nan",
    "inf",
    "-inf",
    "9223372036854775807",
    "-9223372036854775808",
    "0.999999999",
    "1e9",
    "1e15",
    "1e16",
    "366",
    "100000000",
];

/// Values of every type, for any key.
const ODD_VALUES: [&str; 10] = [
    "\"\"",
    "\"x\"",
    "[]",
    "[1, 2]",
    "{}",
    "{ GS = -1 }",
    "true",
    "1979-05-27",
    "\"\\u001b[2J\"",
    "\"poisson\"",
];

/// The kinds of distribution a scenario may give.
const DISTRIBUTION_KINDS: [&str; 7] = [
    "fixed",
    "uniform",
    "triangular",
    "pert",
    "normal",
    "lognormal",
    "discrete",
];

/// Factors that move a number a little or a lot, mostly keeping it valid.
const SCALE_FACTORS: [f64; 8] = [0.0, 0.5, 0.9, 1.1, 2.0, 10.0, 1e3, 1e-3];

/// The scenario texts edits start from: the tiny fixture with every section
/// first (the only base of the inputs that are run), then the bundled
/// scenarios but the largest.
pub fn bases() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("scenarios"))
        .expect("the bundled scenarios")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter(|p| p.file_stem().is_some_and(|s| s != "large"))
        .collect();
    paths.sort();
    paths.insert(0, root.join("tests/fixtures/every-section.toml"));
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("a scenario file"))
        .collect()
}

/// The random stream of input `index` of a campaign seeded with `seed`.
fn stream(seed: u64, index: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Input `index`: `base` with one to three edits.
pub fn input(base: &str, seed: u64, index: u64) -> String {
    let mut rng = stream(seed, index);
    let mut lines: Vec<String> = base.lines().map(str::to_owned).collect();
    // One edit in half the inputs, two or three in the rest: most single
    // edits keep a scenario valid, so the simulation is reached too.
    let edits = match rng.random_range(0..10u8) {
        0..5 => 1,
        5..8 => 2,
        _ => 3,
    };
    for _ in 0..edits {
        edit(&mut lines, &mut rng);
    }
    lines.join("\n")
}

/// One edit of `lines` at a random line.
pub fn edit(lines: &mut Vec<String>, rng: &mut impl Rng) {
    if lines.is_empty() {
        return;
    }
    let i = rng.random_range(0..lines.len());
    match rng.random_range(0..12u8) {
        0 => replace_number(&mut lines[i], |_| pick(rng, &EXTREME_NUMBERS).to_string()),
        1..5 => {
            let factor = *pick(rng, &SCALE_FACTORS);
            replace_number(&mut lines[i], |n| format!("{:?}", n * factor));
        }
        5 => replace_value(&mut lines[i], |_| pick(rng, &ODD_VALUES).to_string()),
        6 => replace_value(&mut lines[i], |old| distribution(rng, old)),
        7 => {
            lines.remove(i);
        }
        8 => {
            let line = lines[i].clone();
            lines.insert(i, line);
        }
        9 => {
            let line = lines.remove(i);
            let to = rng.random_range(0..=lines.len());
            lines.insert(to, line);
        }
        10 => delete_tables_like(lines, i),
        _ => cut_short(lines, i, rng),
    }
}

fn pick<'a, T>(rng: &mut impl Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Replaces the first number on `line` with `new(its value)`.
fn replace_number(line: &mut String, new: impl FnOnce(f64) -> String) {
    let Some(start) = line.find(|c: char| c.is_ascii_digit()) else {
        return;
    };
    let end = line[start..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
        .map_or(line.len(), |n| start + n);
    let value = line[start..end].replace('_', "").parse().unwrap_or(1.0);
    *line = format!("{}{}{}", &line[..start], new(value), &line[end..]);
}

/// Replaces the value after the first `=` on `line` with `new(first number
/// of the old value, or 1)`.
fn replace_value(line: &mut String, new: impl FnOnce(f64) -> String) {
    let Some(eq) = line.find('=') else {
        return;
    };
    let old = line[eq + 1..]
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e' || c == '-'))
        .find_map(|word| word.parse::<f64>().ok())
        .unwrap_or(1.0);
    *line = format!("{}= {}", &line[..eq], new(old));
}

/// A distribution of a random kind around `typical`: each parameter is an
/// ordinary multiple of it, or now and then an extreme.
fn distribution(rng: &mut impl Rng, typical: f64) -> String {
    let kind = *pick(rng, &DISTRIBUTION_KINDS);
    let shape = *pick(rng, &["4", "1", "0.5", "100", "1e8", "1e300", "5e-324"]);
    let weight = *pick(rng, &["1", "0", "3", "1e300", "5e-324"]);
    let mut number = |factor: f64| -> String {
        if rng.random_bool(0.15) {
            pick(rng, &EXTREME_NUMBERS).to_string()
        } else {
            format!("{:?}", typical * factor)
        }
    };
    let body = match kind {
        "fixed" => format!("value = {}", number(1.0)),
        "uniform" => format!("min = {}, max = {}", number(0.8), number(1.2)),
        "triangular" => format!(
            "min = {}, mode = {}, max = {}",
            number(0.8),
            number(1.0),
            number(1.3)
        ),
        "pert" => format!(
            "min = {}, mode = {}, max = {}, shape = {shape}",
            number(0.8),
            number(1.0),
            number(1.3),
        ),
        "normal" => format!(
            "mean = {}, sd = {}, min = {}, max = {}",
            number(1.0),
            number(0.1),
            number(0.5),
            number(1.5)
        ),
        "lognormal" => format!(
            "mean = {}, sd = {}, min = {}, max = {}",
            number(1.0),
            number(0.2),
            number(0.3),
            number(3.0)
        ),
        _ => format!(
            "values = [{}, {}], weights = [{weight}, 1]",
            number(0.9),
            number(1.1),
        ),
    };
    format!("{{ dist = \"{kind}\", {body} }}")
}

/// Deletes every table of the kind line `i` is in, e.g. every `[[location]]`.
fn delete_tables_like(lines: &mut Vec<String>, i: usize) {
    let Some(header) = lines[..=i]
        .iter()
        .rev()
        .find(|l| l.starts_with('['))
        .cloned()
    else {
        return;
    };
    let mut keep = true;
    lines.retain(|l| {
        if l.starts_with('[') {
            keep = *l != header;
        }
        keep
    });
}

/// Cuts the file short after line `i`, possibly mid-line.
fn cut_short(lines: &mut Vec<String>, i: usize, rng: &mut impl Rng) {
    lines.truncate(i + 1);
    let last = lines.last_mut().expect("one line is left");
    let mut cut = rng.random_range(0..=last.len());
    while !last.is_char_boundary(cut) {
        cut -= 1;
    }
    last.truncate(cut);
}

/// How a campaign runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// Inputs through the reader and validator.
    pub inputs: u64,
    /// Valid inputs through every command.
    pub runs: u64,
    /// Seed of every input.
    pub seed: u64,
    /// A case that takes longer is a hang.
    pub case_time_limit: Duration,
    /// Threads working cases side by side.
    pub workers: usize,
    /// Failing inputs are written here (`failure-INDEX.toml`), and so are
    /// the runs' result folders while they last.
    pub scratch: PathBuf,
    /// Progress lines on stderr every this many inputs (0: none).
    pub report_every: u64,
}

/// What a campaign saw.
#[derive(Debug, Default)]
pub struct Counts {
    /// Inputs read and validated.
    pub inputs: u64,
    /// Of which valid.
    pub valid: u64,
    /// Valid inputs run through every command.
    pub runs: u64,
    /// Inputs generated to find those valid ones.
    pub run_candidates: u64,
    /// `pool` refusals (exit 2) of a valid scenario.
    pub pool_refusals: u64,
    /// Commands invoked.
    pub commands: u64,
    /// Panics, failing commands and their cases; empty when all went well.
    pub failures: Vec<String>,
}

/// Runs a command line and returns its exit code (`sscsim` in this process,
/// or its binary in a child process).
pub type Invoke = dyn Fn(&[OsString]) -> u8 + Sync;

/// Per worker: when its current case started (milliseconds since the
/// campaign started, 0 when idle), and its index and base, from which the
/// case is made again if it hangs.
#[derive(Default)]
struct Watch {
    started_ms: AtomicU64,
    index: AtomicU64,
    base: AtomicU64,
}

impl Watch {
    fn start(&self, index: u64, base: usize, start: Instant) {
        self.index.store(index, Ordering::SeqCst);
        self.base.store(base as u64, Ordering::SeqCst);
        self.started_ms.store(elapsed_ms(start), Ordering::SeqCst);
    }

    fn stop(&self) {
        self.started_ms.store(0, Ordering::SeqCst);
    }
}

/// Runs a campaign: `config.inputs` inputs through the reader and
/// validator, then `config.runs` valid ones through every command by
/// `invoke`. A case past the time limit ends the process with exit 1, after
/// writing the case to the scratch folder: a hang cannot be recovered from
/// in-process, and must not pass unseen.
pub fn campaign(config: &Config, invoke: &Invoke) -> Counts {
    std::fs::create_dir_all(&config.scratch).expect("a scratch folder");
    let bases = bases();
    let counts = Mutex::new(Counts::default());
    let next = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    let start = Instant::now();
    let found = AtomicU64::new(0);
    let watches: Vec<Watch> = (0..config.workers).map(|_| Watch::default()).collect();
    std::thread::scope(|scope| {
        scope.spawn(|| watchdog(config, &bases, &watches, &done, start));
        // Phase 1: read and validate.
        let workers: Vec<_> = watches
            .iter()
            .map(|watch| {
                scope.spawn(|| {
                    read_inputs(config, &bases, &next, &counts, watch, start);
                })
            })
            .collect();
        for w in workers {
            w.join().expect("a phase-1 worker");
        }
        // Phase 2: run valid inputs through every command.
        next.store(0, Ordering::SeqCst);
        let workers: Vec<_> = watches
            .iter()
            .enumerate()
            .map(|(w, watch)| {
                let (bases, next, found, counts) = (&bases, &next, &found, &counts);
                scope.spawn(move || {
                    run_inputs(
                        config, &bases[0], next, found, counts, watch, start, w, invoke,
                    );
                })
            })
            .collect();
        for w in workers {
            w.join().expect("a phase-2 worker");
        }
        done.store(true, Ordering::SeqCst);
    });
    counts.into_inner().expect("counts")
}

fn elapsed_ms(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX) + 1
}

fn watchdog(
    config: &Config,
    bases: &[String],
    watches: &[Watch],
    done: &AtomicBool,
    start: Instant,
) {
    let limit_ms = u64::try_from(config.case_time_limit.as_millis()).unwrap_or(u64::MAX);
    while !done.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(200));
        let now = elapsed_ms(start);
        for watch in watches {
            let started = watch.started_ms.load(Ordering::SeqCst);
            if started != 0 && now.saturating_sub(started) > limit_ms {
                let index = watch.index.load(Ordering::SeqCst);
                let base = usize::try_from(watch.base.load(Ordering::SeqCst)).unwrap_or(0);
                let path = config.scratch.join(format!("hang-{index}.toml"));
                let _ = std::fs::write(&path, input(&bases[base], config.seed, index));
                eprintln!(
                    "fuzz: a case ran longer than {:?} (a hang); it is in {}",
                    config.case_time_limit,
                    path.display()
                );
                std::process::exit(1);
            }
        }
    }
}

fn read_inputs(
    config: &Config,
    bases: &[String],
    next: &AtomicU64,
    counts: &Mutex<Counts>,
    watch: &Watch,
    start: Instant,
) {
    let (mut inputs, mut valid) = (0, 0);
    loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        if index >= config.inputs {
            break;
        }
        // Half the inputs start from the tiny fixture with every section,
        // the rest from each bundled scenario in turn.
        let base = if index.is_multiple_of(2) {
            0
        } else {
            1 + usize::try_from(index / 2 % (bases.len() as u64 - 1)).unwrap_or(0)
        };
        watch.start(index, base, start);
        let text = input(&bases[base], config.seed, index);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            sscsim::scenario::parse("fuzz.toml", &text).is_ok()
        }));
        watch.stop();
        inputs += 1;
        match outcome {
            Ok(true) => valid += 1,
            Ok(false) => {}
            Err(_) => fail(
                config,
                counts,
                index,
                &text,
                "the reader or validator panicked",
            ),
        }
        if config.report_every > 0 && (index + 1).is_multiple_of(config.report_every) {
            eprintln!(
                "fuzz: {} inputs read in {:.0} s",
                index + 1,
                start.elapsed().as_secs_f64()
            );
        }
    }
    let mut c = counts.lock().expect("counts");
    c.inputs += inputs;
    c.valid += valid;
}

#[allow(clippy::too_many_arguments)]
fn run_inputs(
    config: &Config,
    base: &str,
    next: &AtomicU64,
    found: &AtomicU64,
    counts: &Mutex<Counts>,
    watch: &Watch,
    start: Instant,
    worker: usize,
    invoke: &Invoke,
) {
    // Run inputs have indices of their own, past the phase-1 ones.
    let offset = config.inputs;
    let folder = config.scratch.join(format!("worker-{worker}"));
    let mut local = Counts::default();
    while found.load(Ordering::SeqCst) < config.runs {
        let index = offset + next.fetch_add(1, Ordering::Relaxed);
        local.run_candidates += 1;
        let text = input(base, config.seed, index);
        let valid = catch_unwind(AssertUnwindSafe(|| {
            sscsim::scenario::parse("fuzz.toml", &text).is_ok()
        }));
        match valid {
            Ok(true) => {}
            Ok(false) => continue,
            Err(_) => {
                fail(
                    config,
                    counts,
                    index,
                    &text,
                    "the reader or validator panicked",
                );
                continue;
            }
        }
        let ordinal = found.fetch_add(1, Ordering::SeqCst);
        if ordinal >= config.runs {
            break;
        }
        watch.start(index, 0, start);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            every_command(&folder, &text, ordinal, invoke, &mut local)
        }));
        watch.stop();
        local.runs += 1;
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(why)) => fail(config, counts, index, &text, &why),
            Err(_) => fail(config, counts, index, &text, "a command panicked"),
        }
        let _ = std::fs::remove_dir_all(&folder);
        if config.report_every > 0
            && (ordinal + 1).is_multiple_of((config.report_every / 100).max(1))
        {
            eprintln!(
                "fuzz: {} valid inputs run in {:.0} s",
                ordinal + 1,
                start.elapsed().as_secs_f64()
            );
        }
    }
    let mut c = counts.lock().expect("counts");
    c.runs += local.runs;
    c.run_candidates += local.run_candidates;
    c.pool_refusals += local.pool_refusals;
    c.commands += local.commands;
}

/// Sends the valid scenario `text` through `validate`, `run` (whole, and as
/// two shards then `merge`), `pool`, and now and then `batch` and `report`.
fn every_command(
    folder: &Path,
    text: &str,
    ordinal: u64,
    invoke: &Invoke,
    counts: &mut Counts,
) -> Result<(), String> {
    std::fs::create_dir_all(folder).map_err(|e| e.to_string())?;
    let scenario = folder.join("fuzz.toml");
    std::fs::write(&scenario, text).map_err(|e| e.to_string())?;
    let s = scenario.as_os_str();
    let [shard1, shard2, merged, whole, batch] =
        ["shard1", "shard2", "merged", "whole", "batch"].map(|name| folder.join(name));
    let (shard1, shard2, merged) = (shard1.as_os_str(), shard2.as_os_str(), merged.as_os_str());
    let tiny: [&OsStr; 5] = ["-n", "2", "-q", "-j", "1"].map(OsStr::new);
    let sscsim = |words: &[&OsStr], options: &[&OsStr]| -> Vec<OsString> {
        std::iter::once(OsStr::new("sscsim"))
            .chain(words.iter().copied())
            .chain(options.iter().copied())
            .map(OsStr::to_owned)
            .collect()
    };
    let o = OsStr::new("-o");
    let mut commands = Vec::new();
    if ordinal.is_multiple_of(10) {
        commands.push(sscsim(&["validate".as_ref(), s], &[]));
    }
    commands.push(sscsim(
        &[
            "run".as_ref(),
            s,
            o,
            shard1,
            "--shard".as_ref(),
            "1/2".as_ref(),
        ],
        &tiny,
    ));
    commands.push(sscsim(
        &[
            "run".as_ref(),
            s,
            o,
            shard2,
            "--shard".as_ref(),
            "2/2".as_ref(),
        ],
        &tiny,
    ));
    commands.push(sscsim(
        &["merge".as_ref(), shard1, shard2, o, merged, "-q".as_ref()],
        &[],
    ));
    if ordinal.is_multiple_of(4) {
        commands.push(sscsim(&["run".as_ref(), s, o, whole.as_os_str()], &tiny));
    }
    if ordinal.is_multiple_of(50) {
        commands.push(sscsim(&["report".as_ref(), merged], &[]));
        commands.push(sscsim(&["batch".as_ref(), s, o, batch.as_os_str()], &tiny));
    }
    for args in commands {
        counts.commands += 1;
        match invoke(&args) {
            0 => {}
            code => return Err(format!("`{}` exited {code}", shown(&args))),
        }
    }
    let pool = sscsim(&["pool".as_ref(), s], &tiny);
    counts.commands += 1;
    match invoke(&pool) {
        0 => Ok(()),
        2 => {
            counts.pool_refusals += 1;
            Ok(())
        }
        code => Err(format!("`{}` exited {code}", shown(&pool))),
    }
}

fn shown(args: &[OsString]) -> String {
    args.iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Records a failing case, writing its input into the scratch folder.
fn fail(config: &Config, counts: &Mutex<Counts>, index: u64, text: &str, why: &str) {
    let path = config.scratch.join(format!("failure-{index}.toml"));
    let _ = std::fs::write(&path, text);
    let mut c = counts.lock().expect("counts");
    c.failures
        .push(format!("input {index} ({}): {why}", path.display()));
}
