//! sigbridge: verify electronically signed documents across the Hong Kong / Guangdong
//! boundary.
//!
//! The module tree follows the data flow:
//! [`input`] (bytes and files) → [`parse`] (certificates, CRLs) → [`path`] (build candidate
//! paths over pools and anchors) → [`validate`] (RFC 5280 §6.1) → [`revocation`] (RFC 5280
//! §6.3) → [`report`] (indications, sub-indications and reasons). [`crypto`] holds the
//! signature algorithms every stage uses, [`limits`] the bounds every stage obeys and
//! [`cache`] what a [`verify::Verifier`] remembers between documents.
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

pub mod cache;
pub mod cms;
pub mod crypto;
mod der;
pub mod document;
pub mod input;
pub mod inspect;
pub mod limbo;
pub mod limits;
pub mod parse;
pub mod path;
pub mod recognition;
pub mod report;
pub mod revocation;
pub mod smime;
pub mod trust;
pub mod validate;
pub mod verify;

pub use limits::Limits;
