//! The service's counters and the Prometheus text exposition of `GET /metrics`: requests by
//! endpoint and status, verifications by indication, error kinds, a latency histogram per
//! endpoint, slots in use, reloads, and the verifier's cache hit rates. Written by hand: a
//! handful of labelled counters needs no metrics crate.

use sigbridge::verify::CacheStats;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, u16), u64>,
    verifications: BTreeMap<(String, String), u64>,
    errors: BTreeMap<String, u64>,
    latency: BTreeMap<String, Histogram>,
    reloads: BTreeMap<&'static str, u64>,
}

/// Every counter of the service (one lock, held for a few map updates).
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

/// Gauges read when /metrics is rendered.
pub struct Gauges {
    pub in_flight: usize,
    pub waiting: usize,
    pub slots: usize,
    pub cache: CacheStats,
}

impl Metrics {
    fn with(&self, f: impl FnOnce(&mut Inner)) {
        let mut g = match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut g);
    }

    /// One answered request.
    pub fn request(&self, endpoint: &str, status: u16, elapsed: Duration) {
        self.with(|m| {
            *m.requests.entry((endpoint.to_owned(), status)).or_default() += 1;
            let h = m.latency.entry(endpoint.to_owned()).or_default();
            let secs = elapsed.as_secs_f64();
            for (i, b) in BUCKETS.iter().enumerate() {
                if secs <= *b {
                    if let Some(c) = h.counts.get_mut(i) {
                        *c += 1;
                    }
                }
            }
            h.count += 1;
            h.sum += secs;
        });
    }

    /// One verification report, by its indication.
    pub fn verification(&self, indication: &str, sub_indication: Option<&str>) {
        self.with(|m| {
            let key = (
                indication.to_owned(),
                sub_indication.unwrap_or("").to_owned(),
            );
            *m.verifications.entry(key).or_default() += 1;
        });
    }

    /// One refused request, by its error kind.
    pub fn error(&self, kind: &str) {
        self.with(|m| *m.errors.entry(kind.to_owned()).or_default() += 1);
    }

    /// One trust-list reload (`ok` or `failed`).
    pub fn reload(&self, result: &'static str) {
        self.with(|m| *m.reloads.entry(result).or_default() += 1);
    }

    /// The Prometheus text exposition (version 0.0.4).
    pub fn render(&self, gauges: &Gauges) -> String {
        let mut out = String::new();
        self.with(|m| render_counters(m, &mut out));
        render_gauges(gauges, &mut out);
        out
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A label value with `\`, `"` and newlines escaped.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn render_counters(m: &Inner, out: &mut String) {
    header(
        out,
        "sigbridge_requests_total",
        "counter",
        "HTTP requests answered, by endpoint and status.",
    );
    for ((e, s), n) in &m.requests {
        let _ = writeln!(
            out,
            "sigbridge_requests_total{{endpoint=\"{}\",status=\"{s}\"}} {n}",
            label(e)
        );
    }
    header(
        out,
        "sigbridge_verifications_total",
        "counter",
        "Documents verified, by indication and sub-indication.",
    );
    for ((i, s), n) in &m.verifications {
        let _ = writeln!(
            out,
            "sigbridge_verifications_total{{indication=\"{}\",sub_indication=\"{}\"}} {n}",
            label(i),
            label(s)
        );
    }
    header(
        out,
        "sigbridge_request_errors_total",
        "counter",
        "Requests refused, by error kind.",
    );
    for (k, n) in &m.errors {
        let _ = writeln!(
            out,
            "sigbridge_request_errors_total{{kind=\"{}\"}} {n}",
            label(k)
        );
    }
    header(
        out,
        "sigbridge_request_duration_seconds",
        "histogram",
        "Time from request to response, by endpoint.",
    );
    for (e, h) in &m.latency {
        let e = label(e);
        for (b, c) in BUCKETS.iter().zip(h.counts) {
            let _ = writeln!(
                out,
                "sigbridge_request_duration_seconds_bucket{{endpoint=\"{e}\",le=\"{b}\"}} {c}"
            );
        }
        let _ = writeln!(
            out,
            "sigbridge_request_duration_seconds_bucket{{endpoint=\"{e}\",le=\"+Inf\"}} {}",
            h.count
        );
        let _ = writeln!(
            out,
            "sigbridge_request_duration_seconds_sum{{endpoint=\"{e}\"}} {}",
            h.sum
        );
        let _ = writeln!(
            out,
            "sigbridge_request_duration_seconds_count{{endpoint=\"{e}\"}} {}",
            h.count
        );
    }
    header(
        out,
        "sigbridge_trust_reloads_total",
        "counter",
        "Trust-list reloads, by result.",
    );
    for (r, n) in &m.reloads {
        let _ = writeln!(out, "sigbridge_trust_reloads_total{{result=\"{r}\"}} {n}");
    }
}

fn render_gauges(g: &Gauges, out: &mut String) {
    header(
        out,
        "sigbridge_verifications_in_flight",
        "gauge",
        "Verifications running now.",
    );
    let _ = writeln!(out, "sigbridge_verifications_in_flight {}", g.in_flight);
    header(
        out,
        "sigbridge_verifications_waiting",
        "gauge",
        "Requests waiting for a verification slot.",
    );
    let _ = writeln!(out, "sigbridge_verifications_waiting {}", g.waiting);
    header(
        out,
        "sigbridge_verification_slots",
        "gauge",
        "Verifications allowed at once.",
    );
    let _ = writeln!(out, "sigbridge_verification_slots {}", g.slots);
    let caches = [
        ("signatures", g.cache.signatures),
        ("sub_paths", g.cache.sub_paths),
        ("certificates", g.cache.certificates),
        ("crls", g.cache.crls),
    ];
    header(
        out,
        "sigbridge_cache_hits_total",
        "counter",
        "Cache lookups answered from the cache (since the verifier was built).",
    );
    for (c, s) in &caches {
        let _ = writeln!(
            out,
            "sigbridge_cache_hits_total{{cache=\"{c}\"}} {}",
            s.hits
        );
    }
    header(
        out,
        "sigbridge_cache_misses_total",
        "counter",
        "Cache lookups that computed the answer.",
    );
    for (c, s) in &caches {
        let _ = writeln!(
            out,
            "sigbridge_cache_misses_total{{cache=\"{c}\"}} {}",
            s.misses
        );
    }
    header(
        out,
        "sigbridge_cache_hit_ratio",
        "gauge",
        "hits / (hits + misses), 0 before any lookup.",
    );
    for (c, s) in &caches {
        let _ = writeln!(
            out,
            "sigbridge_cache_hit_ratio{{cache=\"{c}\"}} {}",
            s.hit_rate()
        );
    }
    header(
        out,
        "sigbridge_cache_entries",
        "gauge",
        "Entries held by each cache.",
    );
    for (c, s) in &caches {
        let _ = writeln!(
            out,
            "sigbridge_cache_entries{{cache=\"{c}\"}} {}",
            s.entries
        );
    }
}
