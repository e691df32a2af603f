//! The files of a result folder, read into the rows the report shows.
//! Each file is optional but the manifest: a section of the report appears
//! when its file is there. How a file is read back — its columns checked,
//! missing numbers — is [`crate::results::read`]'s.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ReportError;
use crate::results::columns::{
    CENTRES_HEADER, COALITIONS_HEADER, DIFFERENCES_HEADER, LINES_HEADER, SENSITIVITY_HEADER,
};
use crate::results::read::{Record, finite, for_each_row, read_all};
use crate::results::{Manifest, ResultFile};
use crate::stats::Series;

/// The headline metric of a comparison: the fragmented strategy's cost
/// minus the pooled strategy's.
pub(crate) const ECONOMIES_OF_SCALE_LOST: &str = "economies_of_scale_lost_usd";
/// Savings against the status quo.
pub(crate) const NPV_SAVINGS: &str = "npv_savings_usd";

/// `replications.csv`: a strategy's savings in one replication.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub(crate) struct SavingsRow {
    /// Strategy id.
    pub strategy: String,
    /// NPV savings against the status quo, USD.
    #[serde(deserialize_with = "finite")]
    pub npv_savings_usd: Option<f64>,
}

impl Record for SavingsRow {
    const COLUMNS: &'static [&'static str] = &["strategy", "npv_savings_usd"];
}

/// `summary.csv`: one metric of one strategy over the replications.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct SummaryRow {
    /// Strategy id.
    pub strategy: String,
    /// Metric name (a column of `replications.csv`).
    pub metric: String,
    /// Mean.
    #[serde(deserialize_with = "finite")]
    pub mean: Option<f64>,
    /// 5th percentile.
    #[serde(deserialize_with = "finite")]
    pub p05: Option<f64>,
    /// 95th percentile.
    #[serde(deserialize_with = "finite")]
    pub p95: Option<f64>,
}

impl Record for SummaryRow {
    const COLUMNS: &'static [&'static str] = &["strategy", "metric", "mean", "p05", "p95"];
}

/// `years.csv`: one figure of one strategy in one year.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct YearRow {
    /// Strategy id.
    pub strategy: String,
    /// Year of the horizon, 1 = the first.
    pub year: u32,
    /// Figure name.
    pub metric: String,
    /// 5th percentile.
    #[serde(deserialize_with = "finite")]
    pub p05: Option<f64>,
    /// Median.
    #[serde(deserialize_with = "finite")]
    pub p50: Option<f64>,
    /// 95th percentile.
    #[serde(deserialize_with = "finite")]
    pub p95: Option<f64>,
}

impl Record for YearRow {
    const COLUMNS: &'static [&'static str] = &["strategy", "year", "metric", "p05", "p50", "p95"];
}

/// `decomposition_summary.csv`: one part of the economies-of-scale gap.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct DecompositionRow {
    /// Mechanism id, `other` or `total`.
    pub mechanism: String,
    /// Mean part / mean gap.
    #[serde(deserialize_with = "finite")]
    pub share_of_gap: Option<f64>,
    /// Mean, USD.
    #[serde(deserialize_with = "finite")]
    pub mean: Option<f64>,
    /// 5th percentile, USD.
    #[serde(deserialize_with = "finite")]
    pub p05: Option<f64>,
    /// 95th percentile, USD.
    #[serde(deserialize_with = "finite")]
    pub p95: Option<f64>,
}

impl Record for DecompositionRow {
    const COLUMNS: &'static [&'static str] = &["mechanism", "share_of_gap", "mean", "p05", "p95"];
}

/// `sensitivity.csv`: how one input moves one output of one strategy.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct SensitivityRow {
    /// Output: `npv_savings_usd` or `economies_of_scale_lost_usd`.
    pub output: String,
    /// Strategy id.
    pub strategy: String,
    /// Uncertain input.
    pub input: String,
    /// Spearman rank correlation of input and output.
    #[serde(deserialize_with = "finite")]
    pub rank_correlation: Option<f64>,
    /// The input's 10th percentile.
    #[serde(deserialize_with = "finite")]
    pub input_p10: Option<f64>,
    /// The input's 90th percentile.
    #[serde(deserialize_with = "finite")]
    pub input_p90: Option<f64>,
    /// The output with the input at its 10th percentile (top inputs only).
    #[serde(deserialize_with = "finite")]
    pub output_at_p10: Option<f64>,
    /// The output with the input at its 90th percentile (top inputs only).
    #[serde(deserialize_with = "finite")]
    pub output_at_p90: Option<f64>,
    /// `output_at_p90 − output_at_p10` (top inputs only).
    #[serde(deserialize_with = "finite")]
    pub swing: Option<f64>,
    /// The input for a reader, with its unit (absent from folders of older
    /// versions).
    #[serde(default)]
    pub input_label: Option<String>,
}

impl SensitivityRow {
    /// The input for a reader: its label, or its path when the file has
    /// none.
    pub fn label(&self) -> &str {
        self.input_label
            .as_deref()
            .filter(|l| !l.is_empty())
            .unwrap_or(&self.input)
    }
}

impl Record for SensitivityRow {
    /// The columns every version wrote; the labels came later.
    const COLUMNS: &'static [&'static str] = SENSITIVITY_HEADER.split_at(9).0;
}

/// `centres.csv`: one centre of one strategy in the last year (means).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct CentreRow {
    /// Strategy id.
    pub strategy: String,
    /// Centre id.
    pub centre: String,
    /// Location id.
    pub location: String,
    /// The agencies it serves.
    pub agencies: String,
    /// Transactions a year.
    #[serde(deserialize_with = "finite")]
    pub transactions_per_year: Option<f64>,
    /// Running cost a year, USD.
    #[serde(deserialize_with = "finite")]
    pub running_cost_usd_per_year: Option<f64>,
    /// Running cost per transaction, USD.
    #[serde(deserialize_with = "finite")]
    pub cost_per_transaction_usd: Option<f64>,
    /// Staff, FTE.
    #[serde(deserialize_with = "finite")]
    pub fte: Option<f64>,
}

impl Record for CentreRow {
    const COLUMNS: &'static [&'static str] = &CENTRES_HEADER;
}

/// `coalitions.csv`: one ranked coalition structure.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct CoalitionRow {
    /// Rank, 1 = cheapest.
    pub rank: String,
    /// Blocks `agency+agency@location` separated by ` | `.
    pub structure: String,
    /// Number of centres.
    pub centres: String,
    /// Mean NPV cost, USD.
    #[serde(deserialize_with = "finite")]
    pub npv_cost_usd: Option<f64>,
    /// 5th percentile, USD.
    #[serde(deserialize_with = "finite")]
    pub p05: Option<f64>,
    /// 95th percentile, USD.
    #[serde(deserialize_with = "finite")]
    pub p95: Option<f64>,
    /// Mean share on time.
    #[serde(deserialize_with = "finite")]
    pub service_level: Option<f64>,
    /// Share of replications cheaper than the next.
    #[serde(deserialize_with = "finite")]
    pub prob_beats_next: Option<f64>,
    /// Mean paired cost difference from the best, USD (empty for the best;
    /// absent from folders of older versions).
    #[serde(default, deserialize_with = "finite")]
    pub above_best_usd: Option<f64>,
    /// Half-width of its 95% confidence interval, USD.
    #[serde(default, deserialize_with = "finite")]
    pub above_best_half_width_usd: Option<f64>,
    /// 1 when not significantly dearer than the best (see
    /// [`crate::pool::analysis::ties_best`]).
    #[serde(default, deserialize_with = "finite")]
    pub tied_with_best: Option<f64>,
}

impl CoalitionRow {
    /// Whether the structure ties the best; `false` when the folder does not
    /// say (older versions).
    pub fn is_tie(&self) -> bool {
        self.tied_with_best == Some(1.0)
    }
}

impl Record for CoalitionRow {
    /// The columns every version wrote; the ties came later.
    const COLUMNS: &'static [&'static str] = COALITIONS_HEADER.split_at(8).0;
}

/// `allocation.csv`: one agency's share of the pooled centre by one method.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct AllocationRow {
    /// `shapley`, `volume` or `equal`.
    pub method: String,
    /// Agency id.
    pub agency: String,
    /// Mean share, USD.
    #[serde(deserialize_with = "finite")]
    pub share_usd: Option<f64>,
    /// Share of the centre's cost.
    #[serde(deserialize_with = "finite")]
    pub share_of_cost: Option<f64>,
    /// Its best solo centre's cost, USD.
    #[serde(deserialize_with = "finite")]
    pub solo_cost_usd: Option<f64>,
    /// Mean saving against going solo, USD.
    #[serde(deserialize_with = "finite")]
    pub saving_vs_solo_usd: Option<f64>,
    /// Share of replications with a saving.
    #[serde(deserialize_with = "finite")]
    pub better_off: Option<f64>,
    /// Share of replications in which the split is in the core.
    #[serde(deserialize_with = "finite")]
    pub in_core: Option<f64>,
}

impl Record for AllocationRow {
    const COLUMNS: &'static [&'static str] = &[
        "method",
        "agency",
        "share_usd",
        "share_of_cost",
        "solo_cost_usd",
        "saving_vs_solo_usd",
        "better_off",
        "in_core",
    ];
}

/// `lines.csv`: one service line of one strategy in the last year.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct LineRow {
    /// Strategy id.
    pub strategy: String,
    /// Service line id.
    pub service_line: String,
    /// Staff, FTE.
    #[serde(deserialize_with = "finite")]
    pub fte: Option<f64>,
    /// Transactions a year.
    #[serde(deserialize_with = "finite")]
    pub transactions_per_year: Option<f64>,
    /// Transactions per FTE-year.
    #[serde(deserialize_with = "finite")]
    pub transactions_per_fte_year: Option<f64>,
    /// Work completed over capacity.
    #[serde(deserialize_with = "finite")]
    pub utilisation_share: Option<f64>,
    /// Share on time.
    #[serde(deserialize_with = "finite")]
    pub service_level: Option<f64>,
    /// Share of days ending with work waiting.
    #[serde(deserialize_with = "finite")]
    pub backlog_probability: Option<f64>,
    /// Mean work waiting at the end of a day, transactions.
    #[serde(deserialize_with = "finite")]
    pub mean_backlog_transactions: Option<f64>,
    /// Mean wait of answered calls, seconds (contact lines).
    #[serde(deserialize_with = "finite")]
    pub average_speed_of_answer_seconds: Option<f64>,
    /// Share of calls that hung up (contact lines).
    #[serde(deserialize_with = "finite")]
    pub abandon_share: Option<f64>,
}

impl Record for LineRow {
    const COLUMNS: &'static [&'static str] = &LINES_HEADER;
}

/// `differences.csv`: one paired difference of two strategies.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct DifferenceRow {
    /// Strategy id.
    pub strategy: String,
    /// The strategy it is compared with.
    pub versus: String,
    /// `savings_usd` (by year) or `npv_savings_usd` (`all`).
    pub metric: String,
    /// Year of the horizon, 1 = the first, or `all`.
    pub year: String,
    /// Mean, USD.
    #[serde(deserialize_with = "finite")]
    pub mean: Option<f64>,
    /// 5th percentile, USD.
    #[serde(deserialize_with = "finite")]
    pub p05: Option<f64>,
    /// 95th percentile, USD.
    #[serde(deserialize_with = "finite")]
    pub p95: Option<f64>,
}

impl Record for DifferenceRow {
    const COLUMNS: &'static [&'static str] = &DIFFERENCES_HEADER;
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
}

/// The data files a report shows; a folder needs at least one.
const DATA_FILES: [ResultFile; 10] = [
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
];

impl ResultFiles {
    /// Reads every file of the folder that a report shows.
    ///
    /// # Errors
    /// When `dir` is not a folder, has no manifest or none of the data
    /// files, or a file that is there cannot be read or lacks a column.
    pub fn read(dir: &Path) -> Result<ResultFiles, ReportError> {
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
        ids
    }

    /// The fragmented strategy of the comparison: the manifest's, else the
    /// strategy of the economies-of-scale rows of `sensitivity.csv`.
    pub fn fragmented(&self) -> Option<&str> {
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
        assert!(e.contains("years.csv"), "{e}");
        assert!(e.contains("no column `p50`"), "{e}");
        assert!(
            e.contains("its columns: strategy, year, metric, p05, p95"),
            "{e}"
        );
    }

    #[test]
    fn a_cell_that_is_not_a_number_is_an_error_naming_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "replications.csv",
            "strategy,npv_savings_usd\nsolo,1\nsolo,lots\n",
        );
        let e = read_savings(&path).unwrap_err().to_string();
        assert!(e.contains("replications.csv"), "{e}");
        assert!(e.contains("line: 3"), "{e}");
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
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "replications.csv",
            "replication,strategy,npv_savings_usd\n0,status_quo,0\n0,solo,5\n\
             1,status_quo,0\n1,solo,\n2,solo,7\n",
        );
        let s = read_savings(&path).unwrap().unwrap();
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
        assert!(e.contains("manifest.toml not found"), "{e}");
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
        assert!(e.contains("no result files"), "{e}");
        assert!(e.contains("replications.csv"), "{e}");
    }
}
