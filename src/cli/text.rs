//! The text output of `verify`: verdict lines that cannot mislead (per jurisdiction; one
//! line per signer when there are several, each named; the basis in words), the document's
//! verdict with what happened and what the officer can do, then each signer: who, the times
//! (validation, claimed, proven) in UTC and UTC+8, the chain, recognition (only for signers
//! whose signature and path are valid) and every failed check and warning. The words come
//! from `sigbridge::report::{summary, words}`.

use super::output::paint;
use sigbridge::report::summary::{self, JurisdictionVerdict, Standing};
use sigbridge::report::words;
use sigbridge::verdict::{Check, Status};
use sigbridge::{DocumentReport, SignerReport};

/// Prints the whole text report of `file`. `revocation` is what to say about revocation
/// (see `verify::revocation_line`): a `NOT CONFIRMED` line opens the output, any other is
/// stated under the document's verdict.
pub fn print_report(file: &str, r: &DocumentReport, revocation: Option<&str>) {
    let (first, note) = match revocation {
        Some(l) if l.starts_with("NOT CONFIRMED") => (Some(l), None),
        other => (None, other),
    };
    if let Some(l) = first {
        out!("{}", paint(l, Standing::NotConfirmed));
    }
    for v in summary::verdicts(r) {
        verdict_lines(&v);
    }
    out!();
    document_lines(file, r);
    if let Some(n) = note {
        out!("  {n}");
    }
    super::pdf_text::document(r);
    super::ofd_text::document(r);
    for (i, s) in r.signers.iter().enumerate() {
        out!();
        signer_block(s, i + 1);
    }
}

fn jurisdiction_line(v: &JurisdictionVerdict) -> String {
    format!(
        "{}{}",
        words::jurisdiction(v.jurisdiction),
        if v.relying_party {
            " (relying party)"
        } else {
            ""
        }
    )
}

/// `Hong Kong: VALID — CHAN Tai Man: trusted by Hong Kong's list (…)`, or a heading and one
/// line per signer.
fn verdict_lines(v: &JurisdictionVerdict) {
    let who = jurisdiction_line(v);
    match v.signers.as_slice() {
        [] => out!(
            "{who}: {}",
            paint(
                "NOT CONFIRMED: the document has no signer",
                Standing::NotConfirmed
            )
        ),
        [s] => out!(
            "{who}: {} — signed by {}: {}",
            paint(s.standing.words(), s.standing),
            s.name,
            s.basis.describe(v.jurisdiction)
        ),
        many => {
            let worst = v.standing();
            out!(
                "{who}: {} ({} signers; the worst decides)",
                paint(worst.words(), worst),
                many.len()
            );
            for s in many {
                out!(
                    "  signer {} ({}): {} — {}",
                    s.index,
                    s.name,
                    paint(s.standing.words(), s.standing),
                    s.basis.describe(v.jurisdiction)
                );
            }
        }
    }
}

fn document_lines(file: &str, r: &DocumentReport) {
    let standing = Standing::of(r.indication);
    let code = match r.sub_indication {
        Some(s) => format!("{} / {s}", r.indication),
        None => r.indication.to_string(),
    };
    let as_of = summary::valid_as_of(r)
        .map(|a| format!(" — {a}"))
        .unwrap_or_default();
    out!(
        "Document: {} ({code}) — {file}{as_of}",
        paint(standing.words(), standing)
    );
    match r.sub_indication {
        Some(s) => {
            out!("  What happened: {}", words::explain(s));
            out!("  What you can do: {}", words::next_step(s));
        }
        None => out!("  {}", words::indication(r.indication)),
    }
    out!(
        "Validation time: {} (set it with --at)",
        words::both_times_of(&r.validation_time)
    );
}

fn signer_block(s: &SignerReport, index: usize) {
    let code = match s.sub_indication {
        Some(x) => format!("{} / {x}", s.indication),
        None => s.indication.to_string(),
    };
    out!(
        "Signer {index}: {} ({code})",
        summary::signer_name(s, index)
    );
    super::pdf_text::signer(s);
    super::ofd_text::signer(s);
    match &s.signer {
        Some(id) => {
            out!("  subject   {}", id.subject);
            out!("  issuer    {}", id.issuer);
            out!("  serial    {}", id.serial);
        }
        None => out!("  the signer's certificate was not found"),
    }
    out!(
        "  algorithm {} with {}",
        s.signature_algorithm,
        s.digest_algorithm
    );
    times(s);
    if !s.chain.is_empty() {
        out!("  chain (trust anchor first):");
        for (d, c) in s.chain.iter().enumerate() {
            out!("    {}{}", "  ".repeat(d), c.subject);
        }
    }
    if summary::signature_and_path_valid(s) {
        recognition(s, index);
    }
    for c in s.checks.iter().filter(|c| c.status == Status::Failed) {
        out!("  FAILED {}: {}", c.rule, described(c));
    }
    for c in s.checks.iter().filter(|c| c.status == Status::Warning) {
        out!("  WARNING {}: {}", c.rule, described(c));
    }
    for w in &s.weak_algorithms_accepted {
        out!("  WEAK but accepted: {w}");
    }
}

fn times(s: &SignerReport) {
    match &s.claimed_signing_time {
        Some(t) => out!(
            "  claimed signing time: {} (the signer's own claim, not proven)",
            words::both_times_of(t)
        ),
        None => out!("  claimed signing time: none"),
    }
    match summary::proven_time(s) {
        Some(t) => out!("  proven time: {}", words::both_times_of(&t)),
        None if s.timestamps.is_empty() => {
            out!("  proven time: none (no timestamp proves when it was signed)")
        }
        None => out!(
            "  proven time: none (the {} timestamp(s) it carries did not pass; --format json lists why)",
            s.timestamps.len()
        ),
    }
}

/// Recognition in words, for a signer whose signature and path are valid.
fn recognition(s: &SignerReport, index: usize) {
    let Some(pair) = &s.recognition else {
        return;
    };
    for j in [sigbridge::Jurisdiction::Hk, sigbridge::Jurisdiction::Gd] {
        let rec = pair.get(j);
        let line = summary::signer_verdict(s, index, j);
        out!("  {}: {}", words::jurisdiction(j), line.basis.describe(j));
        if rec.matched_entry.is_none() {
            for c in &rec.failed_conditions {
                out!("    - {}", c.message);
            }
        }
    }
}

/// A check's message, prefixed with the certificate it concerns.
pub fn described(c: &Check) -> String {
    match &c.subject {
        Some(s) if !c.message.starts_with(&s.label) => format!("{}: {}", s.label, c.message),
        _ => c.message.to_string(),
    }
}
