//! R001 rate-not-ratio-of-figures and R002 rate-on-wrong-base: a claimed rate against the
//! ratio of the figures it names. One decision gives both: a rate that fails on its named
//! base but holds on another is R002; one that holds on none is R001.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::check::checker::{Checker, Severity};
use crate::check::definitions::{rate_definitions, Base, THREEPUBLIC_CHANGE, TOTAL};
use crate::check::interval::show;
use crate::extract::number::UnitClass;
use crate::extract::{Figure, FigureId, Phase, Rate};

pub const RATIO: &str = "R001";
pub const WRONG_BASE: &str = "R002";

/// A (numerator, denominator, base) the rate may be computed on.
type Pair = (FigureId, FigureId, Base);

/// Shares that hold within rounding but whose written figures give another last digit,
/// decided once all shares of each whole are known: (whole, figures, exact ratio).
type Nudge = (FigureId, Vec<FigureId>, Decimal);

pub fn run(c: &mut Checker) {
    row_rates(c);
    let ex = c.ex;
    let mut shares: BTreeMap<FigureId, Vec<FigureId>> = BTreeMap::new();
    let mut nudges: Vec<Nudge> = Vec::new();
    let all: Vec<(&Rate, Vec<Pair>)> = ex
        .rates
        .iter()
        .filter(|r| c.fig(r.figure).key.as_deref() != Some(THREEPUBLIC_CHANGE))
        .map(|r| (r, candidate_pairs(c, r)))
        .filter(|(_, p)| !p.is_empty())
        .collect();
    let implied = implied_wholes(c, &all);
    for (r, pairs) in &all {
        let r = *r;
        if let Some(parts) = implied.get(&r.figure) {
            share_of_parts(c, r, pairs[0].0, parts);
            continue;
        }
        let figs = vec![r.figure, pairs[0].0, pairs[0].1];
        if !c.claim(&figs) {
            continue;
        }
        let rf = c.fig(r.figure);
        let (n, d, base) = pairs[0];
        match holds(c, r.figure, n, d) {
            None => zero_base(c, r, &figs),
            Some(true) => {
                if base == TOTAL && rf.class == UnitClass::Percent {
                    shares.entry(d).or_default().push(r.figure);
                    let q = ratio_mid(c.fig(n), c.fig(d));
                    if q.round_dp(rf.decimals()) != rf.dec {
                        nudges.push((d, figs, q));
                        continue;
                    }
                }
                c.pass(&figs)
            }
            Some(false) => fails(c, r, pairs, figs),
        }
    }
    for (whole, figs, q) in nudges {
        let rf = c.fig(figs[0]);
        let total: Decimal = shares[&whole].iter().map(|&i| c.fig(i).dec).sum();
        let one = Decimal::new(1, rf.decimals());
        if total == Decimal::ONE_HUNDRED && (q.round_dp(rf.decimals()) - rf.dec).abs() <= one {
            let msg = format!(
                "{}{}%按所列数字计算为{}%，各项占比合计恰为100%（可能为凑足100%而调整的尾差）",
                rf.label,
                rf.value,
                show(q, rf.decimals().max(2))
            );
            let arith = format!(
                "{} / {} = {}% ≠ {}%",
                c.fig(figs[1]).value,
                c.fig(figs[2]).value,
                show(q, 4),
                rf.value
            );
            c.fail(RATIO, Severity::Warning, msg, Some(arith), &figs);
        } else {
            c.pass(&figs);
        }
    }
}

/// A rate stated over a base written as 0 in its own sentence ("年初预算为0万元，支出决算为
/// 497.53万元，完成年初预算的100%"): no ratio exists, so whatever is stated is not one. A
/// warning: the base may be a placeholder the template left.
fn zero_base(c: &mut Checker, r: &Rate, figs: &[FigureId]) {
    let (rate, n, d) = (c.fig(figs[0]), c.fig(figs[1]), c.fig(figs[2]));
    if !d.dec.is_zero() || n.dec.is_zero() || !r.operands.contains(&figs[2]) {
        return;
    }
    let msg = format!(
        "“{}{}%”：基数{}为{}{}，比率无从计算 / the rate's base is 0",
        rate.label, rate.value, d.label, d.value, d.unit
    );
    let arith = format!("{} / {} = ∞", n.value, d.value);
    c.fail(RATIO, Severity::Warning, msg, Some(arith), figs);
}

/// Shares of one stated whole that add up to 100% while their parts do not add up to it
/// ("基本支出a，占本年支出预算x%；项目支出b，占y%" beside a 支出预算 that also counts 年终结转
/// 结余): the shares are of the sum of their parts. Rate → the parts of its whole.
fn implied_wholes(c: &Checker, all: &[(&Rate, Vec<Pair>)]) -> BTreeMap<FigureId, Vec<FigureId>> {
    let mut by_whole: BTreeMap<FigureId, Vec<(FigureId, FigureId)>> = BTreeMap::new();
    for (r, pairs) in all {
        let (n, d, base) = pairs[0];
        if base == TOTAL && c.fig(r.figure).class == UnitClass::Percent {
            by_whole.entry(d).or_default().push((r.figure, n));
        }
    }
    let mut out = BTreeMap::new();
    for (d, shares) in by_whole {
        let mut parts: Vec<FigureId> = shares.iter().map(|s| s.1).collect();
        parts.sort_unstable();
        parts.dedup();
        if parts.len() < 2 || parts.len() != shares.len() {
            continue;
        }
        let claimed: Decimal = shares.iter().map(|s| c.fig(s.0).dec).sum();
        let dp = shares
            .iter()
            .map(|s| c.fig(s.0).decimals())
            .max()
            .unwrap_or(0);
        let slack = Decimal::new(shares.len() as i64, dp);
        let parts_meet_whole = c.iv(d).meets(c.sum_iv(&parts));
        if (claimed - Decimal::ONE_HUNDRED).abs() <= slack && !parts_meet_whole {
            for s in &shares {
                out.insert(s.0, parts.clone());
            }
        }
    }
    out
}

/// A share checked against the sum of the parts its sibling shares name.
fn share_of_parts(c: &mut Checker, r: &Rate, n: FigureId, parts: &[FigureId]) {
    let mut figs = vec![r.figure];
    figs.extend(parts);
    if !c.claim(&figs) {
        return;
    }
    let whole = c.sum_iv(parts);
    let Some(q) = c.iv(n).ratio_pct(whole) else {
        return;
    };
    if q.meets(c.iv(r.figure)) {
        c.pass(&figs);
        return;
    }
    let rf = c.fig(r.figure);
    let sum = c.sum_written(parts);
    let exact = c.fig(n).amount() / sum * Decimal::ONE_HUNDRED;
    let names: Vec<String> = parts.iter().map(|&p| c.fig(p).value.clone()).collect();
    let msg = format!(
        "{}{}%与{}/({})={}%不符",
        rf.label,
        rf.value,
        c.fig(n).value,
        names.join("+"),
        show(exact, rf.decimals().max(2))
    );
    let arith = format!(
        "{} / ({}) = {}% ≠ {}%",
        c.fig(n).value,
        names.join(" + "),
        show(exact, 4),
        rf.value
    );
    c.fail(RATIO, Severity::Error, msg, Some(arith), &figs);
}

/// A table row's rate against its own row: the numerator over any of the bases its columns
/// offer (the template's first). Bases of 0 say nothing here (a rate over nothing is the
/// zero-base warning of the text, not a row's).
fn row_rates(c: &mut Checker) {
    for rr in &c.ex.row_rates {
        let (rate, n) = (rr.rate, rr.numerator);
        let bases: Vec<FigureId> = rr
            .bases
            .iter()
            .copied()
            .filter(|&d| !c.fig(d).dec.is_zero())
            .collect();
        let Some(&d) = bases.first() else { continue };
        // A 0% beside a non-zero amount is the placeholder some systems print in rows
        // whose rate they do not compute (其中 rows of the national 自评表, their 分值 "--").
        if c.fig(rate).dec.is_zero() {
            continue;
        }
        let figs = vec![rate, n, d];
        if !c.claim(&figs) {
            continue;
        }
        if bases.iter().any(|&b| holds(c, rate, n, b) == Some(true)) {
            c.pass(&figs);
            continue;
        }
        if holds(c, rate, n, d).is_none() {
            continue;
        }
        if c.involves_conflict(&figs) {
            c.fail_silently(&figs);
            continue;
        }
        let rf = c.fig(rate);
        let q = ratio_mid(c.fig(n), c.fig(d));
        let truncated = q.trunc_with_scale(rf.decimals()) == rf.dec;
        // One unit off in the second decimal: computed from unrounded amounts, or nudged.
        // (101% for 100% is not such a slip.)
        let unit = Decimal::new(1, rf.decimals());
        let last_digit = rf.decimals() >= 2 && (q.round_dp(rf.decimals()) - rf.dec).abs() <= unit;
        let (severity, note) = if truncated {
            (Severity::Warning, "（截去尾数而非四舍五入）")
        } else if last_digit {
            (Severity::Warning, "（末位相差1）")
        } else {
            (Severity::Error, "")
        };
        let (msg, arith) = ratio_message(c, rate, n, d, q, "本行");
        c.fail(RATIO, severity, format!("{msg}{note}"), Some(arith), &figs);
    }
}

/// "执行率95%与a/b=93.20%不符" and its arithmetic; `whose` names where a and b stand.
fn ratio_message(
    c: &Checker,
    rate: FigureId,
    n: FigureId,
    d: FigureId,
    q: Decimal,
    whose: &str,
) -> (String, String) {
    let rf = c.fig(rate);
    let (nv, dv) = (&c.fig(n).value, &c.fig(d).value);
    let msg = format!(
        "{}{}%与{whose}{nv}/{dv}={}%不符",
        rf.label,
        rf.value,
        show(q, rf.decimals().max(2))
    );
    let arith = format!("{nv} / {dv} = {}% ≠ {}%", show(q, 4), rf.value);
    (msg, arith)
}

/// Whether n / d matches the rate; None when it cannot be computed.
fn holds(c: &Checker, rate: FigureId, n: FigureId, d: FigureId) -> Option<bool> {
    c.iv(n).ratio_pct(c.iv(d)).map(|q| q.meets(c.iv(rate)))
}

/// The (numerator, denominator) pairs a rate may be computed on, most specific first: the
/// phases its sentence names, its key's definitions, the group its part belongs to, the
/// whole it names.
fn candidate_pairs(c: &Checker, r: &Rate) -> Vec<Pair> {
    let rf = c.fig(r.figure);
    let key = rf.key.clone().unwrap_or_default();
    let mut pairs: Vec<Pair> = Vec::new();
    let same_sentence = &r.operands;
    let find_in = |keys: &[&str]| -> Option<FigureId> {
        same_sentence
            .iter()
            .rev()
            .copied()
            .find(|&i| c.fig(i).key.as_deref().is_some_and(|k| keys.contains(&k)))
    };
    // Same-sentence phases: 决算 over a budget figure (执行率, 完成…的X%).
    if rf.label.contains("完成") || rf.label.contains("执行率") {
        let n = same_sentence
            .iter()
            .rev()
            .copied()
            .find(|&i| c.fig(i).phase == Some(Phase::Final));
        let want = if rf.label.contains("年初") || rf.label.contains("完成") {
            Phase::Initial
        } else {
            Phase::Total
        };
        let d = same_sentence
            .iter()
            .copied()
            .find(|&i| c.fig(i).phase == Some(want));
        if let (Some(n), Some(d)) = (n, d) {
            pairs.push((n, d, want.as_str()));
        }
    }
    for (num, den, base) in rate_definitions(&key, &rf.label) {
        let n = find_in(num).or_else(|| num.iter().find_map(|k| c.facts.key_value(k)));
        let d = find_in(den).or_else(|| den.iter().find_map(|k| c.facts.key_value(k)));
        if let (Some(n), Some(d)) = (n, d) {
            if n != d || num != den {
                pairs.push((n, d, base));
            }
        }
    }
    // "占总支出的X%" and "a（x%）": the part over the total of its group.
    if pairs.is_empty() {
        if let Some(&part) = r.operands.first() {
            if let Some(g) = c.ex.groups.iter().find(|g| g.parts.contains(&part)) {
                if rf.label.contains('占') || rf.label.ends_with("占比") {
                    pairs.push((part, g.total, TOTAL));
                }
            }
        }
    }
    // "A a，占“三公”经费的x%": the whole is the figure the document names that way.
    if pairs.is_empty() {
        if let Some((part, whole)) = named_whole(c, r.figure, &r.operands) {
            pairs.push((part, whole, TOTAL));
        }
    }
    pairs
}

/// A rate that does not hold on its first pair: R002 when another base explains it, else
/// R001 (a warning when the rate was truncated or nudged to make 100%).
fn fails(c: &mut Checker, r: &Rate, pairs: &[Pair], figs: Vec<FigureId>) {
    let rf = c.fig(r.figure);
    let (n, d, base) = pairs[0];
    let alt = pairs[1..]
        .iter()
        .find(|(n2, d2, _)| holds(c, r.figure, *n2, *d2) == Some(true))
        .copied();
    if let Some((n2, d2, b2)) = alt {
        // Plain 完成率 may be on either base; only an explicit 年初 base is a finding,
        // unless its own sentence names the 年初 figure and not the other.
        let named_here = r.operands.contains(&d) && !r.operands.contains(&d2);
        if base == Phase::Initial.as_str() && !rf.label.contains("年初") && !named_here {
            c.pass(&figs);
            return;
        }
        let figs = [r.figure, n2, d2];
        let q = ratio_mid(c.fig(n2), c.fig(d2));
        let msg = format!(
            "{}{}%按{}口径（{}/{}）计算，但所称口径应为{}",
            rf.label,
            rf.value,
            b2,
            c.fig(n2).value,
            c.fig(d2).value,
            base
        );
        if !c.involves_conflict(&figs) {
            let arith = format!(
                "{} / {} = {}% ",
                c.fig(n2).value,
                c.fig(d2).value,
                show(q, 3)
            );
            c.fail(WRONG_BASE, Severity::Error, msg, Some(arith), &figs);
        }
        return;
    }
    if c.involves_conflict(&figs)
        && (c.facts.conflicted.contains(&r.figure)
            || !c
                .facts
                .fails_every_reading(&[n, d], |x| holds(c, r.figure, x[0], x[1]) != Some(false)))
    {
        c.fail_silently(&figs);
        return;
    }
    let q = ratio_mid(c.fig(n), c.fig(d));
    // 95.457…% written 95.45: truncated, not rounded — worth a look, not an error.
    let truncated = q.trunc_with_scale(rf.decimals()) == rf.dec;
    // Shares forced to sum to 100% are nudged by one unit of the last place.
    let nudged = (q.round_dp(rf.decimals()) - rf.dec).abs()
        <= Decimal::new(1, rf.decimals().max(2))
        && rf.class == UnitClass::Percent
        && base == TOTAL;
    let sev = if truncated || nudged {
        Severity::Warning
    } else {
        Severity::Error
    };
    let (msg, arith) = ratio_message(c, r.figure, n, d, q, "");
    let msg = if truncated {
        format!("{msg}（截去尾数而非四舍五入）")
    } else if nudged {
        format!("{msg}（可能为凑足100%而调整的尾差）")
    } else {
        msg
    };
    c.fail(RATIO, sev, msg, Some(arith), &figs);
}

/// For a share "A a，占X的x%": (a, the figure named X). X must name an amount the
/// document states with one value only (its noun, in any table or sentence); otherwise
/// the share is left unchecked rather than checked against a guess.
fn named_whole(c: &Checker, rate: FigureId, operands: &[FigureId]) -> Option<(FigureId, FigureId)> {
    let rf = c.fig(rate);
    let (_, after) = rf.label.rsplit_once('占')?;
    let whole = after
        .trim_end_matches('的')
        .trim_end_matches("比重")
        .trim_end_matches("比例");
    let noun = crate::extract::noun_of(whole);
    let whole_fund = crate::extract::fund_of(whole);
    if noun.chars().count() < 2 {
        return None;
    }
    let part = operands
        .iter()
        .rev()
        .copied()
        .find(|&i| c.fig(i).class == UnitClass::Money)?;
    let same_phase = |f: &Figure| match (f.phase, rf.phase) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    let named: Vec<FigureId> =
        c.ex.ids()
            .filter(|&(i, f)| {
                i != part
                    && f.class == UnitClass::Money
                    && f.noun == noun
                    // The whole of the fund its name gives (本年支出合计: all funds), not the
                    // 财政拨款 table's row of the same name.
                    && (f.fund.is_none() || f.fund == whole_fund)
                    && f.year.is_none()
                    && same_phase(f)
            })
            .map(|(i, _)| i)
            .collect();
    let first = *named.first()?;
    let v = |i: FigureId| c.fig(i).value_wan;
    if named.iter().any(|&i| v(i) != v(first)) || v(first) <= v(part) {
        return None;
    }
    Some((part, first))
}

/// n / d × 100 as written (money in 万元); 0 when d is 0.
pub fn ratio_mid(n: &Figure, d: &Figure) -> Decimal {
    let (nv, dv) = (n.amount(), d.amount());
    if dv.is_zero() {
        return Decimal::ZERO;
    }
    nv / dv * Decimal::ONE_HUNDRED
}
