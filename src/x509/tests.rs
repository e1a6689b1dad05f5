//! Unit tests for the deviations a certificate is read with (issue 9): certificates built
//! here, byte by byte, each with one deviation that real issuers produce.

use super::{Certificate, Deviation, GeneralName, ParseError};
use crate::asn1::{push_tlv, Bounds, Oid};

const B: Bounds = Bounds {
    max_depth: 64,
    max_size: 1 << 20,
};

fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    push_tlv(tag, &parts.concat(), B, &mut out).unwrap();
    out
}

fn oid(dotted: &str) -> Vec<u8> {
    tlv(0x06, &[Oid::from_dotted(dotted).unwrap().as_bytes()])
}

/// Signs the TBS bytes: the signatureValue's content.
type Sign = Box<dyn Fn(&[u8]) -> Vec<u8>>;

/// One certificate, with each part replaceable.
struct Parts {
    sign: Option<Sign>,
    serial: Vec<u8>,
    tbs_alg: Vec<u8>,
    outer_alg: Vec<u8>,
    subject: Vec<u8>,
    extensions: Vec<Vec<u8>>,
}

const ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";

fn name(attrs: &[(&str, u8, &[u8])]) -> Vec<u8> {
    let rdns: Vec<Vec<u8>> = attrs
        .iter()
        .map(|(o, tag, v)| tlv(0x31, &[&tlv(0x30, &[&oid(o), &tlv(*tag, &[v])])]))
        .collect();
    let parts: Vec<&[u8]> = rdns.iter().map(Vec::as_slice).collect();
    tlv(0x30, &parts)
}

impl Default for Parts {
    fn default() -> Self {
        let alg = tlv(0x30, &[&oid(ECDSA_SHA256)]);
        Parts {
            sign: None,
            serial: vec![0x01],
            tbs_alg: alg.clone(),
            outer_alg: alg,
            subject: name(&[("2.5.4.3", 0x0c, b"Signer")]),
            extensions: Vec::new(),
        }
    }
}

impl Parts {
    fn der(&self) -> Vec<u8> {
        let issuer = name(&[("2.5.4.3", 0x0c, b"CA")]);
        let validity = tlv(
            0x30,
            &[
                &tlv(0x17, &[b"250101000000Z"]),
                &tlv(0x17, &[b"350101000000Z"]),
            ],
        );
        let mut point = vec![0x04];
        point.extend_from_slice(&[0x11; 64]);
        let spki = tlv(
            0x30,
            &[
                &tlv(
                    0x30,
                    &[&oid("1.2.840.10045.2.1"), &oid("1.2.840.10045.3.1.7")],
                ),
                &tlv(0x03, &[&[0], &point]),
            ],
        );
        let exts: Vec<&[u8]> = self.extensions.iter().map(Vec::as_slice).collect();
        let ext_block = if exts.is_empty() {
            Vec::new()
        } else {
            tlv(0xa3, &[&tlv(0x30, &exts)])
        };
        let tbs = tlv(
            0x30,
            &[
                &tlv(0xa0, &[&[0x02, 0x01, 0x02]]),
                &tlv(0x02, &[&self.serial]),
                &self.tbs_alg,
                &issuer,
                &validity,
                &self.subject,
                &spki,
                &ext_block,
            ],
        );
        let value = match &self.sign {
            Some(sign) => sign(&tbs),
            None => tlv(0x30, &[&[2, 1, 1], &[2, 1, 1]]),
        };
        let sig = tlv(0x03, &[&[0], &value]);
        tlv(0x30, &[&tbs, &self.outer_alg, &sig])
    }

    fn parse(&self) -> Result<Certificate, ParseError> {
        Certificate::from_der(&self.der())
    }
}

fn ids(c: &Certificate) -> Vec<&'static str> {
    c.deviations.iter().map(Deviation::id).collect()
}

#[test]
fn absent_versus_null_signature_parameters_are_a_deviation() {
    let null = tlv(0x30, &[&oid(ECDSA_SHA256), &[0x05, 0x00]]);
    let c = Parts {
        outer_alg: null.clone(),
        ..Parts::default()
    }
    .parse()
    .unwrap();
    assert_eq!(ids(&c), ["signature-algorithm-parameters"]);
    // The absent form is kept: ECDSA requires it.
    assert_eq!(c.signature_algorithm.params, None);
    assert!(c.deviations[0].to_string().contains("NULL in the outer"));
    // NULL in the TBS, absent outside: the same.
    let c = Parts {
        tbs_alg: null,
        ..Parts::default()
    }
    .parse()
    .unwrap();
    assert_eq!(
        c.deviations,
        [Deviation::SignatureAlgorithmParameters {
            algorithm: Oid::from_dotted(ECDSA_SHA256).unwrap(),
            null_in_tbs: true
        }]
    );
    assert!(Parts::default().parse().unwrap().deviations.is_empty());
}

#[test]
fn other_signature_algorithm_differences_still_fail() {
    // Another OID.
    let other = tlv(0x30, &[&oid("1.2.840.10045.4.3.3")]);
    assert!(matches!(
        Parts {
            outer_alg: other,
            ..Parts::default()
        }
        .parse(),
        Err(ParseError::Malformed {
            field: "signature",
            ..
        })
    ));
    // Different parameters that are not NULL.
    let with = |p: &[u8]| tlv(0x30, &[&oid(ECDSA_SHA256), p]);
    for (tbs, outer) in [
        (with(&oid("1.2.3")), with(&[0x05, 0x00])),
        (with(&oid("1.2.3")), tlv(0x30, &[&oid(ECDSA_SHA256)])),
        (with(&oid("1.2.3")), with(&oid("1.2.4"))),
    ] {
        assert!(matches!(
            Parts {
                tbs_alg: tbs,
                outer_alg: outer,
                ..Parts::default()
            }
            .parse(),
            Err(ParseError::Malformed {
                field: "signature",
                ..
            })
        ));
    }
}

#[test]
fn utf8_bytes_in_an_ia5string_email_are_kept_raw_and_reported() {
    let email = "电子邮箱@例子".as_bytes();
    let subject = name(&[
        ("2.5.4.3", 0x0c, b"Signer"),
        ("1.2.840.113549.1.9.1", 0x16, email),
    ]);
    let c = Parts {
        subject: subject.clone(),
        ..Parts::default()
    }
    .parse()
    .unwrap();
    assert_eq!(ids(&c), ["name-string-encoding"]);
    let attr = c.subject.undecodable_strings().next().unwrap();
    assert_eq!(attr.raw, email);
    assert_eq!(attr.tag, 22);
    // Not an e-mail address anyone can match against …
    assert!(c.subject.email_addresses().is_empty());
    // … but the name still chains: the same bytes match, other bytes do not.
    let again = Parts {
        subject,
        ..Parts::default()
    }
    .parse()
    .unwrap();
    assert!(c.subject.matches(&again.subject));
    let other = Parts {
        subject: name(&[
            ("2.5.4.3", 0x0c, b"Signer"),
            ("1.2.840.113549.1.9.1", 0x16, "电子邮件@例子".as_bytes()),
        ]),
        ..Parts::default()
    }
    .parse()
    .unwrap();
    assert!(!c.subject.matches(&other.subject));
    // A UTF8String that is not UTF-8 is still refused.
    assert!(Parts {
        subject: name(&[("2.5.4.3", 0x0c, &[0xff, 0xfe])]),
        ..Parts::default()
    }
    .parse()
    .is_err());
}

fn san_value(critical: bool, value: &[u8]) -> Vec<u8> {
    let crit: &[u8] = if critical { &[0x01, 0x01, 0xff] } else { &[] };
    tlv(0x30, &[&oid("2.5.29.17"), crit, &tlv(0x04, &[value])])
}

fn san(critical: bool, names: &[u8]) -> Vec<u8> {
    san_value(critical, &tlv(0x30, &[names]))
}

#[test]
fn an_undecodable_non_critical_subject_alt_name_is_a_deviation() {
    // As a real seal certificate (ofdrw n.ofd) has it: the GeneralNames wrapped once more
    // in an OCTET STRING, holding primitive otherName, x400Address and ediPartyName values
    // (all three must be constructed) beside a dNSName.
    let names = [
        tlv(0x80, &[b"otherName"]),
        tlv(0x82, &[b"example.cn"]),
        tlv(0x83, &[b"x400Address"]),
        tlv(0x85, &[b"ediPartyName"]),
    ]
    .concat();
    let wrapped = tlv(0x04, &[&tlv(0x30, &[&names])]);
    for value in [wrapped, tlv(0x30, &[&tlv(0x80, &[b"otherName"])])] {
        let c = Parts {
            extensions: vec![san_value(false, &value)],
            ..Parts::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ids(&c), ["undecodable-subject-alt-name"]);
        assert_eq!(c.extensions.subject_alt_name, None);
        // Critical: the names are needed, so the certificate is refused.
        assert!(Parts {
            extensions: vec![san_value(true, &value)],
            ..Parts::default()
        }
        .parse()
        .is_err());
    }
    // A well-formed one is read as before.
    let c = Parts {
        extensions: vec![san(false, &tlv(0x82, &[b"example.cn"]))],
        ..Parts::default()
    }
    .parse()
    .unwrap();
    assert!(c.deviations.is_empty());
    assert_eq!(
        c.extensions.subject_alt_name,
        Some(vec![GeneralName::Dns("example.cn".to_owned())])
    );
}

#[test]
fn a_non_minimal_serial_is_a_deviation() {
    let c = Parts {
        serial: vec![0x00, 0x50, 0x51],
        ..Parts::default()
    }
    .parse()
    .unwrap();
    assert_eq!(ids(&c), ["non-minimal-serial"]);
    let c = Parts {
        serial: vec![0x00, 0x80],
        ..Parts::default()
    }
    .parse()
    .unwrap();
    assert!(c.deviations.is_empty());
}

#[test]
fn a_certificate_signed_with_plain_ecdsa_verifies() {
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
    let pair =
        std::sync::Arc::new(EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).unwrap());
    let issuer_key = crate::crypto::PublicKeyInfo {
        algorithm: crate::asn1::AlgorithmIdentifier {
            oid: Oid::from_dotted("1.2.840.10045.2.1").unwrap(),
            params: Some(oid("1.2.840.10045.3.1.7")),
        },
        key: pair.public_key().as_ref().to_vec(),
        der: Vec::new(),
        prepared: Default::default(),
    };
    let plain = tlv(0x30, &[&oid("0.4.0.127.0.7.1.1.4.1.3")]);
    let signer = std::sync::Arc::clone(&pair);
    let c = Parts {
        tbs_alg: plain.clone(),
        outer_alg: plain,
        sign: Some(Box::new(move |tbs: &[u8]| {
            signer
                .sign(&SystemRandom::new(), tbs)
                .unwrap()
                .as_ref()
                .to_vec()
        })),
        ..Parts::default()
    }
    .parse()
    .unwrap();
    assert_eq!(c.signature.len(), 64);
    let policy = crate::crypto::AlgorithmPolicy::default();
    let v = crate::crypto::verify_signature(
        &c.signature_algorithm,
        &issuer_key,
        None,
        c.tbs(),
        &c.signature,
        &policy,
    )
    .unwrap();
    assert_eq!(v.algorithm, "ecdsa-plain-SHA256 (P-256)");
    assert_eq!(v.encoding, crate::crypto::ValueEncoding::Plain);
    let mut tampered = c.signature.clone();
    tampered[10] ^= 1;
    assert!(crate::crypto::verify_signature(
        &c.signature_algorithm,
        &issuer_key,
        None,
        c.tbs(),
        &tampered,
        &policy
    )
    .is_err());
}
