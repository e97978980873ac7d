//! One `<table>`: its rows in document order, their cells with their spans, and the tables
//! nested in the cells, which follow the outer table.

use scraper::ElementRef;

use super::{hidden, too_deep, walk, Item};
use crate::error::Result;
use crate::model::{RawCell, RawRow, RawTable};
use crate::reader::docx::{check_table_size, join_cell_paragraphs};
use crate::reader::Limits;

const MAX_SPAN: usize = 1000;

fn span_attr(el: &scraper::node::Element, name: &str) -> usize {
    el.attr(name)
        .and_then(|v| {
            let d: String = v
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            d.parse::<usize>().ok()
        })
        .unwrap_or(1)
        .clamp(1, MAX_SPAN)
}

/// Reads one `<table>` and appends it, then the tables nested in its cells.
pub(super) fn table(
    node: ElementRef<'_>,
    depth: usize,
    limits: &Limits,
    out: &mut Vec<Item>,
) -> Result<()> {
    let mut raw = RawTable::default();
    let mut nested = Vec::new();
    let mut rows = Vec::new();
    for c in node.child_elements() {
        match c.value().name() {
            "tr" => rows.push((c, depth + 1)),
            "thead" | "tbody" | "tfoot" => {
                for r in c.child_elements() {
                    if r.value().name() == "tr" {
                        rows.push((r, depth + 2));
                    }
                }
            }
            "caption" => {
                let mut items = Vec::new();
                walk(c, depth + 1, limits, &mut items)?;
                for it in items {
                    match it {
                        Item::Para(p) => out.push(Item::Para(p)),
                        Item::Table(t) => nested.push(Item::Table(t)),
                    }
                }
            }
            _ => {}
        }
    }
    for (tr, d) in rows {
        if d > limits.max_depth {
            return Err(too_deep(limits));
        }
        if hidden(tr.value()) {
            continue;
        }
        let mut row = RawRow::default();
        for cell in tr.child_elements() {
            let el = cell.value();
            if !matches!(el.name(), "td" | "th") {
                continue;
            }
            let mut items = Vec::new();
            walk(cell, d + 1, limits, &mut items)?;
            let mut paras = Vec::new();
            for it in items {
                match it {
                    Item::Para(p) => paras.push(p),
                    t @ Item::Table(_) => nested.push(t),
                }
            }
            row.cells.push(RawCell {
                colspan: span_attr(el, "colspan"),
                rowspan: span_attr(el, "rowspan"),
                ..RawCell::new(join_cell_paragraphs(&paras))
            });
        }
        raw.rows.push(row);
    }
    check_table_size(&raw, "HTML")?;
    out.push(Item::Table(raw));
    out.append(&mut nested);
    Ok(())
}
