//! `sigbridge path` end to end: the built binary on NIST PKITS files — exit codes
//! (0 valid, 1 TOTAL_FAILED, 2 usage, 3 INDETERMINATE, 4 unreadable input), the JSON shape
//! (`valid`, `indication`, `path` anchor first with SHA-256, `user_constrained_policy_set`,
//! `errors`) and the text output.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};

const AT: &str = "2011-04-15T00:00:00Z";
const NIST_TEST_POLICY_1: &str = "2.16.840.1.101.3.2.1.48.1";
const NIST_TEST_POLICY_2: &str = "2.16.840.1.101.3.2.1.48.2";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

fn sigbridge(args: &[String]) -> Run {
    let out = common::sigbridge().args(args).output().unwrap();
    Run {
        code: out.status.code().expect("sigbridge was killed by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Paths of the PKITS corpus.
struct Pkits {
    dir: PathBuf,
}

impl Pkits {
    fn open() -> Option<Pkits> {
        common::corpora().map(|c| Pkits {
            dir: c.join("pkits"),
        })
    }
    fn cert(&self, name: &str) -> PathBuf {
        self.dir.join("certs").join(name)
    }
    fn crl(&self, name: &str) -> PathBuf {
        self.dir.join("crls").join(name)
    }
    /// `path --anchor … --cert … --target … --crl … --at …` plus `extra`.
    fn args(
        &self,
        anchor: &str,
        certs: &[&str],
        target: &str,
        crls: &[&str],
        extra: &[&str],
    ) -> Vec<String> {
        let mut a: Vec<String> = vec!["path".into(), "--anchor".into(), s(&self.cert(anchor))];
        for c in certs {
            a.push("--cert".into());
            a.push(s(&self.cert(c)));
        }
        a.push("--target".into());
        a.push(s(&self.cert(target)));
        for c in crls {
            a.push("--crl".into());
            a.push(s(&self.crl(c)));
        }
        a.push("--at".into());
        a.push(AT.into());
        a.extend(extra.iter().map(|e| e.to_string()));
        a
    }
    /// 4.1.1 Valid Signatures Test1 (also the path of 4.8.1 and 4.4.3's siblings).
    fn valid_4_1_1(&self, extra: &[&str]) -> Vec<String> {
        self.args(
            "TrustAnchorRootCertificate.crt",
            &["GoodCACert.crt"],
            "ValidCertificatePathTest1EE.crt",
            &["TrustAnchorRootCRL.crl", "GoodCACRL.crl"],
            extra,
        )
    }
    /// 4.4.3 Invalid Revoked EE Test3.
    fn revoked_4_4_3(&self, extra: &[&str]) -> Vec<String> {
        self.args(
            "TrustAnchorRootCertificate.crt",
            &["GoodCACert.crt"],
            "InvalidRevokedEETest3EE.crt",
            &["TrustAnchorRootCRL.crl", "GoodCACRL.crl"],
            extra,
        )
    }
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn file_sha256(p: &Path) -> String {
    hex::encode(sigbridge::crypto::sha256(&std::fs::read(p).unwrap()))
}

fn error_rules(j: &Value) -> Vec<String> {
    j["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

/// A file in Cargo's per-test scratch directory.
fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli_path-{}-{name}", std::process::id()));
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Deterministic pseudo-random bytes (xorshift64*), none of which form a PEM header.
fn garbage(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
        })
        .collect()
}

#[test]
fn valid_path_json() {
    let Some(p) = Pkits::open() else { return };
    let r = sigbridge(&p.valid_4_1_1(&["--revocation", "require", "--format", "json"]));
    assert_eq!(
        r.code, 0,
        "4.1.1 should be valid (exit 0)\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    let j = r.json();
    assert_eq!(j["valid"], Value::Bool(true), "{j:#}");
    assert_eq!(j["indication"], "TOTAL_PASSED", "{j:#}");
    assert!(error_rules(&j).is_empty(), "{j:#}");
    let path = j["path"].as_array().unwrap();
    let want = [
        "TrustAnchorRootCertificate.crt",
        "GoodCACert.crt",
        "ValidCertificatePathTest1EE.crt",
    ];
    assert_eq!(path.len(), want.len(), "path: {:#}", j["path"]);
    for (entry, file) in path.iter().zip(want) {
        assert_eq!(
            entry["sha256"].as_str().unwrap(),
            file_sha256(&p.cert(file)),
            "path entry for {file}: {entry}"
        );
    }
    assert!(
        path[0]["subject"]
            .as_str()
            .unwrap()
            .contains("Trust Anchor"),
        "anchor first: {:#}",
        j["path"]
    );
    assert!(
        path[1]["subject"].as_str().unwrap().contains("Good CA"),
        "{:#}",
        j["path"]
    );
    assert!(
        path[2]["subject"]
            .as_str()
            .unwrap()
            .contains("Valid EE Certificate Test1"),
        "{:#}",
        j["path"]
    );
    assert_eq!(
        j["user_constrained_policy_set"],
        serde_json::json!([NIST_TEST_POLICY_1]),
        "{j:#}"
    );
}

#[test]
fn valid_path_text() {
    let Some(p) = Pkits::open() else { return };
    let r = sigbridge(&p.valid_4_1_1(&["--revocation", "require"]));
    assert_eq!(r.code, 0, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(
        r.stdout.starts_with("VALID"),
        "text output should start with VALID:\n{}",
        r.stdout
    );
    assert!(!r.stdout.contains("NOT VALID"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains(&file_sha256(&p.cert("ValidCertificatePathTest1EE.crt"))),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(NIST_TEST_POLICY_1),
        "the accepted policy is printed:\n{}",
        r.stdout
    );
}

/// Asserts that `errors` holds an entry whose `rule` is the stable identifier `id`
/// (`Rule::id()`, e.g. `rfc5280.revocation.revoked`), and returns it.
fn error_with_rule<'a>(j: &'a Value, id: &str) -> &'a Value {
    let errors = j["errors"].as_array().unwrap();
    errors.iter().find(|e| e["id"] == id).unwrap_or_else(|| {
        panic!(
            "no error with rule {id:?}; the JSON `rule` must be the stable rule id \
             (Rule::id), found {:?}:\n{j:#}",
            error_rules(j)
        )
    })
}

#[test]
fn revoked_end_entity_json() {
    let Some(p) = Pkits::open() else { return };
    let r = sigbridge(&p.revoked_4_4_3(&["--revocation", "require", "--format", "json"]));
    assert_eq!(
        r.code, 1,
        "4.4.3 revoked EE should be TOTAL_FAILED (exit 1)\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    let j = r.json();
    assert_eq!(j["valid"], Value::Bool(false), "{j:#}");
    assert_eq!(j["indication"], "TOTAL_FAILED", "{j:#}");
    assert_eq!(j["sub_indication"], "REVOKED", "{j:#}");
    let revoked = error_with_rule(&j, "rfc5280.revocation.revoked");
    let subject = revoked["subject"]["label"].as_str().unwrap();
    assert!(
        subject.contains("Invalid Revoked EE Certificate Test3"),
        "{revoked}"
    );
    assert!(
        !revoked["message"].as_str().unwrap().is_empty(),
        "{revoked}"
    );
}

#[test]
fn revoked_end_entity_text() {
    let Some(p) = Pkits::open() else { return };
    let r = sigbridge(&p.revoked_4_4_3(&["--revocation", "require"]));
    assert_eq!(r.code, 1, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(r.stdout.starts_with("NOT VALID"), "{}", r.stdout);
    assert!(
        r.stdout.contains("rfc5280.revocation.revoked"),
        "text output should name the failed rule:\n{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Invalid Revoked EE Certificate Test3"),
        "{}",
        r.stdout
    );
}

#[test]
fn missing_crl_in_require_mode_is_indeterminate() {
    let Some(p) = Pkits::open() else { return };
    // 4.4.1 Missing CRL Test1: no CRL covers the certificates NoCRLCACert issued.
    let args = |extra: &[&str]| {
        p.args(
            "TrustAnchorRootCertificate.crt",
            &["NoCRLCACert.crt"],
            "InvalidMissingCRLTest1EE.crt",
            &["TrustAnchorRootCRL.crl"],
            extra,
        )
    };
    // With revocation off the same path is valid: only the missing CRL makes it fail.
    let r = sigbridge(&args(&["--revocation", "off", "--format", "json"]));
    assert_eq!(
        r.code, 0,
        "4.4.1 with --revocation off\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    let r = sigbridge(&args(&["--revocation", "require", "--format", "json"]));
    assert_eq!(
        r.code, 3,
        "4.4.1 in require mode should be INDETERMINATE (exit 3)\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    let j = r.json();
    assert_eq!(j["valid"], Value::Bool(false), "{j:#}");
    assert_eq!(j["indication"], "INDETERMINATE", "{j:#}");
    assert_eq!(j["sub_indication"], "TRY_LATER", "{j:#}");
    error_with_rule(&j, "rfc5280.revocation.unknown");
}

#[test]
fn policy_not_acceptable_with_explicit_policy() {
    let Some(p) = Pkits::open() else { return };
    // 4.8.1 subpart 2: initial policy set {NIST-test-policy-1} with initial-explicit-policy
    // is valid.
    let extra = |policy| {
        [
            "--revocation",
            "require",
            "--policy",
            policy,
            "--explicit-policy",
            "--format",
            "json",
        ]
    };
    let r = sigbridge(&p.valid_4_1_1(&extra(NIST_TEST_POLICY_1)));
    assert_eq!(
        r.code, 0,
        "4.8.1#2\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    assert_eq!(
        r.json()["user_constrained_policy_set"],
        serde_json::json!([NIST_TEST_POLICY_1])
    );
    // Subpart 3: {NIST-test-policy-2} with initial-explicit-policy is invalid (the path only
    // asserts NIST-test-policy-1): a chain-constraints failure, INDETERMINATE.
    let r = sigbridge(&p.valid_4_1_1(&extra(NIST_TEST_POLICY_2)));
    assert_eq!(
        r.code, 3,
        "4.8.1#3 must be invalid (exit 3)\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    let j = r.json();
    assert_eq!(j["valid"], Value::Bool(false), "{j:#}");
    assert_eq!(j["indication"], "INDETERMINATE", "{j:#}");
    assert_eq!(j["sub_indication"], "CHAIN_CONSTRAINTS_FAILURE", "{j:#}");
    assert_eq!(
        j["user_constrained_policy_set"],
        serde_json::json!([]),
        "{j:#}"
    );
    error_with_rule(&j, "rfc5280.certificate-policies");
}

#[test]
fn bad_time_is_a_usage_error() {
    let Some(p) = Pkits::open() else { return };
    let mut args = p.valid_4_1_1(&[]);
    let at = args.iter().position(|a| a == AT).unwrap();
    args[at] = "2011-04-15 noon".into();
    let r = sigbridge(&args);
    assert_eq!(
        r.code, 2,
        "bad --at should exit 2\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    assert!(
        r.stderr.contains("--at"),
        "stderr should name the option: {}",
        r.stderr
    );
    assert!(
        r.stdout.is_empty(),
        "no verdict on a usage error: {}",
        r.stdout
    );
}

#[test]
fn unreadable_and_malformed_input() {
    let Some(p) = Pkits::open() else { return };
    // A file that does not exist, as the target and as a CRL.
    let missing = p.cert("NoSuchCertificate-sigbridge-test.crt");
    let mut args = p.valid_4_1_1(&[]);
    let t = args.iter().position(|a| a == "--target").unwrap();
    args[t + 1] = s(&missing);
    let r = sigbridge(&args);
    assert_eq!(
        r.code, 4,
        "missing target should exit 4\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    assert!(
        r.stderr.contains("NoSuchCertificate-sigbridge-test.crt"),
        "stderr should name the file: {}",
        r.stderr
    );

    let r = sigbridge(&p.valid_4_1_1(&["--crl", &s(&p.crl("NoSuchCRL-sigbridge-test.crl"))]));
    assert_eq!(
        r.code, 4,
        "missing CRL should exit 4\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    assert!(
        r.stderr.contains("NoSuchCRL-sigbridge-test.crl"),
        "stderr should name the file: {}",
        r.stderr
    );

    // Random bytes as the target, as an anchor and as a CRL.
    let junk = scratch("garbage.der", &garbage(1500));
    let junk_name = junk.file_name().unwrap().to_str().unwrap().to_string();
    for flag in ["--target", "--anchor"] {
        let mut args = p.valid_4_1_1(&[]);
        let i = args.iter().position(|a| a == flag).unwrap();
        args[i + 1] = s(&junk);
        let r = sigbridge(&args);
        assert_eq!(
            r.code, 4,
            "garbage {flag} should exit 4\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        assert!(
            r.stderr.contains(&junk_name),
            "stderr should name the file: {}",
            r.stderr
        );
    }
    let r = sigbridge(&p.valid_4_1_1(&["--crl", &s(&junk)]));
    assert_eq!(
        r.code, 4,
        "garbage CRL should exit 4\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );

    // A PEM file with broken base64.
    let bad_pem = scratch(
        "bad.pem",
        b"-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n",
    );
    let mut args = p.valid_4_1_1(&[]);
    let t = args.iter().position(|a| a == "--target").unwrap();
    args[t + 1] = s(&bad_pem);
    let r = sigbridge(&args);
    assert_eq!(
        r.code, 4,
        "broken PEM should exit 4\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    std::fs::remove_file(junk).unwrap();
    std::fs::remove_file(bad_pem).unwrap();
}
