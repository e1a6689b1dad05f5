//! One file to a verdict or an inspection, by what its bytes are: a PDF is verified (or
//! inspected) from the file with positioned reads, never read whole beyond 64 KiB; anything
//! else is read into memory (bounded by `Limits::max_file_size`). Shared by `verify`,
//! `batch` and `inspect`.

use sigbridge::document::pdf::FileSource;
use sigbridge::document::{sniff, FileKind};
use sigbridge::report::inspect::Inspection;
use sigbridge::verify::Verifier;
use sigbridge::{input, Call, DocumentReport, Limits};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// The file's bytes (bounded by `Limits::max_file_size`), or `None` when its first kilobyte
/// says it is a PDF, which is read with positioned reads instead (and may be larger). One
/// open and one fstat per file; a small file is read with a single read.
fn read_unless_pdf(path: &Path, limits: &Limits) -> Result<Option<Vec<u8>>, String> {
    let io = |source| {
        input::InputError::Io {
            path: path.to_path_buf(),
            source,
        }
        .to_string()
    };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let len = f.metadata().map_err(io)?.len();
    if len <= READ_WHOLE && len <= limits.max_file_size as u64 {
        // Small enough to read in one go and sniff after: one read instead of three.
        let bytes =
            input::read_sized(path, limits, Vec::new(), f, len).map_err(|e| e.to_string())?;
        let head = bytes.get(..bytes.len().min(1024)).unwrap_or_default();
        return Ok((sniff(head) != FileKind::Pdf).then_some(bytes));
    }
    let mut head = Vec::with_capacity(1024);
    (&mut f).take(1024).read_to_end(&mut head).map_err(io)?;
    if sniff(&head) == FileKind::Pdf {
        return Ok(None);
    }
    input::read_sized(path, limits, head, f, len)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Files up to this size (and `Limits::max_file_size`) are read whole before they are
/// sniffed (a PDF this small costs one wasted read, and is then verified from the file as
/// any other); larger ones have their first kilobyte read first, so that a large PDF
/// is not read into memory.
const READ_WHOLE: u64 = 64 << 10;

/// Whether the file's first kilobyte says it is a PDF.
pub fn is_pdf(path: &Path) -> Result<bool, String> {
    let mut head = Vec::with_capacity(1024);
    std::fs::File::open(path)
        .and_then(|f| f.take(1024).read_to_end(&mut head))
        .map_err(|source| {
            input::InputError::Io {
                path: path.to_path_buf(),
                source,
            }
            .to_string()
        })?;
    Ok(sniff(&head) == FileKind::Pdf)
}

/// The lower-case hex SHA-256 of a file, streamed (for a PDF that is never read whole).
pub fn sha256_file(path: &Path) -> Result<String, String> {
    let mut f = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut h = sigbridge::crypto::DigestAlgorithm::Sha256.hasher();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f
            .read(&mut buf)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if n == 0 {
            break;
        }
        h.update(buf.get(..n).unwrap_or_default());
    }
    Ok(hex::encode(h.finish()))
}

/// Verifies `file` (with `content` for a detached signature). Errors are rendered and
/// start with the path they are about.
pub fn verify_file(
    verifier: &Verifier,
    limits: &Limits,
    file: &Path,
    content: Option<&Path>,
) -> Result<DocumentReport, String> {
    let Some(document) = read_unless_pdf(file, limits)? else {
        if let Some(c) = content {
            return Err(format!(
                "{}: a PDF carries the bytes its signatures sign; --content {} does not apply",
                file.display(),
                c.display()
            ));
        }
        return verifier
            .verify_pdf_file(file, Call::new())
            .map_err(|e| format!("{}: {e}", file.display()));
    };
    let result = match content {
        Some(c) => {
            let cannot = |e: std::io::Error| format!("{}: cannot read: {e}", c.display());
            let mut f = std::fs::File::open(c).map_err(cannot)?;
            let len = f.metadata().map_err(cannot)?.len();
            // Small content in one read (the size from fstat saves the read that would only
            // confirm its end); larger content, or content that grew past READ_WHOLE while
            // it was read, is streamed on from where the read stopped, never held whole.
            let mut head = Vec::new();
            let whole = if len <= READ_WHOLE {
                input::read_up_to(&mut f, len, READ_WHOLE as usize, &mut head).map_err(cannot)?
            } else {
                false
            };
            if whole {
                verifier.verify(&document, Some(&mut head.as_slice()))
            } else {
                let mut reader = head.as_slice().chain(std::io::BufReader::new(f));
                verifier.verify(&document, Some(&mut reader))
            }
        }
        None => verifier.verify(&document, None),
    };
    result.map_err(|e| format!("{}: {e}", file.display()))
}

/// What `file` holds, for `inspect`.
pub fn inspect_file(file: &Path, limits: &Limits) -> Result<Inspection, String> {
    let Some(bytes) = read_unless_pdf(file, limits)? else {
        let source = FileSource::open(file).map_err(|e| format!("{}: {e}", file.display()))?;
        return sigbridge::report::inspect::inspect_pdf(Arc::new(source), limits)
            .map(|p| Inspection::Pdf(Box::new(p)))
            .map_err(|e| format!("{}: PDF: {e}", file.display()));
    };
    sigbridge::report::inspect::inspect(&bytes, &file.display().to_string(), limits)
        .map_err(|e| e.to_string())
}
