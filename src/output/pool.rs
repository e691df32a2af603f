//! Output of `sscsim pool`: `coalitions.csv`, `allocation.csv` and the
//! printed tables.

use std::io::Write;

use super::cell::{optional_number, write_table};
use super::table::{prose, table_with_text as table};
use crate::format::{self, MISSING, probability};
use crate::model::Scenario;
use crate::pool::Game;
use crate::pool::analysis::{RankedStructure, Share};
use crate::pool::partition::Structure;
use crate::pool::sharing::Method;
use crate::results::CsvDialect;
use crate::results::columns::COALITIONS_HEADER;
use crate::stats::Z_95;

/// A structure as text: `unhcr+fao@budapest | who@kuala_lumpur`.
fn structure_label(scenario: &Scenario, game: &Game, structure: &Structure) -> String {
    let blocks: Vec<String> = structure
        .blocks
        .iter()
        .map(|b| {
            format!(
                "{}@{}",
                game.label(scenario, b.coalition),
                scenario.locations[game.locations[b.option]].id
            )
        })
        .collect();
    blocks.join(" | ")
}

/// The widest line of a structure in the printed table, in columns: a
/// structure of thirty agencies would otherwise make one line of over 200.
const STRUCTURE_LINE_COLUMNS: usize = 36;

/// A structure as printed: one centre per line, a centre's agencies
/// wrapped after a `+` to lines of at most [`STRUCTURE_LINE_COLUMNS`]
/// (continuations indented), e.g. `unhcr+fao@budapest` then
/// `who@kuala_lumpur`. The CSV keeps [`structure_label`]'s one line.
fn structure_lines(scenario: &Scenario, game: &Game, structure: &Structure) -> String {
    let mut lines: Vec<String> = Vec::new();
    for b in &structure.blocks {
        let ids: Vec<&str> = (0..game.players.len())
            .filter(|i| b.coalition & (1 << i) != 0)
            .map(|i| scenario.agencies[game.players[i]].id.as_str())
            .collect();
        let location = &scenario.locations[game.locations[b.option]].id;
        let mut line = String::new();
        for (k, id) in ids.iter().enumerate() {
            let piece = if k + 1 == ids.len() {
                format!("{id}@{location}")
            } else {
                format!("{id}+")
            };
            if !line.trim().is_empty()
                && line.chars().count() + piece.chars().count() > STRUCTURE_LINE_COLUMNS
            {
                lines.push(std::mem::replace(&mut line, "  ".to_owned()));
            }
            line.push_str(&piece);
        }
        lines.push(line);
    }
    lines.join("\n")
}

/// Writes `coalitions.csv`: the best structures, cheapest first, with the
/// mean service level of their queues (`service_levels`, one per structure).
///
/// # Errors
/// When writing fails.
pub(crate) fn write_coalitions<W: Write>(
    out: W,
    dialect: CsvDialect,
    scenario: &Scenario,
    game: &Game,
    ranked: &[RankedStructure],
    service_levels: &[f64],
) -> csv::Result<W> {
    let rows = ranked
        .iter()
        .zip(service_levels)
        .enumerate()
        .map(|(i, (r, level))| {
            [
                (i + 1).to_string(),
                structure_label(scenario, game, &r.structure),
                r.structure.blocks.len().to_string(),
                r.cost.mean.to_string(),
                r.cost.p05.to_string(),
                r.cost.p95.to_string(),
                level.to_string(),
                optional_number(r.beats_next),
                optional_number(r.above_best.map(|d| d.mean)),
                optional_number(r.above_best.map(|d| Z_95 * d.se)),
                u8::from(r.tied_with_best).to_string(),
            ]
        });
    write_table(out, dialect, &COALITIONS_HEADER, rows)
}

/// The columns of `allocation.csv`; the last five came later and are read
/// as optional (`largest_excess_group`, `largest_excess_usd` and
/// `largest_excess_exact` are the same on every row of a method).
const ALLOCATION_HEADER: [&str; 16] = [
    "method",
    "agency",
    "share_usd",
    "share_p05",
    "share_p95",
    "share_of_cost",
    "solo_cost_usd",
    "saving_vs_solo_usd",
    "better_off",
    "in_core",
    "n",
    "largest_excess_group",
    "largest_excess_usd",
    "largest_excess_exact",
    "share_se_usd",
    "share_proven",
];

/// Writes `allocation.csv`: each agency's share of the pooled centre's cost
/// by each method, against going solo, and whether the split is stable.
///
/// # Errors
/// When writing fails.
pub(crate) fn write_allocation<W: Write>(
    out: W,
    dialect: CsvDialect,
    scenario: &Scenario,
    game: &Game,
    shares: &[Share],
) -> csv::Result<W> {
    let rows = shares.iter().map(|s| {
        [
            s.method.name().to_owned(),
            scenario.agencies[game.players[s.player]].id.clone(),
            s.share.mean.to_string(),
            s.share.p05.to_string(),
            s.share.p95.to_string(),
            s.share_of_cost.to_string(),
            s.solo.mean.to_string(),
            s.saving.mean.to_string(),
            s.better_off.to_string(),
            optional_number(s.in_core),
            s.share.n.to_string(),
            s.largest_excess
                .map_or_else(String::new, |e| game.label(scenario, e.coalition)),
            optional_number(s.largest_excess.map(|e| e.excess)),
            s.largest_excess
                .map_or_else(String::new, |e| u8::from(e.exact).to_string()),
            optional_number(s.share_se),
            u8::from(s.proven).to_string(),
        ]
    });
    write_table(out, dialect, &ALLOCATION_HEADER, rows)
}

/// Which search found the ranked structures, and how much it evaluated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SearchRun {
    /// Every coalition at every location.
    Exact {
        /// Coalitions evaluated: all of them.
        coalitions: u64,
    },
    /// A heuristic over the coalitions it visits.
    Heuristic {
        /// `--restarts`.
        restarts: u64,
        /// Coalitions evaluated (by the search and the sharing).
        coalitions: u64,
        /// The sampled Shapley values' target, standard error over share
        /// (`--shapley-se`).
        shapley_relative_se: f64,
        /// The fixed number of Shapley blocks after the pilot
        /// (`--shapley-blocks`); `None`: the stopping rule.
        shapley_blocks: Option<u64>,
    },
}

impl SearchRun {
    /// One sentence on the search, under the structures' table.
    fn note(self) -> String {
        match self {
            SearchRun::Exact { coalitions } => format!(
                "Exact search: every one of the {coalitions} coalitions at every location; these are the best structures."
            ),
            SearchRun::Heuristic {
                restarts,
                coalitions,
                ..
            } => format!(
                "Heuristic search (--restarts {restarts}): {coalitions} coalitions evaluated; the best structures found, not proven the best there are."
            ),
        }
    }
}

/// What the sharing table says of its methods when the heuristic search
/// ran.
pub const SAMPLED_SHARES_NOTE: &str = "Above the exact search (14 agencies by default) the shares are made on the mean costs: Shapley values sampled by position (Castro, Gómez, Molina and Tejada 2017), \"± SE\" their standard errors; the least core and the nucleolus by linear programming with constraint generation, proven only when every group could be enumerated (up to 16 agencies), otherwise \"no violated group found by search\". P(in core) is not computed: it needs the cost of every coalition in every replication.";

/// Whether the sampled Shapley values met their target, and how the linear
/// programmes ended, under the sharing table when the heuristic search ran.
fn sampled_note(shares: &[Share], relative_se: f64, fixed_blocks: Option<u64>) -> String {
    let mut lines = Vec::new();
    let shapley: Vec<&Share> = shares
        .iter()
        .filter(|s| s.method == Method::Shapley && s.share_se.is_some())
        .collect();
    if !shapley.is_empty() {
        let worst = shapley
            .iter()
            .map(|s| s.share_se.unwrap_or(0.0) / s.share.mean.abs().max(f64::MIN_POSITIVE))
            .fold(0.0, f64::max);
        let met = shapley.iter().all(|s| s.proven);
        lines.push(format!(
            "Shapley: largest standard error {} of a share; the target of {}% {}.",
            format::percent(worst),
            // Up to two decimals: a target of 0.05% is not shown as 0.1%.
            format::tick(relative_se * 100.0),
            match (met, fixed_blocks) {
                (true, _) => "was met".to_owned(),
                (false, None) => "was NOT met within the budget (--shapley-budget)".to_owned(),
                (false, Some(blocks)) => format!(
                    "was NOT met in the {} after the pilot (--shapley-blocks)",
                    crate::text::counted(blocks, "block", "blocks")
                ),
            }
        ));
    }
    for method in [Method::LeastCore, Method::Nucleolus] {
        if let Some(s) = shares.iter().find(|s| s.method == method) {
            lines.push(format!(
                "{}: {}.",
                method.name(),
                if s.proven {
                    "exact (every group enumerated)"
                } else {
                    "no violated group found by search (not a proof)"
                }
            ));
        }
    }
    lines.iter().map(|l| prose(l) + "\n").collect()
}

/// The printed tables: the best structures, and the sharing of the pooled
/// centre's cost (with P(in core) and who would leave when the core check
/// ran).
pub fn render(
    scenario: &Scenario,
    game: &Game,
    ranked: &[RankedStructure],
    service_levels: &[f64],
    shares: &[Share],
    run: SearchRun,
) -> String {
    let m = |usd: f64| format::millions(usd, 1);
    let mut structures = table(
        &[
            "rank",
            "structure",
            "NPV cost",
            "p5",
            "p95",
            "service level",
            "P(beats next)",
            "above best",
        ],
        2,
    );
    for (i, (r, level)) in ranked.iter().zip(service_levels).enumerate() {
        structures.add_row([
            rank_label(i, r.tied_with_best),
            structure_lines(scenario, game, &r.structure),
            m(r.cost.mean),
            m(r.cost.p05),
            m(r.cost.p95),
            format::percent(*level),
            r.beats_next.map_or_else(|| MISSING.to_owned(), probability),
            above_best(r),
        ]);
    }
    let core_checked = shares.iter().all(|s| s.in_core.is_some());
    let mut columns = vec![
        "method",
        "agency",
        "share",
        "% of cost",
        "alone",
        "saving",
        "P(better off)",
    ];
    if core_checked {
        columns.push("P(in core)");
    }
    let mut sharing = table(&columns, 2);
    for s in shares {
        let share = match s.share_se {
            Some(se) => format!("{} ± {}", m(s.share.mean), format::millions(se, 2)),
            None => m(s.share.mean),
        };
        let mut row = vec![
            s.method.name().to_owned(),
            scenario.agencies[game.players[s.player]].id.clone(),
            share,
            format::percent(s.share_of_cost),
            m(s.solo.mean),
            m(s.saving.mean),
            probability(s.better_off),
        ];
        row.extend(s.in_core.map(probability));
        sharing.add_row(row);
    }
    let heading = prose(
        "Sharing the cost of one centre for all, USD millions (\"alone\": each agency's best solo centre)",
    );
    let sharing = match run {
        SearchRun::Heuristic {
            shapley_relative_se,
            shapley_blocks,
            ..
        } => {
            format!("{heading}\n{sharing}\n{}\n", prose(SAMPLED_SHARES_NOTE))
                + &sampled_note(shares, shapley_relative_se, shapley_blocks)
        }
        SearchRun::Exact { .. } => format!("{heading}\n{sharing}\n{}\n", prose(CORE_NOTE)),
    } + &would_leave(scenario, game, shares);
    format!(
        "{}\n{structures}\n{}\n{}\n{sharing}",
        prose("Best coalition structures by mean NPV cost of relocatable work, USD millions"),
        prose(&run.note()),
        // The note explains `=`; without a tie there is none to explain.
        if ranked.iter().skip(1).any(|r| r.tied_with_best) {
            format!("{}\n", prose(TIES_NOTE))
        } else {
            String::new()
        },
    )
}

/// Per method, whether any group would do better alone on the mean game:
/// the group of largest excess and by how much.
fn would_leave(scenario: &Scenario, game: &Game, shares: &[Share]) -> String {
    let mut lines = vec![prose(
        "Would any group do better alone? On the mean game, under each method's mean split, the group charged most above its own centre's cost:",
    )];
    let mut seen = Vec::new();
    for s in shares {
        if seen.contains(&s.method) {
            continue;
        }
        seen.push(s.method);
        let Some(e) = s.largest_excess else { continue };
        let group = group_label(scenario, game, e.coalition);
        let how = if !e.exact {
            "found by search"
        } else {
            "over every group"
        };
        lines.push(prose(&if e.excess > 0.0 {
            format!(
                "- {}: yes, {group} would pay USD {} million less alone ({how})",
                s.method.name(),
                format::millions(e.excess, 1)
            )
        } else {
            format!(
                "- {}: no; closest {group}, charged USD {} million below its own cost ({how})",
                s.method.name(),
                format::millions(-e.excess, 1)
            )
        }));
    }
    if lines.len() == 1 {
        return String::new();
    }
    lines.join("\n") + "\n"
}

/// A group as printed: its members (`unhcr+fao`), or, when it holds more
/// than half the agencies, those it leaves out (`all but unhcr+fao`), so
/// that a group of thirty reads in a line. The CSV keeps the members.
fn group_label(scenario: &Scenario, game: &Game, coalition: crate::pool::Coalition) -> String {
    let players = game.players.len();
    let members = coalition.count_ones() as usize;
    if 2 * members > players {
        let rest = crate::pool::partition::grand_coalition(players) & !coalition;
        format!("all but {}", game.label(scenario, rest))
    } else {
        game.label(scenario, coalition)
    }
}

/// What a rank marked `=` means, under the structures' table when one
/// is.
pub const TIES_NOTE: &str = "\"=\": tied with the best. The 95% confidence interval of its paired cost difference from the best (same replications; \"above best\" ± half-width) includes zero, so the order among tied structures is noise.";

/// What `P(in core)` means and why it can be 0%, under the sharing table.
pub const CORE_NOTE: &str = "P(in core): the share of replications in which the split is in the core: no group of agencies would pay less by running its own centre than the split charges it. 0% means some group always does better alone. When another method stays in the core, this split ignores who causes the cost (an equal split charges a small agency more than its own centre). 0% under every method: none of these splits is stable, and the core may be empty (no split at all keeps every agency in one centre).";

/// The rank of the structure at `index` (0 = the best): `=` before it when
/// it ties the best.
fn rank_label(index: usize, tied_with_best: bool) -> String {
    if index > 0 && tied_with_best {
        format!("={}", index + 1)
    } else {
        (index + 1).to_string()
    }
}

/// The mean paired cost difference from the best with the half-width of its
/// 95% confidence interval, USD millions; `–` for the best.
fn above_best(r: &RankedStructure) -> String {
    r.above_best.map_or("–".to_owned(), |d| {
        format!("+{:.1} ± {:.1}", d.mean / 1e6, Z_95 * d.se / 1e6)
    })
}
