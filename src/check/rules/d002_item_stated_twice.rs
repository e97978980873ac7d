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
use crate::extract::{fund_of, Figure, FigureId, Fund};

pub const CODE: &str = "D002";

pub fn run(c: &mut Checker) {
    stated_in_text(c);
    classes_named_in_text(c);
    stated_in_tables(c);
    settled_by_identity(c);
}

/// A classification row stated in two tables (301 工资福利支出 in the 财政拨款 and the 一般
/// 公共预算 基本支出表), under columns of one meaning. Rows a table repeats (one block per
/// unit) are left out; so are tables of different funds, unless the report has no fund
/// but the general budget (then 财政拨款 and 一般公共预算 are one).
fn stated_in_tables(c: &mut Checker) {
    let ex = c.ex;
    // Tables of the all-funds and the appropriated scope state different amounts even when
    // the text calls them one: only 财政拨款 and 一般公共预算 are merged here.
    let fund = fund_of_report(c, false);
    // (table kind, row identity, column leaf) interned, then phase and fund.
    type Key = (
        usize,
        usize,
        usize,
        Option<crate::extract::Phase>,
        Option<Fund>,
    );
    let mut names: std::collections::HashMap<String, usize> = Default::default();
    let mut intern = |s: &str| -> usize {
        if let Some(&k) = names.get(s) {
            return k;
        }
        let k = names.len();
        names.insert(s.to_string(), k);
        k
    };
    // Gathered in a hash map, then sorted so that the order in which relations are claimed
    // does not depend on hashing.
    let mut by: std::collections::HashMap<Key, Vec<FigureId>> = Default::default();
    // What an untitled table is a table of comes from its section: one per section.
    let mut kinds: std::collections::HashMap<Option<String>, usize> = Default::default();
    for table in &ex.tables {
        let titled = table.title.as_deref().map(|t| intern(&table_kind(Some(t))));
        let leaves: Vec<usize> = table
            .columns
            .iter()
            .map(|col| {
                intern(&crate::extract::noun_of(
                    col.rsplit('/').next().unwrap_or(""),
                ))
            })
            .collect();
        let ids: Vec<Option<usize>> = table
            .rows
            .iter()
            .map(|r| row_identity(r).map(|s| intern(&s)))
            .collect();
        let mut seen: std::collections::HashMap<usize, usize> = Default::default();
        for &id in ids.iter().flatten() {
            *seen.entry(id).or_default() += 1;
        }
        for (r, id) in table.rows.iter().zip(&ids) {
            let Some(id) = *id else { continue };
            if seen[&id] > 1 || r.is_total() {
                continue;
            }
            for (ci, f) in r.figures.iter().enumerate() {
                let Some(f) = *f else { continue };
                let fig = ex.fig(f);
                if fig.class != UnitClass::Money || fig.scope.is_some() {
                    continue;
                }
                let Some(&leaf) = leaves.get(ci) else {
                    continue;
                };
                let kind = match titled {
                    Some(k) => k,
                    None => match kinds.get(&fig.section) {
                        Some(&k) => k,
                        None => {
                            let k = intern(&table_kind(fig.section.as_deref()));
                            kinds.insert(fig.section.clone(), k);
                            k
                        }
                    },
                };
                by.entry((kind, id, leaf, fig.phase, fund(fig)))
                    .or_default()
                    .push(f);
            }
        }
    }
    let mut by: Vec<(Key, Vec<FigureId>)> = by.into_iter().collect();
    by.sort_unstable_by_key(|a| a.0);
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

/// A figure's fund as the report tells funds apart: a report with no 政府性基金 or 国有资本
/// 经营 money has one appropriated fund, so its 财政拨款 and 一般公共预算 figures are one.
/// A report whose income is all appropriated (its 收入合计 is its 财政拨款 row) has one
/// scope: its figures of no fund are of that fund too.
fn fund_of_report<'a>(c: &Checker<'a>, whole: bool) -> impl Fn(&Figure) -> Option<Fund> + 'a {
    let one_fund = !c.ex.figures.iter().any(|f| {
        matches!(f.fund, Some(Fund::GovernmentFund | Fund::StateCapital)) && !f.dec.is_zero()
    });
    let all = whole && one_fund && all_appropriated(c.ex);
    move |f: &Figure| match f.fund {
        Some(Fund::General) if one_fund => Some(Fund::Appropriation),
        None if all => Some(Fund::Appropriation),
        other => other,
    }
}

/// Whether the income table of all funds (its caption names none) has its total row equal
/// to its 财政拨款 (or 一般公共预算) row: all the department's money is appropriated.
fn all_appropriated(ex: &crate::extract::Extraction) -> bool {
    ex.tables.iter().any(|t| {
        let all_funds = t.title.as_deref().is_some_and(|s| fund_of(s).is_none());
        let income = all_funds
            && t.title.as_deref().is_some_and(|s| s.contains("收"))
            && t.columns.iter().any(|c| c.contains("收入"))
            || all_funds && t.columns.first().is_some_and(|c| c.starts_with("收入"));
        let first = |r: &crate::extract::LogicalRow| r.figures.iter().flatten().next().copied();
        let total = t.rows.iter().filter(|r| r.is_total()).find_map(first);
        let appropriated = t
            .rows
            .iter()
            .filter(|r| {
                !r.is_total()
                    && r.label
                        .as_deref()
                        .and_then(fund_of)
                        .is_some_and(|f| matches!(f, Fund::Appropriation | Fund::General))
            })
            .find_map(first);
        match (income, total, appropriated) {
            (true, Some(a), Some(b)) => {
                let (fa, fb) = (ex.fig(a), ex.fig(b));
                !fa.dec.is_zero() && fa.amount() == fb.amount()
            }
            _ => false,
        }
    })
}

/// An item's noun without the words of its fund, which the grouping holds apart
/// (财政拨款支出 and 一般公共预算支出 of a one-fund report are one 支出).
fn bare_noun(noun: &str) -> std::borrow::Cow<'_, str> {
    if !["一般公共", "财政拨款", "政府性基金", "国有资本经营"]
        .iter()
        .any(|w| noun.contains(w))
    {
        return noun.into();
    }
    // "一般公共" is the fund once its 预算 is gone (一般公共收入), but 一般公共服务 is a class.
    let mut s = noun.replace("一般公共服务", "\u{0}");
    for w in ["一般公共", "财政拨款", "政府性基金", "国有资本经营"] {
        s = s.replace(w, "");
    }
    let s = s.replace('\u{0}', "一般公共服务");
    if s.is_empty() {
        noun.into()
    } else {
        s.into()
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
fn is_item(ex: &crate::extract::Extraction, f: &Figure) -> bool {
    // A cell of a row without a name is named by its column alone (合计 | 基本支出 | …).
    let under_column = |p: &crate::extract::CellPos| {
        ex.tables
            .get(p.table)
            .and_then(|t| t.columns.get(p.column))
            .is_some_and(|c| !c.trim().is_empty() && c.trim() == f.label)
    };
    // A keyed figure of the text is compared with the table rows of its name too: tables
    // key none of their 预算数 cells (see the extractor), so only its noun joins them.
    (f.key.is_none() || f.table.is_none())
        && f.class == UnitClass::Money
        // A short noun is too generic to name one item, but for the report's grand totals.
        && (f.noun.chars().count() >= 4 || matches!(f.noun.as_str(), "收入总" | "支出总"))
        && !f.noun.chars().any(|c| c.is_ascii_digit())
        && ["支出", "收入", "经费", "费", "资金", "收入总", "支出总"]
            .iter()
            .any(|w| f.noun.ends_with(w))
        && !f.is_comparison()
        // A table cell is comparable only under a labelled column: a headerless row's
        // amounts share the row's name.
        && f
            .table
            .as_ref()
            .is_none_or(|p| f.label.contains('/') || under_column(p))
}

/// Items the text states, against the other statements of the same noun and year.
fn stated_in_text(c: &mut Checker) {
    let ex = c.ex;
    let fund = fund_of_report(c, true);
    // An item is compared within one unit or project, one fund and one slice.
    type Item<'a> = (
        std::borrow::Cow<'a, str>,
        Option<i32>,
        Option<&'a str>,
        Option<Fund>,
        Option<&'a str>,
    );
    let mut by: BTreeMap<Item, Vec<FigureId>> = BTreeMap::new();
    for (i, f) in ex.ids() {
        if is_item(ex, f) {
            let item = (
                bare_noun(&f.noun),
                f.year.filter(|&y| Some(y) != ex.meta.year),
                f.scope.as_deref(),
                fund(f),
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
        // Statements that agree are one quantity stated again, whatever the others say.
        for k in &cl {
            if k.len() >= 2 && k.iter().any(|&i| c.fig(i).table.is_none()) && c.claim(k) {
                c.pass(k);
            }
        }
        // Three or more different amounts under one name are several items that share it
        // (each project's 审核资金), not one item misstated: as for D001, no value stands
        // for the name.
        if cl.len() > 2 {
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

/// A class, 款 or 项 of the classification the text names by its level ("法院（款）行政运行
/// （项）支出11786.92万元"), against that row of the tables of its fund: the name is the
/// row's label, the level is its code's length, and a 款 named with it picks the row under
/// that 款. The amount is the row's total (its only amount, or its 合计 column).
fn classes_named_in_text(c: &mut Checker) {
    static LEVEL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"([^（）()\s，,。；：:、．.\d]+?)\s*[（(](类|款|项)[）)]").unwrap()
    });
    let ex = c.ex;
    let fund = fund_of_report(c, true);
    // Each table's rows by their bare class name, built once and only when the text names a
    // class: (table, row) pairs.
    let mut by_name: Option<BTreeMap<String, Vec<(usize, usize)>>> = None;
    for (a, f) in ex.ids() {
        if f.table.is_some() || f.class != UnitClass::Money || f.is_comparison() {
            continue;
        }
        if !f.label.contains(['类', '款', '项']) {
            continue;
        }
        let named: Vec<(&str, &str)> = LEVEL
            .captures_iter(&f.label)
            .map(|m| {
                (
                    m.get(1).map_or("", |x| x.as_str()),
                    m.get(2).map_or("", |x| x.as_str()),
                )
            })
            .collect();
        let Some(&(name, level)) = named.last() else {
            continue;
        };
        let parent = named.len().checked_sub(2).map(|k| named[k].0);
        let digits = match level {
            "类" => 3,
            "款" => 5,
            _ => 7,
        };
        let index = by_name.get_or_insert_with(|| {
            let mut m: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
            for (ti, t) in ex.tables.iter().enumerate() {
                for (ri, r) in t.rows.iter().enumerate() {
                    if let Some(l) = r.label.as_deref() {
                        m.entry(bare_class(l)).or_default().push((ti, ri));
                    }
                }
            }
            m
        });
        let key = bare_class(name);
        if key.is_empty() {
            continue;
        }
        let found = index.get(&key).cloned().unwrap_or_default();
        let parent_key = parent.map(bare_class);
        let mut cells = Vec::new();
        for (ti, t) in ex.tables.iter().enumerate() {
            let rows: Vec<&crate::extract::LogicalRow> = found
                .iter()
                .filter(|(x, _)| *x == ti)
                .map(|&(_, ri)| &t.rows[ri])
                .filter(|r| r.code.as_ref().is_none_or(|k| k.len() == digits))
                .filter(|r| match (&parent_key, &r.code) {
                    (Some(p), Some(code)) => index.get(p).is_some_and(|qs| {
                        qs.iter().any(|&(qt, qr)| {
                            qt == ti && t.rows[qr].code.as_deref() == code.get(..digits - 2)
                        })
                    }),
                    _ => true,
                })
                .collect();
            let [row] = rows.as_slice() else { continue };
            let Some(cell) = row_total(t, row) else {
                continue;
            };
            let g = c.fig(cell);
            let phase_ok = g.phase.is_none() || f.phase.is_none() || g.phase == f.phase;
            // A figure under a class's heading ("（一）公共安全（类）") is still the
            // department's: its scope is a level of the same classification.
            let scope_ok = g.scope == f.scope
                || g.scope.is_none() && f.scope.as_deref().is_some_and(|s| LEVEL.is_match(s));
            if phase_ok && fund(g) == fund(f) && scope_ok {
                cells.push(cell);
            }
        }
        if cells.is_empty() {
            continue;
        }
        let mut all = vec![a];
        all.extend(&cells);
        let cl = clusters(ex, &all);
        let home = cl
            .iter()
            .find(|k| k.contains(&a))
            .cloned()
            .unwrap_or_default();
        if home.len() >= 2 {
            if c.claim(&home) {
                c.pass(&home);
            }
            continue;
        }
        // No table agrees: only a digit slip says the text and the row are one amount.
        let Some(&b) = cells.first() else { continue };
        let figs = [a, b];
        if !digit_slip(c.fig(a), c.fig(b)) || !c.claim(&figs) || c.involves_conflict(&figs) {
            continue;
        }
        let (fa, fb) = (c.fig(a), c.fig(b));
        let msg = format!(
            "{name}（{level}）此处写作{}，表中写作{}，不一致",
            shown(fa),
            shown(fb)
        );
        let arith = format!("{} ≠ {}", fa.value, fb.value);
        c.fail(CODE, Severity::Error, msg, Some(arith), &figs);
    }
}

/// A class's name as tables and text both write it: without an enumeration, spaces and a
/// trailing 支出 (四、公共安全支出 and 公共安全（类） are both 公共安全).
fn bare_class(s: &str) -> String {
    let s = s.trim();
    let s = s
        .split_once('、')
        .filter(|(n, _)| n.chars().all(|c| "一二三四五六七八九十".contains(c)))
        .map_or(s, |(_, r)| r);
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    s.strip_suffix("支出").map(str::to_string).unwrap_or(s)
}

/// A row's total amount: its only amount, or the one under a 合计/总计 column.
fn row_total(t: &crate::extract::LogicalTable, r: &crate::extract::LogicalRow) -> Option<FigureId> {
    let present: Vec<usize> = (0..r.figures.len())
        .filter(|&k| r.figure(k).is_some())
        .collect();
    if let [k] = present.as_slice() {
        return r.figure(*k);
    }
    present
        .into_iter()
        .find(|&k| {
            let col = t.columns.get(k).map_or("", |s| s.as_str());
            crate::extract::is_total_label(col.rsplit('/').next().unwrap_or(""), false)
        })
        .and_then(|k| r.figure(k))
}
