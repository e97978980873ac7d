//! Totals broken down by enumerated paragraphs: "三、支出预算情况说明 2026年支出预算X万元 …
//! （一）基本支出。…A万元 （二）项目支出。…B万元 （三）年终结转结余资金C万元" states
//! X = A + B + C. The lead amount of a section is the total; the first amount of each of
//! its enumerated children is a part.

use super::extractor::Extractor;
use super::number::UnitClass;
use super::section::{enumerated, enumerator};
use super::types::{FigureId, Group, SumKind};

/// What the breakdown needs to know of a paragraph.
#[derive(Debug, Clone)]
pub struct ParaInfo {
    /// The level of the enumerator the paragraph starts with.
    pub level: Option<u8>,
    /// Its first amount of money that is not a comparison.
    pub first_money: Option<FigureId>,
    /// It announces a list of parts ("其中："), or only the main ones ("主要包括").
    pub opens_list: bool,
    /// It ends announcing the lines that follow as its parts ("…合计a万元，其中：").
    pub ends_with_list: bool,
    /// The number of its enumerator.
    pub number: Option<u32>,
    /// Its amounts besides the first that are neither comparisons nor parts of the first.
    pub peers: usize,
}

impl Extractor<'_> {
    /// Records a paragraph read (its text starting at document offset `start`, its figures
    /// from `from` on): one entry per enumerated item, as an item may follow another in one
    /// line ("1.一般公共预算拨款收入a。2.政府性基金预算拨款收入b。").
    pub fn log_paragraph(&mut self, text: &str, start: usize, from: FigureId) {
        let chars: Vec<char> = text.chars().collect();
        // (where a piece starts, whether it starts a line of a list of lines)
        let mut cuts = vec![(0, false)];
        let mut listing = false;
        let mut line_start = 0;
        for k in 1..chars.len() {
            if matches!(chars[k - 1], '。' | '；') {
                let rest: String = chars[k..].iter().take(12).collect();
                if enumerator(&rest).is_some_and(|(l, _)| l > 0) {
                    cuts.push((k, false));
                    continue;
                }
            }
            // "…合计a万元。其中：" and then one part per line, the lines kept apart by the
            // reader inside one paragraph: each line is a piece of its own.
            if chars[k - 1] == '\n' {
                let line: String = chars[line_start..k - 1].iter().collect();
                line_start = k;
                listing = listing || ends_with_list(&line);
                if listing {
                    cuts.push((k, true));
                }
            }
        }
        cuts.push((chars.len(), false));
        for w in cuts.windows(2) {
            let piece: String = chars[w[0].0..w[1].0].iter().collect();
            let (a, b) = (start + w[0].0, start + w[1].0);
            self.log_piece(&piece, a, b, from, w[0].0 == 0 || w[0].1);
        }
    }

    fn log_piece(&mut self, piece: &str, a: usize, b: usize, from: FigureId, first: bool) {
        let year = self.out.meta.year;
        let level = enumerator(piece).map(|(l, _)| l);
        let first_money = self.since(from).find(|&i| {
            let f = self.fig(i);
            (a..b).contains(&f.span.start)
                && f.class == UnitClass::Money
                && !f.is_comparison()
                && (f.year.is_none() || year.is_none() || f.year == year)
        });
        // "1.按支出功能分类，包括A a、B b": a is the first of a list, not the item's amount.
        let listed = first_money.is_some_and(|i| {
            let before = self.slice(a, self.fig(i).span.start);
            ["包括", "其中", "：", ":"]
                .iter()
                .any(|w| before.contains(w))
        });
        let ends_with_list = ends_with_list(piece);
        let opens_list = ends_with_list
            || ["主要包括", "主要用于", "主要是", "主要有"]
                .iter()
                .any(|w| piece.contains(w));
        let number = enumerated(piece).map(|(_, n)| n);
        let peers = first_money.map_or(0, |lead| {
            self.since(from)
                .filter(|&i| {
                    let f = self.fig(i);
                    i != lead
                        && (a..b).contains(&f.span.start)
                        && f.class == UnitClass::Money
                        && !f.is_comparison()
                        && (f.year.is_none() || year.is_none() || f.year == year)
                        && !self
                            .out
                            .groups
                            .iter()
                            .any(|g| g.total == lead && g.parts.contains(&i))
                })
                .count()
        });
        self.paragraphs.push(ParaInfo {
            level: if first {
                level
            } else {
                level.or(Some(u8::MAX))
            },
            first_money: if listed { None } else { first_money },
            opens_list,
            ends_with_list,
            number,
            peers,
        });
    }

    /// The groups the enumerated paragraphs state.
    pub fn breakdowns(&mut self) {
        let ps = std::mem::take(&mut self.paragraphs);
        for i in 0..ps.len() {
            let Some(level) = ps[i].level else { continue };
            // The lead: the section's first amount, before its first child.
            let mut k = i;
            let mut lead = None;
            let mut opens = false;
            while k < ps.len() && (k == i || ps[k].level.is_none()) {
                lead = lead.or(ps[k].first_money);
                opens = ps[k].opens_list;
                k += 1;
            }
            let Some(lead) = lead else { continue };
            // A lead that lists its own parts ("预算a，包括在职人员经费b、公用经费c…"): the
            // enumerated paragraphs after it explain those parts, they are not a list of
            // their own.
            if self.out.groups.iter().any(|g| g.total == lead) {
                continue;
            }
            // A lead among peers ("A a，占x%；B b，占y%") is no total of the section.
            if ps[i..k]
                .iter()
                .any(|p| p.first_money == Some(lead) && p.peers > 0)
            {
                continue;
            }
            let (children, orphans) = children(&ps, k, level);
            if children.len() < 2 || children.iter().any(Option::is_none) {
                continue;
            }
            let parts: Vec<FigureId> = children.into_iter().flatten().collect();
            // An amount outside the children that is just what they miss was an item whose
            // number the reading missed ("11“. 灾害防治…98.23万元"): the list cannot be read
            // whole.
            let value = |f: FigureId| self.fig(f).amount();
            let missing = value(lead)
                - parts
                    .iter()
                    .map(|&p| value(p))
                    .sum::<rust_decimal::Decimal>();
            if orphans.iter().any(|&o| value(o) == missing) {
                continue;
            }
            // Children that restate the total ("（一）收入预算总计a（二）支出预算总计a") are
            // not its parts.
            if parts.iter().any(|&p| value(p) == value(lead)) {
                continue;
            }
            let phase = self.fig(lead).phase;
            if parts.iter().any(|&p| {
                let q = self.fig(p).phase;
                q.is_some() && phase.is_some() && q != phase || p == lead
            }) {
                continue;
            }
            self.out.groups.push(Group {
                total: lead,
                parts,
                complete: !opens,
                kind: SumKind::Text,
            });
        }
        self.colon_lists(&ps);
        self.paragraphs = ps;
    }

    /// "本年支出预算合计a万元，其中：" then one line per part ("基本支出b万元，占x%；"): the
    /// lines that follow and state an amount are parts of the lead (a 其中 list: they may
    /// not be all of it).
    fn colon_lists(&mut self, ps: &[ParaInfo]) {
        for i in 0..ps.len() {
            let (Some(lead), true) = (ps[i].first_money, ps[i].ends_with_list) else {
                continue;
            };
            if ps[i].peers > 0 || self.out.groups.iter().any(|g| g.total == lead) {
                continue;
            }
            let parts: Vec<FigureId> = ps[i + 1..]
                .iter()
                .take_while(|p| p.level.is_none() && p.first_money.is_some())
                .filter_map(|p| p.first_money)
                .collect();
            if parts.is_empty() {
                continue;
            }
            self.out.groups.push(Group {
                total: lead,
                parts,
                complete: false,
                kind: SumKind::Text,
            });
        }
    }
}

/// Whether a text ends announcing the lines that follow as its parts.
fn ends_with_list(text: &str) -> bool {
    let t = text.trim_end();
    ["其中：", "其中:", "包括：", "包括:", "如下："]
        .iter()
        .any(|w| t.ends_with(w))
}

/// The first amount of each child of a section whose children start at `k`: the
/// paragraphs of the first deeper level met, up to the next paragraph of `level` or above;
/// and the amounts that stand in the section outside any child.
fn children(ps: &[ParaInfo], mut k: usize, level: u8) -> (Vec<Option<FigureId>>, Vec<FigureId>) {
    let mut child_level = None;
    let mut out: Vec<Option<FigureId>> = Vec::new();
    let mut orphans = Vec::new();
    // Whether the latest item (child or deeper) already has its amount.
    let mut has_amount = true;
    let mut last_number = None;
    while k < ps.len() {
        match ps[k].level {
            Some(l) if l <= level => break,
            Some(l) if child_level.is_none() || child_level == Some(l) => {
                // A numbering that starts again lists another item's parts: the list is not
                // one list.
                if child_level == Some(l) && ps[k].number <= last_number {
                    return (Vec::new(), orphans);
                }
                last_number = ps[k].number;
                child_level = Some(l);
                out.push(ps[k].first_money);
                has_amount = ps[k].first_money.is_some();
            }
            Some(_) => has_amount = true,
            None => match ps[k].first_money {
                Some(f) if has_amount => orphans.push(f),
                // A child's amount may stand in the paragraph after its heading.
                Some(f) => {
                    if let Some(last) = out.last_mut() {
                        *last = Some(f);
                    }
                    has_amount = true;
                }
                None => {}
            },
        }
        k += 1;
    }
    (out, orphans)
}
