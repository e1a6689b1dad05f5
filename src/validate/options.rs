//! The inputs of one validation (RFC 5280 §6.1.1 plus the caller's requirements).

use super::peer_name::PeerName;
use super::policy::PolicyInputs;
use super::profile::Profile;
use crate::asn1::{Oid, UnixTime};
use crate::crypto::AlgorithmPolicy;
use crate::limits::Limits;
use crate::revocation::ocsp::OcspTiming;
use crate::revocation::RevocationMode;
use crate::x509::ext::KeyUsage;
use std::hash::{Hash, Hasher};

/// Key usage the end-entity certificate must allow (checked only when it has keyUsage).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct KeyUsageRequirement {
    /// Every one of these bits must be set.
    pub all_of: u16,
    /// At least one of these bits must be set (ignored when 0).
    pub any_of: u16,
}

impl KeyUsageRequirement {
    /// What a document signer needs: nonRepudiation or digitalSignature.
    pub fn document_signer() -> Self {
        KeyUsageRequirement {
            all_of: 0,
            any_of: KeyUsage::NON_REPUDIATION | KeyUsage::DIGITAL_SIGNATURE,
        }
    }

    /// What a CRL signer needs: cRLSign.
    pub fn crl_signer() -> Self {
        KeyUsageRequirement {
            all_of: KeyUsage::CRL_SIGN,
            any_of: 0,
        }
    }
}

/// Which certificates must be valid when (EN 319 102-1 §5.6.2.1, the validity models).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ValidityModel {
    /// Every certificate of the path is valid (in its validity period, not revoked) at the
    /// validation time (the default; RFC 5280 §6.1).
    #[default]
    Shell,
    /// The target is valid at the validation time; each CA certificate at the time it
    /// issued the certificate below it (that certificate's notBefore), its revocation
    /// judged then.
    Chain,
}

impl ValidityModel {
    /// `shell` or `chain`.
    pub fn as_str(self) -> &'static str {
        match self {
            ValidityModel::Shell => "shell",
            ValidityModel::Chain => "chain",
        }
    }
}

/// Inputs of one validation (RFC 5280 §6.1.1 plus the caller's requirements).
#[derive(Clone, Debug)]
pub struct Options {
    /// Validation time.
    pub time: UnixTime,
    /// Initial policy set and the three policy flags.
    pub policy: PolicyInputs,
    /// How to treat revocation.
    pub revocation: RevocationMode,
    /// End-entity key usage.
    pub key_usage: KeyUsageRequirement,
    /// Extended key usages the end entity must carry (when it has the extension);
    /// anyExtendedKeyUsage satisfies all.
    pub extended_key_usage: Vec<Oid>,
    /// Check that intermediates' extendedKeyUsage (when present) also allows the required EKUs.
    pub eku_on_intermediates: bool,
    /// The end entity must carry extendedKeyUsage, marked critical, with exactly the
    /// purposes of `extended_key_usage` (RFC 3161 §2.3 for a TSA: id-kp-timeStamping only).
    pub strict_extended_key_usage: bool,
    /// Past certificate validation at `time`, a proof of existence (EN 319 102-1 §5.6.2):
    /// revocation data issued at or after `time` (while the certificate was valid) tells the
    /// status at `time` too, and a revocation dated after `time` does not fail the path (it is
    /// reported as a warning).
    pub past_validation: bool,
    /// Shell or chain model.
    pub validity_model: ValidityModel,
    /// OCSP tolerance and maximum age.
    pub ocsp_timing: OcspTiming,
    /// Names the end entity must present.
    pub peer_names: Vec<PeerName>,
    /// Most intermediates between anchor and target (x509-limbo `max_chain_depth`).
    pub max_intermediates: Option<usize>,
    /// Acceptable algorithms.
    pub algorithms: AlgorithmPolicy,
    /// Certificate profile rules beyond §6.1.
    pub profile: Profile,
    /// Bounds.
    pub limits: Limits,
}

impl Options {
    /// Defaults at a given time: anyPolicy, revocation `prefer`, no end-entity requirements.
    pub fn at(time: UnixTime) -> Options {
        Options {
            time,
            policy: PolicyInputs::default(),
            revocation: RevocationMode::Prefer,
            key_usage: KeyUsageRequirement::default(),
            extended_key_usage: Vec::new(),
            eku_on_intermediates: false,
            strict_extended_key_usage: false,
            past_validation: false,
            validity_model: ValidityModel::Shell,
            ocsp_timing: OcspTiming::default(),
            peer_names: Vec::new(),
            max_intermediates: None,
            algorithms: AlgorithmPolicy::default(),
            profile: Profile::default(),
            limits: Limits::default(),
        }
    }

    /// True when `self` and `other` are equal in every option except the validation time
    /// (the equality [`Options::hash_without_time`] hashes). Destructuring keeps a new field
    /// from being forgotten.
    pub fn eq_without_time(&self, other: &Options) -> bool {
        let Options {
            time: _,
            policy,
            revocation,
            key_usage,
            extended_key_usage,
            eku_on_intermediates,
            strict_extended_key_usage,
            past_validation,
            validity_model,
            ocsp_timing,
            peer_names,
            max_intermediates,
            algorithms,
            profile,
            limits,
        } = self;
        *strict_extended_key_usage == other.strict_extended_key_usage
            && *past_validation == other.past_validation
            && *validity_model == other.validity_model
            && *ocsp_timing == other.ocsp_timing
            && *policy == other.policy
            && *revocation == other.revocation
            && *key_usage == other.key_usage
            && *extended_key_usage == other.extended_key_usage
            && *eku_on_intermediates == other.eku_on_intermediates
            && *peer_names == other.peer_names
            && *max_intermediates == other.max_intermediates
            && *algorithms == other.algorithms
            && *profile == other.profile
            && *limits == other.limits
    }

    /// Feeds every option except the validation time to `state`: what a result computed
    /// under these options depends on besides the time (which caches handle by the time
    /// window of the result instead). Destructuring keeps a new field from being forgotten.
    pub fn hash_without_time<H: Hasher>(&self, state: &mut H) {
        let Options {
            time: _,
            policy,
            revocation,
            key_usage,
            extended_key_usage,
            eku_on_intermediates,
            strict_extended_key_usage,
            past_validation,
            validity_model,
            ocsp_timing,
            peer_names,
            max_intermediates,
            algorithms,
            profile,
            limits,
        } = self;
        strict_extended_key_usage.hash(state);
        past_validation.hash(state);
        validity_model.hash(state);
        ocsp_timing.hash(state);
        policy.hash(state);
        revocation.hash(state);
        key_usage.hash(state);
        extended_key_usage.hash(state);
        eku_on_intermediates.hash(state);
        peer_names.hash(state);
        max_intermediates.hash(state);
        algorithms.hash(state);
        profile.hash(state);
        limits.hash(state);
    }
}
