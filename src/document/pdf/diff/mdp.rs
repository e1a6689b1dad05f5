//! Permissions: DocMDP of a certification signature (`/P` 1–3, default 2) or `/Lock /P`,
//! FieldMDP / `/Lock` field locks, and annotations added after signing that overlap others.

use super::{FieldChange, ModificationLevel, Modifications, ObjectChange};
use crate::document::pdf::error::Result;
use crate::document::pdf::object::{ObjRef, Object};
use crate::document::pdf::pages;
use crate::document::pdf::signatures::{FieldLock, PdfSignature, Transform};
use crate::document::pdf::store::View;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Where a permission comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MdpSource {
    /// The signature's DocMDP transform (a certification signature).
    Certification,
    /// The `/P` of the signature field's `/Lock` dictionary.
    Lock,
}

/// The permission a signature grants and whether the changes after it exceed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MdpVerdict {
    /// 1: no changes; 2: form filling and signing; 3: also annotations.
    pub permission: u8,
    /// Where it comes from.
    pub source: MdpSource,
    /// The highest level the permission allows.
    pub allowed: ModificationLevel,
    /// The level observed.
    pub observed: ModificationLevel,
    /// Whether the changes go beyond the permission (the signature fails).
    pub exceeded: bool,
    /// The changes beyond it.
    pub violations: Vec<ObjectChange>,
}

/// The fields a signature locks and the locked fields that changed after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct LockVerdict {
    /// The lock.
    pub lock: FieldLock,
    /// Locked fields changed after signing.
    pub changed_locked_fields: Vec<String>,
    /// Whether any locked field changed (the signature fails).
    pub violated: bool,
}

/// The level a DocMDP permission allows.
pub fn allowed_by(permission: u8) -> ModificationLevel {
    match permission {
        1 => ModificationLevel::LtaUpdates,
        2 => ModificationLevel::FormFilling,
        _ => ModificationLevel::Annotations,
    }
}

pub(crate) fn docmdp_verdict(sig: &PdfSignature, m: &Modifications) -> Option<MdpVerdict> {
    let (permission, source) = match (sig.docmdp(), sig.lock_p) {
        (Some(p), Some(l)) => (p.min(l), MdpSource::Certification),
        (Some(p), None) => (p, MdpSource::Certification),
        (None, Some(l)) => (l, MdpSource::Lock),
        (None, None) => return None,
    };
    let allowed = allowed_by(permission);
    let violations = m.beyond(allowed);
    Some(MdpVerdict {
        permission,
        source,
        allowed,
        observed: m.level,
        exceeded: m.level > allowed || !violations.is_empty(),
        violations,
    })
}

pub(crate) fn lock_verdict(sig: &PdfSignature, fields: &[FieldChange]) -> Option<LockVerdict> {
    let lock = sig
        .transforms
        .iter()
        .find_map(|t| match t {
            Transform::FieldMdp { lock } => Some(lock.clone()),
            _ => None,
        })
        .or_else(|| sig.lock.clone())?;
    let mut changed: Vec<String> = fields
        .iter()
        .filter(|f| !f.valid_when_locked && lock.locks(&f.name))
        .map(|f| f.name.clone())
        .collect();
    changed.sort();
    changed.dedup();
    Some(LockVerdict {
        violated: !changed.is_empty(),
        lock,
        changed_locked_fields: changed,
    })
}

/// An annotation added after signing whose rectangle overlaps other annotations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AnnotationOverlap {
    /// Page, from 1.
    pub page: usize,
    /// The new annotation.
    pub annotation: ObjRef,
    /// The annotations it overlaps.
    pub overlaps: Vec<ObjRef>,
}

impl Eq for AnnotationOverlap {}

fn rect(o: &Object) -> Option<[f64; 4]> {
    let r = o.as_dict()?.get(b"Rect")?.as_array()?;
    let v: Vec<f64> = r.iter().filter_map(Object::as_number).collect();
    match v.as_slice() {
        [a, b, c, d] => Some([a.min(*c), b.min(*d), a.max(*c), b.max(*d)]),
        _ => None,
    }
}

fn intersects(a: [f64; 4], b: [f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

pub(crate) fn overlaps(
    view: &View<'_>,
    signed: usize,
    last: usize,
) -> Result<Vec<AnnotationOverlap>> {
    let before: HashSet<ObjRef> = annotations_of(view, signed)?
        .into_iter()
        .flat_map(|(_, v)| v)
        .collect();
    let mut out = Vec::new();
    for (page, list) in annotations_of(view, last)? {
        let rects: Vec<(ObjRef, Option<[f64; 4]>)> = list
            .iter()
            .map(|r| (*r, view.resolve(*r, last).ok().and_then(|o| rect(&o))))
            .collect();
        for (r, rr) in &rects {
            let (false, Some(a)) = (before.contains(r), rr) else {
                continue;
            };
            let hits: Vec<ObjRef> = rects
                .iter()
                .filter(|(o, orr)| o != r && orr.is_some_and(|b| intersects(*a, b)))
                .map(|(o, _)| *o)
                .collect();
            if !hits.is_empty() {
                out.push(AnnotationOverlap {
                    page,
                    annotation: *r,
                    overlaps: hits,
                });
            }
        }
    }
    Ok(out)
}

fn annotations_of(view: &View<'_>, rev: usize) -> Result<Vec<(usize, Vec<ObjRef>)>> {
    let mut out = Vec::new();
    for (i, p) in pages::pages(view, rev)?.into_iter().enumerate() {
        let pd = view.resolve(p, rev)?;
        let list = match pd.as_dict().and_then(|d| d.get(b"Annots")) {
            Some(a) => view
                .deref(a, rev)?
                .as_array()
                .unwrap_or_default()
                .iter()
                .filter_map(Object::as_ref)
                .collect(),
            None => Vec::new(),
        };
        out.push((i + 1, list));
    }
    Ok(out)
}
