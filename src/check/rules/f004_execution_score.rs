//! F004 execution-score-off-rule: the 项目资金 row's 得分 against the template's rule, 分值 ×
//! 执行率 (执行率 capped at 100%), rounded as the score is written.

use rust_decimal::Decimal;

use super::forms::{at_row, iv, show};
use crate::check::checker::{Checker, Severity};
use crate::check::interval::Iv;

const CODE: &str = "F004";

pub fn run(c: &mut Checker) {
    let Some(doc) = c.doc.filter(|_| !c.ex.forms.is_empty()) else {
        return;
    };
    let chars: Vec<char> = doc.text.chars().collect();
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
        let hundred = Decimal::ONE_HUNDRED;
        let cap = |x: Decimal| x.min(hundred) / hundred;
        let due = Iv {
            lo: iv(w).lo * cap(rate.lo),
            hi: iv(w).hi * cap(rate.hi),
        };
        if iv(s).meets(due) {
            c.pass_unrelated();
            continue;
        }
        let mid = (due.lo + due.hi) / Decimal::TWO;
        c.fail_with(
            CODE,
            Severity::Warning,
            format!(
                "预算执行得分{}与分值×执行率（{} × {}%）={}不符",
                show(s),
                show(w),
                crate::check::interval::show(rate.mid(), 2),
                crate::check::interval::show(mid, s.decimals.max(1))
            ),
            Some(format!(
                "{} × {}% = {} ≠ {}",
                show(w),
                crate::check::interval::show(rate.mid(), 2),
                crate::check::interval::show(mid, 2),
                show(s)
            )),
            vec![at_row(&chars, r.span, show(s))],
        );
    }
}
