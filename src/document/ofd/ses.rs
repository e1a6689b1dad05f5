//! `SignedValue.dat`: what a `Signature.xml` is signed with, in one of four forms.
//!
//! ```text
//! SES_Signature (V4, GB/T 38540) ::= SEQUENCE {
//!     toSign TBS_Sign { version INTEGER, eseal SESeal, timeInfo GeneralizedTime,
//!                       dataHash BIT STRING, propertyInfo IA5String, extDatas OPTIONAL },
//!     cert OCTET STRING, signatureAlgID OBJECT IDENTIFIER, signature BIT STRING,
//!     timeStamp [0] BIT STRING OPTIONAL }
//! SES_Signature (V1, GM/T 0031) ::= SEQUENCE {
//!     toSign TBS_Sign { version INTEGER, eseal SESeal, timeInfo BIT STRING,
//!                       dataHash BIT STRING, propertyInfo IA5String, cert OCTET STRING,
//!                       signatureAlgorithm OBJECT IDENTIFIER, extDatas OPTIONAL },
//!     signature BIT STRING }
//! ```
//!
//! plus a GB/T 35275 / CMS `SignedData` (decoded by [`crate::document::cms::parse`]) and a bare SM2
//! signature value (DER or raw `r ‖ s`) with no certificate. The signer signs the DER of
//! `TBS_Sign` as received ([`SesSignature::tbs_raw`]). The version is decided by the
//! structure, not by the version numbers inside it. The optional timestamp is accepted as
//! `[0]` IMPLICIT (primitive) or EXPLICIT (constructed), as producers differ.

use serde::Serialize;

use super::asn1::{self, Cursor, TAG_BIT_STRING, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE};
use super::certs::CarriedCertificate;
use super::seal::{self, Seal, SesVersion};
use super::time::{SesTime, TimeForm};
use super::OfdError;
use crate::asn1::Oid;
use crate::crypto::ValueEncoding;
use crate::document::cms::{self, SignedData};
use crate::Limits;

/// A timestamp carried inside a signature (not verified here).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct EmbeddedTimestamp {
    /// How it was tagged: `[0] IMPLICIT`, `[0] EXPLICIT`, or `untagged`.
    pub tagging: &'static str,
    /// The timestamp token's bytes (normally a DER `TimeStampToken` ContentInfo).
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// Their length.
    pub size: usize,
    /// What the token's messageImprint must be the hash of: the signature value
    /// (GB/T 38540: the timestamp is over `SES_Signature.signature`).
    #[serde(skip)]
    pub covers: Vec<u8>,
}

/// A GB/T 38540 or GM/T 0031 `SES_Signature`.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct SesSignature {
    /// V1 or V4, from the structure.
    pub version: SesVersion,
    /// `TBS_Sign.version`.
    pub tbs_version: u32,
    /// The DER of `TBS_Sign` as received: what the signer signed.
    #[serde(skip)]
    pub tbs_raw: Vec<u8>,
    /// `eseal`.
    pub seal: Seal,
    /// `timeInfo`.
    pub time_info: SesTime,
    /// `dataHash`: the hash of `Signature.xml`.
    #[serde(serialize_with = "super::summary::ser_hex")]
    pub data_hash: Vec<u8>,
    /// `propertyInfo`: normally the path of `Signature.xml`.
    pub property_info: String,
    /// The signer's certificate as carried.
    #[serde(skip)]
    pub signer: CarriedCertificate,
    /// The signature algorithm.
    #[serde(serialize_with = "super::summary::ser_display")]
    pub signature_algorithm: Oid,
    /// The signature value.
    #[serde(skip)]
    pub signature: Vec<u8>,
    /// DER or raw `r ‖ s` ([`ValueEncoding::Plain`]), for SM2.
    pub signature_encoding: Option<ValueEncoding>,
    /// `timeStamp`, when present.
    pub timestamp: Option<EmbeddedTimestamp>,
    /// `TBS_Sign.extDatas`.
    pub ext_datas: Vec<seal::ExtData>,
}

/// A bare signature value with no certificate (the signer's key comes from elsewhere).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BareSignature {
    /// The value as stored.
    #[serde(skip)]
    pub signature: Vec<u8>,
    /// DER or raw `r ‖ s` ([`ValueEncoding::Plain`]).
    pub encoding: ValueEncoding,
}

/// The content of a `SignedValue.dat`.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum SignedValue {
    /// GB/T 38540 (V4) or GM/T 0031 (V1) `SES_Signature`.
    Ses(Box<SesSignature>),
    /// GB/T 35275 / CMS SignedData.
    SignedData(Box<SignedData>),
    /// A bare SM2 signature.
    Bare(BareSignature),
}

impl SignedValue {
    /// `V1`, `V4`, `SignedData` or `bare`.
    pub fn format(&self) -> &'static str {
        match self {
            SignedValue::Ses(s) if s.version == SesVersion::V1 => "V1",
            SignedValue::Ses(_) => "V4",
            SignedValue::SignedData(_) => "SignedData",
            SignedValue::Bare(_) => "bare",
        }
    }
}

/// Recognises and parses a `SignedValue.dat`.
pub fn parse_signed_value(bytes: &[u8], limits: &Limits) -> Result<SignedValue, OfdError> {
    if bytes.len() > limits.max_object_size {
        return Err(OfdError::Limit {
            field: "max_object_size",
            what: "SignedValue size".into(),
            value: bytes.len() as u64,
            limit: limits.max_object_size as u64,
        });
    }
    if let Some(encoding) = crate::crypto::sm2_value_encoding(bytes) {
        return Ok(SignedValue::Bare(BareSignature {
            signature: bytes.to_vec(),
            encoding,
        }));
    }
    let bl = asn1::ber_limits(limits);
    let (_, probe) = asn1::top(bytes, TAG_SEQUENCE, "SignedValue", bl)?;
    match probe.peek() {
        Some(TAG_OID) => cms::parse(bytes, limits)
            .map(|sd| SignedValue::SignedData(Box::new(sd)))
            .map_err(|e| OfdError::Asn1 {
                at: "SignedData".into(),
                detail: e.to_string(),
            }),
        Some(TAG_SEQUENCE) => parse_ses(bytes, limits).map(|s| SignedValue::Ses(Box::new(s))),
        _ => Err(probe.error(
            "",
            "neither an SES_Signature, a SignedData nor an SM2 signature value",
        )),
    }
}

/// Parses an `SES_Signature`, V1 or V4.
pub fn parse_ses(bytes: &[u8], limits: &Limits) -> Result<SesSignature, OfdError> {
    let bl = asn1::ber_limits(limits);
    let (_, mut c) = asn1::top(bytes, TAG_SEQUENCE, "SES_Signature", bl)?;
    let (tbs_tlv, tbs_c) = c.sequence("toSign")?;
    let (version, outer_cert) = match c.peek() {
        Some(TAG_BIT_STRING) => (SesVersion::V1, None),
        Some(TAG_OCTET_STRING) => (SesVersion::V4, Some(c.octets("cert")?.1)),
        _ => return Err(c.error("cert", "neither a V4 certificate nor a V1 signature")),
    };
    let tbs = tbs_sign(tbs_c, version, limits)?;
    let (cert, alg) = match (outer_cert, tbs.v1_cert_alg) {
        (Some(cert), None) => (cert, c.oid("signatureAlgID")?.1),
        (None, Some(pair)) => pair,
        _ => {
            return Err(c.error(
                "toSign",
                "the TBS_Sign layout does not match the SES_Signature's",
            ))
        }
    };
    let signature = c.bits("signature")?;
    let timestamp = if version == SesVersion::V4 {
        timestamp(&mut c, signature)?
    } else {
        None
    };
    c.finish()?;
    Ok(SesSignature {
        version,
        tbs_version: tbs.version,
        tbs_raw: tbs_tlv.raw.to_vec(),
        seal: tbs.seal,
        time_info: tbs.time_info,
        data_hash: tbs.data_hash,
        property_info: tbs.property_info,
        signer: CarriedCertificate::new(cert),
        signature_encoding: seal::signature_encoding(&alg, signature),
        signature_algorithm: alg,
        signature: signature.to_vec(),
        timestamp,
        ext_datas: tbs.ext_datas,
    })
}

struct Tbs<'a> {
    version: u32,
    seal: Seal,
    time_info: SesTime,
    data_hash: Vec<u8>,
    property_info: String,
    v1_cert_alg: Option<(&'a [u8], Oid)>,
    ext_datas: Vec<seal::ExtData>,
}

fn tbs_sign<'a>(
    mut c: Cursor<'a>,
    version: SesVersion,
    limits: &Limits,
) -> Result<Tbs<'a>, OfdError> {
    let tbs_version = c.small_uint("version")?;
    let eseal = c.tlv(TAG_SEQUENCE, "eseal")?;
    let seal = seal::parse_seal(eseal.raw, limits).map_err(|e| match e {
        OfdError::Asn1 { at, detail } => OfdError::Asn1 {
            at: format!(
                "{}.eseal{}",
                c.at(),
                at.strip_prefix("SESeal").unwrap_or(&at)
            ),
            detail,
        },
        other => other,
    })?;
    let time_info = match c.peek() {
        Some(TAG_BIT_STRING) => {
            let bits = c.bits("timeInfo")?;
            SesTime::new(
                String::from_utf8_lossy(bits).into_owned(),
                TimeForm::BitString,
            )
        }
        _ => super::asn1::asn1_time(&mut c, "timeInfo")?,
    };
    let data_hash = c.bits("dataHash")?.to_vec();
    let property_info = c.string(
        &[
            asn1::TAG_IA5_STRING,
            asn1::TAG_UTF8_STRING,
            asn1::TAG_PRINTABLE_STRING,
        ],
        "propertyInfo",
    )?;
    let v1_cert_alg = if version == SesVersion::V1 {
        let (_, cert) = c.octets("cert")?;
        let (_, alg) = c.oid("signatureAlgorithm")?;
        Some((cert, alg))
    } else {
        None
    };
    let ext_datas = seal::ext_datas_optional(&mut c, "extDatas")?;
    c.finish()?;
    Ok(Tbs {
        version: tbs_version,
        seal,
        time_info,
        data_hash,
        property_info,
        v1_cert_alg,
        ext_datas,
    })
}

/// `timeStamp [0] BIT STRING OPTIONAL`, tagged as producers tag it.
fn timestamp(c: &mut Cursor<'_>, signature: &[u8]) -> Result<Option<EmbeddedTimestamp>, OfdError> {
    let (tagging, bytes) = match c.peek() {
        None => return Ok(None),
        Some(asn1::TAG_CTX0_PRIMITIVE) => {
            let tlv = c.any("timeStamp")?;
            ("[0] IMPLICIT", bit_content(c, tlv.content)?)
        }
        Some(asn1::TAG_CTX0_CONSTRUCTED) => {
            let (_, mut inner) = c.enter(asn1::TAG_CTX0_CONSTRUCTED, "timeStamp")?;
            let bytes = match inner.peek() {
                Some(TAG_BIT_STRING) => inner.bits("timeStamp")?.to_vec(),
                Some(TAG_OCTET_STRING) => inner.octets("timeStamp")?.1.to_vec(),
                // [0] IMPLICIT over a TimeStampToken's ContentInfo.
                Some(TAG_SEQUENCE) => inner.any("timeStamp")?.raw.to_vec(),
                _ => return Err(inner.error("", "unrecognised timestamp")),
            };
            inner.finish()?;
            ("[0] EXPLICIT", bytes)
        }
        Some(TAG_BIT_STRING) => ("untagged", c.bits("timeStamp")?.to_vec()),
        Some(TAG_SEQUENCE) => ("untagged", c.any("timeStamp")?.raw.to_vec()),
        Some(t) => return Err(c.error("timeStamp", format!("unexpected tag 0x{t:02x}"))),
    };
    Ok(Some(EmbeddedTimestamp {
        tagging,
        size: bytes.len(),
        bytes,
        covers: signature.to_vec(),
    }))
}

fn bit_content(c: &Cursor<'_>, content: &[u8]) -> Result<Vec<u8>, OfdError> {
    match content.split_first() {
        Some((0, rest)) => Ok(rest.to_vec()),
        _ => Err(c.error("timeStamp", "BIT STRING with unused bits or empty")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::ofd::seal::tests::{seal_info_v4, seq, tlv, SM2_SM3};

    fn v4_seal() -> Vec<u8> {
        let info = seal_info_v4(seq(&[tlv(4, b"c")]));
        seq(&[info, tlv(4, b"maker"), SM2_SM3.to_vec(), tlv(3, &[0; 65])])
    }

    fn v4_tbs() -> Vec<u8> {
        seq(&[
            tlv(2, &[4]),
            v4_seal(),
            tlv(0x18, b"20261120120000Z"),
            tlv(3, &[&[0u8][..], &[9; 32]].concat()),
            tlv(0x16, b"/Doc_0/Signs/Sign_0/Signature.xml"),
        ])
    }

    #[test]
    fn v4_with_each_timestamp_tagging() {
        let tbs = v4_tbs();
        let base = [
            tbs.clone(),
            tlv(4, b"signer"),
            SM2_SM3.to_vec(),
            tlv(3, &[0; 65]),
        ];
        let tst = seq(&[tlv(6, &[0x2a])]);
        for (extra, tagging) in [
            (None, None),
            (
                Some(tlv(0x80, &[&[0u8][..], b"tst"].concat())),
                Some("[0] IMPLICIT"),
            ),
            (
                Some(tlv(0xa0, &tlv(3, &[&[0u8][..], b"tst"].concat()))),
                Some("[0] EXPLICIT"),
            ),
            (Some(tlv(0xa0, &tst)), Some("[0] EXPLICIT")),
        ] {
            let mut parts = base.to_vec();
            parts.extend(extra);
            let s = parse_ses(&seq(&parts), &Limits::default()).unwrap();
            assert_eq!(s.version, SesVersion::V4);
            assert_eq!(s.tbs_raw, tbs);
            assert_eq!(s.time_info.unix, Some(1795176000));
            assert_eq!(s.data_hash, vec![9; 32]);
            assert_eq!(s.timestamp.as_ref().map(|t| t.tagging), tagging);
        }
    }

    #[test]
    fn v1_layout_and_mismatched_layouts() {
        let v1_tbs = seq(&[
            tlv(2, &[1]),
            v4_seal(),
            tlv(3, &[&[0u8][..], b"2026-11-20T12:00:00Z"].concat()),
            tlv(3, &[&[0u8][..], &[9; 32]].concat()),
            tlv(0x16, b"/Doc_0/Signs/Sign_0/Signature.xml"),
            tlv(4, b"signer"),
            SM2_SM3.to_vec(),
        ]);
        let v1 = seq(&[v1_tbs.clone(), tlv(3, &[0; 65])]);
        let s = parse_ses(&v1, &Limits::default()).unwrap();
        assert_eq!(
            (s.version, s.time_info.form),
            (SesVersion::V1, TimeForm::BitString)
        );
        assert_eq!(s.time_info.unix, Some(1795176000));
        assert_eq!(s.signer.der, b"signer");
        // A V1 TBS_Sign under a V4 SES_Signature, and the reverse.
        let bad = seq(&[
            v1_tbs,
            tlv(4, b"signer"),
            SM2_SM3.to_vec(),
            tlv(3, &[0; 65]),
        ]);
        assert!(parse_ses(&bad, &Limits::default()).is_err());
        let bad = seq(&[v4_tbs(), tlv(3, &[0; 65])]);
        assert!(parse_ses(&bad, &Limits::default()).is_err());
    }

    #[test]
    fn the_four_forms_are_recognised() {
        let der_sig = seq(&[tlv(2, &[1]), tlv(2, &[2])]);
        assert_eq!(
            parse_signed_value(&der_sig, &Limits::default())
                .unwrap()
                .format(),
            "bare"
        );
        assert_eq!(
            parse_signed_value(&[0x11; 64], &Limits::default())
                .unwrap()
                .format(),
            "bare"
        );
        let v4 = seq(&[
            v4_tbs(),
            tlv(4, b"signer"),
            SM2_SM3.to_vec(),
            tlv(3, &[0; 65]),
        ]);
        assert_eq!(
            parse_signed_value(&v4, &Limits::default())
                .unwrap()
                .format(),
            "V4"
        );
        let not_sd = seq(&[tlv(6, &[0x2a, 0x03]), tlv(0xa0, &seq(&[]))]);
        assert!(parse_signed_value(&not_sd, &Limits::default()).is_err());
        assert!(parse_signed_value(b"garbage", &Limits::default()).is_err());
    }

    #[test]
    fn deep_nesting_is_bounded_by_max_asn1_depth() {
        let mut deep = tlv(5, &[]);
        for _ in 0..200 {
            deep = seq(&[deep]);
        }
        assert!(parse_signed_value(&deep, &Limits::default()).is_err());
    }
}
