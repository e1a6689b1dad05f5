//! Summary: the verdict a person reads first — for each jurisdiction, one line per signer:
//! VALID / NOT VALID / NOT CONFIRMED with its basis (trusted by the jurisdiction's own list,
//! recognised under mutual recognition, trusted only because the caller passed the anchor,
//! not recognised and why, or what failed). Recognition is a basis only for signers whose
//! signature and certificate path are valid, so a tampered document never reads "domestic".
//! The CLI, the HTML report and the service render these values; nothing here is text
//! layout.

use super::document::{DocumentReport, SignerReport};
use super::words;
use crate::recognition::{RecognitionStatus, DIRECT_ANCHOR_ENTRY, DIRECT_ANCHOR_STORE};
use crate::trust::Jurisdiction;
use crate::verdict::{Indication, Rule, Status, SubIndication};

/// The standing of a signer (or a document) for one jurisdiction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Valid and trusted or recognised there.
    Valid,
    /// TOTAL_FAILED: broken signature, changed content, revoked certificate.
    NotValid,
    /// INDETERMINATE, or valid but not recognised there.
    NotConfirmed,
}

impl Standing {
    /// `VALID`, `NOT VALID`, `NOT CONFIRMED`.
    pub fn words(self) -> &'static str {
        match self {
            Standing::Valid => "VALID",
            Standing::NotValid => "NOT VALID",
            Standing::NotConfirmed => "NOT CONFIRMED",
        }
    }

    /// The standing an indication gives.
    pub fn of(i: Indication) -> Standing {
        match i {
            Indication::TotalPassed => Standing::Valid,
            Indication::TotalFailed => Standing::NotValid,
            Indication::Indeterminate => Standing::NotConfirmed,
        }
    }
}

/// Why a signer has its standing in one jurisdiction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Basis {
    /// The chain ends at an anchor of the jurisdiction's own list.
    OwnList {
        /// The list.
        list: Jurisdiction,
        /// The anchor's name in it.
        anchor: String,
    },
    /// Recognised under mutual recognition through an entry of the other side's list.
    MutualRecognition {
        /// The list holding the entry.
        list: Jurisdiction,
        /// The certificate type the entry names.
        certificate_type: String,
    },
    /// Trusted only because the caller gave the anchor directly (`--anchor`).
    DirectAnchor,
    /// Valid to an anchor of another store, without trust lists to judge recognition.
    Anchor {
        /// The anchor's store.
        store: String,
    },
    /// Signature and path valid, but not recognised in this jurisdiction.
    NotRecognised {
        /// Why, shortly (one per kind of failed condition).
        reasons: Vec<String>,
    },
    /// The signature or its certificate path failed.
    Failed {
        /// The signer's sub-indication.
        sub_indication: Option<SubIndication>,
    },
    /// A PDF document timestamp: it proves when the file existed and is judged by its own
    /// validity; recognition is about who signs, so it does not apply.
    DocumentTimestamp,
}

impl Basis {
    /// The basis in English, for jurisdiction `j`.
    pub fn describe(&self, j: Jurisdiction) -> String {
        match self {
            Basis::OwnList { list, anchor } => format!(
                "trusted by {}'s list (root \"{anchor}\")",
                words::jurisdiction(*list)
            ),
            Basis::MutualRecognition {
                list,
                certificate_type,
            } => format!(
                "recognised in {} under mutual recognition ({} certificate type \"{certificate_type}\")",
                words::jurisdiction(j),
                list
            ),
            Basis::DirectAnchor => format!(
                "trusted only because you passed --anchor (the root is not on {}'s list)",
                words::jurisdiction(j)
            ),
            Basis::Anchor { store } => format!("trusted through an anchor from {store}"),
            Basis::NotRecognised { reasons } => {
                format!("not recognised: {}", reasons.join("; "))
            }
            Basis::DocumentTimestamp => {
                "a valid document timestamp (recognition applies to signers, not to timestamps)"
                    .to_string()
            }
            Basis::Failed { sub_indication } => match sub_indication {
                Some(s) => words::explain(*s).to_string(),
                None => "the signature could not be confirmed".to_string(),
            },
        }
    }
}

/// One signer's line for one jurisdiction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerVerdict {
    /// 1-based position of the signer in the document.
    pub index: usize,
    /// Who signed, for people (the certificate's common name, else its subject).
    pub name: String,
    /// VALID / NOT VALID / NOT CONFIRMED.
    pub standing: Standing,
    /// Why.
    pub basis: Basis,
}

/// Every signer's line for one jurisdiction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JurisdictionVerdict {
    /// Whose verdict.
    pub jurisdiction: Jurisdiction,
    /// True when this is the report's relying party (its verdict sets the exit code).
    pub relying_party: bool,
    /// One per signer, in order.
    pub signers: Vec<SignerVerdict>,
}

impl JurisdictionVerdict {
    /// The worst standing of the signers (NOT CONFIRMED when there is none).
    pub fn standing(&self) -> Standing {
        let rank = |s: Standing| match s {
            Standing::Valid => 0,
            Standing::NotConfirmed => 1,
            Standing::NotValid => 2,
        };
        self.signers
            .iter()
            .map(|s| s.standing)
            .max_by_key(|s| rank(*s))
            .unwrap_or(Standing::NotConfirmed)
    }
}

/// Hong Kong's verdict, then Guangdong's.
pub fn verdicts(r: &DocumentReport) -> Vec<JurisdictionVerdict> {
    [Jurisdiction::Hk, Jurisdiction::Gd]
        .into_iter()
        .map(|j| JurisdictionVerdict {
            jurisdiction: j,
            relying_party: r.relying_party == Some(j),
            signers: r
                .signers
                .iter()
                .enumerate()
                .map(|(i, s)| signer_verdict(s, i + 1, j))
                .collect(),
        })
        .collect()
}

/// True when the signer's signature and certificate path are valid (every failed check, if
/// any, is the relying party's recognition).
pub fn signature_and_path_valid(s: &SignerReport) -> bool {
    s.indication == Indication::TotalPassed
        || s.checks
            .iter()
            .all(|c| c.status != Status::Failed || c.rule == Rule::Recognition)
}

/// One signer's verdict for `j`.
pub fn signer_verdict(s: &SignerReport, index: usize, j: Jurisdiction) -> SignerVerdict {
    let name = signer_name(s, index);
    if !signature_and_path_valid(s) {
        return SignerVerdict {
            index,
            name,
            standing: Standing::of(s.indication),
            basis: Basis::Failed {
                sub_indication: s.sub_indication,
            },
        };
    }
    let document_timestamp = s
        .pdf
        .as_ref()
        .is_some_and(|p| p.kind == crate::document::pdf::SignatureKind::DocumentTimestamp);
    if document_timestamp {
        return SignerVerdict {
            index,
            name,
            standing: Standing::Valid,
            basis: Basis::DocumentTimestamp,
        };
    }
    let (standing, basis) = match s.recognition.as_ref().map(|p| p.get(j)) {
        None => (
            Standing::Valid,
            match s.anchor_store.as_deref() {
                Some(DIRECT_ANCHOR_STORE) | None => Basis::DirectAnchor,
                Some(store) => Basis::Anchor {
                    store: store.to_string(),
                },
            },
        ),
        Some(rec) => match rec.status {
            RecognitionStatus::Domestic => {
                let entry = rec.matched_entry.as_deref().unwrap_or_default();
                if entry == DIRECT_ANCHOR_ENTRY {
                    (Standing::Valid, Basis::DirectAnchor)
                } else {
                    let anchor = entry
                        .split_once(": anchor ")
                        .map(|(_, a)| a)
                        .unwrap_or(entry)
                        .to_string();
                    (Standing::Valid, Basis::OwnList { list: j, anchor })
                }
            }
            RecognitionStatus::Mutual => {
                let entry = rec.matched_entry.as_deref().unwrap_or_default();
                let certificate_type = entry
                    .split_once(": ")
                    .map(|(_, t)| t)
                    .unwrap_or(entry)
                    .to_string();
                (
                    Standing::Valid,
                    Basis::MutualRecognition {
                        list: j.other(),
                        certificate_type,
                    },
                )
            }
            RecognitionStatus::NotRecognised => {
                let mut reasons: Vec<String> = Vec::new();
                let mr: Vec<&str> = rec
                    .failed_conditions
                    .iter()
                    .map(|c| c.id.as_ref())
                    .filter(|id| id.starts_with("mr."))
                    .collect();
                let ids: Vec<&str> = if mr.is_empty() {
                    rec.failed_conditions
                        .iter()
                        .map(|c| c.id.as_ref())
                        .collect()
                } else {
                    mr
                };
                for id in ids {
                    let w = words::condition(id, j.other().code());
                    if !reasons.contains(&w) {
                        reasons.push(w);
                    }
                }
                // An anchor from a purpose list (e.g. CN-tax for e-invoice seals): trusted
                // for that purpose only, outside the HK/GD scheme; said first.
                if let Some(store) = s
                    .anchor_store
                    .as_deref()
                    .filter(|st| !matches!(*st, "hk" | "gd" | DIRECT_ANCHOR_STORE))
                {
                    reasons.insert(
                        0,
                        format!("its root is trusted only by the {store} purpose list, outside the HK/GD scheme"),
                    );
                }
                (Standing::NotConfirmed, Basis::NotRecognised { reasons })
            }
        },
    };
    SignerVerdict {
        index,
        name,
        standing,
        basis,
    }
}

/// Who signed, for people: the common name of the signer's certificate, else its subject,
/// else `signer N`.
pub fn signer_name(s: &SignerReport, index: usize) -> String {
    if let Some(cn) = s
        .path
        .last()
        .filter(|c| {
            s.signer
                .as_ref()
                .is_some_and(|id| id.sha256 == c.fingerprint())
        })
        .and_then(|c| c.subject.common_name())
    {
        return cn;
    }
    match &s.signer {
        Some(id) => common_name_of(&id.subject).unwrap_or_else(|| id.subject.clone()),
        None => format!("signer {index} (certificate not found)"),
    }
}

/// The last `CN=` value of an RFC 4514-style subject string.
fn common_name_of(subject: &str) -> Option<String> {
    let at = subject.rfind("CN=")?;
    let rest = subject.get(at + 3..)?;
    let end = rest.find(", ").unwrap_or(rest.len());
    rest.get(..end)
        .map(str::to_string)
        .filter(|s| !s.is_empty())
}

/// The time the signature is proven to have existed at, when something proves it (a
/// verified timestamp): the best-signature-time when a TSA proves it.
pub fn proven_time(s: &SignerReport) -> Option<String> {
    s.best_signature_time
        .as_ref()
        .filter(|b| b.proven_by.is_some())
        .map(|b| b.time.clone())
}

/// `valid as of <genTime>, proven by <TSA>` when a valid document's judgement rests on a
/// timestamp (the first signer whose best-signature-time a TSA proves).
pub fn valid_as_of(r: &crate::DocumentReport) -> Option<String> {
    if r.indication != crate::verdict::Indication::TotalPassed {
        return None;
    }
    r.signers
        .iter()
        .filter_map(|s| s.best_signature_time.as_ref())
        .find_map(|b| {
            b.proven_by
                .as_deref()
                .map(|tsa| format!("valid as of {}, proven by {tsa}", b.time))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_names_from_subject_strings() {
        assert_eq!(
            common_name_of("C=HK, O=Demo e-Cert (Personal), CN=CHAN Tai Man").as_deref(),
            Some("CHAN Tai Man")
        );
        assert_eq!(common_name_of("CN=A, O=B").as_deref(), Some("A"));
        assert_eq!(common_name_of("O=B"), None);
    }

    #[test]
    fn standings() {
        assert_eq!(Standing::of(Indication::TotalFailed).words(), "NOT VALID");
        assert_eq!(
            Standing::of(Indication::Indeterminate).words(),
            "NOT CONFIRMED"
        );
    }
}
