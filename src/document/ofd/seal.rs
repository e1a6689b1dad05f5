//! The electronic seal (`SESeal`): GB/T 38540-2020 ("V4") and GM/T 0031-2014 ("V1").
//!
//! ```text
//! SESeal (V4) ::= SEQUENCE { esealInfo SES_SealInfo, cert OCTET STRING,
//!                            signAlgID OBJECT IDENTIFIER, signedValue BIT STRING }
//! SESeal (V1) ::= SEQUENCE { esealInfo SES_SealInfo,
//!                            signInfo SEQUENCE { cert OCTET STRING,
//!                                                signatureAlgorithm OBJECT IDENTIFIER,
//!                                                signData BIT STRING } }
//! SES_SealInfo ::= SEQUENCE { header SEQUENCE { ID IA5String, version INTEGER, Vid IA5String },
//!     esID IA5String,
//!     property SEQUENCE { type INTEGER, name UTF8String, certListType INTEGER (V4 only),
//!                         certList, createDate, validStart, validEnd },
//!     picture SEQUENCE { type IA5String, data OCTET STRING, width INTEGER, height INTEGER },
//!     extDatas SEQUENCE OF ExtData OPTIONAL }
//! ```
//!
//! The maker signs, in V4, the DER of `SES_SealInfo` as received; in V1 a SEQUENCE of the
//! `SES_SealInfo`, `cert` and `signatureAlgorithm` elements as received. Both byte strings
//! are kept in [`Seal::signed_bytes`]; nothing is re-encoded.

use serde::Serialize;

use super::asn1::{self, Cursor, TAG_INTEGER, TAG_OCTET_STRING, TAG_SEQUENCE};
use super::certs::CarriedCertificate;
use super::time::SesTime;
use super::OfdError;
use crate::asn1 as ber;
use crate::asn1::oid::known;
use crate::asn1::Oid;
use crate::crypto::ValueEncoding;
use crate::Limits;

/// Which standard a seal or signature structure follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum SesVersion {
    /// GM/T 0031-2014.
    V1,
    /// GB/T 38540-2020.
    V4,
}

/// An `ExtData` of a seal or signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ExtData {
    /// extnID, dotted.
    pub oid: String,
    /// critical (DEFAULT FALSE).
    pub critical: bool,
    /// extnValue.
    #[serde(skip)]
    pub value: Vec<u8>,
}

/// One entry of a certificate-digest list (`certListType` 2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CertDigest {
    /// The hash algorithm as written (`SM3`, an OID, …).
    pub algorithm: String,
    /// The certificate's digest.
    #[serde(serialize_with = "super::summary::ser_hex")]
    pub value: Vec<u8>,
}

/// The certificates a seal authorises to sign with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CertList {
    /// The certificates themselves (DER).
    Certificates(#[serde(serialize_with = "super::summary::ser_lens")] Vec<Vec<u8>>),
    /// Digests of the certificates.
    Digests(Vec<CertDigest>),
    /// A form this reader does not know (what it holds is said).
    Unrecognised(String),
}

impl CertList {
    /// How many certificates the list names.
    pub fn len(&self) -> usize {
        match self {
            CertList::Certificates(c) => c.len(),
            CertList::Digests(d) => d.len(),
            CertList::Unrecognised(_) => 0,
        }
    }

    /// True when the list names no certificate.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `SES_Header`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SealHeader {
    /// `ID` (`ES`).
    pub id: String,
    /// `version`.
    pub version: u32,
    /// `Vid`: the vendor.
    pub vid: String,
}

/// `SES_ESPropertyInfo`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SealProperty {
    /// `type` (1 official seal, 2 special-purpose seal, 3 invoice seal, …, as the producer uses it).
    pub seal_type: u32,
    /// `name`.
    pub name: String,
    /// `certListType` (V4: 1 certificates, 2 digests).
    pub cert_list_type: Option<u32>,
    /// `certList`.
    pub cert_list: CertList,
    /// `createDate`.
    pub create_date: SesTime,
    /// `validStart`.
    pub valid_start: SesTime,
    /// `validEnd`.
    pub valid_end: SesTime,
}

/// `SES_ESPictrueInfo`: the seal's image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Picture {
    /// `type` as written (`PNG`, `ofd`, `GIF`, …).
    pub kind: String,
    /// The format the data's first bytes show (`png`, `jpeg`, `gif`, `bmp`, `svg`,
    /// `ofd` for a ZIP, `unknown`).
    pub detected_format: &'static str,
    /// The image bytes.
    #[serde(skip)]
    pub data: Vec<u8>,
    /// The data's length in bytes.
    pub size: usize,
    /// `width` (mm).
    pub width: u32,
    /// `height` (mm).
    pub height: u32,
}

/// `SES_SealInfo`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SealInfo {
    /// The DER of `SES_SealInfo` as received.
    #[serde(skip)]
    pub raw: Vec<u8>,
    /// `header`.
    pub header: SealHeader,
    /// `esID`.
    pub es_id: String,
    /// `property`.
    pub property: SealProperty,
    /// `picture`.
    pub picture: Picture,
    /// `extDatas`.
    pub ext_datas: Vec<ExtData>,
}

/// A parsed seal.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Seal {
    /// V1 or V4, from the structure.
    pub version: SesVersion,
    /// The whole `SESeal` as received.
    #[serde(skip)]
    pub raw: Vec<u8>,
    /// `esealInfo`.
    pub info: SealInfo,
    /// The seal maker's certificate as carried.
    #[serde(skip)]
    pub maker: CarriedCertificate,
    /// The maker's signature algorithm.
    #[serde(serialize_with = "super::summary::ser_display")]
    pub signature_algorithm: Oid,
    /// The maker's signature value.
    #[serde(skip)]
    pub signature: Vec<u8>,
    /// DER or raw `r ‖ s` ([`ValueEncoding::Plain`]), for SM2 signatures.
    pub signature_encoding: Option<ValueEncoding>,
    /// What the maker signed (see the module header).
    #[serde(skip)]
    pub signed_bytes: Vec<u8>,
}

/// Parses a `SESeal` (a `.esl` file, or the `eseal` of a signature).
pub fn parse_seal(bytes: &[u8], limits: &Limits) -> Result<Seal, OfdError> {
    let bl = asn1::ber_limits(limits);
    let (outer, mut c) = asn1::top(bytes, TAG_SEQUENCE, "SESeal", bl)?;
    let (info_tlv, info_c) = c.sequence("esealInfo")?;
    let info = seal_info(info_tlv.raw, info_c)?;
    let (version, cert, alg, signature, signed_bytes) = match c.peek() {
        Some(TAG_OCTET_STRING) => {
            let (_, cert) = c.octets("cert")?;
            let (_, alg) = c.oid("signAlgID")?;
            let sig = c.bits("signedValue")?;
            (SesVersion::V4, cert, alg, sig, info_tlv.raw.to_vec())
        }
        Some(TAG_SEQUENCE) => {
            let (_, mut s) = c.sequence("signInfo")?;
            let (cert_tlv, cert) = s.octets("cert")?;
            let (alg_tlv, alg) = s.oid("signatureAlgorithm")?;
            let sig = s.bits("signData")?;
            s.finish()?;
            let content = [info_tlv.raw, cert_tlv.raw, alg_tlv.raw].concat();
            let mut signed = Vec::new();
            ber::push_tlv(TAG_SEQUENCE, &content, bl, &mut signed)
                .map_err(|e| c.error("signInfo", e.to_string()))?;
            (SesVersion::V1, cert, alg, sig, signed)
        }
        _ => return Err(c.error("cert", "neither a V4 certificate nor a V1 signInfo")),
    };
    c.finish()?;
    Ok(Seal {
        version,
        raw: outer.raw.to_vec(),
        info,
        maker: CarriedCertificate::new(cert),
        signature_encoding: signature_encoding(&alg, signature),
        signature_algorithm: alg,
        signature: signature.to_vec(),
        signed_bytes,
    })
}

/// True for the SM2 signature algorithms (`SM2-with-SM3` 1.2.156.10197.1.501 and the bare
/// SM2 signature OID 1.2.156.10197.1.301.1 some producers write).
pub(super) fn is_sm2(alg: &Oid) -> bool {
    *alg == known::SM2_SM3 || *alg == known::SM2_SIGN
}

/// DER or raw for an SM2 signature value ([`crate::crypto::sm2_value_encoding`]); `None` for
/// other algorithms or neither form.
pub(super) fn signature_encoding(alg: &Oid, signature: &[u8]) -> Option<ValueEncoding> {
    is_sm2(alg)
        .then(|| crate::crypto::sm2_value_encoding(signature))
        .flatten()
}

fn seal_info(raw: &[u8], mut c: Cursor<'_>) -> Result<SealInfo, OfdError> {
    let (_, mut h) = c.sequence("header")?;
    let header = SealHeader {
        id: h.string(&[asn1::TAG_IA5_STRING, asn1::TAG_PRINTABLE_STRING], "ID")?,
        version: h.small_uint("version")?,
        vid: h.string(
            &[
                asn1::TAG_IA5_STRING,
                asn1::TAG_PRINTABLE_STRING,
                asn1::TAG_UTF8_STRING,
            ],
            "Vid",
        )?,
    };
    h.finish()?;
    let es_id = c.string(
        &[
            asn1::TAG_IA5_STRING,
            asn1::TAG_PRINTABLE_STRING,
            asn1::TAG_UTF8_STRING,
        ],
        "esID",
    )?;
    let (_, p) = c.sequence("property")?;
    let property = property(p)?;
    let (_, p) = c.sequence("picture")?;
    let picture = picture(p)?;
    let ext_datas = ext_datas_optional(&mut c, "extDatas")?;
    c.finish()?;
    Ok(SealInfo {
        raw: raw.to_vec(),
        header,
        es_id,
        property,
        picture,
        ext_datas,
    })
}

fn property(mut c: Cursor<'_>) -> Result<SealProperty, OfdError> {
    let seal_type = c.small_uint("type")?;
    let name = c.string(
        &[
            asn1::TAG_UTF8_STRING,
            asn1::TAG_IA5_STRING,
            asn1::TAG_PRINTABLE_STRING,
        ],
        "name",
    )?;
    let cert_list_type = match c.peek() {
        Some(TAG_INTEGER) => Some(c.small_uint("certListType")?),
        _ => None,
    };
    let (_, list) = c.sequence("certList")?;
    let cert_list = cert_list(list)?;
    let create_date = asn1::asn1_time(&mut c, "createDate")?;
    let valid_start = asn1::asn1_time(&mut c, "validStart")?;
    let valid_end = asn1::asn1_time(&mut c, "validEnd")?;
    c.finish()?;
    Ok(SealProperty {
        seal_type,
        name,
        cert_list_type,
        cert_list,
        create_date,
        valid_start,
        valid_end,
    })
}

/// certList: OCTET STRINGs (certificates), `SEQUENCE { type, value OCTET STRING }` digests,
/// or something else, which is described but not guessed at.
fn cert_list(mut c: Cursor<'_>) -> Result<CertList, OfdError> {
    let mut certs = Vec::new();
    let mut digests = Vec::new();
    let mut other = Vec::new();
    while !c.is_empty() {
        match c.peek() {
            Some(TAG_OCTET_STRING) => certs.push(c.octets("cert")?.1.to_vec()),
            Some(TAG_SEQUENCE) => {
                let (tlv, mut d) = c.sequence("certDigest")?;
                let kind = d.string(
                    &[
                        asn1::TAG_PRINTABLE_STRING,
                        asn1::TAG_IA5_STRING,
                        asn1::TAG_UTF8_STRING,
                    ],
                    "type",
                );
                match (kind, d.octets("value")) {
                    (Ok(algorithm), Ok((_, value))) if d.finish().is_ok() => {
                        digests.push(CertDigest {
                            algorithm,
                            value: value.to_vec(),
                        })
                    }
                    // A certificate carried as itself rather than in an OCTET STRING.
                    _ => certs.push(tlv.raw.to_vec()),
                }
            }
            Some(t) => {
                c.any("certList")?;
                other.push(format!("0x{t:02x}"));
            }
            None => break,
        }
    }
    Ok(
        match (certs.is_empty(), digests.is_empty(), other.is_empty()) {
            (_, true, true) if !certs.is_empty() => CertList::Certificates(certs),
            (true, false, true) => CertList::Digests(digests),
            (true, true, true) => CertList::Certificates(Vec::new()),
            _ => CertList::Unrecognised(format!(
                "{} certificates, {} digests and elements with tags [{}]",
                certs.len(),
                digests.len(),
                other.join(", ")
            )),
        },
    )
}

fn picture(mut c: Cursor<'_>) -> Result<Picture, OfdError> {
    let kind = c.string(
        &[
            asn1::TAG_IA5_STRING,
            asn1::TAG_PRINTABLE_STRING,
            asn1::TAG_UTF8_STRING,
        ],
        "type",
    )?;
    let (_, data) = c.octets("data")?;
    let width = c.small_uint("width")?;
    let height = c.small_uint("height")?;
    c.finish()?;
    Ok(Picture {
        kind,
        detected_format: image_format(data),
        size: data.len(),
        data: data.to_vec(),
        width,
        height,
    })
}

/// The image format the first bytes show.
pub(super) fn image_format(data: &[u8]) -> &'static str {
    let trimmed = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        "png"
    } else if data.starts_with(&[0xff, 0xd8, 0xff]) {
        "jpeg"
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        "gif"
    } else if data.starts_with(b"BM") {
        "bmp"
    } else if data.starts_with(b"PK\x03\x04") {
        "ofd"
    } else if trimmed.starts_with(b"<svg") || trimmed.starts_with(b"<?xml") {
        "svg"
    } else {
        "unknown"
    }
}

/// `extDatas`: a SEQUENCE OF ExtData, bare or wrapped in `[0]`; absent is empty.
pub(super) fn ext_datas_optional(
    c: &mut Cursor<'_>,
    field: &str,
) -> Result<Vec<ExtData>, OfdError> {
    let mut list = match c.peek() {
        Some(TAG_SEQUENCE) => c.sequence(field)?.1,
        Some(asn1::TAG_CTX0_CONSTRUCTED) => {
            let (_, mut wrapper) = c.enter(asn1::TAG_CTX0_CONSTRUCTED, field)?;
            // [0] EXPLICIT SEQUENCE OF, or [0] IMPLICIT (the ExtDatas directly).
            if wrapper.peek() == Some(TAG_SEQUENCE) {
                let mut probe = wrapper.clone();
                let (_, first) = probe.sequence("probe")?;
                if first.peek() == Some(TAG_SEQUENCE) {
                    let (_, inner) = wrapper.sequence("0")?;
                    wrapper.finish()?;
                    inner
                } else {
                    wrapper
                }
            } else {
                wrapper
            }
        }
        _ => return Ok(Vec::new()),
    };
    let mut out = Vec::new();
    while !list.is_empty() {
        let (_, mut e) = list.sequence("ExtData")?;
        let (_, oid) = e.oid("extnID")?;
        let critical = match e.peek() {
            Some(asn1::TAG_BOOLEAN) => e.tlv(asn1::TAG_BOOLEAN, "critical")?.content != [0],
            _ => false,
        };
        let (_, value) = e.octets("extnValue")?;
        e.finish()?;
        out.push(ExtData {
            oid: oid.to_string(),
            critical,
            value: value.to_vec(),
        });
    }
    Ok(out)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::document::ofd::time::TimeForm;

    /// DER TLV with definite length (test builder).
    pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        ber::push_tlv(
            tag,
            content,
            ber::Bounds {
                max_depth: 8,
                max_size: 1 << 24,
            },
            &mut out,
        )
        .unwrap();
        out
    }

    pub(crate) fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
        tlv(TAG_SEQUENCE, &parts.concat())
    }

    pub(crate) const SM2_SM3: [u8; 10] =
        [0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75];

    pub(crate) fn seal_info_v4(cert_list: Vec<u8>) -> Vec<u8> {
        seq(&[
            seq(&[tlv(0x16, b"ES"), tlv(2, &[4]), tlv(0x16, b"VID")]),
            tlv(0x16, b"ES-1"),
            seq(&[
                tlv(2, &[3]),
                tlv(0x0c, "测试章".as_bytes()),
                tlv(2, &[1]),
                cert_list,
                tlv(0x18, b"20260101000000Z"),
                tlv(0x18, b"20260101000000Z"),
                tlv(0x18, b"20310101000000Z"),
            ]),
            seq(&[
                tlv(0x16, b"PNG"),
                tlv(4, b"\x89PNG\r\n\x1a\nxx"),
                tlv(2, &[40]),
                tlv(2, &[40]),
            ]),
        ])
    }

    #[test]
    fn a_v4_seal_keeps_its_signed_block_as_received() {
        let info = seal_info_v4(seq(&[tlv(4, b"not a certificate")]));
        let seal = seq(&[
            info.clone(),
            tlv(4, b"cert"),
            SM2_SM3.to_vec(),
            tlv(3, &[0; 65]),
        ]);
        let s = parse_seal(&seal, &Limits::default()).unwrap();
        assert_eq!(s.version, SesVersion::V4);
        assert_eq!(s.signed_bytes, info);
        assert_eq!(s.info.es_id, "ES-1");
        assert_eq!(s.info.property.name, "测试章");
        assert_eq!(s.info.property.cert_list_type, Some(1));
        assert_eq!(s.info.property.cert_list.len(), 1);
        assert_eq!(s.info.picture.detected_format, "png");
        assert_eq!(s.info.property.valid_end.unix, Some(1924992000));
        assert_eq!(s.signature_encoding, Some(ValueEncoding::Plain));
        assert!(
            s.maker.certificate.is_none() && s.maker.error.is_some() && s.maker.key().is_none()
        );
    }

    #[test]
    fn a_v1_seal_signs_info_cert_and_algorithm() {
        let info = seq(&[
            seq(&[tlv(0x16, b"ES"), tlv(2, &[1]), tlv(0x16, b"VID")]),
            tlv(0x16, b"ES-1"),
            seq(&[
                tlv(2, &[1]),
                tlv(0x0c, b"Seal"),
                seq(&[tlv(4, b"c")]),
                tlv(0x17, b"260101000000Z"),
                tlv(0x17, b"260101000000Z"),
                tlv(0x17, b"310101000000Z"),
            ]),
            seq(&[
                tlv(0x16, b"GIF"),
                tlv(4, b"GIF89a"),
                tlv(2, &[1]),
                tlv(2, &[1]),
            ]),
        ]);
        let cert = tlv(4, b"cert");
        let sig = seq(&[tlv(2, &[1]), tlv(2, &[2])]);
        let seal = seq(&[
            info.clone(),
            seq(&[
                cert.clone(),
                SM2_SM3.to_vec(),
                tlv(3, &[&[0u8][..], &sig].concat()),
            ]),
        ]);
        let s = parse_seal(&seal, &Limits::default()).unwrap();
        assert_eq!(s.version, SesVersion::V1);
        assert_eq!(s.signed_bytes, seq(&[info, cert, SM2_SM3.to_vec()]));
        assert_eq!(s.info.property.cert_list_type, None);
        assert_eq!(s.signature_encoding, Some(ValueEncoding::Der));
        assert_eq!(s.info.property.valid_start.form, TimeForm::UtcTime);
    }

    #[test]
    fn malformed_seals_are_typed_errors() {
        let info = seal_info_v4(seq(&[tlv(4, b"c")]));
        let good = seq(&[
            info.clone(),
            tlv(4, b"cert"),
            SM2_SM3.to_vec(),
            tlv(3, &[0; 65]),
        ]);
        for cut in [1, 10, good.len() / 2, good.len() - 1] {
            assert!(parse_seal(&good[..cut], &Limits::default()).is_err());
        }
        // Unused bits in the signature, trailing data, an extra field.
        let unused = seq(&[
            info.clone(),
            tlv(4, b"cert"),
            SM2_SM3.to_vec(),
            tlv(3, &[1; 65]),
        ]);
        assert!(parse_seal(&unused, &Limits::default())
            .unwrap_err()
            .to_string()
            .contains("unused bits"));
        let mut trailing = good.clone();
        trailing.push(0);
        assert!(parse_seal(&trailing, &Limits::default()).is_err());
        let extra = seq(&[
            info,
            tlv(4, b"cert"),
            SM2_SM3.to_vec(),
            tlv(3, &[0; 65]),
            tlv(5, &[]),
        ]);
        assert!(parse_seal(&extra, &Limits::default()).is_err());
    }

    #[test]
    fn cert_digest_lists_and_unknown_lists() {
        let digests = seq(&[seq(&[tlv(0x13, b"SM3"), tlv(4, &[7; 32])])]);
        let info = seal_info_v4(digests);
        let seal = seq(&[info, tlv(4, b"cert"), SM2_SM3.to_vec(), tlv(3, &[0; 65])]);
        let s = parse_seal(&seal, &Limits::default()).unwrap();
        assert!(
            matches!(&s.info.property.cert_list, CertList::Digests(d) if d.len() == 1 && d[0].algorithm == "SM3")
        );
        let odd = seal_info_v4(seq(&[tlv(0x16, b"1")]));
        let seal = seq(&[odd, tlv(4, b"cert"), SM2_SM3.to_vec(), tlv(3, &[0; 65])]);
        let s = parse_seal(&seal, &Limits::default()).unwrap();
        assert!(matches!(
            s.info.property.cert_list,
            CertList::Unrecognised(_)
        ));
    }
}
