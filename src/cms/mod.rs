//! CMS / PKCS#7 SignedData (RFC 5652; GB/T 35275 OIDs): decoding and the per-signer
//! cryptographic checks.
//!
//! This module owns the signature-container layer that sits on top of certificate path
//! validation: it turns DER, BER or PEM bytes into an owned [`SignedData`] (with the embedded
//! certificates and CRLs parsed by [`crate::parse`]), finds a signer's certificate, digests the
//! content, and checks one signer: messageDigest, contentType, CMSAlgorithmProtection, the ESS
//! signingCertificate(V2) binding, attribute placement, and the signature itself through
//! [`crate::crypto::verify_signature_with_digest`]. It does not validate certificate paths or
//! revocation, read S/MIME, or judge trust lists; callers combine its [`SignerCheck`] with
//! [`crate::validate`].
//!
//! Decoding uses its own bounded BER reader (`ber`): every length is checked, nesting is
//! bounded by [`CmsLimits::max_depth`] and every reassembled value by [`CmsLimits::max_size`],
//! so hostile input gives a typed [`CmsError`], never a panic or a stack overflow.

mod attrs;
pub(crate) mod ber;
mod decode;
mod verify;

use std::sync::Arc;

use crate::crypto::Weakness;
use crate::limits::Limits;
use crate::parse::{AlgorithmIdentifier, Certificate, Crl, Name, Oid, ParseError, UnixTime};

pub use decode::{parse, parse_cached, parse_data};
pub use verify::{
    digest_bytes, digest_content, find_signer_certificate, verify_counter_signature, verify_signer,
    verify_signer_with, SignerInputs,
};

/// Bounds on one CMS decoding. Exceeding one gives [`CmsError::Limit`] or
/// [`CmsError::TooMany`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CmsLimits {
    /// Deepest BER nesting followed (also bounds nested counter-signatures).
    pub max_depth: usize,
    /// Largest input, and largest reassembled or re-encoded value, in bytes.
    pub max_size: usize,
    /// Most certificates in `certificates`.
    pub max_certificates: usize,
    /// Most CRLs in `crls`.
    pub max_crls: usize,
    /// Most revoked entries in one embedded CRL.
    pub max_crl_entries: usize,
    /// Most SignerInfos (counting counter-signatures).
    pub max_signers: usize,
    /// Most attributes in one signed or unsigned attribute set, and most values in one
    /// attribute.
    pub max_attributes: usize,
}

impl CmsLimits {
    /// Every bound taken from the crate-wide [`Limits`] (`Limits::default()` gives
    /// `CmsLimits::default()`).
    pub fn from_limits(limits: &Limits) -> Self {
        CmsLimits {
            max_depth: limits.max_asn1_depth,
            max_size: limits.max_object_size,
            max_certificates: limits.max_certificates_per_document,
            max_crls: limits.max_crls_per_document,
            max_crl_entries: limits.max_crl_entries,
            max_signers: limits.max_signers,
            max_attributes: limits.max_attributes,
        }
    }
}

impl Default for CmsLimits {
    fn default() -> Self {
        let limits = Limits::default();
        CmsLimits {
            max_depth: 64,
            max_size: limits.max_object_size,
            max_certificates: 256,
            max_crls: 256,
            max_crl_entries: limits.max_crl_entries,
            max_signers: 64,
            max_attributes: 64,
        }
    }
}

/// Why CMS bytes could not be decoded. Every variant says where (`at`, a path such as
/// `SignedData.signerInfos[0].signedAttrs`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CmsError {
    /// The input is larger than [`CmsLimits::max_size`].
    #[error(
        "CMS input of {size} bytes exceeds the limit of {limit} bytes (Limits::max_object_size)"
    )]
    TooLarge {
        /// Input size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// PEM armour is broken or holds no PKCS7 / CMS block.
    #[error("bad PEM: {detail}")]
    Pem {
        /// What is wrong.
        detail: String,
    },
    /// The BER structure is malformed at `at`.
    #[error("{at}: malformed: {detail}")]
    Malformed {
        /// Where.
        at: String,
        /// What is wrong.
        detail: String,
    },
    /// Nesting or a value size exceeded a limit at `at`.
    #[error("{at}: limit exceeded: {detail}")]
    Limit {
        /// Where.
        at: String,
        /// Which limit.
        detail: String,
    },
    /// More elements than a count limit allows.
    #[error("{at}: more than {limit} {what} (Limits::{limit_name})")]
    TooMany {
        /// Where.
        at: String,
        /// What was counted.
        what: &'static str,
        /// The [`Limits`] field that bounds it.
        limit_name: &'static str,
        /// The limit.
        limit: usize,
    },
    /// The ContentInfo (or eContent) holds another content type than the one wanted.
    #[error("{at}: content type is {found}, expected {expected}")]
    WrongContentType {
        /// Where.
        at: String,
        /// The content type found (dotted OID and name when known).
        found: String,
        /// What was expected.
        expected: &'static str,
    },
    /// An embedded certificate does not parse.
    #[error("{at}: {source}")]
    Certificate {
        /// Where (`SignedData.certificates[i]`).
        at: String,
        /// Why.
        source: ParseError,
    },
    /// An embedded CRL does not parse.
    #[error("{at}: {source}")]
    Crl {
        /// Where (`SignedData.crls[i]`).
        at: String,
        /// Why.
        source: ParseError,
    },
    /// An attribute breaks RFC 5652 §11 / RFC 5035 / RFC 6211 (malformed value, wrong
    /// number of values, or a single-instance attribute repeated).
    #[error("{at}: attribute {attribute}: {detail}")]
    Attribute {
        /// Where.
        at: String,
        /// The attribute's name.
        attribute: &'static str,
        /// What is wrong.
        detail: String,
    },
}

/// A decoded SignedData.
#[derive(Clone, Debug)]
pub struct SignedData {
    /// encapContentInfo.eContentType.
    pub content_type: Oid,
    /// The reassembled eContent; `None` when detached (the caller supplies the content).
    pub content: Option<Vec<u8>>,
    /// The embedded certificates (other CertificateChoices are skipped).
    pub certificates: Vec<Arc<Certificate>>,
    /// The embedded CRLs (other RevocationInfoChoices are skipped).
    pub crls: Vec<Arc<Crl>>,
    /// The SignerInfos, in order.
    pub signers: Vec<SignerInfo>,
    /// SignedData.version.
    pub version: u32,
    /// SignedData.digestAlgorithms, in order.
    pub digest_algorithms: Vec<AlgorithmIdentifier>,
    /// The ContentInfo content type (`1.2.840.113549.1.7.2` or GB/T 35275 `1.2.156.10197.6.1.4.2.2`).
    pub outer_content_type: Oid,
}

/// How a SignerInfo names its certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignerId {
    /// issuerAndSerialNumber.
    IssuerSerial {
        /// The issuer name.
        issuer: Name,
        /// The serial number's INTEGER content octets as encoded.
        serial: Vec<u8>,
    },
    /// `[0]` subjectKeyIdentifier.
    SubjectKeyId(Vec<u8>),
}

/// One attribute: its type and the DER of each value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// attrType.
    pub oid: Oid,
    /// attrValues, each as a complete DER TLV.
    pub values: Vec<Vec<u8>>,
}

/// One ESSCertID (RFC 2634) or ESSCertIDv2 (RFC 5035).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EssCertId {
    /// The hash algorithm: SHA-1 for ESSCertID; as given (default SHA-256) for ESSCertIDv2.
    pub hash_algorithm: AlgorithmIdentifier,
    /// certHash.
    pub hash: Vec<u8>,
    /// issuerSerial: the directoryName entries of the issuer GeneralNames and the serial's
    /// INTEGER content octets, when present.
    pub issuer_serial: Option<(Vec<Name>, Vec<u8>)>,
}

/// The signed attributes of a SignerInfo, decoded.
#[derive(Clone, Debug)]
pub struct SignedAttributes {
    /// The attributes re-encoded as a DER SET OF (tag 0x31): the signature input
    /// (RFC 5652 §5.4). Element order is kept as received.
    pub der_for_signature: Vec<u8>,
    /// Every attribute, in order.
    pub attributes: Vec<Attribute>,
    /// contentType.
    pub content_type: Option<Oid>,
    /// messageDigest.
    pub message_digest: Option<Vec<u8>>,
    /// signingTime.
    pub signing_time: Option<UnixTime>,
    /// ESS signingCertificate (v1, SHA-1) or signingCertificateV2 certificate identifiers.
    pub signing_certificate: Option<Vec<EssCertId>>,
    /// CMSAlgorithmProtection (RFC 6211): the digest algorithm and, when present, the
    /// signature algorithm.
    pub algorithm_protection: Option<(AlgorithmIdentifier, Option<AlgorithmIdentifier>)>,
}

/// One SignerInfo.
#[derive(Clone, Debug)]
pub struct SignerInfo {
    /// SignerInfo.version (1 with issuerAndSerialNumber, 3 with subjectKeyIdentifier).
    pub version: u32,
    /// sid.
    pub sid: SignerId,
    /// digestAlgorithm.
    pub digest_algorithm: AlgorithmIdentifier,
    /// signedAttrs.
    pub signed_attrs: Option<SignedAttributes>,
    /// signatureAlgorithm.
    pub signature_algorithm: AlgorithmIdentifier,
    /// signature (reassembled).
    pub signature: Vec<u8>,
    /// unsignedAttrs, in order (counter-signatures included as raw attributes too).
    pub unsigned_attrs: Vec<Attribute>,
    /// The counter-signatures (RFC 5652 §11.4) found in unsignedAttrs, decoded.
    pub counter_signatures: Vec<SignerInfo>,
}

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum CheckStatus {
    /// The check ran and passed.
    Passed,
    /// The check ran and failed: the signature must not be accepted.
    Failed,
    /// The check does not apply (e.g. the attribute is absent).
    Skipped,
}

/// One named check on a signer.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    /// Stable identifier, e.g. `message-digest`, `signature`.
    pub id: &'static str,
    /// Outcome.
    pub status: CheckStatus,
    /// Human-readable detail.
    pub message: String,
}

/// Every check on one signer, and the weak algorithm choices accepted.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SignerCheck {
    /// The checks, in the order they ran.
    pub checks: Vec<Check>,
    /// Weak choices the algorithm policy accepted (SHA-1, DSA, short RSA keys, …).
    pub weaknesses: Vec<Weakness>,
    /// The verified signature scheme, when the signature verified.
    pub algorithm: Option<String>,
}

impl SignerCheck {
    /// True when no check failed and the signature check passed.
    pub fn passed(&self) -> bool {
        !self.checks.iter().any(|c| c.status == CheckStatus::Failed)
            && self
                .checks
                .iter()
                .any(|c| c.id == verify::CHECK_SIGNATURE && c.status == CheckStatus::Passed)
    }

    /// The first failed check, if any.
    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| c.status == CheckStatus::Failed)
    }

    /// The check with this id, if it ran.
    pub fn check(&self, id: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }
}

/// Well-known CMS object identifiers.
pub mod oids {
    use crate::parse::Oid;
    use std::sync::LazyLock;

    macro_rules! oids {
        ($($name:ident = $text:literal;)*) => {
            $(
                #[doc = concat!("`", $text, "`")]
                pub static $name: LazyLock<Oid> = LazyLock::new(|| {
                    Oid::from_dotted($text).unwrap_or_else(|| crate::parse::oid::known::ANY_POLICY.clone())
                });
            )*
        };
    }

    oids! {
        DATA = "1.2.840.113549.1.7.1";
        SIGNED_DATA = "1.2.840.113549.1.7.2";
        ENVELOPED_DATA = "1.2.840.113549.1.7.3";
        DIGESTED_DATA = "1.2.840.113549.1.7.5";
        ENCRYPTED_DATA = "1.2.840.113549.1.7.6";
        GM_DATA = "1.2.156.10197.6.1.4.2.1";
        GM_SIGNED_DATA = "1.2.156.10197.6.1.4.2.2";
        GM_ENVELOPED_DATA = "1.2.156.10197.6.1.4.2.3";
        ATTR_CONTENT_TYPE = "1.2.840.113549.1.9.3";
        ATTR_MESSAGE_DIGEST = "1.2.840.113549.1.9.4";
        ATTR_SIGNING_TIME = "1.2.840.113549.1.9.5";
        ATTR_COUNTER_SIGNATURE = "1.2.840.113549.1.9.6";
        ATTR_SIGNING_CERTIFICATE = "1.2.840.113549.1.9.16.2.12";
        ATTR_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47";
        ATTR_ALGORITHM_PROTECTION = "1.2.840.113549.1.9.52";
        SM2_SIGN = "1.2.156.10197.1.301.1";
    }

    /// A short name for a content type, for messages.
    pub fn content_type_name(oid: &Oid) -> Option<&'static str> {
        let table: [(&LazyLock<Oid>, &'static str); 8] = [
            (&DATA, "data"),
            (&SIGNED_DATA, "signedData"),
            (&ENVELOPED_DATA, "envelopedData"),
            (&DIGESTED_DATA, "digestedData"),
            (&ENCRYPTED_DATA, "encryptedData"),
            (&GM_DATA, "data (GB/T 35275)"),
            (&GM_SIGNED_DATA, "signedData (GB/T 35275)"),
            (&GM_ENVELOPED_DATA, "envelopedData (GB/T 35275)"),
        ];
        table
            .iter()
            .find(|(o, _)| ***o == *oid)
            .map(|(_, name)| *name)
    }

    /// True for id-data and its GB/T 35275 counterpart.
    pub fn is_data(oid: &Oid) -> bool {
        *oid == *DATA || *oid == *GM_DATA
    }
}

#[cfg(test)]
mod tests;
