//! What a file is, told from its bytes (never its name): the first step of every entry
//! point, so that a PDF, an OFD package, a certificate or a text file is named as what it
//! is instead of failing deep inside a parser it was never meant for.

use serde::{Deserialize, Serialize};

/// The kinds of input sigbridge tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FileKind {
    /// Nothing at all.
    Empty,
    /// A PDF document (`%PDF-` near the start).
    Pdf,
    /// A ZIP package (an OFD document is one).
    Zip,
    /// An e-mail / MIME entity (S/MIME).
    Mime,
    /// PEM text; the label of its first block says what it holds.
    Pem(PemKind),
    /// A DER/BER SEQUENCE: a CMS object, a certificate, a CRL, a key …
    Asn1,
    /// HTML text.
    Html,
    /// Other text.
    Text,
    /// Other binary data.
    Binary,
}

/// What the first PEM block of a text holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PemKind {
    /// `PKCS7`, `CMS`: a signed document.
    Cms,
    /// `CERTIFICATE` and its variants.
    Certificate,
    /// `X509 CRL`.
    Crl,
    /// Any `… PRIVATE KEY` block (its contents are never echoed).
    PrivateKey,
    /// `PUBLIC KEY`, `CERTIFICATE REQUEST` and any other label.
    Other,
}

/// How far into the input the markers are looked for.
const SNIFF_BYTES: usize = 1024;

/// Tells what `bytes` are. Cheap: looks at the first kilobyte at most.
pub fn sniff(bytes: &[u8]) -> FileKind {
    let head = bytes.get(..bytes.len().min(SNIFF_BYTES)).unwrap_or(bytes);
    let trimmed = trim_start(head);
    if bytes.is_empty() {
        return FileKind::Empty;
    }
    if find(head, b"%PDF-").is_some() {
        return FileKind::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return FileKind::Zip;
    }
    if matches!(bytes.first(), Some(0x30)) {
        return FileKind::Asn1;
    }
    if let Some(kind) = pem_kind(head) {
        return FileKind::Pem(kind);
    }
    if super::smime::looks_like_mime(bytes) {
        return FileKind::Mime;
    }
    if trimmed.is_empty() {
        return FileKind::Empty;
    }
    let lower: Vec<u8> = trimmed
        .iter()
        .take(64)
        .map(u8::to_ascii_lowercase)
        .collect();
    if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") {
        return FileKind::Html;
    }
    if std::str::from_utf8(head).is_ok() || head.iter().all(|b| b.is_ascii()) {
        return FileKind::Text;
    }
    FileKind::Binary
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    b.get(n..).unwrap_or_default()
}

/// Where `needle` first occurs in `hay`: jumps from one occurrence of its first byte to the
/// next (the markers start with bytes that are rare in binary data).
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    memchr::memmem::find(hay, needle)
}

/// The label of the first PEM block in the first kilobyte (`CERTIFICATE`, …).
pub(super) fn pem_label(bytes: &[u8]) -> Option<&str> {
    let head = bytes.get(..bytes.len().min(SNIFF_BYTES)).unwrap_or(bytes);
    let at = find(head, b"-----BEGIN ")?;
    let rest = head.get(at + 11..).unwrap_or_default();
    let end = find(rest, b"-----")?;
    std::str::from_utf8(rest.get(..end).unwrap_or_default()).ok()
}

fn pem_kind(head: &[u8]) -> Option<PemKind> {
    let label = pem_label(head)?;
    Some(match label {
        "PKCS7" | "CMS" | "PKCS #7 SIGNED DATA" => PemKind::Cms,
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => PemKind::Certificate,
        "X509 CRL" | "CRL" => PemKind::Crl,
        l if l.ends_with("PRIVATE KEY") => PemKind::PrivateKey,
        _ => PemKind::Other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_bytes() {
        assert_eq!(sniff(b""), FileKind::Empty);
        assert_eq!(sniff(b"  \n"), FileKind::Empty);
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj"), FileKind::Pdf);
        assert_eq!(sniff(b"PK\x03\x04\x14\x00"), FileKind::Zip);
        assert_eq!(sniff(&[0x30, 0x82, 0x01, 0x00]), FileKind::Asn1);
        assert_eq!(
            sniff(b"-----BEGIN CERTIFICATE-----\nMII"),
            FileKind::Pem(PemKind::Certificate)
        );
        assert_eq!(
            sniff(b"-----BEGIN PKCS7-----\n"),
            FileKind::Pem(PemKind::Cms)
        );
        assert_eq!(
            sniff(b"-----BEGIN X509 CRL-----\n"),
            FileKind::Pem(PemKind::Crl)
        );
        assert_eq!(
            sniff(b"-----BEGIN EC PRIVATE KEY-----\n"),
            FileKind::Pem(PemKind::PrivateKey)
        );
        assert_eq!(
            sniff(b"MIME-Version: 1.0\r\nContent-Type: multipart/signed\r\n\r\n"),
            FileKind::Mime
        );
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), FileKind::Html);
        assert_eq!(sniff(b"just a contract\n"), FileKind::Text);
        assert_eq!(sniff(&[0xff, 0xfe, 0x00, 0x81, 0x9f]), FileKind::Binary);
    }
}
