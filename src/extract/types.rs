//! What extraction finds: figures, rates, counts, logical tables, part–whole groups and
//! metadata. Figures are never removed once found, so a [`FigureId`] stays valid for the
//! life of an [`Extraction`].

use rust_decimal::Decimal;

use super::number::{self, UnitClass};
use super::vocab::{Direction, Fund, Phase};
use crate::model::Span;

/// A figure's place in [`Extraction::figures`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FigureId(pub usize);

impl FigureId {
    pub fn index(self) -> usize {
        self.0
    }
}

/// A figure: a number with a unit, what it is a number of, and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub key: Option<String>,
    pub label: String,
    /// The noun of the label: phase, generic and organisation words removed.
    pub noun: String,
    /// Plain decimal as written: separators removed, decimals kept, sign applied.
    pub value: String,
    pub dec: Decimal,
    pub unit: String,
    pub class: UnitClass,
    pub value_wan: Option<Decimal>,
    pub phase: Option<Phase>,
    /// The fund the figure is counted over, when its label, sentence or table says.
    pub fund: Option<Fund>,
    /// A target or bound ("90%以上"), not a stated value.
    pub threshold: bool,
    /// A stated change ("增加12万元") and its direction.
    pub direction: Option<Direction>,
    /// For a change: what it is measured against, as its sentence says ("上年",
    /// "2025年年初预算数").
    pub compared_to: Option<String>,
    pub year: Option<i32>,
    /// Where the number is written (characters of `Document::text`).
    pub span: Span,
    /// The sentence (or table row) it stands in.
    pub context: (usize, usize),
    /// The block (paragraph or table) of the document it stands in.
    pub block: usize,
    pub table: Option<CellPos>,
    /// The heading the figure stands under.
    pub section: Option<String>,
    /// The unit, project or item the figure belongs to, when its section says it is not the
    /// department's (an Entity or Item heading).
    pub scope: Option<String>,
    /// The quantity the figure is a slice of, when its paragraph or section is about one
    /// ("项目支出…其中：一般公共服务支出a": a is 项目支出's part of 一般公共服务支出).
    pub within: Option<String>,
    pub pattern: Option<String>,
    /// The decimals the figure is stated to: those written, or more where its neighbours
    /// (the amounts of its sentence, or of its table column) are written with more. "222万元"
    /// beside "1045.63万元" is 222.00, not 222 ± 0.5.
    pub precision: u32,
}

impl Figure {
    /// Decimals as written.
    pub fn decimals(&self) -> u32 {
        number::decimals(&self.value)
    }

    /// What qualifies the figure, as the output words: its phase, fund, 阈值, direction.
    pub fn qualifiers(&self) -> Vec<&'static str> {
        let mut q: Vec<&'static str> = self.phase.map(Phase::as_str).into_iter().collect();
        q.extend(self.fund.map(Fund::as_str));
        if self.threshold {
            q.push("阈值");
        }
        if let Some(d) = self.direction {
            q.push(d.as_str());
        }
        q
    }

    /// Last year's figure.
    pub fn is_prior(&self) -> bool {
        self.phase == Some(Phase::Prior)
    }

    /// A change, a prior-year figure or a target: not a figure of the year's own amounts.
    pub fn is_comparison(&self) -> bool {
        self.direction.is_some() || self.is_prior() || self.threshold
    }

    /// The value in the unit checks compare in (万元 for money).
    pub fn amount(&self) -> Decimal {
        self.value_wan.unwrap_or(self.dec)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellPos {
    pub table: usize,
    /// Index into the logical rows of [`LogicalTable::rows`].
    pub row: usize,
    pub column: usize,
}

/// A claimed rate: a percentage figure with the figures its sentence names.
/// A number of a form as written: its value and how many decimals it is written with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num {
    pub value: Decimal,
    pub decimals: u32,
}

/// One 项目资金 row of a self-evaluation form (年度资金总额, 其中：财政拨款, 上年结转, 其他资金).
#[derive(Debug, Clone, PartialEq)]
pub struct FundRow {
    pub label: String,
    pub initial: Option<Num>,
    pub total: Option<Num>,
    pub actual: Option<Num>,
    /// 全年到位数, on the templates that have the column.
    pub arrived: Option<Num>,
    pub weight: Option<Num>,
    /// 执行率 in percent.
    pub rate: Option<Num>,
    pub score: Option<Num>,
    pub span: Span,
}

/// One row of a form's indicator table.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub level1: String,
    pub level2: String,
    pub level3: String,
    /// 年度指标值 and 实际完成值 as written (≥95%, 123人, 有所提高).
    pub target: String,
    pub actual: String,
    pub weight: Option<Num>,
    pub score: Option<Num>,
    /// 偏差原因分析及改进措施.
    pub reason: String,
    pub span: Span,
}

/// What a [`SelfEval`] record was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormKind {
    /// 项目支出绩效自评表.
    #[default]
    Project,
    /// 部门（单位）整体支出绩效自评表: its 资金 rows by source and by 基本支出 / 项目支出.
    Department,
    /// The scoring sentence of a self-evaluation or evaluation report: "项目综合评分92.25分，
    /// 评价级次为优" (a 总分 and a 自评等级, no rows).
    Narrative,
}

impl FormKind {
    pub fn name(self) -> &'static str {
        match self {
            FormKind::Project => "project",
            FormKind::Department => "department",
            FormKind::Narrative => "narrative",
        }
    }
}

/// A performance self-evaluation form (项目支出 or 部门整体支出绩效自评表).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SelfEval {
    pub kind: FormKind,
    pub title: Option<String>,
    pub project: Option<String>,
    pub department: Option<String>,
    pub unit: Option<String>,
    pub funds: Vec<FundRow>,
    /// Whether a row among the 资金 rows could not be read (a label not known, cells lost):
    /// the rows read are then not all of the total's parts.
    pub funds_partial: bool,
    /// 年度总体目标: what was planned and what was done, as written.
    pub goal: Option<(String, String)>,
    pub indicators: Vec<Indicator>,
    pub total_weight: Option<(Num, Span)>,
    pub total_score: Option<(Num, Span)>,
    pub grade: Option<(String, Span)>,
    /// Where the form starts.
    pub span: Span,
}

/// A table row's rate and the same row's figures it is computed from: its numerator and
/// the bases it may be on, the template's base first (全年预算数, then 预算数, then 年初).
#[derive(Debug, Clone, PartialEq)]
pub struct RowRate {
    pub rate: FigureId,
    pub numerator: FigureId,
    pub bases: Vec<FigureId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rate {
    pub figure: FigureId,
    pub operands: Vec<FigureId>,
}

/// "设17个科室：A、B…" or "A、B等2个县".
#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    pub noun: String,
    pub count: u32,
    pub unit: String,
    pub items: Vec<String>,
    /// How many things the items name: a range ("秘书一处至七处") names several.
    pub listed: u32,
    /// The list gives examples (A、B等N个), so it may name fewer than the count.
    pub open: bool,
    pub span: Span,
    pub context: (usize, usize),
}

/// Where a part–whole relation is stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SumKind {
    /// "总额X，其中：A a，B b" in a sentence.
    Text,
    /// A 合计 cell of a row against the row's other columns.
    TableRow,
    /// A 合计 row against the rows above it, column by column.
    TableColumn,
    /// "比上年增加X，主要原因是A增加a、B增加b": a change and the changes given as its
    /// reasons. Reasons need not be all of it, so only a sum that holds is a finding's
    /// evidence (passed); one that does not says nothing.
    Reasons,
}

/// A total and the parts the text or a table says make it up.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub total: FigureId,
    pub parts: Vec<FigureId>,
    /// Whether the parts are known to be all of the total (基本+项目, a 合计 row), so that a
    /// shortfall is an error and not an unlisted remainder.
    pub complete: bool,
    pub kind: SumKind,
}

/// A table as logical rows: a row that holds two records side by side is split.
#[derive(Debug, Clone, PartialEq)]
pub struct LogicalTable {
    pub index: usize,
    pub title: Option<String>,
    pub columns: Vec<String>,
    pub header_rows: usize,
    pub line: usize,
    pub page: Option<u32>,
    pub rows: Vec<LogicalRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogicalRow {
    pub label: Option<String>,
    pub code: Option<String>,
    pub line: usize,
    pub page: Option<u32>,
    pub cells: Vec<String>,
    /// The figure of each cell, for numeric cells.
    pub figures: Vec<Option<FigureId>>,
}

impl LogicalRow {
    pub fn figure(&self, column: usize) -> Option<FigureId> {
        self.figures.get(column).copied().flatten()
    }

    pub fn is_total(&self) -> bool {
        self.label
            .as_deref()
            .is_some_and(|l| super::vocab::is_total_label(l, false))
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub title: Option<String>,
    pub department: Option<String>,
    /// 部门 (a department with its units), 单位 (one unit), 本级 (the department's own
    /// organ, marked （本级）).
    pub level: Option<String>,
    pub year: Option<i32>,
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    pub meta: Meta,
    pub figures: Vec<Figure>,
    pub rates: Vec<Rate>,
    pub counts: Vec<Count>,
    pub tables: Vec<LogicalTable>,
    pub groups: Vec<Group>,
    /// The parts of a disclosure (tables, narrative sections) found in it.
    pub parts: Vec<Part>,
    /// Rates a table's columns define row by row (执行率 beside 全年执行数 and 全年预算数).
    pub row_rates: Vec<RowRate>,
    /// Performance self-evaluation forms read as forms.
    pub forms: Vec<SelfEval>,
    /// What the forms are graded by: the bands the report states, when it states them, then
    /// the schemes of the pattern set (empty when there is no form).
    pub grading: Vec<super::grading::Grading>,
    pub problems: Vec<String>,
}

/// A part of a disclosure ([`super::parts`]): where its title stands in the body, whether
/// the report's 目录 lists it, whether a note says it is empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The entry's id in `patterns/parts.toml` (`table.income`, `section.glossary`).
    pub id: &'static str,
    pub name: &'static str,
    /// The title (or the line naming the section) as written, else the 目录 entry.
    pub title: String,
    /// Where `title` stands.
    pub span: Span,
    /// Found in the body: a heading, a table caption, a section's words.
    pub present: bool,
    /// Listed in the report's 目录.
    pub listed: bool,
    /// A note says the report has nothing for it (本部门无政府性基金预算收支).
    pub empty_note: bool,
}

impl Extraction {
    pub fn fig(&self, id: FigureId) -> &Figure {
        &self.figures[id.0]
    }

    /// Every figure with its id.
    pub fn ids(&self) -> impl Iterator<Item = (FigureId, &Figure)> + '_ {
        self.figures
            .iter()
            .enumerate()
            .map(|(i, f)| (FigureId(i), f))
    }
}
