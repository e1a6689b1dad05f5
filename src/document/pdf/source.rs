//! Random-access input: the [`Source`] trait the reader works over (never the whole file
//! in memory), its implementations, and the buffered byte window the lexer reads through.

use super::error::{PdfError, Result};
use std::cell::Cell;
use std::sync::Arc;

/// A random-access byte source: a file, a memory buffer, or anything that can read at an
/// offset. The PDF reader only ever asks for bounded windows of it.
pub trait Source: Send + Sync {
    /// Total length in bytes.
    fn len(&self) -> u64;
    /// Reads up to `buf.len()` bytes starting at `offset`; returns how many were read
    /// (0 at or past the end).
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize>;
    /// Whether the source is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn slice_read_at(data: &[u8], offset: u64, buf: &mut [u8]) -> usize {
    let Ok(start) = usize::try_from(offset) else {
        return 0;
    };
    let Some(rest) = data.get(start..) else {
        return 0;
    };
    let n = rest.len().min(buf.len());
    if let (Some(dst), Some(src)) = (buf.get_mut(..n), rest.get(..n)) {
        dst.copy_from_slice(src);
    }
    n
}

impl Source for [u8] {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        Ok(slice_read_at(self, offset, buf))
    }
}

impl Source for Vec<u8> {
    fn len(&self) -> u64 {
        self.as_slice().len() as u64
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        Ok(slice_read_at(self, offset, buf))
    }
}

impl Source for Arc<[u8]> {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        Ok(slice_read_at(self, offset, buf))
    }
}

#[cfg(unix)]
impl Source for std::fs::File {
    fn len(&self) -> u64 {
        self.metadata().map(|m| m.len()).unwrap_or(0)
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        std::os::unix::fs::FileExt::read_at(self, buf, offset)
    }
}

/// A file read through a lock and `seek` + `read`, for platforms without positioned reads.
#[cfg(not(unix))]
impl Source for std::fs::File {
    fn len(&self) -> u64 {
        self.metadata().map(|m| m.len()).unwrap_or(0)
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::io::{Read, Seek, SeekFrom};
        static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let mut f: &std::fs::File = self;
        f.seek(SeekFrom::Start(offset))?;
        f.read(buf)
    }
}

/// A file opened once, with its length fixed at opening (so that a file growing while it
/// is read cannot move the end the reader computed offsets against).
pub struct FileSource {
    file: std::fs::File,
    len: u64,
}

impl FileSource {
    /// Opens `path` for positioned reads.
    pub fn open(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let file = std::fs::File::open(path)?;
        let len = file.metadata()?.len();
        Ok(FileSource { file, len })
    }
}

impl Source for FileSource {
    fn len(&self) -> u64 {
        self.len
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        if offset >= self.len {
            return Ok(0);
        }
        let room = usize::try_from(self.len - offset).unwrap_or(usize::MAX);
        let n = buf.len().min(room);
        match buf.get_mut(..n) {
            Some(b) => Source::read_at(&self.file, offset, b),
            None => Ok(0),
        }
    }
}

/// Reads exactly `buf.len()` bytes at `offset` or fails (short reads are retried).
pub(crate) fn read_exact_at(src: &dyn Source, offset: u64, buf: &mut [u8]) -> Result<()> {
    let mut done = 0usize;
    while done < buf.len() {
        let pos = offset + done as u64;
        let Some(rest) = buf.get_mut(done..) else {
            break;
        };
        let n = src.read_at(pos, rest).map_err(|e| PdfError::Io {
            offset: pos,
            source: e,
        })?;
        if n == 0 {
            return Err(PdfError::syntax(pos, "unexpected end of file"));
        }
        done += n;
    }
    Ok(())
}

/// Any seekable reader (a `Cursor`, a network-backed reader, a file opened elsewhere) as a
/// [`Source`]: reads are serialised through a lock, each one a `seek` and a `read`. The
/// length is fixed when it is made.
pub struct SeekSource<R> {
    inner: std::sync::Mutex<R>,
    len: u64,
}

impl<R: std::io::Read + std::io::Seek + Send> SeekSource<R> {
    /// Wraps `reader`; its length is found by seeking to the end.
    pub fn new(mut reader: R) -> std::io::Result<Self> {
        let len = reader.seek(std::io::SeekFrom::End(0))?;
        Ok(SeekSource {
            inner: std::sync::Mutex::new(reader),
            len,
        })
    }
}

impl<R: std::io::Read + std::io::Seek + Send> Source for SeekSource<R> {
    fn len(&self) -> u64 {
        self.len
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        if offset >= self.len {
            return Ok(0);
        }
        let room = usize::try_from(self.len - offset).unwrap_or(usize::MAX);
        let n = buf.len().min(room);
        let Some(dst) = buf.get_mut(..n) else {
            return Ok(0);
        };
        let mut r = self
            .inner
            .lock()
            .map_err(|_| std::io::Error::other("the reader's lock is poisoned"))?;
        r.seek(std::io::SeekFrom::Start(offset))?;
        let mut done = 0;
        while done < dst.len() {
            let Some(rest) = dst.get_mut(done..) else {
                break;
            };
            match r.read(rest) {
                Ok(0) => break,
                Ok(k) => done += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }
}

/// The work counter of one operation ([`crate::Limits::max_pdf_work`]).
pub(crate) struct Budget {
    used: Cell<u64>,
    max: u64,
}

impl Budget {
    pub(crate) fn new(max: u64) -> Self {
        Budget {
            used: Cell::new(0),
            max,
        }
    }

    /// Spends `n` units; fails once the total passes the bound.
    pub(crate) fn spend(&self, n: u64) -> Result<()> {
        let used = self.used.get().saturating_add(n);
        self.used.set(used);
        if used > self.max {
            return Err(PdfError::limit(
                "max_pdf_work",
                self.max,
                "the work for this operation",
            ));
        }
        Ok(())
    }
}

/// Bytes the lexer reads by absolute position.
pub(crate) trait Input {
    /// The byte at `pos`, or `None` past the end.
    fn byte(&mut self, pos: u64) -> Result<Option<u8>>;
    /// The bytes from `pos` on that are at hand without another read (at least one unless
    /// `pos` is past the end, then none): what [`Input::byte`] gives for `pos`, `pos + 1` …
    fn window(&mut self, pos: u64) -> Result<&[u8]>;
    /// Whether positions are file offsets (so spans may be reported).
    fn is_file(&self) -> bool;
}

/// A window over a [`Source`]: the first read is small (most objects are), later ones
/// larger, so a big object costs few reads and a small one little copying.
pub(crate) struct FileInput<'a> {
    src: &'a dyn Source,
    len: u64,
    buf: Vec<u8>,
    start: u64,
    next_read: usize,
}

const FIRST_READ: usize = 512;
const LATER_READ: usize = 64 * 1024;

impl<'a> FileInput<'a> {
    pub(crate) fn new(src: &'a dyn Source) -> Self {
        FileInput {
            src,
            len: src.len(),
            buf: Vec::new(),
            start: 0,
            next_read: FIRST_READ,
        }
    }

    fn fill(&mut self, pos: u64) -> Result<()> {
        let want = (self.len - pos).min(self.next_read as u64) as usize;
        self.buf.resize(want, 0);
        read_exact_at(self.src, pos, &mut self.buf)?;
        self.start = pos;
        self.next_read = LATER_READ;
        Ok(())
    }
}

impl Input for FileInput<'_> {
    #[inline]
    fn byte(&mut self, pos: u64) -> Result<Option<u8>> {
        if pos >= self.len {
            return Ok(None);
        }
        if pos < self.start || pos >= self.start + self.buf.len() as u64 {
            self.fill(pos)?;
        }
        let i = (pos - self.start) as usize;
        Ok(self.buf.get(i).copied())
    }
    fn window(&mut self, pos: u64) -> Result<&[u8]> {
        if pos >= self.len {
            return Ok(&[]);
        }
        if pos < self.start || pos >= self.start + self.buf.len() as u64 {
            self.fill(pos)?;
        }
        let i = usize::try_from(pos - self.start).unwrap_or(usize::MAX);
        Ok(self.buf.get(i..).unwrap_or_default())
    }
    fn is_file(&self) -> bool {
        true
    }
}

/// Decoded bytes in memory (an object stream's content).
pub(crate) struct SliceInput<'a>(pub(crate) &'a [u8]);

impl Input for SliceInput<'_> {
    #[inline]
    fn byte(&mut self, pos: u64) -> Result<Option<u8>> {
        Ok(usize::try_from(pos)
            .ok()
            .and_then(|p| self.0.get(p))
            .copied())
    }
    fn window(&mut self, pos: u64) -> Result<&[u8]> {
        Ok(usize::try_from(pos)
            .ok()
            .and_then(|p| self.0.get(p..))
            .unwrap_or_default())
    }
    fn is_file(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_read_at_offsets_and_stop_at_the_end() {
        let data: Vec<u8> = (0u8..10).collect();
        let mut buf = [0u8; 4];
        assert_eq!(Source::read_at(&data, 8, &mut buf).unwrap(), 2);
        assert_eq!(&buf[..2], &[8, 9]);
        assert_eq!(Source::read_at(&data, 10, &mut buf).unwrap(), 0);
        assert_eq!(Source::read_at(&data, u64::MAX, &mut buf).unwrap(), 0);
        let arc: Arc<[u8]> = data.clone().into();
        assert_eq!(Source::len(&arc), 10);
        assert_eq!(Source::len(data.as_slice()), 10);
    }

    #[test]
    fn files_read_at_offsets() {
        let dir = std::env::temp_dir().join(format!("sigbridge-src-{}", std::process::id()));
        std::fs::write(&dir, b"0123456789").unwrap();
        let f = FileSource::open(&dir).unwrap();
        let mut buf = [0u8; 3];
        assert_eq!(f.read_at(4, &mut buf).unwrap(), 3);
        assert_eq!(&buf, b"456");
        assert_eq!(f.read_at(9, &mut buf).unwrap(), 1);
        let raw = std::fs::File::open(&dir).unwrap();
        assert_eq!(Source::len(&raw), 10);
        std::fs::remove_file(&dir).unwrap();
    }

    #[test]
    fn the_window_refills_across_reads() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut input = FileInput::new(&data);
        for pos in [0u64, 2047, 2048, 150_000, 10, 199_999] {
            assert_eq!(input.byte(pos).unwrap(), Some((pos % 251) as u8));
        }
        assert_eq!(input.byte(200_000).unwrap(), None);
    }

    #[test]
    fn the_budget_names_its_limit() {
        let b = Budget::new(3);
        b.spend(3).unwrap();
        let e = b.spend(1).unwrap_err();
        assert!(e.to_string().contains("Limits::max_pdf_work"), "{e}");
    }
}
