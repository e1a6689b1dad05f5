//! Limits: the one value that bounds every parser and every search in the crate.

use serde::{Deserialize, Serialize};

/// Bounds on input size and work. Exceeding one gives a typed error naming the limit,
/// never a panic. The defaults are safe for input from strangers and generous for real
/// documents and PKIs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Largest certificate, CRL or signed object accepted, in bytes.
    pub max_object_size: usize,
    /// Largest file read whole (PEM bundles, trust lists), in bytes.
    pub max_file_size: usize,
    /// Most objects taken from one PEM bundle.
    pub max_pem_objects: usize,
    /// Most revoked entries in one CRL.
    pub max_crl_entries: usize,
    /// Path building: most signature verifications over one validation.
    pub max_signature_checks: usize,
    /// Path building: most candidate paths examined.
    pub max_candidate_paths: usize,
    /// Path building: most partial paths extended, dead ends included.
    pub max_path_search_steps: usize,
    /// Path building: most certificates in a path, anchor included.
    pub max_path_depth: usize,
    /// Most nodes in the policy graph of one path.
    pub max_policy_nodes: usize,
    /// Most name × constraint comparisons over one path.
    pub max_name_constraint_checks: u64,
    /// Most CRLs considered for one validation.
    pub max_crls: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_object_size: 16 << 20,
            max_file_size: 64 << 20,
            max_pem_objects: 10_000,
            max_crl_entries: 1_000_000,
            max_signature_checks: 256,
            max_candidate_paths: 128,
            max_path_search_steps: 2048,
            max_path_depth: 16,
            max_policy_nodes: 10_000,
            max_name_constraint_checks: 1 << 20,
            max_crls: 1_000,
        }
    }
}
