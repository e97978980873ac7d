//! Tables as logical rows: a row that holds several records side by side is split, each row
//! gets its label and classification code, and each numeric cell becomes a figure labelled
//! "row/column" with the column's phase and unit.

use super::extractor::{Extractor, FigureDraft, Keying};
use super::number::{parse_cell, unit, Unit, UnitClass};
use super::types::{CellPos, FigureId, LogicalRow, LogicalTable};
use super::vocab::{is_total_label, noun_of, phase_of, unit_in, year_of, Phase};
use crate::model::{Cell, Row, Table};

/// What a table's caption says about every cell.
struct Caption {
    unit: Option<Unit>,
    /// The caption's noun ("三公经费"), which qualifies rows that do not name it.
    topic: String,
    phase: Option<Phase>,
}

/// What a row says about its cells.
struct RowHead {
    label: Option<String>,
    code: Option<String>,
    noun: String,
    is_total: bool,
}

impl Extractor<'_> {
    /// A table: its logical rows and their figures, then the sums its structure states.
    pub fn table(&mut self, index: usize, t: &Table) {
        let w = t.width();
        let groups = side_by_side(t);
        let gw = w / groups;
        // A caption may stand in the line before the table instead of in its first row.
        let caption_text = t.title.clone().or_else(|| self.caption.take());
        let caption = Caption {
            unit: caption_text.as_deref().and_then(unit_in),
            topic: caption_text
                .as_deref()
                .map(|s| noun_of(&s.replace('表', "")))
                .unwrap_or_default(),
            phase: caption_text.as_deref().and_then(phase_of),
        };
        let mut x = LogicalTable {
            index,
            title: t.title.clone(),
            columns: t.columns[..gw].to_vec(),
            header_rows: t.header_rows,
            line: t.line,
            page: t.page,
            rows: Vec::new(),
        };
        for g in 0..groups {
            for row in t.body() {
                let cells = &row.cells[g * gw..((g + 1) * gw).min(row.cells.len())];
                if cells.iter().all(|c| c.is_blank()) {
                    continue;
                }
                let head = row_head(cells);
                let pos = CellPos {
                    table: index,
                    row: x.rows.len(),
                    column: 0,
                };
                let figures = cells
                    .iter()
                    .enumerate()
                    .map(|(ci, _)| {
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
        }
        self.table_sums(&x);
        self.out.tables.push(x);
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
            || col.contains("序号")
            || col.contains("编码")
            || col.contains("代码")
        {
            return None;
        }
        let label = head.label.as_deref();
        let u = if pct {
            unit("%")
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
        // The caption's topic qualifies a row unless the row names it already (基本支出合计
        // in a 基本支出表).
        let row_label = label.unwrap_or("");
        let own = noun_of(&format!("{row_label}{col}"));
        let topic_named = caption.topic.is_empty() || own.contains(&caption.topic);
        let noun = if topic_named {
            own.clone()
        } else {
            noun_of(&format!("{}{row_label}{col}", caption.topic))
        };
        // Only cells under a labelled column get a key, and rates only on total rows.
        let keyable = !col.is_empty()
            && (u.class != UnitClass::Percent || head.noun.is_empty() || head.is_total);
        let keying = if keyable {
            // A named item row keeps its own name when the caption's topic, put before it,
            // makes no known noun (公务接待费 in a 三公经费 table).
            Keying::ByNoun {
                fallback: (!topic_named && !head.is_total && !head.noun.is_empty()).then_some(own),
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
            threshold: false,
            direction: None,
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
            keying,
        });
        Some(id)
    }
}

/// How many records a row holds side by side: a header that repeats (序号, 名称, 预算, 决算,
/// 序号, 名称, 预算, 决算) holds several.
fn side_by_side(t: &Table) -> usize {
    let w = t.width();
    for g in [2, 3] {
        if w >= 2 * g && w.is_multiple_of(g) {
            let gw = w / g;
            let first = &t.columns[..gw];
            if first.iter().any(|c| !c.is_empty())
                && (1..g).all(|k| t.columns[k * gw..(k + 1) * gw] == *first)
            {
                return g;
            }
        }
    }
    1
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
            if tx.chars().all(|ch| ch.is_ascii_digit()) && label.is_none() && code.is_none() {
                code = Some(tx.to_string());
                continue;
            }
            break;
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
