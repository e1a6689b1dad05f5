//! [`CachingFetcher`]: the rules every transport shares (URL schemes, size caps, URL count)
//! and the caches in front of it — in memory (bounded) and, optionally, on disk — each entry
//! kept until the fetched object's nextUpdate (a CRL's, or the earliest of an OCSP
//! response's SingleResponses), or `FetchConfig::default_cache_seconds` when it has none.

use super::{
    check_url, crl_urls, issuer_urls, ocsp_request, ocsp_urls, FetchConfig, FetchError, FetchKind,
    FetchOrigin, Fetched, Fetcher, Transport,
};
use crate::asn1::UnixTime;
use crate::limits::Limits;
use crate::x509::{Certificate, Crl};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Clone)]
struct Entry {
    bytes: Vec<u8>,
    expires: UnixTime,
}

/// A [`Fetcher`] over a [`Transport`], with caches. `offline`: the transport is never used.
#[derive(Debug)]
pub struct CachingFetcher<T: Transport> {
    transport: T,
    config: FetchConfig,
    memory: Mutex<HashMap<[u8; 32], Entry>>,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Entry({} bytes until {})",
            self.bytes.len(),
            self.expires
        )
    }
}

impl<T: Transport> CachingFetcher<T> {
    /// A fetcher over `transport` with `config`'s caps and caches.
    pub fn new(transport: T, config: FetchConfig) -> CachingFetcher<T> {
        if let Some(dir) = &config.cache_dir {
            let _ = std::fs::create_dir_all(dir);
        }
        CachingFetcher {
            transport,
            config,
            memory: Mutex::new(HashMap::new()),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// Fetches one URL (POSTing `body` when given), through the caches.
    pub fn fetch(&self, kind: FetchKind, url: &str, body: Option<&[u8]>) -> Fetched {
        let done = |origin, bytes| Fetched {
            url: url.to_owned(),
            origin,
            bytes,
        };
        if let Err(e) = check_url(url) {
            return done(FetchOrigin::Network, Err(e));
        }
        let key = cache_key(kind, url, body);
        let now = crate::asn1::time::now();
        if let Some(bytes) = self.cached_in_memory(&key, now) {
            return done(FetchOrigin::MemoryCache, Ok(bytes));
        }
        if let Some(entry) = self.cached_on_disk(&key, now) {
            let bytes = entry.bytes.clone();
            self.remember(key, entry);
            return done(FetchOrigin::DiskCache, Ok(bytes));
        }
        if self.config.offline {
            return done(
                FetchOrigin::Network,
                Err(FetchError::Offline {
                    url: url.to_owned(),
                }),
            );
        }
        let (max, _) = self.config.cap(kind);
        let got = match body {
            Some(b) => self
                .transport
                .post(url, "application/ocsp-request", b, kind, max),
            None => self.transport.get(url, kind, max),
        };
        if let Ok(bytes) = &got {
            let entry = Entry {
                bytes: bytes.clone(),
                expires: expiry(kind, bytes, now, self.config.default_cache_seconds),
            };
            if entry.expires > now {
                self.to_disk(&key, &entry);
                self.remember(key, entry);
            }
        }
        done(FetchOrigin::Network, got)
    }

    fn cached_in_memory(&self, key: &[u8; 32], now: UnixTime) -> Option<Vec<u8>> {
        let mut map = self.memory.lock().ok()?;
        match map.get(key) {
            Some(e) if e.expires > now => Some(e.bytes.clone()),
            Some(_) => {
                map.remove(key);
                None
            }
            None => None,
        }
    }

    fn remember(&self, key: [u8; 32], entry: Entry) {
        let Ok(mut map) = self.memory.lock() else {
            return;
        };
        if self.config.memory_cache_entries == 0 {
            return;
        }
        if map.len() >= self.config.memory_cache_entries {
            // Drop the entry that expires first (expired ones included).
            if let Some(k) = map.iter().min_by_key(|(_, e)| e.expires).map(|(k, _)| *k) {
                map.remove(&k);
            }
        }
        map.insert(key, entry);
    }

    fn disk_paths(&self, key: &[u8; 32]) -> Option<(PathBuf, PathBuf)> {
        let dir = self.config.cache_dir.as_deref()?;
        let name = hex::encode(key);
        Some((
            dir.join(format!("{name}.der")),
            dir.join(format!("{name}.expires")),
        ))
    }

    fn cached_on_disk(&self, key: &[u8; 32], now: UnixTime) -> Option<Entry> {
        let (data, meta) = self.disk_paths(key)?;
        let expires: UnixTime = std::fs::read_to_string(&meta).ok()?.trim().parse().ok()?;
        if expires <= now {
            let _ = std::fs::remove_file(&data);
            let _ = std::fs::remove_file(&meta);
            return None;
        }
        let bytes = read_capped(&data, self.config.max_crl_bytes)?;
        Some(Entry { bytes, expires })
    }

    fn to_disk(&self, key: &[u8; 32], entry: &Entry) {
        let Some((data, meta)) = self.disk_paths(key) else {
            return;
        };
        // Write then rename, so a reader never sees half a file.
        let tmp = data.with_extension("tmp");
        if std::fs::write(&tmp, &entry.bytes).is_ok() && std::fs::rename(&tmp, &data).is_ok() {
            let _ = std::fs::write(&meta, entry.expires.to_string());
        }
    }

    fn each(&self, urls: Vec<String>, mut f: impl FnMut(&str) -> Fetched) -> Vec<Fetched> {
        urls.iter()
            .take(self.config.max_urls_per_certificate)
            .map(|u| f(u))
            .collect()
    }
}

fn read_capped(path: &Path, max: usize) -> Option<Vec<u8>> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.len() > max as u64 {
        return None;
    }
    std::fs::read(path).ok()
}

fn cache_key(kind: FetchKind, url: &str, body: Option<&[u8]>) -> [u8; 32] {
    let mut h = crate::crypto::KeyHasher::new();
    h.value(&(kind, url));
    if let Some(b) = body {
        h.bytes(b);
    }
    h.finish32()
}

/// Until when fetched bytes may be served from a cache: the object's nextUpdate, else
/// `default_seconds` from now; `now` (not cached) when it does not parse.
fn expiry(kind: FetchKind, bytes: &[u8], now: UnixTime, default_seconds: i64) -> UnixTime {
    let fallback = now.saturating_add(default_seconds.max(0));
    let limits = Limits::default();
    match kind {
        FetchKind::Crl => match Crl::from_der(bytes, limits.max_crl_entries) {
            Ok(crl) => crl.next_update.unwrap_or(fallback),
            Err(_) => now,
        },
        FetchKind::Ocsp => match crate::revocation::ocsp::OcspResponse::from_der(bytes, &limits) {
            Ok(r) => r
                .basic
                .as_ref()
                .and_then(|b| b.responses.iter().filter_map(|s| s.next_update).min())
                .unwrap_or(now),
            Err(_) => now,
        },
        FetchKind::Certificate => fallback,
    }
}

impl<T: Transport> Fetcher for CachingFetcher<T> {
    fn crls(&self, cert: &Certificate) -> Vec<Fetched> {
        self.each(crl_urls(cert), |u| self.fetch(FetchKind::Crl, u, None))
    }

    fn ocsp(&self, cert: &Certificate, issuer: &Certificate) -> Vec<Fetched> {
        let body = ocsp_request(cert, issuer);
        self.each(ocsp_urls(cert), |u| {
            self.fetch(FetchKind::Ocsp, u, Some(&body))
        })
    }

    fn issuers(&self, cert: &Certificate) -> Vec<Fetched> {
        self.each(issuer_urls(cert), |u| {
            self.fetch(FetchKind::Certificate, u, None)
        })
    }

    fn identity(&self) -> String {
        format!(
            "caching-fetcher offline={} roots={:?} allow_internal={:?}",
            self.config.offline, self.config.https_roots, self.config.allow_internal
        )
    }
}
