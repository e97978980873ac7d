//! What the spreadsheet crate does not give of an OpenDocument spreadsheet (.ods): merged
//! regions (`table:number-columns-spanned` / `number-rows-spanned`) and the text a numeric cell
//! shows (its `text:p`, "222.00", where the crate gives the float 222). Read from content.xml,
//! whose size the caller has already bounded with the rest of the zip.

use std::collections::HashMap;
use std::io::Read;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// One sheet's merged regions (first row, first col, last row, last col) and shown numbers.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Layout {
    pub merges: Vec<(u32, u32, u32, u32)>,
    pub shown: HashMap<(u32, u32), String>,
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.into_owned())
}

fn count(e: &BytesStart, name: &str) -> u32 {
    attr(e, name)
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

/// The layout of every sheet by name; empty when content.xml cannot be read (the cells the
/// crate read are then shown as it gives them).
pub fn layout(bytes: &[u8], max_part: u64) -> HashMap<String, Layout> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return HashMap::new();
    };
    let Ok(f) = zip.by_name("content.xml") else {
        return HashMap::new();
    };
    let mut xml = Vec::new();
    if f.take(max_part).read_to_end(&mut xml).is_err() {
        return HashMap::new();
    }
    parse(&xml)
}

/// The cell being read: where it stands, its spans, whether it is a number, its text.
struct Open {
    at: (u32, u32),
    span: (u32, u32),
    number: bool,
    text: String,
    paragraphs: usize,
}

fn parse(xml: &[u8]) -> HashMap<String, Layout> {
    let mut out: HashMap<String, Layout> = HashMap::new();
    let Ok(xml) = std::str::from_utf8(xml) else {
        return out;
    };
    let mut r = Reader::from_str(xml);
    let mut buf = Vec::new();
    let mut sheet: Option<String> = None;
    let (mut row, mut col, mut rows_repeat) = (0u32, 0u32, 1u32);
    let mut cell: Option<Open> = None;
    loop {
        let ev = match r.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(ev) => ev,
        };
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.name().as_ref() {
                    "table:table" => {
                        sheet = attr(e, "table:name");
                        row = 0;
                    }
                    "table:table-row" => {
                        col = 0;
                        rows_repeat = count(e, "table:number-rows-repeated");
                        if empty {
                            row = row.saturating_add(rows_repeat);
                        }
                    }
                    "table:table-cell" | "table:covered-table-cell" => {
                        let repeat = count(e, "table:number-columns-repeated");
                        let span = (
                            count(e, "table:number-rows-spanned"),
                            count(e, "table:number-columns-spanned"),
                        );
                        let number = matches!(
                            attr(e, "office:value-type").as_deref(),
                            Some("float" | "currency" | "percentage")
                        );
                        let open = Open {
                            at: (row, col),
                            span,
                            number,
                            text: String::new(),
                            paragraphs: 0,
                        };
                        col = col.saturating_add(repeat);
                        if empty {
                            close(&mut out, sheet.as_deref(), open);
                        } else {
                            cell = Some(open);
                        }
                    }
                    "text:p" => {
                        if let Some(c) = cell.as_mut() {
                            if c.paragraphs > 0 {
                                c.text.push('\n');
                            }
                            c.paragraphs += 1;
                        }
                    }
                    "text:s" => {
                        if let Some(c) = cell.as_mut() {
                            let n = count(e, "text:c").min(64);
                            c.text.extend(std::iter::repeat_n(' ', n as usize));
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some(c) = cell.as_mut() {
                    c.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(g) => {
                if let Some(c) = cell.as_mut() {
                    match g.resolve_char_ref() {
                        Ok(Some(ch)) => c.text.push(ch),
                        _ => {
                            if let Some(ch) = super::docx::predefined_entity(&g) {
                                c.text.push(ch);
                            }
                        }
                    }
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some(c) = cell.take() {
                        close(&mut out, sheet.as_deref(), c);
                    }
                }
                "table:table-row" => row = row.saturating_add(rows_repeat),
                "table:table" => sheet = None,
                _ => {}
            },
            _ => {}
        }
        buf.clear();
    }
    out
}

fn close(out: &mut HashMap<String, Layout>, sheet: Option<&str>, c: Open) {
    let Some(name) = sheet else { return };
    let shown = c.number && !c.text.trim().is_empty();
    if c.span == (1, 1) && !shown {
        return;
    }
    let l = out.entry(name.to_string()).or_default();
    if c.span != (1, 1) {
        let (r, k) = c.at;
        l.merges.push((
            r,
            k,
            r.saturating_add(c.span.0 - 1),
            k.saturating_add(c.span.1 - 1),
        ));
    }
    if shown {
        l.shown.insert(c.at, c.text.trim().to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_and_shown_numbers() {
        let xml = br#"<office:document-content><office:body><office:spreadsheet>
<table:table table:name="S"><table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
<table:table-row><table:table-cell table:number-columns-spanned="3" table:number-rows-spanned="2" office:value-type="string"><text:p>A &amp; B</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="float" office:value="222"><text:p>222.00</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
        let l = &parse(xml)["S"];
        assert_eq!(l.merges, vec![(2, 0, 3, 2)]);
        assert_eq!(l.shown.get(&(2, 3)).map(String::as_str), Some("222.00"));
        assert_eq!(l.shown.len(), 1);
    }
}
