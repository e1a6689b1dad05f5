//! CRLs: RFC 5280 §6.3 CRL processing — which CRLs cover a certificate, whether they
//! may be used, and what they say.
//!
//! [`check_certificate`] runs the algorithm of §6.3.3 for one certificate of a path:
//!
//! * `reasons_mask` starts empty and `cert_status` UNREVOKED;
//! * for every distribution point of the certificate (its cRLDistributionPoints, or, when it
//!   has none, one point with no name whose CRL issuer is the certificate issuer) and every
//!   complete CRL of [`RevocationContext::crls`], in the order given, until all reasons are
//!   covered or the certificate is found revoked:
//!   * (b) the CRL must be in scope: issued by the point's cRLIssuer (then an indirect CRL,
//!     unless that is the certificate issuer) or else by the certificate issuer; its
//!     issuingDistributionPoint name must match the point's name (or its cRLIssuer when the
//!     point has no name); onlyContainsUserCerts / onlyContainsCACerts must fit the
//!     certificate and onlyContainsAttributeCerts must be false;
//!   * (a) it must be current (thisUpdate ≤ time ≤ nextUpdate) and carry no critical extension
//!     this crate does not understand;
//!   * (d)(e) its reasons (issuingDistributionPoint onlySomeReasons ∩ the point's reasons) must
//!     add something to `reasons_mask`;
//!   * (f)(g) its signature must verify with a certificate from the caller's
//!     [`CrlSignerResolver`] whose subject is the CRL issuer and whose keyUsage (if present)
//!     allows cRLSign;
//!   * (c) when the certificate or the CRL carries freshestCRL, the freshest applicable delta
//!     CRL (same issuer, same issuingDistributionPoint, same authority key, BaseCRLNumber ≤
//!     the complete CRL's number < its own number, current, signature verified) is used too;
//!     a delta CRL is never used without its complete CRL;
//!   * (h)(i)(j) the certificate's serial number (for the entries whose certificate issuer is
//!     the certificate's issuer) is looked up in the delta first, then in the complete CRL;
//!     removeFromCRL means "not revoked", every other reason (certificateHold included) is a
//!     revocation;
//!   * (k) the CRL's reasons are added to `reasons_mask`.
//!
//! The result is [`CertStatus::Good`] when all reasons are covered and the certificate is not
//! listed, [`CertStatus::Revoked`] when a usable CRL lists it, and
//! [`CertStatus::Undetermined`] otherwise, with one human-readable line per problem. The
//! weaknesses of the signatures of the CRLs that were used come with it in a
//! [`RevocationOutcome`].
//!
//! This module does not validate the certification paths of CRL signers: that is the
//! resolver's job (it knows the trust anchors and the certificate pool).

use super::{reason_name, CertStatus};
use crate::asn1::time::Moment;
use crate::crypto::{self, AlgorithmPolicy, SignatureError, VerifiedSignature, Weakness};
#[cfg(test)]
use crate::x509::crl::minimal_integer;
use crate::x509::ext::{
    normalize_serial, DistributionPoint, DistributionPointName, KeyUsage, ALL_REASONS,
};
use crate::x509::{Certificate, Crl, GeneralName, Name, RevokedEntry};
use std::cmp::Ordering;
use std::sync::Arc;

#[cfg(test)]
#[path = "crl_tests.rs"]
mod tests;

/// What the caller provides to find and trust the signer of a CRL.
pub trait CrlSignerResolver {
    /// Certificates that may have signed `crl` and whose own certification path the caller has
    /// ALREADY validated (to the same trust anchor as the certificate being checked, at the
    /// validation time, including their revocation as far as the caller decides).
    /// `cert_issuer` is the certificate that issued the certificate being checked (or the
    /// trust anchor's certificate); it is a natural first candidate when its subject equals
    /// the CRL issuer.
    ///
    /// This module still checks, for each candidate, that its subject is the CRL issuer, that
    /// its keyUsage (when present) has cRLSign, and that the CRL's signature verifies with its
    /// key; candidates whose subjectKeyIdentifier equals the CRL's authorityKeyIdentifier are
    /// tried first.
    fn crl_signers(&mut self, crl: &Crl, cert_issuer: &Certificate) -> Vec<Arc<Certificate>>;

    /// DSA parameters (DER of Dss-Parms) that `signer`'s key inherits from its own path, when
    /// its key has none. The default returns `None`, and then the parameters of the
    /// `cert_issuer` passed to [`check_certificate`] are used when it has them.
    fn inherited_dsa_params(&mut self, signer: &Certificate) -> Option<Vec<u8>> {
        let _ = signer;
        None
    }

    /// Verifies `crl`'s signature with `signer`'s key. The default computes it; a caller
    /// with a cache (and a signature budget) answers from it, and returns `None` when its
    /// budget is exhausted (the signature was not checked).
    fn verify_crl_signature(
        &mut self,
        crl: &Crl,
        signer: &Certificate,
        inherited: Option<&[u8]>,
        algorithms: &AlgorithmPolicy,
    ) -> Option<Result<VerifiedSignature, SignatureError>> {
        Some(crypto::verify_signature(
            &crl.signature_algorithm,
            &signer.public_key,
            inherited,
            crl.tbs(),
            &crl.signature,
            algorithms,
        ))
    }
}

/// Inputs of one revocation check that do not change from certificate to certificate.
pub struct RevocationContext<'a> {
    /// Validation time (every comparison against it is recorded, see [`Moment`]).
    pub moment: &'a Moment,
    /// Every CRL available (complete and delta), in the caller's order of preference.
    pub crls: &'a [Arc<Crl>],
    /// Which signature algorithms are acceptable for CRL signatures.
    pub algorithms: &'a AlgorithmPolicy,
    /// At most this many CRLs examined per certificate (`Limits::max_crls`). A CRL counts as
    /// examined once its issuer is a possible issuer for the certificate (whatever then
    /// happens to it); CRLs from other issuers are skipped without counting.
    pub max_crls: usize,
    /// Past validation (EN 319 102-1 §5.6.2): a CRL issued at or after the validation time
    /// (and no later than the certificate's notAfter) is usable too, as proof of the status
    /// at that time.
    pub past: bool,
}

/// The result of [`check_certificate`]: the status, and what was weak about the signatures of
/// the CRLs that were used to reach it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RevocationOutcome {
    /// The certificate's revocation status.
    pub status: CertStatus,
    /// Weaknesses (SHA-1, short RSA key, DSA, …) of the accepted signatures of every CRL that
    /// contributed to `status`, without duplicates. Empty when no CRL was used.
    pub weaknesses: Vec<Weakness>,
}

/// A CRL signature that verified, and with whose key.
#[derive(Clone, Debug)]
pub struct CrlSignature {
    /// The certificate whose key verified the signature.
    pub signer: Arc<Certificate>,
    /// The verified signature (algorithm name and weaknesses).
    pub verified: VerifiedSignature,
}

/// RFC 5280 §6.3.3 for one certificate.
///
/// `cert_issuer` is the certificate that issued `cert` on the path (the trust anchor's
/// certificate for the first one); it is passed to the resolver and supplies inherited DSA
/// parameters for a CRL signer that lacks them.
pub fn check_certificate(
    cert: &Certificate,
    cert_issuer: &Certificate,
    ctx: &RevocationContext<'_>,
    resolver: &mut dyn CrlSignerResolver,
) -> RevocationOutcome {
    let mut checker = Checker {
        cert,
        cert_issuer,
        ctx,
        resolver,
        examined: Vec::new(),
        signatures: Vec::new(),
        problems: Vec::new(),
        used: Vec::new(),
        weaknesses: Vec::new(),
        reasons_mask: 0,
        limit_reached: false,
    };
    let status = checker.run();
    RevocationOutcome {
        status,
        weaknesses: checker.weaknesses,
    }
}

/// Verifies the signature of `crl` with the certificates `resolver` offers (§6.3.3 (f)(g)).
///
/// A candidate must have the CRL issuer as its subject and, when it has keyUsage, cRLSign.
/// Candidates whose subjectKeyIdentifier matches the CRL's authorityKeyIdentifier are tried
/// first. The error explains why no candidate was accepted.
pub fn verify_crl_signature(
    crl: &Crl,
    cert_issuer: &Certificate,
    algorithms: &AlgorithmPolicy,
    resolver: &mut dyn CrlSignerResolver,
) -> Result<CrlSignature, String> {
    let mut candidates = resolver.crl_signers(crl, cert_issuer);
    if candidates.is_empty() {
        return Err(format!(
            "no trusted certificate for the CRL issuer {} was found",
            crl.issuer
        ));
    }
    let aki = crl
        .extensions
        .authority_key_id
        .as_ref()
        .and_then(|a| a.key_id.as_deref());
    // Stable: caller order within each rank. 0 = SKI matches AKI, 1 = cannot tell, 2 = differs.
    candidates.sort_by_key(|c| match (aki, c.extensions.subject_key_id.as_deref()) {
        (Some(a), Some(s)) if a == s => 0u8,
        (Some(_), Some(_)) => 2,
        _ => 1,
    });
    let mut notes = Vec::new();
    for signer in candidates {
        if !signer.subject.matches(&crl.issuer) {
            notes.push(format!(
                "candidate signer {} is not named as the CRL issuer",
                signer.label()
            ));
            continue;
        }
        if signer
            .extensions
            .key_usage
            .is_some_and(|ku| !ku.has(KeyUsage::CRL_SIGN))
        {
            notes.push(format!(
                "the CRL issuer's certificate {} (sha256 {}) does not allow cRLSign in its keyUsage",
                signer.label(),
                short_fp(&signer.fingerprint())
            ));
            continue;
        }
        let inherited: Option<Vec<u8>> = if crypto::needs_inherited_params(&signer.public_key) {
            resolver
                .inherited_dsa_params(&signer)
                .or_else(|| crypto::dsa_params(&cert_issuer.public_key).map(<[u8]>::to_vec))
        } else {
            None
        };
        match resolver.verify_crl_signature(crl, &signer, inherited.as_deref(), algorithms) {
            Some(Ok(verified)) => return Ok(CrlSignature { signer, verified }),
            None => notes.push(format!(
                "signature not checked with the key of {}: the signature-check budget is exhausted (Limits::max_signature_checks)",
                signer.label()
            )),
            Some(Err(e)) => notes.push(format!(
                "signature not accepted with the key of {} (sha256 {}): {e}",
                signer.label(),
                short_fp(&signer.fingerprint())
            )),
        }
    }
    Err(notes.join("; "))
}

/// Names of the ReasonFlags bits set in `mask` (bit 1 keyCompromise … bit 8 aACompromise).
pub fn reason_flag_names(mask: u16) -> Vec<&'static str> {
    const NAMES: [(u16, &str); 8] = [
        (1 << 1, "keyCompromise"),
        (1 << 2, "cACompromise"),
        (1 << 3, "affiliationChanged"),
        (1 << 4, "superseded"),
        (1 << 5, "cessationOfOperation"),
        (1 << 6, "certificateHold"),
        (1 << 7, "privilegeWithdrawn"),
        (1 << 8, "aACompromise"),
    ];
    NAMES
        .iter()
        .filter(|(bit, _)| mask & bit != 0)
        .map(|(_, n)| *n)
        .collect()
}

/// The weaknesses of a CRL signature that verified, or why none did.
type SignatureCheck = Result<Vec<Weakness>, String>;

/// removeFromCRL
const REMOVE_FROM_CRL: u8 = 8;

/// The state of one run of §6.3.3.
struct Checker<'c, 'a> {
    cert: &'c Certificate,
    cert_issuer: &'c Certificate,
    ctx: &'c RevocationContext<'a>,
    resolver: &'c mut dyn CrlSignerResolver,
    /// SHA-256 of every CRL examined so far (for `max_crls`).
    examined: Vec<[u8; 32]>,
    /// Signature results per CRL (a CRL may be in scope for several distribution points).
    signatures: Vec<([u8; 32], SignatureCheck)>,
    problems: Vec<String>,
    used: Vec<String>,
    weaknesses: Vec<Weakness>,
    reasons_mask: u16,
    limit_reached: bool,
}

/// What one complete CRL said.
enum Step {
    /// Go on with the next CRL.
    Continue,
    /// The certificate is revoked.
    Revoked(CertStatus),
}

impl<'c, 'a> Checker<'c, 'a> {
    fn run(&mut self) -> CertStatus {
        let default_dp = [DistributionPoint {
            name: None,
            reasons: None,
            crl_issuer: None,
        }];
        let dps: &[DistributionPoint] = match &self.cert.extensions.crl_distribution_points {
            Some(points) if !points.is_empty() => points,
            _ => &default_dp,
        };
        let crls: &'a [Arc<Crl>] = self.ctx.crls;
        'points: for dp in dps {
            let (mut completes, mut deltas) = (0usize, 0usize);
            for crl in crls {
                if self.reasons_mask & ALL_REASONS == ALL_REASONS {
                    break 'points;
                }
                if !issued_for_point(crl, dp, self.cert) {
                    continue;
                }
                if crl.is_delta() {
                    // Used only together with its complete CRL (§5.2.4); counted there.
                    deltas += 1;
                    continue;
                }
                completes += 1;
                if !self.admit(crl) {
                    break 'points;
                }
                if let Step::Revoked(status) = self.process(dp, crl) {
                    return status;
                }
                if self.limit_reached {
                    break 'points;
                }
            }
            if completes == 0 {
                self.problems.push(format!(
                    "no {}CRL issued by {} is available{}{}",
                    if deltas > 0 { "complete " } else { "" },
                    expected_issuers(dp, self.cert),
                    describe_point(dp),
                    if deltas > 0 {
                        " (a delta CRL is used only together with its complete CRL)"
                    } else {
                        ""
                    }
                ));
            }
        }
        if self.reasons_mask & ALL_REASONS == ALL_REASONS {
            return CertStatus::Good {
                crls: std::mem::take(&mut self.used),
                ocsp: Vec::new(),
            };
        }
        if self.limit_reached {
            self.problems.push(format!(
                "stopped after examining {} CRLs (Limits::max_crls)",
                self.ctx.max_crls
            ));
        }
        if self.reasons_mask != 0 {
            self.problems.push(format!(
                "the usable CRLs cover only the reasons {{{}}}; no usable CRL covers {{{}}}",
                reason_flag_names(self.reasons_mask).join(", "),
                reason_flag_names(ALL_REASONS & !self.reasons_mask).join(", ")
            ));
        }
        if self.problems.is_empty() {
            self.problems
                .push("no usable CRL covers the certificate".to_owned());
        }
        CertStatus::Undetermined {
            reasons: std::mem::take(&mut self.problems),
        }
    }

    /// Counts `crl` as examined; false (and `limit_reached`) when that would exceed the limit.
    fn admit(&mut self, crl: &Crl) -> bool {
        if self.examined.contains(&crl.sha256) {
            return true;
        }
        if self.examined.len() >= self.ctx.max_crls {
            self.limit_reached = true;
            return false;
        }
        self.examined.push(crl.sha256);
        true
    }

    fn problem(&mut self, crl: &Crl, what: impl std::fmt::Display) {
        self.problems.push(format!("{}: {what}", crl_label(crl)));
    }

    /// §6.3.3 (a)–(k) for one complete CRL and one distribution point.
    fn process(&mut self, dp: &DistributionPoint, crl: &'a Crl) -> Step {
        if let Err(why) = check_scope(dp, crl, self.cert) {
            self.problem(crl, why);
            return Step::Continue;
        }
        if let Err(why) = check_usable(crl, self.ctx.moment, self.ctx.past, self.cert) {
            self.problem(crl, why);
            return Step::Continue;
        }
        let idp_reasons = crl
            .extensions
            .issuing_distribution_point
            .as_ref()
            .and_then(|i| i.only_some_reasons)
            .unwrap_or(ALL_REASONS);
        let interim = idp_reasons & dp.reasons.unwrap_or(ALL_REASONS) & ALL_REASONS;
        if interim & !self.reasons_mask == 0 {
            // (e): nothing this CRL could add.
            return Step::Continue;
        }
        let complete_weaknesses = match self.verify(crl) {
            Ok(w) => w,
            Err(why) => {
                self.problem(crl, why);
                return Step::Continue;
            }
        };
        let wants_delta =
            self.cert.extensions.freshest_crl.is_some() || crl.extensions.freshest_crl.is_some();
        let delta = if wants_delta {
            self.find_delta(crl)
        } else {
            None
        };
        if self.limit_reached {
            // A delta we may not examine could list the certificate: conclude nothing.
            return Step::Continue;
        }

        // (h) the delta first, (i) then the complete CRL, (j) removeFromCRL = not revoked.
        let mut listed: Option<(&'a RevokedEntry, &'a Crl)> = None;
        let mut removed = false;
        if let Some((d, _)) = &delta {
            if let Some(e) = find_entry(d, self.cert) {
                if e.reason == Some(REMOVE_FROM_CRL) {
                    removed = true;
                } else {
                    listed = Some((e, d));
                }
            }
        }
        if listed.is_none() && !removed {
            if let Some(e) = find_entry(crl, self.cert) {
                if e.reason != Some(REMOVE_FROM_CRL) {
                    listed = Some((e, crl));
                }
            }
        }

        // (k)
        self.reasons_mask |= interim;
        self.record_use(crl, complete_weaknesses);
        if let Some((d, w)) = delta {
            self.record_use(d, w);
        }
        match listed {
            Some((entry, source)) => Step::Revoked(CertStatus::Revoked {
                reason: entry.reason,
                reason_name: reason_name(entry.reason).into(),
                revocation_date: entry.revocation_date,
                crl: source.fingerprint(),
                ocsp: String::new(),
            }),
            None => Step::Continue,
        }
    }

    fn record_use(&mut self, crl: &Crl, weaknesses: Vec<Weakness>) {
        let fp = crl.fingerprint();
        if !self.used.contains(&fp) {
            self.used.push(fp);
        }
        for w in weaknesses {
            if !self.weaknesses.contains(&w) {
                self.weaknesses.push(w);
            }
        }
    }

    /// The signature of `crl`, verified once per run.
    fn verify(&mut self, crl: &Crl) -> SignatureCheck {
        if let Some((_, r)) = self.signatures.iter().find(|(h, _)| *h == crl.sha256) {
            return r.clone();
        }
        let r = verify_crl_signature(
            crl,
            self.cert_issuer,
            self.ctx.algorithms,
            &mut *self.resolver,
        )
        .map(|s| s.verified.weaknesses);
        self.signatures.push((crl.sha256, r.clone()));
        r
    }

    /// §6.3.3 (c): the freshest usable delta CRL for `complete`, with its signature's weaknesses.
    fn find_delta(&mut self, complete: &Crl) -> Option<(&'a Crl, Vec<Weakness>)> {
        let crls: &'a [Arc<Crl>] = self.ctx.crls;
        let mut usable: Vec<&'a Crl> = Vec::new();
        for d in crls.iter().map(|d| &**d) {
            if !d.is_delta() || !d.issuer.matches(&complete.issuer) {
                continue;
            }
            // Deltas for other scopes or other bases are normal: not a problem.
            if delta_applies(complete, d).is_err() {
                continue;
            }
            if !self.admit(d) {
                break;
            }
            if let Err(why) = check_usable(d, self.ctx.moment, self.ctx.past, self.cert) {
                self.problem(d, format!("delta CRL not used: {why}"));
                continue;
            }
            usable.push(d);
        }
        // Freshest first (highest cRLNumber); the caller's order among equals.
        usable.sort_by(|a, b| {
            let na = a.extensions.crl_number.as_deref().unwrap_or_default();
            let nb = b.extensions.crl_number.as_deref().unwrap_or_default();
            cmp_uint(nb, na)
        });
        for d in usable {
            match self.verify(d) {
                Ok(w) => return Some((d, w)),
                Err(why) => self.problem(d, format!("delta CRL not used: {why}")),
            }
        }
        None
    }
}

/// True when `crl` is issued by a CRL issuer the distribution point allows (its cRLIssuer,
/// or the certificate issuer when it has none). This is the cheap pre-filter; the other
/// scope rules are in [`check_scope`].
fn issued_for_point(crl: &Crl, dp: &DistributionPoint, cert: &Certificate) -> bool {
    match &dp.crl_issuer {
        Some(names) => directory_names(names).any(|n| n.matches(&crl.issuer)),
        None => crl.issuer.matches(&cert.issuer),
    }
}

fn directory_names(names: &[GeneralName]) -> impl Iterator<Item = &Name> {
    names.iter().filter_map(|g| match g {
        GeneralName::Directory(n) => Some(n),
        _ => None,
    })
}

/// §6.3.3 (b): the CRL's issuer and scope against the distribution point and the certificate.
fn check_scope(dp: &DistributionPoint, crl: &Crl, cert: &Certificate) -> Result<(), String> {
    let idp = crl.extensions.issuing_distribution_point.as_ref();
    let indirect = idp.is_some_and(|i| i.indirect);
    if !issued_for_point(crl, dp, cert) {
        return Err("not issued by the certificate's CRL issuer".to_owned());
    }
    if !crl.issuer.matches(&cert.issuer) && !indirect {
        return Err(format!(
            "issued by {} for a certificate of {}, but not marked as an indirect CRL \
             (issuingDistributionPoint indirectCRL)",
            crl.issuer, cert.issuer
        ));
    }
    let Some(idp) = idp else { return Ok(()) };
    if let Some(idp_name) = &idp.name {
        let idp_names = idp_name.resolve(&crl.issuer);
        let matched = match (&dp.name, &dp.crl_issuer) {
            (Some(dp_name), _) => {
                let dp_names = dp_name.resolve(&crl.issuer);
                idp_names.iter().any(|n| dp_names.contains(n))
            }
            (None, Some(issuers)) => idp_names.iter().any(|n| issuers.contains(n)),
            (None, None) => false,
        };
        if !matched {
            return Err(format!(
                "its issuingDistributionPoint {} is not one of the certificate's distribution points{}",
                join_names(&idp_names),
                match &dp.name {
                    Some(n) => format!(" ({})", join_names(&n.resolve(&crl.issuer))),
                    None if dp.crl_issuer.is_some() => " (cRLIssuer only)".to_owned(),
                    None => " (the certificate has no cRLDistributionPoints)".to_owned(),
                }
            ));
        }
    }
    if idp.only_user && cert.is_ca() {
        return Err("covers only end-entity certificates (onlyContainsUserCerts) and the certificate is a CA".to_owned());
    }
    if idp.only_ca && !cert.is_ca() {
        return Err(
            "covers only CA certificates (onlyContainsCACerts) and the certificate is not a CA"
                .to_owned(),
        );
    }
    if idp.only_attribute {
        return Err("covers only attribute certificates (onlyContainsAttributeCerts)".to_owned());
    }
    Ok(())
}

/// Whether a CRL may be used at `time` at all: no unknown critical extension, current (or,
/// in past validation, issued at or after `time` while `cert` was valid).
fn check_usable(crl: &Crl, moment: &Moment, past: bool, cert: &Certificate) -> Result<(), String> {
    if let Some(v) = crl.extensions.profile_violations.first() {
        return Err(format!("malformed: {v}"));
    }
    if !crl.extensions.unknown_critical.is_empty() {
        let oids: Vec<String> = crl
            .extensions
            .unknown_critical
            .iter()
            .map(|o| o.to_string())
            .collect();
        return Err(format!(
            "unsupported critical extension(s) {}",
            oids.join(", ")
        ));
    }
    if past && !moment.is_after(crl.this_update) && crl.this_update <= cert.not_after {
        return Ok(());
    }
    if moment.is_before(crl.this_update) {
        return Err(format!(
            "not yet valid (thisUpdate {})",
            crate::asn1::format_time(crl.this_update)
        ));
    }
    if let Some(next) = crl.next_update {
        if moment.is_after(next) {
            return Err(format!(
                "CRL expired (nextUpdate {})",
                crate::asn1::format_time(next)
            ));
        }
    }
    Ok(())
}

/// RFC 5280 §5.2.4 / §6.3.3 (c): whether `delta` can be combined with `complete`.
fn delta_applies(complete: &Crl, delta: &Crl) -> Result<(), String> {
    let base = delta
        .extensions
        .delta_crl_indicator
        .as_deref()
        .ok_or("not a delta CRL")?;
    if !delta.issuer.matches(&complete.issuer) {
        return Err("different issuer".to_owned());
    }
    if delta.extensions.issuing_distribution_point != complete.extensions.issuing_distribution_point
    {
        return Err("different issuingDistributionPoint (scope)".to_owned());
    }
    if let Some(k) = complete
        .extensions
        .authority_key_id
        .as_ref()
        .and_then(|a| a.key_id.as_ref())
    {
        let dk = delta
            .extensions
            .authority_key_id
            .as_ref()
            .and_then(|a| a.key_id.as_ref());
        if dk != Some(k) {
            return Err("different authorityKeyIdentifier".to_owned());
        }
    }
    let complete_number = complete
        .extensions
        .crl_number
        .as_deref()
        .ok_or("the complete CRL has no cRLNumber")?;
    let delta_number = delta
        .extensions
        .crl_number
        .as_deref()
        .ok_or("the delta CRL has no cRLNumber")?;
    if cmp_uint(base, complete_number) == Ordering::Greater {
        return Err("its BaseCRLNumber is above the complete CRL's number".to_owned());
    }
    if cmp_uint(complete_number, delta_number) != Ordering::Less {
        return Err("its cRLNumber is not above the complete CRL's number".to_owned());
    }
    Ok(())
}

/// Compares two non-negative INTEGER contents numerically.
fn cmp_uint(a: &[u8], b: &[u8]) -> Ordering {
    let a = normalize_serial(a);
    let b = normalize_serial(b);
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// The entry of `crl` for `cert`: same serial number, and the entry's certificate issuer
/// (certificateIssuer, or the CRL issuer) is `cert`'s issuer.
fn find_entry<'c>(crl: &'c Crl, cert: &Certificate) -> Option<&'c RevokedEntry> {
    crl.entries_with_serial(&cert.serial)
        .find(|e| match &e.certificate_issuer {
            None => crl.issuer.matches(&cert.issuer),
            Some(names) => directory_names(names).any(|n| n.matches(&cert.issuer)),
        })
}

fn short_fp(fp: &str) -> &str {
    fp.get(..16).unwrap_or(fp)
}

fn crl_label(crl: &Crl) -> String {
    let kind = if crl.is_delta() { "delta CRL" } else { "CRL" };
    format!(
        "{kind} from {} (sha256 {})",
        crl.issuer,
        short_fp(&crl.fingerprint())
    )
}

fn join_names(names: &[GeneralName]) -> String {
    names
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(" | ")
}

fn expected_issuers(dp: &DistributionPoint, cert: &Certificate) -> String {
    match &dp.crl_issuer {
        Some(names) => join_names(names),
        None => cert.issuer.to_string(),
    }
}

fn describe_point(dp: &DistributionPoint) -> String {
    match &dp.name {
        Some(DistributionPointName::Full(names)) => {
            format!(" for distribution point {}", join_names(names))
        }
        Some(DistributionPointName::RelativeToIssuer(_)) => {
            " for a distribution point relative to the CRL issuer".to_owned()
        }
        None => String::new(),
    }
}
