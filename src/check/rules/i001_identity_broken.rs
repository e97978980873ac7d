//! I001 identity-broken: a total that, by how budgets are built, is the sum of other keyed
//! figures (全年 = 年初 + 调整, 决算支出 = 基本 + 项目, …) or of named items (人员经费 =
//! 工资福利支出 + 对个人和家庭的补助 in 决算), and is not.

use crate::check::checker::{Checker, Severity};
use crate::check::definitions::{FUND_IDENTITIES, IDENTITIES, ITEM_IDENTITIES};
use crate::check::facts::choices_product;
use crate::check::interval::show;
use crate::extract::{FigureId, SumKind};

pub const CODE: &str = "I001";

pub fn run(c: &mut Checker) {
    for id in IDENTITIES {
        let Some(t) = c.facts.key_value(id.total) else {
            continue;
        };
        let parts: Option<Vec<FigureId>> = id.parts.iter().map(|k| c.facts.key_value(k)).collect();
        let Some(mut parts) = parts else { continue };
        parts.extend(id.optional.iter().filter_map(|k| c.facts.key_value(k)));
        parts.extend(also_stated(c, t, id.also));
        if broken_down_further(c, t, &parts) {
            continue;
        }
        identity(c, t, parts, id.what);
    }
    // Within one named fund: each key stated with one value in that fund.
    for id in FUND_IDENTITIES {
        let funds: Vec<_> = c
            .facts
            .key_clusters
            .keys()
            .filter(|(k, f)| k == id.total && f.is_some())
            .map(|(_, f)| *f)
            .collect();
        for fund in funds {
            let one = |k: &str| match c.facts.key_clusters.get(&(k.to_string(), fund)) {
                Some(cl) if cl.len() == 1 => Some(cl[0][0]),
                _ => None,
            };
            let Some(t) = one(id.total) else { continue };
            let parts: Option<Vec<FigureId>> = id.parts.iter().map(|k| one(k)).collect();
            if let Some(parts) = parts {
                identity(c, t, parts, id.what);
            }
        }
    }
    // Items stated with one value each are checked here; an item stated with two values is
    // D002's when exactly one of them makes the identity hold, and is checked here on its
    // first values when none does.
    for (k, id) in ITEM_IDENTITIES.iter().enumerate() {
        let Some(t) = c.facts.key_value(id.total) else {
            continue;
        };
        let Some(values) = &c.facts.item_values[k] else {
            continue;
        };
        if values.iter().all(|v| v.len() == 1) {
            identity(c, t, values.iter().map(|v| v[0]).collect(), id.what);
            continue;
        }
        let Some(readings) = choices_product(values) else {
            continue;
        };
        let holds = |r: &[FigureId]| c.iv(t).meets(c.sum_iv(r));
        if !readings.iter().any(|r| holds(r)) {
            identity(c, t, readings[0].clone(), id.what);
        }
    }
}

/// Amounts of the named components that the total's section states (年终结转结余资金a in the
/// 支出预算 section), the first of each, when not zero.
fn also_stated(c: &Checker, t: FigureId, names: &[&str]) -> Vec<FigureId> {
    let tf = c.fig(t);
    names
        .iter()
        .filter_map(|name| {
            c.ex.ids()
                .find(|(_, f)| {
                    f.class == tf.class
                        && f.section == tf.section
                        && f.scope == tf.scope
                        && f.fund == tf.fund
                        && !f.is_comparison()
                        && f.noun.contains(name)
                })
                .filter(|(_, f)| !f.dec.is_zero())
                .map(|(i, _)| i)
        })
        .collect()
}

/// Whether the report breaks the total down into these parts and more (支出预算 = 基本支出 +
/// 项目支出 + 年终结转结余 in one template): its own list then owns the relation, and the
/// identity does not hold by construction there.
fn broken_down_further(c: &Checker, t: FigureId, parts: &[FigureId]) -> bool {
    let same = |a: FigureId, b: FigureId| c.iv(a).meets(c.iv(b));
    c.ex.groups.iter().any(|g| {
        g.kind == SumKind::Text
            && same(g.total, t)
            && g.parts.len() > parts.len()
            && parts.iter().all(|&p| g.parts.iter().any(|&q| same(p, q)))
    })
}

/// A total against the parts an identity says make it up.
fn identity(c: &mut Checker, t: FigureId, ps: Vec<FigureId>, what: &str) {
    let mut figs = vec![t];
    figs.extend(&ps);
    if !c.claim(&figs) {
        return;
    }
    let holds = |c: &Checker, r: &[FigureId]| c.iv(r[0]).meets(c.sum_iv(&r[1..]));
    if holds(c, &figs) {
        c.pass(&figs);
    } else if c.involves_conflict(&figs) && !c.facts.fails_every_reading(&figs, |r| holds(c, r)) {
        c.fail_silently(&figs);
    } else {
        let dp = figs.iter().map(|&i| c.fig(i).decimals()).max().unwrap_or(0);
        let s = c.sum_written(&ps);
        let vals: Vec<String> = ps.iter().map(|&p| c.fig(p).value.clone()).collect();
        let tf = c.fig(t);
        let msg = format!(
            "{what}不成立：{}{}，而各项之和为{}",
            tf.label,
            tf.value,
            show(s, dp)
        );
        let arith = format!("{} = {} ≠ {}", vals.join(" + "), show(s, dp), tf.value);
        c.fail(CODE, Severity::Error, msg, Some(arith), &figs);
    }
}
