//! An OFD package maker with SM2 seals and signatures, shared by `examples/make_ofd.rs` (the
//! fixture generator), the `ofd` benchmark and the OFD integration tests (each includes this
//! file with `#[path]`, next to `sm2_cms.rs`, which makes the SignedData form).
//!
//! It writes, independently of the library's reader: a ZIP (stored or deflated entries,
//! optional hooks to break it), `OFD.xml` / `Document.xml` / pages, `Signatures.xml`, each
//! `Signature.xml` with SM3 references over the raw entry bytes, and `SignedValue.dat` as a
//! GB/T 38540 (V4) or GM/T 0031 (V1) `SES_Signature`, a GB/T 35275 SignedData or a bare SM2
//! signature, with the seal (`SESeal`) signed by its maker. SM2 signatures use the signer ID
//! `1234567812345678` and are DER or raw `r ‖ s`.

use sm2::dsa::signature::Signer;
use sm2::pkcs8::DecodePrivateKey;
use sm3::{Digest, Sm3};
use std::error::Error;
use std::io::Write;

/// Errors of the builder.
pub type Res<T> = Result<T, Box<dyn Error>>;

const SM2_ID: &str = "1234567812345678";
const OID_SM2_SM3: &str = "1.2.156.10197.1.501";
const NS: &str = "http://www.ofdspec.org/2016";

/// DER encoders.
pub mod der {
    /// A definite-length TLV.
    pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
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
        out.extend_from_slice(content);
        out
    }
    /// SEQUENCE of the parts.
    pub fn seq(parts: &[&[u8]]) -> Vec<u8> {
        tlv(0x30, &parts.concat())
    }
    /// A small INTEGER.
    pub fn int(v: u32) -> Vec<u8> {
        let mut b: Vec<u8> = v
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        if b.first().is_none_or(|f| f & 0x80 != 0) {
            b.insert(0, 0);
        }
        tlv(0x02, &b)
    }
    /// BIT STRING with no unused bits.
    pub fn bits(b: &[u8]) -> Vec<u8> {
        tlv(0x03, &[&[0u8][..], b].concat())
    }
    /// OBJECT IDENTIFIER from dotted text.
    pub fn oid(dotted: &str) -> Vec<u8> {
        let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap_or(0)).collect();
        let mut body = Vec::new();
        let first = arcs.first().copied().unwrap_or(0) * 40 + arcs.get(1).copied().unwrap_or(0);
        for arc in std::iter::once(first).chain(arcs.iter().skip(2).copied()) {
            let mut groups = vec![(arc & 0x7f) as u8];
            let mut v = arc >> 7;
            while v > 0 {
                groups.push(0x80 | (v & 0x7f) as u8);
                v >>= 7;
            }
            groups.reverse();
            body.extend(groups);
        }
        tlv(0x06, &body)
    }
}

use der::{bits, int, oid, seq, tlv};

/// A certificate and its SM2 key.
pub struct Party {
    /// DER certificate.
    pub cert: Vec<u8>,
    /// The key.
    pub key: sm2::SecretKey,
}

impl Party {
    /// Reads a PEM certificate and a PKCS#8 PEM key.
    pub fn load(cert: &std::path::Path, key: &std::path::Path) -> Res<Party> {
        let pem_text = std::fs::read(cert).map_err(|e| format!("{}: {e}", cert.display()))?;
        let cert = pem::parse(pem_text)?.into_contents();
        let key_text =
            std::fs::read_to_string(key).map_err(|e| format!("{}: {e}", key.display()))?;
        let key = sm2::SecretKey::from_pkcs8_pem(&key_text)
            .map_err(|e| format!("{}: {e}", key.display()))?;
        Ok(Party { cert, key })
    }

    /// SM2-with-SM3 over `msg` with the default ID: DER, or raw `r ‖ s`.
    pub fn sign(&self, msg: &[u8], raw: bool) -> Res<Vec<u8>> {
        let k = sm2::dsa::SigningKey::new(SM2_ID, &self.key)?;
        let s: sm2::dsa::Signature = k.sign(msg);
        Ok(if raw {
            s.to_bytes().to_vec()
        } else {
            s.to_der().as_bytes().to_vec()
        })
    }
}

/// SM3.
pub fn sm3(data: &[u8]) -> Vec<u8> {
    Sm3::digest(data).to_vec()
}

fn b64(data: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// A ZIP file being assembled, entries in order.
#[derive(Clone, Default)]
pub struct Zip {
    /// (name, data, deflate).
    pub entries: Vec<(String, Vec<u8>, bool)>,
}

impl Zip {
    /// Adds or replaces an entry (a replaced entry keeps its place).
    pub fn put(&mut self, name: &str, data: Vec<u8>, deflate: bool) {
        match self.entries.iter_mut().find(|e| e.0 == name) {
            Some(e) => {
                e.1 = data;
                e.2 = deflate;
            }
            None => self.entries.push((name.to_owned(), data, deflate)),
        }
    }

    /// An entry's data.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.entries
            .iter()
            .find(|e| e.0 == name)
            .map(|e| e.1.as_slice())
    }

    /// The ZIP bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        write_zip(&self.entries, |_, _| {})
    }
}

/// Writes a ZIP; `patch(i, local_header)` may edit each local header before it is written.
pub fn write_zip(
    entries: &[(String, Vec<u8>, bool)],
    patch: impl Fn(usize, &mut Vec<u8>),
) -> Vec<u8> {
    write_zip_after(&[], entries, patch)
}

/// [`write_zip`] after `prefix` (a polyglot: every offset counts the prefix, as a
/// self-extracting or PE/ZIP file has them).
pub fn write_zip_after(
    prefix: &[u8],
    entries: &[(String, Vec<u8>, bool)],
    patch: impl Fn(usize, &mut Vec<u8>),
) -> Vec<u8> {
    let mut out = prefix.to_vec();
    let mut central = Vec::new();
    for (i, (name, data, deflate)) in entries.iter().enumerate() {
        let body = if *deflate {
            let mut e =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(data).ok();
            e.finish().unwrap_or_default()
        } else {
            data.clone()
        };
        let mut common = Vec::new();
        common.extend(20u16.to_le_bytes());
        common.extend(0u16.to_le_bytes());
        common.extend(if *deflate { 8u16 } else { 0 }.to_le_bytes());
        common.extend([0, 0x60, 0x7a, 0x5d]); // 2026-11-26 12:00
        common.extend(crc32fast::hash(data).to_le_bytes());
        common.extend((body.len() as u32).to_le_bytes());
        common.extend((data.len() as u32).to_le_bytes());
        common.extend((name.len() as u16).to_le_bytes());
        common.extend(0u16.to_le_bytes());
        let offset = out.len() as u32;
        let mut local = b"PK\x03\x04".to_vec();
        local.extend(&common);
        local.extend(name.as_bytes());
        patch(i, &mut local);
        out.extend(&local);
        out.extend(&body);
        central.extend(b"PK\x01\x02");
        central.extend(20u16.to_le_bytes());
        central.extend(&common);
        central.extend([0u8; 10]); // comment length, disk, internal and external attributes
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let cd = out.len() as u32;
    out.extend(&central);
    out.extend(b"PK\x05\x06");
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// An unsigned document: `OFD.xml`, `Doc_0/Document.xml`, `pages` pages, `PublicRes.xml`,
/// and `image_bytes` bytes of pseudo-random image data (stored, as images are).
pub fn document(pages: usize, image_bytes: usize) -> Zip {
    let mut z = Zip::default();
    z.put("OFD.xml", ofd_xml(false).into_bytes(), true);
    let mut doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:MaxUnitID>{}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 140</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>"#,
        10 + pages
    );
    for p in 0..pages {
        doc.push_str(&format!(
            r#"<ofd:Page ID="{}" BaseLoc="Pages/Page_{p}/Content.xml"/>"#,
            p + 1
        ));
    }
    doc.push_str("</ofd:Pages></ofd:Document>");
    z.put("Doc_0/Document.xml", doc.into_bytes(), true);
    z.put(
        "Doc_0/PublicRes.xml",
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts><ofd:Font ID="3" FontName="宋体"/></ofd:Fonts></ofd:Res>"#).into_bytes(),
        true,
    );
    for p in 0..pages {
        let mut content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="{}">"#,
            100 + p
        );
        for line in 0..40 {
            content.push_str(&format!(r#"<ofd:TextObject ID="{}" Boundary="10 {} 190 5" Font="3" Size="3.5"><ofd:TextCode X="0" Y="3">电子发票 第{p}页 第{line}行 金额 {}.{:02} 元</ofd:TextCode></ofd:TextObject>"#, 1000 + p * 100 + line, 10 + line * 3, 100 + line * 7, line));
        }
        content.push_str("</ofd:Layer></ofd:Content></ofd:Page>");
        z.put(
            &format!("Doc_0/Pages/Page_{p}/Content.xml"),
            content.into_bytes(),
            true,
        );
    }
    if image_bytes > 0 {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut img = b"\x89PNG\r\n\x1a\n".to_vec();
        while img.len() < image_bytes {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            img.extend(state.to_le_bytes());
        }
        z.put("Doc_0/Res/image_1.png", img, false);
    }
    z
}

fn ofd_xml(with_signatures: bool) -> String {
    let sigs = if with_signatures {
        "<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures>"
    } else {
        ""
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" DocType="OFD" Version="1.1"><ofd:DocBody><ofd:DocInfo><ofd:DocID>6d2f0c1a9b3e4f58a7c6d5e4f3a2b1c0</ofd:DocID><ofd:Author>sigbridge fixtures</ofd:Author></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>{sigs}</ofd:DocBody></ofd:OFD>"#
    )
}

/// Which standard a seal or signature follows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Version {
    /// GM/T 0031-2014.
    V1,
    /// GB/T 38540-2020.
    V4,
}

/// A seal to make.
pub struct SealSpec<'a> {
    /// V1 or V4.
    pub version: Version,
    /// Who signs the seal.
    pub maker: &'a Party,
    /// The certificates the seal authorises (DER).
    pub cert_list: Vec<Vec<u8>>,
    /// validStart, `YYYYMMDDHHMMSS`.
    pub valid_start: &'a str,
    /// validEnd, `YYYYMMDDHHMMSS`.
    pub valid_end: &'a str,
    /// `property.name`.
    pub name: &'a str,
    /// `esID`.
    pub es_id: &'a str,
    /// The maker's signature as raw `r ‖ s`.
    pub raw: bool,
    /// Sign something else than the seal (a broken maker signature).
    pub break_signature: bool,
}

fn time_tlv(version: Version, t: &str) -> Vec<u8> {
    match version {
        Version::V4 => tlv(0x18, format!("{t}Z").as_bytes()),
        Version::V1 => tlv(0x17, format!("{}Z", &t[2..]).as_bytes()),
    }
}

/// The `SESeal`.
pub fn seal(s: &SealSpec<'_>) -> Res<Vec<u8>> {
    let v = s.version;
    let header = seq(&[
        &tlv(0x16, b"ES"),
        &int(if v == Version::V4 { 4 } else { 1 }),
        &tlv(0x16, b"sigbridge-demo"),
    ]);
    let certs: Vec<Vec<u8>> = s.cert_list.iter().map(|c| tlv(0x04, c)).collect();
    let cert_refs: Vec<&[u8]> = certs.iter().map(Vec::as_slice).collect();
    let cert_list = seq(&cert_refs);
    let created = time_tlv(v, s.valid_start);
    let mut property: Vec<&[u8]> = Vec::new();
    let seal_type = int(1);
    let name = tlv(0x0c, s.name.as_bytes());
    let list_type = int(1);
    property.extend([&seal_type[..], &name[..]]);
    if v == Version::V4 {
        property.push(&list_type);
    }
    let (start, end) = (time_tlv(v, s.valid_start), time_tlv(v, s.valid_end));
    property.extend([&cert_list[..], &created[..], &start[..], &end[..]]);
    let property = seq(&property);
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR demo seal picture".to_vec();
    let picture = seq(&[&tlv(0x16, b"PNG"), &tlv(0x04, &png), &int(40), &int(40)]);
    let info = seq(&[&header, &tlv(0x16, s.es_id.as_bytes()), &property, &picture]);
    let maker_cert = tlv(0x04, &s.maker.cert);
    let alg = oid(OID_SM2_SM3);
    let signed = match v {
        Version::V4 => info.clone(),
        Version::V1 => seq(&[&info, &maker_cert, &alg]),
    };
    let message = if s.break_signature {
        [&signed[..], b"!"].concat()
    } else {
        signed
    };
    let signature = bits(&s.maker.sign(&message, s.raw)?);
    Ok(match v {
        Version::V4 => seq(&[&info, &maker_cert, &alg, &signature]),
        Version::V1 => seq(&[&info, &seq(&[&maker_cert, &alg, &signature])]),
    })
}

/// The form of `SignedValue.dat`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Form {
    /// A GB/T 38540 or GM/T 0031 `SES_Signature` (the seal's version).
    Ses,
    /// GB/T 35275 SignedData (detached, signed attributes).
    SignedData,
    /// A bare SM2 signature over `Signature.xml`.
    Bare,
}

/// A signature to add.
pub struct SignSpec<'a> {
    /// The form.
    pub form: Form,
    /// The signer.
    pub signer: &'a Party,
    /// The seal (for [`Form::Ses`]).
    pub seal: Option<SealSpec<'a>>,
    /// timeInfo / signingTime / SignatureDateTime, `YYYYMMDDHHMMSS` UTC.
    pub time: &'a str,
    /// The signer's signature as raw `r ‖ s`.
    pub raw: bool,
    /// Reference `Signatures.xml` too (as ofdrw does), so that a later signature breaks this one.
    pub protect_list: bool,
}

/// Adds a signature to `z` (`Doc_0/Signs/Sign_N/`), listing it in `Signatures.xml`.
pub fn sign(z: &mut Zip, spec: &SignSpec<'_>) -> Res<()> {
    let n = z
        .entries
        .iter()
        .filter(|e| e.0.ends_with("/Signature.xml"))
        .count();
    let dir = format!("Doc_0/Signs/Sign_{n}");
    z.put("OFD.xml", ofd_xml(true).into_bytes(), true);
    let mut list = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Signatures xmlns:ofd="{NS}"><ofd:MaxSignId>{}</ofd:MaxSignId>"#,
        n + 1
    );
    for i in 0..=n {
        let kind = if i == n && spec.form != Form::Ses {
            "Sign"
        } else {
            "Seal"
        };
        list.push_str(&format!(r#"<ofd:Signature ID="s{i:03}" Type="{kind}" BaseLoc="/Doc_0/Signs/Sign_{i}/Signature.xml"/>"#));
    }
    list.push_str("</ofd:Signatures>");
    z.put("Doc_0/Signs/Signatures.xml", list.into_bytes(), true);
    let seal_bytes = match (&spec.form, &spec.seal) {
        (Form::Ses, Some(s)) => {
            let b = seal(s)?;
            z.put(&format!("{dir}/Seal.esl"), b.clone(), false);
            Some(b)
        }
        (Form::Ses, None) => return Err("an SES signature needs a seal".into()),
        _ => None,
    };
    let mut refs = String::new();
    for (name, data, _) in &z.entries {
        if name == "Doc_0/Signs/Signatures.xml" && !spec.protect_list {
            continue;
        }
        refs.push_str(&format!(r#"<ofd:Reference FileRef="/{name}"><ofd:CheckValue>{}</ofd:CheckValue></ofd:Reference>"#, b64(&sm3(data))));
    }
    let t = spec.time;
    let seal_loc = if seal_bytes.is_some() {
        format!("<ofd:Seal><ofd:BaseLoc>/{dir}/Seal.esl</ofd:BaseLoc></ofd:Seal>")
    } else {
        String::new()
    };
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Signature xmlns:ofd="{NS}"><ofd:SignedInfo><ofd:Provider ProviderName="sigbridge-fixtures" Company="sigbridge" Version="1.0"/><ofd:SignatureMethod>{OID_SM2_SM3}</ofd:SignatureMethod><ofd:SignatureDateTime>{t}Z</ofd:SignatureDateTime><ofd:References CheckMethod="1.2.156.10197.1.401">{refs}</ofd:References><ofd:StampAnnot ID="{}" PageRef="1" Boundary="150 100 40 40"/>{seal_loc}</ofd:SignedInfo><ofd:SignedValue>/{dir}/SignedValue.dat</ofd:SignedValue></ofd:Signature>"#,
        900 + n
    );
    let xml = xml.into_bytes();
    let value = match spec.form {
        Form::Ses => {
            let s = spec.seal.as_ref().ok_or("no seal")?;
            ses(
                s.version,
                seal_bytes.as_deref().unwrap_or_default(),
                &xml,
                &format!("/{dir}/Signature.xml"),
                spec,
            )?
        }
        Form::SignedData => crate::sm2_cms::build(&crate::sm2_cms::Request {
            cert: &spec.signer.cert,
            chain: &[],
            key: &spec.signer.key,
            id: SM2_ID,
            content: &xml,
            detached: true,
            signing_time: &format!("{}Z", &t[2..]),
            ber_chunk: 0,
            signed_attributes: true,
            content_types: crate::sm2_cms::ContentTypes::GbT,
        })?,
        Form::Bare => spec.signer.sign(&xml, spec.raw)?,
    };
    z.put(&format!("{dir}/Signature.xml"), xml, true);
    z.put(&format!("{dir}/SignedValue.dat"), value, false);
    Ok(())
}

fn ses(v: Version, seal: &[u8], xml: &[u8], property: &str, spec: &SignSpec<'_>) -> Res<Vec<u8>> {
    let t = spec.time;
    let cert = tlv(0x04, &spec.signer.cert);
    let alg = oid(OID_SM2_SM3);
    let hash = bits(&sm3(xml));
    let prop = tlv(0x16, property.as_bytes());
    Ok(match v {
        Version::V4 => {
            let tbs = seq(&[
                &int(4),
                seal,
                &tlv(0x18, format!("{t}Z").as_bytes()),
                &hash,
                &prop,
            ]);
            let sig = bits(&spec.signer.sign(&tbs, spec.raw)?);
            seq(&[&tbs, &cert, &alg, &sig])
        }
        Version::V1 => {
            let iso = format!(
                "{}-{}-{}T{}:{}:{}Z",
                &t[..4],
                &t[4..6],
                &t[6..8],
                &t[8..10],
                &t[10..12],
                &t[12..14]
            );
            let tbs = seq(&[
                &int(1),
                seal,
                &bits(iso.as_bytes()),
                &hash,
                &prop,
                &cert,
                &alg,
            ]);
            let sig = bits(&spec.signer.sign(&tbs, spec.raw)?);
            seq(&[&tbs, &sig])
        }
    })
}
