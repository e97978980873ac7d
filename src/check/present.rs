//! How findings name things: every canonical key's Chinese name, and figures written as the
//! report wrote them (with their value in 万元 where the report used another unit).

use crate::extract::number::UnitClass;
use crate::extract::Figure;

/// A key's name in Chinese for messages, for every key of `keys::KEYS`.
pub fn key_name(key: &str) -> &str {
    match key {
        "staff.authorized" => "编制数",
        "staff.actual" => "实有人数",
        "staff.retired" => "离退休人数",
        "budget.initial" => "年初预算",
        "budget.initial.basic" => "年初预算基本支出",
        "budget.initial.project" => "年初预算项目支出",
        "budget.initial.personnel" => "年初预算人员经费",
        "budget.initial.public" => "年初预算公用经费",
        "budget.adjustment" => "调整预算",
        "budget.adjustment.basic" => "基本支出调整预算",
        "budget.adjustment.project" => "项目支出调整预算",
        "budget.total" => "全年预算",
        "budget.total.basic" => "基本支出全年预算",
        "budget.total.project" => "项目支出全年预算",
        "final.income" => "决算收入",
        "final.expenditure" => "决算支出",
        "final.expenditure.basic" => "基本支出决算",
        "final.expenditure.project" => "项目支出决算",
        "final.expenditure.personnel" => "人员经费",
        "final.expenditure.public" => "公用经费",
        "final.carryover" => "年末结转和结余",
        "threepublic.budget" => "“三公”经费预算",
        "threepublic.actual" => "“三公”经费决算",
        "threepublic.vehicle.budget" => "公务用车购置及运行费预算",
        "threepublic.vehicle.actual" => "公务用车费决算",
        "threepublic.reception.budget" => "公务接待费预算",
        "threepublic.reception.actual" => "公务接待费决算",
        "threepublic.abroad.budget" => "因公出国（境）费预算",
        "threepublic.abroad.actual" => "因公出国（境）费决算",
        "procurement.budget" => "政府采购预算",
        "procurement.actual" => "政府采购金额",
        "operating.expenditure" => "机关运行经费",
        "assets.total" => "资产总额",
        "liabilities.total" => "负债总额",
        "assets.net" => "净资产",
        "score.total" => "自评得分",
        "score.common" => "共性指标得分",
        "score.department" => "部门整体支出绩效得分",
        "rate.execution" => "预算执行率",
        "rate.completion" => "预算完成率",
        "rate.budget_control" => "预算控制率",
        "rate.staff_control" => "财政供养人员控制率",
        "rate.threepublic_control" => "“三公”经费控制率",
        "rate.threepublic_change" => "“三公”经费变动率",
        "rate.public_control" => "公用经费控制率",
        "rate.procurement" => "政府采购执行率",
        "rate.funds_in_place" => "资金到位率",
        "rate.satisfaction" => "满意度",
        "share.basic" => "基本支出占比",
        "share.project" => "项目支出占比",
        _ => key,
    }
}

/// The unit a figure's class is compared in.
pub fn unit_word(f: &Figure) -> &str {
    match f.class {
        UnitClass::Percent => "%",
        UnitClass::Money => "万元",
        _ => f.unit.as_str(),
    }
}

/// A figure as written, with its value in 万元 when written in another unit of money.
pub fn shown(f: &Figure) -> String {
    match (f.class, f.value_wan) {
        (UnitClass::Money, Some(w)) if f.unit != "万元" => {
            format!("{}{}（{}万元）", f.value, f.unit, w.normalize())
        }
        _ => format!("{}{}", f.value, f.unit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KEYS;

    #[test]
    fn every_key_has_a_chinese_name() {
        for k in KEYS {
            let n = key_name(k);
            assert_ne!(n, *k, "{k} has no name");
            assert!(!n.is_ascii(), "{k}: {n}");
        }
    }
}
