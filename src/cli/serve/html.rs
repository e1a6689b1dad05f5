//! The HTML report of `POST /v1/verify` with `Accept: text/html`: a minimal, escaped,
//! self-contained rendering of the document report. One function, [`render`], so it can be
//! swapped for `report::html` when that lands on main.

use sigbridge::recognition::RecognitionStatus;
use sigbridge::verdict::Status;
use sigbridge::DocumentReport;
use std::fmt::Write as _;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn recognition_word(s: RecognitionStatus) -> &'static str {
    match s {
        RecognitionStatus::Domestic => "recognised (domestic trust)",
        RecognitionStatus::Mutual => "recognised (mutual recognition)",
        RecognitionStatus::NotRecognised => "not recognised",
    }
}

fn verdict_text(v: sigbridge::Verdict) -> String {
    match v.sub_indication {
        Some(s) => format!("{} / {s}", v.indication),
        None => v.indication.to_string(),
    }
}

/// The report as an HTML page; `title` names the document (escaped).
pub fn render(report: &DocumentReport, title: &str) -> String {
    let mut h = String::new();
    let verdict = verdict_text(report.verdict());
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sigbridge report: {}</title>\
         <style>body{{font-family:sans-serif;max-width:60em;margin:1em auto}}td,th{{text-align:left;padding:.2em .6em;vertical-align:top}}.failed{{color:#a00}}.warning{{color:#850}}</style></head><body>\
         <h1>Verification report</h1><p>{}</p><table>\
         <tr><th>Indication</th><td id=\"indication\">{}</td></tr>\
         <tr><th>Relying party</th><td>{}</td></tr><tr><th>Validation time</th><td>{}</td></tr>\
         <tr><th>Container</th><td>{:?}</td></tr><tr><th>Detached</th><td>{}</td></tr></table>",
        escape(title),
        escape(title),
        escape(&verdict),
        report.relying_party.map(|j| j.to_string()).unwrap_or_else(|| "(none)".into()),
        escape(&report.validation_time),
        report.container,
        report.detached,
    );
    for (i, s) in report.signers.iter().enumerate() {
        let _ = write!(
            h,
            "<h2>Signer {}: {}</h2><table>",
            i + 1,
            escape(&verdict_text(s.verdict()))
        );
        if let Some(id) = &s.signer {
            let _ = write!(
                h,
                "<tr><th>Subject</th><td>{}</td></tr><tr><th>Issuer</th><td>{}</td></tr><tr><th>Serial</th><td>{}</td></tr>",
                escape(&id.subject),
                escape(&id.issuer),
                escape(&id.serial)
            );
        }
        if let Some(rec) = &s.recognition {
            for r in [&rec.hk, &rec.gd] {
                let _ = write!(
                    h,
                    "<tr><th>{}</th><td>{}</td></tr>",
                    r.relying_party,
                    recognition_word(r.status)
                );
            }
        }
        h.push_str("</table><h3>Chain (trust anchor first)</h3><ol>");
        for c in &s.chain {
            let _ = write!(h, "<li>{}</li>", escape(&c.subject));
        }
        h.push_str("</ol><h3>Checks</h3><ul>");
        for c in s.checks.iter().filter(|c| c.status != Status::Passed) {
            let class = if c.status == Status::Failed {
                "failed"
            } else {
                "warning"
            };
            let _ = write!(
                h,
                "<li class=\"{class}\">{:?} {}: {}</li>",
                c.status,
                escape(c.rule.id()),
                escape(&c.message)
            );
        }
        h.push_str("</ul>");
    }
    h.push_str("</body></html>\n");
    h
}
