//! The service's routes: one handler per entry of `openapi::ROUTES` (the router is built
//! from that table, so the OpenAPI document and the routes cannot drift), the body reader
//! bounded by `--max-body`, the verification slots (back-pressure: 503 + Retry-After),
//! content negotiation (JSON or the HTML report), error bodies and metrics per request.

use super::openapi::{self, Handler};
use super::State;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use http_body_util::BodyExt as _;
use sigbridge::api::{self, ApiError, ErrorKind, VerifyRequest};
use sigbridge::report::html::HtmlContext;
use sigbridge::report::lang::Lang;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

type Shared = Arc<State>;

/// The public router: every route of [`openapi::ROUTES`], 404 / 405 as JSON errors.
pub fn router(state: Shared) -> Router {
    let mut r = Router::new();
    for route in openapi::ROUTES {
        r = r.route(route.path, method_router(route, Arc::clone(&state)));
    }
    let s = Arc::clone(&state);
    r.fallback(move |req: Request| {
        let s = Arc::clone(&s);
        async move {
            let start = Instant::now();
            let e = ApiError::new(
                ErrorKind::NotFound,
                format!("no endpoint {}; see /openapi.json", req.uri().path()),
            );
            finish(&s, "unmatched", start, error_response(&s, &e))
        }
    })
}

/// The admin router (loopback only): `POST /admin/reload`.
pub fn admin_router(state: Shared) -> Router {
    let s = Arc::clone(&state);
    Router::new().route(
        "/admin/reload",
        post(move || {
            let s = Arc::clone(&s);
            async move {
                let start = Instant::now();
                let s2 = Arc::clone(&s);
                let result = tokio::task::spawn_blocking(move || s2.reload()).await;
                let resp = match result {
                    Ok(Ok(())) => {
                        json_response(StatusCode::OK, &serde_json::json!({"status": "reloaded"}))
                    }
                    Ok(Err(e)) => error_response(
                        &s,
                        &ApiError::new(
                            ErrorKind::Internal,
                            format!("reload failed, the previous configuration stays: {e}"),
                        ),
                    ),
                    Err(e) => {
                        error_response(&s, &ApiError::new(ErrorKind::Internal, e.to_string()))
                    }
                };
                finish(&s, "/admin/reload", start, resp)
            }
        })
        .fallback(method_not_allowed(Arc::clone(&state), "/admin/reload")),
    )
}

fn method_not_allowed(
    state: Shared,
    path: &'static str,
) -> impl Fn(Request) -> std::pin::Pin<Box<dyn std::future::Future<Output = Response> + Send>>
       + Clone
       + Send
       + Sync
       + 'static {
    move |req: Request| {
        let s = Arc::clone(&state);
        Box::pin(async move {
            let start = Instant::now();
            let e = ApiError::new(
                ErrorKind::MethodNotAllowed,
                format!("{path} does not take {}", req.method()),
            );
            finish(&s, path, start, error_response(&s, &e))
        })
    }
}

fn method_router(route: &'static openapi::Route, state: Shared) -> MethodRouter {
    let s = Arc::clone(&state);
    let path = route.path;
    let handler = route.handler;
    let call = move |req: Request| {
        let s = Arc::clone(&s);
        async move {
            let start = Instant::now();
            let resp = dispatch(&s, handler, req).await;
            finish(&s, path, start, resp)
        }
    };
    let m = if route.method == "post" {
        post(call)
    } else {
        get(call)
    };
    m.fallback(method_not_allowed(state, path))
}

async fn dispatch(s: &Shared, handler: Handler, req: Request) -> Response {
    match handler {
        Handler::Page => page(),
        Handler::Health => json_response(StatusCode::OK, &serde_json::json!({"status": "ok"})),
        Handler::Ready => ready(s),
        Handler::Version => json_response(StatusCode::OK, &api::VersionInfo::current()),
        Handler::TrustLists => trust_lists(s),
        Handler::Metrics => text_response(
            "text/plain; version=0.0.4; charset=utf-8",
            s.metrics.render(&s.gauges()),
        ),
        Handler::OpenApi => json_response(StatusCode::OK, &openapi::document()),
        Handler::Verify => verify(s, req, api::parse_verify).await,
        Handler::VerifyDigest => verify(s, req, api::parse_verify_digest).await,
    }
}

fn page() -> Response {
    let mut r = text_response(
        "text/html; charset=utf-8",
        include_str!("page.html").to_owned(),
    );
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
        ),
    );
    r
}

/// A request may not ask for less revocation checking than `--min-revocation`.
fn revocation_floor(s: &Shared, request: &VerifyRequest) -> Result<(), ApiError> {
    let (Some(floor), Some(asked)) = (s.args.min_revocation, request.options.revocation) else {
        return Ok(());
    };
    if asked.at_least(floor.mode()) {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorKind::Forbidden,
        format!(
            "revocation {} is weaker than this service allows (--min-revocation {})",
            asked.as_str(),
            floor.mode().as_str()
        ),
    ))
}

fn ready(s: &Shared) -> Response {
    if s.ready.load(Ordering::SeqCst) {
        json_response(StatusCode::OK, &serde_json::json!({"status": "ready"}))
    } else {
        json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &serde_json::json!({"status": "shutting-down"}),
        )
    }
}

fn trust_lists(s: &Shared) -> Response {
    match s.verifier().trust_stores() {
        Some(stores) => json_response(
            StatusCode::OK,
            &sigbridge::report::trust::TrustListsReport::of(stores),
        ),
        None => error_response(
            s,
            &ApiError::new(ErrorKind::NotFound, "this verifier has no trust lists"),
        ),
    }
}

/// What the client wants back.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Json,
    Html,
}

/// `Accept` → JSON or HTML (JSON when absent or on a tie); neither acceptable → 406.
fn negotiate(accept: Option<&str>) -> Result<Want, ApiError> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return Ok(Want::Json);
    };
    let q_of = |ty: &str, sub: &str| -> f32 {
        let mut best: Option<(u8, f32)> = None;
        for range in accept.split(',') {
            let mut items = range.split(';');
            let media = items.next().unwrap_or_default().trim().to_ascii_lowercase();
            let q = items
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let (t, st) = media.split_once('/').unwrap_or((media.as_str(), ""));
            let specificity = match (t, st) {
                _ if t == ty && st == sub => 2,
                _ if t == ty && st == "*" => 1,
                ("*", "*") => 0,
                _ => continue,
            };
            if best.is_none_or(|(s, _)| specificity > s) {
                best = Some((specificity, q));
            }
        }
        best.map_or(0.0, |(_, q)| q)
    };
    let (json, html) = (q_of("application", "json"), q_of("text", "html"));
    if json <= 0.0 && html <= 0.0 {
        return Err(ApiError::new(
            ErrorKind::NotAcceptable,
            format!("Accept {accept:?}: this endpoint answers application/json or text/html"),
        ));
    }
    Ok(if html > json { Want::Html } else { Want::Json })
}

type Parser = fn(Option<&str>, &[u8]) -> Result<VerifyRequest, ApiError>;

async fn verify(s: &Shared, req: Request, parse: Parser) -> Response {
    let timeout = super::request_timeout(s);
    match tokio::time::timeout(timeout, verify_inner(s, req, parse)).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => error_response(s, &e),
        Err(_) => error_response(
            s,
            &ApiError::new(
                ErrorKind::Timeout,
                format!(
                    "the request took longer than {} s (--request-timeout)",
                    timeout.as_secs()
                ),
            ),
        ),
    }
}

async fn verify_inner(s: &Shared, req: Request, parse: Parser) -> Result<Response, ApiError> {
    let (parts, body) = req.into_parts();
    let header = |h: header::HeaderName| {
        parts
            .headers
            .get(h)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let want = negotiate(header(header::ACCEPT).as_deref())?;
    let content_type = header(header::CONTENT_TYPE);
    let bytes = read_body(s, body, header(header::CONTENT_LENGTH).as_deref()).await?;
    let request = parse(content_type.as_deref(), &bytes)?;
    revocation_floor(s, &request)?;
    let size = bytes.len();
    drop(bytes);
    let permit = acquire(s).await?;
    let verifier = s.verifier();
    let started = Instant::now();
    let run = move || {
        let _permit = permit; // released when the verification really ends
        let report = request.verify(&verifier);
        // The printable report, when asked for, is the CLI's (report::html).
        let html = match (&report, want) {
            (Ok(r), Want::Html) => {
                let name = request.filename.as_deref().unwrap_or("document");
                let cx =
                    HtmlContext::new(name, &request.document, verifier.trust_stores(), Lang::En);
                Some(sigbridge::report::html::render(r, &cx))
            }
            _ => None,
        };
        (report, html)
    };
    // A small document's verification is short and bounded by the Limits: run it here.
    let (report, html) = if size <= s.args.inline_below {
        run()
    } else {
        tokio::task::spawn_blocking(run).await.map_err(|e| {
            ApiError::new(ErrorKind::Internal, format!("the verification failed: {e}"))
        })?
    };
    let report = report?;
    let sub = report.sub_indication.map(|x| x.to_string());
    s.metrics
        .verification(&report.indication.to_string(), sub.as_deref());
    tracing::info!(
        bytes = size,
        signers = report.signers.len(),
        indication = %report.indication,
        sub_indication = sub.as_deref().unwrap_or(""),
        verify_ms = started.elapsed().as_secs_f64() * 1e3,
        "verified"
    );
    Ok(match want {
        Want::Json => json_response(StatusCode::OK, &report),
        Want::Html => text_response("text/html; charset=utf-8", html.unwrap_or_default()),
    })
}

/// Reads the body, at most `--max-body` bytes (413 beyond), within the request timeout.
async fn read_body(
    s: &Shared,
    mut body: Body,
    content_length: Option<&str>,
) -> Result<Vec<u8>, ApiError> {
    let limit = s.args.max_body;
    let too_large = || {
        ApiError::new(
            ErrorKind::PayloadTooLarge,
            format!("the body is larger than {limit} bytes (--max-body)"),
        )
    };
    let declared = content_length.and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let mut out = Vec::with_capacity(declared.map_or(0, |n| n as usize));
    let read = async {
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| {
                ApiError::new(
                    ErrorKind::MalformedJson,
                    format!("cannot read the body: {e}"),
                )
            })?;
            if let Some(data) = frame.data_ref() {
                if out.len() + data.len() > limit {
                    return Err(too_large());
                }
                out.extend_from_slice(data);
            }
        }
        Ok(())
    };
    match tokio::time::timeout(super::request_timeout(s), read).await {
        Ok(r) => r.map(|()| out),
        Err(_) => Err(ApiError::new(
            ErrorKind::RequestTimeout,
            "the body did not arrive within --request-timeout",
        )),
    }
}

/// A verification slot: waits while fewer than `--max-waiting` wait, else 503 at once.
async fn acquire(s: &Shared) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
    if let Ok(p) = Arc::clone(&s.slots).try_acquire_owned() {
        return Ok(p);
    }
    let busy = || {
        ApiError::new(
            ErrorKind::Busy,
            format!(
                "all {} verification slots are busy and {} requests wait: retry later",
                s.slot_count, s.args.max_waiting
            ),
        )
    };
    if s.waiting.fetch_add(1, Ordering::SeqCst) >= s.args.max_waiting {
        s.waiting.fetch_sub(1, Ordering::SeqCst);
        return Err(busy());
    }
    let permit = Arc::clone(&s.slots).acquire_owned().await;
    s.waiting.fetch_sub(1, Ordering::SeqCst);
    permit.map_err(|_| busy())
}

fn json_response(status: StatusCode, value: &impl serde::Serialize) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_else(|e| {
        format!("{{\"error\":{{\"kind\":\"internal\",\"message\":\"cannot render: {e}\"}}}}")
            .into_bytes()
    });
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn text_response(content_type: &'static str, body: String) -> Response {
    let mut r = Response::new(Body::from(body));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// `{"error": {"kind", "message"}}` with the kind's status (and Retry-After on 503).
fn error_response(s: &Shared, e: &ApiError) -> Response {
    let status = StatusCode::from_u16(e.kind.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = json_response(status, &e.body());
    if status == StatusCode::SERVICE_UNAVAILABLE {
        if let Ok(v) = HeaderValue::from_str(&s.args.retry_after.to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    s.metrics.error(e.kind.as_str());
    tracing::info!(kind = e.kind.as_str(), message = %e.message, "refused");
    r
}

/// Counts and logs one answered request.
fn finish(s: &Shared, endpoint: &str, start: Instant, r: Response) -> Response {
    let elapsed = start.elapsed();
    s.metrics.request(endpoint, r.status().as_u16(), elapsed);
    tracing::debug!(
        endpoint,
        status = r.status().as_u16(),
        ms = elapsed.as_secs_f64() * 1e3,
        "answered"
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_negotiation() {
        assert!(negotiate(None) == Ok(Want::Json));
        assert!(negotiate(Some("text/html")) == Ok(Want::Html));
        assert!(negotiate(Some("text/html,application/xhtml+xml,*/*;q=0.8")) == Ok(Want::Html));
        assert!(negotiate(Some("application/json, text/html;q=0.5")) == Ok(Want::Json));
        assert!(negotiate(Some("*/*")) == Ok(Want::Json));
        assert!(negotiate(Some("text/*")) == Ok(Want::Html));
        let e = negotiate(Some("image/png")).err().map(|e| e.kind);
        assert_eq!(e, Some(ErrorKind::NotAcceptable));
        let e = negotiate(Some("application/json;q=0, text/html;q=0"))
            .err()
            .map(|e| e.kind);
        assert_eq!(e, Some(ErrorKind::NotAcceptable));
    }
}
