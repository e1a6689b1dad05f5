//! Hostile input: every file of `malformed/` (OpenSSL fuzz seeds, pyca's odd certificates and
//! CRLs, deep nesting, a 32,767-name name-constraints chain) goes through the certificate and
//! CRL parsers; each gives a parse or a typed error and none panics. The name-constraints
//! chain goes through path validation, whose work must stay bounded.

mod common;

use sigbridge::input;
use sigbridge::path::{AnchorSet, CertPool};
use sigbridge::revocation::RevocationMode;
use sigbridge::validate::{self, Options, Sources};
use sigbridge::Limits;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn read(p: &Path) -> Vec<u8> {
    let raw = std::fs::read(p).unwrap();
    if p.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .unwrap();
        out
    } else {
        raw
    }
}

#[test]
fn every_malformed_input_parses_or_fails_cleanly() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let mut all = Vec::new();
    files(&corpora.join("malformed"), &mut all);
    all.sort();
    let limits = Limits::default();
    let (mut certs_ok, mut crls_ok, mut rejected) = (0, 0, 0);
    let mut slowest = (Duration::ZERO, PathBuf::new());
    for p in &all {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("README") || name.starts_with("LICENSE") || name.starts_with("NOTICE") {
            continue;
        }
        let bytes = read(p);
        let t0 = Instant::now();
        let c = input::certificates_from_bytes(&bytes, &name, &limits);
        let r = input::crls_from_bytes(&bytes, &name, &limits);
        let dt = t0.elapsed();
        if dt > slowest.0 {
            slowest = (dt, p.clone());
        }
        match (&c, &r) {
            (Ok(_), _) => certs_ok += 1,
            (_, Ok(_)) => crls_ok += 1,
            (Err(ce), Err(re)) => {
                rejected += 1;
                // Every rejection is a message naming the input.
                assert!(ce.to_string().contains(&name), "{ce}");
                assert!(re.to_string().contains(&name), "{re}");
            }
        }
    }
    let total = certs_ok + crls_ok + rejected;
    eprintln!(
        "malformed corpus: {total} inputs: {certs_ok} parse as certificates, {crls_ok} as CRLs, {rejected} rejected with typed errors; slowest {:?} ({})",
        slowest.0,
        slowest.1.display()
    );
    assert!(total > 1700, "expected the 1,756-input corpus, saw {total}");
    // Sanity: known-good shapes parse, known-bad shapes do not.
    let ok = |rel: &str| {
        input::certificates_from_bytes(&read(&corpora.join("malformed").join(rel)), rel, &limits)
    };
    assert!(ok("pyca-x509-misc/unique_identifier.pem").is_ok());
    assert!(
        ok("pyca-x509-misc/v1_cert.pem").is_err(),
        "inner and outer signature algorithms differ"
    );
    assert!(
        ok("pyca-x509-custom/two_basic_constraints.pem").is_err(),
        "duplicate extension must be rejected"
    );
    assert!(ok("bouncycastle/nested_seq.der").is_err());
}

#[test]
fn name_constraints_dos_chain_is_bounded() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let dir = corpora.join("malformed/bouncycastle");
    let limits = Limits::default();
    let load = |n: &str| {
        Arc::new(
            input::certificates_from_bytes(&read(&dir.join(n)), n, &limits)
                .unwrap()
                .remove(0),
        )
    };
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("mal-") && n.ends_with(".gz"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 4, "{names:?}");
    let certs: Vec<_> = names.iter().map(|n| load(n)).collect();
    let root = certs.iter().find(|c| c.is_self_issued()).unwrap().clone();
    let leaf = certs
        .iter()
        .find(|c| !c.is_ca())
        .unwrap_or(&certs[3])
        .clone();
    let mut anchors = AnchorSet::new();
    anchors.add(root, "bc");
    let mut pool = CertPool::new();
    for c in &certs {
        pool.add(c.clone());
    }
    let mut options = Options::at(leaf.not_before + 60);
    options.revocation = RevocationMode::Off;
    let t0 = Instant::now();
    let o = validate::validate(
        &leaf,
        Sources {
            pool: &pool,
            anchors: &anchors,
            crls: &[],
        },
        &options,
    );
    eprintln!(
        "32,767-constraint chain: {} in {:?}: {:?}",
        o.indication,
        t0.elapsed(),
        o.errors.first().map(|e| &e.message)
    );
    // Whatever the verdict, the work was bounded by Limits (the test finishing is the check;
    // the budget error names the limit when it is the reason).
    if !o.is_valid() {
        assert!(!o.errors.is_empty());
    }
}
