//! One OFD package → one [`SignerReport`] per listed signature: the package opened with the
//! verifier's [`crate::Limits`], the OFD checks of [`crate::document::ofd`] turned into
//! [`Check`]s of the `ofd.*` rules (so their verdicts come from [`Rule::verdict`]), the
//! signer's and the seal maker's certificate paths validated at the validation time, HK/GD
//! recognition of the signer, and the seal, encodings and covered files in the report.
//!
//! Times: paths are validated at the call's validation time (as for CMS); the seal window
//! and the signer certificate's validity are judged at the signature's own claimed time
//! (`timeInfo`, signingTime or `SignatureDateTime`), reported as `claimed_signing_time`.

use super::caches::Caches;
use super::signer::{add_deviations, add_path, finish, path_checks, recognition_of};
use super::{Call, Settings, VerifyError};
use crate::asn1::{format_time, oid, UnixTime};
use crate::document::ofd::{
    self, OfdCheck, OfdPackage, OfdRule, OfdStatus, SignatureResult, VerifyOptions,
};
use crate::path::CertPool;
use crate::report::document::{
    ChainEntry, Container, DocumentReport, OfdDocumentReport, OfdSeal, OfdSealMaker,
    OfdSignatureReport, OfdTime, OfdTimestamp, SignerIdentity, SignerReport, DOCUMENT_FORMAT,
};
use crate::revocation::ocsp::OcspResponse;
use crate::validate::{self, Options, Outcome, Sources};
use crate::verdict::{Check, Indication, Rule, Status, SubIndication, Verdict};
use crate::x509::{Certificate, Crl};
use std::sync::Arc;

/// `content_type` of an OFD report.
pub const OFD_CONTENT_TYPE: &str = "application/ofd";

/// What the signatures of one package share.
struct Job<'a> {
    settings: &'a Settings,
    caches: &'a Caches,
    pool: &'a CertPool,
    crls: &'a [Arc<Crl>],
    ocsp: &'a [Arc<OcspResponse>],
    options: &'a Options,
}

/// Verifies an OFD package (the `FileKind::Zip` arm of `Verifier::verify_with`).
pub(super) fn verify(
    settings: &Settings,
    caches: &Caches,
    document: &[u8],
    call: Call<'_>,
    time: UnixTime,
) -> Result<DocumentReport, VerifyError> {
    if call.content.is_some() {
        return Err(VerifyError::ContentNotApplicable);
    }
    let package = OfdPackage::open(document.to_vec(), &settings.options.limits)?;
    let mut pool = CertPool::over(Arc::clone(&settings.pool));
    for c in &call.certificates {
        pool.add(Arc::clone(c));
    }
    // A bare signature carries no certificate: its signer is among those supplied.
    let supplied: Vec<Arc<Certificate>> = call
        .certificates
        .iter()
        .chain(settings.pool.iter())
        .cloned()
        .collect();
    let ofd_options = VerifyOptions::new()
        .with_policy(settings.options.algorithms.clone())
        .with_signer_certificates(supplied)
        .with_signature_cache(Arc::clone(&caches.signatures));
    let verification = ofd::verify_signatures(&package, &ofd_options)?;
    let mut crls = settings.crls.clone();
    crls.extend(call.crls.iter().cloned());
    let mut ocsp = settings.ocsp.clone();
    ocsp.extend(call.ocsp.iter().cloned());
    let mut options = settings.options.clone();
    options.time = time;
    let job = Job {
        settings,
        caches,
        pool: &pool,
        crls: &crls,
        ocsp: &ocsp,
        options: &options,
    };
    let mut signers: Vec<SignerReport> = verification
        .signatures
        .iter()
        .map(|r| job.signature(r))
        .collect();
    let relying_party = call.relying_party.or(settings.relying_party).or_else(|| {
        signers
            .first()
            .and_then(|r| r.anchor_store.as_deref())
            .and_then(super::jurisdiction_of_store)
    });
    if let Some(rp) = relying_party {
        for r in &mut signers {
            super::signer::require_recognition(r, rp);
        }
    }
    let verdict = if signers.is_empty() {
        Verdict::failed(Indication::Indeterminate, SubIndication::FormatFailure)
    } else {
        Verdict::worst(signers.iter().map(SignerReport::verdict))
    };
    Ok(DocumentReport {
        format: DOCUMENT_FORMAT.to_owned(),
        container: Container::Ofd,
        validation_time: format_time(time),
        relying_party,
        indication: verdict.indication,
        sub_indication: verdict.sub_indication,
        content_type: OFD_CONTENT_TYPE.to_owned(),
        detached: false,
        signers,
        pdf: None,
        ofd: Some(OfdDocumentReport {
            documents: package.documents().map_or(0, |d| d.len()),
            entries: package.entries().len(),
            uncovered_files: verification.uncovered_files,
        }),
    })
}

impl Job<'_> {
    /// The report on one signature.
    fn signature(&self, r: &SignatureResult) -> SignerReport {
        let mut report = blank_report(r);
        report.checks = r.checks.iter().map(|c| check_of(c, r)).collect();
        if let Some(cert) = &r.signer_certificate {
            let outcome = self.validate(cert);
            add_path(&mut report, &outcome);
            add_deviations(&mut report, cert, &outcome);
            report.recognition = recognition_of(self.settings, self.options, &outcome);
        }
        if let (Some(maker), Some(ofd)) = (&r.seal_maker_certificate, report.ofd.as_mut()) {
            let outcome = self.validate(maker);
            ofd.seal_maker = Some(OfdSealMaker {
                certificate: SignerIdentity::of(maker),
                chain: outcome.path.iter().map(|c| ChainEntry::of(c)).collect(),
                anchor_store: outcome.anchor_store.clone(),
                revocation: outcome.revocation.clone(),
            });
            report.checks.extend(path_checks(&outcome).map(|mut c| {
                c.message = format!("seal maker: {}", c.message).into();
                if c.subject.is_none() {
                    c.subject = Some(maker.as_subject(None));
                }
                c
            }));
            let before = report.checks.len();
            add_deviations(&mut report, maker, &outcome);
            for c in report.checks.iter_mut().skip(before) {
                c.message = format!("seal maker: {}", c.message).into();
            }
        }
        finish(report)
    }

    fn validate(&self, cert: &Arc<Certificate>) -> Outcome {
        validate::validate_with(
            cert,
            Sources::new(self.pool, &self.settings.anchors, self.crls)
                .ocsp(self.ocsp)
                .fetcher(self.settings.fetcher.as_deref()),
            self.options,
            self.caches.memo(),
        )
    }
}

/// The report's fields that the signature alone gives, without checks yet.
fn blank_report(r: &SignatureResult) -> SignerReport {
    let alg = r
        .signature_algorithm
        .as_deref()
        .and_then(crate::asn1::Oid::from_dotted);
    SignerReport {
        signer: r.signer_certificate.as_deref().map(SignerIdentity::of),
        claimed_signing_time: r
            .signing_time
            .as_ref()
            .and_then(|t| t.unix)
            .map(format_time),
        digest_algorithm: r
            .digest_algorithm
            .map_or_else(String::new, |d| d.name().to_owned()),
        signature_algorithm: alg
            .map(|a| oid::name_of(&a).map_or_else(|| a.to_string(), str::to_owned))
            .unwrap_or_default(),
        ofd: Some(ofd_fields(r)),
        ..SignerReport::blank()
    }
}

fn ofd_fields(r: &SignatureResult) -> OfdSignatureReport {
    OfdSignatureReport {
        document: r.document,
        id: r.id.clone(),
        kind: match &r.kind {
            ofd::SignatureKind::Seal => "seal".to_owned(),
            ofd::SignatureKind::Sign => "sign".to_owned(),
            ofd::SignatureKind::Other(t) => t.clone(),
        },
        relative: r.relative.clone(),
        path: r.path.clone(),
        format: r.format.map(str::to_owned),
        signature_encoding: r.signature_encoding,
        signing_time: r.signing_time.as_ref().map(OfdTime::of),
        covered_files: r.covered_files.clone(),
        failed_references: r
            .failed_references()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        seal: r.seal.as_ref().map(OfdSeal::of),
        seal_signature_encoding: r.seal_signature_encoding,
        seal_maker: None,
        timestamp: r.timestamp.as_ref().map(|t| OfdTimestamp {
            tagging: t.tagging.to_owned(),
            size: t.size,
            verified: false,
        }),
    }
}

/// One OFD check as a [`Check`]: the table from ([`OfdRule`], [`OfdStatus`]) to
/// ([`Rule`], [`Status`]), about the signer's or the seal maker's certificate where the rule
/// concerns one.
fn check_of(c: &OfdCheck, r: &SignatureResult) -> Check {
    let (rule, status) = rule_of(
        c.rule,
        c.status,
        r.signer_certificate.is_some(),
        r.seal_maker_certificate.is_some(),
    );
    let message = match c.rule {
        OfdRule::Timestamp if c.status == OfdStatus::Indeterminate => timestamp_hook(r),
        _ => c.message.clone(),
    };
    let subject = match c.rule {
        OfdRule::SignerCertificate
        | OfdRule::SignerInSealCertList
        | OfdRule::SignerCertificateValidity => r.signer_certificate.as_ref(),
        OfdRule::SealMakerCertificate | OfdRule::SealSignature => r.seal_maker_certificate.as_ref(),
        _ => None,
    };
    let check = Check::new(rule, status, message);
    match subject {
        Some(cert) => check.about(cert.as_subject(None)),
        None => check,
    }
}

/// The rule and status an OFD check reports under. Passed, failed and skipped keep their
/// rule (`ofd.*`). An undecided (indeterminate) check fails the rule that names why it
/// could not be decided, whose verdict is INDETERMINATE:
///
/// | OFD rule, indeterminate | reported as failed |
/// | --- | --- |
/// | reference digest (hash unsupported, or the Z digest lacks the key) | `ofd.check-method` |
/// | data hash (no hash known for the signature algorithm) | `signature-algorithm` |
/// | signature, with a signer key (algorithm unknown or refused) | `signature-algorithm` |
/// | signature, without one | `ofd.signer-certificate` |
/// | seal signature, with a maker key / without | `signature-algorithm` / `ofd.seal-maker-certificate` |
/// | signer certificate, certList, seal window, signer validity | the same rule (INDETERMINATE) |
///
/// Two undecided checks are warnings, not failures: `propertyInfo` not naming its
/// `Signature.xml` (the binding is `dataHash` over the exact bytes), and a timestamp that is
/// present but not verified (it is not used as proof of time). Any other undecided check
/// fails its own rule (none is emitted today; failing is the safe reading).
fn rule_of(rule: OfdRule, status: OfdStatus, signer_key: bool, maker_key: bool) -> (Rule, Status) {
    let own = match rule {
        OfdRule::SignatureXml => Rule::OfdSignatureXml,
        OfdRule::SignedValue => Rule::OfdSignedValue,
        OfdRule::CheckMethod => Rule::OfdCheckMethod,
        OfdRule::ReferenceDigest => Rule::OfdReferenceDigest,
        OfdRule::DataHash => Rule::OfdDataHash,
        OfdRule::PropertyInfo => Rule::OfdPropertyInfo,
        OfdRule::SignerCertificate => Rule::OfdSignerCertificate,
        OfdRule::Signature => Rule::OfdSignature,
        OfdRule::SignedDataStructure => Rule::OfdSignedData,
        OfdRule::SealMakerCertificate => Rule::OfdSealMakerCertificate,
        OfdRule::SealSignature => Rule::OfdSealSignature,
        OfdRule::SealFile => Rule::OfdSealFile,
        OfdRule::SignerInSealCertList => Rule::OfdSignerInCertList,
        OfdRule::SealValidity => Rule::OfdSealValidity,
        OfdRule::SignerCertificateValidity => Rule::OfdSignerCertificateValidity,
        OfdRule::Timestamp => Rule::OfdTimestamp,
    };
    let undecided = match rule {
        // Reported, not judged (see above).
        OfdRule::PropertyInfo | OfdRule::Timestamp => None,
        OfdRule::ReferenceDigest => Some(Rule::OfdCheckMethod),
        OfdRule::DataHash => Some(Rule::SignatureAlgorithm),
        OfdRule::Signature if signer_key => Some(Rule::SignatureAlgorithm),
        OfdRule::Signature => Some(Rule::OfdSignerCertificate),
        OfdRule::SealSignature if maker_key => Some(Rule::SignatureAlgorithm),
        OfdRule::SealSignature => Some(Rule::OfdSealMakerCertificate),
        _ => Some(own),
    };
    match (status, undecided) {
        (OfdStatus::Passed, _) => (own, Status::Passed),
        (OfdStatus::Failed, _) => (own, Status::Failed),
        (OfdStatus::Skipped, _) => (own, Status::Skipped),
        (_, Some(rule)) => (rule, Status::Failed),
        (_, None) => (own, Status::Warning),
    }
}

/// HOOK (RFC 3161, branch `ltv`): a timestamp carried in an SES_Signature is reported but
/// not verified. When `document::timestamp` lands, verify `r.timestamp.bytes` as a
/// TimeStampToken whose messageImprint is the hash of `r.timestamp.covers` (the signature
/// value, GB/T 38540), validate the TSA's path, judge the seal window and the signer's
/// validity at its genTime, and set `ofd.timestamp.verified`; until then the `ofd.timestamp`
/// check is a warning and the timestamp proves nothing.
fn timestamp_hook(r: &SignatureResult) -> String {
    match &r.timestamp {
        Some(t) => format!(
            "a timestamp of {} bytes ({}) is present but not verified (RFC 3161 verification is not wired yet); it is not used as proof of time",
            t.size, t.tagging
        ),
        None => "a timestamp is present but not verified".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUSES: [OfdStatus; 4] = [
        OfdStatus::Passed,
        OfdStatus::Failed,
        OfdStatus::Indeterminate,
        OfdStatus::Skipped,
    ];

    #[test]
    fn every_ofd_rule_has_its_own_rule_and_undecided_is_indeterminate() {
        let mut own = std::collections::HashSet::new();
        for &rule in OfdRule::ALL {
            let (r, s) = rule_of(rule, OfdStatus::Passed, true, true);
            assert_eq!(s, Status::Passed);
            assert!(r.id().starts_with("ofd."), "{rule:?} → {r}");
            assert!(own.insert(r), "{rule:?} shares {r}");
            for status in STATUSES {
                for (signer, maker) in [(true, true), (false, false), (true, false)] {
                    let (mapped, s) = rule_of(rule, status, signer, maker);
                    match status {
                        OfdStatus::Passed => assert_eq!((mapped, s), (r, Status::Passed)),
                        OfdStatus::Failed => assert_eq!((mapped, s), (r, Status::Failed)),
                        OfdStatus::Skipped => assert_eq!((mapped, s), (r, Status::Skipped)),
                        _ if s == Status::Warning => assert!(
                            matches!(rule, OfdRule::PropertyInfo | OfdRule::Timestamp),
                            "{rule:?}"
                        ),
                        _ => {
                            assert_eq!(s, Status::Failed, "{rule:?}");
                            // What the OFD layer leaves undecided is INDETERMINATE, never
                            // passed and never TOTAL_FAILED.
                            let emits_undecided = !matches!(
                                rule,
                                OfdRule::SignatureXml
                                    | OfdRule::SignedValue
                                    | OfdRule::SealFile
                                    | OfdRule::SignedDataStructure
                                    | OfdRule::CheckMethod
                                    | OfdRule::SealMakerCertificate
                            );
                            if emits_undecided {
                                assert_eq!(
                                    mapped.verdict().indication,
                                    Indication::Indeterminate,
                                    "{rule:?} undecided → {mapped}"
                                );
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(own.len(), OfdRule::ALL.len());
        // A signature without a key is a missing certificate, with one an algorithm problem.
        let sig = |signer| rule_of(OfdRule::Signature, OfdStatus::Indeterminate, signer, true).0;
        assert_eq!(sig(false), Rule::OfdSignerCertificate);
        assert_eq!(sig(true), Rule::SignatureAlgorithm);
        let seal = |maker| {
            rule_of(
                OfdRule::SealSignature,
                OfdStatus::Indeterminate,
                true,
                maker,
            )
            .0
        };
        assert_eq!(seal(false), Rule::OfdSealMakerCertificate);
    }
}
