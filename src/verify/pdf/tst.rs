//! The minimum of an RFC 3161 TSTInfo (§2.4.2) that a PDF document timestamp needs: the
//! policy, the messageImprint (hash algorithm and value) and genTime. The token's CMS
//! signature is checked by the CMS layer like any signer; the RFC 3161-specific checks (TSA
//! certificate purpose, ESSCertID binding, accuracy) are not made here yet and are reported
//! as such.

use crate::asn1::time::decode_time;
use crate::asn1::{self, Oid, Reader, UnixTime, TAG_GENERALIZED_TIME, TAG_INTEGER};
use crate::asn1::{TAG_OCTET_STRING, TAG_SEQUENCE};

/// What a TSTInfo says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct TstInfo {
    /// TSAPolicyId.
    pub(super) policy: Oid,
    /// messageImprint.hashAlgorithm.
    pub(super) imprint_algorithm: Oid,
    /// messageImprint.hashedMessage.
    pub(super) imprint: Vec<u8>,
    /// genTime.
    pub(super) time: UnixTime,
}

/// Reads a DER TSTInfo; the error says which part is malformed.
pub(super) fn parse(der: &[u8]) -> Result<TstInfo, String> {
    fn e(what: &'static str) -> impl Fn(asn1::Error) -> String {
        move |err| format!("TSTInfo.{what}: {err}")
    }
    let mut outer = Reader::der(der);
    let mut r = outer.descend(TAG_SEQUENCE).map_err(e("SEQUENCE"))?;
    let version = r.read_small_uint().map_err(e("version"))?;
    if version != 1 {
        return Err(format!("TSTInfo.version is {version}, not 1"));
    }
    let policy = Oid::from_der_content(r.read_oid().map_err(e("policy"))?)
        .ok_or("TSTInfo.policy is not an OBJECT IDENTIFIER")?;
    let mut mi = r.descend(TAG_SEQUENCE).map_err(e("messageImprint"))?;
    let mut alg = mi
        .descend(TAG_SEQUENCE)
        .map_err(e("messageImprint.hashAlgorithm"))?;
    let imprint_algorithm = Oid::from_der_content(
        alg.read_oid()
            .map_err(e("messageImprint.hashAlgorithm.algorithm"))?,
    )
    .ok_or("TSTInfo.messageImprint.hashAlgorithm is not an OBJECT IDENTIFIER")?;
    let imprint = mi
        .content(TAG_OCTET_STRING)
        .map_err(e("messageImprint.hashedMessage"))?
        .to_vec();
    mi.finish().map_err(e("messageImprint"))?;
    r.read(TAG_INTEGER).map_err(e("serialNumber"))?;
    let gen = r.read(TAG_GENERALIZED_TIME).map_err(e("genTime"))?;
    let time = decode_time(&gen).map_err(|m| format!("TSTInfo.genTime: {m}"))?;
    outer.finish().map_err(e("(trailing data)"))?;
    Ok(TstInfo {
        policy,
        imprint_algorithm,
        imprint,
        time,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut v = vec![tag, content.len() as u8];
        v.extend_from_slice(content);
        v
    }

    fn tst(version: u8, imprint: &[u8]) -> Vec<u8> {
        let alg = tlv(
            0x30,
            &tlv(
                0x06,
                &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01],
            ),
        );
        let mut mi = alg;
        mi.extend(tlv(0x04, imprint));
        let mut body = tlv(0x02, &[version]);
        body.extend(tlv(0x06, &[0x2a, 0x03, 0x04]));
        body.extend(tlv(0x30, &mi));
        body.extend(tlv(0x02, &[0x07]));
        body.extend(tlv(0x18, b"20261120120000.5Z"));
        tlv(0x30, &body)
    }

    #[test]
    fn reads_the_imprint_and_time() {
        let t = parse(&tst(1, &[0xab; 32])).unwrap();
        assert_eq!(t.imprint, vec![0xab; 32]);
        assert_eq!(t.imprint_algorithm.to_string(), "2.16.840.1.101.3.4.2.1");
        assert_eq!(t.policy.to_string(), "1.2.3.4");
        assert_eq!(crate::asn1::format_time(t.time), "2026-11-20T12:00:00Z");
    }

    #[test]
    fn refuses_what_is_not_a_tstinfo() {
        assert!(parse(&tst(2, &[1; 32])).unwrap_err().contains("version"));
        assert!(parse(b"\x30\x03\x02\x01\x01").is_err());
        let mut trailing = tst(1, &[1; 32]);
        trailing.push(0);
        assert!(parse(&trailing).is_err());
        assert!(parse(&[]).is_err());
    }
}
