//! T003 year-reference: a comparison whose year cannot be the one meant in a report of its
//! fiscal year: "比2026年预算增加" inside the 2026 budget (meant: 2025), a comparison with a
//! later year, a base three or more years back, "上年（2024年）" in a 2026 report. The usual
//! cause is a template carried over from another year and not updated.
//!
//! Years a comparison may legitimately name are left alone: the year before (比上年, the most
//! common by far: 123 of 123 "比YYYY年" on the official reports), the report's own year in a
//! 决算 or self-evaluation (决算 against its own 预算), and two years back except for a budget
//! compared with a budget (a 2026 budget may be set beside the 2024 决算, the latest closed).

use std::sync::LazyLock;

use regex::Regex;

use crate::check::checker::{Checker, Evidence, Severity};
use crate::model::{Block, Span};

const CODE: &str = "T003";

/// 比2025年 / 比上年（2025年） / 比2025年度预算, with what follows the year.
static COMPARED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"比\s*(上年|上年度|上一年|去年)?\s*[（(]?\s*(\d{4})\s*年度?\s*[）)]?(年初预算|预算|决算|执行数|预计执行数)?")
        .expect("valid")
});

/// A project's period: 实施周期：2023年-2025年, 项目期限2023年1月至2025年12月.
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:实施期限?|实施周期|项目期限|执行期限?|项目周期|实施年限|起止(?:时间|年限|日期)|实施时间)\s*[：:为是]?\s*(?:暂定为)?\s*(\d{4})\s*年?(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?\s*(?:-|—|－|–|~|～|至|到)\s*(\d{4})\s*年?")
        .expect("valid")
});

/// Why a project period cannot be one of a report of `year`: it ends before the year.
fn period_wrong(year: i32, start: i32, end: i32) -> Option<String> {
    (start <= end && end < year)
        .then(|| format!("项目实施期{start}年至{end}年，在报告年度{year}年之前已经结束"))
}

/// Why a compared year is wrong in a report of `year` of `kind`, if it is. Only the
/// template's comparisons of amounts (a year followed by 预算, 决算 or 执行数) are judged by
/// their year alone: narrative comparisons ("预计2027年比2026年增长", "比2019年翻一番") may name
/// any year.
fn wrong(year: i32, budget: bool, said_last: bool, named: i32, base: &str) -> Option<String> {
    if said_last && named != year - 1 {
        return Some(format!("“上年”应为{}年，此处写作{named}年", year - 1));
    }
    if base.is_empty() {
        return None;
    }
    if named > year {
        return Some(format!("比较年份{named}年晚于报告年度{year}年"));
    }
    if budget && named == year {
        return Some(format!(
            "{year}年预算与{named}年比较：比较的应是上年（{}年）",
            year - 1
        ));
    }
    if named <= year - 3 || (budget && named == year - 2 && base.ends_with("预算")) {
        return Some(format!(
            "比较年份{named}年早于上年（{}年），疑为沿用旧模板",
            year - 1
        ));
    }
    None
}

pub fn run(c: &mut Checker) {
    let (Some(doc), Some(year)) = (c.doc, c.ex.meta.year) else {
        return;
    };
    let kind = c.ex.meta.kind.as_deref().unwrap_or("");
    // A budget report (部门预算, 单位预算), not a 决算 nor a self-evaluation of a budget's use.
    let budget = kind.contains("预算") && !kind.contains("决算") && !kind.contains("绩效");
    let chars: Vec<char> = doc.text.chars().collect();
    for b in &doc.blocks {
        let texts: Vec<(&str, Span)> = match b {
            Block::Paragraph(p) => vec![(p.text.as_str(), p.span)],
            Block::Table(t) => t
                .rows
                .iter()
                .flat_map(|r| r.cells.iter().map(|c| (c.text.as_str(), c.span)))
                .collect(),
        };
        for (text, span) in texts {
            for m in PERIOD.captures_iter(text) {
                let (Ok(start), Ok(end)) = (m[1].parse::<i32>(), m[2].parse::<i32>()) else {
                    continue;
                };
                if let Some(why) = period_wrong(year, start, end) {
                    let whole = m.get(0).expect("match");
                    let ev = Evidence::in_text(&chars, text, span, whole.range());
                    c.fail_with(
                        CODE,
                        Severity::Warning,
                        format!("项目实施期与报告年度不符：“{}”：{why}", whole.as_str()),
                        None,
                        vec![ev],
                    );
                }
            }
        }
        let Block::Paragraph(p) = b else { continue };
        for m in COMPARED.captures_iter(&p.text) {
            let Ok(named) = m[2].parse::<i32>() else {
                continue;
            };
            let base = m.get(3).map_or("", |g| g.as_str());
            let Some(why) = wrong(year, budget, m.get(1).is_some(), named, base) else {
                continue;
            };
            let whole = m.get(0).expect("match");
            let ev = Evidence::in_text(&chars, &p.text, p.span, whole.range());
            c.fail_with(
                CODE,
                Severity::Warning,
                format!("年份引用有误：“{}”：{why}", whole.as_str()),
                None,
                vec![ev],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_a_comparison_may_name() {
        // A 2026 budget.
        let b = |said_last, named, base| wrong(2026, true, said_last, named, base);
        assert!(b(false, 2025, "预算").is_none());
        assert!(b(true, 2025, "").is_none());
        assert!(b(false, 2024, "决算").is_none());
        assert!(b(false, 2026, "预算").is_some());
        assert!(b(false, 2024, "预算").is_some());
        assert!(b(false, 2027, "执行数").is_some());
        // Narrative comparisons without an amount's base.
        assert!(b(false, 2026, "").is_none());
        assert!(b(false, 2019, "").is_none());
        assert!(b(true, 2024, "").is_some());
        // A 2024 决算 set against its own budget.
        assert!(wrong(2024, false, false, 2024, "预算").is_none());
        assert!(wrong(2024, false, false, 2023, "决算").is_none());
        assert!(wrong(2024, false, false, 2021, "决算").is_some());
    }

    #[test]
    fn project_periods() {
        let end = |t: &str| {
            PERIOD
                .captures(t)
                .map(|m| (m[1].parse::<i32>().unwrap(), m[2].parse::<i32>().unwrap()))
        };
        assert_eq!(end("实施周期：2023年-2025年"), Some((2023, 2025)));
        assert_eq!(end("项目期限2023年1月至2025年12月"), Some((2023, 2025)));
        assert_eq!(end("实施周期暂定为2026年至2027年"), Some((2026, 2027)));
        assert_eq!(end("2023年-2025年规划"), None);
        assert!(period_wrong(2026, 2023, 2025).is_some());
        assert!(period_wrong(2026, 2026, 2027).is_none());
        assert!(period_wrong(2026, 2024, 2026).is_none());
    }
}
