//! `sigbridge verify`: verify one signed document (a file, or `-` for standard input; the
//! content beside a `NAME.p7s`) and print the verdict for people (text, see [`super::text`]),
//! programs (JSON) or the case file (HTML).

use super::output;
use super::text;
use super::{Revocation, EXIT_INDETERMINATE, EXIT_INVALID, EXIT_VALID};
use clap::Args;
use sigbridge::input;
use sigbridge::report::error::ErrorKind;
use sigbridge::report::html::{self, HtmlContext};
use sigbridge::report::lang::Lang;
use sigbridge::trust::{Completeness, Jurisdiction};
use sigbridge::verdict::{Check, Indication, Rule, Status};
use sigbridge::verify::{Call, Verifier, VerifierConfig};
use sigbridge::Limits;
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The signed document: a PDF (every signature and document timestamp, read from the
    /// file with positioned reads), an OFD package with seals or signatures (.ofd), an
    /// S/MIME message (.eml), or CMS / PKCS#7 SignedData in DER, BER or PEM (.p7m, .p7s);
    /// told apart by its bytes; `-` reads standard input. For NAME.p7s, the file NAME
    /// beside it is the signed content unless --content says otherwise.
    file: PathBuf,
    /// The signed content, for a detached signature (.p7s).
    #[arg(long, value_name = "FILE")]
    content: Option<PathBuf>,
    #[command(flatten)]
    options: VerifierArgs,
    /// Output format: text for people, one JSON object, or a printable self-contained HTML
    /// report.
    #[arg(long, value_enum, default_value_t = DocFormat::Text)]
    format: DocFormat,
    /// With --format json: the full report, or its compact summary (sigbridge-summary/1:
    /// indication, each jurisdiction's standing, per signer its fingerprint, recognition
    /// and failed checks).
    #[arg(long, value_enum, default_value_t = super::Detail::Full)]
    detail: super::Detail,
    /// Language of the HTML report's headings and verdict words: en, zh-Hant (繁體中文),
    /// zh-Hans (简体中文).
    #[arg(long, default_value = "en", value_parser = parse_lang)]
    lang: Lang,
}

/// `verify --format`.
#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq, Eq)]
pub enum DocFormat {
    /// For people.
    Text,
    /// One JSON object (sigbridge-report/2, or sigbridge-error/1).
    Json,
    /// One self-contained HTML file to print or attach to a case file.
    Html,
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::parse(text).ok_or_else(|| format!("{text}: expected en, zh-Hant or zh-Hans"))
}

/// The options `verify` and `batch` share: how to build the [`Verifier`].
#[derive(Args, Debug)]
pub struct VerifierArgs {
    /// The relying party whose verdict sets the exit code: hk or gd, any case (default: the
    /// jurisdiction whose list holds the anchor).
    #[arg(long = "for", value_enum, ignore_case = true)]
    for_: Option<Side>,
    /// A trust-stores folder layered over the bundled lists (default:
    /// $SIGBRIDGE_TRUST_STORES, else the per-user folder such as ~/.local/share/sigbridge,
    /// when it exists): its hk/ and gd/trust-list.json replace the bundled lists, the
    /// certificates in its hk/certs/ and gd/certs/ complete their expected roots.
    #[arg(long, value_name = "DIR")]
    trust_stores: Option<PathBuf>,
    /// Purpose trust list files (sigbridge-trust-list/1 with "purpose", e.g. CN-tax for
    /// e-invoice seals): anchors trusted outside the HK/GD scheme, never recognised by it.
    #[arg(long, num_args = 1..)]
    purpose_list: Vec<PathBuf>,
    /// Extra trust anchor certificate files (domestic for either jurisdiction: the verdict
    /// then says "trusted only because you passed --anchor").
    #[arg(long, num_args = 1..)]
    anchor: Vec<PathBuf>,
    /// Extra certificates for path building.
    #[arg(long, num_args = 1..)]
    cert: Vec<PathBuf>,
    /// Extra CRL files.
    #[arg(long, num_args = 1..)]
    crl: Vec<PathBuf>,
    /// OCSP response files (DER, PEM `OCSP RESPONSE`, or base64).
    #[arg(long, num_args = 1..)]
    ocsp: Vec<PathBuf>,
    /// Validation time, RFC 3339 (default: now).
    #[arg(long)]
    at: Option<String>,
    /// Revocation checking: require (the default: a certificate whose status cannot be
    /// established makes the result INDETERMINATE / TRY_LATER), prefer (then a warning) or
    /// off.
    #[arg(long, value_enum, default_value_t = Revocation::Require)]
    revocation: Revocation,
    /// Never contact anything: no OCSP responder, CRL distribution point or caIssuers URL
    /// is fetched (only the on-disk cache, with --cache-dir, is read).
    #[arg(long)]
    offline: bool,
    /// A directory caching fetched CRLs, OCSP responses and issuer certificates until their
    /// nextUpdate.
    #[arg(long)]
    cache_dir: Option<PathBuf>,
    /// Hosts, addresses or CIDR ranges that fetching may reach although internal
    /// (`ocsp.intranet.example`, `10.20.0.0/16`). Without it, a URL that resolves to a
    /// loopback, private, link-local or metadata address is not fetched.
    #[arg(long = "fetch-allow", num_args = 1..)]
    fetch_allow: Vec<String>,
    /// Validity model: shell (every certificate valid at the signing time) or chain (each
    /// CA certificate valid when it issued the one below).
    #[arg(long, value_enum, default_value_t = Model::Shell)]
    validity_model: Model,
}

/// A verifier built from [`VerifierArgs`], with what the text output says about the lists.
pub struct Prepared {
    /// The verifier (clones share its caches).
    pub verifier: Verifier,
    /// The jurisdictions whose trust lists are partial transcriptions (`HK`, `GD`).
    pub partial: Vec<String>,
}

impl VerifierArgs {
    /// The library configuration these flags describe. The error is a usage error (a bad
    /// `--at`) or a missing `--trust-stores` folder.
    pub fn config(&self) -> Result<VerifierConfig, (ErrorKind, String)> {
        if let Some(t) = &self.at {
            super::parse_at(Some(t)).map_err(|e| (ErrorKind::Usage, e))?;
        }
        let mut config = VerifierConfig::default();
        config.trust_stores = super::trust::stores_folder(self.trust_stores.as_deref())
            .map_err(|e| (ErrorKind::TrustStore, e))?;
        config.purpose_lists = self.purpose_list.clone();
        config.anchors = self.anchor.clone();
        config.certificates = self.cert.clone();
        config.crls = self.crl.clone();
        config.ocsp = self.ocsp.clone();
        config.revocation = self.revocation.mode();
        config.validity_model = self.validity_model.model();
        // Fetch what the documents do not carry, unless offline (then only a cache
        // directory, when given, is read).
        let fetch = sigbridge::revocation::fetch::FetchConfig {
            offline: self.offline,
            cache_dir: self.cache_dir.clone(),
            allow_internal: self.fetch_allow.clone(),
            ..Default::default()
        };
        if !self.offline || self.cache_dir.is_some() {
            config.fetch = Some(fetch);
        }
        config.relying_party = self.for_.map(Side::jurisdiction);
        config.validation_time = self.at.clone();
        Ok(config)
    }

    /// Builds the verifier from `config`: the error (a file that cannot be read or a bad
    /// trust list) is an input error (exit 4) and names the file.
    pub fn build_verifier(config: &VerifierConfig) -> Result<Prepared, (ErrorKind, String)> {
        use sigbridge::verify::ConfigError;
        let verifier = config
            .build()
            .map_err(|e| match (&config.trust_stores, e) {
                (None, ConfigError::TrustStores(e)) => {
                    (ErrorKind::TrustStore, format!("bundled trust lists: {e}"))
                }
                (_, e @ ConfigError::TrustStores(_)) => (ErrorKind::TrustStore, e.to_string()),
                (_, e @ ConfigError::Time(_)) => (ErrorKind::Usage, e.to_string()),
                (_, e) => (ErrorKind::Certificate, e.to_string()),
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

/// A validity model on the command line.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Model {
    /// Every certificate of the path valid at the (best) signing time.
    Shell,
    /// Each CA certificate valid when it issued the certificate below it.
    Chain,
}

impl Model {
    fn model(self) -> sigbridge::validate::ValidityModel {
        match self {
            Model::Shell => sigbridge::validate::ValidityModel::Shell,
            Model::Chain => sigbridge::validate::ValidityModel::Chain,
        }
    }
}

impl VerifierArgs {
    /// The revocation mode chosen.
    pub fn revocation_mode(&self) -> sigbridge::revocation::RevocationMode {
        self.revocation.mode()
    }
}

/// What the text output says when the verdict does not rest on a confirmed revocation
/// status: a status that could not be established (`NOT CONFIRMED: …`, the first line), or
/// a mode that did not require one (stated under the document's verdict).
pub fn revocation_line(
    checks: &mut dyn Iterator<Item = &Check>,
    mode: sigbridge::revocation::RevocationMode,
) -> Option<String> {
    use sigbridge::revocation::RevocationMode;
    let unknown = checks
        .filter(|c| c.rule == Rule::RevocationUnknown && c.status != Status::Skipped)
        .find_map(|c| c.subject.as_ref().map(|s| s.label.clone()));
    match (mode, unknown) {
        (RevocationMode::Require, Some(cert)) => Some(format!(
            "NOT CONFIRMED: revocation status unknown for {cert}"
        )),
        (RevocationMode::Prefer, Some(cert)) => Some(format!(
            "Revocation not required (--revocation prefer): the status of {cert} is unknown"
        )),
        (RevocationMode::Off, _) => Some("Revocation not checked (--revocation off)".to_owned()),
        _ => None,
    }
}

/// A jurisdiction on the command line.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
#[value(rename_all = "lower")]
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

/// The document's display name and bytes; `-` reads standard input (bounded by
/// `Limits::max_file_size`).
pub fn read_document(path: &Path, limits: &Limits) -> Result<(String, Vec<u8>), String> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take((limits.max_file_size as u64).saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| format!("standard input: cannot read: {e}"))?;
        if bytes.len() > limits.max_file_size {
            return Err(format!(
                "standard input: more than {} bytes (Limits::max_file_size)",
                limits.max_file_size
            ));
        }
        return Ok(("standard input".to_string(), bytes));
    }
    let bytes = input::read_file(path, limits).map_err(|e| e.to_string())?;
    Ok((path.display().to_string(), bytes))
}

/// `NAME` beside `NAME.p7s`, when it exists (the content a detached signature signs).
pub fn content_beside(path: &Path) -> Option<PathBuf> {
    let is_p7s = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("p7s"));
    let content = path.with_extension("");
    (is_p7s && content.is_file()).then_some(content)
}

pub fn run(args: VerifyArgs) -> i32 {
    let limits = Limits::default();
    let json = args.format == DocFormat::Json;
    let fail = |kind, file: Option<&str>, msg: &str| output::fail("verify", json, kind, file, msg);
    let file_name = args.file.display().to_string();
    if args.detail == super::Detail::Summary && !json {
        return fail(
            ErrorKind::Usage,
            None,
            "--detail summary needs --format json",
        );
    }
    let config = match args.options.config() {
        Ok(c) => c,
        Err((kind, msg)) => return fail(kind, None, &msg),
    };
    let pdf_file = args.file.as_os_str() != "-"
        && match super::document::is_pdf(&args.file) {
            Ok(p) => p,
            Err(e) => return fail(ErrorKind::Unreadable, Some(&file_name), &e),
        };
    let (name, document) = if pdf_file {
        (file_name.clone(), Vec::new())
    } else {
        match read_document(&args.file, &limits) {
            Ok(d) => d,
            Err(e) => return fail(ErrorKind::Unreadable, Some(&file_name), &e),
        }
    };
    let Prepared { verifier, partial } = match VerifierArgs::build_verifier(&config) {
        Ok(p) => p,
        Err((kind, e)) => return fail(kind, None, &e),
    };
    let beside = match &args.content {
        Some(_) => None,
        None if args.file.as_os_str() == "-" || pdf_file => None,
        None => content_beside(&args.file),
    };
    let content_path = args.content.clone().or_else(|| beside.clone());
    let mut content = match &content_path {
        Some(p) => match std::fs::File::open(p) {
            Ok(f) => Some(std::io::BufReader::new(f)),
            Err(e) => {
                let p = p.display().to_string();
                return fail(
                    ErrorKind::Unreadable,
                    Some(&p),
                    &format!("{p}: cannot read the content: {e}"),
                );
            }
        },
        None => None,
    };
    let mut call = Call::new();
    if let Some(r) = content.as_mut() {
        call = call.content(r);
    }
    let verified = if pdf_file {
        match content_path {
            Some(c) => Err(sigbridge::VerifyError::ContentNotApplicable).map_err(|e| {
                let msg = format!("{e} (--content {})", c.display());
                (e.kind(), msg)
            }),
            None => verifier
                .verify_pdf_file(&args.file, Call::new())
                .map_err(|e| (e.kind(), e.to_string())),
        }
    } else {
        verifier
            .verify_with(&document, call)
            .map_err(|e| (e.kind(), e.to_string()))
    };
    let report = match verified {
        Ok(r) => r,
        Err((kind, e)) => return fail(kind, Some(&name), &output::about(&name, &e)),
    };
    match args.format {
        DocFormat::Json if args.detail == super::Detail::Summary => {
            let compact = sigbridge::report::compact::CompactReport::of(&report);
            match serde_json::to_string_pretty(&compact) {
                Ok(s) => out!("{s}"),
                Err(e) => return fail(ErrorKind::Internal, Some(&name), &e.to_string()),
            }
        }
        DocFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => out!("{s}"),
            Err(e) => return fail(ErrorKind::Internal, Some(&name), &e.to_string()),
        },
        DocFormat::Html => {
            let mut cx = HtmlContext::new(&name, &document, verifier.trust_stores(), args.lang);
            if pdf_file {
                match super::document::sha256_file(&args.file) {
                    Ok(d) => cx.document_sha256 = d,
                    Err(e) => return fail(ErrorKind::Unreadable, Some(&name), &e),
                }
            }
            out!("{}", html::render(&report, &cx));
        }
        DocFormat::Text => {
            // A signer that did not pass may rest on a timestamp whose TSA's status is
            // unknown: that is named too (after the signer's own certificates).
            let mut all = report.signers.iter().flat_map(|s| {
                let stamps = (s.indication != Indication::TotalPassed)
                    .then_some(&s.timestamps)
                    .into_iter()
                    .flatten()
                    .flat_map(|t| t.checks.iter());
                s.checks.iter().chain(stamps)
            });
            let line = revocation_line(&mut all, args.options.revocation_mode());
            text::print_report(&name, &report, line.as_deref());
            if let Some(c) = &beside {
                out!();
                out!(
                    "Content: {} (the file beside the signature; give --content FILE to use another)",
                    c.display()
                );
            }
            if let Some(note) = partial_note(&partial) {
                out!();
                out!("{note}");
            }
        }
    }
    exit_code(report.indication)
}
