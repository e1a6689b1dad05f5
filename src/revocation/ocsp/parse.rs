//! Strict DER decoding of OCSPResponse → BasicOCSPResponse → ResponseData (RFC 6960 §4.2.1),
//! bounded by `Limits::max_ocsp_response_size`, `Limits::max_ocsp_single_responses` and
//! `Limits::max_certificates_per_document`.

use super::{
    BasicResponse, CertId, OcspError, OcspResponse, ResponderId, ResponseStatus, SingleResponse,
    SingleStatus,
};
use crate::asn1::oid::known;
use crate::asn1::time::decode_time;
use crate::asn1::{
    self, AlgorithmIdentifier, Oid, Reader, Tlv, TAG_BOOLEAN, TAG_ENUMERATED, TAG_GENERALIZED_TIME,
    TAG_INTEGER, TAG_OCTET_STRING, TAG_SEQUENCE,
};
use crate::crypto::KeyHasher;
use crate::limits::Limits;
use crate::x509::{Certificate, Name, ObjectCache};
use std::sync::Arc;

fn malformed(at: &str, detail: impl Into<String>) -> OcspError {
    OcspError::Malformed {
        at: at.to_owned(),
        detail: detail.into(),
    }
}

fn der_err(at: &str) -> impl Fn(asn1::Error) -> OcspError + '_ {
    move |e| malformed(at, e.to_string())
}

impl OcspResponse {
    /// Decodes one DER OCSPResponse (RFC 6960 §4.2.1). A non-successful responseStatus
    /// decodes with no [`BasicResponse`]; a successful one must carry an
    /// id-pkix-ocsp-basic response, version v1.
    pub fn from_der(der: &[u8], limits: &Limits) -> Result<OcspResponse, OcspError> {
        OcspResponse::from_der_with(der, limits, None)
    }

    /// [`OcspResponse::from_der`], taking the certificates the response carries from
    /// `objects` when they were parsed before (same bytes, same limits) and adding them
    /// when not: a new response from a known responder does not parse its certificate again.
    pub fn from_der_cached(
        der: &[u8],
        limits: &Limits,
        objects: &ObjectCache,
    ) -> Result<OcspResponse, OcspError> {
        OcspResponse::from_der_with(der, limits, Some(objects))
    }

    fn from_der_with(
        der: &[u8],
        limits: &Limits,
        objects: Option<&ObjectCache>,
    ) -> Result<OcspResponse, OcspError> {
        if der.len() > limits.max_ocsp_response_size {
            return Err(OcspError::TooLarge {
                size: der.len(),
                limit: limits.max_ocsp_response_size,
            });
        }
        let at = "OCSPResponse";
        let mut outer = Reader::der(der);
        let mut seq = outer.descend(TAG_SEQUENCE).map_err(der_err(at))?;
        outer.finish().map_err(der_err(at))?;
        let status_at = "OCSPResponse.responseStatus";
        let status = match seq.content(TAG_ENUMERATED).map_err(der_err(status_at))? {
            [0] => ResponseStatus::Successful,
            [1] => ResponseStatus::MalformedRequest,
            [2] => ResponseStatus::InternalError,
            [3] => ResponseStatus::TryLater,
            [5] => ResponseStatus::SigRequired,
            [6] => ResponseStatus::Unauthorized,
            other => {
                return Err(malformed(
                    status_at,
                    format!("unknown OCSPResponseStatus {}", hex::encode(other)),
                ))
            }
        };
        let bytes_at = "OCSPResponse.responseBytes";
        let response_bytes = seq.read_optional(0xa0).map_err(der_err(bytes_at))?;
        seq.finish().map_err(der_err(at))?;
        let basic = match (status, response_bytes) {
            (ResponseStatus::Successful, None) => {
                return Err(malformed(
                    bytes_at,
                    "a successful response carries no responseBytes",
                ))
            }
            (ResponseStatus::Successful, Some(rb)) => {
                Some(response_bytes_of(der, &rb, limits, objects)?)
            }
            (_, Some(_)) => {
                return Err(malformed(
                    bytes_at,
                    format!(
                        "a {} response must not carry responseBytes",
                        status.as_str()
                    ),
                ))
            }
            (_, None) => None,
        };
        Ok(OcspResponse {
            der: der.to_vec(),
            sha256: crate::crypto::sha256(der),
            status,
            basic,
        })
    }
}

impl OcspResponse {
    /// An OCSPResponse around a BasicOCSPResponse (as CAdES revocation-values and PAdES
    /// carry them): decoded as a successful response of type id-pkix-ocsp-basic.
    pub fn from_basic_der(basic: &[u8], limits: &Limits) -> Result<OcspResponse, OcspError> {
        OcspResponse::from_basic_der_with(basic, limits, None)
    }

    /// [`OcspResponse::from_basic_der`] with the carried certificates taken from `objects`
    /// (see [`OcspResponse::from_der_cached`]).
    pub fn from_basic_der_cached(
        basic: &[u8],
        limits: &Limits,
        objects: &ObjectCache,
    ) -> Result<OcspResponse, OcspError> {
        OcspResponse::from_basic_der_with(basic, limits, Some(objects))
    }

    fn from_basic_der_with(
        basic: &[u8],
        limits: &Limits,
        objects: Option<&ObjectCache>,
    ) -> Result<OcspResponse, OcspError> {
        let b = crate::asn1::Bounds {
            max_depth: 4,
            max_size: limits.max_ocsp_response_size.saturating_add(64),
        };
        let tooe = |_| OcspError::TooLarge {
            size: basic.len(),
            limit: limits.max_ocsp_response_size,
        };
        let mut rb = Vec::new();
        asn1::push_tlv(asn1::TAG_OID, known::OCSP_BASIC.as_bytes(), b, &mut rb).map_err(tooe)?;
        asn1::push_tlv(TAG_OCTET_STRING, basic, b, &mut rb).map_err(tooe)?;
        let mut seq = Vec::new();
        asn1::push_tlv(TAG_SEQUENCE, &rb, b, &mut seq).map_err(tooe)?;
        let mut body = vec![TAG_ENUMERATED, 1, 0];
        asn1::push_tlv(0xa0, &seq, b, &mut body).map_err(tooe)?;
        let mut der = Vec::new();
        asn1::push_tlv(TAG_SEQUENCE, &body, b, &mut der).map_err(tooe)?;
        OcspResponse::from_der_with(&der, limits, objects)
    }
}

/// ResponseBytes ::= SEQUENCE { responseType OID, response OCTET STRING }, the response
/// being a DER BasicOCSPResponse.
fn response_bytes_of(
    whole: &[u8],
    explicit: &Tlv<'_>,
    limits: &Limits,
    objects: Option<&ObjectCache>,
) -> Result<BasicResponse, OcspError> {
    let at = "OCSPResponse.responseBytes";
    let mut inner = Reader::der(explicit.content);
    let mut seq = inner.descend(TAG_SEQUENCE).map_err(der_err(at))?;
    inner.finish().map_err(der_err(at))?;
    let kind = oid(seq.read_oid().map_err(der_err(at))?, at)?;
    if kind != known::OCSP_BASIC {
        return Err(OcspError::Unsupported {
            at: format!("{at}.responseType"),
            detail: format!(
                "{} is not id-pkix-ocsp-basic",
                crate::asn1::oid::describe(&kind)
            ),
        });
    }
    let response = seq.content(TAG_OCTET_STRING).map_err(der_err(at))?;
    seq.finish().map_err(der_err(at))?;
    // The BasicOCSPResponse sits inside `whole`: its tbsResponseData range is kept relative
    // to `whole`, so the signed bytes are read from the response's own DER.
    let base = offset_in(whole, response).ok_or_else(|| malformed(at, "internal offset"))?;
    basic_response(response, base, limits, objects)
}

/// Where `part` (a sub-slice) starts in `whole`.
fn offset_in(whole: &[u8], part: &[u8]) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (start + part.len() <= whole.len()).then_some(start)
}

/// BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm, signature BIT STRING,
/// certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }.
fn basic_response(
    der: &[u8],
    base: usize,
    limits: &Limits,
    objects: Option<&ObjectCache>,
) -> Result<BasicResponse, OcspError> {
    let at = "BasicOCSPResponse";
    let mut outer = Reader::der(der);
    let mut seq = outer.descend(TAG_SEQUENCE).map_err(der_err(at))?;
    outer.finish().map_err(der_err(at))?;
    let tbs = seq
        .read(TAG_SEQUENCE)
        .map_err(der_err("BasicOCSPResponse.tbsResponseData"))?;
    let tbs_start = offset_in(der, tbs.raw).ok_or_else(|| malformed(at, "internal offset"))?;
    let signature_algorithm = algorithm(&mut seq, "BasicOCSPResponse.signatureAlgorithm")?;
    let sig_at = "BasicOCSPResponse.signature";
    let bits = seq.content(asn1::TAG_BIT_STRING).map_err(der_err(sig_at))?;
    let signature = match bits.split_first() {
        Some((0, rest)) => rest.to_vec(),
        _ => {
            return Err(malformed(
                sig_at,
                "the BIT STRING has unused bits or is empty",
            ))
        }
    };
    let certs = match seq.read_optional(0xa0).map_err(der_err(at))? {
        Some(explicit) => certificates(&explicit, limits, objects)?,
        None => Vec::new(),
    };
    seq.finish().map_err(der_err(at))?;
    let data = response_data(&tbs, limits)?;
    Ok(BasicResponse {
        tbs: base + tbs_start..base + tbs_start + tbs.raw.len(),
        responder: data.responder,
        produced_at: data.produced_at,
        responses: data.responses,
        nonce: data.nonce,
        unknown_critical: data.unknown_critical,
        signature_algorithm,
        signature,
        certs,
    })
}

fn certificates(
    explicit: &Tlv<'_>,
    limits: &Limits,
    objects: Option<&ObjectCache>,
) -> Result<Vec<Arc<Certificate>>, OcspError> {
    let at = "BasicOCSPResponse.certs";
    // Parsed here from the bytes as they are (no BER re-encoding, unlike CMS): a key of
    // their own, so an entry never answers for the other parse.
    let key = objects.map(|_| {
        let mut h = KeyHasher::new();
        h.bytes(b"BasicOCSPResponse.certs/1");
        h.value(&(limits.max_asn1_depth, limits.max_object_size));
        h.finish32()
    });
    let mut inner = Reader::der(explicit.content);
    let mut list = inner.descend(TAG_SEQUENCE).map_err(der_err(at))?;
    inner.finish().map_err(der_err(at))?;
    let mut out = Vec::new();
    while !list.is_empty() {
        if out.len() >= limits.max_certificates_per_document {
            return Err(OcspError::TooMany {
                at: at.to_owned(),
                what: "certificates",
                limit_name: "max_certificates_per_document",
                limit: limits.max_certificates_per_document,
            });
        }
        let item_at = format!("{at}[{}]", out.len());
        let tlv = list.read(TAG_SEQUENCE).map_err(der_err(&item_at))?;
        let parse =
            || Certificate::from_der(tlv.raw).map_err(|e| malformed(&item_at, e.to_string()));
        let cert = match (objects, &key) {
            (Some(c), Some(k)) => c.certificate(tlv.raw, k, parse)?,
            _ => Arc::new(parse()?),
        };
        out.push(cert);
    }
    Ok(out)
}

struct Data {
    responder: ResponderId,
    produced_at: i64,
    responses: Vec<SingleResponse>,
    nonce: Option<Vec<u8>>,
    unknown_critical: Vec<Oid>,
}

/// ResponseData ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, responderID, producedAt,
/// responses SEQUENCE OF SingleResponse, responseExtensions [1] EXPLICIT OPTIONAL }.
fn response_data(tbs: &Tlv<'_>, limits: &Limits) -> Result<Data, OcspError> {
    let at = "BasicOCSPResponse.tbsResponseData";
    let mut seq = Reader::der(tbs.content);
    if let Some(v) = seq.read_optional(0xa0).map_err(der_err(at))? {
        // DER omits a DEFAULT value, so an explicit version is never v1.
        let version = Reader::der(v.content).read_small_uint().ok();
        return Err(OcspError::Unsupported {
            at: format!("{at}.version"),
            detail: match version {
                Some(n) => format!("version v{} (only v1 is defined)", n + 1),
                None => "an undecodable version".to_owned(),
            },
        });
    }
    let responder = responder_id(&mut seq)?;
    let produced_at = time(&mut seq, &format!("{at}.producedAt"))?;
    let list_at = format!("{at}.responses");
    let mut list = seq.descend(TAG_SEQUENCE).map_err(der_err(&list_at))?;
    let mut responses = Vec::new();
    while !list.is_empty() {
        if responses.len() >= limits.max_ocsp_single_responses {
            return Err(OcspError::TooMany {
                at: list_at,
                what: "SingleResponses",
                limit_name: "max_ocsp_single_responses",
                limit: limits.max_ocsp_single_responses,
            });
        }
        let item_at = format!("{list_at}[{}]", responses.len());
        let tlv = list.read(TAG_SEQUENCE).map_err(der_err(&item_at))?;
        responses.push(single_response(&tlv, &item_at, limits)?);
    }
    if responses.is_empty() {
        return Err(malformed(&list_at, "no SingleResponse"));
    }
    let mut nonce = None;
    let mut unknown_critical = Vec::new();
    if let Some(exts) = seq.read_optional(0xa1).map_err(der_err(at))? {
        for (oid, critical, value) in extensions(
            &exts,
            &format!("{at}.responseExtensions"),
            limits.max_attributes,
        )? {
            if oid == known::OCSP_NONCE {
                nonce = Some(value.to_vec());
            } else if critical {
                unknown_critical.push(oid);
            }
        }
    }
    seq.finish().map_err(der_err(at))?;
    Ok(Data {
        responder,
        produced_at,
        responses,
        nonce,
        unknown_critical,
    })
}

/// ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }.
fn responder_id(seq: &mut Reader<'_>) -> Result<ResponderId, OcspError> {
    let at = "BasicOCSPResponse.tbsResponseData.responderID";
    let tlv = seq.read_any().map_err(der_err(at))?;
    match tlv.tag {
        0xa1 => {
            let mut inner = Reader::der(tlv.content);
            let name_tlv = inner.read(TAG_SEQUENCE).map_err(der_err(at))?;
            inner.finish().map_err(der_err(at))?;
            Ok(ResponderId::ByName(name(name_tlv.raw, at)?))
        }
        0xa2 => {
            let mut inner = Reader::der(tlv.content);
            let hash = inner.content(TAG_OCTET_STRING).map_err(der_err(at))?;
            inner.finish().map_err(der_err(at))?;
            Ok(ResponderId::ByKey(hash.to_vec()))
        }
        other => Err(malformed(
            at,
            format!("expected [1] byName or [2] byKey, found tag 0x{other:02x}"),
        )),
    }
}

/// SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, nextUpdate [0] EXPLICIT
/// OPTIONAL, singleExtensions [1] EXPLICIT OPTIONAL }.
fn single_response(tlv: &Tlv<'_>, at: &str, limits: &Limits) -> Result<SingleResponse, OcspError> {
    let mut seq = Reader::der(tlv.content);
    let cert_id = cert_id(&mut seq, &format!("{at}.certID"))?;
    let mut status = cert_status(&mut seq, &format!("{at}.certStatus"))?;
    let this_update = time(&mut seq, &format!("{at}.thisUpdate"))?;
    let next_at = format!("{at}.nextUpdate");
    let next_update = match seq.read_optional(0xa0).map_err(der_err(&next_at))? {
        Some(explicit) => {
            let mut inner = Reader::der(explicit.content);
            let t = time(&mut inner, &next_at)?;
            inner.finish().map_err(der_err(&next_at))?;
            Some(t)
        }
        None => None,
    };
    let mut unknown_critical = Vec::new();
    if let Some(exts) = seq.read_optional(0xa1).map_err(der_err(at))? {
        let ext_at = format!("{at}.singleExtensions");
        for (oid, critical, value) in extensions(&exts, &ext_at, limits.max_attributes)? {
            if oid == known::EXT_REASON_CODE {
                // A CRL reason given as a single extension (some responders do).
                let code = Reader::der(value).content(TAG_ENUMERATED).ok();
                if let (SingleStatus::Revoked { reason, .. }, Some([c])) = (&mut status, code) {
                    reason.get_or_insert(*c);
                }
            } else if critical {
                unknown_critical.push(oid);
            }
        }
    }
    seq.finish().map_err(der_err(at))?;
    Ok(SingleResponse {
        cert_id,
        status,
        this_update,
        next_update,
        unknown_critical,
    })
}

/// CertID ::= SEQUENCE { hashAlgorithm, issuerNameHash OCTET STRING, issuerKeyHash OCTET
/// STRING, serialNumber INTEGER }.
fn cert_id(seq: &mut Reader<'_>, at: &str) -> Result<CertId, OcspError> {
    let mut id = seq.descend(TAG_SEQUENCE).map_err(der_err(at))?;
    let hash_algorithm = algorithm(&mut id, at)?;
    let issuer_name_hash = id.content(TAG_OCTET_STRING).map_err(der_err(at))?.to_vec();
    let issuer_key_hash = id.content(TAG_OCTET_STRING).map_err(der_err(at))?.to_vec();
    let serial = id.content(TAG_INTEGER).map_err(der_err(at))?;
    if serial.is_empty() {
        return Err(malformed(at, "empty serialNumber"));
    }
    id.finish().map_err(der_err(at))?;
    Ok(CertId {
        hash_algorithm,
        issuer_name_hash,
        issuer_key_hash,
        serial: serial.to_vec(),
    })
}

/// CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo,
/// unknown [2] IMPLICIT NULL }; RevokedInfo ::= SEQUENCE { revocationTime, revocationReason
/// [0] EXPLICIT CRLReason OPTIONAL }.
fn cert_status(seq: &mut Reader<'_>, at: &str) -> Result<SingleStatus, OcspError> {
    let tlv = seq.read_any().map_err(der_err(at))?;
    match (tlv.tag, tlv.content) {
        (0x80, []) => Ok(SingleStatus::Good),
        (0x82, []) => Ok(SingleStatus::Unknown),
        (0xa1, content) => {
            let mut info = Reader::der(content);
            let time = time(&mut info, &format!("{at}.revoked.revocationTime"))?;
            let reason = match info.read_optional(0xa0).map_err(der_err(at))? {
                Some(explicit) => {
                    let mut inner = Reader::der(explicit.content);
                    let code = inner.content(TAG_ENUMERATED).map_err(der_err(at))?;
                    inner.finish().map_err(der_err(at))?;
                    match code {
                        [c] if *c <= 10 && *c != 7 => Some(*c),
                        _ => return Err(malformed(at, "revocationReason is not a CRLReason")),
                    }
                }
                None => None,
            };
            info.finish().map_err(der_err(at))?;
            Ok(SingleStatus::Revoked { time, reason })
        }
        (tag, _) => Err(malformed(
            at,
            format!("expected good [0], revoked [1] or unknown [2], found tag 0x{tag:02x} (or a non-empty NULL)"),
        )),
    }
}

/// One extension: its OID, whether critical, and its value's content.
type Extension<'a> = (Oid, bool, &'a [u8]);

/// Extensions ::= SEQUENCE OF Extension (inside an EXPLICIT tag).
fn extensions<'a>(
    explicit: &Tlv<'a>,
    at: &str,
    max: usize,
) -> Result<Vec<Extension<'a>>, OcspError> {
    let mut inner = Reader::der(explicit.content);
    let mut list = inner.descend(TAG_SEQUENCE).map_err(der_err(at))?;
    inner.finish().map_err(der_err(at))?;
    let mut out: Vec<Extension<'a>> = Vec::new();
    while !list.is_empty() {
        let mut ext = list.descend(TAG_SEQUENCE).map_err(der_err(at))?;
        let id = oid(ext.read_oid().map_err(der_err(at))?, at)?;
        let critical = match ext.read_optional(TAG_BOOLEAN).map_err(der_err(at))? {
            Some(b) if b.content == [0xff] => true,
            Some(_) => return Err(malformed(at, "critical must be TRUE when present (DER)")),
            None => false,
        };
        let value = ext.content(TAG_OCTET_STRING).map_err(der_err(at))?;
        ext.finish().map_err(der_err(at))?;
        if out.iter().any(|(o, _, _)| *o == id) {
            return Err(malformed(at, format!("extension {id} appears twice")));
        }
        if out.len() >= max {
            return Err(OcspError::TooMany {
                at: at.to_owned(),
                what: "extensions",
                limit_name: "max_attributes",
                limit: max,
            });
        }
        out.push((id, critical, value));
    }
    Ok(out)
}

fn algorithm(seq: &mut Reader<'_>, at: &str) -> Result<AlgorithmIdentifier, OcspError> {
    let mut alg = seq.descend(TAG_SEQUENCE).map_err(der_err(at))?;
    let id = oid(alg.read_oid().map_err(der_err(at))?, at)?;
    let params = if alg.is_empty() {
        None
    } else {
        Some(alg.read_any().map_err(der_err(at))?.raw.to_vec())
    };
    alg.finish().map_err(der_err(at))?;
    Ok(AlgorithmIdentifier { oid: id, params })
}

fn oid(content: &[u8], at: &str) -> Result<Oid, OcspError> {
    Oid::from_der_content(content).ok_or_else(|| malformed(at, "invalid OBJECT IDENTIFIER"))
}

fn time(seq: &mut Reader<'_>, at: &str) -> Result<i64, OcspError> {
    let tlv = seq.read(TAG_GENERALIZED_TIME).map_err(der_err(at))?;
    decode_time(&tlv).map_err(|e| malformed(at, e))
}

fn name(der: &[u8], at: &str) -> Result<Name, OcspError> {
    use x509_parser::prelude::FromDer;
    let (rest, parsed) = x509_parser::x509::X509Name::from_der(der)
        .map_err(|e| malformed(at, format!("bad Name: {e}")))?;
    if !rest.is_empty() {
        return Err(malformed(at, "trailing data after Name"));
    }
    crate::x509::ext::convert_name("OCSP responder name", &parsed)
        .map_err(|e| malformed(at, e.to_string()))
}

/// Every OCSP response in some bytes: one DER OCSPResponse, PEM blocks labelled
/// `OCSP RESPONSE`, or the base64 text of one DER response (OpenSSL's `.ors` files).
pub fn responses_from_bytes(
    bytes: &[u8],
    source_name: &str,
    limits: &Limits,
) -> Result<Vec<OcspResponse>, OcspError> {
    let located = |e: OcspError| OcspError::Malformed {
        at: source_name.to_owned(),
        detail: e.to_string(),
    };
    if bytes.first() == Some(&TAG_SEQUENCE) {
        return OcspResponse::from_der(bytes, limits)
            .map(|r| vec![r])
            .map_err(located);
    }
    if crate::input::looks_like_pem(bytes) {
        let blocks = pem::parse_many(bytes).map_err(|e| malformed(source_name, e.to_string()))?;
        let mut out = Vec::new();
        for b in blocks.iter().filter(|b| b.tag() == "OCSP RESPONSE") {
            out.push(OcspResponse::from_der(b.contents(), limits).map_err(located)?);
        }
        if out.is_empty() {
            return Err(malformed(
                source_name,
                "no PEM block labelled OCSP RESPONSE",
            ));
        }
        return Ok(out);
    }
    let text: Vec<u8> = bytes
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    use base64::Engine as _;
    let der = base64::engine::general_purpose::STANDARD
        .decode(&text)
        .map_err(|_| {
            malformed(
                source_name,
                "neither DER, PEM (OCSP RESPONSE) nor base64 of an OCSP response",
            )
        })?;
    if der.first() != Some(&TAG_SEQUENCE) {
        return Err(malformed(
            source_name,
            "the base64 text is not an OCSP response",
        ));
    }
    OcspResponse::from_der(&der, limits)
        .map(|r| vec![r])
        .map_err(located)
}
