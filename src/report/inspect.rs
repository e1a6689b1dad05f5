//! Inspect: what a file holds — certificates, CRLs, a CMS SignedData or an OFD package with
//! its seals — described as data (serialisable) without judging trust. Used by
//! `sigbridge inspect` and by embedders that want to show a document's contents.

use super::document::{OfdSeal, OfdTime};
use crate::asn1::format_time;
use crate::crypto;
use crate::document::cms::{self, SignerId};
use crate::document::ofd::{self, OfdPackage, OfdSummary, SignatureKind};
use crate::document::{sniff, FileKind};
use crate::x509::{Certificate, Crl};
use crate::Limits;
use serde::{Deserialize, Serialize};

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

/// One document of an OFD package.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OfdDocumentInfo {
    /// Position among the `DocBody` elements.
    pub index: usize,
    /// `DocID`.
    pub doc_id: Option<String>,
    /// The `Document.xml` entry.
    pub doc_root: String,
    /// The `Signatures.xml` entry, when the document has one.
    pub signatures: Option<String>,
}

/// One seal or signature of an OFD package, as listed and parsed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OfdSignatureInfo {
    /// The document it belongs to.
    pub document: usize,
    /// `ID`.
    pub id: String,
    /// `Type`: `seal` (also when absent), `sign`, or another value as written.
    pub kind: String,
    /// `Relative`: the signature this one counter-signs.
    pub relative: Option<String>,
    /// The `Signature.xml` entry.
    pub path: Option<String>,
    /// `Provider` name, version and company, as written.
    pub provider: Option<String>,
    /// `SignatureMethod` as written.
    pub signature_method: Option<String>,
    /// `SignatureDateTime`.
    pub signature_date_time: Option<OfdTime>,
    /// `CheckMethod` as written (absent: SM3).
    pub check_method: Option<String>,
    /// How many files the signature references.
    pub references: usize,
    /// How many `StampAnnot`s show the seal.
    pub stamp_annots: usize,
    /// `V1`, `V4`, `SignedData` or `bare`.
    pub format: Option<String>,
    /// The seal's properties and picture (V1 and V4).
    pub seal: Option<OfdSeal>,
    /// The signer's certificate subject.
    pub signer: Option<String>,
    /// `timeInfo` (V1 and V4).
    pub time_info: Option<OfdTime>,
    /// Why the signature or its value could not be read.
    pub error: Option<String>,
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
    /// What it holds (`kind`: `certificates`, `crls`, `signed_data`, `ofd`).
    #[serde(flatten)]
    pub inspection: Inspection,
}

impl InspectReport {
    /// The report on `file`.
    pub fn new(file: &str, inspection: Inspection) -> InspectReport {
        InspectReport {
            format: INSPECT_FORMAT.to_owned(),
            file: file.to_owned(),
            inspection,
        }
    }
}

/// Why nothing could be recognised.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.describe())]
pub struct InspectError {
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
    fn describe(&self) -> String {
        match &self.ofd {
            Some(e) => format!(
                "{}: a ZIP package, but not an OFD package that sigbridge can read: {e}",
                self.source_name
            ),
            None => format!(
                "{}: not a certificate, CRL or CMS SignedData that sigbridge can read (certificate: {}; CRL: {}; CMS: {})",
                self.source_name, self.certificate, self.crl, self.cms
            ),
        }
    }
}

/// Describes an OFD package: documents, signatures, seal properties and pictures.
pub fn inspect_ofd(bytes: &[u8], limits: &Limits) -> Result<Inspection, ofd::OfdError> {
    let package = OfdPackage::open(bytes.to_vec(), limits)?;
    let summary = OfdSummary::of(&package)?;
    Ok(Inspection::Ofd {
        entries: summary.entries,
        documents: summary
            .documents
            .into_iter()
            .map(|d| OfdDocumentInfo {
                index: d.index,
                doc_id: d.doc_id,
                doc_root: d.doc_root,
                signatures: d.signatures,
            })
            .collect(),
        signatures: summary.signatures.iter().map(signature_info).collect(),
    })
}

fn signature_info(s: &ofd::summary::SignatureSummary) -> OfdSignatureInfo {
    OfdSignatureInfo {
        document: s.document,
        id: s.id.clone(),
        kind: match &s.kind {
            SignatureKind::Seal => "seal".to_owned(),
            SignatureKind::Sign => "sign".to_owned(),
            SignatureKind::Other(t) => t.clone(),
        },
        relative: s.relative.clone(),
        path: s.path.clone(),
        provider: s.provider.as_ref().map(|p| {
            [&p.name, &p.version, &p.company]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        }),
        signature_method: s.signature_method.clone(),
        signature_date_time: s.signature_date_time.as_ref().map(OfdTime::of),
        check_method: s.check_method.clone(),
        references: s.references,
        stamp_annots: s.stamp_annots,
        format: s.format.map(str::to_owned),
        seal: s.seal.as_ref().map(OfdSeal::of),
        signer: s.signer.clone(),
        time_info: s.time_info.as_ref().map(OfdTime::of),
        error: s.error.clone(),
    }
}

/// Describes what `bytes` hold: an OFD package when they are a ZIP, else certificates, then
/// CRLs, then a CMS SignedData.
pub fn inspect(
    bytes: &[u8],
    source_name: &str,
    limits: &Limits,
) -> Result<Inspection, InspectError> {
    if sniff(bytes) == FileKind::Zip {
        return inspect_ofd(bytes, limits).map_err(|e| InspectError {
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
            signers: sd
                .signers
                .iter()
                .map(|s| SignerInfoSummary {
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
                })
                .collect(),
            certificates: sd
                .certificates
                .iter()
                .map(|c| CertificateInfo::of(c))
                .collect(),
            crls: sd.crls.iter().map(|c| CrlInfo::of(c)).collect(),
        }),
        Err(cms) => Err(InspectError {
            source_name: source_name.to_string(),
            certificate: certs.err().map(|e| e.to_string()).unwrap_or_default(),
            crl: crls.err().map(|e| e.to_string()).unwrap_or_default(),
            cms: cms.to_string(),
            ofd: None,
        }),
    }
}
