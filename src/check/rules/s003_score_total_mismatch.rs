//! S003 score-total-mismatch: a total score against the scores it is made of, in text or in
//! a table. Scores are exact: every part counts.

use super::sums::{check_group, groups};
use crate::check::checker::Checker;

pub const CODE: &str = "S003";

pub fn run(c: &mut Checker) {
    for g in groups(c, |_, score| score) {
        check_group(c, g, CODE);
    }
}
