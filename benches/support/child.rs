//! Child processes measured one at a time: wall time, exit status and peak RSS.
//!
//! `getrusage(RUSAGE_CHILDREN)` reports the maximum RSS over *all* reaped children, so each
//! child is reaped with `wait4`, which returns that child's own resource usage.
//!
//! A child's `ru_maxrss` also counts the peak RSS of the memory map it replaced at `exec`,
//! and std spawns with `vfork` semantics (`posix_spawn`), so a child of the benchmark would
//! report at least the benchmark's own peak. Hence [`run`] goes through a launcher: the
//! benchmark binary itself, started afresh with `SIGBRIDGE_BENCH_LAUNCH=1` (see
//! [`serve_if_launcher`]), which spawns the command, reaps it with `wait4` and writes the
//! wall time, exit code and peak RSS to its stdout. The launcher's own small RSS is the floor
//! of every figure ([`floor`] measures it with `true`).

use std::ffi::{c_int, c_long};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `struct rusage` of Linux (x86_64 and aarch64: two `timeval`s, then 14 `long`s).
#[repr(C)]
struct Rusage {
    ru_utime: [c_long; 2],
    ru_stime: [c_long; 2],
    ru_maxrss: c_long,
    rest: [c_long; 13],
}

extern "C" {
    // glibc.
    fn wait4(pid: c_int, status: *mut c_int, options: c_int, rusage: *mut Rusage) -> c_int;
}

/// One finished child.
#[derive(Clone, Copy, Debug)]
pub struct Run {
    /// From just before spawning to the return of `wait4`.
    pub wall: Duration,
    /// Exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Peak resident set size, bytes.
    pub max_rss: u64,
}

impl Run {
    /// Whether it exited with code 0.
    pub fn ok(&self) -> bool {
        self.code == Some(0)
    }
}

/// The environment variable that makes the benchmark binary a launcher.
const LAUNCH_ENV: &str = "SIGBRIDGE_BENCH_LAUNCH";

/// Call first in `main`: when started as a launcher, runs the command given as arguments
/// (see the module documentation), prints `wall_ns code max_rss` and exits.
pub fn serve_if_launcher() {
    if std::env::var_os(LAUNCH_ENV).is_none() {
        return;
    }
    let mut args = std::env::args_os().skip(1);
    let Some(program) = args.next() else {
        std::process::exit(2);
    };
    let mut cmd = Command::new(program);
    cmd.args(args).env_remove(LAUNCH_ENV);
    match run_direct(&mut cmd) {
        Ok(r) => {
            println!(
                "{} {} {}",
                r.wall.as_nanos(),
                r.code.map_or(-1, i64::from),
                r.max_rss
            );
            std::process::exit(0);
        }
        Err(e) => {
            eprintln!("launcher: {e}");
            std::process::exit(2);
        }
    }
}

/// Runs `cmd` (program and arguments only) through a fresh launcher process, with stdin,
/// stdout and stderr on `/dev/null`; its wall time (spawn to reap, inside the launcher), exit
/// code and own peak RSS.
pub fn run(cmd: &mut Command) -> std::io::Result<Run> {
    let exe = std::env::current_exe()?;
    let out = Command::new(exe)
        .env(LAUNCH_ENV, "1")
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<i64> = text
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    match (out.status.success(), fields.as_slice()) {
        (true, [wall, code, rss]) => Ok(Run {
            wall: Duration::from_nanos(u64::try_from(*wall).unwrap_or(0)),
            code: (*code >= 0).then(|| i32::try_from(*code).unwrap_or(-1)),
            max_rss: u64::try_from(*rss).unwrap_or(0),
        }),
        _ => Err(std::io::Error::other(format!(
            "the launcher failed for {cmd:?}: {}",
            text.trim()
        ))),
    }
}

/// The launcher's floor: peak RSS reported for `true`.
pub fn floor() -> std::io::Result<Run> {
    run(&mut Command::new("true"))
}

/// Runs `cmd` with stdin, stdout and stderr on `/dev/null` and reaps it with `wait4`.
fn run_direct(cmd: &mut Command) -> std::io::Result<Run> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let start = Instant::now();
    let child = cmd.spawn()?;
    let pid = c_int::try_from(child.id()).map_err(std::io::Error::other)?;
    let mut status: c_int = 0;
    let mut usage = Rusage {
        ru_utime: [0; 2],
        ru_stime: [0; 2],
        ru_maxrss: 0,
        rest: [0; 13],
    };
    // SAFETY: `pid` is our child, not yet reaped (std only reaps in wait/try_wait, which we
    // never call on it); status and usage are valid for writes.
    let r = loop {
        let r = unsafe { wait4(pid, &mut status, 0, &mut usage) };
        if r >= 0 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            break r;
        }
    };
    let wall = start.elapsed();
    drop(child);
    if r < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let code = (status & 0x7f == 0).then_some((status >> 8) & 0xff);
    Ok(Run {
        wall,
        code,
        // ru_maxrss is in KiB on Linux.
        max_rss: u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024,
    })
}

/// What `cmd` wrote to stderr (and stdout), for a failure message; runs it once more.
pub fn diagnose(cmd: &mut Command) -> String {
    match cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
    {
        Ok(out) => format!(
            "exit {:?}; stderr: {}; stdout: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).trim(),
            String::from_utf8_lossy(&out.stdout)
                .chars()
                .take(400)
                .collect::<String>()
                .trim()
        ),
        Err(e) => format!("cannot run: {e}"),
    }
}
