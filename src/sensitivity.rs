//! Which uncertain inputs move the key outputs — each strategy's savings and
//! the economies of scale lost — and by how much.
//!
//! Two measures, as @RISK users know them:
//! - the **rank correlation** (Spearman) of each input's draws with each
//!   output over the first [`RANK_CORRELATION_REPLICATIONS`] replications
//!   (all of them in a shorter run): cheap, and it ranks the inputs. Only
//!   those replications' draws are kept, so memory does not grow with the
//!   run;
//! - the **swing**: the output's mean with the input fixed at its 10th and
//!   at its 90th percentile, on common random numbers (the same
//!   replications for both). The inputs correlated with it are drawn given
//!   that value and every other input as usual, so a swing measures what
//!   the rank correlation does, the input with whatever moves with it: an
//!   exchange rate fixed alone would leave its correlated partners where
//!   they were drawn, and could show no swing while correlating strongly.
//!   Every input that varies is swung by the same rule, over the same
//!   first replications ([`swing_replications`]): choosing inputs by their
//!   rank correlation would leave out some that move the output more (a
//!   rank correlation is noisy, and blind to effects that are not
//!   monotonic). The runs are plans alone, since costs do not depend on the
//!   queues.

mod label;

use std::ops::Range;

pub(crate) use label::input_label;

use crate::metrics::Metric;
use crate::model::Scenario;
use crate::run::{Interrupted, ReplicationMetrics, RunControl, Work, in_blocks};
use crate::sim::{Workspace, npv_costs_at_percentile};
use crate::stats::correlation::spearman;

/// Most replications a swing averages over (the first ones of the run).
/// The two ends of a swing share their draws, so their difference is far
/// less noisy than either mean: on the default scenario the standard error
/// of the largest swings is about 1% of their size at 100 replications.
pub const SWING_REPLICATIONS: u64 = 100;

/// Fewest replications a swing averages over, however many inputs there
/// are (when the run has that many).
pub const MIN_SWING_REPLICATIONS: u64 = 10;

/// Plan runs the swings of a run aim at in all: every input that varies is
/// swung, each over the same number of replications, `SWING_RUNS / (2 ×
/// inputs)` between [`MIN_SWING_REPLICATIONS`] and [`SWING_REPLICATIONS`],
/// so a scenario with many inputs gets its swings in about the time of a
/// few hundred replications.
pub const SWING_RUNS: u64 = 4_000;

/// Replications whose draws and key outputs the rank correlations are
/// computed over (the first ones of the run): as many as a summary keeps
/// exactly ([`crate::stats::series::EXACT_VALUES`]), so a run of the
/// default 1 000 replications correlates over all of them.
pub const RANK_CORRELATION_REPLICATIONS: usize = crate::stats::series::EXACT_VALUES;

/// Percentiles of an input at the two ends of a swing.
pub const SWING_PERCENTILES: [f64; 2] = [0.1, 0.9];

/// A key output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOutput {
    /// A strategy's `npv_savings_usd` against the status quo.
    Savings {
        /// Index of the strategy.
        strategy: usize,
    },
    /// The `economies_of_scale_lost_usd` of the fragmented strategy: its NPV
    /// cost minus the pooled strategy's.
    EconomiesOfScaleLost {
        /// Index of the fragmented strategy.
        fragmented: usize,
        /// Index of the pooled strategy.
        pooled: usize,
    },
}

impl KeyOutput {
    /// The metric it is reported as.
    pub fn metric(self) -> Metric {
        match self {
            KeyOutput::Savings { .. } => Metric::NpvSavingsUsd,
            KeyOutput::EconomiesOfScaleLost { .. } => Metric::EconomiesOfScaleLostUsd,
        }
    }

    /// The strategy whose metric it is.
    pub fn strategy(self) -> usize {
        match self {
            KeyOutput::Savings { strategy } => strategy,
            KeyOutput::EconomiesOfScaleLost { fragmented, .. } => fragmented,
        }
    }

    /// Its value, from each strategy's NPV cost.
    pub(crate) fn of_npv_costs(self, npv_costs: &[f64]) -> f64 {
        match self {
            KeyOutput::Savings { strategy } => npv_costs[0] - npv_costs[strategy],
            KeyOutput::EconomiesOfScaleLost { fragmented, pooled } => {
                npv_costs[fragmented] - npv_costs[pooled]
            }
        }
    }
}

/// The key outputs of a scenario: the savings of every strategy but the
/// status quo, then the economies of scale lost by the fragmented strategy
/// when the scenario compares strategies.
pub(crate) fn key_outputs(scenario: &Scenario) -> Vec<KeyOutput> {
    let savings = (1..scenario.strategies.len()).map(|strategy| KeyOutput::Savings { strategy });
    let lost = scenario
        .comparison
        .map(|c| KeyOutput::EconomiesOfScaleLost {
            fragmented: c.fragmented,
            pooled: c.pooled,
        });
    savings.chain(lost).collect()
}

/// An output's mean with an input at the low and high end of its swing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Swing {
    /// Mean output with the input at its 10th percentile.
    pub at_low: f64,
    /// Mean output with the input at its 90th percentile.
    pub at_high: f64,
}

impl Swing {
    /// How far the output moves from the low end to the high end.
    pub fn size(&self) -> f64 {
        self.at_high - self.at_low
    }
}

/// The sensitivity of one key output to one input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sensitivity {
    /// The output.
    pub output: KeyOutput,
    /// Index in [`Scenario::inputs`].
    pub input: usize,
    /// Spearman correlation of the input's draws with the output; `None`
    /// when either did not vary.
    pub rank_correlation: Option<f64>,
    /// The input's 10th and 90th percentiles.
    pub input_low: f64,
    /// See `input_low`.
    pub input_high: f64,
    /// The swing, for the inputs that rank highest.
    pub swing: Option<Swing>,
}

/// The draws of every uncertain input and the value of every key output in
/// the first [`RANK_CORRELATION_REPLICATIONS`] replications observed.
#[derive(Clone, Debug)]
pub struct InputCollector {
    outputs: Vec<KeyOutput>,
    /// `[input]` → draws in replication order.
    draws: Vec<Vec<f64>>,
    /// `[output]` → values in replication order.
    values: Vec<Vec<f64>>,
    /// Replications observed.
    replications: usize,
}

impl InputCollector {
    /// A collector for the key outputs of `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        let outputs = key_outputs(scenario);
        InputCollector {
            values: vec![Vec::new(); outputs.len()],
            draws: vec![Vec::new(); scenario.inputs.len()],
            outputs,
            replications: 0,
        }
    }

    /// Records one replication's draws and key outputs, until
    /// [`RANK_CORRELATION_REPLICATIONS`] are recorded.
    pub fn observe(&mut self, metrics: &ReplicationMetrics) {
        if self.replications >= RANK_CORRELATION_REPLICATIONS {
            return;
        }
        self.replications += 1;
        for (column, &v) in self.draws.iter_mut().zip(&metrics.inputs) {
            column.push(v);
        }
        for (column, output) in self.values.iter_mut().zip(&self.outputs) {
            let value = metrics.strategies[output.strategy()][output.metric()];
            column.push(value.expect("a key output may not be missing, and was checked"));
        }
    }
}

impl InputCollector {
    /// The key outputs, in the order of [`InputCollector::values`].
    pub(crate) fn outputs(&self) -> &[KeyOutput] {
        &self.outputs
    }

    /// `[input]` → its draws in the replications recorded, in order.
    pub(crate) fn draws(&self) -> &[Vec<f64>] {
        &self.draws
    }

    /// `[output]` → its values in the replications recorded, in order.
    pub fn values(&self) -> &[Vec<f64>] {
        &self.values
    }
}

/// The sensitivity of every key output to every input, each output's rows
/// by decreasing swing, then decreasing rank correlation: rank correlations
/// over the replications `inputs` recorded, swings over the first
/// [`SWING_REPLICATIONS`] of `replications` (global indices under `seed`;
/// none when it is empty).
/// Swings run on the current rayon pool; `control` is told of them
/// ([`Work::SensitivityRuns`]) before they start.
///
/// # Errors
/// [`Interrupted`] when `control` is cancelled during the swings.
pub fn analyse(
    scenario: &Scenario,
    seed: u64,
    replications: Range<u64>,
    inputs: &InputCollector,
    control: &RunControl,
) -> Result<Vec<Sensitivity>, Interrupted> {
    let outputs = &inputs.outputs;
    let correlations: Vec<Vec<Option<f64>>> = inputs
        .values
        .iter()
        .map(|values| inputs.draws.iter().map(|d| spearman(d, values)).collect())
        .collect();
    // No replications to swing over: no swings.
    let swung = if replications.is_empty() {
        Vec::new()
    } else {
        inputs_to_swing(&correlations)
    };
    let first = replications.start;
    let count = (replications.end - first).min(swing_replications(swung.len()));
    let costs = mean_costs_at_ends(scenario, seed, first..first + count, &swung, control)?;
    let mut rows = Vec::new();
    for (output, correlations) in outputs.iter().zip(&correlations) {
        let mut block: Vec<Sensitivity> = scenario
            .inputs
            .iter()
            .enumerate()
            .map(|(input, uncertain)| {
                let [low, high] = SWING_PERCENTILES.map(|p| uncertain.dist.quantile(p));
                let swing = swung.iter().position(|&s| s == input).map(|k| Swing {
                    at_low: output.of_npv_costs(&costs[k][0]),
                    at_high: output.of_npv_costs(&costs[k][1]),
                });
                Sensitivity {
                    output: *output,
                    input,
                    rank_correlation: correlations[input],
                    input_low: low,
                    input_high: high,
                    swing,
                }
            })
            .collect();
        block.sort_by(|a, b| {
            let swing = |s: &Sensitivity| s.swing.map_or(-1.0, |w| w.size().abs());
            let rho = |s: &Sensitivity| s.rank_correlation.map_or(-1.0, f64::abs);
            swing(b)
                .total_cmp(&swing(a))
                .then(rho(b).total_cmp(&rho(a)))
        });
        rows.extend(block);
    }
    Ok(rows)
}

/// The inputs that vary with some output (a rank correlation), largest
/// absolute rank correlation with any output first (ties to the earlier
/// input).
fn inputs_to_swing(correlations: &[Vec<Option<f64>>]) -> Vec<usize> {
    let inputs = correlations.first().map_or(0, Vec::len);
    let strongest = |input: usize| {
        correlations
            .iter()
            .filter_map(|c| c[input])
            .map(f64::abs)
            .fold(None, |max: Option<f64>, r| {
                Some(max.map_or(r, |m| m.max(r)))
            })
    };
    let mut ranked: Vec<(usize, f64)> = (0..inputs)
        .filter_map(|i| strongest(i).map(|r| (i, r)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked.into_iter().map(|(i, _)| i).collect()
}

/// Replications each of `inputs` swings averages over: [`SWING_RUNS`]
/// shared out, between [`MIN_SWING_REPLICATIONS`] and
/// [`SWING_REPLICATIONS`].
pub fn swing_replications(inputs: usize) -> u64 {
    let runs_per_replication = 2 * (inputs as u64).max(1);
    (SWING_RUNS / runs_per_replication).clamp(MIN_SWING_REPLICATIONS, SWING_REPLICATIONS)
}

/// Each strategy's mean NPV cost over `replications` with each of `swung`
/// fixed at the low and at the high end: `[input][end][strategy]`.
fn mean_costs_at_ends(
    scenario: &Scenario,
    seed: u64,
    replications: Range<u64>,
    swung: &[usize],
    control: &RunControl,
) -> Result<Vec<[Vec<f64>; 2]>, Interrupted> {
    let first = replications.start;
    let replications = replications.end - first;
    let strategies = scenario.strategies.len();
    let mut sums = vec![[vec![0.0; strategies], vec![0.0; strategies]]; swung.len()];
    let runs = swung.len() as u64 * 2 * replications;
    if runs == 0 {
        return Ok(sums);
    }
    control.progress.planned(runs, Work::SensitivityRuns);
    // Run `t` is replication `t / (2n)` of the `n` swung inputs, input
    // `(t / 2) mod n`, end `t mod 2`: a replication's runs come together,
    // so its plans find the demands of the inputs not swung already
    // solved (`sim::plan`'s kept capacities). Each input's and end's sum
    // still adds its replications in their order.
    let inputs = swung.len() as u64;
    let end_of = |run: u64| (run % 2) as usize;
    let input_of = |run: u64| ((run / 2) % inputs) as usize;
    let replication_of = |run: u64| run / (2 * inputs);
    let mut run = 0;
    in_blocks::<Workspace, _, Interrupted>(
        0..runs,
        control,
        |workspace, t| {
            let at = (swung[input_of(t)], SWING_PERCENTILES[end_of(t)]);
            let replication = first + replication_of(t);
            npv_costs_at_percentile(scenario, seed, replication, at, workspace)
        },
        |costs| {
            let sum = &mut sums[input_of(run)][end_of(run)];
            for (s, c) in sum.iter_mut().zip(costs) {
                *s += c;
            }
            run += 1;
            Ok(())
        },
    )?;
    for ends in &mut sums {
        for end in ends.iter_mut() {
            end.iter_mut().for_each(|s| *s /= replications as f64);
        }
    }
    Ok(sums)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_that_varies_is_swung_the_most_correlated_first() {
        // Input 1 is strongest (−0.9 on the second output), then 2 (0.5),
        // then 0 (0.3), then 4 (0.01); input 3 never varies.
        let correlations = vec![
            vec![Some(0.3), Some(0.1), Some(0.5), None, Some(0.0)],
            vec![Some(-0.2), Some(-0.9), Some(0.0), None, Some(-0.01)],
        ];
        assert_eq!(inputs_to_swing(&correlations), [1, 2, 0, 4]);
        assert!(inputs_to_swing(&[]).is_empty());
    }

    #[test]
    fn swing_runs_are_shared_out_between_the_bounds() {
        // 4 000 runs / (2 × 2 inputs) = 1 000, capped at 100; / (2 × 40) =
        // 50; / (2 × 159) = 12.6 → 12; / (2 × 326) = 6.1, raised to 10.
        assert_eq!(swing_replications(0), 100);
        assert_eq!(swing_replications(2), 100);
        assert_eq!(swing_replications(40), 50);
        assert_eq!(swing_replications(159), 12);
        assert_eq!(swing_replications(326), 10);
    }

    #[test]
    fn swings_go_from_the_low_end_to_the_high_end() {
        let s = Swing {
            at_low: 5.0,
            at_high: -3.0,
        };
        assert_eq!(s.size(), -8.0);
    }
}
