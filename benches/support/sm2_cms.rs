//! An SM2-with-SM3 CMS SignedData builder, shared by `examples/make_sm2_signed.rs` (which
//! includes this file with `#[path]`) and the `documents` benchmark: OpenSSL 3.0's
//! `cms -sign` cannot sign with an SM2 key (it fails with "illegal zero content").
//!
//! The SignedData has version 1, digestAlgorithms {SM3}, an encapContentInfo of type data
//! (the content is omitted when detached), the signer's certificate and the chain
//! certificates, and one SignerInfo identified by issuerAndSerialNumber with signed
//! attributes (contentType, signingTime, messageDigest, in DER SET OF order) and an SM2
//! signature (`1.2.156.10197.1.301.1`) over their DER SET, computed with the signer ID.
//!
//! Content types are the GB/T 35275 OIDs (`1.2.156.10197.6.1.4.2.*`) by default, or the
//! PKCS #7 ones (`1.2.840.113549.1.7.*`) with [`ContentTypes::Pkcs7`]. The output is DER, or
//! with a BER chunk size: indefinite lengths for ContentInfo, SignedData and
//! encapContentInfo, and the eContent as a constructed OCTET STRING of N-byte chunks.

use sm2::dsa::signature::Signer;
use sm3::{Digest, Sm3};
use std::error::Error;

/// Errors of the builder.
pub type Res<T> = Result<T, Box<dyn Error>>;

const OID_SM3: &str = "1.2.156.10197.1.401";
const OID_SM2_SIGN: &str = "1.2.156.10197.1.301.1";
const OID_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
const OID_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const OID_SIGNING_TIME: &str = "1.2.840.113549.1.9.5";

/// Which OIDs name the SignedData and data content types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentTypes {
    /// GB/T 35275: signedData `1.2.156.10197.6.1.4.2.2`, data `1.2.156.10197.6.1.4.2.1`.
    GbT,
    /// PKCS #7 / CMS: signedData `1.2.840.113549.1.7.2`, data `1.2.840.113549.1.7.1`.
    Pkcs7,
}

impl ContentTypes {
    fn signed_data(self) -> &'static str {
        match self {
            ContentTypes::GbT => "1.2.156.10197.6.1.4.2.2",
            ContentTypes::Pkcs7 => "1.2.840.113549.1.7.2",
        }
    }

    fn data(self) -> &'static str {
        match self {
            ContentTypes::GbT => "1.2.156.10197.6.1.4.2.1",
            ContentTypes::Pkcs7 => "1.2.840.113549.1.7.1",
        }
    }
}

/// What to sign, and how.
pub struct Request<'a> {
    /// The signer's certificate, DER.
    pub cert: &'a [u8],
    /// More certificates to carry (DER), after the signer's.
    pub chain: &'a [Vec<u8>],
    /// The signer's key.
    pub key: &'a sm2::SecretKey,
    /// The signer ID (GM/T 0009 default `1234567812345678`).
    pub id: &'a str,
    /// The content.
    pub content: &'a [u8],
    /// Leave the content out of the SignedData.
    pub detached: bool,
    /// signingTime, as UTCTime text (`YYMMDDHHMMSSZ`).
    pub signing_time: &'a str,
    /// 0 for DER; N for BER with N-byte eContent chunks.
    pub ber_chunk: usize,
    /// Content-type OIDs.
    pub content_types: ContentTypes,
    /// Sign signed attributes (contentType, signingTime, messageDigest); when false the
    /// signature covers the content itself and the SignerInfo has no signedAttrs.
    pub signed_attributes: bool,
}

/// A definite-length DER TLV.
fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let content = parts.concat();
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(&content);
    out
}

/// An indefinite-length BER TLV: tag, 0x80, the parts, end-of-contents.
fn indef(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut out = vec![tag, 0x80];
    out.extend_from_slice(&parts.concat());
    out.extend_from_slice(&[0, 0]);
    out
}

fn oid(dotted: &str) -> Res<Vec<u8>> {
    let arcs: Vec<u64> = dotted
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let (first, rest) = match arcs.as_slice() {
        [a, b, rest @ ..] => (a * 40 + b, rest),
        _ => return Err(format!("bad OID {dotted}").into()),
    };
    let mut body = Vec::new();
    for arc in std::iter::once(first).chain(rest.iter().copied()) {
        let mut groups = vec![(arc & 0x7f) as u8];
        let mut v = arc >> 7;
        while v > 0 {
            groups.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        groups.reverse();
        body.extend_from_slice(&groups);
    }
    Ok(tlv(0x06, &[&body]))
}

/// Splits one definite-length TLV off `input`: (whole TLV, content, rest).
fn read_tlv(input: &[u8]) -> Res<(&[u8], &[u8], &[u8])> {
    let first = *input.get(1).ok_or("truncated DER")?;
    let (len, header) = if first < 0x80 {
        (first as usize, 2)
    } else {
        let n = (first & 0x7f) as usize;
        let bytes = input.get(2..2 + n).ok_or("truncated DER length")?;
        (
            bytes.iter().fold(0usize, |a, b| (a << 8) | *b as usize),
            2 + n,
        )
    };
    let whole = input.get(..header + len).ok_or("truncated DER content")?;
    let content = whole.get(header..).ok_or("truncated DER content")?;
    Ok((
        whole,
        content,
        input.get(header + len..).unwrap_or_default(),
    ))
}

/// Builds the ContentInfo (DER, or BER when `ber_chunk > 0`).
pub fn build(r: &Request<'_>) -> Res<Vec<u8>> {
    let signing_key = sm2::dsa::SigningKey::new(r.id, r.key)?;

    // issuerAndSerialNumber from the certificate: tbs = [0] version, serial, sigAlg, issuer.
    let (_, cert_body, _) = read_tlv(r.cert)?;
    let (_, tbs, _) = read_tlv(cert_body)?;
    let (first, _, mut rest) = read_tlv(tbs)?;
    let serial = if first.first() == Some(&0xa0) {
        let (serial, _, rest2) = read_tlv(rest)?;
        rest = rest2;
        serial
    } else {
        first
    };
    let (_, _, rest) = read_tlv(rest)?; // signature algorithm
    let (issuer, _, _) = read_tlv(rest)?;

    let data_oid = r.content_types.data();
    let sm3_alg = tlv(0x30, &[&oid(OID_SM3)?]);
    let digest = Sm3::digest(r.content);
    let mut attrs = [
        tlv(
            0x30,
            &[&oid(OID_CONTENT_TYPE)?, &tlv(0x31, &[&oid(data_oid)?])],
        ),
        tlv(
            0x30,
            &[
                &oid(OID_SIGNING_TIME)?,
                &tlv(0x31, &[&tlv(0x17, &[r.signing_time.as_bytes()])]),
            ],
        ),
        tlv(
            0x30,
            &[
                &oid(OID_MESSAGE_DIGEST)?,
                &tlv(0x31, &[&tlv(0x04, &[digest.as_slice()])]),
            ],
        ),
    ];
    attrs.sort(); // DER SET OF: ascending encodings
    let attr_refs: Vec<&[u8]> = attrs.iter().map(Vec::as_slice).collect();
    let signed_set = tlv(0x31, &attr_refs);
    let signature: sm2::dsa::Signature = if r.signed_attributes {
        signing_key.sign(&signed_set)
    } else {
        signing_key.sign(r.content)
    };
    let mut signed_implicit = signed_set.clone();
    if let Some(t) = signed_implicit.first_mut() {
        *t = 0xa0;
    }
    let version = tlv(0x02, &[&[1]]);
    let sid = tlv(0x30, &[issuer, serial]);
    let sig_alg = tlv(0x30, &[&oid(OID_SM2_SIGN)?]);
    let sig_value = tlv(0x04, &[signature.to_der().as_bytes()]);
    let signer_info = if r.signed_attributes {
        tlv(
            0x30,
            &[
                &version,
                &sid,
                &sm3_alg,
                &signed_implicit,
                &sig_alg,
                &sig_value,
            ],
        )
    } else {
        tlv(0x30, &[&version, &sid, &sm3_alg, &sig_alg, &sig_value])
    };
    let ber = r.ber_chunk > 0;
    let seq: fn(u8, &[&[u8]]) -> Vec<u8> = if ber { indef } else { tlv };
    let econtent = if ber {
        let chunks: Vec<Vec<u8>> = r
            .content
            .chunks(r.ber_chunk)
            .map(|c| tlv(0x04, &[c]))
            .collect();
        let refs: Vec<&[u8]> = chunks.iter().map(Vec::as_slice).collect();
        indef(0x24, &refs)
    } else {
        tlv(0x04, &[r.content])
    };
    let encap = if r.detached {
        seq(0x30, &[&oid(data_oid)?])
    } else {
        seq(0x30, &[&oid(data_oid)?, &seq(0xa0, &[&econtent])])
    };
    let mut certs: Vec<&[u8]> = vec![r.cert];
    certs.extend(r.chain.iter().map(Vec::as_slice));
    let signed_data = seq(
        0x30,
        &[
            &tlv(0x02, &[&[1]]),
            &tlv(0x31, &[&sm3_alg]),
            &encap,
            &tlv(0xa0, &certs),
            &tlv(0x31, &[&signer_info]),
        ],
    );
    Ok(seq(
        0x30,
        &[
            &oid(r.content_types.signed_data())?,
            &seq(0xa0, &[&signed_data]),
        ],
    ))
}
