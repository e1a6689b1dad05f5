//! Reading and validating one `sigbridge-trust-list/1` file — a jurisdiction's list or a
//! purpose list — every error naming the file and the field (`anchors[0].sha256`). Unknown
//! fields are ignored (more may be added).

use super::{
    attribute_type_oid, format_sha256, parse_sha256, AnchorEntry, Completeness, Jurisdiction,
    MrEntry, MrIssuer, MrRoot, MrWindow, PurposeList, TrustError, TrustList, FORMAT,
};
use crate::asn1::{parse_time, Oid};
use crate::input;
use crate::limits::Limits;
use serde_json::{Map, Value};
use std::path::Path;
use std::sync::Arc;

/// Reads `DIR/<jur>/trust-list.json` and its certificate files.
pub(super) fn load_file(
    dir: &Path,
    jur: Jurisdiction,
    limits: &Limits,
) -> Result<TrustList, TrustError> {
    let folder = dir.join(jur.folder());
    let path = folder.join("trust-list.json");
    let bytes = input::read_file(&path, limits)?;
    let file = path.display().to_string();
    let text = String::from_utf8(bytes).map_err(|_| TrustError::Json {
        file: file.clone(),
        detail: "not UTF-8 text".to_string(),
    })?;
    let read = |rel: &str| -> Result<Vec<u8>, String> {
        let p = folder.join(rel);
        input::read_file(&p, limits).map_err(|e| e.to_string())
    };
    let mut list = parse_list(&text, &file, jur, &read, limits)?;
    list.origin = file;
    Ok(list)
}

struct Ctx<'a> {
    file: &'a str,
}

impl Ctx<'_> {
    fn err(&self, field: &str, detail: impl Into<String>) -> TrustError {
        TrustError::Field {
            file: self.file.to_string(),
            field: field.to_string(),
            detail: detail.into(),
        }
    }

    fn object<'v>(&self, v: &'v Value, field: &str) -> Result<&'v Map<String, Value>, TrustError> {
        v.as_object()
            .ok_or_else(|| self.err(field, "must be a JSON object"))
    }

    fn array<'v>(
        &self,
        m: &'v Map<String, Value>,
        key: &str,
        field: &str,
    ) -> Result<&'v Vec<Value>, TrustError> {
        match m.get(key) {
            None => Err(self.err(field, "missing")),
            Some(v) => v
                .as_array()
                .ok_or_else(|| self.err(field, "must be an array")),
        }
    }

    fn string(&self, m: &Map<String, Value>, key: &str, field: &str) -> Result<String, TrustError> {
        match m.get(key) {
            None | Some(Value::Null) => Err(self.err(field, "missing")),
            Some(Value::String(s)) if s.trim().is_empty() => Err(self.err(field, "is empty")),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(self.err(field, "must be a string")),
        }
    }

    fn opt_string(
        &self,
        m: &Map<String, Value>,
        key: &str,
        field: &str,
    ) -> Result<Option<String>, TrustError> {
        match m.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Err(self.err(field, "is empty")),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.err(field, "must be a string or null")),
        }
    }

    fn sha256(&self, text: &str, field: &str) -> Result<[u8; 32], TrustError> {
        parse_sha256(text)
            .ok_or_else(|| self.err(field, "not 64 hex digits (SHA-256, with or without colons)"))
    }

    fn oid(&self, text: &str, field: &str) -> Result<Oid, TrustError> {
        Oid::from_dotted(text.trim())
            .ok_or_else(|| self.err(field, format!("\"{text}\" is not a dotted-decimal OID")))
    }

    fn time(&self, text: &str, field: &str) -> Result<i64, TrustError> {
        parse_time(text.trim()).ok_or_else(|| {
            self.err(
                field,
                format!("\"{text}\" is not an RFC 3339 time (e.g. 2015-07-11T00:00:00+08:00)"),
            )
        })
    }
}

/// What every `sigbridge-trust-list/1` file carries besides its tag and its
/// mutual-recognition entries.
pub(super) struct Common {
    pub(super) operator: String,
    pub(super) source: String,
    pub(super) retrieved: String,
    pub(super) completeness: Completeness,
    pub(super) anchors: Vec<AnchorEntry>,
}

/// The JSON object of a list's text, with its `format` checked.
fn top_object(text: &str, cx: &Ctx<'_>) -> Result<Map<String, Value>, TrustError> {
    let root: Value = serde_json::from_str(text).map_err(|e| TrustError::Json {
        file: cx.file.to_string(),
        detail: e.to_string(),
    })?;
    let Value::Object(top) = root else {
        return Err(cx.err("(top level)", "must be a JSON object"));
    };
    let format = cx.string(&top, "format", "format")?;
    if format != FORMAT {
        return Err(cx.err(
            "format",
            format!("\"{format}\" is not supported (expected \"{FORMAT}\")"),
        ));
    }
    Ok(top)
}

/// `operator`, `source`, `retrieved`, `completeness` and `anchors`.
fn parse_common(
    cx: &Ctx<'_>,
    top: &Map<String, Value>,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    limits: &Limits,
) -> Result<Common, TrustError> {
    let operator = cx.string(top, "operator", "operator")?;
    let source = cx.string(top, "source", "source")?;
    let retrieved = cx.string(top, "retrieved", "retrieved")?;
    let completeness = match cx.string(top, "completeness", "completeness")?.as_str() {
        "official" => Completeness::Official,
        "partial" => Completeness::Partial,
        other => {
            return Err(cx.err(
                "completeness",
                format!("\"{other}\" is not \"official\" or \"partial\""),
            ))
        }
    };
    let mut anchors: Vec<AnchorEntry> = Vec::new();
    for (i, v) in cx.array(top, "anchors", "anchors")?.iter().enumerate() {
        let anchor = parse_anchor(cx, v, &format!("anchors[{i}]"), read, limits)?;
        if let Some(prev) = anchors.iter().position(|a| a.sha256 == anchor.sha256) {
            return Err(cx.err(
                &format!("anchors[{i}].sha256"),
                format!("the same fingerprint as anchors[{prev}]"),
            ));
        }
        anchors.push(anchor);
    }
    Ok(Common {
        operator,
        source,
        retrieved,
        completeness,
        anchors,
    })
}

/// One `anchors[i]`: name, fingerprint, and the certificate file (which must match it).
fn parse_anchor(
    cx: &Ctx<'_>,
    v: &Value,
    at: &str,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    limits: &Limits,
) -> Result<AnchorEntry, TrustError> {
    let m = cx.object(v, at)?;
    let name = cx.string(m, "name", &format!("{at}.name"))?;
    let sha_field = format!("{at}.sha256");
    let sha256 = cx.sha256(&cx.string(m, "sha256", &sha_field)?, &sha_field)?;
    let cert_field = format!("{at}.certificate");
    let certificate_file = cx.opt_string(m, "certificate", &cert_field)?;
    let certificate = match &certificate_file {
        None => None,
        Some(rel) => {
            let bytes = read(rel).map_err(|e| cx.err(&cert_field, e))?;
            let mut certs = crate::x509::certificates_from_bytes(&bytes, rel, limits)
                .map_err(|e| cx.err(&cert_field, e.to_string()))?;
            if certs.len() != 1 {
                return Err(cx.err(
                    &cert_field,
                    format!(
                        "{rel} holds {} certificates; an anchor file holds exactly one",
                        certs.len()
                    ),
                ));
            }
            let Some(cert) = certs.pop() else {
                return Err(cx.err(&cert_field, format!("{rel} holds no certificate")));
            };
            if cert.sha256 != sha256 {
                return Err(cx.err(
                    &cert_field,
                    format!(
                        "{rel} has SHA-256 {}, but {sha_field} says {}",
                        format_sha256(&cert.sha256),
                        format_sha256(&sha256)
                    ),
                ));
            }
            Some(Arc::new(cert))
        }
    };
    let download = cx.opt_string(m, "download", &format!("{at}.download"))?;
    Ok(AnchorEntry {
        name,
        sha256,
        certificate_file,
        certificate,
        download,
        added_from: None,
    })
}

/// Parses and validates a list's text. `read` returns the bytes of a certificate file named
/// relative to the list's folder.
pub(super) fn parse_list(
    text: &str,
    file: &str,
    expected: Jurisdiction,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    limits: &Limits,
) -> Result<TrustList, TrustError> {
    let cx = Ctx { file };
    let top = top_object(text, &cx)?;
    if top.contains_key("purpose") {
        return Err(cx.err(
            "purpose",
            "a jurisdiction's list has no purpose (purpose lists are loaded separately)",
        ));
    }
    let jur_text = cx.string(&top, "jurisdiction", "jurisdiction")?;
    let jurisdiction = match jur_text.as_str() {
        "HK" => Jurisdiction::Hk,
        "GD" => Jurisdiction::Gd,
        other => {
            return Err(cx.err(
                "jurisdiction",
                format!("\"{other}\" is not \"HK\" or \"GD\""),
            ))
        }
    };
    if jurisdiction != expected {
        return Err(cx.err(
            "jurisdiction",
            format!(
                "is \"{jurisdiction}\" but this is the {expected} list (folder {}/)",
                expected.folder()
            ),
        ));
    }
    let common = parse_common(&cx, &top, read, limits)?;
    let mut mutual_recognition = Vec::new();
    let mr_values = match top.get("mutual_recognition") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(a)) => a.as_slice(),
        Some(_) => return Err(cx.err("mutual_recognition", "must be an array")),
    };
    for (i, v) in mr_values.iter().enumerate() {
        mutual_recognition.push(parse_mr(&cx, v, i, &common.anchors)?);
    }
    Ok(TrustList {
        jurisdiction,
        operator: common.operator,
        source: common.source,
        retrieved: common.retrieved,
        completeness: common.completeness,
        anchors: common.anchors,
        mutual_recognition,
        origin: file.to_string(),
    })
}

/// Parses and validates a purpose list's text (`purpose` instead of `jurisdiction`, no
/// mutual recognition).
pub(super) fn parse_purpose_list(
    text: &str,
    file: &str,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    limits: &Limits,
) -> Result<PurposeList, TrustError> {
    let cx = Ctx { file };
    let top = top_object(text, &cx)?;
    if top.contains_key("jurisdiction") {
        return Err(cx.err(
            "jurisdiction",
            "a purpose list names a purpose, not a jurisdiction of the mutual-recognition scheme",
        ));
    }
    let purpose = cx.string(&top, "purpose", "purpose")?;
    if !super::purpose::is_purpose_tag(&purpose) {
        return Err(cx.err(
            "purpose",
            format!("\"{purpose}\" is not a purpose tag: two upper-case letters, a hyphen, then 1-30 lower-case letters, digits or hyphens (e.g. \"CN-tax\")"),
        ));
    }
    match top.get("mutual_recognition") {
        None | Some(Value::Null) => {}
        Some(Value::Array(a)) if a.is_empty() => {}
        Some(_) => {
            return Err(cx.err(
                "mutual_recognition",
                "a purpose list confers trust for its purpose only; mutual recognition belongs to the HK and GD lists",
            ))
        }
    }
    let common = parse_common(&cx, &top, read, limits)?;
    if common.anchors.is_empty() {
        return Err(cx.err(
            "anchors",
            "is empty; a purpose list names at least one anchor",
        ));
    }
    Ok(PurposeList {
        purpose,
        operator: common.operator,
        source: common.source,
        retrieved: common.retrieved,
        completeness: common.completeness,
        anchors: common.anchors,
        origin: file.to_string(),
    })
}

fn parse_mr(
    cx: &Ctx<'_>,
    v: &Value,
    i: usize,
    anchors: &[AnchorEntry],
) -> Result<MrEntry, TrustError> {
    let at = format!("mutual_recognition[{i}]");
    let m = cx.object(v, &at)?;
    let ca = cx.string(m, "ca", &format!("{at}.ca"))?;
    let certificate_type = cx.string(m, "certificate_type", &format!("{at}.certificate_type"))?;
    let ta_field = format!("{at}.type_attribute");
    let type_attribute = cx.string(m, "type_attribute", &ta_field)?;
    let type_attribute_oid = attribute_type_oid(&type_attribute).ok_or_else(|| {
        cx.err(
            &ta_field,
            format!("\"{type_attribute}\" is not a known attribute (O, OU, CN, C, L, ST, SERIALNUMBER, …) or a dotted OID"),
        )
    })?;

    let mut roots = Vec::new();
    let roots_field = format!("{at}.roots");
    let root_values = cx.array(m, "roots", &roots_field)?;
    if root_values.is_empty() {
        return Err(cx.err(&roots_field, "is empty; an entry names at least one root"));
    }
    for (j, rv) in root_values.iter().enumerate() {
        let rat = format!("{roots_field}[{j}]");
        let rm = cx.object(rv, &rat)?;
        let name = cx.string(rm, "name", &format!("{rat}.name"))?;
        let sf = format!("{rat}.sha256");
        let sha256 = cx.sha256(&cx.string(rm, "sha256", &sf)?, &sf)?;
        if !anchors.iter().any(|a| a.sha256 == sha256) {
            return Err(cx.err(
                &sf,
                format!(
                    "{} (\"{name}\") is not one of this file's anchors",
                    format_sha256(&sha256)
                ),
            ));
        }
        roots.push(MrRoot { name, sha256 });
    }

    let mut issuers = Vec::new();
    let issuers_field = format!("{at}.issuers");
    let issuer_values = cx.array(m, "issuers", &issuers_field)?;
    if issuer_values.is_empty() {
        return Err(cx.err(
            &issuers_field,
            "is empty; an entry names at least one issuing CA",
        ));
    }
    for (j, iv) in issuer_values.iter().enumerate() {
        let iat = format!("{issuers_field}[{j}]");
        let im = cx.object(iv, &iat)?;
        let name = cx.string(im, "name", &format!("{iat}.name"))?;
        let common_name = cx.opt_string(im, "common_name", &format!("{iat}.common_name"))?;
        let sf = format!("{iat}.sha256");
        let sha256 = match cx.opt_string(im, "sha256", &sf)? {
            Some(s) => Some(cx.sha256(&s, &sf)?),
            None => None,
        };
        if common_name.is_none() && sha256.is_none() {
            return Err(cx.err(
                &iat,
                "gives neither common_name nor sha256; one is needed to match the issuing CA",
            ));
        }
        issuers.push(MrIssuer {
            name,
            common_name,
            sha256,
        });
    }

    let pf = format!("{at}.policy_oid_prefix");
    let policy_oid_prefix = cx.oid(&cx.string(m, "policy_oid_prefix", &pf)?, &pf)?;
    let mut policy_versions = Vec::new();
    let pvf = format!("{at}.policy_versions");
    match m.get("policy_versions") {
        None | Some(Value::Null) => {}
        Some(Value::Array(a)) => {
            for (j, pv) in a.iter().enumerate() {
                let f = format!("{pvf}[{j}]");
                let text = pv.as_str().ok_or_else(|| cx.err(&f, "must be a string"))?;
                let oid = cx.oid(text, &f)?;
                if !oid.starts_with(&policy_oid_prefix) {
                    return Err(cx.err(
                        &f,
                        format!("{oid} is not under policy_oid_prefix {policy_oid_prefix}"),
                    ));
                }
                policy_versions.push(oid);
            }
        }
        Some(_) => return Err(cx.err(&pvf, "must be an array")),
    }

    let wf = format!("{at}.window");
    let wm = match m.get("window") {
        None | Some(Value::Null) => return Err(cx.err(&wf, "missing")),
        Some(w) => cx.object(w, &wf)?,
    };
    let ff = format!("{wf}.from");
    let from = cx.time(&cx.string(wm, "from", &ff)?, &ff)?;
    let uf = format!("{wf}.until");
    let until = match cx.opt_string(wm, "until", &uf)? {
        Some(s) => Some(cx.time(&s, &uf)?),
        None => None,
    };
    if until.is_some_and(|u| u <= from) {
        return Err(cx.err(&uf, "is not after window.from"));
    }
    let source = cx.string(m, "source", &format!("{at}.source"))?;

    Ok(MrEntry {
        ca,
        certificate_type,
        type_attribute,
        type_attribute_oid,
        roots,
        issuers,
        policy_oid_prefix,
        policy_versions,
        window: MrWindow { from, until },
        source,
    })
}
