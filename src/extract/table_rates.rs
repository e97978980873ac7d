//! The rates a table's columns define row by row: a 执行率 (完成率, 到位率) column beside the
//! amounts it is computed from. A 绩效自评表's 项目资金 rows (年度资金总额, 当年财政拨款, 上年
//! 结转, 其他资金 × 年初预算数, 全年预算数, 全年执行数, 执行率), a 项目支出情况表 (预算批复,
//! 实际执行, 执行率): each row's rate is its own numerator over its own base, never a figure
//! of another row or of the department.

use super::extractor::Extractor;
use super::number::UnitClass;
use super::types::{LogicalTable, RowRate};

/// The kind of a rate column, by its header's last words.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// 执行率, 完成率: executed over the budget.
    Execution,
    /// 到位率: funds received over the budget.
    Arrival,
}

fn kind_of(header: &str) -> Option<Kind> {
    let last = header.rsplit('/').next().unwrap_or(header);
    if last.contains("执行率") || last.contains("完成率") {
        Some(Kind::Execution)
    } else if last.contains("到位率") {
        Some(Kind::Arrival)
    } else {
        None
    }
}

/// Whether a column holds the rate's numerator.
fn numerator(kind: Kind, header: &str) -> bool {
    let h = header.rsplit('/').next().unwrap_or(header);
    if h.contains('率') || h.contains("分") {
        return false;
    }
    match kind {
        Kind::Execution => [
            "执行数",
            "实际执行",
            "执行金额",
            "实际支出",
            "支出数",
            "决算数",
            "完成数",
        ]
        .iter()
        .any(|w| h.contains(w)),
        Kind::Arrival => h.contains("到位") && !h.contains("率"),
    }
}

/// The columns that may hold the rate's base, in the template's order of preference: the
/// full-year (adjusted) budget first, then a bare 预算数 or 批复, the initial budget last.
fn bases(header: &str) -> Option<u8> {
    let h = header.rsplit('/').next().unwrap_or(header);
    if h.contains('率') || h.contains("执行") || h.contains("到位") || h.contains("分") {
        return None;
    }
    if h.contains("全年预算") || h.contains("调整后") || h.contains("调整预算") {
        Some(0)
    } else if h.contains("年初") {
        Some(2)
    } else if h.contains("预算") || h.contains("批复") || h.contains("计划") {
        Some(1)
    } else {
        None
    }
}

impl Extractor<'_> {
    /// For each rate column with exactly one numerator column beside it, each row's rate
    /// against that row's numerator and bases.
    pub fn row_rates(&mut self, x: &LogicalTable) {
        for (ci, col) in x.columns.iter().enumerate() {
            let Some(kind) = kind_of(col) else { continue };
            let nums: Vec<usize> = (0..x.columns.len())
                .filter(|&k| numerator(kind, &x.columns[k]))
                .collect();
            let [num] = nums.as_slice() else { continue };
            let mut dens: Vec<(u8, usize)> = (0..x.columns.len())
                .filter_map(|k| bases(&x.columns[k]).map(|p| (p, k)))
                .collect();
            dens.sort();
            if dens.is_empty() {
                continue;
            }
            for r in &x.rows {
                let Some(rate) = r.figure(ci) else { continue };
                if self.out.figures[rate.0].class != UnitClass::Percent {
                    continue;
                }
                let Some(n) = r.figure(*num) else { continue };
                let bases: Vec<_> = dens.iter().filter_map(|&(_, k)| r.figure(k)).collect();
                if bases.is_empty() {
                    continue;
                }
                self.out.row_rates.push(RowRate {
                    rate,
                    numerator: n,
                    bases,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_by_header() {
        assert_eq!(kind_of("项目资金/执行率"), Some(Kind::Execution));
        assert_eq!(kind_of("预算执行率"), Some(Kind::Execution));
        assert_eq!(kind_of("资金到位率"), Some(Kind::Arrival));
        assert!(numerator(Kind::Execution, "全年执行数"));
        assert!(numerator(Kind::Execution, "实际执行"));
        assert!(!numerator(Kind::Execution, "执行率"));
        assert_eq!(bases("全年预算数"), Some(0));
        assert_eq!(bases("调整后预算数"), Some(0));
        assert_eq!(bases("预算批复"), Some(1));
        assert_eq!(bases("年初预算数"), Some(2));
        assert_eq!(bases("预算执行数"), None);
        assert_eq!(bases("分值"), None);
    }
}
