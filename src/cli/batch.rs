//! `sigbridge batch`: verify every signed file under some folders (or listed in a manifest)
//! in parallel, print one line per document in discovery order, then a summary.
//!
//! This module owns the batch layer only: discovering the documents (and the content beside
//! each detached signature), scheduling them on a rayon thread pool, putting the results back
//! in discovery order through a bounded reorder buffer, the progress bar (stderr, terminals
//! only), the per-document lines, the summary and the batch exit code. Building the
//! [`Verifier`] is `verify`'s job ([`super::verify::VerifierArgs::build_verifier`]) and
//! judging a document is the library's ([`Verifier::verify`]).

use super::output;
use super::verify::{exit_code, partial_note, Prepared, VerifierArgs};
use super::{Detail, Format, EXIT_INPUT, EXIT_INVALID, EXIT_VALID};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use sigbridge::recognition::RecognitionStatus;
use sigbridge::report::compact::CompactReport;
use sigbridge::report::error::ErrorKind;
use sigbridge::trust::Jurisdiction;
use sigbridge::verdict::Indication;
use sigbridge::verify::{CacheStats, Verifier};
use sigbridge::{DocumentReport, Limits};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

// The verifier is built once and shared by reference with every worker thread.
const _: fn() = || {
    fn shared_across_threads<T: Send + Sync>() {}
    shared_across_threads::<Verifier>();
};

/// File name endings picked up when walking a folder (compared case-insensitively). A
/// `.pdf` is a document (its embedded signatures); `NAME.pdf.p7s` is still a detached
/// signature over `NAME.pdf`.
const SIGNED_EXTENSIONS: [&str; 6] = ["p7s", "p7m", "p7", "eml", "pdf", "ofd"];

/// How many documents may be in flight or waiting to be printed, per worker thread.
const WINDOW_PER_JOB: usize = 64;

#[derive(Args, Debug)]
pub struct BatchArgs {
    /// Files and folders to verify; folders are walked recursively (see the discovery rules).
    /// Put them before --anchor, --cert and --crl (which take several files), or after `--`.
    #[arg(
        value_name = "PATH",
        required_unless_present = "manifest",
        conflicts_with = "manifest"
    )]
    paths: Vec<PathBuf>,
    /// Verify the documents listed in FILE instead of walking folders: one `SIGNATURE
    /// [CONTENT]` per line (separated by a tab if the line has one, else by spaces), paths
    /// relative to the manifest's folder; blank lines and lines starting with `#` are skipped.
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// Worker threads (default: the number of cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    #[command(flatten)]
    options: VerifierArgs,
    /// Output format: one text line per document, or one JSON object per line.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// With --format json: each line's report in full, or its compact summary
    /// (sigbridge-summary/1).
    #[arg(long, value_enum, default_value_t = Detail::Full)]
    detail: Detail,
}

/// How each document's line is written.
#[derive(Clone, Copy, Debug)]
struct Style {
    format: Format,
    detail: Detail,
}

/// One document to verify, or a path that could not even be walked.
#[derive(Debug)]
enum Item {
    Document {
        file: PathBuf,
        content: Option<PathBuf>,
    },
    Unreadable {
        path: PathBuf,
        error: String,
    },
}

/// What became of one item.
enum Outcome {
    Report(Box<DocumentReport>),
    /// The rendered error; it starts with the path it is about.
    Error(String),
}

/// What the summary needs of one item; the report itself is dropped on the worker that
/// made it (freeing it on the printing thread cost that thread a cross-thread free per
/// allocation).
enum Tally {
    Report {
        indication: Indication,
        sub_indication: Option<sigbridge::verdict::SubIndication>,
        hk: DocRecognition,
        gd: DocRecognition,
    },
    /// Unreadable, unparsable or refused (its line says why).
    Error,
}

impl Tally {
    fn of(outcome: Outcome) -> Tally {
        match outcome {
            Outcome::Report(r) => Tally::Report {
                indication: r.indication,
                sub_indication: r.sub_indication,
                hk: DocRecognition::of(&r, Jurisdiction::Hk),
                gd: DocRecognition::of(&r, Jurisdiction::Gd),
            },
            Outcome::Error(_) => Tally::Error,
        }
    }
}

/// Recognition of a document for one relying party, over all its signers.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum DocRecognition {
    /// Every signer recognised domestically.
    Domestic,
    /// Every signer recognised, at least one through mutual recognition.
    Mutual,
    /// At least one signer not recognised (or not judged: no certificate, no path).
    NotRecognised,
    /// No signer carries a recognition verdict (e.g. no signer at all).
    None,
}

impl DocRecognition {
    fn of(report: &DocumentReport, j: Jurisdiction) -> DocRecognition {
        if report.signers.iter().all(|s| s.recognition.is_none()) {
            return DocRecognition::None;
        }
        report
            .signers
            .iter()
            .map(|s| match s.recognition.as_ref().map(|r| r.get(j).status) {
                Some(RecognitionStatus::Domestic) => DocRecognition::Domestic,
                Some(RecognitionStatus::Mutual) => DocRecognition::Mutual,
                Some(RecognitionStatus::NotRecognised) | None => DocRecognition::NotRecognised,
            })
            .max()
            .unwrap_or(DocRecognition::None)
    }

    fn as_str(self) -> &'static str {
        match self {
            DocRecognition::Domestic => "domestic",
            DocRecognition::Mutual => "mutual",
            DocRecognition::NotRecognised => "not_recognised",
            DocRecognition::None => "none",
        }
    }

    const ALL: [DocRecognition; 4] = [
        DocRecognition::Domestic,
        DocRecognition::Mutual,
        DocRecognition::NotRecognised,
        DocRecognition::None,
    ];
}

pub fn run(args: BatchArgs) -> i32 {
    let limits = Limits::default();
    let json = args.format.json();
    let config = match args.options.config() {
        Ok(c) => c,
        Err((kind, msg)) => return output::fail("batch", json, kind, None, &msg),
    };
    let items = match &args.manifest {
        Some(m) => match read_manifest(m) {
            Ok(items) => items,
            Err(e) => {
                let file = m.display().to_string();
                return output::fail("batch", json, ErrorKind::Unreadable, Some(&file), &e);
            }
        },
        None => discover(&args.paths),
    };
    let Prepared { verifier, partial } = match VerifierArgs::build_verifier(&config) {
        Ok(p) => p,
        Err((kind, e)) => return output::fail("batch", json, kind, None, &e),
    };
    let jobs = args.jobs.map(usize::from).unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("sigbridge-batch-{i}"))
        .build()
    {
        Ok(p) => p,
        Err(e) => {
            let msg = format!("cannot start {jobs} worker threads: {e}");
            return output::fail("batch", json, ErrorKind::Internal, None, &msg);
        }
    };
    if args.detail == Detail::Summary && !json {
        let msg = "--detail summary needs --format json";
        return output::fail("batch", json, ErrorKind::Usage, None, msg);
    }
    let progress = progress_bar(items.len());
    let format = args.format;
    let style = Style {
        format,
        detail: args.detail,
    };
    let mut summary = Summary::default();
    let started = Instant::now();
    // One write per batch of lines (std's stdout alone is line-buffered: a write per line).
    let mut out = std::io::BufWriter::with_capacity(64 << 10, std::io::stdout());
    let quiet = output::quiet();
    run_in_order(&pool, jobs, &verifier, &limits, style, &items, |ready| {
        let count = ready.len() as u64;
        let mut write = || {
            for (outcome, line) in &ready {
                summary.add(outcome);
                if !quiet {
                    let _ = writeln!(out, "{line}");
                }
            }
            let _ = out.flush();
        };
        if progress.is_hidden() {
            write();
        } else {
            progress.suspend(write);
        }
        progress.inc(count);
    });
    drop(out);
    progress.finish_and_clear();
    let elapsed = started.elapsed();
    let code = summary.exit_code();
    if items.is_empty() {
        eprintln!(
            "sigbridge batch: no signed files found (.p7s, .p7m, .p7, .eml, .pdf, .ofd); nothing was verified"
        );
    }
    match format {
        Format::Json => out!(
            "{}",
            summary.json(jobs, elapsed, code, verifier.cache_stats())
        ),
        Format::Text => {
            out!();
            out!("{}", summary.text(jobs, elapsed, verifier.cache_stats()));
            if let Some(note) = partial_note(&partial) {
                out!("{note}");
            }
        }
    }
    code
}

/// A progress bar on stderr when it is a terminal; a hidden one otherwise.
fn progress_bar(len: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{wide_bar} {pos}/{len} documents [{elapsed}, ETA {eta}]")
    {
        bar.set_style(style);
    }
    bar
}

/// Finished results the workers hand back, and how far the run of consecutive finished
/// items reaches.
struct Finished {
    /// Finished and not yet emitted, by index.
    done: BTreeMap<usize, (Tally, String)>,
    /// Every item below this index is finished (emitted or in `done`).
    contiguous: usize,
    /// The printing thread sleeps until `contiguous` reaches this.
    wake_at: usize,
}

/// The printing thread wakes for this many consecutive results (or for the last ones), not
/// for each: one wake-up and one write per batch instead of per document.
const EMIT_BATCH: usize = 16;

/// The longest the printing thread waits for a full batch when some results are ready.
const EMIT_WAIT: Duration = Duration::from_millis(200);

/// Verifies `items` on `pool` and hands the outcomes, each with its output line (rendered on
/// the worker, so the printing thread stays light), to `emit` in the order of `items`, in
/// batches of [`EMIT_BATCH`] or more consecutive ones (fewer at the end, or when the next
/// ones take longer than [`EMIT_WAIT`]). At most `jobs * WINDOW_PER_JOB` items
/// are scheduled beyond the first one not yet emitted, which bounds the reorder buffer.
fn run_in_order(
    pool: &rayon::ThreadPool,
    jobs: usize,
    verifier: &Verifier,
    limits: &Limits,
    style: Style,
    items: &[Item],
    mut emit: impl FnMut(Vec<(Tally, String)>),
) {
    let window = jobs.saturating_mul(WINDOW_PER_JOB).max(EMIT_BATCH * 2);
    let finished = std::sync::Mutex::new(Finished {
        done: BTreeMap::new(),
        contiguous: 0,
        wake_at: 0,
    });
    let wake = std::sync::Condvar::new();
    let lock = || finished.lock().unwrap_or_else(|p| p.into_inner());
    // `in_place_scope` runs this closure on the calling thread (not a worker), so waiting
    // for results here cannot starve the pool, even with one worker.
    pool.in_place_scope(|scope| {
        let (mut next_spawn, mut next_emit) = (0, 0);
        while next_emit < items.len() {
            while next_spawn < items.len() && next_spawn - next_emit < window {
                let index = next_spawn;
                if let Some(item) = items.get(index) {
                    let (finished, wake) = (&finished, &wake);
                    scope.spawn(move |_| {
                        let done = finish_item(verifier, limits, style, item);
                        let mut g = finished.lock().unwrap_or_else(|p| p.into_inner());
                        g.done.insert(index, done);
                        let before = g.contiguous;
                        while g.done.contains_key(&g.contiguous) {
                            g.contiguous += 1;
                        }
                        if g.contiguous > before && g.contiguous >= g.wake_at {
                            wake.notify_one();
                        }
                    });
                }
                next_spawn += 1;
            }
            // Every spawned task finishes exactly once (`finish_item` catches panics).
            let mut g = lock();
            g.wake_at = (next_emit + EMIT_BATCH).min(next_spawn);
            // A batch, or after EMIT_WAIT whatever is ready: slow documents (large PDFs)
            // still show up one by one.
            while g.contiguous < g.wake_at {
                let (guard, waited) = wake
                    .wait_timeout(g, EMIT_WAIT)
                    .unwrap_or_else(|p| p.into_inner());
                g = guard;
                if waited.timed_out() && g.contiguous > next_emit {
                    break;
                }
            }
            let upto = g.contiguous;
            let ready: Vec<(Tally, String)> = (next_emit..upto)
                .filter_map(|i| g.done.remove(&i))
                .collect();
            drop(g);
            next_emit = upto;
            emit(ready);
        }
    });
}

/// Verifies and renders one item; never panics.
fn finish_item(verifier: &Verifier, limits: &Limits, style: Style, item: &Item) -> (Tally, String) {
    let outcome = verify_item(verifier, limits, item);
    let line = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        render_line(style, item, &outcome)
    }))
    .unwrap_or_else(|_| {
        let (file, _) = item_paths(item);
        format!("ERROR {file}: internal error: the report could not be rendered")
    });
    (Tally::of(outcome), line)
}

/// Verifies one item; never panics (a panic in the library becomes an error outcome).
fn verify_item(verifier: &Verifier, limits: &Limits, item: &Item) -> Outcome {
    let (file, content) = match item {
        Item::Unreadable { error, .. } => return Outcome::Error(error.clone()),
        Item::Document { file, content } => (file, content),
    };
    let run = || {
        super::document::verify_file(verifier, limits, file, content.as_deref())
            .map_err(|e| output::about(&file.display().to_string(), &e))
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(Ok(report)) => Outcome::Report(Box::new(report)),
        Ok(Err(e)) => Outcome::Error(e),
        Err(_) => Outcome::Error(format!(
            "{}: internal error: the verifier panicked (please report this file)",
            file.display()
        )),
    }
}

/// The paths of `items`, as printed.
fn item_paths(item: &Item) -> (String, Option<String>) {
    match item {
        Item::Document { file, content } => (
            file.display().to_string(),
            content.as_ref().map(|c| c.display().to_string()),
        ),
        Item::Unreadable { path, .. } => (path.display().to_string(), None),
    }
}

/// One output line for one document.
/// Bytes reserved for one JSON line.
const LINE_CAPACITY: usize = 4096;

fn render_line(style: Style, item: &Item, outcome: &Outcome) -> String {
    let (file, content) = item_paths(item);
    match style.format {
        Format::Json => {
            let (report, error) = match outcome {
                Outcome::Report(r) => (
                    Some(match style.detail {
                        Detail::Full => LineReport::Full(r.as_ref()),
                        Detail::Summary => LineReport::Summary(CompactReport::of(r.as_ref())),
                    }),
                    None,
                ),
                Outcome::Error(e) => (None, Some(e.as_str())),
            };
            let line = JsonLine {
                file: &file,
                content: content.as_deref(),
                report,
                error,
            };
            // Sized for a full report (about 2.5 KB) so that the line is not regrown as it is
            // written; serde_json writes UTF-8 only, so the conversion does not fail.
            let mut buf = Vec::with_capacity(LINE_CAPACITY);
            serde_json::to_writer(&mut buf, &line)
                .map_err(|e| e.to_string())
                .and_then(|()| String::from_utf8(buf).map_err(|e| e.to_string()))
                .unwrap_or_else(|e| {
                    serde_json::json!({"file": file, "content": content, "error": format!("cannot render the report: {e}")}).to_string()
                })
        }
        Format::Text => match outcome {
            Outcome::Report(r) => {
                let indication = match r.sub_indication {
                    Some(sub) => format!("{}/{sub}", r.indication),
                    None => r.indication.to_string(),
                };
                format!(
                    "{indication} hk={} gd={} {file}",
                    DocRecognition::of(r, Jurisdiction::Hk).as_str(),
                    DocRecognition::of(r, Jurisdiction::Gd).as_str()
                )
            }
            Outcome::Error(e) => format!("ERROR {e}"),
        },
    }
}

/// One document's JSON line (fields in this order).
#[derive(Serialize)]
struct JsonLine<'a> {
    file: &'a str,
    content: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<LineReport<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

/// A line's report, full or compact.
#[derive(Serialize)]
#[serde(untagged)]
enum LineReport<'a> {
    Full(&'a DocumentReport),
    Summary(CompactReport<'a>),
}

/// The summary's JSON (fields in this order), under `{"summary": ...}`.
#[derive(Serialize)]
struct JsonSummary {
    documents: usize,
    verified: usize,
    errors: usize,
    indications: BTreeMap<&'static str, usize>,
    sub_indications: BTreeMap<&'static str, usize>,
    recognition: JsonRecognition,
    jobs: usize,
    elapsed_seconds: f64,
    documents_per_second: f64,
    exit_code: i32,
    /// The shared verifier's cache hits, misses and sizes.
    cache: CacheStats,
}

#[derive(Serialize)]
struct JsonRecognition {
    hk: BTreeMap<&'static str, usize>,
    gd: BTreeMap<&'static str, usize>,
}

/// Counts over the batch.
#[derive(Default)]
struct Summary {
    documents: usize,
    errors: usize,
    indications: BTreeMap<&'static str, usize>,
    sub_indications: BTreeMap<&'static str, usize>,
    hk: BTreeMap<&'static str, usize>,
    gd: BTreeMap<&'static str, usize>,
    worst: Option<Indication>,
}

impl Summary {
    fn add(&mut self, tally: &Tally) {
        self.documents += 1;
        match tally {
            Tally::Error => self.errors += 1,
            Tally::Report {
                indication,
                sub_indication,
                hk,
                gd,
            } => {
                *self.indications.entry(indication.as_str()).or_default() += 1;
                if let Some(sub) = sub_indication {
                    *self.sub_indications.entry(sub.as_str()).or_default() += 1;
                }
                *self.hk.entry(hk.as_str()).or_default() += 1;
                *self.gd.entry(gd.as_str()).or_default() += 1;
                if self
                    .worst
                    .is_none_or(|w| indication.severity() > w.severity())
                {
                    self.worst = Some(*indication);
                }
            }
        }
    }

    /// TOTAL_FAILED (1) if any document failed; else 4 if any file could not be read or
    /// parsed (or nothing was found); else INDETERMINATE (3) if any; else 0.
    fn exit_code(&self) -> i32 {
        let worst = self.worst.map(exit_code).unwrap_or(EXIT_VALID);
        if worst == EXIT_INVALID {
            EXIT_INVALID
        } else if self.errors > 0 || self.documents == 0 {
            EXIT_INPUT
        } else {
            worst
        }
    }

    fn indication_counts(&self) -> BTreeMap<&'static str, usize> {
        [
            Indication::TotalPassed,
            Indication::TotalFailed,
            Indication::Indeterminate,
        ]
        .iter()
        .map(|i| {
            (
                i.as_str(),
                self.indications.get(i.as_str()).copied().unwrap_or(0),
            )
        })
        .collect()
    }

    fn recognition_counts(counts: &BTreeMap<&'static str, usize>) -> BTreeMap<&'static str, usize> {
        DocRecognition::ALL
            .iter()
            .map(|r| (r.as_str(), counts.get(r.as_str()).copied().unwrap_or(0)))
            .collect()
    }

    fn per_second(&self, elapsed: Duration) -> f64 {
        let secs = elapsed.as_secs_f64();
        if secs > 0.0 {
            self.documents as f64 / secs
        } else {
            0.0
        }
    }

    fn json(&self, jobs: usize, elapsed: Duration, exit_code: i32, cache: CacheStats) -> String {
        let summary = JsonSummary {
            documents: self.documents,
            verified: self.documents - self.errors,
            errors: self.errors,
            indications: self.indication_counts(),
            sub_indications: self.sub_indications.clone(),
            recognition: JsonRecognition {
                hk: Self::recognition_counts(&self.hk),
                gd: Self::recognition_counts(&self.gd),
            },
            jobs,
            elapsed_seconds: elapsed.as_secs_f64(),
            documents_per_second: self.per_second(elapsed),
            exit_code,
            cache,
        };
        #[derive(Serialize)]
        struct Line<'a> {
            summary: &'a JsonSummary,
        }
        serde_json::to_string(&Line { summary: &summary }).unwrap_or_default()
    }

    fn text(&self, jobs: usize, elapsed: Duration, cache: CacheStats) -> String {
        let counts = |m: &BTreeMap<&'static str, usize>| {
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut lines = vec![format!(
            "{} documents: {} verified, {} errors",
            self.documents,
            self.documents - self.errors,
            self.errors
        )];
        lines.push(format!(
            "  indications: {}",
            counts(&self.indication_counts())
        ));
        if !self.sub_indications.is_empty() {
            lines.push(format!(
                "  sub-indications: {}",
                counts(&self.sub_indications)
            ));
        }
        lines.push(format!(
            "  Hong Kong recognition: {}",
            counts(&Self::recognition_counts(&self.hk))
        ));
        lines.push(format!(
            "  Guangdong recognition: {}",
            counts(&Self::recognition_counts(&self.gd))
        ));
        lines.push(format!(
            "  {:.1} documents/second ({:.2} s, {jobs} worker threads)",
            self.per_second(elapsed),
            elapsed.as_secs_f64()
        ));
        let rate = |c: sigbridge::cache::CounterSnapshot| {
            format!("{:.0} % of {}", c.hit_rate() * 100.0, c.hits + c.misses)
        };
        lines.push(format!(
            "  cache hits: signatures {}, CA sub-paths {}, parsed certificates {}, CRLs {}",
            rate(cache.signatures),
            rate(cache.sub_paths),
            rate(cache.certificates),
            rate(cache.crls)
        ));
        lines.join("\n")
    }
}

/// True for the file names a folder walk picks up.
fn is_signed_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SIGNED_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// `NAME` when `path` is `NAME.p7s` (a detached signature names its content so).
fn detached_stem(path: &Path) -> Option<&OsStr> {
    let is_p7s = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("p7s"));
    is_p7s.then(|| path.file_stem()).flatten()
}

/// `NAME` for `NAME.p7s` named on the command line, when that file exists beside it (looked
/// up; a folder walk finds it in its own listing instead, see [`walk`]).
fn detached_content(path: &Path) -> Option<PathBuf> {
    detached_stem(path)?;
    let content = path.with_extension("");
    content.is_file().then_some(content)
}

/// What a folder walk saw a name as (from the directory entry's type, no `stat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Listed {
    /// A regular file.
    File,
    /// A symbolic link (to be followed when it matters).
    Link,
    /// An entry whose type could not be read (looked up again when it matters).
    Unknown,
}

/// A signed file a walk found, with its detached content (`Ok`), or why it cannot be read
/// (`Err`: the file itself, or a folder whose listing failed), after its
/// [`component_order_key`].
type Found = (Vec<u8>, PathBuf, Result<Option<PathBuf>, String>);

/// Walks the paths in the order given; within each, files sorted by path.
fn discover(paths: &[PathBuf]) -> Vec<Item> {
    let mut items = Vec::new();
    // By component key: equal keys are equal paths (`Path`'s equality compares components).
    // Only needed across roots: within one, the sorted keys put a path met twice side by side.
    let mut seen = HashSet::new();
    for root in paths {
        let mut found: Vec<Found> = Vec::new();
        let key = component_order_key(root);
        match std::fs::metadata(root) {
            Err(e) => found.push((key, root.clone(), Err(format!("cannot read: {e}")))),
            Ok(m) if m.is_dir() => walk(root, &key, &mut found),
            Ok(_) => found.push((key, root.clone(), Ok(detached_content(root)))),
        }
        // The order of `Path`'s own comparison (component by component), from keys made
        // once per path instead of parsing both paths' components at every comparison. The
        // sort is stable: a path met twice (a folder whose listing failed more than once)
        // keeps the order it was met in, and only its first entry is kept below.
        found.sort_by(|a, b| a.0.cmp(&b.0));
        found.dedup_by(|later, first| later.0 == first.0);
        for (key, path, state) in found {
            if paths.len() > 1 && !seen.insert(key) {
                continue;
            }
            items.push(match state {
                Err(e) => Item::Unreadable {
                    error: format!("{}: {e}", path.display()),
                    path,
                },
                Ok(content) => Item::Document {
                    content,
                    file: path,
                },
            });
        }
    }
    items
}

/// A byte string whose order is `Path`'s order: the components' bytes, each followed by a
/// 0 byte, which sorts below every byte a component can hold (a Unix file name has no NUL).
fn component_order_key(path: &Path) -> Vec<u8> {
    let mut key = Vec::with_capacity(path.as_os_str().len() + 8);
    for c in path.components() {
        key.extend_from_slice(c.as_os_str().as_encoded_bytes());
        key.push(0);
    }
    key
}

/// The [`component_order_key`] of `dir.join(name)` from the key of `dir`, for a `name`
/// read from `dir`'s listing (one normal component: the joined path's components are
/// `dir`'s and then `name`).
fn child_key(dir_key: &[u8], name: &OsStr) -> Vec<u8> {
    let name = name.as_encoded_bytes();
    let mut key = Vec::with_capacity(dir_key.len() + name.len() + 1);
    key.extend_from_slice(dir_key);
    key.extend_from_slice(name);
    key.push(0);
    key
}

/// Collects the signed files under `dir` (symbolic links to files are followed, to folders
/// not), and the folders that could not be read. Each `NAME.p7s` gets `NAME` as its detached
/// content when the folder's own listing holds it: a regular file costs no system call, a
/// symbolic link or an entry of unknown type is looked up, and a name not listed (or listed
/// as a folder, socket or the like) is no content. `dir_key` is `dir`'s
/// [`component_order_key`].
fn walk(dir: &Path, dir_key: &[u8], found: &mut Vec<Found>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            let error = Err(format!("cannot read folder: {e}"));
            found.push((dir_key.to_vec(), dir.to_path_buf(), error));
            return;
        }
    };
    // The names here that could be files, and the signed files (with an error when their
    // type could not be read), matched up once the listing is complete: the names go into
    // a map collected at its full size, so that no key is hashed twice by its growth.
    let mut listing: Vec<(OsString, Listed)> = Vec::new();
    let mut signed: Vec<(OsString, Option<String>)> = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let error = Err(format!("cannot read folder: {e}"));
                found.push((dir_key.to_vec(), dir.to_path_buf(), error));
                continue;
            }
        };
        let name = entry.file_name();
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&dir.join(&name), &child_key(dir_key, &name), found),
            Ok(t) if t.is_symlink() => {
                if is_signed_file(Path::new(&name)) && dir.join(&name).is_file() {
                    signed.push((name.clone(), None));
                }
                listing.push((name, Listed::Link));
            }
            Ok(t) => {
                if is_signed_file(Path::new(&name)) {
                    signed.push((name.clone(), None));
                }
                if t.is_file() {
                    listing.push((name, Listed::File));
                }
            }
            Err(e) => {
                signed.push((name.clone(), Some(format!("cannot read: {e}"))));
                listing.push((name, Listed::Unknown));
            }
        }
    }
    let names: HashMap<OsString, Listed> = listing.into_iter().collect();
    for (name, error) in signed {
        let (key, path) = (child_key(dir_key, &name), dir.join(&name));
        if let Some(e) = error {
            found.push((key, path, Err(e)));
            continue;
        }
        let content = detached_stem(&path).and_then(|stem| {
            let listed = *names.get(stem)?;
            let content = dir.join(stem);
            (listed == Listed::File || content.is_file()).then_some(content)
        });
        found.push((key, path, Ok(content)));
    }
}

/// Reads a manifest: `SIGNATURE [CONTENT]` per line, relative to the manifest's folder.
fn read_manifest(manifest: &Path) -> Result<Vec<Item>, String> {
    let text = std::fs::read_to_string(manifest)
        .map_err(|e| format!("{}: cannot read the manifest: {e}", manifest.display()))?;
    let base = manifest.parent().unwrap_or(Path::new(""));
    let mut items = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = if line.contains('\t') {
            line.split('\t')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .collect()
        } else {
            line.split_whitespace().collect()
        };
        let (signature, content) = match fields.as_slice() {
            [s] => (*s, None),
            [s, c] => (*s, Some(*c)),
            _ => {
                return Err(format!(
                    "{}:{}: expected `SIGNATURE [CONTENT]` (a tab between them when a path has spaces), found {} fields",
                    manifest.display(),
                    n + 1,
                    fields.len()
                ))
            }
        };
        items.push(Item::Document {
            file: base.join(signature),
            content: content.map(|c| base.join(c)),
        });
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sort_key_orders_paths_as_path_does() {
        let names = [
            "d/a-b", "d/a/b", "d/a", "d/ab", "d/a.b", "d/A", "d/a/b/c", "d/a b", "d/é", "d/z",
            "d/a/a-b", "d/a/a/b", "d/a0", "d/a/", "d/.x",
        ];
        let mut by_path: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
        let mut by_key = by_path.clone();
        by_path.sort();
        by_key.sort_by_cached_key(|p| component_order_key(p));
        assert_eq!(by_key, by_path);
        // Not simply the bytes: "d/a-b" sorts after "d/a/b" component by component.
        let pos = |n: &str| by_key.iter().position(|p| p == Path::new(n));
        assert!(pos("d/a/b") < pos("d/a-b"));
    }

    #[test]
    fn results_come_back_in_order_in_bounded_batches() {
        let items: Vec<Item> = (0..203)
            .map(|i| Item::Unreadable {
                path: PathBuf::from(format!("item-{i}")),
                error: format!("item-{i}"),
            })
            .collect();
        let verifier = Verifier::builder().build();
        for jobs in [1, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(jobs)
                .build()
                .unwrap();
            let mut seen = Vec::new();
            let mut sizes = Vec::new();
            run_in_order(
                &pool,
                jobs,
                &verifier,
                &Limits::default(),
                Style {
                    format: Format::Text,
                    detail: Detail::Full,
                },
                &items,
                |ready| {
                    sizes.push(ready.len());
                    for (tally, line) in ready {
                        assert!(matches!(tally, Tally::Error), "no report expected");
                        seen.push(line);
                    }
                },
            );
            let want: Vec<String> = (0..203).map(|i| format!("ERROR item-{i}")).collect();
            assert_eq!(seen, want, "jobs {jobs}");
            // About one wake-up per EMIT_BATCH results, not one per result (a short batch
            // comes only at the end, or when the machine stalls for EMIT_WAIT).
            assert!(sizes.iter().all(|&n| n > 0), "jobs {jobs}: {sizes:?}");
            assert!(
                sizes.len() <= 203 / EMIT_BATCH + 3,
                "jobs {jobs}: {sizes:?}"
            );
        }
    }

    #[test]
    fn a_file_reached_twice_is_verified_once() {
        let dir =
            std::env::temp_dir().join(format!("sigbridge-batch-twice-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).expect("mkdir");
        for name in ["a.p7s", "a", "sub/b.p7m"] {
            std::fs::write(dir.join(name), b"x").expect("write");
        }
        // The folder twice (once spelled with a doubled separator), a file inside it named
        // again, and the subfolder: each file once, in the order first met.
        let doubled = PathBuf::from(format!("{}//", dir.display()));
        let items = discover(&[
            dir.clone(),
            doubled.join("a.p7s"),
            doubled,
            dir.join("sub"),
            dir.join("./a.p7s"),
        ]);
        let files: Vec<PathBuf> = items
            .iter()
            .map(|i| match i {
                Item::Document { file, .. } => file.clone(),
                Item::Unreadable { path, .. } => path.clone(),
            })
            .collect();
        assert_eq!(files, vec![dir.join("a.p7s"), dir.join("sub/b.p7m")]);
        assert!(
            matches!(items.first(), Some(Item::Document { content: Some(c), .. }) if *c == dir.join("a"))
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn detached_content_comes_from_the_folder_listing() {
        let dir = std::env::temp_dir().join(format!("sigbridge-batch-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("folder")).expect("mkdir");
        for name in [
            "plain.p7s",
            "plain",
            "folder.p7s",
            "linked.p7s",
            "target",
            "alone.p7s",
        ] {
            std::fs::write(dir.join(name), b"x").expect("write");
        }
        std::os::unix::fs::symlink(dir.join("target"), dir.join("linked")).expect("symlink");
        std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("dangling")).expect("symlink");
        std::fs::write(dir.join("dangling.p7s"), b"x").expect("write");
        let items = discover(std::slice::from_ref(&dir));
        let content_of = |name: &str| {
            items.iter().find_map(|i| match i {
                Item::Document { file, content } if file.file_name() == Some(name.as_ref()) => {
                    Some(content.clone())
                }
                _ => None,
            })
        };
        // A regular file beside it, a symbolic link to one: detached content.
        assert_eq!(content_of("plain.p7s"), Some(Some(dir.join("plain"))));
        assert_eq!(content_of("linked.p7s"), Some(Some(dir.join("linked"))));
        // A folder, a dangling link, nothing: none.
        assert_eq!(content_of("folder.p7s"), Some(None));
        assert_eq!(content_of("dangling.p7s"), Some(None));
        assert_eq!(content_of("alone.p7s"), Some(None));
        // A file named on the command line is looked up the same way.
        let named = discover(&[dir.join("plain.p7s")]);
        assert!(
            matches!(named.as_slice(), [Item::Document { content: Some(c), .. }] if *c == dir.join("plain"))
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_child_key_is_the_key_of_the_joined_path() {
        for dir in [
            "dir",
            "dir/",
            "dir//sub",
            "dir/./sub",
            ".",
            "./dir",
            "/",
            "/tmp/x",
            "a/../b",
        ] {
            for name in ["a.p7s", "b", "x y.pdf", "\u{4e2d}.ofd"] {
                let dir = Path::new(dir);
                assert_eq!(
                    child_key(&component_order_key(dir), OsStr::new(name)),
                    component_order_key(&dir.join(name)),
                    "{} + {name}",
                    dir.display()
                );
            }
        }
    }

    #[test]
    fn signed_file_names() {
        for yes in [
            "a.p7s",
            "b.P7M",
            "c.p7",
            "d.eml",
            "dir/x.pdf.p7s",
            "b.pdf",
            "C.PDF",
            "invoice.ofd",
            "I.OFD",
        ] {
            assert!(is_signed_file(Path::new(yes)), "{yes}");
        }
        for no in ["a.pem", "b.pdfx", "c", "d.p7mx", ".p7s.txt", "e.ofd.zip"] {
            assert!(!is_signed_file(Path::new(no)), "{no}");
        }
    }
}
