//! Global sensitivity: how much of each key output's variance each
//! uncertain input accounts for, counting what it does through
//! interactions and through the inputs correlated with it
//! (`global_sensitivity.csv`).
//!
//! Two analyses, on the estimators of [`crate::stats::sobol`]:
//!
//! - **First order from the run's own replications**, for every run: the
//!   draws and key outputs [`InputCollector`] keeps (the first
//!   [`crate::sensitivity::RANK_CORRELATION_REPLICATIONS`]) give
//!   `S_i = Var(E[Y|X_i]) / Var(Y)` with no extra simulation. With
//!   correlated inputs (the scenario's Gaussian copula) it is still that
//!   share, but of what `X_i` *and whatever moves with it* explain: two
//!   perfectly correlated inputs each show the pair's share, so first-order
//!   indices may then add up to more than 1.
//! - **A design**, with `sscsim run --global-sensitivity[=N]`, run on plans
//!   alone (costs do not depend on the queues;
//!   `sim::npv_costs_of_design_point`, which keeps teams' staffings from
//!   one point of a base sample to the next as the sensitivity swings
//!   do). When the inputs are independent, the pick-freeze design of
//!   Saltelli et al. (2010) with `N` rows gives
//!   Jansen's **total-order** indices, `N·(k + 2)` plan runs for `k`
//!   inputs. When some are correlated, total-order indices lose their
//!   meaning and the design gives **Shapley effects** (Song, Nelson & Staum
//!   2016): `N` random permutations of the inputs; for each and each of its
//!   first `j` inputs (`j` from 1 to `k`), one draw of the others and
//!   [`INNER_DRAWS`] draws of those `j` given them, `N·k·`[`INNER_DRAWS`]
//!   plan runs (the authors' allocation, one outer and three inner draws,
//!   their section 5). Within a permutation every step reuses the same
//!   outer draw and the same fresh inner draws (common random numbers):
//!   each step's cost `E[Var(Y | X_{-J})]` is estimated without bias as
//!   before, so the effects are too, but two consecutive steps differ in
//!   one input only, and an input that does not matter adds exactly 0
//!   instead of the difference of two noisy variances of the size of
//!   `Var(Y)`. Each effect is a share of the design's own `Var(Y)` (the
//!   last step's cost), so the effects add up to 1, and a correlated input
//!   shares what it moves with its partners.
//!
//! Conditional draws stay in the copula's normal space: the normal scores
//! of a correlated group are a Gaussian vector with the group's matrix `R`,
//! so those of a subset `J` given the rest `K` are drawn exactly by taking
//! a fresh draw `z*` and moving it, `z_J = z*_J + R_JK·R_KK⁺·(z_K − z*_K)`
//! (the residual of a Gaussian regression is independent of its
//! regressors), with the pseudo-inverse `⁺` so that a rank correlation of 1
//! is conditioned exactly. Inputs outside every group are independent and
//! are simply drawn afresh.
//!
//! Every key output's first-order index of each group of inputs (the
//! scenario's `[[input_group]]`s and the built-in groups, as `voi.csv` has
//! them, [`crate::voi::subjects`]) comes from the run's replications too,
//! by nearest neighbours ([`groups`]); a group's total order would need a
//! design that freezes the group, one more column of runs a group, and is
//! not computed.
//!
//! Every number comes from a stream derived from the run's seed
//! ([`StreamKind::Design`]) and the indices of what it is for, and the
//! reductions run in a fixed order, so the file is the same at any thread
//! count — and, for the given-data part, out of `merge` too.

use nalgebra::DMatrix;
use rayon::prelude::*;
use statrs::distribution::{ContinuousCDF, Normal};

use crate::model::{Correlations, Scenario};
use crate::run::{Interrupted, RunControl, Work, in_blocks};
use crate::sample::{OPEN_UNIT_HIGHEST, OPEN_UNIT_LOWEST, StreamKind, open_unit, stream};
use crate::sensitivity::{InputCollector, KeyOutput};
use crate::sim::{Workspace, npv_costs_of_design_point};
use crate::stats::sample_variance;
use crate::stats::sobol::{
    Estimate, converged, design_variance, first_order_given_data, first_order_given_data_value,
    shapley_effects, total_order_jansen,
};
use crate::voi::{VoiKind, VoiSubject, subjects};

pub mod groups;

/// Draws of the inputs in `J` given the others, per permutation and step,
/// in the Shapley design: Song, Nelson & Staum (2016, section 5) show that
/// one outer draw and three inner ones minimise the estimator's variance
/// for a given budget.
pub const INNER_DRAWS: u64 = 3;

/// Base samples of the design when `--global-sensitivity` gives none: rows
/// of the pick-freeze design, or permutations of the Shapley design.
/// Assumption: a few seconds of plan runs on the bundled scenarios (6 200
/// on the default one's 60 independent inputs), with intervals of a few
/// hundredths on the largest indices.
pub const DEFAULT_DESIGN_SAMPLES: u64 = 100;

/// Tag of the bootstrap streams, beside the design's.
const BOOTSTRAP_STREAM: u32 = u32::MAX;

/// The index a design gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DesignKind {
    /// Jansen's total-order index (independent inputs).
    TotalOrder,
    /// The Shapley effect (correlated inputs).
    Shapley,
}

impl DesignKind {
    /// The design a scenario gets: Shapley effects when any inputs are
    /// correlated.
    pub fn of(scenario: &Scenario) -> Self {
        if scenario.correlations.is_empty() {
            DesignKind::TotalOrder
        } else {
            DesignKind::Shapley
        }
    }

    /// The column name of its index in `global_sensitivity.csv`.
    pub fn column(self) -> &'static str {
        match self {
            DesignKind::TotalOrder => "total_order",
            DesignKind::Shapley => "shapley_effect",
        }
    }

    /// Plan runs of a design of `samples` base samples over `inputs` inputs.
    pub fn runs(self, samples: u64, inputs: usize) -> u64 {
        let k = inputs as u64;
        match self {
            DesignKind::TotalOrder => samples * (k + 2),
            DesignKind::Shapley => samples * k * INNER_DRAWS,
        }
    }
}

/// An index with, for the convergence check, its estimate on the first
/// half of the sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Indexed {
    /// The estimate on the whole sample, with its interval.
    pub estimate: Estimate,
    /// The estimate on the first half of the sample.
    pub first_half: Option<f64>,
}

impl Indexed {
    /// Whether the first half's estimate lies within the whole sample's
    /// interval.
    pub fn converged(&self) -> bool {
        converged(&self.estimate, self.first_half)
    }
}

/// The global sensitivity of one key output to one input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GlobalSensitivity {
    /// The output.
    pub output: KeyOutput,
    /// Index in [`Scenario::inputs`].
    pub input: usize,
    /// First-order index from the run's replications; `None` when the
    /// input or the output did not vary.
    pub first_order: Option<Indexed>,
    /// The design's index, when a design ran.
    pub design: Option<Indexed>,
}

/// The first-order index of one key output for one group of inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupSensitivity {
    /// The output.
    pub output: KeyOutput,
    /// The group, as `voi.csv` has it.
    pub group: VoiSubject,
    /// Its closed first-order index from the run's replications
    /// ([`groups`]); `None` when none of its inputs or the output varied.
    pub first_order: Option<Indexed>,
}

/// Everything `global_sensitivity.csv` holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// The design that ran, if any.
    pub design: Option<DesignKind>,
    /// Replications the first-order indices are estimated from.
    pub replications: usize,
    /// Rows, each output's by decreasing design index, then first order.
    pub rows: Vec<GlobalSensitivity>,
    /// Each output's groups, by decreasing first order (those with none
    /// last, in their order).
    pub groups: Vec<GroupSensitivity>,
}

/// The global sensitivity of every key output to every input: first order
/// from `inputs` (the run's replications under `seed`), and with
/// `design_samples` a design of that many base samples on the current
/// rayon pool, which `control` is told of ([`Work::SensitivityRuns`]).
///
/// # Errors
/// [`Interrupted`] when `control` is cancelled during the design.
pub fn analyse(
    scenario: &Scenario,
    seed: u64,
    inputs: &InputCollector,
    design_samples: Option<u64>,
    control: &RunControl,
) -> Result<Analysis, Interrupted> {
    let outputs = inputs.outputs();
    let first_orders = first_orders(inputs, seed);
    let design = match design_samples {
        Some(samples) if !scenario.inputs.is_empty() => {
            let kind = DesignKind::of(scenario);
            Some((kind, run_design(scenario, seed, kind, samples, control)?))
        }
        _ => None,
    };
    let mut rows = Vec::new();
    for (o, output) in outputs.iter().enumerate() {
        let mut block: Vec<GlobalSensitivity> = (0..scenario.inputs.len())
            .map(|input| GlobalSensitivity {
                output: *output,
                input,
                first_order: first_orders[o][input],
                design: design
                    .as_ref()
                    .and_then(|(_, d)| d.get(o).and_then(|d| d.get(input)).copied()),
            })
            .collect();
        let key = |row: &GlobalSensitivity, of: fn(&GlobalSensitivity) -> Option<Indexed>| {
            of(row).map_or(f64::NEG_INFINITY, |i| i.estimate.value)
        };
        block.sort_by(|a, b| {
            key(b, |r| r.design)
                .total_cmp(&key(a, |r| r.design))
                .then(key(b, |r| r.first_order).total_cmp(&key(a, |r| r.first_order)))
        });
        rows.extend(block);
    }
    Ok(Analysis {
        design: design.map(|(kind, _)| kind),
        replications: inputs.values().first().map_or(0, Vec::len),
        rows,
        groups: group_first_orders(scenario, inputs, seed),
    })
}

/// The bootstrap generator of output `output`, group `group`'s index: the
/// tags below the design's bootstrap ([`BOOTSTRAP_STREAM`]).
fn group_bootstrap_rng(seed: u64, output: usize, group: usize) -> rand::rngs::Xoshiro256PlusPlus {
    let tag = (BOOTSTRAP_STREAM - 1).saturating_sub(u32::try_from(group).unwrap_or(u32::MAX));
    stream(
        seed,
        output as u64,
        StreamKind::Design,
        tag,
        BOOTSTRAP_STREAM,
    )
}

/// Every key output's first-order index of every group of `scenario`, from
/// the replications `inputs` kept, on all of them and (for the convergence
/// check) their first half.
fn group_first_orders(
    scenario: &Scenario,
    inputs: &InputCollector,
    seed: u64,
) -> Vec<GroupSensitivity> {
    let all_groups: Vec<VoiSubject> = (subjects(scenario).into_iter())
        .filter(|s| s.kind == VoiKind::Group)
        .collect();
    let (draws, values) = (inputs.draws(), inputs.values());
    // The neighbours depend on the group alone: found once for every output.
    let by_group: Vec<Vec<Option<Indexed>>> = all_groups
        .par_iter()
        .enumerate()
        .map(|(g, group)| {
            let members: Vec<&[f64]> = group.inputs.iter().map(|&i| &draws[i][..]).collect();
            let half = members.first().map_or(0, |m| m.len() / 2);
            let halves: Vec<&[f64]> = members.iter().map(|m| &m[..half]).collect();
            let (whole, first_half) = (
                groups::Neighbourhoods::of(&members),
                groups::Neighbourhoods::of(&halves),
            );
            (values.iter().enumerate())
                .map(|(o, y)| {
                    let mut rng = group_bootstrap_rng(seed, o, g);
                    let estimate = whole.as_ref()?.first_order(y, &mut rng)?;
                    Some(Indexed {
                        estimate,
                        first_half: (first_half.as_ref())
                            .and_then(|h| h.first_order_value(&y[..half])),
                    })
                })
                .collect()
        })
        .collect();
    let mut rows = Vec::new();
    for (o, output) in inputs.outputs().iter().enumerate() {
        let mut block: Vec<GroupSensitivity> = (all_groups.iter().zip(&by_group))
            .map(|(group, indices)| GroupSensitivity {
                output: *output,
                group: group.clone(),
                first_order: indices.get(o).copied().flatten(),
            })
            .collect();
        let key = |r: &GroupSensitivity| {
            r.first_order
                .map_or(f64::NEG_INFINITY, |i| i.estimate.value)
        };
        block.sort_by(|a, b| key(b).total_cmp(&key(a)));
        rows.extend(block);
    }
    rows
}

/// The bootstrap generator of output `output`, input `input`'s index.
fn bootstrap_rng(seed: u64, output: usize, input: usize) -> rand::rngs::Xoshiro256PlusPlus {
    stream(
        seed,
        output as u64,
        StreamKind::Design,
        input as u32,
        BOOTSTRAP_STREAM,
    )
}

/// First-order indices from given data: `[output][input]`, on all the
/// replications kept and (for the convergence check) their first half.
fn first_orders(inputs: &InputCollector, seed: u64) -> Vec<Vec<Option<Indexed>>> {
    let draws = inputs.draws();
    let pairs: Vec<(usize, usize)> = (0..inputs.values().len())
        .flat_map(|o| (0..draws.len()).map(move |i| (o, i)))
        .collect();
    // Each pair draws its resamples from its own stream: in parallel, in order.
    let estimates: Vec<Option<Indexed>> = pairs
        .par_iter()
        .map(|&(o, i)| {
            let (x, y) = (&draws[i], &inputs.values()[o]);
            let mut rng = bootstrap_rng(seed, o, i);
            let estimate = first_order_given_data(x, y, &mut rng)?;
            let half = x.len() / 2;
            Some(Indexed {
                estimate,
                first_half: first_order_given_data_value(&x[..half], &y[..half]),
            })
        })
        .collect();
    estimates
        .chunks(draws.len().max(1))
        .map(<[_]>::to_vec)
        .take(inputs.values().len())
        .collect()
}

/// The scenario's inputs in the copula's normal space.
#[derive(Clone, Debug)]
pub struct NormalCopula {
    inputs: usize,
    groups: Vec<NormalGroup>,
}

/// A correlated group: its inputs, the factor `A` that mixes independent
/// normals into its scores and their correlation `R = A·Aᵀ`.
#[derive(Clone, Debug)]
struct NormalGroup {
    inputs: Vec<usize>,
    factor: DMatrix<f64>,
    correlation: DMatrix<f64>,
}

impl NormalCopula {
    /// `inputs` normal scores, correlated within each group `(inputs,
    /// factor)` by its factor (square, one row per input).
    pub fn new(inputs: usize, groups: Vec<(Vec<usize>, DMatrix<f64>)>) -> Self {
        let groups = groups
            .into_iter()
            .map(|(inputs, factor)| NormalGroup {
                correlation: &factor * factor.transpose(),
                inputs,
                factor,
            })
            .collect();
        NormalCopula { inputs, groups }
    }

    /// The copula of a scenario's inputs.
    pub fn of(scenario: &Scenario) -> Self {
        Self::new(scenario.inputs.len(), groups_of(&scenario.correlations))
    }

    /// One draw of every score.
    pub fn draw(&self, rng: &mut impl rand::Rng, z: &mut Vec<f64>) {
        let standard = Normal::standard();
        z.clear();
        z.extend((0..self.inputs).map(|_| standard.inverse_cdf(open_unit(rng))));
        for group in &self.groups {
            let free =
                DMatrix::from_iterator(group.inputs.len(), 1, group.inputs.iter().map(|&i| z[i]));
            let mixed = &group.factor * free;
            for (&i, &v) in group.inputs.iter().zip(mixed.iter()) {
                z[i] = v;
            }
        }
    }

    /// Redraws the scores not `fixed` from their distribution given the
    /// fixed ones, as they are in `z`.
    pub fn redraw_given(&self, rng: &mut impl rand::Rng, z: &mut [f64], fixed: &[bool]) {
        let mut fresh = Vec::with_capacity(self.inputs);
        self.draw(rng, &mut fresh);
        self.condition(z, &fresh, fixed);
    }

    /// Moves the scores not `fixed` to a draw from their distribution given
    /// the fixed ones, as they are in `z`, made from `fresh`, an
    /// unconditional draw ([`NormalCopula::draw`]).
    pub fn condition(&self, z: &mut [f64], fresh: &[f64], fixed: &[bool]) {
        let grouped = |i: usize| self.groups.iter().any(|g| g.inputs.contains(&i));
        for i in (0..self.inputs).filter(|&i| !fixed[i] && !grouped(i)) {
            z[i] = fresh[i];
        }
        for group in &self.groups {
            group.redraw_given(z, fresh, fixed);
        }
    }

    /// The inputs' values for scores `z`: each through `Φ` and its quantile
    /// function `quantile(input, u)`.
    pub fn values(z: &[f64], quantile: impl Fn(usize, f64) -> f64) -> Vec<f64> {
        let standard = Normal::standard();
        z.iter()
            .enumerate()
            .map(|(i, &z)| {
                quantile(
                    i,
                    standard.cdf(z).clamp(OPEN_UNIT_LOWEST, OPEN_UNIT_HIGHEST),
                )
            })
            .collect()
    }
}

impl NormalGroup {
    /// `z_J = z*_J + R_JK·R_KK⁺·(z_K − z*_K)` for the group's free scores
    /// `J` and fixed ones `K`, `z*` the fresh draw.
    fn redraw_given(&self, z: &mut [f64], fresh: &[f64], fixed: &[bool]) {
        let (kept, free): (Vec<usize>, Vec<usize>) =
            (0..self.inputs.len()).partition(|&p| fixed[self.inputs[p]]);
        if free.is_empty() {
            return;
        }
        let mut moved: Vec<f64> = free.iter().map(|&p| fresh[self.inputs[p]]).collect();
        if !kept.is_empty() {
            let r = |rows: &[usize], cols: &[usize]| {
                DMatrix::from_fn(rows.len(), cols.len(), |a, b| {
                    self.correlation[(rows[a], cols[b])]
                })
            };
            let inverse = r(&kept, &kept)
                .pseudo_inverse(1e-10)
                .expect("a non-negative tolerance");
            let gap = DMatrix::from_iterator(
                kept.len(),
                1,
                kept.iter()
                    .map(|&p| z[self.inputs[p]] - fresh[self.inputs[p]]),
            );
            let shift = r(&free, &kept) * inverse * gap;
            moved
                .iter_mut()
                .zip(shift.iter())
                .for_each(|(m, s)| *m += s);
        }
        for (&p, v) in free.iter().zip(moved) {
            z[self.inputs[p]] = v;
        }
    }
}

/// The scenario's correlated groups as input indices and factor matrices.
fn groups_of(correlations: &Correlations) -> Vec<(Vec<usize>, DMatrix<f64>)> {
    correlations
        .groups()
        .iter()
        .map(|g| {
            let size = g.inputs().len();
            let factor = DMatrix::from_fn(size, size, |row, col| g.factor_row(row)[col]);
            (g.inputs().iter().map(|i| i.0).collect(), factor)
        })
        .collect()
}

/// Where design run `t` sits: which base sample and which point of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct DesignPoint {
    /// The row (pick-freeze) or the permutation (Shapley).
    sample: u64,
    /// Pick-freeze: 0 for `A`, 1 for `B`, `2 + i` for `A` with input `i`
    /// from `B`. Shapley: the step `j` (1 to `k`).
    step: u64,
    /// Shapley: the inner draw (0 to [`INNER_DRAWS`] − 1).
    inner: u64,
}

impl DesignKind {
    /// Points per base sample.
    fn points(self, inputs: usize) -> u64 {
        self.runs(1, inputs)
    }

    fn point(self, t: u64, inputs: usize) -> DesignPoint {
        let per = self.points(inputs);
        let (sample, within) = (t / per, t % per);
        match self {
            DesignKind::TotalOrder => DesignPoint {
                sample,
                step: within,
                inner: 0,
            },
            DesignKind::Shapley => DesignPoint {
                sample,
                step: within / INNER_DRAWS + 1,
                inner: within % INNER_DRAWS,
            },
        }
    }
}

/// The permutation of `inputs` inputs of Shapley sample `sample`.
fn permutation(seed: u64, sample: u64, inputs: usize) -> Vec<usize> {
    let mut rng = stream(seed, sample, StreamKind::Design, 0, 0);
    let mut order: Vec<usize> = (0..inputs).collect();
    // Fisher–Yates, from the last position down.
    for i in (1..inputs).rev() {
        let j = (open_unit(&mut rng) * (i + 1) as f64) as usize;
        order.swap(i, j.min(i));
    }
    order
}

/// The normal scores of design point `p`.
fn scores(copula: &NormalCopula, seed: u64, kind: DesignKind, p: DesignPoint) -> Vec<f64> {
    let mut z = Vec::new();
    let rng = |a: u32, b: u32| stream(seed, p.sample, StreamKind::Design, a, b);
    match kind {
        DesignKind::TotalOrder => {
            copula.draw(&mut rng(1, 0), &mut z);
            if p.step >= 1 {
                let mut b = Vec::new();
                copula.draw(&mut rng(2, 0), &mut b);
                match p.step {
                    1 => z = b,
                    step => {
                        let i = (step - 2) as usize;
                        z[i] = b[i];
                    }
                }
            }
        }
        DesignKind::Shapley => {
            let inputs = copula.inputs;
            let order = permutation(seed, p.sample, inputs);
            // The same outer and inner draws at every step (see the module).
            copula.draw(&mut rng(1, 0), &mut z);
            let mut fresh = Vec::new();
            copula.draw(&mut rng(2, 1 + p.inner as u32), &mut fresh);
            // Fixed: every input after the first `step` of the permutation.
            let mut fixed = vec![true; inputs];
            order[..p.step as usize]
                .iter()
                .for_each(|&i| fixed[i] = false);
            copula.condition(&mut z, &fresh, &fixed);
        }
    }
    z
}

/// Runs a design of `samples` base samples: each key output's index of
/// every input, `[output][input]`.
fn run_design(
    scenario: &Scenario,
    seed: u64,
    kind: DesignKind,
    samples: u64,
    control: &RunControl,
) -> Result<Vec<Vec<Indexed>>, Interrupted> {
    let copula = NormalCopula::of(scenario);
    let inputs = scenario.inputs.len();
    let outputs = crate::sensitivity::key_outputs(scenario);
    let runs = kind.runs(samples, inputs);
    control.progress.planned(runs, Work::SensitivityRuns);
    let mut evaluated: Vec<Vec<f64>> = vec![Vec::with_capacity(runs as usize); outputs.len()];
    in_blocks::<Workspace, _, Interrupted>(
        0..runs,
        control,
        |workspace, t| {
            let point = kind.point(t, inputs);
            let z = scores(&copula, seed, kind, point);
            let values = NormalCopula::values(&z, |i, u| scenario.inputs[i].dist.quantile(u));
            let costs = npv_costs_of_design_point(scenario, values, point.sample, workspace);
            outputs
                .iter()
                .map(|o| o.of_npv_costs(&costs))
                .collect::<Vec<_>>()
        },
        |ys| {
            evaluated.iter_mut().zip(ys).for_each(|(e, y)| e.push(y));
            Ok(())
        },
    )?;
    Ok(evaluated
        .iter()
        .enumerate()
        .map(|(o, y)| {
            let mut rng = bootstrap_rng(seed, o, usize::MAX >> 1);
            estimate_design(seed, kind, inputs, y, &mut rng)
        })
        .collect())
}

/// The indices of every input from one output's runs `y` of the design
/// under `seed`, in run order.
pub fn estimate_design(
    seed: u64,
    kind: DesignKind,
    inputs: usize,
    y: &[f64],
    rng: &mut impl rand::Rng,
) -> Vec<Indexed> {
    let per = kind.points(inputs) as usize;
    let samples = y.len().checked_div(per).unwrap_or(0);
    let half = samples / 2;
    match kind {
        DesignKind::TotalOrder => {
            let column =
                |c: usize, rows: usize| -> Vec<f64> { (0..rows).map(|r| y[r * per + c]).collect() };
            let (f_a, f_b) = (column(0, samples), column(1, samples));
            let variance = design_variance(&f_a, &f_b);
            (0..inputs)
                .filter_map(|i| {
                    let f_ab = column(2 + i, samples);
                    let estimate = total_order_jansen(&f_a, &f_ab, variance, rng)?;
                    let first_half = total_order_jansen(&f_a[..half], &f_ab[..half], variance, rng);
                    Some(Indexed {
                        estimate,
                        first_half: first_half.map(|e| e.value),
                    })
                })
                .collect()
        }
        DesignKind::Shapley => {
            let increments: Vec<Vec<f64>> = (0..samples)
                .map(|m| {
                    let by_step = shapley_increments(&y[m * per..(m + 1) * per]);
                    let mut by_input = vec![0.0; inputs];
                    for (input, increment) in
                        permutation(seed, m as u64, inputs).into_iter().zip(by_step)
                    {
                        by_input[input] = increment;
                    }
                    by_input
                })
                .collect();
            let whole = shapley_effects(&increments, rng);
            let first_half = shapley_effects(&increments[..half], rng);
            whole
                .into_iter()
                .enumerate()
                .map(|(i, estimate)| Indexed {
                    estimate,
                    first_half: first_half.get(i).map(|e| e.value),
                })
                .collect()
        }
    }
}

/// One permutation's increments by step: `runs` holds its runs, step by
/// step, [`INNER_DRAWS`] each; step `j`'s cost is their sample variance,
/// and step 0's, with nothing redrawn, is 0. Indexed by step, not yet by
/// input.
fn shapley_increments(runs: &[f64]) -> Vec<f64> {
    let mut previous = 0.0;
    runs.chunks(INNER_DRAWS as usize)
        .map(|inner| {
            let cost = sample_variance(inner);
            let increment = cost - previous;
            previous = cost;
            increment
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Draws;
    use crate::stats::sobol::tests::{ISHIGAMI_S, ISHIGAMI_ST, ishigami, rng};
    use std::f64::consts::PI;

    /// A design's first two base samples, planned point after point by one
    /// workspace that keeps staffings within a sample, and each point by a
    /// fresh simulator: the same costs to the bit, for a pick-freeze design
    /// (the default scenario's independent inputs) and a Shapley one
    /// (`un-system-ssc.toml`'s correlated inputs).
    #[test]
    fn a_design_s_points_planned_with_kept_staffings_are_planned_afresh() {
        let text = include_str!("../scenarios/un-system-ssc.toml");
        let correlated = crate::scenario::parse("un-system-ssc.toml", text).expect("valid");
        for (scenario, kind) in [
            (crate::scenario::default_scenario(), DesignKind::TotalOrder),
            (correlated, DesignKind::Shapley),
        ] {
            assert_eq!(DesignKind::of(&scenario), kind);
            let copula = NormalCopula::of(&scenario);
            let inputs = scenario.inputs.len();
            let mut workspace = Workspace::default();
            for t in 0..2 * kind.points(inputs) {
                let point = kind.point(t, inputs);
                let z = scores(&copula, 5, kind, point);
                let values = NormalCopula::values(&z, |i, u| scenario.inputs[i].dist.quantile(u));
                let fresh = crate::sim::npv_costs_of(&scenario, &Draws::from(values.clone()));
                let kept =
                    npv_costs_of_design_point(&scenario, values, point.sample, &mut workspace);
                crate::testing::assert_same_bits(&kept, &fresh, &format!("{kind:?}, run {t}"));
            }
        }
    }

    /// Runs `kind`'s design of `samples` on `f` with inputs from `copula`
    /// through `quantile`, and estimates it.
    fn design_on(
        copula: &NormalCopula,
        kind: DesignKind,
        samples: u64,
        quantile: impl Fn(usize, f64) -> f64 + Copy,
        f: impl Fn(&[f64]) -> f64,
    ) -> Vec<Indexed> {
        let seed = 11;
        let k = copula.inputs;
        let y: Vec<f64> = (0..kind.runs(samples, k))
            .map(|t| {
                f(&NormalCopula::values(
                    &scores(copula, seed, kind, kind.point(t, k)),
                    quantile,
                ))
            })
            .collect();
        estimate_design(seed, kind, k, &y, &mut rng(5))
    }

    fn uniform_on_pi(_: usize, u: f64) -> f64 {
        -PI + 2.0 * PI * u
    }

    fn standard_normal(_: usize, u: f64) -> f64 {
        Normal::standard().inverse_cdf(u)
    }

    fn assert_near(e: &Indexed, truth: f64, what: &str) {
        let e = e.estimate;
        assert!(
            (e.value - truth).abs() <= 4.0 * e.se + 5e-5,
            "{what}: {} vs {truth} (se {})",
            e.value,
            e.se
        );
    }

    #[test]
    fn the_pick_freeze_design_finds_ishigami_total_orders() {
        let copula = NormalCopula::new(3, Vec::new());
        let got = design_on(
            &copula,
            DesignKind::TotalOrder,
            4_000,
            uniform_on_pi,
            ishigami,
        );
        for (i, truth) in ISHIGAMI_ST.iter().enumerate() {
            assert_near(&got[i], *truth, &format!("ST{}", i + 1));
            assert!(got[i].estimate.value >= ISHIGAMI_S[i] - 4.0 * got[i].estimate.se);
        }
    }

    #[test]
    fn the_shapley_design_finds_ishigami_shapley_effects_which_add_up_to_one() {
        // Independent inputs: Sh_i = S_i + half of each pair's interaction
        // (Owen 2014). Only X1 and X3 interact, S13 = ST3 = 0.2437:
        // Sh1 = 0.3139 + 0.2437/2 = 0.4357, Sh2 = 0.4424, Sh3 = 0.1219.
        let truth = [0.4357, 0.4424, 0.1219];
        let copula = NormalCopula::new(3, Vec::new());
        let got = design_on(&copula, DesignKind::Shapley, 3_000, uniform_on_pi, ishigami);
        for (i, truth) in truth.iter().enumerate() {
            assert_near(&got[i], *truth, &format!("Sh{}", i + 1));
        }
        let sum: f64 = got.iter().map(|e| e.estimate.value).sum();
        assert!((sum - 1.0).abs() < 1e-12, "{sum}");
    }

    #[test]
    fn the_shapley_design_shares_a_correlated_pairs_variance_as_the_closed_form() {
        // Y = X1 + 2·X2 + X3, standard normals, corr(X1, X2) = 0.5, X3
        // independent. V = 1 + 4 + 2·2·0.5 + 1 = 8. With v(J) =
        // Var(E[Y|X_J]): v(1) = (1 + 0.5·2)² + 1·0 … taken on the pair,
        // v(1) = (1 + 2·0.5)² = 4, v(2) = (2 + 0.5)² = 6.25, v(12) = 7,
        // and X3 adds 1 to any set holding it. Shapley values: Sh1 =
        // ½(v(1) + v(12) − v(2)) = 2.375, Sh2 = 4.625, Sh3 = 1; over V:
        // 0.296875, 0.578125, 0.125.
        let r: f64 = 0.5;
        let factor = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, r, (1.0 - r * r).sqrt()]);
        let copula = NormalCopula::new(3, vec![(vec![0, 1], factor)]);
        let got = design_on(&copula, DesignKind::Shapley, 3_000, standard_normal, |x| {
            x[0] + 2.0 * x[1] + x[2]
        });
        for (i, truth) in [0.296875, 0.578125, 0.125].iter().enumerate() {
            assert_near(&got[i], *truth, &format!("Sh{}", i + 1));
        }
        assert!(got.iter().all(|e| e.converged()), "{got:?}");
    }

    #[test]
    fn a_conditional_draw_has_the_conditional_normals_mean_and_variance() {
        // corr 0.5: given z0 = 1, z1 ~ N(0.5, 0.75). Over 4 000 draws the
        // mean's standard error is √(0.75/4000) = 0.0137.
        let r: f64 = 0.5;
        let factor = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, r, (1.0 - r * r).sqrt()]);
        let copula = NormalCopula::new(2, vec![(vec![0, 1], factor)]);
        let mut generator = rng(9);
        let draws: Vec<f64> = (0..4_000)
            .map(|_| {
                let mut z = vec![1.0, 0.0];
                copula.redraw_given(&mut generator, &mut z, &[true, false]);
                assert_eq!(z[0], 1.0);
                z[1]
            })
            .collect();
        let mean = draws.iter().sum::<f64>() / 4_000.0;
        assert!((mean - 0.5).abs() < 4.0 * 0.0137, "{mean}");
        let var = sample_variance(&draws);
        // Var of a sample variance ≈ 2σ⁴/(n−1): se √(2·0.5625/3999) = 0.0168.
        assert!((var - 0.75).abs() < 4.0 * 0.0168, "{var}");
    }

    #[test]
    fn a_perfectly_correlated_partner_follows_the_given_score_exactly() {
        // Rank correlation 1: the factor's rows are both (1, 0).
        let factor = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 1.0, 0.0]);
        let copula = NormalCopula::new(3, vec![(vec![0, 2], factor)]);
        let mut z = vec![0.7, -0.3, 0.1];
        copula.redraw_given(&mut rng(1), &mut z, &[true, true, false]);
        assert!((z[2] - 0.7).abs() < 1e-9, "{z:?}");
        assert_eq!(&z[..2], &[0.7, -0.3]);
    }

    #[test]
    fn design_costs_are_the_documented_run_counts() {
        // Pick-freeze: N·(k + 2) = 100·62; Shapley: N·k·3 = 100·60·3.
        assert_eq!(DesignKind::TotalOrder.runs(100, 60), 6_200);
        assert_eq!(DesignKind::Shapley.runs(100, 60), 18_000);
    }

    #[test]
    fn a_permutation_holds_every_input_once() {
        let mut order = permutation(3, 7, 60);
        order.sort_unstable();
        assert_eq!(order, (0..60).collect::<Vec<_>>());
    }
}
