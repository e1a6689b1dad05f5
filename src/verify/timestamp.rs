//! One timestamp token → its [`TimestampReport`]: the checks on the token alone
//! ([`crate::document::timestamp::check_token`]) and the TSA certificate's path at the
//! validation time — critical id-kp-timeStamping and only it, digitalSignature or
//! nonRepudiation when keyUsage is present, revocation as the verifier requires, with the
//! certificates, CRLs and OCSP responses the token itself carries.

use super::caches::Caches;
use super::signer::{Job, Stamps};
use crate::asn1::format_time;
use crate::asn1::oid::known;
use crate::document::cms::SignerInfo;
use crate::document::timestamp::{check_token, Stamped, TimestampError, TimestampToken};
use crate::report::document::ChainEntry;
use crate::report::timestamp::{TimestampKind, TimestampReport};
use crate::revocation::ocsp::OcspResponse;
use crate::validate::{KeyUsageRequirement, Options, Outcome, Sources};
use crate::verdict::{Check, Rule, Verdict};
use crate::x509::ext::KeyUsage;
use crate::x509::Certificate;
use std::sync::Arc;

/// The validation options of a TSA certificate, from the signer's.
pub(super) fn tsa_options(base: &Options) -> Options {
    let mut o = base.clone();
    o.key_usage = KeyUsageRequirement {
        all_of: 0,
        any_of: KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION,
    };
    o.extended_key_usage = vec![known::KP_TIME_STAMPING];
    o.strict_extended_key_usage = true;
    o.eku_on_intermediates = false;
    o.peer_names.clear();
    o.past_validation = false;
    o.policy = crate::validate::policy::PolicyInputs::default();
    o
}

/// The report of a token that did not decode.
pub(super) fn undecodable(kind: TimestampKind, e: &TimestampError) -> TimestampReport {
    let checks = vec![Check::failed(Rule::TimestampToken, e.to_string())];
    let v = Verdict::of_checks(&checks);
    TimestampReport {
        kind,
        indication: v.indication,
        sub_indication: v.sub_indication,
        gen_time: None,
        gen_time_value: None,
        accuracy_seconds: None,
        tsa: None,
        tsa_name: None,
        policy: String::new(),
        serial: String::new(),
        hash_algorithm: String::new(),
        message_imprint: String::new(),
        nonce: None,
        signature_algorithm: String::new(),
        chain: Vec::new(),
        revocation: Vec::new(),
        checks,
    }
}

impl Job<'_> {
    /// The signer's timestamps, each verified at the validation time.
    pub(super) fn timestamps(&self, si: &SignerInfo, stamps: &Stamps) -> Vec<TimestampReport> {
        let mut out = Vec::new();
        for t in &stamps.content {
            out.push(match t {
                Ok(token) => {
                    let alg = token.imprint_algorithm();
                    let digest = self.content.digest_for(alg);
                    match alg {
                        Some(a) => self.verify_token(
                            token,
                            Stamped::Digest(a, digest),
                            TimestampKind::Content,
                        ),
                        None => {
                            self.verify_token(token, Stamped::Data(&[]), TimestampKind::Content)
                        }
                    }
                }
                Err(e) => undecodable(TimestampKind::Content, e),
            });
        }
        for t in &stamps.signature {
            out.push(match t {
                Ok(token) => self.verify_token(
                    token,
                    Stamped::Data(&si.signature),
                    TimestampKind::Signature,
                ),
                Err(e) => undecodable(TimestampKind::Signature, e),
            });
        }
        out
    }

    /// Verifies `token` as stamping `stamped`, at the job's validation time.
    pub(super) fn verify_token(
        &self,
        token: &TimestampToken,
        stamped: Stamped<'_>,
        kind: TimestampKind,
    ) -> TimestampReport {
        let extra: Vec<Arc<Certificate>> = self.pool.iter().cloned().collect();
        let check = check_token(token, stamped, &extra, &self.options.algorithms);
        let info = &token.info;
        let mut report = TimestampReport {
            kind,
            indication: crate::verdict::Indication::TotalPassed,
            sub_indication: None,
            gen_time: Some(format_time(info.gen_time)),
            gen_time_value: Some(info.gen_time),
            accuracy_seconds: info.accuracy.map(|a| a.ceil_seconds()),
            tsa: check.tsa.as_ref().map(|c| c.label()),
            tsa_name: info.tsa.as_ref().map(|n| n.to_string()),
            policy: info.policy.to_string(),
            serial: hex::encode(&info.serial),
            hash_algorithm: token
                .imprint_algorithm()
                .map(|d| d.name().to_owned())
                .unwrap_or_else(|| info.message_imprint.hash_algorithm.oid.to_string()),
            message_imprint: hex::encode(&info.message_imprint.hashed_message),
            nonce: info.nonce.as_ref().map(hex::encode),
            signature_algorithm: check.signature_algorithm.clone().unwrap_or_default(),
            chain: Vec::new(),
            revocation: Vec::new(),
            checks: check.checks,
        };
        if let Some(tsa) = &check.tsa {
            let outcome = self.tsa_path(token, tsa);
            report.chain = outcome.path.iter().map(|c| ChainEntry::of(c)).collect();
            report.revocation = outcome.revocation.clone();
            if outcome.is_valid() {
                report.checks.push(Check::passed(
                    Rule::CertificatePath,
                    format!(
                        "the TSA certificate chains to a trust anchor ({})",
                        outcome.anchor_store.as_deref().unwrap_or_default()
                    ),
                ));
            }
            report.checks.extend(outcome.errors.iter().cloned());
            report.checks.extend(outcome.warnings.iter().cloned());
        }
        let v = Verdict::of_checks(&report.checks);
        report.indication = v.indication;
        report.sub_indication = v.sub_indication;
        report
    }

    /// The TSA certificate's path at the validation time, with what the token carries.
    fn tsa_path(&self, token: &TimestampToken, tsa: &Arc<Certificate>) -> Arc<Outcome> {
        let sd = &token.signed_data;
        let mut pool = self.pool.clone();
        for c in &sd.certificates {
            pool.add(Arc::clone(c));
        }
        let mut crls = self.crls.to_vec();
        crls.extend(sd.crls.iter().cloned());
        let mut ocsp: Vec<Arc<OcspResponse>> = self.ocsp.to_vec();
        let limits = &self.options.limits;
        ocsp.extend(carried_ocsp(
            &sd.other_revocation,
            limits,
            self.caches,
            &self.caches.evidence.limits_key(limits),
        ));
        let options = tsa_options(self.options);
        let sources = Sources::new(&pool, &self.settings.anchors, &crls)
            .ocsp(&ocsp)
            .fetcher(self.settings.fetcher.as_deref());
        self.caches.validate(tsa, sources, &options)
    }
}

/// The OCSP responses among a SignedData's other RevocationInfoChoices (RFC 5940
/// id-ri-ocsp-response); those that do not decode are left out. Parsed through `cache`
/// (`limits_key`: [`EvidenceCache::limits_key`] of `limits`).
pub(super) fn carried_ocsp(
    other: &[(crate::asn1::Oid, Vec<u8>)],
    limits: &crate::Limits,
    caches: &Caches,
    limits_key: &crate::crypto::Digest32,
) -> Vec<Arc<OcspResponse>> {
    other
        .iter()
        .filter(|(f, _)| *f == known::RI_OCSP_RESPONSE)
        .filter_map(|(_, der)| {
            caches
                .evidence
                .response(der, limits, limits_key, &caches.objects)
                .ok()
        })
        .collect()
}
