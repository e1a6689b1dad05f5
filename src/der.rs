//! A tiny, strict, bounded DER reader for the few structures the crate decodes itself:
//! distribution points, RSAPublicKey, RSASSA-PSS-params, Dss-Parms, DSA public keys, and Ecdsa-Sig-Value /
//! Dss-Sig-Value / SM2 signatures.
//!
//! Only low-tag-number, definite-length, minimally encoded TLVs are accepted, and every
//! length is checked against the remaining input, so no input can make it read out of bounds
//! or recurse (it never recurses: callers descend one level at a time).

/// Universal INTEGER.
pub(crate) const TAG_INTEGER: u8 = 0x02;
/// Universal NULL.
pub(crate) const TAG_NULL: u8 = 0x05;
/// Universal OBJECT IDENTIFIER.
pub(crate) const TAG_OID: u8 = 0x06;
/// Universal SEQUENCE (constructed).
pub(crate) const TAG_SEQUENCE: u8 = 0x30;

/// The complete DER encoding of NULL.
pub(crate) const NULL_DER: &[u8] = &[TAG_NULL, 0x00];

/// Why some DER did not decode; callers add the context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DerError {
    /// Input ended inside a TLV.
    Truncated,
    /// A tag, length or value is not valid DER.
    Invalid,
    /// A different tag was found than the one expected.
    UnexpectedTag,
    /// Bytes were left over after the last expected element.
    TrailingData,
}

impl std::fmt::Display for DerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DerError::Truncated => "truncated DER",
            DerError::Invalid => "invalid DER",
            DerError::UnexpectedTag => "unexpected DER tag",
            DerError::TrailingData => "trailing data after DER value",
        })
    }
}

/// A cursor over a sequence of DER TLVs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Starts reading at the beginning of `input`.
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Reader { rest: input }
    }

    /// True when nothing is left.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The identifier octet of the next TLV, if any.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads the next TLV, whatever its tag; returns (tag, content, whole TLV).
    pub(crate) fn read_tlv(&mut self) -> Result<(u8, &'a [u8], &'a [u8]), DerError> {
        let start = self.rest;
        let tag = self.peek_tag().ok_or(DerError::Truncated)?;
        let content = self.read_any()?;
        let used = start.len() - self.rest.len();
        Ok((tag, content, start.get(..used).unwrap_or_default()))
    }

    /// Reads the next TLV, whatever its tag; returns its content.
    fn read_any(&mut self) -> Result<&'a [u8], DerError> {
        let (&tag, after_tag) = self.rest.split_first().ok_or(DerError::Truncated)?;
        if tag & 0x1f == 0x1f {
            return Err(DerError::Invalid); // high tag numbers are never needed here
        }
        let (&first, mut after_len) = after_tag.split_first().ok_or(DerError::Truncated)?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 {
                return Err(DerError::Invalid); // indefinite length, or absurdly long
            }
            let (len_bytes, rest) = after_len
                .split_at_checked(count)
                .ok_or(DerError::Truncated)?;
            after_len = rest;
            if len_bytes.first() == Some(&0) {
                return Err(DerError::Invalid); // leading zero: not minimal
            }
            let len = len_bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            if len < 0x80 {
                return Err(DerError::Invalid); // should have used the short form
            }
            len
        };
        let (content, rest) = after_len.split_at_checked(len).ok_or(DerError::Truncated)?;
        self.rest = rest;
        Ok(content)
    }

    /// Reads the next TLV, which must carry `tag`; returns its content.
    pub(crate) fn read(&mut self, tag: u8) -> Result<&'a [u8], DerError> {
        if self.peek_tag() != Some(tag) {
            return Err(if self.is_empty() {
                DerError::Truncated
            } else {
                DerError::UnexpectedTag
            });
        }
        self.read_any()
    }

    /// Reads a non-negative INTEGER and returns its magnitude without leading zero octets
    /// (empty for zero).
    pub(crate) fn read_unsigned(&mut self) -> Result<&'a [u8], DerError> {
        unsigned_magnitude(self.read(TAG_INTEGER)?)
    }

    /// Fails unless every byte was consumed.
    pub(crate) fn finish(&self) -> Result<(), DerError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(DerError::TrailingData)
        }
    }
}

/// Decodes exactly one TLV with `tag` spanning all of `input`; returns its content.
pub(crate) fn single(input: &[u8], tag: u8) -> Result<&[u8], DerError> {
    let mut reader = Reader::new(input);
    let content = reader.read(tag)?;
    reader.finish()?;
    Ok(content)
}

/// Checks INTEGER content octets for minimal encoding and a non-negative value; returns the
/// magnitude with leading zero octets removed.
pub(crate) fn unsigned_magnitude(content: &[u8]) -> Result<&[u8], DerError> {
    match content {
        [] => Err(DerError::Invalid),
        [first, ..] if first & 0x80 != 0 => Err(DerError::Invalid), // negative
        [0x00, second, ..] if second & 0x80 == 0 => Err(DerError::Invalid), // not minimal
        [0x00, rest @ ..] => Ok(rest),
        _ => Ok(content),
    }
}

/// Decodes `SEQUENCE { r INTEGER, s INTEGER }` (Ecdsa-Sig-Value, Dss-Sig-Value, SM2) into the
/// two magnitudes; both must be positive.
pub(crate) fn two_integers(signature: &[u8]) -> Result<(&[u8], &[u8]), DerError> {
    let mut seq = Reader::new(single(signature, TAG_SEQUENCE)?);
    let r = seq.read_unsigned()?;
    let s = seq.read_unsigned()?;
    seq.finish()?;
    if r.is_empty() || s.is_empty() {
        return Err(DerError::Invalid);
    }
    Ok((r, s))
}

/// Number of significant bits in a big-endian magnitude without leading zero octets.
pub(crate) fn bit_length(magnitude: &[u8]) -> u32 {
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

    #[test]
    fn lengths_must_be_minimal_and_bounded() {
        assert!(Reader::new(&[0x02, 0x01, 0x05]).read(TAG_INTEGER).is_ok());
        assert_eq!(
            Reader::new(&[0x02, 0x81, 0x01, 0x05]).read_any().err(),
            Some(DerError::Invalid)
        );
        assert_eq!(
            Reader::new(&[0x02, 0x80, 0x05, 0x00, 0x00])
                .read_any()
                .err(),
            Some(DerError::Invalid)
        );
        assert_eq!(
            Reader::new(&[0x02, 0x05, 0x05]).read_any().err(),
            Some(DerError::Truncated)
        );
        assert_eq!(
            Reader::new(&[0x02, 0x84, 0xff, 0xff, 0xff, 0xff])
                .read_any()
                .err(),
            Some(DerError::Truncated)
        );
        assert_eq!(
            Reader::new(&[0x1f, 0x01, 0x00]).read_any().err(),
            Some(DerError::Invalid)
        );
        assert_eq!(
            single(&[0x05, 0x00, 0x00], TAG_NULL).err(),
            Some(DerError::TrailingData)
        );
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([0u8; 0x80]);
        assert_eq!(single(&long, 0x04).map(<[u8]>::len), Ok(0x80));
    }

    #[test]
    fn integers_are_strict() {
        assert_eq!(unsigned_magnitude(&[0x00]), Ok(&[][..]));
        assert_eq!(unsigned_magnitude(&[0x00, 0x80]), Ok(&[0x80][..]));
        assert_eq!(unsigned_magnitude(&[0x00, 0x7f]), Err(DerError::Invalid));
        assert_eq!(unsigned_magnitude(&[0x80]), Err(DerError::Invalid));
        assert_eq!(unsigned_magnitude(&[]), Err(DerError::Invalid));
        assert_eq!(bit_length(&[0x01, 0x00]), 9);
        assert_eq!(bit_length(&[0x80]), 8);
        assert_eq!(bit_length(&[]), 0);
    }

    #[test]
    fn signature_pairs() {
        assert_eq!(
            two_integers(&[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02]),
            Ok((&[1u8][..], &[2u8][..]))
        );
        assert!(two_integers(&[0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x02]).is_err());
        assert!(two_integers(&[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01]).is_err());
        assert!(two_integers(&[0x30, 0x03, 0x02, 0x01, 0x01, 0x00]).is_err());
    }
}
