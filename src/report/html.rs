//! The printable report (`--format html`): one self-contained HTML file — no scripts, no
//! external style sheets, fonts or images — with both jurisdictions' verdicts side by side,
//! each signer, the chain as a tree, every check in words, the document's SHA-256, the
//! validation time, the tool version and the trust lists used; headings and verdict words in
//! English, 繁體中文 or 简体中文 ([`Lang`]). Everything taken from the document or the lists is
//! escaped.

use super::document::{DocumentReport, SignerReport};
use super::lang::{Lang, Text};
use super::summary::{self, JurisdictionVerdict, Standing};
use super::words;
use crate::trust::{Completeness, TrustStores};
use crate::verdict::Status;
use std::fmt::Write as _;

/// What the report says besides the verification itself.
#[derive(Clone, Debug)]
pub struct HtmlContext {
    /// The document's name as the user knows it.
    pub file: String,
    /// Lower-case hex SHA-256 of the document's bytes.
    pub document_sha256: String,
    /// The tool and its version, e.g. `sigbridge 0.1.0`.
    pub tool_version: String,
    /// One line per trust list (and file) used.
    pub trust_lists: Vec<String>,
    /// The language of headings and verdict words.
    pub lang: Lang,
}

impl HtmlContext {
    /// The context for a document's bytes, verified with `stores` (when any).
    pub fn new(file: &str, document: &[u8], stores: Option<&TrustStores>, lang: Lang) -> Self {
        HtmlContext {
            file: file.to_owned(),
            document_sha256: hex::encode(crate::crypto::sha256(document)),
            tool_version: format!("sigbridge {}", env!("CARGO_PKG_VERSION")),
            trust_lists: stores.map(trust_list_lines).unwrap_or_default(),
            lang,
        }
    }
}

/// One line per list: jurisdiction, operator, retrieval date, completeness, where it was read.
pub fn trust_list_lines(stores: &TrustStores) -> Vec<String> {
    let mut out: Vec<String> = [&stores.hk, &stores.gd]
        .into_iter()
        .map(|l| {
            format!(
                "{} list: {} (retrieved {}, {}), read from {}",
                l.jurisdiction,
                l.operator,
                l.retrieved,
                match l.completeness {
                    Completeness::Official => "official list in full",
                    Completeness::Partial => "partial transcription",
                },
                l.origin
            )
        })
        .collect();
    for l in [&stores.hk, &stores.gd] {
        for a in &l.anchors {
            if let Some(p) = &a.added_from {
                out.push(format!(
                    "{} anchor \"{}\" added from {}",
                    l.jurisdiction,
                    a.name,
                    p.display()
                ));
            }
        }
    }
    out
}

/// Escapes text for an HTML element or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:sans-serif;margin:2em;color:#111}\
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #999;padding:.25em .5em;text-align:left;vertical-align:top}\
.jurisdictions{display:flex;gap:1em}.jurisdiction{flex:1;border:2px solid #666;padding:.5em 1em}\
.standing{font-weight:bold}.valid{color:#075e07}.not-valid{color:#a40000}.not-confirmed{color:#8a5a00}\
.check.failed td{background:#fde8e8}.check.warning td{background:#fff5d6}\
ul.chain,ul.chain ul{list-style:none;padding-left:1.5em}ul.chain li::before{content:'\\2514\\2500 '}\
code{font-size:.9em;word-break:break-all}@media print{.jurisdictions{break-inside:avoid}}";

/// The report as one HTML document.
pub fn render(report: &DocumentReport, cx: &HtmlContext) -> String {
    let l = cx.lang;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        l.tag(),
        escape(l.text(Text::Title)),
        escape(&cx.file),
        escape(l.text(Text::Title))
    );
    document_section(&mut h, report, cx);
    verdict_section(&mut h, report, l);
    for (i, s) in report.signers.iter().enumerate() {
        signer_section(&mut h, s, i + 1, l);
    }
    trust_section(&mut h, cx);
    let _ = write!(
        h,
        "<footer><p>{}: {}</p></footer>\n</body>\n</html>\n",
        escape(l.text(Text::ToolVersion)),
        escape(&cx.tool_version)
    );
    h
}

fn row(h: &mut String, label: &str, value: &str) {
    let _ = writeln!(
        h,
        "<tr><th>{}</th><td>{}</td></tr>",
        escape(label),
        escape(value)
    );
}

fn document_section(h: &mut String, r: &DocumentReport, cx: &HtmlContext) {
    let l = cx.lang;
    let _ = writeln!(
        h,
        "<section id=\"document\">\n<h2>{}</h2>\n<table>",
        escape(l.text(Text::Document))
    );
    row(h, l.text(Text::File), &cx.file);
    let _ = writeln!(
        h,
        "<tr><th>SHA-256</th><td><code id=\"document-sha256\">{}</code></td></tr>",
        escape(&cx.document_sha256)
    );
    row(
        h,
        l.text(Text::ValidationTime),
        &words::both_times_of(&r.validation_time),
    );
    let indication = match r.sub_indication {
        Some(s) => format!("{} / {s}", r.indication),
        None => r.indication.to_string(),
    };
    row(h, l.text(Text::Indication), &indication);
    row(h, l.text(Text::ToolVersion), &cx.tool_version);
    h.push_str("</table>\n</section>\n");
}

fn standing_class(s: Standing) -> &'static str {
    match s {
        Standing::Valid => "valid",
        Standing::NotValid => "not-valid",
        Standing::NotConfirmed => "not-confirmed",
    }
}

fn verdict_section(h: &mut String, r: &DocumentReport, l: Lang) {
    let _ = writeln!(
        h,
        "<section id=\"verdicts\">\n<h2>{}</h2>\n<div class=\"jurisdictions\">",
        escape(l.text(Text::Verdicts))
    );
    for v in summary::verdicts(r) {
        jurisdiction_box(h, &v, l);
    }
    h.push_str("</div>\n</section>\n");
}

fn jurisdiction_box(h: &mut String, v: &JurisdictionVerdict, l: Lang) {
    let code = v.jurisdiction.code();
    let rp = if v.relying_party {
        format!(" ({})", l.text(Text::RelyingParty))
    } else {
        String::new()
    };
    let standing = v.standing();
    let _ = writeln!(
        h,
        "<div class=\"jurisdiction\" id=\"verdict-{}\" data-jurisdiction=\"{code}\">\n<h3>{}{}</h3>\n<p class=\"standing {}\" data-standing=\"{}\">{}</p>\n<ul>",
        code.to_ascii_lowercase(),
        escape(l.jurisdiction(v.jurisdiction)),
        escape(&rp),
        standing_class(standing),
        standing.words(),
        escape(l.standing(standing))
    );
    if v.signers.is_empty() {
        let _ = writeln!(h, "<li>{}</li>", escape(l.text(Text::NoSigner)));
    }
    for s in &v.signers {
        let basis = match l {
            Lang::En => s.basis.describe(v.jurisdiction),
            _ => format!(
                "{} ({})",
                l.basis(&s.basis),
                s.basis.describe(v.jurisdiction)
            ),
        };
        let _ = writeln!(
            h,
            "<li class=\"signer-verdict\" data-signer=\"{}\"><span class=\"standing {}\">{}</span> {} {}: {} — <span class=\"basis\">{}</span></li>",
            s.index,
            standing_class(s.standing),
            escape(l.standing(s.standing)),
            escape(l.text(Text::Signer)),
            s.index,
            escape(&s.name),
            escape(&basis)
        );
    }
    h.push_str("</ul>\n</div>\n");
}

fn signer_section(h: &mut String, s: &SignerReport, index: usize, l: Lang) {
    let name = summary::signer_name(s, index);
    let _ = writeln!(
        h,
        "<section class=\"signer\" id=\"signer-{index}\">\n<h2>{} {index}: {}</h2>\n<table>",
        escape(l.text(Text::Signer)),
        escape(&name)
    );
    if let Some(id) = &s.signer {
        row(h, "Subject", &id.subject);
        row(h, "Issuer", &id.issuer);
        row(h, "Serial", &id.serial);
        row(h, "SHA-256", &id.sha256);
    }
    let indication = match s.sub_indication {
        Some(x) => format!("{} / {x}", s.indication),
        None => s.indication.to_string(),
    };
    row(h, l.text(Text::Indication), &indication);
    row(
        h,
        "Algorithms",
        &format!("{} with {}", s.signature_algorithm, s.digest_algorithm),
    );
    let claimed = s
        .claimed_signing_time
        .as_deref()
        .map(words::both_times_of)
        .unwrap_or_else(|| "-".to_string());
    row(h, l.text(Text::ClaimedTime), &claimed);
    let proven = summary::proven_time(s)
        .map(|t| words::both_times_of(&t))
        .unwrap_or_else(|| l.text(Text::NoProvenTime).to_string());
    row(h, l.text(Text::ProvenTime), &proven);
    h.push_str("</table>\n");
    if let Some(sub) = s.sub_indication {
        let _ = writeln!(
            h,
            "<p class=\"explanation\">{}</p>\n<p class=\"next-step\"><strong>{}:</strong> {}</p>",
            escape(words::explain(sub)),
            escape(l.text(Text::NextStep)),
            escape(words::next_step(sub))
        );
    }
    chain(h, s, l);
    checks(h, s, l);
    h.push_str("</section>\n");
}

fn chain(h: &mut String, s: &SignerReport, l: Lang) {
    if s.chain.is_empty() {
        return;
    }
    let _ = writeln!(h, "<h3>{}</h3>", escape(l.text(Text::Chain)));
    h.push_str("<ul class=\"chain\">");
    for (depth, c) in s.chain.iter().enumerate() {
        if depth > 0 {
            h.push_str("<ul>");
        }
        let _ = write!(
            h,
            "<li data-depth=\"{depth}\"><span class=\"subject\">{}</span> <code>{}</code>",
            escape(&c.subject),
            escape(&c.sha256)
        );
    }
    for depth in (0..s.chain.len()).rev() {
        h.push_str("</li>");
        if depth > 0 {
            h.push_str("</ul>");
        }
    }
    h.push_str("</ul>\n");
}

fn checks(h: &mut String, s: &SignerReport, l: Lang) {
    let _ = writeln!(
        h,
        "<h3>{}</h3>\n<table class=\"checks\">",
        escape(l.text(Text::Checks))
    );
    for c in &s.checks {
        let class = match c.status {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Warning => "warning",
            Status::Skipped => "skipped",
        };
        let subject = c
            .subject
            .as_ref()
            .map(|x| format!("{}: ", x.label))
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<tr class=\"check {class}\" data-rule=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
            escape(c.rule.id()),
            escape(l.status(c.status)),
            escape(c.rule.id()),
            escape(words::rule(c.rule)),
            escape(&subject),
            escape(&c.message)
        );
    }
    h.push_str("</table>\n");
}

fn trust_section(h: &mut String, cx: &HtmlContext) {
    let _ = writeln!(
        h,
        "<section id=\"trust-lists\">\n<h2>{}</h2>\n<ul>",
        escape(cx.lang.text(Text::TrustLists))
    );
    if cx.trust_lists.is_empty() {
        h.push_str("<li>-</li>\n");
    }
    for line in &cx.trust_lists {
        let _ = writeln!(h, "<li>{}</li>", escape(line));
    }
    h.push_str("</ul>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>\u{7}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;\u{FFFD}"
        );
    }
}
