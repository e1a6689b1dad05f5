//! The signed test PDFs of `benches/pdf_verify.rs` (also included by
//! `examples/profile_pdf.rs`): one page with an `mb` MB content stream and one RSA-2048
//! signature made with `openssl cms -sign` over the byte ranges.

use sigbridge::document::pdf::Source;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const CONTENTS: usize = 8192;

pub fn pki() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/docs/pki")
}

/// Writes a PDF whose one page has a `mb` MB content stream (pseudo-random bytes, written
/// in 1 MiB chunks) and one signature field, its `/ByteRange` patched in place; returns the
/// offsets of `/Contents`' `<` and after its `>`.
fn write_unsigned(path: &Path, mb: usize) -> std::io::Result<(u64, u64)> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut pos = 0u64;
    let mut offsets = Vec::new();
    let mut put = |f: &mut std::io::BufWriter<std::fs::File>, b: &[u8]| -> std::io::Result<u64> {
        f.write_all(b)?;
        let at = pos;
        pos += b.len() as u64;
        Ok(at)
    };
    put(&mut f, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")?;
    for (i, body) in [
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /SigFlags 3 >> >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Contents 4 0 R /Annots [5 0 R] >>",
    ]
    .iter()
    .enumerate()
    {
        offsets.push(put(
            &mut f,
            format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes(),
        )?);
    }
    let len = mb << 20;
    offsets.push(put(
        &mut f,
        format!("4 0 obj\n<< /Length {len} >>\nstream\n").as_bytes(),
    )?);
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut chunk = vec![0u8; 1 << 20];
    for _ in 0..mb {
        for w in chunk.chunks_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            w.copy_from_slice(&state.to_le_bytes()[..w.len()]);
        }
        put(&mut f, &chunk)?;
    }
    put(&mut f, b"\nendstream\nendobj\n")?;
    offsets.push(put(&mut f, b"5 0 obj\n<< /FT /Sig /T (Sig1) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 6 0 R >>\nendobj\n")?);
    offsets.push(put(&mut f, b"6 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /M (D:20261120120000+08'00') /ByteRange ")?);
    let br_at = put(&mut f, b"[0 0000000000 0000000000 0000000000] /Contents ")?;
    let mut contents = vec![b'0'; CONTENTS * 2 + 2];
    contents[0] = b'<';
    *contents.last_mut().unwrap() = b'>';
    let lt = put(&mut f, &contents)?;
    let gt = lt + contents.len() as u64;
    put(&mut f, b" >>\nendobj\n")?;
    let mut xref = String::from("xref\n0 7\n0000000000 65535 f \n");
    for o in &offsets {
        xref.push_str(&format!("{o:010} 00000 n \n"));
    }
    let x = put(&mut f, b"")?;
    put(
        &mut f,
        format!("{xref}trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n").as_bytes(),
    )?;
    let total = put(&mut f, b"")?;
    f.flush()?;
    drop(f);
    let br = format!("[0 {lt:010} {gt:010} {:010}]", total - gt);
    let file = std::fs::OpenOptions::new().write(true).open(path)?;
    std::os::unix::fs::FileExt::write_all_at(&file, br.as_bytes(), br_at)?;
    Ok((lt, gt))
}

/// A signed PDF of `mb` MB: the ranges are streamed from the file into `openssl cms -sign`
/// (demo HK RSA key, SHA-256, detached), the CMS written into `/Contents`.
pub fn make_signed(path: &Path, mb: usize) -> std::io::Result<()> {
    let (lt, gt) = write_unsigned(path, mb)?;
    let pki = pki();
    let mut child = Command::new("openssl")
        .args([
            "cms",
            "-sign",
            "-binary",
            "-outform",
            "DER",
            "-nosmimecap",
            "-md",
            "sha256",
        ])
        .arg("-signer")
        .arg(pki.join("hk-personal.pem"))
        .arg("-inkey")
        .arg(pki.join("hk-personal.key"))
        .arg("-certfile")
        .arg(pki.join("hk-ca-15.pem"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    {
        let src = sigbridge::document::pdf::FileSource::open(path)?;
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| std::io::Error::other("stdin"))?;
        let mut buf = vec![0u8; 1 << 20];
        for (start, end) in [(0, lt), (gt, src.len())] {
            let mut at = start;
            while at < end {
                let want = usize::try_from(end - at)
                    .unwrap_or(usize::MAX)
                    .min(buf.len());
                let n = src.read_at(at, &mut buf[..want])?;
                stdin.write_all(&buf[..n])?;
                at += n as u64;
            }
        }
    }
    let out = child.wait_with_output()?;
    if !out.status.success() || out.stdout.len() > CONTENTS {
        return Err(std::io::Error::other("openssl cms -sign failed"));
    }
    let hex = hex::encode_upper(&out.stdout);
    let file = std::fs::OpenOptions::new().write(true).open(path)?;
    std::os::unix::fs::FileExt::write_all_at(&file, hex.as_bytes(), lt + 1)?;
    Ok(())
}
