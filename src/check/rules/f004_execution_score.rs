//! F004 execution-score-off-rule: the 项目资金 row's 得分 against the execution rule of
//! `patterns/grading.toml` (the national template's: 分值 × 执行率, 执行率 capped at 100%),
//! rounded as the score is written.

use rust_decimal::Decimal;

use super::forms::{at_row, iv, show};
use crate::check::checker::{Checker, Severity};
use crate::check::interval::Iv;
use crate::extract::grading::{self, Execution};

const CODE: &str = "F004";

/// The share of its 分值 a rate (percent) earns under the scheme's execution rule.
fn share(rule: &Execution, rate: Decimal) -> Decimal {
    let hundred = Decimal::ONE_HUNDRED;
    match rule {
        Execution::Proportional { cap } => rate.min(*cap).max(Decimal::ZERO) / hundred,
        Execution::Steps(steps) => steps
            .iter()
            .filter(|(min, _)| rate >= *min)
            .map(|(_, s)| *s)
            .max()
            .unwrap_or(Decimal::ZERO),
    }
}

pub fn run(c: &mut Checker) {
    let Some(doc) = c.doc.filter(|_| !c.ex.forms.is_empty()) else {
        return;
    };
    let chars: Vec<char> = doc.text.chars().collect();
    let rule = grading::execution(&c.ex.grading);
    for f in &c.ex.forms {
        let Some(r) = f
            .funds
            .iter()
            .find(|r| r.weight.is_some() && r.score.is_some())
        else {
            continue;
        };
        let (Some(w), Some(s)) = (r.weight, r.score) else {
            continue;
        };
        // The rate as written, else the row's own 全年执行数 / 全年预算数.
        let rate = match (r.rate, r.actual, r.total) {
            (Some(q), _, _) if !q.value.is_zero() => Some(iv(q)),
            (_, Some(a), Some(t)) => iv(a).ratio_pct(iv(t)),
            _ => None,
        };
        let Some(rate) = rate else { continue };
        let due = Iv {
            lo: iv(w).lo * share(rule, rate.lo),
            hi: iv(w).hi * share(rule, rate.hi),
        };
        if iv(s).meets(due) {
            c.pass_unrelated();
            continue;
        }
        let mid = (due.lo + due.hi) / Decimal::TWO;
        let rate_shown = crate::check::interval::show(rate.mid(), 2);
        let (message, equation) = match rule {
            Execution::Proportional { .. } => (
                format!(
                    "预算执行得分{}与分值×执行率（{} × {rate_shown}%）={}不符",
                    show(s),
                    show(w),
                    crate::check::interval::show(mid, s.decimals.max(1))
                ),
                format!(
                    "{} × {rate_shown}% = {} ≠ {}",
                    show(w),
                    crate::check::interval::show(mid, 2),
                    show(s)
                ),
            ),
            Execution::Steps(_) => (
                format!(
                    "预算执行得分{}与评分规则按执行率{rate_shown}%应得的{}不符",
                    show(s),
                    crate::check::interval::show(mid, s.decimals.max(1))
                ),
                format!(
                    "{} × 档位({rate_shown}%) = {} ≠ {}",
                    show(w),
                    crate::check::interval::show(mid, 2),
                    show(s)
                ),
            ),
        };
        c.fail_with(
            CODE,
            Severity::Warning,
            message,
            Some(equation),
            vec![at_row(&chars, r.span, show(s))],
        );
    }
}
