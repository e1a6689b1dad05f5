//! One signature (or document timestamp) of a PDF: the PDF's checks, then its CMS through
//! the CMS layer ([`Job`]) over the byte ranges streamed from the source — detached for
//! `adbe.pkcs7.detached` / `ETSI.CAdES.detached`, the encapsulated SHA-1 of the ranges for
//! `adbe.pkcs7.sha1`, the TSTInfo's messageImprint for `ETSI.RFC3161` — then the changes
//! after signing, and the PAdES level.

use super::super::signer::{Content, Job};
use super::super::{compare_content, Settings, VerifyError};
use super::{checks, level, tst};
use crate::asn1::format_time;
use crate::asn1::oid::known as oids;
use crate::crypto::DigestAlgorithm;
use crate::document::cms::{self, SignedData};
use crate::document::pdf::{
    pades_level, Coverage, CoverageLevel, Dss, LevelFacts, PadesLevel, PdfDocument, PdfError,
    PdfSignature, SignatureKind, SignedRangesReader, SubFilter,
};
use crate::path::CertPool;
use crate::report::document::SignerReport;
use crate::report::pdf::{PdfSignatureReport, PdfTimestampReport};
use crate::revocation::ocsp::OcspResponse;
use crate::validate::Options;
use crate::verdict::{Check, Rule, Verdict};
use crate::x509::Crl;
use std::sync::Arc;

/// What every signature of one document shares.
pub(super) struct Ctx<'a> {
    pub(super) settings: &'a Settings,
    pub(super) caches: &'a super::super::caches::Caches,
    pub(super) doc: &'a PdfDocument,
    pub(super) all: &'a [PdfSignature],
    pub(super) dss: &'a [Dss],
    pub(super) pool: &'a CertPool,
    pub(super) crls: &'a [Arc<Crl>],
    pub(super) ocsp: &'a [Arc<OcspResponse>],
    pub(super) options: &'a Options,
}

/// The CMS side of one signature.
#[derive(Default)]
struct CmsPart {
    /// The CMS layer's report on the signer, when the CMS was read.
    report: Option<SignerReport>,
    /// Checks about the CMS's place in the PDF (before the CMS layer's own).
    checks: Vec<Check>,
    /// Checks reported last (what is not verified yet).
    notes: Vec<Check>,
    level: Option<PadesLevel>,
    signature_timestamp: bool,
    timestamp: Option<PdfTimestampReport>,
}

impl Ctx<'_> {
    /// The report on `sig`: its checks in order (the signature dictionary, SubFilter,
    /// byte range and coverage; the CMS's; the changes after signing), its verdict from
    /// them, and the PDF facts. Only an I/O error reading the source is an error.
    pub(super) fn verify(&self, sig: &PdfSignature) -> Result<SignerReport, VerifyError> {
        let (cov, cov_error) = match self.doc.coverage(sig) {
            Ok(c) => (c, None),
            Err(e @ PdfError::Io { .. }) => return Err(e.into()),
            Err(e) => (unknown_coverage(), Some(e)),
        };
        // The coverage just computed serves the change analysis too (it was evaluated
        // twice: two more reads and decodings of /Contents).
        let mods = match if cov_error.is_none() {
            self.doc.modifications_with(sig, &cov)
        } else {
            self.doc.modifications(sig)
        } {
            Err(e @ PdfError::Io { .. }) => return Err(e.into()),
            m => m,
        };
        let mut checks = checks::dictionary(sig);
        match cov_error {
            Some(e) => checks.push(Check::failed(
                Rule::PdfCoverage,
                format!("what the signature covers could not be established: {e}"),
            )),
            None => checks.extend(checks::coverage(&cov, self.doc.len())),
        }
        let part = self.cms(sig)?;
        let mut report = part.report.unwrap_or_else(SignerReport::blank);
        checks.extend(part.checks);
        checks.append(&mut report.checks);
        checks.extend(checks::modifications(sig, mods.as_ref()));
        checks.extend(part.notes);
        report.checks = checks;
        report.set_verdict(Verdict::of_checks(&report.checks));
        let mut pdf = PdfSignatureReport::of(sig, &cov, mods.as_ref().ok());
        pdf.level = part.level;
        pdf.signature_timestamp = part.signature_timestamp;
        pdf.timestamp = part.timestamp;
        report.pdf = Some(Box::new(pdf));
        Ok(report)
    }

    /// Reads and checks the CMS of `sig`, when there is one to read.
    fn cms(&self, sig: &PdfSignature) -> Result<CmsPart, VerifyError> {
        let mut part = CmsPart::default();
        let Some(bytes) = sig.cms().filter(|c| c.first() == Some(&0x30)) else {
            return Ok(part);
        };
        if !sig.sub_filter.is_supported() {
            return Ok(part);
        }
        let Ok(reader) = self.doc.signed_ranges_reader(sig) else {
            part.checks.push(Check::skipped(
                Rule::PdfCms,
                "the CMS is not checked: its byte ranges cannot be read",
            ));
            return Ok(part);
        };
        let limits = &self.options.limits;
        let sd = match cms::parse_cached(bytes, limits, &self.caches.objects) {
            Ok(sd) => sd,
            Err(e) => {
                part.checks.push(Check::failed(
                    Rule::PdfCms,
                    format!("/Contents is not a CMS SignedData sigbridge can read: {e}"),
                ));
                return Ok(part);
            }
        };
        let Some(si) = sd.signers.first() else {
            part.checks.push(Check::failed(
                Rule::PdfCms,
                "the CMS SignedData in /Contents has no SignerInfo",
            ));
            return Ok(part);
        };
        if sd.signers.len() > 1 {
            part.checks.push(Check::failed(
                Rule::PdfCms,
                format!(
                    "a PDF signature holds exactly one SignerInfo (ISO 32000-1 §12.8.3.3); this one has {} (the first is checked)",
                    sd.signers.len()
                ),
            ));
        }
        // What the CMS carries for long-term validation: its timestamps, certificate and
        // revocation values, OCSP responses (verified like a CMS document's).
        let ev = super::super::evidence::Evidence::of(&sd, limits, self.caches);
        let extra = ev.content_timestamp_algorithms();
        let (content, content_check) = match sig.sub_filter {
            SubFilter::AdbePkcs7Sha1 => self.sha1_content(&sd, reader, &mut part, &extra)?,
            SubFilter::EtsiRfc3161 => self.timestamp_content(&sd, reader, &mut part, &extra)?,
            _ => detached_content(&sd, reader, &mut part, limits.max_file_size, &extra)?,
        };
        let mut pool = self.pool.clone();
        for c in sd.certificates.iter().chain(&ev.certificates) {
            pool.add(Arc::clone(c));
        }
        let mut crls = self.crls.to_vec();
        crls.extend(ev.crls.iter().cloned());
        let mut ocsp = self.ocsp.to_vec();
        ocsp.extend(ev.ocsp.iter().cloned());
        let job = Job {
            settings: self.settings,
            caches: self.caches,
            sd: &sd,
            content: &content,
            content_check: content_check.as_ref(),
            pool: &pool,
            crls: &crls,
            ocsp: &ocsp,
            options: self.options,
        };
        let no_stamps = super::super::signer::Stamps::default();
        let mut report = job.signer(si, ev.stamps.first().unwrap_or(&no_stamps));
        ev.refine_origins(&mut report);
        if sig.sub_filter == SubFilter::AdbePkcs7Sha1 && self.options.algorithms.allow_sha1 {
            report
                .weak_algorithms_accepted
                .push("pdf: adbe.pkcs7.sha1 signs the SHA-1 digest of the byte ranges".into());
        }
        if sig.kind == SignatureKind::Signature {
            self.level(sig, &sd, &mut part);
        }
        part.report = Some(report);
        Ok(part)
    }

    /// The PAdES level and the signature timestamp note.
    fn level(&self, sig: &PdfSignature, sd: &SignedData, part: &mut CmsPart) {
        let Some(si) = sd.signers.first() else {
            return;
        };
        part.signature_timestamp = level::has_signature_timestamp(si);
        let etsi = sig.sub_filter == SubFilter::EtsiCadesDetached;
        let pkcs7 = matches!(
            sig.sub_filter,
            SubFilter::AdbePkcs7Detached | SubFilter::AdbePkcs7Sha1
        );
        let b = if etsi {
            level::baseline_b(sig, sd, si, self.doc.is_encrypted())
        } else {
            level::pkcs7(sig, sd, si)
        };
        let inputs = self.doc.level_inputs(sig, self.all, self.dss);
        let facts = LevelFacts::new(
            etsi,
            pkcs7,
            b,
            part.signature_timestamp,
            level::validation_data(sig, sd, si, self.dss),
            &inputs,
        );
        part.level = Some(pades_level(&facts));
    }

    /// `adbe.pkcs7.sha1`: the CMS encapsulates the SHA-1 of the ranges and signs that.
    fn sha1_content(
        &self,
        sd: &SignedData,
        reader: SignedRangesReader,
        part: &mut CmsPart,
        extra: &[DigestAlgorithm],
    ) -> Result<(Content, Option<Check>), VerifyError> {
        let Some(carried) = sd.content.as_deref() else {
            part.checks.push(Check::failed(
                Rule::PdfCms,
                "adbe.pkcs7.sha1: the CMS must encapsulate the SHA-1 digest of the byte ranges, and this one is detached",
            ));
            return Ok((Content::missing(), None));
        };
        if !self.options.algorithms.allow_sha1 {
            part.checks.push(Check::failed(
                Rule::DigestAlgorithm,
                "adbe.pkcs7.sha1 signs a SHA-1 digest of the document, and the algorithm policy does not allow SHA-1",
            ));
        }
        let digest = reader
            .digest(DigestAlgorithm::Sha1)
            .map_err(VerifyError::Document)?;
        part.checks.push(if digest == carried {
            Check::passed(
                Rule::PdfSha1Digest,
                "the encapsulated content is the SHA-1 digest of the byte ranges (SHA-1: weak)",
            )
        } else {
            Check::failed(
                Rule::PdfSha1Digest,
                format!(
                    "the encapsulated content ({}) is not the SHA-1 digest of the byte ranges ({}): the document is not what was signed",
                    hex::encode(carried),
                    hex::encode(&digest)
                ),
            )
        });
        Ok((Content::digest(sd, carried, extra), None))
    }

    /// `ETSI.RFC3161`: the token's TSTInfo; its messageImprint must be the hash of the
    /// ranges.
    fn timestamp_content(
        &self,
        sd: &SignedData,
        reader: SignedRangesReader,
        part: &mut CmsPart,
        extra: &[DigestAlgorithm],
    ) -> Result<(Content, Option<Check>), VerifyError> {
        if sd.content_type != oids::CT_TST_INFO {
            part.checks.push(Check::failed(
                Rule::PdfCms,
                format!(
                    "a document timestamp's token encapsulates a TSTInfo (id-ct-TSTInfo); this one encapsulates {}",
                    crate::asn1::oid::describe(&sd.content_type)
                ),
            ));
        }
        let Some(carried) = sd.content.as_deref() else {
            part.checks.push(Check::failed(
                Rule::PdfCms,
                "the document timestamp's token carries no TSTInfo",
            ));
            return Ok((Content::missing(), None));
        };
        let info = match tst::parse(carried) {
            Ok(i) => i,
            Err(e) => {
                part.checks.push(Check::failed(Rule::PdfCms, e));
                return Ok((Content::digest(sd, carried, extra), None));
            }
        };
        let alg = DigestAlgorithm::from_oid(&info.imprint_algorithm);
        part.timestamp = Some(PdfTimestampReport {
            time: Some(format_time(info.time)),
            imprint_algorithm: alg.map_or_else(
                || info.imprint_algorithm.to_string(),
                |a| a.name().to_owned(),
            ),
            policy: info.policy.to_string(),
        });
        match alg {
            None => part.checks.push(Check::failed(
                Rule::DigestAlgorithm,
                format!(
                    "the timestamp's messageImprint uses an unknown hash algorithm ({})",
                    info.imprint_algorithm
                ),
            )),
            Some(a) => {
                let digest = reader.digest(a).map_err(VerifyError::Document)?;
                part.checks.push(if digest == info.imprint {
                    Check::passed(
                        Rule::PdfTimestampImprint,
                        format!(
                            "the timestamp's messageImprint is the {} of the byte ranges (genTime {})",
                            a.name(),
                            format_time(info.time)
                        ),
                    )
                } else {
                    Check::failed(
                        Rule::PdfTimestampImprint,
                        format!(
                            "the timestamp's messageImprint is not the {} of the byte ranges: the document is not what was timestamped",
                            a.name()
                        ),
                    )
                });
            }
        }
        part.notes.push(Check::skipped(
            Rule::PdfTimestampNotVerified,
            "RFC 3161 checks of the token beyond its CMS signature and messageImprint (the TSA certificate's id-kp-timeStamping purpose, the ESSCertID binding) are not made yet",
        ));
        Ok((Content::digest(sd, carried, extra), None))
    }
}

/// `adbe.pkcs7.detached` / `ETSI.CAdES.detached`: the content is the streamed ranges; a CMS
/// that encapsulates content anyway is refused, and what it carries is compared with the
/// ranges.
fn detached_content(
    sd: &SignedData,
    mut reader: SignedRangesReader,
    part: &mut CmsPart,
    limit: usize,
    extra: &[DigestAlgorithm],
) -> Result<(Content, Option<Check>), VerifyError> {
    if let Some(carried) = sd.content.as_deref() {
        part.checks.push(Check::failed(
            Rule::PdfCms,
            format!(
                "a detached SubFilter needs a detached CMS; this one encapsulates {} bytes of content",
                carried.len()
            ),
        ));
        let check = compare_content(&mut reader, carried).map_err(VerifyError::Document)?;
        return Ok((Content::digest(sd, carried, extra), Some(check)));
    }
    let content = Content::read(sd, &mut reader, limit, extra).map_err(|e| match e {
        VerifyError::Content(io) => VerifyError::Document(io),
        other => other,
    })?;
    Ok((content, None))
}

/// Coverage that could not be established (the reason goes into the check).
fn unknown_coverage() -> Coverage {
    Coverage {
        level: CoverageLevel::Partial,
        problems: Vec::new(),
        signed_end: None,
        covered_revision: None,
    }
}
