//! Title, department, level, year and kind of a report, from its opening lines.

use std::sync::LazyLock;

use regex::Regex;

use super::patterns::Patterns;
use super::types::Meta;
use super::vocab::YEAR;
use crate::model::Document;

/// How many of the opening paragraphs may hold the title and the issuing unit.
const OPENING: usize = 40;

/// The endings of an organisation's name: a name that ends otherwise is not one.
const ORG_ENDINGS: &[&str] = &[
    "委员会",
    "办公室",
    "办公厅",
    "办事处",
    "管理处",
    "中心",
    "法院",
    "检察院",
    "政府",
    "支队",
    "大队",
    "学院",
    "学校",
    "医院",
    "联合会",
    "协会",
    "局",
    "委",
    "厅",
    "院",
    "会",
    "站",
    "所",
    "队",
    "处",
    "部",
    "馆",
    "校",
    "社",
    "署",
    "室",
    "团",
    "校区",
    "中学",
    "小学",
    "幼儿园",
];

/// Where the words that name the kind of report start: the issuing unit stands before.
const KIND_WORDS: &[&str] = &[
    "部门预算",
    "单位预算",
    "部门决算",
    "单位决算",
    "部门整体",
    "整体支出",
    "项目支出",
    "财政项目",
    "绩效自评",
    "绩效评价",
    "预算",
    "决算",
];

/// The first of the opening lines (one to three joined) that a `kind` pattern recognises is
/// the title; year, department and level are read from it, then from the cover's labelled
/// lines (预算单位：…) and the first 主要职责 sentence.
pub fn meta(doc: &Document, patterns: &Patterns) -> Meta {
    let paras: Vec<&str> = doc
        .paragraphs()
        .map(|p| p.text.trim())
        .filter(|t| !t.is_empty())
        .take(OPENING)
        .collect();
    let mut m = Meta::default();
    let kinds: Vec<_> = patterns.family("kind").collect();
    'outer: for i in 0..paras.len().min(20) {
        for w in 1..=3 {
            if i + w > paras.len() {
                break;
            }
            // A title goes on over short lines; a labelled cover line (报告日期：…) is no
            // part of one.
            if w > 1
                && (paras[i + w - 1].chars().count() > 30
                    || paras[i..i + w].iter().any(|p| p.contains(['：', ':'])))
            {
                break;
            }
            let joined: String = paras[i..i + w]
                .concat()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if joined.chars().count() > 80 {
                break;
            }
            if let Some(k) = kinds
                .iter()
                .find(|k| k.regex.as_ref().is_some_and(|r| r.is_match(&joined)))
            {
                if YEAR.is_match(&joined) || w == 3 || i + w == paras.len() {
                    m.title = Some(joined.clone());
                    m.kind = k.kind().map(str::to_string);
                    break 'outer;
                }
            }
        }
    }
    static Y: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(19|20)\d\d").unwrap());
    m.year = m
        .title
        .as_deref()
        .and_then(|t| Y.find(t))
        .and_then(|y| y.as_str().parse().ok());
    if m.year.is_none() {
        // The year the report is about ("2020年度…绩效评价"), not the date it was signed.
        static FISCAL: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"((?:19|20)\d\d)\s*年度").unwrap());
        m.year = paras
            .iter()
            .filter(|p| !p.contains("日期") && !p.contains('月'))
            .find_map(|p| FISCAL.captures(p))
            .and_then(|c| c[1].parse().ok());
    }
    let mut level_mark = false;
    if let Some((d, mark)) = m.title.as_deref().and_then(department_of_title) {
        m.department = Some(d);
        level_mark = mark;
    }
    if m.department.is_none() {
        // Cover lines first, then sentences: a pattern is tried on every opening line before
        // the next pattern is. A label alone on its line (a form's cell) takes the next line.
        let cleaned = |p: &str| {
            p.trim_matches(|c: char| matches!(c, '|' | '｜') || c.is_whitespace())
                .to_string()
        };
        let mut lines: Vec<String> = Vec::new();
        for (i, p) in paras.iter().enumerate() {
            let here = cleaned(p);
            if let Some(next) = paras.get(i + 1) {
                if here.chars().count() <= 8 && !here.contains(['：', ':']) {
                    lines.push(format!("{here}：{}", cleaned(next)));
                }
            }
            lines.push(here);
        }
        m.department = patterns.family("department").find_map(|pat| {
            lines.iter().find_map(|p| {
                let c = pat.regex.as_ref()?.captures(p)?;
                let (d, mark) = org_name(c.name("dept")?.as_str())?;
                level_mark |= mark;
                Some(d)
            })
        });
    }
    let title = m.title.as_deref().unwrap_or("");
    let accounts = matches!(
        m.kind.as_deref(),
        Some("部门预算" | "单位预算" | "部门决算")
    );
    m.level = if level_mark {
        Some("本级".into())
    } else if !accounts {
        None
    } else if title.contains("单位预算") || title.contains("单位决算") {
        Some("单位".into())
    } else {
        Some("部门".into())
    };
    m
}

/// The issuing unit a title names, and whether it carries the level mark （本级）: what is
/// left once leading labels and numbering, the kind of report and what follows it, and the
/// years are taken away. None when what is left is not an organisation's name.
fn department_of_title(title: &str) -> Option<(String, bool)> {
    let mut t: &str = title;
    // "预算单位：上海市财政局…", "浏览量:1岳阳市…": the name follows the last label.
    if let Some(k) = t.rfind(['：', ':']) {
        t = &t[k + t[k..].chars().next().map_or(1, char::len_utf8)..];
    }
    let cut = KIND_WORDS
        .iter()
        .filter_map(|w| t.find(w))
        .min()
        .unwrap_or(t.len());
    org_name(&t[..cut])
}

/// `s` as an organisation's name without years, numbering, 关于 and a trailing 部门, and
/// whether it carried the level mark （本级）.
fn org_name(s: &str) -> Option<(String, bool)> {
    static YEARS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:19|20)\d\d\s*(?:年度|年)?|第[一二三四五六七八九十]+部分|^关于").unwrap()
    });
    static MARK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[（(]本级[）)]|本级$").unwrap());
    let marked = MARK.is_match(s);
    let s = MARK.replace_all(s, "");
    let s = YEARS.replace_all(&s, "");
    let mut s: &str = s.trim_matches(|c: char| !is_han(c) && !matches!(c, '（' | '）' | '(' | ')'));
    for tail in ["部门", "单位", "（", "("] {
        s = s.strip_suffix(tail).unwrap_or(s);
    }
    let n = s.chars().count();
    let ok = (3..=40).contains(&n)
        && s.chars()
            .all(|c| is_han(c) || matches!(c, '（' | '）' | '(' | ')'))
        && ORG_ENDINGS.iter().any(|e| s.ends_with(e))
        && !s.starts_with(['（', '(']);
    ok.then(|| (s.to_string(), marked))
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_give_their_issuing_unit() {
        let cases = [
            (
                "2026年深圳市人力资源和社会保障局部门预算",
                Some(("深圳市人力资源和社会保障局", false)),
            ),
            (
                "北京市交通委员会2026年度部门预算信息",
                Some(("北京市交通委员会", false)),
            ),
            (
                "北京市信访办公室部门2026年度部门预算",
                Some(("北京市信访办公室", false)),
            ),
            (
                "2026年深圳市交通运输局（本级）部门预算",
                Some(("深圳市交通运输局", true)),
            ),
            (
                ".长春市信访局（本级）2026年度部门预算公开",
                Some(("长春市信访局", true)),
            ),
            (
                "2026年度福州市公安局治安管理支队单位预算",
                Some(("福州市公安局治安管理支队", false)),
            ),
            (
                "北京市人民政府国有资产监督管理委员会2026部门预算情况的说明",
                Some(("北京市人民政府国有资产监督管理委员会", false)),
            ),
            (
                "2022年度怀化市工业和信息化局整体支出绩效自评报告",
                Some(("怀化市工业和信息化局", false)),
            ),
            (
                "2026年中共深圳市委宣传部（本级）部门预算",
                Some(("中共深圳市委宣传部", true)),
            ),
            (
                "预算单位：上海市财政局2025年单位预算",
                Some(("上海市财政局", false)),
            ),
            ("第一部分2026年度部门预算情况说明", None),
            ("长沙市财政项目支出绩效评价报告", None),
            ("部门预算项目支出绩效自评表(2023年度)", None),
        ];
        for (title, want) in cases {
            let got = department_of_title(title);
            assert_eq!(got.as_ref().map(|(d, m)| (d.as_str(), *m)), want, "{title}");
        }
    }
}
