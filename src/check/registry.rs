//! The registry: every check's code, name and doc, and the passes that run them, in order.
//!
//! Who owns a relation: a relation is a set of figures; the first pass, in the order of
//! [`PASSES`], that claims it ([`Checker::claim`]) tests it, and later passes leave it alone.
//! So a relation stated twice counts once, and a 合计 stated both as a table sum and as an
//! identity is reported by the table check. D001 runs first and claims nothing: the figures
//! it finds in conflict are known to every pass ([`super::facts::Facts::conflicted`]), which
//! reports a relation over them only when no stated value makes it hold.

use super::checker::Checker;
use super::rules;

/// A check's entry in the registry.
pub struct CheckInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub doc: &'static str,
}

/// One row per check. `explain` prints the doc; tests prove each code has fixtures and that
/// the docs have their headings.
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
        code: "R004",
        name: "comparison-word-contradicts-figures",
        doc: include_str!("docs/R004.md"),
    },
    CheckInfo {
        code: "N001",
        name: "count-differs-from-list",
        doc: include_str!("docs/N001.md"),
    },
    CheckInfo {
        code: "T001",
        name: "copy-slip",
        doc: include_str!("docs/T001.md"),
    },
    CheckInfo {
        code: "T002",
        name: "name-variant",
        doc: include_str!("docs/T002.md"),
    },
    CheckInfo {
        code: "T003",
        name: "year-reference-wrong",
        doc: include_str!("docs/T003.md"),
    },
    CheckInfo {
        code: "T004",
        name: "classification-name-mismatch",
        doc: include_str!("docs/T004.md"),
    },
    CheckInfo {
        code: "T005",
        name: "change-without-reason",
        doc: include_str!("docs/T005.md"),
    },
    CheckInfo {
        code: "F001",
        name: "score-exceeds-weight",
        doc: include_str!("docs/F001.md"),
    },
    CheckInfo {
        code: "F002",
        name: "form-total-mismatch",
        doc: include_str!("docs/F002.md"),
    },
    CheckInfo {
        code: "F003",
        name: "grade-mismatch",
        doc: include_str!("docs/F003.md"),
    },
    CheckInfo {
        code: "F004",
        name: "execution-score-off-rule",
        doc: include_str!("docs/F004.md"),
    },
    CheckInfo {
        code: "F005",
        name: "indicator-missed-but-scored",
        doc: include_str!("docs/F005.md"),
    },
    CheckInfo {
        code: "F006",
        name: "form-funds-do-not-add-up",
        doc: include_str!("docs/F006.md"),
    },
    CheckInfo {
        code: "F007",
        name: "narrative-contradicts-form",
        doc: include_str!("docs/F007.md"),
    },
    CheckInfo {
        code: "C001",
        name: "required-part-missing",
        doc: include_str!("docs/C001.md"),
    },
];

/// A pass: the codes it may report and the function that runs it.
pub struct Pass {
    pub codes: &'static [&'static str],
    pub run: fn(&mut Checker),
}

/// Checks that judge the characters themselves (punctuation, the spelling of a name or of a
/// classification item) and are not run on OCR text: there a stray quote or a misread
/// character is the recogniser's slip, not the report's, and every such finding would be false.
pub const NOT_ON_OCR: &[&str] = &["T001", "T002", "T004"];

/// The passes in run order (see the module doc for who owns a relation).
pub const PASSES: &[Pass] = &[
    Pass {
        codes: &["D001"],
        run: rules::d001_figure_stated_twice::run,
    },
    Pass {
        codes: &["S001"],
        run: rules::s001_parts_do_not_sum_to_total::run,
    },
    Pass {
        codes: &["S002"],
        run: rules::s002_table_total_mismatch::run,
    },
    Pass {
        codes: &["S003"],
        run: rules::s003_score_total_mismatch::run,
    },
    Pass {
        codes: &["R001", "R002"],
        run: rules::r001_r002_rate_claims::run,
    },
    Pass {
        codes: &["R003"],
        run: rules::r003_change_claim_mismatch::run,
    },
    Pass {
        codes: &["R004"],
        run: rules::r004_comparison_word_contradicts::run,
    },
    Pass {
        codes: &["I001"],
        run: rules::i001_identity_broken::run,
    },
    Pass {
        codes: &["D002"],
        run: rules::d002_item_stated_twice::run,
    },
    Pass {
        codes: &["N001"],
        run: rules::n001_count_differs_from_list::run,
    },
    Pass {
        codes: &["T001"],
        run: rules::t001_copy_slip::run,
    },
    Pass {
        codes: &["T002"],
        run: rules::t002_name_variant::run,
    },
    Pass {
        codes: &["T003"],
        run: rules::t003_year_reference::run,
    },
    Pass {
        codes: &["T004"],
        run: rules::t004_classification_name::run,
    },
    Pass {
        codes: &["T005"],
        run: rules::t005_change_without_reason::run,
    },
    Pass {
        codes: &["F001"],
        run: rules::f001_score_exceeds_weight::run,
    },
    Pass {
        codes: &["F002"],
        run: rules::f002_form_total_mismatch::run,
    },
    Pass {
        codes: &["F003"],
        run: rules::f003_grade_mismatch::run,
    },
    Pass {
        codes: &["F004"],
        run: rules::f004_execution_score::run,
    },
    Pass {
        codes: &["F005"],
        run: rules::f005_indicator_missed::run,
    },
    Pass {
        codes: &["F006"],
        run: rules::f006_form_funds_do_not_add_up::run,
    },
    Pass {
        codes: &["F007"],
        run: rules::f007_narrative_contradicts_form::run,
    },
    Pass {
        codes: &["C001"],
        run: rules::c001_required_part_missing::run,
    },
];

pub fn info(code: &str) -> Option<&'static CheckInfo> {
    CHECKS.iter().find(|c| c.code.eq_ignore_ascii_case(code))
}

pub fn name_of(code: &'static str) -> &'static str {
    info(code).map(|c| c.name).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every check is run by exactly one pass, and every pass reports registered codes.
    #[test]
    fn passes_cover_the_checks() {
        for c in CHECKS {
            let n = PASSES.iter().filter(|p| p.codes.contains(&c.code)).count();
            assert_eq!(n, 1, "{} is run by {n} passes", c.code);
        }
        for p in PASSES {
            for code in p.codes {
                assert!(info(code).is_some(), "{code} is not registered");
            }
        }
    }

    #[test]
    fn docs_have_their_headings() {
        let mut codes = std::collections::HashSet::new();
        for c in CHECKS {
            assert!(codes.insert(c.code), "duplicate {}", c.code);
            for h in ["## What it does", "## Why is this bad?", "## Example"] {
                assert!(c.doc.contains(h), "{} lacks {h}", c.code);
            }
            assert!(!c.name.starts_with("no-") && c.name.contains('-'));
        }
    }
}
