//! The steps of RFC 5280 §6.1 that look at certificates alone, one function per step: each
//! takes the certificate (and the state it needs) and returns the failed [`Check`]s, so that
//! each can be tested on its own. The signature step (a)(1) and revocation (§6.3) need the
//! verifier's keys, caches and budgets and live in the search engine (`engine`).

use super::name_constraints;
use super::options::{KeyUsageRequirement, Options};
use super::peer_name;
use super::policy::{self, CertPolicyInfo};
use super::profile::{self, Profile, Role};
use crate::asn1::oid::known;
use crate::asn1::time::Moment;
use crate::asn1::{format_time, Oid};
use crate::verdict::{Check, Rule};
use crate::x509::ext::{KeyUsage, NameConstraints};
use crate::x509::Certificate;
use std::sync::Arc;

/// A failed check about the certificate at position `i` of the path.
pub(super) fn fail_at(
    i: usize,
    cert: &Certificate,
    rule: Rule,
    message: impl Into<std::borrow::Cow<'static, str>>,
) -> Check {
    Check::failed(rule, message).about(cert.as_subject(Some(i)))
}

/// The caller's depth bounds: `Options::max_intermediates` (self-issued certificates do not
/// count, as x509-limbo's `max_chain_depth`) and `Limits::max_path_depth`.
pub(super) fn depth(path: &[Arc<Certificate>], options: &Options, max_depth: usize) -> Vec<Check> {
    let mut out = Vec::new();
    let n = path.len().saturating_sub(1);
    let intermediates = path
        .iter()
        .skip(1)
        .take(n.saturating_sub(1))
        .filter(|c| !c.is_self_issued())
        .count();
    if let Some(max) = options.max_intermediates {
        if intermediates > max {
            out.push(Check::failed(
                Rule::Depth,
                format!("the path has {intermediates} intermediate CA certificates, more than the maximum of {max}"),
            ));
        }
    }
    if path.len() > max_depth {
        out.push(Check::failed(
            Rule::Depth,
            format!(
                "the path has {} certificates, more than Limits::max_path_depth = {max_depth}",
                path.len()
            ),
        ));
    }
    out
}

/// §6.1.3 (a)(2): the certificate at `i` is within its validity period at the validation time.
pub(super) fn validity(
    i: usize,
    cert: &Certificate,
    moment: &Moment,
    anchor: bool,
) -> Option<Check> {
    let what = if anchor && i == 0 {
        "trust anchor "
    } else {
        ""
    };
    if moment.is_before(cert.not_before) {
        return Some(fail_at(
            i,
            cert,
            Rule::Validity,
            format!(
                "{what}not valid until {} (valid {} to {})",
                format_time(cert.not_before),
                format_time(cert.not_before),
                format_time(cert.not_after)
            ),
        ));
    }
    if moment.is_after(cert.not_after) {
        return Some(fail_at(
            i,
            cert,
            Rule::Validity,
            format!(
                "{what}expired on {} (valid {} to {})",
                format_time(cert.not_after),
                format_time(cert.not_before),
                format_time(cert.not_after)
            ),
        ));
    }
    None
}

/// §6.1.1 (d): the constraints a trust anchor carries, which sigbridge applies — validity,
/// unknown critical extensions, keyUsage keyCertSign, the profile rules for anchors. (The
/// anchor's name constraints are collected by the caller with the others.) A target that is
/// itself an anchor (`is_target`) is held to validity and the end-entity profile only.
pub(super) fn anchor(
    anchor: &Certificate,
    moment: &Moment,
    profile: Profile,
    is_target: bool,
) -> Vec<Check> {
    let mut out: Vec<Check> = validity(0, anchor, moment, true).into_iter().collect();
    if is_target {
        out.extend(profile_rules(0, anchor, Role::EndEntity, profile));
        return out;
    }
    out.extend(critical_extensions(0, anchor));
    if anchor
        .extensions
        .key_usage
        .is_some_and(|k| !k.has(KeyUsage::KEY_CERT_SIGN))
    {
        out.push(fail_at(
            0,
            anchor,
            Rule::KeyUsage,
            "trust anchor keyUsage lacks keyCertSign",
        ));
    }
    out.extend(profile_rules(0, anchor, Role::Anchor, profile));
    out
}

/// §6.1.3 (a)(4): the certificate's issuer name is the working issuer name.
pub(super) fn name_chaining(
    i: usize,
    cert: &Certificate,
    working_issuer: &Certificate,
) -> Option<Check> {
    (!cert.issuer.matches(&working_issuer.subject)).then(|| {
        fail_at(
            i,
            cert,
            Rule::NameChaining,
            format!(
                "issuer {} does not match the subject {} of the certificate above",
                cert.issuer, working_issuer.subject
            ),
        )
    })
}

/// §6.1.3 (b)(c): the subject and subjectAltName are within the name constraints of every
/// CA above (`constraints`: position of the constraining certificate and its constraints).
/// Self-issued intermediates are exempt; the comparisons draw on `budget`
/// (`Limits::max_name_constraint_checks`).
pub(super) fn name_constraints(
    i: usize,
    cert: &Certificate,
    is_target: bool,
    constraints: &[(usize, &NameConstraints)],
    path: &[Arc<Certificate>],
    budget: &mut u64,
) -> Vec<Check> {
    if !is_target && cert.is_self_issued() {
        return Vec::new();
    }
    let san = cert.extensions.subject_alt_name.as_deref();
    let mut out = Vec::new();
    for (ci, nc) in constraints {
        if let Some(why) = undecodable_names(cert) {
            let by = path.get(*ci).map(|c| c.label()).unwrap_or_default();
            out.push(fail_at(
                i,
                cert,
                Rule::NameConstraints,
                format!("{why}: the names cannot be checked against the name constraints of {by}"),
            ));
            continue;
        }
        if let Err(e) = name_constraints::check(&cert.subject, san, nc, budget) {
            let by = path.get(*ci).map(|c| c.label()).unwrap_or_default();
            out.push(fail_at(
                i,
                cert,
                Rule::NameConstraints,
                format!("{e} (constraint of {by})"),
            ));
        }
    }
    out
}

/// Why the certificate's names are not fully known, when they are not: a non-critical
/// subjectAltName that did not decode, or a subject attribute kept as raw bytes. A check
/// that needs the names (name constraints, peer names) fails then.
fn undecodable_names(cert: &Certificate) -> Option<String> {
    use crate::x509::Deviation;
    cert.deviations.iter().find_map(|d| match d {
        Deviation::UndecodableSubjectAltName { .. } => Some(d.to_string()),
        Deviation::NameStringEncoding {
            field: "subject", ..
        } => Some(d.to_string()),
        _ => None,
    })
}

/// RFC 5280 §4 issuance rules (and the Web PKI rules when asked) for the certificate's role.
pub(super) fn profile_rules(
    i: usize,
    cert: &Certificate,
    role: Role,
    profile: Profile,
) -> Vec<Check> {
    profile::violations(cert, role, profile)
        .into_iter()
        .map(|v| fail_at(i, cert, Rule::Profile, v))
        .collect()
}

/// §6.1.4 (o) and §6.1.5 (f): no critical extension sigbridge does not process.
pub(super) fn critical_extensions(i: usize, cert: &Certificate) -> Vec<Check> {
    cert.extensions
        .unknown_critical
        .iter()
        .map(|oid| {
            fail_at(
                i,
                cert,
                Rule::CriticalExtension,
                format!("unrecognised critical extension {oid}"),
            )
        })
        .collect()
}

/// §6.1.4 (k): an intermediate is a version 3 certificate with basicConstraints cA.
pub(super) fn basic_constraints(i: usize, cert: &Certificate) -> Option<Check> {
    if cert.version < 3 {
        return Some(fail_at(
            i,
            cert,
            Rule::Version,
            format!(
                "version {} certificate used as a CA (intermediates must be version 3)",
                cert.version
            ),
        ));
    }
    (!cert.is_ca()).then(|| {
        fail_at(
            i,
            cert,
            Rule::BasicConstraints,
            "used as a CA but basicConstraints is absent or cA is false",
        )
    })
}

/// §6.1.4 (l)(m): the intermediate fits under the pathLenConstraints above; updates
/// `max_path_length` (initialised to the path length n).
pub(super) fn path_length(
    i: usize,
    cert: &Certificate,
    max_path_length: &mut usize,
) -> Option<Check> {
    let mut out = None;
    if !cert.is_self_issued() {
        if *max_path_length == 0 {
            out = Some(fail_at(
                i,
                cert,
                Rule::PathLength,
                "too many CA certificates below a pathLenConstraint above",
            ));
        }
        *max_path_length = max_path_length.saturating_sub(1);
    }
    if let Some(pl) = cert.extensions.basic_constraints.and_then(|b| b.path_len) {
        *max_path_length = (*max_path_length).min(pl as usize);
    }
    out
}

/// §6.1.4 (n): an intermediate with keyUsage asserts keyCertSign.
pub(super) fn ca_key_usage(i: usize, cert: &Certificate) -> Option<Check> {
    cert.extensions
        .key_usage
        .filter(|ku| !ku.has(KeyUsage::KEY_CERT_SIGN))
        .map(|_| {
            fail_at(
                i,
                cert,
                Rule::KeyUsage,
                "CA certificate without keyCertSign in keyUsage",
            )
        })
}

/// The end entity's keyUsage (when present) allows what the caller requires.
pub(super) fn end_entity_key_usage(
    i: usize,
    cert: &Certificate,
    req: KeyUsageRequirement,
) -> Option<Check> {
    let ku = cert.extensions.key_usage?;
    if ku.has(req.all_of) && (req.any_of == 0 || ku.0 & req.any_of != 0) {
        return None;
    }
    let mut wanted: Vec<&str> = KeyUsage(req.all_of).names();
    if req.any_of != 0 {
        wanted.push("one of");
        wanted.extend(KeyUsage(req.any_of).names());
    }
    Some(fail_at(
        i,
        cert,
        Rule::KeyUsage,
        format!(
            "keyUsage is {{{}}}; required: {}",
            ku.names().join(", "),
            wanted.join(" ")
        ),
    ))
}

/// The certificate's extendedKeyUsage (when present) holds every required purpose, or
/// anyExtendedKeyUsage.
pub(super) fn extended_key_usage(i: usize, cert: &Certificate, required: &[Oid]) -> Vec<Check> {
    let Some(ekus) = &cert.extensions.extended_key_usage else {
        return Vec::new();
    };
    if ekus.contains(&known::ANY_EKU) {
        return Vec::new();
    }
    required
        .iter()
        .filter(|r| !ekus.contains(r))
        .map(|r| {
            let have: Vec<String> = ekus.iter().map(crate::asn1::oid::describe).collect();
            fail_at(
                i,
                cert,
                Rule::ExtendedKeyUsage,
                format!(
                    "extendedKeyUsage {{{}}} does not include {}",
                    have.join(", "),
                    crate::asn1::oid::describe(r)
                ),
            )
        })
        .collect()
}

/// RFC 3161 §2.3 (for a TSA): extendedKeyUsage present, critical, and holding exactly the
/// required purposes (anyExtendedKeyUsage does not stand in for them here).
pub(super) fn strict_extended_key_usage(
    i: usize,
    cert: &Certificate,
    required: &[Oid],
) -> Vec<Check> {
    let wanted: Vec<String> = required.iter().map(crate::asn1::oid::describe).collect();
    let Some(ekus) = &cert.extensions.extended_key_usage else {
        return vec![fail_at(
            i,
            cert,
            Rule::ExtendedKeyUsage,
            format!("no extendedKeyUsage: {} is required", wanted.join(", ")),
        )];
    };
    let mut out = Vec::new();
    if !cert.extensions.is_critical(&known::EXT_EXT_KEY_USAGE) {
        out.push(fail_at(
            i,
            cert,
            Rule::ExtendedKeyUsageCritical,
            "extendedKeyUsage is not marked critical (RFC 3161 §2.3 requires it for a TSA)",
        ));
    }
    let missing = required.iter().any(|r| !ekus.contains(r));
    let extra = ekus.iter().any(|e| !required.contains(e));
    if missing || extra {
        let have: Vec<String> = ekus.iter().map(crate::asn1::oid::describe).collect();
        out.push(fail_at(
            i,
            cert,
            Rule::ExtendedKeyUsageOnly,
            format!(
                "extendedKeyUsage {{{}}} must be exactly {{{}}}",
                have.join(", "),
                wanted.join(", ")
            ),
        ));
    }
    out
}

/// The end-entity requirements: key usage, extended key usage and peer names.
pub(super) fn end_entity(i: usize, cert: &Certificate, options: &Options) -> Vec<Check> {
    let mut out: Vec<Check> = end_entity_key_usage(i, cert, options.key_usage)
        .into_iter()
        .collect();
    if options.strict_extended_key_usage {
        out.extend(strict_extended_key_usage(
            i,
            cert,
            &options.extended_key_usage,
        ));
    } else {
        out.extend(extended_key_usage(i, cert, &options.extended_key_usage));
    }
    for name in &options.peer_names {
        if let Some(why) = undecodable_names(cert) {
            out.push(fail_at(
                i,
                cert,
                Rule::PeerName,
                format!("{why}: the peer name {name} cannot be checked"),
            ));
            continue;
        }
        if let Err(e) = peer_name::matches(
            name,
            &cert.subject,
            cert.extensions.subject_alt_name.as_deref(),
        ) {
            out.push(fail_at(i, cert, Rule::PeerName, e.to_string()));
        }
    }
    out
}

/// The policy sets a path yields (§6.1.5 (g)).
pub(super) struct PolicySets {
    /// user-constrained-policy-set.
    pub(super) user: Vec<Oid>,
    /// authorities-constrained-policy-set.
    pub(super) authorities: Vec<Oid>,
}

/// §6.1.3 (d)-(f), §6.1.4 (a)(h)-(j), §6.1.5 (g): the RFC 9618 policy graph over the
/// certificates below the anchor.
pub(super) fn policies(path: &[Arc<Certificate>], options: &Options) -> Result<PolicySets, Check> {
    if path.len() < 2 {
        return Ok(PolicySets {
            user: options.policy.initial_policy_set.clone(),
            authorities: vec![known::ANY_POLICY],
        });
    }
    let infos: Vec<CertPolicyInfo<'_>> = path
        .iter()
        .skip(1)
        .map(|c| {
            let pc = c.extensions.policy_constraints;
            CertPolicyInfo {
                policies: c.extensions.certificate_policies.as_deref(),
                mappings: c.extensions.policy_mappings.as_deref(),
                require_explicit_policy: pc.and_then(|p| p.require_explicit_policy),
                inhibit_policy_mapping: pc.and_then(|p| p.inhibit_policy_mapping),
                inhibit_any_policy: c.extensions.inhibit_any_policy,
                self_issued: c.is_self_issued(),
            }
        })
        .collect();
    match policy::process_policies(&infos, &options.policy, options.limits.max_policy_nodes) {
        Ok(out) => Ok(PolicySets {
            user: out.user_constrained_policy_set,
            authorities: out.authorities_constrained_policy_set,
        }),
        Err(e) => {
            let idx = match &e {
                policy::PolicyError::NoAcceptablePolicy { cert_index }
                | policy::PolicyError::AnyPolicyMapping { cert_index } => Some(cert_index + 1),
                policy::PolicyError::GraphTooLarge { .. } => None,
            };
            Err(match idx.and_then(|k| path.get(k).map(|c| (k, c))) {
                Some((k, c)) => fail_at(k, c, Rule::Policy, e.to_string()),
                None => Check::failed(Rule::Policy, e.to_string()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x509::ext::BasicConstraints;

    fn cert(pem: &[u8]) -> Certificate {
        let der = pem::parse(pem).unwrap().into_contents();
        Certificate::from_der(&der).unwrap()
    }
    fn root() -> Certificate {
        cert(include_bytes!("../../fixtures/path-demo/root.pem"))
    }
    fn ca() -> Certificate {
        cert(include_bytes!("../../fixtures/path-demo/ca.pem"))
    }
    fn signer() -> Certificate {
        cert(include_bytes!("../../fixtures/path-demo/signer.pem"))
    }

    #[test]
    fn names_that_did_not_decode_fail_where_they_are_needed() {
        use crate::validate::peer_name::PeerName;
        use crate::x509::{Deviation, GeneralName};
        let mut c = signer();
        let nc = NameConstraints {
            permitted: Some(vec![GeneralName::Dns("example.cn".to_owned())]),
            excluded: None,
        };
        let path = [Arc::new(ca())];
        let mut budget = 1000;
        let mut options = Options::at(c.not_before);
        options.peer_names = vec![PeerName::Dns("example.cn".to_owned())];
        // Well-formed: the constraint on another form does not touch it.
        let before = name_constraints(2, &c, true, &[(0, &nc)], &path, &mut budget);
        c.deviations.push(Deviation::UndecodableSubjectAltName {
            detail: "primitive x400Address".to_owned(),
        });
        let after = name_constraints(2, &c, true, &[(0, &nc)], &path, &mut budget);
        assert!(before.is_empty(), "{before:?}");
        let [failed] = after.as_slice() else {
            panic!("{after:?}")
        };
        assert_eq!(failed.rule, Rule::NameConstraints);
        assert!(
            failed.message.contains("cannot be checked"),
            "{}",
            failed.message
        );
        // No constraint and no peer name: nothing needs the names.
        assert!(name_constraints(2, &c, true, &[], &path, &mut budget).is_empty());
        let peer = end_entity(2, &c, &options);
        assert!(
            peer.iter()
                .any(|k| k.rule == Rule::PeerName && k.message.contains("cannot be checked")),
            "{peer:?}"
        );
        options.peer_names.clear();
        assert!(!end_entity(2, &c, &options)
            .iter()
            .any(|k| k.rule == Rule::PeerName));
    }

    #[test]
    fn validity_fails_outside_the_period_and_narrows_the_window_inside() {
        let c = signer();
        let inside = Moment::new(c.not_before + 10);
        assert!(validity(2, &c, &inside, false).is_none());
        assert_eq!(inside.window(), (c.not_before, c.not_after));
        let early = validity(2, &c, &Moment::new(c.not_before - 1), false).unwrap();
        assert_eq!(early.rule, Rule::Validity);
        assert!(
            early.message.starts_with("not valid until"),
            "{}",
            early.message
        );
        assert_eq!(early.subject.as_ref().and_then(|s| s.index), Some(2));
        let late = validity(2, &c, &Moment::new(c.not_after + 1), false).unwrap();
        assert!(late.message.starts_with("expired on"), "{}", late.message);
        let anchor_late = validity(0, &c, &Moment::new(c.not_after + 1), true).unwrap();
        assert!(
            anchor_late.message.starts_with("trust anchor expired"),
            "{}",
            anchor_late.message
        );
    }

    #[test]
    fn name_chaining_compares_issuer_with_the_subject_above() {
        assert!(name_chaining(2, &signer(), &ca()).is_none());
        let c = name_chaining(2, &signer(), &root()).unwrap();
        assert_eq!(c.rule, Rule::NameChaining);
    }

    #[test]
    fn intermediates_need_v3_and_ca() {
        let mut c = ca();
        assert!(basic_constraints(1, &c).is_none());
        c.extensions.basic_constraints = Some(BasicConstraints {
            ca: false,
            path_len: None,
        });
        assert_eq!(
            basic_constraints(1, &c).map(|c| c.rule),
            Some(Rule::BasicConstraints)
        );
        c.version = 1;
        assert_eq!(
            basic_constraints(1, &c).map(|c| c.rule),
            Some(Rule::Version)
        );
    }

    #[test]
    fn path_length_counts_non_self_issued_intermediates() {
        let mut c = ca();
        c.extensions.basic_constraints = Some(BasicConstraints {
            ca: true,
            path_len: Some(0),
        });
        let mut max = 3;
        assert!(path_length(1, &c, &mut max).is_none());
        assert_eq!(max, 0);
        let below = ca();
        assert_eq!(
            path_length(2, &below, &mut max).map(|c| c.rule),
            Some(Rule::PathLength)
        );
        // A self-issued certificate does not count.
        let mut self_issued = ca();
        self_issued.issuer = self_issued.subject.clone();
        let mut zero = 0;
        assert!(path_length(2, &self_issued, &mut zero).is_none());
    }

    #[test]
    fn key_usage_of_cas_and_end_entities() {
        let mut c = ca();
        assert!(ca_key_usage(1, &c).is_none());
        c.extensions.key_usage = Some(KeyUsage(KeyUsage::DIGITAL_SIGNATURE));
        assert_eq!(ca_key_usage(1, &c).map(|c| c.rule), Some(Rule::KeyUsage));
        let mut ee = signer();
        ee.extensions.key_usage = Some(KeyUsage(KeyUsage::KEY_ENCIPHERMENT));
        let req = KeyUsageRequirement::document_signer();
        let f = end_entity_key_usage(2, &ee, req).unwrap();
        assert!(f.message.contains("one of"), "{}", f.message);
        ee.extensions.key_usage = Some(KeyUsage(KeyUsage::NON_REPUDIATION));
        assert!(end_entity_key_usage(2, &ee, req).is_none());
        ee.extensions.key_usage = None;
        assert!(end_entity_key_usage(2, &ee, KeyUsageRequirement::crl_signer()).is_none());
    }

    #[test]
    fn extended_key_usage_is_checked_only_when_present() {
        let mut ee = signer();
        ee.extensions.extended_key_usage = None;
        assert!(extended_key_usage(2, &ee, &[known::KP_TIME_STAMPING]).is_empty());
        ee.extensions.extended_key_usage = Some(vec![known::KP_EMAIL_PROTECTION]);
        let f = extended_key_usage(2, &ee, &[known::KP_TIME_STAMPING]);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("timeStamping"), "{}", f[0].message);
        ee.extensions.extended_key_usage = Some(vec![known::ANY_EKU]);
        assert!(extended_key_usage(2, &ee, &[known::KP_TIME_STAMPING]).is_empty());
    }

    #[test]
    fn unknown_critical_extensions_fail() {
        let mut c = ca();
        assert!(critical_extensions(1, &c).is_empty());
        c.extensions
            .unknown_critical
            .push(Oid::from_dotted("1.2.3.4").unwrap());
        assert_eq!(critical_extensions(1, &c)[0].rule, Rule::CriticalExtension);
    }

    #[test]
    fn anchors_carry_their_constraints() {
        let r = root();
        let t = Moment::new(r.not_before + 1);
        assert!(anchor(&r, &t, Profile::default(), false).is_empty());
        let mut no_sign = root();
        no_sign.extensions.key_usage = Some(KeyUsage(KeyUsage::DIGITAL_SIGNATURE));
        assert_eq!(
            anchor(&no_sign, &t, Profile::default(), false)[0].rule,
            Rule::KeyUsage
        );
        let expired = anchor(&r, &Moment::new(r.not_after + 1), Profile::default(), false);
        assert_eq!(expired[0].rule, Rule::Validity);
    }

    #[test]
    fn depth_bounds() {
        let path: Vec<Arc<Certificate>> =
            vec![Arc::new(root()), Arc::new(ca()), Arc::new(signer())];
        let mut o = Options::at(0);
        assert!(depth(&path, &o, 16).is_empty());
        o.max_intermediates = Some(0);
        assert_eq!(depth(&path, &o, 16)[0].rule, Rule::Depth);
        o.max_intermediates = None;
        assert_eq!(depth(&path, &o, 2)[0].rule, Rule::Depth);
    }

    #[test]
    fn the_demo_chain_carries_the_mr_policy() {
        let path: Vec<Arc<Certificate>> =
            vec![Arc::new(root()), Arc::new(ca()), Arc::new(signer())];
        let sets = policies(&path, &Options::at(0)).ok().unwrap();
        assert!(
            sets.user
                .iter()
                .any(|p| p.starts_with(&known::MR_POLICY_ARC)),
            "{:?}",
            sets.user
        );
        let mut o = Options::at(0);
        o.policy.initial_policy_set = vec![Oid::from_dotted("1.2.3.4").unwrap()];
        o.policy.initial_explicit_policy = true;
        assert_eq!(
            policies(&path, &o).err().map(|c| c.rule),
            Some(Rule::Policy)
        );
    }
}
