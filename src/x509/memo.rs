//! Parsed certificates and CRLs carried in documents, remembered between documents
//! ([`ObjectCache`]): keyed by their encoding as carried (compared in full on a hit, so no
//! collision can return another object) and checked against the limits that shaped the
//! parse, bounded by bytes (the key's copy of the encoding and a CRL's entry models count),
//! so that a stream of hostile documents cannot grow memory past the bound.

use super::{Certificate, Crl, Name};
use crate::cache::{Bounded, CounterSnapshot, Weight};
use crate::crypto::Digest32;
use std::sync::Arc;

impl Weight for Certificate {
    fn weight(&self) -> u64 {
        self.der.len() as u64
    }
}

impl Weight for Name {
    fn weight(&self) -> u64 {
        // The DER, plus the decoded attributes and the comparison key (about three copies).
        (self.der.len() as u64).saturating_mul(4)
    }
}

impl Weight for Crl {
    fn weight(&self) -> u64 {
        (self.der.len() as u64).saturating_add((self.entries.len() as u64).saturating_mul(64))
    }
}

/// A parsed object and the limits key it was parsed under.
struct Parsed<T> {
    limits_key: Digest32,
    object: Arc<T>,
}

impl<T> Clone for Parsed<T> {
    fn clone(&self) -> Self {
        Parsed {
            limits_key: self.limits_key,
            object: Arc::clone(&self.object),
        }
    }
}

/// Weighs an entry: the key's copy of the encoding plus the object.
#[derive(Clone, Copy, Debug, Default)]
struct EntryWeight;

impl<T: Weight> quick_cache::Weighter<Box<[u8]>, Parsed<T>> for EntryWeight {
    fn weight(&self, key: &Box<[u8]>, v: &Parsed<T>) -> u64 {
        (key.len() as u64).saturating_add(v.object.weight()).max(1)
    }
}

/// Parsed certificates and CRLs shared across documents and threads.
#[derive(Debug)]
pub struct ObjectCache {
    certificates: Bounded<Box<[u8]>, Parsed<Certificate>, EntryWeight>,
    crls: Bounded<Box<[u8]>, Parsed<Crl>, EntryWeight>,
    /// Names decoded outside a certificate (a SignerInfo's issuerAndSerialNumber), bounded
    /// by a sixteenth of the certificates' bytes.
    names: Bounded<Box<[u8]>, Parsed<Name>, EntryWeight>,
}

impl ObjectCache {
    /// At most `certificate_bytes` of certificates and `crl_bytes` of CRLs (0: disabled).
    pub fn new(certificate_bytes: u64, crl_bytes: u64) -> ObjectCache {
        // Expected sizes: a certificate about 1.5 KB, a CRL about 64 KB.
        ObjectCache {
            certificates: Bounded::weighted(
                certificate_bytes / 3072,
                certificate_bytes,
                EntryWeight,
            ),
            crls: Bounded::weighted(crl_bytes / 131_072, crl_bytes, EntryWeight),
            names: Bounded::weighted(
                certificate_bytes / 4096,
                certificate_bytes / 16,
                EntryWeight,
            ),
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

    /// The name encoded as `encoding` (as carried; `limits_key` as for certificates),
    /// decoded by `parse` unless remembered.
    pub fn name<E>(
        &self,
        encoding: &[u8],
        limits_key: &Digest32,
        parse: impl FnOnce() -> Result<Name, E>,
    ) -> Result<Arc<Name>, E> {
        cached_parse(&self.names, encoding, limits_key, parse)
    }

    /// Hits, misses and sizes: (certificates, CRLs).
    pub fn snapshots(&self) -> (CounterSnapshot, CounterSnapshot) {
        (self.certificates.snapshot(), self.crls.snapshot())
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.certificates.clear();
        self.crls.clear();
        self.names.clear();
    }
}

/// Parsing is a function of the bytes and the limits: an entry answers only for the same
/// bytes (the map compares keys in full) parsed under the same limits.
fn cached_parse<T: Weight, E>(
    cache: &Bounded<Box<[u8]>, Parsed<T>, EntryWeight>,
    encoding: &[u8],
    limits_key: &Digest32,
    parse: impl FnOnce() -> Result<T, E>,
) -> Result<Arc<T>, E> {
    if cache.is_disabled() {
        return parse().map(Arc::new);
    }
    if let Some(hit) = cache.get_if(encoding, |p| p.limits_key == *limits_key) {
        return Ok(hit.object);
    }
    let object = Arc::new(parse()?);
    cache.insert(
        encoding.into(),
        Parsed {
            limits_key: *limits_key,
            object: Arc::clone(&object),
        },
    );
    Ok(object)
}
