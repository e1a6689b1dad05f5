//! CMS / PKCS#7 SignedData (RFC 5652; GB/T 35275 OIDs): decoding and the per-signer
//! cryptographic checks.
//!
//! This module owns the signature-container layer that sits on top of certificate path
//! validation: it turns DER, BER or PEM bytes into an owned [`SignedData`] (with the embedded
//! certificates and CRLs parsed by [`crate::x509`]), finds a signer's certificate, digests the
//! content, and checks one signer: messageDigest, contentType, CMSAlgorithmProtection, the ESS
//! signingCertificate(V2) binding, attribute placement, and the signature itself through
//! [`crate::crypto::verify_signature_with_digest`]. It does not validate certificate paths or
//! revocation, read S/MIME, or judge trust lists; callers combine its [`SignerCheck`] with
//! [`crate::validate`].
//!
//! Decoding uses its own bounded BER reader (`ber`): every length is checked, nesting is
//! bounded by [`Limits::max_asn1_depth`] and every reassembled value by [`Limits::max_object_size`],
//! so hostile input gives a typed [`CmsError`], never a panic or a stack overflow.

mod attrs;
mod decode;
pub mod evidence;
mod read;
mod signer;

use std::sync::Arc;

use crate::asn1::{AlgorithmIdentifier, Oid, UnixTime};
use crate::crypto::Weakness;
use crate::limits::Limits;
use crate::verdict::{Check, Rule, Status};
use crate::x509::{Certificate, Crl, Name, ParseError};

pub use decode::{parse, parse_cached, parse_data};
pub use evidence::{evidence, Evidence};
pub use signer::{
    check_counter_signature, check_signer, check_signer_with, digest_bytes, digest_content,
    find_signer_certificate, SignerInputs,
};

/// Why CMS bytes could not be decoded. Every variant says where (`at`, a path such as
/// `SignedData.signerInfos[0].signedAttrs`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CmsError {
    /// The input is larger than [`Limits::max_object_size`].
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
    /// The embedded CRLs.
    pub crls: Vec<Arc<Crl>>,
    /// The other RevocationInfoChoices (RFC 5652 §10.2.1, `[1] OtherRevocationInfoFormat`):
    /// the format OID and the DER of otherRevInfo (an OCSPResponse for id-ri-ocsp-response,
    /// RFC 5940).
    pub other_revocation: Vec<(Oid, Vec<u8>)>,
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
        /// The issuer name (shared: the same issuer names many signers).
        issuer: Arc<Name>,
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
    /// ESS signingCertificate (RFC 2634, SHA-1) certificate identifiers.
    pub signing_certificate: Option<Vec<EssCertId>>,
    /// ESS signingCertificateV2 (RFC 5035) certificate identifiers. Both attributes may be
    /// present (CAdES from older tools carries both); each must name the signer.
    pub signing_certificate_v2: Option<Vec<EssCertId>>,
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

/// Every check on one signer, and the weak algorithm choices accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerCheck {
    /// The checks, in the order they ran.
    pub checks: Vec<Check>,
    /// Weak choices the algorithm policy accepted (SHA-1, DSA, short RSA keys, …).
    pub weaknesses: Vec<Weakness>,
    /// The verified signature scheme, when the signature verified.
    pub algorithm: Option<String>,
    /// How the signature value was encoded (DER or raw `r ‖ s`), when it verified: an OFD
    /// verifier reports it.
    pub signature_encoding: Option<crate::crypto::ValueEncoding>,
    /// Encodings against the algorithm's specification that were read (a raw SM2 value);
    /// each is also named in the signature check's message.
    pub signature_deviations: Vec<crate::crypto::SignatureDeviation>,
}

impl SignerCheck {
    /// True when no check failed and the signature check passed.
    pub fn passed(&self) -> bool {
        !self.checks.iter().any(|c| c.status == Status::Failed)
            && self
                .checks
                .iter()
                .any(|c| c.rule == Rule::SignatureValue && c.status == Status::Passed)
    }

    /// The first failed check, if any.
    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| c.status == Status::Failed)
    }

    /// The check of this rule, if it ran.
    pub fn check(&self, rule: Rule) -> Option<&Check> {
        self.checks.iter().find(|c| c.rule == rule)
    }
}

/// CMS content-type helpers over the crate's OID registry ([`crate::asn1::oid::known`]).
pub mod oids {
    use crate::asn1::oid::known;
    use crate::asn1::Oid;

    /// A short name for a content type, for messages.
    pub fn content_type_name(oid: &Oid) -> Option<&'static str> {
        [
            known::DATA,
            known::SIGNED_DATA,
            known::ENVELOPED_DATA,
            known::DIGESTED_DATA,
            known::ENCRYPTED_DATA,
            known::GM_DATA,
            known::GM_SIGNED_DATA,
            known::GM_ENVELOPED_DATA,
        ]
        .iter()
        .find(|o| *o == oid)
        .and_then(Oid::name)
    }

    /// True for id-data and its GB/T 35275 counterpart.
    pub fn is_data(oid: &Oid) -> bool {
        *oid == known::DATA || *oid == known::GM_DATA
    }
}

#[cfg(test)]
mod tests;
