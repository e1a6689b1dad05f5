//! The compact document report (`sigbridge-summary/1`) for bulk use: per document its
//! indication and each jurisdiction's standing, per signer its certificate's fingerprint and
//! subject, its indication, where its anchor came from, its recognition status on each side
//! and its failed checks only.
//! It borrows from a [`DocumentReport`] (nothing is re-derived from message text); the full
//! report stays the default everywhere.

use super::document::{Container, DocumentReport, SignerReport};
use super::summary::{self, Standing};
use crate::recognition::RecognitionStatus;
use crate::trust::Jurisdiction;
use crate::verdict::{Check, Indication, Status, SubIndication};
use serde::Serialize;

/// The `format` of a [`CompactReport`].
pub const COMPACT_FORMAT: &str = "sigbridge-summary/1";

/// A document's verdict in brief.
#[derive(Clone, Debug, Serialize)]
pub struct CompactReport<'a> {
    /// [`COMPACT_FORMAT`].
    pub format: &'static str,
    /// What the document was.
    pub container: Container,
    /// The validation time, RFC 3339.
    pub validation_time: &'a str,
    /// The jurisdiction the indication is for (as in the full report).
    pub relying_party: Option<Jurisdiction>,
    /// Worst of the signers' indications.
    pub indication: Indication,
    /// Sub-indication of the worst signer.
    pub sub_indication: Option<SubIndication>,
    /// Hong Kong's standing: valid, not_valid or not_confirmed (the worst of its signers').
    pub hk: Standing,
    /// Guangdong's standing.
    pub gd: Standing,
    /// One per signer, in the full report's order.
    pub signers: Vec<CompactSigner<'a>>,
}

/// One signer in brief.
#[derive(Clone, Debug, Serialize)]
pub struct CompactSigner<'a> {
    /// The signer's indication.
    pub indication: Indication,
    /// Its sub-indication.
    pub sub_indication: Option<SubIndication>,
    /// SHA-256 of the signer's certificate, lower-case hex (null when none was found).
    pub sha256: Option<&'a str>,
    /// The certificate's subject DN.
    pub subject: Option<&'a str>,
    /// Where the path's anchor came from: `HK`, `GD`, a purpose list, or `command-line`
    /// (an anchor the caller gave, which makes both sides read "domestic").
    pub anchor_store: Option<&'a str>,
    /// Recognition status on each side (null when the signer was not judged).
    pub recognition: Option<CompactRecognition>,
    /// The failed checks, as in the full report; passed, warning and skipped ones left out.
    pub failed: Vec<&'a Check>,
}

/// Recognition status per jurisdiction.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct CompactRecognition {
    /// As a Hong Kong relying party sees it.
    pub hk: RecognitionStatus,
    /// As a Guangdong relying party sees it.
    pub gd: RecognitionStatus,
}

impl<'a> CompactReport<'a> {
    /// The compact form of `report`.
    pub fn of(report: &'a DocumentReport) -> CompactReport<'a> {
        let standing = |j: Jurisdiction| {
            let signers = report
                .signers
                .iter()
                .enumerate()
                .map(|(i, s)| summary::signer_verdict(s, i + 1, j))
                .collect();
            summary::JurisdictionVerdict {
                jurisdiction: j,
                relying_party: report.relying_party == Some(j),
                signers,
            }
            .standing()
        };
        CompactReport {
            format: COMPACT_FORMAT,
            container: report.container,
            validation_time: &report.validation_time,
            relying_party: report.relying_party,
            indication: report.indication,
            sub_indication: report.sub_indication,
            hk: standing(Jurisdiction::Hk),
            gd: standing(Jurisdiction::Gd),
            signers: report.signers.iter().map(CompactSigner::of).collect(),
        }
    }
}

impl<'a> CompactSigner<'a> {
    fn of(s: &'a SignerReport) -> CompactSigner<'a> {
        CompactSigner {
            indication: s.indication,
            sub_indication: s.sub_indication,
            sha256: s.signer.as_ref().map(|i| i.sha256.as_str()),
            subject: s.signer.as_ref().map(|i| i.subject.as_str()),
            anchor_store: s.anchor_store.as_deref(),
            recognition: s.recognition.as_ref().map(|r| CompactRecognition {
                hk: r.hk.status,
                gd: r.gd.status,
            }),
            failed: s
                .checks
                .iter()
                .filter(|c| c.status == Status::Failed)
                .collect(),
        }
    }
}
