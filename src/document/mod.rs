//! Signed document formats read by sigbridge beyond CMS and S/MIME: today [`pdf`].

pub mod pdf;
