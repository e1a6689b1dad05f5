//! Tests of RFC 5280 §6.3 CRL processing against NIST PKITS (sections 4.4, 4.14, 4.15 and the
//! other revocation-dependent tests), plus focused checks of delta CRLs, removeFromCRL,
//! onlySomeReasons, indirect CRLs and the limits.

use super::*;
use crate::asn1::time::Moment;
use crate::asn1::UnixTime;
use crate::revocation::RevocationMode;
use crate::x509::{Certificate, Crl};
use serde_json::Value;
use std::path::PathBuf;

/// 2011-04-15T00:00:00Z, the PKITS validation time.
const TIME: UnixTime = 1_302_825_600;

struct Pkits {
    dir: PathBuf,
    tests: Vec<Value>,
}

impl Pkits {
    /// The corpus, or `None` (after a loud line) when it is missing; panics when missing under CI.
    fn load() -> Option<Pkits> {
        let dir = crate::test_support::corpora()?.join("pkits");
        let index = dir.join("tests.json");
        let text = std::fs::read_to_string(&index).unwrap();
        let json: Value = serde_json::from_str(&text).unwrap();
        let tests = json["tests"].as_array().unwrap().clone();
        Some(Pkits { dir, tests })
    }

    fn entry(&self, id: &str) -> &Value {
        self.tests
            .iter()
            .find(|t| t["id"] == id)
            .unwrap_or_else(|| panic!("no PKITS test {id}"))
    }

    fn cert(&self, name: &str) -> Arc<Certificate> {
        let der = std::fs::read(self.dir.join("certs").join(name)).unwrap();
        Arc::new(Certificate::from_der(&der).unwrap_or_else(|e| panic!("{name}: {e}")))
    }

    fn crl(&self, name: &str) -> Arc<Crl> {
        let der = std::fs::read(self.dir.join("crls").join(name)).unwrap();
        Arc::new(Crl::from_der(&der, 1_000_000).unwrap_or_else(|e| panic!("{name}: {e}")))
    }

    fn case(&self, id: &str) -> Case {
        let t = self.entry(id);
        let names = |key: &str| -> Vec<String> {
            t[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect()
        };
        Case {
            id: id.to_owned(),
            expected_valid: t["expected"] == "valid",
            certs: names("certs").iter().map(|n| self.cert(n)).collect(),
            path: names("path").iter().map(|n| self.cert(n)).collect(),
            crl_names: names("crls"),
            crls: names("crls").iter().map(|n| self.crl(n)).collect(),
        }
    }
}

struct Case {
    id: String,
    expected_valid: bool,
    certs: Vec<Arc<Certificate>>,
    path: Vec<Arc<Certificate>>,
    crl_names: Vec<String>,
    crls: Vec<Arc<Crl>>,
}

impl Case {
    fn crl_named(&self, name: &str) -> &Arc<Crl> {
        let i = self.crl_names.iter().position(|n| n == name).unwrap();
        &self.crls[i]
    }

    /// The same case with only the CRLs `keep` accepts.
    fn only_crls(&self, keep: impl Fn(&str) -> bool) -> Case {
        let pairs: Vec<(String, Arc<Crl>)> = self
            .crl_names
            .iter()
            .cloned()
            .zip(self.crls.iter().cloned())
            .filter(|(n, _)| keep(n))
            .collect();
        Case {
            id: self.id.clone(),
            expected_valid: self.expected_valid,
            certs: self.certs.clone(),
            path: self.path.clone(),
            crl_names: pairs.iter().map(|(n, _)| n.clone()).collect(),
            crls: pairs.into_iter().map(|(_, c)| c).collect(),
        }
    }

    /// Checks path certificate `i` (1 = the one below the anchor) with the test resolver.
    fn check_with(&self, i: usize, policy: &AlgorithmPolicy, max_crls: usize) -> RevocationOutcome {
        let ctx = RevocationContext {
            moment: &Moment::new(TIME),
            crls: &self.crls,
            algorithms: policy,
            max_crls,
            past: false,
        };
        let mut resolver = TestResolver {
            certs: &self.certs,
            crls: &self.crls,
            depth: 0,
        };
        check_certificate(&self.path[i], &self.path[i - 1], &ctx, &mut resolver)
    }

    fn check(&self, i: usize) -> RevocationOutcome {
        self.check_with(i, &AlgorithmPolicy::default(), 100)
    }

    /// The status of the target (last certificate of the path).
    fn target(&self) -> CertStatus {
        self.check(self.path.len() - 1).status
    }

    /// Every non-anchor certificate of the path.
    fn all(&self) -> Vec<RevocationOutcome> {
        (1..self.path.len()).map(|i| self.check(i)).collect()
    }
}

/// Candidates: every certificate of the test (anchor included) named as the CRL issuer. A
/// candidate other than the anchor must itself not be revoked: its issuer is looked up among
/// the test's certificates (by name and signature) and it is checked with the same CRLs,
/// recursively; from depth 2 on candidates are accepted unchecked (4.14.30's CRL issuer
/// certificate is covered by the CRL it signs).
struct TestResolver<'t> {
    certs: &'t [Arc<Certificate>],
    crls: &'t [Arc<Crl>],
    depth: usize,
}

impl CrlSignerResolver for TestResolver<'_> {
    fn crl_signers(&mut self, crl: &Crl, _cert_issuer: &Certificate) -> Vec<Arc<Certificate>> {
        let policy = AlgorithmPolicy::default();
        let anchor = self.certs[0].sha256;
        let mut out = Vec::new();
        for c in self.certs.iter().filter(|c| c.subject.matches(&crl.issuer)) {
            if c.sha256 == anchor || self.depth >= 2 {
                out.push(Arc::clone(c));
                continue;
            }
            let issuer = self.certs.iter().find(|i| {
                i.sha256 != c.sha256
                    && i.subject.matches(&c.issuer)
                    && crypto::verify_signature(
                        &c.signature_algorithm,
                        &i.public_key,
                        None,
                        c.tbs(),
                        &c.signature,
                        &policy,
                    )
                    .is_ok()
            });
            let Some(issuer) = issuer else { continue };
            let ctx = RevocationContext {
                moment: &Moment::new(TIME),
                crls: self.crls,
                algorithms: &policy,
                max_crls: 100,
                past: false,
            };
            let mut sub = TestResolver {
                certs: self.certs,
                crls: self.crls,
                depth: self.depth + 1,
            };
            if matches!(
                check_certificate(c, issuer, &ctx, &mut sub).status,
                CertStatus::Good { .. }
            ) {
                out.push(Arc::clone(c));
            }
        }
        out
    }

    /// Walks up the test's certificates by name to the nearest DSA parameters.
    fn inherited_dsa_params(&mut self, signer: &Certificate) -> Option<Vec<u8>> {
        let mut current = signer;
        for _ in 0..8 {
            if let Some(p) = crypto::dsa_params(&current.public_key) {
                return Some(p.to_vec());
            }
            current = self
                .certs
                .iter()
                .find(|c| c.sha256 != current.sha256 && c.subject.matches(&current.issuer))?;
        }
        None
    }
}

/// The same candidates, without the DSA parameter hook.
struct NoDsaHook<'t>(TestResolver<'t>);

impl CrlSignerResolver for NoDsaHook<'_> {
    fn crl_signers(&mut self, crl: &Crl, cert_issuer: &Certificate) -> Vec<Arc<Certificate>> {
        self.0.crl_signers(crl, cert_issuer)
    }
}

fn short(status: &CertStatus) -> String {
    match status {
        CertStatus::Good { crls, .. } => format!("Good({} CRLs)", crls.len()),
        CertStatus::Revoked { reason_name, .. } => format!("Revoked({reason_name})"),
        CertStatus::Undetermined { reasons } => format!("Undetermined[{}]", reasons.join(" / ")),
    }
}

fn is_good(s: &CertStatus) -> bool {
    matches!(s, CertStatus::Good { .. })
}

fn undetermined_mentions(s: &CertStatus, needle: &str) -> bool {
    match s {
        CertStatus::Undetermined { reasons } => reasons.iter().any(|r| r.contains(needle)),
        _ => false,
    }
}

/// The tests this module is responsible for: all of 4.4, 4.14 and 4.15 and every other test
/// marked `revocation_dependent`.
fn revocation_ids(p: &Pkits) -> Vec<String> {
    p.tests
        .iter()
        .filter(|t| {
            let section = t["section"].as_str().unwrap_or_default();
            t["revocation_dependent"] == true || ["4.4", "4.14", "4.15"].contains(&section)
        })
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn pkits_revocation_tests_agree() {
    let Some(p) = Pkits::load() else { return };
    let ids = revocation_ids(&p);
    assert_eq!(
        ids.len(),
        73,
        "73 revocation-dependent PKITS entries expected"
    );
    let mut disagreements = Vec::new();
    let (mut valid, mut invalid) = (0, 0);
    for id in &ids {
        let case = p.case(id);
        let outcomes = case.all();
        let got_valid = outcomes.iter().all(|o| is_good(&o.status));
        let detail: Vec<String> = outcomes.iter().map(|o| short(&o.status)).collect();
        let agree = got_valid == case.expected_valid;
        println!(
            "{} {id:8} expected {:7} got {:7} {}",
            if agree { "ok  " } else { "FAIL" },
            if case.expected_valid {
                "valid"
            } else {
                "invalid"
            },
            if got_valid { "valid" } else { "invalid" },
            detail.join(" | ")
        );
        if got_valid {
            valid += 1;
        } else {
            invalid += 1;
        }
        if !agree {
            disagreements.push(id.clone());
        }
    }
    println!(
        "PKITS revocation: {} tests, {valid} valid, {invalid} invalid, {} disagreements",
        ids.len(),
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "disagreements with PKITS: {disagreements:?}"
    );
}

#[test]
fn pkits_invalid_tests_fail_for_the_intended_reason() {
    let Some(p) = Pkits::load() else { return };
    // Revoked: the certificate is listed on a usable CRL.
    for id in [
        "4.4.2", "4.4.3", "4.4.15", "4.4.18", "4.4.20", "4.5.2", "4.5.5", "4.5.7", "4.14.2",
        "4.14.6", "4.14.15", "4.14.16", "4.14.20", "4.14.21", "4.14.23", "4.14.31", "4.14.32",
        "4.14.34", "4.15.3", "4.15.4", "4.15.6", "4.15.9",
    ] {
        let case = p.case(id);
        let statuses: Vec<CertStatus> = case.all().into_iter().map(|o| o.status).collect();
        assert!(
            statuses
                .iter()
                .any(|s| matches!(s, CertStatus::Revoked { .. })),
            "{id}: expected a revoked certificate, got {:?}",
            statuses.iter().map(short).collect::<Vec<_>>()
        );
    }
    // Undetermined, with the reason named.
    for (id, needle) in [
        ("4.4.1", "no CRL issued by"),
        ("4.4.4", "signature not accepted"),
        ("4.4.5", "no CRL issued by"),
        ("4.4.6", "no CRL issued by"),
        ("4.4.8", "unsupported critical extension"),
        ("4.4.9", "unsupported critical extension"),
        ("4.4.10", "unsupported critical extension"),
        ("4.4.11", "CRL expired"),
        ("4.4.12", "CRL expired"),
        ("4.4.21", "cRLSign"),
        ("4.7.4", "cRLSign"),
        ("4.7.5", "cRLSign"),
        ("4.14.3", "issuingDistributionPoint"),
        ("4.14.8", "issuingDistributionPoint"),
        ("4.14.9", "the certificate has no cRLDistributionPoints"),
        ("4.14.11", "onlyContainsUserCerts"),
        ("4.14.12", "onlyContainsCACerts"),
        ("4.14.14", "onlyContainsAttributeCerts"),
        ("4.14.17", "cover only the reasons"),
        ("4.14.27", "indirect"),
        ("4.14.26", "no CRL issued by"),
        ("4.14.35", "no CRL issued by"),
        ("4.15.1", "no complete CRL issued by"),
        ("4.15.10", "CRL expired"),
    ] {
        let case = p.case(id);
        let status = case.target();
        assert!(
            undetermined_mentions(&status, needle),
            "{id}: expected Undetermined mentioning {needle:?}, got {}",
            short(&status)
        );
    }
}

#[test]
fn delta_crl_is_combined_with_its_complete_crl() {
    let Some(p) = Pkits::load() else { return };
    // 4.15.2: not listed anywhere; both CRLs are used.
    let case = p.case("4.15.2");
    let complete = case.crl_named("deltaCRLCA1CRL.crl").fingerprint();
    let delta = case.crl_named("deltaCRLCA1deltaCRL.crl").fingerprint();
    assert_eq!(
        case.target(),
        CertStatus::Good {
            crls: vec![complete.clone(), delta.clone()],
            ocsp: Vec::new(),
        }
    );

    // 4.15.4: revoked only on the delta CRL.
    let case = p.case("4.15.4");
    match case.target() {
        CertStatus::Revoked {
            reason,
            reason_name,
            crl,
            ..
        } => {
            assert_eq!((reason, reason_name.as_ref()), (Some(1), "keyCompromise"));
            assert_eq!(crl, delta);
        }
        other => panic!("4.15.4: {other:?}"),
    }
    // Without the delta, the complete CRL alone says nothing against it.
    let no_delta = case.only_crls(|n| n != "deltaCRLCA1deltaCRL.crl");
    assert_eq!(
        no_delta.target(),
        CertStatus::Good {
            crls: vec![complete],
            ocsp: Vec::new(),
        }
    );

    // 4.15.6: on hold in the complete CRL, keyCompromise in the delta: the delta wins.
    let case = p.case("4.15.6");
    assert!(matches!(
        case.target(),
        CertStatus::Revoked {
            reason: Some(1),
            ..
        }
    ));

    // 4.15.8 / 4.15.9: BaseCRLNumber 1 ≤ complete 2 < delta 3.
    assert!(is_good(&p.case("4.15.8").target()));
    assert!(matches!(
        p.case("4.15.9").target(),
        CertStatus::Revoked { .. }
    ));
}

#[test]
fn delta_crl_alone_or_with_expired_base_is_not_enough() {
    let Some(p) = Pkits::load() else { return };
    // 4.15.1: the issuer published only a delta CRL.
    let status = p.case("4.15.1").target();
    assert!(
        matches!(status, CertStatus::Undetermined { .. }),
        "{status:?}"
    );
    // 4.15.10: the complete CRL expired; a current delta does not rescue it.
    let status = p.case("4.15.10").target();
    assert!(undetermined_mentions(&status, "CRL expired"), "{status:?}");
}

#[test]
fn delta_applicability_rules() {
    let Some(p) = Pkits::load() else { return };
    let ca1 = p.crl("deltaCRLCA1CRL.crl");
    let ca1_delta = p.crl("deltaCRLCA1deltaCRL.crl");
    let ca2_delta = p.crl("deltaCRLCA2deltaCRL.crl");
    let ca3 = p.crl("deltaCRLCA3CRL.crl");
    let ca3_delta = p.crl("deltaCRLCA3deltaCRL.crl");
    assert_eq!(delta_applies(&ca1, &ca1_delta), Ok(()));
    assert!(delta_applies(&ca1, &ca2_delta).is_err(), "different issuer");
    // CA3: BaseCRLNumber 2 > complete number 1.
    assert!(delta_applies(&ca3, &ca3_delta)
        .unwrap_err()
        .contains("BaseCRLNumber"));
    // A complete CRL is not a delta.
    assert!(delta_applies(&ca1, &ca1).is_err());

    assert_eq!(cmp_uint(&[0, 5], &[5]), Ordering::Equal);
    assert_eq!(cmp_uint(&[1, 0], &[0xff]), Ordering::Greater);
    assert_eq!(cmp_uint(&[2], &[3]), Ordering::Less);
}

#[test]
fn serial_numbers_keep_their_sign() {
    assert_eq!(minimal_integer(&[0x00, 0xff]), &[0x00, 0xff]);
    assert_eq!(minimal_integer(&[0xff]), &[0xff]);
    assert_ne!(minimal_integer(&[0x00, 0xff]), minimal_integer(&[0xff]));
    assert_eq!(minimal_integer(&[0x00, 0x00, 0x7f]), &[0x7f]);
    assert_eq!(minimal_integer(&[0xff, 0xff, 0x80]), &[0x80]);
    assert_eq!(minimal_integer(&[0x00]), &[0x00]);
    assert_eq!(minimal_integer(&[]), &[] as &[u8]);
    let Some(p) = Pkits::load() else { return };
    // 4.4.14: serial 00 FF (255) is not the CRL's -1; 4.4.15: serial -1 is.
    assert!(is_good(&p.case("4.4.14").target()));
    assert!(matches!(
        p.case("4.4.15").target(),
        CertStatus::Revoked { .. }
    ));
}

#[test]
fn remove_from_crl_in_delta_unrevokes() {
    let Some(p) = Pkits::load() else { return };
    // 4.15.5: certificateHold in the complete CRL, removeFromCRL in the delta → good.
    let case = p.case("4.15.5");
    assert!(is_good(&case.target()), "{:?}", case.target());
    // Without the delta, the hold is a revocation.
    let no_delta = case.only_crls(|n| n != "deltaCRLCA1deltaCRL.crl");
    match no_delta.target() {
        CertStatus::Revoked {
            reason,
            reason_name,
            ..
        } => {
            assert_eq!((reason, reason_name.as_ref()), (Some(6), "certificateHold"));
        }
        other => panic!("4.15.5 without delta: {other:?}"),
    }
    // 4.15.7: removeFromCRL in the delta for a certificate the complete CRL does not list.
    assert!(is_good(&p.case("4.15.7").target()));
}

#[test]
fn only_some_reasons_partitions() {
    let Some(p) = Pkits::load() else { return };
    // 4.14.15: listed on the CRL for keyCompromise/cACompromise.
    assert!(matches!(
        p.case("4.14.15").target(),
        CertStatus::Revoked {
            reason: Some(1),
            ..
        }
    ));
    // 4.14.16: on hold on the CRL for the other reasons.
    assert!(matches!(
        p.case("4.14.16").target(),
        CertStatus::Revoked {
            reason: Some(6),
            ..
        }
    ));
    // 4.14.17: the two CRLs together do not cover every reason.
    let status = p.case("4.14.17").target();
    assert!(
        undetermined_mentions(&status, "cover only the reasons"),
        "{status:?}"
    );
    // 4.14.18 / 4.14.19: both partitions needed and used.
    for id in ["4.14.18", "4.14.19"] {
        let case = p.case(id);
        match case.target() {
            CertStatus::Good { crls, .. } => assert_eq!(crls.len(), 2, "{id}"),
            other => panic!("{id}: {other:?}"),
        }
        // One partition alone is not enough.
        let one = case.only_crls(|n| !n.contains("otherreasons"));
        assert!(
            undetermined_mentions(&one.target(), "cover only the reasons"),
            "{id}: {:?}",
            one.target()
        );
    }
}

#[test]
fn indirect_crls() {
    let Some(p) = Pkits::load() else { return };
    // 4.14.22: a CA's own CRL marked indirect.
    assert!(is_good(&p.case("4.14.22").target()));
    // 4.14.24 / 25: CA2's certificate covered by CA1's indirect CRL (cRLIssuer).
    for id in ["4.14.24", "4.14.25"] {
        let status = p.case(id).target();
        assert!(is_good(&status), "{id}: {status:?}");
    }
    // 4.14.26: the cRLIssuer (indirectCRL CA1x) published no CRL.
    assert!(undetermined_mentions(
        &p.case("4.14.26").target(),
        "no CRL issued by"
    ));
    // 4.14.34: listed in CA5's CRL (an indirect CRL that also covers CA5's own certificates).
    assert!(matches!(
        p.case("4.14.34").target(),
        CertStatus::Revoked { .. }
    ));
    // 4.14.27: the cRLIssuer's CRL is not marked indirect.
    assert!(undetermined_mentions(
        &p.case("4.14.27").target(),
        "indirect"
    ));
    // 4.14.28–30: separate CRL issuers, including nameRelativeToCRLIssuer (29) and a CRL
    // issuer whose own certificate is covered by the CRL it signs (30).
    for id in ["4.14.28", "4.14.29", "4.14.30", "4.14.33"] {
        let status = p.case(id).target();
        assert!(is_good(&status), "{id}: {status:?}");
    }
    // 4.14.31 / 32: revoked in CA5's indirect CRL for CA6.
    for id in ["4.14.31", "4.14.32"] {
        assert!(
            matches!(p.case(id).target(), CertStatus::Revoked { .. }),
            "{id}"
        );
    }
    // Without the CRL issuer's certificate, the indirect CRL cannot be verified.
    let case = p.case("4.14.24");
    let ctx = RevocationContext {
        moment: &Moment::new(TIME),
        crls: &case.crls,
        algorithms: &AlgorithmPolicy::default(),
        max_crls: 100,
        past: false,
    };
    let only_path: Vec<Arc<Certificate>> = case.path.clone();
    let mut resolver = TestResolver {
        certs: &only_path,
        crls: &case.crls,
        depth: 0,
    };
    let status = check_certificate(&case.path[2], &case.path[1], &ctx, &mut resolver).status;
    assert!(
        undetermined_mentions(&status, "no trusted certificate"),
        "{status:?}"
    );
}

#[test]
fn crl_signer_needs_crl_sign_and_a_valid_path() {
    let Some(p) = Pkits::load() else { return };
    // 4.4.19: the CRL is signed by a separate key of the same name; AKI/SKI picks it.
    assert!(is_good(&p.case("4.4.19").target()));
    // 4.4.21: that separate CRL signing certificate is itself revoked, so the resolver does not
    // offer it; the CA's own certificate (keyCertSign only) cannot sign CRLs.
    let case = p.case("4.4.21");
    assert!(undetermined_mentions(&case.target(), "cRLSign"));
    // A resolver that skips the signer's revocation check accepts it: that is the only cause.
    let ctx = RevocationContext {
        moment: &Moment::new(TIME),
        crls: &case.crls,
        algorithms: &AlgorithmPolicy::default(),
        max_crls: 100,
        past: false,
    };
    let mut lax = TestResolver {
        certs: &case.certs,
        crls: &case.crls,
        depth: 2,
    };
    assert!(is_good(
        &check_certificate(&case.path[2], &case.path[1], &ctx, &mut lax).status
    ));
    // 4.7.4: the CA's keyUsage lacks cRLSign.
    assert!(undetermined_mentions(&p.case("4.7.4").target(), "cRLSign"));
    // 4.5.6: self-issued CRL signing certificate.
    assert!(is_good(&p.case("4.5.6").target()));
}

#[test]
fn limits_and_weaknesses() {
    let Some(p) = Pkits::load() else { return };
    let case = p.case("4.4.7");
    // No CRL may be examined.
    let out = case.check_with(2, &AlgorithmPolicy::default(), 0);
    assert!(
        undetermined_mentions(&out.status, "Limits::max_crls"),
        "{:?}",
        out.status
    );
    // One is enough here (the other is from another issuer and is not counted).
    let out = case.check_with(2, &AlgorithmPolicy::default(), 1);
    assert!(is_good(&out.status), "{:?}", out.status);
    assert!(out.weaknesses.is_empty());
    // 4.15.4 lists the certificate only in the delta: if the delta may not be examined, the
    // complete CRL alone must not make it Good.
    let case = p.case("4.15.4");
    let out = case.check_with(2, &AlgorithmPolicy::default(), 1);
    assert!(
        undetermined_mentions(&out.status, "Limits::max_crls"),
        "{:?}",
        out.status
    );
    let case = p.case("4.4.7");
    // A policy that calls RSA-2048 weak reports it for the CRL used.
    let picky = AlgorithmPolicy {
        weak_rsa_bits: 3072,
        ..AlgorithmPolicy::default()
    };
    let out = case.check_with(2, &picky, 100);
    assert!(is_good(&out.status));
    assert_eq!(out.weaknesses, vec![Weakness::ShortRsaKey { bits: 2048 }]);
    // A policy that rejects the key makes the CRL unusable.
    let strict = AlgorithmPolicy {
        min_rsa_bits: 3072,
        ..AlgorithmPolicy::default()
    };
    let out = case.check_with(2, &strict, 100);
    assert!(
        undetermined_mentions(&out.status, "rejected by policy"),
        "{:?}",
        out.status
    );
}

#[test]
fn crl_order_is_deterministic() {
    let Some(p) = Pkits::load() else { return };
    let case = p.case("4.14.18");
    let a = case.target();
    let b = case.target();
    assert_eq!(a, b);
    let mut reversed = case.only_crls(|_| true);
    reversed.crls.reverse();
    reversed.crl_names.reverse();
    match (a, reversed.target()) {
        (CertStatus::Good { crls: x, .. }, CertStatus::Good { crls: mut y, .. }) => {
            assert_ne!(x, y, "order of use follows the order given");
            y.reverse();
            assert_eq!(x, y);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn revocation_mode_names() {
    assert_eq!(RevocationMode::default(), RevocationMode::Prefer);
    assert_eq!(
        "require".parse::<RevocationMode>(),
        Ok(RevocationMode::Require)
    );
    assert_eq!(
        " Prefer ".parse::<RevocationMode>(),
        Ok(RevocationMode::Prefer)
    );
    assert_eq!("OFF".parse::<RevocationMode>(), Ok(RevocationMode::Off));
    assert!("sometimes".parse::<RevocationMode>().is_err());
    assert_eq!(
        serde_json::to_string(&RevocationMode::Require).unwrap(),
        "\"require\""
    );
    assert_eq!(
        serde_json::from_str::<RevocationMode>("\"off\"").unwrap(),
        RevocationMode::Off
    );
    assert_eq!(RevocationMode::Prefer.to_string(), "prefer");
    assert_eq!(reason_name(None), "unspecified");
    assert_eq!(reason_name(Some(6)), "certificateHold");
    assert_eq!(reason_flag_names(ALL_REASONS).len(), 8);
}

#[test]
fn dsa_crl_signer_with_inherited_parameters() {
    let Some(p) = Pkits::load() else { return };
    // 4.1.5: DSAParametersInheritedCACert has no DSA parameters and signs its CRL; they come
    // from DSACACert through the resolver.
    let case = p.case("4.1.5");
    for (i, o) in case.all().iter().enumerate() {
        assert!(
            is_good(&o.status),
            "4.1.5 certificate {}: {:?}",
            i + 1,
            o.status
        );
    }
    let ee = case.check(3);
    assert!(
        ee.weaknesses.contains(&Weakness::Dsa),
        "{:?}",
        ee.weaknesses
    );
    // Without the hook, the issuer passed in (the same parameter-less CA) cannot supply them.
    let ctx = RevocationContext {
        moment: &Moment::new(TIME),
        crls: &case.crls,
        algorithms: &AlgorithmPolicy::default(),
        max_crls: 100,
        past: false,
    };
    let mut resolver = NoDsaHook(TestResolver {
        certs: &case.certs,
        crls: &case.crls,
        depth: 0,
    });
    let status = check_certificate(&case.path[3], &case.path[2], &ctx, &mut resolver).status;
    assert!(undetermined_mentions(&status, "inherited"), "{status:?}");
    // The first-level fallback works: DSACACert (with parameters) is the issuer of 4.1.4's EE.
    let case = p.case("4.1.4");
    assert!(is_good(&case.target()));
}
