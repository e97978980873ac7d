//! R004 comparison-word-contradicts-figures: "决算数大于预算数" (小于, 等于, 高于, 低于, 超过)
//! where the 决算 and 预算 figures stated just before say the opposite. The 决算 template
//! explains each item this way ("年初预算为A万元，支出决算为B万元，完成年初预算的C%。决算数
//! 小于预算数的主要原因是……"); a word copied from the item above and not changed contradicts
//! the item's own figures and gives the wrong reason.
//!
//! The figures compared are the last 决算 figure and the last 预算 figure (年初, 全年 or 预算)
//! before the claim, in its paragraph or the one before (the template often breaks the line
//! there), and after the previous claim: each claim is read against its own item only. A word
//! is contradicted only when the figures differ beyond their rounding in the other direction.

use std::sync::LazyLock;

use regex::Regex;

use crate::check::checker::{Checker, Evidence, Severity};
use crate::extract::number::UnitClass;
use crate::extract::{FigureId, Phase};
use crate::model::Block;

pub const CODE: &str = "R004";

static CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"决算数?(大于|小于|等于|高于|低于|超过|超出)(?:年初|全年|调整后)?预算数?")
        .expect("valid")
});

/// The direction a word claims: 1 greater, -1 smaller, 0 equal.
fn claimed(word: &str) -> i8 {
    match word {
        "大于" | "高于" | "超过" | "超出" => 1,
        "小于" | "低于" => -1,
        _ => 0,
    }
}

pub fn run(c: &mut Checker) {
    let Some(doc) = c.doc else { return };
    let chars: Vec<char> = doc.text.chars().collect();
    // Where the previous claim ended: figures before it belong to an earlier item.
    let mut used = 0usize;
    for (bi, b) in doc.blocks.iter().enumerate() {
        let Block::Paragraph(p) = b else { continue };
        for m in CLAIM.captures_iter(&p.text) {
            let whole = m.get(0).expect("match");
            let claim = Evidence::in_text(&chars, &p.text, p.span, whole.range());
            let (at, end) = (claim.span.start, claim.span.end);
            let figs = &c.ex.figures;
            let near = |phases: &[Phase]| {
                figs.iter()
                    .enumerate()
                    .rev()
                    .filter(|(_, f)| {
                        f.table.is_none()
                            && f.class == UnitClass::Money
                            && (f.block == bi || f.block + 1 == bi)
                            && f.span.start >= used
                            && f.span.end <= at
                    })
                    .find(|(_, f)| f.phase.is_some_and(|ph| phases.contains(&ph)))
                    .map(|(i, _)| FigureId(i))
            };
            let fin = near(&[Phase::Final]);
            let bud = near(&[Phase::Initial, Phase::Total, Phase::Budget]);
            used = end;
            let (Some(fin), Some(bud)) = (fin, bud) else {
                continue;
            };
            let (f, b) = (c.iv(fin), c.iv(bud));
            let actual = if f.lo > b.hi {
                1
            } else if f.hi < b.lo {
                -1
            } else {
                0
            };
            let want = claimed(&m[1]);
            // Equal within rounding settles nothing against 大于/小于; only the opposite
            // direction, or a difference beside 等于, contradicts the word.
            let contradicted = if want == 0 {
                actual != 0
            } else {
                actual == -want
            };
            if !contradicted {
                c.pass(&[fin, bud]);
                continue;
            }
            let (fv, bv) = (
                format!("{}{}", c.fig(fin).value, c.fig(fin).unit),
                format!("{}{}", c.fig(bud).value, c.fig(bud).unit),
            );
            let truth = match actual {
                1 => "大于",
                -1 => "小于",
                _ => "等于",
            };
            // Figures and word in one paragraph: the pairing is the template's, sure; across
            // a paragraph break it is likely.
            let same = c.fig(fin).block == bi && c.fig(bud).block == bi;
            let severity = if same {
                Severity::Error
            } else {
                Severity::Warning
            };
            let evidence = vec![
                claim,
                Evidence::of(c.fig(fin), fin),
                Evidence::of(c.fig(bud), bud),
            ];
            c.fail_with(
                CODE,
                severity,
                format!("称“{}”，但决算{fv}{truth}预算{bv}", whole.as_str()),
                Some(format!(
                    "{} {} {}",
                    c.fig(fin).value,
                    ["<", "=", ">"][(actual + 1) as usize],
                    c.fig(bud).value
                )),
                evidence,
            );
        }
    }
}
