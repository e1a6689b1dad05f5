//! [`VerifierBuilder`]: everything a [`Verifier`] is built from, set by methods (no public
//! fields to mutate), for the library, the CLI, the service and the Python package alike.

use super::caches::{CacheLimits, Caches};
use super::{Settings, Verifier};
use crate::asn1::UnixTime;
use crate::crypto::AlgorithmPolicy;
use crate::limits::Limits;
use crate::path::{AnchorSet, CertPool};
use crate::revocation::fetch::Fetcher;
use crate::revocation::ocsp::{OcspResponse, OcspTiming};
use crate::revocation::RevocationMode;
use crate::trust::{Jurisdiction, PurposeList, TrustStores};
use crate::validate::{KeyUsageRequirement, Options, ValidityModel};
use crate::x509::{Certificate, Crl};
use std::sync::Arc;

pub use crate::recognition::DIRECT_ANCHOR_STORE;

/// Builds a [`Verifier`]. Start from [`Verifier::builder`].
#[derive(Debug)]
pub struct VerifierBuilder {
    stores: Option<TrustStores>,
    purpose_lists: Vec<PurposeList>,
    anchors: Vec<(Arc<Certificate>, String)>,
    pool: CertPool,
    crls: Vec<Arc<Crl>>,
    ocsp: Vec<Arc<OcspResponse>>,
    fetcher: Option<Arc<dyn Fetcher>>,
    options: Options,
    time: Option<UnixTime>,
    relying_party: Option<Jurisdiction>,
    cache_limits: CacheLimits,
    shared_caches: Option<Arc<Caches>>,
}

impl Default for VerifierBuilder {
    fn default() -> Self {
        let mut options = Options::at(0);
        options.key_usage = KeyUsageRequirement::document_signer();
        VerifierBuilder {
            stores: None,
            purpose_lists: Vec::new(),
            anchors: Vec::new(),
            pool: CertPool::new(),
            crls: Vec::new(),
            ocsp: Vec::new(),
            fetcher: None,
            options,
            time: None,
            relying_party: None,
            cache_limits: CacheLimits::default(),
            shared_caches: None,
        }
    }
}

impl VerifierBuilder {
    /// The HK and GD trust lists: their anchors (tagged `hk` / `gd`) and their
    /// mutual-recognition entries.
    pub fn trust_stores(mut self, stores: TrustStores) -> Self {
        self.stores = Some(stores);
        self
    }

    /// A purpose list (e.g. `CN-tax`): its anchors are trusted for path validation, tagged
    /// with the purpose as their store, and are **not** domestic anchors of Hong Kong or
    /// Guangdong, so recognition still judges such a path by the HK and GD lists
    /// (`not_recognised` unless they list it). Several lists may be added.
    pub fn purpose_list(mut self, list: PurposeList) -> Self {
        self.purpose_lists.push(list);
        self
    }

    /// A trust anchor given directly: domestic for either jurisdiction, tagged
    /// `command-line` (`DIRECT_ANCHOR_STORE`).
    pub fn anchor(self, cert: Arc<Certificate>) -> Self {
        self.anchor_in_store(cert, DIRECT_ANCHOR_STORE)
    }

    /// Several anchors given directly.
    pub fn anchors(mut self, certs: impl IntoIterator<Item = Arc<Certificate>>) -> Self {
        for c in certs {
            self = self.anchor(c);
        }
        self
    }

    /// A trust anchor tagged with the store it comes from (reported as `anchor_store`).
    pub fn anchor_in_store(mut self, cert: Arc<Certificate>, store: &str) -> Self {
        self.anchors.push((cert, store.to_owned()));
        self
    }

    /// An untrusted certificate for path building.
    pub fn certificate(mut self, cert: Arc<Certificate>) -> Self {
        self.pool.add(cert);
        self
    }

    /// Untrusted certificates for path building.
    pub fn certificates(mut self, certs: impl IntoIterator<Item = Arc<Certificate>>) -> Self {
        for c in certs {
            self.pool.add(c);
        }
        self
    }

    /// A CRL (complete or delta).
    pub fn crl(mut self, crl: Arc<Crl>) -> Self {
        self.crls.push(crl);
        self
    }

    /// CRLs (complete or delta).
    pub fn crls(mut self, crls: impl IntoIterator<Item = Arc<Crl>>) -> Self {
        self.crls.extend(crls);
        self
    }

    /// OCSP responses (RFC 6960), e.g. stapled ones kept beside the documents.
    pub fn ocsp_responses(
        mut self,
        responses: impl IntoIterator<Item = Arc<OcspResponse>>,
    ) -> Self {
        self.ocsp.extend(responses);
        self
    }

    /// Fetch what the certificates point to (OCSP responders, CRL distribution points,
    /// caIssuers) when the documents and the data given do not settle a status or a path.
    /// `None` (the default): the verifier never fetches. See
    /// [`crate::revocation::fetch`] (the HTTP fetcher needs the `fetch` feature).
    pub fn fetcher(mut self, fetcher: Option<Arc<dyn Fetcher>>) -> Self {
        self.fetcher = fetcher;
        self
    }

    /// The validity model (default shell).
    pub fn validity_model(mut self, model: ValidityModel) -> Self {
        self.options.validity_model = model;
        self
    }

    /// How OCSP response times are judged.
    pub fn ocsp_timing(mut self, timing: OcspTiming) -> Self {
        self.options.ocsp_timing = timing;
        self
    }

    /// How revocation is treated (default `prefer`).
    pub fn revocation(mut self, mode: RevocationMode) -> Self {
        self.options.revocation = mode;
        self
    }

    /// The relying party whose verdict sets the indication (default: the jurisdiction whose
    /// list holds the first signer's anchor).
    pub fn relying_party(mut self, j: Option<Jurisdiction>) -> Self {
        self.relying_party = j;
        self
    }

    /// The algorithm policy.
    pub fn algorithms(mut self, policy: AlgorithmPolicy) -> Self {
        self.options.algorithms = policy;
        self
    }

    /// The bounds every parser and search obeys.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.options.limits = limits;
        self
    }

    /// The cache bounds ([`CacheLimits::disabled`]: no caching).
    pub fn cache_limits(mut self, limits: CacheLimits) -> Self {
        self.cache_limits = limits;
        self
    }

    /// Share `other`'s caches instead of making new ones (e.g. one cache for verifiers that
    /// differ in anchors or CRLs: the cache keys hold everything a result depends on).
    pub fn share_caches_with(mut self, other: &Verifier) -> Self {
        self.shared_caches = Some(Arc::clone(&other.caches));
        self
    }

    /// The default validation time of calls that give none (default: now, per call).
    pub fn validation_time(mut self, time: Option<UnixTime>) -> Self {
        self.time = time;
        self
    }

    /// Every validation option at once (policy inputs, key usage, profile …); the time in it
    /// is ignored (see [`VerifierBuilder::validation_time`]).
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// The verifier.
    pub fn build(self) -> Verifier {
        let mut anchors = AnchorSet::new();
        let mut extra_domestic = Vec::new();
        for (c, store) in self.anchors {
            if store == DIRECT_ANCHOR_STORE {
                extra_domestic.push(c.sha256);
            }
            anchors.add(c, &store);
        }
        if let Some(stores) = &self.stores {
            for (j, c) in stores.anchors() {
                anchors.add(Arc::clone(c), j.folder());
            }
        }
        for list in &self.purpose_lists {
            for c in list.certificates() {
                anchors.add(Arc::clone(c), &list.purpose);
            }
        }
        let mut options = self.options;
        options.time = self.time.unwrap_or(0);
        Verifier {
            settings: Arc::new(Settings {
                anchors,
                pool: Arc::new(self.pool),
                crls: self.crls,
                ocsp: self.ocsp,
                fetcher: self.fetcher,
                options,
                time: self.time,
                stores: self.stores,
                extra_domestic,
                relying_party: self.relying_party,
            }),
            caches: self
                .shared_caches
                .unwrap_or_else(|| Arc::new(Caches::new(self.cache_limits))),
        }
    }
}
