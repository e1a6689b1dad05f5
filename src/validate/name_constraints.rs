//! Name constraints (RFC 5280 §4.2.1.10, §6.1.3 (b)(c), §6.1.4 (g)): checks the names of one
//! certificate — subject DN, the DN's emailAddress attributes and the subjectAltName entries —
//! against the nameConstraints extension of one issuing CA above it in the path.
//!
//! The caller applies every CA's extension separately to each later certificate, which is
//! equivalent to intersecting the permitted subtrees and uniting the excluded ones.
//!
//! Semantics in brief (see the tests for the cases pinned down against x509-limbo):
//! - dNSName `example.com` covers `example.com` and every name below it (label boundary);
//!   the empty constraint covers everything. A constraint with a leading dot or a `*`
//!   is malformed (RFC 5280 allows neither; x509-limbo expects rejection).
//! - A wildcard SAN `*.D` is permitted only when `D` itself lies in a permitted subtree,
//!   and excluded when any name it could match (`x.D`) lies in an excluded subtree.
//! - rfc822Name: a mailbox (exact local part, host case-insensitive), a host (every mailbox
//!   at exactly that host) or `.domain` (mailboxes at hosts strictly below the domain).
//!   The subject's emailAddress attributes are checked like SAN rfc822Names.
//! - URI constraints apply to the URI's host (`host` exact, `.domain` strictly below);
//!   a URI without a host, or with an IP-literal host, never satisfies a permitted URI
//!   constraint.
//! - iPAddress: address||mask of 8 or 32 octets with a contiguous mask; families must agree,
//!   except that an IPv4-mapped IPv6 name is also tested against excluded IPv4 ranges.
//! - otherName, x400Address, ediPartyName and registeredID constraints cannot be evaluated:
//!   when the certificate carries a name of such a constrained form, the check fails.
//! - Constraints and names of a form are only parsed when that form is in play (the
//!   certificate has such a name and the extension constrains the form), so a malformed
//!   constraint only fails certificates it would have to be applied to.

use crate::x509::name::{GeneralName, Name};
use std::net::{Ipv4Addr, Ipv6Addr};

pub use crate::x509::ext::NameConstraints;

/// Why a certificate's names violate (or cannot be checked against) a nameConstraints extension.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NameConstraintError {
    /// A name lies outside every permitted subtree of its form.
    #[error("name {name} is not within any permitted subtree")]
    NotPermitted {
        /// The offending name, rendered like `DNS:foo.example.com` or `DirName:CN=foo`.
        name: String,
    },
    /// A name lies within an excluded subtree.
    #[error("name {name} is within the excluded subtree {constraint}")]
    Excluded {
        /// The offending name.
        name: String,
        /// The excluded subtree it falls in.
        constraint: String,
    },
    /// A constraint of a form that cannot be evaluated applies to a name the certificate has.
    #[error("cannot evaluate {form} name constraints against a certificate carrying a {form}")]
    Unsupported {
        /// The name form, e.g. `otherName`.
        form: &'static str,
    },
    /// A constraint, or a certificate name of a constrained form, is syntactically invalid.
    #[error("malformed {what}")]
    Malformed {
        /// What was malformed, with the value.
        what: String,
    },
    /// The path-wide budget of name×constraint comparisons ran out.
    #[error("name-constraint comparison budget exhausted (Limits::max_name_constraint_checks; {limit} comparisons were left for this check)")]
    BudgetExceeded {
        /// The budget that was left when this check started.
        limit: u64,
    },
}

type NcResult<T> = Result<T, NameConstraintError>;

/// Checks the names of one certificate (subject DN, the emailAddress attributes of the subject
/// DN, and the subjectAltName entries) against one NameConstraints extension from an issuing CA
/// above it.
///
/// `budget` counts name×constraint comparisons across the whole path; each comparison takes one
/// unit, and `BudgetExceeded` (carrying the budget left when this call started) is returned
/// when it would go below zero.
pub fn check(
    subject: &Name,
    san: Option<&[GeneralName]>,
    nc: &NameConstraints,
    budget: &mut u64,
) -> Result<(), NameConstraintError> {
    let san = san.unwrap_or(&[]);
    let permitted = nc.permitted.as_deref().unwrap_or(&[]);
    let excluded = nc.excluded.as_deref().unwrap_or(&[]);
    if subject.is_empty() && san.is_empty() {
        return Ok(());
    }
    let mut meter = Meter {
        limit: *budget,
        budget,
    };

    check_other_forms(san, permitted, excluded)?;

    // directoryName: the subject (when non-empty) and every SAN directoryName.
    let mut dirs: Vec<&Name> = Vec::new();
    if !subject.is_empty() {
        dirs.push(subject);
    }
    dirs.extend(san.iter().filter_map(|g| match g {
        GeneralName::Directory(n) => Some(n),
        _ => None,
    }));
    check_form(&dirs, permitted, excluded, &mut meter, &DirectoryForm)?;

    // rfc822Name: SAN entries and the subject's emailAddress attributes.
    let mut emails: Vec<String> = san
        .iter()
        .filter_map(|g| match g {
            GeneralName::Rfc822(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    emails.extend(subject.email_addresses());
    let emails: Vec<&String> = emails.iter().collect();
    check_form(&emails, permitted, excluded, &mut meter, &EmailForm)?;

    let dns: Vec<&String> = san
        .iter()
        .filter_map(|g| match g {
            GeneralName::Dns(s) => Some(s),
            _ => None,
        })
        .collect();
    check_form(&dns, permitted, excluded, &mut meter, &DnsForm)?;

    let uris: Vec<&String> = san
        .iter()
        .filter_map(|g| match g {
            GeneralName::Uri(s) => Some(s),
            _ => None,
        })
        .collect();
    check_form(&uris, permitted, excluded, &mut meter, &UriForm)?;

    let ips: Vec<&Vec<u8>> = san
        .iter()
        .filter_map(|g| match g {
            GeneralName::Ip(b) => Some(b),
            _ => None,
        })
        .collect();
    check_form(&ips, permitted, excluded, &mut meter, &IpForm)?;

    Ok(())
}

/// Counts comparisons against the path-wide budget.
struct Meter<'a> {
    budget: &'a mut u64,
    limit: u64,
}

impl Meter<'_> {
    fn tick(&mut self) -> NcResult<()> {
        match self.budget.checked_sub(1) {
            Some(left) => {
                *self.budget = left;
                Ok(())
            }
            None => Err(NameConstraintError::BudgetExceeded { limit: self.limit }),
        }
    }
}

/// One name form: how to pick its constraints, parse names and constraints, and match them.
trait Form {
    /// The raw name as held by the certificate.
    type Raw: ?Sized;
    /// A parsed certificate name.
    type Name;
    /// A parsed constraint.
    type Constraint;

    /// The constraint's payload, when it is of this form.
    fn select(g: &GeneralName) -> Option<&Self::Raw>;
    /// Parses a constraint; `Err` describes why it is malformed.
    fn parse_constraint(&self, raw: &Self::Raw) -> NcResult<Self::Constraint>;
    /// Parses a certificate name; `Err` describes why it is malformed.
    fn parse_name(&self, raw: &Self::Raw) -> NcResult<Self::Name>;
    /// Renders a certificate name for error messages.
    fn render(&self, raw: &Self::Raw) -> String;
    /// True when the name lies wholly within the constraint's subtree.
    fn permits(&self, name: &Self::Name, c: &Self::Constraint) -> bool;
    /// True when the name could denote something within the constraint's subtree.
    fn excludes(&self, name: &Self::Name, c: &Self::Constraint) -> bool;
}

/// Applies the constraints of one form to the certificate's names of that form.
fn check_form<'c, F: Form>(
    names: &[&F::Raw],
    permitted: &'c [GeneralName],
    excluded: &'c [GeneralName],
    meter: &mut Meter<'_>,
    form: &F,
) -> NcResult<()> {
    if names.is_empty() {
        return Ok(());
    }
    let parse_all = |list: &'c [GeneralName]| -> NcResult<Vec<(&'c GeneralName, F::Constraint)>> {
        list.iter()
            .filter_map(|g| F::select(g).map(|raw| (g, raw)))
            .map(|(g, raw)| Ok((g, form.parse_constraint(raw)?)))
            .collect()
    };
    let permitted = parse_all(permitted)?;
    let excluded = parse_all(excluded)?;
    if permitted.is_empty() && excluded.is_empty() {
        return Ok(());
    }
    for raw in names {
        let name = form.parse_name(raw)?;
        for (shown, c) in &excluded {
            meter.tick()?;
            if form.excludes(&name, c) {
                return Err(NameConstraintError::Excluded {
                    name: form.render(raw),
                    constraint: render_constraint(shown),
                });
            }
        }
        if !permitted.is_empty() {
            let mut ok = false;
            for (_, c) in &permitted {
                meter.tick()?;
                if form.permits(&name, c) {
                    ok = true;
                    break;
                }
            }
            if !ok {
                return Err(NameConstraintError::NotPermitted {
                    name: form.render(raw),
                });
            }
        }
    }
    Ok(())
}

/// Renders a constraint for error messages (IP ranges in CIDR form).
fn render_constraint(g: &GeneralName) -> String {
    match g {
        GeneralName::Ip(b) => match parse_ip_constraint(b) {
            Ok(IpNet::V4 { addr, mask }) => {
                format!("IP:{}/{}", Ipv4Addr::from(addr & mask), mask.leading_ones())
            }
            Ok(IpNet::V6 { addr, mask }) => {
                format!("IP:{}/{}", Ipv6Addr::from(addr & mask), mask.leading_ones())
            }
            Err(_) => g.to_string(),
        },
        _ => g.to_string(),
    }
}

fn malformed(what: impl Into<String>) -> NameConstraintError {
    NameConstraintError::Malformed { what: what.into() }
}

// ---------------------------------------------------------------------------------------------
// Forms we cannot evaluate.

/// Identifies otherName / x400Address / ediPartyName (by context tag) and registeredID.
fn other_form(g: &GeneralName) -> Option<(u32, &'static str)> {
    match g {
        GeneralName::Registered(_) => Some((8, "registeredID")),
        GeneralName::Other { tag, .. } => Some((
            *tag,
            match tag {
                3 => "x400Address",
                5 => "ediPartyName",
                _ => "otherName",
            },
        )),
        _ => None,
    }
}

fn check_other_forms(
    san: &[GeneralName],
    permitted: &[GeneralName],
    excluded: &[GeneralName],
) -> NcResult<()> {
    let mut constrained: Vec<u32> = permitted
        .iter()
        .chain(excluded)
        .filter_map(other_form)
        .map(|(tag, _)| tag)
        .collect();
    if constrained.is_empty() {
        return Ok(());
    }
    constrained.sort_unstable();
    constrained.dedup();
    for (tag, form) in san.iter().filter_map(other_form) {
        if constrained.contains(&tag) {
            return Err(NameConstraintError::Unsupported { form });
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// directoryName

struct DirectoryForm;

impl Form for DirectoryForm {
    type Raw = Name;
    type Name = Name;
    type Constraint = Name;

    fn select(g: &GeneralName) -> Option<&Name> {
        match g {
            GeneralName::Directory(n) => Some(n),
            _ => None,
        }
    }
    fn parse_constraint(&self, raw: &Name) -> NcResult<Name> {
        Ok(raw.clone())
    }
    fn parse_name(&self, raw: &Name) -> NcResult<Name> {
        Ok(raw.clone())
    }
    fn render(&self, raw: &Name) -> String {
        format!("DirName:{raw}")
    }
    fn permits(&self, name: &Name, c: &Name) -> bool {
        name.within(c)
    }
    fn excludes(&self, name: &Name, c: &Name) -> bool {
        name.within(c)
    }
}

// ---------------------------------------------------------------------------------------------
// DNS-style host names shared by dNSName, rfc822Name hosts and URI hosts.

/// Lowercases and drops one trailing dot.
fn normalize_host(s: &str) -> String {
    s.strip_suffix('.').unwrap_or(s).to_ascii_lowercase()
}

use crate::x509::name::is_host_syntax;

/// True when `name` equals `base` or lies below it on a label boundary; `base` empty matches all.
fn in_dns_subtree(name: &str, base: &str) -> bool {
    base.is_empty()
        || name == base
        || name
            .strip_suffix(base)
            .is_some_and(|rest| rest.len() > 1 && rest.ends_with('.'))
}

/// True when `name` lies strictly below `domain` (`domain` non-empty).
fn strictly_below(name: &str, domain: &str) -> bool {
    name.strip_suffix(domain)
        .is_some_and(|rest| rest.len() > 1 && rest.ends_with('.'))
}

// ---------------------------------------------------------------------------------------------
// dNSName

/// A certificate dNSName, normalised.
#[derive(Debug, PartialEq, Eq)]
enum DnsName {
    /// An ordinary host name.
    Exact(String),
    /// `*.D`: any single label followed by `D` (`D` empty for a bare `*`).
    Wildcard(String),
}

struct DnsForm;

impl Form for DnsForm {
    type Raw = String;
    type Name = DnsName;
    type Constraint = String;

    fn select(g: &GeneralName) -> Option<&String> {
        match g {
            GeneralName::Dns(s) => Some(s),
            _ => None,
        }
    }
    fn parse_constraint(&self, raw: &String) -> NcResult<String> {
        parse_dns_constraint(raw)
    }
    fn parse_name(&self, raw: &String) -> NcResult<DnsName> {
        parse_dns_name(raw)
    }
    fn render(&self, raw: &String) -> String {
        format!("DNS:{raw}")
    }
    fn permits(&self, name: &DnsName, c: &String) -> bool {
        match name {
            DnsName::Exact(n) => in_dns_subtree(n, c),
            // Every x.D must be in the subtree, which holds exactly when D is.
            DnsName::Wildcard(d) => in_dns_subtree(d, c),
        }
    }
    fn excludes(&self, name: &DnsName, c: &String) -> bool {
        match name {
            DnsName::Exact(n) => in_dns_subtree(n, c),
            // Some x.D is in the subtree when D is, or when the constraint is one label below D.
            DnsName::Wildcard(d) => {
                in_dns_subtree(d, c) || c.split_once('.').map_or(d.is_empty(), |(_, p)| p == d)
            }
        }
    }
}

/// A dNSName constraint: empty (everything) or a host name; no leading dot, no wildcard.
fn parse_dns_constraint(raw: &str) -> NcResult<String> {
    let c = normalize_host(raw);
    if raw.is_empty() {
        return Ok(c);
    }
    if is_host_syntax(&c) {
        Ok(c)
    } else {
        Err(malformed(format!("dNSName constraint {raw:?}")))
    }
}

/// A certificate dNSName: a host name, or `*` / `*.` followed by one.
fn parse_dns_name(raw: &str) -> NcResult<DnsName> {
    let n = normalize_host(raw);
    if n == "*" {
        return Ok(DnsName::Wildcard(String::new()));
    }
    if let Some(rest) = n.strip_prefix("*.") {
        if is_host_syntax(rest) {
            return Ok(DnsName::Wildcard(rest.to_owned()));
        }
    } else if is_host_syntax(&n) {
        return Ok(DnsName::Exact(n));
    }
    Err(malformed(format!("dNSName {raw:?} in certificate")))
}

// ---------------------------------------------------------------------------------------------
// rfc822Name

/// A mailbox: local part as written, host normalised.
#[derive(Debug, PartialEq, Eq)]
struct Mailbox {
    local: String,
    host: String,
}

/// An rfc822Name constraint.
#[derive(Debug, PartialEq, Eq)]
enum EmailConstraint {
    /// The empty constraint: every mailbox.
    All,
    /// `local@host`: exactly that mailbox.
    Mailbox(Mailbox),
    /// `host`: every mailbox at exactly that host.
    Host(String),
    /// `.domain`: every mailbox at a host strictly below the domain.
    Domain(String),
}

/// Parses `local@host`. The local part is a dot-atom-ish run of printable ASCII without
/// specials (`*` and other atext characters are literal), or a quoted string; the host is a
/// host name or an address literal in brackets.
fn parse_mailbox(s: &str) -> Option<Mailbox> {
    let (local, host) = if s.starts_with('"') {
        let mut escaped = false;
        let mut end = None;
        for (i, ch) in s.char_indices().skip(1) {
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == '"' {
                end = Some(i);
                break;
            }
        }
        let (local, rest) = s.split_at_checked(end? + 1)?;
        (local, rest.strip_prefix('@')?)
    } else {
        let (local, host) = s.split_once('@')?;
        let atext_ok = !local.is_empty()
            && local
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~.".contains(&b));
        if !atext_ok {
            return None;
        }
        (local, host)
    };
    if !s.is_ascii() {
        return None;
    }
    let host_ok = if host.starts_with('[') {
        host.ends_with(']') && host.len() > 2
    } else {
        is_host_syntax(&normalize_host(host))
    };
    host_ok.then(|| Mailbox {
        local: local.to_owned(),
        host: normalize_host(host),
    })
}

struct EmailForm;

impl Form for EmailForm {
    type Raw = String;
    type Name = Mailbox;
    type Constraint = EmailConstraint;

    fn select(g: &GeneralName) -> Option<&String> {
        match g {
            GeneralName::Rfc822(s) => Some(s),
            _ => None,
        }
    }
    fn parse_constraint(&self, raw: &String) -> NcResult<EmailConstraint> {
        let bad = || malformed(format!("rfc822Name constraint {raw:?}"));
        if raw.is_empty() {
            Ok(EmailConstraint::All)
        } else if raw.contains('@') {
            parse_mailbox(raw)
                .map(EmailConstraint::Mailbox)
                .ok_or_else(bad)
        } else if let Some(domain) = raw.strip_prefix('.') {
            let d = normalize_host(domain);
            if is_host_syntax(&d) {
                Ok(EmailConstraint::Domain(d))
            } else {
                Err(bad())
            }
        } else {
            let h = normalize_host(raw);
            if is_host_syntax(&h) {
                Ok(EmailConstraint::Host(h))
            } else {
                Err(bad())
            }
        }
    }
    fn parse_name(&self, raw: &String) -> NcResult<Mailbox> {
        parse_mailbox(raw).ok_or_else(|| malformed(format!("rfc822Name {raw:?} in certificate")))
    }
    fn render(&self, raw: &String) -> String {
        format!("email:{raw}")
    }
    fn permits(&self, name: &Mailbox, c: &EmailConstraint) -> bool {
        match c {
            EmailConstraint::All => true,
            EmailConstraint::Mailbox(m) => m == name,
            EmailConstraint::Host(h) => &name.host == h,
            EmailConstraint::Domain(d) => strictly_below(&name.host, d),
        }
    }
    fn excludes(&self, name: &Mailbox, c: &EmailConstraint) -> bool {
        self.permits(name, c)
    }
}

// ---------------------------------------------------------------------------------------------
// uniformResourceIdentifier

/// The host part of a certificate URI.
#[derive(Debug, PartialEq, Eq)]
enum UriHost {
    /// No authority component (e.g. `urn:…`, `mailto:…`) or an empty host.
    None,
    /// An IP literal (`[v6]` or dotted-quad IPv4).
    Ip,
    /// A host name, normalised.
    Dns(String),
}

/// A URI constraint.
#[derive(Debug, PartialEq, Eq)]
enum UriConstraint {
    /// The empty constraint: every URI.
    All,
    /// `host`: exactly that host.
    Host(String),
    /// `.domain`: hosts strictly below the domain.
    Domain(String),
}

/// Extracts the host of `scheme://[userinfo@]host[:port][/…]`.
fn parse_uri_host(uri: &str) -> Option<UriHost> {
    let (scheme, rest) = uri.split_once(':')?;
    let mut sb = scheme.bytes();
    let scheme_ok = sb.next().is_some_and(|b| b.is_ascii_alphabetic())
        && sb.all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.');
    if !scheme_ok {
        return None;
    }
    let Some(after) = rest.strip_prefix("//") else {
        return Some(UriHost::None);
    };
    let authority = after.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.starts_with('[') {
        let (lit, tail) = host_port.split_once(']')?;
        let port_ok = tail.is_empty()
            || tail
                .strip_prefix(':')
                .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
        return (lit.len() > 1 && port_ok).then_some(UriHost::Ip);
    }
    let host = match host_port.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        Some(_) => return None,
        None => host_port,
    };
    if host.is_empty() {
        return Some(UriHost::None);
    }
    if host.parse::<Ipv4Addr>().is_ok() {
        return Some(UriHost::Ip);
    }
    let h = normalize_host(host);
    is_host_syntax(&h).then_some(UriHost::Dns(h))
}

struct UriForm;

impl Form for UriForm {
    type Raw = String;
    type Name = UriHost;
    type Constraint = UriConstraint;

    fn select(g: &GeneralName) -> Option<&String> {
        match g {
            GeneralName::Uri(s) => Some(s),
            _ => None,
        }
    }
    fn parse_constraint(&self, raw: &String) -> NcResult<UriConstraint> {
        let bad = || malformed(format!("URI constraint {raw:?}"));
        if raw.is_empty() {
            return Ok(UriConstraint::All);
        }
        let (domain, body) = match raw.strip_prefix('.') {
            Some(d) => (true, d),
            None => (false, raw.as_str()),
        };
        let h = normalize_host(body);
        if !is_host_syntax(&h) {
            return Err(bad());
        }
        Ok(if domain {
            UriConstraint::Domain(h)
        } else {
            UriConstraint::Host(h)
        })
    }
    fn parse_name(&self, raw: &String) -> NcResult<UriHost> {
        parse_uri_host(raw).ok_or_else(|| malformed(format!("URI {raw:?} in certificate")))
    }
    fn render(&self, raw: &String) -> String {
        format!("URI:{raw}")
    }
    fn permits(&self, name: &UriHost, c: &UriConstraint) -> bool {
        match (c, name) {
            (UriConstraint::All, _) => true,
            (UriConstraint::Host(h), UriHost::Dns(n)) => n == h,
            (UriConstraint::Domain(d), UriHost::Dns(n)) => strictly_below(n, d),
            _ => false,
        }
    }
    fn excludes(&self, name: &UriHost, c: &UriConstraint) -> bool {
        self.permits(name, c)
    }
}

// ---------------------------------------------------------------------------------------------
// iPAddress

/// An iPAddress constraint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IpNet {
    V4 { addr: u32, mask: u32 },
    V6 { addr: u128, mask: u128 },
}

/// A certificate iPAddress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IpName {
    V4(u32),
    V6(u128),
}

fn parse_ip_constraint(b: &[u8]) -> NcResult<IpNet> {
    let bad = || malformed(format!("iPAddress constraint #{}", hex::encode(b)));
    if let Ok(a) = <[u8; 8]>::try_from(b) {
        let [a0, a1, a2, a3, m0, m1, m2, m3] = a;
        let addr = u32::from_be_bytes([a0, a1, a2, a3]);
        let mask = u32::from_be_bytes([m0, m1, m2, m3]);
        if mask.leading_ones() + mask.trailing_zeros() < 32 {
            return Err(bad());
        }
        Ok(IpNet::V4 { addr, mask })
    } else if b.len() == 32 {
        let (a, m) = b.split_at(16);
        let addr = u128::from_be_bytes(<[u8; 16]>::try_from(a).map_err(|_| bad())?);
        let mask = u128::from_be_bytes(<[u8; 16]>::try_from(m).map_err(|_| bad())?);
        if mask.leading_ones() + mask.trailing_zeros() < 128 {
            return Err(bad());
        }
        Ok(IpNet::V6 { addr, mask })
    } else {
        Err(bad())
    }
}

struct IpForm;

impl Form for IpForm {
    type Raw = Vec<u8>;
    type Name = IpName;
    type Constraint = IpNet;

    fn select(g: &GeneralName) -> Option<&Vec<u8>> {
        match g {
            GeneralName::Ip(b) => Some(b),
            _ => None,
        }
    }
    fn parse_constraint(&self, raw: &Vec<u8>) -> NcResult<IpNet> {
        parse_ip_constraint(raw)
    }
    fn parse_name(&self, raw: &Vec<u8>) -> NcResult<IpName> {
        if let Ok(a) = <[u8; 4]>::try_from(raw.as_slice()) {
            Ok(IpName::V4(u32::from_be_bytes(a)))
        } else if let Ok(a) = <[u8; 16]>::try_from(raw.as_slice()) {
            Ok(IpName::V6(u128::from_be_bytes(a)))
        } else {
            Err(malformed(format!(
                "iPAddress #{} in certificate",
                hex::encode(raw)
            )))
        }
    }
    fn render(&self, raw: &Vec<u8>) -> String {
        GeneralName::Ip(raw.clone()).to_string()
    }
    fn permits(&self, name: &IpName, c: &IpNet) -> bool {
        match (name, c) {
            (IpName::V4(ip), IpNet::V4 { addr, mask }) => ip & mask == addr & mask,
            (IpName::V6(ip), IpNet::V6 { addr, mask }) => ip & mask == addr & mask,
            _ => false,
        }
    }
    fn excludes(&self, name: &IpName, c: &IpNet) -> bool {
        if self.permits(name, c) {
            return true;
        }
        // Conservatively treat ::ffff:a.b.c.d as a.b.c.d for exclusion.
        match name {
            IpName::V6(ip) => Ipv6Addr::from(*ip)
                .to_ipv4_mapped()
                .is_some_and(|v4| self.permits(&IpName::V4(u32::from(v4)), c)),
            IpName::V4(_) => false,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::asn1::Oid;
    use crate::x509::name::{attribute_key, Attribute};

    /// Builds a test DN, one attribute per RDN, values as UTF8String.
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
        // A stand-in for the DER that differs between distinct test names.
        let der = format!("{parts:?}").into_bytes();
        Name::new(der, rdns)
    }
    const CN: &str = "2.5.4.3";
    const O: &str = "2.5.4.10";
    const EMAIL: &str = "1.2.840.113549.1.9.1";

    fn cn(v: &str) -> Name {
        dn(&[(CN, v)])
    }
    fn dns(s: &str) -> GeneralName {
        GeneralName::Dns(s.into())
    }
    fn email(s: &str) -> GeneralName {
        GeneralName::Rfc822(s.into())
    }
    fn uri(s: &str) -> GeneralName {
        GeneralName::Uri(s.into())
    }
    fn ip(s: &str) -> GeneralName {
        match s.parse::<std::net::IpAddr>().unwrap() {
            std::net::IpAddr::V4(a) => GeneralName::Ip(a.octets().to_vec()),
            std::net::IpAddr::V6(a) => GeneralName::Ip(a.octets().to_vec()),
        }
    }
    /// `a.b.c.d/n` or `v6/n` as address||mask.
    fn net(s: &str) -> GeneralName {
        let (a, n) = s.split_once('/').unwrap();
        let n: u32 = n.parse().unwrap();
        match a.parse::<std::net::IpAddr>().unwrap() {
            std::net::IpAddr::V4(a) => {
                let mask = u32::MAX.checked_shl(32 - n).unwrap_or(0);
                [a.octets().to_vec(), mask.to_be_bytes().to_vec()].concat()
            }
            std::net::IpAddr::V6(a) => {
                let mask = u128::MAX.checked_shl(128 - n).unwrap_or(0);
                [a.octets().to_vec(), mask.to_be_bytes().to_vec()].concat()
            }
        }
        .pipe(GeneralName::Ip)
    }
    trait Pipe: Sized {
        fn pipe<T>(self, f: impl FnOnce(Self) -> T) -> T {
            f(self)
        }
    }
    impl<T> Pipe for T {}

    fn permit(p: Vec<GeneralName>) -> NameConstraints {
        NameConstraints {
            permitted: Some(p),
            excluded: None,
        }
    }
    fn exclude(e: Vec<GeneralName>) -> NameConstraints {
        NameConstraints {
            permitted: None,
            excluded: Some(e),
        }
    }
    fn both(p: Vec<GeneralName>, e: Vec<GeneralName>) -> NameConstraints {
        NameConstraints {
            permitted: Some(p),
            excluded: Some(e),
        }
    }
    fn run(subject: &Name, san: &[GeneralName], nc: &NameConstraints) -> NcResult<()> {
        let mut budget = 1_000_000;
        check(subject, Some(san), nc, &mut budget)
    }
    fn san_only(san: &[GeneralName], nc: &NameConstraints) -> NcResult<()> {
        run(&cn("example.com"), san, nc)
    }
    fn is_not_permitted(r: NcResult<()>) -> bool {
        matches!(r, Err(NameConstraintError::NotPermitted { .. }))
    }
    fn is_excluded(r: NcResult<()>) -> bool {
        matches!(r, Err(NameConstraintError::Excluded { .. }))
    }
    fn is_malformed(r: NcResult<()>) -> bool {
        matches!(r, Err(NameConstraintError::Malformed { .. }))
    }

    // ---- dNSName (rfc5280::nc::*-dns-*) ----

    #[test]
    fn dns_permitted_subtree_on_label_boundary() {
        let nc = permit(vec![dns("example.com")]);
        assert_eq!(san_only(&[dns("example.com")], &nc), Ok(()));
        assert_eq!(san_only(&[dns("foo.bar.example.com")], &nc), Ok(()));
        assert_eq!(
            san_only(&[dns("not-example.com")], &nc),
            Err(NameConstraintError::NotPermitted {
                name: "DNS:not-example.com".into()
            })
        );
        assert!(is_not_permitted(san_only(&[dns("notexample.com")], &nc)));
        assert!(is_not_permitted(san_only(&[dns("example.com.evil")], &nc)));
        // RFC 5280's own example: host1.example.com does not satisfy host.example.com.
        let nc = permit(vec![dns("host.example.com")]);
        assert_eq!(san_only(&[dns("www.host.example.com")], &nc), Ok(()));
        assert!(is_not_permitted(san_only(&[dns("host1.example.com")], &nc)));
    }

    #[test]
    fn dns_case_and_trailing_dot_are_ignored() {
        let nc = permit(vec![dns("Example.COM.")]);
        assert_eq!(san_only(&[dns("WWW.example.com")], &nc), Ok(()));
        assert_eq!(san_only(&[dns("www.EXAMPLE.com.")], &nc), Ok(()));
        let nc = exclude(vec![dns("BAD.example.com")]);
        assert!(is_excluded(san_only(&[dns("x.bad.EXAMPLE.com.")], &nc)));
    }

    #[test]
    fn dns_excluded_matches_any_san_entry() {
        // rfc5280::nc::excluded-dns-match-second
        let nc = exclude(vec![dns("not-allowed.example.com")]);
        assert_eq!(
            san_only(&[dns("example.com"), dns("not-allowed.example.com")], &nc),
            Err(NameConstraintError::Excluded {
                name: "DNS:not-allowed.example.com".into(),
                constraint: "DNS:not-allowed.example.com".into()
            })
        );
        assert_eq!(san_only(&[dns("example.com")], &nc), Ok(()));
    }

    #[test]
    fn excluded_takes_precedence_over_permitted() {
        // rfc5280::nc::excluded-match-permitted-and-excluded
        let nc = both(vec![dns("example.com")], vec![dns("example.com")]);
        assert!(is_excluded(san_only(&[dns("example.com")], &nc)));
    }

    #[test]
    fn every_name_must_be_permitted() {
        let nc = permit(vec![dns("permitted.example.com")]);
        assert!(is_not_permitted(san_only(
            &[dns("permitted.example.com"), dns("other.example.com")],
            &nc
        )));
        // Several permitted subtrees: any one suffices (union within one extension).
        let nc = permit(vec![dns("foo.example.com"), dns("bar.example.com")]);
        assert_eq!(
            san_only(&[dns("foo.example.com"), dns("a.bar.example.com")], &nc),
            Ok(())
        );
    }

    #[test]
    fn constraints_of_other_forms_leave_a_form_unconstrained() {
        // rfc5280::nc::permitted-different-constraint-type / excluded-different-constraint-type
        assert_eq!(
            san_only(&[dns("example.com")], &permit(vec![net("192.0.2.0/24")])),
            Ok(())
        );
        assert_eq!(
            san_only(&[dns("example.com")], &exclude(vec![net("192.0.2.0/24")])),
            Ok(())
        );
        // Only IP names are constrained; the DNS name is free.
        let nc = permit(vec![net("1.1.1.0/24")]);
        assert_eq!(
            san_only(&[dns("bad.example.com"), ip("1.1.1.1")], &nc),
            Ok(())
        );
        assert!(is_not_permitted(san_only(
            &[dns("bad.example.com"), ip("127.0.0.1")],
            &nc
        )));
    }

    #[test]
    fn empty_dns_constraint_matches_everything() {
        assert_eq!(
            san_only(&[dns("anything.test")], &permit(vec![dns("")])),
            Ok(())
        );
        assert!(is_excluded(san_only(
            &[dns("anything.test")],
            &exclude(vec![dns("")])
        )));
    }

    #[test]
    fn malformed_dns_constraints() {
        // rfc5280::nc::invalid-dnsname-wildcard / invalid-dnsname-leading-period
        for bad in [
            "*.example.com",
            ".example.com",
            "exa mple.com",
            "a..b",
            "ex@mple.com",
        ] {
            let r = san_only(&[dns("foo.example.com")], &permit(vec![dns(bad)]));
            assert!(is_malformed(r), "{bad}");
            let r = san_only(&[dns("foo.example.com")], &exclude(vec![dns(bad)]));
            assert!(is_malformed(r), "{bad}");
        }
        // Not evaluated when the certificate has no name of that form.
        let nc = permit(vec![dns(".example.com"), net("192.0.2.0/24")]);
        assert_eq!(san_only(&[ip("192.0.2.7")], &nc), Ok(()));
    }

    #[test]
    fn malformed_dns_san_under_constraint() {
        // rfc5280::nc::nc-permits-invalid-dns-san: `.example.com` must not slip through.
        let nc = permit(vec![dns("example.com")]);
        assert!(is_malformed(san_only(
            &[dns(".example.com"), dns("foo.example.com")],
            &nc
        )));
        for bad in [
            "http://test.example.com",
            "bad.example.com, test.example.com",
            "foo.*.example.com",
            "f*.example.com",
            "",
        ] {
            assert!(is_malformed(san_only(&[dns(bad)], &nc)), "{bad:?}");
        }
        // Unconstrained form: not our business.
        assert_eq!(
            san_only(&[dns(".example.com")], &permit(vec![net("10.0.0.0/8")])),
            Ok(())
        );
    }

    // ---- wildcard SANs (cve::cve-2025-61727*, webpki::nc::nc-permits-dns-san-pattern) ----

    #[test]
    fn wildcard_san_is_excluded_if_any_match_could_be() {
        let nc = both(vec![dns("example.com")], vec![dns("bar.example.com")]);
        assert!(is_excluded(san_only(&[dns("*.example.com")], &nc)));
        // The subtree of example.com itself covers every x.example.com.
        assert!(is_excluded(san_only(
            &[dns("*.example.com")],
            &exclude(vec![dns("example.com")])
        )));
        assert!(is_excluded(san_only(
            &[dns("*.sub.example.com")],
            &exclude(vec![dns("example.com")])
        )));
        // Two labels deeper than the wildcard's base: no single-label expansion reaches it.
        assert_eq!(
            san_only(
                &[dns("*.example.com")],
                &exclude(vec![dns("a.bar.example.com")])
            ),
            Ok(())
        );
        // Unrelated.
        assert_eq!(
            san_only(
                &[dns("*.example.com")],
                &exclude(vec![dns("bar.example.org")])
            ),
            Ok(())
        );
        assert_eq!(
            san_only(&[dns("*.example.com")], &exclude(vec![dns("xample.com")])),
            Ok(())
        );
    }

    #[test]
    fn wildcard_san_is_permitted_only_if_whole_domain_is() {
        assert!(is_not_permitted(san_only(
            &[dns("*.example.com")],
            &permit(vec![dns("foo.example.com")])
        )));
        assert_eq!(
            san_only(&[dns("*.example.com")], &permit(vec![dns("example.com")])),
            Ok(())
        );
        assert_eq!(
            san_only(
                &[dns("*.foo.example.com")],
                &permit(vec![dns("example.com")])
            ),
            Ok(())
        );
        assert!(is_not_permitted(san_only(
            &[dns("*.example.com")],
            &permit(vec![dns("other.com")])
        )));
    }

    #[test]
    fn bare_star_san() {
        assert!(is_excluded(san_only(
            &[dns("*")],
            &exclude(vec![dns("localhost")])
        )));
        assert!(is_excluded(san_only(
            &[dns("*")],
            &exclude(vec![dns("com")])
        )));
        assert_eq!(
            san_only(&[dns("*")], &exclude(vec![dns("example.com")])),
            Ok(())
        );
        assert!(is_not_permitted(san_only(
            &[dns("*")],
            &permit(vec![dns("example.com")])
        )));
        assert_eq!(san_only(&[dns("*")], &permit(vec![dns("")])), Ok(()));
    }

    #[test]
    fn subject_cn_is_not_treated_as_a_dns_name() {
        // BetterTLS: CN=bad.example.com with SAN test.localhost under "exclude bad.example.com"
        // is accepted.
        let nc = exclude(vec![dns("bad.example.com")]);
        assert_eq!(
            run(&cn("bad.example.com"), &[dns("test.localhost")], &nc),
            Ok(())
        );
    }

    // ---- iPAddress ----

    #[test]
    fn ipv4_ranges() {
        let nc = permit(vec![net("192.0.2.0/24")]);
        assert_eq!(san_only(&[ip("192.0.2.1")], &nc), Ok(()));
        assert_eq!(san_only(&[ip("192.0.2.255")], &nc), Ok(()));
        assert_eq!(
            san_only(&[ip("192.0.3.1")], &nc),
            Err(NameConstraintError::NotPermitted {
                name: "IP:192.0.3.1".into()
            })
        );
        assert_eq!(
            san_only(&[ip("192.0.2.1")], &exclude(vec![net("192.0.2.0/24")])),
            Err(NameConstraintError::Excluded {
                name: "IP:192.0.2.1".into(),
                constraint: "IP:192.0.2.0/24".into()
            })
        );
        // /0 covers the whole family; /32 a single host; host bits in the constraint ignored.
        assert_eq!(
            san_only(&[ip("8.8.8.8")], &permit(vec![net("0.0.0.0/0")])),
            Ok(())
        );
        assert_eq!(
            san_only(&[ip("10.1.2.3")], &permit(vec![net("10.1.2.3/32")])),
            Ok(())
        );
        assert!(is_not_permitted(san_only(
            &[ip("10.1.2.4")],
            &permit(vec![net("10.1.2.3/32")])
        )));
        assert_eq!(
            san_only(&[ip("10.1.2.4")], &permit(vec![net("10.1.2.3/24")])),
            Ok(())
        );
    }

    #[test]
    fn ipv6_ranges_and_families() {
        // rfc5280::nc::permitted-ipv6-match / excluded-ipv6-match
        assert_eq!(
            san_only(&[ip("::1")], &permit(vec![net("::1/128")])),
            Ok(())
        );
        assert!(is_excluded(san_only(
            &[ip("::1")],
            &exclude(vec![net("::1/128")])
        )));
        assert_eq!(
            san_only(&[ip("2001:db8::42")], &permit(vec![net("2001:db8::/32")])),
            Ok(())
        );
        assert!(is_not_permitted(san_only(
            &[ip("2001:db9::42")],
            &permit(vec![net("2001:db8::/32")])
        )));
        // Families never match each other, even through /0.
        assert!(is_not_permitted(san_only(
            &[ip("::1")],
            &permit(vec![net("0.0.0.0/0")])
        )));
        assert!(is_not_permitted(san_only(
            &[ip("127.0.0.1")],
            &permit(vec![net("::/0")])
        )));
        assert_eq!(
            san_only(&[ip("127.0.0.1")], &exclude(vec![net("::/0")])),
            Ok(())
        );
    }

    #[test]
    fn ipv4_mapped_ipv6_is_excluded_by_ipv4_range_but_not_permitted_by_it() {
        assert!(is_excluded(san_only(
            &[ip("::ffff:127.0.0.1")],
            &exclude(vec![net("127.0.0.0/24")])
        )));
        assert!(is_not_permitted(san_only(
            &[ip("::ffff:127.0.0.1")],
            &permit(vec![net("127.0.0.0/24")])
        )));
        assert_eq!(
            san_only(
                &[ip("::ffff:10.0.0.1")],
                &exclude(vec![net("127.0.0.0/24")])
            ),
            Ok(())
        );
    }

    #[test]
    fn malformed_ip_constraints() {
        // rfc5280::nc::invalid-ipv4-address / invalid-ipv6-address (no mask)
        assert!(is_malformed(san_only(
            &[ip("127.0.0.1")],
            &permit(vec![ip("127.0.0.1")])
        )));
        assert!(is_malformed(san_only(
            &[ip("::1")],
            &permit(vec![ip("::1")])
        )));
        // 9 octets (BetterTLS), empty.
        let nine = GeneralName::Ip(vec![127, 0, 0, 1, 255, 255, 255, 0, 0]);
        assert!(is_malformed(san_only(
            &[ip("127.0.0.1")],
            &exclude(vec![nine])
        )));
        assert!(is_malformed(san_only(
            &[ip("127.0.0.1")],
            &permit(vec![GeneralName::Ip(vec![])])
        )));
        // Non-contiguous masks.
        let holes = GeneralName::Ip(vec![10, 0, 0, 0, 255, 0, 255, 0]);
        assert!(is_malformed(san_only(
            &[ip("10.0.0.1")],
            &permit(vec![holes])
        )));
        let low = GeneralName::Ip(vec![10, 0, 0, 0, 0, 0, 0, 255]);
        assert!(is_malformed(san_only(
            &[ip("10.0.0.1")],
            &permit(vec![low])
        )));
        let mut v6 = net("2001:db8::/32");
        if let GeneralName::Ip(b) = &mut v6 {
            b[31] = 1;
        }
        assert!(is_malformed(san_only(
            &[ip("2001:db8::1")],
            &permit(vec![v6])
        )));
    }

    #[test]
    fn malformed_ip_san_under_constraint() {
        // rfc5280::nc::nc-permits-invalid-ip-san: an 8-octet SAN iPAddress.
        let nc = permit(vec![net("192.0.2.0/24")]);
        let cidr = GeneralName::Ip(vec![192, 0, 2, 0, 255, 255, 255, 0]);
        assert!(is_malformed(san_only(
            &[cidr.clone(), ip("192.0.2.1")],
            &nc
        )));
        assert!(is_malformed(san_only(
            std::slice::from_ref(&cidr),
            &exclude(vec![net("10.0.0.0/8")])
        )));
        assert_eq!(san_only(&[cidr], &permit(vec![dns("example.com")])), Ok(()));
    }

    // ---- directoryName (rfc5280::nc::*-dn-*) ----

    #[test]
    fn directory_names_cover_subject_and_san() {
        let nc = permit(vec![GeneralName::Directory(cn("foo"))]);
        assert_eq!(
            run(&cn("foo"), &[GeneralName::Directory(cn("foo"))], &nc),
            Ok(())
        );
        assert_eq!(
            run(
                &cn("not-foo"),
                &[GeneralName::Directory(cn("not-foo"))],
                &nc
            ),
            Err(NameConstraintError::NotPermitted {
                name: "DirName:CN=not-foo".into()
            })
        );
        // permitted-dn-match-subject-san-mismatch
        assert!(is_not_permitted(run(
            &cn("not-foo"),
            &[GeneralName::Directory(cn("foo"))],
            &nc
        )));
        // A SAN directoryName outside the subtree fails too.
        assert!(is_not_permitted(run(
            &cn("foo"),
            &[GeneralName::Directory(cn("bar"))],
            &nc
        )));
        let nc = exclude(vec![GeneralName::Directory(cn("foo"))]);
        // excluded-dn-match and excluded-dn-match-sub-mismatch
        assert!(is_excluded(run(
            &cn("foo"),
            &[GeneralName::Directory(cn("foo"))],
            &nc
        )));
        assert!(is_excluded(run(
            &cn("foo"),
            &[GeneralName::Directory(cn("not-foo"))],
            &nc
        )));
        assert!(is_excluded(run(
            &cn("bar"),
            &[GeneralName::Directory(cn("foo"))],
            &nc
        )));
        assert_eq!(run(&cn("bar"), &[dns("foo")], &nc), Ok(()));
    }

    #[test]
    fn directory_subtree_is_an_rdn_prefix_with_7_1_comparison() {
        let base = dn(&[(O, "Example Org")]);
        let nc = permit(vec![GeneralName::Directory(base)]);
        assert_eq!(
            run(&dn(&[(O, "Example Org"), (CN, "leaf")]), &[], &nc),
            Ok(())
        );
        assert_eq!(run(&dn(&[(O, "  EXAMPLE   org ")]), &[], &nc), Ok(()));
        assert!(is_not_permitted(run(
            &dn(&[(CN, "leaf"), (O, "Example Org")]),
            &[],
            &nc
        )));
        assert!(is_not_permitted(run(
            &dn(&[(O, "Example Organisation")]),
            &[],
            &nc
        )));
    }

    #[test]
    fn empty_subject_is_not_checked_as_directory_name() {
        let nc = permit(vec![GeneralName::Directory(cn("foo"))]);
        let empty = Name::new(vec![0x30, 0x00], vec![]);
        assert_eq!(run(&empty, &[dns("example.com")], &nc), Ok(()));
        let mut budget = 5;
        assert_eq!(check(&empty, None, &nc, &mut budget), Ok(()));
        assert_eq!(budget, 5);
    }

    // ---- rfc822Name (rfc5280::nc::nc-permits-email-*) ----

    #[test]
    fn email_mailbox_host_and_domain_forms() {
        let exact = permit(vec![email("foo@example.com")]);
        assert_eq!(san_only(&[email("foo@example.com")], &exact), Ok(()));
        assert_eq!(san_only(&[email("foo@EXAMPLE.com")], &exact), Ok(()));
        assert!(is_not_permitted(san_only(
            &[email("Foo@example.com")],
            &exact
        )));
        assert!(is_not_permitted(san_only(
            &[email("bar@example.com")],
            &exact
        )));

        let host = permit(vec![email("example.com")]);
        assert_eq!(san_only(&[email("foo@example.com")], &host), Ok(()));
        assert_eq!(san_only(&[email("foo@Example.COM")], &host), Ok(()));
        assert!(is_not_permitted(san_only(
            &[email("foo@sub.example.com")],
            &host
        )));

        let domain = permit(vec![email(".example.com")]);
        assert_eq!(san_only(&[email("foo@sub.example.com")], &domain), Ok(()));
        assert_eq!(san_only(&[email("foo@a.b.example.com")], &domain), Ok(()));
        assert!(is_not_permitted(san_only(
            &[email("foo@example.com")],
            &domain
        )));
        assert!(is_not_permitted(san_only(
            &[email("foo@badexample.com")],
            &domain
        )));

        let ex = exclude(vec![email(".example.com")]);
        assert!(is_excluded(san_only(&[email("x@mail.example.com")], &ex)));
        assert_eq!(san_only(&[email("x@example.com")], &ex), Ok(()));
    }

    #[test]
    fn email_asterisks_are_literal() {
        let star = permit(vec![email("*@example.com")]);
        assert_eq!(san_only(&[email("*@example.com")], &star), Ok(()));
        assert!(is_not_permitted(san_only(
            &[email("user@example.com")],
            &star
        )));
        assert!(is_not_permitted(san_only(
            &[email("*@subdomain.example.com")],
            &star
        )));
        let double = permit(vec![email("**@example.com")]);
        assert_eq!(san_only(&[email("**@example.com")], &double), Ok(()));
        assert!(is_not_permitted(san_only(
            &[email("*@example.com")],
            &double
        )));
        let mid = permit(vec![email("user*@example.com")]);
        assert_eq!(san_only(&[email("user*@example.com")], &mid), Ok(()));
        assert!(is_not_permitted(san_only(
            &[email("user@example.com")],
            &mid
        )));
    }

    #[test]
    fn malformed_emails() {
        // rfc5280::nc::invalid-email-address
        assert!(is_malformed(san_only(
            &[email("example@example.com")],
            &permit(vec![email("invalid@invalid@example.com")])
        )));
        // rfc5280::nc::nc-permits-invalid-email-san
        assert!(is_malformed(san_only(
            &[
                email("good@example.com"),
                email("alsogood@example.com"),
                email("invalid@address@example.com")
            ],
            &permit(vec![email("example.com")])
        )));
        for bad in [
            "no-at-sign",
            "@example.com",
            "a b@example.com",
            "x@",
            "x@exa mple.com",
        ] {
            assert!(
                is_malformed(san_only(&[email(bad)], &permit(vec![email("example.com")]))),
                "{bad}"
            );
        }
        // Quoted local parts may contain '@'.
        assert_eq!(
            san_only(
                &[email("\"a@b\"@example.com")],
                &permit(vec![email("example.com")])
            ),
            Ok(())
        );
    }

    #[test]
    fn subject_email_address_attributes_are_constrained() {
        let subject = dn(&[(CN, "Alice"), (EMAIL, "alice@evil.test")]);
        let nc = permit(vec![email("example.com")]);
        assert_eq!(
            run(&subject, &[], &nc),
            Err(NameConstraintError::NotPermitted {
                name: "email:alice@evil.test".into()
            })
        );
        let mut budget = 100;
        assert!(is_not_permitted(check(&subject, None, &nc, &mut budget)));
        let ok = dn(&[(CN, "Alice"), (EMAIL, "alice@example.com")]);
        assert_eq!(run(&ok, &[], &nc), Ok(()));
        assert!(is_excluded(run(
            &subject,
            &[email("alice@example.com")],
            &exclude(vec![email("evil.test")])
        )));
    }

    // ---- uniformResourceIdentifier ----

    #[test]
    fn uri_constraints_apply_to_the_host() {
        let host = permit(vec![uri("host.example.com")]);
        assert_eq!(
            san_only(&[uri("https://host.example.com/path?q#f")], &host),
            Ok(())
        );
        assert_eq!(
            san_only(&[uri("https://user:pw@HOST.example.com:8443/")], &host),
            Ok(())
        );
        assert_eq!(san_only(&[uri("ldap://host.example.com")], &host), Ok(()));
        assert!(is_not_permitted(san_only(
            &[uri("https://www.host.example.com/")],
            &host
        )));
        assert!(is_not_permitted(san_only(
            &[uri("https://evil.test/host.example.com")],
            &host
        )));
        assert!(is_not_permitted(san_only(
            &[uri("https://host.example.com@evil.test/")],
            &host
        )));

        let domain = permit(vec![uri(".example.com")]);
        assert_eq!(
            san_only(&[uri("https://a.b.example.com/")], &domain),
            Ok(())
        );
        assert!(is_not_permitted(san_only(
            &[uri("https://example.com/")],
            &domain
        )));

        let ex = exclude(vec![uri(".example.com")]);
        assert!(is_excluded(san_only(&[uri("http://www.example.com")], &ex)));
        assert_eq!(san_only(&[uri("http://example.org")], &ex), Ok(()));
    }

    #[test]
    fn uri_without_dns_host() {
        let nc = permit(vec![uri("example.com")]);
        assert!(is_not_permitted(san_only(&[uri("urn:uuid:1234")], &nc)));
        assert!(is_not_permitted(san_only(
            &[uri("mailto:a@example.com")],
            &nc
        )));
        assert!(is_not_permitted(san_only(
            &[uri("file:///etc/passwd")],
            &nc
        )));
        assert!(is_not_permitted(san_only(&[uri("http://192.0.2.1/")], &nc)));
        assert!(is_not_permitted(san_only(&[uri("http://[::1]:80/")], &nc)));
        // Excluded-only: nothing for an exclusion to match.
        let ex = exclude(vec![uri("example.com")]);
        assert_eq!(san_only(&[uri("urn:uuid:1234")], &ex), Ok(()));
        assert_eq!(san_only(&[uri("http://[::1]/")], &ex), Ok(()));
        // Unparseable URIs are malformed once URIs are constrained.
        for bad in [
            "test.example.com",
            "http://bad host/",
            "http://a.example.com:port/",
        ] {
            assert!(is_malformed(san_only(&[uri(bad)], &nc)), "{bad}");
        }
        assert!(is_malformed(san_only(
            &[uri("https://x.example.com")],
            &permit(vec![uri("https://example.com")])
        )));
    }

    // ---- forms we cannot evaluate (rfc5280::nc::nc-forbids-othername*) ----

    #[test]
    fn other_forms() {
        let on = GeneralName::Other {
            tag: 0,
            raw: vec![1, 2, 3],
        };
        let nc = both(vec![dns("example.com")], vec![on.clone()]);
        assert_eq!(
            san_only(&[dns("example.com"), on.clone()], &nc),
            Err(NameConstraintError::Unsupported { form: "otherName" })
        );
        assert_eq!(san_only(&[dns("example.com")], &nc), Ok(()));
        // A different form of the Other family is not "the same form".
        let x400 = GeneralName::Other {
            tag: 3,
            raw: vec![],
        };
        assert_eq!(san_only(&[dns("example.com"), x400.clone()], &nc), Ok(()));
        assert_eq!(
            san_only(std::slice::from_ref(&x400), &permit(vec![x400.clone()])),
            Err(NameConstraintError::Unsupported {
                form: "x400Address"
            })
        );
        let rid = GeneralName::Registered(Oid::from_dotted("1.2.3.4").unwrap());
        assert_eq!(
            san_only(std::slice::from_ref(&rid), &permit(vec![rid.clone()])),
            Err(NameConstraintError::Unsupported {
                form: "registeredID"
            })
        );
        assert_eq!(san_only(&[rid], &permit(vec![dns("example.com")])), Ok(()));
    }

    // ---- budget (pathological::nc-dos-*) ----

    #[test]
    fn budget_counts_name_constraint_comparisons() {
        let nc = both(
            vec![dns("a.test"), dns("b.test"), dns("example.com")],
            vec![dns("x.test"), dns("y.test")],
        );
        let mut budget = 100;
        let san = [dns("example.com"), dns("www.example.com")];
        assert_eq!(check(&cn("x"), Some(&san), &nc, &mut budget), Ok(()));
        // Per name: 2 excluded + 3 permitted (match on the third).
        assert_eq!(budget, 90);

        let mut budget = 9;
        assert_eq!(
            check(&cn("x"), Some(&san), &nc, &mut budget),
            Err(NameConstraintError::BudgetExceeded { limit: 9 })
        );
        assert_eq!(budget, 0);

        let mut budget = 10;
        assert_eq!(check(&cn("x"), Some(&san), &nc, &mut budget), Ok(()));
        assert_eq!(budget, 0);
    }

    #[test]
    fn pathological_many_names_many_constraints_hit_the_budget() {
        let permitted: Vec<_> = (0..2048).map(|i| dns(&format!("t{i}.test"))).collect();
        let excluded: Vec<_> = (0..2048).map(|i| dns(&format!("x{i}.test"))).collect();
        let san: Vec<_> = (0..2048).map(|i| dns(&format!("t{i}.test"))).collect();
        let nc = both(permitted, excluded);
        let mut budget = 1 << 20;
        assert_eq!(
            check(&cn("t0.test"), Some(&san), &nc, &mut budget),
            Err(NameConstraintError::BudgetExceeded { limit: 1 << 20 })
        );
    }

    #[test]
    fn nothing_to_check() {
        let empty = Name::new(vec![0x30, 0x00], vec![]);
        let nc = permit(vec![dns(".malformed.example")]);
        let mut budget = 0;
        assert_eq!(check(&empty, None, &nc, &mut budget), Ok(()));
        assert_eq!(check(&empty, Some(&[]), &nc, &mut budget), Ok(()));
        assert_eq!(
            check(&cn("x"), None, &NameConstraints::default(), &mut budget),
            Ok(())
        );
    }

    #[test]
    fn error_messages() {
        let e = san_only(&[ip("192.0.2.1")], &exclude(vec![net("192.0.2.0/24")])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "name IP:192.0.2.1 is within the excluded subtree IP:192.0.2.0/24"
        );
        let e = san_only(&[ip("::1")], &exclude(vec![net("::/0")])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "name IP:::1 is within the excluded subtree IP:::/0"
        );
    }
}
