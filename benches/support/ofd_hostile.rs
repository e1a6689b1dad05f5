//! Hostile OFD packages, made in memory, shared by tests/ofd_hostile.rs (each must end in a
//! typed error or a failed check, without panicking) and the `ofd` benchmark (each under
//! 100 ms in release). Uses `ofd_build.rs` for the ZIP writer.

use crate::ofd_build::{write_zip, write_zip_after};
use std::io::Write;

/// One hostile input and the text its error (or failed check) must contain.
pub struct Case {
    /// Name.
    pub name: &'static str,
    /// The package bytes.
    pub bytes: Vec<u8>,
    /// A substring of the error message, or of a failed check's message.
    pub expect: &'static str,
}

const NS: &str = "http://www.ofdspec.org/2016";

fn entries(list: &[(&str, &[u8])]) -> Vec<(String, Vec<u8>, bool)> {
    list.iter()
        .map(|(n, d)| (n.to_string(), d.to_vec(), true))
        .collect()
}

fn ofd_xml() -> Vec<u8> {
    format!(r#"<ofd:OFD xmlns:ofd="{NS}"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot><ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody></ofd:OFD>"#).into_bytes()
}

fn with_ofd(extra: &[(&str, &[u8])]) -> Vec<u8> {
    let ofd = ofd_xml();
    let mut list = vec![("OFD.xml", &ofd[..])];
    list.extend_from_slice(extra);
    write_zip(&entries(&list), |_, _| {})
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).ok();
    e.finish().unwrap_or_default()
}

/// A ZIP whose only entry, OFD.xml, declares `declared` bytes but inflates to `actual`.
fn lying_bomb(declared: u32, actual: usize) -> Vec<u8> {
    let body = deflate(&vec![b' '; actual]);
    let name = b"OFD.xml";
    let mut common = Vec::new();
    common.extend(20u16.to_le_bytes());
    common.extend(0u16.to_le_bytes());
    common.extend(8u16.to_le_bytes());
    common.extend([0u8; 4]);
    common.extend(0u32.to_le_bytes());
    common.extend((body.len() as u32).to_le_bytes());
    common.extend(declared.to_le_bytes());
    common.extend((name.len() as u16).to_le_bytes());
    common.extend(0u16.to_le_bytes());
    let mut out = b"PK\x03\x04".to_vec();
    out.extend(&common);
    out.extend(name);
    out.extend(&body);
    let cd = out.len() as u32;
    let mut central = b"PK\x01\x02".to_vec();
    central.extend(20u16.to_le_bytes());
    central.extend(&common);
    central.extend([0u8; 14]);
    central.extend(name);
    out.extend(&central);
    eocd(&mut out, 1, central.len() as u32, cd);
    out
}

fn eocd(out: &mut Vec<u8>, count: u16, size: u32, offset: u32) {
    out.extend(b"PK\x05\x06");
    out.extend([0u8; 4]);
    out.extend(count.to_le_bytes());
    out.extend(count.to_le_bytes());
    out.extend(size.to_le_bytes());
    out.extend(offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
}

/// `n` one-byte stored entries; the EOCD says `count` (0xFFFF marks Zip64).
fn many(n: usize, count: u16) -> Vec<u8> {
    let list: Vec<(String, Vec<u8>, bool)> = (0..n)
        .map(|i| (format!("f/{i}"), vec![b'x'], false))
        .collect();
    let mut z = write_zip(&list, |_, _| {});
    let len = z.len();
    z[len - 12..len - 10].copy_from_slice(&count.to_le_bytes());
    z[len - 14..len - 12].copy_from_slice(&count.to_le_bytes());
    z
}

fn signed_value_case(value: Vec<u8>) -> Vec<u8> {
    let list = format!(
        r#"<ofd:Signatures xmlns:ofd="{NS}"><ofd:Signature ID="1" BaseLoc="Sign_0/Signature.xml"/></ofd:Signatures>"#
    );
    let sig = format!(
        r#"<ofd:Signature xmlns:ofd="{NS}"><ofd:SignedInfo><ofd:References><ofd:Reference FileRef="/OFD.xml"><ofd:CheckValue>AAAA</ofd:CheckValue></ofd:Reference></ofd:References></ofd:SignedInfo><ofd:SignedValue>SignedValue.dat</ofd:SignedValue></ofd:Signature>"#
    );
    with_ofd(&[
        ("Doc_0/Signs/Signatures.xml", list.as_bytes()),
        ("Doc_0/Signs/Sign_0/Signature.xml", sig.as_bytes()),
        ("Doc_0/Signs/Sign_0/SignedValue.dat", &value),
    ])
}

/// Every hostile case.
pub fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let mut push = |name, bytes, expect| {
        out.push(Case {
            name,
            bytes,
            expect,
        })
    };
    // ZIP layer.
    let bomb = write_zip(&[("OFD.xml".into(), vec![0u8; 16 << 20], true)], |_, _| {});
    push(
        "zip-bomb (16 MiB of zeros in 16 KiB)",
        bomb,
        "Limits::max_ofd_compression_ratio",
    );
    push(
        "zip-bomb lying about its size",
        lying_bomb(1000, 16 << 20),
        "inflates to 1001 or more bytes",
    );
    push(
        "65,000 entries",
        many(65_000, 65_000),
        "Limits::max_ofd_entries",
    );
    push(
        "100,000 entries (Zip64 count)",
        many(100_000, 0xffff),
        "Zip64",
    );
    push(
        "duplicate names",
        write_zip(
            &entries(&[("OFD.xml", b"<a/>"), ("OFD.xml", b"<b/>")]),
            |_, _| {},
        ),
        "duplicate name",
    );
    push(
        "names differing in case",
        write_zip(
            &entries(&[("OFD.xml", b"<a/>"), ("ofd.XML", b"<b/>")]),
            |_, _| {},
        ),
        "only in case",
    );
    let ofd = ofd_xml();
    push(
        "local name differs from the central directory",
        write_zip(&entries(&[("OFD.xml", &ofd)]), |_, lfh| {
            let n = lfh.len();
            lfh[n - 1] = b'X';
        }),
        "on the name",
    );
    push(
        "local size differs from the central directory",
        write_zip(&entries(&[("OFD.xml", &ofd)]), |_, lfh| lfh[22] ^= 0x40),
        "the uncompressed size",
    );
    let prefixed = write_zip_after(
        b"MZ polyglot prefix",
        &entries(&[("OFD.xml", &ofd)]),
        |_, _| {},
    );
    push(
        "bytes before the first entry (polyglot)",
        prefixed,
        "unlisted bytes",
    );
    push(
        "path traversal name",
        write_zip(&entries(&[("../../etc/passwd", b"x")]), |_, _| {}),
        "'.' or '..' path segment",
    );
    push(
        "absolute name",
        write_zip(&entries(&[("/OFD.xml", b"x")]), |_, _| {}),
        "leading '/'",
    );
    push(
        "backslash name",
        write_zip(&entries(&[("Doc_0\\OFD.xml", b"x")]), |_, _| {}),
        "backslash",
    );
    push(
        "encrypted entry",
        write_zip(&[("OFD.xml".into(), ofd.clone(), false)], |_, lfh| {
            lfh[6] |= 1
        }),
        "the general-purpose flags",
    );
    // XML layer.
    let laughs = r#"<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016">&d;</ofd:OFD>"#;
    push(
        "billion laughs",
        write_zip(&entries(&[("OFD.xml", laughs.as_bytes())]), |_, _| {}),
        "DTD",
    );
    let deep = format!(
        "<ofd:OFD xmlns:ofd=\"{NS}\">{}{}</ofd:OFD>",
        "<a>".repeat(90_000),
        "</a>".repeat(90_000)
    );
    push(
        "90,000 nested elements",
        write_zip(&entries(&[("OFD.xml", deep.as_bytes())]), |_, _| {}),
        "no <DocBody>",
    );
    let wide = format!(
        "<ofd:OFD xmlns:ofd=\"{NS}\">{}</ofd:OFD>",
        "<a/>".repeat(200_000)
    );
    push(
        "200,000 elements",
        write_zip(&entries(&[("OFD.xml", wide.as_bytes())]), |_, _| {}),
        "Limits::max_ofd_xml_nodes",
    );
    let big = format!(
        "<ofd:OFD xmlns:ofd=\"{NS}\"><!--{}--></ofd:OFD>",
        "x".repeat(5 << 20)
    );
    push(
        "5 MiB of XML (stored)",
        write_zip(&[("OFD.xml".into(), big.into_bytes(), false)], |_, _| {}),
        "Limits::max_ofd_xml_size",
    );
    push(
        "not UTF-8",
        write_zip(&entries(&[("OFD.xml", b"<OFD>\xb5\xe7</OFD>")]), |_, _| {}),
        "not UTF-8",
    );
    let mut list = format!(r#"<ofd:Signatures xmlns:ofd="{NS}">"#);
    for i in 0..5000 {
        list.push_str(&format!(
            r#"<ofd:Signature ID="{i}" BaseLoc="Sign_{i}/Signature.xml"/>"#
        ));
    }
    list.push_str("</ofd:Signatures>");
    push(
        "5,000 listed signatures",
        with_ofd(&[("Doc_0/Signs/Signatures.xml", list.as_bytes())]),
        "Limits::max_ofd_signatures",
    );
    // Seal / SES layer (a failed SignedValue check, not an error of the package).
    let mut deep_der = vec![0x05, 0x00];
    for _ in 0..5000 {
        let mut wrapped = vec![0x30];
        let n = deep_der.len();
        if n < 0x80 {
            wrapped.push(n as u8);
        } else {
            wrapped.extend([0x82, (n >> 8) as u8, n as u8]);
        }
        wrapped.extend(deep_der);
        deep_der = wrapped;
    }
    push(
        "SignedValue nested 5,000 deep",
        signed_value_case(deep_der),
        "SignedValue",
    );
    let mut liar = vec![0x30, 0x84, 0xff, 0xff, 0xff, 0xf0, 0x30, 0x82, 0x10, 0x00];
    liar.extend([0u8; 64]);
    push(
        "SignedValue with lying lengths",
        signed_value_case(liar),
        "SignedValue",
    );
    let indefinite = vec![0x30, 0x80, 0x30, 0x80, 0x02, 0x01, 0x04, 0, 0, 0, 0];
    push(
        "SignedValue with indefinite lengths",
        signed_value_case(indefinite),
        "SignedValue",
    );
    out
}
