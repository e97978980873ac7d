//! DOCX reader, written on `zip` + `quick-xml` (docx-rs hung on truncated input).
//!
//! Only the main document part (`word/document.xml`, or the part `[Content_Types].xml` names
//! as the main document) is read. Its body is walked as a stream of XML events:
//!
//! * every `w:p` becomes a paragraph, in document order, wherever it sits (`w:body`, `w:sdt`
//!   content, `w:ins`, `w:hyperlink`, …). Its text is the text of its `w:t` runs; `w:tab`
//!   becomes a tab and `w:br`/`w:cr` a line break, which [`TextBuilder`] folds to spaces.
//!   Deleted text (`w:del`, `w:delText`, `w:moveFrom`), field codes (`w:instrText`) and the
//!   `mc:Fallback` copy of drawings are skipped. A paragraph inside a text box is appended to
//!   the paragraph that anchors the text box, after a line break.
//! * every `w:tbl` becomes a table. `w:gridSpan` is a colspan, `w:vMerge` without a value or
//!   with `continue` continues the cell above, `w:gridBefore` inserts empty cells. The
//!   paragraphs of a cell are concatenated (with one space only between two ASCII letters or
//!   digits, so that CJK text stays continuous).
//! * a table nested inside a cell is emitted as a table of its own, right AFTER the outer
//!   table (nested tables in document order); the outer cell keeps only its own paragraphs.
//!
//! Safety: parts are decompressed through `take(limit + 1)` against `max_part` and the
//! remaining `max_decompressed` budget (zip bombs → `too_large`); element nesting is bounded by
//! `max_depth` (→ `malformed`); entity references other than the five predefined ones and
//! character references are kept as literal text, never expanded (a DOCTYPE is ignored).

use std::borrow::Cow;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::result::ZipError;
use zip::ZipArchive;

use super::{Limits, Sniffed};
use crate::error::{ErrorKind, ReadError, Result};
use crate::model::{Document, Format, RawCell, RawRow, RawTable, TextBuilder};

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_NS_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const MAIN_PART: &str = "word/document.xml";
const CONTENT_TYPES: &str = "[Content_Types].xml";
/// `[Content_Types].xml` and `mimetype` are tiny; do not read more of them than this.
const SMALL_PART: u64 = 1 << 20;

/// Tells a DOCX from other zip containers by the names in its central directory.
///
/// A zip whose directory cannot be read is reported as a DOCX, so that [`read`] explains that
/// the file is damaged rather than calling it an unsupported format.
pub fn sniff_zip(bytes: &[u8]) -> Sniffed {
    let Ok(mut zip) = ZipArchive::new(Cursor::new(bytes)) else {
        return Sniffed::Known(Format::Docx);
    };
    if main_part_name(&mut zip).is_some() {
        return Sniffed::Known(Format::Docx);
    }
    let has = |n: &str| zip.index_for_name(n).is_some();
    if has("xl/workbook.xml") {
        return Sniffed::OtherZip("xlsx");
    }
    if has("ppt/presentation.xml") {
        return Sniffed::OtherZip("pptx");
    }
    if has("mimetype") || has("content.xml") {
        let mime = read_small(&mut zip, "mimetype").unwrap_or_default();
        let mime = String::from_utf8_lossy(&mime);
        return Sniffed::OtherZip(match mime.trim() {
            "application/vnd.oasis.opendocument.text" => "odt",
            "application/vnd.oasis.opendocument.spreadsheet" => "ods",
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
    let f = zip.by_name(name).map_err(zip_error)?;
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
        .map_err(|e| malformed(format_args!("cannot decompress {name}: {e}")))?;
    if buf.len() as u64 > limit {
        return Err(too_large());
    }
    *budget -= buf.len() as u64;
    Ok(buf)
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

fn decode_xml(bytes: &[u8]) -> std::result::Result<Cow<'_, str>, String> {
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

enum Fail {
    Limit(String),
    Syntax(String),
    Read(ReadError),
}

#[derive(Default)]
struct CellCtx {
    paras: Vec<String>,
    colspan: usize,
    vmerge_continue: bool,
}

#[derive(Default)]
struct TableCtx {
    raw: RawTable,
    row: Option<RawRow>,
    cell: Option<CellCtx>,
    /// Tables nested in this one (and in those), in document order, emitted after it.
    nested: Vec<RawTable>,
}

/// Streaming state of the body walk.
struct Walk {
    out: TextBuilder,
    /// Open paragraphs: more than one only for a text box inside a paragraph.
    paras: Vec<String>,
    tables: Vec<TableCtx>,
    /// Depth of the open `w:t` (text collected only inside it).
    in_text: bool,
    /// Depth at which a skipped element (deleted text, field code, fallback) opened.
    skip: Option<usize>,
    depth: usize,
    /// The prefix the document binds to the WordprocessingML namespace, when not `w`.
    prefix: Option<String>,
    /// A table too large to expand, reported once the walk stops.
    oversized: Option<ReadError>,
}

/// Largest expanded table grid (rows × columns) a reader hands to [`TextBuilder::table`]:
/// spans are clamped to 1000 there, but ten thousand cells with `colspan=1000` would still
/// expand to billions of grid positions.
pub(crate) const MAX_GRID_CELLS: u64 = 2_000_000;

/// Refuses a table whose expanded grid would exceed [`MAX_GRID_CELLS`].
pub(crate) fn check_table_size(raw: &RawTable, what: &str) -> Result<()> {
    let width = raw
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| c.colspan.clamp(1, 1000) as u64)
                .sum::<u64>()
        })
        .max()
        .unwrap_or(0);
    let reach = raw
        .rows
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            r.cells
                .iter()
                .map(move |c| (i + c.rowspan.clamp(1, 1000)) as u64)
        })
        .max()
        .unwrap_or(0);
    let cells = width.saturating_mul(reach.max(raw.rows.len() as u64));
    if cells > MAX_GRID_CELLS {
        return Err(ReadError::over_limit(
            format_args!(
                "a table in the {what} expands to {cells} cells ({width} columns), more than {MAX_GRID_CELLS}"
            ),
            None,
        ));
    }
    Ok(())
}

/// Joins the paragraphs of a table cell: CJK text stays continuous, two ASCII words get a
/// space between them.
pub(crate) fn join_cell_paragraphs<S: AsRef<str>>(paras: &[S]) -> String {
    let mut out = String::new();
    for p in paras {
        let p = p.as_ref().trim();
        if p.is_empty() {
            continue;
        }
        let before = out.chars().next_back();
        let after = p.chars().next();
        if let (Some(b), Some(a)) = (before, after) {
            if b.is_ascii_alphanumeric() && a.is_ascii_alphanumeric() {
                out.push(' ');
            }
        }
        out.push_str(p);
    }
    out
}

impl Walk {
    fn text(&mut self, s: &str) {
        if let Some(p) = self.paras.last_mut() {
            p.push_str(s);
        }
    }

    /// The element name with the WordprocessingML prefix spelled `w:`.
    fn canon<'n>(&self, name: &'n str) -> Cow<'n, str> {
        let Some(p) = &self.prefix else {
            return Cow::Borrowed(name);
        };
        let local = if p.is_empty() {
            (!name.contains(':')).then_some(name)
        } else {
            name.strip_prefix(p.as_str())
                .and_then(|r| r.strip_prefix(':'))
        };
        match local {
            Some(l) => Cow::Owned(format!("w:{l}")),
            // A `w:` that is not WordprocessingML must not match.
            None if name.starts_with("w:") => Cow::Owned(format!("other-{name}")),
            None => Cow::Borrowed(name),
        }
    }

    /// Finds the prefix bound to WordprocessingML on the root element.
    fn root(&mut self, e: &BytesStart<'_>) {
        for a in e.attributes().with_checks(false).flatten() {
            let key = a.key.as_ref();
            let ns = a.value.as_ref();
            if ns == W_NS || ns == W_NS_STRICT {
                let p = if key == "xmlns" {
                    Some("")
                } else {
                    key.strip_prefix("xmlns:")
                };
                if let Some(p) = p {
                    if p != "w" {
                        self.prefix = Some(p.to_string());
                    }
                    return;
                }
            }
        }
    }

    fn start(&mut self, e: &BytesStart<'_>) {
        let name = e.name();
        let name = self.canon(name.as_ref());
        let name: &str = &name;
        match name {
            "w:p" => self.paras.push(String::new()),
            "w:t" => self.in_text = true,
            "w:tab" | "w:ptab" => self.text("\t"),
            "w:br" | "w:cr" => self.text("\n"),
            "w:noBreakHyphen" => self.text("-"),
            "w:delText" | "w:instrText" | "w:del" | "w:moveFrom" | "mc:Fallback" => {
                self.skip = Some(self.depth)
            }
            "w:tbl" => self.tables.push(TableCtx::default()),
            "w:tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some(RawRow::default());
                }
            }
            "w:gridBefore" => {
                let n = val(e).and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
                if let Some(row) = self.tables.last_mut().and_then(|t| t.row.as_mut()) {
                    if row.cells.is_empty() {
                        for _ in 0..n.min(1000) {
                            row.cells.push(RawCell::new(""));
                        }
                    }
                }
            }
            "w:tc" => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell = Some(CellCtx {
                        colspan: 1,
                        ..CellCtx::default()
                    });
                }
            }
            "w:gridSpan" => {
                if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    c.colspan = val(e)
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, 1000);
                }
            }
            "w:vMerge" => {
                if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    c.vmerge_continue = val(e).is_none_or(|v| v == "continue");
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        let name = self.canon(name);
        match &*name {
            "w:t" => self.in_text = false,
            "w:p" => {
                let Some(p) = self.paras.pop() else { return };
                if let Some(outer) = self.paras.last_mut() {
                    // A text box paragraph: keep its text with its anchor.
                    outer.push('\n');
                    outer.push_str(&p);
                } else if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    c.paras.push(p);
                } else {
                    self.out.paragraph(&p, None);
                }
            }
            "w:tc" => {
                if let Some(t) = self.tables.last_mut() {
                    if let Some(c) = t.cell.take() {
                        let cell = RawCell {
                            colspan: c.colspan,
                            vmerge_continue: c.vmerge_continue,
                            ..RawCell::new(join_cell_paragraphs(&c.paras))
                        };
                        t.row.get_or_insert_with(RawRow::default).cells.push(cell);
                    }
                }
            }
            "w:tr" => {
                if let Some(t) = self.tables.last_mut() {
                    if let Some(r) = t.row.take() {
                        t.raw.rows.push(r);
                    }
                }
            }
            "w:tbl" => {
                let Some(mut t) = self.tables.pop() else {
                    return;
                };
                if let Err(e) = check_table_size(&t.raw, "DOCX") {
                    self.oversized.get_or_insert(e);
                    return;
                }
                if let Some(outer) = self.tables.last_mut() {
                    outer.nested.push(t.raw);
                    outer.nested.append(&mut t.nested);
                } else {
                    self.out.table(t.raw);
                    for n in t.nested {
                        self.out.table(n);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The `w:val` attribute, whatever its prefix.
fn val<'a>(e: &'a BytesStart<'_>) -> Option<Cow<'a, str>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| {
            let k = a.key.as_ref();
            k == "val" || k.ends_with(":val")
        })
        .map(|a| a.value)
}

fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

fn parse_document(xml: &str, limits: &Limits) -> std::result::Result<Document, Fail> {
    let mut r = Reader::from_str(xml);
    let mut w = Walk {
        out: TextBuilder::new(Format::Docx),
        paras: Vec::new(),
        tables: Vec::new(),
        in_text: false,
        skip: None,
        depth: 0,
        prefix: None,
        oversized: None,
    };
    let syntax = |r: &Reader<&[u8]>, e: quick_xml::Error| {
        Fail::Syntax(format!("XML error at byte {}: {e}", r.error_position()))
    };
    let mut seen_root = false;
    loop {
        let ev = r.read_event().map_err(|e| syntax(&r, e))?;
        match ev {
            Event::Start(e) => {
                if !seen_root {
                    w.root(&e);
                }
                seen_root = true;
                w.depth += 1;
                if w.depth > limits.max_depth {
                    return Err(Fail::Limit(format!(
                        "elements nest deeper than {} levels",
                        limits.max_depth
                    )));
                }
                if w.skip.is_none() {
                    w.start(&e);
                }
            }
            Event::Empty(e) => {
                seen_root = true;
                if w.depth + 1 > limits.max_depth {
                    return Err(Fail::Limit(format!(
                        "elements nest deeper than {} levels",
                        limits.max_depth
                    )));
                }
                if w.skip.is_none() {
                    w.depth += 1;
                    w.start(&e);
                    // An empty skipped element skips nothing.
                    if w.skip == Some(w.depth) {
                        w.skip = None;
                    }
                    let name = e.name();
                    w.end(name.as_ref());
                    w.depth -= 1;
                }
            }
            Event::End(e) => {
                match w.skip {
                    Some(d) if d == w.depth => w.skip = None,
                    Some(_) => {}
                    None => w.end(e.name().as_ref()),
                }
                w.depth = w.depth.saturating_sub(1);
            }
            Event::Text(t) if w.in_text && w.skip.is_none() => {
                let s = t.xml10_content();
                w.text(&s);
            }
            Event::CData(t) if w.in_text && w.skip.is_none() => {
                let s = t.xml10_content();
                w.text(&s);
            }
            Event::GeneralRef(g) if w.in_text && w.skip.is_none() => {
                match g.resolve_char_ref() {
                    Ok(Some(c)) => w.text(c.encode_utf8(&mut [0; 4])),
                    Ok(None) => match predefined(&g) {
                        Some(c) => w.text(c.encode_utf8(&mut [0; 4])),
                        // Never expand a custom entity: keep the reference as written.
                        None => {
                            let lit = format!("&{};", &*g);
                            w.text(&lit);
                        }
                    },
                    Err(e) => return Err(syntax(&r, e)),
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if let Some(e) = w.oversized.take() {
            return Err(Fail::Read(e));
        }
    }
    if !seen_root {
        return Err(Fail::Syntax("the XML has no elements".into()));
    }
    if w.depth != 0 {
        return Err(Fail::Syntax(
            "the XML ends before its elements are closed (truncated?)".into(),
        ));
    }
    Ok(w.out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Block;

    fn doc(body: &str) -> std::result::Result<Document, Fail> {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}</w:body></w:document>"#
        );
        parse_document(&xml, &Limits::default())
    }

    fn paras(d: &Document) -> Vec<String> {
        d.paragraphs().map(|p| p.text.clone()).collect()
    }

    #[test]
    fn paragraphs_skip_deleted_text_and_field_codes() {
        let d = doc(r#"<w:p><w:r><w:t>预算</w:t></w:r><w:del><w:r><w:delText>删除</w:delText></w:r></w:del><w:ins><w:r><w:t>执行</w:t></w:r></w:ins><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:tab/><w:t>率&amp;&#x31;&foo;</w:t></w:r></w:p><w:sdt><w:sdtContent><w:p><w:r><w:t>控件</w:t></w:r></w:p></w:sdtContent></w:sdt>"#).ok().unwrap();
        assert_eq!(paras(&d), vec!["预算执行 率&1&foo;", "控件"]);
    }

    #[test]
    fn table_spans_and_nested_table() {
        let d = doc(r#"<w:p><w:r><w:t>前</w:t></w:r></w:p><w:tbl>
            <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>单位</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>预算</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>基本</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:p><w:r><w:t>本级</w:t></w:r></w:p><w:p><w:r><w:t>合计</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>内</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr>
            </w:tbl><w:p><w:r><w:t>后</w:t></w:r></w:p>"#).ok().unwrap();
        let kinds: Vec<&str> = d
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(_) => "p",
                Block::Table(_) => "t",
            })
            .collect();
        assert_eq!(kinds, vec!["p", "t", "t", "p"]);
        let t: Vec<_> = d.tables().collect();
        assert_eq!(t[0].columns, vec!["单位", "预算/基本", "预算/项目"]);
        assert_eq!(t[0].header_rows, 2);
        assert_eq!(t[0].body()[0].cells[0].text, "本级合计");
        assert_eq!(t[0].body()[0].cells[1].text, "1");
        assert_eq!(t[1].rows[0].cells[0].text, "内");
    }

    #[test]
    fn other_prefix_for_wordprocessingml() {
        let xml = r#"<x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w="urn:other"><x:body><x:p><x:r><x:t>甲</x:t><w:t>不是</w:t></x:r></x:p><x:tbl><x:tr><x:tc><x:tcPr><x:gridSpan x:val="2"/></x:tcPr><x:p><x:r><x:t>乙</x:t></x:r></x:p></x:tc></x:tr></x:tbl></x:body></x:document>"#;
        let d = parse_document(xml, &Limits::default()).ok().unwrap();
        assert_eq!(paras(&d), vec!["甲"]);
        assert_eq!(d.tables().next().unwrap().width(), 2);
        let xml = r#"<document xmlns="http://purl.oclc.org/ooxml/wordprocessingml/main"><body><p><r><t>丙</t></r></p></body></document>"#;
        let d = parse_document(xml, &Limits::default()).ok().unwrap();
        assert_eq!(paras(&d), vec!["丙"]);
    }

    #[test]
    fn oversized_table_is_too_large() {
        let cells =
            r#"<w:tc><w:tcPr><w:gridSpan w:val="1000"/></w:tcPr><w:p/></w:tc>"#.repeat(3000);
        let r = doc(&format!("<w:tbl><w:tr>{cells}</w:tr></w:tbl>"));
        assert!(matches!(r, Err(Fail::Read(e)) if e.kind == ErrorKind::TooLarge));
    }

    #[test]
    fn cell_paragraph_join() {
        assert_eq!(join_cell_paragraphs(&["abc", "def"]), "abc def");
        assert_eq!(
            join_cell_paragraphs(&["项目", "资金", "", "12"]),
            "项目资金12"
        );
    }

    #[test]
    fn depth_and_truncation_are_malformed() {
        let deep = "<w:sdt>".repeat(300);
        assert!(matches!(doc(&deep), Err(Fail::Limit(_))));
        let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>截"#;
        assert!(parse_document(xml, &Limits::default()).is_err());
        assert!(parse_document("", &Limits::default()).is_err());
    }

    #[test]
    fn doctype_entities_are_not_expanded() {
        let xml = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><w:document xmlns:w="x"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"#;
        let d = parse_document(xml, &Limits::default()).ok().unwrap();
        assert_eq!(paras(&d), vec!["&lol2;"]);
    }
}
