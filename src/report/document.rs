//! The document report (`sigbridge-report/2`): the verdict on one signed document and on each
//! of its signers, as `sigbridge verify --format json` prints it — with, for OFD packages,
//! the seal, what each signature covers and the files none covers.

use super::pdf::{PdfDocumentReport, PdfSignatureReport};
use crate::asn1::Oid;
use crate::crypto::ValueEncoding;
use crate::document::ofd::summary::SealSummary;
use crate::document::ofd::time::SesTime;
use crate::recognition::{Recognition, RecognitionStatus};
use crate::trust::Jurisdiction;
use crate::validate::RevocationEntry;
use crate::verdict::{Check, Indication, SubIndication, Verdict};
use crate::x509::Certificate;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The `format` of [`DocumentReport`].
pub const DOCUMENT_FORMAT: &str = "sigbridge-report/2";

/// Who signed, as the certificate says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignerIdentity {
    /// Subject DN.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Serial number, lower-case hex.
    pub serial: String,
    /// SHA-256 of the certificate, lower-case hex.
    pub sha256: String,
}

impl SignerIdentity {
    /// The identity of `cert`.
    pub fn of(cert: &Certificate) -> SignerIdentity {
        SignerIdentity {
            subject: cert.subject.to_string(),
            issuer: cert.issuer.to_string(),
            serial: cert.serial_hex(),
            sha256: cert.fingerprint(),
        }
    }
}

pub use super::chain::ChainEntry;

/// Both jurisdictions' answers for one signer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecognitionPair {
    /// As a Hong Kong relying party sees it.
    pub hk: Recognition,
    /// As a Guangdong relying party sees it.
    pub gd: Recognition,
}

impl RecognitionPair {
    /// The answer for one jurisdiction.
    pub fn get(&self, j: Jurisdiction) -> &Recognition {
        match j {
            Jurisdiction::Hk => &self.hk,
            Jurisdiction::Gd => &self.gd,
        }
    }

    /// True when `j` recognises the signer (domestically or mutually).
    pub fn recognised_by(&self, j: Jurisdiction) -> bool {
        self.get(j).status != RecognitionStatus::NotRecognised
    }
}

/// Where a signer's best-signature-time comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeSource {
    /// Nothing proves an earlier time: the validation time.
    ValidationTime,
    /// A signature timestamp that passed proves the signature existed at its genTime.
    SignatureTimestamp,
}

/// EN 319 102-1 §5.5: the best-signature-time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BestSignatureTime {
    /// RFC 3339.
    pub time: String,
    /// What it comes from.
    pub source: TimeSource,
    /// The TSA whose timestamp proves it, when it comes from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proven_by: Option<String>,
}

/// The verdict on one signer.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SignerReport {
    /// ETSI main indication.
    pub indication: Indication,
    /// ETSI sub-indication, when not passed.
    pub sub_indication: Option<SubIndication>,
    /// The signer's certificate, when found.
    pub signer: Option<SignerIdentity>,
    /// signingTime as claimed by the signer (not proof of anything).
    pub claimed_signing_time: Option<String>,
    /// Digest algorithm name.
    pub digest_algorithm: String,
    /// Signature algorithm, as verified (or its OID when it did not verify).
    pub signature_algorithm: String,
    /// The certificate chain, anchor first.
    pub chain: Vec<ChainEntry>,
    /// The store the anchor came from.
    pub anchor_store: Option<String>,
    /// Revocation status of each certificate below the anchor.
    pub revocation: Vec<RevocationEntry>,
    /// Every rule run, in order: the signed document's, then the certificate path's
    /// (failures and warnings), then recognition.
    pub checks: Vec<Check>,
    /// Weak algorithms accepted (signature and chain).
    pub weak_algorithms_accepted: Vec<String>,
    /// Counter-signatures found on this signer (reported, not judged).
    pub counter_signatures: usize,
    /// Recognition in Hong Kong and in Guangdong (null without trust lists), judged at the
    /// best-signature-time.
    pub recognition: Option<RecognitionPair>,
    /// The earliest time the signature is proven to have existed, and what proves it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best_signature_time: Option<BestSignatureTime>,
    /// The signer's timestamps (signature and content), each with its own verdict.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timestamps: Vec<super::timestamp::TimestampReport>,
    /// The validity model the certificate path was judged under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity_model: Option<crate::validate::ValidityModel>,
    /// The validated path (for recognition), anchor first; not serialised.
    #[serde(skip)]
    pub path: Vec<Arc<Certificate>>,
    /// The user-constrained policy set of the path; not serialised.
    #[serde(skip)]
    pub user_constrained_policy_set: Vec<Oid>,
    /// For a signature of a PDF: what the PDF says about it (field, coverage, changes
    /// after signing, DocMDP, level, claimed time …); absent for other containers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf: Option<Box<PdfSignatureReport>>,
    /// OFD only: the signature's seal, format, encodings and what it covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ofd: Option<OfdSignatureReport>,
}

impl SignerReport {
    /// A report with nothing known and no checks yet (passed until a check fails); the
    /// containers fill in what they know.
    pub fn blank() -> SignerReport {
        SignerReport {
            indication: Indication::TotalPassed,
            sub_indication: None,
            signer: None,
            claimed_signing_time: None,
            digest_algorithm: String::new(),
            signature_algorithm: String::new(),
            chain: Vec::new(),
            anchor_store: None,
            revocation: Vec::new(),
            checks: Vec::new(),
            weak_algorithms_accepted: Vec::new(),
            counter_signatures: 0,
            recognition: None,
            best_signature_time: None,
            timestamps: Vec::new(),
            validity_model: None,
            path: Vec::new(),
            user_constrained_policy_set: Vec::new(),
            pdf: None,
            ofd: None,
        }
    }

    /// The indication and sub-indication together.
    pub fn verdict(&self) -> Verdict {
        Verdict {
            indication: self.indication,
            sub_indication: self.sub_indication,
        }
    }

    /// Sets the verdict.
    pub fn set_verdict(&mut self, v: Verdict) {
        self.indication = v.indication;
        self.sub_indication = v.sub_indication;
    }
}

/// The container a document came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Container {
    /// A CMS / PKCS#7 SignedData (DER, BER or PEM).
    Cms,
    /// An S/MIME message around a SignedData.
    Smime,
    /// A PDF document: one signer per signature and document timestamp, in document order.
    Pdf,
    /// An OFD package (GB/T 33190) with electronic seals or signatures.
    Ofd,
}

/// The verdict on one document.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DocumentReport {
    /// [`DOCUMENT_FORMAT`].
    pub format: String,
    /// What the document was (told from its bytes).
    pub container: Container,
    /// The validation time, RFC 3339.
    pub validation_time: String,
    /// The jurisdiction the indication is for (`relying_party` of the call or verifier,
    /// else the one whose list holds the first signer's anchor; null for anchors given
    /// directly).
    pub relying_party: Option<Jurisdiction>,
    /// Worst of the signers' indications.
    pub indication: Indication,
    /// Sub-indication of the worst signer.
    pub sub_indication: Option<SubIndication>,
    /// What the signed content is: eContentType, dotted (CMS, S/MIME; for a PDF id-data,
    /// what its signatures sign); `application/ofd` for an OFD package.
    pub content_type: String,
    /// True when the content was supplied separately (for a PDF: true, its signatures are
    /// detached over the byte ranges the file holds).
    pub detached: bool,
    /// One per SignerInfo (CMS), per signature and document timestamp in document order
    /// (PDF), or per listed signature (OFD).
    pub signers: Vec<SignerReport>,
    /// For a PDF: its revisions, encryption, warnings and long-term validation data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf: Option<Box<PdfDocumentReport>>,
    /// OFD only: the package's documents and the files no signature covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ofd: Option<OfdDocumentReport>,
}

impl DocumentReport {
    /// The indication and sub-indication together.
    pub fn verdict(&self) -> Verdict {
        Verdict {
            indication: self.indication,
            sub_indication: self.sub_indication,
        }
    }
}

/// A time as an OFD seal or signature writes it: the text as written and, when it reads as
/// a time, the instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfdTime {
    /// As written (`20261120120000Z`, `2026-11-20 20:00:00`, …).
    pub text: String,
    /// The instant, RFC 3339 UTC; null when the text is no time sigbridge reads.
    pub time: Option<String>,
    /// True when the text names no zone and China time (UTC+8) was assumed.
    pub zone_assumed: bool,
}

impl OfdTime {
    /// The report form of a seal or signature time.
    pub fn of(t: &SesTime) -> OfdTime {
        OfdTime {
            text: t.text.clone(),
            time: t.unix.map(crate::asn1::format_time),
            zone_assumed: !t.zone_given,
        }
    }
}

/// A seal's picture, described (its bytes are not reported).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfdPicture {
    /// `type` as written (`PNG`, `ofd`, `GIF`, …).
    pub kind: String,
    /// The format the data's first bytes show: `png`, `jpeg`, `gif`, `bmp`, `svg`, `ofd`
    /// (a ZIP) or `unknown`.
    pub format: String,
    /// The data's size in bytes.
    pub size: usize,
    /// `width` (mm).
    pub width: u32,
    /// `height` (mm).
    pub height: u32,
}

/// An electronic seal's properties (GB/T 38540 `SES_SealInfo`, GM/T 0031 alike).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfdSeal {
    /// `V1` (GM/T 0031) or `V4` (GB/T 38540), from the structure.
    pub version: String,
    /// `header.Vid`: the vendor.
    pub vid: String,
    /// `esID`: the seal's identifier.
    pub es_id: String,
    /// `property.name`.
    pub name: String,
    /// `property.type` (as the producer numbers it: 1 official, 2 special-purpose, 3 invoice …).
    pub seal_type: u32,
    /// `certListType` (V4: 1 certificates, 2 certificate digests).
    pub cert_list_type: Option<u32>,
    /// How many certificates the seal authorises.
    pub cert_list_len: usize,
    /// `createDate`.
    pub create_date: OfdTime,
    /// `validStart`.
    pub valid_start: OfdTime,
    /// `validEnd`.
    pub valid_end: OfdTime,
    /// The seal maker's certificate subject DN, when it parses.
    pub maker: Option<String>,
    /// The seal maker's certificate issuer DN, when it parses.
    pub maker_issuer: Option<String>,
    /// The picture.
    pub picture: OfdPicture,
}

impl OfdSeal {
    /// The report form of a seal's summary.
    pub fn of(s: &SealSummary) -> OfdSeal {
        OfdSeal {
            version: format!("{:?}", s.version),
            vid: s.vid.clone(),
            es_id: s.es_id.clone(),
            name: s.name.clone(),
            seal_type: s.seal_type,
            cert_list_type: s.cert_list_type,
            cert_list_len: s.cert_list_len,
            create_date: OfdTime::of(&s.create_date),
            valid_start: OfdTime::of(&s.valid_start),
            valid_end: OfdTime::of(&s.valid_end),
            maker: s.maker.clone(),
            maker_issuer: s.maker_issuer.clone(),
            picture: OfdPicture {
                kind: s.picture.kind.clone(),
                format: s.picture.detected_format.to_owned(),
                size: s.picture.size,
                width: s.picture.width,
                height: s.picture.height,
            },
        }
    }
}

/// The seal maker's certificate and its path, as validated.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OfdSealMaker {
    /// The maker's certificate.
    pub certificate: SignerIdentity,
    /// Its certificate chain, anchor first (empty when no path validated).
    pub chain: Vec<ChainEntry>,
    /// The store its anchor came from.
    pub anchor_store: Option<String>,
    /// Revocation status of each certificate of its path below the anchor.
    pub revocation: Vec<RevocationEntry>,
}

/// A timestamp carried inside an OFD signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfdTimestamp {
    /// How it was tagged: `[0] IMPLICIT`, `[0] EXPLICIT` or `untagged`.
    pub tagging: String,
    /// The token's size in bytes.
    pub size: usize,
    /// True when the token was verified as an RFC 3161 timestamp over the signature value
    /// (not yet: see the `ofd.timestamp` check).
    pub verified: bool,
}

/// What a signer report adds for one OFD signature.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OfdSignatureReport {
    /// The document it belongs to (position among `DocBody` elements).
    pub document: usize,
    /// `ID` in `Signatures.xml`.
    pub id: String,
    /// `Type`: `seal` (also when absent), `sign`, or another value as written.
    pub kind: String,
    /// `Relative`: the signature this one counter-signs.
    pub relative: Option<String>,
    /// The `Signature.xml` entry.
    pub path: Option<String>,
    /// `V1`, `V4`, `SignedData` or `bare`, when `SignedValue.dat` parsed.
    pub format: Option<String>,
    /// How the signer's SM2 value is encoded: `der`, or `plain` (raw 64-byte r‖s).
    pub signature_encoding: Option<ValueEncoding>,
    /// The signing time as written (`timeInfo`, signingTime or `SignatureDateTime`).
    pub signing_time: Option<OfdTime>,
    /// The package files the signature's references cover, sorted.
    pub covered_files: Vec<String>,
    /// The `FileRef`s whose digest check did not pass, as written.
    pub failed_references: Vec<String>,
    /// The seal (V1 and V4 signatures).
    pub seal: Option<OfdSeal>,
    /// How the seal maker's SM2 value is encoded: `der` or `plain`.
    pub seal_signature_encoding: Option<ValueEncoding>,
    /// The seal maker's certificate and path (V1 and V4, when the certificate parses).
    pub seal_maker: Option<OfdSealMaker>,
    /// A timestamp carried in the signature.
    pub timestamp: Option<OfdTimestamp>,
}

/// What a document report adds for an OFD package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfdDocumentReport {
    /// How many documents (`DocBody`) the package holds.
    pub documents: usize,
    /// How many ZIP entries.
    pub entries: usize,
    /// Files of the package that no signature covers (neither referenced nor a signature's
    /// own file): added or replaced after signing, or never protected.
    pub uncovered_files: Vec<String>,
}
