//! The Gaussian copula at draw time: the uniforms of correlated inputs are
//! mixed through standard normals (see [`crate::model::Correlations`]);
//! every other input keeps the uniform it drew.

use statrs::distribution::{ContinuousCDF, Normal};

use super::{OPEN_UNIT_HIGHEST, OPEN_UNIT_LOWEST};
use crate::model::{CorrelatedGroup, Correlations, InputId};

/// Replaces the uniforms of correlated inputs, indexed like the scenario's
/// inputs, by uniforms with the scenario's rank correlations; with input
/// `given.0`, if given, at the uniform `given.1` and the inputs correlated
/// with it drawn from their distribution *given* that value: what a
/// one-at-a-time sensitivity run must do, or an input correlated with
/// others would move alone, as no replication ever draws it, and its swing
/// would miss what it moves through them.
///
/// Each group maps its uniforms to normals `z = Φ⁻¹(u)`, mixes them,
/// `z' = A·z`, and maps them back, `u' = Φ(z')`. The sums run in a fixed
/// order, so the result depends on the uniforms alone.
///
/// Conditioning uses the same draws (common random numbers): the mixed
/// normals `z'` of the input's group move by `R·e_i·(z* − z'_i) / R_ii`,
/// with `R = A·Aᵀ` and `z* = Φ⁻¹(given.1)`, which for a Gaussian vector is
/// an exact draw from its distribution given `z'_i = z*` (the residual
/// `z' − R·e_i·z'_i / R_ii` is independent of `z'_i`). Inputs outside the
/// group keep their draws.
pub(crate) fn correlate_given(
    correlations: &Correlations,
    uniforms: &mut [f64],
    given: Option<(InputId, f64)>,
) {
    if !correlations.is_empty() {
        let standard = Normal::standard();
        let mut normals = Vec::new();
        let mut mixed = Vec::new();
        for group in correlations.groups() {
            normals.clear();
            normals.extend(
                group
                    .inputs()
                    .iter()
                    .map(|&InputId(i)| standard.inverse_cdf(uniforms[i])),
            );
            mixed.clear();
            mixed.extend((0..group.inputs().len()).map(|row| {
                group
                    .factor_row(row)
                    .iter()
                    .zip(&normals)
                    .map(|(weight, z)| weight * z)
                    .sum::<f64>()
            }));
            if let Some((input, uniform)) = given
                && let Some(at) = group.inputs().iter().position(|&i| i == input)
            {
                condition(group, &mut mixed, at, standard.inverse_cdf(uniform));
            }
            for (&InputId(i), &z) in group.inputs().iter().zip(&mixed) {
                // Φ rounds to 1 beyond about 8.3 standard deviations; a quantile
                // function must never see 0 or 1 (a lognormal's would be infinite).
                uniforms[i] = standard.cdf(z).clamp(OPEN_UNIT_LOWEST, OPEN_UNIT_HIGHEST);
            }
        }
    }
    // Exactly the uniform asked for, whatever rounding did above.
    if let Some((InputId(i), uniform)) = given {
        uniforms[i] = uniform;
    }
}

/// Moves a group's mixed normals to their distribution given that the one
/// at position `at` is `z_given`.
fn condition(group: &CorrelatedGroup, mixed: &mut [f64], at: usize, z_given: f64) {
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let given_row = group.factor_row(at);
    let variance = dot(given_row, given_row);
    let shift = z_given - mixed[at];
    for (row, z) in mixed.iter_mut().enumerate() {
        *z += dot(group.factor_row(row), given_row) / variance * shift;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RankCorrelation;

    #[test]
    fn mixed_uniforms_stay_strictly_between_0_and_1() {
        // With every uniform at one extreme, a mixed normal lies further out
        // than the normals it mixes (a row of the factor sums to more than 1
        // in size), past where Φ rounds to 1.
        let pair = |a, b| RankCorrelation {
            a: InputId(a),
            b: InputId(b),
            rank_correlation: 0.5,
        };
        let correlations = Correlations::new(&[pair(0, 1), pair(1, 2), pair(0, 2)]).unwrap();
        for extreme in [OPEN_UNIT_LOWEST, OPEN_UNIT_HIGHEST] {
            let mut uniforms = vec![extreme; 3];
            correlate_given(&correlations, &mut uniforms, None);
            assert!(uniforms.iter().all(|&u| u > 0.0 && u < 1.0), "{uniforms:?}");
        }
    }

    #[test]
    fn a_given_input_takes_its_perfectly_correlated_partner_along() {
        // Rank correlation 1 between inputs 0 and 2: given input 0 at 0.9,
        // input 2 is at 0.9 too, whatever it drew; input 1, outside the
        // group, keeps its draw. Without conditioning, input 2 would stay
        // at the 0.2 it drew (its partner's draw, 0.2, mixed with weight 1).
        let correlations = Correlations::new(&[RankCorrelation {
            a: InputId(0),
            b: InputId(2),
            rank_correlation: 1.0,
        }])
        .unwrap();
        let mut uniforms = [0.2, 0.7, 0.4];
        correlate_given(&correlations, &mut uniforms, Some((InputId(0), 0.9)));
        assert_eq!(uniforms[0], 0.9);
        assert_eq!(uniforms[1], 0.7);
        // The factor of a semi-definite matrix is exact to about 1e-11
        // (its eigen-decomposition rounds), so the partner lands that close.
        assert!((uniforms[2] - 0.9).abs() < 1e-9, "{uniforms:?}");
    }

    #[test]
    fn a_given_partner_moves_by_the_normal_correlation() {
        // Normal correlation r = 2·sin(π·0.5/6) = 0.5176 for ρs = 0.5.
        // Drawn without conditioning, the pair's normals are z'_0 and z'_1;
        // given z'_0 = z* = Φ⁻¹(0.9) = 1.28155, z'_1 moves by r·(z* − z'_0).
        let correlations = Correlations::new(&[RankCorrelation {
            a: InputId(0),
            b: InputId(1),
            rank_correlation: 0.5,
        }])
        .unwrap();
        let standard = Normal::standard();
        let drawn = [0.3, 0.6];
        let mut free = drawn;
        correlate_given(&correlations, &mut free, None);
        let mut given = drawn;
        correlate_given(&correlations, &mut given, Some((InputId(0), 0.9)));
        let r = 2.0 * (std::f64::consts::PI * 0.5 / 6.0).sin();
        let z_star = 1.2815515655446004;
        let expected = standard.inverse_cdf(free[1]) + r * (z_star - standard.inverse_cdf(free[0]));
        assert!(
            (standard.inverse_cdf(given[1]) - expected).abs() < 1e-9,
            "{given:?}"
        );
        assert_eq!(given[0], 0.9);
    }

    #[test]
    fn uncorrelated_inputs_keep_their_uniforms() {
        let correlations = Correlations::new(&[RankCorrelation {
            a: InputId(1),
            b: InputId(3),
            rank_correlation: 0.8,
        }])
        .unwrap();
        let drawn = [0.1, 0.2, 0.3, 0.9, 0.5];
        let mut uniforms = drawn;
        correlate_given(&correlations, &mut uniforms, None);
        assert_eq!(
            [uniforms[0], uniforms[2], uniforms[4]],
            [drawn[0], drawn[2], drawn[4]]
        );
        assert_ne!([uniforms[1], uniforms[3]], [drawn[1], drawn[3]]);
    }
}
