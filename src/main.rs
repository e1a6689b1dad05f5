//! The `sigbridge` command line: a thin layer over the library that parses arguments,
//! reads files, calls the public API and renders results for people (text) or programs
//! (JSON). Exit codes: 0 valid, 1 invalid (TOTAL_FAILED), 3 INDETERMINATE, 2 usage
//! error, 4 unreadable or malformed input.

mod cli;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    let code = cli::run(args);
    std::process::exit(code);
}
