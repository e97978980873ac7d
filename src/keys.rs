//! The canonical figure keys of `../shared/spec/fields.md`, in its order.
//!
//! This is the one list in code: the dataset (`extract --format csv|xlsx`) has one column per
//! key, so that reports from different departments and years line up. A test holds it equal
//! to fields.md and proves that every key a pattern can give is here.

pub const KEYS: &[&str] = &[
    // Headcounts (人)
    "staff.authorized",
    "staff.actual",
    "staff.retired",
    // Budget (万元)
    "budget.initial",
    "budget.initial.basic",
    "budget.initial.project",
    "budget.initial.personnel",
    "budget.initial.public",
    "budget.adjustment",
    "budget.adjustment.basic",
    "budget.adjustment.project",
    "budget.total",
    "budget.total.basic",
    "budget.total.project",
    // Final accounts (万元)
    "final.income",
    "final.expenditure",
    "final.expenditure.basic",
    "final.expenditure.project",
    "final.expenditure.personnel",
    "final.expenditure.public",
    "final.carryover",
    // 三公经费 and procurement (万元)
    "threepublic.budget",
    "threepublic.actual",
    "threepublic.vehicle.budget",
    "threepublic.vehicle.actual",
    "threepublic.reception.budget",
    "threepublic.reception.actual",
    "threepublic.abroad.budget",
    "threepublic.abroad.actual",
    "procurement.budget",
    "procurement.actual",
    "operating.expenditure",
    // Balance sheet (万元)
    "assets.total",
    "liabilities.total",
    "assets.net",
    // Scores (分)
    "score.total",
    "score.common",
    "score.department",
    // Claimed rates (%)
    "rate.execution",
    "rate.completion",
    "rate.budget_control",
    "rate.staff_control",
    "rate.threepublic_control",
    "rate.threepublic_change",
    "rate.public_control",
    "rate.procurement",
    "rate.funds_in_place",
    "rate.satisfaction",
    "share.basic",
    "share.project",
];

/// Keys of the department's own overall budget or accounts: rates named only by their kind
/// (执行率) under such a subject are the department's.
pub const GENERAL: &[&str] = &[
    "budget.initial",
    "budget.total",
    "budget.adjustment",
    "final.expenditure",
    "final.income",
];

/// Whether `key` is one of [`KEYS`].
pub fn is_canonical(key: &str) -> bool {
    KEYS.contains(&key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Patterns;

    #[test]
    fn general_keys_are_keys() {
        assert!(GENERAL.iter().all(|k| is_canonical(k)));
    }

    #[test]
    fn keys_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for k in KEYS {
            assert!(seen.insert(k), "{k} listed twice");
        }
    }

    /// A figure pattern whose key is missing here would put its figures in no column.
    #[test]
    fn every_figure_pattern_key_is_a_column() {
        for p in Patterns::builtin().family("figure") {
            let key = p.key().expect("a figure pattern yields a key");
            assert!(
                is_canonical(key),
                "pattern {} gives key {key} which is not in keys::KEYS",
                p.id,
            );
        }
    }

    /// The first cell of each table row of fields.md names keys; `a.b / .c` abbreviates
    /// `a.b` and `a.c`, and `x / y` lists two keys.
    fn spec_keys(md: &str) -> Vec<String> {
        let mut out = Vec::new();
        for line in md.lines() {
            let Some(rest) = line.strip_prefix("| ") else {
                continue;
            };
            let cell = rest.split('|').next().unwrap_or("").trim();
            if cell == "key" || !cell.contains('.') {
                continue;
            }
            let mut prev: Option<String> = None;
            for part in cell.split('/').map(str::trim) {
                let key = match (part.strip_prefix('.'), &prev) {
                    (Some(last), Some(p)) => {
                        format!("{}.{last}", p.rsplit_once('.').map_or(p.as_str(), |x| x.0))
                    }
                    _ => part.to_string(),
                };
                out.push(key.clone());
                prev = Some(key);
            }
        }
        out
    }

    #[test]
    fn keys_equal_the_spec() {
        let spec =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/fields.md");
        let Ok(md) = std::fs::read_to_string(&spec) else {
            println!("skipped: {} is not beside this checkout", spec.display());
            return;
        };
        let from_spec = spec_keys(&md);
        assert_eq!(from_spec, KEYS, "keys::KEYS differs from fields.md");
    }

    #[test]
    fn spec_abbreviations_expand() {
        let md = "| key | written as |\n|---|---|\n| budget.initial.basic / .project | x |\n| assets.total / liabilities.total | y |\n";
        assert_eq!(
            spec_keys(md),
            [
                "budget.initial.basic",
                "budget.initial.project",
                "assets.total",
                "liabilities.total"
            ]
        );
    }
}
