//! The long fuzz campaign: millions of edited scenarios through the reader
//! and validator, and a hundred thousand valid ones through every command
//! (`validate`, `run`, `run --shard` and `merge`, `pool`, `batch`,
//! `report`), in this process, with a time limit on every case and the
//! heap's high-water mark measured. The bounded run of the same harness is
//! part of `cargo test` (`tests/fuzz.rs`).
//!
//! ```sh
//! cargo run --release --example fuzz_campaign > /dev/null
//! ```
//!
//! The commands' result tables go to stdout (hence `> /dev/null`); the
//! campaign's progress and counts go to stderr. It exits 1 on the first
//! hang, and at the end if any case failed; failing inputs are kept in the
//! scratch folder as `failure-INDEX.toml` or `hang-INDEX.toml`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;

#[path = "../tests/fuzz/harness.rs"]
mod harness;

/// The system allocator, counting the bytes allocated and their peak.
struct Counting;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
static PEAK_BYTES: AtomicUsize = AtomicUsize::new(0);
static LARGEST_ALLOCATION_BYTES: AtomicUsize = AtomicUsize::new(0);

fn allocated(bytes: usize) {
    let live = LIVE_BYTES.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK_BYTES.fetch_max(live, Ordering::Relaxed);
    LARGEST_ALLOCATION_BYTES.fetch_max(bytes, Ordering::Relaxed);
}

// SAFETY: every call is passed on to the system allocator unchanged; the
// counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        allocated(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        allocated(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        allocated(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The long fuzz campaign of sscsim.
#[derive(Parser)]
struct Args {
    /// Edited scenarios through the reader and validator.
    #[arg(long, default_value_t = 10_000_000)]
    inputs: u64,
    /// Valid edited scenarios through every command.
    #[arg(long, default_value_t = 100_000)]
    runs: u64,
    /// Seed of every input; input i is the same at any number of workers.
    #[arg(long, default_value_t = 2009)]
    seed: u64,
    /// A case that takes longer is a hang.
    #[arg(long, default_value_t = 60)]
    case_time_limit_seconds: u64,
    /// Cases worked side by side [default: one per core].
    #[arg(long)]
    workers: Option<usize>,
    /// Where runs write their folders and failing inputs are kept
    /// [default: a new folder under /dev/shm, or the temporary folder].
    #[arg(long)]
    scratch: Option<PathBuf>,
    /// The heap the campaign may reach at its peak, in MiB; above it the
    /// campaign fails.
    #[arg(long, default_value_t = 4096)]
    max_heap_mib: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let shm = std::path::Path::new("/dev/shm");
    let scratch = args.scratch.unwrap_or_else(|| {
        let parent = if shm.is_dir() {
            shm.to_owned()
        } else {
            std::env::temp_dir()
        };
        parent.join(format!("sscsim-fuzz-{}", std::process::id()))
    });
    let workers = args.workers.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    let config = harness::Config {
        inputs: args.inputs,
        runs: args.runs,
        seed: args.seed,
        case_time_limit: Duration::from_secs(args.case_time_limit_seconds),
        workers,
        scratch: scratch.clone(),
        report_every: (args.inputs / 20).max(1),
    };
    let start = Instant::now();
    let invoke = |args: &[OsString]| sscsim::cli::run_command_line(args.iter().cloned());
    let counts = harness::campaign(&config, &invoke);
    let seconds = start.elapsed().as_secs_f64();
    let peak_mib = PEAK_BYTES.load(Ordering::Relaxed) as f64 / (1 << 20) as f64;
    let largest_mib = LARGEST_ALLOCATION_BYTES.load(Ordering::Relaxed) as f64 / (1 << 20) as f64;
    eprintln!(
        "fuzz campaign (seed {}, {workers} workers, {seconds:.0} s):\n\
         - {} inputs read and validated, {} valid ({:.1}%)\n\
         - {} valid inputs through every command ({} generated to find them; {} commands; \
         pool refused {} with exit 2)\n\
         - heap peak {peak_mib:.1} MiB, largest single allocation {largest_mib:.1} MiB (limit {} MiB)\n\
         - {} failures, 0 hangs (a hang ends the campaign)",
        args.seed,
        counts.inputs,
        counts.valid,
        100.0 * counts.valid as f64 / counts.inputs.max(1) as f64,
        counts.runs,
        counts.run_candidates,
        counts.commands,
        counts.pool_refusals,
        args.max_heap_mib,
        counts.failures.len(),
    );
    for failure in &counts.failures {
        eprintln!("  {failure}");
    }
    let heap_ok = peak_mib <= args.max_heap_mib as f64;
    if !heap_ok {
        eprintln!("the heap went past {} MiB", args.max_heap_mib);
    }
    if counts.failures.is_empty() && heap_ok {
        let _ = std::fs::remove_dir_all(&scratch);
        ExitCode::SUCCESS
    } else {
        eprintln!("failing inputs are in {}", scratch.display());
        ExitCode::FAILURE
    }
}
