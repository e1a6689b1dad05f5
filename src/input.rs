//! Input: bytes and files → DER objects. Detects PEM versus DER, splits PEM bundles, and
//! enforces the size limits before anything is parsed.

use crate::limits::Limits;
use crate::parse::{Certificate, Crl, ParseError};
use std::path::{Path, PathBuf};

/// Why an input could not be read or decoded. Names the file when there is one.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is larger than `Limits::max_file_size`.
    #[error("{path}: {size} bytes exceeds the limit of {limit} bytes (Limits::max_file_size)")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: usize,
    },
    /// PEM armour is broken.
    #[error("{source_name}: bad PEM: {detail}")]
    Pem {
        /// Where the text came from.
        source_name: String,
        /// What is wrong.
        detail: String,
    },
    /// No object of the wanted kind was found.
    #[error("{source_name}: no {what} found")]
    Empty {
        /// Where the text came from.
        source_name: String,
        /// What was wanted.
        what: &'static str,
    },
    /// More PEM blocks than `Limits::max_pem_objects`.
    #[error("{source_name}: more than {limit} PEM objects (Limits::max_pem_objects)")]
    TooManyObjects {
        /// Where the text came from.
        source_name: String,
        /// The limit.
        limit: usize,
    },
    /// An object was found but did not parse.
    #[error("{source_name}: object {index}: {source}")]
    Parse {
        /// Where it came from.
        source_name: String,
        /// 1-based position in the file.
        index: usize,
        /// The parse error.
        source: ParseError,
    },
}

/// Reads a whole file, bounded by `limits.max_file_size`.
pub fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>, InputError> {
    let meta = std::fs::metadata(path).map_err(|source| InputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.len() > limits.max_file_size as u64 {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit: limits.max_file_size,
        });
    }
    std::fs::read(path).map_err(|source| InputError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// True when the bytes look like PEM text (a `-----BEGIN` line somewhere near the start).
pub fn looks_like_pem(bytes: &[u8]) -> bool {
    const MARK: &[u8] = b"-----BEGIN ";
    // A DER/BER SEQUENCE header (0x30, then a long-form or indefinite length octet 0x80-0x84)
    // is not text: an ASCII '0' cannot be followed by a UTF-8 continuation byte.
    if let [0x30, 0x80..=0x84, ..] = bytes {
        return false;
    }
    let mut head = bytes.get(..bytes.len().min(4096)).unwrap_or(bytes);
    // Jump from dash to dash (DER rarely holds one) instead of comparing at every offset.
    while let Some(p) = head.iter().position(|&b| b == b'-') {
        let rest = head.get(p..).unwrap_or_default();
        if rest.starts_with(MARK) {
            return true;
        }
        head = rest.get(1..).unwrap_or_default();
    }
    false
}

/// Splits input into DER blobs: the PEM blocks whose label is in `labels`, or the whole
/// input when it is not PEM.
pub fn der_blocks(
    bytes: &[u8],
    labels: &[&str],
    source_name: &str,
    limits: &Limits,
) -> Result<Vec<Vec<u8>>, InputError> {
    if !looks_like_pem(bytes) {
        return Ok(vec![bytes.to_vec()]);
    }
    let blocks = pem::parse_many(bytes).map_err(|e| InputError::Pem {
        source_name: source_name.to_string(),
        detail: e.to_string(),
    })?;
    if blocks.len() > limits.max_pem_objects {
        return Err(InputError::TooManyObjects {
            source_name: source_name.to_string(),
            limit: limits.max_pem_objects,
        });
    }
    Ok(blocks
        .into_iter()
        .filter(|b| labels.contains(&b.tag()))
        .map(|b| b.into_contents())
        .collect())
}

const CERT_LABELS: &[&str] = &["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"];
const CRL_LABELS: &[&str] = &["X509 CRL", "CRL"];

/// Parses every certificate in DER or PEM (bundle) bytes.
pub fn certificates_from_bytes(
    bytes: &[u8],
    source_name: &str,
    limits: &Limits,
) -> Result<Vec<Certificate>, InputError> {
    let blocks = der_blocks(bytes, CERT_LABELS, source_name, limits)?;
    let mut out = Vec::with_capacity(blocks.len());
    for (i, der) in blocks.iter().enumerate() {
        if der.len() > limits.max_object_size {
            return Err(InputError::Parse {
                source_name: source_name.to_string(),
                index: i + 1,
                source: ParseError::TooLarge {
                    what: "certificate",
                    size: der.len(),
                    limit: limits.max_object_size,
                },
            });
        }
        let cert = Certificate::from_der(der).map_err(|source| InputError::Parse {
            source_name: source_name.to_string(),
            index: i + 1,
            source,
        })?;
        out.push(cert);
    }
    if out.is_empty() {
        return Err(InputError::Empty {
            source_name: source_name.to_string(),
            what: "certificate",
        });
    }
    Ok(out)
}

/// Parses every CRL in DER or PEM (bundle) bytes.
pub fn crls_from_bytes(
    bytes: &[u8],
    source_name: &str,
    limits: &Limits,
) -> Result<Vec<Crl>, InputError> {
    let blocks = der_blocks(bytes, CRL_LABELS, source_name, limits)?;
    let mut out = Vec::with_capacity(blocks.len());
    for (i, der) in blocks.iter().enumerate() {
        if der.len() > limits.max_object_size {
            return Err(InputError::Parse {
                source_name: source_name.to_string(),
                index: i + 1,
                source: ParseError::TooLarge {
                    what: "CRL",
                    size: der.len(),
                    limit: limits.max_object_size,
                },
            });
        }
        let crl =
            Crl::from_der(der, limits.max_crl_entries).map_err(|source| InputError::Parse {
                source_name: source_name.to_string(),
                index: i + 1,
                source,
            })?;
        out.push(crl);
    }
    if out.is_empty() {
        return Err(InputError::Empty {
            source_name: source_name.to_string(),
            what: "CRL",
        });
    }
    Ok(out)
}

/// Reads and parses the certificates of a file.
pub fn certificates_from_file(
    path: &Path,
    limits: &Limits,
) -> Result<Vec<Certificate>, InputError> {
    let bytes = read_file(path, limits)?;
    certificates_from_bytes(&bytes, &path.display().to_string(), limits)
}

/// Reads and parses the CRLs of a file.
pub fn crls_from_file(path: &Path, limits: &Limits) -> Result<Vec<Crl>, InputError> {
    let bytes = read_file(path, limits)?;
    crls_from_bytes(&bytes, &path.display().to_string(), limits)
}
