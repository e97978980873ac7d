//! Cross-checks: pure functions of a document's extracted figures. Each check has a code, a
//! name that says what it flags, and a doc (`reportlint explain CODE`); the registry is
//! [`CHECKS`].
//!
//! Rounding is by intervals ([`interval`]): no fixed money tolerance.

pub mod interval;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::extract::number::UnitClass;
use crate::extract::{Extraction, Figure, GroupSource};
use crate::model::{Document, Span};
use interval::{show, Iv};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
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
    pub figure: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
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
    pub relations: Vec<Vec<usize>>,
}

/// A check's entry in the registry.
pub struct CheckInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub doc: &'static str,
}

/// The registry: one row per check. `explain` prints the doc; tests prove each code has a
/// fixture and that the docs have their headings.
pub const CHECKS: &[CheckInfo] = &[
    CheckInfo {
        code: "D001",
        name: "figure-stated-twice",
        doc: include_str!("docs/D001.md"),
    },
    CheckInfo {
        code: "D002",
        name: "item-stated-twice",
        doc: include_str!("docs/D002.md"),
    },
    CheckInfo {
        code: "S001",
        name: "parts-do-not-sum-to-total",
        doc: include_str!("docs/S001.md"),
    },
    CheckInfo {
        code: "S002",
        name: "table-total-mismatch",
        doc: include_str!("docs/S002.md"),
    },
    CheckInfo {
        code: "S003",
        name: "score-total-mismatch",
        doc: include_str!("docs/S003.md"),
    },
    CheckInfo {
        code: "I001",
        name: "identity-broken",
        doc: include_str!("docs/I001.md"),
    },
    CheckInfo {
        code: "R001",
        name: "rate-not-ratio-of-figures",
        doc: include_str!("docs/R001.md"),
    },
    CheckInfo {
        code: "R002",
        name: "rate-on-wrong-base",
        doc: include_str!("docs/R002.md"),
    },
    CheckInfo {
        code: "R003",
        name: "change-claim-mismatch",
        doc: include_str!("docs/R003.md"),
    },
    CheckInfo {
        code: "N001",
        name: "count-differs-from-list",
        doc: include_str!("docs/N001.md"),
    },
];

pub fn info(code: &str) -> Option<&'static CheckInfo> {
    CHECKS.iter().find(|c| c.code.eq_ignore_ascii_case(code))
}

fn name_of(code: &'static str) -> &'static str {
    info(code).map(|c| c.name).unwrap_or("")
}

struct Run<'a> {
    ex: &'a Extraction,
    out: Outcome,
    /// Figures already shown to conflict: later checks do not report them again.
    conflicted: HashSet<usize>,
    /// For a figure stated with two values: one figure of each value its key is stated with.
    rivals: HashMap<usize, Vec<usize>>,
    /// Consensus value per key (the value most figures state).
    consensus: BTreeMap<String, usize>,
    /// Relations already checked, by sorted figure sets, so a relation stated twice counts once.
    seen: HashSet<Vec<usize>>,
}

/// Runs every check on one document.
pub fn run(_doc: &Document, ex: &Extraction) -> Outcome {
    let mut r = Run {
        ex,
        out: Outcome::default(),
        conflicted: HashSet::new(),
        rivals: HashMap::new(),
        consensus: BTreeMap::new(),
        seen: HashSet::new(),
    };
    r.stated_twice();
    r.item_twice();
    r.groups();
    r.rates();
    r.changes();
    r.identities();
    r.counts();
    let mut o = r.out;
    o.findings.sort_by(|a, b| {
        let la = a.evidence.first().map(|e| e.span.start).unwrap_or(0);
        let lb = b.evidence.first().map(|e| e.span.start).unwrap_or(0);
        la.cmp(&lb).then(a.code.cmp(b.code))
    });
    o
}

fn ev(f: &Figure, i: usize) -> Evidence {
    Evidence {
        span: f.span,
        context: f.context,
        value: f.value.clone(),
        figure: Some(i),
    }
}

fn unit_word(f: &Figure) -> &str {
    match f.class {
        UnitClass::Percent => "%",
        UnitClass::Money => "万元",
        _ => f.unit.as_str(),
    }
}

/// A figure's value in the unit checks compare in (万元 for money).
fn shown(f: &Figure) -> String {
    match (f.class, f.value_wan) {
        (UnitClass::Money, Some(w)) if f.unit != "万元" => {
            format!("{}{}（{}万元）", f.value, f.unit, w.normalize())
        }
        _ => format!("{}{}", f.value, f.unit),
    }
}

impl<'a> Run<'a> {
    fn fig(&self, i: usize) -> &'a Figure {
        &self.ex.figures[i]
    }

    fn pass(&mut self, figs: &[usize]) {
        self.out.run += 1;
        self.out.passed += 1;
        self.out.relations.push(figs.to_vec());
    }

    /// A failed relation already reported through a conflict it involves.
    fn fail_silently(&mut self, figs: &[usize]) {
        self.out.run += 1;
        self.out.failed += 1;
        self.out.relations.push(figs.to_vec());
    }

    fn fail(
        &mut self,
        code: &'static str,
        severity: Severity,
        message: String,
        arithmetic: Option<String>,
        figs: &[usize],
    ) {
        self.out.run += 1;
        self.out.failed += 1;
        self.out.relations.push(figs.to_vec());
        let evidence = figs.iter().map(|&i| ev(self.fig(i), i)).collect();
        self.out.findings.push(Finding {
            code,
            name: name_of(code),
            severity,
            message,
            arithmetic,
            evidence,
        });
    }

    /// Whether a relation over these figures was already checked (stated twice counts once).
    fn first_time(&mut self, figs: &[usize]) -> bool {
        let mut vals: Vec<usize> = figs.to_vec();
        vals.sort_unstable();
        self.seen.insert(vals)
    }

    fn involves_conflict(&self, figs: &[usize]) -> bool {
        figs.iter().any(|i| self.conflicted.contains(i))
    }

    /// D001: one key, two values that cannot both be true.
    fn stated_twice(&mut self) {
        let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, f) in self.ex.figures.iter().enumerate() {
            if let Some(k) = &f.key {
                // Execution and completion rates are stated per item as well as for the whole
                // department: two values are not a contradiction.
                if k == "rate.completion" || k == "rate.execution" {
                    continue;
                }
                by_key.entry(k.as_str()).or_default().push(i);
            }
        }
        for (key, idx) in by_key {
            // Cluster by overlapping intervals; the largest cluster is the consensus.
            let mut clusters = self.clusters(&idx);
            clusters.sort_by_key(|c| std::cmp::Reverse(c.len()));
            let main = clusters[0].clone();
            // The most precise statement of the consensus stands for the key.
            let best = *main
                .iter()
                .max_by_key(|&&i| self.fig(i).decimals())
                .unwrap();
            self.consensus.insert(key.to_string(), best);
            if idx.len() < 2 {
                continue;
            }
            if clusters.len() == 1 {
                self.pass(&idx);
                continue;
            }
            for other in &clusters[1..] {
                let odd = other[0];
                let a = self.fig(main[0]);
                let b = self.fig(odd);
                let label = key_name(key);
                let msg = if main.len() > 1 {
                    format!(
                        "{label}在{}处写作{}，此处写作{}，不一致",
                        main.len(),
                        shown(a),
                        shown(b)
                    )
                } else {
                    format!(
                        "{label}一处写作{}，另一处写作{}，不一致",
                        shown(a),
                        shown(b)
                    )
                };
                let arith = format!(
                    "{} ≠ {}",
                    a.value_wan.unwrap_or(a.dec).normalize(),
                    b.value_wan.unwrap_or(b.dec).normalize()
                );
                for &o in other {
                    self.conflicted.insert(o);
                }
                if main.len() == 1 {
                    self.conflicted.insert(main[0]);
                }
                self.fail("D001", Severity::Error, msg, Some(arith), &[odd, main[0]]);
            }
            let heads: Vec<usize> = clusters.iter().map(|c| c[0]).collect();
            for c in &clusters {
                for &i in c {
                    if self.conflicted.contains(&i) {
                        self.rivals.insert(i, heads.clone());
                    }
                }
            }
        }
    }

    /// Every reading of a relation's figures when some are stated with two values: each such
    /// figure may take any of its values. None when there are too many to try.
    fn readings(&self, figs: &[usize]) -> Option<Vec<Vec<usize>>> {
        let choices: Vec<Vec<usize>> = figs
            .iter()
            .map(|&f| self.rivals.get(&f).cloned().unwrap_or_else(|| vec![f]))
            .collect();
        choices_product(&choices)
    }

    /// The interval of the sum of some figures.
    fn sum_iv(&self, figs: &[usize]) -> Iv {
        figs.iter().fold(Iv::exact(Decimal::ZERO), |acc, &p| {
            acc.plus(Iv::of(self.fig(p)))
        })
    }

    /// A relation among conflicted figures is reported only when no reading of them holds:
    /// then it fails whichever of the stated values is true.
    fn fails_every_reading(&self, figs: &[usize], holds: impl Fn(&[usize]) -> bool) -> bool {
        self.readings(figs)
            .is_some_and(|rs| rs.iter().all(|r| !holds(r)))
    }

    /// D002: an item without a canonical key (卫生健康支出, a project) whose amount the text
    /// states differently from a table or from another sentence.
    fn item_twice(&mut self) {
        let ex = self.ex;
        let item = |f: &Figure| {
            f.key.is_none()
                && f.class == UnitClass::Money
                && f.noun.chars().count() >= 4
                && !f.noun.chars().any(|c| c.is_ascii_digit())
                && ["支出", "收入", "经费", "费", "资金"]
                    .iter()
                    .any(|w| f.noun.ends_with(w))
                && !f
                    .qualifiers
                    .iter()
                    .any(|q| q == "增加" || q == "减少" || q == "上年" || q == "阈值")
                // A table cell is comparable only under a labelled column: a headerless row's
                // amounts share the row's name.
                && (f.table.is_none() || f.label.contains('/'))
        };
        let mut by: BTreeMap<(&str, Option<i32>), Vec<usize>> = BTreeMap::new();
        for (i, f) in ex.figures.iter().enumerate() {
            if item(f) {
                by.entry((f.noun.as_str(), f.year)).or_default().push(i);
            }
        }
        for ((noun, _), idx) in by {
            // Only items the text states are compared: tables repeat one name at several levels
            // of a classification, and the text says which item it means.
            let Some(&a) = idx.iter().find(|&&i| self.fig(i).table.is_none()) else {
                continue;
            };
            let phase = self.fig(a).phase.clone();
            let same: Vec<usize> = idx
                .iter()
                .copied()
                .filter(|&i| {
                    let p = &self.fig(i).phase;
                    p.is_none() || phase.is_none() || *p == phase
                })
                .collect();
            let clusters = self.clusters(&same);
            if clusters.len() < 2 {
                if same.len() >= 2 {
                    self.pass(&same);
                }
                continue;
            }
            let home = clusters.iter().position(|c| c.contains(&a)).unwrap_or(0);
            // When a table agrees with the text, another table's different amount may be of
            // another scope (all funds vs 财政拨款): only a near miss (a few units of the last
            // decimal: 236.63 vs 236.64) is then a typo.
            let backed = clusters[home].iter().any(|&i| self.fig(i).table.is_some());
            for (k, c) in clusters.iter().enumerate() {
                if k == home {
                    continue;
                }
                let (va, vb) = (Iv::of(self.fig(a)).mid(), Iv::of(self.fig(c[0])).mid());
                let ulp = Decimal::new(1, self.fig(a).precision.max(self.fig(c[0]).precision));
                if backed && (va - vb).abs() > ulp * Decimal::TEN {
                    continue;
                }
                let figs = [a, c[0]];
                if !self.first_time(&figs) || self.involves_conflict(&figs) {
                    continue;
                }
                let (fa, fb) = (self.fig(a), self.fig(c[0]));
                let msg = format!(
                    "{noun}此处写作{}，另一处写作{}，不一致",
                    shown(fa),
                    shown(fb)
                );
                let arith = format!("{} ≠ {}", fa.value, fb.value);
                self.fail("D002", Severity::Error, msg, Some(arith), &figs);
            }
        }
    }

    /// S001/S002/S003: totals and their parts.
    fn groups(&mut self) {
        let ex = self.ex;
        for g in &ex.groups {
            let mut figs = vec![g.total];
            figs.extend(&g.parts);
            if !self.first_time(&figs) {
                continue;
            }
            let t = self.fig(g.total);
            let score = t.class == UnitClass::Score;
            let code = if score {
                "S003"
            } else if g.source == GroupSource::Text {
                "S001"
            } else {
                "S002"
            };
            let total = Iv::of(t);
            let sum = self.sum_iv(&g.parts);
            let complete = g.complete || score;
            let ok = if complete {
                total.meets(sum)
            } else {
                sum.lo <= total.hi
            };
            let exact_sum: Decimal = g
                .parts
                .iter()
                .map(|&p| self.fig(p).value_wan.unwrap_or(self.fig(p).dec))
                .sum();
            let exact_total = t.value_wan.unwrap_or(t.dec);
            if ok && complete && g.source == GroupSource::Text && exact_sum != exact_total && !score
            {
                // Within rounding, but the report's own figures do not add up: a reviewer may
                // want to see it (2319.21 stated, parts adding to 2319.22).
                let parts_s: Vec<String> =
                    g.parts.iter().map(|&p| self.fig(p).value.clone()).collect();
                let msg = format!(
                    "{}{}与其中所列各项之和{}相差一个尾数（四舍五入可以解释）",
                    t.label,
                    exact_total.normalize(),
                    exact_sum.normalize()
                );
                let arith = format!(
                    "{} = {} ≠ {}",
                    parts_s.join(" + "),
                    exact_sum.normalize(),
                    exact_total.normalize()
                );
                self.fail(code, Severity::Warning, msg, Some(arith), &figs);
                continue;
            }
            if ok {
                self.pass(&figs);
                continue;
            }
            let any_reading = |r: &[usize]| {
                let sum = self.sum_iv(&r[1..]);
                let total = Iv::of(self.fig(r[0]));
                if complete {
                    total.meets(sum)
                } else {
                    sum.lo <= total.hi
                }
            };
            if self.involves_conflict(&figs) && !self.fails_every_reading(&figs, any_reading) {
                // Counted, not reported again.
                self.fail_silently(&figs);
                continue;
            }
            let dp = figs
                .iter()
                .map(|&i| self.fig(i).decimals())
                .max()
                .unwrap_or(0);
            let parts_s: Vec<String> = g.parts.iter().map(|&p| self.fig(p).value.clone()).collect();
            let sum_mid = g
                .parts
                .iter()
                .map(|&p| self.fig(p).value_wan.unwrap_or(self.fig(p).dec))
                .sum::<Decimal>();
            let unit = unit_word(t);
            let tv = t.value_wan.unwrap_or(t.dec);
            let arith = format!(
                "{} = {} ≠ {}",
                parts_s.join(" + "),
                show(sum_mid, dp),
                tv.normalize()
            );
            let msg = if score {
                format!(
                    "{}{}分与各部分得分之和{}分不一致",
                    t.label,
                    t.value,
                    show(sum_mid, dp)
                )
            } else {
                let what = if g.source == GroupSource::Text {
                    "其中所列各项"
                } else {
                    "表中各项"
                };
                format!(
                    "{}{}{}与{}之和{}{}不一致",
                    t.label,
                    tv.normalize(),
                    unit,
                    what,
                    show(sum_mid, dp),
                    unit
                )
            };
            self.fail(code, Severity::Error, msg, Some(arith), &figs);
        }
    }

    /// For a share "A a，占X的x%": (a, the figure named X). X must name an amount the
    /// document states with one value only (its noun, in any table or sentence); otherwise
    /// the share is left unchecked rather than checked against a guess.
    fn named_whole(&self, rate: usize, operands: &[usize]) -> Option<(usize, usize)> {
        let rf = self.fig(rate);
        let (_, after) = rf.label.rsplit_once('占')?;
        let whole = after
            .trim_end_matches('的')
            .trim_end_matches("比重")
            .trim_end_matches("比例");
        let noun = crate::extract::noun_of(whole);
        if noun.chars().count() < 2 {
            return None;
        }
        let part = operands
            .iter()
            .rev()
            .copied()
            .find(|&i| self.fig(i).class == UnitClass::Money)?;
        let same_phase = |f: &Figure| match (&f.phase, &rf.phase) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        let named: Vec<usize> = (0..self.ex.figures.len())
            .filter(|&i| {
                let f = self.fig(i);
                i != part
                    && f.class == UnitClass::Money
                    && f.noun == noun
                    && f.year.is_none()
                    && same_phase(f)
            })
            .collect();
        let first = *named.first()?;
        let v = |i: usize| self.fig(i).value_wan;
        if named.iter().any(|&i| v(i) != v(first)) || v(first) <= v(part) {
            return None;
        }
        Some((part, first))
    }

    fn key_value(&self, key: &str) -> Option<usize> {
        self.consensus.get(key).copied()
    }

    /// R001/R002: claimed rates against the figures they name.
    fn rates(&mut self) {
        let ex = self.ex;
        // Shares of one whole that hold within rounding, and those whose written figures give
        // another last digit: when the shares add up to exactly 100, such a share was nudged.
        let mut shares: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let mut nudges: Vec<(usize, Vec<usize>, Decimal)> = Vec::new();
        for r in &ex.rates {
            let rf = self.fig(r.figure);
            let claimed = Iv::of(rf);
            let key = rf.key.clone().unwrap_or_default();
            // Candidate (numerator, denominator) pairs, most specific first.
            let mut pairs: Vec<(usize, usize, &'static str)> = Vec::new();
            let same_sentence: Vec<usize> = r.operands.clone();
            let find_in = |keys: &[&str]| -> Option<usize> {
                same_sentence.iter().rev().copied().find(|&i| {
                    self.fig(i)
                        .key
                        .as_deref()
                        .is_some_and(|k| keys.contains(&k))
                })
            };
            // Same-sentence phases: 决算 over a budget figure (执行率, 完成…的X%).
            if rf.label.contains("完成") || rf.label.contains("执行率") {
                let n = same_sentence
                    .iter()
                    .rev()
                    .copied()
                    .find(|&i| self.fig(i).phase.as_deref() == Some("决算"));
                let want = if rf.label.contains("年初") || rf.label.contains("完成") {
                    "年初"
                } else {
                    "全年"
                };
                let d = same_sentence
                    .iter()
                    .copied()
                    .find(|&i| self.fig(i).phase.as_deref() == Some(want));
                if let (Some(n), Some(d)) = (n, d) {
                    pairs.push((n, d, want));
                }
            }
            let defs = definitions(&key, &rf.label);
            for (num, den, base) in &defs {
                let n = find_in(num).or_else(|| num.iter().find_map(|k| self.key_value(k)));
                let d = find_in(den).or_else(|| den.iter().find_map(|k| self.key_value(k)));
                if let (Some(n), Some(d)) = (n, d) {
                    if n != d || num != den {
                        pairs.push((n, d, base));
                    }
                }
            }
            // "占总支出的X%" and "a（x%）": the part over the total of its group.
            if pairs.is_empty() {
                if let Some(&part) = r.operands.first() {
                    if let Some(g) = ex.groups.iter().find(|g| g.parts.contains(&part)) {
                        if rf.label.contains('占') || rf.label.ends_with("占比") {
                            pairs.push((part, g.total, "total"));
                        }
                    }
                }
            }
            // "A a，占“三公”经费的x%": the whole is the figure the document names that way.
            if pairs.is_empty() {
                if let Some(pw) = self.named_whole(r.figure, &r.operands) {
                    pairs.push((pw.0, pw.1, "total"));
                }
            }
            if key == "rate.threepublic_change" {
                if let Some(now) = find_in(&["threepublic.budget"]) {
                    let prior = same_sentence
                        .iter()
                        .copied()
                        .find(|&i| self.fig(i).qualifiers.iter().any(|q| q == "上年"));
                    if let Some(p) = prior {
                        self.change_rate(r.figure, now, p);
                    }
                }
                continue;
            }
            if pairs.is_empty() {
                continue;
            }
            let mut figs_all = vec![r.figure, pairs[0].0, pairs[0].1];
            if !self.first_time(&figs_all) {
                continue;
            }
            let holds = |n: usize, d: usize| {
                Iv::of(self.fig(n))
                    .ratio_pct(Iv::of(self.fig(d)))
                    .map(|q| q.meets(claimed))
            };
            let (n, d, base) = pairs[0];
            match holds(n, d) {
                None => continue,
                Some(true) => {
                    if base == "total" && rf.class == UnitClass::Percent {
                        shares.entry(d).or_default().push(r.figure);
                        let q = ratio_mid(self.fig(n), self.fig(d));
                        if q.round_dp(rf.decimals()) != rf.dec {
                            // Decided once all shares of this whole are known.
                            nudges.push((d, figs_all, q));
                            continue;
                        }
                    }
                    self.pass(&figs_all)
                }
                Some(false) => {
                    // Plain 完成率 may be on either base; only an explicit 年初 base is a finding.
                    let alt = pairs[1..]
                        .iter()
                        .find(|(n2, d2, _)| holds(*n2, *d2) == Some(true))
                        .copied();
                    if let Some((n2, d2, b2)) = alt {
                        // ...unless its own sentence names the 年初 figure and not the other.
                        let named_here = same_sentence.contains(&d) && !same_sentence.contains(&d2);
                        if base == "年初" && !rf.label.contains("年初") && !named_here {
                            self.pass(&figs_all);
                            continue;
                        }
                        figs_all = vec![r.figure, n2, d2];
                        let q = ratio_mid(self.fig(n2), self.fig(d2));
                        let msg = format!(
                            "{}{}%按{}口径（{}/{}）计算，但所称口径应为{}",
                            rf.label,
                            rf.value,
                            b2,
                            self.fig(n2).value,
                            self.fig(d2).value,
                            base
                        );
                        if !self.involves_conflict(&figs_all) {
                            self.fail(
                                "R002",
                                Severity::Error,
                                msg,
                                Some(format!(
                                    "{} / {} = {}% ",
                                    self.fig(n2).value,
                                    self.fig(d2).value,
                                    show(q, 3)
                                )),
                                &figs_all,
                            );
                        }
                        continue;
                    }
                    if self.involves_conflict(&figs_all)
                        && (self.conflicted.contains(&r.figure)
                            || !self
                                .fails_every_reading(&[n, d], |x| holds(x[0], x[1]) != Some(false)))
                    {
                        self.fail_silently(&figs_all);
                        continue;
                    }
                    let q = ratio_mid(self.fig(n), self.fig(d));
                    // 95.457…% written 95.45: truncated, not rounded — worth a look, not an error.
                    let truncated = q.trunc_with_scale(rf.decimals()) == rf.dec;
                    // Shares forced to sum to 100% are nudged by one unit of the last place.
                    let nudged = (q.round_dp(rf.decimals()) - rf.dec).abs()
                        <= Decimal::new(1, rf.decimals().max(2))
                        && rf.class == UnitClass::Percent
                        && base == "total";
                    let nudge = truncated || nudged;
                    let sev = if nudge {
                        Severity::Warning
                    } else {
                        Severity::Error
                    };
                    let msg = format!(
                        "{}{}%与{}/{}={}%不符",
                        rf.label,
                        rf.value,
                        self.fig(n).value,
                        self.fig(d).value,
                        show(q, rf.decimals().max(2))
                    );
                    let arith = format!(
                        "{} / {} = {}% ≠ {}%",
                        self.fig(n).value,
                        self.fig(d).value,
                        show(q, 4),
                        rf.value
                    );
                    let msg = if truncated {
                        format!("{msg}（截去尾数而非四舍五入）")
                    } else if nudge {
                        format!("{msg}（可能为凑足100%而调整的尾差）")
                    } else {
                        msg
                    };
                    self.fail("R001", sev, msg, Some(arith), &figs_all);
                }
            }
        }
        for (whole, figs, q) in nudges {
            let rf = self.fig(figs[0]);
            let total: Decimal = shares[&whole].iter().map(|&i| self.fig(i).dec).sum();
            let one = Decimal::new(1, rf.decimals());
            if total == Decimal::ONE_HUNDRED && (q.round_dp(rf.decimals()) - rf.dec).abs() <= one {
                let msg = format!(
                    "{}{}%按所列数字计算为{}%，各项占比合计恰为100%（可能为凑足100%而调整的尾差）",
                    rf.label,
                    rf.value,
                    show(q, rf.decimals().max(2))
                );
                let arith = format!(
                    "{} / {} = {}% ≠ {}%",
                    self.fig(figs[1]).value,
                    self.fig(figs[2]).value,
                    show(q, 4),
                    rf.value
                );
                self.fail("R001", Severity::Warning, msg, Some(arith), &figs);
            } else {
                self.pass(&figs);
            }
        }
    }

    /// (now − prior) / prior against a claimed change rate.
    fn change_rate(&mut self, rate: usize, now: usize, prior: usize) {
        let figs = [rate, now, prior];
        if !self.first_time(&figs) {
            return;
        }
        let diff = Iv::of(self.fig(now)).minus(Iv::of(self.fig(prior)));
        let p = Iv::of(self.fig(prior));
        if p.lo <= Decimal::ZERO {
            return;
        }
        let h = Decimal::ONE_HUNDRED;
        let cands = [
            diff.lo / p.lo,
            diff.lo / p.hi,
            diff.hi / p.lo,
            diff.hi / p.hi,
        ];
        let q = Iv {
            lo: cands.iter().copied().min().unwrap() * h,
            hi: cands.iter().copied().max().unwrap() * h,
        };
        if q.meets(Iv::of(self.fig(rate))) {
            self.pass(&figs);
        } else if self.involves_conflict(&figs) {
            self.fail_silently(&figs);
        } else {
            let rf = self.fig(rate);
            let msg = format!(
                "{}{}%与({}−{})/{}={}%不符",
                rf.label,
                rf.value,
                self.fig(now).value,
                self.fig(prior).value,
                self.fig(prior).value,
                show(q.mid(), 2)
            );
            self.fail(
                "R003",
                Severity::Error,
                msg,
                Some(format!(
                    "({} − {}) / {} = {}%",
                    self.fig(now).value,
                    self.fig(prior).value,
                    self.fig(prior).value,
                    show(q.mid(), 4)
                )),
                &figs,
            );
        }
    }

    /// R003: "A，比上年增加X，增长Y%": old = A − X, Y = X / old.
    fn changes(&mut self) {
        let figs = &self.ex.figures;
        let mut claims = Vec::new();
        for i in 1..figs.len() {
            let x = &figs[i];
            let a = &figs[i - 1];
            if x.context != a.context
                || x.table.is_some()
                || x.class != UnitClass::Money
                || a.class != UnitClass::Money
            {
                continue;
            }
            let up = x.qualifiers.iter().any(|q| q == "增加");
            let down = x.qualifiers.iter().any(|q| q == "减少");
            if !(up || down)
                || !(x.label.contains("上年")
                    || x.label.contains("去年")
                    || x.label.contains("同期"))
            {
                continue;
            }
            // The rate right after it, in the same sentence.
            let Some(y) = figs
                .get(i + 1)
                .filter(|y| y.context == x.context && y.class == UnitClass::Percent)
            else {
                continue;
            };
            let _ = y;
            claims.push((i - 1, i, i + 1, up));
        }
        for (a, x, y, up) in claims {
            let figs3 = [a, x, y];
            if !self.first_time(&figs3) {
                continue;
            }
            let ia = Iv::of(self.fig(a));
            let ix = Iv::of(self.fig(x));
            let old = if up { ia.minus(ix) } else { ia.plus(ix) };
            let Some(q) = ix.ratio_pct(old) else { continue };
            let yf = self.fig(y);
            if q.meets(Iv::of(yf)) {
                self.pass(&figs3);
            } else if self.involves_conflict(&figs3) {
                self.fail_silently(&figs3);
            } else {
                let (av, xv) = (self.fig(a).value.clone(), self.fig(x).value.clone());
                let op = if up { "−" } else { "+" };
                let msg = format!(
                    "{}{}%与{} / ({} {} {}) = {}%不符",
                    if up { "增长" } else { "下降" },
                    yf.value,
                    xv,
                    av,
                    op,
                    xv,
                    show(q.mid(), 2)
                );
                let arith = format!(
                    "{xv} / ({av} {op} {xv}) = {}% ≠ {}%",
                    show(q.mid(), 4),
                    yf.value
                );
                self.fail("R003", Severity::Error, msg, Some(arith), &figs3);
            }
        }
    }

    /// I001: identities between keyed figures.
    fn identities(&mut self) {
        const IDS: &[(&str, &[&str], &str)] = &[
            (
                "budget.total",
                &["budget.initial", "budget.adjustment"],
                "全年预算 = 年初预算 + 调整预算",
            ),
            (
                "budget.total.basic",
                &["budget.initial.basic", "budget.adjustment.basic"],
                "基本支出全年预算 = 年初 + 调整",
            ),
            (
                "budget.total.project",
                &["budget.initial.project", "budget.adjustment.project"],
                "项目支出全年预算 = 年初 + 调整",
            ),
            (
                "assets.total",
                &["liabilities.total", "assets.net"],
                "资产总额 = 负债总额 + 净资产",
            ),
            (
                "budget.initial",
                &["budget.initial.basic", "budget.initial.project"],
                "年初预算 = 基本支出 + 项目支出",
            ),
            (
                "final.expenditure",
                &["final.expenditure.basic", "final.expenditure.project"],
                "决算支出 = 基本支出 + 项目支出",
            ),
            (
                "threepublic.actual",
                &["threepublic.vehicle.actual", "threepublic.reception.actual"],
                "三公经费决算 = 公务用车 + 公务接待",
            ),
            (
                "threepublic.budget",
                &["threepublic.vehicle.budget", "threepublic.reception.budget"],
                "三公经费预算 = 公务用车 + 公务接待",
            ),
        ];
        for (total, parts, what) in IDS {
            let Some(t) = self.key_value(total) else {
                continue;
            };
            let ps: Option<Vec<usize>> = parts.iter().map(|k| self.key_value(k)).collect();
            let Some(mut ps) = ps else { continue };
            // 三公 has a third part: include 因公出国 when stated.
            if total.starts_with("threepublic") {
                let abroad = if total.ends_with("actual") {
                    "threepublic.abroad.actual"
                } else {
                    "threepublic.abroad.budget"
                };
                if let Some(a) = self.key_value(abroad) {
                    ps.push(a);
                }
            }
            self.identity(t, ps, what);
        }
        // Identities whose parts are items without a key of their own, found by their
        // nouns in the same phase: 人员经费 = 工资福利支出 + 对个人和家庭的补助 (the class
        // itself, as a row of a 基本支出表 or named in the text, never 其他工资福利支出).
        static WAGES: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"^(?:基本支出)?工资福利(?:支出|费用|费)?$").unwrap());
        static TRANSFERS: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"^(?:基本支出)?对个人和家庭的?补助(?:支出|费用|费)?$").unwrap()
        });
        // Only in 决算: budgets count 人员经费 by their own rules (Huaihua's 年初 人员经费
        // 930.13 is not 工资福利 822.74 + 补助 60.75, and is not a mistake).
        let items: [(&str, &str, [&LazyLock<Regex>; 2], &str); 1] = [(
            "final.expenditure.personnel",
            "决算",
            [&WAGES, &TRANSFERS],
            "人员经费 = 工资福利支出 + 对个人和家庭的补助",
        )];
        for (total, phase, nouns, what) in items {
            let Some(t) = self.key_value(total) else {
                continue;
            };
            let values: Option<Vec<Vec<usize>>> =
                nouns.iter().map(|re| self.item_values(re, phase)).collect();
            let Some(values) = values else { continue };
            if values.iter().all(|v| v.len() == 1) {
                self.identity(t, values.iter().map(|v| v[0]).collect(), what);
                continue;
            }
            // An item stated with two values (工资福利 622100 in the text, 6122100 in the
            // table): when exactly one choice of values makes the identity hold, the other
            // statement is the wrong one.
            let Some(readings) = choices_product(&values) else {
                continue;
            };
            let holds = |r: &[usize]| Iv::of(self.fig(t)).meets(self.sum_iv(r));
            let good: Vec<&Vec<usize>> = readings.iter().filter(|r| holds(r)).collect();
            match good.as_slice() {
                [] => self.identity(t, readings[0].clone(), what),
                [good] => {
                    let good = (*good).clone();
                    for (k, v) in values.iter().enumerate() {
                        for &odd in v.iter().filter(|&&x| x != good[k]) {
                            let figs = [odd, good[k]];
                            if !self.first_time(&figs) || self.involves_conflict(&figs) {
                                continue;
                            }
                            let (fo, fg) = (self.fig(odd), self.fig(good[k]));
                            let msg = format!(
                                "{}此处写作{}，另一处写作{}，不一致；{what}只在后者成立",
                                fo.noun,
                                shown(fo),
                                shown(fg)
                            );
                            let arith = format!("{} ≠ {}", fo.value, fg.value);
                            self.fail("D002", Severity::Error, msg, Some(arith), &figs);
                        }
                    }
                    let mut figs = vec![t];
                    figs.extend(&good);
                    if self.first_time(&figs) {
                        self.pass(&figs);
                    }
                }
                _ => {}
            }
        }
    }

    /// The values an item named by `noun` in `phase` is stated with: one figure per value
    /// (statements that agree within rounding are one value). At most four values.
    fn item_values(&self, noun: &Regex, phase: &str) -> Option<Vec<usize>> {
        let found: Vec<usize> = (0..self.ex.figures.len())
            .filter(|&i| {
                let f = self.fig(i);
                f.class == UnitClass::Money
                    && f.key.is_none()
                    && f.year.is_none()
                    && f.phase.as_deref() == Some(phase)
                    && noun.is_match(&f.noun)
            })
            .collect();
        let heads: Vec<usize> = self.clusters(&found).iter().map(|c| c[0]).collect();
        (!heads.is_empty() && heads.len() <= 4).then_some(heads)
    }

    /// Figures grouped by value: each joins the first group whose every figure it agrees with
    /// within rounding.
    fn clusters(&self, idx: &[usize]) -> Vec<Vec<usize>> {
        let mut clusters: Vec<Vec<usize>> = Vec::new();
        for &i in idx {
            let iv = Iv::of(self.fig(i));
            match clusters
                .iter_mut()
                .find(|c| c.iter().all(|&j| Iv::of(self.fig(j)).meets(iv)))
            {
                Some(c) => c.push(i),
                None => clusters.push(vec![i]),
            }
        }
        clusters
    }

    /// I001: a total against the parts an identity says make it up.
    fn identity(&mut self, t: usize, ps: Vec<usize>, what: &str) {
        let mut figs = vec![t];
        figs.extend(&ps);
        if !self.first_time(&figs) {
            return;
        }
        let sum = self.sum_iv(&ps);
        if Iv::of(self.fig(t)).meets(sum) {
            self.pass(&figs);
        } else if self.involves_conflict(&figs)
            && !self.fails_every_reading(&figs, |r| {
                Iv::of(self.fig(r[0])).meets(self.sum_iv(&r[1..]))
            })
        {
            self.fail_silently(&figs);
        } else {
            let dp = figs
                .iter()
                .map(|&i| self.fig(i).decimals())
                .max()
                .unwrap_or(0);
            let s: Decimal = ps
                .iter()
                .map(|&p| self.fig(p).value_wan.unwrap_or(self.fig(p).dec))
                .sum();
            let vals: Vec<String> = ps.iter().map(|&p| self.fig(p).value.clone()).collect();
            let tf = self.fig(t);
            let msg = format!(
                "{what}不成立：{}{}，而各项之和为{}",
                tf.label,
                tf.value,
                show(s, dp)
            );
            self.fail(
                "I001",
                Severity::Error,
                msg,
                Some(format!(
                    "{} = {} ≠ {}",
                    vals.join(" + "),
                    show(s, dp),
                    tf.value
                )),
                &figs,
            );
        }
    }

    /// N001: "设17个科室：A、B…" with a different number of items.
    fn counts(&mut self) {
        let ex = self.ex;
        for c in &ex.counts {
            self.out.run += 1;
            if c.items.len() as u32 == c.count {
                self.out.passed += 1;
                continue;
            }
            self.out.failed += 1;
            self.out.findings.push(Finding {
                code: "N001",
                name: name_of("N001"),
                severity: Severity::Error,
                message: format!("称{}个{}，但列出{}个", c.count, c.noun, c.items.len()),
                arithmetic: Some(format!("{} ≠ {}", c.items.len(), c.count)),
                evidence: vec![Evidence {
                    span: c.span,
                    context: c.context,
                    value: c.count.to_string(),
                    figure: None,
                }],
            });
        }
    }
}

/// Every way to pick one item from each list, in order; None past 256 ways.
fn choices_product(choices: &[Vec<usize>]) -> Option<Vec<Vec<usize>>> {
    let mut out = vec![Vec::with_capacity(choices.len())];
    for alts in choices {
        if out.len() * alts.len() > 256 {
            return None;
        }
        out = out
            .into_iter()
            .flat_map(|r: Vec<usize>| {
                alts.iter().map(move |&a| {
                    let mut r = r.clone();
                    r.push(a);
                    r
                })
            })
            .collect();
    }
    Some(out)
}

fn ratio_mid(n: &Figure, d: &Figure) -> Decimal {
    let nv = n.value_wan.unwrap_or(n.dec);
    let dv = d.value_wan.unwrap_or(d.dec);
    if dv.is_zero() {
        return Decimal::ZERO;
    }
    nv / dv * Decimal::ONE_HUNDRED
}

/// A rate key's definitions: (numerator keys, denominator keys, base), most specific first.
fn definitions(
    key: &str,
    label: &str,
) -> Vec<(
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
)> {
    match key {
        "rate.staff_control" => vec![(&["staff.actual"], &["staff.authorized"], "编制")],
        "rate.threepublic_control" => {
            vec![(&["threepublic.actual"], &["threepublic.budget"], "预算")]
        }
        "rate.public_control" => vec![(
            &["final.expenditure.public"],
            &["budget.initial.public"],
            "预算",
        )],
        "rate.procurement" => vec![(&["procurement.actual"], &["procurement.budget"], "预算")],
        "rate.budget_control" => vec![(&["budget.adjustment"], &["budget.initial"], "年初")],
        "rate.execution" => vec![
            (
                &["final.expenditure.basic"],
                &["budget.total.basic"],
                "全年",
            ),
            (
                &["final.expenditure.project"],
                &["budget.total.project"],
                "全年",
            ),
            (&["final.expenditure"], &["budget.total"], "全年"),
        ],
        "rate.completion" => {
            if label.contains("年初") {
                vec![
                    (&["final.expenditure"], &["budget.initial"], "年初"),
                    (&["final.expenditure"], &["budget.total"], "全年"),
                ]
            } else {
                vec![
                    (&["final.expenditure"], &["budget.total"], "全年"),
                    (&["final.expenditure"], &["budget.initial"], "年初"),
                ]
            }
        }
        // In a budget report the shares are of the year's budget.
        "share.basic" => vec![
            (
                &["final.expenditure.basic"],
                &["final.expenditure"],
                "total",
            ),
            (&["budget.initial.basic"], &["budget.initial"], "total"),
        ],
        "share.project" => vec![
            (
                &["final.expenditure.project"],
                &["final.expenditure"],
                "total",
            ),
            (&["budget.initial.project"], &["budget.initial"], "total"),
        ],
        _ => Vec::new(),
    }
}

/// A key's name in Chinese for messages.
pub fn key_name(key: &str) -> &str {
    match key {
        "staff.authorized" => "编制数",
        "staff.actual" => "实有人数",
        "budget.initial" => "年初预算",
        "budget.initial.basic" => "年初预算基本支出",
        "budget.initial.project" => "年初预算项目支出",
        "budget.adjustment" => "调整预算",
        "budget.total" => "全年预算",
        "final.income" => "决算收入",
        "final.expenditure" => "决算支出",
        "final.expenditure.basic" => "基本支出决算",
        "final.expenditure.project" => "项目支出决算",
        "final.expenditure.personnel" => "人员经费",
        "final.expenditure.public" => "公用经费",
        "threepublic.budget" => "“三公”经费预算",
        "threepublic.actual" => "“三公”经费决算",
        "threepublic.reception.actual" => "公务接待费决算",
        "threepublic.vehicle.actual" => "公务用车费决算",
        "score.total" => "自评得分",
        _ => key,
    }
}
