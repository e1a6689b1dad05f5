//! What a validation returns: the verdict, the accepted (or first tried) path, every check
//! that failed or warned, the revocation status of each certificate and the weak algorithms
//! accepted.

use crate::asn1::{Oid, UnixTime};
use crate::crypto::Weakness;
use crate::revocation::{CertStatus, RevocationSource};
use crate::verdict::{Check, Indication, SubIndication, Verdict};
use crate::x509::Certificate;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A path that was tried and the failures found on it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Attempt {
    /// Subjects, anchor first.
    pub path: Vec<String>,
    /// Store of the anchor (empty when the path was abandoned before reaching one).
    pub anchor_store: String,
    /// What failed.
    pub errors: Vec<Check>,
}

/// Revocation status of one certificate of the accepted path.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RevocationEntry {
    /// Position in the path (1 = first below the anchor).
    pub index: usize,
    /// Subject.
    pub certificate: String,
    /// What the revocation data said (`status`: `good`, `revoked`, `undetermined`, with
    /// its details beside it).
    #[serde(flatten)]
    pub status: CertStatus,
    /// The CRLs and OCSP responses the status rests on, with where each came from and its
    /// times.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<RevocationSource>,
    /// Disagreements between sources (a CRL lists it, an OCSP response says good, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
}

/// A weak algorithm accepted somewhere on the path.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AcceptedWeakness {
    /// What was signed: a certificate subject, or `CRL for <subject>`.
    pub object: String,
    /// The weakness.
    pub weakness: Weakness,
    /// The signature algorithm (empty when not known).
    pub algorithm: String,
}

/// The result of validating one target.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Outcome {
    /// ETSI main indication.
    pub indication: Indication,
    /// ETSI sub-indication (none when passed).
    pub sub_indication: Option<SubIndication>,
    /// The accepted path (anchor first) or, when none passed, the first complete path tried
    /// (just the target when no path reached an anchor).
    pub path: Vec<Arc<Certificate>>,
    /// The store of the path's anchor.
    pub anchor_store: Option<String>,
    /// RFC 5280 user-constrained policy set of the accepted path.
    pub user_constrained_policy_set: Vec<Oid>,
    /// Authorities-constrained policy set of the accepted path.
    pub authorities_constrained_policy_set: Vec<Oid>,
    /// Failures on the reported path (empty when passed).
    pub errors: Vec<Check>,
    /// Findings that do not fail the path (revocation unknown in `prefer` mode, …).
    pub warnings: Vec<Check>,
    /// Every path tried, with its failures.
    pub attempts: Vec<Attempt>,
    /// Revocation status of each certificate of the accepted path (or of the reported path,
    /// when its revocation step ran).
    pub revocation: Vec<RevocationEntry>,
    /// Weak algorithms that were accepted.
    pub weaknesses: Vec<AcceptedWeakness>,
    /// Signature verifications performed.
    pub signature_checks: usize,
    /// Complete candidate paths examined.
    pub candidate_paths: usize,
    /// The closed interval of validation times over which every time comparison made in
    /// this validation comes out the same (certificate validity, CRL currency): the outcome
    /// would be the same at any time inside it, given the same inputs.
    pub window: (UnixTime, UnixTime),
}

impl Outcome {
    /// True when the indication is TOTAL_PASSED.
    pub fn is_valid(&self) -> bool {
        self.indication == Indication::TotalPassed
    }

    /// The indication and sub-indication together.
    pub fn verdict(&self) -> Verdict {
        Verdict {
            indication: self.indication,
            sub_indication: self.sub_indication,
        }
    }
}
