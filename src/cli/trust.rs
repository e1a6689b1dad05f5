//! `sigbridge trust list` and `sigbridge trust add`: the Hong Kong and Guangdong lists for a
//! person (source, retrieval date, completeness, anchors bundled / added / expected but
//! missing with where to download them, every mutual-recognition entry with its window, the
//! files in use), and completing an expected root in the per-user trust-stores folder.

use super::output::{self, about};
use super::Format;
use clap::Subcommand;
use sigbridge::report::error::ErrorKind;
use sigbridge::report::trust::{
    AnchorReport, MrEntryReport, TrustAddReport, TrustListReport, TrustListsReport,
};
use sigbridge::report::words;
use sigbridge::trust::{
    format_sha256, parse_sha256, LocationSource, StoreLocation, TrustError, TrustStores,
};
use sigbridge::Limits;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum TrustCommand {
    /// Show both lists: where they come from, their anchors (bundled, added, expected but
    /// missing) and their mutual-recognition entries, and the files in use.
    #[command(after_help = super::EXITS_TRUST)]
    List {
        /// A trust-stores folder layered over the bundled lists (default:
        /// $SIGBRIDGE_TRUST_STORES, else the per-user folder, e.g.
        /// ~/.local/share/sigbridge).
        #[arg(long, value_name = "DIR")]
        trust_stores: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Complete an expected root (listed by SHA-256 only, e.g. Hongkong Post Root CA 2) with
    /// its certificate file, as downloaded from the CA: the file is checked against the
    /// fingerprint and copied into the per-user trust-stores folder.
    #[command(after_help = super::EXITS_TRUST)]
    Add {
        /// The CA certificate (PEM or DER).
        file: PathBuf,
        /// The trust-stores folder to write to (default: $SIGBRIDGE_TRUST_STORES, else the
        /// per-user folder, e.g. ~/.local/share/sigbridge).
        #[arg(long, value_name = "DIR")]
        trust_stores: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

pub fn run(command: TrustCommand) -> i32 {
    match command {
        TrustCommand::List {
            trust_stores,
            format,
        } => list(trust_stores, format),
        TrustCommand::Add {
            file,
            trust_stores,
            format,
        } => add(&file, trust_stores, format),
    }
}

/// The trust lists the CLI uses: the bundled ones, layered with the trust-stores folder
/// (`--trust-stores`, else `SIGBRIDGE_TRUST_STORES`, else the per-user folder) when it
/// exists; a folder given with `--trust-stores` must exist. Also returns that folder.
pub fn stores_folder(option: Option<&std::path::Path>) -> Result<Option<PathBuf>, String> {
    match StoreLocation::resolve(option) {
        Some(l) if l.source == LocationSource::Option || l.dir.is_dir() => {
            if !l.dir.is_dir() {
                return Err(format!(
                    "{}: not a folder (a trust-stores folder holds hk/ and gd/, each with trust-list.json and/or certs/)",
                    l.dir.display()
                ));
            }
            Ok(Some(l.dir))
        }
        _ => Ok(None),
    }
}

fn load(option: Option<&std::path::Path>) -> Result<(TrustStores, Option<StoreLocation>), String> {
    let limits = Limits::default();
    let dir = stores_folder(option)?;
    let stores = match &dir {
        Some(d) => TrustStores::load_layered(d, &limits).map_err(|e| e.to_string())?,
        None => TrustStores::bundled().map_err(|e| format!("bundled trust lists: {e}"))?,
    };
    Ok((stores, StoreLocation::resolve(option)))
}

fn list(option: Option<PathBuf>, format: Format) -> i32 {
    let (stores, location) = match load(option.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            return output::fail("trust list", format.json(), ErrorKind::TrustStore, None, &e)
        }
    };
    let report = TrustListsReport::of(&stores);
    match format {
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => out!("{s}"),
            Err(e) => {
                return output::fail(
                    "trust list",
                    true,
                    ErrorKind::Internal,
                    None,
                    &e.to_string(),
                )
            }
        },
        Format::Text => print_lists(&report, location.as_ref()),
    }
    super::EXIT_VALID
}

fn print_lists(r: &TrustListsReport, location: Option<&StoreLocation>) {
    out!("Trust lists in use:");
    for f in &r.files_in_use {
        if f == "bundled" {
            out!(
                "  bundled with sigbridge {} (compiled in)",
                env!("CARGO_PKG_VERSION")
            );
        } else {
            out!("  {f}");
        }
    }
    match location {
        Some(l) => {
            let why = match l.source {
                LocationSource::Option => "given with --trust-stores",
                LocationSource::Environment => "from SIGBRIDGE_TRUST_STORES",
                LocationSource::UserData => "the per-user folder",
            };
            let state = if l.dir.is_dir() {
                "in use"
            } else {
                "does not exist yet"
            };
            out!(
                "Trust-stores folder: {} ({why}; {state}); `sigbridge trust add FILE` writes there",
                l.dir.display()
            );
        }
        None => out!("Trust-stores folder: none (no home folder known; give --trust-stores DIR)"),
    }
    for l in &r.lists {
        out!();
        print_list(l);
    }
}

fn print_list(l: &TrustListReport) {
    let completeness = match l.completeness {
        sigbridge::trust::Completeness::Official => "the official list in full",
        sigbridge::trust::Completeness::Partial => "a PARTIAL transcription of the official list",
    };
    out!(
        "{} ({}) list: {completeness}",
        words::jurisdiction(l.jurisdiction),
        l.jurisdiction
    );
    out!("  operator:   {}", l.operator);
    out!("  source:     {}", l.source);
    out!("  retrieved:  {}", l.retrieved);
    out!(
        "  read from:  {}",
        if l.origin == "bundled" {
            "bundled (compiled in)"
        } else {
            &l.origin
        }
    );
    out!("  trust anchors ({}):", l.anchors.len());
    for a in &l.anchors {
        print_anchor(a);
    }
    if l.mutual_recognition.is_empty() {
        out!("  mutual recognition: no entries (nothing of this side is recognised by the other)");
    } else {
        out!(
            "  mutual recognition: certificate types {} recognises",
            words::jurisdiction(l.jurisdiction.other())
        );
        for m in &l.mutual_recognition {
            print_mr(m, l);
        }
    }
}

fn fingerprint(hex: &str) -> String {
    parse_sha256(hex)
        .map(|s| format_sha256(&s))
        .unwrap_or_else(|| hex.to_string())
}

fn print_anchor(a: &AnchorReport) {
    let state = match a.source.as_str() {
        "bundled" => "bundled ".to_string(),
        "added" => "added   ".to_string(),
        "list" => "listed  ".to_string(),
        _ => "MISSING ".to_string(),
    };
    out!("    {state} {}", a.name);
    out!("             SHA-256 {}", fingerprint(&a.sha256));
    if let Some(f) = &a.file {
        out!("             file {f}");
    }
    if !a.present {
        match &a.download {
            Some(d) => out!("             expected but not installed: download it from {d}, then `sigbridge trust add FILE`"),
            None => out!("             expected but not installed: get it from its CA, then `sigbridge trust add FILE`"),
        }
    }
}

fn print_mr(m: &MrEntryReport, l: &TrustListReport) {
    out!("    \"{}\" ({})", m.certificate_type, m.ca);
    out!(
        "      type name in the subject's {} attribute",
        m.type_attribute
    );
    out!("      issuing CAs: {}", m.issuers.join(", "));
    for (name, sha) in &m.roots {
        let installed = l.anchors.iter().any(|a| &a.sha256 == sha && a.present);
        out!(
            "      root: {name}{}",
            if installed {
                ""
            } else {
                " (NOT INSTALLED: no document of this type can be mutual until it is added)"
            }
        );
    }
    if m.policy_versions.is_empty() {
        out!("      policy: any OID under {}", m.policy_oid_prefix);
    } else {
        out!("      policy: {}", m.policy_versions.join(", "));
    }
    let until = match &m.window_until {
        Some(u) => format!("until {}", words::both_times_of(u)),
        None => "until further notice".to_string(),
    };
    out!(
        "      window: from {} {until}",
        words::both_times_of(&m.window_from)
    );
}

fn add(file: &std::path::Path, option: Option<PathBuf>, format: Format) -> i32 {
    let limits = Limits::default();
    let name = file.display().to_string();
    let Some(location) = StoreLocation::resolve(option.as_deref()) else {
        return output::fail(
            "trust add",
            format.json(),
            ErrorKind::Usage,
            Some(&name),
            "no per-user folder is known (HOME is not set): give --trust-stores DIR",
        );
    };
    match TrustStores::add_anchor_file(&location.dir, file, &limits) {
        Ok(done) => {
            let written = done.written_to.display().to_string();
            match format {
                Format::Json => print_json(&TrustAddReport::new(
                    done.jurisdiction,
                    &done.entry_name,
                    false,
                    &written,
                )),
                Format::Text => {
                    out!(
                        "Added \"{}\" to the {} list: {written}",
                        done.entry_name,
                        words::jurisdiction(done.jurisdiction)
                    );
                    out!(
                        "verify, batch and trust list now use it (from {}).",
                        location.dir.display()
                    );
                }
            }
            super::EXIT_VALID
        }
        Err(TrustError::AlreadyPresent {
            jurisdiction,
            name: anchor,
            existing,
            ..
        }) => {
            match format {
                Format::Json => print_json(&TrustAddReport::new(jurisdiction, &anchor, true, &existing)),
                Format::Text => out!(
                    "Already present: the {} anchor \"{anchor}\" already has its certificate ({existing}); nothing was changed.",
                    words::jurisdiction(jurisdiction)
                ),
            }
            super::EXIT_VALID
        }
        Err(e) => {
            let kind = match &e {
                TrustError::Input(_)
                | TrustError::Load(_)
                | TrustError::NotOneCertificate { .. } => ErrorKind::Certificate,
                _ => ErrorKind::TrustStore,
            };
            output::fail(
                "trust add",
                format.json(),
                kind,
                Some(&name),
                &about(&name, &e.to_string()),
            )
        }
    }
}

fn print_json(r: &TrustAddReport) {
    if let Ok(s) = serde_json::to_string_pretty(r) {
        out!("{s}");
    }
}
