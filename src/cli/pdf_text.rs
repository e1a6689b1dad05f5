//! The PDF lines of `verify`'s text output: for the document (revisions, encryption,
//! warnings, DSS) and for each signature (field, page, coverage, changes after signing,
//! DocMDP, level, claimed time) — in words an officer can act on. Kept apart from the rest
//! of the text rendering.

use sigbridge::document::pdf::{CoverageLevel, ModificationLevel, SignatureKind};
use sigbridge::report::pdf::PdfSignatureReport;
use sigbridge::{DocumentReport, SignerReport};

/// Lines about the PDF file, when the document is one.
pub fn document(r: &DocumentReport) {
    let Some(p) = &r.pdf else {
        return;
    };
    let signatures = r
        .signers
        .iter()
        .filter(|s| kind(s) == Some(SignatureKind::Signature))
        .count();
    let timestamps = r.signers.len() - signatures;
    out!();
    out!(
        "PDF: {} bytes, {} revision(s), {signatures} signature(s), {timestamps} document timestamp(s){}",
        p.length,
        p.revisions.len(),
        if p.encrypted { ", encrypted" } else { "" }
    );
    for w in &p.warnings {
        out!("  WARNING {}", serde_json::to_string(w).unwrap_or_default());
    }
    for d in &p.dss {
        out!(
            "  long-term validation data (DSS) in revision {}: {} certificate(s), {} CRL(s), {} OCSP response(s)",
            d.revision,
            d.certificates,
            d.crls,
            d.ocsp_responses
        );
    }
    for n in &p.notes {
        out!("  note: {n}");
    }
    if r.signers.is_empty() {
        out!("  the PDF has no signature");
    }
}

fn kind(s: &SignerReport) -> Option<SignatureKind> {
    s.pdf.as_ref().map(|p| p.kind)
}

/// Lines about one signature of a PDF.
pub fn signer(s: &SignerReport) {
    let Some(p) = &s.pdf else {
        return;
    };
    out!("  {}", heading(p));
    out!("  covers: {}", coverage(p));
    match &p.modifications {
        Some(m) => out!(
            "  changes after signing: {}",
            match m.level {
                ModificationLevel::None => "none".to_owned(),
                ModificationLevel::Other => format!(
                    "NOT ALLOWED — the content may have changed ({} finding(s), see the pdf.modifications check)",
                    m.changes
                        .iter()
                        .filter(|c| c.level == ModificationLevel::Other)
                        .count()
                ),
                l => format!("{} (allowed)", level_words(l)),
            }
        ),
        None => out!("  changes after signing: could not be analysed"),
    }
    if let Some(d) = &p.docmdp {
        out!(
            "  certified: P={} ({}) — {}",
            d.permission,
            match d.permission {
                1 => "no changes allowed",
                2 => "form filling and signing allowed",
                _ => "form filling, signing and comments allowed",
            },
            if d.exceeded { "EXCEEDED" } else { "respected" }
        );
    }
    if let Some(l) = &p.field_lock {
        out!(
            "  locks fields: {}",
            if l.violated {
                format!("VIOLATED ({})", l.changed_locked_fields.join(", "))
            } else {
                "respected".to_owned()
            }
        );
    }
    if let Some(t) = &p.claimed_time {
        out!(
            "  claims to have been signed at {} (/M, not proven)",
            p.claimed_time_utc.as_deref().unwrap_or(t)
        );
    }
    for (label, v) in [("reason", &p.reason), ("location", &p.location)] {
        if let Some(v) = v {
            out!("  {label}: {v}");
        }
    }
    if let Some(t) = p.timestamp.as_ref().and_then(|t| t.time.as_deref()) {
        out!("  timestamp time: {t} (from the token; its TSA checks are not complete yet)");
    }
}

fn heading(p: &PdfSignatureReport) -> String {
    let what = match p.kind {
        SignatureKind::DocumentTimestamp => "document timestamp",
        _ => "signature",
    };
    let mut parts = vec![format!("revision {}", p.revision)];
    if let Some(page) = p.page {
        parts.push(format!("page {page}"));
    }
    parts.push(
        p.sub_filter
            .clone()
            .unwrap_or_else(|| "no /SubFilter".into()),
    );
    if let Some(l) = p.level {
        parts.push(
            serde_json::to_value(l)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
        );
    }
    format!(
        "PDF {what} {} ({})",
        p.field_name
            .as_deref()
            .map_or_else(|| "(unnamed field)".to_owned(), |n| format!("\"{n}\"")),
        parts.join(", ")
    )
}

fn coverage(p: &PdfSignatureReport) -> String {
    match p.coverage {
        CoverageLevel::EntireFile => "the entire file".into(),
        CoverageLevel::EntireRevision => format!(
            "revision {} entirely; {} later revision(s) judged by what they change",
            p.revision,
            p.modifications.as_ref().map_or(0, |m| m.later_revisions)
        ),
        _ => "ONLY PART of the file — bytes nobody signed may be shown (see pdf.coverage)".into(),
    }
}

fn level_words(l: ModificationLevel) -> &'static str {
    match l {
        ModificationLevel::None => "none",
        ModificationLevel::LtaUpdates => "long-term validation data added",
        ModificationLevel::FormFilling => "form fields filled in or signatures added",
        ModificationLevel::Annotations => "comments (annotations) added or changed",
        _ => "changes no rule explains",
    }
}
