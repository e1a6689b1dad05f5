//! ASN.1: the crate's one bounded BER/DER reader, its one OID registry ([`oid`]) and the
//! ASN.1 time types ([`time`]).
//!
//! [`Reader`] walks TLVs in one of two modes: **BER** (definite and indefinite lengths,
//! constructed strings reassembled by [`octets`], any element re-encoded with DER lengths by
//! [`to_der`]) for CMS and the other signed containers, and **strict DER** ([`Reader::der`]:
//! definite, minimal lengths only) for the small structures decoded inside keys, signatures
//! and extensions. Every length is checked against the remaining input. The only recursive
//! functions (finding the end of an indefinite-length element, reassembling a constructed
//! OCTET STRING, re-encoding with definite lengths) carry a depth counter and stop at
//! [`Bounds::max_depth`]; output sizes are bounded by [`Bounds::max_size`]. Both come from
//! `Limits::max_asn1_depth` and `Limits::max_object_size`. Only low tag numbers (0–30) are
//! accepted: nothing the crate reads needs more.

pub mod oid;
pub mod time;

pub use oid::Oid;
pub use time::{format_time, parse_time, UnixTime};

/// An AlgorithmIdentifier: OID plus the complete DER TLV of its parameters, when present.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AlgorithmIdentifier {
    /// The algorithm OID.
    pub oid: Oid,
    /// Full DER encoding (tag, length, content) of the parameters; `None` when absent.
    /// An explicit NULL is `Some(vec![0x05, 0x00])`.
    pub params: Option<Vec<u8>>,
}

/// Universal BOOLEAN.
pub const TAG_BOOLEAN: u8 = 0x01;
/// Universal INTEGER.
pub const TAG_INTEGER: u8 = 0x02;
/// Universal BIT STRING (primitive form).
pub const TAG_BIT_STRING: u8 = 0x03;
/// Universal NULL.
pub const TAG_NULL: u8 = 0x05;
/// Universal ENUMERATED.
pub const TAG_ENUMERATED: u8 = 0x0a;
/// Universal UTF8String.
pub const TAG_UTF8_STRING: u8 = 0x0c;
/// Universal IA5String.
pub const TAG_IA5_STRING: u8 = 0x16;
/// Universal OCTET STRING (primitive form).
pub const TAG_OCTET_STRING: u8 = 0x04;
/// Universal OBJECT IDENTIFIER.
pub const TAG_OID: u8 = 0x06;
/// Universal UTCTime.
pub const TAG_UTC_TIME: u8 = 0x17;
/// Universal GeneralizedTime.
pub const TAG_GENERALIZED_TIME: u8 = 0x18;
/// Universal SEQUENCE (constructed).
pub const TAG_SEQUENCE: u8 = 0x30;
/// Universal SET (constructed).
pub const TAG_SET: u8 = 0x31;

/// The complete DER encoding of NULL.
pub const NULL_DER: &[u8] = &[TAG_NULL, 0x00];

const CONSTRUCTED: u8 = 0x20;

/// Bounds on one decoding, taken from [`crate::Limits`] ([`Bounds::from_limits`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Bounds {
    /// Deepest nesting followed by the recursive helpers (`Limits::max_asn1_depth`).
    pub max_depth: usize,
    /// Largest reassembled or re-encoded value, in bytes (`Limits::max_object_size`).
    pub max_size: usize,
}

impl Bounds {
    /// The ASN.1 bounds of `limits`.
    pub fn from_limits(limits: &crate::Limits) -> Bounds {
        Bounds {
            max_depth: limits.max_asn1_depth,
            max_size: limits.max_object_size,
        }
    }
}

/// How strictly lengths are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// BER: indefinite and non-minimal lengths accepted.
    Ber,
    /// DER: definite, minimal lengths only.
    Der,
}

/// Why some BER or DER did not decode; callers add where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// Input ended inside a TLV.
    Truncated,
    /// A tag or length is not valid BER (or uses a form this reader refuses).
    Invalid(&'static str),
    /// A different tag was found than the one expected.
    UnexpectedTag {
        /// The tag wanted.
        expected: u8,
        /// The tag found (`None`: nothing left).
        found: Option<u8>,
    },
    /// Bytes were left over after the last expected element.
    TrailingData,
    /// Nesting deeper than the limit.
    TooDeep(usize),
    /// A value larger than the limit.
    TooLarge(usize),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Truncated => f.write_str("the data ends before the structure does (truncated)"),
            Error::Invalid(what) => write!(f, "invalid BER: {what}"),
            Error::UnexpectedTag {
                expected,
                found: Some(t),
            } => write!(f, "expected tag 0x{expected:02x}, found 0x{t:02x}"),
            Error::UnexpectedTag {
                expected,
                found: None,
            } => write!(
                f,
                "expected tag 0x{expected:02x}, found the end of the input"
            ),
            Error::TrailingData => f.write_str("trailing data after the last element"),
            Error::TooDeep(limit) => write!(f, "nesting deeper than {limit} levels"),
            Error::TooLarge(limit) => write!(f, "value larger than {limit} bytes"),
        }
    }
}

/// One decoded TLV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The identifier octet (class, constructed bit, tag number).
    pub tag: u8,
    /// The content octets; for indefinite length, everything before the end-of-contents.
    pub content: &'a [u8],
    /// The whole encoding: identifier, length, content and end-of-contents.
    pub raw: &'a [u8],
    /// True when the length was indefinite.
    pub indefinite: bool,
}

impl Tlv<'_> {
    /// True for the constructed form.
    pub fn constructed(&self) -> bool {
        self.tag & CONSTRUCTED != 0
    }

    /// The tag with the constructed bit cleared.
    pub fn primitive_tag(&self) -> u8 {
        self.tag & !CONSTRUCTED
    }
}

/// Reads the identifier and length; returns (tag, header length, `Some(content length)` or
/// `None` for indefinite).
fn header(input: &[u8], mode: Mode) -> Result<(u8, usize, Option<usize>), Error> {
    let (&tag, after_tag) = input.split_first().ok_or(Error::Truncated)?;
    if tag & 0x1f == 0x1f {
        return Err(Error::Invalid("high tag numbers are not supported"));
    }
    let (&first, after_len) = after_tag.split_first().ok_or(Error::Truncated)?;
    if first < 0x80 {
        return Ok((tag, 2, Some(usize::from(first))));
    }
    if first == 0x80 {
        if mode == Mode::Der {
            return Err(Error::Invalid("indefinite length in DER"));
        }
        if tag & CONSTRUCTED == 0 {
            return Err(Error::Invalid("indefinite length on a primitive element"));
        }
        return Ok((tag, 2, None));
    }
    let count = usize::from(first & 0x7f);
    if count > 8 || first == 0xff {
        return Err(Error::Invalid("length of length too large"));
    }
    let len_bytes = after_len.get(..count).ok_or(Error::Truncated)?;
    let mut len: u64 = 0;
    for &b in len_bytes {
        len = (len << 8) | u64::from(b);
    }
    let len = usize::try_from(len).map_err(|_| Error::Truncated)?;
    if mode == Mode::Der && (len_bytes.first() == Some(&0) || len < 0x80) {
        return Err(Error::Invalid("non-minimal length in DER"));
    }
    Ok((tag, 2 + count, Some(len)))
}

/// Reads one BER TLV from the start of `input`; returns it and the rest.
pub fn read_tlv(input: &[u8], limits: Bounds) -> Result<(Tlv<'_>, &[u8]), Error> {
    read_tlv_at(input, limits, Mode::Ber, 0)
}

fn read_tlv_at(
    input: &[u8],
    limits: Bounds,
    mode: Mode,
    depth: usize,
) -> Result<(Tlv<'_>, &[u8]), Error> {
    if depth > limits.max_depth {
        return Err(Error::TooDeep(limits.max_depth));
    }
    let (tag, header_len, len) = header(input, mode)?;
    let body = input.get(header_len..).ok_or(Error::Truncated)?;
    match len {
        Some(len) => {
            let content = body.get(..len).ok_or(Error::Truncated)?;
            let total = header_len.checked_add(len).ok_or(Error::Truncated)?;
            let raw = input.get(..total).ok_or(Error::Truncated)?;
            let rest = input.get(total..).ok_or(Error::Truncated)?;
            Ok((
                Tlv {
                    tag,
                    content,
                    raw,
                    indefinite: false,
                },
                rest,
            ))
        }
        None => {
            // Walk the children until the end-of-contents octets.
            let mut cursor = body;
            loop {
                if cursor.starts_with(&[0, 0]) {
                    break;
                }
                if cursor.first() == Some(&0) {
                    return Err(Error::Invalid("malformed end-of-contents"));
                }
                let (_, rest) = read_tlv_at(cursor, limits, mode, depth + 1)?;
                cursor = rest;
            }
            let content_len = body.len() - cursor.len();
            let content = body.get(..content_len).ok_or(Error::Truncated)?;
            let total = header_len + content_len + 2;
            let raw = input.get(..total).ok_or(Error::Truncated)?;
            let rest = input.get(total..).ok_or(Error::Truncated)?;
            Ok((
                Tlv {
                    tag,
                    content,
                    raw,
                    indefinite: true,
                },
                rest,
            ))
        }
    }
}

/// A cursor over the children of one constructed element (or a whole input).
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    rest: &'a [u8],
    limits: Bounds,
    mode: Mode,
}

/// Strict DER needs no recursion (no indefinite lengths), so its bounds only cap sizes.
const DER_BOUNDS: Bounds = Bounds {
    max_depth: 0,
    max_size: usize::MAX,
};

impl<'a> Reader<'a> {
    /// Starts reading BER at the beginning of `input`.
    pub fn new(input: &'a [u8], limits: Bounds) -> Self {
        Reader {
            rest: input,
            limits,
            mode: Mode::Ber,
        }
    }

    /// Starts reading strict DER at the beginning of `input`: definite, minimally encoded
    /// lengths only.
    pub fn der(input: &'a [u8]) -> Self {
        Reader {
            rest: input,
            limits: DER_BOUNDS,
            mode: Mode::Der,
        }
    }

    /// What is left to read.
    pub fn remaining(&self) -> &'a [u8] {
        self.rest
    }

    /// True when nothing is left.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The identifier octet of the next TLV, if any.
    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads the next TLV, whatever its tag.
    pub fn read_any(&mut self) -> Result<Tlv<'a>, Error> {
        let (tlv, rest) = read_tlv_at(self.rest, self.limits, self.mode, 0)?;
        self.rest = rest;
        Ok(tlv)
    }

    /// Reads the next TLV, whatever its tag; returns (tag, content, whole encoding).
    pub fn read_tlv(&mut self) -> Result<(u8, &'a [u8], &'a [u8]), Error> {
        let tlv = self.read_any()?;
        Ok((tlv.tag, tlv.content, tlv.raw))
    }

    /// Reads the next TLV, which must carry `tag`; returns its content octets.
    pub fn content(&mut self, tag: u8) -> Result<&'a [u8], Error> {
        Ok(self.read(tag)?.content)
    }

    /// Reads a non-negative INTEGER and returns its magnitude without leading zero octets
    /// (empty for zero); the encoding must be minimal.
    pub fn read_unsigned(&mut self) -> Result<&'a [u8], Error> {
        unsigned_magnitude(self.content(TAG_INTEGER)?)
    }

    /// Reads the next TLV, which must carry `tag` exactly.
    pub fn read(&mut self, tag: u8) -> Result<Tlv<'a>, Error> {
        match self.peek_tag() {
            Some(t) if t == tag => self.read_any(),
            found => Err(Error::UnexpectedTag {
                expected: tag,
                found,
            }),
        }
    }

    /// Reads the next TLV when it carries `tag`.
    pub fn read_optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, Error> {
        if self.peek_tag() == Some(tag) {
            self.read_any().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Reads a constructed element with `tag` and returns a reader over its children.
    pub fn descend(&mut self, tag: u8) -> Result<Reader<'a>, Error> {
        let tlv = self.read(tag)?;
        Ok(Reader {
            rest: tlv.content,
            limits: self.limits,
            mode: self.mode,
        })
    }

    /// Reads an OBJECT IDENTIFIER's content octets.
    pub fn read_oid(&mut self) -> Result<&'a [u8], Error> {
        Ok(self.read(TAG_OID)?.content)
    }

    /// Reads a non-negative INTEGER that fits in `u32`.
    pub fn read_small_uint(&mut self) -> Result<u32, Error> {
        let content = self.read(TAG_INTEGER)?.content;
        if content.is_empty() || content.first().is_some_and(|b| b & 0x80 != 0) {
            return Err(Error::Invalid("negative or empty INTEGER"));
        }
        let mut value: u64 = 0;
        for &b in content {
            value = (value << 8) | u64::from(b);
            if value > u64::from(u32::MAX) {
                return Err(Error::Invalid("INTEGER too large"));
            }
        }
        u32::try_from(value).map_err(|_| Error::Invalid("INTEGER too large"))
    }

    /// Reads an OCTET STRING (primitive or constructed) and reassembles its value.
    pub fn read_octets(&mut self) -> Result<Vec<u8>, Error> {
        let tlv = self.read_any()?;
        if tlv.primitive_tag() != TAG_OCTET_STRING {
            return Err(Error::UnexpectedTag {
                expected: TAG_OCTET_STRING,
                found: Some(tlv.tag),
            });
        }
        octets(&tlv, self.limits)
    }

    /// Fails unless every byte was consumed.
    pub fn finish(&self) -> Result<(), Error> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(Error::TrailingData)
        }
    }
}

/// The value of a string-type element (OCTET STRING or an implicitly tagged one): the
/// content of a primitive encoding, or the concatenated segments of a constructed one, each
/// of which must be a primitive or constructed OCTET STRING (X.690 §8.7.3).
pub fn octets(tlv: &Tlv<'_>, limits: Bounds) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    append_octets(tlv, limits, 0, &mut out)?;
    Ok(out)
}

fn append_octets(
    tlv: &Tlv<'_>,
    limits: Bounds,
    depth: usize,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    if depth > limits.max_depth {
        return Err(Error::TooDeep(limits.max_depth));
    }
    if !tlv.constructed() {
        if out.len().saturating_add(tlv.content.len()) > limits.max_size {
            return Err(Error::TooLarge(limits.max_size));
        }
        out.extend_from_slice(tlv.content);
        return Ok(());
    }
    let mut reader = Reader::new(tlv.content, limits);
    while !reader.is_empty() {
        let segment = reader.read_any()?;
        if segment.primitive_tag() != TAG_OCTET_STRING {
            return Err(Error::Invalid(
                "a constructed OCTET STRING segment is not an OCTET STRING",
            ));
        }
        append_octets(&segment, limits, depth + 1, out)?;
    }
    Ok(())
}

/// Re-encodes one element with definite, minimal lengths: indefinite lengths become
/// definite and constructed OCTET STRINGs become primitive. Element order is kept (SET OF
/// contents are not re-sorted). A DER input comes back byte for byte.
pub fn to_der(tlv: &Tlv<'_>, limits: Bounds) -> Result<Vec<u8>, Error> {
    if is_der(tlv, limits)? {
        return Ok(tlv.raw.to_vec());
    }
    let mut out = Vec::new();
    encode_der(tlv, limits, 0, &mut out)?;
    Ok(out)
}

/// True when [`to_der`] would give `tlv.raw` back: no element at or below `tlv` is
/// indefinite, uses a non-minimal length or is a constructed OCTET STRING. Then every
/// element inside is DER as it is, too.
pub fn is_der(tlv: &Tlv<'_>, limits: Bounds) -> Result<bool, Error> {
    let needs = match quick_needs_reencoding(tlv, limits) {
        Some(answer) => answer,
        None => needs_reencoding(tlv, limits, 0)?,
    };
    Ok(!needs)
}

/// True when some element at or below `tlv` is indefinite, uses a non-minimal length, or is
/// a constructed OCTET STRING.
fn needs_reencoding(tlv: &Tlv<'_>, limits: Bounds, depth: usize) -> Result<bool, Error> {
    if depth > limits.max_depth {
        return Err(Error::TooDeep(limits.max_depth));
    }
    if tlv.indefinite || tlv.raw.len() != tlv.content.len() + header_len_for(tlv.content.len()) {
        return Ok(true);
    }
    if !tlv.constructed() {
        return Ok(false);
    }
    if tlv.primitive_tag() == TAG_OCTET_STRING {
        return Ok(true);
    }
    let mut reader = Reader::new(tlv.content, limits);
    while !reader.is_empty() {
        let child = reader.read_any()?;
        if needs_reencoding(&child, limits, depth + 1)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// [`needs_reencoding`] without building a [`Tlv`] per element: the same walk in the same
/// order over definite-length, low-tag-number elements. `None` when it meets anything else
/// (an indefinite length, a high tag number, a truncated or oversized length, the depth
/// limit), and then the full walk answers, with its errors.
fn quick_needs_reencoding(tlv: &Tlv<'_>, limits: Bounds) -> Option<bool> {
    if tlv.indefinite {
        return None;
    }
    if tlv.raw.len() != tlv.content.len() + header_len_for(tlv.content.len()) {
        return Some(true);
    }
    if !tlv.constructed() {
        return Some(false);
    }
    if tlv.primitive_tag() == TAG_OCTET_STRING {
        return Some(true);
    }
    quick_children(tlv.content, limits, 0)
}

/// The children of a constructed element at `depth`, for [`quick_needs_reencoding`].
fn quick_children(mut rest: &[u8], limits: Bounds, depth: usize) -> Option<bool> {
    let depth = depth.checked_add(1)?;
    if depth > limits.max_depth && !rest.is_empty() {
        return None;
    }
    while let Some((&tag, after_tag)) = rest.split_first() {
        if tag & 0x1f == 0x1f {
            return None;
        }
        let (&first, after_len) = after_tag.split_first()?;
        let (len, count) = if first < 0x80 {
            (usize::from(first), 0)
        } else {
            let count = usize::from(first & 0x7f);
            if first == 0x80 || first == 0xff || count > 8 {
                return None;
            }
            let mut len: u64 = 0;
            for &b in after_len.get(..count)? {
                len = (len << 8) | u64::from(b);
            }
            (usize::try_from(len).ok()?, count)
        };
        let body = after_len.get(count..)?;
        let content = body.get(..len)?;
        rest = body.get(len..)?;
        if 2 + count != header_len_for(len) {
            return Some(true);
        }
        if tag & CONSTRUCTED == 0 {
            continue;
        }
        if tag & !CONSTRUCTED == TAG_OCTET_STRING || quick_children(content, limits, depth)? {
            return Some(true);
        }
    }
    Some(false)
}

fn encode_der(tlv: &Tlv<'_>, limits: Bounds, depth: usize, out: &mut Vec<u8>) -> Result<(), Error> {
    if depth > limits.max_depth {
        return Err(Error::TooDeep(limits.max_depth));
    }
    if tlv.primitive_tag() == TAG_OCTET_STRING && tlv.constructed() {
        let value = octets(tlv, limits)?;
        push_tlv(TAG_OCTET_STRING, &value, limits, out)?;
        return Ok(());
    }
    if !tlv.constructed() {
        return push_tlv(tlv.tag, tlv.content, limits, out);
    }
    let mut children = Vec::new();
    let mut reader = Reader::new(tlv.content, limits);
    while !reader.is_empty() {
        let child = reader.read_any()?;
        encode_der(&child, limits, depth + 1, &mut children)?;
    }
    push_tlv(tlv.tag, &children, limits, out)
}

/// Appends a definite-length TLV.
pub fn push_tlv(tag: u8, content: &[u8], limits: Bounds, out: &mut Vec<u8>) -> Result<(), Error> {
    let total = out
        .len()
        .saturating_add(content.len())
        .saturating_add(header_len_for(content.len()));
    if total > limits.max_size {
        return Err(Error::TooLarge(limits.max_size));
    }
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        let significant = bytes.get(skip..).unwrap_or_default();
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(content);
    Ok(())
}

/// Identifier plus minimal definite length octets for a content of `len` bytes.
fn header_len_for(len: usize) -> usize {
    if len < 0x80 {
        2
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        2 + (bytes.len() - skip)
    }
}

/// Decodes exactly one DER TLV with `tag` spanning all of `input`; returns its content.
pub fn single(input: &[u8], tag: u8) -> Result<&[u8], Error> {
    let mut reader = Reader::der(input);
    let content = reader.content(tag)?;
    reader.finish()?;
    Ok(content)
}

/// Checks INTEGER content octets for minimal encoding and a non-negative value; returns the
/// magnitude with leading zero octets removed.
pub fn unsigned_magnitude(content: &[u8]) -> Result<&[u8], Error> {
    match content {
        [] => Err(Error::Invalid("empty INTEGER")),
        [first, ..] if first & 0x80 != 0 => Err(Error::Invalid("negative INTEGER")),
        [0x00, second, ..] if second & 0x80 == 0 => Err(Error::Invalid("non-minimal INTEGER")),
        [0x00, rest @ ..] => Ok(rest),
        _ => Ok(content),
    }
}

/// Decodes DER `SEQUENCE { r INTEGER, s INTEGER }` (Ecdsa-Sig-Value, Dss-Sig-Value, SM2) into
/// the two magnitudes; both must be positive.
pub fn two_integers(signature: &[u8]) -> Result<(&[u8], &[u8]), Error> {
    let mut seq = Reader::der(single(signature, TAG_SEQUENCE)?);
    let r = seq.read_unsigned()?;
    let s = seq.read_unsigned()?;
    seq.finish()?;
    if r.is_empty() || s.is_empty() {
        return Err(Error::Invalid("zero r or s"));
    }
    Ok((r, s))
}

/// Encodes two magnitudes as DER `SEQUENCE { INTEGER, INTEGER }`: how a raw `r ‖ s`
/// signature value is handed to verifiers that take the DER form.
pub fn encode_two_integers(r: &[u8], s: &[u8]) -> Vec<u8> {
    fn integer(m: &[u8], out: &mut Vec<u8>) {
        let skip = m.iter().take_while(|&&b| b == 0).count();
        let m = m.get(skip..).unwrap_or_default();
        let pad = m.first().is_none_or(|b| b & 0x80 != 0);
        let mut content = Vec::with_capacity(m.len() + 1);
        if pad {
            content.push(0);
        }
        content.extend_from_slice(m);
        let _ = push_tlv(TAG_INTEGER, &content, DER_BOUNDS, out);
    }
    let mut body = Vec::with_capacity(r.len() + s.len() + 8);
    integer(r, &mut body);
    integer(s, &mut body);
    let mut out = Vec::with_capacity(body.len() + 4);
    let _ = push_tlv(TAG_SEQUENCE, &body, DER_BOUNDS, &mut out);
    out
}

/// Number of significant bits in a big-endian magnitude without leading zero octets.
pub fn bit_length(magnitude: &[u8]) -> u32 {
    match magnitude.first() {
        None => 0,
        Some(&top) => {
            let bytes = u32::try_from(magnitude.len()).unwrap_or(u32::MAX / 8);
            (bytes - 1)
                .saturating_mul(8)
                .saturating_add(8 - top.leading_zeros())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick walk answers as the full one whenever it answers.
    #[test]
    fn quick_reencoding_check_agrees_with_the_full_walk() {
        let limits = Bounds {
            max_depth: 6,
            max_size: 1 << 20,
        };
        let mut cases: Vec<Vec<u8>> = vec![
            vec![0x30, 0x03, 0x02, 0x01, 0x05],
            vec![0x30, 0x81, 0x03, 0x02, 0x01, 0x05],
            vec![0x30, 0x04, 0x24, 0x02, 0x04, 0x00],
            vec![0x30, 0x05, 0x30, 0x03, 0x02, 0x81, 0x01],
            vec![0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00],
            vec![0x30, 0x06, 0x30, 0x80, 0x02, 0x01, 0x05, 0x00],
            vec![0x30, 0x04, 0x1f, 0x81, 0x01, 0x00],
            vec![
                0x30, 0x0c, 0x30, 0x0a, 0x30, 0x08, 0x30, 0x06, 0x30, 0x04, 0x30, 0x02, 0x30, 0x00,
            ],
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut b = vec![0x30u8];
            let n = (state % 24) as usize;
            b.push(n as u8);
            for _ in 0..n {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let pick = [
                    0x30u8, 0x31, 0x02, 0x04, 0x24, 0x80, 0x81, 0x00, 0x01, 0x03, 0xa0,
                ];
                b.push(pick[(state % pick.len() as u64) as usize]);
            }
            cases.push(b);
        }
        for case in &cases {
            let Ok((tlv, _)) = read_tlv(case, limits) else {
                continue;
            };
            if let Some(quick) = quick_needs_reencoding(&tlv, limits) {
                assert_eq!(Ok(quick), needs_reencoding(&tlv, limits, 0), "{case:02x?}");
            }
        }
    }

    #[test]
    fn der_lengths_must_be_minimal_and_definite() {
        assert!(Reader::der(&[0x02, 0x01, 0x05]).read(TAG_INTEGER).is_ok());
        for bad in [
            &[0x02, 0x81, 0x01, 0x05][..],
            &[0x30, 0x80, 0x05, 0x00, 0x00, 0x00],
            &[0x04, 0x82, 0x00, 0x81],
            &[0x1f, 0x01, 0x00],
        ] {
            assert!(
                matches!(Reader::der(bad).read_any(), Err(Error::Invalid(_))),
                "{bad:02x?}"
            );
        }
        assert_eq!(
            Reader::der(&[0x02, 0x05, 0x05]).read_any().err(),
            Some(Error::Truncated)
        );
        assert_eq!(
            single(&[0x05, 0x00, 0x00], TAG_NULL).err(),
            Some(Error::TrailingData)
        );
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([0u8; 0x80]);
        assert_eq!(single(&long, 0x04).map(<[u8]>::len), Ok(0x80));
        // The same non-minimal length is fine in BER.
        assert!(Reader::new(&[0x02, 0x81, 0x01, 0x05], LIMITS)
            .read_any()
            .is_ok());
    }

    #[test]
    fn integers_are_strict() {
        assert_eq!(unsigned_magnitude(&[0x00]), Ok(&[][..]));
        assert_eq!(unsigned_magnitude(&[0x00, 0x80]), Ok(&[0x80][..]));
        assert!(unsigned_magnitude(&[0x00, 0x7f]).is_err());
        assert!(unsigned_magnitude(&[0x80]).is_err());
        assert!(unsigned_magnitude(&[]).is_err());
        assert_eq!(bit_length(&[0x01, 0x00]), 9);
        assert_eq!(bit_length(&[0x80]), 8);
        assert_eq!(bit_length(&[]), 0);
    }

    #[test]
    fn signature_pairs() {
        let der = [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02];
        assert_eq!(two_integers(&der), Ok((&[1u8][..], &[2u8][..])));
        assert_eq!(encode_two_integers(&[0, 1], &[2]), der.to_vec());
        let high = encode_two_integers(&[0x80], &[0x01]);
        assert_eq!(two_integers(&high), Ok((&[0x80u8][..], &[1u8][..])));
        assert!(two_integers(&[0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x02]).is_err());
        assert!(two_integers(&[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01]).is_err());
        assert!(two_integers(&[0x30, 0x03, 0x02, 0x01, 0x01, 0x00]).is_err());
    }

    const LIMITS: Bounds = Bounds {
        max_depth: 64,
        max_size: 1 << 20,
    };

    #[test]
    fn definite_and_indefinite() {
        let (tlv, rest) = read_tlv(&[0x04, 0x02, 0xaa, 0xbb, 0x05], LIMITS).expect("ok");
        assert_eq!(tlv.content, &[0xaa, 0xbb]);
        assert_eq!(rest, &[0x05]);
        // SEQUENCE (indefinite) { NULL } EOC, then one more byte.
        let input = [0x30, 0x80, 0x05, 0x00, 0x00, 0x00, 0x01];
        let (tlv, rest) = read_tlv(&input, LIMITS).expect("ok");
        assert!(tlv.indefinite);
        assert_eq!(tlv.content, &[0x05, 0x00]);
        assert_eq!(tlv.raw.len(), 6);
        assert_eq!(rest, &[0x01]);
        assert_eq!(
            to_der(&tlv, LIMITS).expect("der"),
            vec![0x30, 0x02, 0x05, 0x00]
        );
        // Non-minimal long length is accepted by BER and fixed by to_der.
        let (tlv, _) = read_tlv(&[0x04, 0x81, 0x01, 0x07], LIMITS).expect("ok");
        assert_eq!(to_der(&tlv, LIMITS).expect("der"), vec![0x04, 0x01, 0x07]);
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert_eq!(read_tlv(&[], LIMITS).err(), Some(Error::Truncated));
        assert_eq!(
            read_tlv(&[0x04, 0x05, 1], LIMITS).err(),
            Some(Error::Truncated)
        );
        assert!(matches!(
            read_tlv(&[0x04, 0x80, 0x00, 0x00], LIMITS),
            Err(Error::Invalid(_))
        ));
        assert!(matches!(
            read_tlv(&[0x1f, 0x01, 0x00], LIMITS),
            Err(Error::Invalid(_))
        ));
        assert_eq!(
            read_tlv(&[0x30, 0x80, 0x05, 0x00], LIMITS).err(),
            Some(Error::Truncated)
        );
        assert_eq!(
            read_tlv(
                &[0x04, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
                LIMITS
            )
            .err(),
            Some(Error::Truncated)
        );
    }

    #[test]
    fn chunked_octets_reassemble() {
        // OCTET STRING (constructed, indefinite) { "ab", OCTET STRING (constructed) { "c" } }
        let input = [
            0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x24, 0x03, 0x04, 0x01, b'c', 0x00, 0x00,
        ];
        let (tlv, _) = read_tlv(&input, LIMITS).expect("ok");
        assert_eq!(octets(&tlv, LIMITS).expect("octets"), b"abc");
        assert_eq!(
            to_der(&tlv, LIMITS).expect("der"),
            vec![0x04, 0x03, b'a', b'b', b'c']
        );
        // A segment of another type is refused.
        let bad = [0x24, 0x03, 0x02, 0x01, 0x00];
        let (tlv, _) = read_tlv(&bad, LIMITS).expect("ok");
        assert!(octets(&tlv, LIMITS).is_err());
        // Size limit.
        let small = Bounds {
            max_depth: 64,
            max_size: 2,
        };
        let (tlv, _) = read_tlv(&input, small).expect("ok");
        assert_eq!(octets(&tlv, small).err(), Some(Error::TooLarge(2)));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut deep = Vec::new();
        for _ in 0..10_000 {
            deep.extend([0x30, 0x80]);
        }
        deep.extend(std::iter::repeat_n(0u8, 20_000));
        assert_eq!(read_tlv(&deep, LIMITS).err(), Some(Error::TooDeep(64)));
    }
}
