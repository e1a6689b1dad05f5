//! The path report (`sigbridge-path/1`): the result of validating one certificate path, as
//! `sigbridge path --format json` prints it.

use super::document::ChainEntry;
use crate::validate::{AcceptedWeakness, Attempt, Outcome, RevocationEntry};
use crate::verdict::{Check, Indication, SubIndication};
use serde::{Deserialize, Serialize};

/// The `format` of [`PathReport`].
pub const PATH_FORMAT: &str = "sigbridge-path/1";

/// One validation, for programs.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PathReport {
    /// [`PATH_FORMAT`].
    pub format: String,
    /// The validation time, RFC 3339.
    pub validation_time: String,
    /// True when TOTAL_PASSED.
    pub valid: bool,
    /// ETSI main indication.
    pub indication: Indication,
    /// ETSI sub-indication (null when passed).
    pub sub_indication: Option<SubIndication>,
    /// Anchor first: the accepted path, or the first complete path tried (just the target
    /// when no path reached an anchor).
    pub path: Vec<ChainEntry>,
    /// The store the anchor came from.
    pub anchor_store: Option<String>,
    /// RFC 5280 user-constrained policy set (dotted OIDs).
    pub user_constrained_policy_set: Vec<String>,
    /// RFC 5280 authorities-constrained policy set (dotted OIDs).
    pub authorities_constrained_policy_set: Vec<String>,
    /// Failures on the reported path.
    pub errors: Vec<Check>,
    /// Findings that do not fail the path.
    pub warnings: Vec<Check>,
    /// Revocation status of each certificate below the anchor.
    pub revocation: Vec<RevocationEntry>,
    /// Weak algorithms accepted.
    pub weak_algorithms_accepted: Vec<AcceptedWeakness>,
    /// Every path tried.
    pub attempts: Vec<Attempt>,
    /// Signature verifications performed.
    pub signature_checks: usize,
    /// Complete candidate paths examined.
    pub candidate_paths: usize,
}

impl PathReport {
    /// The report of `outcome`, validated at `validation_time` (RFC 3339).
    pub fn of(outcome: &Outcome, validation_time: String) -> PathReport {
        let oids = |v: &[crate::asn1::Oid]| v.iter().map(|p| p.to_string()).collect();
        PathReport {
            format: PATH_FORMAT.to_owned(),
            validation_time,
            valid: outcome.is_valid(),
            indication: outcome.indication,
            sub_indication: outcome.sub_indication,
            path: outcome.path.iter().map(|c| ChainEntry::of(c)).collect(),
            anchor_store: outcome.anchor_store.clone(),
            user_constrained_policy_set: oids(&outcome.user_constrained_policy_set),
            authorities_constrained_policy_set: oids(&outcome.authorities_constrained_policy_set),
            errors: outcome.errors.clone(),
            warnings: outcome.warnings.clone(),
            revocation: outcome.revocation.clone(),
            weak_algorithms_accepted: outcome.weaknesses.clone(),
            attempts: outcome.attempts.clone(),
            signature_checks: outcome.signature_checks,
            candidate_paths: outcome.candidate_paths,
        }
    }
}
