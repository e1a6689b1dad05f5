//! Argument definitions and dispatch for the `sigbridge` binary.

mod path;
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
    /// x509-limbo harness: suite JSON on stdin, results JSON on stdout.
    Limbo,
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
        Some(t) => sigbridge::parse::parse_time(t)
            .ok_or_else(|| format!("--at {t}: not an RFC 3339 time (e.g. 2026-11-25T00:00:00Z)")),
        None => Ok(time::OffsetDateTime::now_utc().unix_timestamp()),
    }
}

pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Path(args) => path::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Limbo => limbo(),
    }
}

fn limbo() -> i32 {
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut input) {
        eprintln!("sigbridge limbo: cannot read standard input: {e}");
        return EXIT_INPUT;
    }
    match sigbridge::limbo::run_suite(&input) {
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
