//! Fetching revocation data and issuer certificates: the [`Fetcher`] trait a validation asks
//! for "CRLs / an OCSP answer / issuer certificates for this certificate", and
//! [`CachingFetcher`], which implements it over any [`Transport`] with the rules every
//! transport shares — only `http:` and `https:` URLs (never `file:`, `ldap:` …), a size cap
//! per kind, an in-memory cache and an optional on-disk cache honouring nextUpdate, and an
//! offline switch that answers from the caches only.
//!
//! The HTTP transport ([`http`], feature `fetch`) is the only one that contacts anything;
//! the library never fetches unless the embedder gives a verifier a fetcher
//! (`VerifierBuilder::fetcher`, `VerifierConfig::fetch`).

mod cache;
pub mod guard;
#[cfg(feature = "fetch")]
pub mod http;

use crate::asn1::oid::known;
use crate::crypto::DigestAlgorithm;
use crate::x509::Certificate;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

pub use cache::CachingFetcher;

/// What is fetched (each kind has its own size cap).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FetchKind {
    /// A CRL from a cRLDistributionPoints URL.
    Crl,
    /// An OCSP response from an authorityInfoAccess id-ad-ocsp URL.
    Ocsp,
    /// Issuer certificates from an authorityInfoAccess id-ad-caIssuers URL.
    Certificate,
}

impl FetchKind {
    /// `CRL`, `OCSP response`, `certificate`.
    pub fn as_str(self) -> &'static str {
        match self {
            FetchKind::Crl => "CRL",
            FetchKind::Ocsp => "OCSP response",
            FetchKind::Certificate => "certificate",
        }
    }
}

/// Where fetched bytes came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FetchOrigin {
    /// Over the network, just now.
    Network,
    /// The in-memory cache.
    MemoryCache,
    /// The on-disk cache directory.
    DiskCache,
}

/// Why a fetch gave nothing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The URL's scheme is not http or https.
    #[error("{url}: only http: and https: URLs are fetched")]
    Scheme {
        /// The URL.
        url: String,
    },
    /// Offline: not in any cache.
    #[error("{url}: offline, and not in the cache")]
    Offline {
        /// The URL.
        url: String,
    },
    /// The body is larger than the cap for its kind.
    #[error("{url}: the {kind} is larger than {limit} bytes (FetchConfig::{field})")]
    TooLarge {
        /// The URL.
        url: String,
        /// What was fetched.
        kind: &'static str,
        /// The cap.
        limit: usize,
        /// The `FetchConfig` field.
        field: &'static str,
    },
    /// Connect or overall timeout.
    #[error("{url}: timed out ({what})")]
    Timeout {
        /// The URL.
        url: String,
        /// Which timeout.
        what: String,
    },
    /// More redirects than allowed.
    #[error("{url}: more than {limit} redirects (FetchConfig::max_redirects)")]
    Redirects {
        /// The URL.
        url: String,
        /// The limit.
        limit: u32,
    },
    /// The server answered with an error status.
    #[error("{url}: HTTP status {status}")]
    Status {
        /// The URL.
        url: String,
        /// The status code.
        status: u16,
    },
    /// The host resolves only to internal addresses that are not allow-listed.
    #[error("{url}: not fetched: {refused}")]
    Refused {
        /// The URL.
        url: String,
        /// The host, the address and its range.
        refused: guard::Refused,
    },
    /// Anything else (DNS, connection refused, TLS, protocol).
    #[error("{url}: {detail}")]
    Transport {
        /// The URL.
        url: String,
        /// What happened.
        detail: String,
    },
    /// More fetches than `Limits::max_fetches` in one validation.
    #[error("not fetched: more than {limit} fetches in one validation (Limits::max_fetches)")]
    Budget {
        /// The limit.
        limit: usize,
    },
}

/// The outcome of fetching one URL.
#[derive(Clone, Debug)]
pub struct Fetched {
    /// The URL asked for.
    pub url: String,
    /// Where the bytes came from.
    pub origin: FetchOrigin,
    /// The body, or why there is none.
    pub bytes: Result<Vec<u8>, FetchError>,
}

/// Gives a validation what a certificate points to. Implementations must be cheap to call
/// again for the same certificate (they cache), and bounded (sizes, time).
pub trait Fetcher: Send + Sync + std::fmt::Debug {
    /// CRLs from `cert`'s cRLDistributionPoints (full-name URIs), one result per URL.
    fn crls(&self, cert: &Certificate) -> Vec<Fetched>;
    /// OCSP responses for `cert` (issued by `issuer`) from its authorityInfoAccess
    /// id-ad-ocsp URLs, one result per URL.
    fn ocsp(&self, cert: &Certificate, issuer: &Certificate) -> Vec<Fetched>;
    /// Issuer certificates (DER, or a PKCS#7 certs-only bundle) from `cert`'s
    /// authorityInfoAccess id-ad-caIssuers URLs, one result per URL.
    fn issuers(&self, cert: &Certificate) -> Vec<Fetched>;
    /// What this fetcher may contact, for cache keys of results that depend on fetched
    /// data (two fetchers with the same identity give the same answers).
    fn identity(&self) -> String;
}

/// How a [`CachingFetcher`] and its transport behave. Every field has a default.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchConfig {
    /// Answer from the caches only: never connect.
    pub offline: bool,
    /// Connection timeout, milliseconds.
    pub connect_timeout_ms: u64,
    /// Overall timeout of one fetch (connect, send, receive), milliseconds.
    pub timeout_ms: u64,
    /// Largest CRL fetched, bytes.
    pub max_crl_bytes: usize,
    /// Largest OCSP response fetched, bytes.
    pub max_ocsp_bytes: usize,
    /// Largest issuer certificate (or bundle) fetched, bytes.
    pub max_certificate_bytes: usize,
    /// Most redirects followed.
    pub max_redirects: u32,
    /// Most URLs of one kind tried for one certificate.
    pub max_urls_per_certificate: usize,
    /// Most entries in the in-memory cache.
    pub memory_cache_entries: usize,
    /// A directory for the on-disk cache (created if missing); `None`: memory only.
    pub cache_dir: Option<PathBuf>,
    /// Certificates (PEM or DER files) trusted for HTTPS; empty: the system bundle
    /// (`/etc/ssl/certs/ca-certificates.crt` or `/etc/pki/tls/certs/ca-bundle.crt`).
    pub https_roots: Vec<PathBuf>,
    /// How long a fetched object without nextUpdate (an issuer certificate, a CRL or OCSP
    /// response without one) stays cached, seconds.
    pub default_cache_seconds: i64,
    /// Hosts, addresses and CIDR ranges that may be contacted although internal
    /// (`ocsp.intranet.example`, `10.20.0.0/16`, `127.0.0.1`). Empty (the default): every
    /// loopback, private, link-local, unique-local and reserved address is refused, at
    /// every redirect hop, so that URLs in a hostile certificate cannot reach the
    /// verifier's own network ([`guard`]).
    pub allow_internal: Vec<String>,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            offline: false,
            connect_timeout_ms: 5_000,
            timeout_ms: 15_000,
            max_crl_bytes: 8 << 20,
            max_ocsp_bytes: 64 << 10,
            max_certificate_bytes: 64 << 10,
            max_redirects: 3,
            max_urls_per_certificate: 4,
            memory_cache_entries: 1024,
            cache_dir: None,
            https_roots: Vec::new(),
            default_cache_seconds: 3600,
            allow_internal: Vec::new(),
        }
    }
}

impl FetchConfig {
    /// The size cap for `kind` and the field that sets it.
    pub fn cap(&self, kind: FetchKind) -> (usize, &'static str) {
        match kind {
            FetchKind::Crl => (self.max_crl_bytes, "max_crl_bytes"),
            FetchKind::Ocsp => (self.max_ocsp_bytes, "max_ocsp_bytes"),
            FetchKind::Certificate => (self.max_certificate_bytes, "max_certificate_bytes"),
        }
    }
}

/// Moves bytes: the part of fetching that touches the network.
pub trait Transport: Send + Sync + std::fmt::Debug {
    /// GET `url`; at most `max` bytes of body (more is [`FetchError::TooLarge`]).
    fn get(&self, url: &str, kind: FetchKind, max: usize) -> Result<Vec<u8>, FetchError>;
    /// POST `body` with `content_type` to `url`; at most `max` bytes of body back.
    fn post(
        &self,
        url: &str,
        content_type: &str,
        body: &[u8],
        kind: FetchKind,
        max: usize,
    ) -> Result<Vec<u8>, FetchError>;
}

/// The URL when it may be fetched: `http:` or `https:` only (scheme compared without case).
pub fn check_url(url: &str) -> Result<&str, FetchError> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Ok(url)
    } else {
        Err(FetchError::Scheme {
            url: url.to_owned(),
        })
    }
}

/// The OCSP responder URLs of `cert` (authorityInfoAccess id-ad-ocsp).
pub fn ocsp_urls(cert: &Certificate) -> Vec<String> {
    cert.extensions
        .access_uris(&known::AD_OCSP)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// The caIssuers URLs of `cert`.
pub fn issuer_urls(cert: &Certificate) -> Vec<String> {
    cert.extensions
        .access_uris(&known::AD_CA_ISSUERS)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// The CRL URLs of `cert` (cRLDistributionPoints, then freshestCRL full-name URIs).
pub fn crl_urls(cert: &Certificate) -> Vec<String> {
    let mut out: Vec<String> = cert
        .extensions
        .crl_uris()
        .into_iter()
        .map(str::to_owned)
        .collect();
    for dp in cert.extensions.freshest_crl.iter().flatten() {
        if let Some(crate::x509::ext::DistributionPointName::Full(names)) = &dp.name {
            for n in names {
                if let crate::x509::GeneralName::Uri(u) = n {
                    if !out.contains(u) {
                        out.push(u.clone());
                    }
                }
            }
        }
    }
    out
}

/// The OCSP request body for `cert` (SHA-1 CertID).
pub fn ocsp_request(cert: &Certificate, issuer: &Certificate) -> Vec<u8> {
    crate::revocation::ocsp::request::encode(cert, issuer, DigestAlgorithm::Sha1)
}
