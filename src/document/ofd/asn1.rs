//! A strict cursor for the seal and signature structures over the crate's bounded BER
//! reader ([`crate::asn1`]): definite lengths only, exact tags,
//! primitive strings, BIT STRINGs without unused bits where a hash or signature is carried,
//! and errors that say where (`SES_Signature.toSign.eseal`).

use super::time::{SesTime, TimeForm};
use super::OfdError;
use crate::asn1::Oid;
use crate::asn1::{Bounds as BerLimits, Error as BerError, Reader, Tlv};
use crate::Limits;

pub(super) const TAG_BOOLEAN: u8 = 0x01;
pub(super) const TAG_INTEGER: u8 = 0x02;
pub(super) const TAG_BIT_STRING: u8 = 0x03;
pub(super) const TAG_OCTET_STRING: u8 = 0x04;
pub(super) const TAG_OID: u8 = 0x06;
pub(super) const TAG_UTF8_STRING: u8 = 0x0c;
pub(super) const TAG_PRINTABLE_STRING: u8 = 0x13;
pub(super) const TAG_IA5_STRING: u8 = 0x16;
pub(super) const TAG_UTC_TIME: u8 = 0x17;
pub(super) const TAG_GENERALIZED_TIME: u8 = 0x18;
pub(super) const TAG_SEQUENCE: u8 = 0x30;
/// `[0]` constructed (EXPLICIT, or IMPLICIT over a constructed type).
pub(super) const TAG_CTX0_CONSTRUCTED: u8 = 0xa0;
/// `[0]` primitive (IMPLICIT over a primitive type).
pub(super) const TAG_CTX0_PRIMITIVE: u8 = 0x80;

/// The reader's bounds from [`Limits`]: nesting `max_asn1_depth`, sizes `max_object_size`.
pub(super) fn ber_limits(limits: &Limits) -> BerLimits {
    BerLimits {
        max_depth: limits.max_asn1_depth,
        max_size: limits.max_object_size,
    }
}

/// A cursor over the children of one element, which knows its path.
#[derive(Clone)]
pub(super) struct Cursor<'a> {
    reader: Reader<'a>,
    limits: BerLimits,
    at: String,
}

impl<'a> Cursor<'a> {
    /// A cursor over `input`, whose elements are the children of `at`.
    pub(super) fn new(input: &'a [u8], at: impl Into<String>, limits: BerLimits) -> Self {
        Cursor {
            reader: Reader::new(input, limits),
            limits,
            at: at.into(),
        }
    }

    /// Where this cursor reads.
    pub(super) fn at(&self) -> &str {
        &self.at
    }

    /// An error at `field` of this element.
    pub(super) fn error(&self, field: &str, detail: impl Into<String>) -> OfdError {
        OfdError::Asn1 {
            at: if field.is_empty() {
                self.at.clone()
            } else {
                format!("{}.{field}", self.at)
            },
            detail: detail.into(),
        }
    }

    fn ber(&self, field: &str, e: BerError) -> OfdError {
        match e {
            BerError::TooDeep(limit) => OfdError::Limit {
                field: "max_asn1_depth",
                what: format!("{}.{field}: ASN.1 nesting", self.at),
                value: limit as u64,
                limit: limit as u64,
            },
            BerError::TooLarge(limit) => OfdError::Limit {
                field: "max_object_size",
                what: format!("{}.{field}: ASN.1 value size", self.at),
                value: limit as u64,
                limit: limit as u64,
            },
            other => self.error(field, other.to_string()),
        }
    }

    /// The tag of the next element, if any.
    pub(super) fn peek(&self) -> Option<u8> {
        self.reader.peek_tag()
    }

    /// True when nothing is left.
    pub(super) fn is_empty(&self) -> bool {
        self.reader.is_empty()
    }

    /// The next element, whatever its tag (definite length).
    pub(super) fn any(&mut self, field: &str) -> Result<Tlv<'a>, OfdError> {
        let tlv = self.reader.read_any().map_err(|e| self.ber(field, e))?;
        if tlv.indefinite {
            return Err(self.error(field, "indefinite length (DER required)"));
        }
        Ok(tlv)
    }

    /// The next element, which must carry `tag` (definite length).
    pub(super) fn tlv(&mut self, tag: u8, field: &str) -> Result<Tlv<'a>, OfdError> {
        let tlv = self.reader.read(tag).map_err(|e| self.ber(field, e))?;
        if tlv.indefinite {
            return Err(self.error(field, "indefinite length (DER required)"));
        }
        Ok(tlv)
    }

    /// A cursor over the children of the next element (tag `tag`), named `field`.
    pub(super) fn enter(
        &mut self,
        tag: u8,
        field: &str,
    ) -> Result<(Tlv<'a>, Cursor<'a>), OfdError> {
        let tlv = self.tlv(tag, field)?;
        let inner = Cursor::new(tlv.content, format!("{}.{field}", self.at), self.limits);
        Ok((tlv, inner))
    }

    /// A cursor over the children of the next SEQUENCE.
    pub(super) fn sequence(&mut self, field: &str) -> Result<(Tlv<'a>, Cursor<'a>), OfdError> {
        self.enter(TAG_SEQUENCE, field)
    }

    /// A non-negative INTEGER that fits in `u32`.
    pub(super) fn small_uint(&mut self, field: &str) -> Result<u32, OfdError> {
        let tlv = self.tlv(TAG_INTEGER, field)?;
        let content = tlv.content;
        if content.is_empty() || content.first().is_some_and(|b| b & 0x80 != 0) {
            return Err(self.error(field, "negative or empty INTEGER"));
        }
        if content.len() > 1
            && content.first() == Some(&0)
            && content.get(1).is_some_and(|b| b & 0x80 == 0)
        {
            return Err(self.error(field, "INTEGER not minimally encoded"));
        }
        let mut value: u64 = 0;
        for &b in content {
            value = (value << 8) | u64::from(b);
            if value > u64::from(u32::MAX) {
                return Err(self.error(field, "INTEGER too large"));
            }
        }
        u32::try_from(value).map_err(|_| self.error(field, "INTEGER too large"))
    }

    /// An OBJECT IDENTIFIER.
    pub(super) fn oid(&mut self, field: &str) -> Result<(Tlv<'a>, Oid), OfdError> {
        let tlv = self.tlv(TAG_OID, field)?;
        let oid = Oid::from_der_content(tlv.content)
            .ok_or_else(|| self.error(field, "malformed OBJECT IDENTIFIER"))?;
        Ok((tlv, oid))
    }

    /// A primitive OCTET STRING's value.
    pub(super) fn octets(&mut self, field: &str) -> Result<(Tlv<'a>, &'a [u8]), OfdError> {
        let tlv = self.tlv(TAG_OCTET_STRING, field)?;
        Ok((tlv, tlv.content))
    }

    /// A primitive BIT STRING's bits, which must fill whole octets.
    pub(super) fn bits(&mut self, field: &str) -> Result<&'a [u8], OfdError> {
        let tlv = self.tlv(TAG_BIT_STRING, field)?;
        match tlv.content.split_first() {
            Some((0, bits)) => Ok(bits),
            Some(_) => Err(self.error(field, "BIT STRING with unused bits")),
            None => Err(self.error(field, "empty BIT STRING")),
        }
    }

    /// A string of one of `tags`, as text (invalid UTF-8 is replaced, for display only).
    pub(super) fn string(&mut self, tags: &[u8], field: &str) -> Result<String, OfdError> {
        match self.peek() {
            Some(t) if tags.contains(&t) => {
                let tlv = self.any(field)?;
                Ok(String::from_utf8_lossy(tlv.content).into_owned())
            }
            Some(t) => Err(self.error(field, format!("unexpected tag 0x{t:02x} for a string"))),
            None => Err(self.error(field, "missing")),
        }
    }

    /// Fails unless every child was read.
    pub(super) fn finish(&self) -> Result<(), OfdError> {
        if self.reader.finish().is_err() {
            return Err(self.error("", "unexpected elements after the last field"));
        }
        Ok(())
    }
}

/// Parses `input` as exactly one element with `tag`; returns it and a cursor over its
/// children, named `at`.
pub(super) fn top<'a>(
    input: &'a [u8],
    tag: u8,
    at: &str,
    limits: BerLimits,
) -> Result<(Tlv<'a>, Cursor<'a>), OfdError> {
    let mut outer = Cursor::new(input, "", limits);
    let tlv = outer.tlv(tag, at).map_err(|e| match e {
        OfdError::Asn1 { detail, .. } => OfdError::Asn1 {
            at: at.to_owned(),
            detail,
        },
        other => other,
    })?;
    if !outer.is_empty() {
        return Err(OfdError::Asn1 {
            at: at.to_owned(),
            detail: "trailing bytes after the structure".into(),
        });
    }
    Ok((tlv, Cursor::new(tlv.content, at, limits)))
}

/// A GeneralizedTime or UTCTime.
pub(super) fn asn1_time(c: &mut Cursor<'_>, field: &str) -> Result<SesTime, OfdError> {
    let form = match c.peek() {
        Some(TAG_GENERALIZED_TIME) => TimeForm::GeneralizedTime,
        Some(TAG_UTC_TIME) => TimeForm::UtcTime,
        _ => return Err(c.error(field, "not a GeneralizedTime or UTCTime")),
    };
    let tlv = c.any(field)?;
    Ok(SesTime::new(
        String::from_utf8_lossy(tlv.content).into_owned(),
        form,
    ))
}
