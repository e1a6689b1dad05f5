//! PDF text strings (ISO 32000-2 §7.9.2.2): UTF-16BE or UTF-8 with a byte-order mark,
//! otherwise PDFDocEncoding.

/// PDFDocEncoding's differences from ISO Latin-1 (0x18–0x1F and 0x80–0xA0).
fn pdfdoc(b: u8) -> char {
    const LOW: [char; 8] = [
        '\u{02D8}', '\u{02C7}', '\u{02C6}', '\u{02D9}', '\u{02DD}', '\u{02DB}', '\u{02DA}',
        '\u{02DC}',
    ];
    const HIGH: [char; 33] = [
        '\u{2022}', '\u{2020}', '\u{2021}', '\u{2026}', '\u{2014}', '\u{2013}', '\u{0192}',
        '\u{2044}', '\u{2039}', '\u{203A}', '\u{2212}', '\u{2030}', '\u{201E}', '\u{201C}',
        '\u{201D}', '\u{2018}', '\u{2019}', '\u{201A}', '\u{2122}', '\u{FB01}', '\u{FB02}',
        '\u{0141}', '\u{0152}', '\u{0160}', '\u{0178}', '\u{017D}', '\u{0131}', '\u{0142}',
        '\u{0153}', '\u{0161}', '\u{017E}', '\u{FFFD}', '\u{20AC}',
    ];
    match b {
        0x18..=0x1F => LOW
            .get(usize::from(b - 0x18))
            .copied()
            .unwrap_or('\u{FFFD}'),
        0x80..=0xA0 => HIGH
            .get(usize::from(b - 0x80))
            .copied()
            .unwrap_or('\u{FFFD}'),
        _ => char::from(b),
    }
}

/// Decodes a text string for display.
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| {
                u16::from_be_bytes([
                    c.first().copied().unwrap_or(0),
                    c.get(1).copied().unwrap_or(0),
                ])
            })
            .collect();
        return char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{FFFD}'))
            .collect();
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| pdfdoc(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::decode_text;

    #[test]
    fn the_three_encodings() {
        assert_eq!(decode_text(b"Sig1"), "Sig1");
        assert_eq!(decode_text(&[0xFE, 0xFF, 0x4E, 0x2D, 0x65, 0x87]), "中文");
        assert_eq!(decode_text(&[0xEF, 0xBB, 0xBF, 0xE9, 0xA6, 0x99]), "香");
        assert_eq!(decode_text(&[0x80, 0xA0, 0xE9, 0x18]), "•€é˘");
    }
}
