//! The OCSPRequest a fetcher POSTs (RFC 6960 §4.1, RFC 5019 §2.1): one Request with a SHA-1
//! CertID (what every responder answers), no nonce (so responses may be cached) and no
//! signature.

use crate::asn1::{
    push_tlv, Bounds, NULL_DER, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE,
};
use crate::crypto::DigestAlgorithm;
use crate::x509::Certificate;

const BOUNDS: Bounds = Bounds {
    max_depth: 8,
    max_size: 1 << 16,
};

/// The DER of an OCSPRequest for `cert`, issued by `issuer`, with a CertID of `hash`
/// (SHA-1 for the widest support; SHA-256 where a responder wants it).
pub fn encode(cert: &Certificate, issuer: &Certificate, hash: DigestAlgorithm) -> Vec<u8> {
    let mut alg = Vec::new();
    let _ = push_tlv(TAG_OID, hash.oid().as_bytes(), BOUNDS, &mut alg);
    alg.extend_from_slice(NULL_DER);
    let mut cert_id = Vec::new();
    let _ = push_tlv(TAG_SEQUENCE, &alg, BOUNDS, &mut cert_id);
    let _ = push_tlv(
        TAG_OCTET_STRING,
        &hash.digest(&cert.issuer.der),
        BOUNDS,
        &mut cert_id,
    );
    let _ = push_tlv(
        TAG_OCTET_STRING,
        &hash.digest(&issuer.public_key.key),
        BOUNDS,
        &mut cert_id,
    );
    let _ = push_tlv(TAG_INTEGER, &cert.serial, BOUNDS, &mut cert_id);
    let mut request = Vec::new();
    let _ = push_tlv(TAG_SEQUENCE, &cert_id, BOUNDS, &mut request);
    let mut one = Vec::new();
    let _ = push_tlv(TAG_SEQUENCE, &request, BOUNDS, &mut one);
    let mut list = Vec::new();
    let _ = push_tlv(TAG_SEQUENCE, &one, BOUNDS, &mut list);
    let mut tbs = Vec::new();
    let _ = push_tlv(TAG_SEQUENCE, &list, BOUNDS, &mut tbs);
    let mut out = Vec::new();
    let _ = push_tlv(TAG_SEQUENCE, &tbs, BOUNDS, &mut out);
    out
}
