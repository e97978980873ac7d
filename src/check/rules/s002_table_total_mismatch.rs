//! S002 table-total-mismatch: a table's 合计 column or row against the cells it sums.

use super::sums::{check_group, groups};
use crate::check::checker::Checker;
use crate::extract::SumKind;

pub const CODE: &str = "S002";

pub fn run(c: &mut Checker) {
    // A self-evaluation form's 资金 rows are F006's: summed there with the form's numbers as
    // written, by the breakdowns the form states (a 其中 row under 其他资金 is no part of it).
    let form_rows: Vec<usize> =
        c.ex.forms
            .iter()
            .flat_map(|f| &f.funds)
            .map(|r| r.span.line)
            .collect();
    let ex = c.ex;
    for g in groups(c, |g, score| {
        matches!(g.kind, SumKind::TableRow | SumKind::TableColumn)
            && !score
            && !form_rows.contains(&ex.fig(g.total).span.line)
    }) {
        check_group(c, g, CODE);
    }
}
