//! F003 grade-mismatch: a 自评等级 that the 总分 does not earn under the grade bands the
//! report states, else the bands of `patterns/grading.toml` (财预〔2020〕10号: 90–100 优,
//! 80–90 良, 60–80 中, below 60 差). A grade no known bands name is not judged.

use super::forms::{at_row, show};
use crate::check::checker::{Checker, Severity};
use crate::extract::grading;

const CODE: &str = "F003";

pub fn run(c: &mut Checker) {
    let Some(doc) = c.doc.filter(|_| !c.ex.forms.is_empty()) else {
        return;
    };
    let chars: Vec<char> = doc.text.chars().collect();
    for f in &c.ex.forms {
        let (Some((g, span)), Some((score, _))) = (&f.grade, f.total_score) else {
            continue;
        };
        let Some(scheme) = grading::for_grade(&c.ex.grading, g) else {
            continue;
        };
        let (Some(earned), Some(named)) = (scheme.band(score.value), scheme.named(g)) else {
            continue;
        };
        if earned.grade == named.grade {
            c.pass_unrelated();
            continue;
        }
        let by = match (scheme.stated, scheme.id.as_str()) {
            (Some(_), _) => "按报告所述分档".to_string(),
            (None, "national") => "按财预〔2020〕10号的分档".to_string(),
            (None, id) => format!("按评分规则“{id}”的分档"),
        };
        let mut evidence = vec![at_row(&chars, *span, g.clone())];
        if let Some(s) = scheme.stated {
            evidence.push(at_row(&chars, s, earned.grade.clone()));
        }
        c.fail_with(
            CODE,
            Severity::Error,
            format!(
                "自评等级写作“{g}”，而总分{}{by}对应的等级为“{}”",
                show(score),
                earned.grade
            ),
            Some(format!("{} → {} ≠ {g}", show(score), earned.grade)),
            evidence,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn band(score: Decimal) -> &'static str {
        grading::schemes()[0]
            .band(score)
            .map_or("差", |b| b.grade.as_str())
    }

    #[test]
    fn bands() {
        assert_eq!(band(Decimal::from(90)), "优");
        assert_eq!(band(Decimal::new(8999, 2)), "良");
        assert_eq!(band(Decimal::from(60)), "中");
        assert_eq!(band(Decimal::new(5999, 2)), "差");
        let national = &grading::schemes()[0];
        assert_eq!(national.named("良好").map(|b| b.grade.as_str()), Some("良"));
        assert!(national.named("合格").is_none());
    }
}
