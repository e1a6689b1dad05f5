//! The error report (`sigbridge-error/1`): what a front end prints instead of a report when
//! there is none — the file could not be read, is not a signed document, is malformed, a
//! trust store or an option is wrong — so that machine output is always one JSON object.

use serde::{Deserialize, Serialize};

/// The `format` of [`ErrorReport`].
pub const ERROR_FORMAT: &str = "sigbridge-error/1";

/// What kind of failure it was (stable ids; the exit code follows from it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// A command-line or configuration mistake (exit code 2).
    Usage,
    /// A file could not be read (missing, unreadable, too large).
    Unreadable,
    /// The file is readable but is not a signed document (a certificate, a key, text …).
    NotSigned,
    /// The file is a signed document of a kind this build cannot verify (yet).
    Unsupported,
    /// The file is a signed document whose structure is broken.
    Malformed,
    /// A parser or search limit (`Limits`) was exceeded.
    Limit,
    /// A trust list could not be read or updated.
    TrustStore,
    /// A certificate or CRL file given as an option could not be read.
    Certificate,
    /// Anything else (an internal error).
    Internal,
}

impl ErrorKind {
    /// The stable id (`not_signed`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Usage => "usage",
            ErrorKind::Unreadable => "unreadable",
            ErrorKind::NotSigned => "not_signed",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Malformed => "malformed",
            ErrorKind::Limit => "limit",
            ErrorKind::TrustStore => "trust_store",
            ErrorKind::Certificate => "certificate",
            ErrorKind::Internal => "internal",
        }
    }
}

/// The error itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// The file it concerns, when it concerns one.
    pub file: Option<String>,
    /// What happened and what to do, for people (the same text the text output prints).
    pub message: String,
}

/// `{"format": "sigbridge-error/1", "error": {"kind", "file", "message"}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorReport {
    /// [`ERROR_FORMAT`].
    pub format: String,
    /// The error.
    pub error: ErrorDetail,
}

impl ErrorReport {
    /// An error report.
    pub fn new(kind: ErrorKind, file: Option<&str>, message: impl Into<String>) -> ErrorReport {
        ErrorReport {
            format: ERROR_FORMAT.to_owned(),
            error: ErrorDetail {
                kind,
                file: file.map(str::to_owned),
                message: message.into(),
            },
        }
    }
}
