//! The anchor a document would need: when a signer's chain stops below a root that a trust
//! list names by fingerprint but whose certificate is not installed (Hongkong Post Root CA 2,
//! the mutual-recognition root, is not bundled), say which root, where to download it and how
//! to add it — instead of a bare "no chain".

use super::fold;
use crate::trust::{format_sha256, AnchorEntry, Jurisdiction, TrustStores};
use crate::verdict::{Check, Rule, Status};
use crate::x509::Certificate;
use std::sync::Arc;

/// A warning [`Rule::AnchorMissing`] check when one of `certs` (the signer's certificate and
/// the chain tried for it) was issued by an expected anchor that has no certificate, or
/// comes from an issuing CA of a mutual-recognition entry whose root has none; `None`
/// otherwise.
pub fn missing_anchor(certs: &[Arc<Certificate>], stores: &TrustStores) -> Option<Check> {
    let issuer_cns: Vec<String> = certs
        .iter()
        .filter_map(|c| c.issuer.common_name())
        .map(|n| fold(&n))
        .collect();
    let names: Vec<String> = certs
        .iter()
        .flat_map(|c| [c.subject.common_name(), c.issuer.common_name()])
        .flatten()
        .map(|n| fold(&n))
        .collect();
    for list in [&stores.hk, &stores.gd] {
        let missing = |a: &&AnchorEntry| a.certificate.is_none();
        if let Some(a) = list
            .anchors
            .iter()
            .filter(missing)
            .find(|a| issuer_cns.contains(&fold(&a.name)))
        {
            let mr_type = list
                .mutual_recognition
                .iter()
                .find(|e| e.roots.iter().any(|r| r.sha256 == a.sha256))
                .map(|e| e.certificate_type.as_str());
            return Some(check(list.jurisdiction, a, mr_type));
        }
        for entry in &list.mutual_recognition {
            let from_issuer = entry.issuers.iter().any(|i| {
                i.common_name
                    .as_deref()
                    .is_some_and(|cn| names.contains(&fold(cn)))
            });
            if !from_issuer {
                continue;
            }
            let root = entry.roots.iter().find_map(|r| {
                list.anchors
                    .iter()
                    .filter(missing)
                    .find(|a| a.sha256 == r.sha256)
            });
            if let Some(a) = root {
                return Some(check(list.jurisdiction, a, Some(&entry.certificate_type)));
            }
        }
    }
    None
}

fn check(jur: Jurisdiction, anchor: &AnchorEntry, mr_type: Option<&str>) -> Check {
    let why = match mr_type {
        Some(t) => format!(
            "; it is the root of \"{t}\", which {} recognises under mutual recognition",
            jur.other()
        ),
        None => String::new(),
    };
    let from = anchor
        .download
        .as_deref()
        .map(|d| format!(" from {d}"))
        .unwrap_or_default();
    Check::new(
        Rule::AnchorMissing,
        Status::Warning,
        format!(
            "the chain leads to \"{}\" (SHA-256 {}), a root the {jur} list expects but whose certificate is not installed{why}. Download it{from} and add it with `sigbridge trust add FILE`; then verify again",
            anchor.name,
            format_sha256(&anchor.sha256)
        ),
    )
}
