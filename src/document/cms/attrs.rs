//! Attributes: the SET OF Attribute syntax, and the signed attributes this crate interprets
//! (contentType, messageDigest, signingTime, ESS signingCertificate / V2,
//! CMSAlgorithmProtection).

use super::read::{algorithm_identifier, ber_err, malformed, name, oid, At, Ctx};
use super::{Attribute, CmsError, EssCertId, SignedAttributes};
use crate::asn1::oid::known as oids;
use crate::asn1::AlgorithmIdentifier;
use crate::asn1::{self as ber, Reader, Tlv, TAG_SEQUENCE, TAG_SET};
use crate::crypto::DigestAlgorithm;

/// Decodes `SET OF Attribute` (signed or unsigned, any tag) keeping each value's DER.
pub(super) fn parse_attribute_set(
    set: &Tlv<'_>,
    ctx: &Ctx<'_>,
    at: &At<'_>,
) -> Result<Vec<Attribute>, CmsError> {
    // A walk that fails leaves the answer to the per-value re-encoding, which reports the
    // error at the value it is in.
    let set_is_der = ber::is_der(set, ctx.ber).unwrap_or(false);
    attribute_set(set, ctx, at, set_is_der)
}

/// [`parse_attribute_set`] once it is known whether the whole set is DER already (then
/// each value is taken as it is, without walking it again).
fn attribute_set(
    set: &Tlv<'_>,
    ctx: &Ctx<'_>,
    at: &At<'_>,
    set_is_der: bool,
) -> Result<Vec<Attribute>, CmsError> {
    if !set.constructed() {
        return Err(malformed(at, "attribute set is not constructed"));
    }
    let mut reader = Reader::new(set.content, ctx.ber);
    let mut out = Vec::new();
    while !reader.is_empty() {
        if out.len() >= ctx.limits.max_attributes {
            return Err(CmsError::TooMany {
                at: at.to_string(),
                what: "attributes",
                limit_name: "max_attributes",
                limit: ctx.limits.max_attributes,
            });
        }
        let item_at = at.item(out.len());
        let mut seq = reader.descend(TAG_SEQUENCE).map_err(ber_err(&item_at))?;
        let attr_oid = oid(seq.read_oid().map_err(ber_err(&item_at))?, &item_at)?;
        let mut values_reader = seq.descend(TAG_SET).map_err(ber_err(&item_at))?;
        seq.finish().map_err(ber_err(&item_at))?;
        let mut values = Vec::new();
        while !values_reader.is_empty() {
            if values.len() >= ctx.limits.max_attributes {
                return Err(CmsError::TooMany {
                    at: item_at.to_string(),
                    what: "attribute values",
                    limit_name: "max_attributes",
                    limit: ctx.limits.max_attributes,
                });
            }
            let value = values_reader.read_any().map_err(ber_err(&item_at))?;
            values.push(if set_is_der {
                value.raw.to_vec()
            } else {
                ber::to_der(&value, ctx.ber).map_err(ber_err(&item_at))?
            });
        }
        out.push(Attribute {
            oid: attr_oid,
            values,
        });
    }
    Ok(out)
}

/// Decodes `[0] IMPLICIT SignedAttributes` and re-encodes it as the DER `SET OF` that the
/// signature covers (RFC 5652 §5.4).
pub(super) fn parse_signed_attributes(
    set: &Tlv<'_>,
    ctx: &Ctx<'_>,
    at: &At<'_>,
) -> Result<SignedAttributes, CmsError> {
    let set_is_der = ber::is_der(set, ctx.ber).unwrap_or(false);
    let attributes = attribute_set(set, ctx, at, set_is_der)?;
    if attributes.is_empty() {
        // RFC 5652 §5.3: SignedAttributes ::= SET SIZE (1..MAX) OF Attribute.
        return Err(malformed(at, "empty signed attributes"));
    }
    let mut der_for_signature = if set_is_der {
        set.raw.to_vec()
    } else {
        ber::to_der(set, ctx.ber).map_err(ber_err(at))?
    };
    if let Some(tag) = der_for_signature.first_mut() {
        *tag = TAG_SET;
    }
    let mut signed = SignedAttributes {
        der_for_signature,
        attributes: Vec::new(),
        content_type: None,
        message_digest: None,
        signing_time: None,
        signing_certificate: None,
        signing_certificate_v2: None,
        algorithm_protection: None,
    };
    for attr in &attributes {
        let o = &attr.oid;
        if *o == oids::ATTR_CONTENT_TYPE {
            let v = single_value(attr, &signed.content_type, "contentType", at)?;
            let (tlv, _) = ber::read_tlv(v, ctx.ber).map_err(ber_err(at))?;
            if tlv.tag != ber::TAG_OID {
                return Err(attr_err(
                    at,
                    "contentType",
                    "value is not an OBJECT IDENTIFIER",
                ));
            }
            signed.content_type = Some(oid(tlv.content, at)?);
        } else if *o == oids::ATTR_MESSAGE_DIGEST {
            let v = single_value(attr, &signed.message_digest, "messageDigest", at)?;
            let mut r = Reader::new(v, ctx.ber);
            let digest = r
                .read_octets()
                .map_err(|e| attr_err(at, "messageDigest", e.to_string()))?;
            signed.message_digest = Some(digest);
        } else if *o == oids::ATTR_SIGNING_TIME {
            let v = single_value(attr, &signed.signing_time, "signingTime", at)?;
            let (tlv, _) = ber::read_tlv(v, ctx.ber).map_err(ber_err(at))?;
            signed.signing_time = Some(
                crate::asn1::time::decode_time(&tlv)
                    .map_err(|detail| attr_err(at, "signingTime", detail))?,
            );
        } else if *o == oids::ATTR_SIGNING_CERTIFICATE {
            let v = single_value(attr, &signed.signing_certificate, "signingCertificate", at)?;
            let ids = signing_certificate(v, false, ctx, at)
                .map_err(|e| attr_err(at, "signingCertificate", e.to_string()))?;
            signed.signing_certificate = Some(ids);
        } else if *o == oids::ATTR_SIGNING_CERTIFICATE_V2 {
            let label = "signingCertificateV2";
            let v = single_value(attr, &signed.signing_certificate_v2, label, at)?;
            let ids = signing_certificate(v, true, ctx, at)
                .map_err(|e| attr_err(at, label, e.to_string()))?;
            signed.signing_certificate_v2 = Some(ids);
        } else if *o == oids::ATTR_ALGORITHM_PROTECTION {
            let v = single_value(
                attr,
                &signed.algorithm_protection,
                "CMSAlgorithmProtection",
                at,
            )?;
            let prot = algorithm_protection(v, ctx, at)
                .map_err(|e| attr_err(at, "CMSAlgorithmProtection", e.to_string()))?;
            signed.algorithm_protection = Some(prot);
        }
    }
    signed.attributes = attributes;
    Ok(signed)
}

fn attr_err(at: &At<'_>, attribute: &'static str, detail: impl Into<String>) -> CmsError {
    CmsError::Attribute {
        at: at.to_string(),
        attribute,
        detail: detail.into(),
    }
}

/// The one value of a single-instance, single-valued attribute; `seen` is the field already
/// filled by an earlier instance (RFC 5652 §11: MUST NOT appear more than once).
fn single_value<'a, T>(
    attr: &'a Attribute,
    seen: &Option<T>,
    label: &'static str,
    at: &At<'_>,
) -> Result<&'a [u8], CmsError> {
    if seen.is_some() {
        return Err(attr_err(at, label, "appears more than once"));
    }
    match attr.values.as_slice() {
        [only] => Ok(only),
        [] => Err(attr_err(at, label, "has no value")),
        _ => Err(attr_err(at, label, "has more than one value")),
    }
}

/// SigningCertificate ::= SEQUENCE { certs SEQUENCE OF ESSCertID, policies ... OPTIONAL }
/// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies ... OPTIONAL }
fn signing_certificate(
    value: &[u8],
    v2: bool,
    ctx: &Ctx<'_>,
    at: &At<'_>,
) -> Result<Vec<EssCertId>, CmsError> {
    let mut outer = Reader::new(value, ctx.ber);
    let mut seq = outer.descend(TAG_SEQUENCE).map_err(ber_err(at))?;
    outer.finish().map_err(ber_err(at))?;
    let mut certs = seq.descend(TAG_SEQUENCE).map_err(ber_err(at))?;
    // The policies, if any, are not interpreted.
    let mut out = Vec::new();
    while !certs.is_empty() {
        if out.len() >= ctx.limits.max_attributes {
            return Err(CmsError::TooMany {
                at: at.to_string(),
                what: "ESS certificate identifiers",
                limit_name: "max_attributes",
                limit: ctx.limits.max_attributes,
            });
        }
        let mut id = certs.descend(TAG_SEQUENCE).map_err(ber_err(at))?;
        let hash_algorithm = if v2 && id.peek_tag() == Some(TAG_SEQUENCE) {
            let tlv = id.read_any().map_err(ber_err(at))?;
            algorithm_identifier(&tlv, ctx, at)?
        } else if v2 {
            AlgorithmIdentifier {
                oid: DigestAlgorithm::Sha256.oid(),
                params: None,
            }
        } else {
            AlgorithmIdentifier {
                oid: DigestAlgorithm::Sha1.oid(),
                params: None,
            }
        };
        let hash = id.read_octets().map_err(ber_err(at))?;
        let issuer_serial = match id.read_optional(TAG_SEQUENCE).map_err(ber_err(at))? {
            None => None,
            Some(tlv) => Some(issuer_serial(&tlv, ctx, at)?),
        };
        id.finish().map_err(ber_err(at))?;
        out.push(EssCertId {
            hash_algorithm,
            hash,
            issuer_serial,
        });
    }
    if out.is_empty() {
        return Err(malformed(at, "no certificate identifiers"));
    }
    Ok(out)
}

/// IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber INTEGER, ... }; keeps the
/// directoryName entries of the GeneralNames.
fn issuer_serial(
    tlv: &Tlv<'_>,
    ctx: &Ctx<'_>,
    at: &At<'_>,
) -> Result<(Vec<crate::x509::Name>, Vec<u8>), CmsError> {
    let mut seq = Reader::new(tlv.content, ctx.ber);
    let mut names_reader = seq.descend(TAG_SEQUENCE).map_err(ber_err(at))?;
    let mut names = Vec::new();
    while !names_reader.is_empty() {
        let gn = names_reader.read_any().map_err(ber_err(at))?;
        if gn.tag == 0xa4 {
            // directoryName [4] EXPLICIT Name
            let mut inner = Reader::new(gn.content, ctx.ber);
            let name_tlv = inner.read(TAG_SEQUENCE).map_err(ber_err(at))?;
            names.push(name(&name_tlv, ctx, at)?);
        }
    }
    let serial = seq
        .read(ber::TAG_INTEGER)
        .map_err(ber_err(at))?
        .content
        .to_vec();
    Ok((names, serial))
}

/// CMSAlgorithmProtection ::= SEQUENCE { digestAlgorithm, signatureAlgorithm [1] IMPLICIT
/// OPTIONAL, macAlgorithm [2] IMPLICIT OPTIONAL } (RFC 6211).
fn algorithm_protection(
    value: &[u8],
    ctx: &Ctx<'_>,
    at: &At<'_>,
) -> Result<(AlgorithmIdentifier, Option<AlgorithmIdentifier>), CmsError> {
    let mut outer = Reader::new(value, ctx.ber);
    let mut seq = outer.descend(TAG_SEQUENCE).map_err(ber_err(at))?;
    outer.finish().map_err(ber_err(at))?;
    let digest_tlv = seq.read(TAG_SEQUENCE).map_err(ber_err(at))?;
    let digest = algorithm_identifier(&digest_tlv, ctx, at)?;
    let signature = match seq.read_optional(0xa1).map_err(ber_err(at))? {
        Some(tlv) => {
            // [1] IMPLICIT: same content as a SEQUENCE.
            let as_seq = Tlv {
                tag: TAG_SEQUENCE,
                ..tlv
            };
            Some(algorithm_identifier(&as_seq, ctx, at)?)
        }
        None => None,
    };
    if seq.read_optional(0xa2).map_err(ber_err(at))?.is_some() {
        return Err(malformed(at, "macAlgorithm in a SignedData"));
    }
    seq.finish().map_err(ber_err(at))?;
    if signature.is_none() {
        return Err(malformed(at, "signatureAlgorithm is absent"));
    }
    Ok((digest, signature))
}
