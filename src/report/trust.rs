//! The trust-list report (`sigbridge-trust-lists/1`): what `sigbridge trust list --format
//! json` prints — each jurisdiction's list, its anchors (bundled or expected) and its
//! mutual-recognition entries with their windows. Fingerprints are lower-case hex.

use crate::asn1::format_time;
use crate::trust::{Completeness, Jurisdiction, MrEntry, TrustList, TrustStores};
use serde::{Deserialize, Serialize};

/// The `format` of [`TrustListsReport`].
pub const TRUST_LISTS_FORMAT: &str = "sigbridge-trust-lists/1";

/// Both lists.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrustListsReport {
    /// [`TRUST_LISTS_FORMAT`].
    pub format: String,
    /// Hong Kong's, then Guangdong's.
    pub lists: Vec<TrustListReport>,
    /// Every file the lists were read from (`bundled` for the lists compiled in), then the
    /// certificate files that completed expected anchors.
    #[serde(default)]
    pub files_in_use: Vec<String>,
}

/// One list.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrustListReport {
    /// Whose list it is.
    pub jurisdiction: Jurisdiction,
    /// Who publishes the official list.
    pub operator: String,
    /// Where it was transcribed from.
    pub source: String,
    /// When it was transcribed.
    pub retrieved: String,
    /// Whether the transcription is complete.
    pub completeness: Completeness,
    /// The file the list came from, or `bundled`.
    pub origin: String,
    /// The jurisdiction's own trust anchors.
    pub anchors: Vec<AnchorReport>,
    /// The certificate types the other side recognises.
    pub mutual_recognition: Vec<MrEntryReport>,
}

/// One anchor of a list.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AnchorReport {
    /// Its name.
    pub name: String,
    /// SHA-256 of the certificate, lower-case hex.
    pub sha256: String,
    /// True when the certificate is present (bundled or added), false when the list only
    /// names it by fingerprint (add it with `sigbridge trust add FILE`).
    pub present: bool,
    /// Where the certificate came from: `bundled` (compiled in), `list` (a file named by a
    /// list read from disk), `added` (completed from a trust-stores folder's `certs/`) or
    /// `missing`.
    #[serde(default)]
    pub source: String,
    /// The file the certificate was read from (for `list` and `added`).
    #[serde(default)]
    pub file: Option<String>,
    /// Where the certificate can be downloaded (for expected anchors).
    #[serde(default)]
    pub download: Option<String>,
}

/// One mutual-recognition entry.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MrEntryReport {
    /// The certificate type as the scheme names it.
    pub certificate_type: String,
    /// The CA.
    pub ca: String,
    /// The policy OID arc the certificates carry (dotted).
    pub policy_oid_prefix: String,
    /// The exact policy OIDs accepted, when the list names them (dotted).
    #[serde(default)]
    pub policy_versions: Vec<String>,
    /// The subject attribute carrying the type name (`O`, `OU`, `CN` …).
    #[serde(default)]
    pub type_attribute: String,
    /// The issuing CAs.
    pub issuers: Vec<String>,
    /// The roots (name, lower-case hex SHA-256).
    pub roots: Vec<(String, String)>,
    /// Start of the recognition window, RFC 3339.
    pub window_from: String,
    /// End of the window (exclusive), RFC 3339; null = until further notice.
    pub window_until: Option<String>,
}

impl TrustListsReport {
    /// The report of both lists.
    pub fn of(stores: &TrustStores) -> TrustListsReport {
        TrustListsReport {
            format: TRUST_LISTS_FORMAT.to_owned(),
            lists: [&stores.hk, &stores.gd]
                .into_iter()
                .map(TrustListReport::of)
                .collect(),
            files_in_use: stores.files_in_use(),
        }
    }
}

impl TrustListReport {
    /// The report of one list.
    pub fn of(l: &TrustList) -> TrustListReport {
        TrustListReport {
            jurisdiction: l.jurisdiction,
            operator: l.operator.clone(),
            source: l.source.clone(),
            retrieved: l.retrieved.clone(),
            completeness: l.completeness,
            origin: l.origin.clone(),
            anchors: l
                .anchors
                .iter()
                .map(|a| {
                    let (source, file) = match (&a.certificate, &a.added_from) {
                        (None, _) => ("missing", None),
                        (Some(_), Some(p)) => ("added", Some(p.display().to_string())),
                        (Some(_), None) if l.origin == "bundled" => ("bundled", None),
                        (Some(_), None) => ("list", a.certificate_file.clone()),
                    };
                    AnchorReport {
                        name: a.name.clone(),
                        sha256: hex::encode(a.sha256),
                        present: a.certificate.is_some(),
                        source: source.to_string(),
                        file,
                        download: a.download.clone(),
                    }
                })
                .collect(),
            mutual_recognition: l.mutual_recognition.iter().map(MrEntryReport::of).collect(),
        }
    }
}

impl MrEntryReport {
    fn of(m: &MrEntry) -> MrEntryReport {
        MrEntryReport {
            certificate_type: m.certificate_type.clone(),
            ca: m.ca.clone(),
            policy_oid_prefix: m.policy_oid_prefix.to_string(),
            policy_versions: m.policy_versions.iter().map(|o| o.to_string()).collect(),
            type_attribute: m.type_attribute.clone(),
            issuers: m.issuers.iter().map(|i| i.name.clone()).collect(),
            roots: m
                .roots
                .iter()
                .map(|r| (r.name.clone(), hex::encode(r.sha256)))
                .collect(),
            window_from: format_time(m.window.from),
            window_until: m.window.until.map(format_time),
        }
    }
}

/// The `format` of [`TrustAddReport`].
pub const TRUST_ADD_FORMAT: &str = "sigbridge-trust-add/1";

/// What `sigbridge trust add --format json` prints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrustAddReport {
    /// [`TRUST_ADD_FORMAT`].
    pub format: String,
    /// The list holding the anchor.
    pub jurisdiction: Jurisdiction,
    /// The anchor's name.
    pub anchor: String,
    /// True when the anchor already had its certificate (nothing was written).
    pub already_present: bool,
    /// The certificate file written, or the one already in use.
    pub file: String,
}

impl TrustAddReport {
    /// The report of one `trust add`.
    pub fn new(
        jurisdiction: Jurisdiction,
        anchor: &str,
        already_present: bool,
        file: &str,
    ) -> Self {
        TrustAddReport {
            format: TRUST_ADD_FORMAT.to_owned(),
            jurisdiction,
            anchor: anchor.to_owned(),
            already_present,
            file: file.to_owned(),
        }
    }
}
