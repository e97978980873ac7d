//! What the form checks F001–F005 share: evidence at a form's row, numbers as intervals.

use rust_decimal::Decimal;

use crate::check::checker::{sentence_around, Evidence};
use crate::check::interval::Iv;
use crate::extract::types::Num;
use crate::model::Span;

/// The interval a number written with its decimals stands for. A form's whole numbers
/// (分值 10, 得分 20) are set, not rounded: they stand for themselves.
pub fn iv(n: Num) -> Iv {
    if n.decimals == 0 {
        Iv::exact(n.value)
    } else {
        Iv::written(n.value, n.decimals)
    }
}

/// The interval of a sum of written numbers.
pub fn sum_iv(ns: &[Num]) -> Iv {
    ns.iter()
        .fold(Iv::exact(Decimal::ZERO), |a, &n| a.plus(iv(n)))
}

/// A number for messages, as written.
pub fn show(n: Num) -> String {
    crate::check::interval::show(n.value, n.decimals)
}

/// Evidence quoting a form's row (a table row is one line of the text).
pub fn at_row(chars: &[char], span: Span, value: String) -> Evidence {
    let end = span.end.max(span.start);
    Evidence {
        span,
        context: sentence_around(chars, span.start, end),
        value,
        figure: None,
    }
}
