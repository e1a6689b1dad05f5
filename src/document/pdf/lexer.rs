//! The tokenizer (ISO 32000-1 §7.2–7.3): whitespace, comments, numbers, names, strings,
//! delimiters and keywords, each token with its byte span. Bounded by
//! [`crate::Limits::max_pdf_object_size`] and the work budget.

use super::error::{PdfError, Result};
use super::object::{PdfString, Span};
use super::source::{Budget, Input};
use std::collections::VecDeque;

/// One token.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    Int(i64),
    Real(f64),
    Name(Vec<u8>),
    Str(PdfString),
    ArrOpen,
    ArrClose,
    DictOpen,
    DictClose,
    Keyword(Vec<u8>),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) start: u64,
    pub(crate) end: u64,
}

impl Token {
    pub(crate) fn is_keyword(&self, k: &[u8]) -> bool {
        matches!(&self.tok, Tok::Keyword(w) if w == k)
    }
}

pub(crate) fn is_whitespace(b: u8) -> bool {
    matches!(b, 0 | 9 | 10 | 12 | 13 | 32)
}

pub(crate) fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(b: u8) -> bool {
    !is_whitespace(b) && !is_delimiter(b)
}

/// Per byte: its hex digit value (0–15), [`HEX_SPACE`] for PDF whitespace, [`HEX_OTHER`]
/// otherwise (one table lookup instead of branches on the digit ranges).
// Evaluated at compile time (i < 256 by the loop bound), never on input.
#[allow(clippy::indexing_slicing)]
const HEX_CLASS: [u8; 256] = {
    let mut t = [HEX_OTHER; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            0 | 9 | 10 | 12 | 13 | 32 => HEX_SPACE,
            _ => HEX_OTHER,
        };
        i += 1;
    }
    t
};
const HEX_SPACE: u8 = 0xfe;

#[inline]
fn hex_class(b: u8) -> u8 {
    HEX_CLASS.get(usize::from(b)).copied().unwrap_or(HEX_OTHER)
}
const HEX_OTHER: u8 = 0xff;

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

const MAX_KEYWORD: usize = 64;

/// A token of `n` bytes so far starting at `start`: within `max_size`
/// (`Limits::max_pdf_object_size`), one unit of `budget` per KiB.
fn check_size(max_size: usize, budget: &Budget, n: usize, start: u64) -> Result<()> {
    if n > max_size {
        return Err(PdfError::limit(
            "max_pdf_object_size",
            max_size as u64,
            format!("the token at byte {start}"),
        ));
    }
    if n % 1024 == 1023 {
        budget.spend(1)?;
    }
    Ok(())
}

pub(crate) struct Lexer<'b, I: Input> {
    input: I,
    pos: u64,
    budget: &'b Budget,
    max_size: usize,
    peeked: VecDeque<Token>,
}

impl<'b, I: Input> Lexer<'b, I> {
    pub(crate) fn new(input: I, pos: u64, budget: &'b Budget, max_size: usize) -> Self {
        Lexer {
            input,
            pos,
            budget,
            max_size,
            peeked: VecDeque::new(),
        }
    }

    /// The position after the last consumed token (before any peeked one).
    pub(crate) fn pos(&self) -> u64 {
        self.peeked.front().map_or(self.pos, |t| t.start)
    }

    /// Moves to `pos`, dropping peeked tokens.
    pub(crate) fn seek(&mut self, pos: u64) {
        self.peeked.clear();
        self.pos = pos;
    }

    pub(crate) fn is_file(&self) -> bool {
        self.input.is_file()
    }

    /// The raw byte at `pos` (for stream-keyword end-of-line and `%%EOF` checks).
    pub(crate) fn byte_at(&mut self, pos: u64) -> Result<Option<u8>> {
        self.input.byte(pos)
    }

    pub(crate) fn next(&mut self) -> Result<Option<Token>> {
        if let Some(t) = self.peeked.pop_front() {
            return Ok(Some(t));
        }
        self.lex()
    }

    /// The `n`th token ahead (0 = the next one) without consuming it.
    pub(crate) fn peek(&mut self, n: usize) -> Result<Option<&Token>> {
        while self.peeked.len() <= n {
            match self.lex()? {
                Some(t) => self.peeked.push_back(t),
                None => return Ok(None),
            }
        }
        Ok(self.peeked.get(n))
    }

    /// Skips whitespace only (not comments); returns the new position.
    pub(crate) fn skip_whitespace(&mut self) -> Result<u64> {
        self.peeked.clear();
        while let Some(b) = self.input.byte(self.pos)? {
            if !is_whitespace(b) {
                break;
            }
            self.pos += 1;
        }
        Ok(self.pos)
    }

    fn skip_ws_and_comments(&mut self) -> Result<()> {
        loop {
            match self.input.byte(self.pos)? {
                Some(b) if is_whitespace(b) => self.pos += 1,
                Some(b'%') => {
                    while let Some(b) = self.input.byte(self.pos)? {
                        if b == b'\r' || b == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn lex(&mut self) -> Result<Option<Token>> {
        self.skip_ws_and_comments()?;
        let start = self.pos;
        let Some(b) = self.input.byte(start)? else {
            return Ok(None);
        };
        self.budget.spend(1)?;
        let tok = match b {
            b'[' => {
                self.pos += 1;
                Tok::ArrOpen
            }
            b']' => {
                self.pos += 1;
                Tok::ArrClose
            }
            b'<' if self.input.byte(start + 1)? == Some(b'<') => {
                self.pos += 2;
                Tok::DictOpen
            }
            b'>' if self.input.byte(start + 1)? == Some(b'>') => {
                self.pos += 2;
                Tok::DictClose
            }
            b'<' => Tok::Str(self.hex_string()?),
            b'(' => Tok::Str(self.literal_string()?),
            b'/' => Tok::Name(self.name()?),
            b')' | b'>' | b'{' | b'}' => {
                return Err(PdfError::syntax(
                    start,
                    format!("unexpected '{}'", b as char),
                ))
            }
            _ => self.word()?,
        };
        Ok(Some(Token {
            tok,
            start,
            end: self.pos,
        }))
    }

    fn check_size(&self, n: usize, start: u64) -> Result<()> {
        check_size(self.max_size, self.budget, n, start)
    }

    fn hex_string(&mut self) -> Result<PdfString> {
        let start = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        // A window of buffered bytes at a time (the same bytes, checks and budget as one
        // byte at a time, without a positioned read per byte).
        loop {
            let (max_size, budget) = (self.max_size, self.budget);
            let window = self.input.window(self.pos)?;
            if window.is_empty() {
                return Err(PdfError::syntax(start, "unterminated hex string"));
            }
            let mut closed = false;
            out.reserve((window.len() / 2).min(max_size.saturating_add(1)));
            let mut rest = window;
            loop {
                // Digit pairs, the common case, two bytes at a time.
                if high.is_none() {
                    let mut taken = 0;
                    for pair in rest.chunks_exact(2) {
                        let (h, l) = match pair {
                            [a, b] => (hex_class(*a), hex_class(*b)),
                            _ => break,
                        };
                        if (h | l) >= 16 {
                            break;
                        }
                        out.push(h << 4 | l);
                        check_size(max_size, budget, out.len(), start)?;
                        taken += 2;
                    }
                    rest = rest.get(taken..).unwrap_or_default();
                }
                let Some((&b, after)) = rest.split_first() else {
                    break;
                };
                rest = after;
                let v = hex_class(b);
                if v >= 16 {
                    if b == b'>' {
                        closed = true;
                        break;
                    }
                    if v == HEX_SPACE {
                        continue;
                    }
                    let at = window.len() - rest.len() - 1;
                    return Err(PdfError::syntax(
                        self.pos + at as u64,
                        format!("byte 0x{b:02x} in a hex string"),
                    ));
                }
                match high.take() {
                    Some(h) => {
                        out.push(h << 4 | v);
                        check_size(max_size, budget, out.len(), start)?;
                    }
                    None => high = Some(v),
                }
            }
            let used = (window.len() - rest.len()) as u64;
            self.pos += used;
            if closed {
                break;
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        Ok(PdfString {
            bytes: out,
            hex: true,
            span: self.span(start),
        })
    }

    fn span(&self, start: u64) -> Option<Span> {
        self.input.is_file().then_some(Span {
            start,
            end: self.pos,
        })
    }

    fn literal_string(&mut self) -> Result<PdfString> {
        let start = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        let mut depth = 1usize;
        loop {
            let Some(b) = self.input.byte(self.pos)? else {
                return Err(PdfError::syntax(start, "unterminated literal string"));
            };
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(b);
                }
                b'\\' => self.escape(&mut out)?,
                b'\r' => {
                    // An end of line inside a string is read as a line feed.
                    if self.input.byte(self.pos)? == Some(b'\n') {
                        self.pos += 1;
                    }
                    out.push(b'\n');
                }
                _ => out.push(b),
            }
            self.check_size(out.len(), start)?;
        }
        Ok(PdfString {
            bytes: out,
            hex: false,
            span: self.span(start),
        })
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<()> {
        let Some(c) = self.input.byte(self.pos)? else {
            return Ok(());
        };
        self.pos += 1;
        match c {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'0'..=b'7' => {
                let mut v = u32::from(c - b'0');
                for _ in 0..2 {
                    match self.input.byte(self.pos)? {
                        Some(d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            self.pos += 1;
                        }
                        _ => break,
                    }
                }
                out.push((v & 0xff) as u8);
            }
            b'\r' => {
                if self.input.byte(self.pos)? == Some(b'\n') {
                    self.pos += 1;
                }
            }
            b'\n' => {}
            other => out.push(other),
        }
        Ok(())
    }

    fn name(&mut self) -> Result<Vec<u8>> {
        let start = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        while let Some(b) = self.input.byte(self.pos)? {
            if !is_regular(b) {
                break;
            }
            self.pos += 1;
            if b == b'#' {
                let h = self.input.byte(self.pos)?.and_then(hex_val);
                let l = self.input.byte(self.pos + 1)?.and_then(hex_val);
                if let (Some(h), Some(l)) = (h, l) {
                    out.push(h << 4 | l);
                    self.pos += 2;
                    continue;
                }
            }
            out.push(b);
            self.check_size(out.len(), start)?;
        }
        Ok(out)
    }

    fn word(&mut self) -> Result<Tok> {
        let start = self.pos;
        let mut buf = [0u8; MAX_KEYWORD];
        let mut n = 0usize;
        while let Some(b) = self.input.byte(self.pos)? {
            if !is_regular(b) {
                break;
            }
            let Some(slot) = buf.get_mut(n) else {
                return Err(PdfError::syntax(start, "overlong token"));
            };
            *slot = b;
            n += 1;
            self.pos += 1;
        }
        let w = buf.get(..n).unwrap_or_default();
        if let Some(t) = int_fast(w) {
            return Ok(t);
        }
        if let Some(t) = number(w) {
            return t.map_err(|what| PdfError::syntax(start, what));
        }
        if w.iter().all(u8::is_ascii_alphabetic) {
            return Ok(Tok::Keyword(w.to_vec()));
        }
        Err(PdfError::syntax(
            start,
            format!("unexpected token {:?}", String::from_utf8_lossy(w)),
        ))
    }
}

/// A plain unsigned integer of up to 18 digits (the common case), without allocating.
fn int_fast(w: &[u8]) -> Option<Tok> {
    if w.is_empty() || w.len() > 18 || !w.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(Tok::Int(
        w.iter().fold(0i64, |a, &d| a * 10 + i64::from(d - b'0')),
    ))
}

/// Parses a number token: `None` if it does not look like one, `Some(Err)` if it does but
/// is out of range.
fn number(w: &[u8]) -> Option<std::result::Result<Tok, String>> {
    let body = match w.first() {
        Some(b'+' | b'-') => w.get(1..)?,
        _ => w,
    };
    if body.is_empty() {
        return None;
    }
    let dots = body.iter().filter(|&&b| b == b'.').count();
    if dots > 1 || !body.iter().all(|&b| b.is_ascii_digit() || b == b'.') || body == b"." {
        return None;
    }
    let text = std::str::from_utf8(w).ok()?;
    if dots == 0 {
        return Some(
            text.parse::<i64>()
                .map(Tok::Int)
                .map_err(|_| format!("integer {text} out of range")),
        );
    }
    // Rust's float syntax accepts "1." and ".5" once a leading digit is supplied.
    let fixed = text.replace("-.", "-0.").replace("+.", "0.");
    let fixed = if fixed.starts_with('.') {
        format!("0{fixed}")
    } else {
        fixed
    };
    Some(
        fixed
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Tok::Real)
            .ok_or_else(|| format!("real {text} unreadable")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::pdf::source::SliceInput;

    fn toks(s: &[u8]) -> Vec<Tok> {
        let b = Budget::new(1 << 20);
        let mut l = Lexer::new(SliceInput(s), 0, &b, 1 << 20);
        let mut v = Vec::new();
        while let Some(t) = l.next().unwrap() {
            v.push(t.tok);
        }
        v
    }

    fn err(s: &[u8]) -> PdfError {
        let b = Budget::new(1 << 20);
        let mut l = Lexer::new(SliceInput(s), 0, &b, 16);
        loop {
            match l.next() {
                Ok(Some(_)) => {}
                Ok(None) => panic!("no error in {s:?}"),
                Err(e) => return e,
            }
        }
    }

    fn string(bytes: &[u8], hex: bool) -> Tok {
        Tok::Str(PdfString {
            bytes: bytes.to_vec(),
            hex,
            span: None,
        })
    }

    #[test]
    fn numbers_names_and_keywords() {
        assert_eq!(
            toks(b"12 -3 +4 1.5 -.25 3. /Na#6De /A#2 true R"),
            vec![
                Tok::Int(12),
                Tok::Int(-3),
                Tok::Int(4),
                Tok::Real(1.5),
                Tok::Real(-0.25),
                Tok::Real(3.0),
                Tok::Name(b"Name".to_vec()),
                Tok::Name(b"A#2".to_vec()),
                Tok::Keyword(b"true".to_vec()),
                Tok::Keyword(b"R".to_vec()),
            ]
        );
    }

    #[test]
    fn strings_with_escapes_nesting_and_hex() {
        assert_eq!(
            toks(b"(a\\(b\\)c (nested) \\101\\n\\\r\nx\r\ny) <48 65 6c6C6f7> <>"),
            vec![
                string(b"a(b)c (nested) A\nx\ny", false),
                string(b"Hello\x70", true),
                string(b"", true),
            ]
        );
    }

    #[test]
    fn delimiters_and_comments() {
        assert_eq!(
            toks(b"<< /K [1 2] >> % comment ]]\n[]"),
            vec![
                Tok::DictOpen,
                Tok::Name(b"K".to_vec()),
                Tok::ArrOpen,
                Tok::Int(1),
                Tok::Int(2),
                Tok::ArrClose,
                Tok::DictClose,
                Tok::ArrOpen,
                Tok::ArrClose,
            ]
        );
    }

    #[test]
    fn malformed_tokens_are_errors() {
        assert!(matches!(err(b"(abc"), PdfError::Syntax { .. }));
        assert!(matches!(err(b"<4g>"), PdfError::Syntax { .. }));
        assert!(matches!(
            err(b"99999999999999999999"),
            PdfError::Syntax { .. }
        ));
        assert!(matches!(err(b"1.2.3"), PdfError::Syntax { .. }));
        assert!(matches!(err(b")"), PdfError::Syntax { .. }));
        let e = err(b"(aaaaaaaaaaaaaaaaaaaaaaaa)");
        assert_eq!(e.limit_name(), Some("max_pdf_object_size"));
    }

    #[test]
    fn spans_are_file_offsets() {
        let b = Budget::new(100);
        let data = b"  <41>".to_vec();
        let mut l = Lexer::new(
            crate::document::pdf::source::FileInput::new(&data),
            0,
            &b,
            100,
        );
        let t = l.next().unwrap().unwrap();
        match t.tok {
            Tok::Str(s) => assert_eq!(s.span, Some(Span { start: 2, end: 6 })),
            _ => panic!(),
        }
    }
}
