//! Extension values shared by certificates and CRLs, converted to owned form.

use super::name::{attribute_key, decode_directory_string, Attribute, GeneralName, Name};
use super::ParseError;
use crate::asn1::oid::Oid;
use x509_parser::extensions as xe;
use x509_parser::prelude::X509Name;

/// keyUsage bits as numbered in RFC 5280 §4.2.1.3 (bit 0 = digitalSignature).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct KeyUsage(pub u16);

impl KeyUsage {
    /// digitalSignature
    pub const DIGITAL_SIGNATURE: u16 = 1 << 0;
    /// nonRepudiation (contentCommitment)
    pub const NON_REPUDIATION: u16 = 1 << 1;
    /// keyEncipherment
    pub const KEY_ENCIPHERMENT: u16 = 1 << 2;
    /// dataEncipherment
    pub const DATA_ENCIPHERMENT: u16 = 1 << 3;
    /// keyAgreement
    pub const KEY_AGREEMENT: u16 = 1 << 4;
    /// keyCertSign
    pub const KEY_CERT_SIGN: u16 = 1 << 5;
    /// cRLSign
    pub const CRL_SIGN: u16 = 1 << 6;
    /// encipherOnly
    pub const ENCIPHER_ONLY: u16 = 1 << 7;
    /// decipherOnly
    pub const DECIPHER_ONLY: u16 = 1 << 8;

    /// The bit names in RFC order.
    pub const NAMES: [&'static str; 9] = [
        "digitalSignature",
        "nonRepudiation",
        "keyEncipherment",
        "dataEncipherment",
        "keyAgreement",
        "keyCertSign",
        "cRLSign",
        "encipherOnly",
        "decipherOnly",
    ];

    /// True when every bit of `mask` is set.
    pub fn has(self, mask: u16) -> bool {
        self.0 & mask == mask
    }

    /// Bit for a name as written in RFC 5280 (also accepts `contentCommitment`).
    pub fn bit_for_name(name: &str) -> Option<u16> {
        if name.eq_ignore_ascii_case("contentCommitment") {
            return Some(Self::NON_REPUDIATION);
        }
        Self::NAMES
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name))
            .map(|i| 1u16 << i)
    }

    /// Names of the bits set.
    pub fn names(self) -> Vec<&'static str> {
        Self::NAMES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, n)| *n)
            .collect()
    }
}

/// basicConstraints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BasicConstraints {
    /// cA
    pub ca: bool,
    /// pathLenConstraint
    pub path_len: Option<u32>,
}

/// authorityKeyIdentifier.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AuthorityKeyId {
    /// keyIdentifier
    pub key_id: Option<Vec<u8>>,
    /// authorityCertIssuer
    pub issuer: Option<Vec<GeneralName>>,
    /// authorityCertSerialNumber (INTEGER content octets)
    pub serial: Option<Vec<u8>>,
}

/// policyConstraints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct PolicyConstraints {
    /// requireExplicitPolicy
    pub require_explicit_policy: Option<u32>,
    /// inhibitPolicyMapping
    pub inhibit_policy_mapping: Option<u32>,
}

/// DistributionPointName.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DistributionPointName {
    /// fullName
    Full(Vec<GeneralName>),
    /// nameRelativeToCRLIssuer: one RDN appended to the CRL issuer's name.
    RelativeToIssuer(Vec<Attribute>),
}

impl DistributionPointName {
    /// The names this point stands for, given the name of the CRL issuer (for the relative form).
    pub fn resolve(&self, crl_issuer: &Name) -> Vec<GeneralName> {
        match self {
            DistributionPointName::Full(names) => names.clone(),
            DistributionPointName::RelativeToIssuer(rdn) => {
                let mut rdns = crl_issuer.rdns.clone();
                rdns.push(rdn.clone());
                vec![GeneralName::Directory(Name::new(Vec::new(), rdns))]
            }
        }
    }
}

/// A DistributionPoint of cRLDistributionPoints or freshestCRL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DistributionPoint {
    /// distributionPoint
    pub name: Option<DistributionPointName>,
    /// reasons (ReasonFlags bits: bit 1 keyCompromise … bit 8 aACompromise)
    pub reasons: Option<u16>,
    /// cRLIssuer
    pub crl_issuer: Option<Vec<GeneralName>>,
}

/// issuingDistributionPoint (CRL extension).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct IssuingDistributionPoint {
    /// distributionPoint
    pub name: Option<DistributionPointName>,
    /// onlyContainsUserCerts
    pub only_user: bool,
    /// onlyContainsCACerts
    pub only_ca: bool,
    /// onlySomeReasons
    pub only_some_reasons: Option<u16>,
    /// indirectCRL
    pub indirect: bool,
    /// onlyContainsAttributeCerts
    pub only_attribute: bool,
}

/// All nine ReasonFlags bits (1..=8; bit 0 `unused` is not a reason).
pub const ALL_REASONS: u16 = 0x01fe;

/// ReasonFlags bit for a CRLReason code (RFC 5280 §5.3.1), or `None` for codes that are not reasons
/// (unspecified = 0 maps to all? No: callers treat unspecified as covering every reason).
pub fn reason_flag_for_code(code: u8) -> Option<u16> {
    match code {
        1..=6 => Some(1 << code),
        9 => Some(1 << 7),
        10 => Some(1 << 8),
        _ => None,
    }
}

pub(crate) fn malformed(
    what: &'static str,
    field: &'static str,
    detail: impl ToString,
) -> ParseError {
    ParseError::Malformed {
        what,
        field,
        detail: detail.to_string(),
    }
}

pub(crate) fn oid_of(
    what: &'static str,
    field: &'static str,
    oid: &x509_parser::der_parser::oid::Oid<'_>,
) -> Result<Oid, ParseError> {
    Oid::from_der_content(oid.as_bytes())
        .ok_or_else(|| malformed(what, field, "invalid OBJECT IDENTIFIER encoding"))
}

pub(crate) fn convert_name(what: &'static str, name: &X509Name<'_>) -> Result<Name, ParseError> {
    let mut rdns = Vec::new();
    for rdn in name.iter_rdn() {
        let mut attrs = Vec::new();
        for atv in rdn.iter() {
            attrs.push(convert_atv(what, atv)?);
        }
        if attrs.is_empty() {
            return Err(malformed(what, "name", "empty relative distinguished name"));
        }
        rdns.push(attrs);
    }
    Ok(Name::new(name.as_raw().to_vec(), rdns))
}

fn convert_atv(
    what: &'static str,
    atv: &x509_parser::x509::AttributeTypeAndValue<'_>,
) -> Result<Attribute, ParseError> {
    let oid = oid_of(what, "name attribute type", atv.attr_type())?;
    let value = atv.attr_value();
    let tag = value.tag().0;
    let raw = value.data.to_vec();
    // Non-ASCII bytes in a PrintableString or IA5String (UTF-8 in an IA5String emailAddress,
    // as real government certificates carry; OpenSSL reads them) are kept raw: the key is
    // then the tag and bytes, so the value matches only the same encoding
    // (`Name::undecodable_strings` lists such values). A UTF8String, BMPString or
    // UniversalString that is not valid in its own encoding is still refused (as OpenSSL
    // does).
    if matches!(tag, 12 | 30 | 28) && decode_directory_string(tag, &raw).is_none() {
        return Err(malformed(
            what,
            "name",
            format!("attribute {oid} is not a valid string of its type"),
        ));
    }
    let key = attribute_key(tag, &raw);
    Ok(Attribute { oid, tag, raw, key })
}

pub(crate) fn convert_general_name(
    what: &'static str,
    gn: &xe::GeneralName<'_>,
) -> Result<GeneralName, ParseError> {
    Ok(match gn {
        xe::GeneralName::RFC822Name(s) => GeneralName::Rfc822(ascii(what, "rfc822Name", s)?),
        xe::GeneralName::DNSName(s) => GeneralName::Dns(ascii(what, "dNSName", s)?),
        xe::GeneralName::URI(s) => GeneralName::Uri(ascii(what, "uniformResourceIdentifier", s)?),
        xe::GeneralName::IPAddress(b) => GeneralName::Ip(b.to_vec()),
        xe::GeneralName::DirectoryName(n) => GeneralName::Directory(convert_name(what, n)?),
        xe::GeneralName::RegisteredID(o) => {
            GeneralName::Registered(oid_of(what, "registeredID", o)?)
        }
        xe::GeneralName::OtherName(_, raw) => GeneralName::Other {
            tag: 0,
            raw: raw.to_vec(),
        },
        xe::GeneralName::X400Address(any) => GeneralName::Other {
            tag: 3,
            raw: any.data.to_vec(),
        },
        xe::GeneralName::EDIPartyName(any) => GeneralName::Other {
            tag: 5,
            raw: any.data.to_vec(),
        },
        xe::GeneralName::Invalid(tag, _) => {
            return Err(malformed(
                what,
                "GeneralName",
                format!("invalid content for context tag [{}]", tag.0),
            ))
        }
    })
}

fn ascii(what: &'static str, field: &'static str, s: &str) -> Result<String, ParseError> {
    if s.is_ascii() {
        Ok(s.to_string())
    } else {
        Err(malformed(
            what,
            field,
            "IA5String holds non-ASCII characters",
        ))
    }
}

pub(crate) fn convert_general_names(
    what: &'static str,
    names: &[xe::GeneralName<'_>],
) -> Result<Vec<GeneralName>, ParseError> {
    names
        .iter()
        .map(|g| convert_general_name(what, g))
        .collect()
}

pub(crate) fn convert_aki(
    what: &'static str,
    aki: &xe::AuthorityKeyIdentifier<'_>,
) -> Result<AuthorityKeyId, ParseError> {
    Ok(AuthorityKeyId {
        key_id: aki.key_identifier.as_ref().map(|k| k.0.to_vec()),
        issuer: aki
            .authority_cert_issuer
            .as_ref()
            .map(|n| convert_general_names(what, n))
            .transpose()?,
        serial: aki.authority_cert_serial.map(|s| s.to_vec()),
    })
}

/// Parses the DER of an INTEGER (as in deltaCRLIndicator) into its content octets.
pub(crate) fn parse_integer_ext(
    what: &'static str,
    field: &'static str,
    value: &[u8],
) -> Result<Vec<u8>, ParseError> {
    use x509_parser::der_parser::der::parse_der_integer;
    let (rest, obj) = parse_der_integer(value).map_err(|e| malformed(what, field, e))?;
    if !rest.is_empty() {
        return Err(malformed(what, field, "trailing data in extension value"));
    }
    let bytes = obj.as_slice().map_err(|e| malformed(what, field, e))?;
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(malformed(what, field, "negative value"));
    }
    Ok(bytes.to_vec())
}

/// Strips redundant leading zero octets of an INTEGER's content for comparisons, keeping
/// the sign: `00 FF` (255) stays distinct from `FF` (−1).
pub fn normalize_serial(bytes: &[u8]) -> &[u8] {
    let mut b = bytes;
    while let [0, next, ..] = b {
        if next & 0x80 != 0 {
            break;
        }
        b = b.get(1..).unwrap_or_default();
    }
    b
}

/// nameConstraints: the base names of the permitted and excluded subtrees
/// (minimum and maximum must be absent, RFC 5280 §4.2.1.10; the parser rejects others).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameConstraints {
    /// permittedSubtrees
    pub permitted: Option<Vec<GeneralName>>,
    /// excludedSubtrees
    pub excluded: Option<Vec<GeneralName>>,
}

// ---- Distribution points, decoded here because x509-parser 0.18 silently drops a
// nameRelativeToCRLIssuer (it reads the IMPLICIT [1] SET as a tagged SET).

fn der_err(what: &'static str, field: &'static str) -> impl Fn(crate::asn1::Error) -> ParseError {
    move |e| malformed(what, field, e)
}

/// GeneralNames from the content octets of a SEQUENCE OF GeneralName (or an IMPLICIT tag of it).
fn general_names_content(
    what: &'static str,
    field: &'static str,
    content: &[u8],
) -> Result<Vec<GeneralName>, ParseError> {
    use x509_parser::prelude::FromDer;
    let mut r = crate::asn1::Reader::der(content);
    let mut out = Vec::new();
    while !r.is_empty() {
        let (_, _, tlv) = r.read_tlv().map_err(der_err(what, field))?;
        let (rest, gn) = xe::GeneralName::from_der(tlv).map_err(|e| malformed(what, field, e))?;
        if !rest.is_empty() {
            return Err(malformed(what, field, "trailing data in GeneralName"));
        }
        out.push(convert_general_name(what, &gn)?);
    }
    if out.is_empty() {
        return Err(malformed(what, field, "empty GeneralNames"));
    }
    Ok(out)
}

/// One RDN from the content octets of its SET.
fn rdn_content(
    what: &'static str,
    field: &'static str,
    content: &[u8],
) -> Result<Vec<Attribute>, ParseError> {
    let mut r = crate::asn1::Reader::der(content);
    let mut out = Vec::new();
    while !r.is_empty() {
        let atv = r.content(0x30).map_err(der_err(what, field))?;
        let mut a = crate::asn1::Reader::der(atv);
        let oid_bytes = a.content(0x06).map_err(der_err(what, field))?;
        let oid = Oid::from_der_content(oid_bytes)
            .ok_or_else(|| malformed(what, field, "invalid OID"))?;
        let (tag, value, _) = a.read_tlv().map_err(der_err(what, field))?;
        a.finish().map_err(der_err(what, field))?;
        let tag = u32::from(tag & 0x1f);
        out.push(Attribute {
            oid,
            tag,
            raw: value.to_vec(),
            key: attribute_key(tag, value),
        });
    }
    if out.is_empty() {
        return Err(malformed(what, field, "empty relative distinguished name"));
    }
    Ok(out)
}

/// DistributionPointName from the content of its EXPLICIT [0] wrapper.
fn dp_name(
    what: &'static str,
    field: &'static str,
    content: &[u8],
) -> Result<DistributionPointName, ParseError> {
    let mut r = crate::asn1::Reader::der(content);
    let (tag, inner, _) = r.read_tlv().map_err(der_err(what, field))?;
    r.finish().map_err(der_err(what, field))?;
    match tag {
        0xa0 => Ok(DistributionPointName::Full(general_names_content(
            what, field, inner,
        )?)),
        0xa1 => Ok(DistributionPointName::RelativeToIssuer(rdn_content(
            what, field, inner,
        )?)),
        _ => Err(malformed(
            what,
            field,
            format!("unexpected DistributionPointName tag 0x{tag:02x}"),
        )),
    }
}

/// ReasonFlags from a BIT STRING's content (unused-bits octet first): bit i of the result is named bit i.
fn reason_flags(
    what: &'static str,
    field: &'static str,
    content: &[u8],
) -> Result<u16, ParseError> {
    let (&unused, bytes) = content
        .split_first()
        .ok_or_else(|| malformed(what, field, "empty BIT STRING"))?;
    if unused > 7 || (bytes.is_empty() && unused != 0) {
        return Err(malformed(what, field, "bad unused-bits count"));
    }
    let mut flags = 0u16;
    for (i, b) in bytes.iter().enumerate().take(2) {
        for bit in 0..8 {
            if b & (0x80 >> bit) != 0 {
                flags |= 1 << (i * 8 + bit);
            }
        }
    }
    Ok(flags)
}

fn boolean(what: &'static str, field: &'static str, content: &[u8]) -> Result<bool, ParseError> {
    match content {
        [0xff] => Ok(true),
        [0x00] => Ok(false),
        _ => Err(malformed(what, field, "invalid BOOLEAN")),
    }
}

/// Decodes a cRLDistributionPoints or freshestCRL extension value.
pub(crate) fn parse_distribution_points(
    what: &'static str,
    field: &'static str,
    value: &[u8],
) -> Result<Vec<DistributionPoint>, ParseError> {
    let seq = crate::asn1::single(value, 0x30).map_err(der_err(what, field))?;
    let mut r = crate::asn1::Reader::der(seq);
    let mut out = Vec::new();
    while !r.is_empty() {
        let dp = r.content(0x30).map_err(der_err(what, field))?;
        let mut d = crate::asn1::Reader::der(dp);
        let mut point = DistributionPoint {
            name: None,
            reasons: None,
            crl_issuer: None,
        };
        if d.peek_tag() == Some(0xa0) {
            point.name = Some(dp_name(
                what,
                field,
                d.content(0xa0).map_err(der_err(what, field))?,
            )?);
        }
        if d.peek_tag() == Some(0x81) {
            point.reasons = Some(reason_flags(
                what,
                field,
                d.content(0x81).map_err(der_err(what, field))?,
            )?);
        }
        if d.peek_tag() == Some(0xa2) {
            point.crl_issuer = Some(general_names_content(
                what,
                field,
                d.content(0xa2).map_err(der_err(what, field))?,
            )?);
        }
        d.finish().map_err(der_err(what, field))?;
        if point.name.is_none() && point.crl_issuer.is_none() {
            return Err(malformed(
                what,
                field,
                "a DistributionPoint needs a distributionPoint or a cRLIssuer",
            ));
        }
        out.push(point);
    }
    if out.is_empty() {
        return Err(malformed(what, field, "no distribution points"));
    }
    Ok(out)
}

/// Decodes an issuingDistributionPoint extension value.
pub(crate) fn parse_issuing_distribution_point(
    what: &'static str,
    value: &[u8],
) -> Result<IssuingDistributionPoint, ParseError> {
    const F: &str = "issuingDistributionPoint";
    let seq = crate::asn1::single(value, 0x30).map_err(der_err(what, F))?;
    let mut r = crate::asn1::Reader::der(seq);
    let mut idp = IssuingDistributionPoint::default();
    if r.peek_tag() == Some(0xa0) {
        idp.name = Some(dp_name(
            what,
            F,
            r.content(0xa0).map_err(der_err(what, F))?,
        )?);
    }
    if r.peek_tag() == Some(0x81) {
        idp.only_user = boolean(what, F, r.content(0x81).map_err(der_err(what, F))?)?;
    }
    if r.peek_tag() == Some(0x82) {
        idp.only_ca = boolean(what, F, r.content(0x82).map_err(der_err(what, F))?)?;
    }
    if r.peek_tag() == Some(0x83) {
        idp.only_some_reasons = Some(reason_flags(
            what,
            F,
            r.content(0x83).map_err(der_err(what, F))?,
        )?);
    }
    if r.peek_tag() == Some(0x84) {
        idp.indirect = boolean(what, F, r.content(0x84).map_err(der_err(what, F))?)?;
    }
    if r.peek_tag() == Some(0x85) {
        idp.only_attribute = boolean(what, F, r.content(0x85).map_err(der_err(what, F))?)?;
    }
    r.finish().map_err(der_err(what, F))?;
    if [idp.only_user, idp.only_ca, idp.only_attribute]
        .iter()
        .filter(|b| **b)
        .count()
        > 1
    {
        return Err(malformed(what, F, "at most one of onlyContainsUserCerts, onlyContainsCACerts and onlyContainsAttributeCerts may be set"));
    }
    Ok(idp)
}
