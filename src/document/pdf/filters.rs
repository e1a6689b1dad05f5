//! Stream filters (ISO 32000-1 §7.4): FlateDecode with an output cap
//! ([`crate::Limits::max_inflated_size`]) and the PNG/TIFF predictors cross-reference
//! streams use, ASCIIHexDecode and ASCII85Decode. Anything else is a typed error.

use super::error::{PdfError, Result};
use super::object::{name_str, Dict, Object};
use super::source::Budget;

/// Decodes `raw` through the stream's `/Filter` chain.
pub(crate) fn decode(
    raw: Vec<u8>,
    dict: &Dict,
    max_out: usize,
    budget: &Budget,
) -> Result<Vec<u8>> {
    let filters: Vec<&[u8]> = match dict.get(b"Filter") {
        None | Some(Object::Null) => return Ok(raw),
        Some(Object::Name(n)) => vec![n.as_slice()],
        Some(Object::Array(a)) => a
            .iter()
            .map(|f| {
                f.as_name()
                    .ok_or_else(|| PdfError::filter("/Filter array holds a non-name"))
            })
            .collect::<Result<_>>()?,
        Some(o) => return Err(PdfError::filter(format!("/Filter is a {}", o.type_name()))),
    };
    let parms: Vec<Option<&Dict>> = match dict.get(b"DecodeParms") {
        None | Some(Object::Null) => vec![None; filters.len()],
        Some(Object::Dict(d)) => vec![Some(d)],
        Some(Object::Array(a)) => a.iter().map(|p| p.as_dict()).collect(),
        Some(o) => {
            return Err(PdfError::filter(format!(
                "/DecodeParms is a {}",
                o.type_name()
            )))
        }
    };
    let mut data = raw;
    for (i, f) in filters.iter().enumerate() {
        let p = parms.get(i).copied().flatten();
        data = match *f {
            b"FlateDecode" | b"Fl" => {
                let out = inflate(&data, max_out, budget)?;
                predict(out, p, max_out)?
            }
            b"ASCIIHexDecode" | b"AHx" => ascii_hex(&data)?,
            b"ASCII85Decode" | b"A85" => ascii85(&data, max_out)?,
            other => {
                return Err(PdfError::filter(format!(
                    "unsupported filter {}",
                    name_str(other)
                )))
            }
        };
    }
    Ok(data)
}

fn cap_error(max_out: usize) -> PdfError {
    PdfError::limit("max_inflated_size", max_out as u64, "the decoded stream")
}

/// zlib inflate, refusing output beyond `max_out` and truncated data.
pub(crate) fn inflate(input: &[u8], max_out: usize, budget: &Budget) -> Result<Vec<u8>> {
    use flate2::{Decompress, FlushDecompress, Status};
    let mut d = Decompress::new(true);
    let mut out: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let (in_before, out_before) = (d.total_in(), d.total_out());
        let rest = usize::try_from(in_before)
            .ok()
            .and_then(|i| input.get(i..))
            .unwrap_or_default();
        let st = d
            .decompress(rest, &mut chunk, FlushDecompress::None)
            .map_err(|e| PdfError::filter(format!("corrupt Flate data: {e}")))?;
        let produced = (d.total_out() - out_before) as usize;
        if out.len() + produced > max_out {
            return Err(cap_error(max_out));
        }
        out.extend_from_slice(chunk.get(..produced).unwrap_or_default());
        budget.spend(1 + (produced / 1024) as u64)?;
        if st == Status::StreamEnd {
            return Ok(out);
        }
        if produced == 0 && d.total_in() == in_before {
            return Err(PdfError::filter("truncated Flate data"));
        }
    }
}

fn parm(p: Option<&Dict>, key: &[u8], default: i64) -> Result<i64> {
    match p.and_then(|d| d.get(key)) {
        None => Ok(default),
        Some(Object::Int(v)) => Ok(*v),
        Some(_) => Err(PdfError::filter(format!(
            "/DecodeParms {} is not an integer",
            name_str(key)
        ))),
    }
}

/// Undoes a `/Predictor` (2 = TIFF for 8-bit samples, 10–15 = PNG, per row).
fn predict(data: Vec<u8>, p: Option<&Dict>, max_out: usize) -> Result<Vec<u8>> {
    let predictor = parm(p, b"Predictor", 1)?;
    if predictor == 1 {
        return Ok(data);
    }
    let colors = parm(p, b"Colors", 1)?;
    let bpc = parm(p, b"BitsPerComponent", 8)?;
    let columns = parm(p, b"Columns", 1)?;
    if !(1..=32).contains(&colors)
        || ![1, 2, 4, 8, 16].contains(&bpc)
        || !(1..=1 << 20).contains(&columns)
    {
        return Err(PdfError::filter("predictor parameters out of range"));
    }
    let bpp = ((colors * bpc + 7) / 8) as usize;
    let row = ((colors * bpc * columns + 7) / 8) as usize;
    if data.is_empty() {
        return Ok(data);
    }
    if row >= data.len() {
        // Not even one row (and its filter byte): refuse before allocating row buffers.
        return Err(PdfError::filter(format!(
            "predictor rows of {row} bytes in {} bytes of data",
            data.len()
        )));
    }
    match predictor {
        2 if bpc == 8 => Ok(tiff(data, row, bpp)),
        10..=15 => png(&data, row, bpp, max_out),
        _ => Err(PdfError::filter(format!(
            "unsupported /Predictor {predictor}"
        ))),
    }
}

fn tiff(mut data: Vec<u8>, row: usize, bpp: usize) -> Vec<u8> {
    for line in data.chunks_mut(row) {
        for i in bpp..line.len() {
            let left = line.get(i - bpp).copied().unwrap_or(0);
            if let Some(b) = line.get_mut(i) {
                *b = b.wrapping_add(left);
            }
        }
    }
    data
}

fn png(data: &[u8], row: usize, bpp: usize, max_out: usize) -> Result<Vec<u8>> {
    if !data.len().is_multiple_of(row + 1) {
        return Err(PdfError::filter(format!(
            "PNG predictor data of {} bytes is not whole rows of {}",
            data.len(),
            row + 1
        )));
    }
    let mut out: Vec<u8> = Vec::with_capacity((data.len() / (row + 1) * row).min(max_out));
    let mut prev = vec![0u8; row];
    let mut cur = vec![0u8; row];
    for line in data.chunks(row + 1) {
        let (&kind, bytes) = line
            .split_first()
            .ok_or_else(|| PdfError::filter("empty PNG row"))?;
        for i in 0..row {
            let x = bytes.get(i).copied().unwrap_or(0);
            let a = if i >= bpp {
                cur.get(i - bpp).copied().unwrap_or(0)
            } else {
                0
            };
            let b = prev.get(i).copied().unwrap_or(0);
            let c = if i >= bpp {
                prev.get(i - bpp).copied().unwrap_or(0)
            } else {
                0
            };
            let v = match kind {
                0 => x,
                1 => x.wrapping_add(a),
                2 => x.wrapping_add(b),
                3 => x.wrapping_add(((u16::from(a) + u16::from(b)) / 2) as u8),
                4 => x.wrapping_add(paeth(a, b, c)),
                k => return Err(PdfError::filter(format!("PNG row filter {k}"))),
            };
            if let Some(slot) = cur.get_mut(i) {
                *slot = v;
            }
        }
        out.extend_from_slice(&cur);
        std::mem::swap(&mut prev, &mut cur);
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

fn ascii_hex(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() / 2);
    let mut high: Option<u8> = None;
    for &b in data {
        if b == b'>' {
            break;
        }
        if super::lexer::is_whitespace(b) {
            continue;
        }
        let v = (b as char)
            .to_digit(16)
            .ok_or_else(|| PdfError::filter(format!("byte 0x{b:02x} in ASCIIHex data")))?
            as u8;
        match high.take() {
            Some(h) => out.push(h << 4 | v),
            None => high = Some(v),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    Ok(out)
}

fn ascii85(data: &[u8], max_out: usize) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() * 4 / 5);
    let mut group: Vec<u32> = Vec::with_capacity(5);
    for &b in data {
        match b {
            b'~' => break,
            b'z' if group.is_empty() => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group.push(u32::from(b - b'!'));
                if group.len() == 5 {
                    out.extend_from_slice(&a85_word(&group)?);
                    group.clear();
                }
            }
            b if super::lexer::is_whitespace(b) => {}
            b => return Err(PdfError::filter(format!("byte 0x{b:02x} in ASCII85 data"))),
        }
        if out.len() > max_out {
            return Err(cap_error(max_out));
        }
    }
    if !group.is_empty() {
        if group.len() == 1 {
            return Err(PdfError::filter(
                "ASCII85 data ends with a single character",
            ));
        }
        let n = group.len();
        group.resize(5, 84);
        let w = a85_word(&group)?;
        out.extend_from_slice(w.get(..n - 1).unwrap_or_default());
    }
    Ok(out)
}

fn a85_word(g: &[u32]) -> Result<[u8; 4]> {
    let v = g
        .iter()
        .try_fold(0u64, |acc, &d| Some(acc * 85 + u64::from(d)));
    match v.and_then(|v| u32::try_from(v).ok()) {
        Some(v) => Ok(v.to_be_bytes()),
        None => Err(PdfError::filter("ASCII85 group out of range")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::ZlibEncoder;
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn dict(pairs: Vec<(&[u8], Object)>) -> Dict {
        Dict(pairs.into_iter().map(|(k, v)| (k.to_vec(), v)).collect())
    }

    fn flate() -> Object {
        Object::Name(b"FlateDecode".to_vec())
    }

    #[test]
    fn flate_round_trips_and_is_capped() {
        let b = Budget::new(1 << 30);
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 256) as u8).collect();
        let d = dict(vec![(b"Filter", flate())]);
        assert_eq!(decode(zlib(&data), &d, 100_000, &b).unwrap(), data);
        let e = decode(zlib(&data), &d, 99_999, &b).unwrap_err();
        assert_eq!(e.limit_name(), Some("max_inflated_size"));
        let bomb = zlib(&vec![0u8; 50 << 20]);
        assert_eq!(
            decode(bomb, &d, 1 << 20, &b).unwrap_err().limit_name(),
            Some("max_inflated_size")
        );
    }

    #[test]
    fn truncated_and_corrupt_flate_are_errors() {
        let b = Budget::new(1 << 30);
        let z = zlib(b"hello hello hello hello");
        let d = dict(vec![(b"Filter", flate())]);
        assert!(decode(z[..z.len() - 6].to_vec(), &d, 1000, &b).is_err());
        assert!(decode(b"not zlib".to_vec(), &d, 1000, &b).is_err());
        assert_eq!(decode(Vec::new(), &dict(vec![]), 10, &b).unwrap(), b"");
    }

    #[test]
    fn png_up_predictor_as_in_xref_streams() {
        let b = Budget::new(1 << 30);
        // Two rows of 3 columns, filter 2 (Up).
        let rows = [2u8, 1, 2, 3, 2, 1, 1, 1];
        let parms = Object::Dict(dict(vec![
            (b"Predictor", Object::Int(12)),
            (b"Columns", Object::Int(3)),
        ]));
        let d = dict(vec![(b"Filter", flate()), (b"DecodeParms", parms)]);
        assert_eq!(
            decode(zlib(&rows), &d, 1000, &b).unwrap(),
            vec![1, 2, 3, 2, 3, 4]
        );
        assert!(decode(zlib(&rows[..7]), &d, 1000, &b).is_err());
    }

    #[test]
    fn paeth_sub_and_average_rows() {
        let out = png(&[1, 5, 5, 3, 0, 10, 4, 1, 1], 2, 1, 100).unwrap();
        assert_eq!(out, vec![5, 10, 2, 16, 3, 17]);
    }

    #[test]
    fn ascii_filters_and_unknown_filters() {
        let b = Budget::new(1 << 30);
        let hex = dict(vec![(b"Filter", Object::Name(b"AHx".to_vec()))]);
        assert_eq!(
            decode(b"48 65 6C6c6F7>".to_vec(), &hex, 100, &b).unwrap(),
            b"Hellop"
        );
        let a85 = dict(vec![(b"Filter", Object::Name(b"ASCII85Decode".to_vec()))]);
        assert_eq!(
            decode(b"87cURD]i,\"Ebo80~>".to_vec(), &a85, 100, &b).unwrap(),
            b"Hello World!"
        );
        assert_eq!(decode(b"z~>".to_vec(), &a85, 100, &b).unwrap(), vec![0; 4]);
        let lzw = dict(vec![(b"Filter", Object::Name(b"LZWDecode".to_vec()))]);
        assert!(decode(vec![1], &lzw, 100, &b)
            .unwrap_err()
            .to_string()
            .contains("/LZWDecode"));
        let chain = dict(vec![(
            b"Filter",
            Object::Array(vec![Object::Name(b"AHx".to_vec()), flate()]),
        )]);
        let z = zlib(b"chained");
        let hexed: String = z.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            decode(hexed.into_bytes(), &chain, 100, &b).unwrap(),
            b"chained"
        );
    }
}
