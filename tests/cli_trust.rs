//! `sigbridge trust list` and `sigbridge trust add` as a person runs them.

mod common;

use std::path::Path;
use std::process::Command;

fn bin() -> Command {
    common::sigbridge()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn list_shows_both_partial_lists_and_the_hk_mr_entry() {
    let out = bin()
        .args(["trust", "list", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "sigbridge-trust-lists/1");
    let lists = v["lists"].as_array().unwrap();
    assert_eq!(lists.len(), 2);
    assert_eq!(lists[0]["jurisdiction"], "HK");
    assert_eq!(lists[0]["completeness"], "partial");
    assert_eq!(
        lists[0]["mutual_recognition"][0]["certificate_type"],
        "Hongkong Post e-Cert (Personal)"
    );
    assert_eq!(
        lists[0]["mutual_recognition"][0]["policy_oid_prefix"],
        "2.16.344.8.2.2008.810.2"
    );
    let text = String::from_utf8(bin().args(["trust", "list"]).output().unwrap().stdout).unwrap();
    assert!(text.contains("MISSING  Hongkong Post Root CA 2"), "{text}");
    assert!(
        text.contains("download it from https://www.ecert.gov.hk/"),
        "{text}"
    );
    // Fingerprints are lower-case hex in JSON, as in every other shape.
    let sha = lists[0]["anchors"][0]["sha256"].as_str().unwrap();
    assert!(
        sha.len() == 64
            && sha
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
}

#[test]
fn add_completes_an_expected_anchor_by_fingerprint() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("sigbridge-trust-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("trust-stores"),
        &dir,
    );
    let root2 = corpora.join("real-roots/hongkong-post/Hongkong_Post_Root_CA_2.pem");
    let add = |file: &Path| {
        bin()
            .args(["trust", "add"])
            .arg(file)
            .arg("--trust-stores")
            .arg(&dir)
            .output()
            .unwrap()
    };
    let out = add(&root2);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Hongkong Post Root CA 2"));
    // The updated folder loads, and the anchor is now bundled there.
    let out = bin()
        .args(["trust", "list", "--format", "json", "--trust-stores"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hk = v["lists"][0]["anchors"].as_array().unwrap();
    assert!(hk
        .iter()
        .any(|a| a["name"] == "Hongkong Post Root CA 2" && a["present"] == true));
    // Twice: already present (exit 0, nothing changed); a certificate no entry expects:
    // refused, with the reason.
    let again = add(&root2);
    assert_eq!(again.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&again.stdout).contains("Already present"));
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/path-demo/root.pem");
    let out = add(&demo);
    assert_eq!(out.status.code(), Some(4));
    assert!(!out.stderr.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_broken_trust_store_is_exit_4_naming_the_file() {
    let dir = std::env::temp_dir().join(format!("sigbridge-badtrust-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("trust-stores"),
        &dir,
    );
    std::fs::write(
        dir.join("gd/trust-list.json"),
        b"{\"format\": \"something-else\"}",
    )
    .unwrap();
    let out = bin()
        .args(["trust", "list", "--trust-stores"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("trust-list.json"));
    let _ = std::fs::remove_dir_all(&dir);
}
