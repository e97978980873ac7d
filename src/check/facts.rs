//! What several checks read, computed once before any check runs and read-only after: the
//! values each key is stated with (clusters of figures that agree within rounding), the
//! consensus figure of each key, the figures in conflict, and the values of the items the
//! identities name.

use std::collections::{BTreeMap, HashMap, HashSet};

use regex::Regex;

use super::definitions::{ItemIdentity, ITEM_IDENTITIES, PER_ITEM_RATES};
use super::interval::Iv;
use crate::extract::number::UnitClass;
use crate::extract::{Extraction, FigureId, Fund, Phase};

/// What D001 compares: figures of one key over one fund (all funds when none is named).
pub type KeyScope = (String, Option<Fund>);

#[derive(Debug, Default)]
pub struct Facts {
    /// The figures of each key (per-item rates aside), grouped by value, largest group
    /// first.
    pub key_clusters: BTreeMap<KeyScope, Vec<Vec<FigureId>>>,
    /// The figure that stands for each key of all funds: the most precise statement of its
    /// most stated value.
    pub consensus: BTreeMap<String, FigureId>,
    /// Figures whose key is stated with another value elsewhere (D001 reports them once;
    /// other checks do not report them again).
    pub conflicted: HashSet<FigureId>,
    /// For a conflicted figure: one figure of each value its key is stated with.
    pub rivals: HashMap<FigureId, Vec<FigureId>>,
    /// For each of [`ITEM_IDENTITIES`]: the values each part is stated with (one figure per
    /// value), when every part is stated with one to four values.
    pub item_values: Vec<Option<Vec<Vec<FigureId>>>>,
}

impl Facts {
    pub fn of(ex: &Extraction) -> Facts {
        let mut f = Facts::default();
        let mut by_key: BTreeMap<KeyScope, Vec<FigureId>> = BTreeMap::new();
        for (i, fig) in ex.ids() {
            if let Some(k) = &fig.key {
                if !PER_ITEM_RATES.contains(&k.as_str()) {
                    by_key
                        .entry((k.clone(), scoped_fund(k, fig.fund)))
                        .or_default()
                        .push(i);
                }
            }
        }
        for (key, idx) in by_key {
            let mut cl = clusters(ex, &idx);
            cl.sort_by_key(|c| std::cmp::Reverse(c.len()));
            let main = &cl[0];
            // On equal decimals the later statement stands.
            let best = *main.iter().max_by_key(|&&i| ex.fig(i).decimals()).unwrap();
            // Three or more values: no value stands for the key (see D001).
            if key.1.is_none() && cl.len() <= 2 {
                f.consensus.insert(key.0.clone(), best);
            }
            if cl.len() > 1 {
                for other in &cl[1..] {
                    f.conflicted.extend(other.iter().copied());
                }
                if main.len() == 1 {
                    f.conflicted.insert(main[0]);
                }
                let heads: Vec<FigureId> = cl.iter().map(|c| c[0]).collect();
                for &i in cl.iter().flatten() {
                    if f.conflicted.contains(&i) {
                        f.rivals.insert(i, heads.clone());
                    }
                }
            }
            f.key_clusters.insert(key, cl);
        }
        f.item_values = ITEM_IDENTITIES
            .iter()
            .map(|id| item_identity_values(ex, id))
            .collect();
        f
    }

    pub fn key_value(&self, key: &str) -> Option<FigureId> {
        self.consensus.get(key).copied()
    }

    /// Every reading of a relation's figures when some are stated with two values: each such
    /// figure may take any of its values. None when there are too many to try.
    pub fn readings(&self, figs: &[FigureId]) -> Option<Vec<Vec<FigureId>>> {
        let choices: Vec<Vec<FigureId>> = figs
            .iter()
            .map(|&f| self.rivals.get(&f).cloned().unwrap_or_else(|| vec![f]))
            .collect();
        choices_product(&choices)
    }

    /// A relation among conflicted figures is reported only when no reading of them holds:
    /// then it fails whichever of the stated values is true.
    pub fn fails_every_reading(
        &self,
        figs: &[FigureId],
        holds: impl Fn(&[FigureId]) -> bool,
    ) -> bool {
        self.readings(figs)
            .is_some_and(|rs| rs.iter().all(|r| !holds(r)))
    }
}

/// The fund a key's figures are compared within: 三公经费 and 机关运行经费 are of 财政拨款 by
/// definition, whatever their sentence says.
fn scoped_fund(key: &str, fund: Option<Fund>) -> Option<Fund> {
    if key.starts_with("threepublic.") || key == "operating.expenditure" {
        None
    } else {
        fund
    }
}

fn item_identity_values(ex: &Extraction, id: &ItemIdentity) -> Option<Vec<Vec<FigureId>>> {
    id.parts
        .iter()
        .map(|re| item_values(ex, re, id.phase))
        .collect()
}

/// The values an item named by `noun` in `phase` is stated with: one figure per value
/// (statements that agree within rounding are one value). At most four values.
fn item_values(ex: &Extraction, noun: &Regex, phase: Phase) -> Option<Vec<FigureId>> {
    let found: Vec<FigureId> = ex
        .ids()
        .filter(|(_, f)| {
            f.class == UnitClass::Money
                && f.key.is_none()
                && f.year.is_none()
                && f.phase == Some(phase)
                && noun.is_match(&f.noun)
        })
        .map(|(i, _)| i)
        .collect();
    let heads: Vec<FigureId> = clusters(ex, &found).iter().map(|c| c[0]).collect();
    (!heads.is_empty() && heads.len() <= 4).then_some(heads)
}

/// Figures grouped by value: each joins the first group whose every figure it agrees with
/// within rounding.
pub fn clusters(ex: &Extraction, idx: &[FigureId]) -> Vec<Vec<FigureId>> {
    let mut clusters: Vec<Vec<FigureId>> = Vec::new();
    for &i in idx {
        let iv = Iv::of(ex.fig(i));
        match clusters
            .iter_mut()
            .find(|c| c.iter().all(|&j| Iv::of(ex.fig(j)).meets(iv)))
        {
            Some(c) => c.push(i),
            None => clusters.push(vec![i]),
        }
    }
    clusters
}

/// Every way to pick one item from each list, in order; None past 256 ways.
pub fn choices_product<T: Copy>(choices: &[Vec<T>]) -> Option<Vec<Vec<T>>> {
    let mut out = vec![Vec::with_capacity(choices.len())];
    for alts in choices {
        if out.len() * alts.len() > 256 {
            return None;
        }
        out = out
            .into_iter()
            .flat_map(|r: Vec<T>| {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products() {
        assert_eq!(
            choices_product(&[vec![1, 2], vec![3]]),
            Some(vec![vec![1, 3], vec![2, 3]])
        );
        let many: Vec<Vec<u8>> = (0..9).map(|_| vec![0, 1]).collect();
        assert_eq!(choices_product(&many), None);
    }

    #[test]
    fn conflicts_and_consensus() {
        let ex = crate::extract::tests::ex(
            "年初预算收入100.5万元。\n年初预算为100.50万元。\n年初预算120.3万元。",
        );
        let f = Facts::of(&ex);
        let c = f.key_value("budget.initial").unwrap();
        assert_eq!(ex.fig(c).value, "100.50");
        assert_eq!(
            f.key_clusters[&("budget.initial".to_string(), None)].len(),
            2
        );
        assert_eq!(f.conflicted.len(), 1);
    }
}
