//! Object identifiers: [`Oid`] (DER content octets, dotted-decimal rendering) and the crate's
//! one registry of the OIDs it knows, with their names ([`known`], [`name_of`]).

use std::borrow::Cow;
use std::fmt;

/// An OBJECT IDENTIFIER, stored as its DER content octets (no tag, no length).
///
/// Equality and hashing are on the encoded bytes, which DER makes canonical. The registry's
/// OIDs are constants that borrow static bytes, so comparing and cloning them costs nothing.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Oid(Cow<'static, [u8]>);

impl Oid {
    /// An OID over static DER content octets (used by [`known`]; the bytes are trusted).
    pub const fn from_static(bytes: &'static [u8]) -> Oid {
        Oid(Cow::Borrowed(bytes))
    }

    /// Wraps DER content octets. Returns `None` when they are not a valid encoding
    /// (empty, a non-minimal arc, or a truncated final arc).
    pub fn from_der_content(bytes: &[u8]) -> Option<Oid> {
        if bytes.is_empty() {
            return None;
        }
        let mut start_of_arc = true;
        for &b in bytes {
            if start_of_arc && b == 0x80 {
                return None; // non-minimal encoding
            }
            start_of_arc = b & 0x80 == 0;
        }
        if !start_of_arc {
            return None; // last arc continues past the end
        }
        Some(Oid(Cow::Owned(bytes.to_vec())))
    }

    /// Parses dotted-decimal text such as `2.5.29.32.0`.
    pub fn from_dotted(text: &str) -> Option<Oid> {
        let mut arcs = Vec::new();
        for part in text.split('.') {
            if part.is_empty() || part.len() > 1 && part.starts_with('0') {
                return None;
            }
            arcs.push(part.parse::<u128>().ok()?);
        }
        let (first, second, rest) = match arcs.as_slice() {
            [a, b, rest @ ..] => (*a, *b, rest),
            _ => return None,
        };
        if first > 2 || (first < 2 && second >= 40) {
            return None;
        }
        let mut out = Vec::new();
        encode_arc(first * 40 + second, &mut out);
        for arc in rest {
            encode_arc(*arc, &mut out);
        }
        Some(Oid(Cow::Owned(out)))
    }

    /// The DER content octets.
    pub const fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Cow::Borrowed(b) => b,
            Cow::Owned(v) => v.as_slice(),
        }
    }

    /// True when `self` equals `prefix` or lies below it in the OID tree.
    pub fn starts_with(&self, prefix: &Oid) -> bool {
        let (me, p) = (self.as_bytes(), prefix.as_bytes());
        me.len() >= p.len()
            && me.starts_with(p)
            && (me.len() == p.len() || p.last().is_none_or(|b| b & 0x80 == 0))
    }

    /// The registry's name for this OID (`sha256WithRSAEncryption`), if it has one.
    pub fn name(&self) -> Option<&'static str> {
        name_of(self)
    }
}

fn encode_arc(mut arc: u128, out: &mut Vec<u8>) {
    let mut tmp = [0u8; 19];
    let mut n = 0;
    loop {
        if let Some(slot) = tmp.get_mut(n) {
            *slot = (arc & 0x7f) as u8;
        }
        n += 1;
        arc >>= 7;
        if arc == 0 {
            break;
        }
    }
    for i in (0..n).rev() {
        let b = tmp.get(i).copied().unwrap_or(0);
        out.push(if i == 0 { b } else { b | 0x80 });
    }
}

/// One arc in decimal: as a `u64` when it fits (nearly every arc; `u128`'s formatting is
/// several times slower, and OIDs are rendered into every report), else as the `u128`.
fn write_arc(f: &mut fmt::Formatter<'_>, arc: u128) -> fmt::Result {
    match u64::try_from(arc) {
        Ok(small) => write!(f, "{small}"),
        Err(_) => write!(f, "{arc}"),
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        let mut acc: u128 = 0;
        for &b in self.as_bytes() {
            acc = (acc << 7) | u128::from(b & 0x7f);
            if b & 0x80 == 0 {
                if first {
                    let (a, b2) = if acc < 40 {
                        (0, acc)
                    } else if acc < 80 {
                        (1, acc - 40)
                    } else {
                        (2, acc - 80)
                    };
                    write_arc(f, a)?;
                    f.write_str(".")?;
                    write_arc(f, b2)?;
                    first = false;
                } else {
                    f.write_str(".")?;
                    write_arc(f, acc)?;
                }
                acc = 0;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oid({self})")
    }
}

/// Encodes dotted-decimal text as DER content octets at compile time (for [`known`]); a
/// malformed literal is a compile error. Returns the bytes and their count. Private, and only
/// evaluated in `const` items on the registry's literals: its indexing can only fail the
/// build, never a run.
#[allow(clippy::indexing_slicing)]
const fn encode_dotted(text: &str) -> ([u8; 48], usize) {
    let b = text.as_bytes();
    let mut out = [0u8; 48];
    let mut n = 0;
    let mut i = 0;
    let mut first = 0u128;
    let mut arc_index = 0;
    while i <= b.len() {
        let mut v: u128 = 0;
        let mut digits = 0;
        while i < b.len() && b[i] != b'.' {
            assert!(b[i].is_ascii_digit(), "OID literal: not a digit");
            v = v * 10 + (b[i] - b'0') as u128;
            i += 1;
            digits += 1;
        }
        assert!(digits > 0, "OID literal: empty arc");
        i += 1;
        arc_index += 1;
        if arc_index == 1 {
            assert!(v <= 2, "OID literal: first arc above 2");
            first = v;
            continue;
        }
        if arc_index == 2 {
            assert!(first == 2 || v < 40, "OID literal: second arc too large");
            v += first * 40;
        }
        let mut tmp = [0u8; 19];
        let mut k = 0;
        loop {
            tmp[k] = (v & 0x7f) as u8;
            k += 1;
            v >>= 7;
            if v == 0 {
                break;
            }
        }
        while k > 0 {
            k -= 1;
            out[n] = if k == 0 { tmp[k] } else { tmp[k] | 0x80 };
            n += 1;
        }
    }
    assert!(arc_index >= 2, "OID literal: fewer than two arcs");
    (out, n)
}

macro_rules! registry {
    ($($name:ident = $text:literal, $label:literal;)*) => {
        /// The OIDs the crate knows, by name. One registry for every stage.
        pub mod known {
            use super::Oid;
            $(
                #[doc = concat!("`", $text, "` ", $label)]
                pub const $name: Oid = Oid::from_static(super::bytes::$name);
            )*
            /// Every registered OID with its name and dotted form.
            pub(super) const ALL: &[(Oid, &str, &str)] = &[$(($name, $label, $text),)*];
        }
        /// The same registry as DER content octets, for `match oid.as_bytes() { … }`.
        pub mod bytes {
            $(
                #[doc = concat!("`", $text, "` ", $label)]
                pub const $name: &[u8] = {
                    const ENC: ([u8; 48], usize) = super::encode_dotted($text);
                    ENC.0.split_at(ENC.1).0
                };
            )*
        }
    };
}

/// The registry's name for `oid`, if it has one.
pub fn name_of(oid: &Oid) -> Option<&'static str> {
    known::ALL
        .iter()
        .find(|(o, _, _)| o.as_bytes() == oid.as_bytes())
        .map(|(_, n, _)| *n)
}

/// `name (dotted)` when the OID is registered, else the dotted form.
pub fn describe(oid: &Oid) -> String {
    match name_of(oid) {
        Some(n) => format!("{n} ({oid})"),
        None => oid.to_string(),
    }
}

registry! {
    // Certificate and CRL extensions (RFC 5280 §4.2, §5.2, §5.3).
    ANY_POLICY = "2.5.29.32.0", "anyPolicy";
    ANY_EKU = "2.5.29.37.0", "anyExtendedKeyUsage";
    EXT_SUBJECT_KEY_ID = "2.5.29.14", "subjectKeyIdentifier";
    EXT_KEY_USAGE = "2.5.29.15", "keyUsage";
    EXT_SUBJECT_ALT_NAME = "2.5.29.17", "subjectAltName";
    EXT_ISSUER_ALT_NAME = "2.5.29.18", "issuerAltName";
    EXT_BASIC_CONSTRAINTS = "2.5.29.19", "basicConstraints";
    EXT_CRL_NUMBER = "2.5.29.20", "cRLNumber";
    EXT_REASON_CODE = "2.5.29.21", "reasonCode";
    EXT_HOLD_INSTRUCTION = "2.5.29.23", "holdInstructionCode";
    EXT_INVALIDITY_DATE = "2.5.29.24", "invalidityDate";
    EXT_DELTA_CRL_INDICATOR = "2.5.29.27", "deltaCRLIndicator";
    EXT_ISSUING_DISTRIBUTION_POINT = "2.5.29.28", "issuingDistributionPoint";
    EXT_CERTIFICATE_ISSUER = "2.5.29.29", "certificateIssuer";
    EXT_NAME_CONSTRAINTS = "2.5.29.30", "nameConstraints";
    EXT_CRL_DISTRIBUTION_POINTS = "2.5.29.31", "cRLDistributionPoints";
    EXT_CERTIFICATE_POLICIES = "2.5.29.32", "certificatePolicies";
    EXT_POLICY_MAPPINGS = "2.5.29.33", "policyMappings";
    EXT_AUTHORITY_KEY_ID = "2.5.29.35", "authorityKeyIdentifier";
    EXT_POLICY_CONSTRAINTS = "2.5.29.36", "policyConstraints";
    EXT_EXT_KEY_USAGE = "2.5.29.37", "extKeyUsage";
    EXT_FRESHEST_CRL = "2.5.29.46", "freshestCRL";
    EXT_INHIBIT_ANY_POLICY = "2.5.29.54", "inhibitAnyPolicy";
    EXT_AUTHORITY_INFO_ACCESS = "1.3.6.1.5.5.7.1.1", "authorityInfoAccess";
    EXT_SUBJECT_INFO_ACCESS = "1.3.6.1.5.5.7.1.11", "subjectInfoAccess";
    EXT_OCSP_NOCHECK = "1.3.6.1.5.5.7.48.1.5", "id-pkix-ocsp-nocheck";
    // Access methods (RFC 5280 §4.2.2.1).
    AD_OCSP = "1.3.6.1.5.5.7.48.1", "id-ad-ocsp";
    AD_CA_ISSUERS = "1.3.6.1.5.5.7.48.2", "id-ad-caIssuers";
    // Extended key usages.
    KP_SERVER_AUTH = "1.3.6.1.5.5.7.3.1", "serverAuth";
    KP_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2", "clientAuth";
    KP_CODE_SIGNING = "1.3.6.1.5.5.7.3.3", "codeSigning";
    KP_EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4", "emailProtection";
    KP_TIME_STAMPING = "1.3.6.1.5.5.7.3.8", "timeStamping";
    KP_OCSP_SIGNING = "1.3.6.1.5.5.7.3.9", "OCSPSigning";
    KP_DOCUMENT_SIGNING = "1.3.6.1.5.5.7.3.36", "documentSigning";
    KP_IPSEC_IKE = "1.3.6.1.5.5.7.3.17", "ipsecIKE";
    KP_MS_SMARTCARD_LOGON = "1.3.6.1.4.1.311.20.2.2", "Microsoft smartcardLogon";
    KP_MS_DOCUMENT_SIGNING = "1.3.6.1.4.1.311.10.3.12", "Microsoft documentSigning";
    KP_ADOBE_AUTHENTIC_DOCUMENTS = "1.2.840.113583.1.1.5", "Adobe Authentic Documents Trust";
    // Certificate policies (CA/Browser Forum).
    CABF_EV = "2.23.140.1.1", "CA/Browser Forum extended validation";
    CABF_DV = "2.23.140.1.2.1", "CA/Browser Forum domain validated";
    CABF_OV = "2.23.140.1.2.2", "CA/Browser Forum organization validated";
    CABF_IV = "2.23.140.1.2.3", "CA/Browser Forum individual validated";
    // Name attributes.
    AT_COMMON_NAME = "2.5.4.3", "commonName";
    AT_SERIAL_NUMBER = "2.5.4.5", "serialNumber";
    AT_COUNTRY = "2.5.4.6", "countryName";
    AT_LOCALITY = "2.5.4.7", "localityName";
    AT_STATE = "2.5.4.8", "stateOrProvinceName";
    AT_ORGANIZATION = "2.5.4.10", "organizationName";
    AT_ORGANIZATIONAL_UNIT = "2.5.4.11", "organizationalUnitName";
    AT_EMAIL_ADDRESS = "1.2.840.113549.1.9.1", "emailAddress";
    AT_SURNAME = "2.5.4.4", "surname";
    AT_STREET = "2.5.4.9", "streetAddress";
    AT_TITLE = "2.5.4.12", "title";
    AT_BUSINESS_CATEGORY = "2.5.4.15", "businessCategory";
    AT_GIVEN_NAME = "2.5.4.42", "givenName";
    AT_ORGANIZATION_IDENTIFIER = "2.5.4.97", "organizationIdentifier";
    // The Hong Kong / Guangdong mutual-recognition policy arc.
    MR_POLICY_ARC = "2.16.344.8.2.2008.810.2", "HK-GD mutual recognition policy";
    // Public keys and curves.
    RSA_ENCRYPTION = "1.2.840.113549.1.1.1", "rsaEncryption";
    EC_PUBLIC_KEY = "1.2.840.10045.2.1", "id-ecPublicKey";
    P256 = "1.2.840.10045.3.1.7", "P-256";
    P384 = "1.3.132.0.34", "P-384";
    P521 = "1.3.132.0.35", "P-521";
    ED25519 = "1.3.101.112", "Ed25519";
    DSA = "1.2.840.10040.4.1", "id-dsa";
    SM2_CURVE = "1.2.156.10197.1.301", "SM2 curve";
    // Signature algorithms.
    MD2_WITH_RSA = "1.2.840.113549.1.1.2", "md2WithRSAEncryption";
    MD4_WITH_RSA = "1.2.840.113549.1.1.3", "md4WithRSAEncryption";
    MD5_WITH_RSA = "1.2.840.113549.1.1.4", "md5WithRSAEncryption";
    SHA1_WITH_RSA = "1.2.840.113549.1.1.5", "sha1WithRSAEncryption";
    MGF1 = "1.2.840.113549.1.1.8", "id-mgf1";
    RSASSA_PSS = "1.2.840.113549.1.1.10", "RSASSA-PSS";
    SHA256_WITH_RSA = "1.2.840.113549.1.1.11", "sha256WithRSAEncryption";
    SHA384_WITH_RSA = "1.2.840.113549.1.1.12", "sha384WithRSAEncryption";
    SHA512_WITH_RSA = "1.2.840.113549.1.1.13", "sha512WithRSAEncryption";
    SHA224_WITH_RSA = "1.2.840.113549.1.1.14", "sha224WithRSAEncryption";
    ECDSA_SHA1 = "1.2.840.10045.4.1", "ecdsa-with-SHA1";
    ECDSA_SHA224 = "1.2.840.10045.4.3.1", "ecdsa-with-SHA224";
    ECDSA_SHA256 = "1.2.840.10045.4.3.2", "ecdsa-with-SHA256";
    ECDSA_SHA384 = "1.2.840.10045.4.3.3", "ecdsa-with-SHA384";
    ECDSA_SHA512 = "1.2.840.10045.4.3.4", "ecdsa-with-SHA512";
    ECDSA_PLAIN_SHA1 = "0.4.0.127.0.7.1.1.4.1.1", "ecdsa-plain-SHA1";
    ECDSA_PLAIN_SHA224 = "0.4.0.127.0.7.1.1.4.1.2", "ecdsa-plain-SHA224";
    ECDSA_PLAIN_SHA256 = "0.4.0.127.0.7.1.1.4.1.3", "ecdsa-plain-SHA256";
    ECDSA_PLAIN_SHA384 = "0.4.0.127.0.7.1.1.4.1.4", "ecdsa-plain-SHA384";
    ECDSA_PLAIN_SHA512 = "0.4.0.127.0.7.1.1.4.1.5", "ecdsa-plain-SHA512";
    DSA_SHA1 = "1.2.840.10040.4.3", "dsa-with-sha1";
    DSA_SHA224 = "2.16.840.1.101.3.4.3.1", "dsa-with-sha224";
    DSA_SHA256 = "2.16.840.1.101.3.4.3.2", "dsa-with-sha256";
    SM2_SM3 = "1.2.156.10197.1.501", "SM2-with-SM3";
    SM2_SIGN = "1.2.156.10197.1.301.1", "SM2-1 (sm2sign, GM/T 0010)";
    // Digests.
    SHA1 = "1.3.14.3.2.26", "SHA-1";
    SHA224 = "2.16.840.1.101.3.4.2.4", "SHA-224";
    SHA256 = "2.16.840.1.101.3.4.2.1", "SHA-256";
    SHA384 = "2.16.840.1.101.3.4.2.2", "SHA-384";
    SHA512 = "2.16.840.1.101.3.4.2.3", "SHA-512";
    SM3 = "1.2.156.10197.1.401", "SM3";
    // CMS content types (RFC 5652, GB/T 35275).
    DATA = "1.2.840.113549.1.7.1", "data";
    SIGNED_DATA = "1.2.840.113549.1.7.2", "signedData";
    ENVELOPED_DATA = "1.2.840.113549.1.7.3", "envelopedData";
    DIGESTED_DATA = "1.2.840.113549.1.7.5", "digestedData";
    ENCRYPTED_DATA = "1.2.840.113549.1.7.6", "encryptedData";
    GM_DATA = "1.2.156.10197.6.1.4.2.1", "data (GB/T 35275)";
    GM_SIGNED_DATA = "1.2.156.10197.6.1.4.2.2", "signedData (GB/T 35275)";
    GM_ENVELOPED_DATA = "1.2.156.10197.6.1.4.2.3", "envelopedData (GB/T 35275)";
    CT_TST_INFO = "1.2.840.113549.1.9.16.1.4", "id-ct-TSTInfo";
    // CMS attributes.
    ATTR_CONTENT_TYPE = "1.2.840.113549.1.9.3", "contentType";
    ATTR_MESSAGE_DIGEST = "1.2.840.113549.1.9.4", "messageDigest";
    ATTR_SIGNING_TIME = "1.2.840.113549.1.9.5", "signingTime";
    ATTR_COUNTER_SIGNATURE = "1.2.840.113549.1.9.6", "counterSignature";
    ATTR_SIGNATURE_POLICY = "1.2.840.113549.1.9.16.2.15", "signaturePolicyIdentifier";
    ATTR_COMMITMENT_TYPE = "1.2.840.113549.1.9.16.2.16", "commitmentTypeIndication";
    ATTR_ADBE_REVOCATION_INFO = "1.2.840.113583.1.1.8", "adbe-revocationInfoArchival";
    ATTR_SIGNING_CERTIFICATE = "1.2.840.113549.1.9.16.2.12", "signingCertificate";
    ATTR_SIGNATURE_TIMESTAMP = "1.2.840.113549.1.9.16.2.14", "signatureTimeStampToken";
    ATTR_CONTENT_TIMESTAMP = "1.2.840.113549.1.9.16.2.20", "contentTimestamp";
    ATTR_CERTIFICATE_VALUES = "1.2.840.113549.1.9.16.2.23", "certValues";
    ATTR_REVOCATION_VALUES = "1.2.840.113549.1.9.16.2.24", "revocationValues";
    ATTR_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47", "signingCertificateV2";
    ATTR_ALGORITHM_PROTECTION = "1.2.840.113549.1.9.52", "CMSAlgorithmProtection";
    ATTR_SMIME_CAPABILITIES = "1.2.840.113549.1.9.15", "smimeCapabilities";
    ATTR_CONTENT_HINTS = "1.2.840.113549.1.9.16.2.4", "contentHints";
    ATTR_ENCRYPTION_KEY_PREFERENCE = "1.2.840.113549.1.9.16.2.11", "smimeEncryptionKeyPreference";
    ATTR_SIGNER_LOCATION = "1.2.840.113549.1.9.16.2.17", "signerLocation";
    ATTR_SIGNER_ATTRIBUTES = "1.2.840.113549.1.9.16.2.18", "signerAttributes";
    ATTR_COMPLETE_CERTIFICATE_REFS = "1.2.840.113549.1.9.16.2.21", "completeCertificateRefs";
    ATTR_COMPLETE_REVOCATION_REFS = "1.2.840.113549.1.9.16.2.22", "completeRevocationRefs";
    ATTR_ARCHIVE_TIMESTAMP_V3 = "0.4.0.1733.2.4", "archiveTimestampV3";
    // OCSP (RFC 6960) and CMS other revocation info (RFC 5940).
    OCSP_BASIC = "1.3.6.1.5.5.7.48.1.1", "id-pkix-ocsp-basic";
    OCSP_NONCE = "1.3.6.1.5.5.7.48.1.2", "id-pkix-ocsp-nonce";
    RI_OCSP_RESPONSE = "1.3.6.1.5.5.7.16.2", "id-ri-ocsp-response";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_round_trip() {
        for text in [
            "2.5.29.32.0",
            "1.2.156.10197.1.501",
            "2.16.344.8.2.2008.810.2",
            "1.2.840.113549.1.1.11",
            // Arcs at and past the u64 boundary (2.25 is the UUID arc).
            "2.25.18446744073709551615",
            "2.25.18446744073709551616",
            "2.25.329800735698586629295641978511506172918",
            "2.18446744073709551696",
        ] {
            let oid = Oid::from_dotted(text).expect("valid");
            assert_eq!(oid.to_string(), text);
        }
        assert_eq!(
            Oid::from_dotted("2.5.29.32.0").map(|o| o.as_bytes().to_vec()),
            Some(vec![0x55, 0x1d, 0x20, 0x00])
        );
        assert!(Oid::from_dotted("3.1").is_none());
        assert!(Oid::from_dotted("1.40").is_none());
        assert!(Oid::from_dotted("1.2.03").is_none());
        assert!(Oid::from_der_content(&[0x2a, 0x80, 0x01]).is_none());
        assert!(Oid::from_der_content(&[0x2a, 0x86]).is_none());
    }

    #[test]
    fn the_registry_is_encoded_as_the_runtime_encoder_does() {
        let mut seen = std::collections::HashSet::new();
        for (oid, name, dotted) in known::ALL {
            assert_eq!(Oid::from_dotted(dotted).as_ref(), Some(oid), "{name}");
            assert_eq!(oid.to_string(), *dotted);
            assert!(seen.insert(oid.clone()), "{dotted} registered twice");
        }
        assert_eq!(
            name_of(&known::SHA256_WITH_RSA),
            Some("sha256WithRSAEncryption")
        );
        assert_eq!(describe(&known::SM3), "SM3 (1.2.156.10197.1.401)");
        assert_eq!(describe(&Oid::from_dotted("1.2.3").unwrap()), "1.2.3");
    }

    #[test]
    fn prefix_matches_whole_arcs_only() {
        let arc = Oid::from_dotted("2.16.344.8.2.2008.810.2").expect("valid");
        let real = Oid::from_dotted("2.16.344.8.2.2008.810.2.2018.1.1").expect("valid");
        let other = Oid::from_dotted("2.16.344.8.2.2008.810.20").expect("valid");
        assert!(real.starts_with(&arc));
        assert!(arc.starts_with(&arc));
        assert!(!other.starts_with(&arc));
    }
}
