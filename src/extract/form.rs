//! Forms written one cell per line (Word's table export, forms copied from a PDF): a label
//! line, then its value line; or a run of column labels, a row label and its values.

use super::extractor::{Extractor, FigureDraft, Keying};
use super::number::{parse_cell, unit, Unit, UnitClass};
use super::types::Rate;
use super::vocab::{fund_of, noun_of, phase_of, unit_in};
use crate::model::{Block, Span};

/// The labels read so far and where the values are.
#[derive(Debug, Default)]
pub struct FormState {
    labels: Vec<String>,
    columns: Vec<String>,
    row: Option<String>,
    in_values: bool,
    slot: usize,
    group_unit: Option<Unit>,
}

/// A line that holds only a value: blank, "/", or a number.
fn is_value(t: &str) -> bool {
    t.is_empty() || t == "/" || parse_cell(t).is_some()
}

impl FormState {
    /// Whether a line is a value cell of the form being read: its number is then the form's,
    /// labelled by the form, and the line is not read as a sentence.
    pub fn claims(&self, text: &str) -> bool {
        is_value(text.trim()) && (self.row.is_some() || !self.labels.is_empty())
    }
}

impl Extractor<'_> {
    /// Updates the form state with one line; a value line under known labels becomes a
    /// figure. `found` says whether reading the line as a sentence found figures.
    pub fn form_line(
        &mut self,
        st: &mut FormState,
        here: &[Block],
        text: &str,
        span: Span,
        found: bool,
    ) {
        let t = text.trim();
        if !is_value(t) {
            if found {
                *st = FormState::default();
                return;
            }
            let label_like = t.chars().count() <= 30 && !t.ends_with('。');
            if st.in_values {
                st.labels.clear();
                st.in_values = false;
                st.slot = 0;
            }
            if label_like {
                st.labels.push(t.to_string());
            } else {
                *st = FormState::default();
            }
            return;
        }
        if !st.in_values {
            start_values(st, here);
        }
        let slot = st.slot;
        st.slot += 1;
        let Some((v, d, pct)) = parse_cell(t) else {
            return;
        };
        let Some(row) = st.row.clone() else { return };
        if found {
            return;
        }
        let label = if st.columns.is_empty() {
            if slot > 0 {
                return;
            }
            row.clone()
        } else {
            let c = st.columns.get(slot).cloned().unwrap_or_default();
            if c.is_empty() {
                row.clone()
            } else {
                format!("{row}/{c}")
            }
        };
        let u = if pct {
            unit("%")
        } else {
            form_unit(st, &label)
        };
        let Some(u) = u else { return };
        let col_text = label.rsplit('/').next().unwrap_or("").to_string();
        let phase = phase_of(&col_text).or_else(|| phase_of(&row));
        let lead = text.chars().count() - text.trim_start().chars().count();
        let fund = fund_of(&label).or_else(|| self.sections.fund());
        let id = self.push_figure(FigureDraft {
            noun: noun_of(&label),
            label,
            value: v,
            dec: d,
            unit: u,
            phase,
            fund,
            threshold: false,
            direction: None,
            compared_to: None,
            year: None,
            span: Span {
                start: span.start + lead,
                end: span.start + lead + t.chars().count(),
                line: span.line,
                page: span.page,
            },
            context: (span.start, span.end),
            table: None,
            within: None,
            keying: Keying::ByNoun {
                fallback: None,
                confirm: None,
            },
        });
        if u.class == UnitClass::Percent {
            self.out.rates.push(Rate {
                figure: id,
                operands: Vec::new(),
            });
        }
    }
}

/// The first value line after labels: the last label names the row, those before it the
/// columns (a leading group label such as "年度预算数(万元)" spans the columns below it).
fn start_values(st: &mut FormState, here: &[Block]) {
    st.in_values = true;
    st.slot = 0;
    // How many value lines follow, this one included.
    let run = here
        .iter()
        .take_while(|b| match b {
            Block::Paragraph(p) => is_value(p.text.trim()),
            _ => false,
        })
        .count();
    if let Some(row) = st.labels.pop() {
        st.row = Some(row);
        if !st.labels.is_empty() {
            let mut cols = std::mem::take(&mut st.labels);
            while cols.len() > run && cols.first().is_some_and(|c| unit_in(c).is_some()) {
                st.group_unit = unit_in(&cols[0]);
                cols.remove(0);
            }
            st.columns = cols;
        } else if run <= 1 {
            st.columns.clear();
        }
    }
}

/// A form value's unit: from its labels, else from its noun (headcounts and scores carry
/// their unit in the noun).
fn form_unit(st: &FormState, label: &str) -> Option<Unit> {
    unit_in(label)
        .or_else(|| st.columns.iter().find_map(|c| unit_in(c)))
        .or(st.group_unit)
        .or_else(|| {
            let n = noun_of(label);
            if n.contains("编制") || n.contains("人数") || n.contains("在职") {
                unit("人")
            } else if n.ends_with("得分") {
                unit("分")
            } else {
                None
            }
        })
}
