//! Digests: the algorithms signatures and CMS attributes use ([`DigestAlgorithm`]) and a
//! streaming [`Hasher`] — aws-lc-rs for SHA-1/SHA-2, the `sm3` crate for SM3.

use crate::asn1::oid::bytes as oids;
use crate::asn1::oid::known;
use crate::asn1::Oid;
use std::fmt;

/// Digest algorithms used by signatures and by CMS signed attributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DigestAlgorithm {
    /// SHA-1 (weak).
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// SM3 (GB/T 32905).
    Sm3,
}

/// Writes `name` and `passed_message` from one table, so that the constant message a
/// passed digest check carries cannot drift from the algorithm's display name.
macro_rules! digest_names {
    ($($variant:ident => $name:literal),* $(,)?) => {
        /// Display name, e.g. `SHA-256`.
        pub fn name(self) -> &'static str {
            match self {
                $(DigestAlgorithm::$variant => $name,)*
            }
        }

        /// The message of a passed digest-algorithm check, `digest algorithm SHA-256`: a
        /// constant, so that a report does not format it once per document.
        pub fn passed_message(self) -> &'static str {
            match self {
                $(DigestAlgorithm::$variant => concat!("digest algorithm ", $name),)*
            }
        }
    };
}

impl DigestAlgorithm {
    /// All of them, for tables and tests.
    pub const ALL: [DigestAlgorithm; 6] = [
        DigestAlgorithm::Sha1,
        DigestAlgorithm::Sha224,
        DigestAlgorithm::Sha256,
        DigestAlgorithm::Sha384,
        DigestAlgorithm::Sha512,
        DigestAlgorithm::Sm3,
    ];

    /// The digest algorithm with this OID, if known.
    pub fn from_oid(oid: &Oid) -> Option<Self> {
        Self::from_oid_bytes(oid.as_bytes())
    }

    pub(super) fn from_oid_bytes(bytes: &[u8]) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.oid_bytes() == bytes)
    }

    pub(super) fn oid_bytes(self) -> &'static [u8] {
        match self {
            DigestAlgorithm::Sha1 => oids::SHA1,
            DigestAlgorithm::Sha224 => oids::SHA224,
            DigestAlgorithm::Sha256 => oids::SHA256,
            DigestAlgorithm::Sha384 => oids::SHA384,
            DigestAlgorithm::Sha512 => oids::SHA512,
            DigestAlgorithm::Sm3 => oids::SM3,
        }
    }

    /// The algorithm's OID.
    pub fn oid(self) -> Oid {
        // The constants are valid encodings (checked by a unit test), so the fallback, which
        // only exists to avoid a panic path, is never taken.
        Oid::from_der_content(self.oid_bytes()).unwrap_or_else(|| known::ANY_POLICY.clone())
    }

    /// The algorithm a name means, case-insensitively and with or without the dash:
    /// `SHA-256`, `sha256`, `SM3` … (the names of [`DigestAlgorithm::name`]).
    pub fn from_name(name: &str) -> Option<Self> {
        let wanted: String = name
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .collect::<String>()
            .to_ascii_lowercase();
        Self::ALL.into_iter().find(|a| {
            a.name()
                .chars()
                .filter(|c| *c != '-')
                .collect::<String>()
                .to_ascii_lowercase()
                == wanted
        })
    }

    digest_names! {
        Sha1 => "SHA-1",
        Sha224 => "SHA-224",
        Sha256 => "SHA-256",
        Sha384 => "SHA-384",
        Sha512 => "SHA-512",
        Sm3 => "SM3",
    }

    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            DigestAlgorithm::Sha1 => 20,
            DigestAlgorithm::Sha224 => 28,
            DigestAlgorithm::Sha256 | DigestAlgorithm::Sm3 => 32,
            DigestAlgorithm::Sha384 => 48,
            DigestAlgorithm::Sha512 => 64,
        }
    }

    pub(crate) fn aws(self) -> Option<&'static aws_lc_rs::digest::Algorithm> {
        use aws_lc_rs::digest;
        match self {
            DigestAlgorithm::Sha1 => Some(&digest::SHA1_FOR_LEGACY_USE_ONLY),
            DigestAlgorithm::Sha224 => Some(&digest::SHA224),
            DigestAlgorithm::Sha256 => Some(&digest::SHA256),
            DigestAlgorithm::Sha384 => Some(&digest::SHA384),
            DigestAlgorithm::Sha512 => Some(&digest::SHA512),
            DigestAlgorithm::Sm3 => None,
        }
    }

    /// A streaming hasher.
    pub fn hasher(self) -> Hasher {
        let inner = match self.aws() {
            Some(alg) => HasherInner::Aws(aws_lc_rs::digest::Context::new(alg)),
            None => HasherInner::Sm3(Box::default()),
        };
        Hasher { inner }
    }

    /// One-shot digest.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let mut hasher = self.hasher();
        hasher.update(data);
        hasher.finish()
    }
}

impl fmt::Display for DigestAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A streaming digest computation (see [`DigestAlgorithm::hasher`]).
#[derive(Clone)]
pub struct Hasher {
    inner: HasherInner,
}

#[derive(Clone)]
enum HasherInner {
    Aws(aws_lc_rs::digest::Context),
    Sm3(Box<::sm3::Sm3>),
}

impl Hasher {
    /// Feeds more data.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.inner {
            HasherInner::Aws(ctx) => ctx.update(data),
            HasherInner::Sm3(h) => ::sm3::Digest::update(h.as_mut(), data),
        }
    }

    /// The digest of everything fed.
    pub fn finish(self) -> Vec<u8> {
        match self.inner {
            HasherInner::Aws(ctx) => ctx.finish().as_ref().to_vec(),
            HasherInner::Sm3(h) => ::sm3::Digest::finalize(*h).to_vec(),
        }
    }
}

impl fmt::Debug for Hasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.inner {
            HasherInner::Aws(_) => "Hasher(aws-lc)",
            HasherInner::Sm3(_) => "Hasher(SM3)",
        })
    }
}
