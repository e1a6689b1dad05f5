//! The one error type of the PDF reader: every failure names where it happened (byte
//! offset, object) and, for a bound, the `Limits` field that was exceeded.

use std::fmt;

/// Why a PDF (or one of its objects) could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// Reading the source failed.
    #[error("reading the PDF at byte {offset}: {source}")]
    Io {
        /// Where the read started.
        offset: u64,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A bound of [`crate::Limits`] was exceeded.
    #[error("{what} exceeds Limits::{limit} ({max})")]
    Limit {
        /// The `Limits` field, e.g. `max_pdf_depth`.
        limit: &'static str,
        /// Its value.
        max: u64,
        /// What exceeded it.
        what: String,
    },
    /// The bytes are not PDF syntax where syntax was expected.
    #[error("malformed PDF at byte {offset}: {what}")]
    Syntax {
        /// Where the problem is.
        offset: u64,
        /// What was expected or found.
        what: String,
    },
    /// The cross-reference data (table, stream, trailer, `startxref`, `/Prev` chain) is
    /// broken. There is no repair mode: the file is refused.
    #[error("broken cross-reference data at byte {offset}: {what}")]
    Xref {
        /// Where the problem is.
        offset: u64,
        /// What is wrong.
        what: String,
    },
    /// A stream could not be decoded.
    #[error("stream data: {what}")]
    Filter {
        /// What is wrong (filter name, corrupt data).
        what: String,
    },
    /// An object was not what the structure requires (wrong type, missing key).
    #[error("{what}")]
    Structure {
        /// What was expected, naming the object.
        what: String,
    },
    /// An error while reading one indirect object.
    #[error("object {num} {gen}: {source}")]
    InObject {
        /// Object number.
        num: u32,
        /// Generation.
        gen: u16,
        /// The error.
        #[source]
        source: Box<PdfError>,
    },
}

impl PdfError {
    pub(crate) fn syntax(offset: u64, what: impl fmt::Display) -> Self {
        PdfError::Syntax {
            offset,
            what: what.to_string(),
        }
    }

    pub(crate) fn xref(offset: u64, what: impl fmt::Display) -> Self {
        PdfError::Xref {
            offset,
            what: what.to_string(),
        }
    }

    pub(crate) fn structure(what: impl fmt::Display) -> Self {
        PdfError::Structure {
            what: what.to_string(),
        }
    }

    pub(crate) fn filter(what: impl fmt::Display) -> Self {
        PdfError::Filter {
            what: what.to_string(),
        }
    }

    pub(crate) fn limit(limit: &'static str, max: u64, what: impl fmt::Display) -> Self {
        PdfError::Limit {
            limit,
            max,
            what: what.to_string(),
        }
    }

    /// Wraps an error met while reading object `num gen`; limit errors stay at the top so
    /// that callers can match them directly.
    pub(crate) fn in_object(self, num: u32, gen: u16) -> Self {
        match self {
            e @ (PdfError::Limit { .. } | PdfError::InObject { .. }) => e,
            e => PdfError::InObject {
                num,
                gen,
                source: Box::new(e),
            },
        }
    }

    /// The `Limits` field this error is about, if it is a limit error.
    pub fn limit_name(&self) -> Option<&'static str> {
        match self {
            PdfError::Limit { limit, .. } => Some(limit),
            PdfError::InObject { source, .. } => source.limit_name(),
            _ => None,
        }
    }
}

/// Shorthand.
pub type Result<T> = std::result::Result<T, PdfError>;
