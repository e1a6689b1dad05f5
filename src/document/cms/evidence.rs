//! The long-term evidence a SignerInfo carries in its attributes (CAdES, ETSI EN 319 122-1):
//! signature timestamps (unsigned id-aa-signatureTimeStampToken), content timestamps
//! (signed id-aa-ets-contentTimestamp), certificate values and revocation values — as the
//! DER of each value, for the timestamp and revocation stages to decode.

use super::{Attribute, SignerInfo};
use crate::asn1::oid::known;
use crate::asn1::{Oid, Reader, TAG_SEQUENCE};

/// What one signer carries for long-term validation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Each signature timestamp token (a ContentInfo), in order.
    pub signature_timestamps: Vec<Vec<u8>>,
    /// Each content timestamp token (a ContentInfo), in order.
    pub content_timestamps: Vec<Vec<u8>>,
    /// Each certificate of the certificate-values attribute (DER).
    pub certificates: Vec<Vec<u8>>,
    /// Each CRL of the revocation-values attribute (DER).
    pub crls: Vec<Vec<u8>>,
    /// Each BasicOCSPResponse of the revocation-values attribute (DER).
    pub basic_ocsp: Vec<Vec<u8>>,
}

fn values<'a>(attrs: &'a [Attribute], oid: &'a Oid) -> impl Iterator<Item = &'a Vec<u8>> + 'a {
    attrs
        .iter()
        .filter(move |a| a.oid == *oid)
        .flat_map(|a| a.values.iter())
}

/// Every element of `SEQUENCE OF` inside `value` (DER), at most `max`.
fn elements(value: &[u8], max: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let Ok(content) = crate::asn1::single(value, TAG_SEQUENCE) else {
        return out;
    };
    let mut r = Reader::der(content);
    while let Ok(tlv) = r.read_any() {
        if out.len() >= max {
            break;
        }
        out.push(tlv.raw.to_vec());
    }
    out
}

/// RevocationValues ::= SEQUENCE { crlVals [0] SEQUENCE OF CertificateList OPTIONAL,
/// ocspVals [1] SEQUENCE OF BasicOCSPResponse OPTIONAL, otherRevVals [2] OPTIONAL }
/// (explicit tags).
fn revocation_values(value: &[u8], max: usize, out: &mut Evidence) {
    let Ok(content) = crate::asn1::single(value, TAG_SEQUENCE) else {
        return;
    };
    let mut r = Reader::der(content);
    while let Ok(tlv) = r.read_any() {
        match tlv.tag {
            0xa0 => out.crls.extend(elements(tlv.content, max)),
            0xa1 => out.basic_ocsp.extend(elements(tlv.content, max)),
            _ => {}
        }
    }
}

/// The evidence `signer` carries; `limits.max_timestamps` bounds the timestamps and
/// `limits.max_crls_per_document` / `max_certificates_per_document` the values. What does
/// not decode as the attribute's syntax is left out (the stages that read the rest report
/// on what they could not use).
pub fn evidence(signer: &SignerInfo, limits: &crate::Limits) -> Evidence {
    let mut out = Evidence::default();
    let unsigned = &signer.unsigned_attrs;
    out.signature_timestamps = values(unsigned, &known::ATTR_SIGNATURE_TIMESTAMP)
        .take(limits.max_timestamps)
        .cloned()
        .collect();
    if let Some(signed) = &signer.signed_attrs {
        out.content_timestamps = values(&signed.attributes, &known::ATTR_CONTENT_TIMESTAMP)
            .take(limits.max_timestamps)
            .cloned()
            .collect();
    }
    for v in values(unsigned, &known::ATTR_CERTIFICATE_VALUES) {
        out.certificates
            .extend(elements(v, limits.max_certificates_per_document));
    }
    for v in values(unsigned, &known::ATTR_REVOCATION_VALUES) {
        revocation_values(v, limits.max_crls_per_document, &mut out);
    }
    out.certificates
        .truncate(limits.max_certificates_per_document);
    out.crls.truncate(limits.max_crls_per_document);
    out.basic_ocsp.truncate(limits.max_crls_per_document);
    out
}
