//! What `inspect` shows of an OFD package: its documents and every seal or signature as
//! listed and parsed (nothing verified).

use super::Inspection;
use crate::document::ofd::{self, OfdPackage, OfdSummary};
use crate::report::document::{OfdSeal, OfdTime};
use crate::Limits;
use serde::{Deserialize, Serialize};

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
            ofd::SignatureKind::Seal => "seal".to_owned(),
            ofd::SignatureKind::Sign => "sign".to_owned(),
            ofd::SignatureKind::Other(t) => t.clone(),
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
