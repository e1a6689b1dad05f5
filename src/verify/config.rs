//! [`VerifierConfig`]: the one serde configuration every front end (CLI, HTTP service,
//! Python package) builds its [`Verifier`] from — files to load, modes and bounds — with
//! errors that name the file or the field.

use super::caches::CacheLimits;
use super::Verifier;
use crate::asn1::parse_time;
use crate::crypto::AlgorithmPolicy;
use crate::limits::Limits;
use crate::revocation::fetch::FetchConfig;
use crate::revocation::ocsp::{responses_from_bytes, OcspError, OcspTiming};
use crate::revocation::RevocationMode;
use crate::trust::{Jurisdiction, PurposeList, TrustError, TrustStores};
use crate::validate::ValidityModel;
use crate::x509::{certificates_from_file, crls_from_file, LoadError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How to build a [`Verifier`]. Every field has a default; unknown fields are refused.
///
/// ```
/// let config: sigbridge::verify::VerifierConfig = serde_json::from_str(r#"{
///     "trust_stores": "fixtures/trust-stores",
///     "revocation": "require",
///     "crls": ["fixtures/docs/pki/hk-root.crl", "fixtures/docs/pki/hk-ca-15.crl"],
///     "validation_time": "2026-12-01T00:00:00Z"
/// }"#).unwrap();
/// let verifier = config.build().unwrap();
/// let report = verifier.verify(&std::fs::read("fixtures/docs/hk-mr-personal.p7m").unwrap(), None).unwrap();
/// assert_eq!(report.indication.to_string(), "TOTAL_PASSED");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct VerifierConfig {
    /// A trust-stores folder layered over the bundled lists ([`TrustStores::load_layered`]:
    /// its `hk/trust-list.json` / `gd/trust-list.json` replace the bundled lists, the
    /// certificates in its `hk/certs/` / `gd/certs/` complete their expected anchors);
    /// `None`: the bundled lists alone. Front ends find the per-user folder with
    /// [`crate::trust::default_location`].
    pub trust_stores: Option<PathBuf>,
    /// Purpose list files (`sigbridge-trust-list/1` with `purpose`, e.g. `CN-tax`): anchors
    /// trusted outside the mutual-recognition scheme (see [`PurposeList`]).
    pub purpose_lists: Vec<PathBuf>,
    /// Extra trust anchor certificate files (domestic for either jurisdiction).
    pub anchors: Vec<PathBuf>,
    /// Extra untrusted certificate files for path building.
    pub certificates: Vec<PathBuf>,
    /// Extra CRL files.
    pub crls: Vec<PathBuf>,
    /// OCSP response files (DER, PEM `OCSP RESPONSE`, or base64).
    pub ocsp: Vec<PathBuf>,
    /// How revocation is treated.
    pub revocation: RevocationMode,
    /// Fetch what certificates point to (OCSP, CRLs, caIssuers) when the data at hand does
    /// not settle a status or a path; `None` (the default): never. Needs the `fetch`
    /// feature.
    pub fetch: Option<FetchConfig>,
    /// The validity model (`shell`, the default, or `chain`).
    pub validity_model: ValidityModel,
    /// How OCSP response times are judged.
    pub ocsp_timing: OcspTiming,
    /// The relying party whose verdict sets the indication (`None`: the anchor's
    /// jurisdiction).
    pub relying_party: Option<Jurisdiction>,
    /// The default validation time, RFC 3339 (`None`: now, per call).
    pub validation_time: Option<String>,
    /// The algorithm policy.
    pub algorithms: AlgorithmPolicy,
    /// Parser and search bounds.
    pub limits: Limits,
    /// Cache bounds.
    pub cache: CacheLimits,
}

/// Why a configuration could not be turned into a verifier.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The configuration file could not be read.
    #[error("{path}: cannot read the configuration: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The configuration is not valid JSON of the expected shape.
    #[error("{origin}: {source}")]
    Syntax {
        /// Where it came from.
        origin: String,
        /// Why.
        source: serde_json::Error,
    },
    /// `validation_time` is not RFC 3339.
    #[error("validation_time {0:?} is not an RFC 3339 time (e.g. 2026-12-01T00:00:00Z)")]
    Time(String),
    /// A trust store could not be loaded.
    #[error("{0}")]
    TrustStores(#[from] TrustError),
    /// An anchor, certificate or CRL file could not be loaded.
    #[error("{0}")]
    Load(#[from] LoadError),
    /// An OCSP response file could not be read or decoded.
    #[error("{path}: {detail}")]
    Ocsp {
        /// The file.
        path: PathBuf,
        /// Why.
        detail: String,
    },
    /// `fetch` is set but this build has no HTTP fetcher (feature `fetch`), or it could not
    /// be set up (HTTPS roots).
    #[error("fetch: {0}")]
    Fetch(String),
}

/// The OCSP responses in one file.
pub fn ocsp_file(
    path: &Path,
    limits: &Limits,
) -> Result<Vec<Arc<crate::revocation::ocsp::OcspResponse>>, ConfigError> {
    let bytes = crate::input::read_file(path, limits).map_err(|e| ConfigError::Ocsp {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    responses_from_bytes(&bytes, &path.display().to_string(), limits)
        .map(|v| v.into_iter().map(Arc::new).collect())
        .map_err(|e: OcspError| ConfigError::Ocsp {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })
}

#[cfg(feature = "fetch")]
fn fetcher(
    config: &FetchConfig,
) -> Result<Arc<dyn crate::revocation::fetch::Fetcher>, ConfigError> {
    crate::revocation::fetch::http::http_fetcher(config.clone())
        .map(|f| Arc::new(f) as Arc<dyn crate::revocation::fetch::Fetcher>)
        .map_err(|e| ConfigError::Fetch(e.to_string()))
}

#[cfg(not(feature = "fetch"))]
fn fetcher(_: &FetchConfig) -> Result<Arc<dyn crate::revocation::fetch::Fetcher>, ConfigError> {
    Err(ConfigError::Fetch(
        "this build has no HTTP fetcher (the `fetch` feature is off)".to_owned(),
    ))
}

impl VerifierConfig {
    /// Parses a configuration from JSON text; `origin` names it in errors.
    pub fn from_json(text: &str, origin: &str) -> Result<VerifierConfig, ConfigError> {
        serde_json::from_str(text).map_err(|source| ConfigError::Syntax {
            origin: origin.to_owned(),
            source,
        })
    }

    /// Reads a configuration file (JSON).
    pub fn load(path: &Path) -> Result<VerifierConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        VerifierConfig::from_json(&text, &path.display().to_string())
    }

    /// The trust lists this configuration names (the bundled ones when none).
    pub fn load_trust_stores(&self) -> Result<TrustStores, ConfigError> {
        Ok(match &self.trust_stores {
            Some(dir) => TrustStores::load_layered(dir, &self.limits)?,
            None => TrustStores::bundled()?,
        })
    }

    /// Builds the verifier, reading every file named.
    pub fn build(&self) -> Result<Verifier, ConfigError> {
        let time = match &self.validation_time {
            Some(t) => Some(parse_time(t).ok_or_else(|| ConfigError::Time(t.clone()))?),
            None => None,
        };
        let mut b = Verifier::builder()
            .trust_stores(self.load_trust_stores()?)
            .revocation(self.revocation)
            .relying_party(self.relying_party)
            .algorithms(self.algorithms.clone())
            .limits(self.limits.clone())
            .cache_limits(self.cache)
            .validity_model(self.validity_model)
            .ocsp_timing(self.ocsp_timing)
            .validation_time(time);
        if let Some(f) = &self.fetch {
            b = b.fetcher(Some(fetcher(f)?));
        }
        for f in &self.ocsp {
            b = b.ocsp_responses(ocsp_file(f, &self.limits)?);
        }
        for f in &self.purpose_lists {
            b = b.purpose_list(PurposeList::load(f, &self.limits)?);
        }
        for f in &self.anchors {
            b = b.anchors(
                certificates_from_file(f, &self.limits)?
                    .into_iter()
                    .map(Arc::new),
            );
        }
        for f in &self.certificates {
            b = b.certificates(
                certificates_from_file(f, &self.limits)?
                    .into_iter()
                    .map(Arc::new),
            );
        }
        for f in &self.crls {
            b = b.crls(crls_from_file(f, &self.limits)?.into_iter().map(Arc::new));
        }
        Ok(b.build())
    }
}
