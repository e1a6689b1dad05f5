//! Unit tests of the layer as a whole over small PDFs written here: object streams and
//! hybrid files, coverage, the signed-range reader, modification levels, per-path clearing,
//! DocMDP. (The corpora and the signed fixtures are tested in tests/pdf_*.rs.)

use super::*;
use std::io::Read;

/// A tiny incremental writer: objects, an xref table per revision, a signature dictionary
/// whose `/ByteRange` is set to cover the revision it ends.
struct W {
    buf: Vec<u8>,
    pending: Vec<(u32, usize)>,
    size: u32,
    prev: Option<usize>,
}

impl W {
    fn new() -> Self {
        W {
            buf: b"%PDF-1.7\n".to_vec(),
            pending: Vec::new(),
            size: 1,
            prev: None,
        }
    }
    fn obj(&mut self, n: u32, body: &str) {
        self.pending.push((n, self.buf.len()));
        self.size = self.size.max(n + 1);
        self.buf
            .extend_from_slice(format!("{n} 0 obj\n{body}\nendobj\n").as_bytes());
    }
    /// A signature dictionary; returns (offset of `<`, offset after `>`, offset of `[`).
    fn sig(&mut self, n: u32, extra: &str) -> (usize, usize, usize) {
        self.pending.push((n, self.buf.len()));
        self.size = self.size.max(n + 1);
        self.buf.extend_from_slice(
            format!("{n} 0 obj\n<< /Type /Sig /SubFilter /adbe.pkcs7.detached {extra} /ByteRange ")
                .as_bytes(),
        );
        let br = self.buf.len();
        self.buf
            .extend_from_slice(b"[0 0000000000 0000000000 0000000000] /Contents ");
        let lt = self.buf.len();
        self.buf.extend_from_slice(b"<3003020100000000>");
        let gt = self.buf.len();
        self.buf.extend_from_slice(b" >>\nendobj\n");
        (lt, gt, br)
    }
    fn end(&mut self) {
        self.pending.sort();
        let x = self.buf.len();
        self.buf
            .extend_from_slice(b"xref\n0 1\n0000000000 65535 f \n");
        for (n, o) in std::mem::take(&mut self.pending) {
            self.buf
                .extend_from_slice(format!("{n} 1\n{o:010} 00000 n \n").as_bytes());
        }
        let prev = self.prev.map(|p| format!(" /Prev {p}")).unwrap_or_default();
        self.buf.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R{prev} >>\nstartxref\n{x}\n%%EOF\n",
                self.size
            )
            .as_bytes(),
        );
        self.prev = Some(x);
    }
    /// Sets the `/ByteRange` of a signature to cover everything written so far.
    fn cover(&mut self, (lt, gt, br): (usize, usize, usize)) {
        let s = format!("[0 {lt:010} {gt:010} {:010}]", self.buf.len() - gt);
        self.buf[br..br + s.len()].copy_from_slice(s.as_bytes());
    }
}

/// Revision 0: catalog 1, pages 2, page 3 (content 4, XObject /Fm0 = 9 when `shared_ap`),
/// AcroForm 5, signature field 6 (value 7), text field 8 (appearance 9).
fn signed(catalog_extra: &str, sig_extra: &str, shared_ap: bool) -> (W, (usize, usize, usize)) {
    let mut w = W::new();
    w.obj(
        1,
        &format!("<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R {catalog_extra} >>"),
    );
    w.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    let xo = if shared_ap {
        "/Resources << /XObject << /Fm0 9 0 R >> >>"
    } else {
        ""
    };
    w.obj(
        3,
        &format!("<< /Type /Page /Parent 2 0 R {xo} /Contents 4 0 R /Annots [6 0 R 8 0 R] >>"),
    );
    w.obj(4, "<< /Length 3 >>\nstream\nabc\nendstream");
    w.obj(5, "<< /Fields [6 0 R 8 0 R] >>");
    w.obj(
        6,
        "<< /FT /Sig /T (S) /Type /Annot /Subtype /Widget /Rect [0 0 10 10] /P 3 0 R /V 7 0 R >>",
    );
    w.obj(8, "<< /FT /Tx /T (Name) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /AP << /N 9 0 R >> >>");
    w.obj(
        9,
        "<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Length 1 >>\nstream\nx\nendstream",
    );
    let ph = w.sig(7, sig_extra);
    w.end();
    w.cover(ph);
    (w, ph)
}

fn open(w: &W) -> PdfDocument {
    PdfDocument::open(w.buf.clone(), &Limits::default()).unwrap()
}

fn only_sig(d: &PdfDocument) -> PdfSignature {
    let s = d.signatures().unwrap();
    assert_eq!(s.len(), 1);
    s.into_iter().next().unwrap()
}

#[test]
fn a_signature_over_the_whole_file_covers_it_and_streams_its_ranges() {
    let (w, (lt, gt, _)) = signed("", "", false);
    let d = open(&w);
    let s = only_sig(&d);
    assert_eq!(s.field_name.as_deref(), Some("S"));
    assert_eq!(
        s.contents_span,
        Some(Span {
            start: lt as u64,
            end: gt as u64
        })
    );
    assert_eq!(s.cms(), Some(&[0x30, 3, 2, 1, 0][..]));
    assert_eq!(s.page, Some(1));
    let c = d.coverage(&s).unwrap();
    assert_eq!(c.level, CoverageLevel::EntireFile);
    let mut got = Vec::new();
    d.signed_ranges_reader(&s)
        .unwrap()
        .read_to_end(&mut got)
        .unwrap();
    let want = [&w.buf[..lt], &w.buf[gt..]].concat();
    assert_eq!(got, want);
    let m = d.modifications(&s).unwrap();
    assert_eq!(
        (m.status, m.level),
        (ModificationStatus::Assessed, ModificationLevel::None)
    );
}

#[test]
fn a_gap_other_than_contents_is_partial() {
    let (mut w, (lt, gt, br)) = signed("", "", false);
    // Move the gap one byte: the range no longer matches /Contents.
    let s = format!("[0 {:010} {:010} {:010}]", lt + 1, gt, w.buf.len() - gt);
    w.buf[br..br + s.len()].copy_from_slice(s.as_bytes());
    let d = open(&w);
    let c = d.coverage(&only_sig(&d)).unwrap();
    assert_eq!(c.level, CoverageLevel::Partial);
    assert!(matches!(
        c.problems[0],
        CoverageProblem::GapNotContents { .. }
    ));
}

/// The signed revision followed by an update made of `objects`.
fn updated(
    shared_ap: bool,
    sig_extra: &str,
    objects: &[(u32, &str)],
) -> (PdfDocument, PdfSignature) {
    let (mut w, _) = signed("", sig_extra, shared_ap);
    for (n, b) in objects {
        w.obj(*n, b);
    }
    w.end();
    let d = open(&w);
    let s = only_sig(&d);
    assert_eq!(d.coverage(&s).unwrap().level, CoverageLevel::EntireRevision);
    (d, s)
}

const FILLED: &str = "<< /FT /Tx /T (Name) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V (x) /AP << /N 10 0 R >> >>";
const NEW_AP: &str =
    "<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Length 1 >>\nstream\ny\nendstream";

#[test]
fn filling_a_field_is_form_filling() {
    let (d, s) = updated(false, "", &[(8, FILLED), (10, NEW_AP)]);
    let m = d.modifications(&s).unwrap();
    assert_eq!(m.level, ModificationLevel::FormFilling, "{:?}", m.revisions);
    assert_eq!(m.signed_revision, Some(0));
}

#[test]
fn identical_rewrites_are_nothing_and_content_changes_are_other() {
    let (d, s) = updated(
        false,
        "",
        &[(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")],
    );
    assert_eq!(d.modifications(&s).unwrap().level, ModificationLevel::None);
    let (d, s) = updated(false, "", &[(4, "<< /Length 3 >>\nstream\nxyz\nendstream")]);
    let m = d.modifications(&s).unwrap();
    assert_eq!(m.level, ModificationLevel::Other);
    assert_eq!(
        m.beyond(ModificationLevel::Annotations)[0].object,
        Some(ObjRef { num: 4, gen: 0 })
    );
}

#[test]
fn an_appearance_stream_rewritten_in_place_is_cleared_only_where_it_is_only_an_appearance() {
    let rewrite =
        "<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Length 1 >>\nstream\nz\nendstream";
    let field = "<< /FT /Tx /T (Name) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V (x) /AP << /N 9 0 R >> >>";
    let (d, s) = updated(false, "", &[(8, field), (9, rewrite)]);
    assert_eq!(
        d.modifications(&s).unwrap().level,
        ModificationLevel::FormFilling
    );
    // The same stream is also the page's /Fm0: the path through the page is not cleared.
    let (d, s) = updated(true, "", &[(8, field), (9, rewrite)]);
    let m = d.modifications(&s).unwrap();
    assert_eq!(m.level, ModificationLevel::Other);
    let detail = m.beyond(ModificationLevel::FormFilling)[0]
        .detail
        .clone()
        .unwrap();
    assert!(
        detail.contains("object 3/Resources/XObject/Fm0"),
        "{detail}"
    );
}

#[test]
fn docmdp_permissions_are_checked_against_the_level() {
    let p1 = "/Reference [<< /TransformMethod /DocMDP /TransformParams << /P 1 >> >>]";
    let (d, s) = updated(false, p1, &[(8, FILLED), (10, NEW_AP)]);
    let v = d.modifications(&s).unwrap().docmdp.unwrap();
    assert_eq!((v.permission, v.exceeded), (1, true));
    assert!(!v.violations.is_empty());
    let p2 = "/Reference [<< /TransformMethod /DocMDP >>]";
    let (d, s) = updated(false, p2, &[(8, FILLED), (10, NEW_AP)]);
    let v = d.modifications(&s).unwrap().docmdp.unwrap();
    assert_eq!((v.permission, v.exceeded), (2, false), "no /P means 2");
}

#[test]
fn field_locks_catch_a_locked_field_changing() {
    let lock = "/Reference [<< /TransformMethod /FieldMDP /TransformParams << /Action /Include /Fields [(Name)] >> >>]";
    let (d, s) = updated(false, lock, &[(8, FILLED), (10, NEW_AP)]);
    let l = d.modifications(&s).unwrap().field_locks.unwrap();
    assert!(l.violated);
    assert_eq!(l.changed_locked_fields, vec!["Name".to_string()]);
}

#[test]
fn a_new_dss_is_an_lta_update_and_a_freed_object_is_other() {
    let (d, s) = updated(
        false,
        "",
        &[
            (
                1,
                "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R /DSS 11 0 R >>",
            ),
            (11, "<< /Certs [12 0 R] >>"),
            (12, "<< /Length 2 >>\nstream\n0\x00\nendstream"),
        ],
    );
    assert_eq!(
        d.modifications(&s).unwrap().level,
        ModificationLevel::LtaUpdates
    );
    let dss = d.dss().unwrap();
    assert_eq!(
        (dss.len(), dss[0].certs[0].data.as_slice()),
        (1, &b"0\x00"[..])
    );
    let (d, s) = updated(
        false,
        "",
        &[(
            1,
            "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R /Lang (en) >>",
        )],
    );
    let m = d.modifications(&s).unwrap();
    assert_eq!(m.level, ModificationLevel::Other);
    assert!(m.revisions[0]
        .changes
        .iter()
        .any(|c| c.detail.as_deref() == Some("catalog entry /Lang changed")));
}

#[test]
fn objects_in_object_streams_are_read_as_of_their_revision() {
    let mut w = W::new();
    let objstm_body =
        "2 0 3 42 << /Type /Pages /Kids [3 0 R] /Count 1 >> << /Type /Page /Parent 2 0 R >>";
    let first = 9;
    w.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
    let o1 = w.pending[0].1;
    let o4 = w.buf.len();
    w.buf.extend_from_slice(format!("4 0 obj\n<< /Type /ObjStm /N 2 /First {first} /Length {} >>\nstream\n{objstm_body}\nendstream\nendobj\n", objstm_body.len()).as_bytes());
    let rows: Vec<u8> = [
        [0u8, 0, 0, 0, 255],
        [1, 0, 0, o1 as u8, 0],
        [2, 0, 0, 4, 0],
        [2, 0, 0, 4, 1],
        [1, 0, 0, o4 as u8, 0],
    ]
    .concat();
    let x = w.buf.len();
    w.buf.extend_from_slice(format!("5 0 obj\n<< /Type /XRef /Size 6 /W [1 3 1] /Index [0 5] /Root 1 0 R /Length {} >>\nstream\n", rows.len()).as_bytes());
    w.buf.extend_from_slice(&rows);
    w.buf
        .extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{x}\n%%EOF\n").as_bytes());
    let d = open(&w);
    assert_eq!(d.revisions()[0].xref_kind, XrefKind::Stream);
    assert_eq!(d.page_count(0).unwrap(), 1);
}

#[test]
fn hybrid_files_flag_objects_that_resolve_differently_without_xrefstm() {
    let mut w = W::new();
    w.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
    w.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
    w.obj(3, "(old)");
    w.end();
    // Update: object 3 redefined only in the /XRefStm stream.
    let o3 = w.buf.len();
    w.buf.extend_from_slice(b"3 0 obj\n(new)\nendobj\n");
    let xs = w.buf.len();
    let rows = [1u8, (o3 >> 8) as u8, o3 as u8, 0];
    w.buf.extend_from_slice(
        format!(
            "6 0 obj\n<< /Type /XRef /Size 7 /W [1 2 1] /Index [3 1] /Length {} >>\nstream\n",
            rows.len()
        )
        .as_bytes(),
    );
    w.buf.extend_from_slice(&rows);
    w.buf.extend_from_slice(b"\nendstream\nendobj\n");
    let x = w.buf.len();
    let prev = w.prev.unwrap();
    w.buf.extend_from_slice(format!("xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 7 /Root 1 0 R /Prev {prev} /XRefStm {xs} >>\nstartxref\n{x}\n%%EOF\n").as_bytes());
    let d = open(&w);
    assert_eq!(d.revisions()[1].xref_kind, XrefKind::Hybrid);
    assert!(d
        .warnings()
        .contains(&PdfWarning::HybridReferences { revision: 1 }));
    assert!(
        d.warnings().contains(&PdfWarning::HybridMismatch {
            revision: 1,
            object: 3
        }),
        "{:?}",
        d.warnings()
    );
}

#[test]
fn a_usf_signature_is_invalid_not_absent() {
    let mut w = W::new();
    w.obj(
        1,
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [3 0 R 4 0 R 5 0 R] >> >>",
    );
    w.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
    w.obj(3, "<< /FT /Sig /T (A) /V << /Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange [0 1 2 3] >> >>");
    w.obj(4, "<< /FT /Sig /T (B) /V << /Type /Sig /SubFilter /adbe.x509.rsa_sha1 /Contents () /ByteRange null >> >>");
    w.obj(5, "<< /FT /Sig /T (C) /V 7 >>");
    w.end();
    let sigs = open(&w).signatures().unwrap();
    assert_eq!(sigs.len(), 3);
    assert_eq!(sigs[0].problems, vec![SignatureProblem::ContentsMissing]);
    assert!(sigs[1].problems.contains(&SignatureProblem::ContentsEmpty));
    assert!(sigs[1].problems.contains(&SignatureProblem::ByteRangeNull));
    assert!(sigs[1]
        .problems
        .contains(&SignatureProblem::SubFilterUnsupported {
            name: "adbe.x509.rsa_sha1".into()
        }));
    assert_eq!(sigs[2].problems, vec![SignatureProblem::ValueNotDictionary]);
}

#[test]
fn level_inputs_see_dss_and_document_timestamps_after_a_signature() {
    let sig = |rev, kind| PdfSignature {
        revision: rev,
        kind,
        ..only_sig(&open(&signed("", "", false).0))
    };
    let all = vec![
        sig(1, SignatureKind::Signature),
        sig(3, SignatureKind::DocumentTimestamp),
    ];
    let dss = vec![Dss {
        revision: 2,
        certs: vec![DssItem {
            object: None,
            data: vec![1],
            length: 1,
        }],
        ..Dss::default()
    }];
    let (d, _) = signed("", "", false);
    let li = open(&d).level_inputs(&all[0], &all, &dss);
    assert_eq!(
        (
            li.dss_after,
            li.doc_timestamps_after.clone(),
            li.doc_timestamp_after_dss
        ),
        (Some(2), vec![3], true)
    );
}

#[test]
fn a_signature_removed_after_signing_is_still_reported() {
    let (mut w, _) = signed("", "", false);
    w.obj(5, "<< /Fields [8 0 R] >>");
    w.obj(
        3,
        "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Annots [8 0 R] >>",
    );
    w.end();
    let d = open(&w);
    let s = only_sig(&d);
    assert_eq!(
        s.problems,
        vec![SignatureProblem::NotInFinalRevision { last_revision: 0 }]
    );
    assert_eq!(d.coverage(&s).unwrap().level, CoverageLevel::EntireRevision);
    let m = d.modifications(&s).unwrap();
    assert_eq!(m.level, ModificationLevel::Other);
    assert!(m.revisions[0]
        .changes
        .iter()
        .any(|c| c.detail.as_deref() == Some("field S was removed")));
}

#[test]
fn objects_appended_without_a_cross_reference_section_are_other() {
    let (mut w, _) = signed("", "", false);
    w.buf
        .extend_from_slice(b"4 0 obj\n<< /Length 3 >>\nstream\nxyz\nendstream\nendobj\n");
    let d = open(&w);
    let s = only_sig(&d);
    assert_eq!(d.coverage(&s).unwrap().level, CoverageLevel::EntireRevision);
    let m = d.modifications(&s).unwrap();
    assert_eq!(m.level, ModificationLevel::Other);
    assert!(m.trailing_data.is_some());
}
