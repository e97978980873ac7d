//! Rounding by intervals (XBRL Calculations 1.1): a figure written with d decimals stands
//! for v ± ½·10^-d. Sums add intervals; a claim holds when the intervals meet.

use rust_decimal::Decimal;

use crate::extract::number::UnitClass;
use crate::extract::Figure;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Iv {
    pub lo: Decimal,
    pub hi: Decimal,
}

impl Iv {
    pub fn exact(v: Decimal) -> Self {
        Iv { lo: v, hi: v }
    }

    /// The interval a written value stands for.
    pub fn written(v: Decimal, decimals: u32) -> Self {
        let half = Decimal::new(5, decimals + 1);
        Iv {
            lo: v - half,
            hi: v + half,
        }
    }

    /// A figure's interval, money in 万元 so that 元 and 万元 figures compare.
    pub fn of(f: &Figure) -> Self {
        let d = f.precision;
        match (f.class, f.value_wan) {
            (UnitClass::Money, Some(w)) => {
                let iv = Iv::written(f.dec, d);
                let scale = if f.dec.is_zero() {
                    Decimal::ONE
                } else {
                    w / f.dec
                };
                if f.dec.is_zero() {
                    // 0 written in 元 or 万元: scale the half-unit by the unit.
                    let unit_scale = match f.unit.as_str() {
                        "元" => Decimal::new(1, 4),
                        "千元" => Decimal::new(1, 1),
                        "亿元" => Decimal::from(10_000),
                        _ => Decimal::ONE,
                    };
                    return Iv {
                        lo: iv.lo * unit_scale,
                        hi: iv.hi * unit_scale,
                    };
                }
                Iv {
                    lo: iv.lo * scale,
                    hi: iv.hi * scale,
                }
            }
            // Headcounts, counts and scores are exact integers, not rounded amounts.
            (UnitClass::People | UnitClass::Count | UnitClass::Score, _) if d == 0 => {
                Iv::exact(f.dec)
            }
            _ => Iv::written(f.dec, d),
        }
    }

    pub fn plus(self, o: Iv) -> Iv {
        Iv {
            lo: self.lo + o.lo,
            hi: self.hi + o.hi,
        }
    }

    pub fn minus(self, o: Iv) -> Iv {
        Iv {
            lo: self.lo - o.hi,
            hi: self.hi - o.lo,
        }
    }

    /// a / b × 100 for positive intervals; None when b may be zero.
    pub fn ratio_pct(self, b: Iv) -> Option<Iv> {
        if b.lo <= Decimal::ZERO || self.lo < Decimal::ZERO {
            return None;
        }
        let h = Decimal::ONE_HUNDRED;
        Some(Iv {
            lo: self.lo.checked_div(b.hi)? * h,
            hi: self.hi.checked_div(b.lo)? * h,
        })
    }

    /// Whether the intervals share a point. Written values stand for half-open intervals:
    /// 10.23 and 10.24 touch at 10.235 but cannot both round from one value.
    pub fn meets(self, o: Iv) -> bool {
        if self.lo == self.hi || o.lo == o.hi {
            self.lo <= o.hi && o.lo <= self.hi
        } else {
            self.lo < o.hi && o.lo < self.hi
        }
    }

    pub fn mid(self) -> Decimal {
        (self.lo + self.hi) / Decimal::TWO
    }
}

/// A value for messages: rounded to `dp` places, trailing zeros kept as written.
pub fn show(v: Decimal, dp: u32) -> String {
    v.round_dp(dp).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rounding_rule_examples() {
        // 98 / 109 = 89.908…% matches 89.91%.
        let r = Iv::written(d("98"), 0)
            .ratio_pct(Iv::written(d("109"), 0))
            .unwrap();
        assert!(r.meets(Iv::written(d("89.91"), 2)));
        // 1660.94 / 3635.1 matches 45.69%.
        let r = Iv::written(d("1660.94"), 2)
            .ratio_pct(Iv::written(d("3635.1"), 1))
            .unwrap();
        assert!(r.meets(Iv::written(d("45.69"), 2)));
        // 865.57 / (1959.99 − 865.57) = 79.09% does not match 79.05%.
        let old = Iv::written(d("1959.99"), 2).minus(Iv::written(d("865.57"), 2));
        let r = Iv::written(d("865.57"), 2).ratio_pct(old).unwrap();
        assert!(!r.meets(Iv::written(d("79.05"), 2)));
        // 85 + 96 ≠ 184.
        let s = Iv::written(d("85"), 0).plus(Iv::written(d("96"), 0));
        assert!(!s.meets(Iv::written(d("184"), 0)));
    }
}
