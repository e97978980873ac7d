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
    // A change found wrong against both amounts is the slip; the rate computed from it is
    // then reported with it, not again.
    let slipped = named_bases(c);
    stated_changes(c, &slipped);
    flat_claims(c);
}

/// "A，与上年B持平" (相同, 不变): with both amounts in the sentence they must be equal within
/// their rounding. "基本持平" allows a small change and is not judged.
fn flat_claims(c: &mut Checker) {
    let Some(doc) = c.doc else { return };
    let chars: Vec<char> = doc.text.chars().collect();
    let figs = &c.ex.figures;
    for i in 1..figs.len() {
        let (a, b) = (&figs[i - 1], &figs[i]);
        let money = |f: &crate::extract::Figure| {
            f.class == UnitClass::Money && f.table.is_none() && f.direction.is_none()
        };
        if !money(a) || !money(b) || a.context != b.context || a.is_comparison() {
            continue;
        }
        if !(b.label.contains('与') || b.label.contains('比') || b.label.contains('较')) {
            continue;
        }
        let after: String = chars[b.span.end.min(chars.len())..(b.span.end + 6).min(chars.len())]
            .iter()
            .collect();
        let word = ["持平", "相同", "不变"]
            .into_iter()
            .find(|w| after.contains(w));
        let Some(word) = word else { continue };
        if after.contains("基本") || after.contains("略") {
            continue;
        }
        let (ai, bi) = (FigureId(i - 1), FigureId(i));
        let pair = [ai, bi];
        if !c.claim(&pair) {
            continue;
        }
        if c.iv(ai).meets(c.iv(bi)) {
            c.pass(&pair);
        } else if c.involves_conflict(&pair) {
            c.fail_silently(&pair);
        } else {
            let (av, bv) = (c.fig(ai).value.clone(), c.fig(bi).value.clone());
            let dp = c.fig(ai).decimals().max(c.fig(bi).decimals());
            let diff = c.fig(ai).amount() - c.fig(bi).amount();
            let msg = format!(
                "写作{word}，但{av}比{bv}{}{}：两者并不相等",
                if diff < Decimal::ZERO { "少" } else { "多" },
                show(diff.abs(), dp)
            );
            let arith = format!("{av} − {bv} = {} ≠ 0", show(diff, dp));
            c.fail(CODE, Severity::Error, msg, Some(arith), &pair);
        }
    }
}

/// "A，比2025年预算B增加X（或增长Y%）": with both amounts in the sentence, the stated change
/// must be A − B in its direction (B − A for 减少/下降), and a rate (A − B) / B. The
/// direction word against the figures it describes: "增加" where A is less than B is the
/// inspection's classic.
fn named_bases(c: &mut Checker) -> Vec<FigureId> {
    let mut slipped = Vec::new();
    let figs = &c.ex.figures;
    for i in 2..figs.len() {
        let (x, b, a) = (&figs[i], &figs[i - 1], &figs[i - 2]);
        let Some(dir) = x.direction else { continue };
        let same = |f: &crate::extract::Figure| f.context == x.context && f.table.is_none();
        let named = b.label.contains('比') || b.label.contains('较');
        if x.table.is_some()
            || !same(b)
            || !same(a)
            || !named
            || b.class != UnitClass::Money
            || a.class != UnitClass::Money
            || a.is_comparison()
            || b.direction.is_some()
            || !matches!(x.class, UnitClass::Money | UnitClass::Percent)
        {
            continue;
        }
        let (ai, bi, xi) = (FigureId(i - 2), FigureId(i - 1), FigureId(i));
        let up = dir == Direction::Up;
        let (ia, ib) = (c.iv(ai), c.iv(bi));
        let delta = if up { ia.minus(ib) } else { ib.minus(ia) };
        let holds = match x.class {
            UnitClass::Money => delta.meets(c.iv(xi)),
            _ => delta
                .ratio_pct(ib)
                .is_some_and(|q| q.meets(Iv::of(c.fig(xi)))),
        };
        let figs3 = [ai, bi, xi];
        if !c.claim(&figs3) {
            continue;
        }
        if holds {
            c.pass(&figs3);
            continue;
        }
        if c.involves_conflict(&figs3) {
            c.fail_silently(&figs3);
            continue;
        }
        let (av, bv, xv) = (
            c.fig(ai).value.clone(),
            c.fig(bi).value.clone(),
            c.fig(xi).value.clone(),
        );
        // The word as written (节约, 超支, 增加 …), else the template's.
        let start = c.fig(xi).span.start;
        let label: String = c.doc.map_or(String::new(), |d| {
            let before: Vec<char> = d.text.chars().take(start).collect();
            before[before.len().saturating_sub(4)..].iter().collect()
        });
        let label = label.trim_end().trim_end_matches('了');
        let written = [
            "节约", "节省", "超支", "增加", "减少", "增长", "下降", "降低", "提高",
        ]
        .into_iter()
        .find(|w| label.ends_with(w));
        let word = written.unwrap_or(match (up, c.fig(xi).class) {
            (true, UnitClass::Money) => "增加",
            (false, UnitClass::Money) => "减少",
            (true, _) => "增长",
            (false, _) => "下降",
        });
        let pct = if x.class == UnitClass::Money { "" } else { "%" };
        let (na, nb) = (c.fig(ai).amount(), c.fig(bi).amount());
        let dp = c.fig(ai).decimals().max(c.fig(bi).decimals());
        let diff = na - nb;
        let wrong_way = delta.hi < Decimal::ZERO;
        let msg = if wrong_way {
            format!(
                "写作{word}{xv}{pct}，但{av}比{bv}{}{}：增减方向与数字相反",
                if diff < Decimal::ZERO { "少" } else { "多" },
                show(diff.abs(), dp)
            )
        } else if x.class == UnitClass::Money {
            format!("{av}比{bv}{word}{xv}不符：两者相差{}", show(diff.abs(), dp))
        } else {
            let q = if nb.is_zero() {
                Decimal::ZERO
            } else {
                diff.abs() / nb * Decimal::ONE_HUNDRED
            };
            format!("{av}比{bv}{word}{xv}%不符：实际变动{}%", show(q, 2))
        };
        let arith = if x.class == UnitClass::Money {
            format!(
                "{av} − {bv} = {} ≠ {}{xv}",
                show(diff, dp),
                if up { "" } else { "−" }
            )
        } else {
            format!("({av} − {bv}) / {bv} ≠ {}{xv}%", if up { "" } else { "−" })
        };
        c.fail(CODE, Severity::Error, msg, Some(arith), &figs3);
        slipped.push(xi);
    }
    slipped
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
fn stated_changes(c: &mut Checker, slipped: &[FigureId]) {
    for claim in change_claims(c.ex) {
        test_change(c, claim, slipped);
    }
}

/// A change claim: the amount A, the change X and the rate Y, its direction, whether A is
/// the old amount itself, and the other amounts A might be (across sentences).
struct Claim {
    a: FigureId,
    x: FigureId,
    y: FigureId,
    dir: Direction,
    named_old: bool,
    alts: Vec<FigureId>,
}

fn change_claims(ex: &crate::extract::Extraction) -> Vec<Claim> {
    let figs = &ex.figures;
    let mut claims = Vec::new();
    for i in 1..figs.len() {
        let x = &figs[i];
        if x.table.is_some() || x.class != UnitClass::Money {
            continue;
        }
        let Some(dir) = x.direction else { continue };
        // The comparison is with last year ("与上年相比收、支预算总计各增加X").
        // "比2016年增加" in a 2017 report says the same.
        let last_year = ex.meta.year.map(|y| format!("{}年", y - 1));
        let said = x.compared_to.as_deref().is_some_and(|b| {
            ["上年", "去年", "同期", "上一年"]
                .iter()
                .any(|w| b.contains(w))
        });
        let by_year = x
            .compared_to
            .as_deref()
            .is_some_and(|b| last_year.as_deref().is_some_and(|y| b.contains(y)));
        if !said && !by_year {
            continue;
        }
        // A year-named base ("较2025年年初预算增加X") is taken only from its own clause:
        // such sentences often follow a list of items, none of which is the base.
        // Its own clause: nothing between the base and the change but the base's unit and
        // the change's label ("a万元，比2025年预算增加X").
        let own_clause = |j: usize| {
            let gap = x.span.start.saturating_sub(figs[j].span.end);
            figs[j].context == x.context && gap <= x.label.chars().count() + 4
        };
        if by_year && !said && !own_clause(i - 1) {
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
        // "比2025年年初预算数a增加X，增长Y%": the amount compared with is itself the old one.
        let named_old = figs[i - 1].context == x.context
            && figs[i - 1].class == UnitClass::Money
            && figs[i - 1].label.contains('比');
        // Across sentences the paragraph may list items after its subject ("研究调研活动a，
        // 主要包括：…b，…c。较上年增加X"): every amount of it is a candidate, and only a
        // paragraph with one amount names its base for sure.
        let (a, alts) = if named_old {
            (Some(i - 1), Vec::new())
        } else if figs[i - 1].context == x.context {
            (Some(i - 1).filter(base), Vec::new())
        } else {
            let mut all: Vec<usize> = (0..i)
                .rev()
                .take_while(|&j| figs[j].block == x.block)
                .filter(base)
                .collect();
            let a = (!all.is_empty()).then(|| all.remove(0));
            (a, all.into_iter().map(FigureId).collect())
        };
        if let Some(a) = a {
            claims.push(Claim {
                a: FigureId(a),
                x: FigureId(i),
                y: FigureId(i + 1),
                dir,
                named_old,
                alts,
            });
        }
    }
    claims
}

/// Y against X / old, old being A ∓ X (or A when A is the old amount itself).
fn test_change(c: &mut Checker, claim: Claim, slipped: &[FigureId]) {
    let Claim {
        a,
        x,
        y,
        dir,
        named_old,
        alts,
    } = claim;
    let up = dir == Direction::Up;
    let rate_of = |c: &Checker, a: FigureId| {
        let (ia, ix) = (c.iv(a), c.iv(x));
        let old = if named_old {
            ia
        } else if up {
            ia.minus(ix)
        } else {
            ia.plus(ix)
        };
        ix.ratio_pct(old)
    };
    let yf = c.fig(y);
    let Some(q) = rate_of(c, a) else {
        zero_base(c, [a, x, y], up, named_old, alts.is_empty());
        return;
    };
    let alt = alts
        .iter()
        .copied()
        .find(|&b| rate_of(c, b).is_some_and(|q| q.meets(Iv::of(yf))));
    let a = if q.meets(Iv::of(yf)) {
        a
    } else {
        alt.unwrap_or(a)
    };
    let figs3 = [a, x, y];
    if !c.claim(&figs3) {
        return;
    }
    let Some(q) = rate_of(c, a) else { return };
    let yf = c.fig(y);
    if q.meets(Iv::of(yf)) {
        c.pass(&figs3);
    } else if !alts.is_empty() {
        let msg = format!(
            "{}：变动率{}%的基数不确定（段落中有多个金额），未核对",
            c.fig(x).label,
            yf.value
        );
        c.note(msg);
    } else if c.involves_conflict(&figs3) || slipped.contains(&x) {
        c.fail_silently(&figs3);
    } else {
        let (av, xv) = (c.fig(a).value.clone(), c.fig(x).value.clone());
        let op = if up { "−" } else { "+" };
        let over = if named_old {
            av.clone()
        } else {
            format!("({av} {op} {xv})")
        };
        // The ratio of the figures as written, for the message.
        let (old, nx) = written_old(c, a, x, up, named_old);
        let exact = if old.is_zero() {
            q.mid()
        } else {
            nx / old * Decimal::ONE_HUNDRED
        };
        let (severity, note) = rounding(exact, yf.dec, yf.decimals());
        let msg = format!(
            "{}{}%与{xv} / {over} = {}%不符{note}",
            if up { "增长" } else { "下降" },
            yf.value,
            show(exact, yf.decimals().max(2))
        );
        let arith = format!("{xv} / {over} = {}% ≠ {}%", show(exact, 4), yf.value);
        c.fail(CODE, severity, msg, Some(arith), &figs3);
    }
}

/// The old amount as written (A ∓ X, or A when A is the old amount itself) and the change X.
fn written_old(
    c: &Checker,
    a: FigureId,
    x: FigureId,
    up: bool,
    named_old: bool,
) -> (Decimal, Decimal) {
    let (na, nx) = (c.fig(a).amount(), c.fig(x).amount());
    let old = if named_old {
        na
    } else if up {
        na - nx
    } else {
        na + nx
    };
    (old, nx)
}

/// A rate of change stated over a prior amount that is 0 as written ("支出50万元，比上年增加
/// 50万元，增长100%"): growth from nothing has no rate. A warning, as for any rate on a zero
/// base (R001).
fn zero_base(c: &mut Checker, figs: [FigureId; 3], up: bool, named_old: bool, sure: bool) {
    let [a, x, y] = figs;
    let (old, nx) = written_old(c, a, x, up, named_old);
    if !sure || !old.is_zero() || nx.is_zero() || !c.claim(&figs) {
        return;
    }
    let yf = c.fig(y);
    let msg = format!(
        "{}{}%的基数（上年数）为0，变动率无从计算 / a rate of change over a prior amount of 0",
        if up { "增长" } else { "下降" },
        yf.value
    );
    let arith = format!("{} / 0 = ∞", c.fig(x).value);
    c.fail(CODE, Severity::Warning, msg, Some(arith), &figs);
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
