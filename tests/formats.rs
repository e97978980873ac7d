//! The same report in six forms gives the same tables and the same figures.

use reportlint::model::Document;
use reportlint::pipeline::{read_document, Config, Mode};

use crate::util::{path, SEED_FORMS};

fn read(rel: &str) -> Document {
    read_document(&path(rel), &Config::new(Mode::Read))
        .2
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Each table as (title, columns, rows of (text, merged origin)).
type Shape = (
    Option<String>,
    Vec<String>,
    usize,
    Vec<Vec<(String, Option<(usize, usize)>)>>,
);

fn shapes(d: &Document) -> Vec<Shape> {
    d.tables()
        .map(|t| {
            (
                t.title.clone(),
                t.columns.clone(),
                t.header_rows,
                t.rows
                    .iter()
                    .map(|r| {
                        r.cells
                            .iter()
                            .map(|c| (c.text.trim().to_string(), c.merged_from))
                            .collect()
                    })
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn six_forms_give_the_same_three_tables() {
    let reference = shapes(&read(SEED_FORMS[0]));
    assert_eq!(reference.len(), 3);
    assert_eq!(reference[0].1[1], "年初预算数（万元）/基本支出");
    assert_eq!(
        reference[2].3.len() - reference[2].2,
        12,
        "项目支出表 has 12 body rows of two records"
    );
    assert_eq!(reference[2].1.len(), 8);
    for rel in &SEED_FORMS[1..] {
        assert_eq!(shapes(&read(rel)), reference, "{rel}");
    }
}

#[test]
fn every_figure_of_the_report_is_in_each_text() {
    let txt = std::fs::read_to_string(path(SEED_FORMS[0])).unwrap();
    let numbers: Vec<String> = regex::Regex::new(r"\d[\d,.]*\d|\d")
        .unwrap()
        .find_iter(&txt)
        .map(|m| m.as_str().replace(',', ""))
        .collect();
    for rel in SEED_FORMS {
        let text: String = read(rel)
            .text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != ',')
            .collect();
        for n in &numbers {
            assert!(text.contains(n.as_str()), "{rel}: {n} missing");
        }
    }
}

#[test]
fn plain_text_keeps_the_files_lines() {
    let d = read(SEED_FORMS[0]);
    let file = std::fs::read_to_string(path(SEED_FORMS[0])).unwrap();
    assert_eq!(d.text, file);
    let p = d
        .paragraphs()
        .find(|p| p.text.contains("人员编制数109人"))
        .unwrap();
    assert_eq!(p.span.line, 11);
}

/// The report's tables as a workbook (tests/fixtures/seed/make_xlsx.py: one sheet per table,
/// the title and header groups merged, amounts stored as numbers formatted 0.00) read into
/// the same tables, cell for cell, as the six other forms.
#[test]
fn the_workbook_gives_the_same_three_tables() {
    let reference = shapes(&read(SEED_FORMS[0]));
    let book = read("tests/fixtures/seed/seed.xlsx");
    assert_eq!(book.format.as_str(), "xlsx");
    assert_eq!(shapes(&book), reference);
}

/// The same workbook as an OpenDocument spreadsheet (make_ods.py, written by odfpy as
/// LibreOffice and WPS write one): merged regions and the text each number shows (222.00) are
/// read from its content.xml, so the tables are the other forms' cell for cell.
#[test]
fn the_opendocument_workbook_gives_the_same_three_tables() {
    let reference = shapes(&read(SEED_FORMS[0]));
    let book = read("tests/fixtures/seed/seed.ods");
    assert_eq!(book.format.as_str(), "ods");
    assert_eq!(shapes(&book), reference);
}

/// The same workbook in the Excel 97–2003 binary format (make_xls.py, written by xlwt as older
/// finance systems and WPS write one) reads into the same tables, cell for cell: its cells'
/// number formats are read from its records, so an amount formatted 0.00 keeps its decimals
/// (222.00).
#[test]
fn the_binary_workbook_gives_the_same_three_tables() {
    let reference = shapes(&read(SEED_FORMS[0]));
    let book = read("tests/fixtures/seed/seed.xls");
    assert_eq!(book.format.as_str(), "xls");
    assert_eq!(shapes(&book), reference);
}
