//! Report: the JSON shapes the crate emits, each carrying a `format` string with a version,
//! and [`inspect`] (what a file holds, for people and programs).

pub mod document;
pub mod inspect;
pub mod path;
