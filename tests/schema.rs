//! The committed JSON Schema (`src/report/sigbridge.schema.json`, also `report::SCHEMA`)
//! describes what the CLI really prints: every fixture's `verify --format json` report, the
//! `path`, `trust list` and `inspect` JSON — and it is strict enough to refuse a report that
//! drifts (an unknown field, a wrong indication, an upper-case fingerprint), and reports
//! deserialise back into the library's types.

mod common;

use serde_json::Value;

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(sigbridge::report::SCHEMA).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn cli(args: &[&str]) -> Value {
    let out = common::sigbridge()
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
    document_args()
        .into_iter()
        .map(|(what, args)| {
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            (what, cli(&a))
        })
        .collect()
}

/// The `verify` arguments of [`document_reports`], each with what it is.
fn document_args() -> Vec<(String, Vec<String>)> {
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
        let mut with_lists = args.clone();
        with_lists.extend(["--trust-stores", "fixtures/trust-stores"].map(String::from));
        out.push((file.clone(), args));
        out.push((format!("{file} with trust stores"), with_lists));
    }
    out
}

#[test]
fn every_summary_report_matches_the_schema_and_its_full_report() {
    let v = validator();
    let cases = document_args();
    assert!(cases.len() >= 40, "{}", cases.len());
    for (what, args) in &cases {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let full = cli(&a);
        let mut b = a.clone();
        b.extend(["--detail", "summary"]);
        let brief = cli(&b);
        assert_valid(&v, &format!("{what} --detail summary"), &brief);
        assert_eq!(brief["format"], "sigbridge-summary/1");
        for k in [
            "container",
            "validation_time",
            "relying_party",
            "indication",
            "sub_indication",
        ] {
            assert_eq!(brief[k], full[k], "{what}: {k}");
        }
        let (fs, bs) = (
            full["signers"].as_array().unwrap(),
            brief["signers"].as_array().unwrap(),
        );
        assert_eq!(fs.len(), bs.len(), "{what}");
        for (f, b) in fs.iter().zip(bs) {
            assert_eq!(b["indication"], f["indication"], "{what}");
            assert_eq!(b["sub_indication"], f["sub_indication"], "{what}");
            assert_eq!(b["sha256"], f["signer"]["sha256"], "{what}");
            assert_eq!(b["subject"], f["signer"]["subject"], "{what}");
            assert_eq!(b["anchor_store"], f["anchor_store"], "{what}");
            for j in ["hk", "gd"] {
                assert_eq!(
                    b["recognition"][j], f["recognition"][j]["status"],
                    "{what}: {j}"
                );
            }
            let failed: Vec<&Value> = f["checks"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["status"] == "failed")
                .collect();
            let got: Vec<&Value> = b["failed"].as_array().unwrap().iter().collect();
            assert_eq!(got, failed, "{what}: failed checks");
        }
        // Each side's standing follows the rules of the summary: a failed signer makes it
        // not valid; valid needs every signer passed and recognised on that side.
        for j in ["hk", "gd"] {
            let any_failed = bs.iter().any(|s| s["indication"] == "TOTAL_FAILED");
            let all_ok = !bs.is_empty()
                && bs.iter().all(|s| {
                    s["indication"] == "TOTAL_PASSED"
                        && matches!(s["recognition"][j].as_str(), Some("domestic" | "mutual"))
                });
            let want = if any_failed {
                "not_valid"
            } else if all_ok {
                "valid"
            } else {
                "not_confirmed"
            };
            assert_eq!(brief[j], want, "{what}: {j} standing");
        }
    }
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

/// Every PDF of fixtures/pdf/ verified with the demo trust lists and CRLs (and once with the
/// demo roots as anchors instead), and inspected.
fn pdf_reports() -> Vec<(String, Value)> {
    let dir = common::fixtures().join("pdf");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    files.sort();
    let mut crls: Vec<String> = std::fs::read_dir(common::fixtures().join("docs/pki"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".crl"))
        .map(|n| format!("fixtures/docs/pki/{n}"))
        .collect();
    crls.sort();
    let mut out = Vec::new();
    for f in &files {
        let file = format!("fixtures/pdf/{f}");
        let mut args: Vec<&str> = vec!["verify", &file, "--at", "2026-12-01T00:00:00Z"];
        args.extend(["--format", "json", "--crl"]);
        args.extend(crls.iter().map(String::as_str));
        let mut with_lists = args.clone();
        with_lists.extend(["--trust-stores", "fixtures/trust-stores"]);
        out.push((format!("{file} with trust stores"), cli(&with_lists)));
        let mut with_anchors = args.clone();
        with_anchors.extend([
            "--anchor",
            "fixtures/docs/pki/hk-root.pem",
            "fixtures/docs/pki/gd-sm2-root.pem",
        ]);
        out.push((format!("{file} with anchors"), cli(&with_anchors)));
    }
    assert!(files.len() >= 23, "{files:?}");
    out
}

#[test]
fn every_pdf_report_and_inspection_matches_the_schema_and_deserialises() {
    let v = validator();
    for (what, r) in pdf_reports() {
        assert_valid(&v, &what, &r);
        assert_eq!(r["container"], "pdf", "{what}");
        let back: sigbridge::DocumentReport =
            serde_json::from_value(r.clone()).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(
            serde_json::to_value(&back).unwrap(),
            r,
            "{what}: round trip"
        );
        assert_eq!(
            back.signers.len(),
            back.signers.iter().filter(|s| s.pdf.is_some()).count(),
            "{what}: every signer of a PDF has its pdf facts"
        );
    }
    for f in [
        "two-signatures.pdf",
        "signed-then-dss.pdf",
        "usf-null-contents.pdf",
        "encrypted.pdf",
    ] {
        let r = cli(&["inspect", &format!("fixtures/pdf/{f}"), "--format", "json"]);
        assert_valid(&v, f, &r);
        assert_eq!(r["kind"], "pdf", "{f}");
        let back: sigbridge::report::inspect::InspectReport =
            serde_json::from_value(r.clone()).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert_eq!(serde_json::to_value(&back).unwrap(), r, "{f}: round trip");
    }
}

#[test]
fn the_schema_refuses_pdf_drift() {
    let v = validator();
    let (_, good) = pdf_reports().into_iter().next().unwrap();
    assert!(v.is_valid(&good));
    type Mutation = (&'static str, fn(&mut Value));
    let mutations: [Mutation; 5] = [
        ("unknown coverage", |r| {
            r["signers"][0]["pdf"]["coverage"] = "most_of_it".into()
        }),
        ("unknown modification level", |r| {
            r["signers"][0]["pdf"]["modifications"]["level"] = "some".into()
        }),
        ("unknown PDF field", |r| {
            r["signers"][0]["pdf"]["surprise"] = Value::Bool(true)
        }),
        ("unknown level", |r| {
            r["signers"][0]["pdf"]["level"] = "PAdES_BASELINE_X".into()
        }),
        ("a document without revisions", |r| {
            r["pdf"]["revisions"] = Value::Array(Vec::new())
        }),
    ];
    for (what, mutate) in mutations {
        let mut bad = good.clone();
        mutate(&mut bad);
        assert!(
            !v.is_valid(&bad),
            "the schema accepts a PDF report with {what}"
        );
    }
}

#[test]
fn path_trust_and_inspect_json_match_the_schema() {
    let v = validator();
    let scratch = common::temp_dir("schema-stores").display().to_string();
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
        (
            "inspect S/MIME",
            cli(&[
                "inspect",
                "fixtures/docs/hk-mr-personal.eml",
                "--format",
                "json",
            ]),
        ),
        (
            "inspect the real bundled roots",
            cli(&[
                "inspect",
                "trust-stores/hk/certs/hongkong-post-root-ca-3.pem",
                "--format",
                "json",
            ]),
        ),
        (
            "trust add of a bundled root",
            cli(&[
                "trust",
                "add",
                "trust-stores/hk/certs/hongkong-post-root-ca-1.pem",
                "--trust-stores",
                &scratch,
                "--format",
                "json",
            ]),
        ),
    ] {
        assert_valid(&v, what, &r);
    }
    // Every failure before a report exists is one sigbridge-error/1 object.
    for (what, args) in [
        (
            "not signed",
            &[
                "verify",
                "fixtures/docs/pki/hk-root.pem",
                "--format",
                "json",
            ][..],
        ),
        (
            "unreadable",
            &["inspect", "no-such-file.p7m", "--format", "json"],
        ),
        (
            "usage",
            &["verify", "x.p7m", "--at", "yesterday", "--format", "json"],
        ),
        (
            "unknown option",
            &["verify", "x.p7m", "--frobnicate", "--format", "json"],
        ),
        (
            "malformed",
            &[
                "verify",
                "fixtures/docs/malformed-truncated.p7m",
                "--format",
                "json",
            ],
        ),
        (
            "path target missing",
            &[
                "path", "--target", "nope.pem", "--anchor", "nope.pem", "--format", "json",
            ],
        ),
        (
            "trust store missing",
            &[
                "trust",
                "list",
                "--trust-stores",
                "no/such/dir",
                "--format",
                "json",
            ],
        ),
    ] {
        let r = cli(args);
        assert_valid(&v, what, &r);
        assert_eq!(r["format"], "sigbridge-error/1", "{what}: {r}");
        let back: sigbridge::report::error::ErrorReport =
            serde_json::from_value(r.clone()).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(
            serde_json::to_value(&back).unwrap(),
            r,
            "{what}: round trip"
        );
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
