//! Coverage (what the signed bytes are): `/ByteRange` must be exactly `[0 b c d]` with the
//! gap `[b, c)` equal to this signature's own `/Contents` hex string at its parsed place,
//! re-read from the file and compared (Signature Wrapping). Then the range covers the
//! entire file, or exactly the revision that last changed the signature dictionary, or it
//! is partial.

use super::error::Result;
use super::lexer::Lexer;
use super::object::Object;
use super::parser::{self, ParseLimits};
use super::revisions::Revision;
use super::signatures::PdfSignature;
use super::source::{Budget, FileInput, Source};
use serde::{Deserialize, Serialize};

/// How much of the file a signature covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CoverageLevel {
    /// Not a clean prefix of the file ending at a revision boundary: fails the signature.
    Partial,
    /// Exactly the revision holding the signature; later revisions follow.
    EntireRevision,
    /// The whole file.
    EntireFile,
}

/// Why coverage is partial.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
#[non_exhaustive]
pub enum CoverageProblem {
    /// No usable `/ByteRange` (see the signature's problems).
    NoByteRange,
    /// `/ByteRange` does not have four entries.
    NotFourIntegers {
        /// Entries found.
        count: usize,
    },
    /// The first range does not start at byte 0.
    NotFromStart {
        /// Where it starts.
        start: i64,
    },
    /// Negative offsets or lengths, or a sum that overflows.
    NegativeOrOverflow,
    /// The ranges reach past the end of the file.
    BeyondFile {
        /// End of the second range.
        end: u64,
        /// File length.
        file_len: u64,
    },
    /// `/Contents` has no place in the file.
    NoContentsSpan,
    /// The gap between the ranges is not this signature's `/Contents` string (Signature
    /// Wrapping, or a gap that leaves other bytes unsigned).
    GapNotContents {
        /// The gap `[b, c)`.
        gap_start: u64,
        /// End of the gap.
        gap_end: u64,
        /// Where `/Contents` is.
        contents_start: u64,
        /// End of `/Contents`.
        contents_end: u64,
    },
    /// The bytes of the gap, read again, are not the `/Contents` the dictionary gives.
    ContentsMismatch,
    /// The signed bytes do not end where a revision ends.
    NotAtRevisionEnd {
        /// End of the signed bytes.
        end: u64,
    },
    /// The signed bytes end at a revision other than the one that last changed the
    /// signature dictionary (it was changed, or placed, after signing).
    SignedRevisionMismatch {
        /// Revision whose end the range reaches.
        range_revision: usize,
        /// Revision of the signature dictionary.
        signature_revision: usize,
    },
}

/// The coverage of one signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Coverage {
    /// The level.
    pub level: CoverageLevel,
    /// Why it is partial (empty otherwise).
    pub problems: Vec<CoverageProblem>,
    /// End of the signed bytes (`c + d`), when the range is well-formed.
    pub signed_end: Option<u64>,
    /// The revision whose end is `signed_end`, if any.
    pub covered_revision: Option<usize>,
}

impl Coverage {
    fn partial(p: CoverageProblem, signed_end: Option<u64>) -> Self {
        Coverage {
            level: CoverageLevel::Partial,
            problems: vec![p],
            signed_end,
            covered_revision: None,
        }
    }
}

/// The four numbers, checked for sign and overflow.
pub(crate) fn ranges_of(br: &[i64]) -> Option<Vec<(u64, u64)>> {
    br.chunks(2)
        .map(|p| match p {
            [a, b] => Some((u64::try_from(*a).ok()?, u64::try_from(*b).ok()?)),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .filter(|v| v.iter().all(|(a, b)| a.checked_add(*b).is_some()))
}

pub(crate) fn evaluate(
    src: &dyn Source,
    revs: &[Revision],
    sig: &PdfSignature,
    parse: ParseLimits,
    max_work: u64,
) -> Result<Coverage> {
    let Some(br) = sig.byte_range.as_deref() else {
        return Ok(Coverage::partial(CoverageProblem::NoByteRange, None));
    };
    if br.len() != 4 {
        return Ok(Coverage::partial(
            CoverageProblem::NotFourIntegers { count: br.len() },
            None,
        ));
    }
    let Some(r) = ranges_of(br) else {
        return Ok(Coverage::partial(CoverageProblem::NegativeOrOverflow, None));
    };
    let (Some(&(a, b)), Some(&(c, d))) = (r.first(), r.get(1)) else {
        return Ok(Coverage::partial(
            CoverageProblem::NotFourIntegers { count: br.len() },
            None,
        ));
    };
    let end = c + d;
    if a != 0 {
        return Ok(Coverage::partial(
            CoverageProblem::NotFromStart { start: a as i64 },
            Some(end),
        ));
    }
    if end > src.len() {
        return Ok(Coverage::partial(
            CoverageProblem::BeyondFile {
                end,
                file_len: src.len(),
            },
            Some(end),
        ));
    }
    let Some(span) = sig.contents_span else {
        return Ok(Coverage::partial(
            CoverageProblem::NoContentsSpan,
            Some(end),
        ));
    };
    if span.start != b || span.end != c {
        return Ok(Coverage::partial(
            CoverageProblem::GapNotContents {
                gap_start: b,
                gap_end: c,
                contents_start: span.start,
                contents_end: span.end,
            },
            Some(end),
        ));
    }
    if !gap_is_contents(src, b, sig, parse, max_work)? {
        return Ok(Coverage::partial(
            CoverageProblem::ContentsMismatch,
            Some(end),
        ));
    }
    if end == src.len() {
        return Ok(Coverage {
            level: CoverageLevel::EntireFile,
            problems: Vec::new(),
            signed_end: Some(end),
            covered_revision: revs.last().map(|r| r.index),
        });
    }
    let Some(rev) = revs
        .iter()
        .find(|r| end >= r.eof_marker_end && end <= r.end)
    else {
        return Ok(Coverage::partial(
            CoverageProblem::NotAtRevisionEnd { end },
            Some(end),
        ));
    };
    if rev.index != sig.revision {
        return Ok(Coverage {
            level: CoverageLevel::Partial,
            problems: vec![CoverageProblem::SignedRevisionMismatch {
                range_revision: rev.index,
                signature_revision: sig.revision,
            }],
            signed_end: Some(end),
            covered_revision: Some(rev.index),
        });
    }
    Ok(Coverage {
        level: CoverageLevel::EntireRevision,
        problems: Vec::new(),
        signed_end: Some(end),
        covered_revision: Some(rev.index),
    })
}

/// Re-reads the string at the gap and compares it with the parsed `/Contents`.
fn gap_is_contents(
    src: &dyn Source,
    b: u64,
    sig: &PdfSignature,
    parse: ParseLimits,
    max_work: u64,
) -> Result<bool> {
    let budget = Budget::new(max_work);
    let mut lex = Lexer::new(FileInput::new(src), b, &budget, parse.max_size);
    let Ok(Object::String(s)) = parser::parse_object(&mut lex, parse) else {
        return Ok(false);
    };
    Ok(s.span.map(|sp| sp.start) == Some(b) && Some(&s.bytes) == sig.contents.as_ref())
}
