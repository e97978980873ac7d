//! How a document's blocks become the rows the form reader goes through: a table's rows, a
//! form written one cell per line regrouped into rows, and a form flattened into one line (a
//! web page's text, a PDF copied as one paragraph) cut back into rows.

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

/// The first cell of a 资金 row whose cells could not all be placed.
pub(super) const CUT: &str = "\u{1}cut";

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
    // How many value cells the 资金 header has, for rows whose blanks may have been lost.
    let mut width = 0usize;
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
            width = end - i;
            out.push(line(i, head));
            i = end;
        } else if FUND_ROW.is_match(c) {
            let mut row = vec![c.to_string()];
            let mut k = i + 1;
            while k < cells.len() && value(text(k)) {
                row.push(text(k).to_string());
                k += 1;
            }
            // A row with fewer values than the header (a trailing text column aside) lost a
            // blank cell: its values would shift into the wrong columns. It is kept out, and
            // the form marked as read in part.
            if row.len() - 1 + 1 < width {
                row.insert(0, CUT.to_string());
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

/// Whether a token is a plain number: 分值 and 得分 (not 95%, 12人).
fn plain(t: &str) -> bool {
    num(t).is_some() && t.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// A level name of the indicator table: 产出指标, 数量指标, 服务对象满意度指标.
fn level(t: &str) -> bool {
    LEVEL1.is_match(t) || (t.ends_with("指标") && t.chars().count() <= 12)
}

/// A form flattened into one line of tokens, cut back into rows. What comes before the
/// indicator header and after the indicators is regrouped as a one-cell-per-line form is;
/// the indicators are read from the runs of plain numbers that end them (分值 and 得分 are
/// the last two of a run): the three tokens before a run are the 三级指标, 年度指标值 and
/// 实际完成值, level names before those start the row, and any other words are the 偏差原因
/// of the indicator before.
fn flat(tokens: &[(String, Span)]) -> Vec<Line> {
    let text = |k: usize| tokens[k].0.as_str();
    let Some(head) = (0..tokens.len()).find(|&k| text(k).contains("一级指标")) else {
        return regroup(tokens);
    };
    let end = (head..tokens.len())
        .find(|&k| matches!(text(k), "总分" | "合计"))
        .unwrap_or(tokens.len());
    let first = (head..end)
        .find(|&k| LEVEL1.is_match(text(k)))
        .unwrap_or(end);
    let mut out = regroup(&tokens[..head]);
    let span = tokens[head].1;
    out.push(Line {
        cells: (head..first).map(|k| text(k).to_string()).collect(),
        span,
    });
    // Indicator rows: [一级, 二级, 三级, 指标值, 完成值, 分值, 得分, 偏差原因].
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut from = first;
    let mut k = first;
    while k < end {
        if !plain(text(k)) {
            k += 1;
            continue;
        }
        let mut e = k;
        while e + 1 < end && plain(text(e + 1)) {
            e += 1;
        }
        if e == k || e < from + 4 {
            k = e + 1;
            continue;
        }
        let seg: Vec<&str> = (from..e - 1).map(text).collect();
        let n = seg.len();
        let (l3, target, actual) = (seg[n - 3], seg[n - 2], seg[n - 1]);
        let prefix = &seg[..n - 3];
        let at = prefix.iter().position(|t| level(t)).unwrap_or(prefix.len());
        if let Some(prev) = rows.last_mut() {
            prev[7] = prefix[..at].concat();
        }
        let names = &prefix[at..];
        let (l1, l2) = match names {
            [a, b, ..] => (a.to_string(), b.to_string()),
            [a] if LEVEL1.is_match(a) => (a.to_string(), String::new()),
            [a] => (String::new(), a.to_string()),
            [] => (String::new(), String::new()),
        };
        rows.push(vec![
            l1,
            l2,
            l3.into(),
            target.into(),
            actual.into(),
            text(e - 1).into(),
            text(e).into(),
            String::new(),
        ]);
        from = e + 1;
        k = e + 1;
    }
    if let Some(prev) = rows.last_mut() {
        prev[7] = (from..end).map(text).collect::<Vec<_>>().concat();
    }
    out.extend(rows.into_iter().map(|cells| Line { cells, span }));
    out.extend(regroup(&tokens[end..]));
    if let Some(g) = (end..tokens.len()).find(|&k| text(k).starts_with("自评等级")) {
        if let Some(v) = tokens.get(g + 1) {
            out.push(Line {
                cells: vec![text(g).to_string(), v.0.clone()],
                span,
            });
        }
    }
    out
}

/// Whether a paragraph is a whole form flattened into one line: many tokens, an indicator
/// header and a 资金 header among them.
fn flattened(text: &str) -> bool {
    let n = text.split_whitespace().count();
    n >= 20 && text.contains("一级指标") && (text.contains("年初预算") || text.contains("全年执行"))
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
            Block::Paragraph(p) if flattened(&p.text) => {
                flush(&mut run, &mut out);
                let tokens: Vec<(String, Span)> = p
                    .text
                    .split_whitespace()
                    .map(|t| (t.to_string(), p.span))
                    .collect();
                if let Some((t, span)) = tokens.iter().find(|(c, _)| c.contains("自评表")) {
                    out.push(Item::Para(t.clone(), *span));
                }
                out.extend(flat(&tokens).into_iter().map(|l| Item::Row(l, None)));
            }
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
