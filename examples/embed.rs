//! Embedding sigbridge in a platform: one `Verifier`, built once with the builder, shared by
//! four threads that verify every signed fixture with a per-call "now" (as a long-running
//! service does). The second pass is answered from the caches: the example prints the
//! sub-path cache hit rate of that pass and fails below 95 %.
//!
//! `cargo run --example embed` (run by CI).

use sigbridge::asn1::time::now;
use sigbridge::revocation::RevocationMode;
use sigbridge::verify::Call;
use sigbridge::{TrustStores, Verifier};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let limits = sigbridge::Limits::default();
    // Built once: the demo trust lists, every demo CRL, revocation required.
    let mut builder = Verifier::builder()
        .trust_stores(TrustStores::load_dir(
            &fixtures.join("trust-stores"),
            &limits,
        )?)
        .revocation(RevocationMode::Require);
    for crl in files(&fixtures.join("docs/pki"), "crl")? {
        builder = builder.crls(
            sigbridge::x509::crls_from_file(&crl, &limits)?
                .into_iter()
                .map(Arc::new),
        );
    }
    let verifier = builder.build();

    // Every signed fixture that carries its content (and the detached ones with theirs).
    let mut documents: Vec<(Vec<u8>, Option<Vec<u8>>)> = Vec::new();
    for f in files(&fixtures.join("docs"), "p7m")?
        .into_iter()
        .chain(files(&fixtures.join("docs"), "eml")?)
    {
        documents.push((std::fs::read(f)?, None));
    }
    let contract = std::fs::read(fixtures.join("docs/contract.txt"))?;
    for f in ["hk-mr-personal.p7s", "gd-sm2-mr.p7s"] {
        documents.push((
            std::fs::read(fixtures.join("docs").join(f))?,
            Some(contract.clone()),
        ));
    }

    let pass = |verifier: &Verifier| -> Result<usize, String> {
        std::thread::scope(|s| {
            let workers: Vec<_> = (0..4)
                .map(|w| {
                    let docs = &documents;
                    s.spawn(move || {
                        let mut done = 0;
                        for (doc, content) in docs.iter().skip(w).step_by(4) {
                            let mut reader = content.as_deref();
                            let mut call = Call::new().at(now());
                            if let Some(r) = reader.as_mut() {
                                call = call.content(r);
                            }
                            // Malformed fixtures are meant to fail; every other one gives a report.
                            if verifier.verify_with(doc, call).is_ok() {
                                done += 1;
                            }
                        }
                        done
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().map_err(|_| "a worker panicked".to_string()))
                .sum()
        })
    };

    let first = pass(&verifier)?;
    let before = verifier.cache_stats().sub_paths;
    let second = pass(&verifier)?;
    let after = verifier.cache_stats().sub_paths;
    let (hits, misses) = (after.hits - before.hits, after.misses - before.misses);
    let rate = if hits + misses == 0 {
        0.0
    } else {
        100.0 * hits as f64 / (hits + misses) as f64
    };
    println!("verified {first} + {second} documents on 4 threads, each call at its own \"now\"");
    println!(
        "sub-path cache hit rate: {rate:.1} % ({hits} hits, {misses} misses in the second pass)"
    );
    if first != second || rate < 95.0 {
        return Err(format!(
            "expected the same reports and a hit rate of at least 95 %, got {rate:.1} %"
        )
        .into());
    }
    Ok(())
}

/// The files in `dir` ending in `.ext`, sorted.
fn files(dir: &Path, ext: &str) -> std::io::Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    out.sort();
    Ok(out)
}
