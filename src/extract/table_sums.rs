//! The sums a table's structure states: a 合计 column is the sum of its group's other
//! columns; a table without a header shows its rule in its rows; a 合计 row is the sum of
//! the rows above it at the top level.

use rust_decimal::Decimal;

use super::extractor::Extractor;
use super::number::UnitClass;
use super::types::{FigureId, Group, LogicalRow, LogicalTable, SumKind};

impl Extractor<'_> {
    pub fn table_sums(&mut self, x: &LogicalTable) {
        self.column_sums(x);
        if !self.out.groups.iter().any(|g| g.kind == SumKind::TableRow) {
            self.headerless_row_rule(x);
        }
        self.total_rows(x);
    }

    /// A 合计/小计 column against its siblings under the same header ("年初预算数（万元）/合计"
    /// with "…/基本支出" and "…/项目支出"), row by row.
    fn column_sums(&mut self, x: &LogicalTable) {
        let cols = &x.columns;
        for (ci, c) in cols.iter().enumerate() {
            let last = c.rsplit('/').next().unwrap_or("");
            if !(last.contains("合计") || last.contains("小计")) {
                continue;
            }
            let top = &c[..c.len() - last.len()];
            let Some(sibs) = direct_parts(cols, ci, top, |k| {
                x.rows.iter().any(|r| r.figure(k).is_some())
            }) else {
                continue;
            };
            if sibs.len() < 2 {
                continue;
            }
            for r in &x.rows {
                let Some(total) = r.figure(ci) else {
                    continue;
                };
                let parts: Vec<FigureId> = sibs.iter().filter_map(|&k| r.figure(k)).collect();
                if parts.len() == sibs.len() {
                    self.out.groups.push(Group {
                        total,
                        parts,
                        complete: true,
                        kind: SumKind::TableRow,
                    });
                }
            }
        }
    }

    /// Tables whose header was lost (text copied from a PDF) still show their arithmetic:
    /// when, row after row, the first amount is the sum of the others, that is the table's
    /// rule, and a row that breaks it is a finding (a total beside parts that miss a digit).
    fn headerless_row_rule(&mut self, x: &LogicalTable) {
        let money_row = |r: &LogicalRow| -> Vec<FigureId> {
            r.figures
                .iter()
                .flatten()
                .copied()
                .filter(|&i| self.fig(i).class == UnitClass::Money)
                .collect()
        };
        let rows: Vec<Vec<FigureId>> = x
            .rows
            .iter()
            .map(money_row)
            .filter(|f| f.len() >= 3)
            .collect();
        let holds = |f: &[FigureId]| {
            let t = self.fig(f[0]).dec;
            let sum: Decimal = f[1..].iter().map(|&i| self.fig(i).dec).sum();
            (t - sum).abs() <= Decimal::new(1, 2)
        };
        let agree = rows.iter().filter(|f| holds(f)).count();
        if agree >= 3 && agree * 2 > rows.len() {
            for f in rows {
                self.out.groups.push(Group {
                    total: f[0],
                    parts: f[1..].to_vec(),
                    complete: true,
                    kind: SumKind::TableRow,
                });
            }
        }
    }

    /// Each 合计/总计 row against the top-level rows above it, column by column.
    fn total_rows(&mut self, x: &LogicalTable) {
        for (ri, r) in x.rows.iter().enumerate() {
            if !r.is_total() || ri == 0 {
                continue;
            }
            let top = top_level_rows(&x.rows[..ri]);
            if top.len() < 2 {
                continue;
            }
            let candidates: Vec<ColumnSum> = (0..r.figures.len())
                .filter_map(|ci| self.column_sum(r, ci, &top))
                .collect();
            // A column that adds up shows the rows above are a flat list of parts; then a
            // column far off its total is a wrong figure (a stray digit), not a hierarchy.
            let flat = candidates.iter().any(|c| c.adds_up);
            for c in candidates {
                if flat || !c.suspicious {
                    self.out.groups.push(Group {
                        total: c.total,
                        parts: c.parts,
                        complete: true,
                        kind: SumKind::TableColumn,
                    });
                }
            }
        }
    }

    /// The total row's cell in column `ci` against the same column of the rows `top`,
    /// when every one of them states it.
    fn column_sum(&self, r: &LogicalRow, ci: usize, top: &[&LogicalRow]) -> Option<ColumnSum> {
        let total = r.figure(ci)?;
        if self.fig(total).class == UnitClass::Percent {
            return None;
        }
        let parts: Vec<FigureId> = top.iter().filter_map(|o| o.figure(ci)).collect();
        // Every row above must state the column (blank cells count as zero rows).
        let stated = top
            .iter()
            .filter(|o| {
                o.figure(ci).is_some() || !o.cells.get(ci).is_some_and(|c| c.trim().is_empty())
            })
            .count();
        if parts.len() < 2 || parts.len() != stated {
            return None;
        }
        // A sum that is a whole multiple of the total counts a hierarchy twice: the rows are
        // not a flat list (not checked, rather than a false alarm).
        let sum: Decimal = parts.iter().map(|&p| self.fig(p).dec).sum();
        let t = self.fig(total).dec;
        let multiple = t > Decimal::ZERO && {
            let k = (sum / t).round();
            k >= Decimal::TWO && ((sum - k * t).abs() * Decimal::from(200) <= t)
        };
        // Far more than the total: the rows above are not a flat list of its parts.
        let far = sum > t * Decimal::new(15, 1);
        let scale = parts
            .iter()
            .chain([&total])
            .map(|&p| self.fig(p).dec.scale())
            .max()
            .unwrap_or(0);
        let adds_up = (t - sum).abs() <= Decimal::new(parts.len() as i64, scale);
        Some(ColumnSum {
            total,
            parts,
            suspicious: multiple || far,
            adds_up,
        })
    }
}

/// A total row's cell and the cells above it that it should add up.
struct ColumnSum {
    total: FigureId,
    parts: Vec<FigureId>,
    suspicious: bool,
    adds_up: bool,
}

/// The rows above a total that are its direct parts: not totals themselves, and of the top
/// level where classification codes nest (201 ⊃ 20105 ⊃ 2010505) or enumerated labels do
/// (一、 ⊃ （一） ⊃ 1、). Item numbers (1, 2, … 23) do not nest.
fn top_level_rows(rows: &[LogicalRow]) -> Vec<&LogicalRow> {
    let above: Vec<&LogicalRow> = rows.iter().filter(|o| !o.is_total()).collect();
    let codes: Vec<&String> = above.iter().filter_map(|o| o.code.as_ref()).collect();
    let nested = codes.iter().any(|a| {
        codes
            .iter()
            .any(|b| b.len() > a.len() + 1 && b.starts_with(a.as_str()))
    });
    let min_code = if nested {
        codes.iter().map(|c| c.len()).min()
    } else {
        None
    };
    let levels: Vec<Option<u8>> = above
        .iter()
        .map(|o| o.label.as_deref().and_then(enumeration_level))
        .collect();
    let top_level = levels.iter().flatten().min().copied();
    let above: Vec<&LogicalRow> = match top_level {
        Some(t) if levels.iter().flatten().any(|l| *l != t) => above
            .into_iter()
            .zip(&levels)
            .filter(|(_, l)| **l == Some(t))
            .map(|(o, _)| o)
            .collect(),
        _ => above,
    };
    above
        .into_iter()
        .filter(|o| match (min_code, &o.code) {
            (Some(m), Some(c)) => c.len() == m,
            (Some(_), None) => false,
            _ => true,
        })
        .collect()
}

/// The level of an enumerated label: 一、 (1), （一） (2), 1、 (3).
fn enumeration_level(l: &str) -> Option<u8> {
    let c: Vec<char> = l.trim().chars().take(4).collect();
    let cn = |ch: &char| "一二三四五六七八九十".contains(*ch);
    if c.first().is_some_and(cn) && c.contains(&'、') {
        Some(1)
    } else if matches!(c.first(), Some('（' | '(')) && c.get(1).is_some_and(cn) {
        Some(2)
    } else if c.first().is_some_and(|ch| ch.is_ascii_digit())
        && c.iter().any(|ch| matches!(ch, '、' | '.' | '．'))
    {
        Some(3)
    } else {
        None
    }
}

/// The columns that a 合计/小计 column at `ci` (under the header prefix `top`) sums: each
/// direct child of `top` stands for itself, or by its own 小计/合计 when it splits further
/// ("“三公”经费/小计" for the 三公 group). None when a child cannot be summed that way.
fn direct_parts(
    cols: &[String],
    ci: usize,
    top: &str,
    has_figures: impl Fn(usize) -> bool,
) -> Option<Vec<usize>> {
    // Two columns with one label mean a header row was not read as one: undecidable.
    let group: Vec<&String> = cols.iter().filter(|o| o.starts_with(top)).collect();
    if group
        .iter()
        .enumerate()
        .any(|(i, a)| group[i + 1..].contains(a))
    {
        return None;
    }
    let mut children: Vec<&str> = Vec::new();
    for (k, o) in cols.iter().enumerate() {
        if k == ci || !o.starts_with(top) || o.len() == top.len() {
            continue;
        }
        let child = o[top.len()..].split('/').next().unwrap_or("");
        if child.is_empty() || children.contains(&child) {
            continue;
        }
        // Ratios, item numbers and empty columns are not parts of a sum.
        if child.contains('率') || child.contains('占') || child.contains("序号") {
            continue;
        }
        children.push(child);
    }
    let mut out = Vec::new();
    for child in children {
        let whole = format!("{top}{child}");
        let exact = cols.iter().position(|o| *o == whole);
        let sub = cols.iter().position(|o| {
            o.starts_with(&whole)
                && o[whole.len()..].trim_start_matches('/').split('/').count() == 1
                && {
                    let l = &o[whole.len()..];
                    l.starts_with('/') && (l.contains("小计") || l.contains("合计"))
                }
        });
        match exact.or(sub) {
            Some(k) if has_figures(k) => out.push(k),
            Some(_) => {}
            None => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumeration_levels() {
        let table = [
            ("一、工资福利支出", Some(1)),
            ("（一）基本工资", Some(2)),
            ("1、津贴", Some(3)),
            ("2.奖金", Some(3)),
            ("办公费", None),
        ];
        for (l, want) in table {
            assert_eq!(enumeration_level(l), want, "{l}");
        }
    }

    #[test]
    fn direct_parts_of_a_total_column() {
        let cols: Vec<String> = ["项目", "预算/合计", "预算/基本支出", "预算/项目支出"]
            .map(String::from)
            .to_vec();
        assert_eq!(direct_parts(&cols, 1, "预算/", |_| true), Some(vec![2, 3]));
        // A duplicated label means a header row was misread.
        let cols: Vec<String> = ["预算/合计", "预算/基本支出", "预算/基本支出"]
            .map(String::from)
            .to_vec();
        assert_eq!(direct_parts(&cols, 0, "预算/", |_| true), None);
    }
}
