//! The `sigbridge` command line: a thin layer over the library that parses arguments,
//! reads files, calls the public API and renders results for people (text) or programs
//! (JSON). Exit codes: 0 valid, 1 invalid (TOTAL_FAILED), 3 INDETERMINATE, 2 usage
//! error, 4 unreadable or malformed input.

mod cli;

/// mimalloc for the binary's allocations (feature `mimalloc`, on by default): glibc's
/// malloc and free were about 18 % of a warm verification's time (benches/README.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let code = match cli::parse() {
        Ok(args) => cli::run(args),
        Err(code) => code,
    };
    std::process::exit(code);
}
