//! `sscsim report` and `--report`: the page's charts and sections follow
//! the folder's files, errors name the file, and the page renders in a
//! real browser (headless Chromium) with every chart drawn.

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;

use crate::util::fixture;

fn sscsim() -> Command {
    Command::cargo_bin("sscsim").unwrap()
}

/// Each chart, the file that feeds it, the SVG element it draws its data
/// with and at least how many of those it has (the white background is a
/// `<rect>` too), and at least how many drawn elements of any kind
/// (shapes, lines, texts) — for any data, however small.
struct ExpectedChart {
    id: &'static str,
    file: &'static str,
    data_tag: &'static str,
    min_data: usize,
    min_drawn: usize,
}

/// Elements plotters draws with.
const DRAWN_TAGS: [&str; 6] = [
    "<rect",
    "<polyline",
    "<polygon",
    "<circle",
    "<line",
    "<text",
];

const CHARTS: [ExpectedChart; 9] = [
    // At least 5 bins, each filled and outlined.
    ExpectedChart {
        id: "chart-savings",
        file: "replications.csv",
        data_tag: "<rect",
        min_data: 11,
        min_drawn: 40,
    },
    // A band per strategy.
    ExpectedChart {
        id: "chart-fan",
        file: "years.csv",
        data_tag: "<polygon",
        min_data: 1,
        min_drawn: 25,
    },
    // A band per strategy against the status quo.
    ExpectedChart {
        id: "chart-differences",
        file: "differences.csv",
        data_tag: "<polygon",
        min_data: 1,
        min_drawn: 25,
    },
    // The first strategy that moves work: at least one kind and the total.
    ExpectedChart {
        id: "chart-one-off-1",
        file: "summary.csv",
        data_tag: "<rect",
        min_data: 3,
        min_drawn: 15,
    },
    // At least one part and the total.
    ExpectedChart {
        id: "chart-waterfall",
        file: "decomposition_summary.csv",
        data_tag: "<rect",
        min_data: 3,
        min_drawn: 15,
    },
    // Two half-bars for at least one input.
    ExpectedChart {
        id: "chart-tornado",
        file: "sensitivity.csv",
        data_tag: "<rect",
        min_data: 3,
        min_drawn: 15,
    },
    // A filled and an outlined dot for at least one centre.
    ExpectedChart {
        id: "chart-scale",
        file: "centres.csv",
        data_tag: "<circle",
        min_data: 2,
        min_drawn: 15,
    },
    // A mean dot (and a p5-p95 line) per structure, and two legend dots.
    ExpectedChart {
        id: "chart-structures",
        file: "coalitions.csv",
        data_tag: "<circle",
        min_data: 3,
        min_drawn: 15,
    },
    // A bar per method and agency (and the legend's swatches).
    ExpectedChart {
        id: "chart-shares",
        file: "allocation.csv",
        data_tag: "<rect",
        min_data: 4,
        min_drawn: 15,
    },
];

/// The charts a folder's files call for.
fn expected_charts(dir: &Path) -> Vec<&'static ExpectedChart> {
    CHARTS.iter().filter(|c| has_rows(dir, c.file)).collect()
}

/// Whether a result file exists with at least one row under its header.
fn has_rows(dir: &Path, file: &str) -> bool {
    std::fs::read_to_string(dir.join(file)).is_ok_and(|text| text.lines().count() > 1)
}

/// The `<svg id=...>` element of a page, up to its end.
fn svg_of<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let start = html.find(&format!("<svg id=\"{id}\""))?;
    let end = html[start..].find("</svg>")?;
    Some(&html[start..start + end])
}

/// Checks that each expected chart is an SVG with enough drawn elements,
/// and that the page has no chart its files do not call for. Returns each
/// chart's counts of data elements and of all drawn elements.
fn assert_charts_drawn(html: &str, dir: &Path) -> Vec<(&'static str, usize, usize)> {
    let expected = expected_charts(dir);
    let mut counts = Vec::new();
    for chart in &expected {
        let svg = svg_of(html, chart.id)
            .unwrap_or_else(|| panic!("no <svg id=\"{}\"> though {} exists", chart.id, chart.file));
        let data = svg.matches(chart.data_tag).count();
        let drawn: usize = DRAWN_TAGS.iter().map(|t| svg.matches(t).count()).sum();
        assert!(
            data >= chart.min_data && drawn >= chart.min_drawn,
            "{}: {data} {} and {drawn} drawn elements; expected at least {} and {}",
            chart.id,
            chart.data_tag,
            chart.min_data,
            chart.min_drawn
        );
        assert!(svg.contains("role=\"img\""), "{} has no role", chart.id);
        assert!(svg.contains("<title"), "{} has no title", chart.id);
        counts.push((chart.id, data, drawn));
    }
    for chart in CHARTS.iter().filter(|c| !has_rows(dir, c.file)) {
        assert!(
            svg_of(html, chart.id).is_none(),
            "{} drawn without {}",
            chart.id,
            chart.file
        );
    }
    counts
}

/// A result folder of the embedded default (which has a comparison),
/// with its report.
fn run_with_report(dir: &Path) -> PathBuf {
    let out = dir.join("results");
    sscsim()
        .args(["run", "-n", "40", "-q", "--report", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
    out
}

#[test]
fn run_with_report_writes_a_report_with_the_charts_of_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_with_report(dir.path());
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_charts_drawn(&html, &out);
    assert!(
        html.contains("UNHCR and FAO in Budapest"),
        "no scenario name"
    );
    assert!(html.contains("<dd>40</dd>"), "no replication count");
    assert!(html.contains("<dd>20080101</dd>"), "no seed");
    assert!(html.contains(env!("CARGO_PKG_VERSION")), "no version");
    // `run` writes every file a chart needs: only the pool's tables, which
    // `pool` writes, and the sweep's and break-even's are listed as absent.
    assert!(
        html.contains("Not in this folder (3)"),
        "three absent sections"
    );
    assert!(html.contains("this folder has no coalitions.csv or allocation.csv"));
}

#[test]
fn a_scenario_without_a_comparison_says_why_there_is_no_waterfall() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    sscsim()
        .arg("run")
        .arg(fixture("hand-computed.toml"))
        .args(["-n", "3", "-q", "--report", "-o"])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_charts_drawn(&html, &out);
    assert!(html.contains("(no comparison in this scenario)"));
    assert!(html.contains("the scenario has no uncertain inputs: sensitivity.csv is empty."));
    assert!(
        !html.contains("Economies of scale lost</th>"),
        "a column for a comparison"
    );
}

#[test]
fn the_fixture_folder_gets_every_chart_and_the_pool_tables() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nested/fixture.html");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    sscsim()
        .arg("report")
        .arg(fixture("report-full"))
        .arg("--out")
        .arg(&file)
        .assert()
        .success();
    let html = std::fs::read_to_string(&file).unwrap();
    assert_eq!(expected_charts(&fixture("report-full")).len(), CHARTS.len());
    assert_charts_drawn(&html, &fixture("report-full"));
    for text in [
        "unhcr+fao@budapest",
        "Shapley value",
        "Equal split",
        "Economies of scale lost by <code>solo</code> against <code>pooled</code>",
        "<code>sscsim run</code>",
    ] {
        assert!(html.contains(text), "missing {text}");
    }
    // Only the sections of `sweep` and `breakeven`, whose files a run's
    // folder never has.
    assert!(
        html.contains("Not in this folder (2)"),
        "a section is absent"
    );
    let absent = section_of(&html, "absent");
    assert!(absent.contains("no sweep.csv") && absent.contains("no breakeven.csv"));
    // The productivity table: a row per strategy and line, the contact
    // columns for the desk and a dash for the queue line.
    let table = section_of(&html, "productivity");
    assert_eq!(table.matches("<tr>").count(), 1 + 6, "heading and six rows");
    for text in [
        "ASA, s",
        "Abandoned",
        "3,636",
        "16.1",
        "9.0%",
        "<code>desk</code>",
    ] {
        assert!(table.contains(text), "productivity table lacks {text}");
    }
    // The one-off waterfalls: one per strategy that moves work, each kind
    // with a cost then the total; zero kinds are left out.
    let one_off = section_of(&html, "one-off");
    assert!(
        svg_of(&html, "chart-one-off-2").is_some(),
        "no second waterfall"
    );
    assert!(
        svg_of(&html, "chart-one-off-3").is_none(),
        "a status-quo waterfall"
    );
    let solo = svg_of(&html, "chart-one-off-1").unwrap();
    for text in [
        "One-off costs of solo",
        "Separation",
        "Site set-up",
        "Optimism-bias uplift",
        "Total",
    ] {
        assert!(solo.contains(text), "solo's waterfall lacks {text}");
    }
    assert!(!one_off.contains("Disruption"), "a kind without cost");
    assert!(
        one_off.contains("30.00") && one_off.contains("25.00"),
        "no totals"
    );
    // The difference fan: against the status quo only, at the mean.
    let fan = svg_of(&html, "chart-differences").unwrap();
    assert!(fan.contains("solo: mean and p5–p95 band"), "no legend");
    assert!(fan.contains("pooled: in year 5 a mean of 7.8 USD million"));
}

/// The `<section id=...>` of a page, up to its end.
fn section_of<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..].find("</section>").unwrap();
    &html[start..start + end]
}

#[test]
fn structures_within_noise_of_the_best_are_marked_as_ties_and_the_core_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let folder = fixture_copy(dir.path());
    // The second structure's paired difference, 2 ± 3 (million), includes
    // zero: a tie; the third's, 30 ± 3, does not.
    std::fs::write(
        folder.join("coalitions.csv"),
        "rank,structure,centres,npv_cost_usd,p05,p95,service_level,prob_beats_next,\
         above_best_usd,above_best_half_width_usd,tied_with_best\n\
         1,a+b@x,1,100e6,90e6,110e6,1,0.6,,,1\n\
         2,a@x | b@x,2,102e6,92e6,112e6,1,1,2e6,3e6,1\n\
         3,a+b@y,1,130e6,120e6,140e6,1,,30e6,3e6,0\n",
    )
    .unwrap();
    sscsim().arg("report").arg(&folder).assert().success();
    let html = std::fs::read_to_string(folder.join("report.html")).unwrap();
    let pool = section_of(&html, "pool");
    assert!(pool.contains("<td class=\"num\">=2</td>"), "{pool}");
    assert!(pool.contains("<td class=\"num\">3</td>"), "{pool}");
    assert!(pool.contains("1 of the 2 structures after the best tie with it"));
    assert!(pool.contains("+2.00 ± 3.00"), "{pool}");
    assert!(pool.contains("The <strong>core</strong> of the cost game"));
    assert!(
        svg_of(&html, "chart-structures")
            .unwrap()
            .contains("Rank =2")
    );
    // The finish time reads as a date.
    assert!(html.contains("1 November 2026, 09:00 UTC"));
    assert!(!html.contains(">2026-11-01T09:00:02Z<"));
}

#[test]
fn a_folder_from_before_lines_and_differences_says_those_sections_are_missing() {
    let dir = tempfile::tempdir().unwrap();
    let folder = fixture_copy(dir.path());
    std::fs::remove_file(folder.join("lines.csv")).unwrap();
    std::fs::remove_file(folder.join("differences.csv")).unwrap();
    sscsim().arg("report").arg(&folder).assert().success();
    let html = std::fs::read_to_string(folder.join("report.html")).unwrap();
    assert_charts_drawn(&html, &folder);
    // With those of `sweep` and `breakeven`.
    assert!(
        html.contains("Not in this folder (4)"),
        "four absent sections"
    );
    for file in ["lines.csv", "differences.csv"] {
        assert!(
            html.contains(&format!("this folder has no {file} (it is written by")),
            "no word on {file}"
        );
    }
}

#[test]
fn the_report_is_self_contained() {
    let html = sscsim::report::render(&fixture("report-full")).unwrap();
    for tag in ["<script", "<link", "<img", "<iframe", "@import"] {
        assert!(!html.contains(tag), "the page has {tag}");
    }
    // The only address is the SVG namespace; the fonts are data.
    let addresses = html.matches("http").count();
    let namespaces = html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
    assert_eq!(
        addresses, namespaces,
        "an address other than the SVG namespace"
    );
    assert_eq!(
        html.matches("url(").count(),
        html.matches("url(data:font/ttf;base64,").count()
    );
}

#[test]
fn the_same_folder_gives_the_same_report_byte_for_byte() {
    let a = sscsim::report::render(&fixture("report-full")).unwrap();
    let b = sscsim::report::render(&fixture("report-full")).unwrap();
    assert_eq!(a, b);
}

#[test]
fn report_without_out_is_an_argument_error() {
    for command in ["run", "explain", "pool"] {
        sscsim()
            .args([command, "-n", "2", "--report"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--out"));
    }
}

#[test]
fn explain_and_pool_with_report_write_their_reports() {
    let dir = tempfile::tempdir().unwrap();
    let explained = dir.path().join("explain");
    sscsim()
        .args(["explain", "-n", "8", "-q", "--report", "-o"])
        .arg(&explained)
        .assert()
        .success();
    let html = std::fs::read_to_string(explained.join("report.html")).unwrap();
    assert_charts_drawn(&html, &explained);
    assert!(svg_of(&html, "chart-waterfall").is_some());

    let pooled = dir.path().join("pool");
    sscsim()
        .args(["pool", "-n", "4", "-q", "--report", "-o"])
        .arg(&pooled)
        .assert()
        .success();
    let html = std::fs::read_to_string(pooled.join("report.html")).unwrap();
    assert!(html.contains("The cheapest coalition structures"));
    assert!(html.contains(
        "<li id=\"savings\"><strong>How sure are the savings?</strong>: this folder has no \
         replications.csv (it is written by <code>sscsim run --out</code>)"
    ));
}

#[test]
fn a_folder_without_a_manifest_fails_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("summary.csv"),
        "strategy,metric,mean,p05,p95\n",
    )
    .unwrap();
    sscsim()
        .arg("report")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("manifest.toml not found"));
    assert!(!dir.path().join("report.html").exists());
}

#[test]
fn a_folder_that_does_not_exist_fails_saying_so() {
    let dir = tempfile::tempdir().unwrap();
    sscsim()
        .arg("report")
        .arg(dir.path().join("nowhere"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nowhere is not a folder"));
}

/// A copy of the fixture folder, to spoil.
fn fixture_copy(dir: &Path) -> PathBuf {
    let copy = dir.join("copy");
    std::fs::create_dir_all(&copy).unwrap();
    for entry in std::fs::read_dir(fixture("report-full")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), copy.join(entry.file_name())).unwrap();
    }
    copy
}

#[test]
fn a_file_missing_a_column_fails_naming_the_file_and_the_column() {
    let dir = tempfile::tempdir().unwrap();
    let copy = fixture_copy(dir.path());
    std::fs::write(
        copy.join("centres.csv"),
        "strategy,centre,location,agencies,transactions_per_year,fte\nsolo,a,b,c,1,2\n",
    )
    .unwrap();
    sscsim()
        .arg("report")
        .arg(&copy)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("centres.csv has no columns"))
        .stderr(predicate::str::contains("`running_cost_usd_per_year`"))
        .stderr(predicate::str::contains("`cost_per_transaction_usd`"));
    assert!(!copy.join("report.html").exists());
}

#[test]
fn odd_but_readable_files_still_make_a_report() {
    // One replication, identical values, empty and non-finite cells,
    // centres without volume, a decomposition without a total, a
    // sensitivity file without a top input.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let write = |name: &str, text: &str| std::fs::write(d.join(name), text).unwrap();
    write(
        "manifest.toml",
        "sscsim_version = \"0.0.1\"\nscenario_name = \"Odd <&> case\"\nseed = 0\nreplications = 1\n",
    );
    write(
        "replications.csv",
        "strategy,npv_savings_usd\nstatus_quo,0\nsolo,5\nsolo,NaN\npooled,\n",
    );
    write(
        "summary.csv",
        "strategy,metric,mean,p05,p95\nsolo,npv_savings_usd,inf,,\nsolo,npv_cost_usd,1,1,1\n",
    );
    write(
        "years.csv",
        "strategy,year,metric,p05,p50,p95\nsolo,1,cumulative_savings_usd,3,3,3\n",
    );
    write(
        "decomposition_summary.csv",
        "mechanism,share_of_gap,mean,p05,p95\nfixed_overhead,,-2,,\nother,,0,,\n",
    );
    write(
        "sensitivity.csv",
        "output,strategy,input,rank_correlation,input_p10,input_p90,output_at_p10,output_at_p90,swing\n\
         npv_savings_usd,solo,x,0.1,1,2,,,\n",
    );
    write(
        "centres.csv",
        "strategy,centre,location,agencies,transactions_per_year,running_cost_usd_per_year,cost_per_transaction_usd,fte\n\
         solo,a,b,c,0,1,1,1\nsolo,d,e,f,100,1,-0.5,1\n",
    );
    write(
        "coalitions.csv",
        "rank,structure,centres,npv_cost_usd,p05,p95,service_level,prob_beats_next\n",
    );
    sscsim().arg("report").arg(d).assert().success();
    let html = std::fs::read_to_string(d.join("report.html")).unwrap();
    assert!(
        html.contains("Odd &lt;&amp;&gt; case"),
        "the name is not escaped"
    );
    assert!(svg_of(&html, "chart-savings").is_some());
    assert!(svg_of(&html, "chart-waterfall").is_some());
    assert!(html.contains("No chart: no input"));
}

#[test]
fn extreme_numbers_make_a_report_without_hanging_or_panicking() {
    // Ranges of hundreds of decades once sent plotters' log-axis tick
    // search into an endless loop, and an infinite range its linear one;
    // numbers past ±1e100 are missing, and those up to it must render.
    for (a, b) in [
        ("1e300", "-1e300"),
        ("1.7e308", "-1.7e308"),
        ("1e-300", "2e-300"),
        ("1e100", "-1e100"),
        ("1e100", "1e100"),
        ("0", "0"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let write = |name: &str, text: String| std::fs::write(d.join(name), text).unwrap();
        write(
            "manifest.toml",
            "sscsim_version = \"0\"\nscenario_name = \"x\"\nseed = 0\nreplications = 2\n".into(),
        );
        write(
            "replications.csv",
            format!("strategy,npv_savings_usd\nsolo,{a}\nsolo,{b}\n"),
        );
        write(
            "years.csv",
            format!(
                "strategy,year,metric,p05,p50,p95\nsolo,1,cumulative_savings_usd,{b},{a},{a}\n\
                 solo,4000000000,cumulative_savings_usd,{b},{a},{a}\n"
            ),
        );
        write(
            "decomposition_summary.csv",
            format!("mechanism,share_of_gap,mean,p05,p95\nfixed_overhead,,{a},,\nother,,{b},,\n"),
        );
        write(
            "centres.csv",
            format!(
                "strategy,centre,location,agencies,transactions_per_year,\
                 running_cost_usd_per_year,cost_per_transaction_usd,fte\n\
                 solo,a,b,c,{a},1,{a},1\nsolo,d,e,f,{b},1,{b},1\nsolo,g,h,i,1e300,1,1,1\n\
                 solo,j,k,l,1e-300,1,1,1\nsolo,m,n,o,5,1,{a},1\n"
            ),
        );
        if let Err(e) = sscsim::report::render(d) {
            panic!("{a}, {b}: {e}");
        }
    }
}

// ---------------------------------------------------------------------------
// In a real browser.

/// Chromium: `$SSCSIM_CHROMIUM`, else `/usr/bin/chromium`, else `chromium`
/// on the PATH; or why there is none.
fn find_chromium() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("SSCSIM_CHROMIUM") {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("SSCSIM_CHROMIUM={} is not a file", path.display()))
        };
    }
    let debian = PathBuf::from("/usr/bin/chromium");
    if debian.is_file() {
        return Ok(debian);
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join("chromium"))
        .find(|p| p.is_file())
        .ok_or_else(|| "no /usr/bin/chromium and no chromium on the PATH".to_owned())
}

/// Chromium, or a failure that says how to install it or how to opt out
/// of the browser tests: a missing browser must not look like a pass.
/// With `SSCSIM_SKIP_BROWSER_TESTS=1` set at build time, the browser tests
/// are compiled as ignored (see `build.rs`) and do not get here unless
/// asked to (`--include-ignored`).
fn chromium_or_fail(test: &str) -> PathBuf {
    find_chromium().unwrap_or_else(|why| {
        panic!(
            "{test}: Chromium not found ({why}); install Debian's `chromium` \
             (apt-get install --no-install-recommends chromium) or set SSCSIM_CHROMIUM"
        )
    })
}

/// Runs headless Chromium on a page with `extra` arguments and returns
/// its stdout; fails after two minutes.
fn chromium(browser: &Path, page: &Path, extra: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Process::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!(
                "Chromium did not finish within two minutes on {}",
                page.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "Chromium failed on {}: {status}",
        page.display()
    );
    reader.join().unwrap()
}

/// What a screenshot shows: its size, how many distinct colours (to 4 bits
/// a channel) and the share of pixels that are not near-white.
fn screenshot_stats(png_path: &Path) -> (u32, u32, usize, f64) {
    let file = std::io::BufReader::new(std::fs::File::open(png_path).unwrap());
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let samples = info.color_type.samples();
    assert!(
        samples >= 3,
        "expected a colour screenshot, got {:?}",
        info.color_type
    );
    let mut colours = std::collections::HashSet::new();
    let mut inked = 0usize;
    let pixels = (info.width * info.height) as usize;
    for px in buffer[..info.buffer_size()].chunks_exact(samples) {
        colours.insert((px[0] >> 4, px[1] >> 4, px[2] >> 4));
        if px[..3].iter().any(|&c| c < 235) {
            inked += 1;
        }
    }
    (
        info.width,
        info.height,
        colours.len(),
        inked as f64 / pixels as f64,
    )
}

/// Renders a report in Chromium: the DOM has every chart with its drawn
/// elements, and the screenshot is a page, not a blank.
fn check_in_browser(browser: &Path, report: &Path, folder: &Path) {
    let dom = chromium(browser, report, &["--dump-dom".into()]);
    assert!(
        dom.contains("<main>"),
        "Chromium's DOM has no page:\n{dom:.400}"
    );
    let counts = assert_charts_drawn(&dom, folder);

    let shot_dir = tempfile::tempdir().unwrap();
    let shot = shot_dir.path().join("report.png");
    chromium(
        browser,
        report,
        &[
            "--window-size=1000,3000".into(),
            format!("--screenshot={}", shot.display()),
        ],
    );
    let (width, height, colours, inked) = screenshot_stats(&shot);
    eprintln!(
        "{}: charts (id, data elements, drawn elements) {counts:?}; screenshot {width}x{height}, \
         {colours} colours, {:.1}% inked",
        report.display(),
        inked * 100.0
    );
    assert_eq!((width, height), (1000, 3000));
    assert!(colours >= 12, "only {colours} colours: a blank page?");
    assert!(
        (0.03..0.9).contains(&inked),
        "{:.1}% of the pixels are not white",
        inked * 100.0
    );
}

#[test]
#[ignore = "needs Chromium: run by .ci/run, or by `cargo test -- --ignored`"]
fn in_chromium_the_run_report_draws_every_chart() {
    let browser = chromium_or_fail("in_chromium_the_run_report_draws_every_chart");
    let dir = tempfile::tempdir().unwrap();
    let out = run_with_report(dir.path());
    check_in_browser(&browser, &out.join("report.html"), &out);
}

#[test]
#[ignore = "needs Chromium: run by .ci/run, or by `cargo test -- --ignored`"]
fn in_chromium_the_fixture_report_draws_every_chart() {
    let browser = chromium_or_fail("in_chromium_the_fixture_report_draws_every_chart");
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.html");
    sscsim()
        .arg("report")
        .arg(fixture("report-full"))
        .arg("--out")
        .arg(&report)
        .assert()
        .success();
    check_in_browser(&browser, &report, &fixture("report-full"));
}

/// The widths, in CSS pixels, that a script measures in the page as
/// Chromium lays it out in a window 1000 pixels wide: the page's own and
/// that of every table wider than the box it is in, by caption.
fn overflowing_tables(browser: &Path, report: &Path) -> (u32, u32, Vec<String>) {
    let probe = report.with_file_name("probe.html");
    let script = "<script>\
        const wide = [...document.querySelectorAll('table')]\
          .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1)\
          .map(t => (t.caption ? t.caption.textContent : '?').replaceAll('|', '/'));\
        const root = document.documentElement;\
        document.body.setAttribute('data-widths', \
          root.scrollWidth + '|' + root.clientWidth + '|' + wide.join('|'));\
        </script></body>";
    let html = std::fs::read_to_string(report).unwrap();
    std::fs::write(&probe, html.replace("</body>", script)).unwrap();
    let dom = chromium(
        browser,
        &probe,
        &["--window-size=1000,3000".into(), "--dump-dom".into()],
    );
    let at = dom.find("data-widths=\"").expect("the script ran") + "data-widths=\"".len();
    let widths = &dom[at..at + dom[at..].find('"').unwrap()];
    let mut parts = widths.split('|');
    let page = parts.next().unwrap().parse().unwrap();
    let window = parts.next().unwrap().parse().unwrap();
    let wide = parts.filter(|c| !c.is_empty()).map(str::to_owned).collect();
    (page, window, wide)
}

#[test]
#[ignore = "needs Chromium: run by .ci/run, or by `cargo test -- --ignored`"]
fn in_chromium_the_pool_report_of_ten_agencies_fits_a_1000_pixel_window() {
    let browser =
        chromium_or_fail("in_chromium_the_pool_report_of_ten_agencies_fits_a_1000_pixel_window");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pool");
    sscsim()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "pool",
            "scenarios/un-system-ssc.toml",
            "-n",
            "10",
            "--top",
            "5",
        ])
        .args(["-q", "--report", "-o"])
        .arg(&out)
        .assert()
        .success();
    let (page, window, wide) = overflowing_tables(&browser, &out.join("report.html"));
    assert!(
        page <= window,
        "the page is {page} px wide in a {window} px window"
    );
    assert!(wide.is_empty(), "tables wider than their box: {wide:?}");
}

/// A folder holding a minimal manifest and the given files, and its report.
fn report_of(files: &[(&str, &str)]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("manifest.toml"),
        "sscsim_version = \"0.1.0\"\nscenario_name = \"x\"\nseed = 1\nreplications = 400\n",
    )
    .unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    sscsim().arg("report").arg(dir.path()).assert().success();
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    (dir, html)
}

const SUMMARY: &str = "strategy,metric,mean,p05,p95\n\
                       status_quo,npv_savings_usd,0,0,0\n\
                       pooled,npv_savings_usd,5000000,1000000,9000000\n";

const VOI: &str = "input,kind,input_label,evppi_usd,se_usd,share_of_evpi,inputs,replications\n\
                   all,all,every uncertain input,2500000,100000,1,40,400\n\
                   volumes,group,All volumes,1234567,50000,0.4938268,12,400\n\
                   a.b,input,Budapest GS cost (USD/FTE-year),300000,,0.12,1,400\n\
                   c.d,input,,,,,1,400\n";

const GLOBAL: &str = "output,strategy,input,input_label,first_order,first_order_ci_low,\
                      first_order_ci_high,first_order_first_half,first_order_converged,\
                      first_order_replications,total_order,total_order_ci_low,\
                      total_order_ci_high,total_order_first_half,total_order_converged\n\
                      npv_savings_usd,pooled,a.b,Budapest GS cost,0.42,0.37,0.47,0.4,true,400,\
                      0.5,0.45,0.55,0.49,true\n\
                      npv_savings_usd,pooled,c.d,Volume growth,0.1,0.05,0.15,0.1,true,400,\
                      0.61,0.5,0.72,0.6,true\n";

#[test]
fn the_value_of_information_and_global_sensitivity_charts_show_the_files_numbers() {
    let (_dir, html) = report_of(&[
        ("summary.csv", SUMMARY),
        ("voi.csv", VOI),
        ("global_sensitivity.csv", GLOBAL),
    ]);
    let voi = svg_of(&html, "chart-voi").expect("a value-of-information chart");
    // EVPPI 1 234 567 ± 1.959964 × 50 000 = 97 998 USD: 1.23 ± 0.10 million.
    assert!(
        voi.contains("All volumes: 1.23 ± 0.10 USD million."),
        "{voi}"
    );
    assert!(voi.contains("EVPI: 2.50 USD million"), "{voi}");
    // Two bars (the EVPI is a line, the input without an estimate none),
    // one interval: no standard error, no interval.
    let section = section_of(&html, "voi");
    assert!(
        section.contains("<td class=\"num\">49.4%</td>"),
        "{section}"
    );
    assert!(section.contains("Budapest GS cost (USD/FTE-year)"));
    assert!(section.contains("1 more groups and inputs"), "{section}");
    let global = svg_of(&html, "chart-global-sensitivity").expect("a global sensitivity chart");
    // By total order: c.d (0.61) before a.b (0.5).
    let desc = "Volume growth: first order 0.10 (0.05 to 0.15), total order 0.61 (0.50 to 0.72). \
                Budapest GS cost: first order 0.42 (0.37 to 0.47), total order 0.50 (0.45 to 0.55).";
    assert!(global.contains(desc), "{global}");
    // The background, two swatches in the legend and two bars per input.
    assert!(global.matches("<rect").count() >= 1 + 2 + 2 * 2, "{global}");
    let section = section_of(&html, "global-sensitivity");
    assert!(section.contains("0.37 to 0.47"), "{section}");
    assert!(
        !html.contains("<svg id=\"chart-sweep\"") && !html.contains("<svg id=\"chart-breakeven\"")
    );
}

#[test]
fn without_their_files_the_new_sections_say_what_writes_them() {
    let (_dir, html) = report_of(&[("summary.csv", SUMMARY)]);
    for id in [
        "chart-voi",
        "chart-global-sensitivity",
        "chart-sweep",
        "chart-breakeven",
    ] {
        assert!(svg_of(&html, id).is_none(), "{id} drawn without its file");
    }
    let absent = section_of(&html, "absent");
    for reason in [
        "this folder has no voi.csv (it is written by <code>sscsim run --out</code>)",
        "this folder has no global_sensitivity.csv",
        "this folder has no sweep.csv (it is written by <code>sscsim sweep --out</code>)",
        "this folder has no breakeven.csv (it is written by <code>sscsim breakeven --out</code>)",
    ] {
        assert!(absent.contains(reason), "no {reason:?} in {absent}");
    }
}

#[test]
fn a_sweeps_report_draws_each_strategys_savings_with_its_band() {
    let sweep = "key,value,strategy,metric,mean,mean_half_width_95,p05,p50,p95,replications\n\
                 k.x,1,status_quo,npv_savings_usd,0,0,0,0,0,6\n\
                 k.x,1,pooled,npv_savings_usd,10000000,1000000,0,0,0,6\n\
                 k.x,1,pooled,npv_cost_usd,90000000,1000000,0,0,0,6\n\
                 k.x,2,status_quo,npv_savings_usd,0,0,0,0,0,6\n\
                 k.x,2,pooled,npv_savings_usd,4000000,500000,0,0,0,6\n";
    let (_dir, html) = report_of(&[("sweep.csv", sweep)]);
    let svg = svg_of(&html, "chart-sweep").expect("a spider plot");
    // One band (pooled; the status quo saves nothing), its two points.
    assert_eq!(svg.matches("<polygon").count(), 1, "{svg}");
    assert!(
        svg.contains("pooled: 10.00 at 1, 4.00 at 2 (USD million)."),
        "{svg}"
    );
    let section = section_of(&html, "sweep");
    assert!(
        section.contains("<td class=\"num\">10.00 ± 1.00</td>"),
        "{section}"
    );
    assert!(
        section.contains("<td class=\"num\">4.00 ± 0.50</td>"),
        "{section}"
    );
}

#[test]
fn a_breakeven_report_draws_the_evaluated_curve_and_the_crossing() {
    let breakeven = "key,strategy,versus,finding,value,ci_low,ci_high,mean_savings_at_value_usd,\
                     half_width_at_value_usd,savings_at_from_usd,savings_at_to_usd,evaluations,\
                     replications\n\
                     k.x,pooled,status_quo,crossing,30000,28000,,1000,200000,5000000,-7000000,3,6\n";
    let points = "key,strategy,versus,value,mean_savings_usd,half_width_usd\n\
                  k.x,pooled,status_quo,20000,5000000,300000\n\
                  k.x,pooled,status_quo,30000,1000,200000\n\
                  k.x,pooled,status_quo,40000,-7000000,400000\n";
    let (_dir, html) = report_of(&[
        ("breakeven.csv", breakeven),
        ("breakeven_points.csv", points),
    ]);
    let svg = svg_of(&html, "chart-breakeven").expect("a break-even curve");
    assert!(
        svg.contains(
            "USD million: 5.00 ± 0.30 at 20,000, 0.00 ± 0.20 at 30,000, −7.00 ± 0.40 at 40,000."
        ),
        "{svg}"
    );
    assert!(svg.contains("break-even: 30,000"), "{svg}");
    // The curve has its strategy's colour (the first of the palette, Okabe
    // and Ito's blue #0072B2), not the black of a strategy the palette
    // does not know.
    assert!(svg.to_lowercase().contains("#0072b2"), "{svg}");
    let section = section_of(&html, "breakeven");
    assert!(
        section.contains(
            "= <strong>30,000</strong>, with a 95% interval from 28,000 to above the range"
        ),
        "{section}"
    );
    // Without the points, the crossing is still told, with no curve.
    let (_dir, html) = report_of(&[("breakeven.csv", breakeven)]);
    assert!(svg_of(&html, "chart-breakeven").is_none());
    assert!(
        section_of(&html, "breakeven")
            .contains("No curve: this folder has no breakeven_points.csv")
    );
}
