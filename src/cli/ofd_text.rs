//! The OFD lines of `verify`'s text output: for each signature its kind, format, seal and
//! what it covers (and every referenced file changed since signing); for the package the
//! files no signature covers. Kept apart from the rest of the text rendering.

use sigbridge::report::document::{OfdSeal, OfdSignatureReport};
use sigbridge::{DocumentReport, SignerReport};

/// Lines about the package, when the document is one: the files no signature covers.
pub fn document(r: &DocumentReport) {
    let Some(o) = r.ofd.as_ref().filter(|o| !o.uncovered_files.is_empty()) else {
        return;
    };
    out!();
    out!("Files no signature covers (added or replaced after signing, or never protected):");
    for f in &o.uncovered_files {
        out!("  {f}");
    }
}

/// Lines about one OFD signature, when the signer is one.
pub fn signer(s: &SignerReport) {
    if let Some(o) = &s.ofd {
        signature(o);
    }
}

fn signature(o: &OfdSignatureReport) {
    out!(
        "  OFD {} {} ({}) in {}{}",
        o.kind,
        o.id,
        o.format.as_deref().unwrap_or("unreadable"),
        o.path.as_deref().unwrap_or("?"),
        o.signature_encoding
            .map(|e| format!(", signature {}", e.as_str()))
            .unwrap_or_default()
    );
    if let Some(seal) = &o.seal {
        out!("  seal {}, valid {}", seal_name(seal), seal_window(seal));
        if let Some(m) = &seal.maker {
            out!("  seal maker {m}");
        }
    }
    out!("  covers {} file(s)", o.covered_files.len());
    for f in &o.failed_references {
        out!("  CHANGED since signing: {f}");
    }
}

/// `"NAME" (esID …, type …, V4)`.
pub fn seal_name(seal: &OfdSeal) -> String {
    format!(
        "\"{}\" (esID {}, type {}, {})",
        seal.name, seal.es_id, seal.seal_type, seal.version
    )
}

/// `START – END`, as times when they could be read.
pub fn seal_window(seal: &OfdSeal) -> String {
    format!(
        "{} – {}",
        seal.valid_start
            .time
            .as_deref()
            .unwrap_or(&seal.valid_start.text),
        seal.valid_end
            .time
            .as_deref()
            .unwrap_or(&seal.valid_end.text)
    )
}
