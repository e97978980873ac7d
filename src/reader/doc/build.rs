//! From the main text and its paragraph properties to blocks: paragraphs end at their marks,
//! table cells at cell marks, rows at row-end marks; field codes are dropped and their results
//! kept, as Word shows them.

use super::para::{ParaIndex, ParaProps, RowDef};
use super::pieces::MainText;
use crate::model::{Document, Format, RawCell, RawRow, RawTable, TextBuilder};
use crate::reader::docx::{check_table_size, join_cell_paragraphs};

const PARA: u16 = 0x0D;
const CELL: u16 = 0x07;
const PAGE: u16 = 0x0C;

#[derive(Default)]
struct OpenTable {
    rows: Vec<(Vec<String>, Option<RowDef>)>,
    cells: Vec<String>,
    paras: Vec<String>,
}

struct Build {
    out: TextBuilder,
    table: Option<OpenTable>,
}

impl Build {
    fn paragraph(&mut self, text: &str, mark: u16, props: Option<&ParaProps>) {
        let depth = props.map_or(0, |p| p.depth);
        if depth == 0 {
            self.flush();
            self.out.paragraph(text, None);
            return;
        }
        let t = self.table.get_or_insert_with(OpenTable::default);
        let props = props.cloned().unwrap_or_default();
        if depth > 1 {
            // A table inside a cell: its text stays in the outer cell.
            t.paras.push(text.to_string());
        } else if mark == CELL && props.ttp {
            let cells = std::mem::take(&mut t.cells);
            t.paras.clear();
            t.rows.push((cells, props.row));
        } else if mark == CELL {
            t.paras.push(text.to_string());
            let cell = join_cell_paragraphs(&t.paras);
            t.paras.clear();
            t.cells.push(cell);
        } else {
            t.paras.push(text.to_string());
        }
    }

    fn flush(&mut self) {
        let Some(mut t) = self.table.take() else {
            return;
        };
        if !t.cells.is_empty() {
            t.rows.push((std::mem::take(&mut t.cells), None));
        }
        let raw = raw_table(t.rows);
        match check_table_size(&raw, super::WHAT) {
            Ok(()) => self.out.table(raw),
            Err(e) => self.out.problem(e.message),
        }
    }
}

/// Lays the rows on one grid: the boundaries of all rows (within a few twips) are the grid's
/// columns, a cell spans the columns between its own boundaries, a cell merged into the one
/// before widens it, and a cell that continues a vertical merge points at the cell above.
fn raw_table(rows: Vec<(Vec<String>, Option<RowDef>)>) -> RawTable {
    let mut edges: Vec<i16> = rows
        .iter()
        .filter_map(|(c, d)| d.as_ref().filter(|d| d.bounds.len() == c.len() + 1))
        .flat_map(|d| d.bounds.iter().copied())
        .collect();
    edges.sort_unstable();
    edges.dedup_by(|a, b| (i32::from(*a) - i32::from(*b)).abs() <= 5);
    let col = |x: i16| {
        edges
            .iter()
            .position(|&e| (i32::from(e) - i32::from(x)).abs() <= 5)
            .unwrap_or(0)
    };
    let mut out = RawTable::default();
    for (cells, def) in rows {
        let def = def.filter(|d| d.bounds.len() == cells.len() + 1);
        let mut row = RawRow::default();
        let Some(def) = def else {
            row.cells = cells.into_iter().map(RawCell::new).collect();
            out.rows.push(row);
            continue;
        };
        for _ in 0..col(def.bounds[0]) {
            row.cells.push(RawCell::new(""));
        }
        for (i, text) in cells.into_iter().enumerate() {
            let span = col(def.bounds[i + 1])
                .saturating_sub(col(def.bounds[i]))
                .max(1);
            let (horz, vert) = def.merges.get(i).copied().unwrap_or((0, 0));
            if horz >= 2 {
                if let Some(prev) = row.cells.last_mut() {
                    prev.colspan += span;
                    if !text.trim().is_empty() {
                        prev.text.push_str(&text);
                    }
                    continue;
                }
            }
            let mut cell = RawCell::new(text);
            cell.colspan = span;
            cell.vmerge_continue = vert == 1;
            row.cells.push(cell);
        }
        out.rows.push(row);
    }
    out
}

/// What a character shows: control characters other than tab and line break show nothing.
fn shown(c: u16) -> Option<char> {
    match c {
        0x09 => Some('\t'),
        0x0B => Some('\n'),
        0x1E => Some('-'),
        0x00..=0x1F => None,
        _ => char::from_u32(u32::from(c)),
    }
}

pub(super) fn blocks(
    text: &MainText,
    props: &ParaIndex,
    format: Format,
    problems: Vec<String>,
) -> Document {
    let mut b = Build {
        out: TextBuilder::new(format),
        table: None,
    };
    for p in problems {
        b.out.problem(p);
    }
    let mut para = String::new();
    // Open fields: true once the field's result (after its separator) has begun.
    let mut fields: Vec<bool> = Vec::new();
    let units = &text.chars;
    let mut i = 0;
    while i < units.len() {
        let c = units[i];
        match c {
            0x13 => fields.push(false),
            0x14 => {
                if let Some(f) = fields.last_mut() {
                    *f = true;
                }
            }
            0x15 => {
                fields.pop();
            }
            PARA | CELL | PAGE => {
                let p = text.fc_of(i as u32).and_then(|fc| props.at(fc));
                b.paragraph(&para, c, p);
                para.clear();
            }
            _ if fields.iter().all(|&f| f) => {
                if (0xD800..0xDC00).contains(&c) {
                    if let Some(&lo) = units.get(i + 1) {
                        let pair = char::decode_utf16([c, lo]).next().and_then(|r| r.ok());
                        if let Some(ch) = pair {
                            para.push(ch);
                            i += 2;
                            continue;
                        }
                    }
                } else if let Some(ch) = shown(c) {
                    para.push(ch);
                }
            }
            _ => {}
        }
        i += 1;
    }
    if !para.trim().is_empty() {
        b.paragraph(&para, PARA, None);
    }
    b.flush();
    b.out.finish()
}
