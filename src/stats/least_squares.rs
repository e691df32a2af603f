//! Least-squares fits by an orthonormal basis of their columns, several
//! independent fits side by side.
//!
//! A fit's cost is its sums of products: each is a chain of
//! additions in a fixed order, every addition waiting on the last, so the
//! processor idles between them. The sums of [`SIDE_BY_SIDE`] independent
//! fits (the value of information's bootstrap refits, say) advance together
//! here, each lane in its own order, so that their chains overlap. Each
//! lane's sums are added in the order one fit alone would add them, from
//! the same starting `-0.0` as `Iterator::sum`: a fit's basis and fitted
//! values are the same to the bit whether it is computed alone or beside
//! others.

/// Fits whose sums advance together. Measured on `sscsim run
/// scenarios/budapest-joint.toml -j 1` (whose value of information refits
/// 31 times for each of its 60 inputs and 19 groups): 0.97 of the time of
/// fits made one at a time with 4, slower again with 8 (1.03 of 4's time).
/// The fits side by side are held together: for the value of information,
/// at most 4 × (the 2 000 replications it reads ÷ 20 + 1) columns of 2 000
/// values, 6.5 MB, per thread (one fit at a time held a quarter of that).
/// Assumption (a speed trade-off of this implementation, not a property of
/// the world).
pub(crate) const SIDE_BY_SIDE: usize = 4;

/// An orthonormal basis of the span of the intercept and the columns of
/// each fit (each column of length `n`), fit by fit: modified Gram–Schmidt
/// orthogonalised twice; a column that adds nothing the others do not span
/// (a 0/1 input's square, say) is left out.
pub(crate) fn orthonormal_bases(n: usize, fits: Vec<Vec<Vec<f64>>>) -> Vec<Vec<Vec<f64>>> {
    let mut bases = Vec::with_capacity(fits.len());
    let mut fits = fits.into_iter().peekable();
    while fits.peek().is_some() {
        let lanes: Vec<Vec<Vec<f64>>> = fits.by_ref().take(SIDE_BY_SIDE).collect();
        bases.extend(orthonormal_bases_side_by_side(n, lanes));
    }
    bases
}

/// [`orthonormal_bases`] for at most [`SIDE_BY_SIDE`] fits, their columns
/// taken in step: each lane's `k`-th projection waits on its `k − 1`-th
/// alone, as it would in a fit made alone.
fn orthonormal_bases_side_by_side(n: usize, fits: Vec<Vec<Vec<f64>>>) -> Vec<Vec<Vec<f64>>> {
    debug_assert!(fits.len() <= SIDE_BY_SIDE);
    let mut bases: Vec<Vec<Vec<f64>>> = (fits.iter())
        .map(|columns| Vec::with_capacity(columns.len() + 1))
        .collect();
    let mut columns: Vec<_> = (fits.into_iter())
        .map(|columns| std::iter::once(vec![1.0; n]).chain(columns))
        .collect();
    // What a lane without a projection to make at a step sums, unread.
    let idle = vec![0.0; n];
    loop {
        // Each lane's next column with its norm; `None` once it has none
        // left, or when the column is zero (it adds nothing).
        let mut next: Vec<Option<(Vec<f64>, f64)>> = Vec::with_capacity(columns.len());
        let mut any_left = false;
        for lane in &mut columns {
            let column = lane.next();
            any_left |= column.is_some();
            next.push(column.and_then(|v| {
                let norm = norm(&v);
                (norm != 0.0).then_some((v, norm))
            }));
        }
        if !any_left {
            break;
        }
        for _ in 0..2 {
            let steps = (next.iter().zip(&bases))
                .filter(|(v, _)| v.is_some())
                .map(|(_, basis)| basis.len())
                .max()
                .unwrap_or(0);
            for k in 0..steps {
                // The lanes with a `k`-th basis column to project on.
                let mut projects = [false; SIDE_BY_SIDE];
                let mut pairs: [(&[f64], &[f64]); SIDE_BY_SIDE] = [(&idle, &idle); SIDE_BY_SIDE];
                for (lane, (column, basis)) in next.iter().zip(&bases).enumerate() {
                    if let Some((v, _)) = column
                        && let Some(q) = basis.get(k)
                    {
                        projects[lane] = true;
                        pairs[lane] = (q, v);
                    }
                }
                let alongs = dots(pairs);
                for (lane, (column, basis)) in next.iter_mut().zip(&bases).enumerate() {
                    if projects[lane]
                        && let Some((v, _)) = column
                    {
                        let along = alongs[lane];
                        v.iter_mut()
                            .zip(&basis[k])
                            .for_each(|(x, q)| *x -= along * q);
                    }
                }
            }
        }
        for (lane, column) in next.into_iter().enumerate() {
            let Some((mut v, norm_before)) = column else {
                continue;
            };
            let norm_after = norm(&v);
            // Relative to the column's own size: what is left is rounding.
            if norm_after > 1e-9 * norm_before {
                v.iter_mut().for_each(|x| *x /= norm_after);
                bases[lane].push(v);
            }
        }
    }
    bases
}

/// The projection of `y` on the span of the orthonormal `basis`: the
/// least-squares fitted values. The sums along [`SIDE_BY_SIDE`] basis
/// columns at a time advance together (they are independent); the fitted
/// values are added column by column, in the basis's order.
pub(crate) fn project(basis: &[Vec<f64>], y: &[f64]) -> Vec<f64> {
    let mut fitted = vec![0.0; y.len()];
    for group in basis.chunks(SIDE_BY_SIDE) {
        let mut pairs: [(&[f64], &[f64]); SIDE_BY_SIDE] = [(y, y); SIDE_BY_SIDE];
        for (pair, q) in pairs.iter_mut().zip(group) {
            *pair = (q, y);
        }
        let alongs = dots(pairs);
        for (q, along) in group.iter().zip(alongs) {
            fitted.iter_mut().zip(q).for_each(|(f, q)| *f += along * q);
        }
    }
    fitted
}

/// `Σ a[i]·b[i]` of each pair, the sums advancing together, each in the
/// order of `i` from `-0.0`: what `a.iter().zip(b).map(|(a, b)| a * b).sum()`
/// makes of each pair, to the bit. The pairs have one length.
fn dots<const L: usize>(pairs: [(&[f64], &[f64]); L]) -> [f64; L] {
    let n = pairs[0].0.len();
    let pairs = pairs.map(|(a, b)| (&a[..n], &b[..n]));
    let mut sums = [-0.0; L];
    for i in 0..n {
        for (sum, (a, b)) in sums.iter_mut().zip(&pairs) {
            *sum += a[i] * b[i];
        }
    }
    sums
}

/// The Euclidean norm of `a`.
fn norm(a: &[f64]) -> f64 {
    let [sum] = dots([(a, a)]);
    sum.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand::{RngExt, SeedableRng};

    /// A sum of products, one after another, as `Iterator::sum` adds.
    fn dot_alone(a: &[f64], b: &[f64]) -> f64 {
        a.iter().zip(b).map(|(a, b)| a * b).sum()
    }

    /// Gram–Schmidt one fit at a time, each sum by `Iterator::sum`: the
    /// reference the side-by-side fits must equal to the bit.
    fn basis_alone(n: usize, columns: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
        let mut basis: Vec<Vec<f64>> = Vec::new();
        for mut v in std::iter::once(vec![1.0; n]).chain(columns) {
            let norm_before = dot_alone(&v, &v).sqrt();
            if norm_before == 0.0 {
                continue;
            }
            for _ in 0..2 {
                for q in &basis {
                    let along = dot_alone(q, &v);
                    v.iter_mut().zip(q).for_each(|(x, q)| *x -= along * q);
                }
            }
            let norm_after = dot_alone(&v, &v).sqrt();
            if norm_after > 1e-9 * norm_before {
                v.iter_mut().for_each(|x| *x /= norm_after);
                basis.push(v);
            }
        }
        basis
    }

    fn bits(vectors: &[Vec<f64>]) -> Vec<Vec<u64>> {
        (vectors.iter())
            .map(|v| v.iter().map(|x| x.to_bits()).collect())
            .collect()
    }

    /// Fits of 0 to 6 columns, some zero, some repeating another (left
    /// out), some of 0/1 values: each lane's basis and projection equal
    /// the fit made alone, to the bit, for 1 to 9 fits at once (so lanes
    /// of different lengths share a step, and the last group is partial).
    #[test]
    fn fits_side_by_side_are_each_the_fit_made_alone_to_the_bit() {
        let n = 97;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(17);
        let mut column = |kind: usize| -> Vec<f64> {
            match kind {
                0 => vec![0.0; n],
                1 => (0..n)
                    .map(|_| f64::from(rng.random_range(0..2u8)))
                    .collect(),
                _ => (0..n).map(|_| rng.random_range(-3.0..3.0)).collect(),
            }
        };
        for fits in 1..=9 {
            let lanes: Vec<Vec<Vec<f64>>> = (0..fits)
                .map(|f| {
                    let mut columns: Vec<Vec<f64>> =
                        (0..(f * 5) % 7).map(|c| column((c + f) % 4)).collect();
                    if let Some(first) = columns.first().cloned() {
                        columns.push(first);
                    }
                    columns
                })
                .collect();
            let together = orthonormal_bases(n, lanes.clone());
            assert_eq!(together.len(), fits);
            let y = column(2);
            for (lane, basis) in lanes.into_iter().zip(&together) {
                let alone = basis_alone(n, lane);
                assert_eq!(bits(basis), bits(&alone), "{fits} fits");
                let fitted_alone = alone.iter().fold(vec![0.0; n], |mut f, q| {
                    let along = dot_alone(q, &y);
                    f.iter_mut().zip(q).for_each(|(f, q)| *f += along * q);
                    f
                });
                assert_eq!(bits(&[project(basis, &y)]), bits(&[fitted_alone]));
            }
        }
    }

    /// The sums start from `-0.0`, as `Iterator::sum` does: a sum of
    /// negative zeros is `-0.0`, and no sum at all is `-0.0`.
    #[test]
    fn a_sum_of_negative_zeros_keeps_its_sign_as_iterator_sum_does() {
        let zeros = [-0.0, -0.0];
        let ones = [1.0, 1.0];
        let [sum] = dots([(&zeros[..], &ones[..])]);
        assert_eq!(sum.to_bits(), dot_alone(&zeros, &ones).to_bits());
        assert!(sum.is_sign_negative());
        let [empty] = dots([(&[][..], &[][..])]);
        assert_eq!(empty.to_bits(), dot_alone(&[], &[]).to_bits());
    }

    /// A basis is orthonormal, and projecting a column of the fit
    /// returns it.
    #[test]
    fn a_basis_is_orthonormal_and_a_fitted_column_is_itself() {
        let n = 50;
        let x: Vec<f64> = (0..n).map(|i| i as f64 / 10.0).collect();
        let square: Vec<f64> = x.iter().map(|x| x * x).collect();
        let [basis] = <[_; 1]>::try_from(orthonormal_bases(n, vec![vec![x, square.clone()]]))
            .expect("one fit");
        assert_eq!(basis.len(), 3);
        for (i, a) in basis.iter().enumerate() {
            for (j, b) in basis.iter().enumerate() {
                let expected = if i == j { 1.0 } else { 0.0 };
                assert!((dot_alone(a, b) - expected).abs() < 1e-12, "{i}, {j}");
            }
        }
        for (f, y) in project(&basis, &square).iter().zip(&square) {
            assert!((f - y).abs() < 1e-10, "{f} vs {y}");
        }
    }
}
