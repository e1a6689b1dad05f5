//! RSA: PKCS#1 v1.5 and RSASSA-PSS signature verification.
//!
//! aws-lc-rs does the work when it has the exact combination (hash, key size between its own
//! minimum and 8192 bits, and for PSS: MGF1 with the same hash and salt = hash length). Every
//! other combination (SHA-224, SHA-384 with keys under 2048 bits, keys below aws-lc-rs's
//! minimum that the policy still admits, PSS with another MGF1 hash or salt length) runs the
//! RFC 8017 encoding checks here, on top of the RSA public-key operation computed with the
//! `rsa` crate's key validation and big integers (`rsa` exposes its raw operation only behind
//! its `hazmat` feature, which the main crate does not enable).

use aws_lc_rs::signature as aws;
use rsa::traits::PublicKeyParts;
use rsa::BoxedUint;

use super::{bad_params, malformed_key, DigestAlgorithm, SignatureError, Signed};
use crate::asn1::oid::bytes as oids;
use crate::asn1::Oid;
use crate::asn1::{self, Reader, TAG_OID, TAG_SEQUENCE};
use crate::crypto::PublicKeyInfo;

/// Largest modulus accepted at all, in bits.
const MAX_RSA_BITS: u32 = 16384;

/// Largest salt length accepted in PSS parameters (far above any real key's capacity).
const MAX_PSS_SALT: u32 = 4096;

/// RSASSA-PSS parameters (RFC 4055 §3.1), with defaults filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PssParams {
    /// The message hash.
    pub hash: DigestAlgorithm,
    /// The hash inside MGF1.
    pub mgf_hash: DigestAlgorithm,
    /// Salt length in bytes.
    pub salt_len: u32,
}

impl PssParams {
    /// Decodes the parameters of an `id-RSASSA-PSS` signature AlgorithmIdentifier, which must
    /// be present (RFC 4055 §3.1).
    pub(crate) fn parse(params: Option<&[u8]>) -> Result<PssParams, SignatureError> {
        let params =
            params.ok_or_else(|| bad_params("RSASSA-PSS signature parameters are absent"))?;
        Self::parse_der(params)
    }

    fn parse_der(params: &[u8]) -> Result<PssParams, SignatureError> {
        let fail = |what: &str| bad_params(format!("RSASSA-PSS parameters: {what}"));
        let content = asn1::single(params, TAG_SEQUENCE).map_err(|e| fail(&e.to_string()))?;
        let mut seq = Reader::der(content);
        let mut out = PssParams {
            hash: DigestAlgorithm::Sha1,
            mgf_hash: DigestAlgorithm::Sha1,
            salt_len: 20,
        };
        if seq.peek_tag() == Some(0xa0) {
            let inner = seq.content(0xa0).map_err(|e| fail(&e.to_string()))?;
            out.hash = hash_algorithm(
                asn1::single(inner, TAG_SEQUENCE).map_err(|e| fail(&e.to_string()))?,
            )?;
        }
        if seq.peek_tag() == Some(0xa1) {
            let inner = seq.content(0xa1).map_err(|e| fail(&e.to_string()))?;
            let mut mgf =
                Reader::der(asn1::single(inner, TAG_SEQUENCE).map_err(|e| fail(&e.to_string()))?);
            let mgf_oid = mgf.content(TAG_OID).map_err(|e| fail(&e.to_string()))?;
            if mgf_oid != oids::MGF1 {
                return Err(SignatureError::UnsupportedAlgorithm {
                    oid: oid_text(mgf_oid, "mask generation function"),
                });
            }
            let hash = mgf
                .content(TAG_SEQUENCE)
                .map_err(|_| fail("MGF1 needs a hash algorithm"))?;
            mgf.finish().map_err(|e| fail(&e.to_string()))?;
            out.mgf_hash = hash_algorithm(hash)?;
        }
        if seq.peek_tag() == Some(0xa2) {
            let inner = seq.content(0xa2).map_err(|e| fail(&e.to_string()))?;
            let mut r = Reader::der(inner);
            let salt = r
                .read_unsigned()
                .map_err(|_| fail("saltLength is not a non-negative INTEGER"))?;
            r.finish().map_err(|e| fail(&e.to_string()))?;
            out.salt_len = small_uint(salt)
                .filter(|s| *s <= MAX_PSS_SALT)
                .ok_or_else(|| fail("saltLength too large"))?;
        }
        if seq.peek_tag() == Some(0xa3) {
            let inner = seq.content(0xa3).map_err(|e| fail(&e.to_string()))?;
            let mut r = Reader::der(inner);
            let trailer = r
                .read_unsigned()
                .map_err(|_| fail("trailerField is not an INTEGER"))?;
            r.finish().map_err(|e| fail(&e.to_string()))?;
            if trailer != [1] {
                return Err(fail("trailerField must be 1"));
            }
        }
        seq.finish()
            .map_err(|_| fail("unexpected or out-of-order field"))?;
        Ok(out)
    }

    /// E.g. `RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32)`.
    pub fn describe(&self) -> String {
        format!(
            "RSASSA-PSS ({}, MGF1-{}, salt {})",
            self.hash.name(),
            self.mgf_hash.name(),
            self.salt_len
        )
    }
}

/// `AlgorithmIdentifier` content of a hash: OID, then NULL or nothing.
fn hash_algorithm(content: &[u8]) -> Result<DigestAlgorithm, SignatureError> {
    let mut r = Reader::der(content);
    let oid = r
        .content(TAG_OID)
        .map_err(|_| bad_params("hash AlgorithmIdentifier without an OID"))?;
    if !r.is_empty() {
        r.content(asn1::TAG_NULL)
            .ok()
            .filter(|c| c.is_empty())
            .ok_or_else(|| bad_params("hash algorithm parameters must be NULL or absent"))?;
        r.finish()
            .map_err(|_| bad_params("trailing data in hash AlgorithmIdentifier"))?;
    }
    DigestAlgorithm::from_oid_bytes(oid).ok_or_else(|| SignatureError::UnsupportedAlgorithm {
        oid: oid_text(oid, "hash algorithm"),
    })
}

fn oid_text(bytes: &[u8], what: &str) -> String {
    match Oid::from_der_content(bytes) {
        Some(oid) => format!("{oid} ({what})"),
        None => format!("an invalid OID ({what})"),
    }
}

fn small_uint(magnitude: &[u8]) -> Option<u32> {
    if magnitude.len() > 4 {
        return None;
    }
    Some(
        magnitude
            .iter()
            .fold(0u32, |acc, &b| (acc << 8) | u32::from(b)),
    )
}

/// A decoded RSA public key (borrowing the SubjectPublicKeyInfo).
#[derive(Clone, Debug)]
pub(crate) struct RsaKey<'a> {
    /// RSAPublicKey DER, as aws-lc-rs wants it.
    der: &'a [u8],
    /// Where the aws-lc-rs form of the key is kept.
    prepared: &'a super::PreparedKey,
    n: &'a [u8],
    e: &'a [u8],
    bits: u32,
    /// Parameters of an `id-RSASSA-PSS` key, which bind every signature made with it.
    pss_constraint: Option<PssParams>,
}

impl<'a> RsaKey<'a> {
    /// Decodes an `rsaEncryption` or `id-RSASSA-PSS` key.
    pub(crate) fn parse(key: &'a PublicKeyInfo) -> Result<RsaKey<'a>, SignatureError> {
        let params = key.algorithm.params.as_deref();
        let pss_constraint = match key.algorithm.oid.as_bytes() {
            oids::RSA_ENCRYPTION => {
                if params.is_some_and(|p| p != asn1::NULL_DER) {
                    return Err(malformed_key("rsaEncryption key parameters must be NULL"));
                }
                None
            }
            oids::RSASSA_PSS => params.map(PssParams::parse_der).transpose()?,
            _ => return Err(malformed_key("not an RSA key")),
        };
        let der = key.key.as_slice();
        let fail = |e: asn1::Error| malformed_key(format!("RSAPublicKey: {e}"));
        let mut seq = Reader::der(asn1::single(der, TAG_SEQUENCE).map_err(fail)?);
        let n = seq.read_unsigned().map_err(fail)?;
        let e = seq.read_unsigned().map_err(fail)?;
        seq.finish().map_err(fail)?;
        let bits = asn1::bit_length(n);
        if bits > MAX_RSA_BITS {
            return Err(malformed_key(format!(
                "RSA modulus of {bits} bits is larger than {MAX_RSA_BITS}"
            )));
        }
        if n.last().is_none_or(|b| b & 1 == 0) || bits < 16 {
            return Err(malformed_key("RSA modulus is even or tiny"));
        }
        if e.last().is_none_or(|b| b & 1 == 0) || asn1::bit_length(e) < 2 || e.len() > n.len() {
            return Err(malformed_key(
                "RSA public exponent is even, below 3 or too large",
            ));
        }
        Ok(RsaKey {
            der,
            prepared: &key.prepared,
            n,
            e,
            bits,
            pss_constraint,
        })
    }

    /// Modulus size in bits.
    pub(crate) fn bits(&self) -> u32 {
        self.bits
    }

    /// RFC 4055 §3.3: a PSS key with parameters only signs with the same hash and MGF and at
    /// least its salt length.
    pub(crate) fn check_pss_constraint(&self, sig: &PssParams) -> Result<(), SignatureError> {
        match self.pss_constraint {
            Some(k)
                if k.hash != sig.hash
                    || k.mgf_hash != sig.mgf_hash
                    || sig.salt_len < k.salt_len =>
            {
                Err(bad_params(format!(
                    "signature {} violates the key's restriction to {}",
                    sig.describe(),
                    k.describe()
                )))
            }
            _ => Ok(()),
        }
    }

    /// Modulus length in bytes (`k` in RFC 8017).
    fn len(&self) -> usize {
        self.n.len()
    }

    /// `s^e mod n` as exactly `k` bytes. Fails when `s` is not `k` bytes
    /// or not below `n` (RFC 8017 §5.2.2 and §8.x step 1).
    fn public_op(&self, signature: &[u8]) -> Result<Vec<u8>, SignatureError> {
        let k = self.len();
        if signature.len() != k {
            return Err(SignatureError::Invalid);
        }
        let precision = u32::try_from(k.saturating_mul(8))
            .map_err(|_| malformed_key("RSA modulus too large"))?;
        let n = BoxedUint::from_be_slice(self.n, precision)
            .map_err(|_| malformed_key("RSA modulus"))?;
        let e = BoxedUint::from_be_slice(self.e, precision)
            .map_err(|_| malformed_key("RSA public exponent"))?;
        let key = rsa::PublicKey::new_with_size_limits(n, e, 16..=(MAX_RSA_BITS as usize))
            .map_err(|err| malformed_key(format!("RSA key rejected: {err}")))?;
        let s = BoxedUint::from_be_slice(signature, key.n_bits_precision())
            .map_err(|_| SignatureError::Invalid)?;
        if s >= **key.n() {
            return Err(SignatureError::Invalid);
        }
        // m = s^e mod n, square-and-multiply over the bits of e from the top. Everything here
        // is public, so variable time is fine.
        let n = key.n();
        let mut m: Option<BoxedUint> = None;
        for byte in self.e {
            for shift in (0..8).rev() {
                let bit = (byte >> shift) & 1 == 1;
                m = match (m, bit) {
                    (None, false) => None,
                    (None, true) => Some(s.clone()),
                    (Some(acc), false) => Some(acc.square_mod_vartime(n)),
                    (Some(acc), true) => Some(acc.square_mod_vartime(n).mul_mod(&s, n)),
                };
            }
        }
        let bytes = m.ok_or(SignatureError::Invalid)?.to_be_bytes();
        let split = bytes.len().checked_sub(k).ok_or(SignatureError::Invalid)?;
        let (high, low) = bytes
            .split_at_checked(split)
            .ok_or(SignatureError::Invalid)?;
        if high.iter().any(|&b| b != 0) {
            return Err(SignatureError::Invalid);
        }
        Ok(low.to_vec())
    }
}

fn aws_verify(
    alg: &'static aws::RsaParameters,
    hash: DigestAlgorithm,
    key: &RsaKey<'_>,
    message: Signed<'_>,
    signature: &[u8],
) -> Option<Result<(), SignatureError>> {
    // A key aws-lc-rs refuses (odd exponent size, …) falls back to the generic path.
    key.prepared.with(
        alg,
        || aws::ParsedPublicKey::new(alg, key.der).ok(),
        |parsed| {
            match message {
                Signed::Message(m) => parsed.verify_sig(m, signature),
                Signed::Digest(d) => hash
                    .aws()
                    .and_then(|a| aws_lc_rs::digest::Digest::import_less_safe(d, a).ok())
                    .map_or(Err(aws_lc_rs::error::Unspecified), |digest| {
                        parsed.verify_digest_sig(&digest, signature)
                    }),
            }
            .map_err(|_| SignatureError::Invalid)
        },
    )
}

/// RSASSA-PKCS1-v1_5 verification.
pub(crate) fn verify_pkcs1(
    key: &RsaKey<'_>,
    hash: DigestAlgorithm,
    message: Signed<'_>,
    signature: &[u8],
) -> Result<(), SignatureError> {
    let bits = key.bits();
    let aws_alg: Option<&'static aws::RsaParameters> = match hash {
        _ if !(1024..=8192).contains(&bits) => None,
        DigestAlgorithm::Sha1 => Some(&aws::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY),
        DigestAlgorithm::Sha256 if bits >= 2048 => Some(&aws::RSA_PKCS1_2048_8192_SHA256),
        DigestAlgorithm::Sha256 => Some(&aws::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY),
        DigestAlgorithm::Sha384 if bits >= 2048 => Some(&aws::RSA_PKCS1_2048_8192_SHA384),
        DigestAlgorithm::Sha512 if bits >= 2048 => Some(&aws::RSA_PKCS1_2048_8192_SHA512),
        DigestAlgorithm::Sha512 => Some(&aws::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY),
        _ => None,
    };
    if let Some(result) = aws_alg.and_then(|alg| aws_verify(alg, hash, key, message, signature)) {
        return result;
    }
    verify_pkcs1_generic(key, hash, message, signature)
}

/// EMSA-PKCS1-v1_5 (RFC 8017 §9.2) by re-encoding and comparing. Both DigestInfo forms are
/// accepted: with the NULL hash parameters (standard) and without (RFC 8017 note 2).
pub(crate) fn verify_pkcs1_generic(
    key: &RsaKey<'_>,
    hash: DigestAlgorithm,
    message: Signed<'_>,
    signature: &[u8],
) -> Result<(), SignatureError> {
    let em = key.public_op(signature)?;
    let digest = message.digest(hash);
    for with_null in [true, false] {
        if em
            == pkcs1_encoding(hash, &digest, with_null, key.len()).ok_or(SignatureError::Invalid)?
        {
            return Ok(());
        }
    }
    Err(SignatureError::Invalid)
}

/// `0x00 0x01 FF…FF 0x00 DigestInfo`, `k` bytes long, or `None` when `k` is too short.
fn pkcs1_encoding(
    hash: DigestAlgorithm,
    digest: &[u8],
    with_null: bool,
    k: usize,
) -> Option<Vec<u8>> {
    let oid = hash.oid_bytes();
    let mut alg = vec![asn1::TAG_OID, u8::try_from(oid.len()).ok()?];
    alg.extend_from_slice(oid);
    if with_null {
        alg.extend_from_slice(asn1::NULL_DER);
    }
    let mut info = vec![TAG_SEQUENCE, u8::try_from(alg.len()).ok()?];
    info.extend_from_slice(&alg);
    info.extend_from_slice(&[0x04, u8::try_from(digest.len()).ok()?]);
    info.extend_from_slice(digest);
    let mut t = vec![TAG_SEQUENCE, u8::try_from(info.len()).ok()?];
    t.extend_from_slice(&info);
    let padding = k.checked_sub(t.len() + 3).filter(|p| *p >= 8)?;
    let mut em = Vec::with_capacity(k);
    em.extend_from_slice(&[0x00, 0x01]);
    em.resize(2 + padding, 0xff);
    em.push(0x00);
    em.extend_from_slice(&t);
    Some(em)
}

/// RSASSA-PSS verification.
pub(crate) fn verify_pss(
    key: &RsaKey<'_>,
    params: &PssParams,
    message: Signed<'_>,
    signature: &[u8],
) -> Result<(), SignatureError> {
    let standard = params.mgf_hash == params.hash
        && usize::try_from(params.salt_len).ok() == Some(params.hash.output_len())
        && (2048..=8192).contains(&key.bits());
    let aws_alg: Option<&'static aws::RsaParameters> = match params.hash {
        _ if !standard => None,
        DigestAlgorithm::Sha256 => Some(&aws::RSA_PSS_2048_8192_SHA256),
        DigestAlgorithm::Sha384 => Some(&aws::RSA_PSS_2048_8192_SHA384),
        DigestAlgorithm::Sha512 => Some(&aws::RSA_PSS_2048_8192_SHA512),
        _ => None,
    };
    if let Some(result) =
        aws_alg.and_then(|alg| aws_verify(alg, params.hash, key, message, signature))
    {
        return result;
    }
    verify_pss_generic(key, params, message, signature)
}

/// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with any hash, MGF1 hash and salt length.
pub(crate) fn verify_pss_generic(
    key: &RsaKey<'_>,
    params: &PssParams,
    message: Signed<'_>,
    signature: &[u8],
) -> Result<(), SignatureError> {
    let em_full = key.public_op(signature)?;
    let em_bits = key.bits().saturating_sub(1);
    let em_len = usize::try_from(em_bits.div_ceil(8)).map_err(|_| SignatureError::Invalid)?;
    // I2OSP(m, emLen): when emBits is a multiple of 8, the top byte of the k-byte value is 0.
    let extra = em_full
        .len()
        .checked_sub(em_len)
        .ok_or(SignatureError::Invalid)?;
    let (top, em) = em_full
        .split_at_checked(extra)
        .ok_or(SignatureError::Invalid)?;
    if top.iter().any(|&b| b != 0) {
        return Err(SignatureError::Invalid);
    }
    let h_len = params.hash.output_len();
    let s_len = usize::try_from(params.salt_len).map_err(|_| SignatureError::Invalid)?;
    let db_len = em_len
        .checked_sub(h_len + 1)
        .ok_or(SignatureError::Invalid)?;
    if em_len < h_len + s_len + 2 {
        return Err(SignatureError::Invalid);
    }
    let (masked_db, rest) = em.split_at_checked(db_len).ok_or(SignatureError::Invalid)?;
    let (h, trailer) = rest
        .split_at_checked(h_len)
        .ok_or(SignatureError::Invalid)?;
    if trailer != [0xbc] {
        return Err(SignatureError::Invalid);
    }
    // The leftmost 8*emLen - emBits bits must be zero.
    let unused_bits = u32::try_from(em_len * 8).map_err(|_| SignatureError::Invalid)? - em_bits;
    let top_mask: u8 = 0xffu8.checked_shr(unused_bits).unwrap_or(0);
    if masked_db.first().is_some_and(|b| b & !top_mask != 0) {
        return Err(SignatureError::Invalid);
    }
    let mut db = mgf1(params.mgf_hash, h, db_len);
    for (d, m) in db.iter_mut().zip(masked_db) {
        *d ^= m;
    }
    if let Some(first) = db.first_mut() {
        *first &= top_mask;
    }
    let ps_len = db_len - s_len - 1; // db_len = emLen - hLen - 1 >= sLen + 1
    let (ps, rest) = db.split_at_checked(ps_len).ok_or(SignatureError::Invalid)?;
    let (one, salt) = rest.split_first().ok_or(SignatureError::Invalid)?;
    if ps.iter().any(|&b| b != 0) || *one != 0x01 {
        return Err(SignatureError::Invalid);
    }
    let m_hash = message.digest(params.hash);
    let mut hasher = params.hash.hasher();
    hasher.update(&[0u8; 8]);
    hasher.update(&m_hash);
    hasher.update(salt);
    if hasher.finish() == h {
        Ok(())
    } else {
        Err(SignatureError::Invalid)
    }
}

/// MGF1 (RFC 8017 §B.2.1).
fn mgf1(hash: DigestAlgorithm, seed: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + hash.output_len());
    let mut counter: u32 = 0;
    while out.len() < len {
        let mut hasher = hash.hasher();
        hasher.update(seed);
        hasher.update(&counter.to_be_bytes());
        out.extend_from_slice(&hasher.finish());
        counter = counter.wrapping_add(1);
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pss_params_defaults_and_strictness() {
        // Empty SEQUENCE: all defaults.
        assert_eq!(
            PssParams::parse(Some(&[0x30, 0x00])),
            Ok(PssParams {
                hash: DigestAlgorithm::Sha1,
                mgf_hash: DigestAlgorithm::Sha1,
                salt_len: 20
            })
        );
        assert!(matches!(
            PssParams::parse(None),
            Err(SignatureError::BadParameters { .. })
        ));
        assert!(matches!(
            PssParams::parse(Some(&[0x05, 0x00])),
            Err(SignatureError::BadParameters { .. })
        ));
        // trailerField 2
        assert!(matches!(
            PssParams::parse(Some(&[0x30, 0x05, 0xa3, 0x03, 0x02, 0x01, 0x02])),
            Err(SignatureError::BadParameters { .. })
        ));
        // trailerField 1 explicit is fine
        assert!(PssParams::parse(Some(&[0x30, 0x05, 0xa3, 0x03, 0x02, 0x01, 0x01])).is_ok());
        // out of order: [3] before [2]
        assert!(PssParams::parse(Some(&[
            0x30, 0x0a, 0xa3, 0x03, 0x02, 0x01, 0x01, 0xa2, 0x03, 0x02, 0x01, 0x20
        ]))
        .is_err());
        // negative salt
        assert!(PssParams::parse(Some(&[0x30, 0x05, 0xa2, 0x03, 0x02, 0x01, 0xff])).is_err());
    }

    #[test]
    fn mgf1_known_answer() {
        // MGF1-SHA-1("foo", 3) = 1a c9 07 (widely published test value).
        assert_eq!(
            mgf1(DigestAlgorithm::Sha1, b"foo", 3),
            vec![0x1a, 0xc9, 0x07]
        );
        assert_eq!(
            mgf1(DigestAlgorithm::Sha1, b"bar", 5),
            vec![0xbc, 0x0c, 0x65, 0x5e, 0x01]
        );
    }
}
