//! `sigbridge batch` as a person runs it: the documents of fixtures/docs copied into a temp
//! folder (a detached signature named per the NAME.p7s convention, one without its content,
//! garbage), checked against fixtures/expected.json; order, exit codes and --manifest.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    common::sigbridge()
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn expected() -> Value {
    let text = std::fs::read_to_string(fixtures().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The expectations of `docs/NAME` in fixtures/expected.json.
fn expected_doc(name: &str) -> Value {
    let all = expected();
    let file = format!("docs/{name}");
    all["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == file.as_str())
        .unwrap_or_else(|| panic!("{file} is not in fixtures/expected.json"))
        .clone()
}

/// A fresh, empty temp folder for one test.
fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sigbridge-batch-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies `fixtures/docs/SRC` to `DIR/DEST`.
fn copy(dir: &Path, src: &str, dest: &str) {
    let to = dir.join(dest);
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(fixtures().join("docs").join(src), to).unwrap();
}

/// `(name in the temp folder, fixture it is a copy of)` for the verified documents, plus the
/// content files and files that must be ignored.
const DOCS: &[(&str, &str)] = &[
    ("a/hk-mr-personal.p7m", "hk-mr-personal.p7m"),
    ("a/hk-mr-personal.eml", "hk-mr-personal.eml"),
    ("a/gd-sm2-mr-ber.p7m", "gd-sm2-mr-ber.p7m"),
    ("a/gd-rsa-no-mr-oid.p7m", "gd-rsa-no-mr-oid.p7m"),
    ("a/hk-non-mr-issuer.p7m", "hk-non-mr-issuer.p7m"),
    ("b/revoked-signer.p7m", "revoked-signer.p7m"),
    ("b/expired-signer.p7m", "expired-signer.p7m"),
    ("b/untrusted-root.p7m", "untrusted-root.p7m"),
    ("b/corrupted-signature.p7m", "corrupted-signature.p7m"),
    ("c/contract.txt.p7s", "hk-mr-personal.p7s"),
    ("c/tampered.txt.p7s", "tampered-content.p7s"),
    ("malformed-truncated.p7m", "malformed-truncated.p7m"),
];

/// Builds the batch folder; returns it.
fn batch_folder(test: &str) -> PathBuf {
    let dir = temp_dir(test);
    for (dest, src) in DOCS {
        copy(&dir, src, dest);
    }
    // Content beside the detached signatures (NAME.p7s signs NAME).
    copy(&dir, "contract.txt", "c/contract.txt");
    copy(&dir, "tampered-content", "c/tampered.txt");
    // A detached signature whose content is missing.
    copy(&dir, "gd-sm2-mr.p7s", "c/orphan.pdf.p7s");
    // Garbage with a signed-file name, and files the walk must not pick up.
    std::fs::write(
        dir.join("b/garbage.p7m"),
        b"this is not a SignedData\x00\xff",
    )
    .unwrap();
    copy(&dir, "hk-mr-personal.pem", "a/not-picked-up.pem");
    std::fs::write(dir.join("a/notes.txt"), b"notes").unwrap();
    dir
}

/// The options the batch runs here take: the demo roots as anchors (with `anchors`), the demo
/// CRLs and the extra certificates of expected.json, the fixtures' validation time,
/// revocation required.
fn verify_options(anchors: bool) -> Vec<String> {
    let exp = expected();
    let docs = fixtures().join("docs");
    let mut crls: Vec<String> = std::fs::read_dir(docs.join("pki"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "crl"))
        .map(|p| p.display().to_string())
        .collect();
    crls.sort();
    let f = |rel: &str| fixtures().join(rel).display().to_string();
    let mut args = Vec::new();
    if anchors {
        args.push("--anchor".to_string());
        args.extend(
            [
                "docs/pki/hk-root.pem",
                "docs/pki/gd-sm2-root.pem",
                "docs/pki/gd-rsa-root.pem",
            ]
            .iter()
            .map(|p| f(p)),
        );
    }
    args.push("--cert".into());
    args.extend(
        ["docs/pki/gd-rsa-personal.pem", "docs/pki/gd-rsa-ca.pem"]
            .iter()
            .map(|p| f(p)),
    );
    args.push("--crl".into());
    args.extend(crls);
    args.extend([
        "--at".to_string(),
        exp["validation_time"].as_str().unwrap().to_string(),
        "--revocation".to_string(),
        exp["revocation"].as_str().unwrap().to_string(),
    ]);
    args
}

/// `sigbridge batch PATHS... OPTIONS... EXTRA...` with the demo roots as anchors.
fn run_batch(paths: &[&Path], extra: &[&str]) -> Output {
    run_batch_with(paths, true, extra)
}

fn run_batch_with(paths: &[&Path], anchors: bool, extra: &[&str]) -> Output {
    let mut c = bin();
    c.arg("batch")
        .args(paths)
        .args(verify_options(anchors))
        .args(extra);
    c.output().unwrap()
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

/// The path of a line's file relative to `dir`, with `/` separators.
fn rel(dir: &Path, v: &Value) -> String {
    let file = v["file"].as_str().unwrap();
    Path::new(file)
        .strip_prefix(dir)
        .unwrap_or_else(|_| panic!("{file} is not under {}", dir.display()))
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Nothing that looks like a progress bar: stderr is a pipe here.
fn assert_no_progress(out: &Output) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains('\r') && !err.contains("documents") && !err.contains('\u{1b}'),
        "progress output on a piped stderr: {err:?}"
    );
}

/// The summary without its timing fields (and jobs), for comparing runs.
fn summary_counts(v: &Value) -> Value {
    let mut s = v["summary"].clone();
    let o = s.as_object_mut().unwrap();
    // Timing and cache counters depend on scheduling (two threads may both miss an entry).
    for k in ["elapsed_seconds", "documents_per_second", "jobs", "cache"] {
        assert!(o.remove(k).is_some(), "summary has no {k}");
    }
    s
}

#[test]
fn json_lines_match_expected_json_in_discovery_order_for_any_jobs() {
    let dir = batch_folder("json");
    let one = run_batch(&[&dir], &["--format", "json", "--jobs", "1"]);
    let two = run_batch(&[&dir], &["--format", "json", "--jobs", "2"]);
    for out in [&one, &two] {
        // The worst indication is TOTAL_FAILED (revoked, corrupted, tampered): exit 1 even
        // though two files cannot be parsed.
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_no_progress(out);
    }
    let lines = json_lines(&one);
    let lines2 = json_lines(&two);
    assert_eq!(lines.len(), lines2.len());
    let (summary, docs) = lines.split_last().unwrap();
    let (summary2, docs2) = lines2.split_last().unwrap();
    // Identical per-document output, in the same order, whatever the parallelism.
    assert_eq!(docs, docs2);
    assert_eq!(summary_counts(summary), summary_counts(summary2));
    assert_eq!(summary["summary"]["jobs"], 1);
    assert_eq!(summary2["summary"]["jobs"], 2);
    // --detail summary: the same documents in the same order, each with its compact report
    // (same verdict, same signers) or the same error.
    let brief = run_batch(
        &[&dir],
        &["--format", "json", "--jobs", "2", "--detail", "summary"],
    );
    assert_eq!(brief.status.code(), Some(1));
    let brief = json_lines(&brief);
    assert_eq!(brief.len(), lines.len());
    for (b, f) in brief.iter().zip(docs) {
        assert_eq!(b["file"], f["file"]);
        assert_eq!(b["error"], f["error"]);
        if f["report"].is_object() {
            assert_eq!(b["report"]["format"], "sigbridge-summary/1");
            assert_eq!(b["report"]["indication"], f["report"]["indication"]);
            assert_eq!(b["report"]["sub_indication"], f["report"]["sub_indication"]);
            let signers = |v: &Value| -> Vec<Value> {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s["indication"].clone())
                    .collect()
            };
            assert_eq!(
                signers(&b["report"]["signers"]),
                signers(&f["report"]["signers"])
            );
            assert!(b["report"].get("content_type").is_none(), "compact: {b}");
        }
    }
    // One worker: 12 readable documents, CA sub-paths shared between them.
    let cache = &summary["summary"]["cache"];
    assert!(cache["signatures"]["hits"].as_u64().unwrap() > 0, "{cache}");
    assert!(cache["sub_paths"]["hits"].as_u64().unwrap() > 0, "{cache}");

    // Discovery order: sorted paths; only .p7s/.p7m/.p7/.eml; content files not on their own.
    let order: Vec<String> = docs.iter().map(|v| rel(&dir, v)).collect();
    let mut want: Vec<String> = DOCS.iter().map(|(d, _)| d.to_string()).collect();
    want.push("b/garbage.p7m".into());
    want.push("c/orphan.pdf.p7s".into());
    let mut sorted = want.clone();
    sorted.sort_by(|a, b| Path::new(a).cmp(Path::new(b)));
    assert_eq!(order, sorted);

    for v in docs {
        let name = rel(&dir, v);
        match name.as_str() {
            "b/garbage.p7m" | "malformed-truncated.p7m" => {
                let err = v["error"].as_str().unwrap_or_else(|| panic!("{v}"));
                assert!(err.contains(&name), "{err}");
                assert!(v.get("report").is_none());
            }
            "c/orphan.pdf.p7s" => {
                // The content (c/orphan.pdf) is missing: verified without it.
                assert_eq!(v["content"], Value::Null);
                assert_eq!(v["report"]["indication"], "INDETERMINATE");
                assert_eq!(v["report"]["sub_indication"], "FORMAT_FAILURE");
                assert_eq!(v["report"]["detached"], true);
            }
            _ => {
                let src = DOCS.iter().find(|(d, _)| *d == name).unwrap().1;
                let exp = expected_doc(src);
                assert!(exp["error"].is_null(), "{src} is expected to be unreadable");
                let report = &v["report"];
                assert_eq!(report["format"], "sigbridge-report/2", "{name}");
                assert_eq!(report["indication"], exp["indication"], "{name}");
                assert_eq!(report["sub_indication"], exp["sub_indication"], "{name}");
                assert_eq!(
                    report["signers"].as_array().unwrap().len(),
                    exp["signers"].as_array().unwrap().len(),
                    "{name}"
                );
                if name.ends_with(".p7s") {
                    // NAME.p7s signs NAME beside it.
                    let content = v["content"].as_str().unwrap();
                    assert_eq!(Path::new(content), dir.join(name.trim_end_matches(".p7s")));
                    assert_eq!(report["detached"], true);
                } else {
                    assert_eq!(v["content"], Value::Null);
                }
            }
        }
    }
    // The fixture expectations themselves cover what is asserted above.
    assert_eq!(
        expected_doc("malformed-truncated.p7m")["error"],
        Value::Bool(true)
    );

    let s = &summary["summary"];
    assert_eq!(s["documents"], 14);
    assert_eq!(s["errors"], 2);
    assert_eq!(s["verified"], 12);
    assert_eq!(s["indications"]["TOTAL_PASSED"], 6);
    assert_eq!(s["indications"]["TOTAL_FAILED"], 2);
    assert_eq!(s["indications"]["INDETERMINATE"], 4);
    assert_eq!(s["sub_indications"]["REVOKED_NO_POE"], 1);
    assert_eq!(s["sub_indications"]["HASH_FAILURE"], 1);
    assert_eq!(s["exit_code"], 1);
    assert!(s["documents_per_second"].as_f64().unwrap() > 0.0);
    for j in ["hk", "gd"] {
        let counts = s["recognition"][j].as_object().unwrap();
        let total: u64 = counts.values().map(|n| n.as_u64().unwrap()).sum();
        assert_eq!(total, 12, "{j}: {counts:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn exit_code_is_the_worst_outcome() {
    let dir = temp_dir("exit");
    let code = |paths: &[&Path]| {
        let out = run_batch(paths, &[]);
        assert_no_progress(&out);
        out.status.code()
    };
    copy(&dir, "hk-mr-personal.p7m", "passed/x.p7m");
    copy(&dir, "gd-sm2-mr.p7m", "passed/y.P7M");
    copy(&dir, "expired-signer.p7m", "indeterminate/x.p7m");
    std::fs::create_dir_all(dir.join("garbage")).unwrap();
    std::fs::write(dir.join("garbage/x.p7"), b"garbage").unwrap();
    copy(&dir, "corrupted-signature.p7m", "failed/x.p7m");
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    std::fs::write(dir.join("empty/contract.txt"), b"not signed").unwrap();
    let [passed, indeterminate, garbage, failed, empty] =
        ["passed", "indeterminate", "garbage", "failed", "empty"].map(|d| dir.join(d));
    assert_eq!(code(&[&passed]), Some(0));
    assert_eq!(code(&[&passed, &indeterminate]), Some(3));
    // An unreadable file is worse than INDETERMINATE...
    assert_eq!(code(&[&passed, &indeterminate, &garbage]), Some(4));
    // ...and TOTAL_FAILED worse than both.
    assert_eq!(code(&[&garbage, &passed, &indeterminate, &failed]), Some(1));
    assert_eq!(code(&[&failed, &indeterminate]), Some(1));
    // A PATH that does not exist is reported like an unreadable file.
    assert_eq!(code(&[&passed, &dir.join("no-such-folder")]), Some(4));
    // Nothing to verify.
    let out = run_batch(&[&empty], &[]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no signed files"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn text_lines_and_summary_with_the_demo_trust_lists() {
    let dir = batch_folder("text");
    // The demo lists, no --anchor: recognition decides, as in expected.json's
    // `with_trust_stores` and `signers[].recognition`.
    let stores = fixtures().join("trust-stores");
    let out = run_batch_with(
        &[&dir],
        false,
        &["--trust-stores", stores.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_no_progress(&out);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut lines = stdout.lines();
    let mut seen = 0;
    for line in lines.by_ref() {
        if line.is_empty() {
            break;
        }
        seen += 1;
        if let Some(rest) = line.strip_prefix("ERROR ") {
            assert!(
                rest.contains("garbage.p7m") || rest.contains("malformed-truncated.p7m"),
                "{line}"
            );
            continue;
        }
        // INDICATION[/SUB] hk=STATUS gd=STATUS PATH
        let fields: Vec<&str> = line.splitn(4, ' ').collect();
        let [indication, hk, gd, path] = fields.as_slice() else {
            panic!("{line}");
        };
        let name = Path::new(path)
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let Some((_, src)) = DOCS.iter().find(|(d, _)| *d == name) else {
            assert_eq!(name, "c/orphan.pdf.p7s");
            assert_eq!(*indication, "INDETERMINATE/FORMAT_FAILURE");
            assert_eq!((*hk, *gd), ("hk=none", "gd=none"));
            continue;
        };
        let exp = expected_doc(src);
        let with_lists = &exp["with_trust_stores"];
        let verdict = match with_lists["default_relying_party"].as_str() {
            Some("HK") => with_lists["for_hk"].clone(),
            Some("GD") => with_lists["for_gd"].clone(),
            _ => exp.clone(),
        };
        let mut want = verdict["indication"].as_str().unwrap().to_string();
        if let Some(sub) = verdict["sub_indication"].as_str() {
            want = format!("{want}/{sub}");
        }
        assert_eq!(*indication, want, "{line}");
        // One signer each: the document's recognition is that signer's.
        let recognition = &exp["signers"][0]["recognition"];
        assert_eq!(exp["signers"].as_array().unwrap().len(), 1);
        let want = |j: &str| format!("{j}={}", recognition[j]["status"].as_str().unwrap());
        assert_eq!(*hk, want("hk"), "{line}");
        assert_eq!(*gd, want("gd"), "{line}");
    }
    assert_eq!(seen, 14);
    let summary: Vec<&str> = lines.collect();
    let text = summary.join("\n");
    assert!(
        text.contains("14 documents: 12 verified, 2 errors"),
        "{text}"
    );
    assert!(text.contains("Hong Kong recognition:"), "{text}");
    assert!(text.contains("Guangdong recognition:"), "{text}");
    assert!(text.contains("documents/second"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn manifest_lists_signatures_and_their_content() {
    let dir = temp_dir("manifest");
    copy(&dir, "hk-mr-personal.p7s", "sigs/signature one.p7s");
    copy(&dir, "contract.txt", "content/contract.txt");
    copy(&dir, "revoked-signer.p7m", "revoked.p7m");
    copy(&dir, "gd-sm2-mr.p7m", "sigs/gd.p7m");
    let manifest = dir.join("list.txt");
    std::fs::write(
        &manifest,
        "# signatures to check\n\
         \n\
         sigs/gd.p7m\n\
         sigs/signature one.p7s\tcontent/contract.txt\n\
         \x20 revoked.p7m   \n\
         missing.p7m\n",
    )
    .unwrap();
    let m = manifest.to_str().unwrap();
    let out = run_batch(&[], &["--manifest", m, "--format", "json", "--jobs", "2"]);
    // The revoked signer is INDETERMINATE (no POE), so the missing file decides: 4.
    assert_eq!(out.status.code(), Some(4));
    let lines = json_lines(&out);
    let names: Vec<String> = lines[..lines.len() - 1]
        .iter()
        .map(|v| rel(&dir, v))
        .collect();
    // Manifest order, not sorted.
    assert_eq!(
        names,
        [
            "sigs/gd.p7m",
            "sigs/signature one.p7s",
            "revoked.p7m",
            "missing.p7m"
        ]
    );
    assert_eq!(lines[0]["report"]["indication"], "TOTAL_PASSED");
    assert_eq!(lines[1]["report"]["indication"], "TOTAL_PASSED");
    assert_eq!(lines[1]["report"]["detached"], true);
    assert_eq!(
        Path::new(lines[1]["content"].as_str().unwrap()),
        dir.join("content/contract.txt")
    );
    assert_eq!(lines[2]["report"]["sub_indication"], "REVOKED_NO_POE");
    assert!(lines[3]["error"].as_str().unwrap().contains("missing.p7m"));
    assert_eq!(lines[4]["summary"]["documents"], 4);
    assert_eq!(lines[4]["summary"]["errors"], 1);

    // A malformed line stops the batch before anything is verified, naming the line.
    std::fs::write(&manifest, "sigs/gd.p7m\na b c\n").unwrap();
    let out = run_batch(&[], &["--manifest", m]);
    assert_eq!(out.status.code(), Some(4));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("list.txt:2"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn usage_errors() {
    let code = |args: &[&str]| bin().args(args).output().unwrap().status.code();
    let docs = fixtures().join("docs");
    let docs = docs.to_str().unwrap();
    assert_eq!(code(&["batch"]), Some(2));
    assert_eq!(code(&["batch", docs, "--jobs", "0"]), Some(2));
    assert_eq!(code(&["batch", docs, "--at", "yesterday"]), Some(2));
    assert_eq!(code(&["batch", docs, "--manifest", "m.txt"]), Some(2));
    // The compact report is a JSON form only.
    assert_eq!(code(&["batch", docs, "--detail", "summary"]), Some(2));
    let doc = fixtures().join("hk-mr-personal.p7m");
    let doc = doc.to_str().unwrap();
    assert_eq!(code(&["verify", doc, "--detail", "summary"]), Some(2));
    assert_eq!(
        code(&["verify", doc, "--detail", "summary", "--format", "html"]),
        Some(2)
    );
    // An option file that cannot be read: input error before verifying anything.
    let out = bin()
        .args(["batch", docs, "--anchor", "no-such-anchor.pem"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-anchor.pem"));
}
