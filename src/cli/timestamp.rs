//! `sigbridge timestamp verify`: one RFC 3161 token (or TimeStampResp) against a file or a
//! digest, with the same trust options as `verify`.

use super::verify::{exit_code, revocation_line, VerifierArgs};
use super::{output, Format};
use clap::{Args, Subcommand};
use sigbridge::crypto::DigestAlgorithm;
use sigbridge::document::timestamp::Stamped;
use sigbridge::report::error::ErrorKind;
use sigbridge::verdict::Status;
use sigbridge::verify::Call;
use sigbridge::{input, Limits};
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum TimestampCommand {
    /// Verify a timestamp token or TimeStampResp against the data it stamps.
    ///
    /// The token's signature, its ESS signingCertificate binding, the TSA's identity and
    /// its certificate path (critical id-kp-timeStamping only, revocation as --revocation
    /// says) are checked at --at (default: now), and its messageImprint against --data or
    /// --digest. Exit codes as `verify`: 0 TOTAL_PASSED, 1 TOTAL_FAILED, 3 INDETERMINATE,
    /// 2 usage, 4 unreadable input.
    Verify(VerifyTimestampArgs),
}

#[derive(Args, Debug)]
pub struct VerifyTimestampArgs {
    /// The token (a TimeStampToken ContentInfo) or a TimeStampResp, DER.
    token: PathBuf,
    /// The file the token stamps.
    #[arg(long, conflicts_with = "digest", required_unless_present = "digest")]
    data: Option<PathBuf>,
    /// The digest the token stamps, as ALG:HEX (sha1, sha256, sha384, sha512, sm3).
    #[arg(long)]
    digest: Option<String>,
    #[command(flatten)]
    options: VerifierArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(command: TimestampCommand) -> i32 {
    match command {
        TimestampCommand::Verify(args) => verify(args),
    }
}

fn parse_digest(text: &str) -> Result<(DigestAlgorithm, Vec<u8>), String> {
    let (alg, hex_text) = text
        .split_once(':')
        .ok_or_else(|| format!("--digest {text}: expected ALG:HEX"))?;
    let alg = DigestAlgorithm::ALL
        .into_iter()
        .find(|d| {
            d.name()
                .replace('-', "")
                .eq_ignore_ascii_case(&alg.replace('-', ""))
        })
        .ok_or_else(|| {
            format!("--digest: unknown algorithm {alg} (sha1, sha256, sha384, sha512, sm3)")
        })?;
    let bytes = hex::decode(hex_text.trim()).map_err(|e| format!("--digest: {e}"))?;
    if bytes.len() != alg.output_len() {
        return Err(format!(
            "--digest: {alg} digests are {} bytes, this one is {}",
            alg.output_len(),
            bytes.len()
        ));
    }
    Ok((alg, bytes))
}

fn verify(args: VerifyTimestampArgs) -> i32 {
    let limits = Limits::default();
    let json = args.format.json();
    let fail = |kind, file: Option<&str>, msg: &str| {
        output::fail("timestamp verify", json, kind, file, msg)
    };
    let config = match args.options.config() {
        Ok(c) => c,
        Err((kind, msg)) => return fail(kind, None, &msg),
    };
    let digest = match args.digest.as_deref().map(parse_digest).transpose() {
        Ok(d) => d,
        Err(msg) => return fail(ErrorKind::Usage, None, &msg),
    };
    let read = |p: &PathBuf| input::read_file(p, &limits).map_err(|e| e.to_string());
    let token_name = args.token.display().to_string();
    let token = match read(&args.token) {
        Ok(t) => t,
        Err(e) => return fail(ErrorKind::Unreadable, Some(&token_name), &e),
    };
    let data = match args.data.as_ref().map(read).transpose() {
        Ok(d) => d,
        Err(e) => {
            let name = args.data.as_ref().map(|p| p.display().to_string());
            return fail(ErrorKind::Unreadable, name.as_deref(), &e);
        }
    };
    let prepared = match VerifierArgs::build_verifier(&config) {
        Ok(p) => p,
        Err((kind, e)) => return fail(kind, None, &e),
    };
    let stamped = match (&data, &digest) {
        (Some(d), _) => Stamped::Data(d),
        (None, Some((alg, d))) => Stamped::Digest(*alg, d),
        (None, None) => {
            return fail(
                ErrorKind::Usage,
                None,
                "give --data FILE or --digest ALG:HEX",
            )
        }
    };
    let report = match prepared
        .verifier
        .verify_timestamp(&token, stamped, Call::new())
    {
        Ok(r) => r,
        Err(e) => {
            return fail(
                e.kind(),
                Some(&token_name),
                &output::about(&token_name, &e.to_string()),
            )
        }
    };
    match args.format {
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => out!("{s}"),
            Err(e) => return fail(ErrorKind::Internal, Some(&token_name), &e.to_string()),
        },
        Format::Text => {
            let t = &report.timestamp;
            if let Some(line) =
                revocation_line(&mut t.checks.iter(), args.options.revocation_mode())
            {
                out!("{line}");
            }
            let verdict = match t.sub_indication {
                Some(s) => format!("{} / {s}", t.indication),
                None => t.indication.to_string(),
            };
            out!(
                "TIMESTAMP {verdict}: {} at {}",
                args.token.display(),
                report.validation_time
            );
            out!(
                "  genTime  {}",
                t.gen_time.as_deref().unwrap_or("(unknown)")
            );
            out!("  TSA      {}", t.tsa.as_deref().unwrap_or("(not found)"));
            out!("  policy   {}", t.policy);
            out!("  serial   {}", t.serial);
            out!("  imprint  {}:{}", t.hash_algorithm, t.message_imprint);
            for c in t.checks.iter().filter(|c| c.status == Status::Failed) {
                out!("  FAILED {}: {}", c.rule, super::text::described(c));
            }
            for c in t.checks.iter().filter(|c| c.status == Status::Warning) {
                out!("  WARNING {}: {}", c.rule, super::text::described(c));
            }
        }
    }
    exit_code(report.timestamp.indication)
}
