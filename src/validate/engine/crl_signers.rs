//! CRL signers for [`crate::revocation`] (the `CrlSignerResolver` hook): each candidate named
//! like the CRL's issuer must validate to the same trust anchor as the certificate being
//! checked; validations are memoised per validation and their time windows carried up.

use super::{Engine, SignerState};
use crate::asn1::time::Moment;
use crate::crypto::{self, AlgorithmPolicy, Digest32, SignatureError, VerifiedSignature};
use crate::revocation::{CrlSignerResolver, RevocationMode};
use crate::validate::options::{KeyUsageRequirement, Options};
use crate::validate::policy::PolicyInputs;
use crate::x509::{Certificate, Crl};
use std::sync::Arc;

/// Finds and validates CRL signers for `revocation`: each candidate's own path must
/// validate to the same trust anchor. Nested revocation checks go at most two levels deep.
pub(super) struct SignerResolver<'r, 'a> {
    pub(super) engine: &'r mut Engine<'a>,
    pub(super) options: &'r Options,
    pub(super) anchor: Digest32,
    pub(super) depth: usize,
    pub(super) path: &'r [Arc<Certificate>],
    /// Index of the certificate being checked: only certificates above it are candidates.
    pub(super) upto: usize,
    /// Where the time comparisons of the signers' validations are recorded.
    pub(super) moment: &'r Moment,
}

impl SignerResolver<'_, '_> {
    fn above(&self) -> &[Arc<Certificate>] {
        self.path.get(..self.upto).unwrap_or_default()
    }

    /// The certificates named like the CRL's issuer: on the path above the certificate
    /// being checked, then the anchors, then the pool.
    fn candidates(&self, crl: &Crl) -> Vec<Arc<Certificate>> {
        let mut out: Vec<Arc<Certificate>> = Vec::new();
        let sources = self.engine.sources;
        let named = self
            .above()
            .iter()
            .chain(sources.anchors.iter().map(|a| &a.cert))
            .chain(sources.pool.with_subject(&crl.issuer));
        for c in named {
            if c.subject.matches(&crl.issuer) && !out.iter().any(|x| x.sha256 == c.sha256) {
                out.push(Arc::clone(c));
            }
        }
        out
    }

    /// Whether `c` is a valid CRL signer under the same anchor (validated once per
    /// validation; the validation's time window narrows the caller's).
    fn signer_is_valid(&mut self, c: &Arc<Certificate>) -> bool {
        let key = (self.anchor, c.sha256);
        match self.engine.signer_cache.get(&key) {
            Some(SignerState::Valid(w)) => {
                self.moment.narrow(*w);
                return true;
            }
            Some(SignerState::Invalid(w)) => {
                self.moment.narrow(*w);
                return false;
            }
            // A CRL issuer whose own status is given by the CRL it signs (PKITS 4.14.30):
            // its path is being validated further up; accept it provisionally — if that
            // validation fails, so does everything that relied on it.
            Some(SignerState::InProgress) => return true,
            None => {}
        }
        if self.depth >= 2 {
            return false;
        }
        let mut sub = self.options.clone();
        sub.key_usage = KeyUsageRequirement::crl_signer();
        sub.extended_key_usage.clear();
        sub.peer_names.clear();
        sub.max_intermediates = None;
        sub.policy = PolicyInputs::default();
        if self.depth >= 1 {
            sub.revocation = RevocationMode::Off;
        }
        self.engine
            .signer_cache
            .insert(key, SignerState::InProgress);
        let outcome = self.engine.run(c, &sub, self.depth + 1, Some(self.anchor));
        self.moment.narrow(outcome.window);
        let ok = outcome.is_valid();
        let state = if ok {
            SignerState::Valid(outcome.window)
        } else {
            SignerState::Invalid(outcome.window)
        };
        self.engine.signer_cache.insert(key, state);
        ok
    }
}

impl CrlSignerResolver for SignerResolver<'_, '_> {
    fn verify_crl_signature(
        &mut self,
        crl: &Crl,
        signer: &Certificate,
        inherited: Option<&[u8]>,
        _algorithms: &AlgorithmPolicy,
    ) -> Option<Result<VerifiedSignature, SignatureError>> {
        // The engine's policy is the one the revocation context was given.
        self.engine.check_signed(
            crl.sha256,
            signer,
            &crl.signature_algorithm,
            crl.tbs(),
            &crl.signature,
            inherited,
        )
    }

    fn crl_signers(&mut self, crl: &Crl, _cert_issuer: &Certificate) -> Vec<Arc<Certificate>> {
        let mut out = Vec::new();
        for c in self.candidates(crl) {
            let trusted =
                c.sha256 == self.anchor || self.above().iter().any(|p| p.sha256 == c.sha256);
            if trusted || self.signer_is_valid(&c) {
                out.push(c);
            }
        }
        out
    }

    fn inherited_dsa_params(&mut self, signer: &Certificate) -> Option<Vec<u8>> {
        // Walk the path from the anchor, carrying DSA parameters down as §6.1.4 (d)-(f) does.
        let mut params: Option<Vec<u8>> = None;
        for c in self.path {
            if let Some(p) = crypto::dsa_params(&c.public_key) {
                params = Some(p.to_vec());
            } else if !crypto::needs_inherited_params(&c.public_key) {
                params = None;
            }
            if c.sha256 == signer.sha256 {
                return params;
            }
        }
        None
    }
}
