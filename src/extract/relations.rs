//! What a sentence states about its own figures: the rates it claims, with the figures they
//! rest on, and the "总额X，其中：A a，B b" groups.

use super::extractor::Extractor;
use super::number::UnitClass;
use super::types::{FigureId, Group, Rate, SumKind};
use super::vocab::{complete_set, phase_of};

/// The direction a clause states anywhere in it.
fn direction_in(clause: &str) -> Option<super::vocab::Direction> {
    use super::vocab::Direction;
    if ["减少", "下降", "降低", "压减"]
        .iter()
        .any(|w| clause.contains(w))
    {
        Some(Direction::Down)
    } else if ["增加", "增长", "提高"].iter().any(|w| clause.contains(w)) {
        Some(Direction::Up)
    } else {
        None
    }
}

impl Extractor<'_> {
    /// Rates and 其中 groups among the figures of one sentence (those from `first` on).
    pub fn sentence_relations(&mut self, first: FigureId) {
        self.sentence_rates(first);
        let ids: Vec<FigureId> = self.since(first).collect();
        self.change_reasons(&ids);
        for &i in &ids {
            if let Some(parts) = self.parts_after(i) {
                // "编制338名，其中行政编制200名": a part is not the whole it is part of.
                let whole_key = self.fig(i).key.clone();
                for &p in &parts {
                    if whole_key.is_some() && self.fig(p).key == whole_key {
                        let f = &mut self.out.figures[p.0];
                        f.key = None;
                        f.pattern = None;
                    }
                }
                let complete = complete_set(parts.iter().map(|&p| self.fig(p).noun.as_str()));
                self.out.groups.push(Group {
                    total: i,
                    parts,
                    complete,
                    kind: SumKind::Text,
                });
            }
        }
    }

    /// "与上年相比增加X，增长y%，主要原因是A增加a，B增加b": the changes after the reason
    /// marker, all in the change's direction, as the parts of that change.
    fn change_reasons(&mut self, ids: &[FigureId]) {
        static MARKER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"原因[是为系：:]|主要是|主要由于|主要系|主要用于").unwrap()
        });
        // The reasons may open the next sentence ("…增长6.69%。主要原因是…"): the change is
        // then the last amount before this sentence, in the same paragraph.
        let mut ids = ids.to_vec();
        if let Some(&first) = ids.first() {
            let before = (0..first.0)
                .rev()
                .map(FigureId)
                .find(|&j| self.fig(j).class != UnitClass::Percent)
                .filter(|&j| {
                    let f = self.fig(j);
                    f.block == self.fig(first).block && f.table.is_none() && f.direction.is_some()
                });
            if let Some(j) = before {
                ids.insert(0, j);
            }
        }
        for (k, &i) in ids.iter().enumerate() {
            let fi = self.fig(i);
            let Some(dir) = fi.direction else { continue };
            if fi.class != UnitClass::Money {
                continue;
            }
            // The marker stands before the next amount, past the change's own rate.
            let Some(&next) = ids[k + 1..]
                .iter()
                .find(|&&j| self.fig(j).class != UnitClass::Percent)
            else {
                continue;
            };
            let gap = self.slice(fi.span.end, self.fig(next).span.start);
            if !MARKER.is_match(&gap) {
                continue;
            }
            let mut parts = Vec::new();
            let mut prev = i;
            for &j in &ids[k + 1..] {
                let fj = self.fig(j);
                if fj.class == UnitClass::Percent {
                    continue;
                }
                // A reason names its item after the verb ("增加江苏法院云平台租赁费400万元").
                let own = fj.direction.or_else(|| {
                    let gap = self.slice(self.fig(prev).span.end, fj.span.start);
                    let clause = gap.rsplit(['，', '、', '；', '。']).next().unwrap_or("");
                    direction_in(clause)
                });
                if fj.class != UnitClass::Money || own != Some(dir) {
                    parts.clear();
                    break;
                }
                parts.push(j);
                prev = j;
            }
            if !parts.is_empty() {
                self.out.groups.push(Group {
                    total: i,
                    parts,
                    complete: true,
                    kind: SumKind::Reasons,
                });
            }
            break;
        }
    }

    /// A percentage whose label says it is a rate or share rests on the figures that stand
    /// after the previous rate of its sentence: "…69.26%，其中：…决算为37.35万元，完成预算的
    /// 71.28%" names only 37.35.
    fn sentence_rates(&mut self, first: FigureId) {
        let ids: Vec<FigureId> = self.since(first).collect();
        for &i in &ids {
            let f = self.fig(i);
            if f.class != UnitClass::Percent
                || self.out.rates.iter().any(|r| r.figure == i)
                || f.threshold
            {
                continue;
            }
            let is_rate = f
                .key
                .as_deref()
                .is_some_and(|k| k.starts_with("rate.") || k.starts_with("share."))
                || f.label.contains('率')
                || f.label.contains('占')
                || f.label.contains("完成")
                || f.label.contains("比重");
            if !is_rate {
                continue;
            }
            let from = ids
                .iter()
                .copied()
                .filter(|&j| j < i)
                .rev()
                .find(|&j| self.fig(j).class == UnitClass::Percent)
                .map_or(first, |j| FigureId(j.0 + 1));
            let operands = (from.0..i.0)
                .map(FigureId)
                .filter(|&j| self.fig(j).class != UnitClass::Percent)
                .collect();
            self.out.rates.push(Rate {
                figure: i,
                operands,
            });
        }
    }

    /// The parts a figure is followed by in its sentence after "其中", "包括" or an opening
    /// parenthesis, when there are two or more.
    fn parts_after(&self, i: FigureId) -> Option<Vec<FigureId>> {
        let n = self.out.figures.len();
        let fi = self.fig(i);
        if fi.class == UnitClass::Percent || fi.class == UnitClass::Points || i.0 + 1 >= n {
            return None;
        }
        let between = self.slice(fi.span.end, self.out.figures[i.0 + 1].span.start);
        let paren = between
            .trim_start_matches(|c: char| !matches!(c, '（' | '(' | '，' | '：' | '；'))
            .starts_with(['（', '(']);
        // The list must follow the total itself ("X a，其中：" / "X a，包括"), not a new
        // subject ("上年结转b；支出包括：" lists the 支出).
        let lead = between
            .trim_start_matches(|c: char| {
                c.is_whitespace() || "万亿千元%分人名个家辆项户，,：:；;（(）)".contains(c)
            })
            .trim_start_matches("主要")
            .trim_start_matches("具体");
        // A 包括 list ends with its clause; so does a 其中 list of a total that is itself an
        // item of a list whose items are joined by ；("…；履职工作经费a，其中结转结余b，用于…；
        // 系统线路租用费c").
        let before = self.slice(fi.context.0, fi.span.start);
        let in_list = before.contains(['；', ';', '：', ':']) || before.contains("包括");
        let including = lead.starts_with("包括") || in_list;
        if !(lead.starts_with("其中") || lead.starts_with("包括") || paren) {
            return None;
        }
        let mut parts = Vec::new();
        let mut depth = 0i32;
        for j in i.0 + 1..n {
            let fj = &self.out.figures[j];
            if fj.class != fi.class {
                continue;
            }
            // Text between the previous figure and this one decides nesting.
            let prev = &self.out.figures[j - 1];
            let gap = self.slice(prev.span.end, fj.span.start);
            depth +=
                gap.matches(['（', '(']).count() as i32 - gap.matches(['）', ')']).count() as i32;
            if paren && j == i.0 + 1 {
                depth = 0;
            }
            if depth > 0 && !paren {
                continue;
            }
            if paren && gap.contains(['）', ')']) {
                break;
            }
            // A new phase (年中调整…, 决算…) ends the parts of a total of another phase.
            let own = phase_of(&fj.label);
            if own.is_some() && own != fi.phase && !fj.label.contains(&fi.noun) {
                break;
            }
            if gap.contains("其中") && !parts.is_empty() {
                break;
            }
            // A 包括 list ends with its clause.
            if including && !parts.is_empty() && gap.contains(['；', ';']) {
                break;
            }
            // "比2024年预算减少990万元" compares; it is not a part.
            if fj.direction.is_some() || fj.is_prior() || fj.label.contains('比') {
                continue;
            }
            parts.push(FigureId(j));
        }
        // A list that restates its total ("项目支出a，具体包括：X项目a，主要包括：…a") is a
        // description, not parts.
        let restated = parts
            .iter()
            .any(|&p| self.fig(p).dec == fi.dec && !fi.dec.is_zero());
        (parts.len() >= 2 && !restated).then_some(parts)
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::tests::ex;

    #[test]
    fn shares_rest_on_the_figures_since_the_last_rate() {
        let e = ex("支出100万元，执行率90%，其中决算为37.35万元，完成预算的71.28%。");
        let r = e.rates.last().unwrap();
        assert_eq!(e.fig(r.figure).value, "71.28");
        let ops: Vec<&str> = r
            .operands
            .iter()
            .map(|&o| e.fig(o).value.as_str())
            .collect();
        assert_eq!(ops, ["37.35"]);
    }

    #[test]
    fn nested_parentheses_are_not_peers() {
        let e = ex(
            "支出100万元，其中：基本支出60万元（人员经费50万元，公用经费10万元），项目支出40万元。",
        );
        let g: Vec<(String, Vec<String>)> = e
            .groups
            .iter()
            .map(|g| {
                (
                    e.fig(g.total).value.clone(),
                    g.parts.iter().map(|&p| e.fig(p).value.clone()).collect(),
                )
            })
            .collect();
        assert!(
            g.contains(&("100".into(), vec!["60".into(), "40".into()])),
            "{g:?}"
        );
        assert!(
            g.contains(&("60".into(), vec!["50".into(), "10".into()])),
            "{g:?}"
        );
    }

    #[test]
    fn reasons_of_a_change_are_its_parts() {
        use crate::extract::SumKind;
        let e = ex("收、支预算总计各28849.38万元，与上年相比各增加1808.29万元，增长6.69%，主要原因是基本支出增加1408.29万元，项目支出安排增加400万元。");
        let g: Vec<(&str, Vec<&str>)> = e
            .groups
            .iter()
            .filter(|g| g.kind == SumKind::Reasons)
            .map(|g| {
                let parts = g.parts.iter().map(|&p| e.fig(p).value.as_str()).collect();
                (e.fig(g.total).value.as_str(), parts)
            })
            .collect();
        assert_eq!(g, [("1808.29", vec!["1408.29", "400"])]);
        // Reasons of mixed direction are not parts of the change.
        let e = ex("支出比上年增加100万元，主要原因是人员经费增加150万元，公用经费减少50万元。");
        assert!(e.groups.iter().all(|g| g.kind != SumKind::Reasons));
    }

    #[test]
    fn changes_are_not_parts() {
        let e = ex("支出预算100万元，其中基本支出60万元，比2024年预算减少5万元，项目支出40万元。");
        let parts: Vec<&str> = e.groups[0]
            .parts
            .iter()
            .map(|&p| e.fig(p).value.as_str())
            .collect();
        assert_eq!(parts, ["60", "40"]);
    }
}
