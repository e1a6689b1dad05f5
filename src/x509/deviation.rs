//! Deviations: encodings that break RFC 5280 / X.690 DER but that real issuers produce and
//! other validators read. A certificate that has them is still parsed (the raw bytes are
//! kept); each is recorded on [`crate::x509::Certificate::deviations`] so that reports can
//! show it, and a later stage fails only where the affected value is actually needed.

use std::fmt;

use crate::asn1::Oid;

/// One deviation from the profile found while parsing a certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Deviation {
    /// The TBS `signature` and the outer `signatureAlgorithm` name the same algorithm but
    /// encode its parameters differently: one absent, the other NULL (RFC 5280 §4.1.1.2
    /// wants them identical). The absent form is the one used.
    SignatureAlgorithmParameters {
        /// The algorithm.
        algorithm: Oid,
        /// True when the TBS field carries the NULL (else the outer one does).
        null_in_tbs: bool,
    },
    /// serialNumber is a non-minimal INTEGER encoding (a redundant leading octet, X.690
    /// §8.3.2); compared without it.
    NonMinimalSerial,
    /// A name attribute's string holds bytes its ASN.1 type does not allow (such as UTF-8 in
    /// an IA5String or PrintableString); the raw bytes are kept and compared as they are.
    NameStringEncoding {
        /// `subject` or `issuer`.
        field: &'static str,
        /// The attribute type.
        attribute: Oid,
        /// The universal tag of the value.
        tag: u32,
    },
    /// A non-critical subjectAltName that does not decode (e.g. primitive x400Address or
    /// ediPartyName values). The names are unknown: a check that needs them (a name
    /// constraint, a peer name) fails.
    UndecodableSubjectAltName {
        /// Why it does not decode.
        detail: String,
    },
}

impl Deviation {
    /// A stable short identifier, for reports.
    pub fn id(&self) -> &'static str {
        match self {
            Deviation::SignatureAlgorithmParameters { .. } => "signature-algorithm-parameters",
            Deviation::NonMinimalSerial => "non-minimal-serial",
            Deviation::NameStringEncoding { .. } => "name-string-encoding",
            Deviation::UndecodableSubjectAltName { .. } => "undecodable-subject-alt-name",
        }
    }
}

fn tag_name(tag: u32) -> &'static str {
    match tag {
        12 => "UTF8String",
        19 => "PrintableString",
        22 => "IA5String",
        26 => "VisibleString",
        28 => "UniversalString",
        30 => "BMPString",
        _ => "string",
    }
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deviation::SignatureAlgorithmParameters {
                algorithm,
                null_in_tbs,
            } => {
                let (null, absent) = if *null_in_tbs {
                    ("TBS signature", "outer signatureAlgorithm")
                } else {
                    ("outer signatureAlgorithm", "TBS signature")
                };
                write!(
                    f,
                    "{} parameters are NULL in the {null} and absent in the {absent} (RFC 5280 §4.1.1.2 wants them identical)",
                    crate::asn1::oid::describe(algorithm)
                )
            }
            Deviation::NonMinimalSerial => {
                f.write_str("serialNumber is not a minimal INTEGER encoding (X.690 §8.3.2)")
            }
            Deviation::NameStringEncoding {
                field,
                attribute,
                tag,
            } => write!(
                f,
                "{field} attribute {} holds bytes a {} does not allow; kept as raw bytes",
                crate::asn1::oid::describe(attribute),
                tag_name(*tag)
            ),
            Deviation::UndecodableSubjectAltName { detail } => write!(
                f,
                "the non-critical subjectAltName does not decode ({detail}); its names are unknown"
            ),
        }
    }
}
