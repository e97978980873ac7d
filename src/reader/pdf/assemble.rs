//! Page items into blocks: running headers, footers and page numbers are dropped, lines are
//! joined into paragraphs, and a table that runs over a page break is joined to its start.

use std::collections::HashMap;

use super::layout::{join_pieces, Item, Line, PageTable};
use crate::model::{RawRow, RawTable, TextBuilder};

/// A page number line: "— 3 —", "- 3 -", "第3页", "3/9", a lone number.
fn is_page_number(s: &str) -> bool {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && !"-—–－―_~·.•".contains(*c))
        .collect();
    if t.is_empty() {
        return false;
    }
    if t.chars().all(|c| c.is_ascii_digit()) {
        return t.len() <= 4;
    }
    if t.chars().count() > 16 || !t.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"^(第\d{1,4}页)(共\d{1,4}页)?$|^共\d{1,4}页第\d{1,4}页$|^\d{1,4}/\d{1,4}$|^(?i:page)\d{1,4}(of\d{1,4})?$").ok()
    })
    .as_ref()
    .is_some_and(|r| r.is_match(&t))
}

/// A line that starts a list item or heading ("七、", "（3）", "2.", "第二部分") starts a
/// paragraph of its own.
fn starts_item(s: &str) -> bool {
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"^([一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、．.][^\d]|第[一二三四五六七八九十\d]{1,3}[部分章节条])").ok()
    })
    .as_ref()
    .is_some_and(|r| r.is_match(s))
}

fn mode(v: &[i32]) -> Option<i32> {
    let mut m: std::collections::HashMap<i32, usize> = Default::default();
    for &x in v {
        *m.entry(x).or_default() += 1;
    }
    m.into_iter().max_by_key(|&(k, n)| (n, -k)).map(|(k, _)| k)
}

struct Para {
    text: String,
    page: u32,
    /// The last line ran to the right margin without a closing mark: it may continue.
    open: bool,
    /// The last line does not end a sentence (or nearly fills the line): with paragraph
    /// spacing in use, a close next line continues it.
    open_spaced: bool,
}

enum Out {
    Para(Para),
    Table(RawTable, usize),
}

fn row_key(r: &RawRow) -> Vec<(String, usize, usize)> {
    r.cells
        .iter()
        .map(|c| (c.text.replace(' ', ""), c.colspan, c.rowspan))
        .collect()
}

/// Page items into blocks: header/footer dropped, lines into paragraphs, continued tables
/// joined.
pub(super) fn assemble(b: &mut TextBuilder, pages: Vec<(u32, Vec<Item>, f32, f32)>) {
    let mut out: Vec<Out> = Vec::new();
    let usual_right = usual_right(&pages);
    let running = Running::find(&pages);
    for (page, items, bottom, top) in pages {
        let items: Vec<Item> = items
            .into_iter()
            .filter(|it| match it {
                Item::Line(l) => {
                    !(in_margin(l, bottom, top)
                        && (is_page_number(&l.text) || running.contains(&margin_key(&l.text))))
                }
                _ => true,
            })
            .collect();
        let frame = Frame::of(&items, usual_right);
        place_items(&mut out, page, items, &frame);
    }
    for o in out {
        match o {
            Out::Para(p) => b.paragraph(&p.text, Some(p.page)),
            Out::Table(t, _) => b.table(t),
        }
    }
}

/// The usual right margin: a page of short lines (a table of contents) has no line that
/// reaches it, and its longest line must not count as full. It is taken over pages of
/// running text only: pages that hold a wide table and a caption (landscape table pages)
/// would put it past the text of portrait pages, and no text line would then fill.
fn usual_right(pages: &[(u32, Vec<Item>, f32, f32)]) -> f32 {
    let right_of = |items: &Vec<Item>| {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Line(l) => Some(l.x1),
                _ => None,
            })
            .reduce(f32::max)
    };
    let text_pages: Vec<f32> = pages
        .iter()
        .filter(|(_, items, _, _)| {
            items.iter().filter(|i| matches!(i, Item::Line(_))).count() >= 8
                && !items.iter().any(|i| matches!(i, Item::Table(_)))
        })
        .filter_map(|(_, items, _, _)| right_of(items))
        .collect();
    let mut rights: Vec<f32> = if text_pages.is_empty() {
        pages
            .iter()
            .filter_map(|(_, items, _, _)| right_of(items))
            .collect()
    } else {
        text_pages
    };
    rights.sort_by(f32::total_cmp);
    rights.get(rights.len() / 2).copied().unwrap_or(f32::MIN)
}

fn in_margin(l: &Line, bottom: f32, top: f32) -> bool {
    let h = (top - bottom).max(1.0);
    l.y < bottom + 0.12 * h || l.y > top - 0.1 * h
}

/// A margin line's text without its digits, so that a header that carries the page number
/// reads the same on every page.
fn margin_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_digit())
        .collect()
}

/// Running headers and footers: the same text (numbers aside) in the top or bottom
/// margin of many pages.
struct Running {
    /// Margin text → the number of pages it is on.
    seen: HashMap<String, usize>,
    n_pages: usize,
}

impl Running {
    fn find(pages: &[(u32, Vec<Item>, f32, f32)]) -> Running {
        let mut seen: HashMap<String, usize> = Default::default();
        for (_, items, bottom, top) in pages {
            let mut keys: Vec<String> = items
                .iter()
                .filter_map(|i| match i {
                    Item::Line(l) if in_margin(l, *bottom, *top) => Some(margin_key(&l.text)),
                    _ => None,
                })
                .filter(|k| !k.is_empty())
                .collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                *seen.entry(k).or_default() += 1;
            }
        }
        Running {
            seen,
            n_pages: pages.len(),
        }
    }

    fn contains(&self, k: &str) -> bool {
        self.seen
            .get(k)
            .is_some_and(|&n| n >= 3 && n * 3 >= self.n_pages)
    }
}

/// Where a page's text runs and how its lines are spaced: what tells a wrapped line from
/// the start of a new paragraph.
#[derive(Clone, Copy)]
struct Frame {
    left: f32,
    right: f32,
    center: f32,
    pitch: Option<f32>,
    spaced: bool,
}

impl Frame {
    fn of(items: &[Item], usual_right: f32) -> Frame {
        let lines: Vec<&Line> = items
            .iter()
            .filter_map(|i| match i {
                Item::Line(l) => Some(l),
                _ => None,
            })
            .collect();
        let left = lines.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
        let right = lines.iter().map(|l| l.x1).fold(usual_right, f32::max);
        let center = (left + right) / 2.0;
        // Line pitch: the most common baseline gap between consecutive lines of one size.
        let mut gaps: Vec<i32> = Vec::new();
        for w in items.windows(2) {
            if let (Item::Line(a), Item::Line(b)) = (&w[0], &w[1]) {
                let g = a.y - b.y;
                if (a.size - b.size).abs() < 0.2 * a.size && g > 0.8 * a.size && g < 3.0 * a.size {
                    gaps.push((g * 2.0).round() as i32);
                }
            }
        }
        let pitch = mode(&gaps).map(|g| g as f32 / 2.0);
        // Paragraph spacing in use: gaps clearly larger than the pitch but not section breaks.
        let spaced = pitch.is_some_and(|p| gaps.iter().any(|&g| (g as f32 / 2.0) > 1.3 * p));
        Frame {
            left,
            right,
            center,
            pitch,
            spaced,
        }
    }
}

/// Adds a page's items after those of the pages before: the page's first item may continue
/// the last table or paragraph of the page before.
fn place_items(out: &mut Vec<Out>, page: u32, items: Vec<Item>, frame: &Frame) {
    let mut first = true;
    let mut prev_line: Option<Line> = None;
    for it in items {
        match it {
            Item::Table(t) => {
                prev_line = None;
                place_table(out, t, page, first);
            }
            Item::Line(l) => {
                place_line(out, &l, page, prev_line.as_ref(), first, frame);
                prev_line = Some(l);
            }
        }
        first = false;
    }
}

fn place_table(out: &mut Vec<Out>, t: PageTable, page: u32, first: bool) {
    if first {
        if let Some(Out::Table(pt, ncols)) = out.last_mut() {
            if *ncols == t.ncols && continue_table(pt, &t, page) {
                return;
            }
        }
    }
    let ncols = t.ncols;
    let rows = t
        .rows
        .into_iter()
        .map(|r| RawRow {
            page: Some(page),
            ..r
        })
        .collect();
    out.push(Out::Table(
        RawTable {
            rows,
            page: Some(page),
        },
        ncols,
    ));
}

/// Joins the line to the paragraph before it when it continues it, else starts a paragraph.
fn place_line(
    out: &mut Vec<Out>,
    l: &Line,
    page: u32,
    prev_line: Option<&Line>,
    first: bool,
    frame: &Frame,
) {
    let Frame {
        left,
        right,
        center,
        pitch,
        spaced,
    } = *frame;
    let s = l.size.max(1.0);
    let fills = l.x1 >= right - 3.0 * s;
    let ends = l.text.ends_with(['。', '：', ':', '！', '？']);
    let at_left = l.x0 <= left + 1.0 * s;
    let centered = |x: &Line| {
        (((x.x0 + x.x1) / 2.0) - center).abs() < 1.5 * x.size && x.x0 > left + 2.0 * x.size
    };
    let joined = match (prev_line, out.last_mut()) {
        (Some(p), Some(Out::Para(para))) => {
            let gap = p.y - l.y;
            let same = (p.size - l.size).abs() < 0.2 * s;
            let close = match pitch {
                Some(pt) => gap > 0.0 && gap <= 1.2 * pt.max(1.0 * s),
                None => gap > 0.0 && gap < 1.8 * s,
            };
            let body = at_left
                && !(starts_item(&l.text) && p.x1 < right - 2.0 * s)
                && (if spaced { para.open_spaced } else { para.open } || pushed_over(p, l, right));
            let title = centered(p) && centered(l);
            if same && close && (body || title) {
                join_pieces(&mut para.text, &l.text);
                para.open = fills && !ends;
                para.open_spaced = !ends || l.x1 >= right - 5.0 * s;
                true
            } else {
                false
            }
        }
        (None, Some(Out::Para(para))) if first && para.open && at_left && para.page + 1 == page => {
            // A paragraph split by the page break.
            join_pieces(&mut para.text, &l.text);
            para.open = fills && !ends;
            para.open_spaced = !ends || l.x1 >= right - 5.0 * s;
            true
        }
        _ => false,
    };
    if !joined {
        out.push(Out::Para(Para {
            text: l.text.clone(),
            page,
            open: fills && !ends,
            open_spaced: !ends || l.x1 >= right - 5.0 * s,
        }));
    }
}

/// Whether a line starts with a number that did not fit at the end of the line before
/// ("…教育（类）支出" then "22,262.08万元，…"): the line before stops short of the margin
/// only because the number could not be broken.
fn pushed_over(prev: &Line, l: &Line, right: f32) -> bool {
    if prev
        .text
        .ends_with(['。', '！', '？', '：', ':', '；', ';'])
    {
        return false;
    }
    let token: Vec<char> = l
        .text
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '%'))
        .collect();
    if !token.first().is_some_and(char::is_ascii_digit) {
        return false;
    }
    let unit = l
        .text
        .chars()
        .skip(token.len())
        .take_while(|c| "万亿千元".contains(*c))
        .count();
    let width = (token.len() as f32 * 0.55 + unit as f32) * l.size;
    right - prev.x1 < width
}

/// Joins a table at the top of a page to the one that ended the previous page: repeated
/// title/header rows are dropped and a row split by the break is merged back. Returns false
/// when `t` is not a continuation (its first row is a different title).
fn continue_table(prev: &mut RawTable, t: &PageTable, page: u32) -> bool {
    let mut k = 0;
    while k < t.rows.len() && k < prev.rows.len() && row_key(&t.rows[k]) == row_key(&prev.rows[k]) {
        k += 1;
    }
    if k == 0 {
        // A full-width first row that differs from ours is another table's title.
        if let Some(r) = t.rows.first() {
            if r.cells.len() == 1 && t.ncols > 1 {
                return false;
            }
        }
    }
    let mut rows = t.rows[k..].iter().cloned();
    if let (Some(first), Some(last)) = (t.rows.get(k), prev.rows.last_mut()) {
        let simple = |r: &RawRow| r.cells.iter().all(|c| c.colspan == 1 && c.rowspan == 1);
        let empties = first.cells.iter().filter(|c| c.text.is_empty()).count();
        if first.cells.len() == last.cells.len()
            && simple(first)
            && simple(last)
            && first.cells.first().is_some_and(|c| c.text.is_empty())
            && last.cells.first().is_some_and(|c| !c.text.is_empty())
            && empties * 2 >= first.cells.len()
        {
            for (a, c) in last.cells.iter_mut().zip(&first.cells) {
                join_pieces(&mut a.text, &c.text);
            }
            rows.next();
        }
    }
    prev.rows.extend(rows.map(|r| RawRow {
        page: Some(page),
        ..r
    }));
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    fn line(t: &str, y: f32) -> Item {
        Item::Line(Line {
            text: t.into(),
            x0: 50.0,
            x1: 50.0 + 12.0 * t.chars().count() as f32,
            y,
            size: 12.0,
        })
    }

    fn table(rows: &[&[&str]], top: f32) -> Item {
        Item::Table(PageTable {
            rows: rows
                .iter()
                .map(|r| RawRow {
                    cells: r.iter().map(|t| crate::model::RawCell::new(*t)).collect(),
                    page: None,
                })
                .collect(),
            ncols: rows[0].len(),
            top,
        })
    }

    #[test]
    fn running_headers_dropped_and_tables_continue() {
        let pages = vec![
            (
                1,
                vec![
                    line("上海市财政局单位预算", 820.0),
                    line("正文", 700.0),
                    table(&[&["项目", "金额"], &["甲", "1"]], 600.0),
                    line("— 1 —", 30.0),
                ],
                0.0,
                842.0,
            ),
            (
                2,
                vec![
                    line("上海市财政局单位预算", 820.0),
                    table(&[&["项目", "金额"], &["", "（续）"], &["乙", "2"]], 740.0),
                    line("— 2 —", 30.0),
                ],
                0.0,
                842.0,
            ),
            (
                3,
                vec![
                    line("上海市财政局单位预算", 820.0),
                    line("结语", 700.0),
                    line("3", 30.0),
                ],
                0.0,
                842.0,
            ),
        ];
        let mut b = TextBuilder::new(Format::Pdf);
        assemble(&mut b, pages);
        let d = b.finish();
        let paras: Vec<&str> = d.paragraphs().map(|p| p.text.as_str()).collect();
        assert_eq!(paras, ["正文", "结语"]);
        let t: Vec<_> = d.tables().collect();
        assert_eq!(t.len(), 1);
        let rows: Vec<Vec<&str>> = t[0]
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(
            rows,
            [vec!["项目", "金额"], vec!["甲", "1（续）"], vec!["乙", "2"]]
        );
        assert_eq!(t[0].rows[2].page, Some(2));
    }

    #[test]
    fn list_items() {
        for s in [
            "七、财政拨款",
            "（3）负责",
            "2.组织编制",
            "第二部分 表",
            "1、依法",
        ] {
            assert!(starts_item(s), "{s}");
        }
        for s in ["2022年度", "1.5万元", "推进工业"] {
            assert!(!starts_item(s), "{s}");
        }
    }

    #[test]
    fn page_numbers() {
        for s in ["— 3 —", "- 3 -", "第3页", "3", "第 3 页 共 9 页", "3/9"] {
            assert!(is_page_number(s), "{s}");
        }
        for s in ["2022年", "一、概况", "12345"] {
            assert!(!is_page_number(s), "{s}");
        }
    }
}
