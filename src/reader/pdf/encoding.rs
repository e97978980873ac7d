//! The built-in encodings of simple fonts: the base encodings (Standard, WinAnsi) and the
//! glyph names that a font's /Differences gives its codes.

const WIN_80_9F: [u16; 32] = [
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
    0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
];

pub(super) fn base_char(base: &[u8], b: u8) -> Option<char> {
    match b {
        0x20..=0x7e => {
            if base == b"StandardEncoding" {
                match b {
                    0x27 => return Some('\u{2019}'),
                    0x60 => return Some('\u{2018}'),
                    _ => {}
                }
            }
            Some(b as char)
        }
        0x80..=0x9f if base == b"WinAnsiEncoding" => {
            char::from_u32(WIN_80_9F[(b - 0x80) as usize] as u32).filter(|c| *c != '\0')
        }
        0xa0..=0xff if base != b"StandardEncoding" => {
            if b == 0xa0 {
                Some(' ')
            } else {
                char::from_u32(b as u32)
            }
        }
        _ => None,
    }
}

/// A glyph name to its character: `uniXXXX`, `uXXXX`, the ASCII names, a few others.
pub fn glyph_name_char(n: &[u8]) -> Option<char> {
    let s = std::str::from_utf8(n).ok()?;
    let s = s.split('.').next().unwrap_or(s);
    if let Some(h) = s.strip_prefix("uni") {
        if h.len() >= 4 {
            return u32::from_str_radix(&h[..4], 16)
                .ok()
                .and_then(char::from_u32);
        }
    }
    if let Some(h) = s.strip_prefix('u') {
        if (4..=6).contains(&h.len()) && h.chars().all(|c| c.is_ascii_hexdigit()) {
            return u32::from_str_radix(h, 16).ok().and_then(char::from_u32);
        }
    }
    if s.len() == 1 && s.as_bytes()[0].is_ascii_alphabetic() {
        return s.chars().next();
    }
    let c = match s {
        "space" | "nbspace" => ' ',
        "exclam" => '!',
        "quotedbl" => '"',
        "numbersign" => '#',
        "dollar" => '$',
        "percent" => '%',
        "ampersand" => '&',
        "quotesingle" => '\'',
        "quoteright" => '\u{2019}',
        "quoteleft" => '\u{2018}',
        "quotedblleft" => '\u{201C}',
        "quotedblright" => '\u{201D}',
        "parenleft" => '(',
        "parenright" => ')',
        "asterisk" => '*',
        "plus" => '+',
        "comma" => ',',
        "hyphen" | "minus" => '-',
        "period" => '.',
        "slash" => '/',
        "zero" => '0',
        "one" => '1',
        "two" => '2',
        "three" => '3',
        "four" => '4',
        "five" => '5',
        "six" => '6',
        "seven" => '7',
        "eight" => '8',
        "nine" => '9',
        "colon" => ':',
        "semicolon" => ';',
        "less" => '<',
        "equal" => '=',
        "greater" => '>',
        "question" => '?',
        "at" => '@',
        "bracketleft" => '[',
        "backslash" => '\\',
        "bracketright" => ']',
        "asciicircum" => '^',
        "underscore" => '_',
        "grave" => '`',
        "braceleft" => '{',
        "bar" => '|',
        "braceright" => '}',
        "asciitilde" => '~',
        "endash" => '\u{2013}',
        "emdash" => '\u{2014}',
        "bullet" => '\u{2022}',
        "periodcentered" => '\u{00B7}',
        "ellipsis" => '\u{2026}',
        "degree" => '\u{00B0}',
        "multiply" => '\u{00D7}',
        "divide" => '\u{00F7}',
        "yen" => '\u{00A5}',
        "perthousand" => '\u{2030}',
        _ => return None,
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_name_char(b"uni4E2D"), Some('中'));
        assert_eq!(glyph_name_char(b"one"), Some('1'));
        assert_eq!(glyph_name_char(b"period"), Some('.'));
        assert_eq!(glyph_name_char(b"u1F600"), Some('😀'));
        assert_eq!(glyph_name_char(b"g123"), None);
    }

    #[test]
    fn win_ansi() {
        assert_eq!(base_char(b"WinAnsiEncoding", b'7'), Some('7'));
        assert_eq!(base_char(b"WinAnsiEncoding", 0x96), Some('–'));
    }
}
