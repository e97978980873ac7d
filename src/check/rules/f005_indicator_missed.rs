//! F005 indicator-missed-but-scored: an indicator whose 实际完成值 misses its 年度指标值 (in the
//! direction the target states: ≥, ≤, =) and yet gets its full 分值, or gives no 偏差原因.
//!
//! Only targets and results that are numbers of one unit are compared ("≥95%" with "93%",
//! "≤15分钟" with "20分钟"), and deadlines against dates, both with their year ("2024年12月底前"
//! with "2025年3月"); words ("有所提高", "不超标准", "已完成") are left to a reader.

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::forms::at_row;
use crate::check::checker::{Checker, Severity};

const CODE: &str = "F005";

/// The direction a target states and its number and unit.
static TARGET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(≥|>=|＞=|不低于|不少于|大于等于|≤|<=|不高于|不超过|不多于|小于等于|=|＝)?\s*([0-9]+(?:\.[0-9]+)?)\s*([^0-9]*?)\s*(以上|以内|以下)?$")
        .expect("valid")
});

#[derive(Debug, Clone, Copy, PartialEq)]
enum Bound {
    AtLeast,
    AtMost,
    Exactly,
}

/// (bound, value, unit) of a target; None unless its direction is stated.
fn target(t: &str) -> Option<(Bound, Decimal, String)> {
    let m = TARGET.captures(t.trim())?;
    let bound = match (m.get(1).map(|x| x.as_str()), m.get(4).map(|x| x.as_str())) {
        (Some("≥" | ">=" | "＞=" | "不低于" | "不少于" | "大于等于"), _) | (_, Some("以上")) => {
            Bound::AtLeast
        }
        (Some("≤" | "<=" | "不高于" | "不超过" | "不多于" | "小于等于"), _)
        | (_, Some("以内" | "以下")) => Bound::AtMost,
        (Some("=" | "＝"), _) => Bound::Exactly,
        _ => return None,
    };
    Some((bound, m[2].parse().ok()?, m[3].to_string()))
}

/// (value, unit) of a result written as a number.
fn result(a: &str) -> Option<(Decimal, String)> {
    let m = TARGET.captures(a.trim())?;
    if m.get(1).is_some() || m.get(4).is_some() {
        return None;
    }
    Some((m[2].parse().ok()?, m[3].to_string()))
}

/// Whether a result misses its target.
pub fn misses(target_text: &str, actual_text: &str) -> Option<bool> {
    if let Some(late) = late(target_text, actual_text) {
        return Some(late);
    }
    let (bound, t, tu) = target(target_text)?;
    let (a, au) = result(actual_text)?;
    if tu != au {
        return None;
    }
    Some(match bound {
        Bound::AtLeast => a < t,
        Bound::AtMost => a > t,
        Bound::Exactly => a != t,
    })
}

/// A date as (year, month, day); a month alone stands for its last day when it is a deadline
/// (2024年12月底前: by 31 December), its first when it is a result (2025年1月: not before).
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*(?:月)?\s*(?:(\d{1,2})\s*[日号]?|(底|末|中旬|上旬|下旬))?")
        .expect("valid")
});

/// A deadline: a date with 前, 之前, 以前, 底前, 前完成, ≤, 不晚于, 截至.
static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:≤|<=|不晚于|截至|截止(?:到)?|在)?\s*\d{4}\s*[年.\-/][^前]*?(?:前|之前|以前)(?:完成|竣工|到位|办结)?$|^(?:≤|<=|不晚于)\s*\d{4}")
        .expect("valid")
});

fn date(s: &str, deadline: bool) -> Option<(u32, u32, u32)> {
    let m = DATE.captures(s)?;
    let y: u32 = m[1].parse().ok()?;
    let mo: u32 = m[2].parse().ok()?;
    if !(1..=12).contains(&mo) || !(1990..=2100).contains(&y) {
        return None;
    }
    let d = match (m.get(3), m.get(4).map(|x| x.as_str()), deadline) {
        (Some(d), _, _) => d.as_str().parse().ok()?,
        (None, Some("上旬"), true) => 10,
        (None, Some("中旬"), true) => 20,
        (None, Some("中旬"), false) => 11,
        (None, _, true) => 31,
        _ => 1,
    };
    Some((y, mo, d))
}

/// Whether a result's date falls after its target's deadline; None unless the target is a
/// deadline with its year and the result a date with its year ("已完成" is left to a reader).
fn late(target_text: &str, actual_text: &str) -> Option<bool> {
    let t = target_text.trim();
    if !DEADLINE.is_match(t) {
        return None;
    }
    let due = date(t, true)?;
    let done = date(actual_text.trim(), false)?;
    Some(done > due)
}

pub fn run(c: &mut Checker) {
    let Some(doc) = c.doc.filter(|_| !c.ex.forms.is_empty()) else {
        return;
    };
    let chars: Vec<char> = doc.text.chars().collect();
    for f in &c.ex.forms {
        for i in &f.indicators {
            let Some(missed) = misses(&i.target, &i.actual) else {
                continue;
            };
            let full = match (i.weight, i.score) {
                // Full marks as written: a weight of "5" is 5 points, not 4.5 to 5.5.
                (Some(w), Some(s)) => s.value >= w.value,
                _ => false,
            };
            let no_reason =
                i.reason.trim().is_empty() || matches!(i.reason.trim(), "无" | "/" | "--" | "—");
            if !missed || (!full && !no_reason) {
                c.pass_unrelated();
                continue;
            }
            let why = match (full, no_reason) {
                (true, true) => "却得满分，也未说明偏差原因",
                (true, false) => "却得满分",
                _ => "，未说明偏差原因",
            };
            c.fail_with(
                CODE,
                Severity::Warning,
                if late(&i.target, &i.actual).is_some() {
                    format!(
                        "“{}”实际完成于{}，晚于时限{}{why}",
                        i.level3, i.actual, i.target
                    )
                } else {
                    format!(
                        "“{}”实际完成值{}未达到年度指标值{}{why}",
                        i.level3, i.actual, i.target
                    )
                },
                None,
                vec![at_row(&chars, i.span, i.actual.clone())],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_and_results() {
        assert_eq!(misses("≥96%", "85%"), Some(true));
        assert_eq!(misses("≥95%", "100%"), Some(false));
        assert_eq!(misses("≤15分钟", "5分钟"), Some(false));
        assert_eq!(misses("≤1.4元", "1.5元"), Some(true));
        assert_eq!(misses("=100%", "98%"), Some(true));
        assert_eq!(misses("95%以上", "90%"), Some(true));
        // No stated direction, words, other units: not judged.
        assert_eq!(misses("100%", "98%"), None);
        assert_eq!(misses("有所提高", "提高"), None);
        assert_eq!(misses("≥110人", "1.2万人"), None);
    }

    #[test]
    fn deadlines() {
        assert_eq!(misses("2024年12月底前", "2025年3月"), Some(true));
        assert_eq!(misses("2024年12月底前", "2024年12月"), Some(false));
        assert_eq!(misses("2024年6月30日前完成", "2024年7月5日"), Some(true));
        assert_eq!(misses("≤2024年10月", "2024年9月"), Some(false));
        assert_eq!(misses("2024年11月前", "2024.11.20"), Some(false));
        // No year, no date in the result, a date that is no deadline: not judged.
        assert_eq!(misses("12月底前", "2025年1月"), None);
        assert_eq!(misses("2024年12月底前", "已完成"), None);
        assert_eq!(misses("2024年12月", "2025年1月"), None);
    }
}
