//! The dataset people open in Excel: a wide table (one row per document, one column per
//! canonical key of [`crate::keys::KEYS`]) and a long table (one row per figure), written as
//! CSV (UTF-8 with a byte-order mark, which Excel needs to read Chinese) or as one XLSX
//! workbook with both tables as sheets.

use std::io::Write;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::keys::KEYS;
use crate::report::{DocumentRecord, FigureRecord, Status};

/// The columns of the wide table before the keys.
pub const WIDE_FIXED: &[&str] = &[
    "path",
    "department",
    "year",
    "kind",
    "status",
    "error",
    "multi_valued",
];

/// The columns of the long table.
pub const LONG_HEADER: &[&str] = &[
    "document",
    "key",
    "label",
    "value",
    "unit",
    "value_wan",
    "qualifiers",
    "year",
    "page",
    "line",
    "table",
    "row",
    "column",
];

/// The columns of the findings table (`check --format csv|xlsx`): the document's columns,
/// then one finding; a document without findings has one row with the finding's columns
/// empty, so every document checked is in the table.
pub const FINDINGS_HEADER: &[&str] = &[
    "document",
    "department",
    "year",
    "kind",
    "status",
    "errors",
    "warnings",
    "code",
    "name",
    "severity",
    "confidence",
    "message",
    "arithmetic",
    "page",
    "line",
    "evidence",
];

/// A document's rows of the findings table.
pub fn findings_rows(r: &DocumentRecord) -> Vec<Vec<Cell>> {
    let doc = || {
        vec![
            Cell::text(&r.path),
            Cell::text(r.meta.department.as_deref().unwrap_or("")),
            Cell::opt_num(r.meta.year),
            Cell::text(r.meta.kind.as_deref().unwrap_or("")),
            Cell::text(status_word(r.status)),
            Cell::Number(r.errors().to_string()),
            Cell::Number(r.warnings().to_string()),
        ]
    };
    if r.findings.is_empty() {
        let mut row = doc();
        let why = r
            .error
            .as_ref()
            .map_or(String::new(), |e| e.message.clone());
        row.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]);
        row.push(Cell::text(&why));
        row.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]);
        return vec![row];
    }
    r.findings
        .iter()
        .map(|f| {
            let mut row = doc();
            let evidence: Vec<String> = f
                .evidence
                .iter()
                .map(|e| match e.page {
                    Some(p) => format!("第{}页第{}行 {}：{}", p, e.line, e.value, e.text),
                    None => format!("第{}行 {}：{}", e.line, e.value, e.text),
                })
                .collect();
            row.extend([
                Cell::text(&f.code),
                Cell::text(&f.name),
                Cell::text(&f.severity),
                Cell::text(&f.confidence),
                Cell::text(&f.message),
                Cell::text(f.arithmetic.as_deref().unwrap_or("")),
                Cell::opt_num(f.page),
                Cell::Number(f.line.to_string()),
                Cell::text(&evidence.join("\n")),
            ]);
            row
        })
        .collect()
}

/// Separates the different values a document states for one key, in the wide table.
pub const CONFLICT_SEPARATOR: &str = " | ";

/// One cell: numbers are kept as the decimal string the record holds, so that CSV shows
/// them as written and XLSX can store a number with as many decimals as the report wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(String),
}

impl Cell {
    fn opt_num<T: ToString>(v: Option<T>) -> Cell {
        v.map_or(Cell::Empty, |v| Cell::Number(v.to_string()))
    }
    fn text(s: &str) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.to_string())
        }
    }
}

pub fn wide_header() -> Vec<String> {
    WIDE_FIXED
        .iter()
        .chain(KEYS.iter())
        .map(|s| s.to_string())
        .collect()
}

/// The value of a figure in the dataset: money in 万元, anything else as written.
fn dataset_value(f: &FigureRecord) -> &str {
    f.value_wan.as_deref().unwrap_or(&f.value)
}

/// The cell of one key: its value when every statement of it agrees, every distinct value
/// joined with [`CONFLICT_SEPARATOR`] (in order of first appearance) when they do not, so
/// that a disagreement shows instead of an arbitrary pick. Values compare as numbers:
/// "100" and "100.00" are one value. The wide table keeps key columns numeric: a key with
/// several values leaves its column empty and is listed in `multi_valued`.
pub fn key_cell<'a>(figures: impl Iterator<Item = &'a FigureRecord>) -> Cell {
    let mut distinct: Vec<(&str, Option<Decimal>)> = Vec::new();
    for f in figures {
        let v = dataset_value(f);
        let n = Decimal::from_str(v).ok();
        let seen = distinct.iter().any(|(s, m)| match (m, n) {
            (Some(a), Some(b)) => *a == b,
            _ => *s == v,
        });
        if !seen {
            distinct.push((v, n));
        }
    }
    match distinct.as_slice() {
        [] => Cell::Empty,
        [(v, Some(_))] => Cell::Number(v.to_string()),
        [(v, None)] => Cell::text(v),
        many => Cell::Text(
            many.iter()
                .map(|(v, _)| *v)
                .collect::<Vec<_>>()
                .join(CONFLICT_SEPARATOR),
        ),
    }
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Ok => "ok",
        Status::Error => "error",
        Status::Skipped => "skipped",
    }
}

pub fn wide_row(r: &DocumentRecord) -> Vec<Cell> {
    let status = status_word(r.status);
    let mut row = vec![
        Cell::text(&r.path),
        Cell::text(r.meta.department.as_deref().unwrap_or("")),
        Cell::opt_num(r.meta.year),
        Cell::text(r.meta.kind.as_deref().unwrap_or("")),
        Cell::text(status),
        Cell::text(r.error.as_ref().map_or("", |e| e.kind.as_str())),
    ];
    let mut multi = Vec::new();
    let mut keys = Vec::with_capacity(KEYS.len());
    for key in KEYS {
        match key_cell(r.figures.iter().filter(|f| f.key.as_deref() == Some(key))) {
            Cell::Text(v) if v.contains(CONFLICT_SEPARATOR) => {
                multi.push(format!("{key}: {v}"));
                keys.push(Cell::Empty);
            }
            c => keys.push(c),
        }
    }
    row.push(Cell::text(&multi.join("; ")));
    row.extend(keys);
    row
}

pub fn long_rows(r: &DocumentRecord) -> impl Iterator<Item = Vec<Cell>> + '_ {
    r.figures.iter().map(move |f| {
        let num = |s: &str| {
            if Decimal::from_str(s).is_ok() {
                Cell::Number(s.to_string())
            } else {
                Cell::text(s)
            }
        };
        vec![
            Cell::text(&r.path),
            Cell::text(f.key.as_deref().unwrap_or("")),
            Cell::text(&f.label),
            num(&f.value),
            Cell::text(&f.unit),
            f.value_wan.as_deref().map_or(Cell::Empty, num),
            Cell::text(&f.qualifiers.join("、")),
            Cell::opt_num(f.year),
            Cell::opt_num(f.page),
            Cell::Number(f.line.to_string()),
            Cell::opt_num(f.table.map(|c| c.table)),
            Cell::opt_num(f.table.map(|c| c.row)),
            Cell::opt_num(f.table.map(|c| c.column)),
        ]
    })
}

/// A text cell that a spreadsheet would take for a formula (`=`, `+`, `-`, `@` first) gets a
/// leading apostrophe: document text must not run as a formula when the CSV is opened.
/// Numbers are never text cells, so "-5" stays a number.
pub fn guard_formula(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

fn csv_field(c: &Cell) -> std::borrow::Cow<'_, str> {
    match c {
        Cell::Empty => "".into(),
        Cell::Text(s) => guard_formula(s),
        Cell::Number(s) => s.as_str().into(),
    }
}

/// The tables a CSV can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// One row per document, one column per key.
    Wide,
    /// One row per figure.
    Long,
    /// One row per finding.
    Findings,
}

/// A table as CSV: UTF-8 with a byte-order mark and CRLF line ends, as Excel expects.
pub fn write_csv(w: &mut dyn Write, records: &[DocumentRecord], t: Table) -> std::io::Result<()> {
    csv_start(w, t)?;
    for r in records {
        csv_rows(w, r, t)?;
    }
    Ok(())
}

/// The byte-order mark (Excel opens UTF-8 CSV as Chinese only with it) and the header row.
pub fn csv_start(w: &mut dyn Write, t: Table) -> std::io::Result<()> {
    w.write_all("\u{feff}".as_bytes())?;
    let mut out = csv_writer(w);
    match t {
        Table::Long => out.write_record(LONG_HEADER)?,
        Table::Wide => out.write_record(wide_header())?,
        Table::Findings => out.write_record(FINDINGS_HEADER)?,
    }
    out.flush()
}

/// The Chinese names of a table's columns, for the second header row `--zh-header` adds
/// (a column without one repeats its key).
pub fn zh_header(t: Table) -> Vec<String> {
    let heads: Vec<String> = match t {
        Table::Long => LONG_HEADER.iter().map(|s| s.to_string()).collect(),
        Table::Wide => wide_header(),
        Table::Findings => FINDINGS_HEADER.iter().map(|s| s.to_string()).collect(),
    };
    heads
        .iter()
        .map(|h| column_note(h).unwrap_or_else(|| h.clone()))
        .collect()
}

/// The second header row of Chinese names, as CSV.
pub fn csv_zh_header(w: &mut dyn Write, t: Table) -> std::io::Result<()> {
    let mut out = csv_writer(w);
    out.write_record(zh_header(t))?;
    out.flush()
}

/// One document's rows of the table.
pub fn csv_rows(w: &mut dyn Write, r: &DocumentRecord, t: Table) -> std::io::Result<()> {
    let mut out = csv_writer(w);
    let mut put = |row: Vec<Cell>| {
        let fields: Vec<_> = row.iter().map(csv_field).collect();
        out.write_record(fields.iter().map(|f| f.as_bytes()))
    };
    match t {
        Table::Long => {
            for row in long_rows(r) {
                put(row)?;
            }
        }
        Table::Wide => put(wide_row(r))?,
        Table::Findings => {
            for row in findings_rows(r) {
                put(row)?;
            }
        }
    }
    out.flush()
}

fn csv_writer(w: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w)
}

/// Excel's limit on the characters of one cell.
const XLSX_MAX_CHARS: usize = 32767;

/// Number formats showing as many decimals as the report wrote (up to 10).
struct NumFormats(Vec<Format>);

impl NumFormats {
    fn new() -> Self {
        NumFormats(
            (0..=10)
                .map(|d| {
                    if d == 0 {
                        Format::new().set_num_format("0")
                    } else {
                        Format::new().set_num_format(format!("0.{}", "0".repeat(d)))
                    }
                })
                .collect(),
        )
    }
    fn for_value(&self, s: &str) -> &Format {
        let decimals = s.split_once('.').map_or(0, |(_, f)| f.len());
        &self.0[decimals.min(self.0.len() - 1)]
    }
}

fn xlsx_text(s: &str) -> String {
    // Control characters other than tab and line feed are not allowed in XLSX's XML.
    let clean: String = s
        .chars()
        .map(|c| {
            if c.is_control() && c != '\t' && c != '\n' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    if clean.chars().count() > XLSX_MAX_CHARS {
        clean.chars().take(XLSX_MAX_CHARS - 1).collect::<String>() + "…"
    } else {
        clean
    }
}

/// Excel holds at most 1,048,576 rows a sheet: a table goes on in a new sheet ("figures 2")
/// after this many rows.
pub const XLSX_ROWS_PER_SHEET: u32 = 1_000_000;

/// One table of a streamed workbook: its sheets so far and the next row of the last one.
struct StreamSheet {
    name: &'static str,
    header: Vec<String>,
    /// Chinese names of the header's columns, as notes on the header cells.
    notes: Vec<Option<String>>,
    sheets: Vec<usize>,
    next_row: u32,
}

/// The workbook written one document at a time, each sheet in constant-memory mode (rows go
/// to a temporary file as they are written), so that memory does not grow with the batch.
pub struct XlsxStream {
    wb: Workbook,
    nums: NumFormats,
    tables: Vec<StreamSheet>,
    rows_per_sheet: u32,
}

/// The Chinese name of a column of the dataset, where it has one.
fn column_note(h: &str) -> Option<String> {
    let fixed = match h {
        "path" | "document" => "文件",
        "department" => "部门（单位）",
        "year" => "年度",
        "kind" => "报告种类",
        "status" => "状态",
        "error" => "无法读取的原因",
        "multi_valued" => "一个指标写作多个数值（该指标列留空）",
        "key" => "指标",
        "label" => "原文标签",
        "value" => "数值",
        "unit" => "单位",
        "value_wan" => "数值（万元）",
        "code" => "检查代码",
        "severity" => "严重程度",
        "message" => "说明",
        "arithmetic" => "算式",
        "evidence" => "原文",
        "page" => "页",
        "line" => "行",
        _ => "",
    };
    if !fixed.is_empty() {
        return Some(fixed.to_string());
    }
    let zh = crate::check::key_name(h);
    (zh != h).then(|| zh.to_string())
}

impl XlsxStream {
    /// Sheets `documents`, with `findings` the sheet `findings`, and `figures`.
    pub fn new(findings: bool) -> Result<Self, XlsxError> {
        Self::with_rows_per_sheet(findings, XLSX_ROWS_PER_SHEET)
    }

    /// As [`XlsxStream::new`], with another sheet size (tests).
    pub fn with_rows_per_sheet(findings: bool, rows: u32) -> Result<Self, XlsxError> {
        let strings = |h: &[&str]| h.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut tables = vec![("documents", wide_header())];
        if findings {
            tables.push(("findings", strings(FINDINGS_HEADER)));
        }
        tables.push(("figures", strings(LONG_HEADER)));
        let mut s = XlsxStream {
            wb: Workbook::new(),
            nums: NumFormats::new(),
            tables: tables
                .into_iter()
                .map(|(name, header)| StreamSheet {
                    name,
                    notes: header.iter().map(|h| column_note(h)).collect(),
                    header,
                    sheets: Vec::new(),
                    next_row: 0,
                })
                .collect(),
            rows_per_sheet: rows.max(1),
        };
        for t in 0..s.tables.len() {
            s.new_sheet(t)?;
        }
        Ok(s)
    }

    fn new_sheet(&mut self, t: usize) -> Result<(), XlsxError> {
        let index = self.wb.worksheets().len();
        let table = &mut self.tables[t];
        let part = table.sheets.len() + 1;
        let ws = self.wb.add_worksheet_with_constant_memory()?;
        if part == 1 {
            ws.set_name(table.name)?;
        } else {
            ws.set_name(format!("{} {part}", table.name))?;
        }
        // Widths go before any row in constant-memory mode.
        for (c, h) in table.header.iter().enumerate() {
            let w = match h.as_str() {
                "path" | "document" | "message" | "evidence" | "multi_valued" => 40.0,
                "department" | "label" | "arithmetic" => 24.0,
                _ => 12.0,
            };
            ws.set_column_width(c as u16, w)?;
        }
        let bold = Format::new().set_bold();
        for (c, h) in table.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
            if let Some(zh) = &table.notes[c] {
                ws.insert_note(
                    0,
                    c as u16,
                    &rust_xlsxwriter::Note::new(zh).set_author("reportlint"),
                )?;
            }
        }
        ws.set_freeze_panes(1, 0)?;
        table.sheets.push(index);
        table.next_row = 1;
        Ok(())
    }

    fn put(&mut self, t: usize, row: &[Cell]) -> Result<(), XlsxError> {
        if self.tables[t].next_row > self.rows_per_sheet {
            self.new_sheet(t)?;
        }
        let table = &mut self.tables[t];
        let r = table.next_row;
        table.next_row += 1;
        let index = *table.sheets.last().unwrap();
        let ws = self.wb.worksheet_from_index(index)?;
        write_row(ws, r, row, &self.nums)
    }

    /// Adds one document's rows to every table.
    pub fn record(&mut self, r: &DocumentRecord) -> Result<(), XlsxError> {
        self.put(0, &wide_row(r))?;
        let last = self.tables.len() - 1;
        if self.tables.len() == 3 {
            for row in findings_rows(r) {
                self.put(1, &row)?;
            }
        }
        for row in long_rows(r) {
            self.put(last, &row)?;
        }
        Ok(())
    }

    /// Writes the workbook.
    pub fn finish(mut self, w: &mut dyn Write) -> Result<(), XlsxError> {
        for t in &self.tables {
            let cols = t.header.len().saturating_sub(1) as u16;
            for (k, &index) in t.sheets.iter().enumerate() {
                let last = if k + 1 == t.sheets.len() {
                    t.next_row - 1
                } else {
                    self.rows_per_sheet
                };
                let ws = self.wb.worksheet_from_index(index)?;
                ws.autofilter(0, 0, last, cols)?;
            }
        }
        // Saved to a temporary file and copied, not built in memory: the zip of a large
        // batch is hundreds of MB.
        let tmp = std::env::temp_dir().join(format!(
            "reportlint-{}-{:?}.xlsx",
            std::process::id(),
            std::thread::current().id()
        ));
        let saved = self.wb.save(&tmp).and_then(|()| {
            let mut f = std::fs::File::open(&tmp)?;
            std::io::copy(&mut f, w)?;
            Ok(())
        });
        let _ = std::fs::remove_file(&tmp);
        saved
    }
}

fn write_row(ws: &mut Worksheet, r: u32, row: &[Cell], nums: &NumFormats) -> Result<(), XlsxError> {
    for (c, cell) in row.iter().enumerate() {
        let c = c as u16;
        match cell {
            Cell::Empty => {}
            Cell::Text(s) => {
                ws.write_string(r, c, xlsx_text(s))?;
            }
            Cell::Number(s) => match s.parse::<f64>() {
                Ok(v) if v.is_finite() => {
                    ws.write_number_with_format(r, c, v, nums.for_value(s))?;
                }
                _ => {
                    ws.write_string(r, c, xlsx_text(s))?;
                }
            },
        }
    }
    Ok(())
}

/// The workbook: sheet `documents` (the wide table), with `findings` sheet `findings` (one
/// row per finding), and sheet `figures` (the long table).
pub fn xlsx_bytes(records: &[DocumentRecord], findings: bool) -> Result<Vec<u8>, XlsxError> {
    let mut s = XlsxStream::new(findings)?;
    for r in records {
        s.record(r)?;
    }
    let mut out = Vec::new();
    s.finish(&mut out)?;
    Ok(out)
}

pub fn write_xlsx(
    w: &mut dyn Write,
    records: &[DocumentRecord],
    findings: bool,
) -> std::io::Result<()> {
    let bytes = xlsx_bytes(records, findings).map_err(std::io::Error::other)?;
    w.write_all(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(key: &str, value: &str, wan: Option<&str>) -> FigureRecord {
        FigureRecord {
            key: Some(key.into()),
            label: "年初预算".into(),
            value: value.into(),
            unit: if wan.is_some() { "万元" } else { "人" }.into(),
            value_wan: wan.map(Into::into),
            qualifiers: vec![],
            year: None,
            line: 1,
            page: None,
            start: 0,
            end: 1,
            table: None,
            pattern: None,
            section: None,
            scope: None,
        }
    }

    #[test]
    fn a_key_stated_with_two_values_shows_both_once() {
        let figs = [
            fig("budget.initial", "1000.5", Some("1000.5")),
            fig("budget.initial", "10005000", Some("1000.5")),
            fig("budget.initial", "1200.3", Some("1200.3")),
            fig("budget.initial", "1000.500", Some("1000.500")),
        ];
        assert_eq!(key_cell(figs.iter()), Cell::Text("1000.5 | 1200.3".into()));
    }

    #[test]
    fn money_is_in_wan_and_repeats_show_once() {
        let figs = [
            fig("budget.initial", "10005000", Some("1000.5")),
            fig("budget.initial", "1000.5", Some("1000.5")),
        ];
        assert_eq!(key_cell(figs.iter()), Cell::Number("1000.5".into()));
        assert_eq!(
            key_cell([fig("staff.actual", "45", None)].iter()),
            Cell::Number("45".into())
        );
        assert_eq!(key_cell([].iter()), Cell::Empty);
    }

    #[test]
    fn formulas_in_text_are_defused_but_numbers_are_not() {
        assert_eq!(guard_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(guard_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(guard_formula("年初预算"), "年初预算");
        assert_eq!(csv_field(&Cell::Number("-5".into())), "-5");
    }

    #[test]
    fn csv_starts_with_a_bom_and_has_one_column_per_key() {
        let mut rec = DocumentRecord::empty("a,\"b\".txt".into());
        rec.figures = vec![fig("staff.actual", "45", None)];
        let mut buf = Vec::new();
        write_csv(&mut buf, &[rec], Table::Wide).unwrap();
        assert!(buf.starts_with("\u{feff}".as_bytes()));
        let mut rd = csv::Reader::from_reader(&buf[3..]);
        let header = rd.headers().unwrap().clone();
        assert_eq!(header.len(), WIDE_FIXED.len() + KEYS.len());
        let row = rd.records().next().unwrap().unwrap();
        assert_eq!(&row[0], "a,\"b\".txt");
        let col = header.iter().position(|h| h == "staff.actual").unwrap();
        assert_eq!(&row[col], "45");
    }

    #[test]
    fn number_formats_keep_the_written_decimals() {
        let n = NumFormats::new();
        assert_eq!(n.for_value("222.00"), &Format::new().set_num_format("0.00"));
        assert_eq!(n.for_value("109"), &Format::new().set_num_format("0"));
    }

    #[test]
    fn a_table_longer_than_a_sheet_goes_on_in_the_next() {
        use calamine::{Reader, Xlsx};
        let mut recs = Vec::new();
        for d in 0..4 {
            let mut r = DocumentRecord::empty(format!("r{d}.txt"));
            r.figures = (0..3)
                .map(|k| fig("budget.initial", &format!("{d}{k}.5"), Some("1")))
                .collect();
            recs.push(r);
        }
        let mut s = XlsxStream::with_rows_per_sheet(true, 5).unwrap();
        for r in &recs {
            s.record(r).unwrap();
        }
        let mut out = Vec::new();
        s.finish(&mut out).unwrap();
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(out)).unwrap();
        assert_eq!(
            wb.sheet_names(),
            ["documents", "findings", "figures", "figures 2", "figures 3"]
        );
        // 12 figure rows: 5 + 5 + 2, each sheet with its header.
        let rows: Vec<usize> = ["figures", "figures 2", "figures 3"]
            .iter()
            .map(|n| wb.worksheet_range(n).unwrap().rows().count())
            .collect();
        assert_eq!(rows, [6, 6, 3]);
        let second = wb.worksheet_range("figures 2").unwrap();
        assert_eq!(second.rows().next().unwrap()[0].to_string(), "document");
    }

    #[test]
    fn xlsx_text_is_bounded_and_has_no_control_characters() {
        assert_eq!(xlsx_text("a\u{1}b\tc"), "a\u{fffd}b\tc");
        assert_eq!(
            xlsx_text(&"长".repeat(40000)).chars().count(),
            XLSX_MAX_CHARS
        );
    }
}
