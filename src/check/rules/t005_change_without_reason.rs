//! T005 change-without-reason: a change against last year of an item whose change the
//! disclosure template asks to explain (收支总计, “三公”经费, 机关运行经费) with no reason
//! anywhere near it: not before it in its paragraph, not after it up to the next top-level
//! heading (the parts below a total often give the reasons item by item).
//!
//! Reasons are recognised by their words (主要原因, 主要是, 由于, 用于, 按照…要求, 落实, 结合…
//! 需要, 持平 …), so that "落实厉行节约要求，2026年“三公”经费预算…减少13.45万元" counts as
//! explained. A notice: the template asks for the reason, and a reviewer reads it.

use std::sync::LazyLock;

use regex::Regex;

use crate::check::checker::{Checker, Evidence, Severity};
use crate::model::Block;

const CODE: &str = "T005";

/// The items whose change the templates ask to explain.
static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"三公|机关运行经费|收支(?:预算|决算)?总计|收、支(?:预算|决算)?总计|收入(?:预算|决算)?总计|支出(?:预算|决算)?总计")
        .expect("valid")
});

/// Words that give a reason.
static REASON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"原因|主要是|主要为|主要用于|用于|由于|因为|因素|所致|要求|需要|按照|根据|落实|结合|调整|持平|变化不大|压减|严控|从严|控制|新增|减少了|增加了",
    )
    .expect("valid")
});

/// A paragraph that opens a part at the top level (一、 第三部分): the reason of a total's
/// change is often given item by item in the sub-parts below it (（一） 1.), which belong to
/// its window.
fn top_heading(text: &str) -> bool {
    let t = text.trim();
    let numbered = t
        .char_indices()
        .find(|(_, c)| !"一二三四五六七八九十".contains(*c))
        .is_some_and(|(i, c)| i > 0 && c == '、');
    t.chars().count() <= 40 && !t.contains('。') && (numbered || t.starts_with('第'))
}

pub fn run(c: &mut Checker) {
    let Some(doc) = c.doc else { return };
    // The text as characters, made only when a change is found to quote.
    let chars_cell: std::cell::OnceCell<Vec<char>> = std::cell::OnceCell::new();
    let chars = || chars_cell.get_or_init(|| doc.text.chars().collect());
    let last_year = c.ex.meta.year.map(|y| format!("{}年", y - 1));
    let mut seen_blocks: Vec<usize> = Vec::new();
    for f in &c.ex.figures {
        if f.table.is_some() || f.direction.is_none() || seen_blocks.contains(&f.block) {
            continue;
        }
        let base = f.compared_to.as_deref().unwrap_or_default();
        let against_last = ["上年", "去年", "上一年", "同期"]
            .iter()
            .any(|w| base.contains(w))
            || last_year.as_deref().is_some_and(|y| base.contains(y));
        if !against_last {
            continue;
        }
        let Some(Block::Paragraph(p)) = doc.blocks.get(f.block) else {
            continue;
        };
        // The sentence, within its paragraph.
        let from = f.context.0.saturating_sub(p.span.start);
        let sentence: String = p
            .text
            .chars()
            .skip(from)
            .take(f.context.1.saturating_sub(f.context.0))
            .collect();
        let Some(item) = ITEM.find(&sentence) else {
            continue;
        };
        // The paragraph, and the ones after it up to the next top-level heading (the reason
        // often follows the 其中 list, or is given item by item).
        let mut window = p.text.clone();
        for b in doc.blocks.iter().skip(f.block + 1).take(40) {
            match b {
                Block::Paragraph(q) if top_heading(&q.text) => break,
                Block::Paragraph(q) => window.push_str(&q.text),
                Block::Table(_) => break,
            }
        }
        if REASON.is_match(&window) {
            continue;
        }
        seen_blocks.push(f.block);
        let rel = f.span.start.saturating_sub(p.span.start);
        let at: usize = p.text.chars().take(rel).map(char::len_utf8).sum();
        let len: usize = p.text[at..]
            .chars()
            .take(f.span.end - f.span.start)
            .map(char::len_utf8)
            .sum();
        let ev = Evidence::in_text(chars(), &p.text, p.span, at..at + len);
        c.fail_with(
            CODE,
            Severity::Notice,
            format!(
                "{}与上年相比的变动未说明原因：本段及其后至下一个一级标题均未见原因说明",
                if item.as_str() == "三公" {
                    "“三公”经费"
                } else {
                    item.as_str()
                }
            ),
            None,
            vec![ev],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_and_headings() {
        assert!(REASON.is_match("主要原因是人员增加"));
        assert!(REASON.is_match("落实厉行节约要求，三公经费减少"));
        assert!(!REASON.is_match("三公经费预算10万元，比上年减少2万元，下降16.67%。"));
        assert!(top_heading("二、机关运行经费"));
        assert!(top_heading("第三部分 情况说明"));
        assert!(!top_heading("（二）支出决算具体情况"));
        assert!(!top_heading("3.公务接待费"));
        assert!(!top_heading("2026年机关运行经费10万元。"));
    }
}
