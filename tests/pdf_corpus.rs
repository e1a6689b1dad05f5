//! Every PDF of the `pades` corpus (EU DSS and pyHanko test files), through the PDF layer
//! and through `Verifier::verify_pdf_file`: number of signatures, coverage, modification
//! level, DocMDP, integrity (the CMS layer's message-digest and signature checks), the
//! verdict (indication / sub-indication) and the PAdES level, where `MANIFEST.json`'s
//! `expected` states them. Each fact below quotes the part of `expected` it comes from (the
//! test checks the quote is there). The DSS files are verified without anchors (their roots
//! are test or foreign ones: INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND when intact), the
//! pyHanko files with pyHanko's testing CA as anchor at pyHanko's frozen time. Every
//! signature's CMS is extracted (a DER SEQUENCE); where `openssl` is installed, the detached
//! signatures the source calls intact are checked with `openssl cms -verify -noverify` over
//! the streamed ranges. Files whose answer differs on purpose are in
//! `tests/pdf-exceptions.txt`, checked both ways.

mod common;

use serde_json::Value;
use sigbridge::document::pdf::{
    CoverageLevel, FileSource, ModificationLevel, PadesLevel, PdfDocument, PdfSignature,
    SignatureKind, SubFilter,
};
use sigbridge::{Call, DocumentReport, Limits, Rule, SignerReport, Status, Verifier};
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
    /// Every document timestamp.
    Timestamps,
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
    /// sigbridge's CMS layer finds the signature intact (message digest or timestamp
    /// imprint, and signature value) or not.
    Integrity(Sel, bool),
    /// The verdict, `INDICATION[/SUB_INDICATION]`.
    Verdict(Sel, &'static str),
    /// Every signature that fails has this sub-indication, and at least one fails.
    FailuresAre(&'static str),
    /// A failed check of this rule mentions this text.
    FailedRule(Sel, Rule, &'static str),
    /// The PAdES level.
    LevelIs(Sel, PadesLevel),
    /// An ETSI PAdES level (not PKCS #7, not PDF_NOT_ETSI). sigbridge knows the baseline
    /// levels; EU DSS also names the extended ones (PAdES_BES, PAdES_EPES, PAdES_LTV).
    EtsiLevel(Sel),
    /// Not a baseline level (no level, or PDF_NOT_ETSI).
    NotBaseline(Sel),
    /// How many signatures have each level.
    LevelCounts(&'static [(PadesLevel, usize)]),
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
    // An intact signature whose root nobody supplied (the DSS files), or whose signer is
    // not from pyHanko's testing CA ("untrusted").
    let untrusted = "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND";
    let format = "TOTAL_FAILED/FORMAT_FAILURE";
    BTreeMap::from([
        ("dss/pdf-signed-original.pdf", (defaults, vec![Opens, Signatures(1), Partial(EverySignature, false), Level(EverySignature, none), Intact(EverySignature, true), Integrity(EverySignature, true), Verdict(EverySignature, untrusted), LevelIs(EverySignature, PadesLevel::PadesBaselineB)])),
        ("dss/pdf-signed-corrupted.pdf", ("signature NOT intact; 4-element /ByteRange", vec![Opens, Signatures(1), Intact(EverySignature, false), Integrity(EverySignature, false)])),
        ("dss/pdf-byterange-overlap.pdf", ("must have sub-indication FORMAT_FAILURE", vec![Opens, Signatures(2), FailuresAre("FORMAT_FAILURE")])),
        ("dss/pdf-eof.pdf", ("NOT intact and NOT valid; B-level not valid; /ByteRange invalid", vec![Opens, Signatures(1), Partial(EverySignature, true), Integrity(EverySignature, false), Verdict(EverySignature, format), NotBaseline(EverySignature), FailedRule(EverySignature, Rule::PdfByteRange, "past the end of the file")])),
        ("dss/pdf-signed-added-page.pdf", ("TOTAL_FAILED / FORMAT_FAILURE (page difference)", vec![Opens, Signatures(1), Level(EverySignature, other), PagesChanged(EverySignature), Verdict(EverySignature, format), FailedRule(EverySignature, Rule::PdfModifications, "page count changed from 1 to 2")])),
        ("dss/pades-spoofing-replaced-reason.pdf", ("1 undefined change (MODIFICATION containing /Reason), isPdfSignatureDictionaryConsistent=false", vec![Opens, Signatures(1), Partial(EverySignature, true), Level(EverySignature, other), Verdict(EverySignature, format)])),
        ("dss/dss-2236__hide.pdf", ("PDF object modifications detected; undefined changes non-empty", vec![Opens, Signatures(1), Level(EverySignature, other)])),
        ("dss/pkcs7.pdf", ("format PKCS7_T", vec![Opens, Signatures(1), SubFilterIs(EverySignature, SubFilter::AdbePkcs7Detached), LevelIs(EverySignature, PadesLevel::Pkcs7T), Integrity(EverySignature, true), Verdict(EverySignature, untrusted)])),
        ("dss/pades-bes.pdf", ("format PAdES_BES", vec![Opens, Signatures(1), SubFilterIs(EverySignature, SubFilter::EtsiCadesDetached), Partial(EverySignature, false), Level(EverySignature, none), Intact(EverySignature, true), Integrity(EverySignature, true), Verdict(EverySignature, untrusted), EtsiLevel(EverySignature)])),
        ("dss/PAdES-LT.pdf", ("signatures at PAdES_BASELINE_T and PAdES_BASELINE_LT; timestamps message imprint intact, signature intact+valid", vec![Opens, Signatures(3), DocTimestamps(1), SubFilterIs(EverySignature, SubFilter::EtsiCadesDetached), Integrity(EverySignature, true), Integrity(Timestamps, true), LevelCounts(&[(PadesLevel::PadesBaselineT, 1), (PadesLevel::PadesBaselineLt, 2)])])),
        ("dss/pades-5-signatures-and-1-document-timestamp.pdf", ("5 signatures (+1 doc TST)", vec![Opens, Signatures(5), DocTimestamps(1)])),
        ("dss/Signature-P-HU_MIC-1.pdf", (defaults, vec![Opens, Signatures(1), Partial(EverySignature, false), Level(EverySignature, none), Intact(EverySignature, true), Integrity(EverySignature, true), Verdict(EverySignature, untrusted), EtsiLevel(EverySignature)])),
        ("dss/Signature-P-FR_CS-5.pdf", ("format PAdES_LTV; T-level and A-level technically valid", vec![Opens, Signatures(1), DocTimestamps(2), ArchiveTimestampAfter(EverySignature), Integrity(EverySignature, true), Integrity(Timestamps, true), EtsiLevel(EverySignature)])),
        ("dss/pades-signed-filled-form.pdf", ("NO annotation changes, NO undefined changes", vec![Opens, Level(Earliest, ff), LevelNot(Earliest, annots), Verdict(Earliest, untrusted)])),
        ("dss/dss-2554__certified-no-change-permitted.pdf", ("DSS refuses to add a new signature", vec![Opens, Signatures(1), DocMdp(EverySignature, 1, false), Verdict(EverySignature, untrusted)])),
        ("dss/timestamped_and_signed.pdf", ("format PAdES_BASELINE_B; signature has 0 timestamps; 1 DOCUMENT_TIMESTAMP in file", vec![Opens, Signatures(1), DocTimestamps(1), NoDocTimestampAfter(EverySignature), LevelIs(EverySignature, PadesLevel::PadesBaselineB), Integrity(Timestamps, true)])),
        ("dss/BadEncodedCMS.pdf", ("NO_SIGNATURE_FOUND; 0 signatures", vec![Opens, Signatures(0)])),
        ("pyhanko/coverage-anomalies__one-byterange.pdf", ("coverage == UNCLEAR, bottom_line False", vec![Opens, Signatures(1), Partial(EverySignature, true), Integrity(EverySignature, true), Verdict(EverySignature, format)])),
        ("pyhanko/coverage-anomalies__weird-byterange.pdf", ("coverage == UNCLEAR, bottom_line False", vec![Opens, Signatures(1), Partial(EverySignature, true), Integrity(EverySignature, true), Verdict(EverySignature, format)])),
        ("pyhanko/coverage-anomalies__signature-gap-too-big.pdf", ("coverage == UNCLEAR, bottom_line False", vec![Opens, Signatures(1), Partial(EverySignature, true), CoverageProblem(EverySignature, "GapNotContents"), Integrity(EverySignature, true), Verdict(EverySignature, format)])),
        ("pyhanko/coverage-anomalies__tail-uncovered.pdf", ("coverage == CONTIGUOUS_BLOCK_FROM_START, bottom_line False", vec![Opens, Signatures(1), Partial(EverySignature, true), CoverageProblem(EverySignature, "NotAtRevisionEnd"), Integrity(EverySignature, true), Verdict(EverySignature, format)])),
        ("pyhanko/minimal-two-fields-signed-twice.pdf", ("signature 1: modification_level FORM_FILLING, docmdp_ok; signature 2 validates (untrusted)", vec![Opens, Signatures(2), Level(Earliest, ff), Level(Latest, none), Intact(EverySignature, true), Integrity(EverySignature, true), Verdict(EverySignature, untrusted)])),
        ("pyhanko/minimal-signed-twice-both-created.pdf", ("signature 1: modification_level FORM_FILLING, docmdp_ok; signature 2 validates (untrusted)", vec![Opens, Signatures(2), Level(Earliest, ff), Level(Latest, none), Intact(EverySignature, true), Integrity(EverySignature, true), Verdict(EverySignature, untrusted)])),
        ("pyhanko/pades-lta-dss-indirect-arrs-test.pdf", ("Sig1 remains trusted (extd)", vec![Opens, LevelNot(Named("Sig1"), other), Partial(Named("Sig1"), false), Verdict(Named("Sig1"), "TOTAL_PASSED")])),
        ("pyhanko/certified-with-indirect-refs-in-dir.pdf", ("trusted", vec![Opens, Signatures(1), DocMdpOk(EverySignature), Level(EverySignature, none), Intact(EverySignature, true), Verdict(EverySignature, "TOTAL_PASSED")])),
        ("pyhanko/form-update-override-appearance-stream-sneaky.pdf", ("modification_level OTHER; diff result mentions .FooBar", vec![Opens, Level(Named("Sig1"), other), DetailMentions(Named("Sig1"), "FooBar"), Verdict(Named("Sig1"), format), FailedRule(Named("Sig1"), Rule::PdfModifications, "FooBar")])),
        ("pyhanko/form-update-ap-indirect-sneaky-trailer.pdf", ("modification_level OTHER", vec![Opens, Level(Named("Sig1"), other), Verdict(Named("Sig1"), format)])),
        ("pyhanko/form-update-override-appearance-stream.pdf", ("modification_level FORM_FILLING", vec![Opens, Level(Named("Sig1"), ff), Verdict(Named("Sig1"), "TOTAL_PASSED")])),
        ("pyhanko/sig-no-signed-attrs.pdf", ("validates (untrusted): intact+valid", vec![Opens, Signatures(1), Partial(EverySignature, false), Level(EverySignature, none), Intact(EverySignature, true), Integrity(EverySignature, true)])),
        ("pyhanko/pdf-sig-with-econtent.pdf", ("detached.*encapsulated", vec![Opens, Signatures(1), Verdict(EverySignature, format), FailedRule(EverySignature, Rule::PdfCms, "encapsulates")])),
        ("pyhanko/signed-encrypted-pubkey-with-catalog-ref.pdf", ("needs test decrypter key to open", vec![Opens, Encrypted, Signatures(1)])),
    ])
}

struct Opened {
    doc: PdfDocument,
    sigs: Vec<PdfSignature>,
    /// `Verifier::verify_pdf_file`'s report (signers in the order of `sigs`).
    report: Result<DocumentReport, String>,
}

fn select(o: &Opened, sel: Sel) -> Vec<&PdfSignature> {
    let sigs: Vec<&PdfSignature> = o
        .sigs
        .iter()
        .filter(|s| s.kind == SignatureKind::Signature)
        .collect();
    match sel {
        EverySignature => sigs,
        Timestamps => o
            .sigs
            .iter()
            .filter(|s| s.kind == SignatureKind::DocumentTimestamp)
            .collect(),
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

/// The verifier's report on `s`.
fn signer<'a>(o: &'a Opened, s: &PdfSignature) -> Result<&'a SignerReport, String> {
    let report = o.report.as_ref().map_err(|e| format!("verify: {e}"))?;
    let r = report
        .signers
        .get(s.index)
        .ok_or_else(|| format!("no signer report for signature {}", s.index))?;
    let name = r.pdf.as_ref().and_then(|p| p.field_name.clone());
    if name != s.field_name {
        return Err(format!(
            "signer {} is {name:?}, not {:?}",
            s.index, s.field_name
        ));
    }
    Ok(r)
}

fn verdict_text(r: &SignerReport) -> String {
    format!(
        "{}{}",
        r.indication,
        r.sub_indication
            .map(|x| format!("/{x}"))
            .unwrap_or_default()
    )
}

/// Intact as far as the CMS layer is concerned: the signature value verifies and nothing
/// about the signed bytes failed (message digest, content, SHA-1 digest, timestamp
/// imprint, the CMS's shape).
fn intact(r: &SignerReport) -> bool {
    let status = |rule: Rule, st: Status| r.checks.iter().any(|c| c.rule == rule && c.status == st);
    status(Rule::SignatureValue, Status::Passed)
        && ![
            Rule::MessageDigest,
            Rule::ContentMatch,
            Rule::PdfSha1Digest,
            Rule::PdfTimestampImprint,
            Rule::PdfCms,
        ]
        .iter()
        .any(|rule| status(*rule, Status::Failed))
}

fn level_of(r: &SignerReport) -> Option<PadesLevel> {
    r.pdf.as_ref().and_then(|p| p.level)
}

/// The verifier's facts: integrity, verdict, failed rules, levels.
fn check_verdicts(o: &Opened, fact: &Fact) -> Result<(), String> {
    let each = |sel: Sel, f: &dyn Fn(&SignerReport) -> Result<(), String>| {
        let v = select(o, sel);
        if v.is_empty() {
            return Err(format!("no signature for {sel:?}"));
        }
        for s in v {
            f(signer(o, s)?).map_err(|e| format!("{:?}: {e}", s.field_name))?;
        }
        Ok(())
    };
    match fact {
        Integrity(sel, want) => each(*sel, &|r| {
            if intact(r) == *want {
                Ok(())
            } else {
                Err(format!("intact = {}, expected {want}", !want))
            }
        }),
        Verdict(sel, want) => each(*sel, &|r| {
            let got = verdict_text(r);
            if got == *want {
                Ok(())
            } else {
                Err(format!("verdict {got}, expected {want}"))
            }
        }),
        FailedRule(sel, rule, text) => each(*sel, &|r| {
            if r.checks
                .iter()
                .any(|c| c.rule == *rule && c.status == Status::Failed && c.message.contains(text))
            {
                Ok(())
            } else {
                Err(format!("no failed {rule} check mentions {text:?}"))
            }
        }),
        LevelIs(sel, want) => each(*sel, &|r| {
            if level_of(r) == Some(*want) {
                Ok(())
            } else {
                Err(format!("level {:?}, expected {want:?}", level_of(r)))
            }
        }),
        EtsiLevel(sel) | NotBaseline(sel) => each(*sel, &|r| {
            let baseline = level_of(r).is_some_and(|l| {
                serde_json::to_value(l)
                    .ok()
                    .and_then(|v| v.as_str().map(|s| s.starts_with("PAdES_BASELINE")))
                    .unwrap_or(false)
            });
            if baseline == matches!(fact, EtsiLevel(_)) {
                Ok(())
            } else {
                Err(format!("level {:?} ({fact:?})", level_of(r)))
            }
        }),
        LevelCounts(want) => {
            let report = o.report.as_ref().map_err(|e| format!("verify: {e}"))?;
            for (level, n) in *want {
                let got = report
                    .signers
                    .iter()
                    .filter(|r| level_of(r) == Some(*level))
                    .count();
                if got != *n {
                    let all: Vec<_> = report.signers.iter().map(level_of).collect();
                    return Err(format!(
                        "{got} signatures at {level:?}, expected {n}: {all:?}"
                    ));
                }
            }
            Ok(())
        }
        FailuresAre(sub) => {
            let report = o.report.as_ref().map_err(|e| format!("verify: {e}"))?;
            let failed: Vec<&SignerReport> = report
                .signers
                .iter()
                .filter(|r| r.indication == sigbridge::Indication::TotalFailed)
                .collect();
            if failed.is_empty() {
                return Err("no signature fails".into());
            }
            match failed
                .iter()
                .find(|r| r.sub_indication.map(|x| x.as_str()) != Some(sub))
            {
                Some(r) => Err(format!("a failed signature is {}", verdict_text(r))),
                None => Ok(()),
            }
        }
        _ => Err(format!("{fact:?} is not a verifier fact")),
    }
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
        Integrity(..) | Verdict(..) | FailedRule(..) | LevelIs(..) | EtsiLevel(_)
        | NotBaseline(_) | LevelCounts(_) | FailuresAre(_) => check_verdicts(o, fact),
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

/// The DSS files' verifier (no anchors: their roots are test or foreign ones) and the
/// pyHanko files' (pyHanko's testing CA as anchor, its chain as extra certificates).
struct Verifiers {
    dss: Verifier,
    pyhanko: Verifier,
}

impl Verifiers {
    fn new(dir: &Path) -> Verifiers {
        let limits = Limits::default();
        let load = |f: &str| -> Vec<std::sync::Arc<sigbridge::x509::Certificate>> {
            sigbridge::x509::certificates_from_file(&dir.join(f), &limits)
                .unwrap_or_else(|e| panic!("{f}: {e}"))
                .into_iter()
                .map(std::sync::Arc::new)
                .collect()
        };
        Verifiers {
            dss: Verifier::builder().build(),
            pyhanko: Verifier::builder()
                .anchors(load("pyhanko/trust/root.cert.pem"))
                .certificates(load("pyhanko/trust/ca-chain.cert.pem"))
                .build(),
        }
    }
}

/// `verify_pdf_file` with the file's verifier, at pyHanko's frozen time for its files
/// (2021-01-05 for the Adobe double-signature files, 2020-11-01 otherwise) and now for the
/// DSS files.
fn verify(v: &Verifiers, dir: &Path, name: &str) -> Result<DocumentReport, String> {
    let path = dir.join(name);
    let result = if name.starts_with("pyhanko/") {
        let at = if name.contains("minimal-") {
            "2021-01-05T00:00:00Z"
        } else {
            "2020-11-01T00:00:00Z"
        };
        let t = sigbridge::asn1::parse_time(at).ok_or("time")?;
        v.pyhanko.verify_pdf_file(&path, Call::new().at(t))
    } else {
        v.dss.verify_pdf_file(&path, Call::new())
    };
    result.map_err(|e| e.to_string())
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
    let verifiers = Verifiers::new(&dir);
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
            let report = verify(&verifiers, &dir, name);
            let src = FileSource::open(dir.join(name)).map_err(|e| e.to_string())?;
            let doc =
                PdfDocument::open(src, &Limits::default()).map_err(|e| format!("open: {e}"))?;
            let sigs = doc.signatures().map_err(|e| format!("signatures: {e}"))?;
            let o = Opened { doc, sigs, report };
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
