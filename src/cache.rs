//! Cache: a generic bounded, concurrent cache with hit/miss counters ([`Bounded`]), the
//! building block of what a [`crate::Verifier`] remembers between documents. It knows
//! nothing of certificates or paths: each stage defines what it memoises and under which
//! key (`crypto::SignatureCache`, `x509::ObjectCache`, `validate::SubPathCache`), and
//! `verify` composes them.
//!
//! Eviction is S3-FIFO (`quick_cache`); a capacity of 0 disables a cache entirely.

use serde::{Deserialize, Serialize};
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};

/// Hits, misses and size of one cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterSnapshot {
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that had to compute the answer.
    pub misses: u64,
    /// Entries held now.
    pub entries: usize,
    /// What the entries weigh now (entries, or bytes for weighed caches).
    pub weight: u64,
    /// The most they may weigh.
    pub capacity: u64,
}

impl CounterSnapshot {
    /// hits / (hits + misses), or 0 before any lookup.
    pub fn hit_rate(&self) -> f64 {
        let total = self.hits + self.misses;
        if total == 0 {
            0.0
        } else {
            self.hits as f64 / total as f64
        }
    }
}

/// What a value weighs in a byte-bounded cache.
pub trait Weight {
    /// The value's weight (at least 1).
    fn weight(&self) -> u64;
}

impl<T: Weight> Weight for std::sync::Arc<T> {
    fn weight(&self) -> u64 {
        T::weight(self)
    }
}

/// Weighs values by their [`Weight`].
#[derive(Clone, Copy, Debug, Default)]
pub struct ByWeight;

impl<K, V: Weight> quick_cache::Weighter<K, V> for ByWeight {
    fn weight(&self, _: &K, v: &V) -> u64 {
        v.weight().max(1)
    }
}

/// Counts every entry as 1.
pub type Unit = quick_cache::UnitWeighter;

/// One bounded cache with its counters. `Send + Sync`: interior mutability only.
pub struct Bounded<K, V, W = Unit> {
    map: Option<quick_cache::sync::Cache<K, V, W>>,
    capacity: u64,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl<K, V, W> std::fmt::Debug for Bounded<K, V, W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bounded")
            .field("capacity", &self.capacity)
            .field("hits", &self.hits.load(Ordering::Relaxed))
            .field("misses", &self.misses.load(Ordering::Relaxed))
            .finish()
    }
}

impl<K: Eq + Hash + Clone, V: Clone> Bounded<K, V, Unit> {
    /// A cache of at most `capacity` entries.
    pub fn new(capacity: u64) -> Self {
        Bounded::weighted(capacity, capacity, quick_cache::UnitWeighter)
    }
}

impl<K: Eq + Hash + Clone, V: Clone, W: quick_cache::Weighter<K, V> + Clone> Bounded<K, V, W> {
    /// A cache of at most `capacity` weight, expecting about `items` entries.
    pub fn weighted(items: u64, capacity: u64, weighter: W) -> Self {
        Bounded {
            map: (capacity > 0).then(|| {
                quick_cache::sync::Cache::with_weighter(
                    usize::try_from(items.max(1)).unwrap_or(usize::MAX),
                    capacity,
                    weighter,
                )
            }),
            capacity,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// True when the cache holds nothing ever (capacity 0).
    pub fn is_disabled(&self) -> bool {
        self.map.is_none()
    }

    /// The value under `key`, counting a hit or a miss (nothing is counted when disabled).
    pub fn get<Q>(&self, key: &Q) -> Option<V>
    where
        Q: Hash + quick_cache::Equivalent<K> + ?Sized,
    {
        let map = self.map.as_ref()?;
        let v = map.get(key);
        let counter = if v.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        v
    }

    /// The value under `key` when `accept` takes it; a value it refuses counts as a miss.
    pub fn get_if<Q>(&self, key: &Q, accept: impl FnOnce(&V) -> bool) -> Option<V>
    where
        Q: Hash + quick_cache::Equivalent<K> + ?Sized,
    {
        let map = self.map.as_ref()?;
        let v = map.get(key).filter(accept);
        let counter = if v.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        v
    }

    /// Counts a hit answered on this cache's behalf by a cache above it (one that stores a
    /// result this cache's entries went into); nothing is counted when disabled.
    pub fn count_hit(&self) {
        if self.map.is_some() {
            self.hits.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Stores `value` under `key` (replacing what was there).
    pub fn insert(&self, key: K, value: V) {
        if let Some(map) = &self.map {
            map.insert(key, value);
        }
    }

    /// Forgets every entry and resets the counters.
    pub fn clear(&self) {
        if let Some(map) = &self.map {
            map.clear();
        }
        self.hits.store(0, Ordering::Relaxed);
        self.misses.store(0, Ordering::Relaxed);
    }

    /// Hits, misses and size now.
    pub fn snapshot(&self) -> CounterSnapshot {
        CounterSnapshot {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: self.map.as_ref().map_or(0, |m| m.len()),
            weight: self.map.as_ref().map_or(0, |m| m.weight()),
            capacity: self.capacity,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone)]
    struct Blob(u64);
    impl Weight for Blob {
        fn weight(&self) -> u64 {
            self.0
        }
    }

    #[test]
    fn counts_hits_and_misses_and_honours_capacity() {
        let c: Bounded<u32, u32> = Bounded::new(4);
        assert_eq!(c.get(&1), None);
        c.insert(1, 10);
        assert_eq!(c.get(&1), Some(10));
        assert_eq!(c.get_if(&1, |v| *v == 11), None);
        let s = c.snapshot();
        assert_eq!((s.hits, s.misses, s.entries), (1, 2, 1));
        for k in 0..100 {
            c.insert(k, k);
        }
        assert!(c.snapshot().entries <= 4);
        c.clear();
        assert_eq!(c.snapshot().hits, 0);
    }

    #[test]
    fn disabled_caches_hold_and_count_nothing() {
        let c: Bounded<u32, u32> = Bounded::new(0);
        c.insert(1, 1);
        assert!(c.is_disabled());
        assert_eq!(c.get(&1), None);
        assert_eq!(c.snapshot(), CounterSnapshot::default());
    }

    #[test]
    fn weighed_caches_are_bounded_by_weight() {
        let c: Bounded<u32, Blob, ByWeight> = Bounded::weighted(4, 100, ByWeight);
        for k in 0..50 {
            c.insert(k, Blob(30));
        }
        assert!(c.snapshot().weight <= 100);
    }
}
