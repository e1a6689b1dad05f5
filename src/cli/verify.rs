//! `sigbridge verify`: verify one signed document and print a verdict per signer.

use super::{
    Format, Revocation, EXIT_INDETERMINATE, EXIT_INPUT, EXIT_INVALID, EXIT_USAGE, EXIT_VALID,
};
use clap::Args;
use sigbridge::input;
use sigbridge::recognition::RecognitionStatus;
use sigbridge::trust::{Completeness, Jurisdiction, TrustStores};
use sigbridge::verdict::{Check, Indication, Rule, Status};
use sigbridge::verify::{Verifier, VerifierConfig};
use sigbridge::{DocumentReport, Limits};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The signed document: CMS / PKCS#7 SignedData in DER, BER or PEM (.p7m, .p7s), an
    /// S/MIME message (.eml) or an OFD package with seals or signatures (.ofd), told apart
    /// by content.
    file: PathBuf,
    /// The signed content, for a detached signature (.p7s).
    #[arg(long)]
    content: Option<PathBuf>,
    #[command(flatten)]
    options: VerifierArgs,
}

/// The options `verify` and `batch` share: how to build the [`Verifier`] and how to print.
#[derive(Args, Debug)]
pub struct VerifierArgs {
    /// The relying party whose verdict sets the exit code (default: the jurisdiction whose
    /// list holds the anchor).
    #[arg(long = "for", value_enum)]
    for_: Option<Side>,
    /// Folder with hk/trust-list.json and gd/trust-list.json (default: the bundled lists).
    #[arg(long)]
    trust_stores: Option<PathBuf>,
    /// Purpose trust list files (sigbridge-trust-list/1 with "purpose", e.g. CN-tax for
    /// e-invoice seals): anchors trusted outside the HK/GD scheme, never recognised by it.
    #[arg(long, num_args = 1..)]
    purpose_list: Vec<PathBuf>,
    /// Extra trust anchor certificate files (domestic for either jurisdiction).
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
    pub format: Format,
}

/// A verifier built from [`VerifierArgs`], with what the text output says about the lists.
pub struct Prepared {
    /// The verifier (clones share its caches).
    pub verifier: Verifier,
    /// The jurisdictions whose trust lists are partial transcriptions (`HK`, `GD`).
    pub partial: Vec<String>,
}

impl VerifierArgs {
    /// The library configuration these flags describe. The error (a bad `--at`) is a usage
    /// error (exit 2).
    pub fn config(&self) -> Result<VerifierConfig, String> {
        if let Some(t) = &self.at {
            super::parse_at(Some(t))?;
        }
        let mut config = VerifierConfig::default();
        config.trust_stores = self.trust_stores.clone();
        config.purpose_lists = self.purpose_list.clone();
        config.anchors = self.anchor.clone();
        config.certificates = self.cert.clone();
        config.crls = self.crl.clone();
        config.revocation = self.revocation.mode();
        config.relying_party = self.for_.map(Side::jurisdiction);
        config.validation_time = self.at.clone();
        Ok(config)
    }

    /// Builds the verifier from `config`: the error (a file that cannot be read or a bad
    /// trust list) is an input error (exit 4) and names the file.
    pub fn build_verifier(config: &VerifierConfig) -> Result<Prepared, String> {
        let verifier = config
            .build()
            .map_err(|e| match (&config.trust_stores, e) {
                (None, sigbridge::verify::ConfigError::TrustStores(e)) => {
                    format!("bundled trust lists: {e}")
                }
                (_, e) => e.to_string(),
            })?;
        let partial: Vec<String> = verifier
            .trust_stores()
            .map(|s| {
                [&s.hk, &s.gd]
                    .iter()
                    .filter(|l| l.completeness == Completeness::Partial)
                    .map(|l| l.jurisdiction.to_string())
                    .collect()
            })
            .unwrap_or_default();
        Ok(Prepared { verifier, partial })
    }
}

/// The note the text output ends with when a trust list is partial.
pub fn partial_note(partial: &[String]) -> Option<String> {
    (!partial.is_empty()).then(|| {
        format!(
            "Note: the {} trust list(s) are partial transcriptions, not the official lists in full.",
            partial.join(" and ")
        )
    })
}

/// The exit code of one indication (0, 1 or 3).
pub fn exit_code(indication: Indication) -> i32 {
    match indication {
        Indication::TotalPassed => EXIT_VALID,
        Indication::TotalFailed => EXIT_INVALID,
        Indication::Indeterminate => EXIT_INDETERMINATE,
    }
}

/// A jurisdiction on the command line.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Side {
    /// Hong Kong.
    Hk,
    /// Guangdong.
    Gd,
}

impl Side {
    pub fn jurisdiction(self) -> Jurisdiction {
        match self {
            Side::Hk => Jurisdiction::Hk,
            Side::Gd => Jurisdiction::Gd,
        }
    }
}

/// The bundled lists, or those of `--trust-stores DIR`.
pub fn load_stores(dir: Option<&std::path::Path>, limits: &Limits) -> Result<TrustStores, String> {
    match dir {
        Some(d) => TrustStores::load_dir(d, limits).map_err(|e| e.to_string()),
        None => TrustStores::bundled().map_err(|e| format!("bundled trust lists: {e}")),
    }
}

pub fn run(args: VerifyArgs) -> i32 {
    let limits = Limits::default();
    let config = match args.options.config() {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("sigbridge verify: {msg}");
            return EXIT_USAGE;
        }
    };
    let document = match input::read_file(&args.file, &limits) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("sigbridge verify: {e}");
            return EXIT_INPUT;
        }
    };
    let Prepared { verifier, partial } = match VerifierArgs::build_verifier(&config) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("sigbridge verify: {e}");
            return EXIT_INPUT;
        }
    };
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
    match args.options.format {
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => out!("{s}"),
            Err(e) => {
                eprintln!("sigbridge verify: cannot render the report: {e}");
                return EXIT_INPUT;
            }
        },
        Format::Text => {
            print_text(&args.file, &report);
            if let Some(note) = partial_note(&partial) {
                out!();
                out!("{note}");
            }
        }
    }
    exit_code(report.indication)
}

fn print_text(file: &std::path::Path, r: &DocumentReport) {
    // One verdict line per jurisdiction first.
    for j in [Jurisdiction::Hk, Jurisdiction::Gd] {
        let all: Vec<&str> = r
            .signers
            .iter()
            .map(|s| {
                let valid = s.indication == Indication::TotalPassed
                    || s.checks
                        .iter()
                        .all(|c| c.status != Status::Failed || c.rule == Rule::Recognition);
                match (valid, s.recognition.as_ref().map(|x| x.get(j).status)) {
                    (false, _) => "NOT VALID",
                    (true, Some(RecognitionStatus::Domestic)) => "VALID (domestic trust)",
                    (true, Some(RecognitionStatus::Mutual)) => "VALID (mutual recognition)",
                    (true, Some(RecognitionStatus::NotRecognised)) => "NOT RECOGNISED",
                    (true, None) => "VALID",
                }
            })
            .collect();
        let name = match j {
            Jurisdiction::Hk => "Hong Kong",
            Jurisdiction::Gd => "Guangdong",
        };
        let verdict = if all.is_empty() {
            "NO SIGNER".to_string()
        } else {
            all.join("; ")
        };
        let mark = if r.relying_party == Some(j) {
            "  <- relying party"
        } else {
            ""
        };
        out!("{name}: {verdict}{mark}");
    }
    let verdict = match r.indication {
        Indication::TotalPassed => "SIGNATURE VALID",
        Indication::TotalFailed => "SIGNATURE INVALID",
        Indication::Indeterminate => "SIGNATURE NOT CONFIRMED",
    };
    match r.sub_indication {
        Some(s) => out!(
            "{verdict}: {} / {s} — {} at {}",
            r.indication,
            file.display(),
            r.validation_time
        ),
        None => out!(
            "{verdict}: {} — {} at {}",
            r.indication,
            file.display(),
            r.validation_time
        ),
    }
    for (i, s) in r.signers.iter().enumerate() {
        out!();
        out!(
            "Signer {}: {}{}",
            i + 1,
            s.indication,
            s.sub_indication
                .map(|x| format!(" / {x}"))
                .unwrap_or_default()
        );
        if let Some(id) = &s.signer {
            out!("  subject  {}", id.subject);
            out!("  issuer   {}", id.issuer);
            out!("  serial   {}", id.serial);
        }
        if let Some(t) = &s.claimed_signing_time {
            out!("  claims to have signed at {t} (not proven)");
        }
        out!("  {} with {}", s.signature_algorithm, s.digest_algorithm);
        if !s.chain.is_empty() {
            out!("  chain (trust anchor first):");
            for (d, c) in s.chain.iter().enumerate() {
                out!("    {}{}", "  ".repeat(d), c.subject);
            }
        }
        if let Some(rec) = &s.recognition {
            for x in [&rec.hk, &rec.gd] {
                match &x.matched_entry {
                    Some(m) => out!("  {}: {:?} ({m})", x.relying_party, x.status),
                    None => {
                        out!("  {}: not recognised because", x.relying_party);
                        for c in &x.failed_conditions {
                            out!("    - {}", c.message);
                        }
                    }
                }
            }
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
        if let Some(o) = &s.ofd {
            print_ofd_signature(o);
        }
    }
    if let Some(o) = r.ofd.as_ref().filter(|o| !o.uncovered_files.is_empty()) {
        out!();
        out!("Files no signature covers (added or replaced after signing, or never protected):");
        for f in &o.uncovered_files {
            out!("  {f}");
        }
    }
}

/// The OFD lines of one signature: what it is, its seal, what it covers.
fn print_ofd_signature(o: &sigbridge::report::document::OfdSignatureReport) {
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
        out!(
            "  seal \"{}\" (esID {}, type {}, {}), valid {} – {}",
            seal.name,
            seal.es_id,
            seal.seal_type,
            seal.version,
            seal.valid_start
                .time
                .as_deref()
                .unwrap_or(&seal.valid_start.text),
            seal.valid_end
                .time
                .as_deref()
                .unwrap_or(&seal.valid_end.text)
        );
        if let Some(m) = &seal.maker {
            out!("  seal maker {m}");
        }
    }
    out!("  covers {} file(s)", o.covered_files.len());
    for f in &o.failed_references {
        out!("  CHANGED since signing: {f}");
    }
}

/// A check's message, prefixed with the certificate it concerns.
pub fn described(c: &Check) -> String {
    match &c.subject {
        Some(s) => format!("{}: {}", s.label, c.message),
        None => c.message.clone(),
    }
}
