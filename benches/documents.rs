//! Document-verification benchmark (see `benches/README.md`, section "documents").
//!
//! For RSA-2048, ECDSA P-256 and SM2 it makes a root → intermediate → leaf chain with the
//! `openssl` command line, K more leaves under the same intermediate and one detached 1 KB
//! document per leaf, then measures in one run:
//! - `doc-<alg>`: sigbridge cold (caches cleared before each document), sigbridge warm (CA
//!   chain cached, a new signer each document), OpenSSL's `CMS_verify` in-process, and the
//!   floor (parsing + the two raw signature checks);
//! - `content-1mb` / `content-1gib`: the release `sigbridge verify` binary on a large detached
//!   content against `sha256sum` of the same file (throughput, peak RSS);
//! - `batch`: `sigbridge batch --jobs 1` against `--jobs 2`;
//! - `batch-<alg>`: 1,000 documents of one algorithm (20 signers) through `batch --jobs 1` and
//!   `--jobs 2`, against one raw verification and OpenSSL's `CMS_verify` per document;
//! - `cli-startup`: one `sigbridge verify` process against one `openssl cms -verify`.
//!
//! Ratios are taken between medians measured in the same run with the functions interleaved
//! (`support/timing.rs`), so load from other processes hits both sides alike.

mod support;

use criterion::Criterion;
use sigbridge::asn1::format_time;
use sigbridge::crypto::{self, DigestAlgorithm};
use sigbridge::document::cms::{self, SignedData};
use sigbridge::revocation::RevocationMode;
use sigbridge::verdict::Indication;
use sigbridge::verify::{Verifier, VerifyError};
use sigbridge::x509::{AlgorithmIdentifier, Certificate, Oid};
use sigbridge::Limits;
use sm2::pkcs8::DecodePrivateKey;
use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use support::chains::{self, Alg, TempDir, SM2_ID};
use support::child::{self, Run};
use support::mode::Mode;
use support::openssl::{CmsVerifier, OpenSsl};
use support::sm2_cms;
use support::timing::{medians_custom, micros};

/// Documents (leaves) per algorithm; `SIGBRIDGE_BENCH_DOCS` overrides.
const DOCS: usize = 64;
/// Documents per algorithm in test mode.
const DOCS_QUICK: usize = 4;
/// Size of each document's content.
const CONTENT_LEN: usize = 1024;
/// How long each of our own medians may take.
const MEDIAN_BUDGET: Duration = Duration::from_millis(400);
/// Documents in the `batch` folder (test mode: a few).
const BATCH_DOCS: usize = 400;
const BATCH_DOCS_QUICK: usize = 12;
/// Runs of each command in `batch`.
const BATCH_RUNS: usize = 5;
/// Runs of each command in `cli-startup`.
const STARTUP_RUNS: usize = 50;
/// 1 MiB, the block the large contents are made of.
const MIB: usize = 1 << 20;

// Targets (issue 5 item 5).
const TARGET_COLD_RSA_VS_OPENSSL: f64 = 0.5;
const TARGET_WARM_VS_OPENSSL: f64 = 0.17;
const TARGET_WARM_VS_RAW_PARSE: f64 = 1.5;
const TARGET_SM2_WARM_VS_TWO_RAW: f64 = 1.2;
const TARGET_CONTENT_VS_SHA256SUM: f64 = 0.9;
const TARGET_PEAK_RSS: u64 = 32 * MIB as u64;
const TARGET_BATCH_SCALING: f64 = 1.8;
const TARGET_STARTUP: Duration = Duration::from_millis(10);

/// SplitMix64: random-looking content without a `rand` dependency.
struct Rng(u64);

impl Rng {
    fn seeded() -> Rng {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Rng(nanos ^ u64::from(std::process::id()).rotate_left(32))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut v = vec![0u8; n];
        for chunk in v.chunks_mut(8) {
            let r = self.next().to_le_bytes();
            chunk.copy_from_slice(&r[..chunk.len()]);
        }
        v
    }
}

/// `f(0..count)` on two threads, results in order.
fn par_map<T: Send>(count: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|w| {
                let f = &f;
                s.spawn(move || (w..count).step_by(2).map(|i| (i, f(i))).collect::<Vec<_>>())
            })
            .collect();
        let mut all: Vec<(usize, T)> = workers
            .into_iter()
            .flat_map(|h| h.join().expect("worker thread"))
            .collect();
        all.sort_by_key(|(i, _)| *i);
        all.into_iter().map(|(_, t)| t).collect()
    })
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn path_arg(p: &Path) -> String {
    p.display().to_string()
}

/// `openssl cms -sign` of `content` by `signer` (key `key`), carrying `chain`, detached, DER.
fn openssl_sign(dir: &Path, content: &Path, signer: &Path, key: &Path, chain: &Path, out: &Path) {
    let mut args = strings(&["cms", "-sign", "-binary", "-md", "sha256"]);
    for (flag, p) in [
        ("-in", content),
        ("-signer", signer),
        ("-inkey", key),
        ("-certfile", chain),
        ("-out", out),
    ] {
        args.push(flag.into());
        args.push(path_arg(p));
    }
    args.extend(strings(&["-outform", "DER"]));
    chains::run_openssl(dir, &args);
}

/// One detached document: the SignedData (DER) and its content, in memory and on disk.
struct Doc {
    der: Vec<u8>,
    content: Vec<u8>,
    p7s: PathBuf,
    content_path: PathBuf,
}

/// One algorithm's chain, K documents, a verifier, and the documents parsed once.
struct Fixture {
    alg: Alg,
    dir: PathBuf,
    signer: Signer,
    root: Arc<Certificate>,
    intermediate: Arc<Certificate>,
    docs: Vec<Doc>,
    verifier: Verifier,
    parsed: Vec<(SignedData, Arc<Certificate>)>,
    cms_limits: Limits,
    /// SM2-with-SM3, the algorithm the SignerInfo's "SM2-1" OID names (as `cms` maps it).
    sm2_with_sm3: AlgorithmIdentifier,
}

/// Signs detached documents with a chain's leaves (OpenSSL for RSA and P-256, the
/// `sm2_cms` builder for SM2).
struct Signer {
    alg: Alg,
    dir: PathBuf,
    leaves: Vec<PathBuf>,
    intermediate: Vec<u8>,
    time: i64,
}

impl Signer {
    /// One document per `(leaf index, content)`, written to `out` as `<prefix>-<i>.bin` and
    /// `<prefix>-<i>.bin.p7s`.
    fn sign(&self, out: &Path, prefix: &str, jobs: &[(usize, Vec<u8>)]) -> Vec<Doc> {
        let write = |i: usize, content: &[u8]| {
            let content_path = out.join(format!("{prefix}-{i}.bin"));
            std::fs::write(&content_path, content).expect("write content");
            let p7s = out.join(format!("{prefix}-{i}.bin.p7s"));
            (content_path, p7s)
        };
        match self.alg {
            Alg::Rsa2048 | Alg::P256 => par_map(jobs.len(), |i| {
                let (leaf, content) = &jobs[i];
                let (content_path, p7s) = write(i, content);
                openssl_sign(
                    &self.dir,
                    &content_path,
                    &self.leaves[*leaf % self.leaves.len()],
                    &self.dir.join("leaf.key"),
                    &self.dir.join("intermediate.pem"),
                    &p7s,
                );
                Doc {
                    der: std::fs::read(&p7s).expect("read the signed document"),
                    content: content.clone(),
                    p7s,
                    content_path,
                }
            }),
            Alg::Sm2 => {
                let key_pem = std::fs::read_to_string(self.dir.join("leaf.key"))
                    .expect("read the SM2 leaf key");
                let key = sm2::SecretKey::from_pkcs8_pem(&key_pem).expect("SM2 PKCS #8 key");
                let chain = vec![self.intermediate.clone()];
                // signingTime as UTCTime, YYMMDDHHMMSSZ, from "YYYY-MM-DDTHH:MM:SSZ".
                let now = format_time(self.time - 3600);
                let digits: String = now.chars().filter(char::is_ascii_digit).collect();
                let signing_time = format!("{}Z", &digits[2..14]);
                let certs: Vec<Vec<u8>> = self
                    .leaves
                    .iter()
                    .map(|l| {
                        pem::parse(std::fs::read(l).expect("read leaf"))
                            .expect("leaf PEM")
                            .into_contents()
                    })
                    .collect();
                jobs.iter()
                    .enumerate()
                    .map(|(i, (leaf, content))| {
                        let der = sm2_cms::build(&sm2_cms::Request {
                            cert: &certs[*leaf % certs.len()],
                            chain: &chain,
                            key: &key,
                            id: SM2_ID,
                            content,
                            detached: true,
                            signing_time: &signing_time,
                            ber_chunk: 0,
                            signed_attributes: true,
                            content_types: sm2_cms::ContentTypes::Pkcs7,
                        })
                        .expect("build the SM2 SignedData");
                        let (content_path, p7s) = write(i, content);
                        std::fs::write(&p7s, &der).expect("write document");
                        Doc {
                            der,
                            content: content.clone(),
                            p7s,
                            content_path,
                        }
                    })
                    .collect()
            }
        }
    }
}

impl Fixture {
    fn new(alg: Alg, tmp: &Path, time: i64, k: usize, rng: &mut Rng) -> Fixture {
        let pem = chains::generate(tmp, alg);
        let dir = tmp.join(alg.name());
        let parse = chains::parse_one;
        let root = parse(&pem.root, "root");
        let intermediate = parse(&pem.intermediate, "intermediate");
        let leaves = chains::issue_leaves(tmp, alg, k);

        let contents: Vec<Vec<u8>> = (0..k).map(|_| rng.bytes(CONTENT_LEN)).collect();
        let signer = Signer {
            alg,
            dir: dir.clone(),
            leaves: leaves.clone(),
            intermediate: intermediate.der.clone(),
            time,
        };
        let jobs: Vec<(usize, Vec<u8>)> = contents.into_iter().enumerate().collect();
        let docs = signer.sign(&dir, "doc", &jobs);

        let verifier = Verifier::builder()
            .anchor_in_store(Arc::clone(&root), "bench")
            .validation_time(Some(time))
            .revocation(RevocationMode::Off)
            .build();
        let cms_limits = verifier.options().limits.clone();
        let parsed = docs
            .iter()
            .map(|d| {
                let sd = cms::parse(&d.der, &cms_limits).expect("cms::parse of the document");
                let leaf = Self::leaf_of(&sd, &intermediate);
                (sd, leaf)
            })
            .collect();
        Fixture {
            alg,
            dir,
            signer,
            root,
            intermediate,
            docs,
            verifier,
            parsed,
            cms_limits,
            sm2_with_sm3: AlgorithmIdentifier {
                oid: Oid::from_dotted("1.2.156.10197.1.501").expect("SM2-with-SM3 OID"),
                params: None,
            },
        }
    }

    fn leaf_of(sd: &SignedData, intermediate: &Certificate) -> Arc<Certificate> {
        Arc::clone(
            sd.certificates
                .iter()
                .find(|c| c.der != intermediate.der)
                .expect("the document carries its signer's certificate"),
        )
    }

    fn k(&self) -> usize {
        self.docs.len()
    }

    /// sigbridge's verification of document `i` (its content streamed from memory).
    fn verify(&self, i: usize) -> Result<Indication, VerifyError> {
        self.verify_with(&self.verifier, i)
    }

    /// Document `i` verified by `verifier` (this fixture's, or a copy with its own caches).
    fn verify_with(&self, verifier: &Verifier, i: usize) -> Result<Indication, VerifyError> {
        let d = &self.docs[i];
        let mut content: &[u8] = &d.content;
        verifier
            .verify(&d.der, Some(&mut content))
            .map(|r| r.indication)
    }

    /// The floor's crypto: the leaf's certificate signature (intermediate's key) and the
    /// document's signature over its signed attributes (leaf's key).
    fn raw_checks(&self, sd: &SignedData, leaf: &Certificate) -> bool {
        let policy = &self.verifier.options().algorithms;
        let cert_ok = crypto::verify_signature(
            &leaf.signature_algorithm,
            &self.intermediate.public_key,
            None,
            leaf.tbs(),
            &leaf.signature,
            policy,
        )
        .is_ok();
        cert_ok && self.doc_check(sd, leaf)
    }

    /// The document's own signature check alone (over its signed attributes, leaf's key).
    fn doc_check(&self, sd: &SignedData, leaf: &Certificate) -> bool {
        let policy = &self.verifier.options().algorithms;
        let Some(signer) = sd.signers.first() else {
            return false;
        };
        let Some(attrs) = &signer.signed_attrs else {
            return false;
        };
        let sig_alg = if signer.signature_algorithm.oid == sigbridge::asn1::oid::known::SM2_SIGN {
            &self.sm2_with_sm3
        } else {
            &signer.signature_algorithm
        };
        crypto::verify_signature_with_digest(
            sig_alg,
            DigestAlgorithm::from_oid(&signer.digest_algorithm.oid),
            &leaf.public_key,
            None,
            &attrs.der_for_signature,
            &signer.signature,
            policy,
        )
        .is_ok()
    }

    /// The floor: `cms::parse` of document `i` (which parses the certificates it carries,
    /// the leaf among them) and the two raw checks.
    fn raw_with_parsing(&self, i: usize) -> bool {
        let Ok(sd) = cms::parse(&self.docs[i].der, &self.cms_limits) else {
            return false;
        };
        let leaf = Self::leaf_of(&sd, &self.intermediate);
        self.raw_checks(&sd, &leaf)
    }

    /// The two raw checks of document `i`, parsed beforehand.
    fn raw_only(&self, i: usize) -> bool {
        let (sd, leaf) = &self.parsed[i];
        self.raw_checks(sd, leaf)
    }
}

/// Timed runs over the documents, each keeping its own position and its own verifier: a
/// copy of the fixture's with caches of its own, so that interleaved runners (cold clears
/// its caches before every document) do not disturb each other.
struct Runner<'a> {
    fx: &'a Fixture,
    verifier: Verifier,
    next: usize,
}

impl<'a> Runner<'a> {
    fn new(fx: &'a Fixture) -> Runner<'a> {
        let limits = fx.verifier.cache_limits();
        Runner {
            fx,
            verifier: fx.verifier.with_cache_limits(limits),
            next: 0,
        }
    }

    /// The next document index, cycling over all K.
    fn step(&mut self) -> usize {
        let i = self.next % self.fx.k();
        self.next = (i + 1) % self.fx.k();
        i
    }

    /// Cold: `clear_caches()` (untimed) before each document.
    fn cold(&mut self, n: u64) -> Duration {
        let mut total = Duration::ZERO;
        for _ in 0..n {
            let i = self.step();
            self.verifier.clear_caches();
            let t = Instant::now();
            let r = self.fx.verify_with(&self.verifier, i);
            total += t.elapsed();
            black_box(r.ok());
        }
        total
    }

    /// Warm: rounds of documents 1..K, each round starting (untimed) with `clear_caches()`
    /// and document 0, so every timed document has a new signer under a cached CA chain.
    fn warm(&mut self, n: u64) -> Duration {
        let mut total = Duration::ZERO;
        for _ in 0..n {
            if self.next == 0 || self.next >= self.fx.k() {
                self.verifier.clear_caches();
                black_box(self.fx.verify_with(&self.verifier, 0).ok());
                self.next = 1;
            }
            let i = self.next;
            self.next += 1;
            let t = Instant::now();
            let r = self.fx.verify_with(&self.verifier, i);
            total += t.elapsed();
            black_box(r.ok());
        }
        total
    }

    fn openssl(&mut self, peer: &CmsVerifier<'_>, n: u64) -> Duration {
        let t = Instant::now();
        for _ in 0..n {
            let d = &self.fx.docs[self.step()];
            black_box(peer.verify(&d.der, &d.content).is_ok());
        }
        t.elapsed()
    }

    fn raw_with_parsing(&mut self, n: u64) -> Duration {
        let t = Instant::now();
        for _ in 0..n {
            let i = self.step();
            black_box(self.fx.raw_with_parsing(i));
        }
        t.elapsed()
    }

    fn raw_only(&mut self, n: u64) -> Duration {
        let t = Instant::now();
        for _ in 0..n {
            let i = self.step();
            black_box(self.fx.raw_only(i));
        }
        t.elapsed()
    }
}

/// One line of the `doc-*` table.
struct DocRow {
    alg: Alg,
    cold: Duration,
    warm: Duration,
    openssl: Option<Duration>,
    raw_parse: Duration,
    raw_only: Duration,
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "MISSED"
    }
}

/// Checks every document before timing: sigbridge gives TOTAL_PASSED; OpenSSL accepts the
/// RSA and P-256 documents (SM2: tried, reported). Returns the OpenSSL peer when it accepts.
fn check_fixture<'a>(fx: &Fixture, ssl: Option<&'a OpenSsl>) -> Option<CmsVerifier<'a>> {
    let name = fx.alg.name();
    for i in 0..fx.k() {
        match fx.verify(i) {
            Ok(Indication::TotalPassed) => {}
            other => {
                let d = &fx.docs[i];
                let mut content: &[u8] = &d.content;
                let report = fx.verifier.verify(&d.der, Some(&mut content));
                panic!(
                    "{name}: sigbridge does not give TOTAL_PASSED for document {i}: {:?}\n{}",
                    other.map_err(|e| e.to_string()),
                    report
                        .map(|r| serde_json::to_string_pretty(&r).unwrap_or_default())
                        .unwrap_or_default()
                );
            }
        }
        assert!(fx.raw_with_parsing(i), "{name}: raw checks fail on {i}");
        assert!(fx.raw_only(i), "{name}: raw checks fail on {i}");
    }
    let ssl = ssl?;
    let time = fx.verifier.options().time;
    let id = (fx.alg == Alg::Sm2).then_some(SM2_ID.as_bytes());
    let peer = match CmsVerifier::new(ssl, &fx.root.der, time, id) {
        Ok(p) => p,
        Err(e) => {
            println!("doc-{name}: cannot set up OpenSSL CMS_verify: {e}");
            return None;
        }
    };
    for (i, d) in fx.docs.iter().enumerate() {
        if let Err(e) = peer.verify(&d.der, &d.content) {
            assert!(
                fx.alg == Alg::Sm2,
                "{name}: OpenSSL CMS_verify rejects document {i}: {e}"
            );
            println!(
                "doc-sm2: OpenSSL CMS_verify rejects the SM2 document ({e}), even with the \
                 distinguishing ID {SM2_ID} set on its certificates; no OpenSSL peer for SM2, \
                 sigbridge is compared with the raw SM2 checks only"
            );
            return None;
        }
    }
    // The verification time reaches CMS_verify: in 1970 the chain is not yet valid.
    match CmsVerifier::new(ssl, &fx.root.der, 0, id) {
        Ok(past) if past.verify(&fx.docs[0].der, &fx.docs[0].content).is_ok() => println!(
            "doc-{name}: warning: OpenSSL accepts the document at time 0, so the store's \
             verification time is not used"
        ),
        _ => {}
    }
    Some(peer)
}

/// Verifies documents 0..K after `clear_caches()` and prints the cache counters; true when
/// the caches answered something (signature or CA sub-path hits).
fn check_cache_use(fx: &Fixture) -> bool {
    fx.verifier.clear_caches();
    for i in 0..fx.k() {
        black_box(fx.verify(i).ok());
    }
    let s = fx.verifier.cache_stats();
    println!(
        "doc-{}: caches after one warm round (K = {}): signatures {} hits / {} misses / {} \
         entries; CA sub-paths {} / {} / {}; certificates {} / {} / {}",
        fx.alg.name(),
        fx.k(),
        s.signatures.hits,
        s.signatures.misses,
        s.signatures.entries,
        s.sub_paths.hits,
        s.sub_paths.misses,
        s.sub_paths.entries,
        s.certificates.hits,
        s.certificates.misses,
        s.certificates.entries,
    );
    fx.verifier.clear_caches();
    s.signatures.hits > 0 || s.sub_paths.hits > 0
}

/// The `doc-<alg>` group: criterion, then (bench mode) our interleaved medians.
fn bench_docs(
    c: &mut Criterion,
    mode: &Mode,
    fx: &Fixture,
    peer: Option<&CmsVerifier<'_>>,
    failures: &mut Vec<String>,
) -> Option<DocRow> {
    let group_name = format!("doc-{}", fx.alg.name());
    if !check_cache_use(fx) {
        let msg = format!(
            "{group_name}: the warm verifier's caches were not used (no signature or \
             sub-path hits): `sigbridge-warm` measures an uncached verifier"
        );
        println!("{msg}");
        failures.push(msg);
    }
    let mut group = c.benchmark_group(&group_name);
    let mut r = Runner::new(fx);
    group.bench_function("sigbridge-cold", |b| b.iter_custom(|n| r.cold(n)));
    let mut r = Runner::new(fx);
    group.bench_function("sigbridge-warm", |b| b.iter_custom(|n| r.warm(n)));
    if let Some(peer) = peer {
        let mut r = Runner::new(fx);
        group.bench_function("openssl-cms-verify", |b| {
            b.iter_custom(|n| r.openssl(peer, n))
        });
    }
    let mut r = Runner::new(fx);
    group.bench_function("raw", |b| b.iter_custom(|n| r.raw_with_parsing(n)));
    let mut r = Runner::new(fx);
    group.bench_function("raw-verifies", |b| b.iter_custom(|n| r.raw_only(n)));
    group.finish();

    if mode.quick || !mode.wants(&group_name) {
        return None;
    }
    let (mut cold, mut warm, mut ossl, mut raw, mut raw2) = (
        Runner::new(fx),
        Runner::new(fx),
        Runner::new(fx),
        Runner::new(fx),
        Runner::new(fx),
    );
    let mut f_cold = |n: u32| cold.cold(u64::from(n));
    let mut f_warm = |n: u32| warm.warm(u64::from(n));
    let mut f_raw = |n: u32| raw.raw_with_parsing(u64::from(n));
    let mut f_raw2 = |n: u32| raw2.raw_only(u64::from(n));
    let row = match peer {
        Some(peer) => {
            let mut f_ossl = |n: u32| ossl.openssl(peer, u64::from(n));
            let m = medians_custom(
                MEDIAN_BUDGET,
                &mut [
                    &mut f_cold,
                    &mut f_warm,
                    &mut f_ossl,
                    &mut f_raw,
                    &mut f_raw2,
                ],
            );
            DocRow {
                alg: fx.alg,
                cold: m[0],
                warm: m[1],
                openssl: Some(m[2]),
                raw_parse: m[3],
                raw_only: m[4],
            }
        }
        None => {
            let m = medians_custom(
                MEDIAN_BUDGET,
                &mut [&mut f_cold, &mut f_warm, &mut f_raw, &mut f_raw2],
            );
            DocRow {
                alg: fx.alg,
                cold: m[0],
                warm: m[1],
                openssl: None,
                raw_parse: m[2],
                raw_only: m[3],
            }
        }
    };
    print_doc_ratios(&row);
    Some(row)
}

fn print_doc_ratios(row: &DocRow) {
    let g = format!("doc-{}", row.alg.name());
    match row.openssl {
        Some(o) => {
            let cold = ratio(row.cold, o);
            if row.alg == Alg::Rsa2048 {
                println!(
                    "ratio {g}: cold / OpenSSL CMS_verify = {cold:.3}× (target ≤ \
                     {TARGET_COLD_RSA_VS_OPENSSL}×: {})",
                    verdict(cold <= TARGET_COLD_RSA_VS_OPENSSL)
                );
            } else {
                println!("ratio {g}: cold / OpenSSL CMS_verify = {cold:.3}×");
            }
            let warm = ratio(row.warm, o);
            println!(
                "ratio {g}: warm / OpenSSL CMS_verify = {warm:.3}× (target ≤ \
                 {TARGET_WARM_VS_OPENSSL}×: {})",
                verdict(warm <= TARGET_WARM_VS_OPENSSL)
            );
        }
        None => println!("ratio {g}: no OpenSSL peer"),
    }
    let wr = ratio(row.warm, row.raw_parse);
    println!(
        "ratio {g}: warm / (raw checks + parsing) = {wr:.3}× (target ≤ \
         {TARGET_WARM_VS_RAW_PARSE}×: {})",
        verdict(wr <= TARGET_WARM_VS_RAW_PARSE)
    );
    let w2 = ratio(row.warm, row.raw_only);
    if row.alg == Alg::Sm2 {
        println!(
            "ratio {g}: warm / two raw SM2 verifications = {w2:.3}× (target ≤ \
             {TARGET_SM2_WARM_VS_TWO_RAW}×: {})",
            verdict(w2 <= TARGET_SM2_WARM_VS_TWO_RAW)
        );
    } else {
        println!("ratio {g}: warm / two raw verifications = {w2:.3}×");
    }
}

fn print_doc_table(rows: &[DocRow]) {
    println!();
    println!(
        "| alg | cold µs | warm µs | OpenSSL CMS_verify µs | cold/OpenSSL | warm/OpenSSL | \
         raw+parsing µs | warm/(raw+parsing) | 2 raw µs | warm/2 raw |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let (o, co, wo) = match r.openssl {
            Some(o) => (
                format!("{:.1}", micros(o)),
                format!("{:.3}×", ratio(r.cold, o)),
                format!("{:.3}×", ratio(r.warm, o)),
            ),
            None => ("—".into(), "—".into(), "—".into()),
        };
        println!(
            "| {} | {:.1} | {:.1} | {o} | {co} | {wo} | {:.1} | {:.3}× | {:.1} | {:.3}× |",
            r.alg.name(),
            micros(r.cold),
            micros(r.warm),
            micros(r.raw_parse),
            ratio(r.warm, r.raw_parse),
            micros(r.raw_only),
            ratio(r.warm, r.raw_only),
        );
    }
    println!(
        "targets: cold rsa2048 ≤ {TARGET_COLD_RSA_VS_OPENSSL}× OpenSSL; warm ≤ \
         {TARGET_WARM_VS_OPENSSL}× OpenSSL and ≤ {TARGET_WARM_VS_RAW_PARSE}× raw+parsing; sm2 \
         warm ≤ {TARGET_SM2_WARM_VS_TWO_RAW}× two raw SM2 verifications"
    );
}

/// The `sigbridge` binary to run: `SIGBRIDGE_BIN`, else the one cargo built with this
/// bench (same profile: release under `cargo bench`), else `target/release/sigbridge` under
/// `CARGO_TARGET_DIR` or the crate.
fn sigbridge_bin() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SIGBRIDGE_BIN") {
        return Some(PathBuf::from(p));
    }
    let mut candidates = vec![PathBuf::from(env!("CARGO_BIN_EXE_sigbridge"))];
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        candidates.push(PathBuf::from(dir).join("release/sigbridge"));
    }
    candidates.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/sigbridge"));
    candidates.into_iter().find(|p| p.is_file())
}

fn median_of(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / MIB as f64
}

/// Runs `cmd` once; on failure prints why (running it again for its output) and returns None.
fn run_checked(what: &str, cmd: &mut Command) -> Option<Run> {
    match child::run(cmd) {
        Ok(run) if run.ok() => Some(run),
        Ok(run) => {
            println!("{what}: exit {:?}: {}", run.code, child::diagnose(cmd));
            None
        }
        Err(e) => {
            println!("{what}: cannot run {cmd:?}: {e}");
            None
        }
    }
}

/// Runs the commands in turn for `runs` rounds, each round starting one command later (so
/// none always runs first); wall times and peak RSS of each. None when one fails.
fn alternate(cmds: &mut [&mut Command], runs: usize) -> Option<Vec<(Vec<Duration>, u64)>> {
    let n = cmds.len();
    let mut out: Vec<(Vec<Duration>, u64)> = vec![(Vec::new(), 0); n];
    for r in 0..runs {
        for j in 0..n {
            let which = (r + j) % n;
            let cmd = &mut *cmds[which];
            let run = match child::run(cmd) {
                Ok(run) if run.ok() => run,
                Ok(run) => {
                    println!("{cmd:?}: exit {:?}", run.code);
                    return None;
                }
                Err(e) => {
                    println!("{cmd:?}: {e}");
                    return None;
                }
            };
            out[which].0.push(run.wall);
            out[which].1 = out[which].1.max(run.max_rss);
        }
    }
    Some(out)
}

/// Writes `size` bytes: one random 1 MiB block, repeated.
fn write_large(path: &Path, size: usize, rng: &mut Rng) {
    let block = rng.bytes(MIB);
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create content"));
    let mut left = size;
    while left > 0 {
        let n = left.min(MIB);
        f.write_all(&block[..n]).expect("write content");
        left -= n;
    }
    f.flush().expect("write content");
}

/// `content-<label>`: `sigbridge verify` of a detached RSA signature over `size` random
/// bytes against `sha256sum` of the same file.
#[allow(clippy::too_many_arguments)]
fn bench_content(
    mode: &Mode,
    bin: &Path,
    rsa: &Fixture,
    at: &str,
    label: &str,
    size: usize,
    runs: usize,
    rng: &mut Rng,
) {
    let group = format!("content-{label}");
    let content = rsa.dir.join(format!("content-{label}.bin"));
    let p7s = rsa.dir.join(format!("content-{label}.bin.p7s"));
    let made = Instant::now();
    write_large(&content, size, rng);
    openssl_sign(
        &rsa.dir,
        &content,
        &rsa.dir.join("leaf-0.pem"),
        &rsa.dir.join("leaf.key"),
        &rsa.dir.join("intermediate.pem"),
        &p7s,
    );
    println!(
        "{group}: wrote and signed {size} bytes in {:.1?}",
        made.elapsed()
    );
    let mut ours = Command::new(bin);
    ours.arg("verify")
        .arg(&p7s)
        .arg("--content")
        .arg(&content)
        .arg("--anchor")
        .arg(rsa.dir.join("root.pem"))
        .args(["--at", at, "--revocation", "off"]);
    let mut peer = Command::new("sha256sum");
    peer.arg(&content);
    // A reference only (no target): a SHA-256 with the CPU's SHA extensions.
    let mut reference = Command::new("openssl");
    reference.args(["dgst", "-sha256"]).arg(&content);
    // Warm-up: reads the file into the page cache, and checks that each command succeeds.
    let mut cmds: Vec<(&str, &mut Command)> = vec![
        ("sigbridge verify", &mut ours),
        ("sha256sum", &mut peer),
        ("openssl dgst -sha256", &mut reference),
    ];
    let warm: Vec<Option<Run>> = cmds
        .iter_mut()
        .map(|(what, cmd)| run_checked(&format!("{group}: {what}"), cmd))
        .collect();
    if warm[0].is_none() || warm[1].is_none() {
        println!("{group}: skipped (the warm-up run failed)");
    } else {
        if warm[2].is_none() {
            cmds.pop();
        }
        let measured = if mode.quick {
            Some(
                warm.iter()
                    .flatten()
                    .map(|r| (vec![r.wall], r.max_rss))
                    .collect(),
            )
        } else {
            let mut refs: Vec<&mut Command> = cmds.iter_mut().map(|(_, c)| &mut **c).collect();
            alternate(&mut refs, runs)
        };
        if let Some(m) = measured {
            let n = m[0].0.len();
            let gbs = |t: Duration| size as f64 / t.as_secs_f64() / 1e9;
            let figures: Vec<(f64, Duration, u64)> = m
                .into_iter()
                .map(|(t, rss)| {
                    let t = median_of(t);
                    (gbs(t), t, rss)
                })
                .collect();
            let line: Vec<String> = figures
                .iter()
                .zip(&cmds)
                .map(|((g, t, rss), (what, _))| {
                    format!(
                        "{what} {g:.2} GB/s ({:.1} ms, peak RSS {:.1} MiB)",
                        t.as_secs_f64() * 1e3,
                        mib(*rss)
                    )
                })
                .collect();
            println!("{group}: medians of {n}: {}", line.join(" | "));
            let (ours_gbs, _, rss_ours) = figures[0];
            let r = ours_gbs / figures[1].0;
            println!(
                "ratio {group}: sigbridge / sha256sum throughput = {r:.3}× (target ≥ \
                 {TARGET_CONTENT_VS_SHA256SUM}×: {}); sigbridge peak RSS {:.1} MiB (target ≤ \
                 {} MiB: {}){}",
                verdict(r >= TARGET_CONTENT_VS_SHA256SUM),
                mib(rss_ours),
                TARGET_PEAK_RSS / MIB as u64,
                verdict(rss_ours <= TARGET_PEAK_RSS),
                if mode.quick {
                    " [test mode: one run, not a measurement]"
                } else {
                    ""
                }
            );
            if let Some((g, _, _)) = figures.get(2) {
                println!(
                    "ratio {group}: sigbridge / openssl dgst -sha256 throughput = {:.3}× \
                     (reference)",
                    ours_gbs / g
                );
            }
        }
    }
    let _ = std::fs::remove_file(&content);
    let _ = std::fs::remove_file(&p7s);
}

/// `batch`: `sigbridge batch DIR --jobs 1` against `--jobs 2` on copies of the documents.
fn bench_batch(mode: &Mode, bin: &Path, tmp: &Path, fixtures: &[Fixture], at: &str) {
    let mut help = Command::new(bin);
    help.args(["batch", "--help"]);
    if !child::run(&mut help).is_ok_and(|r| r.ok()) {
        println!("batch: subcommand not available");
        return;
    }
    let count = if mode.quick {
        BATCH_DOCS_QUICK
    } else {
        BATCH_DOCS
    };
    let dir = tmp.join("batch");
    std::fs::create_dir_all(&dir).expect("create the batch folder");
    for n in 0..count {
        let fx = &fixtures[n % fixtures.len()];
        let d = &fx.docs[(n / fixtures.len()) % fx.k()];
        let name = format!("doc-{n:03}-{}.bin", fx.alg.name());
        std::fs::copy(&d.content_path, dir.join(&name)).expect("copy content");
        std::fs::copy(&d.p7s, dir.join(format!("{name}.p7s"))).expect("copy document");
    }
    let command = |jobs: &str| {
        let mut cmd = Command::new(bin);
        cmd.arg("batch")
            .arg(&dir)
            .args(["--jobs", jobs, "--anchor"])
            .args(fixtures.iter().map(|f| f.dir.join("root.pem")))
            .args(["--at", at, "--revocation", "off", "--format", "json"]);
        cmd
    };
    let (mut one, mut two) = (command("1"), command("2"));
    let (Some(w1), Some(w2)) = (
        run_checked("batch --jobs 1", &mut one),
        run_checked("batch --jobs 2", &mut two),
    ) else {
        println!("batch: skipped (the warm-up run failed)");
        return;
    };
    let measured = if mode.quick {
        Some(vec![
            (vec![w1.wall], w1.max_rss),
            (vec![w2.wall], w2.max_rss),
        ])
    } else {
        alternate(&mut [&mut one, &mut two], BATCH_RUNS)
    };
    let Some([(t1, rss1), (t2, rss2)]) = measured.and_then(|m| <[_; 2]>::try_from(m).ok()) else {
        return;
    };
    let (t1, t2) = (median_of(t1), median_of(t2));
    let dps = |t: Duration| count as f64 / t.as_secs_f64();
    let r = dps(t2) / dps(t1);
    println!(
        "batch: {count} documents: --jobs 1 {:.0} docs/s ({:.1} ms, peak RSS {:.1} MiB) | --jobs \
         2 {:.0} docs/s ({:.1} ms, peak RSS {:.1} MiB)",
        dps(t1),
        t1.as_secs_f64() * 1e3,
        mib(rss1),
        dps(t2),
        t2.as_secs_f64() * 1e3,
        mib(rss2),
    );
    println!(
        "ratio batch: jobs 2 / jobs 1 throughput = {r:.2}× (target ≥ {TARGET_BATCH_SCALING}×: \
         {}){}",
        verdict(r >= TARGET_BATCH_SCALING),
        if mode.quick {
            " [test mode: one run, not a measurement]"
        } else {
            ""
        }
    );
}

/// Documents per algorithm in the `batch-<alg>` groups, and the signers they cycle over.
const BATCH_ALG_DOCS: usize = 1000;
const BATCH_ALG_DOCS_QUICK: usize = 24;
const BATCH_ALG_SIGNERS: usize = 20;
/// Issue 15's targets: `batch --jobs 1` per document against one raw verification.
const TARGET_BATCH_RSA_VS_ONE_RAW: f64 = 2.5;
const TARGET_BATCH_EC_VS_ONE_RAW: f64 = 1.5;
const TARGET_BATCH_SCALING_1000: f64 = 1.9;

/// One line of the `batch-<alg>` table.
struct BatchRow {
    alg: Alg,
    docs: usize,
    jobs1: Duration,
    jobs2: Duration,
    raw_one: Duration,
    /// The raw verifications of every document split over two threads, per document: the
    /// machine's own ceiling for `--jobs 2` on the cryptography alone.
    raw_two: Duration,
    openssl: Option<Duration>,
    rss1: u64,
}

/// `batch-<alg>`: 1,000 detached 1 KB documents (20 signers under the chain's intermediate,
/// each document its own content and signature), `sigbridge batch --jobs 1` and `--jobs 2`
/// with full JSON to /dev/null, against one raw verification of the document signature and
/// OpenSSL's in-process `CMS_verify` per document, all timed in the same rounds.
fn bench_batch_alg(
    mode: &Mode,
    bin: &Path,
    fx: &Fixture,
    peer: Option<&CmsVerifier<'_>>,
    at: &str,
    rng: &mut Rng,
) -> Option<BatchRow> {
    let count = if mode.quick {
        BATCH_ALG_DOCS_QUICK
    } else {
        BATCH_ALG_DOCS
    };
    let dir = fx.dir.join("batch-1000");
    std::fs::create_dir_all(&dir).expect("create the batch folder");
    let jobs: Vec<(usize, Vec<u8>)> = (0..count)
        .map(|i| (i % BATCH_ALG_SIGNERS, rng.bytes(CONTENT_LEN)))
        .collect();
    let started = Instant::now();
    let docs = fx.signer.sign(&dir, "d", &jobs);
    println!(
        "batch-{}: signed {count} documents in {:.1?}",
        fx.alg.name(),
        started.elapsed()
    );
    let command = |jobs: &str| {
        let mut cmd = Command::new(bin);
        cmd.arg("batch")
            .arg(&dir)
            .args(["--jobs", jobs, "--anchor"])
            .arg(fx.dir.join("root.pem"))
            .args(["--at", at, "--revocation", "off", "--format", "json"]);
        cmd
    };
    let (mut one, mut two) = (command("1"), command("2"));
    run_checked("batch --jobs 1", &mut one)?;
    run_checked("batch --jobs 2", &mut two)?;
    let parsed: Vec<(SignedData, Arc<Certificate>)> = docs
        .iter()
        .map(|d| {
            let sd = cms::parse(&d.der, &fx.cms_limits).expect("cms::parse");
            let leaf = Fixture::leaf_of(&sd, &fx.intermediate);
            (sd, leaf)
        })
        .collect();
    assert!(
        parsed.iter().all(|(sd, leaf)| fx.doc_check(sd, leaf)),
        "every document signature passes the raw check"
    );
    let rounds = if mode.quick { 1 } else { BATCH_RUNS };
    let (mut t1, mut t2, mut raw, mut ssl) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut raw2 = Vec::new();
    let mut rss1 = 0;
    for r in 0..rounds {
        let order: [&mut Command; 2] = if r % 2 == 0 {
            [&mut one, &mut two]
        } else {
            [&mut two, &mut one]
        };
        for cmd in order {
            let run = child::run(cmd).ok().filter(Run::ok)?;
            let jobs1 = cmd.get_args().any(|a| a == "1");
            if jobs1 {
                t1.push(run.wall);
                rss1 = rss1.max(run.max_rss);
            } else {
                t2.push(run.wall);
            }
        }
        // The raw operation and the peer, per document, over every document once.
        let t = Instant::now();
        for (sd, leaf) in &parsed {
            black_box(fx.doc_check(sd, leaf));
        }
        raw.push(t.elapsed() / count as u32);
        // The same checks on two threads (each takes the next document), for the ceiling.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let t = Instant::now();
        std::thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    while let Some((sd, leaf)) =
                        parsed.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                    {
                        black_box(fx.doc_check(sd, leaf));
                    }
                });
            }
        });
        raw2.push(t.elapsed() / count as u32);
        if let Some(p) = peer {
            let t = Instant::now();
            for d in &docs {
                black_box(p.verify(&d.der, &d.content).is_ok());
            }
            ssl.push(t.elapsed() / count as u32);
        }
    }
    let row = BatchRow {
        alg: fx.alg,
        docs: count,
        jobs1: median_of(t1) / count as u32,
        jobs2: median_of(t2) / count as u32,
        raw_one: median_of(raw),
        raw_two: median_of(raw2),
        openssl: (!ssl.is_empty()).then(|| median_of(ssl)),
        rss1,
    };
    print_batch_row(&row, mode.quick);
    if !chains::keep_tmp() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Some(row)
}

fn print_batch_row(r: &BatchRow, quick: bool) {
    let target = if r.alg == Alg::Rsa2048 {
        TARGET_BATCH_RSA_VS_ONE_RAW
    } else {
        TARGET_BATCH_EC_VS_ONE_RAW
    };
    let vs_raw = ratio(r.jobs1, r.raw_one);
    let scaling = ratio(r.jobs1, r.jobs2);
    let ceiling = ratio(r.raw_one, r.raw_two);
    let peer = match r.openssl {
        Some(o) => format!(
            "OpenSSL CMS_verify {:.1} µs/doc, batch/OpenSSL {:.2}×",
            micros(o),
            ratio(r.jobs1, o)
        ),
        None => "no OpenSSL peer".to_owned(),
    };
    println!(
        "batch-{}: {} docs: --jobs 1 {:.1} µs/doc (peak RSS {:.1} MiB), --jobs 2 {:.1} µs/doc; \
         one raw verification {:.1} µs; batch/raw {vs_raw:.2}× (target ≤ {target}×: {}); jobs 2 \
         / jobs 1 throughput {scaling:.2}× (target ≥ {TARGET_BATCH_SCALING_1000}×: {}; the raw \
         verifications alone on 2 threads / 1: {ceiling:.2}×); {peer}{}",
        r.alg.name(),
        r.docs,
        micros(r.jobs1),
        mib(r.rss1),
        micros(r.jobs2),
        micros(r.raw_one),
        verdict(vs_raw <= target),
        verdict(scaling >= TARGET_BATCH_SCALING_1000),
        if quick {
            " [test mode: one run, not a measurement]"
        } else {
            ""
        }
    );
}

/// `cli-startup`: one `sigbridge verify` process (bundled trust stores + `--anchor`) against
/// one `openssl cms -verify`, on one 1 KB RSA document.
fn bench_startup(mode: &Mode, bin: &Path, rsa: &Fixture, at: &str) {
    let d = &rsa.docs[0];
    let root = rsa.dir.join("root.pem");
    let mut ours = Command::new(bin);
    ours.arg("verify")
        .arg(&d.p7s)
        .arg("--content")
        .arg(&d.content_path)
        .arg("--anchor")
        .arg(&root)
        .args(["--at", at, "--revocation", "off"]);
    let mut peer = Command::new("openssl");
    peer.args(["cms", "-verify", "-binary", "-inform", "DER", "-in"])
        .arg(&d.p7s)
        .arg("-content")
        .arg(&d.content_path)
        .arg("-CAfile")
        .arg(&root)
        .args(["-attime", &rsa.verifier.options().time.to_string()])
        .args(["-out", "/dev/null"]);
    let (Some(_), Some(_)) = (
        run_checked("cli-startup: sigbridge verify", &mut ours),
        run_checked("cli-startup: openssl cms -verify", &mut peer),
    ) else {
        println!("cli-startup: skipped (the warm-up run failed)");
        return;
    };
    let runs = if mode.quick { 3 } else { STARTUP_RUNS };
    let Some([(t_ours, rss_ours), (t_peer, rss_peer)]) =
        alternate(&mut [&mut ours, &mut peer], runs).and_then(|m| <[_; 2]>::try_from(m).ok())
    else {
        return;
    };
    let (t_ours, t_peer) = (median_of(t_ours), median_of(t_peer));
    let ms = |t: Duration| t.as_secs_f64() * 1e3;
    println!(
        "cli-startup: sigbridge verify {:.2} ms (median of {runs}, peak RSS {:.1} MiB) | openssl \
         cms -verify {:.2} ms (peak RSS {:.1} MiB)",
        ms(t_ours),
        mib(rss_ours),
        ms(t_peer),
        mib(rss_peer),
    );
    println!(
        "ratio cli-startup: sigbridge / openssl cms -verify = {:.2}×; sigbridge {:.2} ms (target \
         ≤ {} ms: {}){}",
        ratio(t_ours, t_peer),
        ms(t_ours),
        TARGET_STARTUP.as_millis(),
        verdict(t_ours <= TARGET_STARTUP),
        if mode.quick {
            " [test mode: 3 runs, not a measurement]"
        } else {
            ""
        }
    );
}

fn main() {
    child::serve_if_launcher();
    let mode = Mode::from_args();
    let mut c = support::mode::criterion();
    let time = support::mode::validation_time();
    let at = format_time(time);
    let k = match std::env::var("SIGBRIDGE_BENCH_DOCS") {
        Ok(v) => v
            .parse::<usize>()
            .ok()
            .filter(|&k| k >= 2)
            .expect("SIGBRIDGE_BENCH_DOCS: a number ≥ 2"),
        Err(_) if mode.quick => DOCS_QUICK,
        Err(_) => DOCS,
    };
    let with_1gib = std::env::var("SIGBRIDGE_BENCH_1GIB").map_or(true, |v| v != "0");

    let ssl = match OpenSsl::load() {
        Ok(ssl) => {
            println!("peer: {} (libcrypto.so.3, in-process)", ssl.version());
            Some(ssl)
        }
        Err(e) => {
            println!("peer: OpenSSL unavailable, comparison skipped: {e}");
            None
        }
    };
    let bin = sigbridge_bin();
    match &bin {
        Some(b) => {
            println!("sigbridge binary: {}", b.display());
            if let Ok(f) = child::floor() {
                println!(
                    "child processes: peak RSS floor (launcher, `true`) {:.1} MiB",
                    mib(f.max_rss)
                );
            }
        }
        None => println!(
            "sigbridge binary not found (run `cargo build --release` or set SIGBRIDGE_BIN): \
             content, batch and cli-startup skipped"
        ),
    }

    let wants_subprocess = ["content-1mb", "content-1gib", "batch", "cli-startup"]
        .iter()
        .any(|g| mode.wants(g));
    let needed: Vec<Alg> = Alg::ALL
        .into_iter()
        .filter(|a| {
            mode.wants(&format!("doc-{}", a.name()))
                || mode.wants(&format!("batch-{}", a.name()))
                || mode.wants("batch")
                || (*a == Alg::Rsa2048 && wants_subprocess)
        })
        .collect();

    let tmp = TempDir::new();
    let mut rng = Rng::seeded();
    let started = Instant::now();
    let fixtures: Vec<Fixture> = match chains::openssl_cli_version() {
        Ok(v) => {
            let list: Vec<Fixture> = needed
                .iter()
                .map(|&alg| Fixture::new(alg, tmp.path(), time, k, &mut rng))
                .collect();
            println!(
                "generated {} chains with {k} signed 1 KB documents each ({v}) in {:.1?}",
                list.len(),
                started.elapsed()
            );
            list
        }
        Err(e) => {
            println!("every group skipped: {e}");
            Vec::new()
        }
    };

    let mut failures: Vec<String> = Vec::new();
    let mut rows: Vec<DocRow> = Vec::new();
    let mut batch_rows: Vec<BatchRow> = Vec::new();
    for fx in &fixtures {
        let group = format!("doc-{}", fx.alg.name());
        let peer = check_fixture(fx, ssl.as_ref());
        if !mode.quick && !mode.wants(&group) {
            continue;
        }
        if let Some(row) = bench_docs(&mut c, &mode, fx, peer.as_ref(), &mut failures) {
            rows.push(row);
        }
    }

    let rsa = fixtures.iter().find(|f| f.alg == Alg::Rsa2048);
    if let (Some(bin), Some(rsa)) = (&bin, rsa) {
        if mode.wants("content-1mb") {
            bench_content(&mode, bin, rsa, &at, "1mb", MIB, 15, &mut rng);
        }
        if mode.wants("content-1gib") {
            if mode.quick {
                println!("content-1gib: skipped in test mode");
            } else if !with_1gib {
                println!("content-1gib: skipped (SIGBRIDGE_BENCH_1GIB=0)");
            } else {
                bench_content(&mode, bin, rsa, &at, "1gib", 1024 * MIB, 5, &mut rng);
            }
        }
        if mode.wants("batch") {
            bench_batch(&mode, bin, tmp.path(), &fixtures, &at);
        }
        if mode.wants("cli-startup") {
            bench_startup(&mode, bin, rsa, &at);
        }
    }
    if let Some(bin) = &bin {
        for fx in &fixtures {
            if mode.wants(&format!("batch-{}", fx.alg.name())) {
                let peer = check_fixture(fx, ssl.as_ref());
                if let Some(row) = bench_batch_alg(&mode, bin, fx, peer.as_ref(), &at, &mut rng) {
                    batch_rows.push(row);
                }
            }
        }
    }
    drop(tmp);

    c.final_summary();
    if !rows.is_empty() {
        print_doc_table(&rows);
    }
    if !batch_rows.is_empty() {
        println!();
        for r in &batch_rows {
            print_batch_row(r, mode.quick);
        }
    }
    if !failures.is_empty() {
        println!();
        for f in &failures {
            println!("FAILED CHECK: {f}");
        }
        // In test mode the check is reported, not fatal: the caches may not be wired yet.
        assert!(mode.quick, "{} check(s) failed (see above)", failures.len());
    }
}
