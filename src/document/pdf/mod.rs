//! PDF signatures (PAdES, PKCS #7): a strict, bounded PDF reader and everything about a
//! signed PDF that does not need the CMS verdict — which signatures there are, what bytes
//! each covers, what changed after each, DocMDP and field locks, and the long-term data.
//!
//! The reader works over a random-access [`Source`] (a file is never read whole), parses
//! objects on demand and keeps **one object table per revision** with the exact byte where
//! each revision ends. There is no repair mode: a broken cross-reference table is an error,
//! never a guess. Every bound is a field of [`crate::Limits`] and exceeding it is a
//! [`PdfError::Limit`] naming that field.
//!
//! ```no_run
//! use sigbridge::document::pdf::{FileSource, PdfDocument};
//! use sigbridge::Limits;
//!
//! let doc = PdfDocument::open(FileSource::open("contract.pdf")?, &Limits::default())?;
//! for sig in doc.signatures()? {
//!     let coverage = doc.coverage(&sig)?;
//!     let changes = doc.modifications(&sig)?;
//!     let digest = doc.signed_ranges_reader(&sig)?.digest(sigbridge::crypto::DigestAlgorithm::Sha256)?;
//!     println!("{:?} {:?} {:?} {}", sig.field_name, coverage.level, changes.level, hex::encode(digest));
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Layout: [`source`] (input), `lexer`/`parser` (syntax), `filters` (stream decoding),
//! `xref`/`revisions` (cross-reference sections and the revision chain), `store` (objects
//! by revision), [`signatures`], [`coverage`], `ranges` (signed bytes), [`diff`]
//! (modification analysis, DocMDP), [`dss`] (long-term data and levels).

pub mod coverage;
pub mod diff;
pub mod dss;
mod error;
mod filters;
mod lexer;
pub mod object;
mod pages;
mod parser;
mod ranges;
mod revisions;
pub mod signatures;
pub mod source;
mod store;
pub mod text;
mod xref;

pub use coverage::{Coverage, CoverageLevel, CoverageProblem};
pub use diff::{
    ChangeKind, ModificationLevel, ModificationStatus, Modifications, ObjectChange,
    RevisionChanges, Rule,
};
pub use dss::{pades_level, Dss, DssItem, LevelFacts, LevelInputs, PadesLevel, VriEntry};
pub use error::PdfError;
pub use object::{ObjRef, Span};
pub use ranges::SignedRangesReader;
pub use revisions::Revision;
pub use signatures::{
    FieldLock, PdfSignature, SignatureKind, SignatureProblem, SubFilter, Transform,
};
pub use source::{FileSource, SeekSource, Source};
pub use xref::XrefKind;

use crate::Limits;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use store::{Store, StoreLimits};

/// Something unusual about the file that does not stop it being read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "warning")]
#[non_exhaustive]
pub enum PdfWarning {
    /// A revision uses hybrid references (`/XRefStm`): readers older than PDF 1.5 see a
    /// different document.
    HybridReferences {
        /// The revision.
        revision: usize,
    },
    /// An object resolves to something else with and without `/XRefStm`.
    HybridMismatch {
        /// The revision.
        revision: usize,
        /// The object number.
        object: u32,
    },
    /// Bytes after the last revision's `%%EOF` (objects there belong to no revision).
    TrailingData {
        /// Where they start.
        offset: u64,
        /// How many.
        length: u64,
    },
    /// The file is encrypted: signatures can be read, changes cannot be compared.
    Encrypted,
}

/// An opened PDF.
pub struct PdfDocument {
    store: Store,
    revisions: Vec<Revision>,
    warnings: Vec<PdfWarning>,
    encrypted: bool,
    limits: Limits,
}

impl std::fmt::Debug for PdfDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PdfDocument")
            .field("revisions", &self.revisions)
            .field("warnings", &self.warnings)
            .finish()
    }
}

impl PdfDocument {
    /// Opens a PDF: reads the revision chain and its cross-reference sections (objects
    /// themselves are read when needed).
    pub fn open<S: Source + 'static>(source: S, limits: &Limits) -> Result<Self, PdfError> {
        Self::open_shared(Arc::new(source), limits)
    }

    /// [`PdfDocument::open`] over a shared source.
    pub fn open_shared(source: Arc<dyn Source>, limits: &Limits) -> Result<Self, PdfError> {
        let sl = StoreLimits {
            parse: parser::ParseLimits {
                max_depth: limits.max_pdf_depth,
                max_size: limits.max_pdf_object_size,
            },
            max_objects: limits.max_pdf_objects,
            max_fields: limits.max_pdf_form_fields,
            max_inflated: limits.max_inflated_size,
            max_depth: limits.max_pdf_depth,
            max_work: limits.max_pdf_work,
        };
        let budget = source::Budget::new(limits.max_pdf_work);
        let cx = xref::Ctx {
            src: source.as_ref(),
            budget: &budget,
            parse: sl.parse,
            max_objects: sl.max_objects,
            max_inflated: sl.max_inflated,
        };
        let chain = revisions::read_chain(&cx, limits.max_pdf_revisions)?;
        let mut warnings = Vec::new();
        for t in &chain.revisions {
            if t.info.xref_kind == XrefKind::Hybrid {
                warnings.push(PdfWarning::HybridReferences {
                    revision: t.info.index,
                });
            }
        }
        if let Some((offset, length)) = chain.trailing {
            warnings.push(PdfWarning::TrailingData { offset, length });
        }
        let revisions: Vec<Revision> = chain.revisions.iter().map(|t| t.info.clone()).collect();
        let encrypted = chain
            .revisions
            .last()
            .and_then(|t| t.trailer())
            .is_some_and(|t| t.contains(b"Encrypt"));
        if encrypted {
            warnings.push(PdfWarning::Encrypted);
        }
        let store = Store::new(source, chain.revisions, sl);
        let doc = PdfDocument {
            store,
            revisions,
            warnings,
            encrypted,
            limits: limits.clone(),
        };
        let mismatches = doc.hybrid_mismatches();
        let mut doc = doc;
        doc.warnings.extend(mismatches);
        Ok(doc)
    }

    /// Objects that resolve differently for a reader that ignores `/XRefStm`.
    fn hybrid_mismatches(&self) -> Vec<PdfWarning> {
        let view = self.store.view();
        let mut out = Vec::new();
        for (i, t) in self.store.revs.iter().enumerate() {
            let nums: Vec<u32> = t
                .sections
                .iter()
                .filter_map(|s| s.hybrid.as_ref())
                .flat_map(|h| h.entries.iter().map(|(n, _)| *n))
                .collect();
            for n in nums {
                let with = view.find(n, i, true).map(|f| f.entry);
                let without = view.find(n, i, false).map(|f| f.entry);
                let in_use = |e: Option<xref::Entry>| {
                    matches!(
                        e,
                        Some(xref::Entry::InFile { .. } | xref::Entry::InStream { .. })
                    )
                };
                if in_use(without) && with != without {
                    out.push(PdfWarning::HybridMismatch {
                        revision: i,
                        object: n,
                    });
                }
            }
        }
        out
    }

    /// File length in bytes.
    pub fn len(&self) -> u64 {
        self.store.src.len()
    }

    /// Whether the file is empty (never, for an opened document).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The revisions, oldest first.
    pub fn revisions(&self) -> &[Revision] {
        &self.revisions
    }

    /// What is unusual about the file.
    pub fn warnings(&self) -> &[PdfWarning] {
        &self.warnings
    }

    /// Whether the file is encrypted (`/Encrypt` in the trailer).
    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    /// Every signature and document timestamp of the final revision's form, in field-tree
    /// order; then those that earlier revisions' forms had and the final one lost (each with
    /// [`SignatureProblem::NotInFinalRevision`]).
    pub fn signatures(&self) -> Result<Vec<PdfSignature>, PdfError> {
        let view = self.store.view();
        let last = view.last_rev();
        let (mut out, mut nodes) = signatures::find_with_nodes(&view, last, self.encrypted)?;
        let mut seen: std::collections::HashSet<ObjRef> =
            out.iter().filter_map(|s| s.value).collect();
        for rev in (0..last).rev() {
            // Revision rev has the same field tree as rev + 1 unless rev + 1 rewrote an
            // object the walk of rev + 1 read (removing a field rewrites its parent).
            let changed = self
                .store
                .revs
                .get(rev + 1)
                .is_some_and(|t| t.listed().iter().any(|n| nodes.contains(n)));
            if !changed {
                continue;
            }
            let Ok((earlier, earlier_nodes)) =
                signatures::find_with_nodes(&view, rev, self.encrypted)
            else {
                continue;
            };
            nodes = earlier_nodes;
            for mut s in earlier {
                let Some(v) = s.value else { continue };
                if seen.insert(v) {
                    s.problems
                        .push(SignatureProblem::NotInFinalRevision { last_revision: rev });
                    s.index = out.len();
                    out.push(s);
                }
            }
        }
        Ok(out)
    }

    /// What `sig` covers.
    pub fn coverage(&self, sig: &PdfSignature) -> Result<Coverage, PdfError> {
        coverage::evaluate(
            self.store.src.as_ref(),
            &self.revisions,
            sig,
            self.store.limits.parse,
            self.limits.max_pdf_work,
        )
    }

    /// What changed after `sig` (its coverage is computed first).
    pub fn modifications(&self, sig: &PdfSignature) -> Result<Modifications, PdfError> {
        let cov = self.coverage(sig)?;
        self.modifications_with(sig, &cov)
    }

    /// [`PdfDocument::modifications`] with `sig`'s coverage computed already (by
    /// [`PdfDocument::coverage`]), so that it is not evaluated twice.
    pub fn modifications_with(
        &self,
        sig: &PdfSignature,
        cov: &Coverage,
    ) -> Result<Modifications, PdfError> {
        let view = self.store.view();
        let mut m = diff::analyze(&view, &self.revisions, sig, cov, self.encrypted)?;
        let trailing = self.warnings.iter().find_map(|w| match w {
            PdfWarning::TrailingData { offset, length } => Some(Span {
                start: *offset,
                end: offset + length,
            }),
            _ => None,
        });
        if let (Some(t), false) = (trailing, cov.level == CoverageLevel::EntireFile) {
            m.trailing_data = Some(t);
            m.level = ModificationLevel::Other;
        }
        Ok(m)
    }

    /// The DSS of each revision in which it changed.
    pub fn dss(&self) -> Result<Vec<Dss>, PdfError> {
        let view = self.store.view();
        dss::per_revision(&view, self.limits.max_file_size)
    }

    /// The PDF-side inputs of `sig`'s PAdES level, given the document's signatures and DSS.
    pub fn level_inputs(
        &self,
        sig: &PdfSignature,
        all: &[PdfSignature],
        dss: &[Dss],
    ) -> LevelInputs {
        let dss_after = dss
            .iter()
            .find(|d| {
                d.revision > sig.revision
                    && !(d.certs.is_empty()
                        && d.ocsps.is_empty()
                        && d.crls.is_empty()
                        && d.vri.is_empty())
            })
            .map(|d| d.revision);
        let vri_after = match (&sig.contents, sig.cms()) {
            (Some(c), Some(cms)) => dss
                .iter()
                .any(|d| d.revision > sig.revision && d.vri_for(c, cms).is_some()),
            _ => false,
        };
        let mut doc_timestamps_after: Vec<usize> = all
            .iter()
            .filter(|s| s.kind == SignatureKind::DocumentTimestamp && s.revision > sig.revision)
            .map(|s| s.revision)
            .collect();
        doc_timestamps_after.sort_unstable();
        doc_timestamps_after.dedup();
        // A document timestamp written in the same update as the DSS covers it too.
        let doc_timestamp_after_dss =
            dss_after.is_some_and(|d| doc_timestamps_after.iter().any(|&t| t >= d));
        LevelInputs {
            dss_after,
            vri_after,
            doc_timestamps_after,
            doc_timestamp_after_dss,
        }
    }

    /// A reader over the bytes `sig`'s `/ByteRange` names, streamed from the source.
    pub fn signed_ranges_reader(&self, sig: &PdfSignature) -> Result<SignedRangesReader, PdfError> {
        SignedRangesReader::new(self.store.src.clone(), sig)
    }

    /// The number of pages of revision `rev`.
    pub fn page_count(&self, rev: usize) -> Result<usize, PdfError> {
        let view = self.store.view();
        pages::pages(&view, rev).map(|p| p.len())
    }
}

#[cfg(test)]
mod tests;
