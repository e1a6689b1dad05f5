//! Validate: RFC 5280 §6.1 over one candidate path, and the search that drives path
//! building, validation and revocation until one path passes.
//!
//! This module owns the validation inputs ([`Options`]), the per-path state machine of
//! §6.1.2–§6.1.5 (validity, chaining, signatures, basic constraints, path length, key
//! usage, name constraints via [`name_constraints`], policies via [`policy`], critical
//! extensions), the end-entity requirements (key usage, EKU, peer name, depth), and the
//! [`Outcome`] with an ETSI indication and, for every path tried, which certificate broke
//! which rule.

pub mod name_constraints;
pub mod peer_name;
pub mod policy;
pub mod profile;

use crate::cache::{Caches, Digest32, KeyHasher, SubPath};
use crate::crypto::{self, AlgorithmPolicy, SignatureError, VerifiedSignature, Weakness};
use crate::limits::Limits;
use crate::parse::ext::KeyUsage;
use crate::parse::oid::known;
use crate::parse::{format_time, Certificate, Crl, Oid, UnixTime};
use crate::path::{self, AnchorSet, BuildLimits, CertPool, Judge, SearchEnd, Step, TrustAnchor};
use crate::report::{Indication, Rule, SubIndication};
use crate::revocation::{self, CertStatus, CrlSignerResolver, RevocationContext, RevocationMode};
use peer_name::PeerName;
use policy::{CertPolicyInfo, PolicyInputs};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// Key usage the end-entity certificate must allow (checked only when it has keyUsage).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct KeyUsageRequirement {
    /// Every one of these bits must be set.
    pub all_of: u16,
    /// At least one of these bits must be set (ignored when 0).
    pub any_of: u16,
}

impl KeyUsageRequirement {
    /// What a document signer needs: nonRepudiation or digitalSignature.
    pub fn document_signer() -> Self {
        KeyUsageRequirement {
            all_of: 0,
            any_of: KeyUsage::NON_REPUDIATION | KeyUsage::DIGITAL_SIGNATURE,
        }
    }
}

/// Inputs of one validation (RFC 5280 §6.1.1 plus the caller's requirements).
#[derive(Clone, Debug, Hash)]
pub struct Options {
    /// Validation time.
    pub time: UnixTime,
    /// Initial policy set and the three policy flags.
    pub policy: PolicyInputs,
    /// How to treat revocation.
    pub revocation: RevocationMode,
    /// End-entity key usage.
    pub key_usage: KeyUsageRequirement,
    /// Extended key usages the end entity must carry (when it has the extension); anyExtendedKeyUsage satisfies all.
    pub extended_key_usage: Vec<Oid>,
    /// Check that intermediates' extendedKeyUsage (when present) also allows the required EKUs.
    pub eku_on_intermediates: bool,
    /// Names the end entity must present.
    pub peer_names: Vec<PeerName>,
    /// Most intermediates between anchor and target (x509-limbo `max_chain_depth`).
    pub max_intermediates: Option<usize>,
    /// Acceptable algorithms.
    pub algorithms: AlgorithmPolicy,
    /// Certificate profile rules beyond §6.1.
    pub profile: profile::Profile,
    /// Bounds.
    pub limits: Limits,
}

impl Options {
    /// Defaults at a given time: anyPolicy, revocation `prefer`, no end-entity requirements.
    pub fn at(time: UnixTime) -> Options {
        Options {
            time,
            policy: PolicyInputs::default(),
            revocation: RevocationMode::Prefer,
            key_usage: KeyUsageRequirement::default(),
            extended_key_usage: Vec::new(),
            eku_on_intermediates: false,
            peer_names: Vec::new(),
            max_intermediates: None,
            algorithms: AlgorithmPolicy::default(),
            profile: profile::Profile::default(),
            limits: Limits::default(),
        }
    }
}

/// One failure on one path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PathError {
    /// Position in the path (0 = anchor), when the failure concerns a certificate.
    pub index: Option<usize>,
    /// Subject of that certificate.
    pub certificate: Option<String>,
    /// SHA-256 of that certificate.
    pub sha256: Option<String>,
    /// The rule broken.
    pub rule: Rule,
    /// What happened, in words.
    pub message: String,
}

impl PathError {
    fn at(index: usize, cert: &Certificate, rule: Rule, message: impl Into<String>) -> PathError {
        PathError {
            index: Some(index),
            certificate: Some(cert.label()),
            sha256: Some(cert.fingerprint()),
            rule,
            message: message.into(),
        }
    }
    fn general(rule: Rule, message: impl Into<String>) -> PathError {
        PathError {
            index: None,
            certificate: None,
            sha256: None,
            rule,
            message: message.into(),
        }
    }
}

/// A path that was tried and the failures found on it.
#[derive(Clone, Debug, Serialize)]
pub struct Attempt {
    /// Subjects, anchor first.
    pub path: Vec<String>,
    /// Store of the anchor.
    pub anchor_store: String,
    /// What failed.
    pub errors: Vec<PathError>,
}

/// Revocation status of one certificate of the accepted path.
#[derive(Clone, Debug, Serialize)]
pub struct RevocationEntry {
    /// Position in the path (1 = first below the anchor).
    pub index: usize,
    /// Subject.
    pub certificate: String,
    /// What the CRLs said.
    pub status: CertStatus,
}

/// A weak algorithm accepted somewhere on the path.
#[derive(Clone, Debug, Serialize)]
pub struct AcceptedWeakness {
    /// What was signed: a certificate subject, or `CRL <issuer>`.
    pub object: String,
    /// The weakness.
    pub weakness: Weakness,
    /// The signature algorithm.
    pub algorithm: String,
}

/// The result of validating one target.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// ETSI main indication.
    pub indication: Indication,
    /// ETSI sub-indication (none when passed).
    pub sub_indication: Option<SubIndication>,
    /// The accepted path (anchor first) or, when none passed, the first complete path tried.
    pub path: Vec<Arc<Certificate>>,
    /// The store of the path's anchor.
    pub anchor_store: Option<String>,
    /// RFC 5280 user-constrained policy set of the accepted path.
    pub user_constrained_policy_set: Vec<Oid>,
    /// Authorities-constrained policy set of the accepted path.
    pub authorities_constrained_policy_set: Vec<Oid>,
    /// Failures on the reported path (empty when passed).
    pub errors: Vec<PathError>,
    /// Non-fatal findings (revocation unknown in `prefer` mode, …).
    pub warnings: Vec<PathError>,
    /// Every path tried, with its failures.
    pub attempts: Vec<Attempt>,
    /// Revocation status of each certificate of the accepted path.
    pub revocation: Vec<RevocationEntry>,
    /// Weak algorithms that were accepted.
    pub weaknesses: Vec<AcceptedWeakness>,
    /// Signature verifications performed.
    pub signature_checks: usize,
    /// Complete candidate paths examined.
    pub candidate_paths: usize,
}

impl Outcome {
    /// True when the indication is TOTAL_PASSED.
    pub fn is_valid(&self) -> bool {
        self.indication == Indication::TotalPassed
    }
}

/// Everything a validation draws on besides the options.
#[derive(Clone, Copy)]
pub struct Sources<'a> {
    /// Untrusted certificates for path building.
    pub pool: &'a CertPool,
    /// Trust anchors.
    pub anchors: &'a AnchorSet,
    /// CRLs.
    pub crls: &'a [Arc<Crl>],
}

/// Validates `target`: builds paths and returns the first that passes every check, or
/// the reasons none did.
pub fn validate(target: &Arc<Certificate>, sources: Sources<'_>, options: &Options) -> Outcome {
    let mut engine = Engine::new(sources, options);
    engine.run(target, options, 0, None)
}

/// [`validate`] drawing on (and filling) a verifier's caches: signature results and validated
/// CA sub-paths (see [`crate::cache`] for the keys). The outcome is the one [`validate`] gives.
pub fn validate_cached(
    target: &Arc<Certificate>,
    sources: Sources<'_>,
    options: &Options,
    caches: &Caches,
) -> Outcome {
    let mut engine = Engine::new(sources, options);
    engine.caches = Some(caches);
    engine.run(target, options, 0, None)
}

/// Shared state across the main search and the CRL-signer searches it triggers.
struct Engine<'a> {
    sources: Sources<'a>,
    algorithms: AlgorithmPolicy,
    limits: Limits,
    sig_cache: HashMap<([u8; 32], [u8; 32]), Result<VerifiedSignature, SignatureError>>,
    signature_checks: usize,
    budget_hit: bool,
    /// Validated CRL signers per anchor, memoised.
    signer_cache: HashMap<([u8; 32], [u8; 32]), SignerState>,
    /// A verifier's caches, shared across validations.
    caches: Option<&'a Caches>,
    /// Digest of the algorithm policy (part of every cached signature key), once computed.
    algorithms_key: Option<Digest32>,
    /// Digest of what every cached sub-path depends on besides its certificates and the
    /// options (anchors, CRLs, potential CRL signers in the pool), once computed.
    context_key: Option<Digest32>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SignerState {
    InProgress,
    Valid,
    Invalid,
}

impl<'a> Engine<'a> {
    fn new(sources: Sources<'a>, options: &Options) -> Engine<'a> {
        Engine {
            sources,
            algorithms: options.algorithms.clone(),
            limits: options.limits.clone(),
            sig_cache: HashMap::new(),
            signature_checks: 0,
            budget_hit: false,
            signer_cache: HashMap::new(),
            caches: None,
            algorithms_key: None,
            context_key: None,
        }
    }

    fn algorithms_key(&mut self) -> Digest32 {
        if let Some(k) = self.algorithms_key {
            return k;
        }
        let mut h = KeyHasher::new();
        h.value(&self.algorithms);
        let k = h.finish32();
        self.algorithms_key = Some(k);
        k
    }

    /// Anchors, CRLs and the pool certificates that could sign a CRL or sit on a CRL
    /// signer's path (CA certificates, and any without keyUsage or with cRLSign): the inputs
    /// of a sub-path's revocation check besides the sub-path itself.
    fn context_key(&mut self) -> Digest32 {
        if let Some(k) = self.context_key {
            return k;
        }
        let mut h = KeyHasher::new();
        let mut anchors: Vec<([u8; 32], &str)> = self
            .sources
            .anchors
            .iter()
            .map(|a| (a.cert.sha256, a.store.as_str()))
            .collect();
        anchors.sort_unstable();
        h.value(&anchors);
        let mut crls: Vec<[u8; 32]> = self.sources.crls.iter().map(|c| c.sha256).collect();
        crls.sort_unstable();
        h.value(&crls);
        let mut pool: Vec<[u8; 32]> = self
            .sources
            .pool
            .iter()
            .filter(|c| {
                c.is_ca()
                    || c.extensions
                        .key_usage
                        .is_none_or(|ku| ku.has(KeyUsage::CRL_SIGN))
            })
            .map(|c| c.sha256)
            .collect();
        pool.sort_unstable();
        h.value(&pool);
        let k = h.finish32();
        self.context_key = Some(k);
        k
    }

    /// The key of the validated sub-path `prefix` (anchor first) under `options`.
    fn sub_path_key(
        &mut self,
        prefix: &[Arc<Certificate>],
        options: &Options,
        max_depth: usize,
        depth: usize,
    ) -> Digest32 {
        let mut h = KeyHasher::new();
        h.bytes(&self.context_key());
        h.value(options);
        h.value(&(max_depth, depth));
        for c in prefix {
            h.bytes(&c.sha256);
        }
        h.finish32()
    }

    /// Verifies the signature on a signed object (certificate or CRL, identified by the
    /// SHA-256 of its DER) with `issuer`'s key: from the shared cache when possible, else
    /// computed, counted against the budget and cached.
    #[allow(clippy::too_many_arguments)]
    fn check_signed(
        &mut self,
        object_sha256: [u8; 32],
        issuer: &Certificate,
        algorithm: &crate::parse::AlgorithmIdentifier,
        tbs: &[u8],
        signature: &[u8],
        inherited: Option<&[u8]>,
    ) -> Result<VerifiedSignature, SignatureError> {
        // Inherited DSA parameters come from the path, not the key: not cached across paths.
        let shared_key = match (self.caches, inherited) {
            (Some(_), None) => Some((issuer.sha256, object_sha256, self.algorithms_key())),
            _ => None,
        };
        if let (Some(c), Some(k)) = (self.caches, &shared_key) {
            if let Some(r) = c.signature(k) {
                return r;
            }
        }
        if self.signature_checks >= self.limits.max_signature_checks {
            self.budget_hit = true;
            return Err(SignatureError::RejectedByPolicy {
                what: format!(
                    "signature-check budget of {} exhausted (Limits::max_signature_checks)",
                    self.limits.max_signature_checks
                ),
            });
        }
        self.signature_checks += 1;
        let r = crypto::verify_signature(
            algorithm,
            &issuer.public_key,
            inherited,
            tbs,
            signature,
            &self.algorithms,
        );
        if let (Some(c), Some(k)) = (self.caches, shared_key) {
            c.put_signature(k, r.clone());
        }
        r
    }

    /// Verifies `child`'s signature with `issuer`'s key, memoised and counted.
    fn check_signature(
        &mut self,
        child: &Certificate,
        issuer: &Certificate,
        inherited: Option<&[u8]>,
    ) -> Result<VerifiedSignature, SignatureError> {
        let key = (issuer.sha256, child.sha256);
        if let Some(r) = self.sig_cache.get(&key) {
            return r.clone();
        }
        if child.signature_unused_bits != 0 {
            self.sig_cache.insert(key, Err(SignatureError::Invalid));
            return Err(SignatureError::Invalid);
        }
        let r = self.check_signed(
            child.sha256,
            issuer,
            &child.signature_algorithm,
            child.tbs(),
            &child.signature,
            inherited,
        );
        if !self.budget_hit {
            self.sig_cache.insert(key, r.clone());
        }
        r
    }

    fn run(
        &mut self,
        target: &Arc<Certificate>,
        options: &Options,
        depth: usize,
        required_anchor: Option<[u8; 32]>,
    ) -> Outcome {
        let max_depth = options.limits.max_path_depth;
        let limits = BuildLimits {
            max_depth: options.limits.max_path_depth,
            max_candidates: options.limits.max_candidate_paths,
            max_steps: options.limits.max_path_search_steps,
        };
        let mut judge = PathJudge {
            engine: self,
            options,
            depth,
            required_anchor,
            accepted: None,
            attempts: Vec::new(),
            first_failed: None,
            max_depth,
        };
        let sources = judge.engine.sources;
        let (end, candidates) =
            path::search(target, sources.pool, sources.anchors, limits, &mut judge);
        let PathJudge {
            accepted,
            attempts,
            first_failed,
            ..
        } = judge;
        let signature_checks = self.signature_checks;
        if let Some(ok) = accepted {
            return Outcome {
                indication: Indication::TotalPassed,
                sub_indication: None,
                path: ok.path,
                anchor_store: Some(ok.anchor_store),
                user_constrained_policy_set: ok.user_set,
                authorities_constrained_policy_set: ok.authorities_set,
                errors: Vec::new(),
                warnings: ok.warnings,
                attempts,
                revocation: ok.revocation,
                weaknesses: ok.weaknesses,
                signature_checks,
                candidate_paths: candidates,
            };
        }
        let (path, anchor_store, mut errors) = match first_failed {
            Some((p, s, e)) => (p, Some(s), e),
            None => {
                let pruned = attempts
                    .first()
                    .map(|a| a.errors.clone())
                    .unwrap_or_default();
                (vec![Arc::clone(target)], None, pruned)
            }
        };
        if end == SearchEnd::CandidateBudget || self.budget_hit {
            errors.push(PathError::general(
                Rule::Budget,
                format!(
                    "path building stopped: budget exhausted ({} candidate paths of {} allowed, {} signature checks of {} allowed; Limits::max_candidate_paths, max_signature_checks, max_path_search_steps = {})",
                    candidates, options.limits.max_candidate_paths, self.signature_checks, options.limits.max_signature_checks, options.limits.max_path_search_steps
                ),
            ));
        }
        if errors.is_empty() {
            errors.push(PathError::at(
                0,
                target,
                Rule::NoPath,
                format!(
                    "no chain from this certificate to a trust anchor: no trusted or supplied certificate named {} verifies its signature",
                    target.issuer
                ),
            ));
        }
        let (indication, sub) = worst(&errors);
        Outcome {
            indication,
            sub_indication: Some(sub),
            path,
            anchor_store,
            user_constrained_policy_set: Vec::new(),
            authorities_constrained_policy_set: Vec::new(),
            errors,
            warnings: Vec::new(),
            attempts,
            revocation: Vec::new(),
            weaknesses: Vec::new(),
            signature_checks,
            candidate_paths: candidates,
        }
    }
}

/// The most severe indication among errors (TOTAL_FAILED over INDETERMINATE); ties keep the first.
fn worst(errors: &[PathError]) -> (Indication, SubIndication) {
    let mut best: Option<(Indication, SubIndication)> = None;
    for e in errors {
        let cand = e.rule.indication();
        if best.is_none_or(|b| cand.0 > b.0) {
            best = Some(cand);
        }
    }
    best.unwrap_or((
        Indication::Indeterminate,
        SubIndication::NoCertificateChainFound,
    ))
}

struct Accepted {
    path: Vec<Arc<Certificate>>,
    anchor_store: String,
    user_set: Vec<Oid>,
    authorities_set: Vec<Oid>,
    warnings: Vec<PathError>,
    revocation: Vec<RevocationEntry>,
    weaknesses: Vec<AcceptedWeakness>,
}

type Failed = (Vec<Arc<Certificate>>, String, Vec<PathError>);

struct PathJudge<'e, 'a> {
    engine: &'e mut Engine<'a>,
    options: &'e Options,
    depth: usize,
    required_anchor: Option<[u8; 32]>,
    accepted: Option<Accepted>,
    attempts: Vec<Attempt>,
    first_failed: Option<Failed>,
    max_depth: usize,
}

impl Judge for PathJudge<'_, '_> {
    fn edge(&mut self, child: &Certificate, issuer: &Certificate) -> bool {
        if crypto::needs_inherited_params(&issuer.public_key) {
            return true; // decided once the whole path (and the inherited parameters) is known
        }
        match self.engine.check_signature(child, issuer, None) {
            Ok(_) => true,
            // Keep paths whose failure is about policy, not forgery, so the reason is reported.
            Err(SignatureError::Invalid) => {
                if self.first_failed.is_none() && self.attempts.len() < 64 {
                    self.attempts.push(Attempt {
                        path: vec![issuer.label(), child.label()],
                        anchor_store: String::new(),
                        errors: vec![PathError::general(
                            Rule::Signature,
                            format!(
                                "the signature of {} does not verify with the key of {}",
                                child.label(),
                                issuer.label()
                            ),
                        )],
                    });
                }
                false
            }
            Err(_) => !self.engine.budget_hit,
        }
    }

    fn exhausted(&self) -> bool {
        self.engine.budget_hit
    }

    fn complete(&mut self, path: &[Arc<Certificate>], anchor: &TrustAnchor) -> Step {
        if self.engine.budget_hit {
            return Step::Stop;
        }
        if let Some(req) = self.required_anchor {
            if anchor.cert.sha256 != req {
                return Step::Continue;
            }
        }
        let result = check_path(self.engine, path, self.options, self.max_depth, self.depth);
        match result {
            Ok(ok) => {
                self.accepted = Some(Accepted {
                    path: path.to_vec(),
                    anchor_store: anchor.store.clone(),
                    user_set: ok.user_set,
                    authorities_set: ok.authorities_set,
                    warnings: ok.warnings,
                    revocation: ok.revocation,
                    weaknesses: ok.weaknesses,
                });
                Step::Stop
            }
            Err(errors) => {
                if self.attempts.len() < 64 {
                    self.attempts.push(Attempt {
                        path: path.iter().map(|c| c.label()).collect(),
                        anchor_store: anchor.store.clone(),
                        errors: errors.clone(),
                    });
                }
                if self.first_failed.is_none() {
                    self.first_failed = Some((path.to_vec(), anchor.store.clone(), errors));
                }
                if self.engine.budget_hit {
                    Step::Stop
                } else {
                    Step::Continue
                }
            }
        }
    }
}

struct PathOk {
    user_set: Vec<Oid>,
    authorities_set: Vec<Oid>,
    warnings: Vec<PathError>,
    revocation: Vec<RevocationEntry>,
    weaknesses: Vec<AcceptedWeakness>,
}

/// RFC 5280 §6.1 over `path` (anchor first), then §6.3 for each certificate below the anchor.
fn check_path(
    engine: &mut Engine<'_>,
    path: &[Arc<Certificate>],
    options: &Options,
    max_depth: usize,
    depth: usize,
) -> Result<PathOk, Vec<PathError>> {
    let mut errors = Vec::new();
    let mut weaknesses = Vec::new();
    let n = path.len().saturating_sub(1);
    let time = options.time;
    // Logical intermediates: self-issued certificates do not count (x509-limbo `max_chain_depth`).
    let intermediates = path
        .iter()
        .skip(1)
        .take(n.saturating_sub(1))
        .filter(|c| !c.is_self_issued())
        .count();
    if let Some(max) = options.max_intermediates {
        if intermediates > max {
            errors.push(PathError::general(
                Rule::Depth,
                format!("the path has {intermediates} intermediate CA certificates, more than the maximum of {max}"),
            ));
        }
    }
    if path.len() > max_depth {
        errors.push(PathError::general(
            Rule::Depth,
            format!(
                "the path has {} certificates, more than Limits::max_path_depth = {max_depth}",
                path.len()
            ),
        ));
    }
    let Some(anchor) = path.first() else {
        return Err(vec![PathError::general(Rule::NoPath, "empty path")]);
    };
    // A validated CA sub-path (anchor … the target's issuer) from the verifier's cache: its
    // signatures and revocation were checked under the same key; the cheap structural checks
    // below still run on every certificate.
    let sub_key = match (engine.caches, path.get(..n)) {
        (Some(_), Some(prefix)) if n >= 2 => {
            Some(engine.sub_path_key(prefix, options, max_depth, depth))
        }
        _ => None,
    };
    let cached: Option<Arc<SubPath>> = match (engine.caches, &sub_key) {
        (Some(c), Some(k)) => c.sub_path(k),
        _ => None,
    };
    if let Some(sp) = &cached {
        weaknesses.extend(sp.signature_weaknesses.iter().cloned());
    }
    let mut prefix_signature_weaknesses = 0;
    // §6.1.2 state.
    let mut working_issuer: &Certificate = anchor;
    let mut working_dsa_params: Option<Vec<u8>> =
        crypto::dsa_params(&anchor.public_key).map(<[u8]>::to_vec);
    let mut max_path_length = n;
    let mut constraints: Vec<(usize, &crate::parse::ext::NameConstraints)> = Vec::new();
    let mut nc_budget = options.limits.max_name_constraint_checks;
    if n == 0 {
        // The target is itself a trust anchor: still held to validity and the end-entity profile.
        if time < anchor.not_before || time > anchor.not_after {
            errors.push(PathError::at(
                0,
                anchor,
                Rule::Validity,
                format!(
                    "valid only {} to {}",
                    format_time(anchor.not_before),
                    format_time(anchor.not_after)
                ),
            ));
        }
        for v in profile::violations(anchor, profile::Role::EndEntity, options.profile) {
            errors.push(PathError::at(0, anchor, Rule::Profile, v));
        }
    }
    if n > 0 {
        // The anchor's own constraints: validity, critical extensions, key usage, name
        // constraints (RFC 5280 §6.1.1 (d) lets an anchor carry constraints; sigbridge applies them).
        if time < anchor.not_before || time > anchor.not_after {
            errors.push(PathError::at(
                0,
                anchor,
                Rule::Validity,
                format!(
                    "trust anchor valid only {} to {}",
                    format_time(anchor.not_before),
                    format_time(anchor.not_after)
                ),
            ));
        }
        for oid in &anchor.extensions.unknown_critical {
            errors.push(PathError::at(
                0,
                anchor,
                Rule::CriticalExtension,
                format!("unrecognised critical extension {oid}"),
            ));
        }
        if anchor
            .extensions
            .key_usage
            .is_some_and(|k| !k.has(KeyUsage::KEY_CERT_SIGN))
        {
            errors.push(PathError::at(
                0,
                anchor,
                Rule::KeyUsage,
                "trust anchor keyUsage lacks keyCertSign",
            ));
        }
        if let Some(nc) = &anchor.extensions.name_constraints {
            constraints.push((0, nc));
        }
        for v in profile::violations(anchor, profile::Role::Anchor, options.profile) {
            errors.push(PathError::at(0, anchor, Rule::Profile, v));
        }
    }

    for (i, cert) in path.iter().enumerate().skip(1) {
        let is_target = i == n;
        if is_target {
            prefix_signature_weaknesses = weaknesses.len();
        }
        // (a)(1) signature
        let inherited = if crypto::needs_inherited_params(&working_issuer.public_key) {
            working_dsa_params.as_deref()
        } else {
            None
        };
        let verified = if cached.is_some() && !is_target {
            None // verified as part of the cached sub-path
        } else {
            Some(engine.check_signature(cert, working_issuer, inherited))
        };
        match verified {
            None => {}
            Some(Ok(v)) => {
                for w in &v.weaknesses {
                    weaknesses.push(AcceptedWeakness {
                        object: cert.label(),
                        weakness: w.clone(),
                        algorithm: v.algorithm.to_string(),
                    });
                }
            }
            Some(Err(e)) => {
                let rule = match e {
                    SignatureError::Invalid => Rule::Signature,
                    SignatureError::RejectedByPolicy { .. } if engine.budget_hit => Rule::Budget,
                    SignatureError::RejectedByPolicy { .. }
                    | SignatureError::UnsupportedAlgorithm { .. }
                    | SignatureError::UnsupportedKey { .. } => Rule::Algorithm,
                    _ => Rule::Signature,
                };
                errors.push(PathError::at(
                    i,
                    cert,
                    rule,
                    format!("signature by {} not accepted: {e}", working_issuer.label()),
                ));
            }
        }
        // (a)(2) validity
        if time < cert.not_before {
            errors.push(PathError::at(
                i,
                cert,
                Rule::Validity,
                format!("not valid until {}", format_time(cert.not_before)),
            ));
        } else if time > cert.not_after {
            errors.push(PathError::at(
                i,
                cert,
                Rule::Validity,
                format!("expired on {}", format_time(cert.not_after)),
            ));
        }
        // (a)(4) name chaining
        if !cert.issuer.matches(&working_issuer.subject) {
            errors.push(PathError::at(
                i,
                cert,
                Rule::NameChaining,
                format!(
                    "issuer {} does not match the subject {} of the certificate above",
                    cert.issuer, working_issuer.subject
                ),
            ));
        }
        // (b)(c) name constraints of the CAs above (not for self-issued intermediates)
        if is_target || !cert.is_self_issued() {
            let san = cert.extensions.subject_alt_name.as_deref();
            for (ci, nc) in &constraints {
                if let Err(e) = name_constraints::check(&cert.subject, san, nc, &mut nc_budget) {
                    let by = path.get(*ci).map(|c| c.label()).unwrap_or_default();
                    errors.push(PathError::at(
                        i,
                        cert,
                        Rule::NameConstraints,
                        format!("{e} (constraint of {by})"),
                    ));
                }
            }
        }
        let role = if is_target {
            profile::Role::EndEntity
        } else {
            profile::Role::Intermediate
        };
        for v in profile::violations(cert, role, options.profile) {
            errors.push(PathError::at(i, cert, Rule::Profile, v));
        }
        // (o) / §6.1.5 (f): unknown critical extensions
        for oid in &cert.extensions.unknown_critical {
            errors.push(PathError::at(
                i,
                cert,
                Rule::CriticalExtension,
                format!("unrecognised critical extension {oid}"),
            ));
        }
        if !is_target {
            // §6.1.4 (k) basic constraints
            if cert.version < 3 {
                errors.push(PathError::at(
                    i,
                    cert,
                    Rule::Version,
                    format!(
                        "version {} certificate used as a CA (intermediates must be version 3)",
                        cert.version
                    ),
                ));
            } else if !cert.is_ca() {
                errors.push(PathError::at(
                    i,
                    cert,
                    Rule::BasicConstraints,
                    "used as a CA but basicConstraints is absent or cA is false",
                ));
            }
            // (l)
            if !cert.is_self_issued() {
                if max_path_length == 0 {
                    errors.push(PathError::at(
                        i,
                        cert,
                        Rule::PathLength,
                        "too many CA certificates below a pathLenConstraint above",
                    ));
                }
                max_path_length = max_path_length.saturating_sub(1);
            }
            // (m)
            if let Some(pl) = cert.extensions.basic_constraints.and_then(|b| b.path_len) {
                max_path_length = max_path_length.min(pl as usize);
            }
            // (n)
            if let Some(ku) = cert.extensions.key_usage {
                if !ku.has(KeyUsage::KEY_CERT_SIGN) {
                    errors.push(PathError::at(
                        i,
                        cert,
                        Rule::KeyUsage,
                        "CA certificate without keyCertSign in keyUsage",
                    ));
                }
            }
            // (g) record name constraints
            if let Some(nc) = &cert.extensions.name_constraints {
                constraints.push((i, nc));
            }
            if options.eku_on_intermediates {
                check_eku(cert, i, &options.extended_key_usage, &mut errors);
            }
            // (c)(d)(e)(f) working key, name and parameters
            if let Some(p) = crypto::dsa_params(&cert.public_key) {
                working_dsa_params = Some(p.to_vec());
            } else if !crypto::needs_inherited_params(&cert.public_key) {
                working_dsa_params = None;
            }
            working_issuer = cert;
        } else {
            // End-entity requirements.
            if let Some(ku) = cert.extensions.key_usage {
                let req = options.key_usage;
                if !ku.has(req.all_of) || (req.any_of != 0 && ku.0 & req.any_of == 0) {
                    let mut wanted: Vec<&str> = KeyUsage(req.all_of).names();
                    if req.any_of != 0 {
                        wanted.push("one of");
                        wanted.extend(KeyUsage(req.any_of).names());
                    }
                    errors.push(PathError::at(
                        i,
                        cert,
                        Rule::KeyUsage,
                        format!(
                            "keyUsage is {{{}}}; required: {}",
                            ku.names().join(", "),
                            wanted.join(" ")
                        ),
                    ));
                }
            }
            check_eku(cert, i, &options.extended_key_usage, &mut errors);
            for name in &options.peer_names {
                if let Err(e) = peer_name::matches(
                    name,
                    &cert.subject,
                    cert.extensions.subject_alt_name.as_deref(),
                ) {
                    errors.push(PathError::at(i, cert, Rule::PeerName, e.to_string()));
                }
            }
        }
    }
    // Policies (§6.1.3 (d)-(f), §6.1.4 (a)(h)-(j), §6.1.5 (g)).
    let infos: Vec<CertPolicyInfo<'_>> = path
        .iter()
        .skip(1)
        .map(|c| CertPolicyInfo {
            policies: c.extensions.certificate_policies.as_deref(),
            mappings: c.extensions.policy_mappings.as_deref(),
            require_explicit_policy: c
                .extensions
                .policy_constraints
                .and_then(|p| p.require_explicit_policy),
            inhibit_policy_mapping: c
                .extensions
                .policy_constraints
                .and_then(|p| p.inhibit_policy_mapping),
            inhibit_any_policy: c.extensions.inhibit_any_policy,
            self_issued: c.is_self_issued(),
        })
        .collect();
    let mut user_set = Vec::new();
    let mut authorities_set = Vec::new();
    if n > 0 {
        match policy::process_policies(&infos, &options.policy, options.limits.max_policy_nodes) {
            Ok(out) => {
                user_set = out.user_constrained_policy_set;
                authorities_set = out.authorities_constrained_policy_set;
            }
            Err(e) => {
                let idx = match &e {
                    policy::PolicyError::NoAcceptablePolicy { cert_index }
                    | policy::PolicyError::AnyPolicyMapping { cert_index } => Some(cert_index + 1),
                    policy::PolicyError::GraphTooLarge { .. } => None,
                };
                match idx.and_then(|k| path.get(k).map(|c| (k, c))) {
                    Some((k, c)) => errors.push(PathError::at(k, c, Rule::Policy, e.to_string())),
                    None => errors.push(PathError::general(Rule::Policy, e.to_string())),
                }
            }
        }
    } else {
        user_set = options.policy.initial_policy_set.clone();
        authorities_set = vec![known::ANY_POLICY.clone()];
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // §6.3 revocation, only for paths that pass everything else.
    let mut warnings = Vec::new();
    let mut revocation_entries = Vec::new();
    let revocation_start = weaknesses.len();
    let mut prefix_revocation_weaknesses = weaknesses.len();
    if options.revocation != RevocationMode::Off {
        let crls = engine.sources.crls;
        let first = match &cached {
            Some(sp) => {
                weaknesses.extend(sp.revocation_weaknesses.iter().cloned());
                revocation_entries.extend(sp.revocation.iter().cloned());
                warnings.extend(sp.warnings.iter().cloned());
                n
            }
            None => 1,
        };
        for i in first..=n {
            if i == n {
                prefix_revocation_weaknesses = weaknesses.len();
            }
            let (Some(cert), Some(issuer)) = (path.get(i), path.get(i - 1)) else {
                continue;
            };
            let ctx = RevocationContext {
                time,
                crls,
                algorithms: &engine.algorithms.clone(),
                max_crls: options.limits.max_crls,
            };
            let Some(anchor_fp) = path.first().map(|a| a.sha256) else {
                continue;
            };
            let mut resolver = SignerResolver {
                engine,
                options,
                anchor: anchor_fp,
                depth,
                path,
                upto: i,
            };
            let outcome = revocation::check_certificate(cert, issuer, &ctx, &mut resolver);
            for w in &outcome.weaknesses {
                weaknesses.push(AcceptedWeakness {
                    object: format!("CRL for {}", cert.label()),
                    weakness: w.clone(),
                    algorithm: String::new(),
                });
            }
            match &outcome.status {
                CertStatus::Good { .. } => {}
                CertStatus::Revoked {
                    reason_name,
                    revocation_date,
                    ..
                } => errors.push(PathError::at(
                    i,
                    cert,
                    Rule::Revoked,
                    format!(
                        "revoked on {} (reason: {reason_name})",
                        format_time(*revocation_date)
                    ),
                )),
                CertStatus::Undetermined { reasons } => {
                    let e = PathError::at(
                        i,
                        cert,
                        Rule::RevocationUnknown,
                        format!("revocation status unknown: {}", reasons.join("; ")),
                    );
                    if options.revocation == RevocationMode::Require {
                        errors.push(e);
                    } else {
                        warnings.push(e);
                    }
                }
            }
            revocation_entries.push(RevocationEntry {
                index: i,
                certificate: cert.label(),
                status: outcome.status,
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if let (Some(c), Some(k), None) = (engine.caches, sub_key, &cached) {
        let below = |e: &PathError| e.index.is_some_and(|x| x < n);
        c.put_sub_path(
            k,
            SubPath {
                signature_weaknesses: weaknesses
                    .get(..prefix_signature_weaknesses)
                    .unwrap_or_default()
                    .to_vec(),
                revocation_weaknesses: weaknesses
                    .get(revocation_start..prefix_revocation_weaknesses)
                    .unwrap_or_default()
                    .to_vec(),
                revocation: revocation_entries
                    .iter()
                    .filter(|r| r.index < n)
                    .cloned()
                    .collect(),
                warnings: warnings.iter().filter(|w| below(w)).cloned().collect(),
            },
        );
    }
    Ok(PathOk {
        user_set,
        authorities_set,
        warnings,
        revocation: revocation_entries,
        weaknesses,
    })
}

fn check_eku(cert: &Certificate, i: usize, required: &[Oid], errors: &mut Vec<PathError>) {
    let Some(ekus) = &cert.extensions.extended_key_usage else {
        return;
    };
    if ekus.contains(&known::ANY_EKU) {
        return;
    }
    for r in required {
        if !ekus.contains(r) {
            errors.push(PathError::at(
                i,
                cert,
                Rule::ExtendedKeyUsage,
                format!(
                    "extendedKeyUsage {{{}}} does not include {r}",
                    ekus.iter()
                        .map(|o| o.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
}

/// Finds and validates CRL signers for [`revocation`]: each candidate's own path must
/// validate to the same trust anchor. Nested revocation checks go at most two levels deep.
struct SignerResolver<'r, 'a> {
    engine: &'r mut Engine<'a>,
    options: &'r Options,
    anchor: [u8; 32],
    depth: usize,
    path: &'r [Arc<Certificate>],
    /// Index of the certificate being checked: only certificates above it are candidates.
    upto: usize,
}

impl CrlSignerResolver for SignerResolver<'_, '_> {
    fn verify_crl_signature(
        &mut self,
        crl: &Crl,
        signer: &Certificate,
        inherited: Option<&[u8]>,
        _algorithms: &AlgorithmPolicy,
    ) -> Result<VerifiedSignature, SignatureError> {
        // The engine's policy is the one the revocation context was given.
        self.engine.check_signed(
            crl.sha256,
            signer,
            &crl.signature_algorithm,
            crl.tbs(),
            &crl.signature,
            inherited,
        )
    }

    fn crl_signers(&mut self, crl: &Crl, cert_issuer: &Certificate) -> Vec<Arc<Certificate>> {
        let mut candidates: Vec<Arc<Certificate>> = Vec::new();
        // Certificates of the path being validated, above the one being checked.
        for c in self.path.get(..self.upto).unwrap_or_default() {
            if c.subject.matches(&crl.issuer) && !candidates.iter().any(|x| x.sha256 == c.sha256) {
                candidates.push(Arc::clone(c));
            }
        }
        let _ = cert_issuer;
        let sources = self.engine.sources;
        for c in sources
            .anchors
            .iter()
            .map(|a| &a.cert)
            .chain(sources.pool.with_subject(&crl.issuer))
        {
            if c.subject.matches(&crl.issuer) && !candidates.iter().any(|x| x.sha256 == c.sha256) {
                candidates.push(Arc::clone(c));
            }
        }
        let mut out = Vec::new();
        for c in candidates {
            let on_path = self
                .path
                .get(..self.upto)
                .unwrap_or_default()
                .iter()
                .any(|p| p.sha256 == c.sha256);
            if c.sha256 == self.anchor || on_path {
                out.push(c);
                continue;
            }
            let key = (self.anchor, c.sha256);
            match self.engine.signer_cache.get(&key) {
                Some(SignerState::Valid) => {
                    out.push(c);
                    continue;
                }
                Some(SignerState::Invalid) => continue,
                // A CRL issuer whose own status is given by the CRL it signs (PKITS 4.14.30):
                // its path is being validated further up; accept it provisionally — if that
                // validation fails, so does everything that relied on it.
                Some(SignerState::InProgress) => {
                    out.push(c);
                    continue;
                }
                None => {}
            }
            if self.depth >= 2 {
                continue;
            }
            let mut sub = self.options.clone();
            sub.key_usage = KeyUsageRequirement {
                all_of: KeyUsage::CRL_SIGN,
                any_of: 0,
            };
            sub.extended_key_usage.clear();
            sub.peer_names.clear();
            sub.max_intermediates = None;
            sub.policy = PolicyInputs::default();
            if self.depth >= 1 {
                sub.revocation = RevocationMode::Off;
            }
            self.engine
                .signer_cache
                .insert(key, SignerState::InProgress);
            let outcome = self.engine.run(&c, &sub, self.depth + 1, Some(self.anchor));
            let ok = outcome.is_valid();
            self.engine.signer_cache.insert(
                key,
                if ok {
                    SignerState::Valid
                } else {
                    SignerState::Invalid
                },
            );
            if ok {
                out.push(c);
            }
        }
        out
    }

    fn inherited_dsa_params(&mut self, signer: &Certificate) -> Option<Vec<u8>> {
        // Walk the path from the anchor, carrying DSA parameters down as §6.1.4 (d)-(f) does.
        let mut params: Option<Vec<u8>> = None;
        for c in self.path {
            if let Some(p) = crypto::dsa_params(&c.public_key) {
                params = Some(p.to_vec());
            } else if !crypto::needs_inherited_params(&c.public_key) {
                params = None;
            }
            if c.sha256 == signer.sha256 {
                return params;
            }
        }
        None
    }
}
