//! The dataset people open in Excel: a wide table (one row per document, one column per
//! canonical key of [`crate::keys::KEYS`]) and a long table (one row per figure), written as
//! CSV (UTF-8 with a byte-order mark, which Excel needs to read Chinese) or as one XLSX
//! workbook with both tables as sheets (written by [`super::xlsx`]).

use std::io::Write;
use std::str::FromStr;

use rust_decimal::Decimal;

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

/// The columns of the indicator table (`extract --format csv --indicators`): one row per
/// indicator of each self-evaluation form, with its form's project and totals.
pub const INDICATORS_HEADER: &[&str] = &[
    "document",
    "department",
    "year",
    "project",
    "level1",
    "level2",
    "level3",
    "target",
    "actual",
    "weight",
    "score",
    "reason",
    "total_score",
    "grade",
    "page",
    "line",
];

/// A document's rows of the indicator table.
pub fn indicator_rows(r: &DocumentRecord) -> impl Iterator<Item = Vec<Cell>> + '_ {
    let num = |v: &Option<String>| {
        v.as_deref()
            .map_or(Cell::Empty, |s| Cell::Number(s.to_string()))
    };
    r.forms.iter().flat_map(move |f| {
        f.indicators.iter().map(move |i| {
            vec![
                Cell::text(&r.path),
                Cell::text(r.meta.department.as_deref().unwrap_or("")),
                Cell::opt_num(r.meta.year),
                Cell::text(f.project.as_deref().unwrap_or("")),
                Cell::text(&i.level1),
                Cell::text(&i.level2),
                Cell::text(&i.level3),
                Cell::text(&i.target),
                Cell::text(&i.actual),
                num(&i.weight),
                num(&i.score),
                Cell::text(&i.reason),
                num(&f.total_score),
                Cell::text(f.grade.as_deref().unwrap_or("")),
                Cell::opt_num(i.page),
                Cell::Number(i.line.to_string()),
            ]
        })
    })
}

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
    /// One row per indicator of a self-evaluation form.
    Indicators,
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
        Table::Indicators => out.write_record(INDICATORS_HEADER)?,
        Table::Wide => out.write_record(wide_header())?,
        Table::Findings => out.write_record(FINDINGS_HEADER)?,
    }
    out.flush()
}

/// The Chinese name of a column of the dataset, where it has one.
pub(crate) fn column_note(h: &str) -> Option<String> {
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
        "project" => "项目名称",
        "level1" => "一级指标",
        "level2" => "二级指标",
        "level3" => "三级指标",
        "target" => "年度指标值",
        "actual" => "实际完成值",
        "weight" => "分值",
        "score" => "得分",
        "reason" => "偏差原因分析及改进措施",
        "total_score" => "总分",
        "grade" => "自评等级",
        _ => "",
    };
    if !fixed.is_empty() {
        return Some(fixed.to_string());
    }
    let zh = crate::check::key_name(h);
    (zh != h).then(|| zh.to_string())
}

/// The Chinese names of a table's columns, for the second header row `--zh-header` adds
/// (a column without one repeats its key).
pub fn zh_header(t: Table) -> Vec<String> {
    let heads: Vec<String> = match t {
        Table::Long => LONG_HEADER.iter().map(|s| s.to_string()).collect(),
        Table::Indicators => INDICATORS_HEADER.iter().map(|s| s.to_string()).collect(),
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
        Table::Indicators => {
            for row in indicator_rows(r) {
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

/// A figure for the tests of the table writers.
#[cfg(test)]
pub(crate) fn test_figure(key: &str, value: &str, wan: Option<&str>) -> FigureRecord {
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

#[cfg(test)]
mod tests {
    use super::*;

    use super::test_figure as fig;

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
}
