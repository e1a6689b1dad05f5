//! DER content octets of the object identifiers this module recognises.
//!
//! Matching compares `Oid::as_bytes()` against these, so no `Oid` has to be built at run time.

/// `1.2.840.113549.1.1.1`
pub(crate) const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// `1.2.840.113549.1.1.2`
pub(crate) const MD2_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x02];
/// `1.2.840.113549.1.1.3`
pub(crate) const MD4_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x03];
/// `1.2.840.113549.1.1.4`
pub(crate) const MD5_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04];
/// `1.2.840.113549.1.1.5`
pub(crate) const SHA1_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05];
/// `1.2.840.113549.1.1.8`
pub(crate) const MGF1: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08];
/// `1.2.840.113549.1.1.10`
pub(crate) const RSASSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
/// `1.2.840.113549.1.1.11`
pub(crate) const SHA256_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
/// `1.2.840.113549.1.1.12`
pub(crate) const SHA384_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c];
/// `1.2.840.113549.1.1.13`
pub(crate) const SHA512_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d];
/// `1.2.840.113549.1.1.14`
pub(crate) const SHA224_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0e];
/// `1.2.840.10045.2.1`
pub(crate) const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// `1.2.840.10045.4.1`
pub(crate) const ECDSA_SHA1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01];
/// `1.2.840.10045.4.3.1`
pub(crate) const ECDSA_SHA224: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x01];
/// `1.2.840.10045.4.3.2`
pub(crate) const ECDSA_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
/// `1.2.840.10045.4.3.3`
pub(crate) const ECDSA_SHA384: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
/// `1.2.840.10045.4.3.4`
pub(crate) const ECDSA_SHA512: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04];
/// `1.2.840.10045.3.1.7`
pub(crate) const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// `1.3.132.0.34`
pub(crate) const P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
/// `1.3.132.0.35`
pub(crate) const P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
/// `1.3.101.112`
pub(crate) const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
/// `1.2.840.10040.4.1`
pub(crate) const DSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01];
/// `1.2.840.10040.4.3`
pub(crate) const DSA_SHA1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x03];
/// `2.16.840.1.101.3.4.3.1`
pub(crate) const DSA_SHA224: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x01];
/// `2.16.840.1.101.3.4.3.2`
pub(crate) const DSA_SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x02];
/// `1.2.156.10197.1.301`
pub(crate) const SM2_CURVE: &[u8] = &[0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d];
/// `1.2.156.10197.1.501`
pub(crate) const SM2_SM3: &[u8] = &[0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75];
/// `1.3.14.3.2.26`
pub(crate) const SHA1: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];
/// `2.16.840.1.101.3.4.2.4`
pub(crate) const SHA224: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04];
/// `2.16.840.1.101.3.4.2.1`
pub(crate) const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
/// `2.16.840.1.101.3.4.2.2`
pub(crate) const SHA384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
/// `2.16.840.1.101.3.4.2.3`
pub(crate) const SHA512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];
/// `1.2.156.10197.1.401`
pub(crate) const SM3: &[u8] = &[0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x11];

#[cfg(test)]
mod tests {
    use crate::parse::oid::Oid;

    #[test]
    fn constants_match_dotted_text() {
        let table: &[(&[u8], &str)] = &[
            (super::RSA_ENCRYPTION, "1.2.840.113549.1.1.1"),
            (super::MD2_WITH_RSA, "1.2.840.113549.1.1.2"),
            (super::MD4_WITH_RSA, "1.2.840.113549.1.1.3"),
            (super::MD5_WITH_RSA, "1.2.840.113549.1.1.4"),
            (super::SHA1_WITH_RSA, "1.2.840.113549.1.1.5"),
            (super::MGF1, "1.2.840.113549.1.1.8"),
            (super::RSASSA_PSS, "1.2.840.113549.1.1.10"),
            (super::SHA256_WITH_RSA, "1.2.840.113549.1.1.11"),
            (super::SHA384_WITH_RSA, "1.2.840.113549.1.1.12"),
            (super::SHA512_WITH_RSA, "1.2.840.113549.1.1.13"),
            (super::SHA224_WITH_RSA, "1.2.840.113549.1.1.14"),
            (super::EC_PUBLIC_KEY, "1.2.840.10045.2.1"),
            (super::ECDSA_SHA1, "1.2.840.10045.4.1"),
            (super::ECDSA_SHA224, "1.2.840.10045.4.3.1"),
            (super::ECDSA_SHA256, "1.2.840.10045.4.3.2"),
            (super::ECDSA_SHA384, "1.2.840.10045.4.3.3"),
            (super::ECDSA_SHA512, "1.2.840.10045.4.3.4"),
            (super::P256, "1.2.840.10045.3.1.7"),
            (super::P384, "1.3.132.0.34"),
            (super::P521, "1.3.132.0.35"),
            (super::ED25519, "1.3.101.112"),
            (super::DSA, "1.2.840.10040.4.1"),
            (super::DSA_SHA1, "1.2.840.10040.4.3"),
            (super::DSA_SHA224, "2.16.840.1.101.3.4.3.1"),
            (super::DSA_SHA256, "2.16.840.1.101.3.4.3.2"),
            (super::SM2_CURVE, "1.2.156.10197.1.301"),
            (super::SM2_SM3, "1.2.156.10197.1.501"),
            (super::SHA1, "1.3.14.3.2.26"),
            (super::SHA224, "2.16.840.1.101.3.4.2.4"),
            (super::SHA256, "2.16.840.1.101.3.4.2.1"),
            (super::SHA384, "2.16.840.1.101.3.4.2.2"),
            (super::SHA512, "2.16.840.1.101.3.4.2.3"),
            (super::SM3, "1.2.156.10197.1.401"),
        ];
        for (bytes, text) in table {
            assert_eq!(
                Oid::from_dotted(text).map(|o| o.as_bytes().to_vec()),
                Some(bytes.to_vec()),
                "{text}"
            );
        }
    }
}
