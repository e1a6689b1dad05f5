//! The caches one [`super::Verifier`] shares across documents and threads, composed from the
//! stages' own: signature results (`crypto`), validated CA sub-paths with their time windows
//! (`validate`), parsed certificates and CRLs carried in documents (`x509`), and the
//! timestamp tokens and OCSP responses documents carry, parsed ([`EvidenceCache`]). Every one
//! is bounded; only results that depend on nothing outside their key are stored.

use crate::cache::{Bounded, CounterSnapshot};
use crate::crypto::{Digest32, KeyHasher, SignatureCache};
use crate::document::timestamp::{TimestampError, TimestampToken};
use crate::revocation::fetch::{Fetched, Fetcher};
use crate::revocation::ocsp::{OcspError, OcspResponse};
use crate::validate::{self, Memo, Options, Outcome, Sources, SubPathCache};
use crate::x509::{Certificate, ObjectCache};
use crate::Limits;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// How much each cache holds at most. Parsed objects are bounded by their size (a hostile
/// stream of documents carrying large certificates or CRLs cannot grow memory past these).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
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
    /// Parsed timestamp tokens and OCSP responses carried in documents (three times the
    /// bytes of their DER: the key's copy, the model's copy and the model).
    pub evidence_bytes: u64,
    /// Certificate-path outcomes of signers and TSAs (entries), each for one exact
    /// validation time.
    pub outcomes: u64,
}

impl Default for CacheLimits {
    fn default() -> Self {
        CacheLimits {
            signatures: 16_384,
            sub_paths: 4_096,
            certificate_bytes: 16 << 20,
            crl_bytes: 128 << 20,
            evidence_bytes: 16 << 20,
            outcomes: 4_096,
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
            evidence_bytes: 0,
            outcomes: 0,
        }
    }
}

/// What the caches did since they were created or last cleared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheStats {
    /// Signature-check results.
    pub signatures: CounterSnapshot,
    /// Validated CA sub-paths (a whole signer or TSA path outcome reused from the outcome
    /// cache counts as a hit: its CA sub-path is reused with it).
    pub sub_paths: CounterSnapshot,
    /// Parsed certificates.
    pub certificates: CounterSnapshot,
    /// Parsed CRLs.
    pub crls: CounterSnapshot,
}

/// The caches of one verifier.
#[derive(Debug)]
pub(crate) struct Caches {
    pub(crate) limits: CacheLimits,
    /// Shared with the OFD layer, which caches seal signatures in it.
    pub(crate) signatures: Arc<SignatureCache>,
    pub(crate) sub_paths: SubPathCache,
    pub(crate) objects: ObjectCache,
    pub(crate) evidence: EvidenceCache,
    /// Whole path outcomes (see [`Caches::validate`]).
    outcomes: Bounded<Digest32, Arc<Outcome>>,
}

impl Caches {
    pub(crate) fn new(limits: CacheLimits) -> Caches {
        Caches {
            limits,
            signatures: Arc::new(SignatureCache::new(limits.signatures)),
            sub_paths: SubPathCache::new(limits.sub_paths),
            objects: ObjectCache::new(limits.certificate_bytes, limits.crl_bytes),
            evidence: EvidenceCache::new(limits.evidence_bytes),
            outcomes: Bounded::new(limits.outcomes),
        }
    }

    pub(crate) fn memo(&self) -> Memo<'_> {
        Memo {
            signatures: &self.signatures,
            sub_paths: &self.sub_paths,
        }
    }

    pub(crate) fn clear(&self) {
        self.signatures.clear();
        self.sub_paths.clear();
        self.objects.clear();
        self.evidence.clear();
        self.outcomes.clear();
    }

    /// [`validate::validate_with`] of `target`, remembered. The key is everything the
    /// outcome is a function of: the target, the options *including the validation time*
    /// (an outcome is reused only at the very same time, so no time-dependent finding —
    /// expiry, CRL or OCSP freshness, a time in a message — is carried to another time), the
    /// trust anchors, the pool in insertion order (path-building order), the CRLs and OCSP
    /// responses in order, and whether a fetcher was given. With a fetcher, an outcome is
    /// remembered only when the validation never consulted it: what a fetcher returns is not
    /// an input the key can name, but a validation that did not ask depends on nothing the
    /// key leaves out, and the same inputs lead to the same (fetch-free) validation again.
    pub(crate) fn validate(
        &self,
        target: &Arc<Certificate>,
        sources: Sources<'_>,
        options: &Options,
    ) -> Arc<Outcome> {
        let key = (!self.outcomes.is_disabled()).then(|| {
            let mut h = KeyHasher::new();
            h.bytes(b"outcome/3");
            h.bytes(&target.sha256);
            h.value(&options.time);
            h.bytes(&self.sub_paths.options_key(options));
            h.bytes(&sources.anchors.digest());
            sources.pool.feed_key(&mut h);
            h.value(&sources.crls.len());
            for c in sources.crls {
                h.bytes(&c.sha256);
            }
            h.value(&sources.ocsp.len());
            for r in sources.ocsp {
                h.bytes(&r.sha256);
            }
            h.value(&sources.fetcher.is_some());
            h.finish32()
        });
        if let Some(hit) = key.as_ref().and_then(|k| self.outcomes.get(k)) {
            // The outcome holds a validated CA sub-path (anchor … issuer): reported as a
            // sub-path hit, so that `CacheStats::sub_paths` still shows the CA chain reused.
            if hit.is_valid() && hit.path.len() >= 3 {
                self.sub_paths.count_reuse();
            }
            return hit;
        }
        let watched = sources.fetcher.map(Watched::new);
        let sources = sources.fetcher(watched.as_ref().map(|w| w as &dyn Fetcher));
        let outcome = Arc::new(validate::validate_with(
            target,
            sources,
            options,
            self.memo(),
        ));
        let consulted = watched.as_ref().is_some_and(Watched::consulted);
        if let (Some(k), false) = (key, consulted) {
            self.outcomes.insert(k, Arc::clone(&outcome));
        }
        outcome
    }

    pub(crate) fn stats(&self) -> CacheStats {
        let (certificates, crls) = self.objects.snapshots();
        CacheStats {
            signatures: self.signatures.snapshot(),
            sub_paths: self.sub_paths.snapshot(),
            certificates,
            crls,
        }
    }
}

/// A parsed object and the key of the limits it was parsed under.
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

/// Weighs an entry as three times its encoding (the key's copy, the model's own copy of the
/// DER, and the decoded model).
#[derive(Clone, Copy, Debug, Default)]
struct ThriceEncoding;

impl<T> quick_cache::Weighter<Box<[u8]>, Parsed<T>> for ThriceEncoding {
    fn weight(&self, key: &Box<[u8]>, _: &Parsed<T>) -> u64 {
        (key.len() as u64).saturating_mul(3).max(1)
    }
}

type ParsedMap<T> = Bounded<Box<[u8]>, Parsed<T>, ThriceEncoding>;

fn parsed_map<T>(bytes: u64) -> ParsedMap<T> {
    Bounded::weighted(bytes / 12_288, bytes, ThriceEncoding)
}

/// Timestamp tokens and OCSP responses carried in documents, parsed, shared across documents
/// and threads: keyed by their full encoding (compared in full on a hit, so no collision can
/// return another object) and the digest of the [`Limits`] they were parsed under. Parsing
/// is a function of those two alone, so an entry never changes a verdict; only successful
/// parses are kept (a malformed object is parsed, and refused, again).
#[derive(Debug)]
pub(crate) struct EvidenceCache {
    tokens: ParsedMap<TimestampToken>,
    /// `OCSPResponse`s (RFC 6960 §4.2.1).
    responses: ParsedMap<OcspResponse>,
    /// Bare `BasicOCSPResponse`s (CAdES revocation values).
    basic: ParsedMap<OcspResponse>,
    /// The first limits looked up, and their digest.
    first_limits: OnceLock<(Limits, Digest32)>,
}

impl EvidenceCache {
    /// At most `bytes` per kind of object (0: disabled). Expected size about 4 KB.
    pub(crate) fn new(bytes: u64) -> EvidenceCache {
        EvidenceCache {
            tokens: parsed_map(bytes),
            responses: parsed_map(bytes),
            basic: parsed_map(bytes),
            first_limits: OnceLock::new(),
        }
    }

    /// The key of `limits` for [`EvidenceCache`] lookups: their digest, taken from the
    /// first limits seen when equal (a verifier's limits do not change between calls).
    pub(crate) fn limits_key(&self, limits: &Limits) -> Digest32 {
        if self.tokens.is_disabled() {
            return [0; 32];
        }
        let digest = |l: &Limits| {
            let mut h = KeyHasher::new();
            h.value(l);
            h.finish32()
        };
        let (first, key) = self
            .first_limits
            .get_or_init(|| (limits.clone(), digest(limits)));
        if first == limits {
            *key
        } else {
            digest(limits)
        }
    }

    /// [`TimestampToken::from_der`] of `der` under `limits` (whose key is `limits_key`).
    /// The certificates it carries come from `objects` (parsed once across documents).
    pub(crate) fn token(
        &self,
        der: &[u8],
        limits: &Limits,
        limits_key: &Digest32,
        objects: &ObjectCache,
    ) -> Result<Arc<TimestampToken>, TimestampError> {
        cached_parse(&self.tokens, der, limits_key, || {
            TimestampToken::from_der_cached(der, limits, objects)
        })
    }

    /// [`OcspResponse::from_der`] of `der` under `limits`.
    /// The certificates it carries come from `objects`.
    pub(crate) fn response(
        &self,
        der: &[u8],
        limits: &Limits,
        limits_key: &Digest32,
        objects: &ObjectCache,
    ) -> Result<Arc<OcspResponse>, OcspError> {
        cached_parse(&self.responses, der, limits_key, || {
            OcspResponse::from_der_cached(der, limits, objects)
        })
    }

    /// [`OcspResponse::from_basic_der`] of `der` under `limits`.
    /// The certificates it carries come from `objects`.
    pub(crate) fn basic_response(
        &self,
        der: &[u8],
        limits: &Limits,
        limits_key: &Digest32,
        objects: &ObjectCache,
    ) -> Result<Arc<OcspResponse>, OcspError> {
        cached_parse(&self.basic, der, limits_key, || {
            OcspResponse::from_basic_der_cached(der, limits, objects)
        })
    }

    fn clear(&self) {
        self.tokens.clear();
        self.responses.clear();
        self.basic.clear();
    }
}

fn cached_parse<T, E>(
    cache: &ParsedMap<T>,
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

/// A fetcher that remembers whether a validation asked it for anything (see
/// [`Caches::validate`]).
#[derive(Debug)]
struct Watched<'a> {
    inner: &'a dyn Fetcher,
    asked: AtomicBool,
}

impl<'a> Watched<'a> {
    fn new(inner: &'a dyn Fetcher) -> Self {
        Watched {
            inner,
            asked: AtomicBool::new(false),
        }
    }

    fn consulted(&self) -> bool {
        self.asked.load(Ordering::Relaxed)
    }

    fn ask(&self) {
        self.asked.store(true, Ordering::Relaxed);
    }
}

impl Fetcher for Watched<'_> {
    fn crls(&self, cert: &Certificate) -> Vec<Fetched> {
        self.ask();
        self.inner.crls(cert)
    }

    fn ocsp(&self, cert: &Certificate, issuer: &Certificate) -> Vec<Fetched> {
        self.ask();
        self.inner.ocsp(cert, issuer)
    }

    fn issuers(&self, cert: &Certificate) -> Vec<Fetched> {
        self.ask();
        self.inner.issuers(cert)
    }

    fn identity(&self) -> String {
        self.inner.identity()
    }
}
