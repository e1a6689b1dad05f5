//! The checks of the two forms that carry no seal: a GB/T 35275 / CMS SignedData (through
//! [`crate::document::cms`], in the two producer variants: detached over `Signature.xml`, or eContent
//! holding `Signature.xml` or its digest) and a bare SM2 signature over `Signature.xml`, whose
//! key must be supplied.

use std::sync::Arc;

use super::crypto_checks::{signer_validity, verify_with, Found};
use super::model::OfdSignature;
use super::rules::{Checks, OfdRule, OfdStatus, Outcome, VerifyOptions};
use super::time::SesTime;
use crate::asn1::oid::known as oids;
use crate::crypto::DigestAlgorithm;
use crate::document::cms::{self, oids as cms_oids, SignedData, SignerInputs};
use crate::verdict::{Rule, Status};
use crate::x509::Certificate;

/// A bare SM2 signature over `Signature.xml`: it carries no certificate, so the signer is the
/// supplied certificate whose key verifies it.
pub(super) fn check_bare(
    sig: &OfdSignature,
    signature: &[u8],
    options: &VerifyOptions,
    checks: &mut Checks,
    found: &mut Found,
) {
    if options.signer_certificates.is_empty() {
        checks.push(
            OfdRule::SignerCertificate,
            OfdStatus::Indeterminate,
            "a bare signature carries no certificate; supply the signer's (VerifyOptions::signer_certificates)",
        );
        checks.push(
            OfdRule::Signature,
            OfdStatus::Indeterminate,
            "no key to verify with",
        );
        return;
    }
    for cert in &options.signer_certificates {
        let verified = verify_with(
            &cert.public_key,
            &oids::SM2_SM3,
            &sig.xml,
            signature,
            &options.policy,
        );
        if let Ok(v) = verified {
            checks.push(
                OfdRule::SignerCertificate,
                OfdStatus::Passed,
                format!("supplied: {}", cert.label()),
            );
            checks.push(
                OfdRule::Signature,
                OfdStatus::Passed,
                format!(
                    "{} signature over Signature.xml verifies with {} ({})",
                    v.algorithm,
                    cert.label(),
                    v.encoding.as_str()
                ),
            );
            found.signer = Some(cert.clone());
            return;
        }
    }
    checks.push(
        OfdRule::SignerCertificate,
        OfdStatus::Indeterminate,
        format!(
            "none of the {} supplied certificate(s) is the signer's",
            options.signer_certificates.len()
        ),
    );
    // The signer's certificate may simply not be among those supplied: undecided.
    checks.push(
        OfdRule::Signature,
        OfdStatus::Indeterminate,
        "the bare signature over Signature.xml verifies with none of the supplied certificates",
    );
}

pub(super) fn check_signed_data(
    sig: &OfdSignature,
    sd: &SignedData,
    options: &VerifyOptions,
    checks: &mut Checks,
) -> Found {
    let mut found = Found {
        signing_time: sig.signed_info.signature_date_time.clone(),
        ..Found::default()
    };
    let [signer] = sd.signers.as_slice() else {
        checks.push(
            OfdRule::SignedDataStructure,
            OfdStatus::Failed,
            format!(
                "{} SignerInfos; an OFD signature has exactly one",
                sd.signers.len()
            ),
        );
        return found;
    };
    let candidates: Vec<Arc<Certificate>> = sd
        .certificates
        .iter()
        .chain(&options.signer_certificates)
        .cloned()
        .collect();
    let Some(cert) = cms::find_signer_certificate(signer, &candidates) else {
        checks.push(
            OfdRule::SignerCertificate,
            OfdStatus::Failed,
            "no certificate matches the SignerInfo's identifier",
        );
        checks.push(
            OfdRule::Signature,
            OfdStatus::Indeterminate,
            "no certificate to verify with",
        );
        return found;
    };
    checks.push(OfdRule::SignerCertificate, OfdStatus::Passed, cert.label());
    // Two producer variants: detached (the content is Signature.xml) or eContent holding
    // Signature.xml or its digest.
    let Some(digest_alg) = DigestAlgorithm::from_oid(&signer.digest_algorithm.oid) else {
        checks.push(
            OfdRule::Signature,
            OfdStatus::Failed,
            format!("unknown digest algorithm {}", signer.digest_algorithm.oid),
        );
        return found;
    };
    let (content, binding): (&[u8], Outcome) = match &sd.content {
        None => (
            &sig.xml,
            (
                OfdStatus::Passed,
                "detached: the signed content is Signature.xml".into(),
            ),
        ),
        Some(c) if *c == sig.xml => (c, (OfdStatus::Passed, "eContent is Signature.xml".into())),
        Some(c) if *c == digest_alg.digest(&sig.xml) => (
            c,
            (
                OfdStatus::Passed,
                format!("eContent is the {digest_alg} of Signature.xml"),
            ),
        ),
        Some(c) => (
            c,
            (
                OfdStatus::Failed,
                "eContent is neither Signature.xml nor its digest".into(),
            ),
        ),
    };
    found.digest_algorithm = Some(digest_alg);
    let digest = digest_alg.digest(content);
    let inputs = SignerInputs {
        detached_content: sd.content.is_none().then_some(&sig.xml[..]),
        ..SignerInputs::default()
    };
    let check = cms::check_signer_with(sd, signer, &cert, &digest, &options.policy, &inputs);
    map_cms(sd, signer, &check, binding, checks);
    if let Some(t) = signer.signed_attrs.as_ref().and_then(|a| a.signing_time) {
        found.signing_time = Some(SesTime::new(
            crate::asn1::format_time(t),
            super::time::TimeForm::Xml,
        ));
    }
    signer_validity(
        Some((cert.not_before, cert.not_after)),
        found.signing_time.as_ref(),
        checks,
    );
    checks.push(
        OfdRule::Timestamp,
        OfdStatus::Skipped,
        "timestamps in SignedData unsigned attributes are not read here",
    );
    found.signature_algorithm = Some(signer.signature_algorithm.oid.to_string());
    // As verified; for a value that did not verify, as its form shows.
    found.signature_encoding = check.signature_encoding.or_else(|| {
        super::seal::signature_encoding(&signer.signature_algorithm.oid, &signer.signature)
    });
    found.signer = Some(cert);
    found
}

/// The CMS signer checks as OFD rules. The contentType attribute may name id-data while
/// eContentType names the GB/T 35275 data OID or the reverse (both vendors do it): that
/// mix is accepted here.
fn map_cms(
    sd: &SignedData,
    signer: &cms::SignerInfo,
    check: &cms::SignerCheck,
    binding: Outcome,
    checks: &mut Checks,
) {
    let data_mix = signer
        .signed_attrs
        .as_ref()
        .and_then(|a| a.content_type.as_ref())
        .is_some_and(|ct| cms_oids::is_data(ct) && cms_oids::is_data(&sd.content_type));
    let mut other_failures = Vec::new();
    let mut data_hash = binding;
    for c in &check.checks {
        let failed = c.status == Status::Failed;
        match c.rule {
            Rule::MessageDigest if failed => data_hash = (OfdStatus::Failed, c.message.to_string()),
            Rule::MessageDigest
                if c.status == Status::Passed && data_hash.0 == OfdStatus::Passed =>
            {
                data_hash.1 = format!("{}; {}", data_hash.1, c.message);
            }
            Rule::ContentType if failed && data_mix => {}
            Rule::SignatureValue | Rule::SignatureAlgorithm => {}
            _ if failed => other_failures.push(format!("{}: {}", c.rule, c.message)),
            _ => {}
        }
    }
    checks.outcome(OfdRule::DataHash, data_hash);
    match check
        .check(Rule::SignatureValue)
        .or_else(|| check.check(Rule::SignatureAlgorithm))
    {
        Some(c) if c.status == Status::Passed => {
            checks.push(OfdRule::Signature, OfdStatus::Passed, c.message.clone())
        }
        Some(c) => checks.push(OfdRule::Signature, OfdStatus::Failed, c.message.clone()),
        None => checks.push(
            OfdRule::Signature,
            OfdStatus::Failed,
            "the SignedData signature was not checked",
        ),
    }
    if other_failures.is_empty() {
        checks.push(
            OfdRule::SignedDataStructure,
            OfdStatus::Passed,
            "the SignerInfo checks pass",
        );
    } else {
        checks.push(
            OfdRule::SignedDataStructure,
            OfdStatus::Failed,
            other_failures.join("; "),
        );
    }
}
