//! OCSP (RFC 6960, with the RFC 9919 clarifications): the owned model of an `OCSPResponse`
//! and its `BasicOCSPResponse`, strict bounded DER decoding ([`OcspResponse::from_der`]),
//! the request a fetcher sends ([`request`]), and the status of one certificate from the
//! responses at hand ([`check_certificate`]).
//!
//! A `SingleResponse` is used for a certificate only when its **whole** `CertID` matches:
//! the hash algorithm (SHA-1 or SHA-2), the hash of the certificate's issuer name, the hash
//! of the issuing CA's public key **and** the serial number (a response for another
//! certificate with the same serial number is the classic attack). The response must be
//! signed by the CA itself or by a responder certificate the CA issued with
//! `id-kp-OCSPSigning`; whether that responder is trusted (its path, its own revocation
//! unless it carries `id-pkix-ocsp-nocheck`) is decided by the caller through
//! [`OcspResponderResolver`], as CRL signers are. Its times (producedAt, thisUpdate,
//! nextUpdate) are compared with the validation time through a [`crate::asn1::time::Moment`]
//! with a tolerance ([`OcspTiming`]).

mod check;
mod parse;
pub mod request;

use crate::asn1::{AlgorithmIdentifier, Oid, UnixTime};
use crate::x509::{Certificate, Name};
use std::ops::Range;
use std::sync::Arc;

pub use check::{
    check_certificate, OcspCheck, OcspContext, OcspOutcome, OcspResponderResolver, OcspUse,
};
pub use parse::responses_from_bytes;

/// Why OCSP bytes could not be decoded. Every variant says where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OcspError {
    /// The DER structure is malformed at `at`.
    #[error("OCSP response: {at}: malformed: {detail}")]
    Malformed {
        /// Where (`BasicOCSPResponse.tbsResponseData.responses[0].certID`).
        at: String,
        /// What is wrong.
        detail: String,
    },
    /// Larger than `Limits::max_ocsp_response_size`.
    #[error("OCSP response of {size} bytes exceeds the limit of {limit} bytes (Limits::max_ocsp_response_size)")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// More elements than a count limit allows.
    #[error("OCSP response: {at}: more than {limit} {what} (Limits::{limit_name})")]
    TooMany {
        /// Where.
        at: String,
        /// What was counted.
        what: &'static str,
        /// The `Limits` field.
        limit_name: &'static str,
        /// The limit.
        limit: usize,
    },
    /// A response this crate does not read (a responseType other than id-pkix-ocsp-basic,
    /// a ResponseData version other than v1).
    #[error("OCSP response: {at}: unsupported: {detail}")]
    Unsupported {
        /// Where.
        at: String,
        /// What.
        detail: String,
    },
}

/// OCSPResponseStatus (RFC 6960 §4.2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseStatus {
    /// 0: the response has valid confirmations.
    Successful,
    /// 1: illegal confirmation request.
    MalformedRequest,
    /// 2: internal error in the issuer.
    InternalError,
    /// 3: try again later.
    TryLater,
    /// 5: the request must be signed.
    SigRequired,
    /// 6: the request is unauthorised.
    Unauthorized,
}

impl ResponseStatus {
    /// The RFC 6960 name.
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseStatus::Successful => "successful",
            ResponseStatus::MalformedRequest => "malformedRequest",
            ResponseStatus::InternalError => "internalError",
            ResponseStatus::TryLater => "tryLater",
            ResponseStatus::SigRequired => "sigRequired",
            ResponseStatus::Unauthorized => "unauthorized",
        }
    }
}

/// ResponderID (RFC 6960 §4.2.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponderId {
    /// byName: the responder certificate's subject.
    ByName(Name),
    /// byKey: SHA-1 of the responder's subjectPublicKey BIT STRING value.
    ByKey(Vec<u8>),
}

impl ResponderId {
    /// True when `cert` is the responder this identifies.
    pub fn names(&self, cert: &Certificate) -> bool {
        match self {
            ResponderId::ByName(n) => cert.subject.matches(n),
            ResponderId::ByKey(h) => {
                crate::crypto::DigestAlgorithm::Sha1.digest(&cert.public_key.key) == *h
            }
        }
    }
}

impl std::fmt::Display for ResponderId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResponderId::ByName(n) => write!(f, "{n}"),
            ResponderId::ByKey(h) => write!(f, "key SHA-1 {}", hex::encode(h)),
        }
    }
}

/// CertID (RFC 6960 §4.1.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertId {
    /// hashAlgorithm.
    pub hash_algorithm: AlgorithmIdentifier,
    /// issuerNameHash: the hash of the DER of the certificate's issuer name.
    pub issuer_name_hash: Vec<u8>,
    /// issuerKeyHash: the hash of the issuer's subjectPublicKey BIT STRING value.
    pub issuer_key_hash: Vec<u8>,
    /// serialNumber content octets as encoded.
    pub serial: Vec<u8>,
}

/// CertStatus of one SingleResponse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SingleStatus {
    /// good.
    Good,
    /// revoked, with revocationTime and the CRLReason when given.
    Revoked {
        /// revocationTime.
        time: UnixTime,
        /// revocationReason (or the singleExtensions' CRL reason), when given.
        reason: Option<u8>,
    },
    /// unknown: the responder does not know the certificate.
    Unknown,
}

/// One SingleResponse.
#[derive(Clone, Debug)]
pub struct SingleResponse {
    /// certID.
    pub cert_id: CertId,
    /// certStatus.
    pub status: SingleStatus,
    /// thisUpdate.
    pub this_update: UnixTime,
    /// nextUpdate.
    pub next_update: Option<UnixTime>,
    /// Critical singleExtensions this crate does not understand: the response is not used.
    pub unknown_critical: Vec<Oid>,
}

/// A BasicOCSPResponse.
#[derive(Clone, Debug)]
pub struct BasicResponse {
    /// Where the DER of tbsResponseData (the signed bytes) lies in [`OcspResponse::der`].
    tbs: Range<usize>,
    /// responderID.
    pub responder: ResponderId,
    /// producedAt.
    pub produced_at: UnixTime,
    /// responses, in order.
    pub responses: Vec<SingleResponse>,
    /// The nonce extension's value, when present.
    pub nonce: Option<Vec<u8>>,
    /// Critical responseExtensions this crate does not understand: the response is not used.
    pub unknown_critical: Vec<Oid>,
    /// signatureAlgorithm.
    pub signature_algorithm: AlgorithmIdentifier,
    /// signature BIT STRING contents.
    pub signature: Vec<u8>,
    /// certs: the certificates the responder sent (its own, perhaps its chain).
    pub certs: Vec<Arc<Certificate>>,
}

/// A decoded OCSPResponse.
#[derive(Clone, Debug)]
pub struct OcspResponse {
    /// The complete DER.
    pub der: Vec<u8>,
    /// SHA-256 of `der`.
    pub sha256: [u8; 32],
    /// responseStatus.
    pub status: ResponseStatus,
    /// The BasicOCSPResponse (present exactly when `status` is successful).
    pub basic: Option<BasicResponse>,
}

impl OcspResponse {
    /// The DER of tbsResponseData: what the responder signed.
    pub fn tbs(&self) -> &[u8] {
        match &self.basic {
            Some(b) => self.der.get(b.tbs.clone()).unwrap_or_default(),
            None => &[],
        }
    }

    /// Lower-case hex SHA-256.
    pub fn fingerprint(&self) -> String {
        hex::encode(self.sha256)
    }

    /// Who signed it, for messages.
    pub fn label(&self) -> String {
        let fp = self.fingerprint();
        let short = fp.get(..16).unwrap_or_default();
        match &self.basic {
            Some(b) => format!("OCSP response from {} (sha256 {short})", b.responder),
            None => format!("OCSP response {} (sha256 {short})", self.status.as_str()),
        }
    }
}

/// How OCSP response times are judged (RFC 6960 §4.2.2.1, §3.2 (5)(6)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OcspTiming {
    /// Clock skew allowed, in seconds: thisUpdate and producedAt may be this far after the
    /// validation time, and the validation time this far after nextUpdate.
    pub tolerance_seconds: i64,
    /// A response without nextUpdate is used only while the validation time is at most this
    /// many seconds after its thisUpdate.
    pub max_age_without_next_update: i64,
}

impl Default for OcspTiming {
    fn default() -> Self {
        OcspTiming {
            tolerance_seconds: 300,
            max_age_without_next_update: 24 * 3600,
        }
    }
}
