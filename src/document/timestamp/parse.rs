//! Decoding: TimeStampResp (RFC 3161 §2.4.2) or a bare TimeStampToken → the token's
//! SignedData ([`crate::document::cms::parse`]) → TSTInfo, in strict DER, bounded by the
//! CMS limits.

use super::{Accuracy, MessageImprint, PkiStatus, TimestampError, TimestampToken, TstInfo};
use crate::asn1::oid::known;
use crate::asn1::time::decode_time;
use crate::asn1::{
    self, AlgorithmIdentifier, Bounds, Oid, Reader, TAG_BOOLEAN, TAG_GENERALIZED_TIME, TAG_INTEGER,
    TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE,
};
use crate::document::cms;
use crate::limits::Limits;

fn malformed(at: &str, detail: impl Into<String>) -> TimestampError {
    TimestampError::Malformed {
        at: at.to_owned(),
        detail: detail.into(),
    }
}

fn der_err(at: &str) -> impl Fn(asn1::Error) -> TimestampError + '_ {
    move |e| malformed(at, e.to_string())
}

impl TimestampToken {
    /// Decodes a TimeStampResp (which must be granted and carry a token) or a bare
    /// TimeStampToken (a ContentInfo), in DER or BER.
    pub fn from_der(bytes: &[u8], limits: &Limits) -> Result<TimestampToken, TimestampError> {
        TimestampToken::from_der_with(bytes, limits, None)
    }

    /// [`TimestampToken::from_der`], taking the certificates the token carries (the TSA's)
    /// from `objects` when they were parsed before (same bytes, same limits) and adding them
    /// when not: a new token from a known TSA does not parse its certificate again.
    pub fn from_der_cached(
        bytes: &[u8],
        limits: &Limits,
        objects: &crate::x509::ObjectCache,
    ) -> Result<TimestampToken, TimestampError> {
        TimestampToken::from_der_with(bytes, limits, Some(objects))
    }

    fn from_der_with(
        bytes: &[u8],
        limits: &Limits,
        objects: Option<&crate::x509::ObjectCache>,
    ) -> Result<TimestampToken, TimestampError> {
        if bytes.len() > limits.max_object_size {
            return Err(malformed(
                "TimeStampResp",
                format!(
                    "{} bytes exceed Limits::max_object_size ({})",
                    bytes.len(),
                    limits.max_object_size
                ),
            ));
        }
        let bounds = Bounds::from_limits(limits);
        let at = "TimeStampResp";
        let (outer, rest) = asn1::read_tlv(bytes, bounds).map_err(der_err(at))?;
        if outer.tag != TAG_SEQUENCE || !rest.is_empty() {
            return Err(malformed(at, "not one SEQUENCE"));
        }
        let mut seq = Reader::new(outer.content, bounds);
        let (status, token_der) = match seq.peek_tag() {
            Some(TAG_OID) => (None, bytes),
            Some(TAG_SEQUENCE) => {
                let status = pki_status_info(&mut seq, bounds)?;
                let token = seq.read_any().map_err(|_| TimestampError::NotGranted {
                    status: status.0.as_str(),
                    text: status.1.clone(),
                })?;
                seq.finish().map_err(der_err(at))?;
                if !matches!(status.0, PkiStatus::Granted | PkiStatus::GrantedWithMods) {
                    return Err(TimestampError::NotGranted {
                        status: status.0.as_str(),
                        text: status.1,
                    });
                }
                (Some(status.0), token.raw)
            }
            _ => return Err(malformed(at, "neither a TimeStampResp nor a ContentInfo")),
        };
        let signed_data = match objects {
            Some(o) => cms::parse_cached(token_der, limits, o)?,
            None => cms::parse(token_der, limits)?,
        };
        let ct = &signed_data.content_type;
        if *ct != known::CT_TST_INFO && *ct != known::GM_DATA {
            return Err(TimestampError::NotTstInfo(crate::asn1::oid::describe(ct)));
        }
        let content = signed_data
            .content
            .as_deref()
            .ok_or_else(|| malformed("TimeStampToken", "the TSTInfo is detached (no eContent)"))?;
        let info = tst_info(content, limits)?;
        Ok(TimestampToken {
            der: token_der.to_vec(),
            signed_data,
            info,
            response_status: status,
        })
    }
}

/// PKIStatusInfo ::= SEQUENCE { status PKIStatus, statusString PKIFreeText OPTIONAL,
/// failInfo PKIFailureInfo OPTIONAL }: the status and the rest for people.
fn pki_status_info(
    seq: &mut Reader<'_>,
    bounds: Bounds,
) -> Result<(PkiStatus, String), TimestampError> {
    let at = "TimeStampResp.status";
    let tlv = seq.read(TAG_SEQUENCE).map_err(der_err(at))?;
    let mut info = Reader::new(tlv.content, bounds);
    let status = match info.read_small_uint().map_err(der_err(at))? {
        0 => PkiStatus::Granted,
        1 => PkiStatus::GrantedWithMods,
        2 => PkiStatus::Rejection,
        3 => PkiStatus::Waiting,
        4 => PkiStatus::RevocationWarning,
        5 => PkiStatus::RevocationNotification,
        n => return Err(malformed(at, format!("unknown PKIStatus {n}"))),
    };
    let mut text = Vec::new();
    if let Some(strings) = info.read_optional(TAG_SEQUENCE).map_err(der_err(at))? {
        let mut r = Reader::new(strings.content, bounds);
        while let Ok(s) = r.read_any() {
            text.push(String::from_utf8_lossy(s.content).into_owned());
            if text.len() >= 16 {
                break;
            }
        }
    }
    if let Some(bits) = info
        .read_optional(asn1::TAG_BIT_STRING)
        .map_err(der_err(at))?
    {
        text.push(format!("failInfo {}", hex::encode(bits.content)));
    }
    Ok((status, text.join("; ")))
}

/// TSTInfo ::= SEQUENCE { version, policy, messageImprint, serialNumber, genTime,
/// accuracy OPTIONAL, ordering DEFAULT FALSE, nonce OPTIONAL, tsa [0] OPTIONAL,
/// extensions [1] IMPLICIT OPTIONAL }, strict DER.
pub(super) fn tst_info(der: &[u8], limits: &Limits) -> Result<TstInfo, TimestampError> {
    let at = "TSTInfo";
    let mut outer = Reader::der(der);
    let mut seq = outer.descend(TAG_SEQUENCE).map_err(der_err(at))?;
    outer.finish().map_err(der_err(at))?;
    let version = seq.read_small_uint().map_err(der_err("TSTInfo.version"))?;
    if version != 1 {
        return Err(malformed(
            "TSTInfo.version",
            format!("version {version} (only v1 is defined)"),
        ));
    }
    let policy = oid(
        seq.read_oid().map_err(der_err("TSTInfo.policy"))?,
        "TSTInfo.policy",
    )?;
    let message_imprint = imprint(&mut seq)?;
    let serial_at = "TSTInfo.serialNumber";
    let serial = asn1::unsigned_magnitude(seq.content(TAG_INTEGER).map_err(der_err(serial_at))?)
        .map_err(der_err(serial_at))?
        .to_vec();
    let time_at = "TSTInfo.genTime";
    let time = seq.read(TAG_GENERALIZED_TIME).map_err(der_err(time_at))?;
    let gen_time = decode_time(&time).map_err(|e| malformed(time_at, e))?;
    let accuracy = match seq.read_optional(TAG_SEQUENCE).map_err(der_err(at))? {
        Some(a) => Some(accuracy(a.content)?),
        None => None,
    };
    let ordering = match seq.read_optional(TAG_BOOLEAN).map_err(der_err(at))? {
        Some(b) if b.content == [0xff] => true,
        // DER omits the DEFAULT FALSE.
        Some(_) => {
            return Err(malformed(
                "TSTInfo.ordering",
                "an explicit FALSE or a non-DER BOOLEAN",
            ))
        }
        None => false,
    };
    let nonce = match seq.read_optional(TAG_INTEGER).map_err(der_err(at))? {
        Some(n) => Some(
            asn1::unsigned_magnitude(n.content)
                .map_err(der_err("TSTInfo.nonce"))?
                .to_vec(),
        ),
        None => None,
    };
    let tsa = match seq.read_optional(0xa0).map_err(der_err(at))? {
        Some(t) => Some(general_name(t.content)?),
        None => None,
    };
    let mut unknown_critical = Vec::new();
    if let Some(exts) = seq.read_optional(0xa1).map_err(der_err(at))? {
        unknown_critical = critical_extensions(exts.content, limits)?;
    }
    seq.finish().map_err(der_err(at))?;
    Ok(TstInfo {
        policy,
        message_imprint,
        serial,
        gen_time,
        accuracy,
        ordering,
        nonce,
        tsa,
        unknown_critical,
    })
}

fn imprint(seq: &mut Reader<'_>) -> Result<MessageImprint, TimestampError> {
    let at = "TSTInfo.messageImprint";
    let mut mi = seq.descend(TAG_SEQUENCE).map_err(der_err(at))?;
    let mut alg = mi.descend(TAG_SEQUENCE).map_err(der_err(at))?;
    let alg_oid = oid(alg.read_oid().map_err(der_err(at))?, at)?;
    let params = if alg.is_empty() {
        None
    } else {
        Some(alg.read_any().map_err(der_err(at))?.raw.to_vec())
    };
    alg.finish().map_err(der_err(at))?;
    let hashed = mi.content(TAG_OCTET_STRING).map_err(der_err(at))?;
    mi.finish().map_err(der_err(at))?;
    Ok(MessageImprint {
        hash_algorithm: AlgorithmIdentifier {
            oid: alg_oid,
            params,
        },
        hashed_message: hashed.to_vec(),
    })
}

/// Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER (1..999) OPTIONAL,
/// micros [1] INTEGER (1..999) OPTIONAL }.
fn accuracy(content: &[u8]) -> Result<Accuracy, TimestampError> {
    let at = "TSTInfo.accuracy";
    let mut r = Reader::der(content);
    let mut out = Accuracy::default();
    if r.peek_tag() == Some(TAG_INTEGER) {
        out.seconds = r.read_small_uint().map_err(der_err(at))?;
    }
    for (tag, slot) in [(0x80u8, &mut out.millis), (0x81, &mut out.micros)] {
        if let Some(t) = r.read_optional(tag).map_err(der_err(at))? {
            let v =
                small(t.content).ok_or_else(|| malformed(at, "millis/micros not an INTEGER"))?;
            if !(1..=999).contains(&v) {
                return Err(malformed(at, format!("millis/micros {v} outside 1..999")));
            }
            *slot = v;
        }
    }
    r.finish().map_err(der_err(at))?;
    Ok(out)
}

fn small(content: &[u8]) -> Option<u32> {
    let m = asn1::unsigned_magnitude(content).ok()?;
    if m.len() > 4 {
        return None;
    }
    Some(m.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)))
}

/// The OIDs of the critical extensions (none are understood) of `[1] IMPLICIT Extensions`.
fn critical_extensions(content: &[u8], limits: &Limits) -> Result<Vec<Oid>, TimestampError> {
    let at = "TSTInfo.extensions";
    let mut list = Reader::der(content);
    let mut out = Vec::new();
    let mut count = 0usize;
    while !list.is_empty() {
        count += 1;
        if count > limits.max_attributes {
            return Err(malformed(
                at,
                format!(
                    "more than {} extensions (Limits::max_attributes)",
                    limits.max_attributes
                ),
            ));
        }
        let mut ext = list.descend(TAG_SEQUENCE).map_err(der_err(at))?;
        let id = oid(ext.read_oid().map_err(der_err(at))?, at)?;
        let critical = matches!(ext.read_optional(TAG_BOOLEAN).map_err(der_err(at))?, Some(b) if b.content == [0xff]);
        ext.content(TAG_OCTET_STRING).map_err(der_err(at))?;
        ext.finish().map_err(der_err(at))?;
        if critical {
            out.push(id);
        }
    }
    Ok(out)
}

/// `[0] EXPLICIT GeneralName` (a CHOICE is always explicitly tagged).
fn general_name(content: &[u8]) -> Result<crate::x509::GeneralName, TimestampError> {
    use x509_parser::prelude::FromDer;
    let at = "TSTInfo.tsa";
    let (rest, gn) = x509_parser::extensions::GeneralName::from_der(content)
        .map_err(|e| malformed(at, e.to_string()))?;
    if !rest.is_empty() {
        return Err(malformed(at, "trailing data"));
    }
    crate::x509::ext::convert_general_name("TSTInfo", &gn).map_err(|e| malformed(at, e.to_string()))
}

fn oid(content: &[u8], at: &str) -> Result<Oid, TimestampError> {
    Oid::from_der_content(content).ok_or_else(|| malformed(at, "invalid OBJECT IDENTIFIER"))
}
