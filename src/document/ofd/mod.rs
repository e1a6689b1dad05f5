//! OFD documents (GB/T 33190) and the Chinese electronic seals and signatures they carry
//! (GB/T 38540 "V4", GM/T 0031 "V1", GB/T 35275 SignedData, bare SM2).
//!
//! This module owns everything between the bytes of an `.ofd` file and a typed list of
//! per-signature checks:
//!
//! * [`package`]: the hardened ZIP reader ([`OfdPackage`]): caps from [`crate::Limits`],
//!   canonical names only, local headers cross-checked against the central directory,
//!   entries looked up by exact name and inflated in memory;
//! * `xml` (private): bounded, DTD-free, namespace-tolerant XML over `roxmltree`;
//! * [`model`]: `OFD.xml` → `DocBody` → `Document.xml`, the `Signatures.xml` lists and each
//!   `Signature.xml` ([`model::OfdSignature`]), with exact path resolution;
//! * [`seal`] and [`ses`]: the seal (`SESeal`) and `SignedValue.dat` structures, parsed
//!   strictly with the bounded BER reader, keeping the raw bytes of every signed block;
//! * [`checks`]: the checks of one signature ([`checks::OfdRule`]) and of a package
//!   ([`verify_signatures`]);
//! * [`summary`]: what `inspect` shows ([`summary::OfdSummary`]).
//!
//! It does not validate certificate paths, revocation or trust, and does not verify RFC 3161
//! timestamps: it exposes the signer and seal-maker certificates and the timestamp bytes so
//! that the caller can.

mod asn1;
pub mod certs;
pub mod checks;
mod cms_checks;
mod crypto_checks;
pub mod model;
pub mod package;
mod rules;
pub mod seal;
pub mod ses;
pub mod summary;
pub mod time;
mod xml;
mod zipcheck;

pub use checks::{
    verify_signatures, OfdCheck, OfdRule, OfdStatus, OfdVerification, SignatureResult,
    VerifyOptions,
};
pub use crypto_checks::{verify_seal, verify_seal_cached, verify_ses, verify_with};
pub use model::{OfdDocument, OfdSignature, SignatureKind};
pub use package::{EntryInfo, OfdPackage};
pub use seal::{parse_seal, Seal, SealInfo};
pub use ses::{parse_signed_value, SesSignature, SignedValue};
pub use summary::OfdSummary;

/// Why an OFD package, one of its XML files or one of its seal structures could not be read.
/// Every variant names the entry, file or ASN.1 path concerned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OfdError {
    /// A bound of [`crate::Limits`] was exceeded.
    #[error("{what}: {value} exceeds the limit of {limit} (Limits::{field})")]
    Limit {
        /// The [`crate::Limits`] field.
        field: &'static str,
        /// What was measured.
        what: String,
        /// The value found (or reached).
        value: u64,
        /// The limit.
        limit: u64,
    },
    /// The ZIP structure is malformed or uses a feature refused here.
    #[error("ZIP: {detail}")]
    Zip {
        /// What is wrong.
        detail: String,
    },
    /// An entry name is refused (non-canonical, duplicate or colliding).
    #[error("ZIP entry name {name:?} refused: {reason}")]
    Name {
        /// The name (lossily decoded).
        name: String,
        /// Why.
        reason: String,
    },
    /// A local file header disagrees with the central directory.
    #[error(
        "ZIP entry {name:?}: the local header disagrees with the central directory on {field}"
    )]
    HeaderMismatch {
        /// The entry.
        name: String,
        /// Which field.
        field: &'static str,
    },
    /// An entry's data could not be read (inflate error, size or CRC mismatch).
    #[error("ZIP entry {name:?}: {detail}")]
    Entry {
        /// The entry.
        name: String,
        /// What is wrong.
        detail: String,
    },
    /// A file the package structure names is not in the package.
    #[error("{file}: no such entry in the package")]
    Missing {
        /// The entry name looked up.
        file: String,
    },
    /// An XML file is not well-formed, not UTF-8, or holds a DTD.
    #[error("{file}: XML: {detail}")]
    Xml {
        /// The entry.
        file: String,
        /// What is wrong.
        detail: String,
    },
    /// An XML file is well-formed but lacks or repeats an element the model needs.
    #[error("{file}: {detail}")]
    Structure {
        /// The entry.
        file: String,
        /// What is wrong.
        detail: String,
    },
    /// A location (`ST_Loc`) cannot be resolved to an exact entry name.
    #[error("{file}: location {loc:?}: {reason}")]
    Path {
        /// The file holding the location.
        file: String,
        /// The location as written.
        loc: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A seal or signature structure is malformed.
    #[error("{at}: {detail}")]
    Asn1 {
        /// Where (`SES_Signature.toSign.eseal.esealInfo.property`, …).
        at: String,
        /// What is wrong.
        detail: String,
    },
    /// The package could not be read from its reader.
    #[error("reading the package: {detail}")]
    Io {
        /// The I/O error.
        detail: String,
    },
}
