//! S/MIME: e-mail messages (.eml) → the signed content and the CMS SignedData they carry.
//!
//! Two S/MIME signing forms are read (RFC 8551 §3.5, RFC 5751 §3.4):
//!
//! - `multipart/signed` (RFC 1847 §2.1) with an `application/pkcs7-signature` (or
//!   `application/x-pkcs7-signature`) second part: the signature is detached, and the signed
//!   content is the first body part exactly as transmitted, MIME headers included. See
//!   [`SmimeMessage::Detached`].
//! - `application/pkcs7-mime` (or `application/x-pkcs7-mime`) with `smime-type=signed-data`
//!   (or no smime-type at all): the body is a whole SignedData carrying its content
//!   ("opaque-signed"). See [`SmimeMessage::Opaque`].
//!
//! The signed entity may be the message itself or nested inside other `multipart/*` parts
//! (e.g. a `multipart/mixed` a mailing list wrapped around it) or a `message/rfc822`
//! attachment, up to `Limits::max_mime_depth` levels; the first signed entity found in
//! document order is returned. Other S/MIME types (`enveloped-data`, `compressed-data`,
//! `certs-only`, `authEnveloped-data`) give [`SmimeError::NotSignedData`]: this layer hands
//! on signatures only, and decrypting is out of scope.
//!
//! Parsing (RFC 2045, RFC 2046, RFC 5322): header fields are unfolded; media types and
//! parameter names are case-insensitive and parameter values may be quoted strings
//! (`boundary="..."`), with comments skipped. Lines may end in CRLF or a bare LF (files on
//! disk). A boundary delimiter is recognised only at a line start, as `--boundary`
//! (optionally followed by `--` for the close delimiter) and optional linear white space, and
//! the line break before it belongs to the delimiter (RFC 2046 §5.1.1). Bodies are decoded
//! from `base64` (white space and line breaks ignored) or taken as they are for `7bit`,
//! `8bit` and `binary`.
//!
//! Bounded work: the input size is capped by `Limits::max_file_size`; each multipart level
//! scans its own byte range once, nesting is followed through an explicit depth counter, and
//! the header fields of an entity and the body parts of a multipart are capped. Hostile input
//! gives a typed [`SmimeError`], never a panic.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

use crate::limits::Limits;

/// A signed S/MIME message, reduced to what CMS verification needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SmimeMessage {
    /// `multipart/signed` (RFC 1847): the signature is detached.
    Detached {
        /// The first body part exactly as signed: the whole MIME entity including its
        /// header fields, from just after the opening delimiter line to just before the line
        /// break preceding the next delimiter, with bare LF line endings canonicalised to CRLF
        /// (RFC 8551 §3.1.1). This is the detached content of the SignedData.
        content: Vec<u8>,
        /// The DER/BER CMS ContentInfo of the `application/pkcs7-signature` part, after
        /// transfer decoding.
        signature: Vec<u8>,
        /// The `micalg` parameter of the `multipart/signed` type, lower-cased (e.g. `sha-256`,
        /// `sha1`), when present. Informational only: the SignerInfo's digestAlgorithm is
        /// authoritative.
        micalg: Option<String>,
    },
    /// `application/pkcs7-mime; smime-type=signed-data` ("opaque-signed", RFC 8551 §3.5.2):
    /// the CMS SignedData carries its own content. Also returned when the smime-type parameter
    /// is absent (older agents omit it); `cms::parse` then decides what the content is.
    Opaque {
        /// The DER/BER CMS ContentInfo, after transfer decoding.
        cms: Vec<u8>,
    },
}

impl SmimeMessage {
    /// The CMS ContentInfo bytes to hand to `cms::parse`: the signature part of a
    /// [`SmimeMessage::Detached`] message, or the body of a [`SmimeMessage::Opaque`] one.
    pub fn cms_bytes(&self) -> &[u8] {
        match self {
            SmimeMessage::Detached { signature, .. } => signature,
            SmimeMessage::Opaque { cms } => cms,
        }
    }

    /// The detached content, for a [`SmimeMessage::Detached`] message.
    pub fn detached_content(&self) -> Option<&[u8]> {
        match self {
            SmimeMessage::Detached { content, .. } => Some(content),
            SmimeMessage::Opaque { .. } => None,
        }
    }
}

/// Why a message could not be read as S/MIME signed data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmimeError {
    /// The input is larger than `Limits::max_file_size`.
    #[error("message of {size} bytes exceeds the limit of {limit} bytes (Limits::max_file_size)")]
    TooLarge {
        /// Input size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The input does not start with a MIME header block.
    #[error("not a MIME message: no header block at the start")]
    NotMime,
    /// No `multipart/signed` or `application/pkcs7-mime` entity was found in the message.
    #[error("no S/MIME signed entity found (top-level content type {content_type})")]
    NotSigned {
        /// The top-level media type (`text/plain` when the message has no Content-Type).
        content_type: String,
    },
    /// An `application/pkcs7-mime` entity holds something other than signed data.
    #[error("application/pkcs7-mime with smime-type={smime_type} is not signed data")]
    NotSignedData {
        /// The smime-type parameter (e.g. `enveloped-data`).
        smime_type: String,
    },
    /// A multipart entity has no usable `boundary` parameter.
    #[error("{content_type} without a boundary parameter")]
    MissingBoundary {
        /// The multipart media type.
        content_type: String,
    },
    /// No delimiter line for the boundary occurs in the multipart body.
    #[error("no delimiter line for boundary {boundary:?} in the multipart body")]
    BoundaryNotFound {
        /// The boundary.
        boundary: String,
    },
    /// The multipart body ends without its close delimiter (`--boundary--`): truncated.
    #[error("the multipart body with boundary {boundary:?} has no close delimiter (truncated?)")]
    MissingCloseDelimiter {
        /// The boundary.
        boundary: String,
    },
    /// `multipart/signed` uses a protocol other than PKCS #7 / CMS (e.g. OpenPGP).
    #[error("multipart/signed protocol {protocol:?} is not application/pkcs7-signature")]
    UnsupportedProtocol {
        /// The protocol parameter.
        protocol: String,
    },
    /// `multipart/signed` has no usable `application/pkcs7-signature` second part.
    #[error("multipart/signed: no signature part: {detail}")]
    NoSignaturePart {
        /// What is wrong.
        detail: String,
    },
    /// `multipart/signed` has more than the two body parts RFC 1847 allows.
    #[error("multipart/signed has {found} body parts; RFC 1847 requires exactly 2")]
    ExtraParts {
        /// The number of body parts found.
        found: usize,
    },
    /// A Content-Transfer-Encoding this layer does not decode for CMS bytes.
    #[error("{part}: unsupported Content-Transfer-Encoding {encoding:?}")]
    UnsupportedEncoding {
        /// Which part (`signature` or `pkcs7-mime`).
        part: &'static str,
        /// The encoding.
        encoding: String,
    },
    /// The base64 body does not decode.
    #[error("{part}: bad base64: {detail}")]
    BadBase64 {
        /// Which part (`signature` or `pkcs7-mime`).
        part: &'static str,
        /// The decoder's message.
        detail: String,
    },
    /// The signed entity is nested deeper than `Limits::max_mime_depth`.
    #[error("MIME nesting deeper than {limit} levels (Limits::max_mime_depth)")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// A multipart entity has more body parts than `Limits::max_mime_parts`.
    #[error("more than {limit} body parts in one multipart (Limits::max_mime_parts)")]
    TooManyParts {
        /// The limit.
        limit: usize,
    },
    /// An entity has more header fields than `Limits::max_mime_headers`.
    #[error("more than {limit} header fields in one entity (Limits::max_mime_headers)")]
    TooManyHeaders {
        /// The limit.
        limit: usize,
    },
}

/// How many leading lines [`looks_like_mime`] examines.
const SNIFF_LINES: usize = 64;
/// How many leading bytes [`looks_like_mime`] examines.
const SNIFF_BYTES: usize = 16 * 1024;

/// True when `bytes` start with an RFC 5322 header block (every line a header field or a
/// folded continuation) that has a `Content-Type` or `MIME-Version` field within its first
/// lines. Cheap: looks at no more than the first 16 KiB / 64 lines. PEM, DER and PDF give
/// false.
pub fn looks_like_mime(bytes: &[u8]) -> bool {
    let end = bytes.len().min(SNIFF_BYTES);
    let mut pos = 0;
    let mut seen_any = false;
    for _ in 0..SNIFF_LINES {
        if pos >= end {
            return false;
        }
        let (content_end, next) = line_at(bytes, pos, end);
        let line = bytes.get(pos..content_end).unwrap_or_default();
        if line.is_empty() {
            return false;
        }
        if is_wsp_start(line) {
            if !seen_any {
                return false;
            }
        } else {
            match header_name(line) {
                Some(name) => {
                    seen_any = true;
                    if name.eq_ignore_ascii_case(b"content-type")
                        || name.eq_ignore_ascii_case(b"mime-version")
                    {
                        return true;
                    }
                }
                None => return false,
            }
        }
        pos = next;
    }
    false
}

/// Reads an S/MIME message: finds the signed entity (the message itself, or nested up to
/// `Limits::max_mime_depth` levels inside `multipart/*` or `message/rfc822` parts) and
/// returns its content and CMS bytes. See the module documentation for what is accepted.
pub fn parse(bytes: &[u8], limits: &Limits) -> Result<SmimeMessage, SmimeError> {
    if bytes.len() > limits.max_file_size {
        return Err(SmimeError::TooLarge {
            size: bytes.len(),
            limit: limits.max_file_size,
        });
    }
    let top = parse_entity(bytes, 0, bytes.len(), limits)?;
    if top.headers.is_empty() {
        return Err(SmimeError::NotMime);
    }
    let top_type = top
        .content_type()
        .map(|ct| ct.media)
        .unwrap_or_else(|| "text/plain".to_string());
    find_signed(bytes, &top, 0, limits)?.ok_or(SmimeError::NotSigned {
        content_type: top_type,
    })
}

// ---------------------------------------------------------------- entities

/// One MIME entity: its unfolded header fields and the byte range of its body.
struct Entity {
    /// (lower-cased name, unfolded value).
    headers: Vec<(String, String)>,
    body_start: usize,
    end: usize,
}

impl Entity {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn content_type(&self) -> Option<ContentType> {
        self.header("content-type").map(ContentType::parse)
    }
}

/// The line starting at `start` (within `..end`): the end of its content (line break
/// excluded: CRLF or bare LF) and the start of the next line.
fn line_at(buf: &[u8], start: usize, end: usize) -> (usize, usize) {
    let slice = buf.get(start..end).unwrap_or_default();
    match slice.iter().position(|&b| b == b'\n') {
        Some(i) => {
            let nl = start + i;
            let content_end = if i > 0 && buf.get(nl - 1) == Some(&b'\r') {
                nl - 1
            } else {
                nl
            };
            (content_end, nl + 1)
        }
        None => (end, end),
    }
}

/// Where the line break that ends just before `pos` starts (CRLF or LF), or `pos` when none.
fn line_break_before(buf: &[u8], pos: usize) -> usize {
    if pos >= 2 && buf.get(pos - 2..pos) == Some(b"\r\n".as_slice()) {
        pos - 2
    } else if pos >= 1 && buf.get(pos - 1) == Some(&b'\n') {
        pos - 1
    } else {
        pos
    }
}

fn is_wsp_start(line: &[u8]) -> bool {
    matches!(line.first(), Some(b' ' | b'\t'))
}

/// The field name of a header line (`name ":" value`, RFC 5322 §2.2), or `None`.
fn header_name(line: &[u8]) -> Option<&[u8]> {
    let colon = line.iter().position(|&b| b == b':')?;
    let name = line.get(..colon)?;
    // Tolerate white space before the colon (obsolete syntax, RFC 5322 §4.5).
    let name = name.trim_ascii_end();
    (!name.is_empty() && name.iter().all(|&b| (33..=126).contains(&b) && b != b':')).then_some(name)
}

/// Reads the header block of the entity in `start..end`. The block ends at the first empty
/// line; a line that is neither a header field nor a continuation also ends it (and starts
/// the body), as lenient agents such as OpenSSL do.
fn parse_entity(
    buf: &[u8],
    start: usize,
    end: usize,
    limits: &Limits,
) -> Result<Entity, SmimeError> {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut pos = start;
    let body_start = loop {
        if pos >= end {
            break end;
        }
        let (content_end, next) = line_at(buf, pos, end);
        let line = buf.get(pos..content_end).unwrap_or_default();
        if line.is_empty() {
            break next;
        }
        if is_wsp_start(line) {
            match headers.last_mut() {
                Some((_, value)) => {
                    value.push_str(&String::from_utf8_lossy(line));
                    pos = next;
                    continue;
                }
                None => break pos,
            }
        }
        let Some(name) = header_name(line) else {
            break pos;
        };
        if headers.len() >= limits.max_mime_headers {
            return Err(SmimeError::TooManyHeaders {
                limit: limits.max_mime_headers,
            });
        }
        let value = line.get(name.len()..).unwrap_or_default();
        let value = value.trim_ascii_start();
        let value = value.strip_prefix(b":").unwrap_or(value);
        headers.push((
            String::from_utf8_lossy(name).to_ascii_lowercase(),
            String::from_utf8_lossy(value).into_owned(),
        ));
        pos = next;
    };
    Ok(Entity {
        headers,
        body_start: body_start.min(end),
        end,
    })
}

// ---------------------------------------------------------------- Content-Type

/// A parsed Content-Type: the lower-cased `type/subtype` and the parameters
/// (lower-cased names, unquoted values).
struct ContentType {
    media: String,
    params: Vec<(String, String)>,
}

impl ContentType {
    /// RFC 2045 §5.1: `type "/" subtype *(";" parameter)`, parameters `attribute "=" value`
    /// with value a token or a quoted string; comments in parentheses are skipped.
    fn parse(value: &str) -> ContentType {
        let mut segments: Vec<(String, String)> = Vec::new();
        let mut name = String::new();
        let mut val = String::new();
        let mut seen_eq = false;
        let mut in_quotes = false;
        let mut escaped = false;
        let mut comment_depth: usize = 0;
        for c in value.chars() {
            let target = if seen_eq { &mut val } else { &mut name };
            if in_quotes {
                if escaped {
                    target.push(c);
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_quotes = false;
                } else {
                    target.push(c);
                }
                continue;
            }
            if comment_depth > 0 {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '(' {
                    comment_depth = comment_depth.saturating_add(1);
                } else if c == ')' {
                    comment_depth -= 1;
                }
                continue;
            }
            match c {
                '"' => in_quotes = true,
                '(' => comment_depth = 1,
                ';' => {
                    segments.push((std::mem::take(&mut name), std::mem::take(&mut val)));
                    seen_eq = false;
                }
                '=' if !seen_eq && !segments.is_empty() => seen_eq = true,
                c if c.is_whitespace() => {}
                c => target.push(c),
            }
        }
        segments.push((name, val));
        let mut iter = segments.into_iter();
        let media = iter
            .next()
            .map(|(m, _)| m.to_ascii_lowercase())
            .unwrap_or_default();
        let params = iter
            .filter(|(n, _)| !n.is_empty())
            .map(|(n, v)| (n.to_ascii_lowercase(), v))
            .collect();
        ContentType { media, params }
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

// ---------------------------------------------------------------- the search

fn is_pkcs7_mime(media: &str) -> bool {
    media == "application/pkcs7-mime" || media == "application/x-pkcs7-mime"
}

fn is_pkcs7_signature(media: &str) -> bool {
    media == "application/pkcs7-signature" || media == "application/x-pkcs7-signature"
}

/// Looks for the signed entity at `entity` (nesting level `depth`) and below. `Ok(None)`
/// when this branch holds none. Recursion is bounded by `limits.max_mime_depth`.
fn find_signed(
    buf: &[u8],
    entity: &Entity,
    depth: usize,
    limits: &Limits,
) -> Result<Option<SmimeMessage>, SmimeError> {
    let Some(ct) = entity.content_type() else {
        return Ok(None);
    };
    if ct.media == "multipart/signed" {
        return signed(buf, entity, &ct, limits).map(Some);
    }
    if is_pkcs7_mime(&ct.media) {
        return opaque(buf, entity, &ct).map(Some);
    }
    let nested = ct.media.starts_with("multipart/") || ct.media == "message/rfc822";
    if !nested {
        return Ok(None);
    }
    if depth >= limits.max_mime_depth {
        return Err(SmimeError::TooDeep {
            limit: limits.max_mime_depth,
        });
    }
    if ct.media == "message/rfc822" {
        let inner = parse_entity(buf, entity.body_start, entity.end, limits)?;
        return find_signed(buf, &inner, depth + 1, limits);
    }
    let boundary = boundary(&ct)?;
    for (start, end) in split_multipart(buf, entity, &boundary, limits)? {
        let part = parse_entity(buf, start, end, limits)?;
        if let Some(found) = find_signed(buf, &part, depth + 1, limits)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

fn boundary(ct: &ContentType) -> Result<String, SmimeError> {
    match ct.param("boundary") {
        Some(b) if !b.is_empty() => Ok(b.to_string()),
        _ => Err(SmimeError::MissingBoundary {
            content_type: ct.media.clone(),
        }),
    }
}

/// The byte ranges of the body parts of a multipart entity (RFC 2046 §5.1.1): each part runs
/// from after its delimiter line to the line break preceding the next delimiter (that line
/// break belongs to the delimiter). The preamble and epilogue are dropped.
fn split_multipart(
    buf: &[u8],
    entity: &Entity,
    boundary: &str,
    limits: &Limits,
) -> Result<Vec<(usize, usize)>, SmimeError> {
    let mut delimiter = Vec::with_capacity(boundary.len() + 2);
    delimiter.extend_from_slice(b"--");
    delimiter.extend_from_slice(boundary.as_bytes());
    let mut parts = Vec::new();
    let mut current: Option<usize> = None;
    let mut pos = entity.body_start;
    while pos < entity.end {
        let (content_end, next) = line_at(buf, pos, entity.end);
        let line = buf.get(pos..content_end).unwrap_or_default();
        if let Some(rest) = line.strip_prefix(delimiter.as_slice()) {
            let (close, padding) = match rest.strip_prefix(b"--") {
                Some(tail) => (true, tail),
                None => (false, rest),
            };
            if padding.iter().all(|&b| b == b' ' || b == b'\t') {
                if let Some(start) = current {
                    if parts.len() >= limits.max_mime_parts {
                        return Err(SmimeError::TooManyParts {
                            limit: limits.max_mime_parts,
                        });
                    }
                    parts.push((start, line_break_before(buf, pos).max(start)));
                }
                if close {
                    return Ok(parts);
                }
                current = Some(next);
            }
        }
        pos = next;
    }
    Err(match current {
        None => SmimeError::BoundaryNotFound {
            boundary: boundary.to_string(),
        },
        Some(_) => SmimeError::MissingCloseDelimiter {
            boundary: boundary.to_string(),
        },
    })
}

/// `multipart/signed` (RFC 1847 §2.1, RFC 8551 §3.5.3).
fn signed(
    buf: &[u8],
    entity: &Entity,
    ct: &ContentType,
    limits: &Limits,
) -> Result<SmimeMessage, SmimeError> {
    if let Some(protocol) = ct.param("protocol") {
        if !is_pkcs7_signature(&protocol.to_ascii_lowercase()) {
            return Err(SmimeError::UnsupportedProtocol {
                protocol: protocol.to_string(),
            });
        }
    }
    let micalg = ct.param("micalg").map(str::to_ascii_lowercase);
    let boundary = boundary(ct)?;
    let parts = split_multipart(buf, entity, &boundary, limits)?;
    let (content_range, signature_range) = match parts.as_slice() {
        [content, signature] => (*content, *signature),
        [] | [_] => {
            return Err(SmimeError::NoSignaturePart {
                detail: format!("{} body part(s); RFC 1847 requires 2", parts.len()),
            })
        }
        _ => return Err(SmimeError::ExtraParts { found: parts.len() }),
    };
    let content = canonicalise_line_endings(
        buf.get(content_range.0..content_range.1)
            .unwrap_or_default(),
    );
    let part = parse_entity(buf, signature_range.0, signature_range.1, limits)?;
    let media = part
        .content_type()
        .map(|c| c.media)
        .unwrap_or_else(|| "text/plain (no Content-Type)".to_string());
    if !is_pkcs7_signature(&media) {
        return Err(SmimeError::NoSignaturePart {
            detail: format!("the second body part is {media}, not application/pkcs7-signature"),
        });
    }
    let signature = decode_body(buf, &part, "signature")?;
    if signature.is_empty() {
        return Err(SmimeError::NoSignaturePart {
            detail: "the application/pkcs7-signature part is empty".to_string(),
        });
    }
    Ok(SmimeMessage::Detached {
        content,
        signature,
        micalg,
    })
}

/// `application/pkcs7-mime` (RFC 8551 §3.5.2).
fn opaque(buf: &[u8], entity: &Entity, ct: &ContentType) -> Result<SmimeMessage, SmimeError> {
    if let Some(smime_type) = ct.param("smime-type") {
        if !smime_type.eq_ignore_ascii_case("signed-data") {
            return Err(SmimeError::NotSignedData {
                smime_type: smime_type.to_string(),
            });
        }
    }
    let cms = decode_body(buf, entity, "pkcs7-mime")?;
    Ok(SmimeMessage::Opaque { cms })
}

/// The body of `entity` after its Content-Transfer-Encoding.
fn decode_body(buf: &[u8], entity: &Entity, part: &'static str) -> Result<Vec<u8>, SmimeError> {
    let body = buf.get(entity.body_start..entity.end).unwrap_or_default();
    let encoding = entity
        .header("content-transfer-encoding")
        .map(|e| ContentType::parse(e).media)
        .unwrap_or_default();
    match encoding.as_str() {
        "base64" => {
            let compact: Vec<u8> = body
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            BASE64.decode(&compact).map_err(|e| SmimeError::BadBase64 {
                part,
                detail: e.to_string(),
            })
        }
        "" | "7bit" | "8bit" | "binary" => Ok(body.to_vec()),
        _ => Err(SmimeError::UnsupportedEncoding { part, encoding }),
    }
}

/// Standard alphabet; padding optional (some agents drop it).
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Bare LF → CRLF (RFC 8551 §3.1.1 canonical form); existing CRLF pairs are kept.
fn canonicalise_line_endings(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 32);
    let mut prev = 0u8;
    for &b in bytes {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_parameters() {
        let ct = ContentType::parse(
            "Multipart/Signed; (comment; x=y) micalg=SHA1;\tBOUNDARY=\"a \\\"b\\\";c\" ; protocol=application/pkcs7-signature",
        );
        assert_eq!(ct.media, "multipart/signed");
        assert_eq!(ct.param("micalg"), Some("SHA1"));
        assert_eq!(ct.param("boundary"), Some("a \"b\";c"));
        assert_eq!(ct.param("protocol"), Some("application/pkcs7-signature"));
    }

    #[test]
    fn delimiter_owns_preceding_crlf() {
        let msg = b"Content-Type: multipart/signed; boundary=b\r\n\r\npre\r\n--b\r\nX: 1\r\n\r\nbody\r\n\r\n--b \r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: BASE64\r\n\r\nAA\r\nEC\r\n\r\n--b--\r\n";
        let m = parse(msg, &Limits::default()).unwrap();
        assert_eq!(
            m,
            SmimeMessage::Detached {
                content: b"X: 1\r\n\r\nbody\r\n".to_vec(),
                signature: vec![0, 1, 2],
                micalg: None,
            }
        );
    }

    #[test]
    fn lf_canonicalised() {
        assert_eq!(
            canonicalise_line_endings(b"a\nb\r\nc\n"),
            b"a\r\nb\r\nc\r\n"
        );
    }

    #[test]
    fn sniffing() {
        assert!(looks_like_mime(
            b"Subject: x\r\n folded\r\nMIME-Version: 1.0\r\n\r\n"
        ));
        assert!(!looks_like_mime(b"-----BEGIN PKCS7-----\n"));
        assert!(!looks_like_mime(b"\x30\x82\x01\x00"));
        assert!(!looks_like_mime(
            b"Subject: x\r\n\r\nContent-Type: text/plain\r\n"
        ));
    }
}
