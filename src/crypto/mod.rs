//! Signature verification and digests: which algorithms exist, which the policy allows, and the math.
//!
//! The flow of [`verify_signature_with_digest`] is always the same:
//!
//! 1. the signature AlgorithmIdentifier (plus, for CMS, a separate digest algorithm) is resolved
//!    into an internal `Scheme`: one enum arm per signature scheme, with its hash and
//!    parameters; unknown OIDs stop here;
//! 2. the public key's algorithm is classified (`KeyKind`) and checked against the scheme;
//! 3. the [`AlgorithmPolicy`] is applied (SHA-1, DSA, RSA key size); rejections stop here and
//!    accepted weak choices are collected as [`Weakness`]es;
//! 4. the math runs in a per-family submodule: `rsa` (aws-lc-rs where it has the combination,
//!    otherwise EMSA-PKCS1-v1_5 / EMSA-PSS on top of the `rsa` crate's public operation),
//!    `ec` (ECDSA and Ed25519 on aws-lc-rs), `dsa` (the `dsa` crate), `sm2` (the `sm2`
//!    crate, with the signer-ID hash `Z` computed here so any byte string can be the ID).
//!
//! Adding a scheme is one `Scheme` variant with an arm in `resolve_scheme` (or a row in the
//! `combined_scheme` table), a row in the key-compatibility match and an arm in `verify_scheme`.
//!
//! Digests ([`DigestAlgorithm`], [`Hasher`]) use aws-lc-rs for SHA-1/SHA-2 and the `sm3` crate
//! for SM3.

mod digest;
mod dsa;
mod ec;
mod key;
mod memo;
mod rsa;
mod sm2;
mod verified;

#[cfg(test)]
mod test_vectors;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::asn1::oid::bytes as oids;
use crate::asn1::oid::Oid;
use crate::asn1::{self, AlgorithmIdentifier};
use crate::verdict::Rule;

pub use digest::{DigestAlgorithm, Hasher};
pub use key::{key_description, PublicKeyInfo};
pub use memo::{Digest32, KeyHasher, SignatureCache, SignatureKey, SignatureResult};

pub use rsa::PssParams;
pub use verified::{SignatureDeviation, ValueEncoding, VerifiedSignature, Weakness, WeaknessKind};

/// The GM/T 0009 signer-ID hash `Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA)` of an SM2
/// public key (compressed or not) with the signer ID `id`: what an SM2 signature hashes
/// before the message, and what the OFD vendor `CheckMethod` 1.2.156.10197.1.401.2 hashes
/// before each file.
pub fn sm2_z(id: &[u8], key: &PublicKeyInfo) -> Result<[u8; 32], SignatureError> {
    sm2::z_for_key(id, key)
}

/// How an SM2 signature value is encoded, read from its form without verifying it: the DER
/// `SM2Signature` ([`ValueEncoding::Der`]) or 64 bytes of raw `r ‖ s`
/// ([`ValueEncoding::Plain`]); `None` for neither. [`verify_signature`] accepts both and
/// reports the raw form as [`SignatureDeviation::Sm2RawValue`].
pub fn sm2_value_encoding(signature: &[u8]) -> Option<ValueEncoding> {
    sm2::value_encoding(signature)
}

/// SHA-256 of some bytes (fingerprints, cache keys): the crate's one SHA-256.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

/// Which algorithms and key sizes are acceptable. This is configuration, not code: it is
/// deserialised from the deployment's settings.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlgorithmPolicy {
    /// Accept SHA-1 as the message hash (always reported as [`Weakness::Sha1`]).
    pub allow_sha1: bool,
    /// RSA moduli shorter than this are rejected.
    pub min_rsa_bits: u32,
    /// RSA moduli shorter than this are accepted but reported as [`Weakness::ShortRsaKey`].
    pub weak_rsa_bits: u32,
    /// Accept DSA (always reported as [`Weakness::Dsa`]).
    pub allow_dsa: bool,
    /// The SM2 signer distinguishing identifier used to compute `Z` (GM/T 0009 default
    /// `1234567812345678`).
    pub sm2_signer_id: Vec<u8>,
    /// When the signature does not verify with `sm2_signer_id`, retry with an empty ID (what
    /// OpenSSL before 4.0 signs with) and report [`Weakness::Sm2EmptyId`] if that verifies.
    pub sm2_empty_id_fallback: bool,
    /// Sunset dates (ETSI TS 119 312 style): after `until`, a signature with this weakness
    /// is relied upon only with a proof of existence from before `until` (EN 319 102-1
    /// §5.2.8; otherwise INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE_NO_POE). Empty by
    /// default: weak choices the policy accepts are accepted whenever.
    pub sunsets: Vec<Sunset>,
}

/// When a weak choice stops being relied upon without a proof of existence from before.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sunset {
    /// The weak choice.
    pub weakness: WeaknessKind,
    /// The last moment it is relied upon, RFC 3339.
    pub until: String,
}

impl AlgorithmPolicy {
    /// The sunset of `weakness` (the earliest, when several are given), as a time; a sunset
    /// whose date does not parse counts as already passed (fail closed).
    pub fn sunset_of(&self, weakness: &Weakness) -> Option<crate::asn1::UnixTime> {
        self.sunsets
            .iter()
            .filter(|s| s.weakness == weakness.kind())
            .map(|s| crate::asn1::parse_time(&s.until).unwrap_or(i64::MIN))
            .min()
    }
}

/// A verification key prepared once and kept with its certificate: aws-lc-rs's parsed key
/// (for RSA with its Montgomery context, for EC the validated point), for the first signature
/// algorithm it served. Issuer keys verify many signatures; preparing them again each time
/// costs a few microseconds. Ignored by comparison and hashing; a clone starts empty.
#[derive(Default)]
pub struct PreparedKey(std::sync::OnceLock<(usize, aws_lc_rs::signature::ParsedPublicKey)>);

impl PreparedKey {
    /// The prepared key for `alg` (identified by address: the algorithms are statics), made
    /// by `make` the first time; `None` when `make` fails.
    pub(crate) fn with<A, R>(
        &self,
        alg: &'static A,
        make: impl FnOnce() -> Option<aws_lc_rs::signature::ParsedPublicKey>,
        use_key: impl FnOnce(&aws_lc_rs::signature::ParsedPublicKey) -> R,
    ) -> Option<R> {
        let id = std::ptr::from_ref(alg) as usize;
        if let Some((stored, key)) = self.0.get() {
            if *stored == id {
                return Some(use_key(key));
            }
            // Another algorithm with the same key: prepared for this call only.
            return make().map(|k| use_key(&k));
        }
        let key = make()?;
        let r = use_key(&key);
        let _ = self.0.set((id, key));
        Some(r)
    }
}

impl fmt::Debug for PreparedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "PreparedKey(ready)"
        } else {
            "PreparedKey(empty)"
        })
    }
}

/// The GM/T 0009-2012 default SM2 signer ID.
pub const SM2_DEFAULT_SIGNER_ID: &[u8] = b"1234567812345678";

impl Default for AlgorithmPolicy {
    fn default() -> Self {
        AlgorithmPolicy {
            allow_sha1: true,
            min_rsa_bits: 1024,
            weak_rsa_bits: 2048,
            allow_dsa: true,
            sm2_signer_id: SM2_DEFAULT_SIGNER_ID.to_vec(),
            sm2_empty_id_fallback: false,
            sunsets: Vec::new(),
        }
    }
}

impl AlgorithmPolicy {
    /// No SHA-1, RSA of at least 2048 bits, no DSA.
    pub fn strict() -> Self {
        AlgorithmPolicy {
            allow_sha1: false,
            min_rsa_bits: 2048,
            weak_rsa_bits: 2048,
            allow_dsa: false,
            ..AlgorithmPolicy::default()
        }
    }
}

/// Why a signature was not accepted.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// The signature algorithm OID is unknown.
    #[error("unsupported signature algorithm {oid}")]
    UnsupportedAlgorithm {
        /// Dotted OID (possibly with a note).
        oid: String,
    },
    /// The key algorithm or curve is unknown.
    #[error("unsupported public key algorithm {oid}")]
    UnsupportedKey {
        /// Dotted OID (possibly with a note).
        oid: String,
    },
    /// The signature algorithm cannot be used with this kind of key.
    #[error("signature algorithm {signature} does not match the {key} key")]
    AlgorithmMismatch {
        /// The signature scheme.
        signature: String,
        /// The key type.
        key: String,
    },
    /// The algorithm parameters are malformed or not allowed.
    #[error("bad algorithm parameters: {what}")]
    BadParameters {
        /// What is wrong.
        what: String,
    },
    /// The public key could not be decoded.
    #[error("malformed public key: {what}")]
    MalformedKey {
        /// What is wrong.
        what: String,
    },
    /// The policy does not allow this algorithm or key size.
    #[error("rejected by policy: {what}")]
    RejectedByPolicy {
        /// What was rejected.
        what: String,
    },
    /// The signature does not verify.
    #[error("the signature is invalid")]
    Invalid,
    /// A DSA key without parameters, and no issuer parameters to inherit.
    #[error("the DSA key has no parameters and none were inherited from its issuer")]
    MissingInheritedParameters,
}

/// The rule a signature failure breaks: a signature that does not verify (or cannot belong
/// to the key) breaks [`Rule::SignatureValue`]; an algorithm that is unknown, refused by the
/// policy, or lacking the parameters it needs breaks [`Rule::SignatureAlgorithm`].
pub fn rule_for(e: &SignatureError) -> Rule {
    match e {
        SignatureError::Invalid
        | SignatureError::AlgorithmMismatch { .. }
        | SignatureError::BadParameters { .. }
        | SignatureError::MalformedKey { .. } => Rule::SignatureValue,
        SignatureError::UnsupportedAlgorithm { .. }
        | SignatureError::UnsupportedKey { .. }
        | SignatureError::RejectedByPolicy { .. }
        | SignatureError::MissingInheritedParameters => Rule::SignatureAlgorithm,
    }
}

fn bad_params(what: impl Into<String>) -> SignatureError {
    SignatureError::BadParameters { what: what.into() }
}

fn malformed_key(what: impl Into<String>) -> SignatureError {
    SignatureError::MalformedKey { what: what.into() }
}

/// A resolved signature scheme: what the math has to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scheme {
    /// RSASSA-PKCS1-v1_5 with the hash.
    RsaPkcs1(DigestAlgorithm),
    /// RSASSA-PSS with explicit parameters.
    RsaPss(PssParams),
    /// ECDSA (curve from the key) with the hash.
    Ecdsa(DigestAlgorithm),
    /// ECDSA with the value as fixed-width `r ‖ s` (BSI TR-03111 "ecdsa-plain").
    EcdsaPlain(DigestAlgorithm),
    /// Pure Ed25519.
    Ed25519,
    /// DSA with the hash.
    Dsa(DigestAlgorithm),
    /// SM2 signature with SM3 and the signer-ID hash `Z`.
    Sm2Sm3,
}

impl Scheme {
    fn hash(self) -> Option<DigestAlgorithm> {
        match self {
            Scheme::RsaPkcs1(d) | Scheme::Ecdsa(d) | Scheme::EcdsaPlain(d) | Scheme::Dsa(d) => {
                Some(d)
            }
            Scheme::RsaPss(p) => Some(p.hash),
            Scheme::Ed25519 => None,
            Scheme::Sm2Sm3 => Some(DigestAlgorithm::Sm3),
        }
    }

    /// Name for error messages (key-independent).
    fn describe(self) -> String {
        match self {
            Scheme::RsaPkcs1(d) => pkcs1_name(d).to_owned(),
            Scheme::RsaPss(p) => p.describe(),
            Scheme::Ecdsa(d) => format!("ecdsa-with-{}", d.name().replace('-', "")),
            Scheme::EcdsaPlain(d) => format!("ecdsa-plain-{}", d.name().replace('-', "")),
            Scheme::Ed25519 => "Ed25519".to_owned(),
            Scheme::Dsa(d) => dsa_name(d).to_owned(),
            Scheme::Sm2Sm3 => "SM2-with-SM3".to_owned(),
        }
    }
}

fn pkcs1_name(d: DigestAlgorithm) -> &'static str {
    match d {
        DigestAlgorithm::Sha1 => "sha1WithRSAEncryption",
        DigestAlgorithm::Sha224 => "sha224WithRSAEncryption",
        DigestAlgorithm::Sha256 => "sha256WithRSAEncryption",
        DigestAlgorithm::Sha384 => "sha384WithRSAEncryption",
        DigestAlgorithm::Sha512 => "sha512WithRSAEncryption",
        DigestAlgorithm::Sm3 => "sm3WithRSAEncryption",
    }
}

fn dsa_name(d: DigestAlgorithm) -> &'static str {
    match d {
        DigestAlgorithm::Sha1 => "dsa-with-SHA1",
        DigestAlgorithm::Sha224 => "dsa-with-SHA224",
        DigestAlgorithm::Sha256 => "dsa-with-SHA256",
        DigestAlgorithm::Sha384 => "dsa-with-SHA384",
        DigestAlgorithm::Sha512 => "dsa-with-SHA512",
        DigestAlgorithm::Sm3 => "dsa-with-SM3",
    }
}

/// How the parameters of a signature AlgorithmIdentifier must look.
#[derive(Clone, Copy)]
enum ParamRule {
    /// NULL or absent (RSA PKCS#1 v1.5: RFC 4055 §5 says NULL, absent is widespread; DSA:
    /// RFC 3279 §2.2.2 says absent, but real certificates carry NULL and OpenSSL accepts it;
    /// SM2: GM/T 0015 certificates are seen both ways).
    NullOrAbsent,
    /// Absent (ECDSA RFC 5758 §3.2, BSI TR-03111 §5.2.1, Ed25519 RFC 8410 §3).
    Absent,
}

fn check_params(
    alg: &AlgorithmIdentifier,
    rule: ParamRule,
    name: &str,
) -> Result<(), SignatureError> {
    match (rule, alg.params.as_deref()) {
        (_, None) => Ok(()),
        (ParamRule::NullOrAbsent, Some(asn1::NULL_DER)) => Ok(()),
        (ParamRule::NullOrAbsent, Some(_)) => Err(bad_params(format!(
            "{name} parameters must be NULL or absent"
        ))),
        (ParamRule::Absent, Some(_)) => {
            Err(bad_params(format!("{name} parameters must be absent")))
        }
    }
}

/// Signature OIDs that name both the scheme and its hash.
fn combined_scheme(oid: &[u8]) -> Option<(Scheme, ParamRule)> {
    use DigestAlgorithm::*;
    const ABSENT: ParamRule = ParamRule::Absent;
    let table: &[(&[u8], Scheme, ParamRule)] = &[
        (
            oids::SHA1_WITH_RSA,
            Scheme::RsaPkcs1(Sha1),
            ParamRule::NullOrAbsent,
        ),
        (
            oids::SHA224_WITH_RSA,
            Scheme::RsaPkcs1(Sha224),
            ParamRule::NullOrAbsent,
        ),
        (
            oids::SHA256_WITH_RSA,
            Scheme::RsaPkcs1(Sha256),
            ParamRule::NullOrAbsent,
        ),
        (
            oids::SHA384_WITH_RSA,
            Scheme::RsaPkcs1(Sha384),
            ParamRule::NullOrAbsent,
        ),
        (
            oids::SHA512_WITH_RSA,
            Scheme::RsaPkcs1(Sha512),
            ParamRule::NullOrAbsent,
        ),
        (oids::ECDSA_SHA1, Scheme::Ecdsa(Sha1), ABSENT),
        (oids::ECDSA_SHA224, Scheme::Ecdsa(Sha224), ABSENT),
        (oids::ECDSA_SHA256, Scheme::Ecdsa(Sha256), ABSENT),
        (oids::ECDSA_SHA384, Scheme::Ecdsa(Sha384), ABSENT),
        (oids::ECDSA_SHA512, Scheme::Ecdsa(Sha512), ABSENT),
        (oids::ECDSA_PLAIN_SHA1, Scheme::EcdsaPlain(Sha1), ABSENT),
        (oids::ECDSA_PLAIN_SHA224, Scheme::EcdsaPlain(Sha224), ABSENT),
        (oids::ECDSA_PLAIN_SHA256, Scheme::EcdsaPlain(Sha256), ABSENT),
        (oids::ECDSA_PLAIN_SHA384, Scheme::EcdsaPlain(Sha384), ABSENT),
        (oids::ECDSA_PLAIN_SHA512, Scheme::EcdsaPlain(Sha512), ABSENT),
        (oids::DSA_SHA1, Scheme::Dsa(Sha1), ParamRule::NullOrAbsent),
        (
            oids::DSA_SHA224,
            Scheme::Dsa(Sha224),
            ParamRule::NullOrAbsent,
        ),
        (
            oids::DSA_SHA256,
            Scheme::Dsa(Sha256),
            ParamRule::NullOrAbsent,
        ),
        (oids::ED25519, Scheme::Ed25519, ParamRule::Absent),
        (oids::SM2_SM3, Scheme::Sm2Sm3, ParamRule::NullOrAbsent),
        // GM/T 0010 "SM2-1" (sm2sign), which CMS and OFD producers write for SM2 with SM3.
        (oids::SM2_SIGN, Scheme::Sm2Sm3, ParamRule::NullOrAbsent),
    ];
    table
        .iter()
        .find(|(o, _, _)| *o == oid)
        .map(|(_, s, r)| (*s, *r))
}

/// Resolves (signature OID, parameters, separate digest) into a [`Scheme`].
fn resolve_scheme(
    alg: &AlgorithmIdentifier,
    digest: Option<DigestAlgorithm>,
) -> Result<Scheme, SignatureError> {
    let oid = alg.oid.as_bytes();
    if let Some((scheme, rule)) = combined_scheme(oid) {
        check_params(alg, rule, &scheme.describe())?;
        // Ed25519 hashes internally; a CMS digest algorithm only covers the content.
        if let (Some(d), Some(own)) = (digest, scheme.hash()) {
            if scheme != Scheme::Ed25519 && d != own {
                return Err(SignatureError::AlgorithmMismatch {
                    signature: scheme.describe(),
                    key: format!("digest algorithm {}", d.name()),
                });
            }
        }
        return Ok(scheme);
    }
    let need_digest = |what: &str| {
        digest.ok_or_else(|| {
            bad_params(format!(
                "{what} as a signature algorithm needs a separate digest algorithm"
            ))
        })
    };
    let not_with = |scheme: &str, d: DigestAlgorithm| SignatureError::UnsupportedAlgorithm {
        oid: format!("{} with {}", scheme, d.name()),
    };
    match oid {
        oids::RSASSA_PSS => {
            let params = rsa::PssParams::parse(alg.params.as_deref())?;
            if let Some(d) = digest {
                if d != params.hash {
                    return Err(SignatureError::AlgorithmMismatch {
                        signature: params.describe(),
                        key: format!("digest algorithm {}", d.name()),
                    });
                }
            }
            Ok(Scheme::RsaPss(params))
        }
        oids::RSA_ENCRYPTION => {
            check_params(alg, ParamRule::NullOrAbsent, "rsaEncryption")?;
            match need_digest("rsaEncryption")? {
                DigestAlgorithm::Sm3 => Err(not_with("RSA", DigestAlgorithm::Sm3)),
                d => Ok(Scheme::RsaPkcs1(d)),
            }
        }
        // In CMS the curve parameters may be repeated here; the key decides the curve.
        oids::EC_PUBLIC_KEY => match need_digest("id-ecPublicKey")? {
            DigestAlgorithm::Sm3 => Err(not_with("ECDSA", DigestAlgorithm::Sm3)),
            d => Ok(Scheme::Ecdsa(d)),
        },
        oids::SM2_CURVE => match digest {
            None | Some(DigestAlgorithm::Sm3) => Ok(Scheme::Sm2Sm3),
            Some(d) => Err(not_with("SM2", d)),
        },
        oids::DSA => {
            check_params(alg, ParamRule::NullOrAbsent, "id-dsa")?;
            match need_digest("id-dsa")? {
                d @ (DigestAlgorithm::Sha1 | DigestAlgorithm::Sha224 | DigestAlgorithm::Sha256) => {
                    Ok(Scheme::Dsa(d))
                }
                d => Err(not_with("DSA", d)),
            }
        }
        oids::MD2_WITH_RSA | oids::MD4_WITH_RSA | oids::MD5_WITH_RSA => {
            Err(SignatureError::RejectedByPolicy {
                what: format!("MD2/MD4/MD5 signatures ({}) are never accepted", alg.oid),
            })
        }
        _ => Err(SignatureError::UnsupportedAlgorithm {
            oid: alg.oid.to_string(),
        }),
    }
}

/// The public-key family, from the SubjectPublicKeyInfo algorithm (and curve for EC keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyKind {
    Rsa,
    RsaPss,
    Ec(ec::Curve),
    Sm2,
    Ed25519,
    Dsa,
}

impl KeyKind {
    fn name(self) -> &'static str {
        match self {
            KeyKind::Rsa => "RSA",
            KeyKind::RsaPss => "RSASSA-PSS",
            KeyKind::Ec(c) => c.name(),
            KeyKind::Sm2 => "SM2",
            KeyKind::Ed25519 => "Ed25519",
            KeyKind::Dsa => "DSA",
        }
    }
}

fn key_kind(key: &PublicKeyInfo) -> Result<KeyKind, SignatureError> {
    let alg = &key.algorithm;
    match alg.oid.as_bytes() {
        oids::RSA_ENCRYPTION => Ok(KeyKind::Rsa),
        oids::RSASSA_PSS => Ok(KeyKind::RsaPss),
        oids::ED25519 => Ok(KeyKind::Ed25519),
        oids::DSA => Ok(KeyKind::Dsa),
        oids::SM2_CURVE => Ok(KeyKind::Sm2),
        oids::EC_PUBLIC_KEY => {
            let params = alg
                .params
                .as_deref()
                .ok_or_else(|| SignatureError::UnsupportedKey {
                    oid: format!("{} without a named curve", alg.oid),
                })?;
            let curve = asn1::single(params, asn1::TAG_OID).map_err(|_| {
                SignatureError::UnsupportedKey {
                    oid: format!("{} with explicit or implicit curve parameters", alg.oid),
                }
            })?;
            match curve {
                oids::SM2_CURVE => Ok(KeyKind::Sm2),
                _ => match ec::Curve::from_oid(curve) {
                    Some(c) => Ok(KeyKind::Ec(c)),
                    None => Err(SignatureError::UnsupportedKey {
                        oid: Oid::from_der_content(curve).map_or_else(
                            || "an invalid curve OID".to_owned(),
                            |o| format!("curve {o}"),
                        ),
                    }),
                },
            }
        }
        _ => Err(SignatureError::UnsupportedKey {
            oid: alg.oid.to_string(),
        }),
    }
}

/// Verifies an X.509 signature (certificate, CRL, OCSP): the signature algorithm names the hash.
pub fn verify_signature(
    signature_algorithm: &AlgorithmIdentifier,
    key: &PublicKeyInfo,
    inherited_dsa_params: Option<&[u8]>,
    message: &[u8],
    signature: &[u8],
    policy: &AlgorithmPolicy,
) -> Result<VerifiedSignature, SignatureError> {
    verify_signature_with_digest(
        signature_algorithm,
        None,
        key,
        inherited_dsa_params,
        message,
        signature,
        policy,
    )
}

/// What a signature is checked over: the signed message, or its digest with the scheme's
/// hash, computed by the caller (detached content hashed as a stream, never held whole).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Signed<'a> {
    /// The message itself.
    Message(&'a [u8]),
    /// The message's digest with the scheme's hash.
    Digest(&'a [u8]),
}

impl Signed<'_> {
    /// The digest with `hash` (computed for a message, as given for a digest).
    fn digest(self, hash: DigestAlgorithm) -> Vec<u8> {
        match self {
            Signed::Message(m) => hash.digest(m),
            Signed::Digest(d) => d.to_vec(),
        }
    }
}

/// Verifies a signature whose algorithm may be a bare key algorithm (CMS: `rsaEncryption`,
/// `id-ecPublicKey`, `id-dsa`, the SM2 curve OID) plus a separate digest algorithm. When the
/// signature OID names its own hash, a given `digest_algorithm` must agree with it (Ed25519
/// ignores it: it hashes internally).
pub fn verify_signature_with_digest(
    signature_algorithm: &AlgorithmIdentifier,
    digest_algorithm: Option<DigestAlgorithm>,
    key: &PublicKeyInfo,
    inherited_dsa_params: Option<&[u8]>,
    message: &[u8],
    signature: &[u8],
    policy: &AlgorithmPolicy,
) -> Result<VerifiedSignature, SignatureError> {
    verify_signed(
        signature_algorithm,
        digest_algorithm,
        key,
        inherited_dsa_params,
        Signed::Message(message),
        signature,
        policy,
    )
}

/// Like [`verify_signature_with_digest`], over the message's `digest` (with `digest_algorithm`)
/// instead of the message: RSA PKCS#1 v1.5 and PSS, ECDSA and DSA sign a digest, so
/// content of any size can be hashed as a stream first. SM2 (whose digest covers `Z` before
/// the message) and Ed25519 (which hashes internally) need the message: see
/// [`can_verify_prehashed`].
pub fn verify_signature_prehashed(
    signature_algorithm: &AlgorithmIdentifier,
    digest_algorithm: DigestAlgorithm,
    key: &PublicKeyInfo,
    inherited_dsa_params: Option<&[u8]>,
    digest: &[u8],
    signature: &[u8],
    policy: &AlgorithmPolicy,
) -> Result<VerifiedSignature, SignatureError> {
    verify_signed(
        signature_algorithm,
        Some(digest_algorithm),
        key,
        inherited_dsa_params,
        Signed::Digest(digest),
        signature,
        policy,
    )
}

/// True when a signature with this algorithm (and CMS digest algorithm) can be checked over
/// a precomputed digest ([`verify_signature_prehashed`]).
pub fn can_verify_prehashed(
    signature_algorithm: &AlgorithmIdentifier,
    digest_algorithm: DigestAlgorithm,
) -> bool {
    resolve_scheme(signature_algorithm, Some(digest_algorithm)).is_ok_and(|s| {
        matches!(
            s,
            Scheme::RsaPkcs1(_)
                | Scheme::RsaPss(_)
                | Scheme::Ecdsa(_)
                | Scheme::EcdsaPlain(_)
                | Scheme::Dsa(_)
        ) && s.hash() == Some(digest_algorithm)
    })
}

pub(crate) fn verify_signed(
    signature_algorithm: &AlgorithmIdentifier,
    digest_algorithm: Option<DigestAlgorithm>,
    key: &PublicKeyInfo,
    inherited_dsa_params: Option<&[u8]>,
    message: Signed<'_>,
    signature: &[u8],
    policy: &AlgorithmPolicy,
) -> Result<VerifiedSignature, SignatureError> {
    let scheme = resolve_scheme(signature_algorithm, digest_algorithm)?;
    if let Signed::Digest(d) = message {
        let hash = scheme.hash().filter(|h| Some(*h) == digest_algorithm);
        if hash.is_none_or(|h| h.output_len() != d.len()) {
            return Err(SignatureError::UnsupportedAlgorithm {
                oid: format!(
                    "{} over a precomputed digest (the scheme needs the content itself, or hashes with another algorithm)",
                    scheme.describe()
                ),
            });
        }
    }
    let kind = key_kind(key)?;
    let compatible = matches!(
        (scheme, kind),
        (Scheme::RsaPkcs1(_), KeyKind::Rsa)
            | (Scheme::RsaPss(_), KeyKind::Rsa | KeyKind::RsaPss)
            | (Scheme::Ecdsa(_) | Scheme::EcdsaPlain(_), KeyKind::Ec(_))
            | (Scheme::Ed25519, KeyKind::Ed25519)
            | (Scheme::Dsa(_), KeyKind::Dsa)
            | (Scheme::Sm2Sm3, KeyKind::Sm2)
    );
    if !compatible {
        return Err(SignatureError::AlgorithmMismatch {
            signature: scheme.describe(),
            key: kind.name().to_owned(),
        });
    }
    let mut weaknesses = Vec::new();
    if scheme.hash() == Some(DigestAlgorithm::Sha1) {
        if !policy.allow_sha1 {
            return Err(SignatureError::RejectedByPolicy {
                what: "SHA-1 not allowed".to_owned(),
            });
        }
        weaknesses.push(Weakness::Sha1);
    }
    let mut deviations = Vec::new();
    let (algorithm, encoding) = verify_scheme(
        scheme,
        kind,
        key,
        inherited_dsa_params,
        message,
        signature,
        policy,
        &mut weaknesses,
    )?;
    if scheme == Scheme::Sm2Sm3 && encoding == ValueEncoding::Plain {
        deviations.push(SignatureDeviation::Sm2RawValue);
    }
    Ok(VerifiedSignature {
        algorithm,
        weaknesses,
        encoding,
        deviations,
    })
}

/// Applies the key-dependent policy and runs the math for one scheme.
#[allow(clippy::too_many_arguments)]
fn verify_scheme(
    scheme: Scheme,
    kind: KeyKind,
    key: &PublicKeyInfo,
    inherited_dsa_params: Option<&[u8]>,
    message: Signed<'_>,
    signature: &[u8],
    policy: &AlgorithmPolicy,
    weaknesses: &mut Vec<Weakness>,
) -> Result<(Cow<'static, str>, ValueEncoding), SignatureError> {
    use ValueEncoding::{Der, Opaque, Plain};
    let whole = |what: &str| match message {
        Signed::Message(m) => Ok(m),
        Signed::Digest(_) => Err(SignatureError::UnsupportedAlgorithm {
            oid: format!("{what} over a precomputed digest (it needs the content itself)"),
        }),
    };
    match scheme {
        Scheme::RsaPkcs1(hash) => {
            let rsa_key = rsa::RsaKey::parse(key)?;
            rsa_policy(&rsa_key, policy, weaknesses)?;
            rsa::verify_pkcs1(&rsa_key, hash, message, signature)?;
            Ok((Cow::Borrowed(pkcs1_name(hash)), Opaque))
        }
        Scheme::RsaPss(params) => {
            let rsa_key = rsa::RsaKey::parse(key)?;
            rsa_key.check_pss_constraint(&params)?;
            rsa_policy(&rsa_key, policy, weaknesses)?;
            rsa::verify_pss(&rsa_key, &params, message, signature)?;
            Ok((Cow::Owned(params.describe()), Opaque))
        }
        Scheme::Ecdsa(hash) | Scheme::EcdsaPlain(hash) => {
            let KeyKind::Ec(curve) = kind else {
                return Err(SignatureError::AlgorithmMismatch {
                    signature: scheme.describe(),
                    key: kind.name().to_owned(),
                });
            };
            let plain = matches!(scheme, Scheme::EcdsaPlain(_));
            let der;
            let value = if plain {
                der = ec::plain_to_der(curve, signature)?;
                der.as_slice()
            } else {
                signature
            };
            ec::verify_ecdsa(curve, hash, &key.key, &key.prepared, message, value)?;
            let prefix = if plain { "ecdsa-plain" } else { "ecdsa-with" };
            Ok((
                Cow::Owned(format!(
                    "{prefix}-{} ({})",
                    hash.name().replace('-', ""),
                    curve.name()
                )),
                if plain { Plain } else { Der },
            ))
        }
        Scheme::Ed25519 => {
            if key.algorithm.params.is_some() {
                return Err(malformed_key("Ed25519 key parameters must be absent"));
            }
            ec::verify_ed25519(&key.key, whole("Ed25519")?, signature)?;
            Ok((Cow::Borrowed("Ed25519"), Opaque))
        }
        Scheme::Dsa(hash) => {
            if !policy.allow_dsa {
                return Err(SignatureError::RejectedByPolicy {
                    what: "DSA not allowed".to_owned(),
                });
            }
            weaknesses.push(Weakness::Dsa);
            dsa::verify(key, inherited_dsa_params, hash, message, signature)?;
            Ok((Cow::Borrowed(dsa_name(hash)), Der))
        }
        Scheme::Sm2Sm3 => {
            let (id_used, encoding) = sm2::verify(
                key,
                &policy.sm2_signer_id,
                policy.sm2_empty_id_fallback,
                whole("SM2")?,
                signature,
            )?;
            if id_used == sm2::IdUsed::EmptyFallback {
                weaknesses.push(Weakness::Sm2EmptyId);
            }
            Ok((Cow::Borrowed("SM2-with-SM3"), encoding))
        }
    }
}

fn rsa_policy(
    key: &rsa::RsaKey<'_>,
    policy: &AlgorithmPolicy,
    weaknesses: &mut Vec<Weakness>,
) -> Result<(), SignatureError> {
    let bits = key.bits();
    if bits < policy.min_rsa_bits {
        return Err(SignatureError::RejectedByPolicy {
            what: format!("RSA-{bits} below minimum {}", policy.min_rsa_bits),
        });
    }
    if bits < policy.weak_rsa_bits {
        weaknesses.push(Weakness::ShortRsaKey { bits });
    }
    Ok(())
}

/// True when `key` is a DSA key whose parameters are absent (must inherit from its issuer).
pub fn needs_inherited_params(key: &PublicKeyInfo) -> bool {
    key.algorithm.oid.as_bytes() == oids::DSA && key.algorithm.params.is_none()
}

/// The DSA parameters (DER of Dss-Parms) of a key, if it is a DSA key that has them, to pass
/// down to a subject that inherits them.
pub fn dsa_params(key: &PublicKeyInfo) -> Option<&[u8]> {
    if key.algorithm.oid.as_bytes() != oids::DSA {
        return None;
    }
    key.algorithm
        .params
        .as_deref()
        .filter(|p| p.first() == Some(&asn1::TAG_SEQUENCE))
}

/// Key size in bits for reporting: RSA modulus bits, EC field bits, 256 for SM2 and Ed25519,
/// DSA `p` bits (`None` for a DSA key that inherits its parameters, or an undecodable key).
pub fn key_bits(key: &PublicKeyInfo) -> Option<u32> {
    match key_kind(key).ok()? {
        KeyKind::Rsa | KeyKind::RsaPss => rsa::RsaKey::parse(key).ok().map(|k| k.bits()),
        KeyKind::Ec(curve) => Some(curve.bits()),
        KeyKind::Sm2 | KeyKind::Ed25519 => Some(256),
        KeyKind::Dsa => dsa::p_bits(key.algorithm.params.as_deref()?),
    }
}
