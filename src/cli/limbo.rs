//! x509-limbo harness: runs the suite's test cases through [`crate::validate`] and
//! produces the harness result format (`{"version":1,"harness":…,"results":[…]}`).
//!
//! Mapping of a test case onto sigbridge's options: `trusted_certs` → anchors (store
//! `limbo`), `untrusted_intermediates` → pool, `crls` → CRLs with revocation `require`
//! (revocation `off` when the case has none), `validation_time` (or now), `key_usage`,
//! `extended_key_usage`, the expected peer name(s), and `max_chain_depth` as the maximum
//! number of logical (non-self-issued) intermediates.

use serde::{Deserialize, Serialize};
use sigbridge::asn1::{parse_time, Oid};
use sigbridge::limits::Limits;
use sigbridge::path::{AnchorSet, CertPool};
use sigbridge::revocation::RevocationMode;
use sigbridge::validate::peer_name::{parse_peer_name, PeerName};
use sigbridge::validate::{self, KeyUsageRequirement, Options, Sources};
use sigbridge::x509::{Certificate, Crl};
use std::sync::Arc;

/// The suite file (`limbo.json`) or any subset with the same shape.
#[derive(Debug, Deserialize)]
pub struct Suite {
    /// Format version (1).
    #[allow(dead_code)] // read by the harness tests (tests/limbo.rs), not by the CLI
    pub version: u32,
    /// The cases.
    pub testcases: Vec<Testcase>,
}

/// A name the peer must present.
#[derive(Debug, Clone, Deserialize)]
pub struct LimboPeerName {
    /// `DNS`, `IP` or `RFC822`.
    pub kind: String,
    /// The name.
    pub value: String,
}

/// One x509-limbo test case (fields sigbridge reads; `null` lists are empty).
#[derive(Debug, Clone, Deserialize)]
pub struct Testcase {
    /// Unique id.
    pub id: String,
    /// Optional behaviours exercised.
    #[serde(default)]
    pub features: Option<Vec<String>>,
    /// `SERVER` or `CLIENT`.
    #[serde(default)]
    pub validation_kind: Option<String>,
    /// Anchors (PEM).
    #[serde(default)]
    pub trusted_certs: Option<Vec<String>>,
    /// Pool (PEM).
    #[serde(default)]
    pub untrusted_intermediates: Option<Vec<String>>,
    /// The end entity (PEM).
    pub peer_certificate: String,
    /// RFC 3339, or null for now.
    #[serde(default)]
    pub validation_time: Option<String>,
    /// Required leaf key usage bits.
    #[serde(default)]
    pub key_usage: Option<Vec<String>>,
    /// Required EKUs (names or dotted OIDs).
    #[serde(default)]
    pub extended_key_usage: Option<Vec<String>>,
    /// SERVER: the name to match.
    #[serde(default)]
    pub expected_peer_name: Option<LimboPeerName>,
    /// CLIENT: names to match.
    #[serde(default)]
    pub expected_peer_names: Option<Vec<LimboPeerName>>,
    /// Max logical intermediates.
    #[serde(default)]
    pub max_chain_depth: Option<u64>,
    /// CRLs (PEM).
    #[serde(default)]
    pub crls: Option<Vec<String>>,
    /// `SUCCESS` or `FAILURE` (not used to compute the result).
    #[serde(default)]
    #[allow(dead_code)] // read by the harness tests (tests/limbo.rs), not by the CLI
    pub expected_result: Option<String>,
}

/// The harness output.
#[derive(Debug, Serialize, Deserialize)]
pub struct Results {
    /// 1.
    #[allow(dead_code)] // read by the harness tests (tests/limbo.rs), not by the CLI
    pub version: u32,
    /// `sigbridge-<version>`.
    pub harness: String,
    /// One per case, in input order.
    pub results: Vec<CaseResult>,
}

/// One case's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseResult {
    /// The case id.
    pub id: String,
    /// `SUCCESS`, `FAILURE` or `SKIPPED`.
    pub actual_result: String,
    /// Why (the first failure, or the skip reason).
    pub context: Option<String>,
}

/// Features sigbridge does not claim, with the reason given in `context`.
const UNCLAIMED: &[(&str, &str)] = &[
    (
        "pedantic-webpki-eku",
        "CA/Browser Forum EKU rules for TLS servers; sigbridge verifies document signers, whose EKU rules are the caller's --eku",
    ),
    (
        "pedantic-webpki-subscriber-key",
        "CA/Browser Forum subscriber key rules for TLS servers; sigbridge's algorithm policy is configuration (AlgorithmPolicy)",
    ),
    (
        "pedantic-rfc5280",
        "pedantic RFC 5280 issuance rule on trust anchors (AKI on a cross-signed root); real Hongkong Post and GDCA roots break such rules, so sigbridge exempts anchors",
    ),
    (
        "pedantic-public-suffix-wildcard",
        "needs the Public Suffix List, which sigbridge does not ship (no TLS use)",
    ),
];

fn eku_oid(name: &str) -> Option<Oid> {
    let dotted = match name {
        "anyExtendedKeyUsage" => "2.5.29.37.0",
        "serverAuth" => "1.3.6.1.5.5.7.3.1",
        "clientAuth" => "1.3.6.1.5.5.7.3.2",
        "codeSigning" => "1.3.6.1.5.5.7.3.3",
        "emailProtection" => "1.3.6.1.5.5.7.3.4",
        "timeStamping" => "1.3.6.1.5.5.7.3.8",
        "OCSPSigning" => "1.3.6.1.5.5.7.3.9",
        other => other,
    };
    Oid::from_dotted(dotted)
}

fn certs(pems: &[String], limits: &Limits, what: &str) -> Result<Vec<Arc<Certificate>>, String> {
    let mut out = Vec::new();
    for (i, pem) in pems.iter().enumerate() {
        let list = sigbridge::x509::certificates_from_bytes(
            pem.as_bytes(),
            &format!("{what} #{}", i + 1),
            limits,
        )
        .map_err(|e| e.to_string())?;
        out.extend(list.into_iter().map(Arc::new));
    }
    Ok(out)
}

/// Runs one case.
pub fn run_case(case: &Testcase) -> CaseResult {
    let result = |actual: &str, context: String| CaseResult {
        id: case.id.clone(),
        actual_result: actual.to_string(),
        context: Some(context),
    };
    for f in case.features.iter().flatten() {
        if let Some((_, why)) = UNCLAIMED.iter().find(|(name, _)| name == f) {
            return result("SKIPPED", format!("feature {f} not claimed: {why}"));
        }
    }
    match evaluate(case) {
        Ok(Ok(())) => result("SUCCESS", "valid".to_string()),
        Ok(Err(why)) | Err(why) => result("FAILURE", why),
    }
}

fn evaluate(case: &Testcase) -> Result<Result<(), String>, String> {
    let limits = Limits::default();
    let time = match &case.validation_time {
        Some(t) => parse_time(t).ok_or_else(|| format!("bad validation_time {t}"))?,
        None => time::OffsetDateTime::now_utc().unix_timestamp(),
    };
    let mut anchors = AnchorSet::new();
    for c in certs(
        case.trusted_certs.as_deref().unwrap_or_default(),
        &limits,
        "trusted certificate",
    )? {
        anchors.add(c, "limbo");
    }
    let mut pool = CertPool::new();
    for c in certs(
        case.untrusted_intermediates.as_deref().unwrap_or_default(),
        &limits,
        "intermediate",
    )? {
        pool.add(c);
    }
    let target = certs(
        std::slice::from_ref(&case.peer_certificate),
        &limits,
        "peer certificate",
    )?
    .into_iter()
    .next()
    .ok_or("no peer certificate")?;
    let mut crls: Vec<Arc<Crl>> = Vec::new();
    for (i, pem) in case.crls.iter().flatten().enumerate() {
        let list =
            sigbridge::x509::crls_from_bytes(pem.as_bytes(), &format!("CRL #{}", i + 1), &limits)
                .map_err(|e| e.to_string())?;
        crls.extend(list.into_iter().map(Arc::new));
    }
    let mut options = Options::at(time);
    options.revocation = if crls.is_empty() {
        RevocationMode::Off
    } else {
        RevocationMode::Require
    };
    let mut all_of = 0u16;
    for ku in case.key_usage.iter().flatten() {
        all_of |= sigbridge::x509::ext::KeyUsage::bit_for_name(ku)
            .ok_or_else(|| format!("unknown key usage {ku}"))?;
    }
    options.key_usage = KeyUsageRequirement { all_of, any_of: 0 };
    for eku in case.extended_key_usage.iter().flatten() {
        options
            .extended_key_usage
            .push(eku_oid(eku).ok_or_else(|| format!("unknown EKU {eku}"))?);
    }
    let rfc_only = case
        .features
        .iter()
        .flatten()
        .any(|f| f == "rfc5280-incompatible-with-webpki");
    if case.validation_kind.as_deref() == Some("SERVER") && !rfc_only {
        options.profile = sigbridge::validate::profile::Profile::WebPki;
        // A TLS server certificate: serverAuth is implied, and an intermediate's
        // extendedKeyUsage (when present) constrains the chain (BetterTLS pathbuilding).
        options.eku_on_intermediates = true;
        // The Web PKI accepts neither SHA-1 nor DSA nor RSA below 2048 bits.
        options.algorithms = sigbridge::crypto::AlgorithmPolicy::strict();
        if options.extended_key_usage.is_empty() {
            options.extended_key_usage.extend(eku_oid("serverAuth"));
        }
    }
    let mut names: Vec<PeerName> = Vec::new();
    let wanted = case
        .expected_peer_name
        .iter()
        .chain(case.expected_peer_names.iter().flatten());
    for n in wanted {
        match parse_peer_name(&n.kind, &n.value) {
            Ok(p) => names.push(p),
            Err(e) => return Ok(Err(format!("expected peer name rejected: {e}"))),
        }
    }
    options.peer_names = names;
    options.max_intermediates = case
        .max_chain_depth
        .map(|d| usize::try_from(d).unwrap_or(usize::MAX));
    let outcome = validate::validate(&target, Sources::new(&pool, &anchors, &crls), &options);
    if outcome.is_valid() {
        Ok(Ok(()))
    } else {
        let msg = outcome
            .errors
            .iter()
            .map(|e| {
                format!(
                    "[{}] {}: {}",
                    e.rule,
                    e.subject
                        .as_ref()
                        .map(|s| s.label.clone())
                        .unwrap_or_default(),
                    e.message
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        Ok(Err(format!(
            "{} {}: {msg}",
            outcome.indication,
            outcome.sub_indication.map(|s| s.as_str()).unwrap_or("")
        )))
    }
}

/// Runs a whole suite given as JSON.
pub fn run_suite(json: &[u8]) -> Result<Results, serde_json::Error> {
    let suite: Suite = serde_json::from_slice(json)?;
    Ok(Results {
        version: 1,
        harness: format!("sigbridge-{}", env!("CARGO_PKG_VERSION")),
        results: suite.testcases.iter().map(run_case).collect(),
    })
}
