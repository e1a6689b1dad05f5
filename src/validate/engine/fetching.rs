//! What the engine fetched during one validation (through the caller's
//! [`crate::revocation::fetch::Fetcher`]): CRLs and OCSP responses, each fetched at most once
//! per certificate, within `Limits::max_fetches`, with where each came from for the report.

use super::Engine;
use crate::asn1::format_time;
use crate::crypto::Digest32;
use crate::revocation::fetch::{FetchError, FetchOrigin};
use crate::revocation::ocsp::{OcspResponse, OcspUse};
use crate::revocation::{DataKind, DataOrigin, RevocationSource};
use crate::x509::{crls_from_bytes, Certificate, Crl};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Everything fetched so far in this validation.
#[derive(Default)]
pub(super) struct Fetched {
    pub(super) crls: Vec<Arc<Crl>>,
    pub(super) ocsp: Vec<Arc<OcspResponse>>,
    /// Where each fetched object (by SHA-256) came from.
    origins: HashMap<[u8; 32], (DataOrigin, String)>,
    /// (kind, certificate) pairs already fetched for.
    done: HashSet<(DataKind, Digest32)>,
    /// Fetches made (cache hits included).
    count: usize,
}

/// What one round of fetching gave.
pub(super) struct FetchNotes {
    /// Objects added.
    pub(super) fetched: usize,
    /// Why some URL gave nothing, one line each.
    pub(super) problems: Vec<String>,
}

impl Engine<'_> {
    /// Fetches `kind` data for `cert` (issued by `issuer`) once per validation, when the
    /// caller gave a fetcher.
    pub(super) fn fetch_revocation(
        &mut self,
        kind: DataKind,
        cert: &Certificate,
        issuer: &Certificate,
    ) -> FetchNotes {
        let mut notes = FetchNotes {
            fetched: 0,
            problems: Vec::new(),
        };
        let Some(fetcher) = self.sources.fetcher else {
            return notes;
        };
        if !self.fetched.done.insert((kind, cert.sha256)) {
            return notes;
        }
        if self.fetched.count >= self.limits.max_fetches {
            notes.problems.push(
                FetchError::Budget {
                    limit: self.limits.max_fetches,
                }
                .to_string(),
            );
            return notes;
        }
        let results = match kind {
            DataKind::Ocsp => fetcher.ocsp(cert, issuer),
            DataKind::Crl => fetcher.crls(cert),
        };
        for r in results {
            self.fetched.count += 1;
            let origin = match r.origin {
                FetchOrigin::Network => DataOrigin::Fetched,
                FetchOrigin::MemoryCache | FetchOrigin::DiskCache => DataOrigin::Cache,
            };
            let bytes = match r.bytes {
                Ok(b) => b,
                Err(e) => {
                    notes.problems.push(format!("fetching: {e}"));
                    continue;
                }
            };
            match self.add_fetched(kind, &bytes, &r.url) {
                Ok(hash) => {
                    self.fetched.origins.insert(hash, (origin, r.url.clone()));
                    notes.fetched += 1;
                }
                Err(why) => notes.problems.push(format!("fetched {}: {why}", r.url)),
            }
        }
        notes
    }

    fn add_fetched(&mut self, kind: DataKind, bytes: &[u8], url: &str) -> Result<[u8; 32], String> {
        match kind {
            DataKind::Ocsp => {
                let r = OcspResponse::from_der(bytes, &self.limits).map_err(|e| e.to_string())?;
                let h = r.sha256;
                if !self.fetched.ocsp.iter().any(|x| x.sha256 == h) {
                    self.fetched.ocsp.push(Arc::new(r));
                }
                Ok(h)
            }
            DataKind::Crl => {
                let mut list =
                    crls_from_bytes(bytes, url, &self.limits).map_err(|e| e.to_string())?;
                let crl = list.pop().ok_or("no CRL in the response")?;
                let h = crl.sha256;
                if !self.fetched.crls.iter().any(|x| x.sha256 == h) {
                    self.fetched.crls.push(Arc::new(crl));
                }
                Ok(h)
            }
        }
    }

    fn origin_of(&self, sha256: &[u8; 32]) -> (DataOrigin, Option<String>) {
        match self.fetched.origins.get(sha256) {
            Some((o, url)) => (*o, Some(url.clone())),
            None => (DataOrigin::Supplied, None),
        }
    }

    /// The report entry of a CRL a status rests on.
    pub(super) fn crl_source(&self, crl: &Crl) -> RevocationSource {
        let (origin, url) = self.origin_of(&crl.sha256);
        RevocationSource {
            kind: DataKind::Crl,
            sha256: crl.fingerprint(),
            origin,
            url,
            issuer: crl.issuer.to_string(),
            produced_at: None,
            this_update: format_time(crl.this_update),
            next_update: crl.next_update.map(format_time),
        }
    }

    /// The report entry of an OCSP response a status rests on.
    pub(super) fn ocsp_source(&self, used: &OcspUse) -> RevocationSource {
        let hash: Option<[u8; 32]> = hex::decode(&used.sha256)
            .ok()
            .and_then(|v| v.try_into().ok());
        let (origin, url) = hash
            .map(|h| self.origin_of(&h))
            .unwrap_or((DataOrigin::Supplied, None));
        RevocationSource {
            kind: DataKind::Ocsp,
            sha256: used.sha256.clone(),
            origin,
            url,
            issuer: used.responder.clone(),
            produced_at: Some(format_time(used.produced_at)),
            this_update: format_time(used.this_update),
            next_update: used.next_update.map(format_time),
        }
    }
}
