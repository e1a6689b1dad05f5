//! The `sigbridge` Python package's native module (`sigbridge._sigbridge`): a `Verifier`
//! built from keyword options named like the CLI's (mapped onto `VerifierConfig`) or from a
//! configuration, `verify` / `verify_digest` with the GIL released, a `Report` with typed
//! attributes read from the same JSON the CLI prints (`to_dict`, `to_json`), and exception
//! classes for each way a call can fail.

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyList, PyString};
use serde_json::Value;
use sigbridge::crypto::DigestAlgorithm;
use sigbridge::revocation::RevocationMode;
use sigbridge::trust::Jurisdiction;
use sigbridge::verify::{Call, Verifier as RustVerifier, VerifierConfig, VerifyError};
use std::path::PathBuf;

/// The extension's Rust allocations (the verifier, its caches, every report) use mimalloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::sync::Arc;

create_exception!(
    _sigbridge,
    SigbridgeError,
    PyException,
    "Base class of sigbridge's errors."
);
create_exception!(
    _sigbridge,
    ConfigError,
    SigbridgeError,
    "The verifier's configuration or one of its files is wrong."
);
create_exception!(
    _sigbridge,
    DocumentError,
    SigbridgeError,
    "The document cannot be read as a signed document."
);
create_exception!(
    _sigbridge,
    UnsupportedDocumentError,
    DocumentError,
    "Not a signed document (a certificate, a CRL, text, …), or a kind this build cannot verify."
);

fn verify_error(e: VerifyError) -> PyErr {
    match e {
        VerifyError::Unsupported { .. } | VerifyError::NotSigned { .. } => {
            UnsupportedDocumentError::new_err(e.to_string())
        }
        VerifyError::ContentAndDigest
        | VerifyError::DigestLength { .. }
        | VerifyError::ContentNotApplicable => PyValueError::new_err(e.to_string()),
        _ => DocumentError::new_err(e.to_string()),
    }
}

fn jurisdiction(s: &str) -> PyResult<Jurisdiction> {
    match s.to_ascii_lowercase().as_str() {
        "hk" => Ok(Jurisdiction::Hk),
        "gd" => Ok(Jurisdiction::Gd),
        _ => Err(PyValueError::new_err(format!(
            "relying_party {s:?} is not 'HK' or 'GD'"
        ))),
    }
}

fn revocation(s: &str) -> PyResult<RevocationMode> {
    match s.to_ascii_lowercase().as_str() {
        "require" => Ok(RevocationMode::Require),
        "prefer" => Ok(RevocationMode::Prefer),
        "off" => Ok(RevocationMode::Off),
        _ => Err(PyValueError::new_err(format!(
            "revocation {s:?} is not 'require', 'prefer' or 'off'"
        ))),
    }
}

/// A time: an aware `datetime`, or an RFC 3339 string.
fn unix_time(at: &Bound<'_, PyAny>) -> PyResult<i64> {
    if let Ok(s) = at.extract::<String>() {
        return sigbridge::asn1::parse_time(&s)
            .ok_or_else(|| PyValueError::new_err(format!("{s:?} is not an RFC 3339 time")));
    }
    if !at.hasattr("timestamp")? || !at.hasattr("tzinfo")? {
        return Err(PyTypeError::new_err(
            "at must be a datetime or an RFC 3339 string",
        ));
    }
    if at.getattr("tzinfo")?.is_none() {
        return Err(PyValueError::new_err(
            "at must be timezone-aware (e.g. datetime(..., tzinfo=timezone.utc))",
        ));
    }
    let ts: f64 = at.call_method0("timestamp")?.extract()?;
    Ok(ts.floor() as i64)
}

fn paths(list: Option<Vec<PathBuf>>) -> Vec<PathBuf> {
    list.unwrap_or_default()
}

/// A verifier, built once and shared by every thread: trust lists, extra anchors,
/// certificates and CRLs, the revocation mode and the default relying party and time.
#[pyclass(module = "sigbridge", frozen)]
struct Verifier {
    inner: Arc<RustVerifier>,
}

#[pymethods]
impl Verifier {
    /// Verifier(*, trust_stores=None, anchors=None, certs=None, crls=None,
    /// revocation="prefer", relying_party=None, at=None) — the options of `sigbridge verify`.
    #[new]
    #[pyo3(signature = (*, trust_stores=None, anchors=None, certs=None, crls=None, revocation=None, relying_party=None, at=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        trust_stores: Option<PathBuf>,
        anchors: Option<Vec<PathBuf>>,
        certs: Option<Vec<PathBuf>>,
        crls: Option<Vec<PathBuf>>,
        revocation: Option<&str>,
        relying_party: Option<&str>,
        at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Verifier> {
        let mut config = VerifierConfig::default();
        config.trust_stores = trust_stores;
        config.anchors = paths(anchors);
        config.certificates = paths(certs);
        config.crls = paths(crls);
        if let Some(r) = revocation {
            config.revocation = self::revocation(r)?;
        }
        config.relying_party = relying_party.map(jurisdiction).transpose()?;
        if let Some(at) = at {
            let t = unix_time(at)?;
            config.validation_time = Some(sigbridge::asn1::format_time(t));
        }
        build(py, config)
    }

    /// Verifier.from_config(config) — a dict of VerifierConfig fields, or the path of a JSON
    /// configuration file.
    #[staticmethod]
    fn from_config(py: Python<'_>, config: &Bound<'_, PyAny>) -> PyResult<Verifier> {
        let config = if config.is_instance_of::<PyDict>() {
            let json = py.import("json")?.call_method1("dumps", (config,))?;
            let text: String = json.extract()?;
            VerifierConfig::from_json(&text, "the configuration dict")
                .map_err(|e| ConfigError::new_err(e.to_string()))?
        } else {
            let path: PathBuf = config.extract().map_err(|_| {
                PyTypeError::new_err("from_config takes a dict or the path of a JSON file")
            })?;
            VerifierConfig::load(&path).map_err(|e| ConfigError::new_err(e.to_string()))?
        };
        build(py, config)
    }

    /// verify(document, content=None, *, at=None, relying_party=None, revocation=None) -> Report
    #[pyo3(signature = (document, content=None, *, at=None, relying_party=None, revocation=None))]
    fn verify(
        &self,
        py: Python<'_>,
        document: &Bound<'_, PyAny>,
        content: Option<&Bound<'_, PyAny>>,
        at: Option<&Bound<'_, PyAny>>,
        relying_party: Option<&str>,
        revocation: Option<&str>,
    ) -> PyResult<Report> {
        let document = bytes_of(document, "document")?;
        let content = content.map(|c| bytes_of(c, "content")).transpose()?;
        let opts = Options::read(at, relying_party, revocation)?;
        let verifier = Arc::clone(&self.inner);
        let report = py.detach(move || {
            let mut reader = content.as_deref();
            let mut call = opts.call();
            if let Some(r) = reader.as_mut() {
                call = call.content(r);
            }
            verifier.verify_with(&document, call).map(Report::new)
        });
        report.map_err(verify_error)
    }

    /// verify_digest(signature, digest_algorithm, digest, *, at=None, relying_party=None,
    /// revocation=None) -> Report — a detached signature against the content's digest.
    #[pyo3(signature = (signature, digest_algorithm, digest, *, at=None, relying_party=None, revocation=None))]
    #[allow(clippy::too_many_arguments)]
    fn verify_digest(
        &self,
        py: Python<'_>,
        signature: &Bound<'_, PyAny>,
        digest_algorithm: &str,
        digest: &Bound<'_, PyAny>,
        at: Option<&Bound<'_, PyAny>>,
        relying_party: Option<&str>,
        revocation: Option<&str>,
    ) -> PyResult<Report> {
        let signature = bytes_of(signature, "signature")?;
        let alg = DigestAlgorithm::from_name(digest_algorithm).ok_or_else(|| {
            PyValueError::new_err(format!("unknown digest algorithm {digest_algorithm:?}"))
        })?;
        let digest = match digest.extract::<String>() {
            Ok(h) => sigbridge_hex(&h)?,
            Err(_) => bytes_of(digest, "digest")?,
        };
        let opts = Options::read(at, relying_party, revocation)?;
        let verifier = Arc::clone(&self.inner);
        let report = py.detach(move || {
            verifier
                .verify_with(&signature, opts.call().content_digest(alg, digest))
                .map(Report::new)
        });
        report.map_err(verify_error)
    }

    /// The caches' hits, misses and sizes, as a dict.
    fn cache_stats(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let v = serde_json::to_value(self.inner.cache_stats())
            .map_err(|e| SigbridgeError::new_err(e.to_string()))?;
        to_py(py, &v)
    }

    /// The Hong Kong and Guangdong trust lists in use (sigbridge-trust-lists/1), as a dict.
    fn trust_lists(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let Some(stores) = self.inner.trust_stores() else {
            return Ok(py.None());
        };
        let v = serde_json::to_value(sigbridge::report::trust::TrustListsReport::of(stores))
            .map_err(|e| SigbridgeError::new_err(e.to_string()))?;
        to_py(py, &v)
    }
}

fn sigbridge_hex(h: &str) -> PyResult<Vec<u8>> {
    let h = h.trim();
    if !h.len().is_multiple_of(2) || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(PyValueError::new_err("digest is not hex"));
    }
    (0..h.len())
        .step_by(2)
        .map(|i| {
            h.get(i..i + 2)
                .and_then(|p| u8::from_str_radix(p, 16).ok())
                .ok_or_else(|| PyValueError::new_err("digest is not hex"))
        })
        .collect()
}

fn build(py: Python<'_>, config: VerifierConfig) -> PyResult<Verifier> {
    let v = py
        .detach(move || config.build())
        .map_err(|e| ConfigError::new_err(e.to_string()))?;
    Ok(Verifier { inner: Arc::new(v) })
}

/// Bytes from `bytes`, `bytearray`, `memoryview` or a binary file (its `read()`).
fn bytes_of(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if obj.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be bytes or a binary file, not str"
        )));
    }
    if obj.hasattr("read")? {
        return bytes_of(&obj.call_method0("read")?, what);
    }
    obj.extract::<Vec<u8>>()
        .map_err(|_| PyTypeError::new_err(format!("{what} must be bytes or a binary file")))
}

/// The per-call options, read with the GIL held.
struct Options {
    time: Option<i64>,
    relying_party: Option<Jurisdiction>,
    revocation: Option<RevocationMode>,
}

impl Options {
    fn read(
        at: Option<&Bound<'_, PyAny>>,
        relying_party: Option<&str>,
        revocation: Option<&str>,
    ) -> PyResult<Options> {
        Ok(Options {
            time: at.map(unix_time).transpose()?,
            relying_party: relying_party.map(jurisdiction).transpose()?,
            revocation: revocation.map(self::revocation).transpose()?,
        })
    }

    fn call<'a>(&self) -> Call<'a> {
        let mut c = Call::new();
        if let Some(t) = self.time {
            c = c.at(t);
        }
        if let Some(j) = self.relying_party {
            c = c.relying_party(j);
        }
        if let Some(m) = self.revocation {
            c = c.revocation(m);
        }
        c
    }
}

/// JSON → Python objects.
fn to_py(py: Python<'_>, v: &Value) -> PyResult<Py<PyAny>> {
    Ok(match v {
        Value::Null => py.None(),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any().unbind(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into_pyobject(py)?.into_any().unbind(),
            None => PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN))
                .into_any()
                .unbind(),
        },
        Value::String(s) => PyString::new(py, s).into_any().unbind(),
        Value::Array(a) => {
            let l = PyList::empty(py);
            for x in a {
                l.append(to_py(py, x)?)?;
            }
            l.into_any().unbind()
        }
        Value::Object(m) => {
            let d = PyDict::new(py);
            for (k, x) in m {
                d.set_item(k, to_py(py, x)?)?;
            }
            d.into_any().unbind()
        }
    })
}

/// One rule's outcome.
#[pyclass(module = "sigbridge", frozen, get_all)]
#[derive(Clone)]
struct Check {
    /// The rule's stable id (e.g. `signature`, `rfc5280.validity`).
    id: String,
    /// `passed`, `failed`, `warning` or `skipped`.
    status: String,
    /// What was found.
    message: String,
}

#[pymethods]
impl Check {
    fn __repr__(&self) -> String {
        format!(
            "Check({:?}, {:?}, {:?})",
            self.id, self.status, self.message
        )
    }
}

/// Recognition of a signer by one jurisdiction.
#[pyclass(module = "sigbridge", frozen, get_all)]
#[derive(Clone)]
struct Recognition {
    /// `HK` or `GD`.
    relying_party: String,
    /// `domestic`, `mutual` or `not_recognised`.
    status: String,
    /// The trust-list entry that recognises the signer, if any.
    matched_entry: Option<String>,
    /// Why not recognised (messages of the failed conditions).
    failed_conditions: Vec<String>,
}

#[pymethods]
impl Recognition {
    /// True for domestic trust or mutual recognition.
    #[getter]
    fn recognised(&self) -> bool {
        self.status != "not_recognised"
    }

    fn __repr__(&self) -> String {
        format!("Recognition({}: {})", self.relying_party, self.status)
    }
}

impl Recognition {
    fn of(r: &sigbridge::recognition::Recognition) -> Recognition {
        use sigbridge::recognition::RecognitionStatus as S;
        Recognition {
            relying_party: r.relying_party.code().to_owned(),
            status: match r.status {
                S::Domestic => "domestic",
                S::Mutual => "mutual",
                S::NotRecognised => "not_recognised",
            }
            .to_owned(),
            matched_entry: r.matched_entry.clone(),
            failed_conditions: r
                .failed_conditions
                .iter()
                .map(|c| c.message.clone())
                .collect(),
        }
    }
}

/// The verdict on one signer.
#[pyclass(module = "sigbridge", frozen, get_all)]
#[derive(Clone)]
struct Signer {
    /// `TOTAL_PASSED`, `TOTAL_FAILED` or `INDETERMINATE`.
    indication: String,
    /// The ETSI sub-indication, or None.
    sub_indication: Option<String>,
    /// The signer certificate's subject DN, if found.
    subject: Option<String>,
    /// Its issuer DN.
    issuer: Option<String>,
    /// Its serial number (hex).
    serial: Option<String>,
    /// The chain's subjects, trust anchor first.
    chain: Vec<String>,
    /// Every rule run.
    checks: Vec<Check>,
    /// Recognition in Hong Kong (None without trust lists, or when the signer's certificate
    /// was not found).
    hk: Option<Recognition>,
    /// Recognition in Guangdong (None without trust lists, or when the signer's certificate
    /// was not found).
    gd: Option<Recognition>,
}

#[pymethods]
impl Signer {
    /// The failed checks.
    #[getter]
    fn failed_checks(&self) -> Vec<Check> {
        self.checks
            .iter()
            .filter(|c| c.status == "failed")
            .cloned()
            .collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "Signer({:?}, {})",
            self.subject.as_deref().unwrap_or("?"),
            self.indication
        )
    }
}

impl Signer {
    fn of(s: &sigbridge::report::document::SignerReport) -> Signer {
        use sigbridge::verdict::Status;
        let id = s.signer.as_ref();
        Signer {
            indication: s.indication.as_str().to_owned(),
            sub_indication: s.sub_indication.map(|x| x.as_str().to_owned()),
            subject: id.map(|i| i.subject.clone()),
            issuer: id.map(|i| i.issuer.clone()),
            serial: id.map(|i| i.serial.clone()),
            chain: s.chain.iter().map(|c| c.subject.clone()).collect(),
            checks: s
                .checks
                .iter()
                .map(|c| Check {
                    id: c.rule.id().to_owned(),
                    status: match c.status {
                        Status::Passed => "passed",
                        Status::Failed => "failed",
                        Status::Warning => "warning",
                        Status::Skipped => "skipped",
                    }
                    .to_owned(),
                    message: c.message.to_string(),
                })
                .collect(),
            hk: s.recognition.as_ref().map(|r| Recognition::of(&r.hk)),
            gd: s.recognition.as_ref().map(|r| Recognition::of(&r.gd)),
        }
    }
}

/// The verdict on one document (`sigbridge-report/2`, as `sigbridge verify --format json`
/// prints it).
#[pyclass(module = "sigbridge", frozen)]
struct Report {
    /// The worst signer's indication.
    #[pyo3(get)]
    indication: String,
    /// Its sub-indication, or None.
    #[pyo3(get)]
    sub_indication: Option<String>,
    /// The jurisdiction the indication is for (`HK`, `GD`), or None.
    #[pyo3(get)]
    relying_party: Option<String>,
    /// The validation time, RFC 3339.
    #[pyo3(get)]
    validation_time: String,
    /// `cms`, `smime`, `pdf` or `ofd`.
    #[pyo3(get)]
    container: String,
    /// True when the content was supplied separately.
    #[pyo3(get)]
    detached: bool,
    /// The whole report, for `to_json` / `to_dict`.
    report: ReportBox,
    /// Its compact JSON, rendered on first use.
    json: std::sync::OnceLock<String>,
}

/// The Rust report behind a [`Report`], kept for `to_json` / `to_dict`.
#[derive(Clone)]
struct ReportBox(Arc<sigbridge::DocumentReport>);

impl Report {
    /// The typed attributes straight from the report (no JSON round trip: the JSON text is
    /// made only when asked for).
    fn new(r: sigbridge::DocumentReport) -> Report {
        let container = serde_json::to_value(r.container)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        Report {
            indication: r.indication.as_str().to_owned(),
            sub_indication: r.sub_indication.map(|x| x.as_str().to_owned()),
            relying_party: r.relying_party.map(|j| j.code().to_owned()),
            validation_time: r.validation_time.clone(),
            container,
            detached: r.detached,
            report: ReportBox(Arc::new(r)),
            json: std::sync::OnceLock::new(),
        }
    }

    /// The report as compact JSON text, rendered once.
    fn json(&self) -> PyResult<&str> {
        if let Some(j) = self.json.get() {
            return Ok(j);
        }
        let text = serde_json::to_string(self.report.0.as_ref())
            .map_err(|e| SigbridgeError::new_err(e.to_string()))?;
        Ok(self.json.get_or_init(|| text))
    }
}

#[pymethods]
impl Report {
    /// One per signer (made from the report when asked for, so a caller that reads only the
    /// indication pays nothing for them).
    #[getter]
    fn signers(&self) -> Vec<Signer> {
        self.report.0.signers.iter().map(Signer::of).collect()
    }

    /// True when the indication is TOTAL_PASSED.
    #[getter]
    fn valid(&self) -> bool {
        self.indication == "TOTAL_PASSED"
    }

    /// The report as plain dicts and lists.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let v = serde_json::to_value(self.report.0.as_ref())
            .map_err(|e| SigbridgeError::new_err(e.to_string()))?;
        to_py(py, &v)
    }

    /// The report as JSON text (`indent`: pretty-printed).
    #[pyo3(signature = (indent=None))]
    fn to_json(&self, indent: Option<usize>) -> PyResult<String> {
        match indent {
            None => self.json().map(str::to_owned),
            Some(n) => {
                let indent = vec![b' '; n];
                let mut out = Vec::new();
                let f = serde_json::ser::PrettyFormatter::with_indent(&indent);
                let mut ser = serde_json::Serializer::with_formatter(&mut out, f);
                serde::Serialize::serialize(self.report.0.as_ref(), &mut ser)
                    .map_err(|e| SigbridgeError::new_err(e.to_string()))?;
                String::from_utf8(out).map_err(|e| SigbridgeError::new_err(e.to_string()))
            }
        }
    }

    fn __repr__(&self) -> String {
        match &self.sub_indication {
            Some(s) => format!(
                "Report({} / {s}, {} signer(s))",
                self.indication,
                self.report.0.signers.len()
            ),
            None => format!(
                "Report({}, {} signer(s))",
                self.indication,
                self.report.0.signers.len()
            ),
        }
    }
}

#[pymodule]
fn _sigbridge(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Verifier>()?;
    m.add_class::<Report>()?;
    m.add_class::<Signer>()?;
    m.add_class::<Recognition>()?;
    m.add_class::<Check>()?;
    m.add("SigbridgeError", py.get_type::<SigbridgeError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("DocumentError", py.get_type::<DocumentError>())?;
    m.add(
        "UnsupportedDocumentError",
        py.get_type::<UnsupportedDocumentError>(),
    )?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
