//! Figures of running text: each number with a unit, its clause as label, its noun (the
//! paragraph's subject where the label says only a phase), phase, year and direction.

use std::sync::LazyLock;

use regex::{Captures, Regex};
use rust_decimal::Decimal;

use super::clause::{self, Respectively};
use super::extractor::{Extractor, FigureDraft, Keying};
use super::number::{normalize, parse_chinese, parse_decimal, unit, Unit, UnitClass};
use super::types::{FigureId, Rate};
use super::vocab::{
    clean_label, direction_of, fund_of, is_item_subject, is_sentence_end, noun_of, phase_of,
    year_of, Phase,
};
use crate::model::Span;

pub(crate) static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<num>[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[+-]?\d+(?:\.\d+)?)
        [\ \n]*
        (?P<unit>亿元|万元|千元|元|个百分点|%|人|名|个|家|辆|项|户|分)
        |百分之(?P<cnpct>[零一二两三四五六七八九十百]+)
        |(?P<cn>[零〇一二两三四五六七八九十百千]{2,}|两)(?P<cnunit>人|名|个|家|辆|项)",
    )
    .unwrap()
});

/// A number with its unit, as matched in a sentence (offsets are characters of the
/// sentence).
struct Number {
    value: String,
    dec: Decimal,
    unit: Unit,
    /// The whole match, unit included.
    whole: (usize, usize),
    /// The digits only.
    digits: (usize, usize),
}

/// One sentence being read: its characters and the state its figures share.
struct Sentence<'c> {
    chars: &'c [char],
    s: usize,
    e: usize,
    base: Span,
    first: FigureId,
    /// The phase the sentence last named: later figures without one inherit it.
    inherited: Option<Phase>,
    list: Respectively,
}

impl Extractor<'_> {
    /// Figures of one paragraph, sentence by sentence, then its count claims.
    pub fn paragraph(&mut self, text: &str, span: Span) {
        let norm = normalize(text);
        let chars: Vec<char> = norm.chars().collect();
        let first_end = chars
            .iter()
            .position(|&c| is_sentence_end(c))
            .unwrap_or(chars.len());
        let first: String = chars[..first_end].iter().collect();
        if is_item_subject(&first) && !NUMBER.is_match(&first) {
            self.subject.name_item(noun_of(&first));
        }
        let mut s = 0;
        for i in 0..=chars.len() {
            if i == chars.len() || is_sentence_end(chars[i]) {
                if i > s {
                    self.sentence(&chars, s, i, span);
                }
                s = i + 1;
            }
        }
        self.counts(&chars, span);
    }

    fn sentence(&mut self, chars: &[char], s: usize, e: usize, base: Span) {
        let sent: String = chars[s..e].iter().collect();
        // Byte offset → char offset within the sentence.
        let mut b2c = vec![0usize; sent.len() + 1];
        let mut ci = 0;
        for (bi, ch) in sent.char_indices() {
            b2c[bi] = ci;
            ci += 1;
            for k in 1..ch.len_utf8() {
                b2c[bi + k] = ci;
            }
        }
        b2c[sent.len()] = ci;
        let mut st = Sentence {
            chars,
            s,
            e,
            base,
            first: self.next_id(),
            inherited: None,
            list: Respectively::default(),
        };
        let mut prev_end = 0usize;
        for m in NUMBER.captures_iter(&sent) {
            let Some(n) = number_at(&m, &b2c, chars, s) else {
                continue;
            };
            self.figure_in_sentence(&mut st, &n, prev_end);
            prev_end = n.whole.1;
        }
        self.sentence_relations(st.first);
    }

    /// One number of a sentence becomes a figure.
    fn figure_in_sentence(&mut self, st: &mut Sentence, n: &Number, prev_end: usize) {
        let (chars, s) = (st.chars, st.s);
        let clause = clause::before(chars, s, n.whole.0, prev_end);
        let direction = direction_of(&clause.text);
        let raw = st.list.label(chars, s, n.whole.0, &clause);
        let mut label = clean_label(&raw, &self.seg);
        let local_phase = phase_of(&label);
        // "占总支出的45.69%": the subject is the figure before it.
        let mut share_of = None;
        if label.starts_with('占') || label.starts_with("比重") {
            if let Some(pi) = self
                .since(st.first)
                .rev()
                .find(|&i| self.fig(i).class != UnitClass::Percent)
            {
                label = format!("{}{}", self.fig(pi).label, label);
                share_of = Some(pi);
            }
        }
        let (noun, keying, own_noun, generic) = self.noun_and_keying(&label, local_phase, n.unit);
        // A generic label ("支出决算为") is of its subject's fund as of its noun; any figure
        // is of its section's fund, else of its paragraph subject's, unless it names its own.
        let fund = fund_of(&label)
            .or_else(|| {
                (generic && !self.subject.is_empty())
                    .then(|| self.subject.fund())
                    .flatten()
            })
            .or_else(|| self.sections.fund())
            .or_else(|| self.subject.fund());
        let opens = self
            .subject
            .open_to(!generic && n.unit.class == UnitClass::Money);
        if n.unit.class == UnitClass::Money {
            self.subject.money_seen();
        }
        let phase = local_phase.or(st.inherited).or(self.default_phase());
        if let Some(p) = local_phase.filter(|p| *p != Phase::Prior) {
            st.inherited = Some(p);
        }
        let within = self.within(&noun);
        let start = st.base.start + s + n.digits.0;
        let end = st.base.start + s + n.digits.1;
        let id = self.push_figure(FigureDraft {
            label,
            noun,
            value: n.value.clone(),
            dec: n.dec,
            unit: n.unit,
            phase,
            fund,
            threshold: is_threshold(&raw, chars, s + n.whole.1, st.e),
            direction,
            compared_to: direction.and_then(|_| compared_to(&chars[s..s + n.whole.0])),
            year: year_of(&raw).or_else(|| lead_year(chars, s, n.whole.0)),
            span: Span {
                start,
                end,
                line: self.line_at(start, st.base),
                page: st.base.page,
            },
            context: (st.base.start + s, st.base.start + st.e),
            table: None,
            within,
            keying,
        });
        if opens {
            let key = self.fig(id).key.clone();
            let fund = self.fig(id).fund;
            self.subject
                .named(own_noun, key, fund, is_item_subject(&clause.text));
        }
        if let Some(pi) = share_of {
            if self.fig(id).class == UnitClass::Percent {
                self.out.rates.push(Rate {
                    figure: id,
                    operands: vec![pi],
                });
            }
        }
    }

    /// The noun a figure is looked up by and whether it may be keyed; also the label's own
    /// noun and whether it is generic (支出, 收入, nothing). A generic label takes the
    /// paragraph's subject: "基本支出全年预算a，决算支出b": b is of the subject. When no
    /// pattern knows that subject (an item such as 职业年金), b gets no key; when the subject
    /// was itself a general figure (部门预算), b stands alone.
    fn noun_and_keying(
        &self,
        label: &str,
        local_phase: Option<Phase>,
        u: Unit,
    ) -> (String, Keying, String, bool) {
        let own_noun = noun_of(label);
        let generic = matches!(own_noun.as_str(), "" | "支出" | "收入");
        let mut noun = own_noun.clone();
        let mut fallback = None;
        let mut keyable = true;
        let subject = &self.subject;
        // Under a heading that names a quantity ("（一）因公出国（境）费用。"), a generic label
        // ("2026年预算数") with no subject of its paragraph is of that quantity.
        if generic && subject.is_empty() && u.class == UnitClass::Money {
            if let Some(q) = self.sections.quantity(u.class) {
                let noun = if q.ends_with(&own_noun) {
                    q.to_string()
                } else {
                    format!("{q}{own_noun}")
                };
                let keying = Keying::ByNoun {
                    fallback: None,
                    confirm: None,
                };
                return (noun, keying, own_noun, generic);
            }
        }
        if generic && !subject.is_empty() {
            if u.class != UnitClass::Percent {
                noun = if subject.noun().ends_with(&own_noun) {
                    subject.noun().to_string()
                } else {
                    format!("{}{own_noun}", subject.noun())
                };
            }
            // Rates named only by their kind (完成…预算的, 执行率) are the subject's, not
            // the department's, unless the subject is the department's budget itself.
            let general = subject
                .key()
                .is_some_and(|k| crate::keys::GENERAL.contains(&k));
            if subject.key().is_some() && u.class != UnitClass::Percent {
                fallback = Some(own_noun.clone());
            } else if u.class != UnitClass::Percent
                || !general
                    && (label.contains("完成")
                        || label.starts_with("预算执行率")
                        || label == "执行率")
            {
                keyable = false;
            }
        }
        // A figure whose label says neither what nor which phase is not a key's figure.
        if generic && local_phase.is_none() && u.class == UnitClass::Money {
            keyable = false;
        }
        let keying = if keyable {
            Keying::ByNoun {
                fallback,
                confirm: None,
            }
        } else {
            Keying::Never
        };
        (noun, keying, own_noun, generic)
    }
}

impl Extractor<'_> {
    /// The quantity a figure of this noun is a slice of: its paragraph's subject when that is
    /// a part of the department's total (项目支出), else its section's quantity.
    fn within(&self, noun: &str) -> Option<String> {
        let subject = self.subject.noun();
        let part = self
            .subject
            .key()
            .is_some_and(|k| !crate::keys::GENERAL.contains(&k));
        if part && !subject.is_empty() && subject != noun {
            return Some(subject.to_string());
        }
        self.sections
            .quantity(UnitClass::Money)
            .filter(|q| *q != noun && !noun.starts_with(q))
            .map(str::to_string)
    }
}

/// The number a match of [`NUMBER`] reads, unless it is part of a longer token ("A3级",
/// "2022年12月31") or a 分 that is not a score.
fn number_at(m: &Captures, b2c: &[usize], chars: &[char], s: usize) -> Option<Number> {
    let whole = m.get(0).unwrap();
    let (mstart, mend) = (b2c[whole.start()], b2c[whole.end()]);
    if mstart > 0 {
        let pc = chars[s + mstart - 1];
        if pc.is_ascii_alphanumeric() || pc == '.' || pc == '第' || pc == '〔' || pc == '[' {
            return None;
        }
    }
    let (value, dec, unit_s, digits) = if let Some(n) = m.name("num") {
        let u = m.name("unit").unwrap().as_str();
        // 分 followed by 钟/之/析… is not a score.
        if u == "分" {
            let next = chars.get(s + mend).copied().unwrap_or(' ');
            if "钟之析别配类布解管局支期批级值数".contains(next) {
                return None;
            }
        }
        let (v, d) = parse_decimal(n.as_str())?;
        (v, d, u, (b2c[n.start()], b2c[n.end()]))
    } else if let Some(n) = m.name("cnpct") {
        let v = parse_chinese(n.as_str())?;
        (v.to_string(), Decimal::from(v), "%", (mstart, mend))
    } else if let Some(n) = m.name("cn") {
        if n.as_str().chars().any(|c| "千".contains(c)) && n.as_str().chars().count() == 1 {
            return None;
        }
        let v = parse_chinese(n.as_str())?;
        (
            v.to_string(),
            Decimal::from(v),
            m.name("cnunit").unwrap().as_str(),
            (b2c[n.start()], b2c[n.end()]),
        )
    } else {
        return None;
    };
    Some(Number {
        value,
        dec,
        unit: unit(unit_s)?,
        whole: (mstart, mend),
        digits,
    })
}

/// "2019年长房集团的下属企业共申报14个项目，申请资金a": a year that opens the sentence dates
/// the figures of its first clause run (up to the number), unless a later clause names
/// another.
fn lead_year(chars: &[char], s: usize, mstart: usize) -> Option<i32> {
    let head: String = chars[s..(s + 6).min(s + mstart)].iter().collect();
    let t = head.trim_start_matches(|c: char| !c.is_ascii_digit() && c.is_whitespace());
    if t.starts_with("19") || t.starts_with("20") {
        return year_of(&head);
    }
    sole_year(&chars[s..s + mstart])
}

/// The one year a sentence names before its number, when it names one and not as what
/// something is compared with (比2019年, 较2019年): a heading the reader ran into the sentence
/// ("（五）…有待更规范1、…相互调剂2019年长房集团…申请资金a") does not hide the year that
/// opens its statement.
fn sole_year(before: &[char]) -> Option<i32> {
    static FULL_YEAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(比|较|与|同|至|到|和|、|—|-|~|～|自|从|截至|截止|累计)?(?:19|20)\d\d年(以来|至今|起)?")
            .expect("valid")
    });
    let text: String = before.iter().collect();
    let mut years = FULL_YEAR.captures_iter(&text);
    let only = years.next()?;
    if years.next().is_some() || only.get(1).is_some() || only.get(2).is_some() {
        return None;
    }
    // A year inside a document's title (《2019年…办法》) dates the document, not the figure.
    let at = only.get(0)?.start();
    let opened = text[..at].matches('《').count() > text[..at].matches('》').count();
    if opened {
        return None;
    }
    year_of(only.get(0)?.as_str())
}

/// What a change is measured against: the words after the last 比/较/与/同 of its sentence
/// before it, up to 相比 or the change ("与上年相比增加" → 上年; "比2025年年初预算数a万元增加"
/// → 2025年年初预算数).
fn compared_to(before: &[char]) -> Option<String> {
    // The 比 of 相比 closes a base; it does not open one.
    let k = (0..before.len()).rev().find(|&k| {
        matches!(before[k], '比' | '较' | '与' | '同') && !(k > 0 && before[k - 1] == '相')
    })?;
    let after: String = before[k + 1..].iter().collect();
    let mut base = after.as_str();
    for stop in [
        "相比", "增加", "减少", "增长", "下降", "持平", "，", "。", "；",
    ] {
        if let Some(p) = base.find(stop) {
            base = &base[..p];
        }
    }
    // "2025年年初预算数1025099.89万元": the amount of the base is not its name.
    let name = base
        .trim_end_matches(|c: char| c.is_ascii_digit() || ".,万亿千元".contains(c))
        .trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// "满意度在90%以上" is a target, "约5万元" an approximation: not claims.
fn is_threshold(raw: &str, chars: &[char], after: usize, e: usize) -> bool {
    let next: String = chars[after.min(e)..(after + 2).min(e)].iter().collect();
    ["以上", "以下", "左右", "以内", "上下"]
        .iter()
        .any(|w| next.starts_with(w))
        || [
            "不低于",
            "不超过",
            "超过",
            "低于",
            "高于",
            "达到",
            "未达",
            "不足",
            "大于",
            "小于",
        ]
        .iter()
        .any(|w| raw.trim_end().ends_with(w))
}

#[cfg(test)]
mod tests {
    use super::{compared_to, lead_year};

    #[test]
    fn the_year_a_statement_opens_with() {
        let y = |s: &str| {
            let chars: Vec<char> = s.chars().collect();
            let at = s.find('a').map(|b| s[..b].chars().count()).unwrap();
            lead_year(&chars, 0, at)
        };
        assert_eq!(y("2020年长房集团共申报16个项目，申请资金a"), Some(2020));
        // A heading run into the sentence before the year.
        assert_eq!(
            y("（五）流程有待更规范1、下拨资金相互调剂2019年长房集团共申报14个项目，申请资金a"),
            Some(2019)
        );
        // A year that is a comparison's base, or two years: none.
        assert_eq!(y("比2019年增加的部分主要用于设备购置，支出a"), None);
        assert_eq!(y("根据2019年和2020年的批复，支出a"), None);
        assert_eq!(y("本年支出a"), None);
        assert_eq!(y("自2019年以来累计投入资金a"), None);
        assert_eq!(y("根据《2019年专项资金管理办法》，本年支出a"), None);
        assert_eq!(y("2019~2021年共投入a"), None);
    }

    #[test]
    fn comparison_bases() {
        let c = |s: &str| compared_to(&s.chars().collect::<Vec<_>>());
        assert_eq!(c("与上年相比收、支预算总计各"), Some("上年".into()));
        assert_eq!(
            c("比2025年年初预算数1025099.89万元"),
            Some("2025年年初预算数".into())
        );
        assert_eq!(c("较2025年年初预算"), Some("2025年年初预算".into()));
        assert_eq!(c("支出200万元"), None);
    }
}
