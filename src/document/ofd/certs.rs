//! Certificates carried inside seals and signatures: the bytes as carried and the certificate
//! [`Certificate::from_der`] reads from them.
//!
//! Real seals carry certificates that break the X.509 profile in small ways (an
//! `emailAddress` in UTF-8, a subjectAltName of the wrong type); [`crate::x509`] reads those
//! and lists what it tolerated in [`Certificate::deviations`], so every certificate of the
//! corpus is read here as a full certificate, and the one that does not parse has no key:
//! the checks that need it say so.

use std::sync::Arc;

use crate::asn1::UnixTime;
use crate::crypto::PublicKeyInfo;
use crate::x509::Certificate;

/// A certificate as carried, with what could be read from it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CarriedCertificate {
    /// The bytes as carried.
    pub der: Vec<u8>,
    /// The parsed certificate.
    pub certificate: Option<Arc<Certificate>>,
    /// Why it did not parse.
    pub error: Option<String>,
}

impl CarriedCertificate {
    /// Reads `der`.
    pub(super) fn new(der: &[u8]) -> CarriedCertificate {
        match Certificate::from_der(der) {
            Ok(c) => CarriedCertificate {
                der: der.to_vec(),
                certificate: Some(Arc::new(c)),
                error: None,
            },
            Err(e) => CarriedCertificate {
                der: der.to_vec(),
                certificate: None,
                error: Some(e.to_string()),
            },
        }
    }

    /// The public key, when the certificate parsed.
    pub fn key(&self) -> Option<&PublicKeyInfo> {
        self.certificate.as_ref().map(|c| &c.public_key)
    }

    /// notBefore and notAfter, when the certificate parsed.
    pub fn validity(&self) -> Option<(UnixTime, UnixTime)> {
        self.certificate
            .as_ref()
            .map(|c| (c.not_before, c.not_after))
    }

    /// A label for messages.
    pub fn label(&self) -> String {
        match &self.certificate {
            Some(c) => c.label(),
            None => format!(
                "a malformed certificate (sha256:{})",
                hex::encode(crate::crypto::sha256(&self.der))
                    .get(..16)
                    .unwrap_or_default()
            ),
        }
    }
}
