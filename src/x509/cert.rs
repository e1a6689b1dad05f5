//! X.509 certificates (RFC 5280 §4): the owned model and its construction from DER.

use super::ext::{
    self, convert_aki, convert_general_names, convert_name, malformed, oid_of, AuthorityKeyId,
    BasicConstraints, DistributionPoint, KeyUsage, NameConstraints, PolicyConstraints,
};
use super::name::{GeneralName, Name};
use super::{Deviation, ParseError, UnixTime};
use crate::asn1::oid::{known, Oid};
use crate::asn1::AlgorithmIdentifier;
use crate::crypto::sha256;
use crate::crypto::PublicKeyInfo;
use std::collections::BTreeSet;
use std::ops::Range;
use x509_parser::extensions::{GeneralSubtree, ParsedExtension};
use x509_parser::prelude::{FromDer, X509Certificate, X509Extension};

const WHAT: &str = "certificate";

/// The extensions a certificate carries, decoded.
#[derive(Clone, Debug, Default)]
pub struct CertExtensions {
    /// basicConstraints
    pub basic_constraints: Option<BasicConstraints>,
    /// keyUsage
    pub key_usage: Option<KeyUsage>,
    /// extendedKeyUsage purposes
    pub extended_key_usage: Option<Vec<Oid>>,
    /// subjectKeyIdentifier
    pub subject_key_id: Option<Vec<u8>>,
    /// authorityKeyIdentifier
    pub authority_key_id: Option<AuthorityKeyId>,
    /// subjectAltName
    pub subject_alt_name: Option<Vec<GeneralName>>,
    /// nameConstraints
    pub name_constraints: Option<NameConstraints>,
    /// certificatePolicies: the policy identifiers in order (qualifiers are not kept)
    pub certificate_policies: Option<Vec<Oid>>,
    /// policyMappings (issuerDomainPolicy, subjectDomainPolicy)
    pub policy_mappings: Option<Vec<(Oid, Oid)>>,
    /// policyConstraints
    pub policy_constraints: Option<PolicyConstraints>,
    /// inhibitAnyPolicy SkipCerts
    pub inhibit_any_policy: Option<u32>,
    /// cRLDistributionPoints
    pub crl_distribution_points: Option<Vec<DistributionPoint>>,
    /// freshestCRL
    pub freshest_crl: Option<Vec<DistributionPoint>>,
    /// authorityInfoAccess (RFC 5280 §4.2.2.1): access method (`id-ad-ocsp`,
    /// `id-ad-caIssuers`, …) and location, in order.
    pub authority_info_access: Option<Vec<(Oid, GeneralName)>>,
    /// id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1) is present: an OCSP responder certificate
    /// whose own revocation status is not checked.
    pub ocsp_nocheck: bool,
    /// Critical extensions this crate does not process (RFC 5280 §6.1.4 (o) / §6.1.5 (f)).
    pub unknown_critical: Vec<Oid>,
    /// Every extension marked critical (for the profile checks).
    pub critical: Vec<Oid>,
}

impl CertExtensions {
    /// True when the extension is present and marked critical.
    pub fn is_critical(&self, oid: &Oid) -> bool {
        self.critical.contains(oid)
    }

    /// The URIs of the authorityInfoAccess entries with this access method (`id-ad-ocsp`
    /// for OCSP responders, `id-ad-caIssuers` for issuer certificates), in order.
    pub fn access_uris(&self, method: &Oid) -> Vec<&str> {
        self.authority_info_access
            .iter()
            .flatten()
            .filter(|(m, _)| m == method)
            .filter_map(|(_, g)| match g {
                GeneralName::Uri(u) => Some(u.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The URIs of the full names of the cRLDistributionPoints, in order.
    pub fn crl_uris(&self) -> Vec<&str> {
        self.crl_distribution_points
            .iter()
            .flatten()
            .filter_map(|dp| match &dp.name {
                Some(super::ext::DistributionPointName::Full(names)) => Some(names),
                _ => None,
            })
            .flatten()
            .filter_map(|g| match g {
                GeneralName::Uri(u) => Some(u.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// A parsed X.509 certificate. Cheap to share behind an `Arc`.
#[derive(Clone, Debug)]
pub struct Certificate {
    /// The complete DER encoding.
    pub der: Vec<u8>,
    /// SHA-256 of `der`.
    pub sha256: [u8; 32],
    tbs: Range<usize>,
    /// 1, 2 or 3.
    pub version: u32,
    /// serialNumber content octets as encoded.
    pub serial: Vec<u8>,
    /// signatureAlgorithm (equal to the TBS `signature` field; checked at parse time).
    pub signature_algorithm: AlgorithmIdentifier,
    /// signatureValue BIT STRING contents.
    pub signature: Vec<u8>,
    /// Unused bits declared by the signatureValue BIT STRING; a signature with any is
    /// treated as not verifying (no algorithm produces one).
    pub signature_unused_bits: u8,
    /// issuer
    pub issuer: Name,
    /// subject
    pub subject: Name,
    /// notBefore
    pub not_before: UnixTime,
    /// notAfter
    pub not_after: UnixTime,
    /// subjectPublicKeyInfo
    pub public_key: PublicKeyInfo,
    /// Decoded extensions.
    pub extensions: CertExtensions,
    /// Encodings that break the profile but were read anyway (see [`Deviation`]), in the
    /// order found. Empty for a well-formed certificate.
    pub deviations: Vec<Deviation>,
    /// `label()` and `fingerprint()`, rendered once (reports name a certificate many times).
    rendered: std::sync::OnceLock<(String, String)>,
}

impl Certificate {
    /// Parses one DER certificate; trailing bytes are an error.
    pub fn from_der(der: &[u8]) -> Result<Certificate, ParseError> {
        let (rest, x) = X509Certificate::from_der(der).map_err(|e| ParseError::Der {
            what: WHAT,
            detail: super::der_error_words(&e),
        })?;
        if !rest.is_empty() {
            return Err(ParseError::TrailingData {
                what: WHAT,
                count: rest.len(),
            });
        }
        convert(der, &x)
    }

    /// The DER of the TBSCertificate: the bytes the issuer signed.
    pub fn tbs(&self) -> &[u8] {
        self.der.get(self.tbs.clone()).unwrap_or(&[])
    }

    /// Issuer and subject names match (RFC 5280 "self-issued").
    pub fn is_self_issued(&self) -> bool {
        self.issuer.matches(&self.subject)
    }

    /// basicConstraints cA is true.
    pub fn is_ca(&self) -> bool {
        self.extensions.basic_constraints.is_some_and(|b| b.ca)
    }

    /// Lower-case hex SHA-256 fingerprint.
    pub fn fingerprint(&self) -> String {
        self.rendered().1.clone()
    }

    /// (label, fingerprint), rendered on first use.
    fn rendered(&self) -> &(String, String) {
        self.rendered.get_or_init(|| {
            let fingerprint = hex::encode(self.sha256);
            let label = if self.subject.is_empty() {
                format!(
                    "certificate sha256:{}",
                    fingerprint.get(..16).unwrap_or_default()
                )
            } else {
                self.subject.to_string()
            };
            (label, fingerprint)
        })
    }

    /// Serial number as colon-free lower-case hex.
    pub fn serial_hex(&self) -> String {
        hex::encode(&self.serial)
    }

    /// The certificate as the subject of a check (at position `index` of a path).
    pub fn as_subject(&self, index: Option<usize>) -> crate::verdict::Subject {
        crate::verdict::Subject {
            index,
            label: self.label(),
            sha256: self.fingerprint(),
        }
    }

    /// Who the certificate is, for messages: its subject, or its fingerprint when the
    /// subject is empty.
    pub fn label(&self) -> String {
        self.rendered().0.clone()
    }
}

fn alg_id(
    a: &x509_parser::x509::AlgorithmIdentifier<'_>,
    field: &'static str,
) -> Result<AlgorithmIdentifier, ParseError> {
    use x509_parser::der_parser::asn1_rs::ToDer;
    let oid = oid_of(WHAT, field, &a.algorithm)?;
    let params = match &a.parameters {
        Some(p) => Some(p.to_der_vec().map_err(|e| malformed(WHAT, field, e))?),
        None => None,
    };
    Ok(AlgorithmIdentifier { oid, params })
}

pub(crate) fn alg_id_for(
    what: &'static str,
    a: &x509_parser::x509::AlgorithmIdentifier<'_>,
    field: &'static str,
) -> Result<AlgorithmIdentifier, ParseError> {
    alg_id(a, field).map_err(|e| match e {
        ParseError::Malformed { field, detail, .. } => ParseError::Malformed {
            what,
            field,
            detail,
        },
        other => other,
    })
}

/// Checks the outer layout of a signed X.509 object — `SEQUENCE { SEQUENCE tbs,
/// SEQUENCE signatureAlgorithm, BIT STRING signatureValue }` in strict DER, nothing after —
/// and returns where the TBS lies. (The ASN.1 decoder does not check the outer tags, so a
/// changed tag would otherwise give a different certificate with the same signature.)
pub(crate) fn first_element_range(der: &[u8]) -> Option<Range<usize>> {
    use crate::asn1::Reader;
    let mut outer = Reader::der(der);
    let body = outer.content(0x30).ok()?;
    outer.finish().ok()?;
    let mut r = Reader::der(body);
    let (tag, _, tbs) = r.read_tlv().ok()?;
    if tag != 0x30 {
        return None;
    }
    r.content(0x30).ok()?;
    r.content(0x03).ok()?;
    r.finish().ok()?;
    let start = der.len().checked_sub(body.len())?;
    Some(start..start.checked_add(tbs.len())?)
}

fn convert(der: &[u8], x: &X509Certificate<'_>) -> Result<Certificate, ParseError> {
    let tbs = &x.tbs_certificate;
    let version = tbs.version.0 + 1;
    if version > 3 {
        return Err(malformed(
            WHAT,
            "version",
            format!("unknown version {version}"),
        ));
    }
    let mut deviations = Vec::new();
    let signature_algorithm = same_signature_algorithm(
        alg_id(&tbs.signature, "signature")?,
        alg_id(&x.signature_algorithm, "signatureAlgorithm")?,
        &mut deviations,
    )?;
    let serial = tbs.raw_serial().to_vec();
    if serial.is_empty() {
        return Err(malformed(WHAT, "serialNumber", "empty INTEGER"));
    }
    if let [first, second, ..] = serial.as_slice() {
        if (*first == 0 && second & 0x80 == 0) || (*first == 0xff && second & 0x80 != 0) {
            deviations.push(Deviation::NonMinimalSerial);
        }
    }
    if (tbs.issuer_uid.is_some() || tbs.subject_uid.is_some()) && version < 2 {
        return Err(malformed(
            WHAT,
            "uniqueIdentifier",
            "unique identifiers need version 2 or 3",
        ));
    }
    if !tbs.extensions().is_empty() && version < 3 {
        return Err(malformed(WHAT, "extensions", "extensions need version 3"));
    }
    let issuer = convert_name(WHAT, &tbs.issuer)?;
    if issuer.is_empty() {
        return Err(malformed(WHAT, "issuer", "the issuer name is empty"));
    }
    let subject = convert_name(WHAT, &tbs.subject)?;
    for (field, name) in [("issuer", &issuer), ("subject", &subject)] {
        deviations.extend(
            name.undecodable_strings()
                .map(|a| Deviation::NameStringEncoding {
                    field,
                    attribute: a.oid.clone(),
                    tag: a.tag,
                }),
        );
    }
    let spki = &tbs.subject_pki;
    if spki.subject_public_key.unused_bits != 0 {
        return Err(malformed(
            WHAT,
            "subjectPublicKeyInfo",
            "BIT STRING has unused bits",
        ));
    }
    let public_key = PublicKeyInfo {
        algorithm: alg_id(&spki.algorithm, "subjectPublicKeyInfo")?,
        key: spki.subject_public_key.data.to_vec(),
        der: spki.raw.to_vec(),
        prepared: Default::default(),
    };
    let extensions = convert_extensions(tbs.extensions(), &subject, &mut deviations)?;
    let tbs_range = first_element_range(der)
        .ok_or_else(|| malformed(WHAT, "Certificate", "the outer structure is not SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } in DER"))?;
    Ok(Certificate {
        der: der.to_vec(),
        sha256: sha256(der),
        tbs: tbs_range,
        version,
        serial,
        signature_algorithm,
        signature: x.signature_value.data.to_vec(),
        signature_unused_bits: x.signature_value.unused_bits,
        issuer,
        subject,
        not_before: tbs.validity.not_before.timestamp(),
        not_after: tbs.validity.not_after.timestamp(),
        public_key,
        extensions,
        deviations,
        rendered: std::sync::OnceLock::new(),
    })
}

/// RFC 5280 §4.1.1.2: the TBS `signature` must equal the outer `signatureAlgorithm`. The
/// same OID with the parameters absent in one and NULL in the other is read (the absent
/// form is kept, as ECDSA and Ed25519 require) and recorded as a deviation; any other
/// difference is an error.
fn same_signature_algorithm(
    inner: AlgorithmIdentifier,
    outer: AlgorithmIdentifier,
    deviations: &mut Vec<Deviation>,
) -> Result<AlgorithmIdentifier, ParseError> {
    if inner == outer {
        return Ok(outer);
    }
    let null = Some(crate::asn1::NULL_DER);
    if inner.oid == outer.oid {
        let (i, o) = (inner.params.as_deref(), outer.params.as_deref());
        if (i.is_none() && o == null) || (i == null && o.is_none()) {
            deviations.push(Deviation::SignatureAlgorithmParameters {
                algorithm: inner.oid.clone(),
                null_in_tbs: i.is_some(),
            });
            return Ok(AlgorithmIdentifier {
                oid: inner.oid,
                params: None,
            });
        }
    }
    let describe = |a: &AlgorithmIdentifier| match &a.params {
        None => format!("{} (no parameters)", a.oid),
        Some(p) => format!("{} (parameters {})", a.oid, hex::encode(p)),
    };
    Err(malformed(
        WHAT,
        "signature",
        format!(
            "TBS signature algorithm {} differs from the outer {}",
            describe(&inner),
            describe(&outer)
        ),
    ))
}

fn convert_subtrees(
    trees: &Option<Vec<GeneralSubtree<'_>>>,
) -> Result<Option<Vec<GeneralName>>, ParseError> {
    let Some(trees) = trees else { return Ok(None) };
    let mut out = Vec::with_capacity(trees.len());
    for t in trees {
        out.push(ext::convert_general_name(WHAT, &t.base)?);
    }
    Ok(Some(out))
}

/// Extensions this crate processes (others, when critical, are recorded as unknown).
fn is_processed(oid: &Oid) -> bool {
    [
        &known::EXT_BASIC_CONSTRAINTS,
        &known::EXT_KEY_USAGE,
        &known::EXT_EXT_KEY_USAGE,
        &known::EXT_SUBJECT_KEY_ID,
        &known::EXT_AUTHORITY_KEY_ID,
        &known::EXT_SUBJECT_ALT_NAME,
        &known::EXT_ISSUER_ALT_NAME,
        &known::EXT_NAME_CONSTRAINTS,
        &known::EXT_CERTIFICATE_POLICIES,
        &known::EXT_POLICY_MAPPINGS,
        &known::EXT_POLICY_CONSTRAINTS,
        &known::EXT_INHIBIT_ANY_POLICY,
        &known::EXT_CRL_DISTRIBUTION_POINTS,
        &known::EXT_FRESHEST_CRL,
        &known::EXT_AUTHORITY_INFO_ACCESS,
        &known::EXT_SUBJECT_INFO_ACCESS,
        &known::EXT_OCSP_NOCHECK,
    ]
    .contains(&oid)
}

/// extendedKeyUsage: the purposes x509-parser names, then the others, as OIDs.
fn convert_eku(
    eku: &x509_parser::extensions::ExtendedKeyUsage<'_>,
) -> Result<Vec<Oid>, ParseError> {
    let mut list = Vec::new();
    let fixed = [
        (eku.any, "2.5.29.37.0"),
        (eku.server_auth, "1.3.6.1.5.5.7.3.1"),
        (eku.client_auth, "1.3.6.1.5.5.7.3.2"),
        (eku.code_signing, "1.3.6.1.5.5.7.3.3"),
        (eku.email_protection, "1.3.6.1.5.5.7.3.4"),
        (eku.time_stamping, "1.3.6.1.5.5.7.3.8"),
        (eku.ocsp_signing, "1.3.6.1.5.5.7.3.9"),
    ];
    for (present, text) in fixed {
        if present {
            list.extend(Oid::from_dotted(text));
        }
    }
    for o in &eku.other {
        list.push(oid_of(WHAT, "extendedKeyUsage", o)?);
    }
    Ok(list)
}

/// nameConstraints: at least one of the subtree lists (RFC 5280 §4.2.1.10).
fn convert_name_constraints(
    nc: &x509_parser::extensions::NameConstraints<'_>,
) -> Result<NameConstraints, ParseError> {
    let permitted = convert_subtrees(&nc.permitted_subtrees)?;
    let excluded = convert_subtrees(&nc.excluded_subtrees)?;
    if permitted.is_none() && excluded.is_none() {
        return Err(malformed(
            WHAT,
            "nameConstraints",
            "neither permitted nor excluded subtrees",
        ));
    }
    Ok(NameConstraints {
        permitted,
        excluded,
    })
}

/// certificatePolicies: the policy identifiers, each at most once (RFC 5280 §4.2.1.4).
fn convert_policies(
    cp: &x509_parser::extensions::CertificatePolicies<'_>,
) -> Result<Vec<Oid>, ParseError> {
    let mut ids = Vec::new();
    for p in cp.iter() {
        let id = oid_of(WHAT, "certificatePolicies", &p.policy_id)?;
        if ids.contains(&id) {
            return Err(malformed(
                WHAT,
                "certificatePolicies",
                format!("policy {id} listed twice"),
            ));
        }
        ids.push(id);
    }
    Ok(ids)
}

fn convert_extensions(
    exts: &[X509Extension<'_>],
    subject: &Name,
    deviations: &mut Vec<Deviation>,
) -> Result<CertExtensions, ParseError> {
    let mut out = CertExtensions::default();
    let mut seen = BTreeSet::new();
    for e in exts {
        let oid = oid_of(WHAT, "extension", &e.oid)?;
        if !seen.insert(oid.clone()) {
            return Err(ParseError::DuplicateExtension {
                what: WHAT,
                oid: oid.to_string(),
            });
        }
        if e.critical {
            out.critical.push(oid.clone());
        }
        match e.parsed_extension() {
            ParsedExtension::ParseError { error }
                if oid == known::EXT_SUBJECT_ALT_NAME && !e.critical =>
            {
                deviations.push(Deviation::UndecodableSubjectAltName {
                    detail: error.to_string(),
                });
            }
            ParsedExtension::ParseError { error } => {
                return Err(malformed(WHAT, "extension", format!("{oid}: {error}")));
            }
            ParsedExtension::BasicConstraints(b) => {
                out.basic_constraints = Some(BasicConstraints {
                    ca: b.ca,
                    path_len: b.path_len_constraint,
                });
            }
            ParsedExtension::KeyUsage(k) => out.key_usage = Some(KeyUsage(k.flags)),
            ParsedExtension::ExtendedKeyUsage(eku) => {
                out.extended_key_usage = Some(convert_eku(eku)?)
            }
            ParsedExtension::SubjectKeyIdentifier(k) => out.subject_key_id = Some(k.0.to_vec()),
            ParsedExtension::AuthorityKeyIdentifier(a) => {
                out.authority_key_id = Some(convert_aki(WHAT, a)?)
            }
            ParsedExtension::SubjectAlternativeName(s) => {
                if s.general_names.is_empty() && !e.critical {
                    // Read as an undecodable SAN (as OpenSSL does); the names are unknown.
                    deviations.push(Deviation::UndecodableSubjectAltName {
                        detail: "empty GeneralNames".to_owned(),
                    });
                    continue;
                }
                if s.general_names.is_empty() {
                    return Err(malformed(WHAT, "subjectAltName", "empty GeneralNames"));
                }
                match convert_general_names(WHAT, &s.general_names) {
                    Ok(names) => out.subject_alt_name = Some(names),
                    Err(ParseError::Malformed { detail, .. }) if !e.critical => {
                        deviations.push(Deviation::UndecodableSubjectAltName { detail })
                    }
                    Err(other) => return Err(other),
                }
            }
            ParsedExtension::NameConstraints(nc) => {
                out.name_constraints = Some(convert_name_constraints(nc)?)
            }
            ParsedExtension::CertificatePolicies(cp) => {
                out.certificate_policies = Some(convert_policies(cp)?)
            }
            ParsedExtension::PolicyMappings(pm) => {
                let mut maps = Vec::new();
                for m in &pm.mappings {
                    maps.push((
                        oid_of(WHAT, "policyMappings", &m.issuer_domain_policy)?,
                        oid_of(WHAT, "policyMappings", &m.subject_domain_policy)?,
                    ));
                }
                out.policy_mappings = Some(maps);
            }
            ParsedExtension::PolicyConstraints(pc) => {
                if pc.require_explicit_policy.is_none() && pc.inhibit_policy_mapping.is_none() {
                    return Err(malformed(WHAT, "policyConstraints", "empty sequence"));
                }
                out.policy_constraints = Some(PolicyConstraints {
                    require_explicit_policy: pc.require_explicit_policy,
                    inhibit_policy_mapping: pc.inhibit_policy_mapping,
                });
            }
            ParsedExtension::InhibitAnyPolicy(i) => out.inhibit_any_policy = Some(i.skip_certs),
            ParsedExtension::AuthorityInfoAccess(aia) => {
                let mut list = Vec::with_capacity(aia.accessdescs.len());
                for d in &aia.accessdescs {
                    let method = oid_of(WHAT, "authorityInfoAccess", &d.access_method)?;
                    list.push((method, ext::convert_general_name(WHAT, &d.access_location)?));
                }
                out.authority_info_access = Some(list);
            }
            _ if oid == known::EXT_OCSP_NOCHECK => out.ocsp_nocheck = true,
            _ if oid == known::EXT_CRL_DISTRIBUTION_POINTS => {
                out.crl_distribution_points = Some(ext::parse_distribution_points(
                    WHAT,
                    "cRLDistributionPoints",
                    e.value,
                )?);
            }
            _ if oid == known::EXT_FRESHEST_CRL => {
                out.freshest_crl = Some(ext::parse_distribution_points(
                    WHAT,
                    "freshestCRL",
                    e.value,
                )?);
            }
            _ => {
                if e.critical && !is_processed(&oid) {
                    out.unknown_critical.push(oid);
                }
            }
        }
    }
    if subject.is_empty() && out.subject_alt_name.is_none() && !exts.is_empty() {
        // RFC 5280 §4.1.2.6: an empty subject requires a subjectAltName; reported, not fatal here.
    }
    Ok(out)
}
