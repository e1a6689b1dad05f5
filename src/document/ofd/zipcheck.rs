//! The structural walk of a ZIP file, done here from the raw bytes before the `zip` crate sees
//! them, so that a verifier and a viewer cannot be shown different bytes.
//!
//! The walk locates the end-of-central-directory record (which must end the file exactly),
//! reads every central-directory record and its local file header, and refuses: Zip64,
//! multi-disk archives, encryption, methods other than stored and deflate, bytes before the
//! first entry, gaps or overlaps between entries, local headers that disagree with the
//! central directory (flags, method, CRC, sizes, name), non-canonical, duplicate and
//! case-colliding names, and the [`Limits`] on entry count, sizes and compression ratio.
//! The `zip` crate's own view is then cross-checked against this one (`package`).

use std::collections::BTreeSet;

use super::OfdError;
use crate::Limits;

const EOCD_SIG: u32 = 0x0605_4b50;
const CDH_SIG: u32 = 0x0201_4b50;
const LFH_SIG: u32 = 0x0403_4b50;
const DD_SIG: u32 = 0x0807_4b50;
const EOCD_LEN: usize = 22;
const CDH_LEN: usize = 46;
const LFH_LEN: usize = 30;
/// Entries declaring less than this are exempt from the compression-ratio bound.
pub(super) const RATIO_EXEMPT_BELOW: u64 = 1 << 20;

const FLAG_ENCRYPTED: u16 = 0x0001;
const FLAG_DATA_DESCRIPTOR: u16 = 0x0008;
const FLAG_STRONG_ENCRYPTION: u16 = 0x0040;
const FLAG_UTF8: u16 = 0x0800;

/// Compression method 0.
pub(super) const METHOD_STORED: u16 = 0;
/// Compression method 8.
pub(super) const METHOD_DEFLATE: u16 = 8;

/// One entry as the central directory and its local header (which agree) describe it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct WalkedEntry {
    /// The name, UTF-8 and canonical.
    pub(super) name: String,
    /// General-purpose flags.
    pub(super) flags: u16,
    /// 0 (stored) or 8 (deflate).
    pub(super) method: u16,
    /// CRC-32 of the uncompressed data.
    pub(super) crc32: u32,
    /// Compressed size.
    pub(super) compressed_size: u64,
    /// Declared uncompressed size.
    pub(super) size: u64,
    /// Offset of the local file header.
    pub(super) header_start: u64,
    /// Offset of the compressed data.
    pub(super) data_start: u64,
    /// The name ends with `/` (a folder entry, no data).
    pub(super) is_dir: bool,
}

fn zip_err(detail: impl Into<String>) -> OfdError {
    OfdError::Zip {
        detail: detail.into(),
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([*s.first()?, *s.get(1)?]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([
        *s.first()?,
        *s.get(1)?,
        *s.get(2)?,
        *s.get(3)?,
    ]))
}

fn need<T>(v: Option<T>, what: &str) -> Result<T, OfdError> {
    v.ok_or_else(|| zip_err(format!("truncated {what}")))
}

/// The end-of-central-directory record: (entry count, central directory offset, size).
fn find_eocd(b: &[u8]) -> Result<(usize, usize, usize), OfdError> {
    let last = b
        .len()
        .checked_sub(EOCD_LEN)
        .ok_or_else(|| zip_err("too short to be a ZIP file"))?;
    let first = last.saturating_sub(usize::from(u16::MAX));
    // The record whose comment ends the file exactly; a signature inside the comment
    // does not qualify.
    let pos = (first..=last)
        .rev()
        .find(|&p| {
            u32_at(b, p) == Some(EOCD_SIG)
                && u16_at(b, p + 20).map(|c| p + EOCD_LEN + usize::from(c)) == Some(b.len())
        })
        .ok_or_else(|| zip_err("no end-of-central-directory record ends the file"))?;
    let field = |off: usize| need(u16_at(b, pos + off), "end of central directory");
    let (disk, cd_disk, here, total) = (field(4)?, field(6)?, field(8)?, field(10)?);
    let cd_size = need(u32_at(b, pos + 12), "end of central directory")?;
    let cd_offset = need(u32_at(b, pos + 16), "end of central directory")?;
    if here == u16::MAX || total == u16::MAX || cd_size == u32::MAX || cd_offset == u32::MAX {
        return Err(zip_err(
            "Zip64 archives are refused (an OFD package within Limits never needs one)",
        ));
    }
    if disk != 0 || cd_disk != 0 || here != total {
        return Err(zip_err("multi-disk archives are refused"));
    }
    let (cd_offset, cd_size) = (cd_offset as usize, cd_size as usize);
    if cd_offset.checked_add(cd_size) != Some(pos) {
        return Err(zip_err(
            "the central directory does not end where the end-of-central-directory record starts",
        ));
    }
    Ok((usize::from(total), cd_offset, cd_size))
}

/// Walks the whole structure; see the module header for what is refused.
pub(super) fn walk(b: &[u8], limits: &Limits) -> Result<Vec<WalkedEntry>, OfdError> {
    let (count, cd_offset, cd_size) = find_eocd(b)?;
    if count > limits.max_ofd_entries {
        return Err(OfdError::Limit {
            field: "max_ofd_entries",
            what: "entries in the central directory".into(),
            value: count as u64,
            limit: limits.max_ofd_entries as u64,
        });
    }
    let cd = b
        .get(cd_offset..cd_offset + cd_size)
        .ok_or_else(|| zip_err("central directory outside the file"))?;
    let mut entries = Vec::with_capacity(count);
    let mut at = 0usize;
    for _ in 0..count {
        let (entry, len) = central_record(cd, at, b, cd_offset)?;
        at += len;
        entries.push(entry);
    }
    if at != cd.len() {
        return Err(zip_err(
            "the central directory holds more bytes than its records",
        ));
    }
    check_names(&entries)?;
    check_layout(b, &entries, cd_offset)?;
    check_sizes(&entries, limits)?;
    Ok(entries)
}

/// One central-directory record at `at` and its local header; returns it and its length.
fn central_record(
    cd: &[u8],
    at: usize,
    b: &[u8],
    cd_offset: usize,
) -> Result<(WalkedEntry, usize), OfdError> {
    let what = "central directory record";
    if need(u32_at(cd, at), what)? != CDH_SIG {
        return Err(zip_err(format!(
            "bad central directory signature at offset {}",
            cd_offset + at
        )));
    }
    let f16 = |off: usize| need(u16_at(cd, at + off), what);
    let f32 = |off: usize| need(u32_at(cd, at + off), what);
    let (flags, method) = (f16(8)?, f16(10)?);
    let (crc32, csize, usize_) = (f32(16)?, f32(20)?, f32(24)?);
    let (nlen, xlen, clen) = (
        usize::from(f16(28)?),
        usize::from(f16(30)?),
        usize::from(f16(32)?),
    );
    let (disk_start, lfh) = (f16(34)?, f32(42)?);
    let name_bytes = need(cd.get(at + CDH_LEN..at + CDH_LEN + nlen), what)?;
    let len = CDH_LEN + nlen + xlen + clen;
    need(cd.get(at..at + len), what)?;
    let name = canonical_name(name_bytes)?;
    if csize == u32::MAX || usize_ == u32::MAX || lfh == u32::MAX {
        return Err(zip_err(format!("{name}: Zip64 entries are refused")));
    }
    if disk_start != 0 {
        return Err(zip_err(format!("{name}: multi-disk archives are refused")));
    }
    if flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) != 0 {
        return Err(zip_err(format!("{name}: encrypted entries are refused")));
    }
    if method != METHOD_STORED && method != METHOD_DEFLATE {
        return Err(zip_err(format!(
            "{name}: compression method {method} is refused (only stored and deflate)"
        )));
    }
    let is_dir = name.ends_with('/');
    if is_dir && (usize_ != 0 || csize > 2) {
        return Err(zip_err(format!("{name}: a folder entry holds data")));
    }
    let mut entry = WalkedEntry {
        name,
        flags,
        method,
        crc32,
        compressed_size: u64::from(csize),
        size: u64::from(usize_),
        header_start: u64::from(lfh),
        data_start: 0,
        is_dir,
    };
    entry.data_start = local_header(b, &entry, name_bytes)? as u64;
    Ok((entry, len))
}

/// Checks the local header of `e` against its central record; returns the data offset.
fn local_header(b: &[u8], e: &WalkedEntry, name_bytes: &[u8]) -> Result<usize, OfdError> {
    let mismatch = |field| OfdError::HeaderMismatch {
        name: e.name.clone(),
        field,
    };
    let at = e.header_start as usize;
    let what = "local file header";
    if need(u32_at(b, at), what)? != LFH_SIG {
        return Err(mismatch("the local header signature"));
    }
    let f16 = |off: usize| need(u16_at(b, at + off), what);
    let f32 = |off: usize| need(u32_at(b, at + off), what);
    // Bit 11 (UTF-8 names) may differ when the name is ASCII, where it changes nothing.
    let ignored = if e.name.is_ascii() { FLAG_UTF8 } else { 0 };
    if (f16(6)? ^ e.flags) & !ignored != 0 {
        return Err(mismatch("the general-purpose flags"));
    }
    if f16(8)? != e.method {
        return Err(mismatch("the compression method"));
    }
    let (crc, csize, usize_) = (f32(14)?, f32(18)?, f32(22)?);
    let (nlen, xlen) = (usize::from(f16(26)?), usize::from(f16(28)?));
    if need(b.get(at + LFH_LEN..at + LFH_LEN + nlen), what)? != name_bytes {
        return Err(mismatch("the name"));
    }
    let extra = need(b.get(at + LFH_LEN + nlen..at + LFH_LEN + nlen + xlen), what)?;
    // Some writers (streaming Zip64 "as needed") put 0xFFFFFFFF in the local sizes and the
    // real ones in a Zip64 extra field, while the central directory has plain 32-bit sizes.
    let (usize_, csize) = if usize_ == u32::MAX || csize == u32::MAX {
        let (u, c) = zip64_local_sizes(extra).ok_or_else(|| mismatch("the Zip64 local sizes"))?;
        (u, c)
    } else {
        (u64::from(usize_), u64::from(csize))
    };
    let descriptor = e.flags & FLAG_DATA_DESCRIPTOR != 0;
    let agrees = |local: u64, central: u64| local == central || (descriptor && local == 0);
    if !agrees(u64::from(crc), u64::from(e.crc32)) {
        return Err(mismatch("the CRC-32"));
    }
    if !agrees(csize, e.compressed_size) {
        return Err(mismatch("the compressed size"));
    }
    if !agrees(usize_, e.size) {
        return Err(mismatch("the uncompressed size"));
    }
    Ok(at + LFH_LEN + nlen + xlen)
}

/// The (uncompressed, compressed) sizes of a local header's Zip64 extra field (ID 1),
/// which must carry both.
fn zip64_local_sizes(mut extra: &[u8]) -> Option<(u64, u64)> {
    while extra.len() >= 4 {
        let id = u16_at(extra, 0)?;
        let len = usize::from(u16_at(extra, 2)?);
        let body = extra.get(4..4 + len)?;
        if id == 1 {
            let u = u64::from_le_bytes(body.get(..8)?.try_into().ok()?);
            let c = u64::from_le_bytes(body.get(8..16)?.try_into().ok()?);
            return Some((u, c));
        }
        extra = extra.get(4 + len..)?;
    }
    None
}

/// Where the region of `e` (local header, data, data descriptor) ends.
fn region_end(b: &[u8], e: &WalkedEntry) -> Result<usize, OfdError> {
    let data_end = (e.data_start as usize)
        .checked_add(e.compressed_size as usize)
        .ok_or_else(|| zip_err(format!("{}: data size overflows", e.name)))?;
    if e.flags & FLAG_DATA_DESCRIPTOR == 0 {
        return Ok(data_end);
    }
    let mismatch = |field| OfdError::HeaderMismatch {
        name: e.name.clone(),
        field,
    };
    let what = "data descriptor";
    let mut at = data_end;
    if u32_at(b, at) == Some(DD_SIG) {
        at += 4;
    }
    let (crc, csize, usize_) = (
        need(u32_at(b, at), what)?,
        need(u32_at(b, at + 4), what)?,
        need(u32_at(b, at + 8), what)?,
    );
    if crc != e.crc32 {
        return Err(mismatch("the data descriptor's CRC-32"));
    }
    if u64::from(csize) != e.compressed_size || u64::from(usize_) != e.size {
        return Err(mismatch("the data descriptor's sizes"));
    }
    Ok(at + 12)
}

/// Entries tile the file from offset 0 to the central directory: no prefix, gap or overlap
/// where a streaming reader could find entries the central directory does not list.
fn check_layout(b: &[u8], entries: &[WalkedEntry], cd_offset: usize) -> Result<(), OfdError> {
    let mut regions = Vec::with_capacity(entries.len());
    for e in entries {
        regions.push((e.header_start as usize, region_end(b, e)?, &e.name));
    }
    regions.sort();
    let mut expected = 0usize;
    for (start, end, name) in regions {
        if start != expected {
            return Err(zip_err(if start < expected {
                format!("{name}: its local header overlaps the previous entry")
            } else {
                format!(
                    "{name}: {} unlisted bytes before its local header",
                    start - expected
                )
            }));
        }
        expected = end;
    }
    if expected != cd_offset {
        return Err(zip_err(if expected > cd_offset {
            "entry data overlaps the central directory".to_owned()
        } else {
            format!(
                "{} unlisted bytes before the central directory",
                cd_offset - expected
            )
        }));
    }
    Ok(())
}

/// A name as stored, if it is canonical: UTF-8, relative, `/`-separated, no empty, `.` or
/// `..` segment, no backslash, NUL or other control character. A trailing `/` marks a folder.
pub(super) fn canonical_name(raw: &[u8]) -> Result<String, OfdError> {
    let refuse = |reason: &str| OfdError::Name {
        name: String::from_utf8_lossy(raw).into_owned(),
        reason: reason.to_owned(),
    };
    let name = std::str::from_utf8(raw).map_err(|_| refuse("not UTF-8"))?;
    if let Some(reason) = name_problem(name.strip_suffix('/').unwrap_or(name)) {
        return Err(refuse(reason));
    }
    Ok(name.to_owned())
}

/// Why a path (without a folder's trailing `/`) is not canonical, if it is not.
pub(super) fn name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("empty name");
    }
    if name.starts_with('/') {
        return Some("absolute name (leading '/')");
    }
    if name.contains('\\') {
        return Some("backslash in the name");
    }
    if name.chars().any(|c| c == '\0') {
        return Some("NUL in the name");
    }
    if name.chars().any(char::is_control) {
        return Some("control character in the name");
    }
    for segment in name.split('/') {
        match segment {
            "" => return Some("empty path segment ('//' or trailing '/')"),
            "." | ".." => return Some("'.' or '..' path segment"),
            _ => {}
        }
    }
    None
}

/// No two entries share a name, or a name that differs only in case (a case-insensitive
/// file system or viewer would see one file).
fn check_names(entries: &[WalkedEntry]) -> Result<(), OfdError> {
    let mut exact = BTreeSet::new();
    let mut folded = BTreeSet::new();
    for e in entries {
        if !exact.insert(e.name.as_str()) {
            return Err(OfdError::Name {
                name: e.name.clone(),
                reason: "duplicate name".into(),
            });
        }
        let key = e.name.trim_end_matches('/').to_lowercase();
        if !folded.insert(key) {
            return Err(OfdError::Name {
                name: e.name.clone(),
                reason: "differs from another entry's name only in case".into(),
            });
        }
    }
    Ok(())
}

fn check_sizes(entries: &[WalkedEntry], limits: &Limits) -> Result<(), OfdError> {
    let mut total: u64 = 0;
    for e in entries {
        if e.size > limits.max_ofd_entry_size {
            return Err(OfdError::Limit {
                field: "max_ofd_entry_size",
                what: format!("{}: declared uncompressed size", e.name),
                value: e.size,
                limit: limits.max_ofd_entry_size,
            });
        }
        if e.method == METHOD_STORED && e.size != e.compressed_size {
            return Err(zip_err(format!(
                "{}: a stored entry's sizes differ",
                e.name
            )));
        }
        let ratio = e.size / e.compressed_size.max(1);
        if e.size >= RATIO_EXEMPT_BELOW && ratio > limits.max_ofd_compression_ratio {
            return Err(OfdError::Limit {
                field: "max_ofd_compression_ratio",
                what: format!("{}: compression ratio", e.name),
                value: ratio,
                limit: limits.max_ofd_compression_ratio,
            });
        }
        total = total.saturating_add(e.size);
        if total > limits.max_ofd_total_size {
            return Err(OfdError::Limit {
                field: "max_ofd_total_size",
                what: "declared uncompressed size of all entries".into(),
                value: total,
                limit: limits.max_ofd_total_size,
            });
        }
    }
    Ok(())
}
