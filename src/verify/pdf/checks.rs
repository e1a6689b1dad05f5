//! The PDF's own checks of one signature, as [`Check`]s: the signature dictionary, the
//! SubFilter, `/ByteRange` and coverage, the changes after signing, DocMDP and field locks.
//! Each check names what it found; what a failure means is [`Rule::verdict`]'s.

use crate::document::pdf::{
    Coverage, CoverageLevel, CoverageProblem, ModificationLevel, ModificationStatus, Modifications,
    ObjRef, PdfError, PdfSignature, SignatureKind, SignatureProblem, SubFilter,
};
use crate::report::pdf::sub_filter_name;
use crate::verdict::{Check, Rule, Status};

/// How many objects a message names at most.
const NAMED: usize = 8;

/// `/Contents`, `/ByteRange`, the SubFilter and the field's presence in the final form.
pub(super) fn dictionary(sig: &PdfSignature) -> Vec<Check> {
    let mut out = Vec::new();
    let malformed: Vec<String> = sig
        .problems
        .iter()
        .filter(|p| {
            !matches!(
                p,
                SignatureProblem::SubFilterMissing
                    | SignatureProblem::SubFilterUnsupported { .. }
                    | SignatureProblem::NotInFinalRevision { .. }
            )
        })
        .map(problem_text)
        .collect();
    out.push(if malformed.is_empty() {
        Check::passed(
            Rule::PdfSignatureDictionary,
            "the signature dictionary has a hex-string /Contents and an integer /ByteRange",
        )
    } else {
        Check::failed(
            Rule::PdfSignatureDictionary,
            format!(
                "the signature dictionary{} is malformed, so it is an invalid signature (never \"no signature\"): {}",
                value_of(sig),
                malformed.join("; ")
            ),
        )
    });
    out.push(match &sig.sub_filter {
        s if s.is_supported() => Check::passed(
            Rule::PdfSubFilter,
            format!(
                "/SubFilter {}",
                sub_filter_name(s).unwrap_or_default()
            ),
        ),
        SubFilter::Missing => Check::failed(
            Rule::PdfSubFilter,
            "the signature dictionary has no /SubFilter, so sigbridge cannot tell how to read /Contents",
        ),
        SubFilter::AdbeX509RsaSha1 => Check::failed(
            Rule::PdfSubFilter,
            "/SubFilter adbe.x509.rsa_sha1 (a bare PKCS #1 signature, deprecated in PDF 2.0) is not supported: the signature is not verified",
        ),
        s => Check::failed(
            Rule::PdfSubFilter,
            format!(
                "/SubFilter {} is not one sigbridge verifies (adbe.pkcs7.detached, ETSI.CAdES.detached, adbe.pkcs7.sha1, ETSI.RFC3161)",
                sub_filter_name(s).unwrap_or_default()
            ),
        ),
    });
    out
}

/// ` (12 0 R)` for the signature dictionary, when it is an indirect object.
fn value_of(sig: &PdfSignature) -> String {
    sig.value.map(|r| format!(" ({r})")).unwrap_or_default()
}

fn problem_text(p: &SignatureProblem) -> String {
    match p {
        SignatureProblem::ValueNotDictionary => "/V is not a dictionary".into(),
        SignatureProblem::Unreadable { error } => format!("it cannot be read: {error}"),
        SignatureProblem::ContentsMissing => "/Contents is missing".into(),
        SignatureProblem::ContentsNull => "/Contents is null".into(),
        SignatureProblem::ContentsEmpty => "/Contents is empty".into(),
        SignatureProblem::ContentsWrongType { found } => {
            format!("/Contents is a {found}, not a string")
        }
        SignatureProblem::ContentsNotHex => "/Contents is a literal string, not hex".into(),
        SignatureProblem::ContentsNotInFile => {
            "the dictionary is inside an object stream, so /ByteRange cannot leave /Contents out"
                .into()
        }
        SignatureProblem::ContentsNotDer => "/Contents does not start with a DER SEQUENCE".into(),
        SignatureProblem::ByteRangeMissing => "/ByteRange is missing".into(),
        SignatureProblem::ByteRangeNull => "/ByteRange is null".into(),
        SignatureProblem::ByteRangeEmpty => "/ByteRange is empty".into(),
        SignatureProblem::ByteRangeWrongType { found } => {
            format!("/ByteRange is not an array of integers ({found})")
        }
        SignatureProblem::TimestampMismatch => {
            "/Type /DocTimeStamp and /SubFilter ETSI.RFC3161 do not go together".into()
        }
        other => format!("{other:?}"),
    }
}

/// `/ByteRange` (structure) and coverage (what the signed bytes are).
pub(super) fn coverage(cov: &Coverage, len: u64) -> Vec<Check> {
    let structural = cov.problems.iter().find(|p| {
        !matches!(
            p,
            CoverageProblem::NotAtRevisionEnd { .. }
                | CoverageProblem::SignedRevisionMismatch { .. }
        )
    });
    let byte_range = match structural {
        Some(p) => Check::failed(Rule::PdfByteRange, coverage_text(p)),
        None if cov.problems.is_empty() && cov.level == CoverageLevel::Partial => Check::failed(
            Rule::PdfByteRange,
            "the byte ranges could not be checked against /Contents",
        ),
        None => Check::passed(
            Rule::PdfByteRange,
            "/ByteRange is [0 b c d] and its gap is exactly this signature's /Contents",
        ),
    };
    let coverage = match cov.level {
        CoverageLevel::EntireFile => Check::passed(
            Rule::PdfCoverage,
            format!("the signature covers the entire file ({len} bytes) except its own /Contents"),
        ),
        CoverageLevel::EntireRevision => Check::passed(
            Rule::PdfCoverage,
            format!(
                "the signature covers revision {} entirely (up to byte {}); later revisions are judged by the changes they make",
                cov.covered_revision.unwrap_or_default(),
                cov.signed_end.unwrap_or_default()
            ),
        ),
        CoverageLevel::Partial => Check::failed(
            Rule::PdfCoverage,
            format!(
                "the signed bytes are not the whole file nor a whole revision, so a viewer may show bytes nobody signed: {}",
                if cov.problems.is_empty() {
                    "the coverage could not be established".to_owned()
                } else {
                    cov.problems.iter().map(coverage_text).collect::<Vec<_>>().join("; ")
                }
            ),
        ),
    };
    vec![byte_range, coverage]
}

fn coverage_text(p: &CoverageProblem) -> String {
    match p {
        CoverageProblem::NoByteRange => "there is no usable /ByteRange".into(),
        CoverageProblem::NotFourIntegers { count } => {
            format!("/ByteRange has {count} numbers, not four")
        }
        CoverageProblem::NotFromStart { start } => {
            format!("the first range starts at byte {start}, not 0")
        }
        CoverageProblem::NegativeOrOverflow => {
            "/ByteRange has negative or overflowing numbers".into()
        }
        CoverageProblem::BeyondFile { end, file_len } => {
            format!("the ranges end at byte {end}, past the end of the file ({file_len} bytes)")
        }
        CoverageProblem::NoContentsSpan => "/Contents has no place in the file".into(),
        CoverageProblem::GapNotContents {
            gap_start,
            gap_end,
            contents_start,
            contents_end,
        } => format!(
            "the unsigned gap [{gap_start}, {gap_end}) is not this signature's /Contents [{contents_start}, {contents_end}) (Signature Wrapping, or unsigned bytes beside /Contents)"
        ),
        CoverageProblem::ContentsMismatch => {
            "the bytes of the gap, read again, are not the /Contents the dictionary gives".into()
        }
        CoverageProblem::NotAtRevisionEnd { end } => {
            format!("the signed bytes end at byte {end}, which is not the end of a revision")
        }
        CoverageProblem::SignedRevisionMismatch {
            range_revision,
            signature_revision,
        } => format!(
            "the signed bytes end with revision {range_revision}, but the signature dictionary was last changed in revision {signature_revision}"
        ),
    }
}

/// The changes after signing, DocMDP and field locks. `m` is the analysis, or why it
/// could not be made.
pub(super) fn modifications(
    sig: &PdfSignature,
    m: Result<&Modifications, &PdfError>,
) -> Vec<Check> {
    let mut out = Vec::new();
    if let Some(SignatureProblem::NotInFinalRevision { last_revision }) = sig
        .problems
        .iter()
        .find(|p| matches!(p, SignatureProblem::NotInFinalRevision { .. }))
    {
        out.push(Check::failed(
            Rule::PdfModifications,
            format!(
                "the signature's field was removed or replaced after signing: the form of revision {last_revision} is the last to have it"
            ),
        ));
    }
    let m = match m {
        Ok(m) => m,
        Err(e) => {
            out.push(Check::failed(
                Rule::PdfModifications,
                format!(
                    "the changes after signing could not be analysed, so none is accepted: {e}"
                ),
            ));
            return out;
        }
    };
    match m.status {
        ModificationStatus::CoveragePartial => {
            out.push(Check::skipped(
                Rule::PdfModifications,
                "the coverage is partial, so there is no signed revision to compare later ones with",
            ));
            return out;
        }
        ModificationStatus::NotPossibleWithoutPassword => {
            out.push(Check::failed(
                Rule::PdfModificationsAssessed,
                "the file is encrypted: the revisions after the signed one cannot be compared with it without the password, so the changes are unknown",
            ));
            return out;
        }
        _ => {}
    }
    out.push(level_check(m));
    out.extend(docmdp_check(sig, m));
    out.extend(lock_check(m));
    out
}

fn level_check(m: &Modifications) -> Check {
    let changed: Vec<String> = m
        .revisions
        .iter()
        .flat_map(|r| {
            r.changes
                .iter()
                .filter(|c| c.level == ModificationLevel::Other)
                .map(move |c| describe_change(r.revision, c.object, c.detail.as_deref()))
        })
        .collect();
    let mut notes = Vec::new();
    if let (Some(a), Some(b)) = (m.pages_signed, m.pages_final) {
        if a != b {
            notes.push(format!("the page count changed from {a} to {b}"));
        }
    }
    if let Some(t) = m.trailing_data {
        notes.push(format!(
            "{} bytes after the last %%EOF (from byte {}) belong to no revision",
            t.end - t.start,
            t.start
        ));
    }
    if !m.unreferenced_in_signed_revision.is_empty() {
        notes.push(format!(
            "the signed revision holds objects nothing refers to ({})",
            names(&m.unreferenced_in_signed_revision)
        ));
    }
    if !m.overlapping_annotations.is_empty() {
        notes.push(format!(
            "{} annotation(s) added after signing overlap others",
            m.overlapping_annotations.len()
        ));
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!("; {}", notes.join("; "))
    };
    if m.level == ModificationLevel::Other {
        let shown: Vec<&str> = changed.iter().take(NAMED).map(String::as_str).collect();
        let more = changed.len().saturating_sub(NAMED);
        return Check::failed(
            Rule::PdfModifications,
            format!(
                "after signing the document changed in ways no rule allows (level other){}{}{notes}",
                if shown.is_empty() {
                    String::new()
                } else {
                    format!(": {}", shown.join("; "))
                },
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ),
        );
    }
    let what = match m.level {
        ModificationLevel::None => "nothing changed after signing".to_owned(),
        l => format!(
            "changes after signing are explained and allowed: {} in {} later revision(s)",
            level_words(l),
            m.revisions.len()
        ),
    };
    Check::passed(Rule::PdfModifications, format!("{what}{notes}"))
}

fn describe_change(revision: usize, object: Option<ObjRef>, detail: Option<&str>) -> String {
    let what = object.map_or_else(|| "the structure".to_owned(), |o| format!("object {o}"));
    match detail {
        Some(d) => format!("revision {revision}: {what} ({d})"),
        None => format!("revision {revision}: {what}"),
    }
}

/// What a level means, in words.
pub(super) fn level_words(l: ModificationLevel) -> &'static str {
    match l {
        ModificationLevel::None => "no change",
        ModificationLevel::LtaUpdates => {
            "long-term validation data (DSS, document timestamps) only"
        }
        ModificationLevel::FormFilling => "form fields filled in and further signatures",
        ModificationLevel::Annotations => "annotations (comments) added or changed",
        ModificationLevel::Other => "changes no rule explains",
    }
}

fn names(objects: &[ObjRef]) -> String {
    let mut v: Vec<String> = objects.iter().take(NAMED).map(ObjRef::to_string).collect();
    if objects.len() > NAMED {
        v.push(format!("and {} more", objects.len() - NAMED));
    }
    v.join(", ")
}

fn docmdp_check(sig: &PdfSignature, m: &Modifications) -> Option<Check> {
    let v = m.docmdp.as_ref()?;
    let source = match v.source {
        crate::document::pdf::diff::MdpSource::Certification => "certification (DocMDP)",
        _ => "field lock (/Lock /P)",
    };
    let allowed = match v.permission {
        1 => "no changes",
        2 => "form filling and signing",
        _ => "form filling, signing and annotations",
    };
    if v.exceeded {
        let objects: Vec<ObjRef> = v.violations.iter().filter_map(|c| c.object).collect();
        return Some(Check::failed(
            Rule::PdfDocMdp,
            format!(
                "the {source} permission P={} allows {allowed}, but after signing: {}{}",
                v.permission,
                level_words(v.observed),
                if objects.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", names(&objects))
                }
            ),
        ));
    }
    let kind = if sig.kind == SignatureKind::DocumentTimestamp {
        "timestamp"
    } else {
        "signature"
    };
    Some(Check::passed(
        Rule::PdfDocMdp,
        format!(
            "the {source} permission P={} of this {kind} allows {allowed}; the changes after it stay within it",
            v.permission
        ),
    ))
}

fn lock_check(m: &Modifications) -> Option<Check> {
    let v = m.field_locks.as_ref()?;
    Some(if v.violated {
        Check::failed(
            Rule::PdfFieldMdp,
            format!(
                "fields this signature locks changed after signing: {}",
                v.changed_locked_fields.join(", ")
            ),
        )
    } else {
        Check::new(
            Rule::PdfFieldMdp,
            Status::Passed,
            "no field this signature locks changed after signing",
        )
    })
}
