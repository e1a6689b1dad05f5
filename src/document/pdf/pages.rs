//! The page tree (ISO 32000-1 §7.7.3): pages in order, bounded in depth
//! ([`crate::Limits::max_pdf_depth`]) and count ([`crate::Limits::max_pdf_objects`]), loops
//! refused.

use super::error::{PdfError, Result};
use super::object::{ObjRef, Object};
use super::store::View;
use std::collections::HashSet;

/// The catalog of revision `rev`.
pub(crate) fn catalog(
    view: &View<'_>,
    rev: usize,
) -> Result<(Option<ObjRef>, std::sync::Arc<Object>)> {
    let trailer = view
        .store
        .revs
        .get(rev)
        .and_then(|t| t.trailer())
        .ok_or_else(|| PdfError::structure(format!("revision {rev} has no trailer")))?;
    let root = trailer.get(b"Root").ok_or_else(|| {
        PdfError::structure(format!("the trailer of revision {rev} has no /Root"))
    })?;
    let obj = view.deref(root, rev)?;
    if obj.as_dict().is_none() {
        return Err(PdfError::structure(format!(
            "the /Root of revision {rev} is not a dictionary"
        )));
    }
    Ok((root.as_ref(), obj))
}

/// The page objects of revision `rev`, in order.
pub(crate) fn pages(view: &View<'_>, rev: usize) -> Result<Vec<ObjRef>> {
    let (_, cat) = catalog(view, rev)?;
    let Some(root) = cat
        .as_dict()
        .and_then(|d| d.get(b"Pages"))
        .and_then(Object::as_ref)
    else {
        return Err(PdfError::structure(format!(
            "the catalog of revision {rev} has no /Pages reference"
        )));
    };
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    walk(view, rev, root, 0, &mut seen, &mut out)?;
    Ok(out)
}

fn walk(
    view: &View<'_>,
    rev: usize,
    node: ObjRef,
    depth: usize,
    seen: &mut HashSet<ObjRef>,
    out: &mut Vec<ObjRef>,
) -> Result<()> {
    let lim = &view.store.limits;
    if depth > lim.max_depth {
        return Err(PdfError::limit(
            "max_pdf_depth",
            lim.max_depth as u64,
            "the page tree",
        ));
    }
    if !seen.insert(node) {
        return Err(PdfError::structure(format!(
            "the page tree visits {node} twice"
        )));
    }
    if seen.len() > lim.max_objects {
        return Err(PdfError::limit(
            "max_pdf_objects",
            lim.max_objects as u64,
            "the page tree",
        ));
    }
    let obj = view.resolve(node, rev)?;
    let d = obj
        .as_dict()
        .ok_or_else(|| PdfError::structure(format!("page tree node {node} is not a dictionary")))?;
    match d.name(b"Type") {
        Some(b"Pages") => {
            let kids = view.deref(d.get(b"Kids").unwrap_or(&Object::Null), rev)?;
            let kids = kids.as_array().ok_or_else(|| {
                PdfError::structure(format!("page tree node {node} has no /Kids array"))
            })?;
            for k in kids {
                let r = k.as_ref().ok_or_else(|| {
                    PdfError::structure(format!("page tree node {node} has a direct kid"))
                })?;
                walk(view, rev, r, depth + 1, seen, out)?;
            }
            Ok(())
        }
        Some(b"Page") => {
            out.push(node);
            Ok(())
        }
        _ => Err(PdfError::structure(format!(
            "page tree node {node} is neither /Pages nor /Page"
        ))),
    }
}
