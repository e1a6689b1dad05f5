//! The `sigbridge` command line: a thin layer over the library that parses arguments,
//! reads files, calls the public API and renders results for people (text) or programs
//! (JSON). Exit codes: 0 valid, 1 invalid (TOTAL_FAILED), 3 INDETERMINATE, 2 usage
//! error, 4 unreadable or malformed input.

mod cli;

fn main() {
    let code = match cli::parse() {
        Ok(args) => cli::run(args),
        Err(code) => code,
    };
    std::process::exit(code);
}
