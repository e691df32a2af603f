//! The files of a result folder, read into the rows the report shows.
//! Each file is optional but the manifest: a section of the report appears
//! when its file is there. How a file is read back — its columns checked,
//! missing numbers — is [`crate::results::read`]'s.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ReportError;
use crate::results::columns::{
    AGENCIES_HEADER, CENTRES_HEADER, COALITIONS_HEADER, DIFFERENCES_HEADER, DOMINANCE_HEADER,
    GLOBAL_SENSITIVITY_NEEDED, LINES_HEADER, SENSITIVITY_HEADER,
};
use crate::results::read::{Record, finite, for_each_row, read_all};
use crate::results::{Manifest, ResultFile};
use crate::stats::Series;

/// The headline metric of a comparison: the fragmented strategy's cost
/// minus the pooled strategy's.
pub(crate) const ECONOMIES_OF_SCALE_LOST: &str = "economies_of_scale_lost_usd";
/// Savings against the status quo.
pub(crate) const NPV_SAVINGS: &str = "npv_savings_usd";

/// Declares the row type of one result file and its [`Record`]: the text
/// fields as they are written, then the number fields, each an
/// `Option<f64>` read by [`finite`] (an empty or non-finite cell is
/// missing). The file must have the fields' columns, or the columns given
/// in brackets after the name (a writer's header, of which the row reads a
/// part).
macro_rules! record {
    (@columns [$columns:expr] $($field:ident)*) => {
        $columns
    };
    (@columns [] $($field:ident)*) => {
        &[$(stringify!($field)),*]
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident $([$columns:expr])? {
            $($(#[$text_meta:meta])* $text:ident: $text_type:ty,)*
        } numbers {
            $($(#[$number_meta:meta])* $number:ident,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Deserialize, PartialEq)]
        $vis struct $name {
            $($(#[$text_meta])* pub $text: $text_type,)*
            $(
                $(#[$number_meta])*
                #[serde(deserialize_with = "finite")]
                pub $number: Option<f64>,
            )*
        }

        impl Record for $name {
            const COLUMNS: &'static [&'static str] =
                record!(@columns [$($columns)?] $($text)* $($number)*);
        }
    };
}

record! {
    /// `replications.csv`: a strategy's savings in one replication.
    pub(crate) struct SavingsRow {
        /// Strategy id.
        strategy: String,
    } numbers {
        /// NPV savings against the status quo, USD.
        npv_savings_usd,
    }
}

record! {
    /// `summary.csv`: one metric of one strategy over the replications
    /// (older files have no median: the columns it needs leave `p50` out).
    pub struct SummaryRow [&["strategy", "metric", "mean", "p05", "p95"]] {
        /// Strategy id.
        strategy: String,
        /// Metric name (a column of `replications.csv`).
        metric: String,
    } numbers {
        /// Mean.
        mean,
        /// 5th percentile.
        p05,
        /// Median (a file without the column reads as missing).
        #[serde(default)]
        p50,
        /// 95th percentile.
        p95,
    }
}

record! {
    /// `years.csv`: one figure of one strategy in one year.
    pub struct YearRow {
        /// Strategy id.
        strategy: String,
        /// Year of the horizon, 1 = the first.
        year: u32,
        /// Figure name.
        metric: String,
    } numbers {
        /// 5th percentile.
        p05,
        /// Median.
        p50,
        /// 95th percentile.
        p95,
    }
}

record! {
    /// `decomposition_summary.csv`: one part of the economies-of-scale gap.
    pub struct DecompositionRow {
        /// Mechanism id, `other` or `total`.
        mechanism: String,
    } numbers {
        /// Mean part / mean gap.
        share_of_gap,
        /// Mean, USD.
        mean,
        /// 5th percentile, USD.
        p05,
        /// 95th percentile, USD.
        p95,
    }
}

record! {
    /// `sensitivity.csv`: how one input moves one output of one strategy.
    /// The columns every version wrote are needed; the labels came later.
    pub struct SensitivityRow [SENSITIVITY_HEADER.split_at(9).0] {
        /// Output: `npv_savings_usd` or `economies_of_scale_lost_usd`.
        output: String,
        /// Strategy id.
        strategy: String,
        /// Uncertain input.
        input: String,
        /// The input for a reader, with its unit (absent from folders of
        /// older versions).
        #[serde(default)]
        input_label: Option<String>,
    } numbers {
        /// Spearman rank correlation of input and output.
        rank_correlation,
        /// The input's 10th percentile.
        input_p10,
        /// The input's 90th percentile.
        input_p90,
        /// The output with the input at its 10th percentile (top inputs only).
        output_at_p10,
        /// The output with the input at its 90th percentile (top inputs only).
        output_at_p90,
        /// `output_at_p90 − output_at_p10` (top inputs only).
        swing,
    }
}

impl SensitivityRow {
    /// The input for a reader: its label, or its path when the file has
    /// none.
    pub(crate) fn label(&self) -> &str {
        self.input_label
            .as_deref()
            .filter(|l| !l.is_empty())
            .unwrap_or(&self.input)
    }
}

record! {
    /// `centres.csv`: one centre of one strategy in the last year (means).
    pub struct CentreRow [&CENTRES_HEADER] {
        /// Strategy id.
        strategy: String,
        /// Centre id.
        centre: String,
        /// Location id.
        location: String,
        /// The agencies it serves.
        agencies: String,
    } numbers {
        /// Transactions a year.
        transactions_per_year,
        /// Running cost a year, USD.
        running_cost_usd_per_year,
        /// Running cost per transaction, USD.
        cost_per_transaction_usd,
        /// Staff, FTE.
        fte,
    }
}

record! {
    /// `coalitions.csv`: one ranked coalition structure.
    /// The columns every version wrote are needed; the ties came later.
    pub struct CoalitionRow [COALITIONS_HEADER.split_at(8).0] {
        /// Rank, 1 = cheapest.
        rank: String,
        /// Blocks `agency+agency@location` separated by ` | `.
        structure: String,
        /// Number of centres.
        centres: String,
    } numbers {
        /// Mean NPV cost, USD.
        npv_cost_usd,
        /// 5th percentile, USD.
        p05,
        /// 95th percentile, USD.
        p95,
        /// Mean share on time.
        service_level,
        /// Share of replications cheaper than the next.
        prob_beats_next,
        /// Mean paired cost difference from the best, USD (empty for the
        /// best; absent from folders of older versions).
        #[serde(default)]
        above_best_usd,
        /// Half-width of its 95% confidence interval, USD.
        #[serde(default)]
        above_best_half_width_usd,
        /// 1 when not significantly dearer than the best (see
        /// [`crate::pool::analysis::ties_best`]).
        #[serde(default)]
        tied_with_best,
    }
}

impl CoalitionRow {
    /// Whether the structure ties the best; `false` when the folder does not
    /// say (older versions).
    pub(crate) fn is_tie(&self) -> bool {
        self.tied_with_best == Some(1.0)
    }
}

record! {
    /// `allocation.csv`: one agency's share of the pooled centre by one method
    /// (older files have no columns on the group of largest excess).
    pub struct AllocationRow [&[
        "method", "agency", "share_usd", "share_of_cost", "solo_cost_usd",
        "saving_vs_solo_usd", "better_off", "in_core",
    ]] {
        /// `shapley`, `volume`, `equal`, `least_core` or `nucleolus`.
        method: String,
        /// Agency id.
        agency: String,
        /// On the mean game, the group whose charge most exceeds its own
        /// centre's cost (empty in older files).
        #[serde(default)]
        largest_excess_group: String,
    } numbers {
        /// Mean share, USD.
        share_usd,
        /// Share of the centre's cost.
        share_of_cost,
        /// Its best solo centre's cost, USD.
        solo_cost_usd,
        /// Mean saving against going solo, USD.
        saving_vs_solo_usd,
        /// Share of replications with a saving.
        better_off,
        /// Share of replications in which the split is in the core.
        in_core,
        /// That group's charge minus its own cost, USD.
        #[serde(default)]
        largest_excess_usd,
        /// The standard error of a sampled share, USD (empty in older
        /// files and for shares computed exactly).
        #[serde(default)]
        share_se_usd,
    }
}

record! {
    /// `lines.csv`: one service line of one strategy in the last year.
    pub struct LineRow [&LINES_HEADER] {
        /// Strategy id.
        strategy: String,
        /// Service line id.
        service_line: String,
    } numbers {
        /// Staff, FTE.
        fte,
        /// Transactions a year.
        transactions_per_year,
        /// Transactions per FTE-year.
        transactions_per_fte_year,
        /// Work completed over capacity.
        utilisation_share,
        /// Share on time.
        service_level,
        /// Share of days ending with work waiting.
        backlog_probability,
        /// Mean work waiting at the end of a day, transactions.
        mean_backlog_transactions,
        /// Mean wait of answered calls, seconds (contact lines).
        average_speed_of_answer_seconds,
        /// Share of calls that hung up (contact lines).
        abandon_share,
    }
}

record! {
    /// `agencies.csv`: one agency under one strategy.
    pub struct AgencyRow [&AGENCIES_HEADER] {
        /// Agency id.
        agency: String,
        /// Strategy id.
        strategy: String,
    } numbers {
        /// Mean savings against its own status quo, USD.
        npv_savings_usd_mean,
        /// Standard error of that mean, USD.
        npv_savings_usd_se,
        /// 5th percentile of its savings, USD.
        npv_savings_usd_p05,
        /// 95th percentile of its savings, USD.
        npv_savings_usd_p95,
        /// Share of replications in which it is worse off.
        probability_worse_off,
        /// Mean savings in the worst 5% of replications, USD.
        cvar05_savings_usd,
    }
}

record! {
    /// `dominance.csv`: how one strategy's cost compares with another's.
    pub struct DominanceRow [&DOMINANCE_HEADER] {
        /// Strategy A.
        strategy_a: String,
        /// Strategy B.
        strategy_b: String,
        /// First-order verdict.
        first_order: String,
        /// Second-order verdict.
        second_order: String,
    } numbers {
        /// Share of replications in which A is cheaper.
        share_a_cheaper,
        /// Its standard error.
        share_a_cheaper_se,
    }
}

record! {
    /// `differences.csv`: one paired difference of two strategies.
    pub struct DifferenceRow [&DIFFERENCES_HEADER] {
        /// Strategy id.
        strategy: String,
        /// The strategy it is compared with.
        versus: String,
        /// `savings_usd` (by year) or `npv_savings_usd` (`all`).
        metric: String,
        /// Year of the horizon, 1 = the first, or `all`.
        year: String,
    } numbers {
        /// Mean, USD.
        mean,
        /// 5th percentile, USD.
        p05,
        /// 95th percentile, USD.
        p95,
    }
}

/// A row's input for a reader: its `label`, or its `id` when the file has
/// no label.
fn label_or_id<'a>(label: &'a str, id: &'a str) -> &'a str {
    if label.is_empty() { id } else { label }
}

record! {
    /// `voi.csv`: what knowing one input, one group of inputs or all of them
    /// (`all`, the EVPI) before choosing is worth.
    pub struct VoiRow {
        /// The input's id, the group's name or `all`.
        input: String,
        /// `all`, `group` or `input`.
        kind: String,
        /// The input or group for a reader.
        input_label: String,
    } numbers {
        /// EVPPI (EVPI for `all`), USD.
        evppi_usd,
        /// Its standard error, USD.
        se_usd,
        /// Its share of the EVPI.
        share_of_evpi,
    }
}

impl VoiRow {
    /// The input or group for a reader: its label, or its name when the
    /// file has none.
    pub(crate) fn label(&self) -> &str {
        label_or_id(&self.input_label, &self.input)
    }
}

record! {
    /// `global_sensitivity.csv`: the share of one output's variance one
    /// input, or one group of inputs, explains. The first-order columns every run writes are needed;
    /// a design's total-order or Shapley columns are read when there.
    pub struct GlobalSensitivityRow [GLOBAL_SENSITIVITY_NEEDED] {
        /// Output: a key metric.
        output: String,
        /// Strategy id.
        strategy: String,
        /// Uncertain input, or group of inputs.
        input: String,
        /// `input` or `group` (files without the column hold inputs only).
        #[serde(default)]
        kind: String,
        /// The input for a reader.
        input_label: String,
    } numbers {
        /// First-order index.
        first_order,
        /// Lower end of its bootstrap interval.
        first_order_ci_low,
        /// Upper end.
        first_order_ci_high,
        /// Total-order index (with `--global-sensitivity`, independent inputs).
        #[serde(default)]
        total_order,
        /// Lower end of its interval.
        #[serde(default)]
        total_order_ci_low,
        /// Upper end.
        #[serde(default)]
        total_order_ci_high,
        /// Shapley effect (with `--global-sensitivity`, correlated inputs).
        #[serde(default)]
        shapley_effect,
        /// Lower end of its interval.
        #[serde(default)]
        shapley_effect_ci_low,
        /// Upper end.
        #[serde(default)]
        shapley_effect_ci_high,
    }
}

impl GlobalSensitivityRow {
    /// Whether the row is a group of inputs'.
    pub fn is_group(&self) -> bool {
        self.kind == "group"
    }

    /// The input for a reader: its label, or its id when the file has none.
    pub(crate) fn label(&self) -> &str {
        label_or_id(&self.input_label, &self.input)
    }
}

record! {
    /// `sweep.csv`: one metric of one strategy at one value of the swept key.
    pub struct SweepRow [&[
        "key", "value", "strategy", "metric", "mean", "mean_half_width_95", "p05", "p50", "p95",
    ]] {
        /// The dotted key swept.
        key: String,
        /// Strategy id.
        strategy: String,
        /// Metric name.
        metric: String,
    } numbers {
        /// The value the key was set to.
        value,
        /// Mean over the replications.
        mean,
        /// Half-width of the mean's 95% interval.
        mean_half_width_95,
        /// 5th percentile.
        p05,
        /// Median.
        p50,
        /// 95th percentile.
        p95,
    }
}

record! {
    /// `breakeven.csv`: where one strategy's mean savings against another
    /// cross zero.
    pub struct BreakevenRow [&[
        "key", "strategy", "versus", "finding", "value", "ci_low", "ci_high",
        "mean_savings_at_value_usd", "half_width_at_value_usd",
        "savings_at_from_usd", "savings_at_to_usd",
    ]] {
        /// The dotted key varied.
        key: String,
        /// The strategy whose savings are searched.
        strategy: String,
        /// What it saves against.
        versus: String,
        /// `crossing`, or which sign holds throughout the range.
        finding: String,
    } numbers {
        /// The crossing (empty when there is none).
        value,
        /// Lower end of its 95% interval (empty when past the range).
        ci_low,
        /// Upper end.
        ci_high,
        /// Mean savings at the crossing, USD.
        mean_savings_at_value_usd,
        /// Half-width of their 95% interval, USD.
        half_width_at_value_usd,
        /// Mean savings at the range's first end, USD.
        savings_at_from_usd,
        /// Mean savings at its other end, USD.
        savings_at_to_usd,
    }
}

record! {
    /// `breakeven_points.csv`: one value a break-even search evaluated.
    pub struct BreakevenPointRow {
        /// The dotted key varied.
        key: String,
        /// The strategy whose savings are searched.
        strategy: String,
        /// What it saves against.
        versus: String,
    } numbers {
        /// The value.
        value,
        /// Mean savings there, USD.
        mean_savings_usd,
        /// Half-width of their 95% interval, USD.
        half_width_usd,
    }
}

/// One strategy's savings over the replications of `replications.csv`.
#[derive(Clone, Debug)]
pub struct StrategySavings {
    /// Strategy id.
    pub strategy: String,
    /// NPV savings, USD million, missing values left out: summarised as
    /// `summary.csv` is, in memory that does not grow with the file (see
    /// [`Series`]). The values themselves are read again for a histogram
    /// by [`ResultFiles::for_each_saving`].
    pub millions: Series,
}

/// Everything a report can show, read from one folder.
#[derive(Clone, Debug)]
pub struct ResultFiles {
    /// The folder.
    pub dir: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
    /// `replications.csv`, grouped by strategy (file order).
    pub savings: Option<Vec<StrategySavings>>,
    /// `summary.csv`.
    pub summary: Option<Vec<SummaryRow>>,
    /// `years.csv`.
    pub years: Option<Vec<YearRow>>,
    /// `decomposition_summary.csv`.
    pub decomposition: Option<Vec<DecompositionRow>>,
    /// `sensitivity.csv`.
    pub sensitivity: Option<Vec<SensitivityRow>>,
    /// `centres.csv`.
    pub centres: Option<Vec<CentreRow>>,
    /// `coalitions.csv`.
    pub coalitions: Option<Vec<CoalitionRow>>,
    /// `allocation.csv`.
    pub allocation: Option<Vec<AllocationRow>>,
    /// `lines.csv`.
    pub lines: Option<Vec<LineRow>>,
    /// `differences.csv`.
    pub differences: Option<Vec<DifferenceRow>>,
    /// `agencies.csv`.
    pub agencies: Option<Vec<AgencyRow>>,
    /// `dominance.csv`.
    pub dominance: Option<Vec<DominanceRow>>,
    /// `voi.csv`.
    pub voi: Option<Vec<VoiRow>>,
    /// `global_sensitivity.csv`.
    pub global_sensitivity: Option<Vec<GlobalSensitivityRow>>,
    /// `sweep.csv`.
    pub sweep: Option<Vec<SweepRow>>,
    /// `breakeven.csv`.
    pub breakeven: Option<Vec<BreakevenRow>>,
    /// `breakeven_points.csv`.
    pub breakeven_points: Option<Vec<BreakevenPointRow>>,
}

/// The data files a report shows; a folder needs at least one.
const DATA_FILES: [ResultFile; 12] = [
    ResultFile::Replications,
    ResultFile::Summary,
    ResultFile::Years,
    ResultFile::DecompositionSummary,
    ResultFile::Sensitivity,
    ResultFile::Centres,
    ResultFile::Coalitions,
    ResultFile::Allocation,
    ResultFile::Lines,
    ResultFile::Differences,
    ResultFile::Sweep,
    ResultFile::Breakeven,
];

impl ResultFiles {
    /// Reads every file of the folder that a report shows.
    ///
    /// # Errors
    /// When `dir` is not a folder, has no manifest or none of the data
    /// files, or a file that is there cannot be read or lacks a column.
    pub(crate) fn read(dir: &Path) -> Result<ResultFiles, ReportError> {
        if !dir.is_dir() {
            return Err(ReportError::NotAFolder(dir.to_owned()));
        }
        let Some(manifest) = Manifest::read(dir)? else {
            return Err(ReportError::NoManifest {
                folder: dir.to_owned(),
                manifest: Manifest::path_in(dir),
            });
        };
        let path = |file: ResultFile| dir.join(file.name());
        let files = ResultFiles {
            dir: dir.to_owned(),
            manifest,
            savings: read_savings(&path(ResultFile::Replications))?,
            summary: read_all(&path(ResultFile::Summary))?,
            years: read_all(&path(ResultFile::Years))?,
            decomposition: read_all(&path(ResultFile::DecompositionSummary))?,
            sensitivity: read_all(&path(ResultFile::Sensitivity))?,
            centres: read_all(&path(ResultFile::Centres))?,
            coalitions: read_all(&path(ResultFile::Coalitions))?,
            allocation: read_all(&path(ResultFile::Allocation))?,
            lines: read_all(&path(ResultFile::Lines))?,
            differences: read_all(&path(ResultFile::Differences))?,
            agencies: read_all(&path(ResultFile::Agencies))?,
            dominance: read_all(&path(ResultFile::Dominance))?,
            voi: read_all(&path(ResultFile::Voi))?,
            global_sensitivity: read_all(&path(ResultFile::GlobalSensitivity))?,
            sweep: read_all(&path(ResultFile::Sweep))?,
            breakeven: read_all(&path(ResultFile::Breakeven))?,
            breakeven_points: read_all(&path(ResultFile::BreakevenPoints))?,
        };
        if files.is_empty() {
            return Err(ReportError::NothingToReport {
                folder: dir.to_owned(),
                expected: DATA_FILES.map(ResultFile::name).join(", "),
            });
        }
        Ok(files)
    }

    fn is_empty(&self) -> bool {
        self.savings.is_none()
            && self.summary.is_none()
            && self.years.is_none()
            && self.decomposition.is_none()
            && self.sensitivity.is_none()
            && self.centres.is_none()
            && self.coalitions.is_none()
            && self.allocation.is_none()
            && self.lines.is_none()
            && self.differences.is_none()
            && self.sweep.is_none()
            && self.breakeven.is_none()
    }

    /// Strategy ids in the order the files give them: `summary.csv`, then
    /// the others, each id once.
    pub(crate) fn strategy_order(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        let mut add = |id: &str| {
            if !ids.iter().any(|known| known == id) {
                ids.push(id.to_owned());
            }
        };
        for row in self.summary.iter().flatten() {
            add(&row.strategy);
        }
        for s in self.savings.iter().flatten() {
            add(&s.strategy);
        }
        for row in self.years.iter().flatten() {
            add(&row.strategy);
        }
        for row in self.centres.iter().flatten() {
            add(&row.strategy);
        }
        for row in self.sweep.iter().flatten() {
            add(&row.strategy);
        }
        // A break-even folder has no other file naming strategies: without
        // these its curve would take the colour of an unknown strategy.
        for row in self.breakeven.iter().flatten() {
            add(&row.strategy);
        }
        ids
    }

    /// The fragmented strategy of the comparison: the manifest's, else the
    /// strategy of the economies-of-scale rows of `sensitivity.csv`.
    pub(crate) fn fragmented(&self) -> Option<&str> {
        self.manifest.fragmented.as_deref().or_else(|| {
            self.sensitivity
                .as_ref()?
                .iter()
                .find(|r| r.output == ECONOMIES_OF_SCALE_LOST)
                .map(|r| r.strategy.as_str())
        })
    }

    /// Calls `each` with the strategy and NPV savings (USD) of every row of
    /// `replications.csv` that has a saving, reading the file again.
    ///
    /// # Errors
    /// When the file cannot be read or a row is malformed.
    pub fn for_each_saving(&self, each: impl FnMut(&str, f64)) -> Result<(), ReportError> {
        for_each_saving(&self.dir.join(ResultFile::Replications.name()), each).map(|_| ())
    }

    /// The mean of `metric` for `strategy` from `summary.csv`.
    pub(crate) fn summary_mean(&self, strategy: &str, metric: &str) -> Option<f64> {
        self.summary_row(strategy, metric).and_then(|r| r.mean)
    }

    /// The row of `summary.csv` for `strategy` and `metric`.
    pub(crate) fn summary_row(&self, strategy: &str, metric: &str) -> Option<&SummaryRow> {
        self.summary
            .as_ref()?
            .iter()
            .find(|r| r.strategy == strategy && r.metric == metric)
    }
}

/// `replications.csv` grouped by strategy, without keeping every row: the
/// file has a row per replication and strategy and may be large.
fn read_savings(path: &Path) -> Result<Option<Vec<StrategySavings>>, ReportError> {
    let mut strategies: Vec<StrategySavings> = Vec::new();
    let found = for_each_saving(path, |strategy, usd| {
        let i = match strategies.iter().position(|s| s.strategy == strategy) {
            Some(i) => i,
            None => {
                strategies.push(StrategySavings {
                    strategy: strategy.to_owned(),
                    millions: Series::default(),
                });
                strategies.len() - 1
            }
        };
        strategies[i].millions.observe(usd / 1e6);
    })?;
    Ok(found.then_some(strategies))
}

/// Calls `each` with the strategy and NPV savings (USD) of every row of
/// `replications.csv` at `path` that has a saving; `false` when there is no
/// file.
fn for_each_saving(path: &Path, mut each: impl FnMut(&str, f64)) -> Result<bool, ReportError> {
    let found = for_each_row(path, |row: SavingsRow| {
        if let Some(usd) = row.npv_savings_usd {
            each(&row.strategy, usd);
        }
    })?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_mentions;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// A file whose header is exactly `T::COLUMNS` and one row of `cells`.
    fn one_row<T: Record>(cells: &str) -> Vec<T> {
        let dir = tempfile::tempdir().unwrap();
        let text = format!("{}\n{cells}\n", T::COLUMNS.join(","));
        read_all(&write(dir.path(), "x.csv", &text))
            .unwrap()
            .unwrap()
    }

    /// [`read_savings`] of a `replications.csv` holding `text`.
    fn savings_of(text: &str) -> Result<Option<Vec<StrategySavings>>, ReportError> {
        let dir = tempfile::tempdir().unwrap();
        read_savings(&write(dir.path(), "replications.csv", text))
    }

    #[test]
    fn every_record_reads_a_file_with_exactly_its_columns() {
        assert_eq!(one_row::<SavingsRow>("solo,1").len(), 1);
        assert_eq!(one_row::<SummaryRow>("solo,m,1,2,3").len(), 1);
        assert_eq!(one_row::<YearRow>("solo,1,m,1,2,3").len(), 1);
        assert_eq!(one_row::<DecompositionRow>("total,1,2,3,4").len(), 1);
        assert_eq!(one_row::<SensitivityRow>("o,s,i,0.5,1,2,3,4,1").len(), 1);
        assert_eq!(one_row::<CentreRow>("s,c,l,a+b,1,2,3,4").len(), 1);
        assert_eq!(one_row::<CoalitionRow>("1,a@x,1,1,2,3,0.9,").len(), 1);
        assert_eq!(one_row::<AllocationRow>("shapley,a,1,0.5,2,1,1,1").len(), 1);
        assert_eq!(
            one_row::<LineRow>("s,desk,1,2,2,,0.8,0,0,12.5,0.1").len(),
            1
        );
        assert_eq!(
            one_row::<DifferenceRow>("s,status_quo,savings_usd,1,1,0,2,3,0.5").len(),
            1
        );
    }

    #[test]
    fn empty_cells_and_non_finite_numbers_are_missing() {
        let rows = one_row::<SensitivityRow>("o,s,i,NaN,inf,-inf,1e101,-1e100,");
        let r = &rows[0];
        assert_eq!(
            (r.rank_correlation, r.input_p10, r.input_p90, r.swing),
            (None, None, None, None)
        );
        assert_eq!((r.output_at_p10, r.output_at_p90), (None, Some(-1e100)));
    }

    #[test]
    fn a_missing_column_is_an_error_naming_the_file_and_the_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "years.csv", "strategy,year,metric,p05,p95\n");
        let e = read_all::<YearRow>(&path).unwrap_err().to_string();
        let columns = "its columns: strategy, year, metric, p05, p95";
        assert_mentions(&e, &["years.csv", "no column `p50`", columns]);
    }

    #[test]
    fn a_cell_that_is_not_a_number_is_an_error_naming_the_file_and_line() {
        let e = savings_of("strategy,npv_savings_usd\nsolo,1\nsolo,lots\n")
            .unwrap_err()
            .to_string();
        assert_mentions(&e, &["replications.csv", "line: 3"]);
    }

    #[test]
    fn an_absent_file_is_none_not_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            read_all::<CentreRow>(&dir.path().join("centres.csv"))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn savings_are_grouped_by_strategy_in_file_order() {
        let s = savings_of(
            "replication,strategy,npv_savings_usd\n0,status_quo,0\n0,solo,5\n\
             1,status_quo,0\n1,solo,\n2,solo,7\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].strategy, "status_quo");
        let solo = s[1].millions.summary().unwrap();
        assert_eq!((solo.n, solo.min, solo.max), (2, 5e-6, 7e-6));
    }

    #[test]
    fn a_folder_without_a_manifest_is_an_error_naming_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "summary.csv", "strategy,metric,mean,p05,p95\n");
        let e = ResultFiles::read(dir.path()).unwrap_err().to_string();
        assert_mentions(&e, &["manifest.toml not found"]);
    }

    #[test]
    fn a_folder_with_only_a_manifest_is_an_error_listing_the_expected_files() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "manifest.toml",
            "sscsim_version = \"0.1.0\"\nscenario_name = \"x\"\nseed = 1\nreplications = 2\n",
        );
        let e = ResultFiles::read(dir.path()).unwrap_err().to_string();
        assert_mentions(&e, &["no result files", "replications.csv"]);
    }
}
