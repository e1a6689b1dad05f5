//! Purpose lists: trust anchors for one purpose outside the Hong Kong / Guangdong
//! mutual-recognition scheme, e.g. the State Taxation Administration's root for VAT
//! e-invoice seals (`CN-tax`). Same file format as the jurisdictions' lists
//! (`sigbridge-trust-list/1`), tagged with `purpose` instead of `jurisdiction`, and without
//! mutual-recognition entries.
//!
//! A path that ends at a purpose list's anchor is valid for that purpose; its anchor store is
//! the purpose tag, and Hong Kong and Guangdong recognition still judge it by their own lists
//! (so an e-invoice is TOTAL_PASSED under the tax root and `not_recognised` on both sides).
//! No purpose list is bundled: the real roots' provenance has not been verified here.

use super::{load, AnchorEntry, Completeness, TrustError};
use crate::input;
use crate::limits::Limits;
use crate::x509::Certificate;
use std::path::Path;
use std::sync::Arc;

/// The trust anchors of one purpose.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PurposeList {
    /// The purpose tag, e.g. `CN-tax`: also the anchor store tag in reports.
    pub purpose: String,
    /// Who publishes the roots.
    pub operator: String,
    /// Where they were transcribed from.
    pub source: String,
    /// When (as written).
    pub retrieved: String,
    /// Whether the transcription is complete.
    pub completeness: Completeness,
    /// The anchors.
    pub anchors: Vec<AnchorEntry>,
    /// The file the list came from.
    pub origin: String,
}

impl PurposeList {
    /// Reads a purpose list file; certificate paths are relative to its folder.
    pub fn load(path: &Path, limits: &Limits) -> Result<PurposeList, TrustError> {
        let bytes = input::read_file(path, limits)?;
        let file = path.display().to_string();
        let text = String::from_utf8(bytes).map_err(|_| TrustError::Json {
            file: file.clone(),
            detail: "not UTF-8 text".to_string(),
        })?;
        let folder = path.parent().unwrap_or_else(|| Path::new("."));
        let read = |rel: &str| -> Result<Vec<u8>, String> {
            input::read_file(&folder.join(rel), limits).map_err(|e| e.to_string())
        };
        load::parse_purpose_list(&text, &file, &read, limits)
    }

    /// Parses a purpose list given as text; certificate files are not read (an anchor that
    /// names one is an error), as for [`super::TrustList::from_json`].
    pub fn from_json(text: &str, file: &str, limits: &Limits) -> Result<PurposeList, TrustError> {
        let no_files = |name: &str| -> Result<Vec<u8>, String> {
            Err(format!(
                "{name}: certificate files are not read when a list is given as text"
            ))
        };
        load::parse_purpose_list(text, file, &no_files, limits)
    }

    /// The anchors whose certificate is loaded.
    pub fn certificates(&self) -> impl Iterator<Item = &Arc<Certificate>> {
        self.anchors.iter().filter_map(|a| a.certificate.as_ref())
    }
}

/// `CC-purpose`: two upper-case letters (the country or region), a hyphen, then 1–30
/// lower-case ASCII letters, digits or hyphens. The form keeps purpose tags apart from the
/// store tags `hk`, `gd` and `command-line`.
pub fn is_purpose_tag(tag: &str) -> bool {
    let b = tag.as_bytes();
    match (b.first(), b.get(1), b.get(2), b.get(3..)) {
        (Some(c1), Some(c2), Some(b'-'), Some(rest)) => {
            c1.is_ascii_uppercase()
                && c2.is_ascii_uppercase()
                && (1..=30).contains(&rest.len())
                && rest
                    .iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = r#"{
        "format": "sigbridge-trust-list/1", "purpose": "CN-tax",
        "operator": "demo", "source": "test", "retrieved": "2026-12-01", "completeness": "partial",
        "anchors": [ { "name": "Demo Tax Root", "certificate": null,
                       "sha256": "00000000000000000000000000000000000000000000000000000000000000aa" } ]
    }"#;

    #[test]
    fn a_purpose_list_parses_and_is_refused_where_it_is_not_one() {
        let l = PurposeList::from_json(LIST, "t.json", &Limits::default()).unwrap();
        assert_eq!(l.purpose, "CN-tax");
        assert_eq!(l.anchors.len(), 1);
        assert_eq!(l.certificates().count(), 0);
        let err = |text: String| {
            PurposeList::from_json(&text, "t.json", &Limits::default())
                .unwrap_err()
                .to_string()
        };
        assert!(err(LIST.replace("CN-tax", "gd")).contains("t.json: purpose"));
        assert!(err(LIST.replace("\"purpose\"", "\"jurisdiction\"")).contains("jurisdiction"));
        assert!(err(LIST.replace(
            "\"completeness\"",
            "\"mutual_recognition\": [{}], \"completeness\""
        ))
        .contains("mutual_recognition"));
        let empty = LIST.replace(
            &LIST[LIST.find("[ {").unwrap()..=LIST.rfind(']').unwrap()],
            "[]",
        );
        assert!(err(empty).contains("anchors"));
        // A jurisdiction's list with a purpose is refused too.
        let jur = LIST.replace(
            "\"purpose\": \"CN-tax\"",
            "\"jurisdiction\": \"GD\", \"purpose\": \"CN-tax\"",
        );
        let e = super::super::TrustList::from_json(
            &jur,
            "gd.json",
            super::super::Jurisdiction::Gd,
            &Limits::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("purpose"), "{e}");
    }

    #[test]
    fn purpose_tags() {
        for ok in ["CN-tax", "HK-customs", "CN-e-invoice-2"] {
            assert!(is_purpose_tag(ok), "{ok}");
        }
        for no in [
            "hk",
            "gd",
            "command-line",
            "CN-",
            "cn-tax",
            "CN-Tax",
            "CNtax",
            "C-tax",
            "",
        ] {
            assert!(!is_purpose_tag(no), "{no}");
        }
        assert!(!is_purpose_tag(&format!("CN-{}", "a".repeat(31))));
    }
}
