//! What changed after each signature: every revision after the signed one is compared,
//! object by object, with the signed revision, **reject by default**. Each changed, added
//! or freed object must be explained by a rule (DSS and document timestamps, form
//! filling, annotations, …) or it is `other`. An object that existed when signing is
//! cleared only if every place that referred to it then is cleared (shadow attacks:
//! hide, replace, hide-and-replace; shared appearance streams), unless the rule compared
//! the object as a whole. DocMDP, FieldMDP and `/Lock` decide what is allowed.

mod forms;
mod graph;
mod mdp;
mod rules;

use super::coverage::{Coverage, CoverageLevel};
use super::error::Result;
use super::object::{ObjRef, Object};
use super::pages;
use super::revisions::Revision;
use super::signatures::PdfSignature;
use super::store::View;
use super::xref::Entry;
use graph::{Edge, Graph};
pub use mdp::{AnnotationOverlap, LockVerdict, MdpSource, MdpVerdict};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet, VecDeque};

/// How much a document changed after a signature, from least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ModificationLevel {
    /// Nothing changed (or only identical rewrites).
    None,
    /// Long-term validation data: DSS, document timestamps, metadata, new containers.
    LtaUpdates,
    /// Form fields filled in, their appearances, new signatures.
    FormFilling,
    /// Annotations added or changed.
    Annotations,
    /// Anything else, or anything no rule explains: the signed content may have changed.
    Other,
}

/// Whether the analysis could be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ModificationStatus {
    /// Every later revision was compared.
    Assessed,
    /// The file is encrypted: comparing objects is not possible without the password.
    /// The level is then `other` (nothing is assumed unchanged).
    NotPossibleWithoutPassword,
    /// The signature's coverage is partial, so there is no signed revision to compare
    /// with; the level is `other`.
    CoveragePartial,
}

/// What an object's change is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChangeKind {
    /// New object.
    Added,
    /// Existing object, different value.
    Changed,
    /// Existing object rewritten with the same value.
    Identical,
    /// Existing object freed.
    Freed,
    /// Not an object: the trailer, or a rule's finding about the structure.
    Structure,
}

/// The rule that explains a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rule {
    /// Rewritten unchanged.
    Identical,
    /// A new cross-reference stream.
    XrefStream,
    /// A new object stream (the container, not its objects).
    ObjectStream,
    /// The catalog, changed only in keys other rules check.
    Catalog,
    /// The document information dictionary.
    DocumentInfo,
    /// The XMP metadata stream.
    Metadata,
    /// The document security store (DSS, VRI, certificates, OCSP responses, CRLs).
    Dss,
    /// A document timestamp.
    DocumentTimestamp,
    /// A new signature field.
    NewSignatureField,
    /// A signature value of a new or empty signature field.
    SignatureValue,
    /// A form field's value.
    FieldValue,
    /// An appearance stream or dictionary.
    Appearance,
    /// The AcroForm dictionary, its field list or default resources.
    Form,
    /// A page's annotation list gaining new signature widgets or annotations.
    WidgetBinding,
    /// An annotation (not a form widget).
    Annotation,
    /// A new object nothing refers to.
    Orphan,
}

/// One changed, added or freed object (or a structural finding) in one revision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ObjectChange {
    /// The object, if the finding is about one.
    pub object: Option<ObjRef>,
    /// What happened to it.
    pub kind: ChangeKind,
    /// The level this change needs.
    pub level: ModificationLevel,
    /// The rule that explains it; `None` when nothing does (level `other`).
    pub rule: Option<Rule>,
    /// Why it is not explained, or what the rule saw.
    pub detail: Option<String>,
}

/// The changes of one revision after the signed one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RevisionChanges {
    /// The revision.
    pub revision: usize,
    /// The highest level among its changes.
    pub level: ModificationLevel,
    /// Every change, in object order, then structural findings.
    pub changes: Vec<ObjectChange>,
}

/// What changed after one signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Modifications {
    /// Whether the analysis was made.
    pub status: ModificationStatus,
    /// The signed revision the later ones were compared with.
    pub signed_revision: Option<usize>,
    /// The highest level over all later revisions.
    pub level: ModificationLevel,
    /// Each later revision.
    pub revisions: Vec<RevisionChanges>,
    /// DocMDP (certification) or `/Lock /P` permission and whether the changes exceed it.
    pub docmdp: Option<MdpVerdict>,
    /// FieldMDP / `/Lock` field locks and the locked fields that changed.
    pub field_locks: Option<LockVerdict>,
    /// Pages in the signed revision.
    pub pages_signed: Option<usize>,
    /// Pages in the final revision.
    pub pages_final: Option<usize>,
    /// Objects in use in the signed revision that nothing refers to (material for a
    /// hide-and-replace attack), containers excluded.
    pub unreferenced_in_signed_revision: Vec<ObjRef>,
    /// Annotations added after signing that overlap other annotations on their page.
    pub overlapping_annotations: Vec<AnnotationOverlap>,
    /// Bytes after the last revision's `%%EOF` that no revision (and so no signature)
    /// covers: a strict reader ignores them, a viewer that repairs files may show objects
    /// there (the Incremental Saving Attack without cross-reference section). Level `other`.
    pub trailing_data: Option<super::object::Span>,
}

impl Modifications {
    fn not_assessed(status: ModificationStatus) -> Self {
        Modifications {
            status,
            signed_revision: None,
            level: ModificationLevel::Other,
            revisions: Vec::new(),
            docmdp: None,
            field_locks: None,
            pages_signed: None,
            pages_final: None,
            unreferenced_in_signed_revision: Vec::new(),
            overlapping_annotations: Vec::new(),
            trailing_data: None,
        }
    }

    /// The objects whose changes need more than `allowed`.
    pub fn beyond(&self, allowed: ModificationLevel) -> Vec<ObjectChange> {
        self.revisions
            .iter()
            .flat_map(|r| r.changes.iter())
            .filter(|c| c.level > allowed)
            .cloned()
            .collect()
    }
}

/// How a rule cleared an object.
#[derive(Clone, Debug)]
pub(crate) enum Via {
    /// The rule checked the object as a whole.
    Any,
    /// The rule checked it as reached through this place only.
    Edge(Edge),
}

#[derive(Clone, Debug)]
pub(crate) struct Approval {
    pub(crate) level: ModificationLevel,
    pub(crate) rule: Rule,
    pub(crate) via: Via,
}

/// A changed form field (for the lock checks).
#[derive(Clone, Debug)]
pub(crate) struct FieldChange {
    pub(crate) name: String,
    /// Only flags changed, or an invisible timestamp added: allowed even when locked.
    pub(crate) valid_when_locked: bool,
}

/// The comparison of revision `new` with the signed revision `old`.
pub(crate) struct StepCx<'v, 's> {
    pub(crate) view: &'v View<'s>,
    pub(crate) old: usize,
    pub(crate) new: usize,
    pub(crate) graph: &'v Graph,
    approvals: HashMap<u32, Vec<Approval>>,
    findings: Vec<ObjectChange>,
    pub(crate) fields: Vec<FieldChange>,
}

impl<'v, 's> StepCx<'v, 's> {
    /// Object `num` does not exist in the signed revision but does in the new one.
    pub(crate) fn is_added(&self, num: u32) -> bool {
        !self.view.exists(num, self.old) && self.view.exists(num, self.new)
    }

    pub(crate) fn approve(&mut self, num: u32, level: ModificationLevel, rule: Rule, via: Via) {
        self.approvals
            .entry(num)
            .or_default()
            .push(Approval { level, rule, via });
    }

    /// A structural problem: level `other`.
    pub(crate) fn reject(&mut self, object: Option<ObjRef>, detail: impl Into<String>) {
        self.findings.push(ObjectChange {
            object,
            kind: ChangeKind::Structure,
            level: ModificationLevel::Other,
            rule: None,
            detail: Some(detail.into()),
        });
    }

    /// A structural change explained at `level` (e.g. an annotation removed).
    pub(crate) fn note(
        &mut self,
        object: Option<ObjRef>,
        level: ModificationLevel,
        rule: Rule,
        detail: impl Into<String>,
    ) {
        self.findings.push(ObjectChange {
            object,
            kind: ChangeKind::Structure,
            level,
            rule: Some(rule),
            detail: Some(detail.into()),
        });
    }

    /// Clears every object added since signing that `value` reaches through other added
    /// objects (a new appearance stream and its resources, a new DSS and its streams).
    pub(crate) fn approve_new_deps(
        &mut self,
        value: &Object,
        level: ModificationLevel,
        rule: Rule,
    ) -> Result<()> {
        let mut found = Vec::new();
        graph::refs_in(value, &mut Vec::new(), &mut found, 0);
        let mut queue: VecDeque<ObjRef> = found.into_iter().map(|(_, r)| r).collect();
        let mut seen = HashSet::new();
        while let Some(r) = queue.pop_front() {
            if !seen.insert(r.num) || !self.is_added(r.num) {
                continue;
            }
            self.approve(r.num, level, rule, Via::Any);
            let obj = self.view.resolve(r, self.new)?;
            let mut more = Vec::new();
            graph::refs_in(&obj, &mut Vec::new(), &mut more, 0);
            queue.extend(more.into_iter().map(|(_, r)| r));
        }
        Ok(())
    }

    pub(crate) fn resolve_old(&self, o: &Object) -> Result<std::sync::Arc<Object>> {
        self.view.deref(o, self.old)
    }

    pub(crate) fn resolve_new(&self, o: &Object) -> Result<std::sync::Arc<Object>> {
        self.view.deref(o, self.new)
    }
}

/// Analyses the changes after `sig`.
pub(crate) fn analyze(
    view: &View<'_>,
    revs: &[Revision],
    sig: &PdfSignature,
    cov: &Coverage,
    encrypted: bool,
) -> Result<Modifications> {
    let last = revs.len().saturating_sub(1);
    if cov.level == CoverageLevel::Partial {
        return Ok(Modifications::not_assessed(
            ModificationStatus::CoveragePartial,
        ));
    }
    let signed = match cov.level {
        CoverageLevel::EntireFile => last,
        _ => cov.covered_revision.unwrap_or(sig.revision),
    };
    if encrypted && signed < last {
        return Ok(Modifications::not_assessed(
            ModificationStatus::NotPossibleWithoutPassword,
        ));
    }
    let interest: HashSet<u32> = (signed + 1..=last)
        .filter_map(|k| view.store.revs.get(k))
        .flat_map(|t| t.listed())
        .filter(|&n| view.exists(n, signed))
        .collect();
    let graph = graph::walk(view, signed, &interest)?;
    let mut out = Modifications::not_assessed(ModificationStatus::Assessed);
    out.signed_revision = Some(signed);
    out.level = ModificationLevel::None;
    out.unreferenced_in_signed_revision = unreferenced(view, signed, &graph);
    let mut fields = Vec::new();
    for k in signed + 1..=last {
        let (rc, f) = step(view, signed, k, &graph)?;
        out.level = out.level.max(rc.level);
        out.revisions.push(rc);
        fields.extend(f);
    }
    out.pages_signed = pages::pages(view, signed).ok().map(|p| p.len());
    out.pages_final = pages::pages(view, last).ok().map(|p| p.len());
    if out.pages_signed != out.pages_final || out.pages_final.is_none() {
        let msg = format!(
            "page count {:?} when signed, {:?} now",
            out.pages_signed, out.pages_final
        );
        if let Some(rc) = out.revisions.last_mut() {
            rc.level = ModificationLevel::Other;
            rc.changes.push(ObjectChange {
                object: None,
                kind: ChangeKind::Structure,
                level: ModificationLevel::Other,
                rule: None,
                detail: Some(msg),
            });
            out.level = ModificationLevel::Other;
        }
    }
    out.docmdp = mdp::docmdp_verdict(sig, &out);
    out.field_locks = mdp::lock_verdict(sig, &fields);
    if signed < last {
        out.overlapping_annotations = mdp::overlaps(view, signed, last).unwrap_or_default();
    }
    Ok(out)
}

/// In use in revision `rev`, not reached from its trailer, not a container.
fn unreferenced(view: &View<'_>, rev: usize, g: &Graph) -> Vec<ObjRef> {
    let mut containers: HashSet<u32> = HashSet::new();
    let mut listed: Vec<u32> = Vec::new();
    for t in view.store.revs.iter().take(rev + 1) {
        for s in &t.sections {
            containers.extend(s.stream_ref.map(|r| r.num));
            containers.extend(s.hybrid.as_ref().and_then(|h| h.stream_ref).map(|r| r.num));
            for (_, e) in s
                .entries
                .iter()
                .chain(s.hybrid.iter().flat_map(|h| h.entries.iter()))
            {
                if let Entry::InStream { stream, .. } = e {
                    containers.insert(*stream);
                }
            }
        }
        listed.extend(t.listed());
    }
    listed.sort_unstable();
    listed.dedup();
    let mut out = Vec::new();
    for n in listed {
        if g.reachable.contains(&n) || containers.contains(&n) || !view.exists(n, rev) {
            continue;
        }
        let Some(found) = view.find(n, rev, true) else {
            continue;
        };
        let r = ObjRef {
            num: n,
            gen: found.entry.gen(),
        };
        // A linearization dictionary and its hint stream are read by position, not by reference.
        if let Ok(o) = view.resolve(r, rev) {
            if o.as_dict().is_some_and(|d| d.contains(b"Linearized")) {
                continue;
            }
        }
        out.push(r);
        if out.len() >= 1000 {
            break;
        }
    }
    out
}

/// Compares revision `new` with the signed revision `old`.
fn step(
    view: &View<'_>,
    old: usize,
    new: usize,
    graph: &Graph,
) -> Result<(RevisionChanges, Vec<FieldChange>)> {
    let mut cx = StepCx {
        view,
        old,
        new,
        graph,
        approvals: HashMap::new(),
        findings: Vec::new(),
        fields: Vec::new(),
    };
    rules::containers(&mut cx);
    type RuleFn = fn(&mut StepCx<'_, '_>) -> Result<()>;
    let all: [(&str, RuleFn); 6] = [
        ("trailer", rules::trailer),
        ("catalog", rules::catalog),
        ("document information", rules::info_and_metadata),
        ("DSS", rules::dss),
        ("form", forms::form),
        ("annotation", forms::annotations),
    ];
    for (name, rule) in all {
        // An object a rule needs cannot be read: nothing it would have cleared is.
        if let Err(e) = rule(&mut cx) {
            if e.limit_name().is_some() {
                return Err(e);
            }
            cx.reject(
                None,
                format!("the {name} rule could not read the document: {e}"),
            );
        }
    }
    let listed = view
        .store
        .revs
        .get(new)
        .map(|t| t.listed())
        .unwrap_or_default();
    let reach = reachable_now(view, old, new, graph)?;
    let mut changes = Vec::new();
    for num in listed {
        if let Some(c) = classify(&cx, num, &reach)? {
            changes.push(c);
        }
    }
    changes.append(&mut cx.findings);
    let level = changes
        .iter()
        .map(|c| c.level)
        .max()
        .unwrap_or(ModificationLevel::None);
    Ok((
        RevisionChanges {
            revision: new,
            level,
            changes,
        },
        cx.fields,
    ))
}

/// Objects reached from the trailer of `new`: unchanged objects keep the references they
/// had in `old`; objects listed since are read as of `new`.
fn reachable_now(view: &View<'_>, old: usize, new: usize, g: &Graph) -> Result<HashSet<u32>> {
    let changed: HashSet<u32> = (old + 1..=new)
        .filter_map(|k| view.store.revs.get(k))
        .flat_map(|t| t.listed())
        .collect();
    let trailer = view
        .store
        .revs
        .get(new)
        .and_then(|t| t.trailer())
        .cloned()
        .unwrap_or_default();
    let mut found = Vec::new();
    graph::refs_in(&Object::Dict(trailer), &mut Vec::new(), &mut found, 0);
    let mut queue: VecDeque<u32> = found.into_iter().map(|(_, r)| r.num).collect();
    queue.extend(g.dangling.iter().copied());
    let mut seen = HashSet::new();
    while let Some(n) = queue.pop_front() {
        if !seen.insert(n) {
            continue;
        }
        if seen.len() > view.store.limits.max_objects {
            break;
        }
        if changed.contains(&n) {
            let Some(f) = view.find(n, new, true) else {
                continue;
            };
            let Ok(o) = view.resolve(
                ObjRef {
                    num: n,
                    gen: f.entry.gen(),
                },
                new,
            ) else {
                continue;
            };
            let mut more = Vec::new();
            graph::refs_in(&o, &mut Vec::new(), &mut more, 0);
            queue.extend(more.into_iter().map(|(_, r)| r.num));
        } else if let Some(adj) = g.adjacency.get(&n) {
            queue.extend(adj.iter().copied());
        }
    }
    Ok(seen)
}

fn change(
    object: ObjRef,
    kind: ChangeKind,
    level: ModificationLevel,
    rule: Option<Rule>,
    detail: Option<String>,
) -> Option<ObjectChange> {
    Some(ObjectChange {
        object: Some(object),
        kind,
        level,
        rule,
        detail,
    })
}

/// The verdict on one listed object.
fn classify(cx: &StepCx<'_, '_>, num: u32, reach: &HashSet<u32>) -> Result<Option<ObjectChange>> {
    let view = cx.view;
    let old_f = view.find(num, cx.old, true);
    let new_f = view.find(num, cx.new, true);
    let in_use = |f: Option<super::store::Found>| {
        matches!(
            f.map(|f| f.entry),
            Some(Entry::InFile { .. } | Entry::InStream { .. })
        )
    };
    let gen = |f: Option<super::store::Found>| f.map_or(0, |f| f.entry.gen());
    let r = ObjRef {
        num,
        gen: gen(new_f),
    };
    let approvals = cx
        .approvals
        .get(&num)
        .map(Vec::as_slice)
        .unwrap_or_default();
    match (in_use(old_f), in_use(new_f)) {
        (false, false) => Ok(None),
        (true, false) => Ok(change(
            ObjRef {
                num,
                gen: gen(old_f),
            },
            ChangeKind::Freed,
            ModificationLevel::Other,
            None,
            Some("an object of the signed revision was freed".into()),
        )),
        (false, true) => {
            if let Err(e) = view.resolve(r, cx.new) {
                return Ok(change(
                    r,
                    ChangeKind::Added,
                    ModificationLevel::Other,
                    None,
                    Some(format!("unreadable: {e}")),
                ));
            }
            if let Some(a) = approvals.iter().min_by_key(|a| a.level) {
                return Ok(change(r, ChangeKind::Added, a.level, Some(a.rule), None));
            }
            if !reach.contains(&num) {
                return Ok(change(
                    r,
                    ChangeKind::Added,
                    ModificationLevel::LtaUpdates,
                    Some(Rule::Orphan),
                    None,
                ));
            }
            Ok(change(
                r,
                ChangeKind::Added,
                ModificationLevel::Other,
                None,
                Some("no rule explains this new object".into()),
            ))
        }
        (true, true) => {
            let or = ObjRef {
                num,
                gen: gen(old_f),
            };
            let (a, b) = match (view.resolve(or, cx.old), view.resolve(r, cx.new)) {
                (Ok(a), Ok(b)) => (a, b),
                (_, Err(e)) | (Err(e), _) => {
                    return Ok(change(
                        r,
                        ChangeKind::Changed,
                        ModificationLevel::Other,
                        None,
                        Some(format!("unreadable: {e}")),
                    ));
                }
            };
            if or == r && graph::same(view, &a, &b)? {
                return Ok(change(
                    r,
                    ChangeKind::Identical,
                    ModificationLevel::None,
                    Some(Rule::Identical),
                    None,
                ));
            }
            Ok(Some(cleared(cx, r, approvals)))
        }
    }
}

/// A changed object of the signed revision: every place that referred to it must be
/// cleared (or the object cleared as a whole).
fn cleared(cx: &StepCx<'_, '_>, r: ObjRef, approvals: &[Approval]) -> ObjectChange {
    let mk = |level, rule, detail: Option<String>| ObjectChange {
        object: Some(r),
        kind: ChangeKind::Changed,
        level,
        rule,
        detail,
    };
    let Some(least) = approvals.iter().min_by_key(|a| a.level) else {
        return mk(
            ModificationLevel::Other,
            None,
            Some("no rule explains this change".to_string()),
        );
    };
    let blanket = approvals.iter().any(|a| matches!(a.via, Via::Any));
    if !cx.graph.unreadable.is_empty() && !blanket {
        return mk(
            ModificationLevel::Other,
            None,
            Some(
                "objects of the signed revision are unreadable, so other uses cannot be ruled out"
                    .into(),
            ),
        );
    }
    let edges: Vec<&Edge> = cx
        .graph
        .referrers
        .get(&r.num)
        .map(|v| v.iter().filter(|e| !e.is_back_link()).collect())
        .unwrap_or_default();
    if edges.is_empty() {
        return mk(least.level, Some(least.rule), None);
    }
    let mut level = ModificationLevel::None;
    let mut rule = least.rule;
    for e in edges {
        let best = approvals
            .iter()
            .filter(|a| match &a.via {
                Via::Any => true,
                Via::Edge(x) => x == e,
            })
            .min_by_key(|a| a.level);
        let Some(a) = best else {
            return mk(
                ModificationLevel::Other,
                None,
                Some(format!(
                    "also used at {e} in the signed revision, which no rule clears"
                )),
            );
        };
        if a.level >= level {
            level = a.level;
            rule = a.rule;
        }
    }
    mk(level, Some(rule), None)
}
