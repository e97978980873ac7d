//! The walk of the main document part's body, as a stream of XML events:
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
//! Safety: element nesting is bounded by `max_depth` (→ `malformed`); entity references other
//! than the five predefined ones and character references are kept as literal text, never
//! expanded (a DOCTYPE is ignored).

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::table::{check_table_size, join_cell_paragraphs};
use super::Limits;
use crate::error::ReadError;
use crate::model::{Document, Format, RawCell, RawRow, RawTable, TextBuilder};

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_NS_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";

/// Why the walk stopped: [`read`](super::read) reports a limit or a syntax error as a
/// malformed part, and passes a [`ReadError`] on as it is.
pub(super) enum Fail {
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

pub(crate) fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

pub(super) fn parse_document(xml: &str, limits: &Limits) -> std::result::Result<Document, Fail> {
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
