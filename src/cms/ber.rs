//! A bounded BER reader for CMS: definite and indefinite lengths, constructed strings
//! reassembled, and re-encoding of any element as DER lengths.
//!
//! Every length is checked against the remaining input. The only recursive functions
//! (finding the end of an indefinite-length element, reassembling a constructed OCTET STRING,
//! re-encoding with definite lengths) carry a depth counter and stop at
//! [`BerLimits::max_depth`]; output sizes are bounded by [`BerLimits::max_size`].
//! Only low tag numbers (0–30) are accepted: CMS never needs more.

/// Universal INTEGER.
pub(crate) const TAG_INTEGER: u8 = 0x02;
/// Universal OCTET STRING (primitive form).
pub(crate) const TAG_OCTET_STRING: u8 = 0x04;
/// Universal OBJECT IDENTIFIER.
pub(crate) const TAG_OID: u8 = 0x06;
/// Universal UTCTime.
pub(crate) const TAG_UTC_TIME: u8 = 0x17;
/// Universal GeneralizedTime.
pub(crate) const TAG_GENERALIZED_TIME: u8 = 0x18;
/// Universal SEQUENCE (constructed).
pub(crate) const TAG_SEQUENCE: u8 = 0x30;
/// Universal SET (constructed).
pub(crate) const TAG_SET: u8 = 0x31;

const CONSTRUCTED: u8 = 0x20;

/// Bounds on one BER decoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BerLimits {
    /// Deepest nesting followed by the recursive helpers.
    pub(crate) max_depth: usize,
    /// Largest reassembled or re-encoded value, in bytes.
    pub(crate) max_size: usize,
}

/// Why some BER did not decode; the CMS layer adds where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BerError {
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

impl std::fmt::Display for BerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BerError::Truncated => f.write_str("truncated BER"),
            BerError::Invalid(what) => write!(f, "invalid BER: {what}"),
            BerError::UnexpectedTag {
                expected,
                found: Some(t),
            } => write!(f, "expected tag 0x{expected:02x}, found 0x{t:02x}"),
            BerError::UnexpectedTag {
                expected,
                found: None,
            } => write!(
                f,
                "expected tag 0x{expected:02x}, found the end of the input"
            ),
            BerError::TrailingData => f.write_str("trailing data after the last element"),
            BerError::TooDeep(limit) => write!(f, "nesting deeper than {limit} levels"),
            BerError::TooLarge(limit) => write!(f, "value larger than {limit} bytes"),
        }
    }
}

/// One decoded TLV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tlv<'a> {
    /// The identifier octet (class, constructed bit, tag number).
    pub(crate) tag: u8,
    /// The content octets; for indefinite length, everything before the end-of-contents.
    pub(crate) content: &'a [u8],
    /// The whole encoding: identifier, length, content and end-of-contents.
    pub(crate) raw: &'a [u8],
    /// True when the length was indefinite.
    pub(crate) indefinite: bool,
}

impl Tlv<'_> {
    /// True for the constructed form.
    pub(crate) fn constructed(&self) -> bool {
        self.tag & CONSTRUCTED != 0
    }

    /// The tag with the constructed bit cleared.
    pub(crate) fn primitive_tag(&self) -> u8 {
        self.tag & !CONSTRUCTED
    }
}

/// Reads the identifier and length; returns (tag, header length, `Some(content length)` or
/// `None` for indefinite).
fn header(input: &[u8]) -> Result<(u8, usize, Option<usize>), BerError> {
    let (&tag, after_tag) = input.split_first().ok_or(BerError::Truncated)?;
    if tag & 0x1f == 0x1f {
        return Err(BerError::Invalid("high tag numbers are not supported"));
    }
    let (&first, after_len) = after_tag.split_first().ok_or(BerError::Truncated)?;
    if first < 0x80 {
        return Ok((tag, 2, Some(usize::from(first))));
    }
    if first == 0x80 {
        if tag & CONSTRUCTED == 0 {
            return Err(BerError::Invalid(
                "indefinite length on a primitive element",
            ));
        }
        return Ok((tag, 2, None));
    }
    let count = usize::from(first & 0x7f);
    if count > 8 || first == 0xff {
        return Err(BerError::Invalid("length of length too large"));
    }
    let len_bytes = after_len.get(..count).ok_or(BerError::Truncated)?;
    let mut len: u64 = 0;
    for &b in len_bytes {
        len = (len << 8) | u64::from(b);
    }
    let len = usize::try_from(len).map_err(|_| BerError::Truncated)?;
    Ok((tag, 2 + count, Some(len)))
}

/// Reads one TLV from the start of `input`; returns it and the rest.
pub(crate) fn read_tlv(input: &[u8], limits: BerLimits) -> Result<(Tlv<'_>, &[u8]), BerError> {
    read_tlv_at(input, limits, 0)
}

fn read_tlv_at(
    input: &[u8],
    limits: BerLimits,
    depth: usize,
) -> Result<(Tlv<'_>, &[u8]), BerError> {
    if depth > limits.max_depth {
        return Err(BerError::TooDeep(limits.max_depth));
    }
    let (tag, header_len, len) = header(input)?;
    let body = input.get(header_len..).ok_or(BerError::Truncated)?;
    match len {
        Some(len) => {
            let content = body.get(..len).ok_or(BerError::Truncated)?;
            let total = header_len.checked_add(len).ok_or(BerError::Truncated)?;
            let raw = input.get(..total).ok_or(BerError::Truncated)?;
            let rest = input.get(total..).ok_or(BerError::Truncated)?;
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
                    return Err(BerError::Invalid("malformed end-of-contents"));
                }
                let (_, rest) = read_tlv_at(cursor, limits, depth + 1)?;
                cursor = rest;
            }
            let content_len = body.len() - cursor.len();
            let content = body.get(..content_len).ok_or(BerError::Truncated)?;
            let total = header_len + content_len + 2;
            let raw = input.get(..total).ok_or(BerError::Truncated)?;
            let rest = input.get(total..).ok_or(BerError::Truncated)?;
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
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
    limits: BerLimits,
}

impl<'a> Reader<'a> {
    /// Starts reading at the beginning of `input`.
    pub(crate) fn new(input: &'a [u8], limits: BerLimits) -> Self {
        Reader {
            rest: input,
            limits,
        }
    }

    /// True when nothing is left.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The identifier octet of the next TLV, if any.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads the next TLV, whatever its tag.
    pub(crate) fn read_any(&mut self) -> Result<Tlv<'a>, BerError> {
        let (tlv, rest) = read_tlv(self.rest, self.limits)?;
        self.rest = rest;
        Ok(tlv)
    }

    /// Reads the next TLV, which must carry `tag` exactly.
    pub(crate) fn read(&mut self, tag: u8) -> Result<Tlv<'a>, BerError> {
        match self.peek_tag() {
            Some(t) if t == tag => self.read_any(),
            found => Err(BerError::UnexpectedTag {
                expected: tag,
                found,
            }),
        }
    }

    /// Reads the next TLV when it carries `tag`.
    pub(crate) fn read_optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, BerError> {
        if self.peek_tag() == Some(tag) {
            self.read_any().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Reads a constructed element with `tag` and returns a reader over its children.
    pub(crate) fn descend(&mut self, tag: u8) -> Result<Reader<'a>, BerError> {
        let tlv = self.read(tag)?;
        Ok(Reader::new(tlv.content, self.limits))
    }

    /// Reads an OBJECT IDENTIFIER's content octets.
    pub(crate) fn read_oid(&mut self) -> Result<&'a [u8], BerError> {
        Ok(self.read(TAG_OID)?.content)
    }

    /// Reads a non-negative INTEGER that fits in `u32`.
    pub(crate) fn read_small_uint(&mut self) -> Result<u32, BerError> {
        let content = self.read(TAG_INTEGER)?.content;
        if content.is_empty() || content.first().is_some_and(|b| b & 0x80 != 0) {
            return Err(BerError::Invalid("negative or empty INTEGER"));
        }
        let mut value: u64 = 0;
        for &b in content {
            value = (value << 8) | u64::from(b);
            if value > u64::from(u32::MAX) {
                return Err(BerError::Invalid("INTEGER too large"));
            }
        }
        u32::try_from(value).map_err(|_| BerError::Invalid("INTEGER too large"))
    }

    /// Reads an OCTET STRING (primitive or constructed) and reassembles its value.
    pub(crate) fn read_octets(&mut self) -> Result<Vec<u8>, BerError> {
        let tlv = self.read_any()?;
        if tlv.primitive_tag() != TAG_OCTET_STRING {
            return Err(BerError::UnexpectedTag {
                expected: TAG_OCTET_STRING,
                found: Some(tlv.tag),
            });
        }
        octets(&tlv, self.limits)
    }

    /// Fails unless every byte was consumed.
    pub(crate) fn finish(&self) -> Result<(), BerError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(BerError::TrailingData)
        }
    }
}

/// The value of a string-type element (OCTET STRING or an implicitly tagged one): the
/// content of a primitive encoding, or the concatenated segments of a constructed one, each
/// of which must be a primitive or constructed OCTET STRING (X.690 §8.7.3).
pub(crate) fn octets(tlv: &Tlv<'_>, limits: BerLimits) -> Result<Vec<u8>, BerError> {
    let mut out = Vec::new();
    append_octets(tlv, limits, 0, &mut out)?;
    Ok(out)
}

fn append_octets(
    tlv: &Tlv<'_>,
    limits: BerLimits,
    depth: usize,
    out: &mut Vec<u8>,
) -> Result<(), BerError> {
    if depth > limits.max_depth {
        return Err(BerError::TooDeep(limits.max_depth));
    }
    if !tlv.constructed() {
        if out.len().saturating_add(tlv.content.len()) > limits.max_size {
            return Err(BerError::TooLarge(limits.max_size));
        }
        out.extend_from_slice(tlv.content);
        return Ok(());
    }
    let mut reader = Reader::new(tlv.content, limits);
    while !reader.is_empty() {
        let segment = reader.read_any()?;
        if segment.primitive_tag() != TAG_OCTET_STRING {
            return Err(BerError::Invalid(
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
pub(crate) fn to_der(tlv: &Tlv<'_>, limits: BerLimits) -> Result<Vec<u8>, BerError> {
    if !needs_reencoding(tlv, limits, 0)? {
        return Ok(tlv.raw.to_vec());
    }
    let mut out = Vec::new();
    encode_der(tlv, limits, 0, &mut out)?;
    Ok(out)
}

/// True when some element at or below `tlv` is indefinite, uses a non-minimal length, or is
/// a constructed OCTET STRING.
fn needs_reencoding(tlv: &Tlv<'_>, limits: BerLimits, depth: usize) -> Result<bool, BerError> {
    if depth > limits.max_depth {
        return Err(BerError::TooDeep(limits.max_depth));
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

fn encode_der(
    tlv: &Tlv<'_>,
    limits: BerLimits,
    depth: usize,
    out: &mut Vec<u8>,
) -> Result<(), BerError> {
    if depth > limits.max_depth {
        return Err(BerError::TooDeep(limits.max_depth));
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
pub(crate) fn push_tlv(
    tag: u8,
    content: &[u8],
    limits: BerLimits,
    out: &mut Vec<u8>,
) -> Result<(), BerError> {
    let total = out
        .len()
        .saturating_add(content.len())
        .saturating_add(header_len_for(content.len()));
    if total > limits.max_size {
        return Err(BerError::TooLarge(limits.max_size));
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

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: BerLimits = BerLimits {
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
        assert_eq!(read_tlv(&[], LIMITS).err(), Some(BerError::Truncated));
        assert_eq!(
            read_tlv(&[0x04, 0x05, 1], LIMITS).err(),
            Some(BerError::Truncated)
        );
        assert!(matches!(
            read_tlv(&[0x04, 0x80, 0x00, 0x00], LIMITS),
            Err(BerError::Invalid(_))
        ));
        assert!(matches!(
            read_tlv(&[0x1f, 0x01, 0x00], LIMITS),
            Err(BerError::Invalid(_))
        ));
        assert_eq!(
            read_tlv(&[0x30, 0x80, 0x05, 0x00], LIMITS).err(),
            Some(BerError::Truncated)
        );
        assert_eq!(
            read_tlv(
                &[0x04, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
                LIMITS
            )
            .err(),
            Some(BerError::Truncated)
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
        let small = BerLimits {
            max_depth: 64,
            max_size: 2,
        };
        let (tlv, _) = read_tlv(&input, small).expect("ok");
        assert_eq!(octets(&tlv, small).err(), Some(BerError::TooLarge(2)));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut deep = Vec::new();
        for _ in 0..10_000 {
            deep.extend([0x30, 0x80]);
        }
        deep.extend(std::iter::repeat_n(0u8, 20_000));
        assert_eq!(read_tlv(&deep, LIMITS).err(), Some(BerError::TooDeep(64)));
    }
}
