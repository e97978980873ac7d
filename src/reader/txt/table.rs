//! The tables that text exports carry, found at a line of the text and built into a
//! [`Table`](crate::model::Table) whose cells keep the spans of their text in the file.
//!
//! Table shapes recognised:
//! - Word's text export: one cell per tab-indented line, a blank line between rows;
//! - tab-separated rows;
//! - `|`-separated rows;
//! - space-separated rows of a label followed by numbers (text copied from a PDF).

use super::Line;
use crate::model::{
    expand_grid, finish_table, looks_numeric, Cell, RawCell, RawRow, RawTable, Row, Span,
};

/// A table found in the text, as rows of cells with their own spans.
pub(super) struct TextTable {
    rows: Vec<Vec<(String, Span)>>,
    /// Word's export collapses merged header cells: infer their spans.
    infer_spans: bool,
}

/// The table that starts at line `i`, if any, with the index of the line after it. The shapes
/// are tried in this order: a Word export, tab-separated, pipe-separated, space-aligned.
pub(super) fn find(lines: &[Line], i: usize) -> Option<(TextTable, usize)> {
    word_export_table(lines, i)
        .or_else(|| delimited_table(lines, i, '\t'))
        .or_else(|| delimited_table(lines, i, '|'))
        .or_else(|| space_table(lines, i))
}

/// Word's export: runs of tab-indented lines (one cell each), rows separated by blank lines.
fn word_export_table(lines: &[Line], i: usize) -> Option<(TextTable, usize)> {
    if !lines[i].text.starts_with('\t') {
        return None;
    }
    let mut rows: Vec<Vec<(String, Span)>> = Vec::new();
    let mut cur: Vec<(String, Span)> = Vec::new();
    let mut j = i;
    while j < lines.len() {
        let l = &lines[j];
        if l.text.starts_with('\t') {
            let mut off = l.start + 1;
            for part in l.text[1..].split('\t') {
                let n = part.chars().count();
                let trimmed = part.trim_end();
                cur.push((
                    trimmed.to_string(),
                    Span {
                        start: off,
                        end: off + trimmed.chars().count(),
                        line: l.no,
                        page: l.page,
                    },
                ));
                off += n + 1;
            }
        } else if l.blank() {
            if !cur.is_empty() {
                rows.push(std::mem::take(&mut cur));
            }
        } else {
            break;
        }
        j += 1;
    }
    if !cur.is_empty() {
        rows.push(cur);
    }
    if rows.len() < 2 {
        return None;
    }
    // Trailing blank lines belong to the text after the table.
    while j > i && lines[j - 1].blank() {
        j -= 1;
    }
    Some((
        TextTable {
            rows,
            infer_spans: true,
        },
        j,
    ))
}

fn split_cells(l: &Line, sep: char) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    let mut off = l.start;
    for part in l.text.split(|c| c == sep || (sep == '|' && c == '｜')) {
        let n = part.chars().count();
        let lead = part.chars().take_while(|c| c.is_whitespace()).count();
        let t = part.trim();
        out.push((
            t.to_string(),
            Span {
                start: off + lead,
                end: off + lead + t.chars().count(),
                line: l.no,
                page: l.page,
            },
        ));
        off += n + 1;
    }
    while out.last().is_some_and(|(t, _)| t.is_empty()) {
        out.pop();
    }
    out
}

/// Rows whose cells are separated by `sep` (tab or pipe): at least two lines with two or more
/// non-empty cells.
fn delimited_table(lines: &[Line], i: usize, sep: char) -> Option<(TextTable, usize)> {
    let is_row = |l: &Line| {
        let t = l.text.trim();
        let has_sep = if sep == '|' {
            t.contains(['|', '｜'])
        } else {
            t.contains(sep)
        };
        has_sep
            && split_cells(l, sep)
                .iter()
                .filter(|(c, _)| !c.is_empty())
                .count()
                >= 2
    };
    if !is_row(&lines[i]) {
        return None;
    }
    let mut j = i;
    let mut rows = Vec::new();
    // Lines with the separator but a single cell ("其中:离休人数 | ||||") stay in the table.
    while j < lines.len() {
        let l = &lines[j];
        let has_sep = l.text.contains(sep) || (sep == '|' && l.text.contains('｜'));
        if !has_sep || l.blank() {
            break;
        }
        if !is_row(l) && sep == '|' && l.text.trim().ends_with('|') && !l.text.contains("||") {
            // A form line "label |" is not a table row.
            break;
        }
        rows.push(split_cells(l, sep));
        j += 1;
    }
    let real = rows
        .iter()
        .filter(|r| r.iter().filter(|(c, _)| !c.is_empty()).count() >= 2)
        .count();
    if real < 2 {
        return None;
    }
    Some((
        TextTable {
            rows,
            infer_spans: true,
        },
        j,
    ))
}

/// Space-separated rows from PDF copies: a label and one or more numbers.
fn space_table(lines: &[Line], i: usize) -> Option<(TextTable, usize)> {
    let mut j = i;
    let mut rows = Vec::new();
    while j < lines.len() {
        match space_row(&lines[j]) {
            Some(r) => rows.push(r),
            None => break,
        }
        j += 1;
    }
    if rows.len() < 2 {
        return None;
    }
    Some((
        TextTable {
            rows,
            infer_spans: false,
        },
        j,
    ))
}

fn space_row(l: &Line) -> Option<Vec<(String, Span)>> {
    let t = l.text;
    if t.trim().is_empty()
        || t.contains(['，', '。', '；', '：', '\t', '|'])
        || t.chars().count() > 160
    {
        return None;
    }
    let wide = t.trim().contains("  ");
    // Tokens with their char offsets.
    let mut tokens: Vec<(String, usize)> = Vec::new();
    let mut cur = String::new();
    let mut cur_start = 0;
    let mut spaces = 0;
    for (ci, c) in t.chars().enumerate() {
        if c.is_whitespace() {
            spaces += 1;
            continue;
        }
        let breaks = if wide { spaces >= 2 } else { spaces >= 1 };
        if breaks && !cur.is_empty() {
            tokens.push((std::mem::take(&mut cur), cur_start));
        } else if spaces > 0 && !cur.is_empty() {
            cur.push(' ');
        }
        if cur.is_empty() {
            cur_start = ci;
        }
        cur.push(c);
        spaces = 0;
    }
    if !cur.is_empty() {
        tokens.push((cur, cur_start));
    }
    if tokens.len() < 2 {
        return None;
    }
    // A row has a number after its first token that is not a year ("2025 年度").
    let numbers = tokens
        .iter()
        .skip(1)
        .filter(|(s, _)| looks_numeric(s) && !is_year_like(s))
        .count();
    if numbers == 0 {
        return None;
    }
    // Single-space text rows must end in numbers, or "石泉路街道 2025 年度" would be a row.
    if !wide && !looks_numeric(&tokens.last()?.0) {
        return None;
    }
    // Join adjacent text tokens into one label cell.
    let mut cells: Vec<(String, Span)> = Vec::new();
    for (s, off) in tokens {
        let span = Span {
            start: l.start + off,
            end: l.start + off + s.chars().count(),
            line: l.no,
            page: l.page,
        };
        let prev_text = cells
            .last()
            .is_some_and(|(p, _)| !looks_numeric(p) && !is_code(p));
        if !wide && prev_text && !looks_numeric(&s) {
            let (p, sp) = cells.last_mut().unwrap();
            let gap = span.start - sp.end;
            p.push_str(&" ".repeat(gap));
            p.push_str(&s);
            sp.end = span.end;
        } else {
            cells.push((s, span));
        }
    }
    Some(cells)
}

fn is_year_like(s: &str) -> bool {
    s.len() == 4 && s.starts_with("20") && s.chars().all(|c| c.is_ascii_digit())
}

/// A budget classification code (201, 20105, 2010505) or an item number.
fn is_code(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty()
}

/// Converts found rows into a table: spans are inferred for collapsed merged headers, then
/// the grid is expanded and cells keep the spans of their text in the file.
pub(super) fn build_table(t: TextTable) -> crate::model::Table {
    let width = t.rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let raw = RawTable {
        rows: infer(&t, width)
            .into_iter()
            .map(|cells| RawRow { cells, page: None })
            .collect(),
        page: None,
    };
    let grid = expand_grid(&raw);
    // Walk the grid and the source cells together: origin cells take the next source cell.
    let mut rows = Vec::new();
    for (ri, gr) in grid.into_iter().enumerate() {
        let src = &t.rows[ri];
        let mut k = 0;
        let line = src.first().map(|c| c.1.line).unwrap_or(0);
        let page = src.first().and_then(|c| c.1.page);
        let mut cells = Vec::with_capacity(gr.len());
        for (text, merged_from) in gr {
            let span = if merged_from.is_none() && k < src.len() {
                let s = src[k].1;
                k += 1;
                s
            } else if merged_from.is_some() && is_vmerge_source(&t, ri, k) {
                // The empty source cell of a collapsed vertical merge stands here.
                let s = src[k].1;
                k += 1;
                s
            } else {
                let at = src.last().map(|c| c.1.end).unwrap_or(0);
                Span {
                    start: at,
                    end: at,
                    line,
                    page,
                }
            };
            cells.push(Cell {
                text,
                span,
                merged_from,
            });
        }
        rows.push(Row { cells, line, page });
    }
    finish_table(rows, None)
}

/// A header row written at full width marks a merged cell by leaving the cells it covers
/// empty: "年初预算数 | | " over "基本支出 | 项目支出 | 合计" spans three columns, and a
/// label over an empty cell of the next header row ("单位名称" over "") spans both rows.
fn full_width_header(out: &mut [Vec<RawCell>], ri: usize, width: usize) {
    let filled = |r: &[RawCell], j: usize| r.get(j).is_some_and(|c| !c.text.trim().is_empty());
    if out[ri + 1].len() != width || out[ri].iter().any(|c| c.colspan != 1) {
        return;
    }
    let mut spans = Vec::new();
    let mut j = 0;
    while j < width {
        if !filled(&out[ri], j) {
            j += 1;
            continue;
        }
        let mut n = 1;
        while j + n < width && !filled(&out[ri], j + n) && filled(&out[ri + 1], j + n) {
            n += 1;
        }
        // A span needs sub-headers under every column it covers.
        if n > 1 && (j..j + n).all(|c| filled(&out[ri + 1], c)) {
            spans.push((j, n));
        } else if !filled(&out[ri + 1], j) {
            out[ri + 1][j].vmerge_continue = true;
        }
        j += n;
    }
    // Covered cells go from the back so earlier indices stay valid.
    for &(j, n) in spans.iter().rev() {
        out[ri][j].colspan = n;
        out[ri].drain(j + 1..j + n);
    }
}

fn is_vmerge_source(t: &TextTable, ri: usize, k: usize) -> bool {
    t.infer_spans && t.rows[ri].get(k).is_some_and(|c| c.0.is_empty()) && t.rows[ri].len() > k
}

/// Word's export writes a merged header cell once: "单位名称 | 年初预算数（万元） | …" over
/// "| 基本支出 | 项目支出 | 合计 | …". Leading empty cells under a label continue it
/// downwards; the remaining labels share the remaining columns evenly when they divide.
fn infer(t: &TextTable, width: usize) -> Vec<Vec<RawCell>> {
    let mut out: Vec<Vec<RawCell>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(|(s, _)| RawCell::new(s.clone())).collect())
        .collect();
    if !t.infer_spans || width < 2 {
        return out;
    }
    let first_body = t
        .rows
        .iter()
        .position(|r| r.iter().skip(1).any(|(c, _)| looks_numeric(c)))
        .unwrap_or(t.rows.len());
    for ri in 0..first_body.min(out.len()) {
        // An empty cell between labels says the row was written at full width (its trailing
        // empty cells are gone), not collapsed the way Word's export writes it.
        let interior_gap = out[ri]
            .iter()
            .skip_while(|c| c.text.trim().is_empty())
            .skip_while(|c| !c.text.trim().is_empty())
            .any(|c| c.text.trim().is_empty());
        if interior_gap && out[ri].len() < width {
            out[ri].resize_with(width, || RawCell::new(""));
        }
        let k = out[ri].len();
        if k >= width {
            if ri + 1 < first_body.min(out.len()) {
                full_width_header(&mut out, ri, width);
            }
            continue;
        }
        let nonblank = out[ri].iter().filter(|c| !c.text.trim().is_empty()).count();
        if nonblank == 1 && k == 1 {
            out[ri][0].colspan = width;
            continue;
        }
        if k < 2 || ri + 1 >= out.len() || out[ri + 1].len() != width {
            continue;
        }
        let mut lead = 0;
        while lead < k && out[ri + 1][lead].text.trim().is_empty() && !out[ri][lead].text.is_empty()
        {
            lead += 1;
        }
        let m = k - lead;
        let rest = width - lead;
        if m > 0 && rest.is_multiple_of(m) {
            for c in out[ri].iter_mut().skip(lead) {
                c.colspan = rest / m;
            }
            for c in out[ri + 1].iter_mut().take(lead) {
                c.vmerge_continue = true;
            }
        }
    }
    out
}
