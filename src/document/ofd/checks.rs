//! The checks of an OFD package's signatures: per signature a typed list of
//! ([`OfdRule`], [`OfdStatus`], message), which files it covers, its signer and seal maker;
//! per package the files no signature covers.
//!
//! The references are checked here (each file's digest over its raw entry bytes, with the
//! hash `CheckMethod` names); what depends on the form of `SignedValue.dat` is in
//! `crypto_checks`. Certificate paths, revocation and trust are the caller's: the signer
//! and seal-maker certificates are exposed for them.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::Serialize;

use super::crypto_checks::{self, FileDigest};
use super::model::{ListedSignature, OfdSignature, SignatureKind};
use super::package::OfdPackage;
use super::rules::{Checks, Outcome};
pub use super::rules::{OfdCheck, OfdRule, OfdStatus, VerifyOptions};
use super::ses::{self, EmbeddedTimestamp, SignedValue};
use super::summary::SealSummary;
use super::time::SesTime;
use super::OfdError;
use crate::crypto::{PublicKeyInfo, ValueEncoding};
use crate::x509::Certificate;

/// Everything found about one signature.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct SignatureResult {
    /// The document ([`super::OfdDocument::index`]).
    pub document: usize,
    /// `ID` in `Signatures.xml`.
    pub id: String,
    /// `Type`.
    pub kind: SignatureKind,
    /// `Relative`: the signature this one counter-signs.
    pub relative: Option<String>,
    /// The `Signature.xml` entry, when its location resolved.
    pub path: Option<String>,
    /// `V1`, `V4`, `SignedData` or `bare`, when `SignedValue.dat` parsed.
    pub format: Option<&'static str>,
    /// The checks, in the order they ran.
    pub checks: Vec<OfdCheck>,
    /// The entries the references name (present in the package), sorted.
    pub covered_files: Vec<String>,
    /// This signature's own entries (`Signature.xml`, `SignedValue.dat`).
    pub signature_files: Vec<String>,
    /// DER or raw (`plain`) encoding of the signer's SM2 signature.
    pub signature_encoding: Option<ValueEncoding>,
    /// DER or raw (`plain`) encoding of the seal maker's SM2 signature.
    pub seal_signature_encoding: Option<ValueEncoding>,
    /// The time the validity checks used (`timeInfo`, signingTime or `SignatureDateTime`).
    pub signing_time: Option<SesTime>,
    /// The seal, for a V1/V4 signature.
    pub seal: Option<SealSummary>,
    /// The signer's certificate subject.
    pub signer: Option<String>,
    /// The signer's certificate, for path validation and recognition.
    #[serde(skip)]
    pub signer_certificate: Option<Arc<Certificate>>,
    /// The seal maker's certificate, for path validation and recognition.
    #[serde(skip)]
    pub seal_maker_certificate: Option<Arc<Certificate>>,
    /// The signer's signature algorithm, dotted, as written.
    pub signature_algorithm: Option<String>,
    /// The hash the signer's signature uses.
    #[serde(skip)]
    pub digest_algorithm: Option<crate::crypto::DigestAlgorithm>,
    /// A timestamp token carried in the signature (not verified here), with what it covers.
    pub timestamp: Option<EmbeddedTimestamp>,
}

impl SignatureResult {
    /// True when no check failed and the signature check passed.
    pub fn passed(&self) -> bool {
        !self.checks.iter().any(|c| c.status == OfdStatus::Failed)
            && self.status(OfdRule::Signature) == Some(OfdStatus::Passed)
    }

    /// The status of the (first) check with this rule, if it ran.
    pub fn status(&self, rule: OfdRule) -> Option<OfdStatus> {
        self.checks
            .iter()
            .find(|c| c.rule == rule)
            .map(|c| c.status)
    }

    /// The checks with this rule.
    pub fn checks_of(&self, rule: OfdRule) -> impl Iterator<Item = &OfdCheck> {
        self.checks.iter().filter(move |c| c.rule == rule)
    }

    /// The `FileRef`s whose digest check did not pass, as written.
    pub fn failed_references(&self) -> Vec<&str> {
        self.checks_of(OfdRule::ReferenceDigest)
            .filter(|c| c.status != OfdStatus::Passed)
            .filter_map(|c| c.file.as_deref())
            .collect()
    }
}

/// The result for a whole package.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct OfdVerification {
    /// One result per listed signature, in list order.
    pub signatures: Vec<SignatureResult>,
    /// Files of the package that no signature covers (neither referenced nor a signature's
    /// own file): added or replaced after signing, or never protected.
    pub uncovered_files: Vec<String>,
}

impl OfdVerification {
    /// True when there is at least one signature and every one passed.
    pub fn all_passed(&self) -> bool {
        !self.signatures.is_empty() && self.signatures.iter().all(SignatureResult::passed)
    }
}

/// Verifies every signature of `package`.
pub fn verify_signatures(
    package: &OfdPackage,
    options: &VerifyOptions,
) -> Result<OfdVerification, OfdError> {
    let listed = package.signatures()?;
    let signatures: Vec<SignatureResult> = listed
        .iter()
        .map(|l| verify_listed(package, l, options))
        .collect();
    let mut covered = BTreeSet::new();
    for s in &signatures {
        covered.extend(s.covered_files.iter().map(String::as_str));
        covered.extend(s.signature_files.iter().map(String::as_str));
    }
    let uncovered_files = package
        .file_names()
        .filter(|n| !covered.contains(n))
        .map(str::to_owned)
        .collect();
    Ok(OfdVerification {
        signatures,
        uncovered_files,
    })
}

/// Verifies one listed signature.
pub fn verify_listed(
    package: &OfdPackage,
    listed: &ListedSignature,
    options: &VerifyOptions,
) -> SignatureResult {
    let mut result = SignatureResult {
        document: listed.document,
        id: listed.id.clone(),
        kind: listed.kind.clone(),
        relative: listed.relative.clone(),
        path: None,
        format: None,
        checks: Vec::new(),
        covered_files: Vec::new(),
        signature_files: Vec::new(),
        signature_encoding: None,
        seal_signature_encoding: None,
        signing_time: None,
        seal: None,
        signer: None,
        signer_certificate: None,
        seal_maker_certificate: None,
        signature_algorithm: None,
        digest_algorithm: None,
        timestamp: None,
    };
    let mut checks = Checks::default();
    match &listed.signature {
        Ok(sig) => verify_signature(package, sig, options, &mut result, &mut checks),
        Err(e) => checks.push(OfdRule::SignatureXml, OfdStatus::Failed, e.to_string()),
    }
    result.checks = checks.0;
    result
}

fn verify_signature(
    package: &OfdPackage,
    sig: &OfdSignature,
    options: &VerifyOptions,
    result: &mut SignatureResult,
    checks: &mut Checks,
) {
    result.path = Some(sig.path.clone());
    result.signature_files = vec![sig.path.clone(), sig.signed_value.clone()];
    checks.push(
        OfdRule::SignatureXml,
        OfdStatus::Passed,
        format!(
            "{} parsed: {} references",
            sig.path,
            sig.signed_info.references.len()
        ),
    );
    let value = package
        .read(&sig.signed_value)
        .and_then(|bytes| ses::parse_signed_value(&bytes, &package.limits));
    let value = match value {
        Ok(v) => {
            checks.push(
                OfdRule::SignedValue,
                OfdStatus::Passed,
                format!("{}: {}", sig.signed_value, describe_format(&v)),
            );
            result.format = Some(v.format());
            Some(v)
        }
        Err(e) => {
            checks.push(OfdRule::SignedValue, OfdStatus::Failed, e.to_string());
            None
        }
    };
    let found = match &value {
        Some(v) => check_value(package, sig, v, options, checks),
        None => crypto_checks::Found::default(),
    };
    let signer_key = found.signer.as_ref().map(|c| &c.public_key);
    check_references(package, sig, signer_key, checks, result);
    result.signature_encoding = found.signature_encoding;
    result.seal_signature_encoding = found.seal_signature_encoding;
    result.signing_time = found.signing_time;
    result.seal = found.seal;
    result.signer = found.signer.as_ref().map(|c| c.subject.to_string());
    result.signer_certificate = found.signer;
    result.seal_maker_certificate = found.seal_maker;
    result.signature_algorithm = found.signature_algorithm;
    result.digest_algorithm = found.digest_algorithm;
    result.timestamp = found.timestamp;
}

fn describe_format(v: &SignedValue) -> String {
    match v {
        SignedValue::Ses(s) => format!(
            "SES_Signature {:?} (TBS_Sign version {}, seal {:?})",
            s.version, s.tbs_version, s.seal.version
        ),
        SignedValue::SignedData(sd) => format!(
            "SignedData (content type {}, {} signer(s), {} certificate(s))",
            sd.outer_content_type,
            sd.signers.len(),
            sd.certificates.len()
        ),
        SignedValue::Bare(b) => format!(
            "a bare SM2 signature ({}), no certificate",
            b.encoding.as_str()
        ),
    }
}

/// Every reference: the entry exists and its digest (over the raw entry bytes, with the hash
/// `CheckMethod` names) equals the `CheckValue`.
fn check_references(
    package: &OfdPackage,
    sig: &OfdSignature,
    signer: Option<&PublicKeyInfo>,
    checks: &mut Checks,
    result: &mut SignatureResult,
) {
    let method = crypto_checks::file_digest(sig.signed_info.check_method.as_deref());
    match &method {
        Ok(m) => checks.push(OfdRule::CheckMethod, OfdStatus::Passed, m.describe()),
        Err(e) => checks.push(OfdRule::CheckMethod, OfdStatus::Failed, e.clone()),
    }
    let mut covered = BTreeSet::new();
    for r in &sig.signed_info.references {
        let outcome = match (&r.path, &r.check_value, &method) {
            (Err(e), _, _) => (OfdStatus::Failed, format!("the location is refused: {e}")),
            (Ok(path), _, _) if !package.contains(path) => {
                (OfdStatus::Failed, format!("{path} is not in the package"))
            }
            (Ok(path), Err(e), _) => {
                covered.insert(path.clone());
                (OfdStatus::Failed, e.clone())
            }
            (Ok(path), Ok(_), Err(_)) => {
                covered.insert(path.clone());
                (
                    OfdStatus::Indeterminate,
                    "unsupported CheckMethod".to_owned(),
                )
            }
            (Ok(path), Ok(expected), Ok(m)) => {
                covered.insert(path.clone());
                digest_outcome(
                    package,
                    path,
                    expected,
                    *m,
                    signer,
                    &sig.signed_info.check_method,
                )
            }
        };
        checks.0.push(OfdCheck {
            rule: OfdRule::ReferenceDigest,
            status: outcome.0,
            file: Some(r.file_ref.clone()),
            message: outcome.1,
        });
    }
    result.covered_files = covered.into_iter().collect();
}

fn digest_outcome(
    package: &OfdPackage,
    path: &str,
    expected: &[u8],
    method: FileDigest,
    signer: Option<&PublicKeyInfo>,
    written: &Option<String>,
) -> Outcome {
    let data = match package.read_cow(path) {
        Ok(d) => d,
        Err(e) => return (OfdStatus::Failed, e.to_string()),
    };
    match method.digest(&data, signer) {
        Ok(actual) if actual == expected => (
            OfdStatus::Passed,
            format!("{path}: {} digest matches", method.describe()),
        ),
        Ok(_) => (
            OfdStatus::Failed,
            format!(
                "{path}: {} digest differs from the CheckValue (the file changed after signing)",
                method.describe()
            ),
        ),
        Err(e) => (
            OfdStatus::Indeterminate,
            format!(
                "{path}: CheckMethod {} needs {e}",
                written.as_deref().unwrap_or("SM3")
            ),
        ),
    }
}

/// The checks of one signed value; returns what was found.
fn check_value(
    package: &OfdPackage,
    sig: &OfdSignature,
    value: &SignedValue,
    options: &VerifyOptions,
    checks: &mut Checks,
) -> crypto_checks::Found {
    match value {
        SignedValue::Ses(ses) => crypto_checks::check_ses(package, sig, ses, options, checks),
        SignedValue::SignedData(sd) => {
            super::cms_checks::check_signed_data(sig, sd, options, checks)
        }
        SignedValue::Bare(b) => {
            let mut found = crypto_checks::Found {
                signature_encoding: Some(b.encoding),
                signature_algorithm: Some(crate::asn1::oid::known::SM2_SM3.to_string()),
                digest_algorithm: Some(crate::crypto::DigestAlgorithm::Sm3),
                signing_time: sig.signed_info.signature_date_time.clone(),
                ..crypto_checks::Found::default()
            };
            checks.push(
                OfdRule::DataHash,
                OfdStatus::Skipped,
                "a bare signature covers Signature.xml itself",
            );
            super::cms_checks::check_bare(sig, &b.signature, options, checks, &mut found);
            crypto_checks::signer_validity(
                found.signer.as_ref().map(|c| (c.not_before, c.not_after)),
                found.signing_time.as_ref(),
                checks,
            );
            checks.push(
                OfdRule::Timestamp,
                OfdStatus::Skipped,
                "no timestamp in a bare signature",
            );
            found
        }
    }
}
