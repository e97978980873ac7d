//! F007 narrative-contradicts-form: what a report's prose says about the money of its one
//! self-evaluation form and the form does not bear out: an 执行率 no 资金 row gives, a 资金到位率
//! no row's 全年到位数 / 预算数 gives (where the form has that column), a 结余 that is no row's
//! 预算数 − 执行数, a share said to be left unpaid ("剩余3%为质保金，待期满后支付") that is not
//! what the form leaves unspent, a 总分 other than the form's.
//!
//! Only a document with exactly one form is judged (with several, a sentence may be about any
//! of them), and not a budget or final-accounts disclosure (whose prose is about the whole
//! department, its forms appended). A sentence is taken to be about the form when it names the
//! form's project or stands within a few lines of the form. A claim passes when any 资金 row,
//! on either budget (全年 or 年初), bears it out: a reviewer forgives a missed claim sooner than
//! a false one.

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::forms::{at_row, iv, show};
use crate::check::checker::{Checker, Severity};
use crate::check::interval::Iv;
use crate::extract::types::{FormKind, SelfEval};
use crate::model::{Block, Span};

const CODE: &str = "F007";

/// How many lines around the form its own explanation may stand.
const NEAR: usize = 20;

/// A rate the prose claims, named by `name`: "资金执行率为86.2%", "资金到位率100%". A target or
/// rule before or after it (要求…达到90%以上, 达100%得满分) is caught, to be left out.
fn claimed_rate(name: &str) -> Regex {
    Regex::new(&format!(
        r"(要求|目标|确保|力争|不低于|应|须|需)?[^，。；]{{0,4}}?{name}(?:为|达到|达|是|：|:)?约?(\d{{1,3}}(?:\.\d{{1,2}})?)%(以上|以下|左右|及以上|得|的|以)?"
    ))
    .expect("valid")
}

static RATE: LazyLock<Regex> = LazyLock::new(|| claimed_rate("(?:资金|预算)执行率"));

static ARRIVAL: LazyLock<Regex> = LazyLock::new(|| claimed_rate("到位率"));

/// "年末结余资金20.42万元", "结余557.79万元"; the clause before it says whether it is this
/// year's (not 上年结转结余, 以前年度结余, 2023年结余).
static BALANCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([^，。；,;]{0,16}?)(?:结余|结存)(?:资金)?(?:为|：|:)?(\d+(?:\.\d+)?)(万元|亿元|元)",
    )
    .expect("valid")
});

/// Words of a clause that put its 结余 in another year or scope.
static OTHER_BALANCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"上年|以前年度|往年|历年|年初|结转|累计|\d{4}年|率").expect("valid")
});

/// What the sentence says is left: "剩余3%为质保金", "其余5%的尾款未支付". A share of a
/// contract kept back (合同约定预留5%作为质保金) says nothing of what is left, and is not read.
static UNPAID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:剩余|余下|其余|尚余)(?:的)?(?:资金)?(?:为|是)?(\d{1,2}(?:\.\d{1,2})?)%(?:的)?(?:为|是|作为|系)?(?:项目)?(?:尾款|质保金|质量保证金|余款)")
        .expect("valid")
});

/// The words that make a left share unpaid money, in the same sentence.
static NOT_YET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"未支付|未付|尚未|待|未拨付|未结算").expect("valid"));

fn written(s: &str) -> Option<Iv> {
    let v: Decimal = s.parse().ok()?;
    let dp = s.split_once('.').map_or(0, |(_, f)| f.len() as u32);
    Some(Iv::written(v, dp))
}

/// The last line a form's rows stand on.
fn last_line(f: &SelfEval) -> usize {
    let rows = f.funds.iter().map(|r| r.span.line);
    let inds = f.indicators.iter().map(|i| i.span.line);
    let tot = f.total_score.iter().map(|t| t.1.line);
    let grade = f.grade.iter().map(|g| g.1.line);
    rows.chain(inds)
        .chain(tot)
        .chain(grade)
        .max()
        .unwrap_or(f.span.line)
}

/// What the form's 资金 rows give: their rates (as written and as computed, on either
/// budget), their 预算数 − 执行数 (万元), their unspent shares.
struct Given {
    rates: Vec<Iv>,
    balances: Vec<Iv>,
    /// The rows' 资金到位率: 全年到位数 over either budget (only where the form has the column).
    arrivals: Vec<Iv>,
    /// The share of 年度资金总额 left unexecuted (100% − its rate): what an unpaid share
    /// is about.
    left: Vec<Iv>,
}

fn given(f: &SelfEval) -> Given {
    let mut g = Given {
        rates: Vec::new(),
        balances: Vec::new(),
        arrivals: Vec::new(),
        left: Vec::new(),
    };
    for r in f.funds.iter().filter(|r| r.label.contains("总额")) {
        let computed = match (r.actual, r.total, r.initial) {
            (Some(a), Some(b), _) | (Some(a), None, Some(b)) => iv(a).ratio_pct(iv(b)),
            _ => None,
        };
        let rate = r.rate.filter(|q| !q.value.is_zero()).map(iv).or(computed);
        g.left.extend(rate.map(unspent));
    }
    for r in &f.funds {
        if let Some(a) = r.arrived {
            for b in [r.total, r.initial].into_iter().flatten() {
                g.arrivals.extend(iv(a).ratio_pct(iv(b)));
            }
        }
        g.rates
            .extend(r.rate.filter(|q| !q.value.is_zero()).map(iv));
        let Some(a) = r.actual else { continue };
        for b in [r.total, r.initial].into_iter().flatten() {
            g.rates.extend(iv(a).ratio_pct(iv(b)));
            g.balances.push(iv(b).minus(iv(a)));
        }
    }
    g
}

fn unspent(rate: Iv) -> Iv {
    let h = Decimal::ONE_HUNDRED;
    Iv {
        lo: h - rate.hi.min(h),
        hi: h - rate.lo.min(h),
    }
}

pub fn run(c: &mut Checker) {
    let Some(doc) = c.doc else { return };
    let tables: Vec<&SelfEval> =
        c.ex.forms
            .iter()
            .filter(|f| f.kind != FormKind::Narrative)
            .collect();
    let [form] = tables.as_slice() else { return };
    let disclosure =
        c.ex.meta
            .kind
            .as_deref()
            .is_some_and(|k| k.ends_with("预算") || k.ends_with("决算"));
    if disclosure {
        return;
    }
    let project = form.project.as_deref().filter(|p| p.chars().count() >= 4);
    let g = given(form);
    let (first, last) = (form.span.line, last_line(form));
    let chars: Vec<char> = doc.text.chars().collect();
    let mut claims: Vec<(Span, String, String)> = Vec::new();
    for b in &doc.blocks {
        let Block::Paragraph(p) = b else { continue };
        // The form's own cells and notes ("预算执行率未达到90%的需说明原因") are not claims.
        if (first..=last).contains(&p.span.line) {
            continue;
        }
        let text: String = p.text.chars().filter(|c| !c.is_whitespace()).collect();
        let near = p.span.line + NEAR >= first && p.span.line <= last + NEAR;
        if !near && !project.is_some_and(|n| text.contains(n)) {
            continue;
        }
        claims.extend(
            check_text(&text, &g)
                .into_iter()
                .map(|(m, e)| (p.span, m, e)),
        );
    }
    // The 总分 a scoring sentence gives, against the form's.
    let about = |line: usize, text: &str| {
        let near = line + NEAR >= first && line <= last + NEAR;
        near || project.is_some_and(|n| text.contains(n))
    };
    for n in c.ex.forms.iter().filter(|f| f.kind == FormKind::Narrative) {
        let (a, b) = crate::check::checker::sentence_around(&chars, n.span.start, n.span.end);
        let around: String = chars[a.min(chars.len())..b.min(chars.len())]
            .iter()
            .collect();
        if !about(n.span.line, &around) {
            continue;
        }
        let (Some((said, span)), Some((sum, _))) = (n.total_score, form.total_score) else {
            continue;
        };
        if iv(said).meets(iv(sum)) {
            c.pass_unrelated();
        } else {
            claims.push((
                span,
                format!("文中总分{}与自评表总分{}不符", show(said), show(sum)),
                format!("{} ≠ {}", show(said), show(sum)),
            ));
        }
    }
    for (span, message, equation) in claims {
        if message.is_empty() {
            c.pass_unrelated();
            continue;
        }
        c.fail_with(
            CODE,
            Severity::Warning,
            message,
            Some(equation),
            vec![at_row(&chars, span, String::new())],
        );
    }
}

/// The claims of a rate in a paragraph (`said_as` in the message), against what the form gives
/// for it (`what`): an empty message for each it bears out, else the message and equation of
/// the finding.
fn rate_claims(
    re: &Regex,
    text: &str,
    given: &[Iv],
    said_as: &str,
    what: &str,
) -> Vec<(String, String)> {
    let Some(first) = given.first() else {
        return Vec::new();
    };
    let form = crate::check::interval::show(first.mid(), 2);
    re.captures_iter(text)
        .filter(|m| m.get(1).is_none() && m.get(3).is_none())
        .filter_map(|m| {
            let said = written(&m[2])?;
            Some(if given.iter().any(|r| r.meets(said)) {
                (String::new(), String::new())
            } else {
                (
                    format!("文中{said_as}{}%与自评表{what}{form}%不符", &m[2]),
                    format!("{}% ≠ {form}%", &m[2]),
                )
            })
        })
        .collect()
}

/// The claims of one paragraph: for each, an empty message when the form bears it out, else
/// the message and equation of the finding.
fn check_text(text: &str, g: &Given) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let shown = |v: &[Iv]| {
        v.first()
            .map(|x| crate::check::interval::show(x.mid(), 2))
            .unwrap_or_default()
    };
    if !g.rates.is_empty() {
        out.extend(rate_claims(&RATE, text, &g.rates, "执行率", "资金执行率"));
        let unpaid = if NOT_YET.is_match(text) {
            UNPAID.captures_iter(text).collect::<Vec<_>>()
        } else {
            Vec::new()
        };
        for m in unpaid {
            let Some(x) = m.get(1) else {
                continue;
            };
            let Some(said) = written(x.as_str()) else {
                continue;
            };
            let left = &g.left;
            if left.is_empty() {
                continue;
            }
            if left.iter().any(|l| l.meets(said)) {
                out.push((String::new(), String::new()));
            } else {
                out.push((
                    format!(
                        "文中称{}%未付（尾款、质保金），而自评表未执行部分为{}%",
                        x.as_str(),
                        shown(left)
                    ),
                    format!("100% − 执行率 = {}% ≠ {}%", shown(left), x.as_str()),
                ));
            }
        }
    }
    out.extend(rate_claims(
        &ARRIVAL,
        text,
        &g.arrivals,
        "资金到位率",
        "全年到位数÷预算数",
    ));
    if !g.balances.is_empty() {
        for m in BALANCE.captures_iter(text) {
            if OTHER_BALANCE.is_match(&m[1]) {
                continue;
            }
            let Some(said) = written(&m[2]) else { continue };
            let scale = match &m[3] {
                "元" => Decimal::new(1, 4),
                "亿元" => Decimal::from(10_000),
                _ => Decimal::ONE,
            };
            let said = Iv {
                lo: said.lo * scale,
                hi: said.hi * scale,
            };
            if g.balances.iter().any(|b| b.meets(said)) {
                out.push((String::new(), String::new()));
            } else {
                out.push((
                    format!(
                        "文中结余{}{}与自评表预算数−执行数{}万元不符",
                        &m[2],
                        &m[3],
                        shown(&g.balances)
                    ),
                    format!("{} ≠ {}万元", &m[2], shown(&g.balances)),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: &str) -> Iv {
        written(v).unwrap()
    }

    fn g() -> Given {
        // 89.97 budgeted, 77.55 spent: 86.2%, 12.42 left.
        let rate = n("77.55").ratio_pct(n("89.97")).unwrap();
        Given {
            rates: vec![rate, n("100")],
            balances: vec![n("89.97").minus(n("77.55"))],
            arrivals: vec![n("80.97").ratio_pct(n("89.97")).unwrap()],
            left: vec![unspent(rate)],
        }
    }

    fn failing(text: &str) -> usize {
        check_text(text, &g())
            .iter()
            .filter(|c| !c.0.is_empty())
            .count()
    }

    fn held(text: &str) -> usize {
        check_text(text, &g())
            .iter()
            .filter(|c| c.0.is_empty())
            .count()
    }

    #[test]
    fn claims_against_the_form() {
        assert_eq!(held("项目资金执行率86.2%，年末结余资金12.42万元。"), 2);
        assert_eq!(held("剩余13.8%为质保金，待质保期满后支付。"), 1);
        assert_eq!(failing("项目资金执行率96.2%。"), 1);
        assert_eq!(failing("剩余3%为质保金，待质保期满后支付。"), 1);
        assert_eq!(failing("年末结余资金20.42万元。"), 1);
        assert_eq!(held("年末结余资金124200元。"), 1);
        // 80.97 of 89.97 arrived: 90%.
        assert_eq!(held("资金到位率90%。"), 1);
        assert_eq!(failing("资金到位率100%。"), 1);
        assert_eq!(check_text("要求资金到位率达到95%以上。", &g()).len(), 0);
        // Not claims about this year's money: a carry-over, a rule, a rate of something else.
        assert_eq!(check_text("上年结余资金30万元。", &g()).len(), 0);
        assert_eq!(
            check_text("预算执行率未达到90%的需说明原因。", &g()).len(),
            0
        );
        assert_eq!(check_text("群众满意度95%。", &g()).len(), 0);
        // Targets, rules, contract terms, other years' balances: not claims.
        assert_eq!(check_text("要求预算执行率达到90%以上。", &g()).len(), 0);
        assert_eq!(check_text("预算执行率达100%得满分。", &g()).len(), 0);
        assert_eq!(
            check_text("合同约定预留5%作为质保金，待验收后支付。", &g()).len(),
            0
        );
        assert_eq!(check_text("剩余3%为质保金。", &g()).len(), 0);
        assert_eq!(check_text("上年结转结余资金30万元。", &g()).len(), 0);
        assert_eq!(check_text("2023年结余资金30万元已收回。", &g()).len(), 0);
        assert_eq!(check_text("以前年度结余8万元。", &g()).len(), 0);
    }
}
