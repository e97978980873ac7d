//! F001 score-exceeds-weight: a self-evaluation form's 得分 above its 分值, in an indicator
//! row or a 项目资金 row.

use super::forms::{at_row, iv, show};
use crate::check::checker::{Checker, Severity};

const CODE: &str = "F001";

pub fn run(c: &mut Checker) {
    let Some(doc) = c.doc.filter(|_| !c.ex.forms.is_empty()) else {
        return;
    };
    let chars: Vec<char> = doc.text.chars().collect();
    for f in &c.ex.forms {
        let rows = f
            .funds
            .iter()
            .map(|r| (r.label.clone(), r.weight, r.score, r.span))
            .chain(
                f.indicators
                    .iter()
                    .map(|i| (i.level3.clone(), i.weight, i.score, i.span)),
            );
        for (name, w, s, span) in rows {
            let (Some(w), Some(s)) = (w, s) else { continue };
            if iv(s).lo <= iv(w).hi || s.value <= w.value {
                c.pass_unrelated();
                continue;
            }
            c.fail_with(
                CODE,
                Severity::Error,
                format!("“{name}”得分{}超过其分值{}", show(s), show(w)),
                Some(format!("{} > {}", show(s), show(w))),
                vec![at_row(&chars, span, show(s))],
            );
        }
    }
}
