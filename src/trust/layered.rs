//! Trust stores that work when installed: the bundled lists, completed (or replaced) by a
//! trust-stores folder — by default the per-user data folder (`$XDG_DATA_HOME/sigbridge`,
//! `~/.local/share/sigbridge`), overridable by `SIGBRIDGE_TRUST_STORES` and by the front
//! end's own option — where `sigbridge trust add` writes.

use super::{load, Jurisdiction, TrustError, TrustList, TrustStores};
use crate::input;
use crate::limits::Limits;
use std::path::{Path, PathBuf};

/// The environment variable naming the trust-stores folder (instead of the per-user one).
pub const ENV_TRUST_STORES: &str = "SIGBRIDGE_TRUST_STORES";

/// Where a trust-stores folder location came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationSource {
    /// Given by the caller (`--trust-stores DIR`).
    Option,
    /// The `SIGBRIDGE_TRUST_STORES` environment variable.
    Environment,
    /// The per-user data folder.
    UserData,
}

/// A trust-stores folder and why it is the one used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreLocation {
    /// The folder (it may not exist yet).
    pub dir: PathBuf,
    /// Why this folder.
    pub source: LocationSource,
}

impl StoreLocation {
    /// The folder `option` names, else [`default_location`].
    pub fn resolve(option: Option<&Path>) -> Option<StoreLocation> {
        match option {
            Some(d) => Some(StoreLocation {
                dir: d.to_path_buf(),
                source: LocationSource::Option,
            }),
            None => default_location(),
        }
    }
}

/// `SIGBRIDGE_TRUST_STORES` when set (and not empty), else the per-user data folder
/// (`$XDG_DATA_HOME/sigbridge`, else `$HOME/.local/share/sigbridge`; on Windows
/// `%APPDATA%\sigbridge`; on macOS `~/Library/Application Support/sigbridge`). `None` when
/// no home folder is known.
pub fn default_location() -> Option<StoreLocation> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(d) = var(ENV_TRUST_STORES) {
        return Some(StoreLocation {
            dir: d,
            source: LocationSource::Environment,
        });
    }
    let base = if cfg!(windows) {
        var("APPDATA")
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|h| h.join("Library/Application Support"))
    } else {
        var("XDG_DATA_HOME")
            .filter(|p| p.is_absolute())
            .or_else(|| var("HOME").map(|h| h.join(".local/share")))
    };
    base.map(|b| StoreLocation {
        dir: b.join("sigbridge"),
        source: LocationSource::UserData,
    })
}

pub(super) fn load_layered(dir: &Path, limits: &Limits) -> Result<TrustStores, TrustError> {
    if !dir.is_dir() {
        return Err(TrustError::Input(input::InputError::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "not a folder (a trust-stores folder holds hk/ and gd/)",
            ),
        }));
    }
    let bundled = TrustStores::bundled()?;
    let one = |jur: Jurisdiction, base: TrustList| -> Result<TrustList, TrustError> {
        let list_file = dir.join(jur.folder()).join("trust-list.json");
        let mut list = if list_file.exists() {
            load::load_file(dir, jur, limits)?
        } else {
            base
        };
        complete_from(&mut list, &dir.join(jur.folder()).join("certs"), limits)?;
        Ok(list)
    };
    Ok(TrustStores {
        hk: one(Jurisdiction::Hk, bundled.hk)?,
        gd: one(Jurisdiction::Gd, bundled.gd)?,
    })
}

/// Completes the expected anchors of `list` from the certificate files in `certs` (sorted
/// by name, at most `Limits::max_trust_store_files`); files matching no expected anchor are
/// left alone.
fn complete_from(list: &mut TrustList, certs: &Path, limits: &Limits) -> Result<(), TrustError> {
    if !list.anchors.iter().any(|a| a.certificate.is_none()) || !certs.is_dir() {
        return Ok(());
    }
    let read_err = |source| {
        TrustError::Input(input::InputError::Io {
            path: certs.to_path_buf(),
            source,
        })
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(certs).map_err(read_err)? {
        let path = entry.map_err(read_err)?.path();
        if path.is_file() {
            files.push(path);
        }
        if files.len() > limits.max_trust_store_files {
            return Err(TrustError::Field {
                file: certs.display().to_string(),
                field: "certs/".to_string(),
                detail: format!(
                    "more than {} files (Limits::max_trust_store_files)",
                    limits.max_trust_store_files
                ),
            });
        }
    }
    files.sort();
    for path in files {
        let certificates = crate::x509::certificates_from_file(&path, limits)?;
        for cert in certificates {
            if let Some(a) = list
                .anchors
                .iter_mut()
                .find(|a| a.certificate.is_none() && a.sha256 == cert.sha256)
            {
                a.certificate = Some(std::sync::Arc::new(cert));
                a.added_from = Some(path.clone());
            }
        }
    }
    Ok(())
}
