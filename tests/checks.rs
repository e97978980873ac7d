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
    let r = run("corpus/sh_putuo_ghzy_2024_dept_final.pdf", Mode::Check);
    assert!(
        cites(&r, "D002", "236.63", "236.64"),
        "卫生健康支出 236.63 vs 236.64: {:?}",
        r.findings
    );
    // 2319.21 against parts adding to 2319.22: within rounding, so a warning.
    assert!(
        r.findings.iter().any(|f| f.code == "S001"
            && f.severity == "warning"
            && f.evidence.iter().any(|e| e.value == "2319.21")),
        "政府采购 2319.21: {:?}",
        r.findings
    );
    assert_eq!(errors(&r), 2, "{:?}", r.findings);
    let r = run("corpus/js_gaoyuan_2017_dept_budget.pdf", Mode::Check);
    assert_eq!(errors(&r), 1, "{:?}", r.findings);
    assert!(
        r.findings.iter().any(|f| f.code == "R003"
            && f.message.contains("79.05")
            && f.message.contains("79.09")),
        "{:?}",
        r.findings
    );
    // Its 公务用车 share was nudged to make the three shares 100% (304.40 / 670.12 = 45.42%,
    // written 45.43%; the whole stands in a table): a warning, not an error.
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "R001" && f.severity == "warning" && f.evidence[0].value == "45.43"),
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

/// The relations the Huaihua report states hold and are counted as passed: its sums, its
/// seven claimed rates, its tables' totals and its counts.
#[test]
fn huaihua_relations_that_hold_are_passed() {
    use reportlint::extract::{extract, Patterns};
    let text = std::fs::read_to_string(crate::util::path(SEED_FORMS[0])).unwrap();
    let doc = reportlint::reader::txt::read(text.as_bytes()).unwrap();
    let ex = extract(&doc, &Patterns::builtin());
    let o = reportlint::check::run(&doc, &ex);
    let values = |rel: &[reportlint::extract::FigureId]| -> Vec<String> {
        let mut v: Vec<String> = rel.iter().map(|&i| ex.fig(i).value.clone()).collect();
        v.sort();
        v
    };
    let failed: Vec<Vec<String>> = o
        .findings
        .iter()
        .map(|f| {
            let mut v: Vec<String> = f.evidence.iter().map(|e| e.value.clone()).collect();
            v.sort();
            v
        })
        .collect();
    let expected: &[(&str, &[&str])] = &[
        ("年初预算 = 基本 + 项目", &["1267.63", "1045.63", "222"]),
        (
            "基本支出 = 人员经费 + 公用经费",
            &["1045.63", "930.13", "115.5"],
        ),
        ("决算 = 基本 + 项目", &["3635.1", "1660.94", "1974.16"]),
        (
            "人员经费 = 工资福利 + 对个人和家庭",
            &["1526.45", "1410.11", "116.34"],
        ),
        (
            "三公预算 = 公务用车 + 公务接待",
            &["57.39", "22.05", "35.34"],
        ),
        (
            "三公决算 = 公务用车 + 公务接待",
            &["21.42", "18.91", "2.51"],
        ),
        ("资产 = 负债 + 净资产", &["9478.36", "5122.09", "4356.27"]),
        ("全年 = 年初 + 调整", &["3635.1", "1267.63", "2367.47"]),
        ("财政供养人员控制率", &["89.91", "98", "109"]),
        ("三公经费变动率", &["0", "57.39", "57.39"]),
        ("预算完成率", &["100.00"]),
        ("预算控制率", &["186.76", "2367.47"]),
        ("公用经费控制率", &["116.44", "134.49", "115.5"]),
        ("三公经费控制率", &["37.32", "21.42", "57.39"]),
        ("政府采购执行率", &["100", "35.59", "35.59"]),
        ("基本支出占比", &["45.69", "1660.94", "3635.1"]),
        ("项目支出占比", &["54.31", "1974.16", "3635.1"]),
        ("预算情况表 年初合计", &["1,045.63", "222.00", "1267.63"]),
        ("预算情况表 调整合计", &["615.31", "1752.16", "2367.47"]),
        ("预算情况表 全年合计", &["1660.94", "1974.16", "3635.1"]),
        (
            "基本支出表 合计行",
            &["822.74", "162.14", "60.75", "1045.63"],
        ),
        (
            "项目支出表 合计行",
            &["20", "30", "82", "1358.24", "1974.16"],
        ),
    ];
    for (what, vals) in expected {
        let want: Vec<String> = vals.iter().map(|v| v.replace(',', "")).collect();
        let hit = o
            .relations
            .iter()
            .map(|r| values(r))
            .find(|v| want.iter().all(|w| v.contains(w)));
        let hit = hit.unwrap_or_else(|| panic!("{what}: no checked relation over {want:?}"));
        assert!(!failed.contains(&hit), "{what}: {hit:?} failed");
    }
    for (noun, n) in [("科室", 17), ("二级机构", 6), ("县市区", 11)] {
        let c = ex
            .counts
            .iter()
            .find(|c| c.noun == noun)
            .unwrap_or_else(|| panic!("{noun}"));
        assert_eq!((c.count, c.items.len()), (n, n as usize));
    }
    assert_eq!(o.failed, 2);
}
