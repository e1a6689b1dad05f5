//! The structural rules: new cross-reference and object streams, the trailer, the
//! catalog, the document information dictionary and XMP metadata, and the document
//! security store (DSS / VRI) — all at level `lta_updates`.

use super::graph::{dict_diff, Edge, Holder};
use super::{ModificationLevel as L, Rule, StepCx, Via};
use crate::document::pdf::error::Result;
use crate::document::pdf::object::{name_str, Dict, Object};
use crate::document::pdf::pages;
use crate::document::pdf::xref::Entry;

/// Clears `value` found at `path` inside object `holder`: a new object as a whole, an
/// existing one for this place only; objects added behind it too.
pub(crate) fn approve_value(
    cx: &mut StepCx<'_, '_>,
    holder: Holder,
    path: &[&[u8]],
    value: &Object,
    level: L,
    rule: Rule,
) -> Result<()> {
    if let Object::Ref(r) = value {
        if cx.is_added(r.num) {
            cx.approve(r.num, level, rule, Via::Any);
        } else {
            cx.approve(r.num, level, rule, Via::Edge(Edge::new(holder, path)));
        }
    }
    let v = cx.resolve_new(value)?;
    cx.approve_new_deps(&v, level, rule)
}

/// New cross-reference streams and object streams of the revision.
pub(crate) fn containers(cx: &mut StepCx<'_, '_>) {
    let Some(t) = cx.view.store.revs.get(cx.new) else {
        return;
    };
    let mut nums = Vec::new();
    let mut stms = Vec::new();
    for s in &t.sections {
        nums.extend(s.stream_ref.map(|r| r.num));
        nums.extend(s.hybrid.as_ref().and_then(|h| h.stream_ref).map(|r| r.num));
        for (_, e) in s
            .entries
            .iter()
            .chain(s.hybrid.iter().flat_map(|h| h.entries.iter()))
        {
            if let Entry::InStream { stream, .. } = e {
                stms.push(*stream);
            }
        }
    }
    for n in nums {
        if cx.is_added(n) {
            cx.approve(n, L::LtaUpdates, Rule::XrefStream, Via::Any);
        }
    }
    stms.sort_unstable();
    stms.dedup();
    for n in stms {
        if cx.is_added(n) {
            cx.approve(n, L::LtaUpdates, Rule::ObjectStream, Via::Any);
        }
    }
}

/// Keys of a trailer (or cross-reference stream dictionary) that change with every update.
const TRAILER_FREE: &[&[u8]] = &[
    b"Size",
    b"Prev",
    b"XRefStm",
    b"W",
    b"Index",
    b"Length",
    b"Filter",
    b"DecodeParms",
    b"Type",
    b"ID",
    b"Info",
    b"DocChecksum",
];

/// The trailer may change only in the keys every update rewrites (and `/Info`).
pub(crate) fn trailer(cx: &mut StepCx<'_, '_>) -> Result<()> {
    let revs = &cx.view.store.revs;
    let (Some(a), Some(b)) = (
        revs.get(cx.old).and_then(|t| t.trailer()),
        revs.get(cx.new).and_then(|t| t.trailer()),
    ) else {
        return Ok(());
    };
    let (a, b) = (a.clone(), b.clone());
    for k in dict_diff(cx.view, &a, &b, TRAILER_FREE)? {
        cx.reject(None, format!("trailer entry {} changed", name_str(&k)));
    }
    Ok(())
}

/// Catalog entries other rules check.
const CATALOG_FREE: &[&[u8]] = &[
    b"AcroForm",
    b"DSS",
    b"Extensions",
    b"Metadata",
    b"MarkInfo",
    b"Version",
];

/// The catalog (the DSS, form, metadata and version entries may change; nothing else).
pub(crate) fn catalog(cx: &mut StepCx<'_, '_>) -> Result<()> {
    let (Ok((Some(old_ref), old)), Ok((Some(new_ref), new))) = (
        pages::catalog(cx.view, cx.old),
        pages::catalog(cx.view, cx.new),
    ) else {
        cx.reject(
            None,
            "the catalog is not an indirect dictionary in both revisions",
        );
        return Ok(());
    };
    if old_ref != new_ref {
        return Ok(()); // the trailer rule reports /Root
    }
    let (Some(od), Some(nd)) = (old.as_dict(), new.as_dict()) else {
        return Ok(());
    };
    let diff = dict_diff(cx.view, od, nd, CATALOG_FREE)?;
    if !diff.is_empty() {
        for k in diff {
            cx.reject(
                Some(new_ref),
                format!("catalog entry {} changed", name_str(&k)),
            );
        }
        return Ok(());
    }
    cx.approve(new_ref.num, L::LtaUpdates, Rule::Catalog, Via::Any);
    let nd = nd.clone();
    for key in [&b"Extensions"[..], b"MarkInfo"] {
        if let Some(v) = nd.get(key) {
            approve_value(
                cx,
                Holder::Obj(new_ref.num),
                &[key],
                v,
                L::LtaUpdates,
                Rule::Catalog,
            )?;
        }
    }
    Ok(())
}

/// `/Info` (trailer) and `/Metadata` (catalog).
pub(crate) fn info_and_metadata(cx: &mut StepCx<'_, '_>) -> Result<()> {
    let info = cx
        .view
        .store
        .revs
        .get(cx.new)
        .and_then(|t| t.trailer())
        .and_then(|t| t.get(b"Info"))
        .cloned();
    if let Some(v) = info {
        let is_dict = cx.resolve_new(&v)?.as_dict().is_some();
        if is_dict {
            approve_value(
                cx,
                Holder::Trailer,
                &[b"Info"],
                &v,
                L::LtaUpdates,
                Rule::DocumentInfo,
            )?;
        }
    }
    let Ok((Some(root), cat)) = pages::catalog(cx.view, cx.new) else {
        return Ok(());
    };
    if let Some(m) = cat.as_dict().and_then(|d| d.get(b"Metadata")).cloned() {
        let o = cx.resolve_new(&m)?;
        let is_xmp =
            matches!(o.as_ref(), Object::Stream(s) if s.dict.name(b"Type") == Some(b"Metadata"));
        if is_xmp && m.as_ref().is_some() {
            approve_value(
                cx,
                Holder::Obj(root.num),
                &[b"Metadata"],
                &m,
                L::LtaUpdates,
                Rule::Metadata,
            )?;
        }
    }
    Ok(())
}

fn is_vri_key(k: &[u8]) -> bool {
    k.len() == 40
        && k.iter()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b))
}

/// The DSS: only its expected keys, arrays of stream references, VRI entries keyed by
/// SHA-1; existing VRI entries unchanged.
pub(crate) fn dss(cx: &mut StepCx<'_, '_>) -> Result<()> {
    let Ok((Some(root), cat)) = pages::catalog(cx.view, cx.new) else {
        return Ok(());
    };
    let new_v = cat.as_dict().and_then(|d| d.get(b"DSS")).cloned();
    let old_v = pages::catalog(cx.view, cx.old)
        .ok()
        .and_then(|(_, c)| c.as_dict().and_then(|d| d.get(b"DSS")).cloned());
    let Some(new_v) = new_v else {
        if old_v.is_some() {
            cx.reject(Some(root), "the DSS was removed");
        }
        return Ok(());
    };
    let dss = cx.resolve_new(&new_v)?;
    let Some(d) = dss.as_dict().cloned() else {
        cx.reject(new_v.as_ref(), "the DSS is not a dictionary");
        return Ok(());
    };
    if let Some(k) = d
        .keys()
        .find(|k| !matches!(*k, b"Type" | b"VRI" | b"Certs" | b"OCSPs" | b"CRLs"))
    {
        cx.reject(
            new_v.as_ref(),
            format!("unexpected DSS entry {}", name_str(k)),
        );
        return Ok(());
    }
    let (holder, prefix): (Holder, Vec<&[u8]>) = match new_v.as_ref() {
        Some(r) => (Holder::Obj(r.num), vec![]),
        None => (Holder::Obj(root.num), vec![b"DSS"]),
    };
    if let Some(r) = new_v.as_ref() {
        let via = if cx.is_added(r.num) {
            Via::Any
        } else {
            Via::Edge(Edge::new(Holder::Obj(root.num), &[b"DSS"]))
        };
        cx.approve(r.num, L::LtaUpdates, Rule::Dss, via);
    }
    for key in [&b"Certs"[..], b"OCSPs", b"CRLs"] {
        if let Some(v) = d.get(key) {
            let path: Vec<&[u8]> = prefix.iter().copied().chain([key]).collect();
            stream_array(cx, holder, &path, v)?;
        }
    }
    if let Some(v) = d.get(b"VRI") {
        let path: Vec<&[u8]> = prefix.iter().copied().chain([&b"VRI"[..]]).collect();
        vri(cx, holder, &path, v, old_v.as_ref())?;
    }
    Ok(())
}

/// An array of references to streams (`/Certs`, `/OCSPs`, `/CRLs`, `/Cert`, …).
fn stream_array(cx: &mut StepCx<'_, '_>, holder: Holder, path: &[&[u8]], v: &Object) -> Result<()> {
    let arr = cx.resolve_new(v)?;
    let Some(items) = arr.as_array() else {
        cx.reject(
            v.as_ref(),
            format!(
                "DSS entry {} is not an array",
                path.last().map_or(String::new(), |k| name_str(k))
            ),
        );
        return Ok(());
    };
    for it in items {
        let ok = match it {
            Object::Ref(r) => matches!(cx.view.resolve(*r, cx.new)?.as_ref(), Object::Stream(_)),
            _ => false,
        };
        if !ok {
            cx.reject(
                v.as_ref(),
                "a DSS array holds something other than a stream reference",
            );
            return Ok(());
        }
        if let Object::Ref(r) = it {
            if cx.is_added(r.num) {
                cx.approve(r.num, L::LtaUpdates, Rule::Dss, Via::Any);
                cx.approve_new_deps(it, L::LtaUpdates, Rule::Dss)?;
            }
        }
    }
    if let Object::Ref(r) = v {
        let via = if cx.is_added(r.num) {
            Via::Any
        } else {
            Via::Edge(Edge::new(holder, path))
        };
        cx.approve(r.num, L::LtaUpdates, Rule::Dss, via);
    }
    Ok(())
}

fn vri(
    cx: &mut StepCx<'_, '_>,
    holder: Holder,
    path: &[&[u8]],
    v: &Object,
    old_dss: Option<&Object>,
) -> Result<()> {
    let vd = cx.resolve_new(v)?;
    let Some(vd) = vd.as_dict().cloned() else {
        cx.reject(v.as_ref(), "the VRI is not a dictionary");
        return Ok(());
    };
    if let Object::Ref(r) = v {
        let via = if cx.is_added(r.num) {
            Via::Any
        } else {
            Via::Edge(Edge::new(holder, path))
        };
        cx.approve(r.num, L::LtaUpdates, Rule::Dss, via);
    }
    let old_vri: Dict = match old_dss {
        Some(o) => {
            let od = cx.resolve_old(o)?;
            match od.as_dict().and_then(|d| d.get(b"VRI")) {
                Some(ov) => cx.resolve_old(ov)?.as_dict().cloned().unwrap_or_default(),
                None => Dict::default(),
            }
        }
        None => Dict::default(),
    };
    // Entries of the signed revision stay, with the same content (they may be rewritten
    // as new objects).
    for (k, old_entry) in &old_vri.0 {
        match vd.get(k) {
            Some(e) if super::graph::equivalent(cx.view, old_entry, cx.old, e, cx.new, 3)? => {
                if let Some(r) = e.as_ref().filter(|r| cx.is_added(r.num)) {
                    cx.approve_new_deps(&Object::Ref(r), L::LtaUpdates, Rule::Dss)?;
                }
            }
            // Validation data is not signed content: dropping or replacing it (PAdES
            // allows removing what is no longer needed) is an LTA update, reported.
            _ => cx.note(
                v.as_ref(),
                L::LtaUpdates,
                Rule::Dss,
                format!(
                    "VRI entry {} was modified or removed",
                    String::from_utf8_lossy(k)
                ),
            ),
        }
    }
    for (k, e) in &vd.0 {
        if old_vri.contains(k) {
            continue;
        }
        if !is_vri_key(k) {
            cx.reject(
                v.as_ref(),
                format!("VRI key {} is not an upper-case SHA-1", name_str(k)),
            );
            continue;
        }
        let ed = cx.resolve_new(e)?;
        let Some(ed) = ed.as_dict().cloned() else {
            cx.reject(e.as_ref(), "a VRI entry is not a dictionary");
            continue;
        };
        if let Some(bad) = ed
            .keys()
            .find(|x| !matches!(*x, b"Type" | b"TU" | b"TS" | b"Cert" | b"CRL" | b"OCSP"))
        {
            cx.reject(
                e.as_ref(),
                format!("unexpected VRI entry key {}", name_str(bad)),
            );
            continue;
        }
        let (eh, ep): (Holder, Vec<&[u8]>) = match e {
            Object::Ref(r) => {
                if cx.is_added(r.num) {
                    cx.approve(r.num, L::LtaUpdates, Rule::Dss, Via::Any);
                }
                (Holder::Obj(r.num), vec![])
            }
            _ => (holder, path.iter().copied().chain([k.as_slice()]).collect()),
        };
        for key in [&b"Cert"[..], b"CRL", b"OCSP"] {
            if let Some(a) = ed.get(key) {
                let p: Vec<&[u8]> = ep.iter().copied().chain([key]).collect();
                stream_array(cx, eh, &p, a)?;
            }
        }
        if let Some(ts @ Object::Ref(tr)) = ed.get(b"TS") {
            if cx.is_added(tr.num) {
                cx.approve_new_deps(ts, L::LtaUpdates, Rule::Dss)?;
            }
        }
    }
    Ok(())
}
