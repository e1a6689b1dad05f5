//! Input: bytes and files → DER objects. Detects PEM versus DER, splits PEM bundles, and
//! enforces the size limits before anything is parsed. It knows no ASN.1 structure: turning
//! the blocks into certificates and CRLs is [`crate::x509`]'s job.

use crate::limits::Limits;
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
}

/// Reads a whole file, bounded by `limits.max_file_size`.
pub fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>, InputError> {
    read_file_from(path, limits, Vec::new(), None)
}

/// Reads the rest of `file` (opened from `path`) after `head`, its first bytes already
/// read, bounded by `Limits::max_file_size` even if the file grows while it is read; with
/// `file` None, opens `path` first. One open and one fstat per file.
pub fn read_file_from(
    path: &Path,
    limits: &Limits,
    head: Vec<u8>,
    file: Option<std::fs::File>,
) -> Result<Vec<u8>, InputError> {
    use std::io::Read;
    let io = |source| InputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut f = match file {
        Some(f) => f,
        None => std::fs::File::open(path).map_err(io)?,
    };
    let limit = limits.max_file_size;
    let too_large = |size: u64| InputError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit,
    };
    let len = f.metadata().map_err(io)?.len();
    if len > limit as u64 {
        return Err(too_large(len));
    }
    let mut out = head;
    out.reserve((len as usize).saturating_sub(out.len()));
    let room = (limit as u64 + 1).saturating_sub(out.len() as u64);
    (&mut f).take(room).read_to_end(&mut out).map_err(io)?;
    if out.len() > limit {
        return Err(too_large(out.len() as u64));
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_read_up_to_max_file_size_and_no_further() {
        let dir = std::env::temp_dir().join(format!("sigbridge-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ten");
        std::fs::write(&path, b"0123456789").unwrap();
        let limits = |n| Limits {
            max_file_size: n,
            ..Limits::default()
        };
        assert_eq!(read_file(&path, &limits(10)).unwrap(), b"0123456789");
        match read_file(&path, &limits(9)) {
            Err(InputError::TooLarge { size, limit, .. }) => assert_eq!((size, limit), (10, 9)),
            other => panic!("{other:?}"),
        }
        // After a head already read from the same handle: the rest, once.
        let mut f = std::fs::File::open(&path).unwrap();
        let mut head = Vec::new();
        std::io::Read::read_to_end(&mut std::io::Read::take(&mut f, 4), &mut head).unwrap();
        let all = read_file_from(&path, &limits(10), head, Some(f)).unwrap();
        assert_eq!(all, b"0123456789");
        // A directory or a missing file is an I/O error naming the path.
        let e = read_file(&dir.join("missing"), &limits(10)).unwrap_err();
        assert!(e.to_string().contains("missing"), "{e}");
        assert!(matches!(
            read_file(&dir, &limits(1 << 20)),
            Err(InputError::Io { .. })
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
