//! The PDF layer over every PDF of the `pades` corpus (EU DSS and pyHanko test files):
//! number of signatures, coverage, modification level, DocMDP, and the facts of
//! `MANIFEST.json`'s `expected` where it states them. Each fact below quotes the part of
//! `expected` it comes from (the test checks the quote is there). Every signature's CMS is
//! extracted (a DER SEQUENCE); where `openssl` is installed, the detached signatures the
//! source calls intact are checked with `openssl cms -verify -noverify` over the streamed
//! ranges. Files whose answer differs on purpose are in `tests/pdf-exceptions.txt`,
//! checked both ways.

mod common;

use serde_json::Value;
use sigbridge::document::pdf::{
    CoverageLevel, FileSource, ModificationLevel, PdfDocument, PdfSignature, SignatureKind,
    SubFilter,
};
use sigbridge::Limits;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Which signature a fact is about.
#[derive(Clone, Copy, Debug)]
enum Sel {
    /// Every signature (not document timestamps).
    EverySignature,
    /// The field of this name.
    Named(&'static str),
    /// The signature of the oldest revision.
    Earliest,
    /// The signature of the newest revision.
    Latest,
}

#[derive(Clone, Debug)]
enum Fact {
    /// The file opens.
    Opens,
    /// Number of signatures (document timestamps not counted).
    Signatures(usize),
    /// Number of document timestamps.
    DocTimestamps(usize),
    /// The coverage is partial (a format failure) or not.
    Partial(Sel, bool),
    /// The coverage problem's name (`Debug` of the first problem starts with it).
    CoverageProblem(Sel, &'static str),
    /// The modification level.
    Level(Sel, ModificationLevel),
    /// The modification level is not this one.
    LevelNot(Sel, ModificationLevel),
    /// A change detail mentions this text.
    DetailMentions(Sel, &'static str),
    /// Pages differ between the signed and the final revision.
    PagesChanged(Sel),
    /// DocMDP permission and whether the changes exceed it.
    DocMdp(Sel, u8, bool),
    /// A certification signature whose permission the changes do not exceed.
    DocMdpOk(Sel),
    /// The SubFilter.
    SubFilterIs(Sel, SubFilter),
    /// The file is encrypted.
    Encrypted,
    /// No document timestamp follows the signature.
    NoDocTimestampAfter(Sel),
    /// A DSS and a document timestamp after it follow the signature.
    ArchiveTimestampAfter(Sel),
    /// `openssl cms -verify` accepts the CMS over the signed ranges.
    Intact(Sel, bool),
}

use Fact::*;
use Sel::*;

/// The facts per file, each with the words of `expected` it rests on.
fn expectations() -> BTreeMap<&'static str, (&'static str, Vec<Fact>)> {
    let none = ModificationLevel::None;
    let ff = ModificationLevel::FormFilling;
    let other = ModificationLevel::Other;
    let annots = ModificationLevel::Annotations;
    let defaults =
        "signature intact+valid, B-level technically valid, /ByteRange valid, no PDF modifications";
    BTreeMap::from([
        ("dss/pdf-signed-original.pdf", (defaults, vec![Opens, Signatures(1), Partial(EverySignature, false), Level(EverySignature, none), Intact(EverySignature, true)])),
        ("dss/pdf-signed-corrupted.pdf", ("signature NOT intact; 4-element /ByteRange", vec![Opens, Signatures(1), Intact(EverySignature, false)])),
        ("dss/pdf-byterange-overlap.pdf", ("must have sub-indication FORMAT_FAILURE", vec![Opens])),
        ("dss/pdf-eof.pdf", ("NOT intact and NOT valid; B-level not valid; /ByteRange invalid", vec![Opens, Signatures(1), Partial(EverySignature, true)])),
        ("dss/pdf-signed-added-page.pdf", ("TOTAL_FAILED / FORMAT_FAILURE (page difference)", vec![Opens, Signatures(1), Level(EverySignature, other), PagesChanged(EverySignature)])),
        ("dss/pades-spoofing-replaced-reason.pdf", ("1 undefined change (MODIFICATION containing /Reason), isPdfSignatureDictionaryConsistent=false", vec![Opens, Signatures(1), Partial(EverySignature, true), Level(EverySignature, other)])),
        ("dss/dss-2236__hide.pdf", ("PDF object modifications detected; undefined changes non-empty", vec![Opens, Signatures(1), Level(EverySignature, other)])),
        ("dss/pkcs7.pdf", ("format PKCS7_T", vec![Opens, Signatures(1), SubFilterIs(EverySignature, SubFilter::AdbePkcs7Detached)])),
        ("dss/pades-bes.pdf", (defaults, vec![Opens, Signatures(1), SubFilterIs(EverySignature, SubFilter::EtsiCadesDetached), Partial(EverySignature, false), Level(EverySignature, none), Intact(EverySignature, true)])),
        ("dss/PAdES-LT.pdf", ("signatures at PAdES_BASELINE_T and PAdES_BASELINE_LT", vec![Opens, SubFilterIs(EverySignature, SubFilter::EtsiCadesDetached)])),
        ("dss/pades-5-signatures-and-1-document-timestamp.pdf", ("5 signatures (+1 doc TST)", vec![Opens, Signatures(5), DocTimestamps(1)])),
        ("dss/Signature-P-HU_MIC-1.pdf", (defaults, vec![Opens, Signatures(1), Partial(EverySignature, false), Level(EverySignature, none), Intact(EverySignature, true)])),
        ("dss/Signature-P-FR_CS-5.pdf", ("T-level and A-level technically valid", vec![Opens, Signatures(1), ArchiveTimestampAfter(EverySignature)])),
        ("dss/pades-signed-filled-form.pdf", ("NO annotation changes, NO undefined changes", vec![Opens, Level(Earliest, ff), LevelNot(Earliest, annots)])),
        ("dss/dss-2554__certified-no-change-permitted.pdf", ("DSS refuses to add a new signature", vec![Opens, Signatures(1), DocMdp(EverySignature, 1, false)])),
        ("dss/timestamped_and_signed.pdf", ("signature has 0 timestamps; 1 DOCUMENT_TIMESTAMP in file", vec![Opens, Signatures(1), DocTimestamps(1), NoDocTimestampAfter(EverySignature)])),
        ("dss/BadEncodedCMS.pdf", ("NO_SIGNATURE_FOUND; 0 signatures", vec![Opens, Signatures(0)])),
        ("pyhanko/coverage-anomalies__one-byterange.pdf", ("coverage == UNCLEAR", vec![Opens, Signatures(1), Partial(EverySignature, true)])),
        ("pyhanko/coverage-anomalies__weird-byterange.pdf", ("coverage == UNCLEAR", vec![Opens, Signatures(1), Partial(EverySignature, true)])),
        ("pyhanko/coverage-anomalies__signature-gap-too-big.pdf", ("coverage == UNCLEAR", vec![Opens, Signatures(1), Partial(EverySignature, true), CoverageProblem(EverySignature, "GapNotContents")])),
        ("pyhanko/coverage-anomalies__tail-uncovered.pdf", ("coverage == CONTIGUOUS_BLOCK_FROM_START", vec![Opens, Signatures(1), Partial(EverySignature, true), CoverageProblem(EverySignature, "NotAtRevisionEnd")])),
        ("pyhanko/minimal-two-fields-signed-twice.pdf", ("signature 1: modification_level FORM_FILLING, docmdp_ok; signature 2 validates", vec![Opens, Signatures(2), Level(Earliest, ff), Level(Latest, none), Intact(EverySignature, true)])),
        ("pyhanko/minimal-signed-twice-both-created.pdf", ("signature 1: modification_level FORM_FILLING, docmdp_ok; signature 2 validates", vec![Opens, Signatures(2), Level(Earliest, ff), Level(Latest, none), Intact(EverySignature, true)])),
        ("pyhanko/pades-lta-dss-indirect-arrs-test.pdf", ("Sig1 remains trusted (extd)", vec![Opens, LevelNot(Named("Sig1"), other), Partial(Named("Sig1"), false)])),
        ("pyhanko/certified-with-indirect-refs-in-dir.pdf", ("trusted", vec![Opens, Signatures(1), DocMdpOk(EverySignature), Level(EverySignature, none), Intact(EverySignature, true)])),
        ("pyhanko/form-update-override-appearance-stream-sneaky.pdf", ("modification_level OTHER; diff result mentions .FooBar", vec![Opens, Level(Named("Sig1"), other), DetailMentions(Named("Sig1"), "FooBar")])),
        ("pyhanko/form-update-ap-indirect-sneaky-trailer.pdf", ("modification_level OTHER", vec![Opens, Level(Named("Sig1"), other)])),
        ("pyhanko/form-update-override-appearance-stream.pdf", ("modification_level FORM_FILLING", vec![Opens, Level(Named("Sig1"), ff)])),
        ("pyhanko/sig-no-signed-attrs.pdf", ("validates (untrusted): intact+valid", vec![Opens, Signatures(1), Partial(EverySignature, false), Level(EverySignature, none), Intact(EverySignature, true)])),
        ("pyhanko/pdf-sig-with-econtent.pdf", ("detached.*encapsulated", vec![Opens, Signatures(1)])),
        ("pyhanko/signed-encrypted-pubkey-with-catalog-ref.pdf", ("needs test decrypter key to open", vec![Opens, Encrypted, Signatures(1)])),
    ])
}

struct Opened {
    doc: PdfDocument,
    sigs: Vec<PdfSignature>,
}

fn select(o: &Opened, sel: Sel) -> Vec<&PdfSignature> {
    let sigs: Vec<&PdfSignature> = o
        .sigs
        .iter()
        .filter(|s| s.kind == SignatureKind::Signature)
        .collect();
    match sel {
        EverySignature => sigs,
        Named(n) => o
            .sigs
            .iter()
            .filter(|s| s.field_name.as_deref() == Some(n))
            .collect(),
        Earliest => sigs
            .iter()
            .min_by_key(|s| s.revision)
            .copied()
            .into_iter()
            .collect(),
        Latest => sigs
            .iter()
            .max_by_key(|s| s.revision)
            .copied()
            .into_iter()
            .collect(),
    }
}

fn openssl_available() -> bool {
    std::process::Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `openssl cms -verify -noverify` over the streamed ranges: the CMS signature and its
/// message digest check out (certificates are not validated).
fn openssl_intact(o: &Opened, s: &PdfSignature, tmp: &Path) -> Result<bool, String> {
    let mut content = Vec::new();
    o.doc
        .signed_ranges_reader(s)
        .map_err(|e| e.to_string())?
        .read_to_end(&mut content)
        .map_err(|e| e.to_string())?;
    let cms = s.cms().ok_or("no /Contents")?;
    let (c, p) = (tmp.join("content"), tmp.join("cms.der"));
    std::fs::write(&c, &content).map_err(|e| e.to_string())?;
    std::fs::write(&p, cms).map_err(|e| e.to_string())?;
    let out = std::process::Command::new("openssl")
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
        ])
        .arg("-in")
        .arg(&p)
        .arg("-content")
        .arg(&c)
        .output()
        .map_err(|e| e.to_string())?;
    Ok(out.status.success())
}

fn check(o: &Opened, fact: &Fact, tmp: &Path) -> Result<(), String> {
    let one = |sel: Sel| -> Result<Vec<&PdfSignature>, String> {
        let v = select(o, sel);
        if v.is_empty() {
            return Err(format!("no signature for {sel:?}"));
        }
        Ok(v)
    };
    let count = |k: SignatureKind| o.sigs.iter().filter(|s| s.kind == k).count();
    match fact {
        Opens => Ok(()),
        Encrypted if !o.doc.is_encrypted() => Err("not seen as encrypted".into()),
        Encrypted => Ok(()),
        Signatures(n) if count(SignatureKind::Signature) != *n => Err(format!(
            "{} signatures, expected {n}",
            count(SignatureKind::Signature)
        )),
        DocTimestamps(n) if count(SignatureKind::DocumentTimestamp) != *n => Err(format!(
            "{} document timestamps, expected {n}",
            count(SignatureKind::DocumentTimestamp)
        )),
        Signatures(_) | DocTimestamps(_) => Ok(()),
        Partial(sel, want) => {
            for s in one(*sel)? {
                let c = o.doc.coverage(s).map_err(|e| e.to_string())?;
                if (c.level == CoverageLevel::Partial) != *want {
                    return Err(format!(
                        "{:?}: coverage {:?} {:?}",
                        s.field_name, c.level, c.problems
                    ));
                }
            }
            Ok(())
        }
        CoverageProblem(sel, name) => {
            for s in one(*sel)? {
                let c = o.doc.coverage(s).map_err(|e| e.to_string())?;
                if !c
                    .problems
                    .first()
                    .is_some_and(|p| format!("{p:?}").starts_with(name))
                {
                    return Err(format!(
                        "{:?}: coverage problems {:?}, expected {name}",
                        s.field_name, c.problems
                    ));
                }
            }
            Ok(())
        }
        Level(sel, want) | LevelNot(sel, want) => {
            for s in one(*sel)? {
                let m = o.doc.modifications(s).map_err(|e| e.to_string())?;
                let ok = if matches!(fact, Level(..)) {
                    m.level == *want
                } else {
                    m.level != *want
                };
                if !ok {
                    let why: Vec<String> = m
                        .beyond(ModificationLevel::None)
                        .iter()
                        .map(|c| format!("{:?} {:?} {:?}", c.object, c.level, c.detail))
                        .collect();
                    return Err(format!(
                        "{:?}: level {:?} ({fact:?}): {why:?}",
                        s.field_name, m.level
                    ));
                }
            }
            Ok(())
        }
        DetailMentions(sel, text) => {
            for s in one(*sel)? {
                let m = o.doc.modifications(s).map_err(|e| e.to_string())?;
                if !m
                    .revisions
                    .iter()
                    .flat_map(|r| &r.changes)
                    .any(|c| c.detail.as_deref().is_some_and(|d| d.contains(text)))
                {
                    return Err(format!("{:?}: no change mentions {text}", s.field_name));
                }
            }
            Ok(())
        }
        PagesChanged(sel) => {
            for s in one(*sel)? {
                let m = o.doc.modifications(s).map_err(|e| e.to_string())?;
                if m.pages_signed == m.pages_final {
                    return Err(format!("pages {:?} → {:?}", m.pages_signed, m.pages_final));
                }
            }
            Ok(())
        }
        DocMdp(sel, _, _) | DocMdpOk(sel) => {
            for s in one(*sel)? {
                let m = o.doc.modifications(s).map_err(|e| e.to_string())?;
                match (&m.docmdp, fact) {
                    (Some(v), DocMdp(_, p, exceeded))
                        if v.permission == *p && v.exceeded == *exceeded => {}
                    (Some(v), DocMdpOk(_)) if !v.exceeded => {}
                    other => return Err(format!("{:?}: DocMDP {other:?}", s.field_name)),
                }
            }
            Ok(())
        }
        SubFilterIs(sel, sf) => {
            for s in one(*sel)? {
                if s.sub_filter != *sf {
                    return Err(format!("{:?}: SubFilter {:?}", s.field_name, s.sub_filter));
                }
            }
            Ok(())
        }
        NoDocTimestampAfter(sel) | ArchiveTimestampAfter(sel) => {
            let dss = o.doc.dss().map_err(|e| e.to_string())?;
            for s in one(*sel)? {
                let li = o.doc.level_inputs(s, &o.sigs, &dss);
                let ok = match fact {
                    NoDocTimestampAfter(_) => li.doc_timestamps_after.is_empty(),
                    _ => li.dss_after.is_some() && li.doc_timestamp_after_dss,
                };
                if !ok {
                    return Err(format!("{:?}: level inputs {li:?}", s.field_name));
                }
            }
            Ok(())
        }
        Intact(sel, want) => {
            if !openssl_available() {
                return Ok(());
            }
            for s in one(*sel)? {
                if openssl_intact(o, s, tmp)? != *want {
                    return Err(format!(
                        "{:?}: openssl cms -verify says intact = {}",
                        s.field_name, !want
                    ));
                }
            }
            Ok(())
        }
    }
}

/// Every signature's CMS is extracted and starts as a DER SEQUENCE.
fn cms_extracted(o: &Opened) -> Result<(), String> {
    for s in &o.sigs {
        match s.cms() {
            Some([0x30, ..]) => {}
            other => {
                return Err(format!(
                    "{:?}: /Contents does not start with a SEQUENCE: {:?}",
                    s.field_name,
                    other.map(|c| c.iter().take(4).collect::<Vec<_>>())
                ))
            }
        }
    }
    Ok(())
}

#[test]
fn pades_corpus() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let dir = corpora.join("pades");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.join("MANIFEST.json")).unwrap()).unwrap();
    let files = manifest["files"].as_array().unwrap();
    let table = expectations();
    let exceptions = common::exceptions("pdf-exceptions.txt");
    let tmp = std::env::temp_dir().join(format!("sigbridge-pdf-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let (mut facts_passed, mut sig_count, mut pdfs) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for f in files {
        let name = f["file"].as_str().unwrap();
        if !name.ends_with(".pdf") {
            continue;
        }
        pdfs += 1;
        let expected = f["expected"].as_str().unwrap_or_default();
        let Some((quote, facts)) = table.get(name) else {
            failures.push(format!("{name}: no expectations in tests/pdf_corpus.rs"));
            continue;
        };
        assert!(
            expected.contains(quote),
            "{name}: the quote {quote:?} is not in MANIFEST's expected {expected:?}"
        );
        let problem: Option<String> = (|| {
            let src = FileSource::open(dir.join(name)).map_err(|e| e.to_string())?;
            let doc =
                PdfDocument::open(src, &Limits::default()).map_err(|e| format!("open: {e}"))?;
            let sigs = doc.signatures().map_err(|e| format!("signatures: {e}"))?;
            let o = Opened { doc, sigs };
            sig_count += o.sigs.len();
            cms_extracted(&o)?;
            let mut bad = Vec::new();
            for fact in facts {
                match check(&o, fact, &tmp) {
                    Ok(()) => facts_passed += 1,
                    Err(e) => bad.push(e),
                }
            }
            if bad.is_empty() {
                Ok(())
            } else {
                Err(bad.join("; "))
            }
        })()
        .err();
        match (problem, exceptions.get(name)) {
            (None, None) => {}
            (None, Some(_)) => failures.push(format!(
                "{name}: passes now — remove it from tests/pdf-exceptions.txt"
            )),
            (Some(p), Some(reason)) => eprintln!("{name}: listed exception ({reason}): {p}"),
            (Some(p), None) => failures.push(format!("{name}: {p}")),
        }
    }
    for listed in exceptions.keys() {
        if !table.contains_key(listed.as_str()) {
            failures.push(format!(
                "{listed}: listed in tests/pdf-exceptions.txt but not in the corpus"
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    eprintln!("pades corpus: {pdfs} PDFs, {sig_count} signatures and timestamps, {facts_passed} facts passed, {} listed exceptions", exceptions.len());
    assert_eq!(pdfs, 31, "MANIFEST.json should list 31 PDFs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
