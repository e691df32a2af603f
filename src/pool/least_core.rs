//! The least core and the nucleolus of a cost game, by linear programming
//! with constraint generation.
//!
//! The **least core** (Maschler, Peleg and Shapley 1979, "Geometric
//! properties of the kernel, nucleolus, and related solution concepts",
//! Mathematics of Operations Research 4(4):303-338) is the set of splits of
//! `c(N)` that minimise the largest excess `ε = max_S x(S) − c(S)` over
//! proper coalitions: `min ε` s.t. `x(S) ≤ c(S) + ε` for every proper `S`,
//! `x(N) = c(N)`. `ε ≤ 0` means the core is not empty. The **nucleolus**
//! (Schmeidler 1969) is its unique point that, after the largest excess,
//! also minimises the next largest, and so on: a sequence of such linear
//! programmes, each fixing the coalitions whose excess is at the level just
//! found. Which coalitions to fix follows Guajardo and Jörnsten 2015 ("Common
//! mistakes in computing the nucleolus", European Journal of Operational
//! Research 241(3):931-935): not every coalition tight at the solver's
//! solution, which can give a wrong answer, but those tight at every optimal
//! solution, found by minimising each candidate's excess with the level held
//! (one small linear programme per candidate). The sequence ends when the
//! fixed coalitions and `N` determine `x` (rank `n`).
//!
//! Constraint generation: each programme starts with the singletons and
//! every "all but one"; a separation step ([`super::separation`]) finds the
//! coalition of largest excess under the solution, adds it when it exceeds
//! the level, and solves again. Separation is exact by enumeration up to
//! [`EXACT_SEPARATION_PLAYERS`] players; above, a local search, whose end is
//! "no violating coalition found by search" ([`LpShares::exact`] false),
//! not a proof.
//!
//! The least core is a set; [`Method::LeastCore`](super::sharing::Method)
//! reports the point the solver returns (a vertex of it) with its `ε`; the
//! nucleolus is the set's one canonical point.
//!
//! Costs are divided by `|c(N)|` before solving, so the solver sees numbers
//! near 1 whatever the currency; the tolerances below are in those units.

use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, microlp, variable};
use thiserror::Error;

use super::partition::{Coalition, grand_coalition};
use super::separation::{
    EXACT_SEPARATION_PLAYERS, Separation, charged, cost_table, largest_excess_by_search,
    largest_excess_in_table,
};

/// A coalition violates a level when its excess is above it by more than
/// this (share of `|c(N)|`): the simplex's own rounding is far below.
const VIOLATION: f64 = 1e-9;
/// A coalition is tight when its excess is within this of the level.
const TIGHT: f64 = 1e-7;
/// Most rounds of constraint generation per level: a guard, far above the
/// few dozen the games here need.
const MAX_ROUNDS: usize = 10_000;

/// Why a least core or nucleolus could not be computed.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum LpError {
    /// The linear programme solver failed.
    #[error("the linear programme of the least core failed: {0}")]
    Solver(String),
    /// Constraint generation did not settle.
    #[error("constraint generation did not settle in {MAX_ROUNDS} rounds")]
    NoConvergence,
}

/// An allocation found by linear programming, with how it was proven.
#[derive(Clone, Debug, PartialEq)]
pub struct LpShares {
    /// Each player's share of `c(N)`, in the game's units.
    pub allocation: Vec<f64>,
    /// The least-core value `ε` (the largest excess at its minimum), in the
    /// game's units; for the nucleolus, the excess levels fixed in turn.
    pub levels: Vec<f64>,
    /// Whether separation was exact (enumeration); false: above
    /// [`EXACT_SEPARATION_PLAYERS`], no violating coalition found by search.
    pub exact: bool,
    /// Coalitions whose rows were generated, over all programmes.
    pub rows: usize,
}

/// A row of a programme: coalition `S` with its cost, open (`x(S) − ε ≤
/// c(S)`) or fixed at a level (`x(S) = c(S) + level`). A fixed row that the
/// other fixed rows and `N` already determine is left out of the
/// programmes (`redundant`): its equation adds nothing, and a copy that
/// disagrees in the last bit would make the solver call them infeasible.
#[derive(Clone, Copy, Debug)]
struct Row {
    coalition: Coalition,
    cost: f64,
    fixed: Option<f64>,
    redundant: bool,
}

/// What a programme minimises.
#[derive(Clone, Copy)]
enum Goal {
    /// The largest excess of the open rows.
    Level,
    /// The charge of one coalition, with the largest excess held at a level.
    Charge(Coalition, f64),
}

/// The sum of the variables of the members of `s`.
fn charge_of(s: Coalition, x: &[Variable]) -> Expression {
    (0..x.len())
        .filter(|i| s & (1 << i) != 0)
        .map(|i| x[i])
        .sum()
}

/// Solves one programme over `rows` with `x(N) = total`: the allocation and
/// the level `ε`.
fn solve(players: usize, rows: &[Row], total: f64, goal: Goal) -> Result<(Vec<f64>, f64), LpError> {
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = vars.add_vector(variable(), players);
    // Bounded below so that a programme whose open rows are all fixed is
    // not unbounded; no excess of a split of c(N) = ±1 comes near.
    let epsilon = vars.add(variable().min(-1e6));
    let objective: Expression = match goal {
        Goal::Level => epsilon.into(),
        Goal::Charge(s, _) => charge_of(s, &x),
    };
    let grand = x.iter().copied().sum::<Expression>();
    let mut model = vars
        .minimise(objective)
        .using(microlp)
        .with(grand.eq(total));
    for row in rows.iter().filter(|r| !r.redundant) {
        let charge = charge_of(row.coalition, &x);
        model = match row.fixed {
            Some(level) => model.with(charge.eq(row.cost + level)),
            None => model.with((charge - epsilon).leq(row.cost)),
        };
    }
    if let Goal::Charge(_, level) = goal {
        model = model.with(Expression::from(epsilon).leq(level + TIGHT / 10.0));
    }
    let solution = model.solve().map_err(|e| LpError::Solver(e.to_string()))?;
    let values = x.iter().map(|&v| solution.value(v)).collect();
    Ok((values, solution.value(epsilon)))
}

/// The rank of the coalitions' membership vectors.
fn rank(players: usize, coalitions: &[Coalition]) -> usize {
    let mut matrix: Vec<Vec<f64>> = coalitions
        .iter()
        .map(|&s| {
            (0..players)
                .map(|i| f64::from(u8::from(s & (1 << i) != 0)))
                .collect()
        })
        .collect();
    let mut rank = 0;
    for column in 0..players {
        let Some(pivot) = (rank..matrix.len())
            .max_by(|&a, &b| matrix[a][column].abs().total_cmp(&matrix[b][column].abs()))
        else {
            break;
        };
        if matrix[pivot][column].abs() < 1e-9 {
            continue;
        }
        matrix.swap(rank, pivot);
        let pivot_row = matrix[rank].clone();
        for row in matrix.iter_mut().skip(rank + 1) {
            let factor = row[column] / pivot_row[column];
            for (v, p) in row.iter_mut().zip(&pivot_row) {
                *v -= factor * p;
            }
        }
        rank += 1;
    }
    rank
}

/// Separation: exact over a cost table, or by search.
enum Separator {
    Table(Vec<f64>),
    Search,
}

/// The programmes' state: the game (scaled), its rows and separation.
struct Programme<'a, F: FnMut(&[Coalition]) -> Vec<f64>> {
    players: usize,
    scale: f64,
    total: f64,
    rows: Vec<Row>,
    separator: Separator,
    cost: &'a mut F,
}

impl<F: FnMut(&[Coalition]) -> Vec<f64>> Programme<'_, F> {
    fn new(players: usize, cost: &mut F) -> Programme<'_, F> {
        let full = grand_coalition(players);
        let separator = if players <= EXACT_SEPARATION_PLAYERS {
            Separator::Table(cost_table(players, cost))
        } else {
            Separator::Search
        };
        let mut start: Vec<Coalition> = (0..players)
            .flat_map(|i| [1 << i, full & !(1 << i)])
            .filter(|&s| s != 0 && s != full)
            .collect();
        start.sort_unstable();
        start.dedup();
        let mut asked = start.clone();
        asked.push(full);
        let costs = match &separator {
            Separator::Table(t) => asked.iter().map(|&s| t[s as usize]).collect(),
            Separator::Search => cost(&asked),
        };
        let raw_total = costs[costs.len() - 1];
        let scale = raw_total.abs().max(f64::MIN_POSITIVE);
        let rows = start
            .iter()
            .zip(&costs)
            .map(|(&coalition, &c)| Row {
                coalition,
                cost: c / scale,
                fixed: None,
                redundant: false,
            })
            .collect();
        Programme {
            players,
            scale,
            total: raw_total / scale,
            rows,
            separator,
            cost,
        }
    }

    /// The open coalition of largest excess under `x` (scaled units).
    fn separate(&mut self, x: &[f64]) -> Option<Separation> {
        let fixed: Vec<Coalition> = self
            .rows
            .iter()
            .filter(|r| r.fixed.is_some())
            .map(|r| r.coalition)
            .collect();
        let allowed = |s: Coalition| !fixed.contains(&s);
        let scale = self.scale;
        let found = match &self.separator {
            Separator::Table(table) => {
                let scaled: Vec<f64> = x.iter().map(|v| v * scale).collect();
                largest_excess_in_table(table, &scaled, allowed)
            }
            Separator::Search => {
                let scaled: Vec<f64> = x.iter().map(|v| v * scale).collect();
                largest_excess_by_search(self.players, &scaled, &allowed, self.cost)
            }
        };
        found.map(|s| Separation {
            excess: s.excess / scale,
            ..s
        })
    }

    /// The cost of `s`, scaled.
    fn cost_of(&mut self, s: Coalition) -> f64 {
        let raw = match &self.separator {
            Separator::Table(t) => t[s as usize],
            Separator::Search => (self.cost)(&[s])[0],
        };
        raw / self.scale
    }

    /// Minimises the largest open excess, adding violated rows until none
    /// is found: the allocation and level.
    fn level(&mut self) -> Result<(Vec<f64>, f64), LpError> {
        for _ in 0..MAX_ROUNDS {
            let (x, epsilon) = solve(self.players, &self.rows, self.total, Goal::Level)?;
            match self.separate(&x) {
                Some(s) if s.excess > epsilon + VIOLATION => {
                    if self.rows.iter().any(|r| r.coalition == s.coalition) {
                        // Already a row: the solver's rounding, not a new cut.
                        return Ok((x, epsilon));
                    }
                    let cost = self.cost_of(s.coalition);
                    self.rows.push(Row {
                        coalition: s.coalition,
                        cost,
                        fixed: None,
                        redundant: false,
                    });
                }
                _ => return Ok((x, epsilon)),
            }
        }
        Err(LpError::NoConvergence)
    }

    /// Fixes the open rows tight at every optimal solution of the level
    /// (Guajardo and Jörnsten 2015): at least one, by LP duality; if
    /// rounding hides it, the row tight at `x` that comes first.
    fn fix_tight(&mut self, x: &[f64], epsilon: f64) -> Result<(), LpError> {
        let candidates: Vec<usize> = (0..self.rows.len())
            .filter(|&k| {
                let r = self.rows[k];
                r.fixed.is_none() && charged(r.coalition, x) - r.cost >= epsilon - TIGHT
            })
            .collect();
        let mut to_fix = Vec::new();
        for &k in &candidates {
            let r = self.rows[k];
            let (y, _) = solve(
                self.players,
                &self.rows,
                self.total,
                Goal::Charge(r.coalition, epsilon),
            )?;
            if charged(r.coalition, &y) - r.cost >= epsilon - TIGHT {
                to_fix.push(k);
            }
        }
        if to_fix.is_empty()
            && let Some(&k) = candidates.first()
        {
            to_fix.push(k);
        }
        for k in to_fix {
            let before = self.fixed_rank();
            self.rows[k].fixed = Some(epsilon);
            self.rows[k].redundant = self.fixed_rank() == before;
        }
        Ok(())
    }

    /// The rank of the fixed rows that are not redundant, with `N`.
    fn fixed_rank(&self) -> usize {
        let mut coalitions: Vec<Coalition> = self
            .rows
            .iter()
            .filter(|r| r.fixed.is_some() && !r.redundant)
            .map(|r| r.coalition)
            .collect();
        coalitions.push(grand_coalition(self.players));
        rank(self.players, &coalitions)
    }

    fn exact(&self) -> bool {
        matches!(self.separator, Separator::Table(_))
    }

    fn result(&self, x: &[f64], levels: Vec<f64>) -> LpShares {
        LpShares {
            allocation: x.iter().map(|v| v * self.scale).collect(),
            levels: levels.iter().map(|l| l * self.scale).collect(),
            exact: self.exact(),
            rows: self.rows.len(),
        }
    }
}

/// A single player pays its own cost: nothing to programme.
fn alone(cost: &mut impl FnMut(&[Coalition]) -> Vec<f64>) -> LpShares {
    LpShares {
        allocation: cost(&[1]),
        levels: Vec::new(),
        exact: true,
        rows: 0,
    }
}

/// A point of the least core of the game of `players` players whose
/// coalitions cost `cost(&[S, …])` (one value per coalition), and its value
/// `ε` (`levels[0]`).
///
/// # Errors
/// When the solver fails or constraint generation does not settle.
pub fn least_core(
    players: usize,
    cost: &mut impl FnMut(&[Coalition]) -> Vec<f64>,
) -> Result<LpShares, LpError> {
    levels(players, cost, false)
}

/// The nucleolus of the game of `players` players whose coalitions cost
/// `cost(&[S, …])`, with the excess levels fixed in turn (the first is the
/// least-core value).
///
/// # Errors
/// When the solver fails or constraint generation does not settle.
pub fn nucleolus(
    players: usize,
    cost: &mut impl FnMut(&[Coalition]) -> Vec<f64>,
) -> Result<LpShares, LpError> {
    levels(players, cost, true)
}

/// The first excess level (the least core), or every level until the
/// fixed coalitions determine the split (the nucleolus, `all`).
fn levels(
    players: usize,
    cost: &mut impl FnMut(&[Coalition]) -> Vec<f64>,
    all: bool,
) -> Result<LpShares, LpError> {
    if players < 2 {
        return Ok(alone(cost));
    }
    let mut programme = Programme::new(players, cost);
    let mut levels = Vec::new();
    loop {
        let (x, epsilon) = programme.level()?;
        levels.push(epsilon);
        if !all {
            return Ok(programme.result(&x, levels));
        }
        programme.fix_tight(&x, epsilon)?;
        if programme.fixed_rank() >= players || levels.len() > MAX_ROUNDS {
            return Ok(programme.result(&x, levels));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_cost(table: &[f64]) -> impl FnMut(&[Coalition]) -> Vec<f64> + '_ {
        |c: &[Coalition]| c.iter().map(|&s| table[s as usize]).collect()
    }

    fn table_of(players: usize, mut f: impl FnMut(Coalition) -> f64) -> Vec<f64> {
        (0..1u64 << players)
            .map(|s| if s == 0 { 0.0 } else { f(s) })
            .collect()
    }

    fn close(a: &[f64], b: &[f64], tolerance: f64) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < tolerance)
    }

    #[test]
    fn the_empty_core_game_has_the_least_core_value_worked_by_hand() {
        // c(i) = 1.5, c(ij) = 2, c(N) = 3.3. By symmetry the least core's
        // centre is x = 1.1 each: pairs pay 2.2, excess 0.2; singletons
        // −0.4. Any other split raises some pair: ε = 0.2 (x_i + x_j ≤ 2 + ε
        // for the three pairs sums to 2 · 3.3 ≤ 6 + 3ε).
        let table = table_of(3, |s| match s.count_ones() {
            1 => 1.5,
            2 => 2.0,
            _ => 3.3,
        });
        let lc = least_core(3, &mut table_cost(&table)).expect("solvable");
        assert!((lc.levels[0] - 0.2).abs() < 1e-9, "{lc:?}");
        let nu = nucleolus(3, &mut table_cost(&table)).expect("solvable");
        assert!(close(&nu.allocation, &[1.1, 1.1, 1.1], 1e-9), "{nu:?}");
        assert!(nu.exact);
    }

    #[test]
    fn the_airport_game_has_littlechilds_nucleolus() {
        // Runways 1, 3, 6 (c(S) = the longest need in S; Littlechild and
        // Owen 1973). Littlechild 1974 ("A simple expression for the
        // nucleolus in a special case", International Journal of Game Theory
        // 3(1):21-29): x_1 = min over k < n of c_k / (k + 1) = min(1/2, 3/3)
        // = 0.5; then x_2 = min over 2 ≤ k < n of (c_k − x_1) / k =
        // (3 − 0.5) / 2 = 1.25; x_3 takes the rest, 4.25. By hand: the
        // savings c(S) − x(S) are 1 − x_1 for {1} and x_1 for {2,3}, both
        // 0.5 at best; then 3 − x_2 = 1.75 for {2}, x_2 = 1.25 for {1,3},
        // 6 − x_3 = 1.75 for {3}, x_3 − 3 = 1.25 for {1,2}: the smallest
        // two, 1.25, equal. The least-core value is −0.5.
        let needs = [1.0, 3.0, 6.0];
        let table = table_of(3, |s| {
            (0..3)
                .filter(|i| s & (1 << i) != 0)
                .map(|i| needs[i])
                .fold(0.0, f64::max)
        });
        let nu = nucleolus(3, &mut table_cost(&table)).expect("solvable");
        assert!(close(&nu.allocation, &[0.5, 1.25, 4.25], 1e-9), "{nu:?}");
        assert!((nu.levels[0] + 0.5).abs() < 1e-9, "{nu:?}");
    }

    #[test]
    fn the_glove_game_has_a_single_point_core() {
        // Savings game of gloves, as costs: one left-glove owner (0), two
        // right (1, 2); each alone costs 1, and a pair of gloves (a left
        // with a right) saves 1: c(S) = |S| − min(lefts, rights). Core of
        // the savings game is the left owner taking the whole saving: as
        // costs, x = (0, 1, 1): {0,1} pays 1 = c, {0,2} too, {1,2} pays 2
        // = c. Least core value 0, the nucleolus that point.
        let table = table_of(3, |s| {
            let lefts = (s & 1).count_ones();
            let rights = (s & 0b110).count_ones();
            f64::from(s.count_ones() - lefts.min(rights))
        });
        let nu = nucleolus(3, &mut table_cost(&table)).expect("solvable");
        assert!(close(&nu.allocation, &[0.0, 1.0, 1.0], 1e-9), "{nu:?}");
        assert!(nu.levels[0].abs() < 1e-9);
        let lc = least_core(3, &mut table_cost(&table)).expect("solvable");
        assert!(close(&lc.allocation, &[0.0, 1.0, 1.0], 1e-9), "{lc:?}");
    }

    #[test]
    fn a_three_player_textbook_game_has_the_nucleolus_worked_by_hand() {
        // c(1) = 4, c(2) = 6, c(3) = 8, c(12) = 8, c(13) = 10, c(23) = 12,
        // c(123) = 14. Savings c(S) − x(S): 4 − x1, 6 − x2, 8 − x3 for the
        // singletons; with x(N) = 14, x3 − 6, x2 − 4, x1 − 2 for the pairs
        // {1,2}, {1,3}, {2,3}. The pairs' savings sum to 14 − 12 = 2, so
        // the smallest is at most 2/3, reached with all three equal:
        // x = (8/3, 14/3, 20/3), singletons saving 4/3 each. The three pair
        // rows fix x: that is the nucleolus, and the least core value −2/3.
        // Masks: 1 = {1}, 2 = {2}, 3 = {1,2}, 4 = {3}, 5 = {1,3}, 6 = {2,3}.
        let table = [0.0, 4.0, 6.0, 8.0, 8.0, 10.0, 12.0, 14.0];
        let nu = nucleolus(3, &mut table_cost(&table)).expect("solvable");
        let expected = [8.0 / 3.0, 14.0 / 3.0, 20.0 / 3.0];
        assert!(close(&nu.allocation, &expected, 1e-9), "{nu:?}");
        assert!((nu.levels[0] + 2.0 / 3.0).abs() < 1e-9, "{nu:?}");
    }

    /// A random subadditive-ish game on `players` players.
    fn random_table(players: usize, seed: u64) -> Vec<f64> {
        let mut next = crate::testing::uniforms(seed);
        let own: Vec<f64> = (0..players).map(|_| 1.0 + 9.0 * next()).collect();
        table_of(players, |s| {
            let alone: f64 = charged(s, &own);
            5.0 + alone.sqrt() * 3.0 + alone * (0.5 + 0.2 * next())
        })
    }

    #[test]
    fn generation_reaches_the_least_core_and_nucleolus_of_the_full_programme() {
        for seed in 0..6 {
            let players = 6 + (seed as usize % 5);
            let table = random_table(players, seed);
            let generated = nucleolus(players, &mut table_cost(&table)).expect("solvable");
            // The programme without generation: every proper coalition a
            // row from the start.
            let total = table[table.len() - 1];
            let mut no_cost = |_: &[Coalition]| Vec::new();
            let mut full = Programme {
                players,
                scale: total,
                total: 1.0,
                rows: (1..table.len() - 1)
                    .map(|s| Row {
                        coalition: s as Coalition,
                        cost: table[s] / total,
                        fixed: None,
                        redundant: false,
                    })
                    .collect(),
                separator: Separator::Table(table.clone()),
                cost: &mut no_cost,
            };
            let mut levels = Vec::new();
            let x = loop {
                let (x, epsilon) = full.level().expect("solvable");
                levels.push(epsilon);
                full.fix_tight(&x, epsilon).expect("solvable");
                if full.fixed_rank() >= players {
                    break full.result(&x, levels);
                }
            };
            let tolerance = 1e-6 * table[table.len() - 1];
            assert!(
                (generated.levels[0] - x.levels[0]).abs() < tolerance,
                "seed {seed}: least core {} vs {}",
                generated.levels[0],
                x.levels[0]
            );
            assert!(
                close(&generated.allocation, &x.allocation, tolerance),
                "seed {seed}: {:?} vs {:?}",
                generated.allocation,
                x.allocation
            );
            assert!(generated.rows < x.rows, "generation used fewer rows");
        }
    }

    #[test]
    fn rank_counts_independent_coalitions() {
        assert_eq!(rank(3, &[0b001, 0b010, 0b011]), 2);
        assert_eq!(rank(3, &[0b001, 0b110, 0b111]), 2);
        assert_eq!(rank(3, &[0b011, 0b101, 0b110]), 3);
    }
}
