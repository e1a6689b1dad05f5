//! sigbridge: verify electronically signed documents across the Hong Kong / Guangdong
//! boundary.
//!
//! The module tree follows the data flow, each stage importing only the stages before it:
//!
//! | stage | owns |
//! | --- | --- |
//! | [`asn1`] | the one bounded BER/DER reader, the OID registry, ASN.1 times |
//! | [`input`] | files and bytes → DER objects (PEM/DER detection, size limits) |
//! | [`crypto`] | signature schemes, the algorithm policy, digests |
//! | [`x509`] | certificates and CRLs as owned, checked models |
//! | [`document`] | signed containers: [`document::cms`], [`document::smime`] |
//! | [`path`] | path building: candidate issuers, backtracking, budget |
//! | [`revocation`] | RFC 5280 §6.3 revocation status from CRLs |
//! | [`validate`] | RFC 5280 §6.1, one function per step, and the search driver |
//! | [`trust`] | the Hong Kong and Guangdong trust lists |
//! | [`recognition`] | domestic trust and mutual recognition |
//! | [`report`] | every JSON shape the crate emits (with its `format`), `inspect` |
//! | [`verify`] | the [`Verifier`]: one document → a report |
//! | [`api`] | the HTTP service's wire types and request parsing (no HTTP stack) |
//!
//! Beside the flow: [`limits`] (the bounds every stage obeys), [`verdict`] (indications,
//! rules, checks, and the one table from a failed rule to an indication) and [`cache`]
//! (generic bounded caches).
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod api;
pub mod asn1;
pub mod cache;
pub mod crypto;
pub mod document;
pub mod input;
pub mod limits;
pub mod path;
pub mod recognition;
pub mod report;
pub mod revocation;
pub mod trust;
pub mod validate;
pub mod verdict;
pub mod verify;
pub mod x509;

#[cfg(test)]
mod test_support;

pub use limits::Limits;
pub use report::document::{DocumentReport, SignerReport};
pub use trust::{Jurisdiction, TrustStores};
pub use verdict::{Check, Indication, Rule, Status, SubIndication, Verdict};
pub use verify::{Call, Verifier, VerifierBuilder, VerifierConfig, VerifyError};
