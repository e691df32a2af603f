//! The Gaussian copula at draw time: the uniforms of correlated inputs are
//! mixed through standard normals (see [`crate::model::Correlations`]);
//! every other input keeps the uniform it drew.

use statrs::distribution::{ContinuousCDF, Normal};

use super::{OPEN_UNIT_HIGHEST, OPEN_UNIT_LOWEST};
use crate::model::{Correlations, InputId};

/// Replaces the uniforms of correlated inputs, indexed like the scenario's
/// inputs, by uniforms with the scenario's rank correlations.
///
/// Each group maps its uniforms to normals `z = Φ⁻¹(u)`, mixes them,
/// `z' = A·z`, and maps them back, `u' = Φ(z')`. The sums run in a fixed
/// order, so the result depends on the uniforms alone.
pub(crate) fn correlate(correlations: &Correlations, uniforms: &mut [f64]) {
    if correlations.is_empty() {
        return;
    }
    let standard = Normal::standard();
    let mut normals = Vec::new();
    for group in correlations.groups() {
        normals.clear();
        normals.extend(
            group
                .inputs()
                .iter()
                .map(|&InputId(i)| standard.inverse_cdf(uniforms[i])),
        );
        for (row, &InputId(i)) in group.inputs().iter().enumerate() {
            let mixed: f64 = group
                .factor_row(row)
                .iter()
                .zip(&normals)
                .map(|(weight, z)| weight * z)
                .sum();
            // Φ rounds to 1 beyond about 8.3 standard deviations; a quantile
            // function must never see 0 or 1 (a lognormal's would be infinite).
            uniforms[i] = standard
                .cdf(mixed)
                .clamp(OPEN_UNIT_LOWEST, OPEN_UNIT_HIGHEST);
        }
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
            correlate(&correlations, &mut uniforms);
            assert!(uniforms.iter().all(|&u| u > 0.0 && u < 1.0), "{uniforms:?}");
        }
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
        correlate(&correlations, &mut uniforms);
        assert_eq!(
            [uniforms[0], uniforms[2], uniforms[4]],
            [drawn[0], drawn[2], drawn[4]]
        );
        assert_ne!([uniforms[1], uniforms[3]], [drawn[1], drawn[3]]);
    }
}
