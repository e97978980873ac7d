//! R003 change-claim-mismatch: "A，比上年增加X，增长Y%" where Y ≠ X / (A − X), and a
//! “三公”经费变动率 that is not (本年 − 上年) / 上年.

use rust_decimal::Decimal;

use crate::check::checker::{Checker, Severity};
use crate::check::definitions::{THREEPUBLIC_BUDGET, THREEPUBLIC_CHANGE};
use crate::check::interval::{show, Iv};
use crate::extract::number::UnitClass;
use crate::extract::{Direction, FigureId};

pub const CODE: &str = "R003";

pub fn run(c: &mut Checker) {
    threepublic_change(c);
    stated_changes(c);
}

/// “三公”经费变动率 against the 三公 budget and last year's figure its sentence names.
fn threepublic_change(c: &mut Checker) {
    let ex = c.ex;
    for r in &ex.rates {
        if c.fig(r.figure).key.as_deref() != Some(THREEPUBLIC_CHANGE) {
            continue;
        }
        let now = r
            .operands
            .iter()
            .rev()
            .copied()
            .find(|&i| c.fig(i).key.as_deref() == Some(THREEPUBLIC_BUDGET));
        let prior = r.operands.iter().copied().find(|&i| c.fig(i).is_prior());
        if let (Some(now), Some(prior)) = (now, prior) {
            change_rate(c, r.figure, now, prior);
        }
    }
}

/// (now − prior) / prior against a claimed change rate.
fn change_rate(c: &mut Checker, rate: FigureId, now: FigureId, prior: FigureId) {
    let figs = [rate, now, prior];
    if !c.claim(&figs) {
        return;
    }
    let diff = c.iv(now).minus(c.iv(prior));
    let p = c.iv(prior);
    if p.lo <= Decimal::ZERO {
        return;
    }
    let h = Decimal::ONE_HUNDRED;
    let cands = [
        diff.lo / p.lo,
        diff.lo / p.hi,
        diff.hi / p.lo,
        diff.hi / p.hi,
    ];
    let q = Iv {
        lo: cands.iter().copied().min().unwrap() * h,
        hi: cands.iter().copied().max().unwrap() * h,
    };
    if q.meets(c.iv(rate)) {
        c.pass(&figs);
    } else if c.involves_conflict(&figs) {
        c.fail_silently(&figs);
    } else {
        let (rf, nv, pv) = (c.fig(rate), &c.fig(now).value, &c.fig(prior).value);
        let (n, p) = (c.fig(now).amount(), c.fig(prior).amount());
        let exact = (n - p) / p * h;
        let (severity, note) = rounding(exact, rf.dec, rf.decimals());
        let msg = format!(
            "{}{}%与({nv}−{pv})/{pv}={}%不符{note}",
            rf.label,
            rf.value,
            show(exact, rf.decimals().max(2))
        );
        let arith = format!("({nv} − {pv}) / {pv} = {}%", show(exact, 4));
        c.fail(CODE, severity, msg, Some(arith), &figs);
    }
}

/// "A，比上年增加X，增长Y%": old = A ∓ X, Y = X / old; A, X and Y consecutive figures of one
/// sentence.
fn stated_changes(c: &mut Checker) {
    let ex = c.ex;
    let figs = &ex.figures;
    let mut claims = Vec::new();
    for i in 1..figs.len() {
        let x = &figs[i];
        if x.table.is_some() || x.class != UnitClass::Money {
            continue;
        }
        let Some(dir) = x.direction else { continue };
        // The comparison is with last year ("与上年相比收、支预算总计各增加X").
        if !x.compared_to.as_deref().is_some_and(|b| {
            ["上年", "去年", "同期", "上一年"]
                .iter()
                .any(|w| b.contains(w))
        }) {
            continue;
        }
        // The rate right after it, in the same sentence.
        if !figs
            .get(i + 1)
            .is_some_and(|y| y.context == x.context && y.class == UnitClass::Percent)
        {
            continue;
        }
        // The amount changed: the figure right before it in its sentence, or, when the
        // sentence opens with the change ("…支出a，主要用于…。与上年相比增加X，增长Y%"), the
        // last amount of its paragraph before it.
        let base = |j: &usize| {
            let a = &figs[*j];
            a.class == UnitClass::Money && !a.is_comparison() && a.table.is_none()
        };
        let a = if figs[i - 1].context == x.context {
            Some(i - 1).filter(base)
        } else {
            (0..i)
                .rev()
                .take_while(|&j| figs[j].block == x.block)
                .find(base)
        };
        if let Some(a) = a {
            claims.push((FigureId(a), FigureId(i), FigureId(i + 1), dir));
        }
    }
    for (a, x, y, dir) in claims {
        let figs3 = [a, x, y];
        if !c.claim(&figs3) {
            continue;
        }
        let up = dir == Direction::Up;
        let (ia, ix) = (c.iv(a), c.iv(x));
        let old = if up { ia.minus(ix) } else { ia.plus(ix) };
        let Some(q) = ix.ratio_pct(old) else { continue };
        let yf = c.fig(y);
        if q.meets(Iv::of(yf)) {
            c.pass(&figs3);
        } else if c.involves_conflict(&figs3) {
            c.fail_silently(&figs3);
        } else {
            let (av, xv) = (c.fig(a).value.clone(), c.fig(x).value.clone());
            let op = if up { "−" } else { "+" };
            // The ratio of the figures as written, for the message.
            let (na, nx) = (c.fig(a).amount(), c.fig(x).amount());
            let old = if up { na - nx } else { na + nx };
            let exact = if old.is_zero() {
                q.mid()
            } else {
                nx / old * Decimal::ONE_HUNDRED
            };
            let (severity, note) = rounding(exact, yf.dec, yf.decimals());
            let msg = format!(
                "{}{}%与{xv} / ({av} {op} {xv}) = {}%不符{note}",
                if up { "增长" } else { "下降" },
                yf.value,
                show(exact, yf.decimals().max(2))
            );
            let arith = format!(
                "{xv} / ({av} {op} {xv}) = {}% ≠ {}%",
                show(exact, 4),
                yf.value
            );
            c.fail(CODE, severity, msg, Some(arith), &figs3);
        }
    }
}

/// A stated rate that is the exact one cut instead of rounded (15.57 written 15.5) is a
/// warning, as everywhere; anything else an error.
fn rounding(exact: Decimal, stated: Decimal, dp: u32) -> (Severity, &'static str) {
    if exact.abs().trunc_with_scale(dp) == stated.abs() {
        (Severity::Warning, "（截去尾数而非四舍五入）")
    } else {
        (Severity::Error, "")
    }
}
