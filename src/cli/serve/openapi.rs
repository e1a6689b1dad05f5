//! The route table ([`ROUTES`]: the router is built from it) and the OpenAPI 3.1 document
//! of `GET /openapi.json` built from the same table. The report shapes are the library's
//! JSON Schema (`sigbridge::report::SCHEMA`, which tests/schema.rs checks against real
//! output), imported as components; the request and error shapes are written here from
//! the library's field lists (`sigbridge::api::VERIFY_FIELDS`, `ErrorKind::ALL`). Hand-built
//! rather than derived (utoipa) because the report types already have a tested schema and
//! deriving another one would mean annotating every report type of the library.

use serde_json::{json, Map, Value};
use sigbridge::api::{ErrorKind, VERIFY_DIGEST_FIELDS, VERIFY_FIELDS};

/// What answers a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handler {
    Page,
    Health,
    Ready,
    Version,
    TrustLists,
    Metrics,
    OpenApi,
    Verify,
    VerifyDigest,
}

/// One route.
pub struct Route {
    /// `get` or `post`.
    pub method: &'static str,
    pub path: &'static str,
    pub handler: Handler,
    pub summary: &'static str,
}

/// Every public route.
pub const ROUTES: &[Route] = &[
    Route { method: "get", path: "/", handler: Handler::Page, summary: "The officer's web page (self-contained HTML)." },
    Route { method: "get", path: "/healthz", handler: Handler::Health, summary: "Liveness: the process answers." },
    Route { method: "get", path: "/readyz", handler: Handler::Ready, summary: "Readiness: 200 while serving, 503 while shutting down." },
    Route { method: "get", path: "/v1/version", handler: Handler::Version, summary: "The build's version and report format." },
    Route { method: "get", path: "/v1/trust-lists", handler: Handler::TrustLists, summary: "The Hong Kong and Guangdong trust lists in use (sigbridge-trust-lists/1)." },
    Route { method: "get", path: "/metrics", handler: Handler::Metrics, summary: "Prometheus text: requests, verifications by indication, errors, latency, cache hit rates." },
    Route { method: "get", path: "/openapi.json", handler: Handler::OpenApi, summary: "This document." },
    Route { method: "post", path: "/v1/verify", handler: Handler::Verify, summary: "Verify a signed document (JSON with base64, or multipart/form-data)." },
    Route { method: "post", path: "/v1/verify-digest", handler: Handler::VerifyDigest, summary: "Verify a detached signature against the content's digest (the content stays with the caller)." },
];

/// The OpenAPI document as pretty JSON text.
pub fn document_text() -> String {
    serde_json::to_string_pretty(&document()).unwrap_or_default()
}

fn string(description: &str) -> Value {
    json!({"type": "string", "description": description})
}

fn options_properties(p: &mut Map<String, Value>) {
    p.insert(
        "filename".into(),
        string("The document's file name (reports and logs only)."),
    );
    p.insert(
        "relying_party".into(),
        json!({"type": "string", "enum": ["HK", "GD", "hk", "gd"], "description": "Whose verdict sets the indication."}),
    );
    p.insert(
        "validation_time".into(),
        json!({"type": "string", "format": "date-time", "description": "RFC 3339 validation time (default: the service's, else now)."}),
    );
    p.insert(
        "revocation".into(),
        json!({"type": "string", "enum": ["require", "prefer", "off"], "description": "Revocation checking for this request."}),
    );
}

fn request_schemas() -> (Value, Value, Value) {
    let mut v = Map::new();
    v.insert("document".into(), json!({"type": "string", "contentEncoding": "base64", "description": "The signed document (.p7m, .p7s, .eml), base64."}));
    v.insert("content".into(), json!({"type": "string", "contentEncoding": "base64", "description": "The content of a detached signature, base64."}));
    options_properties(&mut v);
    let verify = json!({"type": "object", "additionalProperties": false, "required": ["document"], "properties": v});
    let mut m = v.clone();
    m.insert(
        "document".into(),
        json!({"type": "string", "format": "binary", "description": "The signed document."}),
    );
    m.insert("content".into(), json!({"type": "string", "format": "binary", "description": "The content of a detached signature."}));
    let multipart = json!({"type": "object", "additionalProperties": false, "required": ["document"], "properties": m});
    let mut d = Map::new();
    d.insert("signature".into(), json!({"type": "string", "contentEncoding": "base64", "description": "The detached signature (.p7s), base64."}));
    d.insert("digest_algorithm".into(), json!({"type": "string", "description": "SHA-1, SHA-224, SHA-256, SHA-384, SHA-512 or SM3 (any case, dash optional)."}));
    d.insert("digest".into(), json!({"type": "string", "pattern": "^[0-9a-fA-F]+$", "description": "The content's digest, hex."}));
    options_properties(&mut d);
    let digest = json!({"type": "object", "additionalProperties": false, "required": ["signature", "digest_algorithm", "digest"], "properties": d});
    (verify, multipart, digest)
}

/// The report schema's definitions as components (`#/$defs/x` → `#/components/schemas/x`).
fn report_components() -> Map<String, Value> {
    let text = sigbridge::report::SCHEMA.replace("\"#/$defs/", "\"#/components/schemas/");
    let schema: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    match schema.get("$defs") {
        Some(Value::Object(defs)) => defs.clone(),
        _ => Map::new(),
    }
}

fn error_response(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}})
}

fn json_ok(schema: &str, description: &str) -> Value {
    json!({"200": {"description": description, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}}})
}

fn operation(route: &Route) -> Value {
    let mut op = json!({"summary": route.summary, "operationId": format!("{:?}", route.handler)});
    let responses = match route.handler {
        Handler::Page => {
            json!({"200": {"description": "The page.", "content": {"text/html": {"schema": {"type": "string"}}}}})
        }
        Handler::Health => json_ok("Status", "Alive."),
        Handler::Ready => {
            let mut r = json_ok("Status", "Ready.");
            r["503"] = json!({"description": "Shutting down.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}});
            r
        }
        Handler::Version => json_ok("VersionInfo", "The version."),
        Handler::TrustLists => json_ok("trust_lists_report", "Both lists."),
        Handler::Metrics => {
            json!({"200": {"description": "Prometheus text exposition 0.0.4.", "content": {"text/plain": {"schema": {"type": "string"}}}}})
        }
        Handler::OpenApi => {
            json!({"200": {"description": "OpenAPI 3.1.", "content": {"application/json": {"schema": {"type": "object"}}}}})
        }
        Handler::Verify | Handler::VerifyDigest => verify_responses(),
    };
    op["responses"] = responses;
    match route.handler {
        Handler::Verify => {
            op["requestBody"] = json!({"required": true, "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/VerifyRequest"}},
                "multipart/form-data": {"schema": {"$ref": "#/components/schemas/VerifyForm"}}}});
        }
        Handler::VerifyDigest => {
            op["requestBody"] = json!({"required": true, "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/VerifyDigestRequest"}}}});
        }
        _ => {}
    }
    op
}

fn verify_responses() -> Value {
    json!({
        "200": {"description": "The report (sigbridge-report/2), as `sigbridge verify --format json` prints it; with Accept: text/html, the HTML report. A document that does not verify is still a 200: read `indication`.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/document_report"}},
                            "text/html": {"schema": {"type": "string"}}}},
        "400": error_response("Malformed request: malformed-json, malformed-multipart, unknown-field, missing-field, invalid-field, invalid-base64, invalid-digest, invalid-time."),
        "403": error_response("forbidden: the request asks for a weaker revocation mode than the service's --min-revocation."),
        "406": error_response("not-acceptable: Accept allows neither JSON nor HTML."),
        "408": error_response("request-timeout: the body did not arrive in time."),
        "413": error_response("payload-too-large: the body exceeds the limit."),
        "415": error_response("unsupported-media-type."),
        "422": error_response("malformed-document or unsupported-document: the request is well formed but the document cannot be read."),
        "503": {"description": "busy (every verification slot and the wait queue are full) or timeout; retry after Retry-After seconds.",
                "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
    })
}

/// The OpenAPI 3.1 document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for r in ROUTES {
        let entry = paths.entry(r.path.to_owned()).or_insert_with(|| json!({}));
        entry[r.method] = operation(r);
    }
    let mut schemas = report_components();
    let (verify, form, digest) = request_schemas();
    schemas.insert("VerifyRequest".into(), verify);
    schemas.insert("VerifyForm".into(), form);
    schemas.insert("VerifyDigestRequest".into(), digest);
    let kinds: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
    schemas.insert("ErrorBody".into(), json!({
        "type": "object", "additionalProperties": false, "required": ["error"],
        "properties": {"error": {"type": "object", "additionalProperties": false, "required": ["kind", "message"],
            "properties": {"kind": {"type": "string", "enum": kinds}, "message": {"type": "string"}}}}}));
    schemas.insert("Status".into(), json!({"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}}));
    schemas.insert("VersionInfo".into(), json!({
        "type": "object", "additionalProperties": false,
        "required": ["format", "name", "version", "report_format", "containers"],
        "properties": {"format": {"const": sigbridge::api::VERSION_FORMAT}, "name": {"type": "string"}, "version": {"type": "string"},
            "report_format": {"type": "string"}, "containers": {"type": "array", "items": {"type": "string"}}}}));
    debug_assert!(VERIFY_FIELDS.len() <= 6 && VERIFY_DIGEST_FIELDS.len() <= 7);
    json!({
        "openapi": "3.1.0",
        "info": {"title": "sigbridge verification service", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Verify CMS / PKCS#7 and S/MIME signed documents for Hong Kong and Guangdong relying parties. Stateless: run more instances behind a load balancer to scale out."},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_schemas_list_exactly_the_library_fields() {
        let (verify, form, digest) = request_schemas();
        let keys = |v: &Value| -> Vec<String> {
            let mut k: Vec<String> = v["properties"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            k.sort();
            k
        };
        let sorted = |f: &[&str]| {
            let mut v: Vec<String> = f.iter().map(|s| s.to_string()).collect();
            v.sort();
            v
        };
        assert_eq!(keys(&verify), sorted(VERIFY_FIELDS));
        assert_eq!(keys(&form), sorted(VERIFY_FIELDS));
        assert_eq!(keys(&digest), sorted(VERIFY_DIGEST_FIELDS));
    }

    #[test]
    fn every_ref_resolves() {
        let doc = document();
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        let mut n = 0;
        for part in text.split("\"#/components/schemas/").skip(1) {
            let name = part.split('"').next().unwrap();
            assert!(schemas.contains_key(name), "unresolved $ref {name}");
            n += 1;
        }
        assert!(n > 20, "{n} refs");
        assert!(!text.contains("#/$defs/"));
    }
}
