//! Object identifiers as owned DER content bytes, with dotted-decimal rendering.

use std::fmt;

/// An OBJECT IDENTIFIER, stored as its DER content octets (no tag, no length).
///
/// Equality and hashing are on the encoded bytes, which DER makes canonical.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Oid(Vec<u8>);

impl Oid {
    /// Wraps DER content octets. Returns `None` when they are not a valid encoding
    /// (empty, a non-minimal arc, or a truncated final arc).
    pub fn from_der_content(bytes: &[u8]) -> Option<Oid> {
        if bytes.is_empty() {
            return None;
        }
        let mut start_of_arc = true;
        for &b in bytes {
            if start_of_arc && b == 0x80 {
                return None; // non-minimal encoding
            }
            start_of_arc = b & 0x80 == 0;
        }
        if !start_of_arc {
            return None; // last arc continues past the end
        }
        Some(Oid(bytes.to_vec()))
    }

    /// Parses dotted-decimal text such as `2.5.29.32.0`.
    pub fn from_dotted(text: &str) -> Option<Oid> {
        let mut arcs = Vec::new();
        for part in text.split('.') {
            if part.is_empty() || part.len() > 1 && part.starts_with('0') {
                return None;
            }
            arcs.push(part.parse::<u128>().ok()?);
        }
        let (first, second, rest) = match arcs.as_slice() {
            [a, b, rest @ ..] => (*a, *b, rest),
            _ => return None,
        };
        if first > 2 || (first < 2 && second >= 40) {
            return None;
        }
        let mut out = Vec::new();
        encode_arc(first * 40 + second, &mut out);
        for arc in rest {
            encode_arc(*arc, &mut out);
        }
        Some(Oid(out))
    }

    /// The DER content octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// True when `self` equals `prefix` or lies below it in the OID tree.
    pub fn starts_with(&self, prefix: &Oid) -> bool {
        self.0.len() >= prefix.0.len()
            && self.0.starts_with(&prefix.0)
            && (self.0.len() == prefix.0.len() || prefix.0.last().is_none_or(|b| b & 0x80 == 0))
    }
}

fn encode_arc(mut arc: u128, out: &mut Vec<u8>) {
    let mut tmp = [0u8; 19];
    let mut n = 0;
    loop {
        if let Some(slot) = tmp.get_mut(n) {
            *slot = (arc & 0x7f) as u8;
        }
        n += 1;
        arc >>= 7;
        if arc == 0 {
            break;
        }
    }
    for i in (0..n).rev() {
        let b = tmp.get(i).copied().unwrap_or(0);
        out.push(if i == 0 { b } else { b | 0x80 });
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        let mut acc: u128 = 0;
        for &b in &self.0 {
            acc = (acc << 7) | u128::from(b & 0x7f);
            if b & 0x80 == 0 {
                if first {
                    let (a, b2) = if acc < 40 {
                        (0, acc)
                    } else if acc < 80 {
                        (1, acc - 40)
                    } else {
                        (2, acc - 80)
                    };
                    write!(f, "{a}.{b2}")?;
                    first = false;
                } else {
                    write!(f, ".{acc}")?;
                }
                acc = 0;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oid({self})")
    }
}

/// Well-known OIDs used across the crate.
pub mod known {
    use super::Oid;
    use std::sync::LazyLock;

    macro_rules! oids {
        ($($name:ident = $text:literal;)*) => {
            $(
                #[doc = concat!("`", $text, "`")]
                pub static $name: LazyLock<Oid> =
                    LazyLock::new(|| Oid::from_dotted($text).unwrap_or_else(|| Oid(Vec::new())));
            )*
        };
    }

    oids! {
        ANY_POLICY = "2.5.29.32.0";
        ANY_EKU = "2.5.29.37.0";
        EXT_SUBJECT_KEY_ID = "2.5.29.14";
        EXT_KEY_USAGE = "2.5.29.15";
        EXT_SUBJECT_ALT_NAME = "2.5.29.17";
        EXT_ISSUER_ALT_NAME = "2.5.29.18";
        EXT_BASIC_CONSTRAINTS = "2.5.29.19";
        EXT_CRL_NUMBER = "2.5.29.20";
        EXT_REASON_CODE = "2.5.29.21";
        EXT_HOLD_INSTRUCTION = "2.5.29.23";
        EXT_INVALIDITY_DATE = "2.5.29.24";
        EXT_DELTA_CRL_INDICATOR = "2.5.29.27";
        EXT_ISSUING_DISTRIBUTION_POINT = "2.5.29.28";
        EXT_CERTIFICATE_ISSUER = "2.5.29.29";
        EXT_NAME_CONSTRAINTS = "2.5.29.30";
        EXT_CRL_DISTRIBUTION_POINTS = "2.5.29.31";
        EXT_CERTIFICATE_POLICIES = "2.5.29.32";
        EXT_POLICY_MAPPINGS = "2.5.29.33";
        EXT_AUTHORITY_KEY_ID = "2.5.29.35";
        EXT_POLICY_CONSTRAINTS = "2.5.29.36";
        EXT_EXT_KEY_USAGE = "2.5.29.37";
        EXT_FRESHEST_CRL = "2.5.29.46";
        EXT_INHIBIT_ANY_POLICY = "2.5.29.54";
        EXT_AUTHORITY_INFO_ACCESS = "1.3.6.1.5.5.7.1.1";
        EXT_SUBJECT_INFO_ACCESS = "1.3.6.1.5.5.7.1.11";
        AT_COMMON_NAME = "2.5.4.3";
        AT_ORGANIZATION = "2.5.4.10";
        AT_EMAIL_ADDRESS = "1.2.840.113549.1.9.1";
        MR_POLICY_ARC = "2.16.344.8.2.2008.810.2";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_round_trip() {
        for text in [
            "2.5.29.32.0",
            "1.2.156.10197.1.501",
            "2.16.344.8.2.2008.810.2",
            "1.2.840.113549.1.1.11",
        ] {
            let oid = Oid::from_dotted(text).expect("valid");
            assert_eq!(oid.to_string(), text);
        }
        assert_eq!(
            Oid::from_dotted("2.5.29.32.0").map(|o| o.as_bytes().to_vec()),
            Some(vec![0x55, 0x1d, 0x20, 0x00])
        );
        assert!(Oid::from_dotted("3.1").is_none());
        assert!(Oid::from_dotted("1.40").is_none());
        assert!(Oid::from_dotted("1.2.03").is_none());
        assert!(Oid::from_der_content(&[0x2a, 0x80, 0x01]).is_none());
        assert!(Oid::from_der_content(&[0x2a, 0x86]).is_none());
    }

    #[test]
    fn prefix_matches_whole_arcs_only() {
        let arc = Oid::from_dotted("2.16.344.8.2.2008.810.2").expect("valid");
        let real = Oid::from_dotted("2.16.344.8.2.2008.810.2.2018.1.1").expect("valid");
        let other = Oid::from_dotted("2.16.344.8.2.2008.810.20").expect("valid");
        assert!(real.starts_with(&arc));
        assert!(arc.starts_with(&arc));
        assert!(!other.starts_with(&arc));
    }
}
