//! The review page of `check --format html`: one self-contained HTML file (inline CSS and a
//! small inline script, no network, no web fonts) with a sortable summary of the documents,
//! each document's findings quoting their sentences with the figures marked, the failed
//! arithmetic, and a collapsible view of the extracted text with an anchor per line that each
//! quoted sentence links to.
//!
//! Every string that comes from a document or a path goes through [`esc`]: a report's text
//! must never become markup.

use std::collections::BTreeSet;
use std::io::Write;

use crate::report::{DocumentRecord, EvidenceRecord, FindingRecord, Status};

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// How [`crate::output::quote`] turns document characters into quoted text, so that a
/// figure's characters can be found again inside the quote.
fn quoted_form(chars: &[char]) -> Vec<char> {
    chars
        .iter()
        .filter(|&&c| c != '\n' && c != '\u{c}')
        .map(|&c| if c == '\t' { ' ' } else { c })
        .collect()
}

fn common_suffix(a: &[char], b: &[char]) -> usize {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

fn common_prefix(a: &[char], b: &[char]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Where, in the quoted sentence `quote`, the figure of `ev` stands (character range).
///
/// With the document's text the figure's own characters are looked for (they may differ from
/// the normalised `value`: "1,045.63"), and among several occurrences the one whose
/// surroundings match the document's wins. Without the text, the value itself is looked for
/// where no digit adjoins it.
pub fn locate(quote: &[char], doc: Option<&[char]>, ev: &EvidenceRecord) -> Option<(usize, usize)> {
    if let Some(doc) = doc {
        let (s, e) = (ev.start.min(doc.len()), ev.end.min(doc.len()));
        let raw = quoted_form(&doc[s..e.max(s)]);
        if !raw.is_empty() {
            let before = quoted_form(&doc[s.saturating_sub(60)..s]);
            let after = quoted_form(&doc[e.max(s)..(e + 60).min(doc.len())]);
            let mut best: Option<(usize, usize)> = None;
            for pos in 0..quote.len().saturating_sub(raw.len() - 1) {
                if quote[pos..pos + raw.len()] != raw[..] {
                    continue;
                }
                let score = common_suffix(&quote[..pos], &before)
                    + common_prefix(&quote[pos + raw.len()..], &after);
                if best.is_none_or(|(_, b)| score > b) {
                    best = Some((pos, score));
                }
            }
            if let Some((pos, _)) = best {
                return Some((pos, pos + raw.len()));
            }
        }
    }
    let value: Vec<char> = ev.value.chars().collect();
    if value.is_empty() || value.len() > quote.len() {
        return None;
    }
    let digit = |i: Option<&char>| i.is_some_and(|c| c.is_ascii_digit() || *c == '.');
    (0..=quote.len() - value.len())
        .find(|&p| {
            quote[p..p + value.len()] == value[..]
                && !digit(p.checked_sub(1).and_then(|i| quote.get(i)))
                && !digit(quote.get(p + value.len()))
        })
        .map(|p| (p, p + value.len()))
}

/// `text` with the character ranges `marks` (each with its value) wrapped in `<mark>`;
/// overlapping ranges are dropped after the first.
fn marked(text: &[char], marks: &[(usize, usize, &str)]) -> String {
    let mut marks: Vec<_> = marks.to_vec();
    marks.sort_by_key(|m| (m.0, m.1));
    let mut out = String::new();
    let mut at = 0;
    for (a, b, value) in marks {
        if a < at || b > text.len() || a >= b {
            continue;
        }
        out += &esc(&text[at..a].iter().collect::<String>());
        out += &format!(
            "<mark data-value=\"{}\">{}</mark>",
            esc(value),
            esc(&text[a..b].iter().collect::<String>())
        );
        at = b;
    }
    out += &esc(&text[at.min(text.len())..].iter().collect::<String>());
    out
}

fn line_link(doc: usize, line: usize, page: Option<u32>, has_text: bool) -> String {
    let label = match page {
        Some(p) => format!("第{line}行 · 第{p}页"),
        None => format!("第{line}行"),
    };
    if has_text && line > 0 {
        format!("<a class=\"line\" href=\"#d{doc}-L{line}\">{label}</a>")
    } else {
        format!("<span class=\"line\">{label}</span>")
    }
}

fn severity_label(s: &str) -> &'static str {
    match s {
        "error" => "错误 error",
        "warning" => "警告 warning",
        _ => "提示 notice",
    }
}

fn write_finding(
    w: &mut dyn Write,
    d: usize,
    n: usize,
    f: &FindingRecord,
    doc: Option<&[char]>,
) -> std::io::Result<()> {
    let sev = match f.severity.as_str() {
        "error" | "warning" => f.severity.as_str(),
        _ => "note",
    };
    writeln!(
        w,
        "<li class=\"finding {sev}\" id=\"d{d}-f{n}\" data-code=\"{code}\"><div class=\"head\"><span class=\"sev\">{sl}</span> <a class=\"code\" href=\"#check-{code}\">{code}</a> <span class=\"name\">{name}</span></div>",
        code = esc(&f.code),
        sl = severity_label(sev),
        name = esc(&f.name),
    )?;
    writeln!(w, "<p class=\"msg\">{}</p>", esc(&f.message))?;
    if let Some(a) = &f.arithmetic {
        writeln!(w, "<p class=\"arith\"><code>{}</code></p>", esc(a))?;
    }
    // Evidence quoting the same sentence is shown once, with each of its figures marked.
    let mut groups: Vec<(&EvidenceRecord, Vec<&EvidenceRecord>)> = Vec::new();
    for e in &f.evidence {
        match groups
            .iter_mut()
            .find(|(g, _)| g.line == e.line && g.text == e.text)
        {
            Some((_, v)) => v.push(e),
            None => groups.push((e, vec![e])),
        }
    }
    writeln!(w, "<ul class=\"evidence\">")?;
    for (first, evs) in groups {
        let quote: Vec<char> = first.text.chars().collect();
        let marks: Vec<(usize, usize, &str)> = evs
            .iter()
            .filter_map(|e| locate(&quote, doc, e).map(|(a, b)| (a, b, e.value.as_str())))
            .collect();
        let missing: Vec<String> = evs
            .iter()
            .filter(|e| !marks.iter().any(|m| m.2 == e.value))
            .map(|e| format!("<mark data-value=\"{0}\">{0}</mark>", esc(&e.value)))
            .collect();
        write!(
            w,
            "<li>{} <q>{}</q>",
            line_link(d, first.line, first.page, doc.is_some()),
            marked(&quote, &marks)
        )?;
        if !missing.is_empty() {
            // A figure the quote lost (it was cut at 200 characters) is still named.
            write!(w, " <span class=\"also\">{}</span>", missing.join(" "))?;
        }
        // A table row quoted alone does not say which of its numbers is which.
        let cols: Vec<String> = evs
            .iter()
            .filter_map(|e| {
                e.column
                    .as_ref()
                    .map(|c| format!("{} → {}", esc(&e.value), esc(c)))
            })
            .collect();
        if !cols.is_empty() {
            write!(w, " <span class=\"cols\">列：{}</span>", cols.join("；"))?;
        }
        writeln!(w, "</li>")?;
    }
    writeln!(w, "</ul></li>")
}

/// The extracted text, one anchored line each, with the evidence of the findings marked.
fn write_text_view(
    w: &mut dyn Write,
    d: usize,
    doc: &[char],
    findings: &[FindingRecord],
) -> std::io::Result<()> {
    let spans: BTreeSet<(usize, usize, &str)> = findings
        .iter()
        .flat_map(|f| &f.evidence)
        .map(|e| (e.start, e.end, e.value.as_str()))
        .collect();
    let lines: Vec<&[char]> = doc.split(|&c| c == '\n').collect();
    let count = if doc.last() == Some(&'\n') {
        lines.len() - 1
    } else {
        lines.len()
    };
    writeln!(
        w,
        "<details class=\"text\" id=\"d{d}-text\"><summary>提取的文本 extracted text（{count} 行）</summary><div class=\"lines\">"
    )?;
    let mut offset = 0;
    for (i, line) in lines.iter().take(count).enumerate() {
        let n = i + 1;
        let end = offset + line.len();
        // A span crossing a line end (a slip across a wrapped line) is marked on each line.
        let marks: Vec<(usize, usize, &str)> = spans
            .iter()
            .filter(|(s, e, _)| *s < end && *e > offset && s < e)
            .map(|&(s, e, v)| (s.max(offset) - offset, e.min(end) - offset, v))
            .filter(|(a, b, _)| a < b)
            .collect();
        let shown: Vec<char> = line
            .iter()
            .map(|&c| if c == '\u{c}' || c == '\r' { ' ' } else { c })
            .collect();
        writeln!(
            w,
            "<div class=\"l\" id=\"d{d}-L{n}\"><a class=\"n\" href=\"#d{d}-L{n}\">{n}</a><span class=\"t\">{}</span></div>",
            marked(&shown, &marks)
        )?;
        offset = end + 1;
    }
    writeln!(w, "</div></details>")
}

const STYLE: &str = include_str!("review.css");

/// Sorting by a header click, and opening the collapsed text when a line anchor is followed.
const SCRIPT: &str = include_str!("review.js");

/// The page for `records`; `texts[i]`, when present, is the extracted text of `records[i]`
/// (without it a document has no text view and its line numbers are not links).
pub fn write_html(
    w: &mut dyn Write,
    records: &[DocumentRecord],
    texts: &[Option<String>],
) -> std::io::Result<()> {
    write_head(w, records)?;
    write_summary(w, records)?;
    let mut codes: BTreeSet<&str> = BTreeSet::new();
    for (d, r) in records.iter().enumerate() {
        let text: Option<Vec<char>> = texts
            .get(d)
            .and_then(|t| t.as_ref())
            .map(|t| t.chars().collect());
        write_document(w, d, r, text.as_deref(), &mut codes)?;
    }
    if !codes.is_empty() {
        write_check_notes(w, codes)?;
    }
    writeln!(w, "<script>{SCRIPT}</script></body></html>")
}

/// The document head, the title and the totals of all documents.
fn write_head(w: &mut dyn Write, records: &[DocumentRecord]) -> std::io::Result<()> {
    let errors: usize = records.iter().map(|r| r.errors()).sum();
    let warnings: usize = records.iter().map(|r| r.warnings()).sum();
    let unreadable = records.iter().filter(|r| r.status == Status::Error).count();
    writeln!(
        w,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"generator\" content=\"reportlint\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\
         <title>reportlint 检查报告</title><style>{STYLE}</style></head><body>"
    )?;
    writeln!(w, "<h1>reportlint 检查报告 / check report</h1>")?;
    writeln!(
        w,
        "<p class=\"totals\">{} 份文档，{errors} 个错误，{warnings} 个警告，{unreadable} 份无法读取 / {} documents, {errors} errors, {warnings} warnings, {unreadable} unreadable</p>",
        records.len(),
        records.len()
    )
}

/// One row per document, sortable by any column (see [`SCRIPT`]).
fn write_summary(w: &mut dyn Write, records: &[DocumentRecord]) -> std::io::Result<()> {
    writeln!(
        w,
        "<p class=\"legend\">点击表头排序。“检查”列为“不一致数/核对数”：2/66 表示核对了66处数字关系，其中2处不一致（错误与警告）。\
         <span class=\"sev-e\">错误</span> 确定的不一致；<span class=\"sev-w\">警告</span> 尾差或无法确定的不一致。\
         / Click a header to sort. Checks: inconsistent / relations tested (2/66: 66 tested, 2 inconsistent).</p>\
         <div class=\"scroll\"><table id=\"summary\" class=\"sortable\"><thead><tr>\
         <th tabindex=\"0\" data-key=\"document\">文档 document</th>\
         <th tabindex=\"0\" data-key=\"department\">部门 department</th>\
         <th tabindex=\"0\" data-key=\"year\" data-type=\"num\">年度 year</th>\
         <th tabindex=\"0\" data-key=\"kind\">类型 kind</th>\
         <th tabindex=\"0\" data-key=\"errors\" data-type=\"num\">错误 errors</th>\
         <th tabindex=\"0\" data-key=\"warnings\" data-type=\"num\">警告 warnings</th>\
         <th tabindex=\"0\" data-key=\"unreadable\" data-type=\"num\">无法读取 unreadable</th>\
         <th tabindex=\"0\" data-key=\"checks\" data-type=\"num\">检查 checks</th>\
         </tr></thead><tbody>"
    )?;
    for (d, r) in records.iter().enumerate() {
        let bad = r.status == Status::Error;
        let class = match (bad, r.errors() > 0) {
            (true, _) => "unreadable",
            (false, true) => "has-errors",
            _ => "clean",
        };
        writeln!(
            w,
            "<tr class=\"{class}\"><td><a href=\"#d{d}\">{}</a></td><td>{}</td><td class=\"num\" data-sort=\"{y}\">{y}</td><td>{}</td>\
             <td class=\"num errors\">{}</td><td class=\"num\">{}</td><td class=\"num\" data-sort=\"{}\">{}</td><td class=\"num\" data-sort=\"{}\">{}</td></tr>",
            esc(&r.path),
            esc(r.meta.department.as_deref().unwrap_or("")),
            esc(r.meta.kind.as_deref().unwrap_or("")),
            r.errors(),
            r.warnings(),
            u8::from(bad),
            r.error.as_ref().map_or(String::new(), |e| esc(&e.kind)),
            r.checks.run,
            if r.checks.run > 0 {
                format!("{}/{}", r.checks.failed, r.checks.run)
            } else {
                String::new()
            },
            y = r.meta.year.map_or(String::new(), |y| y.to_string()),
        )?;
    }
    writeln!(w, "</tbody></table></div>")
}

/// The section of document `d`: its metadata, why it could not be read or its findings, and
/// the text view. The codes of its findings go into `codes`, for the notes on the checks.
fn write_document<'a>(
    w: &mut dyn Write,
    d: usize,
    r: &'a DocumentRecord,
    text: Option<&[char]>,
    codes: &mut BTreeSet<&'a str>,
) -> std::io::Result<()> {
    writeln!(
        w,
        "<section class=\"doc\" id=\"d{d}\"><h2>{}</h2>",
        esc(&r.path)
    )?;
    let meta: Vec<String> = [
        r.meta.department.clone(),
        r.meta.year.map(|y| format!("{y}年")),
        r.meta.kind.clone(),
        r.format.clone(),
    ]
    .into_iter()
    .flatten()
    .map(|s| esc(&s))
    .collect();
    if !meta.is_empty() {
        writeln!(w, "<p class=\"meta\">{}</p>", meta.join(" · "))?;
    }
    if let Some(e) = &r.error {
        writeln!(
            w,
            "<p class=\"readerror\">无法读取 unreadable [{}]: {}</p>",
            esc(&e.kind),
            esc(&e.message)
        )?;
    } else if r.checks.run == 0 {
        writeln!(
            w,
            "<p class=\"clean\">没有可做的检查（未找到可相互核对的数字）/ no check applied: no figures to cross-check</p>"
        )?;
    } else if r.findings.is_empty() {
        writeln!(
            w,
            "<p class=\"clean\">{} 项检查全部通过 / all {} checks passed</p>",
            r.checks.run, r.checks.run
        )?;
    } else {
        writeln!(w, "<ol class=\"findings\">")?;
        for (n, f) in r.findings.iter().enumerate() {
            codes.insert(&f.code);
            write_finding(w, d, n, f, text)?;
        }
        writeln!(w, "</ol>")?;
    }
    write_forms(w, d, r)?;
    if let Some(t) = text {
        write_text_view(w, d, t, &r.findings)?;
    }
    writeln!(w, "</section>")
}

/// One row of a drawn form: its cells (escaped), and the links to the findings that rest on
/// it, which mark the row.
fn form_row(w: &mut dyn Write, tds: [String; 8], marks: &str) -> std::io::Result<()> {
    let class = if marks.is_empty() {
        ""
    } else {
        " class=\"flag\""
    };
    let cells: String = tds.iter().map(|t| format!("<td>{t}</td>")).collect();
    writeln!(w, "<tr{class}>{cells}<td>{marks}</td></tr>")
}

/// Each self-evaluation form drawn as a form: its 资金 rows and indicators, a row that a
/// finding rests on marked and linked to the finding.
fn write_forms(w: &mut dyn Write, d: usize, r: &DocumentRecord) -> std::io::Result<()> {
    // The findings resting on each line.
    let on = |line: usize| -> String {
        r.findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.line == line || f.evidence.iter().any(|e| e.line == line))
            .map(|(n, f)| format!("<a href=\"#d{d}-f{n}\">{}</a>", esc(&f.code)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let cell = |v: &Option<String>| esc(v.as_deref().unwrap_or(""));
    for f in &r.forms {
        if f.kind == "narrative" {
            // A report's scoring sentence: its score and grade, and what was found on it.
            let found = on(f.line);
            writeln!(
                w,
                "<p class=\"form{}\">评分 scoring (line {}): 总分 {} · 等级 {} {found}</p>",
                if found.is_empty() { "" } else { " flag" },
                f.line,
                cell(&f.total_score),
                cell(&f.grade),
            )?;
            continue;
        }
        let name = f.project.as_deref().or(f.department.as_deref());
        writeln!(
            w,
            "<details class=\"form\" open><summary>自评表 form: {}</summary><table class=\"form\">",
            esc(name.or(f.title.as_deref()).unwrap_or(""))
        )?;
        writeln!(w, "<tr><th>项目资金</th><th>年初预算数</th><th>全年预算数</th><th>全年执行数</th><th>分值</th><th>执行率</th><th>得分</th><th></th><th>检查</th></tr>")?;
        for x in &f.funds {
            let tds = [
                &Some(x.label.clone()),
                &x.initial,
                &x.total,
                &x.actual,
                &x.weight,
                &x.rate,
                &x.score,
                &None,
            ];
            form_row(w, tds.map(cell), &on(x.line))?;
        }
        writeln!(w, "<tr><th>一级 / 二级指标</th><th>三级指标</th><th>年度指标值</th><th>实际完成值</th><th>分值</th><th>得分</th><th>偏差原因</th><th></th><th>检查</th></tr>")?;
        for i in &f.indicators {
            let levels = format!("{} / {}", i.level1, i.level2);
            let texts = [&levels, &i.level3, &i.target, &i.actual].map(|t| esc(t));
            let tds = [
                texts[0].clone(),
                texts[1].clone(),
                texts[2].clone(),
                texts[3].clone(),
                cell(&i.weight),
                cell(&i.score),
                esc(&i.reason),
                String::new(),
            ];
            form_row(w, tds, &on(i.line))?;
        }
        let total_line = r
            .findings
            .iter()
            .enumerate()
            .filter(|(_, x)| x.code == "F002" || x.code == "F003")
            .map(|(n, x)| format!("<a href=\"#d{d}-f{n}\">{}</a>", esc(&x.code)))
            .collect::<Vec<_>>()
            .join(" ");
        writeln!(
            w,
            "<tr{}><th colspan=\"4\">总分 · 自评等级</th><td>{}</td><td>{}</td><td colspan=\"2\">{}</td><td>{total_line}</td></tr></table></details>",
            if total_line.is_empty() { "" } else { " class=\"flag\"" },
            cell(&f.total_weight),
            cell(&f.total_score),
            cell(&f.grade),
        )?;
    }
    Ok(())
}

/// What each check that found something checks, for the links from the findings.
fn write_check_notes(w: &mut dyn Write, codes: BTreeSet<&str>) -> std::io::Result<()> {
    writeln!(
        w,
        "<section class=\"checks\"><h2>检查说明 / the checks</h2><dl>"
    )?;
    for code in codes {
        if let Some(c) = crate::check::info(code) {
            writeln!(
                w,
                "<dt id=\"check-{}\">{} {}</dt><dd><pre>{}</pre></dd>",
                esc(c.code),
                esc(c.code),
                esc(c.name),
                esc(c.doc.trim())
            )?;
        }
    }
    writeln!(w, "</dl></section>")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(text: &str, value: &str, start: usize, end: usize) -> EvidenceRecord {
        EvidenceRecord {
            column: None,
            line: 1,
            page: None,
            text: text.into(),
            value: value.into(),
            start,
            end,
        }
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href=\"x\" onclick='y'>&</a>"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn the_figure_is_found_by_its_own_characters_and_surroundings() {
        // "100" stands twice in the sentence; the figure is the second, written "1,00" nowhere:
        // its characters and what follows them decide.
        let doc: Vec<char> = "编制100人，实有100人在岗。".chars().collect();
        let quote: Vec<char> = doc.clone();
        let e = ev("", "100", 9, 12);
        assert_eq!(locate(&quote, Some(&doc), &e), Some((9, 12)));
        // Without the text, the first whole-number occurrence of the value.
        assert_eq!(locate(&quote, None, &e), Some((2, 5)));
    }

    #[test]
    fn a_thousands_separator_is_marked_as_written() {
        let doc: Vec<char> = "合计\t1,045.63\t20".chars().collect();
        let quote: Vec<char> = "合计 1,045.63 20".chars().collect();
        let e = ev("", "1045.63", 3, 11);
        assert_eq!(locate(&quote, Some(&doc), &e), Some((3, 11)));
        assert_eq!(
            marked(&quote, &[(3, 11, "1045.63")]),
            "合计 <mark data-value=\"1045.63\">1,045.63</mark> 20"
        );
    }

    #[test]
    fn a_value_inside_a_longer_number_is_not_marked() {
        let quote: Vec<char> = "得分1840分，184分".chars().collect();
        assert_eq!(locate(&quote, None, &ev("", "184", 0, 0)), Some((8, 11)));
    }

    #[test]
    fn marks_escape_their_text_and_skip_overlaps() {
        let t: Vec<char> = "<b>12</b>".chars().collect();
        assert_eq!(
            marked(&t, &[(3, 5, "12"), (4, 6, "2<")]),
            "&lt;b&gt;<mark data-value=\"12\">12</mark>&lt;/b&gt;"
        );
    }
}
