//! `sigbridge trust add FILE`: completes an expected anchor (`"certificate": null`) by
//! fingerprint, copying the file into a trust-stores folder's `DIR/<jur>/certs/` (layered over
//! the bundled lists when loaded) and, when the folder has its own list, naming the file in it
//! (the JSON is updated in place; unknown fields are kept).

use super::{format_sha256, Jurisdiction, TrustError, TrustStores};
use crate::input;
use crate::limits::Limits;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// What `trust add` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddOutcome {
    /// The list that held the expected anchor.
    pub jurisdiction: Jurisdiction,
    /// The anchor entry's name.
    pub entry_name: String,
    /// Where the certificate file was written.
    pub written_to: PathBuf,
}

pub(super) fn add_anchor_file(
    dir: &Path,
    cert_file: &Path,
    limits: &Limits,
) -> Result<AddOutcome, TrustError> {
    let cert_name = cert_file.display().to_string();
    let bytes = input::read_file(cert_file, limits)?;
    let mut certs = crate::x509::certificates_from_bytes(&bytes, &cert_name, limits)?;
    if certs.len() != 1 {
        return Err(TrustError::NotOneCertificate {
            file: cert_name,
            count: certs.len(),
        });
    }
    let Some(cert) = certs.pop() else {
        return Err(TrustError::NotOneCertificate {
            file: cert_name,
            count: 0,
        });
    };
    let stores = if dir.is_dir() {
        TrustStores::load_layered(dir, limits)?
    } else {
        TrustStores::bundled()?
    };
    let Some((jur, idx)) = find_anchor(&stores, &cert.sha256) else {
        return Err(not_expected(&stores, cert_name, &cert.sha256));
    };
    let list = stores.list(jur);
    let Some(entry) = list.anchors.get(idx) else {
        return Err(TrustError::Field {
            file: list.origin.clone(),
            field: format!("anchors[{idx}]"),
            detail: "disappeared while updating".to_string(),
        });
    };
    if entry.certificate.is_some() {
        let existing = match (&entry.added_from, &entry.certificate_file) {
            (Some(p), _) => p.display().to_string(),
            (None, Some(f)) if list.origin == "bundled" => format!("bundled with sigbridge: {f}"),
            (None, Some(f)) => f.clone(),
            (None, None) => list.origin.clone(),
        };
        return Err(TrustError::AlreadyPresent {
            file: cert_name,
            jurisdiction: jur,
            name: entry.name.clone(),
            existing,
        });
    }

    let folder = dir.join(jur.folder());
    let ext = if input::looks_like_pem(&bytes) {
        "pem"
    } else {
        "der"
    };
    let rel = format!("certs/{}.{ext}", slug(&entry.name));
    let target = folder.join(&rel);
    let certs_dir = folder.join("certs");
    std::fs::create_dir_all(&certs_dir).map_err(|source| TrustError::Write {
        path: certs_dir.clone(),
        source,
    })?;
    let list_path = folder.join("trust-list.json");
    // A folder with its own list: name the file in it too, so the list describes itself.
    let updated_list = if list_path.exists() {
        Some(list_with_certificate(&list_path, idx, &rel, limits)?)
    } else {
        None
    };
    write_atomically(&target, &bytes)?;
    if let Some(text) = updated_list {
        write_atomically(&list_path, text.as_bytes())?;
    }
    // The result must load; report any problem against the files just written.
    TrustStores::load_layered(dir, limits)?;
    Ok(AddOutcome {
        jurisdiction: jur,
        entry_name: entry.name.clone(),
        written_to: target,
    })
}

/// The list and index of the anchor with this fingerprint (HK first).
fn find_anchor(stores: &TrustStores, sha256: &[u8; 32]) -> Option<(Jurisdiction, usize)> {
    [Jurisdiction::Hk, Jurisdiction::Gd]
        .into_iter()
        .find_map(|jur| {
            stores
                .list(jur)
                .anchors
                .iter()
                .position(|a| &a.sha256 == sha256)
                .map(|idx| (jur, idx))
        })
}

/// The refusal for a certificate no anchor has, listing the anchors still expected.
fn not_expected(stores: &TrustStores, file: String, sha256: &[u8; 32]) -> TrustError {
    let expected: Vec<String> = [&stores.hk, &stores.gd]
        .into_iter()
        .flat_map(|l| {
            l.anchors
                .iter()
                .filter(|a| a.certificate.is_none())
                .map(move |a| {
                    format!(
                        "{} \"{}\" {}",
                        l.jurisdiction,
                        a.name,
                        format_sha256(&a.sha256)
                    )
                })
        })
        .collect();
    TrustError::NotExpected {
        file,
        fingerprint: format_sha256(sha256),
        expected: if expected.is_empty() {
            "none".to_string()
        } else {
            expected.join("; ")
        },
    }
}

/// The list file's text with `anchors[idx].certificate` set to `rel`, updated as a JSON tree
/// so that fields this version does not know are kept.
fn list_with_certificate(
    list_path: &Path,
    idx: usize,
    rel: &str,
    limits: &Limits,
) -> Result<String, TrustError> {
    let text = input::read_file(list_path, limits)?;
    let mut json: Value = serde_json::from_slice(&text).map_err(|e| TrustError::Json {
        file: list_path.display().to_string(),
        detail: e.to_string(),
    })?;
    let slot = json
        .get_mut("anchors")
        .and_then(|a| a.get_mut(idx))
        .and_then(|a| a.as_object_mut())
        .ok_or_else(|| TrustError::Field {
            file: list_path.display().to_string(),
            field: format!("anchors[{idx}]"),
            detail: "changed while updating".to_string(),
        })?;
    slot.insert("certificate".to_string(), Value::String(rel.to_string()));
    let mut out = serde_json::to_string_pretty(&json).map_err(|e| TrustError::Json {
        file: list_path.display().to_string(),
        detail: e.to_string(),
    })?;
    out.push('\n');
    Ok(out)
}

/// A file name from an anchor name: lower-case ASCII letters and digits, runs of anything
/// else folded to one `-`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-').to_string();
    if trimmed.is_empty() {
        "anchor".to_string()
    } else {
        trimmed
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), TrustError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).map_err(|source| TrustError::Write {
        path: tmp.clone(),
        source,
    })?;
    std::fs::rename(&tmp, path).map_err(|source| TrustError::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs() {
        assert_eq!(slug("Hongkong Post Root CA 2"), "hongkong-post-root-ca-2");
        assert_eq!(slug("数安时代 R5 根 CA (GDCA)"), "r5-ca-gdca");
        assert_eq!(slug("数安"), "anchor");
    }
}
