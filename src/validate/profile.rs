//! Certificate profile rules: the RFC 5280 §4 "MUST" requirements on how CAs issue
//! certificates that are not part of the §6.1 algorithm but whose violation signals a
//! broken or hostile issuer, plus the optional Web PKI (CA/Browser Forum) rules that the
//! x509-limbo `SERVER` cases expect. Each rule returns a message; the caller attaches it
//! to the certificate and [`crate::verdict::Rule::Profile`].

use crate::asn1::oid::known;
use crate::x509::Certificate;
use serde::{Deserialize, Serialize};

/// Which profile rules apply beyond RFC 5280's own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// RFC 5280 §4 MUSTs for intermediates and end entities. Trust anchors are exempt from
    /// the issuance rules (real Hongkong Post and GDCA roots lack SKI or mark
    /// basicConstraints non-critical) but not from validity, critical extensions and key usage.
    #[default]
    Rfc5280,
    /// RFC 5280 for anchors too, plus CA/Browser Forum rules for TLS servers (leaf not a CA,
    /// subject CN among the SANs, root AKI shape, root key strength).
    WebPki,
}

/// Where a certificate sits on the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The trust anchor.
    Anchor,
    /// A CA certificate between anchor and target.
    Intermediate,
    /// The target.
    EndEntity,
}

/// Every profile rule `cert` breaks in `role`.
pub fn violations(cert: &Certificate, role: Role, profile: Profile) -> Vec<String> {
    let mut out = Vec::new();
    let ext = &cert.extensions;
    let strict_anchor = profile == Profile::WebPki || role != Role::Anchor;
    let v3 = cert.version == 3;
    let self_signed_anchor = role == Role::Anchor && cert.is_self_issued();

    if role != Role::Anchor {
        // §4.1.2.2 serial number (not for anchors: a real Starfield root has serial 0): positive, at most 20 octets.
        let serial = crate::x509::ext::normalize_serial(&cert.serial);
        if cert.serial.first().is_some_and(|b| b & 0x80 != 0) {
            out.push("serialNumber is negative (RFC 5280 §4.1.2.2)".to_string());
        } else if serial.iter().all(|b| *b == 0) {
            out.push("serialNumber is zero (RFC 5280 §4.1.2.2)".to_string());
        }
        if cert.serial.len() > 20 {
            out.push(format!(
                "serialNumber is {} octets, more than 20 (RFC 5280 §4.1.2.2)",
                cert.serial.len()
            ));
        }
    }
    // §4.2.1.1 authorityKeyIdentifier.
    if let Some(aki) = &ext.authority_key_id {
        if ext.is_critical(&known::EXT_AUTHORITY_KEY_ID) {
            out.push(
                "authorityKeyIdentifier is critical (RFC 5280 §4.2.1.1: MUST be non-critical)"
                    .to_string(),
            );
        }
        if aki.key_id.is_none() && strict_anchor {
            out.push("authorityKeyIdentifier lacks keyIdentifier (RFC 5280 §4.2.1.1)".to_string());
        }
    } else if v3 && role != Role::Anchor && !(cert.is_self_issued() && role != Role::EndEntity) {
        out.push("authorityKeyIdentifier is missing (RFC 5280 §4.2.1.1)".to_string());
    }
    // §4.2.1.2 subjectKeyIdentifier.
    if ext.is_critical(&known::EXT_SUBJECT_KEY_ID) {
        out.push(
            "subjectKeyIdentifier is critical (RFC 5280 §4.2.1.2: MUST be non-critical)"
                .to_string(),
        );
    }
    if v3 && strict_anchor && cert.is_ca() && ext.subject_key_id.is_none() {
        out.push("CA certificate without subjectKeyIdentifier (RFC 5280 §4.2.1.2)".to_string());
    }
    // §4.2.1.3 / §4.2.1.9 keyCertSign only with cA.
    if let Some(ku) = ext.key_usage {
        if ku.has(crate::x509::ext::KeyUsage::KEY_CERT_SIGN) && !cert.is_ca() {
            out.push(
                "keyUsage keyCertSign without basicConstraints cA (RFC 5280 §4.2.1.3)".to_string(),
            );
        }
        if ku.0 == 0 {
            out.push("keyUsage with no bit set (RFC 5280 §4.2.1.3)".to_string());
        }
    }
    // §4.2.1.6 subjectAltName.
    if cert.subject.is_empty() {
        match &ext.subject_alt_name {
            None => out.push("empty subject and no subjectAltName (RFC 5280 §4.1.2.6)".to_string()),
            Some(_) if !ext.is_critical(&known::EXT_SUBJECT_ALT_NAME) => out.push(
                "empty subject with a non-critical subjectAltName (RFC 5280 §4.2.1.6)".to_string(),
            ),
            Some(_) => {}
        }
    }
    // §4.2.1.9 basicConstraints on a v3 root. (Relying parties must accept a non-critical
    // one on intermediates: NIST PKITS 4.6.4; real GDCA and SZCA roots carry one, so only
    // the Web PKI profile applies this to anchors.)
    if role == Role::Anchor && profile == Profile::WebPki && v3 {
        match ext.basic_constraints {
            None => out.push(
                "root CA certificate without basicConstraints (RFC 5280 §4.2.1.9)".to_string(),
            ),
            Some(_) if !ext.is_critical(&known::EXT_BASIC_CONSTRAINTS) => out.push(
                "basicConstraints is not critical in a root CA certificate (RFC 5280 §4.2.1.9)"
                    .to_string(),
            ),
            Some(_) => {}
        }
    }
    // §4.2.1.10 nameConstraints: CA only, critical.
    if ext.name_constraints.is_some() {
        if !cert.is_ca() {
            out.push(
                "nameConstraints in a certificate that is not a CA (RFC 5280 §4.2.1.10)"
                    .to_string(),
            );
        }
        // The Web PKI tolerates a non-critical one (x509-limbo webpki::nc::*-noncritical).
        if profile == Profile::Rfc5280 && !ext.is_critical(&known::EXT_NAME_CONSTRAINTS) {
            out.push("nameConstraints is not critical (RFC 5280 §4.2.1.10)".to_string());
        }
    }
    // §4.2.1.11 policyConstraints MUST be critical; relying parties are asked to accept a
    // non-critical one by NIST PKITS 4.8.6/4.8.10/4.8.11/4.8.13, so only the Web PKI profile rejects it.
    if profile == Profile::WebPki
        && ext.policy_constraints.is_some()
        && !ext.is_critical(&known::EXT_POLICY_CONSTRAINTS)
    {
        out.push("policyConstraints is not critical (RFC 5280 §4.2.1.11)".to_string());
    }
    // §4.2.1.12 extendedKeyUsage: at least one purpose.
    if ext.extended_key_usage.as_ref().is_some_and(Vec::is_empty) {
        out.push("extendedKeyUsage lists no purpose (RFC 5280 §4.2.1.12)".to_string());
    }
    // §4.2.2.1 authorityInfoAccess: non-critical.
    if ext.is_critical(&known::EXT_AUTHORITY_INFO_ACCESS) {
        out.push(
            "authorityInfoAccess is critical (RFC 5280 §4.2.2.1: MUST be non-critical)".to_string(),
        );
    }
    if profile == Profile::WebPki {
        webpki(cert, role, self_signed_anchor, &mut out);
    }
    out
}

fn webpki(cert: &Certificate, role: Role, self_signed_anchor: bool, out: &mut Vec<String>) {
    let ext = &cert.extensions;
    match role {
        Role::EndEntity => {
            if cert.is_ca()
                || ext
                    .key_usage
                    .is_some_and(|k| k.has(crate::x509::ext::KeyUsage::KEY_CERT_SIGN))
            {
                out.push(
                    "a CA certificate in the end-entity position (CABF BR 7.1.2.7)".to_string(),
                );
            }
            if !cert.subject.is_empty() && ext.is_critical(&known::EXT_SUBJECT_ALT_NAME) {
                out.push("subjectAltName is critical although the subject is not empty (CABF BR 7.1.2.7.12)".to_string());
            }
            if let Some(cn) = cert.subject.common_name() {
                if let Some(why) =
                    cn_problem(&cn, ext.subject_alt_name.as_deref().unwrap_or_default())
                {
                    out.push(format!("subject CN {cn:?} {why} (CABF BR 7.1.4.3)"));
                }
            }
        }
        Role::Anchor => {
            if let Some(aki) = &ext.authority_key_id {
                if aki.issuer.is_some() || aki.serial.is_some() {
                    out.push("root authorityKeyIdentifier carries authorityCertIssuer/SerialNumber (CABF BR 7.1.2.1.3)".to_string());
                }
                if self_signed_anchor {
                    if let (Some(k), Some(s)) = (&aki.key_id, &ext.subject_key_id) {
                        if k != s {
                            out.push("self-signed root whose authorityKeyIdentifier differs from its subjectKeyIdentifier".to_string());
                        }
                    }
                }
            }
            if let Some(bits) = crate::crypto::key_bits(&cert.public_key) {
                let alg = cert.public_key.algorithm.oid.to_string();
                if alg == "1.2.840.113549.1.1.1" && (bits < 2048 || bits % 8 != 0) {
                    out.push(format!("root RSA key of {bits} bits (CABF BR 6.1.5: at least 2048, a multiple of 8)"));
                }
                if alg == "1.2.840.10040.4.1" {
                    out.push("root DSA key (not permitted by CABF BR 6.1.5)".to_string());
                }
            }
        }
        Role::Intermediate => {}
    }
}

/// CABF BR 7.1.4.3 asks that a subject CN repeat a SAN value. BetterTLS (in x509-limbo)
/// expects certificates whose CN is an unrelated plain host name to pass, so this flags
/// only the CNs that are ambiguous or deceptive: an IP address in a non-canonical text
/// form, a host name that equals a SAN only when case is ignored, a non-ASCII or punycode
/// host name that is not among the SANs.
fn cn_problem(cn: &str, san: &[crate::x509::GeneralName]) -> Option<&'static str> {
    use crate::x509::GeneralName;
    let dns: Vec<&str> = san
        .iter()
        .filter_map(|n| {
            if let GeneralName::Dns(d) = n {
                Some(d.as_str())
            } else {
                None
            }
        })
        .collect();
    let ips: Vec<String> = san
        .iter()
        .filter_map(|n| match n {
            GeneralName::Ip(b) if b.len() == 4 => <[u8; 4]>::try_from(b.as_slice())
                .ok()
                .map(|a| std::net::IpAddr::from(a).to_string()),
            GeneralName::Ip(b) if b.len() == 16 => <[u8; 16]>::try_from(b.as_slice())
                .ok()
                .map(|a| std::net::IpAddr::from(a).to_string()),
            _ => None,
        })
        .collect();
    if dns.contains(&cn) || ips.iter().any(|i| i == cn) {
        return None;
    }
    let hex_ipv4 = cn.len() > 2
        && cn.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("0x"))
        && cn
            .get(2..)
            .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit()));
    let dotted = cn.split('.').count() == 4
        && cn
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let bad_ipv4 = hex_ipv4 || dotted && cn.parse::<std::net::Ipv4Addr>().is_err();
    let bad_ipv6 = cn
        .parse::<std::net::Ipv6Addr>()
        .is_ok_and(|ip| ip.to_string() != cn);
    if bad_ipv4 || bad_ipv6 {
        return Some("is an IP address not written in its canonical form");
    }
    if dns.iter().any(|d| d.eq_ignore_ascii_case(cn)) {
        return Some("differs in case from the subjectAltName dNSName");
    }
    if !cn.is_ascii()
        || cn
            .split('.')
            .any(|l| l.len() >= 4 && l.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--")))
    {
        return Some(
            "is an internationalised host name that is not among the subjectAltName values",
        );
    }
    None
}
