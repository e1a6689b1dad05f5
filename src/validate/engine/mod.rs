//! The search engine: drives path building ([`crate::path`]) and judges each candidate with
//! the §6.1 steps ([`super::steps`]), the certificate signatures (a)(1) and revocation (§6.3),
//! under the signature-check budget, drawing on and filling the verifier's caches. It also
//! validates CRL signers for [`crate::revocation`] (the `CrlSignerResolver` hook): each must
//! validate to the same trust anchor.

mod crl_signers;
mod fetching;
mod ocsp_responders;
mod revocation;

use super::memo::SubPath;
use super::options::{Options, ValidityModel};
use super::outcome::{AcceptedWeakness, Attempt, Outcome, RevocationEntry};
use super::profile::Role;
use super::steps::{self, fail_at};
use super::{Memo, Sources};
use crate::asn1::time::Moment;
use crate::asn1::{AlgorithmIdentifier, Oid, UnixTime};
use crate::crypto::{
    self, AlgorithmPolicy, Digest32, KeyHasher, SignatureError, VerifiedSignature,
};
use crate::limits::Limits;
use crate::path::{self, Judge, SearchEnd, Step, TrustAnchor};
use crate::verdict::{Check, Rule, Verdict};
use crate::x509::ext::{KeyUsage, NameConstraints};
use crate::x509::Certificate;
use std::collections::HashMap;
use std::sync::Arc;

/// Validated CRL signers per (anchor, signer), within one validation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SignerState {
    InProgress,
    /// Valid, over this time window.
    Valid((UnixTime, UnixTime)),
    /// Not valid, over this time window.
    Invalid((UnixTime, UnixTime)),
}

/// Shared state across the main search and the CRL-signer searches it triggers.
pub(super) struct Engine<'a> {
    sources: Sources<'a>,
    algorithms: AlgorithmPolicy,
    limits: Limits,
    /// Certificate signature results within this validation (issuer, child).
    sig_cache: HashMap<(Digest32, Digest32), Result<VerifiedSignature, SignatureError>>,
    signature_checks: usize,
    budget_hit: bool,
    signer_cache: HashMap<(Digest32, Digest32), SignerState>,
    memo: Option<Memo<'a>>,
    /// Digest of the algorithm policy (part of every cached signature key), once computed.
    algorithms_key: Option<Digest32>,
    /// Digest of what every cached sub-path depends on besides its certificates and the
    /// options (anchors, CRLs, potential CRL signers in the pool), once computed.
    context_key: Option<Digest32>,
    /// Digest of the caller's options without their time (depth 0; CRL-signer validations
    /// at deeper levels derive other options and hash them each time), once computed.
    options_key: Option<Digest32>,
    /// Delegated OCSP responders validated in this validation, per (anchor, responder, CA).
    responder_cache: HashMap<(Digest32, Digest32, Digest32), (SignerState, String)>,
    /// What was fetched in this validation.
    fetched: fetching::Fetched,
}

impl<'a> Engine<'a> {
    pub(super) fn new(
        sources: Sources<'a>,
        options: &Options,
        memo: Option<Memo<'a>>,
    ) -> Engine<'a> {
        Engine {
            sources,
            algorithms: options.algorithms.clone(),
            limits: options.limits.clone(),
            sig_cache: HashMap::new(),
            signature_checks: 0,
            budget_hit: false,
            signer_cache: HashMap::new(),
            memo,
            algorithms_key: None,
            context_key: None,
            options_key: None,
            responder_cache: HashMap::new(),
            fetched: fetching::Fetched::default(),
        }
    }

    fn algorithms_key(&mut self) -> Digest32 {
        *self.algorithms_key.get_or_insert_with(|| {
            let mut h = KeyHasher::new();
            h.value(&self.algorithms);
            h.finish32()
        })
    }

    /// Anchors, CRLs and the pool certificates that could sign a CRL or sit on a CRL
    /// signer's path (CA certificates, and any without keyUsage or with cRLSign): the inputs
    /// of a sub-path's revocation check besides the sub-path itself.
    fn context_key(&mut self) -> Digest32 {
        let sources = self.sources;
        *self.context_key.get_or_insert_with(|| {
            let mut h = KeyHasher::new();
            h.bytes(&sources.anchors.digest());
            let mut crls: Vec<Digest32> = sources.crls.iter().map(|c| c.sha256).collect();
            crls.sort_unstable();
            h.value(&crls);
            let mut ocsp: Vec<Digest32> = sources.ocsp.iter().map(|r| r.sha256).collect();
            ocsp.sort_unstable();
            h.value(&ocsp);
            h.value(&sources.fetcher.map(|f| f.identity()));
            let mut pool: Vec<Digest32> = sources
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
            h.finish32()
        })
    }

    /// The key of the validated sub-path `prefix` (anchor first) under `options`, whatever
    /// the validation time (the cached value carries its time window).
    fn sub_path_key(
        &mut self,
        prefix: &[Arc<Certificate>],
        options: &Options,
        depth: usize,
    ) -> Digest32 {
        let memo = self.memo;
        let options_key = |o: &Options| match memo {
            Some(m) => m.sub_paths.options_key(o),
            None => super::memo::options_digest(o),
        };
        let options_key = if depth == 0 {
            *self.options_key.get_or_insert_with(|| options_key(options))
        } else {
            options_key(options)
        };
        let mut h = KeyHasher::new();
        h.bytes(&self.context_key());
        h.bytes(&options_key);
        h.value(&depth);
        for c in prefix {
            h.bytes(&c.sha256);
        }
        h.finish32()
    }

    /// Verifies the signature on a signed object (certificate or CRL, identified by the
    /// SHA-256 of its DER) with `issuer`'s key: from the shared cache when possible, else
    /// computed, counted against the budget and cached. `None`: the budget
    /// (`Limits::max_signature_checks`) is exhausted and the signature was not checked.
    fn check_signed(
        &mut self,
        object_sha256: Digest32,
        issuer: &Certificate,
        algorithm: &AlgorithmIdentifier,
        tbs: &[u8],
        signature: &[u8],
        inherited: Option<&[u8]>,
    ) -> Option<Result<VerifiedSignature, SignatureError>> {
        // Inherited DSA parameters come from the path, not the key: not cached across paths.
        let shared_key = match (self.memo, inherited) {
            (Some(_), None) => Some((issuer.sha256, object_sha256, self.algorithms_key())),
            _ => None,
        };
        if let (Some(m), Some(k)) = (self.memo, &shared_key) {
            if let Some(r) = m.signatures.get(k) {
                return Some(r);
            }
        }
        if self.signature_checks >= self.limits.max_signature_checks {
            self.budget_hit = true;
            return None;
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
        if let (Some(m), Some(k)) = (self.memo, shared_key) {
            m.signatures.put(k, r.clone());
        }
        Some(r)
    }

    /// Verifies `child`'s signature with `issuer`'s key, memoised and counted.
    fn check_signature(
        &mut self,
        child: &Certificate,
        issuer: &Certificate,
        inherited: Option<&[u8]>,
    ) -> Option<Result<VerifiedSignature, SignatureError>> {
        let key = (issuer.sha256, child.sha256);
        if let Some(r) = self.sig_cache.get(&key) {
            return Some(r.clone());
        }
        let r = if child.signature_unused_bits != 0 {
            Err(SignatureError::Invalid)
        } else {
            self.check_signed(
                child.sha256,
                issuer,
                &child.signature_algorithm,
                child.tbs(),
                &child.signature,
                inherited,
            )?
        };
        self.sig_cache.insert(key, r.clone());
        Some(r)
    }

    /// Builds paths from `target` and returns the first that passes every check, or why
    /// none did. `depth` is the nesting of CRL-signer validations (0 for the caller's
    /// target); `required_anchor` restricts the anchors a CRL signer may chain to.
    pub(super) fn run(
        &mut self,
        target: &Arc<Certificate>,
        options: &Options,
        depth: usize,
        required_anchor: Option<Digest32>,
    ) -> Outcome {
        let moment = Moment::new(options.time);
        let mut judge = PathJudge {
            engine: self,
            options,
            depth,
            required_anchor,
            moment: &moment,
            accepted: None,
            attempts: Vec::new(),
            first_failed: None,
        };
        let sources = judge.engine.sources;
        let (end, candidates) = path::search(
            target,
            sources.pool,
            sources.anchors,
            &options.limits,
            &mut judge,
        );
        let PathJudge {
            accepted,
            attempts,
            first_failed,
            ..
        } = judge;
        let signature_checks = self.signature_checks;
        if let Some(ok) = accepted {
            return Outcome {
                indication: crate::verdict::Indication::TotalPassed,
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
                window: moment.window(),
            };
        }
        let (path, anchor_store, mut errors, revocation) = match first_failed {
            Some((p, s, e, r)) => (p, Some(s), e, r),
            None => (
                vec![Arc::clone(target)],
                None,
                no_path(target, &attempts),
                Vec::new(),
            ),
        };
        if end == SearchEnd::Budget || self.budget_hit {
            errors.insert(0, self.budget_error(candidates, options));
        }
        let verdict = Verdict::of_checks(&errors);
        let verdict = if verdict.passed() {
            Rule::NoPath.verdict()
        } else {
            verdict
        };
        Outcome {
            indication: verdict.indication,
            sub_indication: verdict.sub_indication,
            path,
            anchor_store,
            user_constrained_policy_set: Vec::new(),
            authorities_constrained_policy_set: Vec::new(),
            errors,
            warnings: Vec::new(),
            attempts,
            revocation,
            weaknesses: Vec::new(),
            signature_checks,
            candidate_paths: candidates,
            window: moment.window(),
        }
    }

    fn budget_error(&self, candidates: usize, options: &Options) -> Check {
        let l = &options.limits;
        Check::failed(
            Rule::Budget,
            format!(
                "path building stopped before every candidate was tried: budget exhausted ({candidates} candidate paths of {} allowed, {} signature checks of {} allowed, {} search steps allowed; Limits::max_candidate_paths, Limits::max_signature_checks, Limits::max_path_search_steps)",
                l.max_candidate_paths, self.signature_checks, l.max_signature_checks, l.max_path_search_steps
            ),
        )
    }
}

/// Why no complete path was found: no issuer named like the target's verified its signature.
/// A certificate whose signature failed under a CA of the right name (a look-alike CA) is
/// named; its failed signature is kept as a detail.
fn no_path(target: &Certificate, attempts: &[Attempt]) -> Vec<Check> {
    let pruned: Vec<&Check> = attempts.iter().flat_map(|a| &a.errors).collect();
    let detail = match pruned.first() {
        Some(c) => format!(
            ": {} (a certificate named like its issuer but not signed by it does not chain to that issuer)",
            c.message
        ),
        None => format!(": no trusted or supplied certificate is named {}", target.issuer),
    };
    let mut out = vec![fail_at(
        0,
        target,
        Rule::NoPath,
        format!("no chain from this certificate to a trust anchor{detail}"),
    )];
    out.extend(pruned.into_iter().cloned());
    out
}

struct Accepted {
    path: Vec<Arc<Certificate>>,
    anchor_store: String,
    user_set: Vec<Oid>,
    authorities_set: Vec<Oid>,
    warnings: Vec<Check>,
    revocation: Vec<RevocationEntry>,
    weaknesses: Vec<AcceptedWeakness>,
}

type Failed = (
    Vec<Arc<Certificate>>,
    String,
    Vec<Check>,
    Vec<RevocationEntry>,
);

struct PathJudge<'e, 'a> {
    engine: &'e mut Engine<'a>,
    options: &'e Options,
    depth: usize,
    required_anchor: Option<Digest32>,
    moment: &'e Moment,
    accepted: Option<Accepted>,
    attempts: Vec<Attempt>,
    first_failed: Option<Failed>,
}

/// Attempts kept per validation (for the report).
const MAX_ATTEMPTS: usize = 64;

impl Judge for PathJudge<'_, '_> {
    fn edge(&mut self, child: &Certificate, issuer: &Certificate) -> bool {
        if crypto::needs_inherited_params(&issuer.public_key) {
            return true; // decided once the whole path (and the inherited parameters) is known
        }
        match self.engine.check_signature(child, issuer, None) {
            Some(Ok(_)) => true,
            Some(Err(SignatureError::Invalid)) => {
                if self.first_failed.is_none() && self.attempts.len() < MAX_ATTEMPTS {
                    self.attempts.push(Attempt {
                        path: vec![issuer.label(), child.label()],
                        anchor_store: String::new(),
                        errors: vec![Check::failed(
                            Rule::CertificateSignature,
                            format!(
                                "the signature of {} does not verify with the key of {} (sha256 {})",
                                child.label(),
                                issuer.label(),
                                issuer.fingerprint()
                            ),
                        )
                        .about(child.as_subject(None))],
                    });
                }
                false
            }
            // Keep paths whose failure is about policy, not forgery, so the reason is reported.
            Some(Err(_)) => true,
            None => false,
        }
    }

    fn out_of_budget(&self) -> bool {
        self.engine.budget_hit
    }

    fn complete(&mut self, path: &[Arc<Certificate>], anchor: &TrustAnchor) -> Step {
        if self.engine.budget_hit {
            return Step::Stop;
        }
        if self
            .required_anchor
            .is_some_and(|req| anchor.cert.sha256 != req)
        {
            return Step::Continue;
        }
        match check_path(self.engine, path, self.options, self.depth, self.moment) {
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
            Err((errors, revocation)) => {
                if self.attempts.len() < MAX_ATTEMPTS {
                    self.attempts.push(Attempt {
                        path: path.iter().map(|c| c.label()).collect(),
                        anchor_store: anchor.store.clone(),
                        errors: errors.clone(),
                    });
                }
                if self.first_failed.is_none() {
                    self.first_failed =
                        Some((path.to_vec(), anchor.store.clone(), errors, revocation));
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

/// Why a path failed, and the revocation status found for its certificates (when the
/// revocation step ran).
type Failure = (Vec<Check>, Vec<RevocationEntry>);

struct PathOk {
    user_set: Vec<Oid>,
    authorities_set: Vec<Oid>,
    warnings: Vec<Check>,
    revocation: Vec<RevocationEntry>,
    weaknesses: Vec<AcceptedWeakness>,
}

/// The time comparisons of one path: those about the anchor … the target's issuer (what a
/// cached sub-path depends on), and those about the target.
struct PathMoments {
    prefix: Moment,
    target: Moment,
}

impl PathMoments {
    fn of(&self, i: usize, n: usize) -> &Moment {
        if i < n {
            &self.prefix
        } else {
            &self.target
        }
    }
}

/// RFC 5280 §6.1 over `path` (anchor first), then §6.3 for each certificate below the anchor.
/// Every time comparison made is recorded in `run_moment`.
fn check_path(
    engine: &mut Engine<'_>,
    path: &[Arc<Certificate>],
    options: &Options,
    depth: usize,
    run_moment: &Moment,
) -> Result<PathOk, Failure> {
    let moments = PathMoments {
        prefix: Moment::new(options.time),
        target: Moment::new(options.time),
    };
    let result = check_path_at(engine, path, options, depth, &moments);
    run_moment.narrow(moments.prefix.window());
    run_moment.narrow(moments.target.window());
    result
}

fn check_path_at(
    engine: &mut Engine<'_>,
    path: &[Arc<Certificate>],
    options: &Options,
    depth: usize,
    moments: &PathMoments,
) -> Result<PathOk, Failure> {
    let n = path.len().saturating_sub(1);
    let mut errors = steps::depth(path, options, options.limits.max_path_depth);
    if path.is_empty() {
        return Err((vec![Check::failed(Rule::NoPath, "empty path")], Vec::new()));
    }
    // A validated CA sub-path (anchor … the target's issuer) from the verifier's cache: its
    // signatures and revocation were checked under the same key and hold at this time; the
    // cheap structural checks below still run on every certificate.
    // Under the chain model the CAs' checks depend on the target (its notBefore): no
    // sub-path is shared.
    let sub_key = match (engine.memo, path.get(..n)) {
        (Some(_), Some(prefix)) if n >= 2 && options.validity_model == ValidityModel::Shell => {
            Some(engine.sub_path_key(prefix, options, depth))
        }
        _ => None,
    };
    let cached: Option<Arc<SubPath>> = match (engine.memo, &sub_key) {
        (Some(m), Some(k)) => m.sub_paths.get(k, options.time),
        _ => None,
    };
    if let Some(sp) = &cached {
        moments.prefix.narrow(sp.window);
    }
    errors.extend(structural(path, options, moments));
    let signed = signatures(engine, path, cached.as_deref());
    errors.extend(signed.errors);
    let sets = match steps::policies(path, options) {
        Ok(sets) => Some(sets),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if !errors.is_empty() {
        return Err((errors, Vec::new()));
    }
    let mut weaknesses = signed.weaknesses;
    let revoked = revocation::revocation(engine, path, options, depth, cached.as_deref(), moments);
    if !revoked.errors.is_empty() {
        return Err((revoked.errors, revoked.entries));
    }
    if let (Some(m), Some(k), None) = (engine.memo, sub_key, &cached) {
        m.sub_paths.put(
            k,
            SubPath {
                window: moments.prefix.window(),
                signature_weaknesses: weaknesses
                    .get(..signed.prefix_weaknesses)
                    .unwrap_or_default()
                    .to_vec(),
                revocation_weaknesses: revoked.prefix_weaknesses.clone(),
                revocation: revoked
                    .entries
                    .iter()
                    .filter(|r| r.index < n)
                    .cloned()
                    .collect(),
                warnings: revoked
                    .warnings
                    .iter()
                    .filter(|w| {
                        w.subject
                            .as_ref()
                            .and_then(|s| s.index)
                            .is_some_and(|x| x < n)
                    })
                    .cloned()
                    .collect(),
            },
        );
    }
    weaknesses.extend(revoked.weaknesses);
    let sets = sets.unwrap_or(steps::PolicySets {
        user: Vec::new(),
        authorities: Vec::new(),
    });
    Ok(PathOk {
        user_set: sets.user,
        authorities_set: sets.authorities,
        warnings: revoked.warnings,
        revocation: revoked.entries,
        weaknesses,
    })
}

/// Every §6.1 step that looks at certificates alone, in path order, with the §6.1.2 state
/// (working issuer, max_path_length, name constraints collected from above).
fn structural(path: &[Arc<Certificate>], options: &Options, moments: &PathMoments) -> Vec<Check> {
    let n = path.len().saturating_sub(1);
    let Some(anchor) = path.first() else {
        return Vec::new();
    };
    if n == 0 {
        return steps::anchor(anchor, &moments.target, options.profile, true);
    }
    // Chain model: each CA certificate is valid when it issued the certificate below it.
    let chain = options.validity_model == ValidityModel::Chain;
    let issued_at = |i: usize| path.get(i + 1).map_or(options.time, |c| c.not_before);
    let anchor_moment = Moment::new(issued_at(0));
    let mut errors = steps::anchor(
        anchor,
        if chain {
            &anchor_moment
        } else {
            &moments.prefix
        },
        options.profile,
        false,
    );
    let mut constraints: Vec<(usize, &NameConstraints)> = Vec::new();
    if let Some(nc) = &anchor.extensions.name_constraints {
        constraints.push((0, nc));
    }
    let mut nc_budget = options.limits.max_name_constraint_checks;
    let mut max_path_length = n;
    let mut working_issuer: &Certificate = anchor;
    for (i, cert) in path.iter().enumerate().skip(1) {
        let is_target = i == n;
        if chain && !is_target {
            errors.extend(steps::validity(i, cert, &Moment::new(issued_at(i)), false));
        } else {
            errors.extend(steps::validity(i, cert, moments.of(i, n), false));
        }
        errors.extend(steps::name_chaining(i, cert, working_issuer));
        errors.extend(steps::name_constraints(
            i,
            cert,
            is_target,
            &constraints,
            path,
            &mut nc_budget,
        ));
        let role = if is_target {
            Role::EndEntity
        } else {
            Role::Intermediate
        };
        errors.extend(steps::profile_rules(i, cert, role, options.profile));
        errors.extend(steps::critical_extensions(i, cert));
        if is_target {
            errors.extend(steps::end_entity(i, cert, options));
            continue;
        }
        errors.extend(steps::basic_constraints(i, cert));
        errors.extend(steps::path_length(i, cert, &mut max_path_length));
        errors.extend(steps::ca_key_usage(i, cert));
        if let Some(nc) = &cert.extensions.name_constraints {
            constraints.push((i, nc));
        }
        if options.eku_on_intermediates {
            errors.extend(steps::extended_key_usage(
                i,
                cert,
                &options.extended_key_usage,
            ));
        }
        working_issuer = cert;
    }
    errors
}

/// What the signature step found.
struct Signed {
    errors: Vec<Check>,
    weaknesses: Vec<AcceptedWeakness>,
    /// How many of `weaknesses` belong to the sub-path above the target.
    prefix_weaknesses: usize,
}

/// §6.1.3 (a)(1): each certificate's signature with the working public key, with DSA
/// parameters carried down the path (§6.1.4 (d)-(f)). With a cached sub-path, only the
/// target's signature is checked.
fn signatures(
    engine: &mut Engine<'_>,
    path: &[Arc<Certificate>],
    cached: Option<&SubPath>,
) -> Signed {
    let n = path.len().saturating_sub(1);
    let mut out = Signed {
        errors: Vec::new(),
        weaknesses: cached
            .map(|sp| sp.signature_weaknesses.clone())
            .unwrap_or_default(),
        prefix_weaknesses: 0,
    };
    let Some(anchor) = path.first() else {
        return out;
    };
    let mut working_issuer: &Certificate = anchor;
    let mut params: Option<Vec<u8>> = crypto::dsa_params(&anchor.public_key).map(<[u8]>::to_vec);
    for (i, cert) in path.iter().enumerate().skip(1) {
        let is_target = i == n;
        if is_target {
            out.prefix_weaknesses = out.weaknesses.len();
        }
        if cached.is_none() || is_target {
            let inherited = if crypto::needs_inherited_params(&working_issuer.public_key) {
                params.as_deref()
            } else {
                None
            };
            match engine.check_signature(cert, working_issuer, inherited) {
                Some(Ok(v)) => out.weaknesses.extend(v.weaknesses.iter().map(|w| AcceptedWeakness {
                    object: cert.label(),
                    weakness: w.clone(),
                    algorithm: v.algorithm.to_string(),
                })),
                Some(Err(e)) => {
                    let rule = match crypto::rule_for(&e) {
                        Rule::SignatureValue => Rule::CertificateSignature,
                        _ => Rule::Algorithm,
                    };
                    out.errors.push(fail_at(
                        i,
                        cert,
                        rule,
                        format!("signature by {} not accepted: {e}", working_issuer.label()),
                    ));
                }
                None => out.errors.push(fail_at(
                    i,
                    cert,
                    Rule::Budget,
                    "signature not checked: the signature-check budget is exhausted (Limits::max_signature_checks)",
                )),
            }
        }
        if !is_target {
            if let Some(p) = crypto::dsa_params(&cert.public_key) {
                params = Some(p.to_vec());
            } else if !crypto::needs_inherited_params(&cert.public_key) {
                params = None;
            }
        }
        working_issuer = cert;
    }
    out
}

/// The DSA parameters (DER of Dss-Parms) the target's key inherits along `path` (anchor
/// first, target last), when its key has none (RFC 3279 §2.3.2, RFC 5280 §6.1.4 (d)-(f)).
pub fn inherited_key_params(path: &[Arc<Certificate>]) -> Option<Vec<u8>> {
    let (target, above) = path.split_last()?;
    if !crypto::needs_inherited_params(&target.public_key) {
        return None;
    }
    let mut params: Option<Vec<u8>> = None;
    for c in above {
        if let Some(p) = crypto::dsa_params(&c.public_key) {
            params = Some(p.to_vec());
        } else if !crypto::needs_inherited_params(&c.public_key) {
            params = None;
        }
    }
    params
}
