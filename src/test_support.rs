//! Test support shared by the unit tests: where the third-party corpora live. When they are
//! missing, a test that needs them says so loudly and returns (a newcomer's `cargo test`
//! passes); under `CI=true` their absence is a failure.

use std::path::PathBuf;

/// `$SIGBRIDGE_CORPORA`, or `../shared/corpora` beside the crate; `None` (after a loud line)
/// when missing outside CI.
pub(crate) fn corpora() -> Option<PathBuf> {
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
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{msg}; under CI=true their absence is a failure"
    );
    eprintln!("\n!!!!!!!! SKIPPING: {msg} !!!!!!!!\n");
    None
}
