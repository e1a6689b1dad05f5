//! One signer of a SignedData: the per-signer checks (RFC 5652 §5.4, §5.6, §11; RFC 5035;
//! RFC 6211), signer certificate lookup and one-pass content digesting.

use std::io::Read;
use std::sync::Arc;

use super::{SignedData, SignerCheck, SignerId, SignerInfo};
use crate::asn1::oid::known as oids;
use crate::asn1::{AlgorithmIdentifier, Oid};
use crate::crypto::{self, AlgorithmPolicy, DigestAlgorithm, Signed};
use crate::verdict::{Check, Rule};
use crate::x509::ext::normalize_serial;
use crate::x509::Certificate;

const BLOCK: usize = 64 * 1024;
/// The first read's buffer.
const SMALL_BLOCK: usize = 4 * 1024;

/// Extra inputs to [`check_signer_with`].
#[derive(Clone, Copy, Debug, Default)]
pub struct SignerInputs<'a> {
    /// The content of a detached SignedData. Needed only when the signer has no signed
    /// attributes (the signature then covers the content itself) and its algorithm cannot
    /// work from the digest (SM2, Ed25519: see [`crypto::can_verify_prehashed`]).
    pub detached_content: Option<&'a [u8]>,
    /// True when the detached content was supplied and streamed through the digest: a
    /// signer without signed attributes is then checked over `content_digest` when its
    /// algorithm allows (RSA, ECDSA, DSA), without the content in memory.
    pub content_digested: bool,
    /// The DSA parameters the signer certificate's key inherits (RFC 3279 §2.3.2), as the
    /// validated certificate path carries them down (`validate::inherited_key_params`).
    pub inherited_params: Option<&'a [u8]>,
    /// When `inherited_params` is not known (no validated path): certificates besides
    /// `SignedData::certificates` in which to look for the signer certificate's issuer.
    pub issuer_candidates: &'a [Arc<Certificate>],
}

/// Finds the certificate a SignerInfo names: issuer and serial number (RFC 5280 name
/// matching, serials compared without redundant leading zeros), or subjectKeyIdentifier.
pub fn find_signer_certificate<'c>(
    signer: &SignerInfo,
    candidates: impl IntoIterator<Item = &'c Arc<Certificate>>,
) -> Option<Arc<Certificate>> {
    candidates
        .into_iter()
        .find(|c| sid_matches(&signer.sid, c))
        .cloned()
}

fn sid_matches(sid: &SignerId, cert: &Certificate) -> bool {
    match sid {
        SignerId::IssuerSerial { issuer, serial } => {
            cert.issuer.matches(issuer)
                && normalize_serial(&cert.serial) == normalize_serial(serial)
        }
        SignerId::SubjectKeyId(ski) => cert.extensions.subject_key_id.as_deref() == Some(ski),
    }
}

/// Digests everything `reader` yields with each algorithm, in one pass of blocks of up to
/// 64 KiB (the first reads go to a 4 KiB buffer on the stack, and a 64 KiB heap buffer is
/// made only once a read fills it, so small documents allocate nothing here).
pub fn digest_content(
    mut reader: impl Read,
    algorithms: &[DigestAlgorithm],
) -> std::io::Result<Vec<(DigestAlgorithm, Vec<u8>)>> {
    let mut hashers: Vec<_> = algorithms.iter().map(|a| (*a, a.hasher())).collect();
    let mut small = [0u8; SMALL_BLOCK];
    let mut large: Vec<u8> = Vec::new();
    loop {
        let buf: &mut [u8] = if large.is_empty() {
            &mut small
        } else {
            &mut large
        };
        let n = match reader.read(buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let filled = n == buf.len();
        let block = buf.get(..n).unwrap_or_default();
        for (_, h) in &mut hashers {
            h.update(block);
        }
        if filled && large.is_empty() {
            large = vec![0u8; BLOCK];
        }
    }
    Ok(hashers.into_iter().map(|(a, h)| (a, h.finish())).collect())
}

/// Digests content already in memory with each algorithm.
pub fn digest_bytes(
    content: &[u8],
    algorithms: &[DigestAlgorithm],
) -> Vec<(DigestAlgorithm, Vec<u8>)> {
    algorithms.iter().map(|a| (*a, a.digest(content))).collect()
}

/// Checks one signer of `sd` against its certificate: see [`check_signer_with`]. The DSA
/// parameters a signer key may inherit are looked for among `sd.certificates`; the content
/// is `sd.content` (a detached signer without signed attributes fails the signature check:
/// use [`check_signer_with`] and pass the content).
pub fn check_signer(
    sd: &SignedData,
    signer: &SignerInfo,
    cert: &Certificate,
    content_digest: &[u8],
    policy: &AlgorithmPolicy,
) -> SignerCheck {
    check_signer_with(
        sd,
        signer,
        cert,
        content_digest,
        policy,
        &SignerInputs::default(),
    )
}

/// Checks one signer of `sd` against its certificate. `content_digest` is the digest of the
/// content with `signer.digest_algorithm`, computed by the caller (see [`digest_content`]).
///
/// Checks, in order: `signer-identifier` (the certificate is the one the sid names),
/// `digest-algorithm` (known, and listed in SignedData.digestAlgorithms), `attribute-placement`
/// (RFC 5652 §11: contentType, messageDigest and signingTime only signed; counterSignature
/// only unsigned), `content-type`, `message-digest`, `algorithm-protection` (RFC 6211),
/// `signing-certificate` (RFC 2634 / RFC 5035: the first ESSCertID names this certificate)
/// and `signature` (over the DER SET OF signed attributes, or the content when there are none).
pub fn check_signer_with(
    sd: &SignedData,
    signer: &SignerInfo,
    cert: &Certificate,
    content_digest: &[u8],
    policy: &AlgorithmPolicy,
    inputs: &SignerInputs<'_>,
) -> SignerCheck {
    let mut out = Checks::default();
    let listed = sd
        .digest_algorithms
        .iter()
        .any(|a| a.oid == signer.digest_algorithm.oid);
    if listed {
        out.pass(
            Rule::DigestAlgorithmListed,
            "the signer's digest algorithm is listed in SignedData.digestAlgorithms",
        );
    } else {
        out.fail(
            Rule::DigestAlgorithmListed,
            format!(
                "the signer's digest algorithm {} is not listed in SignedData.digestAlgorithms",
                signer.digest_algorithm.oid
            ),
        );
    }
    let content = sd
        .content
        .as_deref()
        .or(inputs.detached_content)
        .map(Signed::Message)
        .or(inputs
            .content_digested
            .then_some(Signed::Digest(content_digest)));
    let issuers: Vec<&Arc<Certificate>> = sd
        .certificates
        .iter()
        .chain(inputs.issuer_candidates)
        .collect();
    let params = match inputs.inherited_params {
        Some(p) => KeyParams::Inherited(p),
        None => KeyParams::Lookup(&issuers),
    };
    run_checks(
        &mut out,
        Role::Signer(&sd.content_type),
        signer,
        cert,
        content_digest,
        content,
        params,
        policy,
    );
    out.finish()
}

/// Checks a counter-signature (RFC 5652 §11.4) on `parent`: its messageDigest covers the
/// parent's signature value, and its signed attributes must not hold a contentType.
/// `issuer_candidates` serve for DSA parameter inheritance as in [`SignerInputs`].
pub fn check_counter_signature(
    parent: &SignerInfo,
    counter: &SignerInfo,
    cert: &Certificate,
    policy: &AlgorithmPolicy,
    issuer_candidates: &[Arc<Certificate>],
) -> SignerCheck {
    let mut out = Checks::default();
    let digest = DigestAlgorithm::from_oid(&counter.digest_algorithm.oid)
        .map(|d| d.digest(&parent.signature))
        .unwrap_or_default();
    let issuers: Vec<&Arc<Certificate>> = issuer_candidates.iter().collect();
    run_checks(
        &mut out,
        Role::CounterSigner,
        counter,
        cert,
        &digest,
        Some(Signed::Message(&parent.signature)),
        KeyParams::Lookup(&issuers),
        policy,
    );
    out.finish()
}

#[derive(Default)]
struct Checks {
    checks: Vec<Check>,
    weaknesses: Vec<crypto::Weakness>,
    algorithm: Option<String>,
    encoding: Option<crypto::ValueEncoding>,
    deviations: Vec<crypto::SignatureDeviation>,
}

impl Checks {
    fn pass(&mut self, rule: Rule, message: impl Into<std::borrow::Cow<'static, str>>) {
        self.checks.push(Check::passed(rule, message));
    }
    fn fail(&mut self, rule: Rule, message: impl Into<std::borrow::Cow<'static, str>>) {
        self.checks.push(Check::failed(rule, message));
    }
    fn skip(&mut self, rule: Rule, message: impl Into<std::borrow::Cow<'static, str>>) {
        self.checks.push(Check::skipped(rule, message));
    }
    fn finish(self) -> SignerCheck {
        SignerCheck {
            checks: self.checks,
            weaknesses: self.weaknesses,
            algorithm: self.algorithm,
            signature_encoding: self.encoding,
            signature_deviations: self.deviations,
        }
    }
}

#[derive(Clone, Copy)]
enum Role<'a> {
    /// A SignerInfo of the SignedData, with the eContentType.
    Signer(&'a Oid),
    /// A counter-signature.
    CounterSigner,
}

#[allow(clippy::too_many_arguments)]
/// Where the DSA parameters a signer key inherits come from.
#[derive(Clone, Copy)]
enum KeyParams<'a> {
    /// From the validated certificate path.
    Inherited(&'a [u8]),
    /// Looked up among these certificates: the signer certificate's issuer, by name.
    Lookup(&'a [&'a Arc<Certificate>]),
}

#[allow(clippy::too_many_arguments)]
fn run_checks(
    out: &mut Checks,
    role: Role<'_>,
    signer: &SignerInfo,
    cert: &Certificate,
    content_digest: &[u8],
    content: Option<Signed<'_>>,
    params: KeyParams<'_>,
    policy: &AlgorithmPolicy,
) {
    check_identity(out, signer, cert);
    let digest = check_digest_algorithm(out, signer, content_digest);
    check_placement(out, signer);
    let Some(attrs) = &signer.signed_attrs else {
        check_without_attributes(out, role, signer, cert, digest, content, params, policy);
        return;
    };
    check_content_type(out, role, attrs);
    check_message_digest(out, attrs, content_digest);
    check_algorithm_protection(out, signer, attrs);
    check_signing_certificate(out, attrs, cert);
    check_signature(
        out,
        signer,
        cert,
        digest,
        Signed::Message(&attrs.der_for_signature),
        params,
        policy,
    );
}

/// The certificate is the one the SignerInfo's sid names.
fn check_identity(out: &mut Checks, signer: &SignerInfo, cert: &Certificate) {
    if sid_matches(&signer.sid, cert) {
        out.pass(
            Rule::SignerIdentifier,
            format!(
                "the certificate {} is the one the signer names",
                cert.label()
            ),
        );
    } else {
        out.fail(
            Rule::SignerIdentifier,
            format!(
                "the certificate {} is not the one the signer names",
                cert.label()
            ),
        );
    }
}

/// The content-type check's message for `id-data`, the content type nearly every signer has.
const DATA_CONTENT_TYPE_MATCHES: &str = "contentType 1.2.840.113549.1.7.1 matches eContentType";

/// The digest algorithm is known and the digest given has its length.
fn check_digest_algorithm(
    out: &mut Checks,
    signer: &SignerInfo,
    content_digest: &[u8],
) -> Option<DigestAlgorithm> {
    let digest = DigestAlgorithm::from_oid(&signer.digest_algorithm.oid);
    match digest {
        Some(d) if content_digest.len() == d.output_len() => {
            out.pass(Rule::DigestAlgorithm, d.passed_message());
        }
        Some(d) => out.fail(
            Rule::DigestAlgorithm,
            format!(
                "the content digest given has {} bytes; {d} has {}",
                content_digest.len(),
                d.output_len()
            ),
        ),
        None => out.fail(
            Rule::DigestAlgorithm,
            format!(
                "unsupported digest algorithm {}",
                signer.digest_algorithm.oid
            ),
        ),
    }
    digest
}

/// A signer without signed attributes signs the content itself (RFC 5652 §5.4), which is
/// then allowed only for id-data.
#[allow(clippy::too_many_arguments)]
fn check_without_attributes(
    out: &mut Checks,
    role: Role<'_>,
    signer: &SignerInfo,
    cert: &Certificate,
    digest: Option<DigestAlgorithm>,
    content: Option<Signed<'_>>,
    params: KeyParams<'_>,
    policy: &AlgorithmPolicy,
) {
    match role {
            Role::Signer(ct) if !super::oids::is_data(ct) => out.fail(
                Rule::ContentType,
                format!(
                    "eContentType is {ct}, not id-data, so signed attributes are required (RFC 5652 §5.3)"
                ),
            ),
            _ => out.skip(Rule::ContentType, "no signed attributes"),
        }
    out.skip(
        Rule::MessageDigest,
        "no signed attributes: the signature covers the content itself",
    );
    out.skip(Rule::AlgorithmProtection, "no signed attributes");
    out.skip(Rule::SigningCertificate, "no signed attributes");
    match content {
            Some(content) => check_signature(out, signer, cert, digest, content, params, policy),
            None => out.fail(
                Rule::ContentSupplied,
                "the content is detached and was not supplied; it is needed to verify a signer without signed attributes",
            ),
        }
}

/// RFC 5652 §5.3 / §11.1: contentType matches eContentType (absent in a counter-signature).
fn check_content_type(out: &mut Checks, role: Role<'_>, attrs: &super::SignedAttributes) {
    match (role, &attrs.content_type) {
        (Role::Signer(ct), Some(attr)) if attr == ct => {
            let message = if *attr == oids::DATA {
                // The usual case, without formatting the OID for every document.
                std::borrow::Cow::Borrowed(DATA_CONTENT_TYPE_MATCHES)
            } else {
                std::borrow::Cow::Owned(format!("contentType {attr} matches eContentType"))
            };
            out.pass(Rule::ContentType, message);
        }
        // PKCS#7 `data` and GB/T 35275 `data` name the same content type; Chinese CAs mix
        // them (eContentType 1.2.840.113549.1.7.1, contentType 1.2.156.10197.6.1.4.2.1).
        (Role::Signer(ct), Some(attr))
            if super::oids::is_data(ct) && super::oids::is_data(attr) =>
        {
            out.pass(
                Rule::ContentType,
                format!(
                    "contentType {attr} and eContentType {ct} are both id-data (PKCS#7 and GB/T 35275): equivalent; deviation: the two OIDs are mixed"
                ),
            );
        }
        (Role::Signer(ct), Some(attr)) => out.fail(
            Rule::ContentType,
            format!("contentType attribute {attr} differs from eContentType {ct}"),
        ),
        (Role::Signer(_), None) => out.fail(
            Rule::ContentType,
            "the signed attributes lack the required contentType attribute (RFC 5652 §5.3)",
        ),
        (Role::CounterSigner, None) => out.pass(
            Rule::ContentType,
            "no contentType attribute, as a counter-signature requires",
        ),
        (Role::CounterSigner, Some(_)) => out.fail(
            Rule::ContentType,
            "a counter-signature must not carry a contentType attribute (RFC 5652 §11.4)",
        ),
    }
}

/// RFC 5652 §11.2: messageDigest is the digest of the content.
fn check_message_digest(out: &mut Checks, attrs: &super::SignedAttributes, content_digest: &[u8]) {
    match &attrs.message_digest {
        None => out.fail(
            Rule::MessageDigest,
            "the signed attributes lack the required messageDigest attribute (RFC 5652 §5.3)",
        ),
        Some(md) if md.as_slice() == content_digest && !content_digest.is_empty() => {
            out.pass(Rule::MessageDigest, "messageDigest matches the content")
        }
        Some(_) => out.fail(
            Rule::MessageDigest,
            "messageDigest does not match the digest of the content",
        ),
    }
}

/// RFC 6211: CMSAlgorithmProtection names the signer's digest and signature algorithms.
fn check_algorithm_protection(
    out: &mut Checks,
    signer: &SignerInfo,
    attrs: &super::SignedAttributes,
) {
    match &attrs.algorithm_protection {
        None => out.skip(
            Rule::AlgorithmProtection,
            "no CMSAlgorithmProtection attribute",
        ),
        Some((d, s)) => {
            if !same_algorithm(d, &signer.digest_algorithm) {
                out.fail(
                    Rule::AlgorithmProtection,
                    format!(
                        "CMSAlgorithmProtection names digest {} but the signer uses {}",
                        d.oid, signer.digest_algorithm.oid
                    ),
                );
            } else if !s
                .as_ref()
                .is_some_and(|s| same_algorithm(s, &signer.signature_algorithm))
            {
                out.fail(
                    Rule::AlgorithmProtection,
                    format!(
                        "CMSAlgorithmProtection names signature {} but the signer uses {}",
                        s.as_ref()
                            .map_or_else(|| "none".to_owned(), |s| s.oid.to_string()),
                        signer.signature_algorithm.oid
                    ),
                );
            } else {
                out.pass(
                    Rule::AlgorithmProtection,
                    "CMSAlgorithmProtection matches the signer's algorithms",
                );
            }
        }
    }
}

/// RFC 2634 §5.4 / RFC 5035 §5.4: the first ESSCertID of each ESS signingCertificate
/// attribute present (v1, v2, or both) names the signer certificate. One check: it passes
/// when every attribute present matches, and fails naming the attribute that does not.
fn check_signing_certificate(
    out: &mut Checks,
    attrs: &super::SignedAttributes,
    cert: &Certificate,
) {
    let present: Vec<(&str, &[super::EssCertId])> = [
        ("signingCertificate", attrs.signing_certificate.as_deref()),
        (
            "signingCertificateV2",
            attrs.signing_certificate_v2.as_deref(),
        ),
    ]
    .into_iter()
    .filter_map(|(label, ids)| ids.map(|ids| (label, ids)))
    .collect();
    if present.is_empty() {
        out.skip(
            Rule::SigningCertificate,
            "no ESS signingCertificate attribute",
        );
        return;
    }
    let mut matched = Vec::new();
    for (label, ids) in present {
        match ess_cert_id_matches(ids, cert) {
            Ok(hash) => matched.push(format!("{label} ({hash})")),
            Err(why) => {
                out.fail(Rule::SigningCertificate, format!("{label}: {why}"));
                return;
            }
        }
    }
    out.pass(
        Rule::SigningCertificate,
        format!("{} name the signer certificate", matched.join(" and ")),
    );
}

/// Whether the first ESSCertID names `cert`: its hash algorithm's name, or why not.
fn ess_cert_id_matches(
    ids: &[super::EssCertId],
    cert: &Certificate,
) -> Result<DigestAlgorithm, String> {
    let id = ids.first().ok_or("no ESSCertID")?;
    let h = DigestAlgorithm::from_oid(&id.hash_algorithm.oid).ok_or_else(|| {
        format!(
            "unsupported ESSCertID hash algorithm {}",
            id.hash_algorithm.oid
        )
    })?;
    // The certificate's SHA-256 is computed once, when it is parsed.
    let matches = if h == DigestAlgorithm::Sha256 {
        cert.sha256.as_slice() == id.hash.as_slice()
    } else {
        h.digest(&cert.der) == id.hash
    };
    if !matches {
        return Err(format!(
            "the ESSCertID {h} hash does not match the signer certificate"
        ));
    }
    if let Some((names, serial)) = &id.issuer_serial {
        if normalize_serial(serial) != normalize_serial(&cert.serial)
            || (!names.is_empty() && !names.iter().any(|n| n.matches(&cert.issuer)))
        {
            return Err(
                "the ESSCertID issuerSerial does not match the signer certificate".to_owned(),
            );
        }
    }
    Ok(h)
}

/// RFC 5652 §11.1–§11.4: which attributes may be signed or unsigned.
fn check_placement(out: &mut Checks, signer: &SignerInfo) {
    let must_be_signed = [
        (&oids::ATTR_CONTENT_TYPE, "contentType"),
        (&oids::ATTR_MESSAGE_DIGEST, "messageDigest"),
        (&oids::ATTR_SIGNING_TIME, "signingTime"),
        (&oids::ATTR_SIGNING_CERTIFICATE, "signingCertificate"),
        (&oids::ATTR_SIGNING_CERTIFICATE_V2, "signingCertificateV2"),
        (&oids::ATTR_ALGORITHM_PROTECTION, "CMSAlgorithmProtection"),
    ];
    let mut problems = Vec::new();
    for attr in &signer.unsigned_attrs {
        if let Some((_, name)) = must_be_signed.iter().find(|(o, _)| **o == attr.oid) {
            problems.push(format!(
                "{name} is an unsigned attribute; it must be signed"
            ));
        }
    }
    if let Some(signed) = &signer.signed_attrs {
        if signed
            .attributes
            .iter()
            .any(|a| a.oid == oids::ATTR_COUNTER_SIGNATURE)
        {
            problems.push("counterSignature is a signed attribute; it must be unsigned".to_owned());
        }
    }
    if problems.is_empty() {
        out.pass(
            Rule::AttributePlacement,
            "attributes are where RFC 5652 §11 requires",
        );
    } else {
        out.fail(Rule::AttributePlacement, problems.join("; "));
    }
}

/// Same OID, and parameters equal with absent and NULL treated alike.
fn same_algorithm(a: &AlgorithmIdentifier, b: &AlgorithmIdentifier) -> bool {
    const NULL: &[u8] = &[0x05, 0x00];
    let norm = |p: &Option<Vec<u8>>| match p.as_deref() {
        None | Some(NULL) => None,
        Some(other) => Some(other.to_vec()),
    };
    a.oid == b.oid && norm(&a.params) == norm(&b.params)
}

fn check_signature(
    out: &mut Checks,
    signer: &SignerInfo,
    cert: &Certificate,
    digest: Option<DigestAlgorithm>,
    message: Signed<'_>,
    params: KeyParams<'_>,
    policy: &AlgorithmPolicy,
) {
    let Some(digest) = digest else {
        out.fail(
            Rule::SignatureAlgorithm,
            format!(
                "not verified: unsupported digest algorithm {}",
                signer.digest_algorithm.oid
            ),
        );
        return;
    };
    // GM/T 0010 "SM2-1" (1.2.156.10197.1.301.1) is SM2 with SM3: crypto resolves it.
    let sig_alg = &signer.signature_algorithm;
    let inherited = match params {
        _ if !crypto::needs_inherited_params(&cert.public_key) => None,
        KeyParams::Inherited(p) => Some(p),
        KeyParams::Lookup(issuers) => issuers
            .iter()
            .filter(|c| c.subject.matches(&cert.issuer))
            .find_map(|c| crypto::dsa_params(&c.public_key)),
    };
    match crypto::verify_signed(
        sig_alg,
        Some(digest),
        &cert.public_key,
        inherited,
        message,
        &signer.signature,
        policy,
    ) {
        Ok(v) => {
            let mut message = format!("{} signature verifies with {}", v.algorithm, cert.label());
            for d in &v.deviations {
                message.push_str(&format!("; deviation: {d}"));
            }
            out.pass(Rule::SignatureValue, message);
            out.algorithm = Some(v.algorithm.into_owned());
            out.weaknesses.extend(v.weaknesses);
            out.encoding = Some(v.encoding);
            out.deviations.extend(v.deviations);
        }
        Err(e) => out.fail(crypto::rule_for(&e), e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_messages_read_as_the_formatted_ones() {
        for d in DigestAlgorithm::ALL {
            assert_eq!(d.passed_message(), format!("digest algorithm {d}"));
        }
        assert_eq!(
            DATA_CONTENT_TYPE_MATCHES,
            format!("contentType {} matches eContentType", oids::DATA)
        );
    }
}
