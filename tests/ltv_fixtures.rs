//! Long-term validation on the generated fixtures (fixtures/ltv, made by
//! fixtures/generate-ltv.py): every document and token listed in fixtures/ltv/expected.json
//! (expectations written by hand from the scenarios) goes through `sigbridge::Verifier` with
//! the anchors, certificates, CRLs and OCSP responses it names, at 2030-06-01, and the
//! indication, sub-indication, best-signature-time (and the TSA proving it), the signer's
//! revocation status and source and each timestamp's indication are asserted.

mod common;

use serde::Deserialize;
use sigbridge::asn1::parse_time;
use sigbridge::crypto::{AlgorithmPolicy, Sunset, WeaknessKind};
use sigbridge::document::timestamp::Stamped;
use sigbridge::revocation::ocsp::OcspResponse;
use sigbridge::revocation::RevocationMode;
use sigbridge::verdict::Status;
use sigbridge::verify::Call;
use sigbridge::{DocumentReport, Limits, Verifier};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Deserialize)]
struct Expectations {
    validation_time: String,
    documents: Vec<Doc>,
    tokens: Vec<Token>,
}

#[derive(Deserialize)]
struct Doc {
    file: String,
    scenario: String,
    anchors: Vec<String>,
    certs: Vec<String>,
    crls: Vec<String>,
    #[serde(default)]
    ocsp: Vec<String>,
    revocation: String,
    sha1_sunset: Option<String>,
    indication: String,
    sub_indication: Option<String>,
    /// Absent: not asserted; null: no timestamp proves a time.
    #[serde(default, deserialize_with = "some")]
    best_signature_time: Option<Option<String>>,
    proven_by: Option<String>,
    signer_revocation: Option<String>,
    signer_revocation_source: Option<String>,
    timestamps: Vec<String>,
    #[serde(default)]
    timestamp_failed_rules: Vec<String>,
}

#[derive(Deserialize)]
struct Token {
    file: String,
    scenario: String,
    anchors: Vec<String>,
    certs: Vec<String>,
    crls: Vec<String>,
    indication: String,
    sub_indication: Option<String>,
    gen_time: Option<String>,
    tsa: Option<String>,
    #[serde(default)]
    failed_rules: Vec<String>,
}

fn some<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

fn ltv() -> PathBuf {
    common::fixtures().join("ltv")
}

fn rel(files: &[String]) -> Vec<String> {
    files.iter().map(|f| format!("ltv/{f}")).collect()
}

fn expectations() -> Expectations {
    let path = ltv().join("expected.json");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn ocsp(files: &[String]) -> Vec<Arc<OcspResponse>> {
    files
        .iter()
        .map(|f| {
            let der = std::fs::read(ltv().join(f)).unwrap();
            Arc::new(OcspResponse::from_der(&der, &Limits::default()).unwrap())
        })
        .collect()
}

fn mode(s: &str) -> RevocationMode {
    match s {
        "require" => RevocationMode::Require,
        "prefer" => RevocationMode::Prefer,
        "off" => RevocationMode::Off,
        other => panic!("expected.json: unknown revocation mode {other}"),
    }
}

fn verifier(
    anchors: &[String],
    certs: &[String],
    crls: &[String],
    revocation: RevocationMode,
    sunset: Option<&str>,
    time: &str,
) -> Verifier {
    let mut algorithms = AlgorithmPolicy::default();
    if let Some(until) = sunset {
        algorithms.sunsets.push(Sunset {
            weakness: WeaknessKind::Sha1,
            until: until.to_string(),
        });
    }
    Verifier::builder()
        .anchors(common::fixture_certs(&rel(anchors)))
        .certificates(common::fixture_certs(&rel(certs)))
        .crls(common::fixture_crls(&rel(crls)))
        .revocation(revocation)
        .algorithms(algorithms)
        .validation_time(Some(parse_time(time).unwrap()))
        .build()
}

fn sub(s: Option<sigbridge::verdict::SubIndication>) -> Option<String> {
    s.map(|s| s.to_string())
}

/// The signer's own revocation entry (the one for the end-entity: highest index).
fn signer_revocation(report: &DocumentReport) -> Option<serde_json::Value> {
    let signer = report.signers.first()?;
    let entry = signer.revocation.iter().max_by_key(|e| e.index)?;
    serde_json::to_value(entry).ok()
}

fn compare(doc: &Doc, report: &DocumentReport) -> Vec<String> {
    let mut wrong = Vec::new();
    let got = (report.indication.to_string(), sub(report.sub_indication));
    let want = (doc.indication.clone(), doc.sub_indication.clone());
    if got != want {
        wrong.push(format!("verdict {got:?}, expected {want:?}"));
    }
    let Some(signer) = report.signers.first() else {
        wrong.push("no signer".into());
        return wrong;
    };
    if let Some(want) = &doc.best_signature_time {
        let got = signer
            .best_signature_time
            .as_ref()
            .filter(|b| b.proven_by.is_some())
            .map(|b| b.time.clone());
        if &got != want {
            wrong.push(format!("best_signature_time {got:?}, expected {want:?}"));
        }
    }
    if let Some(tsa) = &doc.proven_by {
        let by = signer
            .best_signature_time
            .as_ref()
            .and_then(|b| b.proven_by.clone())
            .unwrap_or_default();
        if !by.contains(tsa.as_str()) {
            wrong.push(format!("proven by {by:?}, expected {tsa:?}"));
        }
    }
    if let Some(want) = &doc.signer_revocation {
        let entry = signer_revocation(report).unwrap_or_default();
        if entry.get("status").and_then(|s| s.as_str()) != Some(want.as_str()) {
            wrong.push(format!("signer revocation {entry}, expected {want}"));
        }
        if let Some(kind) = &doc.signer_revocation_source {
            if !entry.to_string().to_lowercase().contains(kind.as_str()) {
                wrong.push(format!("signer revocation {entry} has no {kind} source"));
            }
        }
    }
    let got: Vec<String> = signer
        .timestamps
        .iter()
        .map(|t| t.indication.to_string())
        .collect();
    if got != doc.timestamps {
        wrong.push(format!("timestamps {got:?}, expected {:?}", doc.timestamps));
    }
    for rule in &doc.timestamp_failed_rules {
        let failed = signer.timestamps.iter().any(|t| {
            t.checks
                .iter()
                .any(|c| c.rule.id() == rule && c.status == Status::Failed)
        });
        if !failed {
            wrong.push(format!("no timestamp failed {rule}"));
        }
    }
    wrong
}

#[test]
fn ltv_documents() {
    let exp = expectations();
    assert!(exp.documents.len() >= 19, "expected.json lost documents");
    let mut failures = Vec::new();
    for doc in &exp.documents {
        let v = verifier(
            &doc.anchors,
            &doc.certs,
            &doc.crls,
            mode(&doc.revocation),
            doc.sha1_sunset.as_deref(),
            &exp.validation_time,
        );
        let bytes = std::fs::read(ltv().join(&doc.file)).unwrap();
        let call = Call::new().ocsp(ocsp(&doc.ocsp));
        match v.verify_with(&bytes, call) {
            Ok(report) => {
                let wrong = compare(doc, &report);
                if !wrong.is_empty() {
                    failures.push(format!(
                        "{} ({}): {}\n{}",
                        doc.file,
                        doc.scenario,
                        wrong.join("; "),
                        serde_json::to_string(&report.signers.first().map(|s| &s.checks))
                            .unwrap_or_default()
                    ));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", doc.file)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn ltv_tokens() {
    let exp = expectations();
    assert_eq!(exp.tokens.len(), 4, "expected.json lost tokens");
    let contract = std::fs::read(ltv().join("contract.txt")).unwrap();
    let mut failures = Vec::new();
    for t in &exp.tokens {
        let v = verifier(
            &t.anchors,
            &t.certs,
            &t.crls,
            RevocationMode::Require,
            None,
            &exp.validation_time,
        );
        let bytes = std::fs::read(ltv().join(&t.file)).unwrap();
        let r = match v.verify_timestamp(&bytes, Stamped::Data(&contract), Call::new()) {
            Ok(r) => r.timestamp,
            Err(e) => {
                failures.push(format!("{}: {e}", t.file));
                continue;
            }
        };
        let mut wrong = Vec::new();
        let got = (r.indication.to_string(), sub(r.sub_indication));
        if got != (t.indication.clone(), t.sub_indication.clone()) {
            wrong.push(format!("verdict {got:?}"));
        }
        if t.gen_time.is_some() && r.gen_time != t.gen_time {
            wrong.push(format!("gen_time {:?}", r.gen_time));
        }
        if let Some(tsa) = &t.tsa {
            if !r.tsa.as_deref().unwrap_or_default().contains(tsa.as_str()) {
                wrong.push(format!("tsa {:?}", r.tsa));
            }
        }
        for rule in &t.failed_rules {
            if !r
                .checks
                .iter()
                .any(|c| c.rule.id() == rule && c.status == Status::Failed)
            {
                wrong.push(format!("{rule} did not fail"));
            }
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{} ({}): {}\n{}",
                t.file,
                t.scenario,
                wrong.join("; "),
                serde_json::to_string(&r.checks).unwrap_or_default()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The documents really are what their names say, independently of sigbridge: OpenSSL
/// verifies each document's signature (at a time inside its signer's validity) and the RSA
/// token, so a failure above is sigbridge's, not the generator's.
#[test]
fn openssl_agrees_on_the_signatures() {
    let dir = ltv();
    let anchors = dir.join("pki/ltv-root.pem");
    let ca = dir.join("pki/ltv-ca.pem");
    let chain = common::temp_dir("ltv-chain").join("chain.pem");
    let mut pem = std::fs::read(&anchors).unwrap();
    pem.extend(std::fs::read(&ca).unwrap());
    std::fs::write(&chain, pem).unwrap();
    for name in [
        "valid-no-timestamp",
        "expired-timestamped",
        "revoked-after-timestamp",
    ] {
        common::openssl(
            &dir,
            &[
                "cms",
                "-verify",
                "-binary",
                "-inform",
                "DER",
                "-in",
                &format!("docs/{name}.p7m"),
                "-CAfile",
                chain.to_str().unwrap(),
                "-attime",
                "1748779200",
                "-purpose",
                "any",
                "-out",
                "/dev/null",
            ],
        );
    }
    common::openssl(
        &dir,
        &[
            "ts",
            "-verify",
            "-token_in",
            "-in",
            "tokens/rsa.tst",
            "-data",
            "contract.txt",
            "-CAfile",
            anchors.to_str().unwrap(),
            "-untrusted",
            "pki/tsa.pem",
        ],
    );
}
