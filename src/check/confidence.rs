//! How sure a finding is. Only sure findings are errors: a reviewer forgives a missed slip
//! sooner than a false one. A quantity stated with two values is a sure slip when one value
//! stands against several statements of the other, or when the two look like one number
//! mistyped (a digit changed, dropped, added or swapped, the same digits in another unit,
//! or values within a hundredth of each other); two unrelated values stated once each may
//! be two different quantities the reading took for one.

use rust_decimal::Decimal;

use super::interval::Iv;
use crate::extract::number::UnitClass;
use crate::extract::{Extraction, Figure, FigureId};

/// Whether two statements of one quantity are a sure inconsistency: one stands against
/// several statements of the other, they look like one number mistyped, or a rate stated
/// beside one of them holds with one value and not with the other (93.57% beside 245.53
/// and 274.82 holds only with 257.14).
pub fn sure_conflict(ex: &Extraction, majority: usize, a: FigureId, b: FigureId) -> bool {
    majority >= 2 || typo_like(ex.fig(a), ex.fig(b)) || rate_decides(ex, a, b)
}

/// A rate of the sentence of `a` or `b` that is the ratio of one value and a figure of
/// its sentence, and not of the other value.
fn rate_decides(ex: &Extraction, a: FigureId, b: FigureId) -> bool {
    let holds = |x: FigureId, y: FigureId, r: FigureId| {
        Iv::of(ex.fig(x))
            .ratio_pct(Iv::of(ex.fig(y)))
            .is_some_and(|q| q.meets(Iv::of(ex.fig(r))))
    };
    ex.rates.iter().any(|r| {
        if !r.operands.contains(&a) && !r.operands.contains(&b) {
            return false;
        }
        r.operands.iter().any(|&y| {
            y != a
                && y != b
                && ex.fig(y).class == UnitClass::Money
                && holds(a, y, r.figure) != holds(b, y, r.figure)
        })
    })
}

/// Whether two values look like one number mistyped: a digit slip, or values within 1% of
/// each other.
pub fn typo_like(a: &Figure, b: &Figure) -> bool {
    let (x, y) = (a.amount(), b.amount());
    let big = x.abs().max(y.abs());
    digit_slip(a, b) || !big.is_zero() && (x - y).abs() * Decimal::ONE_HUNDRED <= big
}

/// The same digits in another unit, or one digit changed, dropped, added or swapped.
pub fn digit_slip(a: &Figure, b: &Figure) -> bool {
    if a.dec == b.dec {
        return true;
    }
    // Compared at the decimals both write, so that 1,600.00 and 1600 are one number.
    let d = a.decimals().max(b.decimals());
    let digits = |f: &Figure| -> Vec<char> {
        f.dec
            .round_dp(d)
            .to_string()
            .chars()
            .filter(char::is_ascii_digit)
            .collect()
    };
    edits_within_one(&digits(a), &digits(b))
}

/// Damerau–Levenshtein distance ≤ 1: one digit changed, dropped, added or two adjacent
/// digits swapped.
fn edits_within_one(a: &[char], b: &[char]) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (a.len(), b.len());
    if la == lb {
        let diff: Vec<usize> = (0..la).filter(|&i| a[i] != b[i]).collect();
        return match diff.as_slice() {
            [_] => true,
            [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
            _ => false,
        };
    }
    let (short, long) = if la < lb { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return false;
    }
    (0..long.len()).any(|k| long[..k].iter().chain(&long[k + 1..]).eq(short.iter()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn digit_edits() {
        let table = [
            ("85793", "87593", true),    // swapped
            ("123456", "123356", true),  // changed
            ("1066151", "106151", true), // dropped
            ("488409", "489698", false),
            ("29", "298", true),
            ("1267", "1410", false),
        ];
        for (a, b, want) in table {
            assert_eq!(edits_within_one(&c(a), &c(b)), want, "{a} {b}");
        }
    }
}
