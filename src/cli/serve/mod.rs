//! `sigbridge serve`: the HTTP verification service (axum on tokio). Owns the flags, the
//! shared state (the verifier behind an `Arc` swapped on reload, the verification slots, the
//! metrics), the listeners (public, and the admin one bound to loopback), SIGHUP reloads and
//! graceful shutdown. Request parsing is the library's (`sigbridge::api`); the routes are in
//! `routes`, the OpenAPI document in `openapi`, the page in `page.html`.

mod metrics;
mod openapi;
mod routes;

use super::{Revocation, EXIT_INPUT, EXIT_USAGE, EXIT_VALID};
use clap::Args;
use sigbridge::verify::{Verifier, VerifierConfig};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8480")]
    listen: SocketAddr,
    /// Verifier configuration file (JSON: sigbridge::verify::VerifierConfig); the flags
    /// below override what it sets.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Admin listener (POST /admin/reload), loopback addresses only.
    #[arg(long, default_value = "127.0.0.1:8481")]
    admin_listen: SocketAddr,
    /// No admin listener (reload with SIGHUP only).
    #[arg(long)]
    no_admin: bool,
    /// Largest request body, bytes (a JSON body carries the document in base64: 4/3 of it).
    #[arg(long, default_value_t = 32 << 20)]
    max_body: usize,
    /// Verifications running at once (default: the number of CPUs).
    #[arg(long)]
    max_concurrent: Option<usize>,
    /// Requests that may wait for a verification slot; beyond it: 503 with Retry-After.
    #[arg(long, default_value_t = 256)]
    max_waiting: usize,
    /// Seconds a request may take (reading its body, waiting and verifying).
    #[arg(long, default_value_t = 30)]
    request_timeout: u64,
    /// The Retry-After of a 503, seconds.
    #[arg(long, default_value_t = 1)]
    retry_after: u64,
    /// Print the OpenAPI document and exit.
    #[arg(long)]
    openapi: bool,
    /// Folder with hk/trust-list.json and gd/trust-list.json (default: the bundled lists).
    #[arg(long)]
    trust_stores: Option<PathBuf>,
    /// Extra trust anchor certificate files (domestic for either jurisdiction).
    #[arg(long, num_args = 1..)]
    anchor: Vec<PathBuf>,
    /// Extra certificates for path building.
    #[arg(long, num_args = 1..)]
    cert: Vec<PathBuf>,
    /// Extra CRL files.
    #[arg(long, num_args = 1..)]
    crl: Vec<PathBuf>,
    /// Default validation time, RFC 3339 (default: now, per request).
    #[arg(long)]
    at: Option<String>,
    /// Revocation checking (default: the configuration's, else prefer).
    #[arg(long, value_enum)]
    revocation: Option<Revocation>,
    /// The default relying party (default: the jurisdiction whose list holds the anchor).
    #[arg(long = "for", value_enum)]
    for_: Option<super::verify::Side>,
    /// Fetch CRLs, OCSP responses and issuer certificates that documents do not carry
    /// (off by default in the service; the configuration's `fetch` also enables it).
    /// Loopback, private, link-local and metadata addresses are refused unless
    /// --fetch-allow names them.
    #[arg(long)]
    fetch: bool,
    /// Hosts, addresses or CIDR ranges fetching may reach although internal
    /// (`ocsp.intranet.example`, `10.20.0.0/16`); needs fetching enabled.
    #[arg(long = "fetch-allow", num_args = 1..)]
    fetch_allow: Vec<String>,
    /// The weakest revocation mode a request may ask for; a request asking for less is
    /// refused (403 forbidden). Default: any.
    #[arg(long, value_enum)]
    min_revocation: Option<Revocation>,
    /// Seconds between SIGTERM and closing the listener: /readyz answers 503 while requests
    /// are still served, so a load balancer stops sending new ones first.
    #[arg(long, default_value_t = 0)]
    drain: u64,
    /// Requests with a body up to this many bytes are verified on the HTTP worker thread
    /// itself, without the hand-off to the blocking pool (two thread wake-ups, which cost
    /// small documents more than their verification); larger ones go to the blocking pool so
    /// that they never hold a worker for long. 0: always the blocking pool.
    #[arg(long, default_value_t = 64 << 10)]
    inline_below: usize,
    /// Log level of the stderr lines: error, warn, info or debug.
    #[arg(long, value_enum, default_value_t = LogLevel::Info)]
    log_level: LogLevel,
}

/// `--log-level`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogLevel {
    /// Errors only (failed reloads, signal handlers).
    Error,
    /// Errors and warnings.
    Warn,
    /// One line per verification, refusal, reload and lifecycle event.
    Info,
    /// Everything, including the HTTP layer's.
    Debug,
}

impl LogLevel {
    fn level(self) -> tracing::Level {
        match self {
            LogLevel::Error => tracing::Level::ERROR,
            LogLevel::Warn => tracing::Level::WARN,
            LogLevel::Info => tracing::Level::INFO,
            LogLevel::Debug => tracing::Level::DEBUG,
        }
    }
}

impl ServeArgs {
    /// The configuration file (if any) with the flags applied on top. Online fetching is
    /// off unless the configuration or `--fetch` enables it; the library's fetcher then
    /// refuses internal addresses that `allow_internal` (`--fetch-allow`) does not name.
    fn verifier_config(&self) -> Result<VerifierConfig, String> {
        let mut c = match &self.config {
            Some(f) => VerifierConfig::load(f).map_err(|e| e.to_string())?,
            None => VerifierConfig::default(),
        };
        if let Some(t) = &self.trust_stores {
            c.trust_stores = Some(t.clone());
        }
        c.anchors.extend(self.anchor.iter().cloned());
        c.certificates.extend(self.cert.iter().cloned());
        c.crls.extend(self.crl.iter().cloned());
        if let Some(t) = &self.at {
            super::parse_at(Some(t))?;
            c.validation_time = Some(t.clone());
        }
        if let Some(r) = self.revocation {
            c.revocation = r.mode();
        }
        if let Some(j) = self.for_ {
            c.relying_party = Some(j.jurisdiction());
        }
        if self.fetch && c.fetch.is_none() {
            c.fetch = Some(Default::default());
        }
        if let Some(floor) = self.min_revocation {
            if !c.revocation.at_least(floor.mode()) {
                return Err(format!(
                    "the default revocation mode {} is weaker than --min-revocation {}",
                    c.revocation.as_str(),
                    floor.mode().as_str()
                ));
            }
        }
        if !self.fetch_allow.is_empty() {
            match c.fetch.as_mut() {
                Some(f) => f.allow_internal.extend(self.fetch_allow.iter().cloned()),
                None => {
                    return Err("--fetch-allow: fetching is off (give --fetch, or `fetch` in the configuration)".to_owned())
                }
            }
        }
        Ok(c)
    }

    /// Builds the verifier from the configuration and flags (files re-read each time).
    fn build_verifier(&self) -> Result<Verifier, String> {
        let c = self.verifier_config()?;
        c.build().map_err(|e| e.to_string())
    }
}

/// What every request shares.
pub struct State {
    args: ServeArgs,
    verifier: RwLock<Arc<Verifier>>,
    slots: Arc<tokio::sync::Semaphore>,
    slot_count: usize,
    waiting: AtomicUsize,
    ready: AtomicBool,
    metrics: metrics::Metrics,
}

impl State {
    /// The verifier now (a reload swaps it; requests in flight keep theirs).
    fn verifier(&self) -> Arc<Verifier> {
        match self.verifier.read() {
            Ok(g) => Arc::clone(&g),
            Err(p) => Arc::clone(&p.into_inner()),
        }
    }

    /// Re-reads the configuration, trust lists and files; keeps the old verifier on error.
    fn reload(&self) -> Result<(), String> {
        let result = self.args.build_verifier();
        match result {
            Ok(v) => {
                let mut g = match self.verifier.write() {
                    Ok(g) => g,
                    Err(p) => p.into_inner(),
                };
                *g = Arc::new(v);
                self.metrics.reload("ok");
                tracing::info!("trust lists and configuration reloaded");
                Ok(())
            }
            Err(e) => {
                self.metrics.reload("failed");
                tracing::error!(error = %e, "reload failed; the previous configuration stays");
                Err(e)
            }
        }
    }

    fn gauges(&self) -> metrics::Gauges {
        metrics::Gauges {
            in_flight: self.slot_count - self.slots.available_permits(),
            waiting: self.waiting.load(Ordering::Relaxed),
            slots: self.slot_count,
            cache: self.verifier().cache_stats(),
        }
    }
}

pub fn run(args: ServeArgs) -> i32 {
    if args.openapi {
        out!("{}", openapi::document_text());
        return EXIT_VALID;
    }
    if !args.no_admin && !args.admin_listen.ip().is_loopback() {
        eprintln!(
            "sigbridge serve: --admin-listen {} is not a loopback address (the admin endpoint must not be reachable from the network)",
            args.admin_listen
        );
        return EXIT_USAGE;
    }
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false)
        .with_max_level(args.log_level.level())
        .try_init();
    let verifier = match args.build_verifier() {
        Ok(v) => v,
        Err(e) => {
            eprintln!("sigbridge serve: {e}");
            return EXIT_INPUT;
        }
    };
    let slot_count = args
        .max_concurrent
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .max(1);
    let state = Arc::new(State {
        args: args.clone(),
        verifier: RwLock::new(Arc::new(verifier)),
        slots: Arc::new(tokio::sync::Semaphore::new(slot_count)),
        slot_count,
        waiting: AtomicUsize::new(0),
        ready: AtomicBool::new(true),
        metrics: metrics::Metrics::default(),
    });
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(slot_count + 4)
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sigbridge serve: cannot start the runtime: {e}");
            return EXIT_INPUT;
        }
    };
    match runtime.block_on(serve(state)) {
        Ok(()) => EXIT_VALID,
        Err(e) => {
            eprintln!("sigbridge serve: {e}");
            EXIT_INPUT
        }
    }
}

async fn serve(state: Arc<State>) -> Result<(), String> {
    let args = &state.args;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let admin = if args.no_admin {
        None
    } else {
        let l = tokio::net::TcpListener::bind(args.admin_listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.admin_listen))?;
        Some(l)
    };
    // One line on stdout for scripts and tests: where the service listens.
    out!("sigbridge serve: listening on http://{local}");
    if let Some(a) = &admin {
        if let Ok(addr) = a.local_addr() {
            out!("sigbridge serve: admin on http://{addr}");
        }
    }
    tracing::info!(%local, "listening");
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(signals(Arc::clone(&state), stop_tx));
    if let Some(a) = admin {
        let app = routes::admin_router(Arc::clone(&state));
        let mut rx = stop_rx.clone();
        tokio::spawn(async move {
            let _ = axum::serve(a, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.wait_for(|s| *s).await;
                })
                .await;
        });
    }
    let app = routes::router(Arc::clone(&state));
    let mut rx = stop_rx;
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = rx.wait_for(|s| *s).await;
        })
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!("stopped");
    Ok(())
}

/// SIGHUP: reload. SIGINT / SIGTERM: not ready, then stop accepting and finish the requests
/// in flight.
async fn signals(state: Arc<State>, stop: tokio::sync::watch::Sender<bool>) {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut hup), Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::hangup()),
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        tracing::error!("cannot install signal handlers");
        return;
    };
    loop {
        tokio::select! {
            _ = hup.recv() => {
                let s = Arc::clone(&state);
                let _ = tokio::task::spawn_blocking(move || s.reload()).await;
            }
            _ = term.recv() => break,
            _ = int.recv() => break,
        }
    }
    state.ready.store(false, Ordering::SeqCst);
    if state.args.drain > 0 {
        tracing::info!(
            seconds = state.args.drain,
            "draining: /readyz answers 503, requests are still served"
        );
        tokio::time::sleep(Duration::from_secs(state.args.drain)).await;
    }
    tracing::info!("shutting down: finishing the requests in flight");
    let _ = stop.send(true);
}

/// The request timeout.
fn request_timeout(state: &State) -> Duration {
    Duration::from_secs(state.args.request_timeout.max(1))
}
