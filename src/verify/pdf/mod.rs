//! Verify a PDF: every signature and document timestamp, in document order, each a CMS
//! over its byte ranges streamed from a random-access [`Source`] (never the whole file in
//! memory), checked by the CMS layer like any other signer, after the PDF's own checks —
//! the signature dictionary (Universal Signature Forgery), the SubFilter, `/ByteRange` and
//! coverage (Signature Wrapping), the changes after signing (reject by default; shadow and
//! incremental-saving attacks), DocMDP and field locks. The certificates and CRLs of the
//! DSS of every revision join the certificate pool and the revocation data. The
//! document's indication is the worst of its signatures'.

mod checks;
mod level;
mod signature;
mod tst;

use super::{jurisdiction_of_store, signer, Call, Verifier, VerifyError};
use crate::asn1::format_time;
use crate::asn1::oid::known as oids;
use crate::document::pdf::{
    Dss, FileSource, PdfDocument, PdfError, SeekSource, SignatureKind, Source,
};
use crate::path::CertPool;
use crate::report::document::{Container, DocumentReport, DOCUMENT_FORMAT};
use crate::report::pdf::{PdfDocumentReport, PdfDssReport};
use crate::revocation::ocsp::OcspResponse;
use crate::verdict::{Indication, SubIndication, Verdict};
use crate::x509::{Certificate, Crl};
use crate::Limits;
use std::collections::HashSet;
use std::io::{Read, Seek};
use std::sync::Arc;

impl Verifier {
    /// Verifies a PDF held in memory (copied once into a shared buffer). `call.content`
    /// must be empty: a PDF carries what its signatures sign.
    pub fn verify_pdf(&self, pdf: &[u8], call: Call<'_>) -> Result<DocumentReport, VerifyError> {
        let source: Arc<dyn Source> = Arc::new(pdf.to_vec());
        self.verify_pdf_source(source, call)
    }

    /// Verifies a PDF read from a seekable reader (reads are positioned, through a lock).
    pub fn verify_pdf_reader<R: Read + Seek + Send + 'static>(
        &self,
        reader: R,
        call: Call<'_>,
    ) -> Result<DocumentReport, VerifyError> {
        let source = SeekSource::new(reader).map_err(VerifyError::Document)?;
        self.verify_pdf_source(Arc::new(source), call)
    }

    /// Verifies a PDF file with positioned reads: however large the file, memory stays
    /// bounded (the signed bytes are streamed through the digest).
    pub fn verify_pdf_file(
        &self,
        path: impl AsRef<std::path::Path>,
        call: Call<'_>,
    ) -> Result<DocumentReport, VerifyError> {
        let source = FileSource::open(path).map_err(VerifyError::Document)?;
        self.verify_pdf_source(Arc::new(source), call)
    }

    /// Verifies a PDF from a random-access source: every signature and document timestamp
    /// in document order, one [`crate::SignerReport`] each (with its `pdf` facts), the
    /// document's indication the worst of theirs (INDETERMINATE / FORMAT_FAILURE when there
    /// is none). An error means the file could not be read as a PDF at all.
    pub fn verify_pdf_source(
        &self,
        source: Arc<dyn Source>,
        call: Call<'_>,
    ) -> Result<DocumentReport, VerifyError> {
        if call.content.is_some() {
            return Err(VerifyError::ContentNotApplicable);
        }
        let s = &*self.settings;
        let limits = &s.options.limits;
        let doc = PdfDocument::open_shared(source, limits)?;
        let sigs = doc.signatures()?;
        if sigs.len() > limits.max_pdf_signatures {
            return Err(PdfError::limit(
                "max_pdf_signatures",
                limits.max_pdf_signatures as u64,
                format!("the {} signatures of the document", sigs.len()),
            )
            .into());
        }
        let time = self.time_of(&call);
        let mut notes = Vec::new();
        let dss = match doc.dss() {
            Ok(d) => d,
            Err(e) if e.limit_name().is_some() => return Err(e.into()),
            Err(e) => {
                notes.push(format!(
                    "the DSS could not be read, so its validation data is not used: {e}"
                ));
                Vec::new()
            }
        };
        let material = Material::of(&dss, limits, &mut notes)?;
        let mut pool = CertPool::over(Arc::clone(&s.pool));
        for c in call.certificates.iter().chain(&material.certificates) {
            pool.add(Arc::clone(c));
        }
        let mut crls = s.crls.clone();
        crls.extend(call.crls.iter().cloned());
        crls.extend(material.crls.iter().cloned());
        let mut ocsp = s.ocsp.clone();
        ocsp.extend(call.ocsp.iter().cloned());
        ocsp.extend(material.ocsp.iter().cloned());
        let mut options = s.options.clone();
        options.time = time;
        let ctx = signature::Ctx {
            settings: s,
            caches: &self.caches,
            doc: &doc,
            all: &sigs,
            dss: &dss,
            pool: &pool,
            crls: &crls,
            ocsp: &ocsp,
            options: &options,
        };
        let mut signers = Vec::with_capacity(sigs.len());
        for sig in &sigs {
            signers.push(ctx.verify(sig)?);
        }
        let is_signature = |r: &crate::SignerReport| {
            r.pdf
                .as_ref()
                .is_some_and(|p| p.kind == SignatureKind::Signature)
        };
        let relying_party = call.relying_party.or(s.relying_party).or_else(|| {
            signers
                .iter()
                .find(|r| is_signature(r))
                .and_then(|r| r.anchor_store.as_deref())
                .and_then(jurisdiction_of_store)
        });
        if let Some(rp) = relying_party {
            // Recognition is about who signed: timestamps are not held to it.
            for r in signers.iter_mut().filter(|r| is_signature(r)) {
                signer::require_recognition(r, rp);
            }
        }
        let verdict = if signers.is_empty() {
            Verdict::failed(Indication::Indeterminate, SubIndication::FormatFailure)
        } else {
            Verdict::worst(signers.iter().map(|r| r.verdict()))
        };
        let pdf = PdfDocumentReport {
            length: doc.len(),
            revisions: doc.revisions().to_vec(),
            encrypted: doc.is_encrypted(),
            warnings: doc.warnings().to_vec(),
            dss: dss.iter().map(PdfDssReport::of).collect(),
            notes,
        };
        Ok(DocumentReport {
            format: DOCUMENT_FORMAT.to_owned(),
            container: Container::Pdf,
            validation_time: format_time(time),
            relying_party,
            indication: verdict.indication,
            sub_indication: verdict.sub_indication,
            content_type: oids::DATA.to_string(),
            detached: true,
            signers,
            pdf: Some(Box::new(pdf)),
            ofd: None,
        })
    }
}

/// The certificates and CRLs of every revision's DSS (each distinct one once), parsed.
struct Material {
    certificates: Vec<Arc<Certificate>>,
    crls: Vec<Arc<Crl>>,
    ocsp: Vec<Arc<OcspResponse>>,
}

impl Material {
    /// Bounded by `Limits::max_certificates_per_document` and `max_crls_per_document`;
    /// an entry that does not parse is noted and left out.
    fn of(dss: &[Dss], limits: &Limits, notes: &mut Vec<String>) -> Result<Material, VerifyError> {
        let mut seen: HashSet<&[u8]> = HashSet::new();
        let mut out = Material {
            certificates: Vec::new(),
            crls: Vec::new(),
            ocsp: Vec::new(),
        };
        let mut ocsps: HashSet<&[u8]> = HashSet::new();
        for d in dss {
            let vri = d.vri.iter();
            let certs = d.certs.iter().chain(vri.clone().flat_map(|v| &v.certs));
            let crls = d.crls.iter().chain(vri.clone().flat_map(|v| &v.crls));
            for c in certs {
                if !seen.insert(&c.data) {
                    continue;
                }
                if out.certificates.len() >= limits.max_certificates_per_document {
                    return Err(too_many(
                        "max_certificates_per_document",
                        limits.max_certificates_per_document,
                        "certificates",
                    ));
                }
                match Certificate::from_der(&c.data) {
                    Ok(cert) => out.certificates.push(Arc::new(cert)),
                    Err(e) => notes.push(format!(
                        "DSS of revision {}: {} is not a certificate sigbridge can read: {e}",
                        d.revision,
                        object_name(c.object)
                    )),
                }
            }
            for c in crls {
                if !seen.insert(&c.data) {
                    continue;
                }
                if out.crls.len() >= limits.max_crls_per_document {
                    return Err(too_many(
                        "max_crls_per_document",
                        limits.max_crls_per_document,
                        "CRLs",
                    ));
                }
                match Crl::from_der(&c.data, limits.max_crl_entries) {
                    Ok(crl) => out.crls.push(Arc::new(crl)),
                    Err(e) => notes.push(format!(
                        "DSS of revision {}: {} is not a CRL sigbridge can read: {e}",
                        d.revision,
                        object_name(c.object)
                    )),
                }
            }
            for o in d.ocsps.iter().chain(vri.flat_map(|v| &v.ocsps)) {
                if !ocsps.insert(&o.data) {
                    continue;
                }
                if out.ocsp.len() >= limits.max_ocsp_responses {
                    return Err(too_many(
                        "max_ocsp_responses",
                        limits.max_ocsp_responses,
                        "OCSP responses",
                    ));
                }
                match OcspResponse::from_der(&o.data, limits) {
                    Ok(r) => out.ocsp.push(Arc::new(r)),
                    Err(e) => notes.push(format!(
                        "DSS of revision {}: {} is not an OCSP response sigbridge can read: {e}",
                        d.revision,
                        object_name(o.object)
                    )),
                }
            }
        }
        Ok(out)
    }
}

fn too_many(limit: &'static str, max: usize, what: &str) -> VerifyError {
    PdfError::limit(limit, max as u64, format!("the {what} of the DSS")).into()
}

fn object_name(o: Option<crate::document::pdf::ObjRef>) -> String {
    o.map_or_else(|| "an entry".to_owned(), |r| format!("object {r}"))
}
