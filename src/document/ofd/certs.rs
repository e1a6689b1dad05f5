//! Certificates carried inside seals and signatures.
//!
//! Each is parsed strictly with [`Certificate::from_der`] (what path validation needs). Real
//! seals carry certificates that break the X.509 profile in small ways (an `emailAddress`
//! in UTF-8, a subjectAltName of the wrong type), which a strict parser refuses although the
//! key inside is sound. For the signature checks only, the public key and the validity are
//! then read with a lenient walk of the certificate's outer structure; the certificate is
//! reported as malformed ([`CarriedCertificate::error`]) and is not exposed as a
//! [`Certificate`], so nothing downstream can validate a path through it.

use std::sync::Arc;

use super::asn1::{self, TAG_BIT_STRING, TAG_SEQUENCE};
use super::time::SesTime;
use crate::asn1::{AlgorithmIdentifier, UnixTime};
use crate::crypto::PublicKeyInfo;
use crate::x509::Certificate;

/// A certificate as carried, with what could be read from it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CarriedCertificate {
    /// The bytes as carried.
    pub der: Vec<u8>,
    /// The strictly parsed certificate.
    pub certificate: Option<Arc<Certificate>>,
    /// Why the strict parse failed.
    pub error: Option<String>,
    /// The public key (from the strict parse, or read leniently).
    pub key: Option<PublicKeyInfo>,
    /// notBefore and notAfter (from the strict parse, or read leniently).
    pub validity: Option<(UnixTime, UnixTime)>,
}

impl CarriedCertificate {
    /// Reads `der`.
    pub(super) fn new(der: &[u8]) -> CarriedCertificate {
        match Certificate::from_der(der) {
            Ok(c) => CarriedCertificate {
                der: der.to_vec(),
                key: Some(c.public_key.clone()),
                validity: Some((c.not_before, c.not_after)),
                certificate: Some(Arc::new(c)),
                error: None,
            },
            Err(e) => {
                let (key, validity) = lenient(der).unzip();
                CarriedCertificate {
                    der: der.to_vec(),
                    certificate: None,
                    error: Some(e.to_string()),
                    key,
                    validity: validity.flatten(),
                }
            }
        }
    }

    /// A certificate that parsed already (supplied out of band).
    pub(super) fn from_certificate(c: Arc<Certificate>) -> CarriedCertificate {
        CarriedCertificate {
            der: c.der.clone(),
            key: Some(c.public_key.clone()),
            validity: Some((c.not_before, c.not_after)),
            certificate: Some(c),
            error: None,
        }
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

/// The SubjectPublicKeyInfo and validity of a certificate whose fields the strict parser
/// refused: `Certificate ::= SEQUENCE { tbs SEQUENCE { [0] version OPTIONAL, serial,
/// signature, issuer, validity, subject, subjectPublicKeyInfo, … }, … }`.
fn lenient(der: &[u8]) -> Option<(PublicKeyInfo, Option<(UnixTime, UnixTime)>)> {
    let limits = crate::asn1::Bounds {
        max_depth: 16,
        max_size: der.len(),
    };
    let (_, mut cert) = asn1::top(der, TAG_SEQUENCE, "Certificate", limits).ok()?;
    let (_, mut tbs) = cert.sequence("tbsCertificate").ok()?;
    if tbs.peek() == Some(asn1::TAG_CTX0_CONSTRUCTED) {
        tbs.any("version").ok()?;
    }
    tbs.any("serialNumber").ok()?;
    tbs.sequence("signature").ok()?;
    tbs.sequence("issuer").ok()?;
    let (_, mut validity) = tbs.sequence("validity").ok()?;
    let times = match (
        super::asn1::asn1_time(&mut validity, "notBefore"),
        super::asn1::asn1_time(&mut validity, "notAfter"),
    ) {
        (Ok(SesTime { unix: Some(a), .. }), Ok(SesTime { unix: Some(b), .. })) => Some((a, b)),
        _ => None,
    };
    tbs.sequence("subject").ok()?;
    let (spki_tlv, mut spki) = tbs.sequence("subjectPublicKeyInfo").ok()?;
    let (_, mut alg) = spki.sequence("algorithm").ok()?;
    let (_, oid) = alg.oid("algorithm").ok()?;
    let params = if alg.is_empty() {
        None
    } else {
        Some(alg.any("parameters").ok()?.raw.to_vec())
    };
    let key = spki.tlv(TAG_BIT_STRING, "subjectPublicKey").ok()?;
    let key = key.content.strip_prefix(&[0])?.to_vec();
    Some((
        PublicKeyInfo {
            algorithm: AlgorithmIdentifier { oid, params },
            key,
            der: spki_tlv.raw.to_vec(),
            prepared: Default::default(),
        },
        times,
    ))
}
