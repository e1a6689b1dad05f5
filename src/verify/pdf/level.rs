//! The CMS side of a signature's PAdES level (EN 319 142-1 §6.3, as EU DSS checks it):
//! whether the CMS meets the baseline B requirements (or, for `adbe.pkcs7.*`, the PKCS #7
//! ones), whether it carries a signature timestamp, and whether validation data is present.
//! The ladder itself is [`crate::document::pdf::pades_level`].

use crate::asn1::oid::known as oids;
use crate::asn1::Oid;
use crate::document::cms::{self, SignedData, SignerInfo};
use crate::document::pdf::{Dss, PdfSignature, SubFilter};

/// Whether the signed attributes hold `oid`, and how many times.
fn count(si: &SignerInfo, oid: &Oid) -> usize {
    si.signed_attrs
        .as_ref()
        .map_or(0, |a| a.attributes.iter().filter(|x| &x.oid == oid).count())
}

/// Whether the unsigned attributes hold a signature timestamp (RFC 3161 token over the
/// signature value, `id-aa-signatureTimeStampToken`).
pub(super) fn has_signature_timestamp(si: &SignerInfo) -> bool {
    si.unsigned_attrs
        .iter()
        .any(|a| a.oid == oids::ATTR_SIGNATURE_TIMESTAMP)
}

/// The signing certificate is among the SignedData's certificates.
fn signer_certificate_included(sd: &SignedData, si: &SignerInfo) -> bool {
    cms::find_signer_certificate(si, &sd.certificates).is_some()
}

/// PAdES baseline B (`ETSI.CAdES.detached`): SignedData.certificates with the signing
/// certificate; content-type id-data, message-digest and exactly one signing-certificate
/// (v2 with a hash other than SHA-1) among the signed attributes; no signing-time (the
/// time is `/M`); `/M` and `/Filter` present; no commitment type or policy beside
/// `/Reason`.
pub(super) fn baseline_b(
    sig: &PdfSignature,
    sd: &SignedData,
    si: &SignerInfo,
    encrypted: bool,
) -> bool {
    let Some(sa) = si.signed_attrs.as_ref() else {
        return false;
    };
    let ess =
        count(si, &oids::ATTR_SIGNING_CERTIFICATE) + count(si, &oids::ATTR_SIGNING_CERTIFICATE_V2);
    let v2_sha1 = count(si, &oids::ATTR_SIGNING_CERTIFICATE_V2) == 1
        && sa
            .signing_certificate
            .as_ref()
            .and_then(|v| v.first())
            .is_some_and(|id| id.hash_algorithm.oid == oids::SHA1);
    let reason_clash = sig.reason.is_some()
        && (count(si, &oids::ATTR_COMMITMENT_TYPE) + count(si, &oids::ATTR_SIGNATURE_POLICY) > 0);
    sig.sub_filter == SubFilter::EtsiCadesDetached
        && !sd.certificates.is_empty()
        && signer_certificate_included(sd, si)
        && sa.content_type.as_ref() == Some(&oids::DATA)
        && sa.message_digest.is_some()
        && ess == 1
        && !v2_sha1
        && count(si, &oids::ATTR_SIGNING_TIME) == 0
        && (sig.claimed_time.is_some() || encrypted)
        && sig.filter.is_some()
        && !reason_clash
}

/// PKCS #7 (`adbe.pkcs7.detached` or `adbe.pkcs7.sha1`) with the signing certificate.
pub(super) fn pkcs7(sig: &PdfSignature, sd: &SignedData, si: &SignerInfo) -> bool {
    matches!(
        sig.sub_filter,
        SubFilter::AdbePkcs7Detached | SubFilter::AdbePkcs7Sha1
    ) && signer_certificate_included(sd, si)
}

/// Validation data (EU DSS's minimal LT requirement): the signer's certificate is not
/// self-issued and revocation data is present, in the CMS (CRLs, Adobe's
/// revocation-information attribute) or in a DSS of the signature's revision or a later
/// one; a PAdES signature also needs that DSS. DSS goes on to require revocation data for
/// every certificate of the chain; matching OCSP responses to certificates waits for the
/// OCSP reader.
pub(super) fn validation_data(
    sig: &PdfSignature,
    sd: &SignedData,
    si: &SignerInfo,
    dss: &[Dss],
) -> bool {
    let Some(cert) = cms::find_signer_certificate(si, &sd.certificates) else {
        return false;
    };
    let later: Vec<&Dss> = dss.iter().filter(|d| d.revision >= sig.revision).collect();
    let in_dss = later.iter().any(|d| {
        !(d.crls.is_empty() && d.ocsps.is_empty())
            || d.vri
                .iter()
                .any(|v| !(v.crls.is_empty() && v.ocsps.is_empty()))
    });
    let in_cms = !sd.crls.is_empty() || count(si, &oids::ATTR_ADBE_REVOCATION_INFO) > 0;
    let dss_present = !later.is_empty();
    let self_issued = cert.subject == cert.issuer;
    !self_issued
        && (in_dss || in_cms)
        && (dss_present || sig.sub_filter != SubFilter::EtsiCadesDetached)
}
