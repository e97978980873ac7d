//! T004 classification-name-mismatch: a functional classification code and a name that do not
//! go together. A table row whose code (2080505) carries the name of another code of the same
//! level (机关事业单位职业年金缴费支出, the name of 2080506); a text "A（类）B（款）C（项）" whose
//! 款 is not under its 类 or whose 项 is not under its 款 (卫生健康支出（类）行政事业单位医疗
//! （款）住房公积金（项）); a name retired by the classification of a later year than the one it
//! was valid in (医疗卫生与计划生育支出 in a 2019 or later report).
//!
//! Names are compared with `patterns/classification.tsv`, the names the published reports
//! agree on, not the whole catalogue: a code or name it does not know is never judged, a name
//! written differently (an abbreviation, a wrap) is not another code's name and is left alone,
//! and a 项 name many 款 share (行政运行, 一般行政管理事务) places nothing.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::check::checker::{sentence_around, Checker, Evidence, Severity};
use crate::check::classification::{is_functional, normalise, CLASSIFICATION};
use crate::model::{Block, Span};

const CODE: &str = "T004";

/// "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）".
static TRIPLE: LazyLock<Regex> = LazyLock::new(|| {
    let name = r"((?:[^，。；：:“”、\s（）()]|（室）)+)";
    Regex::new(&format!(
        r"{name}[（(]类[）)]{name}[（(]款[）)]{name}[（(]项[）)]"
    ))
    .expect("valid")
});

/// Wording that explains a rename rather than using the old name.
static RENAMING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"调整为|更名|改为|变更为|原").expect("valid"));

/// The span of a 1-based line of the document's text.
fn line_span(chars: &[char], line: usize, page: Option<u32>) -> Span {
    let mut l = 1;
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        if l == line {
            start = i;
            break;
        }
        if c == '\n' {
            l += 1;
            start = i + 1;
        }
    }
    let end = chars[start.min(chars.len())..]
        .iter()
        .position(|&c| c == '\n')
        .map_or(chars.len(), |k| start + k);
    Span {
        start,
        end,
        line,
        page,
    }
}

pub fn run(c: &mut Checker) {
    let Some(doc) = c.doc else { return };
    let k = &*CLASSIFICATION;
    let chars: Vec<char> = doc.text.chars().collect();
    let year = c.ex.meta.year;
    let evidence = |span: Span, value: &str| Evidence {
        span,
        context: sentence_around(&chars, span.start, span.end),
        value: value.to_string(),
        figure: None,
    };
    // (code, name written) → (where first, how often).
    let mut rows: BTreeMap<(String, String), (Span, usize)> = BTreeMap::new();
    let mut compared = false;
    let mut retired: BTreeMap<String, (Span, usize)> = BTreeMap::new();
    for t in &c.ex.tables {
        for r in &t.rows {
            let Some(label) = &r.label else { continue };
            let name = normalise(label);
            let code = r.code.as_deref().filter(|c| is_functional(c));
            let is_retired = k.retired.iter().any(|x| {
                x.name == name
                    && year.is_some_and(|y| y > x.last_year)
                    && code.is_none_or(|c| c == x.code)
            });
            if is_retired {
                let e = retired
                    .entry(name.clone())
                    .or_insert((line_span(&chars, r.line, r.page), 0));
                e.1 += 1;
                continue;
            }
            let Some(code) = code else { continue };
            let Some(official) = k.name(code) else {
                continue;
            };
            compared = true;
            let others = k.codes_named(&name, code.len());
            if name != official && !others.is_empty() && !others.contains(&code) {
                let e = rows
                    .entry((code.to_string(), name))
                    .or_insert((line_span(&chars, r.line, r.page), 0));
                e.1 += 1;
            }
        }
    }
    if compared && rows.is_empty() {
        c.pass_unrelated();
    }
    for ((code, name), (span, n)) in rows {
        let official = k.name(&code).unwrap_or_default();
        let owner = k.codes_named(&name, code.len()).join("、");
        let times = times(n);
        c.fail_with(
            CODE,
            Severity::Warning,
            format!(
                "科目编码{code}的名称应为“{official}”，此处写作“{name}”，这是{owner}的名称：编码或名称有误{times}"
            ),
            None,
            vec![evidence(span, &format!("{code} {name}"))],
        );
    }
    for b in &doc.blocks {
        let Block::Paragraph(p) = b else { continue };
        for m in TRIPLE.captures_iter(&p.text) {
            let names: Vec<String> = (1..=3).map(|i| normalise(&m[i])).collect();
            match misplaced(&names) {
                Some(msg) => {
                    let whole = m.get(0).expect("match");
                    let ev = Evidence::in_text(&chars, &p.text, p.span, whole.range());
                    c.fail_with(CODE, Severity::Warning, msg, None, vec![ev]);
                }
                None if decidable(&names) => c.pass_unrelated(),
                None => {}
            }
        }
        for x in k
            .retired
            .iter()
            .filter(|x| year.is_some_and(|y| y > x.last_year))
        {
            for (at, _) in p.text.match_indices(x.name.as_str()) {
                let ev = Evidence::in_text(&chars, &p.text, p.span, at..at + x.name.len());
                let sentence: String = chars[ev.context.0..ev.context.1].iter().collect();
                if sentence.contains(x.now.as_str()) && RENAMING.is_match(&sentence) {
                    continue;
                }
                let e = retired.entry(x.name.clone()).or_insert((ev.span, 0));
                e.1 += 1;
            }
        }
    }
    for (name, (span, n)) in retired {
        let Some(x) = k.retired.iter().find(|x| x.name == name) else {
            continue;
        };
        let y = year.unwrap_or_default();
        let times = times(n);
        c.fail_with(
            CODE,
            Severity::Warning,
            format!(
                "{y}年的报告使用了已停用的科目名称“{name}”：{}年起科目{}名为“{}”{times}",
                x.last_year + 1,
                x.code,
                x.now
            ),
            None,
            vec![evidence(span, &name)],
        );
    }
}

/// The names of the slots many 款 repeat (01 行政运行, 02 一般行政管理事务, 03 机关服务, 50
/// 事业运行, 99 其他…): such a name may stand under any 款, whatever code the table saw it
/// with.
fn shared_name(name: &str) -> bool {
    matches!(
        name,
        "行政运行" | "一般行政管理事务" | "机关服务" | "事业运行"
    ) || name.starts_with("其他")
}

/// The one code a name places a child at, unless the name is shared.
fn placed(name: &str, len: usize) -> Option<String> {
    match CLASSIFICATION.codes_named(name, len).as_slice() {
        [one] if !shared_name(name) => Some(one.to_string()),
        _ => None,
    }
}

/// "（共3处）" for a slip repeated across the tables.
fn times(n: usize) -> String {
    if n > 1 {
        format!("（共{n}处）")
    } else {
        String::new()
    }
}

/// Why a 类/款/项 triple cannot be one line of the classification, if it cannot: its 款 not
/// under its 类, or its 项 not under its 款. A child is placed only by a name one code has,
/// outside the shared slots.
fn misplaced(names: &[String]) -> Option<String> {
    let k = &*CLASSIFICATION;
    let (lei, kuan, xiang) = (&names[0], &names[1], &names[2]);
    let parents = k.codes_named(lei, 3);
    if let ([parent], Some(child)) = (parents.as_slice(), placed(kuan, 5)) {
        if !child.starts_with(parent) {
            return Some(format!(
                "“{kuan}”（款，{child}）不属于“{lei}”（类，{parent}）：类、款、项的名称不能同时成立"
            ));
        }
    }
    let parents = k.codes_named(kuan, 5);
    if let (false, Some(child)) = (parents.is_empty(), placed(xiang, 7)) {
        if !parents.iter().any(|p| child.starts_with(p)) {
            return Some(format!(
                "“{xiang}”（项，{child}）不属于“{kuan}”（款，{}）：类、款、项的名称不能同时成立",
                parents.join("、")
            ));
        }
    }
    None
}

/// Whether the table places a triple's 款 under its 类 or its 项 under its 款 at all.
fn decidable(names: &[String]) -> bool {
    let k = &*CLASSIFICATION;
    (k.codes_named(&names[0], 3).len() == 1 && placed(&names[1], 5).is_some())
        || (!k.codes_named(&names[1], 5).is_empty() && placed(&names[2], 7).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(a: &str, b: &str, c: &str) -> Vec<String> {
        vec![a.into(), b.into(), c.into()]
    }

    #[test]
    fn triples_placed_by_the_table() {
        assert!(misplaced(&names("卫生健康支出", "行政事业单位医疗", "住房公积金")).is_some());
        assert!(misplaced(&names("卫生健康支出", "住房改革支出", "住房公积金")).is_some());
        assert!(misplaced(&names("住房保障支出", "住房改革支出", "住房公积金")).is_none());
        assert!(misplaced(&names("卫生健康支出", "行政事业单位医疗", "行政单位医疗")).is_none());
        // A 项 many 款 share places nothing; a name the table does not know judges nothing.
        assert!(misplaced(&names("卫生健康支出", "行政事业单位医疗", "行政运行")).is_none());
        assert!(misplaced(&names("公共安全支出", "公安", "事业运行")).is_none());
        assert!(misplaced(&names("公共安全支出", "公安", "机关服务")).is_none());
        assert!(misplaced(&names("某某支出", "某某事务", "某某项目")).is_none());
    }

    #[test]
    fn triples_are_read_with_parenthesised_names() {
        let t = "（1）一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）";
        let m = TRIPLE.captures(t).unwrap();
        assert_eq!(&m[2], "政府办公厅（室）及相关机构事务");
        assert_eq!(&m[3], "行政运行");
    }
}
