//! Argument definitions and dispatch for the `sigbridge` binary.

/// `println!` that does not panic when the reader goes away (e.g. `| head`) and prints
/// nothing under `--quiet`.
macro_rules! out {
    () => {
        crate::cli::output::line("")
    };
    ($($arg:tt)*) => {
        crate::cli::output::line(&format!($($arg)*))
    };
}

mod batch;
mod document;
mod inspect;
mod limbo;
mod ofd_text;
pub mod output;
mod path;
mod pdf_text;
#[cfg(feature = "serve")]
mod serve;
mod text;
mod timestamp;
mod trust;
mod verify;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use sigbridge::report::error::ErrorKind;
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

/// The exit codes of `verify` and `path`, for --help.
const EXITS_VERIFY: &str = "Exit codes:
  0  VALID: every check passed (TOTAL_PASSED)
  1  NOT VALID: TOTAL_FAILED (changed content, broken signature, revoked certificate)
  3  NOT CONFIRMED: INDETERMINATE (no chain to a trusted root, expired, not recognised by the
     relying party, revocation unknown, content missing)
  2  usage error (a bad option)
  4  the file cannot be read or is not a signed document, or an option's file (anchor,
     certificate, CRL, trust store) cannot be read
With --format json every outcome prints one JSON object (sigbridge-report/2 or
sigbridge-error/1).";

const EXITS_INSPECT: &str = "Exit codes:
  0  described
  2  usage error
  4  the file cannot be read, or holds no certificate, CRL or signed document (the message
     says what it is)
With --format json every outcome prints one JSON object (sigbridge-inspect/1 or
sigbridge-error/1).";

pub(crate) const EXITS_TRUST: &str = "Exit codes:
  0  listed; added, or the anchor was already present
  2  usage error
  4  a list cannot be read, the file is not one certificate, no list expects it, or the
     folder cannot be written
With --format json every outcome prints one JSON object (sigbridge-trust-lists/1 or
sigbridge-error/1).";

const EXITS_TIMESTAMP: &str = "Exit codes:
  0  the token is valid for the data (TOTAL_PASSED)
  1  NOT VALID: TOTAL_FAILED (other data, broken signature, revoked TSA)
  3  NOT CONFIRMED: INDETERMINATE (no chain to a trusted root, revocation unknown)
  2  usage error
  4  the token or data cannot be read, or is not a timestamp token
With --format json every outcome prints one JSON object (sigbridge-timestamp/1 or
sigbridge-error/1).";

#[cfg(feature = "serve")]
const EXITS_SERVE: &str = "Exit codes:
  0  stopped cleanly (SIGTERM or SIGINT: in-flight requests finished)
  2  usage error
  4  the configuration, a trust store or an option's file cannot be read, or the address
     cannot be bound";

const EXITS_SIMPLE: &str = "Exit codes: 0 written, 2 usage error.";

const EXITS_LIMBO: &str =
    "Exit codes: 0 results written (whatever they are), 4 standard input is not a suite.";

const EXITS_BATCH: &str = "Exit codes (the worst outcome of the batch):
  1  any document is NOT VALID (TOTAL_FAILED)
  4  else: any file could not be read or is not a signed document, a PATH does not exist, or
     nothing was found; before verifying anything: an option's file cannot be read
  3  else: any document is NOT CONFIRMED (INDETERMINATE)
  0  else: every document is VALID
  2  usage error";

#[derive(Parser, Debug)]
#[command(
    name = "sigbridge",
    version,
    about = "Verify signatures and certificate chains across the Hong Kong / Guangdong boundary",
    after_help = "An officer with one file:
  sigbridge verify contract.pdf.p7s            (finds contract.pdf beside it)
  sigbridge inspect certificate.pem
  sigbridge trust add \"Hongkong Post Root CA 2.crt\"

Exit codes: 0 valid, 1 not valid, 3 not confirmed, 2 usage error, 4 unreadable input or not a
signed document (each subcommand's --help says more)."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print nothing on standard output: the exit code is the answer (errors still go to
    /// standard error).
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Colour the verdict lines: auto (when standard output is a terminal and NO_COLOR is
    /// not set), always or never.
    #[arg(long, value_enum, global = true, default_value_t = output::ColorChoice::Auto)]
    color: output::ColorChoice,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Validate a certificate path (RFC 5280 §6.1 with policies, name constraints and CRLs).
    #[command(after_help = EXITS_VERIFY)]
    Path(path::PathArgs),
    /// Verify a signed document: a PDF (every signature and document timestamp), an S/MIME
    /// message, or CMS / PKCS#7 SignedData (.p7m, .p7s with --content); told from its bytes;
    /// `-` reads standard input.
    #[command(after_help = EXITS_VERIFY)]
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
    /// folders not) and the files ending in .p7s, .p7m, .p7, .eml, .pdf or .ofd (any case) are taken,
    /// sorted by path within each PATH; PATHs are taken in the order given (a file reached
    /// twice is verified once). A PATH that is a file is verified whatever its name.
    /// NAME.p7s is a detached signature over the file NAME beside it (contract.pdf.p7s signs
    /// contract.pdf), whose content is streamed; when NAME is missing the signature is
    /// verified without content (a detached one is then INDETERMINATE / FORMAT_FAILURE).
    /// Other content files are not verified on their own; a .pdf is a document in its own
    /// right (its embedded signatures are verified), also when a NAME.pdf.p7s signs it.
    /// --manifest FILE replaces walking: one `SIGNATURE [CONTENT]` per line.
    ///
    /// Output: text, one `INDICATION[/SUB_INDICATION] hk=STATUS gd=STATUS PATH` line per
    /// document (STATUS: domestic, mutual, not_recognised, none; the worst of the
    /// document's signers) or `ERROR PATH: message`; JSON (--format json), one object per
    /// line, `{"file", "content", "report"}` (report: sigbridge-report/2, as `verify`
    /// prints it) or `{"file", "content", "error"}`, then `{"summary": {...}}`. A file that
    /// cannot be read or parsed is reported and the batch goes on.
    #[command(after_help = EXITS_BATCH)]
    Batch(batch::BatchArgs),
    /// Show what a certificate, CRL, CMS, S/MIME, PDF or OFD file holds (a PDF: its
    /// revisions, signatures and DSS contents; an OFD package: its documents, signatures,
    /// seal properties and the seal picture's format and size), for a person (or as JSON).
    #[command(after_help = EXITS_INSPECT)]
    Inspect(inspect::InspectArgs),
    /// x509-limbo harness: suite JSON on stdin, results JSON on stdout.
    #[command(after_help = EXITS_LIMBO)]
    Limbo,
    /// Serve verification over HTTP (see README, "HTTP service").
    #[cfg(feature = "serve")]
    #[command(after_help = EXITS_SERVE)]
    Serve(serve::ServeArgs),
    /// RFC 3161 timestamp tokens: verify one on its own.
    #[command(after_help = EXITS_TIMESTAMP)]
    Timestamp {
        #[command(subcommand)]
        command: timestamp::TimestampCommand,
    },
    /// The Hong Kong and Guangdong trust lists: list them, or add a root they expect.
    #[command(after_help = EXITS_TRUST)]
    Trust {
        #[command(subcommand)]
        command: trust::TrustCommand,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell) on standard output.
    #[command(after_help = EXITS_SIMPLE)]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on standard output: `sigbridge manpage > sigbridge.1`.
    #[command(after_help = EXITS_SIMPLE)]
    Manpage,
}

/// How much of a document report JSON output carries.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq, Default)]
pub enum Detail {
    /// The full report (sigbridge-report/2).
    #[default]
    Full,
    /// The compact report for bulk use (sigbridge-summary/1): indication, each
    /// jurisdiction's standing, per signer its fingerprint, recognition and failed checks.
    Summary,
}

/// Output format.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// For people.
    Text,
    /// One JSON object.
    Json,
}

impl Format {
    /// True for JSON.
    pub fn json(self) -> bool {
        self == Format::Json
    }
}

/// Revocation checking mode, as typed on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Revocation {
    /// No usable CRL or OCSP response for a certificate → INDETERMINATE / TRY_LATER.
    Require,
    /// No usable CRL or OCSP response → a warning.
    Prefer,
    /// Revocation is not checked.
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
    output::init(cli.quiet, cli.color);
    match cli.command {
        Command::Path(args) => path::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Limbo => limbo(),
        Command::Trust { command } => trust::run(command),
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "sigbridge", &mut buf);
            write_raw(&buf)
        }
        Command::Manpage => {
            let mut buf = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut buf) {
                Ok(()) => write_raw(&buf),
                Err(e) => output::fail("manpage", false, ErrorKind::Internal, None, &e.to_string()),
            }
        }
        Command::Timestamp { command } => timestamp::run(command),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(args),
    }
}

/// Writes generated bytes to standard output (unless --quiet).
fn write_raw(bytes: &[u8]) -> i32 {
    if !output::quiet() {
        let _ = std::io::stdout().write_all(bytes);
    }
    EXIT_VALID
}

/// Parses the command line; a usage error is reported as JSON when `--format json` was asked
/// for (clap's own text otherwise), help and version as usual.
pub fn parse() -> Result<Cli, i32> {
    match Cli::try_parse() {
        Ok(c) => Ok(c),
        Err(e) => {
            use clap::error::ErrorKind as K;
            let wants_json = {
                let args: Vec<String> = std::env::args().collect();
                args.windows(2)
                    .any(|w| w[0] == "--format" && w[1].eq_ignore_ascii_case("json"))
                    || args.iter().any(|a| a.eq_ignore_ascii_case("--format=json"))
            };
            if !wants_json || matches!(e.kind(), K::DisplayHelp | K::DisplayVersion) {
                e.exit();
            }
            let text = e.render().to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("usage error")
                .trim_start_matches("error: ")
                .to_string();
            Err(output::fail(
                "",
                true,
                ErrorKind::Usage,
                None,
                &format!("{first} (see sigbridge --help)"),
            ))
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
