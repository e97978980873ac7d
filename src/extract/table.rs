//! Tables as logical rows: a row that holds several records side by side is split, each row
//! gets its label and classification code, and each numeric cell becomes a figure labelled
//! "row/column" with the column's phase and unit.

use super::extractor::{Extractor, FigureDraft, Keying};
use super::number::{parse_cell, unit, Unit, UnitClass};
use super::types::{CellPos, FigureId, LogicalRow, LogicalTable};
use super::vocab::{fund_of, is_total_label, noun_of, phase_of, unit_in, year_of, Fund, Phase};
use crate::model::{Cell, Row, Table};

/// What a table's caption says about every cell.
struct Caption {
    unit: Option<Unit>,
    /// The caption's noun ("三公经费"), which qualifies rows that do not name it.
    topic: String,
    phase: Option<Phase>,
    fund: Option<Fund>,
}

/// What a caption says every row of its table is a part of: "…部门“三公”经费支出预算表" →
/// 三公经费. The department's name goes (it ends at its last 部门/单位); an overview (收支总表,
/// 收入总表) has no topic, since its rows name themselves.
fn topic_of(caption: &str) -> String {
    let s = caption.replace('表', "");
    let cut = ["部门", "单位"]
        .iter()
        .filter_map(|w| s.rfind(w).map(|i| i + w.len()))
        .max()
        .filter(|&i| i < s.len())
        .unwrap_or(0);
    let topic = noun_of(&s[cut..]);
    if topic.ends_with('总') {
        String::new()
    } else {
        topic
    }
}

/// A cell's own noun (its row's and column's), the noun it is keyed by, and whether the
/// caption's topic was already named. The caption's topic qualifies a row unless the row
/// names it already (基本支出合计 in a 基本支出表).
fn cell_noun(row_label: &str, col: &str, topic: &str) -> (String, String, bool) {
    let own = noun_of(&format!("{row_label}{col}"));
    let topic_named = topic.is_empty() || own.contains(topic);
    let noun = if topic_named {
        own.clone()
    } else if !own.is_empty() && topic.ends_with(&own) {
        // The table's subject itself (合计 | 机关运行经费支出 in a 一般公共预算机关运行经费
        // 支出表): the caption names it more fully.
        topic.to_string()
    } else {
        noun_of(&format!("{topic}{row_label}{col}"))
    };
    (own, noun, topic_named)
}

/// What a row says about its cells.
struct RowHead {
    label: Option<String>,
    code: Option<String>,
    noun: String,
    is_total: bool,
}

impl Extractor<'_> {
    /// A table: each of its side-by-side halves becomes a logical table of its own, with
    /// its rows and their figures, then the sums its structure states.
    pub fn table(&mut self, t: &Table) {
        // A caption may stand in the line before the table instead of in its first row.
        let caption_text = t.title.clone().or_else(|| self.caption.take());
        let caption = Caption {
            // Or the corner: a form's row-label header says it for the amounts beside it
            // (项目资金（万元） | 年初预算数 | 全年预算数 …).
            unit: caption_text
                .as_deref()
                .and_then(unit_in)
                .or_else(|| t.columns.first().and_then(|c| unit_in(c))),
            topic: caption_text.as_deref().map(topic_of).unwrap_or_default(),
            phase: caption_text.as_deref().and_then(phase_of),
            fund: caption_text.as_deref().and_then(fund_of),
        };
        let body: Vec<&Row> = t
            .body()
            .iter()
            .filter(|r| !is_column_numbers(&r.cells))
            .collect();
        let (ranges, one_list) = halves(t, &body);
        let lists: Vec<Vec<std::ops::Range<usize>>> = if one_list {
            vec![ranges]
        } else {
            ranges.into_iter().map(|r| vec![r]).collect()
        };
        let mut built: Vec<(std::ops::Range<usize>, LogicalTable)> = Vec::new();
        for list in lists {
            let index = self.out.tables.len() + built.len();
            let mut x = LogicalTable {
                index,
                title: caption_text.clone(),
                columns: t.columns[list[0].clone()].to_vec(),
                header_rows: t.header_rows,
                line: t.line,
                page: t.page,
                rows: Vec::new(),
            };
            // A list wrapped into side-by-side columns reads down the first group, then the next.
            let rows = list
                .iter()
                .flat_map(|r| body.iter().map(move |row| (r.clone(), row)));
            for (range, row) in rows {
                let cells =
                    &row.cells[range.start.min(row.cells.len())..range.end.min(row.cells.len())];
                if cells.iter().all(|c| c.is_blank()) {
                    continue;
                }
                let mut head = row_head(cells);
                if head.label.is_none() && !one_list {
                    if let Some(h) = sibling_total(t, row, range.start) {
                        head = h;
                    }
                }
                let pos = CellPos {
                    table: index,
                    row: x.rows.len(),
                    column: 0,
                };
                let figures = (0..cells.len())
                    .map(|ci| {
                        let col = x.columns.get(ci).cloned().unwrap_or_default();
                        let at = CellPos { column: ci, ..pos };
                        self.cell_figure(row, cells, at, &col, &head, &caption)
                    })
                    .collect();
                x.rows.push(LogicalRow {
                    label: head.label,
                    code: head.code,
                    line: row.line,
                    page: row.page,
                    cells: cells.iter().map(|c| c.text.clone()).collect(),
                    figures,
                });
            }
            built.push((list[0].clone(), x));
        }
        share_spanning_totals(t, &mut built);
        for (_, x) in built {
            self.row_rates(&x);
            self.table_sums(&x);
            self.out.tables.push(x);
        }
    }

    /// The figure of one cell, if it holds an amount.
    fn cell_figure(
        &mut self,
        row: &Row,
        cells: &[Cell],
        at: CellPos,
        col: &str,
        head: &RowHead,
        caption: &Caption,
    ) -> Option<FigureId> {
        let c = &cells[at.column];
        let tx = c.text.trim();
        let (v, d, pct) = parse_cell(tx)?;
        // An integer followed by a name is a classification code ("30201 基本工资").
        let names_next = cells.get(at.column + 1).is_some_and(|n| {
            let n = n.text.trim();
            !n.is_empty() && parse_cell(n).is_none()
        });
        let code_like = tx.chars().all(|ch| ch.is_ascii_digit()) && names_next;
        if c.merged_from.is_some()
            || code_like
            || (head.code.as_deref() == Some(tx) && head.label.is_some())
            || ["序号", "编码", "代码", "行次", "栏次", "编号"]
                .iter()
                .any(|w| col.contains(w))
        {
            return None;
        }
        let label = head.label.as_deref();
        let leaf = col.rsplit('/').next().unwrap_or("");
        let u = if pct {
            unit("%")
        } else if ["分值", "得分", "权重", "分数"]
            .iter()
            .any(|w| leaf.contains(w))
        {
            // Scores of an evaluation form, whatever unit the tables around are in.
            unit("分")
        } else {
            unit_in(col)
                .or(caption.unit)
                .or(self.unit_hint)
                .or_else(|| self.dominant_money(col, label))
        }?;
        // An opening balance row (年初结转和结余) is of its own phase whatever the column.
        let row_phase = label
            .and_then(phase_of)
            .filter(|p| matches!(p, Phase::Initial | Phase::Prior));
        let phase = row_phase
            .or_else(|| phase_of(col))
            .or_else(|| label.and_then(phase_of))
            .or(caption.phase);
        let full_label = match label {
            Some(l) if !col.is_empty() => format!("{l}/{col}"),
            Some(l) => l.to_string(),
            None => col.to_string(),
        };
        let row_label = label.unwrap_or("");
        let (own, noun, topic_named) = cell_noun(row_label, col, &caption.topic);
        // Only cells under a labelled column get a key, rates only on total rows, and only
        // cells whose row, column or caption says what they are a figure of.
        let total_column = is_total_label(col.rsplit('/').next().unwrap_or(""), false);
        // A row of the classification (30217 公务接待费) is that class's figure, not the
        // department's quantity of the same name.
        let keyable = !col.is_empty()
            && head.code.is_none()
            && (!noun.is_empty() || head.is_total || total_column)
            && (u.class != UnitClass::Percent || head.noun.is_empty() || head.is_total);
        // An item row under a column that names a group (30201 办公费 under 公用经费) is the
        // item's figure: its key must be the one its row alone gives.
        let item_row = !head.is_total && !head.noun.is_empty() && !noun_of(col).is_empty();
        let keying = if keyable {
            // A named item row keeps its own name when the caption's topic, put before it,
            // makes no known noun (公务接待费 in a 三公经费 table).
            Keying::ByNoun {
                fallback: (!topic_named && !head.noun.is_empty()).then(|| own.clone()),
                confirm: item_row.then(|| head.noun.clone()),
            }
        } else {
            Keying::Never
        };
        let id = self.push_figure(FigureDraft {
            noun: if keyable { noun } else { noun_of(&full_label) },
            label: full_label,
            value: v,
            dec: d,
            unit: u,
            phase,
            fund: fund_of(col)
                .or(caption.fund)
                .or_else(|| self.sections.fund())
                .or_else(|| label.and_then(fund_of)),
            threshold: false,
            direction: None,
            compared_to: None,
            year: year_of(col),
            span: c.span,
            context: (
                row.cells
                    .first()
                    .map(|c| c.span.start)
                    .unwrap_or(c.span.start),
                row.cells.last().map(|c| c.span.end).unwrap_or(c.span.end),
            ),
            table: Some(at),
            within: None,
            keying,
        });
        Some(id)
    }
}

/// The column ranges of the records a row holds side by side: a header whose leaf labels
/// repeat (项目, 金额, 项目, 金额), or a label column that starts again after the amounts
/// (收入: 项目 | 行次 | 金额 ‖ 支出: 项目 | 行次 | 合计 | …). One range when neither. The
/// flag says whether the groups are one list wrapped into columns (the whole header
/// repeats: 序号 项目 金额 ‖ 序号 项目 金额) rather than separate lists (收入 ‖ 支出).
fn halves(t: &Table, body: &[&Row]) -> (Vec<std::ops::Range<usize>>, bool) {
    let w = t.width();
    let leaf = |c: &String| -> String {
        c.rsplit('/')
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    let leaves: Vec<String> = t.columns.iter().map(leaf).collect();
    for g in [2, 3] {
        if w >= 2 * g && w.is_multiple_of(g) {
            let gw = w / g;
            let first = &leaves[..gw];
            if first.iter().any(|c| !c.is_empty())
                && (1..g).all(|k| leaves[k * gw..(k + 1) * gw] == *first)
            {
                let whole = &t.columns[..gw];
                let one_list = (1..g).all(|k| t.columns[k * gw..(k + 1) * gw] == *whole);
                // Groups of amount columns alone (预算数 决算数 ‖ 预算数 决算数) are not records.
                let records = (0..g).all(|k| column_kind(body, k * gw) != ColumnKind::Amount);
                if one_list || records {
                    return ((0..g).map(|k| k * gw..(k + 1) * gw).collect(), one_list);
                }
            }
        }
    }
    // A column that holds labels again, headed like the first column, after an amount
    // column: the start of another record.
    let kind: Vec<ColumnKind> = (0..w).map(|k| column_kind(body, k)).collect();
    let mut starts = vec![0];
    let mut seen_amount = false;
    for k in 0..w {
        if kind[k] == ColumnKind::Amount {
            seen_amount = true;
        } else if kind[k] == ColumnKind::Label
            && seen_amount
            && (!leaves[0].is_empty() && leaves[k] == leaves[0] || new_group(t, k))
        {
            starts.push(k);
            seen_amount = false;
        }
    }
    starts.push(w);
    (starts.windows(2).map(|p| p[0]..p[1]).collect(), false)
}

/// Whether column `k` starts another group of the header (收入 | 支出, or 功能分类 | 支出用途
/// under 支出): its path, its leaf aside, differs from the column before it.
fn new_group(t: &Table, k: usize) -> bool {
    let stem = |k: usize| {
        let c = t.columns.get(k).map_or("", |c| c.as_str());
        c.rsplit_once('/').map_or("", |(s, _)| s).to_string()
    };
    k > 0 && !stem(k).is_empty() && !stem(k - 1).is_empty() && stem(k) != stem(k - 1)
}

/// The top component of a column's header path ("支出" of "支出/功能分类/金额").
fn top_of(t: &Table, k: usize) -> &str {
    t.columns
        .get(k)
        .map_or("", |c| c.split('/').next().unwrap_or(""))
}

/// The total label a row gives in the record to the left under the same top header, when
/// that record holds no amount on the row: one 支出合计 spans the 功能分类 and the 支出用途
/// columns of a 收支总表, its label in the first and its amount in the last.
fn sibling_total(t: &Table, row: &Row, start: usize) -> Option<RowHead> {
    let top = top_of(t, start);
    if start == 0 || top.is_empty() {
        return None;
    }
    let from = (0..start)
        .rev()
        .take_while(|&k| top_of(t, k) == top)
        .last()?;
    let cells = row.cells.get(from..start.min(row.cells.len()))?;
    if cells.iter().any(|c| parse_cell(c.text.trim()).is_some()) {
        return None;
    }
    let head = row_head(cells);
    let total = head
        .label
        .as_deref()
        .is_some_and(|l| is_total_label(l, true));
    total.then_some(head)
}

/// A total row whose label stands in one record and its amount in the next record under the
/// same top header (see `sibling_total`) is the total of both: the first record's row gets
/// the amount too, in its only amount column.
fn share_spanning_totals(t: &Table, built: &mut [(std::ops::Range<usize>, LogicalTable)]) {
    for k in 1..built.len() {
        let (left, right) = built.split_at_mut(k);
        let (ra, a) = left.last_mut().expect("k >= 1");
        let (rb, b) = &right[0];
        if top_of(t, ra.start).is_empty() || top_of(t, ra.start) != top_of(t, rb.start) {
            continue;
        }
        let amount_cols: Vec<usize> = (0..a.columns.len())
            .filter(|&c| a.rows.iter().any(|r| r.figure(c).is_some()))
            .collect();
        let [col] = amount_cols.as_slice() else {
            continue;
        };
        let total = |r: &LogicalRow| r.label.as_deref().is_some_and(|l| is_total_label(l, true));
        for r in a.rows.iter_mut().filter(|r| total(r)) {
            if r.figures.iter().any(Option::is_some) {
                continue;
            }
            let twin = b
                .rows
                .iter()
                .find(|x| x.line == r.line && x.page == r.page && x.label == r.label);
            let ids: Vec<FigureId> = twin
                .map(|x| x.figures.iter().flatten().copied().collect())
                .unwrap_or_default();
            if let ([id], Some(slot)) = (ids.as_slice(), r.figures.get_mut(*col)) {
                *slot = Some(*id);
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    Label,
    Amount,
    Other,
}

/// Whether a column's body cells are mostly text (labels) or mostly amounts.
fn column_kind(body: &[&Row], k: usize) -> ColumnKind {
    let cells: Vec<&str> = body
        .iter()
        .filter_map(|r| r.cells.get(k))
        .map(|c| c.text.trim())
        .filter(|t| !t.is_empty())
        .collect();
    if cells.len() < 2 {
        return ColumnKind::Other;
    }
    let numeric = cells.iter().filter(|t| parse_cell(t).is_some()).count();
    let coded = cells
        .iter()
        .filter(|t| t.chars().all(|c| c.is_ascii_digit()))
        .count();
    if numeric * 10 >= cells.len() * 7 && coded * 2 < cells.len() {
        ColumnKind::Amount
    } else if numeric * 10 <= cells.len() * 3 {
        ColumnKind::Label
    } else {
        ColumnKind::Other
    }
}

/// A row of column numbers under the header (栏次 1 2 3 …, "** 1 2 … 17"): not amounts.
fn is_column_numbers(cells: &[Cell]) -> bool {
    let mut numbers = Vec::new();
    let mut marked = false;
    for c in cells {
        let t = c.text.trim();
        if t.is_empty() {
            continue;
        }
        if matches!(t, "栏次" | "行次" | "栏号" | "*" | "**" | "***") {
            marked = true;
            continue;
        }
        match t.parse::<u32>() {
            Ok(n) if t.chars().all(|c| c.is_ascii_digit()) => numbers.push(n),
            _ => return false,
        }
    }
    let consecutive = numbers.windows(2).all(|p| p[1] == p[0] + 1);
    consecutive
        && numbers.first().is_some_and(|&n| n <= 1)
        && (numbers.len() >= 3 || marked && !numbers.is_empty())
}

/// A row's label (its text cells before the first amount) and classification code (a
/// leading all-digit cell, or split codes "201 06 01 行政运行").
fn row_head(cells: &[Cell]) -> RowHead {
    let mut label: Option<String> = None;
    let mut code = None;
    for c in cells {
        let tx = c.text.trim();
        if tx.is_empty() {
            continue;
        }
        if parse_cell(tx).is_some() {
            let digits = tx.chars().all(|ch| ch.is_ascii_digit());
            match &mut code {
                None if digits && label.is_none() => {
                    code = Some(tx.to_string());
                    continue;
                }
                // A code split into its 类, 款 and 项 cells: 204 | 02 | 20 | 执法办案.
                Some(c) if digits && label.is_none() && tx.len() == 2 && c.len() < 7 => {
                    c.push_str(tx);
                    continue;
                }
                _ => break,
            }
        }
        label = Some(match label {
            Some(l) => format!("{l} {tx}"),
            None => tx.to_string(),
        });
    }
    if let Some(l) = label.clone() {
        let mut digits: String = code.clone().unwrap_or_default();
        let mut rest = l.as_str();
        while let Some((head, tail)) = rest.split_once(' ') {
            if !head.is_empty() && head.chars().all(|c| c.is_ascii_digit()) && head.len() <= 4 {
                digits.push_str(head);
                rest = tail.trim_start();
            } else {
                break;
            }
        }
        if rest.len() < l.len() {
            code = Some(digits);
            label = Some(rest.to_string());
        }
    }
    RowHead {
        noun: label.as_deref().map(noun_of).unwrap_or_default(),
        is_total: label.as_deref().is_some_and(|l| is_total_label(l, false)),
        label,
        code,
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::tests::ex_text;

    fn keyed(src: &str, key: &str) -> Vec<String> {
        let e = ex_text(src);
        e.figures
            .iter()
            .filter(|f| f.key.as_deref() == Some(key))
            .map(|f| f.value.clone())
            .collect()
    }

    #[test]
    fn rows_keep_codes_and_labels() {
        let e = ex_text(
            "科目编码\t科目名称\t年初预算数（万元）\n201\t一般公共服务支出\t10.00\n合计\t\t10.00\n",
        );
        let t = &e.tables[0];
        assert_eq!(t.rows[0].code.as_deref(), Some("201"));
        assert_eq!(t.rows[0].label.as_deref(), Some("一般公共服务支出"));
        assert!(t.rows[1].is_total());
    }

    /// A cell under no column label is never keyed, whatever its row says.
    #[test]
    fn unlabelled_columns_are_not_keyed() {
        assert!(keyed(
            "公用经费\t12.00\t13.00\n人员经费\t40.00\t41.00\n",
            "budget.initial.public"
        )
        .is_empty());
    }
}
