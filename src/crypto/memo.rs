//! What crypto remembers between documents: signature results ([`SignatureCache`]), keyed
//! by the SHA-256 of the signing key's certificate, of the signed object and of the
//! algorithm policy; and [`KeyHasher`], which turns any `Hash` value into a
//! collision-resistant cache key for every stage's caches.

use super::{SignatureError, VerifiedSignature};
use crate::cache::{Bounded, CounterSnapshot};

/// A 32-byte digest used as (part of) a cache key.
pub type Digest32 = [u8; 32];

/// Key of a signature result: issuer certificate, signed object, algorithm policy.
pub type SignatureKey = (Digest32, Digest32, Digest32);

/// A signature-check result as cached.
pub type SignatureResult = Result<VerifiedSignature, SignatureError>;

/// Signature results shared across documents and threads.
#[derive(Debug)]
pub struct SignatureCache(Bounded<SignatureKey, SignatureResult>);

impl SignatureCache {
    /// A cache of at most `entries` results (0: disabled).
    pub fn new(entries: u64) -> SignatureCache {
        SignatureCache(Bounded::new(entries))
    }

    /// The result for `key`, if cached.
    pub fn get(&self, key: &SignatureKey) -> Option<SignatureResult> {
        self.0.get(key)
    }

    /// Remembers a result.
    pub fn put(&self, key: SignatureKey, result: SignatureResult) {
        self.0.insert(key, result);
    }

    /// Hits, misses and size.
    pub fn snapshot(&self) -> CounterSnapshot {
        self.0.snapshot()
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.0.clear();
    }
}

/// A SHA-256 `std::hash::Hasher`: lets `#[derive(Hash)]` values feed a collision-resistant
/// cache key (the std hashers are 64-bit and not collision-resistant). Writes are gathered in
/// a buffer and hashed in blocks: a derived `Hash` makes one tiny write per field. The
/// buffer is inline, so making a key allocates nothing (a 1 KiB heap buffer per key was a
/// large-bin allocation, which makes glibc consolidate its fast bins every time).
pub struct KeyHasher {
    ctx: aws_lc_rs::digest::Context,
    buf: [u8; KEY_BUFFER],
    len: usize,
}

/// Bytes gathered before they are fed to SHA-256.
const KEY_BUFFER: usize = 512;

impl Default for KeyHasher {
    fn default() -> Self {
        KeyHasher::new()
    }
}

impl KeyHasher {
    /// An empty hasher.
    pub fn new() -> Self {
        KeyHasher {
            ctx: aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256),
            buf: [0; KEY_BUFFER],
            len: 0,
        }
    }

    /// Feeds bytes, length-prefixed so that concatenations cannot collide.
    pub fn bytes(&mut self, b: &[u8]) {
        self.feed(&(b.len() as u64).to_le_bytes());
        self.feed(b);
    }

    /// Feeds a `Hash` value.
    pub fn value<T: std::hash::Hash + ?Sized>(&mut self, v: &T) {
        v.hash(self);
    }

    /// The bytes gathered and not yet hashed.
    fn pending(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }

    fn feed(&mut self, b: &[u8]) {
        let end = self.len.saturating_add(b.len());
        if let Some(room) = self.buf.get_mut(self.len..end) {
            room.copy_from_slice(b);
            self.len = end;
            return;
        }
        let pending = self.buf.get(..self.len).unwrap_or_default();
        self.ctx.update(pending);
        self.len = 0;
        match self.buf.get_mut(..b.len()) {
            Some(room) => {
                room.copy_from_slice(b);
                self.len = b.len();
            }
            None => self.ctx.update(b),
        }
    }

    /// The key.
    pub fn finish32(mut self) -> Digest32 {
        let pending = self.buf.get(..self.len).unwrap_or_default();
        self.ctx.update(pending);
        let d = self.ctx.finish();
        let mut out = [0u8; 32];
        out.copy_from_slice(d.as_ref());
        out
    }
}

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        // Not used for keys (see finish32); a stable value for completeness.
        let mut ctx = self.ctx.clone();
        ctx.update(self.pending());
        let d = ctx.finish();
        let mut b = [0u8; 8];
        b.copy_from_slice(d.as_ref().get(..8).unwrap_or(&[0; 8]));
        u64::from_le_bytes(b)
    }

    fn write(&mut self, bytes: &[u8]) {
        self.feed(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_separate_concatenations_and_values() {
        let key = |parts: &[&[u8]]| {
            let mut h = KeyHasher::new();
            for p in parts {
                h.bytes(p);
            }
            h.finish32()
        };
        assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));
        assert_eq!(key(&[b"ab"]), key(&[b"ab"]));
        let v = |x: (u32, bool)| {
            let mut h = KeyHasher::new();
            h.value(&x);
            h.finish32()
        };
        assert_ne!(v((1, true)), v((1, false)));
        // Buffered or not, the same bytes give the same key.
        let big = vec![7u8; 3 * KEY_BUFFER + 5];
        let mut chunked = KeyHasher::new();
        for c in big.chunks(100) {
            std::hash::Hasher::write(&mut chunked, c);
        }
        let mut whole = KeyHasher::new();
        std::hash::Hasher::write(&mut whole, &big);
        assert_eq!(chunked.finish32(), whole.finish32());
        // The key is SHA-256 of what was fed: the 8-byte little-endian length, then the bytes.
        let mut h = KeyHasher::new();
        h.bytes(b"abc");
        let plain = aws_lc_rs::digest::digest(
            &aws_lc_rs::digest::SHA256,
            b"\x03\x00\x00\x00\x00\x00\x00\x00abc",
        );
        assert_eq!(h.finish32().as_slice(), plain.as_ref());
    }
}
