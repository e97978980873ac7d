//! Performance self-evaluation forms (项目支出绩效自评表, 部门整体支出绩效自评表) read as forms:
//! the header fields, the 项目资金 rows, the indicator table, 总分 and 自评等级, into one
//! record per form. A form is found by its cells, in whatever table layout the reader gave
//! (DOCX and HTML grids with merged cells, PDF rows whose cells may shift, text tables), and
//! it may go on over several tables (a page break).
//!
//! Indicator rows are read from their right end: the last two numbers are 分值 and 得分,
//! the text after them the 偏差原因, the two cells before them 年度指标值 and 实际完成值, the
//! cell before those the 三级指标, and what is left the 一级 and 二级 (carried down from the
//! rows above when the form merges them). PDF rows often shift their cells, and this reading
//! does not depend on columns.
mod layout;
mod rows;

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::types::{FormKind, Num, SelfEval};
use crate::model::{Document, Span};
use layout::{items, Item, CUT};
use rows::Line;
use rows::{
    blank, field, fund_columns, fund_row, goal_head, indicator, indicator_at, indicator_columns,
    num, FundColumns, IndicatorColumns, FUND_GROUP, GOAL,
};

/// 自评等级 written beside its label or in a sentence.
/// The label a 自评等级 row starts with.
static GRADE_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:自评等级|自评结果|绩效等级|评价等级)").expect("valid"));

static GRADE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:自评等级|自评结果|绩效等级)(?:为|：|:)?\s*[“”\x22]?\s*(优秀|优|良好|良|中等|中|较差|不合格|合格|差)",
    )
    .expect("valid")
});

/// A row of the indicator table that holds no numbers, only pieces of text under the name,
/// value or reason columns: the rest of the row above, cut by a page break (a PDF row that
/// does not fit the page goes on at the top of the next). Its pieces are joined to the
/// indicator above; a row whose pieces stand under no such column is left alone.
fn continued(
    f: &mut SelfEval,
    cells: &[String],
    cols: &IndicatorColumns,
    carried: &mut [String; 2],
) {
    let Some(last) = f.indicators.last_mut() else {
        return;
    };
    let filled: Vec<(usize, &String)> = cells
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .collect();
    if filled.is_empty() || filled.iter().any(|(_, c)| num(c).is_some()) {
        return;
    }
    let slot = |k: usize| -> Option<u8> {
        [
            cols.l1,
            cols.l2,
            cols.l3,
            cols.target,
            cols.actual,
            cols.reason,
        ]
        .iter()
        .position(|&c| c == Some(k))
        .map(|p| p as u8)
    };
    if filled.iter().any(|(k, _)| slot(*k).is_none()) {
        return;
    }
    for (k, piece) in filled {
        let field = match slot(k) {
            Some(0) => &mut last.level1,
            Some(1) => &mut last.level2,
            Some(2) => &mut last.level3,
            Some(3) => &mut last.target,
            Some(4) => &mut last.actual,
            _ => &mut last.reason,
        };
        field.push_str(piece);
    }
    carried[0].clone_from(&last.level1);
    carried[1].clone_from(&last.level2);
}

/// The 年度总体目标 of a row: (planned, done) after its label; the values of the row after a
/// row of heads.
fn goal(cells: &[String], next: &mut bool) -> Option<(String, String)> {
    let values = |from: usize| -> Vec<String> {
        cells[from..]
            .iter()
            .filter(|c| !c.is_empty() && !goal_head(c) && !GOAL.is_match(c))
            .cloned()
            .collect()
    };
    if let Some(at) = cells.iter().position(|c| GOAL.is_match(c)) {
        let v = values(at + 1);
        if v.is_empty() {
            *next = cells.iter().any(|c| goal_head(c));
            return None;
        }
        *next = false;
        return Some((v[0].clone(), v.get(1).cloned().unwrap_or_default()));
    }
    if std::mem::take(next) {
        let v = values(0);
        if !v.is_empty() && v.iter().all(|c| num(c).is_none()) {
            return Some((v[0].clone(), v.get(1).cloned().unwrap_or_default()));
        }
    }
    None
}

/// A 总分 (合计) row: its last two numbers are the total 分值 and 总分; one number alone is
/// the 分值 (a form whose scores are not filled in).
fn totals(f: &mut SelfEval, cells: &[String], span: Span) {
    let ns: Vec<Num> = cells.iter().filter_map(|c| num(c)).collect();
    if let [.., w, s] = ns.as_slice() {
        f.total_weight = Some((*w, span));
        f.total_score = Some((*s, span));
    } else if let [w] = ns.as_slice() {
        f.total_weight = Some((*w, span));
    }
}

/// The form reader's state: the forms so far and where the current one is in its reading.
#[derive(Default)]
struct Reader {
    forms: Vec<SelfEval>,
    caption: Option<String>,
    funds_at: Option<FundColumns>,
    in_indicators: bool,
    ind_cols: Option<IndicatorColumns>,
    carried: [String; 2],
    /// A form ends at its 总分 row: later tables and text (an evaluation report's 评价等级)
    /// are not its own.
    open: bool,
    /// After the 总分 row only the 自评等级 may follow, in the next rows or lines.
    grace: u8,
    /// A 年度总体目标 row that held only its heads (预期目标, 实际完成情况): the next row
    /// holds the values.
    goal_next: bool,
}

impl Reader {
    fn para(&mut self, s: String, span: Span) {
        // A grade in the text only right after a form's 总分 row: later text (the department's
        // own 自评结果) is not the form's.
        if self.grace > 0 {
            if let (Some(f), Some(m)) = (self.forms.last_mut(), GRADE.captures(&s)) {
                f.grade.get_or_insert((m[1].to_string(), span));
            }
        }
        self.grace = self.grace.saturating_sub(1);
        if s.contains("自评表") && s.chars().count() <= 60 {
            self.caption = Some(s);
        }
    }

    /// Whether a row starts a new form: a name row, or a 资金 header once the current form
    /// has its 资金 rows.
    fn starts_form(&self, cells: &[String]) -> bool {
        let has_name = cells
            .iter()
            .any(|c| c.starts_with("项目名称") || c.starts_with("部门（单位）名称"));
        let fund_header = fund_columns(cells).is_some();
        match self.forms.last() {
            None => has_name || fund_header,
            Some(f) => {
                (has_name && (f.project.is_some() || !f.funds.is_empty()))
                    || (fund_header && !f.funds.is_empty())
            }
        }
    }

    fn row(&mut self, l: Line, table_title: Option<String>) {
        let cells = &l.cells;
        let joined: String = cells.concat();
        if self.starts_form(cells) {
            self.forms.push(SelfEval {
                title: self.caption.take().or(table_title),
                span: l.span,
                ..SelfEval::default()
            });
            self.funds_at = None;
            self.in_indicators = false;
            self.carried = Default::default();
            self.open = true;
        }
        if !self.open && self.grace > 0 {
            self.grace -= 1;
            if let (Some(f), Some(m)) = (self.forms.last_mut(), GRADE.captures(&joined)) {
                f.grade.get_or_insert((m[1].to_string(), l.span));
            }
            return;
        }
        let Some(f) = self.forms.last_mut().filter(|_| self.open) else {
            return;
        };
        header_fields(f, cells);
        // A grade row starts with its label: an indicator named 部门绩效等级 is not one.
        let labelled = cells
            .iter()
            .find(|c| !c.is_empty())
            .is_some_and(|c| GRADE_LABEL.is_match(c));
        if let Some(m) = GRADE.captures(&joined).filter(|_| labelled) {
            f.grade.get_or_insert((m[1].to_string(), l.span));
        }
        if let Some(g) = goal(cells, &mut self.goal_next) {
            f.goal.get_or_insert(g);
            self.funds_at = None;
            return;
        }
        if let Some(c) = fund_columns(cells) {
            self.funds_at = Some(c);
            self.in_indicators = false;
            return;
        }
        if cells.iter().any(|c| c.contains("一级指标")) {
            self.in_indicators = true;
            self.ind_cols = Some(indicator_columns(cells));
            self.funds_at = None;
            return;
        }
        let first_text = cells.iter().find(|c| !c.is_empty() && num(c).is_none());
        if first_text.is_some_and(|c| c.starts_with("总分") || c == "合计") {
            totals(f, cells, l.span);
            self.in_indicators = false;
            // The 自评等级 may follow in the next row or line; the form closes after it.
            self.open = f.grade.is_none() && first_text.is_some_and(|c| c == "合计");
            self.grace = 2;
            return;
        }
        if let Some(c) = self.funds_at {
            if cells.first().is_some_and(|c| c == CUT) {
                f.funds_partial = true;
                return;
            }
            if let Some(r) = fund_row(cells, &c, l.span) {
                f.funds.push(r);
                return;
            }
            if cells.iter().any(|c| FUND_GROUP.is_match(c)) {
                return;
            }
            if cells.iter().all(|c| blank(c) || num(c).is_none()) {
                self.funds_at = None;
            } else if !self.in_indicators {
                // Numbers under a label no 资金 row has (中央补助资金, 自筹资金): a part not read.
                f.funds_partial = true;
            }
        }
        if self.in_indicators {
            let carried = &mut self.carried;
            let read = indicator(cells, carried, l.span).or_else(|| {
                self.ind_cols
                    .as_ref()
                    .filter(|c| cells.len() >= c.weight.map_or(usize::MAX, |w| w + 1))
                    .and_then(|c| indicator_at(cells, c, carried, l.span))
            });
            match (read, self.ind_cols.as_ref()) {
                (Some(i), _) => f.indicators.push(i),
                (None, Some(cols)) => continued(f, cells, cols, carried),
                _ => {}
            }
        }
    }
}

/// 项目名称, 主管部门 (部门（单位）名称 on a 部门整体 form), 实施单位: the first value each gets.
fn header_fields(f: &mut SelfEval, cells: &[String]) {
    for (labels, slot) in [
        (&["项目名称"][..], &mut f.project),
        (
            &["主管部门", "部门（单位）名称", "部门(单位)名称"][..],
            &mut f.department,
        ),
        (&["实施单位"][..], &mut f.unit),
    ] {
        for label in labels {
            if slot.is_none() {
                *slot = field(cells, label);
            }
        }
    }
}

/// The forms of a document, in order.
pub fn find(doc: &Document) -> Vec<SelfEval> {
    // Most reports hold no form: without a 资金 header's or an indicator header's words
    // anywhere (spaces aside) there is nothing to read, and the tables are not copied.
    let text: String = doc.text.chars().filter(|c| !c.is_whitespace()).collect();
    let budget = ["年初预算", "全年预算", "调整后预算", "调整预算"];
    let funds = text.contains("执行") && budget.iter().any(|b| text.contains(b));
    if !funds && !text.contains("一级指标") {
        return Vec::new();
    }
    let mut r = Reader::default();
    for item in items(doc) {
        match item {
            Item::Para(s, span) => r.para(s, span),
            Item::Row(l, title) => r.row(l, title),
        }
    }
    let mut forms = r.forms;
    forms.retain(|f| !f.funds.is_empty() || !f.indicators.is_empty());
    for f in &mut forms {
        let whole = f.title.as_deref().is_some_and(|t| t.contains("整体"));
        let by_use = f
            .funds
            .iter()
            .any(|r| r.label.contains("基本支出") || r.label.contains("项目支出"));
        if whole || by_use {
            f.kind = FormKind::Department;
        }
    }
    forms
}

/// The sum of some numbers, with the most decimals any of them is written with.
pub fn total(nums: impl Iterator<Item = Num>) -> Num {
    nums.fold(
        Num {
            value: Decimal::ZERO,
            decimals: 0,
        },
        |a, n| Num {
            value: a.value + n.value,
            decimals: a.decimals.max(n.decimals),
        },
    )
}
