//! SM2 signatures with SM3 (GB/T 32918.2, GM/T 0003.2), through the `sm2` crate.
//!
//! The signer-ID hash `Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA)` is computed here
//! rather than by the crate, because the crate takes the ID as `&str` and a configured ID may be
//! any byte string. The crate then checks the signature against `e = SM3(Z || M)`.

use ::sm2::dsa::signature::hazmat::PrehashVerifier;
use ::sm2::dsa::{Signature, VerifyingKey};
use ::sm2::elliptic_curve::sec1::ToSec1Point;
use ::sm3::{Digest, Sm3};

use super::{malformed_key, SignatureError, ValueEncoding};
use crate::asn1;
use crate::asn1::oid::bytes as oids;
use crate::crypto::PublicKeyInfo;

/// Which signer ID made the signature verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdUsed {
    /// The policy's configured ID.
    Configured,
    /// The empty ID, tried because the policy allows the fallback.
    EmptyFallback,
}

const CURVE_A: [u8; 32] = [
    0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfc,
];
const CURVE_B: [u8; 32] = [
    0x28, 0xe9, 0xfa, 0x9e, 0x9d, 0x9f, 0x5e, 0x34, 0x4d, 0x5a, 0x9e, 0x4b, 0xcf, 0x65, 0x09, 0xa7,
    0xf3, 0x97, 0x89, 0xf5, 0x15, 0xab, 0x8f, 0x92, 0xdd, 0xbc, 0xbd, 0x41, 0x4d, 0x94, 0x0e, 0x93,
];
const CURVE_GX: [u8; 32] = [
    0x32, 0xc4, 0xae, 0x2c, 0x1f, 0x19, 0x81, 0x19, 0x5f, 0x99, 0x04, 0x46, 0x6a, 0x39, 0xc9, 0x94,
    0x8f, 0xe3, 0x0b, 0xbf, 0xf2, 0x66, 0x0b, 0xe1, 0x71, 0x5a, 0x45, 0x89, 0x33, 0x4c, 0x74, 0xc7,
];
const CURVE_GY: [u8; 32] = [
    0xbc, 0x37, 0x36, 0xa2, 0xf4, 0xf6, 0x77, 0x9c, 0x59, 0xbd, 0xce, 0xe3, 0x6b, 0x69, 0x21, 0x53,
    0xd0, 0xa9, 0x87, 0x7c, 0xc6, 0x2a, 0x47, 0x40, 0x02, 0xdf, 0x32, 0xe5, 0x21, 0x39, 0xf0, 0xa0,
];

/// The SM2 public key of a SubjectPublicKeyInfo (id-ecPublicKey with the SM2 curve, or the SM2
/// curve OID as the key algorithm itself).
fn parse_key(key: &PublicKeyInfo) -> Result<VerifyingKey, SignatureError> {
    // With the SM2 curve OID as the key algorithm, Tongsuo repeats it as the parameters.
    let repeated_curve =
        |p: &[u8]| asn1::single(p, asn1::TAG_OID).is_ok_and(|c| c == oids::SM2_CURVE);
    if key.algorithm.oid.as_bytes() == oids::SM2_CURVE
        && key
            .algorithm
            .params
            .as_deref()
            .is_some_and(|p| p != asn1::NULL_DER && !repeated_curve(p))
    {
        return Err(malformed_key(
            "SM2 key parameters must be absent, NULL or the SM2 curve OID",
        ));
    }
    // The ID given here only feeds the crate's own Z, which the prehash path never uses.
    VerifyingKey::from_sec1_bytes("", &key.key)
        .map_err(|_| malformed_key("SM2 public key is not a point on the curve"))
}

/// `Z` for `id` and the public key (65-byte uncompressed SEC1 encoding).
pub(crate) fn z_value(id: &[u8], uncompressed: &[u8]) -> Result<[u8; 32], SignatureError> {
    let entl = id
        .len()
        .checked_mul(8)
        .and_then(|bits| u16::try_from(bits).ok())
        .ok_or_else(|| SignatureError::BadParameters {
            what: "SM2 signer ID longer than 8191 bytes".to_owned(),
        })?;
    let (x, y) = uncompressed
        .strip_prefix(&[0x04])
        .filter(|xy| xy.len() == 64)
        .map(|xy| xy.split_at(32))
        .ok_or_else(|| malformed_key("SM2 point encoding"))?;
    let mut h = Sm3::new();
    h.update(entl.to_be_bytes());
    h.update(id);
    h.update(CURVE_A);
    h.update(CURVE_B);
    h.update(CURVE_GX);
    h.update(CURVE_GY);
    h.update(x);
    h.update(y);
    Ok(h.finalize().into())
}

/// `Z` for `id` and an SM2 public key in any SEC1 form (what GM/T 0009 hashes before the
/// message; the OFD vendor CheckMethod 1.2.156.10197.1.401.2 hashes it before each file).
pub(crate) fn z_for_key(id: &[u8], key: &PublicKeyInfo) -> Result<[u8; 32], SignatureError> {
    let point = parse_key(key)?.to_sec1_point(false);
    z_value(id, point.as_bytes())
}

/// The two halves of an SM2 signature value and how it is encoded: the DER SM2Signature
/// (GB/T 35276: it starts with a SEQUENCE tag and parses exactly), else exactly 64 bytes of
/// raw `r ‖ s`, as some vendors write it; `None` for anything else.
fn split_signature(signature: &[u8]) -> Option<(&[u8], &[u8], ValueEncoding)> {
    let der = signature
        .first()
        .is_some_and(|t| *t == asn1::TAG_SEQUENCE)
        .then(|| asn1::two_integers(signature).ok())
        .flatten();
    match der {
        Some((r, s)) => Some((r, s, ValueEncoding::Der)),
        None if signature.len() == 64 => {
            let (r, s) = signature.split_at(32);
            Some((r, s, ValueEncoding::Plain))
        }
        None => None,
    }
}

/// How an SM2 signature value is encoded (DER or raw `r ‖ s`), without verifying it.
pub(crate) fn value_encoding(signature: &[u8]) -> Option<ValueEncoding> {
    split_signature(signature).map(|(_, _, e)| e)
}

/// Decodes the signature value into the crate's fixed form ([`split_signature`]); anything
/// else is an invalid signature.
fn parse_signature(signature: &[u8]) -> Result<(Signature, ValueEncoding), SignatureError> {
    let (r, s, encoding) = split_signature(signature).ok_or(SignatureError::Invalid)?;
    let sig = Signature::from_scalars(field_bytes(r)?, field_bytes(s)?)
        .map_err(|_| SignatureError::Invalid)?;
    Ok((sig, encoding))
}

fn field_bytes(magnitude: &[u8]) -> Result<[u8; 32], SignatureError> {
    let pad = 32usize
        .checked_sub(magnitude.len())
        .ok_or(SignatureError::Invalid)?;
    let mut out = [0u8; 32];
    out.get_mut(pad..)
        .ok_or(SignatureError::Invalid)?
        .copy_from_slice(magnitude);
    Ok(out)
}

/// `SM3(Z || M)`.
fn message_hash(z: &[u8; 32], message: &[u8]) -> [u8; 32] {
    let mut h = Sm3::new();
    h.update(z);
    h.update(message);
    h.finalize().into()
}

/// Verifies with `id`, then (if allowed) with the empty ID; says which ID verified and how
/// the value was encoded.
pub(crate) fn verify(
    key: &PublicKeyInfo,
    id: &[u8],
    empty_id_fallback: bool,
    message: &[u8],
    signature: &[u8],
) -> Result<(IdUsed, ValueEncoding), SignatureError> {
    let verifying_key = parse_key(key)?;
    let point = verifying_key.to_sec1_point(false);
    let (sig, encoding) = parse_signature(signature)?;
    let check = |id: &[u8]| -> Result<bool, SignatureError> {
        let z = z_value(id, point.as_bytes())?;
        Ok(verifying_key
            .verify_prehash(&message_hash(&z, message), &sig)
            .is_ok())
    };
    if check(id)? {
        return Ok((IdUsed::Configured, encoding));
    }
    if empty_id_fallback && !id.is_empty() && check(&[])? {
        return Ok((IdUsed::EmptyFallback, encoding));
    }
    Err(SignatureError::Invalid)
}

/// Test support: verifies `SM3(M)` without any `Z` (the "noZA" variant some tools produce).
#[cfg(test)]
pub(crate) fn verify_without_z(key: &PublicKeyInfo, message: &[u8], signature: &[u8]) -> bool {
    let (Ok(vk), Ok((sig, _))) = (parse_key(key), parse_signature(signature)) else {
        return false;
    };
    let e: [u8; 32] = Sm3::digest(message).into();
    vk.verify_prehash(&e, &sig).is_ok()
}
