//! The columns of the CSV files that are read back as well as written:
//! the writer writes them and the reader checks them, from this one list.

/// The columns of `centres.csv`.
pub const CENTRES_HEADER: [&str; 8] = [
    "strategy",
    "centre",
    "location",
    "agencies",
    "transactions_per_year",
    "running_cost_usd_per_year",
    "cost_per_transaction_usd",
    "fte",
];

/// The columns of `lines.csv`.
pub const LINES_HEADER: [&str; 11] = [
    "strategy",
    "service_line",
    "fte",
    "transactions_per_year",
    "transactions_per_fte_year",
    "utilisation_share",
    "service_level",
    "backlog_probability",
    "mean_backlog_transactions",
    "average_speed_of_answer_seconds",
    "abandon_share",
];

/// The columns of `differences.csv`.
pub const DIFFERENCES_HEADER: [&str; 9] = [
    "strategy",
    "versus",
    "metric",
    "year",
    "mean",
    "p05",
    "p50",
    "p95",
    "probability_positive",
];

/// The columns of `sensitivity.csv`.
pub const SENSITIVITY_HEADER: [&str; 10] = [
    "output",
    "strategy",
    "input",
    "rank_correlation",
    "input_p10",
    "input_p90",
    "output_at_p10",
    "output_at_p90",
    "swing",
    "input_label",
];

/// The columns of `voi.csv`.
pub const VOI_HEADER: [&str; 8] = [
    "input",
    "kind",
    "input_label",
    "evppi_usd",
    "se_usd",
    "share_of_evpi",
    "inputs",
    "replications",
];

/// The columns of `global_sensitivity.csv` every run writes; a design's
/// five follow them, named after its index
/// ([`crate::global_sensitivity::DesignKind::column`]).
pub const GLOBAL_SENSITIVITY_HEADER: [&str; 11] = [
    "output",
    "strategy",
    "input",
    "kind",
    "input_label",
    "first_order",
    "first_order_ci_low",
    "first_order_ci_high",
    "first_order_first_half",
    "first_order_converged",
    "first_order_replications",
];

/// The columns of `global_sensitivity.csv` a reader needs: the header up
/// to the first-order index's interval, which every run writes, but `kind`,
/// which files written before groups had rows lack (their rows are all
/// inputs).
pub(crate) const GLOBAL_SENSITIVITY_NEEDED: &[&str] = &[
    "output",
    "strategy",
    "input",
    "input_label",
    "first_order",
    "first_order_ci_low",
    "first_order_ci_high",
];

/// The suffixes of a design's columns in `global_sensitivity.csv`, after
/// its index's name.
pub const GLOBAL_SENSITIVITY_DESIGN_SUFFIXES: [&str; 5] =
    ["", "_ci_low", "_ci_high", "_first_half", "_converged"];

/// The columns of `coalitions.csv`.
pub const COALITIONS_HEADER: [&str; 11] = [
    "rank",
    "structure",
    "centres",
    "npv_cost_usd",
    "p05",
    "p95",
    "service_level",
    "prob_beats_next",
    "above_best_usd",
    "above_best_half_width_usd",
    "tied_with_best",
];

/// The columns of `comparison.csv`.
pub const COMPARISON_HEADER: [&str; 10] = [
    "scenario",
    "strategy",
    "metric",
    "mean",
    "p05",
    "p50",
    "p95",
    "horizon_years",
    "replications",
    "partial",
];

/// The columns of `agencies.csv`.
pub const AGENCIES_HEADER: [&str; 12] = [
    "agency",
    "strategy",
    "allocation_rule",
    "npv_cost_usd_mean",
    "npv_savings_usd_mean",
    "npv_savings_usd_se",
    "npv_savings_usd_p05",
    "npv_savings_usd_p50",
    "npv_savings_usd_p95",
    "probability_worse_off",
    "cvar05_savings_usd",
    "replications",
];

/// The columns of `dominance.csv`.
pub const DOMINANCE_HEADER: [&str; 8] = [
    "strategy_a",
    "strategy_b",
    "first_order",
    "second_order",
    "share_a_cheaper",
    "share_a_cheaper_se",
    "level",
    "replications",
];
