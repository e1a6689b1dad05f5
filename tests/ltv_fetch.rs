//! Fetching against a real HTTP server on 127.0.0.1 inside the test (no internet):
//! `sigbridge::revocation::fetch::CachingFetcher` over the ureq transport (feature `fetch`).
//! Redirect limit, size caps per kind, a slow server against the overall timeout, a garbage
//! body (returned but never cached), `file:` / `ldap:` URLs refused without a connection,
//! offline making no connection, the disk cache serving a CRL (nextUpdate 2031) to a second,
//! offline fetcher; and end to end: the "Fetched Signer" of fixtures/ltv (CRL DP and AIA on
//! http://ltv.invalid/, rewritten to the loopback server by a wrapping transport) verified
//! with nothing but its anchor, the responder's OCSP answer and the CA's CRL fetched.
#![cfg(feature = "fetch")]

mod common;

use sigbridge::asn1::parse_time;
use sigbridge::revocation::fetch::http::HttpTransport;
use sigbridge::revocation::fetch::{
    guard, CachingFetcher, FetchConfig, FetchError, FetchKind, FetchOrigin, Fetcher, Transport,
};
use sigbridge::revocation::RevocationMode;
use sigbridge::{Indication, Verifier};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// What the server answers for a path.
#[derive(Clone)]
enum Reply {
    Body(Vec<u8>),
    Redirect(String),
    /// Sends the headers, then one byte every `ms` milliseconds, forever (until the client
    /// hangs up).
    Trickle(u64),
}

/// A tiny HTTP/1.1 server: one connection at a time, `Connection: close`, counting
/// connections and remembering the request lines.
struct Server {
    port: u16,
    connections: Arc<AtomicUsize>,
    requests: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    fn start(route: impl Fn(&str) -> Reply + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (c, r) = (Arc::clone(&connections), Arc::clone(&requests));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                c.fetch_add(1, Ordering::SeqCst);
                let _ = serve(stream, &route, &r);
            }
        });
        Server {
            port,
            connections,
            requests,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

fn serve(
    stream: TcpStream,
    route: &impl Fn(&str) -> Reply,
    requests: &std::sync::Mutex<Vec<String>>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" {
            break;
        }
        if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let path = line.split(' ').nth(1).unwrap_or("/").to_string();
    requests.lock().unwrap().push(line.trim().to_string());
    let mut out = stream;
    match route(&path) {
        Reply::Body(b) => {
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                b.len()
            )?;
            out.write_all(&b)?;
        }
        Reply::Redirect(to) => write!(
            out,
            "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )?,
        Reply::Trickle(ms) => {
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n"
            )?;
            loop {
                out.write_all(b"x")?;
                out.flush()?;
                std::thread::sleep(Duration::from_millis(ms));
            }
        }
    }
    out.flush()
}

fn config() -> FetchConfig {
    FetchConfig {
        connect_timeout_ms: 2_000,
        timeout_ms: 3_000,
        https_roots: vec![common::fixtures().join("ltv/pki/ltv-root.pem")],
        // The test servers are on loopback, which a fetcher refuses unless allow-listed.
        allow_internal: vec!["127.0.0.1".to_string()],
        ..FetchConfig::default()
    }
}

fn fetcher(config: FetchConfig) -> CachingFetcher<HttpTransport> {
    let t = HttpTransport::new(&config).unwrap();
    CachingFetcher::new(t, config)
}

fn ltv_file(rel: &str) -> Vec<u8> {
    std::fs::read(common::fixtures().join("ltv").join(rel)).unwrap()
}

/// A fixture CRL as DER (the generator writes PEM).
fn crl_der(name: &str) -> Vec<u8> {
    common::openssl(
        &common::fixtures().join("ltv/pki"),
        &["crl", "-in", &format!("{name}.crl"), "-outform", "DER"],
    )
}

fn cert_der(name: &str) -> Vec<u8> {
    common::fixture_certs(&[format!("ltv/pki/{name}.pem")])
        .first()
        .unwrap()
        .der
        .clone()
}

#[test]
fn body_is_returned_and_cached_in_memory() {
    let crl = crl_der("ltv-ca");
    let served = crl.clone();
    let s = Server::start(move |_| Reply::Body(served.clone()));
    let f = fetcher(config());
    let got = f.fetch(FetchKind::Crl, &s.url("/ca.crl"), None);
    assert_eq!(got.origin, FetchOrigin::Network);
    assert_eq!(got.bytes.as_deref().ok(), Some(crl.as_slice()));
    let again = f.fetch(FetchKind::Crl, &s.url("/ca.crl"), None);
    assert_eq!(again.origin, FetchOrigin::MemoryCache);
    assert_eq!(s.connections(), 1);
}

#[test]
fn internal_addresses_are_refused_by_default() {
    let s = Server::start(|_| Reply::Body(b"secret".to_vec()));
    let f = fetcher(FetchConfig {
        allow_internal: Vec::new(),
        ..config()
    });
    let got = f.fetch(FetchKind::Crl, &s.url("/admin"), None);
    match &got.bytes {
        Err(FetchError::Refused { url, refused }) => {
            assert_eq!(url, &s.url("/admin"));
            assert_eq!(refused.address.to_string(), "127.0.0.1");
            assert_eq!(refused.range, guard::Internal::Loopback);
        }
        other => panic!("expected Refused, got {other:?}"),
    }
    let message = got.bytes.unwrap_err().to_string();
    assert!(
        message.contains("loopback") && message.contains("allow_internal"),
        "{message}"
    );
    // A host name that resolves to loopback is refused the same way.
    let by_name = f.fetch(
        FetchKind::Ocsp,
        &format!("http://localhost:{}/ocsp", s.port),
        None,
    );
    assert!(
        matches!(by_name.bytes, Err(FetchError::Refused { .. })),
        "{by_name:?}"
    );
    // Refused before connecting: the server never saw a connection.
    assert_eq!(s.connections(), 0);
}

#[test]
fn a_redirect_into_the_internal_network_is_refused() {
    // The first server is allowed by its name only; it redirects to the second by address,
    // which no entry allows.
    let inner = Server::start(|_| Reply::Body(b"metadata".to_vec()));
    let to = inner.url("/latest/meta-data");
    let outer = Server::start(move |_| Reply::Redirect(to.clone()));
    let f = fetcher(FetchConfig {
        allow_internal: vec!["localhost".to_string()],
        ..config()
    });
    let got = f.fetch(
        FetchKind::Certificate,
        &format!("http://localhost:{}/ca.cer", outer.port),
        None,
    );
    assert!(
        matches!(&got.bytes, Err(FetchError::Refused { refused, .. }) if refused.host == "127.0.0.1"),
        "{got:?}"
    );
    assert_eq!(outer.connections(), 1);
    assert_eq!(inner.connections(), 0);
}

#[test]
fn a_bad_allow_list_entry_is_a_setup_error() {
    let err = HttpTransport::new(&FetchConfig {
        allow_internal: vec!["10.0.0.0/40".to_string()],
        ..config()
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("allow_internal") && err.contains("10.0.0.0/40"),
        "{err}"
    );
}

#[test]
fn redirects_are_limited() {
    // /r/N redirects to /r/N-1; /r/0 answers.
    let s = Server::start(|path| {
        let n: u32 = path.trim_start_matches("/r/").parse().unwrap_or(0);
        if n == 0 {
            Reply::Body(b"done".to_vec())
        } else {
            Reply::Redirect(format!("/r/{}", n - 1))
        }
    });
    let f = fetcher(FetchConfig {
        max_redirects: 2,
        ..config()
    });
    let ok = f.fetch(FetchKind::Certificate, &s.url("/r/2"), None);
    assert_eq!(ok.bytes.as_deref().ok(), Some(&b"done"[..]), "{ok:?}");
    let too_many = f.fetch(FetchKind::Certificate, &s.url("/r/3"), None);
    assert!(
        matches!(too_many.bytes, Err(FetchError::Redirects { limit: 2, .. })),
        "{too_many:?}"
    );
}

#[test]
fn size_caps_per_kind() {
    let s = Server::start(|path| Reply::Body(vec![0x30; path.len() * 1000]));
    let f = fetcher(FetchConfig {
        max_crl_bytes: 10_000,
        max_ocsp_bytes: 5_000,
        max_certificate_bytes: 3_000,
        ..config()
    });
    // "/ab" is 3 000 bytes, "/abcdef" 7 000, "/abcdefghijk" 12 000.
    let cases = [
        (FetchKind::Crl, "/abcdef", true),
        (FetchKind::Crl, "/abcdefghijk", false),
        (FetchKind::Ocsp, "/ab", true),
        (FetchKind::Ocsp, "/abcdef", false),
        (FetchKind::Certificate, "/ab", true),
        (FetchKind::Certificate, "/abcd", false),
    ];
    for (kind, path, fits) in cases {
        let got = f.fetch(kind, &s.url(path), None);
        match (&got.bytes, fits) {
            (Ok(b), true) => assert_eq!(b.len(), path.len() * 1000),
            (Err(FetchError::TooLarge { field, .. }), false) => {
                assert_eq!(*field, f.config().cap(kind).1)
            }
            _ => panic!("{kind:?} {path}: {got:?}"),
        }
    }
}

#[test]
fn slow_server_times_out() {
    let s = Server::start(|_| Reply::Trickle(200));
    let f = fetcher(FetchConfig {
        timeout_ms: 1_000,
        ..config()
    });
    let start = std::time::Instant::now();
    let got = f.fetch(FetchKind::Crl, &s.url("/slow.crl"), None);
    let took = start.elapsed();
    assert!(
        matches!(got.bytes, Err(FetchError::Timeout { .. })),
        "{got:?}"
    );
    // Not a timing assertion on speed: only that the overall timeout, not the 100 000
    // bytes at 5 a second, ended it.
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn garbage_is_returned_but_not_cached() {
    let s = Server::start(|_| Reply::Body(b"<html>not a CRL</html>".to_vec()));
    let dir = common::temp_dir("ltv-fetch-garbage");
    let f = fetcher(FetchConfig {
        cache_dir: Some(dir.clone()),
        ..config()
    });
    let url = s.url("/garbage.crl");
    let got = f.fetch(FetchKind::Crl, &url, None);
    assert!(got.bytes.is_ok(), "{got:?}");
    let again = f.fetch(FetchKind::Crl, &url, None);
    assert_eq!(again.origin, FetchOrigin::Network, "garbage was cached");
    assert_eq!(s.connections(), 2);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

#[test]
fn only_http_and_https_urls() {
    let s = Server::start(|_| Reply::Body(b"x".to_vec()));
    let f = fetcher(config());
    let port = s.port;
    for url in [
        "file:///etc/passwd".to_string(),
        format!("ldap://127.0.0.1:{port}/cn=CA?certificateRevocationList"),
        format!("ftp://127.0.0.1:{port}/ca.crl"),
        format!("gopher://127.0.0.1:{port}/"),
    ] {
        let got = f.fetch(FetchKind::Crl, &url, None);
        assert!(
            matches!(got.bytes, Err(FetchError::Scheme { .. })),
            "{url}: {got:?}"
        );
    }
    assert_eq!(s.connections(), 0);
}

#[test]
fn offline_makes_no_connection_and_disk_cache_serves() {
    let crl = crl_der("ltv-ca");
    let served = crl.clone();
    let s = Server::start(move |_| Reply::Body(served.clone()));
    let url = s.url("/ltv-ca.crl");
    let dir = common::temp_dir("ltv-fetch-disk");

    let offline = fetcher(FetchConfig {
        offline: true,
        ..config()
    });
    let got = offline.fetch(FetchKind::Crl, &url, None);
    assert!(
        matches!(got.bytes, Err(FetchError::Offline { .. })),
        "{got:?}"
    );
    assert_eq!(s.connections(), 0);

    // Online with a disk cache: fetched once; the CRL's nextUpdate (2031-05-01) keeps it.
    let online = fetcher(FetchConfig {
        cache_dir: Some(dir.clone()),
        ..config()
    });
    assert_eq!(
        online.fetch(FetchKind::Crl, &url, None).origin,
        FetchOrigin::Network
    );
    assert_eq!(s.connections(), 1);

    // A new, offline fetcher over the same directory answers from disk.
    let later = fetcher(FetchConfig {
        offline: true,
        cache_dir: Some(dir),
        ..config()
    });
    let got = later.fetch(FetchKind::Crl, &url, None);
    assert_eq!(got.origin, FetchOrigin::DiskCache);
    assert_eq!(got.bytes.as_deref().ok(), Some(crl.as_slice()));
    assert_eq!(s.connections(), 1);
}

/// The HTTP transport with `http://ltv.invalid` rewritten to the loopback server.
#[derive(Debug)]
struct Rewrite {
    inner: HttpTransport,
    to: String,
}

impl Rewrite {
    fn url(&self, url: &str) -> String {
        url.replace("http://ltv.invalid", &self.to)
    }
}

impl Transport for Rewrite {
    fn get(&self, url: &str, kind: FetchKind, max: usize) -> Result<Vec<u8>, FetchError> {
        self.inner.get(&self.url(url), kind, max)
    }
    fn post(
        &self,
        url: &str,
        content_type: &str,
        body: &[u8],
        kind: FetchKind,
        max: usize,
    ) -> Result<Vec<u8>, FetchError> {
        self.inner
            .post(&self.url(url), content_type, body, kind, max)
    }
}

fn fetched_verifier(s: &Server, offline: bool) -> Verifier {
    let config = FetchConfig {
        offline,
        ..config()
    };
    let transport = Rewrite {
        inner: HttpTransport::new(&config).unwrap(),
        to: format!("http://127.0.0.1:{}", s.port),
    };
    let fetcher: Arc<dyn Fetcher> = Arc::new(CachingFetcher::new(transport, config));
    Verifier::builder()
        .anchors(common::fixture_certs(&["ltv/pki/ltv-root.pem".to_string()]))
        .crls(common::fixture_crls(&["ltv/pki/ltv-root.crl".to_string()]))
        .revocation(RevocationMode::Require)
        .fetcher(Some(fetcher))
        .validation_time(Some(parse_time("2030-06-01T00:00:00Z").unwrap()))
        .build()
}

#[test]
fn end_to_end_status_and_issuer_fetched() {
    let (ocsp, crl, ca) = (
        ltv_file("ocsp/fetched-good.ocsp"),
        crl_der("ltv-ca"),
        cert_der("ltv-ca"),
    );
    let s = Server::start(move |path| match path {
        "/ocsp" => Reply::Body(ocsp.clone()),
        "/ltv-ca.crl" => Reply::Body(crl.clone()),
        "/ltv-ca.cer" => Reply::Body(ca.clone()),
        _ => Reply::Body(Vec::new()),
    });
    let doc = ltv_file("docs/fetched-no-timestamp.p7m");

    // Offline: no connection, and (the CA certificate not given, its CRL not given) the
    // signer cannot be confirmed.
    let r = fetched_verifier(&s, true).verify(&doc, None).unwrap();
    assert_ne!(r.indication, Indication::TotalPassed);
    assert_eq!(s.connections(), 0);

    let r = fetched_verifier(&s, false).verify(&doc, None).unwrap();
    let requests = s.requests.lock().unwrap().clone();
    assert_eq!(
        r.indication,
        Indication::TotalPassed,
        "{requests:?}\n{}",
        serde_json::to_string_pretty(&r.signers.first().map(|s| (&s.checks, &s.revocation)))
            .unwrap()
    );
    assert!(
        requests.iter().any(|l| l.starts_with("GET /ltv-ca.cer")),
        "caIssuers not fetched: {requests:?}"
    );
    assert!(
        requests
            .iter()
            .any(|l| l.starts_with("POST /ocsp") || l.starts_with("GET /ltv-ca.crl")),
        "no revocation data fetched: {requests:?}"
    );
    let entry = serde_json::to_string(&r.signers.first().unwrap().revocation).unwrap();
    assert!(
        entry.contains("ltv.invalid"),
        "fetched URL not reported: {entry}"
    );
}
