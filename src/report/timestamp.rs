//! Timestamps in reports: one timestamp token's verdict ([`TimestampReport`], inside a
//! signer's `timestamps` or on its own), and the standalone shape `sigbridge timestamp
//! verify --format json` prints ([`TimestampVerification`], `sigbridge-timestamp/1`).

use super::chain::ChainEntry;
use crate::validate::RevocationEntry;
use crate::verdict::{Check, Indication, SubIndication, Verdict};
use serde::{Deserialize, Serialize};

/// The `format` of [`TimestampVerification`].
pub const TIMESTAMP_FORMAT: &str = "sigbridge-timestamp/1";

/// What a timestamp stamps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimestampKind {
    /// A signature timestamp (unsigned attribute id-aa-signatureTimeStampToken): over the
    /// SignerInfo's signature value.
    Signature,
    /// A content timestamp (signed attribute id-aa-ets-contentTimestamp): over the content.
    Content,
    /// A token checked on its own against a file or a digest.
    Standalone,
}

/// One timestamp token's verdict.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TimestampReport {
    /// What it stamps.
    pub kind: TimestampKind,
    /// Its own ETSI indication.
    pub indication: Indication,
    /// Its own sub-indication (null when passed).
    pub sub_indication: Option<SubIndication>,
    /// TSTInfo.genTime, RFC 3339 (null when the token did not decode).
    pub gen_time: Option<String>,
    /// genTime as a time, for the long-term validation; not serialised.
    #[serde(skip)]
    pub gen_time_value: Option<crate::asn1::UnixTime>,
    /// TSTInfo.accuracy, in seconds (rounded up), when given.
    pub accuracy_seconds: Option<i64>,
    /// The TSA certificate's subject, when found.
    pub tsa: Option<String>,
    /// TSTInfo.tsa, when given.
    pub tsa_name: Option<String>,
    /// TSTInfo.policy, dotted.
    pub policy: String,
    /// TSTInfo.serialNumber, lower-case hex.
    pub serial: String,
    /// The messageImprint hash algorithm.
    pub hash_algorithm: String,
    /// The messageImprint, lower-case hex.
    pub message_imprint: String,
    /// TSTInfo.nonce, lower-case hex, when given.
    pub nonce: Option<String>,
    /// The token's signature algorithm, as verified (empty when it did not verify).
    pub signature_algorithm: String,
    /// The TSA certificate's chain, anchor first.
    pub chain: Vec<ChainEntry>,
    /// Revocation status of each certificate of the TSA's chain below the anchor.
    pub revocation: Vec<RevocationEntry>,
    /// Every check on the token, then its path's.
    pub checks: Vec<Check>,
}

impl TimestampReport {
    /// The indication and sub-indication together.
    pub fn verdict(&self) -> Verdict {
        Verdict {
            indication: self.indication,
            sub_indication: self.sub_indication,
        }
    }

    /// True when TOTAL_PASSED.
    pub fn passed(&self) -> bool {
        self.indication == Indication::TotalPassed
    }
}

/// A token verified on its own (`sigbridge timestamp verify`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TimestampVerification {
    /// [`TIMESTAMP_FORMAT`].
    pub format: String,
    /// The validation time, RFC 3339.
    pub validation_time: String,
    /// The token's verdict and details.
    #[serde(flatten)]
    pub timestamp: TimestampReport,
}
