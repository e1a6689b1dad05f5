//! Makes the OFD fixtures (`fixtures/ofd/*.ofd`) with the demo GD SM2 PKI: seals and
//! signatures in every form sigbridge reads, and each way a sealed OFD goes wrong. Called by
//! `fixtures/generate-ofd.sh`; what each file must give is in `fixtures/ofd/expected.json`
//! (written by hand, read by tests/ofd_fixtures.rs).
//!
//! ```text
//! cargo run --example make_ofd -- --pki fixtures/docs/pki --ofd-pki fixtures/ofd/pki \
//!     [--tax-pki fixtures/ofd/tax] --out fixtures/ofd
//! ```
//!
//! Signer `gd-sm2-personal` (Demo GDCA SM2 CA), seal maker `seal-maker` and a second signer
//! `other-signer` (both made by generate-ofd.sh under the same CA). Signing time
//! 2026-11-20T12:00:00Z; seals valid 2026-01-01 – 2031-01-01 (the expired one 2024-01-01 –
//! 2025-01-01). With `--tax-pki`, also `e-invoice.ofd`: a V4 invoice seal whose signer
//! (`invoice-signer`) and maker (`invoice-seal-maker`) chain to the demo tax root, outside the
//! HK/GD lists.

#[path = "../benches/support/ofd_build.rs"]
mod ofd_build;
#[path = "../benches/support/sm2_cms.rs"]
#[allow(dead_code)]
mod sm2_cms;

use ofd_build::{document, sign, Form, Party, Res, SealSpec, SignSpec, Version, Zip};
use std::path::PathBuf;

const TIME: &str = "20261120120000";

fn opt_arg(name: &str) -> Res<Option<PathBuf>> {
    let mut it = std::env::args();
    while let Some(a) = it.next() {
        if a == name {
            return Ok(Some(
                it.next().ok_or(format!("{name} needs a value"))?.into(),
            ));
        }
    }
    Ok(None)
}

fn arg(name: &str) -> Res<PathBuf> {
    opt_arg(name)?.ok_or_else(|| {
        format!(
            "usage: make_ofd --pki DIR --ofd-pki DIR [--tax-pki DIR] --out DIR (missing {name})"
        )
        .into()
    })
}

/// The e-invoice: a V4 invoice seal under the demo tax root.
fn e_invoice(tax: &std::path::Path) -> Res<Zip> {
    let signer = Party::load(
        &tax.join("invoice-signer.pem"),
        &tax.join("invoice-signer.key"),
    )?;
    let maker = Party::load(
        &tax.join("invoice-seal-maker.pem"),
        &tax.join("invoice-seal-maker.key"),
    )?;
    let seal = SealSpec {
        version: Version::V4,
        maker: &maker,
        cert_list: vec![signer.cert.clone()],
        valid_start: "20260101000000",
        valid_end: "20310101000000",
        name: "演示发票监制章 Demo Tax Invoice Seal",
        es_id: "44000000000000099",
        raw: false,
        break_signature: false,
    };
    sealed(&SignSpec {
        form: Form::Ses,
        signer: &signer,
        seal: Some(seal),
        time: TIME,
        raw: false,
        protect_list: false,
    })
}

struct Pki {
    signer: Party,
    maker: Party,
    other: Party,
}

fn seal<'a>(p: &'a Pki, version: Version, list: &Party) -> SealSpec<'a> {
    SealSpec {
        version,
        maker: &p.maker,
        cert_list: vec![list.cert.clone()],
        valid_start: "20260101000000",
        valid_end: "20310101000000",
        name: "演示广东电子印章 Demo GD Seal",
        es_id: "44010000000001",
        raw: false,
        break_signature: false,
    }
}

fn spec<'a>(p: &'a Pki, seal: SealSpec<'a>) -> SignSpec<'a> {
    SignSpec {
        form: Form::Ses,
        signer: &p.signer,
        seal: Some(seal),
        time: TIME,
        raw: false,
        protect_list: false,
    }
}

fn sealed(s: &SignSpec<'_>) -> Res<Zip> {
    let mut z = document(2, 4096);
    sign(&mut z, s)?;
    Ok(z)
}

fn main() -> Res<()> {
    let (pki, opki, out) = (arg("--pki")?, arg("--ofd-pki")?, arg("--out")?);
    let p = Pki {
        signer: Party::load(
            &pki.join("gd-sm2-personal.pem"),
            &pki.join("gd-sm2-personal.key"),
        )?,
        maker: Party::load(&opki.join("seal-maker.pem"), &opki.join("seal-maker.key"))?,
        other: Party::load(
            &opki.join("other-signer.pem"),
            &opki.join("other-signer.key"),
        )?,
    };
    let mut files: Vec<(&str, Zip)> = Vec::new();
    files.push((
        "v4-seal.ofd",
        sealed(&spec(&p, seal(&p, Version::V4, &p.signer)))?,
    ));
    files.push((
        "v1-seal.ofd",
        sealed(&spec(&p, seal(&p, Version::V1, &p.signer)))?,
    ));
    let mut sd = spec(&p, seal(&p, Version::V4, &p.signer));
    sd.form = Form::SignedData;
    sd.seal = None;
    files.push(("signed-data.ofd", sealed(&sd)?));
    let mut bare = spec(&p, seal(&p, Version::V4, &p.signer));
    bare.form = Form::Bare;
    bare.seal = None;
    files.push(("bare-signature.ofd", sealed(&bare)?));
    let mut raw_seal = seal(&p, Version::V4, &p.signer);
    raw_seal.raw = true;
    let mut raw = spec(&p, raw_seal);
    raw.raw = true;
    files.push(("raw-signature.ofd", sealed(&raw)?));
    let mut changed = sealed(&spec(&p, seal(&p, Version::V4, &p.signer)))?;
    let page = String::from_utf8(
        changed
            .get("Doc_0/Pages/Page_1/Content.xml")
            .ok_or("no page")?
            .to_vec(),
    )?;
    changed.put(
        "Doc_0/Pages/Page_1/Content.xml",
        page.replace("金额 100.00", "金额 900.00").into_bytes(),
        true,
    );
    files.push(("changed-after-sealing.ofd", changed));
    let mut added = sealed(&spec(&p, seal(&p, Version::V4, &p.signer)))?;
    added.put(
        "Doc_0/Attachs/added-after-sealing.xml",
        b"<Attachment>not sealed</Attachment>".to_vec(),
        true,
    );
    files.push(("added-after-sealing.ofd", added));
    let mut broken = seal(&p, Version::V4, &p.signer);
    broken.break_signature = true;
    files.push(("broken-maker-signature.ofd", sealed(&spec(&p, broken))?));
    let mut other = spec(&p, seal(&p, Version::V4, &p.signer));
    other.signer = &p.other;
    files.push(("signer-not-in-cert-list.ofd", sealed(&other)?));
    let mut expired = seal(&p, Version::V4, &p.signer);
    expired.valid_start = "20240101000000";
    expired.valid_end = "20250101000000";
    files.push(("expired-seal.ofd", sealed(&spec(&p, expired))?));
    let mut two = document(2, 4096);
    let mut first = spec(&p, seal(&p, Version::V4, &p.signer));
    first.protect_list = true;
    sign(&mut two, &first)?;
    sign(&mut two, &spec(&p, seal(&p, Version::V4, &p.signer)))?;
    files.push(("two-signatures.ofd", two));
    if let Some(tax) = opt_arg("--tax-pki")? {
        files.push(("e-invoice.ofd", e_invoice(&tax)?));
    }
    for (name, z) in files {
        std::fs::write(out.join(name), z.to_bytes())?;
    }
    Ok(())
}
