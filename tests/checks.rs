//! Checks: the Huaihua report's two errors in every form, known corpus inconsistencies,
//! and the registry's docs.

use reportlint::check::CHECKS;
use reportlint::pipeline::Mode;

use crate::util::{run, SEED_FORMS};

#[test]
fn huaihua_has_exactly_two_errors_in_every_form() {
    for rel in SEED_FORMS {
        let r = run(rel, Mode::Check);
        let errors: Vec<(&str, &str)> = r
            .findings
            .iter()
            .filter(|f| f.severity == "error")
            .map(|f| (f.code.as_str(), f.message.as_str()))
            .collect();
        assert_eq!(errors.len(), 2, "{rel}: {errors:?}");
        assert!(
            errors
                .iter()
                .any(|(c, m)| *c == "S003" && m.contains("184") && m.contains("181")),
            "{rel}: {errors:?}"
        );
        let d = r.findings.iter().find(|f| f.code == "D001").unwrap();
        assert!(
            d.evidence.iter().any(|e| e.value == "1410.26")
                && d.evidence.iter().any(|e| e.value == "1267.63")
        );
        assert!(d.evidence.iter().all(|e| e.line > 0 && !e.text.is_empty()));
        // Its sums, rates, table totals and counts hold and are counted as passed.
        assert!(r.checks.passed >= 50, "{rel}: {:?}", r.checks);
        assert_eq!(r.checks.failed, 2);
    }
}

#[test]
fn known_corpus_inconsistencies_are_found() {
    let errors = |r: &reportlint::report::DocumentRecord| {
        r.findings.iter().filter(|f| f.severity == "error").count()
    };
    // The clean control and the 盘龙区 budget: nothing to report.
    for clean in [
        "corpus/sh_czj_2025_unit_budget.pdf",
        "corpus/km_panlong_renda_2017_dept_budget.txt",
    ] {
        let r = run(clean, Mode::Check);
        assert_eq!(errors(&r), 0, "{clean}: {:?}", r.findings);
        assert!(r.checks.passed >= 3, "{clean}: {:?}", r.checks);
    }
    let r = run("corpus/sh_putuo_shiquan_2025_dept_final.txt", Mode::Check);
    let cites = |r: &reportlint::report::DocumentRecord, code: &str, a: &str, b: &str| {
        r.findings.iter().any(|f| {
            f.code == code
                && f.evidence.iter().any(|e| e.value == a)
                && f.evidence.iter().any(|e| e.value == b)
        })
    };
    assert!(
        cites(&r, "S002", "13583.48", "2921.97"),
        "城乡社区支出 row: {:?}",
        r.findings
    );
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "R001" && f.message.contains("93.57")),
        "职业年金 93.57%"
    );
    assert!(cites(&r, "D001", "1.53", "0"), "公务接待费 1.53 vs 0");
    let r = run("corpus/js_gaoyuan_2017_dept_budget.pdf", Mode::Check);
    assert_eq!(errors(&r), 1, "{:?}", r.findings);
    assert!(
        r.findings.iter().any(|f| f.code == "R003"
            && f.message.contains("79.05")
            && f.message.contains("79.09")),
        "{:?}",
        r.findings
    );
    let r = run("corpus/sh_putuo_ghzy_2024_dept_final.pdf", Mode::Check);
    assert!(r
        .findings
        .iter()
        .any(|f| f.evidence.iter().any(|e| e.value == "4884.09")
            && f.evidence.iter().any(|e| e.value == "4896.98")));
}

#[test]
fn every_check_is_documented() {
    let mut codes = std::collections::HashSet::new();
    for c in CHECKS {
        assert!(codes.insert(c.code), "duplicate {}", c.code);
        for h in ["## What it does", "## Why is this bad?", "## Example"] {
            assert!(c.doc.contains(h), "{} lacks {h}", c.code);
        }
        assert!(!c.name.starts_with("no-") && c.name.contains('-'));
    }
}

/// Each check's fixture: the doc's own example must raise it.
#[test]
fn every_check_fires_on_its_example() {
    for c in CHECKS {
        let example = c
            .doc
            .split("```text")
            .nth(1)
            .and_then(|s| s.split("```").next())
            .unwrap()
            .trim();
        let mut b = reportlint::model::TextBuilder::new(reportlint::Format::Txt);
        for l in example.lines() {
            b.paragraph(l, None);
        }
        let doc = b.finish();
        if example.contains('\t') {
            // A table example: read it as a text file would be.
            let d = reportlint::reader::txt::read(example.as_bytes()).unwrap();
            let ex = reportlint::extract::extract(&d, &reportlint::extract::Patterns::builtin());
            let o = reportlint::check::run(&d, &ex);
            assert!(
                o.findings.iter().any(|f| f.code == c.code),
                "{}: {:?}",
                c.code,
                o.findings
            );
            continue;
        }
        let ex = reportlint::extract::extract(&doc, &reportlint::extract::Patterns::builtin());
        let o = reportlint::check::run(&doc, &ex);
        assert!(
            o.findings.iter().any(|f| f.code == c.code),
            "{}: {:?}",
            c.code,
            o.findings
        );
    }
}
