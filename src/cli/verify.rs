//! `sigbridge verify`: verify one signed document and print a verdict per signer.

use super::{
    Format, Revocation, EXIT_INDETERMINATE, EXIT_INPUT, EXIT_INVALID, EXIT_USAGE, EXIT_VALID,
};
use clap::Args;
use sigbridge::input;
use sigbridge::path::AnchorSet;
use sigbridge::report::Indication;
use sigbridge::verify::{DocumentReport, Verifier};
use sigbridge::Limits;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The signed document: CMS / PKCS#7 SignedData in DER, BER or PEM (.p7m, .p7s).
    file: PathBuf,
    /// The signed content, for a detached signature (.p7s).
    #[arg(long)]
    content: Option<PathBuf>,
    /// Trust anchor certificate files.
    #[arg(long, num_args = 1..)]
    anchor: Vec<PathBuf>,
    /// Extra certificates for path building.
    #[arg(long, num_args = 1..)]
    cert: Vec<PathBuf>,
    /// Extra CRL files.
    #[arg(long, num_args = 1..)]
    crl: Vec<PathBuf>,
    /// Validation time, RFC 3339 (default: now).
    #[arg(long)]
    at: Option<String>,
    /// Revocation checking.
    #[arg(long, value_enum, default_value_t = Revocation::Prefer)]
    revocation: Revocation,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(args: VerifyArgs) -> i32 {
    let limits = Limits::default();
    let time = match super::parse_at(args.at.as_deref()) {
        Ok(t) => t,
        Err(msg) => {
            eprintln!("sigbridge verify: {msg}");
            return EXIT_USAGE;
        }
    };
    let loaded = (|| -> Result<_, input::InputError> {
        let document = input::read_file(&args.file, &limits)?;
        let mut anchors = AnchorSet::new();
        for f in &args.anchor {
            for c in input::certificates_from_file(f, &limits)? {
                anchors.add(Arc::new(c), "command-line");
            }
        }
        let mut verifier = Verifier::new(anchors, time);
        for f in &args.cert {
            for c in input::certificates_from_file(f, &limits)? {
                verifier.pool.add(Arc::new(c));
            }
        }
        for f in &args.crl {
            verifier
                .crls
                .extend(input::crls_from_file(f, &limits)?.into_iter().map(Arc::new));
        }
        Ok((document, verifier))
    })();
    let (document, mut verifier) = match loaded {
        Ok(v) => v,
        Err(e) => {
            eprintln!("sigbridge verify: {e}");
            return EXIT_INPUT;
        }
    };
    verifier.options.revocation = args.revocation.mode();
    let mut content = match &args.content {
        Some(p) => match std::fs::File::open(p) {
            Ok(f) => Some(std::io::BufReader::new(f)),
            Err(e) => {
                eprintln!("sigbridge verify: {}: cannot read: {e}", p.display());
                return EXIT_INPUT;
            }
        },
        None => None,
    };
    let reader = content.as_mut().map(|r| r as &mut dyn std::io::Read);
    let report = match verifier.verify(&document, reader) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sigbridge verify: {}: {e}", args.file.display());
            return EXIT_INPUT;
        }
    };
    match args.format {
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("sigbridge verify: cannot render the report: {e}");
                return EXIT_INPUT;
            }
        },
        Format::Text => print_text(&args.file, &report),
    }
    match report.indication {
        Indication::TotalPassed => EXIT_VALID,
        Indication::TotalFailed => EXIT_INVALID,
        Indication::Indeterminate => EXIT_INDETERMINATE,
    }
}

fn print_text(file: &std::path::Path, r: &DocumentReport) {
    let verdict = match r.indication {
        Indication::TotalPassed => "SIGNATURE VALID",
        Indication::TotalFailed => "SIGNATURE INVALID",
        Indication::Indeterminate => "SIGNATURE NOT CONFIRMED",
    };
    match r.sub_indication {
        Some(s) => println!(
            "{verdict}: {} / {s} — {} at {}",
            r.indication,
            file.display(),
            r.validation_time
        ),
        None => println!(
            "{verdict}: {} — {} at {}",
            r.indication,
            file.display(),
            r.validation_time
        ),
    }
    for (i, s) in r.signers.iter().enumerate() {
        println!();
        println!(
            "Signer {}: {}{}",
            i + 1,
            s.indication,
            s.sub_indication
                .map(|x| format!(" / {x}"))
                .unwrap_or_default()
        );
        if let Some(id) = &s.signer {
            println!("  subject  {}", id.subject);
            println!("  issuer   {}", id.issuer);
            println!("  serial   {}", id.serial);
        }
        if let Some(t) = &s.claimed_signing_time {
            println!("  claims to have signed at {t} (not proven)");
        }
        println!("  {} with {}", s.signature_algorithm, s.digest_algorithm);
        if !s.chain.is_empty() {
            println!("  chain (trust anchor first):");
            for (d, c) in s.chain.iter().enumerate() {
                println!("    {}{}", "  ".repeat(d), c.subject);
            }
        }
        for c in s.checks.iter().filter(|c| c.status == "failed") {
            println!("  FAILED {}: {}", c.id, c.message);
        }
        for c in s
            .checks
            .iter()
            .filter(|c| c.status == "skipped" && c.id.starts_with("rfc5280"))
        {
            println!("  WARNING {}: {}", c.id, c.message);
        }
        for w in &s.weak_algorithms_accepted {
            println!("  WEAK but accepted: {w}");
        }
    }
}
