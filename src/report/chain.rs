//! One certificate of a chain as every report shows it (subject and SHA-256), shared by the
//! document and timestamp reports.

use crate::x509::Certificate;
use serde::{Deserialize, Serialize};

/// One certificate of a chain in the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainEntry {
    /// Subject DN.
    pub subject: String,
    /// SHA-256, lower-case hex.
    pub sha256: String,
}

impl ChainEntry {
    /// The entry for `cert`.
    pub fn of(cert: &Certificate) -> ChainEntry {
        ChainEntry {
            subject: cert.label(),
            sha256: cert.fingerprint(),
        }
    }
}
