//! Revocation: RFC 5280 §6.3 — whether a certificate of a path was revoked at the validation
//! time. Owns the revocation vocabulary every source shares ([`RevocationMode`],
//! [`CertStatus`], reason names) and, per source, the rules for using it: [`crl`] (complete,
//! delta, indirect and partitioned CRLs). Validating the path of a CRL signer is the caller's
//! job, through the [`crl::CrlSignerResolver`] hook.

pub mod crl;
pub mod fetch;
pub mod ocsp;

use crate::asn1::UnixTime;
use std::fmt;
use std::str::FromStr;

pub use crl::{
    check_certificate, reason_flag_names, verify_crl_signature, CrlSignature, CrlSignerResolver,
    RevocationContext, RevocationOutcome,
};

/// How a validation treats revocation.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum RevocationMode {
    /// Every certificate must be shown not revoked; an undetermined status fails the path.
    Require,
    /// Check what can be checked; an undetermined status is a warning (the default).
    #[default]
    Prefer,
    /// Do not check revocation.
    Off,
}

impl RevocationMode {
    /// The lower-case name (`require`, `prefer`, `off`).
    pub fn as_str(self) -> &'static str {
        match self {
            RevocationMode::Require => "require",
            RevocationMode::Prefer => "prefer",
            RevocationMode::Off => "off",
        }
    }
}

impl fmt::Display for RevocationMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A revocation mode name that is not `require`, `prefer` or `off`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown revocation mode {0:?} (expected \"require\", \"prefer\" or \"off\")")]
pub struct UnknownRevocationMode(pub String);

impl FromStr for RevocationMode {
    type Err = UnknownRevocationMode;

    /// Parses `require`, `prefer` or `off` (ASCII case-insensitive, surrounding spaces ignored).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        [
            RevocationMode::Require,
            RevocationMode::Prefer,
            RevocationMode::Off,
        ]
        .into_iter()
        .find(|m| m.as_str().eq_ignore_ascii_case(t))
        .ok_or_else(|| UnknownRevocationMode(s.to_owned()))
    }
}

/// The revocation status of one certificate.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CertStatus {
    /// Every reason is covered by usable CRLs and none lists the certificate.
    Good {
        /// Lower-case hex SHA-256 of every CRL used (complete and delta), in order of use.
        crls: Vec<String>,
    },
    /// Listed (reason other than removeFromCRL) on a usable CRL.
    Revoked {
        /// The entry's reasonCode, `None` when the entry has none.
        reason: Option<u8>,
        /// RFC 5280 name of the reason (`unspecified` when absent).
        reason_name: std::borrow::Cow<'static, str>,
        /// The entry's revocationDate.
        revocation_date: UnixTime,
        /// Lower-case hex SHA-256 of the CRL that lists the certificate (the delta CRL when
        /// the listing came from it).
        crl: String,
    },
    /// Could not determine: no CRL in scope, CRLs not yet valid or expired, signer not found
    /// or signature bad, unknown critical extension, only some reasons covered…
    Undetermined {
        /// Human-readable, one per problem, naming the CRL (issuer and SHA-256 prefix).
        reasons: Vec<String>,
    },
}

/// RFC 5280 name of a CRLReason code.
pub fn reason_name(code: Option<u8>) -> &'static str {
    match code {
        None | Some(0) => "unspecified",
        Some(1) => "keyCompromise",
        Some(2) => "cACompromise",
        Some(3) => "affiliationChanged",
        Some(4) => "superseded",
        Some(5) => "cessationOfOperation",
        Some(6) => "certificateHold",
        Some(8) => "removeFromCRL",
        Some(9) => "privilegeWithdrawn",
        Some(10) => "aACompromise",
        Some(_) => "unknown",
    }
}
