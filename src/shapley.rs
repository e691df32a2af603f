//! Exact Shapley values of a cooperative game: the one implementation behind
//! both the attribution of a cost gap to mechanisms (`sim::decompose`) and the
//! sharing of a pooled centre's cost among agencies (`pool::sharing`). It
//! knows neither, so it sits below both, at the crate's root.
//!
//! A game gives every coalition `S` (a bit mask: bit `i` is player `i`) a
//! worth `v(S)`. Player `i`'s Shapley value is its marginal worth averaged
//! over every order of joining:
//! `φ_i = Σ_{S∌i} |S|!(n − |S| − 1)!/n! · (v(S ∪ {i}) − v(S))`.
//! The values sum to `v(full) − v(∅)` (efficiency), symmetric players get
//! the same, and a player that adds nothing gets nothing.
//!
//! The sum runs over coalitions in increasing bit-mask order, from 0, so the
//! floating-point result is the same on every run and every machine.

/// The Shapley values of the game with `players` players whose worth for
/// the coalition with bit mask `s` is `worth(s)`; all `2^players` coalitions
/// are visited, so `players` must stay small (well under 32).
pub(crate) fn shapley_values(players: usize, worth: impl Fn(u32) -> f64) -> Vec<f64> {
    let n = players;
    let factorial = |k: usize| (1..=k).map(|v| v as f64).product::<f64>();
    // The weight of a coalition of each size: |S|!(n − |S| − 1)!/n!.
    let weights: Vec<f64> = (0..n)
        .map(|size| factorial(size) * factorial(n - size - 1) / factorial(n))
        .collect();
    (0..n)
        .map(|i| {
            let bit = 1u32 << i;
            (0..1u32 << n)
                .filter(|s| s & bit == 0)
                .fold(0.0, |value, s| {
                    value + weights[s.count_ones() as usize] * (worth(s | bit) - worth(s))
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(s: u32) -> impl Iterator<Item = usize> {
        (0..32).filter(move |i| s & (1 << i) != 0)
    }

    #[test]
    fn the_values_of_an_additive_game_are_each_players_own_worth() {
        let own = [1.0, 2.0, 4.0, 8.0, 16.0];
        let worth = |s: u32| members(s).map(|i| own[i]).sum();
        assert_eq!(shapley_values(5, worth), own);
    }

    #[test]
    fn a_pure_interaction_is_split_equally_and_dummies_get_nothing() {
        // Worth 6 only when players 0 and 1 are both in: each gets 3; the
        // others are dummies and get 0.
        let worth = |s: u32| if s & 0b11 == 0b11 { 6.0 } else { 0.0 };
        let values = shapley_values(5, worth);
        assert!((values[0] - 3.0).abs() < 1e-12 && (values[1] - 3.0).abs() < 1e-12);
        assert_eq!(&values[2..], &[0.0, 0.0, 0.0]);
    }

    #[test]
    fn the_values_sum_to_the_grand_coalition_minus_the_empty_one() {
        let worth = |s: u32| ((s * 37 % 11) as f64).powi(2) - 3.0;
        let sum: f64 = shapley_values(5, worth).iter().sum();
        assert!((sum - (worth(31) - worth(0))).abs() < 1e-9);
    }

    #[test]
    fn the_whole_cost_is_allocated_equals_equally_and_dummies_their_own_cost() {
        // Players 0 and 1 are symmetric (a shared fixed cost of 10 when either
        // is in); player 2 is a dummy that adds exactly 4 to any coalition.
        let cost = |s: u32| {
            (if s & 0b011 != 0 { 10.0 } else { 0.0 }) + if s & 0b100 != 0 { 4.0 } else { 0.0 }
        };
        let phi = shapley_values(3, cost);
        assert!(
            (phi.iter().sum::<f64>() - cost(0b111)).abs() < 1e-12,
            "efficiency"
        );
        assert!((phi[0] - phi[1]).abs() < 1e-12, "symmetry");
        assert!((phi[2] - 4.0).abs() < 1e-12, "dummy");
        assert!((phi[0] - 5.0).abs() < 1e-12);
    }

    #[test]
    fn the_airport_game_gets_the_textbook_split() {
        // Littlechild and Owen's airport game: c(S) = the longest runway any
        // member needs. Runways 1, 3, 6: φ = (1/3, 1/3 + 2/2, 1/3 + 2/2 + 3/1).
        let needs = [1.0, 3.0, 6.0];
        let cost = |s: u32| members(s).map(|i| needs[i]).fold(0.0, f64::max);
        let phi = shapley_values(3, cost);
        let expected = [1.0 / 3.0, 1.0 / 3.0 + 1.0, 1.0 / 3.0 + 1.0 + 3.0];
        for (p, e) in phi.iter().zip(expected) {
            assert!((p - e).abs() < 1e-12, "{phi:?}");
        }
    }
}
