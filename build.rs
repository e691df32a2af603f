//! Build script: tells the browser tests (`tests/report.rs`) whether they
//! are to be skipped, so that a skip is reported as `ignored`, with its
//! reason, rather than as a pass. The library and binary do not use it.
//!
//! Without Chromium the browser tests fail, unless
//! `SSCSIM_SKIP_BROWSER_TESTS=1` is set when the tests are built; then they
//! are compiled with `#[ignore]` (the cfg `sscsim_skip_browser_tests`).

/// The variable that opts out of the browser tests.
const SKIP_VARIABLE: &str = "SSCSIM_SKIP_BROWSER_TESTS";

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed={SKIP_VARIABLE}");
    println!("cargo::rustc-check-cfg=cfg(sscsim_skip_browser_tests)");
    let skip = std::env::var(SKIP_VARIABLE).is_ok_and(|value| value == "1");
    if skip {
        println!("cargo::rustc-cfg=sscsim_skip_browser_tests");
    }
}
