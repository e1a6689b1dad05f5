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

/// The key for people: `RSA 2048 bits`, `ECDSA P-256`, `SM2 (256 bits)`, `Ed25519`,
/// `DSA 2048 bits`, or the algorithm's OID (with its registry name) when sigbridge does not
/// support it.
pub fn key_description(key: &PublicKeyInfo) -> String {
    use super::KeyKind;
    let bits = super::key_bits(key);
    match super::key_kind(key) {
        Ok(KeyKind::Rsa) | Ok(KeyKind::RsaPss) | Ok(KeyKind::Dsa) => {
            let name = super::key_kind(key).map(|k| k.name()).unwrap_or_default();
            match bits {
                Some(b) => format!("{name} {b} bits"),
                None => name.to_string(),
            }
        }
        Ok(KeyKind::Ec(c)) => format!("ECDSA {}", c.name()),
        Ok(KeyKind::Sm2) => "SM2 (256 bits)".to_string(),
        Ok(KeyKind::Ed25519) => "Ed25519".to_string(),
        Err(_) => format!(
            "unsupported key {}",
            crate::asn1::oid::describe(&key.algorithm.oid)
        ),
    }
}
