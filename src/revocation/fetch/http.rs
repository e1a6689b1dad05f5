//! The HTTP(S) [`Transport`] (feature `fetch`): ureq, blocking HTTP/1.1, rustls on aws-lc-rs
//! with the roots of [`FetchConfig::https_roots`] (or the system bundle), a connect and an
//! overall timeout, at most [`FetchConfig::max_redirects`] redirects, bodies read up to the
//! cap of their kind and no further. Every connection, redirect hops included, goes through
//! [`GuardedResolver`]: the addresses a host resolves to are checked against [`super::guard`]
//! before connecting, so the address checked is the address used (no second lookup that DNS
//! rebinding could answer differently).

use super::guard::{self, AllowList};
use super::{CachingFetcher, FetchConfig, FetchError, FetchKind, Transport};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};

/// System certificate bundles tried when `FetchConfig::https_roots` is empty.
const SYSTEM_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/cert.pem",
];

/// The ureq transport. With the system bundle (no `https_roots` given) the agent is built
/// on the first fetch: parsing the bundle costs milliseconds that a run verifying documents
/// which carry their revocation data never needs to pay.
pub struct HttpTransport {
    agent: std::sync::OnceLock<Result<ureq::Agent, String>>,
    setup: Setup,
    max_redirects: u32,
}

/// What building the agent needs.
#[derive(Clone)]
struct Setup {
    config: FetchConfig,
    allow: AllowList,
}

impl std::fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HttpTransport")
    }
}

/// A [`CachingFetcher`] over HTTP(S).
pub type HttpFetcher = CachingFetcher<HttpTransport>;

/// Why the HTTP transport could not be set up (unreadable HTTPS roots, a bad
/// `allow_internal` entry).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SetupError(pub String);

/// The system resolver, then [`guard::permitted`] on what it returned.
#[derive(Debug)]
pub struct GuardedResolver {
    inner: DefaultResolver,
    allow: AllowList,
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let resolved = self.inner.resolve(uri, config, timeout)?;
        let host = uri.host().unwrap_or_default();
        let ips: Vec<std::net::IpAddr> = resolved.iter().map(SocketAddr::ip).collect();
        let kept = guard::permitted(host, &ips, &self.allow)
            .map_err(|refused| ureq::Error::Other(Box::new(refused)))?;
        let mut out = self.empty();
        for addr in resolved.iter().filter(|a| kept.contains(&a.ip())) {
            if out.try_push(*addr).is_err() {
                break;
            }
        }
        Ok(out)
    }
}

impl HttpTransport {
    /// A transport with `config`'s timeouts, redirects, HTTPS roots and allow-list. A bad
    /// `allow_internal` entry or unreadable `https_roots` files are errors here; the system
    /// bundle is read on the first fetch.
    pub fn new(config: &FetchConfig) -> Result<HttpTransport, SetupError> {
        let allow =
            AllowList::parse(&config.allow_internal).map_err(|e| SetupError(e.to_string()))?;
        let setup = Setup {
            config: config.clone(),
            allow,
        };
        let agent = std::sync::OnceLock::new();
        if !config.https_roots.is_empty() {
            let _ = agent.set(Ok(build_agent(&setup)?));
        }
        Ok(HttpTransport {
            agent,
            setup,
            max_redirects: config.max_redirects,
        })
    }

    fn agent(&self, url: &str) -> Result<&ureq::Agent, FetchError> {
        self.agent
            .get_or_init(|| build_agent(&self.setup).map_err(|e| e.0))
            .as_ref()
            .map_err(|e| FetchError::Transport {
                url: url.to_owned(),
                detail: e.clone(),
            })
    }
}

fn build_agent(setup: &Setup) -> Result<ureq::Agent, SetupError> {
    let config = &setup.config;
    let roots = https_roots(config)?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let tls = ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::Rustls)
        .unversioned_rustls_crypto_provider(provider)
        .root_certs(ureq::tls::RootCerts::new_with_certs(&roots))
        .build();
    let agent_config = ureq::Agent::config_builder()
        .tls_config(tls)
        .http_status_as_error(false)
        .max_redirects(config.max_redirects)
        .max_redirects_will_error(true)
        .timeout_connect(Some(Duration::from_millis(config.connect_timeout_ms)))
        .timeout_global(Some(Duration::from_millis(config.timeout_ms)))
        .user_agent(concat!("sigbridge/", env!("CARGO_PKG_VERSION")))
        .proxy(None)
        .build();
    let resolver = GuardedResolver {
        inner: DefaultResolver::default(),
        allow: setup.allow.clone(),
    };
    Ok(ureq::Agent::with_parts(
        agent_config,
        ureq::unversioned::transport::DefaultConnector::new(),
        resolver,
    ))
}

/// An HTTP(S) fetcher with `config`.
pub fn http_fetcher(config: FetchConfig) -> Result<HttpFetcher, SetupError> {
    let transport = HttpTransport::new(&config)?;
    Ok(CachingFetcher::new(transport, config))
}

fn https_roots(config: &FetchConfig) -> Result<Vec<ureq::tls::Certificate<'static>>, SetupError> {
    let limits = crate::Limits::default();
    let mut out = Vec::new();
    let files: Vec<std::path::PathBuf> = if config.https_roots.is_empty() {
        SYSTEM_BUNDLES
            .iter()
            .map(std::path::PathBuf::from)
            .filter(|p| p.exists())
            .take(1)
            .collect()
    } else {
        config.https_roots.clone()
    };
    for f in &files {
        let bytes = crate::input::read_file(f, &limits)
            .map_err(|e| SetupError(format!("HTTPS roots: {e}")))?;
        let name = f.display().to_string();
        let blocks = crate::input::der_blocks(
            &bytes,
            &["CERTIFICATE", "TRUSTED CERTIFICATE"],
            &name,
            &limits,
        )
        .map_err(|e| SetupError(format!("HTTPS roots: {e}")))?;
        for der in blocks {
            out.push(ureq::tls::Certificate::from_der(&der).to_owned());
        }
    }
    Ok(out)
}

fn map_error(url: &str, kind: FetchKind, max: usize, redirects: u32, e: ureq::Error) -> FetchError {
    match e {
        ureq::Error::Timeout(t) => FetchError::Timeout {
            url: url.to_owned(),
            what: t.to_string(),
        },
        ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge {
            url: url.to_owned(),
            kind: kind.as_str(),
            limit: max,
            field: field_of(kind),
        },
        ureq::Error::TooManyRedirects => FetchError::Redirects {
            url: url.to_owned(),
            limit: redirects,
        },
        ureq::Error::Other(e) if e.is::<guard::Refused>() => match e.downcast::<guard::Refused>() {
            Ok(refused) => FetchError::Refused {
                url: url.to_owned(),
                refused: *refused,
            },
            Err(e) => FetchError::Transport {
                url: url.to_owned(),
                detail: e.to_string(),
            },
        },
        other => FetchError::Transport {
            url: url.to_owned(),
            detail: other.to_string(),
        },
    }
}

fn field_of(kind: FetchKind) -> &'static str {
    FetchConfig::default().cap(kind).1
}

fn body(
    url: &str,
    (kind, max, redirects): (FetchKind, usize, u32),
    response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<Vec<u8>, FetchError> {
    let mut response = response.map_err(|e| map_error(url, kind, max, redirects, e))?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(FetchError::Status {
            url: url.to_owned(),
            status,
        });
    }
    response
        .body_mut()
        .with_config()
        .limit(max as u64)
        .read_to_vec()
        .map_err(|e| map_error(url, kind, max, redirects, e))
}

impl Transport for HttpTransport {
    fn get(&self, url: &str, kind: FetchKind, max: usize) -> Result<Vec<u8>, FetchError> {
        body(
            url,
            (kind, max, self.max_redirects),
            self.agent(url)?.get(url).call(),
        )
    }

    fn post(
        &self,
        url: &str,
        content_type: &str,
        payload: &[u8],
        kind: FetchKind,
        max: usize,
    ) -> Result<Vec<u8>, FetchError> {
        body(
            url,
            (kind, max, self.max_redirects),
            self.agent(url)?
                .post(url)
                .header("Content-Type", content_type)
                .send(payload),
        )
    }
}
