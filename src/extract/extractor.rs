//! The extraction state shared by the block handlers, and the one place figures are added.

use rust_decimal::Decimal;

use super::breakdown::ParaInfo;
use super::number::{unit, Unit, UnitClass};
use super::patterns::{Pattern, Patterns};
use super::section::Sections;
use super::segment::LazySegmenter;
use super::subject::Subject;
use super::types::{CellPos, Extraction, Figure, FigureId};
use super::vocab::{Direction, Fund, Phase};
use crate::model::Span;

pub(crate) struct Extractor<'a> {
    pub patterns: &'a Patterns,
    pub seg: LazySegmenter<'a>,
    pub out: Extraction,
    /// Phase set by the latest heading that names one (预算 / 决算), else by the report kind.
    pub section_phase: Option<Phase>,
    pub doc_phase: Option<Phase>,
    /// The unit a "单位：万元" line set for the tables that follow.
    pub unit_hint: Option<Unit>,
    /// How many amounts the document writes in 元, 千元, 万元, 亿元.
    money_units: [usize; 4],
    /// The document's text, for offsets into it.
    pub chars: Vec<char>,
    pub subject: Subject,
    pub sections: Sections,
    /// The paragraphs read so far, for the totals their enumerated children break down.
    pub paragraphs: Vec<ParaInfo>,
    /// A short line ending in 表 just before a table: its caption.
    pub caption: Option<String>,
    /// The block being read.
    pub block: usize,
}

/// A figure about to be added: what it is, where it stands, and whether a key may be looked
/// up for it.
pub(crate) struct FigureDraft {
    pub label: String,
    pub noun: String,
    pub value: String,
    pub dec: Decimal,
    pub unit: Unit,
    pub phase: Option<Phase>,
    pub fund: Option<Fund>,
    pub threshold: bool,
    pub direction: Option<Direction>,
    pub compared_to: Option<String>,
    pub year: Option<i32>,
    pub span: Span,
    pub context: (usize, usize),
    pub table: Option<CellPos>,
    pub within: Option<String>,
    pub keying: Keying,
}

/// Whether a figure may get a canonical key, and from what.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Keying {
    /// From its noun, or else from `fallback` (the label's own noun when the sentence's
    /// subject fits no pattern); when `confirm` is given, only a key that noun gives too.
    ByNoun {
        fallback: Option<String>,
        confirm: Option<String>,
    },
    /// Never: a target, an amount whose label says neither what nor which phase, a cell of
    /// an unlabelled column.
    Never,
}

impl<'a> Extractor<'a> {
    pub fn new(patterns: &'a Patterns, text: &str, out: Extraction) -> Self {
        let doc_phase = match out.meta.kind.as_deref() {
            Some(k) if k.contains("决算") => Some(Phase::Final),
            Some(k) if k.contains("预算") => Some(Phase::Budget),
            _ => None,
        };
        Extractor {
            patterns,
            seg: LazySegmenter::new(&patterns.dict),
            out,
            section_phase: None,
            doc_phase,
            unit_hint: None,
            money_units: [0; 4],
            chars: text.chars().collect(),
            subject: Subject::default(),
            sections: Sections::default(),
            paragraphs: Vec::new(),
            caption: None,
            block: 0,
        }
    }

    pub fn default_phase(&self) -> Option<Phase> {
        self.section_phase.or(self.doc_phase)
    }

    pub fn fig(&self, id: FigureId) -> &Figure {
        self.out.fig(id)
    }

    /// The id the next figure will get.
    pub fn next_id(&self) -> FigureId {
        FigureId(self.out.figures.len())
    }

    /// Ids of the figures added since `from`.
    pub fn since(&self, from: FigureId) -> impl DoubleEndedIterator<Item = FigureId> {
        (from.0..self.out.figures.len()).map(FigureId)
    }

    /// Characters `a..b` of the document's text.
    pub fn slice(&self, a: usize, b: usize) -> String {
        let n = self.chars.len();
        self.chars[a.min(n)..b.min(n).max(a.min(n))]
            .iter()
            .collect()
    }

    /// The line of a character offset inside a block that starts at `base`: paragraphs of
    /// text files may span lines.
    pub fn line_at(&self, start: usize, base: Span) -> usize {
        let extra = self.chars[base.start.min(self.chars.len())..start.min(self.chars.len())]
            .iter()
            .filter(|&&c| c == '\n')
            .count();
        base.line + extra
    }

    /// Adds a figure in the current section, with its key when its draft allows one, its
    /// section is the department's, and a pattern fits.
    pub fn push_figure(&mut self, mut f: FigureDraft) -> FigureId {
        // The department's own name in a sentence says no more than 本部门 does (in a
        // table it names a row among its units).
        if let Some(d) = self
            .out
            .meta
            .department
            .as_deref()
            .filter(|_| f.table.is_none())
        {
            f.noun = without_name(&f.noun, d);
        }
        let value_wan = (f.unit.class == UnitClass::Money).then(|| {
            let mut d = f.dec;
            let e = f.unit.wan_exp;
            let ten = Decimal::from(10);
            for _ in 0..e.unsigned_abs() {
                d = if e > 0 { d * ten } else { d / ten };
            }
            d
        });
        if let Some(k) = ["元", "千元", "万元", "亿元"]
            .iter()
            .position(|u| *u == f.unit.text)
        {
            self.money_units[k] += 1;
        }
        let section = self.sections.current().map(|h| h.text.clone());
        let scope = self.sections.scope().map(|h| h.text.clone());
        // A figure of a unit, a project or an item is not the department's quantity.
        let found = if scope.is_some() {
            None
        } else {
            self.key_of(&f)
        };
        let (key, pattern) = match found {
            Some(p) => (p.key().map(str::to_string), Some(p.id.clone())),
            None => (None, None),
        };
        self.out.figures.push(Figure {
            key,
            label: f.label,
            noun: f.noun,
            value: f.value,
            dec: f.dec,
            unit: f.unit.text.to_string(),
            class: f.unit.class,
            value_wan,
            phase: f.phase,
            fund: f.fund,
            threshold: f.threshold,
            direction: f.direction,
            compared_to: f.compared_to,
            year: f.year,
            span: f.span,
            context: f.context,
            block: self.block,
            table: f.table,
            section,
            scope,
            within: f.within,
            pattern,
            precision: 0,
        });
        FigureId(self.out.figures.len() - 1)
    }

    /// The pattern that keys a draft: none for a figure of another year, of last year, of a
    /// change or a target, or one its draft says must not be keyed.
    fn key_of(&self, f: &FigureDraft) -> Option<&'a Pattern> {
        let Keying::ByNoun { fallback, confirm } = &f.keying else {
            return None;
        };
        let other_year = match (f.year, self.out.meta.year) {
            (Some(y), Some(r)) => y != r,
            _ => false,
        };
        let change_word = ["增加", "减少", "增长", "下降"]
            .iter()
            .any(|w| f.noun.contains(w));
        if f.threshold
            || f.direction.is_some()
            || other_year
            || f.phase == Some(Phase::Prior)
            || change_word
        {
            return None;
        }
        // A table column headed only 预算数 may hold the initial or the adjusted budget, so
        // it keys only figures whose patterns do not tell those two apart (三公经费预算).
        let bare_budget = f.table.is_some() && f.phase == Some(Phase::Budget);
        let stage_free = |p: &&Pattern| {
            !bare_budget
                || p.phase.contains(&Some(Phase::Total)) && p.phase.contains(&Some(Phase::Initial))
        };
        let patterns = self.patterns;
        let found = patterns
            .key_for(&f.label, &f.noun, f.unit.class, f.phase)
            .filter(stage_free)
            .or_else(|| {
                fallback.as_ref().and_then(|n| {
                    patterns
                        .key_for(&f.label, n, f.unit.class, f.phase)
                        .filter(stage_free)
                })
            })?;
        match confirm {
            Some(n) => {
                let again = patterns.key_for(&f.label, n, f.unit.class, f.phase)?;
                (again.key() == found.key()).then_some(found)
            }
            None => Some(found),
        }
    }

    /// The unit of money the document mostly writes, for table columns that say none.
    pub fn dominant_money(&self, col: &str, row: Option<&str>) -> Option<Unit> {
        let money_words = [
            "预算", "决算", "支出", "收入", "经费", "资金", "金额", "拨款",
        ];
        let ctx = format!("{col}{}", row.unwrap_or(""));
        if !money_words.iter().any(|w| ctx.contains(w)) {
            return None;
        }
        let (k, n) = self
            .money_units
            .iter()
            .enumerate()
            .max_by_key(|(_, n)| **n)?;
        if *n == 0 {
            return None;
        }
        unit(["元", "千元", "万元", "亿元"][k])
    }

    /// Each amount's precision is that of the most precise amount among its peers (its
    /// sentence, or its table column); rates are listed once, in order.
    pub fn finish(mut self) -> Extraction {
        let mut best: std::collections::HashMap<(usize, usize, usize), u32> = Default::default();
        let peer = |f: &Figure| match f.table {
            Some(c) => (1, c.table, c.column),
            None => (0, f.context.0, f.context.1),
        };
        for f in &self.out.figures {
            if f.class == UnitClass::Money {
                let e = best.entry(peer(f)).or_default();
                *e = (*e).max(f.decimals());
            }
        }
        for f in &mut self.out.figures {
            f.precision = f.decimals();
            if f.class == UnitClass::Money {
                f.precision = f.precision.max(best.get(&peer(f)).copied().unwrap_or(0));
            }
        }
        self.out.rates.sort_by_key(|r| r.figure);
        self.out.rates.dedup_by_key(|r| r.figure);
        self.out
    }
}

/// A noun without the department's name, in full or without its place (江苏省高级人民法院,
/// 高级人民法院), unless nothing else is left.
fn without_name(noun: &str, department: &str) -> String {
    let short = department
        .rfind(['省', '市', '区', '县'])
        .map(|i| &department[i + '省'.len_utf8()..])
        .filter(|s| s.chars().count() >= 3);
    let mut n = noun.to_string();
    for name in std::iter::once(department).chain(short) {
        if name.chars().count() >= 3 && n.contains(name) {
            let rest = n.replacen(name, "", 1);
            if !rest.is_empty() {
                n = rest;
            }
        }
    }
    n
}
