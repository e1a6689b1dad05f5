//! Documents: the signed containers sigbridge reads, told apart by their bytes ([`sniff()`];
//! what a file that is not one holds: [`identify()`])
//! and each turned into signers to check — [`cms`] (CMS / PKCS#7 SignedData, GB/T 35275),
//! [`smime`] (S/MIME messages around it), [`pdf`] (PDF documents: revisions, signatures,
//! coverage, changes after signing, DocMDP, DSS) and [`ofd`] (OFD packages, GB/T 33190, with
//! their electronic seals and signatures: GB/T 38540, GM/T 0031, GB/T 35275). Each format owns
//! its decoding and its format-level checks; certificate paths, revocation and trust are later
//! stages.

pub mod cms;
pub mod identify;
pub mod ofd;
pub mod pdf;
pub mod smime;
pub mod sniff;
pub mod timestamp;

pub use identify::{identify, Found};
pub use sniff::{sniff, FileKind, PemKind};
