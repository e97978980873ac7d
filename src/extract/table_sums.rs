//! The sums a table's structure states: a 合计 column is the sum of its group's other
//! columns; a table without a header shows its rule in its rows; a 合计 row is the sum of
//! the rows above it at the top level.

use rust_decimal::Decimal;

use super::extractor::Extractor;
use super::number::UnitClass;
use super::section::enumerated;
use super::types::{FigureId, Group, LogicalRow, LogicalTable, SumKind};
use super::vocab::{complete_set, is_total_label};

impl Extractor<'_> {
    pub fn table_sums(&mut self, x: &LogicalTable) {
        self.column_sums(x);
        // Only a table whose header was lost needs its rule guessed from its rows.
        if x.columns.iter().all(|c| c.trim().is_empty()) {
            self.headerless_row_rule(x);
        }
        self.total_rows(x);
        self.nested_rows(x);
        self.code_sums(x);
        self.column_depth_sums(x);
    }

    /// A 合计/小计 column against its siblings under the same header ("年初预算数（万元）/合计"
    /// with "…/基本支出" and "…/项目支出"), row by row.
    fn column_sums(&mut self, x: &LogicalTable) {
        let cols = &x.columns;
        for (ci, c) in cols.iter().enumerate() {
            let last = c.rsplit('/').next().unwrap_or("");
            if !is_total_label(last, true) {
                continue;
            }
            let top = &c[..c.len() - last.len()];
            let Some(sibs) = direct_parts(cols, ci, top, |k| {
                x.rows.iter().any(|r| r.figure(k).is_some())
            }) else {
                continue;
            };
            let Some(sibs) = self.consistent_parts(x, ci, sibs) else {
                continue;
            };
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

    /// The part columns whose sum the total column's rows bear out. A header does not always
    /// say which of its columns add up (a 政府采购 group beside 基本支出 and 项目支出 counts the
    /// same money again): when leaving one or two columns out makes more rows add up, and
    /// four rows in five then do, the columns are taken without them; when fewer than four rows in five
    /// add up either way, the relation is not checked. A stray digit breaks one row; a
    /// misread header breaks many.
    fn consistent_parts(
        &self,
        x: &LogicalTable,
        ci: usize,
        sibs: Vec<usize>,
    ) -> Option<Vec<usize>> {
        if sibs.len() < 2 {
            return None;
        }
        let share = |cols: &[usize]| -> (usize, usize) {
            let mut rows = 0;
            let mut hold = 0;
            for r in &x.rows {
                let Some(t) = r.figure(ci) else { continue };
                let parts: Vec<FigureId> = cols.iter().filter_map(|&k| r.figure(k)).collect();
                if parts.len() != cols.len() {
                    continue;
                }
                rows += 1;
                hold += usize::from(self.adds_up(t, &parts));
            }
            (hold, rows)
        };
        let trusted = |(hold, rows): (usize, usize)| rows < 3 || (rows - hold) * 5 <= rows.max(5);
        let full = share(&sibs);
        if full.0 == full.1 {
            return Some(sibs);
        }
        let skips = || {
            let n = sibs.len();
            (0..n)
                .map(|a| vec![a])
                .chain((0..n).flat_map(move |a| (a + 1..n).map(move |b| vec![a, b])))
        };
        let without = |skip: &[usize]| -> Vec<usize> {
            sibs.iter()
                .enumerate()
                .filter(|(k, _)| !skip.contains(k))
                .map(|(_, &c)| c)
                .collect()
        };
        // Too few rows to tell a slip from columns the total does not count (“三公”经费合计 |
        // 出国 | 车 | 接待 | 会议费 | 培训费): when leaving one or two out makes every row add
        // up, the relation is not checked.
        if full.1 < 3
            && skips().any(|skip| {
                let cols = without(&skip);
                let s = share(&cols);
                cols.len() >= 2 && s.1 > 0 && s.0 == s.1
            })
        {
            return None;
        }
        // Leave out one column, or two (a 政府采购 group and a 经营支出 column the total does
        // not count): the set most rows bear out, the fewest left out on a tie.
        let fewer = skips()
            .map(|skip| {
                let cols = without(&skip);
                let s = share(&cols);
                (cols, s, skip.len())
            })
            .filter(|(cols, s, _)| cols.len() >= 2 && s.1 >= 3 && trusted(*s) && s.0 > full.0)
            .max_by_key(|(_, s, left_out)| (s.0, std::cmp::Reverse(*left_out)))
            .map(|(cols, ..)| cols);
        fewer.or_else(|| trusted(full).then_some(sibs))
    }

    /// Whether a total equals its parts as written, within a unit of the last decimal per
    /// part (the rounding of each).
    pub(super) fn adds_up(&self, total: FigureId, parts: &[FigureId]) -> bool {
        let t = self.fig(total).dec;
        let sum: Decimal = parts.iter().map(|&p| self.fig(p).dec).sum();
        let scale = parts
            .iter()
            .chain([&total])
            .map(|&p| self.fig(p).dec.scale())
            .max()
            .unwrap_or(0);
        (t - sum).abs() <= Decimal::new(parts.len() as i64, scale)
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

    /// Each total row against its parts, column by column: a 合计 row against the top-level
    /// rows since the previous total; a 总计 row against the 合计 rows before it and the
    /// top-level rows after them (收入总计 = 本年收入合计 + 上年结转).
    fn total_rows(&mut self, x: &LogicalTable) {
        for (ri, r) in x.rows.iter().enumerate() {
            if !r.is_total() {
                continue;
            }
            let (leads, seg_start) = total_segment(&x.rows, ri);
            let mut top: Vec<&LogicalRow> = leads.iter().map(|&k| &x.rows[k]).collect();
            if seg_start == ri && leads.is_empty() {
                // A total at the head of its rows (合计 first, then 204 …, 208 …): the rows
                // below it, up to the next total.
                let end = x.rows[ri + 1..]
                    .iter()
                    .position(LogicalRow::is_total)
                    .map_or(x.rows.len(), |p| ri + 1 + p);
                top.extend(top_level_rows(&x.rows[ri + 1..end]));
            } else {
                top.extend(top_level_rows(&x.rows[seg_start..ri]));
            }
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

    /// A row followed by "其中：…" rows that are, by their names, all of it (年度资金总额, 其中：
    /// 财政拨款, 上年结转, 其他资金), column by column. A 其中 list in general need not be
    /// complete, so only the known partitions are summed.
    fn nested_rows(&mut self, x: &LogicalTable) {
        for (ri, r) in x.rows.iter().enumerate() {
            let starts = x.rows.get(ri + 1).and_then(|n| n.label.as_deref());
            if r.is_total() || !starts.is_some_and(is_nested_part) {
                continue;
            }
            let kids: Vec<&LogicalRow> = x.rows[ri + 1..]
                .iter()
                .take_while(|o| o.figures.iter().any(Option::is_some) && !o.is_total())
                .take(8)
                .collect();
            let names = kids.iter().map(|k| k.label.as_deref().unwrap_or(""));
            if kids.len() < 2 || !complete_set(names) {
                continue;
            }
            for ci in 0..r.figures.len() {
                let Some(total) = r.figure(ci) else { continue };
                if self.fig(total).class != UnitClass::Money {
                    continue;
                }
                let parts: Option<Vec<FigureId>> = kids.iter().map(|k| k.figure(ci)).collect();
                if let Some(parts) = parts {
                    self.out.groups.push(Group {
                        total,
                        parts,
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
        if parts.is_empty() || parts.len() != stated {
            return None;
        }
        // A total over rows of which one alone is stated (the others blank) is that row:
        // too little structure to call a difference wrong, so it is kept only when equal.
        if let [only] = parts.as_slice() {
            let equal = self.fig(*only).dec == self.fig(total).dec;
            return equal.then_some(ColumnSum {
                total,
                parts,
                suspicious: false,
                adds_up: true,
            });
        }
        let parts = self.without_children(total, parts);
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

impl Extractor<'_> {
    /// Whether the table's 合计 row equals, in its first amount column, the sum of the
    /// top-level rows: then no row of the table is missing.
    pub(super) fn total_closes(&self, x: &LogicalTable) -> bool {
        x.rows.iter().enumerate().any(|(ri, r)| {
            if !r.is_total() {
                return false;
            }
            let Some(ci) = r.figures.iter().position(Option::is_some) else {
                return false;
            };
            let others: Vec<LogicalRow> = x
                .rows
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != ri)
                .map(|(_, o)| o.clone())
                .collect();
            let parts: Vec<FigureId> = top_level_rows(&others)
                .iter()
                .filter_map(|o| o.figure(ci))
                .collect();
            parts.len() >= 2 && self.adds_up(r.figure(ci).unwrap(), &parts)
        })
    }

    /// Rows read as peers that are a row's breakdown: when the rows do not add up to the total
    /// but do once the rows right after one row, which add up to it, are left out
    /// ("年初财政拨款结转和结余 a" then "一般公共预算财政拨款 a"), those rows are its children.
    fn without_children(&self, total: FigureId, parts: Vec<FigureId>) -> Vec<FigureId> {
        if self.adds_up(total, &parts) {
            return parts;
        }
        let v = |i: FigureId| self.fig(i).dec;
        for i in 0..parts.len() {
            let mut run = Decimal::ZERO;
            for j in i + 1..parts.len() {
                run += v(parts[j]);
                if run == v(parts[i]) && !run.is_zero() {
                    let kept: Vec<FigureId> =
                        parts[..=i].iter().chain(&parts[j + 1..]).copied().collect();
                    if kept.len() >= 2 && self.adds_up(total, &kept) {
                        return kept;
                    }
                }
                if run > v(parts[i]) {
                    break;
                }
            }
        }
        parts
    }
}

/// A total row's cell and the cells above it that it should add up.
struct ColumnSum {
    total: FigureId,
    parts: Vec<FigureId>,
    suspicious: bool,
    adds_up: bool,
}

/// A column whose header says it holds amounts of money (总计, 金额, 预算数 …), not rates,
/// scores or values of indicators.
pub(super) fn money_header(col: &str) -> bool {
    let leaf = col.rsplit('/').next().unwrap_or("");
    [
        "金额", "合计", "总计", "小计", "预算", "决算", "支出", "收入", "资金", "经费",
    ]
    .iter()
    .any(|w| leaf.contains(w))
        && !["率", "分", "值", "%"].iter().any(|w| leaf.contains(w))
}

/// A row or column labelled 其中…: a part of the one before it, not its peer.
pub fn is_nested_part(label: &str) -> bool {
    label.trim_start().starts_with("其中")
}

/// The rows a total at `ri` adds up besides the top-level rows of its segment: for a 总计,
/// the 合计 rows since the previous 总计; and where its segment starts.
fn total_segment(rows: &[LogicalRow], ri: usize) -> (Vec<usize>, usize) {
    let grand = |r: &LogicalRow| r.label.as_deref().is_some_and(|l| l.contains("总计"));
    let prev = rows[..ri].iter().rposition(LogicalRow::is_total);
    if !grand(&rows[ri]) {
        return (Vec::new(), prev.map_or(0, |p| p + 1));
    }
    let since = rows[..ri].iter().rposition(grand).map_or(0, |p| p + 1);
    let leads: Vec<usize> = (since..ri)
        .filter(|&k| rows[k].is_total() && !grand(&rows[k]))
        .collect();
    let seg_start = leads.last().map_or(since, |&k| k + 1);
    (leads, seg_start)
}

/// The rows of a segment that are direct parts of its total: of the top level where
/// classification codes nest (201 ⊃ 20105 ⊃ 2010505) or labels do. Enumerated labels nest
/// (一、 ⊃ （一） ⊃ 1、); an unnumbered row under a numbered one is its child (一、一般公共服务
/// 支出 ⊃ 信访事务), and one before numbered rows their parent (上年结转 ⊃ 1.财政拨款结转); a
/// 其中 row and the unnumbered rows after it are children of the row before them. Item
/// numbers (1, 2, … 23) do not nest.
fn top_level_rows(rows: &[LogicalRow]) -> Vec<&LogicalRow> {
    let above: Vec<&LogicalRow> = rows.iter().filter(|o| !o.is_total()).collect();
    let codes: Vec<&String> = above.iter().filter_map(|o| o.code.as_ref()).collect();
    let nested = codes.iter().any(|a| {
        codes
            .iter()
            .any(|b| b.len() > a.len() + 1 && b.starts_with(a.as_str()))
    });
    if nested {
        let m = codes.iter().map(|c| c.len()).min().unwrap_or(0);
        return above
            .into_iter()
            .filter(|o| o.code.as_ref().is_some_and(|c| c.len() == m))
            .collect();
    }
    // Numbered rows are at even levels by their depth in the enumeration, so that an
    // unnumbered row can sit between a numbered parent and its numbered children.
    let mut levels: Vec<u8> = Vec::with_capacity(above.len());
    let mut runs = Runs::default();
    let mut sub_run: Option<u8> = None;
    for o in &above {
        let label = o.label.as_deref().unwrap_or("");
        let prev = levels.last().copied().unwrap_or(1);
        let level = if is_nested_part(label) {
            let l = sub_run.unwrap_or(prev + 1);
            sub_run = Some(l);
            l
        } else if let Some((kind, n)) = enumerated(label) {
            sub_run = None;
            runs.depth(kind, n) * 2 + 2
        } else if let Some(l) = sub_run {
            l
        } else {
            match levels.iter().rev().find(|&&l| l % 2 == 0) {
                Some(&p) => p + 1,
                None => 1,
            }
        };
        levels.push(level);
    }
    let Some(&top) = levels.iter().min() else {
        return Vec::new();
    };
    above
        .into_iter()
        .zip(levels)
        .filter(|(_, l)| *l == top)
        .map(|(o, _)| o)
        .collect()
}

/// The enumerations open above a row: a numbering that starts again at 1 under a numbered
/// row ("一、本年支出" then "一、一般公共服务支出 … 四、住房保障支出") lists that row's
/// children, and a number that continues an outer numbering ("二、结转下年支出") closes them.
#[derive(Default)]
struct Runs {
    /// (enumerator kind, last number), outermost first.
    open: Vec<(u8, u32)>,
}

impl Runs {
    /// The depth of a row numbered `n` by an enumerator of `kind`.
    fn depth(&mut self, kind: u8, n: u32) -> u8 {
        if let Some(k) = self
            .open
            .iter()
            .rposition(|&(kd, last)| kd == kind && n == last + 1)
        {
            self.open.truncate(k + 1);
            self.open[k].1 = n;
        } else if n <= 1 || self.open.is_empty() {
            // Deeper kinds (（一） under 一、) and numbering started again nest.
            while self.open.last().is_some_and(|&(kd, _)| kd > kind) {
                self.open.pop();
            }
            self.open.push((kind, n));
        } else {
            // A gap in the numbering: keep the row where its kind last stood.
            let k = self.open.iter().rposition(|&(kd, _)| kd == kind);
            match k {
                Some(k) => {
                    self.open.truncate(k + 1);
                    self.open[k].1 = n;
                }
                None => self.open.push((kind, n)),
            }
        }
        (self.open.len() - 1) as u8
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
        // Ratios and item numbers are not parts of a sum; a 其中 column is a part of the
        // column before it (中小企业 set-asides of a 政府采购 小计), not a peer.
        if child.contains('率')
            || child.contains('占')
            || child.contains("序号")
            || is_nested_part(child)
        {
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
        // A label column (项目/科目名称) holds no amounts: it is no part.
        let carries = cols
            .iter()
            .enumerate()
            .any(|(k, o)| (*o == whole || o.starts_with(&format!("{whole}/"))) && has_figures(k));
        match exact.or(sub) {
            Some(k) if has_figures(k) => out.push(k),
            _ if !carries => {}
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
    fn enumeration_depths() {
        let mut r = Runs::default();
        let rows = [(1, 1), (2, 1), (2, 2), (1, 2), (1, 3)];
        let depths: Vec<u8> = rows.iter().map(|&(k, n)| r.depth(k, n)).collect();
        assert_eq!(depths, [0, 1, 1, 0, 0]);
        // 一、本年支出 / 一、… 四、 (its children) / 二、结转下年支出.
        let mut r = Runs::default();
        let rows = [(1, 1), (1, 1), (1, 2), (1, 3), (1, 4), (1, 2)];
        let depths: Vec<u8> = rows.iter().map(|&(k, n)| r.depth(k, n)).collect();
        assert_eq!(depths, [0, 1, 1, 1, 1, 0]);
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
