//! Inspect: what a file holds — certificates, CRLs, a CMS SignedData or an OFD package with
//! its seals — described as data (serialisable) without judging trust. Used by
//! `sigbridge inspect` and by embedders that want to show a document's contents.

use crate::asn1::oid::{self, known};
use crate::asn1::{format_time, Oid};
use crate::crypto;
use crate::document::cms::{self, SignerId};
use crate::document::{identify, sniff, FileKind, Found};
use crate::x509::ext::{DistributionPoint, DistributionPointName};
use crate::x509::{Certificate, Crl, GeneralName};
use crate::Limits;
use serde::{Deserialize, Serialize};

mod ofd;
mod pdf;

pub use ofd::{inspect_ofd, OfdDocumentInfo, OfdSignatureInfo};
pub use pdf::{inspect_pdf, PdfBlobInfo, PdfDssInfo, PdfInspection, PdfSignatureInfo, PdfVriInfo};

/// A description of one certificate.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CertificateInfo {
    /// Subject DN.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Serial, hex.
    pub serial: String,
    /// X.509 version.
    pub version: u32,
    /// notBefore, RFC 3339.
    pub not_before: String,
    /// notAfter, RFC 3339.
    pub not_after: String,
    /// Key algorithm OID and size.
    pub public_key: String,
    /// Signature algorithm OID.
    pub signature_algorithm: String,
    /// SHA-256 fingerprint, hex.
    pub sha256: String,
    /// basicConstraints cA.
    pub ca: bool,
    /// keyUsage bit names.
    pub key_usage: Option<Vec<String>>,
    /// extendedKeyUsage OIDs.
    pub extended_key_usage: Option<Vec<String>>,
    /// certificatePolicies OIDs.
    pub certificate_policies: Option<Vec<String>>,
    /// subjectAltName entries.
    pub subject_alt_name: Option<Vec<String>>,
    /// Critical extensions sigbridge does not process.
    pub unknown_critical_extensions: Vec<String>,
    /// The signature algorithm's name (`sha256WithRSAEncryption`), when the registry has one.
    #[serde(default)]
    pub signature_algorithm_name: Option<String>,
    /// The key for people: `RSA 2048 bits`, `ECDSA P-256`, `SM2 (256 bits)`.
    #[serde(default)]
    pub public_key_description: String,
    /// extendedKeyUsage purposes by name (the dotted OID when unnamed).
    #[serde(default)]
    pub extended_key_usage_names: Option<Vec<String>>,
    /// certificatePolicies with their names and mutual-recognition marking.
    #[serde(default)]
    pub policies: Vec<PolicyInfo>,
    /// cRLDistributionPoints: where the issuer publishes its CRL.
    #[serde(default)]
    pub crl_distribution_points: Vec<String>,
    /// authorityInfoAccess: the issuer's certificate and OCSP responder.
    #[serde(default)]
    pub authority_info_access: Vec<AccessInfo>,
    /// subjectKeyIdentifier, lower-case hex.
    #[serde(default)]
    pub subject_key_identifier: Option<String>,
    /// authorityKeyIdentifier keyIdentifier, lower-case hex.
    #[serde(default)]
    pub authority_key_identifier: Option<String>,
    /// SHA-1 fingerprint, lower-case hex (as other tools show it; SHA-256 is the one to trust).
    #[serde(default)]
    pub sha1: String,
}

/// One certificate policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyInfo {
    /// The policy OID, dotted.
    pub oid: String,
    /// Its registry name, when it has one (`anyPolicy`).
    pub name: Option<String>,
    /// When the OID is under the Hong Kong / Guangdong mutual-recognition arc
    /// (`2.16.344.8.2.2008.810.2`), its version `year.version.release` (e.g. `2018.1.1`),
    /// or the empty string for the arc itself or another shape below it.
    pub mutual_recognition: Option<String>,
}

/// One authorityInfoAccess entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessInfo {
    /// The access method by name (`id-ad-caIssuers`, `id-ad-ocsp`) or dotted.
    pub method: String,
    /// Where.
    pub location: String,
}

/// The mutual-recognition version `year.version.release` of a policy under the MR arc.
pub fn mutual_recognition_version(policy: &Oid) -> Option<String> {
    let arc = known::MR_POLICY_ARC.to_string();
    let text = policy.to_string();
    if !policy.starts_with(&known::MR_POLICY_ARC) {
        return None;
    }
    let rest = text
        .get(arc.len()..)
        .unwrap_or_default()
        .trim_start_matches('.');
    let parts: Vec<&str> = rest.split('.').filter(|p| !p.is_empty()).collect();
    Some(if parts.len() == 3 {
        parts.join(".")
    } else {
        String::new()
    })
}

fn name_or_dotted(oid: &Oid) -> String {
    oid::name_of(oid)
        .map(str::to_owned)
        .unwrap_or_else(|| oid.to_string())
}

fn distribution_point(dp: &DistributionPoint) -> String {
    let names = match &dp.name {
        Some(DistributionPointName::Full(names)) => names
            .iter()
            .map(|n| match n {
                GeneralName::Uri(u) => u.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Some(DistributionPointName::RelativeToIssuer(_)) => {
            "a name relative to the CRL issuer".to_string()
        }
        None => "no name (see cRLIssuer)".to_string(),
    };
    match &dp.crl_issuer {
        Some(i) => format!(
            "{names} (CRL issued by {})",
            i.iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => names,
    }
}

impl CertificateInfo {
    /// Describes a certificate.
    pub fn of(c: &Certificate) -> CertificateInfo {
        let e = &c.extensions;
        CertificateInfo {
            subject: c.subject.to_string(),
            issuer: c.issuer.to_string(),
            serial: c.serial_hex(),
            version: c.version,
            not_before: format_time(c.not_before),
            not_after: format_time(c.not_after),
            public_key: match crypto::key_bits(&c.public_key) {
                Some(b) => format!("{} ({b} bits)", c.public_key.algorithm.oid),
                None => c.public_key.algorithm.oid.to_string(),
            },
            signature_algorithm: c.signature_algorithm.oid.to_string(),
            sha256: c.fingerprint(),
            ca: c.is_ca(),
            key_usage: e
                .key_usage
                .map(|k| k.names().into_iter().map(str::to_owned).collect()),
            extended_key_usage: e
                .extended_key_usage
                .as_ref()
                .map(|v| v.iter().map(|o| o.to_string()).collect()),
            certificate_policies: e
                .certificate_policies
                .as_ref()
                .map(|v| v.iter().map(|o| o.to_string()).collect()),
            subject_alt_name: e
                .subject_alt_name
                .as_ref()
                .map(|v| v.iter().map(|n| n.to_string()).collect()),
            unknown_critical_extensions: e.unknown_critical.iter().map(|o| o.to_string()).collect(),
            signature_algorithm_name: oid::name_of(&c.signature_algorithm.oid).map(str::to_owned),
            public_key_description: crypto::key_description(&c.public_key),
            extended_key_usage_names: e
                .extended_key_usage
                .as_ref()
                .map(|v| v.iter().map(name_or_dotted).collect()),
            policies: e
                .certificate_policies
                .iter()
                .flatten()
                .map(|p| PolicyInfo {
                    oid: p.to_string(),
                    name: oid::name_of(p).map(str::to_owned),
                    mutual_recognition: mutual_recognition_version(p),
                })
                .collect(),
            crl_distribution_points: e
                .crl_distribution_points
                .iter()
                .flatten()
                .map(distribution_point)
                .collect(),
            authority_info_access: crate::x509::aia::authority_info_access(c)
                .into_iter()
                .map(|a| AccessInfo {
                    method: name_or_dotted(&a.method),
                    location: a.location,
                })
                .collect(),
            subject_key_identifier: e.subject_key_id.as_ref().map(hex::encode),
            authority_key_identifier: e
                .authority_key_id
                .as_ref()
                .and_then(|a| a.key_id.as_ref())
                .map(hex::encode),
            sha1: hex::encode(crypto::DigestAlgorithm::Sha1.digest(&c.der)),
        }
    }
}

/// A description of one CRL.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CrlInfo {
    /// Issuer DN.
    pub issuer: String,
    /// thisUpdate.
    pub this_update: String,
    /// nextUpdate.
    pub next_update: Option<String>,
    /// cRLNumber, hex.
    pub crl_number: Option<String>,
    /// True for a delta CRL.
    pub delta: bool,
    /// Number of revoked entries.
    pub entries: usize,
    /// SHA-256, hex.
    pub sha256: String,
}

impl CrlInfo {
    /// Describes a CRL.
    pub fn of(c: &Crl) -> CrlInfo {
        CrlInfo {
            issuer: c.issuer.to_string(),
            this_update: format_time(c.this_update),
            next_update: c.next_update.map(format_time),
            crl_number: c.extensions.crl_number.as_ref().map(hex::encode),
            delta: c.is_delta(),
            entries: c.entries.len(),
            sha256: c.fingerprint(),
        }
    }
}

/// A description of one SignerInfo.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignerInfoSummary {
    /// The signer identifier.
    pub signer_id: String,
    /// Digest algorithm OID.
    pub digest_algorithm: String,
    /// Signature algorithm OID.
    pub signature_algorithm: String,
    /// Claimed signing time.
    pub claimed_signing_time: Option<String>,
    /// Signed attribute OIDs.
    pub signed_attributes: Vec<String>,
    /// Counter-signatures.
    pub counter_signatures: usize,
    /// The digest algorithm's name, when known.
    #[serde(default)]
    pub digest_algorithm_name: Option<String>,
    /// The signature algorithm's name, when known.
    #[serde(default)]
    pub signature_algorithm_name: Option<String>,
    /// The signed attributes by name (dotted when unnamed), in order.
    #[serde(default)]
    pub signed_attribute_names: Vec<String>,
    /// The unsigned attributes by name (dotted when unnamed), in order.
    #[serde(default)]
    pub unsigned_attribute_names: Vec<String>,
}

impl SignerInfoSummary {
    /// Describes a SignerInfo.
    pub fn of(s: &cms::SignerInfo) -> SignerInfoSummary {
        SignerInfoSummary {
            signer_id: match &s.sid {
                SignerId::IssuerSerial { issuer, serial } => {
                    format!("issuer {issuer}, serial {}", hex::encode(serial))
                }
                SignerId::SubjectKeyId(k) => {
                    format!("subjectKeyIdentifier {}", hex::encode(k))
                }
            },
            digest_algorithm: s.digest_algorithm.oid.to_string(),
            signature_algorithm: s.signature_algorithm.oid.to_string(),
            claimed_signing_time: s
                .signed_attrs
                .as_ref()
                .and_then(|a| a.signing_time)
                .map(format_time),
            signed_attributes: s
                .signed_attrs
                .as_ref()
                .map(|a| a.attributes.iter().map(|x| x.oid.to_string()).collect())
                .unwrap_or_default(),
            counter_signatures: s.counter_signatures.len(),
            digest_algorithm_name: oid::name_of(&s.digest_algorithm.oid).map(str::to_owned),
            signature_algorithm_name: oid::name_of(&s.signature_algorithm.oid).map(str::to_owned),
            signed_attribute_names: s
                .signed_attrs
                .as_ref()
                .map(|a| {
                    a.attributes
                        .iter()
                        .map(|x| name_or_dotted(&x.oid))
                        .collect()
                })
                .unwrap_or_default(),
            unsigned_attribute_names: s
                .unsigned_attrs
                .iter()
                .map(|x| name_or_dotted(&x.oid))
                .collect(),
        }
    }
}

/// What a file holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Inspection {
    /// One or more certificates.
    Certificates {
        /// Each certificate.
        certificates: Vec<CertificateInfo>,
    },
    /// One or more CRLs.
    Crls {
        /// Each CRL.
        crls: Vec<CrlInfo>,
    },
    /// A CMS SignedData.
    SignedData {
        /// eContentType OID.
        content_type: String,
        /// Length of the attached content, or null when detached.
        content_length: Option<usize>,
        /// The signers.
        signers: Vec<SignerInfoSummary>,
        /// The certificates carried.
        certificates: Vec<CertificateInfo>,
        /// The CRLs carried.
        crls: Vec<CrlInfo>,
    },
    /// A PDF document: revisions, signatures and the DSS, described without judging.
    Pdf(Box<PdfInspection>),
    /// An OFD package (GB/T 33190) and its seals and signatures, read but not verified.
    Ofd {
        /// How many ZIP entries (files and folders).
        entries: usize,
        /// The documents (`DocBody`).
        documents: Vec<OfdDocumentInfo>,
        /// Every listed seal or signature.
        signatures: Vec<OfdSignatureInfo>,
    },
}

/// The `format` of [`InspectReport`].
pub const INSPECT_FORMAT: &str = "sigbridge-inspect/1";

/// What `sigbridge inspect --format json` prints.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InspectReport {
    /// [`INSPECT_FORMAT`].
    pub format: String,
    /// The file inspected.
    pub file: String,
    /// `smime` when the SignedData came inside an S/MIME message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// What it holds (`kind`: `certificates`, `crls`, `signed_data`, `pdf`, `ofd`).
    #[serde(flatten)]
    pub inspection: Inspection,
}

impl InspectReport {
    /// The report on `file`.
    pub fn new(file: &str, inspection: Inspection) -> InspectReport {
        InspectReport {
            format: INSPECT_FORMAT.to_owned(),
            file: file.to_owned(),
            container: None,
            inspection,
        }
    }
}

/// Why nothing could be recognised.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}: {}", self.summary())]
pub struct InspectError {
    /// What the bytes are, when they are something sigbridge knows but cannot inspect (a
    /// private key, text, a PDF …).
    pub found: Option<Found>,
    /// Where the bytes came from.
    pub source_name: String,
    /// Why it is not a certificate.
    pub certificate: String,
    /// Why it is not a CRL.
    pub crl: String,
    /// Why it is not a CMS SignedData.
    pub cms: String,
    /// For a ZIP package: why it is not an OFD package sigbridge can read (nothing else is
    /// tried).
    pub ofd: Option<String>,
}

impl InspectError {
    /// What happened, in words (without the source name).
    pub fn summary(&self) -> String {
        if let Some(e) = &self.ofd {
            return format!("a ZIP package, but not an OFD package that sigbridge can read: {e}");
        }
        match self.found {
            Some(f) => {
                let (what, next) = super::words::found(f);
                format!("{what}. {next}")
            }
            None => format!(
                "not a certificate, CRL or CMS SignedData that sigbridge can read. As a certificate: {}. As a CRL: {}. As CMS: {}",
                self.certificate, self.crl, self.cms
            ),
        }
    }
}

/// What a file holds, for [`inspect`]: a SignedData inside an S/MIME message (`.eml`) is
/// unwrapped first; the second value is `Some("smime")` then.
// One error per inspected file, off any hot path: its size does not matter.
#[allow(clippy::result_large_err)]
pub fn inspect_file(
    bytes: &[u8],
    source_name: &str,
    limits: &Limits,
) -> Result<(Inspection, Option<&'static str>), InspectError> {
    if sniff(bytes) == FileKind::Mime {
        return match crate::document::smime::parse(bytes, limits) {
            Ok(m) => inspect(m.cms_bytes(), source_name, limits).map(|i| (i, Some("smime"))),
            Err(e) => Err(InspectError {
                found: None,
                source_name: source_name.to_string(),
                certificate: "an e-mail message is not a certificate".to_string(),
                crl: "an e-mail message is not a CRL".to_string(),
                cms: format!("S/MIME: {e}"),
                ofd: None,
            }),
        };
    }
    inspect(bytes, source_name, limits).map(|i| (i, None))
}

/// Describes what `bytes` hold: a PDF or an OFD package (a ZIP), told from their bytes,
/// else certificates, then CRLs, then a CMS SignedData.
// One error per inspected file, off any hot path: its size does not matter.
#[allow(clippy::result_large_err)]
pub fn inspect(
    bytes: &[u8],
    source_name: &str,
    limits: &Limits,
) -> Result<Inspection, InspectError> {
    if crate::document::sniff(bytes) == crate::document::FileKind::Pdf {
        let source: std::sync::Arc<dyn crate::document::pdf::Source> =
            std::sync::Arc::new(bytes.to_vec());
        return inspect_pdf(source, limits)
            .map(|p| Inspection::Pdf(Box::new(p)))
            .map_err(|e| InspectError {
                found: None,
                source_name: source_name.to_string(),
                certificate: "the bytes are a PDF".to_string(),
                crl: "the bytes are a PDF".to_string(),
                cms: format!("a PDF that cannot be read: {e}"),
                ofd: None,
            });
    }
    if sniff(bytes) == FileKind::Zip {
        return inspect_ofd(bytes, limits).map_err(|e| InspectError {
            found: None,
            source_name: source_name.to_string(),
            certificate: String::new(),
            crl: String::new(),
            cms: String::new(),
            ofd: Some(e.to_string()),
        });
    }
    let certs = crate::x509::certificates_from_bytes(bytes, source_name, limits);
    if let Ok(list) = &certs {
        return Ok(Inspection::Certificates {
            certificates: list.iter().map(CertificateInfo::of).collect(),
        });
    }
    let crls = crate::x509::crls_from_bytes(bytes, source_name, limits);
    if let Ok(list) = &crls {
        return Ok(Inspection::Crls {
            crls: list.iter().map(CrlInfo::of).collect(),
        });
    }
    match cms::parse(bytes, limits) {
        Ok(sd) => Ok(Inspection::SignedData {
            content_type: sd.content_type.to_string(),
            content_length: sd.content.as_ref().map(Vec::len),
            signers: sd.signers.iter().map(SignerInfoSummary::of).collect(),
            certificates: sd
                .certificates
                .iter()
                .map(|c| CertificateInfo::of(c))
                .collect(),
            crls: sd.crls.iter().map(|c| CrlInfo::of(c)).collect(),
        }),
        Err(cms) => Err(InspectError {
            found: match identify(bytes, limits) {
                Found::OtherAsn1
                | Found::OtherPem
                | Found::Certificate { .. }
                | Found::Crl { .. }
                | Found::CertificateBundle { .. } => None,
                f => Some(f),
            },
            source_name: source_name.to_string(),
            certificate: certs.err().map(|e| e.to_string()).unwrap_or_default(),
            crl: crls.err().map(|e| e.to_string()).unwrap_or_default(),
            cms: cms.to_string(),
            ofd: None,
        }),
    }
}
