//! Objects on demand: resolving `num gen R` as of a revision (classic entries, `/XRefStm`
//! entries, object streams), with bounded caches of parsed objects and decoded object
//! streams shared by all operations on one document.

use super::error::{PdfError, Result};
use super::filters;
use super::lexer::{Lexer, Tok};
use super::object::{ObjRef, Object, Stream};
use super::parser::{self, ParseLimits};
use super::revisions::RevTable;
use super::source::{Budget, FileInput, SliceInput, Source};
use super::xref::{self, Entry};
use std::cell::Cell;
use std::sync::Arc;

/// The bounds object reading obeys.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StoreLimits {
    pub(crate) parse: ParseLimits,
    pub(crate) max_objects: usize,
    pub(crate) max_fields: usize,
    pub(crate) max_inflated: usize,
    pub(crate) max_depth: usize,
    pub(crate) max_work: u64,
}

/// A decoded object stream: its data and the (number, offset) pairs of its header.
struct ObjStm {
    data: Vec<u8>,
    first: usize,
    index: Vec<(u32, usize)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Key {
    /// An object at a file offset, its `/Length` resolved in revision `rev`.
    File { offset: u64, rev: usize },
    /// Object `index` of the object stream at `offset`.
    InStream { offset: u64, rev: usize, index: u32 },
}

#[derive(Clone)]
struct Weight;

impl quick_cache::Weighter<Key, (ObjRef, Arc<Object>, u64)> for Weight {
    fn weight(&self, _: &Key, v: &(ObjRef, Arc<Object>, u64)) -> u64 {
        v.2.max(1)
    }
}

impl quick_cache::Weighter<(u64, usize), Arc<ObjStm>> for Weight {
    fn weight(&self, _: &(u64, usize), v: &Arc<ObjStm>) -> u64 {
        (v.data.len() as u64 + v.index.len() as u64 * 16).max(1)
    }
}

/// Weight capacity of the parsed-object cache (bytes of object text).
const OBJECT_CACHE: u64 = 8 << 20;
/// Weight capacity of the decoded object-stream cache (bytes).
const OBJSTM_CACHE: u64 = 16 << 20;

/// The document's objects: source, revision tables and caches.
pub(crate) struct Store {
    pub(crate) src: Arc<dyn Source>,
    pub(crate) revs: Vec<RevTable>,
    pub(crate) limits: StoreLimits,
    objects: quick_cache::sync::Cache<Key, (ObjRef, Arc<Object>, u64), Weight>,
    objstms: quick_cache::sync::Cache<(u64, usize), Arc<ObjStm>, Weight>,
}

impl Store {
    pub(crate) fn new(src: Arc<dyn Source>, revs: Vec<RevTable>, limits: StoreLimits) -> Self {
        Store {
            src,
            revs,
            limits,
            objects: quick_cache::sync::Cache::with_weighter(4096, OBJECT_CACHE, Weight),
            objstms: quick_cache::sync::Cache::with_weighter(64, OBJSTM_CACHE, Weight),
        }
    }

    /// A view for one operation, with its own work budget.
    pub(crate) fn view(&self) -> View<'_> {
        View {
            store: self,
            budget: Budget::new(self.limits.max_work),
            nesting: Cell::new(0),
        }
    }
}

/// One operation's access to the store.
pub(crate) struct View<'s> {
    pub(crate) store: &'s Store,
    pub(crate) budget: Budget,
    nesting: Cell<usize>,
}

/// Where an object's current definition comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) entry: Entry,
    /// The revision whose section holds the entry.
    pub(crate) rev: usize,
}

impl<'s> View<'s> {
    pub(crate) fn last_rev(&self) -> usize {
        self.store.revs.len().saturating_sub(1)
    }

    /// The entry for `num` as of revision `rev` (searching back through older ones).
    pub(crate) fn find(&self, num: u32, rev: usize, with_stm: bool) -> Option<Found> {
        let revs = self.store.revs.get(..=rev)?;
        revs.iter()
            .enumerate()
            .rev()
            .find_map(|(i, t)| t.entry(num, with_stm).map(|entry| Found { entry, rev: i }))
    }

    /// Whether object `num` exists (in use) as of revision `rev`.
    pub(crate) fn exists(&self, num: u32, rev: usize) -> bool {
        matches!(
            self.find(num, rev, true),
            Some(Found {
                entry: Entry::InFile { .. } | Entry::InStream { .. },
                ..
            })
        )
    }

    /// Resolves `r` as of revision `rev`: null for a free, missing or other-generation object.
    pub(crate) fn resolve(&self, r: ObjRef, rev: usize) -> Result<Arc<Object>> {
        self.budget.spend(1)?;
        let Some(found) = self.find(r.num, rev, true) else {
            return Ok(Arc::new(Object::Null));
        };
        match found.entry {
            Entry::Free { .. } => Ok(Arc::new(Object::Null)),
            Entry::InFile { offset, gen } => {
                if gen != r.gen {
                    return Ok(Arc::new(Object::Null));
                }
                self.file_object(r, offset, found.rev)
            }
            Entry::InStream { stream, index } => {
                if r.gen != 0 {
                    return Ok(Arc::new(Object::Null));
                }
                self.stream_object(r.num, stream, index, found.rev)
                    .map_err(|e| e.in_object(r.num, r.gen))
            }
        }
    }

    /// The object behind `o` if it is a reference, else `o` itself.
    pub(crate) fn deref(&self, o: &Object, rev: usize) -> Result<Arc<Object>> {
        match o {
            Object::Ref(r) => self.resolve(*r, rev),
            other => Ok(Arc::new(other.clone())),
        }
    }

    fn enter(&self) -> Result<NestGuard<'_>> {
        let n = self.nesting.get() + 1;
        if n > self.store.limits.max_depth.min(16) {
            return Err(PdfError::limit(
                "max_pdf_depth",
                self.store.limits.max_depth.min(16) as u64,
                "the chain of objects needed to read one object (/Length, object streams)",
            ));
        }
        self.nesting.set(n);
        Ok(NestGuard(&self.nesting))
    }

    fn file_object(&self, r: ObjRef, offset: u64, rev: usize) -> Result<Arc<Object>> {
        let key = Key::File { offset, rev };
        if let Some((got, obj, _)) = self.store.objects.get(&key) {
            return check_header(r, got, obj);
        }
        let _g = self.enter()?;
        let src: &dyn Source = self.store.src.as_ref();
        let mut lex = Lexer::new(
            FileInput::new(src),
            offset,
            &self.budget,
            self.store.limits.parse.max_size,
        );
        let ind = parser::parse_indirect(&mut lex, self.store.limits.parse, src.len(), &mut |lr| {
            match *self.resolve(lr, rev)? {
                Object::Int(n) => Ok(n),
                ref o => Err(PdfError::structure(format!(
                    "/Length {lr} is a {}, not an integer",
                    o.type_name()
                ))),
            }
        })
        .map_err(|e| e.in_object(r.num, r.gen))?;
        let got = ObjRef {
            num: ind.num,
            gen: ind.gen,
        };
        let obj = Arc::new(ind.obj);
        self.store
            .objects
            .insert(key, (got, obj.clone(), ind.end.saturating_sub(offset)));
        check_header(r, got, obj)
    }

    fn stream_object(&self, num: u32, stream: u32, index: u32, rev: usize) -> Result<Arc<Object>> {
        let Some(Found {
            entry: Entry::InFile { offset, gen },
            ..
        }) = self.find(stream, rev, true)
        else {
            return Err(PdfError::structure(format!(
                "object stream {stream} is not an object in the file"
            )));
        };
        let key = Key::InStream { offset, rev, index };
        let want = ObjRef { num, gen: 0 };
        if let Some((got, obj, _)) = self.store.objects.get(&key) {
            return check_header(want, got, obj);
        }
        let stm = self.objstm(ObjRef { num: stream, gen }, offset, rev)?;
        let &(got_num, off) = stm.index.get(index as usize).ok_or_else(|| {
            PdfError::structure(format!("object stream {stream} has no entry {index}"))
        })?;
        let start = stm.first.saturating_add(off);
        let mut lex = Lexer::new(
            SliceInput(&stm.data),
            start as u64,
            &self.budget,
            self.store.limits.parse.max_size,
        );
        let obj = parser::parse_object(&mut lex, self.store.limits.parse)?;
        let weight = lex.pos().saturating_sub(start as u64);
        let got = ObjRef {
            num: got_num,
            gen: 0,
        };
        let obj = Arc::new(obj);
        self.store.objects.insert(key, (got, obj.clone(), weight));
        check_header(want, got, obj)
    }

    fn objstm(&self, r: ObjRef, offset: u64, rev: usize) -> Result<Arc<ObjStm>> {
        if let Some(s) = self.store.objstms.get(&(offset, rev)) {
            return Ok(s);
        }
        let _g = self.enter()?;
        let obj = self.file_object(r, offset, rev)?;
        let Object::Stream(s) = obj.as_ref() else {
            return Err(PdfError::structure(format!(
                "object stream {r} is not a stream"
            )));
        };
        if s.dict.name(b"Type") != Some(b"ObjStm") {
            return Err(PdfError::structure(format!(
                "object stream {r} is not /Type /ObjStm"
            )));
        }
        let data = self.stream_data(s).map_err(|e| e.in_object(r.num, r.gen))?;
        let int = |k: &[u8]| {
            s.dict
                .get(k)
                .and_then(Object::as_int)
                .and_then(|v| usize::try_from(v).ok())
        };
        let (Some(n), Some(first)) = (int(b"N"), int(b"First")) else {
            return Err(PdfError::structure(format!(
                "object stream {r} lacks /N or /First"
            )));
        };
        if n > self.store.limits.max_objects {
            return Err(PdfError::limit(
                "max_pdf_objects",
                self.store.limits.max_objects as u64,
                format!("object stream {r}"),
            ));
        }
        if first > data.len() {
            return Err(PdfError::structure(format!(
                "object stream {r}: /First beyond its data"
            )));
        }
        let index = objstm_index(
            &data,
            n,
            first,
            &self.budget,
            self.store.limits.parse.max_size,
        )
        .map_err(|e| e.in_object(r.num, r.gen))?;
        let stm = Arc::new(ObjStm { data, first, index });
        self.store.objstms.insert((offset, rev), stm.clone());
        Ok(stm)
    }

    /// The decoded data of a stream of the file.
    pub(crate) fn stream_data(&self, s: &Stream) -> Result<Vec<u8>> {
        let max = self.store.limits.max_inflated;
        let raw = xref::raw_stream_data(self.store.src.as_ref(), s, max)?;
        self.budget.spend(raw.len() as u64 / 4096)?;
        filters::decode(raw, &s.dict, max, &self.budget)
    }
}

struct NestGuard<'a>(&'a Cell<usize>);

impl Drop for NestGuard<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

fn check_header(want: ObjRef, got: ObjRef, obj: Arc<Object>) -> Result<Arc<Object>> {
    if want != got {
        return Err(PdfError::structure(format!(
            "the cross-reference entry for {want} leads to object {} {}",
            got.num, got.gen
        ))
        .in_object(want.num, want.gen));
    }
    Ok(obj)
}

fn objstm_index(
    data: &[u8],
    n: usize,
    first: usize,
    budget: &Budget,
    max: usize,
) -> Result<Vec<(u32, usize)>> {
    let head = data.get(..first).unwrap_or_default();
    let mut lex = Lexer::new(SliceInput(head), 0, budget, max);
    let mut out = Vec::with_capacity(n.min(4096));
    for _ in 0..n {
        let a = lex.next()?.map(|t| t.tok);
        let b = lex.next()?.map(|t| t.tok);
        match (a, b) {
            (Some(Tok::Int(num)), Some(Tok::Int(off))) => {
                let num = u32::try_from(num)
                    .map_err(|_| PdfError::structure("object stream: bad object number"))?;
                let off = usize::try_from(off)
                    .map_err(|_| PdfError::structure("object stream: bad offset"))?;
                if first.saturating_add(off) > data.len() {
                    return Err(PdfError::structure("object stream: offset beyond its data"));
                }
                out.push((num, off));
            }
            _ => {
                return Err(PdfError::structure(
                    "object stream header is not /N pairs of integers",
                ))
            }
        }
    }
    Ok(out)
}
