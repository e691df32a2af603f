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

/// The columns of `global_sensitivity.csv` every run writes; a design's
/// five follow them, named after its index
/// ([`crate::global_sensitivity::DesignKind::column`]).
pub const GLOBAL_SENSITIVITY_HEADER: [&str; 10] = [
    "output",
    "strategy",
    "input",
    "input_label",
    "first_order",
    "first_order_ci_low",
    "first_order_ci_high",
    "first_order_first_half",
    "first_order_converged",
    "first_order_replications",
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
