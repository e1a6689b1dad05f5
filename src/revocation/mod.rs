//! Revocation: RFC 5280 §6.3 — whether a certificate of a path was revoked at the validation
//! time. Owns the revocation vocabulary every source shares ([`RevocationMode`],
//! [`CertStatus`], [`RevocationSource`], reason names) and, per source, the rules for using
//! it: [`crl`] (complete, delta, indirect and partitioned CRLs) and [`ocsp`] (RFC 6960
//! responses); and [`fetch`], which brings both (and issuer certificates) from the URLs a
//! certificate names. Validating the path of a CRL signer or a delegated OCSP responder is
//! the caller's job, through the [`crl::CrlSignerResolver`] and
//! [`ocsp::OcspResponderResolver`] hooks.

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
    /// Whether this mode checks at least as much as `floor` (`off` < `prefer` < `require`).
    pub fn at_least(self, floor: RevocationMode) -> bool {
        let rank = |m: RevocationMode| match m {
            RevocationMode::Off => 0,
            RevocationMode::Prefer => 1,
            RevocationMode::Require => 2,
        };
        rank(self) >= rank(floor)
    }

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
    /// Every reason is covered by usable CRLs and none lists the certificate, or a usable
    /// OCSP response says good.
    Good {
        /// Lower-case hex SHA-256 of every CRL used (complete and delta), in order of use.
        crls: Vec<String>,
        /// Lower-case hex SHA-256 of the OCSP response used, when one said good.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        ocsp: Vec<String>,
    },
    /// Listed (reason other than removeFromCRL) on a usable CRL, or revoked by a usable OCSP
    /// response.
    Revoked {
        /// The entry's reasonCode, `None` when the entry has none.
        reason: Option<u8>,
        /// RFC 5280 name of the reason (`unspecified` when absent).
        reason_name: std::borrow::Cow<'static, str>,
        /// The entry's revocationDate.
        revocation_date: UnixTime,
        /// Lower-case hex SHA-256 of the CRL that lists the certificate (the delta CRL when
        /// the listing came from it); empty when an OCSP response said revoked.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        crl: String,
        /// Lower-case hex SHA-256 of the OCSP response that said revoked; empty when a CRL
        /// lists the certificate.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        ocsp: String,
    },
    /// Could not determine: no CRL in scope, CRLs not yet valid or expired, signer not found
    /// or signature bad, unknown critical extension, only some reasons covered…
    Undetermined {
        /// Human-readable, one per problem, naming the CRL (issuer and SHA-256 prefix).
        reasons: Vec<String>,
    },
}

/// What kind of revocation data a status rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    /// A CRL (complete or delta).
    Crl,
    /// An OCSP response.
    Ocsp,
}

/// Where revocation data came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataOrigin {
    /// Given to the validation (the verifier refines it to `document` or `file`).
    Supplied,
    /// Carried by the signed document (SignedData crls, CAdES revocation values).
    Document,
    /// Given by the caller (`--crl`, `--ocsp`, the verifier's configuration).
    File,
    /// Fetched over the network during this validation.
    Fetched,
    /// Fetched earlier and served from the fetcher's cache.
    Cache,
}

/// One CRL or OCSP response a revocation status rests on, for reports.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RevocationSource {
    /// `crl` or `ocsp`.
    pub kind: DataKind,
    /// Lower-case hex SHA-256 of its DER.
    pub sha256: String,
    /// Where it came from.
    pub origin: DataOrigin,
    /// The URL it was fetched from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Who issued it: the CRL issuer, or the OCSP responder.
    pub issuer: String,
    /// An OCSP response's producedAt, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub produced_at: Option<String>,
    /// thisUpdate, RFC 3339.
    pub this_update: String,
    /// nextUpdate, RFC 3339, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_update: Option<String>,
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
