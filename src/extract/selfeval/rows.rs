//! What a row of a self-evaluation form is: the labels of its 资金 rows and 年度总体目标, the
//! column heads of its 资金 and indicator tables, and an indicator row read from its cells.

use std::sync::LazyLock;

use regex::Regex;

use super::super::number::parse_cell;
use super::super::types::{FundRow, Indicator, Num};
use crate::model::{Span, Table};

/// The labels of the 项目资金 rows.
pub(super) static FUND_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:其中[：:]?)?(?:年度资金总额|资金总额|年度支出总额|支出总额|总额|当年财政拨款|财政拨款(?:资金)?|财政资金|上年结转(?:资金)?|其他资金|财政专户(?:管理资金)?|单位资金|一般公共预算(?:资金|拨款)?|政府性基金(?:预算)?(?:资金|拨款)?|国有资本经营预算(?:资金)?|基本支出|项目支出)[：:]?$")
        .expect("valid")
});

/// The label of a 部门整体 form's breakdown (按收入性质分 / 按支出性质分): a row of no values
/// inside the 资金 rows.
pub(super) static FUND_GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:其中[：:]?)?按(?:收入|支出|资金)(?:性质|来源|用途)分?[：:]?$").expect("valid")
});

/// The label of the 年度总体目标 row.
pub(super) static GOAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:年度总体目标|总体目标|项目年度目标|年度绩效目标|年度目标)[：:]?$")
        .expect("valid")
});

/// The column heads of the 年度总体目标 row's two cells.
pub(super) fn goal_head(c: &str) -> bool {
    matches!(
        c,
        "预期目标" | "实际完成情况" | "年度目标完成情况" | "实际完成值" | "目标完成情况"
    )
}

pub(super) fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A number as written (分值 10.0, 得分 9.17, 执行率 100.00%).
pub(super) fn num(s: &str) -> Option<Num> {
    let (written, value, _) = parse_cell(s.trim())?;
    let decimals = written.split_once('.').map_or(0, |(_, f)| {
        f.chars().take_while(char::is_ascii_digit).count() as u32
    });
    Some(Num { value, decimals })
}

/// One row of a table as its cells' texts, with its place.
pub(super) struct Line {
    pub(super) cells: Vec<String>,
    pub(super) span: Span,
}

pub(super) fn lines(t: &Table) -> Vec<Line> {
    t.rows
        .iter()
        .map(|r| Line {
            cells: r.cells.iter().map(|c| squeeze(&c.text)).collect(),
            span: Span {
                start: r.cells.first().map_or(0, |c| c.span.start),
                end: r.cells.last().map_or(0, |c| c.span.end),
                line: r.line,
                page: r.page,
            },
        })
        .collect()
}

/// Column positions of the 项目资金 header.
#[derive(Default, Clone, Copy)]
pub(super) struct FundColumns {
    pub(super) initial: Option<usize>,
    pub(super) total: Option<usize>,
    pub(super) actual: Option<usize>,
    /// 全年到位数 (资金到位), on the templates that have it.
    pub(super) arrived: Option<usize>,
    pub(super) weight: Option<usize>,
    pub(super) rate: Option<usize>,
    pub(super) score: Option<usize>,
}

pub(super) fn fund_columns(cells: &[String]) -> Option<FundColumns> {
    let find = |f: &dyn Fn(&str) -> bool| cells.iter().position(|c| f(c));
    let c = FundColumns {
        initial: find(&|c| c.contains("年初预算")),
        total: find(&|c| {
            (c.contains("全年预算") || c.contains("调整后预算") || c.contains("调整预算"))
                && !c.contains("执行")
        }),
        actual: find(&|c| c.contains("执行数") || c.contains("实际执行")),
        arrived: find(&|c| c.contains("到位") && !c.contains("到位率")),
        weight: find(&|c| c == "分值" || c == "权重" || c.starts_with("分值")),
        rate: find(&|c| c.contains("执行率")),
        score: find(&|c| c == "得分" || c.starts_with("得分")),
    };
    (c.actual.is_some() && (c.total.is_some() || c.initial.is_some())).then_some(c)
}

/// The value of a header field: the first non-empty cell after its label.
pub(super) fn field(cells: &[String], label: &str) -> Option<String> {
    let at = cells.iter().position(|c| c.starts_with(label))?;
    let own = cells[at][label.len()..].trim_start_matches(['：', ':']);
    // "实施单位(盖章)": a note on the label, not its value.
    let noted = own.starts_with(['(', '（']) && own.ends_with([')', '）']);
    if !own.is_empty() && !noted {
        return Some(own.to_string());
    }
    cells[at + 1..]
        .iter()
        .find(|c| !c.is_empty() && *c != &cells[at])
        .cloned()
}

/// A value cell: a number, or the blanks a form leaves (--, /, —).
pub(super) fn blank(c: &str) -> bool {
    c.is_empty() || matches!(c, "--" | "-" | "/" | "—" | "——" | "－")
}

/// Column positions of an indicator header (一级指标 … 得分), for rows read by position.
#[derive(Default, Clone, Copy)]
pub(super) struct IndicatorColumns {
    pub(super) l1: Option<usize>,
    pub(super) l2: Option<usize>,
    pub(super) l3: Option<usize>,
    pub(super) nature: Option<usize>,
    pub(super) target: Option<usize>,
    pub(super) unit: Option<usize>,
    pub(super) actual: Option<usize>,
    pub(super) weight: Option<usize>,
    pub(super) score: Option<usize>,
    pub(super) reason: Option<usize>,
}

pub(super) fn indicator_columns(cells: &[String]) -> IndicatorColumns {
    let find = |f: &dyn Fn(&str) -> bool| cells.iter().position(|c| f(c));
    IndicatorColumns {
        l1: find(&|c| c.contains("一级指标")),
        l2: find(&|c| c.contains("二级指标")),
        l3: find(&|c| c.contains("三级指标")),
        nature: find(&|c| c.contains("指标性质")),
        target: find(&|c| c.contains("指标值") && !c.contains("性质")),
        unit: find(&|c| c.contains("度量单位") || c.contains("计量单位")),
        actual: find(&|c| c.contains("完成值")),
        weight: find(&|c| c == "分值" || c == "权重"),
        score: find(&|c| c == "得分"),
        reason: find(&|c| c.contains("原因")),
    }
}

/// An indicator row read by the positions of its header (a one-cell-per-line form, whose
/// rows are exactly as wide as the header): 指标性质 and 度量单位 join the values they qualify.
pub(super) fn indicator_at(
    cells: &[String],
    cols: &IndicatorColumns,
    carried: &mut [String; 2],
    span: Span,
) -> Option<Indicator> {
    let at = |k: Option<usize>| k.and_then(|k| cells.get(k)).cloned().unwrap_or_default();
    let l3 = at(cols.l3);
    if l3.is_empty() || cols.weight.is_none() {
        return None;
    }
    let (l1, l2) = (at(cols.l1), at(cols.l2));
    if !l1.is_empty() {
        carried[0] = l1;
    }
    if !l2.is_empty() {
        carried[1] = l2;
    }
    let unit = at(cols.unit);
    let target = format!("{}{}{unit}", at(cols.nature), at(cols.target));
    let actual = at(cols.actual);
    let actual = if actual.is_empty() {
        actual
    } else {
        format!("{actual}{unit}")
    };
    Some(Indicator {
        level1: carried[0].clone(),
        level2: carried[1].clone(),
        level3: l3,
        target,
        actual,
        weight: num(&at(cols.weight)),
        score: num(&at(cols.score)),
        reason: at(cols.reason),
        span,
    })
}

/// An indicator row read from its right end (see the module doc); None when the row does
/// not end in 分值 and 得分.
pub(super) fn indicator(
    cells: &[String],
    carried: &mut [String; 2],
    span: Span,
) -> Option<Indicator> {
    let filled: Vec<&String> = cells.iter().filter(|c| !c.is_empty()).collect();
    // The last two numbers in a row: 分值, 得分; a text after them is the reason.
    let nums: Vec<usize> = (0..filled.len())
        .filter(|&k| num(filled[k]).is_some() && !filled[k].contains('%'))
        .collect();
    let &w = nums.iter().rev().nth(1)?;
    let s = w + 1;
    if !nums.contains(&s) || filled.len() - s > 2 || w < 3 {
        return None;
    }
    let reason = filled.get(s + 1).map(|c| c.to_string()).unwrap_or_default();
    let (actual, target, l3) = (filled[w - 1], filled[w - 2], filled[w - 3]);
    let rest: Vec<&String> = filled[..w - 3]
        .iter()
        .copied()
        .filter(|c| c.as_str() != "绩效指标")
        .collect();
    match rest.as_slice() {
        [] => {}
        [l2] => carried[1] = l2.to_string(),
        [.., l1, l2] => {
            carried[0] = l1.to_string();
            carried[1] = l2.to_string();
        }
    }
    Some(Indicator {
        level1: carried[0].clone(),
        level2: carried[1].clone(),
        level3: l3.to_string(),
        target: target.to_string(),
        actual: actual.to_string(),
        weight: num(filled[w]),
        score: num(filled[s]),
        reason,
        span,
    })
}

/// A 项目资金 row under the fund header `c`, if `cells` is one.
pub(super) fn fund_row(cells: &[String], c: &FundColumns, span: Span) -> Option<FundRow> {
    let label = cells.iter().find(|c| !c.is_empty())?;
    if !FUND_ROW.is_match(label) {
        return None;
    }
    let at = |k: Option<usize>| k.and_then(|k| cells.get(k)).and_then(|v| num(v));
    Some(FundRow {
        label: label.trim_end_matches(['：', ':']).to_string(),
        initial: at(c.initial),
        total: at(c.total),
        actual: at(c.actual),
        arrived: at(c.arrived),
        weight: at(c.weight),
        rate: at(c.rate),
        score: at(c.score),
        span,
    })
}
