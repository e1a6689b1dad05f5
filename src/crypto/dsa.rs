//! DSA (FIPS 186) signature verification through the `dsa` crate, with RFC 3279 §2.3.2
//! parameter inheritance: a key whose Dss-Parms are absent uses its issuer's.

use ::dsa::signature::hazmat::PrehashVerifier;
use ::dsa::{BoxedUint, Components, Signature, VerifyingKey};

use super::{malformed_key, DigestAlgorithm, SignatureError, Signed};
use crate::asn1::{self, Reader, TAG_INTEGER, TAG_SEQUENCE};
use crate::crypto::PublicKeyInfo;

/// Largest `p` accepted, in bits.
const MAX_P_BITS: u32 = 3072;

/// The magnitudes of `p`, `q`, `g` of DER Dss-Parms.
struct DssParms<'a> {
    p: &'a [u8],
    q: &'a [u8],
    g: &'a [u8],
}

fn parse_params(params: &[u8]) -> Result<DssParms<'_>, SignatureError> {
    let fail = |e: asn1::Error| malformed_key(format!("Dss-Parms: {e}"));
    let mut seq = Reader::der(asn1::single(params, TAG_SEQUENCE).map_err(fail)?);
    let p = seq.read_unsigned().map_err(fail)?;
    let q = seq.read_unsigned().map_err(fail)?;
    let g = seq.read_unsigned().map_err(fail)?;
    seq.finish().map_err(fail)?;
    Ok(DssParms { p, q, g })
}

/// Bit size of `p` in DER Dss-Parms.
pub(crate) fn p_bits(params: &[u8]) -> Option<u32> {
    parse_params(params).ok().map(|d| asn1::bit_length(d.p))
}

fn uint(magnitude: &[u8], precision_bytes: usize) -> Result<BoxedUint, SignatureError> {
    let precision = u32::try_from(precision_bytes.saturating_mul(8))
        .map_err(|_| malformed_key("DSA integer too large"))?;
    BoxedUint::from_be_slice(magnitude, precision)
        .map_err(|_| malformed_key("DSA integer too large"))
}

/// Verifies a DER Dss-Sig-Value over `message` hashed with `hash`.
pub(crate) fn verify(
    key: &PublicKeyInfo,
    inherited: Option<&[u8]>,
    hash: DigestAlgorithm,
    message: Signed<'_>,
    signature: &[u8],
) -> Result<(), SignatureError> {
    let params = match key.algorithm.params.as_deref() {
        Some(own) => own,
        None => inherited.ok_or(SignatureError::MissingInheritedParameters)?,
    };
    let DssParms { p, q, g } = parse_params(params)?;
    if asn1::bit_length(p) > MAX_P_BITS {
        return Err(SignatureError::UnsupportedKey {
            oid: format!("DSA with a {}-bit p", asn1::bit_length(p)),
        });
    }
    let y = asn1::unsigned_magnitude(
        asn1::single(&key.key, TAG_INTEGER)
            .map_err(|e| malformed_key(format!("DSA public key: {e}")))?,
    )
    .map_err(|e| malformed_key(format!("DSA public key: {e}")))?;
    // The `dsa` crate recognises the size class from the integers' precision, so p and q get
    // exactly their own length, and g and y (both below p) get p's.
    let components =
        Components::from_components(uint(p, p.len())?, uint(q, q.len())?, uint(g, p.len())?)
            .map_err(|_| SignatureError::UnsupportedKey {
                oid: format!(
                    "DSA parameters of {}/{} bits (not a FIPS 186 size) or invalid",
                    asn1::bit_length(p),
                    asn1::bit_length(q)
                ),
            })?;
    if y.len() > p.len() {
        return Err(malformed_key("DSA public key larger than p"));
    }
    let verifying_key = VerifyingKey::from_components(components, uint(y, p.len())?)
        .map_err(|_| malformed_key("DSA public key is not in the subgroup"))?;
    let (r, s) = asn1::two_integers(signature).map_err(|_| SignatureError::Invalid)?;
    if r.len() > q.len() || s.len() > q.len() {
        return Err(SignatureError::Invalid); // certainly not below q
    }
    let sig = Signature::from_components(uint(r, q.len())?, uint(s, q.len())?)
        .ok_or(SignatureError::Invalid)?;
    verifying_key
        .verify_prehash(&message.digest(hash), &sig)
        .map_err(|_| SignatureError::Invalid)
}
