//! The real OFD corpus (`../shared/corpora/ofd`) asserted against its MANIFEST.json: per
//! signature the format, seal properties, which references fail, whether each signature
//! verifies and how it is encoded; standalone seals and SES_Signatures likewise.
//!
//! Every assertion is a named fact (`file#signature/field`). A fact that differs from the
//! manifest must be listed in `tests/ofd-exceptions.txt` with its reason, and a listed fact
//! must still differ (the file is checked both ways).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::Value;
use sigbridge::crypto::ValueEncoding;
use sigbridge::document::ofd::{
    self, checks::OfdRule, checks::OfdStatus, OfdPackage, SignatureResult, SignedValue,
    VerifyOptions,
};
use sigbridge::x509::Certificate;
use sigbridge::Limits;

#[derive(Default)]
struct Facts {
    /// id → (expected, actual)
    all: BTreeMap<String, (String, String)>,
}

impl Facts {
    fn check(&mut self, id: String, expected: impl ToString, actual: impl ToString) {
        self.all
            .insert(id, (expected.to_string(), actual.to_string()));
    }
}

fn s(v: &Value) -> String {
    match v {
        Value::String(t) => t.clone(),
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

/// `YYYYMMDDHHMMSS` from GeneralizedTime, UTCTime or ISO text.
fn digits14(text: &str) -> String {
    let d: String = text.chars().filter(char::is_ascii_digit).collect();
    if text.len() == 13 && text.ends_with('Z') {
        format!("20{}", &d[..12])
    } else {
        d.chars().take(14).collect()
    }
}

/// `YYYYMMDDHHMMSS` from OpenSSL's `Oct 24 00:00:00 2019 GMT`.
fn openssl_time(text: &str) -> String {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = months.iter().position(|m| *m == parts[0]).unwrap() + 1;
    format!(
        "{}{m:02}{:0>2}{}",
        parts[3],
        parts[1],
        parts[2].replace(':', "")
    )
}

fn status(r: &SignatureResult, rule: OfdRule) -> String {
    r.status(rule).map_or("absent".into(), |s| format!("{s:?}"))
}

fn passed(v: bool) -> &'static str {
    if v {
        "Passed"
    } else {
        "Failed"
    }
}

fn encoding(e: Option<ValueEncoding>) -> String {
    match e {
        Some(ValueEncoding::Der) => "der".into(),
        Some(ValueEncoding::Plain) => "raw".into(),
        _ => "null".into(),
    }
}

/// The CN of an `A=b,CN=c` name as the manifest writes it.
fn cn_of(name: &str) -> String {
    name.rsplit(',')
        .find_map(|p| p.strip_prefix("CN="))
        .unwrap_or("")
        .to_owned()
}

fn cn(c: Option<&Arc<Certificate>>) -> String {
    c.and_then(|c| c.subject.common_name())
        .unwrap_or_else(|| "null".into())
}

/// Cryptographic validity as the manifest's independent check judged it: every reference
/// digest, the binding of Signature.xml, the signer's and the seal maker's signatures.
fn crypto_ok(r: &SignatureResult) -> bool {
    let ok = |rule| {
        matches!(
            r.status(rule),
            Some(OfdStatus::Passed) | Some(OfdStatus::Skipped) | None
        )
    };
    r.failed_references().is_empty()
        && r.status(OfdRule::Signature) == Some(OfdStatus::Passed)
        && ok(OfdRule::DataHash)
        && ok(OfdRule::SealSignature)
}

fn user_cert(dir: &std::path::Path) -> Arc<Certificate> {
    let pem = std::fs::read(dir.join("ofdrw__USER.p12.cert.pem")).unwrap();
    Arc::new(Certificate::from_der(pem::parse(pem).unwrap().contents()).unwrap())
}

fn check_ses_facts(facts: &mut Facts, id: &str, m: &Value, r: &SignatureResult) {
    let seal = r.seal.as_ref();
    let f = |k: &str| s(&m[k]);
    let version = if f("version").starts_with("V4") {
        "V4"
    } else {
        "V1"
    };
    facts.check(format!("{id}/format"), version, r.format.unwrap_or("null"));
    facts.check(
        format!("{id}/seal_vid"),
        f("seal_vid"),
        seal.map_or("null".into(), |x| x.vid.clone()),
    );
    facts.check(
        format!("{id}/seal_esID"),
        f("seal_esID"),
        seal.map_or("null".into(), |x| x.es_id.clone()),
    );
    facts.check(
        format!("{id}/seal_name"),
        f("seal_name"),
        seal.map_or("null".into(), |x| x.name.clone()),
    );
    facts.check(
        format!("{id}/seal_type"),
        f("seal_type"),
        seal.map_or("null".into(), |x| x.seal_type.to_string()),
    );
    facts.check(
        format!("{id}/certListType"),
        f("certListType"),
        seal.and_then(|x| x.cert_list_type)
            .map_or("null".into(), |t| t.to_string()),
    );
    for (k, get) in [
        ("seal_created", 0),
        ("seal_validStart", 1),
        ("seal_validEnd", 2),
    ] {
        let ours = seal.map_or("null".into(), |x| {
            [&x.create_date, &x.valid_start, &x.valid_end][get]
                .text
                .clone()
        });
        facts.check(format!("{id}/{k}"), f(k), ours);
    }
    facts.check(
        format!("{id}/picture_type"),
        f("picture_type"),
        seal.map_or("null".into(), |x| x.picture.kind.clone()),
    );
    facts.check(
        format!("{id}/seal_maker"),
        cn_of(&f("seal_maker")),
        cn(r.seal_maker_certificate.as_ref()),
    );
    let seal_ok = m["seal_signature_verifies_over"]
        .as_array()
        .is_some_and(|a| !a.is_empty());
    facts.check(
        format!("{id}/seal_signature"),
        passed(seal_ok),
        status(r, OfdRule::SealSignature),
    );
    facts.check(
        format!("{id}/seal_sig_encoding"),
        f("seal_sig_encoding"),
        encoding(r.seal_signature_encoding),
    );
    facts.check(
        format!("{id}/timeInfo"),
        f("timeInfo"),
        r.signing_time
            .as_ref()
            .map_or("null".into(), |t| t.text.clone()),
    );
    facts.check(
        format!("{id}/dataHash"),
        passed(m["dataHash_eq_SM3(Signature.xml)"] == true),
        status(r, OfdRule::DataHash),
    );
    let sig_ok = m["signature_verifies_over"]
        .as_array()
        .is_some_and(|a| !a.is_empty());
    facts.check(
        format!("{id}/signature"),
        passed(sig_ok),
        status(r, OfdRule::Signature),
    );
    facts.check(
        format!("{id}/sig_encoding"),
        f("sig_encoding"),
        encoding(r.signature_encoding),
    );
    let ts = match &m["timeStamp_present"] {
        Value::Bool(true) => "Indeterminate",
        _ => "Skipped",
    };
    facts.check(format!("{id}/timeStamp"), ts, status(r, OfdRule::Timestamp));
    let in_list = match &m["signer_cert_in_seal_certList"] {
        Value::Bool(true) => "Passed",
        Value::Bool(false) => "Failed",
        _ => "Indeterminate",
    };
    facts.check(
        format!("{id}/signer_in_certList"),
        in_list,
        status(r, OfdRule::SignerInSealCertList),
    );
    let seal_file = match &m["Seal.esl_matches_eseal"] {
        Value::Bool(true) => "Passed",
        Value::Bool(false) => "Failed",
        _ => "Skipped",
    };
    facts.check(
        format!("{id}/seal_file"),
        seal_file,
        status(r, OfdRule::SealFile),
    );
    // The signer's CN when its certificate parses strictly; else it must be reported so.
    match &r.signer_certificate {
        Some(c) => facts.check(
            format!("{id}/signer"),
            cn_of(&f("signer")),
            c.subject.common_name().unwrap_or_default(),
        ),
        None => facts.check(
            format!("{id}/signer"),
            cn_of(&f("signer")),
            format!("unparsed ({})", status(r, OfdRule::SignerCertificate)),
        ),
    }
    // Windows, judged at timeInfo from the manifest's own values.
    let t = digits14(&f("timeInfo"));
    let inside = digits14(&f("seal_validStart")) <= t && t <= digits14(&f("seal_validEnd"));
    facts.check(
        format!("{id}/seal_validity"),
        passed(inside),
        status(r, OfdRule::SealValidity),
    );
    let inside =
        openssl_time(&f("signer_notBefore")) <= t && t <= openssl_time(&f("signer_notAfter"));
    facts.check(
        format!("{id}/signer_validity"),
        passed(inside),
        status(r, OfdRule::SignerCertificateValidity),
    );
}

fn check_signature(facts: &mut Facts, file: &str, m: &Value, r: &SignatureResult) {
    let id = format!("{file}#{}", s(&m["ID"]));
    let kind = match s(&m["Type"]).as_str() {
        "Sign" => "Sign",
        _ => "Seal",
    };
    facts.check(format!("{id}/Type"), kind, format!("{:?}", r.kind));
    facts.check(
        format!("{id}/path"),
        s(&m["sig_path"]),
        r.path.clone().unwrap_or_default(),
    );
    facts.check(
        format!("{id}/n_refs"),
        s(&m["n_refs"]),
        r.checks_of(OfdRule::ReferenceDigest).count(),
    );
    let bad: BTreeSet<String> = m["refs_bad"].as_array().unwrap().iter().map(s).collect();
    let ours: BTreeSet<String> = r
        .failed_references()
        .into_iter()
        .map(str::to_owned)
        .collect();
    facts.check(
        format!("{id}/refs_bad"),
        format!("{bad:?}"),
        format!("{ours:?}"),
    );
    if let Some(z) = m
        .get("refs_bad_even_with_SM3(Z||data)")
        .and_then(Value::as_array)
    {
        if s(&m["CheckMethod"]) == "1.2.156.10197.1.401.2" {
            let z: BTreeSet<String> = z.iter().map(s).collect();
            facts.check(
                format!("{id}/refs_bad_with_Z"),
                format!("{z:?}"),
                format!("{ours:?}"),
            );
        }
    }
    let covers_list = r
        .covered_files
        .iter()
        .any(|f| f.ends_with("Signatures.xml"));
    facts.check(
        format!("{id}/protects_Signatures.xml"),
        s(&m["protects_Signatures.xml"]),
        covers_list,
    );
    let crypto = match &m["observed_crypto_ok"] {
        Value::Bool(b) => *b,
        Value::String(t) => t.starts_with("True"),
        _ => false,
    };
    facts.check(format!("{id}/crypto_ok"), crypto, crypto_ok(r));
    match s(&m["format"]).as_str() {
        "SES_Signature" => check_ses_facts(facts, &id, &m["ses"], r),
        "CMS/PKCS#7 SignedData" => {
            let cms = &m["cms"];
            facts.check(
                format!("{id}/format"),
                "SignedData",
                r.format.unwrap_or("null"),
            );
            facts.check(
                format!("{id}/signature"),
                passed(cms["sig_verify"][0] == true),
                status(r, OfdRule::Signature),
            );
            facts.check(
                format!("{id}/sig_encoding"),
                s(&cms["sig_verify"][1]),
                encoding(r.signature_encoding),
            );
            facts.check(
                format!("{id}/dataHash"),
                passed(cms["messageDigest_eq_SM3(Signature.xml)"] == true),
                status(r, OfdRule::DataHash),
            );
            facts.check(
                format!("{id}/signer"),
                cn_of(&s(&cms["signer"])),
                cn(r.signer_certificate.as_ref()),
            );
        }
        "unparsed" => {
            facts.check(format!("{id}/format"), "bare", r.format.unwrap_or("null"));
            facts.check(
                format!("{id}/sig_encoding"),
                "der",
                encoding(r.signature_encoding),
            );
        }
        other => panic!("{id}: manifest format {other} unknown to this test"),
    }
}

fn check_package(facts: &mut Facts, dir: &std::path::Path, entry: &Value) {
    let file = s(&entry["file"]);
    let bytes = std::fs::read(dir.join(&file)).unwrap();
    let package =
        OfdPackage::open(bytes, &Limits::default()).unwrap_or_else(|e| panic!("{file}: {e}"));
    let manifest_sigs = entry["signatures"].as_array().unwrap();
    let bare = manifest_sigs.iter().any(|m| s(&m["format"]) == "unparsed");
    let options = if bare {
        // Without the out-of-band key a bare signature is indeterminate, not valid.
        let without = ofd::verify_signatures(&package, &VerifyOptions::new()).unwrap();
        facts.check(
            format!("{file}/bare_without_key"),
            "Indeterminate",
            status(&without.signatures[0], OfdRule::Signature),
        );
        VerifyOptions::new().with_signer_certificates(vec![user_cert(dir)])
    } else {
        VerifyOptions::new()
    };
    let v = ofd::verify_signatures(&package, &options).unwrap();
    facts.check(
        format!("{file}/signatures"),
        manifest_sigs.len(),
        v.signatures.len(),
    );
    for m in manifest_sigs {
        let r = v
            .signatures
            .iter()
            .find(|r| r.id == s(&m["ID"]) && r.path.as_deref() == Some(&s(&m["sig_path"])[..]));
        match r {
            Some(r) => check_signature(facts, &file, m, r),
            None => facts.check(format!("{file}#{}/found", s(&m["ID"])), true, false),
        }
    }
    // The summary reads the same seals.
    let summary = ofd::OfdSummary::of(&package).unwrap();
    facts.check(
        format!("{file}/summary_signatures"),
        manifest_sigs.len(),
        summary.signatures.len(),
    );
}

fn check_standalone(facts: &mut Facts, dir: &std::path::Path, entry: &Value) {
    let file = s(&entry["file"]);
    let bytes = std::fs::read(dir.join(&file)).unwrap();
    let policy = sigbridge::crypto::AlgorithmPolicy::default();
    if let Some(m) = entry.get("seal") {
        let seal =
            ofd::parse_seal(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{file}: {e}"));
        let i = &seal.info;
        facts.check(
            format!("{file}/header_version"),
            s(&m["header_version"]),
            i.header.version,
        );
        facts.check(format!("{file}/vid"), s(&m["vid"]), &i.header.vid);
        facts.check(format!("{file}/esID"), s(&m["esID"]), &i.es_id);
        facts.check(format!("{file}/name"), s(&m["name"]), &i.property.name);
        facts.check(format!("{file}/type"), s(&m["type"]), i.property.seal_type);
        facts.check(
            format!("{file}/certListType"),
            s(&m["certListType"]),
            i.property
                .cert_list_type
                .map_or("null".into(), |t| t.to_string()),
        );
        facts.check(
            format!("{file}/certList_n"),
            s(&m["certList_n"]),
            i.property.cert_list.len(),
        );
        let dates: Vec<String> = m["dates"].as_array().unwrap().iter().map(s).collect();
        let ours = vec![
            i.property.create_date.text.clone(),
            i.property.valid_start.text.clone(),
            i.property.valid_end.text.clone(),
        ];
        facts.check(
            format!("{file}/dates"),
            format!("{dates:?}"),
            format!("{ours:?}"),
        );
        facts.check(
            format!("{file}/picture_type"),
            s(&m["picture_type"]),
            &i.picture.kind,
        );
        facts.check(
            format!("{file}/maker"),
            cn_of(&s(&m["maker"])),
            cn(seal.maker.certificate.as_ref()),
        );
        let ok = m["seal_signature_verifies_over"]
            .as_array()
            .is_some_and(|a| !a.is_empty());
        facts.check(
            format!("{file}/seal_signature"),
            passed(ok),
            format!("{:?}", ofd::verify_seal(&seal, &policy).status),
        );
        facts.check(
            format!("{file}/seal_sig_encoding"),
            s(&m["seal_sig_encoding"]),
            encoding(seal.signature_encoding),
        );
        let version = if s(&m["header_version"]) == "4" {
            "V4"
        } else {
            "V1"
        };
        facts.check(
            format!("{file}/version"),
            version,
            format!("{:?}", seal.version),
        );
    } else if let Some(m) = entry.get("ses") {
        let SignedValue::Ses(ses) = ofd::parse_signed_value(&bytes, &Limits::default()).unwrap()
        else {
            panic!("{file}: not an SES_Signature");
        };
        facts.check(
            format!("{file}/version"),
            "V4",
            format!("{:?}", ses.version),
        );
        facts.check(
            format!("{file}/seal_vid"),
            s(&m["seal_vid"]),
            &ses.seal.info.header.vid,
        );
        facts.check(
            format!("{file}/seal_name"),
            s(&m["seal_name"]),
            &ses.seal.info.property.name,
        );
        facts.check(
            format!("{file}/signer"),
            cn_of(&s(&m["signer"])),
            cn(ses.signer.certificate.as_ref()),
        );
        facts.check(
            format!("{file}/timeStamp"),
            s(&m["timeStamp_present"]),
            ses.timestamp.is_some(),
        );
        let checks = ofd::verify_ses(&ses, &VerifyOptions::new());
        let get = |rule| {
            checks
                .iter()
                .find(|c| c.rule == rule)
                .map_or("absent".into(), |c| format!("{:?}", c.status))
        };
        facts.check(
            format!("{file}/signature"),
            "Passed",
            get(OfdRule::Signature),
        );
        facts.check(
            format!("{file}/seal_signature"),
            "Passed",
            get(OfdRule::SealSignature),
        );
        facts.check(
            format!("{file}/signer_in_certList"),
            passed(m["signer_cert_in_seal_certList"] == true),
            get(OfdRule::SignerInSealCertList),
        );
    }
}

#[test]
fn the_ofd_corpus_matches_its_manifest() {
    let Some(root) = common::corpora() else {
        return;
    };
    let dir = root.join("ofd");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.join("MANIFEST.json")).unwrap()).unwrap();
    let entries = manifest["files"].as_array().unwrap();
    // Every data file is in the manifest, and every manifest entry is on disk.
    let listed: BTreeSet<String> = entries.iter().map(|e| s(&e["file"])).collect();
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("ofdrw__"))
        .collect();
    assert_eq!(listed, on_disk, "MANIFEST.json and the folder disagree");

    let mut facts = Facts::default();
    let (mut packages, mut signatures) = (0, 0);
    for entry in entries {
        let file = s(&entry["file"]);
        if file.ends_with(".ofd") {
            packages += 1;
            signatures += entry["signatures"].as_array().unwrap().len();
            check_package(&mut facts, &dir, entry);
        } else if file.ends_with(".esl") || file.ends_with(".dat") {
            check_standalone(&mut facts, &dir, entry);
        }
    }
    let exceptions = common::exceptions("ofd-exceptions.txt");
    let diverging: BTreeMap<&String, &(String, String)> =
        facts.all.iter().filter(|(_, (e, a))| e != a).collect();
    let mut problems = Vec::new();
    for (id, (expected, actual)) in &diverging {
        if !exceptions.contains_key(*id) {
            problems.push(format!("{id}: manifest {expected}, sigbridge {actual}"));
        }
    }
    for id in exceptions.keys() {
        if !diverging.contains_key(id) {
            problems.push(format!("{id}: listed in ofd-exceptions.txt but now agrees with the manifest (or is no fact)"));
        }
    }
    eprintln!(
        "ofd corpus: {packages} packages, {signatures} signatures, {} facts, {} listed divergences",
        facts.all.len(),
        diverging.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        facts.all.len() > 300,
        "too few facts checked: {}",
        facts.all.len()
    );
}
