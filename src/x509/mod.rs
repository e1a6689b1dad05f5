//! X.509: DER bytes → owned, checked certificate and CRL models.
//!
//! This stage owns the data model every later stage reads (`Certificate`, `Crl`, names,
//! extensions) and the strictness rules of RFC 5280 §4 and §5 that can be checked on one
//! object alone: DER structure, trailing data, duplicate extensions, version rules and
//! extension syntax. It does not judge trust; it only says whether an object is well formed.
//! The ASN.1 decoding itself is done by `x509-parser`; this module converts its borrowed
//! views into owned values so that certificates can be pooled and shared across threads.

pub mod cert;
pub mod crl;
pub mod deviation;
pub mod ext;
pub mod load;
mod memo;
pub mod name;

pub use crate::asn1::{AlgorithmIdentifier, Oid, UnixTime};
pub use crate::crypto::PublicKeyInfo;
pub use cert::Certificate;
pub use crl::{Crl, RevokedEntry};
pub use deviation::Deviation;
pub use load::{
    certificates_from_bytes, certificates_from_file, crls_from_bytes, crls_from_file, LoadError,
};
pub use memo::ObjectCache;
pub use name::{GeneralName, Name};

/// Why a certificate or CRL could not be parsed. Every variant names the object (`what`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The bytes are not a valid DER encoding of the structure.
    #[error("{what}: not a valid DER structure: {detail}")]
    Der {
        /// What was being parsed ("certificate", "CRL", …).
        what: &'static str,
        /// The decoder's description.
        detail: String,
    },
    /// Bytes follow the end of the outer structure.
    #[error("{what}: {count} bytes of trailing data after the end of the structure")]
    TrailingData {
        /// What was being parsed.
        what: &'static str,
        /// How many bytes follow.
        count: usize,
    },
    /// An extension occurs twice (RFC 5280 §4.2).
    #[error("{what}: extension {oid} appears more than once")]
    DuplicateExtension {
        /// What was being parsed.
        what: &'static str,
        /// Dotted OID of the repeated extension.
        oid: String,
    },
    /// A field is present but its content breaks the profile.
    #[error("{what}: malformed {field}: {detail}")]
    Malformed {
        /// What was being parsed.
        what: &'static str,
        /// The field or extension.
        field: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// The object is larger than the configured limit.
    #[error("{what}: {size} bytes exceeds the limit of {limit} bytes (Limits::max_object_size)")]
    TooLarge {
        /// What was being parsed.
        what: &'static str,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The CRL holds more entries than the configured limit.
    #[error("{what}: more than {limit} entries (Limits::max_crl_entries)")]
    TooManyEntries {
        /// What was being parsed.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
}

#[cfg(test)]
mod tests;
