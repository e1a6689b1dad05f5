//! Argument definitions and dispatch for the `sigbridge` binary.

mod path;

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

pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Path(args) => path::run(args),
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
