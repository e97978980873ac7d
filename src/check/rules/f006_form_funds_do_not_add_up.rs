//! F006 form-funds-do-not-add-up: a form's 年度资金总额 that is not the sum of its 其中 rows,
//! in any of 年初预算数, 全年预算数, 全年到位数, 全年执行数. A 项目支出 form breaks the total
//! down by source
//! (当年财政拨款, 上年结转, 其他资金); a 部门整体 form also by use (基本支出, 项目支出): each
//! breakdown is summed on its own. The form's numbers are taken as written: a whole number
//! (30) is set, not rounded, so 30 + 30 + 29.99 under 89.97 is an error here, where the same
//! figures in prose are only a rounding warning (S001).

use super::forms::{at_row, iv, show, sum_iv};
use crate::check::checker::{Checker, Severity};
use crate::extract::selfeval::total;
use crate::extract::types::{FundRow, Num};

const CODE: &str = "F006";

/// Which breakdown a 其中 row belongs to: by use (基本支出, 项目支出) or by source.
fn by_use(label: &str) -> bool {
    label.contains("基本支出") || label.contains("项目支出")
}

fn nested_in_appropriation(label: &str) -> bool {
    ["一般公共预算", "政府性基金", "国有资本经营"]
        .iter()
        .any(|w| label.contains(w))
}

pub fn is_total(label: &str) -> bool {
    label.contains("总额")
}

type Column = fn(&FundRow) -> Option<Num>;

const COLUMNS: [(&str, Column); 4] = [
    ("年初预算数", |r| r.initial),
    ("全年预算数", |r| r.total),
    ("全年到位数", |r| r.arrived),
    ("全年执行数", |r| r.actual),
];

pub fn run(c: &mut Checker) {
    let Some(doc) = c.doc.filter(|_| !c.ex.forms.is_empty()) else {
        return;
    };
    let chars: Vec<char> = doc.text.chars().collect();
    for f in c.ex.forms.iter().filter(|f| !f.funds_partial) {
        let Some(whole) = f.funds.iter().find(|r| is_total(&r.label)) else {
            continue;
        };
        let rest: Vec<&FundRow> = f.funds.iter().filter(|r| !is_total(&r.label)).collect();
        for use_ in [false, true] {
            let mut parts: Vec<&FundRow> = rest
                .iter()
                .copied()
                .filter(|r| by_use(&r.label) == use_)
                .collect();
            // 一般公共预算, 政府性基金 and 国有资本经营预算 are parts of 财政拨款: listed under it,
            // they are its breakdown, not the total's.
            if parts.iter().any(|r| r.label.contains("财政拨款")) {
                parts.retain(|r| !nested_in_appropriation(&r.label));
            }
            // 财政拨款 beside 当年财政拨款: one is the other's part, which is not known.
            let appropriations = parts
                .iter()
                .filter(|r| r.label.contains("财政拨款"))
                .count();
            if appropriations > 1 {
                continue;
            }
            // A breakdown of one row restates the total; none is nothing to sum.
            if parts.len() < 2 {
                continue;
            }
            for (name, col) in COLUMNS {
                let Some(t) = col(whole) else { continue };
                // A blank 其中 cell is nothing of that source; all blank is a column not
                // filled in.
                let nums: Vec<Num> = parts.iter().filter_map(|r| col(r)).collect();
                if nums.is_empty() {
                    continue;
                }
                if iv(t).meets(sum_iv(&nums)) {
                    c.pass_unrelated();
                    continue;
                }
                let s = total(nums.iter().copied());
                let shown: Vec<String> = nums.iter().map(|&n| show(n)).collect();
                c.fail_with(
                    CODE,
                    Severity::Error,
                    format!(
                        "{}的{name}{}与其中各行之和{}不一致",
                        whole.label,
                        show(t),
                        show(s)
                    ),
                    Some(format!("{} = {} ≠ {}", shown.join(" + "), show(s), show(t))),
                    std::iter::once(at_row(&chars, whole.span, show(t)))
                        .chain(
                            parts
                                .iter()
                                .filter_map(|r| col(r).map(|n| at_row(&chars, r.span, show(n)))),
                        )
                        .collect(),
                );
            }
        }
    }
}
