//! Path-validation benchmark (see `benches/README.md`).
//!
//! For RSA-2048, ECDSA P-256 and SM2 it makes a root → intermediate → leaf chain with the
//! `openssl` command line, then measures in one run:
//! - `sigbridge-validate`: `validate::validate` of the leaf, revocation off;
//! - `openssl-verify-cert`: OpenSSL's `X509_verify_cert` on the same certificates, in-process;
//! - `sigbridge-raw-verifies` / `openssl-raw-verifies`: the chain's two signature checks alone;
//!
//! and `limbo::run_case` over the x509-limbo `pathological::` cases. Criterion prints its
//! estimates; after each group, and in a closing table, medians of our own (taken in the same
//! run) give the ratios.

#[path = "../src/cli/limbo.rs"]
#[allow(dead_code)]
mod limbo;
mod support;

use criterion::Criterion;
use limbo::{Suite, Testcase};
use sigbridge::crypto::{self, AlgorithmPolicy};
use sigbridge::path::{AnchorSet, CertPool};
use sigbridge::revocation::RevocationMode;
use sigbridge::validate::{self, Options, Outcome, Sources};
use sigbridge::x509::Certificate;
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::chains::{self, Alg, TempDir, SM2_ID};
use support::mode::Mode;
use support::openssl::{self as ossl, OpenSsl};
use support::timing::{median, medians, micros};

/// Every limbo case must validate faster than this.
const LIMBO_BUDGET: Duration = Duration::from_millis(50);
/// How long each of our own medians may take.
const MEDIAN_BUDGET: Duration = Duration::from_millis(400);
/// How many of the slowest pathological cases criterion measures.
const LIMBO_CRITERION_CASES: usize = 3;

/// One generated chain, parsed once, with sigbridge's inputs built once.
struct Fixture {
    alg: Alg,
    root: Arc<Certificate>,
    intermediate: Arc<Certificate>,
    leaf: Arc<Certificate>,
    pool: CertPool,
    anchors: AnchorSet,
    options: Options,
}

impl Fixture {
    fn new(alg: Alg, dir: &TempDir, time: i64) -> Fixture {
        let pem = chains::generate(dir.path(), alg);
        let parse = chains::parse_one;
        let root = parse(&pem.root, "root");
        let intermediate = parse(&pem.intermediate, "intermediate");
        let leaf = parse(&pem.leaf, "leaf");
        let mut pool = CertPool::new();
        pool.add(Arc::clone(&intermediate));
        let mut anchors = AnchorSet::new();
        anchors.add(Arc::clone(&root), "bench");
        let mut options = Options::at(time);
        options.revocation = RevocationMode::Off;
        Fixture {
            alg,
            root,
            intermediate,
            leaf,
            pool,
            anchors,
            options,
        }
    }

    fn validate(&self) -> Outcome {
        let sources = Sources::new(&self.pool, &self.anchors, &[]);
        validate::validate(&self.leaf, sources, &self.options)
    }

    /// The chain's two signature checks, as `validate` makes them.
    fn raw_verifies(&self) -> bool {
        let policy: &AlgorithmPolicy = &self.options.algorithms;
        let check = |child: &Certificate, issuer: &Certificate| {
            crypto::verify_signature(
                &child.signature_algorithm,
                &issuer.public_key,
                None,
                child.tbs(),
                &child.signature,
                policy,
            )
            .is_ok()
        };
        check(&self.intermediate, &self.root) && check(&self.leaf, &self.intermediate)
    }

    fn openssl_chain<'a>(&self, ssl: &'a OpenSsl) -> Result<ossl::Chain<'a>, String> {
        let id = (self.alg == Alg::Sm2).then_some(SM2_ID.as_bytes());
        let chain = ossl::Chain::new(
            ssl,
            &self.root.der,
            &self.intermediate.der,
            &self.leaf.der,
            self.options.time,
            id,
        )?;
        chain.verify()?;
        if !chain.raw_verifies() {
            return Err("X509_verify rejects a signature of the chain".into());
        }
        Ok(chain)
    }
}

/// One line of the closing table.
struct Row {
    case: String,
    ours: Duration,
    peer: Option<Duration>,
    peer_name: String,
}

impl Row {
    fn print(&self) {
        let (peer, ratio) = match self.peer {
            Some(p) => (
                format!("{:.1}", micros(p)),
                format!("{:.3}×", self.ours.as_secs_f64() / p.as_secs_f64()),
            ),
            None => ("—".to_string(), "—".to_string()),
        };
        println!(
            "| {} | {:.1} | {} | {} | {} |",
            self.case,
            micros(self.ours),
            peer_name_or_dash(&self.peer_name),
            peer,
            ratio
        );
    }
}

fn peer_name_or_dash(name: &str) -> &str {
    if name.is_empty() {
        "—"
    } else {
        name
    }
}

fn corpora_dir() -> PathBuf {
    match std::env::var_os("SIGBRIDGE_CORPORA") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"),
    }
}

fn main() {
    let mode = Mode::from_args();
    let mut c = support::mode::criterion();
    let time = support::mode::validation_time();

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

    let dir = TempDir::new();
    let started = Instant::now();
    let fixtures: Vec<Fixture> = match chains::openssl_cli_version() {
        Ok(v) => {
            let list: Vec<Fixture> = Alg::ALL
                .iter()
                .map(|&alg| Fixture::new(alg, &dir, time))
                .collect();
            println!(
                "generated {} chains with the openssl command line ({v}) in {:.1?}",
                list.len(),
                started.elapsed()
            );
            list
        }
        Err(e) => {
            println!("chain groups skipped: {e}");
            Vec::new()
        }
    };

    let mut rows: Vec<Row> = Vec::new();
    for fx in &fixtures {
        let name = fx.alg.name();
        let outcome = fx.validate();
        assert!(
            outcome.is_valid(),
            "{name}: sigbridge rejects the generated chain: {:?}",
            outcome.errors
        );
        assert_eq!(outcome.path.len(), 3, "{name}: root, intermediate, leaf");
        assert_eq!(outcome.signature_checks, 2, "{name}: two signature checks");
        assert!(fx.raw_verifies(), "{name}: raw signature checks fail");
        let peer = ssl.as_ref().and_then(|s| match fx.openssl_chain(s) {
            Ok(chain) => Some(chain),
            Err(e) => {
                println!("{name}: OpenSSL cannot verify this chain, no OpenSSL peer for it: {e}");
                None
            }
        });

        let group_name = format!("chain-{name}");
        let mut group = c.benchmark_group(&group_name);
        group.bench_function("sigbridge-validate", |b| {
            b.iter(|| black_box(fx.validate()))
        });
        group.bench_function("sigbridge-raw-verifies", |b| {
            b.iter(|| black_box(fx.raw_verifies()))
        });
        if let Some(chain) = &peer {
            group.bench_function("openssl-verify-cert", |b| {
                b.iter(|| black_box(chain.verify()))
            });
            group.bench_function("openssl-raw-verifies", |b| {
                b.iter(|| black_box(chain.raw_verifies()))
            });
        }
        group.finish();

        if mode.quick || !mode.wants(&group_name) {
            continue;
        }
        let mut validate = || {
            black_box(fx.validate());
        };
        let mut raw_verifies = || {
            black_box(fx.raw_verifies());
        };
        let (ours, raw, peer_full, peer_raw) = match &peer {
            Some(chain) => {
                let mut verify = || {
                    let _ = black_box(chain.verify());
                };
                let mut peer_raw = || {
                    black_box(chain.raw_verifies());
                };
                let m = medians(
                    MEDIAN_BUDGET,
                    &mut [&mut validate, &mut raw_verifies, &mut verify, &mut peer_raw],
                );
                (m[0], m[1], Some(m[2]), Some(m[3]))
            }
            None => {
                let m = medians(MEDIAN_BUDGET, &mut [&mut validate, &mut raw_verifies]);
                (m[0], m[1], None, None)
            }
        };
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
        match peer_full {
            Some(p) => println!(
                "ratio {group_name}: sigbridge validate / OpenSSL X509_verify_cert = {:.2}×",
                ratio(ours, p)
            ),
            None => println!("ratio {group_name}: no OpenSSL peer"),
        }
        println!(
            "ratio {group_name}: sigbridge validate / sigbridge raw verifies = {:.2}×",
            ratio(ours, raw)
        );
        rows.push(Row {
            case: format!("{group_name}: validate"),
            ours,
            peer: peer_full,
            peer_name: "OpenSSL X509_verify_cert".into(),
        });
        rows.push(Row {
            case: format!("{group_name}: validate vs raw"),
            ours,
            peer: Some(raw),
            peer_name: "sigbridge raw verifies (2)".into(),
        });
        rows.push(Row {
            case: format!("{group_name}: raw verifies (2)"),
            ours: raw,
            peer: peer_raw,
            peer_name: "OpenSSL X509_verify (2)".into(),
        });
    }
    drop(dir);

    let limbo_rows = bench_limbo(&mut c, &mode);

    c.final_summary();
    if mode.quick {
        return;
    }
    println!();
    println!("| case | sigbridge µs | peer | peer µs | ratio |");
    println!("|---|---:|---|---:|---:|");
    for row in rows.iter().chain(&limbo_rows) {
        row.print();
    }
    if let Some(worst) = limbo_rows.iter().max_by_key(|r| r.ours) {
        let verdict = if worst.ours < LIMBO_BUDGET {
            "within"
        } else {
            "OVER"
        };
        println!(
            "\nslowest pathological limbo case: {} at {:.2} ms ({verdict} the {} ms budget)",
            worst.case,
            worst.ours.as_secs_f64() * 1e3,
            LIMBO_BUDGET.as_millis()
        );
    }
}

/// `limbo::run_case` over every `pathological::` case: our medians for all of them, and
/// criterion for the slowest few. Returns the table rows (peer: the 50 ms budget).
fn bench_limbo(c: &mut Criterion, mode: &Mode) -> Vec<Row> {
    const GROUP: &str = "limbo-pathological";
    if !mode.quick && !mode.wants(GROUP) {
        return Vec::new();
    }
    let path = corpora_dir().join("x509-limbo/limbo.json");
    let started = Instant::now();
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            println!(
                "{}: {e}; limbo group skipped (set SIGBRIDGE_CORPORA)",
                path.display()
            );
            return Vec::new();
        }
    };
    let suite: Suite = serde_json::from_slice(&bytes).expect("limbo.json parses");
    drop(bytes);
    let cases: Vec<Testcase> = suite
        .testcases
        .into_iter()
        .filter(|t| t.id.starts_with("pathological::"))
        .collect();
    println!(
        "loaded {} ({} pathological cases) in {:.1?}",
        path.display(),
        cases.len(),
        started.elapsed()
    );

    // Rank the cases by our own median (one call each in test mode).
    let mut timed: Vec<(Duration, &Testcase)> = cases
        .iter()
        .map(|case| {
            let d = if mode.quick {
                let t = Instant::now();
                black_box(limbo::run_case(case));
                t.elapsed()
            } else {
                median(MEDIAN_BUDGET / 2, || {
                    black_box(limbo::run_case(case));
                })
            };
            (d, case)
        })
        .collect();
    timed.sort_by_key(|t| std::cmp::Reverse(t.0));

    let mut group = c.benchmark_group(GROUP);
    group.sample_size(10);
    for (_, case) in timed.iter().take(LIMBO_CRITERION_CASES) {
        let short = case.id.trim_start_matches("pathological::");
        group.bench_function(short, |b| b.iter(|| black_box(limbo::run_case(case))));
    }
    group.finish();

    timed
        .iter()
        .map(|(d, case)| {
            let got = limbo::run_case(case).actual_result;
            let expected = case.expected_result.as_deref().unwrap_or("?");
            Row {
                case: format!("limbo {} ({got}, expected {expected})", case.id),
                ours: *d,
                peer: Some(LIMBO_BUDGET),
                peer_name: "budget".into(),
            }
        })
        .collect()
}
