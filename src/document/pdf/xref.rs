//! One cross-reference section (ISO 32000-1 §7.5.4, §7.5.8): a classic `xref` table with
//! its trailer, or a cross-reference stream (`/W`, `/Index`, predictors), plus the
//! `/XRefStm` of a hybrid-reference file. No repair: anything off is an error.

use super::error::{PdfError, Result};
use super::filters;
use super::lexer::{Lexer, Tok};
use super::object::{Dict, ObjRef, Object, Stream};
use super::parser::{self, ParseLimits};
use super::source::{read_exact_at, Budget, FileInput, Source};
use serde::{Deserialize, Serialize};

/// Where an object is, according to one cross-reference entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Entry {
    /// Free; the generation a reuse would take.
    Free { next_gen: u16 },
    /// At a byte offset of the file.
    InFile { offset: u64, gen: u16 },
    /// Inside object stream `stream`, at position `index`.
    InStream { stream: u32, index: u32 },
}

impl Entry {
    pub(crate) fn gen(&self) -> u16 {
        match self {
            Entry::InFile { gen, .. } => *gen,
            _ => 0,
        }
    }
}

/// How a revision's cross-reference section is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum XrefKind {
    /// A classic `xref` table.
    Table,
    /// A cross-reference stream (PDF 1.5).
    Stream,
    /// A classic table whose trailer also names a cross-reference stream (`/XRefStm`).
    Hybrid,
}

/// One parsed section.
#[derive(Debug)]
pub(crate) struct Section {
    pub(crate) offset: u64,
    pub(crate) kind: XrefKind,
    /// Sorted by object number, no duplicates.
    pub(crate) entries: Vec<(u32, Entry)>,
    pub(crate) trailer: Dict,
    /// Just after the trailer dictionary or the stream's `endobj`.
    pub(crate) end: u64,
    /// The cross-reference stream object, for stream sections.
    pub(crate) stream_ref: Option<ObjRef>,
    /// The `/XRefStm` section of a hybrid file.
    pub(crate) hybrid: Option<Box<Section>>,
}

impl Section {
    pub(crate) fn get(&self, num: u32) -> Option<Entry> {
        self.entries
            .binary_search_by_key(&num, |(n, _)| *n)
            .ok()
            .and_then(|i| self.entries.get(i))
            .map(|(_, e)| *e)
    }
}

/// What parsing a section needs.
pub(crate) struct Ctx<'a> {
    pub(crate) src: &'a dyn Source,
    pub(crate) budget: &'a Budget,
    pub(crate) parse: ParseLimits,
    pub(crate) max_objects: usize,
    pub(crate) max_inflated: usize,
}

/// Reads the section at `offset` (whitespace before it is skipped).
pub(crate) fn read_section(cx: &Ctx<'_>, offset: u64) -> Result<Section> {
    let len = cx.src.len();
    if offset >= len {
        return Err(PdfError::xref(
            offset,
            "cross-reference offset past the end of the file",
        ));
    }
    let mut lex = Lexer::new(FileInput::new(cx.src), offset, cx.budget, cx.parse.max_size);
    let start = lex.skip_whitespace()?;
    let first = lex.peek(0)?.cloned();
    match first.map(|t| t.tok) {
        Some(Tok::Keyword(k)) if k == b"xref" => read_table(cx, &mut lex, start),
        Some(Tok::Int(_)) => read_stream_section(cx, start),
        _ => Err(PdfError::xref(
            start,
            "neither an xref table nor a cross-reference stream",
        )),
    }
}

fn read_table(cx: &Ctx<'_>, lex: &mut Lexer<'_, FileInput<'_>>, start: u64) -> Result<Section> {
    lex.next()?;
    let mut entries: Vec<(u32, Entry)> = Vec::new();
    loop {
        let at = lex.pos();
        let t = lex
            .next()?
            .ok_or_else(|| PdfError::xref(at, "xref table without a trailer"))?;
        match t.tok {
            Tok::Keyword(k) if k == b"trailer" => break,
            Tok::Int(first) => {
                let count = match lex.next()?.map(|t| t.tok) {
                    Some(Tok::Int(c)) => c,
                    _ => return Err(PdfError::xref(at, "xref subsection header without a count")),
                };
                read_subsection(cx, lex, first, count, at, &mut entries)?;
            }
            _ => {
                return Err(PdfError::xref(
                    at,
                    "expected a subsection header or 'trailer'",
                ))
            }
        }
    }
    let tat = lex.pos();
    let trailer = match parser::parse_object(lex, cx.parse)? {
        Object::Dict(d) => d,
        _ => return Err(PdfError::xref(tat, "the trailer is not a dictionary")),
    };
    let end = lex.pos();
    let entries = finish_entries(entries, &trailer, start)?;
    let mut section = Section {
        offset: start,
        kind: XrefKind::Table,
        entries,
        trailer,
        end,
        stream_ref: None,
        hybrid: None,
    };
    if let Some(x) = section.trailer.get(b"XRefStm") {
        let off = x
            .as_int()
            .and_then(|o| u64::try_from(o).ok())
            .ok_or_else(|| PdfError::xref(start, "/XRefStm is not an offset"))?;
        let h = read_stream_section(cx, off)?;
        section.kind = XrefKind::Hybrid;
        section.hybrid = Some(Box::new(h));
    }
    Ok(section)
}

fn read_subsection(
    cx: &Ctx<'_>,
    lex: &mut Lexer<'_, FileInput<'_>>,
    first: i64,
    count: i64,
    at: u64,
    entries: &mut Vec<(u32, Entry)>,
) -> Result<()> {
    let (Ok(first), Ok(count)) = (u32::try_from(first), usize::try_from(count)) else {
        return Err(PdfError::xref(at, "negative xref subsection"));
    };
    if entries.len().saturating_add(count) > cx.max_objects {
        return Err(PdfError::limit(
            "max_pdf_objects",
            cx.max_objects as u64,
            format!("the xref table at byte {at}"),
        ));
    }
    let len = cx.src.len();
    let start = lex.skip_whitespace()?;
    if let Some(fast) = fixed_entries(cx, start, first, count)? {
        entries.extend(fast);
        lex.seek(start + 20 * count as u64);
        return Ok(());
    }
    lex.seek(start);
    for i in 0..count {
        let eat = lex.pos();
        let num = first
            .checked_add(i as u32)
            .ok_or_else(|| PdfError::xref(eat, "object number overflow"))?;
        let (a, b, c) = (lex.next()?, lex.next()?, lex.next()?);
        let (Some(a), Some(b), Some(c)) = (a, b, c) else {
            return Err(PdfError::xref(eat, "truncated xref entry"));
        };
        let (Tok::Int(field1), Tok::Int(field2)) = (a.tok, b.tok) else {
            return Err(PdfError::xref(eat, "malformed xref entry"));
        };
        let gen =
            u16::try_from(field2).map_err(|_| PdfError::xref(eat, "generation out of range"))?;
        let entry = if c.is_keyword(b"n") {
            let offset = u64::try_from(field1)
                .ok()
                .filter(|&o| o < len)
                .ok_or_else(|| {
                    PdfError::xref(
                        eat,
                        format!("object {num} is at offset {field1}, outside the file"),
                    )
                })?;
            Entry::InFile { offset, gen }
        } else if c.is_keyword(b"f") {
            Entry::Free { next_gen: gen }
        } else {
            return Err(PdfError::xref(
                eat,
                "xref entry type is neither 'n' nor 'f'",
            ));
        };
        entries.push((num, entry));
    }
    Ok(())
}

/// The entries of a subsection written as the standard 20-byte records (ISO 32000-1
/// §7.5.4), read in one go; `None` if any record is not exactly that (the caller then reads
/// them token by token).
fn fixed_entries(
    cx: &Ctx<'_>,
    start: u64,
    first: u32,
    count: usize,
) -> Result<Option<Vec<(u32, Entry)>>> {
    let n = count.saturating_mul(20);
    if start.saturating_add(n as u64) > cx.src.len() {
        return Ok(None);
    }
    let mut buf = vec![0u8; n];
    read_exact_at(cx.src, start, &mut buf)?;
    cx.budget.spend(count as u64)?;
    let digits = |b: &[u8]| {
        b.iter().try_fold(0u64, |a, &d| {
            d.is_ascii_digit().then(|| a * 10 + u64::from(d - b'0'))
        })
    };
    let mut out = Vec::with_capacity(count);
    for (i, rec) in buf.chunks_exact(20).enumerate() {
        let (Some(off), Some(gen)) = (
            rec.get(..10).and_then(digits),
            rec.get(11..16).and_then(digits),
        ) else {
            return Ok(None);
        };
        if rec.get(10) != Some(&b' ')
            || rec.get(16) != Some(&b' ')
            || !matches!(rec.get(18..20), Some(b" \n" | b" \r" | b"\r\n"))
        {
            return Ok(None);
        }
        let num = first
            .checked_add(i as u32)
            .ok_or_else(|| PdfError::xref(start, "object number overflow"))?;
        let gen =
            u16::try_from(gen).map_err(|_| PdfError::xref(start, "generation out of range"))?;
        let e = match rec.get(17).copied().unwrap_or(0) {
            b'n' if off < cx.src.len() => Entry::InFile { offset: off, gen },
            b'n' => {
                return Err(PdfError::xref(
                    start + 20 * i as u64,
                    format!("object {num} is at offset {off}, outside the file"),
                ))
            }
            b'f' => Entry::Free { next_gen: gen },
            _ => return Ok(None),
        };
        out.push((num, e));
    }
    Ok(Some(out))
}

/// Sorts, refuses duplicates and numbers at or beyond `/Size`, drops object 0.
fn finish_entries(
    mut entries: Vec<(u32, Entry)>,
    trailer: &Dict,
    at: u64,
) -> Result<Vec<(u32, Entry)>> {
    let size = trailer
        .get(b"Size")
        .and_then(Object::as_int)
        .and_then(|s| u32::try_from(s).ok())
        .ok_or_else(|| PdfError::xref(at, "trailer without an integer /Size"))?;
    entries.sort_by_key(|(n, _)| *n);
    if let Some(w) = entries
        .windows(2)
        .find(|w| matches!(w, [a, b] if a.0 == b.0))
    {
        let n = w.first().map_or(0, |e| e.0);
        return Err(PdfError::xref(
            at,
            format!("object {n} appears twice in one section"),
        ));
    }
    if let Some((n, _)) = entries.iter().find(|(n, _)| *n >= size) {
        return Err(PdfError::xref(
            at,
            format!("object {n} is not below /Size {size}"),
        ));
    }
    entries.retain(|(n, _)| *n != 0);
    Ok(entries)
}

/// Reads the raw (encoded) data of a stream that lies in the file.
pub(crate) fn raw_stream_data(src: &dyn Source, s: &Stream, max: usize) -> Result<Vec<u8>> {
    let len = usize::try_from(s.length)
        .ok()
        .filter(|&l| l <= max)
        .ok_or_else(|| {
            PdfError::limit(
                "max_inflated_size",
                max as u64,
                format!("the stream data at byte {}", s.data_offset),
            )
        })?;
    let mut buf = vec![0u8; len];
    read_exact_at(src, s.data_offset, &mut buf)?;
    Ok(buf)
}

fn read_stream_section(cx: &Ctx<'_>, offset: u64) -> Result<Section> {
    if offset >= cx.src.len() {
        return Err(PdfError::xref(
            offset,
            "cross-reference stream offset past the end of the file",
        ));
    }
    let mut lex = Lexer::new(FileInput::new(cx.src), offset, cx.budget, cx.parse.max_size);
    let ind = parser::parse_indirect(&mut lex, cx.parse, cx.src.len(), &mut |_| {
        Err(PdfError::xref(
            offset,
            "a cross-reference stream's /Length must be direct",
        ))
    })?;
    let Object::Stream(stream) = ind.obj else {
        return Err(PdfError::xref(
            offset,
            "the object at the cross-reference offset is not a stream",
        ));
    };
    if stream.dict.name(b"Type") != Some(b"XRef") {
        return Err(PdfError::xref(
            offset,
            "the stream at the cross-reference offset is not /Type /XRef",
        ));
    }
    let raw = raw_stream_data(cx.src, &stream, cx.max_inflated)?;
    let data = filters::decode(raw, &stream.dict, cx.max_inflated, cx.budget)
        .map_err(|e| e.in_object(ind.num, ind.gen))?;
    let entries = stream_entries(cx, &stream.dict, &data, offset)?;
    let entries = finish_entries(entries, &stream.dict, offset)?;
    Ok(Section {
        offset,
        kind: XrefKind::Stream,
        entries,
        trailer: stream.dict,
        end: ind.end,
        stream_ref: Some(ObjRef {
            num: ind.num,
            gen: ind.gen,
        }),
        hybrid: None,
    })
}

fn int_array(d: &Dict, key: &[u8], at: u64) -> Result<Option<Vec<u64>>> {
    match d.get(key) {
        None => Ok(None),
        Some(Object::Array(a)) => a
            .iter()
            .map(|o| o.as_int().and_then(|i| u64::try_from(i).ok()))
            .collect::<Option<Vec<u64>>>()
            .map(Some)
            .ok_or_else(|| {
                PdfError::xref(
                    at,
                    format!("{} holds a non-integer", super::object::name_str(key)),
                )
            }),
        Some(_) => Err(PdfError::xref(
            at,
            format!("{} is not an array", super::object::name_str(key)),
        )),
    }
}

fn stream_entries(cx: &Ctx<'_>, d: &Dict, data: &[u8], at: u64) -> Result<Vec<(u32, Entry)>> {
    let w = int_array(d, b"W", at)?
        .ok_or_else(|| PdfError::xref(at, "cross-reference stream without /W"))?;
    let [w1, w2, w3] =
        <[u64; 3]>::try_from(w).map_err(|_| PdfError::xref(at, "/W must have three entries"))?;
    if w1 > 8 || w2 > 8 || w3 > 8 {
        return Err(PdfError::xref(at, "/W field wider than 8 bytes"));
    }
    let width = (w1 + w2 + w3) as usize;
    let size = d
        .get(b"Size")
        .and_then(Object::as_int)
        .and_then(|s| u64::try_from(s).ok());
    let index = match int_array(d, b"Index", at)? {
        Some(ix) => ix,
        None => vec![
            0,
            size.ok_or_else(|| PdfError::xref(at, "cross-reference stream without /Size"))?,
        ],
    };
    if index.len() % 2 != 0 {
        return Err(PdfError::xref(at, "/Index must hold pairs"));
    }
    let total: u64 = index
        .chunks(2)
        .map(|p| p.get(1).copied().unwrap_or(0))
        .sum();
    if total > cx.max_objects as u64 {
        return Err(PdfError::limit(
            "max_pdf_objects",
            cx.max_objects as u64,
            format!("the cross-reference stream at byte {at}"),
        ));
    }
    if width == 0 || data.len() as u64 != total * width as u64 {
        return Err(PdfError::xref(
            at,
            format!(
                "cross-reference stream holds {} bytes, /Index and /W call for {}",
                data.len(),
                total * width as u64
            ),
        ));
    }
    let mut out = Vec::with_capacity(total as usize);
    let mut rows = data.chunks(width);
    for pair in index.chunks(2) {
        let (first, count) = (
            pair.first().copied().unwrap_or(0),
            pair.get(1).copied().unwrap_or(0),
        );
        for i in 0..count {
            let row = rows.next().unwrap_or_default();
            let num = u32::try_from(first + i)
                .map_err(|_| PdfError::xref(at, "object number overflow"))?;
            if let Some(e) = stream_entry(row, [w1, w2, w3], num, cx.src.len(), at)? {
                out.push((num, e));
            }
        }
    }
    Ok(out)
}

fn be(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b))
}

fn stream_entry(
    row: &[u8],
    w: [u64; 3],
    num: u32,
    file_len: u64,
    at: u64,
) -> Result<Option<Entry>> {
    let (a, rest) = row.split_at((w[0] as usize).min(row.len()));
    let (b, c) = rest.split_at((w[1] as usize).min(rest.len()));
    let kind = if w[0] == 0 { 1 } else { be(a) };
    let (f2, f3) = (be(b), be(c));
    let small = |v: u64, what: &str| -> Result<u32> {
        u32::try_from(v)
            .map_err(|_| PdfError::xref(at, format!("{what} of object {num} out of range")))
    };
    Ok(match kind {
        0 => Some(Entry::Free {
            next_gen: u16::try_from(f3).unwrap_or(u16::MAX),
        }),
        1 => {
            if f2 >= file_len {
                return Err(PdfError::xref(
                    at,
                    format!("object {num} is at offset {f2}, outside the file"),
                ));
            }
            let gen = u16::try_from(f3).map_err(|_| {
                PdfError::xref(at, format!("generation of object {num} out of range"))
            })?;
            Some(Entry::InFile { offset: f2, gen })
        }
        2 => Some(Entry::InStream {
            stream: small(f2, "object stream number")?,
            index: small(f3, "object stream index")?,
        }),
        // Other types are reserved: a reference to such an object is a reference to null.
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx<'a>(src: &'a dyn Source, b: &'a Budget) -> Ctx<'a> {
        Ctx {
            src,
            budget: b,
            parse: ParseLimits {
                max_depth: 16,
                max_size: 1 << 20,
            },
            max_objects: 1000,
            max_inflated: 1 << 20,
        }
    }

    #[test]
    fn a_classic_table_with_subsections() {
        let mut f = b"%PDF-1.4\n1 0 obj 5 endobj\n".to_vec();
        let x = f.len() as u64;
        f.extend_from_slice(b"xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \n4 1 \n0000000009 00001 n\r\ntrailer << /Size 5 >>\n");
        let b = Budget::new(1 << 20);
        let s = read_section(&cx(&f, &b), x).unwrap();
        assert_eq!(s.kind, XrefKind::Table);
        assert_eq!(s.get(1), Some(Entry::InFile { offset: 9, gen: 0 }));
        assert_eq!(s.get(4), Some(Entry::InFile { offset: 9, gen: 1 }));
        assert_eq!(s.get(0), None);
        assert_eq!(s.trailer.get(b"Size"), Some(&Object::Int(5)));
    }

    #[test]
    fn broken_tables_are_errors() {
        let b = Budget::new(1 << 20);
        for bad in [
            &b"xref\n0 1\n0000000000 65535 f \n"[..],
            b"xref\n0 2\n0000000000 65535 f \n0000099999 00000 n \ntrailer << /Size 2 >>",
            b"xref\n0 2\n0000000000 65535 f \n0000000001 00000 x \ntrailer << /Size 2 >>",
            b"xref\n1 1\n0000000001 00000 n \n1 1\n0000000001 00000 n \ntrailer << /Size 2 >>",
            b"xref\n0 3\n0000000000 65535 f \n0000000001 00000 n \n0000000001 00000 n \ntrailer << /Size 2 >>",
            b"xref\n0 1\n0000000000 65535 f \ntrailer [1]",
            b"hello",
        ] {
            let v = bad.to_vec();
            assert!(read_section(&cx(&v, &b), 0).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        let v = b"xref\n0 1\n0000000000 65535 f \ntrailer << /Size 1 >>".to_vec();
        assert!(read_section(&cx(&v, &b), 100).is_err());
    }

    #[test]
    fn the_object_bound_applies_to_tables() {
        let b = Budget::new(1 << 20);
        let v = b"xref\n0 5000\n".to_vec();
        let e = read_section(&cx(&v, &b), 0).unwrap_err();
        assert_eq!(e.limit_name(), Some("max_pdf_objects"));
    }

    #[test]
    fn an_xref_stream_with_index_and_types() {
        // Rows: W [1 2 1]; objects 0 (free), 1 (in file at 0), 5..6 in object stream 9.
        let rows: Vec<u8> = vec![0, 0, 0, 255, 1, 0, 0, 0, 2, 0, 9, 0, 2, 0, 9, 1];
        let mut f = format!(
            "7 0 obj << /Type /XRef /Size 10 /W [1 2 1] /Index [0 2 5 2] /Length {} >> stream\n",
            rows.len()
        )
        .into_bytes();
        f.extend_from_slice(&rows);
        f.extend_from_slice(b"\nendstream\nendobj\n");
        let b = Budget::new(1 << 20);
        let s = read_section(&cx(&f, &b), 0).unwrap();
        assert_eq!(s.kind, XrefKind::Stream);
        assert_eq!(s.stream_ref, Some(ObjRef { num: 7, gen: 0 }));
        assert_eq!(s.get(1), Some(Entry::InFile { offset: 0, gen: 0 }));
        assert_eq!(
            s.get(6),
            Some(Entry::InStream {
                stream: 9,
                index: 1
            })
        );
        // Too short data for /Index.
        let mut g = f.clone();
        let pos = g.windows(8).position(|w| w == b"[0 2 5 2").unwrap();
        g[pos + 7] = b'3';
        assert!(read_section(&cx(&g, &b), 0).is_err());
    }
}
