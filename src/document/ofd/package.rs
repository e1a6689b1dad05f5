//! The hardened OFD package reader: a ZIP file held in memory, walked and checked by
//! `zipcheck` before the `zip` crate reads its central directory, the two views compared,
//! and entries inflated on demand by exact name, with the declared size, the actual size and
//! the CRC-32 enforced. Nothing is ever written to disk.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::sync::{Arc, OnceLock};

use serde::Serialize;

use super::zipcheck::{self, WalkedEntry, METHOD_DEFLATE, METHOD_STORED};
use super::OfdError;
use crate::Limits;

/// One file or folder of the package, as its (agreeing) ZIP headers describe it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct EntryInfo {
    /// The exact name in the archive (no leading `/`).
    pub name: String,
    /// `stored` or `deflate`.
    pub method: &'static str,
    /// Compressed size in bytes.
    pub compressed_size: u64,
    /// Declared (and, once read, actual) uncompressed size in bytes.
    pub size: u64,
    /// CRC-32 of the uncompressed bytes.
    pub crc32: u32,
    /// A folder entry (name ending in `/`, no data).
    pub is_dir: bool,
}

/// An OFD package: the ZIP bytes and their checked directory.
#[derive(Clone)]
pub struct OfdPackage {
    bytes: Arc<[u8]>,
    entries: Vec<EntryInfo>,
    walked: Vec<WalkedEntry>,
    files: BTreeMap<String, usize>,
    /// Each deflated entry inflated at most once (bounded by `Limits::max_ofd_total_size`).
    inflated: Vec<OnceLock<Result<Arc<[u8]>, OfdError>>>,
    pub(super) limits: Limits,
}

impl std::fmt::Debug for OfdPackage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OfdPackage")
            .field("bytes", &self.bytes.len())
            .field("entries", &self.entries.len())
            .finish()
    }
}

impl OfdPackage {
    /// Opens a package held in memory. The whole structure is checked here (see
    /// `zipcheck`); entry data is inflated later, by [`OfdPackage::read`].
    pub fn open(bytes: impl Into<Arc<[u8]>>, limits: &Limits) -> Result<OfdPackage, OfdError> {
        let bytes: Arc<[u8]> = bytes.into();
        if bytes.len() > limits.max_file_size {
            return Err(OfdError::Limit {
                field: "max_file_size",
                what: "OFD package size".into(),
                value: bytes.len() as u64,
                limit: limits.max_file_size as u64,
            });
        }
        let walked = zipcheck::walk(&bytes, limits)?;
        let config = zip::read::Config {
            archive_offset: zip::read::ArchiveOffset::Known(0),
        };
        let mut archive = zip::ZipArchive::with_config(config, Cursor::new(bytes.clone()))
            .map_err(|e| OfdError::Zip {
                detail: e.to_string(),
            })?;
        cross_check(&mut archive, &walked)?;
        drop(archive);
        let entries: Vec<EntryInfo> = walked.iter().map(entry_info).collect();
        let files = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.is_dir)
            .map(|(i, e)| (e.name.clone(), i))
            .collect();
        Ok(OfdPackage {
            bytes,
            inflated: walked.iter().map(|_| OnceLock::new()).collect(),
            entries,
            walked,
            files,
            limits: limits.clone(),
        })
    }

    /// Reads a package from `reader` (at most [`Limits::max_file_size`] bytes) and opens it.
    pub fn from_reader(reader: impl Read, limits: &Limits) -> Result<OfdPackage, OfdError> {
        let mut bytes = Vec::new();
        let cap = (limits.max_file_size as u64).saturating_add(1);
        reader
            .take(cap)
            .read_to_end(&mut bytes)
            .map_err(|e| OfdError::Io {
                detail: e.to_string(),
            })?;
        OfdPackage::open(bytes, limits)
    }

    /// The package's raw bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Every entry, files and folders, in central-directory order.
    pub fn entries(&self) -> &[EntryInfo] {
        &self.entries
    }

    /// The names of the files (not folders), sorted.
    pub fn file_names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The file with exactly this name (no leading `/`, case-sensitive), if present.
    pub fn entry(&self, name: &str) -> Option<&EntryInfo> {
        self.files.get(name).and_then(|&i| self.entries.get(i))
    }

    /// True when a file has exactly this name.
    pub fn contains(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    /// The uncompressed bytes of the file named exactly `name`: inflated in memory, never
    /// more than the declared size, which must be met exactly, and the CRC-32 must match.
    ///
    /// The data is taken at the offset the structural walk checked (the `zip` crate agreed
    /// on it at open) and inflated with flate2 into a buffer of exactly the declared size.
    pub fn read(&self, name: &str) -> Result<Vec<u8>, OfdError> {
        self.read_cow(name).map(std::borrow::Cow::into_owned)
    }

    /// [`OfdPackage::read`], borrowing the bytes: a stored entry's from the package, a
    /// deflated entry's from the package's memo (each entry is inflated at most once).
    pub fn read_cow(&self, name: &str) -> Result<std::borrow::Cow<'_, [u8]>, OfdError> {
        use std::borrow::Cow;
        let missing = || OfdError::Missing {
            file: name.to_owned(),
        };
        let index = *self.files.get(name).ok_or_else(missing)?;
        let (entry, walked) = self
            .entries
            .get(index)
            .zip(self.walked.get(index))
            .ok_or_else(missing)?;
        let failed = |detail: String| OfdError::Entry {
            name: name.to_owned(),
            detail,
        };
        let start = usize::try_from(walked.data_start).map_err(|_| missing())?;
        let len = usize::try_from(walked.compressed_size).map_err(|_| missing())?;
        let size = usize::try_from(entry.size).map_err(|_| missing())?;
        let data = self
            .bytes
            .get(start..start.saturating_add(len))
            .ok_or_else(|| failed("data outside the file".into()))?;
        if walked.method == METHOD_STORED {
            if crc32fast::hash(data) != entry.crc32 {
                return Err(failed("CRC-32 mismatch".into()));
            }
            return Ok(Cow::Borrowed(data));
        }
        let cell = self.inflated.get(index).ok_or_else(missing)?;
        let out = cell.get_or_init(|| {
            let out = inflate(data, size).map_err(failed)?;
            if crc32fast::hash(&out) != entry.crc32 {
                return Err(failed("CRC-32 mismatch".into()));
            }
            Ok(out.into())
        });
        match out {
            Ok(bytes) => Ok(Cow::Borrowed(&bytes[..])),
            Err(e) => Err(e.clone()),
        }
    }
}

/// Inflates a raw deflate stream that must yield exactly `size` bytes.
fn inflate(data: &[u8], size: usize) -> Result<Vec<u8>, String> {
    use flate2::{Decompress, FlushDecompress, Status};
    // One byte of room past the declared size, to notice a stream that goes on.
    let mut out = Vec::with_capacity(size.saturating_add(1));
    let mut d = Decompress::new(false);
    let status = d
        .decompress_vec(data, &mut out, FlushDecompress::Finish)
        .map_err(|e| format!("inflating: {e}"))?;
    match status {
        Status::StreamEnd if out.len() == size => Ok(out),
        Status::StreamEnd => Err(format!(
            "inflates to {} bytes, but its headers declare {size}",
            out.len()
        )),
        _ if out.len() > size => Err(format!(
            "inflates to {} or more bytes, but its headers declare {size}",
            out.len()
        )),
        _ => Err(format!(
            "the deflate stream ends early ({} of {size} bytes)",
            out.len()
        )),
    }
}

fn entry_info(w: &WalkedEntry) -> EntryInfo {
    EntryInfo {
        name: w.name.clone(),
        method: if w.method == METHOD_STORED {
            "stored"
        } else {
            "deflate"
        },
        compressed_size: w.compressed_size,
        size: w.size,
        crc32: w.crc32,
        is_dir: w.is_dir,
    }
}

/// The `zip` crate must see exactly the entries of the walk, in the same order, with the
/// same names, method, CRC, sizes and offsets.
fn cross_check(
    archive: &mut zip::ZipArchive<Cursor<Arc<[u8]>>>,
    walked: &[WalkedEntry],
) -> Result<(), OfdError> {
    if archive.len() != walked.len() {
        return Err(OfdError::Zip {
            detail: format!(
                "the zip reader sees {} entries, the structural walk {}",
                archive.len(),
                walked.len()
            ),
        });
    }
    for (i, w) in walked.iter().enumerate() {
        let mismatch = |field| OfdError::HeaderMismatch {
            name: w.name.clone(),
            field,
        };
        let f = archive.by_index_raw(i).map_err(|e| OfdError::Entry {
            name: w.name.clone(),
            detail: e.to_string(),
        })?;
        let method_ok = match f.compression() {
            zip::CompressionMethod::Stored => w.method == METHOD_STORED,
            zip::CompressionMethod::Deflated => w.method == METHOD_DEFLATE,
            _ => false,
        };
        if f.name_raw() != w.name.as_bytes() {
            return Err(mismatch("the name (zip reader)"));
        }
        if !method_ok {
            return Err(mismatch("the compression method (zip reader)"));
        }
        if f.crc32() != w.crc32 || f.size() != w.size || f.compressed_size() != w.compressed_size {
            return Err(mismatch("the CRC-32 or sizes (zip reader)"));
        }
        if f.header_start() != w.header_start || f.data_start() != Some(w.data_start) {
            return Err(mismatch("the data offset (zip reader)"));
        }
    }
    Ok(())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// One entry for [`zip`]: name, data, deflate or store.
    pub(crate) struct Item<'a>(pub &'a str, pub &'a [u8], pub bool);

    fn le16(v: usize) -> [u8; 2] {
        (v as u16).to_le_bytes()
    }

    fn le32(v: u64) -> [u8; 4] {
        (v as u32).to_le_bytes()
    }

    /// A minimal ZIP writer for tests; `patch` may edit each local header before it is
    /// written (name, data, local header bytes).
    pub(crate) fn zip_with(items: &[Item<'_>], patch: impl Fn(usize, &mut Vec<u8>)) -> Vec<u8> {
        use std::io::Write;
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (i, Item(name, data, deflate)) in items.iter().enumerate() {
            let body = if *deflate {
                let mut e =
                    flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
                e.write_all(data).unwrap();
                e.finish().unwrap()
            } else {
                data.to_vec()
            };
            let method: u16 = if *deflate { 8 } else { 0 };
            let crc = crc32fast::hash(data);
            let offset = out.len();
            let mut common = Vec::new();
            common.extend(20u16.to_le_bytes());
            common.extend(0u16.to_le_bytes());
            common.extend(method.to_le_bytes());
            common.extend([0, 0, 0x21, 0]);
            common.extend(crc.to_le_bytes());
            common.extend(le32(body.len() as u64));
            common.extend(le32(data.len() as u64));
            common.extend(le16(name.len()));
            common.extend(le16(0));
            let mut local = b"PK\x03\x04".to_vec();
            local.extend(&common);
            local.extend(name.as_bytes());
            patch(i, &mut local);
            out.extend(&local);
            out.extend(&body);
            central.extend(b"PK\x01\x02");
            central.extend(20u16.to_le_bytes());
            central.extend(&common);
            central.extend(le16(0));
            central.extend(le16(0));
            central.extend(le16(0));
            central.extend(le32(0));
            central.extend(le32(offset as u64));
            central.extend(name.as_bytes());
        }
        let cd_offset = out.len();
        out.extend(&central);
        out.extend(b"PK\x05\x06");
        out.extend([0, 0, 0, 0]);
        out.extend(le16(items.len()));
        out.extend(le16(items.len()));
        out.extend(le32(central.len() as u64));
        out.extend(le32(cd_offset as u64));
        out.extend(le16(0));
        out
    }

    pub(crate) fn zip(items: &[Item<'_>]) -> Vec<u8> {
        zip_with(items, |_, _| {})
    }

    fn open(bytes: Vec<u8>) -> Result<OfdPackage, OfdError> {
        OfdPackage::open(bytes, &Limits::default())
    }

    #[test]
    fn entries_are_read_by_exact_name_only() {
        let p = open(zip(&[
            Item("OFD.xml", b"<OFD/>", true),
            Item("Doc_0/", b"", false),
            Item("Doc_0/a.xml", b"stored", false),
        ]))
        .unwrap();
        assert_eq!(p.read("OFD.xml").unwrap(), b"<OFD/>");
        assert_eq!(p.read("Doc_0/a.xml").unwrap(), b"stored");
        assert_eq!(
            p.file_names().collect::<Vec<_>>(),
            ["Doc_0/a.xml", "OFD.xml"]
        );
        for other in ["/OFD.xml", "ofd.xml", "Doc_0/", "Doc_0//a.xml", "./OFD.xml"] {
            assert!(
                matches!(p.read(other), Err(OfdError::Missing { .. })),
                "{other}"
            );
        }
        assert_eq!(p.entries()[0].method, "deflate");
    }

    #[test]
    fn non_canonical_duplicate_and_colliding_names_are_refused() {
        for bad in [
            "../x", "/abs", "a\\b", "a/./b", "a//b", "nul\0x", "tab\tx", "",
        ] {
            let err = open(zip(&[Item(bad, b"x", false)])).unwrap_err();
            assert!(matches!(err, OfdError::Name { .. }), "{bad:?}: {err}");
        }
        let err = open(zip(&[
            Item("a.xml", b"1", false),
            Item("a.xml", b"2", false),
        ]))
        .unwrap_err();
        assert!(err.to_string().contains("duplicate"), "{err}");
        let err = open(zip(&[
            Item("Doc/A.xml", b"1", false),
            Item("doc/a.xml", b"2", false),
        ]))
        .unwrap_err();
        assert!(err.to_string().contains("only in case"), "{err}");
    }

    #[test]
    fn local_headers_must_agree_with_the_central_directory() {
        let items = [
            Item("a.xml", b"hello", false),
            Item("b.xml", b"world", false),
        ];
        // Local name differs (same length).
        let bytes = zip_with(&items, |i, lfh| {
            if i == 1 {
                let n = lfh.len();
                lfh[n - 5] = b'c';
            }
        });
        assert!(matches!(
            open(bytes),
            Err(OfdError::HeaderMismatch {
                field: "the name",
                ..
            })
        ));
        // Local CRC, size, method, flags differ.
        for (offset, field) in [
            (14, "the CRC-32"),
            (22, "the uncompressed size"),
            (8, "the compression method"),
            (6, "the general-purpose flags"),
        ] {
            let bytes = zip_with(&items, |i, lfh| {
                if i == 0 {
                    lfh[offset] ^= 0x01;
                }
            });
            match open(bytes) {
                Err(OfdError::HeaderMismatch { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn prefixes_gaps_trailers_and_zip64_are_refused() {
        let good = zip(&[Item("a.xml", b"hello", false)]);
        let mut prefixed = b"junk".to_vec();
        prefixed.extend(&good);
        assert!(open(prefixed).is_err());
        let mut trailing = good.clone();
        trailing.extend(b"junk");
        assert!(open(trailing).is_err());
        let mut zip64 = good.clone();
        let n = zip64.len();
        zip64[n - 12..n - 10].copy_from_slice(&[0xff, 0xff]);
        zip64[n - 14..n - 12].copy_from_slice(&[0xff, 0xff]);
        assert!(open(zip64).unwrap_err().to_string().contains("Zip64"));
        for cut in [0, 10, good.len() / 2, good.len() - 1] {
            assert!(open(good[..cut].to_vec()).is_err());
        }
    }

    #[test]
    fn sizes_ratio_and_count_are_bounded() {
        let zeros = vec![0u8; 2 << 20];
        let err = open(zip(&[Item("bomb.xml", &zeros, true)])).unwrap_err();
        assert!(
            err.to_string()
                .contains("Limits::max_ofd_compression_ratio"),
            "{err}"
        );
        let small = Limits {
            max_ofd_entry_size: 4,
            ..Limits::default()
        };
        let err = OfdPackage::open(zip(&[Item("a", b"hello", false)]), &small).unwrap_err();
        assert!(
            err.to_string().contains("Limits::max_ofd_entry_size"),
            "{err}"
        );
        let few = Limits {
            max_ofd_entries: 1,
            ..Limits::default()
        };
        let err = OfdPackage::open(zip(&[Item("a", b"1", false), Item("b", b"2", false)]), &few)
            .unwrap_err();
        assert!(err.to_string().contains("Limits::max_ofd_entries"), "{err}");
        let total = Limits {
            max_ofd_total_size: 5,
            ..Limits::default()
        };
        let err = OfdPackage::open(
            zip(&[Item("a", b"123", false), Item("b", b"456", false)]),
            &total,
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("Limits::max_ofd_total_size"),
            "{err}"
        );
    }

    #[test]
    fn an_entry_that_inflates_beyond_its_declared_size_is_an_error() {
        // Declared sizes (local and central) say 3 bytes; the deflate stream holds 5.
        let mut bytes = zip(&[Item("a.xml", b"hello", true)]);
        let declared = 3u32.to_le_bytes();
        bytes[22..26].copy_from_slice(&declared);
        let cd = bytes.len() - 22 - 46 - 5;
        bytes[cd + 24..cd + 28].copy_from_slice(&declared);
        let p = open(bytes).unwrap();
        assert!(matches!(p.read("a.xml"), Err(OfdError::Entry { .. })));
    }
}
