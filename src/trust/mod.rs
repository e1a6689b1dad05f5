//! Trust: the Hong Kong and Guangdong trust lists (format `sigbridge-trust-list/1`), and
//! purpose lists in the same format for trust outside the mutual-recognition scheme
//! ([`PurposeList`], e.g. `CN-tax` for e-invoice seals).
//!
//! This module owns the trust-list model ([`TrustList`], its anchors and its
//! mutual-recognition entries), loading and validating the JSON files (with errors that name
//! the file and the field), the lists bundled into the binary from `trust-stores/`, and
//! `sigbridge trust add` ([`TrustStores::add_anchor_file`]), which completes an expected anchor
//! by fingerprint, and the layering of a (per-user) trust-stores folder over the bundled lists
//! ([`TrustStores::load_layered`], [`default_location`]). Deciding whether a path is recognised is [`crate::recognition`]'s job.

mod add;
mod layered;
mod load;
mod purpose;

pub use add::AddOutcome;
pub use layered::{default_location, LocationSource, StoreLocation, ENV_TRUST_STORES};
pub use purpose::{is_purpose_tag, PurposeList};

use crate::asn1::{Oid, UnixTime};
use crate::limits::Limits;
use crate::x509::Certificate;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The value of the `format` field every trust list carries.
pub const FORMAT: &str = "sigbridge-trust-list/1";

/// A jurisdiction of the mutual-recognition scheme.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Jurisdiction {
    /// Hong Kong SAR.
    #[serde(rename = "HK")]
    Hk,
    /// Guangdong Province.
    #[serde(rename = "GD")]
    Gd,
}

impl Jurisdiction {
    /// The other side of the boundary.
    pub fn other(self) -> Jurisdiction {
        match self {
            Jurisdiction::Hk => Jurisdiction::Gd,
            Jurisdiction::Gd => Jurisdiction::Hk,
        }
    }

    /// The folder name inside a trust-stores directory (`hk`, `gd`).
    pub fn folder(self) -> &'static str {
        match self {
            Jurisdiction::Hk => "hk",
            Jurisdiction::Gd => "gd",
        }
    }

    /// The code used in trust lists and reports (`HK`, `GD`).
    pub fn code(self) -> &'static str {
        match self {
            Jurisdiction::Hk => "HK",
            Jurisdiction::Gd => "GD",
        }
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Whether a list is a full transcription of the official list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Completeness {
    /// The official list, transcribed in full.
    Official,
    /// Only part of the official list (the CLI says so in its output).
    Partial,
}

/// One trust anchor of a jurisdiction (domestic trust).
#[derive(Clone, Debug)]
pub struct AnchorEntry {
    /// Display name, e.g. "Hongkong Post Root CA 2".
    pub name: String,
    /// SHA-256 of the certificate's DER.
    pub sha256: [u8; 32],
    /// The certificate file as written in the list (relative to the list's folder).
    pub certificate_file: Option<String>,
    /// The certificate; `None` for an expected anchor whose file is not bundled.
    pub certificate: Option<Arc<Certificate>>,
    /// Where the certificate can be downloaded (the list's optional `download` field), for
    /// an expected anchor.
    pub download: Option<String>,
    /// The file that completed an expected anchor from a trust-stores folder's `certs/`
    /// (`sigbridge trust add`), when that is where the certificate came from.
    pub added_from: Option<PathBuf>,
}

/// A root named by a mutual-recognition entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MrRoot {
    /// Display name.
    pub name: String,
    /// SHA-256 of the root certificate (an anchor of the same list).
    pub sha256: [u8; 32],
}

/// An issuing CA named by a mutual-recognition entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MrIssuer {
    /// Display name.
    pub name: String,
    /// The issuing CA certificate's subject commonName (matched when `sha256` is absent).
    pub common_name: Option<String>,
    /// SHA-256 of the issuing CA certificate (matched when present).
    pub sha256: Option<[u8; 32]>,
}

/// The period in which certificates of an entry have mutual-recognition status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MrWindow {
    /// Start (inclusive).
    pub from: UnixTime,
    /// End (exclusive); `None` = until further notice.
    pub until: Option<UnixTime>,
}

impl MrWindow {
    /// True when `from <= t < until`.
    pub fn contains(&self, t: UnixTime) -> bool {
        self.from <= t && self.until.is_none_or(|u| t < u)
    }
}

/// A certificate type of this jurisdiction that the other side recognises, with every
/// condition a certificate must meet to have mutual-recognition status.
#[derive(Clone, Debug)]
pub struct MrEntry {
    /// The certification authority, e.g. "Postmaster General (Hongkong Post)".
    pub ca: String,
    /// The certificate type name, e.g. "Hongkong Post e-Cert (Personal)".
    pub certificate_type: String,
    /// The subject attribute carrying the type name: "O", "OU", "CN", … or a dotted OID.
    pub type_attribute: String,
    /// `type_attribute` resolved to its attribute type OID.
    pub type_attribute_oid: Oid,
    /// The roots the path must end at.
    pub roots: Vec<MrRoot>,
    /// The issuing CAs the end-entity certificate must come from.
    pub issuers: Vec<MrIssuer>,
    /// The mutual-recognition certificate policy arc.
    pub policy_oid_prefix: Oid,
    /// When non-empty, the exact policy OIDs accepted (instead of the prefix).
    pub policy_versions: Vec<Oid>,
    /// When the status applies.
    pub window: MrWindow,
    /// Where the entry was transcribed from.
    pub source: String,
}

/// One jurisdiction's trust list.
#[derive(Clone, Debug)]
pub struct TrustList {
    /// Whose list this is.
    pub jurisdiction: Jurisdiction,
    /// Who publishes the official list.
    pub operator: String,
    /// Where it was transcribed from.
    pub source: String,
    /// When it was transcribed (as written).
    pub retrieved: String,
    /// Whether the transcription is complete.
    pub completeness: Completeness,
    /// The jurisdiction's own trust anchors.
    pub anchors: Vec<AnchorEntry>,
    /// The jurisdiction's certificate types the other side recognises.
    pub mutual_recognition: Vec<MrEntry>,
    /// The file the list came from, or "bundled".
    pub origin: String,
}

impl TrustList {
    /// Parses and validates one list's JSON text, as [`TrustStores::load_dir`] does for each
    /// file, except that certificate files are not read: an anchor that names a file is
    /// reported as unreadable. `file` names the source in errors. (The entry point for
    /// checking a list received as text, and for fuzzing the list parser.)
    pub fn from_json(
        text: &str,
        file: &str,
        expected: Jurisdiction,
        limits: &Limits,
    ) -> Result<TrustList, TrustError> {
        let no_files = |name: &str| -> Result<Vec<u8>, String> {
            Err(format!(
                "{name}: certificate files are not read when a list is given as text"
            ))
        };
        load::parse_list(text, file, expected, &no_files, limits)
    }

    /// The anchor entry with this fingerprint.
    pub fn anchor_by_sha256(&self, sha256: &[u8; 32]) -> Option<&AnchorEntry> {
        self.anchors.iter().find(|a| &a.sha256 == sha256)
    }
}

/// Both jurisdictions' lists.
#[derive(Clone, Debug)]
pub struct TrustStores {
    /// Hong Kong.
    pub hk: TrustList,
    /// Guangdong.
    pub gd: TrustList,
}

/// Why a trust list could not be loaded or updated. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// A file could not be read.
    #[error("{0}")]
    Input(#[from] crate::input::InputError),
    /// A certificate file could not be read or parsed.
    #[error("{0}")]
    Load(#[from] crate::x509::LoadError),
    /// A file could not be written.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The list is not valid JSON.
    #[error("{file}: not valid JSON: {detail}")]
    Json {
        /// The list file.
        file: String,
        /// The parser's description.
        detail: String,
    },
    /// A field is missing or wrong.
    #[error("{file}: {field}: {detail}")]
    Field {
        /// The list file.
        file: String,
        /// The field, e.g. `anchors[0].sha256`.
        field: String,
        /// What is wrong.
        detail: String,
    },
    /// `trust add`: the certificate file holds no or several certificates.
    #[error("{file}: expected exactly one certificate, found {count}")]
    NotOneCertificate {
        /// The certificate file.
        file: String,
        /// How many were found.
        count: usize,
    },
    /// `trust add`: no expected anchor has the certificate's fingerprint.
    #[error("{file}: SHA-256 {fingerprint} matches no anchor of the trust lists; the expected (not yet bundled) anchors are: {expected}")]
    NotExpected {
        /// The certificate file.
        file: String,
        /// Its SHA-256 (hex).
        fingerprint: String,
        /// "JUR name sha256" of every anchor whose certificate is missing, or "none".
        expected: String,
    },
    /// `trust add`: the anchor with this fingerprint already has its certificate.
    #[error("{file}: {jurisdiction} anchor \"{name}\" already has its certificate ({existing})")]
    AlreadyPresent {
        /// The certificate file.
        file: String,
        /// The list holding the anchor.
        jurisdiction: Jurisdiction,
        /// The anchor's name.
        name: String,
        /// The certificate file already named by the list.
        existing: String,
    },
}

const BUNDLED_HK: &str = include_str!("../../trust-stores/hk/trust-list.json");
const BUNDLED_GD: &str = include_str!("../../trust-stores/gd/trust-list.json");

/// The certificate files bundled with the lists: (jurisdiction, path as written in the list, bytes).
const BUNDLED_CERTS: &[(Jurisdiction, &str, &[u8])] = &[
    (
        Jurisdiction::Hk,
        "certs/hongkong-post-root-ca-1.pem",
        include_bytes!("../../trust-stores/hk/certs/hongkong-post-root-ca-1.pem"),
    ),
    (
        Jurisdiction::Hk,
        "certs/hongkong-post-root-ca-3.pem",
        include_bytes!("../../trust-stores/hk/certs/hongkong-post-root-ca-3.pem"),
    ),
    (
        Jurisdiction::Gd,
        "certs/gdca-trustauth-r5-root.pem",
        include_bytes!("../../trust-stores/gd/certs/gdca-trustauth-r5-root.pem"),
    ),
];

impl TrustStores {
    /// The lists compiled into the binary from `trust-stores/` (so `cargo install` works
    /// anywhere). Their `origin` is "bundled".
    pub fn bundled() -> Result<TrustStores, TrustError> {
        let limits = Limits::default();
        let list = |jur: Jurisdiction, text: &str| {
            let file = format!("trust-stores/{}/trust-list.json", jur.folder());
            let read = |rel: &str| -> Result<Vec<u8>, String> {
                BUNDLED_CERTS
                    .iter()
                    .find(|(j, p, _)| *j == jur && *p == rel)
                    .map(|(_, _, b)| b.to_vec())
                    .ok_or_else(|| format!("{rel} is not among the bundled certificate files"))
            };
            load::parse_list(text, &file, jur, &read, &limits).map(|mut l| {
                l.origin = "bundled".to_string();
                l
            })
        };
        Ok(TrustStores {
            hk: list(Jurisdiction::Hk, BUNDLED_HK)?,
            gd: list(Jurisdiction::Gd, BUNDLED_GD)?,
        })
    }

    /// Loads `DIR/hk/trust-list.json` and `DIR/gd/trust-list.json`; certificate paths are
    /// relative to each list's folder.
    pub fn load_dir(dir: &Path, limits: &Limits) -> Result<TrustStores, TrustError> {
        Ok(TrustStores {
            hk: load::load_file(dir, Jurisdiction::Hk, limits)?,
            gd: load::load_file(dir, Jurisdiction::Gd, limits)?,
        })
    }

    /// The lists a trust-stores folder describes, layered over the bundled ones: a
    /// `DIR/<jur>/trust-list.json` replaces the bundled list of that jurisdiction, and every
    /// certificate file in `DIR/<jur>/certs/` whose SHA-256 is that of an expected anchor
    /// (`"certificate": null`) completes it (what `sigbridge trust add` writes). A folder
    /// that does not exist is an error (callers that look in a default place check first).
    pub fn load_layered(dir: &Path, limits: &Limits) -> Result<TrustStores, TrustError> {
        layered::load_layered(dir, limits)
    }

    /// Every file the lists were read from: the list files (or `bundled`) and the
    /// certificate files that completed expected anchors.
    pub fn files_in_use(&self) -> Vec<String> {
        let mut out = Vec::new();
        for l in [&self.hk, &self.gd] {
            if !out.contains(&l.origin) {
                out.push(l.origin.clone());
            }
            out.extend(
                l.anchors
                    .iter()
                    .filter_map(|a| a.added_from.as_ref())
                    .map(|p| p.display().to_string()),
            );
        }
        out
    }

    /// The list of one jurisdiction.
    pub fn list(&self, jurisdiction: Jurisdiction) -> &TrustList {
        match jurisdiction {
            Jurisdiction::Hk => &self.hk,
            Jurisdiction::Gd => &self.gd,
        }
    }

    /// Every anchor whose certificate is bundled or loaded, with its jurisdiction.
    pub fn anchors(&self) -> impl Iterator<Item = (Jurisdiction, &Arc<Certificate>)> {
        [&self.hk, &self.gd].into_iter().flat_map(|l| {
            l.anchors
                .iter()
                .filter_map(move |a| a.certificate.as_ref().map(|c| (l.jurisdiction, c)))
        })
    }

    /// The jurisdiction whose list holds an anchor with this fingerprint (HK first).
    pub fn jurisdiction_of_anchor(&self, sha256: &[u8; 32]) -> Option<Jurisdiction> {
        [&self.hk, &self.gd]
            .into_iter()
            .find(|l| l.anchor_by_sha256(sha256).is_some())
            .map(|l| l.jurisdiction)
    }

    /// `sigbridge trust add FILE`: completes the expected anchor (`"certificate": null`) whose
    /// SHA-256 equals the certificate's, by copying the file into `DIR/<jur>/certs/` (made
    /// when missing; [`TrustStores::load_layered`] reads it from there) and, when
    /// `DIR/<jur>/trust-list.json` exists, writing its path into that list. Fails, listing
    /// the expected fingerprints, when no anchor has that fingerprint, and with
    /// [`TrustError::AlreadyPresent`] when the anchor already has its certificate.
    pub fn add_anchor_file(
        dir: &Path,
        cert_file: &Path,
        limits: &Limits,
    ) -> Result<AddOutcome, TrustError> {
        add::add_anchor_file(dir, cert_file, limits)
    }
}

/// The attribute type OID for a `type_attribute` short name ("O", "OU", "CN", …) or a
/// dotted OID.
pub fn attribute_type_oid(name: &str) -> Option<Oid> {
    let dotted = match name.trim().to_ascii_uppercase().as_str() {
        "CN" => "2.5.4.3",
        "SN" | "SURNAME" => "2.5.4.4",
        "SERIALNUMBER" => "2.5.4.5",
        "C" => "2.5.4.6",
        "L" => "2.5.4.7",
        "ST" => "2.5.4.8",
        "STREET" => "2.5.4.9",
        "O" => "2.5.4.10",
        "OU" => "2.5.4.11",
        "T" | "TITLE" => "2.5.4.12",
        "GIVENNAME" | "GN" => "2.5.4.42",
        _ => return Oid::from_dotted(name.trim()),
    };
    Oid::from_dotted(dotted)
}

/// Parses a SHA-256 fingerprint written as 64 hex digits, with or without colons.
pub fn parse_sha256(text: &str) -> Option<[u8; 32]> {
    let hexdigits: String = text.chars().filter(|c| *c != ':').collect();
    if hexdigits.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(&hexdigits, &mut out).ok()?;
    Some(out)
}

/// Upper-case colon-separated hex, as `openssl x509 -fingerprint` prints it.
pub fn format_sha256(sha256: &[u8; 32]) -> String {
    let hex = hex::encode_upper(sha256);
    let mut out = String::with_capacity(95);
    for (i, pair) in hex.as_bytes().chunks(2).enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push_str(std::str::from_utf8(pair).unwrap_or_default());
    }
    out
}

#[cfg(test)]
mod tests;
