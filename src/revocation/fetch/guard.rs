//! Which network addresses a fetch may connect to. A URL inside a certificate is chosen by
//! whoever made the certificate, so a verifier that fetches must not become a proxy into its
//! own network: every address a host name resolves to (and every redirect hop) is checked,
//! and loopback, private, link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254
//! included), carrier-grade NAT, unique-local, multicast, documentation and reserved ranges
//! are refused unless [`FetchConfig::allow_internal`](super::FetchConfig::allow_internal)
//! names the host, the address or a range holding it. IPv4 addresses carried inside IPv6
//! ones (IPv4-mapped, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged as the IPv4
//! address they reach.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why an address is internal: the range that holds it (names from the IANA special-purpose
/// registries, RFC 6890).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Internal {
    /// 0.0.0.0/8, `::` — "this network", unspecified.
    Unspecified,
    /// 127.0.0.0/8, `::1`.
    Loopback,
    /// 10/8, 172.16/12, 192.168/16 (RFC 1918).
    Private,
    /// 100.64.0.0/10 (RFC 6598; Alibaba Cloud's metadata service is 100.100.100.200).
    SharedAddressSpace,
    /// 169.254.0.0/16, fe80::/10 (the cloud metadata address 169.254.169.254 is here).
    LinkLocal,
    /// fc00::/7 (AWS's IPv6 metadata address fd00:ec2::254 is here), deprecated fec0::/10.
    UniqueLocal,
    /// 224.0.0.0/4, ff00::/8.
    Multicast,
    /// 192.0.0.0/24, 192.0.2.0/24, 198.18.0.0/15, 198.51.100.0/24, 203.0.113.0/24,
    /// 240.0.0.0/4, 255.255.255.255, 100::/64, 2001:db8::/32: protocol assignments,
    /// documentation, benchmarking and reserved space, never a public server.
    Reserved,
}

impl Internal {
    /// The range in words.
    pub fn as_str(self) -> &'static str {
        match self {
            Internal::Unspecified => "an unspecified address",
            Internal::Loopback => "a loopback address",
            Internal::Private => "a private address (RFC 1918)",
            Internal::SharedAddressSpace => "a carrier-grade NAT address (RFC 6598)",
            Internal::LinkLocal => "a link-local address (cloud metadata lives here)",
            Internal::UniqueLocal => "a unique-local IPv6 address",
            Internal::Multicast => "a multicast address",
            Internal::Reserved => "a reserved or documentation address",
        }
    }
}

/// The range that makes `ip` internal, or `None` for a public address.
pub fn classify(ip: IpAddr) -> Option<Internal> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => match embedded_v4(v6) {
            Some(v4) => classify_v4(v4),
            None => classify_v6(v6),
        },
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<Internal> {
    let [a, b, c, _] = ip.octets();
    let class = match (a, b, c) {
        (0, _, _) => Internal::Unspecified,
        (127, _, _) => Internal::Loopback,
        (10, _, _) | (192, 168, _) => Internal::Private,
        (172, 16..=31, _) => Internal::Private,
        (100, 64..=127, _) => Internal::SharedAddressSpace,
        (169, 254, _) => Internal::LinkLocal,
        (224..=239, _, _) => Internal::Multicast,
        (240..=255, _, _) => Internal::Reserved,
        (192, 0, 0) | (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => Internal::Reserved,
        (198, 18..=19, _) => Internal::Reserved,
        _ => return None,
    };
    Some(class)
}

fn classify_v6(ip: Ipv6Addr) -> Option<Internal> {
    let s = ip.segments();
    let first = s.first().copied().unwrap_or(0);
    if ip.is_unspecified() {
        Some(Internal::Unspecified)
    } else if ip.is_loopback() {
        Some(Internal::Loopback)
    } else if s.get(..6) == Some(&[0u16; 6][..]) {
        // The rest of ::/96 (IPv4-compatible forms of 0.0.0.0/16) reaches nothing public.
        Some(Internal::Reserved)
    } else if first & 0xffc0 == 0xfe80 {
        Some(Internal::LinkLocal)
    } else if first & 0xfe00 == 0xfc00 || first & 0xffc0 == 0xfec0 {
        Some(Internal::UniqueLocal)
    } else if first & 0xff00 == 0xff00 {
        Some(Internal::Multicast)
    } else if (first == 0x2001 && s.get(1) == Some(&0x0db8))
        || s.get(..4) == Some(&[0x0100, 0, 0, 0][..])
    {
        Some(Internal::Reserved)
    } else {
        None
    }
}

/// The IPv4 address an IPv6 address reaches, when it carries one: IPv4-mapped
/// `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d` (deprecated, not `::` or `::1`), NAT64
/// `64:ff9b::a.b.c.d` and 6to4 `2002:aabb:ccdd::`.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    let o = ip.octets();
    let tail = |from: usize| -> Option<Ipv4Addr> {
        let b: [u8; 4] = o.get(from..from + 4)?.try_into().ok()?;
        Some(Ipv4Addr::from(b))
    };
    let s = ip.segments();
    match s {
        [0, 0, 0, 0, 0, 0, hi, _] if hi != 0 => tail(12),
        [0x0064, 0xff9b, 0, 0, 0, 0, _, _] => tail(12),
        [0x2002, ..] => tail(2),
        _ => None,
    }
}

/// One entry of the allow-list.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Entry {
    /// A host name, matched exactly (ASCII case-insensitive) against the URL's host.
    Host(String),
    /// An address range (a single address is a /32 or /128).
    Range { base: IpAddr, prefix: u8 },
}

/// The parsed `allow_internal` list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllowList {
    entries: Vec<Entry>,
}

/// An `allow_internal` entry that is neither a host name, an address nor a range.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("FetchConfig::allow_internal: {entry:?} is not a host name, an IP address or a CIDR range ({why})")]
pub struct BadEntry {
    /// The entry as given.
    pub entry: String,
    /// What is wrong with it.
    pub why: &'static str,
}

impl AllowList {
    /// Parses entries: `host.example`, `10.1.2.3`, `10.0.0.0/8`, `fd00::/8`, `[::1]`.
    pub fn parse(entries: &[String]) -> Result<AllowList, BadEntry> {
        let mut out = Vec::with_capacity(entries.len());
        for raw in entries {
            out.push(parse_entry(raw)?);
        }
        Ok(AllowList { entries: out })
    }

    /// Whether connections to `host` may go to internal addresses (the host is named).
    pub fn allows_host(&self, host: &str) -> bool {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        self.entries
            .iter()
            .any(|e| matches!(e, Entry::Host(h) if h.eq_ignore_ascii_case(host)))
    }

    /// Whether `ip` is inside an allowed range.
    pub fn allows_address(&self, ip: IpAddr) -> bool {
        self.entries.iter().any(|e| match e {
            Entry::Range { base, prefix } => in_range(ip, *base, *prefix),
            Entry::Host(_) => false,
        })
    }
}

fn parse_entry(raw: &str) -> Result<Entry, BadEntry> {
    let bad = |why| BadEntry {
        entry: raw.to_owned(),
        why,
    };
    let s = raw.trim();
    if s.is_empty() {
        return Err(bad("empty"));
    }
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let addr = addr.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = addr.parse::<IpAddr>() {
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => match p.parse::<u8>() {
                Ok(n) if n <= max => n,
                _ => {
                    return Err(bad(
                        "the prefix length is not a number within the address size",
                    ))
                }
            },
        };
        return Ok(Entry::Range { base: ip, prefix });
    }
    if prefix.is_some() {
        return Err(bad("a range needs an IP address before the '/'"));
    }
    if crate::x509::name::is_host_syntax(s) {
        Ok(Entry::Host(s.to_ascii_lowercase()))
    } else {
        Err(bad("a host name has letters, digits, '-' and '.' only"))
    }
}

fn in_range(ip: IpAddr, base: IpAddr, prefix: u8) -> bool {
    let (ip, base, bits) = match (ip, base) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (u128::from(u32::from(a)), u128::from(u32::from(b)), 32),
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b), 128),
        // An IPv4 range also covers the IPv6 forms that reach those addresses.
        (IpAddr::V6(a), IpAddr::V4(_)) => match embedded_v4(a) {
            Some(v4) => return in_range(IpAddr::V4(v4), base, prefix),
            None => return false,
        },
        (IpAddr::V4(_), IpAddr::V6(_)) => return false,
    };
    let shift = bits - u32::from(prefix);
    if shift >= bits {
        return true;
    }
    (ip >> shift) == (base >> shift)
}

/// A refused connection: the host, the address it resolved to and the range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// The host of the URL (or redirect hop).
    pub host: String,
    /// The address refused.
    pub address: IpAddr,
    /// Why it is internal.
    pub range: Internal,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bare = self.host.trim_start_matches('[').trim_end_matches(']');
        if bare == self.address.to_string() {
            write!(f, "{} is {}", self.address, self.range.as_str())?;
        } else {
            write!(
                f,
                "{} resolves to {}, {}",
                self.host,
                self.address,
                self.range.as_str()
            )?;
        }
        f.write_str(
            "; internal addresses are not fetched unless FetchConfig::allow_internal names them",
        )
    }
}

impl std::error::Error for Refused {}

/// Keeps the addresses a connection to `host` may use; `Err` names the first refused one
/// when none is left.
pub fn permitted(
    host: &str,
    resolved: &[IpAddr],
    allow: &AllowList,
) -> Result<Vec<IpAddr>, Refused> {
    if allow.allows_host(host) {
        return Ok(resolved.to_vec());
    }
    let mut first_refused = None;
    let mut kept = Vec::with_capacity(resolved.len());
    for &ip in resolved {
        match classify(ip) {
            Some(range) if !allow.allows_address(ip) => {
                first_refused.get_or_insert(Refused {
                    host: host.to_owned(),
                    address: ip,
                    range,
                });
            }
            _ => kept.push(ip),
        }
    }
    match (kept.is_empty(), first_refused) {
        (true, Some(r)) => Err(r),
        _ => Ok(kept),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    // Expected ranges from the IANA IPv4 / IPv6 special-purpose address registries.
    #[test]
    fn internal_addresses_are_classified() {
        let cases = [
            ("0.0.0.0", Internal::Unspecified),
            ("127.0.0.1", Internal::Loopback),
            ("127.255.0.9", Internal::Loopback),
            ("10.0.0.1", Internal::Private),
            ("172.16.0.1", Internal::Private),
            ("172.31.255.255", Internal::Private),
            ("192.168.1.1", Internal::Private),
            ("100.64.0.1", Internal::SharedAddressSpace),
            ("100.100.100.200", Internal::SharedAddressSpace),
            ("169.254.169.254", Internal::LinkLocal),
            ("224.0.0.1", Internal::Multicast),
            ("255.255.255.255", Internal::Reserved),
            ("192.0.2.10", Internal::Reserved),
            ("198.18.0.1", Internal::Reserved),
            ("::", Internal::Unspecified),
            ("::1", Internal::Loopback),
            ("fe80::1", Internal::LinkLocal),
            ("fd00:ec2::254", Internal::UniqueLocal),
            ("fc00::1", Internal::UniqueLocal),
            ("ff02::1", Internal::Multicast),
            ("2001:db8::1", Internal::Reserved),
            ("::ffff:127.0.0.1", Internal::Loopback),
            ("::ffff:169.254.169.254", Internal::LinkLocal),
            ("64:ff9b::a9fe:a9fe", Internal::LinkLocal),
            ("2002:0a00:0001::1", Internal::Private),
            ("::10.0.0.1", Internal::Private),
            ("::101", Internal::Reserved),
        ];
        for (a, want) in cases {
            assert_eq!(classify(ip(a)), Some(want), "{a}");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for a in [
            "8.8.8.8",
            "172.15.255.255",
            "172.32.0.1",
            "100.63.255.255",
            "100.128.0.1",
            "169.253.1.1",
            "198.20.0.1",
            "223.255.255.255",
            "203.0.114.1",
            "2001:4860:4860::8888",
            "2400:cb00::1",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert_eq!(classify(ip(a)), None, "{a}");
        }
    }

    #[test]
    fn allow_list_entries() {
        let list = AllowList::parse(&[
            "ocsp.internal.example".into(),
            "10.1.0.0/16".into(),
            "127.0.0.1".into(),
            "[fd00::]/8".into(),
        ])
        .unwrap();
        assert!(list.allows_host("OCSP.internal.example"));
        assert!(!list.allows_host("internal.example"));
        assert!(list.allows_address(ip("10.1.200.3")));
        assert!(!list.allows_address(ip("10.2.0.1")));
        assert!(list.allows_address(ip("127.0.0.1")));
        assert!(!list.allows_address(ip("127.0.0.2")));
        assert!(list.allows_address(ip("::ffff:127.0.0.1")));
        assert!(list.allows_address(ip("fd12::1")));
        assert!(!list.allows_address(ip("fc00::1")));
        for bad in [
            "",
            "10.0.0.0/33",
            "::/129",
            "host/8",
            "a b",
            "x..y",
            "10.0.0.0/x",
        ] {
            assert!(AllowList::parse(&[bad.to_string()]).is_err(), "{bad:?}");
        }
        let all = AllowList::parse(&["0.0.0.0/0".into()]).unwrap();
        assert!(all.allows_address(ip("192.168.0.1")));
    }

    #[test]
    fn permitted_keeps_public_and_names_the_refused() {
        let none = AllowList::default();
        let r = permitted("evil.example", &[ip("169.254.169.254")], &none).unwrap_err();
        assert_eq!(r.address, ip("169.254.169.254"));
        assert_eq!(r.range, Internal::LinkLocal);
        // A name resolving to a public and an internal address connects to the public one only.
        let kept = permitted("mixed.example", &[ip("10.0.0.1"), ip("8.8.4.4")], &none).unwrap();
        assert_eq!(kept, vec![ip("8.8.4.4")]);
        let named = AllowList::parse(&["intranet".into()]).unwrap();
        assert_eq!(
            permitted("intranet", &[ip("10.0.0.1")], &named).unwrap(),
            vec![ip("10.0.0.1")]
        );
    }
}
