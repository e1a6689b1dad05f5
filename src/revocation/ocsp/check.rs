//! The status of one certificate from the OCSP responses at hand: full-CertID matching,
//! the responder's authority (the CA itself, or a certificate it issued for OCSP signing,
//! trusted through the caller's [`OcspResponderResolver`]), the signature, and the times.

use super::{OcspResponse, OcspTiming, SingleResponse, SingleStatus};
use crate::asn1::format_time;
use crate::asn1::oid::known;
use crate::asn1::time::Moment;
use crate::asn1::UnixTime;
use crate::crypto::{
    self, AlgorithmPolicy, DigestAlgorithm, SignatureError, VerifiedSignature, Weakness,
};
use crate::x509::ext::normalize_serial;
use crate::x509::Certificate;
use std::sync::Arc;

/// What the caller provides to trust the signer of an OCSP response.
pub trait OcspResponderResolver {
    /// Whether `responder`, a certificate carried by a response and named by its
    /// ResponderID, may answer for certificates `ca` issued: the caller validates its path
    /// **through `ca`** (so that `ca`'s key signed it) to the same trust anchor at the
    /// validation time, with `id-kp-OCSPSigning`, and its revocation unless it carries
    /// `id-pkix-ocsp-nocheck` (RFC 6960 §4.2.2.2). `Err`: why not, for people.
    fn delegated_responder(
        &mut self,
        responder: &Arc<Certificate>,
        ca: &Certificate,
    ) -> Result<(), String>;

    /// Verifies `response`'s signature with `signer`'s key. The default computes it; a
    /// caller with a cache (and a signature budget) answers from it, and returns `None` when
    /// its budget is exhausted.
    fn verify_response_signature(
        &mut self,
        response: &OcspResponse,
        signer: &Certificate,
        algorithms: &AlgorithmPolicy,
    ) -> Option<Result<VerifiedSignature, SignatureError>> {
        let basic = response.basic.as_ref()?;
        Some(crypto::verify_signature(
            &basic.signature_algorithm,
            &signer.public_key,
            None,
            response.tbs(),
            &basic.signature,
            algorithms,
        ))
    }
}

/// Inputs of one OCSP check that do not change from certificate to certificate.
pub struct OcspContext<'a> {
    /// Validation time (every comparison against it is recorded).
    pub moment: &'a Moment,
    /// Every response available, in the caller's order of preference.
    pub responses: &'a [Arc<OcspResponse>],
    /// Which signature algorithms are acceptable for response signatures.
    pub algorithms: &'a AlgorithmPolicy,
    /// Tolerance and maximum age.
    pub timing: OcspTiming,
    /// Past validation (EN 319 102-1 §5.6.2): a response issued at or after the validation
    /// time (and no later than the certificate's notAfter) is usable too, as proof of the
    /// status at that time.
    pub past: bool,
    /// At most this many responses examined per certificate (`Limits::max_ocsp_responses`);
    /// responses for other certificates are skipped without counting.
    pub max_responses: usize,
}

/// The response a status rests on, for reports.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OcspUse {
    /// Lower-case hex SHA-256 of the OCSPResponse.
    pub sha256: String,
    /// The responder (the CA or the delegated responder certificate's subject).
    pub responder: String,
    /// producedAt.
    pub produced_at: UnixTime,
    /// thisUpdate of the SingleResponse.
    pub this_update: UnixTime,
    /// nextUpdate of the SingleResponse.
    pub next_update: Option<UnixTime>,
}

/// What the responses say about one certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OcspOutcome {
    /// No usable response speaks for the certificate (`problems` says why, one line per
    /// response that named it; empty when none did).
    None,
    /// good.
    Good(OcspUse),
    /// revoked.
    Revoked {
        /// The response.
        used: OcspUse,
        /// revocationTime.
        time: UnixTime,
        /// The CRLReason, when given.
        reason: Option<u8>,
    },
    /// unknown: the responder does not know the certificate.
    Unknown(OcspUse),
}

/// [`check_certificate`]'s result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OcspCheck {
    /// The status.
    pub outcome: OcspOutcome,
    /// Why responses that named the certificate were not used (response label: reason).
    pub problems: Vec<String>,
    /// Weaknesses of the signature of the response used.
    pub weaknesses: Vec<Weakness>,
}

/// RFC 6960 §3.2 for one certificate `cert` issued by `issuer` (its CA on the path).
pub fn check_certificate(
    cert: &Certificate,
    issuer: &Certificate,
    ctx: &OcspContext<'_>,
    resolver: &mut dyn OcspResponderResolver,
) -> OcspCheck {
    let mut problems = Vec::new();
    let mut usable: Vec<(OcspUse, SingleStatus, Vec<Weakness>)> = Vec::new();
    let mut examined = 0usize;
    for resp in ctx.responses {
        let Some(basic) = &resp.basic else { continue };
        let named: Vec<&SingleResponse> = basic
            .responses
            .iter()
            .filter(|s| normalize_serial(&s.cert_id.serial) == normalize_serial(&cert.serial))
            .collect();
        if named.is_empty() {
            continue;
        }
        examined += 1;
        if examined > ctx.max_responses {
            problems.push(format!(
                "stopped after examining {} OCSP responses (Limits::max_ocsp_responses)",
                ctx.max_responses
            ));
            break;
        }
        let mut full = Vec::new();
        for s in named {
            match cert_id_matches(s, cert, issuer) {
                Ok(()) => full.push(s),
                Err(why) => problems.push(format!("{}: {why}", resp.label())),
            }
        }
        if full.is_empty() {
            continue;
        }
        if let Some(o) = basic.unknown_critical.first() {
            problems.push(format!(
                "{}: unsupported critical response extension {o}",
                resp.label()
            ));
            continue;
        }
        let (signer, weaknesses) = match authorise(resp, issuer, ctx.algorithms, resolver) {
            Ok(x) => x,
            Err(why) => {
                problems.push(format!("{}: {why}", resp.label()));
                continue;
            }
        };
        for s in full {
            if let Err(why) = usable_at(resp, s, cert, ctx) {
                problems.push(format!("{}: {why}", resp.label()));
                continue;
            }
            let used = OcspUse {
                sha256: resp.fingerprint(),
                responder: signer.clone(),
                produced_at: basic.produced_at,
                this_update: s.this_update,
                next_update: s.next_update,
            };
            usable.push((used, s.status.clone(), weaknesses.clone()));
        }
    }
    choose(usable, problems)
}

/// Revoked over good over unknown (fail closed); among equals, the first.
fn choose(usable: Vec<(OcspUse, SingleStatus, Vec<Weakness>)>, problems: Vec<String>) -> OcspCheck {
    let rank = |s: &SingleStatus| match s {
        SingleStatus::Revoked { .. } => 0,
        SingleStatus::Good => 1,
        SingleStatus::Unknown => 2,
    };
    let best = usable
        .into_iter()
        .enumerate()
        .min_by_key(|(i, (_, s, _))| (rank(s), *i))
        .map(|(_, x)| x);
    let Some((used, status, weaknesses)) = best else {
        return OcspCheck {
            outcome: OcspOutcome::None,
            problems,
            weaknesses: Vec::new(),
        };
    };
    let outcome = match status {
        SingleStatus::Good => OcspOutcome::Good(used),
        SingleStatus::Revoked { time, reason } => OcspOutcome::Revoked { used, time, reason },
        SingleStatus::Unknown => OcspOutcome::Unknown(used),
    };
    OcspCheck {
        outcome,
        problems,
        weaknesses,
    }
}

/// The whole CertID: hash algorithm, issuer name hash, issuer key hash (the serial was
/// compared by the caller).
fn cert_id_matches(
    s: &SingleResponse,
    cert: &Certificate,
    issuer: &Certificate,
) -> Result<(), String> {
    let id = &s.cert_id;
    let hash = DigestAlgorithm::from_oid(&id.hash_algorithm.oid)
        .filter(|d| *d != DigestAlgorithm::Sm3 || id.hash_algorithm.params.is_none())
        .ok_or_else(|| {
            format!(
                "unsupported CertID hash algorithm {}",
                crate::asn1::oid::describe(&id.hash_algorithm.oid)
            )
        })?;
    if !matches!(
        id.hash_algorithm.params.as_deref(),
        None | Some(crate::asn1::NULL_DER)
    ) {
        return Err("CertID hash algorithm parameters must be NULL or absent".to_owned());
    }
    if hash.digest(&cert.issuer.der) != id.issuer_name_hash {
        return Err(format!(
            "names serial {} but its issuer name hash does not match (a response for another certificate with the same serial number)",
            cert.serial_hex()
        ));
    }
    if hash.digest(&issuer.public_key.key) != id.issuer_key_hash {
        return Err(format!(
            "names serial {} but its issuer key hash does not match the key of {} (a response for another certificate with the same serial number)",
            cert.serial_hex(),
            issuer.label()
        ));
    }
    Ok(())
}

/// RFC 6960 §4.2.2.2: the CA itself, or a certificate it issued with id-kp-OCSPSigning that
/// the resolver trusts. Returns who signed and the signature's weaknesses.
fn authorise(
    resp: &OcspResponse,
    ca: &Certificate,
    algorithms: &AlgorithmPolicy,
    resolver: &mut dyn OcspResponderResolver,
) -> Result<(String, Vec<Weakness>), String> {
    let basic = resp.basic.as_ref().ok_or("not a successful response")?;
    if basic.responder.names(ca) {
        return match resolver.verify_response_signature(resp, ca, algorithms) {
            Some(Ok(v)) => Ok((ca.label(), v.weaknesses)),
            Some(Err(e)) => Err(format!(
                "the response signature does not verify with the key of the CA {}: {e}",
                ca.label()
            )),
            None => Err("signature not checked: the signature-check budget is exhausted (Limits::max_signature_checks)".to_owned()),
        };
    }
    let candidates: Vec<&Arc<Certificate>> = basic
        .certs
        .iter()
        .filter(|c| basic.responder.names(c))
        .collect();
    if candidates.is_empty() {
        return Err(format!(
            "the response signing certificate could not be located: the responder {} is neither the CA {} nor a certificate the response carries",
            basic.responder,
            ca.label()
        ));
    }
    let mut notes = Vec::new();
    for c in candidates {
        if !c.issuer.matches(&ca.subject) {
            notes.push(format!(
                "the responder certificate {} was not issued by the CA {} (only the CA or a responder it authorised may answer)",
                c.label(),
                ca.label()
            ));
            continue;
        }
        let ocsp_signing = c
            .extensions
            .extended_key_usage
            .as_ref()
            .is_some_and(|e| e.contains(&known::KP_OCSP_SIGNING));
        if !ocsp_signing {
            notes.push(format!(
                "the responder certificate {} lacks id-kp-OCSPSigning in its extendedKeyUsage: the CA did not authorise it to answer",
                c.label()
            ));
            continue;
        }
        match resolver.verify_response_signature(resp, c, algorithms) {
            Some(Ok(v)) => match resolver.delegated_responder(c, ca) {
                Ok(()) => return Ok((c.label(), v.weaknesses)),
                Err(why) => notes.push(format!(
                    "the response signing certificate {} could not be validated: {why}",
                    c.label()
                )),
            },
            Some(Err(e)) => notes.push(format!(
                "the response signature does not verify with the key of {}: {e}",
                c.label()
            )),
            None => notes.push("signature not checked: the signature-check budget is exhausted (Limits::max_signature_checks)".to_owned()),
        }
    }
    Err(notes.join("; "))
}

/// The times of one SingleResponse against the validation time (RFC 6960 §4.2.2.1, with
/// the tolerance), and its own critical extensions.
fn usable_at(
    resp: &OcspResponse,
    s: &SingleResponse,
    cert: &Certificate,
    ctx: &OcspContext<'_>,
) -> Result<(), String> {
    if let Some(o) = s.unknown_critical.first() {
        return Err(format!("unsupported critical single extension {o}"));
    }
    let m = ctx.moment;
    let tol = ctx.timing.tolerance_seconds.max(0);
    let produced = resp.basic.as_ref().map_or(s.this_update, |b| b.produced_at);
    if s.next_update.is_some_and(|n| n < s.this_update) {
        return Err("nextUpdate is before thisUpdate".to_owned());
    }
    let current = current_at(s, produced, m, ctx.timing);
    match current {
        Ok(()) => Ok(()),
        Err(why) if ctx.past => {
            // Issued at or after the validation time, while the certificate was valid: it
            // tells the status at that time.
            let after = !m.is_after(s.this_update.saturating_add(tol));
            if after && s.this_update <= cert.not_after && !m.is_after(produced.saturating_add(tol))
            {
                Ok(())
            } else {
                Err(why)
            }
        }
        Err(why) => Err(why),
    }
}

fn current_at(
    s: &SingleResponse,
    produced: UnixTime,
    m: &Moment,
    timing: OcspTiming,
) -> Result<(), String> {
    let tol = timing.tolerance_seconds.max(0);
    if m.is_before(produced.saturating_sub(tol)) {
        return Err(format!(
            "produced at {}, after the validation time {}",
            format_time(produced),
            format_time(m.time())
        ));
    }
    if m.is_before(s.this_update.saturating_sub(tol)) {
        return Err(format!(
            "not yet valid at {} (thisUpdate {})",
            format_time(m.time()),
            format_time(s.this_update)
        ));
    }
    match s.next_update {
        Some(next) if m.is_after(next.saturating_add(tol)) => Err(format!(
            "not recent enough: stale at {} (nextUpdate {})",
            format_time(m.time()),
            format_time(next)
        )),
        None if m.is_after(s.this_update.saturating_add(timing.max_age_without_next_update)) => {
            Err(format!(
                "not recent enough: no nextUpdate and thisUpdate {} is more than {} s before {} (OcspTiming::max_age_without_next_update)",
                format_time(s.this_update),
                timing.max_age_without_next_update,
                format_time(m.time())
            ))
        }
        _ => Ok(()),
    }
}
