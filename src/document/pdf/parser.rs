//! The object parser (ISO 32000-1 §7.3): direct objects, indirect objects `N G obj … endobj`
//! and streams with a direct or indirect `/Length`. Bounded by
//! [`crate::Limits::max_pdf_depth`] and [`crate::Limits::max_pdf_object_size`].

use super::error::{PdfError, Result};
use super::lexer::{Lexer, Tok, Token};
use super::object::{Dict, ObjRef, Object, Stream};
use super::source::Input;

/// The bounds the parser obeys.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ParseLimits {
    pub(crate) max_depth: usize,
    pub(crate) max_size: usize,
}

/// An indirect object as read from the file.
#[derive(Debug)]
pub(crate) struct Indirect {
    pub(crate) num: u32,
    pub(crate) gen: u16,
    pub(crate) obj: Object,
    /// Just after `endobj`.
    pub(crate) end: u64,
}

pub(crate) fn obj_ref(num: i64, gen: i64, at: u64) -> Result<ObjRef> {
    match (u32::try_from(num), u16::try_from(gen)) {
        (Ok(num), Ok(gen)) => Ok(ObjRef { num, gen }),
        _ => Err(PdfError::syntax(
            at,
            format!("object number {num} {gen} out of range"),
        )),
    }
}

fn expect_token<I: Input>(lex: &mut Lexer<'_, I>, what: &str) -> Result<Token> {
    let at = lex.pos();
    lex.next()?
        .ok_or_else(|| PdfError::syntax(at, format!("end of data where {what} was expected")))
}

/// Parses one direct object (or reference) at the lexer's position.
pub(crate) fn parse_object<I: Input>(lex: &mut Lexer<'_, I>, lim: ParseLimits) -> Result<Object> {
    let start = lex.pos();
    parse_at_depth(lex, lim, 0, start)
}

fn parse_at_depth<I: Input>(
    lex: &mut Lexer<'_, I>,
    lim: ParseLimits,
    depth: usize,
    start: u64,
) -> Result<Object> {
    let t = expect_token(lex, "an object")?;
    let t = check_extent(t, start, lim)?;
    match t.tok {
        Tok::Int(n) => {
            if let Some(r) = reference_after(lex, n, t.start)? {
                return Ok(Object::Ref(r));
            }
            Ok(Object::Int(n))
        }
        Tok::Real(r) => Ok(Object::Real(r)),
        Tok::Name(n) => Ok(Object::Name(n)),
        Tok::Str(s) => Ok(Object::String(s)),
        Tok::ArrOpen => {
            let depth = deeper(depth, lim, t.start)?;
            let mut items = Vec::new();
            loop {
                match lex.peek(0)? {
                    Some(Token {
                        tok: Tok::ArrClose, ..
                    }) => {
                        let close = expect_token(lex, "]")?;
                        check_extent(close, start, lim)?;
                        return Ok(Object::Array(items));
                    }
                    Some(_) => items.push(parse_at_depth(lex, lim, depth, start)?),
                    None => return Err(PdfError::syntax(t.start, "unterminated array")),
                }
            }
        }
        Tok::DictOpen => {
            let depth = deeper(depth, lim, t.start)?;
            Ok(Object::Dict(parse_dict_body(
                lex, lim, depth, start, t.start,
            )?))
        }
        Tok::Keyword(k) => match k.as_slice() {
            b"true" => Ok(Object::Bool(true)),
            b"false" => Ok(Object::Bool(false)),
            b"null" => Ok(Object::Null),
            other => Err(PdfError::syntax(
                t.start,
                format!(
                    "keyword '{}' where an object was expected",
                    String::from_utf8_lossy(other)
                ),
            )),
        },
        Tok::ArrClose | Tok::DictClose => Err(PdfError::syntax(
            t.start,
            "closing delimiter where an object was expected",
        )),
    }
}

fn deeper(depth: usize, lim: ParseLimits, at: u64) -> Result<usize> {
    let d = depth + 1;
    if d > lim.max_depth {
        return Err(PdfError::limit(
            "max_pdf_depth",
            lim.max_depth as u64,
            format!("the nesting of arrays and dictionaries at byte {at}"),
        ));
    }
    Ok(d)
}

fn check_extent(t: Token, start: u64, lim: ParseLimits) -> Result<Token> {
    if t.end.saturating_sub(start) > lim.max_size as u64 {
        return Err(PdfError::limit(
            "max_pdf_object_size",
            lim.max_size as u64,
            format!("the object at byte {start}"),
        ));
    }
    Ok(t)
}

/// After an integer: `G R` makes it a reference.
fn reference_after<I: Input>(lex: &mut Lexer<'_, I>, num: i64, at: u64) -> Result<Option<ObjRef>> {
    let gen = match lex.peek(0)? {
        Some(Token {
            tok: Tok::Int(g), ..
        }) => *g,
        _ => return Ok(None),
    };
    if !matches!(lex.peek(1)?, Some(t) if t.is_keyword(b"R")) {
        return Ok(None);
    }
    lex.next()?;
    lex.next()?;
    obj_ref(num, gen, at).map(Some)
}

fn parse_dict_body<I: Input>(
    lex: &mut Lexer<'_, I>,
    lim: ParseLimits,
    depth: usize,
    start: u64,
    open: u64,
) -> Result<Dict> {
    let mut entries: Vec<(Vec<u8>, Object)> = Vec::new();
    loop {
        let t = expect_token(lex, "a dictionary key or >>")?;
        let t = check_extent(t, start, lim)?;
        match t.tok {
            Tok::DictClose => return Ok(Dict(entries)),
            Tok::Name(key) => {
                if entries.iter().any(|(k, _)| *k == key) {
                    return Err(PdfError::syntax(
                        t.start,
                        format!(
                            "duplicate key {} in the dictionary opened at byte {open}",
                            super::object::name_str(&key)
                        ),
                    ));
                }
                let value = parse_at_depth(lex, lim, depth, start)?;
                entries.push((key, value));
            }
            _ => {
                return Err(PdfError::syntax(
                    t.start,
                    format!("a dictionary key must be a name (dictionary at byte {open})"),
                ))
            }
        }
    }
}

/// Parses `N G obj` at the lexer's position and returns the object's number and generation.
pub(crate) fn parse_object_header<I: Input>(lex: &mut Lexer<'_, I>) -> Result<ObjRef> {
    let at = lex.pos();
    let a = expect_token(lex, "an object number")?;
    let b = expect_token(lex, "a generation number")?;
    let c = expect_token(lex, "'obj'")?;
    match (a.tok, b.tok) {
        (Tok::Int(num), Tok::Int(gen)) if c.is_keyword(b"obj") => obj_ref(num, gen, at),
        _ => Err(PdfError::syntax(at, "expected an object header 'N G obj'")),
    }
}

/// Parses an indirect object at the lexer's position. `length` resolves an indirect
/// `/Length`; `file_len` bounds stream data.
pub(crate) fn parse_indirect<I: Input>(
    lex: &mut Lexer<'_, I>,
    lim: ParseLimits,
    file_len: u64,
    length: &mut dyn FnMut(ObjRef) -> Result<i64>,
) -> Result<Indirect> {
    let r = parse_object_header(lex)?;
    let obj = parse_object(lex, lim)?;
    let t = expect_token(lex, "'endobj' or 'stream'")?;
    if t.is_keyword(b"endobj") {
        return Ok(Indirect {
            num: r.num,
            gen: r.gen,
            obj,
            end: t.end,
        });
    }
    if !t.is_keyword(b"stream") {
        return Err(PdfError::syntax(t.start, "expected 'endobj' or 'stream'"));
    }
    let Object::Dict(dict) = obj else {
        return Err(PdfError::syntax(
            t.start,
            "'stream' after something other than a dictionary",
        ));
    };
    let data_offset = stream_data_start(lex, t.end)?;
    let len = match dict.get(b"Length") {
        Some(Object::Int(n)) => *n,
        Some(Object::Ref(lr)) => length(*lr)?,
        _ => {
            return Err(PdfError::syntax(
                t.start,
                "stream without an integer /Length",
            ))
        }
    };
    let len = u64::try_from(len)
        .map_err(|_| PdfError::syntax(t.start, format!("negative stream /Length {len}")))?;
    let data_end = data_offset
        .checked_add(len)
        .filter(|&e| e <= file_len || !lex.is_file())
        .ok_or_else(|| {
            PdfError::syntax(
                data_offset,
                format!("stream /Length {len} runs past the end of the file"),
            )
        })?;
    lex.seek(data_end);
    let es = expect_token(lex, "'endstream'")
        .map_err(|_| PdfError::syntax(data_end, "no 'endstream' where /Length ends the data"))?;
    if !es.is_keyword(b"endstream") {
        return Err(PdfError::syntax(
            data_end,
            format!("no 'endstream' where /Length {len} ends the data"),
        ));
    }
    let eo = expect_token(lex, "'endobj'")?;
    if !eo.is_keyword(b"endobj") {
        return Err(PdfError::syntax(
            eo.start,
            "expected 'endobj' after 'endstream'",
        ));
    }
    Ok(Indirect {
        num: r.num,
        gen: r.gen,
        obj: Object::Stream(Stream {
            dict,
            data_offset,
            length: len,
        }),
        end: eo.end,
    })
}

/// After the `stream` keyword: CRLF or LF (ISO 32000-1 §7.3.8.1), then the data.
fn stream_data_start<I: Input>(lex: &mut Lexer<'_, I>, after_kw: u64) -> Result<u64> {
    match lex.byte_at(after_kw)? {
        Some(b'\n') => Ok(after_kw + 1),
        Some(b'\r') if lex.byte_at(after_kw + 1)? == Some(b'\n') => Ok(after_kw + 2),
        _ => Err(PdfError::syntax(
            after_kw,
            "'stream' must be followed by CRLF or LF",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::pdf::source::{Budget, FileInput, SliceInput};

    const LIM: ParseLimits = ParseLimits {
        max_depth: 8,
        max_size: 1 << 16,
    };

    fn parse(s: &[u8]) -> Result<Object> {
        let b = Budget::new(1 << 20);
        let mut l = Lexer::new(SliceInput(s), 0, &b, 1 << 16);
        parse_object(&mut l, LIM)
    }

    fn ind(s: &[u8]) -> Result<Indirect> {
        let b = Budget::new(1 << 20);
        let data = s.to_vec();
        let mut l = Lexer::new(FileInput::new(&data), 0, &b, 1 << 16);
        parse_indirect(&mut l, LIM, data.len() as u64, &mut |_| Ok(3))
    }

    #[test]
    fn all_object_types() {
        let o =
            parse(b"<< /A 1 /B 2 0 R /C [true false null 1.5 (s) <41> /N] /D << >> >>").unwrap();
        let d = o.as_dict().unwrap();
        assert_eq!(d.get(b"A"), Some(&Object::Int(1)));
        assert_eq!(d.get(b"B"), Some(&Object::Ref(ObjRef { num: 2, gen: 0 })));
        let c = d.get(b"C").unwrap().as_array().unwrap();
        assert_eq!(c.len(), 7);
        assert_eq!(c[0], Object::Bool(true));
        assert_eq!(c[2], Object::Null);
        assert_eq!(c[5].as_string().unwrap().bytes, b"A");
        assert_eq!(d.get(b"D"), Some(&Object::Dict(Dict::default())));
        // Two integers not followed by R stay integers.
        assert_eq!(
            parse(b"[1 2 3 R 4]").unwrap(),
            Object::Array(vec![
                Object::Int(1),
                Object::Ref(ObjRef { num: 2, gen: 3 }),
                Object::Int(4)
            ])
        );
    }

    #[test]
    fn duplicate_keys_and_bad_keys_are_refused() {
        assert!(parse(b"<< /A 1 /A 2 >>")
            .unwrap_err()
            .to_string()
            .contains("duplicate key /A"));
        assert!(parse(b"<< 1 2 >>").is_err());
        assert!(parse(b"[1 2").is_err());
        assert!(parse(b"endobj").is_err());
        assert!(parse(b"[-1 0 R]").is_err());
    }

    #[test]
    fn depth_is_bounded() {
        let deep = [b"[".repeat(9), b"]".repeat(9)].concat();
        assert_eq!(
            parse(&deep).unwrap_err().limit_name(),
            Some("max_pdf_depth")
        );
        let ok = [b"[".repeat(8), b"]".repeat(8)].concat();
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn indirect_objects_and_streams() {
        let i = ind(b"7 0 obj << /Length 5 >> stream\r\nhello\nendstream\nendobj").unwrap();
        assert_eq!((i.num, i.gen), (7, 0));
        match i.obj {
            Object::Stream(s) => assert_eq!((s.data_offset, s.length), (32, 5)),
            _ => panic!(),
        }
        // Indirect /Length goes through the callback (3 here).
        let i = ind(b"1 0 obj << /Length 9 0 R >> stream\nabc\nendstream endobj").unwrap();
        assert!(matches!(i.obj, Object::Stream(Stream { length: 3, .. })));
        assert!(ind(b"1 0 obj << /Length 5 >> stream\nabc\nendstream endobj").is_err());
        assert!(ind(b"1 0 obj << /Length 4 >> stream\nabc\nendstream endobj").is_ok());
        assert!(ind(b"1 0 obj << /Length 3 >> stream abc endstream endobj").is_err());
        assert!(ind(b"1 0 obj << /Length 300 >> stream\nabc\nendstream endobj").is_err());
        assert!(ind(b"1 0 obj 5 ").is_err());
        assert!(ind(b"1 0 ob 5 endobj").is_err());
        let i = ind(b"3 1 obj 4 0 R endobj").unwrap();
        assert_eq!(i.obj, Object::Ref(ObjRef { num: 4, gen: 0 }));
    }
}
