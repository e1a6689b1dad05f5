//! Verdict: the vocabulary every stage reports in, and the one place where a failed rule
//! becomes an ETSI EN 319 102-1 indication.
//!
//! Every stage (document formats, path validation, revocation, recognition) reports what it
//! checked as [`Check`]s: a [`Rule`], a [`Status`], the object it concerns and a message for
//! people. [`Rule::verdict`] maps a failed rule to its indication and sub-indication — by the
//! rule alone, never by message text — and [`Verdict::worst`] combines verdicts by an explicit
//! [`Indication::severity`], not by declaration order.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// ETSI EN 319 102-1 main indication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Indication {
    /// Every check passed.
    TotalPassed,
    /// Not enough information to decide (a missing CRL, an expired certificate without proof
    /// of existence, an unknown chain, a constraint failure).
    Indeterminate,
    /// A check failed in a way more information cannot change (bad signature, revoked).
    TotalFailed,
}

impl Indication {
    /// The ETSI spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Indication::TotalPassed => "TOTAL_PASSED",
            Indication::Indeterminate => "INDETERMINATE",
            Indication::TotalFailed => "TOTAL_FAILED",
        }
    }

    /// How bad: TOTAL_FAILED (2) over INDETERMINATE (1) over TOTAL_PASSED (0).
    pub fn severity(self) -> u8 {
        match self {
            Indication::TotalPassed => 0,
            Indication::Indeterminate => 1,
            Indication::TotalFailed => 2,
        }
    }
}

impl fmt::Display for Indication {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// ETSI EN 319 102-1 sub-indications used by sigbridge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum SubIndication {
    /// The signed data's digest does not match.
    HashFailure,
    /// The signature value of the signed data object does not verify with the signing
    /// certificate's key.
    SigCryptoFailure,
    /// A certificate of the chain is revoked.
    Revoked,
    /// Revoked, and no proof of existence before the revocation.
    RevokedNoPoe,
    /// A certificate is outside its validity period, and no proof of existence inside it.
    OutOfBoundsNoPoe,
    /// No chain to a trust anchor could be built.
    NoCertificateChainFound,
    /// The signer's certificate was not found.
    NoSigningCertificateFound,
    /// A chain constraint (RFC 5280 rule, policy, recognition) failed.
    ChainConstraintsFailure,
    /// An algorithm or key size is not acceptable under the algorithm policy.
    CryptoConstraintsFailure,
    /// The input is malformed.
    FormatFailure,
    /// An attribute of the signature does not meet a constraint of the validation (for an OFD
    /// seal: the signer is not among the seal's certificates, or the claimed signing time is
    /// outside the seal's validity).
    SigConstraintsFailure,
    /// Revocation status unknown now; trying later may help.
    TryLater,
    /// The timestamps are not in the order the signature's life requires (a timestamp
    /// before the signing certificate was issued, a content timestamp after a signature
    /// timestamp).
    TimestampOrderFailure,
    /// An algorithm is no longer reliable (past its sunset date) and there is no proof of
    /// existence of the signed object before that date.
    CryptoConstraintsFailureNoPoe,
}

impl SubIndication {
    /// The ETSI spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SubIndication::HashFailure => "HASH_FAILURE",
            SubIndication::SigCryptoFailure => "SIG_CRYPTO_FAILURE",
            SubIndication::Revoked => "REVOKED",
            SubIndication::RevokedNoPoe => "REVOKED_NO_POE",
            SubIndication::OutOfBoundsNoPoe => "OUT_OF_BOUNDS_NO_POE",
            SubIndication::NoCertificateChainFound => "NO_CERTIFICATE_CHAIN_FOUND",
            SubIndication::NoSigningCertificateFound => "NO_SIGNING_CERTIFICATE_FOUND",
            SubIndication::ChainConstraintsFailure => "CHAIN_CONSTRAINTS_FAILURE",
            SubIndication::CryptoConstraintsFailure => "CRYPTO_CONSTRAINTS_FAILURE",
            SubIndication::FormatFailure => "FORMAT_FAILURE",
            SubIndication::SigConstraintsFailure => "SIG_CONSTRAINTS_FAILURE",
            SubIndication::TryLater => "TRY_LATER",
            SubIndication::TimestampOrderFailure => "TIMESTAMP_ORDER_FAILURE",
            SubIndication::CryptoConstraintsFailureNoPoe => "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
        }
    }
}

impl fmt::Display for SubIndication {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An indication with its sub-indication (none when passed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Verdict {
    /// The main indication.
    pub indication: Indication,
    /// The sub-indication; `None` exactly when passed.
    pub sub_indication: Option<SubIndication>,
}

impl Verdict {
    /// TOTAL_PASSED.
    pub const PASSED: Verdict = Verdict {
        indication: Indication::TotalPassed,
        sub_indication: None,
    };

    /// A failing verdict.
    pub fn failed(indication: Indication, sub: SubIndication) -> Verdict {
        Verdict {
            indication,
            sub_indication: Some(sub),
        }
    }

    /// True when TOTAL_PASSED.
    pub fn passed(self) -> bool {
        self.indication == Indication::TotalPassed
    }

    /// The more severe of the two; on a tie, `self` (the one found first) is kept.
    pub fn worse(self, other: Verdict) -> Verdict {
        if other.indication.severity() > self.indication.severity() {
            other
        } else {
            self
        }
    }

    /// The most severe of `verdicts` (the first on a tie); TOTAL_PASSED when empty.
    pub fn worst(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
        verdicts.into_iter().fold(Verdict::PASSED, Verdict::worse)
    }

    /// The verdict of the first failed check that is the most severe; TOTAL_PASSED when none
    /// failed.
    pub fn of_checks<'a>(checks: impl IntoIterator<Item = &'a Check>) -> Verdict {
        Verdict::worst(checks.into_iter().filter_map(Check::verdict))
    }
}

/// Every rule sigbridge checks. The identifier (`id()`) is stable and is what JSON carries;
/// [`Rule::verdict`] says what a failure of the rule means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Rule {
    // --- The signed document (RFC 5652, GB/T 35275) ---
    /// The signer's certificate was found (in the document or the supplied certificates).
    SignerCertificate,
    /// The content of a detached signature was supplied.
    ContentSupplied,
    /// Content given separately equals the content the document encapsulates.
    ContentMatch,
    /// The content was given by its digest only, and this signer can be checked from it
    /// (its digest algorithm is the digest's, and it has signed attributes or an algorithm
    /// that works from a digest).
    ContentDigest,
    /// The certificate is the one the SignerInfo's sid names.
    SignerIdentifier,
    /// The signer's digest algorithm is listed in SignedData.digestAlgorithms.
    DigestAlgorithmListed,
    /// The digest algorithm is known and acceptable.
    DigestAlgorithm,
    /// RFC 5652 §11: attributes are signed or unsigned where they must be.
    AttributePlacement,
    /// The contentType attribute matches eContentType.
    ContentType,
    /// The messageDigest attribute matches the content.
    MessageDigest,
    /// RFC 6211 CMSAlgorithmProtection matches the signer's algorithms.
    AlgorithmProtection,
    /// RFC 2634 / RFC 5035 ESS signingCertificate(V2) names the signer certificate.
    SigningCertificate,
    /// The signature value verifies with the signer certificate's key.
    SignatureValue,
    /// The signature algorithm or key is supported and allowed by the algorithm policy.
    SignatureAlgorithm,
    // --- The certificate path (RFC 5280 §6.1) ---
    /// A path to a trust anchor was validated (reported when it passes).
    CertificatePath,
    /// RFC 5280 §6.1.3 (a)(1): the signature on a certificate of the path.
    CertificateSignature,
    /// The algorithm policy rejected an algorithm or key size on the path.
    Algorithm,
    /// RFC 5280 §6.1.3 (a)(2): validity period.
    Validity,
    /// RFC 5280 §6.1.3 (a)(4): issuer name equals the previous subject.
    NameChaining,
    /// RFC 5280 §6.1.3 (b)(c): name constraints.
    NameConstraints,
    /// RFC 5280 §6.1.3 (d)-(f), §6.1.4 (a)(h)-(j), §6.1.5 (g): certificate policies.
    Policy,
    /// RFC 5280 §6.1.4 (k): basicConstraints cA on intermediate certificates.
    BasicConstraints,
    /// RFC 5280 §6.1.4 (l)(m): pathLenConstraint.
    PathLength,
    /// RFC 5280 §6.1.4 (n) and the end-entity key usage the caller requires.
    KeyUsage,
    /// extendedKeyUsage the caller requires.
    ExtendedKeyUsage,
    /// RFC 5280 §6.1.4 (o), §6.1.5 (f): unrecognised critical extension.
    CriticalExtension,
    /// Certificate version rules (intermediates must be v3).
    Version,
    /// RFC 5280 §4 issuance rules (and, when asked, the Web PKI profile).
    Profile,
    /// The expected peer name (DNS, IP, e-mail) is not in the certificate.
    PeerName,
    /// The caller's maximum chain depth.
    Depth,
    /// No path to a trust anchor.
    NoPath,
    /// A path-building budget (`Limits`) was exhausted before every candidate was tried.
    Budget,
    // --- Revocation (RFC 5280 §6.3) ---
    /// The certificate is revoked.
    Revoked,
    /// The revocation status could not be established.
    RevocationUnknown,
    /// Revocation sources disagree (a CRL lists the certificate, an OCSP response says good).
    RevocationConflict,
    // --- Timestamps (RFC 3161, RFC 5816) ---
    /// The timestamp token is well formed: a granted TimeStampResp (when wrapped), a
    /// SignedData with one signer over an id-ct-TSTInfo, a TSTInfo that decodes.
    TimestampToken,
    /// The token's messageImprint is the digest of what it stamps.
    TimestampImprint,
    /// The TSA is identified unambiguously: TSTInfo.tsa names the signing certificate and no
    /// other certificate the token carries presents itself as the TSA.
    TsaIdentity,
    /// The end entity's extendedKeyUsage is marked critical (RFC 3161 §2.3).
    ExtendedKeyUsageCritical,
    /// The end entity's extendedKeyUsage holds exactly the required purposes.
    ExtendedKeyUsageOnly,
    // --- Long-term validation (EN 319 102-1 §5.5, §5.6) ---
    /// A signature timestamp on the signer (reported; a failed one is not used).
    SignatureTimestamp,
    /// A content timestamp on the signer (reported; a failed one is not used).
    ContentTimestamp,
    /// The judgement rests on a proof of existence from a timestamp.
    ProofOfExistence,
    /// The timestamps are in the order the signature's life requires.
    TimestampOrder,
    /// A certificate of the path is revoked and nothing proves the signature was made
    /// before the revocation.
    RevokedNoPoe,
    /// An algorithm past its sunset date, without proof of existence before that date.
    AlgorithmSunset,
    // --- Trust lists ---
    /// The signer is recognised by the relying party's jurisdiction.
    Recognition,
    /// The chain leads to an anchor a trust list expects but whose certificate is not
    /// installed (reported as a warning, with where to get it).
    AnchorMissing,
    // --- PDF signatures (ISO 32000-1 §12.8, EN 319 142-1) ---
    /// The signature dictionary is well formed: `/Contents` and `/ByteRange` present and
    /// of the right type (a malformed one is an invalid signature, never "no signature":
    /// Universal Signature Forgery).
    PdfSignatureDictionary,
    /// The `/SubFilter` is one sigbridge verifies.
    PdfSubFilter,
    /// `/Contents` holds one CMS SignedData of the shape the SubFilter requires.
    PdfCms,
    /// `/ByteRange` is `[0 b c d]` with its gap exactly this signature's `/Contents`
    /// string, inside the file (Signature Wrapping).
    PdfByteRange,
    /// The signed bytes are the whole file, or exactly the revision that holds the
    /// signature.
    PdfCoverage,
    /// Every change after signing is explained by a rule (reject by default): nothing at
    /// level `other`.
    PdfModifications,
    /// The changes after signing could be compared (not possible in an encrypted file
    /// without its password).
    PdfModificationsAssessed,
    /// The changes after signing stay within the DocMDP (certification) or `/Lock /P`
    /// permission.
    PdfDocMdp,
    /// No field that FieldMDP or `/Lock` locks changed after signing.
    PdfFieldMdp,
    /// `adbe.pkcs7.sha1`: the encapsulated content is the SHA-1 of the byte ranges.
    PdfSha1Digest,
    /// A document timestamp's messageImprint is the hash of the byte ranges.
    PdfTimestampImprint,
    /// A timestamp whose RFC 3161 checks are not made yet: reported as skipped, never
    /// passed.
    PdfTimestampNotVerified,
    // --- OFD seals and signatures (GB/T 33190, GB/T 38540, GM/T 0031, GB/T 35275) ---
    /// `Signature.xml` was found and parsed.
    OfdSignatureXml,
    /// `SignedValue.dat` is one of the known forms (V4, V1, SignedData, bare SM2).
    OfdSignedValue,
    /// `References/@CheckMethod` names a hash this verifier computes and accepts.
    OfdCheckMethod,
    /// A referenced file is in the package and its digest matches its `CheckValue`.
    OfdReferenceDigest,
    /// The signed block binds `Signature.xml` (`dataHash`, messageDigest or eContent).
    OfdDataHash,
    /// `propertyInfo` names this `Signature.xml`.
    OfdPropertyInfo,
    /// The signer's certificate is present and parses (or was supplied for a bare signature).
    OfdSignerCertificate,
    /// The signer's signature verifies (over `TBS_Sign`, the SignedData, or `Signature.xml`).
    OfdSignature,
    /// The other SignerInfo checks of a SignedData signature.
    OfdSignedData,
    /// The seal maker's certificate is present and parses.
    OfdSealMakerCertificate,
    /// The seal maker's signature over the seal verifies.
    OfdSealSignature,
    /// The `Seal` file `SignedInfo` names is the seal inside the signature.
    OfdSealFile,
    /// The signer's certificate is one the seal authorises (`certList`).
    OfdSignerInCertList,
    /// The claimed signing time is inside the seal's validity window.
    OfdSealValidity,
    /// The claimed signing time is inside the signer certificate's validity.
    OfdSignerCertificateValidity,
    /// A timestamp carried in the signature (reported; verified once RFC 3161 support lands).
    OfdTimestamp,
}

impl Rule {
    /// Stable identifier, e.g. `rfc5280.validity`.
    pub fn id(self) -> &'static str {
        match self {
            Rule::SignerCertificate => "signer-certificate",
            Rule::ContentSupplied => "content",
            Rule::ContentMatch => "content-match",
            Rule::ContentDigest => "content-digest",
            Rule::SignerIdentifier => "signer-identifier",
            Rule::DigestAlgorithmListed => "digest-algorithm-listed",
            Rule::DigestAlgorithm => "digest-algorithm",
            Rule::AttributePlacement => "attribute-placement",
            Rule::ContentType => "content-type",
            Rule::MessageDigest => "message-digest",
            Rule::AlgorithmProtection => "algorithm-protection",
            Rule::SigningCertificate => "signing-certificate",
            Rule::SignatureValue => "signature",
            Rule::SignatureAlgorithm => "signature-algorithm",
            Rule::CertificatePath => "certificate-path",
            Rule::CertificateSignature => "rfc5280.signature",
            Rule::Algorithm => "algorithm-policy",
            Rule::Validity => "rfc5280.validity",
            Rule::NameChaining => "rfc5280.name-chaining",
            Rule::NameConstraints => "rfc5280.name-constraints",
            Rule::Policy => "rfc5280.certificate-policies",
            Rule::BasicConstraints => "rfc5280.basic-constraints",
            Rule::PathLength => "rfc5280.path-length",
            Rule::KeyUsage => "rfc5280.key-usage",
            Rule::ExtendedKeyUsage => "extended-key-usage",
            Rule::CriticalExtension => "rfc5280.unknown-critical-extension",
            Rule::Version => "rfc5280.version",
            Rule::Profile => "rfc5280.profile",
            Rule::PeerName => "peer-name",
            Rule::Depth => "max-chain-depth",
            Rule::NoPath => "path-building.no-path",
            Rule::Budget => "path-building.budget",
            Rule::Revoked => "rfc5280.revocation.revoked",
            Rule::RevocationUnknown => "rfc5280.revocation.unknown",
            Rule::RevocationConflict => "revocation.conflict",
            Rule::TimestampToken => "rfc3161.token",
            Rule::TimestampImprint => "rfc3161.message-imprint",
            Rule::TsaIdentity => "rfc3161.tsa-identity",
            Rule::ExtendedKeyUsageCritical => "rfc3161.eku-critical",
            Rule::ExtendedKeyUsageOnly => "rfc3161.eku-only",
            Rule::SignatureTimestamp => "ltv.signature-timestamp",
            Rule::ContentTimestamp => "ltv.content-timestamp",
            Rule::ProofOfExistence => "ltv.proof-of-existence",
            Rule::TimestampOrder => "ltv.timestamp-order",
            Rule::RevokedNoPoe => "ltv.revoked-no-poe",
            Rule::AlgorithmSunset => "ltv.algorithm-sunset",
            Rule::Recognition => "recognition",
            Rule::AnchorMissing => "trust-list.anchor-missing",
            Rule::PdfSignatureDictionary => "pdf.signature-dictionary",
            Rule::PdfSubFilter => "pdf.sub-filter",
            Rule::PdfCms => "pdf.cms",
            Rule::PdfByteRange => "pdf.byte-range",
            Rule::PdfCoverage => "pdf.coverage",
            Rule::PdfModifications => "pdf.modifications",
            Rule::PdfModificationsAssessed => "pdf.modifications-assessed",
            Rule::PdfDocMdp => "pdf.docmdp",
            Rule::PdfFieldMdp => "pdf.fieldmdp",
            Rule::PdfSha1Digest => "pdf.sha1-digest",
            Rule::PdfTimestampImprint => "pdf.timestamp-imprint",
            Rule::PdfTimestampNotVerified => "pdf.timestamp-not-verified",
            Rule::OfdSignatureXml => "ofd.signature-xml",
            Rule::OfdSignedValue => "ofd.signed-value",
            Rule::OfdCheckMethod => "ofd.check-method",
            Rule::OfdReferenceDigest => "ofd.reference-digest",
            Rule::OfdDataHash => "ofd.data-hash",
            Rule::OfdPropertyInfo => "ofd.property-info",
            Rule::OfdSignerCertificate => "ofd.signer-certificate",
            Rule::OfdSignature => "ofd.signature",
            Rule::OfdSignedData => "ofd.signed-data",
            Rule::OfdSealMakerCertificate => "ofd.seal-maker-certificate",
            Rule::OfdSealSignature => "ofd.seal-signature",
            Rule::OfdSealFile => "ofd.seal-file",
            Rule::OfdSignerInCertList => "ofd.signer-in-cert-list",
            Rule::OfdSealValidity => "ofd.seal-validity",
            Rule::OfdSignerCertificateValidity => "ofd.signer-certificate-validity",
            Rule::OfdTimestamp => "ofd.timestamp",
        }
    }

    /// Every rule, for tables, schemas and tests.
    pub const ALL: &'static [Rule] = &[
        Rule::SignerCertificate,
        Rule::ContentSupplied,
        Rule::ContentMatch,
        Rule::ContentDigest,
        Rule::SignerIdentifier,
        Rule::DigestAlgorithmListed,
        Rule::DigestAlgorithm,
        Rule::AttributePlacement,
        Rule::ContentType,
        Rule::MessageDigest,
        Rule::AlgorithmProtection,
        Rule::SigningCertificate,
        Rule::SignatureValue,
        Rule::SignatureAlgorithm,
        Rule::CertificatePath,
        Rule::CertificateSignature,
        Rule::Algorithm,
        Rule::Validity,
        Rule::NameChaining,
        Rule::NameConstraints,
        Rule::Policy,
        Rule::BasicConstraints,
        Rule::PathLength,
        Rule::KeyUsage,
        Rule::ExtendedKeyUsage,
        Rule::CriticalExtension,
        Rule::Version,
        Rule::Profile,
        Rule::PeerName,
        Rule::Depth,
        Rule::NoPath,
        Rule::Budget,
        Rule::Revoked,
        Rule::RevocationUnknown,
        Rule::RevocationConflict,
        Rule::TimestampToken,
        Rule::TimestampImprint,
        Rule::TsaIdentity,
        Rule::ExtendedKeyUsageCritical,
        Rule::ExtendedKeyUsageOnly,
        Rule::SignatureTimestamp,
        Rule::ContentTimestamp,
        Rule::ProofOfExistence,
        Rule::TimestampOrder,
        Rule::RevokedNoPoe,
        Rule::AlgorithmSunset,
        Rule::Recognition,
        Rule::AnchorMissing,
        Rule::PdfSignatureDictionary,
        Rule::PdfSubFilter,
        Rule::PdfCms,
        Rule::PdfByteRange,
        Rule::PdfCoverage,
        Rule::PdfModifications,
        Rule::PdfModificationsAssessed,
        Rule::PdfDocMdp,
        Rule::PdfFieldMdp,
        Rule::PdfSha1Digest,
        Rule::PdfTimestampImprint,
        Rule::PdfTimestampNotVerified,
        Rule::OfdSignatureXml,
        Rule::OfdSignedValue,
        Rule::OfdCheckMethod,
        Rule::OfdReferenceDigest,
        Rule::OfdDataHash,
        Rule::OfdPropertyInfo,
        Rule::OfdSignerCertificate,
        Rule::OfdSignature,
        Rule::OfdSignedData,
        Rule::OfdSealMakerCertificate,
        Rule::OfdSealSignature,
        Rule::OfdSealFile,
        Rule::OfdSignerInCertList,
        Rule::OfdSealValidity,
        Rule::OfdSignerCertificateValidity,
        Rule::OfdTimestamp,
    ];

    /// The rule with this identifier.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// What a failure of this rule means: the one table from rule to ETSI indication.
    ///
    /// SIG_CRYPTO_FAILURE is reserved for the signature value of the signed data object
    /// (EN 319 102-1 §5.2.7); a certificate signature that does not verify means the path
    /// does not reach a trust anchor (INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND).
    ///
    /// OFD: a file changed after signing (reference digest, `dataHash`, the seal file) is
    /// TOTAL_FAILED / HASH_FAILURE; the signer's signature TOTAL_FAILED / SIG_CRYPTO_FAILURE.
    /// So is the seal maker's signature over the seal: the seal is a signed object inside
    /// the signed data (`TBS_Sign` carries it), verified with the one key the seal itself
    /// carries — unlike a certificate's signature, no other issuer can make it verify, so a
    /// broken one is a forged or altered seal, not a missing chain. The seal's constraints
    /// (the signer among its `certList`, the claimed signing time inside its window) are
    /// signature-acceptance constraints: INDETERMINATE / SIG_CONSTRAINTS_FAILURE. An
    /// unreadable `Signature.xml` or `SignedValue.dat` is TOTAL_FAILED / FORMAT_FAILURE, as
    /// are the CMS structure rules.
    pub fn verdict(self) -> Verdict {
        use Indication::{Indeterminate, TotalFailed};
        use SubIndication::*;
        let (i, s) = match self {
            Rule::MessageDigest
            | Rule::ContentMatch
            | Rule::TimestampImprint
            | Rule::PdfSha1Digest
            | Rule::PdfTimestampImprint
            | Rule::OfdReferenceDigest
            | Rule::OfdDataHash
            | Rule::OfdSealFile => (TotalFailed, HashFailure),
            Rule::SignatureValue | Rule::OfdSignature | Rule::OfdSealSignature => {
                (TotalFailed, SigCryptoFailure)
            }
            Rule::OfdCheckMethod => (Indeterminate, CryptoConstraintsFailure),
            Rule::OfdSignerCertificate => (Indeterminate, NoSigningCertificateFound),
            Rule::OfdSealMakerCertificate => (Indeterminate, NoCertificateChainFound),
            Rule::OfdSignatureXml
            | Rule::OfdSignedValue
            | Rule::OfdPropertyInfo
            | Rule::OfdSignedData => (TotalFailed, FormatFailure),
            Rule::OfdSignerInCertList | Rule::OfdSealValidity | Rule::OfdTimestamp => {
                (Indeterminate, SigConstraintsFailure)
            }
            Rule::OfdSignerCertificateValidity => (Indeterminate, OutOfBoundsNoPoe),
            Rule::SignatureAlgorithm | Rule::DigestAlgorithm | Rule::Algorithm => {
                (Indeterminate, CryptoConstraintsFailure)
            }
            Rule::SignerCertificate => (Indeterminate, NoSigningCertificateFound),
            Rule::ContentSupplied | Rule::ContentDigest => (Indeterminate, FormatFailure),
            Rule::SignerIdentifier
            | Rule::DigestAlgorithmListed
            | Rule::AttributePlacement
            | Rule::ContentType
            | Rule::AlgorithmProtection
            | Rule::SigningCertificate
            | Rule::TimestampToken
            | Rule::TsaIdentity => (TotalFailed, FormatFailure),
            Rule::SignatureTimestamp | Rule::ContentTimestamp => (Indeterminate, FormatFailure),
            Rule::ProofOfExistence => (Indeterminate, OutOfBoundsNoPoe),
            Rule::TimestampOrder => (Indeterminate, TimestampOrderFailure),
            Rule::RevokedNoPoe => (Indeterminate, RevokedNoPoe),
            Rule::AlgorithmSunset => (Indeterminate, CryptoConstraintsFailureNoPoe),
            Rule::RevocationConflict => (Indeterminate, TryLater),
            // A PDF whose signed bytes are not what a viewer shows, or that changed in a way
            // no rule explains or the permission forbids (as EU DSS fails ByteRange,
            // signature-dictionary and page problems: FORMAT_FAILURE).
            Rule::PdfSignatureDictionary
            | Rule::PdfCms
            | Rule::PdfByteRange
            | Rule::PdfCoverage
            | Rule::PdfModifications
            | Rule::PdfDocMdp
            | Rule::PdfFieldMdp => (TotalFailed, FormatFailure),
            // Not proven bad, but not verifiable here: an unsupported SubFilter, changes that
            // cannot be compared without the password, timestamp checks not made yet.
            Rule::PdfSubFilter | Rule::PdfModificationsAssessed | Rule::PdfTimestampNotVerified => {
                (Indeterminate, FormatFailure)
            }
            Rule::Revoked => (TotalFailed, Revoked),
            Rule::Validity => (Indeterminate, OutOfBoundsNoPoe),
            Rule::RevocationUnknown => (Indeterminate, TryLater),
            Rule::CertificateSignature | Rule::NoPath | Rule::Budget | Rule::AnchorMissing => {
                (Indeterminate, NoCertificateChainFound)
            }
            Rule::CertificatePath
            | Rule::NameChaining
            | Rule::NameConstraints
            | Rule::Policy
            | Rule::BasicConstraints
            | Rule::PathLength
            | Rule::KeyUsage
            | Rule::ExtendedKeyUsage
            | Rule::ExtendedKeyUsageCritical
            | Rule::ExtendedKeyUsageOnly
            | Rule::CriticalExtension
            | Rule::Version
            | Rule::Profile
            | Rule::PeerName
            | Rule::Depth
            | Rule::Recognition => (Indeterminate, ChainConstraintsFailure),
        };
        Verdict::failed(i, s)
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = String::deserialize(deserializer)?;
        Rule::from_id(&id).ok_or_else(|| serde::de::Error::custom(format!("unknown rule {id:?}")))
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The check ran and passed.
    Passed,
    /// The check ran and failed: the rule's verdict applies.
    Failed,
    /// A finding that does not fail the signature (revocation unknown under `prefer`, …).
    Warning,
    /// The check does not apply (e.g. the attribute is absent).
    Skipped,
}

/// The certificate (or other object) a check concerns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// Position in the certificate path (0 = the trust anchor), when it is on one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub index: Option<usize>,
    /// Who it is, for people (a certificate's subject, a CRL's issuer).
    pub label: String,
    /// Lower-case hex SHA-256 of its encoding.
    pub sha256: String,
}

/// One check: which rule, its status, what it concerns, and what happened in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// The rule (serialised as its stable id).
    #[serde(rename = "id")]
    pub rule: Rule,
    /// passed / failed / warning / skipped.
    pub status: Status,
    /// The object the check concerns, when it concerns one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub subject: Option<Subject>,
    /// What happened, for people (borrowed when the words are fixed, so a passed check of a
    /// fixed rule allocates nothing).
    pub message: Cow<'static, str>,
}

impl Check {
    /// A check with this status and no subject.
    pub fn new(rule: Rule, status: Status, message: impl Into<Cow<'static, str>>) -> Check {
        Check {
            rule,
            status,
            subject: None,
            message: message.into(),
        }
    }

    /// A passed check.
    pub fn passed(rule: Rule, message: impl Into<Cow<'static, str>>) -> Check {
        Check::new(rule, Status::Passed, message)
    }

    /// A failed check.
    pub fn failed(rule: Rule, message: impl Into<Cow<'static, str>>) -> Check {
        Check::new(rule, Status::Failed, message)
    }

    /// A skipped check.
    pub fn skipped(rule: Rule, message: impl Into<Cow<'static, str>>) -> Check {
        Check::new(rule, Status::Skipped, message)
    }

    /// The same check about `subject`.
    pub fn about(mut self, subject: Subject) -> Check {
        self.subject = Some(subject);
        self
    }

    /// The verdict this check imposes: the rule's when failed, none otherwise.
    pub fn verdict(&self) -> Option<Verdict> {
        (self.status == Status::Failed).then(|| self.rule.verdict())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for r in Rule::ALL {
            assert!(seen.insert(r.id()), "{} twice", r.id());
            assert_eq!(Rule::from_id(r.id()), Some(*r));
            let json = serde_json::to_string(r).unwrap();
            assert_eq!(serde_json::from_str::<Rule>(&json).unwrap(), *r);
        }
        assert!(Rule::from_id("no-such-rule").is_none());
    }

    #[test]
    fn sig_crypto_failure_belongs_to_the_signed_object_only() {
        for r in Rule::ALL {
            let v = r.verdict();
            if v.sub_indication == Some(SubIndication::SigCryptoFailure) {
                // The signed object's signature, and the seal inside an OFD signature.
                assert!(
                    matches!(
                        r,
                        Rule::SignatureValue | Rule::OfdSignature | Rule::OfdSealSignature
                    ),
                    "{r}"
                );
            }
            assert_ne!(v.indication, Indication::TotalPassed);
        }
        assert_eq!(
            Rule::CertificateSignature.verdict(),
            Verdict::failed(
                Indication::Indeterminate,
                SubIndication::NoCertificateChainFound
            )
        );
    }

    #[test]
    fn worst_is_by_severity_and_keeps_the_first_on_a_tie() {
        let ind = |s| Verdict::failed(Indication::Indeterminate, s);
        let failed = Verdict::failed(Indication::TotalFailed, SubIndication::HashFailure);
        assert_eq!(Verdict::worst([]), Verdict::PASSED);
        assert_eq!(
            Verdict::worst([ind(SubIndication::TryLater), ind(SubIndication::Revoked)]),
            ind(SubIndication::TryLater)
        );
        assert_eq!(
            Verdict::worst([ind(SubIndication::TryLater), failed, Verdict::PASSED]),
            failed
        );
        assert!(Indication::TotalFailed.severity() > Indication::Indeterminate.severity());
        assert!(Indication::Indeterminate.severity() > Indication::TotalPassed.severity());
    }

    #[test]
    fn only_failed_checks_impose_a_verdict() {
        let c = |s| Check::new(Rule::MessageDigest, s, "m");
        assert_eq!(c(Status::Passed).verdict(), None);
        assert_eq!(c(Status::Warning).verdict(), None);
        assert_eq!(c(Status::Skipped).verdict(), None);
        assert_eq!(
            c(Status::Failed).verdict().map(|v| v.sub_indication),
            Some(Some(SubIndication::HashFailure))
        );
        let checks = [
            Check::failed(Rule::RevocationUnknown, "a"),
            Check::failed(Rule::SignatureValue, "b"),
        ];
        assert_eq!(
            Verdict::of_checks(&checks).sub_indication,
            Some(SubIndication::SigCryptoFailure)
        );
    }
}
