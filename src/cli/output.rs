//! Where the CLI's words go: `-q/--quiet` (nothing on standard output; the exit code says
//! it), `--color` (verdict lines only; `auto` honours `NO_COLOR`, `TERM=dumb` and whether
//! standard output is a terminal), and errors — one `sigbridge-error/1` JSON object on
//! standard output with `--format json`, one line on standard error otherwise.

use sigbridge::report::error::{ErrorKind, ErrorReport};
use sigbridge::report::summary::Standing;
use std::io::{IsTerminal, Write};
use std::sync::OnceLock;

/// `--color`.
#[derive(Clone, Copy, Debug, Default, clap::ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    /// Colour verdict lines when standard output is a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    /// Always colour verdict lines.
    Always,
    /// Never colour.
    Never,
}

struct Settings {
    quiet: bool,
    color: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Sets the output settings for this run (the first call wins).
pub fn init(quiet: bool, color: ColorChoice) {
    let color = match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
                && std::io::stdout().is_terminal()
        }
    };
    let _ = SETTINGS.set(Settings { quiet, color });
}

/// True under `--quiet`.
pub fn quiet() -> bool {
    SETTINGS.get().is_some_and(|s| s.quiet)
}

fn color() -> bool {
    SETTINGS.get().is_some_and(|s| s.color)
}

/// Writes a line on standard output (nothing under `--quiet`; a closed pipe is ignored).
pub fn line(text: &str) {
    if quiet() {
        return;
    }
    let _ = writeln!(std::io::stdout(), "{text}");
}

/// `text` coloured for its standing when colours are on (green VALID, red NOT VALID,
/// yellow NOT CONFIRMED).
pub fn paint(text: &str, standing: Standing) -> String {
    if !color() {
        return text.to_string();
    }
    let code = match standing {
        Standing::Valid => "32",
        Standing::NotValid => "31",
        Standing::NotConfirmed => "33",
    };
    format!("\u{1b}[1;{code}m{text}\u{1b}[0m")
}

/// The exit code of an error kind: 2 for usage errors, 4 for everything else.
pub fn exit_code(kind: ErrorKind) -> i32 {
    match kind {
        ErrorKind::Usage => super::EXIT_USAGE,
        _ => super::EXIT_INPUT,
    }
}

/// Reports an error for `command` (`verify`, `trust add` …) and returns its exit code.
/// `message` is complete (it names the file when there is one); with `json` it goes out as
/// one `sigbridge-error/1` object on standard output, otherwise as
/// `sigbridge COMMAND: message` on standard error.
pub fn fail(command: &str, json: bool, kind: ErrorKind, file: Option<&str>, message: &str) -> i32 {
    if json {
        if !quiet() {
            let report = ErrorReport::new(kind, file, message);
            let text = serde_json::to_string_pretty(&report).unwrap_or_else(|_| {
                format!("{{\"format\":\"sigbridge-error/1\",\"error\":{{\"kind\":\"{}\",\"file\":null,\"message\":\"(unprintable)\"}}}}", kind.as_str())
            });
            let _ = writeln!(std::io::stdout(), "{text}");
        }
    } else {
        let _ = writeln!(std::io::stderr(), "sigbridge {command}: {message}");
    }
    exit_code(kind)
}

/// `message` prefixed with `file: ` unless it already starts with it.
pub fn about(file: &str, message: &str) -> String {
    if message.starts_with(file) {
        message.to_string()
    } else {
        format!("{file}: {message}")
    }
}
