//! Report: every JSON shape the crate emits, each carrying a `format` string with a version —
//! [`document`] (`sigbridge-report/2`, and its brief form [`compact`], `sigbridge-summary/1`), [`path`] (`sigbridge-path/1`), [`trust`]
//! (`sigbridge-trust-lists/1`), [`inspect`] (`sigbridge-inspect/1`) and [`timestamp`]
//! (`sigbridge-timestamp/1`) — and the JSON Schema that describes them all ([`SCHEMA`]);
//! [`error`] (`sigbridge-error/1`) when there is no report.
//! Beside the shapes, what people read: [`words`] (every indication, sub-indication, rule and
//! wrong-file case in sentences), [`summary`] (the per-jurisdiction, per-signer verdict lines),
//! [`html`] (the printable report) and [`lang`] (its languages).

pub mod chain;
pub mod compact;
pub mod document;
pub mod error;
pub mod html;
pub mod inspect;
pub mod lang;
pub mod path;
pub mod pdf;
pub mod summary;
pub mod timestamp;
pub mod trust;
pub mod words;

/// The JSON Schema (draft 2020-12) of every shape above, selected by `format`.
pub const SCHEMA: &str = include_str!("sigbridge.schema.json");
