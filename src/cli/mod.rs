//! Argument definitions and dispatch for the `sigbridge` binary.

/// `println!` that does not panic when the reader goes away (e.g. `| head`): output errors
/// are ignored, as a closed pipe means nobody is reading.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod batch;
mod limbo;
mod path;
#[cfg(feature = "serve")]
mod serve;
mod verify;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{Read, Write};

/// Exit code: valid / TOTAL_PASSED.
pub const EXIT_VALID: i32 = 0;
/// Exit code: TOTAL_FAILED.
pub const EXIT_INVALID: i32 = 1;
/// Exit code: usage error.
pub const EXIT_USAGE: i32 = 2;
/// Exit code: INDETERMINATE.
pub const EXIT_INDETERMINATE: i32 = 3;
/// Exit code: unreadable or malformed input.
pub const EXIT_INPUT: i32 = 4;

#[derive(Parser, Debug)]
#[command(
    name = "sigbridge",
    version,
    about = "Verify signatures and certificate chains across the Hong Kong / Guangdong boundary"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Validate a certificate path (RFC 5280 §6.1 with policies, name constraints and CRLs).
    Path(path::PathArgs),
    /// Verify a signed document (CMS / PKCS#7 SignedData: .p7m, .p7s with --content).
    Verify(verify::VerifyArgs),
    /// Verify every signed file under folders (or in a manifest), in parallel.
    ///
    /// Takes every option of `verify` (built into one verifier shared by all worker threads)
    /// and prints one line per document, in discovery order whatever --jobs is, then a
    /// summary: counts per indication, sub-indication and Hong Kong / Guangdong recognition
    /// status, errors, and documents per second. A progress bar is drawn on stderr when it
    /// is a terminal (never when it is redirected).
    ///
    /// Discovery: each PATH is walked recursively (symbolic links to files are followed, to
    /// folders not) and the files ending in .p7s, .p7m, .p7 or .eml (any case) are taken,
    /// sorted by path within each PATH; PATHs are taken in the order given (a file reached
    /// twice is verified once). A PATH that is a file is verified whatever its name.
    /// NAME.p7s is a detached signature over the file NAME beside it (contract.pdf.p7s signs
    /// contract.pdf), whose content is streamed; when NAME is missing the signature is
    /// verified without content (a detached one is then INDETERMINATE / FORMAT_FAILURE).
    /// Content files are not verified on their own. --manifest FILE replaces walking: one
    /// `SIGNATURE [CONTENT]` per line.
    ///
    /// Output: text, one `INDICATION[/SUB_INDICATION] hk=STATUS gd=STATUS PATH` line per
    /// document (STATUS: domestic, mutual, not_recognised, none; the worst of the
    /// document's signers) or `ERROR PATH: message`; JSON (--format json), one object per
    /// line, `{"file", "content", "report"}` (report: sigbridge-report/2, as `verify`
    /// prints it) or `{"file", "content", "error"}`, then `{"summary": {...}}`. A file that
    /// cannot be read or parsed is reported and the batch goes on.
    ///
    /// Exit code, from the worst outcome: 1 if any document is TOTAL_FAILED; else 4 if any
    /// file could not be read or parsed, or no signed file was found; else 3 if any document
    /// is INDETERMINATE; else 0. 2: usage error; 4 before verifying anything: an --anchor,
    /// --cert, --crl, trust store or manifest file cannot be read.
    Batch(batch::BatchArgs),
    /// Show what a certificate, CRL or CMS file holds.
    Inspect {
        /// The file (DER, BER or PEM).
        file: std::path::PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// x509-limbo harness: suite JSON on stdin, results JSON on stdout.
    Limbo,
    /// Serve verification over HTTP (see README, "HTTP service").
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    /// The Hong Kong and Guangdong trust lists.
    Trust {
        #[command(subcommand)]
        command: TrustCommand,
    },
}

#[derive(Subcommand, Debug)]
enum TrustCommand {
    /// Show the anchors and mutual-recognition entries of both lists.
    List {
        /// Folder with hk/ and gd/ trust lists (default: the bundled lists).
        #[arg(long)]
        trust_stores: Option<std::path::PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Complete an expected anchor (listed by SHA-256 only) with its certificate file.
    Add {
        /// The CA certificate, as downloaded from the CA.
        file: std::path::PathBuf,
        /// Folder with hk/ and gd/ trust lists to update.
        #[arg(long, default_value = "trust-stores")]
        trust_stores: std::path::PathBuf,
    },
}

/// Output format.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// For people.
    Text,
    /// One JSON object.
    Json,
}

/// Revocation checking mode, as typed on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Revocation {
    /// No usable CRL for a certificate → INDETERMINATE.
    Require,
    /// No usable CRL → a warning.
    Prefer,
    /// CRLs are not consulted.
    Off,
}

impl Revocation {
    fn mode(self) -> sigbridge::revocation::RevocationMode {
        use sigbridge::revocation::RevocationMode;
        match self {
            Revocation::Require => RevocationMode::Require,
            Revocation::Prefer => RevocationMode::Prefer,
            Revocation::Off => RevocationMode::Off,
        }
    }
}

/// `--at` or now.
fn parse_at(at: Option<&str>) -> Result<i64, String> {
    match at {
        Some(t) => sigbridge::asn1::parse_time(t)
            .ok_or_else(|| format!("--at {t}: not an RFC 3339 time (e.g. 2026-11-25T00:00:00Z)")),
        None => Ok(time::OffsetDateTime::now_utc().unix_timestamp()),
    }
}

pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Path(args) => path::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Inspect { file, format } => inspect(&file, format),
        Command::Limbo => limbo(),
        Command::Trust { command } => trust(command),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(args),
    }
}

fn inspect(file: &std::path::Path, format: Format) -> i32 {
    let limits = sigbridge::Limits::default();
    let bytes = match sigbridge::input::read_file(file, &limits) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("sigbridge inspect: {e}");
            return EXIT_INPUT;
        }
    };
    match sigbridge::report::inspect::inspect(&bytes, &file.display().to_string(), &limits) {
        Ok(info) => {
            let info =
                sigbridge::report::inspect::InspectReport::new(&file.display().to_string(), info);
            let rendered = match format {
                Format::Json => serde_json::to_string_pretty(&info),
                Format::Text => serde_json::to_value(&info).map(|v| {
                    let mut out = String::new();
                    render_text(&v, 0, &mut out);
                    out
                }),
            };
            match rendered {
                Ok(s) => {
                    out!("{s}");
                    EXIT_VALID
                }
                Err(e) => {
                    eprintln!("sigbridge inspect: {e}");
                    EXIT_INPUT
                }
            }
        }
        Err(e) => {
            eprintln!("sigbridge inspect: {e}");
            EXIT_INPUT
        }
    }
}

/// Renders JSON data as indented `key: value` lines for people.
fn render_text(v: &serde_json::Value, indent: usize, out: &mut String) {
    use serde_json::Value;
    let pad = "  ".repeat(indent);
    match v {
        Value::Object(map) => {
            for (k, val) in map {
                let label = k.replace('_', " ");
                match val {
                    Value::Object(_) => {
                        out.push_str(&format!("{pad}{label}:\n"));
                        render_text(val, indent + 1, out);
                    }
                    Value::Array(items) if items.iter().any(|i| i.is_object()) => {
                        out.push_str(&format!("{pad}{label}: {}\n", items.len()));
                        for (n, item) in items.iter().enumerate() {
                            out.push_str(&format!("{pad}  [{}]\n", n + 1));
                            render_text(item, indent + 2, out);
                        }
                    }
                    Value::Array(items) => {
                        let list: Vec<String> = items.iter().map(scalar).collect();
                        out.push_str(&format!("{pad}{label}: {}\n", list.join(", ")));
                    }
                    _ => out.push_str(&format!("{pad}{label}: {}\n", scalar(val))),
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other))),
    }
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "(none)".to_string(),
        other => other.to_string(),
    }
}

fn trust(command: TrustCommand) -> i32 {
    use sigbridge::trust::TrustStores;
    let limits = sigbridge::Limits::default();
    match command {
        TrustCommand::List {
            trust_stores,
            format,
        } => {
            let stores = match verify::load_stores(trust_stores.as_deref(), &limits) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("sigbridge trust list: {e}");
                    return EXIT_INPUT;
                }
            };
            let value =
                match serde_json::to_value(sigbridge::report::trust::TrustListsReport::of(&stores))
                {
                    Ok(v) => v,
                    Err(e) => {
                        eprintln!("sigbridge trust list: cannot render the lists: {e}");
                        return EXIT_INPUT;
                    }
                };
            let rendered = match format {
                Format::Json => serde_json::to_string_pretty(&value).unwrap_or_default(),
                Format::Text => {
                    let mut out = String::new();
                    render_text(&value, 0, &mut out);
                    out
                }
            };
            out!("{rendered}");
            EXIT_VALID
        }
        TrustCommand::Add { file, trust_stores } => {
            match TrustStores::add_anchor_file(&trust_stores, &file, &limits) {
                Ok(done) => {
                    out!(
                        "added {} to the {} list: completes the expected anchor \"{}\" ({})",
                        file.display(),
                        done.jurisdiction,
                        done.entry_name,
                        done.written_to.display()
                    );
                    EXIT_VALID
                }
                Err(e) => {
                    eprintln!("sigbridge trust add: {e}");
                    EXIT_INPUT
                }
            }
        }
    }
}

fn limbo() -> i32 {
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut input) {
        eprintln!("sigbridge limbo: cannot read standard input: {e}");
        return EXIT_INPUT;
    }
    match limbo::run_suite(&input) {
        Ok(results) => {
            let mut out = std::io::stdout().lock();
            if serde_json::to_writer(&mut out, &results).is_err() || writeln!(out).is_err() {
                return EXIT_INPUT;
            }
            EXIT_VALID
        }
        Err(e) => {
            eprintln!("sigbridge limbo: standard input is not an x509-limbo suite: {e}");
            EXIT_INPUT
        }
    }
}
