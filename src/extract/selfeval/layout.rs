//! How a document's blocks become the rows the form reader goes through: a table's rows, and
//! a form written one cell per line regrouped into rows.

use std::sync::LazyLock;

use regex::Regex;

use super::rows::{blank, goal_head, lines, num, squeeze, Line, FUND_ROW, GOAL};
use crate::model::{Block, Document, Span};

/// What the form reader goes through: a paragraph, or a table row (of a table, or regrouped
/// from a form written one cell per line).
pub(super) enum Item {
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
        } else if GOAL.is_match(c) {
            // 项目年度目标 | 年度目标完成情况 | planned | done.
            let mut k = i + 1;
            while k < cells.len() && goal_head(text(k)) {
                k += 1;
            }
            let planned = text(k).to_string();
            let done = text(k + 1).to_string();
            if !planned.is_empty() && !FUND_ROW.is_match(&planned) && !planned.contains("一级指标")
            {
                let done = if done.contains("一级指标") || done.contains("年初预算") {
                    String::new()
                } else {
                    done
                };
                out.push(line(i, vec![c.to_string(), planned, done]));
            }
            i = k + 2;
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
pub(super) fn items(doc: &Document) -> Vec<Item> {
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
