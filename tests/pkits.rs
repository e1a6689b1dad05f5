//! NIST PKITS: every one of the 249 entries of `pkits/tests.json` — validity and the
//! user-constrained policy set must match. Cases that do not pass are listed, with the
//! reason, in `tests/pkits-exceptions.txt`; the test fails if the list is wrong either way.

mod common;

use serde_json::Value;
use sigbridge::asn1::{parse_time, Oid};
use sigbridge::path::{AnchorSet, CertPool};
use sigbridge::revocation::RevocationMode;
use sigbridge::validate::{self, Options, Sources};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

fn load_cert(dir: &Path, name: &str) -> Arc<sigbridge::x509::Certificate> {
    let bytes = std::fs::read(dir.join("certs").join(name)).unwrap();
    Arc::new(
        sigbridge::x509::Certificate::from_der(&bytes).unwrap_or_else(|e| panic!("{name}: {e}")),
    )
}

#[test]
fn pkits_all_cases() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let dir = corpora.join("pkits");
    let suite: Value =
        serde_json::from_slice(&std::fs::read(dir.join("tests.json")).unwrap()).unwrap();
    let oids = &suite["policy_oids"];
    let resolve = |v: &Value| -> Vec<Oid> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| Oid::from_dotted(oids[s.as_str().unwrap()].as_str().unwrap()).unwrap())
            .collect()
    };
    let time = parse_time(suite["validation_time"].as_str().unwrap()).unwrap();
    let exceptions = common::exceptions("pkits-exceptions.txt");
    let mut passed = 0;
    let mut failures = Vec::new();
    let tests = suite["tests"].as_array().unwrap();
    for t in tests {
        let id = t["id"].as_str().unwrap().to_string();
        let anchor_name = t["trust_anchor"].as_str().unwrap();
        let target_name = t["target"].as_str().unwrap();
        let mut anchors = AnchorSet::new();
        anchors.add(load_cert(&dir, anchor_name), "pkits");
        let mut pool = CertPool::new();
        for c in t["certs"].as_array().unwrap() {
            let c = c.as_str().unwrap();
            if c != anchor_name && c != target_name {
                pool.add(load_cert(&dir, c));
            }
        }
        let crls: Vec<Arc<sigbridge::x509::Crl>> = t["crls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let bytes = std::fs::read(dir.join("crls").join(c.as_str().unwrap())).unwrap();
                Arc::new(sigbridge::x509::Crl::from_der(&bytes, 100_000).unwrap())
            })
            .collect();
        let target = load_cert(&dir, target_name);
        let mut options = Options::at(time);
        options.revocation = RevocationMode::Require;
        let inputs = &t["inputs"];
        options.policy.initial_policy_set = resolve(&inputs["initial_policy_set"]);
        options.policy.initial_explicit_policy =
            inputs["initial_explicit_policy"].as_bool().unwrap();
        options.policy.initial_policy_mapping_inhibit =
            inputs["initial_policy_mapping_inhibit"].as_bool().unwrap();
        options.policy.initial_any_policy_inhibit =
            inputs["initial_any_policy_inhibit"].as_bool().unwrap();
        let outcome = validate::validate(&target, Sources::new(&pool, &anchors, &crls), &options);
        let expect_valid = t["expected"].as_str().unwrap() == "valid";
        let mut problem = None;
        if outcome.is_valid() != expect_valid {
            problem = Some(format!(
                "expected {}, got {} {:?}: {}",
                t["expected"],
                outcome.indication,
                outcome.sub_indication,
                outcome
                    .errors
                    .iter()
                    .map(|e| format!(
                        "[{}] {} {}",
                        e.rule,
                        e.subject
                            .as_ref()
                            .map(|s| s.label.clone())
                            .unwrap_or_default(),
                        e.message
                    ))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
        } else if expect_valid {
            let want: BTreeSet<String> = resolve(&t["expected_user_constrained_policy_set"])
                .iter()
                .map(|o| o.to_string())
                .collect();
            let got: BTreeSet<String> = outcome
                .user_constrained_policy_set
                .iter()
                .map(|o| o.to_string())
                .collect();
            if want != got {
                problem = Some(format!(
                    "user-constrained policy set: expected {want:?}, got {got:?}"
                ));
            }
        }
        match (problem, exceptions.contains_key(&id)) {
            (None, false) => passed += 1,
            (None, true) => failures.push(format!(
                "{id}: passes now — remove it from tests/pkits-exceptions.txt"
            )),
            (Some(_), true) => {}
            (Some(p), false) => {
                failures.push(format!("{id} ({}): {p}", t["name"].as_str().unwrap()))
            }
        }
    }
    eprintln!(
        "PKITS: {passed}/{} passed, {} listed exceptions",
        tests.len(),
        exceptions.len()
    );
    assert_eq!(tests.len(), 249, "tests.json should hold 249 entries");
    assert!(
        failures.is_empty(),
        "{} PKITS problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
