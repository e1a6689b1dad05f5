//! Report: the vocabulary of results — ETSI EN 319 102-1 indications and sub-indications,
//! the rule identifiers every failure carries, and the JSON shapes printed by the CLI.

use serde::Serialize;
use std::fmt;

/// ETSI EN 319 102-1 main indication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Indication {
    /// Every check passed.
    TotalPassed,
    /// Not enough information to decide (a missing CRL, an expired certificate without proof
    /// of existence, an unknown chain, a constraint failure).
    Indeterminate,
    /// A check failed in a way more information cannot change (bad signature, revoked).
    TotalFailed,
}

impl Indication {
    /// The ETSI spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Indication::TotalPassed => "TOTAL_PASSED",
            Indication::Indeterminate => "INDETERMINATE",
            Indication::TotalFailed => "TOTAL_FAILED",
        }
    }
}

impl fmt::Display for Indication {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// ETSI EN 319 102-1 sub-indications used by sigbridge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SubIndication {
    /// The signed data's digest does not match.
    HashFailure,
    /// A signature does not verify.
    SigCryptoFailure,
    /// A certificate of the chain is revoked.
    Revoked,
    /// Revoked, and no proof of existence before the revocation.
    RevokedNoPoe,
    /// A certificate is outside its validity period, and no proof of existence inside it.
    OutOfBoundsNoPoe,
    /// No chain to a trust anchor could be built.
    NoCertificateChainFound,
    /// The signer's certificate was not found.
    NoSigningCertificateFound,
    /// A chain constraint (RFC 5280 rule, policy, recognition) failed.
    ChainConstraintsFailure,
    /// An algorithm or key size is not acceptable under the algorithm policy.
    CryptoConstraintsFailure,
    /// The input is malformed.
    FormatFailure,
    /// Revocation status unknown now; trying later may help.
    TryLater,
}

impl SubIndication {
    /// The ETSI spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SubIndication::HashFailure => "HASH_FAILURE",
            SubIndication::SigCryptoFailure => "SIG_CRYPTO_FAILURE",
            SubIndication::Revoked => "REVOKED",
            SubIndication::RevokedNoPoe => "REVOKED_NO_POE",
            SubIndication::OutOfBoundsNoPoe => "OUT_OF_BOUNDS_NO_POE",
            SubIndication::NoCertificateChainFound => "NO_CERTIFICATE_CHAIN_FOUND",
            SubIndication::NoSigningCertificateFound => "NO_SIGNING_CERTIFICATE_FOUND",
            SubIndication::ChainConstraintsFailure => "CHAIN_CONSTRAINTS_FAILURE",
            SubIndication::CryptoConstraintsFailure => "CRYPTO_CONSTRAINTS_FAILURE",
            SubIndication::FormatFailure => "FORMAT_FAILURE",
            SubIndication::TryLater => "TRY_LATER",
        }
    }
}

impl fmt::Display for SubIndication {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rule a path failure broke. The identifier (`id()`) is stable and is what JSON carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// RFC 5280 §6.1.3 (a)(1): the signature on a certificate.
    Signature,
    /// The algorithm policy rejected an algorithm or key size.
    Algorithm,
    /// RFC 5280 §6.1.3 (a)(2): validity period.
    Validity,
    /// RFC 5280 §6.1.3 (a)(4): issuer name equals the previous subject.
    NameChaining,
    /// RFC 5280 §6.1.3 (b)(c): name constraints.
    NameConstraints,
    /// RFC 5280 §6.1.3 (d)-(f), §6.1.4 (a)(h)-(j), §6.1.5 (g): certificate policies.
    Policy,
    /// RFC 5280 §6.1.4 (k): basicConstraints cA on intermediate certificates.
    BasicConstraints,
    /// RFC 5280 §6.1.4 (l)(m): pathLenConstraint.
    PathLength,
    /// RFC 5280 §6.1.4 (n) and the end-entity key usage the caller requires.
    KeyUsage,
    /// extendedKeyUsage the caller requires.
    ExtendedKeyUsage,
    /// RFC 5280 §6.1.4 (o), §6.1.5 (f): unrecognised critical extension.
    CriticalExtension,
    /// Certificate version rules (intermediates must be v3).
    Version,
    /// RFC 5280 §4 issuance rules (and, when asked, the Web PKI profile).
    Profile,
    /// RFC 5280 §6.3: the certificate is revoked.
    Revoked,
    /// RFC 5280 §6.3: the revocation status could not be established.
    RevocationUnknown,
    /// The expected peer name (DNS, IP, e-mail) is not in the certificate.
    PeerName,
    /// The caller's maximum chain depth.
    Depth,
    /// No path to a trust anchor.
    NoPath,
    /// A path-building budget (Limits) was exhausted.
    Budget,
}

impl Rule {
    /// Stable identifier, e.g. `rfc5280.signature`.
    pub fn id(self) -> &'static str {
        match self {
            Rule::Signature => "rfc5280.signature",
            Rule::Algorithm => "algorithm-policy",
            Rule::Validity => "rfc5280.validity",
            Rule::NameChaining => "rfc5280.name-chaining",
            Rule::NameConstraints => "rfc5280.name-constraints",
            Rule::Policy => "rfc5280.certificate-policies",
            Rule::BasicConstraints => "rfc5280.basic-constraints",
            Rule::PathLength => "rfc5280.path-length",
            Rule::KeyUsage => "rfc5280.key-usage",
            Rule::ExtendedKeyUsage => "extended-key-usage",
            Rule::CriticalExtension => "rfc5280.unknown-critical-extension",
            Rule::Version => "rfc5280.version",
            Rule::Profile => "rfc5280.profile",
            Rule::Revoked => "rfc5280.revocation.revoked",
            Rule::RevocationUnknown => "rfc5280.revocation.unknown",
            Rule::PeerName => "peer-name",
            Rule::Depth => "max-chain-depth",
            Rule::NoPath => "path-building.no-path",
            Rule::Budget => "path-building.budget",
        }
    }

    /// The indication and sub-indication a failure of this rule gives.
    pub fn indication(self) -> (Indication, SubIndication) {
        use Indication::*;
        use SubIndication::*;
        match self {
            Rule::Signature => (TotalFailed, SigCryptoFailure),
            Rule::Revoked => (TotalFailed, SubIndication::Revoked),
            Rule::Algorithm => (Indeterminate, CryptoConstraintsFailure),
            Rule::Validity => (Indeterminate, OutOfBoundsNoPoe),
            Rule::RevocationUnknown => (Indeterminate, TryLater),
            Rule::NoPath => (Indeterminate, NoCertificateChainFound),
            Rule::Budget => (Indeterminate, NoCertificateChainFound),
            _ => (Indeterminate, ChainConstraintsFailure),
        }
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
