//! The revocation step (RFC 5280 §6.3) of one candidate path: for each certificate below the
//! anchor, what the CRLs and the OCSP responses say (either can establish the status; a
//! conflict is reported), fetching what the certificate points to when that is not enough
//! and the caller gave a fetcher; under past validation and the chain model, at the time
//! each certificate had to be valid.

use super::crl_signers::SignerResolver;
use super::ocsp_responders::ResponderResolver;
use super::{AcceptedWeakness, Engine, PathMoments};
use crate::asn1::format_time;
use crate::asn1::time::Moment;
use crate::revocation::ocsp::{self, OcspCheck, OcspContext, OcspOutcome};
use crate::revocation::{
    self, reason_name, CertStatus, DataKind, RevocationContext, RevocationMode, RevocationSource,
};
use crate::validate::memo::SubPath;
use crate::validate::options::{Options, ValidityModel};
use crate::validate::outcome::RevocationEntry;
use crate::validate::steps::fail_at;
use crate::verdict::{Check, Rule, Status};
use crate::x509::{Certificate, Crl};
use std::sync::Arc;

/// What the revocation step found.
pub(super) struct Revocations {
    pub(super) errors: Vec<Check>,
    pub(super) warnings: Vec<Check>,
    pub(super) entries: Vec<RevocationEntry>,
    /// Weaknesses of the revocation data that cleared the certificates above the target.
    pub(super) prefix_weaknesses: Vec<AcceptedWeakness>,
    /// Weaknesses of the revocation data that cleared the target.
    pub(super) weaknesses: Vec<AcceptedWeakness>,
}

/// What the data said about one certificate.
struct Found {
    status: CertStatus,
    sources: Vec<RevocationSource>,
    conflicts: Vec<String>,
    weaknesses: Vec<crate::crypto::Weakness>,
}

/// §6.3 for each certificate below the anchor (only the target's when a cached sub-path
/// covers the rest), under the caller's revocation mode.
pub(super) fn revocation(
    engine: &mut Engine<'_>,
    path: &[Arc<Certificate>],
    options: &Options,
    depth: usize,
    cached: Option<&SubPath>,
    moments: &PathMoments,
) -> Revocations {
    let n = path.len().saturating_sub(1);
    let mut out = Revocations {
        errors: Vec::new(),
        warnings: Vec::new(),
        entries: Vec::new(),
        prefix_weaknesses: Vec::new(),
        weaknesses: Vec::new(),
    };
    if options.revocation == RevocationMode::Off {
        return out;
    }
    let first = match cached {
        Some(sp) => {
            out.weaknesses
                .extend(sp.revocation_weaknesses.iter().cloned());
            out.entries.extend(sp.revocation.iter().cloned());
            out.warnings.extend(sp.warnings.iter().cloned());
            n
        }
        None => 1,
    };
    for i in first..=n {
        let (Some(cert), Some(_)) = (path.get(i), path.get(i - 1)) else {
            continue;
        };
        // Chain model: a CA certificate is judged at the time it issued the one below.
        let chain_time = match (options.validity_model, path.get(i + 1)) {
            (ValidityModel::Chain, Some(child)) if i < n => Some(child.not_before),
            _ => None,
        };
        let own;
        let moment: &Moment = match chain_time {
            Some(t) => {
                own = Moment::new(t);
                &own
            }
            None => moments.of(i, n),
        };
        let past = options.past_validation || chain_time.is_some();
        let found = status_of(engine, path, i, options, depth, moment, past);
        let weak = found.weaknesses.iter().map(|w| AcceptedWeakness {
            object: format!("revocation data for {}", cert.label()),
            weakness: w.clone(),
            algorithm: String::new(),
        });
        if i < n {
            out.prefix_weaknesses.extend(weak);
        } else {
            out.weaknesses.extend(weak);
        }
        judge(&mut out, i, cert, &found, options, moment, past);
        out.entries.push(RevocationEntry {
            index: i,
            certificate: cert.label(),
            status: found.status,
            sources: found.sources,
            conflicts: found.conflicts,
        });
    }
    // The cached sub-path's weaknesses come first, as they did when it was computed.
    if cached.is_none() {
        let mut all = out.prefix_weaknesses.clone();
        all.append(&mut out.weaknesses);
        out.weaknesses = all;
    }
    out
}

/// The checks one certificate's status gives.
fn judge(
    out: &mut Revocations,
    i: usize,
    cert: &Certificate,
    found: &Found,
    options: &Options,
    moment: &Moment,
    past: bool,
) {
    for c in &found.conflicts {
        out.warnings.push(Check {
            status: Status::Warning,
            ..fail_at(i, cert, Rule::RevocationConflict, c.clone())
        });
    }
    match &found.status {
        CertStatus::Good { .. } => {}
        CertStatus::Revoked {
            reason_name,
            revocation_date,
            ..
        } => {
            let message = format!(
                "revoked on {} (reason: {reason_name})",
                format_time(*revocation_date)
            );
            if past && moment.is_before(*revocation_date) {
                // Revoked after the time the path must be valid at: it was not revoked then.
                out.warnings.push(Check {
                    status: Status::Warning,
                    ..fail_at(
                        i,
                        cert,
                        Rule::Revoked,
                        format!(
                            "{message}, after {}: not revoked at that time",
                            format_time(moment.time())
                        ),
                    )
                });
            } else {
                out.errors.push(fail_at(i, cert, Rule::Revoked, message));
            }
        }
        CertStatus::Undetermined { reasons } => {
            let mut e = fail_at(
                i,
                cert,
                Rule::RevocationUnknown,
                format!("revocation status unknown: {}", reasons.join("; ")),
            );
            if options.revocation == RevocationMode::Require {
                out.errors.push(e);
            } else {
                e.status = Status::Warning;
                out.warnings.push(e);
            }
        }
    }
}

/// What the supplied data says, then (when that is undetermined and fetching is on) what
/// the fetched data says: OCSP first, then CRLs.
fn status_of(
    engine: &mut Engine<'_>,
    path: &[Arc<Certificate>],
    i: usize,
    options: &Options,
    depth: usize,
    moment: &Moment,
    past: bool,
) -> Found {
    let mut found = consult(engine, path, i, options, depth, moment, past);
    let (Some(cert), Some(issuer)) = (path.get(i), path.get(i.wrapping_sub(1))) else {
        return found;
    };
    for kind in [DataKind::Ocsp, DataKind::Crl] {
        if !matches!(found.status, CertStatus::Undetermined { .. }) {
            break;
        }
        let notes = engine.fetch_revocation(kind, cert, issuer);
        if notes.fetched > 0 {
            found = consult(engine, path, i, options, depth, moment, past);
        }
        if let CertStatus::Undetermined { reasons } = &mut found.status {
            reasons.extend(notes.problems);
        }
    }
    found
}

/// The CRLs and OCSP responses at hand (supplied and fetched so far), combined.
fn consult(
    engine: &mut Engine<'_>,
    path: &[Arc<Certificate>],
    i: usize,
    options: &Options,
    depth: usize,
    moment: &Moment,
    past: bool,
) -> Found {
    let (Some(cert), Some(issuer), Some(anchor)) =
        (path.get(i), path.get(i.wrapping_sub(1)), path.first())
    else {
        return Found {
            status: CertStatus::Undetermined {
                reasons: vec!["no issuer on the path".to_owned()],
            },
            sources: Vec::new(),
            conflicts: Vec::new(),
            weaknesses: Vec::new(),
        };
    };
    let crls: Vec<Arc<Crl>> = engine
        .sources
        .crls
        .iter()
        .chain(&engine.fetched.crls)
        .cloned()
        .collect();
    let algorithms = engine.algorithms.clone();
    let ctx = RevocationContext {
        moment,
        crls: &crls,
        algorithms: &algorithms,
        max_crls: options.limits.max_crls,
        past,
    };
    let anchor_fp = anchor.sha256;
    let mut signers = SignerResolver {
        engine,
        options,
        anchor: anchor_fp,
        depth,
        path,
        upto: i,
        moment,
    };
    let crl = revocation::check_certificate(cert, issuer, &ctx, &mut signers);
    let responses: Vec<Arc<ocsp::OcspResponse>> = engine
        .sources
        .ocsp
        .iter()
        .chain(&engine.fetched.ocsp)
        .cloned()
        .collect();
    let octx = OcspContext {
        moment,
        responses: &responses,
        algorithms: &algorithms,
        timing: options.ocsp_timing,
        past,
        max_responses: options.limits.max_ocsp_responses,
    };
    let mut responders = ResponderResolver {
        engine,
        options,
        anchor: anchor_fp,
        depth,
        moment,
    };
    let answer = ocsp::check_certificate(cert, issuer, &octx, &mut responders);
    combine(engine, crl, answer, &crls)
}

/// Either source can establish the status; revoked wins over good (fail closed) and the
/// disagreement is reported.
fn combine(
    engine: &Engine<'_>,
    crl: revocation::RevocationOutcome,
    answer: OcspCheck,
    crls: &[Arc<Crl>],
) -> Found {
    let mut sources = Vec::new();
    let mut conflicts = Vec::new();
    let mut weaknesses = crl.weaknesses.clone();
    let crl_source = |fp: &String| {
        crls.iter()
            .find(|c| c.fingerprint() == *fp)
            .map(|c| engine.crl_source(c))
    };
    match &crl.status {
        CertStatus::Good { crls: used, .. } => sources.extend(used.iter().filter_map(crl_source)),
        CertStatus::Revoked { crl: fp, .. } => sources.extend(crl_source(fp)),
        CertStatus::Undetermined { .. } => {}
    }
    let ocsp_source = |u: &ocsp::OcspUse| engine.ocsp_source(u);
    let status = match (crl.status, &answer.outcome) {
        (s @ CertStatus::Revoked { .. }, OcspOutcome::Good(u)) => {
            sources.push(ocsp_source(u));
            conflicts.push(conflict(u));
            s
        }
        (CertStatus::Good { .. }, OcspOutcome::Revoked { used, time, reason }) => {
            sources.push(ocsp_source(used));
            conflicts.push(conflict(used));
            weaknesses.extend(answer.weaknesses.iter().cloned());
            ocsp_revoked(used, *time, *reason)
        }
        (s @ CertStatus::Revoked { .. }, _) => s,
        (_, OcspOutcome::Revoked { used, time, reason }) => {
            sources.push(ocsp_source(used));
            weaknesses.extend(answer.weaknesses.iter().cloned());
            ocsp_revoked(used, *time, *reason)
        }
        (CertStatus::Good { crls: used, .. }, OcspOutcome::Good(u)) => {
            sources.push(ocsp_source(u));
            weaknesses.extend(answer.weaknesses.iter().cloned());
            CertStatus::Good {
                crls: used,
                ocsp: vec![u.sha256.clone()],
            }
        }
        (s @ CertStatus::Good { .. }, _) => s,
        (CertStatus::Undetermined { .. }, OcspOutcome::Good(u)) => {
            sources.push(ocsp_source(u));
            weaknesses.extend(answer.weaknesses.iter().cloned());
            CertStatus::Good {
                crls: Vec::new(),
                ocsp: vec![u.sha256.clone()],
            }
        }
        (CertStatus::Undetermined { mut reasons }, outcome) => {
            if let OcspOutcome::Unknown(u) = outcome {
                reasons.push(format!(
                    "the OCSP responder {} answered unknown (sha256 {})",
                    u.responder,
                    u.sha256.get(..16).unwrap_or_default()
                ));
            }
            reasons.extend(answer.problems.iter().cloned());
            if matches!(outcome, OcspOutcome::None) && answer.problems.is_empty() {
                reasons.push("no OCSP response for the certificate is available".to_owned());
            }
            CertStatus::Undetermined { reasons }
        }
    };
    Found {
        status,
        sources,
        conflicts,
        weaknesses,
    }
}

fn conflict(u: &ocsp::OcspUse) -> String {
    format!(
        "the CRLs and the OCSP response from {} (sha256 {}) disagree; revoked is taken",
        u.responder,
        u.sha256.get(..16).unwrap_or_default()
    )
}

fn ocsp_revoked(used: &ocsp::OcspUse, time: i64, reason: Option<u8>) -> CertStatus {
    CertStatus::Revoked {
        reason,
        reason_name: reason_name(reason).into(),
        revocation_date: time,
        crl: String::new(),
        ocsp: used.sha256.clone(),
    }
}
