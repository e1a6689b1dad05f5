//! Streaming the signed bytes: an [`std::io::Read`] over a signature's byte ranges, read
//! from the [`Source`] in blocks, so the CMS layer digests them without copying the file.

use super::coverage::ranges_of;
use super::error::{PdfError, Result};
use super::signatures::PdfSignature;
use super::source::Source;
use crate::crypto::DigestAlgorithm;
use std::io::Read;
use std::sync::Arc;

/// Reads the bytes a signature's `/ByteRange` names, in order.
pub struct SignedRangesReader {
    src: Arc<dyn Source>,
    ranges: Vec<(u64, u64)>,
    at: usize,
    done_in_range: u64,
}

impl SignedRangesReader {
    pub(crate) fn new(src: Arc<dyn Source>, sig: &PdfSignature) -> Result<Self> {
        let br = sig
            .byte_range
            .as_deref()
            .ok_or_else(|| PdfError::structure("the signature has no usable /ByteRange"))?;
        let ranges = ranges_of(br).ok_or_else(|| {
            PdfError::structure("/ByteRange is not pairs of non-negative integers")
        })?;
        let len = src.len();
        if let Some((s, l)) = ranges.iter().find(|(s, l)| s + l > len) {
            return Err(PdfError::structure(format!(
                "/ByteRange piece [{s}, {}) runs past the end of the file ({len} bytes)",
                s + l
            )));
        }
        Ok(SignedRangesReader {
            src,
            ranges,
            at: 0,
            done_in_range: 0,
        })
    }

    /// Total bytes the ranges cover.
    pub fn total_len(&self) -> u64 {
        self.ranges.iter().map(|(_, l)| l).sum()
    }

    /// Digests everything that remains with `alg`.
    pub fn digest(mut self, alg: DigestAlgorithm) -> std::io::Result<Vec<u8>> {
        let mut h = alg.hasher();
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let n = self.read(&mut buf)?;
            if n == 0 {
                return Ok(h.finish());
            }
            h.update(buf.get(..n).unwrap_or_default());
        }
    }
}

impl Read for SignedRangesReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while let Some(&(start, len)) = self.ranges.get(self.at) {
            let left = len - self.done_in_range;
            if left == 0 {
                self.at += 1;
                self.done_in_range = 0;
                continue;
            }
            let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            let Some(dst) = buf.get_mut(..want) else {
                return Ok(0);
            };
            let n = self.src.read_at(start + self.done_in_range, dst)?;
            if n == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the file ended inside a signed range",
                ));
            }
            self.done_in_range += n as u64;
            return Ok(n);
        }
        Ok(0)
    }
}
