//! Layouts and error shapes the generated corpus showed were missed: each test is a
//! hand-written document of the family, not one of the generated files.

use reportlint::check::{self, Severity};
use reportlint::extract::Extraction;

use crate::util::check_text as run;

fn keyed(ex: &Extraction, key: &str) -> Vec<String> {
    ex.figures
        .iter()
        .filter(|f| f.key.as_deref() == Some(key))
        .map(|f| f.value.clone())
        .collect()
}

fn errors(o: &check::Outcome) -> Vec<(&'static str, usize)> {
    o.findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.code, f.evidence[0].span.line))
        .collect()
}

/// A 三公经费 table under its caption: item rows keep their own keys, and a column headed
/// only 预算数 keys the 三公 budget (which does not tell 年初 from 全年 apart) but never the
/// department's 年初 budget.
#[test]
fn threepublic_table_rows_are_keyed() {
    for sep in ["\t", " | "] {
        let rows = [
            "项目|预算数（万元）|决算数（万元）",
            "因公出国（境）费|1.20|0.80",
            "公务用车购置及运行维护费|6.00|5.50",
            "公务接待费|3.10|2.00",
            "合计|10.30|8.30",
        ]
        .map(|r| r.replace('|', sep))
        .join("\n");
        let text = format!("一、基本情况\n\n“三公”经费支出情况表\n{rows}\n");
        let (ex, o) = run(&text);
        assert_eq!(keyed(&ex, "threepublic.abroad.budget"), ["1.20"], "{sep:?}");
        assert_eq!(keyed(&ex, "threepublic.vehicle.actual"), ["5.50"]);
        assert_eq!(keyed(&ex, "threepublic.reception.budget"), ["3.10"]);
        assert_eq!(keyed(&ex, "threepublic.budget"), ["10.30"]);
        assert_eq!(keyed(&ex, "threepublic.actual"), ["8.30"]);
        assert!(keyed(&ex, "budget.initial").is_empty());
        assert!(errors(&o).is_empty(), "{:?}", o.findings);
    }
    // A 预算数 column of a department table keys no 年初 budget.
    let (ex, _) = run("部门预算表\n项目\t预算数（万元）\n基本支出\t100\n项目支出\t50\n合计\t150\n");
    assert!(keyed(&ex, "budget.initial.basic").is_empty());
    assert!(keyed(&ex, "budget.initial").is_empty());
}

/// 基本支出合计 in a 基本支出表 is the basic budget, not the department's whole budget.
#[test]
fn caption_topic_is_not_repeated() {
    let text = "基本支出表\n经济分类\t年初预算数（万元）\t决算支出数（万元）\n\
                工资福利支出\t70.00\t68.00\n商品和服务支出\t20.00\t21.00\n\
                基本支出合计\t90.00\t89.00\n";
    let (ex, _) = run(text);
    assert_eq!(keyed(&ex, "budget.initial.basic"), ["90.00"]);
    assert_eq!(keyed(&ex, "final.expenditure.basic"), ["89.00"]);
    assert!(keyed(&ex, "budget.initial").is_empty());
}

/// A stray digit that makes one column ten times too large: the other columns show the rows
/// are a flat list, so the column is checked, not taken for a hierarchy.
#[test]
fn stray_digit_in_a_column_is_found() {
    let text = "基本支出表\n经济分类\t年初预算数（万元）\t全年预算数（万元）\t决算支出数（万元）\n\
                工资福利支出\t708.05\t1089.38\t948.74\n商品和服务支出\t120.46\t120.46\t122.87\n\
                对个人和家庭的补助\t96.55\t976.55\t237.19\n合计\t925.06\t1306.39\t1308.80\n";
    let (_, o) = run(text);
    assert_eq!(errors(&o), [("S002", 6)], "{:?}", o.findings);
    assert!(o.findings[0]
        .evidence
        .iter()
        .any(|e| e.value == "976.55" && e.span.line == 5));
    // A real hierarchy (every column counts its subtotals twice) is still not checked.
    let text = "支出表\n项目\t年初预算数（万元）\t决算数（万元）\n\
                工资福利支出\t100\t90\n其中：基本工资\t60\t50\n津贴补贴\t40\t40\n\
                合计\t100\t90\n";
    let (_, o) = run(text);
    assert!(errors(&o).is_empty(), "{:?}", o.findings);
}

/// 预算完成率 whose sentence names the 年初 budget but whose value divides by the 全年 one.
#[test]
fn completion_rate_on_the_base_its_sentence_does_not_name() {
    let text = "年初预算3893.22万元，调整后预算数7251.81万元，决算支出7219.31万元。\n\
                预算完成率。年初预算3893.22万元，决算支出7219.31万元，预算完成率99.55%。\n";
    let (_, o) = run(text);
    assert_eq!(errors(&o), [("R002", 2)], "{:?}", o.findings);
    // A sentence that names no base may use either.
    let text = "年初预算3893.22万元，调整后预算数7251.81万元，决算支出7219.31万元。\n\
                预算完成率99.55%。\n";
    let (_, o) = run(text);
    assert!(errors(&o).is_empty(), "{:?}", o.findings);
}

/// A rate over a figure stated with two values is reported when neither value explains it.
#[test]
fn relation_failing_whichever_value_is_true() {
    let base = "2023年部门预算921.29万元，年中调整预算287.51万元。\n单位年初预算921.9万元。\n";
    let (_, o) = run(&format!(
        "{base}预算控制率。本年预算调整287.51万元，预算控制率99.58%。\n"
    ));
    let e = errors(&o);
    assert!(e.contains(&("R001", 3)), "{:?}", o.findings);
    assert!(e.iter().any(|(c, _)| *c == "D001"));
    // One of the two values explains it: only the conflict is reported.
    let (_, o) = run(&format!(
        "{base}预算控制率。本年预算调整287.51万元，预算控制率31.21%。\n"
    ));
    let e = errors(&o);
    assert!(!e.iter().any(|(c, _)| *c == "R001"), "{:?}", o.findings);
}

/// "A a，占“三公”经费的x%": the share is checked against the amount the document names so
/// (here a table cell), a share nudged by 0.01 to make 100% is a warning, a wrong one an error.
#[test]
fn share_of_a_named_whole() {
    let table = "“三公”经费预算表（万元）\n单位\t“三公”经费/小计\t因公出国（境）费\t公务接待费\n\
                 本级\t670.12\t180.00\t490.12\n\n";
    let text = |a: &str| {
        format!(
            "{table}因公出国（境）费支出180万元，占“三公”经费的{a}%；公务用车购置及运行费支出304.4万元，\
             占“三公”经费的45.43%；公务接待费支出185.72万元，占“三公”经费的27.71%。\n"
        )
    };
    let (_, o) = run(&text("26.86"));
    assert!(errors(&o).is_empty(), "{:?}", o.findings);
    let warned: Vec<&str> = o
        .findings
        .iter()
        .filter(|f| f.code == "R001" && f.severity == Severity::Warning)
        .map(|f| f.evidence[0].value.as_str())
        .collect();
    assert_eq!(warned, ["45.43"], "{:?}", o.findings);
    let (_, o) = run(&text("28.86"));
    assert!(
        o.findings.iter().any(|f| f.code == "R001"
            && f.severity == Severity::Error
            && f.evidence[0].value == "28.86"),
        "{:?}",
        o.findings
    );
    // A whole the document states with two values is not guessed at.
    let (_, o) = run(&format!("“三公”经费预算680万元。\n{}", text("26.86")));
    assert!(
        !o.findings.iter().any(|f| f.code == "R001"),
        "{:?}",
        o.findings
    );
}

/// 人员经费 = 工资福利支出 + 对个人和家庭的补助, whose parts have no key: found by their
/// names in the same phase, in a table or a sentence.
#[test]
fn personnel_identity_over_named_items() {
    let table = "基本支出表\n经济分类\t年初预算数（万元）\t决算支出数（万元）\n\
                 工资福利支出\t1260.84\t1437.00\n商品和服务支出\t256.80\t292.75\n\
                 对个人和家庭的补助\t171.93\t124.96\n基本支出合计\t1689.57\t1854.71\n\n";
    let text = |v: &str| {
        format!(
            "二、2023年度部门决算情况\n{table}人员经费支出{v}万元，其中工资福利费用1437万元，对个人和家庭的补助费用124.96万元。\n"
        )
    };
    let (_, o) = run(&text("1561.96"));
    assert!(errors(&o).is_empty(), "{:?}", o.findings);
    let (_, o) = run(&text("15561.96"));
    assert!(
        o.findings
            .iter()
            .any(|f| f.code == "I001" && f.evidence[0].value == "15561.96"),
        "{:?}",
        o.findings
    );
    // A dropped digit in one part (143.7 for 1437): the table's value makes the identity
    // hold, so the text's is the wrong one.
    let (_, o) = run(&text("1561.96").replace("工资福利费用1437万元", "工资福利费用143.7万元"));
    let e: Vec<_> = o
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        (e[0].code, e[0].evidence[0].value.as_str()),
        ("D002", "143.7")
    );
}

/// In a budget report the shares of 基本支出 and 项目支出 are of the year's budget; a label
/// ending in 合计 keeps its 计.
#[test]
fn budget_shares_and_total_labels() {
    let text = |a: &str| {
        format!(
            "一、部门预算情况\n2024年年初预算100.00万元。\n按支出功能分：基本支出60.00万元，占{a}%；项目支出40.00万元，占40.00%。\n"
        )
    };
    let (_, o) = run(&text("60.00"));
    assert!(errors(&o).is_empty(), "{:?}", o.findings);
    assert!(o.passed >= 2, "{:?}", o.relations);
    let (_, o) = run(&text("62.00"));
    assert_eq!(errors(&o).len(), 1, "{:?}", o.findings);
    assert_eq!(o.findings[0].code, "R001");

    let (ex, _) = run("本年支出预算合计28849.38万元。\n");
    assert_eq!(ex.figures[0].label, "本年支出预算合计");
}
