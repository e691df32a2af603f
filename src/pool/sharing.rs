//! Sharing a pooled centre's cost among its agencies so that each can accept
//! it — the answer to the reluctance to give up control (para 133).
//!
//! A cost game gives every coalition `S` (a bit mask of agencies) the cost
//! `c(S)` of serving its members on its own. An allocation `x` splits the
//! grand coalition's cost; it is in the **core** when no coalition would pay
//! less by leaving: `Σ_{i∈S} x_i ≤ c(S)` for every `S`.

use super::least_core::{LpError, least_core, nucleolus};
use super::partition::{Coalition, grand_coalition};
use crate::shapley::shapley_values;

/// How an allocation is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Shapley value: each agency's marginal cost averaged over every order
    /// of joining.
    Shapley,
    /// In proportion to each agency's workload.
    Volume,
    /// The same for everyone.
    Equal,
    /// A point of the least core: the largest excess of any group (what it
    /// is charged minus its own centre's cost) as small as it can be (see
    /// [`super::least_core`]).
    LeastCore,
    /// The nucleolus: the least core's point that also makes the next
    /// largest excesses as small as they can be, in turn.
    Nucleolus,
}

impl Method {
    /// All methods, in reporting order (the first three as before, so that
    /// `allocation.csv` keeps its rows' order for them).
    pub const ALL: [Method; 5] = [
        Method::Shapley,
        Method::Volume,
        Method::Equal,
        Method::LeastCore,
        Method::Nucleolus,
    ];

    /// The name in CSV files.
    pub fn name(self) -> &'static str {
        match self {
            Method::Shapley => "shapley",
            Method::Volume => "volume",
            Method::Equal => "equal",
            Method::LeastCore => "least_core",
            Method::Nucleolus => "nucleolus",
        }
    }

    /// Whether the method is a sequence of linear programmes, run on the
    /// mean game rather than on every replication's (see
    /// [`super::analysis::shares`]).
    pub fn is_linear_programme(self) -> bool {
        matches!(self, Method::LeastCore | Method::Nucleolus)
    }
}

/// Splits `cost(full)` among `players` by `method`; `weights` are the
/// players' workloads (used by [`Method::Volume`]).
///
/// # Errors
/// When the linear programme of [`Method::LeastCore`] or
/// [`Method::Nucleolus`] fails.
pub(crate) fn allocate(
    method: Method,
    players: usize,
    cost: &impl Fn(Coalition) -> f64,
    weights: &[f64],
) -> Result<Vec<f64>, LpError> {
    let total = cost(grand_coalition(players));
    let mut batch = |coalitions: &[Coalition]| coalitions.iter().map(|&s| cost(s)).collect();
    Ok(match method {
        Method::LeastCore => least_core(players, &mut batch)?.allocation,
        Method::Nucleolus => nucleolus(players, &mut batch)?.allocation,
        Method::Shapley => shapley(players, cost),
        Method::Volume => {
            let sum: f64 = weights.iter().sum();
            weights
                .iter()
                .map(|w| {
                    if sum > 0.0 {
                        total * w / sum
                    } else {
                        total / players as f64
                    }
                })
                .collect()
        }
        Method::Equal => vec![total / players as f64; players],
    })
}

/// Shapley values of a cost game with `players` players: `cost` is never
/// asked for the empty coalition, which costs nothing.
fn shapley(players: usize, cost: &impl Fn(Coalition) -> f64) -> Vec<f64> {
    shapley_values(players, |s| {
        if s == 0 {
            0.0
        } else {
            cost(Coalition::from(s))
        }
    })
}

/// Whether `allocation` is in the core of the game: no coalition pays more
/// than it would alone (up to `tolerance`, for floating-point rounding).
pub(crate) fn in_core(
    players: usize,
    cost: &impl Fn(Coalition) -> f64,
    allocation: &[f64],
    tolerance: f64,
) -> bool {
    (1..grand_coalition(players)).all(|s| {
        let paid: f64 = (0..players)
            .filter(|i| s & (1 << i) != 0)
            .map(|i| allocation[i])
            .sum();
        paid <= cost(s) + tolerance
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_game_with_an_empty_core_has_no_stable_split() {
        // Three agencies; any two together cost 2, alone 1.5 each, all three
        // 3.3. Stability needs x_i + x_j ≤ 2 for all pairs, so Σx ≤ 3 < 3.3.
        let cost = |s: Coalition| match s.count_ones() {
            1 => 1.5,
            2 => 2.0,
            _ => 3.3,
        };
        for method in Method::ALL {
            let x = allocate(method, 3, &cost, &[1.0, 1.0, 1.0]).expect("solvable");
            assert!((x.iter().sum::<f64>() - 3.3).abs() < 1e-12);
            assert!(!in_core(3, &cost, &x, 1e-9), "{method:?} cannot be stable");
        }
    }

    #[test]
    fn sixty_four_agencies_share_by_volume_and_equally_without_overflow() {
        // c(S) = |S|: the grand coalition of 64 costs 64. Equal: 1 each;
        // volume with weights 1, 2, 1, 2, …: 64 · 1/96 and 64 · 2/96.
        let cost = |s: Coalition| f64::from(s.count_ones());
        let equal = allocate(Method::Equal, 64, &cost, &[]).expect("no programme");
        assert_eq!(equal, vec![1.0; 64]);
        let weights: Vec<f64> = (0..64).map(|i| 1.0 + f64::from(i % 2)).collect();
        let volume = allocate(Method::Volume, 64, &cost, &weights).expect("no programme");
        assert!((volume[0] - 64.0 / 96.0).abs() < 1e-12);
        assert!((volume[1] - 128.0 / 96.0).abs() < 1e-12);
    }

    #[test]
    fn a_game_with_a_non_empty_core_has_stable_splits_and_unstable_ones() {
        // A fixed cost of 6 per centre plus 1 per agency: c(S) = 6 + |S|. The
        // equal split, 3 each of 9, is stable: one agency pays 3 ≤ 7, a pair
        // 6 ≤ 8. Charging agency 0 7.5 is not: alone it would pay 7.
        let cost = |s: Coalition| 6.0 + s.count_ones() as f64;
        let equal = allocate(Method::Equal, 3, &cost, &[]).expect("no programme");
        assert_eq!(equal, vec![3.0, 3.0, 3.0]);
        assert!(in_core(3, &cost, &equal, 1e-9));
        let shapley = allocate(Method::Shapley, 3, &cost, &[]).expect("no programme");
        assert!(in_core(3, &cost, &shapley, 1e-9));
        assert!(
            !in_core(3, &cost, &[7.5, 0.75, 0.75], 1e-9),
            "agency 0 would leave"
        );
        // Workload weights 1:1:4 put 9·4/6 = 6 ≤ 7 on agency 2: stable.
        let volume = allocate(Method::Volume, 3, &cost, &[1.0, 1.0, 4.0]).expect("no programme");
        assert_eq!(volume, vec![1.5, 1.5, 6.0]);
        assert!(in_core(3, &cost, &volume, 1e-9));
        // The least core and nucleolus are in a non-empty core: here the
        // symmetric game's nucleolus is the equal split.
        let nucleolus = allocate(Method::Nucleolus, 3, &cost, &[]).expect("solvable");
        assert!(nucleolus.iter().all(|v| (v - 3.0).abs() < 1e-9));
        let least = allocate(Method::LeastCore, 3, &cost, &[]).expect("solvable");
        assert!(in_core(3, &cost, &least, 1e-9));
    }
}
