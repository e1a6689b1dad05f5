//! The service's bounded load test on loopback (a bench binary, not a timed unit test):
//! 1 KB RSA detached documents made here with OpenSSL (the fixtures' HK e-Cert key), then
//!
//! 1. `sigbridge batch --jobs 2` over the same documents (the baseline),
//! 2. `sigbridge serve` with 64 keep-alive clients for 20 s (throughput, p50/p99),
//! 3. 1,000 idle connections held open while a client still gets answers,
//! 4. a burst of malformed bodies (every answer must be the intended 4xx),
//!
//! with the server's peak RSS, and, when `SIGBRIDGE_PYTHON` names a Python with the
//! package installed, Python `verify` against the Rust call on the same document.
//! `SIGBRIDGE_BENCH_QUICK=1` (CI) shortens every phase to seconds. Figures go to stdout and
//! target/service-bench.json; benches/README.md records them.

#[path = "../tests/support/mod.rs"]
mod support;

/// The same allocator as the Python extension and the `sigbridge` binary, so that the
/// Python / Rust ratio measures the binding alone.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::*;

const BIN: &str = env!("CARGO_BIN_EXE_sigbridge");
const AT: &str = "2026-12-01T00:00:00Z";

struct Plan {
    documents: usize,
    clients: usize,
    seconds: u64,
    idle: usize,
    malformed: usize,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `n` 1 KB contents and their detached RSA signatures (NAME.p7s beside NAME).
fn make_documents(dir: &Path, n: usize) -> Vec<(Vec<u8>, Vec<u8>)> {
    let pki = root().join("fixtures/docs/pki");
    std::fs::create_dir_all(dir).unwrap();
    let chunk = n.div_ceil(2);
    let handles: Vec<_> = (0..2)
        .map(|t| {
            let (dir, pki) = (dir.to_path_buf(), pki.clone());
            std::thread::spawn(move || {
                for i in (t * chunk)..((t + 1) * chunk).min(n) {
                    let content = dir.join(format!("doc-{i:05}.txt"));
                    let mut text =
                        format!("Contract {i}: the parties agree as follows. ").into_bytes();
                    while text.len() < 1024 {
                        text.extend_from_slice(b"Clause. ");
                    }
                    text.truncate(1024);
                    std::fs::write(&content, &text).unwrap();
                    let ok = Command::new("openssl")
                        .args(["cms", "-sign", "-binary", "-md", "sha256", "-signer"])
                        .arg(pki.join("hk-personal.pem"))
                        .arg("-inkey")
                        .arg(pki.join("hk-personal.key"))
                        .arg("-certfile")
                        .arg(pki.join("hk-ca-15.pem"))
                        .arg("-in")
                        .arg(&content)
                        .args(["-outform", "DER", "-out"])
                        .arg(dir.join(format!("doc-{i:05}.txt.p7s")))
                        .status()
                        .unwrap()
                        .success();
                    assert!(ok, "openssl cms -sign");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    (0..n)
        .map(|i| {
            let c = std::fs::read(dir.join(format!("doc-{i:05}.txt"))).unwrap();
            let s = std::fs::read(dir.join(format!("doc-{i:05}.txt.p7s"))).unwrap();
            (s, c)
        })
        .collect()
}

fn verifier_flags() -> Vec<String> {
    let stores = root().join("fixtures/trust-stores");
    vec![
        "--trust-stores".into(),
        stores.to_string_lossy().into_owned(),
        "--at".into(),
        AT.into(),
        "--revocation".into(),
        "off".into(),
    ]
}

/// `runs` `batch --jobs 2` runs over the documents, documents/s each.
fn batch_throughput(dir: &Path, n: usize, runs: usize) -> Vec<f64> {
    let mut rates = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let out = Command::new(BIN)
            .arg("batch")
            .args(verifier_flags())
            .args(["--jobs", "2", "--format", "json"])
            .arg(dir)
            .output()
            .unwrap();
        let secs = start.elapsed().as_secs_f64();
        let text = String::from_utf8_lossy(&out.stdout);
        let passed = text.matches("\"TOTAL_PASSED\"").count();
        assert!(passed >= n, "batch: {passed} of {n} passed");
        rates.push(n as f64 / secs);
    }
    rates
}

/// Batch runs on each side of the load (a 1,000-document batch takes about 0.1 s, so single
/// runs move with the machine; the median of ten is steadier).
const BATCH_RUNS_EACH_SIDE: usize = 5;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

struct LoadResult {
    requests: usize,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    busy: usize,
}

/// `clients` keep-alive connections posting the documents round-robin for `seconds`, all
/// driven by one thread (a current-thread tokio runtime). The load generator shares the two
/// cores with the server; 64 blocking client threads took about 18 % of the machine in
/// wake-ups and context switches, which is load-generator cost, not the server's HTTP
/// overhead.
fn load(
    addr: std::net::SocketAddr,
    bodies: &Arc<Vec<String>>,
    clients: usize,
    seconds: u64,
) -> LoadResult {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let bodies = Arc::clone(bodies);
    rt.block_on(async move {
        let stop = Arc::new(AtomicBool::new(false));
        let start = Instant::now();
        let tasks: Vec<_> = (0..clients)
            .map(|c| {
                let (stop, bodies) = (Arc::clone(&stop), Arc::clone(&bodies));
                tokio::spawn(async move { client(addr, &bodies, c, clients, &stop).await })
            })
            .collect();
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        stop.store(true, Ordering::Relaxed);
        let (mut l, mut busy) = (Vec::new(), 0usize);
        for t in tasks {
            let (mine, b) = t.await.unwrap();
            l.extend(mine);
            busy += b;
        }
        let elapsed = start.elapsed().as_secs_f64();
        l.sort_by(|a, b| a.partial_cmp(b).unwrap());
        LoadResult {
            requests: l.len(),
            per_second: l.len() as f64 / elapsed,
            p50_ms: percentile(&l, 0.50),
            p99_ms: percentile(&l, 0.99),
            busy,
        }
    })
}

/// One keep-alive client of `load`: latencies (ms) of its 200 answers, and its 503 count.
async fn client(
    addr: std::net::SocketAddr,
    bodies: &[String],
    first: usize,
    step: usize,
    stop: &AtomicBool,
) -> (Vec<f64>, usize) {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let (mut latencies, mut busy) = (Vec::new(), 0usize);
    let mut request = Vec::new();
    let mut response = Vec::new();
    let mut i = first;
    while !stop.load(Ordering::Relaxed) {
        let body = &bodies[i % bodies.len()];
        i += step;
        request.clear();
        request.extend_from_slice(
            format!(
                "POST /v1/verify HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .as_bytes(),
        );
        request.extend_from_slice(body.as_bytes());
        let t = Instant::now();
        write_all(&stream, &request).await;
        let (status, answer) = read_response(&stream, &mut response).await;
        let ms = t.elapsed().as_secs_f64() * 1e3;
        match status {
            200 => {
                assert!(
                    answer.windows(14).any(|w| w == b"\"TOTAL_PASSED\""),
                    "{}",
                    String::from_utf8_lossy(&answer)
                );
                latencies.push(ms);
            }
            503 => busy += 1,
            s => panic!(
                "unexpected status {s}: {}",
                String::from_utf8_lossy(&answer)
            ),
        }
    }
    (latencies, busy)
}

async fn write_all(stream: &tokio::net::TcpStream, mut data: &[u8]) {
    while !data.is_empty() {
        stream.writable().await.unwrap();
        match stream.try_write(data) {
            Ok(n) => data = &data[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => panic!("write: {e}"),
        }
    }
}

/// One HTTP/1.1 response with a Content-Length body (what the service sends): its status
/// and body. `buf` is reused between responses (no pipelining, so nothing is left over).
async fn read_response(stream: &tokio::net::TcpStream, buf: &mut Vec<u8>) -> (u16, Vec<u8>) {
    buf.clear();
    let mut chunk = [0u8; 16 * 1024];
    let mut need: Option<(usize, u16, usize)> = None; // (header end, status, body length)
    loop {
        if need.is_none() {
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..end]).into_owned();
                let status: u16 = head
                    .split(' ')
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| panic!("no status line: {head}"));
                let length = head
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse::<usize>().ok())
                            .flatten()
                    })
                    .unwrap_or_else(|| panic!("no Content-Length: {head}"));
                need = Some((end + 4, status, length));
            }
        }
        if let Some((body_at, status, length)) = need {
            if buf.len() >= body_at + length {
                return (status, buf[body_at..body_at + length].to_vec());
            }
        }
        stream.readable().await.unwrap();
        match stream.try_read(&mut chunk) {
            Ok(0) => panic!("the server closed the connection"),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => panic!("read: {e}"),
        }
    }
}

/// Holds `n` idle connections open, checks a fresh client is still served, then closes them.
fn idle_connections(s: &Server, n: usize, body: &str) -> (usize, f64) {
    let mut idle = Vec::with_capacity(n);
    for _ in 0..n {
        idle.push(std::net::TcpStream::connect(s.addr).unwrap());
    }
    std::thread::sleep(Duration::from_millis(500));
    let t = Instant::now();
    let r = request(
        s.addr,
        "POST",
        "/v1/verify",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    let ms = t.elapsed().as_secs_f64() * 1e3;
    assert_eq!(r.status, 200, "with {n} idle connections open");
    assert_eq!(get(s.addr, "/healthz").status, 200);
    let open = idle.len();
    drop(idle);
    (open, ms)
}

/// `n` malformed requests from 8 clients: every answer must be the intended 4xx.
fn malformed_burst(addr: std::net::SocketAddr, n: usize) -> (usize, f64) {
    let cases: Arc<Vec<(&'static str, Vec<u8>, u16)>> = Arc::new(vec![
        ("application/json", b"{\"document\": ".to_vec(), 400),
        ("application/json", b"{\"document\": \"%%%\"}".to_vec(), 400),
        (
            "application/json",
            b"{\"document\": \"MIA=\", \"evil\": 1}".to_vec(),
            400,
        ),
        ("text/plain", b"hello".to_vec(), 415),
        (
            "application/json",
            format!("{{\"document\": \"{}\"}}", b64(b"\x30\x82\xff\xff garbage")).into_bytes(),
            422,
        ),
        (
            "multipart/form-data; boundary=x",
            b"--x\r\nbroken".to_vec(),
            400,
        ),
        // 200,000 nested arrays, inside --max-body (32 MiB): refused by the JSON depth limit.
        ("application/json", vec![b'['; 200_000], 400),
    ]);
    let start = Instant::now();
    let handles: Vec<_> = (0..8)
        .map(|c| {
            let cases = cases.clone();
            std::thread::spawn(move || {
                let mut done = 0;
                let mut conn = Conn::open(addr).unwrap();
                for i in (c..n).step_by(8) {
                    let (ct, body, want) = &cases[i % cases.len()];
                    let r = match conn.request("POST", "/v1/verify", &[("Content-Type", ct)], body)
                    {
                        Ok(r) => r,
                        Err(_) => {
                            // The server may close after refusing a body it did not read.
                            conn = Conn::open(addr).unwrap();
                            conn.request("POST", "/v1/verify", &[("Content-Type", ct)], body)
                                .unwrap()
                        }
                    };
                    assert_eq!(r.status, *want, "{ct}: {}", r.text());
                    assert!(!r.kind().is_empty());
                    if r.header("connection")
                        .is_some_and(|v| v.eq_ignore_ascii_case("close"))
                    {
                        conn = Conn::open(addr).unwrap();
                    }
                    done += 1;
                }
                done
            })
        })
        .collect();
    let done: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    (done, done as f64 / start.elapsed().as_secs_f64())
}

/// Rounds of `n` Rust calls on one document (µs per call each), and, when `python` names a
/// Python with the package installed, rounds of `n` Python calls interleaved with them (the
/// Python process stays up and runs a round whenever asked, between two Rust rounds).
fn call_rounds(
    sig: &[u8],
    content: &[u8],
    files: (&Path, &Path),
    python: Option<&str>,
    n: usize,
    rounds: usize,
) -> (Vec<f64>, Option<Vec<f64>>) {
    let stores = sigbridge::TrustStores::load_dir(
        &root().join("fixtures/trust-stores"),
        &sigbridge::Limits::default(),
    )
    .unwrap();
    let v = sigbridge::Verifier::builder()
        .trust_stores(stores)
        .revocation(sigbridge::revocation::RevocationMode::Off)
        .validation_time(sigbridge::asn1::parse_time(AT))
        .build();
    let rust_round = || {
        let t = Instant::now();
        for _ in 0..n {
            let mut c: &[u8] = content;
            let r = v
                .verify_with(sig, sigbridge::Call::new().content(&mut c))
                .unwrap();
            assert_eq!(r.indication, sigbridge::Indication::TotalPassed);
        }
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    };
    let mut py = python.and_then(|p| PythonRounds::start(p, files));
    let (mut rust, mut pys) = (Vec::new(), Vec::new());
    // One unmeasured round each to warm caches and the allocator.
    rust_round();
    if let Some(p) = py.as_mut() {
        if p.round(n).is_none() {
            py = None;
        }
    }
    for r in 0..rounds {
        // Alternate which goes first, so neither always runs right after the other.
        if r % 2 == 1 {
            rust.push(rust_round());
        }
        if let Some(p) = py.as_mut() {
            match p.round(n) {
                Some(us) => pys.push(us),
                None => py = None,
            }
        }
        if r % 2 == 0 {
            rust.push(rust_round());
        }
    }
    let ok = py.is_some();
    (rust, ok.then_some(pys))
}

/// The Python side of `call_rounds`: `python/bench.py` kept running, one round per request.
struct PythonRounds {
    child: std::process::Child,
    input: std::process::ChildStdin,
    output: std::io::BufReader<std::process::ChildStdout>,
}

impl PythonRounds {
    fn start(python: &str, (sig, content): (&Path, &Path)) -> Option<PythonRounds> {
        use std::io::BufRead;
        use std::process::Stdio;
        let mut child = Command::new(python)
            .arg(root().join("python/bench.py"))
            .arg(root().join("fixtures/trust-stores"))
            .arg(sig)
            .arg(content)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| eprintln!("python bench: cannot start {python}: {e}"))
            .ok()?;
        let input = child.stdin.take()?;
        let mut output = std::io::BufReader::new(child.stdout.take()?);
        let mut ready = String::new();
        output.read_line(&mut ready).ok()?;
        if ready.trim() != "ready" {
            eprintln!("python bench did not start (said {ready:?})");
            let _ = child.kill();
            return None;
        }
        Some(PythonRounds {
            child,
            input,
            output,
        })
    }

    fn round(&mut self, n: usize) -> Option<f64> {
        use std::io::{BufRead, Write};
        writeln!(self.input, "{n}").ok()?;
        self.input.flush().ok()?;
        let mut line = String::new();
        self.output.read_line(&mut line).ok()?;
        let us = line.trim().parse().ok();
        if us.is_none() {
            eprintln!("python bench failed (said {line:?})");
        }
        us
    }
}

impl Drop for PythonRounds {
    fn drop(&mut self) {
        use std::io::Write;
        let _ = writeln!(self.input);
        let _ = self.child.wait();
    }
}

/// The median (the mean of the middle two for an even count; 0 for none).
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn main() {
    // `cargo bench` passes --bench; nothing else is read from the arguments.
    let quick = std::env::var("SIGBRIDGE_BENCH_QUICK").is_ok_and(|v| v == "1");
    let plan = if quick {
        Plan {
            documents: 200,
            clients: 64,
            seconds: 3,
            idle: 1000,
            malformed: 700,
        }
    } else {
        Plan {
            documents: 1000,
            clients: 64,
            seconds: 20,
            idle: 1000,
            malformed: 5000,
        }
    };
    let dir = std::env::temp_dir().join(format!("sigbridge-service-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let t = Instant::now();
    let docs = make_documents(&dir, plan.documents);
    println!(
        "made {} 1 KB RSA detached documents in {:.1} s",
        docs.len(),
        t.elapsed().as_secs_f64()
    );

    // The baseline: short batch runs before the load and after it (once the server has
    // stopped), so a change of machine speed during the 20 s of load moves both sides alike;
    // the service is compared with their median (a 20 s average against a best run would
    // favour the batch) and, for reference, with the best.
    let _ = batch_throughput(&dir, plan.documents, 1); // warm-up: page cache, first-run effects
    let mut batch_runs = batch_throughput(&dir, plan.documents, BATCH_RUNS_EACH_SIDE);

    let flags = verifier_flags();
    let mut args: Vec<&str> = flags.iter().map(String::as_str).collect();
    args.push("--no-admin");
    // Extra `serve` flags for experiments (e.g. `--inline-below 0`), space-separated.
    let extra = std::env::var("SIGBRIDGE_BENCH_SERVE_ARGS").unwrap_or_default();
    args.extend(extra.split_whitespace());
    let server = Server::start_bin(BIN, &args);
    let bodies: Arc<Vec<String>> = Arc::new(
        docs.iter()
            .map(|(s, c)| json!({"document": b64(s), "content": b64(c)}).to_string())
            .collect(),
    );
    // Warm up (first-touch allocations, the sub-path cache).
    let _ = load(server.addr, &bodies, 4, 1);
    let l = load(server.addr, &bodies, plan.clients, plan.seconds);
    let (idle, idle_ms) = idle_connections(&server, plan.idle, &bodies[0]);
    println!("{idle} idle connections open: a new client still answered in {idle_ms:.1} ms");
    let (bad, bad_rate) = malformed_burst(server.addr, plan.malformed);
    println!("malformed burst: {bad} requests, all the intended 4xx, {bad_rate:.0}/s");
    assert_eq!(
        get(server.addr, "/healthz").status,
        200,
        "alive after the burst"
    );
    let metrics = get(server.addr, "/metrics").text();
    assert!(
        !metrics
            .lines()
            .any(|l| l.starts_with("sigbridge_requests_total")
                && l.contains("status=\"5")
                && !l.contains("status=\"503\"")),
        "a 5xx other than 503"
    );
    let rss_mib = server.peak_rss_kib().unwrap_or(0) as f64 / 1024.0;
    println!("server peak RSS: {rss_mib:.1} MiB");
    drop(server);
    batch_runs.extend(batch_throughput(&dir, plan.documents, BATCH_RUNS_EACH_SIDE));
    let batch = median(batch_runs.clone());
    let batch_best = batch_runs.iter().copied().fold(0f64, f64::max);
    println!(
        "batch --jobs 2: median {batch:.0} documents/s, best {batch_best:.0} ({BATCH_RUNS_EACH_SIDE} runs before the load, {BATCH_RUNS_EACH_SIDE} after: {})",
        batch_runs.iter().map(|r| format!("{r:.0}")).collect::<Vec<_>>().join(", ")
    );
    let ratio = l.per_second / batch;
    println!(
        "serve, {} clients for {} s: {} verified, {:.0} requests/s ({:.0} % of the batch median, {:.0} % of its best), p50 {:.2} ms, p99 {:.2} ms, 503s {}",
        plan.clients, plan.seconds, l.requests, l.per_second, ratio * 100.0, l.per_second / batch_best * 100.0, l.p50_ms, l.p99_ms, l.busy
    );

    let (sig, content) = &docs[0];
    let py_var = std::env::var("SIGBRIDGE_PYTHON")
        .ok()
        .filter(|p| !p.is_empty());
    let (rust_rounds, py_rounds) = call_rounds(
        sig,
        content,
        (&dir.join("doc-00000.txt.p7s"), &dir.join("doc-00000.txt")),
        py_var.as_deref(),
        if quick { 300 } else { 1000 },
        if quick { 3 } else { 9 },
    );
    // The ratio of each interleaved pair, then the median: a drift of machine speed between
    // pairs cancels out.
    let python_ratio = py_rounds
        .as_ref()
        .map(|p| median(p.iter().zip(&rust_rounds).map(|(py, rs)| py / rs).collect()));
    let rust_us = median(rust_rounds.clone());
    let python = py_rounds.clone().map(median);
    match (python, python_ratio) {
        (Some(py), Some(r)) => println!(
            "Rust verify_with {rust_us:.1} µs/call, Python verify {py:.1} µs/call (medians of {} interleaved rounds); \
             median of the per-round ratios Python / Rust: {r:.2}x",
            rust_rounds.len()
        ),
        _ => println!(
            "Rust verify_with {rust_us:.1} µs/call (SIGBRIDGE_PYTHON unset or failed: Python not measured)"
        ),
    }
    let report = json!({
        "quick": quick, "documents": plan.documents, "batch_per_second": batch, "batch_best_per_second": batch_best, "batch_runs": batch_runs,
        "serve": {"clients": plan.clients, "seconds": plan.seconds, "verified": l.requests, "per_second": l.per_second,
                  "ratio_to_batch": ratio, "p50_ms": l.p50_ms, "p99_ms": l.p99_ms, "busy_503": l.busy},
        "idle_connections": idle, "idle_fresh_request_ms": idle_ms,
        "malformed": bad, "peak_rss_mib": rss_mib,
        "rust_call_us": rust_us, "python_call_us": python, "python_ratio": python_ratio,
        "rust_rounds_us": rust_rounds, "python_rounds_us": py_rounds,
    });
    let _ = std::fs::write(
        root().join("target/service-bench.json"),
        serde_json::to_string_pretty(&report).unwrap(),
    );
    let _ = std::fs::remove_dir_all(&dir);
}
