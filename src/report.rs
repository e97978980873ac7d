//! The serialisable output types: the JSON contract of `../shared/spec/output.md`, with the
//! fields `docs/output.md` adds.
//!
//! Only this module derives `Serialize`. Field names are stable; new fields may be added.
//!
//! # Wire format
//! One [`DocumentRecord`] per input document, in input order (`jsonl`: one per line; `json`:
//! an array). `status` is `ok`, `error` or `skipped`; an error or skipped record has
//! `error: {kind, message}` and empty lists. Character offsets (`start`, `end`) count characters of the extracted text;
//! `line` is 1-based in that text (for plain-text input, the file's own line); `page` is
//! 1-based for paged formats.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DocumentRecord {
    pub path: String,
    pub format: Option<String>,
    pub sha256: Option<String>,
    /// Set when the text was recognised from page images: the OCR engine that read it. Every
    /// figure then rests on OCR and may be misread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<String>,
    pub status: Status,
    pub error: Option<ErrorRecord>,
    pub meta: Meta,
    pub figures: Vec<FigureRecord>,
    pub rates: Vec<RateRecord>,
    pub counts: Vec<CountRecord>,
    pub tables: Vec<TableRecord>,
    /// The parts of a disclosure found in it (`patterns/parts.toml`): tables and narrative
    /// sections by their titles, with the 目录's entries and the notes that a table is empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartRecord>,
    /// Performance self-evaluation forms read as forms (项目支出绩效自评表 …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<FormRecord>,
    pub findings: Vec<FindingRecord>,
    pub checks: CheckCounts,
    /// Warnings from reading and extraction that do not stop the document.
    pub problems: Vec<String>,
    /// Fingerprints of the findings a `--baseline` hid (accepted by a reviewer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub baselined: Vec<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Error,
    /// Not a report (error kind `not_a_report`): listed, not read, not counted as a document.
    Skipped,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ErrorRecord {
    pub kind: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Meta {
    pub title: Option<String>,
    pub department: Option<String>,
    /// 部门, 单位 or 本级: see `extract::Meta`.
    #[serde(default)]
    pub level: Option<String>,
    pub year: Option<i32>,
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FigureRecord {
    pub key: Option<String>,
    pub label: String,
    pub value: String,
    pub unit: String,
    pub value_wan: Option<String>,
    /// 年初 / 调整 / 全年 / 决算 / 上年 …: what the figure is qualified by in its sentence.
    pub qualifiers: Vec<String>,
    /// The year the figure refers to, when the sentence says.
    pub year: Option<i32>,
    pub line: usize,
    pub page: Option<u32>,
    pub start: usize,
    pub end: usize,
    pub table: Option<CellRef>,
    /// The pattern that named the key, when one did.
    pub pattern: Option<String>,
    /// The enumerated heading the figure stands under ("因公出国（境）费用").
    #[serde(default)]
    pub section: Option<String>,
    /// The unit, project or classification item the figure belongs to when its section says
    /// it is not the department's ("深圳市生态环境局（本级）"); null for the department.
    #[serde(default)]
    pub scope: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct CellRef {
    pub table: usize,
    pub row: usize,
    pub column: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RateRecord {
    pub key: Option<String>,
    pub label: String,
    pub value: String,
    pub line: usize,
    pub page: Option<u32>,
    pub start: usize,
    pub end: usize,
    /// Indexes into `figures` of the figures the sentence names beside the rate.
    pub operands: Vec<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CountRecord {
    pub label: String,
    pub count: u32,
    pub unit: String,
    pub items: Vec<String>,
    pub line: usize,
    pub page: Option<u32>,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TableRecord {
    pub title: Option<String>,
    pub line: usize,
    pub page: Option<u32>,
    pub columns: Vec<String>,
    pub header_rows: usize,
    pub rows: Vec<RowRecord>,
}

/// A self-evaluation form: its header fields, 项目资金 rows, indicators, 总分 and 自评等级.
/// Numbers are plain decimals as written (分值 "10.0", 执行率 "100.00" in percent); a cell
/// left blank or "--" is null.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FormRecord {
    /// `project` (项目支出绩效自评表), `department` (部门整体支出绩效自评表) or `narrative` (a
    /// report's scoring sentence: only `total_score` and `grade`).
    #[serde(default = "project_kind")]
    pub kind: String,
    pub title: Option<String>,
    pub project: Option<String>,
    pub department: Option<String>,
    pub unit: Option<String>,
    pub line: usize,
    pub page: Option<u32>,
    pub funds: Vec<FundRecord>,
    /// 年度总体目标: 预期目标 and 实际完成情况, as written.
    #[serde(default)]
    pub goal_planned: Option<String>,
    #[serde(default)]
    pub goal_actual: Option<String>,
    pub indicators: Vec<IndicatorRecord>,
    pub total_weight: Option<String>,
    pub total_score: Option<String>,
    pub grade: Option<String>,
}

fn project_kind() -> String {
    "project".into()
}

/// A 项目资金 row: 年初预算数, 全年预算数, 全年执行数 (万元), 分值, 执行率 (%), 得分.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FundRecord {
    pub label: String,
    pub initial: Option<String>,
    pub total: Option<String>,
    pub actual: Option<String>,
    /// 全年到位数, on the templates that have the column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrived: Option<String>,
    pub weight: Option<String>,
    pub rate: Option<String>,
    pub score: Option<String>,
    pub line: usize,
    pub page: Option<u32>,
}

/// An indicator: 一级/二级/三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndicatorRecord {
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub target: String,
    pub actual: String,
    pub weight: Option<String>,
    pub score: Option<String>,
    pub reason: String,
    pub line: usize,
    pub page: Option<u32>,
}

/// One part of a disclosure: `present` (its title heads a table or a section in the body),
/// `listed` (the report's 目录 names it), `empty_note` (a note says it has nothing to show).
/// `title`, `line` and `page` are where it stands in the body, else its 目录 entry.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PartRecord {
    pub id: String,
    pub name: String,
    pub title: String,
    pub line: usize,
    pub page: Option<u32>,
    pub present: bool,
    pub listed: bool,
    pub empty_note: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RowRecord {
    pub line: usize,
    pub page: Option<u32>,
    pub label: Option<String>,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FindingRecord {
    pub code: String,
    pub name: String,
    pub severity: String,
    /// How sure the tool is: "sure" (every error), "likely" (a real but minor discrepancy:
    /// rounding), "unsure" (a possible one the reading cannot settle).
    #[serde(default)]
    pub confidence: String,
    pub message: String,
    pub line: usize,
    pub page: Option<u32>,
    pub evidence: Vec<EvidenceRecord>,
    /// The arithmetic that failed, e.g. "85 + 96 = 181 ≠ 184".
    pub arithmetic: Option<String>,
    /// The figures it rests on were read by OCR: a misread digit can make it (its confidence
    /// is then at most "unsure").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ocr: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EvidenceRecord {
    pub line: usize,
    pub page: Option<u32>,
    pub text: String,
    pub value: String,
    pub start: usize,
    pub end: usize,
    /// For a table cell, its column's header ("年初预算数/基本支出"): a row quoted alone does
    /// not say which of its numbers is which.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct CheckCounts {
    pub run: usize,
    pub passed: usize,
    pub failed: usize,
}

impl DocumentRecord {
    pub fn empty(path: String) -> Self {
        DocumentRecord {
            path,
            format: None,
            sha256: None,
            ocr: None,
            status: Status::Ok,
            error: None,
            meta: Meta::default(),
            figures: Vec::new(),
            rates: Vec::new(),
            counts: Vec::new(),
            tables: Vec::new(),
            parts: Vec::new(),
            forms: Vec::new(),
            findings: Vec::new(),
            checks: CheckCounts::default(),
            problems: Vec::new(),
            baselined: Vec::new(),
        }
    }

    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == "error")
            .count()
    }
    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == "warning")
            .count()
    }
}
