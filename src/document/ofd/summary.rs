//! What `inspect FILE.ofd` shows: the documents, the signatures and their seals (name, type,
//! esID, validity, maker, picture format and size), without verifying anything.

use serde::{Serialize, Serializer};

use super::model::{Provider, SignatureKind};
use super::package::OfdPackage;
use super::seal::{Picture, Seal, SesVersion};
use super::ses::{self, SignedValue};
use super::time::SesTime;
use super::OfdError;

/// Serialises bytes as lower-case hex.
pub(super) fn ser_hex<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(bytes))
}

/// Serialises a list of byte strings as their lengths.
pub(super) fn ser_lens<S: Serializer>(items: &[Vec<u8>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(items.iter().map(Vec::len))
}

/// Serialises through `Display`.
pub(super) fn ser_display<T: std::fmt::Display, S: Serializer>(
    v: &T,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// A seal's properties.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SealSummary {
    /// V1 or V4.
    pub version: SesVersion,
    /// `header.Vid`.
    pub vid: String,
    /// `esID`.
    pub es_id: String,
    /// `property.name`.
    pub name: String,
    /// `property.type`.
    pub seal_type: u32,
    /// `property.certListType`.
    pub cert_list_type: Option<u32>,
    /// How many certificates the certList names.
    pub cert_list_len: usize,
    /// `createDate`.
    pub create_date: SesTime,
    /// `validStart`.
    pub valid_start: SesTime,
    /// `validEnd`.
    pub valid_end: SesTime,
    /// The maker's certificate subject.
    pub maker: Option<String>,
    /// The maker's certificate issuer.
    pub maker_issuer: Option<String>,
    /// The seal's picture (format, size, dimensions).
    pub picture: Picture,
}

impl SealSummary {
    /// The summary of a parsed seal.
    pub fn of(seal: &Seal) -> SealSummary {
        let p = &seal.info.property;
        let p0 = &seal.info.picture;
        let picture = Picture {
            kind: p0.kind.clone(),
            detected_format: p0.detected_format,
            data: Vec::new(),
            size: p0.size,
            width: p0.width,
            height: p0.height,
        };
        SealSummary {
            version: seal.version,
            vid: seal.info.header.vid.clone(),
            es_id: seal.info.es_id.clone(),
            name: p.name.clone(),
            seal_type: p.seal_type,
            cert_list_type: p.cert_list_type,
            cert_list_len: p.cert_list.len(),
            create_date: p.create_date.clone(),
            valid_start: p.valid_start.clone(),
            valid_end: p.valid_end.clone(),
            maker: seal
                .maker
                .certificate
                .as_ref()
                .map(|c| c.subject.to_string()),
            maker_issuer: seal
                .maker
                .certificate
                .as_ref()
                .map(|c| c.issuer.to_string()),
            picture,
        }
    }
}

/// One document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DocumentSummary {
    /// Position among the `DocBody` elements.
    pub index: usize,
    /// `DocID`.
    pub doc_id: Option<String>,
    /// The `Document.xml` entry.
    pub doc_root: String,
    /// The `Signatures.xml` entry.
    pub signatures: Option<String>,
}

/// One signature, as listed and parsed (not verified).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SignatureSummary {
    /// The document.
    pub document: usize,
    /// `ID`.
    pub id: String,
    /// `Type`.
    pub kind: SignatureKind,
    /// `Relative`.
    pub relative: Option<String>,
    /// The `Signature.xml` entry.
    pub path: Option<String>,
    /// `Provider`.
    pub provider: Option<Provider>,
    /// `SignatureMethod`.
    pub signature_method: Option<String>,
    /// `SignatureDateTime`.
    pub signature_date_time: Option<SesTime>,
    /// `CheckMethod`.
    pub check_method: Option<String>,
    /// How many references.
    pub references: usize,
    /// How many `StampAnnot`s.
    pub stamp_annots: usize,
    /// `V1`, `V4`, `SignedData` or `bare`.
    pub format: Option<&'static str>,
    /// The seal (V1/V4).
    pub seal: Option<SealSummary>,
    /// The signer's certificate subject.
    pub signer: Option<String>,
    /// `timeInfo` (V1/V4).
    pub time_info: Option<SesTime>,
    /// Why the signature or its value could not be read.
    pub error: Option<String>,
}

/// The whole package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OfdSummary {
    /// How many ZIP entries (files and folders).
    pub entries: usize,
    /// The documents.
    pub documents: Vec<DocumentSummary>,
    /// The signatures.
    pub signatures: Vec<SignatureSummary>,
}

impl OfdSummary {
    /// Reads what `inspect` shows from a package.
    pub fn of(package: &OfdPackage) -> Result<OfdSummary, OfdError> {
        let documents = package
            .documents()?
            .into_iter()
            .map(|d| DocumentSummary {
                index: d.index,
                doc_id: d.doc_id,
                doc_root: d.doc_root,
                signatures: d.signatures,
            })
            .collect();
        let signatures = package
            .signatures()?
            .into_iter()
            .map(|l| {
                let mut s = SignatureSummary {
                    document: l.document,
                    id: l.id,
                    kind: l.kind,
                    relative: l.relative,
                    path: None,
                    provider: None,
                    signature_method: None,
                    signature_date_time: None,
                    check_method: None,
                    references: 0,
                    stamp_annots: 0,
                    format: None,
                    seal: None,
                    signer: None,
                    time_info: None,
                    error: None,
                };
                match l.signature {
                    Ok(sig) => fill(package, &sig, &mut s),
                    Err(e) => s.error = Some(e.to_string()),
                }
                s
            })
            .collect();
        Ok(OfdSummary {
            entries: package.entries().len(),
            documents,
            signatures,
        })
    }
}

fn fill(package: &OfdPackage, sig: &super::OfdSignature, s: &mut SignatureSummary) {
    let info = &sig.signed_info;
    s.path = Some(sig.path.clone());
    s.provider = Some(info.provider.clone());
    s.signature_method = info.signature_method.clone();
    s.signature_date_time = info.signature_date_time.clone();
    s.check_method = info.check_method.clone();
    s.references = info.references.len();
    s.stamp_annots = info.stamp_annots.len();
    let value = package
        .read(&sig.signed_value)
        .and_then(|b| ses::parse_signed_value(&b, &package.limits));
    match value {
        Ok(v) => {
            s.format = Some(v.format());
            match &v {
                SignedValue::Ses(ses) => {
                    s.seal = Some(SealSummary::of(&ses.seal));
                    s.signer = ses
                        .signer
                        .certificate
                        .as_ref()
                        .map(|c| c.subject.to_string());
                    s.time_info = Some(ses.time_info.clone());
                }
                SignedValue::SignedData(sd) => {
                    s.signer = sd
                        .signers
                        .first()
                        .and_then(|si| {
                            crate::document::cms::find_signer_certificate(si, &sd.certificates)
                        })
                        .map(|c| c.subject.to_string());
                }
                SignedValue::Bare(_) => {}
            }
        }
        Err(e) => s.error = Some(e.to_string()),
    }
}
