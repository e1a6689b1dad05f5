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

use sm2::dsa::signature::Signer;
use sm2::pkcs8::DecodePrivateKey;
use sm3::{Digest, Sm3};
use std::error::Error;
use std::path::PathBuf;

type Res<T> = Result<T, Box<dyn Error>>;

const OID_GBT_SIGNED_DATA: &str = "1.2.156.10197.6.1.4.2.2";
const OID_GBT_DATA: &str = "1.2.156.10197.6.1.4.2.1";
const OID_SM3: &str = "1.2.156.10197.1.401";
const OID_SM2_SIGN: &str = "1.2.156.10197.1.301.1";
const OID_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
const OID_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const OID_SIGNING_TIME: &str = "1.2.840.113549.1.9.5";

/// A definite-length DER TLV.
fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let content = parts.concat();
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(&content);
    out
}

/// An indefinite-length BER TLV: tag, 0x80, the parts, end-of-contents.
fn indef(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut out = vec![tag, 0x80];
    out.extend_from_slice(&parts.concat());
    out.extend_from_slice(&[0, 0]);
    out
}

fn oid(dotted: &str) -> Res<Vec<u8>> {
    let arcs: Vec<u64> = dotted
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let (first, rest) = match arcs.as_slice() {
        [a, b, rest @ ..] => (a * 40 + b, rest),
        _ => return Err(format!("bad OID {dotted}").into()),
    };
    let mut body = Vec::new();
    for arc in std::iter::once(first).chain(rest.iter().copied()) {
        let mut groups = vec![(arc & 0x7f) as u8];
        let mut v = arc >> 7;
        while v > 0 {
            groups.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        groups.reverse();
        body.extend_from_slice(&groups);
    }
    Ok(tlv(0x06, &[&body]))
}

/// Splits one definite-length TLV off `input`: (whole TLV, content, rest).
fn read_tlv(input: &[u8]) -> Res<(&[u8], &[u8], &[u8])> {
    let first = *input.get(1).ok_or("truncated DER")?;
    let (len, header) = if first < 0x80 {
        (first as usize, 2)
    } else {
        let n = (first & 0x7f) as usize;
        let bytes = input.get(2..2 + n).ok_or("truncated DER length")?;
        (
            bytes.iter().fold(0usize, |a, b| (a << 8) | *b as usize),
            2 + n,
        )
    };
    let whole = input.get(..header + len).ok_or("truncated DER content")?;
    let content = whole.get(header..).ok_or("truncated DER content")?;
    Ok((
        whole,
        content,
        input.get(header + len..).unwrap_or_default(),
    ))
}

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
    let signing_key = sm2::dsa::SigningKey::new(&a.id, &secret)?;
    let content = std::fs::read(&a.input)?;

    // issuerAndSerialNumber from the certificate: tbs = [0] version, serial, sigAlg, issuer.
    let (_, cert_body, _) = read_tlv(&cert)?;
    let (_, tbs, _) = read_tlv(cert_body)?;
    let (first, _, mut rest) = read_tlv(tbs)?;
    let serial = if first.first() == Some(&0xa0) {
        let (serial, _, r) = read_tlv(rest)?;
        rest = r;
        serial
    } else {
        first
    };
    let (_, _, rest) = read_tlv(rest)?; // signature algorithm
    let (issuer, _, _) = read_tlv(rest)?;

    let sm3_alg = tlv(0x30, &[&oid(OID_SM3)?]);
    let digest = Sm3::digest(&content);
    let mut attrs = [
        tlv(
            0x30,
            &[&oid(OID_CONTENT_TYPE)?, &tlv(0x31, &[&oid(OID_GBT_DATA)?])],
        ),
        tlv(
            0x30,
            &[
                &oid(OID_SIGNING_TIME)?,
                &tlv(0x31, &[&tlv(0x17, &[a.signing_time.as_bytes()])]),
            ],
        ),
        tlv(
            0x30,
            &[
                &oid(OID_MESSAGE_DIGEST)?,
                &tlv(0x31, &[&tlv(0x04, &[digest.as_slice()])]),
            ],
        ),
    ];
    attrs.sort(); // DER SET OF: ascending encodings
    let attr_refs: Vec<&[u8]> = attrs.iter().map(Vec::as_slice).collect();
    let signed_set = tlv(0x31, &attr_refs);
    let signature: sm2::dsa::Signature = signing_key.sign(&signed_set);
    let mut signed_implicit = signed_set.clone();
    if let Some(t) = signed_implicit.first_mut() {
        *t = 0xa0;
    }
    let signer_info = tlv(
        0x30,
        &[
            &tlv(0x02, &[&[1]]),
            &tlv(0x30, &[issuer, serial]),
            &sm3_alg,
            &signed_implicit,
            &tlv(0x30, &[&oid(OID_SM2_SIGN)?]),
            &tlv(0x04, &[signature.to_der().as_bytes()]),
        ],
    );
    let ber = a.ber_chunk > 0;
    let seq: fn(u8, &[&[u8]]) -> Vec<u8> = if ber { indef } else { tlv };
    let econtent = if ber {
        let chunks: Vec<Vec<u8>> = content
            .chunks(a.ber_chunk)
            .map(|c| tlv(0x04, &[c]))
            .collect();
        let refs: Vec<&[u8]> = chunks.iter().map(Vec::as_slice).collect();
        indef(0x24, &refs)
    } else {
        tlv(0x04, &[&content])
    };
    let encap = if a.detached {
        seq(0x30, &[&oid(OID_GBT_DATA)?])
    } else {
        seq(0x30, &[&oid(OID_GBT_DATA)?, &seq(0xa0, &[&econtent])])
    };
    let mut certs: Vec<&[u8]> = vec![&cert];
    certs.extend(chain.iter().map(Vec::as_slice));
    let signed_data = seq(
        0x30,
        &[
            &tlv(0x02, &[&[1]]),
            &tlv(0x31, &[&sm3_alg]),
            &encap,
            &tlv(0xa0, &certs),
            &tlv(0x31, &[&signer_info]),
        ],
    );
    let content_info = seq(
        0x30,
        &[&oid(OID_GBT_SIGNED_DATA)?, &seq(0xa0, &[&signed_data])],
    );
    std::fs::write(&a.out, content_info)?;
    Ok(())
}
