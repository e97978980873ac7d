//! S002 table-total-mismatch: a table's 合计 column or row against the cells it sums.

use super::sums::{check_group, groups};
use crate::check::checker::Checker;
use crate::extract::SumKind;

pub const CODE: &str = "S002";

pub fn run(c: &mut Checker) {
    for g in groups(c, |g, score| {
        matches!(g.kind, SumKind::TableRow | SumKind::TableColumn) && !score
    }) {
        check_group(c, g, CODE);
    }
}
