//! Decoding: bytes (DER, BER or PEM) → ContentInfo → SignedData, SignerInfos and the
//! embedded certificates and CRLs.

use std::sync::Arc;

use super::attrs::{parse_attribute_set, parse_signed_attributes};
use super::read::{ber_err, malformed, oid, read_algorithm, shared_name, At, Ctx};
use super::{CmsError, Limits, SignedData, SignerId, SignerInfo};
use crate::asn1::oid::known as oids;
use crate::asn1::Oid;
use crate::asn1::{self as ber, Reader, Tlv, TAG_SEQUENCE, TAG_SET};
use crate::x509::ObjectCache;
use crate::x509::{Certificate, Crl};

/// PEM labels accepted for a CMS object.
const PEM_LABELS: &[&str] = &["PKCS7", "CMS", "PKCS #7 SIGNED DATA"];

/// Parses a CMS / PKCS#7 SignedData from DER, BER or PEM (labels `PKCS7`, `CMS`).
///
/// The ContentInfo must be signedData (RFC 5652 or GB/T 35275); anything else is
/// [`CmsError::WrongContentType`]. Certs-only SignedData (no signers) decodes successfully
/// with an empty `signers`.
pub fn parse(bytes: &[u8], limits: &Limits) -> Result<SignedData, CmsError> {
    parse_inner(bytes, limits, None)
}

/// [`parse`], taking the certificates and CRLs the SignedData carries, and the issuer names
/// of its signers, from `caches` when they were parsed before (same DER, same limits), and
/// adding them when not.
pub fn parse_cached(
    bytes: &[u8],
    limits: &Limits,
    caches: &ObjectCache,
) -> Result<SignedData, CmsError> {
    parse_inner(bytes, limits, Some(caches))
}

fn parse_inner(
    bytes: &[u8],
    limits: &Limits,
    caches: Option<&ObjectCache>,
) -> Result<SignedData, CmsError> {
    let der = unarmour(bytes, limits)?;
    let ctx = &mut Ctx::new(limits);
    ctx.caches = caches;
    let (content_type, content) = content_info(&der, ctx)?;
    if content_type != oids::SIGNED_DATA && content_type != oids::GM_SIGNED_DATA {
        return Err(CmsError::WrongContentType {
            at: "ContentInfo".to_owned(),
            found: describe_content_type(&content_type),
            expected: "signedData",
        });
    }
    let mut sd = signed_data(&content, ctx)?;
    sd.outer_content_type = content_type;
    Ok(sd)
}

/// Parses a ContentInfo of type data (RFC 5652 §4 or GB/T 35275) and returns the
/// reassembled OCTET STRING value.
pub fn parse_data(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, CmsError> {
    let der = unarmour(bytes, limits)?;
    let ctx = &mut Ctx::new(limits);
    let (content_type, content) = content_info(&der, ctx)?;
    if !super::oids::is_data(&content_type) {
        return Err(CmsError::WrongContentType {
            at: "ContentInfo".to_owned(),
            found: describe_content_type(&content_type),
            expected: "data",
        });
    }
    let at = "ContentInfo.content";
    if content.primitive_tag() != ber::TAG_OCTET_STRING {
        return Err(malformed(
            at,
            format!("expected an OCTET STRING, found tag 0x{:02x}", content.tag),
        ));
    }
    ber::octets(&content, ctx.ber).map_err(ber_err(at))
}

fn describe_content_type(oid: &Oid) -> String {
    match super::oids::content_type_name(oid) {
        Some(name) => format!("{oid} ({name})"),
        None => oid.to_string(),
    }
}

/// Size check and PEM removal.
fn unarmour<'b>(bytes: &'b [u8], limits: &Limits) -> Result<std::borrow::Cow<'b, [u8]>, CmsError> {
    if bytes.len() > limits.max_object_size {
        return Err(CmsError::TooLarge {
            size: bytes.len(),
            limit: limits.max_object_size,
        });
    }
    if !crate::input::looks_like_pem(bytes) {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    let blocks = pem::parse_many(bytes).map_err(|e| CmsError::Pem {
        detail: e.to_string(),
    })?;
    blocks
        .into_iter()
        .find(|b| PEM_LABELS.contains(&b.tag()))
        .map(|b| std::borrow::Cow::Owned(b.into_contents()))
        .ok_or_else(|| CmsError::Pem {
            detail: format!("no block labelled {}", PEM_LABELS.join(" or ")),
        })
}

/// ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }.
/// Returns the content type and the inner element.
fn content_info<'a>(der: &'a [u8], ctx: &Ctx<'_>) -> Result<(Oid, Tlv<'a>), CmsError> {
    let at = "ContentInfo";
    let (outer, rest) = ber::read_tlv(der, ctx.ber).map_err(ber_err(at))?;
    if !rest.is_empty() {
        return Err(malformed(
            at,
            format!("{} bytes of trailing data", rest.len()),
        ));
    }
    if outer.tag != TAG_SEQUENCE {
        return Err(malformed(
            at,
            format!("expected a SEQUENCE, found tag 0x{:02x}", outer.tag),
        ));
    }
    let mut seq = Reader::new(outer.content, ctx.ber);
    let content_type = oid(
        seq.read_oid().map_err(ber_err(at))?,
        "ContentInfo.contentType",
    )?;
    let at_content = "ContentInfo.content";
    let mut explicit = seq.descend(0xa0).map_err(ber_err(at_content))?;
    let inner = explicit.read_any().map_err(ber_err(at_content))?;
    explicit.finish().map_err(ber_err(at_content))?;
    seq.finish().map_err(ber_err(at))?;
    Ok((content_type, inner))
}

/// SignedData (RFC 5652 §5.1).
fn signed_data(tlv: &Tlv<'_>, ctx: &mut Ctx<'_>) -> Result<SignedData, CmsError> {
    let at = "SignedData";
    if tlv.tag != TAG_SEQUENCE {
        return Err(malformed(
            at,
            format!("expected a SEQUENCE, found tag 0x{:02x}", tlv.tag),
        ));
    }
    let mut seq = Reader::new(tlv.content, ctx.ber);
    let version = seq
        .read_small_uint()
        .map_err(ber_err("SignedData.version"))?;
    if ![1, 3, 4, 5].contains(&version) {
        return Err(malformed(
            "SignedData.version",
            format!("version {version} is not a CMSVersion a SignedData can have (1, 3, 4 or 5; RFC 5652 §5.1)"),
        ));
    }

    let at_digests = "SignedData.digestAlgorithms";
    let mut set = seq.descend(TAG_SET).map_err(ber_err(at_digests))?;
    let mut digest_algorithms = Vec::new();
    while !set.is_empty() {
        if digest_algorithms.len() >= ctx.limits.max_attributes {
            return Err(CmsError::TooMany {
                at: at_digests.to_owned(),
                what: "digest algorithms",
                limit_name: "max_attributes",
                limit: ctx.limits.max_attributes,
            });
        }
        let root = At::Root(at_digests);
        let item_at = root.item(digest_algorithms.len());
        digest_algorithms.push(read_algorithm(&mut set, ctx, &item_at)?);
    }

    let (content_type, content) = encap_content_info(&mut seq, ctx)?;

    let mut certificates = Vec::new();
    if let Some(certs) = seq
        .read_optional(0xa0)
        .map_err(ber_err("SignedData.certificates"))?
    {
        certificates = parse_certificates(&certs, ctx)?;
    }
    let mut crls = Vec::new();
    let mut other_revocation = Vec::new();
    if let Some(list) = seq
        .read_optional(0xa1)
        .map_err(ber_err("SignedData.crls"))?
    {
        crls = parse_crls(&list, ctx)?;
        other_revocation = parse_other_revocation(&list, ctx)?;
    }

    let at_signers = "SignedData.signerInfos";
    let mut set = seq.descend(TAG_SET).map_err(ber_err(at_signers))?;
    let mut signers = Vec::new();
    while !set.is_empty() {
        let root = At::Root(at_signers);
        let item_at = root.item(signers.len());
        let tlv = set.read_any().map_err(ber_err(&item_at))?;
        signers.push(signer_info(&tlv, ctx, &item_at, 0)?);
    }
    seq.finish().map_err(ber_err(at))?;

    Ok(SignedData {
        content_type,
        content,
        certificates,
        crls,
        other_revocation,
        signers,
        version,
        digest_algorithms,
        outer_content_type: oids::SIGNED_DATA.clone(),
    })
}

/// EncapsulatedContentInfo ::= SEQUENCE { eContentType OID, eContent [0] EXPLICIT OCTET
/// STRING OPTIONAL }. PKCS#7 (RFC 2315) allowed any type inside [0]; such content is taken
/// as the DER content octets of that element, which is what PKCS#7 signers digest.
fn encap_content_info(
    seq: &mut Reader<'_>,
    ctx: &Ctx<'_>,
) -> Result<(Oid, Option<Vec<u8>>), CmsError> {
    let at = "SignedData.encapContentInfo";
    let mut eci = seq.descend(TAG_SEQUENCE).map_err(ber_err(at))?;
    let content_type = oid(
        eci.read_oid().map_err(ber_err(at))?,
        "SignedData.encapContentInfo.eContentType",
    )?;
    let at_content = "SignedData.encapContentInfo.eContent";
    let content = match eci.read_optional(0xa0).map_err(ber_err(at_content))? {
        None => None,
        Some(explicit) => {
            let mut inner = Reader::new(explicit.content, ctx.ber);
            let value = inner.read_any().map_err(ber_err(at_content))?;
            inner.finish().map_err(ber_err(at_content))?;
            if value.primitive_tag() == ber::TAG_OCTET_STRING {
                Some(ber::octets(&value, ctx.ber).map_err(ber_err(at_content))?)
            } else if value.tag != TAG_SEQUENCE {
                // RFC 5652 §5.2 carries content in an OCTET STRING; PKCS#7 (RFC 2315) also
                // allowed a structured type, which in practice is a SEQUENCE (Authenticode,
                // Apple MDM). Any other tag would let the encoding change while the digest of
                // the content octets stays the same, so it is refused.
                return Err(malformed(
                    at_content,
                    format!(
                        "eContent must be an OCTET STRING (or, PKCS#7-style, a SEQUENCE), found tag 0x{:02x}",
                        value.tag
                    ),
                ));
            } else {
                let der = ber::to_der(&value, ctx.ber).map_err(ber_err(at_content))?;
                let (tlv, _) = ber::read_tlv(&der, ctx.ber).map_err(ber_err(at_content))?;
                Some(tlv.content.to_vec())
            }
        }
    };
    eci.finish().map_err(ber_err(at))?;
    Ok((content_type, content))
}

/// The SEQUENCE items of a certificates or crls SET, each re-encoded as DER and converted;
/// other choices (attribute certificates, OtherRevocationInfoFormat such as OCSP responses)
/// are not used here and are passed over.
fn parse_set_of<T>(
    set: &Tlv<'_>,
    ctx: &Ctx<'_>,
    at: &str,
    what: &'static str,
    (limit_name, limit): (&'static str, usize),
    convert: impl Fn(&Tlv<'_>, &At<'_>) -> Result<Arc<T>, CmsError>,
) -> Result<Vec<Arc<T>>, CmsError> {
    let mut reader = Reader::new(set.content, ctx.ber);
    let mut out = Vec::new();
    let mut index = 0usize;
    let root = At::Root(at);
    while !reader.is_empty() {
        let item_at = root.item(index);
        index += 1;
        if index > limit {
            return Err(CmsError::TooMany {
                at: at.to_owned(),
                what,
                limit_name,
                limit,
            });
        }
        let tlv = reader.read_any().map_err(ber_err(&item_at))?;
        if tlv.tag != TAG_SEQUENCE {
            continue;
        }
        out.push(convert(&tlv, &item_at)?);
    }
    Ok(out)
}

fn parse_certificates(set: &Tlv<'_>, ctx: &Ctx<'_>) -> Result<Vec<Arc<Certificate>>, CmsError> {
    parse_set_of(
        set,
        ctx,
        "SignedData.certificates",
        "certificates",
        (
            "max_certificates_per_document",
            ctx.limits.max_certificates_per_document,
        ),
        |tlv, at| {
            let parse = || {
                let der = ber::to_der(tlv, ctx.ber).map_err(ber_err(at))?;
                Certificate::from_der(&der).map_err(|source| CmsError::Certificate {
                    at: at.to_string(),
                    source,
                })
            };
            match ctx.caches {
                Some(c) => c.certificate(tlv.raw, &ctx.objects_key, parse),
                None => parse().map(Arc::new),
            }
        },
    )
}

fn parse_crls(set: &Tlv<'_>, ctx: &Ctx<'_>) -> Result<Vec<Arc<Crl>>, CmsError> {
    parse_set_of(
        set,
        ctx,
        "SignedData.crls",
        "CRLs",
        ("max_crls_per_document", ctx.limits.max_crls_per_document),
        |tlv, at| {
            let parse = || {
                let der = ber::to_der(tlv, ctx.ber).map_err(ber_err(at))?;
                Crl::from_der(&der, ctx.limits.max_crl_entries).map_err(|source| CmsError::Crl {
                    at: at.to_string(),
                    source,
                })
            };
            match ctx.caches {
                Some(c) => c.crl(tlv.raw, &ctx.objects_key, parse),
                None => parse().map(Arc::new),
            }
        },
    )
}

/// The `[1] OtherRevocationInfoFormat ::= SEQUENCE { otherRevInfoFormat OID, otherRevInfo
/// ANY }` items of the crls SET (RFC 5652 §10.2.1): the format and otherRevInfo re-encoded
/// as DER. Bounded by `Limits::max_crls_per_document` with the CRLs.
fn parse_other_revocation(set: &Tlv<'_>, ctx: &Ctx<'_>) -> Result<Vec<(Oid, Vec<u8>)>, CmsError> {
    let at = "SignedData.crls";
    let root = At::Root(at);
    let mut reader = Reader::new(set.content, ctx.ber);
    let mut out = Vec::new();
    let mut index = 0usize;
    while !reader.is_empty() {
        let item_at = root.item(index);
        index += 1;
        if index > ctx.limits.max_crls_per_document {
            return Err(CmsError::TooMany {
                at: at.to_owned(),
                what: "CRLs",
                limit_name: "max_crls_per_document",
                limit: ctx.limits.max_crls_per_document,
            });
        }
        let tlv = reader.read_any().map_err(ber_err(&item_at))?;
        if tlv.tag != 0xa1 {
            continue;
        }
        let mut inner = Reader::new(tlv.content, ctx.ber);
        let format = oid(inner.read_oid().map_err(ber_err(&item_at))?, &item_at)?;
        let info = inner.read_any().map_err(ber_err(&item_at))?;
        inner.finish().map_err(ber_err(&item_at))?;
        out.push((
            format,
            ber::to_der(&info, ctx.ber).map_err(ber_err(&item_at))?,
        ));
    }
    Ok(out)
}

/// SignerInfo (RFC 5652 §5.3). `nesting` counts enclosing counter-signatures.
pub(super) fn signer_info(
    tlv: &Tlv<'_>,
    ctx: &mut Ctx<'_>,
    at: &At<'_>,
    nesting: usize,
) -> Result<SignerInfo, CmsError> {
    ctx.signers += 1;
    if ctx.signers > ctx.limits.max_signers {
        return Err(CmsError::TooMany {
            at: at.to_string(),
            what: "SignerInfos (counter-signatures included)",
            limit_name: "max_signers",
            limit: ctx.limits.max_signers,
        });
    }
    if nesting > ctx.limits.max_asn1_depth {
        return Err(CmsError::Limit {
            at: at.to_string(),
            detail: format!(
                "counter-signatures nested deeper than {} levels (Limits::max_asn1_depth)",
                ctx.limits.max_asn1_depth
            ),
        });
    }
    if tlv.tag != TAG_SEQUENCE {
        return Err(malformed(
            at,
            format!(
                "expected a SignerInfo SEQUENCE, found tag 0x{:02x}",
                tlv.tag
            ),
        ));
    }
    let ber_limits = ctx.ber;
    let mut seq = Reader::new(tlv.content, ber_limits);
    let version = seq
        .read_small_uint()
        .map_err(ber_err(&at.field("version")))?;

    let at_sid = at.field("sid");
    let sid_tlv = seq.read_any().map_err(ber_err(&at_sid))?;
    let sid = signer_id(&sid_tlv, ctx, &at_sid)?;
    let version_ok = match sid {
        SignerId::IssuerSerial { .. } => version == 1,
        SignerId::SubjectKeyId(_) => version == 3,
    };
    if !version_ok {
        return Err(malformed(
            &at.field("version"),
            format!("version {version} does not match the signer identifier (RFC 5652 §5.3: 1 with issuerAndSerialNumber, 3 with subjectKeyIdentifier)"),
        ));
    }

    let digest_algorithm = read_algorithm(&mut seq, ctx, &at.field("digestAlgorithm"))?;

    let at_signed = at.field("signedAttrs");
    let signed_attrs = match seq.read_optional(0xa0).map_err(ber_err(&at_signed))? {
        Some(set) => Some(parse_signed_attributes(&set, ctx, &at_signed)?),
        None => None,
    };

    let signature_algorithm = read_algorithm(&mut seq, ctx, &at.field("signatureAlgorithm"))?;
    let signature = seq.read_octets().map_err(ber_err(&at.field("signature")))?;

    let at_unsigned = at.field("unsignedAttrs");
    let mut unsigned_attrs = Vec::new();
    let mut counter_signatures = Vec::new();
    if let Some(set) = seq.read_optional(0xa1).map_err(ber_err(&at_unsigned))? {
        unsigned_attrs = parse_attribute_set(&set, ctx, &at_unsigned)?;
        for attr in &unsigned_attrs {
            if attr.oid != oids::ATTR_COUNTER_SIGNATURE {
                continue;
            }
            for value in &attr.values {
                let at_counter = at_unsigned.field("counterSignature");
                let item_at = at_counter.item(counter_signatures.len());
                let (cs, _) = ber::read_tlv(value, ber_limits).map_err(ber_err(&item_at))?;
                counter_signatures.push(signer_info(&cs, ctx, &item_at, nesting + 1)?);
            }
        }
    }
    seq.finish().map_err(ber_err(at))?;

    Ok(SignerInfo {
        version,
        sid,
        digest_algorithm,
        signed_attrs,
        signature_algorithm,
        signature,
        unsigned_attrs,
        counter_signatures,
    })
}

/// SignerIdentifier ::= CHOICE { issuerAndSerialNumber, [0] subjectKeyIdentifier }.
fn signer_id(tlv: &Tlv<'_>, ctx: &Ctx<'_>, at: &At<'_>) -> Result<SignerId, CmsError> {
    match tlv.tag {
        TAG_SEQUENCE => {
            let mut seq = Reader::new(tlv.content, ctx.ber);
            let name_tlv = seq.read(TAG_SEQUENCE).map_err(ber_err(at))?;
            let issuer = shared_name(&name_tlv, ctx, at)?;
            let serial = seq.read(ber::TAG_INTEGER).map_err(ber_err(at))?.content;
            if serial.is_empty() {
                return Err(malformed(at, "empty serial number"));
            }
            seq.finish().map_err(ber_err(at))?;
            Ok(SignerId::IssuerSerial {
                issuer,
                serial: serial.to_vec(),
            })
        }
        0x80 | 0xa0 => Ok(SignerId::SubjectKeyId(
            ber::octets(tlv, ctx.ber).map_err(ber_err(at))?,
        )),
        other => Err(malformed(
            at,
            format!("expected issuerAndSerialNumber or [0] subjectKeyIdentifier, found tag 0x{other:02x}"),
        )),
    }
}
