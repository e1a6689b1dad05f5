//! Builds an SM2-with-SM3 CMS SignedData (GB/T 35275 OIDs) for the demo fixtures, because
//! OpenSSL 3.0's `cms -sign` cannot sign with an SM2 key (it fails with "illegal zero
//! content"). Called by `fixtures/generate-documents.sh`.
//!
//! ```text
//! cargo run --example make_sm2_signed -- --cert SIGNER.pem --key SIGNER.key [--chain CA.pem]
//!     --in CONTENT --out FILE.p7m [--detached] [--id 1234567812345678] [--signing-time 261120120000Z]
//!     [--ber-chunk N]
//! ```
//!
//! The SignedData has version 1, digestAlgorithms {SM3}, encapContentInfo of type
//! `1.2.156.10197.6.1.4.2.1` (data; the content is omitted with `--detached`), the signer's
//! certificate and the `--chain` certificates, and one SignerInfo identified by
//! issuerAndSerialNumber with signed attributes (contentType, signingTime, messageDigest, in
//! DER SET OF order) and an SM2 signature (`1.2.156.10197.1.301.1`) over their DER SET,
//! computed with the signer ID `--id` (GM/T 0009 default `1234567812345678`).
//!
//! The output is DER, or with `--ber-chunk N` BER: indefinite lengths for ContentInfo,
//! SignedData and encapContentInfo, and the eContent as a constructed OCTET STRING of N-byte
//! chunks (which may split a UTF-8 character), as streaming encoders write it.
//!
//! The builder itself is `benches/support/sm2_cms.rs`, shared with the `documents` benchmark.

#[path = "../benches/support/sm2_cms.rs"]
#[allow(dead_code)] // the benchmark also uses the PKCS #7 content types
mod sm2_cms;

use sm2::pkcs8::DecodePrivateKey;
use sm2_cms::{ContentTypes, Request, Res};
use std::path::PathBuf;

fn pem_der(path: &PathBuf, label: &str) -> Res<Vec<Vec<u8>>> {
    let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let blocks = pem::parse_many(&text)?;
    let ders: Vec<Vec<u8>> = blocks
        .into_iter()
        .filter(|b| b.tag() == label)
        .map(|b| b.into_contents())
        .collect();
    if ders.is_empty() {
        return Err(format!("{}: no {label} block", path.display()).into());
    }
    Ok(ders)
}

struct Args {
    cert: PathBuf,
    key: PathBuf,
    chain: Vec<PathBuf>,
    input: PathBuf,
    out: PathBuf,
    detached: bool,
    id: String,
    signing_time: String,
    ber_chunk: usize,
}

fn args() -> Res<Args> {
    let mut a = Args {
        cert: PathBuf::new(),
        key: PathBuf::new(),
        chain: Vec::new(),
        input: PathBuf::new(),
        out: PathBuf::new(),
        detached: false,
        id: "1234567812345678".into(),
        signing_time: "261120120000Z".into(),
        ber_chunk: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--detached" {
            a.detached = true;
            continue;
        }
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--cert" => a.cert = value.into(),
            "--key" => a.key = value.into(),
            "--chain" => a.chain.push(value.into()),
            "--in" => a.input = value.into(),
            "--out" => a.out = value.into(),
            "--id" => a.id = value,
            "--signing-time" => a.signing_time = value,
            "--ber-chunk" => a.ber_chunk = value.parse()?,
            _ => return Err(format!("unknown option {flag}").into()),
        }
    }
    if a.cert.as_os_str().is_empty()
        || a.key.as_os_str().is_empty()
        || a.input.as_os_str().is_empty()
        || a.out.as_os_str().is_empty()
    {
        return Err("usage: make_sm2_signed --cert F --key F [--chain F] --in F --out F [--detached] [--id ID] [--signing-time UTCTIME] [--ber-chunk N]".into());
    }
    Ok(a)
}

fn main() -> Res<()> {
    let a = args()?;
    let cert = pem_der(&a.cert, "CERTIFICATE")?
        .into_iter()
        .next()
        .ok_or("no certificate")?;
    let mut chain = Vec::new();
    for f in &a.chain {
        chain.extend(pem_der(f, "CERTIFICATE")?);
    }
    let key_pem = std::fs::read_to_string(&a.key)?;
    let secret = sm2::SecretKey::from_pkcs8_pem(&key_pem)
        .map_err(|e| format!("{}: {e}", a.key.display()))?;
    let content = std::fs::read(&a.input)?;
    let content_info = sm2_cms::build(&Request {
        cert: &cert,
        chain: &chain,
        key: &secret,
        id: &a.id,
        content: &content,
        detached: a.detached,
        signing_time: &a.signing_time,
        ber_chunk: a.ber_chunk,
        signed_attributes: true,
        content_types: ContentTypes::GbT,
    })?;
    std::fs::write(&a.out, content_info)?;
    Ok(())
}
