//! X.509 CRLs (RFC 5280 §5): the owned model and its construction from DER.

use super::cert::{alg_id_for, first_element_range};
use super::ext::{
    convert_aki, convert_general_names, convert_name, malformed, oid_of, parse_distribution_points,
    parse_integer_ext, parse_issuing_distribution_point, AuthorityKeyId, DistributionPoint,
    IssuingDistributionPoint,
};
use super::name::{GeneralName, Name};
use super::{ParseError, UnixTime};
use crate::asn1::oid::{known, Oid};
use crate::asn1::AlgorithmIdentifier;
use crate::crypto::sha256;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::OnceLock;
use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::{CertificateRevocationList, FromDer, X509Extension};

const WHAT: &str = "CRL";

/// One revoked certificate entry.
#[derive(Clone, Debug)]
pub struct RevokedEntry {
    /// userCertificate serial, content octets.
    pub serial: Vec<u8>,
    /// revocationDate
    pub revocation_date: UnixTime,
    /// reasonCode, when present.
    pub reason: Option<u8>,
    /// The certificate issuer this entry applies to in an indirect CRL: the last
    /// certificateIssuer extension seen at or before this entry (`None` = the CRL issuer).
    pub certificate_issuer: Option<Vec<GeneralName>>,
}

/// The CRL's own extensions, decoded.
#[derive(Clone, Debug, Default)]
pub struct CrlExtensions {
    /// authorityKeyIdentifier
    pub authority_key_id: Option<AuthorityKeyId>,
    /// cRLNumber content octets
    pub crl_number: Option<Vec<u8>>,
    /// deltaCRLIndicator: the BaseCRLNumber, content octets
    pub delta_crl_indicator: Option<Vec<u8>>,
    /// issuingDistributionPoint
    pub issuing_distribution_point: Option<IssuingDistributionPoint>,
    /// freshestCRL
    pub freshest_crl: Option<Vec<DistributionPoint>>,
    /// Critical CRL or entry extensions this crate cannot process: the CRL must not be used.
    pub unknown_critical: Vec<Oid>,
    /// RFC 5280 §5 rules the CRL breaks (e.g. a v2 CRL without cRLNumber): it must not be used.
    pub profile_violations: Vec<String>,
}

/// A parsed CRL.
#[derive(Clone, Debug)]
pub struct Crl {
    /// Complete DER.
    pub der: Vec<u8>,
    /// SHA-256 of `der`.
    pub sha256: [u8; 32],
    tbs: Range<usize>,
    /// 1 or 2.
    pub version: u32,
    /// signatureAlgorithm
    pub signature_algorithm: AlgorithmIdentifier,
    /// signatureValue contents.
    pub signature: Vec<u8>,
    /// issuer
    pub issuer: Name,
    /// thisUpdate
    pub this_update: UnixTime,
    /// nextUpdate
    pub next_update: Option<UnixTime>,
    /// revokedCertificates
    pub entries: Vec<RevokedEntry>,
    /// crlExtensions
    pub extensions: CrlExtensions,
    /// Entry positions by serial number ([`minimal_integer`] form), built on first lookup.
    serial_index: OnceLock<HashMap<Vec<u8>, Vec<usize>>>,
}

/// CRLs with at most this many entries are scanned instead of indexed.
const INDEX_FROM: usize = 16;

/// The minimal two's-complement form of an INTEGER's content octets: redundant leading
/// 0x00 (before a byte < 0x80) and 0xFF (before a byte ≥ 0x80) octets removed. Unlike
/// `ext::normalize_serial` it keeps the sign: 00 FF (255) and FF (−1) stay different.
pub fn minimal_integer(bytes: &[u8]) -> &[u8] {
    let mut b = bytes;
    while let [first, second, ..] = b {
        let redundant = (*first == 0x00 && *second < 0x80) || (*first == 0xff && *second >= 0x80);
        if !redundant {
            break;
        }
        b = b.get(1..).unwrap_or_default();
    }
    b
}

impl Crl {
    /// Parses one DER CRL, holding at most `max_entries` revoked entries.
    pub fn from_der(der: &[u8], max_entries: usize) -> Result<Crl, ParseError> {
        let (rest, x) = CertificateRevocationList::from_der(der).map_err(|e| ParseError::Der {
            what: WHAT,
            detail: super::der_error_words(&e),
        })?;
        if !rest.is_empty() {
            return Err(ParseError::TrailingData {
                what: WHAT,
                count: rest.len(),
            });
        }
        let tbs = &x.tbs_cert_list;
        if tbs.revoked_certificates.len() > max_entries {
            return Err(ParseError::TooManyEntries {
                what: WHAT,
                limit: max_entries,
            });
        }
        let version = tbs.version.map(|v| v.0 + 1).unwrap_or(1);
        if version > 2 {
            return Err(malformed(
                WHAT,
                "version",
                format!("unknown version {version}"),
            ));
        }
        let signature_algorithm = alg_id_for(WHAT, &x.signature_algorithm, "signatureAlgorithm")?;
        let inner = alg_id_for(WHAT, &tbs.signature, "signature")?;
        if inner != signature_algorithm {
            return Err(malformed(
                WHAT,
                "signature",
                "TBS signature algorithm differs from the outer one",
            ));
        }
        if version < 2 && !tbs.extensions().is_empty() {
            return Err(malformed(
                WHAT,
                "crlExtensions",
                "extensions need version 2",
            ));
        }
        let issuer = convert_name(WHAT, &tbs.issuer)?;
        let mut extensions = convert_crl_extensions(tbs.extensions())?;
        if version >= 2 && extensions.crl_number.is_none() {
            extensions
                .profile_violations
                .push("cRLNumber is missing (RFC 5280 §5.2.3)".to_string());
        }
        let mut entries = Vec::with_capacity(tbs.revoked_certificates.len());
        let mut current_issuer: Option<Vec<GeneralName>> = None;
        for r in &tbs.revoked_certificates {
            let mut reason = None;
            let mut seen = BTreeSet::new();
            for e in r.extensions() {
                let oid = oid_of(WHAT, "entry extension", &e.oid)?;
                if !seen.insert(oid.clone()) {
                    return Err(ParseError::DuplicateExtension {
                        what: WHAT,
                        oid: oid.to_string(),
                    });
                }
                match e.parsed_extension() {
                    ParsedExtension::ParseError { error } => {
                        return Err(malformed(
                            WHAT,
                            "entry extension",
                            format!("{oid}: {error}"),
                        ));
                    }
                    ParsedExtension::ReasonCode(c) => reason = Some(c.0),
                    ParsedExtension::InvalidityDate(_) => {}
                    _ if oid == known::EXT_CERTIFICATE_ISSUER => {
                        let (rest, san) =
                            x509_parser::extensions::SubjectAlternativeName::from_der(e.value)
                                .map_err(|err| malformed(WHAT, "certificateIssuer", err))?;
                        if !rest.is_empty() {
                            return Err(malformed(WHAT, "certificateIssuer", "trailing data"));
                        }
                        current_issuer = Some(convert_general_names(WHAT, &san.general_names)?);
                    }
                    _ if oid == known::EXT_HOLD_INSTRUCTION => {}
                    _ => {
                        if e.critical {
                            extensions.unknown_critical.push(oid);
                        }
                    }
                }
            }
            entries.push(RevokedEntry {
                serial: r.raw_serial().to_vec(),
                revocation_date: r.revocation_date.timestamp(),
                reason,
                certificate_issuer: current_issuer.clone(),
            });
        }
        let tbs_range = first_element_range(der)
            .ok_or_else(|| malformed(WHAT, "CertificateList", "the outer structure is not SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue } in DER"))?;
        Ok(Crl {
            der: der.to_vec(),
            sha256: sha256(der),
            tbs: tbs_range,
            version,
            signature_algorithm,
            signature: x.signature_value.data.to_vec(),
            issuer,
            this_update: tbs.this_update.timestamp(),
            next_update: tbs.next_update.map(|t| t.timestamp()),
            entries,
            extensions,
            serial_index: OnceLock::new(),
        })
    }

    /// The revoked entries whose serial number equals `serial` (compared in
    /// [`minimal_integer`] form). Large CRLs answer from a hash index built on the first
    /// lookup and kept with the CRL (shared by every document that uses it).
    pub fn entries_with_serial<'c>(
        &'c self,
        serial: &[u8],
    ) -> Box<dyn Iterator<Item = &'c RevokedEntry> + 'c> {
        let key = minimal_integer(serial);
        if self.entries.len() <= INDEX_FROM {
            let key = key.to_vec();
            return Box::new(
                self.entries
                    .iter()
                    .filter(move |e| minimal_integer(&e.serial) == key.as_slice()),
            );
        }
        let index = self.serial_index.get_or_init(|| {
            let mut m: HashMap<Vec<u8>, Vec<usize>> = HashMap::with_capacity(self.entries.len());
            for (i, e) in self.entries.iter().enumerate() {
                m.entry(minimal_integer(&e.serial).to_vec())
                    .or_default()
                    .push(i);
            }
            m
        });
        let positions: &[usize] = index.get(key).map(Vec::as_slice).unwrap_or_default();
        Box::new(positions.iter().filter_map(|i| self.entries.get(*i)))
    }

    /// The DER of the TBSCertList: the bytes the CRL issuer signed.
    pub fn tbs(&self) -> &[u8] {
        self.der.get(self.tbs.clone()).unwrap_or(&[])
    }

    /// True for a delta CRL.
    pub fn is_delta(&self) -> bool {
        self.extensions.delta_crl_indicator.is_some()
    }

    /// Lower-case hex SHA-256 fingerprint.
    pub fn fingerprint(&self) -> String {
        hex::encode(self.sha256)
    }
}

fn convert_crl_extensions(exts: &[X509Extension<'_>]) -> Result<CrlExtensions, ParseError> {
    let mut out = CrlExtensions::default();
    let mut seen = BTreeSet::new();
    for e in exts {
        let oid = oid_of(WHAT, "extension", &e.oid)?;
        if !seen.insert(oid.clone()) {
            return Err(ParseError::DuplicateExtension {
                what: WHAT,
                oid: oid.to_string(),
            });
        }
        match e.parsed_extension() {
            ParsedExtension::ParseError { error } => {
                return Err(malformed(WHAT, "extension", format!("{oid}: {error}")));
            }
            ParsedExtension::AuthorityKeyIdentifier(a) => {
                out.authority_key_id = Some(convert_aki(WHAT, a)?)
            }
            ParsedExtension::CRLNumber(_) => {
                out.crl_number = Some(parse_integer_ext(WHAT, "cRLNumber", e.value)?);
                if e.critical {
                    // RFC 5280 §5.2.3: MUST be non-critical. Recorded so the CRL is not used.
                    out.profile_violations
                        .push("cRLNumber is marked critical (RFC 5280 §5.2.3)".to_string());
                }
            }
            _ if oid == known::EXT_ISSUING_DISTRIBUTION_POINT => {
                out.issuing_distribution_point =
                    Some(parse_issuing_distribution_point(WHAT, e.value)?);
            }
            ParsedExtension::IssuerAlternativeName(_) => {}
            _ if oid == known::EXT_DELTA_CRL_INDICATOR => {
                out.delta_crl_indicator =
                    Some(parse_integer_ext(WHAT, "deltaCRLIndicator", e.value)?);
            }
            _ if oid == known::EXT_FRESHEST_CRL => {
                out.freshest_crl = Some(parse_distribution_points(WHAT, "freshestCRL", e.value)?);
            }
            _ => {
                if e.critical {
                    out.unknown_critical.push(oid);
                }
            }
        }
    }
    Ok(out)
}
