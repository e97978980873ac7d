//! PDF reader: our own text layer on lopdf. Content streams are interpreted for glyph
//! positions and ruling lines; lines are rebuilt by baseline, tables from the rulings, and
//! tables that run over a page break are joined.

mod assemble;
mod cmap;
mod content;
mod encoding;
mod font;
mod layout;
mod lex;
mod paint;

use lopdf::{Dictionary, Document as PdfDoc, LoadOptions, Object, ObjectId};

use super::Limits;
use crate::error::{ErrorKind, ReadError, Result};
use crate::model::{Document, Format, TextBuilder};
use assemble::assemble;
pub(crate) use content::{Glyph, Seg};
use content::{Interp, PageContent};
pub(crate) use layout::is_cjk;
use layout::Item;

/// Lines and tables rebuilt from positioned glyphs and ruling lines, page by page (each page's
/// glyphs, rulings and height; points, y up), as this reader does from a content stream: for
/// the other fixed-layout formats (OFD), which give positions directly.
pub(crate) fn from_pages(
    format: Format,
    pages: Vec<(Vec<Glyph>, Vec<Seg>, f32)>,
    problems: Vec<String>,
) -> Document {
    let mut b = TextBuilder::new(format);
    for p in problems {
        b.problem(p);
    }
    let items = pages
        .into_iter()
        .enumerate()
        .map(|(i, (g, s, h))| ((i + 1) as u32, layout::layout(&g, &s), 0.0, h))
        .collect();
    assemble(&mut b, items);
    b.finish()
}

fn encrypted_error() -> ReadError {
    ReadError::new(
        ErrorKind::Encrypted,
        "PDF 已加密，需要密码才能打开 / this PDF is encrypted and needs a password: 请提供未加密的版本，或用密码打开后另存为无密码的 PDF / supply an unencrypted copy, or open it with its password and save it without one.",
    )
}

fn no_text_error(why: &str) -> ReadError {
    ReadError::new(
        ErrorKind::NoTextLayer,
        format!("PDF 没有文字层（扫描件或图片）/ this PDF has no text layer (a scan or images only): {why}"),
    )
}

/// A scan: read by OCR when the engine is installed and allowed, else an error that says
/// how to get it.
fn read_by_ocr(bytes: &[u8], limits: &Limits) -> Result<Document> {
    if !limits.ocr {
        return Err(no_text_error("文字识别已关闭（--no-ocr）/ OCR is turned off (--no-ocr): 去掉该选项，或先做文字识别后再检查 / drop the option, or run OCR on it first."));
    }
    let Some(engine) = super::ocr::engine() else {
        return Err(no_text_error(&format!(
            "需要文字识别（OCR）引擎 / reading it needs an OCR engine: 请安装 {p}（如 apt-get install {p}）后再检查 / install {p} (e.g. apt-get install {p}) and run again.",
            p = super::ocr::PACKAGES
        )));
    };
    let Some(pages) = super::ocr::read_pdf(&engine, bytes, limits.max_pages) else {
        return Err(no_text_error(
            "文字识别失败：无法渲染页面 / OCR failed: its pages could not be rendered.",
        ));
    };
    if pages.iter().all(|p| p.0.is_empty()) {
        return Err(no_text_error(
            "文字识别未读出文字 / OCR found no text on its pages.",
        ));
    }
    let note = format!(
        "文字由 OCR 识别（{}），数字可能误读，请对照原件 / the text was recognised by OCR ({}) and figures may be misread: check each finding against the page image.",
        engine.name, engine.name
    );
    let mut doc = from_pages(Format::Pdf, pages, vec![note]);
    doc.ocr = Some(engine.name);
    Ok(doc)
}

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document> {
    let max_part = usize::try_from(limits.max_part).unwrap_or(usize::MAX);
    let opts = LoadOptions {
        max_decompressed_size: Some(max_part),
        ..LoadOptions::default()
    };
    let mut doc = match PdfDoc::load_mem_with_options(bytes, opts) {
        Ok(d) => d,
        Err(lopdf::Error::InvalidPassword) | Err(lopdf::Error::Decryption(_)) => {
            return Err(encrypted_error())
        }
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
            return Err(ReadError::over_limit(
                format_args!(
                    "a PDF stream decompresses to more than {} bytes",
                    limits.max_part
                ),
                Some("--max-decompressed"),
            ))
        }
        Err(e) => return Err(ReadError::malformed("PDF", e)),
    };
    if doc.is_encrypted() {
        // Permissions-only encryption has an empty user password.
        if doc.decrypt("").is_err() && doc.is_encrypted() {
            return Err(encrypted_error());
        }
    }
    let pages: Vec<ObjectId> = doc
        .page_iter()
        .take(limits.max_pages.saturating_add(1))
        .collect();
    if pages.len() > limits.max_pages {
        return Err(ReadError::over_limit(
            format_args!("the PDF has more than {} pages", limits.max_pages),
            Some("--max-pages"),
        ));
    }
    if pages.is_empty() {
        return Err(ReadError::malformed("PDF", "no pages found"));
    }
    let mut interp = Interp::new(&doc, max_part, limits.max_decompressed);
    let mut page_items: Vec<(u32, Vec<Item>, f32, f32)> = Vec::new();
    let mut glyph_total = 0usize;
    let mut images = 0usize;
    let mut undecoded = 0usize;
    let mut too_large_pages = 0usize;
    for (i, &pid) in pages.iter().enumerate() {
        let data = match doc.get_page_content_with_limit(pid, max_part) {
            Ok(d) => d,
            Err(_) => {
                too_large_pages += 1;
                continue;
            }
        };
        let (resources, mediabox) = page_attrs(&doc, pid);
        let mut pc = PageContent::default();
        interp.page(&data, resources, &mut pc);
        let mediabox = pc.upright(mediabox);
        glyph_total += pc.glyphs.len();
        images += pc.images;
        undecoded += pc.undecoded;
        let items = layout::layout(&pc.glyphs, &pc.segs);
        page_items.push(((i + 1) as u32, items, mediabox.1, mediabox.3));
        if interp.over_budget {
            return Err(ReadError::over_limit(
                format_args!(
                    "the PDF's content decompresses to more than {} bytes",
                    limits.max_decompressed
                ),
                Some("--max-decompressed"),
            ));
        }
    }
    if glyph_total == 0 && too_large_pages > 0 {
        // Not a scan: its pages were over the size bound.
        return Err(ReadError::too_large(format!(
            "the PDF's page content decompresses to more than {} bytes",
            limits.max_part
        )));
    }
    if glyph_total == 0 && images > 0 {
        return read_by_ocr(bytes, limits);
    }
    if glyph_total == 0 && undecoded == 0 {
        return Err(no_text_error(
            "页面上既无文字也无图片 / its pages hold neither text nor images.",
        ));
    }
    let mut b = TextBuilder::new(Format::Pdf);
    if undecoded > 0 {
        b.problem(format!(
            "{undecoded} 个字符无法解码（字体缺少 Unicode 映射），已略去 / {undecoded} glyph(s) could not be decoded (a font has no Unicode map) and were dropped: 核对原件中的对应文字 / check the original where text seems missing."
        ));
    }
    if too_large_pages > 0 {
        b.problem(format!(
            "{too_large_pages} 页内容超出处理上限，已跳过 / {too_large_pages} page(s) exceed the size limit and were skipped: 如需读取，请调高 --max-decompressed / raise --max-decompressed to read them."
        ));
    }
    assemble(&mut b, page_items);
    Ok(b.finish())
}

/// The page's resources and media box (inherited through the page tree).
fn page_attrs(doc: &PdfDoc, pid: ObjectId) -> (Option<&Dictionary>, (f32, f32, f32, f32)) {
    let mut res = None;
    let mut mb = None;
    let mut node = doc.get_dictionary(pid).ok();
    let mut depth = 0;
    while let Some(d) = node {
        if res.is_none() {
            res = d
                .get(b"Resources")
                .ok()
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_dict().ok());
        }
        if mb.is_none() {
            if let Some(Object::Array(a)) = d
                .get(b"MediaBox")
                .ok()
                .and_then(|o| doc.dereference(o).ok())
                .map(|(_, o)| o)
            {
                let v: Vec<f32> = a.iter().filter_map(|o| o.as_float().ok()).collect();
                if v.len() == 4 {
                    mb = Some((
                        v[0].min(v[2]),
                        v[1].min(v[3]),
                        v[0].max(v[2]),
                        v[1].max(v[3]),
                    ));
                }
            }
        }
        depth += 1;
        if (res.is_some() && mb.is_some()) || depth > 32 {
            break;
        }
        node = d
            .get(b"Parent")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok());
    }
    (res, mb.unwrap_or((0.0, 0.0, 595.0, 842.0)))
}
