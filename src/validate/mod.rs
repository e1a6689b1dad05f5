//! Validate: RFC 5280 §6.1 over candidate paths, and the search that drives path building,
//! validation and revocation until one path passes.
//!
//! This module owns the validation inputs ([`Options`]), the §6.1 steps as one function
//! each (`steps`: validity, chaining, basic constraints, path length, key usage, name
//! constraints via [`name_constraints`], policies via [`policy`], critical extensions, the
//! end-entity requirements), the search engine (`engine`: signatures, revocation, the
//! budget, CRL-signer validation) and the [`Outcome`]: an ETSI indication and, for every
//! path tried, which certificate broke which rule. [`SubPathCache`] is what it remembers
//! between validations.

mod engine;
mod memo;
pub mod name_constraints;
mod options;
mod outcome;
pub mod peer_name;
pub mod policy;
pub mod profile;
mod steps;

use crate::crypto::SignatureCache;
use crate::path::{AnchorSet, CertPool};
use crate::revocation::fetch::Fetcher;
use crate::revocation::ocsp::OcspResponse;
use crate::x509::{Certificate, Crl};
use std::sync::Arc;

pub use engine::inherited_key_params;
pub use memo::SubPathCache;
pub use options::{KeyUsageRequirement, Options, ValidityModel};
pub use outcome::{AcceptedWeakness, Attempt, Outcome, RevocationEntry};

/// Everything a validation draws on besides the options.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct Sources<'a> {
    /// Untrusted certificates for path building.
    pub pool: &'a CertPool,
    /// Trust anchors.
    pub anchors: &'a AnchorSet,
    /// CRLs.
    pub crls: &'a [Arc<Crl>],
    /// OCSP responses.
    pub ocsp: &'a [Arc<OcspResponse>],
    /// Where to fetch what the certificates point to (CRLs, OCSP, issuers) when the data
    /// above does not settle a status or a path; `None`: nothing is fetched.
    pub fetcher: Option<&'a dyn Fetcher>,
}

impl<'a> Sources<'a> {
    /// Certificates, anchors and CRLs; no OCSP responses, no fetching.
    pub fn new(pool: &'a CertPool, anchors: &'a AnchorSet, crls: &'a [Arc<Crl>]) -> Sources<'a> {
        Sources {
            pool,
            anchors,
            crls,
            ocsp: &[],
            fetcher: None,
        }
    }

    /// With these OCSP responses.
    pub fn ocsp(mut self, responses: &'a [Arc<OcspResponse>]) -> Sources<'a> {
        self.ocsp = responses;
        self
    }

    /// Fetching with `fetcher` (`None`: never).
    pub fn fetcher(mut self, fetcher: Option<&'a dyn Fetcher>) -> Sources<'a> {
        self.fetcher = fetcher;
        self
    }
}

/// The caches a validation may draw on and fill: signature results and validated CA
/// sub-paths.
#[derive(Clone, Copy, Debug)]
pub struct Memo<'a> {
    /// Certificate and CRL signature results.
    pub signatures: &'a SignatureCache,
    /// Validated CA sub-paths.
    pub sub_paths: &'a SubPathCache,
}

/// Validates `target`: builds paths and returns the first that passes every check, or
/// the reasons none did.
pub fn validate(target: &Arc<Certificate>, sources: Sources<'_>, options: &Options) -> Outcome {
    let outcome = engine::Engine::new(sources, options, None).run(target, options, 0, None);
    retry_with_fetched_issuers(target, sources, options, None, outcome)
}

/// [`validate`] drawing on (and filling) caches shared across validations (see
/// [`SubPathCache`] for what keeps them fresh). The outcome is the one [`validate`] gives.
pub fn validate_with(
    target: &Arc<Certificate>,
    sources: Sources<'_>,
    options: &Options,
    memo: Memo<'_>,
) -> Outcome {
    let outcome = engine::Engine::new(sources, options, Some(memo)).run(target, options, 0, None);
    retry_with_fetched_issuers(target, sources, options, Some(memo), outcome)
}

/// When no path reached an anchor and the caller gave a fetcher: the issuer certificates
/// the certificates point to (authorityInfoAccess caIssuers), fetched level by level (at
/// most `Limits::max_path_depth` levels, `Limits::max_fetches` fetches), and one more try.
fn retry_with_fetched_issuers(
    target: &Arc<Certificate>,
    sources: Sources<'_>,
    options: &Options,
    memo: Option<Memo<'_>>,
    outcome: Outcome,
) -> Outcome {
    let Some(fetcher) = sources.fetcher else {
        return outcome;
    };
    if outcome.is_valid()
        || !outcome
            .errors
            .iter()
            .any(|c| c.rule == crate::verdict::Rule::NoPath)
    {
        return outcome;
    }
    let mut pool = sources.pool.clone();
    let mut frontier = vec![Arc::clone(target)];
    let mut added = 0usize;
    let mut fetches = 0usize;
    for _ in 0..options.limits.max_path_depth {
        let Some(cert) = frontier.pop() else { break };
        if cert.is_self_issued() || !sources.anchors.issuers_of(&cert).is_empty() {
            continue;
        }
        for got in fetcher.issuers(&cert) {
            fetches += 1;
            if fetches > options.limits.max_fetches {
                break;
            }
            let Ok(bytes) = got.bytes else { continue };
            for issuer in issuer_certificates(&bytes, &options.limits) {
                if issuer.subject.matches(&cert.issuer) && pool.add(Arc::clone(&issuer)) {
                    added += 1;
                    frontier.push(issuer);
                }
            }
        }
    }
    if added == 0 {
        return outcome;
    }
    let retry = Sources {
        pool: &pool,
        ..sources
    };
    engine::Engine::new(retry, options, memo).run(target, options, 0, None)
}

/// The certificates a caIssuers URL gave: DER or PEM certificates, or a PKCS#7 certs-only
/// SignedData (RFC 5280 §4.2.2.1).
fn issuer_certificates(bytes: &[u8], limits: &crate::Limits) -> Vec<Arc<Certificate>> {
    if let Ok(certs) = crate::x509::certificates_from_bytes(bytes, "caIssuers", limits) {
        return certs.into_iter().map(Arc::new).collect();
    }
    crate::document::cms::parse(bytes, limits)
        .map(|sd| sd.certificates)
        .unwrap_or_default()
}
