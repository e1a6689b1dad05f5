//! Unit tests for the CMS layer: time decoding, attribute rules, error locations, and an
//! SM2 / SM3 SignedData with the GB/T 35275 OIDs built here (no public sample exists).

use super::*;
use crate::asn1::time::decode_time as parse_time;
use crate::asn1::{self as ber, read_tlv, Bounds};
use crate::crypto::{AlgorithmPolicy, DigestAlgorithm, ValueEncoding as ValueEncodingT};

const LIMITS: Bounds = Bounds {
    max_depth: 64,
    max_size: 1 << 20,
};

/// A definite-length TLV from parts.
fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let content: Vec<u8> = parts.concat();
    let mut out = Vec::new();
    ber::push_tlv(tag, &content, LIMITS, &mut out).unwrap();
    out
}

fn oid_tlv(dotted: &str) -> Vec<u8> {
    tlv(0x06, &[Oid::from_dotted(dotted).unwrap().as_bytes()])
}

fn time_of(bytes: &[u8]) -> Result<UnixTime, String> {
    let (t, _) = read_tlv(bytes, LIMITS).unwrap();
    parse_time(&t)
}

#[test]
fn times() {
    assert_eq!(
        time_of(b"\x17\x0d030514153900Z"),
        Ok(crate::asn1::parse_time("2003-05-14T15:39:00Z").unwrap())
    );
    assert_eq!(
        time_of(b"\x17\x0d491231235959Z"),
        Ok(crate::asn1::parse_time("2049-12-31T23:59:59Z").unwrap())
    );
    assert_eq!(
        time_of(b"\x17\x0d500101000000Z"),
        Ok(crate::asn1::parse_time("1950-01-01T00:00:00Z").unwrap())
    );
    assert_eq!(
        time_of(b"\x18\x1320500101000000.123Z"),
        Ok(crate::asn1::parse_time("2050-01-01T00:00:00Z").unwrap())
    );
    assert!(time_of(b"\x17\x0d030514153900+").is_err());
    assert!(time_of(b"\x17\x0b0305141539Z").is_err());
    assert!(time_of(b"\x17\x0d031314153900Z").is_err());
    assert!(time_of(b"\x17\x0d0305141539x0Z").is_err());
    assert!(time_of(b"\x04\x0d030514153900Z").is_err());
}

#[test]
fn errors_name_where() {
    let limits = Limits::default();
    match parse(&[0x02, 0x01, 0x00], &limits) {
        Err(CmsError::Malformed { at, .. }) => assert_eq!(at, "ContentInfo"),
        other => panic!("{other:?}"),
    }
    // ContentInfo { signedData, [0] { SEQUENCE { INTEGER 1 } } }: digestAlgorithms missing.
    let bad = tlv(
        0x30,
        &[
            &oid_tlv("1.2.840.113549.1.7.2"),
            &tlv(0xa0, &[&tlv(0x30, &[&[0x02, 0x01, 0x01]])]),
        ],
    );
    match parse(&bad, &limits) {
        Err(CmsError::Malformed { at, .. }) => assert_eq!(at, "SignedData.digestAlgorithms"),
        other => panic!("{other:?}"),
    }
    let mut trailing = bad.clone();
    trailing.push(0);
    assert!(matches!(
        parse(&trailing, &limits),
        Err(CmsError::Malformed { .. })
    ));
    assert!(matches!(
        parse(
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            &limits
        ),
        Err(CmsError::Pem { .. })
    ));
}

/// A minimal self-signed certificate for an SM2 key (its own signature is not checked here).
fn sm2_certificate(public_key: &[u8]) -> Certificate {
    let name = tlv(
        0x30,
        &[&tlv(
            0x31,
            &[&tlv(
                0x30,
                &[&oid_tlv("2.5.4.3"), &tlv(0x0c, &[b"GD Signer"])],
            )],
        )],
    );
    let sig_alg = tlv(0x30, &[&oid_tlv("1.2.156.10197.1.501")]);
    let spki = tlv(
        0x30,
        &[
            &tlv(
                0x30,
                &[
                    &oid_tlv("1.2.840.10045.2.1"),
                    &oid_tlv("1.2.156.10197.1.301"),
                ],
            ),
            &tlv(0x03, &[&[0], public_key]),
        ],
    );
    let validity = tlv(
        0x30,
        &[
            &tlv(0x17, &[b"250101000000Z"]),
            &tlv(0x17, &[b"350101000000Z"]),
        ],
    );
    let tbs = tlv(
        0x30,
        &[
            &tlv(0xa0, &[&[0x02, 0x01, 0x02]]),
            &[0x02, 0x01, 0x2a],
            &sig_alg,
            &name,
            &validity,
            &name,
            &spki,
        ],
    );
    let sig = tlv(0x03, &[&[0], &tlv(0x30, &[&[2, 1, 1], &[2, 1, 1]])]);
    Certificate::from_der(&tlv(0x30, &[&tbs, &sig_alg, &sig])).unwrap()
}

/// How [`build_sm2`] makes a SignedData.
struct Sm2Build<'a> {
    content: &'a [u8],
    /// The SM2 signer ID the signature is made with.
    id: &'a str,
    /// encapContentInfo.eContentType.
    e_content_type: &'a str,
    /// The contentType attribute's value.
    content_type_attr: &'a str,
    /// messageDigest twice.
    duplicate_md: bool,
    /// Further signed attributes, made from the signer certificate.
    extra_attrs: &'a dyn Fn(&Certificate) -> Vec<Vec<u8>>,
    /// No signed attributes: the signature covers the content.
    no_signed_attrs: bool,
    /// The signature value as raw 64-byte r‖s instead of DER.
    raw_signature: bool,
}

impl Default for Sm2Build<'_> {
    fn default() -> Self {
        Sm2Build {
            content: b"abc",
            id: "1234567812345678",
            e_content_type: "1.2.156.10197.6.1.4.2.1",
            content_type_attr: "1.2.156.10197.6.1.4.2.1",
            duplicate_md: false,
            extra_attrs: &|_| Vec::new(),
            no_signed_attrs: false,
            raw_signature: false,
        }
    }
}

/// SignedData (GB/T 35275 OIDs), SM3 digest, SM2-1 signature, as `b` says.
fn build_sm2(b: &Sm2Build<'_>) -> (Vec<u8>, Certificate) {
    use ::sm2::dsa::signature::Signer;
    let sk = ::sm2::dsa::SigningKey::from_slice(b.id, &[0x5a; 32]).unwrap();
    let cert = sm2_certificate(&sk.verifying_key().to_sec1_bytes());
    let sm3 = tlv(0x30, &[&oid_tlv("1.2.156.10197.1.401")]);
    let digest = DigestAlgorithm::Sm3.digest(b.content);
    let md_attr = tlv(
        0x30,
        &[
            &oid_tlv("1.2.840.113549.1.9.4"),
            &tlv(0x31, &[&tlv(0x04, &[&digest])]),
        ],
    );
    let ct_attr = tlv(
        0x30,
        &[
            &oid_tlv("1.2.840.113549.1.9.3"),
            &tlv(0x31, &[&oid_tlv(b.content_type_attr)]),
        ],
    );
    let extra = (b.extra_attrs)(&cert);
    let mut attrs: Vec<&[u8]> = vec![&ct_attr, &md_attr];
    if b.duplicate_md {
        attrs.push(&md_attr);
    }
    attrs.extend(extra.iter().map(Vec::as_slice));
    let signed = tlv(0x31, &attrs);
    let sig: ::sm2::dsa::Signature = if b.no_signed_attrs {
        sk.sign(b.content)
    } else {
        sk.sign(&signed)
    };
    let sig_value = if b.raw_signature {
        sig.to_bytes().to_vec()
    } else {
        sig.to_der().as_bytes().to_vec()
    };
    let mut implicit = signed.clone();
    implicit[0] = 0xa0;
    if b.no_signed_attrs {
        implicit.clear();
    }
    let sid = tlv(0x30, &[&cert.issuer.der, &[0x02, 0x01, 0x2a]]);
    let signer = tlv(
        0x30,
        &[
            &[0x02, 0x01, 0x01],
            &sid,
            &sm3,
            &implicit,
            &tlv(0x30, &[&oid_tlv("1.2.156.10197.1.301.1")]),
            &tlv(0x04, &[&sig_value]),
        ],
    );
    let sd = tlv(
        0x30,
        &[
            &[0x02, 0x01, 0x01],
            &tlv(0x31, &[&sm3]),
            &tlv(
                0x30,
                &[
                    &oid_tlv(b.e_content_type),
                    &tlv(0xa0, &[&tlv(0x04, &[b.content])]),
                ],
            ),
            &tlv(0xa0, &[&cert.der]),
            &tlv(0x31, &[&signer]),
        ],
    );
    let ci = tlv(
        0x30,
        &[&oid_tlv("1.2.156.10197.6.1.4.2.2"), &tlv(0xa0, &[&sd])],
    );
    (ci, cert)
}

/// SignedData (GB/T 35275 OIDs), SM3 digest, signed attributes, SM2-1 signature with `id`.
fn sm2_signed_data(content: &[u8], id: &str, duplicate_md: bool) -> (Vec<u8>, Certificate) {
    build_sm2(&Sm2Build {
        content,
        id,
        duplicate_md,
        ..Sm2Build::default()
    })
}

/// The first signer's checks, with the content digested by SM3.
fn sm2_checks(bytes: &[u8], cert: &Certificate, content: &[u8]) -> SignerCheck {
    let sd = parse(bytes, &Limits::default()).unwrap();
    let signer = sd.signers.first().unwrap();
    let digest = DigestAlgorithm::Sm3.digest(content);
    check_signer(&sd, signer, cert, &digest, &AlgorithmPolicy::default())
}

/// ESS signingCertificate (v1: SHA-1 ESSCertID) or signingCertificateV2 (ESSCertIDv2 with
/// SHA-256 left as the default) naming a certificate whose DER is `der`.
fn ess_attr(v2: bool, der: &[u8]) -> Vec<u8> {
    let (oid, hash) = if v2 {
        (
            "1.2.840.113549.1.9.16.2.47",
            DigestAlgorithm::Sha256.digest(der),
        )
    } else {
        (
            "1.2.840.113549.1.9.16.2.12",
            DigestAlgorithm::Sha1.digest(der),
        )
    };
    let cert_id = tlv(0x30, &[&tlv(0x04, &[&hash])]);
    let value = tlv(0x30, &[&tlv(0x30, &[&cert_id])]);
    tlv(0x30, &[&oid_tlv(oid), &tlv(0x31, &[&value])])
}

#[test]
fn signing_certificate_v1_and_v2_together_are_each_checked() {
    // Both present and both naming the signer: read, and the check passes naming both.
    let both = |c: &Certificate| vec![ess_attr(false, &c.der), ess_attr(true, &c.der)];
    let (bytes, cert) = build_sm2(&Sm2Build {
        extra_attrs: &both,
        ..Sm2Build::default()
    });
    let check = sm2_checks(&bytes, &cert, b"abc");
    assert!(check.passed(), "{:#?}", check.checks);
    let ess = check.check(Rule::SigningCertificate).unwrap();
    assert_eq!(ess.status, Status::Passed);
    assert!(
        ess.message.contains("signingCertificate (SHA-1)")
            && ess.message.contains("signingCertificateV2 (SHA-256)"),
        "{}",
        ess.message
    );

    // A mismatch in either one fails the check, naming that attribute.
    for (v1_ok, v2_ok, bad) in [
        (false, true, "signingCertificate:"),
        (true, false, "signingCertificateV2:"),
    ] {
        let mixed = move |c: &Certificate| {
            let der = |ok: bool| {
                if ok {
                    c.der.clone()
                } else {
                    b"another".to_vec()
                }
            };
            vec![ess_attr(false, &der(v1_ok)), ess_attr(true, &der(v2_ok))]
        };
        let (bytes, cert) = build_sm2(&Sm2Build {
            extra_attrs: &mixed,
            ..Sm2Build::default()
        });
        let check = sm2_checks(&bytes, &cert, b"abc");
        let ess = check.check(Rule::SigningCertificate).unwrap();
        assert_eq!(ess.status, Status::Failed, "{bad}");
        assert!(ess.message.starts_with(bad), "{}", ess.message);
    }

    // Each attribute still must not appear twice.
    let twice = |c: &Certificate| vec![ess_attr(true, &c.der), ess_attr(true, &c.der)];
    let (bytes, _) = build_sm2(&Sm2Build {
        extra_attrs: &twice,
        ..Sm2Build::default()
    });
    assert!(matches!(
        parse(&bytes, &Limits::default()),
        Err(CmsError::Attribute {
            attribute: "signingCertificateV2",
            ..
        })
    ));
}

#[test]
fn sm2_signed_data_with_gbt_35275_oids() {
    let content = "跨境电子文件".as_bytes();
    let (bytes, cert) = sm2_signed_data(content, "1234567812345678", false);
    let sd = parse(&bytes, &Limits::default()).unwrap();
    assert_eq!(
        sd.outer_content_type,
        crate::asn1::oid::known::GM_SIGNED_DATA
    );
    assert_eq!(sd.content.as_deref(), Some(content));
    let signer = sd.signers.first().unwrap();
    let found = find_signer_certificate(signer, &sd.certificates).unwrap();
    assert_eq!(found.der, cert.der);
    let digest = DigestAlgorithm::Sm3.digest(content);
    let check = check_signer(&sd, signer, &cert, &digest, &AlgorithmPolicy::default());
    assert!(check.passed(), "{:#?}", check.checks);
    assert_eq!(check.algorithm.as_deref(), Some("SM2-with-SM3"));

    // The signer ID comes from the policy: another ID fails the signature only.
    let other = AlgorithmPolicy {
        sm2_signer_id: b"alice@gd.example".to_vec(),
        ..AlgorithmPolicy::default()
    };
    let check = check_signer(&sd, signer, &cert, &digest, &other);
    assert_eq!(
        check.first_failure().map(|c| c.rule),
        Some(Rule::SignatureValue)
    );

    // Signed with a configured ID.
    let (bytes, cert) = sm2_signed_data(content, "alice@gd.example", false);
    let sd = parse(&bytes, &Limits::default()).unwrap();
    let signer = sd.signers.first().unwrap();
    assert!(check_signer(&sd, signer, &cert, &digest, &other).passed());

    // A wrong content digest fails messageDigest.
    let check = check_signer(
        &sd,
        signer,
        &cert,
        &DigestAlgorithm::Sm3.digest(b"x"),
        &other,
    );
    assert_eq!(
        check.first_failure().map(|c| c.rule),
        Some(Rule::MessageDigest)
    );
}

#[test]
fn duplicate_single_instance_attribute_is_an_error() {
    let (bytes, _) = sm2_signed_data(b"abc", "1234567812345678", true);
    match parse(&bytes, &Limits::default()) {
        Err(CmsError::Attribute { attribute, at, .. }) => {
            assert_eq!(attribute, "messageDigest");
            assert_eq!(at, "SignedData.signerInfos[0].signedAttrs");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn pkcs7_data_and_gbt_35275_data_are_the_same_content_type() {
    // eContentType PKCS#7 data, contentType attribute GB/T 35275 data (a Yunnan CA signer).
    let (bytes, cert) = build_sm2(&Sm2Build {
        e_content_type: "1.2.840.113549.1.7.1",
        content_type_attr: "1.2.156.10197.6.1.4.2.1",
        ..Sm2Build::default()
    });
    let check = sm2_checks(&bytes, &cert, b"abc");
    assert!(check.passed(), "{:#?}", check.checks);
    let ct = check.check(Rule::ContentType).unwrap();
    assert_eq!(ct.status, Status::Passed);
    assert!(ct.message.contains("deviation"), "{}", ct.message);
    // The other way round too.
    let (bytes, cert) = build_sm2(&Sm2Build {
        e_content_type: "1.2.156.10197.6.1.4.2.1",
        content_type_attr: "1.2.840.113549.1.7.1",
        ..Sm2Build::default()
    });
    assert!(sm2_checks(&bytes, &cert, b"abc").passed());
    // The same OID: no deviation.
    let (bytes, cert) = build_sm2(&Sm2Build::default());
    let check = sm2_checks(&bytes, &cert, b"abc");
    assert!(!check
        .check(Rule::ContentType)
        .unwrap()
        .message
        .contains("deviation"));
    // data against another content type still fails.
    let (bytes, cert) = build_sm2(&Sm2Build {
        e_content_type: "1.2.840.113549.1.7.1",
        content_type_attr: "1.2.840.113549.1.9.16.1.4",
        ..Sm2Build::default()
    });
    let check = sm2_checks(&bytes, &cert, b"abc");
    assert_eq!(
        check.check(Rule::ContentType).unwrap().status,
        Status::Failed
    );
}

#[test]
fn sm2_signature_value_as_raw_r_s_is_read_and_reported() {
    // As a Chinese vendor's GB/T 35275 SignedData in an OFD package has it: attached
    // eContent (here the SM3 of a Signature.xml), no signed attributes, SM2 value r‖s.
    let content = DigestAlgorithm::Sm3.digest(b"<ofd:Signature/>");
    for (raw, encoding) in [(true, ValueEncodingT::Plain), (false, ValueEncodingT::Der)] {
        let (bytes, cert) = build_sm2(&Sm2Build {
            content: &content,
            no_signed_attrs: true,
            raw_signature: raw,
            ..Sm2Build::default()
        });
        let check = sm2_checks(&bytes, &cert, &content);
        assert!(check.passed(), "{:#?}", check.checks);
        assert_eq!(check.signature_encoding, Some(encoding));
        let message = &check.check(Rule::SignatureValue).unwrap().message;
        if raw {
            assert_eq!(
                check.signature_deviations,
                [crate::crypto::SignatureDeviation::Sm2RawValue]
            );
            assert!(message.contains("raw r‖s, not DER"), "{message}");
        } else {
            assert!(check.signature_deviations.is_empty());
            assert!(!message.contains("deviation"), "{message}");
        }
    }
    // A raw value over other content fails.
    let (bytes, cert) = build_sm2(&Sm2Build {
        content: &content,
        no_signed_attrs: true,
        raw_signature: true,
        ..Sm2Build::default()
    });
    let mut sd = parse(&bytes, &Limits::default()).unwrap();
    sd.content = Some(b"other".to_vec());
    let signer = sd.signers.first().unwrap();
    let check = check_signer(&sd, signer, &cert, &content, &AlgorithmPolicy::default());
    assert_eq!(
        check.first_failure().map(|c| c.rule),
        Some(Rule::SignatureValue)
    );
}

#[test]
fn locations_are_written_out_as_paths() {
    use super::read::At;
    let root = At::Root("SignedData.signerInfos");
    let signer = root.item(2);
    let unsigned = signer.field("unsignedAttrs");
    let counter = unsigned.field("counterSignature");
    let inner = counter.item(0);
    assert_eq!(
        inner.field("signedAttrs").item(3).to_string(),
        "SignedData.signerInfos[2].unsignedAttrs.counterSignature[0].signedAttrs[3]"
    );
    assert_eq!(root.to_string(), "SignedData.signerInfos");
}

#[test]
fn signer_issuer_names_are_shared_through_the_object_cache() {
    let (bytes, _) = sm2_signed_data(b"abc", "1234567812345678", false);
    let cache = crate::x509::ObjectCache::new(1 << 20, 1 << 20);
    let issuer = |sd: &SignedData| match sd.signers.first().map(|s| &s.sid) {
        Some(SignerId::IssuerSerial { issuer, .. }) => Arc::clone(issuer),
        other => panic!("{other:?}"),
    };
    let first = issuer(&parse_cached(&bytes, &Limits::default(), &cache).unwrap());
    let second = issuer(&parse_cached(&bytes, &Limits::default(), &cache).unwrap());
    assert!(Arc::ptr_eq(&first, &second));
    // Without the cache, or under other limits, the name is decoded again (and equal).
    let uncached = issuer(&parse(&bytes, &Limits::default()).unwrap());
    assert!(!Arc::ptr_eq(&first, &uncached));
    assert_eq!(*first, *uncached);
    let other_limits = Limits {
        max_asn1_depth: 40,
        ..Limits::default()
    };
    let third = issuer(&parse_cached(&bytes, &other_limits, &cache).unwrap());
    assert!(!Arc::ptr_eq(&first, &third));
}
