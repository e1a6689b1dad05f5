//! Shared helpers for the integration tests: where the third-party corpora live.
#![allow(dead_code)]

use std::path::PathBuf;

/// `$SIGBRIDGE_CORPORA`, or `../shared/corpora` beside the project root.
/// When the folder is missing: under `CI=true` the test fails; otherwise it says so loudly
/// and returns `None` (the caller returns early).
pub fn corpora() -> Option<PathBuf> {
    let dir = std::env::var_os("SIGBRIDGE_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"));
    if dir.is_dir() {
        return Some(dir);
    }
    let msg = format!(
        "third-party corpora not found at {} (set SIGBRIDGE_CORPORA)",
        dir.display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}; under CI=true their absence is a failure");
    }
    eprintln!("\n!!!!!!!! SKIPPING: {msg} !!!!!!!!\n");
    None
}

/// Reads an exceptions file: one `ID  reason` per line, `#` comments.
pub fn exceptions(name: &str) -> std::collections::BTreeMap<String, String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, reason) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (id.to_string(), reason.trim().to_string())
        })
        .collect()
}

/// The project's fixtures folder.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every certificate in these files (paths relative to `fixtures/`).
pub fn fixture_certs(files: &[String]) -> Vec<std::sync::Arc<sigbridge::x509::Certificate>> {
    let limits = sigbridge::Limits::default();
    files
        .iter()
        .flat_map(|f| {
            sigbridge::x509::certificates_from_file(&fixtures().join(f), &limits)
                .unwrap_or_else(|e| panic!("{f}: {e}"))
        })
        .map(std::sync::Arc::new)
        .collect()
}

/// Every CRL in these files (paths relative to `fixtures/`).
pub fn fixture_crls(files: &[String]) -> Vec<std::sync::Arc<sigbridge::x509::Crl>> {
    let limits = sigbridge::Limits::default();
    files
        .iter()
        .flat_map(|f| {
            sigbridge::x509::crls_from_file(&fixtures().join(f), &limits)
                .unwrap_or_else(|e| panic!("{f}: {e}"))
        })
        .map(std::sync::Arc::new)
        .collect()
}

/// An empty scratch folder for one test, under Cargo's per-test temporary directory.
pub fn temp_dir(name: &str) -> PathBuf {
    let d =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
    d
}

/// Runs the `openssl` command line in `dir`; panics (naming the command) when it fails.
/// Returns its standard output.
pub fn openssl(dir: &std::path::Path, args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the openssl command line is needed (Debian package openssl)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The `sigbridge` binary with a home of its own: `HOME` and `XDG_DATA_HOME` point into an
/// empty folder under Cargo's per-test temporary directory (so no test reads or writes the
/// real per-user trust stores), `SIGBRIDGE_TRUST_STORES` and `NO_COLOR` are unset.
pub fn sigbridge() -> std::process::Command {
    let home =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("home-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&home);
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_sigbridge"));
    c.env("HOME", &home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("APPDATA", home.join("appdata"))
        .env_remove("SIGBRIDGE_TRUST_STORES")
        .env_remove("NO_COLOR");
    c
}
