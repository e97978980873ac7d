//! Reading numbers exactly: ASCII and full-width digits, thousands separators, Chinese
//! numerals, 百分之N, and the units that follow them.

use rust_decimal::Decimal;
use std::str::FromStr;

/// What a unit measures; checks compare only figures of one class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitClass {
    Money,
    Percent,
    /// 个百分点: a difference of percentages, not a ratio.
    Points,
    People,
    Count,
    Score,
}

/// A unit as written and how it converts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    pub text: &'static str,
    pub class: UnitClass,
    /// Multiplier to 万元 for money, as a power of ten (元 = -4, 千元 = -1, 万元 = 0, 亿元 = 4).
    pub wan_exp: i32,
}

pub const UNITS: &[Unit] = &[
    Unit {
        text: "亿元",
        class: UnitClass::Money,
        wan_exp: 4,
    },
    Unit {
        text: "万元",
        class: UnitClass::Money,
        wan_exp: 0,
    },
    Unit {
        text: "千元",
        class: UnitClass::Money,
        wan_exp: -1,
    },
    Unit {
        text: "元",
        class: UnitClass::Money,
        wan_exp: -4,
    },
    Unit {
        text: "个百分点",
        class: UnitClass::Points,
        wan_exp: 0,
    },
    Unit {
        text: "%",
        class: UnitClass::Percent,
        wan_exp: 0,
    },
    Unit {
        text: "人",
        class: UnitClass::People,
        wan_exp: 0,
    },
    Unit {
        text: "名",
        class: UnitClass::People,
        wan_exp: 0,
    },
    Unit {
        text: "个",
        class: UnitClass::Count,
        wan_exp: 0,
    },
    Unit {
        text: "家",
        class: UnitClass::Count,
        wan_exp: 0,
    },
    Unit {
        text: "辆",
        class: UnitClass::Count,
        wan_exp: 0,
    },
    Unit {
        text: "项",
        class: UnitClass::Count,
        wan_exp: 0,
    },
    Unit {
        text: "户",
        class: UnitClass::Count,
        wan_exp: 0,
    },
    Unit {
        text: "分",
        class: UnitClass::Score,
        wan_exp: 0,
    },
];

pub fn unit(text: &str) -> Option<Unit> {
    UNITS.iter().copied().find(|u| u.text == text)
}

/// The same text with full-width digits, point, percent and comma-as-thousands-separator
/// mapped to ASCII. Each character maps to exactly one character, so offsets are unchanged.
pub fn normalize(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let m = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' if digit_at(&chars, i.wrapping_sub(1)) && digit_at(&chars, i + 1) => '.',
            '％' => '%',
            '，' if is_thousands(&chars, i) => ',',
            _ => c,
        };
        out.push(m);
    }
    out
}

fn digit_at(chars: &[char], i: usize) -> bool {
    chars
        .get(i)
        .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
}

/// A full-width comma between digits is a thousands separator when exactly three digits
/// follow it before a non-digit ("3，518.85"), not a new clause ("12，345个" is ambiguous
/// and read as a separator as well: a group of three is the rule).
fn is_thousands(chars: &[char], i: usize) -> bool {
    if i == 0 || !digit_at(chars, i - 1) {
        return false;
    }
    (1..=3).all(|k| digit_at(chars, i + k)) && !digit_at(chars, i + 4)
}

/// Parses an ASCII numeral with optional thousands commas and sign, keeping the decimals as
/// written. Returns the plain decimal string and the value.
pub fn parse_decimal(s: &str) -> Option<(String, Decimal)> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != ' ')
        .map(|c| if c == '－' || c == '—' { '-' } else { c })
        .collect();
    if t.is_empty() || !t.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let t = t.strip_prefix('+').unwrap_or(&t).to_string();
    let d = Decimal::from_str(&t).ok()?;
    Some((t, d))
}

/// Parses a table cell: a number possibly followed by % (full-width forms allowed).
pub fn parse_cell(s: &str) -> Option<(String, Decimal, bool)> {
    // Most cells are labels: reject them before any allocation.
    let numeric = |c: char| {
        c.is_ascii_digit()
            || ('０'..='９').contains(&c)
            || matches!(
                c,
                '.' | ',' | '-' | '+' | '－' | '%' | '％' | '，' | '．' | ' '
            )
    };
    let t = s.trim();
    if t.is_empty() || !t.chars().all(numeric) {
        return None;
    }
    let n = normalize(t);
    let (body, pct) = match n.strip_suffix('%') {
        Some(b) => (b.trim(), true),
        None => (n.as_str(), false),
    };
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+' | '－'))
    {
        return None;
    }
    // "1,045.63" yes; "1,2" or "1.2.3" no.
    if body.matches('.').count() > 1 {
        return None;
    }
    if body.contains(',') {
        let int = body.split('.').next().unwrap_or("");
        let int = int.trim_start_matches(['-', '+']);
        let groups: Vec<&str> = int.split(',').collect();
        if groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    }
    let (s, d) = parse_decimal(body)?;
    Some((s, d, pct))
}

/// Number of decimals as written.
pub fn decimals(s: &str) -> u32 {
    s.split('.').nth(1).map(|f| f.len() as u32).unwrap_or(0)
}

const CN_DIGITS: &[(char, u64)] = &[
    ('零', 0),
    ('〇', 0),
    ('一', 1),
    ('二', 2),
    ('两', 2),
    ('三', 3),
    ('四', 4),
    ('五', 5),
    ('六', 6),
    ('七', 7),
    ('八', 8),
    ('九', 9),
];

fn cn_digit(c: char) -> Option<u64> {
    CN_DIGITS.iter().find(|(d, _)| *d == c).map(|(_, v)| *v)
}

/// Parses a Chinese numeral: 一百零九 = 109, 十七 = 17, 两 = 2, 三千五百万 = 35000000.
pub fn parse_chinese(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    let mut section: u64 = 0;
    let mut digit: Option<u64> = None;
    for c in s.chars() {
        if let Some(d) = cn_digit(c) {
            digit = Some(d);
            continue;
        }
        let mult = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => 10_000,
            '亿' => 100_000_000,
            _ => return None,
        };
        if mult >= 10_000 {
            section += digit.take().unwrap_or(0);
            if section == 0 {
                section = 1;
            }
            total = total.checked_add(section.checked_mul(mult)?)?;
            section = 0;
        } else {
            // "十七": a bare 十 means one ten.
            section = section.checked_add(digit.take().unwrap_or(1).checked_mul(mult)?)?;
        }
    }
    section += digit.unwrap_or(0);
    total.checked_add(section)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_one_char_per_char() {
        let s = "收入３，518.85万元，增长５％，其中12，3个";
        let n = normalize(s);
        assert_eq!(n.chars().count(), s.chars().count());
        assert!(n.contains("3,518.85万元"));
        assert!(n.contains("5%"));
        assert!(n.contains("12，3个"));
    }

    #[test]
    fn decimals_are_kept() {
        assert_eq!(parse_decimal("1,045.63").unwrap().0, "1045.63");
        assert_eq!(parse_decimal("222.00").unwrap().0, "222.00");
        assert_eq!(decimals("222.00"), 2);
        assert!(parse_cell("100%").unwrap().2);
        assert_eq!(parse_cell("1,2"), None);
        assert_eq!(parse_cell("１２,３４５.６７").unwrap().0, "12345.67");
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(parse_chinese("一百零九"), Some(109));
        assert_eq!(parse_chinese("十七"), Some(17));
        assert_eq!(parse_chinese("两"), Some(2));
        assert_eq!(parse_chinese("八十"), Some(80));
        assert_eq!(parse_chinese("三千五百万"), Some(35_000_000));
        assert_eq!(parse_chinese("二十一"), Some(21));
        assert_eq!(parse_chinese("甲"), None);
    }
}
