//! Algorithm identifiers and subject public key info, as owned values.

use super::oid::Oid;

/// An AlgorithmIdentifier: OID plus the complete DER TLV of its parameters, when present.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AlgorithmIdentifier {
    /// The algorithm OID.
    pub oid: Oid,
    /// Full DER encoding (tag, length, content) of the parameters; `None` when absent.
    /// An explicit NULL is `Some(vec![0x05, 0x00])`.
    pub params: Option<Vec<u8>>,
}

/// SubjectPublicKeyInfo.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PublicKeyInfo {
    /// The key's algorithm and parameters (curve OID for EC keys, Dss-Parms for DSA, …).
    pub algorithm: AlgorithmIdentifier,
    /// The subjectPublicKey BIT STRING contents, without the unused-bits octet.
    pub key: Vec<u8>,
    /// The DER of the whole SubjectPublicKeyInfo.
    pub der: Vec<u8>,
    /// The key as the verifier prepared it (filled on first use; `Default::default()`).
    pub prepared: crate::crypto::PreparedKey,
}
