//! C001 required-part-missing: a table or section the disclosure templates require
//! (`patterns/parts.toml`) that a report of that kind does not hold.
//!
//! Only judged where the report is the disclosure whose parts we can see: tables when the
//! body holds at least half of the required tables (a narrative published apart from its
//! tables, as Beijing does, is not missing them), sections when the body also holds at least
//! half of the required sections and the tables are held or listed (a tables-only attachment,
//! or a narrative whose tables are elsewhere, is not judged). A part counts as there when its
//! title heads a line of the body, a note says it is empty, or (a section) the table that
//! covers it is there. Titles are recognised in their regional variants. A table the
//! report's own 目录 lists and the body lacks is an error; a table required but neither listed
//! nor there, and a missing section, are warnings.

use crate::check::checker::{sentence_around, Checker, Evidence, Severity};
use crate::extract::parts::{Spec, SPECS};
use crate::extract::Part;
use crate::model::{Block, Span};

const CODE: &str = "C001";

pub fn run(c: &mut Checker) {
    let Some(doc) = c.doc else { return };
    let kind = c.ex.meta.kind.as_deref();
    let required: Vec<&Spec> = SPECS
        .iter()
        .filter(|s| s.required && s.applies(kind, c.ex.meta.year))
        .collect();
    if required.is_empty() {
        return;
    }
    let part = |id: &str| c.ex.parts.iter().find(|p| p.id == id);
    let there = |id: &str| part(id).is_some_and(|p| p.present || p.empty_note);
    let listed = |id: &str| part(id).is_some_and(|p| p.listed);
    let (tables, sections): (Vec<&Spec>, Vec<&Spec>) = required.iter().partition(|s| s.table);
    let held = tables.iter().filter(|s| there(&s.id)).count();
    let named = tables.iter().filter(|s| listed(&s.id)).count();
    let half = |n: usize, of: usize| of > 0 && n * 2 >= of;
    let mut missing: Vec<(&Spec, Severity, Option<&Part>)> = Vec::new();
    let mut judged = false;
    if half(held, tables.len()) {
        judged = true;
        for s in tables.iter().filter(|s| !there(&s.id)) {
            let entry = part(&s.id).filter(|p| p.listed);
            let sev = if entry.is_some() {
                Severity::Error
            } else {
                Severity::Warning
            };
            missing.push((s, sev, entry));
        }
    }
    let covered = |s: &Spec| {
        there(&s.id)
            || s.covered_by
                .as_deref()
                .is_some_and(|t| there(t) || listed(t))
    };
    let narrative = sections.iter().filter(|s| there(&s.id)).count();
    if (half(held, tables.len()) || half(named, tables.len())) && half(narrative, sections.len()) {
        judged = true;
        for s in sections.iter().filter(|s| !covered(s)) {
            missing.push((s, Severity::Warning, part(&s.id).filter(|p| p.listed)));
        }
    }
    if missing.is_empty() {
        if judged {
            c.pass_unrelated();
        }
        return;
    }
    let chars: Vec<char> = doc.text.chars().collect();
    // A part nowhere in the report is pointed at by the report's first line (its title).
    let first = doc.blocks.iter().find_map(|b| match b {
        Block::Paragraph(p) => Some((p.text.clone(), p.span)),
        Block::Table(_) => None,
    });
    let kind = kind.unwrap_or_default();
    for (s, sev, entry) in missing {
        let (value, span) = match entry {
            Some(p) => (p.title.clone(), p.span),
            None => first.clone().unwrap_or_default(),
        };
        let what = if s.table { "公开表" } else { "说明部分" };
        let why = match (s.table, entry.is_some()) {
            (true, true) => format!(
                "目录列有“{}”，正文中未见此表，也未见空表说明（本报告有{held}张必备公开表）",
                value.trim()
            ),
            (true, false) => format!(
                "{kind}应公开的{}未见：正文中无此表，也无空表说明（本报告有其余{held}张必备公开表）",
                s.name
            ),
            (false, _) => format!("{kind}应有的{}未见：正文中无相应标题或内容", s.name),
        };
        let ev = Evidence {
            span,
            context: if span == Span::default() {
                (0, 0)
            } else {
                sentence_around(&chars, span.start, span.end.max(span.start))
            },
            value: value.trim().to_string(),
            figure: None,
        };
        c.fail_with(
            CODE,
            sev,
            format!("缺少{what}“{}”：{why}", s.name),
            None,
            vec![ev],
        );
    }
}
