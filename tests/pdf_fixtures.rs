//! The generated PDFs of `fixtures/pdf/` (made by `fixtures/generate-pdfs.sh`) against the
//! facts `fixtures/pdf/expected.json` states for them: signatures and their fields,
//! SubFilters, problems, coverage, modification level and status, DocMDP, pages, change
//! details, unreferenced objects, DSS, encryption; every CMS parses with
//! `sigbridge::document::cms::parse`, and the RSA ones verify with `openssl cms -verify -noverify`
//! over the streamed ranges where OpenSSL is installed. Then the verdicts: every signature's
//! indication, sub-indication, the rule that decides it, its PAdES level and its HK / GD
//! recognition, verified with the demo trust lists (HK RSA and GD SM2) and the demo CRLs,
//! revocation required; the same indications with the demo roots as anchors instead; and the
//! same report from bytes, from a seekable reader and from the file.

use serde_json::Value;
use sigbridge::document::pdf::{PdfDocument, PdfSignature, SignatureKind};
use sigbridge::revocation::RevocationMode;
use sigbridge::verify::{Verifier, VerifierConfig};
use sigbridge::{Call, Limits, SignerReport, Status};
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
            let kind = match w["kind"].as_str() {
                Some("document_timestamp") => SignatureKind::DocumentTimestamp,
                _ => SignatureKind::Signature,
            };
            if s.kind != kind {
                failures.push(format!("{file} {:?}: kind {:?}", s.field_name, s.kind));
            }
            for b in check_signature(&doc, s, w, &tmp) {
                failures.push(format!("{file} {:?}: {b}", s.field_name));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A verifier as `sigbridge verify --trust-stores fixtures/trust-stores --crl
/// fixtures/docs/pki/*.crl --revocation require --at 2026-12-01T00:00:00Z` builds it; with
/// `anchors`, the demo roots as anchors instead of the lists.
fn verifier(anchors: bool) -> Verifier {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut crls: Vec<PathBuf> = std::fs::read_dir(root.join("docs/pki"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "crl"))
        .collect();
    crls.sort();
    let mut config = VerifierConfig::default();
    if anchors {
        config.anchors = vec![
            root.join("docs/pki/hk-root.pem"),
            root.join("docs/pki/gd-sm2-root.pem"),
        ];
    } else {
        config.trust_stores = Some(root.join("trust-stores"));
    }
    config.crls = crls;
    config.revocation = RevocationMode::Require;
    config.validation_time = Some("2026-12-01T00:00:00Z".into());
    config.build().unwrap()
}

fn verdict_of(s: &SignerReport) -> String {
    format!(
        "{}{}",
        s.indication,
        s.sub_indication
            .map(|x| format!("/{x}"))
            .unwrap_or_default()
    )
}

/// The rule of the check that sets the signer's verdict (the first failed one with it).
fn decided_by(s: &SignerReport) -> Option<String> {
    s.checks
        .iter()
        .find(|c| c.status == Status::Failed && Some(c.rule.verdict()) == Some(s.verdict()))
        .map(|c| c.rule.id().to_owned())
}

fn check_verdict(s: &SignerReport, want: &Value, lists: bool) -> Vec<String> {
    let mut bad = Vec::new();
    let want_verdict = format!(
        "{}{}",
        want["indication"].as_str().unwrap_or("?"),
        want["sub_indication"]
            .as_str()
            .map(|x| format!("/{x}"))
            .unwrap_or_default()
    );
    mismatch(&mut bad, "verdict", verdict_of(s), &want_verdict);
    mismatch(
        &mut bad,
        "decided by",
        decided_by(s).unwrap_or_default(),
        want["decided_by"].as_str().unwrap_or_default(),
    );
    let pdf = s.pdf.as_ref().expect("a PDF signer has its pdf facts");
    if let Some(l) = want.get("level") {
        mismatch(
            &mut bad,
            "level",
            serde_json::to_value(pdf.level).unwrap().to_string(),
            &l.to_string(),
        );
    }
    if let Some(ts) = want["signature_timestamp"].as_bool() {
        mismatch(
            &mut bad,
            "signature timestamp",
            pdf.signature_timestamp.to_string(),
            &ts.to_string(),
        );
    }
    if let Some(w) = want["weak"].as_str() {
        if !s.weak_algorithms_accepted.iter().any(|x| x.contains(w)) {
            bad.push(format!(
                "{w} not reported weak: {:?}",
                s.weak_algorithms_accepted
            ));
        }
    }
    if let Some(fields) = want["field_lock_violated"].as_array() {
        let got = pdf
            .field_lock
            .as_ref()
            .filter(|l| l.violated)
            .map(|l| l.changed_locked_fields.clone())
            .unwrap_or_default();
        let want: Vec<String> = fields
            .iter()
            .filter_map(|f| f.as_str().map(str::to_owned))
            .collect();
        mismatch(
            &mut bad,
            "locked fields changed",
            format!("{got:?}"),
            &format!("{want:?}"),
        );
    }
    if let (true, Some(rec)) = (lists, want["recognition"].as_array()) {
        let got = s
            .recognition
            .as_ref()
            .map(|r| {
                serde_json::to_value([r.hk.status, r.gd.status])
                    .unwrap()
                    .to_string()
            })
            .unwrap_or_default();
        mismatch(
            &mut bad,
            "recognition [HK, GD]",
            got,
            &Value::Array(rec.clone()).to_string(),
        );
    }
    bad
}

#[test]
fn every_signature_gets_the_verdict_its_scenario_calls_for() {
    let expected: Value =
        serde_json::from_slice(&std::fs::read(dir().join("expected.json")).unwrap()).unwrap();
    let with_lists = verifier(false);
    let with_anchors = verifier(true);
    let mut failures = Vec::new();
    let mut checked = 0;
    for (file, want) in expected["files"].as_object().unwrap() {
        let path = dir().join(file);
        let wanted = want["signatures"].as_array().unwrap();
        for (lists, v) in [(true, &with_lists), (false, &with_anchors)] {
            let report = match v.verify_pdf_file(&path, Call::new()) {
                Ok(r) => r,
                Err(e) => {
                    failures.push(format!("{file}: {e}"));
                    continue;
                }
            };
            assert_eq!(report.signers.len(), wanted.len(), "{file}");
            for (s, w) in report.signers.iter().zip(wanted) {
                checked += 1;
                for b in check_verdict(s, w, lists) {
                    let field = s.pdf.as_ref().and_then(|p| p.field_name.clone());
                    failures.push(format!("{file} {field:?} (trust lists: {lists}): {b}"));
                }
            }
            // The document's indication is the worst of its signatures'.
            let worst = report
                .signers
                .iter()
                .map(SignerReport::verdict)
                .fold(sigbridge::Verdict::PASSED, sigbridge::Verdict::worse);
            assert_eq!(report.verdict(), worst, "{file}");
        }
    }
    assert!(checked >= 2 * 27, "{checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bytes_reader_and_file_give_the_same_report() {
    let v = verifier(false);
    for file in [
        "two-signatures.pdf",
        "pades-lta.pdf",
        "usf-null-contents.pdf",
    ] {
        let path = dir().join(file);
        let bytes = std::fs::read(&path).unwrap();
        let from_file =
            serde_json::to_value(v.verify_pdf_file(&path, Call::new()).unwrap()).unwrap();
        let from_bytes = serde_json::to_value(v.verify_with(&bytes, Call::new()).unwrap()).unwrap();
        let from_reader = serde_json::to_value(
            v.verify_pdf_reader(std::io::Cursor::new(bytes.clone()), Call::new())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(from_file, from_bytes, "{file}");
        assert_eq!(from_file, from_reader, "{file}");
        // A PDF carries its content: content given separately is refused, typed.
        let mut content: &[u8] = b"x";
        assert!(matches!(
            v.verify_with(&bytes, Call::new().content(&mut content)),
            Err(sigbridge::VerifyError::ContentNotApplicable)
        ));
    }
}
