//! The document model every reader produces and everything downstream consumes.
//!
//! A [`Document`] is its extracted text plus an ordered list of [`Block`]s (paragraphs and
//! tables) that point into that text by character offsets and 1-based lines. Readers build it
//! through [`TextBuilder`], which renders each paragraph as one line and each table row as one
//! line of tab-separated cells; the plain-text reader instead keeps the file's own lines and
//! points its blocks at them, so that line numbers are the file's line numbers.

/// The input format a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Txt,
    Docx,
    Pdf,
    Html,
    /// A web archive (.mht/.mhtml) whose HTML part is read as HTML.
    Mht,
    /// A workbook: each sheet a table.
    Xlsx,
    Xls,
    Ods,
    /// Word 97–2003 binary (.doc).
    Doc,
    /// WPS 文字 (.wps): the Word binary format under WPS's name.
    Wps,
    /// OFD (GB/T 33190), the Chinese fixed-layout format.
    Ofd,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Mht => "mht",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Doc => "doc",
            Format::Wps => "wps",
            Format::Ofd => "ofd",
        }
    }
}

/// A run of text inside [`Document::text`]: character offsets (not bytes), 1-based line,
/// 1-based page for paged formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub page: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub text: String,
    pub span: Span,
}

/// One cell of an expanded table grid.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    pub text: String,
    pub span: Span,
    /// `Some((row, col))` when this grid position is covered by a merged cell whose text
    /// stands at `(row, col)`; such a cell has empty `text` and is never a figure of its own.
    pub merged_from: Option<(usize, usize)>,
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub line: usize,
    pub page: Option<u32>,
}

/// A table as a rectangular grid: merged cells are expanded so that every row has exactly
/// `columns.len()` cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// A caption taken from a full-width first row ("预算情况表"), when the table has one.
    pub title: Option<String>,
    /// Composed column labels from the header rows, top label first, joined by "/".
    pub columns: Vec<String>,
    /// How many of `rows` are header rows.
    pub header_rows: usize,
    pub rows: Vec<Row>,
    pub line: usize,
    pub page: Option<u32>,
}

impl Table {
    pub fn body(&self) -> &[Row] {
        &self.rows[self.header_rows.min(self.rows.len())..]
    }
    pub fn width(&self) -> usize {
        self.columns.len()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

/// What a reader gives back: the text that spans point into and the blocks in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub format: Format,
    pub text: String,
    pub blocks: Vec<Block>,
    /// Warnings a reader wants the user to see (a font without a Unicode map, say); the
    /// document is still usable.
    pub problems: Vec<String>,
    /// Set when the text was recognised from page images (OCR): the engine that read it.
    pub ocr: Option<String>,
}

impl Document {
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }
    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            _ => None,
        })
    }
}

/// A table as a reader first sees it: rows of raw cells, possibly with spans, before the grid
/// is expanded and the header composed.
#[derive(Debug, Clone, Default)]
pub struct RawTable {
    pub rows: Vec<RawRow>,
    pub page: Option<u32>,
}

#[derive(Debug, Clone, Default)]
pub struct RawRow {
    pub cells: Vec<RawCell>,
    pub page: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct RawCell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
    /// DOCX `vMerge` continuation: this cell continues the one above it.
    pub vmerge_continue: bool,
}

impl RawCell {
    pub fn new(text: impl Into<String>) -> Self {
        RawCell {
            text: text.into(),
            colspan: 1,
            rowspan: 1,
            vmerge_continue: false,
        }
    }
}

/// Builds a [`Document`] for formats whose text we render ourselves (DOCX, HTML, PDF).
pub struct TextBuilder {
    format: Format,
    text: String,
    chars: usize,
    line: usize,
    blocks: Vec<Block>,
    problems: Vec<String>,
}

impl TextBuilder {
    pub fn new(format: Format) -> Self {
        TextBuilder {
            format,
            text: String::new(),
            chars: 0,
            line: 1,
            blocks: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn push_line(&mut self, s: &str) -> (usize, usize, usize) {
        let start = self.chars;
        let line = self.line;
        self.text.push_str(s);
        self.chars += s.chars().count();
        let end = self.chars;
        self.text.push('\n');
        self.chars += 1;
        self.line += 1;
        (start, end, line)
    }

    /// Adds one paragraph; line breaks inside it are folded to spaces so that it stays one
    /// line. Empty paragraphs are skipped.
    pub fn paragraph(&mut self, text: &str, page: Option<u32>) {
        let clean: String = text
            .chars()
            .map(|c| {
                if c == '\n' || c == '\r' || c == '\t' {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let clean = clean.trim_end();
        if clean.trim().is_empty() {
            return;
        }
        let (start, end, line) = self.push_line(clean);
        self.blocks.push(Block::Paragraph(Paragraph {
            text: clean.to_string(),
            span: Span {
                start,
                end,
                line,
                page,
            },
        }));
    }

    /// Adds a table: expands spans into a grid, composes the header, renders each row as a
    /// line of tab-separated cells.
    pub fn table(&mut self, raw: RawTable) {
        let grid = expand_grid(&raw);
        if grid.is_empty() {
            return;
        }
        let pages: Vec<Option<u32>> = raw.rows.iter().map(|r| r.page.or(raw.page)).collect();
        let mut rows = Vec::with_capacity(grid.len());
        for (ri, cells) in grid.into_iter().enumerate() {
            let page = pages.get(ri).copied().flatten();
            let line = self.line;
            let mut out = Vec::with_capacity(cells.len());
            let mut rendered = String::new();
            let mut pos = self.chars;
            for (ci, (text, merged_from)) in cells.into_iter().enumerate() {
                if ci > 0 {
                    rendered.push('\t');
                    pos += 1;
                }
                let text: String = text
                    .chars()
                    .map(|c| {
                        if c == '\n' || c == '\t' || c == '\r' {
                            ' '
                        } else {
                            c
                        }
                    })
                    .collect();
                let n = text.chars().count();
                rendered.push_str(&text);
                out.push(Cell {
                    text,
                    span: Span {
                        start: pos,
                        end: pos + n,
                        line,
                        page,
                    },
                    merged_from,
                });
                pos += n;
            }
            self.push_line(&rendered);
            rows.push(Row {
                cells: out,
                line,
                page,
            });
        }
        let table = finish_table(rows, raw.page);
        self.blocks.push(Block::Table(table));
    }

    pub fn problem(&mut self, p: impl Into<String>) {
        self.problems.push(p.into());
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    pub fn finish(self) -> Document {
        Document {
            format: self.format,
            text: self.text,
            blocks: self.blocks,
            problems: self.problems,
            ocr: None,
        }
    }
}

type GridCell = (String, Option<(usize, usize)>);

/// Expands colspan/rowspan/vMerge into a rectangular grid. Covered positions get empty text
/// and point at their origin.
pub fn expand_grid(raw: &RawTable) -> Vec<Vec<GridCell>> {
    // Bound the grid: a hostile colspan must not allocate without limit.
    const MAX_SPAN: usize = 1000;
    let mut grid: Vec<Vec<Option<GridCell>>> = Vec::new();
    for (ri, row) in raw.rows.iter().enumerate() {
        if grid.len() <= ri {
            grid.push(Vec::new());
        }
        let mut ci = 0;
        for cell in &row.cells {
            while grid[ri].get(ci).is_some_and(|c| c.is_some()) {
                ci += 1;
            }
            let colspan = cell.colspan.clamp(1, MAX_SPAN);
            let rowspan = cell.rowspan.clamp(1, MAX_SPAN);
            if cell.vmerge_continue {
                // Find the origin above in this column.
                // The origin is the cell directly above, or the origin that one points to.
                let origin = ri.checked_sub(1).and_then(|up| match grid[up].get(ci) {
                    Some(Some((_, Some(o)))) => Some(*o),
                    Some(Some((_, None))) => Some((up, ci)),
                    _ => None,
                });
                for k in 0..colspan {
                    set(
                        &mut grid,
                        ri,
                        ci + k,
                        (String::new(), origin.or(Some((ri, ci)))),
                    );
                }
                ci += colspan;
                continue;
            }
            for dr in 0..rowspan {
                for dc in 0..colspan {
                    let v = if dr == 0 && dc == 0 {
                        (cell.text.clone(), None)
                    } else {
                        (String::new(), Some((ri, ci)))
                    };
                    set(&mut grid, ri + dr, ci + dc, v);
                }
            }
            ci += colspan;
        }
    }
    let width = grid.iter().map(|r| r.len()).max().unwrap_or(0);
    grid.into_iter()
        .map(|r| {
            let mut r: Vec<GridCell> = r
                .into_iter()
                .map(|c| c.unwrap_or_else(|| (String::new(), None)))
                .collect();
            r.resize(width, (String::new(), None));
            r
        })
        .collect()
}

fn set(grid: &mut Vec<Vec<Option<GridCell>>>, r: usize, c: usize, v: GridCell) {
    while grid.len() <= r {
        grid.push(Vec::new());
    }
    if grid[r].len() <= c {
        grid[r].resize(c + 1, None);
    }
    if grid[r][c].is_none() {
        grid[r][c] = Some(v);
    }
}

/// Whether a cell's text reads as a numeric value (an amount, a count, a percentage).
pub fn looks_numeric(s: &str) -> bool {
    let t = s.trim();
    if t.is_empty() {
        return false;
    }
    let mut digits = 0;
    for c in t.chars() {
        match c {
            '0'..='9' | '０'..='９' => digits += 1,
            '.' | ',' | '，' | '．' | '%' | '％' | '-' | '－' | '+' | ' ' | '—' => {}
            _ => return false,
        }
    }
    digits > 0
}

/// Turns expanded rows into a [`Table`]: takes off a title row, finds the header rows and
/// composes the column labels.
pub fn finish_table(mut rows: Vec<Row>, page: Option<u32>) -> Table {
    let line = rows.first().map(|r| r.line).unwrap_or(0);
    let page = rows.first().and_then(|r| r.page).or(page);
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let mut title = None;
    if width > 1 {
        if let Some(first) = rows.first() {
            let nonblank: Vec<(usize, &Cell)> = first
                .cells
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.is_blank())
                .collect();
            // A piece of one or two characters standing alone in an inner column, no wider
            // than its column, is the rest of a cut row (a PDF row that went on over a page
            // break: "…满意度指" + "标"), not a caption.
            let fragment = nonblank.first().is_some_and(|&(k, c)| {
                let spans = first.cells.iter().any(|x| x.merged_from == Some((0, k)));
                k > 0 && !spans && c.text.trim().chars().count() <= 2
            });
            if nonblank.len() == 1
                && !fragment
                && !looks_numeric(&nonblank[0].1.text)
                && rows.len() > 1
            {
                let nonblank: Vec<&Cell> = nonblank.into_iter().map(|(_, c)| c).collect();
                title = Some(nonblank[0].text.trim().to_string());
                rows.remove(0);
                // Merges that started in the title row no longer have an origin in the table.
                for r in rows.iter_mut() {
                    for c in r.cells.iter_mut() {
                        if let Some((or, oc)) = c.merged_from {
                            c.merged_from = if or == 0 { None } else { Some((or - 1, oc)) };
                        }
                    }
                }
            }
        }
    }
    let header_rows = count_header_rows(&rows);
    let columns = compose_columns(&rows, header_rows, width);
    Table {
        title,
        columns,
        header_rows,
        rows,
        line,
        page,
    }
}

/// Header rows are the leading rows with no numeric cell beyond the first column (a 序号
/// column holds numbers in body rows only). A table with no such row has no header.
fn count_header_rows(rows: &[Row]) -> usize {
    let mut n = 0;
    for r in rows {
        let numeric = r.cells.iter().skip(1).any(|c| looks_numeric(&c.text));
        if numeric {
            break;
        }
        n += 1;
    }
    if n == rows.len() {
        // No body row: call the first row the header when it has several labels.
        return usize::from(rows.len() > 1);
    }
    // Too many "header" rows usually means a text table (a form): keep at most three.
    n.min(3)
}

fn cell_label(rows: &[Row], r: usize, c: usize) -> String {
    let cell = &rows[r].cells[c];
    if let Some((or, oc)) = cell.merged_from {
        if let Some(o) = rows.get(or).and_then(|row| row.cells.get(oc)) {
            return o.text.trim().to_string();
        }
    }
    cell.text.trim().to_string()
}

fn compose_columns(rows: &[Row], header_rows: usize, width: usize) -> Vec<String> {
    // A header written without its merges: a group label above the last header row (收入,
    // 支出, 功能分类) spans the blank, unmerged cells to its right, up to the next label of
    // its row or of a row above.
    let merged = |r: usize, c: usize| {
        rows[r]
            .cells
            .get(c)
            .is_some_and(|x| x.merged_from.is_some())
    };
    let own = |r: usize, c: usize| {
        if c < rows[r].cells.len() {
            cell_label(rows, r, c)
        } else {
            String::new()
        }
    };
    let label = |r: usize, c: usize| -> String {
        let l = own(r, c);
        if !l.is_empty() || merged(r, c) || r + 1 >= header_rows {
            return l;
        }
        for k in (0..c).rev() {
            if (0..r).any(|up| !own(up, k + 1).is_empty()) {
                break;
            }
            let left = own(r, k);
            if !left.is_empty() {
                return left;
            }
        }
        l
    };
    (0..width)
        .map(|c| {
            let mut parts: Vec<String> = Vec::new();
            for (r, row) in rows.iter().enumerate().take(header_rows) {
                if c >= row.cells.len() {
                    continue;
                }
                let l = label(r, c);
                if !l.is_empty() && parts.last() != Some(&l) {
                    parts.push(l);
                }
            }
            parts.join("/")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(rows: Vec<Vec<RawCell>>) -> RawTable {
        RawTable {
            rows: rows
                .into_iter()
                .map(|cells| RawRow { cells, page: None })
                .collect(),
            page: None,
        }
    }

    fn span(t: &str, c: usize, r: usize) -> RawCell {
        RawCell {
            colspan: c,
            rowspan: r,
            ..RawCell::new(t)
        }
    }

    #[test]
    fn two_row_header_composes_labels() {
        let t = raw(vec![
            vec![span("表", 4, 1)],
            vec![span("单位", 1, 2), span("年初（万元）", 3, 1)],
            vec![
                RawCell::new("基本"),
                RawCell::new("项目"),
                RawCell::new("合计"),
            ],
            vec![
                RawCell::new("本级"),
                RawCell::new("1"),
                RawCell::new("2"),
                RawCell::new("3"),
            ],
        ]);
        let mut b = TextBuilder::new(Format::Html);
        b.table(t);
        let d = b.finish();
        let Block::Table(t) = &d.blocks[0] else {
            panic!()
        };
        assert_eq!(t.title.as_deref(), Some("表"));
        assert_eq!(t.header_rows, 2);
        assert_eq!(
            t.columns,
            vec![
                "单位",
                "年初（万元）/基本",
                "年初（万元）/项目",
                "年初（万元）/合计"
            ]
        );
        assert_eq!(t.body().len(), 1);
        let c = &t.body()[0].cells[3];
        let chars: Vec<char> = d.text.chars().collect();
        let s: String = chars[c.span.start..c.span.end].iter().collect();
        assert_eq!(s, "3");
    }

    #[test]
    fn a_lone_piece_in_an_inner_column_is_no_caption() {
        // The rest of a row cut by a page break ("…满意度指" + "标") stays a row.
        let t = raw(vec![
            vec![RawCell::new(""), RawCell::new("标"), RawCell::new("")],
            vec![
                RawCell::new("产出指标"),
                RawCell::new("数量指标"),
                RawCell::new("10"),
            ],
        ]);
        let mut b = TextBuilder::new(Format::Html);
        b.table(t);
        let d = b.finish();
        let Block::Table(t) = &d.blocks[0] else {
            panic!()
        };
        assert_eq!(t.title, None);
        assert_eq!(t.rows.len(), 2);
    }

    #[test]
    fn vmerge_points_to_origin() {
        let t = raw(vec![
            vec![RawCell::new("a"), RawCell::new("b")],
            vec![
                RawCell {
                    vmerge_continue: true,
                    ..RawCell::new("")
                },
                RawCell::new("1"),
            ],
        ]);
        let g = expand_grid(&t);
        assert_eq!(g[1][0], (String::new(), Some((0, 0))));
    }
}
