//! One signer of a document: find its certificate, validate the certificate path, check the
//! signer (with the DSA parameters the path hands down), judge recognition, and take the
//! verdict of every check from [`crate::verdict`].

use super::caches::Caches;
use super::{digest_algorithms, Settings, VerifyError};
use crate::asn1::format_time;
use crate::crypto::{self, DigestAlgorithm};
use crate::document::cms::{self, SignedData, SignerInfo};
use crate::document::timestamp::{TimestampError, TimestampToken};
use crate::path::CertPool;
use crate::recognition::{self, Condition, Recognition, RecognitionStatus};
use crate::report::document::{ChainEntry, RecognitionPair, SignerIdentity, SignerReport};
use crate::revocation::ocsp::OcspResponse;
use crate::trust::Jurisdiction;
use crate::validate::{self, Options, Outcome, Sources};
use crate::verdict::{Check, Indication, Rule, Status, Verdict};
use crate::x509::{Certificate, Crl};
use std::borrow::Cow;
use std::io::Read;
use std::sync::Arc;

/// The content as the signers need it: its digests, and the bytes themselves when a signer
/// without signed attributes must verify over them.
pub(super) struct Content {
    digests: Vec<(DigestAlgorithm, Vec<u8>)>,
    /// Detached content held in memory (bounded by `Limits::max_file_size`).
    kept: Option<Vec<u8>>,
    /// True when there is content: carried by the document or given.
    supplied: bool,
    /// True when detached content was streamed through the digests without being kept.
    streamed: bool,
    /// The algorithm of the only digest known, when the caller gave the digest instead of
    /// the content.
    digest_only: Option<DigestAlgorithm>,
}

impl Content {
    /// Content the document carries.
    pub(super) fn digest(sd: &SignedData, carried: &[u8], extra: &[DigestAlgorithm]) -> Content {
        Content {
            digests: cms::digest_bytes(carried, &digest_algorithms(sd, extra)),
            kept: None,
            supplied: true,
            streamed: false,
            digest_only: None,
        }
    }

    /// Detached content known by its digest alone (its length checked by the caller).
    pub(super) fn given_digest(d: super::ContentDigest) -> Content {
        Content {
            digests: vec![(d.algorithm, d.value)],
            kept: None,
            supplied: true,
            streamed: true,
            digest_only: Some(d.algorithm),
        }
    }

    /// Detached content, streamed once. A signer without signed attributes signs the content
    /// itself: RSA, ECDSA and DSA are checked over the streamed digest; only SM2 and Ed25519
    /// (which hash more than the content, or hash internally) need it kept in memory,
    /// bounded by `limit`.
    pub(super) fn read(
        sd: &SignedData,
        reader: &mut dyn Read,
        limit: usize,
        extra: &[DigestAlgorithm],
    ) -> Result<Content, VerifyError> {
        let algorithms = digest_algorithms(sd, extra);
        let needs_bytes = sd.signers.iter().any(|s| {
            s.signed_attrs.is_none()
                && !DigestAlgorithm::from_oid(&s.digest_algorithm.oid)
                    .is_some_and(|d| crypto::can_verify_prehashed(&s.signature_algorithm, d))
        });
        if !needs_bytes {
            return Ok(Content {
                digests: cms::digest_content(reader, &algorithms)?,
                kept: None,
                supplied: true,
                streamed: true,
                digest_only: None,
            });
        }
        let mut buf = Vec::new();
        reader
            .take((limit as u64).saturating_add(1))
            .read_to_end(&mut buf)?;
        if buf.len() > limit {
            return Err(VerifyError::ContentTooLarge { limit });
        }
        Ok(Content {
            digests: cms::digest_bytes(&buf, &algorithms),
            kept: Some(buf),
            supplied: true,
            streamed: false,
            digest_only: None,
        })
    }

    /// No content: a detached signature given alone.
    pub(super) fn missing() -> Content {
        Content {
            digests: Vec::new(),
            kept: None,
            supplied: false,
            streamed: false,
            digest_only: None,
        }
    }

    pub(super) fn digest_for(&self, alg: Option<DigestAlgorithm>) -> &[u8] {
        alg.and_then(|a| self.digests.iter().find(|(d, _)| *d == a))
            .map(|(_, v)| v.as_slice())
            .unwrap_or_default()
    }
}

/// Everything the signers of one document share.
pub(super) struct Job<'a> {
    pub(super) settings: &'a Settings,
    pub(super) caches: &'a Caches,
    pub(super) sd: &'a SignedData,
    pub(super) content: &'a Content,
    /// Content given separately compared with the content the document carries.
    pub(super) content_check: Option<&'a Check>,
    pub(super) pool: &'a CertPool,
    pub(super) crls: &'a [Arc<Crl>],
    pub(super) ocsp: &'a [Arc<OcspResponse>],
    pub(super) options: &'a Options,
}

/// The timestamp tokens of one signer, decoded (or why not).
#[derive(Default)]
pub(super) struct Stamps {
    pub(super) signature: Vec<Result<Arc<TimestampToken>, TimestampError>>,
    pub(super) content: Vec<Result<Arc<TimestampToken>, TimestampError>>,
}

impl Job<'_> {
    /// The sources every validation of this document draws on.
    pub(super) fn sources(&self) -> Sources<'_> {
        Sources::new(self.pool, &self.settings.anchors, self.crls)
            .ocsp(self.ocsp)
            .fetcher(self.settings.fetcher.as_deref())
    }

    /// The report on one SignerInfo.
    pub(super) fn signer(&self, si: &SignerInfo, stamps: &Stamps) -> SignerReport {
        let mut r = blank_report(si);
        let Some(cert) = cms::find_signer_certificate(si, self.pool.iter()) else {
            r.checks.push(Check::failed(
                Rule::SignerCertificate,
                "the signer's certificate is neither in the document nor among the supplied certificates",
            ));
            return finish(r);
        };
        r.signer = Some(SignerIdentity::of(&cert));
        r.checks.extend(self.content_check.cloned());
        if !self.content.supplied {
            r.checks.push(Check::failed(
                Rule::ContentSupplied,
                "the signature is detached and no content was supplied (give it with --content)",
            ));
            return finish(r);
        }
        if let Some(failed) = self.digest_only_failure(si) {
            r.checks.push(failed);
            return finish(r);
        }
        let now = self.caches.validate(&cert, self.sources(), self.options);
        let signature_weaknesses = self.check_signer(&mut r, si, &cert, &now);
        let timestamps = self.timestamps(si, stamps);
        let past = |t| {
            let mut o = self.options.clone();
            o.time = t;
            o.past_validation = true;
            self.caches.validate(&cert, self.sources(), &o)
        };
        let j = super::ltv::judge(&cert, now, &timestamps, self.options.time, past);
        let mut weaknesses: Vec<(String, crate::crypto::Weakness)> = signature_weaknesses
            .into_iter()
            .map(|w| ("the signature".to_owned(), w))
            .collect();
        weaknesses.extend(
            j.outcome
                .weaknesses
                .iter()
                .map(|a| (a.object.clone(), a.weakness.clone())),
        );
        r.checks.extend(super::ltv::sunsets(
            &weaknesses,
            &self.options.algorithms,
            self.options.time,
            &j.best,
            j.best_time,
        ));
        r.timestamps = timestamps;
        r.best_signature_time = Some(j.best.clone());
        r.validity_model = Some(self.options.validity_model);
        // Order and POE checks first: on a tie between indeterminate findings, the verdict
        // names the first (a timestamp before notBefore is a TIMESTAMP_ORDER_FAILURE).
        let mut path_checks = j.ltv_checks;
        path_checks.extend(j.checks);
        add_path_with(&mut r, &j.outcome, path_checks);
        add_deviations(&mut r, &cert, &j.outcome);
        r.checks.extend(self.missing_anchor(&cert, &j.outcome));
        r.recognition = self.recognition(&j.outcome, j.best_time);
        finish(r)
    }

    /// When only the content's digest was given: why this signer cannot be checked from it
    /// (another digest algorithm, or a signature over the content itself), if it cannot.
    fn digest_only_failure(&self, si: &SignerInfo) -> Option<Check> {
        let given = self.content.digest_only?;
        let own = DigestAlgorithm::from_oid(&si.digest_algorithm.oid);
        if own != Some(given) {
            let own = own
                .map(|d| d.name().to_string())
                .unwrap_or_else(|| si.digest_algorithm.oid.to_string());
            return Some(Check::failed(
                Rule::ContentDigest,
                format!(
                    "the content was given as its {} digest, but this signer digests the content with {own}: give the content, or its {own} digest",
                    given.name()
                ),
            ));
        }
        if si.signed_attrs.is_none()
            && !crypto::can_verify_prehashed(&si.signature_algorithm, given)
        {
            return Some(Check::failed(
                Rule::ContentDigest,
                format!(
                    "this signer has no signed attributes, so its signature ({}) is over the content itself, which a digest cannot replace: give the content",
                    si.signature_algorithm.oid
                ),
            ));
        }
        None
    }

    /// The signed-document checks of RFC 5652 and the signature value; the weak choices
    /// of the signature.
    fn check_signer(
        &self,
        r: &mut SignerReport,
        si: &SignerInfo,
        cert: &Certificate,
        outcome: &Outcome,
    ) -> Vec<crate::crypto::Weakness> {
        let inherited = if outcome.is_valid() {
            validate::inherited_key_params(&outcome.path)
        } else {
            None
        };
        // Without a validated path, a DSA key's parameters are looked up by issuer name.
        let issuers: Vec<Arc<Certificate>> =
            if inherited.is_none() && crypto::needs_inherited_params(&cert.public_key) {
                self.pool
                    .iter()
                    .chain(self.settings.anchors.iter().map(|a| &a.cert))
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            };
        let digest_alg = DigestAlgorithm::from_oid(&si.digest_algorithm.oid);
        let inputs = cms::SignerInputs {
            detached_content: self.content.kept.as_deref(),
            content_digested: self.content.streamed,
            inherited_params: inherited.as_deref(),
            issuer_candidates: &issuers,
        };
        let check = cms::check_signer_with(
            self.sd,
            si,
            cert,
            self.content.digest_for(digest_alg),
            &self.options.algorithms,
            &inputs,
        );
        if let Some(a) = &check.algorithm {
            r.signature_algorithm = a.clone();
        }
        r.weak_algorithms_accepted
            .extend(check.weaknesses.iter().map(|w| format!("signature: {w}")));
        r.checks.extend(check.checks);
        check.weaknesses
    }

    /// When no chain reached an anchor: the expected-but-missing root it leads to, if any.
    fn missing_anchor(&self, cert: &Arc<Certificate>, outcome: &Outcome) -> Option<Check> {
        let stores = self.settings.stores.as_ref()?;
        if outcome.is_valid() || !outcome.errors.iter().any(|e| e.rule == Rule::NoPath) {
            return None;
        }
        let mut certs = outcome.path.clone();
        certs.push(Arc::clone(cert));
        certs.extend(self.sd.certificates.iter().cloned());
        recognition::missing_anchor(&certs, stores)
    }

    /// Recognition in both jurisdictions (only for a valid path), at the best-signature-time
    /// (a signature made inside a mutual-recognition window stays recognised).
    fn recognition(&self, outcome: &Outcome, at: crate::asn1::UnixTime) -> Option<RecognitionPair> {
        recognition_at(self.settings, outcome, at)
    }
}

/// Recognition in both jurisdictions of a validated path (not recognised anywhere when the
/// path is not valid); `None` without trust lists.
pub(super) fn recognition_of(
    settings: &Settings,
    options: &Options,
    outcome: &Outcome,
) -> Option<RecognitionPair> {
    recognition_at(settings, outcome, options.time)
}

/// Recognition in both jurisdictions at `at` (only for a valid path).
pub(super) fn recognition_at(
    settings: &Settings,
    outcome: &Outcome,
    at: crate::asn1::UnixTime,
) -> Option<RecognitionPair> {
    let stores = settings.stores.as_ref()?;
    let judge = |j: Jurisdiction| {
        if !outcome.is_valid() {
            return Recognition {
                relying_party: j,
                status: RecognitionStatus::NotRecognised,
                matched_entry: None,
                failed_conditions: vec![Condition {
                    id: Cow::Borrowed("path"),
                    message: "the certificate path is not valid, so the certificate is recognised nowhere".into(),
                }],
            };
        }
        recognition::recognise(
            j,
            &outcome.path,
            &settings.extra_domestic,
            stores,
            at,
            &outcome.user_constrained_policy_set,
            None,
        )
    };
    Some(RecognitionPair {
        hk: judge(Jurisdiction::Hk),
        gd: judge(Jurisdiction::Gd),
    })
}

/// A report with what the SignerInfo alone says, and no checks yet.
fn blank_report(si: &SignerInfo) -> SignerReport {
    let digest_alg = DigestAlgorithm::from_oid(&si.digest_algorithm.oid);
    SignerReport {
        claimed_signing_time: si
            .signed_attrs
            .as_ref()
            .and_then(|a| a.signing_time)
            .map(format_time),
        digest_algorithm: digest_alg
            .map(|d| d.name().to_string())
            .unwrap_or_else(|| si.digest_algorithm.oid.to_string()),
        signature_algorithm: si.signature_algorithm.oid.to_string(),
        counter_signatures: si.counter_signatures.len(),
        ..SignerReport::blank()
    }
}

/// The certificate path's part of the report: the chain, revocation, weaknesses and checks
/// (the path's own errors and warnings).
pub(super) fn add_path(r: &mut SignerReport, outcome: &Outcome) {
    let checks = outcome
        .errors
        .iter()
        .chain(&outcome.warnings)
        .cloned()
        .collect();
    add_path_with(r, outcome, checks);
}

/// [`add_path`] with the path's checks as the long-term validation takes them.
pub(super) fn add_path_with(r: &mut SignerReport, outcome: &Outcome, checks: Vec<Check>) {
    r.chain = outcome.path.iter().map(|c| ChainEntry::of(c)).collect();
    r.anchor_store = outcome.anchor_store.clone();
    r.revocation = outcome.revocation.clone();
    r.weak_algorithms_accepted.extend(
        outcome
            .weaknesses
            .iter()
            .map(|w| format!("{}: {}", w.object, w.weakness)),
    );
    r.user_constrained_policy_set = outcome.user_constrained_policy_set.clone();
    r.path = outcome.path.clone();
    r.checks.extend(path_passed(outcome));
    r.checks.extend(checks);
}

/// A passed `certificate-path` when the path is valid.
fn path_passed(outcome: &Outcome) -> Option<Check> {
    outcome.is_valid().then(|| {
        Check::passed(
            Rule::CertificatePath,
            format!(
                "the certificate chains to a trust anchor ({})",
                outcome.anchor_store.as_deref().unwrap_or_default()
            ),
        )
    })
}

/// The path's checks: a passed `certificate-path` when valid, then its failures and
/// warnings.
pub(super) fn path_checks(outcome: &Outcome) -> impl Iterator<Item = Check> + '_ {
    path_passed(outcome)
        .into_iter()
        .chain(outcome.errors.iter().cloned())
        .chain(outcome.warnings.iter().cloned())
}

/// Each certificate deviation (an encoding read although it breaks the profile, see
/// [`crate::x509::Deviation`]) of the path's certificates, or of the signer certificate when
/// there is no path, as an `rfc5280.profile` warning: reported, not judged.
pub(super) fn add_deviations(r: &mut SignerReport, cert: &Arc<Certificate>, outcome: &Outcome) {
    let certs: Vec<(Option<usize>, &Arc<Certificate>)> = if outcome.path.is_empty() {
        vec![(None, cert)]
    } else {
        outcome
            .path
            .iter()
            .enumerate()
            .map(|(i, c)| (Some(i), c))
            .collect()
    };
    for (index, c) in certs {
        for d in &c.deviations {
            r.checks.push(
                Check::new(
                    Rule::Profile,
                    Status::Warning,
                    format!("{}: deviation read: {d}", c.label()),
                )
                .about(c.as_subject(index)),
            );
        }
    }
}

/// The verdict of the report's checks (the most severe failure, the first on a tie).
pub(super) fn finish(mut r: SignerReport) -> SignerReport {
    r.set_verdict(Verdict::of_checks(&r.checks));
    r
}

/// A signer that passes but is not recognised by the relying party becomes INDETERMINATE /
/// CHAIN_CONSTRAINTS_FAILURE.
pub(super) fn require_recognition(r: &mut SignerReport, rp: Jurisdiction) {
    let recognised = r.recognition.as_ref().map(|p| p.recognised_by(rp));
    if r.indication == Indication::TotalPassed && recognised == Some(false) {
        let check = Check::failed(
            Rule::Recognition,
            format!("the signer's certificate is not recognised in {rp}"),
        );
        r.set_verdict(Rule::Recognition.verdict());
        r.checks.push(check);
    }
}
