//! Peer-name matching: does a certificate present the name the relying party expects?
//!
//! DNS names follow RFC 6125 as the Web PKI applies it: only subjectAltName dNSNames count
//! (never the subject CN), comparison is ASCII case-insensitive after dropping one trailing dot,
//! and a wildcard is accepted only as the whole left-most label of a presented name with at
//! least two labels after it (`*.example.com` matches `a.example.com`, not `example.com`,
//! `a.b.example.com` or anything via `*.com`). IP references compare octets against SAN
//! iPAddress entries of the same family. E-mail references compare the local part exactly and
//! the domain case-insensitively against SAN rfc822Names, or — only when the certificate has no
//! subjectAltName extension — against the subject's emailAddress attributes.

use crate::x509::name::{GeneralName, Name};
use std::fmt;
use std::net::IpAddr;

/// A reference identifier: the name the relying party expects the peer to hold.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PeerName {
    /// A DNS host name (normalised: lowercase, no trailing dot).
    Dns(String),
    /// An IPv4 or IPv6 address.
    Ip(IpAddr),
    /// An e-mail address `local@domain`.
    Email(String),
}

impl fmt::Display for PeerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeerName::Dns(s) => write!(f, "DNS:{s}"),
            PeerName::Ip(ip) => write!(f, "IP:{ip}"),
            PeerName::Email(s) => write!(f, "email:{s}"),
        }
    }
}

/// Why a peer name did not match.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PeerNameError {
    /// The certificate presents no identifier matching the reference.
    #[error("certificate does not match {expected} (presented: {})", presented.join(", "))]
    NoMatch {
        /// The reference identifier, rendered like `DNS:example.com`.
        expected: String,
        /// The certificate's identifiers of the same kind.
        presented: Vec<String>,
    },
    /// The reference identifier itself is not valid.
    #[error("invalid reference identifier {value:?}")]
    InvalidReference {
        /// The offending value (prefixed with its kind when the kind was unknown).
        value: String,
    },
}

/// Parses a reference identifier; `kind` is `"DNS"`, `"IP"` or `"RFC822"` (as in x509-limbo).
pub fn parse_peer_name(kind: &str, value: &str) -> Result<PeerName, PeerNameError> {
    let invalid = || PeerNameError::InvalidReference {
        value: value.to_owned(),
    };
    match kind {
        "DNS" => {
            let n = normalize_dns(value);
            // An address is not a DNS reference; IDNs must come as A-labels.
            if n.parse::<IpAddr>().is_ok() || !is_ldh_name(&n) {
                return Err(invalid());
            }
            Ok(PeerName::Dns(n))
        }
        "IP" => value
            .parse::<IpAddr>()
            .map(PeerName::Ip)
            .map_err(|_| invalid()),
        "RFC822" => {
            let (local, domain) = split_mailbox(value).ok_or_else(invalid)?;
            let local_ok = if local.starts_with('"') {
                local.len() >= 2 && local.ends_with('"')
            } else {
                !local.contains('@')
            };
            if local.is_empty()
                || !local_ok
                || !value.is_ascii()
                || !is_ldh_name(&normalize_dns(domain))
            {
                return Err(invalid());
            }
            Ok(PeerName::Email(value.to_owned()))
        }
        _ => Err(PeerNameError::InvalidReference {
            value: format!("{kind}:{value}"),
        }),
    }
}

/// Checks that the certificate (subject and subjectAltName) presents `expected`.
pub fn matches(
    expected: &PeerName,
    subject: &Name,
    san: Option<&[GeneralName]>,
) -> Result<(), PeerNameError> {
    let names = san.unwrap_or(&[]);
    let (found, presented): (bool, Vec<String>) = match expected {
        PeerName::Dns(reference) => {
            let reference = normalize_dns(reference);
            let presented: Vec<&String> = names
                .iter()
                .filter_map(|g| match g {
                    GeneralName::Dns(s) => Some(s),
                    _ => None,
                })
                .collect();
            (
                presented.iter().any(|p| dns_matches(p, &reference)),
                presented.iter().map(|p| format!("DNS:{p}")).collect(),
            )
        }
        PeerName::Ip(ip) => {
            let want: Vec<u8> = match ip {
                IpAddr::V4(a) => a.octets().to_vec(),
                IpAddr::V6(a) => a.octets().to_vec(),
            };
            let presented: Vec<&GeneralName> = names
                .iter()
                .filter(|g| matches!(g, GeneralName::Ip(_)))
                .collect();
            (
                presented
                    .iter()
                    .any(|g| matches!(g, GeneralName::Ip(b) if *b == want)),
                presented.iter().map(|g| g.to_string()).collect(),
            )
        }
        PeerName::Email(reference) => {
            let presented: Vec<String> = match san {
                Some(names) => names
                    .iter()
                    .filter_map(|g| match g {
                        GeneralName::Rfc822(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect(),
                None => subject.email_addresses(),
            };
            (
                presented.iter().any(|p| email_matches(p, reference)),
                presented.iter().map(|p| format!("email:{p}")).collect(),
            )
        }
    };
    if found {
        Ok(())
    } else {
        Err(PeerNameError::NoMatch {
            expected: expected.to_string(),
            presented,
        })
    }
}

/// Lowercases (ASCII) and drops one trailing dot.
fn normalize_dns(s: &str) -> String {
    s.strip_suffix('.').unwrap_or(s).to_ascii_lowercase()
}

/// Strict preferred name syntax: ASCII letters, digits and hyphens; labels of 1–63 octets not
/// starting or ending with a hyphen; at most 253 octets.
fn is_ldh_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// RFC 6125 §6.4 matching of one presented dNSName against a normalised reference.
fn dns_matches(presented: &str, reference: &str) -> bool {
    let presented = normalize_dns(presented);
    if let Some(base) = presented.strip_prefix("*.") {
        // Whole-label wildcard only, and not directly over a TLD (or the root).
        if !base.contains('.') || !is_ldh_name(base) {
            return false;
        }
        return reference
            .split_once('.')
            .is_some_and(|(first, rest)| !first.is_empty() && rest == base);
    }
    is_ldh_name(&presented) && presented == reference
}

/// Splits at the last `@` (a quoted local part may itself contain `@`).
fn split_mailbox(s: &str) -> Option<(&str, &str)> {
    s.rsplit_once('@')
}

/// Local part exact, domain ASCII case-insensitive (ignoring one trailing dot).
fn email_matches(presented: &str, reference: &str) -> bool {
    match (split_mailbox(presented), split_mailbox(reference)) {
        (Some((pl, pd)), Some((rl, rd))) => pl == rl && normalize_dns(pd) == normalize_dns(rd),
        _ => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::asn1::Oid;
    use crate::x509::name::{attribute_key, Attribute};

    fn dn(parts: &[(&str, &str)]) -> Name {
        let rdns = parts
            .iter()
            .map(|(oid, value)| {
                vec![Attribute {
                    oid: Oid::from_dotted(oid).unwrap(),
                    tag: 12,
                    raw: value.as_bytes().to_vec(),
                    key: attribute_key(12, value.as_bytes()),
                }]
            })
            .collect();
        Name::new(format!("{parts:?}").into_bytes(), rdns)
    }
    fn cn(v: &str) -> Name {
        dn(&[("2.5.4.3", v)])
    }
    fn dns(s: &str) -> GeneralName {
        GeneralName::Dns(s.into())
    }
    fn ip(s: &str) -> GeneralName {
        match s.parse::<IpAddr>().unwrap() {
            IpAddr::V4(a) => GeneralName::Ip(a.octets().to_vec()),
            IpAddr::V6(a) => GeneralName::Ip(a.octets().to_vec()),
        }
    }
    fn email(s: &str) -> GeneralName {
        GeneralName::Rfc822(s.into())
    }
    fn dns_ok(reference: &str, san: &[GeneralName]) -> bool {
        let r = parse_peer_name("DNS", reference).unwrap();
        matches(&r, &cn("ignored"), Some(san)).is_ok()
    }

    #[test]
    fn exact_dns_match_is_case_insensitive_with_trailing_dot() {
        assert!(dns_ok("example.com", &[dns("example.com")]));
        assert!(dns_ok("EXAMPLE.com", &[dns("example.COM")]));
        assert!(dns_ok("example.com.", &[dns("example.com")]));
        assert!(dns_ok("example.com", &[dns("example.com.")]));
        assert!(dns_ok(
            "b.test",
            &[dns("a.test"), ip("127.0.0.1"), dns("b.test")]
        ));
    }

    #[test]
    fn dns_mismatches() {
        // webpki::san::mismatch-*
        assert!(!dns_ok("example2.com", &[dns("example.com")]));
        assert!(!dns_ok("def.example.com", &[dns("abc.example.com")]));
        assert!(!dns_ok("abc.example.com", &[dns("example.com")]));
        assert!(!dns_ok("example.com", &[dns("abc.example.com")]));
        assert!(!dns_ok("example.com", &[]));
    }

    #[test]
    fn wildcards() {
        // webpki::san::leftmost-wildcard-san
        assert!(dns_ok("foo.example.com", &[dns("*.example.com")]));
        assert!(dns_ok("FOO.example.com", &[dns("*.EXAMPLE.com")]));
        // wildcard-match-across-labels-san and the apex
        assert!(!dns_ok("foo.bar.example.com", &[dns("*.example.com")]));
        assert!(!dns_ok("example.com", &[dns("*.example.com")]));
        // partial / embedded / non-left-most wildcards
        assert!(!dns_ok("baz.example.com", &[dns("ba*.example.com")]));
        assert!(!dns_ok("foo.example.com", &[dns("f*.example.com")]));
        assert!(!dns_ok("foo.bar.example.com", &[dns("foo.*.example.com")]));
        assert!(!dns_ok(
            "xn--bliss-1b3c148a.example.com",
            &[dns("xn--*-1b3c148a.example.com")]
        ));
        // bare `*` and wildcards directly over a single label (webpki::san::san-wildcard-only*,
        // public-suffix-wildcard-san)
        assert!(!dns_ok("example.com", &[dns("*")]));
        assert!(!dns_ok("com", &[dns("*")]));
        assert!(!dns_ok("example.com", &[dns("*.com")]));
        assert!(!dns_ok("test.localhost", &[dns("*.localhost")]));
        // A literal `*` in a reference is never valid.
        assert!(parse_peer_name("DNS", "*.example.com").is_err());
    }

    #[test]
    fn cn_is_never_used_for_dns() {
        // webpki::san::no-san and webpki::cn::*
        let r = parse_peer_name("DNS", "example.com").unwrap();
        assert_eq!(
            matches(&r, &cn("example.com"), None),
            Err(PeerNameError::NoMatch {
                expected: "DNS:example.com".into(),
                presented: vec![]
            })
        );
        let r = parse_peer_name("DNS", "notinsan.example.com").unwrap();
        assert!(matches(
            &r,
            &cn("notinsan.example.com"),
            Some(&[dns("valid.example.com")])
        )
        .is_err());
    }

    #[test]
    fn non_ascii_presented_names_do_not_match_a_labels() {
        // webpki::san::unicode-emoji-san
        assert!(!dns_ok("xn--628h.example.com", &[dns("😜.example.com")]));
    }

    #[test]
    fn dns_reference_syntax() {
        // rfc5280::san::underscore-dns: the reference itself is invalid.
        assert_eq!(
            parse_peer_name("DNS", "foo_bar.example.com"),
            Err(PeerNameError::InvalidReference {
                value: "foo_bar.example.com".into()
            })
        );
        for bad in [
            "",
            ".",
            ".example.com",
            "a..b",
            "-a.com",
            "a-.com",
            "ex ample.com",
            "例え.jp",
            "8.8.8.8",
        ] {
            assert!(parse_peer_name("DNS", bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            parse_peer_name("DNS", "Test.LOCALHOST."),
            Ok(PeerName::Dns("test.localhost".into()))
        );
        assert!(parse_peer_name("DNS", &"a".repeat(64)).is_err());
        assert!(parse_peer_name("DNS", &"a".repeat(63)).is_ok());
        assert!(parse_peer_name("URI", "x").is_err());
    }

    #[test]
    fn ip_matching_compares_octets_within_a_family() {
        let v4 = parse_peer_name("IP", "127.0.0.1").unwrap();
        assert_eq!(matches(&v4, &cn("x"), Some(&[ip("127.0.0.1")])), Ok(()));
        assert!(matches(&v4, &cn("x"), Some(&[ip("127.0.0.2")])).is_err());
        // IPv4 never matches a 16-octet SAN (mapped or not), and vice versa.
        assert!(matches(&v4, &cn("x"), Some(&[ip("::ffff:127.0.0.1")])).is_err());
        let mapped = parse_peer_name("IP", "::ffff:127.0.0.1").unwrap();
        assert!(matches(&mapped, &cn("x"), Some(&[ip("127.0.0.1")])).is_err());
        // An address written as a dNSName is not an iPAddress (rfc5280::san::ip-in-dns).
        let r = parse_peer_name("IP", "8.8.8.8").unwrap();
        assert_eq!(
            matches(&r, &cn("8.8.8.8"), Some(&[dns("8.8.8.8")])),
            Err(PeerNameError::NoMatch {
                expected: "IP:8.8.8.8".into(),
                presented: vec![]
            })
        );
        // IPv6 in any textual form.
        let v6 = parse_peer_name("IP", "2001:DB8:0:0:0:0:0:1").unwrap();
        assert_eq!(matches(&v6, &cn("x"), Some(&[ip("2001:db8::1")])), Ok(()));
        // A malformed SAN iPAddress does not match.
        assert!(matches(
            &v4,
            &cn("x"),
            Some(&[GeneralName::Ip(vec![127, 0, 0, 1, 0])])
        )
        .is_err());
        assert!(parse_peer_name("IP", "localhost").is_err());
        assert!(parse_peer_name("IP", "192.168.1.256").is_err());
    }

    #[test]
    fn email_matching() {
        let r = parse_peer_name("RFC822", "foo@example.com").unwrap();
        assert_eq!(
            matches(&r, &cn("x"), Some(&[email("foo@example.com")])),
            Ok(())
        );
        assert_eq!(
            matches(&r, &cn("x"), Some(&[email("foo@EXAMPLE.com")])),
            Ok(())
        );
        assert!(matches(&r, &cn("x"), Some(&[email("FOO@example.com")])).is_err());
        assert!(matches(&r, &cn("x"), Some(&[email("foo@sub.example.com")])).is_err());
        // Literal asterisks.
        let star = parse_peer_name("RFC822", "*@example.com").unwrap();
        assert_eq!(
            matches(&star, &cn("x"), Some(&[email("*@example.com")])),
            Ok(())
        );
        assert!(matches(&r, &cn("x"), Some(&[email("*@example.com")])).is_err());
        assert!(parse_peer_name("RFC822", "example.com").is_err());
        assert!(parse_peer_name("RFC822", "a@b@example.com").is_err());
        assert!(parse_peer_name("RFC822", "@example.com").is_err());
    }

    #[test]
    fn subject_email_address_only_without_san() {
        let subject = dn(&[
            ("2.5.4.3", "Alice"),
            ("1.2.840.113549.1.9.1", "alice@example.com"),
        ]);
        let r = parse_peer_name("RFC822", "alice@example.com").unwrap();
        assert_eq!(matches(&r, &subject, None), Ok(()));
        assert_eq!(
            matches(&r, &subject, Some(&[dns("example.com")])),
            Err(PeerNameError::NoMatch {
                expected: "email:alice@example.com".into(),
                presented: vec![]
            })
        );
    }

    #[test]
    fn no_match_lists_presented_names_of_that_kind() {
        let r = parse_peer_name("DNS", "c.test").unwrap();
        let e = matches(
            &r,
            &cn("x"),
            Some(&[dns("a.test"), ip("10.0.0.1"), dns("*.b.test")]),
        )
        .unwrap_err();
        assert_eq!(
            e,
            PeerNameError::NoMatch {
                expected: "DNS:c.test".into(),
                presented: vec!["DNS:a.test".into(), "DNS:*.b.test".into()]
            }
        );
        assert_eq!(
            e.to_string(),
            "certificate does not match DNS:c.test (presented: DNS:a.test, DNS:*.b.test)"
        );
    }
}
