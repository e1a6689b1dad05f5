//! Real third-party signatures through `Verifier::verify_with`: the CMS of every signature and
//! document timestamp the PDF reader finds in the PDFs of `corpora/pades/` (its `/Contents`,
//! over the `/ByteRange` bytes it streams) and every GB/T 35275 SignedData inside the OFD
//! packages of `corpora/ofd/`.
//!
//! For each one the test asserts that the CMS is read and that its `message-digest` and
//! `signature` checks agree with what the source says: the files the source calls tampered
//! fail one of them, the others pass both. Trust is not judged (no anchors, revocation off);
//! the validation time lies inside the signer certificate's validity. Cases that diverge on
//! purpose are listed in `tests/real-signatures-exceptions.txt`, checked both ways.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use sigbridge::asn1;
use sigbridge::crypto::DigestAlgorithm;
use sigbridge::document::cms;
use sigbridge::document::pdf::PdfDocument;
use sigbridge::revocation::RevocationMode;
use sigbridge::{Call, Check, Limits, Rule, Status, Verifier};

const EXCEPTIONS: &str = "real-signatures-exceptions.txt";

/// The rules of the signed document itself (RFC 5652 / GB/T 35275), as opposed to the
/// certificate path's: an intact signature fails none of them.
const DOCUMENT_RULES: &[Rule] = &[
    Rule::SignerCertificate,
    Rule::SignerIdentifier,
    Rule::DigestAlgorithmListed,
    Rule::DigestAlgorithm,
    Rule::AttributePlacement,
    Rule::ContentType,
    Rule::MessageDigest,
    Rule::AlgorithmProtection,
    Rule::SigningCertificate,
    Rule::SignatureValue,
    Rule::SignatureAlgorithm,
];

// ---- PDF signatures through the PDF reader ----

/// One signature as the PDF reader finds it.
#[derive(Debug)]
struct Found {
    /// The CMS: `/Contents` without its zero padding.
    cms: Vec<u8>,
    /// Non-zero bytes after the end of the CMS in `/Contents` (they are not padding).
    junk_after: usize,
    /// The signed bytes: the `/ByteRange` pieces streamed by the reader, or, when they run
    /// past the end of the file, what of them the file holds.
    content: Vec<u8>,
}

/// Every signature and document timestamp of `pdf`, in document order, with a CMS in
/// `/Contents`; `Err` when the reader refuses the file.
fn signatures(pdf: &[u8]) -> Result<Vec<Found>, String> {
    let doc = PdfDocument::open(pdf.to_vec(), &Limits::default()).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for sig in doc.signatures().map_err(|e| e.to_string())? {
        let (Some(cms), Some(contents)) = (sig.cms(), sig.contents.as_deref()) else {
            continue;
        };
        let junk_after = contents
            .get(cms.len()..)
            .unwrap_or_default()
            .iter()
            .filter(|b| **b != 0)
            .count();
        let mut content = Vec::new();
        match doc.signed_ranges_reader(&sig) {
            Ok(mut r) => {
                r.read_to_end(&mut content).map_err(|e| e.to_string())?;
            }
            Err(_) => {
                for pair in sig.byte_range.as_deref().unwrap_or_default().chunks(2) {
                    if let [start, len] = pair {
                        let start = usize::try_from(*start).unwrap_or(usize::MAX).min(pdf.len());
                        let end = start
                            .saturating_add(usize::try_from(*len).unwrap_or(0))
                            .min(pdf.len());
                        content.extend_from_slice(&pdf[start..end]);
                    }
                }
            }
        }
        out.push(Found {
            cms: cms.to_vec(),
            junk_after,
            content,
        });
    }
    Ok(out)
}

// ---- Running one CMS ----

/// What the source says about one signature's cryptography.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// message-digest (when there are signed attributes) and signature pass.
    Intact,
    /// message-digest or signature fails.
    Broken,
    /// The CMS is not readable (the source finds no signature).
    Unreadable,
    /// The CMS carries its own content although the container signs other bytes: the
    /// content given (the signed bytes) must be refused (content-match fails).
    ContentMismatch,
}

/// What sigbridge made of one signature.
#[derive(Debug)]
struct Seen {
    outcome: Result<Vec<SignerSeen>, String>,
}

#[derive(Debug)]
struct SignerSeen {
    /// The first failed check of the signed document's own rules (not the path's).
    document_failure: Option<Check>,
    message_digest: Option<Check>,
    signature: Option<Check>,
    content_match: Option<Check>,
    issuer: Option<String>,
    indication: String,
}

impl Seen {
    fn category(&self) -> Expect {
        let signers = match &self.outcome {
            Err(_) => return Expect::Unreadable,
            Ok(s) => s,
        };
        let status = |c: &Option<Check>| c.as_ref().map(|c| c.status);
        if signers
            .iter()
            .any(|s| status(&s.content_match) == Some(Status::Failed))
        {
            return Expect::ContentMismatch;
        }
        let intact = !signers.is_empty()
            && signers.iter().all(|s| {
                matches!(
                    status(&s.message_digest),
                    Some(Status::Passed | Status::Skipped)
                ) && status(&s.signature) == Some(Status::Passed)
                    && s.document_failure.is_none()
            });
        if intact {
            Expect::Intact
        } else {
            Expect::Broken
        }
    }

    fn describe(&self) -> String {
        match &self.outcome {
            Err(e) => format!("unreadable: {e}"),
            Ok(signers) => signers
                .iter()
                .map(|s| {
                    let c = |c: &Option<Check>| {
                        c.as_ref().map_or_else(
                            || "-".to_owned(),
                            |c| format!("{:?} ({})", c.status, c.message),
                        )
                    };
                    format!(
                        "[{}; first document failure {}; message-digest {}; signature {}; content-match {}]",
                        s.indication,
                        c(&s.document_failure),
                        c(&s.message_digest),
                        c(&s.signature),
                        c(&s.content_match)
                    )
                })
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

fn verifier() -> Verifier {
    Verifier::builder().revocation(RevocationMode::Off).build()
}

/// A time inside the first signer's certificate validity: its claimed signing time when
/// that lies inside, else the middle of the validity.
fn time_inside_validity(bytes: &[u8]) -> Option<i64> {
    let sd = cms::parse(bytes, &Limits::default()).ok()?;
    let signer = sd.signers.first()?;
    let cert = cms::find_signer_certificate(signer, &sd.certificates)?;
    let claimed = signer.signed_attrs.as_ref().and_then(|a| a.signing_time);
    Some(
        claimed
            .filter(|t| (cert.not_before..=cert.not_after).contains(t))
            .unwrap_or(cert.not_before + (cert.not_after - cert.not_before) / 2),
    )
}

/// Verifies `bytes`; `content` is the detached content (ignored when the CMS carries its own,
/// unless `force_content`: then it is given and must equal the carried content).
fn run(verifier: &Verifier, bytes: &[u8], content: Option<&[u8]>, force_content: bool) -> Seen {
    let carries = cms::parse(bytes, &Limits::default())
        .map(|sd| sd.content.is_some())
        .unwrap_or(false);
    let mut call = Call::new();
    if let Some(t) = time_inside_validity(bytes) {
        call = call.at(t);
    }
    let mut reader: &[u8] = content.unwrap_or_default();
    if content.is_some() && (!carries || force_content) {
        call = call.content(&mut reader as &mut dyn Read);
    }
    let outcome = verifier
        .verify_with(bytes, call)
        .map_err(|e| e.to_string())
        .map(|report| {
            report
                .signers
                .iter()
                .map(|s| {
                    let find = |r: Rule| s.checks.iter().find(|c| c.rule == r).cloned();
                    SignerSeen {
                        document_failure: s
                            .checks
                            .iter()
                            .find(|c| {
                                c.status == Status::Failed && DOCUMENT_RULES.contains(&c.rule)
                            })
                            .cloned(),
                        message_digest: find(Rule::MessageDigest),
                        signature: find(Rule::SignatureValue),
                        content_match: find(Rule::ContentMatch),
                        issuer: s.signer.as_ref().map(|i| i.issuer.clone()),
                        indication: format!(
                            "{}{}",
                            s.indication,
                            s.sub_indication
                                .map(|x| format!("/{x}"))
                                .unwrap_or_default()
                        ),
                    }
                })
                .collect()
        });
    Seen { outcome }
}

// ---- Expectations from the sources ----

/// The expectation for signature `index` (1-based, in file order) of one manifest entry, from
/// its `category` and its `expected` text (the outcome the source project's tests assert).
fn pdf_expectation(file: &str, category: &str, index: usize) -> Expect {
    match (file, category) {
        // DSS2451Test: a failing signature fails by FORMAT_FAILURE (the overlapping ranges),
        // not by its cryptography; the first signature's revision is untouched (pyHanko:
        // Signature1 INTACT), the second one's signed bytes were changed (Signature2 INVALID).
        ("dss/pdf-byterange-overlap.pdf", _) if index == 1 => Expect::Intact,
        // DSS: "NO_SIGNATURE_FOUND; 0 signatures".
        ("dss/BadEncodedCMS.pdf", _) => Expect::Unreadable,
        // pyHanko: "detached signatures should not have encapsulated data".
        ("pyhanko/pdf-sig-with-econtent.pdf", _) => Expect::ContentMismatch,
        // DSS: the /ByteRange runs one byte past the end of the file, so "signature NOT
        // intact". The CMS layer cannot see that (the test gives it what of the ranges the file holds);
        // it fails the signature because the SignerInfo's ecdsa-with-SHA256 carries NULL
        // parameters (RFC 5758 §3.2: absent), which OpenSSL and pyHanko read.
        ("dss/pdf-eof.pdf", _) => Expect::Broken,
        // Bytes changed inside the signed range.
        (_, "tampered") => Expect::Broken,
        // Every other category is about the PDF (coverage, incremental updates, spoofed
        // dictionaries, DocMDP, LTV): the sources report the signature itself intact.
        _ => Expect::Intact,
    }
}

struct Tally {
    read: usize,
    matched: usize,
    issuers: BTreeSet<String>,
    mismatches: BTreeMap<String, String>,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            read: 0,
            matched: 0,
            issuers: BTreeSet::new(),
            mismatches: BTreeMap::new(),
        }
    }

    fn record(&mut self, id: String, expect: Expect, seen: &Seen) {
        if let Ok(signers) = &seen.outcome {
            self.read += 1;
            self.issuers
                .extend(signers.iter().filter_map(|s| s.issuer.clone()));
        }
        let got = seen.category();
        eprintln!(
            "{id}: expected {expect:?}, got {got:?}: {}",
            seen.describe()
        );
        if got == expect {
            self.matched += 1;
        } else {
            self.mismatches.insert(
                id,
                format!("expected {expect:?}, got {got:?}: {}", seen.describe()),
            );
        }
    }
}

fn manifest(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("MANIFEST.json")).expect("MANIFEST.json");
    serde_json::from_str(&text).expect("MANIFEST.json is JSON")
}

fn pades(dir: &Path, verifier: &Verifier, tally: &mut Tally) -> usize {
    let m = manifest(dir);
    let mut total = 0;
    for entry in m["files"].as_array().expect("files") {
        let file = entry["file"].as_str().expect("file");
        let category = entry["category"].as_str().unwrap_or_default();
        let pdf = std::fs::read(dir.join(file)).expect("PDF");
        let found = match signatures(&pdf) {
            Ok(f) => f,
            Err(e) => {
                // A file the reader refuses (no repair mode): its signatures are not reached.
                total += 1;
                let id = format!("pades:{file}");
                let seen = Seen {
                    outcome: Err(format!("the PDF reader refuses the file: {e}")),
                };
                tally.record(id, pdf_expectation(file, category, 1), &seen);
                continue;
            }
        };
        assert!(!found.is_empty(), "{file}: no signature with a CMS found");
        // The manifest's naive scan counts every /ByteRange, also those of a signature
        // dictionary repeated in a later revision (a spoofed /Reason).
        let observed = entry["observed"]["byterange_count"].as_u64().unwrap_or(0) as usize;
        assert!(
            found.len() <= observed,
            "{file}: {} signatures found, the manifest saw {observed} /ByteRange",
            found.len()
        );
        for (i, sig) in found.iter().enumerate() {
            total += 1;
            let id = format!("pades:{file}#{}", i + 1);
            assert_eq!(sig.junk_after, 0, "{id}: non-zero bytes after the CMS");
            let expect = pdf_expectation(file, category, i + 1);
            let seen = run(
                verifier,
                &sig.cms,
                Some(&sig.content),
                expect == Expect::ContentMismatch,
            );
            check_timestamp_imprint(&id, &sig.cms, &sig.content, expect);
            tally.record(id, expect, &seen);
        }
    }
    total
}

/// A document timestamp (eContentType id-ct-TSTInfo) signs its TSTInfo, whose messageImprint
/// is the hash of the signed bytes: the imprint must be found in the TSTInfo.
fn check_timestamp_imprint(id: &str, bytes: &[u8], signed: &[u8], expect: Expect) {
    let Ok(sd) = cms::parse(bytes, &Limits::default()) else {
        return;
    };
    if sd.content_type != sigbridge::asn1::oid::known::CT_TST_INFO {
        return;
    }
    let tst = sd.content.unwrap_or_default();
    let found = [
        DigestAlgorithm::Sha256,
        DigestAlgorithm::Sha384,
        DigestAlgorithm::Sha512,
        DigestAlgorithm::Sha1,
    ]
    .iter()
    .any(|d| {
        let imprint = d.digest(signed);
        tst.windows(imprint.len()).any(|w| w == imprint.as_slice())
    });
    assert_eq!(
        found,
        expect == Expect::Intact,
        "{id}: the timestamp's messageImprint and the signed bytes"
    );
}

// ---- OFD ----

fn unzip(package: &[u8], name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package)).expect("OFD is a ZIP");
    let mut file = archive
        .by_name(name)
        .unwrap_or_else(|e| panic!("{name} in the OFD: {e}"));
    let mut out = Vec::new();
    file.read_to_end(&mut out).expect("read ZIP entry");
    out
}

/// The SignedValue path a Signature.xml names, resolved against the signature's folder.
fn signed_value_path(signature_xml: &[u8], sig_path: &str) -> String {
    let text = String::from_utf8_lossy(signature_xml);
    let value = text
        .split("SignedValue>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("Signature.xml names its SignedValue")
        .trim();
    match value.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => {
            let folder = sig_path.rsplit_once('/').map_or("", |(f, _)| f);
            format!("{folder}/{value}")
        }
    }
}

fn ofd(dir: &Path, verifier: &Verifier, tally: &mut Tally) -> usize {
    let m = manifest(dir);
    let mut total = 0;
    for entry in m["files"].as_array().expect("files") {
        let file = entry["file"].as_str().expect("file");
        if !file.ends_with(".ofd") {
            continue;
        }
        let package = std::fs::read(dir.join(file)).expect("OFD");
        let expect = if entry["expected_outcome"]
            .as_str()
            .unwrap_or_default()
            .starts_with("VALID")
        {
            Expect::Intact
        } else {
            Expect::Broken
        };
        for sig in entry["signatures"].as_array().into_iter().flatten() {
            if sig["format"].as_str() != Some("CMS/PKCS#7 SignedData") {
                continue;
            }
            let sig_path = sig["sig_path"].as_str().expect("sig_path");
            let signature_xml = unzip(&package, sig_path);
            let value = unzip(&package, &signed_value_path(&signature_xml, sig_path));
            // The manifest says what is signed: detached, messageDigest = SM3(Signature.xml).
            assert_eq!(sig["cms"]["eContent"].as_str(), Some("detached"), "{file}");
            assert_eq!(
                sig["cms"]["messageDigest_eq_SM3(Signature.xml)"].as_bool(),
                Some(true),
                "{file}"
            );
            total += 1;
            let id = format!("ofd:{file}:{sig_path}");
            let seen = run(verifier, &value, Some(&signature_xml), false);
            tally.record(id, expect, &seen);
        }
        // GM/T 0099 integrity protection: /signedvalue.dat is a GB/T 35275 SignedData whose
        // attached eContent is SM3(OFDEntries.xml) (the manifest's notes).
        let notes = entry["notes"].as_str().unwrap_or_default();
        if notes.contains("signedvalue.dat = GB/T 35275 SignedData") {
            total += 1;
            let entries = unzip(&package, "OFDEntries.xml");
            let value = unzip(&package, "signedvalue.dat");
            let sd = cms::parse(&value, &Limits::default()).expect("integrity SignedData");
            assert_eq!(
                sd.content.as_deref(),
                Some(DigestAlgorithm::Sm3.digest(&entries).as_slice()),
                "{file}: eContent is SM3(OFDEntries.xml)"
            );
            let id = format!("ofd:{file}:signedvalue.dat");
            let seen = run(verifier, &value, None, false);
            tally.record(id, Expect::Intact, &seen);
        }
    }
    total
}

#[test]
fn real_signatures_read_and_agree_with_their_sources() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let verifier = verifier();
    let mut pdf_tally = Tally::new();
    let pdf_total = pades(&corpora.join("pades"), &verifier, &mut pdf_tally);
    let mut ofd_tally = Tally::new();
    let ofd_total = ofd(&corpora.join("ofd"), &verifier, &mut ofd_tally);
    eprintln!(
        "PDF: {pdf_total} signatures found by the reader (or files it refuses), {} read, {} as the source says; OFD: {ofd_total} SignedData, {} read, {} as the source says; {} issuing CAs: {:#?}",
        pdf_tally.read,
        pdf_tally.matched,
        ofd_tally.read,
        ofd_tally.matched,
        pdf_tally.issuers.union(&ofd_tally.issuers).count(),
        pdf_tally.issuers.union(&ofd_tally.issuers).collect::<Vec<_>>(),
    );
    let mut mismatches = pdf_tally.mismatches;
    mismatches.extend(ofd_tally.mismatches);
    let listed = common::exceptions(EXCEPTIONS);
    let unlisted: Vec<_> = mismatches
        .iter()
        .filter(|(id, _)| !listed.contains_key(*id))
        .map(|(id, why)| format!("{id}: {why}"))
        .collect();
    let stale: Vec<_> = listed
        .keys()
        .filter(|id| !mismatches.contains_key(*id))
        .collect();
    assert!(
        unlisted.is_empty(),
        "signatures that disagree with their source and are not in {EXCEPTIONS}:\n{}",
        unlisted.join("\n")
    );
    assert!(
        stale.is_empty(),
        "listed in {EXCEPTIONS} but now agree with their source (remove them): {stale:?}"
    );
    assert_eq!(
        pdf_total, 44,
        "42 signatures and document timestamps in the 29 files the reader opens, and the 2 it refuses"
    );
    assert_eq!(
        ofd_total, 3,
        "two detached SignedData and one integrity SignedData"
    );
}

// ---- Certificates inside the OFD seals ----

/// Every DER `SEQUENCE { SEQUENCE, SEQUENCE, BIT STRING }` (the shape of a certificate)
/// nested in `der`, looking inside constructed values and OCTET STRINGs.
fn certificate_shaped(der: &[u8], depth: usize, out: &mut Vec<Vec<u8>>) {
    let mut r = asn1::Reader::der(der);
    while let Ok(tlv) = r.read_any() {
        if tlv.tag == asn1::TAG_SEQUENCE {
            let mut inner = asn1::Reader::der(tlv.content);
            let shape = [asn1::TAG_SEQUENCE, asn1::TAG_SEQUENCE, asn1::TAG_BIT_STRING]
                .iter()
                .all(|t| inner.read(*t).is_ok())
                && inner.is_empty();
            if shape {
                out.push(tlv.raw.to_vec());
                continue;
            }
        }
        if depth < 12 && (tlv.constructed() || tlv.tag == asn1::TAG_OCTET_STRING) {
            certificate_shaped(tlv.content, depth + 1, out);
        }
    }
}

/// Every certificate inside the seals and signatures of the OFD packages parses; the ones
/// with the deviations issue 9 found carry them as deviations.
#[test]
fn certificates_inside_ofd_seals_are_read() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let dir = corpora.join("ofd");
    let mut by_file: BTreeMap<String, Vec<sigbridge::x509::Certificate>> = BTreeMap::new();
    let mut failures = Vec::new();
    for entry in manifest(&dir)["files"].as_array().expect("files") {
        let file = entry["file"].as_str().expect("file");
        if !file.ends_with(".ofd") {
            continue;
        }
        let package = std::fs::read(dir.join(file)).expect("OFD");
        let mut archive =
            zip::ZipArchive::new(std::io::Cursor::new(&package)).expect("OFD is a ZIP");
        let names: Vec<String> = archive.file_names().map(str::to_owned).collect();
        for name in names {
            let lower = name.to_ascii_lowercase();
            if !(lower.ends_with(".dat") || lower.ends_with(".esl")) {
                continue;
            }
            let mut bytes = Vec::new();
            archive
                .by_name(&name)
                .expect("entry")
                .read_to_end(&mut bytes)
                .expect("read");
            let mut found = Vec::new();
            certificate_shaped(&bytes, 0, &mut found);
            for der in found {
                match sigbridge::x509::Certificate::from_der(&der) {
                    Ok(c) => by_file.entry(file.to_owned()).or_default().push(c),
                    Err(e) => failures.push(format!("{file}:{name}: {e}")),
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "certificates not read:\n{}",
        failures.join("\n")
    );
    let deviations = |file: &str| -> Vec<String> {
        by_file
            .get(file)
            .into_iter()
            .flatten()
            .flat_map(|c| c.deviations.iter().map(|d| d.id().to_owned()))
            .collect()
    };
    let count: usize = by_file.values().map(Vec::len).sum();
    eprintln!("{count} certificates read from the OFD packages");
    // The Yunnan government certificate: UTF-8 bytes in an IA5String emailAddress.
    assert!(
        deviations("ofdrw__zsbk.ofd").contains(&"name-string-encoding".to_owned()),
        "{:?}",
        deviations("ofdrw__zsbk.ofd")
    );
    // The dms360 seal certificate: a subjectAltName with primitive x400Address and
    // ediPartyName values.
    assert!(
        deviations("ofdrw__n.ofd").contains(&"undecodable-subject-alt-name".to_owned()),
        "{:?}",
        deviations("ofdrw__n.ofd")
    );
}

/// The certificate deviations a carved signature's certificates were read with appear in
/// the signer's report as `rfc5280.profile` warnings.
#[test]
fn certificate_deviations_are_reported_as_warnings() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let verifier = verifier();
    // (file, what the warning says)
    for (file, says) in [
        // The signer certificate's serialNumber 00 50 51 …
        (
            "dss/BadEncodedCMS.pdf",
            "serialNumber is not a minimal INTEGER",
        ),
        // The certificate's outer ecdsa-with-SHA256 has NULL parameters, the TBS one none.
        ("dss/pdf-eof.pdf", "NULL in the outer signatureAlgorithm"),
    ] {
        let pdf = std::fs::read(corpora.join("pades").join(file)).expect("PDF");
        let sig = signatures(&pdf)
            .expect("the reader opens it")
            .into_iter()
            .next()
            .expect("a signature");
        let mut reader: &[u8] = &sig.content;
        let report = verifier
            .verify_with(&sig.cms, Call::new().content(&mut reader))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let signer = report.signers.first().expect("a signer");
        let warning = signer
            .checks
            .iter()
            .find(|c| c.rule == Rule::Profile && c.status == Status::Warning)
            .unwrap_or_else(|| panic!("{file}: no deviation warning in {:#?}", signer.checks));
        assert!(
            warning.message.contains(says),
            "{file}: {}",
            warning.message
        );
        assert!(warning.subject.is_some());
    }
}
