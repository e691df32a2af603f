//! The name of every file a result folder may hold, in one list: the
//! writers commit under these names, the readers look for them, and a run
//! with `--force` removes exactly these. A new output file is a new variant
//! here and its writer.

use std::fmt;

/// A file of a result folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResultFile {
    /// `manifest.toml`: what produced the folder. Written last: a folder
    /// with a manifest is complete.
    Manifest,
    /// `replications.csv`: one row per replication and strategy.
    Replications,
    /// `replications.parquet`: `replications.csv` as Parquet (`--parquet`).
    ReplicationsParquet,
    /// `summary.csv`: one row per strategy and metric.
    Summary,
    /// `years.csv`: yearly figures, for fan charts.
    Years,
    /// `years.parquet`: `years.csv` as Parquet (`--parquet`).
    YearsParquet,
    /// `centres.csv`: every centre of every strategy.
    Centres,
    /// `differences.csv`: what each strategy saves against every other,
    /// paired by replication.
    Differences,
    /// `lines.csv`: productivity of every strategy's service lines.
    Lines,
    /// `sensitivity.csv`: what moves the outputs.
    Sensitivity,
    /// `voi.csv`: what knowing each input before choosing is worth.
    Voi,
    /// `global_sensitivity.csv`: variance-based indices of every input.
    GlobalSensitivity,
    /// `decomposition.csv`: the economies-of-scale gap by mechanism, per
    /// replication.
    Decomposition,
    /// `decomposition_summary.csv`: the same over the replications.
    DecompositionSummary,
    /// `agencies.csv`: each agency's cost and savings under each strategy.
    Agencies,
    /// `dominance.csv`: stochastic dominance between strategies' costs.
    Dominance,
    /// `coalitions.csv`: the ranked coalition structures of `pool`.
    Coalitions,
    /// `allocation.csv`: the cost sharing of `pool`.
    Allocation,
    /// `comparison.csv`: a batch's scenarios side by side, one row per
    /// scenario, strategy and metric.
    Comparison,
    /// `sweep.csv`: the headline metrics at each value of a swept number.
    Sweep,
    /// `breakeven.csv`: where a strategy's mean savings cross zero.
    Breakeven,
    /// `breakeven_points.csv`: the values a break-even search evaluated.
    BreakevenPoints,
    /// `results.xlsx`: the tables in one workbook.
    Workbook,
    /// `report.html`: the folder drawn as one page.
    Report,
    /// `replications.bin`: a shard's replay file.
    Replay,
    /// `shard-scenario.toml`: the scenario a shard ran, for its merge.
    ScenarioCopy,
    /// `pool_shard.toml`: what a shard of a heuristic coalition search
    /// found, for its merge.
    PoolShard,
}

impl ResultFile {
    /// Every file, the manifest first: removing them in this order never
    /// leaves a folder that looks complete with some of its files gone.
    pub const ALL: [ResultFile; 27] = [
        ResultFile::Manifest,
        ResultFile::Replications,
        ResultFile::ReplicationsParquet,
        ResultFile::Summary,
        ResultFile::Years,
        ResultFile::YearsParquet,
        ResultFile::Centres,
        ResultFile::Differences,
        ResultFile::Lines,
        ResultFile::Sensitivity,
        ResultFile::Voi,
        ResultFile::GlobalSensitivity,
        ResultFile::Decomposition,
        ResultFile::DecompositionSummary,
        ResultFile::Agencies,
        ResultFile::Dominance,
        ResultFile::Coalitions,
        ResultFile::Allocation,
        ResultFile::Comparison,
        ResultFile::Sweep,
        ResultFile::Breakeven,
        ResultFile::BreakevenPoints,
        ResultFile::Workbook,
        ResultFile::Report,
        ResultFile::Replay,
        ResultFile::ScenarioCopy,
        ResultFile::PoolShard,
    ];

    /// The file's name in the folder.
    pub const fn name(self) -> &'static str {
        match self {
            ResultFile::Manifest => "manifest.toml",
            ResultFile::Replications => "replications.csv",
            ResultFile::ReplicationsParquet => "replications.parquet",
            ResultFile::Summary => "summary.csv",
            ResultFile::Years => "years.csv",
            ResultFile::YearsParquet => "years.parquet",
            ResultFile::Centres => "centres.csv",
            ResultFile::Differences => "differences.csv",
            ResultFile::Lines => "lines.csv",
            ResultFile::Sensitivity => "sensitivity.csv",
            ResultFile::Voi => "voi.csv",
            ResultFile::GlobalSensitivity => "global_sensitivity.csv",
            ResultFile::Decomposition => "decomposition.csv",
            ResultFile::DecompositionSummary => "decomposition_summary.csv",
            ResultFile::Agencies => "agencies.csv",
            ResultFile::Dominance => "dominance.csv",
            ResultFile::Coalitions => "coalitions.csv",
            ResultFile::Allocation => "allocation.csv",
            ResultFile::Comparison => "comparison.csv",
            ResultFile::Sweep => "sweep.csv",
            ResultFile::Breakeven => "breakeven.csv",
            ResultFile::BreakevenPoints => "breakeven_points.csv",
            ResultFile::Workbook => "results.xlsx",
            ResultFile::Report => "report.html",
            ResultFile::Replay => "replications.bin",
            ResultFile::ScenarioCopy => "shard-scenario.toml",
            ResultFile::PoolShard => "pool_shard.toml",
        }
    }
}

impl fmt::Display for ResultFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_listed_once_under_its_own_name() {
        let mut names: Vec<&str> = ResultFile::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names[0], "manifest.toml");
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ResultFile::ALL.len());
    }
}
