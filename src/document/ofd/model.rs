//! The OFD document model as far as signatures need it: `OFD.xml` → `DocBody` (one per
//! document) → `DocRoot` and the `Signatures` list it names → each `Signature.xml`.
//!
//! Locations (`ST_Loc`) are resolved exactly: one leading `/` means "from the package root",
//! anything else is relative to the folder of the file that holds it. The result must be a
//! canonical entry name (no `.`, `..`, empty segment or backslash), which is then looked up
//! case-sensitively; nothing is normalised, so two different locations never reach the same
//! entry and one location never reaches two.

use roxmltree::Node;
use serde::Serialize;

use super::package::OfdPackage;
use super::time::{SesTime, TimeForm};
use super::xml;
use super::zipcheck::name_problem;
use super::OfdError;

/// The package's main file.
pub const OFD_XML: &str = "OFD.xml";

/// One document (`DocBody`) of the package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OfdDocument {
    /// Position among the `DocBody` elements.
    pub index: usize,
    /// `DocInfo/DocID`.
    pub doc_id: Option<String>,
    /// The `DocRoot` entry (`Doc_0/Document.xml`).
    pub doc_root: String,
    /// The signature list entry (`Doc_0/Signs/Signatures.xml`), when the document has one.
    pub signatures: Option<String>,
}

/// `Type` of a signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SignatureKind {
    /// An electronic seal (`Type="Seal"` or no `Type`).
    Seal,
    /// A digital signature (`Type="Sign"`).
    Sign,
    /// Another value, as written.
    Other(String),
}

/// `Provider`: who made the signature (attributes or child elements, as producers write it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Provider {
    /// `ProviderName`.
    pub name: Option<String>,
    /// `Version`.
    pub version: Option<String>,
    /// `Company`.
    pub company: Option<String>,
}

/// One `Reference`: a protected file and its expected digest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Reference {
    /// `FileRef` as written.
    pub file_ref: String,
    /// The entry it resolves to, or why it resolves to none.
    pub path: Result<String, String>,
    /// `CheckValue`, base64-decoded, or why it does not decode.
    #[serde(skip)]
    pub check_value: Result<Vec<u8>, String>,
}

/// One `StampAnnot`: where the seal's picture is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StampAnnot {
    /// `ID`.
    pub id: Option<String>,
    /// `PageRef`.
    pub page_ref: Option<String>,
    /// `Boundary`.
    pub boundary: Option<String>,
    /// `Clip`.
    pub clip: Option<String>,
}

/// `SignedInfo`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SignedInfo {
    /// `Provider`.
    pub provider: Provider,
    /// `SignatureMethod` as written.
    pub signature_method: Option<String>,
    /// `SignatureDateTime`.
    pub signature_date_time: Option<SesTime>,
    /// `References/@CheckMethod` as written (absent means SM3).
    pub check_method: Option<String>,
    /// `References/Reference`, in order.
    pub references: Vec<Reference>,
    /// `StampAnnot`s.
    pub stamp_annots: Vec<StampAnnot>,
    /// `Seal/BaseLoc`: the seal file, resolved (or why not).
    pub seal: Option<Result<String, String>>,
}

/// A parsed `Signature.xml`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OfdSignature {
    /// Its entry name.
    pub path: String,
    /// Its raw bytes: what `dataHash` and the signature cover.
    #[serde(skip)]
    pub xml: Vec<u8>,
    /// `SignedInfo`.
    pub signed_info: SignedInfo,
    /// `SignedValue`: the entry holding the signature value, resolved.
    pub signed_value: String,
}

/// One entry of a `Signatures.xml` list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ListedSignature {
    /// The document ([`OfdDocument::index`]).
    pub document: usize,
    /// `ID`.
    pub id: String,
    /// `Type`.
    pub kind: SignatureKind,
    /// `Relative`: the ID of the signature this one counter-signs.
    pub relative: Option<String>,
    /// The list it appears in.
    pub listed_in: String,
    /// `BaseLoc` as written.
    pub base_loc: String,
    /// The parsed `Signature.xml`, or why it could not be read.
    #[serde(skip)]
    pub signature: Result<OfdSignature, OfdError>,
}

/// The folder of an entry name (`Doc_0/Signs` for `Doc_0/Signs/Signatures.xml`).
pub(super) fn folder(name: &str) -> &str {
    name.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Resolves a location against the folder `base`; see the module header.
pub fn resolve(base: &str, loc: &str) -> Result<String, &'static str> {
    let loc = loc.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\r' | '\n'));
    let name = match loc.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None if base.is_empty() => loc.to_owned(),
        None => format!("{base}/{loc}"),
    };
    match name_problem(&name) {
        Some(reason) => Err(reason),
        None => Ok(name),
    }
}

fn resolve_in(file: &str, loc: &str) -> Result<String, OfdError> {
    resolve(folder(file), loc).map_err(|reason| OfdError::Path {
        file: file.to_owned(),
        loc: loc.to_owned(),
        reason,
    })
}

impl OfdPackage {
    /// Reads `name` as XML and hands its root element to `f`.
    pub(super) fn with_xml<T>(
        &self,
        name: &str,
        f: impl FnOnce(Node<'_, '_>) -> Result<T, OfdError>,
    ) -> Result<T, OfdError> {
        let bytes = self.read(name)?;
        let text = xml::text(&bytes, name, &self.limits)?;
        let doc = xml::parse(text, name, &self.limits)?;
        f(doc.root_element())
    }

    /// The documents `OFD.xml` lists.
    pub fn documents(&self) -> Result<Vec<OfdDocument>, OfdError> {
        self.with_xml(OFD_XML, |root| {
            if !xml::is(root, "OFD") {
                return Err(OfdError::Structure {
                    file: OFD_XML.into(),
                    detail: format!(
                        "the root element is <{}>, not <OFD>",
                        root.tag_name().name()
                    ),
                });
            }
            let mut docs = Vec::new();
            for (index, body) in xml::children(root, "DocBody").enumerate() {
                let doc_root = xml::child_text(body, "DocRoot", OFD_XML)?.ok_or_else(|| {
                    OfdError::Structure {
                        file: OFD_XML.into(),
                        detail: format!("DocBody {index} has no <DocRoot>"),
                    }
                })?;
                let signatures = match xml::child_text(body, "Signatures", OFD_XML)? {
                    Some(loc) => Some(resolve_in(OFD_XML, &loc)?),
                    None => None,
                };
                let doc_id = match xml::child(body, "DocInfo", OFD_XML)? {
                    Some(info) => xml::child_text(info, "DocID", OFD_XML)?,
                    None => None,
                };
                docs.push(OfdDocument {
                    index,
                    doc_id,
                    doc_root: resolve_in(OFD_XML, &doc_root)?,
                    signatures,
                });
            }
            if docs.is_empty() {
                return Err(OfdError::Structure {
                    file: OFD_XML.into(),
                    detail: "no <DocBody>".into(),
                });
            }
            Ok(docs)
        })
    }

    /// Every signature the documents' `Signatures.xml` lists, each with its parsed
    /// `Signature.xml` (or the error that prevented it).
    pub fn signatures(&self) -> Result<Vec<ListedSignature>, OfdError> {
        let mut out = Vec::new();
        for doc in self.documents()? {
            let Some(list) = &doc.signatures else {
                continue;
            };
            let entries = self.with_xml(list, |root| signature_list(root, list))?;
            for (id, kind, relative, base_loc) in entries {
                if out.len() >= self.limits.max_ofd_signatures {
                    return Err(OfdError::Limit {
                        field: "max_ofd_signatures",
                        what: "signatures listed".into(),
                        value: out.len() as u64 + 1,
                        limit: self.limits.max_ofd_signatures as u64,
                    });
                }
                let signature =
                    resolve_in(list, &base_loc).and_then(|path| self.signature_xml(&path));
                out.push(ListedSignature {
                    document: doc.index,
                    id,
                    kind,
                    relative,
                    listed_in: list.clone(),
                    base_loc,
                    signature,
                });
            }
        }
        Ok(out)
    }

    /// Reads and parses one `Signature.xml`.
    pub fn signature_xml(&self, path: &str) -> Result<OfdSignature, OfdError> {
        let bytes = self.read(path)?;
        let text = xml::text(&bytes, path, &self.limits)?;
        let doc = xml::parse(text, path, &self.limits)?;
        let root = xml::root(&doc, "Signature", path)?;
        let info = xml::required(root, "SignedInfo", path)?;
        let value =
            xml::child_text(root, "SignedValue", path)?.ok_or_else(|| OfdError::Structure {
                file: path.to_owned(),
                detail: "<Signature> has no <SignedValue>".into(),
            })?;
        let signed_info = signed_info(info, path)?;
        let signed_value = resolve_in(path, &value)?;
        drop(doc);
        Ok(OfdSignature {
            path: path.to_owned(),
            xml: bytes,
            signed_info,
            signed_value,
        })
    }
}

type ListEntry = (String, SignatureKind, Option<String>, String);

fn signature_list(root: Node<'_, '_>, file: &str) -> Result<Vec<ListEntry>, OfdError> {
    if !xml::is(root, "Signatures") {
        return Err(OfdError::Structure {
            file: file.to_owned(),
            detail: format!(
                "the root element is <{}>, not <Signatures>",
                root.tag_name().name()
            ),
        });
    }
    let mut out = Vec::new();
    for s in xml::children(root, "Signature") {
        let base_loc = xml::attr(s, "BaseLoc").ok_or_else(|| OfdError::Structure {
            file: file.to_owned(),
            detail: "a <Signature> has no BaseLoc".into(),
        })?;
        let kind = match xml::attr(s, "Type").as_deref() {
            None | Some("Seal") => SignatureKind::Seal,
            Some("Sign") => SignatureKind::Sign,
            Some(other) => SignatureKind::Other(other.to_owned()),
        };
        out.push((
            xml::attr(s, "ID").unwrap_or_default(),
            kind,
            xml::attr(s, "Relative"),
            base_loc,
        ));
    }
    Ok(out)
}

fn signed_info(info: Node<'_, '_>, file: &str) -> Result<SignedInfo, OfdError> {
    let provider = match xml::child(info, "Provider", file)? {
        Some(p) => {
            let field = |name: &str| -> Result<Option<String>, OfdError> {
                Ok(xml::attr(p, name).or(xml::child_text(p, name, file)?))
            };
            Provider {
                name: field("ProviderName")?,
                version: field("Version")?,
                company: field("Company")?,
            }
        }
        None => Provider::default(),
    };
    let (check_method, references) = match xml::child(info, "References", file)? {
        Some(refs) => (xml::attr(refs, "CheckMethod"), references(refs, file)?),
        None => (None, Vec::new()),
    };
    let seal = match xml::child(info, "Seal", file)? {
        Some(s) => Some(match xml::child_text(s, "BaseLoc", file)? {
            Some(loc) => resolve(folder(file), &loc).map_err(str::to_owned),
            None => Err("<Seal> has no <BaseLoc>".to_owned()),
        }),
        None => None,
    };
    Ok(SignedInfo {
        provider,
        signature_method: xml::child_text(info, "SignatureMethod", file)?,
        signature_date_time: xml::child_text(info, "SignatureDateTime", file)?
            .map(|t| SesTime::new(t, TimeForm::Xml)),
        check_method,
        references,
        stamp_annots: xml::children(info, "StampAnnot")
            .map(|a| StampAnnot {
                id: xml::attr(a, "ID"),
                page_ref: xml::attr(a, "PageRef"),
                boundary: xml::attr(a, "Boundary"),
                clip: xml::attr(a, "Clip"),
            })
            .collect(),
        seal,
    })
}

fn references(refs: Node<'_, '_>, file: &str) -> Result<Vec<Reference>, OfdError> {
    use base64::Engine;
    let mut out = Vec::new();
    for r in xml::children(refs, "Reference") {
        let file_ref = xml::attr(r, "FileRef").unwrap_or_default();
        let path = resolve(folder(file), &file_ref).map_err(str::to_owned);
        let check_value = match xml::child_text(r, "CheckValue", file)? {
            Some(text) => {
                let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
                base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .map_err(|e| format!("CheckValue is not base64: {e}"))
            }
            None => Err("no <CheckValue>".to_owned()),
        };
        out.push(Reference {
            file_ref,
            path,
            check_value,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_resolve_exactly() {
        assert_eq!(
            resolve("", "Doc_0/Document.xml").unwrap(),
            "Doc_0/Document.xml"
        );
        assert_eq!(
            resolve("", "/Doc_0/Document.xml").unwrap(),
            "Doc_0/Document.xml"
        );
        assert_eq!(
            resolve("Doc_0/Signs", "Sign_0/Signature.xml").unwrap(),
            "Doc_0/Signs/Sign_0/Signature.xml"
        );
        assert_eq!(
            resolve("Doc_0/Signs/Sign_0", "/Doc_0/Document.xml").unwrap(),
            "Doc_0/Document.xml"
        );
        assert_eq!(
            resolve("Doc_0", " Pages/P.xml\n").unwrap(),
            "Doc_0/Pages/P.xml"
        );
        for bad in [
            "../OFD.xml",
            "a/./b",
            "//x",
            "a\\b",
            "",
            "/",
            "a//b",
            "a/b/",
        ] {
            assert!(resolve("Doc_0", bad).is_err(), "{bad:?}");
        }
        assert_eq!(folder("OFD.xml"), "");
        assert_eq!(folder("Doc_0/Signs/Signatures.xml"), "Doc_0/Signs");
    }
}
