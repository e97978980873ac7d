//! ToUnicode CMap parsing: codespace ranges, `bfchar` and `bfrange` (hex and array forms),
//! several blocks, multi-character targets.

use std::collections::HashMap;

/// A code → text map with the code lengths its codespace ranges declare.
#[derive(Debug, Default, Clone)]
pub struct ToUnicode {
    /// (byte length, low, high) of each codespace range.
    pub codespace: Vec<(usize, u32, u32)>,
    pub map: HashMap<(u8, u32), String>,
}

/// Bound on the entries one CMap may create: a hostile range must not allocate without end.
const MAX_ENTRIES: usize = 200_000;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Hex(Vec<u8>),
    Num(i64),
    Word(Vec<u8>),
    Open,
    Close,
}

fn tokenize(data: &[u8]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        match c {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if data.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                i += 1;
                let mut nib = Vec::new();
                while i < data.len() && data[i] != b'>' {
                    let d = data[i];
                    let v = match d {
                        b'0'..=b'9' => Some(d - b'0'),
                        b'a'..=b'f' => Some(d - b'a' + 10),
                        b'A'..=b'F' => Some(d - b'A' + 10),
                        _ => None,
                    };
                    if let Some(v) = v {
                        nib.push(v);
                    }
                    i += 1;
                }
                i += 1;
                if nib.len() % 2 == 1 {
                    nib.push(0);
                }
                out.push(Tok::Hex(nib.chunks(2).map(|p| p[0] << 4 | p[1]).collect()));
            }
            b'[' => {
                out.push(Tok::Open);
                i += 1;
            }
            b']' => {
                out.push(Tok::Close);
                i += 1;
            }
            b'(' => {
                // Literal strings appear only in header entries we ignore; skip balanced.
                let mut depth = 0;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                let s = i;
                while i < data.len()
                    && !data[i].is_ascii_whitespace()
                    && !b"<>[]()%/".contains(&data[i])
                {
                    i += 1;
                }
                if i == s {
                    // '/', or a stray delimiter: a name starts here.
                    i += 1;
                    while i < data.len()
                        && !data[i].is_ascii_whitespace()
                        && !b"<>[]()%/".contains(&data[i])
                    {
                        i += 1;
                    }
                    out.push(Tok::Word(data[s..i].to_vec()));
                    continue;
                }
                let w = &data[s..i];
                match std::str::from_utf8(w)
                    .ok()
                    .and_then(|t| t.parse::<i64>().ok())
                {
                    Some(n) => out.push(Tok::Num(n)),
                    None => out.push(Tok::Word(w.to_vec())),
                }
            }
        }
    }
    out
}

fn be(b: &[u8]) -> u32 {
    b.iter().take(4).fold(0u32, |a, &x| a << 8 | x as u32)
}

/// UTF-16BE bytes to a string; unpaired surrogates are dropped.
pub fn utf16be(b: &[u8]) -> String {
    let units: Vec<u16> = b
        .chunks(2)
        .map(|c| {
            if c.len() == 2 {
                (c[0] as u16) << 8 | c[1] as u16
            } else {
                c[0] as u16
            }
        })
        .collect();
    char::decode_utf16(units).filter_map(|r| r.ok()).collect()
}

/// Adds `k` to the last UTF-16 unit of a bfrange destination.
fn bump(dst: &[u8], k: u32) -> String {
    let mut d = dst.to_vec();
    if d.len() >= 2 {
        let n = d.len();
        let last = ((d[n - 2] as u32) << 8 | d[n - 1] as u32).wrapping_add(k);
        d[n - 2] = (last >> 8) as u8;
        d[n - 1] = last as u8;
    } else if d.len() == 1 {
        d[0] = d[0].wrapping_add(k as u8);
    }
    utf16be(&d)
}

impl ToUnicode {
    pub fn parse(data: &[u8]) -> ToUnicode {
        let toks = tokenize(data);
        let mut tu = ToUnicode::default();
        let mut i = 0;
        let mut entries = 0usize;
        while i < toks.len() {
            let Tok::Word(w) = &toks[i] else {
                i += 1;
                continue;
            };
            match w.as_slice() {
                b"begincodespacerange" => {
                    i += 1;
                    while i + 1 < toks.len() {
                        match (&toks[i], &toks[i + 1]) {
                            (Tok::Hex(a), Tok::Hex(b)) => {
                                tu.codespace.push((a.len().clamp(1, 4), be(a), be(b)));
                                i += 2;
                            }
                            _ => break,
                        }
                    }
                }
                b"beginbfchar" => {
                    i += 1;
                    while i + 1 < toks.len() {
                        match (&toks[i], &toks[i + 1]) {
                            (Tok::Hex(a), Tok::Hex(b)) => {
                                if entries < MAX_ENTRIES {
                                    tu.map.insert((a.len().min(4) as u8, be(a)), utf16be(b));
                                    entries += 1;
                                }
                                i += 2;
                            }
                            (Tok::Hex(_), Tok::Word(_)) => i += 2, // glyph-name target: skip
                            _ => break,
                        }
                    }
                }
                b"beginbfrange" => {
                    i += 1;
                    while i + 2 < toks.len() {
                        let (Tok::Hex(a), Tok::Hex(b)) = (&toks[i], &toks[i + 1]) else {
                            break;
                        };
                        let len = a.len().min(4) as u8;
                        let lo = be(a);
                        let hi = be(b).max(lo);
                        match &toks[i + 2] {
                            Tok::Hex(dst) => {
                                for k in 0..=(hi - lo) {
                                    if entries >= MAX_ENTRIES {
                                        break;
                                    }
                                    tu.map.insert((len, lo + k), bump(dst, k));
                                    entries += 1;
                                }
                                i += 3;
                            }
                            Tok::Open => {
                                let mut j = i + 3;
                                let mut k = 0u32;
                                while j < toks.len() && toks[j] != Tok::Close {
                                    if let Tok::Hex(dst) = &toks[j] {
                                        if lo + k <= hi && entries < MAX_ENTRIES {
                                            tu.map.insert((len, lo + k), utf16be(dst));
                                            entries += 1;
                                        }
                                        k += 1;
                                    }
                                    j += 1;
                                }
                                i = j + 1;
                            }
                            _ => i += 3,
                        }
                    }
                }
                _ => i += 1,
            }
        }
        tu
    }

    /// Splits `bytes` into codes by the codespace ranges (or `default_len` when none fits).
    pub fn code_len(&self, bytes: &[u8], default_len: usize) -> usize {
        for &(len, lo, hi) in &self.codespace {
            if bytes.len() >= len {
                let c = be(&bytes[..len]);
                if c >= lo && c <= hi {
                    // A one-byte range <00>-<FF> also "fits" two-byte codes; prefer exact
                    // byte-wise containment, which for the usual ranges is the same check.
                    return len;
                }
            }
        }
        default_len
    }

    pub fn get(&self, len: usize, code: u32) -> Option<&str> {
        self.map
            .get(&(len as u8, code))
            .map(String::as_str)
            .or_else(|| {
                // Some producers write one-byte codes as two-byte keys, or the reverse.
                if len == 1 {
                    self.map.get(&(2, code)).map(String::as_str)
                } else {
                    None
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfchar_bfrange_array_multichar() {
        let src = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0003> <0020> <0010> <FF08 4E07 5143 FF09> endbfchar
1 beginbfrange <0020> <0022> <4E2D> endbfrange
1 beginbfrange <0030> <0031> [<0031> <00320033>] endbfrange
1 beginbfchar <0040> <D835DC00> endbfchar
endcmap";
        let t = ToUnicode::parse(src);
        assert_eq!(t.get(2, 0x10), Some("（万元）"));
        assert_eq!(t.get(2, 0x21), Some("丮"));
        assert_eq!(t.get(2, 0x31), Some("23"));
        assert_eq!(t.get(2, 0x40), Some("𝐀"));
        assert_eq!(t.code_len(&[0, 3], 1), 2);
    }
}
