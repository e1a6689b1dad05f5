//! The generated PDFs of `fixtures/pdf/` (made by `fixtures/generate-pdfs.sh`) against the
//! facts `fixtures/pdf/expected.json` states for them: signatures and their fields,
//! SubFilters, problems, coverage, modification level and status, DocMDP, pages, change
//! details, unreferenced objects, DSS, encryption; every CMS parses with
//! `sigbridge::document::cms::parse`, and the RSA ones verify with `openssl cms -verify -noverify`
//! over the streamed ranges where OpenSSL is installed.

use serde_json::Value;
use sigbridge::document::pdf::{PdfDocument, PdfSignature, SignatureKind};
use sigbridge::Limits;
use std::io::Read;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/pdf")
}

/// The serde name of a value (`"entire_file"` etc.).
fn name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v).unwrap() {
        Value::String(s) => s,
        Value::Object(m) => m
            .get("problem")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| m.keys().next().cloned())
            .unwrap_or_default(),
        other => other.to_string(),
    }
}

fn openssl_intact(doc: &PdfDocument, s: &PdfSignature, tmp: &Path) -> Option<bool> {
    std::process::Command::new("openssl")
        .arg("version")
        .output()
        .ok()?;
    let mut content = Vec::new();
    doc.signed_ranges_reader(s)
        .ok()?
        .read_to_end(&mut content)
        .ok()?;
    let (c, p) = (tmp.join("content"), tmp.join("cms.der"));
    std::fs::write(&c, &content).ok()?;
    std::fs::write(&p, s.cms()?).ok()?;
    let st = std::process::Command::new("openssl")
        .args([
            "cms",
            "-verify",
            "-noverify",
            "-binary",
            "-inform",
            "DER",
            "-purpose",
            "any",
            "-out",
            "/dev/null",
            "-in",
        ])
        .arg(&p)
        .arg("-content")
        .arg(&c)
        .output()
        .ok()?;
    Some(st.status.success())
}

fn mismatch(bad: &mut Vec<String>, what: &str, got: String, want: &str) {
    if got != want {
        bad.push(format!("{what}: got {got}, expected {want}"));
    }
}

fn check_signature(doc: &PdfDocument, s: &PdfSignature, want: &Value, tmp: &Path) -> Vec<String> {
    let mut bad = Vec::new();
    if let Some(f) = want["field"].as_str() {
        mismatch(
            &mut bad,
            "field",
            s.field_name.clone().unwrap_or_default(),
            f,
        );
    }
    if let Some(f) = want["sub_filter"].as_str() {
        mismatch(&mut bad, "sub_filter", name(&s.sub_filter), f);
    }
    if let Some(p) = want["page"].as_u64() {
        mismatch(
            &mut bad,
            "page",
            format!("{:?}", s.page),
            &format!("Some({p})"),
        );
    }
    let problems: Vec<String> = s.problems.iter().map(name).collect();
    let want_problems: Vec<String> = want["problems"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    mismatch(
        &mut bad,
        "problems",
        format!("{problems:?}"),
        &format!("{want_problems:?}"),
    );
    let cov = doc.coverage(s).unwrap();
    if let Some(c) = want["coverage"].as_str() {
        mismatch(&mut bad, "coverage", name(&cov.level), c);
    }
    if let Some(c) = want["coverage_problem"].as_str() {
        mismatch(
            &mut bad,
            "coverage problem",
            cov.problems.first().map(name).unwrap_or_default(),
            c,
        );
    }
    let m = doc.modifications(s).unwrap();
    if let Some(l) = want["modifications"].as_str() {
        mismatch(&mut bad, "modification level", name(&m.level), l);
    }
    if let Some(st) = want["status"].as_str() {
        mismatch(&mut bad, "modification status", name(&m.status), st);
    }
    if let Some(d) = want.get("docmdp").filter(|d| !d.is_null()) {
        let got = m
            .docmdp
            .as_ref()
            .map(|v| format!("{} {}", v.permission, v.exceeded))
            .unwrap_or_default();
        mismatch(
            &mut bad,
            "docmdp",
            got,
            &format!("{} {}", d["permission"], d["exceeded"]),
        );
    } else if m.docmdp.is_some() {
        bad.push("docmdp: a verdict where none is expected".into());
    }
    if let Some(p) = want["pages"].as_array() {
        mismatch(
            &mut bad,
            "pages",
            format!("{:?} {:?}", m.pages_signed, m.pages_final),
            &format!("Some({}) Some({})", p[0], p[1]),
        );
    }
    if let Some(t) = want["detail_mentions"].as_str() {
        let hit = m
            .revisions
            .iter()
            .flat_map(|r| &r.changes)
            .any(|c| c.detail.as_deref().is_some_and(|d| d.contains(t)));
        mismatch(
            &mut bad,
            &format!("a change detail mentions {t}"),
            hit.to_string(),
            "true",
        );
    }
    if let Some(n) = want["unreferenced_in_signed_revision"].as_u64() {
        mismatch(
            &mut bad,
            "unreferenced in the signed revision",
            m.unreferenced_in_signed_revision.len().to_string(),
            &n.to_string(),
        );
    }
    match s.cms() {
        Some(cms) if s.problems.is_empty() => {
            if let Err(e) = sigbridge::document::cms::parse(cms, &sigbridge::Limits::default()) {
                bad.push(format!("the CMS does not parse: {e}"));
            }
        }
        None if s.problems.is_empty() => bad.push("no CMS".into()),
        _ => {}
    }
    if let Some(want_intact) = want["cms_intact"].as_bool() {
        if let Some(got) = openssl_intact(doc, s, tmp) {
            mismatch(
                &mut bad,
                "openssl cms -verify",
                got.to_string(),
                &want_intact.to_string(),
            );
        }
    }
    bad
}

#[test]
fn generated_pdfs_show_what_they_were_built_for() {
    let expected: Value =
        serde_json::from_slice(&std::fs::read(dir().join("expected.json")).unwrap()).unwrap();
    let files = expected["files"].as_object().unwrap();
    let tmp = std::env::temp_dir().join(format!(
        "sigbridge-pdf-fixtures-test-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut failures = Vec::new();
    let mut on_disk: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = files.keys().cloned().collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "every fixture PDF has expectations and every expectation a file"
    );
    for (file, want) in files {
        let bytes = std::fs::read(dir().join(file)).unwrap();
        let doc = match PdfDocument::open(bytes, &Limits::default()) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{file}: {e}"));
                continue;
            }
        };
        if doc.is_encrypted() != want["encrypted"].as_bool().unwrap_or(false) {
            failures.push(format!("{file}: encrypted = {}", doc.is_encrypted()));
        }
        if let Some(n) = want["dss_revisions"].as_u64() {
            let got = doc.dss().unwrap().len() as u64;
            if got != n {
                failures.push(format!("{file}: {got} DSS revisions, expected {n}"));
            }
        }
        let sigs = doc.signatures().unwrap();
        let wanted = want["signatures"].as_array().unwrap();
        if sigs.len() != wanted.len() {
            failures.push(format!(
                "{file}: {} signatures, expected {}",
                sigs.len(),
                wanted.len()
            ));
            continue;
        }
        for (s, w) in sigs.iter().zip(wanted) {
            assert_eq!(s.kind, SignatureKind::Signature);
            for b in check_signature(&doc, s, w, &tmp) {
                failures.push(format!("{file} {:?}: {b}", s.field_name));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
