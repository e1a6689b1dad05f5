//! Validate: RFC 5280 §6.1 over candidate paths, and the search that drives path building,
//! validation and revocation until one path passes.
//!
//! This module owns the validation inputs ([`Options`]), the §6.1 steps as one function
//! each (`steps`: validity, chaining, basic constraints, path length, key usage, name
//! constraints via [`name_constraints`], policies via [`policy`], critical extensions, the
//! end-entity requirements), the search engine (`engine`: signatures, revocation, the
//! budget, CRL-signer validation) and the [`Outcome`]: an ETSI indication and, for every
//! path tried, which certificate broke which rule. [`SubPathCache`] is what it remembers
//! between validations.

mod engine;
mod memo;
pub mod name_constraints;
mod options;
mod outcome;
pub mod peer_name;
pub mod policy;
pub mod profile;
mod steps;

use crate::crypto::SignatureCache;
use crate::path::{AnchorSet, CertPool};
use crate::x509::{Certificate, Crl};
use std::sync::Arc;

pub use engine::inherited_key_params;
pub use memo::SubPathCache;
pub use options::{KeyUsageRequirement, Options};
pub use outcome::{AcceptedWeakness, Attempt, Outcome, RevocationEntry};

/// Everything a validation draws on besides the options.
#[derive(Clone, Copy)]
pub struct Sources<'a> {
    /// Untrusted certificates for path building.
    pub pool: &'a CertPool,
    /// Trust anchors.
    pub anchors: &'a AnchorSet,
    /// CRLs.
    pub crls: &'a [Arc<Crl>],
}

/// The caches a validation may draw on and fill: signature results and validated CA
/// sub-paths.
#[derive(Clone, Copy, Debug)]
pub struct Memo<'a> {
    /// Certificate and CRL signature results.
    pub signatures: &'a SignatureCache,
    /// Validated CA sub-paths.
    pub sub_paths: &'a SubPathCache,
}

/// Validates `target`: builds paths and returns the first that passes every check, or
/// the reasons none did.
pub fn validate(target: &Arc<Certificate>, sources: Sources<'_>, options: &Options) -> Outcome {
    engine::Engine::new(sources, options, None).run(target, options, 0, None)
}

/// [`validate`] drawing on (and filling) caches shared across validations (see
/// [`SubPathCache`] for what keeps them fresh). The outcome is the one [`validate`] gives.
pub fn validate_with(
    target: &Arc<Certificate>,
    sources: Sources<'_>,
    options: &Options,
    memo: Memo<'_>,
) -> Outcome {
    engine::Engine::new(sources, options, Some(memo)).run(target, options, 0, None)
}
