//! The vocabulary of the OFD checks: rules, statuses, one check, the options of a
//! verification, and the collector every check module pushes into.

use serde::Serialize;

use crate::crypto::{AlgorithmPolicy, SignatureCache};
use crate::x509::Certificate;
use std::sync::Arc;

/// A status and its message.
pub(super) type Outcome = (OfdStatus, String);

/// What a check is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum OfdRule {
    /// `Signature.xml` was found and parsed.
    SignatureXml,
    /// `SignedValue.dat` was found and is one of the known forms.
    SignedValue,
    /// `References/@CheckMethod` names a hash this verifier computes.
    CheckMethod,
    /// One referenced file's digest matches its `CheckValue` (one check per reference).
    ReferenceDigest,
    /// The signed block binds `Signature.xml`: `dataHash` (SES), messageDigest or eContent
    /// (SignedData).
    DataHash,
    /// `propertyInfo` names this `Signature.xml`.
    PropertyInfo,
    /// The signer's certificate is present and parses (or was supplied for a bare signature).
    SignerCertificate,
    /// The signer's signature (over `TBS_Sign`, the SignedData signer, or `Signature.xml`).
    Signature,
    /// The other SignerInfo checks of a SignedData (signer identifier, digest algorithm,
    /// attribute placement, content type, signing certificate).
    SignedDataStructure,
    /// The seal maker's certificate, carried in the seal, parses.
    SealMakerCertificate,
    /// The seal maker's signature over the seal.
    SealSignature,
    /// The `Seal` file `SignedInfo` names is the seal inside the signature.
    SealFile,
    /// The signer's certificate is in the seal's `certList` (certificate or digest form).
    SignerInSealCertList,
    /// The signing time is inside the seal's validity window.
    SealValidity,
    /// The signing time is inside the signer certificate's validity.
    SignerCertificateValidity,
    /// A timestamp inside the signature (exposed, not verified here).
    Timestamp,
}

impl OfdRule {
    /// Every rule, in the order a signature's checks run.
    pub const ALL: &'static [OfdRule] = &[
        OfdRule::SignatureXml,
        OfdRule::SignedValue,
        OfdRule::DataHash,
        OfdRule::PropertyInfo,
        OfdRule::SignerCertificate,
        OfdRule::Signature,
        OfdRule::SignedDataStructure,
        OfdRule::SealMakerCertificate,
        OfdRule::SealSignature,
        OfdRule::SealFile,
        OfdRule::SignerInSealCertList,
        OfdRule::SealValidity,
        OfdRule::SignerCertificateValidity,
        OfdRule::Timestamp,
        OfdRule::CheckMethod,
        OfdRule::ReferenceDigest,
    ];
}

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OfdStatus {
    /// It ran and passed.
    Passed,
    /// It ran and failed: the signature must not be accepted.
    Failed,
    /// It could not be decided (missing key, unknown form, ambiguous time).
    Indeterminate,
    /// It does not apply.
    Skipped,
}

/// One check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OfdCheck {
    /// The rule.
    pub rule: OfdRule,
    /// The outcome.
    pub status: OfdStatus,
    /// The file concerned, for per-file rules (`ReferenceDigest`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// What was found.
    pub message: String,
}

/// Settings of a verification.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct VerifyOptions {
    /// Which algorithms and key sizes are accepted, and the SM2 signer ID.
    pub policy: AlgorithmPolicy,
    /// Certificates supplied out of band: the key of a bare signature (which carries none),
    /// and extra candidates for a SignedData signer.
    pub signer_certificates: Vec<Arc<Certificate>>,
    /// Where seal signatures are remembered between packages (a seal is reused by every
    /// document its holder seals, like a certificate); `None`: each is verified.
    pub signature_cache: Option<Arc<SignatureCache>>,
}

impl VerifyOptions {
    /// The default policy, no extra certificates.
    pub fn new() -> Self {
        VerifyOptions::default()
    }

    /// With certificates supplied out of band (see [`VerifyOptions::signer_certificates`]).
    pub fn with_signer_certificates(mut self, certs: Vec<Arc<Certificate>>) -> Self {
        self.signer_certificates = certs;
        self
    }

    /// Remembering seal signatures in `cache` (see [`VerifyOptions::signature_cache`]).
    pub fn with_signature_cache(mut self, cache: Arc<SignatureCache>) -> Self {
        self.signature_cache = Some(cache);
        self
    }

    /// With an algorithm policy.
    pub fn with_policy(mut self, policy: AlgorithmPolicy) -> Self {
        self.policy = policy;
        self
    }
}

/// Collects checks.
#[derive(Default)]
pub(super) struct Checks(pub(super) Vec<OfdCheck>);

impl Checks {
    pub(super) fn push(&mut self, rule: OfdRule, status: OfdStatus, message: impl Into<String>) {
        self.0.push(OfdCheck {
            rule,
            status,
            file: None,
            message: message.into(),
        });
    }

    pub(super) fn outcome(&mut self, rule: OfdRule, outcome: Outcome) {
        self.push(rule, outcome.0, outcome.1);
    }
}
