//! API: the wire types of the HTTP service (`sigbridge serve`) and the parsing and
//! validation of its requests, with no HTTP stack — a JSON or `multipart/form-data` body and
//! its Content-Type in, a [`VerifyRequest`] (document, content or content digest, per-call
//! options) out, or an [`ApiError`] whose [`ErrorKind`] says which 4xx it is. Shared by the
//! server, the fuzz target and any other front end.

pub mod multipart;

use crate::asn1::parse_time;
use crate::crypto::DigestAlgorithm;
use crate::report::document::DocumentReport;
use crate::revocation::RevocationMode;
use crate::trust::Jurisdiction;
use crate::verify::{Call, Verifier, VerifyError};
use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// The `format` of [`VersionInfo`].
pub const VERSION_FORMAT: &str = "sigbridge-version/1";

/// What went wrong with a request, each kind with its HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// The Content-Type is not one the endpoint takes (415).
    UnsupportedMediaType,
    /// The body is larger than the service's body limit (413).
    PayloadTooLarge,
    /// The body is not JSON, or not a JSON object (400).
    MalformedJson,
    /// The body is not a well-formed multipart/form-data body (400).
    MalformedMultipart,
    /// A field the endpoint does not know (400).
    UnknownField,
    /// A required field is absent (400).
    MissingField,
    /// A field has the wrong type or value (400).
    InvalidField,
    /// A base64 field does not decode (400).
    InvalidBase64,
    /// A content digest that is not hex, not of its algorithm's length, or of an unknown
    /// algorithm (400).
    InvalidDigest,
    /// A validation time that is not RFC 3339 (400).
    InvalidTime,
    /// The document is a signed document (CMS, S/MIME, PDF, OFD) that cannot be read (422).
    MalformedDocument,
    /// The bytes are not a signed document (a certificate, a CRL, text …; the message says
    /// what they are), or of a kind this build cannot verify (422).
    UnsupportedDocument,
    /// No representation the client accepts (406).
    NotAcceptable,
    /// No such endpoint (404).
    NotFound,
    /// The endpoint does not take this method (405).
    MethodNotAllowed,
    /// Reading the request took longer than the service allows (408).
    RequestTimeout,
    /// Every verification slot is busy: retry after the Retry-After delay (503).
    Busy,
    /// The verification took longer than the service allows (503).
    Timeout,
    /// Not allowed (403): from this address, or a request option the service refuses (a
    /// revocation mode weaker than its minimum).
    Forbidden,
    /// The service itself failed (500): never the answer to bad input.
    Internal,
}

impl ErrorKind {
    /// The HTTP status code.
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::UnsupportedMediaType => 415,
            ErrorKind::PayloadTooLarge => 413,
            ErrorKind::MalformedJson
            | ErrorKind::MalformedMultipart
            | ErrorKind::UnknownField
            | ErrorKind::MissingField
            | ErrorKind::InvalidField
            | ErrorKind::InvalidBase64
            | ErrorKind::InvalidDigest
            | ErrorKind::InvalidTime => 400,
            ErrorKind::MalformedDocument | ErrorKind::UnsupportedDocument => 422,
            ErrorKind::NotAcceptable => 406,
            ErrorKind::NotFound => 404,
            ErrorKind::MethodNotAllowed => 405,
            ErrorKind::RequestTimeout => 408,
            ErrorKind::Busy | ErrorKind::Timeout => 503,
            ErrorKind::Forbidden => 403,
            ErrorKind::Internal => 500,
        }
    }

    /// The kebab-case name the JSON carries.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::UnsupportedMediaType => "unsupported-media-type",
            ErrorKind::PayloadTooLarge => "payload-too-large",
            ErrorKind::MalformedJson => "malformed-json",
            ErrorKind::MalformedMultipart => "malformed-multipart",
            ErrorKind::UnknownField => "unknown-field",
            ErrorKind::MissingField => "missing-field",
            ErrorKind::InvalidField => "invalid-field",
            ErrorKind::InvalidBase64 => "invalid-base64",
            ErrorKind::InvalidDigest => "invalid-digest",
            ErrorKind::InvalidTime => "invalid-time",
            ErrorKind::MalformedDocument => "malformed-document",
            ErrorKind::UnsupportedDocument => "unsupported-document",
            ErrorKind::NotAcceptable => "not-acceptable",
            ErrorKind::NotFound => "not-found",
            ErrorKind::MethodNotAllowed => "method-not-allowed",
            ErrorKind::RequestTimeout => "request-timeout",
            ErrorKind::Busy => "busy",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::Internal => "internal",
        }
    }

    /// Every kind, for documentation and tests.
    pub const ALL: [ErrorKind; 20] = [
        ErrorKind::UnsupportedMediaType,
        ErrorKind::PayloadTooLarge,
        ErrorKind::MalformedJson,
        ErrorKind::MalformedMultipart,
        ErrorKind::UnknownField,
        ErrorKind::MissingField,
        ErrorKind::InvalidField,
        ErrorKind::InvalidBase64,
        ErrorKind::InvalidDigest,
        ErrorKind::InvalidTime,
        ErrorKind::MalformedDocument,
        ErrorKind::UnsupportedDocument,
        ErrorKind::NotAcceptable,
        ErrorKind::NotFound,
        ErrorKind::MethodNotAllowed,
        ErrorKind::RequestTimeout,
        ErrorKind::Busy,
        ErrorKind::Timeout,
        ErrorKind::Forbidden,
        ErrorKind::Internal,
    ];
}

/// A request the service refuses, as `{"error": {"kind", "message"}}`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", kind.as_str())]
pub struct ApiError {
    /// Which error.
    pub kind: ErrorKind,
    /// What was wrong, naming the field (never the document's contents).
    pub message: String,
}

impl ApiError {
    /// An error of this kind.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> ApiError {
        ApiError {
            kind,
            message: message.into(),
        }
    }

    /// The JSON body.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                kind: self.kind,
                message: self.message.clone(),
            },
        }
    }
}

impl From<VerifyError> for ApiError {
    fn from(e: VerifyError) -> ApiError {
        let kind = match &e {
            // Not a signed document (a certificate, text, …) or a kind not verified.
            VerifyError::Unsupported { .. } | VerifyError::NotSigned { .. } => {
                ErrorKind::UnsupportedDocument
            }
            VerifyError::DocumentTooLarge { .. } | VerifyError::ContentTooLarge { .. } => {
                ErrorKind::PayloadTooLarge
            }
            VerifyError::ContentAndDigest => ErrorKind::InvalidField,
            VerifyError::DigestLength { .. } => ErrorKind::InvalidDigest,
            // Content given for a PDF or OFD package, which carry what they sign.
            VerifyError::ContentNotApplicable => ErrorKind::InvalidField,
            // Listed one by one, so that a new kind of error is placed here on purpose.
            VerifyError::Cms(_)
            | VerifyError::Smime(_)
            | VerifyError::Pdf(_)
            | VerifyError::Ofd(_)
            | VerifyError::Timestamp(_)
            | VerifyError::Content(_)
            | VerifyError::Document(_) => ErrorKind::MalformedDocument,
        };
        ApiError::new(kind, e.to_string())
    }
}

/// The body of every 4xx/5xx answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The error of an [`ErrorBody`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorDetail {
    /// Which error (stable, kebab-case).
    pub kind: ErrorKind,
    /// What was wrong.
    pub message: String,
}

/// `GET /v1/version`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInfo {
    /// [`VERSION_FORMAT`].
    pub format: String,
    /// `sigbridge`.
    pub name: String,
    /// The crate version.
    pub version: String,
    /// The `format` of the verification reports.
    pub report_format: String,
    /// The document kinds this build verifies.
    pub containers: Vec<String>,
}

impl VersionInfo {
    /// This build's.
    pub fn current() -> VersionInfo {
        VersionInfo {
            format: VERSION_FORMAT.to_owned(),
            name: env!("CARGO_PKG_NAME").to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            report_format: crate::report::document::DOCUMENT_FORMAT.to_owned(),
            containers: ["cms", "smime", "pdf", "ofd"].map(str::to_owned).to_vec(),
        }
    }
}

/// The per-call options every verification request may carry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// `relying_party`: `HK` or `GD` (any case).
    pub relying_party: Option<Jurisdiction>,
    /// `validation_time`, RFC 3339, as a Unix time.
    pub time: Option<i64>,
    /// `revocation`: `require`, `prefer` or `off`.
    pub revocation: Option<RevocationMode>,
}

/// A parsed verification request: everything needed to make the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyRequest {
    /// The signed document (or detached signature).
    pub document: Vec<u8>,
    /// The detached content, when given.
    pub content: Option<Vec<u8>>,
    /// The content's digest, for `verify-digest`.
    pub digest: Option<(DigestAlgorithm, Vec<u8>)>,
    /// The document's file name, for logs and reports (never trusted for anything).
    pub filename: Option<String>,
    /// Per-call options.
    pub options: CallOptions,
}

impl VerifyRequest {
    /// Runs the verification this request asks for.
    pub fn verify(&self, verifier: &Verifier) -> Result<DocumentReport, ApiError> {
        let mut reader = self.content.as_deref();
        let mut call = Call::new();
        if let Some(r) = reader.as_mut() {
            call = call.content(r);
        }
        if let Some((alg, value)) = &self.digest {
            call = call.content_digest(*alg, value.clone());
        }
        if let Some(t) = self.options.time {
            call = call.at(t);
        }
        if let Some(j) = self.options.relying_party {
            call = call.relying_party(j);
        }
        if let Some(m) = self.options.revocation {
            call = call.revocation(m);
        }
        Ok(verifier.verify_with(&self.document, call)?)
    }
}

/// The fields of `POST /v1/verify` (JSON; multipart parts have the same names, `document`
/// and `content` as files).
pub const VERIFY_FIELDS: &[&str] = &[
    "document",
    "content",
    "filename",
    "relying_party",
    "validation_time",
    "revocation",
];

/// The fields of `POST /v1/verify-digest`.
pub const VERIFY_DIGEST_FIELDS: &[&str] = &[
    "signature",
    "digest_algorithm",
    "digest",
    "filename",
    "relying_party",
    "validation_time",
    "revocation",
];

/// The media type of a Content-Type header, lower-case, without parameters.
pub fn media_type(content_type: Option<&str>) -> String {
    content_type
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Parses a `POST /v1/verify` body: JSON (base64 `document`, optional base64 `content`)
/// or `multipart/form-data` (`document` and `content` parts as bytes).
pub fn parse_verify(content_type: Option<&str>, body: &[u8]) -> Result<VerifyRequest, ApiError> {
    match media_type(content_type).as_str() {
        "application/json" => {
            let fields = json_fields(body, VERIFY_FIELDS)?;
            let document = required(&fields, "document")?;
            Ok(VerifyRequest {
                document: base64_field("document", document)?,
                content: optional_string(&fields, "content")?
                    .map(|c| base64_field("content", &c))
                    .transpose()?,
                digest: None,
                filename: optional_string(&fields, "filename")?,
                options: call_options(&|k| optional_string(&fields, k))?,
            })
        }
        "multipart/form-data" => parse_verify_multipart(content_type.unwrap_or_default(), body),
        other => Err(unsupported_media(
            other,
            "application/json or multipart/form-data",
        )),
    }
}

/// Parses a `POST /v1/verify-digest` body (JSON): base64 `signature`, `digest_algorithm`
/// (`SHA-256`, `sha256`, `SM3` …) and hex `digest`.
pub fn parse_verify_digest(
    content_type: Option<&str>,
    body: &[u8],
) -> Result<VerifyRequest, ApiError> {
    let media = media_type(content_type);
    if media != "application/json" {
        return Err(unsupported_media(&media, "application/json"));
    }
    let fields = json_fields(body, VERIFY_DIGEST_FIELDS)?;
    let signature = base64_field("signature", required(&fields, "signature")?)?;
    let alg_name = required(&fields, "digest_algorithm")?;
    let alg = DigestAlgorithm::from_name(alg_name).ok_or_else(|| {
        ApiError::new(
            ErrorKind::InvalidDigest,
            format!("digest_algorithm {alg_name:?} is not one of SHA-1, SHA-224, SHA-256, SHA-384, SHA-512, SM3"),
        )
    })?;
    let digest_hex = required(&fields, "digest")?;
    let digest = hex::decode(digest_hex.trim())
        .map_err(|e| ApiError::new(ErrorKind::InvalidDigest, format!("digest is not hex: {e}")))?;
    if digest.len() != alg.output_len() {
        return Err(ApiError::new(
            ErrorKind::InvalidDigest,
            format!(
                "digest: a {} digest is {} bytes ({} hex digits), not {}",
                alg.name(),
                alg.output_len(),
                alg.output_len() * 2,
                digest.len()
            ),
        ));
    }
    Ok(VerifyRequest {
        document: signature,
        content: None,
        digest: Some((alg, digest)),
        filename: optional_string(&fields, "filename")?,
        options: call_options(&|k| optional_string(&fields, k))?,
    })
}

fn unsupported_media(media: &str, wanted: &str) -> ApiError {
    let shown = if media.is_empty() { "(none)" } else { media };
    ApiError::new(
        ErrorKind::UnsupportedMediaType,
        format!("Content-Type {shown} is not accepted here: send {wanted}"),
    )
}

type Fields = serde_json::Map<String, serde_json::Value>;

/// The body as a JSON object whose keys are all among `known`.
fn json_fields(body: &[u8], known: &[&str]) -> Result<Fields, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            ErrorKind::MalformedJson,
            format!("the body is not JSON: {e}"),
        )
    })?;
    let serde_json::Value::Object(map) = value else {
        return Err(ApiError::new(
            ErrorKind::MalformedJson,
            "the body must be a JSON object",
        ));
    };
    if let Some(k) = map.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(ApiError::new(
            ErrorKind::UnknownField,
            format!("unknown field {k:?}; the fields are {}", known.join(", ")),
        ));
    }
    Ok(map)
}

fn required<'f>(fields: &'f Fields, name: &str) -> Result<&'f str, ApiError> {
    match fields.get(name) {
        None | Some(serde_json::Value::Null) => Err(ApiError::new(
            ErrorKind::MissingField,
            format!("the field {name:?} is required"),
        )),
        Some(serde_json::Value::String(s)) => Ok(s),
        Some(_) => Err(ApiError::new(
            ErrorKind::InvalidField,
            format!("the field {name:?} must be a string"),
        )),
    }
}

fn optional_string(fields: &Fields, name: &str) -> Result<Option<String>, ApiError> {
    match fields.get(name) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(_) => required(fields, name).map(|s| Some(s.to_owned())),
    }
}

/// Standard base64 (padding optional; whitespace and line breaks ignored).
fn base64_field(name: &str, text: &str) -> Result<Vec<u8>, ApiError> {
    let engine = base64::engine::general_purpose::STANDARD_NO_PAD;
    // Most bodies carry one unbroken base64 line: decode it as it is, and look for
    // whitespace to drop only when that fails (the same bytes are then decoded, and any
    // error reported, exactly as if the whitespace had been dropped first).
    if let Ok(bytes) = engine.decode(without_padding(text.as_bytes())) {
        return Ok(bytes);
    }
    let compact: std::borrow::Cow<'_, [u8]> = if text.bytes().any(|b| b.is_ascii_whitespace()) {
        text.bytes()
            .filter(|b| !b.is_ascii_whitespace())
            .collect::<Vec<u8>>()
            .into()
    } else {
        text.as_bytes().into()
    };
    engine.decode(without_padding(&compact)).map_err(|e| {
        // Where, never which byte: messages and logs carry no document contents.
        let why = match e {
            base64::DecodeError::InvalidByte(at, _) => {
                format!("a character that is not base64 at offset {at}")
            }
            base64::DecodeError::InvalidLastSymbol(at, _) => {
                format!("a final character with trailing bits set at offset {at}")
            }
            base64::DecodeError::InvalidLength(n) => format!("a length ({n}) no base64 has"),
            base64::DecodeError::InvalidPadding => "misplaced padding".to_owned(),
        };
        ApiError::new(
            ErrorKind::InvalidBase64,
            format!("the field {name:?} is not base64: {why}"),
        )
    })
}

/// `text` without its trailing `=` padding.
fn without_padding(text: &[u8]) -> &[u8] {
    let end = text.iter().rposition(|&b| b != b'=').map_or(0, |i| i + 1);
    text.get(..end).unwrap_or_default()
}

/// `relying_party`, `validation_time` and `revocation`, read through `get`.
fn call_options(
    get: &dyn Fn(&str) -> Result<Option<String>, ApiError>,
) -> Result<CallOptions, ApiError> {
    let relying_party = match get("relying_party")? {
        None => None,
        Some(j) => Some(match j.to_ascii_lowercase().as_str() {
            "hk" => Jurisdiction::Hk,
            "gd" => Jurisdiction::Gd,
            _ => {
                return Err(ApiError::new(
                    ErrorKind::InvalidField,
                    format!("relying_party {j:?} is not HK or GD"),
                ))
            }
        }),
    };
    let time = match get("validation_time")? {
        None => None,
        Some(t) => Some(parse_time(&t).ok_or_else(|| {
            ApiError::new(
                ErrorKind::InvalidTime,
                format!(
                    "validation_time {t:?} is not an RFC 3339 time (e.g. 2026-12-01T00:00:00Z)"
                ),
            )
        })?),
    };
    let revocation = match get("revocation")? {
        None => None,
        Some(m) => Some(match m.to_ascii_lowercase().as_str() {
            "require" => RevocationMode::Require,
            "prefer" => RevocationMode::Prefer,
            "off" => RevocationMode::Off,
            _ => {
                return Err(ApiError::new(
                    ErrorKind::InvalidField,
                    format!("revocation {m:?} is not require, prefer or off"),
                ))
            }
        }),
    };
    Ok(CallOptions {
        relying_party,
        time,
        revocation,
    })
}

/// A multipart `/v1/verify` body: `document` and `content` as bytes, the options as text.
fn parse_verify_multipart(content_type: &str, body: &[u8]) -> Result<VerifyRequest, ApiError> {
    let boundary = multipart::boundary(content_type)?;
    let parts = multipart::parse(body, &boundary)?;
    let mut seen: Vec<&str> = Vec::new();
    for p in &parts {
        if !VERIFY_FIELDS.contains(&p.name.as_str()) {
            return Err(ApiError::new(
                ErrorKind::UnknownField,
                format!(
                    "unknown form field {:?}; the fields are {}",
                    p.name,
                    VERIFY_FIELDS.join(", ")
                ),
            ));
        }
        if seen.contains(&p.name.as_str()) {
            return Err(ApiError::new(
                ErrorKind::InvalidField,
                format!("the form field {:?} is given twice", p.name),
            ));
        }
        seen.push(&p.name);
    }
    let part = |name: &str| parts.iter().find(|p| p.name == name);
    let text = |name: &str| -> Result<Option<String>, ApiError> {
        part(name)
            .map(|p| {
                std::str::from_utf8(p.data)
                    .map(|s| s.trim().to_owned())
                    .map_err(|_| {
                        ApiError::new(
                            ErrorKind::InvalidField,
                            format!("the form field {name:?} is not UTF-8 text"),
                        )
                    })
            })
            .transpose()
    };
    let document = part("document").ok_or_else(|| {
        ApiError::new(
            ErrorKind::MissingField,
            "the form field \"document\" is required",
        )
    })?;
    Ok(VerifyRequest {
        document: document.data.to_vec(),
        content: part("content").map(|p| p.data.to_vec()),
        digest: None,
        filename: text("filename")?.or_else(|| document.filename.clone()),
        options: call_options(&text)?,
    })
}

#[cfg(test)]
mod tests;
