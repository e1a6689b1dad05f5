//! The checks that depend on the form of `SignedValue.dat`: the signer's signature and what
//! binds `Signature.xml` (V1/V4 `SES_Signature`, GB/T 35275 SignedData, bare SM2), and for
//! seals the maker's signature, the certList, the seal file and the validity windows.
//! Every signature is verified over the bytes as received through [`crate::crypto`].

use std::sync::Arc;

use super::certs::CarriedCertificate;
use super::model::{resolve, OfdSignature};
use super::package::OfdPackage;
use super::rules::{Checks, OfdCheck, OfdRule, OfdStatus, Outcome, VerifyOptions};
use super::seal::{CertList, Seal};
use super::ses::{EmbeddedTimestamp, SesSignature};
use super::summary::SealSummary;
use super::time::SesTime;
use crate::asn1::{AlgorithmIdentifier, Oid, UnixTime};
use crate::crypto::{
    self, AlgorithmPolicy, DigestAlgorithm, KeyHasher, SignatureCache, SignatureError,
    VerifiedSignature,
};
use crate::crypto::{PublicKeyInfo, ValueEncoding};
use crate::verdict::Rule;
use crate::x509::Certificate;

/// What the signed value yielded besides checks.
#[derive(Default)]
pub(super) struct Found {
    pub(super) signer: Option<Arc<Certificate>>,
    pub(super) seal_maker: Option<Arc<Certificate>>,
    pub(super) signature_encoding: Option<ValueEncoding>,
    pub(super) seal_signature_encoding: Option<ValueEncoding>,
    pub(super) signing_time: Option<SesTime>,
    pub(super) seal: Option<SealSummary>,
    pub(super) signature_algorithm: Option<String>,
    pub(super) digest_algorithm: Option<DigestAlgorithm>,
    pub(super) timestamp: Option<EmbeddedTimestamp>,
}

/// How a referenced file is hashed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FileDigest {
    /// The hash of the raw bytes.
    Plain(DigestAlgorithm),
    /// Vendor CheckMethod `1.2.156.10197.1.401.2`: `SM3(Z ‖ file)`, `Z` from the signer's
    /// key and the default SM2 ID.
    Sm3WithZ,
}

impl FileDigest {
    pub(super) fn describe(&self) -> String {
        match self {
            FileDigest::Plain(d) => d.name().to_owned(),
            FileDigest::Sm3WithZ => "SM3(Z || file) (CheckMethod 1.2.156.10197.1.401.2)".into(),
        }
    }

    /// The digest of `data`; `Err` names what is missing.
    pub(super) fn digest(
        &self,
        data: &[u8],
        signer: Option<&PublicKeyInfo>,
    ) -> Result<Vec<u8>, String> {
        match self {
            FileDigest::Plain(d) => Ok(d.digest(data)),
            FileDigest::Sm3WithZ => {
                let key = signer.ok_or("the signer's SM2 key, which is not available")?;
                let z = crypto::sm2_z(crypto::SM2_DEFAULT_SIGNER_ID, key)
                    .map_err(|e| format!("the signer's SM2 key ({e})"))?;
                let mut h = DigestAlgorithm::Sm3.hasher();
                h.update(&z);
                h.update(data);
                Ok(h.finish())
            }
        }
    }
}

/// The hash a `CheckMethod` names (absent: SM3). MD5 and unknown names are refused.
pub(super) fn file_digest(method: Option<&str>) -> Result<FileDigest, String> {
    let Some(m) = method.map(str::trim) else {
        return Ok(FileDigest::Plain(DigestAlgorithm::Sm3));
    };
    let upper = m.to_ascii_uppercase().replace('-', "");
    let d = match upper.as_str() {
        "" | "SM3" | "1.2.156.10197.1.401" => DigestAlgorithm::Sm3,
        "1.2.156.10197.1.401.2" => return Ok(FileDigest::Sm3WithZ),
        "SHA1" | "1.3.14.3.2.26" => DigestAlgorithm::Sha1,
        "SHA256" | "2.16.840.1.101.3.4.2.1" => DigestAlgorithm::Sha256,
        "SHA384" | "2.16.840.1.101.3.4.2.2" => DigestAlgorithm::Sha384,
        "SHA512" | "2.16.840.1.101.3.4.2.3" => DigestAlgorithm::Sha512,
        _ => {
            return Err(format!(
                "CheckMethod {m:?} is not a hash this verifier accepts"
            ))
        }
    };
    Ok(FileDigest::Plain(d))
}

pub(super) fn check_ses(
    package: &OfdPackage,
    sig: &OfdSignature,
    ses: &SesSignature,
    options: &VerifyOptions,
    checks: &mut Checks,
) -> Found {
    let policy = &options.policy;
    let signer = &ses.signer;
    let method = file_digest(sig.signed_info.check_method.as_deref()).ok();
    checks.outcome(
        OfdRule::DataHash,
        data_hash(ses, &sig.xml, method, signer.key()),
    );
    checks.outcome(
        OfdRule::PropertyInfo,
        property_info(sig, &ses.property_info),
    );
    checks.outcome(
        OfdRule::SignerCertificate,
        carried_outcome(signer, "signer"),
    );
    checks.outcome(
        OfdRule::Signature,
        signature_outcome(
            Some(signer),
            &ses.signature_algorithm,
            &ses.tbs_raw,
            &ses.signature,
            policy,
            "TBS_Sign",
        ),
    );
    let seal = &ses.seal;
    checks.outcome(
        OfdRule::SealMakerCertificate,
        carried_outcome(&seal.maker, "seal maker"),
    );
    checks.0.push(verify_seal_cached(
        seal,
        policy,
        options.signature_cache.as_deref(),
    ));
    checks.outcome(OfdRule::SealFile, seal_file(package, sig, seal));
    checks.outcome(OfdRule::SignerInSealCertList, in_cert_list(seal, signer));
    checks.outcome(
        OfdRule::SealValidity,
        window(
            Some(&ses.time_info),
            seal.info.property.valid_start.unix,
            seal.info.property.valid_end.unix,
            "the seal's validity window",
        ),
    );
    signer_validity(signer.validity(), Some(&ses.time_info), checks);
    match &ses.timestamp {
        Some(t) => checks.push(
            OfdRule::Timestamp,
            OfdStatus::Indeterminate,
            format!(
                "a timestamp of {} bytes ({}) is present; it is not verified here",
                t.size, t.tagging
            ),
        ),
        None => checks.push(OfdRule::Timestamp, OfdStatus::Skipped, "no timestamp"),
    }
    Found {
        signer: signer.certificate.clone(),
        seal_maker: seal.maker.certificate.clone(),
        signature_encoding: ses.signature_encoding,
        seal_signature_encoding: seal.signature_encoding,
        signing_time: Some(ses.time_info.clone()),
        seal: Some(SealSummary::of(seal)),
        signature_algorithm: Some(ses.signature_algorithm.to_string()),
        digest_algorithm: signature_hash(&ses.signature_algorithm),
        timestamp: ses.timestamp.clone(),
    }
}

/// Whether a carried certificate parsed.
fn carried_outcome(c: &CarriedCertificate, who: &str) -> Outcome {
    match (&c.certificate, &c.error) {
        (Some(cert), _) => (OfdStatus::Passed, cert.label()),
        (None, e) => (
            OfdStatus::Failed,
            format!(
                "the {who}'s certificate does not parse: {}",
                e.as_deref().unwrap_or_default()
            ),
        ),
    }
}

/// The hash of the signature algorithm (for `dataHash`).
fn signature_hash(alg: &Oid) -> Option<DigestAlgorithm> {
    match alg.to_string().as_str() {
        "1.2.156.10197.1.501" | "1.2.156.10197.1.301.1" => Some(DigestAlgorithm::Sm3),
        "1.2.840.113549.1.1.5" => Some(DigestAlgorithm::Sha1),
        "1.2.840.113549.1.1.11" => Some(DigestAlgorithm::Sha256),
        "1.2.840.113549.1.1.12" => Some(DigestAlgorithm::Sha384),
        "1.2.840.113549.1.1.13" => Some(DigestAlgorithm::Sha512),
        _ => None,
    }
}

fn data_hash(
    ses: &SesSignature,
    xml: &[u8],
    method: Option<FileDigest>,
    signer: Option<&PublicKeyInfo>,
) -> Outcome {
    let Some(hash) = signature_hash(&ses.signature_algorithm) else {
        return (
            OfdStatus::Indeterminate,
            format!(
                "no known hash for signature algorithm {}",
                ses.signature_algorithm
            ),
        );
    };
    if hash.digest(xml) == ses.data_hash {
        return (
            OfdStatus::Passed,
            format!("dataHash is the {hash} of Signature.xml"),
        );
    }
    if method == Some(FileDigest::Sm3WithZ)
        && FileDigest::Sm3WithZ.digest(xml, signer).as_deref() == Ok(&ses.data_hash[..])
    {
        return (
            OfdStatus::Passed,
            "dataHash is SM3(Z || Signature.xml)".into(),
        );
    }
    (
        OfdStatus::Failed,
        format!("dataHash is not the {hash} of Signature.xml (it changed after signing)"),
    )
}

fn property_info(sig: &OfdSignature, property: &str) -> Outcome {
    match resolve(super::model::folder(&sig.path), property) {
        Ok(p) if p == sig.path => (OfdStatus::Passed, format!("propertyInfo names {p}")),
        _ => (
            OfdStatus::Indeterminate,
            format!("propertyInfo {property:?} does not name {}", sig.path),
        ),
    }
}

/// Verifies `signature` over `message` with `key`: SM2 (the policy's signer ID, DER or raw
/// `r ‖ s`) or RSA/ECDSA as the algorithm OID says.
pub fn verify_with(
    key: &PublicKeyInfo,
    alg: &Oid,
    message: &[u8],
    signature: &[u8],
    policy: &AlgorithmPolicy,
) -> Result<VerifiedSignature, SignatureError> {
    let alg_id = AlgorithmIdentifier {
        oid: alg.clone(),
        params: None,
    };
    crypto::verify_signature(&alg_id, key, None, message, signature, policy)
}

pub(super) fn signature_outcome(
    cert: Option<&CarriedCertificate>,
    alg: &Oid,
    message: &[u8],
    signature: &[u8],
    policy: &AlgorithmPolicy,
    over: &str,
) -> Outcome {
    let Some((cert, key)) = cert.and_then(|c| Some((c, c.key()?))) else {
        return (
            OfdStatus::Indeterminate,
            "no public key to verify with".into(),
        );
    };
    outcome_of(
        verify_with(key, alg, message, signature, policy),
        cert,
        over,
    )
}

/// A signature check's result as a status and message.
fn outcome_of(
    result: Result<VerifiedSignature, SignatureError>,
    cert: &CarriedCertificate,
    over: &str,
) -> Outcome {
    match result {
        Ok(v) => (
            OfdStatus::Passed,
            format!(
                "{} signature over {over} verifies with {} ({})",
                v.algorithm,
                cert.label(),
                v.encoding.as_str()
            ),
        ),
        // An algorithm that is unknown or refused by the policy leaves it undecided.
        Err(e) if crypto::rule_for(&e) == Rule::SignatureAlgorithm => (
            OfdStatus::Indeterminate,
            format!(
                "the signature over {over} cannot be checked with {}: {e}",
                cert.label()
            ),
        ),
        Err(e) => (
            OfdStatus::Failed,
            format!(
                "the signature over {over} does not verify with {}: {e}",
                cert.label()
            ),
        ),
    }
}

/// The seal maker's signature over the seal ([`Seal::signed_bytes`]).
pub fn verify_seal(seal: &Seal, policy: &AlgorithmPolicy) -> OfdCheck {
    verify_seal_cached(seal, policy, None)
}

/// [`verify_seal`], remembering the result in `cache` under the maker certificate's, the
/// whole seal's and the policy's SHA-256 (as certificate signatures are remembered): every
/// document sealed with one seal carries the same signed seal.
pub fn verify_seal_cached(
    seal: &Seal,
    policy: &AlgorithmPolicy,
    cache: Option<&SignatureCache>,
) -> OfdCheck {
    let over = match seal.version {
        super::seal::SesVersion::V1 => "SEQUENCE(sealInfo, cert, signatureAlgorithm)",
        _ => "SES_SealInfo",
    };
    let (status, message) = match &seal.maker.certificate {
        Some(maker) => {
            let key = cache.map(|_| {
                let mut h = KeyHasher::new();
                h.value(policy);
                (maker.sha256, crypto::sha256(&seal.raw), h.finish32())
            });
            let cached = cache.zip(key.as_ref()).and_then(|(c, k)| c.get(k));
            let result = cached.unwrap_or_else(|| {
                let r = verify_with(
                    &maker.public_key,
                    &seal.signature_algorithm,
                    &seal.signed_bytes,
                    &seal.signature,
                    policy,
                );
                if let (Some(c), Some(k)) = (cache, key) {
                    c.put(k, r.clone());
                }
                r
            });
            outcome_of(result, &seal.maker, over)
        }
        None => (
            OfdStatus::Indeterminate,
            format!(
                "not checked: the seal maker's certificate does not parse ({})",
                seal.maker.error.as_deref().unwrap_or_default()
            ),
        ),
    };
    OfdCheck {
        rule: OfdRule::SealSignature,
        status,
        file: None,
        message,
    }
}

/// The checks of an `SES_Signature` that need no document: the signature over `TBS_Sign`,
/// the seal's signature, the certList, and the validity windows at `timeInfo`.
pub fn verify_ses(ses: &SesSignature, options: &VerifyOptions) -> Vec<OfdCheck> {
    let mut checks = Checks::default();
    let signer = &ses.signer;
    checks.outcome(
        OfdRule::Signature,
        signature_outcome(
            Some(signer),
            &ses.signature_algorithm,
            &ses.tbs_raw,
            &ses.signature,
            &options.policy,
            "TBS_Sign",
        ),
    );
    checks.outcome(
        OfdRule::SealMakerCertificate,
        carried_outcome(&ses.seal.maker, "seal maker"),
    );
    checks.0.push(verify_seal_cached(
        &ses.seal,
        &options.policy,
        options.signature_cache.as_deref(),
    ));
    checks.outcome(
        OfdRule::SignerInSealCertList,
        in_cert_list(&ses.seal, signer),
    );
    let p = &ses.seal.info.property;
    checks.outcome(
        OfdRule::SealValidity,
        window(
            Some(&ses.time_info),
            p.valid_start.unix,
            p.valid_end.unix,
            "the seal's validity window",
        ),
    );
    signer_validity(signer.validity(), Some(&ses.time_info), &mut checks);
    checks.0
}

fn seal_file(package: &OfdPackage, sig: &OfdSignature, seal: &Seal) -> Outcome {
    match &sig.signed_info.seal {
        None => (OfdStatus::Skipped, "SignedInfo names no Seal file".into()),
        Some(Err(e)) => (
            OfdStatus::Failed,
            format!("the Seal location is refused: {e}"),
        ),
        Some(Ok(path)) => match package.read(path) {
            Ok(bytes) if bytes == seal.raw => (
                OfdStatus::Passed,
                format!("{path} is the seal inside the signature"),
            ),
            Ok(_) => (
                OfdStatus::Failed,
                format!("{path} differs from the seal inside the signature"),
            ),
            Err(e) => (OfdStatus::Failed, e.to_string()),
        },
    }
}

fn digest_by_name(name: &str) -> Option<DigestAlgorithm> {
    file_digest(Some(name)).ok().and_then(|d| match d {
        FileDigest::Plain(d) => Some(d),
        FileDigest::Sm3WithZ => None,
    })
}

fn in_cert_list(seal: &Seal, signer: &CarriedCertificate) -> Outcome {
    match &seal.info.property.cert_list {
        CertList::Certificates(certs) if certs.contains(&signer.der) => (
            OfdStatus::Passed,
            format!(
                "{} is one of the seal's {} certificate(s)",
                signer.label(),
                certs.len()
            ),
        ),
        CertList::Certificates(certs) => (
            OfdStatus::Failed,
            format!(
                "{} is not among the seal's {} certificate(s)",
                signer.label(),
                certs.len()
            ),
        ),
        CertList::Digests(digests) => {
            let mut unknown = 0;
            for d in digests {
                match digest_by_name(&d.algorithm) {
                    Some(alg) if alg.digest(&signer.der) == d.value => {
                        return (
                            OfdStatus::Passed,
                            format!("the {alg} of {} is in the seal's certList", signer.label()),
                        )
                    }
                    Some(_) => {}
                    None => unknown += 1,
                }
            }
            if unknown > 0 {
                (
                    OfdStatus::Indeterminate,
                    format!("{unknown} certList digest(s) use an unknown hash"),
                )
            } else {
                (
                    OfdStatus::Failed,
                    format!(
                        "no digest in the seal's certList is that of {}",
                        signer.label()
                    ),
                )
            }
        }
        CertList::Unrecognised(what) => (
            OfdStatus::Indeterminate,
            format!("the seal's certList is in an unknown form ({what})"),
        ),
    }
}

/// Whether `at` is inside `[start, end]`. Producers write China time with a `Z` (and plain
/// local time without zone), so the other reading (8 hours apart) is tried too: inside under
/// both readings passes, under neither fails, under one only is indeterminate.
pub(super) fn window(
    at: Option<&SesTime>,
    start: Option<UnixTime>,
    end: Option<UnixTime>,
    what: &str,
) -> Outcome {
    let Some(at) = at else {
        return (OfdStatus::Indeterminate, "no signing time".into());
    };
    let (Some(t), Some(start), Some(end)) = (at.unix, start, end) else {
        return (
            OfdStatus::Indeterminate,
            format!("{what} or the signing time {:?} is unreadable", at.text),
        );
    };
    let other = if at.zone_given {
        t - 8 * 3600
    } else {
        t + 8 * 3600
    };
    let inside = |x: UnixTime| start <= x && x <= end;
    let range = format!(
        "{} – {}",
        crate::asn1::format_time(start),
        crate::asn1::format_time(end)
    );
    match (inside(t), inside(other)) {
        (true, true) => (OfdStatus::Passed, format!("{:?} is inside {what} {range}", at.text)),
        (false, false) => (OfdStatus::Failed, format!("{:?} is outside {what} {range}", at.text)),
        _ => (
            OfdStatus::Indeterminate,
            format!(
                "{:?} is inside {what} {range} under one reading of its zone only (UTC or China time)",
                at.text
            ),
        ),
    }
}

pub(super) fn signer_validity(
    validity: Option<(UnixTime, UnixTime)>,
    at: Option<&SesTime>,
    checks: &mut Checks,
) {
    match validity {
        Some((not_before, not_after)) => checks.outcome(
            OfdRule::SignerCertificateValidity,
            window(
                at,
                Some(not_before),
                Some(not_after),
                "the signer certificate's validity",
            ),
        ),
        None => checks.push(
            OfdRule::SignerCertificateValidity,
            OfdStatus::Indeterminate,
            "no signer certificate",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_methods() {
        assert_eq!(
            file_digest(None),
            Ok(FileDigest::Plain(DigestAlgorithm::Sm3))
        );
        assert_eq!(
            file_digest(Some("SM3")),
            Ok(FileDigest::Plain(DigestAlgorithm::Sm3))
        );
        assert_eq!(
            file_digest(Some("1.2.156.10197.1.401")),
            Ok(FileDigest::Plain(DigestAlgorithm::Sm3))
        );
        assert_eq!(
            file_digest(Some("1.2.156.10197.1.401.2")),
            Ok(FileDigest::Sm3WithZ)
        );
        assert_eq!(
            file_digest(Some("sha-256")),
            Ok(FileDigest::Plain(DigestAlgorithm::Sha256))
        );
        assert!(file_digest(Some("MD5")).is_err());
        assert!(file_digest(Some("1.2.840.113549.2.5")).is_err());
    }

    #[test]
    fn windows_with_both_zone_readings() {
        let at =
            |text: &str| SesTime::new(text.into(), super::super::time::TimeForm::GeneralizedTime);
        let day = 86_400;
        let t = at("20261120120000Z").unix.unwrap();
        assert_eq!(
            window(
                Some(&at("20261120120000Z")),
                Some(t - day),
                Some(t + day),
                "w"
            )
            .0,
            OfdStatus::Passed
        );
        assert_eq!(
            window(
                Some(&at("20261120120000Z")),
                Some(t + 1),
                Some(t + day),
                "w"
            )
            .0,
            OfdStatus::Failed
        );
        assert_eq!(
            window(
                Some(&at("20261120120000Z")),
                Some(t - 3600),
                Some(t + day),
                "w"
            )
            .0,
            OfdStatus::Indeterminate
        );
        assert_eq!(
            window(None, Some(0), Some(1), "w").0,
            OfdStatus::Indeterminate
        );
    }
}
