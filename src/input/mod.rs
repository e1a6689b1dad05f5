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
    let io = |source| InputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let f = match file {
        Some(f) => f,
        None => std::fs::File::open(path).map_err(io)?,
    };
    let len = f.metadata().map_err(io)?.len();
    read_sized(path, limits, head, f, len)
}

/// [`read_file_from`] when the caller has the file's size from its own fstat already.
pub fn read_sized(
    path: &Path,
    limits: &Limits,
    head: Vec<u8>,
    f: std::fs::File,
    len: u64,
) -> Result<Vec<u8>, InputError> {
    use std::io::Read;
    let io = |source| InputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let limit = limits.max_file_size;
    let too_large = |size: u64| InputError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit,
    };
    if len > limit as u64 {
        return Err(too_large(len));
    }
    let size = len as usize;
    let mut out = head;
    let room = (limit as u64 + 1).saturating_sub(out.len() as u64);
    read_to_size(&mut f.take(room), &mut out, size).map_err(io)?;
    if out.len() > limit {
        return Err(too_large(out.len() as u64));
    }
    Ok(out)
}

/// Reads `file` (of `len` bytes by its fstat) into `out` when it holds at most `max` bytes,
/// and says whether `out` is then the whole file; when it is not (the file is larger, or
/// grew while it was read), `out` holds its first bytes and `file` is positioned after them.
pub fn read_up_to(
    file: &mut std::fs::File,
    len: u64,
    max: usize,
    out: &mut Vec<u8>,
) -> std::io::Result<bool> {
    use std::io::Read;
    let Ok(size) = usize::try_from(len) else {
        return Ok(false);
    };
    if size > max {
        return Ok(false);
    }
    read_to_size(&mut file.take(max as u64 + 1), out, size)?;
    Ok(out.len() <= max)
}

/// Appends what `r` holds to `out`, asking first for one byte more than the rest of `size`
/// (the length fstat gave): a read that comes back short exactly at `size` is the end of a
/// regular file, which saves the read that would only confirm it. A file that grew is read
/// on to its end (or `r`'s own limit); one that shrank, to its end.
fn read_to_size(r: &mut impl std::io::Read, out: &mut Vec<u8>, size: usize) -> std::io::Result<()> {
    const GROWTH: usize = 8192;
    loop {
        let filled = out.len();
        let ask = match size.checked_sub(filled) {
            Some(rest) => rest.saturating_add(1),
            None => GROWTH,
        };
        out.resize(filled.saturating_add(ask), 0);
        let read = match out.get_mut(filled..) {
            Some(spare) => r.read(spare),
            None => Ok(0),
        };
        let n = match read {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {
                out.truncate(filled);
                continue;
            }
            Err(e) => {
                out.truncate(filled);
                return Err(e);
            }
        };
        out.truncate(filled + n);
        if n == 0 || (n < ask && filled + n == size) {
            return Ok(());
        }
    }
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

    /// A reader over `data` that hands out at most `chunk` bytes per call and counts calls.
    struct Chunked {
        data: Vec<u8>,
        at: usize,
        chunk: usize,
        calls: usize,
    }

    impl std::io::Read for Chunked {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.calls += 1;
            let rest = self.data.get(self.at..).unwrap_or_default();
            let n = rest.len().min(buf.len()).min(self.chunk);
            buf[..n].copy_from_slice(&rest[..n]);
            self.at += n;
            Ok(n)
        }
    }

    #[test]
    fn reads_stop_at_the_size_fstat_gave_unless_the_file_grew_or_shrank() {
        let reader = |len: usize, chunk: usize| Chunked {
            data: (0..len).map(|i| i as u8).collect(),
            at: 0,
            chunk,
            calls: 0,
        };
        // As large as fstat said: one read, no read to confirm the end.
        let mut r = reader(3000, usize::MAX);
        let mut out = Vec::new();
        read_to_size(&mut r, &mut out, 3000).unwrap();
        assert_eq!((out.len(), r.calls), (3000, 1));
        assert!(out == r.data);
        // Handed out in pieces: read on to the size, still no extra read.
        let mut r = reader(3000, 1000);
        let mut out = Vec::new();
        read_to_size(&mut r, &mut out, 3000).unwrap();
        assert_eq!((out.len(), r.calls), (3000, 3));
        // Grew after fstat (a regular file hands out all it holds): read on to its end.
        let mut r = reader(3000, usize::MAX);
        let mut out = Vec::new();
        read_to_size(&mut r, &mut out, 2000).unwrap();
        assert!(out == r.data, "read {} of 3000 bytes", out.len());
        assert_eq!(r.calls, 3);
        // Shrank: read to its end.
        let mut r = reader(1000, usize::MAX);
        let mut out = Vec::new();
        read_to_size(&mut r, &mut out, 3000).unwrap();
        assert!(out == r.data, "read {} of 1000 bytes", out.len());
        assert_eq!(r.calls, 2);
        // After a head already read.
        let mut r = reader(10, usize::MAX);
        r.at = 4;
        let mut out = vec![0, 1, 2, 3];
        read_to_size(&mut r, &mut out, 10).unwrap();
        assert_eq!((out, r.calls), (r.data.clone(), 1));
    }

    #[test]
    fn small_files_are_read_whole_and_larger_ones_handed_back_to_stream() {
        use std::io::Read;
        let dir = std::env::temp_dir().join(format!("sigbridge-upto-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("hundred");
        let data: Vec<u8> = (0..100u8).collect();
        std::fs::write(&path, &data).unwrap();
        let open = || std::fs::File::open(&path).unwrap();
        // At most `max`: whole.
        let mut out = Vec::new();
        assert!(read_up_to(&mut open(), 100, 100, &mut out).unwrap());
        assert!(out == data);
        // Larger than `max`: nothing read, the caller streams it.
        let mut out = Vec::new();
        assert!(!read_up_to(&mut open(), 100, 99, &mut out).unwrap());
        assert!(out.is_empty());
        // Grew past `max` after its fstat said 50: the first bytes, and the file positioned
        // after them, so that nothing is lost.
        let (mut f, mut out) = (open(), Vec::new());
        assert!(!read_up_to(&mut f, 50, 80, &mut out).unwrap());
        assert_eq!(out.len(), 81);
        f.read_to_end(&mut out).unwrap();
        assert!(out == data);
        // Grew, but stayed within `max`: read to its end.
        let mut out = Vec::new();
        assert!(read_up_to(&mut open(), 50, 100, &mut out).unwrap());
        assert!(out == data);
        let _ = std::fs::remove_file(&path);
    }

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
