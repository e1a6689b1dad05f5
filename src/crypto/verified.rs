//! What a verified signature reports besides "it verifies": its scheme, the weak choices the
//! policy accepted, how the value was encoded, and the encodings read against the spec.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A weak choice that the policy accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Weakness {
    /// The message hash is SHA-1.
    Sha1,
    /// The RSA modulus is shorter than the policy's `weak_rsa_bits`.
    ShortRsaKey {
        /// Modulus size.
        bits: u32,
    },
    /// The signature is DSA.
    Dsa,
    /// The SM2 signature verified only with an empty signer ID.
    Sm2EmptyId,
}

/// The kind of a [`Weakness`], without its details (for policies).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeaknessKind {
    /// [`Weakness::Sha1`].
    Sha1,
    /// [`Weakness::ShortRsaKey`].
    ShortRsaKey,
    /// [`Weakness::Dsa`].
    Dsa,
    /// [`Weakness::Sm2EmptyId`].
    Sm2EmptyId,
}

impl Weakness {
    /// Its kind.
    pub fn kind(&self) -> WeaknessKind {
        match self {
            Weakness::Sha1 => WeaknessKind::Sha1,
            Weakness::ShortRsaKey { .. } => WeaknessKind::ShortRsaKey,
            Weakness::Dsa => WeaknessKind::Dsa,
            Weakness::Sm2EmptyId => WeaknessKind::Sm2EmptyId,
        }
    }
}

impl fmt::Display for Weakness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Weakness::Sha1 => f.write_str("the signature uses SHA-1, which is no longer collision resistant"),
            Weakness::ShortRsaKey { bits } => write!(f, "the RSA key has only {bits} bits"),
            Weakness::Dsa => f.write_str("the signature uses DSA, which is deprecated"),
            Weakness::Sm2EmptyId => f.write_str(
                "the SM2 signature verifies only with an empty signer ID, not the standard GM/T 0009 ID",
            ),
        }
    }
}

/// A signature that verified, and what was weak about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedSignature {
    /// Human-readable scheme, e.g. `sha256WithRSAEncryption`, `ecdsa-with-SHA256 (P-256)`,
    /// `SM2-with-SM3`, `RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32)`, `Ed25519`, `dsa-with-SHA1`.
    /// A `Cow` because RSASSA-PSS names carry the signature's own salt length.
    pub algorithm: Cow<'static, str>,
    /// Every weak choice that was accepted.
    pub weaknesses: Vec<Weakness>,
    /// How the signature value was encoded.
    pub encoding: ValueEncoding,
    /// Encodings that break the algorithm's specification but were read (see
    /// [`SignatureDeviation`]).
    pub deviations: Vec<SignatureDeviation>,
}

/// How a signature value is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ValueEncoding {
    /// DER `SEQUENCE { r INTEGER, s INTEGER }` (ECDSA, DSA, and SM2 as GB/T 35276 requires).
    Der,
    /// Fixed-width `r ‖ s`, each half as long as the group order: BSI TR-03111 plain ECDSA,
    /// and the SM2 values some Chinese vendors write.
    Plain,
    /// A value without inner structure (RSA, Ed25519).
    Opaque,
}

impl ValueEncoding {
    /// `DER`, `raw r‖s` or `opaque`, for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            ValueEncoding::Der => "DER",
            ValueEncoding::Plain => "raw r‖s",
            ValueEncoding::Opaque => "opaque",
        }
    }
}

/// A signature encoded against its algorithm's specification, read anyway because real
/// signers produce it and the cryptography is unaffected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SignatureDeviation {
    /// An SM2 signature value written as raw 64-byte `r ‖ s` instead of DER
    /// (GB/T 35276 requires the DER SM2Signature).
    Sm2RawValue,
}

impl fmt::Display for SignatureDeviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureDeviation::Sm2RawValue => {
                f.write_str("SM2 signature value encoded as raw r‖s, not DER")
            }
        }
    }
}
