//! Parsed certificates and CRLs carried in documents, remembered between documents
//! ([`ObjectCache`]): keyed by the SHA-256 of their encoding as carried and of the limits
//! that shaped the parse, bounded by bytes (a CRL also weighs its entries' models), so that a
//! stream of hostile documents cannot grow memory past the bound.

use super::{Certificate, Crl};
use crate::cache::{Bounded, ByWeight, CounterSnapshot, Weight};
use crate::crypto::Digest32;
use std::sync::Arc;

impl Weight for Certificate {
    fn weight(&self) -> u64 {
        self.der.len() as u64
    }
}

impl Weight for Crl {
    fn weight(&self) -> u64 {
        (self.der.len() as u64).saturating_add((self.entries.len() as u64).saturating_mul(64))
    }
}

/// Parsed certificates and CRLs shared across documents and threads.
#[derive(Debug)]
pub struct ObjectCache {
    certificates: Bounded<Digest32, Arc<Certificate>, ByWeight>,
    crls: Bounded<Digest32, Arc<Crl>, ByWeight>,
}

impl ObjectCache {
    /// At most `certificate_bytes` of certificates and `crl_bytes` of CRLs (0: disabled).
    pub fn new(certificate_bytes: u64, crl_bytes: u64) -> ObjectCache {
        // Expected sizes: a certificate about 1.5 KB, a CRL about 64 KB.
        ObjectCache {
            certificates: Bounded::weighted(certificate_bytes / 1536, certificate_bytes, ByWeight),
            crls: Bounded::weighted(crl_bytes / 65_536, crl_bytes, ByWeight),
        }
    }

    /// The certificate whose encoding (DER or BER, as it appears in a document) is
    /// `encoding`, parsed under `limits_key`: from the cache, or made by `parse` now.
    pub fn certificate<E>(
        &self,
        encoding: &[u8],
        limits_key: &Digest32,
        parse: impl FnOnce() -> Result<Certificate, E>,
    ) -> Result<Arc<Certificate>, E> {
        cached_parse(&self.certificates, encoding, limits_key, parse)
    }

    /// The CRL whose encoding is `encoding`, parsed under `limits_key`: from the cache, or
    /// made by `parse` now.
    pub fn crl<E>(
        &self,
        encoding: &[u8],
        limits_key: &Digest32,
        parse: impl FnOnce() -> Result<Crl, E>,
    ) -> Result<Arc<Crl>, E> {
        cached_parse(&self.crls, encoding, limits_key, parse)
    }

    /// Hits, misses and sizes: (certificates, CRLs).
    pub fn snapshots(&self) -> (CounterSnapshot, CounterSnapshot) {
        (self.certificates.snapshot(), self.crls.snapshot())
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.certificates.clear();
        self.crls.clear();
    }
}

/// Parsing is a function of the bytes and the limits: the result is cached under both.
fn cached_parse<T: Weight, E>(
    cache: &Bounded<Digest32, Arc<T>, ByWeight>,
    encoding: &[u8],
    limits_key: &Digest32,
    parse: impl FnOnce() -> Result<T, E>,
) -> Result<Arc<T>, E> {
    if cache.is_disabled() {
        return parse().map(Arc::new);
    }
    let mut h = crate::crypto::KeyHasher::new();
    h.bytes(limits_key);
    h.bytes(encoding);
    let key = h.finish32();
    if let Some(c) = cache.get(&key) {
        return Ok(c);
    }
    let c = Arc::new(parse()?);
    cache.insert(key, Arc::clone(&c));
    Ok(c)
}
