//! The functional classification (政府收支分类科目, 支出功能分类: 类 3 digits, 款 5, 项 7)
//! as far as the published reports show it (`patterns/classification.tsv`: each name stated
//! by at least two reports, none contradicted), and the names a later year retired
//! (`patterns/classification_retired.tsv`). Not the official catalogue: a code or name absent
//! here says nothing.

use std::collections::HashMap;
use std::sync::LazyLock;

pub const TABLE_TSV: &str = include_str!("../../patterns/classification.tsv");
pub const RETIRED_TSV: &str = include_str!("../../patterns/classification_retired.tsv");

/// A retired name: its code, the last year it was valid and the name since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retired {
    pub code: String,
    pub name: String,
    pub last_year: i32,
    pub now: String,
}

#[derive(Debug, Default)]
pub struct Classification {
    names: HashMap<String, String>,
    /// Codes by name (a name such as 行政运行 belongs to many 项).
    codes: HashMap<String, Vec<String>>,
    pub retired: Vec<Retired>,
}

/// The data rows of a TSV file with a header line, comments (`#`) left out.
fn rows(src: &str) -> impl Iterator<Item = Vec<&str>> {
    src.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').map(str::trim).collect())
}

impl Classification {
    pub fn parse(table: &str, retired: &str) -> Result<Self, String> {
        let mut c = Classification::default();
        for r in rows(table) {
            let [code, name, ..] = r.as_slice() else {
                return Err(format!("classification.tsv: bad row {r:?}"));
            };
            if !is_functional(code) {
                return Err(format!(
                    "classification.tsv: {code} is not a functional code"
                ));
            }
            c.names.insert(code.to_string(), name.to_string());
            c.codes
                .entry(name.to_string())
                .or_default()
                .push(code.to_string());
        }
        for r in rows(retired) {
            let [code, name, year, now] = r.as_slice() else {
                return Err(format!("classification_retired.tsv: bad row {r:?}"));
            };
            c.retired.push(Retired {
                code: code.to_string(),
                name: name.to_string(),
                last_year: year.parse().map_err(|e| format!("{year}: {e}"))?,
                now: now.to_string(),
            });
        }
        Ok(c)
    }

    pub fn name(&self, code: &str) -> Option<&str> {
        self.names.get(code).map(String::as_str)
    }

    /// The codes that carry `name`, of the level of `len` digits.
    pub fn codes_named(&self, name: &str, len: usize) -> Vec<&str> {
        self.codes
            .get(name)
            .map(|v| {
                v.iter()
                    .filter(|c| c.len() == len)
                    .map(String::as_str)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A 类, 款 or 项 code of the functional classification (expenditure: 2xx).
pub fn is_functional(code: &str) -> bool {
    matches!(code.len(), 3 | 5 | 7)
        && code.starts_with('2')
        && code.chars().all(|c| c.is_ascii_digit())
}

/// A name as the table keeps it: no spaces, no enumeration (一、 （一） 1.), full-width
/// parentheses.
pub fn normalise(label: &str) -> String {
    let s: String = label
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect();
    let enumerated = |s: &str| -> Option<usize> {
        let mut it = s.char_indices();
        let (_, first) = it.next()?;
        if first == '（' {
            let close = s.find('）')?;
            let inner = &s[first.len_utf8()..close];
            let numeral = !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c));
            return numeral.then_some(close + '）'.len_utf8());
        }
        let end = s
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || "一二三四五六七八九十".contains(*c)))
            .map(|(i, _)| i)?;
        let rest = &s[end..];
        let sep = rest.chars().next()?;
        (end > 0 && matches!(sep, '、' | '.' | '．')).then_some(end + sep.len_utf8())
    };
    match enumerated(&s) {
        Some(k) => s[k..].to_string(),
        None => s,
    }
}

pub static CLASSIFICATION: LazyLock<Classification> = LazyLock::new(|| {
    Classification::parse(TABLE_TSV, RETIRED_TSV).expect("classification data is valid (tested)")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_files_load_and_agree_with_themselves() {
        let c = Classification::parse(TABLE_TSV, RETIRED_TSV).unwrap();
        assert!(c.names.len() >= 150);
        assert_eq!(c.name("2210201"), Some("住房公积金"));
        assert_eq!(c.name("210"), Some("卫生健康支出"));
        // Every 款 and 项 sits under a parent the table knows or does not know; never
        // under a parent of another level.
        for code in c.names.keys() {
            assert!(is_functional(code), "{code}");
        }
        for r in &c.retired {
            assert_eq!(c.name(&r.code), Some(r.now.as_str()), "{r:?}");
        }
        assert!(c.codes_named("行政运行", 7).len() > 10);
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(normalise("一、一般公共服务支出"), "一般公共服务支出");
        assert_eq!(normalise("（一） 行政运行"), "行政运行");
        assert_eq!(normalise("2.行政运行"), "行政运行");
        assert_eq!(
            normalise("政府办公厅(室)及相关机构事务"),
            "政府办公厅（室）及相关机构事务"
        );
        assert_eq!(normalise("（室）事务"), "（室）事务");
    }
}
