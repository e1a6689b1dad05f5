//! The officer's view of long-term validation (fixtures/ltv, made by fixtures/generate-ltv.py,
//! validated at 2030-06-01): a signer that expired in 2026 but whose signature timestamp of
//! 2025-06-01 is trusted prints "valid as of <genTime>, proven by <TSA>" on the `Document:`
//! line (exit 0); a signer whose revocation status cannot be established offline opens the
//! output with `NOT CONFIRMED: revocation status unknown for <certificate>` (exit 3).

mod common;

use std::process::Output;

fn verify(args: &[&str]) -> Output {
    let dir = common::fixtures().join("ltv");
    common::sigbridge()
        .current_dir(&dir)
        .arg("verify")
        .args(args)
        .args([
            "--at",
            "2030-06-01T00:00:00Z",
            "--offline",
            "--color",
            "never",
        ])
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn timestamp_proves_the_signing_time() {
    let o = verify(&[
        "docs/expired-timestamped-ocsp.p7m",
        "--anchor",
        "pki/ltv-root.pem",
        "--cert",
        "pki/ltv-ca.pem",
        "--cert",
        "pki/tsa.pem",
        "--crl",
        "pki/ltv-root.crl",
        "--crl",
        "pki/ltv-ca.crl",
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    let doc = out
        .lines()
        .find(|l| l.starts_with("Document:"))
        .unwrap_or_else(|| panic!("no Document: line in\n{out}"));
    assert!(doc.contains("TOTAL_PASSED"), "{doc}");
    assert!(
        doc.contains(
            "valid as of 2025-06-01T12:00:00Z, proven by C=HK, O=Demo LTV, CN=Demo LTV TSA"
        ),
        "{doc}"
    );
    assert!(!out.contains("NOT CONFIRMED"), "{out}");
}

#[test]
fn unknown_revocation_status_comes_first() {
    // The CA's CRL is not given and --offline forbids fetching it.
    let o = verify(&[
        "docs/valid-no-timestamp.p7m",
        "--anchor",
        "pki/ltv-root.pem",
        "--cert",
        "pki/ltv-ca.pem",
        "--crl",
        "pki/ltv-root.crl",
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(3), "{out}");
    assert_eq!(
        out.lines().next(),
        Some("NOT CONFIRMED: revocation status unknown for C=HK, O=Demo LTV Signers, CN=Valid Signer"),
        "{out}"
    );
    assert!(out.contains("INDETERMINATE / TRY_LATER"), "{out}");
}

#[test]
fn a_good_ocsp_file_settles_it() {
    let o = verify(&[
        "docs/valid-no-timestamp.p7m",
        "--anchor",
        "pki/ltv-root.pem",
        "--cert",
        "pki/ltv-ca.pem",
        "--crl",
        "pki/ltv-root.crl",
        "--ocsp",
        "ocsp/valid-good.ocsp",
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(!out.contains("NOT CONFIRMED"), "{out}");
}
