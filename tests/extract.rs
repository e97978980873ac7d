//! Extraction: keys, values and spans on the Huaihua report in every form, the corpus's
//! known figures, and the patterns' own examples.

use reportlint::extract::{extract, Patterns};
use reportlint::model::{Format, TextBuilder};
use reportlint::pipeline::Mode;
use reportlint::report::DocumentRecord;

use crate::util::{run, slice, SEED_FORMS};

fn values(r: &DocumentRecord, key: &str) -> Vec<String> {
    r.figures
        .iter()
        .filter(|f| f.key.as_deref() == Some(key))
        .map(|f| f.value.clone())
        .collect()
}

fn has(r: &DocumentRecord, key: &str, value: &str) -> bool {
    values(r, key).iter().any(|v| v == value)
}

#[test]
fn huaihua_keys_in_every_form() {
    let expected: &[(&str, &str)] = &[
        ("staff.authorized", "109"),
        ("staff.actual", "98"),
        ("budget.initial.basic", "1045.63"),
        ("budget.initial.project", "222"),
        ("budget.initial.personnel", "930.13"),
        ("budget.initial.public", "115.5"),
        ("budget.adjustment", "2367.47"),
        ("budget.total", "3635.1"),
        ("final.income", "3635.1"),
        ("final.expenditure", "3635.1"),
        ("final.expenditure.basic", "1660.94"),
        ("final.expenditure.project", "1974.16"),
        ("final.expenditure.personnel", "1526.45"),
        ("final.expenditure.public", "134.49"),
        ("threepublic.budget", "57.39"),
        ("threepublic.actual", "21.42"),
        ("threepublic.vehicle.actual", "18.91"),
        ("threepublic.reception.actual", "2.51"),
        ("assets.total", "9478.36"),
        ("liabilities.total", "5122.09"),
        ("assets.net", "4356.27"),
        ("score.total", "184"),
        ("score.common", "85"),
        ("score.department", "96"),
        ("rate.staff_control", "89.91"),
        ("rate.threepublic_control", "37.32"),
        ("rate.budget_control", "186.76"),
        ("rate.public_control", "116.44"),
        ("rate.procurement", "100"),
        ("rate.satisfaction", "93.65"),
        ("share.basic", "45.69"),
        ("share.project", "54.31"),
    ];
    for rel in SEED_FORMS {
        let r = run(rel, Mode::Extract);
        for (k, v) in expected {
            assert!(
                has(&r, k, v),
                "{rel}: {k} = {v} not found (have {:?})",
                values(&r, k)
            );
        }
        // 年初预算 1267.63 at each of its mentions (four in text, one in the table), and
        // the sentence that says 1410.26.
        let initial = values(&r, "budget.initial");
        assert_eq!(
            initial.iter().filter(|v| *v == "1267.63").count(),
            5,
            "{rel}: {initial:?}"
        );
        assert!(initial.contains(&"1410.26".to_string()));
        assert_eq!(
            r.meta.department.as_deref(),
            Some("怀化市工业和信息化局"),
            "{rel}"
        );
        assert_eq!(r.meta.year, Some(2022));
        assert_eq!(r.meta.kind.as_deref(), Some("部门整体支出绩效自评报告"));
        // The 项目支出表 gives 23 projects and the 合计 row.
        let projects = r
            .tables
            .iter()
            .find(|t| t.title.as_deref() == Some("项目支出表"))
            .unwrap();
        assert_eq!(projects.rows.len(), 24, "{rel}");
        assert_eq!(projects.columns.len(), 4);
        assert_eq!(projects.rows[23].label.as_deref(), Some("合计"));
        let counts: Vec<(String, u32, usize)> = r
            .counts
            .iter()
            .map(|c| (c.label.clone(), c.count, c.items.len()))
            .collect();
        assert!(
            counts.contains(&("科室".into(), 17, 17)),
            "{rel}: {counts:?}"
        );
        assert!(
            counts.contains(&("二级机构".into(), 6, 6)),
            "{rel}: {counts:?}"
        );
    }
}

#[test]
fn every_figure_stands_at_its_span() {
    let corpus: Vec<String> = std::fs::read_dir(crate::util::path("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x != "md"))
        .map(|p| {
            p.strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    let mut all: Vec<String> = SEED_FORMS.iter().map(|s| s.to_string()).collect();
    all.extend(corpus);
    for rel in &all {
        let doc = reportlint::pipeline::read_document(
            &crate::util::path(rel),
            &reportlint::pipeline::Config::new(Mode::Read),
        )
        .2
        .unwrap();
        let r = run(rel, Mode::Extract);
        assert!(!r.figures.is_empty(), "{rel}");
        for f in &r.figures {
            let written: String = slice(&doc.text, f.start, f.end)
                .chars()
                .map(|c| match c {
                    '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap(),
                    '．' => '.',
                    c => c,
                })
                .filter(|c| {
                    *c != ',' && *c != '，' && !c.is_whitespace() && *c != '%' && *c != '％'
                })
                .collect();
            let chinese = !written.is_ascii();
            if !chinese {
                assert_eq!(
                    written.trim_start_matches('+'),
                    f.value,
                    "{rel}: figure {} at {}..{}",
                    f.label,
                    f.start,
                    f.end
                );
            }
        }
    }
}

#[test]
fn corpus_headcounts_and_totals() {
    let r = run(
        "corpus/hn_yueyang_szcg_2018_dept_selfeval_EXCERPT.txt",
        Mode::Extract,
    );
    assert!(
        has(&r, "staff.authorized", "21") && has(&r, "staff.actual", "21"),
        "{:?}",
        r.figures
    );
    let r = run(
        "corpus/yn_honghe_sjfzzx_2024_dept_selfeval_EXCERPT.txt",
        Mode::Extract,
    );
    assert!(has(&r, "staff.authorized", "15") && has(&r, "staff.actual", "14"));
    let r = run(
        "corpus/yn_honghe_jiedaiban_2024_dept_selfeval_EXCERPT.txt",
        Mode::Extract,
    );
    assert!(has(&r, "staff.actual", "22"));
    let r = run(
        "corpus/km_panlong_renda_2017_dept_budget.txt",
        Mode::Extract,
    );
    assert!(has(&r, "budget.initial", "7464053"));
    let f = r.figures.iter().find(|f| f.value == "7464053").unwrap();
    assert_eq!(f.value_wan.as_deref(), Some("746.4053"));
    let r = run(
        "corpus/sc_qingshen_fgj_2023_project_selfeval_table.txt",
        Mode::Extract,
    );
    assert!(
        has(&r, "budget.initial", "238.93"),
        "{:?}",
        values(&r, "budget.initial")
    );
    assert!(has(&r, "budget.total", "251.89"));
    assert!(has(&r, "rate.execution", "100.00"));
    assert!(
        values(&r, "score.total").is_empty(),
        "blank 得分 cells must not become scores"
    );
    let r = run("corpus/sh_putuo_ghzy_2024_dept_final.pdf", Mode::Extract);
    assert!(r.figures.iter().any(|f| f.value == "4884.09"));
    assert!(r.figures.iter().any(|f| f.value == "4896.98"));
}

#[test]
fn patterns_prove_their_examples() {
    let patterns = Patterns::builtin();
    // The check `--patterns DIR` runs at load, and this test's own reading, must agree.
    patterns.prove().unwrap();
    for p in &patterns.patterns {
        assert!(!p.examples.is_empty(), "{} has no example", p.id);
        assert!(
            !p.counter_examples.is_empty(),
            "{} has no counter-example",
            p.id
        );
        for (text, want) in p
            .examples
            .iter()
            .map(|e| (e, true))
            .chain(p.counter_examples.iter().map(|e| (e, false)))
        {
            let got = match p.family.as_str() {
                "figure" => {
                    let mut b = TextBuilder::new(Format::Txt);
                    b.paragraph(text, None);
                    let ex = extract(&b.finish(), &patterns);
                    ex.figures
                        .iter()
                        .any(|f| f.key.as_deref().is_some() && f.key.as_deref() == p.key())
                }
                _ => p.regex.as_ref().unwrap().is_match(text),
            };
            assert_eq!(
                got,
                want,
                "pattern {}: {:?} should {}match",
                p.id,
                text,
                if want { "" } else { "not " }
            );
        }
    }
}

/// Every number the text writes with a unit of money, percent or people becomes a figure.
/// The reference is an independent, simpler reading of the text.
#[test]
fn numbers_with_units_are_found() {
    let re =
        regex::Regex::new(r"(\d[\d,，]*(?:\.\d+)?)[ \n]*(?:亿元|万元|千元|元|%|％|人)").unwrap();
    let (mut found, mut total) = (0usize, 0usize);
    let mut missed = Vec::new();
    for entry in std::fs::read_dir(crate::util::path("corpus")).unwrap() {
        let p = entry.unwrap().path();
        // The copies of official reports (realworld/) are measured by tests/realworld.rs.
        if p.is_dir() || p.extension().is_some_and(|x| x == "md") {
            continue;
        }
        let rel = p
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap()
            .display()
            .to_string();
        let doc =
            reportlint::pipeline::read_document(&p, &reportlint::pipeline::Config::new(Mode::Read))
                .2
                .unwrap();
        let r = run(&rel, Mode::Extract);
        let starts: std::collections::HashSet<usize> = r.figures.iter().map(|f| f.start).collect();
        for m in re.captures_iter(&doc.text) {
            let g = m.get(1).unwrap();
            let prev = doc.text[..g.start()].chars().next_back();
            // Part of a longer token (a code, a date, "A3"): not a figure of its own.
            if prev.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == '第') {
                continue;
            }
            total += 1;
            let start = doc.text[..g.start()].chars().count();
            if starts.contains(&start) {
                found += 1;
            } else if missed.len() < 20 {
                missed.push(format!("{rel}: {}", m.get(0).unwrap().as_str()));
            }
        }
    }
    let recall = found as f64 / total as f64;
    eprintln!(
        "numbers with units: {found}/{total} found, recall {recall:.3}; first missed: {missed:#?}"
    );
    assert!(total > 500);
    assert!(recall >= 0.95, "recall {recall:.3}; missed {missed:#?}");
}
