//! The form and annotation rules: new signature fields and their values (document
//! timestamps at `lta_updates`), filled-in fields and their appearances (`form_filling`),
//! pages gaining signature widgets or annotations (`annotations`). Appearance streams
//! changed in place are cleared only for the widget that shows them.

use super::graph::{dict_diff, same, Edge, Holder};
use super::rules::approve_value;
use super::{FieldChange, ModificationLevel as L, Rule, StepCx, Via};
use crate::document::pdf::error::{PdfError, Result};
use crate::document::pdf::object::{name_str, Dict, ObjRef, Object};
use crate::document::pdf::pages;
use crate::document::pdf::store::View;
use crate::document::pdf::text::decode_text;
use std::collections::{HashMap, HashSet};

/// Keys a form field may change when it is filled in: pyHanko's list, plus `/I`, the
/// selected options of a choice field (ISO 32000-1 §12.7.4.4), which is part of its value.
const VALUE_KEYS: &[&[u8]] = &[b"AP", b"AS", b"V", b"I", b"F", b"DA", b"Q", b"Ff", b"Type"];
/// Keys that change even on a locked field.
const FLAG_KEYS: &[&[u8]] = &[b"Ff", b"Type"];
/// Keys a widget may change.
const WIDGET_KEYS: &[&[u8]] = &[b"AP", b"AS", b"F", b"Type"];
/// AcroForm entries that may change.
const ACROFORM_FREE: &[&[u8]] = &[
    b"Fields",
    b"DR",
    b"DA",
    b"Q",
    b"NeedAppearances",
    b"SigFlags",
];

/// One node of the field tree.
#[derive(Clone, Debug)]
pub(crate) struct FieldNode {
    pub(crate) name: String,
    pub(crate) r: ObjRef,
    pub(crate) ft: Option<Vec<u8>>,
    /// Kid widgets (no `/T`); empty when the field is its own widget.
    pub(crate) widgets: Vec<ObjRef>,
}

/// Every field of revision `rev` (terminal or not) with its inherited type.
pub(crate) fn fields(view: &View<'_>, rev: usize) -> Result<Vec<FieldNode>> {
    let Ok((_, cat)) = pages::catalog(view, rev) else {
        return Ok(Vec::new());
    };
    let Some(af) = cat.as_dict().and_then(|d| d.get(b"AcroForm")) else {
        return Ok(Vec::new());
    };
    let af = view.deref(af, rev)?;
    let Some(list) = af.as_dict().and_then(|d| d.get(b"Fields")) else {
        return Ok(Vec::new());
    };
    let held;
    let list: &Object = match list {
        Object::Ref(r) => {
            held = view.resolve(*r, rev)?;
            &held
        }
        o => o,
    };
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for f in list.as_array().unwrap_or_default() {
        visit(view, rev, f, "", None, 0, &mut seen, &mut out)?;
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn visit(
    view: &View<'_>,
    rev: usize,
    node: &Object,
    parent: &str,
    ft: Option<&[u8]>,
    depth: usize,
    seen: &mut HashSet<ObjRef>,
    out: &mut Vec<FieldNode>,
) -> Result<()> {
    let lim = &view.store.limits;
    if depth > lim.max_depth {
        return Err(PdfError::limit(
            "max_pdf_depth",
            lim.max_depth as u64,
            "the form field tree",
        ));
    }
    let Some(r) = node.as_ref() else {
        return Err(PdfError::structure("a form field is a direct object"));
    };
    if !seen.insert(r) || seen.len() > lim.max_objects {
        return Err(PdfError::structure(format!(
            "the form field tree visits {r} twice"
        )));
    }
    let obj = view.resolve(r, rev)?;
    let Some(d) = obj.as_dict() else {
        return Ok(());
    };
    let t = d
        .get(b"T")
        .and_then(Object::as_string)
        .map(|s| decode_text(&s.bytes));
    let name = match (parent.is_empty(), t) {
        (_, None) => parent.to_string(),
        (true, Some(t)) => t,
        (false, Some(t)) => format!("{parent}.{t}"),
    };
    let ft = d.name(b"FT").or(ft).map(<[u8]>::to_vec);
    let kids = view.deref(d.get(b"Kids").unwrap_or(&Object::Null), rev)?;
    let mut widgets = Vec::new();
    let mut children = Vec::new();
    for k in kids.as_array().unwrap_or_default() {
        let kd = view.deref(k, rev)?;
        if kd.as_dict().is_some_and(|x| x.contains(b"T")) {
            children.push(k.clone());
        } else if let Some(kr) = k.as_ref() {
            widgets.push(kr);
        }
    }
    out.push(FieldNode {
        name: name.clone(),
        r,
        ft: ft.clone(),
        widgets,
    });
    for c in &children {
        visit(view, rev, c, &name, ft.as_deref(), depth + 1, seen, out)?;
    }
    Ok(())
}

fn rect_area(d: &Dict) -> f64 {
    let Some(r) = d.get(b"Rect").and_then(Object::as_array) else {
        return 0.0;
    };
    let v: Vec<f64> = r.iter().filter_map(Object::as_number).collect();
    match v.as_slice() {
        [x1, y1, x2, y2] => ((x1 - x2) * (y1 - y2)).abs(),
        _ => 0.0,
    }
}

fn visible(view: &View<'_>, rev: usize, d: &Dict, widgets: &[ObjRef]) -> Result<bool> {
    if rect_area(d) > 0.0 {
        return Ok(true);
    }
    for w in widgets {
        if view
            .resolve(*w, rev)?
            .as_dict()
            .is_some_and(|wd| rect_area(wd) > 0.0)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The form rule.
pub(crate) fn form(cx: &mut StepCx<'_, '_>) -> Result<()> {
    acroform(cx)?;
    let old = match fields(cx.view, cx.old) {
        Ok(f) => f,
        Err(e) => {
            cx.reject(
                None,
                format!("the signed revision's field tree is unreadable: {e}"),
            );
            return Ok(());
        }
    };
    let new = match fields(cx.view, cx.new) {
        Ok(f) => f,
        Err(e) => {
            cx.reject(None, format!("the field tree is unreadable: {e}"));
            return Ok(());
        }
    };
    let old_by: HashMap<u32, &FieldNode> = old.iter().map(|f| (f.r.num, f)).collect();
    let new_nums: HashSet<u32> = new.iter().map(|f| f.r.num).collect();
    for f in &old {
        if !new_nums.contains(&f.r.num) {
            cx.reject(Some(f.r), format!("field {} was removed", f.name));
        }
    }
    for f in &new {
        if cx.is_added(f.r.num) {
            new_field(cx, f)?;
        } else if let Some(o) = old_by.get(&f.r.num) {
            existing_field(cx, o, f)?;
        } else {
            cx.reject(
                Some(f.r),
                format!(
                    "object {} of the signed revision became field {}",
                    f.r, f.name
                ),
            );
        }
    }
    Ok(())
}

fn acroform(cx: &mut StepCx<'_, '_>) -> Result<()> {
    let Ok((Some(root), cat)) = pages::catalog(cx.view, cx.new) else {
        return Ok(());
    };
    let new_v = cat.as_dict().and_then(|d| d.get(b"AcroForm")).cloned();
    let old_v = pages::catalog(cx.view, cx.old)
        .ok()
        .and_then(|(_, c)| c.as_dict().and_then(|d| d.get(b"AcroForm")).cloned());
    let Some(new_v) = new_v else {
        if old_v.is_some() {
            cx.reject(Some(root), "the AcroForm was removed");
        }
        return Ok(());
    };
    let nd = cx
        .resolve_new(&new_v)?
        .as_dict()
        .cloned()
        .unwrap_or_default();
    let od = match &old_v {
        Some(o) => cx.resolve_old(o)?.as_dict().cloned().unwrap_or_default(),
        None => Dict::default(),
    };
    let diff = dict_diff(cx.view, &od, &nd, ACROFORM_FREE)?;
    if !diff.is_empty() {
        for k in diff {
            cx.reject(
                new_v.as_ref(),
                format!("AcroForm entry {} changed", name_str(&k)),
            );
        }
        return Ok(());
    }
    let (holder, prefix): (Holder, Vec<&[u8]>) = match new_v.as_ref() {
        Some(r) => {
            cx.approve(r.num, L::LtaUpdates, Rule::Form, Via::Any);
            (Holder::Obj(r.num), vec![])
        }
        None => (Holder::Obj(root.num), vec![b"AcroForm"]),
    };
    if let Some(Object::Ref(fr)) = nd.get(b"Fields") {
        let old_list = od.get(b"Fields").map(|f| cx.resolve_old(f)).transpose()?;
        let new_list = cx.view.resolve(*fr, cx.new)?;
        let kept = old_list
            .as_deref()
            .and_then(Object::as_array)
            .unwrap_or_default()
            .iter()
            .all(|o| new_list.as_array().is_some_and(|n| n.contains(o)));
        if kept {
            let via = if cx.is_added(fr.num) {
                Via::Any
            } else {
                Via::Edge(Edge::new(
                    holder,
                    &[prefix.as_slice(), &[b"Fields"]].concat(),
                ))
            };
            cx.approve(fr.num, L::LtaUpdates, Rule::Form, via);
        }
    }
    if let Some(dr) = nd.get(b"DR") {
        let changed = match od.get(b"DR") {
            Some(o) => {
                !same(cx.view, o, dr)?
                    || dr.as_ref().is_some_and(|r| {
                        cx.view
                            .store
                            .revs
                            .get(cx.new)
                            .is_some_and(|t| t.entry(r.num, true).is_some())
                    })
            }
            None => true,
        };
        if changed {
            approve_value(
                cx,
                holder,
                &[prefix.as_slice(), &[b"DR"]].concat(),
                dr,
                L::FormFilling,
                Rule::Form,
            )?;
        }
    }
    Ok(())
}

/// A signature value: a new signature dictionary (a document timestamp without appearance
/// at `lta_updates`).
fn sig_value(cx: &mut StepCx<'_, '_>, f: &FieldNode, v: &Object, visible: bool) -> Result<bool> {
    let Some(vr) = v.as_ref() else {
        cx.reject(
            Some(f.r),
            format!("the value of signature field {} is not a reference", f.name),
        );
        return Ok(false);
    };
    if !cx.is_added(vr.num) {
        cx.reject(
            Some(vr),
            format!(
                "the value of signature field {} is an object of the signed revision",
                f.name
            ),
        );
        return Ok(false);
    }
    let sig = cx.view.resolve(vr, cx.new)?;
    let Some(sd) = sig.as_dict() else {
        cx.reject(
            Some(vr),
            format!(
                "the value of signature field {} is not a dictionary",
                f.name
            ),
        );
        return Ok(false);
    };
    let dts = sd.name(b"Type") == Some(b"DocTimeStamp") && !visible;
    let (level, rule) = if dts {
        (L::LtaUpdates, Rule::DocumentTimestamp)
    } else {
        (L::FormFilling, Rule::SignatureValue)
    };
    cx.approve(vr.num, level, rule, Via::Any);
    let sd = Object::Dict(sd.clone());
    cx.approve_new_deps(&sd, level, rule)?;
    Ok(dts)
}

fn new_field(cx: &mut StepCx<'_, '_>, f: &FieldNode) -> Result<()> {
    if f.ft.as_deref() != Some(b"Sig") {
        cx.reject(
            Some(f.r),
            format!("new field {} is not a signature field", f.name),
        );
        return Ok(());
    }
    let obj = cx.view.resolve(f.r, cx.new)?;
    let d = obj.as_dict().cloned().unwrap_or_default();
    let vis = visible(cx.view, cx.new, &d, &f.widgets)?;
    let dts = match d.get(b"V") {
        Some(v) => sig_value(cx, f, v, vis)?,
        None => false,
    };
    let level = if vis { L::FormFilling } else { L::LtaUpdates };
    cx.approve(f.r.num, level, Rule::NewSignatureField, Via::Any);
    for key in [&b"AP"[..], b"Lock", b"SV", b"Kids"] {
        if let Some(v) = d.get(key) {
            cx.approve_new_deps(
                v,
                if key == b"Kids" {
                    level
                } else {
                    L::FormFilling
                },
                Rule::NewSignatureField,
            )?;
        }
    }
    for w in &f.widgets {
        if cx.is_added(w.num) {
            cx.approve(w.num, level, Rule::NewSignatureField, Via::Any);
        } else {
            cx.reject(
                Some(*w),
                format!(
                    "new signature field {} uses a widget of the signed revision",
                    f.name
                ),
            );
        }
    }
    cx.fields.push(FieldChange {
        name: f.name.clone(),
        valid_when_locked: !vis || dts,
    });
    Ok(())
}

fn existing_field(cx: &mut StepCx<'_, '_>, old: &FieldNode, f: &FieldNode) -> Result<()> {
    let od = cx
        .view
        .resolve(old.r, cx.old)?
        .as_dict()
        .cloned()
        .unwrap_or_default();
    let nd = cx
        .view
        .resolve(f.r, cx.new)?
        .as_dict()
        .cloned()
        .unwrap_or_default();
    for w in &f.widgets {
        widget(cx, f, *w)?;
    }
    if dict_diff(cx.view, &od, &nd, &[])?.is_empty() {
        return Ok(());
    }
    let diff = dict_diff(cx.view, &od, &nd, VALUE_KEYS)?;
    if !diff.is_empty() {
        for k in diff {
            cx.reject(
                Some(f.r),
                format!("field {}: entry {} changed", f.name, name_str(&k)),
            );
        }
        return Ok(());
    }
    let only_flags = dict_diff(cx.view, &od, &nd, FLAG_KEYS)?.is_empty();
    if f.ft.as_deref() == Some(b"Sig") {
        let (ov, nv) = (od.get(b"V"), nd.get(b"V"));
        match (ov, nv) {
            (None, Some(v)) => {
                let vis = visible(cx.view, cx.new, &nd, &f.widgets)?;
                let dts = sig_value(cx, f, v, vis)?;
                cx.approve(f.r.num, L::LtaUpdates, Rule::SignatureValue, Via::Any);
                appearance(cx, f.r, &od, &nd, L::FormFilling)?;
                cx.fields.push(FieldChange {
                    name: f.name.clone(),
                    valid_when_locked: dts,
                });
            }
            _ if only_flags => cx.approve(f.r.num, L::LtaUpdates, Rule::SignatureValue, Via::Any),
            _ => cx.reject(
                Some(f.r),
                format!("signature field {} changed after it was signed", f.name),
            ),
        }
        return Ok(());
    }
    cx.approve(
        f.r.num,
        if only_flags {
            L::LtaUpdates
        } else {
            L::FormFilling
        },
        Rule::FieldValue,
        Via::Any,
    );
    if let Some(v) = nd.get(b"V") {
        cx.approve_new_deps(v, L::FormFilling, Rule::FieldValue)?;
    }
    appearance(cx, f.r, &od, &nd, L::FormFilling)?;
    cx.fields.push(FieldChange {
        name: f.name.clone(),
        valid_when_locked: only_flags,
    });
    Ok(())
}

fn widget(cx: &mut StepCx<'_, '_>, f: &FieldNode, w: ObjRef) -> Result<()> {
    if cx.is_added(w.num) {
        cx.reject(
            Some(w),
            format!("field {} gained a widget after signing", f.name),
        );
        return Ok(());
    }
    let od = cx
        .view
        .resolve(w, cx.old)?
        .as_dict()
        .cloned()
        .unwrap_or_default();
    let nd = cx
        .view
        .resolve(w, cx.new)?
        .as_dict()
        .cloned()
        .unwrap_or_default();
    if dict_diff(cx.view, &od, &nd, &[])?.is_empty() {
        return Ok(());
    }
    let diff = dict_diff(cx.view, &od, &nd, WIDGET_KEYS)?;
    if !diff.is_empty() {
        for k in diff {
            cx.reject(
                Some(w),
                format!("widget of field {}: entry {} changed", f.name, name_str(&k)),
            );
        }
        return Ok(());
    }
    cx.approve(w.num, L::FormFilling, Rule::Appearance, Via::Any);
    appearance(cx, w, &od, &nd, L::FormFilling)
}

/// A changed `/AP` of the annotation `holder`: new streams are cleared with what they use;
/// streams changed in place only for this annotation's appearance dictionary; an old
/// appearance dictionary used elsewhere too may not be swapped out.
fn appearance(
    cx: &mut StepCx<'_, '_>,
    holder: ObjRef,
    od: &Dict,
    nd: &Dict,
    level: L,
) -> Result<()> {
    let (oa, na) = (od.get(b"AP"), nd.get(b"AP"));
    let Some(na) = na else { return Ok(()) };
    if let (Some(Object::Ref(old_ap)), false) = (oa, oa.is_some_and(|o| o == na)) {
        let others: Vec<Holder> = cx
            .graph
            .holders
            .get(&old_ap.num)
            .map(|v| {
                v.iter()
                    .filter(|(h, back)| !back && *h != Holder::Obj(holder.num))
                    .map(|(h, _)| *h)
                    .collect()
            })
            .unwrap_or_default();
        if let Some(h) = others.first() {
            let at = match h {
                Holder::Trailer => "the trailer".to_string(),
                Holder::Obj(n) => format!("object {n}"),
            };
            cx.reject(
                Some(holder),
                format!("the appearance dictionary {old_ap} being replaced is also used by {at}"),
            );
        }
    }
    let ap = cx.resolve_new(na)?;
    let Some(apd) = ap.as_dict().cloned() else {
        cx.reject(Some(holder), "/AP is not a dictionary");
        return Ok(());
    };
    let (h, prefix): (Holder, Vec<&[u8]>) = match na {
        Object::Ref(r) => {
            let via = if cx.is_added(r.num) {
                Via::Any
            } else {
                Via::Edge(Edge::new(Holder::Obj(holder.num), &[b"AP"]))
            };
            cx.approve(r.num, level, Rule::Appearance, via);
            (Holder::Obj(r.num), vec![])
        }
        _ => (Holder::Obj(holder.num), vec![b"AP"]),
    };
    for key in [&b"N"[..], b"R", b"D"] {
        let Some(v) = apd.get(key) else { continue };
        let base: Vec<&[u8]> = prefix.iter().copied().chain([key]).collect();
        match v {
            Object::Ref(_) => approve_value(cx, h, &base, v, level, Rule::Appearance)?,
            Object::Dict(states) => {
                for (state, sv) in &states.0 {
                    let p: Vec<&[u8]> = base.iter().copied().chain([state.as_slice()]).collect();
                    approve_value(cx, h, &p, sv, level, Rule::Appearance)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn annots(view: &View<'_>, rev: usize, page: &Dict) -> Result<Vec<Object>> {
    match page.get(b"Annots") {
        Some(a) => Ok(view
            .deref(a, rev)?
            .as_array()
            .map(<[Object]>::to_vec)
            .unwrap_or_default()),
        None => Ok(Vec::new()),
    }
}

/// The annotation rule: pages may change only in `/Annots`, gaining the widgets of new
/// signature fields (`lta_updates`) or new annotations (`annotations`).
pub(crate) fn annotations(cx: &mut StepCx<'_, '_>) -> Result<()> {
    let (old, new) = match (pages::pages(cx.view, cx.old), pages::pages(cx.view, cx.new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            cx.reject(None, format!("the page tree is unreadable: {e}"));
            return Ok(());
        }
    };
    if old != new {
        cx.reject(
            None,
            format!(
                "the page tree changed ({} pages when signed, {} now)",
                old.len(),
                new.len()
            ),
        );
    }
    let old_set: HashSet<ObjRef> = old.iter().copied().collect();
    for (i, p) in new.iter().enumerate() {
        if old_set.contains(p) {
            page(cx, i + 1, *p)?;
        }
    }
    Ok(())
}

fn page(cx: &mut StepCx<'_, '_>, number: usize, p: ObjRef) -> Result<()> {
    let od = cx
        .view
        .resolve(p, cx.old)?
        .as_dict()
        .cloned()
        .unwrap_or_default();
    let nd = cx
        .view
        .resolve(p, cx.new)?
        .as_dict()
        .cloned()
        .unwrap_or_default();
    let (oa, na) = (annots(cx.view, cx.old, &od)?, annots(cx.view, cx.new, &nd)?);
    for a in oa.iter().filter(|a| na.contains(a)) {
        if let Some(r) = a.as_ref() {
            changed_annotation(cx, r)?;
        }
    }
    if dict_diff(cx.view, &od, &nd, &[])?.is_empty() && oa == na {
        return Ok(());
    }
    let diff = dict_diff(cx.view, &od, &nd, &[b"Annots"])?;
    if !diff.is_empty() {
        for k in diff {
            cx.reject(
                Some(p),
                format!("page {number}: entry {} changed", name_str(&k)),
            );
        }
        return Ok(());
    }
    let mut level = L::LtaUpdates;
    for a in na.iter().filter(|a| !oa.contains(a)) {
        let Some(r) = a.as_ref() else {
            cx.reject(Some(p), format!("page {number} gained a direct annotation"));
            continue;
        };
        let sig_widget = cx
            .approvals
            .get(&r.num)
            .is_some_and(|v| v.iter().any(|x| x.rule == Rule::NewSignatureField));
        if sig_widget {
            continue;
        }
        let ad = cx.view.resolve(r, cx.new)?;
        let is_annot = ad
            .as_dict()
            .is_some_and(|d| d.name(b"Subtype").is_some_and(|s| s != b"Widget"));
        if cx.is_added(r.num) && is_annot {
            cx.approve(r.num, L::Annotations, Rule::Annotation, Via::Any);
            cx.approve_new_deps(&ad, L::Annotations, Rule::Annotation)?;
            level = L::Annotations;
        } else {
            cx.reject(
                Some(r),
                format!("page {number} gained annotation {r}, which no rule explains"),
            );
        }
    }
    for a in oa.iter().filter(|a| !na.contains(a)) {
        let widget = match a.as_ref() {
            Some(r) => cx
                .view
                .resolve(r, cx.old)?
                .as_dict()
                .is_some_and(|d| d.name(b"Subtype") == Some(b"Widget")),
            None => true,
        };
        if widget {
            cx.reject(a.as_ref(), format!("page {number} lost a form widget"));
        } else {
            cx.note(
                a.as_ref(),
                L::Annotations,
                Rule::Annotation,
                format!("page {number}: annotation removed"),
            );
        }
    }
    cx.approve(p.num, level, Rule::WidgetBinding, Via::Any);
    if let Some(Object::Ref(ar)) = nd.get(b"Annots") {
        let via = if cx.is_added(ar.num) {
            Via::Any
        } else {
            Via::Edge(Edge::new(Holder::Obj(p.num), &[b"Annots"]))
        };
        cx.approve(ar.num, level, Rule::WidgetBinding, via);
    }
    Ok(())
}

/// An existing annotation (not a widget) changed in place: `annotations`.
fn changed_annotation(cx: &mut StepCx<'_, '_>, r: ObjRef) -> Result<()> {
    let listed = cx
        .view
        .store
        .revs
        .get(cx.new)
        .is_some_and(|t| t.entry(r.num, true).is_some());
    if !listed || cx.is_added(r.num) {
        return Ok(());
    }
    let od = cx
        .view
        .resolve(r, cx.old)?
        .as_dict()
        .cloned()
        .unwrap_or_default();
    let nd = cx
        .view
        .resolve(r, cx.new)?
        .as_dict()
        .cloned()
        .unwrap_or_default();
    let sub = od.name(b"Subtype");
    if sub.is_none() || sub == Some(b"Widget") || nd.name(b"Subtype") != sub {
        return Ok(());
    }
    if dict_diff(cx.view, &od, &nd, &[])?.is_empty() {
        return Ok(());
    }
    cx.approve(r.num, L::Annotations, Rule::Annotation, Via::Any);
    cx.approve_new_deps(&Object::Dict(nd.clone()), L::Annotations, Rule::Annotation)?;
    appearance(cx, r, &od, &nd, L::Annotations)
}
