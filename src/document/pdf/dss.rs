//! Long-term validation data: the document security store (`/DSS`: Certs, OCSPs, CRLs and
//! `/VRI` keyed by the SHA-1 of a signature's `/Contents`) of every revision, decoded and
//! bounded ([`crate::Limits::max_inflated_size`] per stream, [`crate::Limits::max_file_size`]
//! in all), and the PAdES level from the PDF facts and the CMS facts.

use super::error::{PdfError, Result};
use super::object::{ObjRef, Object};
use super::pages;
use super::store::View;
use super::text::decode_text;
use crate::crypto::DigestAlgorithm;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One certificate, OCSP response or CRL of the DSS.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DssItem {
    /// The stream object.
    pub object: Option<ObjRef>,
    /// Its decoded bytes (DER).
    #[serde(skip)]
    pub data: Vec<u8>,
    /// Their length.
    pub length: usize,
}

/// One `/VRI` entry: validation data for one signature.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct VriEntry {
    /// The key: upper-case hex SHA-1 of the signature's `/Contents`.
    pub key: String,
    /// `/Cert`.
    pub certs: Vec<DssItem>,
    /// `/OCSP`.
    pub ocsps: Vec<DssItem>,
    /// `/CRL`.
    pub crls: Vec<DssItem>,
    /// `/TS`: a timestamp token over the signature.
    pub timestamp: Option<DssItem>,
    /// `/TU`: when the entry was made (claimed).
    pub time: Option<String>,
}

/// The DSS as of one revision.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Dss {
    /// The revision in which this DSS content appeared.
    pub revision: usize,
    /// `/Certs`.
    pub certs: Vec<DssItem>,
    /// `/OCSPs`.
    pub ocsps: Vec<DssItem>,
    /// `/CRLs`.
    pub crls: Vec<DssItem>,
    /// `/VRI` entries.
    pub vri: Vec<VriEntry>,
    /// Entries that could not be read (the rest is still returned).
    pub problems: Vec<String>,
}

impl Dss {
    /// The VRI entry of the signature whose `/Contents` is `contents` (keyed by the SHA-1
    /// of the whole string, or of the CMS without its zero padding).
    pub fn vri_for(&self, contents: &[u8], cms: &[u8]) -> Option<&VriEntry> {
        let keys = [
            hex::encode_upper(DigestAlgorithm::Sha1.digest(contents)),
            hex::encode_upper(DigestAlgorithm::Sha1.digest(cms)),
        ];
        self.vri.iter().find(|v| keys.contains(&v.key))
    }
}

struct Reader<'v, 's> {
    view: &'v View<'s>,
    rev: usize,
    left: usize,
    decoded: HashMap<ObjRef, Vec<u8>>,
}

impl Reader<'_, '_> {
    fn item(&mut self, o: &Object, problems: &mut Vec<String>) -> Result<Option<DssItem>> {
        let Some(r) = o.as_ref() else {
            problems.push("a DSS entry is not a stream reference".into());
            return Ok(None);
        };
        if let Some(d) = self.decoded.get(&r) {
            return Ok(Some(DssItem {
                object: Some(r),
                length: d.len(),
                data: d.clone(),
            }));
        }
        let obj = self.view.resolve(r, self.rev)?;
        let Object::Stream(s) = obj.as_ref() else {
            problems.push(format!("DSS entry {r} is not a stream"));
            return Ok(None);
        };
        let data = match self.view.stream_data(s) {
            Ok(d) => d,
            Err(e) if e.limit_name().is_some() => return Err(e),
            Err(e) => {
                problems.push(format!("DSS stream {r}: {e}"));
                return Ok(None);
            }
        };
        if data.len() > self.left {
            return Err(PdfError::limit(
                "max_file_size",
                self.left as u64,
                "the decoded DSS data",
            ));
        }
        self.left -= data.len();
        self.decoded.insert(r, data.clone());
        Ok(Some(DssItem {
            object: Some(r),
            length: data.len(),
            data,
        }))
    }

    fn items(
        &mut self,
        d: &super::object::Dict,
        key: &[u8],
        problems: &mut Vec<String>,
    ) -> Result<Vec<DssItem>> {
        let Some(v) = d.get(key) else {
            return Ok(Vec::new());
        };
        let arr = self.view.deref(v, self.rev)?;
        let mut out = Vec::new();
        for it in arr.as_array().unwrap_or_default() {
            out.extend(self.item(it, problems)?);
        }
        Ok(out)
    }

    fn dss(&mut self, v: &Object) -> Result<Dss> {
        let mut out = Dss {
            revision: self.rev,
            ..Dss::default()
        };
        let d = self.view.deref(v, self.rev)?;
        let Some(d) = d.as_dict().cloned() else {
            out.problems.push("/DSS is not a dictionary".into());
            return Ok(out);
        };
        let mut p = Vec::new();
        out.certs = self.items(&d, b"Certs", &mut p)?;
        out.ocsps = self.items(&d, b"OCSPs", &mut p)?;
        out.crls = self.items(&d, b"CRLs", &mut p)?;
        if let Some(vri) = d.get(b"VRI") {
            let vri = self.view.deref(vri, self.rev)?;
            for (k, e) in vri.as_dict().map(|x| x.0.clone()).unwrap_or_default() {
                let ed = self.view.deref(&e, self.rev)?;
                let Some(ed) = ed.as_dict().cloned() else {
                    p.push(format!(
                        "VRI entry {} is not a dictionary",
                        String::from_utf8_lossy(&k)
                    ));
                    continue;
                };
                let timestamp = match ed.get(b"TS") {
                    Some(t) => self.item(t, &mut p)?,
                    None => None,
                };
                out.vri.push(VriEntry {
                    key: String::from_utf8_lossy(&k).to_ascii_uppercase(),
                    certs: self.items(&ed, b"Cert", &mut p)?,
                    ocsps: self.items(&ed, b"OCSP", &mut p)?,
                    crls: self.items(&ed, b"CRL", &mut p)?,
                    timestamp,
                    time: ed
                        .get(b"TU")
                        .and_then(Object::as_string)
                        .map(|s| decode_text(&s.bytes)),
                });
            }
        }
        out.problems = p;
        Ok(out)
    }
}

fn shape(d: &Dss) -> Vec<Option<ObjRef>> {
    let mut v: Vec<Option<ObjRef>> = d
        .certs
        .iter()
        .chain(&d.ocsps)
        .chain(&d.crls)
        .map(|i| i.object)
        .collect();
    for e in &d.vri {
        v.extend(
            e.certs
                .iter()
                .chain(&e.ocsps)
                .chain(&e.crls)
                .chain(e.timestamp.iter())
                .map(|i| i.object),
        );
    }
    v
}

/// The DSS of every revision whose DSS differs from the previous revision's.
pub(crate) fn per_revision(view: &View<'_>, max_total: usize) -> Result<Vec<Dss>> {
    let mut out: Vec<Dss> = Vec::new();
    let mut decoded = HashMap::new();
    let mut left = max_total;
    for rev in 0..view.store.revs.len() {
        let Ok((_, cat)) = pages::catalog(view, rev) else {
            continue;
        };
        let Some(v) = cat.as_dict().and_then(|d| d.get(b"DSS")).cloned() else {
            continue;
        };
        let mut r = Reader {
            view,
            rev,
            left,
            decoded: std::mem::take(&mut decoded),
        };
        let d = r.dss(&v)?;
        left = r.left;
        decoded = r.decoded;
        let same = out.last().is_some_and(|p| {
            shape(p) == shape(&d)
                && p.vri
                    .iter()
                    .map(|e| &e.key)
                    .eq(d.vri.iter().map(|e| &e.key))
        });
        if !same {
            out.push(d);
        }
    }
    Ok(out)
}

/// What the PDF says about a signature's long-term data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct LevelInputs {
    /// The first revision after the signature's with a DSS.
    pub dss_after: Option<usize>,
    /// A later DSS has a VRI entry for this signature.
    pub vri_after: bool,
    /// Revisions after the signature's that add a document timestamp.
    pub doc_timestamps_after: Vec<usize>,
    /// A document timestamp follows that DSS (an archive timestamp).
    pub doc_timestamp_after_dss: bool,
}

/// The facts a PAdES level needs: the PDF's and the CMS layer's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct LevelFacts {
    /// SubFilter `ETSI.CAdES.detached` (PAdES baseline) …
    pub etsi_cades: bool,
    /// … or `adbe.pkcs7.detached` (PKCS #7).
    pub pkcs7_detached: bool,
    /// The CMS meets the B-level requirements (signed attributes with the signing
    /// certificate reference; no forbidden attributes).
    pub b_level: bool,
    /// The CMS has a signature timestamp (unsigned attribute).
    pub signature_timestamp: bool,
    /// A document timestamp after the signature's revision covers it.
    pub doc_timestamp_after: bool,
    /// Validation data (certificates and revocation data of the chain) is in the DSS (or,
    /// for PKCS #7, in the CMS revocation-info attribute).
    pub validation_data: bool,
    /// A document timestamp covers that validation data.
    pub archive_timestamp: bool,
}

impl LevelFacts {
    /// Builds the facts from the PDF side and the CMS verdicts.
    pub fn new(
        etsi_cades: bool,
        pkcs7_detached: bool,
        b_level: bool,
        signature_timestamp: bool,
        validation_data: bool,
        inputs: &LevelInputs,
    ) -> Self {
        LevelFacts {
            etsi_cades,
            pkcs7_detached,
            b_level,
            signature_timestamp,
            doc_timestamp_after: !inputs.doc_timestamps_after.is_empty(),
            validation_data,
            archive_timestamp: inputs.doc_timestamp_after_dss,
        }
    }
}

/// PAdES / PKCS #7 levels, named as EU DSS names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum PadesLevel {
    /// Neither ETSI nor PKCS #7 detached, or B-level requirements not met.
    #[serde(rename = "PDF_NOT_ETSI")]
    PdfNotEtsi,
    /// PKCS #7, basic.
    #[serde(rename = "PKCS7_B")]
    Pkcs7B,
    /// PKCS #7 with a timestamp.
    #[serde(rename = "PKCS7_T")]
    Pkcs7T,
    /// PKCS #7 with validation data.
    #[serde(rename = "PKCS7_LT")]
    Pkcs7Lt,
    /// PKCS #7 with an archive timestamp.
    #[serde(rename = "PKCS7_LTA")]
    Pkcs7Lta,
    /// PAdES baseline B.
    #[serde(rename = "PAdES_BASELINE_B")]
    PadesBaselineB,
    /// PAdES baseline T.
    #[serde(rename = "PAdES_BASELINE_T")]
    PadesBaselineT,
    /// PAdES baseline LT.
    #[serde(rename = "PAdES_BASELINE_LT")]
    PadesBaselineLt,
    /// PAdES baseline LTA.
    #[serde(rename = "PAdES_BASELINE_LTA")]
    PadesBaselineLta,
}

/// The level (EN 319 142-1 §6): B; T adds a signature or document timestamp; LT adds the
/// validation data; LTA adds a document timestamp over it. Each level needs the one below.
pub fn pades_level(f: &LevelFacts) -> PadesLevel {
    use PadesLevel::*;
    let ladder = if f.etsi_cades {
        [
            PadesBaselineB,
            PadesBaselineT,
            PadesBaselineLt,
            PadesBaselineLta,
        ]
    } else if f.pkcs7_detached {
        [Pkcs7B, Pkcs7T, Pkcs7Lt, Pkcs7Lta]
    } else {
        return PdfNotEtsi;
    };
    if !f.b_level {
        return PdfNotEtsi;
    }
    let t = f.signature_timestamp || f.doc_timestamp_after;
    let steps = [
        t,
        t && f.validation_data,
        t && f.validation_data && f.archive_timestamp,
    ];
    let reached = steps.iter().take_while(|s| **s).count();
    ladder.get(reached).copied().unwrap_or(PdfNotEtsi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(etsi: bool, ts: bool, dts: bool, vd: bool, arch: bool) -> LevelFacts {
        LevelFacts {
            etsi_cades: etsi,
            pkcs7_detached: !etsi,
            b_level: true,
            signature_timestamp: ts,
            doc_timestamp_after: dts,
            validation_data: vd,
            archive_timestamp: arch,
        }
    }

    #[test]
    fn the_level_ladder() {
        use PadesLevel::*;
        assert_eq!(
            pades_level(&facts(true, false, false, false, false)),
            PadesBaselineB
        );
        assert_eq!(
            pades_level(&facts(true, true, false, false, false)),
            PadesBaselineT
        );
        assert_eq!(
            pades_level(&facts(true, false, true, false, false)),
            PadesBaselineT
        );
        assert_eq!(
            pades_level(&facts(true, true, false, true, false)),
            PadesBaselineLt
        );
        assert_eq!(
            pades_level(&facts(true, true, false, true, true)),
            PadesBaselineLta
        );
        // Validation data without a timestamp is still B; an archive timestamp without
        // validation data is still T.
        assert_eq!(
            pades_level(&facts(true, false, false, true, true)),
            PadesBaselineB
        );
        assert_eq!(
            pades_level(&facts(true, true, false, false, true)),
            PadesBaselineT
        );
        assert_eq!(
            pades_level(&facts(false, true, false, false, false)),
            Pkcs7T
        );
        assert_eq!(
            pades_level(&facts(false, true, false, true, true)),
            Pkcs7Lta
        );
        assert_eq!(
            pades_level(&LevelFacts {
                b_level: false,
                ..facts(true, true, false, false, false)
            }),
            PdfNotEtsi
        );
        assert_eq!(pades_level(&LevelFacts::default()), PdfNotEtsi);
        assert_eq!(
            serde_json::to_string(&PadesLevelLabel(PadesBaselineLta)).unwrap(),
            "\"PAdES_BASELINE_LTA\""
        );
    }

    #[derive(Serialize)]
    struct PadesLevelLabel(PadesLevel);
}
