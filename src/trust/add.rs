//! `sigbridge trust add FILE`: completes an expected anchor (`"certificate": null`) of a
//! trust-stores directory by fingerprint, copying the file beside the list and updating the
//! JSON in place (unknown fields are kept).

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
    let stores = TrustStores::load_dir(dir, limits)?;

    let mut found = None;
    for jur in [Jurisdiction::Hk, Jurisdiction::Gd] {
        let list = stores.list(jur);
        if let Some(idx) = list.anchors.iter().position(|a| a.sha256 == cert.sha256) {
            found = Some((jur, idx));
            break;
        }
    }
    let Some((jur, idx)) = found else {
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
        return Err(TrustError::NotExpected {
            file: cert_name,
            fingerprint: format_sha256(&cert.sha256),
            expected: if expected.is_empty() {
                "none".to_string()
            } else {
                expected.join("; ")
            },
        });
    };
    let list = stores.list(jur);
    let Some(entry) = list.anchors.get(idx) else {
        return Err(TrustError::Field {
            file: list.origin.clone(),
            field: format!("anchors[{idx}]"),
            detail: "disappeared while updating".to_string(),
        });
    };
    if let Some(existing) = &entry.certificate_file {
        return Err(TrustError::AlreadyPresent {
            file: cert_name,
            jurisdiction: jur,
            name: entry.name.clone(),
            existing: existing.clone(),
        });
    }

    let folder = dir.join(jur.folder());
    let list_path = folder.join("trust-list.json");
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

    // Update the JSON as a tree so that fields this version does not know are kept.
    let text = input::read_file(&list_path, limits)?;
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
    slot.insert("certificate".to_string(), Value::String(rel));
    let mut out = serde_json::to_string_pretty(&json).map_err(|e| TrustError::Json {
        file: list_path.display().to_string(),
        detail: e.to_string(),
    })?;
    out.push('\n');

    write_atomically(&target, &bytes)?;
    write_atomically(&list_path, out.as_bytes())?;
    // The result must load; report any problem against the files just written.
    TrustStores::load_dir(dir, limits)?;
    Ok(AddOutcome {
        jurisdiction: jur,
        entry_name: entry.name.clone(),
        written_to: target,
    })
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
