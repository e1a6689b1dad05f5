//! A 100 MB signed PDF (one page whose content stream is 100 MB, one signature whose
//! `/ByteRange` covers the whole file but `/Contents`): the whole PDF layer (open,
//! signatures, coverage, modifications) and SHA-256 over the signed ranges streamed from the
//! file, against `sha256sum` on the same file, and the peak RSS of the measuring process
//! (a child of this one, so the file's generation does not count). Exits non-zero when the
//! peak RSS passes 64 MiB or the throughput falls below 0.9 × `sha256sum`.
//!
//! ```sh
//! cargo bench --bench pdf_throughput        # SIGBRIDGE_PDF_MB=100 by default
//! ```

use sigbridge::crypto::DigestAlgorithm;
use sigbridge::document::pdf::{FileSource, PdfDocument};
use sigbridge::Limits;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

const CONTENTS: usize = 8192;

/// Writes the file with small buffers: header and objects, the big stream in 1 MiB
/// pseudo-random chunks, the signature dictionary with its /ByteRange patched in place.
fn generate(path: &Path, mb: usize) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut pos = 0usize;
    let mut offsets = Vec::new();
    let put = |f: &mut std::io::BufWriter<std::fs::File>,
               b: &[u8],
               pos: &mut usize|
     -> std::io::Result<()> {
        f.write_all(b)?;
        *pos += b.len();
        Ok(())
    };
    put(&mut f, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", &mut pos)?;
    let len = mb << 20;
    let objs: [&str; 3] = [
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /SigFlags 3 >> >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Contents 4 0 R /Annots [5 0 R] >>",
    ];
    for (i, body) in objs.iter().enumerate() {
        offsets.push(pos);
        put(
            &mut f,
            format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes(),
            &mut pos,
        )?;
    }
    offsets.push(pos);
    put(
        &mut f,
        format!("4 0 obj\n<< /Length {len} >>\nstream\n").as_bytes(),
        &mut pos,
    )?;
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut chunk = vec![0u8; 1 << 20];
    for _ in 0..mb {
        for w in chunk.chunks_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            w.copy_from_slice(&state.to_le_bytes()[..w.len()]);
        }
        put(&mut f, &chunk, &mut pos)?;
    }
    put(&mut f, b"\nendstream\nendobj\n", &mut pos)?;
    offsets.push(pos);
    put(&mut f, b"5 0 obj\n<< /FT /Sig /T (Sig1) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 6 0 R >>\nendobj\n", &mut pos)?;
    offsets.push(pos);
    put(&mut f, b"6 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange ", &mut pos)?;
    let br_at = pos;
    put(
        &mut f,
        b"[0 0000000000 0000000000 0000000000] /Contents ",
        &mut pos,
    )?;
    let lt = pos;
    let mut contents = vec![b'0'; CONTENTS * 2 + 2];
    contents[0] = b'<';
    contents[1..3].copy_from_slice(b"30");
    *contents.last_mut().unwrap() = b'>';
    put(&mut f, &contents, &mut pos)?;
    let gt = pos;
    put(&mut f, b" >>\nendobj\n", &mut pos)?;
    let x = pos;
    let mut xref = String::from("xref\n0 7\n0000000000 65535 f \n");
    for o in &offsets {
        xref.push_str(&format!("{o:010} 00000 n \n"));
    }
    xref.push_str(&format!(
        "trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n"
    ));
    put(&mut f, xref.as_bytes(), &mut pos)?;
    f.flush()?;
    drop(f);
    let br = format!("[0 {lt:010} {gt:010} {:010}]", pos - gt);
    let file = std::fs::OpenOptions::new().write(true).open(path)?;
    std::os::unix::fs::FileExt::write_all_at(&file, br.as_bytes(), br_at as u64)?;
    Ok(())
}

/// VmHWM (peak resident set) of this process, in KiB.
fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The measured run (in the child): prints "seconds peak_kib".
fn measure(path: &Path) {
    let t = Instant::now();
    let doc = PdfDocument::open(FileSource::open(path).unwrap(), &Limits::default()).unwrap();
    let sigs = doc.signatures().unwrap();
    let sig = sigs.first().expect("one signature");
    let cov = doc.coverage(sig).unwrap();
    let m = doc.modifications(sig).unwrap();
    let digest = doc
        .signed_ranges_reader(sig)
        .unwrap()
        .digest(DigestAlgorithm::Sha256)
        .unwrap();
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(digest.len(), 32);
    eprintln!("coverage {:?}, modifications {:?}", cov.level, m.level);
    println!("{secs} {}", peak_rss_kib().unwrap_or(0));
}

fn best<T>(runs: usize, mut f: impl FnMut() -> Option<(f64, T)>) -> Option<(f64, T)> {
    (0..runs)
        .filter_map(|_| f())
        .min_by(|a, b| a.0.total_cmp(&b.0))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--measure") {
        measure(Path::new(&args[i + 1]));
        return;
    }
    let test_mode = args.iter().any(|a| a == "--test");
    let mb: usize = std::env::var("SIGBRIDGE_PDF_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if test_mode { 4 } else { 100 });
    let path: PathBuf = std::env::temp_dir().join(format!("sigbridge-bench-{mb}mb.pdf"));
    if !path.exists() {
        generate(&path, mb).unwrap();
    }
    let size = std::fs::metadata(&path).unwrap().len() as f64;
    let me = std::env::current_exe().unwrap();
    let ours = best(3, || {
        let out = std::process::Command::new(&me)
            .arg("--measure")
            .arg(&path)
            .output()
            .ok()?;
        let s = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut it = s.split_whitespace();
        Some((
            it.next()?.parse::<f64>().ok()?,
            it.next()?.parse::<u64>().ok()?,
        ))
    })
    .expect("the measuring child ran");
    let sha = best(3, || {
        let t = Instant::now();
        let st = std::process::Command::new("sha256sum")
            .arg(&path)
            .output()
            .ok()?;
        st.status.success().then(|| (t.elapsed().as_secs_f64(), ()))
    });
    let openssl = best(3, || {
        let t = Instant::now();
        let st = std::process::Command::new("openssl")
            .args(["dgst", "-sha256"])
            .arg(&path)
            .output()
            .ok()?;
        st.status.success().then(|| (t.elapsed().as_secs_f64(), ()))
    });
    let mbps = |s: f64| size / s / 1e6;
    println!("file: {} ({:.1} MB)", path.display(), size / 1e6);
    println!(
        "sigbridge PDF layer + SHA-256 of the ranges: {:.3} s, {:.0} MB/s, peak RSS {:.1} MiB",
        ours.0,
        mbps(ours.0),
        ours.1 as f64 / 1024.0
    );
    let mut fail = false;
    if let Some((s, ())) = sha {
        let ratio = s / ours.0;
        println!(
            "sha256sum: {s:.3} s, {:.0} MB/s; ratio {ratio:.2} (target >= 0.9)",
            mbps(s)
        );
        fail |= !test_mode && ratio < 0.9;
    }
    if let Some((s, ())) = openssl {
        println!(
            "openssl dgst -sha256 (the machine's fast hashing): {s:.3} s, {:.0} MB/s; ratio {:.2}",
            mbps(s),
            s / ours.0
        );
    }
    if ours.1 > 64 * 1024 {
        println!("peak RSS above 64 MiB");
        fail = true;
    }
    let _ = std::fs::remove_file(&path);
    if fail {
        std::process::exit(1);
    }
}
