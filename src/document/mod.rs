//! Documents: the signed containers sigbridge reads, each turned into signers to check —
//! [`cms`] (CMS / PKCS#7 SignedData, GB/T 35275) and [`smime`] (S/MIME messages around it).
//! Each format owns its decoding and its format-level checks; certificate paths, revocation
//! and trust are later stages.

pub mod cms;
pub mod smime;
