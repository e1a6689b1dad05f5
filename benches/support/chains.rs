//! Three-certificate chains (root → intermediate → leaf) made once per run with the
//! `openssl` command line, in a temporary directory that is removed afterwards.

use sigbridge::x509::certificates_from_bytes;
use sigbridge::x509::Certificate;
use sigbridge::Limits;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

/// The SM2 signer ID used to sign (and so to verify) the SM2 chain: the GM/T 0009 default.
pub const SM2_ID: &str = "1234567812345678";

/// A signature algorithm the chain is made with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alg {
    /// RSA-2048 keys, sha256WithRSAEncryption.
    Rsa2048,
    /// ECDSA P-256 keys, ecdsa-with-SHA256.
    P256,
    /// SM2 keys, SM2-with-SM3 (signer ID [`SM2_ID`]).
    Sm2,
}

impl Alg {
    /// Every algorithm, in table order.
    pub const ALL: [Alg; 3] = [Alg::Rsa2048, Alg::P256, Alg::Sm2];

    /// Short name used in benchmark ids.
    pub fn name(self) -> &'static str {
        match self {
            Alg::Rsa2048 => "rsa2048",
            Alg::P256 => "p256",
            Alg::Sm2 => "sm2",
        }
    }

    fn new_key(self) -> &'static [&'static str] {
        match self {
            Alg::Rsa2048 => &["-newkey", "rsa:2048"],
            Alg::P256 => &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
            Alg::Sm2 => &["-newkey", "sm2"],
        }
    }

    /// Digest and signature options, for `req` and `x509 -req`.
    fn sign(self) -> Vec<String> {
        match self {
            Alg::Rsa2048 | Alg::P256 => vec!["-sha256".into()],
            Alg::Sm2 => vec!["-sm3".into(), "-sigopt".into(), format!("distid:{SM2_ID}")],
        }
    }

    /// Options for `x509 -req` to check the request's self-signature.
    fn verify_request(self) -> Vec<String> {
        match self {
            Alg::Rsa2048 | Alg::P256 => Vec::new(),
            Alg::Sm2 => vec!["-vfyopt".into(), format!("distid:{SM2_ID}")],
        }
    }
}

/// The PEM text of one generated chain.
pub struct ChainPem {
    /// Self-signed root (the trust anchor).
    pub root: Vec<u8>,
    /// Intermediate CA issued by the root.
    pub intermediate: Vec<u8>,
    /// End entity issued by the intermediate.
    pub leaf: Vec<u8>,
}

/// A directory under the system temp dir, removed on drop (kept when the environment
/// variable `SIGBRIDGE_BENCH_KEEP_TMP` is set and not `0`).
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates `<temp>/sigbridge-bench-<pid>`.
    pub fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!("sigbridge-bench-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the benchmark's temp dir");
        TempDir(dir)
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

/// Whether `SIGBRIDGE_BENCH_KEEP_TMP` asks for the benchmark's files to be kept.
pub fn keep_tmp() -> bool {
    std::env::var_os("SIGBRIDGE_BENCH_KEEP_TMP").is_some_and(|v| v != "0")
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if keep_tmp() {
            println!("kept {} (SIGBRIDGE_BENCH_KEEP_TMP)", self.0.display());
            return;
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Our own OpenSSL config, so that the system's `openssl.cnf` adds nothing.
const CONFIG: &str = "\
[req]
distinguished_name = dn
x509_extensions = v3_root
prompt = no

[dn]
CN = unused

[v3_root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash

[v3_intermediate]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[v3_leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
";

/// The `openssl` command line's version, or why it cannot be run.
pub fn openssl_cli_version() -> Result<String, String> {
    let out = Command::new("openssl")
        .arg("version")
        .output()
        .map_err(|e| {
            format!("cannot run the `openssl` command line ({e}); install Debian's `openssl`")
        })?;
    if !out.status.success() {
        return Err("`openssl version` failed".into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn openssl(dir: &Path, args: &[String]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().unwrap_or_else(|e| {
        panic!("cannot run the `openssl` command line ({e}); the benchmark needs it (Debian package `openssl`)")
    });
    assert!(
        out.status.success(),
        "openssl {} failed:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Makes root → intermediate → leaf for `alg` in `<dir>/<alg>/` and returns the PEM text.
/// The one certificate of a generated PEM file, parsed by sigbridge (panics otherwise: the
/// bench cannot run on chains it does not read).
pub fn parse_one(pem: &[u8], what: &str) -> Arc<Certificate> {
    let mut list = certificates_from_bytes(pem, what, &Limits::default())
        .expect("sigbridge parses the generated PEM");
    assert_eq!(list.len(), 1, "{what}: one certificate");
    Arc::new(list.remove(0))
}

pub fn generate(dir: &Path, alg: Alg) -> ChainPem {
    let dir = dir.join(alg.name());
    std::fs::create_dir_all(&dir).expect("create chain dir");
    std::fs::write(dir.join("bench.cnf"), CONFIG).expect("write bench.cnf");
    let name = alg.name().to_uppercase();

    // Root: self-signed.
    let mut args = strings(&[
        "req",
        "-config",
        "bench.cnf",
        "-x509",
        "-nodes",
        "-days",
        "3650",
    ]);
    args.extend(strings(alg.new_key()));
    args.extend(alg.sign());
    args.extend(strings(&[
        "-keyout",
        "root.key",
        "-out",
        "root.pem",
        "-set_serial",
        "1",
    ]));
    args.extend([
        "-subj".into(),
        format!("/C=HK/O=sigbridge bench/CN={name} Root CA"),
    ]);
    openssl(&dir, &args);

    // Intermediate and leaf: a request each, then signed by the one above.
    let issue = |stem: &str, subject: String, issuer: &str, section: &str, serial: &str| {
        let mut req = strings(&["req", "-config", "bench.cnf", "-new", "-nodes"]);
        req.extend(strings(alg.new_key()));
        req.extend(alg.sign());
        req.extend([
            "-keyout".into(),
            format!("{stem}.key"),
            "-out".into(),
            format!("{stem}.csr"),
            "-subj".into(),
            subject,
        ]);
        openssl(&dir, &req);
        let mut sign = strings(&["x509", "-req", "-days", "3650", "-set_serial", serial]);
        sign.extend(alg.sign());
        sign.extend(alg.verify_request());
        sign.extend([
            "-in".into(),
            format!("{stem}.csr"),
            "-CA".into(),
            format!("{issuer}.pem"),
            "-CAkey".into(),
            format!("{issuer}.key"),
            "-extfile".into(),
            "bench.cnf".into(),
            "-extensions".into(),
            section.into(),
            "-out".into(),
            format!("{stem}.pem"),
        ]);
        openssl(&dir, &sign);
    };
    issue(
        "intermediate",
        format!("/C=HK/O=sigbridge bench/CN={name} Intermediate CA"),
        "root",
        "v3_intermediate",
        "2",
    );
    issue(
        "leaf",
        format!("/C=HK/O=sigbridge bench/CN={name} Document Signer"),
        "intermediate",
        "v3_leaf",
        "3",
    );

    let read = |f: &str| std::fs::read(dir.join(f)).expect("read generated certificate");
    ChainPem {
        root: read("root.pem"),
        intermediate: read("intermediate.pem"),
        leaf: read("leaf.pem"),
    }
}

/// Issues `count` more end-entity certificates under the intermediate of the chain that
/// [`generate`] made for `alg` in `dir`, all with the chain's leaf key (`leaf.key`) but each
/// with its own subject and serial: `<dir>/<alg>/leaf-<i>.pem`. Returns their paths.
pub fn issue_leaves(dir: &Path, alg: Alg, count: usize) -> Vec<PathBuf> {
    let dir = dir.join(alg.name());
    let name = alg.name().to_uppercase();
    let one = |i: usize| {
        let stem = format!("leaf-{i}");
        let mut req = strings(&["req", "-config", "bench.cnf", "-new", "-key", "leaf.key"]);
        req.extend(alg.sign());
        req.extend([
            "-out".into(),
            format!("{stem}.csr"),
            "-subj".into(),
            format!("/C=HK/O=sigbridge bench/CN={name} Document Signer {i}"),
        ]);
        openssl(&dir, &req);
        let serial = (1000 + i).to_string();
        let mut sign = strings(&["x509", "-req", "-days", "3650", "-set_serial", &serial]);
        sign.extend(alg.sign());
        sign.extend(alg.verify_request());
        sign.extend(strings(&[
            "-in",
            &format!("{stem}.csr"),
            "-CA",
            "intermediate.pem",
            "-CAkey",
            "intermediate.key",
            "-extfile",
            "bench.cnf",
            "-extensions",
            "v3_leaf",
            "-out",
            &format!("{stem}.pem"),
        ]));
        openssl(&dir, &sign);
        dir.join(format!("{stem}.pem"))
    };
    // Two workers: each certificate takes two short `openssl` processes.
    let mut paths: Vec<(usize, PathBuf)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|w| {
                let one = &one;
                s.spawn(move || {
                    (w..count)
                        .step_by(2)
                        .map(|i| (i, one(i)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|h| h.join().expect("leaf worker"))
            .collect()
    });
    paths.sort();
    paths.into_iter().map(|(_, p)| p).collect()
}

/// Runs the `openssl` command line in `dir` (panics when it fails).
pub fn run_openssl(dir: &Path, args: &[String]) {
    openssl(dir, args);
}
