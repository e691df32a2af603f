//! Spearman's rank correlation, for the sensitivity of outputs to inputs.

/// Ranks from 1, ties sharing the average of the ranks they span.
///
/// # Examples
/// ```
/// use sscsim::stats::correlation::ranks;
/// assert_eq!(ranks(&[10.0, 30.0, 20.0, 30.0]), [1.0, 3.5, 2.0, 3.5]);
/// ```
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end hold ranks start+1..=end: their mean.
        let rank = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// Spearman's rank correlation of paired samples: the Pearson correlation
/// of their ranks (ties averaged). `None` when fewer than 3 pairs, when the
/// lengths differ, or when either sample is constant.
pub(crate) fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 3 {
        return None;
    }
    pearson(&ranks(x), &ranks(y))
}

fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    let (mean_x, mean_y) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mean_x, b - mean_y);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    (sxx > 0.0 && syy > 0.0).then(|| (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_matches_the_textbook_formula_without_ties() {
        // Ranks x: 1..5; y = [2, 1, 4, 3, 5]: d² = 1+1+1+1+0 = 4,
        // ρ = 1 − 6·4 / (5·24) = 0.8.
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [20.0, 10.0, 40.0, 30.0, 50.0];
        assert!((spearman(&x, &y).unwrap() - 0.8).abs() < 1e-12);
    }

    #[test]
    fn monotone_relations_have_rank_correlation_one() {
        let x = [0.1, 0.5, 0.2, 0.9];
        let cubed: Vec<f64> = x.iter().map(|v| v * v * v).collect();
        let negated: Vec<f64> = x.iter().map(|v| -v).collect();
        assert_eq!(spearman(&x, &cubed), Some(1.0));
        assert_eq!(spearman(&x, &negated), Some(-1.0));
    }

    #[test]
    fn ties_take_average_ranks() {
        // x ranks 1, 2.5, 2.5, 4; y ranks 1, 2, 3, 4. Pearson of the ranks:
        // mean 2.5; Σdx·dy = 2.25 + 0 + 0 + 2.25 = 4.5, Σdx² = 4.5, Σdy² = 5.
        let x = [1.0, 2.0, 2.0, 3.0];
        let y = [1.0, 2.0, 3.0, 4.0];
        let expected = 4.5 / (4.5f64 * 5.0).sqrt();
        assert!((spearman(&x, &y).unwrap() - expected).abs() < 1e-12);
    }

    #[test]
    fn constant_or_short_samples_have_no_correlation() {
        assert_eq!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
        assert_eq!(spearman(&[1.0, 2.0], &[1.0, 2.0]), None);
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[1.0, 2.0]), None);
    }
}
