//! Long-term validation of one signer (ETSI EN 319 102-1 §5.5 "validation process for
//! signatures with time", §5.6.2 past certificate validation): the best-signature-time from
//! the signature timestamps that passed, the timestamps' order, past validation of the
//! certificate path at that time when the validation at the current time failed for a
//! reason a proof of existence (POE) can cure (expiry, revocation, revocation data no longer
//! current), the revocation outcome against content timestamps, and algorithm sunsets.

use crate::asn1::{format_time, UnixTime};
use crate::crypto::{AlgorithmPolicy, Weakness};
use crate::report::document::{BestSignatureTime, TimeSource};
use crate::report::timestamp::{TimestampKind, TimestampReport};
use crate::revocation::CertStatus;
use crate::validate::Outcome;
use crate::verdict::{Check, Rule, Status};
use crate::x509::Certificate;
use std::sync::Arc;

/// What the long-term validation decided.
pub(super) struct Judgement {
    /// The path outcome the verdict rests on (at the validation time, or at the
    /// best-signature-time).
    pub(super) outcome: Arc<Outcome>,
    /// The path's checks, as the verdict takes them (revocations without POE converted).
    pub(super) checks: Vec<Check>,
    /// Timestamp order, POE and sunset checks.
    pub(super) ltv_checks: Vec<Check>,
    /// The best-signature-time.
    pub(super) best: BestSignatureTime,
    /// The best-signature-time, as a time.
    pub(super) best_time: UnixTime,
}

/// A timestamp that passed, for this judgement.
struct Poe<'a> {
    kind: TimestampKind,
    time: UnixTime,
    tsa: &'a str,
}

fn poes(stamps: &[TimestampReport]) -> Vec<Poe<'_>> {
    stamps
        .iter()
        .filter(|s| s.passed())
        .filter_map(|s| {
            Some(Poe {
                kind: s.kind,
                time: s.gen_time_value?,
                tsa: s.tsa.as_deref().unwrap_or("an unnamed TSA"),
            })
        })
        .collect()
}

/// Judges the signer whose certificate is `cert`: `now` is its path at the validation time
/// `time`; `past` validates the path at a best-signature-time (past validation).
pub(super) fn judge(
    cert: &Certificate,
    now: Arc<Outcome>,
    stamps: &[TimestampReport],
    time: UnixTime,
    past: impl FnOnce(UnixTime) -> Arc<Outcome>,
) -> Judgement {
    let valid = poes(stamps);
    let signature_poe = valid
        .iter()
        .filter(|p| p.kind == TimestampKind::Signature)
        .min_by_key(|p| p.time)
        .filter(|p| p.time < time);
    let (best_time, best) = match signature_poe {
        Some(p) => (
            p.time,
            BestSignatureTime {
                time: format_time(p.time),
                source: TimeSource::SignatureTimestamp,
                proven_by: Some(p.tsa.to_owned()),
            },
        ),
        None => (
            time,
            BestSignatureTime {
                time: format_time(time),
                source: TimeSource::ValidationTime,
                proven_by: None,
            },
        ),
    };
    let mut ltv_checks = order(cert, &valid);
    let content_after = |revoked_at: UnixTime| {
        valid
            .iter()
            .filter(|p| p.kind == TimestampKind::Content && p.time > revoked_at)
            .min_by_key(|p| p.time)
            .map(|p| (p.time, p.tsa.to_owned()))
    };
    let (outcome, poe_used) = if now.is_valid() || signature_poe.is_none() || !curable(&now, time) {
        (now, None)
    } else {
        let at_poe = past(best_time);
        if at_poe.is_valid() {
            let why: Vec<String> = now.errors.iter().map(|c| c.message.to_string()).collect();
            ltv_checks.push(Check::passed(
                Rule::ProofOfExistence,
                format!(
                    "valid as of {}, proven by {} (at the validation time: {})",
                    best.time,
                    best.proven_by.as_deref().unwrap_or_default(),
                    why.join("; ")
                ),
            ));
        }
        (at_poe, Some(best_time))
    };
    let checks = convert(&outcome, poe_used, content_after);
    Judgement {
        outcome,
        checks,
        ltv_checks,
        best,
        best_time,
    }
}

/// True when every failure of `now` is one a proof of existence before `time` can cure:
/// a certificate expired (not one not yet valid), revoked, or whose revocation status is
/// unknown (its revocation data may no longer be current).
fn curable(now: &Outcome, time: UnixTime) -> bool {
    !now.errors.is_empty()
        && now.errors.iter().all(|c| match c.rule {
            Rule::Revoked | Rule::RevocationUnknown => true,
            Rule::Validity => c
                .subject
                .as_ref()
                .and_then(|s| s.index)
                .and_then(|i| now.path.get(i))
                .is_some_and(|cert| cert.not_after < time),
            _ => false,
        })
}

/// EN 319 102-1 §5.5.4 (6): every timestamp after the signing certificate's issuance, and
/// every content timestamp before every signature timestamp.
fn order(cert: &Certificate, valid: &[Poe<'_>]) -> Vec<Check> {
    if valid.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for p in valid {
        if p.time < cert.not_before {
            out.push(Check::failed(
                Rule::TimestampOrder,
                format!(
                    "the {} timestamp by {} ({}) is before the signing certificate's notBefore {}",
                    kind_name(p.kind),
                    p.tsa,
                    format_time(p.time),
                    format_time(cert.not_before)
                ),
            ));
        }
    }
    for c in valid.iter().filter(|p| p.kind == TimestampKind::Content) {
        for s in valid.iter().filter(|p| p.kind == TimestampKind::Signature) {
            if c.time > s.time {
                out.push(Check::failed(
                    Rule::TimestampOrder,
                    format!(
                        "the content timestamp ({}) is after the signature timestamp ({}): the content cannot have been stamped after it was signed",
                        format_time(c.time),
                        format_time(s.time)
                    ),
                ));
            }
        }
    }
    if out.is_empty() {
        out.push(Check::passed(
            Rule::TimestampOrder,
            "the timestamps are after the signing certificate's issuance, content timestamps before signature timestamps",
        ));
    }
    out
}

fn kind_name(k: TimestampKind) -> &'static str {
    match k {
        TimestampKind::Signature => "signature",
        TimestampKind::Content => "content",
        TimestampKind::Standalone => "standalone",
    }
}

/// The path's errors and warnings as the verdict takes them: a revoked certificate is
/// REVOKED_NO_POE, unless a content timestamp proves the signature was made after the
/// revocation (then REVOKED stands).
fn convert(
    outcome: &Outcome,
    poe: Option<UnixTime>,
    content_after: impl Fn(UnixTime) -> Option<(UnixTime, String)>,
) -> Vec<Check> {
    let mut out = Vec::new();
    for c in &outcome.errors {
        if c.rule != Rule::Revoked {
            out.push(c.clone());
            continue;
        }
        let revoked_at = c
            .subject
            .as_ref()
            .and_then(|s| s.index)
            .and_then(|i| outcome.revocation.iter().find(|e| e.index == i))
            .and_then(|e| match &e.status {
                CertStatus::Revoked {
                    revocation_date, ..
                } => Some(*revocation_date),
                _ => None,
            });
        let mut converted = c.clone();
        match revoked_at.and_then(&content_after) {
            Some((t, tsa)) => {
                converted.message = format!(
                    "{}; a content timestamp by {tsa} proves the signature was made after {}",
                    c.message,
                    format_time(t)
                )
                .into();
            }
            None => {
                converted.rule = Rule::RevokedNoPoe;
                converted.message = match poe {
                    Some(p) => format!(
                        "{}; the signature timestamp proves the signature existed at {}, not that it was made before the revocation",
                        c.message,
                        format_time(p)
                    ),
                    None => format!(
                        "{}; nothing proves the signature was made before the revocation",
                        c.message
                    ),
                }
                .into();
            }
        }
        out.push(converted);
    }
    out.extend(outcome.warnings.iter().cloned());
    out
}

/// EN 319 102-1 §5.2.8 with sunset dates: each weak choice (of the signature, the path)
/// whose sunset is before the validation time is relied upon only when the POE is before
/// the sunset.
pub(super) fn sunsets(
    weaknesses: &[(String, Weakness)],
    policy: &AlgorithmPolicy,
    time: UnixTime,
    best: &BestSignatureTime,
    best_time: UnixTime,
) -> Vec<Check> {
    let mut out = Vec::new();
    for (object, w) in weaknesses {
        let Some(until) = policy.sunset_of(w) else {
            continue;
        };
        if time <= until {
            continue;
        }
        let proven = best.source == TimeSource::SignatureTimestamp && best_time <= until;
        let message = format!(
            "{object}: {w}; relied upon until {} (AlgorithmPolicy::sunsets)",
            format_time(until)
        );
        out.push(if proven {
            Check::passed(
                Rule::AlgorithmSunset,
                format!(
                    "{message}, and a timestamp by {} proves the signature existed at {}",
                    best.proven_by.as_deref().unwrap_or_default(),
                    best.time
                ),
            )
        } else {
            Check::new(
                Rule::AlgorithmSunset,
                Status::Failed,
                format!("{message}, and nothing proves the signature existed before then"),
            )
        });
    }
    out
}
