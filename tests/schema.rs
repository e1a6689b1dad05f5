//! The committed JSON Schema (`src/report/sigbridge.schema.json`, also `report::SCHEMA`)
//! describes what the CLI really prints: every fixture's `verify --format json` report, the
//! `path`, `trust list` and `inspect` JSON — and it is strict enough to refuse a report that
//! drifts (an unknown field, a wrong indication, an upper-case fingerprint), and reports
//! deserialise back into the library's types.

mod common;

use serde_json::Value;
use std::process::Command;

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(sigbridge::report::SCHEMA).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn cli(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_sigbridge"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "sigbridge {args:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn assert_valid(v: &jsonschema::Validator, what: &str, value: &Value) {
    let errors: Vec<String> = v
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

/// Every document of fixtures/expected.json that is readable, verified with its anchors,
/// certificates and CRLs, and with the trust stores.
fn document_reports() -> Vec<(String, Value)> {
    let exp: Value = serde_json::from_str(
        &std::fs::read_to_string(common::fixtures().join("expected.json")).unwrap(),
    )
    .unwrap();
    let mut out = Vec::new();
    for d in exp["documents"].as_array().unwrap() {
        if d["error"].as_bool() == Some(true) {
            continue;
        }
        let file = format!("fixtures/{}", d["file"].as_str().unwrap());
        let mut args = vec!["verify".to_owned(), file.clone()];
        if let Some(c) = d["content"].as_str() {
            args.extend(["--content".into(), format!("fixtures/{c}")]);
        }
        for key in ["anchors", "certs", "crls"] {
            let flag = match key {
                "anchors" => "--anchor",
                "certs" => "--cert",
                _ => "--crl",
            };
            for f in d[key].as_array().unwrap() {
                args.extend([flag.into(), format!("fixtures/{}", f.as_str().unwrap())]);
            }
        }
        args.extend(
            [
                "--revocation",
                "require",
                "--at",
                "2026-12-01T00:00:00Z",
                "--format",
                "json",
            ]
            .map(String::from),
        );
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        out.push((file.clone(), cli(&a)));
        let mut with_lists = a.clone();
        with_lists.extend(["--trust-stores", "fixtures/trust-stores"]);
        out.push((format!("{file} with trust stores"), cli(&with_lists)));
    }
    out
}

/// Every OFD fixture verified with the demo GD lists (and the e-invoice with the CN-tax
/// purpose list), as `verify --format json` prints it.
fn ofd_reports() -> Vec<(String, Value)> {
    let mut files: Vec<String> = std::fs::read_dir(common::fixtures().join("ofd"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ofd"))
        .map(|n| format!("fixtures/ofd/{n}"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in &files {
        for extra in [
            &[][..],
            &["--purpose-list", "fixtures/ofd/tax/trust-list.json"][..],
        ] {
            let mut a = vec![
                "verify",
                file.as_str(),
                "--trust-stores",
                "fixtures/trust-stores",
                "--cert",
                "fixtures/docs/pki/gd-sm2-ca.pem",
                "--at",
                "2026-12-01T00:00:00Z",
                "--format",
                "json",
            ];
            a.extend(extra);
            out.push((format!("{file} {extra:?}"), cli(&a)));
        }
    }
    out
}

#[test]
fn every_ofd_report_matches_the_schema_and_deserialises() {
    let v = validator();
    let reports = ofd_reports();
    assert!(reports.len() >= 24, "{}", reports.len());
    for (what, r) in &reports {
        assert_eq!(r["container"], "ofd", "{what}");
        assert_valid(&v, what, r);
        let back: sigbridge::DocumentReport =
            serde_json::from_value(r.clone()).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(
            serde_json::to_value(&back).unwrap(),
            *r,
            "{what}: round trip"
        );
    }
    for file in [
        "v4-seal.ofd",
        "v1-seal.ofd",
        "signed-data.ofd",
        "two-signatures.ofd",
    ] {
        let r = cli(&[
            "inspect",
            &format!("fixtures/ofd/{file}"),
            "--format",
            "json",
        ]);
        assert_valid(&v, &format!("inspect {file}"), &r);
        let back: sigbridge::report::inspect::InspectReport =
            serde_json::from_value(r.clone()).unwrap();
        assert_eq!(serde_json::to_value(&back).unwrap(), r, "inspect {file}");
    }
    // Drift in the OFD fields is refused.
    let (_, good) = reports.into_iter().next().unwrap();
    type Mutation = (&'static str, fn(&mut Value));
    let mutations: [Mutation; 5] = [
        ("an OFD report without ofd", |r| {
            r.as_object_mut().unwrap().remove("ofd");
        }),
        ("an OFD content type that is an OID", |r| {
            r["content_type"] = "1.2.840.113549.1.7.1".into()
        }),
        ("a CMS report with ofd", |r| r["container"] = "cms".into()),
        ("an unknown seal field", |r| {
            r["signers"][0]["ofd"]["seal"]["colour"] = "red".into()
        }),
        ("an unknown encoding", |r| {
            r["signers"][0]["ofd"]["signature_encoding"] = "raw".into()
        }),
    ];
    for (what, mutate) in mutations {
        let mut bad = good.clone();
        mutate(&mut bad);
        assert!(!v.is_valid(&bad), "the schema accepts {what}");
    }
}

#[test]
fn every_document_report_matches_the_schema_and_deserialises() {
    let v = validator();
    let reports = document_reports();
    assert!(reports.len() >= 40, "{}", reports.len());
    for (what, r) in &reports {
        assert_valid(&v, what, r);
        let back: sigbridge::DocumentReport =
            serde_json::from_value(r.clone()).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(
            serde_json::to_value(&back).unwrap(),
            *r,
            "{what}: round trip"
        );
    }
}

#[test]
fn path_trust_and_inspect_json_match_the_schema() {
    let v = validator();
    let path = |extra: &[&str]| {
        let mut a = vec![
            "path",
            "--target",
            "fixtures/path-demo/signer.pem",
            "--anchor",
            "fixtures/path-demo/root.pem",
            "--cert",
            "fixtures/path-demo/ca.pem",
            "--crl",
            "fixtures/path-demo/ca.crl",
            "fixtures/path-demo/root.crl",
            "--at",
            "2026-12-01T00:00:00Z",
            "--format",
            "json",
        ];
        a.extend(extra);
        cli(&a)
    };
    for (what, r) in [
        ("path valid", path(&["--revocation", "require"])),
        (
            "path no chain",
            cli(&[
                "path",
                "--target",
                "fixtures/path-demo/signer.pem",
                "--anchor",
                "fixtures/docs/pki/gd-rsa-root.pem",
                "--format",
                "json",
            ]),
        ),
        ("trust list", cli(&["trust", "list", "--format", "json"])),
        (
            "inspect certificate",
            cli(&[
                "inspect",
                "fixtures/docs/pki/hk-root.pem",
                "--format",
                "json",
            ]),
        ),
        (
            "inspect CRL",
            cli(&[
                "inspect",
                "fixtures/docs/pki/hk-root.crl",
                "--format",
                "json",
            ]),
        ),
        (
            "inspect CMS",
            cli(&[
                "inspect",
                "fixtures/docs/hk-mr-personal.p7m",
                "--format",
                "json",
            ]),
        ),
    ] {
        assert_valid(&v, what, &r);
    }
    let r = path(&["--revocation", "require"]);
    let back: sigbridge::report::path::PathReport = serde_json::from_value(r.clone()).unwrap();
    assert_eq!(serde_json::to_value(&back).unwrap(), r);
}

#[test]
fn the_schema_refuses_drift() {
    let v = validator();
    let (_, good) = document_reports().into_iter().next().unwrap();
    assert!(v.is_valid(&good));
    type Mutation = (&'static str, fn(&mut Value));
    let mutations: [Mutation; 6] = [
        ("unknown top-level field", |r| {
            r["surprise"] = Value::Bool(true);
        }),
        ("unknown indication", |r| r["indication"] = "VALID".into()),
        ("passed with a sub-indication", |r| {
            r["indication"] = "TOTAL_PASSED".into();
            r["sub_indication"] = "HASH_FAILURE".into();
        }),
        ("upper-case fingerprint", |r| {
            let s = r["signers"][0]["signer"]["sha256"]
                .as_str()
                .unwrap()
                .to_uppercase();
            r["signers"][0]["signer"]["sha256"] = s.into();
        }),
        ("unknown rule id", |r| {
            r["signers"][0]["checks"][0]["id"] = "vibes".into()
        }),
        ("old format", |r| r["format"] = "sigbridge-report/1".into()),
    ];
    for (what, mutate) in mutations {
        let mut bad = good.clone();
        mutate(&mut bad);
        assert!(!v.is_valid(&bad), "the schema accepts a report with {what}");
    }
}
