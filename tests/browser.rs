//! The officer's page in a real browser: Debian's chromium driven through chromedriver over
//! WebDriver (plain HTTP + JSON with the tests' own client: a dozen W3C commands need no
//! WebDriver crate and its async stack). Uploads a fixture, reads both verdicts from the
//! page, checks that a failing document shows its reason in words (in Traditional Chinese
//! too), submits with the keyboard, and saves a screenshot to target/service-page.png.
//! Without chromium/chromedriver the test skips loudly, and fails under CI=true (.ci/run
//! installs them).

mod support;

use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::*;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn tool(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| PathBuf::from(d).join(name))
        .find(|p| p.is_file())
}

struct Driver {
    child: Child,
    addr: SocketAddr,
    session: String,
}

impl Driver {
    fn start(chromium: &Path, chromedriver: &Path, profile: &Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Conn::open(addr).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": chromium.to_str().unwrap(),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                     "--window-size=1200,1400", "--lang=en-US", format!("--user-data-dir={}", profile.display())]}}}});
        let mut d = Driver {
            child,
            addr,
            session: String::new(),
        };
        let r = d.cmd("POST", "/session", Some(caps));
        d.session = r["sessionId"].as_str().expect("session id").to_owned();
        d
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let r = request(
            self.addr,
            method,
            path,
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        );
        let v = r.json();
        assert!(r.status == 200, "WebDriver {method} {path}: {}", r.text());
        v["value"].clone()
    }

    fn s(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            &self.s("/element"),
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("find {css}: {v}"))
            .to_owned()
    }

    fn script(&self, js: &str) -> Value {
        self.cmd(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({"script": js, "args": []})),
        )
    }

    fn send_keys(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.cmd(
            "POST",
            &self.s(&format!("/element/{e}/value")),
            Some(json!({"text": text})),
        );
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.cmd(
            "POST",
            &self.s(&format!("/element/{e}/click")),
            Some(json!({})),
        );
    }

    fn text(&self, css: &str) -> String {
        let e = self.find(css);
        self.cmd("GET", &self.s(&format!("/element/{e}/text")), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits until `js` returns a non-empty string; returns it.
    fn wait_for(&self, js: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(s) = self.script(js).as_str().filter(|s| !s.is_empty()) {
                return s.to_owned();
            }
            assert!(Instant::now() < deadline, "timed out waiting for {js}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = Conn::open(self.addr).and_then(|mut c| {
                c.request("DELETE", &format!("/session/{}", self.session), &[], b"")
            });
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn upload_and_verify(d: &Driver, document: &str, content: Option<&str>) -> (String, String) {
    d.script("document.getElementById('form').reset(); document.getElementById('result').hidden = true; return '';");
    d.script("document.getElementById('verdict-hk').removeAttribute('data-verdict'); return '';");
    let docs = fixtures().join("docs");
    d.send_keys("#document", docs.join(document).to_str().unwrap());
    if let Some(c) = content {
        d.send_keys("#content", docs.join(c).to_str().unwrap());
    }
    // Submit with the keyboard: Enter on the focused Verify button.
    d.send_keys("#verify", "\u{E007}");
    let hk = d.wait_for("const v = document.getElementById('verdict-hk'); return document.getElementById('result').hidden ? '' : (v.dataset.verdict || '');");
    let gd = d
        .script("return document.getElementById('verdict-gd').dataset.verdict;")
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (hk, gd)
}

#[test]
fn the_officer_page_in_chromium() {
    let (Some(chromium), Some(chromedriver)) = (tool("chromium"), tool("chromedriver")) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI: chromium and chromedriver must be installed (.ci/run installs them)"
        );
        eprintln!("SKIPPED browser test: chromium / chromedriver not installed (apt-get install chromium chromium-driver)");
        return;
    };
    let stores = fixtures().join("trust-stores");
    let server = Server::start_bin(
        env!("CARGO_BIN_EXE_sigbridge"),
        &[
            "--trust-stores",
            stores.to_str().unwrap(),
            "--at",
            "2026-12-01T00:00:00Z",
            "--no-admin",
        ],
    );
    let profile = std::env::temp_dir().join(format!("sigbridge-chromium-{}", std::process::id()));
    let d = Driver::start(&chromium, &chromedriver, &profile);
    d.cmd(
        "POST",
        &d.s("/url"),
        Some(json!({"url": format!("http://{}/", server.addr)})),
    );
    assert_eq!(
        d.script("return document.title;").as_str().unwrap(),
        "sigbridge — Verify a signed document"
    );

    // An HK MR e-Cert: valid in Hong Kong (domestic) and in Guangdong (mutual recognition).
    let (hk, gd) = upload_and_verify(&d, "hk-mr-personal.p7s", Some("contract.txt"));
    assert_eq!((hk.as_str(), gd.as_str()), ("valid", "valid"));
    assert_eq!(d.text("#verdict-hk .word"), "Valid");
    assert!(d.text("#verdict-hk .why").contains("domestic trust"));
    assert!(d.text("#verdict-gd .why").contains("mutual recognition"));
    assert!(d.text("#signers").contains("CHAN Tai Man"));
    let depth = d
        .script("return document.querySelectorAll('#signers ul.tree li').length;")
        .as_u64()
        .unwrap();
    assert!(depth >= 3, "the chain tree has {depth} levels");
    let png = d.cmd("GET", &d.s("/screenshot"), None);
    let png = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap()
    };
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("service-page.png"), &png).unwrap();
    assert!(png.starts_with(b"\x89PNG"));

    // A corrupted signature: not valid on either side, and the failed rule in words.
    let (hk, gd) = upload_and_verify(&d, "corrupted-signature.p7m", None);
    assert_eq!((hk.as_str(), gd.as_str()), ("invalid", "invalid"));
    let failures = d.text("#signers .failures");
    assert!(
        failures.contains("The signature value (signature)"),
        "{failures}"
    );
    assert!(d.text("#overall").contains("SIG_CRYPTO_FAILURE"));

    // No chain to a trusted root: not confirmed (INDETERMINATE), as the CLI says, not "not valid".
    let (hk, gd) = upload_and_verify(&d, "untrusted-root.p7m", None);
    assert_eq!(
        (hk.as_str(), gd.as_str()),
        ("not-confirmed", "not-confirmed")
    );
    assert!(d.text("#overall").contains("NO_CERTIFICATE_CHAIN_FOUND"));
    let (_, _) = upload_and_verify(&d, "corrupted-signature.p7m", None);

    // The same in Traditional Chinese.
    d.script("const s = document.getElementById('lang'); s.value = 'zh-Hant'; s.dispatchEvent(new Event('change')); return '';");
    assert_eq!(d.text("#verdict-hk .word"), "無效");
    assert!(d.text("#signers .failures").contains("簽名值"));
    std::fs::write(target.join("service-page-failed-zh-hant.png"), {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(d.cmd("GET", &d.s("/screenshot"), None).as_str().unwrap())
            .unwrap()
    })
    .unwrap();

    // A file that is no signed document: the service's reason, in an alert.
    d.script("const s = document.getElementById('lang'); s.value = 'en'; s.dispatchEvent(new Event('change')); return '';");
    d.script("document.getElementById('form').reset(); return '';");
    d.send_keys(
        "#document",
        fixtures().join("docs/contract.txt").to_str().unwrap(),
    );
    d.click("#verify");
    let alert = d.wait_for(
        "const e = document.getElementById('error'); return e.hidden ? '' : e.textContent;",
    );
    assert!(
        alert.contains("unsupported-document") && alert.contains("not a signed document"),
        "{alert}"
    );
    drop(d);
    let _ = std::fs::remove_dir_all(&profile);
}
