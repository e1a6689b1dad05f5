//! `sigbridge inspect` and `sigbridge verify` as a person runs them.

mod common;

use std::process::Command;

fn bin() -> Command {
    common::sigbridge()
}

#[test]
fn inspect_describes_a_signed_data_and_rejects_text() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let out = bin()
        .args(["inspect", "--format", "json"])
        .arg(corpora.join("cms/rfc4134/4.4.bin"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "signed_data");
    assert_eq!(v["certificates"].as_array().unwrap().len(), 3);
    assert_eq!(v["crls"].as_array().unwrap().len(), 1);
    assert_eq!(v["signers"][0]["counter_signatures"], 1);
    let out = bin().args(["inspect", "README.md"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("README.md"));
}

#[test]
fn verify_exit_codes_and_report() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let dir = corpora.join("cms/rfc4134");
    let run = |extra: &[&str]| {
        let mut c = bin();
        c.arg("verify")
            .arg(dir.join("4.3.bin"))
            .args(["--anchor"])
            .arg(dir.join("CarlDSSSelf.cer"));
        c.args(["--at", "2020-01-01T00:00:00Z", "--revocation", "off"])
            .args(extra);
        c.output().unwrap()
    };
    let content = dir.join("ExContent.bin");
    let out = run(&["--format", "json", "--content", content.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "sigbridge-report/2");
    assert_eq!(v["indication"], "TOTAL_PASSED");
    assert_eq!(v["signers"][0]["signer"]["subject"], "CN=AliceDSS");
    // Detached without content: not confirmed.
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--content"));
    // Wrong content: the digest fails.
    let tmp = std::env::temp_dir().join(format!("sigbridge-other-{}.txt", std::process::id()));
    std::fs::write(&tmp, b"This is some other content.").unwrap();
    let out = run(&["--content", tmp.to_str().unwrap()]);
    let _ = std::fs::remove_file(&tmp);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        // 4.3 has no signed attributes: DSA signs the content's digest itself, so other
        // content breaks the signature value (nothing separates the digest from it).
        stdout.contains("Document: NOT VALID (TOTAL_FAILED / SIG_CRYPTO_FAILURE)"),
        "{stdout}"
    );
    // Unreadable document.
    let out = bin().args(["verify", "no-such-file.p7m"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-file.p7m"));
}
