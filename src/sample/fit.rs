//! Goodness of fit of count samplers, for the tests: draws against the
//! exact probabilities of `statrs`, which computes them independently of
//! the samplers (log-gamma functions, not ratios from the mode).

use statrs::distribution::{ChiSquared, ContinuousCDF, Discrete, DiscreteCDF};

use super::inversion::CountLaw;

/// Exact probabilities of a law, by `statrs`.
pub(super) fn exact(law: CountLaw) -> Box<dyn Fn(u64) -> (f64, f64)> {
    match law {
        CountLaw::Poisson { mean } => {
            let d = statrs::distribution::Poisson::new(mean).unwrap();
            Box::new(move |k| (d.pmf(k), d.sf(k)))
        }
        CountLaw::NegativeBinomial { shape, mean } => {
            let d =
                statrs::distribution::NegativeBinomial::new(shape, shape / (shape + mean)).unwrap();
            Box::new(move |k| (d.pmf(k), d.sf(k)))
        }
    }
}

/// The mean and variance of a law.
pub(super) fn mean_and_variance(law: CountLaw) -> (f64, f64) {
    match law {
        CountLaw::Poisson { mean } => (mean, mean),
        CountLaw::NegativeBinomial { shape, mean } => (mean, mean + mean * mean / shape),
    }
}

/// The chi-square statistic of `counts` against `law`'s probabilities,
/// with its degrees of freedom: one cell per count, the tails pooled
/// until a cell expects at least 5 draws, the last cell holding all
/// counts above.
fn chi_square(counts: &[u64], law: CountLaw) -> (f64, f64) {
    let probability = exact(law);
    let n = counts.len() as f64;
    let largest = *counts.iter().max().unwrap() as usize;
    let mut observed = vec![0.0; largest + 1];
    counts.iter().for_each(|&k| observed[k as usize] += 1.0);
    let (mut statistic, mut cells) = (0.0, 0.0);
    let (mut cell_expected, mut cell_observed, mut k) = (0.0, 0.0, 0u64);
    loop {
        let (pmf, above) = probability(k);
        cell_expected += n * pmf;
        cell_observed += observed.get(k as usize).copied().unwrap_or(0.0);
        k += 1;
        if n * above < 5.0 {
            // The rest of the support joins this cell.
            cell_expected += n * above;
            cell_observed += observed.iter().skip(k as usize).sum::<f64>();
            statistic += (cell_observed - cell_expected).powi(2) / cell_expected;
            cells += 1.0;
            return (statistic, cells - 1.0);
        }
        if cell_expected >= 5.0 {
            statistic += (cell_observed - cell_expected).powi(2) / cell_expected;
            cells += 1.0;
            (cell_expected, cell_observed) = (0.0, 0.0);
        }
    }
}

/// Whether `counts` pass every check against `law`: a chi-square
/// statistic below its 1 − 1e-6 quantile; the draws beyond mean + 4 sd,
/// the mean and the variance within 5 standard errors of the exact
/// values (a false alarm below 1e-6 each). Says which check failed.
pub(super) fn failed_check(counts: &[u64], law: CountLaw) -> Option<String> {
    let (statistic, freedom) = chi_square(counts, law);
    let critical = ChiSquared::new(freedom).unwrap().inverse_cdf(1.0 - 1e-6);
    if statistic > critical {
        return Some(format!(
            "chi-square {statistic} > {critical} ({freedom} df)"
        ));
    }
    let n = counts.len() as f64;
    let (mean, variance) = mean_and_variance(law);
    let edge = (mean + 4.0 * variance.sqrt()).floor() as u64;
    let tail = exact(law)(edge).1;
    let beyond = counts.iter().filter(|&&k| k > edge).count() as f64;
    let se = (n * tail * (1.0 - tail)).sqrt();
    if (beyond - n * tail).abs() > 5.0 * se {
        return Some(format!(
            "{beyond} draws above {edge}, expected {}",
            n * tail
        ));
    }
    let x: Vec<f64> = counts.iter().map(|&k| k as f64).collect();
    let sample_mean = x.iter().sum::<f64>() / n;
    if (sample_mean - mean).abs() > 5.0 * (variance / n).sqrt() {
        return Some(format!("mean {sample_mean}, expected {mean}"));
    }
    let sample_variance = x.iter().map(|v| (v - sample_mean).powi(2)).sum::<f64>() / (n - 1.0);
    let m4 = x.iter().map(|v| (v - sample_mean).powi(4)).sum::<f64>() / n;
    let variance_se = ((m4 - sample_variance.powi(2)) / n).sqrt();
    if (sample_variance - variance).abs() > 5.0 * variance_se {
        return Some(format!("variance {sample_variance}, expected {variance}"));
    }
    None
}

/// Draws of `law` for the checks to reject a mean 1% off: a shift of
/// 8 standard errors of the sample mean, `0.01·μ = 8·σ/√n`, so
/// `n = 640 000·σ²/μ²` (at least 20 000).
pub(super) fn draws_to_see_one_percent(law: CountLaw) -> usize {
    let (mean, variance) = mean_and_variance(law);
    (640_000.0 * variance / (mean * mean)).max(20_000.0).ceil() as usize
}
