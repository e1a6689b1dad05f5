//! The CLI on OFD packages (issue 14): `verify FILE.ofd` (told by content, not name),
//! `inspect FILE.ofd`, `batch` picking up `.ofd`, and `--purpose-list` for an e-invoice.
//! Expected verdicts are those of fixtures/ofd/expected.json's `verify` entries.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const AT: &str = "2026-12-01T00:00:00Z";

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn sigbridge(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sigbridge"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

/// The verifier options of the fixtures: demo GD lists, the GD SM2 CA, its CRLs.
const GD: &[&str] = &[
    "--trust-stores",
    "fixtures/trust-stores",
    "--cert",
    "fixtures/docs/pki/gd-sm2-ca.pem",
    "--crl",
    "fixtures/docs/pki/gd-sm2-root.crl",
    "fixtures/docs/pki/gd-sm2-ca.crl",
    "fixtures/ofd/tax/tax-root.crl",
    "--revocation",
    "require",
    "--at",
    AT,
];

fn verify(file: &str, extra: &[&str]) -> Output {
    let mut a = vec!["verify", file];
    a.extend(GD);
    a.extend(extra);
    sigbridge(&a)
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

fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sigbridge-ofd-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy(from: &str, dir: &Path, to: &str) -> PathBuf {
    let dest = dir.join(to);
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::copy(fixtures().join(from), &dest).unwrap();
    dest
}

#[test]
fn verify_a_sealed_package_in_text_and_json() {
    let out = verify("fixtures/ofd/v4-seal.ofd", &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("Document: VALID (TOTAL_PASSED)"), "{text}");
    assert!(
        text.contains(
            "Guangdong (relying party): VALID — signed by ZHANG San: trusted by Guangdong's list"
        ),
        "{text}"
    );
    assert!(
        text.contains("seal \"演示广东电子印章 Demo GD Seal\" (esID 44010000000001"),
        "{text}"
    );
    assert!(text.contains("seal maker C=CN, O=Demo GDCA Seal Service, CN=Demo Seal Maker"));

    let out = verify(
        "fixtures/ofd/changed-after-sealing.ofd",
        &["--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let r = json(&out);
    assert_eq!(r["container"], "ofd");
    assert_eq!(r["sub_indication"], "HASH_FAILURE");
    assert_eq!(
        r["signers"][0]["ofd"]["failed_references"],
        serde_json::json!(["/Doc_0/Pages/Page_1/Content.xml"])
    );
    let failed: Vec<&str> = r["signers"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "failed")
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(failed, ["ofd.reference-digest"]);

    // Added after sealing: valid, and the added file is listed in the text.
    let out = verify("fixtures/ofd/added-after-sealing.ofd", &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(text.contains("Files no signature covers"), "{text}");
    assert!(
        text.contains("  Doc_0/Attachs/added-after-sealing.xml"),
        "{text}"
    );

    // Seal constraints: exit 3.
    let out = verify("fixtures/ofd/expired-seal.ofd", &["--format", "json"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(json(&out)["sub_indication"], "SIG_CONSTRAINTS_FAILURE");
}

#[test]
fn a_package_is_told_by_its_content_not_its_name() {
    let dir = temp_dir("sniff");
    let renamed = copy("ofd/v1-seal.ofd", &dir, "document.bin");
    let out = verify(renamed.to_str().unwrap(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let r = json(&out);
    assert_eq!(r["container"], "ofd");
    assert_eq!(r["signers"][0]["ofd"]["format"], "V1");
    // --content does not apply to a package: refused, not ignored.
    let out = verify(
        renamed.to_str().unwrap(),
        &["--content", "fixtures/docs/contract.txt"],
    );
    // A usage error (exit 2), as for a PDF.
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("content given separately does not apply")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_e_invoice_with_the_tax_purpose_list() {
    let out = verify("fixtures/ofd/e-invoice.ofd", &["--format", "json"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(json(&out)["sub_indication"], "NO_CERTIFICATE_CHAIN_FOUND");
    let list = ["--purpose-list", "fixtures/ofd/tax/trust-list.json"];
    let out = verify("fixtures/ofd/e-invoice.ofd", &list);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    // Valid for its purpose, recognised by neither side, and said so on each line.
    for side in ["Hong Kong", "Guangdong"] {
        assert!(
            text.contains(&format!("{side}: NOT CONFIRMED — signed by Demo Invoice Supervision Seal: not recognised: its root is trusted only by the CN-tax purpose list, outside the HK/GD scheme")),
            "{text}"
        );
    }
    assert!(text.contains("Document: VALID (TOTAL_PASSED)"), "{text}");
    let mut a = list.to_vec();
    a.extend(["--format", "json"]);
    let r = json(&verify("fixtures/ofd/e-invoice.ofd", &a));
    assert_eq!(r["signers"][0]["anchor_store"], "CN-tax");
    assert_eq!(
        r["signers"][0]["recognition"]["gd"]["status"],
        "not_recognised"
    );
    // For a Guangdong relying party it is not recognised: exit 3.
    let mut a = list.to_vec();
    a.extend(["--for", "gd"]);
    assert_eq!(
        verify("fixtures/ofd/e-invoice.ofd", &a).status.code(),
        Some(3)
    );
    // A list that is not a purpose list is an input error naming the file.
    let out = verify(
        "fixtures/ofd/e-invoice.ofd",
        &["--purpose-list", "fixtures/trust-stores/gd/trust-list.json"],
    );
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("gd/trust-list.json") && err.contains("jurisdiction"),
        "{err}"
    );
}

#[test]
fn inspect_shows_documents_signatures_and_the_seal() {
    let out = sigbridge(&[
        "inspect",
        "fixtures/ofd/two-signatures.ofd",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let r = json(&out);
    assert_eq!(r["format"], "sigbridge-inspect/1");
    assert_eq!(r["kind"], "ofd");
    assert_eq!(r["documents"][0]["doc_root"], "Doc_0/Document.xml");
    assert_eq!(r["signatures"].as_array().unwrap().len(), 2);
    let seal = &r["signatures"][1]["seal"];
    assert_eq!(seal["name"], "演示广东电子印章 Demo GD Seal");
    assert_eq!(seal["es_id"], "44010000000001");
    assert_eq!(seal["valid_start"]["time"], "2026-01-01T00:00:00Z");
    assert_eq!(seal["picture"]["format"], "png");
    assert!(seal["picture"]["size"].as_u64().unwrap() > 8);
    assert!(seal["maker"].as_str().unwrap().contains("Demo Seal Maker"));
    let text = sigbridge(&["inspect", "fixtures/ofd/signed-data.ofd"]);
    let t = String::from_utf8_lossy(&text.stdout);
    assert!(
        t.contains("an OFD package") && t.contains("Format:                    SignedData"),
        "{t}"
    );
    // A ZIP that is not an OFD package is refused as such.
    let dir = temp_dir("inspect");
    let cut = dir.join("broken.ofd");
    let bytes = std::fs::read(fixtures().join("ofd/v4-seal.ofd")).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() - 30]).unwrap();
    let out = sigbridge(&["inspect", cut.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an OFD package"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn batch_picks_up_ofd_packages() {
    let dir = temp_dir("batch");
    copy("ofd/v4-seal.ofd", &dir, "a/v4-seal.ofd");
    copy("ofd/changed-after-sealing.ofd", &dir, "a/changed.OFD");
    copy("ofd/expired-seal.ofd", &dir, "b/expired-seal.ofd");
    copy("docs/gd-sm2-mr-ber.p7m", &dir, "b/gd.p7m");
    copy("ofd/v4-seal.ofd", &dir, "b/ignored.ofd.zip");
    let mut a = vec!["batch", dir.to_str().unwrap()];
    a.extend(GD);
    a.extend(["--jobs", "2"]);
    let out = sigbridge(&a);
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().take(4).collect();
    let name = |l: &str| l.rsplit('/').next().unwrap_or_default().to_owned();
    assert_eq!(
        lines.iter().map(|l| name(l)).collect::<Vec<_>>(),
        ["changed.OFD", "v4-seal.ofd", "expired-seal.ofd", "gd.p7m"],
        "{text}"
    );
    assert!(
        lines[0].starts_with("TOTAL_FAILED/HASH_FAILURE hk=mutual gd=domestic "),
        "{text}"
    );
    assert!(
        lines[1].starts_with("TOTAL_PASSED hk=mutual gd=domestic "),
        "{text}"
    );
    assert!(
        lines[2].starts_with("INDETERMINATE/SIG_CONSTRAINTS_FAILURE "),
        "{text}"
    );
    assert!(!text.contains("ignored.ofd.zip"), "{text}");
    assert_eq!(out.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).unwrap();
}
