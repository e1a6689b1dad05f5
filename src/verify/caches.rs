//! The caches one [`super::Verifier`] shares across documents and threads, composed from the
//! stages' own: signature results (`crypto`), validated CA sub-paths with their time windows
//! (`validate`) and parsed certificates and CRLs carried in documents (`x509`). Every one is
//! bounded; only results that depend on nothing outside their key are stored.

use crate::cache::CounterSnapshot;
use crate::crypto::SignatureCache;
use crate::validate::{Memo, SubPathCache};
use crate::x509::ObjectCache;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// How much each cache holds at most. Parsed objects are bounded by their size (a hostile
/// stream of documents carrying large certificates or CRLs cannot grow memory past these).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheLimits {
    /// Signature-check results (entries).
    pub signatures: u64,
    /// Validated CA sub-paths (entries).
    pub sub_paths: u64,
    /// Parsed certificates carried in documents (bytes of DER).
    pub certificate_bytes: u64,
    /// Parsed CRLs carried in documents (bytes of DER, plus 64 per revoked entry for the
    /// model and its serial index).
    pub crl_bytes: u64,
}

impl Default for CacheLimits {
    fn default() -> Self {
        CacheLimits {
            signatures: 16_384,
            sub_paths: 4_096,
            certificate_bytes: 16 << 20,
            crl_bytes: 128 << 20,
        }
    }
}

impl CacheLimits {
    /// No caching at all (every cache holds nothing).
    pub fn disabled() -> Self {
        CacheLimits {
            signatures: 0,
            sub_paths: 0,
            certificate_bytes: 0,
            crl_bytes: 0,
        }
    }
}

/// What the caches did since they were created or last cleared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheStats {
    /// Signature-check results.
    pub signatures: CounterSnapshot,
    /// Validated CA sub-paths.
    pub sub_paths: CounterSnapshot,
    /// Parsed certificates.
    pub certificates: CounterSnapshot,
    /// Parsed CRLs.
    pub crls: CounterSnapshot,
}

/// The caches of one verifier.
#[derive(Debug)]
pub(crate) struct Caches {
    pub(crate) limits: CacheLimits,
    /// Shared with the OFD layer, which caches seal signatures in it.
    pub(crate) signatures: Arc<SignatureCache>,
    pub(crate) sub_paths: SubPathCache,
    pub(crate) objects: ObjectCache,
}

impl Caches {
    pub(crate) fn new(limits: CacheLimits) -> Caches {
        Caches {
            limits,
            signatures: Arc::new(SignatureCache::new(limits.signatures)),
            sub_paths: SubPathCache::new(limits.sub_paths),
            objects: ObjectCache::new(limits.certificate_bytes, limits.crl_bytes),
        }
    }

    pub(crate) fn memo(&self) -> Memo<'_> {
        Memo {
            signatures: &self.signatures,
            sub_paths: &self.sub_paths,
        }
    }

    pub(crate) fn clear(&self) {
        self.signatures.clear();
        self.sub_paths.clear();
        self.objects.clear();
    }

    pub(crate) fn stats(&self) -> CacheStats {
        let (certificates, crls) = self.objects.snapshots();
        CacheStats {
            signatures: self.signatures.snapshot(),
            sub_paths: self.sub_paths.snapshot(),
            certificates,
            crls,
        }
    }
}
