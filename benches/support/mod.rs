//! Helpers of the `path` benchmark: test chains made with the `openssl` command line, and
//! OpenSSL's own verifier (`X509_verify_cert`) loaded in-process as the peer.

pub mod chains;
pub mod openssl;
pub mod timing;
