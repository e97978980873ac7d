//! The parts of a disclosure: which of the tables and narrative sections the templates ask
//! for (`patterns/parts.toml`) a report holds, which its 目录 lists, and which a note says
//! are empty. What is missing is judged by check C001; here only what is there.
//!
//! A table is found by its title on a short line of the body (a heading or caption, never a
//! sentence that mentions it, never the 目录); a section by its words in a narrative
//! paragraph (never a table's caption, so that a tables-only attachment holds no sections).

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::types::{LogicalTable, Part};
use crate::model::{Block, Document, Span};

/// The embedded parts file.
pub const PARTS_TOML: &str = include_str!("../../patterns/parts.toml");

/// A title longer than this is a sentence, not a heading or a caption.
const TITLE_MAX: usize = 80;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    part: Vec<RawSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    id: String,
    name: String,
    what: String,
    #[serde(default = "yes")]
    required: bool,
    kinds: Vec<String>,
    title: String,
    unless: Option<String>,
    empty: Option<String>,
    covered_by: Option<String>,
    since: Option<i32>,
    examples: Vec<String>,
    counter_examples: Vec<String>,
}

fn yes() -> bool {
    true
}

/// One entry of `patterns/parts.toml`.
#[derive(Debug)]
pub struct Spec {
    pub id: String,
    pub name: String,
    /// A table (else a narrative section).
    pub table: bool,
    /// Required of the `kinds` (else listed when present).
    pub required: bool,
    pub kinds: Vec<String>,
    title: Regex,
    unless: Option<Regex>,
    empty: Option<Regex>,
    /// A table whose presence covers this section.
    pub covered_by: Option<String>,
    /// The first report year that must hold it.
    pub since: Option<i32>,
    pub examples: Vec<String>,
    pub counter_examples: Vec<String>,
}

impl Spec {
    /// Whether a line names this part.
    pub fn names(&self, line: &str) -> bool {
        self.title.is_match(line) && !self.unless.as_ref().is_some_and(|u| u.is_match(line))
    }

    /// Whether the part applies to a report of `kind` and `year`.
    pub fn applies(&self, kind: Option<&str>, year: Option<i32>) -> bool {
        kind.is_some_and(|k| self.kinds.iter().any(|x| x == k))
            && self.since.is_none_or(|s| year.is_none_or(|y| y >= s))
    }
}

fn load(src: &str) -> Result<Vec<Spec>, String> {
    let file: File = toml::from_str(src).map_err(|e| format!("patterns/parts.toml: {e}"))?;
    let rx = |id: &str, r: &str| {
        Regex::new(r).map_err(|e| format!("patterns/parts.toml: part {id}: {e}"))
    };
    file.part
        .into_iter()
        .map(|p| {
            if !matches!(p.what.as_str(), "table" | "section") {
                return Err(format!(
                    "patterns/parts.toml: part {}: what must be table or section",
                    p.id
                ));
            }
            Ok(Spec {
                title: rx(&p.id, &p.title)?,
                unless: p.unless.as_deref().map(|r| rx(&p.id, r)).transpose()?,
                empty: p.empty.as_deref().map(|r| rx(&p.id, r)).transpose()?,
                table: p.what == "table",
                covered_by: p.covered_by,
                since: p.since,
                id: p.id,
                name: p.name,
                required: p.required,
                kinds: p.kinds,
                examples: p.examples,
                counter_examples: p.counter_examples,
            })
        })
        .collect()
}

/// The parts every report is read for (proved by a test, so this cannot fail).
pub static SPECS: LazyLock<Vec<Spec>> =
    LazyLock::new(|| load(PARTS_TOML).expect("patterns/parts.toml is valid (tested)"));

/// A line with whitespace removed: titles are spaced out in PDFs (收 支 总 表).
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A 目录 entry without its dot leader and page number.
fn toc_entry(s: &str) -> String {
    squeeze(s)
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end_matches(['.', '…', '·', '-', '—', '．'])
        .to_string()
}

/// The paragraphs (block indices) of the report's 目录: the entries after a line that starts
/// with 目录, up to the first line that is not an entry (a sentence, a table) or that repeats
/// an entry (the body begins with the first heading again). Where the first entries end in
/// page numbers, every entry must.
fn toc(blocks: &[Block]) -> (Vec<usize>, Option<String>) {
    let Some(start) = blocks
        .iter()
        .take(120)
        .position(|b| matches!(b, Block::Paragraph(p) if squeeze(&p.text).starts_with("目录")))
    else {
        return (Vec::new(), None);
    };
    let Block::Paragraph(head) = &blocks[start] else {
        return (Vec::new(), None);
    };
    // "目 录一、文字部分": the first entry on the heading's line.
    let first = toc_entry(&squeeze(&head.text)["目录".len()..]);
    let mut seen: Vec<String> = vec![first.clone()];
    let mut out = Vec::new();
    let mut paged: Option<bool> = None;
    for (bi, b) in blocks.iter().enumerate().skip(start + 1).take(100) {
        let Block::Paragraph(p) = b else { break };
        let s = squeeze(&p.text);
        let entry = toc_entry(&s);
        let has_page = entry.len() < s.len();
        if entry.is_empty() {
            continue;
        }
        if entry.chars().count() > 60 || s.contains('。') || seen.contains(&entry) {
            break;
        }
        if out.len() == 3 && paged.is_none() {
            paged = Some(true);
        }
        match paged {
            Some(true) if !has_page => break,
            _ if out.len() < 3 && !has_page => paged = Some(false),
            _ => {}
        }
        seen.push(entry);
        out.push(bi);
    }
    (out, (!first.is_empty()).then_some(first))
}

/// The parts of `doc`, in the order of `patterns/parts.toml`.
pub fn find(doc: &Document, tables: &[LogicalTable]) -> Vec<Part> {
    let (toc_blocks, toc_head) = toc(&doc.blocks);
    let mut parts: Vec<Part> = Vec::new();
    let entry = |parts: &mut Vec<Part>, spec: &'static Spec, title: &str, span: Span| -> usize {
        if let Some(k) = parts.iter().position(|p| p.id == spec.id) {
            return k;
        }
        parts.push(Part {
            id: &spec.id,
            name: &spec.name,
            title: title.trim().to_string(),
            span,
            present: false,
            listed: false,
            empty_note: false,
        });
        parts.len() - 1
    };
    let specs: &'static [Spec] = &SPECS;
    let head_span = doc.blocks.iter().find_map(|b| match b {
        Block::Paragraph(p) if toc_head.is_some() && squeeze(&p.text).starts_with("目录") => {
            Some(p.span)
        }
        _ => None,
    });
    // The body's paragraphs (for notes, which wrap) and their lines (for titles: a reflowed
    // paragraph may join a caption to the lines under it).
    let mut paras: Vec<(String, Span)> = Vec::new();
    let mut lines: Vec<(String, String, Span)> = Vec::new();
    for (bi, b) in doc.blocks.iter().enumerate() {
        let Block::Paragraph(p) = b else { continue };
        if toc_blocks.contains(&bi) || head_span == Some(p.span) {
            continue;
        }
        paras.push((squeeze(&p.text), p.span));
        let mut at = p.span.start;
        for (i, l) in p.text.split('\n').enumerate() {
            let n = l.chars().count();
            let span = Span {
                start: at,
                end: at + n,
                line: p.span.line + i,
                page: p.span.page,
            };
            lines.push((squeeze(l), l.trim().to_string(), span));
            at += n + 1;
        }
    }
    for spec in specs {
        // The 目录.
        let listed = toc_head
            .iter()
            .map(|h| (h.as_str(), head_span.unwrap_or_default()))
            .chain(toc_blocks.iter().filter_map(|&bi| match &doc.blocks[bi] {
                Block::Paragraph(p) => Some((p.text.as_str(), p.span)),
                Block::Table(_) => None,
            }))
            .find(|(t, _)| spec.names(&toc_entry(t)));
        if let Some((t, span)) = listed {
            let k = entry(&mut parts, spec, t, span);
            parts[k].listed = true;
        }
        // The body: a heading or caption; for a section, else its words in a sentence.
        let note: Option<(String, Span)> = spec.empty.as_ref().and_then(|e| {
            paras
                .iter()
                .find(|(s, _)| e.is_match(s))
                .map(|(s, span)| (s.clone(), *span))
        });
        let names =
            |s: &str| spec.names(s) && (spec.table || !specs.iter().any(|t| t.table && t.names(s)));
        // A caption or heading is not a sentence (详见收入总表。).
        let sentence = |s: &str| s.contains(['。', '，', '；', '见']);
        // Every table title ends in 表: a cheap test before the patterns.
        let heading = |max: usize| {
            lines
                .iter()
                .find(|(s, _, _)| {
                    (!spec.table || s.contains('表'))
                        && s.chars().count() <= max
                        && (max == usize::MAX || !sentence(s))
                        && names(s)
                })
                .map(|(_, raw, span)| (raw.clone(), *span))
        };
        let mut title = if spec.table {
            heading(TITLE_MAX)
        } else {
            heading(40).or_else(|| heading(usize::MAX))
        };
        if title.is_none() && spec.table {
            title = tables.iter().find_map(|t| {
                let written = t.title.as_deref()?;
                spec.names(&squeeze(written)).then(|| {
                    let span = Span {
                        line: t.line,
                        page: t.page,
                        ..Span::default()
                    };
                    (written.to_string(), span)
                })
            });
        }
        let (present, empty_note) = (title.is_some(), note.is_some());
        if let Some((t, span)) = title.or(note) {
            let k = entry(&mut parts, spec, &t, span);
            let p = &mut parts[k];
            p.title = t.trim().to_string();
            p.span = span;
            p.present = present;
            p.empty_note = empty_note;
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Format, TextBuilder};

    #[test]
    fn every_part_fits_its_examples_and_not_its_counter_examples() {
        let specs = load(PARTS_TOML).expect("valid");
        assert!(specs.len() >= 16);
        for s in &specs {
            if let Some(t) = &s.covered_by {
                assert!(specs.iter().any(|x| &x.id == t && x.table), "{}: {t}", s.id);
            }
        }
        for s in &specs {
            assert!(
                !s.examples.is_empty() && !s.counter_examples.is_empty(),
                "{}",
                s.id
            );
            for e in &s.examples {
                assert!(s.names(&squeeze(e)), "{}: {e}", s.id);
            }
            for e in &s.counter_examples {
                assert!(!s.names(&squeeze(e)), "{}: {e}", s.id);
            }
        }
    }

    fn doc(lines: &[&str]) -> Document {
        let mut b = TextBuilder::new(Format::Txt);
        for l in lines {
            b.paragraph(l, None);
        }
        b.finish()
    }

    #[test]
    fn toc_titles_body_and_empty_notes() {
        let d = doc(&[
            "2026年某局部门预算",
            "目 录",
            "一、部门职责……1",
            "二、收支总表……3",
            "三、政府性基金预算支出表……4",
            "一、部门职责",
            "负责全市统计工作。",
            "二、收支总表",
            "三、政府性基金预算支出表",
            "本部门无政府性基金预算收支，故此表为空表。",
            "详见收入总表。",
        ]);
        let parts = find(&d, &[]);
        let get = |id: &str| parts.iter().find(|p| p.id == id);
        let total = get("table.income_expenditure").unwrap();
        assert!(total.present && total.listed);
        assert_eq!(total.span.line, 8);
        let fund = get("table.govfund").unwrap();
        assert!(fund.present && fund.empty_note && fund.listed);
        // A sentence that mentions a table is not the table.
        assert!(get("table.income").is_none());
        assert!(get("section.functions").unwrap().present);
    }

    #[test]
    fn a_part_only_the_toc_lists_is_listed_not_present() {
        let d = doc(&[
            "目录",
            "一、收支总表",
            "二、收入总表",
            "一、收支总表",
            "二、没有收入表的正文。",
        ]);
        let parts = find(&d, &[]);
        let income = parts.iter().find(|p| p.id == "table.income").unwrap();
        assert!(income.listed && !income.present);
        assert_eq!(income.span.line, 3);
    }
}
