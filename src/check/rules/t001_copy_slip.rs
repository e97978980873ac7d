//! T001 copy-slip: wording a disclosure inspection flags though no figure is wrong: doubled
//! punctuation or words, direction words run together (减增加), template phrases left
//! unfilled (增加（减少）, 支出万元 with no amount). A notice: certain, and minor.

use crate::check::checker::{sentence_around, Checker, Evidence, Severity};
use crate::model::{Block, Span};

const CODE: &str = "T001";

/// Words whose immediate repetition is always a slip (reduplication such as 研究研究 or 常常
/// is Chinese; these words do not reduplicate).
const NEVER_DOUBLED: &[&str] = &[
    "增加",
    "减少",
    "增长",
    "下降",
    "支出",
    "收入",
    "预算",
    "决算",
    "万元",
    "主要",
    "其中",
    "同比",
    "比上年",
    "部门",
    "单位",
    "项目",
    "资金",
    "经费",
];

/// Directions run together: one was typed over the other and not deleted.
const CLASHING: &[&str] = &[
    "减增加",
    "增减少",
    "增加减少",
    "减少增加",
    "增长下降",
    "下降增长",
    "大小于",
    "小大于",
    "多少于",
    "增加（减少）",
    "增加(减少)",
    "减少（增加）",
    "增长（下降）",
    "增长(下降)",
    "增加/减少",
    "增长/下降",
    "（增加/减少）",
];

/// Money nouns directly followed by a unit: the amount between them was never filled in.
const UNFILLED_AMOUNT: &[&str] = &[
    "支出万元",
    "收入万元",
    "预算万元",
    "决算万元",
    "经费万元",
    "资金万元",
    "合计万元",
    "总额万元",
    "支出元",
    "收入元",
];

pub fn run(c: &mut Checker) {
    let Some(doc) = c.doc else { return };
    let chars: Vec<char> = doc.text.chars().collect();
    for b in &doc.blocks {
        let Block::Paragraph(p) = b else { continue };
        // Lines wrapped inside a paragraph are read joined ("…比 2024 年度减\n增加…").
        let kept: Vec<(usize, char)> = p
            .text
            .chars()
            .enumerate()
            .filter(|&(_, ch)| ch != '\n' && ch != '\u{c}')
            .collect();
        let joined: String = kept.iter().map(|&(_, ch)| ch).collect();
        for (at, len, what) in slips(&joined) {
            let (first, last) = (kept[at].0, kept[at + len - 1].0);
            let (at, len) = (first, last + 1 - first);
            let start = p.span.start + at;
            let line = p.span.line + p.text.chars().take(at).filter(|&ch| ch == '\n').count();
            let value: String = chars[start.min(chars.len())..(start + len).min(chars.len())]
                .iter()
                .filter(|&&ch| ch != '\n')
                .collect();
            let ctx = sentence_around(&chars, start, start + len);
            let ev = Evidence {
                span: Span {
                    start,
                    end: start + len,
                    line,
                    page: p.span.page,
                },
                context: ctx,
                value: value.clone(),
                figure: None,
            };
            c.fail_with(
                CODE,
                Severity::Notice,
                format!("{what}：“{value}”"),
                None,
                vec![ev],
            );
        }
    }
}

/// The slips of one paragraph: (char offset, length in chars, what it is).
fn slips(text: &str) -> Vec<(usize, usize, &'static str)> {
    let cs: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        // 。。 ，， ；； 、、 (an ellipsis is ……, not doubled full stops).
        if matches!(c, '。' | '，' | '；' | '、' | '：') && cs.get(i + 1) == Some(&c) {
            out.push((i, 2, "标点重复 / doubled punctuation"));
            i += 2;
            continue;
        }
        let rest: String = cs[i..cs.len().min(i + 8)].iter().collect();
        if let Some(w) = NEVER_DOUBLED.iter().find(|w| {
            let n = w.chars().count();
            rest.starts_with(*w) && rest.chars().skip(n).collect::<String>().starts_with(*w)
        }) {
            out.push((i, 2 * w.chars().count(), "词语重复 / doubled word"));
            i += 2 * w.chars().count();
            continue;
        }
        if let Some(w) = CLASHING.iter().find(|w| rest.starts_with(*w)) {
            let what = if w.contains(['（', '(', '/']) {
                "模板用语未改 / template wording left unfilled"
            } else {
                "增减方向词连写 / direction words run together"
            };
            out.push((i, w.chars().count(), what));
            i += w.chars().count();
            continue;
        }
        if let Some(w) = UNFILLED_AMOUNT.iter().find(|w| rest.starts_with(*w)) {
            // "支出万元" inside "单位：万元" tables is a unit line, not a sentence.
            let before: String = cs[i.saturating_sub(3)..i].iter().collect();
            if !before.contains(['：', ':', '（', '(']) {
                out.push((i, w.chars().count(), "金额未填 / amount left blank"));
                i += w.chars().count();
                continue;
            }
        }
        // A placeholder where the amount should be: XX万元, ×××元, **%.
        if matches!(c, 'X' | 'x' | '×' | '＊' | '*' | 'Ｘ') {
            let run = cs[i..].iter().take_while(|&&ch| ch == c).count();
            let after: String = cs[i + run..cs.len().min(i + run + 2)].iter().collect();
            let word_before = i > 0 && cs[i - 1].is_ascii_alphanumeric();
            if !word_before
                && ["万元", "元", "%", "个", "人"]
                    .iter()
                    .any(|u| after.starts_with(u))
            {
                out.push((i, run, "金额未填 / amount left as a placeholder"));
                i += run;
                continue;
            }
        }
        i += 1;
    }
    if let Some(at) = unmatched_quote(&cs) {
        out.push((at, 1, "引号不成对 / unmatched quotation mark"));
    }
    out
}

/// In a paragraph that ends as a sentence, the quotation mark left without its partner: an
/// opening “ never closed, or a closing ” never opened.
fn unmatched_quote(cs: &[char]) -> Option<usize> {
    let end = cs.iter().rposition(|c| !c.is_whitespace())?;
    if cs[end] != '。' {
        return None;
    }
    let mut open: Vec<usize> = Vec::new();
    for (i, &c) in cs.iter().enumerate() {
        match c {
            '“' => open.push(i),
            '”' if open.pop().is_none() => return Some(i),
            _ => {}
        }
    }
    open.first().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slips_and_their_look_alikes() {
        let found = |t: &str| slips(t).into_iter().map(|s| s.2).collect::<Vec<_>>();
        assert_eq!(found("比2024年度减增加21.90万元。").len(), 1);
        assert_eq!(found("支出决算增加增加10万元。").len(), 1);
        assert_eq!(found("完成情况良好。。下一步").len(), 1);
        assert_eq!(found("比上年增加（减少）0万元").len(), 1);
        assert_eq!(found("本年支出预算支出万元，").len(), 1);
        // Legit: reduplication, 增减 as a word, an ellipsis, a unit label, 研究研究.
        assert!(found("研究研究，常常如此……增减变化不大，单位：万元（支出万元）").is_empty());
        assert!(found("人员增减情况").is_empty());
        assert_eq!(found("本年支出XX万元，比上年增加×万元。").len(), 2);
        assert_eq!(found("用于“三公经费支出。").len(), 1);
        assert_eq!(found("用于三公”经费支出。").len(), 1);
        // Balanced quotes, a quote continued on the next paragraph, a model number.
        assert!(found("用于“三公”经费支出。").is_empty());
        assert!(found("主要用于“一般公共服务支出").is_empty());
        assert!(found("采购A4X2台").is_empty());
    }
}
