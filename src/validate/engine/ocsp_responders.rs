//! Delegated OCSP responders for [`crate::revocation::ocsp`] (the `OcspResponderResolver`
//! hook), on the CRL-signer model: a responder certificate must validate, through the CA
//! whose certificate is being checked, to the same trust anchor, with id-kp-OCSPSigning;
//! its own revocation is checked unless it carries id-pkix-ocsp-nocheck. Response
//! signatures go through the engine's cache and budget.

use super::{Engine, SignerState};
use crate::asn1::oid::known;
use crate::asn1::time::Moment;
use crate::crypto::{AlgorithmPolicy, Digest32, SignatureError, VerifiedSignature};
use crate::revocation::ocsp::{OcspResponderResolver, OcspResponse};
use crate::revocation::RevocationMode;
use crate::validate::options::{KeyUsageRequirement, Options};
use crate::validate::policy::PolicyInputs;
use crate::x509::Certificate;
use std::sync::Arc;

/// Validates delegated responders for the revocation check of `path[upto]`.
pub(super) struct ResponderResolver<'r, 'a> {
    pub(super) engine: &'r mut Engine<'a>,
    pub(super) options: &'r Options,
    pub(super) anchor: Digest32,
    pub(super) depth: usize,
    /// Where the time comparisons of the responders' validations are recorded.
    pub(super) moment: &'r Moment,
}

impl ResponderResolver<'_, '_> {
    /// The responder's validation and the time window over which its result holds.
    fn validate(
        &mut self,
        responder: &Arc<Certificate>,
        ca: &Certificate,
    ) -> (Result<(), String>, (i64, i64)) {
        if self.depth >= 2 {
            return (
                Err("responder validations nested too deep".to_owned()),
                (i64::MIN, i64::MAX),
            );
        }
        let mut sub = self.options.clone();
        sub.key_usage = KeyUsageRequirement::default();
        sub.extended_key_usage = vec![known::KP_OCSP_SIGNING];
        sub.strict_extended_key_usage = false;
        sub.peer_names.clear();
        sub.max_intermediates = None;
        sub.policy = PolicyInputs::default();
        if responder.extensions.ocsp_nocheck || self.depth >= 1 {
            sub.revocation = RevocationMode::Off;
        }
        let outcome = self
            .engine
            .run(responder, &sub, self.depth + 1, Some(self.anchor));
        let window = outcome.window;
        if !outcome.is_valid() {
            let why: Vec<String> = outcome
                .errors
                .iter()
                .map(|c| c.message.to_string())
                .collect();
            return (Err(why.join("; ")), window);
        }
        let through_ca = outcome
            .path
            .len()
            .checked_sub(2)
            .and_then(|i| outcome.path.get(i))
            .is_some_and(|c| c.sha256 == ca.sha256);
        if !through_ca {
            return (
                Err(format!(
                    "its path does not go through the CA {} (it was not issued with that CA's key)",
                    ca.label()
                )),
                window,
            );
        }
        (Ok(()), window)
    }
}

impl OcspResponderResolver for ResponderResolver<'_, '_> {
    fn delegated_responder(
        &mut self,
        responder: &Arc<Certificate>,
        ca: &Certificate,
    ) -> Result<(), String> {
        let key = (self.anchor, responder.sha256, ca.sha256);
        match self.engine.responder_cache.get(&key) {
            Some((SignerState::Valid(w), _)) => {
                self.moment.narrow(*w);
                return Ok(());
            }
            Some((SignerState::Invalid(w), why)) => {
                self.moment.narrow(*w);
                return Err(why.clone());
            }
            // A responder whose own status rests on its own answers proves nothing.
            Some((SignerState::InProgress, _)) => {
                return Err("its own revocation status depends on its own responses".to_owned())
            }
            None => {}
        }
        self.engine
            .responder_cache
            .insert(key, (SignerState::InProgress, String::new()));
        let (r, window) = self.validate(responder, ca);
        self.moment.narrow(window);
        let state = match &r {
            Ok(()) => (SignerState::Valid(window), String::new()),
            Err(why) => (SignerState::Invalid(window), why.clone()),
        };
        self.engine.responder_cache.insert(key, state);
        r
    }

    fn verify_response_signature(
        &mut self,
        response: &OcspResponse,
        signer: &Certificate,
        _algorithms: &AlgorithmPolicy,
    ) -> Option<Result<VerifiedSignature, SignatureError>> {
        let basic = response.basic.as_ref()?;
        self.engine.check_signed(
            response.sha256,
            signer,
            &basic.signature_algorithm,
            response.tbs(),
            &basic.signature,
            None,
        )
    }
}
