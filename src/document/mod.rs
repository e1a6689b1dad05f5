//! Signed document formats read by sigbridge beyond CMS and S/MIME.
//!
//! [`ofd`] owns OFD packages (GB/T 33190) and their electronic seals and signatures
//! (GB/T 38540, GM/T 0031, GB/T 35275).

pub mod ofd;
