//! Solutions of a pure function kept by the bits of its arguments, up to a
//! bound: the planner's capacities (`plan`) and the contact desks' Erlang
//! hours (`contact`) are both kept this way, so the rule lives below both.

use std::hash::Hash;

/// Up to `KEPT` solutions by key; one more forgets them all at once and
/// gathers again. A solution depends on its key alone, so what is kept
/// changes how often the function is solved, never a result; and only
/// lookups are made, never an iteration, so the hasher's random seed
/// cannot change one either.
#[derive(Clone, Debug)]
pub(super) struct Solved<K, V, const KEPT: usize> {
    solved: foldhash::HashMap<K, V>,
}

impl<K, V, const KEPT: usize> Default for Solved<K, V, KEPT> {
    fn default() -> Self {
        Solved {
            solved: foldhash::HashMap::default(),
        }
    }
}

impl<K: Eq + Hash, V: Copy, const KEPT: usize> Solved<K, V, KEPT> {
    /// The most bytes the table holds: it grows by doubling to `2 × KEPT`
    /// slots at most (hashbrown fills 7/8 of them), each a key, a value
    /// and a control byte.
    pub(super) const MOST_BYTES: u64 = 2 * KEPT as u64 * (std::mem::size_of::<(K, V)>() as u64 + 1);

    /// The solution remembered under `key`, or `solve`'s, then remembered.
    /// Inlined, as the map it replaced in the planner was: called apart,
    /// a run of `scenarios/large.toml -n 3` took 1.2% more instructions.
    #[inline]
    pub(super) fn get_or_solve(&mut self, key: K, solve: impl FnOnce() -> V) -> V {
        if let Some(&value) = self.solved.get(&key) {
            return value;
        }
        let value = solve();
        if self.solved.len() >= KEPT {
            // Forgotten all at once, keeping the room: no order to keep.
            self.solved.clear();
        }
        self.solved.insert(key, value);
        value
    }

    /// Solutions kept now.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.solved.len()
    }

    /// Slots the table has room for now.
    #[cfg(test)]
    pub(super) fn capacity(&self) -> usize {
        self.solved.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A solution remembered is returned without solving; once more keys
    /// than are kept have come, all are forgotten and solved again.
    #[test]
    fn each_key_is_solved_once_while_it_is_kept() {
        const KEPT: usize = 1 << 13;
        let mut kept = Solved::<u64, u32, KEPT>::default();
        let solves = std::cell::Cell::new(0);
        let mut get = |k: u64| {
            kept.get_or_solve(k, || {
                solves.set(solves.get() + 1);
                k as u32 * 10
            })
        };
        let all = KEPT as u64;
        for k in (0..all).chain((0..all).rev()) {
            assert_eq!(get(k), k as u32 * 10);
        }
        assert_eq!(solves.get(), KEPT);
        // One more key: every other is forgotten, and solved when met again.
        assert_eq!(get(all), all as u32 * 10);
        assert_eq!(get(all), all as u32 * 10);
        assert_eq!(solves.get(), KEPT + 1);
        assert_eq!(get(0), 0);
        assert_eq!(solves.get(), KEPT + 2);
        assert_eq!(kept.len(), 2);
        // 16 bytes an entry (a u64 key, a u32 value, padding) and a control byte.
        assert!(kept.capacity() as u64 * 17 <= Solved::<u64, u32, KEPT>::MOST_BYTES);
    }
}
