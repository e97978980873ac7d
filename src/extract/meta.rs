//! Title, department, year and kind of a report, from its opening lines.

use std::sync::LazyLock;

use regex::Regex;

use super::patterns::Patterns;
use super::types::Meta;
use super::vocab::YEAR;
use crate::model::Document;

/// The first of the opening lines (one to three joined) that a `kind` pattern recognises is
/// the title; the year and department are read from it.
pub fn meta(doc: &Document, patterns: &Patterns) -> Meta {
    let paras: Vec<&str> = doc
        .paragraphs()
        .map(|p| p.text.trim())
        .filter(|t| !t.is_empty())
        .take(20)
        .collect();
    let mut m = Meta::default();
    let kinds: Vec<_> = patterns.family("kind").collect();
    'outer: for i in 0..paras.len() {
        for w in 1..=3 {
            if i + w > paras.len() {
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
    if let Some(t) = &m.title {
        static Y: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(19|20)\d\d").unwrap());
        m.year = Y.find(t).and_then(|y| y.as_str().parse().ok());
        for p in patterns.family("department") {
            if let Some(c) = p.regex.as_ref().and_then(|r| r.captures(t)) {
                if let Some(d) = c.name("dept") {
                    m.department = Some(d.as_str().to_string());
                    break;
                }
            }
        }
    }
    if m.department.is_none() {
        static NAME: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?:部门|单位|部门（单位）|部门\(单位\))名称\s*[：:]\s*(\S+)").unwrap()
        });
        m.department = paras
            .iter()
            .find_map(|p| NAME.captures(p).map(|c| c[1].to_string()));
    }
    m
}
