//! Verify: one signed document → a report per signer. Owns the orchestration of the stages
//! for documents: parse the CMS SignedData, digest the content in one streamed pass, check
//! each signer's signed attributes and signature, validate its certificate path (the
//! SignedData's certificates and CRLs join the pool and CRL set), and map every outcome to an
//! ETSI EN 319 102-1 indication. The document's indication is the worst of its signers'.

use crate::cache::{CacheLimits, CacheStats, Caches};
use crate::cms::{self, CheckStatus, CmsError, CmsLimits, SignedData, SignerInfo};
use crate::crypto::DigestAlgorithm;
use crate::parse::{format_time, Certificate, Crl, UnixTime};
use crate::path::{AnchorSet, CertPool};
use crate::recognition::{self, Recognition, RecognitionStatus};
use crate::report::{Indication, SubIndication};
use crate::trust::{Jurisdiction, TrustStores};
use crate::validate::{self, KeyUsageRequirement, Options, Sources};
use serde::Serialize;
use std::io::Read;
use std::sync::Arc;

/// Why a document could not be verified at all (as opposed to verifying as invalid).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The document is not a SignedData sigbridge can read.
    #[error("{0}")]
    Cms(#[from] CmsError),
    /// The detached content could not be read.
    #[error("cannot read the detached content: {0}")]
    Content(#[from] std::io::Error),
    /// An S/MIME message could not be read.
    #[error("S/MIME: {0}")]
    Smime(#[from] crate::smime::SmimeError),
    /// The signed document could not be read from its reader.
    #[error("cannot read the signed document: {0}")]
    Document(std::io::Error),
    /// Detached content a signer without signed attributes signs directly (so it must be held
    /// in memory) is larger than `Limits::max_file_size`.
    #[error("the detached content exceeds {limit} bytes (Limits::max_file_size) and a signer without signed attributes needs it in memory")]
    ContentTooLarge {
        /// The limit.
        limit: usize,
    },
    /// The signed document is larger than `Limits::max_file_size`.
    #[error("the signed document exceeds {limit} bytes (Limits::max_file_size)")]
    DocumentTooLarge {
        /// The limit.
        limit: usize,
    },
}

/// Who signed, as the certificate says.
#[derive(Clone, Debug, Serialize)]
pub struct SignerIdentity {
    /// Subject DN.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
    /// SHA-256 of the certificate, hex.
    pub sha256: String,
}

/// One certificate of a chain in the report.
#[derive(Clone, Debug, Serialize)]
pub struct ChainEntry {
    /// Subject DN.
    pub subject: String,
    /// SHA-256, hex.
    pub sha256: String,
}

/// One rule that ran on a signer.
#[derive(Clone, Debug, Serialize)]
pub struct RuleCheck {
    /// Stable id, e.g. `message-digest`, `signature`, `rfc5280.validity`.
    pub id: String,
    /// `passed`, `failed` or `skipped`.
    pub status: &'static str,
    /// What happened.
    pub message: String,
}

/// The verdict on one signer.
#[derive(Clone, Debug, Serialize)]
pub struct SignerReport {
    /// ETSI main indication.
    pub indication: Indication,
    /// ETSI sub-indication, when not passed.
    pub sub_indication: Option<SubIndication>,
    /// The signer's certificate, when found.
    pub signer: Option<SignerIdentity>,
    /// signingTime as claimed by the signer (not trusted).
    pub claimed_signing_time: Option<String>,
    /// Digest algorithm name.
    pub digest_algorithm: String,
    /// Signature algorithm, as verified (or the OID when it did not verify).
    pub signature_algorithm: String,
    /// The certificate chain, anchor first.
    pub chain: Vec<ChainEntry>,
    /// The store the anchor came from.
    pub anchor_store: Option<String>,
    /// Revocation status of each certificate below the anchor.
    pub revocation: Vec<validate::RevocationEntry>,
    /// Every rule run: signature-level checks, then path failures and warnings.
    pub checks: Vec<RuleCheck>,
    /// Weak algorithms accepted (signature and chain).
    pub weak_algorithms_accepted: Vec<String>,
    /// Counter-signatures found on this signer (reported, not judged).
    pub counter_signatures: usize,
    /// Recognition in Hong Kong and in Guangdong (null without trust lists).
    pub recognition: Option<RecognitionPair>,
    /// The validated path (for recognition), anchor first; not serialised.
    #[serde(skip)]
    pub path: Vec<Arc<Certificate>>,
    /// The user-constrained policy set of the path; not serialised.
    #[serde(skip)]
    pub user_constrained_policy_set: Vec<crate::parse::Oid>,
}

/// Both jurisdictions' answers for one signer.
#[derive(Clone, Debug, Serialize)]
pub struct RecognitionPair {
    /// As a Hong Kong relying party sees it.
    pub hk: Recognition,
    /// As a Guangdong relying party sees it.
    pub gd: Recognition,
}

impl RecognitionPair {
    /// The answer for one jurisdiction.
    pub fn get(&self, j: Jurisdiction) -> &Recognition {
        match j {
            Jurisdiction::Hk => &self.hk,
            Jurisdiction::Gd => &self.gd,
        }
    }
}

/// The verdict on one document.
#[derive(Clone, Debug, Serialize)]
pub struct DocumentReport {
    /// `sigbridge-report/1`.
    pub format: &'static str,
    /// The validation time, RFC 3339.
    pub validation_time: String,
    /// The jurisdiction the indication is for (`--for`, else the one whose list holds the
    /// first signer's anchor; null for anchors given on the command line).
    pub relying_party: Option<Jurisdiction>,
    /// Worst of the signers' indications.
    pub indication: Indication,
    /// Sub-indication of the worst signer.
    pub sub_indication: Option<SubIndication>,
    /// eContentType, dotted.
    pub content_type: String,
    /// True when the content was supplied separately.
    pub detached: bool,
    /// One per SignerInfo, in order.
    pub signers: Vec<SignerReport>,
}

/// A verifier built once and reused: anchors, an extra certificate pool, extra CRLs and the
/// validation options, plus the caches every clone shares ([`crate::cache`]). It is
/// `Send + Sync`: one verifier serves every thread of a platform.
///
/// ```
/// use sigbridge::{parse::parse_time, trust::TrustStores, verify::Verifier, Limits};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let stores = TrustStores::load_dir("fixtures/trust-stores".as_ref(), &Limits::default())?;
/// let at = parse_time("2026-12-01T00:00:00Z").ok_or("bad time")?;
/// let verifier = Verifier::with_trust_stores(stores, vec![], at);
/// // From bytes (an upload, a database row …): no file system needed.
/// let document = std::fs::read("fixtures/docs/hk-mr-personal.p7m")?;
/// let report = verifier.verify(&document, None)?;
/// assert_eq!(report.indication.to_string(), "TOTAL_PASSED");
/// // A detached signature, its content streamed from any reader.
/// let signature = std::fs::read("fixtures/docs/hk-mr-personal.p7s")?;
/// let content = std::fs::File::open("fixtures/docs/contract.txt")?;
/// let report = verifier.verify_detached(&signature, content)?;
/// assert_eq!(report.indication.to_string(), "TOTAL_PASSED");
/// // The second document reused the CA sub-path validated for the first.
/// assert!(verifier.cache_stats().sub_paths.hits >= 1);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Verifier {
    /// Trust anchors, tagged with their stores.
    pub anchors: AnchorSet,
    /// Extra untrusted certificates (besides those in each document).
    pub pool: CertPool,
    /// Extra CRLs (besides those in each document).
    pub crls: Vec<Arc<Crl>>,
    /// Validation options; the end-entity key usage defaults to a document signer's.
    pub options: Options,
    /// The HK and GD trust lists, for recognition (anchors must also be in `anchors`).
    pub stores: Option<TrustStores>,
    /// Anchors given directly (domestic for either jurisdiction), by SHA-256.
    pub extra_domestic: Vec<[u8; 32]>,
    /// The relying party whose verdict sets the indication (`None`: the anchor's jurisdiction).
    pub relying_party: Option<Jurisdiction>,
    /// Caches shared by every clone of this verifier (see [`crate::cache`]).
    pub caches: Arc<Caches>,
}

impl Verifier {
    /// A verifier at `time` with document-signer key usage.
    pub fn new(anchors: AnchorSet, time: UnixTime) -> Verifier {
        let mut options = Options::at(time);
        options.key_usage = KeyUsageRequirement::document_signer();
        Verifier {
            anchors,
            pool: CertPool::new(),
            crls: Vec::new(),
            options,
            stores: None,
            extra_domestic: Vec::new(),
            relying_party: None,
            caches: Arc::new(Caches::default()),
        }
    }

    /// Replaces the caches with empty ones of these bounds ([`CacheLimits::disabled`]: none).
    pub fn with_cache_limits(mut self, limits: CacheLimits) -> Verifier {
        self.caches = Arc::new(Caches::new(limits));
        self
    }

    /// Hits, misses and sizes of the caches since they were made or cleared.
    pub fn cache_stats(&self) -> CacheStats {
        self.caches.stats()
    }

    /// Empties the caches (every clone shares them) and resets their counters.
    pub fn clear_caches(&self) {
        self.caches.clear();
    }

    /// A verifier over the HK and GD trust lists (their anchors tagged `hk` / `gd`) plus
    /// anchors given directly (tagged `command-line`, domestic for either side).
    pub fn with_trust_stores(
        stores: TrustStores,
        extra_anchors: Vec<Arc<Certificate>>,
        time: UnixTime,
    ) -> Verifier {
        let mut anchors = AnchorSet::new();
        let mut extra_domestic = Vec::new();
        for c in extra_anchors {
            extra_domestic.push(c.sha256);
            anchors.add(c, "command-line");
        }
        for (j, c) in stores.anchors() {
            anchors.add(Arc::clone(c), j.folder());
        }
        let mut v = Verifier::new(anchors, time);
        v.stores = Some(stores);
        v.extra_domestic = extra_domestic;
        v
    }

    /// Verifies a signed document read from `document` (at most `Limits::max_file_size`
    /// bytes; detached content, which may be of any size, is streamed from `detached`).
    pub fn verify_reader(
        &self,
        document: impl Read,
        detached: Option<&mut dyn Read>,
    ) -> Result<DocumentReport, VerifyError> {
        let limit = self.options.limits.max_file_size;
        let mut bytes = Vec::new();
        document
            .take((limit as u64).saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(VerifyError::Document)?;
        if bytes.len() > limit {
            return Err(VerifyError::DocumentTooLarge { limit });
        }
        self.verify(&bytes, detached)
    }

    /// Verifies a detached signature (`.p7s` bytes) over content streamed from `content`.
    pub fn verify_detached(
        &self,
        signature: &[u8],
        mut content: impl Read,
    ) -> Result<DocumentReport, VerifyError> {
        self.verify(signature, Some(&mut content))
    }

    /// Verifies a signed document: an S/MIME message (.eml) or a CMS SignedData (DER, BER or
    /// PEM). `detached` supplies the content when the SignedData does not carry it; it is
    /// read once, as a stream.
    pub fn verify(
        &self,
        document: &[u8],
        detached: Option<&mut dyn Read>,
    ) -> Result<DocumentReport, VerifyError> {
        // An S/MIME message carries the SignedData (and, for multipart/signed, the content).
        if crate::smime::looks_like_mime(document) {
            let limits = crate::smime::SmimeLimits::from_limits(&self.options.limits);
            let message = crate::smime::parse(document, &limits)?;
            return match message.detached_content() {
                Some(content) => {
                    let mut reader = content;
                    self.verify_cms(message.cms_bytes(), Some(&mut reader))
                }
                None => self.verify_cms(message.cms_bytes(), detached),
            };
        }
        self.verify_cms(document, detached)
    }

    /// Verifies a CMS SignedData (DER, BER or PEM), without MIME detection.
    pub fn verify_cms(
        &self,
        document: &[u8],
        detached: Option<&mut dyn Read>,
    ) -> Result<DocumentReport, VerifyError> {
        let limits = CmsLimits::from_limits(&self.options.limits);
        let sd = cms::parse_cached(document, &limits, &self.caches)?;
        let algorithms: Vec<DigestAlgorithm> = {
            let mut v: Vec<DigestAlgorithm> = Vec::new();
            for s in &sd.signers {
                if let Some(a) = DigestAlgorithm::from_oid(&s.digest_algorithm.oid) {
                    if !v.contains(&a) {
                        v.push(a);
                    }
                }
            }
            v
        };
        // Detached content is streamed through the digests. A signer without signed
        // attributes signs the content itself: RSA, ECDSA and DSA are checked over the
        // streamed digest; only SM2 and Ed25519 (which hash more than the content, or hash
        // internally) need the content kept in memory, bounded by Limits::max_file_size.
        let needs_content = sd.signers.iter().any(|s| {
            s.signed_attrs.is_none()
                && !DigestAlgorithm::from_oid(&s.digest_algorithm.oid)
                    .is_some_and(|d| crate::crypto::can_verify_prehashed(&s.signature_algorithm, d))
        });
        let mut kept: Option<Vec<u8>> = None;
        let is_detached = sd.content.is_none();
        let digests = match (&sd.content, detached) {
            (Some(c), _) => cms::digest_bytes(c, &algorithms),
            (None, Some(reader)) if needs_content => {
                // A signer without signed attributes signs the content itself: it is kept in
                // memory, so it is bounded like a document.
                let limit = self.options.limits.max_file_size;
                let mut buf = Vec::new();
                reader
                    .take((limit as u64).saturating_add(1))
                    .read_to_end(&mut buf)?;
                if buf.len() > limit {
                    return Err(VerifyError::ContentTooLarge { limit });
                }
                let d = cms::digest_bytes(&buf, &algorithms);
                kept = Some(buf);
                d
            }
            (None, Some(reader)) => cms::digest_content(reader, &algorithms)?,
            (None, None) => Vec::new(),
        };
        let mut pool = self.pool.clone();
        for c in &sd.certificates {
            pool.add(Arc::clone(c));
        }
        let mut crls = self.crls.clone();
        crls.extend(sd.crls.iter().cloned());
        let content_given = !is_detached || kept.is_some() || !digests.is_empty();
        let mut signers: Vec<SignerReport> = Vec::new();
        for signer in &sd.signers {
            signers.push(self.verify_signer(
                &sd,
                signer,
                &digests,
                kept.as_deref(),
                content_given,
                &pool,
                &crls,
            ));
        }
        let relying_party = self.relying_party.or_else(|| {
            signers
                .first()
                .and_then(|s| s.anchor_store.as_deref())
                .and_then(|st| match st {
                    "hk" => Some(Jurisdiction::Hk),
                    "gd" => Some(Jurisdiction::Gd),
                    _ => None,
                })
        });
        if let Some(rp) = relying_party {
            for s in &mut signers {
                let recognised = s
                    .recognition
                    .as_ref()
                    .map(|r| r.get(rp).status != RecognitionStatus::NotRecognised);
                if s.indication == Indication::TotalPassed && recognised == Some(false) {
                    s.indication = Indication::Indeterminate;
                    s.sub_indication = Some(SubIndication::ChainConstraintsFailure);
                    s.checks.push(RuleCheck {
                        id: "recognition".into(),
                        status: "failed",
                        message: format!("the signer's certificate is not recognised in {rp}"),
                    });
                }
            }
        }
        let (indication, sub_indication) = if signers.is_empty() {
            (
                Indication::Indeterminate,
                Some(SubIndication::FormatFailure),
            )
        } else {
            worst(&signers)
        };
        Ok(DocumentReport {
            format: "sigbridge-report/1",
            relying_party,
            validation_time: format_time(self.options.time),
            indication,
            sub_indication,
            content_type: sd.content_type.to_string(),
            detached: is_detached,
            signers,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn verify_signer(
        &self,
        sd: &SignedData,
        signer: &SignerInfo,
        digests: &[(DigestAlgorithm, Vec<u8>)],
        kept: Option<&[u8]>,
        content_given: bool,
        pool: &CertPool,
        crls: &[Arc<Crl>],
    ) -> SignerReport {
        let digest_alg = DigestAlgorithm::from_oid(&signer.digest_algorithm.oid);
        let mut report = SignerReport {
            indication: Indication::TotalPassed,
            sub_indication: None,
            signer: None,
            claimed_signing_time: signer
                .signed_attrs
                .as_ref()
                .and_then(|a| a.signing_time)
                .map(format_time),
            digest_algorithm: digest_alg
                .map(|d| d.name().to_string())
                .unwrap_or_else(|| signer.digest_algorithm.oid.to_string()),
            signature_algorithm: signer.signature_algorithm.oid.to_string(),
            chain: Vec::new(),
            anchor_store: None,
            revocation: Vec::new(),
            checks: Vec::new(),
            weak_algorithms_accepted: Vec::new(),
            counter_signatures: signer.counter_signatures.len(),
            recognition: None,
            path: Vec::new(),
            user_constrained_policy_set: Vec::new(),
        };
        let candidates: Vec<Arc<Certificate>> = pool.iter().cloned().collect();
        let Some(cert) = cms::find_signer_certificate(signer, &candidates) else {
            report.indication = Indication::Indeterminate;
            report.sub_indication = Some(SubIndication::NoSigningCertificateFound);
            report.checks.push(RuleCheck {
                id: "signer-certificate".into(),
                status: "failed",
                message: "the signer's certificate is neither in the document nor among the supplied certificates".into(),
            });
            return report;
        };
        report.signer = Some(SignerIdentity {
            subject: cert.subject.to_string(),
            issuer: cert.issuer.to_string(),
            serial: cert.serial_hex(),
            sha256: cert.fingerprint(),
        });
        if !content_given {
            report.indication = Indication::Indeterminate;
            report.sub_indication = Some(SubIndication::FormatFailure);
            report.checks.push(RuleCheck {
                id: "content".into(),
                status: "failed",
                message:
                    "the signature is detached and no content was supplied (give it with --content)"
                        .into(),
            });
            return report;
        }
        let digest = digest_alg
            .and_then(|a| digests.iter().find(|(d, _)| *d == a))
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let anchors: Vec<Arc<Certificate>> =
            self.anchors.iter().map(|a| Arc::clone(&a.cert)).collect();
        let issuers: Vec<Arc<Certificate>> = candidates.iter().cloned().chain(anchors).collect();
        let inputs = cms::SignerInputs {
            detached_content: kept,
            content_digested: content_given && kept.is_none() && sd.content.is_none(),
            issuer_candidates: &issuers,
        };
        let check = cms::verify_signer_with(
            sd,
            signer,
            &cert,
            &digest,
            &self.options.algorithms,
            &inputs,
        );
        if let Some(a) = &check.algorithm {
            report.signature_algorithm = a.clone();
        }
        report
            .weak_algorithms_accepted
            .extend(check.weaknesses.iter().map(|w| format!("signature: {w}")));
        let mut failed: Option<(Indication, SubIndication)> = None;
        for c in &check.checks {
            report.checks.push(RuleCheck {
                id: c.id.to_string(),
                status: match c.status {
                    CheckStatus::Passed => "passed",
                    CheckStatus::Failed => "failed",
                    CheckStatus::Skipped => "skipped",
                },
                message: c.message.clone(),
            });
            if c.status == CheckStatus::Failed && failed.is_none() {
                failed = Some(match c.id {
                    "message-digest" => (Indication::TotalFailed, SubIndication::HashFailure),
                    "signature"
                        if c.message.contains("policy") || c.message.contains("unsupported") =>
                    {
                        (
                            Indication::Indeterminate,
                            SubIndication::CryptoConstraintsFailure,
                        )
                    }
                    "signature" => (Indication::TotalFailed, SubIndication::SigCryptoFailure),
                    "digest-algorithm" => (
                        Indication::Indeterminate,
                        SubIndication::CryptoConstraintsFailure,
                    ),
                    _ => (Indication::TotalFailed, SubIndication::FormatFailure),
                });
            }
        }
        // The certificate path, with the document's certificates and CRLs.
        let outcome = validate::validate_cached(
            &cert,
            Sources {
                pool,
                anchors: &self.anchors,
                crls,
            },
            &self.options,
            &self.caches,
        );
        report.chain = outcome
            .path
            .iter()
            .map(|c| ChainEntry {
                subject: c.label(),
                sha256: c.fingerprint(),
            })
            .collect();
        report.anchor_store = outcome.anchor_store.clone();
        report.revocation = outcome.revocation.clone();
        report.weak_algorithms_accepted.extend(
            outcome
                .weaknesses
                .iter()
                .map(|w| format!("{}: {}", w.object, w.weakness)),
        );
        report.user_constrained_policy_set = outcome.user_constrained_policy_set.clone();
        report.path = outcome.path.clone();
        if outcome.is_valid() {
            report.checks.push(RuleCheck {
                id: "certificate-path".into(),
                status: "passed",
                message: format!(
                    "the certificate chains to a trust anchor ({})",
                    outcome.anchor_store.clone().unwrap_or_default()
                ),
            });
        }
        for e in &outcome.errors {
            report.checks.push(RuleCheck {
                id: e.rule.id().to_string(),
                status: "failed",
                message: match &e.certificate {
                    Some(c) => format!("{c}: {}", e.message),
                    None => e.message.clone(),
                },
            });
        }
        for w in &outcome.warnings {
            report.checks.push(RuleCheck {
                id: w.rule.id().to_string(),
                status: "skipped",
                message: w.message.clone(),
            });
        }
        if let Some(stores) = &self.stores {
            let judge = |j: Jurisdiction| {
                if outcome.is_valid() {
                    recognition::recognise(
                        j,
                        &outcome.path,
                        &self.extra_domestic,
                        stores,
                        self.options.time,
                        &outcome.user_constrained_policy_set,
                        None,
                    )
                } else {
                    Recognition {
                        relying_party: j,
                        status: RecognitionStatus::NotRecognised,
                        matched_entry: None,
                        failed_conditions: vec![recognition::Condition {
                            id: "path",
                            message: "the certificate path is not valid, so the certificate is recognised nowhere".into(),
                        }],
                    }
                }
            };
            report.recognition = Some(RecognitionPair {
                hk: judge(Jurisdiction::Hk),
                gd: judge(Jurisdiction::Gd),
            });
        }
        let path_verdict = (!outcome.is_valid()).then(|| {
            (
                outcome.indication,
                outcome
                    .sub_indication
                    .unwrap_or(SubIndication::ChainConstraintsFailure),
            )
        });
        // Signature-level failures weigh first; then the chain.
        let verdict = match (failed, path_verdict) {
            (Some(a), Some(b)) => Some(if b.0 > a.0 { b } else { a }),
            (a, b) => a.or(b),
        };
        if let Some((i, s)) = verdict {
            report.indication = i;
            report.sub_indication = Some(s);
        }
        report
    }
}

/// Worst indication (TOTAL_FAILED > INDETERMINATE > TOTAL_PASSED); ties keep the first signer's sub-indication.
pub fn worst(signers: &[SignerReport]) -> (Indication, Option<SubIndication>) {
    let mut best = (Indication::TotalPassed, None);
    for s in signers {
        if s.indication > best.0 {
            best = (s.indication, s.sub_indication);
        }
    }
    best
}
