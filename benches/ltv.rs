//! Long-term-validation benchmark (see `benches/README.md`, section "ltv"): a timestamped
//! signer with an embedded OCSP response (fixtures/ltv/docs/valid-timestamped-ocsp.p7m:
//! RSA-2048 signer, signature timestamp from the demo TSA, a good OCSP response from the
//! delegated responder carried as RFC 5940 `other` revocation info), validated at
//! 2030-06-01 with revocation required.
//!
//! Measured in one run, interleaved (`support/timing.rs`):
//! - `sigbridge-warm`: `Verifier::verify` of the document with the verifier's caches warm
//!   (the CA chain, the TSA's path, CRL signatures cached from earlier calls);
//! - `raw-crypto`: the three signature checks a warm verification cannot take from a cache
//!   on a new document — the document's signature (signer key over its signed attributes),
//!   the token's (TSA key over its signed attributes), the OCSP response's (responder key
//!   over tbsResponseData) — with `sigbridge::crypto`, on objects parsed beforehand.
//!
//! And the peer, timed per call: `openssl ts -verify` of the same token against the same
//! signature value (a process per call, so it is reported as is, not as a ratio target).
//!
//! Target (issue 10): sigbridge-warm ≤ 1.3 × raw-crypto. Without `--bench` (as
//! `cargo test --benches` runs it) it checks the set-up and runs each side a few times.

mod support;

use sigbridge::asn1::parse_time;
use sigbridge::crypto::{self, DigestAlgorithm};
use sigbridge::document::cms::{self, SignedData, SignerInfo};
use sigbridge::document::timestamp::TimestampToken;
use sigbridge::revocation::ocsp::OcspResponse;
use sigbridge::revocation::RevocationMode;
use sigbridge::verdict::Indication;
use sigbridge::x509::{certificates_from_file, crls_from_file, Certificate};
use sigbridge::{Limits, Verifier};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::mode::Mode;
use support::timing::{medians, micros};

const TARGET_WARM_VS_RAW: f64 = 1.3;
const MEDIAN_BUDGET: Duration = Duration::from_millis(1500);
const OPENSSL_RUNS: usize = 30;

fn ltv() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/ltv")
}

fn certs(name: &str) -> Vec<Arc<Certificate>> {
    certificates_from_file(&ltv().join("pki").join(name), &Limits::default())
        .expect("fixture certificate")
        .into_iter()
        .map(Arc::new)
        .collect()
}

fn verifier() -> Verifier {
    let mut crls = Vec::new();
    for f in ["ltv-root.crl", "ltv-ca.crl"] {
        crls.extend(
            crls_from_file(&ltv().join("pki").join(f), &Limits::default())
                .expect("fixture CRL")
                .into_iter()
                .map(Arc::new),
        );
    }
    Verifier::builder()
        .anchors(certs("ltv-root.pem"))
        .certificates(certs("ltv-ca.pem"))
        .certificates(certs("tsa.pem"))
        .crls(crls)
        .revocation(RevocationMode::Require)
        .validation_time(Some(parse_time("2030-06-01T00:00:00Z").expect("time")))
        .build()
}

/// The three signatures, parsed beforehand.
struct Raw {
    sd: SignedData,
    signer_cert: Arc<Certificate>,
    token: TimestampToken,
    tsa_cert: Arc<Certificate>,
    ocsp: OcspResponse,
    responder: Arc<Certificate>,
}

fn signer_check(si: &SignerInfo, cert: &Certificate) -> bool {
    let Some(attrs) = &si.signed_attrs else {
        return false;
    };
    crypto::verify_signature_with_digest(
        &si.signature_algorithm,
        DigestAlgorithm::from_oid(&si.digest_algorithm.oid),
        &cert.public_key,
        None,
        &attrs.der_for_signature,
        &si.signature,
        &Default::default(),
    )
    .is_ok()
}

impl Raw {
    fn new(doc: &[u8]) -> Raw {
        let limits = Limits::default();
        let sd = cms::parse(doc, &limits).expect("the fixture parses");
        let si = sd.signers.first().expect("one signer");
        let ev = cms::evidence(si, &limits);
        let token_der = ev
            .signature_timestamps
            .first()
            .expect("a signature timestamp");
        let token = TimestampToken::from_der(token_der, &limits).expect("token");
        let ocsp_der = std::fs::read(ltv().join("ocsp/valid-good.ocsp")).expect("OCSP file");
        let ocsp = OcspResponse::from_der(&ocsp_der, &limits).expect("OCSP");
        let signer_cert = certs("valid.pem").remove(0);
        let tsa_cert = certs("tsa.pem").remove(0);
        let responder = certs("ocsp-responder.pem").remove(0);
        Raw {
            sd,
            signer_cert,
            token,
            tsa_cert,
            ocsp,
            responder,
        }
    }

    fn check(&self) -> bool {
        let doc = self
            .sd
            .signers
            .first()
            .is_some_and(|si| signer_check(si, &self.signer_cert));
        let tok = self
            .token
            .signed_data
            .signers
            .first()
            .is_some_and(|si| signer_check(si, &self.tsa_cert));
        let ocsp = self.ocsp.basic.as_ref().is_some_and(|b| {
            crypto::verify_signature(
                &b.signature_algorithm,
                &self.responder.public_key,
                None,
                self.ocsp.tbs(),
                &b.signature,
                &Default::default(),
            )
            .is_ok()
        });
        doc && tok && ocsp
    }
}

/// `openssl ts -verify` of the token over the signature value it stamps, per call.
fn openssl_ts(dir: &Path, runs: usize) -> Option<Duration> {
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let out = Command::new("openssl")
            .args([
                "ts",
                "-verify",
                "-token_in",
                "-in",
                "token.tst",
                "-data",
                "sig.bin",
            ])
            .args(["-CAfile", "root.pem", "-untrusted", "tsa.pem"])
            .current_dir(dir)
            .output()
            .ok()?;
        times.push(start.elapsed());
        if !out.status.success() {
            eprintln!(
                "ltv: openssl ts -verify failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            return None;
        }
    }
    times.sort();
    times.get(times.len() / 2).copied()
}

fn peer_dir(raw: &Raw) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sigbridge-bench-ltv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let si = raw.sd.signers.first().expect("signer");
    std::fs::write(dir.join("sig.bin"), &si.signature).expect("write");
    std::fs::write(dir.join("token.tst"), &raw.token.der).expect("write");
    std::fs::copy(ltv().join("pki/ltv-root.pem"), dir.join("root.pem")).expect("copy");
    let mut untrusted = std::fs::read(ltv().join("pki/tsa.pem")).expect("read");
    untrusted.extend(std::fs::read(ltv().join("pki/ltv-ca.pem")).expect("read"));
    std::fs::write(dir.join("tsa.pem"), untrusted).expect("write");
    dir
}

fn main() {
    let mode = Mode::from_args();
    if !mode.wants("ltv") {
        return;
    }
    let doc = std::fs::read(ltv().join("docs/valid-timestamped-ocsp.p7m")).expect("fixture");
    let v = verifier();
    let report = v.verify(&doc, None).expect("verifies");
    assert_eq!(
        report.indication,
        Indication::TotalPassed,
        "set-up: not valid"
    );
    let raw = Raw::new(&doc);
    assert!(raw.check(), "set-up: a raw signature check failed");
    let dir = peer_dir(&raw);
    if mode.quick {
        for _ in 0..3 {
            assert!(v.verify(&doc, None).is_ok() && raw.check());
        }
        let peer = openssl_ts(&dir, 1);
        let _ = std::fs::remove_dir_all(&dir);
        assert!(peer.is_some(), "openssl ts -verify failed");
        println!("ltv: quick mode, set-up checked");
        return;
    }
    let mut warm = || {
        black_box(v.verify(black_box(&doc), None).map(|r| r.indication).ok());
    };
    let mut crypto_only = || {
        black_box(raw.check());
    };
    let m = medians(MEDIAN_BUDGET, &mut [&mut warm, &mut crypto_only]);
    let (w, r) = (m[0], m[1]);
    let peer = openssl_ts(&dir, OPENSSL_RUNS);
    let _ = std::fs::remove_dir_all(&dir);
    // What one warm call still computes: signature checks and sub-paths not from a cache.
    let before = v.cache_stats();
    let _ = v.verify(&doc, None);
    let after = v.cache_stats();
    let sig_misses = after.signatures.misses - before.signatures.misses;
    let sig_hits = after.signatures.hits - before.signatures.hits;
    let ratio = w.as_secs_f64() / r.as_secs_f64();
    println!();
    println!("ltv (timestamped signer, embedded OCSP, warm):");
    println!("  sigbridge-warm verify          {:>10.1} µs", micros(w));
    println!("  raw crypto (doc + token + OCSP) {:>9.1} µs", micros(r));
    println!(
        "  ratio warm / raw                {ratio:>10.2}  (target ≤ {TARGET_WARM_VS_RAW}) {}",
        if ratio <= TARGET_WARM_VS_RAW {
            "met"
        } else {
            "NOT MET"
        }
    );
    println!("  one warm call: {sig_misses} signature checks computed, {sig_hits} from the cache");
    match peer {
        Some(p) => println!(
            "  openssl ts -verify (process)    {:>10.1} µs per call (median of {OPENSSL_RUNS})",
            micros(p)
        ),
        None => println!("  openssl ts -verify: not available"),
    }
}
