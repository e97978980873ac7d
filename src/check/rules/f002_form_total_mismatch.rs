//! F002 form-total-mismatch: a self-evaluation form's 总分 that is not the sum of its 得分
//! (项目资金 row and indicators), or a total 分值 that is not the sum of the 分值.

use super::forms::{at_row, iv, show, sum_iv};
use crate::check::checker::{Checker, Severity};
use crate::extract::selfeval::total;
use crate::extract::types::Num;

const CODE: &str = "F002";

pub fn run(c: &mut Checker) {
    let Some(doc) = c.doc.filter(|_| !c.ex.forms.is_empty()) else {
        return;
    };
    let chars: Vec<char> = doc.text.chars().collect();
    for f in &c.ex.forms {
        // The 项目资金 row that carries the budget-execution score (年度资金总额), and the
        // indicators; a form whose rows leave a 分值 or 得分 blank is not summed.
        let fund = f.funds.iter().find(|r| r.weight.is_some());
        let rows: Vec<(Option<Num>, Option<Num>)> = fund
            .map(|r| (r.weight, r.score))
            .into_iter()
            .chain(f.indicators.iter().map(|i| (i.weight, i.score)))
            .collect();
        if f.indicators.is_empty() {
            continue;
        }
        for (what, stated, parts) in [
            (
                "分值",
                f.total_weight,
                rows.iter().map(|r| r.0).collect::<Option<Vec<Num>>>(),
            ),
            (
                "得分",
                f.total_score,
                rows.iter().map(|r| r.1).collect::<Option<Vec<Num>>>(),
            ),
        ] {
            let (Some((t, span)), Some(parts)) = (stated, parts) else {
                continue;
            };
            if iv(t).meets(sum_iv(&parts)) {
                c.pass_unrelated();
                continue;
            }
            let s = total(parts.iter().copied());
            let shown: Vec<String> = parts.iter().map(|&p| show(p)).collect();
            let head = if what == "得分" {
                "总分"
            } else {
                "分值合计"
            };
            c.fail_with(
                CODE,
                Severity::Error,
                format!("{head}{}与各项{what}之和{}不一致", show(t), show(s)),
                Some(format!("{} = {} ≠ {}", shown.join(" + "), show(s), show(t))),
                vec![at_row(&chars, span, show(t))],
            );
        }
    }
}
