//! Loading certificates and CRLs from files and bytes (DER, PEM, PEM bundles): the blocks
//! [`crate::input`] finds, parsed into models, with errors that name the file and the object.

use super::{Certificate, Crl, ParseError};
use crate::input::{der_blocks, read_file, InputError};
use crate::limits::Limits;
use std::path::Path;

/// Why certificates or CRLs could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file or text could not be read or split into blocks.
    #[error(transparent)]
    Input(#[from] InputError),
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

const CERT_LABELS: &[&str] = &["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"];
const CRL_LABELS: &[&str] = &["X509 CRL", "CRL"];

/// Parses every certificate in DER or PEM (bundle) bytes.
pub fn certificates_from_bytes(
    bytes: &[u8],
    source_name: &str,
    limits: &Limits,
) -> Result<Vec<Certificate>, LoadError> {
    let blocks = Blocks {
        labels: CERT_LABELS,
        what: "certificate",
        source_name,
        limits,
    };
    blocks.parse(bytes, Certificate::from_der)
}

/// Parses every CRL in DER or PEM (bundle) bytes.
pub fn crls_from_bytes(
    bytes: &[u8],
    source_name: &str,
    limits: &Limits,
) -> Result<Vec<Crl>, LoadError> {
    let blocks = Blocks {
        labels: CRL_LABELS,
        what: "CRL",
        source_name,
        limits,
    };
    blocks.parse(bytes, |der| Crl::from_der(der, limits.max_crl_entries))
}

/// The objects of one kind in some bytes, and where they came from.
struct Blocks<'a> {
    labels: &'a [&'a str],
    what: &'static str,
    source_name: &'a str,
    limits: &'a Limits,
}

impl Blocks<'_> {
    /// Every block with one of the labels (or the DER bytes themselves), each within
    /// `Limits::max_object_size` and parsed by `parse`; at least one.
    fn parse<T>(
        &self,
        bytes: &[u8],
        parse: impl Fn(&[u8]) -> Result<T, ParseError>,
    ) -> Result<Vec<T>, LoadError> {
        let blocks = der_blocks(bytes, self.labels, self.source_name, self.limits)?;
        let mut out = Vec::with_capacity(blocks.len());
        for (i, der) in blocks.iter().enumerate() {
            let failed = |source| LoadError::Parse {
                source_name: self.source_name.to_string(),
                index: i + 1,
                source,
            };
            if der.len() > self.limits.max_object_size {
                return Err(failed(ParseError::TooLarge {
                    what: self.what,
                    size: der.len(),
                    limit: self.limits.max_object_size,
                }));
            }
            out.push(parse(der).map_err(failed)?);
        }
        if out.is_empty() {
            return Err(LoadError::from(InputError::Empty {
                source_name: self.source_name.to_string(),
                what: self.what,
            }));
        }
        Ok(out)
    }
}

/// Reads and parses the certificates of a file.
pub fn certificates_from_file(path: &Path, limits: &Limits) -> Result<Vec<Certificate>, LoadError> {
    let bytes = read_file(path, limits)?;
    certificates_from_bytes(&bytes, &path.display().to_string(), limits)
}

/// Reads and parses the CRLs of a file.
pub fn crls_from_file(path: &Path, limits: &Limits) -> Result<Vec<Crl>, LoadError> {
    let bytes = read_file(path, limits)?;
    crls_from_bytes(&bytes, &path.display().to_string(), limits)
}
