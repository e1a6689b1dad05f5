//! `sigbridge serve` over real HTTP on 127.0.0.1: every endpoint, every error class (4xx
//! JSON bodies, never a 5xx for bad input, never a dropped connection), metrics counted,
//! the OpenAPI document matching the routes, reloads (admin endpoint and SIGHUP), back-
//! pressure and graceful shutdown. Expected verdicts are the fixtures' (fixtures/expected.json).

mod common;
mod support;

use serde_json::json;
use sigbridge::crypto::DigestAlgorithm;
use support::*;

const BIN: &str = env!("CARGO_BIN_EXE_sigbridge");
const AT: &str = "2026-12-01T00:00:00Z";

fn server(extra: &[&str]) -> Server {
    let stores = fixtures().join("trust-stores");
    let mut args = vec![
        "--trust-stores",
        stores.to_str().unwrap(),
        "--at",
        AT,
        "--revocation",
        "off",
    ];
    args.extend_from_slice(extra);
    Server::start_bin(BIN, &args)
}

fn metric(text: &str, line_prefix: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(line_prefix))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

#[test]
fn every_get_endpoint_answers() {
    let s = server(&[]);
    let r = get(s.addr, "/healthz");
    assert_eq!((r.status, r.json()["status"].clone()), (200, json!("ok")));
    let r = get(s.addr, "/readyz");
    assert_eq!(
        (r.status, r.json()["status"].clone()),
        (200, json!("ready"))
    );
    let v = get(s.addr, "/v1/version").json();
    assert_eq!(v["format"], "sigbridge-version/1");
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["report_format"], "sigbridge-report/2");
    assert_eq!(v["containers"], json!(["cms", "smime", "pdf", "ofd"]));
    let t = get(s.addr, "/v1/trust-lists").json();
    assert_eq!(t["format"], "sigbridge-trust-lists/1");
    let js: Vec<&str> = t["lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["jurisdiction"].as_str().unwrap())
        .collect();
    assert_eq!(js, ["HK", "GD"]);
    let page = get(s.addr, "/");
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let text = page.text();
    assert!(text.contains("/v1/verify") && text.contains("繁體中文") && text.contains("简体中文"));
    assert!(
        !text.contains("http://") && !text.contains("https://"),
        "the page loads nothing from elsewhere"
    );
    let m = get(s.addr, "/metrics");
    assert!(m.header("content-type").unwrap().starts_with("text/plain"));
    assert!(m
        .text()
        .contains("# TYPE sigbridge_request_duration_seconds histogram"));
    let o = get(s.addr, "/openapi.json").json();
    assert_eq!(o["openapi"], "3.1.0");
}

#[test]
fn verify_json_multipart_html_and_digest() {
    let s = server(&[]);
    // JSON, attached, relying party from the request.
    let r = post_json(
        s.addr,
        "/v1/verify",
        &json!({"document": b64(&fixture("hk-mr-personal.p7m")), "relying_party": "GD"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let rep = r.json();
    assert_eq!(rep["format"], "sigbridge-report/2");
    assert_eq!(rep["indication"], "TOTAL_PASSED");
    assert_eq!(rep["relying_party"], "GD");
    assert_eq!(rep["signers"][0]["recognition"]["gd"]["status"], "mutual");
    // JSON, detached with base64 content; a tampered content is a HASH_FAILURE (still 200).
    let r = post_json(
        s.addr,
        "/v1/verify",
        &json!({"document": b64(&fixture("hk-mr-personal.p7s")), "content": b64(&fixture("tampered-content"))}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["sub_indication"], "HASH_FAILURE");
    // Multipart, detached.
    let (ct, body) = multipart(&[
        (
            "document",
            Some("hk-mr-personal.p7s"),
            &fixture("hk-mr-personal.p7s"),
        ),
        ("content", Some("contract.txt"), &fixture("contract.txt")),
    ]);
    let r = request(
        s.addr,
        "POST",
        "/v1/verify",
        &[("Content-Type", &ct)],
        &body,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["indication"], "TOTAL_PASSED");
    assert_eq!(r.json()["detached"], true);
    // The HTML report.
    let r = request(
        s.addr,
        "POST",
        "/v1/verify",
        &[("Content-Type", &ct), ("Accept", "text/html")],
        &body,
    );
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let html = r.text();
    assert!(
        html.contains("TOTAL_PASSED")
            && html.contains("CHAN Tai Man")
            && html.contains("hk-mr-personal.p7s"),
        "{html}"
    );
    // A per-request validation time after the signer certificate expired.
    let r = post_json(
        s.addr,
        "/v1/verify",
        &json!({"document": b64(&fixture("hk-mr-personal.p7m")), "validation_time": "2045-01-01T00:00:00Z"}),
    );
    assert_eq!(r.json()["validation_time"], "2045-01-01T00:00:00Z");
    assert_eq!(r.json()["indication"], "INDETERMINATE");
    // S/MIME.
    let r = post_json(
        s.addr,
        "/v1/verify",
        &json!({"document": b64(&fixture("hk-mr-personal.eml"))}),
    );
    assert_eq!(
        (r.status, r.json()["container"].clone()),
        (200, json!("smime"))
    );
    // The digest only.
    let digest = hex::encode(DigestAlgorithm::Sha256.digest(&fixture("contract.txt")));
    let req = json!({"signature": b64(&fixture("hk-mr-personal.p7s")), "digest_algorithm": "SHA-256", "digest": digest});
    let r = post_json(s.addr, "/v1/verify-digest", &req);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["indication"], "TOTAL_PASSED");
    let sm3 = hex::encode(DigestAlgorithm::Sm3.digest(&fixture("contract.txt")));
    let req = json!({"signature": b64(&fixture("hk-mr-personal.p7s")), "digest_algorithm": "sm3", "digest": sm3});
    let r = post_json(s.addr, "/v1/verify-digest", &req);
    let checks = r.json()["signers"][0]["checks"].clone();
    let failed: Vec<&str> = checks
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "failed")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["content-digest"], "{checks}");
}

/// (status, kind) of each bad request.
#[test]
fn every_error_class_is_a_4xx_json_error() {
    let s = server(&["--max-body", "65536"]);
    let doc = b64(&fixture("hk-mr-personal.p7m"));
    let json_ct = [("Content-Type", "application/json")];
    let cases: Vec<(&str, Response, u16, &str)> = vec![
        (
            "wrong content type",
            request(
                s.addr,
                "POST",
                "/v1/verify",
                &[("Content-Type", "text/plain")],
                b"hello",
            ),
            415,
            "unsupported-media-type",
        ),
        (
            "no content type",
            request(s.addr, "POST", "/v1/verify", &[], b"{}"),
            415,
            "unsupported-media-type",
        ),
        (
            "multipart to verify-digest",
            request(
                s.addr,
                "POST",
                "/v1/verify-digest",
                &[("Content-Type", "multipart/form-data; boundary=x")],
                b"--x--",
            ),
            415,
            "unsupported-media-type",
        ),
        (
            "malformed JSON",
            request(s.addr, "POST", "/v1/verify", &json_ct, b"{\"document\": "),
            400,
            "malformed-json",
        ),
        (
            "JSON not an object",
            request(s.addr, "POST", "/v1/verify", &json_ct, b"\"MIA=\""),
            400,
            "malformed-json",
        ),
        (
            "unknown field",
            post_json(
                s.addr,
                "/v1/verify",
                &json!({"document": doc, "policy": "x"}),
            ),
            400,
            "unknown-field",
        ),
        (
            "missing field",
            post_json(s.addr, "/v1/verify", &json!({"content": "MIA="})),
            400,
            "missing-field",
        ),
        (
            "wrong type",
            post_json(s.addr, "/v1/verify", &json!({"document": 42})),
            400,
            "invalid-field",
        ),
        (
            "bad relying party",
            post_json(
                s.addr,
                "/v1/verify",
                &json!({"document": doc, "relying_party": "EU"}),
            ),
            400,
            "invalid-field",
        ),
        (
            "base64",
            post_json(s.addr, "/v1/verify", &json!({"document": "not*base64"})),
            400,
            "invalid-base64",
        ),
        (
            "content base64",
            post_json(
                s.addr,
                "/v1/verify",
                &json!({"document": doc, "content": "%%%"}),
            ),
            400,
            "invalid-base64",
        ),
        (
            "time",
            post_json(
                s.addr,
                "/v1/verify",
                &json!({"document": doc, "validation_time": "tomorrow"}),
            ),
            400,
            "invalid-time",
        ),
        (
            "digest length",
            post_json(
                s.addr,
                "/v1/verify-digest",
                &json!({"signature": doc, "digest_algorithm": "SHA-256", "digest": "abcd"}),
            ),
            400,
            "invalid-digest",
        ),
        (
            "digest algorithm",
            post_json(
                s.addr,
                "/v1/verify-digest",
                &json!({"signature": doc, "digest_algorithm": "MD5", "digest": "abcd"}),
            ),
            400,
            "invalid-digest",
        ),
        (
            "malformed multipart",
            request(
                s.addr,
                "POST",
                "/v1/verify",
                &[("Content-Type", "multipart/form-data; boundary=zz")],
                b"garbage",
            ),
            400,
            "malformed-multipart",
        ),
        (
            "garbage document",
            post_json(
                s.addr,
                "/v1/verify",
                &json!({"document": b64(b"\x30\x82\xff\xffnot a SignedData")}),
            ),
            422,
            "malformed-document",
        ),
        (
            "truncated document",
            post_json(
                s.addr,
                "/v1/verify",
                &json!({"document": b64(&fixture("malformed-truncated.p7m"))}),
            ),
            422,
            "malformed-document",
        ),
        (
            "text document",
            post_json(
                s.addr,
                "/v1/verify",
                &json!({"document": b64(b"just some text")}),
            ),
            // Not a signed document at all (the message says what it is).
            422,
            "unsupported-document",
        ),
        (
            // A PDF that cannot be read (PDFs are verified, with no repair mode).
            "PDF",
            post_json(
                s.addr,
                "/v1/verify",
                &json!({"document": b64(b"%PDF-1.7\n%%EOF\n")}),
            ),
            422,
            "malformed-document",
        ),
        (
            "not acceptable",
            request(
                s.addr,
                "POST",
                "/v1/verify",
                &[
                    ("Content-Type", "application/json"),
                    ("Accept", "image/png"),
                ],
                json!({"document": doc}).to_string().as_bytes(),
            ),
            406,
            "not-acceptable",
        ),
        (
            "oversized (declared)",
            request(s.addr, "POST", "/v1/verify", &json_ct, &vec![b' '; 70_000]),
            413,
            "payload-too-large",
        ),
        ("not found", get(s.addr, "/v2/verify"), 404, "not-found"),
        (
            "method",
            get(s.addr, "/v1/verify"),
            405,
            "method-not-allowed",
        ),
        (
            "method on GET route",
            request(s.addr, "DELETE", "/metrics", &[], b""),
            405,
            "method-not-allowed",
        ),
    ];
    for (what, r, status, kind) in &cases {
        assert_eq!(
            (r.status, r.kind().as_str()),
            (*status, *kind),
            "{what}: {}",
            r.text()
        );
        assert!(
            r.header("content-type")
                .unwrap()
                .starts_with("application/json"),
            "{what}"
        );
        let e = &r.json()["error"];
        assert!(
            e["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{what}"
        );
        assert_eq!(
            e.as_object().unwrap().len(),
            2,
            "{what}: only kind and message"
        );
    }
    // Oversized and chunked (no Content-Length): refused once the limit is passed.
    let mut c = Conn::open(s.addr).unwrap();
    let mut raw = b"POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..20 {
        raw.extend_from_slice(b"1000\r\n");
        raw.extend_from_slice(&[b' '; 0x1000]);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    c.write_raw(&raw).unwrap();
    let r = c.read_response().unwrap();
    assert_eq!((r.status, r.kind().as_str()), (413, "payload-too-large"));
    // Every refusal was counted by kind; none was a 5xx.
    let m = get(s.addr, "/metrics").text();
    assert_eq!(
        metric(
            &m,
            "sigbridge_request_errors_total{kind=\"invalid-base64\"}"
        ),
        2.0
    );
    assert_eq!(
        metric(
            &m,
            "sigbridge_request_errors_total{kind=\"payload-too-large\"}"
        ),
        2.0
    );
    assert_eq!(
        metric(
            &m,
            "sigbridge_request_errors_total{kind=\"malformed-document\"}"
        ),
        3.0
    );
    assert!(
        !m.lines()
            .any(|l| l.starts_with("sigbridge_requests_total") && l.contains("status=\"5")),
        "{m}"
    );
}

#[test]
fn a_slow_body_is_a_408() {
    let s = server(&["--request-timeout", "1"]);
    let mut c = Conn::open(s.addr).unwrap();
    c.write_raw(b"POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"doc")
        .unwrap();
    let r = c.read_response().unwrap();
    assert_eq!(
        (r.status, r.kind().as_str()),
        (408, "request-timeout"),
        "{}",
        r.text()
    );
}

#[test]
fn metrics_count_requests_verifications_latency_and_caches() {
    let s = server(&[]);
    let doc = json!({"document": b64(&fixture("hk-mr-personal.p7m"))});
    for _ in 0..3 {
        assert_eq!(post_json(s.addr, "/v1/verify", &doc).status, 200);
    }
    let failing = json!({"document": b64(&fixture("corrupted-signature.p7m"))});
    assert_eq!(
        post_json(s.addr, "/v1/verify", &failing).json()["sub_indication"],
        "SIG_CRYPTO_FAILURE"
    );
    let m = get(s.addr, "/metrics").text();
    assert_eq!(
        metric(
            &m,
            "sigbridge_requests_total{endpoint=\"/v1/verify\",status=\"200\"}"
        ),
        4.0
    );
    assert_eq!(
        metric(
            &m,
            "sigbridge_verifications_total{indication=\"TOTAL_PASSED\",sub_indication=\"\"}"
        ),
        3.0
    );
    assert_eq!(metric(&m, "sigbridge_verifications_total{indication=\"TOTAL_FAILED\",sub_indication=\"SIG_CRYPTO_FAILURE\"}"), 1.0);
    assert_eq!(
        metric(
            &m,
            "sigbridge_request_duration_seconds_count{endpoint=\"/v1/verify\"}"
        ),
        4.0
    );
    assert_eq!(
        metric(
            &m,
            "sigbridge_request_duration_seconds_bucket{endpoint=\"/v1/verify\",le=\"+Inf\"}"
        ),
        4.0
    );
    // The same CA sub-path three times: the later documents hit the cache.
    assert!(
        metric(&m, "sigbridge_cache_hits_total{cache=\"sub_paths\"}") >= 2.0,
        "{m}"
    );
    assert!(metric(&m, "sigbridge_cache_hit_ratio{cache=\"sub_paths\"}") > 0.0);
}

#[test]
fn the_openapi_document_matches_the_routes() {
    let s = server(&[]);
    let doc = get(s.addr, "/openapi.json").json();
    let paths = doc["paths"].as_object().unwrap();
    let mut seen = Vec::new();
    for (path, ops) in paths {
        for (method, op) in ops.as_object().unwrap() {
            assert!(op["responses"]["200"].is_object(), "{method} {path}");
            let r = request(
                s.addr,
                &method.to_uppercase(),
                path,
                &[("Content-Type", "application/json")],
                b"{}",
            );
            assert!(
                r.status != 404 && r.status != 405,
                "{method} {path} documented but answers {}",
                r.status
            );
            assert!(r.status < 500, "{method} {path}: {}", r.status);
            // A method the document does not list is refused.
            let other = if method == "get" { "POST" } else { "GET" };
            if !ops.as_object().unwrap().contains_key(&other.to_lowercase()) {
                assert_eq!(
                    request(s.addr, other, path, &[], b"").status,
                    405,
                    "{other} {path}"
                );
            }
            seen.push(format!("{method} {path}"));
        }
    }
    seen.sort();
    let mut expected = [
        "get /",
        "get /healthz",
        "get /readyz",
        "get /metrics",
        "get /openapi.json",
        "get /v1/version",
        "get /v1/trust-lists",
        "post /v1/verify",
        "post /v1/verify-digest",
    ];
    expected.sort();
    assert_eq!(seen, expected);
    // Every $ref resolves, and the report schema is the library's.
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for part in text.split("\"#/components/schemas/").skip(1) {
        let name = part.split('"').next().unwrap();
        assert!(schemas.contains_key(name), "unresolved {name}");
    }
    let lib: serde_json::Value = serde_json::from_str(sigbridge::report::SCHEMA).unwrap();
    assert_eq!(
        schemas["document_report"]["required"],
        lib["$defs"]["document_report"]["required"]
    );
    // The error kinds listed are the library's.
    let kinds: Vec<String> = schemas["ErrorBody"]["properties"]["error"]["properties"]["kind"]
        ["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect();
    let lib_kinds: Vec<String> = sigbridge::api::ErrorKind::ALL
        .iter()
        .map(|k| k.as_str().to_owned())
        .collect();
    assert_eq!(kinds, lib_kinds);
}

#[test]
fn reports_validate_against_the_schema_the_openapi_document_gives() {
    let s = server(&[]);
    let doc = get(s.addr, "/openapi.json").json();
    let mut schema = doc["components"]["schemas"]["document_report"].clone();
    schema["$defs"] = doc["components"]["schemas"].clone();
    let text = schema
        .to_string()
        .replace("#/components/schemas/", "#/$defs/");
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for f in [
        "hk-mr-personal.p7m",
        "gd-sm2-mr.p7m",
        "revoked-signer.p7m",
        "untrusted-root.p7m",
        "two-signers-one-revoked.p7m",
    ] {
        let r = post_json(s.addr, "/v1/verify", &json!({"document": b64(&fixture(f))}));
        let errors: Vec<String> = validator
            .iter_errors(&r.json())
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{f}: {errors:?}");
    }
}

#[test]
fn reload_by_admin_endpoint_and_sighup() {
    let dir = std::env::temp_dir().join(format!("sigbridge-serve-reload-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&fixtures().join("trust-stores"), &dir);
    let s = Server::start_bin(BIN, &["--trust-stores", dir.to_str().unwrap(), "--at", AT]);
    let operator = |s: &Server| {
        get(s.addr, "/v1/trust-lists").json()["lists"][0]["operator"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(operator(&s).starts_with("Demo operator"));
    let list = dir.join("hk/trust-list.json");
    let edit = |to: &str| {
        let mut v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&list).unwrap()).unwrap();
        v["operator"] = json!(to);
        std::fs::write(&list, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    };
    edit("Reloaded by the admin endpoint");
    let admin = s.admin.unwrap();
    let r = request(admin, "POST", "/admin/reload", &[], b"");
    assert_eq!(
        (r.status, r.json()["status"].clone()),
        (200, json!("reloaded"))
    );
    assert_eq!(operator(&s), "Reloaded by the admin endpoint");
    // The admin endpoint is not on the public listener.
    assert_eq!(
        request(s.addr, "POST", "/admin/reload", &[], b"").status,
        404
    );
    edit("Reloaded by SIGHUP");
    s.signal("HUP");
    let mut ok = false;
    for _ in 0..100 {
        if operator(&s) == "Reloaded by SIGHUP" {
            ok = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(ok, "SIGHUP did not reload");
    // A broken list keeps the previous one and says so.
    std::fs::write(&list, b"{ not json").unwrap();
    let r = request(admin, "POST", "/admin/reload", &[], b"");
    assert_eq!((r.status, r.kind().as_str()), (500, "internal"));
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("trust-list.json"));
    assert_eq!(operator(&s), "Reloaded by SIGHUP");
    let m = get(s.addr, "/metrics").text();
    assert_eq!(
        metric(&m, "sigbridge_trust_reloads_total{result=\"ok\"}"),
        2.0
    );
    assert_eq!(
        metric(&m, "sigbridge_trust_reloads_total{result=\"failed\"}"),
        1.0
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn back_pressure_is_a_503_with_retry_after() {
    let s = server(&[
        "--max-concurrent",
        "1",
        "--max-waiting",
        "0",
        "--retry-after",
        "7",
    ]);
    let body = json!({"document": b64(&fixture("two-signers-one-revoked.p7m"))}).to_string();
    let mut busy = None;
    for _round in 0..30 {
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(16));
        let handles: Vec<_> = (0..16)
            .map(|_| {
                let (b, body, addr) = (barrier.clone(), body.clone(), s.addr);
                std::thread::spawn(move || {
                    let mut c = Conn::open(addr).unwrap();
                    b.wait();
                    c.request(
                        "POST",
                        "/v1/verify",
                        &[("Content-Type", "application/json")],
                        body.as_bytes(),
                    )
                    .unwrap()
                })
            })
            .collect();
        for h in handles {
            let r = h.join().unwrap();
            assert!(r.status == 200 || r.status == 503, "{}", r.status);
            if r.status == 503 {
                busy = Some(r);
            }
        }
        if busy.is_some() {
            break;
        }
    }
    let r =
        busy.expect("16 simultaneous requests on one slot without a queue: some must be refused");
    assert_eq!(r.kind(), "busy");
    assert_eq!(r.header("retry-after"), Some("7"));
}

#[test]
fn graceful_shutdown_on_sigterm() {
    let mut s = server(&[]);
    assert_eq!(get(s.addr, "/healthz").status, 200);
    s.signal("TERM");
    let st = wait_exit(&mut s, 5).expect("the server stops within 5 s of SIGTERM");
    assert!(st.success(), "{st:?}");
    assert!(std::net::TcpStream::connect(s.addr).is_err());
}

/// `serve` with these flags exits unsuccessfully before listening, saying `why` on stderr.
fn assert_refused_at_start(flags: &[&str], why: &str) {
    let out = std::process::Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--no-admin"])
        .args(flags)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{flags:?}: {stderr}");
    assert!(stderr.contains(why), "{flags:?}: {stderr}");
}

/// The server's exit status once it exits, polling for at most `seconds`.
fn wait_exit(s: &mut Server, seconds: u64) -> Option<std::process::ExitStatus> {
    for _ in 0..seconds * 20 {
        if let Some(st) = s.child.try_wait().unwrap() {
            return Some(st);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    None
}

#[test]
fn the_admin_listener_must_be_loopback() {
    let out = std::process::Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--admin-listen",
            "0.0.0.0:0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));
}

#[test]
fn a_configuration_file_and_flags_build_the_verifier() {
    let dir = std::env::temp_dir().join(format!("sigbridge-serve-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.json");
    let f = |p: &str| fixtures().join(p).to_string_lossy().into_owned();
    std::fs::write(
        &config,
        json!({"trust_stores": f("trust-stores"), "revocation": "require",
               "crls": [f("docs/pki/hk-root.crl"), f("docs/pki/hk-ca-15.crl")],
               "validation_time": AT})
        .to_string(),
    )
    .unwrap();
    let s = Server::start_bin(BIN, &["--config", config.to_str().unwrap(), "--no-admin"]);
    let r = post_json(
        s.addr,
        "/v1/verify",
        &json!({"document": b64(&fixture("revoked-signer.p7m"))}),
    );
    // Revoked, and nothing proves it signed before: REVOKED_NO_POE (EN 319 102-1).
    assert_eq!(r.json()["sub_indication"], "REVOKED_NO_POE", "{}", r.text());
    let r = post_json(
        s.addr,
        "/v1/verify",
        &json!({"document": b64(&fixture("hk-mr-personal.p7m"))}),
    );
    assert_eq!(r.json()["indication"], "TOTAL_PASSED", "{}", r.text());
    drop(s);
    // A flag overrides the file: revocation off, so the revoked signer passes.
    let s = Server::start_bin(
        BIN,
        &[
            "--config",
            config.to_str().unwrap(),
            "--no-admin",
            "--revocation",
            "off",
        ],
    );
    let r = post_json(
        s.addr,
        "/v1/verify",
        &json!({"document": b64(&fixture("revoked-signer.p7m"))}),
    );
    assert_eq!(r.json()["indication"], "TOTAL_PASSED");
    // A bad configuration is refused at start (exit 4, naming the field).
    std::fs::write(&config, b"{\"trust_store\": \"x\"}").unwrap();
    let out = std::process::Command::new(BIN)
        .args(["serve", "--config", config.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("trust_store"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A listener on 127.0.0.1 that counts connections and closes them.
fn counting_listener() -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let n = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = std::sync::Arc::clone(&n);
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(s);
        }
    });
    (port, n)
}

/// A signed document whose signer certificate points its OCSP and CRL URLs at `port` on
/// 127.0.0.1, as a hostile certificate aiming at the server's own network would.
fn document_pointing_at(dir: &std::path::Path, port: u16) -> Vec<u8> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let ext = format!(
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n\
         authorityInfoAccess=OCSP;URI:http://127.0.0.1:{port}/ocsp\n\
         crlDistributionPoints=URI:http://127.0.0.1:{port}/ca.crl\n"
    );
    std::fs::write(dir.join("leaf.ext"), ext).unwrap();
    std::fs::write(dir.join("content.txt"), b"contract").unwrap();
    common::openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "30",
            "-subj",
            "/CN=SSRF Test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    common::openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "leaf.key",
            "-out",
            "leaf.csr",
            "-subj",
            "/CN=SSRF Test Signer",
        ],
    );
    common::openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "leaf.pem",
            "-days",
            "10",
            "-extfile",
            "leaf.ext",
        ],
    );
    common::openssl(
        dir,
        &[
            "cms",
            "-sign",
            "-in",
            "content.txt",
            "-signer",
            "leaf.pem",
            "-inkey",
            "leaf.key",
            "-nodetach",
            "-binary",
            "-outform",
            "DER",
            "-out",
            "doc.p7m",
        ],
    );
    std::fs::read(dir.join("doc.p7m")).unwrap()
}

#[test]
fn fetching_is_off_by_default_and_never_reaches_internal_addresses() {
    let (port, connections) = counting_listener();
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("service-ssrf-{}", std::process::id()));
    let doc = document_pointing_at(&dir, port);
    let stores = fixtures().join("trust-stores");
    let anchor = dir.join("ca.pem");
    let base = [
        "--trust-stores",
        stores.to_str().unwrap(),
        "--anchor",
        anchor.to_str().unwrap(),
        "--revocation",
        "require",
    ];
    let verify = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        let s = Server::start_bin(BIN, &args);
        let r = post_json(s.addr, "/v1/verify", &json!({"document": b64(&doc)}));
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    };
    let seen = || connections.load(std::sync::atomic::Ordering::SeqCst);
    // Off by default: nothing fetched, the status is unknown.
    let rep = verify(&[]);
    assert_eq!(rep["sub_indication"], "TRY_LATER", "{rep}");
    assert_eq!(seen(), 0);
    // Enabled: the URLs resolve to loopback, which is refused before connecting.
    let rep = verify(&["--fetch"]);
    assert_eq!(rep["sub_indication"], "TRY_LATER", "{rep}");
    assert_eq!(seen(), 0, "a refused address was connected to");
    assert!(
        rep.to_string().contains("allow_internal"),
        "the refusal is reported: {rep}"
    );
    // Allow-listed: the same document makes the server connect (the guard is what stopped it).
    let rep = verify(&["--fetch", "--fetch-allow", "127.0.0.1"]);
    assert_eq!(rep["sub_indication"], "TRY_LATER", "{rep}");
    assert!(seen() >= 1, "allow-listed fetch did not connect");
    // --fetch-allow without fetching is refused at start.
    assert_refused_at_start(&["--fetch-allow", "10.0.0.0/8"], "--fetch-allow");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_request_may_not_weaken_revocation_below_the_minimum() {
    let stores = fixtures().join("trust-stores");
    let s = Server::start_bin(
        BIN,
        &[
            "--trust-stores",
            stores.to_str().unwrap(),
            "--at",
            AT,
            "--revocation",
            "require",
            "--min-revocation",
            "prefer",
        ],
    );
    let doc = b64(&fixture("hk-mr-personal.p7m"));
    let r = post_json(
        s.addr,
        "/v1/verify",
        &json!({"document": doc, "revocation": "off"}),
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(r.kind(), "forbidden");
    assert!(r.text().contains("--min-revocation prefer"), "{}", r.text());
    let r = post_json(
        s.addr,
        "/v1/verify",
        &json!({"document": doc, "revocation": "prefer"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let r = post_json(s.addr, "/v1/verify", &json!({"document": doc}));
    assert_eq!(r.status, 200, "{}", r.text());
    // The service's own default may not be below its minimum.
    assert_refused_at_start(
        &["--revocation", "off", "--min-revocation", "require"],
        "weaker than --min-revocation",
    );
}

#[test]
fn sigterm_with_drain_answers_not_ready_while_still_serving() {
    let mut s = server(&["--drain", "2"]);
    assert_eq!(get(s.addr, "/readyz").status, 200);
    s.signal("TERM");
    // Within the drain period: not ready, but still answering.
    let mut not_ready = false;
    for _ in 0..20 {
        if get(s.addr, "/readyz").status == 503 {
            not_ready = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert!(not_ready, "/readyz did not turn 503 after SIGTERM");
    assert_eq!(get(s.addr, "/healthz").status, 200);
    assert!(
        s.child.try_wait().unwrap().is_none(),
        "stopped before the drain ended"
    );
    let st = wait_exit(&mut s, 7).expect("the server stops within 7 s of SIGTERM with --drain 2");
    assert!(st.success(), "{st:?}");
}

/// Starts `serve` with stderr to a file; returns the child, its address and the log path.
fn server_logging(
    extra: &[&str],
    log: &std::path::Path,
) -> (std::process::Child, std::net::SocketAddr) {
    use std::io::BufRead;
    let stores = fixtures().join("trust-stores");
    let mut child = std::process::Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--no-admin",
            "--revocation",
            "off",
        ])
        .args(["--at", AT, "--trust-stores", stores.to_str().unwrap()])
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains("listening on") {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "serve exited");
    }
    let addr = line
        .trim()
        .rsplit("http://")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    (child, addr)
}

#[test]
fn log_level_sets_what_is_logged() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let doc = b64(&fixture("hk-mr-personal.p7m"));
    let mut lines = Vec::new();
    for level in ["info", "error"] {
        let log = dir.join(format!("serve-log-{level}-{}.txt", std::process::id()));
        let (mut child, addr) = server_logging(&["--log-level", level], &log);
        let r = post_json(addr, "/v1/verify", &json!({"document": doc}));
        assert_eq!(r.status, 200);
        let _ = child.kill();
        let _ = child.wait();
        lines.push(std::fs::read_to_string(&log).unwrap());
        let _ = std::fs::remove_file(&log);
    }
    assert!(
        lines[0].contains("verified"),
        "info logs each verification: {}",
        lines[0]
    );
    assert!(
        !lines[1].contains("verified"),
        "error level logs no verification: {}",
        lines[1]
    );
    assert!(!lines[1].contains("listening"), "{}", lines[1]);
}

#[test]
fn small_and_large_bodies_give_the_same_report_inline_or_on_the_blocking_pool() {
    let doc = json!({"document": b64(&fixture("hk-mr-personal.p7m")), "relying_party": "GD"});
    let mut reports = Vec::new();
    for limit in ["65536", "0"] {
        let s = server(&["--inline-below", limit]);
        let r = post_json(s.addr, "/v1/verify", &doc);
        assert_eq!(r.status, 200, "{}", r.text());
        reports.push(r.json());
    }
    assert_eq!(reports[0]["indication"], "TOTAL_PASSED");
    assert_eq!(reports[0], reports[1]);
}
