//! Turns a document's extraction and check outcome into its [`DocumentRecord`], and writes
//! records as JSON Lines, JSON or readable text; [`table`] writes the dataset (CSV, XLSX)
//! and [`html`] the review page.

pub mod html;
pub mod table;
pub mod xlsx;

use std::io::Write;

use crate::check::{Evidence, Outcome};
use crate::extract::Extraction;
use crate::model::Document;
use crate::report::*;

fn form_record(f: &crate::extract::SelfEval) -> FormRecord {
    let n = |x: &Option<crate::extract::types::Num>| x.map(|v| v.value.to_string());
    FormRecord {
        kind: f.kind.name().to_string(),
        title: f.title.clone(),
        project: f.project.clone(),
        department: f.department.clone(),
        unit: f.unit.clone(),
        line: f.span.line,
        page: f.span.page,
        funds: f
            .funds
            .iter()
            .map(|r| FundRecord {
                label: r.label.clone(),
                initial: n(&r.initial),
                total: n(&r.total),
                actual: n(&r.actual),
                arrived: n(&r.arrived),
                weight: n(&r.weight),
                rate: n(&r.rate),
                score: n(&r.score),
                line: r.span.line,
                page: r.span.page,
            })
            .collect(),
        goal_planned: f.goal.as_ref().map(|g| g.0.clone()),
        goal_actual: f.goal.as_ref().map(|g| g.1.clone()),
        indicators: f
            .indicators
            .iter()
            .map(|i| IndicatorRecord {
                level1: i.level1.clone(),
                level2: i.level2.clone(),
                level3: i.level3.clone(),
                target: i.target.clone(),
                actual: i.actual.clone(),
                weight: n(&i.weight),
                score: n(&i.score),
                reason: i.reason.clone(),
                line: i.span.line,
                page: i.span.page,
            })
            .collect(),
        total_weight: f.total_weight.map(|(v, _)| v.value.to_string()),
        total_score: f.total_score.map(|(v, _)| v.value.to_string()),
        grade: f.grade.as_ref().map(|(g, _)| g.clone()),
    }
}

/// The sentence around a character range, trimmed for quoting.
pub fn quote(chars: &[char], ctx: (usize, usize)) -> String {
    let n = chars.len();
    let (a, b) = (ctx.0.min(n), ctx.1.min(n));
    let s: String = chars[a..b.max(a)].iter().collect();
    let s = s.replace(['\n', '\u{c}'], "").replace('\t', " ");
    let s = s.trim();
    if s.chars().count() > 200 {
        s.chars().take(200).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

pub fn evidence(chars: &[char], e: &Evidence, ex: &Extraction) -> EvidenceRecord {
    let column = e
        .figure
        .and_then(|id| ex.figures.get(id.0))
        .and_then(|f| f.table)
        .and_then(|c| ex.tables.get(c.table)?.columns.get(c.column).cloned())
        .filter(|h| !h.trim().is_empty());
    EvidenceRecord {
        line: e.span.line,
        page: e.span.page,
        text: quote(chars, e.context),
        value: e.value.clone(),
        start: e.span.start,
        end: e.span.end,
        column,
    }
}

pub fn fill(rec: &mut DocumentRecord, doc: &Document, ex: &Extraction, outcome: Option<&Outcome>) {
    let chars: Vec<char> = doc.text.chars().collect();
    rec.ocr = doc.ocr.clone();
    rec.meta = Meta {
        title: ex.meta.title.clone(),
        department: ex.meta.department.clone(),
        level: ex.meta.level.clone(),
        year: ex.meta.year,
        kind: ex.meta.kind.clone(),
    };
    rec.figures = ex
        .figures
        .iter()
        .map(|f| FigureRecord {
            key: f.key.clone(),
            label: f.label.clone(),
            value: f.value.clone(),
            unit: f.unit.clone(),
            value_wan: f.value_wan.map(|d| d.normalize().to_string()),
            qualifiers: f.qualifiers().iter().map(|q| q.to_string()).collect(),
            year: f.year,
            line: f.span.line,
            page: f.span.page,
            start: f.span.start,
            end: f.span.end,
            table: f.table.map(|c| CellRef {
                table: c.table,
                row: c.row,
                column: c.column,
            }),
            pattern: f.pattern.clone(),
            section: f.section.clone(),
            scope: f.scope.clone(),
        })
        .collect();
    rec.rates = ex
        .rates
        .iter()
        .map(|r| {
            let f = ex.fig(r.figure);
            RateRecord {
                key: f.key.clone(),
                label: f.label.clone(),
                value: f.value.clone(),
                line: f.span.line,
                page: f.span.page,
                start: f.span.start,
                end: f.span.end,
                operands: r.operands.iter().map(|o| o.index()).collect(),
            }
        })
        .collect();
    rec.counts = ex
        .counts
        .iter()
        .map(|c| CountRecord {
            label: c.noun.clone(),
            count: c.count,
            unit: c.unit.clone(),
            items: c.items.clone(),
            line: c.span.line,
            page: c.span.page,
            start: c.span.start,
            end: c.span.end,
        })
        .collect();
    rec.tables = ex
        .tables
        .iter()
        .map(|t| TableRecord {
            title: t.title.clone(),
            line: t.line,
            page: t.page,
            columns: t.columns.clone(),
            header_rows: t.header_rows,
            rows: t
                .rows
                .iter()
                .map(|r| RowRecord {
                    line: r.line,
                    page: r.page,
                    label: r.label.clone(),
                    cells: r.cells.clone(),
                })
                .collect(),
        })
        .collect();
    rec.parts = ex
        .parts
        .iter()
        .map(|p| PartRecord {
            id: p.id.to_string(),
            name: p.name.to_string(),
            title: p.title.clone(),
            line: p.span.line,
            page: p.span.page,
            present: p.present,
            listed: p.listed,
            empty_note: p.empty_note,
        })
        .collect();
    rec.forms = ex.forms.iter().map(form_record).collect();
    rec.problems.extend(ex.problems.iter().cloned());
    if let Some(o) = outcome {
        rec.findings = o
            .findings
            .iter()
            .map(|f| FindingRecord {
                code: f.code.to_string(),
                name: f.name.to_string(),
                severity: f.severity.as_str().to_string(),
                confidence: if doc.ocr.is_some() {
                    "unsure".to_string()
                } else {
                    f.confidence.as_str().to_string()
                },
                ocr: doc.ocr.is_some(),
                message: if doc.ocr.is_some() {
                    format!("[OCR] {}", f.message)
                } else {
                    f.message.clone()
                },
                line: f.evidence.first().map(|e| e.span.line).unwrap_or(0),
                page: f.evidence.first().and_then(|e| e.span.page),
                evidence: f.evidence.iter().map(|e| evidence(&chars, e, ex)).collect(),
                arithmetic: f.arithmetic.clone(),
            })
            .collect();
        rec.problems.extend(o.notes.iter().cloned());
        rec.checks = CheckCounts {
            run: o.run,
            passed: o.passed,
            failed: o.failed,
        };
    }
}

/// Output formats of `extract` and `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFormat {
    Jsonl,
    Json,
    Text,
    /// The wide table: one row per document, one column per canonical key.
    Csv,
    /// The long table: one row per figure.
    CsvLong,
    /// One row per indicator of the self-evaluation forms.
    CsvIndicators,
    /// The findings table: one row per finding (`check --format csv`).
    CsvFindings,
    /// Both tables, as the sheets `documents` and `figures`.
    Xlsx,
    /// The sheets `documents`, `findings` and `figures` (`check --format xlsx`).
    XlsxFindings,
    /// The self-contained review page.
    Html,
}

impl OutFormat {
    /// Whether the writer wants each document's extracted text (see [`write_documents`]).
    /// Whether skipped files (not reports) are listed in this format: the record formats
    /// list them, the dataset and the review page hold reports only.
    pub fn lists_skipped(self) -> bool {
        matches!(self, OutFormat::Jsonl | OutFormat::Json | OutFormat::Text)
    }

    pub fn needs_text(self) -> bool {
        self == OutFormat::Html
    }

    /// Whether records can be written one at a time ([`RecordStream`]) instead of all at
    /// the end: then a run's memory does not grow with the number of documents.
    pub fn streams(self) -> bool {
        matches!(
            self,
            OutFormat::Jsonl
                | OutFormat::Json
                | OutFormat::Text
                | OutFormat::Csv
                | OutFormat::CsvLong
                | OutFormat::CsvIndicators
                | OutFormat::CsvFindings
                | OutFormat::Xlsx
                | OutFormat::XlsxFindings
        )
    }
}

/// Writes records one at a time in a streaming format, byte for byte what
/// [`write_documents`] writes for the whole list.
pub struct RecordStream {
    fmt: OutFormat,
    written: usize,
    /// The workbook being written (xlsx), created with the first record.
    xlsx: Option<xlsx::XlsxStream>,
    /// CSV: a second header row with the columns' Chinese names.
    zh_header: bool,
}

impl RecordStream {
    pub fn new(fmt: OutFormat) -> Self {
        debug_assert!(fmt.streams());
        RecordStream {
            fmt,
            written: 0,
            xlsx: None,
            zh_header: false,
        }
    }

    pub fn record(&mut self, w: &mut dyn Write, r: &DocumentRecord) -> std::io::Result<()> {
        match self.fmt {
            OutFormat::Json => {
                // serde_json's pretty array: "[", then each element on its own lines indented
                // by two spaces, separated by ",". JSON strings hold no raw newline, so
                // indenting the element's lines is exact.
                let body = serde_json::to_string_pretty(r)?;
                w.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
                for (i, line) in body.split('\n').enumerate() {
                    if i > 0 {
                        w.write_all(b"\n")?;
                    }
                    w.write_all(b"  ")?;
                    w.write_all(line.as_bytes())?;
                }
            }
            OutFormat::Jsonl => {
                serde_json::to_writer(&mut *w, r)?;
                writeln!(w)?;
            }
            OutFormat::Xlsx | OutFormat::XlsxFindings => {
                if self.xlsx.is_none() {
                    self.xlsx = Some(self.new_xlsx()?);
                }
                if let Some(x) = self.xlsx.as_mut() {
                    x.record(r).map_err(std::io::Error::other)?;
                }
            }
            OutFormat::Csv
            | OutFormat::CsvLong
            | OutFormat::CsvIndicators
            | OutFormat::CsvFindings => {
                let t = self.table();
                if self.written == 0 {
                    self.start_csv(w)?;
                }
                table::csv_rows(w, r, t)?;
            }
            _ => write_text(w, std::slice::from_ref(r))?,
        }
        self.written += 1;
        Ok(())
    }

    /// CSV only: a second header row with the columns' Chinese names (年初预算 …), for
    /// readers of the file; programs reading it should skip that row.
    pub fn with_zh_header(mut self, on: bool) -> Self {
        self.zh_header = on;
        self
    }

    fn start_csv(&self, w: &mut dyn Write) -> std::io::Result<()> {
        table::csv_start(w, self.table())?;
        if self.zh_header {
            table::csv_zh_header(w, self.table())?;
        }
        Ok(())
    }

    fn new_xlsx(&self) -> std::io::Result<xlsx::XlsxStream> {
        xlsx::XlsxStream::new(self.fmt == OutFormat::XlsxFindings).map_err(std::io::Error::other)
    }

    pub fn finish(mut self, w: &mut dyn Write) -> std::io::Result<()> {
        if matches!(self.fmt, OutFormat::Xlsx | OutFormat::XlsxFindings) {
            let x = match self.xlsx.take() {
                Some(x) => x,
                None => self.new_xlsx()?,
            };
            return x.finish(w).map_err(std::io::Error::other);
        }
        match (self.fmt, self.written) {
            (OutFormat::Json, 0) => w.write_all(b"[]\n"),
            (OutFormat::Json, _) => w.write_all(b"\n]\n"),
            (
                OutFormat::Csv
                | OutFormat::CsvLong
                | OutFormat::CsvIndicators
                | OutFormat::CsvFindings,
                0,
            ) => self.start_csv(w),
            _ => Ok(()),
        }
    }

    fn table(&self) -> table::Table {
        match self.fmt {
            OutFormat::CsvLong => table::Table::Long,
            OutFormat::CsvIndicators => table::Table::Indicators,
            OutFormat::CsvFindings => table::Table::Findings,
            _ => table::Table::Wide,
        }
    }
}

pub fn write_records(
    w: &mut dyn Write,
    records: &[DocumentRecord],
    fmt: OutFormat,
) -> std::io::Result<()> {
    write_documents(w, records, &[], fmt)
}

/// Writes `records`; `texts[i]`, when given, is the extracted text of `records[i]`. Only the
/// HTML page uses it (to show the text with line anchors); it is never serialised, so the
/// JSON contract does not change.
pub fn write_documents(
    w: &mut dyn Write,
    records: &[DocumentRecord],
    texts: &[Option<String>],
    fmt: OutFormat,
) -> std::io::Result<()> {
    match fmt {
        OutFormat::Html => html::write_html(w, records, texts)?,
        OutFormat::Xlsx
        | OutFormat::XlsxFindings
        | OutFormat::Jsonl
        | OutFormat::Json
        | OutFormat::Text
        | OutFormat::Csv
        | OutFormat::CsvLong
        | OutFormat::CsvIndicators
        | OutFormat::CsvFindings => {
            let mut stream = RecordStream::new(fmt);
            for r in records {
                stream.record(w, r)?;
            }
            stream.finish(w)?;
        }
    }
    Ok(())
}

/// A compiler-like report: `path:line: severity[CODE] message`, then the quoted sentences.
fn write_text(w: &mut dyn Write, records: &[DocumentRecord]) -> std::io::Result<()> {
    for r in records {
        if let (Some(e), Status::Skipped) = (&r.error, r.status) {
            writeln!(w, "{}: 跳过 / skipped: {}", r.path, e.message)?;
            continue;
        }
        if let Some(e) = &r.error {
            writeln!(w, "{}: error[{}] {}", r.path, e.kind, e.message)?;
            continue;
        }
        for f in &r.findings {
            let loc = match f.page {
                Some(p) => format!("{}:{} (第{}页)", r.path, f.line, p),
                None => format!("{}:{}", r.path, f.line),
            };
            writeln!(w, "{loc}: {}[{}] {}", f.severity, f.code, f.message)?;
            if let Some(a) = &f.arithmetic {
                writeln!(w, "    = {a}")?;
            }
            let mut shown: Vec<(usize, &str)> = Vec::new();
            for e in &f.evidence {
                if shown.contains(&(e.line, e.text.as_str())) {
                    continue;
                }
                shown.push((e.line, e.text.as_str()));
                // The columns of the quoted row's figures, when it is a table row.
                let cols: Vec<String> = f
                    .evidence
                    .iter()
                    .filter(|o| o.line == e.line && o.text == e.text)
                    .filter_map(|o| o.column.as_ref().map(|c| format!("{} → {c}", o.value)))
                    .collect();
                if cols.is_empty() {
                    writeln!(w, "    {:>5} | {}", e.line, e.text)?;
                } else {
                    writeln!(
                        w,
                        "    {:>5} | {}  ［列：{}］",
                        e.line,
                        e.text,
                        cols.join("；")
                    )?;
                }
            }
        }
        let notices = r.findings.iter().filter(|f| f.severity == "notice").count();
        let notices = if notices > 0 {
            format!("，{notices} 提示")
        } else {
            String::new()
        };
        writeln!(
            w,
            "{}: {} 项检查，{} 项通过，{} 项不一致（{} 错误，{} 警告{notices}）",
            r.path,
            r.checks.run,
            r.checks.passed,
            r.checks.failed,
            r.errors(),
            r.warnings()
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{run_one, Config, Mode};

    /// Streaming a list gives the bytes serde_json gives for the whole list, for none, one
    /// and several real records (findings, nested evidence, Chinese text, errors).
    #[test]
    fn streamed_json_and_csv_are_the_whole_writers_bytes() {
        let dir = env!("CARGO_MANIFEST_DIR");
        let cfg = Config::new(Mode::Check);
        let all: Vec<DocumentRecord> = [
            "corpus/hn_huaihua_gxj_2022_dept_selfeval.txt",
            "corpus/km_panlong_renda_2017_dept_budget.txt",
            "no/such/file.txt",
        ]
        .iter()
        .map(|p| run_one(&std::path::Path::new(dir).join(p), &cfg))
        .collect();
        for n in 0..=all.len() {
            let records = &all[..n];
            let mut want = serde_json::to_vec_pretty(records).unwrap();
            want.push(b'\n');
            let mut got = Vec::new();
            write_records(&mut got, records, OutFormat::Json).unwrap();
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(want).unwrap()
            );
            // CSV, wide and long: the same bytes as the writer of the whole table.
            for long in [false, true] {
                let mut want = Vec::new();
                let t = if long {
                    table::Table::Long
                } else {
                    table::Table::Wide
                };
                table::write_csv(&mut want, records, t).unwrap();
                let fmt = if long {
                    OutFormat::CsvLong
                } else {
                    OutFormat::Csv
                };
                let mut stream = RecordStream::new(fmt);
                let mut got = Vec::new();
                for r in records {
                    stream.record(&mut got, r).unwrap();
                }
                stream.finish(&mut got).unwrap();
                assert_eq!(got, want, "long: {long}, {n} records");
            }
        }
    }
}
