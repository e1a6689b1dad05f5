//! Reading helpers every part of the CMS decoder shares: the decoding context (bounds, the
//! object cache, the signer count) and the few small structures (OID, AlgorithmIdentifier,
//! Name), with errors that say where.

use super::{CmsError, Limits};
use crate::asn1::{self as ber, Bounds, Error as BerError, Reader, Tlv, TAG_SEQUENCE};
use crate::asn1::{AlgorithmIdentifier, Oid};
use crate::x509::{Name, ObjectCache};
use std::fmt;

/// Where the decoder is in the structure (`SignedData.signerInfos[0].signedAttrs`), written
/// out only when an error names it: decoding a valid document formats no location.
#[derive(Clone, Copy, Debug)]
pub(super) enum At<'a> {
    /// A top-level location.
    Root(&'a str),
    /// A named field of a location.
    Field(&'a At<'a>, &'static str),
    /// The item with this index of a location that is a SET or SEQUENCE OF.
    Item(&'a At<'a>, usize),
}

impl<'a> At<'a> {
    pub(super) fn field(&'a self, name: &'static str) -> At<'a> {
        At::Field(self, name)
    }

    pub(super) fn item(&'a self, index: usize) -> At<'a> {
        At::Item(self, index)
    }
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::Root(s) => f.write_str(s),
            At::Field(parent, name) => write!(f, "{parent}.{name}"),
            At::Item(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// Context for error messages and bounds while decoding.
pub(super) struct Ctx<'l> {
    pub(super) limits: &'l Limits,
    pub(super) ber: Bounds,
    /// SignerInfos decoded so far, counter-signatures included.
    pub(super) signers: usize,
    /// Parsed certificates and CRLs shared across documents, when a verifier has them.
    pub(super) caches: Option<&'l ObjectCache>,
    /// The limits that shape a parsed certificate or CRL (part of their cache key).
    pub(super) objects_key: [u8; 32],
}

impl<'l> Ctx<'l> {
    pub(super) fn new(limits: &'l Limits) -> Self {
        Ctx {
            limits,
            ber: Bounds {
                max_depth: limits.max_asn1_depth,
                max_size: limits.max_object_size,
            },
            signers: 0,
            caches: None,
            objects_key: objects_key(limits),
        }
    }
}

/// What a parsed certificate or CRL depends on besides its bytes: the BER limits of the
/// re-encoding and the CRL entry bound, written out as they are (an injective encoding,
/// no hash to compute per document).
fn objects_key(limits: &Limits) -> [u8; 32] {
    let mut key = [0u8; 32];
    let fields = [
        limits.max_asn1_depth,
        limits.max_object_size,
        limits.max_crl_entries,
    ];
    for (slot, value) in key.chunks_exact_mut(8).zip(fields) {
        slot.copy_from_slice(&(value as u64).to_le_bytes());
    }
    // The last eight bytes name the kind of key.
    if let Some(tag) = key.get_mut(24..) {
        tag.copy_from_slice(b"cms-objs");
    }
    key
}

/// Turns a BER error at `at` into a [`CmsError`].
pub(super) fn ber_err<L: fmt::Display + ?Sized>(at: &L) -> impl Fn(BerError) -> CmsError + '_ {
    move |e| match e {
        BerError::TooDeep(_) => CmsError::Limit {
            at: at.to_string(),
            detail: format!("{e} (Limits::max_asn1_depth)"),
        },
        BerError::TooLarge(_) => CmsError::Limit {
            at: at.to_string(),
            detail: format!("{e} (Limits::max_object_size)"),
        },
        _ => CmsError::Malformed {
            at: at.to_string(),
            detail: e.to_string(),
        },
    }
}

pub(super) fn malformed<L: fmt::Display + ?Sized>(at: &L, detail: impl Into<String>) -> CmsError {
    CmsError::Malformed {
        at: at.to_string(),
        detail: detail.into(),
    }
}

pub(super) fn oid<L: fmt::Display + ?Sized>(content: &[u8], at: &L) -> Result<Oid, CmsError> {
    Oid::from_der_content(content).ok_or_else(|| malformed(at, "invalid OBJECT IDENTIFIER"))
}

/// AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }.
pub(super) fn algorithm_identifier(
    tlv: &Tlv<'_>,
    ctx: &Ctx<'_>,
    at: &At<'_>,
) -> Result<AlgorithmIdentifier, CmsError> {
    if tlv.tag != TAG_SEQUENCE {
        return Err(malformed(
            at,
            format!(
                "expected an AlgorithmIdentifier SEQUENCE, found tag 0x{:02x}",
                tlv.tag
            ),
        ));
    }
    let mut seq = Reader::new(tlv.content, ctx.ber);
    let oid = oid(seq.read_oid().map_err(ber_err(at))?, at)?;
    let params = if seq.is_empty() {
        None
    } else {
        let p = seq.read_any().map_err(ber_err(at))?;
        Some(ber::to_der(&p, ctx.ber).map_err(ber_err(at))?)
    };
    seq.finish().map_err(ber_err(at))?;
    Ok(AlgorithmIdentifier { oid, params })
}

/// Reads an AlgorithmIdentifier from the reader.
pub(super) fn read_algorithm(
    reader: &mut Reader<'_>,
    ctx: &Ctx<'_>,
    at: &At<'_>,
) -> Result<AlgorithmIdentifier, CmsError> {
    let tlv = reader.read_any().map_err(ber_err(at))?;
    algorithm_identifier(&tlv, ctx, at)
}

/// [`name`] through the verifier's object cache, when there is one.
pub(super) fn shared_name(
    tlv: &Tlv<'_>,
    ctx: &Ctx<'_>,
    at: &At<'_>,
) -> Result<std::sync::Arc<Name>, CmsError> {
    match ctx.caches {
        Some(c) => c.name(tlv.raw, &ctx.objects_key, || name(tlv, ctx, at)),
        None => name(tlv, ctx, at).map(std::sync::Arc::new),
    }
}

/// Decodes a Name (re-encoded as DER first) with the crate's name model.
pub(super) fn name(tlv: &Tlv<'_>, ctx: &Ctx<'_>, at: &At<'_>) -> Result<Name, CmsError> {
    use x509_parser::prelude::FromDer;
    let der = ber::to_der(tlv, ctx.ber).map_err(ber_err(at))?;
    let (rest, parsed) = x509_parser::x509::X509Name::from_der(&der)
        .map_err(|e| malformed(at, format!("bad Name: {e}")))?;
    if !rest.is_empty() {
        return Err(malformed(at, "trailing data after Name"));
    }
    crate::x509::ext::convert_name("CMS name", &parsed).map_err(|e| malformed(at, e.to_string()))
}
