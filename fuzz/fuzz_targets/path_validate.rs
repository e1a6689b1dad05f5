//! Path building and validation over a fuzzed pool (`validate::validate`).
//!
//! Structure-aware: the input (via `arbitrary`) is a list of certificates, CRLs and anchors,
//! each either a fixture object (from `fixtures/docs/pki` and `fixtures/path-demo`, loaded
//! once), a fixture object with bytes overwritten, or raw bytes; plus the target, the
//! validation time and the options.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sigbridge::path::{AnchorSet, CertPool};
use sigbridge::revocation::RevocationMode;
use sigbridge::validate::{self, KeyUsageRequirement, Options, Sources};
use sigbridge::x509::{Certificate, Crl};
use sigbridge::Limits;
use std::path::Path;
use std::sync::{Arc, OnceLock};

struct Fixtures {
    certs: Vec<Vec<u8>>,
    crls: Vec<Vec<u8>>,
}

fn fixtures() -> &'static Fixtures {
    static F: OnceLock<Fixtures> = OnceLock::new();
    F.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        let limits = Limits::default();
        let mut certs = Vec::new();
        let mut crls = Vec::new();
        for dir in ["docs/pki", "path-demo"] {
            let mut entries: Vec<_> = std::fs::read_dir(root.join(dir))
                .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
                .unwrap_or_default();
            entries.sort();
            for p in entries {
                let Ok(bytes) = std::fs::read(&p) else {
                    continue;
                };
                match p.extension().and_then(|e| e.to_str()) {
                    Some("pem") => {
                        if let Ok(blocks) =
                            sigbridge::input::der_blocks(&bytes, &["CERTIFICATE"], "f", &limits)
                        {
                            certs.extend(blocks);
                        }
                    }
                    Some("crl") => {
                        if let Ok(blocks) =
                            sigbridge::input::der_blocks(&bytes, &["X509 CRL"], "f", &limits)
                        {
                            crls.extend(blocks);
                        }
                    }
                    _ => {}
                }
            }
        }
        assert!(!certs.is_empty(), "no fixture certificates under {root:?}");
        Fixtures { certs, crls }
    })
}

#[derive(Arbitrary, Debug)]
enum Blob {
    Fixture(u8),
    /// A fixture object with `bytes` written at `offset` (mod its length).
    Patched {
        index: u8,
        offset: u16,
        bytes: Vec<u8>,
    },
    /// A fixture object truncated to `len` (mod its length).
    Truncated {
        index: u8,
        len: u16,
    },
    Raw(Vec<u8>),
}

impl Blob {
    fn bytes(&self, pool: &[Vec<u8>]) -> Vec<u8> {
        let pick = |i: u8| -> Vec<u8> {
            if pool.is_empty() {
                Vec::new()
            } else {
                pool[usize::from(i) % pool.len()].clone()
            }
        };
        match self {
            Blob::Fixture(i) => pick(*i),
            Blob::Patched {
                index,
                offset,
                bytes,
            } => {
                let mut v = pick(*index);
                if !v.is_empty() {
                    let start = usize::from(*offset) % v.len();
                    for (k, b) in bytes.iter().enumerate() {
                        if let Some(slot) = v.get_mut(start + k) {
                            *slot = *b;
                        }
                    }
                }
                v
            }
            Blob::Truncated { index, len } => {
                let mut v = pick(*index);
                if !v.is_empty() {
                    v.truncate(usize::from(*len) % v.len());
                }
                v
            }
            Blob::Raw(v) => v.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Mode {
    Require,
    Prefer,
    Off,
}

#[derive(Arbitrary, Debug)]
struct Input {
    certs: Vec<Blob>,
    /// Bit i set: certificate i is (also) an anchor instead of a pool member.
    anchor_mask: u32,
    /// Certificates added only as anchors.
    anchors: Vec<Blob>,
    crls: Vec<Blob>,
    target: u8,
    /// Offset from 2026-12-01T00:00:00Z, in seconds.
    time_offset: i32,
    revocation: Mode,
    document_signer: bool,
    max_intermediates: Option<u8>,
    initial_explicit_policy: bool,
    initial_policy_mapping_inhibit: bool,
    initial_any_policy_inhibit: bool,
}

const BASE_TIME: i64 = 1_796_083_200; // 2026-12-01T00:00:00Z

fuzz_target!(|input: Input| {
    let f = fixtures();
    let parsed: Vec<Arc<Certificate>> = input
        .certs
        .iter()
        .take(24)
        .filter_map(|b| Certificate::from_der(&b.bytes(&f.certs)).ok())
        .map(Arc::new)
        .collect();
    if parsed.is_empty() {
        return;
    }
    let mut pool = CertPool::new();
    let mut anchors = AnchorSet::new();
    for (i, c) in parsed.iter().enumerate() {
        if i < 32 && input.anchor_mask & (1 << i) != 0 {
            anchors.add(Arc::clone(c), "fuzz");
        } else {
            pool.add(Arc::clone(c));
        }
    }
    for b in input.anchors.iter().take(8) {
        if let Ok(c) = Certificate::from_der(&b.bytes(&f.certs)) {
            anchors.add(Arc::new(c), "fuzz-extra");
        }
    }
    let crls: Vec<Arc<Crl>> = input
        .crls
        .iter()
        .take(16)
        .filter_map(|b| Crl::from_der(&b.bytes(&f.crls), 10_000).ok())
        .map(Arc::new)
        .collect();
    let target = &parsed[usize::from(input.target) % parsed.len()];

    let mut options = Options::at(BASE_TIME + i64::from(input.time_offset));
    options.revocation = match input.revocation {
        Mode::Require => RevocationMode::Require,
        Mode::Prefer => RevocationMode::Prefer,
        Mode::Off => RevocationMode::Off,
    };
    if input.document_signer {
        options.key_usage = KeyUsageRequirement::document_signer();
    }
    options.max_intermediates = input.max_intermediates.map(usize::from);
    options.policy.initial_explicit_policy = input.initial_explicit_policy;
    options.policy.initial_policy_mapping_inhibit = input.initial_policy_mapping_inhibit;
    options.policy.initial_any_policy_inhibit = input.initial_any_policy_inhibit;

    let outcome = validate::validate(
        target,
        Sources::new(&pool, &anchors, &crls),
        &options,
    );
    let _ = outcome.is_valid();
});
