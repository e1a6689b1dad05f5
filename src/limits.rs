//! Limits: the one value that bounds every parser and every search in the crate.

use serde::{Deserialize, Serialize};

/// Bounds on input size and work. Exceeding one gives a typed error naming the limit,
/// never a panic. The defaults are safe for input from strangers and generous for real
/// documents and PKIs.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Largest certificate, CRL or signed object accepted, in bytes.
    pub max_object_size: usize,
    /// Largest file read whole (PEM bundles, trust lists), in bytes.
    pub max_file_size: usize,
    /// Most objects taken from one PEM bundle.
    pub max_pem_objects: usize,
    /// Most revoked entries in one CRL.
    pub max_crl_entries: usize,
    /// Path building: most signature verifications over one validation.
    pub max_signature_checks: usize,
    /// Path building: most candidate paths examined.
    pub max_candidate_paths: usize,
    /// Path building: most partial paths extended, dead ends included.
    pub max_path_search_steps: usize,
    /// Path building: most certificates in a path, anchor included.
    pub max_path_depth: usize,
    /// Most nodes in the policy graph of one path.
    pub max_policy_nodes: usize,
    /// Most name × constraint comparisons over one path.
    pub max_name_constraint_checks: u64,
    /// Most CRLs considered for one validation.
    pub max_crls: usize,
    /// Deepest ASN.1 (BER/DER) nesting followed when decoding a signed document; also bounds
    /// nested counter-signatures .
    pub max_asn1_depth: usize,
    /// Most certificates carried in one signed document.
    pub max_certificates_per_document: usize,
    /// Most CRLs carried in one signed document.
    pub max_crls_per_document: usize,
    /// Most SignerInfos in one signed document, counter-signatures included
    pub max_signers: usize,
    /// Most attributes in one signed or unsigned attribute set, and most values in one
    /// attribute.
    pub max_attributes: usize,
    /// Deepest MIME nesting followed to reach the signed entity of an S/MIME message
    pub max_mime_depth: usize,
    /// Most body parts in one multipart MIME entity.
    pub max_mime_parts: usize,
    /// Most header fields in one MIME entity's header block.
    pub max_mime_headers: usize,
    /// Most files read from one trust-stores folder's `certs/` (per jurisdiction) when
    /// layering it over the bundled lists.
    pub max_trust_store_files: usize,
    /// Most entries (files and folders) in the ZIP central directory of one OFD package.
    pub max_ofd_entries: usize,
    /// Largest uncompressed size of one OFD package entry, in bytes: both the size the ZIP
    /// headers declare and the bytes inflating actually yields (which must be equal).
    pub max_ofd_entry_size: u64,
    /// Largest sum of the declared uncompressed sizes of all entries of one OFD package.
    pub max_ofd_total_size: u64,
    /// Largest ratio of declared uncompressed to compressed size of one OFD package entry.
    /// Entries declaring less than 1 MiB uncompressed are exempt (their expansion is bounded
    /// by that size).
    pub max_ofd_compression_ratio: u64,
    /// Largest OFD XML file parsed (`OFD.xml`, `Document.xml`, `Signatures.xml`,
    /// `Signature.xml`), in bytes.
    pub max_ofd_xml_size: usize,
    /// Most XML nodes (elements, attributes' owners, text, comments) in one OFD XML file.
    pub max_ofd_xml_nodes: u32,
    /// Most signatures listed across the documents of one OFD package.
    pub max_ofd_signatures: usize,
    /// PDF: most cross-reference entries over all revisions of one file, and most objects
    /// in one object stream.
    pub max_pdf_objects: usize,
    /// PDF: most revisions (cross-reference sections reached from `startxref` through
    /// `/Prev`).
    pub max_pdf_revisions: usize,
    /// PDF: deepest nesting of arrays and dictionaries in one object, and deepest field,
    /// page or reference chain followed.
    pub max_pdf_depth: usize,
    /// PDF: most form fields (and widgets) read from one form's field tree.
    pub max_pdf_form_fields: usize,
    /// PDF: largest decoded stream (output of FlateDecode and the other filters), in bytes.
    pub max_inflated_size: usize,
    /// PDF: largest single object outside stream data (a dictionary, array or string), in
    /// bytes of the file.
    pub max_pdf_object_size: usize,
    /// PDF: most work units for one operation (opening a file, listing its signatures, one
    /// modification analysis): each token read, object looked up and KiB decoded is one.
    pub max_pdf_work: u64,
    /// Largest OCSP response decoded, in bytes.
    pub max_ocsp_response_size: usize,
    /// Most SingleResponses in one OCSP response.
    pub max_ocsp_single_responses: usize,
    /// Most OCSP responses examined for one certificate (responses that do not name its
    /// serial number are skipped without counting).
    pub max_ocsp_responses: usize,
    /// Most timestamp tokens read for one signer (signature and content timestamps).
    pub max_timestamps: usize,
    /// Most revocation objects (CRLs, OCSP responses, issuer certificates) fetched for one
    /// validation when fetching is enabled.
    pub max_fetches: usize,
    /// PDF: most signatures and document timestamps verified in one file (each one's CMS is
    /// checked and its byte ranges hashed).
    pub max_pdf_signatures: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_object_size: 16 << 20,
            max_file_size: 64 << 20,
            max_pem_objects: 10_000,
            max_crl_entries: 1_000_000,
            max_signature_checks: 256,
            max_candidate_paths: 128,
            max_path_search_steps: 2048,
            max_path_depth: 16,
            max_policy_nodes: 10_000,
            max_name_constraint_checks: 1 << 20,
            max_crls: 1_000,
            max_asn1_depth: 64,
            max_certificates_per_document: 256,
            max_crls_per_document: 256,
            max_signers: 64,
            max_attributes: 64,
            max_mime_depth: 4,
            max_mime_parts: 256,
            max_mime_headers: 1000,
            max_trust_store_files: 1000,
            max_ofd_entries: 10_000,
            max_ofd_entry_size: 64 << 20,
            max_ofd_total_size: 256 << 20,
            max_ofd_compression_ratio: 100,
            max_ofd_xml_size: 4 << 20,
            max_ofd_xml_nodes: 100_000,
            max_ofd_signatures: 64,
            max_pdf_objects: 1_000_000,
            max_pdf_revisions: 1000,
            max_pdf_depth: 64,
            max_pdf_form_fields: 10_000,
            max_inflated_size: 16 << 20,
            max_pdf_object_size: 16 << 20,
            max_pdf_work: 20_000_000,
            max_ocsp_response_size: 1 << 20,
            max_ocsp_single_responses: 256,
            max_ocsp_responses: 64,
            max_timestamps: 16,
            max_fetches: 32,
            max_pdf_signatures: 512,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Limits;

    #[test]
    fn limits_deserialise_with_defaults_for_missing_fields() {
        let l: Limits = serde_json::from_str(r#"{"max_asn1_depth": 8}"#).unwrap();
        assert_eq!(l.max_asn1_depth, 8);
        assert_eq!(l.max_signers, Limits::default().max_signers);
    }
}
