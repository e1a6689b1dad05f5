//! Recognition: whether a validated path is recognised by a relying party (HK or GD) —
//! `domestic` (the anchor is in the relying party's own trust list, or was given on the
//! command line), `mutual` (every condition of one of the other side's mutual-recognition
//! entries holds: root, issuing CA, type name, policy OID, window) or `not_recognised`, with
//! every condition that failed in words an officer understands.
//!
//! This module owns that decision only; validating the path is [`crate::validate`]'s job and
//! the lists come from [`crate::trust`].

use crate::asn1::oid::known;
use crate::asn1::{format_time, Oid, UnixTime};
use crate::trust::{format_sha256, Jurisdiction, MrEntry, TrustStores};
use crate::x509::Certificate;
use std::borrow::Cow;
use std::sync::Arc;

mod missing;
pub use missing::missing_anchor;

/// The store tag of anchors given directly (`--anchor`), domestic for either jurisdiction.
pub const DIRECT_ANCHOR_STORE: &str = "command-line";

/// The `matched_entry` of a signer recognised only through an anchor given directly.
pub const DIRECT_ANCHOR_ENTRY: &str = "command line: --anchor";

/// The answer for one relying party.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecognitionStatus {
    /// The path ends at one of the relying party's own anchors.
    Domestic,
    /// The certificate meets every condition of one of the other side's MR entries.
    Mutual,
    /// Neither.
    NotRecognised,
}

/// A condition that did not hold.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Condition {
    /// Stable id: `domestic.anchor`, `mr.root`, `mr.issuer`, `mr.type-name`, `mr.policy`,
    /// `mr.window`.
    pub id: Cow<'static, str>,
    /// What failed, in plain words.
    pub message: String,
}

/// Recognition of one path by one relying party.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Recognition {
    /// Who relies on the certificate.
    pub relying_party: Jurisdiction,
    /// The answer.
    pub status: RecognitionStatus,
    /// What made it recognised: `"HK: anchor Hongkong Post Root CA 3"`,
    /// `"command line: --anchor"` or, for mutual recognition, `"<jur>: <certificate_type>"`.
    pub matched_entry: Option<String>,
    /// When not recognised: every failed condition (the domestic one, then those of the
    /// closest mutual-recognition entry).
    pub failed_conditions: Vec<Condition>,
}

/// Condition ids.
pub mod ids {
    /// The anchor is not one of the relying party's own.
    pub const DOMESTIC_ANCHOR: &str = "domestic.anchor";
    /// The path does not end at a root of the MR entry.
    pub const MR_ROOT: &str = "mr.root";
    /// The issuing CA is not one the MR entry names.
    pub const MR_ISSUER: &str = "mr.issuer";
    /// The certificate does not carry the type name.
    pub const MR_TYPE_NAME: &str = "mr.type-name";
    /// The certificate does not carry the MR policy OID.
    pub const MR_POLICY: &str = "mr.policy";
    /// The time is outside the MR window.
    pub const MR_WINDOW: &str = "mr.window";
}

/// Decides recognition for `relying`.
///
/// `path` is anchor first, target last (as `validate::Outcome::path`);
/// `extra_domestic_anchors` are the SHA-256 of anchors given on the command line (domestic
/// for either side); `time` is the best signature time (the MR window is checked at it);
/// `user_constrained_policy_set` is the validated path's set (empty = not known, not
/// checked; otherwise it must admit the MR policy); `certificate_policies_of_target`
/// overrides the target's own certificatePolicies when given.
pub fn recognise(
    relying: Jurisdiction,
    path: &[Arc<Certificate>],
    extra_domestic_anchors: &[[u8; 32]],
    stores: &TrustStores,
    time: UnixTime,
    user_constrained_policy_set: &[Oid],
    certificate_policies_of_target: Option<&[Oid]>,
) -> Recognition {
    let (Some(anchor), Some(target)) = (path.first(), path.last()) else {
        return Recognition {
            relying_party: relying,
            status: RecognitionStatus::NotRecognised,
            matched_entry: None,
            failed_conditions: vec![Condition {
                id: Cow::Borrowed(ids::DOMESTIC_ANCHOR),
                message: "there is no certification path to judge".to_string(),
            }],
        };
    };

    let own = stores.list(relying);
    if let Some(entry) = own.anchor_by_sha256(&anchor.sha256) {
        return Recognition {
            relying_party: relying,
            status: RecognitionStatus::Domestic,
            matched_entry: Some(format!("{relying}: anchor {}", entry.name)),
            failed_conditions: Vec::new(),
        };
    }
    if extra_domestic_anchors.contains(&anchor.sha256) {
        return Recognition {
            relying_party: relying,
            status: RecognitionStatus::Domestic,
            matched_entry: Some(DIRECT_ANCHOR_ENTRY.to_string()),
            failed_conditions: Vec::new(),
        };
    }

    let mut failed = vec![Condition {
        id: Cow::Borrowed(ids::DOMESTIC_ANCHOR),
        message: format!(
            "the certificate chains to \"{}\" (SHA-256 {}), which is not a trust anchor of the {relying} list",
            anchor.label(),
            format_sha256(&anchor.sha256)
        ),
    }];

    let other = stores.list(relying.other());
    // The issuing CA: the certificate before the target; a path of one certificate is a
    // self-issued target that is its own issuer.
    let issuing = path
        .len()
        .checked_sub(2)
        .and_then(|i| path.get(i))
        .unwrap_or(anchor);
    let ctx = Inputs {
        anchor,
        issuing,
        target,
        time,
        ucps: user_constrained_policy_set,
        policies: certificate_policies_of_target
            .or(target.extensions.certificate_policies.as_deref())
            .unwrap_or(&[]),
    };

    // Every entry is judged without words first; only the closest entry's failures are
    // reported, so only its messages are written (a second pass over that one entry).
    let mut best: Option<(&MrEntry, (bool, bool, usize))> = None;
    for entry in &other.mutual_recognition {
        let fails = check_entry(entry, &ctx, false);
        if fails.is_empty() {
            return Recognition {
                relying_party: relying,
                status: RecognitionStatus::Mutual,
                matched_entry: Some(format!(
                    "{}: {}",
                    other.jurisdiction, entry.certificate_type
                )),
                failed_conditions: Vec::new(),
            };
        }
        // The closest entry: the one whose root and issuer match (the certificate belongs to
        // it), then the fewest failures; ties keep the list order.
        let rank = (
            fails.iter().any(|c| c.id == ids::MR_ROOT),
            fails.iter().any(|c| c.id == ids::MR_ISSUER),
            fails.len(),
        );
        if best.as_ref().is_none_or(|(_, b)| rank < *b) {
            best = Some((entry, rank));
        }
    }
    let best = best.map(|(entry, _)| (entry, check_entry(entry, &ctx, true)));
    match best {
        Some((entry, fails)) => {
            let prefix = format!(
                "mutual recognition as \"{}\" ({} list): ",
                entry.certificate_type, other.jurisdiction
            );
            failed.extend(fails.into_iter().map(|c| Condition {
                id: c.id,
                message: format!("{prefix}{}", c.message),
            }));
        }
        None => failed.push(Condition {
            id: Cow::Borrowed(ids::MR_ROOT),
            message: format!(
                "the {} list has no mutual-recognition entries{}, so no certificate of its CAs is recognised in {relying}",
                other.jurisdiction,
                match other.completeness {
                    crate::trust::Completeness::Partial => " (the list is a partial transcription)",
                    crate::trust::Completeness::Official => "",
                }
            ),
        }),
    }
    Recognition {
        relying_party: relying,
        status: RecognitionStatus::NotRecognised,
        matched_entry: None,
        failed_conditions: failed,
    }
}

struct Inputs<'a> {
    anchor: &'a Certificate,
    issuing: &'a Certificate,
    target: &'a Certificate,
    time: UnixTime,
    ucps: &'a [Oid],
    policies: &'a [Oid],
}

/// Comparison form of names and type names: whitespace folded, case folded.
fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether two names or type names are equal with whitespace folded (runs of it are one
/// space, none at the ends) and case folded; allocates nothing.
fn same_folded(a: &str, b: &str) -> bool {
    let (mut x, mut y) = (a.split_whitespace(), b.split_whitespace());
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(u), Some(v)) => {
                if u != v
                    && !u
                        .chars()
                        .flat_map(char::to_lowercase)
                        .eq(v.chars().flat_map(char::to_lowercase))
                {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Failed conditions of one entry; with `render` off, the messages are left empty (used to
/// rank entries before writing the words of the one reported).
struct Fails {
    render: bool,
    list: Vec<Condition>,
}

impl Fails {
    fn push(&mut self, id: &'static str, message: impl FnOnce() -> String) {
        let message = if self.render {
            message()
        } else {
            String::new()
        };
        self.list.push(Condition {
            id: Cow::Borrowed(id),
            message,
        });
    }
}

/// What an entry asks of the certificate's policies, in words.
fn wanted_policy(entry: &MrEntry) -> String {
    if entry.policy_versions.is_empty() {
        format!("a policy OID under {}", entry.policy_oid_prefix)
    } else {
        format!(
            "one of the policy OIDs {}",
            entry
                .policy_versions
                .iter()
                .map(|o| o.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn check_entry(entry: &MrEntry, cx: &Inputs<'_>, render: bool) -> Vec<Condition> {
    let mut fails = Fails {
        render,
        list: Vec::new(),
    };

    if !entry.roots.iter().any(|r| r.sha256 == cx.anchor.sha256) {
        fails.push(ids::MR_ROOT, || {
            let names: Vec<&str> = entry.roots.iter().map(|r| r.name.as_str()).collect();
            format!(
                "the certificate must chain to {}, but it chains to \"{}\"",
                quote_list(&names),
                cx.anchor.label()
            )
        });
    }

    let issuer_cn = cx.issuing.subject.common_name();
    let issuer_ok = entry
        .issuers
        .iter()
        .any(|i| match (&i.sha256, &i.common_name) {
            (Some(sha), _) => *sha == cx.issuing.sha256,
            (None, Some(cn)) => issuer_cn
                .as_deref()
                .is_some_and(|have| same_folded(have, cn)),
            (None, None) => false,
        });
    if !issuer_ok {
        fails.push(ids::MR_ISSUER, || {
            let names: Vec<&str> = entry.issuers.iter().map(|i| i.name.as_str()).collect();
            format!(
                "the certificate must be issued by {}, but its issuing CA is \"{}\"",
                quote_list(&names),
                cx.issuing.label()
            )
        });
    }

    let values: Vec<String> = cx
        .target
        .subject
        .values_of(&entry.type_attribute_oid)
        .filter_map(|a| a.text())
        .collect();
    if !values
        .iter()
        .any(|v| same_folded(v, &entry.certificate_type))
    {
        fails.push(ids::MR_TYPE_NAME, || {
            let found = if values.is_empty() {
                format!("it has no {} attribute", entry.type_attribute)
            } else {
                format!(
                    "its {} is {}",
                    entry.type_attribute,
                    quote_list(&values.iter().map(String::as_str).collect::<Vec<_>>())
                )
            };
            format!(
                "the certificate type \"{}\" must appear in the subject {} attribute, but {found}",
                entry.certificate_type, entry.type_attribute
            )
        });
    }

    let accepts = |p: &Oid| {
        if entry.policy_versions.is_empty() {
            p.starts_with(&entry.policy_oid_prefix)
        } else {
            entry.policy_versions.contains(p)
        }
    };
    if !cx.policies.iter().any(accepts) {
        fails.push(ids::MR_POLICY, || {
            let have = if cx.policies.is_empty() {
                "it names no certificate policy".to_string()
            } else {
                format!(
                    "its policies are {}",
                    cx.policies
                        .iter()
                        .map(|o| o.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            format!(
                "the certificate must carry {} (the Hong Kong–Guangdong mutual-recognition policy), but {have}",
                wanted_policy(entry)
            )
        });
    } else if !cx.ucps.is_empty()
        && !cx
            .ucps
            .iter()
            .any(|p| *p == known::ANY_POLICY || accepts(p))
    {
        fails.push(ids::MR_POLICY, || {
            format!(
                "the certificate carries {}, but the CAs above it do not (the policy is not valid for the path)",
                wanted_policy(entry)
            )
        });
    }

    if !entry.window.contains(cx.time) {
        fails.push(ids::MR_WINDOW, || {
            let until = entry
                .window
                .until
                .map(format_time)
                .unwrap_or_else(|| "further notice".to_string());
            format!(
                "mutual recognition applies from {} until {until}, but the signature time is {}",
                format_time(entry.window.from),
                format_time(cx.time)
            )
        });
    }
    fails.list
}

fn quote_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    match quoted.as_slice() {
        [] => "(none)".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_words() {
        assert_eq!(quote_list(&[]), "(none)");
        assert_eq!(quote_list(&["A"]), "\"A\"");
        assert_eq!(quote_list(&["A", "B", "C"]), "\"A\", \"B\" or \"C\"");
    }

    #[test]
    fn names_fold_space_and_case() {
        assert!(same_folded(
            "  Hongkong Post e-Cert  CA 2 - 15 ",
            "hongkong post E-CERT ca 2 - 15"
        ));
        assert!(!same_folded("CA 2 - 15", "CA 2 - 17"));
        // Word boundaries count; a missing or extra word is a difference.
        assert!(!same_folded("ab c", "a bc"));
        assert!(!same_folded("CA 2", "CA 2 - 15"));
        assert!(!same_folded("CA 2 - 15", "CA 2"));
        assert!(same_folded("", "   "));
        assert_eq!(
            fold("  Hongkong Post e-Cert  CA 2 - 15 "),
            fold("hongkong post E-CERT ca 2 - 15")
        );
    }

    #[test]
    fn status_serialises_snake_case() {
        assert_eq!(
            serde_json::to_string(&RecognitionStatus::NotRecognised)
                .ok()
                .as_deref(),
            Some("\"not_recognised\"")
        );
        assert_eq!(
            serde_json::to_string(&RecognitionStatus::Domestic)
                .ok()
                .as_deref(),
            Some("\"domestic\"")
        );
    }

    #[test]
    fn empty_path_is_not_recognised() {
        let stores = TrustStores::bundled().expect("bundled");
        let r = recognise(Jurisdiction::Hk, &[], &[], &stores, 0, &[], None);
        assert_eq!(r.status, RecognitionStatus::NotRecognised);
        assert_eq!(r.failed_conditions.len(), 1);
    }
}
