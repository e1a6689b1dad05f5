//! RFC 3161 / RFC 5816 timestamp tokens as a document format: a `TimeStampToken` is a CMS
//! SignedData (read by [`crate::document::cms::parse`]) whose eContent is a `TSTInfo`
//! (eContentType id-ct-TSTInfo, or the GB/T 35275 data OID Chinese TSAs use); a
//! `TimeStampResp` wraps one with a PKIStatusInfo. This module owns their strict, bounded
//! decoding ([`TimestampToken::from_der`]) and the checks on a token alone
//! ([`check_token`]): its structure, its signature (through
//! [`crate::document::cms::check_signer_with`]), the ESS signingCertificate(V2) binding the
//! TSA certificate (required), the TSA's identity (the `tsa` field names the signer; no
//! other carried certificate presents itself as the TSA) and the messageImprint against
//! what it stamps. The TSA certificate's path (critical id-kp-timeStamping only) is
//! validated by a later stage.

mod check;
mod parse;

use crate::asn1::{AlgorithmIdentifier, Oid, UnixTime};
use crate::document::cms::{CmsError, SignedData};
use crate::x509::GeneralName;

pub use check::{check_token, Stamped, TokenCheck};

/// Why timestamp bytes could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimestampError {
    /// The TimeStampResp or TSTInfo is malformed at `at`.
    #[error("timestamp: {at}: malformed: {detail}")]
    Malformed {
        /// Where (`TSTInfo.messageImprint`).
        at: String,
        /// What is wrong.
        detail: String,
    },
    /// The token's SignedData does not decode.
    #[error("timestamp token: {0}")]
    Cms(#[from] CmsError),
    /// The TimeStampResp says the request was not granted, or carries no token.
    #[error("TimeStampResp: status {status} ({text}): no token")]
    NotGranted {
        /// PKIStatus name.
        status: &'static str,
        /// statusString and failInfo, for people.
        text: String,
    },
    /// The token's eContentType is not id-ct-TSTInfo (nor the GB/T 35275 data OID).
    #[error("timestamp token: eContentType {0} is not id-ct-TSTInfo")]
    NotTstInfo(String),
}

/// PKIStatus of a TimeStampResp (RFC 3161 §2.4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PkiStatus {
    /// 0: granted.
    Granted,
    /// 1: granted with modifications.
    GrantedWithMods,
    /// 2: rejection.
    Rejection,
    /// 3: waiting.
    Waiting,
    /// 4: revocation warning.
    RevocationWarning,
    /// 5: revocation notification.
    RevocationNotification,
}

impl PkiStatus {
    /// The RFC 3161 name.
    pub fn as_str(self) -> &'static str {
        match self {
            PkiStatus::Granted => "granted",
            PkiStatus::GrantedWithMods => "grantedWithMods",
            PkiStatus::Rejection => "rejection",
            PkiStatus::Waiting => "waiting",
            PkiStatus::RevocationWarning => "revocationWarning",
            PkiStatus::RevocationNotification => "revocationNotification",
        }
    }
}

/// MessageImprint ::= SEQUENCE { hashAlgorithm, hashedMessage OCTET STRING }.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageImprint {
    /// hashAlgorithm.
    pub hash_algorithm: AlgorithmIdentifier,
    /// hashedMessage.
    pub hashed_message: Vec<u8>,
}

/// `Accuracy ::= SEQUENCE { seconds, millis [0], micros [1] }` (each optional).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Accuracy {
    /// seconds.
    pub seconds: u32,
    /// millis (1..999).
    pub millis: u32,
    /// micros (1..999).
    pub micros: u32,
}

impl Accuracy {
    /// The accuracy rounded up to whole seconds.
    pub fn ceil_seconds(self) -> i64 {
        i64::from(self.seconds) + i64::from(self.millis > 0 || self.micros > 0)
    }
}

/// TSTInfo (RFC 3161 §2.4.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TstInfo {
    /// policy.
    pub policy: Oid,
    /// messageImprint.
    pub message_imprint: MessageImprint,
    /// serialNumber content octets.
    pub serial: Vec<u8>,
    /// genTime, whole seconds (a fraction is cut).
    pub gen_time: UnixTime,
    /// accuracy.
    pub accuracy: Option<Accuracy>,
    /// ordering.
    pub ordering: bool,
    /// nonce content octets.
    pub nonce: Option<Vec<u8>>,
    /// tsa: the TSA's name, when given.
    pub tsa: Option<GeneralName>,
    /// Critical extensions this crate does not understand: the token is not used.
    pub unknown_critical: Vec<Oid>,
}

/// A decoded timestamp token.
#[derive(Clone, Debug)]
pub struct TimestampToken {
    /// The DER (or BER) of the token's ContentInfo.
    pub der: Vec<u8>,
    /// The token's SignedData.
    pub signed_data: SignedData,
    /// The TSTInfo.
    pub info: TstInfo,
    /// The status of the TimeStampResp it came in, when it came in one.
    pub response_status: Option<PkiStatus>,
}

impl TimestampToken {
    /// The token's messageImprint hash algorithm, when this crate knows it.
    pub fn imprint_algorithm(&self) -> Option<crate::crypto::DigestAlgorithm> {
        crate::crypto::DigestAlgorithm::from_oid(&self.info.message_imprint.hash_algorithm.oid)
    }
}
