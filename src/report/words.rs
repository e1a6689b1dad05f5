//! Words: what sigbridge's verdicts mean, in sentences a person can act on — every
//! indication and sub-indication (what happened, and what the officer can do next), every
//! rule, every recognition condition, and times shown in UTC and in Hong Kong / Beijing time.
//! The CLI, the HTML report and the HTTP service all say the same thing because they all take
//! their words from here.

use crate::asn1::UnixTime;
use crate::document::Found;
use crate::verdict::{Indication, Rule, SubIndication};

/// What an indication means, in one sentence.
pub fn indication(i: Indication) -> &'static str {
    match i {
        Indication::TotalPassed => {
            "Every check passed: the signature is valid and its certificate is trusted."
        }
        Indication::TotalFailed => {
            "A check failed in a way more information cannot change: the signature must not be relied on."
        }
        Indication::Indeterminate => {
            "The signature could not be confirmed: something needed to decide is missing or does not hold."
        }
    }
}

/// What happened, for a sub-indication (one sentence).
pub fn explain(sub: SubIndication) -> &'static str {
    match sub {
        SubIndication::HashFailure => {
            "The document was changed after it was signed: its content no longer matches what the signer signed."
        }
        SubIndication::SigCryptoFailure => {
            "The signature value does not match the signer's key: the signature is broken or forged."
        }
        SubIndication::Revoked => {
            "A certificate of the chain was revoked by its certification authority."
        }
        SubIndication::RevokedNoPoe => {
            "A certificate of the chain was revoked, and nothing proves the document was signed before the revocation."
        }
        SubIndication::OutOfBoundsNoPoe => {
            "A certificate of the chain is outside its validity period (expired or not yet valid) at the validation time, and nothing proves the document was signed while it was valid."
        }
        SubIndication::NoCertificateChainFound => {
            "The signer's certificate does not lead to a trusted root: the root or an intermediate certificate is missing, or the root is not on the trust lists."
        }
        SubIndication::NoSigningCertificateFound => {
            "The signer's certificate is not in the document nor among the certificates given."
        }
        SubIndication::ChainConstraintsFailure => {
            "The certificate chain breaks a rule it must follow (a policy, a key usage, a name constraint), or the relying party does not recognise the certificate."
        }
        SubIndication::CryptoConstraintsFailure => {
            "An algorithm or key size used is not accepted by the algorithm policy."
        }
        SubIndication::FormatFailure => {
            "The signed data is malformed or incomplete, or the signed content is missing."
        }
        SubIndication::TryLater => {
            "The revocation status of a certificate could not be established: no usable CRL or OCSP response was available."
        }
        SubIndication::SigConstraintsFailure => {
            "The signature breaks a constraint of its seal: the signer is not one the seal authorises, or the claimed signing time is outside the seal's validity."
        }
        SubIndication::TimestampOrderFailure => {
            "The timestamps contradict the signature's history: a timestamp is older than the signer's certificate, or the content was stamped after the signature."
        }
        SubIndication::CryptoConstraintsFailureNoPoe => {
            "An algorithm used is no longer considered reliable, and nothing proves the document was signed before it stopped being so."
        }
    }
}

/// What the officer can do next, for a sub-indication (one sentence).
pub fn next_step(sub: SubIndication) -> &'static str {
    match sub {
        SubIndication::HashFailure => {
            "Check that you gave the right content file; if you did, ask the sender for the original signed document."
        }
        SubIndication::SigCryptoFailure => {
            "Do not rely on the document; ask the sender for a newly signed copy."
        }
        SubIndication::Revoked | SubIndication::RevokedNoPoe => {
            "Do not rely on the document unless the signer shows it was signed before the revocation (ask for a timestamped copy)."
        }
        SubIndication::OutOfBoundsNoPoe => {
            "Ask the signer for a copy carrying a timestamp from before the certificate expired, or verify at the signing time with --at if another record proves it."
        }
        SubIndication::NoCertificateChainFound => {
            "Get the missing intermediate (--cert FILE) or add the root to the trust list (sigbridge trust add FILE); `sigbridge trust list` shows which roots are expected but missing."
        }
        SubIndication::NoSigningCertificateFound => {
            "Ask the sender for the signer's certificate and give it with --cert FILE."
        }
        SubIndication::ChainConstraintsFailure => {
            "Read the failed check below; if the certificate is not recognised by the relying party, the document needs a signer whose certificate type that side recognises."
        }
        SubIndication::CryptoConstraintsFailure => {
            "Ask the signer to sign again with a current algorithm (for example SHA-256 with RSA-2048 or SM2)."
        }
        SubIndication::FormatFailure => {
            "For a detached signature (.p7s), give the signed content with --content FILE; otherwise ask the sender for the document again."
        }
        SubIndication::TryLater => {
            "Get the current CRL or OCSP response from the certification authority (its addresses are under \"CRL distribution points\" and \"Authority information access\" in `sigbridge inspect`) and give it with --crl FILE or --ocsp FILE, or try again later without --offline."
        }
        SubIndication::SigConstraintsFailure => {
            "Ask the sender which seal was used and for a copy sealed with a seal valid for the signer at the signing time."
        }
        SubIndication::TimestampOrderFailure => {
            "Do not rely on the document; ask the sender how it was signed and timestamped."
        }
        SubIndication::CryptoConstraintsFailureNoPoe => {
            "Ask the signer for a copy signed again with a current algorithm, or for one carrying a timestamp from before the algorithm's sunset date."
        }
    }
}

/// What a rule checks, in one sentence (for reports that list every check).
pub fn rule(r: Rule) -> &'static str {
    match r {
        Rule::SignerCertificate => "The signer's certificate can be found.",
        Rule::ContentSupplied => {
            "The signed content is available (attached, or given for a detached signature)."
        }
        Rule::ContentMatch => "Content given separately equals the content the document carries.",
        Rule::SignerIdentifier => "The certificate is the one the signature names.",
        Rule::DigestAlgorithmListed => "The signer's digest algorithm is listed in the document.",
        Rule::DigestAlgorithm => "The digest algorithm is known and accepted.",
        Rule::AttributePlacement => {
            "Signed and unsigned attributes are where the standard requires."
        }
        Rule::ContentType => "The signed content type matches the document's.",
        Rule::MessageDigest => "The content's digest matches the one the signer signed.",
        Rule::AlgorithmProtection => "The algorithms the signer protected match those used.",
        Rule::SigningCertificate => {
            "The signing-certificate attribute names the signer's certificate."
        }
        Rule::SignatureValue => "The signature value verifies with the signer's public key.",
        Rule::SignatureAlgorithm => "The signature algorithm and key are supported and accepted.",
        Rule::CertificatePath => "The certificate leads to a trusted root.",
        Rule::CertificateSignature => "Each certificate of the chain is signed by the next one up.",
        Rule::Algorithm => "Every algorithm and key size on the chain is accepted.",
        Rule::Validity => "Every certificate of the chain is within its validity period.",
        Rule::NameChaining => "Each certificate's issuer is the subject of the next one up.",
        Rule::NameConstraints => "Names obey the constraints the CAs set.",
        Rule::Policy => "The certificate policies required are present along the chain.",
        Rule::BasicConstraints => "Every intermediate certificate is a CA certificate.",
        Rule::PathLength => "No CA issues deeper than it is allowed to.",
        Rule::KeyUsage => "The certificate's key may be used for signing documents.",
        Rule::ExtendedKeyUsage => "The certificate's extended key usage allows this use.",
        Rule::CriticalExtension => {
            "No certificate has a critical extension sigbridge does not understand."
        }
        Rule::Version => "Certificate versions follow the rules (intermediates are version 3).",
        Rule::Profile => "Certificates follow the RFC 5280 issuing rules.",
        Rule::PeerName => "The certificate names the expected peer.",
        Rule::Depth => "The chain is not longer than allowed.",
        Rule::NoPath => "A chain to a trusted root exists.",
        Rule::Budget => "Path building finished within its search budget.",
        Rule::Revoked => "No certificate of the chain is revoked.",
        Rule::RevocationUnknown => "The revocation status of every certificate is known.",
        Rule::RevocationConflict => "The CRLs and OCSP responses agree on each status.",
        Rule::TimestampToken => "The timestamp token is well formed and granted.",
        Rule::TimestampImprint => "The timestamp stamps exactly these data.",
        Rule::TsaIdentity => "The timestamping authority is identified unambiguously.",
        Rule::ExtendedKeyUsageCritical => {
            "The certificate's extended key usage is marked critical."
        }
        Rule::ExtendedKeyUsageOnly => {
            "The certificate's extended key usage holds only the purpose required."
        }
        Rule::SignatureTimestamp => "A timestamp on the signature is valid.",
        Rule::ContentTimestamp => "A timestamp on the content is valid.",
        Rule::ProofOfExistence => "A timestamp proves when the signature existed.",
        Rule::TimestampOrder => "The timestamps come in the order the signature's life requires.",
        Rule::RevokedNoPoe => "Something proves the signature was made before any revocation.",
        Rule::AlgorithmSunset => {
            "Every algorithm was still reliable when the signature was proven to exist."
        }
        Rule::PdfSignatureDictionary => "The PDF signature dictionary is well formed.",
        Rule::PdfSubFilter => "The PDF signature's format (SubFilter) is one sigbridge verifies.",
        Rule::PdfCms => "The PDF signature holds one CMS signature of the right shape.",
        Rule::PdfByteRange => "The signed byte ranges exclude exactly the signature itself.",
        Rule::PdfCoverage => "The signature covers the whole file or exactly its revision.",
        Rule::PdfModifications => "Every change made after signing is an allowed kind of change.",
        Rule::PdfModificationsAssessed => "The changes made after signing could be compared.",
        Rule::PdfDocMdp => "The changes after signing stay within the certification permission.",
        Rule::PdfFieldMdp => "No locked form field changed after signing.",
        Rule::PdfSha1Digest => "The SHA-1 digest the signature carries is the document's.",
        Rule::PdfTimestampImprint => "The document timestamp stamps exactly these bytes.",
        Rule::PdfTimestampNotVerified => "Every timestamp check is made.",
        Rule::OfdSignatureXml => "The OFD signature description (Signature.xml) can be read.",
        Rule::OfdSignedValue => "The OFD signed value is in a known form.",
        Rule::OfdCheckMethod => "The digest method the OFD signature names is known and accepted.",
        Rule::OfdReferenceDigest => "Every file the OFD signature protects is unchanged.",
        Rule::OfdDataHash => "The signed value binds the signature description.",
        Rule::OfdPropertyInfo => "The signed value names this signature description.",
        Rule::OfdSignerCertificate => "The signer's certificate is present and readable.",
        Rule::OfdSignature => "The signer's signature verifies.",
        Rule::OfdSignedData => "The other checks of the signer's signed data hold.",
        Rule::OfdSealMakerCertificate => "The seal maker's certificate is present and readable.",
        Rule::OfdSealSignature => "The seal maker's signature over the seal verifies.",
        Rule::OfdSealFile => "The seal file named is the seal inside the signature.",
        Rule::OfdSignerInCertList => "The seal authorises the signer's certificate.",
        Rule::OfdSealValidity => "The claimed signing time is inside the seal's validity.",
        Rule::OfdSignerCertificateValidity => {
            "The claimed signing time is inside the signer certificate's validity."
        }
        Rule::OfdTimestamp => "A timestamp carried in the OFD signature is reported.",
        Rule::Recognition => "The relying party recognises the signer's certificate.",
        Rule::AnchorMissing => "Every root the chain needs is installed.",
    }
}

/// What a recognition condition id (`mr.issuer`, …) means, shortly, for a "not recognised"
/// line; `list` is the jurisdiction whose list holds the entry (`HK`, `GD`).
pub fn condition(id: &str, list: &str) -> String {
    match id {
        "domestic.anchor" => "its root is not on the list".to_string(),
        "mr.root" => format!("its root is not a mutual-recognition root of the {list} list"),
        "mr.issuer" => format!("its issuing CA is not on the {list} list"),
        "mr.type-name" => {
            "its certificate type is not one recognised under mutual recognition".to_string()
        }
        "mr.policy" => "it does not carry the mutual-recognition policy".to_string(),
        "mr.window" => "the validation time is outside the recognition period".to_string(),
        "path" => "its certificate path is not valid".to_string(),
        _ => "a recognition condition does not hold".to_string(),
    }
}

/// What a file that is not a signed document holds, and what sigbridge can do with it: two
/// sentences, e.g. ("this is a certificate, not a signed document", "To check it, use …").
pub fn found(f: Found) -> (String, &'static str) {
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    match f {
        Found::Empty => (
            "the file is empty".into(),
            "Give the signed document itself (.p7m, .p7s, .eml).",
        ),
        Found::Text => (
            "this is a text file, not a signed document".into(),
            "If it is the content a detached signature signs, verify the signature instead: `sigbridge verify SIGNATURE.p7s --content THIS-FILE`.",
        ),
        Found::Html => (
            "this is a web page (HTML), not a signed document".into(),
            "The download may have saved the page instead of the file: download the signed document itself.",
        ),
        Found::Binary => (
            "this is binary data of no kind sigbridge knows (not CMS/PKCS#7, S/MIME, PDF or OFD)".into(),
            "Check that this is the signed file (.p7m, .p7s, .eml) and that it was not damaged in transfer.",
        ),
        Found::Pdf => (
            "this is a PDF document; PDF verification is not available in this build".into(),
            "Verify its signatures with a PDF-capable build, or ask the sender for a CMS (.p7m/.p7s) copy.",
        ),
        Found::Zip => (
            "this is a ZIP package (an OFD document is one); OFD verification is not available in this build".into(),
            "Verify it with an OFD-capable build, or ask the sender for a CMS (.p7m/.p7s) copy.",
        ),
        Found::Certificate { count } => (
            format!(
                "this is a certificate file ({}), not a signed document",
                plural(count, "certificate", "certificates")
            ),
            "To check a certificate, use `sigbridge path --target FILE --anchor ROOT`; `sigbridge inspect FILE` shows what it holds; a trust-list root is added with `sigbridge trust add FILE`.",
        ),
        Found::Crl { count } => (
            format!(
                "this is a certificate revocation list ({}), not a signed document",
                plural(count, "CRL", "CRLs")
            ),
            "Give it to `sigbridge verify DOCUMENT --crl FILE`; `sigbridge inspect FILE` shows what it holds.",
        ),
        Found::PrivateKey => (
            "this is a private key, not a signed document (its contents were not read or shown)".into(),
            "No private key is ever needed to verify: keep it secret, and give the signed document instead.",
        ),
        Found::PublicKey => (
            "this is a bare public key, not a signed document".into(),
            "Certificates are checked, not bare keys: give the signed document, or the certificate with `sigbridge path --target`.",
        ),
        Found::CertificateRequest => (
            "this is a certificate signing request (PKCS#10), not a signed document".into(),
            "A request becomes a certificate only when a CA issues it; give the signed document instead.",
        ),
        Found::CertificateBundle { certificates, crls } => (
            format!(
                "this is a certificate bundle (a PKCS#7 \"certs-only\" file with {} and {}): it carries no signature",
                plural(certificates, "certificate", "certificates"),
                plural(crls, "CRL", "CRLs")
            ),
            "`sigbridge inspect FILE` lists its certificates; give it to `sigbridge verify DOCUMENT --cert FILE` as extra certificates, or check one with `sigbridge path --target`.",
        ),
        Found::OtherPem => (
            "this is PEM text of a kind that is not a signed document".into(),
            "Give the signed document itself (PEM label PKCS7 or CMS, or a .p7m/.p7s/.eml file).",
        ),
        Found::OtherAsn1 => (
            "this is ASN.1 data that is not a CMS/PKCS#7 signed document, certificate or CRL".into(),
            "Check that this is the signed file (.p7m, .p7s, .eml).",
        ),
    }
}

/// The full name of a jurisdiction code (`Hong Kong`, `Guangdong`).
pub fn jurisdiction(j: crate::trust::Jurisdiction) -> &'static str {
    match j {
        crate::trust::Jurisdiction::Hk => "Hong Kong",
        crate::trust::Jurisdiction::Gd => "Guangdong",
    }
}

/// Seconds east of UTC of Hong Kong and Beijing time.
const UTC8: i64 = 8 * 3600;

/// `2026-12-01 00:00:00 UTC`.
pub fn utc(t: UnixTime) -> String {
    stamp(t, 0)
        .map(|s| format!("{s} UTC"))
        .unwrap_or_else(|| t.to_string())
}

/// `2026-12-01 08:00:00 UTC+8`.
pub fn utc8(t: UnixTime) -> String {
    stamp(t, UTC8)
        .map(|s| format!("{s} UTC+8"))
        .unwrap_or_else(|| t.to_string())
}

/// A time in UTC and in Hong Kong / Beijing time:
/// `2026-12-01 00:00:00 UTC (2026-12-01 08:00:00 Hong Kong / Beijing time, UTC+8)`.
pub fn both_times(t: UnixTime) -> String {
    match stamp(t, UTC8) {
        Some(local) => format!("{} ({local} Hong Kong / Beijing time, UTC+8)", utc(t)),
        None => utc(t),
    }
}

/// [`both_times`] of an RFC 3339 time as the reports carry it; the text itself when it does
/// not parse.
pub fn both_times_of(rfc3339: &str) -> String {
    crate::asn1::parse_time(rfc3339)
        .map(both_times)
        .unwrap_or_else(|| rfc3339.to_string())
}

fn stamp(t: UnixTime, offset: i64) -> Option<String> {
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let dt = time::OffsetDateTime::from_unix_timestamp(t.checked_add(offset)?).ok()?;
    dt.format(&fmt).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Indication;

    #[test]
    fn times_in_both_zones() {
        let t = crate::asn1::parse_time("2026-12-01T00:00:00Z").unwrap();
        assert_eq!(
            both_times(t),
            "2026-12-01 00:00:00 UTC (2026-12-01 08:00:00 Hong Kong / Beijing time, UTC+8)"
        );
        assert_eq!(utc8(t - 9 * 3600), "2026-11-30 23:00:00 UTC+8");
        assert_eq!(both_times_of("not a time"), "not a time");
    }

    #[test]
    fn every_sub_indication_and_rule_has_words() {
        use SubIndication::*;
        for s in [
            HashFailure,
            SigCryptoFailure,
            Revoked,
            RevokedNoPoe,
            OutOfBoundsNoPoe,
            NoCertificateChainFound,
            NoSigningCertificateFound,
            ChainConstraintsFailure,
            CryptoConstraintsFailure,
            FormatFailure,
            TryLater,
        ] {
            assert!(explain(s).len() > 30 && next_step(s).len() > 30, "{s}");
        }
        let mut seen = std::collections::HashSet::new();
        for r in Rule::ALL {
            assert!(seen.insert(rule(*r)), "{} shares its words", r.id());
        }
        for i in [
            Indication::TotalPassed,
            Indication::TotalFailed,
            Indication::Indeterminate,
        ] {
            assert!(indication(i).ends_with('.'));
        }
    }
}
