//! The dataset as an Excel workbook, written one document at a time: sheets `documents`,
//! (`check`) `findings`, `figures` and `indicators` of [`super::table`]'s tables, in
//! constant-memory mode.

use std::io::Write;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::table::{
    column_note, findings_rows, indicator_rows, long_rows, wide_header, wide_row, Cell,
    FINDINGS_HEADER, INDICATORS_HEADER, LONG_HEADER,
};
use crate::report::DocumentRecord;

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

impl XlsxStream {
    /// Sheets `documents`, with `findings` the sheet `findings`, `figures` and `indicators`.
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
        tables.push(("indicators", strings(INDICATORS_HEADER)));
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
        let at = |name: &str| self.tables.iter().position(|t| t.name == name);
        let (findings, figures, indicators) = (at("findings"), at("figures"), at("indicators"));
        self.put(0, &wide_row(r))?;
        if let Some(t) = findings {
            for row in findings_rows(r) {
                self.put(t, &row)?;
            }
        }
        if let Some(t) = figures {
            for row in long_rows(r) {
                self.put(t, &row)?;
            }
        }
        if let Some(t) = indicators {
            for row in indicator_rows(r) {
                self.put(t, &row)?;
            }
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
/// row per finding), sheet `figures` (the long table) and sheet `indicators` (one row per
/// indicator of the self-evaluation forms).
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

    use crate::output::table::test_figure as fig;

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
            // Sheets are added as they fill: the continuations come after the last table.
            [
                "documents",
                "findings",
                "figures",
                "indicators",
                "figures 2",
                "figures 3"
            ]
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
