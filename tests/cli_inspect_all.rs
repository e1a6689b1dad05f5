//! `sigbridge inspect` on every certificate file of the fixtures and of the third-party
//! corpora (PKITS, CMS, SM2, real roots, LTV, malformed …) ends in human output (exit 0) or
//! a typed message (exit 4) that names the file — never a Rust debug string.

mod common;

use std::path::{Path, PathBuf};

fn certificate_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            certificate_files(&p, out);
        } else if p.extension().and_then(|x| x.to_str()).is_some_and(|x| {
            ["pem", "crt", "cer", "der", "crl"].contains(&x.to_ascii_lowercase().as_str())
        }) {
            out.push(p);
        }
    }
}

fn inspect_all(files: &[PathBuf]) -> (usize, usize) {
    let (mut ok, mut refused) = (0, 0);
    for f in files {
        let o = common::sigbridge().arg("inspect").arg(f).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            !text.contains('{') && !text.contains("Error(") && !text.contains("Some("),
            "{}: debug output: {text}",
            f.display()
        );
        match o.status.code() {
            Some(0) => {
                assert!(
                    text.contains("Subject:") || text.contains("Issuer:"),
                    "{}: {text}",
                    f.display()
                );
                ok += 1;
            }
            Some(4) => {
                assert!(
                    text.contains(&f.display().to_string()),
                    "{}: {text}",
                    f.display()
                );
                refused += 1;
            }
            other => panic!("{}: exit {other:?}: {text}", f.display()),
        }
    }
    (ok, refused)
}

#[test]
fn every_fixture_certificate_and_crl() {
    let mut files = Vec::new();
    certificate_files(&common::fixtures(), &mut files);
    certificate_files(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("trust-stores"),
        &mut files,
    );
    assert!(files.len() > 40, "{}", files.len());
    let (ok, _) = inspect_all(&files);
    // Private keys (*.key) are not among them; every fixture certificate and CRL reads.
    assert_eq!(ok, files.len());
}

#[test]
fn every_corpus_certificate() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let mut files = Vec::new();
    certificate_files(&corpora, &mut files);
    assert!(files.len() > 600, "{}", files.len());
    let (ok, refused) = inspect_all(&files);
    eprintln!("inspect over the corpora: {ok} described, {refused} refused with a typed message");
    assert!(ok > 500, "{ok}");
}
