//! `sigbridge path`: validate one target certificate against anchors, a pool and CRLs.

use super::output;
use super::Revocation;
use super::{Format, EXIT_INDETERMINATE, EXIT_INVALID, EXIT_VALID};
use clap::Args;
use sigbridge::asn1::{format_time, Oid};
use sigbridge::path::{AnchorSet, CertPool};
use sigbridge::report::error::ErrorKind;
use sigbridge::report::path::PathReport;
use sigbridge::report::summary::Standing;
use sigbridge::validate::{self, KeyUsageRequirement, Options, Outcome, Sources};
use sigbridge::verdict::Indication;
use sigbridge::x509::ext::KeyUsage;
use sigbridge::Limits;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct PathArgs {
    /// The certificate to validate (DER or PEM; the first certificate of a bundle).
    #[arg(long)]
    target: PathBuf,
    /// Trust anchor certificate files (DER, PEM or PEM bundles).
    #[arg(long, required = true, num_args = 1..)]
    anchor: Vec<PathBuf>,
    /// Untrusted certificates for path building.
    #[arg(long, num_args = 1..)]
    cert: Vec<PathBuf>,
    /// CRL files (DER or PEM).
    #[arg(long, num_args = 1..)]
    crl: Vec<PathBuf>,
    /// Validation time, RFC 3339 (default: now).
    #[arg(long)]
    at: Option<String>,
    /// Initial policy set (dotted OIDs; default anyPolicy).
    #[arg(long, num_args = 1..)]
    policy: Vec<String>,
    /// initial-explicit-policy.
    #[arg(long)]
    explicit_policy: bool,
    /// initial-policy-mapping-inhibit.
    #[arg(long)]
    inhibit_policy_mapping: bool,
    /// initial-any-policy-inhibit.
    #[arg(long)]
    inhibit_any_policy: bool,
    /// Revocation checking.
    #[arg(long, value_enum, default_value_t = Revocation::Prefer)]
    revocation: Revocation,
    /// keyUsage bits the target must have (e.g. digitalSignature nonRepudiation).
    #[arg(long = "key-usage", num_args = 1..)]
    key_usage: Vec<String>,
    /// extendedKeyUsage OIDs the target must have.
    #[arg(long, num_args = 1..)]
    eku: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(args: PathArgs) -> i32 {
    let limits = Limits::default();
    let json = args.format.json();
    let usage = |msg: String| output::fail("path", json, ErrorKind::Usage, None, &msg);
    let time = match super::parse_at(args.at.as_deref()) {
        Ok(t) => t,
        Err(msg) => return usage(msg),
    };
    let mut options = Options::at(time);
    if !args.policy.is_empty() {
        let mut set = Vec::new();
        for p in &args.policy {
            match Oid::from_dotted(p) {
                Some(o) => set.push(o),
                None => return usage(format!("--policy {p}: not a dotted OID")),
            }
        }
        options.policy.initial_policy_set = set;
    }
    options.policy.initial_explicit_policy = args.explicit_policy;
    options.policy.initial_policy_mapping_inhibit = args.inhibit_policy_mapping;
    options.policy.initial_any_policy_inhibit = args.inhibit_any_policy;
    options.revocation = args.revocation.mode();
    let mut all_of = 0;
    for k in &args.key_usage {
        match KeyUsage::bit_for_name(k) {
            Some(b) => all_of |= b,
            None => {
                return usage(format!(
                    "--key-usage {k}: expected one of {}",
                    KeyUsage::NAMES.join(", ")
                ))
            }
        }
    }
    options.key_usage = KeyUsageRequirement { all_of, any_of: 0 };
    for e in &args.eku {
        match Oid::from_dotted(e) {
            Some(o) => options.extended_key_usage.push(o),
            None => return usage(format!("--eku {e}: not a dotted OID")),
        }
    }

    let loaded = (|| -> Result<_, sigbridge::x509::LoadError> {
        let target = sigbridge::x509::certificates_from_file(&args.target, &limits)?
            .into_iter()
            .next()
            .map(Arc::new);
        let mut anchors = AnchorSet::new();
        for f in &args.anchor {
            for c in sigbridge::x509::certificates_from_file(f, &limits)? {
                anchors.add(Arc::new(c), "command-line");
            }
        }
        let mut pool = CertPool::new();
        for f in &args.cert {
            for c in sigbridge::x509::certificates_from_file(f, &limits)? {
                pool.add(Arc::new(c));
            }
        }
        let mut crls = Vec::new();
        for f in &args.crl {
            crls.extend(
                sigbridge::x509::crls_from_file(f, &limits)?
                    .into_iter()
                    .map(Arc::new),
            );
        }
        Ok((target, anchors, pool, crls))
    })();
    let (target, anchors, pool, crls) = match loaded {
        Ok((Some(t), a, p, c)) => (t, a, p, c),
        Ok((None, ..)) => {
            let t = args.target.display().to_string();
            let msg = format!("{t}: no certificate");
            return output::fail("path", json, ErrorKind::Certificate, Some(&t), &msg);
        }
        Err(e) => {
            return output::fail("path", json, ErrorKind::Certificate, None, &e.to_string());
        }
    };
    let outcome = validate::validate(&target, Sources::new(&pool, &anchors, &crls), &options);
    match args.format {
        Format::Json => {
            match serde_json::to_string_pretty(&PathReport::of(&outcome, format_time(time))) {
                Ok(j) => out!("{j}"),
                Err(e) => {
                    let msg = format!("cannot render the report: {e}");
                    return output::fail("path", true, ErrorKind::Internal, None, &msg);
                }
            }
        }
        Format::Text => print_text(&outcome, time),
    }
    match outcome.indication {
        Indication::TotalPassed => EXIT_VALID,
        Indication::TotalFailed => EXIT_INVALID,
        Indication::Indeterminate => EXIT_INDETERMINATE,
    }
}

fn print_text(o: &Outcome, time: i64) {
    let standing = Standing::of(o.indication);
    let verdict = output::paint(standing.words(), standing);
    match o.sub_indication {
        Some(s) => out!("{verdict}: {} / {s} at {}", o.indication, format_time(time)),
        None => out!("{verdict}: {} at {}", o.indication, format_time(time)),
    }
    out!("Path (trust anchor first):");
    for (i, c) in o.path.iter().enumerate() {
        let pad = "  ".repeat(i);
        let note = if i == 0 {
            o.anchor_store
                .as_ref()
                .map(|s| format!("  [trust anchor from {s}]"))
                .unwrap_or_default()
        } else {
            String::new()
        };
        out!("  {pad}{}{note}", c.label());
        out!("  {pad}  sha256 {}", c.fingerprint());
    }
    if o.is_valid() {
        let set: Vec<String> = o
            .user_constrained_policy_set
            .iter()
            .map(|p| p.to_string())
            .collect();
        out!(
            "Certificate policies accepted: {}",
            if set.is_empty() {
                "(none)".to_string()
            } else {
                set.join(", ")
            }
        );
    }
    for e in &o.errors {
        out!(
            "FAILED {}: {} — {}",
            e.rule,
            e.subject.as_ref().map_or("path", |s| s.label.as_str()),
            e.message
        );
    }
    for e in &o.warnings {
        out!(
            "WARNING {}: {} — {}",
            e.rule,
            e.subject.as_ref().map_or("path", |s| s.label.as_str()),
            e.message
        );
    }
    for w in &o.weaknesses {
        out!("WEAK but accepted: {} — {}", w.object, w.weakness);
    }
    if !o.is_valid() && o.attempts.len() > 1 {
        out!("{} candidate paths were tried:", o.attempts.len());
        for a in &o.attempts {
            out!("  {}", a.path.join(" → "));
            for e in &a.errors {
                out!(
                    "    {}: {} — {}",
                    e.rule,
                    e.subject.as_ref().map_or("path", |s| s.label.as_str()),
                    e.message
                );
            }
        }
    }
}
