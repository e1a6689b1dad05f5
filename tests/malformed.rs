//! Hostile input: every file of `malformed/` (OpenSSL fuzz seeds, pyca's odd certificates and
//! CRLs, deep nesting, a 32,767-name name-constraints chain) goes through the certificate and
//! CRL parsers; each gives a parse or a typed error and none panics. The name-constraints
//! chain goes through path validation, whose work must stay bounded.

mod common;

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

/// Every file of `malformed/`, in a stable order.
fn corpus_inputs(corpora: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    files(&corpora.join("malformed"), &mut all);
    all.sort();
    all
}

#[test]
fn every_malformed_input_parses_or_fails_cleanly() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let all = corpus_inputs(&corpora);
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
        let c = sigbridge::x509::certificates_from_bytes(&bytes, &name, &limits);
        let r = sigbridge::x509::crls_from_bytes(&bytes, &name, &limits);
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
        sigbridge::x509::certificates_from_bytes(
            &read(&corpora.join("malformed").join(rel)),
            rel,
            &limits,
        )
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
            sigbridge::x509::certificates_from_bytes(&read(&dir.join(n)), n, &limits)
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
    // Sorted: mal-ca1, mal-ca2, mal-leaf, mal-root. Every certificate carries 32,767
    // permitted dNSName constraints and none has basicConstraints: the whole chain
    // root → ca1 → ca2 → leaf is examined (and refused), within the Limits budgets.
    let root = certs[3].clone();
    let leaf = certs[2].clone();
    assert!(
        root.is_self_issued()
            && leaf.subject.common_name().as_deref() == Some("Leaf Certificate 3")
    );
    let mut anchors = AnchorSet::new();
    anchors.add(root, "bc");
    let mut pool = CertPool::new();
    for c in &certs {
        pool.add(c.clone());
    }
    let mut options = Options::at(leaf.not_before + 60);
    options.revocation = RevocationMode::Off;
    let t0 = Instant::now();
    let o = validate::validate(&leaf, Sources::new(&pool, &anchors, &[]), &options);
    eprintln!(
        "32,767-constraint chain: {} in {:?}: {:?}",
        o.indication,
        t0.elapsed(),
        o.errors.first().map(|e| &e.message)
    );
    // Whatever the verdict, the work was bounded by Limits (the test finishing is the check;
    // the budget error names the limit when it is the reason).
    assert!(
        !o.is_valid(),
        "CA certificates without basicConstraints must not validate"
    );
    assert!(!o.errors.is_empty());
    assert_eq!(
        o.path.len(),
        4,
        "the whole chain root → ca1 → ca2 → leaf was examined"
    );
}

/// Every file of `malformed/` also goes through the two entry points an embedder calls on a
/// stranger's file: `inspect::inspect` (certificate, CRL or SignedData) and
/// `Verifier::verify` (S/MIME or CMS) with the demo trust lists. Each returns Ok or a typed
/// error; a panic fails the test. Speed is not asserted here (benches measure it); the
/// slowest input per entry point is reported.
#[test]
fn every_malformed_input_goes_through_inspect_and_verify() {
    use sigbridge::report::inspect::{self, Inspection};
    use sigbridge::trust::TrustStores;
    use sigbridge::verify::{Verifier, VerifyError};
    let Some(corpora) = common::corpora() else {
        return;
    };
    let all = corpus_inputs(&corpora);
    let limits = Limits::default();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let stores = TrustStores::load_dir(&root.join("fixtures/trust-stores"), &limits)
        .expect("fixtures/trust-stores");
    let time = sigbridge::asn1::parse_time("2026-12-01T00:00:00Z").unwrap();
    let verifier = Verifier::builder()
        .trust_stores(stores)
        .validation_time(Some(time))
        .build();
    let (mut i_certs, mut i_crls, mut i_cms, mut i_err) = (0, 0, 0, 0);
    let (mut v_ok, mut v_cms, mut v_smime, mut v_content) = (0, 0, 0, 0);
    // Certificates, CRLs and bundles without a signer: told apart from malformed data.
    let mut v_not_signed = 0;
    let mut v_indications = std::collections::BTreeMap::<String, usize>::new();
    let mut slow_inspect = (Duration::ZERO, PathBuf::new());
    let mut slow_verify = (Duration::ZERO, PathBuf::new());
    for p in &all {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("README") || name.starts_with("LICENSE") || name.starts_with("NOTICE") {
            continue;
        }
        let bytes = read(p);
        let t0 = Instant::now();
        let inspected = inspect::inspect(&bytes, &name, &limits);
        let dt = t0.elapsed();
        if dt > slow_inspect.0 {
            slow_inspect = (dt, p.clone());
        }
        match inspected {
            Ok(Inspection::Certificates { certificates }) => {
                assert!(!certificates.is_empty(), "{name}: empty certificate list");
                i_certs += 1;
            }
            Ok(Inspection::Crls { crls }) => {
                assert!(!crls.is_empty(), "{name}: empty CRL list");
                i_crls += 1;
            }
            Ok(Inspection::SignedData { .. }) => i_cms += 1,
            Ok(Inspection::Pdf(p)) => assert!(!p.revisions.is_empty(), "{name}"),
            // A ZIP is read as an OFD package only (none of the corpus's is one).
            Ok(Inspection::Ofd { .. }) => i_cms += 1,
            Err(e) if e.ofd.is_some() => {
                let msg = e.to_string();
                assert!(msg.contains(&name) && msg.contains("OFD"), "{msg}");
                i_err += 1;
            }
            Err(e) => {
                // The error names the input and says why each reading failed.
                let msg = e.to_string();
                assert!(msg.contains(&name), "{msg}");
                assert!(
                    !e.certificate.is_empty() && !e.crl.is_empty() && !e.cms.is_empty(),
                    "{name}: an inspect error must give all three reasons: {msg}"
                );
                i_err += 1;
            }
        }
        let t0 = Instant::now();
        let verified = verifier.verify(&bytes, None);
        let dt = t0.elapsed();
        if dt > slow_verify.0 {
            slow_verify = (dt, p.clone());
        }
        match verified {
            Ok(report) => {
                assert_eq!(report.format, "sigbridge-report/2");
                *v_indications
                    .entry(report.indication.to_string())
                    .or_default() += 1;
                v_ok += 1;
            }
            Err(e) => {
                assert!(!e.to_string().is_empty(), "{name}: empty error");
                match e {
                    VerifyError::Cms(_) | VerifyError::Ofd(_) => v_cms += 1,
                    VerifyError::Smime(_) => v_smime += 1,
                    VerifyError::Content(_)
                    | VerifyError::ContentTooLarge { .. }
                    | VerifyError::Document(_)
                    | VerifyError::DocumentTooLarge { .. } => v_content += 1,
                    VerifyError::NotSigned { .. } => v_not_signed += 1,
                    other => panic!("{name}: unexpected kind of error: {other}"),
                }
            }
        }
    }
    let inspected = i_certs + i_crls + i_cms + i_err;
    let verified = v_ok + v_cms + v_smime + v_content + v_not_signed;
    eprintln!(
        "malformed corpus through inspect: {inspected} inputs: {i_certs} certificates, {i_crls} CRLs, {i_cms} SignedData, {i_err} typed InspectErrors; slowest {:?} ({})",
        slow_inspect.0,
        slow_inspect.1.display()
    );
    eprintln!(
        "malformed corpus through verify: {verified} inputs: {v_ok} reports {v_indications:?}, {v_cms} CmsErrors, {v_smime} SmimeErrors, {v_content} content errors, {v_not_signed} not signed documents; slowest {:?} ({})",
        slow_verify.0,
        slow_verify.1.display()
    );
    assert!(
        inspected > 1700,
        "expected the 1,756-input corpus, saw {inspected}"
    );
    assert_eq!(inspected, verified);
    // The corpus holds readable certificates and CRLs as well as garbage: each reading must be
    // exercised, and most verifications are refused as unreadable. (Its few SignedData that
    // parse structurally carry fuzzed versions, 12–46, which RFC 5652 §5.1 rules out; they are
    // refused with a CmsError, counted in `i_err`.)
    let _ = i_cms;
    assert!(i_certs > 0 && i_crls > 0 && i_err > 0);
    assert!(
        v_cms > 0,
        "unreadable SignedData must be refused with CmsError"
    );
    // Nothing in a malformed corpus verifies against the demo trust lists.
    assert!(
        !v_indications.contains_key("TOTAL_PASSED"),
        "{v_indications:?}"
    );
}
