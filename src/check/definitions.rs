//! What the checks know of the keys: how each claimed rate is defined, and the identities
//! that hold between keyed figures by construction. Data, tested against `keys::KEYS`.

use std::sync::LazyLock;

use regex::Regex;

use crate::extract::Phase;

/// Rates stated per item as well as for the whole department: two values of these are
/// not a contradiction.
pub const PER_ITEM_RATES: &[&str] = &["rate.completion", "rate.execution"];

/// The 三公 change rate and the budget it is stated for.
pub const THREEPUBLIC_CHANGE: &str = "rate.threepublic_change";
pub const THREEPUBLIC_BUDGET: &str = "threepublic.budget";

/// The base a rate is computed on, as messages name it.
pub type Base = &'static str;

/// One way to compute a rate: numerator keys, denominator keys, and the base it is on.
pub type Definition = (&'static [&'static str], &'static [&'static str], Base);

/// The share base: a part over the whole it is a share of.
pub const TOTAL: Base = "total";

/// A rate key's definitions, most specific first. A 完成率 that names 年初 is held to the
/// initial budget first.
pub fn rate_definitions(key: &str, label: &str) -> Vec<Definition> {
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
            let initial: Definition = (&["final.expenditure"], &["budget.initial"], "年初");
            let total: Definition = (&["final.expenditure"], &["budget.total"], "全年");
            if label.contains("年初") {
                vec![initial, total]
            } else {
                vec![total, initial]
            }
        }
        // In a budget report the shares are of the year's budget.
        "share.basic" => vec![
            (&["final.expenditure.basic"], &["final.expenditure"], TOTAL),
            (&["budget.initial.basic"], &["budget.initial"], TOTAL),
        ],
        "share.project" => vec![
            (
                &["final.expenditure.project"],
                &["final.expenditure"],
                TOTAL,
            ),
            (&["budget.initial.project"], &["budget.initial"], TOTAL),
        ],
        _ => Vec::new(),
    }
}

/// Every rate key [`rate_definitions`] knows.
pub const DEFINED_RATES: &[&str] = &[
    "rate.staff_control",
    "rate.threepublic_control",
    "rate.public_control",
    "rate.procurement",
    "rate.budget_control",
    "rate.execution",
    "rate.completion",
    "share.basic",
    "share.project",
];

/// A total that is the sum of keyed parts; `optional` parts are added when stated, and so
/// are amounts named by `also` (items without a key of their own, such as 年终结转结余)
/// stated in the section of the total.
pub struct Identity {
    pub total: &'static str,
    pub parts: &'static [&'static str],
    pub optional: &'static [&'static str],
    pub also: &'static [&'static str],
    pub what: &'static str,
}

/// The other components some templates add to 支出 = 基本支出 + 项目支出.
const EXPENDITURE_ALSO: &[&str] = &[
    "年终结转结余",
    "结转下年",
    "预留机动",
    "上缴上级支出",
    "事业单位经营支出",
    "对附属单位补助支出",
];

pub const IDENTITIES: &[Identity] = &[
    Identity {
        total: "budget.total",
        parts: &["budget.initial", "budget.adjustment"],
        optional: &[],
        also: &[],
        what: "全年预算 = 年初预算 + 调整预算",
    },
    Identity {
        total: "budget.total.basic",
        parts: &["budget.initial.basic", "budget.adjustment.basic"],
        optional: &[],
        also: &[],
        what: "基本支出全年预算 = 年初 + 调整",
    },
    Identity {
        total: "budget.total.project",
        parts: &["budget.initial.project", "budget.adjustment.project"],
        optional: &[],
        also: &[],
        what: "项目支出全年预算 = 年初 + 调整",
    },
    Identity {
        total: "assets.total",
        parts: &["liabilities.total", "assets.net"],
        optional: &[],
        also: &[],
        what: "资产总额 = 负债总额 + 净资产",
    },
    Identity {
        total: "budget.initial",
        parts: &["budget.initial.basic", "budget.initial.project"],
        optional: &[],
        also: EXPENDITURE_ALSO,
        what: "年初预算 = 基本支出 + 项目支出",
    },
    Identity {
        total: "final.expenditure",
        parts: &["final.expenditure.basic", "final.expenditure.project"],
        optional: &[],
        also: EXPENDITURE_ALSO,
        what: "决算支出 = 基本支出 + 项目支出",
    },
    Identity {
        total: "threepublic.actual",
        parts: &["threepublic.vehicle.actual", "threepublic.reception.actual"],
        optional: &["threepublic.abroad.actual"],
        also: &[],
        what: "三公经费决算 = 公务用车 + 公务接待",
    },
    Identity {
        total: "threepublic.budget",
        parts: &["threepublic.vehicle.budget", "threepublic.reception.budget"],
        optional: &["threepublic.abroad.budget"],
        also: &[],
        what: "三公经费预算 = 公务用车 + 公务接待",
    },
];

/// Identities that hold within one fund only: 基本支出 = 人员经费 + 公用经费 holds for the
/// 一般公共预算财政拨款 figures of a 基本支出表, not between the department's 基本支出 of all
/// funds and the 财政拨款 人员经费 of the narrative. Checked per named fund, never across.
pub const FUND_IDENTITIES: &[Identity] = &[
    Identity {
        total: "final.expenditure.basic",
        parts: &["final.expenditure.personnel", "final.expenditure.public"],
        optional: &[],
        also: &[],
        what: "基本支出 = 人员经费 + 公用经费",
    },
    Identity {
        total: "budget.initial.basic",
        parts: &["budget.initial.personnel", "budget.initial.public"],
        optional: &[],
        also: &[],
        what: "基本支出 = 人员经费 + 公用经费",
    },
];

/// A keyed total that is the sum of items without keys of their own, found by their nouns
/// in one phase.
pub struct ItemIdentity {
    pub total: &'static str,
    pub phase: Phase,
    pub parts: &'static [&'static LazyLock<Regex>],
    pub what: &'static str,
}

/// 工资福利支出 as a class (a row of a 基本支出表, or named in the text), never 其他工资福利支出.
static WAGES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:基本支出)?工资福利(?:支出|费用|费)?$").unwrap());
static TRANSFERS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:基本支出)?对个人和家庭的?补助(?:支出|费用|费)?$").unwrap());

/// Only in 决算: budgets count 人员经费 by their own rules (a 年初 人员经费 need not equal
/// 工资福利 + 补助 of the same budget, and is then not a mistake).
pub const ITEM_IDENTITIES: &[ItemIdentity] = &[ItemIdentity {
    total: "final.expenditure.personnel",
    phase: Phase::Final,
    parts: &[&WAGES, &TRANSFERS],
    what: "人员经费 = 工资福利支出 + 对个人和家庭的补助",
}];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::is_canonical;

    /// Every key the checks name is a canonical key.
    #[test]
    fn every_key_named_is_canonical() {
        let mut named: Vec<&str> = Vec::new();
        named.extend(PER_ITEM_RATES);
        named.extend([THREEPUBLIC_CHANGE, THREEPUBLIC_BUDGET]);
        for k in DEFINED_RATES {
            named.push(k);
            for label in ["完成率", "完成年初预算的"] {
                for (num, den, _) in rate_definitions(k, label) {
                    named.extend(num);
                    named.extend(den);
                }
            }
        }
        for id in IDENTITIES {
            named.push(id.total);
            named.extend(id.parts);
            named.extend(id.optional);
        }
        for id in ITEM_IDENTITIES {
            named.push(id.total);
        }
        for k in named {
            assert!(is_canonical(k), "{k} is not in keys::KEYS");
        }
    }

    #[test]
    fn defined_rates_have_definitions() {
        for k in DEFINED_RATES {
            assert!(!rate_definitions(k, "").is_empty(), "{k}");
        }
        assert!(rate_definitions("rate.satisfaction", "").is_empty());
    }

    #[test]
    fn item_nouns() {
        assert!(WAGES.is_match("工资福利支出"));
        assert!(!WAGES.is_match("其他工资福利支出"));
        assert!(TRANSFERS.is_match("对个人和家庭的补助"));
    }
}
