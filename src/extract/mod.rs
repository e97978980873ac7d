//! Extraction: every number with a unit, its label, key, qualifiers and place; claimed rates;
//! count claims; tables as logical rows; metadata; and the part–whole groups that the text
//! states ("总额X，其中：A a，B b").
//!
//! Extraction never fails: it returns what it found plus problems.
//!
//! The block loop is here; the state and the one place figures are added are in
//! `extractor`; sentences (`sentence`, `clause`, `relations`, `counts`), tables (`table`,
//! `table_sums`) and one-cell-per-line forms (`form`) each have their module; `subject`
//! holds what a paragraph is about, `vocab` the domain's words.

mod breakdown;
mod clause;
mod counts;
mod extractor;
mod form;
pub mod grading;
mod meta;
pub mod number;
pub mod parts;
pub mod patterns;
mod relations;
pub mod scoring;
pub mod section;
pub mod segment;
pub mod selfeval;
mod sentence;
mod subject;
mod table;
mod table_hierarchy;
mod table_rates;
mod table_sums;
pub mod types;
pub mod vocab;

pub use patterns::{Pattern, Patterns};
pub use types::{
    CellPos, Count, Extraction, Figure, FigureId, Group, LogicalRow, LogicalTable, Meta, Part,
    Rate, RowRate, SelfEval, SumKind,
};
pub use vocab::{fund_of, is_total_label, noun_of, phase_of, Direction, Fund, Phase};

use crate::model::{Block, Document, Table};
use extractor::Extractor;
use form::FormState;
use vocab::{is_item_subject, unit_line};

/// Extracts everything from a document.
pub fn extract(doc: &Document, patterns: &Patterns) -> Extraction {
    let out = Extraction {
        meta: meta::meta(doc, patterns),
        ..Default::default()
    };
    let mut cx = Extractor::new(patterns, &doc.text, out);
    let blocks = &doc.blocks;
    let mut form = FormState::default();
    let mut skip_to = 0;
    for (bi, b) in blocks.iter().enumerate() {
        if bi < skip_to {
            continue;
        }
        cx.block = bi;
        match b {
            Block::Paragraph(p) => {
                if let Some(u) = unit_line(&p.text) {
                    cx.unit_hint = Some(u);
                }
                let before = cx.out.figures.len();
                cx.sections.observe(&p.text, patterns);
                cx.subject.start_paragraph();
                if !form.claims(&p.text) {
                    cx.paragraph(&p.text, p.span);
                }
                let found = cx.out.figures.len() > before;
                cx.log_paragraph(&p.text, p.span.start, FigureId(before));
                // Lines between a caption and its table (公开09表 部门：… 金额单位：万元) keep it.
                if !(is_table_meta(&p.text) && cx.caption.is_some()) {
                    cx.caption = caption(&p.text);
                }
                cx.subject
                    .end_paragraph(found, is_item_subject(&p.text).then(|| noun_of(&p.text)));
                if !found && p.text.chars().count() <= 40 {
                    if let Some(ph) =
                        phase_of(&p.text).filter(|p| matches!(p, Phase::Budget | Phase::Final))
                    {
                        cx.section_phase = Some(ph);
                    }
                }
                cx.form_line(&mut form, &blocks[bi..], &p.text, p.span, found);
            }
            Block::Table(t) => {
                form = FormState::default();
                let (whole, next) = continued(blocks, bi, cx.caption.as_deref());
                match whole {
                    Some(merged) => cx.table(&merged),
                    None => cx.table(t),
                }
                skip_to = next;
                cx.caption = None;
            }
        }
    }
    cx.breakdowns();
    let mut out = cx.finish();
    out.parts = parts::find(doc, &out.tables);
    out.forms = selfeval::find(doc);
    out.forms.extend(scoring::find(doc));
    if !out.forms.is_empty() {
        out.grading = grading::stated(doc).into_iter().collect();
        out.grading.extend(patterns.grading.iter().cloned());
    }
    out
}

/// A table that goes on over pages: the tables after the one at `bi` whose header repeats it,
/// with nothing between them but page furniture (page numbers, the repeated caption, a unit
/// line). Returns the joined table when there is more than one part, and the block index
/// after the last part.
fn continued(blocks: &[Block], bi: usize, caption_before: Option<&str>) -> (Option<Table>, usize) {
    let Block::Table(first) = &blocks[bi] else {
        return (None, bi + 1);
    };
    // A caption between two tables starts another table unless it repeats this one's.
    let furniture = |text: &str| {
        is_furniture(text)
            && caption(text).is_none_or(|c| Some(c.as_str()) == caption_before.map(str::trim))
    };
    let same = |c: &[String]| {
        let norm = |v: &[String]| -> Vec<String> {
            v.iter()
                .map(|s| s.chars().filter(|c| !c.is_whitespace()).collect())
                .collect()
        };
        first.header_rows > 0 && norm(c) == norm(&first.columns)
    };
    let mut parts: Vec<&Table> = vec![first];
    let mut k = bi + 1;
    let mut end = bi + 1;
    while k < blocks.len() {
        match &blocks[k] {
            Block::Paragraph(p) if furniture(&p.text) => k += 1,
            Block::Table(t) if same(&t.columns) => {
                parts.push(t);
                k += 1;
                end = k;
            }
            _ => break,
        }
    }
    if parts.len() == 1 {
        return (None, bi + 1);
    }
    let mut whole = first.clone();
    for t in &parts[1..] {
        whole.rows.extend(t.body().iter().cloned());
    }
    (Some(whole), end)
}

/// A line between the pages of a table: a page number, a caption or unit line, nothing that
/// states an amount.
fn is_furniture(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() <= 40 && !sentence::NUMBER.is_match(t) && !t.ends_with('。')
}

/// A line that says which table, unit or department follows, not what the table is about.
fn is_table_meta(text: &str) -> bool {
    let t = text.trim();
    t.is_empty()
        || t.chars().count() <= 60
            && (unit_line(t).is_some()
                || t.contains("单位：")
                || t.contains("单位:")
                || t.starts_with("公开")
                || t.starts_with("部门：")
                || t.starts_with("表"))
}

/// A short line ending in 表 or 情况 just before a table is its caption; a unit after it
/// ("“三公”经费预算表（万元）") is the table's.
fn caption(text: &str) -> Option<String> {
    let tt = text.trim();
    // "“三公”经费预算表（万元）", "一般公共预算支出表（按功能分类）": a short note after the
    // caption is part of it.
    let bare = match tt.rfind(['（', '(']) {
        Some(k) if tt.ends_with(['）', ')']) && tt[k..].chars().count() <= 12 => {
            tt[..k].trim_end()
        }
        _ => tt,
    };
    (bare.chars().count() <= 40 && (bare.ends_with('表') || bare.ends_with("情况")))
        .then(|| tt.to_string())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{Format, TextBuilder};

    /// Extraction of lines given as paragraphs.
    pub fn ex(s: &str) -> Extraction {
        let mut b = TextBuilder::new(Format::Html);
        for l in s.lines() {
            b.paragraph(l, None);
        }
        extract(&b.finish(), &Patterns::builtin())
    }

    /// Extraction of a text file's content (tables found as the text reader finds them).
    pub fn ex_text(s: &str) -> Extraction {
        let doc = crate::reader::txt::read(s.as_bytes()).unwrap();
        extract(&doc, &Patterns::builtin())
    }

    fn key(e: &Extraction, k: &str) -> Vec<String> {
        e.figures
            .iter()
            .filter(|f| f.key.as_deref() == Some(k))
            .map(|f| f.value.clone())
            .collect()
    }

    #[test]
    fn sentence_keys_and_groups() {
        let e = ex("年初预算支出总额100.5万元，其中：基本支出60.5万元（人员经费50万元，公用经费10.5万元）；项目支出40万元。年中调整预算20万元，全年预算总额120.5万元。");
        assert_eq!(key(&e, "budget.initial"), vec!["100.5"]);
        assert_eq!(key(&e, "budget.initial.basic"), vec!["60.5"]);
        assert_eq!(key(&e, "budget.initial.personnel"), vec!["50"]);
        assert_eq!(key(&e, "budget.initial.project"), vec!["40"]);
        assert_eq!(key(&e, "budget.adjustment"), vec!["20"]);
        assert_eq!(key(&e, "budget.total"), vec!["120.5"]);
        let g: Vec<(String, Vec<String>)> = e
            .groups
            .iter()
            .map(|g| {
                (
                    e.fig(g.total).value.clone(),
                    g.parts.iter().map(|&p| e.fig(p).value.clone()).collect(),
                )
            })
            .collect();
        assert!(
            g.contains(&("100.5".into(), vec!["60.5".into(), "40".into()])),
            "{g:?}"
        );
        assert!(
            g.contains(&("60.5".into(), vec!["50".into(), "10.5".into()])),
            "{g:?}"
        );
    }

    #[test]
    fn respectively_lists_and_units() {
        let e = ex("资产总额、负债总额、净资产分别为100万元、40万元、60万元。收入3,518.85元。");
        assert_eq!(key(&e, "assets.total"), vec!["100"]);
        assert_eq!(key(&e, "liabilities.total"), vec!["40"]);
        assert_eq!(key(&e, "assets.net"), vec!["60"]);
        let f = e.figures.iter().find(|f| f.value == "3518.85").unwrap();
        assert_eq!(f.value_wan.unwrap().to_string(), "0.351885");
    }

    #[test]
    fn other_years_and_prior_are_not_keyed() {
        let e = ex("2020年度某局整体支出绩效自评报告\n2019年年初预算100万元，2020年年初预算120万元，上年预算100万元。");
        assert_eq!(key(&e, "budget.initial"), vec!["120"]);
    }

    #[test]
    fn counts_with_items() {
        let e =
            ex("局机关设3个科室：办公室、财务科、规划科。甲县（5%）、乙县（4%）等2个县增速较高。");
        assert_eq!(e.counts.len(), 2);
        assert_eq!(e.counts[0].items, vec!["办公室", "财务科", "规划科"]);
        assert_eq!(e.counts[1].items, vec!["甲县", "乙县"]);
    }

    #[test]
    fn chinese_numerals_and_percent_words() {
        let e = ex("编制一百零九人，实有九十八人，满意度百分之九十。");
        assert_eq!(key(&e, "staff.authorized"), vec!["109"]);
        assert_eq!(key(&e, "staff.actual"), vec!["98"]);
        assert_eq!(key(&e, "rate.satisfaction"), vec!["90"]);
    }

    #[test]
    fn subject_names_generic_labels() {
        let e = ex("基本支出全年预算80万元，决算支出78万元。");
        assert_eq!(key(&e, "budget.total.basic"), vec!["80"]);
        assert_eq!(key(&e, "final.expenditure.basic"), vec!["78"]);
    }

    #[test]
    fn form_cells_take_the_form_labels() {
        let e = ex("编制人数\n12\n实有人数\n10\n");
        assert_eq!(key(&e, "staff.authorized"), vec!["12"]);
        assert_eq!(key(&e, "staff.actual"), vec!["10"]);
    }

    #[test]
    fn captions() {
        assert!(caption("“三公”经费预算表（万元）").is_some());
        assert!(caption("部门收支情况").is_some());
        assert!(caption("一般公共预算支出表（按功能分类）").is_some());
        assert!(caption("本年度收入合计100万元，比上年增加的主要原因是人员增加所致。").is_none());
    }
}
