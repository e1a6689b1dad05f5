//! `sigbridge verify`, `inspect` and `batch` on PDFs, as people and platforms run them: the
//! file type comes from the bytes, every signature gets its verdict and its PDF facts, the
//! exit code is the worst signature's; `inspect` lists revisions, signatures and the DSS;
//! `batch` picks up `.pdf` (and `NAME.pdf.p7s` still signs `NAME.pdf`).

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sigbridge"))
}

fn pdf(name: &str) -> PathBuf {
    common::fixtures().join("pdf").join(name)
}

/// The demo trust lists, the demo CRLs, revocation required, the fixtures' time.
fn options() -> Vec<String> {
    let pki = common::fixtures().join("docs/pki");
    let mut crls: Vec<String> = std::fs::read_dir(&pki)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "crl"))
        .map(|p| p.display().to_string())
        .collect();
    crls.sort();
    let mut v = vec![
        "--trust-stores".to_string(),
        common::fixtures()
            .join("trust-stores")
            .display()
            .to_string(),
        "--at".into(),
        "2026-12-01T00:00:00Z".into(),
        "--revocation".into(),
        "require".into(),
        "--crl".into(),
    ];
    v.extend(crls);
    v
}

fn verify(file: &Path, extra: &[&str]) -> Output {
    bin()
        .arg("verify")
        .arg(file)
        .args(options())
        .args(extra)
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn verify_reports_every_signature_with_its_pdf_facts() {
    let out = verify(&pdf("two-signatures.pdf"), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["container"], "pdf");
    assert_eq!(v["indication"], "TOTAL_PASSED");
    assert_eq!(v["pdf"]["revisions"].as_array().unwrap().len(), 3);
    let s = v["signers"].as_array().unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(s[0]["pdf"]["field_name"], "Signer1");
    assert_eq!(s[0]["pdf"]["coverage"], "entire_revision");
    assert_eq!(s[0]["pdf"]["modifications"]["level"], "form_filling");
    assert_eq!(s[0]["pdf"]["claimed_time_utc"], "2026-11-20T04:00:00Z");
    assert_eq!(s[0]["recognition"]["hk"]["status"], "domestic");
    assert_eq!(s[1]["pdf"]["field_name"], "Signer2");
    assert_eq!(s[1]["signature_algorithm"], "SM2-with-SM3");
    assert_eq!(s[1]["recognition"]["gd"]["status"], "domestic");

    let out = verify(&pdf("two-signatures.pdf"), &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "PDF: ",
        "2 signature(s)",
        "PDF signature \"Signer1\"",
        "covers: revision 1 entirely",
        "changes after signing: form fields filled in or signatures added (allowed)",
        "(/M, not proven)",
        "PDF signature \"Signer2\"",
        "covers: the entire file",
    ] {
        assert!(text.contains(want), "{want:?} not in\n{text}");
    }
}

#[test]
fn exit_codes_follow_the_worst_signature() {
    // A changed page: TOTAL_FAILED, the changed object named.
    let out = verify(&pdf("signed-then-page-changed.pdf"), &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("NOT ALLOWED"), "{text}");
    assert!(text.contains("FAILED pdf.modifications"), "{text}");
    assert!(text.contains("object 4 0 R"), "{text}");
    // Encrypted, changes after signing not comparable: INDETERMINATE.
    assert_eq!(verify(&pdf("encrypted.pdf"), &[]).status.code(), Some(3));
    // Unsupported SubFilter: INDETERMINATE, said so.
    let out = verify(&pdf("rsa-sha1-unsupported.pdf"), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out);
    assert_eq!(v["signers"].as_array().unwrap().len(), 1);
    assert!(v["signers"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == "pdf.sub-filter" && c["status"] == "failed"));
    // USF: invalid, never "no signature".
    let out = verify(&pdf("usf-null-contents.pdf"), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["signers"].as_array().unwrap().len(), 2);
}

#[test]
fn the_type_comes_from_the_bytes_and_content_does_not_apply() {
    let dir = common::temp_dir("cli-pdf-type");
    let disguised = dir.join("contract.p7m");
    std::fs::copy(pdf("signed-rsa.pdf"), &disguised).unwrap();
    let out = verify(&disguised, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["container"], "pdf");
    let content = common::fixtures().join("docs/contract.txt");
    let out = verify(
        &pdf("signed-rsa.pdf"),
        &["--content", content.to_str().unwrap()],
    );
    // A usage error (exit 2): a PDF carries what it signs, so --content cannot apply.
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not apply"));
    // Not a PDF that can be read: an input error naming the file.
    let broken = dir.join("broken.pdf");
    std::fs::write(&broken, b"%PDF-1.7\nnothing else").unwrap();
    let out = verify(&broken, &[]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.pdf"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn inspect_lists_revisions_signatures_and_dss() {
    let run = |f: &str| {
        let out = bin()
            .args(["inspect", "--format", "json"])
            .arg(pdf(f))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{f}");
        json(&out)
    };
    let v = run("two-signatures.pdf");
    assert_eq!(v["kind"], "pdf");
    assert_eq!(v["revisions"].as_array().unwrap().len(), 3);
    let sigs = v["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 2);
    assert_eq!(sigs[0]["sub_filter"], "adbe.pkcs7.detached");
    assert_eq!(sigs[1]["sub_filter"], "ETSI.CAdES.detached");
    assert_eq!(
        sigs[1]["signers"][0]["signature_algorithm"],
        "1.2.156.10197.1.301.1"
    );
    let v = run("signed-then-dss.pdf");
    let dss = v["dss"].as_array().unwrap();
    assert_eq!(dss.len(), 1);
    assert_eq!(
        dss[0]["certificates"][0]["subject"],
        "C=HK, O=Demo Hongkong Post, CN=Demo e-Cert CA 2 - 15"
    );
    let v = run("pades-lta.pdf");
    assert_eq!(v["signatures"][1]["kind"], "document_timestamp");
    assert!(!v["dss"][0]["crls"].as_array().unwrap().is_empty());
    let out = bin()
        .arg("inspect")
        .arg(pdf("usf-null-contents.pdf"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("contents_null"), "{text}");
}

#[test]
fn batch_picks_up_pdfs_and_detached_signatures_over_them() {
    let dir = common::temp_dir("cli-pdf-batch");
    std::fs::copy(pdf("signed-rsa.pdf"), dir.join("contract.pdf")).unwrap();
    std::fs::copy(pdf("signed-then-page-changed.pdf"), dir.join("changed.PDF")).unwrap();
    std::fs::write(dir.join("notes.txt"), b"not signed").unwrap();
    // A detached signature over contract.pdf, beside it.
    let pki = common::fixtures().join("docs/pki");
    common::openssl(
        &dir,
        &[
            "cms",
            "-sign",
            "-binary",
            "-outform",
            "DER",
            "-md",
            "sha256",
            "-in",
            "contract.pdf",
            "-signer",
            pki.join("hk-personal.pem").to_str().unwrap(),
            "-inkey",
            pki.join("hk-personal.key").to_str().unwrap(),
            "-certfile",
            pki.join("hk-ca-15.pem").to_str().unwrap(),
            "-out",
            "contract.pdf.p7s",
        ],
    );
    let out = bin()
        .arg("batch")
        .arg(&dir)
        .args(options())
        .args(["--format", "json", "--jobs", "2"])
        .output()
        .unwrap();
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let by_name = |n: &str| {
        lines
            .iter()
            .find(|l| l["file"].as_str().is_some_and(|f| f.ends_with(n)))
            .unwrap_or_else(|| panic!("{n} not in {lines:#?}"))
    };
    assert_eq!(lines.len(), 4, "3 documents and the summary: {lines:#?}");
    let c = by_name("contract.pdf");
    assert_eq!(c["report"]["container"], "pdf");
    assert_eq!(c["report"]["indication"], "TOTAL_PASSED");
    assert!(c["content"].is_null());
    let d = by_name("contract.pdf.p7s");
    assert_eq!(d["report"]["container"], "cms");
    assert!(d["content"].as_str().unwrap().ends_with("contract.pdf"));
    assert_eq!(d["report"]["indication"], "TOTAL_PASSED");
    assert_eq!(
        by_name("changed.PDF")["report"]["indication"],
        "TOTAL_FAILED"
    );
    assert_eq!(lines[3]["summary"]["documents"], 3);
    assert_eq!(out.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_document_timestamp_is_judged_by_its_validity_not_by_recognition() {
    // pades-lta.pdf: one HK signature (recognised in GD under mutual recognition) and a
    // document timestamp by a demo TSA whose certificate carries no mutual-recognition
    // policy. The TSA is not a signer, so Guangdong's verdict rests on the signature alone.
    // After the fixtures were made (their timestamps are of the day they were generated).
    let mut args = options();
    let at = args.iter().position(|a| a == "--at").unwrap() + 1;
    args[at] = "2027-01-01T00:00:00Z".into();
    let out = bin()
        .arg("verify")
        .arg(pdf("pades-lta.pdf"))
        .args(&args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("Guangdong: VALID (2 signers"), "{text}");
    assert!(
        text.contains("VALID — a valid document timestamp (recognition applies to signers"),
        "{text}"
    );
    // Its signature timestamp is verified now: the verdict rests on it.
    assert!(text.contains("— valid as of 20"), "{text}");
    assert!(
        text.contains("proven by C=HK, O=Demo Hongkong Post, CN=Demo Time-Stamping Authority"),
        "{text}"
    );
}
