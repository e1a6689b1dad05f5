//! Issue 12: what an officer (and a script) sees — the verdict lines, the words for every
//! wrong file, JSON for every outcome, human `inspect` and `trust list`, the per-user trust
//! stores, and the command-line conventions — with the words that matter and the exit code.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

const AT: &str = "2026-12-01T00:00:00Z";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    common::sigbridge()
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `verify` of a demo document with the demo lists and their CRLs.
fn verify(doc: &str, extra: &[&str]) -> Output {
    let mut a = vec![
        "verify".to_string(),
        format!("fixtures/docs/{doc}"),
        "--trust-stores".into(),
        "fixtures/trust-stores".into(),
        "--revocation".into(),
        "require".into(),
        "--at".into(),
        AT.into(),
        "--crl".into(),
    ];
    for e in std::fs::read_dir(root().join("fixtures/docs/pki")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "crl") {
            a.push(format!(
                "fixtures/docs/pki/{}",
                p.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    a.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    run(&refs)
}

/// No Rust debug form reaches a person.
fn assert_no_debug(what: &str, text: &str) {
    assert!(
        !text.contains('{') && !text.contains("Error(") && !text.contains("Some("),
        "{what}: debug output: {text}"
    );
}

#[test]
fn a_valid_document_says_who_trusts_it_and_why() {
    let o = verify("hk-mr-personal.p7m", &[]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "Hong Kong (relying party): VALID — signed by CHAN Tai Man: trusted by Hong Kong's list (root \"Demo Hongkong Post Root CA 2\")"
    );
    assert!(lines[1].starts_with("Guangdong: VALID — signed by CHAN Tai Man: recognised in Guangdong under mutual recognition"), "{out}");
    // Times, labelled, in UTC and UTC+8.
    assert!(out.contains("Validation time: 2026-12-01 00:00:00 UTC (2026-12-01 08:00:00 Hong Kong / Beijing time, UTC+8)"), "{out}");
    assert!(
        out.contains("claimed signing time: ")
            && out.contains("(the signer's own claim, not proven)"),
        "{out}"
    );
    assert!(
        out.contains("proven time: none (no timestamp proves when it was signed)"),
        "{out}"
    );
    // The validation time is never called the signature time.
    assert!(!out.contains("signature time is 2026-12-01"), "{out}");
    assert_no_debug("valid", &out);
}

#[test]
fn a_tampered_document_never_reads_as_trusted() {
    // tampered-content.p7s sits beside its (changed) content: used, and said so.
    let o = verify("tampered-content.p7s", &[]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let first_two: Vec<&str> = out.lines().take(2).collect();
    for l in &first_two {
        assert!(l.contains("NOT VALID"), "{out}");
        assert!(
            !l.contains("trusted by") && !l.contains("recognised"),
            "{l}"
        );
        assert!(l.contains("changed after it was signed"), "{l}");
    }
    assert!(
        !out.contains("Domestic") && !out.contains("Mutual"),
        "{out}"
    );
    assert!(
        out.contains("What you can do: Check that you gave the right content file"),
        "{out}"
    );
    assert!(
        out.contains("Content: fixtures/docs/tampered-content (the file beside the signature"),
        "{out}"
    );
    assert!(out.contains("FAILED message-digest"), "{out}");
    // An explicit --content wins over the file beside it.
    let o = verify(
        "tampered-content.p7s",
        &["--content", "fixtures/docs/contract.txt"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(!stdout(&o).contains("the file beside the signature"));
}

#[test]
fn several_signers_get_one_named_line_each() {
    // Signer 2 is revoked and nothing proves when it signed: INDETERMINATE /
    // REVOKED_NO_POE (EN 319 102-1), so the document is NOT CONFIRMED, exit 3.
    let o = verify("two-signers-one-revoked.p7m", &[]);
    assert_eq!(o.status.code(), Some(3));
    let out = stdout(&o);
    assert!(
        out.starts_with(
            "Hong Kong (relying party): NOT CONFIRMED (2 signers; the worst decides)\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("  signer 1 (CHAN Tai Man): VALID — trusted by Hong Kong's list"),
        "{out}"
    );
    assert!(
        out.contains(
            "  signer 2 (LEE Siu Ming): NOT CONFIRMED — A certificate of the chain was revoked, and nothing proves"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "  signer 1 (CHAN Tai Man): VALID — recognised in Guangdong under mutual recognition"
        ),
        "{out}"
    );
    // Recognition is shown for the valid signer only.
    let signer2 = out.split("Signer 2: LEE Siu Ming").nth(1).unwrap();
    assert!(
        !signer2.contains("  Hong Kong: ") && !signer2.contains("  Guangdong: "),
        "{signer2}"
    );
}

#[test]
fn a_root_given_with_anchor_is_said_to_be_trusted_only_because_of_it() {
    let o = run(&[
        "verify",
        "fixtures/docs/hk-mr-personal.p7m",
        "--anchor",
        "fixtures/docs/pki/hk-root.pem",
        "--revocation",
        "off",
        "--at",
        AT,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.lines().next().unwrap().contains("VALID — signed by CHAN Tai Man: trusted only because you passed --anchor (the root is not on Hong Kong's list)"), "{out}");
    assert!(!out.contains("trusted by Hong Kong's list"), "{out}");
}

#[test]
fn not_recognised_says_why_and_for_is_case_insensitive() {
    let o = verify("hk-non-mr-issuer.p7m", &["--for", "GD"]);
    assert_eq!(o.status.code(), Some(3));
    let out = stdout(&o);
    assert!(out.contains("Guangdong (relying party): NOT CONFIRMED — signed by WONG Ka Yan: not recognised: its issuing CA is not on the HK list"), "{out}");
    assert!(out.contains("Hong Kong: VALID"), "{out}");
    assert_eq!(
        verify("hk-non-mr-issuer.p7m", &["--for", "Hk"])
            .status
            .code(),
        Some(0)
    );
    // Expired: not confirmed, with what to do.
    let o = verify("expired-signer.p7m", &[]);
    assert_eq!(o.status.code(), Some(3));
    let out = stdout(&o);
    assert!(
        out.contains("NOT CONFIRMED (INDETERMINATE / OUT_OF_BOUNDS_NO_POE)"),
        "{out}"
    );
    assert!(out.contains("outside its validity period"), "{out}");
    assert!(out.contains("timestamp"), "{out}");
}

/// Writes the wrong files of the catalogue into `dir`.
/// A ZIP holding one text file (not an OFD package).
fn plain_zip() -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file("notes.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(b"not an OFD package").unwrap();
    z.finish().unwrap().into_inner()
}

fn wrong_files(dir: &Path) -> Vec<(&'static str, PathBuf, &'static [&'static str])> {
    let fx = root().join("fixtures");
    let w = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let key = std::fs::read(fx.join("path-demo/signer.key")).unwrap();
    common::openssl(
        dir,
        &[
            "crl2pkcs7",
            "-nocrl",
            "-certfile",
            fx.join("docs/pki/hk-personal.pem").to_str().unwrap(),
            "-certfile",
            fx.join("docs/pki/hk-ca-15.pem").to_str().unwrap(),
            "-out",
            "bundle.p7b",
        ],
    );
    common::openssl(
        dir,
        &[
            "pkey",
            "-in",
            fx.join("path-demo/signer.key").to_str().unwrap(),
            "-outform",
            "DER",
            "-out",
            "key.der",
        ],
    );
    common::openssl(
        dir,
        &[
            "pkey",
            "-in",
            fx.join("path-demo/signer.key").to_str().unwrap(),
            "-pubout",
            "-out",
            "public.pem",
        ],
    );
    vec![
        ("empty", w("empty.p7m", b""), &["the file is empty"][..]),
        (
            "text",
            w("letter.txt", b"Dear officer,\nplease find the contract.\n"),
            &["this is a text file, not a signed document", "--content"],
        ),
        (
            "html",
            w(
                "download.p7m",
                b"<!DOCTYPE html><html><body>Login</body></html>",
            ),
            &[
                "this is a web page (HTML)",
                "download the signed document itself",
            ],
        ),
        (
            "binary",
            w("noise.bin", &[0xff, 0xfe, 0x00, 0x81, 0x9f, 0x10, 0x00]),
            &["binary data of no kind sigbridge knows"],
        ),
        (
            "pdf",
            // A PDF is verified now: one that cannot be read says why (no repair mode).
            w("contract.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"),
            &["PDF", "no %%EOF"],
        ),
        (
            // A ZIP is read as an OFD package: one without OFD.xml says so.
            "ofd",
            w("archive.zip", &plain_zip()),
            &["ZIP package", "OFD"],
        ),
        (
            "certificate (PEM)",
            fx.join("docs/pki/hk-personal.pem"),
            &[
                "this is a certificate file (1 certificate), not a signed document",
                "sigbridge path --target",
            ],
        ),
        (
            "certificate (DER)",
            {
                common::openssl(
                    dir,
                    &[
                        "x509",
                        "-in",
                        fx.join("docs/pki/hk-root.pem").to_str().unwrap(),
                        "-outform",
                        "DER",
                        "-out",
                        "root.cer",
                    ],
                );
                dir.join("root.cer")
            },
            &["this is a certificate file", "sigbridge path --target"],
        ),
        (
            "CRL",
            fx.join("docs/pki/hk-ca-15.crl"),
            &["certificate revocation list", "--crl FILE"],
        ),
        (
            "private key (PEM)",
            w("signer.key", &key),
            &[
                "this is a private key",
                "contents were not read or shown",
                "keep it secret",
            ],
        ),
        (
            "private key (DER)",
            dir.join("key.der"),
            &["this is a private key"],
        ),
        ("public key", dir.join("public.pem"), &["bare public key"]),
        (
            "certs-only bundle",
            dir.join("bundle.p7b"),
            &[
                "certificate bundle",
                "2 certificates and 0 CRLs",
                "carries no signature",
            ],
        ),
        (
            "truncated",
            fx.join("docs/malformed-truncated.p7m"),
            &[
                "not a readable CMS / PKCS#7 signed document",
                "ContentInfo",
                "truncated",
            ],
        ),
    ]
}

#[test]
fn every_wrong_file_is_named_with_what_it_is_and_what_to_do() {
    let dir = common::temp_dir("wrong-files");
    let key_body: Vec<String> =
        std::fs::read_to_string(root().join("fixtures/path-demo/signer.key"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .map(str::to_owned)
            .collect();
    for (what, file, words) in wrong_files(&dir) {
        let f = file.to_str().unwrap();
        let o = run(&["verify", f]);
        assert_eq!(o.status.code(), Some(4), "{what}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.starts_with(&format!("sigbridge verify: {f}: ")),
            "{what}: {err}"
        );
        for w in words {
            assert!(err.contains(w), "{what}: expected {w:?} in {err}");
        }
        assert_no_debug(what, &err);
        for l in &key_body {
            assert!(!err.contains(l.as_str()), "{what}: echoes key material");
        }
        // The same outcome as one JSON object.
        let o = run(&["verify", f, "--format", "json"]);
        assert_eq!(o.status.code(), Some(4), "{what}");
        assert!(o.stderr.is_empty(), "{what}: {}", stderr(&o));
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(v["format"], "sigbridge-error/1");
        assert_eq!(v["error"]["file"], f, "{what}");
        let kind = v["error"]["kind"].as_str().unwrap();
        let expected = match what {
            "pdf" | "ofd" | "truncated" => "malformed",
            _ => "not_signed",
        };
        assert_eq!(kind, expected, "{what}");
        // inspect says what it is too, without debug output.
        let o = run(&["inspect", f]);
        let text = format!("{}{}", stdout(&o), stderr(&o));
        assert_no_debug(&format!("inspect {what}"), &text);
        for l in &key_body {
            assert!(
                !text.contains(l.as_str()),
                "inspect {what}: echoes key material"
            );
        }
    }
}

#[test]
fn json_is_one_object_for_usage_errors_and_exit_codes_are_in_every_help() {
    let o = run(&["verify", "x.p7m", "--at", "yesterday", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "usage");
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--at yesterday"));
    let o = run(&["verify", "x.p7m", "--no-such-flag", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "usage");
    let o = run(&["verify", "no-such.p7m", "--format", "json"]);
    assert_eq!(o.status.code(), Some(4));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "unreadable");
    assert_eq!(v["error"]["file"], "no-such.p7m");
    for sub in [
        &["verify"][..],
        &["path"],
        &["batch"],
        &["inspect"],
        &["trust", "list"],
        &["trust", "add"],
        &["limbo"],
        &["completions"],
        &["manpage"],
    ] {
        let mut a = sub.to_vec();
        a.push("--help");
        let o = run(&a);
        assert_eq!(o.status.code(), Some(0), "{sub:?}");
        let help = stdout(&o);
        assert!(help.contains("Exit codes"), "{sub:?}: {help}");
    }
    let help = stdout(&run(&["verify", "--help"]));
    assert!(
        help.contains("3  NOT CONFIRMED") && help.contains("4  the file cannot be read"),
        "{help}"
    );
}

#[test]
fn conventions_stdin_quiet_color_completions_manpage() {
    // `-` reads the document from standard input.
    let doc = std::fs::read(root().join("fixtures/docs/hk-mr-personal.p7m")).unwrap();
    let mut child = common::sigbridge()
        .args([
            "verify",
            "-",
            "--trust-stores",
            "fixtures/trust-stores",
            "--revocation",
            "off",
            "--at",
            AT,
        ])
        .current_dir(root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&doc).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("Document: VALID (TOTAL_PASSED) — standard input"),
        "{}",
        stdout(&o)
    );
    // -q: nothing on stdout, the exit code says it.
    let o = verify("hk-mr-personal.p7m", &["-q"]);
    assert_eq!((o.status.code(), o.stdout.len()), (Some(0), 0));
    let o = verify("tampered-content.p7s", &["--quiet", "--format", "json"]);
    assert_eq!((o.status.code(), o.stdout.len()), (Some(1), 0));
    // --color: only the verdict words are coloured.
    let o = verify("hk-mr-personal.p7m", &["--color", "always"]);
    let out = stdout(&o);
    assert!(
        out.starts_with("Hong Kong (relying party): \u{1b}[1;32mVALID\u{1b}[0m — "),
        "{out}"
    );
    assert!(
        out.lines().filter(|l| l.contains('\u{1b}')).count() == 3,
        "{out}"
    );
    let never = stdout(&verify("hk-mr-personal.p7m", &["--color", "never"]));
    assert!(!never.contains('\u{1b}'));
    let mut c = common::sigbridge();
    c.env("NO_COLOR", "1").current_dir(root()).args([
        "verify",
        "fixtures/docs/hk-mr-personal.p7m",
        "--color",
        "auto",
        "--at",
        AT,
    ]);
    assert!(!c.output().unwrap().stdout.contains(&0x1b));
    // Completions and the man page.
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let s = stdout(&o);
        assert!(
            s.contains("sigbridge") && s.contains("verify") && s.contains("trust"),
            "{shell}"
        );
    }
    let man = stdout(&run(&["manpage"]));
    assert!(
        man.starts_with(".ie") || man.contains(".TH sigbridge"),
        "{man}"
    );
    assert!(man.contains("verify"));
}

#[test]
fn batch_over_the_fixtures_finds_every_detached_content() {
    let mut a = vec![
        "batch",
        "fixtures/docs",
        "--trust-stores",
        "fixtures/trust-stores",
        "--revocation",
        "off",
        "--at",
        AT,
    ];
    a.extend(["--cert", "fixtures/docs/pki/gd-rsa-personal.pem"]);
    let o = run(&a);
    let out = stdout(&o);
    assert!(!out.contains("FORMAT_FAILURE"), "{out}");
    assert!(!out.contains("NO_SIGNING_CERTIFICATE_FOUND"), "{out}");
    let errors: Vec<&str> = out.lines().filter(|l| l.starts_with("ERROR")).collect();
    assert_eq!(errors.len(), 1, "{out}");
    assert!(errors[0].contains("malformed-truncated.p7m"), "{out}");
    for p7s in ["hk-mr-personal.p7s", "gd-sm2-mr.p7s"] {
        assert!(
            out.lines()
                .any(|l| l.starts_with("TOTAL_PASSED") && l.ends_with(p7s)),
            "{p7s}: {out}"
        );
    }
    assert!(
        out.lines()
            .any(|l| l.starts_with("TOTAL_FAILED/HASH_FAILURE")
                && l.ends_with("tampered-content.p7s")),
        "{out}"
    );
}

#[test]
fn human_inspect_in_a_fixed_order_with_names() {
    let o = run(&["inspect", "fixtures/docs/pki/hk-personal.pem"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let order = [
        "Subject:",
        "Issuer:",
        "Serial:",
        "Valid from:",
        "Valid until:",
        "Key:",
        "Signature algorithm:",
        "Key usage:",
        "Certificate policies:",
        "Subject key identifier:",
        "Authority key identifier:",
        "SHA-256 fingerprint:",
        "SHA-1 fingerprint:",
    ];
    let mut at = 0;
    for label in order {
        let p = out[at..]
            .find(label)
            .unwrap_or_else(|| panic!("{label} after {at}: {out}"));
        at += p;
    }
    assert!(out.contains("RSA 2048 bits"), "{out}");
    assert!(
        out.contains("sha256WithRSAEncryption (1.2.840.113549.1.1.11)"),
        "{out}"
    );
    assert!(out.contains("2.16.344.8.2.2008.810.2.2018.1.1 — Hong Kong / Guangdong mutual-recognition policy, year 2018, version 1, release 1"), "{out}");
    assert!(
        out.contains("2026-01-01 08:00:00 Hong Kong / Beijing time, UTC+8"),
        "{out}"
    );
    assert!(!out.contains("(none)") && !out.contains("null"), "{out}");
    assert_no_debug("inspect certificate", &out);
    // Expired, by name.
    let out = stdout(&run(&["inspect", "fixtures/docs/pki/hk-expired.pem"]));
    assert!(out.contains("(EXPIRED now)"), "{out}");
    // SM2 key and signature by name.
    let out = stdout(&run(&["inspect", "fixtures/docs/pki/gd-sm2-personal.pem"]));
    assert!(
        out.contains("SM2 (256 bits)") && out.contains("SM2-with-SM3"),
        "{out}"
    );
    // An S/MIME message is accepted; attributes by name.
    let o = run(&["inspect", "fixtures/docs/hk-mr-personal.eml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("in an S/MIME message"), "{out}");
    for a in [
        "contentType",
        "messageDigest",
        "signingTime",
        "smimeCapabilities",
    ] {
        assert!(out.contains(&format!("- {a}")), "{a}: {out}");
    }
    assert!(out.contains("Certificates carried: 2"), "{out}");
    // A CRL.
    let out = stdout(&run(&["inspect", "fixtures/docs/pki/hk-ca-15.crl"]));
    assert!(
        out.contains("Revoked certificates:") && out.contains("complete CRL"),
        "{out}"
    );
    // The certificate bundle says it signs nothing.
    let out = stdout(&run(&["inspect", "fixtures/docs/gd-rsa-no-mr-oid.p7m"]));
    assert!(out.contains("a signed document"), "{out}");
}

#[test]
fn human_trust_list_shows_sources_anchors_and_windows() {
    let o = run(&["trust", "list"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for w in [
        "Trust lists in use:",
        "bundled with sigbridge",
        "Hong Kong (HK) list: a PARTIAL transcription of the official list",
        "retrieved:  2026-11-25",
        "bundled  Hongkong Post Root CA 1",
        "MISSING  Hongkong Post Root CA 2",
        "download it from https://www.ecert.gov.hk/, then `sigbridge trust add FILE`",
    ] {
        assert!(out.contains(w), "{w}: {out}");
    }
    assert!(out.contains("\"Hongkong Post e-Cert (Personal)\""), "{out}");
    assert!(
        out.contains("root: Hongkong Post Root CA 2 (NOT INSTALLED"),
        "{out}"
    );
    assert!(out.contains("window: from 2015-07-10 16:00:00 UTC (2015-07-11 00:00:00 Hong Kong / Beijing time, UTC+8) until further notice"), "{out}");
    assert!(
        out.contains("Trust-stores folder: ") && out.contains("does not exist yet"),
        "{out}"
    );
    assert_no_debug("trust list", &out);
}

/// A copy of the demo lists in which the HK root is expected but not installed.
fn stores_without_hk_root(name: &str) -> PathBuf {
    let dir = common::temp_dir(name);
    for j in ["hk", "gd"] {
        let from = root().join("fixtures/trust-stores").join(j);
        std::fs::create_dir_all(dir.join(j).join("certs")).unwrap();
        std::fs::copy(
            from.join("trust-list.json"),
            dir.join(j).join("trust-list.json"),
        )
        .unwrap();
        for c in std::fs::read_dir(from.join("certs")).unwrap() {
            let c = c.unwrap();
            if j == "gd" {
                std::fs::copy(c.path(), dir.join(j).join("certs").join(c.file_name())).unwrap();
            }
        }
    }
    let path = dir.join("hk/trust-list.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    v["anchors"][0]["certificate"] = Value::Null;
    v["anchors"][0]["download"] = "https://demo.example.hk/roots".into();
    std::fs::write(&path, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    dir
}

#[test]
fn a_missing_mr_root_is_named_with_where_to_get_it_and_trust_add_completes_it() {
    let dir = stores_without_hk_root("missing-root");
    let d = dir.to_str().unwrap();
    let v = |extra: &[&str]| {
        let mut a = vec![
            "verify",
            "fixtures/docs/hk-mr-personal.p7m",
            "--trust-stores",
            d,
            "--revocation",
            "off",
            "--at",
            AT,
        ];
        a.extend(extra);
        run(&a)
    };
    let o = v(&[]);
    assert_eq!(o.status.code(), Some(3));
    let out = stdout(&o);
    assert!(out.contains("NO_CERTIFICATE_CHAIN_FOUND"), "{out}");
    assert!(out.contains("WARNING trust-list.anchor-missing: the chain leads to \"Demo Hongkong Post Root CA 2\""), "{out}");
    assert!(out.contains("Download it from https://demo.example.hk/roots and add it with `sigbridge trust add FILE`"), "{out}");
    assert!(
        out.contains("which GD recognises under mutual recognition"),
        "{out}"
    );
    let o = run(&[
        "trust",
        "add",
        "fixtures/docs/pki/hk-root.pem",
        "--trust-stores",
        d,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Added \"Demo Hongkong Post Root CA 2\" to the Hong Kong list"),
        "{}",
        stdout(&o)
    );
    let o = v(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("Guangdong: VALID — signed by CHAN Tai Man: recognised in Guangdong under mutual recognition"));
    // Again: already present, exit 0.
    let o = run(&[
        "trust",
        "add",
        "fixtures/docs/pki/hk-root.pem",
        "--trust-stores",
        d,
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Already present"), "{}", stdout(&o));
}

#[test]
fn the_per_user_folder_is_found_through_xdg_and_the_environment() {
    // A folder in $XDG_DATA_HOME/sigbridge replaces the bundled HK list with its own.
    let home = common::temp_dir("xdg-home");
    let data = home.join("data");
    let user = data.join("sigbridge");
    let stores = stores_without_hk_root("xdg-src");
    std::fs::create_dir_all(user.join("hk")).unwrap();
    std::fs::copy(
        stores.join("hk/trust-list.json"),
        user.join("hk/trust-list.json"),
    )
    .unwrap();
    let with_env = |args: &[&str], env: &[(&str, &Path)]| {
        let mut c = common::sigbridge();
        c.current_dir(root())
            .args(args)
            .env("HOME", &home)
            .env("XDG_DATA_HOME", &data);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let o = with_env(&["trust", "list", "--format", "json"], &[]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let origin = v["lists"][0]["origin"].as_str().unwrap();
    assert!(origin.starts_with(user.to_str().unwrap()), "{origin}");
    assert_eq!(v["lists"][1]["origin"], "bundled");
    // trust add writes there, and verify then uses it.
    let o = with_env(&["trust", "add", "fixtures/docs/pki/hk-root.pem"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(user
        .join("hk/certs/demo-hongkong-post-root-ca-2.pem")
        .is_file());
    let o = with_env(&["trust", "list", "--format", "json"], &[]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["lists"][0]["anchors"][0]["present"], true, "{v}");
    // SIGBRIDGE_TRUST_STORES overrides the per-user folder.
    let elsewhere = common::temp_dir("env-stores");
    let o = with_env(
        &["trust", "list"],
        &[("SIGBRIDGE_TRUST_STORES", &elsewhere)],
    );
    assert!(
        stdout(&o).contains(&format!(
            "Trust-stores folder: {} (from SIGBRIDGE_TRUST_STORES",
            elsewhere.display()
        )),
        "{}",
        stdout(&o)
    );
    // --trust-stores naming a folder that does not exist is an error naming it.
    let o = run(&["trust", "list", "--trust-stores", "no/such/folder"]);
    assert_eq!(o.status.code(), Some(4));
    assert!(
        stderr(&o).contains("no/such/folder: not a folder"),
        "{}",
        stderr(&o)
    );
}
