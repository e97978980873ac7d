//! OFD reader (GB/T 33190-2016, the Chinese fixed-layout format e-government systems export).
//!
//! An OFD is a zip: `OFD.xml` names the document's root (`DocBody/DocRoot`), the document
//! lists its pages (`Pages/Page@BaseLoc`) and its default page box (`PageArea/PhysicalBox`),
//! and each page's content holds `TextObject`s (a `Boundary` box, a font `Size`, an optional
//! `CTM`) whose `TextCode`s give the text with its first glyph's position (`X`, `Y`, the
//! baseline) and the advances between glyphs (`DeltaX`/`DeltaY`, where `g N d` stands for N
//! advances of d), and `PathObject`s whose `AbbreviatedData` (M, L, Q, B, A, C) draws, among
//! other things, table rulings. Units are millimetres, y down.
//!
//! Glyphs and axis-aligned path segments are turned into the PDF reader's points (y up) and
//! laid out by it: lines by baseline, tables from the rulings, tables joined across pages.
//! Only the first document of the package is read; templates and annotations are not.
//!
//! Safety: every part is decompressed within `max_part` and `max_decompressed`; the page count
//! is bounded by `max_pages`; XML entities other than the predefined ones are kept as text.

use std::io::Cursor;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::ZipArchive;

use super::docx::{decode_xml, read_zip_part};
use super::pdf::{from_pages, Glyph, Seg};
use super::Limits;
use crate::error::{ErrorKind, ReadError, Result};
use crate::model::{Document, Format};

const WHAT: &str = "OFD";
/// Points per millimetre: the PDF layout's thresholds are in points.
const PT: f32 = 72.0 / 25.4;

fn malformed(detail: impl std::fmt::Display) -> ReadError {
    ReadError::malformed(WHAT, detail)
}

struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    budget: u64,
    limits: &'a Limits,
}

impl Package<'_> {
    fn xml(&mut self, name: &str) -> Result<String> {
        let bytes = read_zip_part(&mut self.zip, name, &mut self.budget, self.limits, WHAT)?;
        decode_xml(&bytes)
            .map(|s| s.into_owned())
            .map_err(|e| malformed(format_args!("{name}: {e}")))
    }
}

/// `loc` as a path inside the package: absolute (from the root) or relative to `dir`.
fn resolve(dir: &str, loc: &str) -> String {
    let loc = loc.trim().replace('\\', "/");
    let joined = match loc.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None if dir.is_empty() => loc,
        None => format!("{dir}/{loc}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value.into_owned())
}

fn numbers(s: &str) -> Vec<f32> {
    s.split_whitespace()
        .filter_map(|t| t.parse::<f32>().ok())
        .filter(|v| v.is_finite())
        .collect()
}

/// The text of the first element named `name` (by local name).
fn first_text(xml: &str, name: &str) -> Option<String> {
    let mut r = Reader::from_str(xml);
    let mut inside = false;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => inside = e.local_name().as_ref() == name,
            Ok(Event::Text(t)) if inside => {
                let s = t.xml10_content().trim().to_string();
                if !s.is_empty() {
                    return Some(s);
                }
            }
            Ok(Event::End(_)) => inside = false,
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// The page box and the page content locations of `Document.xml`.
fn pages_of(xml: &str) -> Result<(Option<[f32; 4]>, Vec<String>)> {
    let mut r = Reader::from_str(xml);
    let mut area = None;
    let mut in_box = false;
    let mut pages = Vec::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "PhysicalBox" => in_box = area.is_none(),
                "Page" => {
                    if let Some(loc) = attr(&e, "BaseLoc") {
                        pages.push(loc);
                    }
                }
                _ => {}
            },
            Ok(Event::Text(t)) if in_box => {
                let v = numbers(&t.xml10_content());
                if v.len() == 4 {
                    area = Some([v[0], v[1], v[2], v[3]]);
                }
                in_box = false;
            }
            Ok(Event::End(_)) => in_box = false,
            Ok(Event::Eof) => return Ok((area, pages)),
            Err(e) => return Err(malformed(format_args!("the document part: {e}"))),
            _ => {}
        }
    }
}

/// `DeltaX`/`DeltaY`: numbers, with `g N d` for N times d.
fn deltas(s: &str) -> Vec<f32> {
    // One text code holds a line or a paragraph; `g` counts past this are not advances of
    // real text, and would let a short attribute ask for gigabytes.
    const MAX: usize = 100_000;
    let mut out = Vec::new();
    let mut t = s.split_whitespace();
    while let Some(tok) = t.next() {
        if out.len() >= MAX {
            break;
        }
        if tok == "g" {
            let n = t.next().and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
            let d = t.next().and_then(|d| d.parse::<f32>().ok()).unwrap_or(0.0);
            out.extend(std::iter::repeat_n(d, n.min(MAX - out.len())));
        } else if let Ok(v) = tok.parse::<f32>() {
            out.push(v);
        }
    }
    out
}

/// An object's placement: its boundary's origin and its CTM (`a b c d e f`), in mm.
#[derive(Clone, Copy)]
struct Place {
    x: f32,
    y: f32,
    ctm: [f32; 6],
}

impl Place {
    fn of(e: &BytesStart<'_>) -> Place {
        let b = attr(e, "Boundary").map(|s| numbers(&s)).unwrap_or_default();
        let ctm = attr(e, "CTM").map(|s| numbers(&s)).unwrap_or_default();
        Place {
            x: b.first().copied().unwrap_or(0.0),
            y: b.get(1).copied().unwrap_or(0.0),
            ctm: if ctm.len() == 6 {
                [ctm[0], ctm[1], ctm[2], ctm[3], ctm[4], ctm[5]]
            } else {
                [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
            },
        }
    }
    /// Page millimetres of a point in the object's space.
    fn apply(&self, px: f32, py: f32) -> (f32, f32) {
        let m = &self.ctm;
        (
            self.x + m[0] * px + m[2] * py + m[4],
            self.y + m[1] * px + m[3] * py + m[5],
        )
    }
    fn scale(&self) -> f32 {
        let m = &self.ctm;
        (m[0] * m[3] - m[1] * m[2]).abs().sqrt()
    }
}

/// One page's content, in points with y up.
#[derive(Default)]
struct PageParts {
    glyphs: Vec<Glyph>,
    segs: Vec<Seg>,
    images: usize,
}

/// The state of the `TextCode` being read.
struct Code {
    x: f32,
    y: f32,
    dx: Vec<f32>,
    dy: Vec<f32>,
    /// Glyphs placed so far: the text may come in pieces around character references.
    n: usize,
}

struct PageWalk {
    height: f32,
    out: PageParts,
    text: Option<(Place, f32)>,
    code: Option<Code>,
    /// Where the previous `TextCode` of the object stopped: a code without X/Y goes on there.
    pen: (f32, f32),
    path: Option<Place>,
    in_path_data: bool,
}

impl PageWalk {
    fn to_pt(&self, (x, y): (f32, f32)) -> (f32, f32) {
        (x * PT, (self.height - y) * PT)
    }

    fn start(&mut self, e: &BytesStart<'_>) {
        match e.local_name().as_ref() {
            "TextObject" => {
                let size = attr(e, "Size").and_then(|s| s.trim().parse::<f32>().ok());
                self.text = Some((Place::of(e), size.filter(|s| *s > 0.0).unwrap_or(3.5)));
                self.pen = (0.0, 0.0);
            }
            "TextCode" if self.text.is_some() => {
                let num = |n: &str| attr(e, n).and_then(|s| s.trim().parse::<f32>().ok());
                self.code = Some(Code {
                    x: num("X").unwrap_or(self.pen.0),
                    y: num("Y").unwrap_or(self.pen.1),
                    dx: attr(e, "DeltaX").map(|s| deltas(&s)).unwrap_or_default(),
                    dy: attr(e, "DeltaY").map(|s| deltas(&s)).unwrap_or_default(),
                    n: 0,
                });
            }
            "PathObject" => self.path = Some(Place::of(e)),
            "AbbreviatedData" => self.in_path_data = self.path.is_some(),
            "ImageObject" => self.out.images += 1,
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "TextObject" => self.text = None,
            "TextCode" => self.code = None,
            "PathObject" => self.path = None,
            "AbbreviatedData" => self.in_path_data = false,
            _ => {}
        }
    }

    fn glyphs(&mut self, s: &str) {
        let (Some((place, size)), Some(code)) = (self.text, self.code.as_mut()) else {
            return;
        };
        let (mut x, mut y) = (code.x, code.y);
        let scale = place.scale();
        for ch in s.chars() {
            let i = code.n;
            code.n += 1;
            let wide = super::pdf::is_cjk(ch) || !ch.is_ascii();
            let advance = code
                .dx
                .get(i)
                .copied()
                .unwrap_or(if wide { size } else { size * 0.5 });
            if !ch.is_whitespace() {
                let (px, py) = place.apply(x, y);
                let (gx, gy) = (px * PT, (self.height - py) * PT);
                self.out.glyphs.push(Glyph {
                    text: ch.to_string(),
                    x0: gx,
                    x1: gx + advance * scale * PT,
                    y: gy,
                    size: size * scale * PT,
                    dir: 0,
                });
            }
            x += advance;
            y += code.dy.get(i).copied().unwrap_or(0.0);
        }
        code.x = x;
        code.y = y;
        self.pen = (x, y);
    }

    /// The straight, axis-aligned pieces of a path: table rulings.
    fn path(&mut self, data: &str) {
        let Some(place) = self.path else { return };
        let toks: Vec<&str> = data.split_whitespace().collect();
        let mut i = 0;
        let (mut cur, mut start) = (None::<(f32, f32)>, None::<(f32, f32)>);
        let num = |k: usize| toks.get(k).and_then(|t| t.parse::<f32>().ok());
        while i < toks.len() {
            let (op, args) = match toks[i] {
                "M" | "S" | "L" => (toks[i], 2),
                "Q" => ("Q", 4),
                "B" => ("B", 6),
                "A" => ("A", 7),
                "C" => ("C", 0),
                _ => {
                    i += 1;
                    continue;
                }
            };
            let end = (args >= 2)
                .then(|| Some((num(i + args - 1)?, num(i + args)?)))
                .flatten();
            match op {
                "M" | "S" => {
                    cur = end;
                    start = end;
                }
                "L" => {
                    if let (Some(a), Some(b)) = (cur, end) {
                        self.segment(place.apply(a.0, a.1), place.apply(b.0, b.1));
                    }
                    cur = end;
                }
                "C" => {
                    if let (Some(a), Some(b)) = (cur, start) {
                        self.segment(place.apply(a.0, a.1), place.apply(b.0, b.1));
                    }
                    cur = start;
                }
                _ => cur = end,
            }
            i += args + 1;
        }
    }

    fn segment(&mut self, a: (f32, f32), b: (f32, f32)) {
        let (a, b) = (self.to_pt(a), self.to_pt(b));
        // A quarter point off the axis is still a ruling drawn by a rounding writer.
        if (a.1 - b.1).abs() < 0.25 && (a.0 - b.0).abs() > 0.5 {
            let y = (a.1 + b.1) / 2.0;
            self.out.segs.push(Seg {
                x0: a.0.min(b.0),
                y0: y,
                x1: a.0.max(b.0),
                y1: y,
            });
        } else if (a.0 - b.0).abs() < 0.25 && (a.1 - b.1).abs() > 0.5 {
            let x = (a.0 + b.0) / 2.0;
            self.out.segs.push(Seg {
                x0: x,
                y0: a.1.min(b.1),
                x1: x,
                y1: a.1.max(b.1),
            });
        }
    }
}

fn read_page(xml: &str, default_box: [f32; 4]) -> Result<(PageParts, f32)> {
    // The page's own box, when it has one, comes before its content.
    let own = pages_of(xml).ok().and_then(|(b, _)| b);
    let height = own.unwrap_or(default_box)[3];
    let mut w = PageWalk {
        height,
        out: PageParts::default(),
        text: None,
        code: None,
        pen: (0.0, 0.0),
        path: None,
        in_path_data: false,
    };
    let mut r = Reader::from_str(xml);
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => w.start(&e),
            Ok(Event::Empty(e)) => {
                w.start(&e);
                w.end(e.local_name().as_ref());
            }
            Ok(Event::End(e)) => w.end(e.local_name().as_ref()),
            Ok(Event::Text(t)) => {
                let s = t.xml10_content();
                if w.in_path_data {
                    w.path(&s);
                } else {
                    w.glyphs(&s);
                }
            }
            Ok(Event::GeneralRef(g)) => {
                let c = match g.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => super::docx::predefined_entity(&g),
                };
                if let Some(c) = c {
                    w.glyphs(c.encode_utf8(&mut [0; 4]));
                }
            }
            Ok(Event::CData(t)) => w.glyphs(&t.xml10_content()),
            Ok(Event::Eof) => return Ok((w.out, height * PT)),
            Err(e) => return Err(malformed(format_args!("a page: {e}"))),
            _ => {}
        }
    }
}

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document> {
    let zip = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| malformed(format_args!("zip container: {e}")))?;
    let mut pkg = Package {
        zip,
        budget: limits.max_decompressed,
        limits,
    };
    let ofd = pkg.xml("OFD.xml")?;
    let root = first_text(&ofd, "DocRoot")
        .ok_or_else(|| malformed("OFD.xml names no document (DocRoot)"))?;
    let doc_path = resolve("", &root);
    let doc = pkg.xml(&doc_path)?;
    let (area, locs) = pages_of(&doc)?;
    if locs.len() > limits.max_pages {
        return Err(ReadError::over_limit(
            format_args!("the OFD has more than {} pages", limits.max_pages),
            Some("--max-pages"),
        ));
    }
    if locs.is_empty() {
        return Err(malformed("the document lists no pages"));
    }
    let default_box = area.unwrap_or([0.0, 0.0, 210.0, 297.0]);
    let mut pages = Vec::with_capacity(locs.len());
    let (mut glyphs, mut images) = (0, 0);
    for loc in &locs {
        let xml = pkg.xml(&resolve(dir_of(&doc_path), loc))?;
        let (parts, height) = read_page(&xml, default_box)?;
        glyphs += parts.glyphs.len();
        images += parts.images;
        pages.push((parts.glyphs, parts.segs, height));
    }
    if glyphs == 0 {
        let msg = if images > 0 {
            "OFD 没有文字层（扫描件或图片）/ this OFD has no text layer (page images only): 需要先做文字识别（OCR）/ run OCR on it first, then check the text."
        } else {
            "OFD 中没有文字 / this OFD holds no text."
        };
        return Err(ReadError::new(ErrorKind::NoTextLayer, msg));
    }
    Ok(from_pages(Format::Ofd, pages, Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_advances() {
        assert_eq!(
            resolve("Doc_0", "Pages/Page_0/Content.xml"),
            "Doc_0/Pages/Page_0/Content.xml"
        );
        assert_eq!(resolve("Doc_0", "/Doc_0/Pages/P.xml"), "Doc_0/Pages/P.xml");
        assert_eq!(resolve("Doc_0/Pages", "../Res/a.xml"), "Doc_0/Res/a.xml");
        assert_eq!(deltas("1 g 3 2.5 4"), vec![1.0, 2.5, 2.5, 2.5, 4.0]);
        assert_eq!(deltas("g x"), Vec::<f32>::new());
        assert_eq!(deltas(&"g 99999999 1 ".repeat(1000)).len(), 100_000);
    }
}
