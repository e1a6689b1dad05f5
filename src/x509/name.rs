//! Distinguished names and general names: the owned model and the RFC 5280 §7.1 comparison rules.

use crate::asn1::oid::{known, Oid};
use std::fmt;

/// One attribute of a relative distinguished name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// Attribute type, e.g. `2.5.4.3` (commonName).
    pub oid: Oid,
    /// ASN.1 universal tag number of the value (12 UTF8String, 19 PrintableString, …).
    pub tag: u32,
    /// The value's content octets as encoded.
    pub raw: Vec<u8>,
    /// Comparison key: for directory strings, the decoded text with surrounding
    /// whitespace removed, inner runs of whitespace folded to one space and case folded;
    /// for anything else, the raw tag and bytes.
    pub key: AttributeKey,
}

/// The form in which attribute values are compared.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AttributeKey {
    /// A directory string after RFC 4518-style preparation (simplified: trim, fold spaces, lowercase).
    Text(String),
    /// Any other value: compared bytewise with its tag.
    Binary(u32, Vec<u8>),
}

impl Attribute {
    /// The decoded text of a directory string, when the value is one.
    pub fn text(&self) -> Option<String> {
        decode_directory_string(self.tag, &self.raw)
    }
}

/// Decodes PrintableString, UTF8String, IA5String, TeletexString (as Latin-1), BMPString
/// and UniversalString content octets.
pub fn decode_directory_string(tag: u32, raw: &[u8]) -> Option<String> {
    match tag {
        12 => String::from_utf8(raw.to_vec()).ok(),
        19 | 22 | 26 => {
            if raw.is_ascii() {
                String::from_utf8(raw.to_vec()).ok()
            } else {
                None
            }
        }
        20 => Some(raw.iter().map(|&b| char::from(b)).collect()),
        30 => {
            if !raw.len().is_multiple_of(2) {
                return None;
            }
            let units: Vec<u16> = raw
                .chunks_exact(2)
                .filter_map(|c| <[u8; 2]>::try_from(c).ok())
                .map(u16::from_be_bytes)
                .collect();
            String::from_utf16(&units).ok()
        }
        28 => {
            if !raw.len().is_multiple_of(4) {
                return None;
            }
            raw.chunks_exact(4)
                .filter_map(|c| <[u8; 4]>::try_from(c).ok())
                .map(|c| char::from_u32(u32::from_be_bytes(c)))
                .collect()
        }
        _ => None,
    }
}

/// Comparison key of a value per RFC 5280 §7.1 (simplified RFC 4518 preparation).
pub fn attribute_key(tag: u32, raw: &[u8]) -> AttributeKey {
    match decode_directory_string(tag, raw) {
        Some(text) => AttributeKey::Text(
            text.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
        ),
        None => AttributeKey::Binary(tag, raw.to_vec()),
    }
}

/// A distinguished name: a sequence of relative distinguished names.
#[derive(Clone, Debug)]
pub struct Name {
    /// The DER encoding of the whole Name, as it appeared.
    pub der: Vec<u8>,
    /// The RDNs in order (most significant first), each a set of attributes.
    pub rdns: Vec<Vec<Attribute>>,
    /// Comparison key, precomputed: per RDN, the sorted (type, value key) pairs.
    key: Vec<Vec<(Oid, AttributeKey)>>,
    /// The rendering of [`fmt::Display`], made on first use (reports name the same
    /// certificates many times).
    rendered: std::sync::OnceLock<String>,
}

impl Name {
    /// Builds a name from its DER and parsed RDNs, computing the comparison key.
    pub fn new(der: Vec<u8>, rdns: Vec<Vec<Attribute>>) -> Name {
        let key = rdns
            .iter()
            .map(|rdn| {
                let mut k: Vec<(Oid, AttributeKey)> =
                    rdn.iter().map(|a| (a.oid.clone(), a.key.clone())).collect();
                k.sort();
                k
            })
            .collect();
        Name {
            der,
            rdns,
            key,
            rendered: std::sync::OnceLock::new(),
        }
    }

    /// True for the empty sequence.
    pub fn is_empty(&self) -> bool {
        self.rdns.is_empty()
    }

    /// RFC 5280 §7.1 name matching.
    pub fn matches(&self, other: &Name) -> bool {
        self.der == other.der || self.key == other.key
    }

    /// True when `self` lies within the subtree rooted at `base` (its RDNs start with `base`'s).
    pub fn within(&self, base: &Name) -> bool {
        base.key.len() <= self.key.len()
            && self.key.iter().zip(base.key.iter()).all(|(a, b)| a == b)
    }

    /// Comparison key (for indexing issuers by name).
    pub fn key(&self) -> &[Vec<(Oid, AttributeKey)>] {
        &self.key
    }

    /// All values of the given attribute type, in order, as text where decodable.
    pub fn values_of<'a>(&'a self, oid: &'a Oid) -> impl Iterator<Item = &'a Attribute> + 'a {
        self.rdns.iter().flatten().filter(move |a| &a.oid == oid)
    }

    /// The e-mail addresses carried as emailAddress attributes (PKCS#9) in the name.
    pub fn email_addresses(&self) -> Vec<String> {
        self.values_of(&known::AT_EMAIL_ADDRESS)
            .filter_map(|a| a.text())
            .collect()
    }

    /// The attributes whose value has a string type but bytes that type does not allow
    /// (non-ASCII bytes in a PrintableString or IA5String). They are kept raw and compared
    /// bytewise; a certificate reports them as deviations.
    pub fn undecodable_strings(&self) -> impl Iterator<Item = &Attribute> + '_ {
        self.rdns
            .iter()
            .flatten()
            .filter(|a| matches!(a.tag, 12 | 19 | 22 | 28 | 30) && a.text().is_none())
    }

    /// First commonName, if any.
    pub fn common_name(&self) -> Option<String> {
        self.values_of(&known::AT_COMMON_NAME)
            .find_map(|a| a.text())
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Self) -> bool {
        self.matches(other)
    }
}
impl Eq for Name {}

impl fmt::Display for Name {
    /// RFC 4514-like rendering, most significant RDN first (the order the certificate holds).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rendered.get_or_init(|| {
            let mut s = String::new();
            // Writing into a String cannot fail.
            let _ = self.render(&mut s);
            s
        }))
    }
}

impl Name {
    fn render(&self, f: &mut impl fmt::Write) -> fmt::Result {
        let mut first = true;
        for rdn in &self.rdns {
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            let mut first_atv = true;
            for a in rdn {
                if !first_atv {
                    f.write_str(" + ")?;
                }
                first_atv = false;
                let label = short_label(&a.oid);
                match (label, a.text()) {
                    (Some(l), Some(t)) => write!(f, "{l}={t}")?,
                    (None, Some(t)) => write!(f, "{}={t}", a.oid)?,
                    (_, None) => write!(f, "{}=#{}", a.oid, hex::encode(&a.raw))?,
                }
            }
        }
        Ok(())
    }
}

fn short_label(oid: &Oid) -> Option<&'static str> {
    Some(match oid.to_string().as_str() {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.5" => "serialNumber",
        "2.5.4.4" => "SN",
        "2.5.4.42" => "GN",
        "2.5.4.12" => "title",
        "2.5.4.46" => "dnQualifier",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        "1.2.840.113549.1.9.1" => "emailAddress",
        _ => return None,
    })
}

/// A GeneralName (RFC 5280 §4.2.1.6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GeneralName {
    /// rfc822Name: an e-mail address, a host, or a domain (in constraints).
    Rfc822(String),
    /// dNSName.
    Dns(String),
    /// directoryName.
    Directory(Name),
    /// uniformResourceIdentifier.
    Uri(String),
    /// iPAddress: 4 or 16 octets in a certificate's names; address followed by mask
    /// (8 or 32 octets) in a name constraint.
    Ip(Vec<u8>),
    /// registeredID.
    Registered(Oid),
    /// otherName, x400Address, ediPartyName: kept as the context tag number and raw content.
    Other {
        /// Context-specific tag number (0 otherName, 3 x400Address, 5 ediPartyName).
        tag: u32,
        /// Raw content octets.
        raw: Vec<u8>,
    },
}

impl GeneralName {
    /// Short name of the form, as used in error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            GeneralName::Rfc822(_) => "rfc822Name",
            GeneralName::Dns(_) => "dNSName",
            GeneralName::Directory(_) => "directoryName",
            GeneralName::Uri(_) => "uniformResourceIdentifier",
            GeneralName::Ip(_) => "iPAddress",
            GeneralName::Registered(_) => "registeredID",
            GeneralName::Other { tag: 3, .. } => "x400Address",
            GeneralName::Other { tag: 5, .. } => "ediPartyName",
            GeneralName::Other { .. } => "otherName",
        }
    }
}

impl fmt::Display for GeneralName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GeneralName::Rfc822(s) => write!(f, "email:{s}"),
            GeneralName::Dns(s) => write!(f, "DNS:{s}"),
            GeneralName::Directory(n) => write!(f, "DirName:{n}"),
            GeneralName::Uri(s) => write!(f, "URI:{s}"),
            GeneralName::Ip(b) => match b.len() {
                4 | 16 => {
                    let ip = if let Ok(a) = <[u8; 4]>::try_from(b.as_slice()) {
                        std::net::IpAddr::from(a)
                    } else if let Ok(a) = <[u8; 16]>::try_from(b.as_slice()) {
                        std::net::IpAddr::from(a)
                    } else {
                        return write!(f, "IP:#{}", hex::encode(b));
                    };
                    write!(f, "IP:{ip}")
                }
                _ => write!(f, "IP:#{}", hex::encode(b)),
            },
            GeneralName::Registered(o) => write!(f, "RID:{o}"),
            GeneralName::Other { tag, .. } => write!(f, "othername[{tag}]"),
        }
    }
}

/// Preferred name syntax (RFC 1034 §3.5 / RFC 1123 §2.1), leniently also allowing `_`:
/// ASCII labels of 1–63 letters, digits, hyphens or underscores, at most 253 octets in all.
/// `s` must already be normalised (no trailing dot).
pub fn is_host_syntax(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}
