//! Rank correlations between uncertain inputs, held as a Gaussian copula.
//!
//! Every input is drawn by inversion, `dist.quantile(u)`. Correlating the
//! uniforms `u` rather than the values keeps each input's distribution
//! exactly as the scenario gives it: the uniforms become standard normals
//! `z = Φ⁻¹(u)`, are mixed by a factor `A` of a correlation matrix
//! (`z' = A·z`, with `A·Aᵀ = R`), and go back through `Φ`. Ranks survive
//! every increasing map, so the values have the rank (Spearman) correlation
//! of the normals, `ρs = (6/π)·asin(r/2)`; the matrix therefore holds
//! `r = 2·sin(π·ρs/6)` for the `ρs` the scenario asks for.
//!
//! Inputs linked by correlations, directly or through others, form a group
//! with a matrix of its own (the full matrix is block diagonal): each group
//! can be checked, and reported, on its own, and a replication mixes only the
//! inputs that are correlated.

use nalgebra::{DMatrix, SymmetricEigen};

use super::InputId;

/// Eigenvalues this close to 0 are taken as 0. Rounding in the conversion
/// and the decomposition leaves those of an exactly semi-definite matrix
/// (a rank correlation of 1, say) a few 1e-16 either side of 0; any
/// correlation a scenario could mean is far above the tolerance.
const EIGENVALUE_TOLERANCE: f64 = 1e-9;

/// The rank correlation a scenario asks for between two inputs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RankCorrelation {
    /// One input.
    pub a: InputId,
    /// The other, a different input.
    pub b: InputId,
    /// Spearman's rank correlation, from -1 to 1.
    pub rank_correlation: f64,
}

/// The correlation of two standard normals whose ranks have Spearman
/// correlation `rank_correlation` (Pearson 1907): `2·sin(π·ρs/6)`.
fn normal_correlation(rank_correlation: f64) -> f64 {
    if rank_correlation.abs() >= 1.0 {
        // sin(π/6) rounds to just below 1/2: keep ±1 exact.
        return rank_correlation.clamp(-1.0, 1.0);
    }
    2.0 * (std::f64::consts::PI * rank_correlation / 6.0).sin()
}

/// Every group of correlated inputs of a scenario; empty when its inputs
/// are independent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Correlations {
    groups: Vec<CorrelatedGroup>,
}

/// Inputs linked by correlations, and the factor that mixes their normals.
#[derive(Clone, Debug, PartialEq)]
pub struct CorrelatedGroup {
    /// The group's inputs, in ascending order.
    inputs: Vec<InputId>,
    /// `A`, row-major, one row and one column per input: `A·Aᵀ` is the
    /// group's normal correlation matrix and every row has length 1.
    factor: Vec<f64>,
}

/// A group whose correlations no joint distribution can have.
#[derive(Clone, Debug, PartialEq)]
pub struct Inconsistent {
    /// Index in the given pairs of the group's first pair.
    pub first_pair: usize,
    /// The group's inputs, in ascending order.
    pub inputs: Vec<InputId>,
    /// The most negative eigenvalue of its normal correlation matrix.
    pub smallest_eigenvalue: f64,
}

impl Correlations {
    /// Groups the pairs and factors each group's matrix. Pairs not given
    /// are uncorrelated.
    ///
    /// # Errors
    /// Every group whose matrix is not positive semi-definite.
    pub fn new(pairs: &[RankCorrelation]) -> Result<Self, Vec<Inconsistent>> {
        let mut groups = Vec::new();
        let mut problems = Vec::new();
        for (inputs, pair_indices) in group_pairs(pairs) {
            let group_pairs: Vec<RankCorrelation> =
                pair_indices.iter().map(|&p| pairs[p]).collect();
            match CorrelatedGroup::new(inputs.clone(), &group_pairs) {
                Ok(group) => groups.push(group),
                Err(smallest_eigenvalue) => problems.push(Inconsistent {
                    first_pair: pair_indices[0],
                    inputs,
                    smallest_eigenvalue,
                }),
            }
        }
        if problems.is_empty() {
            Ok(Correlations { groups })
        } else {
            Err(problems)
        }
    }

    /// The groups, ordered by their first input.
    pub(crate) fn groups(&self) -> &[CorrelatedGroup] {
        &self.groups
    }

    /// Whether every input is drawn independently.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

impl CorrelatedGroup {
    /// Factors the normal correlation matrix of `inputs` (ascending) with
    /// the given pairs, each between two of them.
    ///
    /// The symmetric eigen-decomposition `R = V·Λ·Vᵀ` gives
    /// `A = V·√max(Λ, 0)`, which exists for semi-definite matrices too
    /// (where a Cholesky factor does not).
    ///
    /// # Errors
    /// The smallest eigenvalue, when it is below `-EIGENVALUE_TOLERANCE`.
    fn new(inputs: Vec<InputId>, pairs: &[RankCorrelation]) -> Result<Self, f64> {
        let size = inputs.len();
        let position = |id: InputId| inputs.binary_search(&id).expect("a pair of the group");
        let mut matrix = DMatrix::<f64>::identity(size, size);
        for pair in pairs {
            let (i, j) = (position(pair.a), position(pair.b));
            let r = normal_correlation(pair.rank_correlation);
            matrix[(i, j)] = r;
            matrix[(j, i)] = r;
        }
        let eigen = SymmetricEigen::new(matrix);
        let smallest = eigen
            .eigenvalues
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        if smallest < -EIGENVALUE_TOLERANCE {
            return Err(smallest);
        }
        let roots: Vec<f64> = eigen
            .eigenvalues
            .iter()
            .map(|&l| {
                if l > EIGENVALUE_TOLERANCE {
                    l.sqrt()
                } else {
                    0.0
                }
            })
            .collect();
        let mut factor = Vec::with_capacity(size * size);
        for i in 0..size {
            let row: Vec<f64> = (0..size)
                .map(|k| eigen.eigenvectors[(i, k)] * roots[k])
                .collect();
            // Rows of length exactly 1 keep each mixed normal standard, and
            // so each input's distribution as given, whatever was rounded
            // or dropped above.
            let length = row.iter().map(|a| a * a).sum::<f64>().sqrt();
            factor.extend(row.iter().map(|a| a / length));
        }
        Ok(CorrelatedGroup { inputs, factor })
    }

    /// The group's inputs, in ascending order.
    pub(crate) fn inputs(&self) -> &[InputId] {
        &self.inputs
    }

    /// Row `i` of the factor: the weights of the group's independent normals
    /// in its `i`-th input's correlated normal.
    pub(crate) fn factor_row(&self, i: usize) -> &[f64] {
        let size = self.inputs.len();
        &self.factor[i * size..(i + 1) * size]
    }
}

/// Splits the pairs into groups of linked inputs: each group's inputs
/// (ascending) and the indices of its pairs (ascending), groups ordered by
/// their first input.
fn group_pairs(pairs: &[RankCorrelation]) -> Vec<(Vec<InputId>, Vec<usize>)> {
    let mut ids: Vec<InputId> = pairs.iter().flat_map(|p| [p.a, p.b]).collect();
    ids.sort_unstable();
    ids.dedup();
    let position = |id: InputId| ids.binary_search(&id).expect("an input of a pair");
    // Union-find whose root is always the smallest member of its set.
    let mut parent: Vec<usize> = (0..ids.len()).collect();
    let root = |parent: &[usize], mut i: usize| {
        while parent[i] != i {
            i = parent[i];
        }
        i
    };
    for pair in pairs {
        let (a, b) = (
            root(&parent, position(pair.a)),
            root(&parent, position(pair.b)),
        );
        parent[a.max(b)] = a.min(b);
    }
    let roots: Vec<usize> = (0..ids.len()).map(|i| root(&parent, i)).collect();
    let mut groups: Vec<(Vec<InputId>, Vec<usize>)> = Vec::new();
    let mut group_of_root = vec![usize::MAX; ids.len()];
    for (i, &r) in roots.iter().enumerate() {
        if group_of_root[r] == usize::MAX {
            group_of_root[r] = groups.len();
            groups.push((Vec::new(), Vec::new()));
        }
        groups[group_of_root[r]].0.push(ids[i]);
    }
    for (p, pair) in pairs.iter().enumerate() {
        groups[group_of_root[roots[position(pair.a)]]].1.push(p);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: usize, b: usize, rank_correlation: f64) -> RankCorrelation {
        RankCorrelation {
            a: InputId(a),
            b: InputId(b),
            rank_correlation,
        }
    }

    /// `A·Aᵀ` of a group.
    fn product(group: &CorrelatedGroup, i: usize, j: usize) -> f64 {
        let (a, b) = (group.factor_row(i), group.factor_row(j));
        a.iter().zip(b).map(|(x, y)| x * y).sum()
    }

    #[test]
    fn spearman_to_pearson_matches_its_formula_and_inverse() {
        for rs in [-0.9, -0.3, 0.0, 0.2, 0.6, 0.95] {
            let r = normal_correlation(rs);
            // The inverse, ρs = (6/π)·asin(r/2), gives the rank correlation back.
            let back = 6.0 / std::f64::consts::PI * (r / 2.0).asin();
            assert!((back - rs).abs() < 1e-12, "{rs}: {back}");
        }
        assert_eq!(normal_correlation(-1.0), -1.0);
    }

    #[test]
    fn pearsons_conversion_keeps_0_and_1_and_raises_a_half_slightly() {
        assert_eq!(normal_correlation(0.0), 0.0);
        assert!((normal_correlation(0.5) - 0.517638).abs() < 1e-6);
        assert_eq!(normal_correlation(1.0), 1.0);
    }

    #[test]
    fn linked_pairs_form_one_group_and_others_their_own() {
        // 7–3 and 3–5 are linked through 3; 1–9 is apart.
        let pairs = [pair(7, 3, 0.2), pair(1, 9, 0.4), pair(5, 3, 0.1)];
        let groups = group_pairs(&pairs);
        assert_eq!(
            groups,
            vec![
                (vec![InputId(1), InputId(9)], vec![1]),
                (vec![InputId(3), InputId(5), InputId(7)], vec![0, 2]),
            ]
        );
    }

    #[test]
    fn the_factor_reproduces_the_normal_correlations() {
        let pairs = [pair(0, 1, 0.6), pair(1, 2, -0.3), pair(0, 2, 0.1)];
        let correlations = Correlations::new(&pairs).unwrap();
        let group = &correlations.groups()[0];
        for i in 0..3 {
            assert!((product(group, i, i) - 1.0).abs() < 1e-12);
        }
        for p in pairs {
            let got = product(group, p.a.0, p.b.0);
            assert!((got - normal_correlation(p.rank_correlation)).abs() < 1e-12);
        }
    }

    #[test]
    fn a_perfect_correlation_is_semi_definite_and_factored() {
        let correlations = Correlations::new(&[pair(0, 1, 1.0)]).unwrap();
        let group = &correlations.groups()[0];
        // One normal drives both: their rows are the same.
        let (a, b) = (group.factor_row(0), group.factor_row(1));
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-15, "{a:?} {b:?}");
        }
    }

    #[test]
    fn contradictory_correlations_are_reported_with_their_first_pair() {
        // a and b move together, a and c together, b and c against each other.
        let pairs = [
            pair(4, 5, 0.5),
            pair(0, 1, 0.9),
            pair(0, 2, 0.9),
            pair(1, 2, -0.9),
        ];
        let problems = Correlations::new(&pairs).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].first_pair, 1);
        assert_eq!(problems[0].inputs, vec![InputId(0), InputId(1), InputId(2)]);
        // r = 2·sin(0.15π) ≈ 0.908; the matrix [[1, r, r], [r, 1, −r], [r, −r, 1]]
        // has eigenvalues 1 − 2r (once) and 1 + r (twice).
        let r = normal_correlation(0.9);
        assert!((problems[0].smallest_eigenvalue - (1.0 - 2.0 * r)).abs() < 1e-12);
    }
}
