//! The revision chain: `startxref` at the end of the file, the `/Prev` chain with loop
//! detection and [`crate::Limits::max_pdf_revisions`], one object table per revision and
//! the exact byte where each revision ends (`startxref N %%EOF` and its end of line).
//! Linearized files' first-page section joins the main section into one revision.

use super::error::{PdfError, Result};
use super::object::{Dict, Object};
use super::source::{read_exact_at, Source};
use super::xref::{self, Ctx, Entry, Section, XrefKind};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// One revision of the file: the original document or one incremental update.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Revision {
    /// 0 for the oldest.
    pub index: usize,
    /// Offset of its cross-reference section (the `startxref` value).
    pub xref_offset: u64,
    /// How that section is written.
    pub xref_kind: XrefKind,
    /// Just after its `%%EOF` marker.
    pub eof_marker_end: u64,
    /// Where the revision ends: after `%%EOF` and the end of line that follows it (the
    /// value a signature covering this revision has for `c + d` in its `/ByteRange`).
    pub end: u64,
    /// Cross-reference entries in this revision's sections.
    pub entries: usize,
    /// The first revision of a linearized file (two sections, one revision).
    pub linearized: bool,
}

/// A revision with its tables (newest section first).
#[derive(Debug)]
pub(crate) struct RevTable {
    pub(crate) info: Revision,
    pub(crate) sections: Vec<Section>,
}

impl RevTable {
    /// This revision's own entry for `num`, if its sections list it. `with_stm` says whether
    /// `/XRefStm` sections are consulted (a PDF 1.5 reader) or not (an older one).
    pub(crate) fn entry(&self, num: u32, with_stm: bool) -> Option<Entry> {
        for s in &self.sections {
            let classic = s.get(num);
            if let Some(e @ (Entry::InFile { .. } | Entry::InStream { .. })) = classic {
                return Some(e);
            }
            if with_stm {
                if let Some(e) = s.hybrid.as_ref().and_then(|h| h.get(num)) {
                    return Some(e);
                }
            }
            if classic.is_some() {
                return classic;
            }
        }
        None
    }

    /// The trailer dictionary (of the newest section).
    pub(crate) fn trailer(&self) -> Option<&Dict> {
        self.sections.first().map(|s| &s.trailer)
    }

    /// Every object number this revision's sections list (hybrid sections included).
    pub(crate) fn listed(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self
            .sections
            .iter()
            .flat_map(|s| {
                s.entries.iter().map(|(n, _)| *n).chain(
                    s.hybrid
                        .iter()
                        .flat_map(|h| h.entries.iter().map(|(n, _)| *n)),
                )
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Where `startxref N %%EOF` ends a section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Marker {
    value: u64,
    marker_start: u64,
    eof_end: u64,
    end: u64,
}

const TAIL: u64 = 1024;

/// The last `startxref` of the file (ISO 32000-1 §7.5.5: in the last 1024 bytes).
fn tail_startxref(src: &dyn Source) -> Result<Marker> {
    let len = src.len();
    let from = len.saturating_sub(TAIL);
    let mut buf = vec![0u8; (len - from) as usize];
    read_exact_at(src, from, &mut buf)?;
    let eof = rfind(&buf, b"%%EOF")
        .ok_or_else(|| PdfError::xref(len, "no %%EOF in the last 1024 bytes"))?;
    let sx = rfind(buf.get(..eof).unwrap_or_default(), b"startxref")
        .ok_or_else(|| PdfError::xref(len, "no startxref before the last %%EOF"))?;
    let marker_start = from + sx as u64;
    marker_at(src, marker_start)?
        .filter(|m| m.eof_end == from + eof as u64 + 5)
        .ok_or_else(|| {
            PdfError::xref(
                marker_start,
                "malformed startxref … %%EOF at the end of the file",
            )
        })
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Reads `startxref <digits> %%EOF` at exactly `pos`, if it is there.
fn marker_at(src: &dyn Source, pos: u64) -> Result<Option<Marker>> {
    let mut buf = vec![0u8; (src.len().saturating_sub(pos)).min(64) as usize];
    read_exact_at(src, pos, &mut buf)?;
    let Some(rest) = buf.strip_prefix(b"startxref") else {
        return Ok(None);
    };
    let ws = |s: &[u8]| {
        s.iter()
            .take_while(|&&b| super::lexer::is_whitespace(b))
            .count()
    };
    let a = ws(rest);
    let rest2 = rest.get(a..).unwrap_or_default();
    let digits = rest2.iter().take_while(|b| b.is_ascii_digit()).count();
    if a == 0 || digits == 0 || digits > 20 {
        return Ok(None);
    }
    let value: u64 = std::str::from_utf8(rest2.get(..digits).unwrap_or_default())
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| PdfError::xref(pos, "startxref value out of range"))?;
    let rest3 = rest2.get(digits..).unwrap_or_default();
    let b = ws(rest3);
    if b == 0 || !rest3.get(b..).unwrap_or_default().starts_with(b"%%EOF") {
        return Ok(None);
    }
    let eof_end = pos + 9 + (a + digits + b + 5) as u64;
    let after = buf.get((eof_end - pos) as usize..).unwrap_or_default();
    let eol = match after {
        [b'\r', b'\n', ..] => 2,
        [b'\r', ..] | [b'\n', ..] => 1,
        _ => 0,
    };
    Ok(Some(Marker {
        value,
        marker_start: pos,
        eof_end,
        end: eof_end + eol,
    }))
}

/// The marker that ends a section: after it, only whitespace, then `startxref`.
fn marker_after(src: &dyn Source, section_end: u64) -> Result<Marker> {
    let mut pos = section_end;
    let mut b = [0u8; 1];
    loop {
        if pos >= src.len() {
            return Err(PdfError::xref(
                section_end,
                "cross-reference section not followed by startxref … %%EOF",
            ));
        }
        read_exact_at(src, pos, &mut b)?;
        if !super::lexer::is_whitespace(b[0]) {
            break;
        }
        pos += 1;
        if pos - section_end > 1024 {
            return Err(PdfError::xref(
                section_end,
                "cross-reference section not followed by startxref … %%EOF",
            ));
        }
    }
    marker_at(src, pos)?.ok_or_else(|| {
        PdfError::xref(
            pos,
            "cross-reference section not followed by startxref … %%EOF",
        )
    })
}

/// What the chain gives: revisions (oldest first) and what lies after the last one.
#[derive(Debug)]
pub(crate) struct Chain {
    pub(crate) revisions: Vec<RevTable>,
    /// Bytes after the last revision's end that are not whitespace: (offset, length).
    pub(crate) trailing: Option<(u64, u64)>,
}

/// Reads every section reached from the last `startxref` through `/Prev`.
pub(crate) fn read_chain(cx: &Ctx<'_>, max_revisions: usize) -> Result<Chain> {
    let src = cx.src;
    let mut head = [0u8; 5];
    if src.len() < 5 || read_exact_at(src, 0, &mut head).is_err() || &head != b"%PDF-" {
        return Err(PdfError::syntax(
            0,
            "no %PDF- header at the start of the file",
        ));
    }
    let tail = tail_startxref(src)?;
    let mut sections: Vec<Section> = Vec::new();
    let mut seen = HashSet::new();
    let mut offset = tail.value;
    let mut total = 0usize;
    loop {
        if !seen.insert(offset) {
            return Err(PdfError::xref(
                offset,
                "the /Prev chain loops back to this section",
            ));
        }
        if seen.len() > max_revisions {
            return Err(PdfError::limit(
                "max_pdf_revisions",
                max_revisions as u64,
                "the /Prev chain",
            ));
        }
        let s = xref::read_section(cx, offset)?;
        total += s.entries.len() + s.hybrid.as_ref().map_or(0, |h| h.entries.len());
        if total > cx.max_objects {
            return Err(PdfError::limit(
                "max_pdf_objects",
                cx.max_objects as u64,
                "the cross-reference entries of all revisions",
            ));
        }
        let prev = match s.trailer.get(b"Prev") {
            None => None,
            Some(Object::Int(p)) => {
                Some(u64::try_from(*p).map_err(|_| PdfError::xref(offset, "negative /Prev"))?)
            }
            Some(_) => return Err(PdfError::xref(offset, "/Prev is not an integer")),
        };
        sections.push(s);
        match prev {
            Some(p) => offset = p,
            None => break,
        }
    }
    let revisions = group(src, sections)?;
    let trailing = trailing_data(src, &revisions, &tail)?;
    Ok(Chain {
        revisions,
        trailing,
    })
}

/// Pairs sections with their end markers, newest first in, oldest first out.
fn group(src: &dyn Source, sections: Vec<Section>) -> Result<Vec<RevTable>> {
    let markers: Vec<Marker> = sections
        .iter()
        .map(|s| marker_after(src, s.end))
        .collect::<Result<_>>()?;
    let mut out: Vec<RevTable> = Vec::new();
    let mut iter = sections.into_iter().zip(markers).peekable();
    while let Some((s, m)) = iter.next() {
        if m.value == s.offset {
            out.push(table(vec![s], m, false));
            continue;
        }
        // Linearized: the first-page section (near the start) names the main section in
        // /Prev; the main section's marker points back at the first-page section.
        let linear = matches!(iter.peek(), Some((next, nm)) if next.offset > s.offset && nm.value == s.offset);
        if !linear {
            return Err(PdfError::xref(
                m.marker_start,
                format!(
                    "startxref {} here, but this revision's cross-reference section is at {}",
                    m.value, s.offset
                ),
            ));
        }
        if let Some((main, mm)) = iter.next() {
            out.push(table(vec![s, main], mm, true));
        }
    }
    out.reverse();
    for (i, r) in out.iter_mut().enumerate() {
        r.info.index = i;
    }
    for w in out.windows(2) {
        if let [a, b] = w {
            if b.info.end <= a.info.end && !b.info.linearized {
                return Err(PdfError::xref(
                    b.info.xref_offset,
                    "an update ends before the revision it updates",
                ));
            }
        }
    }
    Ok(out)
}

fn table(sections: Vec<Section>, m: Marker, linearized: bool) -> RevTable {
    let entries = sections
        .iter()
        .map(|s| s.entries.len() + s.hybrid.as_ref().map_or(0, |h| h.entries.len()))
        .sum();
    let first = sections.first();
    RevTable {
        info: Revision {
            index: 0,
            xref_offset: first.map_or(0, |s| s.offset),
            xref_kind: first.map_or(XrefKind::Table, |s| s.kind),
            eof_marker_end: m.eof_end,
            end: m.end,
            entries,
            linearized,
        },
        sections,
    }
}

fn trailing_data(src: &dyn Source, revs: &[RevTable], tail: &Marker) -> Result<Option<(u64, u64)>> {
    let Some(last) = revs.last() else {
        return Ok(None);
    };
    let end = last.info.end;
    let len = src.len();
    if end >= len {
        return Ok(None);
    }
    let n = (len - end).min(1 << 16) as usize;
    let mut buf = vec![0u8; n];
    read_exact_at(src, end, &mut buf)?;
    let only_ws = tail.end <= end && buf.iter().all(|&b| super::lexer::is_whitespace(b));
    Ok((!only_ws).then_some((end, len - end)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::pdf::parser::ParseLimits;
    use crate::document::pdf::source::Budget;

    fn chain(f: &[u8]) -> Result<Chain> {
        let b = Budget::new(1 << 20);
        let v = f.to_vec();
        let cx = Ctx {
            src: &v,
            budget: &b,
            parse: ParseLimits {
                max_depth: 16,
                max_size: 1 << 20,
            },
            max_objects: 100,
            max_inflated: 1 << 20,
        };
        read_chain(&cx, 4)
    }

    /// A file of `updates + 1` revisions, each a one-entry xref table.
    fn file(updates: usize, prev_override: Option<&str>) -> Vec<u8> {
        let mut f = b"%PDF-1.4\n1 0 obj 1 endobj\n".to_vec();
        let mut prev: Option<usize> = None;
        for i in 0..=updates {
            let x = f.len();
            let prev_s = match (prev_override, prev) {
                (Some(p), Some(_)) => format!(" /Prev {p}"),
                (_, Some(p)) => format!(" /Prev {p}"),
                _ => String::new(),
            };
            f.extend_from_slice(format!("xref\n0 2\n0000000000 65535 f \n0000000009 0000{} n \ntrailer << /Size 2{prev_s} >>\nstartxref\n{x}\n%%EOF\n", i.min(9)).as_bytes());
            prev = Some(x);
        }
        f
    }

    #[test]
    fn revisions_end_after_their_eof_marker() {
        let f = file(2, None);
        let c = chain(&f).unwrap();
        assert_eq!(c.revisions.len(), 3);
        let ends: Vec<u64> = c.revisions.iter().map(|r| r.info.end).collect();
        assert_eq!(*ends.last().unwrap(), f.len() as u64);
        for e in &ends {
            assert_eq!(&f[*e as usize - 6..*e as usize], b"%%EOF\n");
        }
        assert_eq!(
            c.revisions[1].entry(1, true),
            Some(Entry::InFile { offset: 9, gen: 1 })
        );
        assert!(c.trailing.is_none());
    }

    #[test]
    fn prev_loops_and_too_many_revisions_are_errors() {
        let f = file(1, Some("9999"));
        assert!(chain(&f).is_err());
        // /Prev pointing at itself.
        let mut g = b"%PDF-1.4\n".to_vec();
        let x = g.len();
        g.extend_from_slice(format!("xref\n0 1\n0000000000 65535 f \ntrailer << /Size 1 /Prev {x} >>\nstartxref\n{x}\n%%EOF\n").as_bytes());
        assert!(chain(&g).unwrap_err().to_string().contains("loops"));
        assert_eq!(
            chain(&file(5, None)).unwrap_err().limit_name(),
            Some("max_pdf_revisions")
        );
    }

    #[test]
    fn headers_markers_and_trailing_data() {
        assert!(chain(b"hello").is_err());
        let mut f = file(0, None);
        f.extend_from_slice(b"9 0 obj (appended) endobj\n");
        // The tail marker is still found (within 1024 bytes) and the appended bytes reported.
        let c = chain(&f).unwrap();
        assert_eq!(c.trailing.map(|t| t.1), Some(26));
        let mut g = file(0, None);
        let n = g.len();
        g.truncate(n - 3);
        assert!(chain(&g).is_err());
        // A startxref that does not point at its own section.
        let bad =
            String::from_utf8(file(1, None))
                .unwrap()
                .replacen("startxref\n26", "startxref\n27", 1);
        assert!(chain(bad.as_bytes()).is_err());
    }
}
