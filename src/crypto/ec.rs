//! ECDSA on the NIST curves and Ed25519, both through aws-lc-rs.
//!
//! aws-lc-rs has no verifier for three (curve, hash) pairs that X.509 allows: P-256 with
//! SHA-224, P-384 with SHA-1 and P-384 with SHA-224. ECDSA uses the leftmost min(hash bits,
//! order bits) of the hash as an integer; for a hash shorter than the curve's native digest that
//! integer is unchanged by left-padding with zero bytes, so those pairs are verified by hashing
//! with the named hash, left-padding to the native digest length and handing the result to
//! aws-lc-rs's digest-verify entry point as if it were the native digest.

use aws_lc_rs::digest::{self, Digest};
use aws_lc_rs::signature::{
    self as aws, EcdsaVerificationAlgorithm, ParsedPublicKey, UnparsedPublicKey,
};

use super::{DigestAlgorithm, SignatureError, Signed};
use crate::asn1::oid::bytes as oids;

/// The NIST curves supported for ECDSA.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    /// The curve for a namedCurve OID (DER content octets).
    pub(crate) fn from_oid(oid: &[u8]) -> Option<Curve> {
        match oid {
            oids::P256 => Some(Curve::P256),
            oids::P384 => Some(Curve::P384),
            oids::P521 => Some(Curve::P521),
            _ => None,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }

    /// Length in bytes of each half of a plain (fixed-width `r ‖ s`) signature: the size
    /// of the group order (BSI TR-03111 §5.2.1).
    pub(crate) fn order_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// Field size in bits.
    pub(crate) fn bits(self) -> u32 {
        match self {
            Curve::P256 => 256,
            Curve::P384 => 384,
            Curve::P521 => 521,
        }
    }
}

/// How aws-lc-rs verifies one (curve, hash) pair.
enum Route {
    /// It has the pair.
    Direct(&'static EcdsaVerificationAlgorithm),
    /// Hash with the named hash, left-pad to the native digest, verify that digest.
    Padded(
        &'static EcdsaVerificationAlgorithm,
        &'static digest::Algorithm,
    ),
}

fn route(curve: Curve, hash: DigestAlgorithm) -> Option<Route> {
    use DigestAlgorithm::*;
    Some(match (curve, hash) {
        (Curve::P256, Sha1) => Route::Direct(&aws::ECDSA_P256_SHA1_ASN1),
        (Curve::P256, Sha224) => Route::Padded(&aws::ECDSA_P256_SHA256_ASN1, &digest::SHA256),
        (Curve::P256, Sha256) => Route::Direct(&aws::ECDSA_P256_SHA256_ASN1),
        (Curve::P256, Sha384) => Route::Direct(&aws::ECDSA_P256_SHA384_ASN1),
        (Curve::P256, Sha512) => Route::Direct(&aws::ECDSA_P256_SHA512_ASN1),
        (Curve::P384, Sha1 | Sha224) => {
            Route::Padded(&aws::ECDSA_P384_SHA384_ASN1, &digest::SHA384)
        }
        (Curve::P384, Sha256) => Route::Direct(&aws::ECDSA_P384_SHA256_ASN1),
        (Curve::P384, Sha384) => Route::Direct(&aws::ECDSA_P384_SHA384_ASN1),
        (Curve::P384, Sha512) => Route::Direct(&aws::ECDSA_P384_SHA512_ASN1),
        (Curve::P521, Sha1) => Route::Direct(&aws::ECDSA_P521_SHA1_ASN1),
        (Curve::P521, Sha224) => Route::Direct(&aws::ECDSA_P521_SHA224_ASN1),
        (Curve::P521, Sha256) => Route::Direct(&aws::ECDSA_P521_SHA256_ASN1),
        (Curve::P521, Sha384) => Route::Direct(&aws::ECDSA_P521_SHA384_ASN1),
        (Curve::P521, Sha512) => Route::Direct(&aws::ECDSA_P521_SHA512_ASN1),
        (_, Sm3) => return None,
    })
}

/// A plain ECDSA value (BSI TR-03111: `r ‖ s`, each exactly [`Curve::order_len`] bytes) as
/// the DER Ecdsa-Sig-Value the verifier takes. Another length is an invalid signature.
pub(crate) fn plain_to_der(curve: Curve, signature: &[u8]) -> Result<Vec<u8>, SignatureError> {
    if signature.len() != 2 * curve.order_len() {
        return Err(SignatureError::Invalid);
    }
    let (r, s) = signature.split_at(curve.order_len());
    Ok(crate::asn1::encode_two_integers(r, s))
}

/// Verifies a DER Ecdsa-Sig-Value over `message` with an uncompressed (or compressed) point.
pub(crate) fn verify_ecdsa(
    curve: Curve,
    hash: DigestAlgorithm,
    point: &[u8],
    prepared: &super::PreparedKey,
    message: Signed<'_>,
    signature: &[u8],
) -> Result<(), SignatureError> {
    let route = route(curve, hash).ok_or_else(|| SignatureError::UnsupportedAlgorithm {
        oid: format!("ECDSA on {} with {}", curve.name(), hash.name()),
    })?;
    let alg = match route {
        Route::Direct(alg) | Route::Padded(alg, _) => alg,
    };
    let verify = |key: &ParsedPublicKey| -> Result<(), SignatureError> {
        let outcome = match (route, message) {
            (Route::Direct(_), Signed::Message(m)) => key.verify_sig(m, signature),
            (Route::Direct(_), Signed::Digest(d)) => {
                let native = hash.aws().ok_or(SignatureError::Invalid)?;
                let digest =
                    Digest::import_less_safe(d, native).map_err(|_| SignatureError::Invalid)?;
                key.verify_digest_sig(&digest, signature)
            }
            (Route::Padded(_, native), _) => {
                let short = message.digest(hash);
                let mut padded = vec![0u8; native.output_len().saturating_sub(short.len())];
                padded.extend_from_slice(&short);
                let digest = Digest::import_less_safe(&padded, native)
                    .map_err(|_| SignatureError::Invalid)?;
                key.verify_digest_sig(&digest, signature)
            }
        };
        outcome.map_err(|_| SignatureError::Invalid)
    };
    match prepared.with(alg, || ParsedPublicKey::new(alg, point).ok(), verify) {
        Some(r) => r,
        None => Err(ParsedPublicKey::new(alg, point)
            .err()
            .map_or(SignatureError::Invalid, |e| SignatureError::MalformedKey {
                what: format!("{} point: {e}", curve.name()),
            })),
    }
}

/// Verifies a pure Ed25519 signature (64 bytes) with a 32-byte key.
pub(crate) fn verify_ed25519(
    key: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    if key.len() != 32 {
        return Err(SignatureError::MalformedKey {
            what: format!("Ed25519 key is {} bytes, not 32", key.len()),
        });
    }
    UnparsedPublicKey::new(&aws::ED25519, key)
        .verify(message, signature)
        .map_err(|_| SignatureError::Invalid)
}
