//! Report: every JSON shape the crate emits, each carrying a `format` string with a version —
//! [`document`] (`sigbridge-report/2`), [`path`] (`sigbridge-path/1`), [`trust`]
//! (`sigbridge-trust-lists/1`) and [`inspect`] (`sigbridge-inspect/1`) — and the JSON Schema
//! that describes them all ([`SCHEMA`]).

pub mod document;
pub mod inspect;
pub mod path;
pub mod pdf;
pub mod trust;

/// The JSON Schema (draft 2020-12) of every shape above, selected by `format`.
pub const SCHEMA: &str = include_str!("sigbridge.schema.json");
