//! Public keys: SubjectPublicKeyInfo as an owned value, with the verifier's prepared form.

use crate::asn1::AlgorithmIdentifier;

/// SubjectPublicKeyInfo. Equality and hashing are over the DER encoding; a clone starts
/// with an empty prepared key.
#[derive(Debug)]
pub struct PublicKeyInfo {
    /// The key's algorithm and parameters (curve OID for EC keys, Dss-Parms for DSA, …).
    pub algorithm: AlgorithmIdentifier,
    /// The subjectPublicKey BIT STRING contents, without the unused-bits octet.
    pub key: Vec<u8>,
    /// The DER of the whole SubjectPublicKeyInfo.
    pub der: Vec<u8>,
    /// The key as the verifier prepared it (filled on first use; `Default::default()`).
    pub prepared: super::PreparedKey,
}

impl Clone for PublicKeyInfo {
    fn clone(&self) -> Self {
        PublicKeyInfo {
            algorithm: self.algorithm.clone(),
            key: self.key.clone(),
            der: self.der.clone(),
            prepared: super::PreparedKey::default(),
        }
    }
}

impl PartialEq for PublicKeyInfo {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Eq for PublicKeyInfo {}

impl std::hash::Hash for PublicKeyInfo {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.der.hash(state);
    }
}
