//! Helpers of the `path` and `documents` benchmarks: test chains made with the `openssl`
//! command line, OpenSSL's own verifiers (`X509_verify_cert`, `CMS_verify`) loaded in-process
//! as the peers, an SM2 CMS builder, and interleaved medians.
//!
//! Each benchmark binary includes this whole module and uses part of it.
#![allow(dead_code)]

pub mod chains;
pub mod child;
pub mod mode;
pub mod openssl;
pub mod pdf_gen;
pub mod sm2_cms;
pub mod timing;
