//! DOCX reader, written on `zip` + `quick-xml` (docx-rs hung on truncated input).
//!
//! This module opens the zip container: it tells a DOCX from other zips, finds the main
//! document part (`word/document.xml`, or the part `[Content_Types].xml` names as the main
//! document) and reads it. Only that part is read; its body is walked in the `body`
//! submodule. The `table` submodule bounds table grids and joins cell paragraphs, for the
//! HTML reader too.
//!
//! Safety: parts are decompressed through `take(limit + 1)` against `max_part` and the
//! remaining `max_decompressed` budget (zip bombs → `too_large`).

mod body;
pub(crate) use body::predefined as predefined_entity;
mod table;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::result::ZipError;
use zip::ZipArchive;

use super::{Limits, Sniffed};
use crate::error::{ErrorKind, ReadError, Result};
use crate::model::{Document, Format};
use body::{parse_document, Fail};
pub(crate) use table::{check_table_size, join_cell_paragraphs};

const MAIN_PART: &str = "word/document.xml";
const CONTENT_TYPES: &str = "[Content_Types].xml";
/// `[Content_Types].xml` and `mimetype` are tiny; do not read more of them than this.
const SMALL_PART: u64 = 1 << 20;

/// Tells a DOCX from other zip containers by the names in its central directory.
///
/// A zip whose directory cannot be read is reported as the zip format its extension names
/// (OFD, a workbook), else as a DOCX, so that the reader explains that the file is damaged
/// rather than calling it an unsupported format.
pub fn sniff_zip(bytes: &[u8], ext: &str) -> Sniffed {
    let Ok(mut zip) = ZipArchive::new(Cursor::new(bytes)) else {
        return Sniffed::Known(match ext {
            "ofd" => Format::Ofd,
            "xlsx" | "xlsm" => Format::Xlsx,
            "ods" => Format::Ods,
            _ => Format::Docx,
        });
    };
    if main_part_name(&mut zip).is_some() {
        return Sniffed::Known(Format::Docx);
    }
    let has = |n: &str| zip.index_for_name(n).is_some();
    if has("OFD.xml") {
        return Sniffed::Known(Format::Ofd);
    }
    if has("xl/workbook.xml") {
        return Sniffed::Known(Format::Xlsx);
    }
    if has("ppt/presentation.xml") {
        return Sniffed::OtherZip("pptx");
    }
    if has("mimetype") || has("content.xml") {
        let mime = read_small(&mut zip, "mimetype").unwrap_or_default();
        let mime = String::from_utf8_lossy(&mime);
        if mime.trim() == "application/vnd.oasis.opendocument.spreadsheet" {
            return Sniffed::Known(Format::Ods);
        }
        return Sniffed::OtherZip(match mime.trim() {
            "application/vnd.oasis.opendocument.text" => "odt",
            "application/vnd.oasis.opendocument.presentation" => "odp",
            m if m.starts_with("application/epub") => "epub",
            _ => "odt",
        });
    }
    if zip
        .file_names()
        .any(|n| n.is_ok_and(|n| n.starts_with("word/")))
    {
        // A Word package without a findable main part: let `read` say what is wrong.
        return Sniffed::Known(Format::Docx);
    }
    Sniffed::OtherZip("zip")
}

fn read_small(zip: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    let f = zip.by_name(name).ok()?;
    let mut buf = Vec::new();
    f.take(SMALL_PART).read_to_end(&mut buf).ok()?;
    Some(buf)
}

/// The main document part: `word/document.xml`, or whatever `[Content_Types].xml` declares
/// as the main WordprocessingML part.
fn main_part_name(zip: &mut ZipArchive<Cursor<&[u8]>>) -> Option<String> {
    if zip.index_for_name(MAIN_PART).is_some() {
        return Some(MAIN_PART.to_string());
    }
    let ct = read_small(zip, CONTENT_TYPES)?;
    let ct = std::str::from_utf8(&ct).ok()?;
    let mut r = Reader::from_str(ct);
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "Override" => {
                let ty = attr(&e, "ContentType").unwrap_or_default();
                if ty.contains("wordprocessingml") && ty.ends_with(".main+xml") {
                    let part = attr(&e, "PartName")?;
                    let part = part.trim_start_matches('/').to_string();
                    if zip.index_for_name(&part).is_some() {
                        return Some(part);
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

fn attr<'a>(e: &'a BytesStart<'_>, name: &str) -> Option<Cow<'a, str>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value)
}

fn malformed(detail: impl std::fmt::Display) -> ReadError {
    ReadError::malformed("DOCX", detail)
}

fn zip_error(e: ZipError) -> ReadError {
    match e {
        ZipError::UnsupportedArchive(what) => ReadError::new(
            ErrorKind::UnsupportedFormat,
            format!("DOCX 使用了不支持的压缩或加密方式 / the DOCX uses an unsupported zip feature ({what}). 请用 Word 或 WPS 另存为 .docx 后再检查 / save it again as .docx from Word or WPS."),
        ),
        e => malformed(format_args!("zip container: {e}")),
    }
}

/// Reads one zip entry, bounded by `max_part` and by what is left of `max_decompressed`.
fn read_part(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    name: &str,
    budget: &mut u64,
    limits: &Limits,
) -> Result<Vec<u8>> {
    read_zip_part(zip, name, budget, limits, "DOCX")
}

/// [`read_part`] for any zip-based format, `what` naming it in errors.
pub(crate) fn read_zip_part(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    name: &str,
    budget: &mut u64,
    limits: &Limits,
    what: &str,
) -> Result<Vec<u8>> {
    let f = zip.by_name(name).map_err(|e| match e {
        ZipError::FileNotFound => ReadError::malformed(what, format_args!("it has no {name}")),
        e => zip_error(e),
    })?;
    let (limit, which) = if limits.max_part <= *budget {
        (limits.max_part, "max_part")
    } else {
        (*budget, "max_decompressed")
    };
    let too_large = || {
        ReadError::over_limit(
            format_args!(
                "{name} decompresses to more than {limit} bytes ({which}); this may be a zip bomb"
            ),
            Some("--max-decompressed"),
        )
    };
    // The declared size can lie, so it only serves to refuse early; take() is the real bound.
    if f.size() > limit {
        return Err(too_large());
    }
    let mut buf = Vec::with_capacity(f.size().min(limit).min(64 << 20) as usize);
    f.take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| ReadError::malformed(what, format_args!("cannot decompress {name}: {e}")))?;
    if buf.len() as u64 > limit {
        return Err(too_large());
    }
    *budget -= buf.len() as u64;
    Ok(buf)
}

/// Decompresses every entry of a zip container within the bounds (`max_part` each,
/// `max_decompressed` in all), for readers of other zip formats (spreadsheets) that then
/// decompress it themselves: a zip bomb is refused before they start.
pub fn check_zip_bounds(bytes: &[u8], limits: &Limits) -> Result<()> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .collect();
    let mut budget = limits.max_decompressed;
    for n in names {
        read_part(&mut zip, &n, &mut budget, limits)?;
    }
    Ok(())
}

/// Reads a DOCX: body paragraphs and tables in document order.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
    let part = main_part_name(&mut zip)
        .ok_or_else(|| malformed("there is no word/document.xml (the main document part)"))?;
    let mut budget = limits.max_decompressed;
    let xml = read_part(&mut zip, &part, &mut budget, limits)?;
    let text = decode_xml(&xml).map_err(|e| malformed(format_args!("{part}: {e}")))?;
    parse_document(&text, limits).map_err(|e| match e {
        Fail::Limit(msg) | Fail::Syntax(msg) => malformed(format_args!("{part}: {msg}")),
        Fail::Read(e) => e,
    })
}

pub(crate) fn decode_xml(bytes: &[u8]) -> std::result::Result<Cow<'_, str>, String> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        if enc != encoding_rs::UTF_8 {
            let (s, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
            if had_errors {
                return Err(format!("invalid {} text", enc.name()));
            }
            return Ok(s);
        }
        return decode_xml(&bytes[bom..]);
    }
    std::str::from_utf8(bytes)
        .map(Cow::Borrowed)
        .map_err(|e| format!("not valid UTF-8 at byte {}", e.valid_up_to()))
}
