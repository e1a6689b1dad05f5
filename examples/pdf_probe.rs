//! Prints what the PDF layer finds in each file: revisions, warnings, signatures, their
//! coverage and the changes after them (a development aid; `sigbridge inspect` will do this).
//!
//! ```text
//! cargo run --example pdf_probe -- FILE.pdf [--changes]
//! ```

use sigbridge::document::pdf::{FileSource, PdfDocument};
use sigbridge::Limits;

fn main() {
    let mut show_changes = false;
    for a in std::env::args().skip(1) {
        if a == "--changes" {
            show_changes = true;
            continue;
        }
        println!("== {a}");
        let src = match FileSource::open(&a) {
            Ok(s) => s,
            Err(e) => {
                println!("  open: {e}");
                continue;
            }
        };
        let doc = match PdfDocument::open(src, &Limits::default()) {
            Ok(d) => d,
            Err(e) => {
                println!("  ERROR {e}");
                continue;
            }
        };
        for r in doc.revisions() {
            println!(
                "  rev {} xref@{} {:?} end {} entries {}{}",
                r.index,
                r.xref_offset,
                r.xref_kind,
                r.end,
                r.entries,
                if r.linearized { " linearized" } else { "" }
            );
        }
        for w in doc.warnings() {
            println!("  warning {w:?}");
        }
        let sigs = match doc.signatures() {
            Ok(s) => s,
            Err(e) => {
                println!("  signatures: ERROR {e}");
                continue;
            }
        };
        for s in &sigs {
            println!(
                "  sig {} {:?} {:?} {:?} rev {} page {:?} br {:?} problems {:?} transforms {:?} cms0 {:?}",
                s.index,
                s.field_name,
                s.kind,
                s.sub_filter,
                s.revision,
                s.page,
                s.byte_range,
                s.problems,
                s.transforms,
                s.cms().and_then(|c| c.first())
            );
            match doc.coverage(s) {
                Ok(c) => println!(
                    "    coverage {:?} {:?} end {:?} rev {:?}",
                    c.level, c.problems, c.signed_end, c.covered_revision
                ),
                Err(e) => println!("    coverage ERROR {e}"),
            }
            match doc.modifications(s) {
                Ok(m) => {
                    println!("    modifications {:?} {:?} docmdp {:?} locks {:?} pages {:?}/{:?} unreferenced {}", m.status, m.level, m.docmdp.as_ref().map(|d| (d.permission, d.exceeded)), m.field_locks.as_ref().map(|l| l.violated), m.pages_signed, m.pages_final, m.unreferenced_in_signed_revision.len());
                    for r in &m.revisions {
                        for c in &r.changes {
                            if show_changes
                                || c.level == sigbridge::document::pdf::ModificationLevel::Other
                            {
                                println!(
                                    "      r{} {:?} {:?} {:?} {:?} {}",
                                    r.revision,
                                    c.object,
                                    c.kind,
                                    c.level,
                                    c.rule,
                                    c.detail.clone().unwrap_or_default()
                                );
                            }
                        }
                    }
                }
                Err(e) => println!("    modifications ERROR {e}"),
            }
        }
        match doc.dss() {
            Ok(d) => {
                for x in d {
                    println!(
                        "  dss rev {} certs {} ocsps {} crls {} vri {} problems {:?}",
                        x.revision,
                        x.certs.len(),
                        x.ocsps.len(),
                        x.crls.len(),
                        x.vri.len(),
                        x.problems
                    );
                }
            }
            Err(e) => println!("  dss ERROR {e}"),
        }
    }
}
