//! Request parsing: every error class, and the requests that parse.

use super::*;

const JSON: Option<&str> = Some("application/json");

fn kind(r: Result<VerifyRequest, ApiError>) -> ErrorKind {
    r.expect_err("should be refused").kind
}

#[test]
fn json_verify_request_parses() {
    let body = br#"{"document": "MIA=", "content": "aGVs\nbG8", "filename": "x.p7s",
        "relying_party": "gd", "validation_time": "2026-12-01T00:00:00Z", "revocation": "require"}"#;
    let r = parse_verify(Some("application/json; charset=utf-8"), body).unwrap();
    assert_eq!(r.document, vec![0x30, 0x80]);
    assert_eq!(r.content.as_deref(), Some(&b"hello"[..]));
    assert_eq!(r.filename.as_deref(), Some("x.p7s"));
    assert_eq!(r.options.relying_party, Some(Jurisdiction::Gd));
    assert_eq!(r.options.time, Some(1_796_083_200));
    assert_eq!(r.options.revocation, Some(RevocationMode::Require));
}

#[test]
fn every_error_class_of_verify() {
    assert_eq!(
        kind(parse_verify(Some("text/plain"), b"{}")),
        ErrorKind::UnsupportedMediaType
    );
    assert_eq!(
        kind(parse_verify(None, b"{}")),
        ErrorKind::UnsupportedMediaType
    );
    assert_eq!(
        kind(parse_verify(JSON, b"{\"document\":")),
        ErrorKind::MalformedJson
    );
    assert_eq!(kind(parse_verify(JSON, b"[1]")), ErrorKind::MalformedJson);
    assert_eq!(
        kind(parse_verify(JSON, br#"{"document":"MIA=","x":1}"#)),
        ErrorKind::UnknownField
    );
    assert_eq!(
        kind(parse_verify(JSON, br#"{"content":"MIA="}"#)),
        ErrorKind::MissingField
    );
    assert_eq!(
        kind(parse_verify(JSON, br#"{"document":5}"#)),
        ErrorKind::InvalidField
    );
    assert_eq!(
        kind(parse_verify(JSON, br#"{"document":"@@@"}"#)),
        ErrorKind::InvalidBase64
    );
    assert_eq!(
        kind(parse_verify(
            JSON,
            br#"{"document":"MIA=","validation_time":"yesterday"}"#
        )),
        ErrorKind::InvalidTime
    );
    assert_eq!(
        kind(parse_verify(
            JSON,
            br#"{"document":"MIA=","relying_party":"EU"}"#
        )),
        ErrorKind::InvalidField
    );
    assert_eq!(
        kind(parse_verify(
            JSON,
            br#"{"document":"MIA=","revocation":"maybe"}"#
        )),
        ErrorKind::InvalidField
    );
    assert_eq!(
        kind(parse_verify(
            Some("multipart/form-data; boundary=b"),
            b"nothing"
        )),
        ErrorKind::MalformedMultipart
    );
}

#[test]
fn multipart_verify_request_parses_and_checks_names() {
    let ct = Some("multipart/form-data; boundary=B");
    let body = b"--B\r\nContent-Disposition: form-data; name=\"document\"; filename=\"s.p7s\"\r\n\r\n\x30\x80\r\n--B\r\nContent-Disposition: form-data; name=\"content\"; filename=\"c.txt\"\r\n\r\nhello\r\n--B\r\nContent-Disposition: form-data; name=\"relying_party\"\r\n\r\nHK\r\n--B--\r\n";
    let r = parse_verify(ct, body).unwrap();
    assert_eq!(r.document, vec![0x30, 0x80]);
    assert_eq!(r.content.as_deref(), Some(&b"hello"[..]));
    assert_eq!(r.filename.as_deref(), Some("s.p7s"));
    assert_eq!(r.options.relying_party, Some(Jurisdiction::Hk));
    let unknown = b"--B\r\nContent-Disposition: form-data; name=\"doc\"\r\n\r\nx\r\n--B--";
    assert_eq!(kind(parse_verify(ct, unknown)), ErrorKind::UnknownField);
    let missing = b"--B\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\nx\r\n--B--";
    assert_eq!(kind(parse_verify(ct, missing)), ErrorKind::MissingField);
    let twice = b"--B\r\nContent-Disposition: form-data; name=\"document\"\r\n\r\nx\r\n--B\r\nContent-Disposition: form-data; name=\"document\"\r\n\r\ny\r\n--B--";
    assert_eq!(kind(parse_verify(ct, twice)), ErrorKind::InvalidField);
}

#[test]
fn verify_digest_request_parses_and_refuses_bad_digests() {
    let digest = "ab".repeat(32);
    let ok = format!(r#"{{"signature":"MIA=","digest_algorithm":"sha256","digest":"{digest}"}}"#);
    let r = parse_verify_digest(JSON, ok.as_bytes()).unwrap();
    assert_eq!(r.digest, Some((DigestAlgorithm::Sha256, vec![0xab; 32])));
    assert_eq!(r.document, vec![0x30, 0x80]);
    let short = r#"{"signature":"MIA=","digest_algorithm":"SHA-256","digest":"abcd"}"#;
    assert_eq!(
        kind(parse_verify_digest(JSON, short.as_bytes())),
        ErrorKind::InvalidDigest
    );
    let nothex = r#"{"signature":"MIA=","digest_algorithm":"SM3","digest":"zz"}"#;
    assert_eq!(
        kind(parse_verify_digest(JSON, nothex.as_bytes())),
        ErrorKind::InvalidDigest
    );
    let alg = r#"{"signature":"MIA=","digest_algorithm":"MD5","digest":"00"}"#;
    assert_eq!(
        kind(parse_verify_digest(JSON, alg.as_bytes())),
        ErrorKind::InvalidDigest
    );
    let missing = r#"{"signature":"MIA=","digest_algorithm":"SM3"}"#;
    assert_eq!(
        kind(parse_verify_digest(JSON, missing.as_bytes())),
        ErrorKind::MissingField
    );
    assert_eq!(
        kind(parse_verify_digest(
            Some("multipart/form-data; boundary=x"),
            b""
        )),
        ErrorKind::UnsupportedMediaType
    );
}

#[test]
fn verify_errors_map_to_document_kinds() {
    let verifier = Verifier::builder().build();
    // Text is not a signed document.
    let r = parse_verify(JSON, br#"{"document":"aGVsbG8sIHRoaXMgaXMgdGV4dAo="}"#).unwrap();
    assert_eq!(
        r.verify(&verifier).unwrap_err().kind,
        ErrorKind::UnsupportedDocument
    );
    // A PDF that cannot be read is malformed (PDFs are verified).
    let r = parse_verify(JSON, br#"{"document":"JVBERi0xLjcK"}"#).unwrap();
    assert_eq!(
        r.verify(&verifier).unwrap_err().kind,
        ErrorKind::MalformedDocument
    );
    let r = parse_verify(JSON, br#"{"document":"MIIB"}"#).unwrap();
    assert_eq!(
        r.verify(&verifier).unwrap_err().kind,
        ErrorKind::MalformedDocument
    );
}

#[test]
fn every_kind_has_a_4xx_or_5xx_status_and_a_distinct_name() {
    let mut names: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
    for k in ErrorKind::ALL {
        assert!((400..600).contains(&k.status()), "{k:?}");
        assert_eq!(
            serde_json::to_value(k).unwrap(),
            serde_json::Value::String(k.as_str().into())
        );
    }
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), ErrorKind::ALL.len());
    // Only the service's own failure is a 500; bad input never is.
    let fives: Vec<_> = ErrorKind::ALL
        .iter()
        .filter(|k| k.status() >= 500)
        .collect();
    assert_eq!(
        fives,
        [&ErrorKind::Busy, &ErrorKind::Timeout, &ErrorKind::Internal]
    );
}

#[test]
fn base64_fields_drop_whitespace_and_padding_and_locate_errors() {
    assert_eq!(
        base64_field("d", "aGVsbG8=").ok().as_deref(),
        Some(&b"hello"[..])
    );
    assert_eq!(
        base64_field("d", "aGVsbG8").ok().as_deref(),
        Some(&b"hello"[..])
    );
    assert_eq!(
        base64_field("d", "aGVs\r\n bG8=").ok().as_deref(),
        Some(&b"hello"[..])
    );
    // An error's offset counts the characters left once whitespace is dropped.
    let e = base64_field("d", "aG Vs!G8")
        .err()
        .map(|e| (e.kind, e.message));
    assert!(
        matches!(&e, Some((ErrorKind::InvalidBase64, m)) if m.contains("offset 4")),
        "{e:?}"
    );
    let e = base64_field("d", "aGVs!G8").err().map(|e| e.message);
    assert!(
        e.as_deref().is_some_and(|m| m.contains("offset 4")),
        "{e:?}"
    );
}
