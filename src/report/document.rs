//! The document report (`sigbridge-report/2`): the verdict on one signed document and on each
//! of its signers, as `sigbridge verify --format json` prints it.

use super::pdf::{PdfDocumentReport, PdfSignatureReport};
use crate::asn1::Oid;
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
}

impl SignerReport {
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
    /// eContentType, dotted (for a PDF: id-data, what its signatures sign).
    pub content_type: String,
    /// True when the content was supplied separately (for a PDF: true, its signatures are
    /// detached over the byte ranges the file holds).
    pub detached: bool,
    /// One per SignerInfo, in order (for a PDF: one per signature and document timestamp,
    /// in document order).
    pub signers: Vec<SignerReport>,
    /// For a PDF: its revisions, encryption, warnings and long-term validation data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf: Option<Box<PdfDocumentReport>>,
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
