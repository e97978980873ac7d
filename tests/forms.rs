//! Performance self-evaluation forms built from the national templates with a seeded random
//! source: 项目支出绩效自评表 and, every fifth, 部门整体支出绩效自评表 (部门（单位）名称, the 资金
//! rows by source and by use), each followed by the report's words about it (执行率, 结余, the
//! share left as a retention, 总分 and 自评等级). They are written as HTML (merged 一级/二级
//! cells, as the web pages write them), as Word documents (the same merges as
//! `gridSpan`/`vMerge`; fifteen of them also exported to PDF by LibreOffice, kept in
//! tests/fixtures/forms/) and as text tables, correct or with one injected error each (twelve
//! kinds, the prose's among them). Every form must be read as a form (its 资金 rows and
//! indicators, the same record in every format), every injected error found by its check
//! (recall ≥ 95% over at least 200 forms with an error; the test prints the figure), and a
//! correct form must raise nothing at all.

use std::path::Path;

use reportlint::pipeline::{self, Config, Mode};
use reportlint::report::DocumentRecord;
use rust_decimal::prelude::*;
use rust_decimal::Decimal;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
}

fn dec(v: i64, dp: u32) -> Decimal {
    Decimal::new(v, dp)
}

fn r2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// One indicator row: names, target and result as written, 分值, 得分, 偏差原因.
struct Ind {
    l1: &'static str,
    l2: &'static str,
    l3: String,
    target: String,
    actual: String,
    weight: Decimal,
    score: Decimal,
    reason: String,
}

/// A form: its 资金 rows (label, 年初, 全年, 执行, 分值, 执行率, 得分) and indicators.
struct Form {
    /// A 部门整体支出绩效自评表: 部门（单位）名称 for 项目名称, the 资金 rows by source and by use.
    dept: bool,
    project: String,
    funds: Vec<[String; 7]>,
    inds: Vec<Ind>,
    total_weight: Decimal,
    total_score: Decimal,
    grade: String,
    /// The report's words under the form: the 执行率, the 结余, the share left unpaid, the
    /// score and grade.
    narrative: String,
}

/// The errors injected, each with the check that must find it.
const KINDS: &[(&str, &str)] = &[
    ("score_over_weight", "F001"),
    ("total_score", "F002"),
    ("total_weight", "F002"),
    ("grade", "F003"),
    ("execution_score", "F004"),
    ("missed_full_marks", "F005"),
    ("fund_rate", "R001"),
    ("fund_rows", "F006"),
    ("narrative_rate", "F007"),
    ("narrative_unpaid", "F007"),
    ("narrative_grade", "F003"),
    ("missed_deadline", "F005"),
];

fn band(s: Decimal) -> &'static str {
    if s >= dec(90, 0) {
        "优"
    } else if s >= dec(80, 0) {
        "良"
    } else if s >= dec(60, 0) {
        "中"
    } else {
        "差"
    }
}

fn form(rng: &mut Rng, i: usize, kind: Option<&str>) -> Form {
    // 项目资金: 财政拨款 and 上年结转 make the total; nothing else.
    let fin = dec(rng.int(5_000, 300_000), 2);
    let carry = dec(rng.int(0, 50_000), 2);
    let total = fin + carry;
    let initial_fin = fin - dec(rng.int(0, 3_000), 2);
    let initial = initial_fin + carry;
    let exec_fin = r2(fin * dec(rng.int(600, 1000), 3));
    let exec_carry = r2(carry * dec(rng.int(600, 1000), 3));
    let exec = exec_fin + exec_carry;
    let rate = |a: Decimal, t: Decimal| {
        if t.is_zero() {
            "—".to_string()
        } else {
            format!("{}%", r2(a / t * dec(100, 0)))
        }
    };
    let mut fund_score = r2(dec(10, 0) * (exec / total).min(Decimal::ONE));
    // Indicators: weights that make 90 with the 资金 row's 10.
    let n = rng.int(6, 9) as usize;
    let mut weights: Vec<i64> = vec![5; n];
    let mut left = 90 - 5 * n as i64;
    while left > 0 {
        let k = rng.int(0, n as i64 - 1) as usize;
        weights[k] += 1;
        left -= 1;
    }
    let names: &[(&str, &str, &str, &str)] = &[
        ("产出指标", "数量指标", "培训人数", "人"),
        ("产出指标", "数量指标", "检查企业数", "家"),
        ("产出指标", "质量指标", "验收合格率", "%"),
        ("产出指标", "时效指标", "按期完成率", "%"),
        ("成本指标", "经济成本指标", "人均培训成本", "元"),
        ("效益指标", "社会效益指标", "群众知晓率", "%"),
        ("效益指标", "可持续影响指标", "制度完善数", "项"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "%"),
        ("产出指标", "数量指标", "宣传活动次数", "次"),
    ];
    let mut inds = Vec::new();
    for (k, &w) in weights.iter().enumerate() {
        let (l1, l2, l3, unit) = names[k % names.len()];
        let weight = dec(w, 0);
        let (target, actual, score, reason) = if l1 == "成本指标" {
            let t = rng.int(100, 900);
            (
                format!("≤{t}{unit}"),
                format!("{}{unit}", t - rng.int(0, 50)),
                weight,
                String::new(),
            )
        } else if unit == "%" {
            let t = rng.int(85, 98);
            if rng.int(0, 4) == 0 {
                // Missed, with fewer points and a reason.
                let a = t - rng.int(1, 10);
                let s = r2(weight * dec(a, 0) / dec(t, 0));
                (
                    format!("≥{t}%"),
                    format!("{a}%"),
                    s,
                    "受疫情影响部分工作推迟，下一步加强调度".into(),
                )
            } else {
                (
                    format!("≥{t}%"),
                    format!("{}%", t + rng.int(0, 100 - t)),
                    weight,
                    String::new(),
                )
            }
        } else if rng.int(0, 5) == 0 {
            ("有所提高".into(), "明显提高".into(), weight, String::new())
        } else {
            let t = rng.int(3, 400);
            (
                format!("≥{t}{unit}"),
                format!("{}{unit}", t + rng.int(0, 40)),
                weight,
                String::new(),
            )
        };
        // Some forms state their 时效指标 as a deadline, met.
        let (l3, target, actual) = if l3 == "按期完成率" && i % 4 == 1 {
            (
                "项目完工时间",
                "2024年12月底前".to_string(),
                format!("2024年{}月", 10 + i % 3),
            )
        } else {
            (l3, target, actual)
        };
        inds.push(Ind {
            l1,
            l2,
            l3: l3.to_string(),
            target,
            actual,
            weight,
            score,
            reason,
        });
    }
    let mut fund_rate = rate(exec, total);
    let mut fin_total = fin;
    let mut total_weight = dec(100, 0);
    match kind {
        Some("score_over_weight") => {
            let k = rng.int(0, n as i64 - 1) as usize;
            inds[k].score = inds[k].weight + dec(rng.int(1, 5), 0);
        }
        Some("execution_score") => {
            fund_score = (fund_score - dec(rng.int(150, 300), 2)).max(Decimal::ZERO);
        }
        Some("missed_full_marks") => {
            let k = (0..n)
                .find(|&k| inds[k].target.starts_with('≥'))
                .unwrap_or(0);
            inds[k].target = "≥90%".into();
            inds[k].actual = format!("{}%", rng.int(60, 89));
            inds[k].score = inds[k].weight;
            inds[k].reason.clear();
        }
        Some("missed_deadline") => {
            let k = (0..n).find(|&k| inds[k].l2 == "时效指标").unwrap_or(0);
            inds[k].l3 = "项目完工时间".into();
            inds[k].target = "2024年12月底前".into();
            inds[k].actual = format!("2025年{}月", 1 + i % 6);
            inds[k].score = inds[k].weight;
            inds[k].reason.clear();
        }
        Some("fund_rate") => {
            let q = r2(exec / total * dec(100, 0)) - dec(rng.int(200, 900), 2);
            fund_rate = format!("{q}%");
        }
        Some("fund_rows") => fin_total = fin + dec(rng.int(1_000, 9_000), 2),
        Some("total_weight") => total_weight = dec(rng.int(101, 110), 0),
        _ => {}
    }
    let mut total_score: Decimal = fund_score + inds.iter().map(|x| x.score).sum::<Decimal>();
    let mut grade = band(total_score).to_string();
    match kind {
        Some("total_score") => total_score += dec(rng.int(1, 9), 0),
        Some("grade") => {
            grade = match grade.as_str() {
                "优" => "良",
                _ => "优",
            }
            .into()
        }
        _ => {}
    }
    let fr = |label: &str, a: Decimal, b: Decimal, c: Decimal, w: &str, q: String, s: &str| {
        [
            label.to_string(),
            a.to_string(),
            b.to_string(),
            c.to_string(),
            w.to_string(),
            q,
            s.to_string(),
        ]
    };
    let blank = |label: &str| {
        let mut r: [String; 7] = Default::default();
        r[0] = label.to_string();
        r
    };
    let dept = i % 5 == 2;
    let total_row = fr(
        "年度资金总额",
        initial,
        total,
        exec,
        "10",
        fund_rate.clone(),
        &fund_score.to_string(),
    );
    // A 部门整体 form breaks the total down by source and by use (基本支出 + 项目支出).
    let split = |x: Decimal| {
        let basic = r2(x * dec(6, 1));
        (basic, x - basic)
    };
    let ((bi, pi), (bt, pt), (be, pe)) = (split(initial), split(total), split(exec));
    let pt_shown = if kind == Some("fund_rows") {
        pt + (fin_total - fin)
    } else {
        pt
    };
    let dept_funds = vec![
        total_row.clone(),
        blank("按收入性质分："),
        fr(
            "其中：一般公共预算",
            initial_fin,
            fin,
            exec_fin,
            "—",
            "—".into(),
            "—",
        ),
        fr("其他资金", carry, carry, exec_carry, "—", "—".into(), "—"),
        blank("按支出性质分："),
        fr("其中：基本支出", bi, bt, be, "—", "—".into(), "—"),
        fr("项目支出", pi, pt_shown, pe, "—", "—".into(), "—"),
    ];
    let project_funds = vec![
        fr(
            "年度资金总额",
            initial,
            total,
            exec,
            "10",
            fund_rate,
            &fund_score.to_string(),
        ),
        fr(
            "其中：当年财政拨款",
            initial_fin,
            fin_total,
            exec_fin,
            "—",
            rate(exec_fin, fin_total),
            "—",
        ),
        fr(
            "上年结转资金",
            carry,
            carry,
            exec_carry,
            "—",
            rate(exec_carry, carry),
            "—",
        ),
        fr(
            "其他资金",
            dec(0, 2),
            dec(0, 2),
            dec(0, 2),
            "—",
            "—".into(),
            "—",
        ),
    ];
    let funds = if dept { dept_funds } else { project_funds };
    let project = if dept {
        format!("第{i}号市直单位")
    } else {
        format!("第{i}号专项工作经费")
    };
    // The report's words: the true rate and balance, the share unspent (a retention) when
    // there is one, the score and grade; or one of them wrong.
    let true_rate = r2(exec / total * dec(100, 0));
    let said_rate = match kind {
        Some("narrative_rate") => true_rate - dec(rng.int(200, 900), 2),
        _ => true_rate,
    };
    let unspent = dec(100, 0) - true_rate;
    let unpaid = match kind {
        Some("narrative_unpaid") => format!(
            "，剩余{}%为质保金，待质保期满后支付",
            r2(unspent) + dec(5, 0)
        ),
        _ if unspent >= dec(1, 0) => format!("，剩余{unspent}%为质保金，待质保期满后支付"),
        _ => String::new(),
    };
    let said_grade = match kind {
        Some("narrative_grade") => {
            if band(total_score) == "优" {
                "良"
            } else {
                "优"
            }
        }
        _ => band(total_score),
    };
    let what = if dept {
        "部门整体预算"
    } else {
        "项目资金"
    };
    let narrative = format!(
        "{project}{what}执行率{said_rate}%，年末结余资金{}万元{unpaid}。经自评，自评得分{total_score}分，自评等级为{said_grade}。",
        total - exec
    );
    Form {
        dept,
        narrative,
        project,
        funds,
        inds,
        total_weight,
        total_score,
        grade,
    }
}

/// The form as a web page: one table, 11 columns, 一级/二级 merged down their rows.
/// A cell of the form's table: text, columns and rows it spans.
type C = (String, usize, usize);

fn c(t: impl Into<String>, cols: usize) -> C {
    (t.into(), cols, 1)
}

/// The form as merged cells, the layout of the template: 11 grid columns, 一级/二级 indicator
/// names spanning their indicators' rows.
fn cells(f: &Form) -> Vec<Vec<C>> {
    let dept = "某市发展和改革委员会";
    let mut rows = vec![
        vec![c(name_label(f), 2), c(f.project.clone(), 9)],
        vec![c("主管部门", 2), c(dept, 4), c("实施单位", 2), c(dept, 3)],
        vec![
            c(funds_label(f), 4),
            c("年初预算数", 1),
            c("全年预算数", 1),
            c("全年执行数", 1),
            c("分值", 1),
            c("执行率", 2),
            c("得分", 1),
        ],
    ];
    if f.dept {
        // A 部门整体 form names its department only.
        rows.remove(1);
    }
    for r in &f.funds {
        rows.push(vec![
            c(r[0].clone(), 4),
            c(r[1].clone(), 1),
            c(r[2].clone(), 1),
            c(r[3].clone(), 1),
            c(r[4].clone(), 1),
            c(r[5].clone(), 2),
            c(r[6].clone(), 1),
        ]);
    }
    rows.push(vec![
        c("年度总体目标", 1),
        c("完成年度工作任务。", 5),
        c("已完成年度工作任务。", 5),
    ]);
    rows.push(vec![
        c("绩效指标", 1),
        c("一级指标", 1),
        c("二级指标", 1),
        c("三级指标", 2),
        c("年度指标值", 1),
        c("实际完成值", 1),
        c("分值", 1),
        c("得分", 1),
        c("偏差原因分析及改进措施", 2),
    ]);
    let mut k = 0;
    while k < f.inds.len() {
        let l1 = f.inds[k].l1;
        let run1 = f.inds[k..].iter().take_while(|x| x.l1 == l1).count();
        let mut j = k;
        while j < k + run1 {
            let l2 = f.inds[j].l2;
            let run2 = f.inds[j..k + run1]
                .iter()
                .take_while(|x| x.l2 == l2)
                .count();
            for m in j..j + run2 {
                let x = &f.inds[m];
                let mut row = Vec::new();
                if m == k {
                    row.push((String::new(), 1, run1));
                    row.push((l1.to_string(), 1, run1));
                }
                if m == j {
                    row.push((l2.to_string(), 1, run2));
                }
                row.extend([
                    c(x.l3.clone(), 2),
                    c(x.target.clone(), 1),
                    c(x.actual.clone(), 1),
                    c(x.weight.to_string(), 1),
                    c(x.score.to_string(), 1),
                    c(x.reason.clone(), 2),
                ]);
                rows.push(row);
            }
            j += run2;
        }
        k += run1;
    }
    rows.push(vec![
        c("总分", 7),
        c(f.total_weight.to_string(), 1),
        c(f.total_score.to_string(), 1),
        c("", 2),
    ]);
    rows.push(vec![c("自评等级", 7), c(f.grade.clone(), 4)]);
    rows
}

fn name_label(f: &Form) -> &'static str {
    if f.dept {
        "部门（单位）名称"
    } else {
        "项目名称"
    }
}

fn funds_label(f: &Form) -> &'static str {
    if f.dept {
        "年度部门整体支出预算执行情况（万元）"
    } else {
        "项目资金（万元）"
    }
}

fn title(f: &Form) -> String {
    let what = if f.dept {
        "部门整体支出绩效自评表"
    } else {
        "项目支出绩效自评表"
    };
    format!("{}{what}", f.project)
}

fn html(f: &Form) -> String {
    let mut s = String::from("<html><head><meta charset=\"utf-8\"></head><body>");
    s += &format!("<p>{}</p><p>（2024年度）</p><table border=\"1\">", title(f));
    for row in cells(f) {
        s += "<tr>";
        for (t, cs, rs) in row {
            let span = |n: usize, a: &str| {
                if n > 1 {
                    format!(" {a}=\"{n}\"")
                } else {
                    String::new()
                }
            };
            s += &format!("<td{}{}>{t}</td>", span(cs, "colspan"), span(rs, "rowspan"));
        }
        s += "</tr>";
    }
    s += &format!("</table><p>{}</p></body></html>", f.narrative);
    s
}

/// The form as a Word document: merged header cells as `gridSpan`, the indicator names'
/// rows as `vMerge` (restart, then a continuing cell in each row below), as Word writes them.
fn docx(f: &Form) -> Vec<u8> {
    use std::io::Write;
    let esc = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;");
    let para = |t: &str| format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", esc(t));
    let mut body = para(&title(f)) + &para("（2024年度）");
    let border = |side: &str| {
        format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>")
    };
    body += "<w:tbl><w:tblPr><w:tblBorders>";
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        body += &border(side);
    }
    body += "</w:tblBorders></w:tblPr><w:tblGrid>";
    body += &"<w:gridCol w:w=\"800\"/>".repeat(11);
    body += "</w:tblGrid>";
    // Grid columns still covered by a cell above: (first column, columns, rows left).
    let mut open: Vec<(usize, usize, usize)> = Vec::new();
    for row in cells(f) {
        body += "<w:tr>";
        let mut col = 0;
        let mut cells = row.into_iter().peekable();
        while col < 11 {
            if let Some(o) = open.iter_mut().find(|o| o.0 == col && o.2 > 0) {
                o.2 -= 1;
                body += &format!(
                    "<w:tc><w:tcPr><w:gridSpan w:val=\"{}\"/><w:vMerge/></w:tcPr><w:p/></w:tc>",
                    o.1
                );
                col += o.1;
                continue;
            }
            let Some((t, cs, rs)) = cells.next() else {
                break;
            };
            let merge = if rs > 1 {
                open.push((col, cs, rs - 1));
                "<w:vMerge w:val=\"restart\"/>"
            } else {
                ""
            };
            body += &format!(
                "<w:tc><w:tcPr><w:gridSpan w:val=\"{cs}\"/>{merge}</w:tcPr>{}</w:tc>",
                para(&t)
            );
            col += cs;
        }
        open.retain(|o| o.2 > 0);
        body += "</w:tr>";
    }
    body += "</w:tbl>";
    body += &para(&f.narrative);
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("[Content_Types].xml", opts).unwrap();
    w.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    w.start_file("_rels/.rels", opts).unwrap();
    w.write_all(br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#).unwrap();
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(xml.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

/// The form as a text file: one tab-separated line per row, every row 11 cells.
fn text(f: &Form) -> String {
    let row = |cells: &[&str]| {
        let mut v: Vec<&str> = cells.to_vec();
        v.resize(11, "");
        v.join("\t") + "\n"
    };
    let mut s = format!("{}\n（2024年度）\n", title(f));
    s += &row(&[name_label(f), "", &f.project]);
    if !f.dept {
        s += &row(&[
            "主管部门",
            "",
            "某市发展和改革委员会",
            "",
            "",
            "",
            "实施单位",
            "",
            "某市发展和改革委员会",
        ]);
    }
    s += &row(&[
        funds_label(f),
        "",
        "",
        "",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "",
        "得分",
    ]);
    for r in &f.funds {
        s += &row(&[
            "", "", &r[0], "", &r[1], &r[2], &r[3], &r[4], &r[5], "", &r[6],
        ]);
    }
    s += &row(&[
        "年度总体目标",
        "完成年度工作任务。",
        "",
        "",
        "",
        "",
        "已完成年度工作任务。",
    ]);
    s += &row(&[
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]);
    let mut last = ("", "");
    for x in &f.inds {
        let l1 = if x.l1 != last.0 { x.l1 } else { "" };
        let l2 = if (x.l1, x.l2) != last { x.l2 } else { "" };
        last = (x.l1, x.l2);
        let (w, sc) = (x.weight.to_string(), x.score.to_string());
        s += &row(&[
            "", l1, l2, &x.l3, "", &x.target, &x.actual, &w, &sc, &x.reason,
        ]);
    }
    let (tw, ts) = (f.total_weight.to_string(), f.total_score.to_string());
    s += &row(&["总分", "", "", "", "", "", "", &tw, &ts]);
    s += &row(&["自评等级", "", "", "", "", "", "", &f.grade]);
    s + &f.narrative + "\n"
}

/// The form flattened into one line (a web page's text copied without its table): every
/// non-empty cell in order, one space apart; the report's words on the next line.
fn flat(f: &Form) -> String {
    let t = text(f);
    let body = t.strip_suffix(&format!("{}\n", f.narrative)).unwrap_or(&t);
    let cells: Vec<&str> = body
        .lines()
        .flat_map(|l| l.split('\t'))
        .filter(|c| !c.trim().is_empty())
        .collect();
    format!("{}\n{}\n", cells.join(" "), f.narrative)
}

/// The `i`th generated form and the error injected in it, if any.
fn generated(i: usize) -> (Form, Option<(&'static str, &'static str)>) {
    let mut rng = Rng(0x5EED_0000 + i as u64);
    // A third of the forms are correct; the others carry one error each, kinds in turn (the
    // k-th form with an error gets kind k: every kind as often as the others).
    let kind = (!i.is_multiple_of(3)).then(|| KINDS[(i - i / 3 - 1) % KINDS.len()]);
    (form(&mut rng, i, kind.map(|k| k.0)), kind)
}

/// Writes the generated forms' Word documents that `tests/fixtures/forms/make_pdf.sh` turns
/// into the PDF fixtures (run by that script only).
#[test]
#[ignore]
fn write_forms_for_the_pdf_fixtures() {
    let Some(dir) = std::env::var_os("FORMS_OUT") else {
        return;
    };
    for i in PDF_FORMS {
        std::fs::write(
            Path::new(&dir).join(format!("form{i}.docx")),
            docx(&generated(*i).0),
        )
        .unwrap();
    }
}

/// The forms kept as PDF fixtures: correct ones and one of each injected kind.
const PDF_FORMS: &[usize] = &[0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 14, 16, 17];

fn check(name: &str, bytes: Vec<u8>) -> DocumentRecord {
    pipeline::process_bytes(Path::new(name), bytes, &Config::new(Mode::Check)).record
}

#[test]
fn generated_forms_are_read_and_their_errors_found() {
    let (mut found, mut injected, mut clean_noise) = (0, 0, Vec::new());
    let mut missed = Vec::new();
    let n = 330;
    for i in 0..n {
        let (f, kind) = generated(i);
        let (name, bytes) = match i % 8 {
            0 | 4 => (format!("form{i}.html"), html(&f).into_bytes()),
            7 => (format!("form{i}.flat.txt"), flat(&f).into_bytes()),
            1 | 3 | 5 => (format!("form{i}.txt"), text(&f).into_bytes()),
            _ => (format!("form{i}.docx"), docx(&f)),
        };
        let r = check(&name, bytes);
        assert!(r.error.is_none(), "{name}: {:?}", r.error);
        // Read as a form, with every row.
        // The form, and the report's scoring sentence under it.
        let kinds: Vec<&str> = r.forms.iter().map(|f| f.kind.as_str()).collect();
        let want = if f.dept { "department" } else { "project" };
        // A score over 100 is not read as a grade's (its sentence is about something else).
        let said = if f.total_score <= dec(100, 0) {
            &[want, "narrative"][..]
        } else {
            &[want][..]
        };
        assert_eq!(kinds, said, "{name}: {:?}", r.forms);
        let form = &r.forms[0];
        assert_eq!(
            form.funds.len(),
            if f.dept { 5 } else { 4 },
            "{name}: {:?}",
            form.funds
        );
        assert_eq!(
            form.indicators.len(),
            f.inds.len(),
            "{name}: {:?}",
            form.indicators
        );
        assert_eq!(
            form.goal_planned.as_deref(),
            Some("完成年度工作任务。"),
            "{name}"
        );
        assert_eq!(
            form.goal_actual.as_deref(),
            Some("已完成年度工作任务。"),
            "{name}"
        );
        let named = if f.dept {
            &form.department
        } else {
            &form.project
        };
        assert_eq!(named.as_deref(), Some(f.project.as_str()), "{name}");
        for (got, want) in form.indicators.iter().zip(&f.inds) {
            assert_eq!(
                (got.level1.as_str(), got.level2.as_str()),
                (want.l1, want.l2),
                "{name}"
            );
            assert_eq!(got.level3, want.l3, "{name}");
            assert_eq!(
                got.score.as_deref(),
                Some(want.score.to_string().as_str()),
                "{name}"
            );
        }
        match kind {
            None => {
                if !r.findings.is_empty() {
                    clean_noise.push(format!(
                        "{name}: {:?}",
                        r.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
                    ));
                }
            }
            Some((k, code)) => {
                injected += 1;
                if r.findings.iter().any(|f| f.code == code) {
                    found += 1;
                } else {
                    missed.push(format!(
                        "{name} {k} {code}: {:?}",
                        r.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    println!(
        "forms: {found}/{injected} injected errors found, {} of {} correct forms raised anything",
        clean_noise.len(),
        n - injected
    );
    if std::env::var_os("FORMS_DEBUG").is_some() {
        eprintln!("{clean_noise:#?}\n{missed:#?}");
    }
    assert!(injected >= 200);
    assert!(
        found * 100 >= injected * 95,
        "found {found}/{injected}: {missed:#?}"
    );
    assert!(clean_noise.is_empty(), "{clean_noise:#?}");
}

/// A record's forms without where they stand (lines, pages, the title line), for comparing
/// one form across formats.
fn forms_of(r: &DocumentRecord) -> serde_json::Value {
    let mut v = serde_json::to_value(&r.forms).unwrap();
    for form in v.as_array_mut().unwrap() {
        let o = form.as_object_mut().unwrap();
        for k in ["line", "page", "title"] {
            o.remove(k);
        }
        for key in ["funds", "indicators"] {
            for row in o[key].as_array_mut().unwrap() {
                let row = row.as_object_mut().unwrap();
                row.remove("line");
                row.remove("page");
            }
        }
    }
    v
}

/// The same form as HTML, as text and as a Word document gives the same record.
#[test]
fn one_form_one_record_in_every_format() {
    // A 项目支出 form and a 部门整体 one.
    for i in [1, 2] {
        let mut rng = Rng(7);
        let f = form(&mut rng, i, None);
        let a = check("a.html", html(&f).into_bytes());
        let b = check("b.txt", text(&f).into_bytes());
        let d = check("d.docx", docx(&f));
        let e = check("e.txt", flat(&f).into_bytes());
        assert_eq!(forms_of(&a), forms_of(&b));
        assert_eq!(forms_of(&a), forms_of(&d));
        assert_eq!(forms_of(&a), forms_of(&e));
        assert_eq!(a.forms[0].grade, b.forms[0].grade);
        assert!(a.forms[0].grade.is_some());
        assert_eq!(
            a.forms[0].kind,
            if f.dept { "department" } else { "project" }
        );
    }
}

/// A province's grading in a `--patterns` directory (`grading.toml` beside `inherit.txt`):
/// other bands (85 优, 70 良, 60 中) and a stepped execution score (90% and over all of the
/// 分值, 80% four fifths, 60% half). The forms are judged by it, not by the national bands;
/// and a grading whose examples its bands do not give is refused.
#[test]
fn a_province_grading_from_a_patterns_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inherit.txt"), "*\n").unwrap();
    let scheme = r#"
[[scheme]]
id = "province"
source = "a province's instructions (test)"
execution = "steps"
steps = [[90, 1], [80, 0.8], [60, 0.5]]
examples = [["85", "优"], ["84.9", "良"], ["70", "良"], ["60", "中"], ["59", "差"]]
band = [
  {grade = "优", min = 85, words = ["优", "优秀"]},
  {grade = "良", min = 70, words = ["良", "良好"]},
  {grade = "中", min = 60, words = ["中"]},
  {grade = "差", min = 0, words = ["差"]},
]
"#;
    std::fs::write(dir.path().join("grading.toml"), scheme).unwrap();
    let mut cfg = Config::new(Mode::Check);
    cfg.patterns = std::sync::Arc::new(
        reportlint::extract::Patterns::from_dir(dir.path()).expect("a valid grading"),
    );
    // 85% executed, 10 points: 8 under the steps (8.5 under the national rule); 总分 86 is
    // 优 here (良 nationally).
    let form = |score: &str, total: &str| {
        format!(
            "项目支出绩效自评表\n项目名称\t某项目\n\
             项目资金（万元）\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n\
             年度资金总额\t100\t100\t85\t10\t85%\t{score}\n\
             一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n\
             产出指标\t数量指标\t调查项目\t≥12项\t12项\t90\t78\t部分调查推迟\n\
             总分\t100\t{total}\n自评等级\t优\n"
        )
    };
    let run = |cfg: &Config, text: String| {
        let r = pipeline::process_bytes(Path::new("p.txt"), text.into_bytes(), cfg).record;
        r.findings
            .iter()
            .map(|f| f.code.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(run(&cfg, form("8", "86")), Vec::<String>::new());
    assert_eq!(run(&cfg, form("8.5", "86.5")), ["F004"]);
    // The same forms under the embedded national grading.
    let national = Config::new(Mode::Check);
    let codes = run(&national, form("8", "86"));
    assert!(codes.contains(&"F004".to_string()) && codes.contains(&"F003".to_string()));
    // Examples the bands do not give: the directory is refused, naming the file.
    std::fs::write(
        dir.path().join("grading.toml"),
        scheme.replace(r#"["84.9", "良"]"#, r#"["84.9", "优"]"#),
    )
    .unwrap();
    let err = reportlint::extract::Patterns::from_dir(dir.path()).unwrap_err();
    assert!(
        err.contains("grading.toml") && err.contains("84.9"),
        "{err}"
    );
}

/// The 年度总体目标 row as the templates write it: the two values beside the label, or a row of
/// heads (预期目标, 实际完成情况) and the values in the row below.
#[test]
fn the_goal_is_read_in_both_layouts() {
    let form = |goal: &str| {
        format!(
            "项目支出绩效自评表\n项目名称\t某项目\n\
             项目资金（万元）\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n\
             年度资金总额\t10\t10\t10\t10\t100%\t10\n{goal}\
             一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n\
             产出指标\t数量指标\t调查项目\t≥12项\t12项\t90\t90\t\n总分\t100\t100\n"
        )
    };
    for goal in [
        "年度总体目标\t完成全年统计调查任务\t已完成全年统计调查任务\n",
        "年度总体目标\t预期目标\t实际完成情况\n\t完成全年统计调查任务\t已完成全年统计调查任务\n",
    ] {
        let r = check("g.txt", form(goal).into_bytes());
        let f = &r.forms[0];
        assert_eq!(
            f.goal_planned.as_deref(),
            Some("完成全年统计调查任务"),
            "{goal}"
        );
        assert_eq!(
            f.goal_actual.as_deref(),
            Some("已完成全年统计调查任务"),
            "{goal}"
        );
        assert_eq!(f.indicators.len(), 1, "{goal}");
    }
}

/// The 青神 form of corpus/, written one cell per line: its 资金 rows and indicators.
#[test]
fn a_form_written_one_cell_per_line_is_read() {
    let r = crate::util::run(
        "corpus/sc_qingshen_fgj_2023_project_selfeval_table.txt",
        Mode::Extract,
    );
    assert_eq!(r.forms.len(), 1, "{:?}", r.forms);
    let f = &r.forms[0];
    assert!(f
        .goal_planned
        .as_deref()
        .is_some_and(|g| g.starts_with("严格执行相关政策")));
    assert_eq!(
        f.project.as_deref(),
        Some("51000021R000000019951-工资性支出")
    );
    assert_eq!(f.unit.as_deref(), Some("青神县发展和改革局"));
    assert!(f.title.as_deref().is_some_and(|t| t.contains("自评表")));
    let labels: Vec<&str> = f.funds.iter().map(|x| x.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "总额",
            "其中:财政资金",
            "财政专户管理资金",
            "单位资金",
            "其他资金"
        ]
    );
    let total = &f.funds[0];
    assert_eq!(
        (
            total.initial.as_deref(),
            total.total.as_deref(),
            total.actual.as_deref()
        ),
        (Some("238.93"), Some("251.89"), Some("251.89"))
    );
    assert_eq!(
        (total.rate.as_deref(), total.weight.as_deref()),
        (Some("100.00"), Some("10"))
    );
    let ind: Vec<(&str, &str, &str)> = f
        .indicators
        .iter()
        .map(|i| {
            (
                i.level3.as_str(),
                i.target.as_str(),
                i.weight.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        ind,
        [
            ("发放(缴纳)覆盖率", "=100%", "60"),
            ("足额保障率(参保率)", "=100%", "30")
        ]
    );
    assert_eq!(f.total_weight.as_deref(), Some("100"));
}

/// The dataset's indicator table: one row per indicator, with its form's project and totals.
#[test]
fn indicators_as_a_table() {
    let out = crate::util::bin()
        .args(["extract", "--format", "csv", "--indicators"])
        .arg(crate::util::path(
            "corpus/sc_qingshen_fgj_2023_project_selfeval_table.txt",
        ))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("document,department,year,project,level1,level2,level3"));
    assert_eq!(lines.len(), 3, "{text}");
    // "=100%" would run as a formula in a spreadsheet: it is quoted as text.
    assert!(
        lines[1].contains("产出指标,数量指标,发放(缴纳)覆盖率,'=100%,,60"),
        "{}",
        lines[1]
    );
    let refused = crate::util::bin()
        .args(["check", "--format", "csv", "--indicators", "corpus"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    // The workbook holds the same rows as its sheet `indicators`.
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("d.xlsx");
    let status = crate::util::bin()
        .args(["extract", "--format", "xlsx", "-o"])
        .arg(&book)
        .arg(crate::util::path(
            "corpus/sc_qingshen_fgj_2023_project_selfeval_table.txt",
        ))
        .status()
        .unwrap();
    assert!(status.success());
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(&book).unwrap();
    let sheet = wb.worksheet_range("indicators").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows.len(), lines.len(), "{rows:?}");
    assert_eq!(rows[0][4], "level1");
    assert!(
        rows[1].iter().any(|c| c == "发放(缴纳)覆盖率"),
        "{:?}",
        rows[1]
    );
}

/// The review page draws each form with the rows a finding rests on marked and linked.
#[test]
fn the_review_page_shows_findings_on_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("review.html");
    let out = crate::util::bin()
        .args(["check", "--format", "html", "-o"])
        .arg(&page)
        .arg(crate::util::path(
            "tests/fixtures/checks/F001_fires_score_over_weight.txt",
        ))
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<table class=\"form\">"));
    let flagged: Vec<&str> = html
        .split("<tr class=\"flag\">")
        .skip(1)
        .map(|rest| rest.split("</tr>").next().unwrap_or(""))
        .collect();
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    assert!(flagged[0].contains("培训人数") && flagged[0].contains("href=\"#d0-f0\">F001"));
}

/// Generated forms exported to PDF by LibreOffice (tests/fixtures/forms/make_pdf.sh): each
/// reads into the record its HTML gives, and its injected error is found.
#[test]
fn forms_as_pdf_give_the_same_record() {
    for i in PDF_FORMS {
        let rel = format!("tests/fixtures/forms/form{i}.pdf");
        let bytes = std::fs::read(crate::util::path(&rel)).unwrap();
        let (f, kind) = generated(*i);
        let pdf = check(&rel, bytes);
        let html = check("a.html", html(&f).into_bytes());
        assert!(pdf.error.is_none(), "{rel}: {:?}", pdf.error);
        assert_eq!(forms_of(&pdf), forms_of(&html), "{rel}");
        let codes = |r: &DocumentRecord| {
            r.findings
                .iter()
                .map(|f| f.code.clone())
                .collect::<Vec<_>>()
        };
        match kind {
            None => assert!(pdf.findings.is_empty(), "{rel}: {:?}", codes(&pdf)),
            Some((_, code)) => assert!(
                codes(&pdf).iter().any(|c| c == code),
                "{rel}: {code} not in {:?}",
                codes(&pdf)
            ),
        }
    }
}
