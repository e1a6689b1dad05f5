//! The checks on one timestamp token alone (no certificate path): structure, messageImprint,
//! the signer's certificate, the CMS signer checks, the ESS binding (required for a TSA:
//! RFC 3161 §2.4.1, RFC 5816) and the TSA's identity.

use super::TimestampToken;
use crate::asn1::oid::known;
use crate::crypto::{AlgorithmPolicy, DigestAlgorithm, Weakness};
use crate::document::cms::{self, SignerInputs};
use crate::verdict::{Check, Rule, Status};
use crate::x509::{Certificate, GeneralName};
use std::sync::Arc;

/// What a token stamps.
#[derive(Clone, Copy, Debug)]
pub enum Stamped<'a> {
    /// These bytes (a SignerInfo's signature value, a file).
    Data(&'a [u8]),
    /// Their digest with this algorithm.
    Digest(DigestAlgorithm, &'a [u8]),
}

/// The result of [`check_token`].
#[derive(Clone, Debug)]
pub struct TokenCheck {
    /// Every check, in order.
    pub checks: Vec<Check>,
    /// The TSA's certificate, when found.
    pub tsa: Option<Arc<Certificate>>,
    /// The verified signature scheme.
    pub signature_algorithm: Option<String>,
    /// Weak choices accepted in the token's signature.
    pub weaknesses: Vec<Weakness>,
}

/// Checks `token` as a signed object stamping `stamped`: `rfc3161.token` (one SignerInfo,
/// granted, no unknown critical extension), `rfc3161.message-imprint`,
/// `signer-certificate` (among the token's certificates and `extra`), the CMS signer checks
/// (`message-digest`, `content-type`, `signing-certificate` — required here —,
/// `signature` …) and `rfc3161.tsa-identity`.
pub fn check_token(
    token: &TimestampToken,
    stamped: Stamped<'_>,
    extra: &[Arc<Certificate>],
    policy: &AlgorithmPolicy,
) -> TokenCheck {
    let mut out = TokenCheck {
        checks: Vec::new(),
        tsa: None,
        signature_algorithm: None,
        weaknesses: Vec::new(),
    };
    out.checks.push(structure(token));
    out.checks.push(imprint(token, stamped));
    let sd = &token.signed_data;
    let Some(si) = sd.signers.first() else {
        return out;
    };
    let candidates: Vec<&Arc<Certificate>> = sd.certificates.iter().chain(extra).collect();
    let Some(cert) = cms::find_signer_certificate(si, candidates.iter().copied()) else {
        out.checks.push(Check::failed(
            Rule::SignerCertificate,
            "the TSA's certificate is neither in the token nor among the supplied certificates",
        ));
        return out;
    };
    let digest = DigestAlgorithm::from_oid(&si.digest_algorithm.oid)
        .map(|d| d.digest(sd.content.as_deref().unwrap_or_default()))
        .unwrap_or_default();
    let inputs = SignerInputs {
        issuer_candidates: extra,
        ..SignerInputs::default()
    };
    let signer = cms::check_signer_with(sd, si, &cert, &digest, policy, &inputs);
    for mut c in signer.checks {
        if c.rule == Rule::SigningCertificate && c.status == Status::Skipped {
            c = Check::failed(
                Rule::SigningCertificate,
                "the token carries no ESS signingCertificate or signingCertificateV2 attribute; RFC 3161 §2.4.1 and RFC 5816 require one to bind the TSA's certificate",
            );
        }
        out.checks.push(c);
    }
    let carried: Vec<&Arc<Certificate>> = sd.certificates.iter().collect();
    out.checks.push(identity(token, &cert, &carried));
    out.signature_algorithm = signer.algorithm;
    out.weaknesses = signer.weaknesses;
    out.tsa = Some(cert);
    out
}

fn structure(token: &TimestampToken) -> Check {
    let sd = &token.signed_data;
    if sd.signers.len() != 1 {
        return Check::failed(
            Rule::TimestampToken,
            format!(
                "a timestamp token has exactly one SignerInfo (RFC 3161 §2.4.2); this one has {}",
                sd.signers.len()
            ),
        );
    }
    if let Some(o) = token.info.unknown_critical.first() {
        return Check::failed(
            Rule::TimestampToken,
            format!("TSTInfo carries the unsupported critical extension {o}"),
        );
    }
    let ct = if sd.content_type == known::GM_DATA {
        "TSTInfo under the GB/T 35275 data content type"
    } else {
        "TSTInfo (id-ct-TSTInfo)"
    };
    Check::passed(
        Rule::TimestampToken,
        match token.response_status {
            Some(s) => format!("TimeStampResp {}, one SignerInfo over a {ct}", s.as_str()),
            None => format!("one SignerInfo over a {ct}"),
        },
    )
}

fn imprint(token: &TimestampToken, stamped: Stamped<'_>) -> Check {
    let mi = &token.info.message_imprint;
    let Some(alg) = token.imprint_algorithm() else {
        return Check::failed(
            Rule::TimestampImprint,
            format!(
                "unsupported messageImprint hash algorithm {}",
                crate::asn1::oid::describe(&mi.hash_algorithm.oid)
            ),
        );
    };
    let digest = match stamped {
        Stamped::Data(d) => alg.digest(d),
        Stamped::Digest(a, d) if a == alg => d.to_vec(),
        Stamped::Digest(a, _) => {
            return Check::failed(
                Rule::TimestampImprint,
                format!("the token's messageImprint is {alg}; the digest given is {a}"),
            )
        }
    };
    if digest == mi.hashed_message {
        Check::passed(
            Rule::TimestampImprint,
            format!("the {alg} messageImprint matches what the token stamps"),
        )
    } else {
        Check::failed(
            Rule::TimestampImprint,
            format!(
                "the {alg} messageImprint {} is not the digest {} of what the token stamps",
                hex::encode(&mi.hashed_message),
                hex::encode(&digest)
            ),
        )
    }
}

/// RFC 3161 §2.4.2: `tsa`, when present, is one of the signing certificate's subject names;
/// and no other certificate carried with the token presents itself as the TSA (the same
/// subject, or an end-entity certificate for timeStamping; CA certificates of a
/// timestamping hierarchy often carry that purpose too and are not counted): a token that
/// offers look-alikes is refused rather than trusted to be read the right way.
fn identity(
    token: &TimestampToken,
    cert: &Arc<Certificate>,
    carried: &[&Arc<Certificate>],
) -> Check {
    if let Some(name) = &token.info.tsa {
        let names_it = match name {
            GeneralName::Directory(n) => cert.subject.matches(n),
            other => cert
                .extensions
                .subject_alt_name
                .as_ref()
                .is_some_and(|san| san.contains(other)),
        };
        if !names_it {
            return Check::failed(
                Rule::TsaIdentity,
                format!(
                    "TSTInfo.tsa {name} does not name the signing certificate {}",
                    cert.label()
                ),
            );
        }
    }
    let impostors: Vec<String> = carried
        .iter()
        .filter(|c| c.sha256 != cert.sha256)
        .filter(|c| {
            c.subject.matches(&cert.subject)
                || (!c.is_ca()
                    && c.extensions
                        .extended_key_usage
                        .as_ref()
                        .is_some_and(|e| e.contains(&known::KP_TIME_STAMPING)))
        })
        .map(|c| {
            format!(
                "{} (sha256 {})",
                c.label(),
                c.fingerprint().get(..16).unwrap_or_default()
            )
        })
        .collect();
    if !impostors.is_empty() {
        return Check::failed(
            Rule::TsaIdentity,
            format!(
                "besides the signing certificate {}, the token carries {} presenting itself as a TSA: {}",
                cert.label(),
                if impostors.len() == 1 { "another certificate" } else { "other certificates" },
                impostors.join(", ")
            ),
        );
    }
    Check::passed(Rule::TsaIdentity, format!("the TSA is {}", cert.label()))
}
