//! Whole numbers from shares: a team's staff split into whole people by
//! grade, a desk's agent-hours into whole agents by hour. Both planning
//! (`plan`) and contact lines (`contact`) round this way, so the rule lives
//! below both.

/// Rounds `exact` shares of a whole number to whole numbers with the same
/// sum: each is rounded down, and what is left goes one by one to the
/// largest remainders (ties to the earlier entry). Arrays, not vectors: this
/// runs for every team and year of every plan.
pub(super) fn largest_remainder<const N: usize>(exact: &[f64; N]) -> [u32; N] {
    let floors = exact.map(f64::floor);
    let mut whole = floors.map(|x| x as u32);
    let total: f64 = exact.iter().sum();
    let floors_total: f64 = whole.iter().map(|&w| f64::from(w)).sum();
    let left = (total - floors_total).round() as usize;
    let remainders: [f64; N] = std::array::from_fn(|i| exact[i] - floors[i]);
    // The first `left` of a stable sort by falling remainder: the largest
    // not yet taken, the earlier on ties.
    let mut taken = [false; N];
    for _ in 0..left.min(N) {
        let mut largest: Option<usize> = None;
        for i in (0..N).filter(|&i| !taken[i]) {
            if largest.is_none_or(|l| remainders[i].total_cmp(&remainders[l]).is_gt()) {
                largest = Some(i);
            }
        }
        let Some(i) = largest else { break };
        taken[i] = true;
        whole[i] += 1;
    }
    whole
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_remainders_are_taken_as_a_stable_sort_orders_them() {
        // The rule as first written: a stable sort by falling remainder.
        fn by_sorting(exact: &[f64; 5]) -> [u32; 5] {
            let mut whole = exact.map(|x| x.floor() as u32);
            let total: f64 = exact.iter().sum();
            let floors: f64 = whole.iter().map(|&w| f64::from(w)).sum();
            let left = (total - floors).round() as usize;
            let mut order = [0, 1, 2, 3, 4];
            order.sort_by(|&a, &b| {
                (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor()))
            });
            for &i in order.iter().take(left) {
                whole[i] += 1;
            }
            whole
        }
        let mut next = crate::sim::below_from_xorshift();
        // Totals of whole people split by shares with many ties and zeros.
        let shares = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.5, 1.0 / 3.0];
        for _ in 0..20_000 {
            let total = next(40) as f64;
            let mut exact = [0.0; 5];
            for x in &mut exact {
                *x = total * shares[next(shares.len() as u64) as usize];
            }
            exact[next(5) as usize] = -0.0;
            assert_eq!(largest_remainder(&exact), by_sorting(&exact), "{exact:?}");
        }
    }
}
