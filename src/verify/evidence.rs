//! What a signed document carries for long-term validation, gathered once per document:
//! the SignedData's CRLs and OCSP responses (RFC 5940), each signer's CAdES certificate and
//! revocation values, and its timestamp tokens decoded; and, for the report, which
//! revocation data came from the document (the rest was given as files).

use super::caches::Caches;
use super::signer::Stamps;
use super::timestamp::carried_ocsp;
use crate::crypto::DigestAlgorithm;
use crate::document::cms::{self, SignedData};
use crate::document::timestamp::TimestampToken;
use crate::report::document::SignerReport;
use crate::revocation::ocsp::OcspResponse;
use crate::revocation::DataOrigin;
use crate::validate::RevocationEntry;
use crate::x509::{Certificate, Crl};
use std::collections::HashSet;
use std::sync::Arc;

/// A document's long-term evidence.
pub(super) struct Evidence {
    /// Certificates from certificate-values attributes.
    pub(super) certificates: Vec<Arc<Certificate>>,
    /// The SignedData's CRLs and those of revocation-values attributes.
    pub(super) crls: Vec<Arc<Crl>>,
    /// The SignedData's OCSP responses and those of revocation-values attributes.
    pub(super) ocsp: Vec<Arc<OcspResponse>>,
    /// Each signer's timestamp tokens, in signer order.
    pub(super) stamps: Vec<Stamps>,
    /// SHA-256 of every CRL and OCSP response the document carries (its timestamp tokens'
    /// included).
    document: HashSet<String>,
}

impl Evidence {
    /// What `sd` carries. Values that do not decode are left out. Timestamp tokens and
    /// OCSP responses come from `cache` when they were parsed before (same bytes, same
    /// limits).
    pub(super) fn of(sd: &SignedData, limits: &crate::Limits, caches: &Caches) -> Evidence {
        let cache = &caches.evidence;
        let key = cache.limits_key(limits);
        let mut out = Evidence {
            certificates: Vec::new(),
            crls: sd.crls.clone(),
            ocsp: carried_ocsp(&sd.other_revocation, limits, caches, &key),
            stamps: Vec::new(),
            document: HashSet::new(),
        };
        for si in &sd.signers {
            let ev = cms::evidence(si, limits);
            out.certificates.extend(
                ev.certificates
                    .iter()
                    .filter_map(|der| Certificate::from_der(der).ok())
                    .map(Arc::new),
            );
            out.crls.extend(
                ev.crls
                    .iter()
                    .filter_map(|der| Crl::from_der(der, limits.max_crl_entries).ok())
                    .map(Arc::new),
            );
            out.ocsp.extend(ev.basic_ocsp.iter().filter_map(|der| {
                cache
                    .basic_response(der, limits, &key, &caches.objects)
                    .ok()
            }));
            let decode = |v: &Vec<Vec<u8>>| {
                v.iter()
                    .map(|der| cache.token(der, limits, &key, &caches.objects))
                    .collect::<Vec<_>>()
            };
            out.stamps.push(Stamps {
                signature: decode(&ev.signature_timestamps),
                content: decode(&ev.content_timestamps),
            });
        }
        out.document
            .extend(out.crls.iter().map(|c| c.fingerprint()));
        out.document
            .extend(out.ocsp.iter().map(|r| r.fingerprint()));
        for token in out
            .stamps
            .iter()
            .flat_map(|s| s.signature.iter().chain(&s.content))
            .flatten()
        {
            let tsd = &token.signed_data;
            out.document
                .extend(tsd.crls.iter().map(|c| c.fingerprint()));
            out.document.extend(
                carried_ocsp(&tsd.other_revocation, limits, caches, &key)
                    .iter()
                    .map(|r| r.fingerprint()),
            );
        }
        out
    }

    /// The imprint algorithms of the content timestamps (the content is digested with them
    /// in the same pass as the signers' algorithms).
    pub(super) fn content_timestamp_algorithms(&self) -> Vec<DigestAlgorithm> {
        let mut v = Vec::new();
        for t in self.stamps.iter().flat_map(|s| &s.content).flatten() {
            if let Some(a) = t.imprint_algorithm() {
                if !v.contains(&a) {
                    v.push(a);
                }
            }
        }
        v
    }

    /// Revocation data given to the validations is `document` when the document carries
    /// it, else `file`.
    pub(super) fn refine_origins(&self, r: &mut SignerReport) {
        let refine = |entries: &mut Vec<RevocationEntry>| {
            for s in entries.iter_mut().flat_map(|e| e.sources.iter_mut()) {
                if s.origin == DataOrigin::Supplied {
                    s.origin = if self.document.contains(&s.sha256) {
                        DataOrigin::Document
                    } else {
                        DataOrigin::File
                    };
                }
            }
        };
        refine(&mut r.revocation);
        for t in &mut r.timestamps {
            refine(&mut t.revocation);
        }
    }
}

/// For a token verified on its own: the revocation data it carries is `document`, the rest
/// `file`.
pub(super) fn refine_timestamp_origins(
    report: &mut crate::report::timestamp::TimestampReport,
    token: &TimestampToken,
    limits: &crate::Limits,
    caches: &Caches,
) {
    let sd = &token.signed_data;
    let mut carried: HashSet<String> = sd.crls.iter().map(|c| c.fingerprint()).collect();
    carried.extend(
        carried_ocsp(
            &sd.other_revocation,
            limits,
            caches,
            &caches.evidence.limits_key(limits),
        )
        .iter()
        .map(|r| r.fingerprint()),
    );
    for s in report
        .revocation
        .iter_mut()
        .flat_map(|e| e.sources.iter_mut())
    {
        if s.origin == DataOrigin::Supplied {
            s.origin = if carried.contains(&s.sha256) {
                DataOrigin::Document
            } else {
                DataOrigin::File
            };
        }
    }
}
