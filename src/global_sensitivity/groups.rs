//! The first-order index of a group of inputs from the run's own
//! replications: `S_u = Var(E[Y | X_u]) / Var(Y)`, the share of the
//! output's variance the inputs of `u` explain together, their
//! interactions among themselves included (the *closed* index; for a group
//! of independent inputs `{1, 3}`, `S_1 + S_3 + S_13`).
//!
//! The estimator is the nearest-neighbour one of Broto, Bachoc & Depecker,
//! "Variance reduction for estimation of Shapley effects and adaptation to
//! unknown input distribution", SIAM/ASA Journal on Uncertainty
//! Quantification 8(2), 2020 (their given-data estimator of the conditional
//! variance): `E[Var(Y | X_u)]` is the mean, over every replication `s`, of
//! the sample variance of `Y` over the [`NEIGHBOURS`] replications nearest
//! to `s` in the inputs of `u` (`s` itself the first of them), and
//! `S_u = 1 − E[Var(Y | X_u)] / Var(Y)`. It needs no model of how the
//! inputs act, so unlike an additive regression it counts the members'
//! interactions, and it holds for correlated inputs too.
//!
//! Distances are taken between the members' ranks over the sample (mid
//! ranks for ties, divided by the sample's size), so that inputs of any
//! unit weigh alike and the index does not change under a monotone
//! transformation of an input. Equally near replications are taken nearest
//! in replication order first, which, replications being independent, is
//! as good as a random pick, and spreads the neighbours of a discrete
//! input's many ties over the sample.
//!
//! Limits: neighbours are only as near as the sample allows, and the
//! farther they are (large groups, few replications) the more of
//! `E[Y | X_u]`'s own variation their variance takes in, so the index is
//! then biased downwards (Broto et al. 2020 prove consistency as the sample
//! grows, for a fixed group). The interval is a bootstrap over the
//! replications `s` with each one's neighbours fixed: it leaves out the
//! variability of the neighbour search itself.

use rand::Rng;

use crate::stats::sample_variance;
use crate::stats::sobol::{Estimate, bootstrap, with_interval};

/// Neighbours whose variance estimates `Var(Y | X_u)` at each replication,
/// the replication itself included: Broto et al. (2020) and the R package
/// `sensitivity` (`shapleySubsetMc`, whose default this is) use 3, few
/// enough to keep the neighbours near.
pub const NEIGHBOURS: usize = 3;

/// Each member's ranks over the sample (mid ranks for ties), divided by the
/// sample's size: `[member][point]`.
fn scaled_ranks(members: &[&[f64]]) -> Vec<Vec<f64>> {
    members
        .iter()
        .map(|x| {
            let n = x.len();
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
            let mut rank = vec![0.0; n];
            let mut start = 0;
            while start < n {
                let mut end = start + 1;
                while end < n && x[order[end]] == x[order[start]] {
                    end += 1;
                }
                // Ranks start..end share their mean.
                let mid = (start + end - 1) as f64 / 2.0;
                for &p in &order[start..end] {
                    rank[p] = mid / n as f64;
                }
                start = end;
            }
            rank
        })
        .collect()
}

/// The [`NEIGHBOURS`] points nearest to each point in `coordinates`
/// (`[member][point]`), nearest first: by squared distance, then by how far
/// apart in order, then by order.
///
/// Each point's search goes outwards from it in the order of the first
/// member's coordinate, and stops on a side once that coordinate's squared
/// gap alone exceeds the farthest of the neighbours found: the gap is the
/// first term of the distance, whose other terms only add to it (rounded
/// sums of terms that are not negative never fall), and it only grows
/// further out. A point passed over is therefore farther than every
/// neighbour kept, and the neighbours are those of comparing every pair
/// (`nearest_neighbours_of_every_pair` in the tests, which checks it).
/// In two or three members' ranks that leaves a few dozen points of a
/// thousand to compare.
fn nearest_neighbours(coordinates: &[Vec<f64>]) -> Vec<[usize; NEIGHBOURS]> {
    let Some(first) = coordinates.first() else {
        return Vec::new();
    };
    let n = first.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| first[a].total_cmp(&first[b]).then(a.cmp(&b)));
    let mut place = vec![0; n];
    for (at, &point) in order.iter().enumerate() {
        place[point] = at;
    }
    (0..n)
        .map(|s| {
            let mut nearest = Nearest::default();
            let gap = |t: usize| (first[s] - first[t]).powi(2);
            // The next places to compare below and above `s`'s own.
            let (mut below, mut above) = (Some(place[s]), place[s] + 1);
            loop {
                // Each side's next place with its gap, while it may hold
                // a neighbour.
                let open =
                    |at: usize| Some((at, gap(order[at]))).filter(|&(_, g)| nearest.may_hold(g));
                let down = below.and_then(open);
                let up = (above < n).then_some(above).and_then(open);
                let at = match (down, up) {
                    (None, None) => break,
                    (Some((_, gap_down)), Some((u, gap_up))) if gap_up < gap_down => {
                        above += 1;
                        u
                    }
                    (Some((d, _)), _) => {
                        below = d.checked_sub(1);
                        d
                    }
                    (None, Some((u, _))) => {
                        above += 1;
                        u
                    }
                };
                let t = order[at];
                let distance: f64 = coordinates.iter().map(|c| (c[s] - c[t]).powi(2)).sum();
                nearest.offer((distance, s.abs_diff(t), t));
            }
            nearest.points(s)
        })
        .collect()
}

/// The nearest candidates so far, `(distance², order gap, index)`, kept
/// sorted, at most [`NEIGHBOURS`].
#[derive(Default)]
struct Nearest {
    best: Vec<(f64, usize, usize)>,
}

impl Nearest {
    /// Whether a point whose distance is at least `bound` may still be
    /// among the nearest: there is room, or the bound is not beyond the
    /// farthest kept (a point at its distance may come first in order).
    fn may_hold(&self, bound: f64) -> bool {
        self.best.len() < NEIGHBOURS || self.best.last().is_some_and(|b| bound <= b.0)
    }

    fn offer(&mut self, candidate: (f64, usize, usize)) {
        let before = |a: &(f64, usize, usize)| {
            a.0.total_cmp(&candidate.0)
                .then(a.1.cmp(&candidate.1))
                .then(a.2.cmp(&candidate.2))
                .is_lt()
        };
        if self.best.len() == NEIGHBOURS && self.best.last().is_some_and(&before) {
            return;
        }
        let at = self.best.iter().take_while(|b| before(b)).count();
        self.best.insert(at, candidate);
        self.best.truncate(NEIGHBOURS);
    }

    /// The points kept, nearest first; `s` itself where fewer were found.
    fn points(&self, s: usize) -> [usize; NEIGHBOURS] {
        let mut picked = [s; NEIGHBOURS];
        for (p, b) in picked.iter_mut().zip(&self.best) {
            *p = b.2;
        }
        picked
    }
}

/// The neighbourhoods of a group's members over a sample, found once and
/// used for every output.
#[derive(Clone, Debug)]
pub struct Neighbourhoods {
    neighbours: Vec<[usize; NEIGHBOURS]>,
}

impl Neighbourhoods {
    /// The neighbourhoods of the points of `members` (`[member][point]`,
    /// one length); `None` when there are fewer than `2·NEIGHBOURS` points
    /// or no member varies.
    pub fn of(members: &[&[f64]]) -> Option<Self> {
        let n = members.first().map_or(0, |m| m.len());
        let varies = |v: &[f64]| v.iter().any(|&a| a != v[0]);
        if n < 2 * NEIGHBOURS || !members.iter().any(|m| varies(m)) {
            return None;
        }
        Some(Neighbourhoods {
            neighbours: nearest_neighbours(&scaled_ranks(members)),
        })
    }

    /// The group's closed first-order index for the output `y` (one value
    /// per point), with its bootstrap interval from `rng`; `None` when `y`
    /// does not vary.
    pub fn first_order(&self, y: &[f64], rng: &mut impl Rng) -> Option<Estimate> {
        let sample = self.sample(y)?;
        let value = sample.index(&mut Vec::new())?;
        let mut values = Vec::with_capacity(y.len());
        let resampled = bootstrap(rng, y.len(), |picks| {
            sample.resampled_index(picks, &mut values)
        });
        Some(with_interval(value, resampled))
    }

    /// The value [`Neighbourhoods::first_order`] estimates, without its
    /// interval (the convergence check's estimate on half the sample needs
    /// no more).
    pub fn first_order_value(&self, y: &[f64]) -> Option<f64> {
        self.sample(y)?.index(&mut Vec::new())
    }

    /// Each point's output beside the variance of the output over its
    /// neighbourhood; `None` when `y` does not vary.
    fn sample(&self, y: &[f64]) -> Option<LocalVariances> {
        if y.len() != self.neighbours.len() || !y.iter().any(|&v| v != y[0]) {
            return None;
        }
        let points = (self.neighbours.iter().zip(y))
            .map(|(near, &value)| (value, sample_variance(&near.map(|t| y[t]))));
        Some(LocalVariances {
            points: points.collect(),
        })
    }
}

/// `(y, Var(Y | X_u) near the point)` of each point of a sample, so that a
/// resample's point is one read.
struct LocalVariances {
    points: Vec<(f64, f64)>,
}

impl LocalVariances {
    /// The index on every point, `values` room for their outputs.
    fn index(&self, values: &mut Vec<f64>) -> Option<f64> {
        let all: Vec<usize> = (0..self.points.len()).collect();
        self.resampled_index(&all, values)
    }

    /// `1 − E[Var(Y | X_u)] / Var(Y)` over the points `picks` (repeats
    /// allowed), `values` room for their outputs; `None` when `Y` does not
    /// vary over them.
    fn resampled_index(&self, picks: &[usize], values: &mut Vec<f64>) -> Option<f64> {
        values.clear();
        values.extend(picks.iter().map(|&s| self.points[s].0));
        let variance = sample_variance(values);
        let within = picks.iter().map(|&s| self.points[s].1).sum::<f64>() / picks.len() as f64;
        (variance > 0.0).then(|| 1.0 - within / variance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::sobol::tests::{ISHIGAMI_S, ISHIGAMI_ST, ishigami, rng};
    use rand::RngExt;
    use std::f64::consts::PI;

    /// `n` points of `k` independent uniforms on `[low, high]`, by member.
    fn uniforms(n: usize, k: usize, low: f64, high: f64, seed: u64) -> Vec<Vec<f64>> {
        let mut r = rng(seed);
        let points: Vec<Vec<f64>> = (0..n)
            .map(|_| (0..k).map(|_| r.random_range(low..high)).collect())
            .collect();
        (0..k)
            .map(|i| points.iter().map(|p| p[i]).collect())
            .collect()
    }

    fn index(members: &[&[f64]], y: &[f64], seed: u64) -> Estimate {
        Neighbourhoods::of(members)
            .expect("enough points")
            .first_order(y, &mut rng(seed))
            .expect("the output varies")
    }

    fn assert_within(e: &Estimate, truth: f64, what: &str) {
        assert!(
            (e.value - truth).abs() <= 4.0 * e.se,
            "{what}: {} vs {truth} (se {})",
            e.value,
            e.se
        );
        assert!(e.se > 0.0 && e.se < 0.05, "{what}: se {}", e.se);
    }

    #[test]
    fn a_pair_of_a_linear_sum_explains_its_share_of_the_variance() {
        // Y = X1 + X2 + X3, Xi uniform on [0, 1], [0, 2], [0, 3]: variances
        // 1/12, 4/12, 9/12, so {X1, X2} explains (1 + 4)/(1 + 4 + 9) = 5/14.
        let x = uniforms(3_000, 3, 0.0, 1.0, 21);
        let y: Vec<f64> = (0..3_000)
            .map(|p| x[0][p] + 2.0 * x[1][p] + 3.0 * x[2][p])
            .collect();
        let (x1, x2): (Vec<f64>, Vec<f64>) = (x[0].clone(), x[1].iter().map(|v| 2.0 * v).collect());
        let pair = index(&[&x1, &x2], &y, 3);
        assert_within(&pair, 5.0 / 14.0, "S12");
        // Every input: all of it, to the neighbours' distance.
        let all = index(&[&x[0], &x[1], &x[2]], &y, 4);
        assert!(all.value > 0.97 && all.value <= 1.0, "{all:?}");
    }

    #[test]
    fn ishigamis_x1_and_x3_explain_their_first_orders_and_their_interaction() {
        // Closed index of {x1, x3}: S1 + S3 + S13 = 0.3139 + 0 + 0.2437,
        // S13 = ST3 − S3 (x3 acts only with x1).
        let truth = ISHIGAMI_S[0] + ISHIGAMI_S[2] + (ISHIGAMI_ST[2] - ISHIGAMI_S[2]);
        assert!((truth - 0.5576).abs() < 1e-12);
        let x = uniforms(4_000, 3, -PI, PI, 8);
        let y: Vec<f64> = (0..4_000)
            .map(|p| ishigami(&[x[0][p], x[1][p], x[2][p]]))
            .collect();
        assert_within(&index(&[&x[0], &x[2]], &y, 5), truth, "S13 closed");
        // One input alone: the single-input index.
        assert_within(&index(&[&x[1]], &y, 6), ISHIGAMI_S[1], "S2");
    }

    #[test]
    fn a_group_that_does_not_matter_explains_about_nothing() {
        let x = uniforms(2_000, 3, 0.0, 1.0, 2);
        let y: Vec<f64> = x[0].iter().map(|v| v * v).collect();
        let e = index(&[&x[1], &x[2]], &y, 7);
        assert!(e.value.abs() <= 4.0 * e.se, "{e:?}");
    }

    /// The value alone is the estimate's, to the bit: on all 8 points,
    /// whose neighbourhoods and index are worked by hand (x = 0 to 7 in
    /// order, neighbours each point, the nearer side first at equal
    /// distance then the earlier: {0, 1, 2}, {1, 0, 2}, {2, 1, 3}, …,
    /// {7, 6, 5}), and on a larger sample.
    #[test]
    fn the_group_index_without_its_interval_is_the_estimate_s_value() {
        let x: Vec<f64> = (0..8).map(f64::from).collect();
        let y = [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0];
        let near = Neighbourhoods::of(&[&x]).expect("enough points");
        // Local variances (sample, n − 1): 0 for {0,1,2}, {1,0,2}, {2,1,3},
        // {5,4,6}, {6,5,7}, {7,6,5}; 1/3 for {3,2,4} and {4,3,5}, mean 1/12;
        // Var(Y) = 2/7 over the 8 points: 1 − (1/12)/(2/7) = 17/24.
        let value = near.first_order_value(&y).expect("y varies");
        assert!((value - 17.0 / 24.0).abs() < 1e-12, "{value}");
        let estimate = near.first_order(&y, &mut rng(2)).expect("y varies");
        assert_eq!(estimate.value.to_bits(), value.to_bits());
        assert!(near.first_order_value(&[1.0; 8]).is_none());
        let points = uniforms(500, 2, 0.0, 1.0, 3);
        let y: Vec<f64> = (0..500).map(|p| points[0][p] * points[1][p]).collect();
        let near = Neighbourhoods::of(&[&points[0], &points[1]]).expect("enough points");
        let estimate = near.first_order(&y, &mut rng(4)).expect("y varies");
        assert_eq!(near.first_order_value(&y), Some(estimate.value));
    }

    #[test]
    fn ties_share_their_mid_rank_and_a_constant_group_has_no_index() {
        let ranks = scaled_ranks(&[&[2.0, 1.0, 2.0, 3.0]]);
        assert_eq!(ranks[0], [1.5 / 4.0, 0.0, 1.5 / 4.0, 3.0 / 4.0]);
        assert!(Neighbourhoods::of(&[&[1.0; 10]]).is_none());
        assert!(Neighbourhoods::of(&[&[1.0, 2.0, 3.0]]).is_none());
    }

    /// Every pair compared, as the search did before it went outwards:
    /// the reference the search must equal.
    fn nearest_neighbours_of_every_pair(coordinates: &[Vec<f64>]) -> Vec<[usize; NEIGHBOURS]> {
        let n = coordinates.first().map_or(0, Vec::len);
        (0..n)
            .map(|s| {
                let mut nearest = Nearest::default();
                for t in 0..n {
                    let distance: f64 = coordinates.iter().map(|c| (c[s] - c[t]).powi(2)).sum();
                    nearest.offer((distance, s.abs_diff(t), t));
                }
                nearest.points(s)
            })
            .collect()
    }

    /// The outward search finds every pair's neighbours: in 1 to 6
    /// members, of continuous ranks and of ranks with many ties (inputs of
    /// 2 or 5 values, where equally near points are ordered by their gap
    /// in order and their index), on samples of 6 to 400 points.
    #[test]
    fn the_outward_search_finds_the_neighbours_of_comparing_every_pair() {
        let mut rng = rng(11);
        for members in 1..=6 {
            for n in [6, 7, 50, 400] {
                for values in [0, 2, 5] {
                    let columns: Vec<Vec<f64>> = (0..members)
                        .map(|m| {
                            (0..n)
                                .map(|_| match (values, m % 2) {
                                    (0, _) | (_, 1) => rng.random::<f64>(),
                                    (v, _) => f64::from(rng.random_range(0..v)),
                                })
                                .collect()
                        })
                        .collect();
                    let members: Vec<&[f64]> = columns.iter().map(|c| &c[..]).collect();
                    let ranks = scaled_ranks(&members);
                    assert_eq!(
                        nearest_neighbours(&ranks),
                        nearest_neighbours_of_every_pair(&ranks),
                        "{} members, {n} points, {values} values",
                        members.len()
                    );
                }
            }
        }
    }

    #[test]
    fn each_point_is_its_own_nearest_neighbour() {
        let x = uniforms(50, 2, 0.0, 1.0, 1);
        for (s, near) in nearest_neighbours(&x).iter().enumerate() {
            assert_eq!(near[0], s);
        }
    }
}
