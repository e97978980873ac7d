//! S001 parts-do-not-sum-to-total: a total the text states and the parts it lists after
//! 其中, 包括 or in parentheses.

use super::sums::{check_group, groups};
use crate::check::checker::Checker;
use crate::extract::SumKind;

pub const CODE: &str = "S001";

pub fn run(c: &mut Checker) {
    for g in groups(c, |g, score| {
        matches!(g.kind, SumKind::Text | SumKind::Reasons) && !score
    }) {
        check_group(c, g, CODE);
    }
}
