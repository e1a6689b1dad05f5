//! OFD packages (`document::ofd`): the hardened ZIP reader, the XML model, the seal and
//! signature parsers and every check, then the JSON report.
//!
//! The first byte picks the mode: even, the rest is a ZIP file as is (seeds: the OFD corpus
//! and fixtures); odd, the rest is split at `\n--\n` into the contents of the entries of an
//! OFD package (`OFD.xml`, `Doc_0/Document.xml`, `Doc_0/Signs/Signatures.xml`, `Signature.xml`,
//! `SignedValue.dat`, `Seal.esl`, a page), zipped here with correct CRCs, so that mutations
//! reach the XML and ASN.1 layers instead of stopping at the ZIP checks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigbridge::document::ofd::{self, OfdPackage, VerifyOptions};
use sigbridge::Limits;

const NAMES: [&str; 7] = [
    "OFD.xml",
    "Doc_0/Document.xml",
    "Doc_0/Signs/Signatures.xml",
    "Doc_0/Signs/Sign_0/Signature.xml",
    "Doc_0/Signs/Sign_0/SignedValue.dat",
    "Doc_0/Signs/Sign_0/Seal.esl",
    "Doc_0/Pages/Page_0/Content.xml",
];

fn stored_zip(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in NAMES.iter().zip(parts) {
        let mut common = Vec::new();
        common.extend(20u16.to_le_bytes());
        common.extend([0u8; 8]); // flags, method (stored), time, date
        common.extend(crc32fast::hash(data).to_le_bytes());
        common.extend((data.len() as u32).to_le_bytes());
        common.extend((data.len() as u32).to_le_bytes());
        common.extend((name.len() as u16).to_le_bytes());
        common.extend(0u16.to_le_bytes());
        let offset = out.len() as u32;
        out.extend(b"PK\x03\x04");
        out.extend(&common);
        out.extend(name.as_bytes());
        out.extend(*data);
        central.extend(b"PK\x01\x02");
        central.extend(20u16.to_le_bytes());
        central.extend(&common);
        central.extend([0u8; 10]);
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let cd = out.len() as u32;
    let n = parts.len().min(NAMES.len()) as u16;
    out.extend(&central);
    out.extend(b"PK\x05\x06");
    out.extend([0u8; 4]);
    out.extend(n.to_le_bytes());
    out.extend(n.to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(i) = rest.windows(4).position(|w| w == b"\n--\n") {
        parts.push(&rest[..i]);
        rest = &rest[i + 4..];
    }
    parts.push(rest);
    parts
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = if mode % 2 == 0 { rest.to_vec() } else { stored_zip(&split(rest)) };
    let limits = Limits::default();
    let package = match OfdPackage::open(bytes, &limits) {
        Ok(p) => p,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    if let Ok(summary) = ofd::OfdSummary::of(&package) {
        let _ = serde_json::to_string(&summary);
    }
    match ofd::verify_signatures(&package, &VerifyOptions::new()) {
        Ok(v) => {
            // Nothing made of fuzzer bytes can carry a valid signature.
            assert!(!v.all_passed(), "a fuzzed package verified");
            let _ = serde_json::to_string(&v);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
