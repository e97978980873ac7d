//! OCR of image-only PDFs (scans), an optional capability: when Tesseract (with its
//! simplified-Chinese model) and Poppler's `pdftoppm` are installed, a PDF without a text layer
//! is rendered page by page and read; otherwise the record says which packages to install.
//!
//! Per page (choices measured on the six scans of the development set, see
//! benches/RESULTS.md): render at 200 dpi in grey; ask Tesseract's orientation detection
//! (`--psm 0`) whether the page is printed sideways and turn it upright; find the table's
//! ruling lines (long dark runs) and erase them, since Tesseract reads a ruled table far
//! worse than the same table without its lines (0 of 10 amounts against 10 of 10 on one
//! page); read the words with their boxes (`--psm 4`, TSV); then hand the words, split into
//! glyphs across their boxes, and the rulings to the PDF reader's layout, which rebuilds lines
//! and tables as it does from a text layer.
//!
//! Amounts are repaired only where the misreading is unambiguous: a thousands comma read as a
//! dot ("12.542.74" → "12542.74") or doubled (",."). The document says it was read by OCR,
//! and every finding on it is marked so.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::LazyLock;

use regex::Regex;

use super::pdf::{Glyph, Seg};

pub const DPI: u32 = 200;
/// The time each page adds to the document's deadline: measured at 1.5–5 s a page (orientation
/// and recognition, one core), with room for a slower or busier machine.
const PAGE_TIME: std::time::Duration = std::time::Duration::from_secs(30);
/// What to install, said in the `no_text_layer` record when the engine is missing.
pub const PACKAGES: &str = "tesseract-ocr tesseract-ocr-chi-sim poppler-utils";

/// An installed engine: the programs and the version string a record carries.
pub struct Engine {
    tesseract: PathBuf,
    pdftoppm: PathBuf,
    pub name: String,
}

/// The engine, when Tesseract with `chi_sim` and `pdftoppm` are on PATH.
pub fn engine() -> Option<Engine> {
    let tesseract = super::which("tesseract")?;
    let pdftoppm = super::which("pdftoppm")?;
    let langs = Command::new(&tesseract)
        .arg("--list-langs")
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !String::from_utf8_lossy(&langs.stdout)
        .lines()
        .any(|l| l.trim() == "chi_sim")
    {
        return None;
    }
    let v = Command::new(&tesseract).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&v.stdout).to_string() + &String::from_utf8_lossy(&v.stderr);
    let version = text
        .lines()
        .next()
        .unwrap_or("tesseract")
        .trim()
        .to_string();
    Some(Engine {
        tesseract,
        pdftoppm,
        name: format!("{version} chi_sim, {DPI} dpi"),
    })
}

/// A grey image, one byte a pixel, 0 black.
pub struct Gray {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

impl Gray {
    /// Reads a binary PGM (P5, 8-bit), as `pdftoppm -gray` writes it.
    pub fn from_pgm(b: &[u8]) -> Option<Gray> {
        let mut fields = Vec::new();
        let mut i = 2;
        if !b.starts_with(b"P5") {
            return None;
        }
        while fields.len() < 3 {
            while b.get(i)?.is_ascii_whitespace() {
                i += 1;
            }
            if b[i] == b'#' {
                while *b.get(i)? != b'\n' {
                    i += 1;
                }
                continue;
            }
            let s = i;
            while b.get(i)?.is_ascii_digit() {
                i += 1;
            }
            fields.push(std::str::from_utf8(&b[s..i]).ok()?.parse::<usize>().ok()?);
        }
        let (w, h) = (fields[0], fields[1]);
        let px = b.get(i + 1..i + 1 + w.checked_mul(h)?)?.to_vec();
        (fields[2] == 255).then_some(Gray { w, h, px })
    }

    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.w, self.h).into_bytes();
        out.extend_from_slice(&self.px);
        out
    }

    /// Turned a quarter clockwise `quarters` times.
    pub fn rotate(&self, quarters: u32) -> Gray {
        let mut g = Gray {
            w: self.w,
            h: self.h,
            px: self.px.clone(),
        };
        for _ in 0..quarters % 4 {
            let mut px = vec![255u8; g.px.len()];
            // (x, y) → (h − 1 − y, x) in a w' = h, h' = w image.
            for y in 0..g.h {
                for x in 0..g.w {
                    px[x * g.h + (g.h - 1 - y)] = g.px[y * g.w + x];
                }
            }
            g = Gray { w: g.h, h: g.w, px };
        }
        g
    }

    /// The ruling lines: dark runs at least `w / 40` long (horizontal) or `h / 40` (vertical),
    /// erased from the image and returned as segments in pixels, one per drawn line.
    pub fn take_rulings(&mut self) -> Vec<(usize, usize, usize, usize)> {
        let dark = |v: u8| v < 170;
        let mut segs = Vec::new();
        let min_h = (self.w / 40).max(20);
        let mut runs: Vec<(usize, usize, usize)> = Vec::new();
        for y in 0..self.h {
            let row = &self.px[y * self.w..(y + 1) * self.w];
            let mut x = 0;
            while x < self.w {
                if dark(row[x]) {
                    let s = x;
                    while x < self.w && dark(row[x]) {
                        x += 1;
                    }
                    if x - s >= min_h {
                        runs.push((y, s, x));
                    }
                } else {
                    x += 1;
                }
            }
        }
        let min_v = (self.h / 40).max(20);
        let mut cols: Vec<(usize, usize, usize)> = Vec::new();
        for x in 0..self.w {
            let mut y = 0;
            while y < self.h {
                if dark(self.px[y * self.w + x]) {
                    let s = y;
                    while y < self.h && dark(self.px[y * self.w + x]) {
                        y += 1;
                    }
                    if y - s >= min_v {
                        cols.push((x, s, y));
                    }
                } else {
                    y += 1;
                }
            }
        }
        // Erased with a margin: a scanned line's grey fringe, left behind, reads as "|" and
        // "_" and breaks Tesseract's lines apart.
        const M: usize = 2;
        for &(y, a, b) in &runs {
            for yy in y.saturating_sub(M)..(y + M + 1).min(self.h) {
                let a = a.saturating_sub(M);
                let b = (b + M).min(self.w);
                self.px[yy * self.w + a..yy * self.w + b].fill(255);
            }
        }
        for &(x, a, b) in &cols {
            for y in a.saturating_sub(M)..(b + M).min(self.h) {
                for xx in x.saturating_sub(M)..(x + M + 1).min(self.w) {
                    self.px[y * self.w + xx] = 255;
                }
            }
        }
        // A drawn line is a few pixels thick: neighbouring runs that overlap are one line.
        for (along, lines) in [(true, runs), (false, cols)] {
            let mut merged: Vec<(usize, usize, usize, usize)> = Vec::new();
            for (c, a, b) in lines {
                match merged
                    .iter_mut()
                    .rev()
                    .take(8)
                    .find(|m| c <= m.1 + 2 && a < m.3 && b > m.2)
                {
                    Some(m) => {
                        m.1 = c;
                        m.2 = m.2.min(a);
                        m.3 = m.3.max(b);
                    }
                    None => merged.push((c, c, a, b)),
                }
            }
            for (c0, c1, a, b) in merged {
                let mid = (c0 + c1) / 2;
                segs.push(if along {
                    (a, mid, b, mid)
                } else {
                    (mid, a, mid, b)
                });
            }
        }
        segs
    }
}

/// Repairs the misreadings of amounts that have one reading only: separators doubled
/// (",." between digits) and thousands commas read as dots ("12.542.74").
pub fn repair_number(word: &str) -> String {
    static SEP: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(\d)[,.，]{2,}(\d)").expect("pattern"));
    static AMOUNT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(\d{1,3})((?:\.\d{3})+)\.(\d{1,2})$").expect("pattern"));
    let w = SEP.replace_all(word, "$1.$2").into_owned();
    if let Some(c) = AMOUNT.captures(&w) {
        return format!("{}{}.{}", &c[1], c[2].replace('.', ""), &c[3]);
    }
    w
}

/// One recognised word: its box in pixels and its text.
struct Word {
    key: (u32, u32, u32),
    left: usize,
    top: usize,
    w: usize,
    h: usize,
    text: String,
}

fn words(tsv: &str) -> Vec<Word> {
    let mut out = Vec::new();
    for l in tsv.lines().skip(1) {
        let f: Vec<&str> = l.split('\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let n = |i: usize| f[i].trim().parse::<usize>().unwrap_or(0);
        let text = f[11].trim();
        if text.is_empty() {
            continue;
        }
        out.push(Word {
            key: (n(2) as u32, n(3) as u32, n(4) as u32),
            left: n(6),
            top: n(7),
            w: n(8).max(1),
            h: n(9).max(1),
            text: repair_number(text),
        });
    }
    out
}

/// Glyphs of the words, in points with y up: each word's characters spread evenly over its
/// box, all words of a recognised line on that line's lowest edge (one baseline, so that the
/// layout keeps them on one line).
fn glyphs(words: &[Word], page_h: usize) -> Vec<Glyph> {
    let pt = 72.0 / DPI as f32;
    let mut bases: std::collections::HashMap<(u32, u32, u32), usize> = Default::default();
    for w in words {
        let b = bases.entry(w.key).or_default();
        *b = (*b).max(w.top + w.h);
    }
    let mut out = Vec::new();
    for w in words {
        let base = bases.get(&w.key).copied().unwrap_or(w.top + w.h);
        let n = w.text.chars().count().max(1);
        let step = w.w as f32 / n as f32;
        let size = (w.h as f32 * pt).max(4.0);
        for (i, ch) in w.text.chars().enumerate() {
            let x0 = (w.left as f32 + step * i as f32) * pt;
            out.push(Glyph {
                text: ch.to_string(),
                x0,
                x1: x0 + step * pt,
                y: (page_h.saturating_sub(base)) as f32 * pt,
                size,
                dir: 0,
            });
        }
    }
    out
}

fn run(cmd: &mut Command) -> Option<Vec<u8>> {
    let out = cmd
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

/// The quarter turns clockwise that make the page upright, by Tesseract's orientation
/// detection (0 when it cannot tell: too little text).
fn upright_turns(engine: &Engine, img: &Path) -> u32 {
    let Some(out) = run(Command::new(&engine.tesseract)
        .arg(img)
        .arg("stdout")
        .args(["--psm", "0", "-l", "osd"]))
    else {
        return 0;
    };
    let text = String::from_utf8_lossy(&out);
    let rotate = text
        .lines()
        .find_map(|l| l.strip_prefix("Rotate:"))
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(0);
    let confident = text
        .lines()
        .find_map(|l| l.strip_prefix("Orientation confidence:"))
        .and_then(|v| v.trim().parse::<f32>().ok())
        .unwrap_or(0.0);
    if confident < 2.0 {
        return 0;
    }
    rotate / 90
}

/// One page's glyphs, rulings and height in points.
pub type PageParts = (Vec<Glyph>, Vec<Seg>, f32);

/// Renders and reads every page of the PDF in `bytes`, at most `max_pages`. `None` when the
/// rendering fails (the PDF cannot be drawn).
pub fn read_pdf(engine: &Engine, bytes: &[u8], max_pages: usize) -> Option<Vec<PageParts>> {
    let dir = std::env::temp_dir().join(format!(
        "reportlint-ocr-{}-{:?}-{}",
        std::process::id(),
        std::thread::current().id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&dir).ok()?;
    let result = read_in(engine, bytes, max_pages, &dir);
    // REPORTLINT_OCR_KEEP keeps the page images and what was read, to see why a page misreads.
    if std::env::var_os("REPORTLINT_OCR_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        eprintln!("OCR pages kept in {}", dir.display());
    }
    result
}

fn read_in(engine: &Engine, bytes: &[u8], max_pages: usize, dir: &Path) -> Option<Vec<PageParts>> {
    let pdf = dir.join("in.pdf");
    std::fs::write(&pdf, bytes).ok()?;
    crate::deadline::extend(PAGE_TIME);
    run(Command::new(&engine.pdftoppm)
        .args([
            "-r",
            &DPI.to_string(),
            "-gray",
            "-l",
            &max_pages.to_string(),
        ])
        .arg(&pdf)
        .arg(dir.join("p")))?;
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pgm"))
        .collect();
    // p-1.pgm … p-10.pgm (or zero-padded): in page order by number.
    pages.sort_by_key(|p| {
        p.file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.rsplit('-').next())
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(0)
    });
    let mut out = Vec::with_capacity(pages.len());
    for p in pages {
        // Seconds a page on this kind of machine; a page that hangs asks for no more.
        crate::deadline::extend(PAGE_TIME);
        let img = Gray::from_pgm(&std::fs::read(&p).ok()?)?;
        let turns = upright_turns(engine, &p);
        let mut img = img.rotate(turns);
        let rulings = img.take_rulings();
        let clean = p.with_extension("clean.pgm");
        std::fs::write(&clean, img.to_pgm()).ok()?;
        let tsv = run(Command::new(&engine.tesseract)
            .arg(&clean)
            .arg("stdout")
            .args(["-l", "chi_sim", "--psm", "4", "tsv"]))
        .unwrap_or_default();
        if std::env::var_os("REPORTLINT_OCR_KEEP").is_some() {
            let _ = std::fs::write(p.with_extension("tsv"), &tsv);
        }
        let words = words(&String::from_utf8_lossy(&tsv));
        let pt = 72.0 / DPI as f32;
        let h = img.h;
        let segs = rulings
            .into_iter()
            .map(|(x0, y0, x1, y1)| Seg {
                x0: x0 as f32 * pt,
                y0: (h - y0.min(h)) as f32 * pt,
                x1: x1 as f32 * pt,
                y1: (h - y1.min(h)) as f32 * pt,
            })
            .map(|s| Seg {
                x0: s.x0.min(s.x1),
                y0: s.y0.min(s.y1),
                x1: s.x0.max(s.x1),
                y1: s.y0.max(s.y1),
            })
            .collect();
        out.push((glyphs(&words, h), segs, h as f32 * pt));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_misread_one_way_are_repaired() {
        assert_eq!(repair_number("12.542.74"), "12542.74");
        assert_eq!(repair_number("1.234.567.89"), "1234567.89");
        assert_eq!(repair_number("12,.667.08"), "12667.08");
        assert_eq!(repair_number("3,.683.76"), "3683.76");
        // Not one reading: left alone.
        assert_eq!(repair_number("2024.12.31"), "2024.12.31");
        assert_eq!(repair_number("1.5"), "1.5");
        assert_eq!(repair_number("12,542.74"), "12,542.74");
    }

    #[test]
    fn images_turn_and_lose_their_rulings() {
        // 100 × 60, a horizontal line at y = 30 and a vertical one at x = 50, a dot of text.
        let (w, h) = (100, 60);
        let mut px = vec![255u8; w * h];
        for x in 0..w {
            px[30 * w + x] = 0;
            px[31 * w + x] = 0;
        }
        for y in 0..h {
            px[y * w + 50] = 0;
        }
        px[10 * w + 10] = 0;
        let mut g = Gray { w, h, px };
        let pgm = g.to_pgm();
        assert_eq!(Gray::from_pgm(&pgm).unwrap().px, g.px);
        let segs = g.take_rulings();
        assert_eq!(segs.len(), 2, "{segs:?}");
        assert!(segs.contains(&(0, 30, 100, 30)), "{segs:?}");
        assert!(segs.contains(&(50, 0, 50, 60)), "{segs:?}");
        assert_eq!(g.px[30 * w + 20], 255);
        assert_eq!(g.px[10 * w + 10], 0, "text stays");
        let r = g.rotate(1);
        assert_eq!((r.w, r.h), (60, 100));
        // (10, 10) → (h − 1 − 10, 10) = (49, 10).
        assert_eq!(r.px[10 * 60 + 49], 0);
        assert_eq!(g.rotate(4).px, g.px);
    }
}
