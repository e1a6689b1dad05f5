//! Signatures found: every `/FT /Sig` field of the AcroForm field tree (nested `/Kids`,
//! inherited `/FT` and `/V`) whose value is set, document timestamps among them, with the
//! facts a verifier needs. A signature dictionary whose `/Contents` or `/ByteRange` is
//! missing, null, empty or mistyped is an invalid signature with a typed problem, never
//! "no signature" (Universal Signature Forgery).

use super::error::{PdfError, Result};
use super::object::{Dict, ObjRef, Object, Span};
use super::pages;
use super::store::View;
use super::text::decode_text;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::Arc;

/// Signature or document timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SignatureKind {
    /// A signature (`/Type /Sig` or no `/Type`).
    Signature,
    /// A document timestamp (`/Type /DocTimeStamp`, `ETSI.RFC3161`).
    DocumentTimestamp,
}

/// The signature's `/SubFilter`: how `/Contents` is to be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SubFilter {
    /// `adbe.pkcs7.detached`: detached CMS over the byte ranges.
    AdbePkcs7Detached,
    /// `ETSI.CAdES.detached`: PAdES baseline, detached CAdES.
    EtsiCadesDetached,
    /// `adbe.pkcs7.sha1`: CMS whose encapsulated content is the SHA-1 of the ranges (weak).
    AdbePkcs7Sha1,
    /// `ETSI.RFC3161`: an RFC 3161 timestamp token over the ranges.
    EtsiRfc3161,
    /// `adbe.x509.rsa_sha1`: a bare PKCS #1 signature (unsupported).
    AdbeX509RsaSha1,
    /// Another name.
    Other(String),
    /// No `/SubFilter`.
    Missing,
}

impl SubFilter {
    fn from_name(n: &[u8]) -> Self {
        match n {
            b"adbe.pkcs7.detached" => SubFilter::AdbePkcs7Detached,
            b"ETSI.CAdES.detached" => SubFilter::EtsiCadesDetached,
            b"adbe.pkcs7.sha1" => SubFilter::AdbePkcs7Sha1,
            b"ETSI.RFC3161" => SubFilter::EtsiRfc3161,
            b"adbe.x509.rsa_sha1" => SubFilter::AdbeX509RsaSha1,
            other => SubFilter::Other(String::from_utf8_lossy(other).into_owned()),
        }
    }

    /// Whether sigbridge can verify this kind of `/Contents`.
    pub fn is_supported(&self) -> bool {
        matches!(
            self,
            SubFilter::AdbePkcs7Detached
                | SubFilter::EtsiCadesDetached
                | SubFilter::AdbePkcs7Sha1
                | SubFilter::EtsiRfc3161
        )
    }
}

/// Why a signature dictionary is not a well-formed signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
#[non_exhaustive]
pub enum SignatureProblem {
    /// `/V` is not a dictionary.
    ValueNotDictionary,
    /// The signature dictionary could not be read.
    Unreadable {
        /// The reader's error.
        error: String,
    },
    /// No `/Contents`.
    ContentsMissing,
    /// `/Contents` is `null`.
    ContentsNull,
    /// `/Contents` is an empty string.
    ContentsEmpty,
    /// `/Contents` is not a string.
    ContentsWrongType {
        /// The type found.
        found: String,
    },
    /// `/Contents` is a literal string, not a hex string.
    ContentsNotHex,
    /// The signature dictionary is inside an object stream, so `/Contents` has no place in
    /// the file that `/ByteRange` could leave out.
    ContentsNotInFile,
    /// `/Contents` does not start with a DER SEQUENCE.
    ContentsNotDer,
    /// No `/ByteRange`.
    ByteRangeMissing,
    /// `/ByteRange` is `null`.
    ByteRangeNull,
    /// `/ByteRange` is an empty array.
    ByteRangeEmpty,
    /// `/ByteRange` is not an array of integers.
    ByteRangeWrongType {
        /// What was found.
        found: String,
    },
    /// No `/SubFilter`.
    SubFilterMissing,
    /// A `/SubFilter` sigbridge cannot verify (e.g. `adbe.x509.rsa_sha1`).
    SubFilterUnsupported {
        /// The name.
        name: String,
    },
    /// `/Type /DocTimeStamp` with a SubFilter other than `ETSI.RFC3161`, or the reverse.
    TimestampMismatch,
    /// The signature is in the form of an earlier revision but no longer in the final one
    /// (its field was removed or replaced after signing).
    NotInFinalRevision {
        /// The last revision whose form still has it.
        last_revision: usize,
    },
}

/// A transform method of the signature's `/Reference` array (ISO 32000-1 §12.8.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "method")]
#[non_exhaustive]
pub enum Transform {
    /// `/DocMDP` with its `/P` (1–3; 2 when absent).
    DocMdp {
        /// Permission level.
        p: u8,
    },
    /// `/FieldMDP`: fields locked by this signature.
    FieldMdp {
        /// The lock.
        lock: FieldLock,
    },
    /// `/UR` or `/UR3` (usage rights).
    UsageRights,
    /// Anything else.
    Other {
        /// The method name.
        name: String,
    },
}

/// Which fields a FieldMDP transform or a `/Lock` dictionary locks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FieldLock {
    /// All fields.
    All,
    /// Only these fully qualified names.
    Include(Vec<String>),
    /// All but these.
    Exclude(Vec<String>),
}

impl FieldLock {
    /// Whether field `name` is locked.
    pub fn locks(&self, name: &str) -> bool {
        match self {
            FieldLock::All => true,
            FieldLock::Include(v) => v.iter().any(|n| n == name),
            FieldLock::Exclude(v) => !v.iter().any(|n| n == name),
        }
    }
}

/// One signature (or document timestamp) of the document.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PdfSignature {
    /// Position in document (field tree) order, from 0.
    pub index: usize,
    /// Fully qualified field name (`parent.child`); `None` when unreadable (encrypted).
    pub field_name: Option<String>,
    /// The field dictionary.
    pub field: Option<ObjRef>,
    /// The signature dictionary, when `/V` is a reference.
    pub value: Option<ObjRef>,
    /// Signature or document timestamp.
    pub kind: SignatureKind,
    /// `/Filter` (the handler's name).
    pub filter: Option<String>,
    /// `/SubFilter`.
    pub sub_filter: SubFilter,
    /// `/Contents`, decoded (the CMS or timestamp token, usually zero-padded).
    #[serde(skip)]
    pub contents: Option<Vec<u8>>,
    /// Length of `/Contents` in bytes.
    pub contents_length: Option<usize>,
    /// Where the `/Contents` string is in the file: offset of `<` and after `>`.
    pub contents_span: Option<Span>,
    /// `/ByteRange` as written, when it is an array of integers.
    pub byte_range: Option<Vec<i64>>,
    /// `/M`: the signing time the signer claims (never proof of anything).
    pub claimed_time: Option<String>,
    /// `/Reason`.
    pub reason: Option<String>,
    /// `/Location`.
    pub location: Option<String>,
    /// `/ContactInfo`.
    pub contact_info: Option<String>,
    /// `/Name`.
    pub name: Option<String>,
    /// Page (from 1) of the field's widget, if it has one on a page.
    pub page: Option<usize>,
    /// The revision in which the signature dictionary last changed.
    pub revision: usize,
    /// The `/Reference` transforms (DocMDP, FieldMDP).
    pub transforms: Vec<Transform>,
    /// The field's `/Lock` dictionary.
    pub lock: Option<FieldLock>,
    /// `/P` of the `/Lock` dictionary (PDF 2.0), if any.
    pub lock_p: Option<u8>,
    /// What is wrong with the dictionary; empty for a well-formed signature.
    pub problems: Vec<SignatureProblem>,
    /// The widget annotations of the field.
    pub widgets: Vec<ObjRef>,
}

impl PdfSignature {
    /// The CMS (or timestamp token) in `/Contents` without its zero padding: the outer
    /// SEQUENCE with its definite or indefinite (BER) length, or everything if its length
    /// cannot be read.
    pub fn cms(&self) -> Option<&[u8]> {
        let c = self.contents.as_deref()?;
        Some(ber_prefix(c).unwrap_or(c))
    }

    /// The DocMDP permission of a certification signature (1–3), if it is one.
    pub fn docmdp(&self) -> Option<u8> {
        self.transforms.iter().find_map(|t| match t {
            Transform::DocMdp { p } => Some(*p),
            _ => None,
        })
    }

    /// Whether the dictionary is a well-formed signature (no [`SignatureProblem`]).
    pub fn is_well_formed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The bytes of the SEQUENCE TLV at the start of `c` (BER: definite or indefinite length,
/// bounded by the default ASN.1 limits).
fn ber_prefix(c: &[u8]) -> Option<&[u8]> {
    if c.first() != Some(&0x30) {
        return None;
    }
    let bounds = crate::asn1::Bounds::from_limits(&crate::Limits::default());
    let (tlv, _) = crate::asn1::read_tlv(c, bounds).ok()?;
    Some(tlv.raw)
}

/// A terminal signature field found in the tree.
struct SigField {
    name: Option<String>,
    field: Option<ObjRef>,
    dict: Arc<Object>,
    value: Option<Object>,
    widgets: Vec<ObjRef>,
}

struct Walk<'v, 's> {
    view: &'v View<'s>,
    rev: usize,
    seen: HashSet<ObjRef>,
    /// Every object the walk depended on (catalog, form, field list, fields, kid arrays).
    nodes: HashSet<u32>,
    out: Vec<SigField>,
    encrypted: bool,
}

/// Every signature of revision `rev`, in field-tree order, with the numbers of every object the form walk read: a revision whose
/// successor lists none of them has the same field tree.
pub(crate) fn find_with_nodes(
    view: &View<'_>,
    rev: usize,
    encrypted: bool,
) -> Result<(Vec<PdfSignature>, HashSet<u32>)> {
    let (root, cat) = pages::catalog(view, rev)?;
    let mut nodes: HashSet<u32> = root.map(|r| r.num).into_iter().collect();
    let Some(afv) = cat.as_dict().and_then(|d| d.get(b"AcroForm")) else {
        return Ok((Vec::new(), nodes));
    };
    nodes.extend(afv.as_ref().map(|r| r.num));
    let af = view.deref(afv, rev)?;
    let Some(af) = af.as_dict() else {
        return Ok((Vec::new(), nodes));
    };
    nodes.extend(af.get(b"Fields").and_then(Object::as_ref).map(|r| r.num));
    // (A direct /Fields array is read in place, not copied.)
    let held;
    let fields: &Object = match af.get(b"Fields") {
        Some(Object::Ref(r)) => {
            held = view.resolve(*r, rev)?;
            &held
        }
        Some(o) => o,
        None => &Object::Null,
    };
    let mut w = Walk {
        view,
        rev,
        seen: HashSet::new(),
        nodes,
        out: Vec::new(),
        encrypted,
    };
    if let Some(arr) = fields.as_array() {
        for f in arr {
            w.visit(f, None, None, None, 0)?;
        }
    }
    let page_list = pages::pages(view, rev).unwrap_or_default();
    let mut sigs = Vec::new();
    let nodes = std::mem::take(&mut w.nodes);
    for (i, f) in w.out.into_iter().enumerate() {
        sigs.push(describe(view, rev, i, f, &page_list, encrypted));
    }
    Ok((sigs, nodes))
}

impl Walk<'_, '_> {
    fn visit(
        &mut self,
        node: &Object,
        parent: Option<&str>,
        ft: Option<&[u8]>,
        v: Option<&Object>,
        depth: usize,
    ) -> Result<()> {
        let lim = &self.view.store.limits;
        if depth > lim.max_depth {
            return Err(PdfError::limit(
                "max_pdf_depth",
                lim.max_depth as u64,
                "the form field tree",
            ));
        }
        let r = node.as_ref();
        self.nodes.extend(r.map(|r| r.num));
        if let Some(r) = r {
            if !self.seen.insert(r) {
                return Err(PdfError::structure(format!(
                    "the form field tree visits {r} twice"
                )));
            }
            if self.seen.len() > lim.max_fields {
                return Err(PdfError::limit(
                    "max_pdf_form_fields",
                    lim.max_fields as u64,
                    "the form field tree",
                ));
            }
        }
        let obj = self.view.deref(node, self.rev)?;
        let Some(d) = obj.as_dict() else {
            return Ok(());
        };
        let name = self.qualified(d, parent);
        let ft = d.name(b"FT").or(ft);
        let v = d.get(b"V").or(v);
        self.nodes
            .extend(d.get(b"Kids").and_then(Object::as_ref).map(|k| k.num));
        let kids = self
            .view
            .deref(d.get(b"Kids").unwrap_or(&Object::Null), self.rev)?;
        let kids: &[Object] = kids.as_array().unwrap_or_default();
        let mut widgets = Vec::new();
        let mut child_fields = Vec::new();
        for k in kids {
            let kd = self.view.deref(k, self.rev)?;
            if kd.as_dict().is_some_and(|kd| kd.contains(b"T")) {
                child_fields.push(k.clone());
            } else if let Some(kr) = k.as_ref() {
                widgets.push(kr);
            }
        }
        if !child_fields.is_empty() {
            for k in &child_fields {
                self.visit(k, name.as_deref(), ft, v, depth + 1)?;
            }
            return Ok(());
        }
        if ft == Some(b"Sig") {
            if let Some(v) = v.filter(|v| !matches!(v, Object::Null)) {
                if kids.is_empty() {
                    widgets.extend(r);
                }
                self.out.push(SigField {
                    name,
                    field: r,
                    dict: obj.clone(),
                    value: Some(v.clone()),
                    widgets,
                });
            }
        }
        Ok(())
    }

    fn qualified(&self, d: &Dict, parent: Option<&str>) -> Option<String> {
        if self.encrypted {
            // Field names are strings, encrypted with the document.
            return None;
        }
        let t = match d.get(b"T") {
            Some(Object::String(s)) => Some(decode_text(&s.bytes)),
            _ => None,
        };
        match (parent, t) {
            (Some(p), Some(t)) => Some(format!("{p}.{t}")),
            (None, Some(t)) => Some(t),
            (Some(p), None) => Some(p.to_string()),
            (None, None) => None,
        }
    }
}

fn text(d: &Dict, key: &[u8], encrypted: bool) -> Option<String> {
    if encrypted {
        return None;
    }
    d.get(key)
        .and_then(Object::as_string)
        .map(|s| decode_text(&s.bytes))
}

fn describe(
    view: &View<'_>,
    rev: usize,
    index: usize,
    f: SigField,
    pages: &[ObjRef],
    encrypted: bool,
) -> PdfSignature {
    let value_ref = f.value.as_ref().and_then(Object::as_ref);
    let mut problems = Vec::new();
    let sig = match f.value.as_ref().map(|v| view.deref(v, rev)) {
        Some(Ok(o)) => o,
        Some(Err(e)) => {
            problems.push(SignatureProblem::Unreadable {
                error: e.to_string(),
            });
            Arc::new(Object::Null)
        }
        None => Arc::new(Object::Null),
    };
    let empty = Dict::default();
    let d = match sig.as_ref() {
        Object::Dict(d) => d,
        _ => {
            if problems.is_empty() {
                problems.push(SignatureProblem::ValueNotDictionary);
            }
            &empty
        }
    };
    let container = value_ref.or(f.field);
    let revision = container
        .and_then(|r| last_change(view, r.num, rev))
        .unwrap_or(rev);
    let (contents, contents_span) = contents(d, &mut problems);
    let byte_range = byte_range(d, &mut problems);
    let sub_filter = d
        .name(b"SubFilter")
        .map_or(SubFilter::Missing, SubFilter::from_name);
    match &sub_filter {
        SubFilter::Missing => problems.push(SignatureProblem::SubFilterMissing),
        s if !s.is_supported() => problems.push(SignatureProblem::SubFilterUnsupported {
            name: sub_filter_name(s),
        }),
        _ => {}
    }
    let is_dts = d.name(b"Type") == Some(b"DocTimeStamp");
    let rfc3161 = sub_filter == SubFilter::EtsiRfc3161;
    if (is_dts && !rfc3161) || (rfc3161 && d.contains(b"Type") && !is_dts) {
        problems.push(SignatureProblem::TimestampMismatch);
    }
    let kind = if is_dts || sub_filter == SubFilter::EtsiRfc3161 {
        SignatureKind::DocumentTimestamp
    } else {
        SignatureKind::Signature
    };
    // adbe.x509.rsa_sha1 holds a DER OCTET STRING, every other SubFilter a SEQUENCE.
    if sub_filter != SubFilter::AdbeX509RsaSha1
        && contents
            .as_ref()
            .is_some_and(|c| !c.is_empty() && c.first() != Some(&0x30))
    {
        problems.push(SignatureProblem::ContentsNotDer);
    }
    if matches!(
        problems.first(),
        Some(SignatureProblem::ValueNotDictionary | SignatureProblem::Unreadable { .. })
    ) {
        // Nothing else can be said about a value that is not a dictionary.
        problems.truncate(1);
    }
    let field_dict = f.dict.as_dict().cloned().unwrap_or_default();
    let (lock, lock_p) = lock(view, rev, &field_dict, encrypted);
    PdfSignature {
        index,
        field_name: f.name,
        field: f.field,
        value: value_ref,
        kind,
        filter: d
            .name(b"Filter")
            .map(|n| String::from_utf8_lossy(n).into_owned()),
        sub_filter,
        contents_length: contents.as_ref().map(Vec::len),
        contents,
        contents_span,
        byte_range,
        claimed_time: text(d, b"M", encrypted),
        reason: text(d, b"Reason", encrypted),
        location: text(d, b"Location", encrypted),
        contact_info: text(d, b"ContactInfo", encrypted),
        name: text(d, b"Name", encrypted),
        page: page_of(view, rev, &f.widgets, pages),
        revision,
        transforms: transforms(view, rev, d, encrypted),
        lock,
        lock_p,
        problems,
        widgets: f.widgets,
    }
}

fn sub_filter_name(s: &SubFilter) -> String {
    match s {
        SubFilter::AdbeX509RsaSha1 => "adbe.x509.rsa_sha1".into(),
        SubFilter::Other(n) => n.clone(),
        other => format!("{other:?}"),
    }
}

/// The newest revision (≤ `rev`) whose cross-reference section lists object `num`.
pub(crate) fn last_change(view: &View<'_>, num: u32, rev: usize) -> Option<usize> {
    view.store
        .revs
        .get(..=rev)?
        .iter()
        .rposition(|t| t.entry(num, true).is_some())
}

fn contents(d: &Dict, problems: &mut Vec<SignatureProblem>) -> (Option<Vec<u8>>, Option<Span>) {
    match d.get(b"Contents") {
        None => problems.push(SignatureProblem::ContentsMissing),
        Some(Object::Null) => problems.push(SignatureProblem::ContentsNull),
        Some(Object::String(s)) => {
            if s.bytes.is_empty() {
                problems.push(SignatureProblem::ContentsEmpty);
            } else if !s.hex {
                problems.push(SignatureProblem::ContentsNotHex);
            }
            if s.span.is_none() {
                problems.push(SignatureProblem::ContentsNotInFile);
            }
            return (Some(s.bytes.clone()), s.span);
        }
        Some(o) => problems.push(SignatureProblem::ContentsWrongType {
            found: o.type_name().into(),
        }),
    }
    (None, None)
}

fn byte_range(d: &Dict, problems: &mut Vec<SignatureProblem>) -> Option<Vec<i64>> {
    match d.get(b"ByteRange") {
        None => problems.push(SignatureProblem::ByteRangeMissing),
        Some(Object::Null) => problems.push(SignatureProblem::ByteRangeNull),
        Some(Object::Array(a)) if a.is_empty() => problems.push(SignatureProblem::ByteRangeEmpty),
        Some(Object::Array(a)) => {
            match a.iter().map(Object::as_int).collect::<Option<Vec<i64>>>() {
                Some(v) => return Some(v),
                None => problems.push(SignatureProblem::ByteRangeWrongType {
                    found: "array with non-integers".into(),
                }),
            }
        }
        Some(o) => problems.push(SignatureProblem::ByteRangeWrongType {
            found: o.type_name().into(),
        }),
    }
    None
}

fn page_of(view: &View<'_>, rev: usize, widgets: &[ObjRef], pages: &[ObjRef]) -> Option<usize> {
    for w in widgets {
        let wd = view.resolve(*w, rev).ok()?;
        if let Some(p) = wd
            .as_dict()
            .and_then(|d| d.get(b"P"))
            .and_then(Object::as_ref)
        {
            if let Some(i) = pages.iter().position(|x| *x == p) {
                return Some(i + 1);
            }
        }
    }
    for (i, p) in pages.iter().enumerate() {
        let Ok(pd) = view.resolve(*p, rev) else {
            continue;
        };
        let Some(annots) = pd.as_dict().and_then(|d| d.get(b"Annots")) else {
            continue;
        };
        let Ok(annots) = view.deref(annots, rev) else {
            continue;
        };
        if annots.as_array().is_some_and(|a| {
            a.iter()
                .any(|x| x.as_ref().is_some_and(|r| widgets.contains(&r)))
        }) {
            return Some(i + 1);
        }
    }
    None
}

fn names(view: &View<'_>, rev: usize, o: Option<&Object>, encrypted: bool) -> Vec<String> {
    let Some(o) = o else { return Vec::new() };
    let Ok(a) = view.deref(o, rev) else {
        return Vec::new();
    };
    a.as_array()
        .unwrap_or_default()
        .iter()
        .filter_map(|x| x.as_string())
        .map(|s| {
            if encrypted {
                String::new()
            } else {
                decode_text(&s.bytes)
            }
        })
        .collect()
}

/// A `/Lock` or FieldMDP `/TransformParams` dictionary.
fn field_lock(view: &View<'_>, rev: usize, d: &Dict, encrypted: bool) -> Option<FieldLock> {
    match d.name(b"Action")? {
        b"All" => Some(FieldLock::All),
        b"Include" => Some(FieldLock::Include(names(
            view,
            rev,
            d.get(b"Fields"),
            encrypted,
        ))),
        b"Exclude" => Some(FieldLock::Exclude(names(
            view,
            rev,
            d.get(b"Fields"),
            encrypted,
        ))),
        _ => None,
    }
}

fn mdp_p(o: Option<&Object>) -> u8 {
    match o.and_then(Object::as_int) {
        Some(p @ 1..=3) => p as u8,
        _ => 2,
    }
}

fn lock(
    view: &View<'_>,
    rev: usize,
    field: &Dict,
    encrypted: bool,
) -> (Option<FieldLock>, Option<u8>) {
    let Some(l) = field.get(b"Lock") else {
        return (None, None);
    };
    let Ok(l) = view.deref(l, rev) else {
        return (None, None);
    };
    let Some(d) = l.as_dict() else {
        return (None, None);
    };
    let p = d.get(b"P").map(|p| mdp_p(Some(p)));
    (field_lock(view, rev, d, encrypted), p)
}

fn transforms(view: &View<'_>, rev: usize, d: &Dict, encrypted: bool) -> Vec<Transform> {
    let Some(r) = d.get(b"Reference") else {
        return Vec::new();
    };
    let Ok(arr) = view.deref(r, rev) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in arr.as_array().unwrap_or_default() {
        let Ok(item) = view.deref(item, rev) else {
            continue;
        };
        let Some(rd) = item.as_dict() else { continue };
        let params = rd
            .get(b"TransformParams")
            .and_then(|p| view.deref(p, rev).ok());
        let pd = params.as_deref().and_then(Object::as_dict);
        let t = match rd.name(b"TransformMethod") {
            Some(b"DocMDP") => Transform::DocMdp {
                p: mdp_p(pd.and_then(|p| p.get(b"P"))),
            },
            Some(b"FieldMDP") => match pd.and_then(|p| field_lock(view, rev, p, encrypted)) {
                Some(lock) => Transform::FieldMdp { lock },
                None => Transform::Other {
                    name: "FieldMDP".into(),
                },
            },
            Some(b"UR" | b"UR3") => Transform::UsageRights,
            Some(other) => Transform::Other {
                name: String::from_utf8_lossy(other).into_owned(),
            },
            None => continue,
        };
        out.push(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::ber_prefix;

    #[test]
    fn the_cms_is_cut_at_its_ber_length() {
        assert_eq!(
            ber_prefix(&[0x30, 3, 2, 1, 2, 0, 0]),
            Some(&[0x30, 3, 2, 1, 2][..])
        );
        assert_eq!(
            ber_prefix(&[0x30, 0x81, 3, 2, 1, 9, 0]),
            Some(&[0x30, 0x81, 3, 2, 1, 9][..])
        );
        // Indefinite length (BER, as some signers write it): up to the end-of-contents
        // octets, the zero padding after them left out.
        assert_eq!(
            ber_prefix(&[0x30, 0x80, 2, 1, 7, 0, 0, 0, 0, 0]),
            Some(&[0x30, 0x80, 2, 1, 7, 0, 0][..])
        );
        assert_eq!(ber_prefix(&[0x31, 1, 1]), None);
        assert_eq!(ber_prefix(&[0x30, 5, 1]), None);
    }
}
