//! What `inspect` shows of a PDF: its revisions, every signature as the file describes it
//! (with its SignerInfos and certificates) and the DSS contents (nothing verified).

use super::{CertificateInfo, CrlInfo, SignerInfoSummary};
use crate::document::pdf::{
    CoverageLevel, ObjRef, PdfWarning, Revision, SignatureKind, SignatureProblem,
};
use serde::{Deserialize, Serialize};

/// What `inspect` shows of a PDF: its revisions, every signature as the file describes it
/// (nothing verified), and the DSS contents.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PdfInspection {
    /// File length in bytes.
    pub length: u64,
    /// Whether the file is encrypted.
    pub encrypted: bool,
    /// The revisions, oldest first.
    pub revisions: Vec<Revision>,
    /// What is unusual about the file.
    pub warnings: Vec<PdfWarning>,
    /// Every signature and document timestamp, in document order.
    pub signatures: Vec<PdfSignatureInfo>,
    /// The DSS of each revision in which it changed.
    pub dss: Vec<PdfDssInfo>,
}

/// One signature as the file describes it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PdfSignatureInfo {
    /// Position in document order, from 0.
    pub index: usize,
    /// `signature` or `document_timestamp`.
    pub kind: SignatureKind,
    /// Fully qualified field name.
    pub field_name: Option<String>,
    /// `/SubFilter` as written.
    pub sub_filter: Option<String>,
    /// The revision in which the signature dictionary last changed.
    pub revision: usize,
    /// Page of the widget.
    pub page: Option<usize>,
    /// `/ByteRange` as written.
    pub byte_range: Option<Vec<i64>>,
    /// `entire_file`, `entire_revision` or `partial`.
    pub coverage: Option<CoverageLevel>,
    /// Bytes of `/Contents`.
    pub contents_length: Option<usize>,
    /// `/M` as written (claimed).
    pub claimed_time: Option<String>,
    /// `/Reason`.
    pub reason: Option<String>,
    /// `/Location`.
    pub location: Option<String>,
    /// What is wrong with the dictionary.
    pub problems: Vec<SignatureProblem>,
    /// The CMS's eContentType, when `/Contents` is a SignedData.
    pub content_type: Option<String>,
    /// Its SignerInfos.
    pub signers: Vec<SignerInfoSummary>,
    /// The certificates it carries.
    pub certificates: Vec<CertificateInfo>,
    /// Why `/Contents` is not a SignedData sigbridge can read.
    pub cms_error: Option<String>,
}

/// One revision's DSS, described.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PdfDssInfo {
    /// The revision.
    pub revision: usize,
    /// `/Certs`.
    pub certificates: Vec<CertificateInfo>,
    /// `/CRLs`.
    pub crls: Vec<CrlInfo>,
    /// `/OCSPs`: length and SHA-256 of each response (not decoded yet).
    pub ocsp_responses: Vec<PdfBlobInfo>,
    /// `/VRI` entries.
    pub vri: Vec<PdfVriInfo>,
    /// Entries that could not be read.
    pub problems: Vec<String>,
}

/// A DSS stream not decoded further.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PdfBlobInfo {
    /// The stream object.
    pub object: Option<ObjRef>,
    /// Decoded length.
    pub length: usize,
    /// SHA-256 of the decoded bytes, lower-case hex.
    pub sha256: String,
}

/// One `/VRI` entry, counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PdfVriInfo {
    /// Upper-case hex SHA-1 of the signature's `/Contents`.
    pub key: String,
    /// `/Cert` entries.
    pub certificates: usize,
    /// `/CRL` entries.
    pub crls: usize,
    /// `/OCSP` entries.
    pub ocsp_responses: usize,
    /// Whether `/TS` is present.
    pub timestamp: bool,
    /// `/TU` (claimed).
    pub time: Option<String>,
}

/// Describes a PDF read from `source`.
pub fn inspect_pdf(
    source: std::sync::Arc<dyn crate::document::pdf::Source>,
    limits: &crate::Limits,
) -> Result<PdfInspection, crate::document::pdf::PdfError> {
    let doc = crate::document::pdf::PdfDocument::open_shared(source, limits)?;
    let sigs = doc.signatures()?;
    let signatures = sigs
        .iter()
        .map(|s| {
            let cms = s.cms().map(|c| crate::document::cms::parse(c, limits));
            let (content_type, signers, certificates, cms_error) = match cms {
                Some(Ok(sd)) => (
                    Some(sd.content_type.to_string()),
                    sd.signers.iter().map(SignerInfoSummary::of).collect(),
                    sd.certificates
                        .iter()
                        .map(|c| CertificateInfo::of(c))
                        .collect(),
                    None,
                ),
                Some(Err(e)) => (None, Vec::new(), Vec::new(), Some(e.to_string())),
                None => (None, Vec::new(), Vec::new(), None),
            };
            PdfSignatureInfo {
                index: s.index,
                kind: s.kind,
                field_name: s.field_name.clone(),
                sub_filter: crate::report::pdf::sub_filter_name(&s.sub_filter),
                revision: s.revision,
                page: s.page,
                byte_range: s.byte_range.clone(),
                coverage: doc.coverage(s).ok().map(|c| c.level),
                contents_length: s.contents_length,
                claimed_time: s.claimed_time.clone(),
                reason: s.reason.clone(),
                location: s.location.clone(),
                problems: s.problems.clone(),
                content_type,
                signers,
                certificates,
                cms_error,
            }
        })
        .collect();
    let dss = doc
        .dss()?
        .iter()
        .map(|d| {
            let mut problems = d.problems.clone();
            let certificates = d
                .certs
                .iter()
                .filter_map(|c| match crate::x509::Certificate::from_der(&c.data) {
                    Ok(x) => Some(CertificateInfo::of(&x)),
                    Err(e) => {
                        problems.push(format!("{:?}: {e}", c.object));
                        None
                    }
                })
                .collect();
            let crls = d
                .crls
                .iter()
                .filter_map(
                    |c| match crate::x509::Crl::from_der(&c.data, limits.max_crl_entries) {
                        Ok(x) => Some(CrlInfo::of(&x)),
                        Err(e) => {
                            problems.push(format!("{:?}: {e}", c.object));
                            None
                        }
                    },
                )
                .collect();
            PdfDssInfo {
                revision: d.revision,
                certificates,
                crls,
                ocsp_responses: d
                    .ocsps
                    .iter()
                    .map(|o| PdfBlobInfo {
                        object: o.object,
                        length: o.length,
                        sha256: hex::encode(crate::crypto::DigestAlgorithm::Sha256.digest(&o.data)),
                    })
                    .collect(),
                vri: d
                    .vri
                    .iter()
                    .map(|v| PdfVriInfo {
                        key: v.key.clone(),
                        certificates: v.certs.len(),
                        crls: v.crls.len(),
                        ocsp_responses: v.ocsps.len(),
                        timestamp: v.timestamp.is_some(),
                        time: v.time.clone(),
                    })
                    .collect(),
                problems,
            }
        })
        .collect();
    Ok(PdfInspection {
        length: doc.len(),
        encrypted: doc.is_encrypted(),
        revisions: doc.revisions().to_vec(),
        warnings: doc.warnings().to_vec(),
        signatures,
        dss,
    })
}
