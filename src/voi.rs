//! Value of information: what it would be worth to know an uncertain input
//! (or a group of them) before choosing among the scenario's strategies.
//!
//! The decision is the choice of the strategy with the largest expected NPV
//! savings against the status quo (the status quo saves 0), which is the
//! strategy of least expected NPV cost. Knowing an input exactly lets the
//! choice depend on it; the expected value of partial perfect information
//! (EVPPI) of inputs `X` is how much that raises the expected savings:
//!
//! `EVPPI(X) = E_X[ max_s E(NB_s | X) ] − max_s E(NB_s)`,
//!
//! where `NB_s` is strategy `s`'s savings. The expected value of perfect
//! information (EVPI) about every input is the same with `X` all of them.
//!
//! Everything is estimated from the run's own replications, with no extra
//! simulation, by the regression method of Strong, Oakley and Brennan
//! (2014), "Estimating multiparameter partial expected value of perfect
//! information from a probabilistic sensitivity analysis sample: a
//! nonparametric regression approach", *Medical Decision Making* 34(3),
//! 311–326: each strategy's savings are regressed on the inputs of `X`, and
//! `E(NB_s | X)` is read from the fitted values. Savings against the status
//! quo are already a difference of two strategies on common random numbers,
//! which is the less noisy response the paper recommends.
//!
//! - **One input**: a cubic regression spline with one interior knot at the
//!   median ([`SPLINE_COLUMNS`] columns and an intercept), fitted by least
//!   squares. The paper fits a penalised spline (a generalised additive
//!   model); a fixed, small basis is the unpenalised regression spline of
//!   the same family (Hastie and Tibshirani, *Generalized Additive Models*,
//!   1990, ch. 2), and keeping it small bounds the upward bias that fitting
//!   noise gives EVPPI.
//! - **A group of inputs**: an additive model, the sum of each member's
//!   spline (fewer columns each when the group is large, down to a straight
//!   line, so that the fit has at most one column per
//!   [`REPLICATIONS_PER_COLUMN`] replications), fitted as one least-squares
//!   problem. As the paper says of additive models (section 3.2), effects
//!   that come only from the members' interactions are not captured, so a
//!   group's EVPPI may be understated where its members act together. A
//!   group too large for the replications at one column each is not
//!   estimated.
//! - **All inputs (EVPI)**: sscsim's NPV costs are functions of the drawn
//!   inputs alone (the plans cost a strategy; the daily queues do not), so
//!   the replications themselves are the conditional expectations and the
//!   EVPI is estimated directly, `mean_i max_s NB_s(i) − max_s mean_i
//!   NB_s(i)` (Strong, Oakley and Brennan 2014, equation 4). The day-to-day
//!   randomness of arrivals is no information anyone could buy, and it does
//!   not enter.
//!
//! Standard errors come from the bootstrap over replications (Efron and
//! Tibshirani, *An Introduction to the Bootstrap*, 1993, ch. 6):
//! [`BOOTSTRAP_RESAMPLES`] resamples, each refitted, drawn from the stream
//! [`stream`] derives from the run's seed and the row's place among the
//! scenario's subjects ([`StreamKind::ValueOfInformation`]), so they are
//! the same at any thread or shard count. At most the first
//! [`VOI_REPLICATIONS`] replications are used.

use rand::RngExt;
use rand::rngs::Xoshiro256PlusPlus;
use rayon::prelude::*;

use crate::metrics::Metric;
use crate::model::Scenario;
use crate::run::ReplicationMetrics;
use crate::sample::{StreamKind, stream};
use crate::sensitivity::input_label;
use crate::stats::{least_squares, sample_variance};

/// Most replications the estimates use (the first ones of the run): the
/// cost of a fit grows with them, and past a few thousand the standard
/// errors are dominated by what the regression cannot capture.
pub const VOI_REPLICATIONS: usize = 2_000;

/// Bootstrap resamples behind each standard error. Assumption: 30 gives a
/// standard error good to about ±13% (its own relative standard error is
/// about `1/√(2·30)`; Efron and Tibshirani 1993, section 6.4, advise 25 to
/// 200), enough to tell an estimate from zero, at a cost that keeps the
/// whole analysis within a second or two of a 1000-replication run.
pub const BOOTSTRAP_RESAMPLES: usize = 30;

/// Columns of one input's spline besides the intercept: `x`, `x²`, `x³` and
/// `(x − median)³₊`, a cubic with one interior knot. Assumption: the
/// smallest cubic spline that bends differently on either side of the
/// middle; more knots fit noise, which biases EVPPI upward.
pub const SPLINE_COLUMNS: usize = 4;

/// Replications per column of a fit: a fit has at most `replications /
/// REPLICATIONS_PER_COLUMN` columns besides its intercept. Assumption: a
/// common rule of thumb for regression (ten to twenty observations per
/// parameter; Harrell, *Regression Modeling Strategies*, 2nd ed. 2015,
/// section 4.4), at its cautious end because fitting noise only ever adds
/// to EVPPI.
pub const REPLICATIONS_PER_COLUMN: usize = 20;

/// What a row of `voi.csv` is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoiKind {
    /// Every input at once: the EVPI.
    All,
    /// A named group of inputs.
    Group,
    /// One input.
    Input,
}

impl VoiKind {
    /// Its word in `voi.csv`'s `kind` column.
    pub fn name(self) -> &'static str {
        match self {
            VoiKind::All => "all",
            VoiKind::Group => "group",
            VoiKind::Input => "input",
        }
    }
}

/// Inputs whose value of information is estimated together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoiSubject {
    /// `all`, the group's name or the input's id.
    pub name: String,
    /// What it is.
    pub kind: VoiKind,
    /// Indices in [`Scenario::inputs`].
    pub inputs: Vec<usize>,
    /// What it is, for a reader.
    pub label: String,
}

/// The value of information about one subject.
#[derive(Clone, Debug, PartialEq)]
pub struct VoiRow {
    /// What it is about.
    pub subject: VoiSubject,
    /// The estimate and its standard error (USD); `None` when the run has
    /// too few replications for its fit.
    pub estimate: Option<Estimate>,
}

/// An estimate with its bootstrap standard error.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// EVPPI (or EVPI), USD.
    pub value_usd: f64,
    /// Its standard error, USD.
    pub se_usd: f64,
}

impl Estimate {
    /// Whether it is more than two standard errors above zero.
    pub fn distinguishable_from_zero(&self) -> bool {
        self.value_usd > 2.0 * self.se_usd
    }
}

/// The value of information of a run: the EVPI first, then every group and
/// input by decreasing EVPPI (those not estimated last, in their order).
#[derive(Clone, Debug, PartialEq)]
pub struct Voi {
    /// The rows, `all` first.
    pub rows: Vec<VoiRow>,
    /// Replications the estimates use.
    pub replications: usize,
    /// Replications the run had.
    pub run_replications: u64,
}

impl Voi {
    /// The EVPI row's estimate.
    pub fn evpi(&self) -> Option<Estimate> {
        self.rows.first().and_then(|r| r.estimate)
    }

    /// The group or input with the largest EVPPI, when it is
    /// distinguishable from zero.
    pub fn most_worth_resolving(&self) -> Option<&VoiRow> {
        (self.rows.iter().skip(1))
            .find(|r| r.estimate.is_some())
            .filter(|r| r.estimate.is_some_and(|e| e.distinguishable_from_zero()))
    }
}

/// What `voi.csv` has a row for, in this order: every input at once
/// (`all`), the scenario's `[[input_group]]`s, the built-in groups
/// ([`builtin_groups`]) that no declared group's name takes, and every
/// input.
pub fn subjects(scenario: &Scenario) -> Vec<VoiSubject> {
    let count = |n: usize| {
        if n == 1 {
            "1 input".to_owned()
        } else {
            format!("{n} inputs")
        }
    };
    let all = VoiSubject {
        name: "all".to_owned(),
        kind: VoiKind::All,
        inputs: (0..scenario.inputs.len()).collect(),
        label: format!("every uncertain input ({})", count(scenario.inputs.len())),
    };
    let declared = scenario.input_groups.iter().map(|g| VoiSubject {
        name: g.name.clone(),
        kind: VoiKind::Group,
        inputs: g.inputs.clone(),
        label: format!("group {} ({})", g.name, count(g.inputs.len())),
    });
    let taken = |name: &str| scenario.input_groups.iter().any(|g| g.name == name);
    let builtin = (builtin_groups(scenario).into_iter())
        .filter(|(name, _, _)| !taken(name))
        .map(|(name, what, inputs)| VoiSubject {
            label: format!("{what} ({})", count(inputs.len())),
            name,
            kind: VoiKind::Group,
            inputs,
        });
    let inputs = scenario
        .inputs
        .iter()
        .enumerate()
        .map(|(i, input)| VoiSubject {
            name: input.name.clone(),
            kind: VoiKind::Input,
            inputs: vec![i],
            label: input_label(scenario, &input.name),
        });
    std::iter::once(all)
        .chain(declared)
        .chain(builtin)
        .chain(inputs)
        .collect()
}

/// Groups read from the inputs' ids, as `(name, what it is, members)`:
/// every input of one location, agency, service line, strategy, mechanism
/// table, of `[transition]` and of `[settings]`; and every input of one
/// kind (volumes, volume growth, efforts, exchange rates, go-lives). Only
/// groups of two inputs or more, and only the first of groups with the
/// same members.
pub fn builtin_groups(scenario: &Scenario) -> Vec<(String, String, Vec<usize>)> {
    let names: Vec<&str> = scenario.inputs.iter().map(|i| i.name.as_str()).collect();
    let members = |matches: &dyn Fn(&str) -> bool| -> Vec<usize> {
        (names.iter().enumerate())
            .filter(|(_, n)| matches(n))
            .map(|(i, _)| i)
            .collect()
    };
    let mut groups: Vec<(String, String, Vec<usize>)> = Vec::new();
    let mut by_prefix = |name: String, what: String| {
        let prefix = format!("{name}.");
        let inputs = members(&|n: &str| n.starts_with(&prefix));
        groups.push((name, what, inputs));
    };
    for l in &scenario.locations {
        by_prefix(
            format!("location.{}", l.id),
            format!("every input of {}", l.name),
        );
    }
    for a in &scenario.agencies {
        by_prefix(
            format!("agency.{}", a.id),
            format!("every input of {}", a.name),
        );
    }
    for s in &scenario.strategies {
        by_prefix(
            format!("strategy.{}", s.id),
            format!("every input of strategy {}", s.id),
        );
    }
    let tables: Vec<&str> = (names.iter())
        .filter_map(|n| n.strip_prefix("mechanisms.")?.split('.').next())
        .collect();
    for table in dedup_in_order(tables) {
        by_prefix(
            format!("mechanisms.{table}"),
            format!("every input of {}", table.replace('_', " ")),
        );
    }
    by_prefix(
        "transition".to_owned(),
        "every input of the transition".to_owned(),
    );
    by_prefix(
        "settings".to_owned(),
        "every input of the settings".to_owned(),
    );
    for line in &scenario.service_lines {
        let (own, agencies) = (
            format!("service_line.{}.", line.id),
            format!(".service_line.{}.", line.id),
        );
        let inputs = members(&|n: &str| n.starts_with(&own) || n.contains(&agencies));
        groups.push((
            format!("service_line.{}", line.id),
            format!("every input of {}", line.name),
            inputs,
        ));
    }
    for (name, suffix, what) in [
        ("volumes", ".annual_volume", "every annual volume"),
        (
            "volume_growth",
            ".volume_growth_rate_per_year",
            "every volume growth rate",
        ),
        (
            "efforts",
            ".effort_minutes_per_transaction",
            "every effort per transaction",
        ),
        (
            "exchange_rates",
            ".exchange_rate_factor",
            "every exchange-rate factor",
        ),
        (
            "go_lives",
            ".bad_go_live",
            "every go-live that may go badly",
        ),
    ] {
        groups.push((
            name.to_owned(),
            what.to_owned(),
            members(&|n: &str| n.ends_with(suffix)),
        ));
    }
    let mut kept: Vec<(String, String, Vec<usize>)> = Vec::new();
    for group in groups {
        if group.2.len() >= 2 && !kept.iter().any(|k| k.2 == group.2) {
            kept.push(group);
        }
    }
    kept
}

/// `items` without repeats, each at its first place.
fn dedup_in_order(items: Vec<&str>) -> Vec<&str> {
    let mut kept: Vec<&str> = Vec::new();
    for item in items {
        if !kept.contains(&item) {
            kept.push(item);
        }
    }
    kept
}

/// Every input's draws and every strategy's savings in the first
/// [`VOI_REPLICATIONS`] replications observed.
#[derive(Clone, Debug)]
pub struct VoiCollector {
    sample: VoiSample,
    seen: u64,
}

impl VoiCollector {
    /// A collector for `scenario`'s inputs and strategies.
    pub fn new(scenario: &Scenario) -> Self {
        VoiCollector {
            sample: VoiSample::new(
                vec![Vec::new(); scenario.inputs.len()],
                vec![Vec::new(); scenario.strategies.len().saturating_sub(1)],
            ),
            seen: 0,
        }
    }

    /// Records one replication, until [`VOI_REPLICATIONS`] are recorded.
    pub fn observe(&mut self, metrics: &ReplicationMetrics) {
        self.seen += 1;
        let sample = &mut self.sample;
        if sample.replications >= VOI_REPLICATIONS {
            return;
        }
        sample.replications += 1;
        for (column, &v) in sample.draws.iter_mut().zip(&metrics.inputs) {
            column.push(v);
        }
        for (column, values) in (sample.savings.iter_mut()).zip(&metrics.strategies[1..]) {
            let saved = values[Metric::NpvSavingsUsd];
            column
                .push(saved.expect("savings are never missing for a strategy but the status quo"));
        }
    }

    /// Replications observed, recorded or not.
    pub fn seen(&self) -> u64 {
        self.seen
    }

    /// The value of information about every subject of `scenario`
    /// ([`subjects`]) over the replications recorded; see
    /// [`VoiSample::analyse`].
    pub fn analyse(&self, scenario: &Scenario, seed: u64) -> Option<Voi> {
        let mut voi = self.sample.analyse(&subjects(scenario), seed)?;
        voi.run_replications = self.seen;
        Some(voi)
    }
}

/// Draws of the inputs and the strategies' savings, replication by
/// replication: what the estimates are computed from.
#[derive(Clone, Debug)]
pub struct VoiSample {
    /// `[input]` → draws in replication order.
    draws: Vec<Vec<f64>>,
    /// `[strategy − 1]` → savings against the status quo (whose own are
    /// 0), in replication order.
    savings: Vec<Vec<f64>>,
    replications: usize,
}

impl VoiSample {
    /// A sample of `draws[input][replication]` and
    /// `savings[strategy − 1][replication]`, all of one length.
    pub fn new(draws: Vec<Vec<f64>>, savings: Vec<Vec<f64>>) -> Self {
        let replications = (savings.first().or(draws.first())).map_or(0, Vec::len);
        debug_assert!(
            draws
                .iter()
                .chain(&savings)
                .all(|c| c.len() == replications)
        );
        VoiSample {
            draws,
            savings,
            replications,
        }
    }

    /// The value of information about every subject, its standard errors
    /// drawn from streams of `seed`; `None` when there is no choice (no
    /// strategy but the status quo) or no replication. Runs on the
    /// current rayon pool; the result does not depend on it.
    pub fn analyse(&self, subjects: &[VoiSubject], seed: u64) -> Option<Voi> {
        if self.savings.is_empty() || self.replications == 0 {
            return None;
        }
        let mut rows: Vec<VoiRow> = subjects
            .par_iter()
            .enumerate()
            .map(|(place, subject)| VoiRow {
                subject: subject.clone(),
                estimate: self.estimate(subject, bootstrap_stream(seed, place)),
            })
            .collect();
        // `all` first, then by decreasing value; sort_by is stable, so ties
        // and rows not estimated keep their order.
        rows.sort_by(|a, b| {
            let key = |r: &VoiRow| (r.subject.kind != VoiKind::All, r.estimate.is_none());
            key(a).cmp(&key(b)).then_with(|| {
                let value = |r: &VoiRow| r.estimate.map_or(0.0, |e| e.value_usd);
                value(b).total_cmp(&value(a))
            })
        });
        Some(Voi {
            rows,
            replications: self.replications,
            run_replications: self.replications as u64,
        })
    }

    /// One subject's estimate and its bootstrap standard error, its
    /// resamples drawn from `rng`; `None` when the replications are too few
    /// for its fit.
    fn estimate(&self, subject: &VoiSubject, mut rng: Xoshiro256PlusPlus) -> Option<Estimate> {
        let n = self.replications;
        let per_input = columns_per_input(n, subject);
        if subject.kind != VoiKind::All && per_input == 0 {
            return None;
        }
        // Every replication, then the resamples: all drawn before any is
        // fitted, so that the fits can be made side by side.
        let mut samples: Vec<Vec<usize>> = vec![(0..n).collect()];
        samples.extend(
            (0..BOOTSTRAP_RESAMPLES).map(|_| (0..n).map(|_| rng.random_range(0..n)).collect()),
        );
        let pick = |column: &[f64], rows: &[usize]| -> Vec<f64> {
            rows.iter().map(|&i| column[i]).collect()
        };
        let gather = |columns: &[Vec<f64>], rows: &[usize]| -> Vec<Vec<f64>> {
            columns.iter().map(|c| pick(c, rows)).collect()
        };
        let values: Vec<f64> = if subject.kind == VoiKind::All {
            (samples.iter())
                .map(|rows| evpi_direct(&gather(&self.savings, rows)))
                .collect()
        } else {
            // A few fits at a time, so that a large group's columns are
            // held for those fits alone.
            (samples.chunks(least_squares::SIDE_BY_SIDE))
                .flat_map(|chunk| {
                    let fits = (chunk.iter())
                        .map(|rows| Fit {
                            columns: (subject.inputs.iter())
                                .flat_map(|&j| {
                                    spline_columns(&pick(&self.draws[j], rows), per_input)
                                })
                                .collect(),
                            savings: gather(&self.savings, rows),
                        })
                        .collect();
                    evppi_regressions(fits)
                })
                .collect()
        };
        let (value_usd, resampled) = values.split_first()?;
        Some(Estimate {
            value_usd: *value_usd,
            se_usd: standard_deviation(resampled),
        })
    }
}

/// One regression of the value of information over one sample of
/// replications: the spline columns of the subject's inputs' draws and
/// each strategy's savings (`[strategy − 1][replication]`).
struct Fit {
    columns: Vec<Vec<f64>>,
    savings: Vec<Vec<f64>>,
}

/// Spline columns each input of `subject` gets with `replications`: at
/// most [`SPLINE_COLUMNS`], fewer when the group would exceed one column
/// per [`REPLICATIONS_PER_COLUMN`] replications, 0 when even a straight
/// line each would.
fn columns_per_input(replications: usize, subject: &VoiSubject) -> usize {
    let budget = replications / REPLICATIONS_PER_COLUMN;
    (budget / subject.inputs.len().max(1)).min(SPLINE_COLUMNS)
}

/// The bootstrap's random stream for the subject at `place` among those
/// analysed: of the run's seed and that place alone.
fn bootstrap_stream(seed: u64, place: usize) -> Xoshiro256PlusPlus {
    let place = u32::try_from(place).unwrap_or(u32::MAX);
    stream(seed, 0, StreamKind::ValueOfInformation, place, 0)
}

/// The sample standard deviation (`n − 1`); 0 for fewer than two values.
fn standard_deviation(values: &[f64]) -> f64 {
    sample_variance(values).sqrt()
}

/// The mean of each column of values.
fn means(columns: &[Vec<f64>]) -> Vec<f64> {
    (columns.iter())
        .map(|c| c.iter().sum::<f64>() / c.len() as f64)
        .collect()
}

/// `mean_i max(0, x_s[i]) − max(0, mean_i x_s[i])` over strategies `s`
/// whose net benefits against a reference of 0 are `x_s`: the EVPI when
/// they are the savings themselves, the EVPPI when they are the fitted
/// conditional expectations (Strong, Oakley and Brennan 2014, eq. 4 and 9).
fn expected_max_minus_max_expected(net_benefits: &[Vec<f64>]) -> f64 {
    let n = net_benefits.first().map_or(0, Vec::len);
    if n == 0 {
        return 0.0;
    }
    let best_each: f64 = (0..n)
        .map(|i| net_benefits.iter().map(|s| s[i]).fold(0.0, f64::max))
        .sum::<f64>()
        / n as f64;
    let best_mean = means(net_benefits).into_iter().fold(0.0, f64::max);
    // Never below 0 by Jensen's inequality; rounding may take it there.
    (best_each - best_mean).max(0.0)
}

/// EVPI from the savings themselves: `savings[s][i]`, strategy `s + 1`'s
/// savings in replication `i`.
fn evpi_direct(savings: &[Vec<f64>]) -> f64 {
    expected_max_minus_max_expected(savings)
}

/// EVPPI of each fit: each strategy's savings regressed on the fit's
/// columns (an additive spline of the subject's inputs). The fits' bases
/// are made side by side ([`least_squares`]); each is the one it would be
/// alone.
fn evppi_regressions(fits: Vec<Fit>) -> Vec<f64> {
    let n = (fits.first())
        .and_then(|f| f.savings.first())
        .map_or(0, Vec::len);
    let (columns, savings): (Vec<_>, Vec<_>) =
        fits.into_iter().map(|f| (f.columns, f.savings)).unzip();
    let bases = least_squares::orthonormal_bases(n, columns);
    (savings.iter().zip(&bases))
        .map(|(savings, basis)| {
            let fitted: Vec<Vec<f64>> = (savings.iter())
                .map(|y| least_squares::project(basis, y))
                .collect();
            expected_max_minus_max_expected(&fitted)
        })
        .collect()
}

/// The first `count` columns of `x`'s cubic spline with one interior knot
/// at its median: `z`, `z²`, `z³`, `(z − median)³₊` of `x` standardised to
/// `z` (so that the powers stay well scaled). A constant `x` has none.
fn spline_columns(x: &[f64], count: usize) -> Vec<Vec<f64>> {
    let mean = x.iter().sum::<f64>() / x.len().max(1) as f64;
    let sd = standard_deviation(x);
    if sd == 0.0 || !sd.is_finite() {
        return Vec::new();
    }
    let z: Vec<f64> = x.iter().map(|v| (v - mean) / sd).collect();
    let mut sorted = z.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let terms: [&dyn Fn(f64) -> f64; SPLINE_COLUMNS] = [&|z| z, &|z| z * z, &|z| z * z * z, &|z| {
        (z - median).max(0.0).powi(3)
    }];
    (terms.iter().take(count))
        .map(|f| z.iter().map(|&v| f(v)).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::{Distribution, StandardNormal};
    use sha2::{Digest, Sha256};

    /// `n` standard normal draws of a generator keyed by `key`: the test
    /// data, apart from the streams the estimates draw from.
    fn normals(n: usize, key: &str) -> Vec<f64> {
        let mut hasher = Sha256::new();
        hasher.update(b"sscsim voi bootstrap v1");
        hasher.update(7_u64.to_le_bytes());
        hasher.update(key.as_bytes());
        let mut rng = Xoshiro256PlusPlus::from_seed(hasher.finalize().into());
        (0..n).map(|_| StandardNormal.sample(&mut rng)).collect()
    }

    fn subject(kind: VoiKind, inputs: Vec<usize>) -> VoiSubject {
        let name = format!("{kind:?}{inputs:?}");
        VoiSubject {
            label: name.clone(),
            name,
            kind,
            inputs,
        }
    }

    fn estimate(sample: &VoiSample, subject: VoiSubject) -> Estimate {
        let voi = sample.analyse(&[subject], 1).expect("a choice");
        voi.rows[0].estimate.expect("enough replications")
    }

    /// A status quo (savings 0) against one strategy saving `1 + 2X + W`,
    /// `X` and `W` independent standard normals, over 2000 replications.
    fn linear_sample() -> VoiSample {
        let (x, w) = (normals(2000, "x"), normals(2000, "w"));
        let savings = x.iter().zip(&w).map(|(x, w)| 1.0 + 2.0 * x + w).collect();
        VoiSample::new(vec![x, w], vec![savings])
    }

    // With `X` known the strategy is chosen when `1 + 2X > 0`:
    // E(savings | X) = 1 + 2X ~ N(a = 1, s = 2), and
    // EVPPI(X) = E max(0, a + sZ) − max(0, a) = a·Φ(a/s) + s·φ(a/s) − a
    //          = Φ(0.5) + 2·φ(0.5) − 1 = 0.691462 + 0.704131 − 1 = 0.395593.
    const EVPPI_X: f64 = 0.395_593_114_802_612;
    // Knowing both, the savings themselves ~ N(1, √5):
    // EVPI = Φ(1/√5) + √5·φ(1/√5) − 1 = 0.479811.
    const EVPI: f64 = 0.479_810_706_348_392;

    #[test]
    fn evppi_of_a_linear_effect_matches_its_closed_form_within_three_standard_errors() {
        let e = estimate(&linear_sample(), subject(VoiKind::Input, vec![0]));
        assert!(e.se_usd > 0.0 && e.se_usd < 0.05, "{e:?}");
        assert!(
            (e.value_usd - EVPPI_X).abs() < 3.0 * e.se_usd,
            "{e:?} vs {EVPPI_X}"
        );
    }

    #[test]
    fn evpi_of_a_two_strategy_choice_matches_its_closed_form_within_three_standard_errors() {
        let e = estimate(&linear_sample(), subject(VoiKind::All, vec![0, 1]));
        assert!(e.se_usd > 0.0 && e.se_usd < 0.05, "{e:?}");
        assert!(
            (e.value_usd - EVPI).abs() < 3.0 * e.se_usd,
            "{e:?} vs {EVPI}"
        );
    }

    #[test]
    fn evppi_is_between_zero_and_evpi_and_a_group_is_worth_at_least_its_members() {
        let sample = linear_sample();
        let x = estimate(&sample, subject(VoiKind::Input, vec![0]));
        let w = estimate(&sample, subject(VoiKind::Input, vec![1]));
        let both = estimate(&sample, subject(VoiKind::Group, vec![0, 1]));
        let all = estimate(&sample, subject(VoiKind::All, vec![0, 1]));
        for e in [x, w, both] {
            assert!(e.value_usd >= 0.0);
            assert!(
                e.value_usd <= all.value_usd + 2.0 * (e.se_usd + all.se_usd),
                "{e:?} {all:?}"
            );
        }
        for member in [x, w] {
            assert!(member.value_usd <= both.value_usd + 2.0 * (member.se_usd + both.se_usd));
        }
        // W alone: E(savings | W) = 1 + W, N(1, 1):
        // Φ(1) + φ(1) − 1 = 0.841345 + 0.241971 − 1 = 0.083315.
        assert!((w.value_usd - 0.083_315).abs() < 3.0 * w.se_usd, "{w:?}");
        // The additive model of both is the full model here: the EVPI.
        assert!(
            (both.value_usd - EVPI).abs() < 3.0 * both.se_usd,
            "{both:?}"
        );
    }

    #[test]
    fn an_input_that_does_not_matter_is_worth_nothing_and_a_constant_exactly_nothing() {
        let (x, noise) = (normals(2000, "x"), normals(2000, "noise"));
        let savings: Vec<f64> = x.iter().map(|x| 1.0 + 2.0 * x).collect();
        let constant = vec![3.0; 2000];
        let sample = VoiSample::new(vec![noise, constant], vec![savings]);
        let noise = estimate(&sample, subject(VoiKind::Input, vec![0]));
        assert!(!noise.distinguishable_from_zero(), "{noise:?}");
        assert_eq!(
            estimate(&sample, subject(VoiKind::Input, vec![1])).value_usd,
            0.0
        );
    }

    #[test]
    fn a_zero_one_input_is_fitted_by_its_two_means_exactly() {
        // Savings −1 + 3B, B a 0/1 input with share p of ones: knowing B,
        // the strategy is chosen when B = 1, so
        // EVPPI = p·max(0, 2) + (1 − p)·max(0, −1) − max(0, −1 + 3p)
        //       = 2p − max(0, 3p − 1).
        let b: Vec<f64> = (0..1000).map(|i| f64::from(u8::from(i % 5 < 2))).collect();
        let p = 0.4;
        let savings = b.iter().map(|b| -1.0 + 3.0 * b).collect();
        let sample = VoiSample::new(vec![b], vec![savings]);
        let e = estimate(&sample, subject(VoiKind::Input, vec![0]));
        let expected = 2.0 * p - (3.0 * p - 1.0_f64).max(0.0);
        assert!((e.value_usd - expected).abs() < 1e-9, "{e:?} vs {expected}");
    }

    #[test]
    fn a_fit_needs_one_column_per_twenty_replications_or_is_not_estimated() {
        // 79 replications: 3 columns, fewer than one input's 4 (used),
        // and none for a group of 4 inputs.
        let draws = (0..4).map(|i| normals(79, &format!("d{i}"))).collect();
        let sample = VoiSample::new(draws, vec![normals(79, "s")]);
        assert_eq!(columns_per_input(79, &subject(VoiKind::Input, vec![0])), 3);
        let group = subject(VoiKind::Group, vec![0, 1, 2, 3]);
        let voi = sample.analyse(&[group], 1).unwrap();
        assert_eq!(voi.rows[0].estimate, None);
    }

    #[test]
    fn there_is_nothing_to_learn_without_a_choice() {
        let sample = VoiSample::new(vec![normals(100, "x")], Vec::new());
        assert_eq!(sample.analyse(&[subject(VoiKind::All, vec![0])], 1), None);
    }

    #[test]
    fn rows_are_all_first_then_by_decreasing_value_and_the_same_at_any_thread_count() {
        let sample = linear_sample();
        let subjects = [
            subject(VoiKind::Input, vec![1]),
            subject(VoiKind::Input, vec![0]),
            subject(VoiKind::All, vec![0, 1]),
        ];
        let voi = sample.analyse(&subjects, 5).unwrap();
        let order: Vec<&[usize]> = voi
            .rows
            .iter()
            .map(|r| r.subject.inputs.as_slice())
            .collect();
        assert_eq!(order, [&[0, 1][..], &[0], &[1]]);
        let one_thread = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        assert_eq!(
            one_thread.install(|| sample.analyse(&subjects, 5)),
            Some(voi.clone())
        );
        assert_eq!(
            voi.most_worth_resolving().map(|r| &r.subject.inputs[..]),
            Some(&[0][..])
        );
    }

    #[test]
    fn the_spline_of_a_curve_fits_it_exactly() {
        // y = x³ − 2x lies in the span of the spline's columns.
        let x = normals(200, "x");
        let y: Vec<f64> = x.iter().map(|x| x.powi(3) - 2.0 * x).collect();
        let bases = least_squares::orthonormal_bases(200, vec![spline_columns(&x, SPLINE_COLUMNS)]);
        let fitted = least_squares::project(&bases[0], &y);
        for (f, y) in fitted.iter().zip(&y) {
            assert!((f - y).abs() < 1e-8 * (1.0 + y.abs()), "{f} vs {y}");
        }
    }
}
