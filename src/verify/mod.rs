//! Verify: one signed document → a report per signer. Owns the [`Verifier`] (built once with
//! [`Verifier::builder`] or from a serde [`VerifierConfig`], shared by every thread) and the
//! orchestration of the stages for one document: detect the container, parse the CMS
//! SignedData, digest the content in one streamed pass, validate each signer's certificate
//! path, check the signer, judge recognition, and take the verdict of every check from
//! [`crate::verdict`]. The document's indication is the worst of its signers'.

mod builder;
mod caches;
mod config;
mod evidence;
mod ltv;
mod ofd;
mod pdf;
mod signer;
mod timestamp;

use crate::asn1::{format_time, UnixTime};
use crate::crypto::DigestAlgorithm;
use crate::document::cms::{self, CmsError, SignedData};
use crate::document::smime;
use crate::document::{identify, sniff, FileKind, Found, PemKind};
use crate::path::{AnchorSet, CertPool};
use crate::report::document::{Container, DocumentReport, DOCUMENT_FORMAT};
use crate::report::error::ErrorKind;
use crate::revocation::fetch::Fetcher;
use crate::revocation::ocsp::OcspResponse;
use crate::revocation::RevocationMode;
use crate::trust::{Jurisdiction, TrustStores};
use crate::validate::Options;
use crate::verdict::{Check, Indication, Rule, SubIndication, Verdict};
use crate::x509::{Certificate, Crl};
use std::io::Read;
use std::sync::Arc;

pub use builder::{VerifierBuilder, DIRECT_ANCHOR_STORE};
pub use caches::{CacheLimits, CacheStats};
pub use config::{ConfigError, VerifierConfig};

use caches::Caches;

/// Why a document could not be verified at all (as opposed to verifying as invalid).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The document is not a SignedData sigbridge can read.
    #[error("not a readable CMS / PKCS#7 signed document: {0}")]
    Cms(#[from] CmsError),
    /// The detached content could not be read.
    #[error("cannot read the detached content: {0}")]
    Content(#[from] std::io::Error),
    /// An S/MIME message could not be read.
    #[error("S/MIME: {0}")]
    Smime(#[from] smime::SmimeError),
    /// The signed document could not be read from its reader.
    #[error("cannot read the signed document: {0}")]
    Document(std::io::Error),
    /// Detached content a signer without signed attributes signs directly (so it must be held
    /// in memory) is larger than `Limits::max_file_size`.
    #[error("the detached content exceeds {limit} bytes (Limits::max_file_size) and a signer without signed attributes needs it in memory")]
    ContentTooLarge {
        /// The limit.
        limit: usize,
    },
    /// The signed document is larger than `Limits::max_file_size`.
    #[error("the signed document exceeds {limit} bytes (Limits::max_file_size)")]
    DocumentTooLarge {
        /// The limit.
        limit: usize,
    },
    /// A timestamp token or TimeStampResp could not be decoded.
    #[error("{0}")]
    Timestamp(#[from] crate::document::timestamp::TimestampError),
    /// A PDF that cannot be read as a PDF at all (its signatures are not reached).
    #[error("PDF: {0}")]
    Pdf(#[from] crate::document::pdf::PdfError),
    /// The OFD package could not be read (its ZIP, XML or signature list).
    #[error("a ZIP package, but not an OFD package sigbridge can read: {0}")]
    Ofd(#[from] crate::document::ofd::OfdError),
    /// Content was given separately for a document that carries what its signatures sign
    /// (a PDF, an OFD package).
    #[error(
        "a PDF or OFD package carries what its signatures sign: content given separately does not apply"
    )]
    ContentNotApplicable,
    /// Both the content and its digest were given: give one.
    #[error("both the content and its digest were given: give one of them")]
    ContentAndDigest,
    /// A content digest whose length is not its algorithm's.
    #[error("the {algorithm} digest of the content must be {expected} bytes, not {actual}")]
    DigestLength {
        /// The algorithm's name.
        algorithm: &'static str,
        /// Its output length.
        expected: usize,
        /// The length given.
        actual: usize,
    },
    /// A kind of document this build cannot verify yet.
    #[error("{}", unsupported_words(*kind))]
    Unsupported {
        /// What the bytes are.
        kind: FileKind,
    },
    /// The bytes are not a signed document: a certificate, a key, text, a certs-only bundle …
    /// (the message says what they are and what sigbridge can do with them).
    #[error("{}", found_words(*found))]
    NotSigned {
        /// What the bytes are.
        found: Found,
    },
}

fn found_words(found: Found) -> String {
    let (what, next) = crate::report::words::found(found);
    format!(
        "{what}. {}{}",
        next.get(..1).unwrap_or_default().to_uppercase(),
        next.get(1..).unwrap_or_default()
    )
}

fn unsupported_words(kind: FileKind) -> String {
    match kind {
        FileKind::Pdf => found_words(Found::Pdf),
        FileKind::Zip => found_words(Found::Zip),
        _ => "this kind of document cannot be verified by this build".to_string(),
    }
}

impl VerifyError {
    /// The kind of failure, for an error report ([`crate::report::error::ErrorReport`]).
    pub fn kind(&self) -> ErrorKind {
        match self {
            VerifyError::Cms(
                CmsError::TooLarge { .. } | CmsError::Limit { .. } | CmsError::TooMany { .. },
            )
            | VerifyError::ContentTooLarge { .. }
            | VerifyError::DocumentTooLarge { .. } => ErrorKind::Limit,
            VerifyError::Cms(_) | VerifyError::Smime(_) => ErrorKind::Malformed,
            VerifyError::Content(_) | VerifyError::Document(_) => ErrorKind::Unreadable,
            VerifyError::Unsupported { .. } => ErrorKind::Unsupported,
            VerifyError::NotSigned { .. } => ErrorKind::NotSigned,
            VerifyError::Timestamp(_) => ErrorKind::Malformed,
            VerifyError::Pdf(e) if e.limit_name().is_some() => ErrorKind::Limit,
            VerifyError::Pdf(crate::document::pdf::PdfError::Io { .. }) => ErrorKind::Unreadable,
            VerifyError::Pdf(_) => ErrorKind::Malformed,
            VerifyError::ContentNotApplicable
            | VerifyError::ContentAndDigest
            | VerifyError::DigestLength { .. } => ErrorKind::Usage,
            VerifyError::Ofd(e) => ofd_error_kind(e),
        }
    }
}

/// What one call may set on top of the verifier's configuration.
#[derive(Default)]
#[non_exhaustive]
pub struct Call<'a> {
    /// Validation time (default: the verifier's validation time, else now).
    pub time: Option<UnixTime>,
    /// The relying party whose verdict sets the indication (default: the verifier's).
    pub relying_party: Option<Jurisdiction>,
    /// Extra untrusted certificates for this document only.
    pub certificates: Vec<Arc<Certificate>>,
    /// Extra CRLs for this document only.
    pub crls: Vec<Arc<Crl>>,
    /// Extra OCSP responses for this document only.
    pub ocsp: Vec<Arc<OcspResponse>>,
    /// The content of a detached signature, streamed; for a document that carries its
    /// content, the content it must equal.
    pub content: Option<&'a mut dyn Read>,
    /// Instead of the content, its digest (see [`Call::content_digest`]).
    pub content_digest: Option<ContentDigest>,
    /// How revocation is treated for this call (default: the verifier's).
    pub revocation: Option<RevocationMode>,
}

/// The digest of a detached signature's content, given instead of the content (the content
/// itself need not leave its owner).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentDigest {
    /// The algorithm.
    pub algorithm: DigestAlgorithm,
    /// The digest value.
    pub value: Vec<u8>,
}

impl<'a> Call<'a> {
    /// A call with nothing set.
    pub fn new() -> Call<'a> {
        Call::default()
    }

    /// At this validation time.
    pub fn at(mut self, time: UnixTime) -> Self {
        self.time = Some(time);
        self
    }

    /// For this relying party.
    pub fn relying_party(mut self, j: Jurisdiction) -> Self {
        self.relying_party = Some(j);
        self
    }

    /// With these extra certificates.
    pub fn certificates(mut self, certs: impl IntoIterator<Item = Arc<Certificate>>) -> Self {
        self.certificates.extend(certs);
        self
    }

    /// With these extra CRLs.
    pub fn crls(mut self, crls: impl IntoIterator<Item = Arc<Crl>>) -> Self {
        self.crls.extend(crls);
        self
    }

    /// With these extra OCSP responses.
    pub fn ocsp(mut self, responses: impl IntoIterator<Item = Arc<OcspResponse>>) -> Self {
        self.ocsp.extend(responses);
        self
    }

    /// With this content (streamed once).
    pub fn content(mut self, content: &'a mut dyn Read) -> Self {
        self.content = Some(content);
        self
    }

    /// With the content's digest instead of the content. A signer with signed attributes is
    /// checked from it when it digests with the same algorithm; a signer without signed
    /// attributes only when its algorithm signs a digest (RSA, ECDSA, DSA) — SM2 and
    /// Ed25519 signatures cover the content itself, so such a signer fails
    /// `content-digest` (give the content). For a document that carries its content, the
    /// digest is compared with it (`content-match`).
    pub fn content_digest(mut self, algorithm: DigestAlgorithm, value: Vec<u8>) -> Self {
        self.content_digest = Some(ContentDigest { algorithm, value });
        self
    }

    /// With this revocation mode instead of the verifier's.
    pub fn revocation(mut self, mode: RevocationMode) -> Self {
        self.revocation = Some(mode);
        self
    }
}

/// What a verifier holds: built once, shared by every clone.
#[derive(Debug)]
struct Settings {
    anchors: AnchorSet,
    pool: Arc<CertPool>,
    crls: Vec<Arc<Crl>>,
    ocsp: Vec<Arc<OcspResponse>>,
    /// Where to fetch revocation data and issuers (`None`: never).
    fetcher: Option<Arc<dyn Fetcher>>,
    /// Validation options; `time` is replaced per call.
    options: Options,
    /// The default validation time (`None`: now, per call).
    time: Option<UnixTime>,
    stores: Option<TrustStores>,
    /// Anchors given directly (domestic for either jurisdiction), by SHA-256.
    extra_domestic: Vec<[u8; 32]>,
    relying_party: Option<Jurisdiction>,
}

/// A verifier built once and reused: anchors, an extra certificate pool, extra CRLs and the
/// validation options, plus the caches every clone shares. It is `Send + Sync` and cheap to
/// clone: one verifier serves every thread of a platform, each call with its own time.
///
/// ```
/// use sigbridge::{asn1::parse_time, trust::TrustStores, verify::{Call, Verifier}, Limits};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let stores = TrustStores::load_dir("fixtures/trust-stores".as_ref(), &Limits::default())?;
/// let verifier = Verifier::builder().trust_stores(stores).build();
/// let at = parse_time("2026-12-01T00:00:00Z").ok_or("bad time")?;
/// // From bytes (an upload, a database row …): no file system needed.
/// let document = std::fs::read("fixtures/docs/hk-mr-personal.p7m")?;
/// let report = verifier.verify_with(&document, Call::new().at(at))?;
/// assert_eq!(report.indication.to_string(), "TOTAL_PASSED");
/// // A detached signature, its content streamed from any reader.
/// let signature = std::fs::read("fixtures/docs/hk-mr-personal.p7s")?;
/// let mut content = std::fs::File::open("fixtures/docs/contract.txt")?;
/// let report = verifier.verify_with(&signature, Call::new().at(at).content(&mut content))?;
/// assert_eq!(report.indication.to_string(), "TOTAL_PASSED");
/// // The second document reused the CA sub-path validated for the first.
/// assert!(verifier.cache_stats().sub_paths.hits >= 1);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Verifier {
    settings: Arc<Settings>,
    caches: Arc<Caches>,
}

impl Verifier {
    /// A builder with no anchors, revocation `prefer`, default policy, limits and caches.
    pub fn builder() -> VerifierBuilder {
        VerifierBuilder::default()
    }

    /// Builds the verifier a configuration describes (reading the files it names).
    pub fn from_config(config: &VerifierConfig) -> Result<Verifier, ConfigError> {
        config.build()
    }

    /// The validation options (their `time` is the default time, or the build time).
    pub fn options(&self) -> &Options {
        &self.settings.options
    }

    /// The trust anchors, tagged with their stores.
    pub fn anchors(&self) -> &AnchorSet {
        &self.settings.anchors
    }

    /// The HK and GD trust lists, when the verifier has them.
    pub fn trust_stores(&self) -> Option<&TrustStores> {
        self.settings.stores.as_ref()
    }

    /// The same verifier (sharing its settings) with new, empty caches of these bounds
    /// ([`CacheLimits::disabled`]: none).
    pub fn with_cache_limits(&self, limits: CacheLimits) -> Verifier {
        Verifier {
            settings: Arc::clone(&self.settings),
            caches: Arc::new(Caches::new(limits)),
        }
    }

    /// The bounds of the caches.
    pub fn cache_limits(&self) -> CacheLimits {
        self.caches.limits
    }

    /// Hits, misses and sizes of the caches since they were made or cleared.
    pub fn cache_stats(&self) -> CacheStats {
        self.caches.stats()
    }

    /// Empties the caches (every clone shares them) and resets their counters.
    pub fn clear_caches(&self) {
        self.caches.clear();
    }

    /// Verifies a signed document read from `document` (at most `Limits::max_file_size`
    /// bytes; detached content, which may be of any size, is streamed from `detached`).
    pub fn verify_reader(
        &self,
        document: impl Read,
        detached: Option<&mut dyn Read>,
    ) -> Result<DocumentReport, VerifyError> {
        let limit = self.settings.options.limits.max_file_size;
        let mut bytes = Vec::new();
        document
            .take((limit as u64).saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(VerifyError::Document)?;
        if bytes.len() > limit {
            return Err(VerifyError::DocumentTooLarge { limit });
        }
        self.verify(&bytes, detached)
    }

    /// Verifies a detached signature (`.p7s` bytes) over content streamed from `content`.
    pub fn verify_detached(
        &self,
        signature: &[u8],
        mut content: impl Read,
    ) -> Result<DocumentReport, VerifyError> {
        self.verify(signature, Some(&mut content))
    }

    /// Verifies a detached signature over content known only by its digest (see
    /// [`Call::content_digest`]).
    pub fn verify_digest(
        &self,
        signature: &[u8],
        algorithm: DigestAlgorithm,
        digest: &[u8],
    ) -> Result<DocumentReport, VerifyError> {
        self.verify_with(
            signature,
            Call::new().content_digest(algorithm, digest.to_vec()),
        )
    }

    /// Verifies a signed document (an S/MIME message or a CMS SignedData in DER, BER or
    /// PEM) at the verifier's time; `detached` supplies the content (see [`Call::content`]).
    pub fn verify(
        &self,
        document: &[u8],
        detached: Option<&mut dyn Read>,
    ) -> Result<DocumentReport, VerifyError> {
        self.verify_with(
            document,
            Call {
                content: detached,
                ..Call::default()
            },
        )
    }

    /// Verifies a signed document with per-call settings. What the document is comes from
    /// its bytes ([`sniff()`]): a PDF (see [`Verifier::verify_pdf_source`]), an OFD package
    /// (a ZIP: one signer report per listed seal or signature), an S/MIME message, else a
    /// CMS SignedData.
    pub fn verify_with(
        &self,
        document: &[u8],
        call: Call<'_>,
    ) -> Result<DocumentReport, VerifyError> {
        if let Some(d) = &call.content_digest {
            if call.content.is_some() {
                return Err(VerifyError::ContentAndDigest);
            }
            if d.value.len() != d.algorithm.output_len() {
                return Err(VerifyError::DigestLength {
                    algorithm: d.algorithm.name(),
                    expected: d.algorithm.output_len(),
                    actual: d.value.len(),
                });
            }
        }
        match sniff(document) {
            FileKind::Pdf => self.verify_pdf(document, call),
            FileKind::Zip => {
                let time = self.time_of(&call);
                ofd::verify(&self.settings, &self.caches, document, call, time)
            }
            FileKind::Mime => self.verify_smime(document, call),
            FileKind::Asn1 | FileKind::Pem(PemKind::Cms) => {
                self.verify_signed_data(document, call, None)
                    .map_err(|e| match e {
                        // Not a SignedData: say what it is when it is something known.
                        VerifyError::Cms(_) => {
                            match identify(document, &self.settings.options.limits) {
                                Found::OtherAsn1 | Found::OtherPem => e,
                                found => VerifyError::NotSigned { found },
                            }
                        }
                        e => e,
                    })
            }
            _ => Err(VerifyError::NotSigned {
                found: identify(document, &self.settings.options.limits),
            }),
        }
    }

    /// An S/MIME message: it carries the SignedData and, for multipart/signed, the content
    /// (which content given separately must equal).
    fn verify_smime(&self, document: &[u8], call: Call<'_>) -> Result<DocumentReport, VerifyError> {
        let message = smime::parse(document, &self.settings.options.limits)?;
        let report = match message.detached_content() {
            Some(carried) => {
                let Call {
                    time,
                    relying_party,
                    certificates,
                    crls,
                    ocsp,
                    content,
                    content_digest,
                    revocation,
                } = call;
                let check = match (content, &content_digest) {
                    (Some(g), _) => Some(compare_content(g, carried)?),
                    (None, Some(d)) => Some(compare_digest(d, carried)),
                    (None, None) => None,
                };
                let mut reader: &[u8] = carried;
                let inner = Call {
                    time,
                    relying_party,
                    certificates,
                    crls,
                    ocsp,
                    content: Some(&mut reader),
                    content_digest: None,
                    revocation,
                };
                self.verify_signed_data(message.cms_bytes(), inner, check)
            }
            None => self.verify_signed_data(message.cms_bytes(), call, None),
        };
        report.map(|mut r| {
            r.container = Container::Smime;
            r
        })
    }

    /// Verifies a timestamp token (or a TimeStampResp) on its own, as stamping `stamped` (a
    /// file's bytes, or a digest): the token's checks and its TSA's path at the call's time,
    /// with the call's extra certificates, CRLs and OCSP responses.
    pub fn verify_timestamp(
        &self,
        token: &[u8],
        stamped: crate::document::timestamp::Stamped<'_>,
        call: Call<'_>,
    ) -> Result<crate::report::timestamp::TimestampVerification, VerifyError> {
        use crate::report::timestamp::{TimestampKind, TimestampVerification, TIMESTAMP_FORMAT};
        let s = &*self.settings;
        let time = self.time_of(&call);
        let token = crate::document::timestamp::TimestampToken::from_der_cached(
            token,
            &s.options.limits,
            &self.caches.objects,
        )?;
        let mut pool = CertPool::over(Arc::clone(&s.pool));
        for c in &call.certificates {
            pool.add(Arc::clone(c));
        }
        let mut crls = s.crls.clone();
        crls.extend(call.crls.iter().cloned());
        let mut ocsp = s.ocsp.clone();
        ocsp.extend(call.ocsp.iter().cloned());
        let mut options = s.options.clone();
        options.time = time;
        let content = signer::Content::missing();
        let job = signer::Job {
            settings: s,
            caches: &self.caches,
            sd: &token.signed_data,
            content: &content,
            content_check: None,
            pool: &pool,
            crls: &crls,
            ocsp: &ocsp,
            options: &options,
        };
        let mut timestamp = job.verify_token(&token, stamped, TimestampKind::Standalone);
        evidence::refine_timestamp_origins(&mut timestamp, &token, &s.options.limits, &self.caches);
        Ok(TimestampVerification {
            format: TIMESTAMP_FORMAT.to_owned(),
            validation_time: format_time(time),
            timestamp,
        })
    }

    /// Verifies a CMS SignedData (DER, BER or PEM), without MIME detection.
    pub fn verify_cms(
        &self,
        document: &[u8],
        detached: Option<&mut dyn Read>,
    ) -> Result<DocumentReport, VerifyError> {
        self.verify_signed_data(
            document,
            Call {
                content: detached,
                ..Call::default()
            },
            None,
        )
    }

    fn time_of(&self, call: &Call<'_>) -> UnixTime {
        call.time
            .or(self.settings.time)
            .unwrap_or_else(crate::asn1::time::now)
    }

    /// `content_check`: the comparison of content given separately with the content the
    /// container carries, made before (S/MIME multipart/signed).
    fn verify_signed_data(
        &self,
        document: &[u8],
        mut call: Call<'_>,
        content_check: Option<Check>,
    ) -> Result<DocumentReport, VerifyError> {
        let s = &*self.settings;
        let time = self.time_of(&call);
        let sd = cms::parse_cached(document, &s.options.limits, &self.caches.objects)?;
        if sd.signers.is_empty() {
            return Err(VerifyError::NotSigned {
                found: Found::CertificateBundle {
                    certificates: sd.certificates.len(),
                    crls: sd.crls.len(),
                },
            });
        }
        let ev = evidence::Evidence::of(&sd, &s.options.limits, &self.caches);
        let mut content_check = content_check;
        let given = call.content.take();
        let extra = ev.content_timestamp_algorithms();
        let content = match (&sd.content, given, call.content_digest.take()) {
            (Some(carried), Some(reader), _) => {
                content_check = Some(compare_content(reader, carried)?);
                signer::Content::digest(&sd, carried, &extra)
            }
            (Some(carried), None, Some(d)) => {
                content_check = Some(compare_digest(&d, carried));
                signer::Content::digest(&sd, carried, &extra)
            }
            (Some(carried), None, None) => signer::Content::digest(&sd, carried, &extra),
            (None, Some(reader), _) => {
                signer::Content::read(&sd, reader, s.options.limits.max_file_size, &extra)?
            }
            (None, None, Some(d)) => signer::Content::given_digest(d),
            (None, None, None) => signer::Content::missing(),
        };
        let mut pool = CertPool::over(Arc::clone(&s.pool));
        for c in sd
            .certificates
            .iter()
            .chain(&call.certificates)
            .chain(&ev.certificates)
        {
            pool.add(Arc::clone(c));
        }
        let mut crls = s.crls.clone();
        crls.extend(call.crls.iter().cloned());
        crls.extend(ev.crls.iter().cloned());
        let mut ocsp = s.ocsp.clone();
        ocsp.extend(call.ocsp.iter().cloned());
        ocsp.extend(ev.ocsp.iter().cloned());
        let mut options = s.options.clone();
        options.time = time;
        if let Some(mode) = call.revocation {
            options.revocation = mode;
        }
        let job = signer::Job {
            settings: s,
            caches: &self.caches,
            sd: &sd,
            content: &content,
            content_check: content_check.as_ref(),
            pool: &pool,
            crls: &crls,
            ocsp: &ocsp,
            options: &options,
        };
        let mut signers: Vec<_> = sd
            .signers
            .iter()
            .zip(&ev.stamps)
            .map(|(si, st)| {
                let mut r = job.signer(si, st);
                ev.refine_origins(&mut r);
                r
            })
            .collect();
        let relying_party = call.relying_party.or(s.relying_party).or_else(|| {
            signers
                .first()
                .and_then(|r| r.anchor_store.as_deref())
                .and_then(jurisdiction_of_store)
        });
        if let Some(rp) = relying_party {
            for r in &mut signers {
                signer::require_recognition(r, rp);
            }
        }
        let verdict = if signers.is_empty() {
            Verdict::failed(Indication::Indeterminate, SubIndication::FormatFailure)
        } else {
            Verdict::worst(signers.iter().map(|r| r.verdict()))
        };
        Ok(DocumentReport {
            format: DOCUMENT_FORMAT.to_owned(),
            container: Container::Cms,
            relying_party,
            validation_time: format_time(time),
            indication: verdict.indication,
            sub_indication: verdict.sub_indication,
            content_type: sd.content_type.to_string(),
            detached: sd.content.is_none(),
            signers,
            pdf: None,
            ofd: None,
        })
    }
}

/// The jurisdiction whose bundled store tag this is (`hk`, `gd`).
fn jurisdiction_of_store(store: &str) -> Option<Jurisdiction> {
    [Jurisdiction::Hk, Jurisdiction::Gd]
        .into_iter()
        .find(|j| j.folder() == store)
}

/// Compares content given separately with the content the document carries: a
/// [`Rule::ContentMatch`] check naming both by size and SHA-256. The given content is
/// streamed, never held.
fn compare_content(given: &mut dyn Read, carried: &[u8]) -> Result<Check, std::io::Error> {
    let mut h = DigestAlgorithm::Sha256.hasher();
    let mut counting = CountingReader {
        inner: given,
        count: 0,
    };
    let digests = cms::digest_content(&mut counting, &[DigestAlgorithm::Sha256])?;
    let given_digest = digests
        .into_iter()
        .next()
        .map(|(_, d)| d)
        .unwrap_or_default();
    h.update(carried);
    let carried_digest = h.finish();
    let same = given_digest == carried_digest && counting.count == carried.len() as u64;
    Ok(if same {
        Check::passed(
            Rule::ContentMatch,
            format!(
                "the content given separately equals the content the document carries ({} bytes)",
                carried.len()
            ),
        )
    } else {
        Check::failed(
            Rule::ContentMatch,
            format!(
                "the content given separately ({} bytes, SHA-256 {}) differs from the content the document carries ({} bytes, SHA-256 {}): the signature is not over the given content",
                counting.count,
                hex::encode(&given_digest),
                carried.len(),
                hex::encode(&carried_digest)
            ),
        )
    })
}

/// Compares a digest given for the content with the content the document carries.
fn compare_digest(given: &ContentDigest, carried: &[u8]) -> Check {
    let actual = given.algorithm.digest(carried);
    if actual == given.value {
        Check::passed(
            Rule::ContentMatch,
            format!(
                "the {} digest given equals the digest of the content the document carries ({} bytes)",
                given.algorithm.name(),
                carried.len()
            ),
        )
    } else {
        Check::failed(
            Rule::ContentMatch,
            format!(
                "the {} digest given ({}) differs from the digest of the content the document carries ({} bytes, {}): the signature is not over the given content",
                given.algorithm.name(),
                hex::encode(&given.value),
                carried.len(),
                hex::encode(&actual)
            ),
        )
    }
}

struct CountingReader<'r> {
    inner: &'r mut dyn Read,
    count: u64,
}

impl Read for CountingReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// The SignedData's digest algorithms that this crate knows, and `extra` (the content
/// timestamps' imprint algorithms), without duplicates.
fn digest_algorithms(sd: &SignedData, extra: &[DigestAlgorithm]) -> Vec<DigestAlgorithm> {
    let mut v: Vec<DigestAlgorithm> = Vec::new();
    for a in extra {
        if !v.contains(a) {
            v.push(*a);
        }
    }
    for s in &sd.signers {
        if let Some(a) = DigestAlgorithm::from_oid(&s.digest_algorithm.oid) {
            if !v.contains(&a) {
                v.push(a);
            }
        }
    }
    v
}

/// The error class of an OFD package that could not be read.
fn ofd_error_kind(e: &crate::document::ofd::OfdError) -> ErrorKind {
    use crate::document::ofd::OfdError;
    match e {
        OfdError::Limit { .. } => ErrorKind::Limit,
        OfdError::Io { .. } => ErrorKind::Unreadable,
        _ => ErrorKind::Malformed,
    }
}
