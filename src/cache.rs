//! Caches a [`crate::verify::Verifier`] shares across documents and threads. Owns what is safe
//! to remember between documents, and the keys that make a stale answer impossible:
//!
//! * **signatures** — the result of verifying a certificate or CRL signature, keyed by the
//!   SHA-256 of the issuer certificate (its key), the SHA-256 of the signed object (its TBS,
//!   algorithm and signature) and a digest of the algorithm policy;
//! * **CA sub-paths** — a validated path from a trust anchor down to the issuer of the
//!   certificate being validated (signatures and revocation of every certificate on it), keyed
//!   by the certificates of the sub-path and a digest of everything the result depends on:
//!   validation time, all validation options, the trust anchors, the CRL set and the
//!   certificates that could sign a CRL;
//! * **parsed objects** — certificates and CRLs carried in documents, parsed once, keyed by the
//!   SHA-256 of their DER and the parsing limits (a CRL keeps its serial-number index).
//!
//! Every cache is bounded (S3-FIFO eviction, `quick_cache`); [`CacheStats`] reports hits,
//! misses and sizes. Only results that do not depend on anything outside their key are
//! stored; a change of time, options, anchors or revocation data changes the key.

use crate::crypto::{SignatureError, VerifiedSignature};
use crate::parse::{Certificate, Crl};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// How much each cache holds at most. Parsed objects are bounded by their size (a hostile
/// stream of documents carrying large certificates or CRLs cannot grow memory past these).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CacheLimits {
    /// Signature-check results (entries).
    pub signatures: u64,
    /// Validated CA sub-paths (entries).
    pub sub_paths: u64,
    /// Parsed certificates carried in documents (bytes of DER).
    pub certificate_bytes: u64,
    /// Parsed CRLs carried in documents (bytes of DER, plus 64 per revoked entry for the
    /// model and its serial index).
    pub crl_bytes: u64,
}

impl Default for CacheLimits {
    fn default() -> Self {
        CacheLimits {
            signatures: 16_384,
            sub_paths: 4_096,
            certificate_bytes: 16 << 20,
            crl_bytes: 128 << 20,
        }
    }
}

impl CacheLimits {
    /// No caching at all (every cache holds nothing).
    pub fn disabled() -> Self {
        CacheLimits {
            signatures: 0,
            sub_paths: 0,
            certificate_bytes: 0,
            crl_bytes: 0,
        }
    }
}

/// Hits, misses and size of one cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CounterSnapshot {
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that had to compute the answer.
    pub misses: u64,
    /// Entries held now.
    pub entries: usize,
    /// What the entries weigh now (entries, or bytes for parsed objects).
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

/// What the caches did since they were created or last cleared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CacheStats {
    /// Signature-check results.
    pub signatures: CounterSnapshot,
    /// Validated CA sub-paths.
    pub sub_paths: CounterSnapshot,
    /// Parsed certificates.
    pub certificates: CounterSnapshot,
    /// Parsed CRLs.
    pub crls: CounterSnapshot,
}

/// The weight of a parsed object: its DER size (CRLs: plus their entries' models).
#[derive(Clone, Copy, Default)]
struct Size;

impl quick_cache::Weighter<Digest32, Arc<Certificate>> for Size {
    fn weight(&self, _: &Digest32, c: &Arc<Certificate>) -> u64 {
        (c.der.len() as u64).max(1)
    }
}

impl quick_cache::Weighter<Digest32, Arc<Crl>> for Size {
    fn weight(&self, _: &Digest32, c: &Arc<Crl>) -> u64 {
        (c.der.len() as u64)
            .saturating_add((c.entries.len() as u64).saturating_mul(64))
            .max(1)
    }
}

/// One bounded cache with its counters.
struct Counted<K, V, W = quick_cache::UnitWeighter> {
    map: Option<quick_cache::sync::Cache<K, V, W>>,
    capacity: u64,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl<K: Eq + Hash + Clone, V: Clone> Counted<K, V> {
    fn new(capacity: u64) -> Self {
        Counted::weighted(capacity, capacity, quick_cache::UnitWeighter)
    }
}

impl<K: Eq + Hash + Clone, V: Clone, W: quick_cache::Weighter<K, V> + Clone> Counted<K, V, W> {
    /// A cache of at most `capacity` weight, expecting about `items` entries.
    fn weighted(items: u64, capacity: u64, weighter: W) -> Self {
        Counted {
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

    fn get(&self, key: &K) -> Option<V> {
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

    fn insert(&self, key: K, value: V) {
        if let Some(map) = &self.map {
            map.insert(key, value);
        }
    }

    fn clear(&self) {
        if let Some(map) = &self.map {
            map.clear();
        }
        self.hits.store(0, Ordering::Relaxed);
        self.misses.store(0, Ordering::Relaxed);
    }

    fn snapshot(&self) -> CounterSnapshot {
        CounterSnapshot {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: self.map.as_ref().map_or(0, |m| m.len()),
            weight: self.map.as_ref().map_or(0, |m| m.weight()),
            capacity: self.capacity,
        }
    }
}

/// A 32-byte digest used as (part of) a cache key.
pub type Digest32 = [u8; 32];

/// Key of a signature-check result: issuer certificate, signed object, algorithm policy.
pub(crate) type SignatureKey = (Digest32, Digest32, Digest32);

/// A signature-check result as cached.
pub(crate) type SignatureResult = Result<VerifiedSignature, SignatureError>;

/// What a validated CA sub-path contributes to every path that extends it.
#[derive(Clone, Debug)]
pub(crate) struct SubPath {
    /// Weak algorithms accepted in the sub-path's certificate signatures.
    pub signature_weaknesses: Vec<crate::validate::AcceptedWeakness>,
    /// Weak algorithms accepted in the CRLs that cleared the sub-path's certificates.
    pub revocation_weaknesses: Vec<crate::validate::AcceptedWeakness>,
    /// Revocation entries of the sub-path's certificates below the anchor.
    pub revocation: Vec<crate::validate::RevocationEntry>,
    /// Non-fatal findings on the sub-path.
    pub warnings: Vec<crate::validate::PathError>,
}

/// The caches of one verifier. Cheap to share: `Send + Sync`, interior mutability only.
pub struct Caches {
    limits: CacheLimits,
    signatures: Counted<SignatureKey, SignatureResult>,
    sub_paths: Counted<Digest32, Arc<SubPath>>,
    certificates: Counted<Digest32, Arc<Certificate>, Size>,
    crls: Counted<Digest32, Arc<Crl>, Size>,
}

impl std::fmt::Debug for Caches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Caches")
            .field("limits", &self.limits)
            .field("stats", &self.stats())
            .finish()
    }
}

impl Default for Caches {
    fn default() -> Self {
        Caches::new(CacheLimits::default())
    }
}

impl Caches {
    /// Empty caches with these bounds.
    pub fn new(limits: CacheLimits) -> Caches {
        Caches {
            limits,
            signatures: Counted::new(limits.signatures),
            sub_paths: Counted::new(limits.sub_paths),
            // Expected sizes: a certificate about 1.5 KB, a CRL about 64 KB.
            certificates: Counted::weighted(
                limits.certificate_bytes / 1536,
                limits.certificate_bytes,
                Size,
            ),
            crls: Counted::weighted(limits.crl_bytes / 65_536, limits.crl_bytes, Size),
        }
    }

    /// The bounds.
    pub fn limits(&self) -> CacheLimits {
        self.limits
    }

    /// Forgets every entry and resets the counters.
    pub fn clear(&self) {
        self.signatures.clear();
        self.sub_paths.clear();
        self.certificates.clear();
        self.crls.clear();
    }

    /// Hits, misses and sizes.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            signatures: self.signatures.snapshot(),
            sub_paths: self.sub_paths.snapshot(),
            certificates: self.certificates.snapshot(),
            crls: self.crls.snapshot(),
        }
    }

    pub(crate) fn signature(&self, key: &SignatureKey) -> Option<SignatureResult> {
        self.signatures.get(key)
    }

    pub(crate) fn put_signature(&self, key: SignatureKey, result: SignatureResult) {
        self.signatures.insert(key, result);
    }

    pub(crate) fn sub_path(&self, key: &Digest32) -> Option<Arc<SubPath>> {
        self.sub_paths.get(key)
    }

    pub(crate) fn put_sub_path(&self, key: Digest32, value: SubPath) {
        self.sub_paths.insert(key, Arc::new(value));
    }

    /// The certificate whose encoding (DER or BER, as it appears in a document) is
    /// `encoding`, parsed under `limits_key`: from the cache, or made by `parse` now.
    pub(crate) fn certificate<E>(
        &self,
        encoding: &[u8],
        limits_key: &Digest32,
        parse: impl FnOnce() -> Result<Certificate, E>,
    ) -> Result<Arc<Certificate>, E> {
        cached_parse(&self.certificates, encoding, limits_key, parse)
    }

    /// The CRL whose encoding is `encoding`, parsed under `limits_key`: from the cache, or
    /// made by `parse` now.
    pub(crate) fn crl<E>(
        &self,
        encoding: &[u8],
        limits_key: &Digest32,
        parse: impl FnOnce() -> Result<Crl, E>,
    ) -> Result<Arc<Crl>, E> {
        cached_parse(&self.crls, encoding, limits_key, parse)
    }
}

/// Parsing is a function of the bytes and the limits: the result is cached under both.
fn cached_parse<T, E>(
    cache: &Counted<Digest32, Arc<T>, Size>,
    encoding: &[u8],
    limits_key: &Digest32,
    parse: impl FnOnce() -> Result<T, E>,
) -> Result<Arc<T>, E>
where
    Size: quick_cache::Weighter<Digest32, Arc<T>>,
{
    if cache.map.is_none() {
        return parse().map(Arc::new);
    }
    let key = object_key(encoding, limits_key);
    if let Some(c) = cache.get(&key) {
        return Ok(c);
    }
    let c = Arc::new(parse()?);
    cache.insert(key, Arc::clone(&c));
    Ok(c)
}

fn object_key(der: &[u8], limits_key: &Digest32) -> Digest32 {
    let mut h = Sha256::new();
    h.update(limits_key);
    h.update(der);
    h.finalize().into()
}

/// A SHA-256 `std::hash::Hasher`: lets `#[derive(Hash)]` values feed a collision-resistant
/// cache key (the std hashers are 64-bit and not collision-resistant).
#[derive(Default)]
pub(crate) struct KeyHasher(Sha256);

impl KeyHasher {
    pub(crate) fn new() -> Self {
        KeyHasher(Sha256::new())
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) {
        // Length-prefixed so that concatenations cannot collide.
        self.0.update((b.len() as u64).to_le_bytes());
        self.0.update(b);
    }

    pub(crate) fn value<T: Hash + ?Sized>(&mut self, v: &T) {
        v.hash(self);
    }

    pub(crate) fn finish32(self) -> Digest32 {
        self.0.finalize().into()
    }
}

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        // Not used for keys (see finish32); a stable value for completeness.
        let d: Digest32 = self.0.clone().finalize().into();
        u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}
