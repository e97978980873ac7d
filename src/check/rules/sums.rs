//! A total against its parts, for S001 (text), S002 (tables) and S003 (scores).

use crate::check::checker::{Checker, Severity};
use crate::check::interval::{show, Iv};
use crate::check::present::unit_word;
use crate::extract::number::UnitClass;
use crate::extract::{FigureId, Group, SumKind};

/// The groups a check owns, in extraction order.
pub fn groups<'a>(c: &Checker<'a>, pick: impl Fn(&Group, bool) -> bool) -> Vec<&'a Group> {
    let ex = c.ex;
    ex.groups
        .iter()
        .filter(|g| pick(g, ex.fig(g.total).class == UnitClass::Score))
        .collect()
}

/// Tests one group and reports it under `code` when it fails.
pub fn check_group(c: &mut Checker, g: &Group, code: &'static str) {
    let mut figs = vec![g.total];
    figs.extend(&g.parts);
    if !c.claim(&figs) {
        return;
    }
    let t = c.fig(g.total);
    let score = t.class == UnitClass::Score;
    let complete = g.complete || score;
    let holds = |c: &Checker, r: &[FigureId]| {
        let sum = c.sum_iv(&r[1..]);
        let total = Iv::of(c.fig(r[0]));
        if complete {
            total.meets(sum)
        } else {
            sum.lo <= total.hi
        }
    };
    let ok = holds(c, &figs);
    if g.kind == SumKind::Reasons {
        // The reasons given for a change need not be all of it.
        if ok {
            c.pass(&figs);
        }
        return;
    }
    let exact_sum = c.sum_written(&g.parts);
    let exact_total = t.amount();
    if ok && complete && g.kind == SumKind::Text && exact_sum != exact_total && !score {
        // Within rounding, but the report's own figures do not add up: a reviewer may want
        // to see it (2319.21 stated, parts adding to 2319.22).
        let why = "与其中所列各项之和{}相差一个尾数（四舍五入可以解释）";
        rounding_warning(c, code, g, &figs, why, exact_sum.normalize().to_string());
        return;
    }
    if ok && !complete && g.kind == SumKind::Text && exact_sum > exact_total && !score {
        // Some parts named, and as written they already exceed the whole: only rounding of
        // the round amounts can explain it (30 + 30 + 29.99 under 89.97).
        let why = "小于其中所列部分项目之和{}（仅在各数四舍五入的误差内成立）";
        rounding_warning(c, code, g, &figs, why, exact_sum.normalize().to_string());
        return;
    }
    if ok {
        c.pass(&figs);
        return;
    }
    if c.involves_conflict(&figs) && !c.facts.fails_every_reading(&figs, |r| holds(c, r)) {
        // Counted, not reported again.
        c.fail_silently(&figs);
        return;
    }
    if c.same_slip(&figs, exact_total - exact_sum) {
        c.fail_silently(&figs);
        return;
    }
    let dp = figs.iter().map(|&i| c.fig(i).decimals()).max().unwrap_or(0);
    // Off by no more than the roundings of its figures could make it, at their limit
    // (26790.33 against 23647.92 + 1259.82 + 1882.57): a warning, as everywhere.
    let ulp = rust_decimal::Decimal::new(1, dp);
    let bound = ulp * rust_decimal::Decimal::from(g.parts.len() + 1) / rust_decimal::Decimal::TWO;
    if !score && (exact_total - exact_sum).abs() <= bound {
        let why = "与各项之和{}相差尾数（各数四舍五入后恰在误差边界）";
        rounding_warning(c, code, g, &figs, why, show(exact_sum, dp));
        return;
    }
    // A part in another unit than its total says so ("222元" among 万元).
    let parts_s: Vec<String> = g
        .parts
        .iter()
        .map(|&p| {
            let f = c.fig(p);
            if f.class == UnitClass::Money && f.unit != t.unit {
                format!("{}{}", f.value, f.unit)
            } else {
                f.value.clone()
            }
        })
        .collect();
    let unit = unit_word(t);
    let tv = t.amount();
    let arith = format!(
        "{} = {} ≠ {}",
        parts_s.join(" + "),
        show(exact_sum, dp),
        tv.normalize()
    );
    let msg = if score {
        format!(
            "{}{}分与各部分得分之和{}分不一致",
            t.label,
            t.value,
            show(exact_sum, dp)
        )
    } else {
        let what = if g.kind == SumKind::Text {
            "其中所列各项"
        } else {
            "表中各项"
        };
        format!(
            "{}{}{}与{}之和{}{}不一致",
            t.label,
            tv.normalize(),
            unit,
            what,
            show(exact_sum, dp),
            unit
        )
    };
    let msg = match (!score).then(|| unit_slip(c, g, exact_total, exact_sum, bound)) {
        Some(Some(slip)) => format!("{msg}：{slip}"),
        _ => msg,
    };
    c.fail(code, Severity::Error, msg, Some(arith), &figs);
}

/// The part whose unit was slipped, when there is one: written in 元 where 万元 was meant
/// (or the reverse), the sum holds with it read in the other unit ("项目支出222元" under a
/// total that needs 222万元).
fn unit_slip(
    c: &Checker,
    g: &Group,
    total: rust_decimal::Decimal,
    sum: rust_decimal::Decimal,
    bound: rust_decimal::Decimal,
) -> Option<String> {
    let ten_k = rust_decimal::Decimal::from(10_000);
    // Against a total of 0, or by a reading that makes the part vanish, any extra part
    // would "fit": that says nothing about its unit.
    if total.is_zero() {
        return None;
    }
    g.parts.iter().find_map(|&p| {
        let f = c.fig(p);
        let (meant, other) = match f.unit.as_str() {
            "元" => (f.amount() * ten_k, "万元"),
            "万元" => (f.amount() / ten_k, "元"),
            _ => return None,
        };
        let fixed = sum - f.amount() + meant;
        (meant.abs() > bound && (fixed - total).abs() <= bound).then(|| {
            format!(
                "{}写作{}{}，按{}计则各项之和与合计相符（单位疑误）",
                f.label, f.value, f.unit, other
            )
        })
    })
}

/// A sum that fails only by rounding: a warning, with the parts as written. `why` holds one
/// `{}` for the sum.
fn rounding_warning(
    c: &mut Checker,
    code: &'static str,
    g: &Group,
    figs: &[FigureId],
    why: &str,
    sum: String,
) {
    let t = c.fig(g.total);
    let total = t.amount().normalize();
    let parts: Vec<String> = g.parts.iter().map(|&p| c.fig(p).value.clone()).collect();
    let unit = unit_word(t);
    let with_unit = format!("{sum}{unit}");
    let msg = format!(
        "{}{}{}{}",
        t.label,
        total,
        unit,
        why.replacen("{}", &with_unit, 1)
    );
    let arith = format!("{} = {} ≠ {}", parts.join(" + "), sum, total);
    c.fail(code, Severity::Warning, msg, Some(arith), figs);
}
