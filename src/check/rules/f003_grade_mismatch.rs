//! F003 grade-mismatch: a 自评等级 that the 总分 does not earn under the grade bands of
//! 财预〔2020〕10号 (90–100 优, 80–90 良, 60–80 中, below 60 差).

use rust_decimal::Decimal;

use super::forms::{at_row, show};
use crate::check::checker::{Checker, Severity};

const CODE: &str = "F003";

/// The grade a score earns.
pub fn band(score: Decimal) -> &'static str {
    if score >= Decimal::from(90) {
        "优"
    } else if score >= Decimal::from(80) {
        "良"
    } else if score >= Decimal::from(60) {
        "中"
    } else {
        "差"
    }
}

/// A grade as written, in the four bands' words.
fn grade_of(written: &str) -> &'static str {
    match written {
        "优" | "优秀" => "优",
        "良" | "良好" => "良",
        "中" | "中等" => "中",
        _ => "差",
    }
}

pub fn run(c: &mut Checker) {
    let Some(doc) = c.doc.filter(|_| !c.ex.forms.is_empty()) else {
        return;
    };
    let chars: Vec<char> = doc.text.chars().collect();
    for f in &c.ex.forms {
        let (Some((g, span)), Some((score, _))) = (&f.grade, f.total_score) else {
            continue;
        };
        let earned = band(score.value);
        if grade_of(g) == earned {
            c.pass_unrelated();
            continue;
        }
        c.fail_with(
            CODE,
            Severity::Error,
            format!(
                "自评等级写作“{g}”，而总分{}对应的等级为“{earned}”",
                show(score)
            ),
            Some(format!("{} → {earned} ≠ {g}", show(score))),
            vec![at_row(&chars, *span, g.clone())],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands() {
        assert_eq!(band(Decimal::from(90)), "优");
        assert_eq!(band(Decimal::new(8999, 2)), "良");
        assert_eq!(band(Decimal::from(60)), "中");
        assert_eq!(band(Decimal::new(5999, 2)), "差");
        assert_eq!(grade_of("良好"), "良");
    }
}
