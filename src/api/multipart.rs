//! A bounded reader of `multipart/form-data` bodies (RFC 7578 over RFC 2046 §5.1) held in
//! memory: the boundary from the Content-Type, then each part's name, file name and bytes.
//! Part headers other than Content-Disposition are ignored; every bound is a constant here
//! (the body itself is bounded by the server's body limit).

use super::{ApiError, ErrorKind};

/// At most this many parts.
pub const MAX_PARTS: usize = 16;
/// At most this many bytes of headers per part.
pub const MAX_PART_HEADERS: usize = 8 * 1024;
/// RFC 2046: a boundary is 1 to 70 characters.
const MAX_BOUNDARY: usize = 70;

/// One part of a form.
#[derive(Debug, PartialEq, Eq)]
pub struct Part<'a> {
    /// The form field's name.
    pub name: String,
    /// The file name, for a file field.
    pub filename: Option<String>,
    /// The part's bytes.
    pub data: &'a [u8],
}

fn malformed(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorKind::MalformedMultipart, message)
}

/// The `boundary` parameter of a `multipart/form-data` Content-Type.
pub fn boundary(content_type: &str) -> Result<String, ApiError> {
    let mut params = content_type.split(';');
    let media = params.next().unwrap_or_default().trim();
    if !media.eq_ignore_ascii_case("multipart/form-data") {
        return Err(malformed(format!("{media} is not multipart/form-data")));
    }
    for p in params {
        let Some((k, v)) = p.split_once('=') else {
            continue;
        };
        if k.trim().eq_ignore_ascii_case("boundary") {
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|x| x.strip_suffix('"'))
                .unwrap_or(v);
            if v.is_empty() || v.len() > MAX_BOUNDARY {
                return Err(malformed(
                    "the multipart boundary must be 1 to 70 characters",
                ));
            }
            return Ok(v.to_owned());
        }
    }
    Err(malformed(
        "the multipart Content-Type has no boundary parameter",
    ))
}

/// The position of `needle` in `hay` at or after `from`.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Splits a form body into its parts.
pub fn parse<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, ApiError> {
    let delimiter = format!("--{boundary}");
    let d = delimiter.as_bytes();
    // The first delimiter starts the body or follows CRLF (after a preamble).
    let mut at = if body.starts_with(d) {
        0
    } else {
        find(body, format!("\r\n{delimiter}").as_bytes(), 0)
            .map(|p| p + 2)
            .ok_or_else(|| malformed("the body has no multipart delimiter"))?
    };
    let next_delimiter = format!("\r\n{delimiter}");
    let mut parts = Vec::new();
    loop {
        let after = at + d.len();
        let rest = body.get(after..).unwrap_or_default();
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        // Transport padding (spaces, tabs) may follow a delimiter, then CRLF.
        let pad = rest
            .iter()
            .take_while(|b| **b == b' ' || **b == b'\t')
            .count();
        if !rest.get(pad..).unwrap_or_default().starts_with(b"\r\n") {
            return Err(malformed("a multipart delimiter is not followed by CRLF"));
        }
        if parts.len() == MAX_PARTS {
            return Err(malformed(format!("more than {MAX_PARTS} multipart parts")));
        }
        let start = after + pad + 2;
        let end = find(body, next_delimiter.as_bytes(), start)
            .ok_or_else(|| malformed("a multipart part is not closed by a delimiter"))?;
        let part = body.get(start..end).unwrap_or_default();
        parts.push(read_part(part)?);
        at = end + 2;
    }
}

/// One part: its headers, an empty line, its bytes.
fn read_part(part: &[u8]) -> Result<Part<'_>, ApiError> {
    let (headers, data) = if part.starts_with(b"\r\n") {
        (&[][..], part.get(2..).unwrap_or_default())
    } else {
        let split = find(part, b"\r\n\r\n", 0)
            .ok_or_else(|| malformed("a multipart part's headers do not end with an empty line"))?;
        (
            part.get(..split).unwrap_or_default(),
            part.get(split + 4..).unwrap_or_default(),
        )
    };
    if headers.len() > MAX_PART_HEADERS {
        return Err(malformed(format!(
            "a multipart part has more than {MAX_PART_HEADERS} bytes of headers"
        )));
    }
    let headers = std::str::from_utf8(headers)
        .map_err(|_| malformed("a multipart part's headers are not UTF-8"))?;
    let mut disposition = None;
    for line in headers.split("\r\n") {
        let Some((name, value)) = line.split_once(':') else {
            return Err(malformed(format!(
                "a multipart header line has no colon: {line:?}"
            )));
        };
        if name.trim().eq_ignore_ascii_case("content-disposition") {
            disposition = Some(value.trim());
        }
    }
    let disposition = disposition
        .ok_or_else(|| malformed("a multipart part has no Content-Disposition header"))?;
    let (name, filename) = disposition_params(disposition)?;
    Ok(Part {
        name,
        filename,
        data,
    })
}

/// `form-data; name="…"; filename="…"`.
fn disposition_params(value: &str) -> Result<(String, Option<String>), ApiError> {
    let mut items = split_params(value).into_iter();
    let kind = items.next().unwrap_or_default();
    if !kind.trim().eq_ignore_ascii_case("form-data") {
        return Err(malformed(format!(
            "a multipart part's Content-Disposition is {:?}, not form-data",
            kind.trim()
        )));
    }
    let (mut name, mut filename) = (None, None);
    for item in items {
        let Some((k, v)) = item.split_once('=') else {
            continue;
        };
        let v = unquote(v.trim());
        match k.trim().to_ascii_lowercase().as_str() {
            "name" => name = Some(v),
            "filename" => filename = Some(v),
            _ => {}
        }
    }
    let name = name.ok_or_else(|| malformed("a multipart part has no name"))?;
    Ok((name, filename))
}

/// Splits on `;` outside quoted strings.
fn split_params(value: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted, mut escaped) = (Vec::new(), String::new(), false, false);
    for c in value.chars() {
        match c {
            _ if escaped => {
                escaped = false;
                cur.push(c);
            }
            '\\' if quoted => {
                escaped = true;
                cur.push(c);
            }
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ';' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// A token or a quoted string (with `\` escapes).
fn unquote(v: &str) -> String {
    let Some(inner) = v.strip_prefix('"').and_then(|x| x.strip_suffix('"')) else {
        return v.to_owned();
    };
    let mut out = String::new();
    let mut escaped = false;
    for c in inner.chars() {
        if escaped || c != '\\' {
            out.push(c);
            escaped = false;
        } else {
            escaped = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"document\"; filename=\"a;b.p7s\"\r\nContent-Type: application/pkcs7-signature\r\n\r\n\x30\x80\r\n\r\n--XyZ  \r\nContent-Disposition: form-data; name=relying_party\r\n\r\nHK\r\n--XyZ--\r\nepilogue";

    #[test]
    fn parts_names_filenames_and_bytes() {
        let b = boundary("multipart/form-data; charset=utf-8; boundary=\"XyZ\"").unwrap();
        assert_eq!(b, "XyZ");
        let parts = parse(BODY, &b).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "document");
        assert_eq!(parts[0].filename.as_deref(), Some("a;b.p7s"));
        assert_eq!(parts[0].data, b"\x30\x80\r\n");
        assert_eq!(parts[1].name, "relying_party");
        assert_eq!(parts[1].filename, None);
        assert_eq!(parts[1].data, b"HK");
    }

    #[test]
    fn malformed_bodies_are_errors() {
        assert!(boundary("application/json").is_err());
        assert!(boundary("multipart/form-data").is_err());
        assert!(boundary(&format!("multipart/form-data; boundary={}", "a".repeat(71))).is_err());
        for bad in [
            &b""[..],
            b"--XyZ",
            b"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nunterminated",
            b"--XyZ\r\nno colon here\r\n\r\nx\r\n--XyZ--",
            b"--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--XyZ--",
            b"--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--",
            b"--XyZjunk\r\n",
        ] {
            let e = parse(bad, "XyZ").unwrap_err();
            assert_eq!(e.kind, ErrorKind::MalformedMultipart, "{bad:?}");
        }
    }

    #[test]
    fn too_many_parts_is_refused() {
        let mut body = Vec::new();
        for _ in 0..=MAX_PARTS {
            body.extend_from_slice(b"--b\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n");
        }
        body.extend_from_slice(b"--b--");
        let e = parse(&body, "b").unwrap_err();
        assert!(e.message.contains("more than 16"), "{}", e.message);
    }
}
