//! The scoring sentences of self-evaluation and evaluation reports: "项目综合评分92.25分，
//! 评价级次为优", "自评得分96分，自评等级为“优”", "评价结果为良好（86.5分）". Each is a record of
//! kind [`FormKind::Narrative`] with its 总分 and 自评等级, so that the grade is judged as a
//! form's is (F003) and the score can be held against the form it sums up.

use std::sync::LazyLock;

use regex::Regex;

use super::types::{FormKind, Num, SelfEval};
use crate::model::{Block, Document, Span};

const SCORE_WORDS: &str = "综合评分|综合得分|自评得分|自评总分|评价得分|评价总分|评分结果|总得分|最终得分|考评得分|绩效评价得分|得分合计|总分";
const GRADE_WORDS: &str =
    "自评等级|评价等级|评价级次|绩效等级|绩效评级|等级|级次|评级|评价结果|自评结果|考评结果";
const WORD: &str = "优秀|优|良好|良|中等|中|较差|不合格|合格|差";

/// A score, then its grade in the same clause run: "…评分92.25分，评价级次为优".
static SCORE_THEN_GRADE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:{SCORE_WORDS})(?:为|是|达|：|:)?\s*(\d{{1,3}}(?:\.\d{{1,2}})?)\s*分[^。；;\d分]{{0,12}}?(?:{GRADE_WORDS})(?:为|是|：|:|定为|评定为|确定为|属于)?\s*[“\x22]?({WORD})(?:[”\x22]|级|等|$|[，,。；;（(])"
    ))
    .expect("valid")
});

/// A grade, then its score: "评价结果为良好（86.5分）", "自评等级为优，得分95分".
static GRADE_THEN_SCORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:{GRADE_WORDS})(?:为|是|：|:|定为|评定为)?\s*[“\x22]?({WORD})[”\x22]?\s*(?:[（(]|[，,]\s*(?:{SCORE_WORDS}|得分)(?:为|是|：|:)?)\s*(\d{{1,3}}(?:\.\d{{1,2}})?)\s*分"
    ))
    .expect("valid")
});

fn num(s: &str) -> Option<Num> {
    let value = s.parse().ok()?;
    let decimals = s.split_once('.').map_or(0, |(_, f)| f.len() as u32);
    Some(Num { value, decimals })
}

/// The scoring sentences of a document's paragraphs (a table's cells are a form's, read by
/// `selfeval`).
pub fn find(doc: &Document) -> Vec<SelfEval> {
    if !doc.text.contains('分') {
        return Vec::new();
    }
    let mut out = Vec::new();
    for b in &doc.blocks {
        let Block::Paragraph(p) = b else { continue };
        let text: String = p.text.chars().filter(|c| !c.is_whitespace()).collect();
        let read = SCORE_THEN_GRADE
            .captures(&text)
            .and_then(|m| Some((num(&m[1])?, m[2].to_string())))
            .or_else(|| {
                GRADE_THEN_SCORE
                    .captures(&text)
                    .and_then(|m| Some((num(&m[2])?, m[1].to_string())))
            });
        let Some((score, grade)) = read else { continue };
        // A score out of 100: "得分1200分" is something else.
        if score.value > rust_decimal::Decimal::ONE_HUNDRED {
            continue;
        }
        let span: Span = p.span;
        out.push(SelfEval {
            kind: FormKind::Narrative,
            total_score: Some((score, span)),
            grade: Some((grade, span)),
            span,
            ..SelfEval::default()
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Format, TextBuilder};

    fn read(s: &str) -> Option<(String, String)> {
        let mut b = TextBuilder::new(Format::Txt);
        b.paragraph(s, None);
        let doc = b.finish();
        let f = find(&doc).into_iter().next()?;
        Some((f.total_score?.0.value.to_string(), f.grade?.0))
    }

    #[test]
    fn scoring_sentences() {
        let pair = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(
            read("按照五个方面进行总体评价，项目综合评分92.25分，评价级次为优。"),
            pair("92.25", "优")
        );
        assert_eq!(
            read("经自评，自评得分96分，自评等级为“优”。"),
            pair("96", "优")
        );
        assert_eq!(read("综合评价结果为良好（86.5分）。"), pair("86.5", "良好"));
        assert_eq!(read("本项目自评等级为优，得分95分。"), pair("95", "优"));
        // Counter-examples: a score with no grade, a part's score, a grade with no score.
        assert_eq!(read("自评得分184分，其中共性指标自评得分85分。"), None);
        assert_eq!(read("考评得分96分。"), None);
        assert_eq!(read("总体评价为优。"), None);
        assert_eq!(read("总分为100分，其中产出指标50分。"), None);
        // The scale's maximum is not the score: the score is the one next to the grade.
        assert_eq!(
            read("本项目绩效评价总分为100分，自评得分为88分，评价等级为良。"),
            pair("88", "良")
        );
    }
}
