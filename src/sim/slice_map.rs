//! A map keyed by slices, whose keys are kept end to end in one buffer.

use std::hash::{BuildHasher, Hash};
use std::ops::Range;

/// A map from slices of `K` to values `V`. The simulator's memos are keyed
/// by a few dozen integers, written afresh for every lookup: a
/// `HashMap<Vec<K>, V>` allocated each key it kept and freed them one by
/// one when it was dropped, every replication (a seventh of the peer
/// workload's time went to `malloc` and `free`). Here every key is copied
/// into one buffer the keys share, so that once the map has grown,
/// inserting allocates nothing, and [`SliceMap::clear`] keeps its room for
/// the next replication.
///
/// Only lookups are made, never an iteration, so the hasher's random seed
/// cannot change a result.
#[derive(Clone, Debug, Default)]
pub(crate) struct SliceMap<K, V> {
    /// The entries, by their key's hash.
    table: hashbrown::HashTable<Entry<V>>,
    /// The keys, end to end.
    keys: Vec<K>,
    /// foldhash: SipHash showed in profiles of `sscsim pool`, which looks
    /// up thousands of coalitions' teams.
    hasher: foldhash::fast::RandomState,
}

/// A value, where its key lies in the keys' buffer, and the key's hash
/// (kept so that the table grows without reading the keys again).
#[derive(Clone, Debug)]
struct Entry<V> {
    key: Range<usize>,
    hash: u64,
    value: V,
}

impl<K: Copy + Eq + Hash, V> SliceMap<K, V> {
    /// The value kept under `key`, if any.
    pub(crate) fn get(&self, key: &[K]) -> Option<&V> {
        let hash = self.hasher.hash_one(key);
        let keys = &self.keys;
        (self.table)
            .find(hash, |e| e.hash == hash && keys[e.key.clone()] == *key)
            .map(|e| &e.value)
    }

    /// The value kept under `key`, if any, to change.
    pub(crate) fn get_mut(&mut self, key: &[K]) -> Option<&mut V> {
        let hash = self.hasher.hash_one(key);
        let keys = &self.keys;
        (self.table)
            .find_mut(hash, |e| e.hash == hash && keys[e.key.clone()] == *key)
            .map(|e| &mut e.value)
    }

    /// Keeps `value` under `key`, which must not be kept yet (a memo
    /// inserts what it did not find).
    pub(crate) fn insert(&mut self, key: &[K], value: V) {
        debug_assert!(self.get(key).is_none(), "a key inserted twice");
        let hash = self.hasher.hash_one(key);
        let start = self.keys.len();
        self.keys.extend_from_slice(key);
        let entry = Entry {
            key: start..self.keys.len(),
            hash,
            value,
        };
        self.table.insert_unique(hash, entry, |e| e.hash);
    }

    /// How many keys are kept.
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }

    /// Forgets every key and value, keeping the room they took.
    pub(crate) fn clear(&mut self) {
        self.table.clear();
        self.keys.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys that are prefixes of one another, or the same numbers in
    /// another order, are different keys; the empty key is a key.
    #[test]
    fn keys_are_whole_slices() {
        let mut map = SliceMap::default();
        let keys: [&[u64]; 5] = [&[], &[1], &[1, 2], &[2, 1], &[1, 2, 3]];
        for (value, key) in keys.iter().enumerate() {
            assert_eq!(map.get(key), None);
            map.insert(key, value);
        }
        assert_eq!(map.len(), keys.len());
        for (value, key) in keys.iter().enumerate() {
            assert_eq!(map.get(key), Some(&value), "{key:?}");
        }
        assert_eq!(map.get(&[2]), None);
        assert_eq!(map.get(&[1, 2, 3, 4]), None);
        // A value changed in place is found under its key alone.
        *map.get_mut(&[1, 2]).expect("kept") = 9;
        assert_eq!(map.get(&[1, 2]), Some(&9));
        assert_eq!(map.get(&[2, 1]), Some(&3));
        assert_eq!(map.get_mut(&[2]), None);
        assert_eq!(map.len(), keys.len());
    }

    /// Many keys of varied lengths, past several regrowths of the table,
    /// against a `HashMap<Vec<_>, _>`; after `clear`, none is found and
    /// the map is filled again as new.
    #[test]
    fn agrees_with_a_map_of_vectors_and_clears() {
        let mut below = crate::sim::below_from_xorshift();
        let mut map = SliceMap::default();
        let mut reference = std::collections::HashMap::new();
        for round in 0..2 {
            for value in 0..2000_u64 {
                let key: Vec<u64> = (0..below(6)).map(|_| below(4)).collect();
                match reference.get(&key) {
                    Some(kept) => assert_eq!(map.get(&key), Some(kept), "round {round}"),
                    None => {
                        assert_eq!(map.get(&key), None, "round {round}");
                        map.insert(&key, value);
                        reference.insert(key, value);
                    }
                }
            }
            assert_eq!(map.len(), reference.len());
            for (key, value) in &reference {
                assert_eq!(map.get(key), Some(value));
            }
            map.clear();
            assert_eq!(map.len(), 0);
            assert!(reference.keys().all(|key| map.get(key).is_none()));
            reference.clear();
        }
    }
}
