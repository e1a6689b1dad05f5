//! Path building: from a target certificate, over a pool of untrusted certificates, to trust
//! anchors drawn from several stores. Owns candidate-issuer lookup (name, then AKI/SKI
//! preference), loop avoidance, deterministic depth-first backtracking and the
//! path-building budget. It does not judge a path: each complete candidate is handed to
//! the caller (see [`crate::validate`]), which may accept it or ask for the next one.

use crate::asn1::Oid;
use crate::limits::Limits;
use crate::x509::name::AttributeKey;
use crate::x509::Certificate;
use std::collections::HashMap;
use std::sync::Arc;

/// A trust anchor: a certificate plus the name of the store it came from.
#[derive(Clone, Debug)]
pub struct TrustAnchor {
    /// The anchor's certificate (its subject and key are what RFC 5280 uses).
    pub cert: Arc<Certificate>,
    /// The store it came from, e.g. `hk`, `gd`, `command-line`.
    pub store: String,
}

type NameKey = Vec<Vec<(Oid, AttributeKey)>>;

/// An indexed set of certificates, deduplicated by fingerprint, in insertion order. A pool
/// may sit over a shared base pool ([`CertPool::over`]): a verifier's pool is shared by every
/// document, each document adding its own certificates on top without copying the base.
#[derive(Clone, Debug, Default)]
pub struct CertPool {
    base: Option<Arc<CertPool>>,
    certs: Vec<Arc<Certificate>>,
    by_subject: HashMap<NameKey, Vec<usize>>,
    by_fingerprint: HashMap<[u8; 32], usize>,
    /// [`CertPool::digest`], once computed (reset by [`CertPool::add`]).
    digest: std::sync::OnceLock<crate::crypto::Digest32>,
}

impl CertPool {
    /// An empty pool.
    pub fn new() -> CertPool {
        CertPool::default()
    }

    /// An empty pool over `base`: it holds everything `base` holds, and what is added to it.
    pub fn over(base: Arc<CertPool>) -> CertPool {
        CertPool {
            base: Some(base),
            ..CertPool::default()
        }
    }

    /// Adds a certificate; returns false when it was already present.
    pub fn add(&mut self, cert: Arc<Certificate>) -> bool {
        if self.contains(&cert.sha256) {
            return false;
        }
        self.digest = std::sync::OnceLock::new();
        let idx = self.certs.len();
        self.by_fingerprint.insert(cert.sha256, idx);
        self.by_subject
            .entry(cert.subject.key().to_vec())
            .or_default()
            .push(idx);
        self.certs.push(cert);
        true
    }

    /// Number of certificates.
    pub fn len(&self) -> usize {
        self.certs.len() + self.base.as_ref().map_or(0, |b| b.len())
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// All certificates in insertion order (the base's first).
    pub fn iter(&self) -> impl Iterator<Item = &Arc<Certificate>> {
        let base: Box<dyn Iterator<Item = &Arc<Certificate>>> = match &self.base {
            Some(b) => Box::new(b.iter()),
            None => Box::new(std::iter::empty()),
        };
        base.chain(self.certs.iter())
    }

    /// A collision-resistant digest of the pool's certificates in insertion order (the
    /// base's digest, then each added certificate's fingerprint): what a result computed
    /// from the pool depends on through it, path-building order included. Computed once
    /// per pool state.
    pub fn digest(&self) -> crate::crypto::Digest32 {
        *self.digest.get_or_init(|| {
            let mut h = crate::crypto::KeyHasher::new();
            self.feed_key(&mut h);
            h.finish32()
        })
    }

    /// Feeds what [`CertPool::digest`] covers (the base's digest, the number of added
    /// certificates, then each one's fingerprint: a prefix-free sequence) into a key being
    /// hashed anyway, so that a pool made for one document costs no hash of its own.
    pub fn feed_key(&self, h: &mut crate::crypto::KeyHasher) {
        h.value(&self.base.as_ref().map(|b| b.digest()));
        h.value(&self.certs.len());
        for c in &self.certs {
            h.bytes(&c.sha256);
        }
    }

    /// True when a certificate with this fingerprint is in the pool.
    pub fn contains(&self, sha256: &[u8; 32]) -> bool {
        self.by_fingerprint.contains_key(sha256)
            || self.base.as_ref().is_some_and(|b| b.contains(sha256))
    }

    /// Certificates whose subject matches `name` (RFC 5280 §7.1), in insertion order.
    pub fn with_subject<'a>(
        &'a self,
        name: &crate::x509::Name,
    ) -> impl Iterator<Item = &'a Arc<Certificate>> + 'a {
        let base: Box<dyn Iterator<Item = &'a Arc<Certificate>> + 'a> = match &self.base {
            Some(b) => Box::new(b.with_subject(name)),
            None => Box::new(std::iter::empty()),
        };
        base.chain(
            self.by_subject
                .get(name.key())
                .into_iter()
                .flatten()
                .filter_map(move |&i| self.certs.get(i)),
        )
    }

    /// Candidate issuers of `cert`: subject equal to its issuer name; those whose
    /// subjectKeyIdentifier equals its authorityKeyIdentifier come first, those whose SKI
    /// contradicts it last; otherwise insertion order.
    pub fn issuers_of(&self, cert: &Certificate) -> Vec<Arc<Certificate>> {
        let mut list: Vec<(u8, Arc<Certificate>)> = self
            .with_subject(&cert.issuer)
            .map(|c| (aki_rank(cert, c), Arc::clone(c)))
            .collect();
        list.sort_by_key(|(rank, _)| *rank);
        list.into_iter().map(|(_, c)| c).collect()
    }
}

/// 0: AKI keyIdentifier equals the candidate's SKI; 1: no information; 2: they differ.
fn aki_rank(child: &Certificate, candidate: &Certificate) -> u8 {
    let aki = child
        .extensions
        .authority_key_id
        .as_ref()
        .and_then(|a| a.key_id.as_ref());
    let ski = candidate.extensions.subject_key_id.as_ref();
    match (aki, ski) {
        (Some(a), Some(s)) if a == s => 0,
        (Some(_), Some(_)) => 2,
        _ => 1,
    }
}

/// Trust anchors from one or more stores.
#[derive(Clone, Debug, Default)]
pub struct AnchorSet {
    anchors: Vec<TrustAnchor>,
    pool: CertPool,
    /// SHA-256 over the sorted (fingerprint, store) pairs, computed on first use.
    digest: std::sync::OnceLock<crate::crypto::Digest32>,
}

impl AnchorSet {
    /// An empty set.
    pub fn new() -> AnchorSet {
        AnchorSet::default()
    }

    /// Adds an anchor; a certificate already present (from any store) is kept once, with
    /// the first store's tag.
    pub fn add(&mut self, cert: Arc<Certificate>, store: &str) {
        self.digest = std::sync::OnceLock::new();
        if self.pool.add(Arc::clone(&cert)) {
            self.anchors.push(TrustAnchor {
                cert,
                store: store.to_string(),
            });
        }
    }

    /// All anchors in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &TrustAnchor> {
        self.anchors.iter()
    }

    /// A collision-resistant digest of the set (each anchor's fingerprint and store, in
    /// sorted order): what a cached validation result depends on through the anchors.
    /// Computed once per set.
    pub fn digest(&self) -> crate::crypto::Digest32 {
        *self.digest.get_or_init(|| {
            let mut pairs: Vec<([u8; 32], &str)> = self
                .anchors
                .iter()
                .map(|a| (a.cert.sha256, a.store.as_str()))
                .collect();
            pairs.sort_unstable();
            let mut h = crate::crypto::KeyHasher::new();
            h.value(&pairs);
            h.finish32()
        })
    }

    /// Number of anchors.
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// The anchor with this fingerprint.
    pub fn get(&self, sha256: &[u8; 32]) -> Option<&TrustAnchor> {
        self.anchors.iter().find(|a| &a.cert.sha256 == sha256)
    }

    /// Anchors that may have issued `cert`, best AKI match first.
    pub fn issuers_of(&self, cert: &Certificate) -> Vec<&TrustAnchor> {
        self.pool
            .issuers_of(cert)
            .iter()
            .filter_map(|c| self.get(&c.sha256))
            .collect()
    }
}

/// What the judge says about an edge or a complete path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Keep searching.
    Continue,
    /// Stop: a path was accepted (or the judge ran out of budget).
    Stop,
}

/// The caller's side of path building.
pub trait Judge {
    /// May `issuer` have issued `child`? Called before descending, to prune (e.g. a
    /// signature check). Returning false skips the candidate.
    fn edge(&mut self, child: &Certificate, issuer: &Certificate) -> bool;
    /// A complete candidate path, anchor first, target last.
    fn complete(&mut self, path: &[Arc<Certificate>], anchor: &TrustAnchor) -> Step;
    /// True when the judge has run out of its own budget (e.g. signature checks): the
    /// search ends with [`SearchEnd::Budget`].
    fn out_of_budget(&self) -> bool {
        false
    }
}

/// How a search ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchEnd {
    /// The judge accepted a path.
    Accepted,
    /// Every candidate was tried and none was accepted.
    AllTried,
    /// A budget ran out before every candidate was tried: `Limits::max_candidate_paths`,
    /// `Limits::max_path_search_steps`, or the judge's own (signature checks).
    Budget,
}

/// The bounds of one search, from [`Limits`].
#[derive(Clone, Copy, Debug)]
struct Bounds {
    /// Most certificates in a path, anchor included (`Limits::max_path_depth`).
    max_depth: usize,
    /// Most complete candidate paths handed to the judge (`Limits::max_candidate_paths`).
    max_candidates: usize,
    /// Most partial paths extended, dead ends included (`Limits::max_path_search_steps`).
    max_steps: usize,
}

/// Depth-first search from `target` over `pool` to `anchors`.
///
/// Order is deterministic: at each level, anchors first, then pool certificates, each in
/// AKI-preference then insertion order. A certificate never appears twice in one path,
/// nor does a (subject, key) pair, so cross-certificate loops end.
pub fn search(
    target: &Arc<Certificate>,
    pool: &CertPool,
    anchors: &AnchorSet,
    limits: &Limits,
    judge: &mut dyn Judge,
) -> (SearchEnd, usize) {
    let mut s = Search {
        pool,
        anchors,
        limits: Bounds {
            max_depth: limits.max_path_depth,
            max_candidates: limits.max_candidate_paths,
            max_steps: limits.max_path_search_steps,
        },
        judge,
        candidates: 0,
        steps: 0,
    };
    // A target that is itself an anchor is trusted directly.
    if let Some(anchor) = anchors.get(&target.sha256) {
        s.candidates += 1;
        if s.judge.complete(std::slice::from_ref(target), anchor) == Step::Stop {
            return (SearchEnd::Accepted, s.candidates);
        }
    }
    let mut chain = vec![Arc::clone(target)];
    let end = s.extend(&mut chain);
    (end, s.candidates)
}

struct Search<'a> {
    pool: &'a CertPool,
    anchors: &'a AnchorSet,
    limits: Bounds,
    judge: &'a mut dyn Judge,
    candidates: usize,
    steps: usize,
}

impl Search<'_> {
    fn extend(&mut self, chain: &mut Vec<Arc<Certificate>>) -> SearchEnd {
        let Some(current) = chain.last().cloned() else {
            return SearchEnd::AllTried;
        };
        if chain.len() + 1 > self.limits.max_depth {
            return SearchEnd::AllTried;
        }
        self.steps += 1;
        if self.steps > self.limits.max_steps || self.judge.out_of_budget() {
            return SearchEnd::Budget;
        }
        for anchor in self.anchors.issuers_of(&current) {
            if chain.iter().any(|c| c.sha256 == anchor.cert.sha256) {
                continue;
            }
            if !self.judge.edge(&current, &anchor.cert) {
                if self.judge.out_of_budget() {
                    return SearchEnd::Budget;
                }
                continue;
            }
            if self.candidates >= self.limits.max_candidates {
                return SearchEnd::Budget;
            }
            self.candidates += 1;
            let mut path: Vec<Arc<Certificate>> = Vec::with_capacity(chain.len() + 1);
            path.push(Arc::clone(&anchor.cert));
            path.extend(chain.iter().rev().cloned());
            if self.judge.complete(&path, anchor) == Step::Stop {
                return SearchEnd::Accepted;
            }
        }
        for cand in self.pool.issuers_of(&current) {
            if self.anchors.get(&cand.sha256).is_some() {
                continue;
            }
            let looped = chain.iter().any(|c| {
                c.sha256 == cand.sha256
                    || (c.subject.matches(&cand.subject) && c.public_key == cand.public_key)
            });
            if looped {
                continue;
            }
            if !self.judge.edge(&current, &cand) {
                if self.judge.out_of_budget() {
                    return SearchEnd::Budget;
                }
                continue;
            }
            chain.push(cand);
            let end = self.extend(chain);
            chain.pop();
            if end != SearchEnd::AllTried {
                return end;
            }
        }
        SearchEnd::AllTried
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(pem: &[u8]) -> Arc<Certificate> {
        let der = pem::parse(pem).unwrap().into_contents();
        Arc::new(Certificate::from_der(&der).unwrap())
    }

    #[test]
    fn a_pool_over_a_base_sees_both_and_copies_nothing() {
        let root = cert(include_bytes!("../../fixtures/path-demo/root.pem"));
        let ca = cert(include_bytes!("../../fixtures/path-demo/ca.pem"));
        let signer = cert(include_bytes!("../../fixtures/path-demo/signer.pem"));
        let mut base = CertPool::new();
        assert!(base.add(Arc::clone(&ca)));
        let base = Arc::new(base);
        let mut doc = CertPool::over(Arc::clone(&base));
        assert!(!doc.add(Arc::clone(&ca)), "already in the base");
        assert!(doc.add(Arc::clone(&root)));
        assert_eq!(doc.len(), 2);
        assert_eq!(base.len(), 1);
        assert!(doc.contains(&ca.sha256) && doc.contains(&root.sha256));
        assert_eq!(doc.issuers_of(&signer).len(), 1);
        assert_eq!(
            doc.issuers_of(&ca).first().map(|c| c.sha256),
            Some(root.sha256)
        );
        let order: Vec<[u8; 32]> = doc.iter().map(|c| c.sha256).collect();
        assert_eq!(order, vec![ca.sha256, root.sha256]);
    }
}
