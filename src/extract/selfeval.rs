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

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::number::parse_cell;
use super::types::{FormKind, FundRow, Indicator, Num, SelfEval};
use crate::model::{Block, Document, Span, Table};

/// The labels of the 项目资金 rows.
static FUND_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:其中[：:]?)?(?:年度资金总额|资金总额|总额|当年财政拨款|财政拨款(?:资金)?|财政资金|上年结转(?:资金)?|其他资金|财政专户(?:管理资金)?|单位资金|一般公共预算(?:资金|拨款)?|政府性基金(?:预算)?(?:资金|拨款)?|国有资本经营预算(?:资金)?|基本支出|项目支出)[：:]?$")
        .expect("valid")
});

/// The label of a 部门整体 form's breakdown (按收入性质分 / 按支出性质分): a row of no values
/// inside the 资金 rows.
static FUND_GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:其中[：:]?)?按(?:收入|支出|资金)(?:性质|来源|用途)分?[：:]?$").expect("valid")
});

/// 自评等级 written beside its label or in a sentence.
static GRADE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:自评等级|自评结果|绩效等级)(?:为|：|:)?\s*[“”\x22]?\s*(优秀|优|良好|良|中等|中|较差|不合格|合格|差)",
    )
    .expect("valid")
});

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A number as written (分值 10.0, 得分 9.17, 执行率 100.00%).
fn num(s: &str) -> Option<Num> {
    let (written, value, _) = parse_cell(s.trim())?;
    let decimals = written.split_once('.').map_or(0, |(_, f)| {
        f.chars().take_while(char::is_ascii_digit).count() as u32
    });
    Some(Num { value, decimals })
}

/// One row of a table as its cells' texts, with its place.
struct Line {
    cells: Vec<String>,
    span: Span,
}

fn lines(t: &Table) -> Vec<Line> {
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
struct FundColumns {
    initial: Option<usize>,
    total: Option<usize>,
    actual: Option<usize>,
    weight: Option<usize>,
    rate: Option<usize>,
    score: Option<usize>,
}

fn fund_columns(cells: &[String]) -> Option<FundColumns> {
    let find = |f: &dyn Fn(&str) -> bool| cells.iter().position(|c| f(c));
    let c = FundColumns {
        initial: find(&|c| c.contains("年初预算")),
        total: find(&|c| {
            (c.contains("全年预算") || c.contains("调整后预算") || c.contains("调整预算"))
                && !c.contains("执行")
        }),
        actual: find(&|c| c.contains("执行数") || c.contains("实际执行")),
        weight: find(&|c| c == "分值" || c == "权重" || c.starts_with("分值")),
        rate: find(&|c| c.contains("执行率")),
        score: find(&|c| c == "得分" || c.starts_with("得分")),
    };
    (c.actual.is_some() && (c.total.is_some() || c.initial.is_some())).then_some(c)
}

/// The value of a header field: the first non-empty cell after its label.
fn field(cells: &[String], label: &str) -> Option<String> {
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
fn blank(c: &str) -> bool {
    c.is_empty() || matches!(c, "--" | "-" | "/" | "—" | "——" | "－")
}

/// Column positions of an indicator header (一级指标 … 得分), for rows read by position.
#[derive(Default, Clone, Copy)]
struct IndicatorColumns {
    l1: Option<usize>,
    l2: Option<usize>,
    l3: Option<usize>,
    nature: Option<usize>,
    target: Option<usize>,
    unit: Option<usize>,
    actual: Option<usize>,
    weight: Option<usize>,
    score: Option<usize>,
    reason: Option<usize>,
}

fn indicator_columns(cells: &[String]) -> IndicatorColumns {
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
fn indicator_at(
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
fn indicator(cells: &[String], carried: &mut [String; 2], span: Span) -> Option<Indicator> {
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

/// What the form reader goes through: a paragraph, or a table row (of a table, or regrouped
/// from a form written one cell per line).
enum Item {
    Para(String, Span),
    Row(Line, Option<String>),
}

/// The level-1 indicator names that start the first row under an indicator header.
static LEVEL1: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:产出|效益|满意度|成本|效果|管理|决策|过程)指标$").expect("valid")
});

/// A form written one cell per line (Word's table export, a form copied from a PDF, cells
/// ending in "|"), regrouped into rows: the header fields with their values, the 资金 header
/// and each 资金 row with the values after its label, the indicator header and its rows of
/// the header's width, the 合计/总分 row.
fn regroup(cells: &[(String, Span)]) -> Vec<Line> {
    let text = |k: usize| cells.get(k).map_or("", |c| c.0.as_str());
    let value = |c: &str| blank(c) || num(c).is_some();
    let line = |k: usize, v: Vec<String>| Line {
        cells: v,
        span: cells[k].1,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let c = text(i);
        if ["项目名称", "主管部门", "实施单位", "部门（单位）名称"]
            .iter()
            .any(|l| c.starts_with(l))
        {
            out.push(line(i, vec![c.to_string(), text(i + 1).to_string()]));
            i += 2;
        } else if c.contains("年初预算") {
            let end = (i..cells.len())
                .find(|&k| FUND_ROW.is_match(text(k)))
                .unwrap_or(cells.len());
            let mut head = vec![String::new()];
            head.extend((i..end).map(|k| text(k).to_string()));
            out.push(line(i, head));
            i = end;
        } else if FUND_ROW.is_match(c) {
            let mut row = vec![c.to_string()];
            let mut k = i + 1;
            while k < cells.len() && value(text(k)) {
                row.push(text(k).to_string());
                k += 1;
            }
            out.push(line(i, row));
            i = k;
        } else if c.contains("一级指标") {
            let width = (i..cells.len())
                .find(|&k| LEVEL1.is_match(text(k)))
                .map_or(0, |k| k - i);
            if width < 5 {
                i += 1;
                continue;
            }
            out.push(line(
                i,
                (i..i + width).map(|k| text(k).to_string()).collect(),
            ));
            let mut k = i + width;
            while k + width <= cells.len() && !matches!(text(k), "合计" | "总分") {
                out.push(line(
                    k,
                    (k..k + width).map(|j| text(j).to_string()).collect(),
                ));
                k += width;
            }
            i = k;
        } else if matches!(c, "合计" | "总分") {
            let mut row = vec![c.to_string()];
            let mut k = i + 1;
            while k < cells.len() && value(text(k)) && k < i + 4 {
                row.push(text(k).to_string());
                k += 1;
            }
            out.push(line(i, row));
            i = k;
        } else {
            i += 1;
        }
    }
    out
}

/// The blocks as the form reader goes through them. A run of paragraphs that holds a form
/// one cell per line (an indicator header among short lines) is regrouped into rows.
fn items(doc: &Document) -> Vec<Item> {
    let mut out = Vec::new();
    let mut run: Vec<(String, Span)> = Vec::new();
    let flush = |run: &mut Vec<(String, Span)>, out: &mut Vec<Item>| {
        let short = run.iter().filter(|(c, _)| c.chars().count() <= 40).count();
        let formlike = run.len() >= 15
            && short * 10 >= run.len() * 6
            && run.iter().any(|(c, _)| c == "一级指标")
            && run
                .iter()
                .any(|(c, _)| c.contains("年初预算") && c.chars().count() <= 10);
        if formlike {
            // Its title line, for the record.
            if let Some((t, span)) = run.iter().find(|(c, _)| c.contains("自评表")) {
                out.push(Item::Para(t.clone(), *span));
            }
            out.extend(regroup(run).into_iter().map(|l| Item::Row(l, None)));
        } else {
            out.extend(run.drain(..).map(|(c, s)| Item::Para(c, s)));
        }
        run.clear();
    };
    for b in &doc.blocks {
        match b {
            // Every paragraph is a cell of a possible run: a form's notes and targets are
            // long lines among its short ones.
            Block::Paragraph(p) => run.push((squeeze(p.text.trim().trim_end_matches('|')), p.span)),
            Block::Table(t) => {
                flush(&mut run, &mut out);
                out.extend(lines(t).into_iter().map(|l| Item::Row(l, t.title.clone())));
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

/// A 项目资金 row under the fund header `c`, if `cells` is one.
fn fund_row(cells: &[String], c: &FundColumns, span: Span) -> Option<FundRow> {
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
        weight: at(c.weight),
        rate: at(c.rate),
        score: at(c.score),
        span,
    })
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
    let mut forms: Vec<SelfEval> = Vec::new();
    let mut caption: Option<String> = None;
    // Where the current form is in its reading: its fund columns, the indicator rows.
    let mut funds_at: Option<FundColumns> = None;
    let mut in_indicators = false;
    let mut carried: [String; 2] = Default::default();
    // A form ends at its 总分 row: later tables and text (an evaluation report's 评价等级)
    // are not its own.
    let mut open = false;
    // After the 总分 row only the 自评等级 may follow, in the next rows or lines.
    let mut grace = 0u8;
    let mut ind_cols: Option<IndicatorColumns> = None;
    for item in items(doc) {
        let (l, table_title) = match item {
            Item::Para(s, span) => {
                if open || grace > 0 {
                    if let (Some(f), Some(m)) = (forms.last_mut(), GRADE.captures(&s)) {
                        f.grade.get_or_insert((m[1].to_string(), span));
                    }
                }
                grace = grace.saturating_sub(1);
                if s.contains("自评表") && s.chars().count() <= 60 {
                    caption = Some(s);
                }
                continue;
            }
            Item::Row(l, title) => (l, title),
        };
        {
            let cells = &l.cells;
            let joined: String = cells.concat();
            let has_name = cells
                .iter()
                .any(|c| c.starts_with("项目名称") || c.starts_with("部门（单位）名称"));
            let fund_header = fund_columns(cells).is_some();
            let new_form = match forms.last() {
                None => has_name || fund_header,
                Some(f) => {
                    (has_name && (f.project.is_some() || !f.funds.is_empty()))
                        || (fund_header && !f.funds.is_empty())
                }
            };
            if new_form {
                forms.push(SelfEval {
                    title: caption.take().or_else(|| table_title.clone()),
                    span: l.span,
                    ..SelfEval::default()
                });
                funds_at = None;
                in_indicators = false;
                carried = Default::default();
                open = true;
            }
            if !open && grace > 0 {
                grace -= 1;
                if let (Some(f), Some(m)) = (forms.last_mut(), GRADE.captures(&joined)) {
                    f.grade.get_or_insert((m[1].to_string(), l.span));
                }
                continue;
            }
            let Some(f) = forms.last_mut().filter(|_| open) else {
                continue;
            };
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
            if let Some(m) = GRADE.captures(&joined) {
                f.grade.get_or_insert((m[1].to_string(), l.span));
            }
            if let Some(c) = fund_columns(cells) {
                funds_at = Some(c);
                in_indicators = false;
                continue;
            }
            if cells.iter().any(|c| c.contains("一级指标")) {
                in_indicators = true;
                ind_cols = Some(indicator_columns(cells));
                funds_at = None;
                continue;
            }
            let first_text = cells.iter().find(|c| !c.is_empty() && num(c).is_none());
            if first_text.is_some_and(|c| c.starts_with("总分") || c == "合计") {
                totals(f, cells, l.span);
                in_indicators = false;
                // The 自评等级 may follow in the next row or line; the form closes after it.
                open = f.grade.is_none() && first_text.is_some_and(|c| c == "合计");
                grace = 2;
                continue;
            }
            if let Some(c) = funds_at {
                if let Some(r) = fund_row(cells, &c, l.span) {
                    f.funds.push(r);
                    continue;
                }
                if cells.iter().any(|c| FUND_GROUP.is_match(c)) {
                    continue;
                }
                if cells.iter().all(|c| blank(c) || num(c).is_none()) {
                    funds_at = None;
                }
            }
            if in_indicators {
                let read = indicator(cells, &mut carried, l.span).or_else(|| {
                    ind_cols
                        .as_ref()
                        .filter(|c| cells.len() >= c.weight.map_or(usize::MAX, |w| w + 1))
                        .and_then(|c| indicator_at(cells, c, &mut carried, l.span))
                });
                match (read, ind_cols.as_ref()) {
                    (Some(i), _) => f.indicators.push(i),
                    (None, Some(cols)) => continued(f, cells, cols, &mut carried),
                    _ => {}
                }
            }
        }
    }
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
