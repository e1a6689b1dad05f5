//! What path validation remembers between documents: validated CA sub-paths
//! ([`SubPathCache`]). A sub-path is a validated path from a trust anchor down to the issuer
//! of the certificate being validated — its signatures and the revocation of every
//! certificate on it. It is keyed by its certificates and a digest of everything else the
//! result depends on except the validation time (the options, the trust anchors, the CRL
//! set and the certificates that could sign a CRL), and stored with the time window over
//! which it holds ([`crate::asn1::time::Moment`]): a call at any time inside the window
//! reuses it, a call outside recomputes it. A different time never returns a stale answer.

use super::options::Options;
use super::outcome::{AcceptedWeakness, RevocationEntry};
use crate::asn1::UnixTime;
use crate::cache::{Bounded, CounterSnapshot};
use crate::crypto::{Digest32, KeyHasher};
use crate::verdict::Check;
use std::sync::{Arc, Mutex};

/// What a validated CA sub-path contributes to every path that extends it.
#[derive(Clone, Debug)]
pub(crate) struct SubPath {
    /// The closed interval of validation times over which this result holds.
    pub(crate) window: (UnixTime, UnixTime),
    /// Weak algorithms accepted in the sub-path's certificate signatures.
    pub(crate) signature_weaknesses: Vec<AcceptedWeakness>,
    /// Weak algorithms accepted in the CRLs that cleared the sub-path's certificates.
    pub(crate) revocation_weaknesses: Vec<AcceptedWeakness>,
    /// Revocation entries of the sub-path's certificates below the anchor.
    pub(crate) revocation: Vec<RevocationEntry>,
    /// Non-fatal findings on the sub-path.
    pub(crate) warnings: Vec<Check>,
}

/// Validated CA sub-paths shared across documents and threads.
#[derive(Debug)]
pub struct SubPathCache {
    paths: Bounded<Digest32, Arc<SubPath>>,
    /// The digests of the last few options (without their time) sub-path keys were made
    /// under: the same digest [`options_digest`] computes, found by equality instead of
    /// hashing every option again (a validation derives a few option sets per call — the
    /// signer's, the TSA's, the CRL signers' and OCSP responders' — and each is hashed
    /// in full).
    options: Mutex<Vec<(Options, Digest32)>>,
}

/// Options digests remembered (most recent first).
const OPTIONS_KEYS: usize = 16;

/// The digest of `options` without their time.
pub(crate) fn options_digest(options: &Options) -> Digest32 {
    let mut h = KeyHasher::new();
    options.hash_without_time(&mut h);
    h.finish32()
}

impl SubPathCache {
    /// A cache of at most `entries` sub-paths (0: disabled).
    pub fn new(entries: u64) -> SubPathCache {
        SubPathCache {
            paths: Bounded::new(entries),
            options: Mutex::new(Vec::new()),
        }
    }

    /// The sub-path under `key`, when it holds at `time`.
    pub(crate) fn get(&self, key: &Digest32, time: UnixTime) -> Option<Arc<SubPath>> {
        self.paths
            .get_if(key, |sp| sp.window.0 <= time && time <= sp.window.1)
    }

    /// Remembers a validated sub-path.
    pub(crate) fn put(&self, key: Digest32, value: SubPath) {
        self.paths.insert(key, Arc::new(value));
    }

    /// [`options_digest`] of `options`, from the options seen last when equal.
    pub(crate) fn options_key(&self, options: &Options) -> Digest32 {
        if self.paths.is_disabled() {
            return options_digest(options);
        }
        if let Ok(seen) = self.options.lock() {
            if let Some((_, k)) = seen.iter().find(|(o, _)| o.eq_without_time(options)) {
                return *k;
            }
        }
        let key = options_digest(options);
        if let Ok(mut seen) = self.options.lock() {
            let mut kept = options.clone();
            kept.time = 0;
            seen.insert(0, (kept, key));
            seen.truncate(OPTIONS_KEYS);
        }
        key
    }

    /// Counts a reuse of a validated CA sub-path inside a whole path outcome taken from a
    /// cache above this one (the verifier's outcome cache), as a hit.
    pub(crate) fn count_reuse(&self) {
        self.paths.count_hit();
    }

    /// Hits, misses and size.
    pub fn snapshot(&self) -> CounterSnapshot {
        self.paths.snapshot()
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.paths.clear();
        if let Ok(mut seen) = self.options.lock() {
            seen.clear();
        }
    }
}
