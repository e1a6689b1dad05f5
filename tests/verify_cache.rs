//! The verifier's caches (src/cache.rs): a warm verifier gives exactly the reports a verifier
//! without caches gives, the caches are used (observable hit counts), and a change of
//! validation time, algorithm policy or revocation data never returns a stale answer.
//!
//! Documents and expectations come from fixtures/ (fixtures/expected.json).

mod common;

use serde::Deserialize;
use sigbridge::asn1::parse_time;
use sigbridge::crypto::AlgorithmPolicy;
use sigbridge::revocation::RevocationMode;
use sigbridge::verdict::{Indication, SubIndication};
use sigbridge::verify::{CacheLimits, Call, VerifierBuilder};
use sigbridge::Limits;
use sigbridge::{DocumentReport, Verifier};
use std::path::PathBuf;

#[derive(Deserialize)]
struct Expectations {
    validation_time: String,
    documents: Vec<Document>,
}

#[derive(Deserialize)]
struct Document {
    file: String,
    content: Option<String>,
    anchors: Vec<String>,
    certs: Vec<String>,
    crls: Vec<String>,
    #[serde(default)]
    error: bool,
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn expectations() -> Expectations {
    let text = std::fs::read_to_string(fixtures().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn time(exp: &Expectations) -> i64 {
    parse_time(&exp.validation_time).unwrap()
}

/// The builder of the verifier fixtures_documents.rs uses for `doc` (revocation `require`).
fn builder_for(doc: &Document, time: i64, crls: &[String]) -> VerifierBuilder {
    Verifier::builder()
        .anchors(common::fixture_certs(&doc.anchors))
        .certificates(common::fixture_certs(&doc.certs))
        .crls(common::fixture_crls(crls))
        .revocation(RevocationMode::Require)
        .validation_time(Some(time))
}

fn verifier_for(doc: &Document, time: i64, crls: &[String]) -> Verifier {
    builder_for(doc, time, crls).build()
}

fn verify(v: &Verifier, doc: &Document) -> Result<DocumentReport, String> {
    verify_at(v, doc, None)
}

/// Verifies `doc` at `time` (default: the verifier's).
fn verify_at(v: &Verifier, doc: &Document, time: Option<i64>) -> Result<DocumentReport, String> {
    let bytes = std::fs::read(fixtures().join(&doc.file)).unwrap();
    let mut content = doc
        .content
        .as_ref()
        .map(|c| std::fs::File::open(fixtures().join(c)).unwrap());
    let mut call = Call::new();
    if let Some(t) = time {
        call = call.at(t);
    }
    if let Some(f) = content.as_mut() {
        call = call.content(f);
    }
    v.verify_with(&bytes, call).map_err(|e| e.to_string())
}

fn json(r: &Result<DocumentReport, String>) -> String {
    match r {
        Ok(report) => serde_json::to_string_pretty(report).unwrap(),
        Err(e) => format!("error: {e}"),
    }
}

fn find<'e>(exp: &'e Expectations, file: &str) -> &'e Document {
    exp.documents
        .iter()
        .find(|d| d.file == file)
        .unwrap_or_else(|| panic!("{file} not in expected.json"))
}

#[test]
fn warm_reports_equal_uncached_reports_for_every_fixture() {
    let exp = expectations();
    let t = time(&exp);
    assert!(exp.documents.len() >= 20);
    let mut warm_hits = 0;
    for doc in &exp.documents {
        let cold = verifier_for(doc, t, &doc.crls).with_cache_limits(CacheLimits::disabled());
        let warm = verifier_for(doc, t, &doc.crls);
        let expected = json(&verify(&cold, doc));
        assert_eq!(expected.starts_with("error"), doc.error, "{}", doc.file);
        let first = json(&verify(&warm, doc));
        let second = json(&verify(&warm, doc));
        assert_eq!(first, expected, "{}: first (filling) run differs", doc.file);
        assert_eq!(second, expected, "{}: warm run differs", doc.file);
        let stats = warm.cache_stats();
        if !doc.error {
            warm_hits += stats.signatures.hits;
        }
        assert_eq!(cold.cache_stats().signatures.hits, 0);
        assert_eq!(cold.cache_stats().signatures.entries, 0);
    }
    assert!(warm_hits > 0);
}

#[test]
fn caches_are_used_and_observable() {
    let exp = expectations();
    let doc = find(&exp, "docs/hk-mr-personal.p7m");
    // With the default caches a second run takes the signer's whole path outcome from the
    // outcome cache (same validation time, same inputs): no signature is checked again.
    let with_outcomes = verifier_for(doc, time(&exp), &doc.crls);
    verify(&with_outcomes, doc).unwrap();
    let misses = with_outcomes.cache_stats().signatures.misses;
    assert_eq!(
        verify(&with_outcomes, doc).unwrap().indication,
        Indication::TotalPassed
    );
    assert_eq!(with_outcomes.cache_stats().signatures.misses, misses);
    // Without it, the stage caches below it answer.
    let v = verifier_for(doc, time(&exp), &doc.crls).with_cache_limits(CacheLimits {
        outcomes: 0,
        ..CacheLimits::default()
    });
    let first = verify(&v, doc).unwrap();
    assert_eq!(first.indication, Indication::TotalPassed);
    let after_one = v.cache_stats();
    assert_eq!(after_one.signatures.hits, 0, "{after_one:?}");
    assert!(after_one.signatures.entries >= 3, "{after_one:?}"); // 2 certificates + CRLs
    assert!(after_one.sub_paths.entries >= 1, "{after_one:?}");
    let second = verify(&v, doc).unwrap();
    assert_eq!(second.indication, Indication::TotalPassed);
    let s = v.cache_stats();
    // The second run re-verifies nothing: the leaf and the CRLs come from the signature
    // cache, the root → CA sub-path from the sub-path cache, the certificates from the
    // parsed-object cache.
    assert!(s.signatures.hits >= 2, "{s:?}");
    assert!(s.sub_paths.hits >= 1, "{s:?}");
    assert!(s.certificates.hits >= 1, "{s:?}");
    assert!(s.signatures.hit_rate() > 0.0);
    // Clones share the caches; clear() empties them and resets the counters.
    let clone = v.clone();
    clone.clear_caches();
    let cleared = v.cache_stats();
    assert_eq!(cleared.signatures.entries, 0);
    assert_eq!(cleared.signatures.hits, 0);
    assert_eq!(cleared.sub_paths.entries, 0);
}

#[test]
fn bounded_caches_stay_within_capacity() {
    let exp = expectations();
    let limits = CacheLimits {
        signatures: 2,
        sub_paths: 1,
        certificate_bytes: 4096,
        crl_bytes: 4096,
        evidence_bytes: 4096,
        outcomes: 2,
    };
    let mut seen = 0;
    let doc0 = find(&exp, "docs/hk-mr-personal.p7m");
    let v = verifier_for(doc0, time(&exp), &doc0.crls).with_cache_limits(limits);
    for doc in exp.documents.iter().filter(|d| !d.error) {
        let reference = verifier_for(doc, time(&exp), &doc.crls);
        let shared = builder_for(doc, time(&exp), &doc.crls)
            .share_caches_with(&v)
            .build();
        assert_eq!(json(&verify(&shared, doc)), json(&verify(&reference, doc)));
        let s = v.cache_stats();
        assert!(s.signatures.entries <= 2 + 1, "{s:?}"); // quick_cache may hold one extra
        assert!(s.sub_paths.entries <= 2, "{s:?}");
        // Parsed objects are bounded by their bytes.
        assert!(s.certificates.weight <= 4096, "{s:?}");
        assert!(s.crls.weight <= 4096, "{s:?}");
        assert_eq!(s.certificates.capacity, 4096);
        seen += 1;
    }
    assert!(seen > 15);
}

#[test]
fn a_new_validation_time_is_never_answered_from_the_cache() {
    let exp = expectations();
    let doc = find(&exp, "docs/hk-mr-personal.p7m");
    let now = verifier_for(doc, time(&exp), &doc.crls);
    assert_eq!(
        verify(&now, doc).unwrap().indication,
        Indication::TotalPassed
    );
    // The same verifier, forty years later: every certificate has expired.
    let r = verify_at(&now, doc, Some(time(&exp) + 40 * 365 * 86_400)).unwrap();
    assert_eq!(r.indication, Indication::Indeterminate);
    assert_eq!(r.sub_indication, Some(SubIndication::OutOfBoundsNoPoe));
    // And back: the cached answer for the first time is still right.
    assert_eq!(
        verify(&now, doc).unwrap().indication,
        Indication::TotalPassed
    );
}

#[test]
fn a_stricter_algorithm_policy_is_never_answered_from_the_cache() {
    let exp = expectations();
    let doc = find(&exp, "docs/hk-mr-personal.p7m");
    let v = verifier_for(doc, time(&exp), &doc.crls);
    assert_eq!(verify(&v, doc).unwrap().indication, Indication::TotalPassed);
    assert!(v.cache_stats().signatures.entries > 0);
    // RSA-2048 everywhere in this PKI: a 4096-bit minimum must reject it, cached or not.
    let strict_policy = AlgorithmPolicy {
        min_rsa_bits: 4096,
        ..AlgorithmPolicy::default()
    };
    let strict = builder_for(doc, time(&exp), &doc.crls)
        .algorithms(strict_policy.clone())
        .share_caches_with(&v)
        .build();
    let r = verify(&strict, doc).unwrap();
    assert_ne!(
        r.indication,
        Indication::TotalPassed,
        "{}",
        json(&Ok(r.clone()))
    );
    let uncached = verify(&strict.with_cache_limits(CacheLimits::disabled()), doc).unwrap();
    assert_eq!(json(&Ok(r)), json(&Ok(uncached)));
}

#[test]
fn changed_revocation_data_is_never_answered_from_the_cache() {
    let exp = expectations();
    // The root's CRL clears the issuing CA (the cached sub-path root → CA 2 - 15); without it
    // the CA's status is unknown, which `require` refuses.
    let doc = find(&exp, "docs/hk-mr-personal.p7m");
    assert!(doc.crls.iter().any(|c| c.ends_with("hk-root.crl")));
    let with_all = verifier_for(doc, time(&exp), &doc.crls);
    assert_eq!(
        verify(&with_all, doc).unwrap().indication,
        Indication::TotalPassed
    );
    assert!(with_all.cache_stats().sub_paths.entries >= 1);
    let without_root_crl: Vec<String> = doc
        .crls
        .iter()
        .filter(|c| !c.ends_with("hk-root.crl"))
        .cloned()
        .collect();
    let fewer = builder_for(doc, time(&exp), &without_root_crl)
        .share_caches_with(&with_all)
        .build();
    let r = verify(&fewer, doc).unwrap();
    assert_eq!(
        r.indication,
        Indication::Indeterminate,
        "{}",
        json(&Ok(r.clone()))
    );
    let uncached =
        verifier_for(doc, time(&exp), &without_root_crl).with_cache_limits(CacheLimits::disabled());
    assert_eq!(json(&Ok(r)), json(&verify(&uncached, doc)));
    // The revoked signer: its CA's CRL revokes it; the same caches without that CRL must not
    // call it revoked, and with it must.
    let revoked = find(&exp, "docs/revoked-signer.p7m");
    let shared = builder_for(revoked, time(&exp), &revoked.crls)
        .share_caches_with(&with_all)
        .build();
    let r = verify(&shared, revoked).unwrap();
    assert_eq!(r.indication, Indication::Indeterminate);
    assert_eq!(r.sub_indication, Some(SubIndication::RevokedNoPoe));
    let no_crls = builder_for(revoked, time(&exp), &[])
        .revocation(RevocationMode::Prefer)
        .share_caches_with(&with_all)
        .build();
    let r = verify(&no_crls, revoked).unwrap();
    assert_eq!(
        r.indication,
        Indication::TotalPassed,
        "{}",
        json(&Ok(r.clone()))
    );
}

#[test]
fn verifier_is_send_and_sync_and_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Verifier>();
    let exp = expectations();
    let doc = find(&exp, "docs/hk-mr-personal.p7m");
    // Without the outcome cache, so that the signature cache is what the threads share.
    let v = verifier_for(doc, time(&exp), &doc.crls).with_cache_limits(CacheLimits {
        outcomes: 0,
        ..CacheLimits::default()
    });
    let expected = json(&verify(&v, doc));
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| (0..5).map(|_| json(&verify(&v, doc))).collect::<Vec<_>>()))
            .collect();
        for h in handles {
            for r in h.join().unwrap() {
                assert_eq!(r, expected);
            }
        }
    });
    assert!(v.cache_stats().signatures.hits >= 10);
}

#[test]
fn reader_and_detached_entry_points_match_verify() {
    let exp = expectations();
    let doc = exp
        .documents
        .iter()
        .find(|d| d.content.is_some() && !d.error)
        .expect("a detached fixture");
    let v = verifier_for(doc, time(&exp), &doc.crls);
    let expected = json(&verify(&v, doc));
    let sig = std::fs::read(fixtures().join(&doc.file)).unwrap();
    let content_path = fixtures().join(doc.content.as_ref().unwrap());
    let r = v.verify_detached(&sig, std::fs::File::open(&content_path).unwrap());
    assert_eq!(json(&r.map_err(|e| e.to_string())), expected);
    let mut content = std::fs::File::open(&content_path).unwrap();
    let r = v.verify_reader(sig.as_slice(), Some(&mut content));
    assert_eq!(json(&r.map_err(|e| e.to_string())), expected);
    // A document over Limits::max_file_size is refused with the limit named.
    let small = builder_for(doc, time(&exp), &doc.crls)
        .limits(Limits {
            max_file_size: 16,
            ..Limits::default()
        })
        .build();
    let err = small
        .verify_reader(sig.as_slice(), None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("Limits::max_file_size"), "{err}");
}

/// A fetcher that answers nothing and counts how often it was asked.
#[derive(Debug, Default)]
struct CountingFetcher {
    asked: std::sync::atomic::AtomicUsize,
}

impl CountingFetcher {
    fn asked(&self) -> usize {
        self.asked.load(std::sync::atomic::Ordering::SeqCst)
    }
    fn ask(&self) -> Vec<sigbridge::revocation::fetch::Fetched> {
        self.asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Vec::new()
    }
}

impl sigbridge::revocation::fetch::Fetcher for CountingFetcher {
    fn crls(&self, _: &sigbridge::x509::Certificate) -> Vec<sigbridge::revocation::fetch::Fetched> {
        self.ask()
    }
    fn ocsp(
        &self,
        _: &sigbridge::x509::Certificate,
        _: &sigbridge::x509::Certificate,
    ) -> Vec<sigbridge::revocation::fetch::Fetched> {
        self.ask()
    }
    fn issuers(
        &self,
        _: &sigbridge::x509::Certificate,
    ) -> Vec<sigbridge::revocation::fetch::Fetched> {
        self.ask()
    }
    fn identity(&self) -> String {
        "counting".to_owned()
    }
}

#[test]
fn outcomes_reached_with_an_unconsulted_fetcher_are_reused_and_consulted_ones_are_not() {
    let exp = expectations();
    let doc = find(&exp, "docs/hk-mr-personal.p7m");
    // The CRLs settle every status: the fetcher is never asked, so the second run takes the
    // whole outcome from the cache (no signature checked again) and gives the same report.
    let fetcher = std::sync::Arc::new(CountingFetcher::default());
    let v = builder_for(doc, time(&exp), &doc.crls)
        .fetcher(Some(fetcher.clone()))
        .build();
    let first = json(&verify(&v, doc));
    let misses = v.cache_stats().signatures.misses;
    let hits = v.cache_stats().signatures.hits;
    let second = json(&verify(&v, doc));
    assert_eq!(first, second);
    assert!(first.contains("TOTAL_PASSED"), "{first}");
    assert_eq!(fetcher.asked(), 0);
    assert_eq!(v.cache_stats().signatures.misses, misses);
    assert_eq!(
        v.cache_stats().signatures.hits,
        hits,
        "the path was validated again"
    );
    // Without the CRLs the fetcher is asked (and has nothing): such an outcome depends on
    // what a fetcher returns, so it is not remembered and every run asks again.
    let fetcher = std::sync::Arc::new(CountingFetcher::default());
    let v = builder_for(doc, time(&exp), &[])
        .fetcher(Some(fetcher.clone()))
        .build();
    let first = json(&verify(&v, doc));
    let after_first = fetcher.asked();
    assert!(after_first > 0);
    assert!(
        !first.contains("\"indication\": \"TOTAL_PASSED\""),
        "{first}"
    );
    let second = json(&verify(&v, doc));
    assert_eq!(first, second);
    assert_eq!(fetcher.asked(), 2 * after_first, "the outcome was reused");
}
