//! X.509: DER bytes → owned, checked certificate and CRL models.
//!
//! This stage owns the data model every later stage reads (`Certificate`, `Crl`, names,
//! extensions) and the strictness rules of RFC 5280 §4 and §5 that can be checked on one
//! object alone: DER structure, trailing data, duplicate extensions, version rules and
//! extension syntax. It does not judge trust; it only says whether an object is well formed.
//! The ASN.1 decoding itself is done by `x509-parser`; this module converts its borrowed
//! views into owned values so that certificates can be pooled and shared across threads.

pub mod aia;
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

/// The ASN.1 decoder's error in words (never its debug form): what was wrong with the
/// structure, e.g. "the data ends early (truncated)" or "expected a SEQUENCE, found tag 0x1c".
pub(crate) fn der_error_words(e: &x509_parser::nom::Err<x509_parser::error::X509Error>) -> String {
    use x509_parser::der_parser::error::BerError;
    use x509_parser::error::X509Error;
    let inner = match e {
        x509_parser::nom::Err::Incomplete(_) => {
            return "the data ends before the structure does (truncated)".to_string()
        }
        x509_parser::nom::Err::Error(e) | x509_parser::nom::Err::Failure(e) => e,
    };
    match inner {
        X509Error::NomError(x509_parser::nom::error::ErrorKind::Eof) => {
            "the data ends before the structure does (truncated, or not DER at all)".to_string()
        }
        X509Error::NomError(_) => "the structure is not what it should be".to_string(),
        X509Error::Der(b) => match b {
            BerError::Incomplete(_) => {
                "the data ends before the structure does (truncated)".to_string()
            }
            BerError::UnexpectedTag { expected, actual } => match expected {
                Some(t) if t.0 == 16 => format!(
                    "expected a SEQUENCE (tag 0x30), found tag 0x{:02x}",
                    actual.0
                ),
                Some(t) => format!("expected tag {}, found tag {}", t.0, actual.0),
                None => format!("unexpected tag {}", actual.0),
            },
            BerError::InvalidLength => "a length is invalid".to_string(),
            BerError::IndefiniteLengthUnexpected => {
                "an indefinite length is not allowed in DER".to_string()
            }
            BerError::InvalidDateTime => "a date or time is invalid".to_string(),
            BerError::StringInvalidCharset => {
                "a string holds characters its type does not allow".to_string()
            }
            BerError::BerMaxDepth => "the structure nests too deeply".to_string(),
            BerError::DerConstraintFailed(_) => "the encoding is not DER".to_string(),
            _ => "the encoding is invalid".to_string(),
        },
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
