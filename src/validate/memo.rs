//! What path validation remembers between documents: validated CA sub-paths
//! ([`SubPathCache`]). A sub-path is a validated path from a trust anchor down to the issuer
//! of the certificate being validated — its signatures and the revocation of every
//! certificate on it. It is keyed by its certificates and a digest of everything else the
//! result depends on except the validation time (the options, the trust anchors, the CRL
//! set and the certificates that could sign a CRL), and stored with the time window over
//! which it holds ([`crate::asn1::time::Moment`]): a call at any time inside the window
//! reuses it, a call outside recomputes it. A different time never returns a stale answer.

use super::outcome::{AcceptedWeakness, RevocationEntry};
use crate::asn1::UnixTime;
use crate::cache::{Bounded, CounterSnapshot};
use crate::crypto::Digest32;
use crate::verdict::Check;
use std::sync::Arc;

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
pub struct SubPathCache(Bounded<Digest32, Arc<SubPath>>);

impl SubPathCache {
    /// A cache of at most `entries` sub-paths (0: disabled).
    pub fn new(entries: u64) -> SubPathCache {
        SubPathCache(Bounded::new(entries))
    }

    /// The sub-path under `key`, when it holds at `time`.
    pub(crate) fn get(&self, key: &Digest32, time: UnixTime) -> Option<Arc<SubPath>> {
        self.0
            .get_if(key, |sp| sp.window.0 <= time && time <= sp.window.1)
    }

    /// Remembers a validated sub-path.
    pub(crate) fn put(&self, key: Digest32, value: SubPath) {
        self.0.insert(key, Arc::new(value));
    }

    /// Hits, misses and size.
    pub fn snapshot(&self) -> CounterSnapshot {
        self.0.snapshot()
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.0.clear();
    }
}
