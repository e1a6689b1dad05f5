//! The library's module tree stays in data-flow order without import cycles (run by
//! `cargo test`, so by CI): every `crate::…` path in the code of a stage names the same stage,
//! an earlier stage, or one of the leaves beside the flow; and no two sibling modules of a
//! stage import each other, directly or through others. Comments and doc links are not
//! imports and are ignored.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The stages in data-flow order; each may import only itself, earlier stages and the leaves.
/// `revocation` comes before `validate` because path validation checks revocation (and
/// validates CRL signers through revocation's resolver hook, which validate implements).
const STAGES: &[&str] = &[
    "asn1",
    "input",
    "crypto",
    "x509",
    "document",
    "path",
    "revocation",
    "validate",
    "trust",
    "recognition",
    "report",
    "verify",
    "api",
];

/// Beside the flow: imported by any stage, importing none.
const LEAVES: &[&str] = &["limits", "verdict", "cache", "test_support"];

/// What the crate root re-exports, by the stage that owns it.
fn root_reexport(name: &str) -> Option<&'static str> {
    Some(match name {
        "Limits" => "limits",
        "DocumentReport" | "SignerReport" => "report",
        "Jurisdiction" | "TrustStores" => "trust",
        "Check" | "Indication" | "Rule" | "Status" | "SubIndication" | "Verdict" => "verdict",
        "Call" | "Verifier" | "VerifierBuilder" | "VerifierConfig" | "VerifyError" => "verify",
        _ => return None,
    })
}

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without comments (line comments, doc comments, block comments) and
/// without the contents of string literals.
fn code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            while i + 1 < b.len() && !b[i..].starts_with(b"*/") {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// `crate::a::b` references in `code`: (a, Some(b)) — `b` when it is a lower-case module name.
fn crate_refs(code: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for (pos, _) in code.match_indices("crate::") {
        if pos > 0 && code[..pos].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue; // e.g. `sigbridge_crate::`
        }
        let rest = &code[pos + 7..];
        let mut parts = rest.split("::");
        let first: String = parts
            .next()
            .unwrap_or_default()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let second: Option<String> = parts.next().map(|s| {
            s.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        });
        let second = second.filter(|s| s.chars().next().is_some_and(|c| c.is_lowercase()));
        if !first.is_empty() {
            out.push((first, second));
        }
    }
    out
}

/// (top-level module, second-level module) of a file under src/.
fn module_of(file: &Path) -> (String, Option<String>) {
    let rel = file.strip_prefix(src()).unwrap();
    let parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    let top = parts[0].clone();
    let second = parts.get(1).filter(|s| *s != "mod").cloned();
    (top, second)
}

fn library_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.retain(|f| {
        let (top, _) = module_of(f);
        top != "cli" && top != "main" && top != "lib"
    });
    files
}

#[test]
fn stages_import_only_earlier_stages_and_leaves() {
    let rank = |m: &str| STAGES.iter().position(|s| *s == m);
    let mut violations = Vec::new();
    let mut edges = 0;
    for f in library_files() {
        let (top, _) = module_of(&f);
        let text = code(&std::fs::read_to_string(&f).unwrap());
        for (to, _) in crate_refs(&text) {
            let to = root_reexport(&to).map_or(to, str::to_owned);
            if to == top {
                continue;
            }
            edges += 1;
            let ok = match (rank(&top), rank(&to)) {
                _ if LEAVES.contains(&to.as_str()) => {
                    !LEAVES.contains(&top.as_str()) || to == "limits"
                }
                (Some(a), Some(b)) => b < a,
                (None, Some(_)) => false, // a leaf importing a stage
                (_, None) => false,       // an unknown module
            };
            if !ok {
                violations.push(format!("{}: {top} imports {to}", f.display()));
            }
        }
    }
    assert!(
        edges > 50,
        "the scan found only {edges} cross-module imports"
    );
    assert!(violations.is_empty(), "{violations:#?}");
    // Every top-level module of the library is a stage or a leaf.
    for e in std::fs::read_dir(src()).unwrap() {
        let name = e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        assert!(
            STAGES.contains(&name.as_str())
                || LEAVES.contains(&name.as_str())
                || ["cli", "main", "lib"].contains(&name.as_str()),
            "src/{name} is neither a stage nor a leaf: add it to STAGES or LEAVES"
        );
    }
}

/// A file's module path: `src/document/cms/attrs.rs` → `["document", "cms", "attrs"]`.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    parts
}

/// Every module's path segments after `crate::` or `super::`, as written.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    code.match_indices(prefix)
        .filter(|(pos, _)| {
            *pos == 0
                || !code[..*pos].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':')
        })
        .map(|(pos, _)| {
            code[pos + prefix.len()..]
                .split("::")
                .map(|s| {
                    s.chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect::<String>()
                })
                .take_while(|s| s.chars().next().is_some_and(|c| c.is_lowercase()))
                .collect()
        })
        .collect()
}

#[test]
fn sibling_modules_have_no_import_cycles() {
    let files = library_files();
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_path(f)).collect();
    // The longest known module that `path` (from the crate root) names.
    let resolve = |path: &[String]| -> Option<Vec<String>> {
        (1..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|p| modules.contains(p))
    };
    // Edges between siblings: modules with the same parent. (A parent's `pub use child::…`
    // and a child's `use super::Type` are ownership, not a cycle between siblings.)
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for f in &files {
        let me = module_path(f);
        let text = code(&std::fs::read_to_string(f).unwrap());
        let parent = &me[..me.len() - 1];
        let mut targets: Vec<Vec<String>> = paths_after(&text, "crate::")
            .into_iter()
            .filter_map(|p| resolve(&p))
            .collect();
        for p in paths_after(&text, "super::") {
            let mut full = parent.to_vec();
            full.extend(p);
            targets.extend(resolve(&full));
        }
        for t in targets {
            // Bring the target up to the level of `me`'s siblings.
            if t.len() >= me.len() && t[..me.len() - 1] == *parent && t[..me.len()] != me[..] {
                graph
                    .entry(me.clone())
                    .or_default()
                    .insert(t[..me.len()].to_vec());
            }
        }
        graph.entry(me).or_default();
    }
    fn visit(
        n: &Vec<String>,
        g: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        stack: &mut Vec<Vec<String>>,
        done: &mut BTreeSet<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        if let Some(i) = stack.iter().position(|s| s == n) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(n.clone());
            return Some(cycle);
        }
        if done.contains(n) {
            return None;
        }
        stack.push(n.clone());
        for m in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, g, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(n.clone());
        None
    }
    let edges: usize = graph.values().map(BTreeSet::len).sum();
    assert!(
        graph.len() > 40 && edges > 20,
        "{} modules, {edges} sibling edges",
        graph.len()
    );
    let mut done = BTreeSet::new();
    for n in graph.keys() {
        if let Some(cycle) = visit(n, &graph, &mut Vec::new(), &mut done) {
            let names: Vec<String> = cycle.iter().map(|c| c.join("::")).collect();
            panic!(
                "import cycle between sibling modules: {}",
                names.join(" → ")
            );
        }
    }
}

#[test]
fn the_scanner_sees_imports_and_ignores_comments() {
    let text = "use crate::x509::Certificate;\n// crate::verify in a comment\n/// [`crate::report`] doc link\nlet s = \"crate::trust\";\nfn f() { crate::asn1::oid::known::DATA; }";
    let refs: Vec<String> = crate_refs(&code(text))
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(refs, ["x509", "asn1"]);
    assert_eq!(
        crate_refs("crate::document::cms::parse")[0],
        ("document".to_string(), Some("cms".to_string()))
    );
}
