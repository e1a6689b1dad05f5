//! For the lead: these two functions stand in for what `crate::crypto` is getting. Remove this
//! file when raw `r ‖ s` SM2 signatures are accepted by `crypto::verify_signature` and the SM2
//! `Z` value (`crypto::sm2::z_value`, today `pub(crate)` in a private module) is reachable.

use crate::crypto::DigestAlgorithm;

/// TEMPORARY (remove when crypto accepts raw SM2 signatures): a raw 64-byte `r ‖ s` as DER.
pub(super) fn raw_to_der(raw: &[u8]) -> Option<Vec<u8>> {
    if raw.len() != 64 {
        return None;
    }
    let (r, s) = raw.split_at(32);
    let int = |v: &[u8]| {
        let skip = v.iter().take_while(|b| **b == 0).count().min(31);
        let v = v.get(skip..).unwrap_or(v);
        let mut out = vec![0x02];
        let pad = v.first().is_some_and(|b| b & 0x80 != 0);
        out.push((v.len() + usize::from(pad)) as u8);
        if pad {
            out.push(0);
        }
        out.extend_from_slice(v);
        out
    };
    let body = [int(r), int(s)].concat();
    let mut out = vec![0x30, body.len() as u8];
    out.extend(body);
    Some(out)
}

/// TEMPORARY (remove when `crypto::sm2::z_value` is reachable): GM/T 0009 `Z` =
/// SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) for an uncompressed SM2 point.
pub(super) fn z_value(id: &[u8], point: &[u8]) -> Option<[u8; 32]> {
    const A: &str = "fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc";
    const B: &str = "28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93";
    const GX: &str = "32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7";
    const GY: &str = "bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0";
    let xy = point.strip_prefix(&[0x04]).filter(|xy| xy.len() == 64)?;
    let entl = u16::try_from(id.len().checked_mul(8)?).ok()?;
    let mut h = DigestAlgorithm::Sm3.hasher();
    h.update(&entl.to_be_bytes());
    h.update(id);
    for c in [A, B, GX, GY] {
        h.update(&hex::decode(c).ok()?);
    }
    h.update(xy);
    h.finish().try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_signatures_become_der() {
        let mut raw = [0u8; 64];
        raw[31] = 1;
        raw[32] = 0x80;
        let der = raw_to_der(&raw).unwrap();
        assert_eq!(&der[..5], &[0x30, 0x26, 0x02, 0x01, 0x01]);
        assert_eq!(&der[5..8], &[0x02, 0x21, 0x00]);
        assert!(super::super::seal::is_der_pair(&der));
        assert_eq!(raw_to_der(&[0; 63]), None);
    }

    #[test]
    fn z_needs_an_uncompressed_point() {
        // Not a point: refused.
        assert_eq!(z_value(b"1234567812345678", &[4; 10]), None);
        assert!(z_value(b"1234567812345678", &[&[4u8][..], &[1; 64]].concat()).is_some());
    }
}
