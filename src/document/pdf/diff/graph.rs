//! The object graph of one revision: what the trailer reaches, who refers to whom (with
//! the key path inside the referring object), dangling references, and deep equality of
//! objects between revisions.

use super::super::error::{PdfError, Result};
use super::super::object::{Dict, ObjRef, Object, Stream};
use super::super::source::read_exact_at;
use super::super::store::View;
use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;

/// One step of a path inside an object.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Step {
    Key(Vec<u8>),
    Index(usize),
}

/// What holds a reference: the trailer or an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Holder {
    Trailer,
    Obj(u32),
}

/// A reference's place: its holder and the path inside it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Edge {
    pub(crate) holder: Holder,
    pub(crate) path: Vec<Step>,
}

impl Edge {
    pub(crate) fn new(holder: Holder, path: &[&[u8]]) -> Self {
        Edge {
            holder,
            path: path.iter().map(|k| Step::Key(k.to_vec())).collect(),
        }
    }

    /// Back-links (`/Parent`, `/P`, `/Pg`, and `/Obj` of a structure element's object
    /// reference) point at an ancestor or owner reached forwards anyway; they do not make
    /// an object appear anywhere new.
    pub(crate) fn is_back_link(&self) -> bool {
        matches!(self.path.last(), Some(Step::Key(k)) if matches!(k.as_slice(), b"Parent" | b"P" | b"Pg" | b"Obj" | b"StructParent"))
    }
}

impl fmt::Display for Edge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.holder {
            Holder::Trailer => write!(f, "trailer")?,
            Holder::Obj(n) => write!(f, "object {n}")?,
        }
        for s in &self.path {
            match s {
                Step::Key(k) => write!(f, "{}", super::super::object::name_str(k))?,
                Step::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// Every reference inside `o`, with its path.
pub(crate) fn refs_in(
    o: &Object,
    path: &mut Vec<Step>,
    out: &mut Vec<(Vec<Step>, ObjRef)>,
    depth: usize,
) {
    if depth > 128 {
        return;
    }
    match o {
        Object::Ref(r) => out.push((path.clone(), *r)),
        Object::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(Step::Index(i));
                refs_in(x, path, out, depth + 1);
                path.pop();
            }
        }
        Object::Dict(d) | Object::Stream(Stream { dict: d, .. }) => {
            for (k, v) in &d.0 {
                path.push(Step::Key(k.clone()));
                refs_in(v, path, out, depth + 1);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The graph of revision `rev` as reached from its trailer.
pub(crate) struct Graph {
    /// Objects reached.
    pub(crate) reachable: HashSet<u32>,
    /// Object → the objects it refers to.
    pub(crate) adjacency: HashMap<u32, Vec<u32>>,
    /// For the objects of interest: every place that refers to them.
    pub(crate) referrers: HashMap<u32, Vec<Edge>>,
    /// For every object: who refers to it, and whether through a back-link key.
    pub(crate) holders: HashMap<u32, Vec<(Holder, bool)>>,
    /// References to objects that do not exist in this revision.
    pub(crate) dangling: HashSet<u32>,
    /// Objects that could not be read (their references are unknown).
    pub(crate) unreadable: Vec<(u32, String)>,
}

/// Walks revision `rev` from its trailer, keeping referrer paths for `interest`.
pub(crate) fn walk(view: &View<'_>, rev: usize, interest: &HashSet<u32>) -> Result<Graph> {
    let trailer = view
        .store
        .revs
        .get(rev)
        .and_then(|t| t.trailer())
        .cloned()
        .ok_or_else(|| PdfError::structure(format!("revision {rev} has no trailer")))?;
    let mut g = Graph {
        reachable: HashSet::new(),
        adjacency: HashMap::new(),
        referrers: HashMap::new(),
        holders: HashMap::new(),
        dangling: HashSet::new(),
        unreadable: Vec::new(),
    };
    let mut queue: VecDeque<ObjRef> = VecDeque::new();
    let mut found = Vec::new();
    refs_in(&Object::Dict(trailer), &mut Vec::new(), &mut found, 0);
    g.note(Holder::Trailer, found, interest, &mut queue, view, rev);
    let max = view.store.limits.max_objects;
    while let Some(r) = queue.pop_front() {
        if g.reachable.len() > max {
            return Err(PdfError::limit(
                "max_pdf_objects",
                max as u64,
                "the objects reachable in one revision",
            ));
        }
        match view.resolve(r, rev) {
            Ok(obj) => {
                let mut found = Vec::new();
                refs_in(&obj, &mut Vec::new(), &mut found, 0);
                g.adjacency
                    .insert(r.num, found.iter().map(|(_, t)| t.num).collect());
                g.note(Holder::Obj(r.num), found, interest, &mut queue, view, rev);
            }
            Err(e) if e.limit_name().is_some() => return Err(e),
            Err(e) => g.unreadable.push((r.num, e.to_string())),
        }
    }
    Ok(g)
}

impl Graph {
    fn note(
        &mut self,
        holder: Holder,
        found: Vec<(Vec<Step>, ObjRef)>,
        interest: &HashSet<u32>,
        queue: &mut VecDeque<ObjRef>,
        view: &View<'_>,
        rev: usize,
    ) {
        for (path, t) in found {
            let back = Edge {
                holder,
                path: Vec::new(),
            };
            let back = matches!(path.last(), Some(Step::Key(_)))
                && Edge {
                    path: path.clone(),
                    ..back
                }
                .is_back_link();
            self.holders.entry(t.num).or_default().push((holder, back));
            if interest.contains(&t.num) {
                self.referrers
                    .entry(t.num)
                    .or_default()
                    .push(Edge { holder, path });
            }
            if !view.exists(t.num, rev) {
                self.dangling.insert(t.num);
                continue;
            }
            if self.reachable.insert(t.num) {
                queue.push_back(t);
            }
        }
    }
}

/// Deep equality of two objects (references compared as references; streams by
/// dictionary and encoded bytes).
pub(crate) fn same(view: &View<'_>, a: &Object, b: &Object) -> Result<bool> {
    Ok(match (a, b) {
        (Object::Real(x), Object::Real(y)) => x == y,
        (Object::Int(x), Object::Real(y)) | (Object::Real(y), Object::Int(x)) => (*x as f64) == *y,
        (Object::String(x), Object::String(y)) => x.bytes == y.bytes,
        (Object::Array(x), Object::Array(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            for (p, q) in x.iter().zip(y) {
                if !same(view, p, q)? {
                    return Ok(false);
                }
            }
            true
        }
        (Object::Dict(x), Object::Dict(y)) => dict_diff(view, x, y, &[])?.is_empty(),
        (Object::Stream(x), Object::Stream(y)) => {
            dict_diff(view, &x.dict, &y.dict, &[])?.is_empty() && same_data(view, x, y)?
        }
        (x, y) => x == y,
    })
}

/// Keys (outside `ignore`) whose values differ, are added or removed.
pub(crate) fn dict_diff(
    view: &View<'_>,
    a: &Dict,
    b: &Dict,
    ignore: &[&[u8]],
) -> Result<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    for (k, v) in &a.0 {
        if ignore.contains(&k.as_slice()) {
            continue;
        }
        match b.get(k) {
            Some(w) if same(view, v, w)? => {}
            _ => out.push(k.clone()),
        }
    }
    for (k, _) in &b.0 {
        if !ignore.contains(&k.as_slice()) && !a.contains(k) {
            out.push(k.clone());
        }
    }
    Ok(out)
}

fn same_data(view: &View<'_>, a: &Stream, b: &Stream) -> Result<bool> {
    if a.length != b.length {
        return Ok(false);
    }
    if a.data_offset == b.data_offset {
        return Ok(true);
    }
    let src = view.store.src.as_ref();
    let mut done = 0u64;
    let mut x = vec![0u8; 64 * 1024];
    let mut y = vec![0u8; 64 * 1024];
    while done < a.length {
        let n = (a.length - done).min(x.len() as u64) as usize;
        let (Some(xs), Some(ys)) = (x.get_mut(..n), y.get_mut(..n)) else {
            break;
        };
        read_exact_at(src, a.data_offset + done, xs)?;
        read_exact_at(src, b.data_offset + done, ys)?;
        view.budget.spend(1)?;
        if xs != ys {
            return Ok(false);
        }
        done += n as u64;
    }
    Ok(true)
}

/// Equality of content across revisions: references are followed (`a` in `ra`, `b` in
/// `rb`, up to `depth` levels), so an entry rewritten as a new object with the same
/// content counts as unchanged.
pub(crate) fn equivalent(
    view: &View<'_>,
    a: &Object,
    ra: usize,
    b: &Object,
    rb: usize,
    depth: usize,
) -> Result<bool> {
    if depth == 0 {
        return same(view, a, b);
    }
    Ok(match (a, b) {
        (Object::Ref(x), Object::Ref(y)) => {
            let (p, q) = (view.resolve(*x, ra)?, view.resolve(*y, rb)?);
            equivalent(view, &p, ra, &q, rb, depth - 1)?
        }
        (Object::Array(x), Object::Array(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            for (p, q) in x.iter().zip(y) {
                if !equivalent(view, p, ra, q, rb, depth)? {
                    return Ok(false);
                }
            }
            true
        }
        (Object::Dict(x), Object::Dict(y)) => dict_equivalent(view, x, ra, y, rb, depth)?,
        (Object::Stream(x), Object::Stream(y)) => {
            let mut xd = x.dict.clone();
            let mut yd = y.dict.clone();
            // An indirect /Length is compared by the length it gives.
            xd.0.retain(|(k, _)| k != b"Length");
            yd.0.retain(|(k, _)| k != b"Length");
            dict_equivalent(view, &xd, ra, &yd, rb, depth)? && same_data(view, x, y)?
        }
        (x, y) => same(view, x, y)?,
    })
}

fn dict_equivalent(
    view: &View<'_>,
    x: &Dict,
    ra: usize,
    y: &Dict,
    rb: usize,
    depth: usize,
) -> Result<bool> {
    if x.len() != y.len() {
        return Ok(false);
    }
    for (k, v) in &x.0 {
        match y.get(k) {
            Some(w) if equivalent(view, v, ra, w, rb, depth)? => {}
            _ => return Ok(false),
        }
    }
    Ok(true)
}
