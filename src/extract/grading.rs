//! How a self-evaluation is graded and its budget execution scored: the schemes of
//! `patterns/grading.toml` (the national template's, and any a province sets), and the grade
//! bands a report states in its own words ("90分（含）以上为优，…60分以下为差"), which take
//! precedence over any scheme: the report says by what it graded itself.

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::model::{Block, Document, Span};

/// One grade: the lowest score that earns it and the words that name it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub grade: String,
    pub min: Decimal,
    pub words: Vec<String>,
}

/// How the budget-execution score follows from the 执行率.
#[derive(Debug, Clone, PartialEq)]
pub enum Execution {
    /// 分值 × 执行率, a rate above `cap` percent counted as `cap`.
    Proportional { cap: Decimal },
    /// 分值 × the share of the highest step (min percent, share) the rate reaches.
    Steps(Vec<(Decimal, Decimal)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Grading {
    pub id: String,
    pub source: String,
    /// Highest band first.
    pub bands: Vec<Band>,
    pub execution: Option<Execution>,
    /// Where the report states these bands (None for a scheme of the data file).
    pub stated: Option<Span>,
}

impl Grading {
    /// The band a score earns.
    pub fn band(&self, score: Decimal) -> Option<&Band> {
        self.bands.iter().find(|b| score >= b.min)
    }

    /// The band a grade's word names.
    pub fn named(&self, word: &str) -> Option<&Band> {
        self.bands
            .iter()
            .find(|b| b.words.iter().any(|w| w == word))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    scheme: Vec<RawScheme>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScheme {
    id: String,
    source: String,
    execution: String,
    #[serde(default)]
    cap: Option<Decimal>,
    #[serde(default)]
    steps: Vec<(Decimal, Decimal)>,
    band: Vec<Band>,
    #[serde(default)]
    examples: Vec<(String, String)>,
}

/// A scheme's examples: (score, grade) pairs its bands must give.
pub type Examples = Vec<(String, String)>;

pub const BUILTIN: &str = include_str!("../../patterns/grading.toml");

/// The schemes of a grading file, with their examples; an error names what is wrong.
pub fn parse(text: &str) -> Result<Vec<(Grading, Examples)>, String> {
    let raw: RawFile = toml::from_str(text).map_err(|e| e.to_string())?;
    raw.scheme
        .into_iter()
        .map(|s| {
            let execution = match s.execution.as_str() {
                "proportional" => Execution::Proportional {
                    cap: s.cap.unwrap_or(Decimal::ONE_HUNDRED),
                },
                "steps" if !s.steps.is_empty() => Execution::Steps(s.steps),
                other => return Err(format!("{}: execution {other:?}", s.id)),
            };
            let mut bands = s.band;
            bands.sort_by_key(|b| std::cmp::Reverse(b.min));
            if bands.last().is_none_or(|b| !b.min.is_zero()) {
                return Err(format!("{}: no band starts at 0", s.id));
            }
            Ok((
                Grading {
                    id: s.id,
                    source: s.source,
                    bands,
                    execution: Some(execution),
                    stated: None,
                },
                s.examples,
            ))
        })
        .collect()
}

/// The embedded schemes, the national template's first.
pub fn schemes() -> &'static [Grading] {
    static S: LazyLock<Vec<Grading>> =
        LazyLock::new(|| load(BUILTIN).expect("patterns/grading.toml is valid (tested)"));
    &S
}

/// A grading file's schemes, each proved against its examples: the embedded
/// `patterns/grading.toml`, or the one a `--patterns` directory holds (a province's rule).
pub fn load(text: &str) -> Result<Vec<Grading>, String> {
    let all = parse(text)?;
    if all.is_empty() {
        return Err("no [[scheme]]".into());
    }
    for (g, examples) in &all {
        if examples.is_empty() {
            return Err(format!("scheme {}: needs examples", g.id));
        }
        for (score, grade) in examples {
            let v: Decimal = score
                .parse()
                .map_err(|_| format!("scheme {}: example score {score:?}", g.id))?;
            let got = g.band(v).map(|b| b.grade.as_str());
            if got != Some(grade.as_str()) {
                return Err(format!(
                    "scheme {}: {score} gives {got:?}, the example says {grade:?}",
                    g.id
                ));
            }
        }
    }
    Ok(all.into_iter().map(|(g, _)| g).collect())
}

/// The grading a form's grade is judged by, of the ones an extraction holds (the bands the
/// report states first, then the schemes): the stated bands when there are any, else the
/// first scheme that names the grade. None for a grade no known bands name.
pub fn for_grade<'a>(gradings: &'a [Grading], word: &str) -> Option<&'a Grading> {
    // Bands the report states are its rule: a grade they do not name (a band they state in
    // words not read) is not judged by another rule.
    if let Some(stated) = gradings.first().filter(|g| g.stated.is_some()) {
        return stated.named(word).is_some().then_some(stated);
    }
    gradings.iter().find(|g| g.named(word).is_some())
}

/// The execution rule: the first scheme's that has one (stated bands have none), else the
/// national template's.
pub fn execution(gradings: &[Grading]) -> &Execution {
    gradings
        .iter()
        .find_map(|g| g.execution.as_ref())
        .or(schemes()[0].execution.as_ref())
        .expect("a data-file scheme has its execution rule")
}

/// Grade words, longer before the shorter they contain.
const WORD: &str = "优秀|优|良好|良|中等|中|较差|不合格|合格|不及格|及格|一般|差";

/// "90分（含）以上为优", "80（含）-90分为良", "60分以下为差", "优（90-100分）", "差(0-59分)".
static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    let num = r"(\d{1,3}(?:\.\d+)?)\s*分?\s*(?:[（(]\s*含\s*[）)])?\s*分?";
    let range =
        r"(?:以上|及以上|[-—－~～至到]\s*\d{1,3}(?:\.\d+)?\s*分?\s*(?:[（(]\s*不?含\s*[）)])?)";
    Regex::new(&format!(
        r"(?:{num}\s*{range}\s*(?:的)?\s*(?:为|评为|定为|属于|是|：|:)?\s*[“”\x22]?({WORD}))|(?:(\d{{1,3}})\s*分?\s*以下\s*(?:的)?\s*(?:为|评为|定为|属于|是|：|:)?\s*[“”\x22]?({WORD}))|(?:({WORD})\s*[”\x22]?\s*[（(：:]\s*(?:≥|>=|大于等于|不低于)?\s*{num}\s*(?:以上|及以上|[-—－~～至到]|[）)]))|(?:({WORD})\s*[”\x22]?\s*[（(：:]\s*(?:<|＜|小于|低于)\s*\d{{1,3}}\s*分?)|(?:({WORD})\s*[”\x22]?\s*[（(：:]\s*\d{{1,3}}\s*分?\s*以下)"
    ))
    .expect("valid")
});

/// The bands a sentence states, when it states at least three grades, each with its own
/// lowest score, one of them open below.
fn bands_in(s: &str) -> Option<Vec<Band>> {
    let mut bands: Vec<Band> = Vec::new();
    for m in ITEM.captures_iter(s) {
        let (word, min) = if let (Some(n), Some(w)) = (m.get(1), m.get(2)) {
            (w.as_str(), n.as_str().parse().ok()?)
        } else if let (Some(_), Some(w)) = (m.get(3), m.get(4)) {
            (w.as_str(), Decimal::ZERO)
        } else if let (Some(w), Some(n)) = (m.get(5), m.get(6)) {
            (w.as_str(), n.as_str().parse().ok()?)
        } else if let Some(w) = m.get(7).or_else(|| m.get(8)) {
            (w.as_str(), Decimal::ZERO)
        } else {
            continue;
        };
        if bands.iter().any(|b| b.grade == word) {
            continue;
        }
        bands.push(Band {
            grade: word.to_string(),
            min,
            words: vec![word.to_string()],
        });
    }
    bands.sort_by_key(|b| std::cmp::Reverse(b.min));
    let distinct = bands.windows(2).all(|w| w[0].min > w[1].min);
    let floor = bands.last().is_some_and(|b| b.min.is_zero());
    (bands.len() >= 3 && distinct && floor && bands[0].min <= Decimal::ONE_HUNDRED).then_some(bands)
}

/// The grade bands the report states, the first statement that gives a whole set.
pub fn stated(doc: &Document) -> Option<Grading> {
    if !doc.text.contains("以下") && !doc.text.contains('-') && !doc.text.contains('—') {
        return None;
    }
    doc.blocks.iter().find_map(|b| {
        let Block::Paragraph(p) = b else { return None };
        if !p.text.contains('分') {
            return None;
        }
        let text: String = p.text.chars().filter(|c| !c.is_whitespace()).collect();
        let bands = bands_in(&text)?;
        // 优秀 in a report's bands names the national 优 too: the words of the grade a stated
        // band names are the scheme's words for it.
        let bands = bands
            .into_iter()
            .map(|mut b| {
                if let Some(n) = schemes().iter().find_map(|g| g.named(&b.grade)) {
                    b.words = n.words.clone();
                    b.words.retain(|w| w != &b.grade);
                    b.words.insert(0, b.grade.clone());
                }
                b
            })
            .collect();
        Some(Grading {
            id: "stated".into(),
            source: text.chars().take(120).collect(),
            bands,
            execution: None,
            stated: Some(p.span),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_data_file_schemes_give_their_examples() {
        let all = parse(BUILTIN).unwrap();
        assert!(!all.is_empty());
        for (g, examples) in &all {
            assert!(!examples.is_empty(), "{}: no examples", g.id);
            for (score, grade) in examples {
                assert_eq!(
                    g.band(d(score)).map(|b| b.grade.as_str()),
                    Some(grade.as_str()),
                    "{}: {score}",
                    g.id
                );
            }
        }
        assert!(parse("[[scheme]]\nid='x'\nsource='s'\nexecution='odd'\nband=[]").is_err());
        // An example the bands do not give is refused.
        let wrong = BUILTIN.replace(r#"["89.99", "良"]"#, r#"["89.99", "优"]"#);
        assert!(load(&wrong).unwrap_err().contains("89.99"));
    }

    fn mins(s: &str) -> Option<Vec<(String, Decimal)>> {
        bands_in(s).map(|b| b.into_iter().map(|b| (b.grade, b.min)).collect())
    }

    #[test]
    fn stated_bands_are_read_in_their_usual_phrasings() {
        let four = |a: &str, b: &str, c: &str, e: &str| {
            Some(vec![
                (a.to_string(), d("90")),
                (b.to_string(), d("80")),
                (c.to_string(), d("60")),
                (e.to_string(), d("0")),
            ])
        };
        assert_eq!(
            mins("评价等级分为四档：90分（含）以上为优，80（含）-90分为良，60（含）-80分为中，60分以下为差。"),
            four("优", "良", "中", "差")
        );
        assert_eq!(
            mins("等级划分标准为：优(90-100分)、良(80-89分)、中(60-79分)、差(0-59分)"),
            four("优", "良", "中", "差")
        );
        assert_eq!(
            mins("综合得分90分以上为优秀，80-89分为良好，60-79分为合格，60分以下为不合格。"),
            four("优秀", "良好", "合格", "不合格")
        );
        // Another province's cut-offs are read as stated.
        assert_eq!(
            mins("自评结果分为优（85分以上）、良（70-84分）、中（60-69分）、差（60分以下）")
                .map(|v| v[1].1),
            Some(d("70"))
        );
        // Counter-examples: a score and its grade, two bands, a range of something else.
        assert_eq!(mins("项目综合评分92.25分，评价级次为优。"), None);
        assert_eq!(mins("90分以上为优，60分以下为差。"), None);
        assert_eq!(mins("完成率在80-90之间的项目3个。"), None);
    }
}
