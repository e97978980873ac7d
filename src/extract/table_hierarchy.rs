//! The sums a table states by its hierarchy rather than its totals: classification codes
//! that extend one another (204 ⊃ 20402 ⊃ 2040201), and label columns filled at different
//! depths (采购品目大类 | 专项名称 | 经济科目 | …).

use super::extractor::Extractor;
use super::number::UnitClass;
use super::table_sums::money_header;
use super::types::{FigureId, Group, LogicalRow, LogicalTable, SumKind};

impl Extractor<'_> {
    /// Tables that show their hierarchy by which label column a row fills (采购品目大类 |
    /// 专项名称 | 经济科目 | 采购物品名称 | … | 金额): a row's amount belongs to its last filled
    /// label column, and each row is the sum of the rows below it that fill a later one,
    /// up to the next row at its own depth or above. Gated like the code sums.
    pub(super) fn column_depth_sums(&mut self, x: &LogicalTable) {
        if x.rows.iter().any(|r| r.code.is_some()) {
            return;
        }
        let width = x.columns.len();
        let label_cols: Vec<usize> = (0..width)
            .filter(|&k| {
                x.rows.iter().all(|r| r.figure(k).is_none())
                    && x.rows
                        .iter()
                        .any(|r| r.cells.get(k).is_some_and(|c| !c.trim().is_empty()))
            })
            .collect();
        if label_cols.len() < 2 {
            return;
        }
        let depth = |r: &LogicalRow| -> Option<usize> {
            label_cols
                .iter()
                .rposition(|&k| r.cells.get(k).is_some_and(|c| !c.trim().is_empty()))
        };
        let depths: Vec<Option<usize>> = x.rows.iter().map(depth).collect();
        if depths
            .iter()
            .flatten()
            .collect::<std::collections::HashSet<_>>()
            .len()
            < 2
        {
            return;
        }
        let mut found: Vec<(FigureId, Vec<FigureId>)> = Vec::new();
        for i in 0..x.rows.len() {
            let Some(d) = depths[i] else { continue };
            if x.rows[i].is_total() {
                continue;
            }
            // The rows below, up to the next at this depth or above; the direct children
            // are those at the shallowest depth among them.
            let below: Vec<usize> = (i + 1..x.rows.len())
                .take_while(|&j| depths[j].is_none_or(|e| e > d))
                .filter(|&j| depths[j].is_some())
                .collect();
            let Some(step) = below.iter().filter_map(|&j| depths[j]).min() else {
                continue;
            };
            let children: Vec<usize> = below
                .iter()
                .copied()
                .filter(|&j| depths[j] == Some(step))
                .collect();
            for ci in 0..width {
                if !money_header(&x.columns[ci]) {
                    continue;
                }
                found.extend(self.column_parts(x, i, ci, &children));
            }
        }
        let fails = found.iter().filter(|(t, p)| !self.adds_up(*t, p)).count();
        if found.is_empty() || fails * 5 > found.len().max(5) {
            return;
        }
        for (total, parts) in found {
            self.out.groups.push(Group {
                total,
                parts,
                complete: true,
                kind: SumKind::TableColumn,
            });
        }
    }

    /// Classification codes nest (204 ⊃ 20405 ⊃ 2040501; 301 ⊃ 30101): each coded row is the
    /// sum of the rows right below it whose codes extend its own by one level, column by
    /// column. A table where more than one relation in five fails has codes that do not nest
    /// that way (units' blocks, codes of another scheme): none is checked.
    /// Row `i`'s amount in column `ci` as a total and its children's amounts there as its
    /// parts, when it is money and every child states the column or leaves it blank.
    fn column_parts(
        &self,
        x: &LogicalTable,
        i: usize,
        ci: usize,
        children: &[usize],
    ) -> Option<(FigureId, Vec<FigureId>)> {
        let total = x.rows[i].figure(ci)?;
        if self.fig(total).class != UnitClass::Money {
            return None;
        }
        let blank = |j: usize| x.rows[j].cells.get(ci).is_none_or(|c| c.trim().is_empty());
        if children
            .iter()
            .any(|&j| x.rows[j].figure(ci).is_none() && !blank(j))
        {
            return None;
        }
        let parts: Vec<FigureId> = children
            .iter()
            .filter_map(|&j| x.rows[j].figure(ci))
            .collect();
        (!parts.is_empty()).then_some((total, parts))
    }

    pub(super) fn code_sums(&mut self, x: &LogicalTable) {
        let coded: Vec<(usize, &str)> = x
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.code.as_deref().map(|c| (i, c)))
            .filter(|(_, c)| c.len() >= 3)
            .collect();
        let closed = self.total_closes(x);
        let mut found: Vec<(FigureId, Vec<FigureId>)> = Vec::new();
        for (k, &(i, code)) in coded.iter().enumerate() {
            // The rows below that extend the code, up to the first that does not.
            let below: Vec<(usize, &str)> = coded[k + 1..]
                .iter()
                .take_while(|(_, c)| c.len() > code.len() && c.starts_with(code))
                .copied()
                .collect();
            let Some(step) = below.iter().map(|(_, c)| c.len()).min() else {
                continue;
            };
            // A block that runs to the end of the table may go on in the next one, unless
            // the table's own total shows it whole.
            if !closed && below.last().is_some_and(|&(j, _)| j + 1 == x.rows.len()) {
                continue;
            }
            let children: Vec<usize> = below
                .iter()
                .filter(|(_, c)| c.len() == step)
                .map(|(j, _)| *j)
                .collect();
            // A code stated twice among the children (21999 其他支出 over 21999 其他支出, the
            // second a 项 misprinted) breaks the hierarchy: which row is whose is unknown.
            let mut codes: Vec<&str> = children
                .iter()
                .filter_map(|&j| x.rows[j].code.as_deref())
                .collect();
            codes.sort_unstable();
            if codes.windows(2).any(|w| w[0] == w[1]) {
                continue;
            }
            // Rows with fewer amounts than their parent lost a blank cell in the copy: their
            // amounts may stand under the wrong columns, all but the first.
            let amounts = |j: usize| x.rows[j].figures.iter().flatten().count();
            let ragged = children.iter().any(|&j| amounts(j) != amounts(i));
            let first_amount = x.rows[i].figures.iter().position(Option::is_some);
            for ci in 0..x.rows[i].figures.len() {
                if ragged && Some(ci) != first_amount {
                    continue;
                }
                found.extend(self.column_parts(x, i, ci, &children));
            }
        }
        let fails = found.iter().filter(|(t, p)| !self.adds_up(*t, p)).count();
        if fails * 5 > found.len().max(5) {
            return;
        }
        for (total, parts) in found {
            self.out.groups.push(Group {
                total,
                parts,
                complete: true,
                kind: SumKind::TableColumn,
            });
        }
    }
}
