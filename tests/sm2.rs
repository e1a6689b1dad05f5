//! SM2-with-SM3 chains from Tongsuo (`corpora/sm2/tongsuo-certs`), checked against the
//! "suggested expectations" of `corpora/sm2/README.md` at a time inside every validity
//! window (2025-06-01), with revocation off: the Za-signed chains validate, the noZa chain
//! fails its signature (even with the empty-ID fallback), the expired end entities are
//! OUT_OF_BOUNDS_NO_POE and the certificates whose issuer is missing find no chain.

mod common;

use sigbridge::asn1::parse_time;
use sigbridge::path::{AnchorSet, CertPool};
use sigbridge::revocation::RevocationMode;
use sigbridge::validate::{self, KeyUsageRequirement, Options, Outcome, Sources};
use sigbridge::verdict::{Indication, Rule, SubIndication};
use sigbridge::x509::Certificate;
use sigbridge::Limits;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const AT: &str = "2025-06-01T00:00:00Z";

fn dir() -> Option<PathBuf> {
    common::corpora().map(|c| c.join("sm2/tongsuo-certs"))
}

fn load(dir: &Path, name: &str) -> Vec<Arc<Certificate>> {
    sigbridge::x509::certificates_from_file(&dir.join(name), &Limits::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .into_iter()
        .map(Arc::new)
        .collect()
}

fn load_one(dir: &Path, name: &str) -> Arc<Certificate> {
    let mut certs = load(dir, name);
    assert_eq!(certs.len(), 1, "{name} should hold exactly one certificate");
    certs.pop().unwrap()
}

/// A two-certificate CA bundle split into (self-signed root, the other one).
fn split_bundle(dir: &Path, name: &str) -> (Arc<Certificate>, Arc<Certificate>) {
    let certs = load(dir, name);
    assert_eq!(
        certs.len(),
        2,
        "{name} should hold a root and an intermediate"
    );
    let (roots, others): (Vec<_>, Vec<_>) = certs.into_iter().partition(|c| c.is_self_issued());
    assert_eq!(
        roots.len(),
        1,
        "{name}: exactly one self-issued certificate"
    );
    (roots[0].clone(), others[0].clone())
}

fn options() -> Options {
    let mut options = Options::at(parse_time(AT).unwrap());
    options.revocation = RevocationMode::Off;
    options
}

fn run(
    target: &Arc<Certificate>,
    anchors: &[&Arc<Certificate>],
    pool: &[&Arc<Certificate>],
    options: &Options,
) -> Outcome {
    let mut anchor_set = AnchorSet::new();
    for a in anchors {
        anchor_set.add(Arc::clone(a), "tongsuo");
    }
    let mut cert_pool = CertPool::new();
    for c in pool {
        cert_pool.add(Arc::clone(c));
    }
    validate::validate(target, Sources::new(&cert_pool, &anchor_set, &[]), options)
}

fn describe(o: &Outcome) -> String {
    format!(
        "{} {:?}: {}",
        o.indication,
        o.sub_indication,
        o.errors
            .iter()
            .map(|e| format!(
                "[{}] {}: {}",
                e.rule,
                e.subject
                    .as_ref()
                    .map(|s| s.label.clone())
                    .unwrap_or_default(),
                e.message
            ))
            .collect::<Vec<_>>()
            .join(" | ")
    )
}

/// Asserts a valid outcome whose path is exactly `expected` (anchor first), with no weak
/// algorithm accepted (the Za signatures verify with the standard ID, no fallback).
fn assert_valid(name: &str, o: &Outcome, expected: &[&Arc<Certificate>]) {
    assert!(o.is_valid(), "{name}: expected valid, got {}", describe(o));
    assert_eq!(o.indication, Indication::TotalPassed, "{name}");
    assert_eq!(o.sub_indication, None, "{name}");
    assert!(
        o.errors.is_empty(),
        "{name}: errors on a valid outcome: {}",
        describe(o)
    );
    let got: Vec<String> = o.path.iter().map(|c| c.fingerprint()).collect();
    let want: Vec<String> = expected.iter().map(|c| c.fingerprint()).collect();
    assert_eq!(
        got,
        want,
        "{name}: path (anchor first) {:?}",
        o.path.iter().map(|c| c.label()).collect::<Vec<_>>()
    );
    assert!(
        o.weaknesses.is_empty(),
        "{name}: unexpected weaknesses {:?}",
        o.weaknesses
    );
}

/// No certificate of these chains carries certificatePolicies, so under RFC 5280 §6.1.3 (e)
/// the valid_policy_tree becomes NULL at the first certificate: the path is still valid
/// (no explicit policy is required) but the user-constrained policy set is empty — what
/// PKITS 4.8.2 (All Certificates No Policies, subpart 1) expects, not {anyPolicy}.
fn assert_no_policies(o: &Outcome, name: &str) {
    assert!(
        o.path
            .iter()
            .all(|c| c.extensions.certificate_policies.is_none()),
        "{name}: a certificate of the path carries certificatePolicies (2.5.29.32)"
    );
    assert_eq!(
        o.user_constrained_policy_set,
        Vec::new(),
        "{name}: user-constrained policy set"
    );
    assert_eq!(
        o.authorities_constrained_policy_set,
        Vec::new(),
        "{name}: authorities-constrained policy set"
    );
}

fn has_rule(o: &Outcome, rule: Rule) -> bool {
    o.errors.iter().any(|e| e.rule == rule)
}

#[test]
fn sm2_leaf_chains_to_example_com_root() {
    let Some(dir) = dir() else { return };
    let (root, middle) = split_bundle(&dir, "sm2-chain-ca.crt");
    assert!(
        root.label().contains("www.example.com"),
        "root is {}",
        root.label()
    );
    assert!(
        middle.label().contains("www.middle.com"),
        "intermediate is {}",
        middle.label()
    );
    let leaf = load_one(&dir, "sm2-leaf.crt");
    let o = run(&leaf, &[&root], &[&middle], &options());
    assert_valid("sm2-leaf", &o, &[&root, &middle, &leaf]);
    assert_no_policies(&o, "sm2-leaf");
    // Requiring an explicit policy makes the policy-less chain fail.
    let mut explicit = options();
    explicit.policy.initial_explicit_policy = true;
    let o = run(&leaf, &[&root], &[&middle], &explicit);
    assert!(
        !o.is_valid(),
        "explicit policy required, but no certificate asserts one"
    );
    assert!(has_rule(&o, Rule::Policy), "{}", describe(&o));

    // Without the intermediate there is no chain.
    let o = run(&leaf, &[&root], &[], &options());
    assert_eq!(o.indication, Indication::Indeterminate, "{}", describe(&o));
    assert_eq!(
        o.sub_indication,
        Some(SubIndication::NoCertificateChainFound),
        "{}",
        describe(&o)
    );
}

#[test]
fn sm2_sign_and_enc_certificates_chain_to_root_ca() {
    let Some(dir) = dir() else { return };
    let (root, sub) = split_bundle(&dir, "sm2_chain-ca.crt");
    assert!(root.label().contains("root ca"), "root is {}", root.label());
    assert!(
        sub.label().contains("sub ca"),
        "intermediate is {}",
        sub.label()
    );
    for name in [
        "sm2_client_sign.crt",
        "sm2_server_sign.crt",
        "sm2_client_enc.crt",
        "sm2_server_enc.crt",
    ] {
        let leaf = load_one(&dir, name);
        let o = run(&leaf, &[&root], &[&sub], &options());
        assert_valid(name, &o, &[&root, &sub, &leaf]);
        assert_no_policies(&o, name);
    }
}

/// The dual-certificate model: a document signer needs digitalSignature or
/// nonRepudiation, which the *sign* certificates have and the *enc* ones lack.
#[test]
fn sm2_document_signing_needs_the_sign_certificate() {
    let Some(dir) = dir() else { return };
    let (root, sub) = split_bundle(&dir, "sm2_chain-ca.crt");
    let mut options = options();
    options.key_usage = KeyUsageRequirement::document_signer();
    for name in ["sm2_client_sign.crt", "sm2_server_sign.crt"] {
        let leaf = load_one(&dir, name);
        let o = run(&leaf, &[&root], &[&sub], &options);
        assert_valid(name, &o, &[&root, &sub, &leaf]);
    }
    for name in ["sm2_client_enc.crt", "sm2_server_enc.crt"] {
        let leaf = load_one(&dir, name);
        let o = run(&leaf, &[&root], &[&sub], &options);
        assert!(
            !o.is_valid(),
            "{name}: an encryption certificate must not pass as a document signer"
        );
        assert!(
            has_rule(&o, Rule::KeyUsage),
            "{name}: expected a key-usage failure, got {}",
            describe(&o)
        );
        assert_eq!(
            o.indication,
            Indication::Indeterminate,
            "{name}: {}",
            describe(&o)
        );
        assert_eq!(
            o.sub_indication,
            Some(SubIndication::ChainConstraintsFailure),
            "{name}: {}",
            describe(&o)
        );
    }
}

#[test]
fn sm2_first_crt_and_self_issued_ee_chain_to_sm2_root() {
    let Some(dir) = dir() else { return };
    let root = load_one(&dir, "sm2-root-cert.pem");
    for name in ["sm2-first-crt.pem", "sm2-cert.pem"] {
        let leaf = load_one(&dir, name);
        let o = run(&leaf, &[&root], &[], &options());
        assert_valid(name, &o, &[&root, &leaf]);
    }
    // sm2-cert has the root's subject but another key and CA:FALSE: it must not be taken
    // for the anchor, and it cannot issue.
    let ee = load_one(&dir, "sm2-cert.pem");
    assert!(ee.is_self_issued() && !ee.is_ca());
    assert_ne!(ee.fingerprint(), root.fingerprint());
    // The root as its own target is trusted directly.
    let o = run(&root, &[&root], &[], &options());
    assert_valid("sm2-root-cert as target", &o, &[&root]);
}

#[test]
fn sm2_noza_signature_fails() {
    let Some(dir) = dir() else { return };
    let root = load_one(&dir, "sm2-noza-root-cert.pem");
    let leaf = load_one(&dir, "sm2-noza-cert.pem");
    let mut fallback = options();
    fallback.algorithms.sm2_empty_id_fallback = true;
    for (label, opts) in [("standard ID", options()), ("empty-ID fallback", fallback)] {
        let o = run(&leaf, &[&root], &[], &opts);
        assert!(!o.is_valid(), "sm2-noza-cert ({label}) must not validate");
        // A certificate signature that does not verify means no chain reaches the anchor
        // (SIG_CRYPTO_FAILURE is for the signed document's own signature value).
        assert_eq!(
            o.indication,
            Indication::Indeterminate,
            "{label}: {}",
            describe(&o)
        );
        assert_eq!(
            o.sub_indication,
            Some(SubIndication::NoCertificateChainFound),
            "{label}: {}",
            describe(&o)
        );
        assert!(
            has_rule(&o, Rule::CertificateSignature),
            "{label}: expected a signature failure, got {}",
            describe(&o)
        );
        assert!(o.weaknesses.is_empty(), "{label}: {:?}", o.weaknesses);
    }
}

#[test]
fn sm2_expired_end_entities_are_out_of_bounds() {
    let Some(dir) = dir() else { return };
    let (root, sub) = split_bundle(&dir, "sm2_chain-ca.crt");
    for name in [
        "sm2_client_sign_expire.crt",
        "sm2_server_sign_expire.crt",
        "sm2_client_enc_expire.crt",
        "sm2_server_enc_expire.crt",
    ] {
        let leaf = load_one(&dir, name);
        let o = run(&leaf, &[&root], &[&sub], &options());
        assert!(!o.is_valid(), "{name}: expired certificate accepted");
        assert_eq!(
            o.indication,
            Indication::Indeterminate,
            "{name}: {}",
            describe(&o)
        );
        assert_eq!(
            o.sub_indication,
            Some(SubIndication::OutOfBoundsNoPoe),
            "{name}: {}",
            describe(&o)
        );
        assert!(
            has_rule(&o, Rule::Validity),
            "{name}: expected a validity failure, got {}",
            describe(&o)
        );

        // Inside its validity window (2000-06-01) the same chain fails only because the CAs
        // did not exist yet — but the expired leaf itself is then in bounds, so the failure
        // must not be attributed to the leaf.
        let mut then = options();
        then.time = parse_time("2000-06-01T00:00:00Z").unwrap();
        let o = run(&leaf, &[&root], &[&sub], &then);
        assert!(!o.is_valid(), "{name} in 2000: the CAs are not yet valid");
        assert!(
            o.errors
                .iter()
                .filter(|e| e.rule == Rule::Validity)
                .all(|e| e.subject.as_ref().map(|s| s.sha256.as_str())
                    != Some(leaf.fingerprint().as_str())),
            "{name} in 2000: the leaf itself is inside its validity: {}",
            describe(&o)
        );
    }
}

#[test]
fn sm2_server_certificates_without_issuer_find_no_chain() {
    let Some(dir) = dir() else { return };
    let (root, sub) = split_bundle(&dir, "sm2_chain-ca.crt");
    for name in ["sm2_server_sign2.crt", "sm2_server_enc2.crt"] {
        let leaf = load_one(&dir, name);
        let o = run(&leaf, &[&root], &[&sub], &options());
        assert!(!o.is_valid(), "{name}: no issuer, yet valid");
        assert_eq!(
            o.indication,
            Indication::Indeterminate,
            "{name}: {}",
            describe(&o)
        );
        assert_eq!(
            o.sub_indication,
            Some(SubIndication::NoCertificateChainFound),
            "{name}: {}",
            describe(&o)
        );
    }
}
