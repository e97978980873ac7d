//! T002 name-variant: the reporting department's name written in two forms in one report, the
//! forms differing only in their connecting word (规划和自然资源局 / 规划与自然资源局). An official
//! name has one form; a disclosure inspection lists the other as a problem. A notice: the forms
//! are certainly different, and nothing else is wrong.
//!
//! A form without the connector is not a variant: it is the official short form (国家发展改革委,
//! 人力资源社会保障部; on the official reports, 人力资源社会保障局 and 发展改革委员会 beside the
//! full names were that, not slips).
//!
//! Only the department's own name (the report's `meta.department`) is followed, from the part
//! after its place name, so that abbreviations (本局, 区规划资源局) are never taken for variants:
//! they do not match at all.

use std::collections::BTreeMap;

use regex::Regex;

use crate::check::checker::{Checker, Evidence, Severity};
use crate::model::{Block, Span};

const CODE: &str = "T002";

/// Words that join the parts of an official name.
const CONNECTORS: [char; 4] = ['和', '与', '及', '暨'];

/// The name's part after its place name (上海市普陀区规划和自然资源局 → 规划和自然资源局), or
/// None when it holds no connector or too little around it to be told from other words.
fn core_of(name: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = name.chars().collect();
    let first = chars.iter().position(|c| CONNECTORS.contains(c))?;
    // The place name ends at the last administrative suffix before the first connector.
    let start = chars[..first]
        .iter()
        .rposition(|c| matches!(c, '省' | '市' | '区' | '县' | '旗' | '州' | '盟'))
        .map_or(0, |k| k + 1);
    let parts: Vec<String> = chars[start..]
        .split(|c| CONNECTORS.contains(c))
        .map(|p| p.iter().collect())
        .collect();
    // Each side long enough to be a name's part: 工业 / 信息化局, 规划 / 自然资源局.
    if parts.len() < 2 || parts.iter().any(|p| p.chars().count() < 2) {
        return None;
    }
    Some(parts)
}

/// The pattern of every form of the core: its parts joined by any connector.
fn pattern_of(parts: &[String]) -> Regex {
    let joined = parts
        .iter()
        .map(|p| regex::escape(p))
        .collect::<Vec<_>>()
        .join("[和与及暨]");
    Regex::new(&joined).expect("escaped parts make a valid pattern")
}

struct Seen {
    count: usize,
    first: Evidence,
}

pub fn run(c: &mut Checker) {
    let (Some(doc), Some(name)) = (c.doc, c.ex.meta.department.as_deref()) else {
        return;
    };
    let Some(parts) = core_of(name) else { return };
    let re = pattern_of(&parts);
    let chars: Vec<char> = doc.text.chars().collect();
    let mut forms: BTreeMap<String, Seen> = BTreeMap::new();
    let mut note = |text: &str, span: Span| {
        for m in re.find_iter(text) {
            let ev = Evidence::in_text(&chars, text, span, m.range());
            forms
                .entry(m.as_str().to_string())
                .and_modify(|s| s.count += 1)
                .or_insert(Seen {
                    count: 1,
                    first: ev,
                });
        }
    };
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => note(&p.text, p.span),
            Block::Table(t) => {
                for cell in t.rows.iter().flat_map(|r| &r.cells) {
                    note(&cell.text, cell.span);
                }
            }
        }
    }
    if forms.len() < 2 {
        return;
    }
    // The form written most often is the name; ties go to the form of the report's own name.
    let main = forms
        .iter()
        .max_by_key(|(f, s)| (s.count, name.contains(f.as_str())))
        .map(|(f, _)| f.clone())
        .expect("two forms at least");
    let main_count = forms[&main].count;
    for (form, seen) in forms.into_iter().filter(|(f, _)| *f != main) {
        c.fail_with(
            CODE,
            Severity::Notice,
            format!(
                "单位名称写法不一：此处写作“{form}”（{} 处），其余 {main_count} 处写作“{main}” / the department's name is written “{form}” here ({}×) and “{main}” {main_count}× elsewhere",
                seen.count, seen.count
            ),
            None,
            vec![seen.first],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cores_and_their_forms() {
        let core = |n: &str| core_of(n).map(|p| p.join("|"));
        assert_eq!(
            core("上海市普陀区规划和自然资源局").as_deref(),
            Some("规划|自然资源局")
        );
        assert_eq!(
            core("怀化市工业和信息化局").as_deref(),
            Some("工业|信息化局")
        );
        assert_eq!(
            core("北京市人力资源和社会保障局").as_deref(),
            Some("人力资源|社会保障局")
        );
        // No connector, or a side too short to be a name's part.
        assert_eq!(core("上海市普陀区财政局"), None);
        assert_eq!(core("某市和局"), None);
        let re = pattern_of(&core_of("上海市普陀区规划和自然资源局").unwrap());
        for form in ["规划和自然资源局", "规划与自然资源局", "规划及自然资源局"]
        {
            assert!(re.is_match(form), "{form}");
        }
        // The official short form, a list, abbreviations.
        for other in [
            "规划自然资源局",
            "规划、自然资源局",
            "规划资源局",
            "区规划局",
        ] {
            assert!(!re.is_match(other), "{other}");
        }
    }
}
