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

/// The JSON of the LTV scenarios (timestamps, best_signature_time, validity_model,
/// revocation sources, a failing timestamp, a revoked signer) and of `timestamp verify`
/// matches the committed schema (strict: unknown fields refused).
#[test]
fn ltv_json_matches_the_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(sigbridge::report::SCHEMA).expect("schema is JSON");
    let v = jsonschema::validator_for(&schema).expect("schema compiles");
    let common_args = [
        "--anchor",
        "pki/ltv-root.pem",
        "--cert",
        "pki/ltv-ca.pem",
        "--cert",
        "pki/tsa.pem",
        "--cert",
        "pki/tsa-noncritical.pem",
        "--crl",
        "pki/ltv-root.crl",
        "--crl",
        "pki/ltv-ca.crl",
        "--format",
        "json",
    ];
    let mut checked = 0;
    for doc in [
        "expired-timestamped-ocsp",
        "revoked-after-timestamp",
        "revoked-before-content-timestamp",
        "expired-noncritical-tsa",
        "content-after-signature-timestamp",
    ] {
        let file = format!("docs/{doc}.p7m");
        let mut args = vec![file.as_str()];
        args.extend(common_args);
        let o = verify(&args);
        let report: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{doc}: not JSON ({e}): {}", stdout(&o)));
        let errors: Vec<String> = v
            .iter_errors(&report)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{doc}: {errors:#?}");
        let signer = &report["signers"][0];
        assert!(
            signer["timestamps"]
                .as_array()
                .is_some_and(|t| !t.is_empty()),
            "{doc}: no timestamps in {signer}"
        );
        checked += 1;
    }
    let dir = common::fixtures().join("ltv");
    let o = common::sigbridge()
        .current_dir(&dir)
        .args([
            "timestamp",
            "verify",
            "tokens/rsa.tst",
            "--data",
            "contract.txt",
        ])
        .args(["--anchor", "pki/ltv-root.pem", "--cert", "pki/tsa.pem"])
        .args(["--crl", "pki/ltv-root.crl", "--crl", "pki/ltv-ca.crl"])
        .args([
            "--at",
            "2030-06-01T00:00:00Z",
            "--offline",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let errors: Vec<String> = v
        .iter_errors(&report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "timestamp verify: {errors:#?}");
    assert_eq!(report["gen_time"], "2025-06-01T12:00:00Z", "{report}");
    assert_eq!(checked, 5);
}

/// The expired signer's timestamp cannot be relied upon because the TSA's revocation status
/// is unknown (the CA's CRL is not given, --offline): the first line names the TSA, and the
/// signer's proven time says its timestamp did not pass (rather than that it has none).
#[test]
fn unknown_tsa_status_comes_first() {
    let o = verify(&[
        "docs/expired-timestamped.p7m",
        "--anchor",
        "pki/ltv-root.pem",
        "--cert",
        "pki/ltv-ca.pem",
        "--cert",
        "pki/tsa.pem",
        "--crl",
        "pki/ltv-root.crl",
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(3), "{out}");
    assert_eq!(
        out.lines().next(),
        Some("NOT CONFIRMED: revocation status unknown for C=HK, O=Demo LTV, CN=Demo LTV TSA"),
        "{out}"
    );
    assert!(
        out.contains("proven time: none (the 1 timestamp(s) it carries did not pass"),
        "{out}"
    );
}
