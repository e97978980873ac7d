//! D002 item-stated-twice: an item without a canonical key (卫生健康支出, a project, 工资福利
//! 支出) stated with two values: in the text and a table or another sentence, or twice where
//! an identity says which value is right.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::check::checker::{Checker, Severity};
use crate::check::confidence::{digit_slip, sure_conflict};
use crate::check::definitions::ITEM_IDENTITIES;
use crate::check::facts::{choices_product, clusters};
use crate::check::present::shown;
use crate::extract::number::UnitClass;
use crate::extract::{Figure, FigureId, Fund};

pub const CODE: &str = "D002";

pub fn run(c: &mut Checker) {
    stated_in_text(c);
    stated_in_tables(c);
    settled_by_identity(c);
}

/// A classification row stated in two tables (301 工资福利支出 in the 财政拨款 and the 一般
/// 公共预算 基本支出表), under columns of one meaning. Rows a table repeats (one block per
/// unit) are left out; so are tables of different funds, unless the report has no fund
/// but the general budget (then 财政拨款 and 一般公共预算 are one).
fn stated_in_tables(c: &mut Checker) {
    let ex = c.ex;
    let one_fund = !ex.figures.iter().any(|f| {
        matches!(f.fund, Some(Fund::GovernmentFund | Fund::StateCapital)) && !f.dec.is_zero()
    });
    let fund = |f: &Figure| match f.fund {
        Some(Fund::General) if one_fund => Some(Fund::Appropriation),
        other => other,
    };
    type Key = (
        String,
        String,
        String,
        Option<crate::extract::Phase>,
        Option<Fund>,
    );
    let mut by: BTreeMap<Key, Vec<FigureId>> = BTreeMap::new();
    for table in &ex.tables {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for r in &table.rows {
            if let Some(id) = row_identity(r) {
                *seen.entry(id).or_default() += 1;
            }
        }
        for r in &table.rows {
            let Some(id) = row_identity(r) else { continue };
            if seen[&id] > 1 || r.is_total() {
                continue;
            }
            for (ci, f) in r.figures.iter().enumerate() {
                let Some(f) = *f else { continue };
                let fig = ex.fig(f);
                if fig.class != UnitClass::Money || fig.scope.is_some() {
                    continue;
                }
                let col = table.columns.get(ci).map_or("", |s| s.as_str());
                let leaf = crate::extract::noun_of(col.rsplit('/').next().unwrap_or(""));
                let kind = table_kind(table.title.as_deref().or(fig.section.as_deref()));
                by.entry((kind, id.clone(), leaf, fig.phase, fund(fig)))
                    .or_default()
                    .push(f);
            }
        }
    }
    for (_, idx) in by {
        let tables: std::collections::BTreeSet<usize> = idx
            .iter()
            .filter_map(|&i| ex.fig(i).table.map(|p| p.table))
            .collect();
        if tables.len() < 2 {
            continue;
        }
        let cl = clusters(ex, &idx);
        if cl.len() == 1 {
            if c.claim(&idx) {
                c.pass(&idx);
            }
            continue;
        }
        // Tables of one report often state one row over different scopes (all funds, 财政
        // 拨款, one unit): only a digit slip between them says it is one quantity.
        for other in &cl[1..] {
            let figs = [cl[0][0], other[0]];
            let (fa, fb) = (c.fig(figs[0]), c.fig(figs[1]));
            let both = !fa.dec.is_zero() && !fb.dec.is_zero();
            if !both || !digit_slip(fa, fb) || !c.claim(&figs) || c.involves_conflict(&figs) {
                continue;
            }
            let name = fa.label.split('/').next().unwrap_or("");
            let msg = format!(
                "{name}在两张表中分别写作{}、{}，不一致",
                shown(fa),
                shown(fb)
            );
            let arith = format!("{} ≠ {}", fa.value, fb.value);
            c.fail(CODE, Severity::Error, msg, Some(arith), &figs);
        }
    }
}

/// What a table is a table of, its fund aside: "六、…部门财政拨款基本支出预算表" and "九、…部门
/// 一般公共预算基本支出预算表" are one kind; a 收入总表 and a 支出总表 are not.
fn table_kind(caption: Option<&str>) -> String {
    let mut s = caption.unwrap_or("").to_string();
    for w in [
        "财政拨款",
        "一般公共预算",
        "政府性基金预算",
        "国有资本经营预算",
        "政府性基金",
        "国有资本经营",
    ] {
        s = s.replace(w, "");
    }
    crate::extract::noun_of(&s)
}

/// What names a table row across tables: its classification code with its name, else its
/// name when the row has no code.
fn row_identity(r: &crate::extract::LogicalRow) -> Option<String> {
    let label = r.label.as_deref()?.trim();
    if label.is_empty() {
        return None;
    }
    Some(match &r.code {
        Some(code) => format!("{code} {label}"),
        None => crate::extract::noun_of(label),
    })
    .filter(|s| !s.is_empty())
}

/// An amount a check may compare by its noun: money, an item's name (not a key's), not a
/// change, a prior year's figure or a target.
fn is_item(f: &Figure) -> bool {
    f.key.is_none()
        && f.class == UnitClass::Money
        && f.noun.chars().count() >= 4
        && !f.noun.chars().any(|c| c.is_ascii_digit())
        && ["支出", "收入", "经费", "费", "资金"]
            .iter()
            .any(|w| f.noun.ends_with(w))
        && !f.is_comparison()
        // A table cell is comparable only under a labelled column: a headerless row's
        // amounts share the row's name.
        && (f.table.is_none() || f.label.contains('/'))
}

/// Items the text states, against the other statements of the same noun and year.
fn stated_in_text(c: &mut Checker) {
    let ex = c.ex;
    // An item is compared within one unit or project, one fund and one slice.
    type Item<'a> = (
        &'a str,
        Option<i32>,
        Option<&'a str>,
        Option<Fund>,
        Option<&'a str>,
    );
    let mut by: BTreeMap<Item, Vec<FigureId>> = BTreeMap::new();
    for (i, f) in ex.ids() {
        if is_item(f) {
            let item = (
                f.noun.as_str(),
                f.year,
                f.scope.as_deref(),
                f.fund,
                f.within.as_deref(),
            );
            by.entry(item).or_default().push(i);
        }
    }
    for ((noun, ..), idx) in by {
        // Only items the text states are compared: tables repeat one name at several levels
        // of a classification, and the text says which item it means.
        let Some(&a) = idx.iter().find(|&&i| c.fig(i).table.is_none()) else {
            continue;
        };
        let phase = c.fig(a).phase;
        let same: Vec<FigureId> = idx
            .iter()
            .copied()
            .filter(|&i| {
                let p = c.fig(i).phase;
                p.is_none() || phase.is_none() || p == phase
            })
            .collect();
        let cl = clusters(ex, &same);
        if cl.len() < 2 {
            if same.len() >= 2 {
                c.pass(&same);
            }
            continue;
        }
        let home = cl.iter().position(|k| k.contains(&a)).unwrap_or(0);
        // When a table agrees with the text, another table's different amount may be of
        // another scope (all funds vs 财政拨款): only a near miss (a few units of the last
        // decimal: 236.63 vs 236.64) is then a typo.
        let backed = cl[home].iter().any(|&i| c.fig(i).table.is_some());
        for (k, other) in cl.iter().enumerate() {
            if k == home {
                continue;
            }
            let (va, vb) = (c.iv(a).mid(), c.iv(other[0]).mid());
            let ulp = Decimal::new(1, c.fig(a).precision.max(c.fig(other[0]).precision));
            if backed && (va - vb).abs() > ulp * Decimal::TEN {
                continue;
            }
            // Two amounts of one name in one sentence are two items of a list ("…资金a仍未拨付到
            // 甲；…资金b仍未拨付到乙"), not one item stated twice.
            if c.fig(a).context == c.fig(other[0]).context {
                continue;
            }
            let figs = [a, other[0]];
            if !c.claim(&figs) || c.involves_conflict(&figs) {
                continue;
            }
            let (fa, fb) = (c.fig(a), c.fig(other[0]));
            let msg = format!(
                "{noun}此处写作{}，另一处写作{}，不一致",
                shown(fa),
                shown(fb)
            );
            let arith = format!("{} ≠ {}", fa.value, fb.value);
            let majority = cl[home].len().max(other.len());
            if sure_conflict(c.ex, majority, a, other[0]) {
                c.fail(CODE, Severity::Error, msg, Some(arith), &figs);
            } else {
                let msg = format!("{msg}（两值各出现一次且相差较大，可能是不同口径的数字）");
                c.fail_unsure(CODE, msg, Some(arith), &figs);
            }
        }
    }
}

/// An item of an identity stated with two values (工资福利 622100 in the text, 6122100 in
/// the table): when exactly one choice of values makes the identity hold, the other
/// statement is the wrong one.
fn settled_by_identity(c: &mut Checker) {
    for (k, id) in ITEM_IDENTITIES.iter().enumerate() {
        let Some(t) = c.facts.key_value(id.total) else {
            continue;
        };
        let Some(values) = &c.facts.item_values[k] else {
            continue;
        };
        if values.iter().all(|v| v.len() == 1) {
            continue;
        }
        let Some(readings) = choices_product(values) else {
            continue;
        };
        let good: Vec<&Vec<FigureId>> = readings
            .iter()
            .filter(|r| c.iv(t).meets(c.sum_iv(r)))
            .collect();
        let [good] = good.as_slice() else {
            continue;
        };
        let good = (*good).clone();
        for (part, v) in values.iter().enumerate() {
            for &odd in v.iter().filter(|&&x| x != good[part]) {
                let figs = [odd, good[part]];
                if !c.claim(&figs) || c.involves_conflict(&figs) {
                    continue;
                }
                let (fo, fg) = (c.fig(odd), c.fig(good[part]));
                let msg = format!(
                    "{}此处写作{}，另一处写作{}，不一致；{}只在后者成立",
                    fo.noun,
                    shown(fo),
                    shown(fg),
                    id.what
                );
                let arith = format!("{} ≠ {}", fo.value, fg.value);
                c.fail(CODE, Severity::Error, msg, Some(arith), &figs);
            }
        }
        let mut figs = vec![t];
        figs.extend(&good);
        if c.claim(&figs) {
            c.pass(&figs);
        }
    }
}
