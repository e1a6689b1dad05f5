//! `sigbridge inspect FILE`: what a certificate, CRL, CMS SignedData or S/MIME message holds,
//! for a person, in a fixed order (subject, issuer, serial, validity in UTC and UTC+8 with
//! expired / not yet valid, key, signature algorithm by name, key usage, EKU by name,
//! policies with the mutual-recognition marking, CRL distribution points, AIA, SKI/AKI,
//! fingerprints); or the `sigbridge-inspect/1` JSON.

use super::output::{self, about};
use super::Format;
use clap::Args;
use sigbridge::report::error::ErrorKind;
use sigbridge::report::inspect::{
    self, CertificateInfo, CrlInfo, InspectReport, Inspection, OfdDocumentInfo, OfdSignatureInfo,
    PdfInspection, SignerInfoSummary,
};
use sigbridge::report::words;
use sigbridge::trust::{format_sha256, parse_sha256};
use sigbridge::Limits;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// The file (DER, BER, PEM or an S/MIME .eml); `-` reads standard input.
    file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(args: InspectArgs) -> i32 {
    let limits = Limits::default();
    let json = args.format.json();
    if args.file.as_os_str() != "-" && super::document::is_pdf(&args.file).unwrap_or(false) {
        let name = args.file.display().to_string();
        return match super::document::inspect_file(&args.file, &limits) {
            Ok(inspection) => {
                print_or_json(InspectReport::new(&name, inspection), &name, args.format)
            }
            Err(e) => output::fail("inspect", json, ErrorKind::Malformed, Some(&name), &e),
        };
    }
    let (name, bytes) = match super::verify::read_document(&args.file, &limits) {
        Ok(x) => x,
        Err(e) => {
            return output::fail(
                "inspect",
                json,
                ErrorKind::Unreadable,
                Some(&args.file.display().to_string()),
                &e,
            )
        }
    };
    let (inspection, container) = match inspect::inspect_file(&bytes, &name, &limits) {
        Ok(x) => x,
        Err(e) => {
            let kind = if e.found.is_some() {
                ErrorKind::NotSigned
            } else {
                ErrorKind::Malformed
            };
            return output::fail(
                "inspect",
                json,
                kind,
                Some(&name),
                &about(&name, &e.to_string()),
            );
        }
    };
    let mut report = InspectReport::new(&name, inspection);
    report.container = container.map(str::to_owned);
    print_or_json(report, &name, args.format)
}

fn print_or_json(report: InspectReport, name: &str, format: Format) -> i32 {
    match format {
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => out!("{s}"),
            Err(e) => {
                return output::fail(
                    "inspect",
                    true,
                    ErrorKind::Internal,
                    Some(name),
                    &e.to_string(),
                )
            }
        },
        Format::Text => print(&report),
    }
    super::EXIT_VALID
}

fn print(r: &InspectReport) {
    let now = sigbridge::asn1::time::now();
    match &r.inspection {
        Inspection::Certificates { certificates } => {
            out!(
                "{}: {}",
                r.file,
                count(certificates.len(), "certificate", "certificates")
            );
            for (i, c) in certificates.iter().enumerate() {
                out!();
                out!("Certificate {} of {}", i + 1, certificates.len());
                certificate(c, "  ", now);
            }
        }
        Inspection::Crls { crls } => {
            out!(
                "{}: {}",
                r.file,
                count(
                    crls.len(),
                    "certificate revocation list (CRL)",
                    "certificate revocation lists (CRLs)"
                )
            );
            for (i, c) in crls.iter().enumerate() {
                out!();
                out!("CRL {} of {}", i + 1, crls.len());
                crl(c, "  ", now);
            }
        }
        Inspection::SignedData {
            content_type,
            content_length,
            signers,
            certificates,
            crls,
        } => {
            let wrapper = if r.container.as_deref() == Some("smime") {
                ", in an S/MIME message"
            } else {
                ""
            };
            let what = if signers.is_empty() {
                "a certificate bundle (CMS SignedData without signers: it signs nothing)"
            } else {
                "a signed document (CMS / PKCS#7 SignedData)"
            };
            out!("{}: {what}{wrapper}", r.file);
            field("  ", "Content type", &oid_named(content_type));
            match content_length {
                Some(n) => field("  ", "Content", &format!("attached, {n} bytes")),
                None => field(
                    "  ",
                    "Content",
                    "detached: give the signed file with `sigbridge verify FILE --content CONTENT`",
                ),
            }
            field("  ", "Signers", &signers.len().to_string());
            for (i, s) in signers.iter().enumerate() {
                out!();
                out!("  Signer {}", i + 1);
                signer(s, "    ");
            }
            out!();
            out!("  Certificates carried: {}", certificates.len());
            for (i, c) in certificates.iter().enumerate() {
                out!("  Certificate {} of {}", i + 1, certificates.len());
                certificate(c, "    ", now);
            }
            out!("  CRLs carried: {}", crls.len());
            for (i, c) in crls.iter().enumerate() {
                out!("  CRL {} of {}", i + 1, crls.len());
                crl(c, "    ", now);
            }
        }
        Inspection::Pdf(p) => pdf(&r.file, p, now),
        Inspection::Ofd {
            entries,
            documents,
            signatures,
        } => ofd(&r.file, *entries, documents, signatures),
    }
}

/// An OFD package as listed and parsed (nothing verified).
fn ofd(file: &str, entries: usize, documents: &[OfdDocumentInfo], signatures: &[OfdSignatureInfo]) {
    out!(
        "{file}: an OFD package ({entries} ZIP entries), {} document(s), {} seal(s) or signature(s)",
        documents.len(),
        signatures.len()
    );
    for d in documents {
        out!(
            "  Document {}: {}{}",
            d.index + 1,
            d.doc_root,
            d.doc_id
                .as_deref()
                .map(|i| format!(" (DocID {i})"))
                .unwrap_or_default()
        );
        if let Some(s) = &d.signatures {
            field("    ", "Signature list", s);
        }
    }
    for s in signatures {
        out!();
        out!("  {} {} (document {})", s.kind, s.id, s.document + 1);
        let pad = "    ";
        let opt = |label: &str, v: &Option<String>| {
            if let Some(v) = v {
                field(pad, label, v);
            }
        };
        opt("Signature.xml", &s.path);
        opt("Format", &s.format);
        opt("Provider", &s.provider);
        opt(
            "Signature method",
            &s.signature_method.as_deref().map(oid_named),
        );
        opt("Check method", &s.check_method);
        opt("Counter-signs", &s.relative);
        if let Some(t) = &s.signature_date_time {
            field(
                pad,
                "Signing time (claimed)",
                t.time.as_deref().unwrap_or(&t.text),
            );
        }
        if let Some(t) = &s.time_info {
            field(
                pad,
                "timeInfo (claimed)",
                t.time.as_deref().unwrap_or(&t.text),
            );
        }
        field(pad, "Files referenced", &s.references.to_string());
        field(pad, "Stamp annotations", &s.stamp_annots.to_string());
        opt("Signer", &s.signer);
        if let Some(seal) = &s.seal {
            field(pad, "Seal", &super::ofd_text::seal_name(seal));
            field(pad, "Seal valid", &super::ofd_text::seal_window(seal));
            if let Some(m) = &seal.maker {
                field(pad, "Seal maker", m);
            }
            field(
                pad,
                "Certificates the seal allows",
                &seal.cert_list_len.to_string(),
            );
            field(pad, "Seal picture", &label(&seal.picture));
        }
        opt("Cannot be read", &s.error);
    }
}

/// A PDF as the file describes it: revisions, each signature with its CMS, the DSS.
fn pdf(file: &str, p: &PdfInspection, now: i64) {
    out!(
        "{file}: a PDF, {} bytes, {} revision(s){}",
        p.length,
        p.revisions.len(),
        if p.encrypted { ", encrypted" } else { "" }
    );
    for rev in &p.revisions {
        out!(
            "  Revision {}: ends at byte {}, {} cross-reference entries ({}){}",
            rev.index,
            rev.end,
            rev.entries,
            label(&rev.xref_kind),
            if rev.linearized { ", linearized" } else { "" }
        );
    }
    for w in &p.warnings {
        out!("  Warning: {}", label(w));
    }
    field("  ", "Signatures", &p.signatures.len().to_string());
    for sig in &p.signatures {
        out!();
        out!("  Signature {} ({})", sig.index + 1, label(&sig.kind));
        let pad = "    ";
        let opt = |label: &str, v: &Option<String>| {
            if let Some(v) = v {
                field(pad, label, v);
            }
        };
        opt("Field", &sig.field_name);
        opt("SubFilter", &sig.sub_filter);
        field(pad, "In revision", &sig.revision.to_string());
        if let Some(page) = sig.page {
            field(pad, "Page", &page.to_string());
        }
        if let Some(br) = &sig.byte_range {
            let br: Vec<String> = br.iter().map(i64::to_string).collect();
            field(pad, "Byte range", &format!("[{}]", br.join(" ")));
        }
        if let Some(c) = &sig.coverage {
            field(pad, "Covers", &label(c));
        }
        opt("Claimed time (/M)", &sig.claimed_time);
        opt("Reason", &sig.reason);
        opt("Location", &sig.location);
        for problem in &sig.problems {
            out!("{pad}Problem: {}", label(problem));
        }
        if let Some(e) = &sig.cms_error {
            field(pad, "CMS", &format!("cannot be read: {e}"));
        }
        for (i, s) in sig.signers.iter().enumerate() {
            out!("{pad}Signer {}", i + 1);
            signer(s, "      ");
        }
        for (i, c) in sig.certificates.iter().enumerate() {
            out!("{pad}Certificate {} of {}", i + 1, sig.certificates.len());
            certificate(c, "      ", now);
        }
    }
    for d in &p.dss {
        out!();
        out!(
            "  DSS of revision {}: {} certificate(s), {} CRL(s), {} OCSP response(s), {} VRI entr(ies)",
            d.revision,
            d.certificates.len(),
            d.crls.len(),
            d.ocsp_responses.len(),
            d.vri.len()
        );
        for c in &d.certificates {
            certificate(c, "    ", now);
        }
        for c in &d.crls {
            crl(c, "    ", now);
        }
        for problem in &d.problems {
            out!("    Problem: {problem}");
        }
    }
}

/// An enum's JSON spelling, for people (`partial`, `document_timestamp`, …).
fn label<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s.replace('_', " "),
        Ok(other) => other.to_string(),
        Err(_) => "(unprintable)".to_string(),
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn field(pad: &str, label: &str, value: &str) {
    out!("{pad}{:<27}{value}", format!("{label}:"));
}

fn list(pad: &str, label: &str, values: &[String]) {
    match values {
        [] => {}
        [one] => field(pad, label, one),
        many => {
            out!("{pad}{label}:");
            for v in many {
                out!("{pad}  - {v}");
            }
        }
    }
}

fn oid_named(dotted: &str) -> String {
    match sigbridge::asn1::Oid::from_dotted(dotted).and_then(|o| o.name()) {
        Some(n) => format!("{n} ({dotted})"),
        None => dotted.to_string(),
    }
}

fn named(name: Option<&str>, dotted: &str) -> String {
    match name {
        Some(n) => format!("{n} ({dotted})"),
        None => format!("{dotted} (no name known to sigbridge)"),
    }
}

fn hex_colons(hex: &str) -> String {
    if let Some(s) = parse_sha256(hex) {
        return format_sha256(&s);
    }
    hex.as_bytes()
        .chunks(2)
        .map(|c| String::from_utf8_lossy(c).to_uppercase())
        .collect::<Vec<_>>()
        .join(":")
}

fn certificate(c: &CertificateInfo, pad: &str, now: i64) {
    field(pad, "Subject", &c.subject);
    field(pad, "Issuer", &c.issuer);
    field(pad, "Serial", &hex_colons(&c.serial));
    let from = sigbridge::asn1::parse_time(&c.not_before);
    let until = sigbridge::asn1::parse_time(&c.not_after);
    field(pad, "Valid from", &words::both_times_of(&c.not_before));
    let state = match (from, until) {
        (Some(f), _) if now < f => " (NOT YET VALID now)",
        (_, Some(u)) if now >= u => " (EXPIRED now)",
        (Some(_), Some(_)) => " (valid now)",
        _ => "",
    };
    field(
        pad,
        "Valid until",
        &format!("{}{state}", words::both_times_of(&c.not_after)),
    );
    field(pad, "Key", &c.public_key_description);
    field(
        pad,
        "Signature algorithm",
        &named(
            c.signature_algorithm_name.as_deref(),
            &c.signature_algorithm,
        ),
    );
    field(
        pad,
        "CA certificate",
        if c.ca {
            "yes (may issue certificates)"
        } else {
            "no"
        },
    );
    if let Some(k) = &c.key_usage {
        field(pad, "Key usage", &k.join(", "));
    }
    if let (Some(names), Some(oids)) = (&c.extended_key_usage_names, &c.extended_key_usage) {
        let v: Vec<String> = names
            .iter()
            .zip(oids)
            .map(|(n, o)| {
                if n == o {
                    format!("{o} (no name known to sigbridge)")
                } else {
                    format!("{n} ({o})")
                }
            })
            .collect();
        list(pad, "Extended key usage", &v);
    }
    let policies: Vec<String> = c
        .policies
        .iter()
        .map(|p| match (&p.mutual_recognition, &p.name) {
            (Some(v), _) if !v.is_empty() => {
                let parts: Vec<&str> = v.split('.').collect();
                match parts.as_slice() {
                    [y, ver, rel] => format!(
                        "{} — Hong Kong / Guangdong mutual-recognition policy, year {y}, version {ver}, release {rel}",
                        p.oid
                    ),
                    _ => format!("{} — under the mutual-recognition arc", p.oid),
                }
            }
            (Some(_), _) => format!("{} — under the Hong Kong / Guangdong mutual-recognition arc", p.oid),
            (None, Some(n)) => format!("{} ({n})", p.oid),
            (None, None) => p.oid.clone(),
        })
        .collect();
    list(pad, "Certificate policies", &policies);
    if let Some(san) = &c.subject_alt_name {
        list(pad, "Subject alternative names", san);
    }
    list(pad, "CRL distribution points", &c.crl_distribution_points);
    let aia: Vec<String> = c
        .authority_info_access
        .iter()
        .map(|a| {
            let m = match a.method.as_str() {
                "id-ad-caIssuers" => "CA issuers",
                "id-ad-ocsp" => "OCSP",
                other => other,
            };
            format!("{m}: {}", a.location)
        })
        .collect();
    list(pad, "Authority info access", &aia);
    if let Some(k) = &c.subject_key_identifier {
        field(pad, "Subject key identifier", &hex_colons(k));
    }
    if let Some(k) = &c.authority_key_identifier {
        field(pad, "Authority key identifier", &hex_colons(k));
    }
    field(pad, "SHA-256 fingerprint", &hex_colons(&c.sha256));
    field(pad, "SHA-1 fingerprint", &hex_colons(&c.sha1));
    if !c.unknown_critical_extensions.is_empty() {
        list(
            pad,
            "Unknown critical extensions",
            &c.unknown_critical_extensions,
        );
    }
}

fn crl(c: &CrlInfo, pad: &str, now: i64) {
    field(pad, "Issuer", &c.issuer);
    field(pad, "This update", &words::both_times_of(&c.this_update));
    match &c.next_update {
        Some(n) => {
            let state = match sigbridge::asn1::parse_time(n) {
                Some(t) if now >= t => " (OVERDUE now: get a newer CRL)",
                Some(_) => " (current now)",
                None => "",
            };
            field(
                pad,
                "Next update",
                &format!("{}{state}", words::both_times_of(n)),
            );
        }
        None => field(pad, "Next update", "none given"),
    }
    if let Some(n) = &c.crl_number {
        field(pad, "CRL number", &hex_colons(n));
    }
    field(
        pad,
        "Kind",
        if c.delta {
            "delta CRL (changes since a base CRL)"
        } else {
            "complete CRL"
        },
    );
    field(pad, "Revoked certificates", &c.entries.to_string());
    field(pad, "SHA-256 fingerprint", &hex_colons(&c.sha256));
}

fn signer(s: &SignerInfoSummary, pad: &str) {
    field(pad, "Identified by", &s.signer_id);
    field(
        pad,
        "Digest algorithm",
        &named(s.digest_algorithm_name.as_deref(), &s.digest_algorithm),
    );
    field(
        pad,
        "Signature algorithm",
        &named(
            s.signature_algorithm_name.as_deref(),
            &s.signature_algorithm,
        ),
    );
    match &s.claimed_signing_time {
        Some(t) => field(
            pad,
            "Claimed signing time",
            &format!(
                "{} (claimed by the signer, not proven)",
                words::both_times_of(t)
            ),
        ),
        None => field(pad, "Claimed signing time", "none"),
    }
    list(pad, "Signed attributes", &s.signed_attribute_names);
    list(pad, "Unsigned attributes", &s.unsigned_attribute_names);
    if s.counter_signatures > 0 {
        field(pad, "Counter-signatures", &s.counter_signatures.to_string());
    }
}
