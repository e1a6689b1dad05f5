//! Writes the signed-PDF fixtures of `fixtures/pdf/` from scratch: a small PDF writer with
//! incremental updates, signatures over the real byte ranges made with `openssl cms -sign`
//! (demo HK RSA key) or the SM2 builder of `benches/support/sm2_cms.rs` (demo GD SM2 key),
//! and the attack variants (shadow hide / replace / hide-and-replace, signature wrapping,
//! universal signature forgery). Called by `fixtures/generate-pdfs.sh`; the facts each file
//! is built to show are written by hand in `fixtures/pdf/expected.json`.
//!
//! ```text
//! cargo run --example make_pdf_fixtures -- OUT_DIR PKI_DIR TSA
//! ```

#[path = "../benches/support/sm2_cms.rs"]
#[allow(dead_code)]
mod sm2_cms;

use sm2::pkcs8::DecodePrivateKey;
use std::path::{Path, PathBuf};
use std::process::Command;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// Bytes reserved for each signature's CMS (hex doubles it).
const CONTENTS_BYTES: usize = 8192;
const BYTE_RANGE_PLACEHOLDER: &str = "/ByteRange [0 0000000000 0000000000 0000000000]";

/// Where a signature dictionary's placeholders are.
#[derive(Clone, Copy, Debug)]
struct Placeholder {
    /// Offset of `<` of `/Contents`.
    lt: usize,
    /// Offset just after `>`.
    gt_end: usize,
    /// Offset of `[` of `/ByteRange`.
    byte_range: usize,
}

/// An incrementally written PDF.
struct Pdf {
    buf: Vec<u8>,
    /// Objects written in the current revision.
    pending: Vec<(u32, usize)>,
    size: u32,
    prev: Option<usize>,
}

impl Pdf {
    fn new() -> Self {
        Pdf {
            buf: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec(),
            pending: Vec::new(),
            size: 1,
            prev: None,
        }
    }

    fn start(&mut self, n: u32) {
        self.pending.retain(|(m, _)| *m != n);
        self.pending.push((n, self.buf.len()));
        self.size = self.size.max(n + 1);
        self.buf
            .extend_from_slice(format!("{n} 0 obj\n").as_bytes());
    }

    fn obj(&mut self, n: u32, body: &str) {
        self.start(n);
        self.buf.extend_from_slice(body.as_bytes());
        self.buf.extend_from_slice(b"\nendobj\n");
    }

    fn stream(&mut self, n: u32, dict: &str, data: &[u8]) {
        self.start(n);
        self.buf
            .extend_from_slice(format!("<< {dict} /Length {} >>\nstream\n", data.len()).as_bytes());
        self.buf.extend_from_slice(data);
        self.buf.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// A signature dictionary `n` with placeholders; `extra` goes inside the dictionary.
    fn sig(&mut self, n: u32, sub_filter: &str, extra: &str) -> Placeholder {
        self.sig_with(n, sub_filter, extra, CONTENTS_BYTES)
    }

    fn sig_with(&mut self, n: u32, sub_filter: &str, extra: &str, reserve: usize) -> Placeholder {
        self.dict_with(n, "Sig", sub_filter, extra, reserve)
    }

    /// A document timestamp dictionary `n` (`/Type /DocTimeStamp`, `ETSI.RFC3161`).
    fn doc_timestamp(&mut self, n: u32) -> Placeholder {
        self.dict_with(n, "DocTimeStamp", "ETSI.RFC3161", "", CONTENTS_BYTES)
    }

    fn dict_with(
        &mut self,
        n: u32,
        type_name: &str,
        sub_filter: &str,
        extra: &str,
        reserve: usize,
    ) -> Placeholder {
        self.start(n);
        self.buf.extend_from_slice(
            format!(
                "<< /Type /{type_name} /Filter /Adobe.PPKLite /SubFilter /{sub_filter} {extra}\n"
            )
            .as_bytes(),
        );
        let byte_range = self.buf.len() + "/ByteRange ".len();
        self.buf
            .extend_from_slice(BYTE_RANGE_PLACEHOLDER.as_bytes());
        self.buf.extend_from_slice(b"\n/Contents ");
        let lt = self.buf.len();
        self.buf.push(b'<');
        self.buf.extend(std::iter::repeat_n(b'0', reserve * 2));
        self.buf.push(b'>');
        let gt_end = self.buf.len();
        if type_name == "DocTimeStamp" {
            self.buf.extend_from_slice(b"\n>>\nendobj\n");
        } else {
            self.buf.extend_from_slice(
                b"\n/M (D:20261120120000+08'00') /Reason (Demo) /Location (Hong Kong) >>\nendobj\n",
            );
        }
        Placeholder {
            lt,
            gt_end,
            byte_range,
        }
    }

    /// Closes the revision: xref table of its objects, trailer, `startxref`, `%%EOF`.
    fn end_revision(&mut self, trailer: &str) {
        self.pending.sort();
        let x = self.buf.len();
        self.buf
            .extend_from_slice(b"xref\n0 1\n0000000000 65535 f \n");
        for (n, off) in std::mem::take(&mut self.pending) {
            self.buf
                .extend_from_slice(format!("{n} 1\n{off:010} 00000 n \n").as_bytes());
        }
        let prev = self.prev.map(|p| format!(" /Prev {p}")).unwrap_or_default();
        self.buf.extend_from_slice(
            format!(
                "trailer\n<< /Size {} {trailer}{prev} >>\nstartxref\n{x}\n%%EOF\n",
                self.size
            )
            .as_bytes(),
        );
        self.prev = Some(x);
    }

    /// Fills `p` with a signature by `signer` over `[0, lt) ∪ [gt_end, end)` of the file so far.
    fn sign(&mut self, p: Placeholder, signer: &Signer) -> Res<()> {
        let gap = (p.lt, p.gt_end);
        self.sign_ranges(p, gap, signer)
    }

    /// Signs with the gap `gap` (which may differ from the placeholder's own string).
    fn sign_ranges(&mut self, p: Placeholder, gap: (usize, usize), signer: &Signer) -> Res<()> {
        let end = self.buf.len();
        let br = format!("[0 {:010} {:010} {:010}]", gap.0, gap.1, end - gap.1);
        self.buf[p.byte_range..p.byte_range + br.len()].copy_from_slice(br.as_bytes());
        let mut content = self.buf[..gap.0].to_vec();
        content.extend_from_slice(&self.buf[gap.1..]);
        let cms = signer.sign(&content)?;
        let hex = hex::encode_upper(&cms);
        if hex.len() > p.gt_end - p.lt - 2 {
            return Err("CMS larger than the reserved /Contents".into());
        }
        self.buf[p.lt + 1..p.lt + 1 + hex.len()].copy_from_slice(hex.as_bytes());
        Ok(())
    }
}

/// How a signature is made.
enum Signer {
    /// `openssl cms -sign` with the HK demo RSA key (detached, SHA-256).
    Rsa { pki: PathBuf, tmp: PathBuf },
    /// The SM2 builder with the GD demo key (detached, SM3, GB/T 35275 OIDs).
    Sm2 {
        cert: Vec<u8>,
        chain: Vec<Vec<u8>>,
        key: Box<sm2::SecretKey>,
    },
    /// `adbe.pkcs7.sha1`: CMS encapsulating the SHA-1 of the ranges (openssl, RSA).
    RsaSha1 { pki: PathBuf, tmp: PathBuf },
    /// An RFC 3161 token from `openssl ts -reply` with the demo TSA (`hk-tsa.pem`, issued by
    /// HK CA 2 - 15); `wrong_imprint` timestamps the SHA-256 of other bytes.
    Tsa {
        pki: PathBuf,
        tsa: PathBuf,
        tmp: PathBuf,
        wrong_imprint: bool,
    },
    /// `adbe.x509.rsa_sha1`: a bare PKCS #1 signature (SHA-1) in a DER OCTET STRING.
    RsaX509 { pki: PathBuf, tmp: PathBuf },
}

impl Signer {
    fn sign(&self, content: &[u8]) -> Res<Vec<u8>> {
        match self {
            Signer::Rsa { pki, tmp } => openssl_sign(pki, tmp, content, &["-md", "sha256"]),
            Signer::RsaSha1 { pki, tmp } => {
                let digest = sigbridge::crypto::DigestAlgorithm::Sha1.digest(content);
                openssl_sign(pki, tmp, &digest, &["-md", "sha256", "-nodetach"])
            }
            Signer::Tsa {
                pki,
                tsa,
                tmp,
                wrong_imprint,
            } => {
                let digest = if *wrong_imprint {
                    sigbridge::crypto::DigestAlgorithm::Sha256.digest(b"other bytes")
                } else {
                    sigbridge::crypto::DigestAlgorithm::Sha256.digest(content)
                };
                timestamp_token(pki, tsa, tmp, &digest)
            }
            Signer::RsaX509 { pki, tmp } => {
                let input = tmp.join("x509-content.bin");
                std::fs::write(&input, content)?;
                let out = Command::new("openssl")
                    .args(["dgst", "-sha1", "-sign"])
                    .arg(pki.join("hk-personal.key"))
                    .arg(&input)
                    .output()?;
                if !out.status.success() {
                    return Err("openssl dgst -sign failed".into());
                }
                let mut der = vec![0x04, 0x82];
                der.extend_from_slice(&(out.stdout.len() as u16).to_be_bytes());
                der.extend_from_slice(&out.stdout);
                Ok(der)
            }
            Signer::Sm2 { cert, chain, key } => sm2_cms::build(&sm2_cms::Request {
                cert,
                chain,
                key,
                id: "1234567812345678",
                content,
                detached: true,
                signing_time: "261120120000Z",
                ber_chunk: 0,
                content_types: sm2_cms::ContentTypes::GbT,
                signed_attributes: true,
            })
            .map_err(|e| e.to_string().into()),
        }
    }
}

fn openssl_sign(pki: &Path, tmp: &Path, content: &[u8], extra: &[&str]) -> Res<Vec<u8>> {
    let (input, out) = (tmp.join("content.bin"), tmp.join("sig.der"));
    std::fs::write(&input, content)?;
    let st = Command::new("openssl")
        .args(["cms", "-sign", "-binary", "-outform", "DER", "-nosmimecap"])
        .args(extra)
        .arg("-signer")
        .arg(pki.join("hk-personal.pem"))
        .arg("-inkey")
        .arg(pki.join("hk-personal.key"))
        .arg("-certfile")
        .arg(pki.join("hk-ca-15.pem"))
        .arg("-in")
        .arg(&input)
        .arg("-out")
        .arg(&out)
        .status()?;
    if !st.success() {
        return Err("openssl cms -sign failed".into());
    }
    Ok(std::fs::read(out)?)
}

/// An RFC 3161 timestamp token (a CMS SignedData over a TSTInfo) for a SHA-256 `digest`,
/// from `openssl ts` with the demo TSA and its chain.
fn timestamp_token(pki: &Path, tsa: &Path, tmp: &Path, digest: &[u8]) -> Res<Vec<u8>> {
    let (query, token, cnf, serial) = (
        tmp.join("ts.tsq"),
        tmp.join("ts.der"),
        tmp.join("tsa.cnf"),
        tmp.join("tsa.serial"),
    );
    std::fs::write(&serial, "01\n")?;
    std::fs::write(
        &cnf,
        format!(
            "[tsa]\ndefault_tsa = t\n[t]\nserial = {}\nsigner_digest = sha256\ndefault_policy = 1.3.6.1.4.1.99999.1\ndigests = sha256\naccuracy = secs:1\nordering = no\ntsa_name = no\ness_cert_id_chain = no\ness_cert_id_alg = sha256\ncerts = {}\n",
            serial.display(),
            pki.join("hk-ca-15.pem").display()
        ),
    )?;
    let st = Command::new("openssl")
        .args(["ts", "-query", "-sha256", "-cert", "-no_nonce", "-digest"])
        .arg(hex::encode(digest))
        .arg("-out")
        .arg(&query)
        .status()?;
    if !st.success() {
        return Err("openssl ts -query failed".into());
    }
    let st = Command::new("openssl")
        .args(["ts", "-reply", "-token_out", "-config"])
        .arg(&cnf)
        .arg("-queryfile")
        .arg(&query)
        .arg("-signer")
        .arg(tsa.with_extension("pem"))
        .arg("-inkey")
        .arg(tsa.with_extension("key"))
        .arg("-out")
        .arg(&token)
        .status()?;
    if !st.success() {
        return Err("openssl ts -reply failed".into());
    }
    Ok(std::fs::read(token)?)
}

fn pem_der(path: &Path) -> Res<Vec<u8>> {
    let p = pem::parse(std::fs::read(path)?)?;
    Ok(p.into_contents())
}

/// A page showing `text`.
fn content(text: &str) -> Vec<u8> {
    format!("BT /F1 18 Tf 30 150 Td ({text}) Tj ET").into_bytes()
}

const FONT: &str = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

/// The base document (revision 0): catalog 1, pages 2, page 3 with content 4, font 5,
/// AcroForm 6 with signature fields 7 (visible) and 8 (invisible) and text field 9.
/// `catalog_extra` goes into the catalog.
fn base(catalog_extra: &str) -> Pdf {
    let mut p = Pdf::new();
    p.obj(
        1,
        &format!("<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R {catalog_extra} >>"),
    );
    p.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    p.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots [7 0 R 8 0 R 9 0 R] >>");
    p.stream(4, "", &content("Contract: HKD 100"));
    p.obj(5, FONT);
    p.obj(
        6,
        "<< /Fields [7 0 R 8 0 R 9 0 R] /SigFlags 3 /DA (/F1 0 Tf 0 g) >>",
    );
    p.obj(7, "<< /FT /Sig /T (Signer1) /Type /Annot /Subtype /Widget /F 132 /Rect [20 20 180 60] /P 3 0 R >>");
    p.obj(
        8,
        "<< /FT /Sig /T (Signer2) /Type /Annot /Subtype /Widget /F 132 /Rect [0 0 0 0] /P 3 0 R >>",
    );
    p.obj(9, "<< /FT /Tx /T (Name) /Type /Annot /Subtype /Widget /Rect [200 20 380 60] /P 3 0 R /DA (/F1 12 Tf 0 g) >>");
    p
}

const TRAILER: &str = "/Root 1 0 R";

/// Revision 1: field 7 signed by `signer` with signature dictionary 20 (`extra` inside it);
/// `catalog` replaces the catalog in the same revision when given.
fn sign_field(
    p: &mut Pdf,
    signer: &Signer,
    sub_filter: &str,
    extra: &str,
    catalog: Option<&str>,
) -> Res<()> {
    if let Some(c) = catalog {
        p.obj(1, c);
    }
    p.stream(
        21,
        "/Type /XObject /Subtype /Form /BBox [0 0 160 40] /Resources << /Font << /F1 5 0 R >> >>",
        &content("Signed"),
    );
    p.obj(7, "<< /FT /Sig /T (Signer1) /Type /Annot /Subtype /Widget /F 132 /Rect [20 20 180 60] /P 3 0 R /V 20 0 R /AP << /N 21 0 R >> >>");
    let ph = p.sig(20, sub_filter, extra);
    p.end_revision(TRAILER);
    p.sign(ph, signer)
}

/// The text field 9 filled in (value and a new appearance stream 30).
fn fill_name(p: &mut Pdf) {
    p.stream(
        30,
        "/Type /XObject /Subtype /Form /BBox [0 0 180 40] /Resources << /Font << /F1 5 0 R >> >>",
        &content("CHAN Tai Man"),
    );
    p.obj(9, "<< /FT /Tx /T (Name) /Type /Annot /Subtype /Widget /Rect [200 20 380 60] /P 3 0 R /DA (/F1 12 Tf 0 g) /V (CHAN Tai Man) /AP << /N 30 0 R >> >>");
    p.end_revision(TRAILER);
}

fn certified_catalog(p: u8) -> (String, String) {
    let extra = format!("/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P {p} /V /1.2 >> >>]");
    let cat =
        "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R /Perms << /DocMDP 20 0 R >> >>".to_string();
    (extra, cat)
}

fn write(dir: &Path, name: &str, p: &Pdf) -> Res<()> {
    std::fs::write(dir.join(name), &p.buf)?;
    println!("{name}: {} bytes", p.buf.len());
    Ok(())
}

fn main() -> Res<()> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(
        args.next()
            .ok_or("usage: make_pdf_fixtures OUT_DIR PKI_DIR")?,
    );
    let pki = PathBuf::from(
        args.next()
            .ok_or("usage: make_pdf_fixtures OUT_DIR PKI_DIR")?,
    );
    let tsa = PathBuf::from(
        args.next()
            .ok_or("usage: make_pdf_fixtures OUT_DIR PKI_DIR TSA (path without .pem/.key)")?,
    );
    std::fs::create_dir_all(&out)?;
    let tmp = std::env::temp_dir().join(format!("sigbridge-pdf-fixtures-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let rsa = Signer::Rsa {
        pki: pki.clone(),
        tmp: tmp.clone(),
    };
    let sha1 = Signer::RsaSha1 {
        pki: pki.clone(),
        tmp: tmp.clone(),
    };
    let sm2 = Signer::Sm2 {
        cert: pem_der(&pki.join("gd-sm2-personal.pem"))?,
        chain: vec![pem_der(&pki.join("gd-sm2-ca.pem"))?],
        key: Box::new(
            sm2::SecretKey::from_pkcs8_pem(&std::fs::read_to_string(
                pki.join("gd-sm2-personal.key"),
            )?)
            .map_err(|e| e.to_string())?,
        ),
    };
    plain(&out, &rsa, &sm2, &sha1)?;
    changes(&out, &rsa)?;
    certified(&out, &rsa)?;
    shadows(&out, &rsa)?;
    forgeries(&out, &rsa)?;
    let ts = |wrong_imprint| Signer::Tsa {
        pki: pki.clone(),
        tsa: tsa.clone(),
        tmp: tmp.clone(),
        wrong_imprint,
    };
    timestamps(&out, &rsa, &ts(false), &ts(true))?;
    let x509 = Signer::RsaX509 {
        pki: pki.clone(),
        tmp: tmp.clone(),
    };
    unsupported_and_locked(&out, &rsa, &x509)?;
    std::fs::remove_dir_all(&tmp)?;
    Ok(())
}

/// Signed once, nothing after: HK RSA, GD SM2, adbe.pkcs7.sha1; and two signatures.
fn plain(out: &Path, rsa: &Signer, sm2: &Signer, sha1: &Signer) -> Res<()> {
    let mut p = base("");
    p.end_revision(TRAILER);
    sign_field(&mut p, rsa, "ETSI.CAdES.detached", "", None)?;
    write(out, "signed-rsa.pdf", &p)?;

    let mut p = base("");
    p.end_revision(TRAILER);
    sign_field(&mut p, sm2, "ETSI.CAdES.detached", "", None)?;
    write(out, "signed-sm2.pdf", &p)?;

    let mut p = base("");
    p.end_revision(TRAILER);
    sign_field(&mut p, sha1, "adbe.pkcs7.sha1", "", None)?;
    write(out, "adbe-pkcs7-sha1.pdf", &p)?;

    // Signer1 (HK RSA, visible) then Signer2 (GD SM2, the invisible field).
    let mut p = base("");
    p.end_revision(TRAILER);
    sign_field(&mut p, rsa, "adbe.pkcs7.detached", "", None)?;
    p.obj(8, "<< /FT /Sig /T (Signer2) /Type /Annot /Subtype /Widget /F 132 /Rect [0 0 0 0] /P 3 0 R /V 22 0 R >>");
    let ph = p.sig(22, "ETSI.CAdES.detached", "");
    p.end_revision(TRAILER);
    p.sign(ph, sm2)?;
    write(out, "two-signatures.pdf", &p)?;

    // Signed, then a DSS added (long-term validation data): lta_updates.
    let mut p = base("");
    p.end_revision(TRAILER);
    sign_field(&mut p, rsa, "ETSI.CAdES.detached", "", None)?;
    let cert = std::fs::read(match rsa {
        Signer::Rsa { pki, .. } => pki.join("hk-ca-15.pem"),
        _ => PathBuf::new(),
    })?;
    p.stream(40, "", &pem::parse(cert)?.into_contents());
    p.obj(41, "<< /Certs [40 0 R] >>");
    p.obj(
        1,
        "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R /DSS 41 0 R >>",
    );
    p.end_revision(TRAILER);
    write(out, "signed-then-dss.pdf", &p)?;
    Ok(())
}

/// Signed, then form filled (allowed) or the page content changed (not).
fn changes(out: &Path, rsa: &Signer) -> Res<()> {
    let mut p = base("");
    p.end_revision(TRAILER);
    sign_field(&mut p, rsa, "adbe.pkcs7.detached", "", None)?;
    fill_name(&mut p);
    write(out, "signed-then-form-filled.pdf", &p)?;

    let mut p = base("");
    p.end_revision(TRAILER);
    sign_field(&mut p, rsa, "adbe.pkcs7.detached", "", None)?;
    p.stream(4, "", &content("Contract: HKD 1,000,000"));
    p.end_revision(TRAILER);
    write(out, "signed-then-page-changed.pdf", &p)?;

    let mut p = base("");
    p.end_revision(TRAILER);
    sign_field(&mut p, rsa, "adbe.pkcs7.detached", "", None)?;
    p.stream(31, "", &content("Annex"));
    p.obj(32, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Resources << /Font << /F1 5 0 R >> >> /Contents 31 0 R >>");
    p.obj(2, "<< /Type /Pages /Kids [3 0 R 32 0 R] /Count 2 >>");
    p.end_revision(TRAILER);
    write(out, "signed-then-page-added.pdf", &p)?;
    Ok(())
}

/// Certification signatures with P = 1, 2, 3, each followed by a change above it; and P = 2
/// followed by an allowed form fill.
fn certified(out: &Path, rsa: &Signer) -> Res<()> {
    for (perm, name) in [
        (1u8, "certified-p1-then-form-filled.pdf"),
        (2, "certified-p2-then-annotated.pdf"),
        (3, "certified-p3-then-page-changed.pdf"),
        (2, "certified-p2-then-form-filled.pdf"),
    ] {
        let mut p = base("");
        p.end_revision(TRAILER);
        let (extra, cat) = certified_catalog(perm);
        sign_field(&mut p, rsa, "adbe.pkcs7.detached", &extra, Some(&cat))?;
        match name {
            "certified-p2-then-annotated.pdf" => {
                p.obj(33, "<< /Type /Annot /Subtype /Text /Rect [300 200 320 220] /Contents (looks fine) /P 3 0 R >>");
                p.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots [7 0 R 8 0 R 9 0 R 33 0 R] >>");
                p.end_revision(TRAILER);
            }
            "certified-p3-then-page-changed.pdf" => {
                p.stream(4, "", &content("Contract: HKD 1,000,000"));
                p.end_revision(TRAILER);
            }
            _ => fill_name(&mut p),
        }
        write(out, name, &p)?;
    }
    Ok(())
}

/// Shadow attacks (Mainka et al., NDSS 2021): the signed revision prepares, a later update
/// switches.
fn shadows(out: &Path, rsa: &Signer) -> Res<()> {
    // Hide: a white overlay (content stream 10) covers hidden text in stream 4; the update
    // replaces the overlay with nothing.
    let mut p = Pdf::new();
    p.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R >>");
    p.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    p.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Resources << /Font << /F1 5 0 R >> >> /Contents [4 0 R 10 0 R] /Annots [7 0 R] >>");
    p.stream(
        4,
        "",
        b"BT /F1 18 Tf 30 150 Td (Pay HKD 1,000,000 to Mallory) Tj ET",
    );
    p.stream(
        10,
        "",
        b"1 g 0 100 400 120 re f 0 g BT /F1 18 Tf 30 150 Td (Contract: HKD 100) Tj ET",
    );
    p.obj(5, FONT);
    p.obj(6, "<< /Fields [7 0 R] /SigFlags 3 >>");
    p.obj(7, "<< /FT /Sig /T (Signer1) /Type /Annot /Subtype /Widget /F 132 /Rect [20 20 180 60] /P 3 0 R >>");
    p.end_revision(TRAILER);
    sign_field(&mut p, rsa, "adbe.pkcs7.detached", "", None)?;
    p.stream(10, "", b"");
    p.end_revision(TRAILER);
    write(out, "shadow-hide.pdf", &p)?;

    // Replace: the appearance stream 30 of text field 9 is also drawn as page content (form
    // XObject /Fm0 of the page); the update "fills the form", rewriting stream 30 in place.
    let mut p = Pdf::new();
    p.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R >>");
    p.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    p.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Resources << /Font << /F1 5 0 R >> /XObject << /Fm0 30 0 R >> >> /Contents 4 0 R /Annots [7 0 R 9 0 R] >>");
    p.stream(4, "", b"q 1 0 0 1 30 150 cm /Fm0 Do Q");
    p.stream(
        30,
        "/Type /XObject /Subtype /Form /BBox [0 0 300 40] /Resources << /Font << /F1 5 0 R >> >>",
        b"BT /F1 18 Tf 0 10 Td (Contract: HKD 100) Tj ET",
    );
    p.obj(5, FONT);
    p.obj(6, "<< /Fields [7 0 R 9 0 R] /SigFlags 3 >>");
    p.obj(7, "<< /FT /Sig /T (Signer1) /Type /Annot /Subtype /Widget /F 132 /Rect [20 20 180 60] /P 3 0 R >>");
    p.obj(9, "<< /FT /Tx /T (Name) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /AP << /N 30 0 R >> >>");
    p.end_revision(TRAILER);
    sign_field(&mut p, rsa, "adbe.pkcs7.detached", "", None)?;
    p.stream(
        30,
        "/Type /XObject /Subtype /Form /BBox [0 0 300 40] /Resources << /Font << /F1 5 0 R >> >>",
        b"BT /F1 18 Tf 0 10 Td (Contract: HKD 1,000,000) Tj ET",
    );
    p.obj(9, "<< /FT /Tx /T (Name) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V (x) /AP << /N 30 0 R >> >>");
    p.end_revision(TRAILER);
    write(out, "shadow-replace.pdf", &p)?;

    // Hide-and-replace: the signed revision carries an unreferenced content stream 11; the
    // update points the page at it.
    let mut p = base("");
    p.stream(11, "", &content("Contract: HKD 1,000,000"));
    p.end_revision(TRAILER);
    sign_field(&mut p, rsa, "adbe.pkcs7.detached", "", None)?;
    p.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Resources << /Font << /F1 5 0 R >> >> /Contents 11 0 R /Annots [7 0 R 8 0 R 9 0 R] >>");
    p.end_revision(TRAILER);
    write(out, "shadow-hide-and-replace.pdf", &p)?;
    Ok(())
}

/// Signature Wrapping and Universal Signature Forgery.
fn forgeries(out: &Path, rsa: &Signer) -> Res<()> {
    // Wrapping: the gap of /ByteRange is wider than /Contents and holds an injected object,
    // so those bytes are unsigned; the CMS itself is valid over the (wrong) ranges.
    let mut p = base("");
    p.end_revision(TRAILER);
    p.stream(
        21,
        "/Type /XObject /Subtype /Form /BBox [0 0 160 40] /Resources << /Font << /F1 5 0 R >> >>",
        &content("Signed"),
    );
    p.obj(7, "<< /FT /Sig /T (Signer1) /Type /Annot /Subtype /Widget /F 132 /Rect [20 20 180 60] /P 3 0 R /V 20 0 R /AP << /N 21 0 R >> >>");
    let ph = p.sig(20, "adbe.pkcs7.detached", "");
    let injected_start = p.buf.len();
    p.stream(4, "", &content("Contract: HKD 1,000,000"));
    let injected_end = p.buf.len();
    p.end_revision(TRAILER);
    // The gap runs from /Contents to the end of the injected object.
    let _ = injected_start;
    p.sign_ranges(ph, (ph.lt, injected_end), rsa)?;
    write(out, "signature-wrapping.pdf", &p)?;

    // USF: /Contents null (and /ByteRange empty in a second field's value).
    let mut p = base("");
    p.end_revision(TRAILER);
    p.obj(7, "<< /FT /Sig /T (Signer1) /Type /Annot /Subtype /Widget /F 132 /Rect [20 20 180 60] /P 3 0 R /V 20 0 R >>");
    p.obj(20, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 10 20 30] /Contents null >>");
    p.obj(8, "<< /FT /Sig /T (Signer2) /Type /Annot /Subtype /Widget /F 132 /Rect [0 0 0 0] /P 3 0 R /V 22 0 R >>");
    p.obj(22, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [] /Contents <3000> >>");
    p.end_revision(TRAILER);
    write(out, "usf-null-contents.pdf", &p)?;
    Ok(())
}

/// Signed, then a document timestamp in the next revision (field Signer2): with the
/// imprint of the ranges, and with the imprint of other bytes.
fn timestamps(out: &Path, rsa: &Signer, good: &Signer, bad: &Signer) -> Res<()> {
    for (ts, name) in [
        (good, "doc-timestamp.pdf"),
        (bad, "doc-timestamp-wrong-imprint.pdf"),
    ] {
        let mut p = base("");
        p.end_revision(TRAILER);
        sign_field(&mut p, rsa, "ETSI.CAdES.detached", "", None)?;
        p.obj(8, "<< /FT /Sig /T (Signer2) /Type /Annot /Subtype /Widget /F 132 /Rect [0 0 0 0] /P 3 0 R /V 22 0 R >>");
        let ph = p.doc_timestamp(22);
        p.end_revision(TRAILER);
        p.sign(ph, ts)?;
        write(out, name, &p)?;
    }
    Ok(())
}

/// `adbe.x509.rsa_sha1` (unsupported, not "no signature"); and a signature that locks text
/// field Name (FieldMDP and /Lock), then Name filled in.
fn unsupported_and_locked(out: &Path, rsa: &Signer, x509: &Signer) -> Res<()> {
    let cert = match x509 {
        Signer::RsaX509 { pki, .. } => pem_der(&pki.join("hk-personal.pem"))?,
        _ => Vec::new(),
    };
    let mut p = base("");
    p.end_revision(TRAILER);
    let extra = format!("/Cert <{}>", hex::encode_upper(&cert));
    sign_field(&mut p, x509, "adbe.x509.rsa_sha1", &extra, None)?;
    write(out, "rsa-sha1-unsupported.pdf", &p)?;

    let mut p = base("");
    p.end_revision(TRAILER);
    let lock = "/Reference [<< /Type /SigRef /TransformMethod /FieldMDP /TransformParams << /Type /TransformParams /Action /Include /Fields [(Name)] /V /1.2 >> >>]";
    p.obj(7, "<< /FT /Sig /T (Signer1) /Type /Annot /Subtype /Widget /F 132 /Rect [20 20 180 60] /P 3 0 R /Lock << /Type /SigFieldLock /Action /Include /Fields [(Name)] >> >>");
    p.end_revision(TRAILER);
    p.stream(
        21,
        "/Type /XObject /Subtype /Form /BBox [0 0 160 40] /Resources << /Font << /F1 5 0 R >> >>",
        &content("Signed"),
    );
    p.obj(7, "<< /FT /Sig /T (Signer1) /Type /Annot /Subtype /Widget /F 132 /Rect [20 20 180 60] /P 3 0 R /V 20 0 R /AP << /N 21 0 R >> /Lock << /Type /SigFieldLock /Action /Include /Fields [(Name)] >> >>");
    let ph = p.sig(20, "adbe.pkcs7.detached", lock);
    p.end_revision(TRAILER);
    p.sign(ph, rsa)?;
    fill_name(&mut p);
    write(out, "field-locked-then-filled.pdf", &p)?;
    Ok(())
}
