//! Plain-text reader: decodes UTF-8 / UTF-16 / GB18030 and finds the tables that text exports
//! carry, while keeping the file's own lines so that line numbers are the file's.
//!
//! Table shapes recognised:
//! - Word's text export: one cell per tab-indented line, a blank line between rows;
//! - tab-separated rows;
//! - `|`-separated rows;
//! - space-separated rows of a label followed by numbers (text copied from a PDF).

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

use crate::error::{ErrorKind, ReadError, Result};
use crate::model::{
    expand_grid, finish_table, looks_numeric, Block, Cell, Document, Format, Paragraph, RawCell,
    RawRow, RawTable, Row, Span,
};

/// Decodes the bytes to text, choosing the encoding from the BOM or the content.
pub fn decode(bytes: &[u8]) -> (String, &'static Encoding) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (s, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (s.into_owned(), enc);
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (s, _) = enc.decode_without_bom_handling(bytes);
        return (s.into_owned(), enc);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), UTF_8);
    }
    let (s, _) = GB18030.decode_without_bom_handling(bytes);
    (s.into_owned(), GB18030)
}

/// UTF-16 text without a BOM shows NULs in every other byte for ASCII characters.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let n = bytes.len().min(4096) & !1;
    if n < 8 {
        return None;
    }
    let (mut even, mut odd) = (0, 0);
    for (i, b) in bytes[..n].iter().enumerate() {
        if *b == 0 {
            if i % 2 == 0 {
                even += 1
            } else {
                odd += 1
            }
        }
    }
    let pairs = n / 2;
    if odd * 4 > pairs && even * 20 < pairs.max(1) {
        Some(UTF_16LE)
    } else if even * 4 > pairs && odd * 20 < pairs.max(1) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Whether the bytes are not text in any encoding we read: NULs or control characters
/// outside of UTF-16, or undecodable sequences in bulk.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if Encoding::for_bom(bytes).is_some() || utf16_without_bom(bytes).is_some() {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c) || b == 0x7f)
        .count();
    if controls * 100 > head.len() || head.contains(&0) {
        return true;
    }
    if std::str::from_utf8(bytes).is_ok() {
        return false;
    }
    let (s, _) = GB18030.decode_without_bom_handling(head);
    let bad = s.chars().filter(|&c| c == '\u{FFFD}').count();
    bad * 50 > s.chars().count().max(1)
}

/// One line of the decoded text.
struct Line<'a> {
    text: &'a str,
    /// Character offset of the line's first character.
    start: usize,
    /// 1-based line number.
    no: usize,
    page: Option<u32>,
}

impl Line<'_> {
    fn blank(&self) -> bool {
        self.text.trim().is_empty()
    }
    fn span(&self) -> Span {
        Span {
            start: self.start,
            end: self.start + self.text.chars().count(),
            line: self.no,
            page: self.page,
        }
    }
}

pub fn read(bytes: &[u8]) -> Result<Document> {
    let (raw, _enc) = decode(bytes);
    // CRLF and lone CR become LF: the line numbers are still the file's.
    let text = if raw.contains('\r') {
        raw.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        raw
    };
    if text.trim().is_empty() {
        return Err(ReadError::new(
            ErrorKind::Malformed,
            "文件中没有文字 / the file holds no text. 请检查导出是否完整 / check that the export is complete.",
        ));
    }
    let paged = text.contains('\u{c}');
    let mut lines = Vec::new();
    let mut pos = 0;
    let mut page = 1u32;
    for (i, l) in text.split('\n').enumerate() {
        let n = l.chars().count();
        // A form feed at the start of a line puts that line on the next page.
        let lead = l.chars().take_while(|&c| c == '\u{c}').count() as u32;
        page += lead;
        lines.push(Line {
            text: l,
            start: pos,
            no: i + 1,
            page: paged.then_some(page),
        });
        page += l.matches('\u{c}').count() as u32 - lead;
        pos += n + 1;
    }
    let blocks = segment(&lines);
    Ok(Document {
        format: Format::Txt,
        text,
        blocks,
        problems: Vec::new(),
    })
}

/// A table found in the text, as rows of cells with their own spans.
struct TextTable {
    rows: Vec<Vec<(String, Span)>>,
    /// Word's export collapses merged header cells: infer their spans.
    infer_spans: bool,
}

fn segment(lines: &[Line]) -> Vec<Block> {
    let paged = lines.iter().any(|l| l.page.is_some());
    let mut blocks = Vec::new();
    let mut i = 0;
    let mut para: Vec<usize> = Vec::new();
    while i < lines.len() {
        if let Some((t, next)) = word_export_table(lines, i)
            .or_else(|| delimited_table(lines, i, '\t'))
            .or_else(|| delimited_table(lines, i, '|'))
            .or_else(|| space_table(lines, i))
        {
            flush_paragraph(lines, &mut para, &mut blocks);
            blocks.push(Block::Table(build_table(t)));
            i = next;
            continue;
        }
        let l = &lines[i];
        // A page break in text copied from a PDF leaves a blank line inside a sentence.
        let mid_sentence = l.blank()
            && paged
            && para.last().is_some_and(|&p| {
                lines
                    .get(i + 1)
                    .is_some_and(|n| !n.blank() && continues(&lines[p], n))
            });
        if mid_sentence {
            i += 1;
            continue;
        }
        if l.blank() {
            flush_paragraph(lines, &mut para, &mut blocks);
        } else {
            if let Some(&prev) = para.last() {
                if !continues(&lines[prev], l) {
                    flush_paragraph(lines, &mut para, &mut blocks);
                }
            }
            para.push(i);
        }
        i += 1;
    }
    flush_paragraph(lines, &mut para, &mut blocks);
    blocks
}

/// Whether `next` continues the paragraph of `prev`: text wrapped at a fixed width (PDF
/// copies) has long lines that stop mid-sentence; a heading or list item starts anew.
fn continues(prev: &Line, next: &Line) -> bool {
    let p = prev.text.trim_end();
    let n = next.text.trim_start();
    if p.chars().count() < 20 || p.ends_with('|') || n.ends_with('|') {
        return false;
    }
    // Text wrapped at a fixed width breaks lines anywhere, after a colon too.
    if p.ends_with(['。', '！', '？']) {
        return false;
    }
    !starts_like_heading(n)
}

fn starts_like_heading(s: &str) -> bool {
    let mut cs = s.chars();
    let Some(c0) = cs.next() else { return true };
    let numerals = "一二三四五六七八九十";
    if matches!(c0, '（' | '(') {
        // "（一）" "（1）" start items; "（项）”105.65" continues a wrapped label.
        return cs
            .next()
            .is_some_and(|c| c.is_ascii_digit() || numerals.contains(c));
    }
    if matches!(c0, '第' | '•' | '●' | '-' | '—') {
        return true;
    }
    if c0.is_ascii_digit() || numerals.contains(c0) {
        // "3、" "2." "（1）" start items; "3.39 万元" is a number that wrapped.
        let cs: Vec<char> = s.chars().collect();
        let k = cs
            .iter()
            .take_while(|c| c.is_ascii_digit() || numerals.contains(**c))
            .count();
        return match cs.get(k) {
            Some('、' | ')' | '）') => true,
            Some('.' | '．') => !cs.get(k + 1).is_some_and(|c| c.is_ascii_digit()),
            _ => false,
        };
    }
    false
}

fn flush_paragraph(lines: &[Line], para: &mut Vec<usize>, blocks: &mut Vec<Block>) {
    if para.is_empty() {
        return;
    }
    let first = &lines[para[0]];
    let last = &lines[*para.last().unwrap()];
    // A form line of the shape "label |" keeps its text without the separator.
    let mut end = last.span().end;
    // The exact text between the first and last line, blank lines skipped at page breaks
    // included, so that offsets inside the paragraph are offsets in the document.
    let mut body = String::new();
    for (k, l) in lines[para[0]..=*para.last().unwrap()].iter().enumerate() {
        if k > 0 {
            body.push('\n');
        }
        body.push_str(l.text);
    }
    let trimmed = body.trim_end_matches([' ', '|', '｜', '\t', '\u{c}']);
    end -= body.chars().count() - trimmed.chars().count();
    blocks.push(Block::Paragraph(Paragraph {
        text: trimmed.to_string(),
        span: Span {
            start: first.start,
            end,
            line: first.no,
            page: first.page,
        },
    }));
    para.clear();
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
fn build_table(t: TextTable) -> crate::model::Table {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Document {
        read(s.as_bytes()).unwrap()
    }

    fn slice(d: &Document, sp: Span) -> String {
        d.text
            .chars()
            .skip(sp.start)
            .take(sp.end - sp.start)
            .collect()
    }

    #[test]
    fn decodes_bom_utf16_and_gbk() {
        let s = "年初预算1,045.63万元";
        let (gbk, _, _) = GB18030.encode(s);
        assert_eq!(decode(&gbk).0, s);
        let mut le = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            le.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&le).0, s);
        let mut be = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decode(&be).0, s);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend(s.as_bytes());
        assert_eq!(decode(&bom).0, s);
    }

    #[test]
    fn binary_is_recognised() {
        let noise: Vec<u8> = (0..4000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert!(looks_binary(&noise));
        assert!(!looks_binary("普通文本\n第二行".as_bytes()));
    }

    #[test]
    fn word_export_table_with_collapsed_header() {
        let s = "前言\n\n\t表一\n\n\t单位\n\t甲（万元）\n\t乙（万元）\n\n\t\n\t基本\n\t合计\n\t基本\n\t合计\n\n\t本级\n\t1\n\t2\n\t3\n\t4\n\n后记\n";
        let d = doc(s);
        let t = d.tables().next().unwrap();
        assert_eq!(t.title.as_deref(), Some("表一"));
        assert_eq!(
            t.columns,
            vec![
                "单位",
                "甲（万元）/基本",
                "甲（万元）/合计",
                "乙（万元）/基本",
                "乙（万元）/合计"
            ]
        );
        assert_eq!(t.body().len(), 1);
        let c = &t.body()[0].cells[4];
        assert_eq!(c.text, "4");
        assert_eq!(slice(&d, c.span), "4");
        assert_eq!(c.span.line, 19);
        let paras: Vec<_> = d.paragraphs().map(|p| p.text.as_str()).collect();
        assert_eq!(paras, vec!["前言", "后记"]);
    }

    #[test]
    fn pipe_and_tab_and_space_tables() {
        let d = doc("项目 | 合计 | 行政\n编制数 | 34 | 34 | ||\n在职 | 32 | 32\n");
        let t = d.tables().next().unwrap();
        assert_eq!(t.body().len(), 2);
        assert_eq!(slice(&d, t.body()[0].cells[1].span), "34");

        let d = doc("名称\t金额\n甲\t1.5\n乙\t2\n");
        assert_eq!(d.tables().next().unwrap().body().len(), 2);

        // Full-width two-row headers: empty cells continue the label before or above them.
        for sep in ["\t", " | "] {
            let src = [
                ["单位名称", "年初预算数", "", "", "全年预算数", ""],
                ["", "基本支出", "项目支出", "合计", "基本支出", "项目支出"],
                ["本级", "1", "2", "3", "4", "5"],
            ]
            .map(|r| r.join(sep))
            .join("\n");
            let d = doc(&src);
            let t = d.tables().next().unwrap();
            assert_eq!(t.body().len(), 1, "{sep:?}");
            let heads: Vec<_> = t.columns.iter().map(String::as_str).collect();
            assert_eq!(
                heads,
                [
                    "单位名称",
                    "年初预算数/基本支出",
                    "年初预算数/项目支出",
                    "年初预算数/合计",
                    "全年预算数/基本支出",
                    "全年预算数/项目支出"
                ],
                "{sep:?}"
            );
            assert_eq!(slice(&d, t.body()[0].cells[5].span), "5");
        }

        let d = doc("说明文字。\n212 城乡社区支出 13.48 1.51 2.97\n21201 城乡社区管理事务 12.15 1.51 1.64\n");
        let t = d.tables().next().unwrap();
        assert_eq!(t.rows[0].cells[1].text, "城乡社区支出");
        assert_eq!(slice(&d, t.rows[1].cells[4].span), "1.64");
    }

    #[test]
    fn form_lines_are_paragraphs_and_crlf_keeps_lines() {
        let d = doc("项目名称 |\r\n工资性支出 |\r\n");
        let p: Vec<_> = d
            .paragraphs()
            .map(|p| (p.text.clone(), p.span.line))
            .collect();
        assert_eq!(p, vec![("项目名称".into(), 1), ("工资性支出".into(), 2)]);
    }

    #[test]
    fn wrapped_lines_join_and_pages_follow_form_feeds() {
        let d =
            doc("年初预算为一二三四五六七八九十一二三四五六七八九十\n274.82 万元。\n\u{c}第二页\n");
        let p: Vec<_> = d.paragraphs().collect();
        assert_eq!(p.len(), 2);
        assert!(p[0].text.contains("\n274.82"));
        assert_eq!(p[1].span.page, Some(2));
        assert_eq!(p[1].span.line, 3);
    }
}
