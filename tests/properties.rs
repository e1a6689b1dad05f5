//! Property tests (proptest) on the invariants that matter for hostile input:
//!
//! * flipping any single bit of a valid signed fixture never yields TOTAL_PASSED;
//! * truncating any input (certificates, CRLs, CMS and S/MIME fixtures) never panics, and a
//!   truncated DER object never parses;
//! * for every PKITS certificate and CRL, the TBS bytes sigbridge verifies are the DER
//!   tbsCertificate / tbsCertList element of the file (extracted here by an independent
//!   minimal DER walk), and parsing the re-encoded `der` gives the same bytes.

mod common;

use proptest::prelude::*;
use sigbridge::asn1::parse_time;
use sigbridge::input;
use sigbridge::revocation::RevocationMode;
use sigbridge::trust::TrustStores;
use sigbridge::verdict::Indication;
use sigbridge::verify::Verifier;
use sigbridge::x509::{Certificate, Crl};
use sigbridge::Limits;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The demo trust lists at 2026-12-01T00:00:00Z (fixtures/expected.json), every CRL of
/// fixtures/docs/pki, revocation required.
fn verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| {
        let limits = Limits::default();
        let stores = TrustStores::load_dir(&fixtures().join("trust-stores"), &limits).unwrap();
        let time = parse_time("2026-12-01T00:00:00Z").unwrap();
        let mut crls: Vec<PathBuf> = std::fs::read_dir(fixtures().join("docs/pki"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "crl"))
            .collect();
        crls.sort();
        assert_eq!(crls.len(), 8, "fixtures/docs/pki/*.crl");
        let mut b = Verifier::builder()
            .trust_stores(stores)
            .validation_time(Some(time))
            .revocation(RevocationMode::Require);
        for p in crls {
            b = b.crls(
                sigbridge::x509::crls_from_file(&p, &limits)
                    .unwrap()
                    .into_iter()
                    .map(Arc::new),
            );
        }
        b.build()
    })
}

/// The two signed fixtures whose unmodified verification is TOTAL_PASSED.
const SIGNED: [&str; 2] = ["docs/hk-mr-personal.p7m", "docs/gd-sm2-mr.p7m"];

fn signed(i: usize) -> &'static [u8] {
    static DOCS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    DOCS.get_or_init(|| {
        SIGNED
            .iter()
            .map(|f| std::fs::read(fixtures().join(f)).unwrap())
            .collect()
    })[i]
        .as_slice()
}

fn passes(bytes: &[u8]) -> bool {
    verifier()
        .verify(bytes, None)
        .is_ok_and(|r| r.indication == Indication::TotalPassed)
}

fn flip(bytes: &[u8], bit: usize) -> Vec<u8> {
    let mut v = bytes.to_vec();
    v[bit / 8] ^= 0x80 >> (bit % 8);
    v
}

#[test]
fn the_signed_fixtures_pass_unmodified() {
    for (i, f) in SIGNED.iter().enumerate() {
        let r = verifier().verify(signed(i), None).unwrap();
        assert_eq!(r.indication, Indication::TotalPassed, "{f}: {r:?}");
    }
}

/// One DER header at `p`: (identifier octet, header length, content length).
fn header(b: &[u8], p: usize) -> (u8, usize, usize) {
    let first = b[p + 1] as usize;
    if first < 0x80 {
        return (b[p], 2, first);
    }
    let n = first & 0x7f;
    assert!((1..=4).contains(&n), "definite DER length expected at {p}");
    let len = b[p + 2..p + 2 + n]
        .iter()
        .fold(0usize, |acc, &x| (acc << 8) | x as usize);
    (b[p], 2 + n, len)
}

/// The positions of the elements inside the constructed element at `p`.
fn children(b: &[u8], p: usize) -> Vec<usize> {
    let (_, hl, len) = header(b, p);
    let (mut q, end) = (p + hl, p + hl + len);
    let mut out = Vec::new();
    while q < end {
        out.push(q);
        let (_, h, l) = header(b, q);
        q += h + l;
    }
    assert_eq!(q, end, "children of {p} overrun");
    out
}

fn content(b: &[u8], p: usize) -> std::ops::Range<usize> {
    let (_, hl, len) = header(b, p);
    p + hl..p + hl + len
}

fn whole(b: &[u8], p: usize) -> std::ops::Range<usize> {
    let (_, hl, len) = header(b, p);
    p..p + hl + len
}

/// Byte ranges of a DER SignedData, found by an independent walk of the fixture.
struct Layout {
    /// Bytes a signature covers: the eContent octets, the signed attributes, the signature
    /// value, and each embedded certificate's tbsCertificate and signature value.
    signed: Vec<std::ops::Range<usize>>,
    /// Fields no signature covers, in which a flip may legitimately leave the verdict at
    /// TOTAL_PASSED (found by exhaustive search; see `exhaustive_single_bit_flips`):
    /// SignedData.version, SignerInfo.version (neither is checked against RFC 5652 §5.1 /
    /// §5.3), the eContent OCTET STRING's identifier octet, each certificate's outer
    /// signatureAlgorithm SEQUENCE / OID and signatureValue BIT STRING identifier octets,
    /// and SignerInfo.sid (a locator only: the issuer name is matched case-insensitively,
    /// RFC 5280 §7.1, and the key it finds is what verifies the signature).
    unsigned: Vec<(&'static str, std::ops::Range<usize>)>,
}

fn layout(b: &[u8]) -> Layout {
    let ci = children(b, 0);
    let sd = children(b, ci[1])[0];
    let sd_items = children(b, sd);
    let mut signed = Vec::new();
    let mut unsigned = vec![("SignedData.version", content(b, sd_items[0]))];
    let encap = children(b, sd_items[2]);
    let econtent = children(b, encap[1])[0];
    signed.push(content(b, econtent));
    unsigned.push(("eContent OCTET STRING identifier", econtent..econtent + 1));
    for &item in &sd_items[3..] {
        match b[item] {
            0xa0 => {
                for cert in children(b, item) {
                    let parts = children(b, cert);
                    signed.push(whole(b, parts[0]));
                    signed.push(content(b, parts[2]));
                    let alg = children(b, parts[1]);
                    unsigned.push((
                        "certificate signatureAlgorithm identifier",
                        parts[1]..parts[1] + 1,
                    ));
                    unsigned.push((
                        "certificate signatureAlgorithm OID identifier",
                        alg[0]..alg[0] + 1,
                    ));
                    unsigned.push((
                        "certificate signatureValue identifier",
                        parts[2]..parts[2] + 1,
                    ));
                }
            }
            0x31 => {
                for si in children(b, item) {
                    let f = children(b, si);
                    unsigned.push(("SignerInfo.version", content(b, f[0])));
                    unsigned.push(("SignerInfo.sid", content(b, f[1])));
                    assert_eq!(b[f[3]], 0xa0, "signed attributes expected");
                    signed.push(content(b, f[3]));
                    signed.push(content(b, f[5]));
                }
            }
            t => panic!("unexpected SignedData element {t:#x}"),
        }
    }
    Layout { signed, unsigned }
}

fn layouts() -> &'static [Layout; 2] {
    static L: OnceLock<[Layout; 2]> = OnceLock::new();
    L.get_or_init(|| [layout(signed(0)), layout(signed(1))])
}

fn signed_bits(doc: usize) -> usize {
    layouts()[doc].signed.iter().map(|r| r.len() * 8).sum()
}

/// The `n`th bit of the signature-covered bytes, as a bit index into the document.
fn nth_signed_bit(doc: usize, mut n: usize) -> usize {
    for r in &layouts()[doc].signed {
        if n < r.len() * 8 {
            return r.start * 8 + n;
        }
        n -= r.len() * 8;
    }
    unreachable!()
}

fn unsigned_field(doc: usize, bit: usize) -> Option<&'static str> {
    layouts()[doc]
        .unsigned
        .iter()
        .find(|(_, r)| r.contains(&(bit / 8)))
        .map(|(n, _)| *n)
}

#[test]
fn the_layout_covers_what_the_signatures_cover() {
    for (i, f) in SIGNED.iter().enumerate() {
        let l = &layouts()[i];
        // eContent, signed attributes, signature, and two certificates' TBS + signature.
        assert_eq!(l.signed.len(), 3 + 2 * 2, "{f}");
        assert!(signed_bits(i) > signed(i).len() * 8 * 3 / 4, "{f}");
        for r in &l.signed {
            for u in &l.unsigned {
                assert!(
                    r.end <= u.1.start || u.1.end <= r.start,
                    "{f}: {r:?} overlaps {u:?}"
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// A flip in any byte a signature covers never leaves the document TOTAL_PASSED.
    #[test]
    fn flipping_a_signed_bit_never_passes(doc in 0usize..2, n in any::<proptest::sample::Index>()) {
        let bit = nth_signed_bit(doc, n.index(signed_bits(doc)));
        prop_assert!(!passes(&flip(signed(doc), bit)), "{} bit {bit}", SIGNED[doc]);
    }

    /// A flip anywhere leaves the document TOTAL_PASSED only inside a named unsigned field.
    #[test]
    fn flipping_any_bit_passes_only_in_unsigned_fields(doc in 0usize..2, n in any::<proptest::sample::Index>()) {
        let bit = n.index(signed(doc).len() * 8);
        if passes(&flip(signed(doc), bit)) {
            prop_assert!(
                unsigned_field(doc, bit).is_some(),
                "{}: byte {} bit {} passes outside the unsigned fields", SIGNED[doc], bit / 8, bit % 8
            );
        }
    }
}

/// Exhaustive: every bit of both fixtures (run with `--release -- --ignored`); no flip in a
/// signed byte passes, and every passing flip lies in a named unsigned field.
#[test]
#[ignore = "exhaustive (~38k verifications, ~10 s in release); the proptests above sample it"]
fn exhaustive_single_bit_flips() {
    let mut wrong = Vec::new();
    let mut by_field = std::collections::BTreeMap::<&str, usize>::new();
    for (i, f) in SIGNED.iter().enumerate() {
        let doc = signed(i);
        for bit in 0..doc.len() * 8 {
            if passes(&flip(doc, bit)) {
                match unsigned_field(i, bit) {
                    Some(field) => *by_field.entry(field).or_default() += 1,
                    None => wrong.push(format!("{f}: byte {} bit {}", bit / 8, bit % 8)),
                }
            }
        }
    }
    eprintln!("passing flips by unsigned field: {by_field:?}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every input the truncation property cuts: the fixture certificates, CRLs and signed
/// documents (DER, BER, PEM, S/MIME).
fn truncation_inputs() -> &'static [(String, Vec<u8>)] {
    static I: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    I.get_or_init(|| {
        let mut out = Vec::new();
        for dir in ["docs", "docs/pki"] {
            for e in std::fs::read_dir(fixtures().join(dir)).unwrap() {
                let p = e.unwrap().path();
                let ext = p.extension().and_then(|x| x.to_str()).unwrap_or_default();
                if ["p7m", "p7s", "eml", "pem", "crl"].contains(&ext) {
                    let name = p.strip_prefix(fixtures()).unwrap().display().to_string();
                    out.push((name, std::fs::read(&p).unwrap()));
                }
            }
        }
        out.sort();
        assert!(out.len() > 40, "fixture inputs: {}", out.len());
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any prefix of any input goes through every entry point without a panic; a strict
    /// prefix of a DER or BER object (no PEM armour, no MIME) never parses.
    #[test]
    fn truncating_any_input_never_panics(file in any::<proptest::sample::Index>(), cut in any::<proptest::sample::Index>()) {
        let inputs = truncation_inputs();
        let (name, bytes) = &inputs[file.index(inputs.len())];
        let cut = cut.index(bytes.len());
        let t = &bytes[..cut];
        let limits = Limits::default();
        let certs = sigbridge::x509::certificates_from_bytes(t, name, &limits);
        let crls = sigbridge::x509::crls_from_bytes(t, name, &limits);
        let inspected = sigbridge::report::inspect::inspect(t, name, &limits);
        let _ = verifier().verify(t, None);
        let binary = !input::looks_like_pem(bytes) && !sigbridge::document::smime::looks_like_mime(bytes);
        if binary {
            prop_assert!(certs.is_err(), "{name}[..{cut}] parses as certificates");
            prop_assert!(crls.is_err(), "{name}[..{cut}] parses as CRLs");
            prop_assert!(inspected.is_err(), "{name}[..{cut}] inspects");
        }
    }
}

fn pkits_files(dir: &str) -> Option<Vec<PathBuf>> {
    let corpora = common::corpora()?;
    let mut v: Vec<PathBuf> = std::fs::read_dir(corpora.join("pkits").join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    Some(v)
}

/// The first element of the outer SEQUENCE, found without sigbridge.
fn first_element(der: &[u8]) -> &[u8] {
    assert_eq!(der[0], 0x30);
    let outer = whole(der, 0);
    assert_eq!(outer.end, der.len(), "trailing data");
    let first = children(der, 0)[0];
    &der[whole(der, first)]
}

#[test]
fn pkits_tbs_bytes_are_the_files_tbs_element() {
    let Some(certs) = pkits_files("certs") else {
        return;
    };
    let Some(crls) = pkits_files("crls") else {
        return;
    };
    let (mut n_certs, mut n_crls) = (0, 0);
    for p in &certs {
        let der = std::fs::read(p).unwrap();
        let c = Certificate::from_der(&der).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert_eq!(c.der, der, "{}", p.display());
        assert_eq!(c.tbs(), first_element(&der), "{}", p.display());
        let again = Certificate::from_der(&c.der).unwrap();
        assert_eq!(again.der, der);
        assert_eq!(again.tbs(), c.tbs());
        n_certs += 1;
    }
    for p in &crls {
        let der = std::fs::read(p).unwrap();
        let c = Crl::from_der(&der, Limits::default().max_crl_entries)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert_eq!(c.der, der, "{}", p.display());
        assert_eq!(c.tbs(), first_element(&der), "{}", p.display());
        n_crls += 1;
    }
    eprintln!("TBS re-encoding: {n_certs} PKITS certificates, {n_crls} CRLs");
    assert_eq!((n_certs, n_crls), (405, 173));
}

/// The independent extraction agrees with OpenSSL's on a sample (asn1parse offsets).
#[test]
fn the_tbs_walk_agrees_with_openssl_asn1parse() {
    let Some(certs) = pkits_files("certs") else {
        return;
    };
    let p = &certs[0];
    let out = std::process::Command::new("openssl")
        .args(["asn1parse", "-inform", "DER", "-in"])
        .arg(p)
        .output();
    let Ok(out) = out else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("openssl not found; under CI=true this is a failure");
        }
        eprintln!("\n!!!!!!!! SKIPPING: openssl not found !!!!!!!!\n");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    // Line 2 is the tbsCertificate: "    4:d=1  hl=4 l= 617 cons: SEQUENCE".
    let line = text.lines().nth(1).unwrap();
    let field = |k: &str| -> usize {
        let rest = &line[line.find(k).unwrap() + k.len()..];
        rest.trim_start()
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let offset: usize = line.split(':').next().unwrap().trim().parse().unwrap();
    let der = std::fs::read(p).unwrap();
    let tbs = first_element(&der);
    assert_eq!(offset, tbs.as_ptr() as usize - der.as_ptr() as usize);
    assert_eq!(field("hl=") + field(" l="), tbs.len());
}
