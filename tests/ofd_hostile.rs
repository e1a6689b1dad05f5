//! Hostile OFD packages (`benches/support/ofd_hostile.rs`): a zip bomb, a bomb lying about its
//! size, 65,000 and 100,000 entries, duplicate and case-colliding names, local headers that
//! disagree with the central directory, a polyglot prefix, traversal names, encryption,
//! billion laughs, deep and wide XML, oversized XML, 5,000 listed signatures, deep and lying
//! ASN.1. Each must end in a typed error naming what was refused (or, inside a signature, in
//! a failed check), never a panic. Their time is bounded by the `ofd` benchmark.

#[path = "../benches/support/ofd_build.rs"]
#[allow(dead_code)]
mod ofd_build;
#[path = "../benches/support/ofd_hostile.rs"]
mod ofd_hostile;
#[path = "../benches/support/sm2_cms.rs"]
#[allow(dead_code)]
mod sm2_cms;

use sigbridge::document::ofd::{self, OfdPackage, OfdRule, OfdStatus, VerifyOptions};
use sigbridge::Limits;

/// What the input gave: an error message, or the failed checks' messages.
fn outcome(bytes: Vec<u8>) -> Result<Vec<String>, String> {
    let package = OfdPackage::open(bytes, &Limits::default()).map_err(|e| e.to_string())?;
    let _ = ofd::OfdSummary::of(&package);
    let v = ofd::verify_signatures(&package, &VerifyOptions::new()).map_err(|e| e.to_string())?;
    assert!(!v.all_passed(), "a hostile package passed");
    Ok(v.signatures
        .iter()
        .flat_map(|s| s.checks.iter())
        .filter(|c| c.status == OfdStatus::Failed)
        .map(|c| format!("{:?}: {}", c.rule, c.message))
        .collect())
}

#[test]
fn every_hostile_package_is_refused_with_a_typed_error() {
    let cases = ofd_hostile::cases();
    assert!(cases.len() >= 20);
    for case in cases {
        match (outcome(case.bytes), case.expect) {
            (Ok(failed), "SignedValue") => assert!(
                failed
                    .iter()
                    .any(|m| m.starts_with(&format!("{:?}", OfdRule::SignedValue))),
                "{}: {failed:?}",
                case.name
            ),
            (Err(e), expect) => {
                assert!(e.contains(expect), "{}: {e:?} lacks {expect:?}", case.name)
            }
            (Ok(failed), expect) => {
                panic!("{}: no error ({failed:?}), expected {expect:?}", case.name)
            }
        }
    }
}

#[test]
fn an_unreadable_signature_xml_fails_that_signature_only() {
    let ns = "http://www.ofdspec.org/2016";
    let ofd = format!(
        r#"<ofd:OFD xmlns:ofd="{ns}"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot><ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody></ofd:OFD>"#
    );
    let list = format!(
        r#"<ofd:Signatures xmlns:ofd="{ns}"><ofd:Signature ID="1" BaseLoc="../../../x"/><ofd:Signature ID="2" BaseLoc="Sign_1/Signature.xml"/></ofd:Signatures>"#
    );
    let bytes = ofd_build::write_zip(
        &[
            ("OFD.xml".into(), ofd.into_bytes(), true),
            ("Doc_0/Signs/Signatures.xml".into(), list.into_bytes(), true),
        ],
        |_, _| {},
    );
    let package = OfdPackage::open(bytes, &Limits::default()).unwrap();
    let v = ofd::verify_signatures(&package, &VerifyOptions::new()).unwrap();
    assert_eq!(v.signatures.len(), 2);
    for s in &v.signatures {
        assert_eq!(
            s.status(OfdRule::SignatureXml),
            Some(OfdStatus::Failed),
            "{:?}",
            s.checks
        );
        assert!(!s.passed());
    }
    assert!(v.signatures[0].checks[0].message.contains("'.' or '..'"));
    assert!(v.signatures[1].checks[0].message.contains("no such entry"));
}

/// Every input the `ofd_package` and `ofd_seal` fuzz targets crashed or hung on
/// (`fuzz/regressions/<target>/`), replayed through the same entry points.
#[test]
fn fuzz_regressions_replay() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    for target in ["ofd_package", "ofd_seal"] {
        let Ok(dir) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for entry in dir {
            let path = entry.unwrap().path();
            if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("README"))
            {
                continue;
            }
            let data = std::fs::read(&path).unwrap();
            if target == "ofd_seal" {
                let _ = ofd::parse_signed_value(&data, &Limits::default());
                if let Ok(seal) = ofd::parse_seal(&data, &Limits::default()) {
                    let _ = ofd::verify_seal(&seal, &Default::default());
                    serde_json::to_string(&seal).unwrap();
                }
            } else if let Some((&mode, rest)) = data.split_first() {
                // Mode as in fuzz/fuzz_targets/ofd_package.rs (only the raw-ZIP mode is
                // replayed here; split-mode inputs are saved in their zipped form).
                let bytes = if mode % 2 == 0 {
                    rest.to_vec()
                } else {
                    data.clone()
                };
                if let Ok(p) = OfdPackage::open(bytes, &Limits::default()) {
                    let _ = ofd::OfdSummary::of(&p);
                    if let Ok(v) = ofd::verify_signatures(&p, &VerifyOptions::new()) {
                        assert!(!v.all_passed(), "{}", path.display());
                    }
                }
            }
        }
    }
}
