//! The one writer of findings and of the ledger of relations tested (run, passed, failed).

use std::collections::HashSet;

use rust_decimal::Decimal;

use super::facts::Facts;
use super::interval::Iv;
use super::registry::name_of;
use crate::extract::{Extraction, Figure, FigureId};
use crate::model::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Wording a reviewer would fix (a doubled 。, an unfilled template phrase): certain, but
    /// no figure is wrong because of it.
    Notice,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        }
    }
}

/// How sure the tool is of a finding. Errors are sure; a warning is either a real but
/// minor discrepancy (rounding: a truncated rate, a one-cent sum) or a possible one the
/// reading cannot settle (two unrelated values each stated once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confidence {
    Sure,
    Likely,
    Unsure,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Sure => "sure",
            Confidence::Likely => "likely",
            Confidence::Unsure => "unsure",
        }
    }
}

/// A place a finding rests on: the figure's span and its sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub span: Span,
    pub context: (usize, usize),
    pub value: String,
    /// The figure, when the evidence is one.
    pub figure: Option<FigureId>,
}

impl Evidence {
    pub fn of(f: &Figure, id: FigureId) -> Self {
        Evidence {
            span: f.span,
            context: f.context,
            value: f.value.clone(),
            figure: Some(id),
        }
    }

    /// The words at `bytes` of a block's `text` (a paragraph or a cell standing at `span`),
    /// quoted with their sentence from `chars`, the document's text: the evidence of checks
    /// that read wording rather than figures.
    pub fn in_text(chars: &[char], text: &str, span: Span, bytes: std::ops::Range<usize>) -> Self {
        let start = span.start + text[..bytes.start].chars().count();
        let end = start + text[bytes.clone()].chars().count();
        Evidence {
            span: Span {
                start,
                end,
                line: span.line + text[..bytes.start].matches('\n').count(),
                page: span.page,
            },
            context: sentence_around(chars, start, end),
            value: text[bytes].to_string(),
            figure: None,
        }
    }
}

/// The sentence (between sentence marks or line breaks) around a character range.
pub fn sentence_around(chars: &[char], a: usize, b: usize) -> (usize, usize) {
    let stop = |c: &char| matches!(c, '。' | '！' | '？' | '\n');
    let start = chars[..a.min(chars.len())]
        .iter()
        .rposition(stop)
        .map_or(0, |k| k + 1);
    let end = chars[b.min(chars.len())..]
        .iter()
        .position(stop)
        .map_or(chars.len(), |k| b + k + 1);
    (start, end.min(chars.len()))
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub confidence: Confidence,
    pub message: String,
    pub arithmetic: Option<String>,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub run: usize,
    pub passed: usize,
    pub failed: usize,
    /// The figures of every relation checked, passed or failed: what the report states
    /// about its own figures.
    pub relations: Vec<Vec<FigureId>>,
    /// Whether each of `relations` held.
    pub held: Vec<bool>,
    /// What the checks could not decide and a reviewer may want to look into (a key stated
    /// with many values: a reading to investigate, not conflicts to report).
    pub notes: Vec<String>,
}

/// What the checks read (the extraction and the facts computed from it before any check)
/// and what they write (findings and the ledger), through one door.
pub struct Checker<'a> {
    pub ex: &'a Extraction,
    /// The document's text and blocks, for checks of its wording.
    pub doc: Option<&'a crate::model::Document>,
    pub facts: &'a Facts,
    out: Outcome,
    /// Relations already claimed, by sorted figure sets.
    claimed: HashSet<Vec<FigureId>>,
    /// Sums reported as failing, with the amount they are off by.
    slips: Vec<(Vec<FigureId>, Decimal)>,
}

impl<'a> Checker<'a> {
    pub fn new(ex: &'a Extraction, facts: &'a Facts) -> Self {
        Checker {
            ex,
            doc: None,
            facts,
            out: Outcome::default(),
            claimed: HashSet::new(),
            slips: Vec::new(),
        }
    }

    pub fn fig(&self, i: FigureId) -> &'a Figure {
        self.ex.fig(i)
    }

    pub fn iv(&self, i: FigureId) -> Iv {
        Iv::of(self.fig(i))
    }

    /// The interval of the sum of some figures.
    pub fn sum_iv(&self, figs: &[FigureId]) -> Iv {
        figs.iter()
            .fold(Iv::exact(Decimal::ZERO), |acc, &p| acc.plus(self.iv(p)))
    }

    /// The exact sum of some figures as written (money in 万元).
    pub fn sum_written(&self, figs: &[FigureId]) -> Decimal {
        figs.iter().map(|&p| self.fig(p).amount()).sum()
    }

    /// Claims a relation over these figures for the calling check. A relation (a set of
    /// figures) is tested once, by the first pass in run order that claims it: a relation
    /// stated twice counts once, and no two checks report one relation.
    pub fn claim(&mut self, figs: &[FigureId]) -> bool {
        let mut v = figs.to_vec();
        v.sort_unstable();
        self.claimed.insert(v)
    }

    /// Whether a failing sum is a slip already reported: it shares a figure (one wrong cell
    /// breaks its row and its column) or a row with a reported sum that is off by the same
    /// amount.
    /// Records it otherwise.
    pub fn same_slip(&mut self, figs: &[FigureId], off: Decimal) -> bool {
        let off = off.abs();
        // Sharing a figure, or a row: one missing item breaks every column of its total row
        // by the same amount.
        let rows: Vec<(usize, usize)> = figs.iter().map(|&i| self.fig(i).context).collect();
        let sharing: Vec<Decimal> = self
            .slips
            .iter()
            .filter(|(f, o)| {
                // Or an item missing from every table that lists it: off by the same amount,
                // with an amount in common (行政运行 22431.07 in the 支出表 and the text).
                let common = || {
                    f.iter().any(|&x| {
                        figs.iter().any(|&y| {
                            let (a, b) = (self.fig(x), self.fig(y));
                            !b.dec.is_zero() && a.amount() == b.amount()
                        })
                    })
                };
                f.iter().any(|x| figs.contains(x))
                    || *o == off
                        && (f.iter().any(|&x| rows.contains(&self.fig(x).context)) || common())
            })
            .map(|(_, o)| *o)
            .collect();
        // Off by one reported slip, or by the reported slips it contains together (a 款 row
        // over two 项 rows that each lost an amount).
        let seen = sharing.contains(&off)
            || sharing.len() > 1 && sharing.iter().copied().sum::<Decimal>() == off;
        if !seen {
            self.slips.push((figs.to_vec(), off));
        }
        seen
    }

    /// Whether a figure of the relation is stated with two values (a D001 conflict).
    pub fn involves_conflict(&self, figs: &[FigureId]) -> bool {
        figs.iter().any(|i| self.facts.conflicted.contains(i))
    }

    pub fn pass(&mut self, figs: &[FigureId]) {
        self.out.run += 1;
        self.out.passed += 1;
        self.out.relations.push(figs.to_vec());
        self.out.held.push(true);
    }

    /// A failed relation already reported through a conflict it involves.
    pub fn fail_silently(&mut self, figs: &[FigureId]) {
        self.out.run += 1;
        self.out.failed += 1;
        self.out.relations.push(figs.to_vec());
        self.out.held.push(false);
    }

    /// A failed relation over figures, reported.
    pub fn fail(
        &mut self,
        code: &'static str,
        severity: Severity,
        message: String,
        arithmetic: Option<String>,
        figs: &[FigureId],
    ) {
        let evidence = figs.iter().map(|&i| Evidence::of(self.fig(i), i)).collect();
        self.fail_with(code, severity, message, arithmetic, evidence);
        self.out.relations.push(figs.to_vec());
        self.out.held.push(false);
    }

    /// A failed relation the reading cannot settle: a warning, marked unsure.
    pub fn fail_unsure(
        &mut self,
        code: &'static str,
        message: String,
        arithmetic: Option<String>,
        figs: &[FigureId],
    ) {
        self.fail(code, Severity::Warning, message, arithmetic, figs);
        if let Some(f) = self.out.findings.last_mut() {
            f.confidence = Confidence::Unsure;
        }
    }

    /// A failed claim whose evidence is not a figure (a count).
    pub fn fail_with(
        &mut self,
        code: &'static str,
        severity: Severity,
        message: String,
        arithmetic: Option<String>,
        evidence: Vec<Evidence>,
    ) {
        self.out.run += 1;
        self.out.failed += 1;
        let confidence = match severity {
            Severity::Error | Severity::Notice => Confidence::Sure,
            Severity::Warning => Confidence::Likely,
        };
        self.out.findings.push(Finding {
            code,
            name: name_of(code),
            severity,
            confidence,
            message,
            arithmetic,
            evidence,
        });
    }

    /// Something the checks could not decide, for the record's problems.
    pub fn note(&mut self, text: String) {
        self.out.notes.push(text);
    }

    /// A claim that holds and rests on no figure (a count).
    pub fn pass_unrelated(&mut self) {
        self.out.run += 1;
        self.out.passed += 1;
    }

    /// The findings in document order (then by code).
    pub fn finish(self) -> Outcome {
        let mut o = self.out;
        o.findings.sort_by(|a, b| {
            let la = a.evidence.first().map(|e| e.span.start).unwrap_or(0);
            let lb = b.evidence.first().map(|e| e.span.start).unwrap_or(0);
            la.cmp(&lb).then(a.code.cmp(b.code))
        });
        o
    }
}
