//! What a file that is not a signed document holds — a certificate, a CRL, a private key, a
//! certificate bundle, text, a web page … — told from its bytes so that every front end can
//! name it and say what sigbridge can do with it (the words are in `report::words`). A
//! private key is recognised by its shape only; its contents are never decoded or echoed.

use super::sniff::{pem_label, sniff, FileKind, PemKind};
use crate::asn1::Reader;
use crate::limits::Limits;
use serde::{Deserialize, Serialize};

/// What a file holds, when a signed document was expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "found", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Found {
    /// Nothing (or only white space).
    Empty,
    /// Text.
    Text,
    /// An HTML page.
    Html,
    /// Binary data of no known kind.
    Binary,
    /// A PDF document.
    Pdf,
    /// A ZIP package (an OFD document is one).
    Zip,
    /// One or more X.509 certificates.
    Certificate {
        /// How many.
        count: usize,
    },
    /// One or more CRLs.
    Crl {
        /// How many.
        count: usize,
    },
    /// A private key (PEM label or DER shape).
    PrivateKey,
    /// A bare public key.
    PublicKey,
    /// A certificate signing request (PKCS#10).
    CertificateRequest,
    /// A CMS SignedData with no signer: a "certs-only" certificate bundle (.p7b / .p7c).
    CertificateBundle {
        /// Certificates it carries.
        certificates: usize,
        /// CRLs it carries.
        crls: usize,
    },
    /// PEM text of another kind.
    OtherPem,
    /// ASN.1 (DER/BER) of no known kind.
    OtherAsn1,
}

/// Tells what `bytes` hold (bounded by `limits`; certificates and CRLs are parsed to count
/// them, a SignedData to see whether it has signers).
pub fn identify(bytes: &[u8], limits: &Limits) -> Found {
    let count = |r: Result<usize, _>| r.ok().filter(|n| *n > 0);
    let certs = || count(crate::x509::certificates_from_bytes(bytes, "", limits).map(|v| v.len()));
    let crls = || count(crate::x509::crls_from_bytes(bytes, "", limits).map(|v| v.len()));
    match sniff(bytes) {
        FileKind::Empty => Found::Empty,
        FileKind::Pdf => Found::Pdf,
        FileKind::Zip => Found::Zip,
        FileKind::Html => Found::Html,
        FileKind::Text | FileKind::Mime => Found::Text,
        FileKind::Binary => Found::Binary,
        FileKind::Pem(PemKind::PrivateKey) => Found::PrivateKey,
        FileKind::Pem(PemKind::Certificate) => Found::Certificate {
            count: certs().unwrap_or(1),
        },
        FileKind::Pem(PemKind::Crl) => Found::Crl {
            count: crls().unwrap_or(1),
        },
        FileKind::Pem(PemKind::Cms) => bundle(bytes, limits).unwrap_or(Found::OtherPem),
        FileKind::Pem(_) => match pem_label(bytes).unwrap_or_default() {
            "PUBLIC KEY" | "RSA PUBLIC KEY" => Found::PublicKey,
            "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => Found::CertificateRequest,
            _ => Found::OtherPem,
        },
        FileKind::Asn1 => {
            if looks_like_private_key(bytes) {
                Found::PrivateKey
            } else if let Some(count) = certs() {
                Found::Certificate { count }
            } else if let Some(count) = crls() {
                Found::Crl { count }
            } else {
                bundle(bytes, limits).unwrap_or(Found::OtherAsn1)
            }
        }
    }
}

/// A SignedData without signers, as a bundle.
fn bundle(bytes: &[u8], limits: &Limits) -> Option<Found> {
    let sd = super::cms::parse(bytes, limits).ok()?;
    sd.signers.is_empty().then_some(Found::CertificateBundle {
        certificates: sd.certificates.len(),
        crls: sd.crls.len(),
    })
}

/// The DER shapes of private keys: PKCS#8 `SEQUENCE { INTEGER 0|1, SEQUENCE algorithm,
/// OCTET STRING … }`, PKCS#1 RSA `SEQUENCE { INTEGER 0, INTEGER n, INTEGER e, … }` and
/// SEC 1 EC `SEQUENCE { INTEGER 1, OCTET STRING key, … }`. Only tags and the version are
/// looked at.
fn looks_like_private_key(bytes: &[u8]) -> bool {
    let mut outer = Reader::der(bytes);
    let Ok(body) = outer.content(0x30) else {
        return false;
    };
    let mut r = Reader::der(body);
    let Ok(version) = r.content(0x02) else {
        return false;
    };
    if !matches!(version, [0] | [1]) {
        return false;
    }
    match r.peek_tag() {
        Some(0x30) => {
            r.content(0x30).is_ok() && r.peek_tag() == Some(0x04) // PKCS#8
        }
        Some(0x04) => version == [1], // SEC 1
        Some(0x02) => version == [0] && r.content(0x02).is_ok() && r.peek_tag() == Some(0x02), // PKCS#1
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_wrong_files() {
        let l = Limits::default();
        assert_eq!(identify(b"", &l), Found::Empty);
        assert_eq!(identify(b"a contract\n", &l), Found::Text);
        assert_eq!(identify(b"<html><body></body></html>", &l), Found::Html);
        assert_eq!(identify(b"%PDF-1.7\n", &l), Found::Pdf);
        assert_eq!(
            identify(
                b"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
                &l
            ),
            Found::PrivateKey
        );
        assert_eq!(
            identify(
                b"-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n",
                &l
            ),
            Found::PublicKey
        );
        // PKCS#8 shape: SEQUENCE { INTEGER 0, SEQUENCE { OID }, OCTET STRING }.
        let pkcs8 = [
            0x30, 0x0c, 0x02, 0x01, 0x00, 0x30, 0x03, 0x06, 0x01, 0x2a, 0x04, 0x02, 0x01, 0x02,
        ];
        assert_eq!(identify(&pkcs8, &l), Found::PrivateKey);
        assert_eq!(
            identify(&[0x30, 0x03, 0x01, 0x01, 0xff], &l),
            Found::OtherAsn1
        );
    }
}
