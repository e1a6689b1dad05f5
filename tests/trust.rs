//! Trust lists (`trust-stores/`, format `sigbridge-trust-list/1`) and recognition
//! (domestic / mutual / not recognised) over the demo PKI in fixtures/path-demo.

mod common;

use serde_json::Value;
use sigbridge::asn1::{parse_time, Oid};
use sigbridge::recognition::{ids, recognise, Recognition, RecognitionStatus};
use sigbridge::trust::{
    format_sha256, parse_sha256, AnchorEntry, Completeness, Jurisdiction, MrEntry, MrIssuer,
    MrRoot, MrWindow, TrustError, TrustList, TrustStores,
};
use sigbridge::x509::Certificate;
use sigbridge::Limits;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn root_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load_cert(path: &Path) -> Arc<Certificate> {
    Arc::new(
        sigbridge::x509::certificates_from_file(path, &Limits::default())
            .unwrap()
            .remove(0),
    )
}

fn demo(name: &str) -> Arc<Certificate> {
    load_cert(&root_dir().join("fixtures/path-demo").join(name))
}

/// A fresh, empty temporary directory (no tempfile dependency).
fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "sigbridge-trust-{}-{}-{tag}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary copy of the committed trust-stores/.
fn stores_copy(tag: &str) -> PathBuf {
    let dir = temp_dir(tag);
    copy_tree(&root_dir().join("trust-stores"), &dir);
    dir
}

// ---------------------------------------------------------------- trust lists

#[test]
fn bundled_lists_load_and_are_partial() {
    let s = TrustStores::bundled().unwrap();
    assert_eq!(s.hk.jurisdiction, Jurisdiction::Hk);
    assert_eq!(s.gd.jurisdiction, Jurisdiction::Gd);
    assert_eq!(s.hk.completeness, Completeness::Partial);
    assert_eq!(s.gd.completeness, Completeness::Partial);
    assert_eq!(s.hk.origin, "bundled");

    // The real Hongkong Post e-Cert (Personal) MR entry.
    assert_eq!(s.hk.mutual_recognition.len(), 1);
    let mr = &s.hk.mutual_recognition[0];
    assert_eq!(mr.ca, "Postmaster General (Hongkong Post)");
    assert_eq!(mr.certificate_type, "Hongkong Post e-Cert (Personal)");
    assert_eq!(mr.type_attribute, "O");
    assert_eq!(mr.roots.len(), 1);
    assert_eq!(mr.roots[0].name, "Hongkong Post Root CA 2");
    assert_eq!(
        hex::encode(mr.roots[0].sha256),
        "3945e08a8d4a0554b7605a7b355b10188e3ef842c76a805c54e3657c4d041aaa"
    );
    assert_eq!(mr.issuers.len(), 1);
    assert_eq!(
        mr.issuers[0].common_name.as_deref(),
        Some("Hongkong Post e-Cert CA 2 - 15")
    );
    assert_eq!(mr.issuers[0].sha256, None);
    assert_eq!(mr.policy_oid_prefix.to_string(), "2.16.344.8.2.2008.810.2");
    assert!(mr.policy_versions.is_empty());
    assert_eq!(mr.window.from, parse_time("2015-07-10T16:00:00Z").unwrap());
    assert_eq!(mr.window.until, None);
    assert!(mr.source.starts_with("https://"));
    assert!(s.gd.mutual_recognition.is_empty());

    // Root CA 2 is expected but not bundled; Root CA 1 and 3 and GDCA R5 are bundled.
    let root2 = s.hk.anchor_by_sha256(&mr.roots[0].sha256).unwrap();
    assert!(root2.certificate.is_none());
    let bundled: Vec<String> = s
        .anchors()
        .map(|(j, c)| format!("{j} {}", c.subject.common_name().unwrap_or_default()))
        .collect();
    assert_eq!(
        bundled,
        [
            "HK Hongkong Post Root CA 1",
            "HK Hongkong Post Root CA 3",
            "GD GDCA TrustAUTH R5 ROOT"
        ]
    );
    // The GD list names the Guangdong CAs' roots.
    for name in [
        "GDCA TrustAUTH R2 ROOT",
        "NETCA Root ClassA",
        "GDCA ROOT CA1",
    ] {
        assert!(s.gd.anchors.iter().any(|a| a.name == name), "{name}");
    }
}

#[test]
fn every_bundled_certificate_matches_its_fingerprint_and_the_corpus() {
    let s = TrustStores::bundled().unwrap();
    let mut checked = 0;
    for (jur, list) in [(Jurisdiction::Hk, &s.hk), (Jurisdiction::Gd, &s.gd)] {
        for a in &list.anchors {
            let Some(rel) = &a.certificate_file else {
                assert!(a.certificate.is_none());
                continue;
            };
            let path = root_dir()
                .join("trust-stores")
                .join(jur.to_string().to_lowercase())
                .join(rel);
            let c = load_cert(&path);
            assert_eq!(c.sha256, a.sha256, "{}", a.name);
            assert_eq!(a.certificate.as_ref().unwrap().sha256, a.sha256);
            checked += 1;
        }
    }
    assert_eq!(checked, 3);

    // Byte-identical to the copies in the shared corpus.
    let Some(corpora) = common::corpora() else {
        return;
    };
    for (ours, theirs) in [
        (
            "hk/certs/hongkong-post-root-ca-1.pem",
            "real-roots/hongkong-post/Hongkong_Post_Root_CA_1.pem",
        ),
        (
            "hk/certs/hongkong-post-root-ca-3.pem",
            "real-roots/hongkong-post/Hongkong_Post_Root_CA_3.pem",
        ),
        (
            "gd/certs/gdca-trustauth-r5-root.pem",
            "real-roots/guangdong/GDCA_TrustAUTH_R5_ROOT.pem",
        ),
    ] {
        assert_eq!(
            std::fs::read(root_dir().join("trust-stores").join(ours)).unwrap(),
            std::fs::read(corpora.join(theirs)).unwrap(),
            "{ours}"
        );
    }
    // Every expected (not bundled) anchor's fingerprint is that of the corpus copy.
    for (name, file) in [
        (
            "Hongkong Post Root CA 2",
            "hongkong-post/Hongkong_Post_Root_CA_2.pem",
        ),
        (
            "GDCA TrustAUTH R2 ROOT",
            "guangdong/GDCA_TrustAUTH_R2_ROOT.pem",
        ),
        (
            "GDCA TrustAUTH E5 ROOT",
            "guangdong/GDCA_TrustAUTH_E5_ROOT.pem",
        ),
        ("GDCA ROOT CA1", "guangdong/GDCA_ROOT_CA1.pem"),
        ("NETCA Root ClassA", "guangdong/NETCA_Root_ClassA.pem"),
        (
            "SZCA (ShenZhen Certificate Authority, 2013-2033)",
            "guangdong/SZCA_Shenzhen_Root_2033.pem",
        ),
        (
            "SZCA (Shenzhen Certificate Authority, 2003-2013, expired)",
            "guangdong/SZCA_Shenzhen_Root_legacy_2013.pem",
        ),
        (
            "GDCA Root CA (Guangzhou, 2004-2024, expired)",
            "guangdong/GDCA_Root_CA_legacy_Guangzhou.pem",
        ),
        (
            "Hongkong Post Root CA (2000-2010, expired)",
            "hongkong-post/historical-issuing/Hongkong_Post_Root_CA_legacy_2000.pem",
        ),
        (
            "数安时代 R5 根 CA (GDCA)",
            "guangdong/GDCA_ShuAnShiDai_R5_Root_CA.pem",
        ),
    ] {
        let c = load_cert(&corpora.join("real-roots").join(file));
        let a =
            s.hk.anchors
                .iter()
                .chain(&s.gd.anchors)
                .find(|a| a.name == name)
                .unwrap_or_else(|| panic!("{name} listed"));
        assert_eq!(a.sha256, c.sha256, "{name}");
    }
}

#[test]
fn load_dir_reads_a_copy() {
    let dir = stores_copy("load");
    let s = TrustStores::load_dir(&dir, &Limits::default()).unwrap();
    let b = TrustStores::bundled().unwrap();
    assert_eq!(s.hk.anchors.len(), b.hk.anchors.len());
    assert_eq!(s.gd.anchors.len(), b.gd.anchors.len());
    assert_eq!(s.anchors().count(), 3);
    assert!(s.hk.origin.ends_with("trust-list.json"));
    assert!(s.hk.origin.contains(&dir.display().to_string()));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn load_dir_without_lists_names_the_file() {
    let dir = temp_dir("empty");
    let e = TrustStores::load_dir(&dir, &Limits::default()).unwrap_err();
    assert!(e.to_string().contains("hk/trust-list.json"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Writes a mutated copy of one list and returns the load error's text.
fn load_error(folder: &str, mutate: impl FnOnce(&mut Value)) -> (String, String) {
    let dir = stores_copy("bad");
    let path = dir.join(folder).join("trust-list.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    mutate(&mut v);
    std::fs::write(&path, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    let e = TrustStores::load_dir(&dir, &Limits::default()).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    (path.display().to_string(), e.to_string())
}

fn assert_names(folder: &str, field_and_detail: &str, mutate: impl FnOnce(&mut Value)) {
    let (file, msg) = load_error(folder, mutate);
    assert!(
        msg.starts_with(&format!("{file}: {field_and_detail}")),
        "expected `{file}: {field_and_detail}…`, got `{msg}`"
    );
}

#[test]
fn validation_errors_name_file_and_field() {
    assert_names(
        "hk",
        "format: \"sigbridge-trust-list/2\" is not supported",
        |v| v["format"] = "sigbridge-trust-list/2".into(),
    );
    assert_names("hk", "format: missing", |v| {
        v.as_object_mut().unwrap().remove("format");
    });
    assert_names(
        "hk",
        "jurisdiction: is \"GD\" but this is the HK list",
        |v| v["jurisdiction"] = "GD".into(),
    );
    assert_names("gd", "jurisdiction: \"CN\" is not \"HK\" or \"GD\"", |v| {
        v["jurisdiction"] = "CN".into()
    });
    assert_names("hk", "operator: missing", |v| {
        v.as_object_mut().unwrap().remove("operator");
    });
    assert_names("hk", "source: must be a string", |v| v["source"] = 3.into());
    assert_names("hk", "completeness: \"complete\" is not", |v| {
        v["completeness"] = "complete".into()
    });
    assert_names("hk", "anchors: must be an array", |v| {
        v["anchors"] = "x".into()
    });
    assert_names("hk", "anchors[0].sha256: not 64 hex digits", |v| {
        v["anchors"][0]["sha256"] = "F9:E6:7D".into()
    });
    assert_names("gd", "anchors[1].sha256: not 64 hex digits", |v| {
        v["anchors"][1]["sha256"] = "zz".repeat(32).into()
    });
    assert_names("hk", "anchors[2].name: missing", |v| {
        v["anchors"][2].as_object_mut().unwrap().remove("name");
    });
    assert_names(
        "hk",
        "anchors[1].sha256: the same fingerprint as anchors[0]",
        |v| v["anchors"][1]["sha256"] = v["anchors"][0]["sha256"].clone(),
    );
    // A bundled certificate whose SHA-256 is not the stated one.
    assert_names(
        "hk",
        "anchors[2].certificate: certs/hongkong-post-root-ca-1.pem has SHA-256 F9:E6",
        |v| v["anchors"][2]["certificate"] = "certs/hongkong-post-root-ca-1.pem".into(),
    );
    assert_names("hk", "anchors[0].certificate: ", |v| {
        v["anchors"][0]["certificate"] = "certs/missing.pem".into()
    });
    assert_names(
        "gd",
        "anchors[0].certificate: must be a string or null",
        |v| v["anchors"][0]["certificate"] = true.into(),
    );
    // MR roots must be anchors of the same file.
    assert_names(
        "hk",
        "mutual_recognition[0].roots[0].sha256: BF:FF:8F:D0",
        |v| {
            v["mutual_recognition"][0]["roots"][0]["sha256"] =
                "bfff8fd04433487d6a8aa60c1a29767a9fc2bbb05e420f713a13b992891d3893".into()
        },
    );
    assert_names("hk", "mutual_recognition[0].roots: is empty", |v| {
        v["mutual_recognition"][0]["roots"] = Value::Array(vec![])
    });
    assert_names(
        "hk",
        "mutual_recognition[0].issuers[0]: gives neither",
        |v| v["mutual_recognition"][0]["issuers"][0]["common_name"] = Value::Null,
    );
    assert_names(
        "hk",
        "mutual_recognition[0].issuers[0].sha256: not 64 hex digits",
        |v| v["mutual_recognition"][0]["issuers"][0]["sha256"] = "12".into(),
    );
    assert_names("hk", "mutual_recognition[0].type_attribute: \"Org\"", |v| {
        v["mutual_recognition"][0]["type_attribute"] = "Org".into()
    });
    assert_names(
        "hk",
        "mutual_recognition[0].policy_oid_prefix: \"2.16.344.x\" is not",
        |v| v["mutual_recognition"][0]["policy_oid_prefix"] = "2.16.344.x".into(),
    );
    assert_names(
        "hk",
        "mutual_recognition[0].policy_versions[0]: 1.2.3 is not under",
        |v| v["mutual_recognition"][0]["policy_versions"] = serde_json::json!(["1.2.3"]),
    );
    assert_names(
        "hk",
        "mutual_recognition[0].window.from: \"2015-07-11\" is not an RFC 3339 time",
        |v| v["mutual_recognition"][0]["window"]["from"] = "2015-07-11".into(),
    );
    assert_names(
        "hk",
        "mutual_recognition[0].window.until: is not after window.from",
        |v| v["mutual_recognition"][0]["window"]["until"] = "2014-01-01T00:00:00Z".into(),
    );
    assert_names("hk", "mutual_recognition[0].window: missing", |v| {
        v["mutual_recognition"][0]
            .as_object_mut()
            .unwrap()
            .remove("window");
    });
    assert_names("hk", "mutual_recognition[0].source: missing", |v| {
        v["mutual_recognition"][0]
            .as_object_mut()
            .unwrap()
            .remove("source");
    });
    assert_names("hk", "mutual_recognition: must be an array", |v| {
        v["mutual_recognition"] = 1.into()
    });
}

#[test]
fn invalid_json_names_the_file() {
    let dir = stores_copy("json");
    let path = dir.join("gd/trust-list.json");
    std::fs::write(&path, "{ \"format\": ").unwrap();
    let e = TrustStores::load_dir(&dir, &Limits::default()).unwrap_err();
    assert!(matches!(e, TrustError::Json { .. }));
    assert!(
        e.to_string()
            .starts_with(&format!("{}: not valid JSON", path.display())),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn colon_free_fingerprints_and_extra_fields_load() {
    let dir = stores_copy("lenient");
    let path = dir.join("hk/trust-list.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let plain = v["anchors"][0]["sha256"]
        .as_str()
        .unwrap()
        .replace(':', "")
        .to_lowercase();
    v["anchors"][0]["sha256"] = plain.into();
    v["a_future_field"] = serde_json::json!({"x": [1, 2]});
    v["mutual_recognition"][0]["another"] = true.into();
    std::fs::write(&path, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    let s = TrustStores::load_dir(&dir, &Limits::default()).unwrap();
    assert_eq!(s.hk.anchors[0].name, "Hongkong Post Root CA 1");
    assert!(s.hk.anchors[0].certificate.is_some());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn trust_add_completes_root_ca_2_and_refuses_others() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let dir = stores_copy("add");
    let limits = Limits::default();
    let root2 = corpora.join("real-roots/hongkong-post/Hongkong_Post_Root_CA_2.pem");
    let out = TrustStores::add_anchor_file(&dir, &root2, &limits).unwrap();
    assert_eq!(out.jurisdiction, Jurisdiction::Hk);
    assert_eq!(out.entry_name, "Hongkong Post Root CA 2");
    assert_eq!(
        out.written_to,
        dir.join("hk/certs/hongkong-post-root-ca-2.pem")
    );
    assert_eq!(
        std::fs::read(&out.written_to).unwrap(),
        std::fs::read(&root2).unwrap()
    );

    let s = TrustStores::load_dir(&dir, &limits).unwrap();
    let a =
        s.hk.anchors
            .iter()
            .find(|a| a.name == out.entry_name)
            .unwrap();
    assert_eq!(
        a.certificate_file.as_deref(),
        Some("certs/hongkong-post-root-ca-2.pem")
    );
    assert_eq!(
        a.certificate
            .as_ref()
            .unwrap()
            .subject
            .common_name()
            .as_deref(),
        Some("Hongkong Post Root CA 2")
    );
    assert_eq!(s.anchors().count(), 4);
    // Fields this version does not model are kept.
    let v: Value =
        serde_json::from_slice(&std::fs::read(dir.join("hk/trust-list.json")).unwrap()).unwrap();
    assert!(v["notes"].is_string());
    assert!(v["anchors"][1]["notes"].is_string());

    // Adding it again: already there.
    let again = TrustStores::add_anchor_file(&dir, &root2, &limits).unwrap_err();
    assert!(
        matches!(again, TrustError::AlreadyPresent { .. }),
        "{again}"
    );

    // A GD root completes the GD list.
    let r2 = corpora.join("real-roots/guangdong/GDCA_TrustAUTH_R2_ROOT.pem");
    let out = TrustStores::add_anchor_file(&dir, &r2, &limits).unwrap();
    assert_eq!(out.jurisdiction, Jurisdiction::Gd);
    assert_eq!(out.entry_name, "GDCA TrustAUTH R2 ROOT");

    // A certificate no entry expects is refused, listing the expected fingerprints.
    let stranger = root_dir().join("fixtures/path-demo/root.pem");
    let e = TrustStores::add_anchor_file(&dir, &stranger, &limits).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, TrustError::NotExpected { .. }), "{msg}");
    assert!(msg.contains("matches no anchor"), "{msg}");
    assert!(msg.contains("NETCA Root ClassA"), "{msg}");
    assert!(msg.contains("F5:AE:1C:44"), "{msg}");
    // Completed ones are no longer "expected".
    assert!(!msg.contains("39:45:E0:8A"), "{msg}");
    // Nothing was written for it.
    assert!(!dir.join("hk/certs/demo-hk-root-ca.pem").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn trust_add_refuses_a_bundle_and_a_non_certificate() {
    let dir = stores_copy("add-bad");
    let limits = Limits::default();
    let bundle = dir.join("bundle.pem");
    let mut bytes = std::fs::read(root_dir().join("fixtures/path-demo/root.pem")).unwrap();
    bytes.extend(std::fs::read(root_dir().join("fixtures/path-demo/ca.pem")).unwrap());
    std::fs::write(&bundle, bytes).unwrap();
    let e = TrustStores::add_anchor_file(&dir, &bundle, &limits).unwrap_err();
    assert!(
        matches!(e, TrustError::NotOneCertificate { count: 2, .. }),
        "{e}"
    );
    let junk = dir.join("junk.pem");
    std::fs::write(&junk, b"not a certificate").unwrap();
    assert!(TrustStores::add_anchor_file(&dir, &junk, &limits).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------- recognition

const MR_ARC: &str = "2.16.344.8.2.2008.810.2";

fn oid(s: &str) -> Oid {
    Oid::from_dotted(s).unwrap()
}

fn anchor_entry(name: &str, c: &Arc<Certificate>) -> AnchorEntry {
    AnchorEntry {
        name: name.to_string(),
        sha256: c.sha256,
        certificate_file: None,
        certificate: Some(c.clone()),
        download: None,
        added_from: None,
    }
}

/// The demo RSA chain (root → e-Cert CA → "Demo e-Cert (Personal)" signer) as an HK MR
/// type, and the demo SM2 root as the only GD anchor.
fn demo_entry() -> MrEntry {
    let root = demo("root.pem");
    MrEntry {
        ca: "Demo Post".to_string(),
        certificate_type: "Demo e-Cert (Personal)".to_string(),
        type_attribute: "O".to_string(),
        type_attribute_oid: oid("2.5.4.10"),
        roots: vec![MrRoot {
            name: "Demo HK Root CA".to_string(),
            sha256: root.sha256,
        }],
        issuers: vec![MrIssuer {
            name: "Demo HK e-Cert CA".to_string(),
            common_name: Some("Demo HK e-Cert CA".to_string()),
            sha256: None,
        }],
        policy_oid_prefix: oid(MR_ARC),
        policy_versions: vec![],
        window: MrWindow {
            from: parse_time("2015-07-11T00:00:00+08:00").unwrap(),
            until: None,
        },
        source: "test".to_string(),
    }
}

fn demo_stores(entry: MrEntry) -> TrustStores {
    let list = |jurisdiction, anchors, mutual_recognition| TrustList {
        jurisdiction,
        operator: "test".to_string(),
        source: "test".to_string(),
        retrieved: "2026-11-25".to_string(),
        completeness: Completeness::Partial,
        anchors,
        mutual_recognition,
        origin: "test".to_string(),
    };
    TrustStores {
        hk: list(
            Jurisdiction::Hk,
            vec![anchor_entry("Demo HK Root CA", &demo("root.pem"))],
            vec![entry],
        ),
        gd: list(
            Jurisdiction::Gd,
            vec![anchor_entry("Demo GD Root CA", &demo("sm2-root.pem"))],
            vec![],
        ),
    }
}

fn rsa_path() -> Vec<Arc<Certificate>> {
    vec![demo("root.pem"), demo("ca.pem"), demo("signer.pem")]
}

fn signing_time() -> i64 {
    demo("signer.pem").not_before + 86_400
}

fn gd_view(stores: &TrustStores) -> Recognition {
    recognise(
        Jurisdiction::Gd,
        &rsa_path(),
        &[],
        stores,
        signing_time(),
        &[],
        None,
    )
}

fn mr_ids(r: &Recognition) -> Vec<&str> {
    r.failed_conditions
        .iter()
        .map(|c| c.id.as_ref())
        .filter(|id| id.starts_with("mr."))
        .collect()
}

/// Asserts not_recognised for GD with exactly the one MR condition `id` failing.
fn assert_only(r: &Recognition, id: &str) {
    assert_eq!(r.status, RecognitionStatus::NotRecognised, "{r:?}");
    assert_eq!(r.matched_entry, None);
    assert_eq!(mr_ids(r), [id], "{r:#?}");
    assert!(r
        .failed_conditions
        .iter()
        .any(|c| c.id == ids::DOMESTIC_ANCHOR));
    for c in &r.failed_conditions {
        assert!(!c.message.is_empty());
    }
}

#[test]
fn mr_certificate_is_domestic_in_hk_and_mutual_in_gd() {
    let stores = demo_stores(demo_entry());
    let gd = gd_view(&stores);
    assert_eq!(gd.status, RecognitionStatus::Mutual, "{gd:#?}");
    assert_eq!(
        gd.matched_entry.as_deref(),
        Some("HK: Demo e-Cert (Personal)")
    );
    assert!(gd.failed_conditions.is_empty());
    assert_eq!(gd.relying_party, Jurisdiction::Gd);

    let hk = recognise(
        Jurisdiction::Hk,
        &rsa_path(),
        &[],
        &stores,
        signing_time(),
        &[],
        None,
    );
    assert_eq!(hk.status, RecognitionStatus::Domestic);
    assert_eq!(
        hk.matched_entry.as_deref(),
        Some("HK: anchor Demo HK Root CA")
    );

    let json = serde_json::to_value(&gd).unwrap();
    assert_eq!(json["status"], "mutual");
    assert_eq!(json["relying_party"], "GD");
}

#[test]
fn each_failed_condition_is_reported_alone() {
    // Wrong root: the entry names another root.
    let mut e = demo_entry();
    e.roots[0].sha256 = demo("sm2-root.pem").sha256;
    assert_only(&gd_view(&demo_stores(e)), ids::MR_ROOT);

    // Wrong issuing CA (by common name).
    let mut e = demo_entry();
    e.issuers[0].common_name = Some("Demo HK e-Cert CA 2 - 17".to_string());
    assert_only(&gd_view(&demo_stores(e)), ids::MR_ISSUER);

    // Wrong issuing CA by fingerprint (the fingerprint wins over a matching name).
    let mut e = demo_entry();
    e.issuers[0].sha256 = Some(demo("root.pem").sha256);
    assert_only(&gd_view(&demo_stores(e)), ids::MR_ISSUER);

    // Wrong type name (e.g. a Bank-Cert from the MR issuing CA).
    let mut e = demo_entry();
    e.certificate_type = "Demo Bank-Cert".to_string();
    let r = gd_view(&demo_stores(e));
    assert_only(&r, ids::MR_TYPE_NAME);
    let msg = &r
        .failed_conditions
        .iter()
        .find(|c| c.id == ids::MR_TYPE_NAME)
        .unwrap()
        .message;
    assert!(msg.contains("Demo e-Cert (Personal)"), "{msg}");

    // Type name looked for in another attribute.
    let mut e = demo_entry();
    e.type_attribute = "OU".to_string();
    e.type_attribute_oid = oid("2.5.4.11");
    assert_only(&gd_view(&demo_stores(e)), ids::MR_TYPE_NAME);

    // No MR policy in the certificate.
    let stores = demo_stores(demo_entry());
    let r = recognise(
        Jurisdiction::Gd,
        &rsa_path(),
        &[],
        &stores,
        signing_time(),
        &[],
        Some(&[oid("1.3.6.1.4.1.16030.1.1.16")]),
    );
    assert_only(&r, ids::MR_POLICY);
    let r = recognise(
        Jurisdiction::Gd,
        &rsa_path(),
        &[],
        &stores,
        signing_time(),
        &[],
        Some(&[]),
    );
    assert_only(&r, ids::MR_POLICY);

    // An arc that merely shares leading digits is not under the prefix.
    let r = recognise(
        Jurisdiction::Gd,
        &rsa_path(),
        &[],
        &stores,
        signing_time(),
        &[],
        Some(&[oid("2.16.344.8.2.2008.810.20.2018.1.1")]),
    );
    assert_only(&r, ids::MR_POLICY);

    // The path's policy set does not admit the MR policy.
    let r = recognise(
        Jurisdiction::Gd,
        &rsa_path(),
        &[],
        &stores,
        signing_time(),
        &[oid("1.2.3.4")],
        None,
    );
    assert_only(&r, ids::MR_POLICY);
    // … but a set holding it, or anyPolicy, does.
    for set in [
        vec![oid("2.16.344.8.2.2008.810.2.2018.1.1")],
        vec![oid("2.5.29.32.0")],
    ] {
        let r = recognise(
            Jurisdiction::Gd,
            &rsa_path(),
            &[],
            &stores,
            signing_time(),
            &set,
            None,
        );
        assert_eq!(r.status, RecognitionStatus::Mutual);
    }

    // Closed window.
    let mut e = demo_entry();
    e.window.until = Some(parse_time("2020-01-01T00:00:00+08:00").unwrap());
    let r = gd_view(&demo_stores(e));
    assert_only(&r, ids::MR_WINDOW);
    // Not yet open.
    let mut e = demo_entry();
    e.window.from = signing_time() + 1;
    assert_only(&gd_view(&demo_stores(e)), ids::MR_WINDOW);
}

#[test]
fn policy_versions_are_exact() {
    let mut e = demo_entry();
    e.policy_versions = vec![oid("2.16.344.8.2.2008.810.2.2018.1.1")];
    assert_eq!(gd_view(&demo_stores(e)).status, RecognitionStatus::Mutual);
    let mut e = demo_entry();
    e.policy_versions = vec![oid("2.16.344.8.2.2008.810.2.2019.1.1")];
    assert_only(&gd_view(&demo_stores(e)), ids::MR_POLICY);
}

#[test]
fn issuer_by_fingerprint_and_name_folding() {
    let mut e = demo_entry();
    e.issuers[0].sha256 = Some(demo("ca.pem").sha256);
    e.issuers[0].common_name = None;
    assert_eq!(gd_view(&demo_stores(e)).status, RecognitionStatus::Mutual);
    // Names compare with whitespace and case folded (X.520 caseIgnoreMatch).
    let mut e = demo_entry();
    e.issuers[0].common_name = Some("demo  hk E-CERT ca".to_string());
    e.certificate_type = "DEMO e-Cert  (Personal)".to_string();
    assert_eq!(gd_view(&demo_stores(e)).status, RecognitionStatus::Mutual);
}

#[test]
fn several_failures_are_all_listed() {
    let mut e = demo_entry();
    e.certificate_type = "Demo Bank-Cert".to_string();
    e.window.until = Some(parse_time("2016-01-01T00:00:00Z").unwrap());
    let r = gd_view(&demo_stores(e));
    assert_eq!(r.status, RecognitionStatus::NotRecognised);
    assert_eq!(mr_ids(&r), [ids::MR_TYPE_NAME, ids::MR_WINDOW]);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["status"], "not_recognised");
    assert_eq!(json["failed_conditions"][0]["id"], "domestic.anchor");
}

#[test]
fn the_closest_entry_is_reported() {
    let mut far = demo_entry();
    far.certificate_type = "Other".to_string();
    far.issuers[0].common_name = Some("Other CA".to_string());
    let mut near = demo_entry();
    near.certificate_type = "Demo Bank-Cert".to_string();
    let mut stores = demo_stores(far);
    stores.hk.mutual_recognition.push(near);
    let r = gd_view(&stores);
    assert_eq!(mr_ids(&r), [ids::MR_TYPE_NAME]);
    // With one entry passing, the answer is mutual whatever the others say.
    stores.hk.mutual_recognition.push(demo_entry());
    assert_eq!(gd_view(&stores).status, RecognitionStatus::Mutual);
}

#[test]
fn command_line_anchors_are_domestic_for_either_side() {
    let stores = demo_stores(demo_entry());
    let sm2 = vec![
        demo("sm2-root.pem"),
        demo("sm2-ca.pem"),
        demo("sm2-signer.pem"),
    ];
    // The SM2 chain's root is a GD anchor: domestic in GD.
    let gd = recognise(
        Jurisdiction::Gd,
        &sm2,
        &[],
        &stores,
        signing_time(),
        &[],
        None,
    );
    assert_eq!(gd.status, RecognitionStatus::Domestic);
    // HK: no GD MR entries, so not recognised, saying why.
    let hk = recognise(
        Jurisdiction::Hk,
        &sm2,
        &[],
        &stores,
        signing_time(),
        &[],
        None,
    );
    assert_eq!(hk.status, RecognitionStatus::NotRecognised);
    let got: Vec<&str> = hk.failed_conditions.iter().map(|c| c.id.as_ref()).collect();
    assert_eq!(got, [ids::DOMESTIC_ANCHOR, ids::MR_ROOT]);
    assert!(hk.failed_conditions[1]
        .message
        .contains("no mutual-recognition entries"));
    // Given with --anchor: domestic for HK too.
    let extra = [demo("sm2-root.pem").sha256];
    let hk = recognise(
        Jurisdiction::Hk,
        &sm2,
        &extra,
        &stores,
        signing_time(),
        &[],
        None,
    );
    assert_eq!(hk.status, RecognitionStatus::Domestic);
    assert_eq!(hk.matched_entry.as_deref(), Some("command line: --anchor"));
}

#[test]
fn anchor_only_and_empty_paths() {
    let stores = demo_stores(demo_entry());
    let root_only = vec![demo("root.pem")];
    let hk = recognise(
        Jurisdiction::Hk,
        &root_only,
        &[],
        &stores,
        signing_time(),
        &[],
        None,
    );
    assert_eq!(hk.status, RecognitionStatus::Domestic);
    // In GD the root itself is not an MR certificate: issued by itself, no type name.
    let gd = recognise(
        Jurisdiction::Gd,
        &root_only,
        &[],
        &stores,
        signing_time(),
        &[],
        None,
    );
    assert_eq!(gd.status, RecognitionStatus::NotRecognised);
    assert_eq!(
        mr_ids(&gd),
        [ids::MR_ISSUER, ids::MR_TYPE_NAME, ids::MR_POLICY]
    );
    let none = recognise(
        Jurisdiction::Gd,
        &[],
        &[],
        &stores,
        signing_time(),
        &[],
        None,
    );
    assert_eq!(none.status, RecognitionStatus::NotRecognised);
    assert_eq!(none.failed_conditions.len(), 1);
}

#[test]
fn bundled_lists_recognise_nothing_from_the_demo_pki() {
    let stores = TrustStores::bundled().unwrap();
    for jur in [Jurisdiction::Hk, Jurisdiction::Gd] {
        let r = recognise(jur, &rsa_path(), &[], &stores, signing_time(), &[], None);
        assert_eq!(r.status, RecognitionStatus::NotRecognised);
    }
    // GD relying on an HK certificate: the failures are those of the real MR entry.
    let r = recognise(
        Jurisdiction::Gd,
        &rsa_path(),
        &[],
        &stores,
        signing_time(),
        &[],
        None,
    );
    assert_eq!(
        mr_ids(&r),
        [ids::MR_ROOT, ids::MR_ISSUER, ids::MR_TYPE_NAME]
    );
    assert!(r.failed_conditions[1]
        .message
        .contains("Hongkong Post Root CA 2"));
}

#[test]
fn fingerprint_helpers_round_trip() {
    let s = TrustStores::bundled().unwrap();
    for a in s.hk.anchors.iter().chain(&s.gd.anchors) {
        assert_eq!(parse_sha256(&format_sha256(&a.sha256)), Some(a.sha256));
        assert_eq!(parse_sha256(&hex::encode(a.sha256)), Some(a.sha256));
    }
}

#[test]
fn a_list_given_as_text_is_validated_without_reading_files() {
    use sigbridge::trust::{Jurisdiction, TrustList};
    let limits = sigbridge::Limits::default();
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("trust-stores/hk/trust-list.json"),
    )
    .unwrap();
    // The bundled HK list names certificate files, which are not read from text.
    let err = TrustList::from_json(&text, "hk.json", Jurisdiction::Hk, &limits).unwrap_err();
    assert!(err.to_string().contains("hk.json"), "{err}");
    // With every anchor file removed the same list validates.
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    for a in v["anchors"].as_array_mut().unwrap() {
        a["certificate"] = serde_json::Value::Null;
    }
    let list = TrustList::from_json(&v.to_string(), "hk.json", Jurisdiction::Hk, &limits).unwrap();
    assert_eq!(list.mutual_recognition.len(), 1);
    // The wrong jurisdiction is refused, naming the field.
    let err =
        TrustList::from_json(&v.to_string(), "hk.json", Jurisdiction::Gd, &limits).unwrap_err();
    assert!(err.to_string().contains("jurisdiction"), "{err}");
}
