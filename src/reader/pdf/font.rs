//! Fonts: how the bytes of a string operand become characters and glyph advances.

use std::collections::HashMap;

use lopdf::{Dictionary, Document as PdfDoc, Object};

use super::cmap::{utf16be, ToUnicode};
use super::encoding::{base_char, glyph_name_char};

/// How a composite font's bytes become codes and characters when there is no ToUnicode.
#[derive(Debug, Clone, Copy, PartialEq)]
enum CidEnc {
    /// Identity-H/V: two-byte codes that are CIDs (glyph ids for TrueType).
    Identity,
    /// UniGB-UCS2-H / UniGB-UTF16-H and the like: the bytes are UTF-16BE.
    Utf16,
    /// GBK-EUC-H, GB-EUC-H, GBpc-EUC-H: GBK bytes, one below 0x80, else two.
    Gbk,
    /// A predefined CMap we do not know: two-byte codes, undecodable without ToUnicode.
    Unknown,
}

#[derive(Debug)]
enum Kind {
    Simple {
        /// code → text from the encoding and /Differences.
        enc: Box<[Option<char>; 256]>,
        first_char: u32,
        widths: Vec<f32>,
        missing: f32,
    },
    Cid {
        enc: CidEnc,
        widths: HashMap<u32, f32>,
        dw: f32,
        /// Glyph id → Unicode from the embedded TrueType cmap (Identity-H without ToUnicode).
        gid_uni: Option<HashMap<u16, char>>,
        cid_to_gid: Option<Vec<u16>>,
        /// The CIDs are Adobe-GB1's: Adobe's CID → Unicode table applies.
        gb1: bool,
    },
}

/// Adobe-GB1 CID → Unicode (BMP), built by data/make_adobe_gb1.py from Adobe's
/// Adobe-GB1-UCS2 CMap (BSD-3-Clause, data/LICENSE-Adobe-cmap.txt).
static ADOBE_GB1: &[u8] = include_bytes!("data/adobe_gb1_ucs2.bin");

fn gb1_char(cid: u32) -> Option<String> {
    let i = cid as usize * 2;
    let u = u16::from_be_bytes([*ADOBE_GB1.get(i)?, *ADOBE_GB1.get(i + 1)?]);
    if u == 0 || cid == 0 {
        return None;
    }
    char::from_u32(u as u32).map(String::from)
}

#[derive(Debug)]
pub struct Font {
    kind: Kind,
    to_unicode: Option<ToUnicode>,
}

/// One decoded code: its text (None: undecodable), its advance in text-space units per 1
/// unit of font size, and whether it is the single-byte code 32 (word spacing applies).
pub struct Code {
    pub text: Option<String>,
    pub width: f32,
    pub is_space: bool,
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn deref<'a>(doc: &'a PdfDoc, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(&Object::Null)
}

fn dget<'a>(doc: &'a PdfDoc, d: &'a Dictionary, k: &[u8]) -> Option<&'a Object> {
    d.get(k)
        .ok()
        .map(|o| deref(doc, o))
        .filter(|o| !o.is_null())
}

fn stream_bytes(doc: &PdfDoc, o: &Object, limit: usize) -> Option<Vec<u8>> {
    match deref(doc, o) {
        Object::Stream(s) => s.decompressed_content_with_limit(limit).ok().or_else(|| {
            (s.content.len() <= limit && s.dict.get(b"Filter").is_err()).then(|| s.content.clone())
        }),
        _ => None,
    }
}

impl Font {
    pub fn load(doc: &PdfDoc, d: &Dictionary, limit: usize) -> Font {
        let to_unicode = dget(doc, d, b"ToUnicode")
            .and_then(|o| stream_bytes(doc, o, limit))
            .map(|b| ToUnicode::parse(&b))
            .filter(|t| !t.map.is_empty());
        let subtype = dget(doc, d, b"Subtype")
            .and_then(|o| o.as_name().ok())
            .unwrap_or(b"");
        let kind = if subtype == b"Type0" {
            load_cid(doc, d, to_unicode.is_some(), limit)
        } else {
            load_simple(doc, d)
        };
        Font { kind, to_unicode }
    }

    /// Decodes a string operand into codes.
    pub fn decode(&self, bytes: &[u8], out: &mut Vec<Code>) {
        match &self.kind {
            Kind::Simple {
                enc,
                first_char,
                widths,
                missing,
            } => {
                for &b in bytes {
                    let code = b as u32;
                    let text = match &self.to_unicode {
                        Some(tu) => tu
                            .get(1, code)
                            .map(str::to_string)
                            .or_else(|| enc[b as usize].map(String::from)),
                        None => enc[b as usize].map(String::from),
                    };
                    let w = code
                        .checked_sub(*first_char)
                        .and_then(|i| widths.get(i as usize))
                        .copied()
                        .unwrap_or(*missing);
                    out.push(Code {
                        text,
                        width: w / 1000.0,
                        is_space: b == 32,
                    });
                }
            }
            Kind::Cid {
                enc,
                widths,
                dw,
                gid_uni,
                cid_to_gid,
                gb1,
            } => {
                let mut i = 0;
                while i < bytes.len() {
                    let rest = &bytes[i..];
                    let (len, text, cid) = match enc {
                        CidEnc::Gbk => gbk_code(rest),
                        CidEnc::Utf16 => utf16_code(rest),
                        CidEnc::Identity | CidEnc::Unknown => {
                            self.cid_code(rest, *enc, gid_uni, cid_to_gid, *gb1)
                        }
                    };
                    // With a ToUnicode map, it takes precedence over the CMap's own reading.
                    let text = match (&self.to_unicode, enc) {
                        (Some(tu), CidEnc::Utf16 | CidEnc::Gbk) => {
                            let code = rest[..len].iter().fold(0u32, |a, &x| a << 8 | x as u32);
                            tu.get(len, code).map(str::to_string).or(text)
                        }
                        _ => text,
                    };
                    let w = widths.get(&cid).copied().unwrap_or(
                        if cid == u32::MAX && matches!(enc, CidEnc::Utf16 | CidEnc::Gbk) && len == 1
                        {
                            500.0
                        } else {
                            *dw
                        },
                    );
                    out.push(Code {
                        text,
                        width: w / 1000.0,
                        is_space: len == 1 && rest[0] == 32,
                    });
                    i += len.max(1);
                }
            }
        }
    }

    /// One code of an Identity or unknown CMap: its length, text and CID. The text comes from
    /// the ToUnicode map, else the embedded TrueType cmap, else Adobe-GB1's table.
    fn cid_code(
        &self,
        rest: &[u8],
        enc: CidEnc,
        gid_uni: &Option<HashMap<u16, char>>,
        cid_to_gid: &Option<Vec<u16>>,
        gb1: bool,
    ) -> (usize, Option<String>, u32) {
        let len = match &self.to_unicode {
            Some(tu) if enc == CidEnc::Unknown => tu.code_len(rest, 2),
            _ => 2,
        }
        .min(rest.len());
        let code = rest[..len].iter().fold(0u32, |a, &x| a << 8 | x as u32);
        let t = match (&self.to_unicode, gid_uni) {
            (Some(tu), _) => tu.get(len, code).map(str::to_string),
            (None, Some(m)) => {
                let gid = match cid_to_gid {
                    Some(v) => v.get(code as usize).copied().unwrap_or(0),
                    None => code as u16,
                };
                m.get(&gid).map(|c| c.to_string())
            }
            _ => None,
        };
        let t = match t {
            None if gb1 && enc == CidEnc::Identity => gb1_char(code),
            t => t,
        };
        (len, t, code)
    }
}

/// One code of a GBK CMap: its length, text and CID (only single-byte ASCII has one here).
fn gbk_code(rest: &[u8]) -> (usize, Option<String>, u32) {
    let len = if rest[0] < 0x80 || rest.len() < 2 {
        1
    } else {
        2
    };
    let (s, _, bad) = encoding_rs::GBK.decode(&rest[..len]);
    let t = if bad { None } else { Some(s.into_owned()) };
    let cid = if len == 1 && (0x20..0x7f).contains(&rest[0]) {
        rest[0] as u32 - 0x1f
    } else {
        u32::MAX
    };
    (len, t, cid)
}

/// One code of a UTF-16 CMap: its length, text and CID (only ASCII has one here).
fn utf16_code(rest: &[u8]) -> (usize, Option<String>, u32) {
    let len = if rest.len() >= 4 && (0xD8..0xDC).contains(&rest[0]) {
        4
    } else {
        2.min(rest.len())
    };
    let t = if len < 2 {
        None
    } else {
        Some(utf16be(&rest[..len]))
    };
    let u = if len == 2 {
        (rest[0] as u32) << 8 | rest[1] as u32
    } else {
        0
    };
    // Adobe-GB1 puts ASCII 0x20..0x7E at CIDs 1..95 (proportional).
    let cid = if (0x20..0x7f).contains(&u) {
        u - 0x1f
    } else {
        u32::MAX
    };
    (len, t.filter(|s| !s.is_empty()), cid)
}

fn load_cid(doc: &PdfDoc, d: &Dictionary, has_tu: bool, limit: usize) -> Kind {
    let enc_name = dget(doc, d, b"Encoding")
        .and_then(|o| o.as_name().ok())
        .unwrap_or(b"Identity-H");
    let enc = match enc_name {
        b"Identity-H" | b"Identity-V" => CidEnc::Identity,
        n if n.starts_with(b"UniGB-UCS2")
            || n.starts_with(b"UniGB-UTF16")
            || n.starts_with(b"UniCNS-UCS2")
            || n.starts_with(b"UniCNS-UTF16")
            || n.starts_with(b"UniJIS-UCS2")
            || n.starts_with(b"UniJIS-UTF16")
            || n.starts_with(b"UniKS-UCS2")
            || n.starts_with(b"UniKS-UTF16") =>
        {
            CidEnc::Utf16
        }
        b"GBK-EUC-H" | b"GBK-EUC-V" | b"GB-EUC-H" | b"GB-EUC-V" | b"GBpc-EUC-H" | b"GBpc-EUC-V"
        | b"GBK2K-H" | b"GBK2K-V" | b"GBKp-EUC-H" | b"GBKp-EUC-V" => CidEnc::Gbk,
        _ => CidEnc::Unknown,
    };
    let desc = dget(doc, d, b"DescendantFonts")
        .and_then(|o| o.as_array().ok())
        .and_then(|a| a.first())
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok());
    let mut widths = HashMap::new();
    let mut dw = 1000.0;
    let mut gid_uni = None;
    let mut cid_to_gid = None;
    let mut gb1 = false;
    if let Some(desc) = desc {
        gb1 = dget(doc, desc, b"CIDSystemInfo")
            .and_then(|o| o.as_dict().ok())
            .and_then(|si| dget(doc, si, b"Ordering"))
            .and_then(|o| o.as_str().ok())
            .is_some_and(|o| o == b"GB1");
        if let Some(v) = dget(doc, desc, b"DW").and_then(num) {
            dw = v;
        }
        if let Some(Object::Array(w)) = dget(doc, desc, b"W") {
            let w: Vec<&Object> = w.iter().map(|o| deref(doc, o)).collect();
            let mut i = 0;
            // Bound the entries: each range may cover 65536 CIDs, and there may be many.
            while i < w.len() && widths.len() < 200_000 {
                let Some(first) = num(w[i]) else { break };
                let first = first.max(0.0) as u32;
                match w.get(i + 1) {
                    Some(Object::Array(arr)) => {
                        for (k, o) in arr.iter().enumerate().take(65536) {
                            if let Some(v) = num(deref(doc, o)) {
                                widths.insert(first.saturating_add(k as u32), v);
                            }
                        }
                        i += 2;
                    }
                    Some(o) => {
                        let (Some(last), Some(v)) = (num(o), w.get(i + 2).and_then(|o| num(o)))
                        else {
                            break;
                        };
                        let last = (last.max(0.0) as u32).min(first.saturating_add(65535));
                        for c in first..=last {
                            widths.insert(c, v);
                        }
                        i += 3;
                    }
                    None => break,
                }
            }
        }
        if enc == CidEnc::Identity && !has_tu {
            let fd = dget(doc, desc, b"FontDescriptor").and_then(|o| o.as_dict().ok());
            let prog = fd
                .and_then(|fd| dget(doc, fd, b"FontFile2").or_else(|| dget(doc, fd, b"FontFile3")));
            if let Some(bytes) = prog.and_then(|p| stream_bytes(doc, p, limit)) {
                gid_uni = invert_cmap(&bytes);
            }
            if let Some(b) =
                dget(doc, desc, b"CIDToGIDMap").and_then(|o| stream_bytes(doc, o, limit))
            {
                cid_to_gid = Some(
                    b.chunks(2)
                        .map(|c| {
                            if c.len() == 2 {
                                (c[0] as u16) << 8 | c[1] as u16
                            } else {
                                0
                            }
                        })
                        .collect(),
                );
            }
        }
    }
    Kind::Cid {
        enc,
        widths,
        dw,
        gid_uni,
        cid_to_gid,
        gb1,
    }
}

fn invert_cmap(bytes: &[u8]) -> Option<HashMap<u16, char>> {
    let face = ttf_parser::Face::parse(bytes, 0).ok()?;
    let cmap = face.tables().cmap?;
    let mut m: HashMap<u16, char> = HashMap::new();
    for st in cmap.subtables {
        if !st.is_unicode() {
            continue;
        }
        st.codepoints(|cp| {
            if let (Some(g), Some(c)) = (st.glyph_index(cp), char::from_u32(cp)) {
                // Prefer the first (lowest) code point a glyph maps from, but a CJK or ASCII
                // one over a compatibility form.
                m.entry(g.0).or_insert(c);
            }
        });
    }
    (!m.is_empty()).then_some(m)
}

fn load_simple(doc: &PdfDoc, d: &Dictionary) -> Kind {
    let mut enc: Box<[Option<char>; 256]> = Box::new([None; 256]);
    let base_name;
    let mut diffs: Option<&Vec<Object>> = None;
    match dget(doc, d, b"Encoding") {
        Some(Object::Name(n)) => base_name = n.as_slice(),
        Some(Object::Dictionary(ed)) => {
            base_name = dget(doc, ed, b"BaseEncoding")
                .and_then(|o| o.as_name().ok())
                .unwrap_or(b"StandardEncoding");
            diffs = dget(doc, ed, b"Differences").and_then(|o| o.as_array().ok());
        }
        _ => base_name = b"WinAnsiEncoding",
    }
    for (i, slot) in enc.iter_mut().enumerate() {
        *slot = base_char(base_name, i as u8);
    }
    if let Some(diffs) = diffs {
        let mut code = 0usize;
        for o in diffs {
            match deref(doc, o) {
                Object::Integer(n) => code = (*n).clamp(0, 255) as usize,
                Object::Name(n) => {
                    if code < 256 {
                        enc[code] = glyph_name_char(n);
                    }
                    code += 1;
                }
                _ => {}
            }
        }
    }
    let first_char = dget(doc, d, b"FirstChar")
        .and_then(num)
        .unwrap_or(0.0)
        .max(0.0) as u32;
    // Type3 widths are in glyph space: FontMatrix scales them (usually by 0.001).
    let scale = if dget(doc, d, b"Subtype").and_then(|o| o.as_name().ok()) == Some(b"Type3") {
        dget(doc, d, b"FontMatrix")
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(num)
            .filter(|v| v.is_finite() && *v != 0.0)
            .map_or(1.0, |v| v.abs() * 1000.0)
    } else {
        1.0
    };
    let widths: Vec<f32> = dget(doc, d, b"Widths")
        .and_then(|o| o.as_array().ok())
        .map(|a| {
            a.iter()
                .take(256)
                .map(|o| num(deref(doc, o)).unwrap_or(0.0) * scale)
                .collect()
        })
        .unwrap_or_default();
    let missing = dget(doc, d, b"FontDescriptor")
        .and_then(|o| o.as_dict().ok())
        .and_then(|fd| dget(doc, fd, b"MissingWidth"))
        .and_then(num)
        .filter(|w| *w > 0.0)
        .unwrap_or(if widths.is_empty() { 550.0 } else { 500.0 });
    Kind::Simple {
        enc,
        first_char,
        widths,
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adobe_gb1_table() {
        assert_eq!(gb1_char(4000).as_deref(), Some("姓"));
        assert_eq!(gb1_char(17).as_deref(), Some("0"));
        assert_eq!(gb1_char(0), None);
        assert_eq!(gb1_char(1_000_000), None);
    }
}
