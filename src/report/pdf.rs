//! The PDF parts of the document report: what `verify` says about each signature of a PDF
//! besides its CMS verdict ([`PdfSignatureReport`], the `pdf` field of a signer) and about
//! the file ([`PdfDocumentReport`], the `pdf` field of the document). Built from the facts
//! of [`crate::document::pdf`]; every shape is data (Serialize + Deserialize).

use crate::document::pdf::diff::{self, AnnotationOverlap, LockVerdict, MdpSource, MdpVerdict};
use crate::document::pdf::{
    ChangeKind, Coverage, CoverageLevel, CoverageProblem, Dss, FieldLock, ModificationLevel,
    ModificationStatus, Modifications, ObjRef, PadesLevel, PdfSignature, PdfWarning, Revision,
    SignatureKind, SignatureProblem, Span, SubFilter,
};
use serde::{Deserialize, Serialize};

/// Most changes listed per signature; the rest are counted in `changes_not_listed`.
pub const MAX_LISTED_CHANGES: usize = 200;

/// What a PDF says about one of its signatures (or document timestamps).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PdfSignatureReport {
    /// Position in document (field tree) order, from 0.
    pub index: usize,
    /// `signature` or `document_timestamp`.
    pub kind: SignatureKind,
    /// Fully qualified field name; null when unreadable (an encrypted file).
    pub field_name: Option<String>,
    /// Page (from 1) of the field's widget.
    pub page: Option<usize>,
    /// `/Filter` (the signature handler's name).
    pub filter: Option<String>,
    /// `/SubFilter` as written (`ETSI.CAdES.detached`, `adbe.pkcs7.detached`, …); null when
    /// missing.
    pub sub_filter: Option<String>,
    /// The revision (from 0) in which the signature dictionary last changed.
    pub revision: usize,
    /// `/ByteRange` as written, when it is an array of integers.
    pub byte_range: Option<Vec<i64>>,
    /// `entire_file`, `entire_revision` or `partial` (partial fails the signature).
    pub coverage: CoverageLevel,
    /// Why the coverage is partial.
    pub coverage_problems: Vec<CoverageProblem>,
    /// What is wrong with the signature dictionary (empty when well formed).
    pub problems: Vec<SignatureProblem>,
    /// What changed after this signature; null when the analysis could not be made (the
    /// `pdf.modifications` check says why).
    pub modifications: Option<PdfModificationsReport>,
    /// The DocMDP (certification) or `/Lock /P` permission and whether the changes exceed
    /// it.
    pub docmdp: Option<PdfPermissionReport>,
    /// FieldMDP / `/Lock` field locks and the locked fields that changed.
    pub field_lock: Option<PdfFieldLockReport>,
    /// PAdES / PKCS #7 level as EU DSS names it (`PAdES_BASELINE_B` … `PDF_NOT_ETSI`); null
    /// for document timestamps and for signatures whose CMS could not be read.
    pub level: Option<PadesLevel>,
    /// Whether the CMS carries a signature timestamp (an unsigned attribute; counted for
    /// the level, not verified yet).
    pub signature_timestamp: bool,
    /// `/M`, the signing time the signer claims, as written (never used as proof).
    pub claimed_time: Option<String>,
    /// `/M` in RFC 3339 (UTC), when it is a valid PDF date.
    pub claimed_time_utc: Option<String>,
    /// `/Reason`.
    pub reason: Option<String>,
    /// `/Location`.
    pub location: Option<String>,
    /// `/ContactInfo`.
    pub contact_info: Option<String>,
    /// `/Name` (the signer's name as the signing software wrote it).
    pub signer_name: Option<String>,
    /// For a document timestamp: what its token says.
    pub timestamp: Option<PdfTimestampReport>,
}

/// What a document timestamp's TSTInfo says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PdfTimestampReport {
    /// genTime, RFC 3339.
    pub time: Option<String>,
    /// The messageImprint's hash algorithm (name, or dotted OID when unknown).
    pub imprint_algorithm: String,
    /// The TSA policy OID.
    pub policy: String,
}

/// The changes after one signature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PdfModificationsReport {
    /// `assessed`, `not_possible_without_password` or `coverage_partial`.
    pub status: ModificationStatus,
    /// `none`, `lta_updates`, `form_filling`, `annotations` or `other`.
    pub level: ModificationLevel,
    /// The signed revision the later ones were compared with.
    pub signed_revision: Option<usize>,
    /// How many revisions follow it.
    pub later_revisions: usize,
    /// Every change above `none` (rewrites with the same value are left out), oldest
    /// revision first, at most [`MAX_LISTED_CHANGES`].
    pub changes: Vec<PdfChange>,
    /// Changes above `none` beyond the listed ones.
    pub changes_not_listed: usize,
    /// Pages in the signed revision.
    pub pages_signed: Option<usize>,
    /// Pages in the final revision.
    pub pages_final: Option<usize>,
    /// Objects of the signed revision that nothing refers to (hide-and-replace material).
    pub unreferenced_in_signed_revision: Vec<ObjRef>,
    /// Annotations added after signing that overlap others on their page.
    pub overlapping_annotations: Vec<AnnotationOverlap>,
    /// Bytes after the last `%%EOF` that no revision covers.
    pub trailing_data: Option<Span>,
}

/// One changed, added or freed object (or structural finding) after a signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PdfChange {
    /// The revision it is in.
    pub revision: usize,
    /// The object, when the finding is about one.
    pub object: Option<ObjRef>,
    /// `added`, `changed`, `freed`, `identical` or `structure`.
    pub kind: ChangeKind,
    /// The level it needs.
    pub level: ModificationLevel,
    /// The rule that explains it; null when none does (level `other`).
    pub rule: Option<diff::Rule>,
    /// What the rule saw, or why nothing explains it.
    pub detail: Option<String>,
}

/// A DocMDP or `/Lock /P` permission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PdfPermissionReport {
    /// 1: no changes; 2: form filling and signing; 3: also annotations.
    pub permission: u8,
    /// `certification` (DocMDP) or `lock` (`/Lock /P`).
    pub source: MdpSource,
    /// The highest level the permission allows.
    pub allowed: ModificationLevel,
    /// Whether the changes go beyond it (the signature fails).
    pub exceeded: bool,
    /// The objects whose changes go beyond it.
    pub violations: Vec<ObjRef>,
}

/// The fields a signature locks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PdfFieldLockReport {
    /// `all`, `include` or `exclude` with the field names.
    pub lock: FieldLock,
    /// Locked fields changed after signing.
    pub changed_locked_fields: Vec<String>,
    /// Whether a locked field changed (the signature fails).
    pub violated: bool,
}

/// What `verify` says about the PDF file itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PdfDocumentReport {
    /// File length in bytes.
    pub length: u64,
    /// The revisions, oldest first, with where each ends.
    pub revisions: Vec<Revision>,
    /// Whether the file is encrypted.
    pub encrypted: bool,
    /// What is unusual about the file (hybrid references, trailing data, encryption, …).
    pub warnings: Vec<PdfWarning>,
    /// The long-term validation data of each revision whose DSS changed.
    pub dss: Vec<PdfDssReport>,
    /// What of the file could not be read or used (a DSS entry that is not a certificate,
    /// …); the signatures are verified without it.
    pub notes: Vec<String>,
}

/// One revision's DSS, counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PdfDssReport {
    /// The revision.
    pub revision: usize,
    /// Certificates (each joins the certificate pool).
    pub certificates: usize,
    /// CRLs (each joins the revocation data).
    pub crls: usize,
    /// OCSP responses (present; not used yet).
    pub ocsp_responses: usize,
    /// `/VRI` keys (upper-case hex SHA-1 of a signature's `/Contents`).
    pub vri: Vec<String>,
    /// Entries that could not be read.
    pub problems: Vec<String>,
}

impl PdfDssReport {
    /// The counts of `d`.
    pub fn of(d: &Dss) -> PdfDssReport {
        PdfDssReport {
            revision: d.revision,
            certificates: d.certs.len(),
            crls: d.crls.len(),
            ocsp_responses: d.ocsps.len(),
            vri: d.vri.iter().map(|v| v.key.clone()).collect(),
            problems: d.problems.clone(),
        }
    }
}

/// The `/SubFilter` as written in the file.
pub fn sub_filter_name(s: &SubFilter) -> Option<String> {
    Some(
        match s {
            SubFilter::AdbePkcs7Detached => "adbe.pkcs7.detached",
            SubFilter::EtsiCadesDetached => "ETSI.CAdES.detached",
            SubFilter::AdbePkcs7Sha1 => "adbe.pkcs7.sha1",
            SubFilter::EtsiRfc3161 => "ETSI.RFC3161",
            SubFilter::AdbeX509RsaSha1 => "adbe.x509.rsa_sha1",
            SubFilter::Other(n) => n,
            SubFilter::Missing => return None,
        }
        .to_owned(),
    )
}

impl PdfModificationsReport {
    /// The report of `m`.
    pub fn of(m: &Modifications) -> PdfModificationsReport {
        let all: Vec<PdfChange> = m
            .revisions
            .iter()
            .flat_map(|r| {
                r.changes
                    .iter()
                    .filter(|c| c.level > ModificationLevel::None)
                    .map(|c| PdfChange {
                        revision: r.revision,
                        object: c.object,
                        kind: c.kind,
                        level: c.level,
                        rule: c.rule,
                        detail: c.detail.clone(),
                    })
            })
            .collect();
        let changes_not_listed = all.len().saturating_sub(MAX_LISTED_CHANGES);
        PdfModificationsReport {
            status: m.status,
            level: m.level,
            signed_revision: m.signed_revision,
            later_revisions: m.revisions.len(),
            changes: all.into_iter().take(MAX_LISTED_CHANGES).collect(),
            changes_not_listed,
            pages_signed: m.pages_signed,
            pages_final: m.pages_final,
            unreferenced_in_signed_revision: m.unreferenced_in_signed_revision.clone(),
            overlapping_annotations: m.overlapping_annotations.clone(),
            trailing_data: m.trailing_data,
        }
    }
}

impl PdfPermissionReport {
    /// The report of `v`.
    pub fn of(v: &MdpVerdict) -> PdfPermissionReport {
        let mut violations: Vec<ObjRef> = v.violations.iter().filter_map(|c| c.object).collect();
        violations.sort();
        violations.dedup();
        PdfPermissionReport {
            permission: v.permission,
            source: v.source,
            allowed: v.allowed,
            exceeded: v.exceeded,
            violations,
        }
    }
}

impl PdfFieldLockReport {
    /// The report of `v`.
    pub fn of(v: &LockVerdict) -> PdfFieldLockReport {
        PdfFieldLockReport {
            lock: v.lock.clone(),
            changed_locked_fields: v.changed_locked_fields.clone(),
            violated: v.violated,
        }
    }
}

impl PdfSignatureReport {
    /// The PDF facts of `sig` with its coverage and modifications; `level`,
    /// `signature_timestamp` and `timestamp` come from the CMS and are set by the caller.
    pub fn of(
        sig: &PdfSignature,
        coverage: &Coverage,
        m: Option<&Modifications>,
    ) -> PdfSignatureReport {
        PdfSignatureReport {
            index: sig.index,
            kind: sig.kind,
            field_name: sig.field_name.clone(),
            page: sig.page,
            filter: sig.filter.clone(),
            sub_filter: sub_filter_name(&sig.sub_filter),
            revision: sig.revision,
            byte_range: sig.byte_range.clone(),
            coverage: coverage.level,
            coverage_problems: coverage.problems.clone(),
            problems: sig.problems.clone(),
            modifications: m.map(PdfModificationsReport::of),
            docmdp: m
                .and_then(|m| m.docmdp.as_ref())
                .map(PdfPermissionReport::of),
            field_lock: m
                .and_then(|m| m.field_locks.as_ref())
                .map(PdfFieldLockReport::of),
            level: None,
            signature_timestamp: false,
            claimed_time: sig.claimed_time.clone(),
            claimed_time_utc: sig.claimed_time.as_deref().and_then(pdf_date),
            reason: sig.reason.clone(),
            location: sig.location.clone(),
            contact_info: sig.contact_info.clone(),
            signer_name: sig.name.clone(),
            timestamp: None,
        }
    }
}

/// A PDF date (`D:YYYYMMDDHHmmSSOHH'mm'`, ISO 32000-1 §7.9.4; everything after the year
/// optional) in RFC 3339 UTC, or `None` when it is not one.
pub fn pdf_date(s: &str) -> Option<String> {
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    let rest = s.get(digits.len()..)?;
    let field = |from: usize, len: usize, default: i64| -> Option<i64> {
        match digits.get(from..from + len) {
            Some(v) => v.parse().ok(),
            None if digits.len() <= from => Some(default),
            None => None,
        }
    };
    if digits.len() < 4 || digits.len() > 14 || !digits.len().is_multiple_of(2) {
        return None;
    }
    let (y, mo, d) = (field(0, 4, 0)?, field(4, 2, 1)?, field(6, 2, 1)?);
    let (h, mi, se) = (field(8, 2, 0)?, field(10, 2, 0)?, field(12, 2, 0)?);
    let offset = match rest.chars().next() {
        None | Some('Z') => 0,
        Some(sign @ ('+' | '-')) => {
            let t: String = rest
                .get(1..)?
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            let oh: i64 = t.get(0..2).unwrap_or("00").parse().ok()?;
            let om: i64 = t.get(2..4).unwrap_or("00").parse().ok()?;
            let o = oh * 3600 + om * 60;
            if sign == '+' {
                o
            } else {
                -o
            }
        }
        Some(_) => return None,
    };
    let month = time::Month::try_from(u8::try_from(mo).ok()?).ok()?;
    let date = time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?)
        .ok()?;
    let t = time::Time::from_hms(
        u8::try_from(h).ok()?,
        u8::try_from(mi).ok()?,
        u8::try_from(se).ok()?,
    )
    .ok()?;
    let local = time::PrimitiveDateTime::new(date, t)
        .assume_utc()
        .unix_timestamp();
    Some(crate::asn1::format_time(local - offset))
}

#[cfg(test)]
mod tests {
    use super::pdf_date;

    #[test]
    fn pdf_dates() {
        assert_eq!(
            pdf_date("D:20261120120000+08'00'").as_deref(),
            Some("2026-11-20T04:00:00Z")
        );
        assert_eq!(
            pdf_date("D:20240910111523").as_deref(),
            Some("2024-09-10T11:15:23Z")
        );
        assert_eq!(
            pdf_date("D:20150526170903-05'30'").as_deref(),
            Some("2015-05-26T22:39:03Z")
        );
        assert_eq!(pdf_date("D:2021").as_deref(), Some("2021-01-01T00:00:00Z"));
        assert_eq!(pdf_date("D:20211301000000Z"), None);
        assert_eq!(pdf_date("yesterday"), None);
        assert_eq!(pdf_date("D:202"), None);
    }
}
