//! The outputs people open: the CSV and XLSX dataset read back against the JSON figures, the
//! HTML review page rendered by headless Chromium, its escaping, the progress bar's silence
//! off a terminal, and `explain`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::str::FromStr;

use reportlint::keys::KEYS;
use reportlint::output::table::{LONG_HEADER, WIDE_FIXED};
use reportlint::report::{DocumentRecord, FigureRecord};
use rust_decimal::Decimal;
use scraper::{ElementRef, Html, Selector};

use crate::util::{bin, path};

/// Runs the binary; returns stdout, stderr and the exit code.
fn run(args: &[&str]) -> (Vec<u8>, String, Option<i32>) {
    let out = bin()
        .args(args)
        .env_remove("CI")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

fn corpus() -> String {
    path("corpus").display().to_string()
}

/// The records of `check` (or `extract`) of the corpus as JSON: what every other output must
/// agree with.
fn json_records(cmd: &str) -> Vec<DocumentRecord> {
    let (out, err, _) = run(&[cmd, "--format", "jsonl", &corpus()]);
    let recs: Vec<DocumentRecord> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<DocumentRecord>(l).unwrap())
        // corpus/README.md is listed as skipped: the dataset and the page hold reports only.
        .filter(|r| r.status != reportlint::report::Status::Skipped)
        .collect();
    assert!(recs.len() >= 10, "corpus records: {}; {err}", recs.len());
    recs
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text_of(e: ElementRef) -> String {
    e.text().collect()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

fn dataset_value(f: &FigureRecord) -> &str {
    f.value_wan.as_deref().unwrap_or(&f.value)
}

/// The distinct values (as numbers) a document states for `key`.
fn distinct_values(r: &DocumentRecord, key: &str) -> Vec<Decimal> {
    let mut v: Vec<Decimal> = Vec::new();
    for f in r.figures.iter().filter(|f| f.key.as_deref() == Some(key)) {
        let d = dec(dataset_value(f));
        if !v.contains(&d) {
            v.push(d);
        }
    }
    v
}

fn tmp_out(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

fn read_csv(p: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(p).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "Excel needs the UTF-8 byte-order mark to read Chinese"
    );
    let mut rd = csv::Reader::from_reader(&bytes[3..]);
    let header = rd.headers().unwrap().iter().map(String::from).collect();
    let rows = rd
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn csv_cells_equal_the_json_figures() {
    let recs = json_records("extract");
    let dir = tempfile::tempdir().unwrap();
    let wide = tmp_out(dir.path(), "dataset.csv");
    let long = tmp_out(dir.path(), "figures.csv");
    let c = corpus();
    let (_, err, code) = run(&[
        "extract",
        "--format",
        "csv",
        "-o",
        wide.to_str().unwrap(),
        &c,
    ]);
    assert_eq!(code, Some(0), "{err}");
    let (_, err, code) = run(&[
        "extract",
        "--format",
        "csv",
        "--long",
        "-o",
        long.to_str().unwrap(),
        &c,
    ]);
    assert_eq!(code, Some(0), "{err}");

    let (header, rows) = read_csv(&wide);
    let expected_header: Vec<&str> = WIDE_FIXED.iter().chain(KEYS).copied().collect();
    assert_eq!(header, expected_header);
    assert_eq!(rows.len(), recs.len());
    let mut conflicts = 0;
    let mut filled = 0;
    for (r, row) in recs.iter().zip(&rows) {
        assert_eq!(row[0], r.path);
        assert_eq!(row[1], r.meta.department.clone().unwrap_or_default());
        assert_eq!(
            row[2],
            r.meta.year.map(|y| y.to_string()).unwrap_or_default()
        );
        assert_eq!(row[3], r.meta.kind.clone().unwrap_or_default());
        let multi = &row[WIDE_FIXED.len() - 1];
        for (i, key) in KEYS.iter().enumerate() {
            let cell = &row[WIDE_FIXED.len() + i];
            let want = distinct_values(r, key);
            // A key with several values leaves its numeric column empty and is listed in
            // multi_valued as "key: a | b".
            let listed = multi
                .split("; ")
                .find_map(|e| e.strip_prefix(&format!("{key}: ")));
            let got: Vec<Decimal> = match listed {
                Some(vs) => {
                    assert!(cell.is_empty(), "{} {key}: {cell:?}", r.path);
                    vs.split(" | ").map(dec).collect()
                }
                None if cell.is_empty() => vec![],
                None => vec![dec(cell)],
            };
            assert_eq!(got, want, "{} {key}: cell {cell:?}", r.path);
            filled += usize::from(!want.is_empty());
            conflicts += usize::from(want.len() > 1);
        }
    }
    assert!(filled > 50, "the corpus fills many key cells, got {filled}");
    // Huaihua states its 年初预算 as 1267.63 and once as 1410.26: the cell shows both.
    let huaihua = recs
        .iter()
        .position(|r| r.path.contains("huaihua"))
        .unwrap();
    let col = WIDE_FIXED.len() + KEYS.iter().position(|k| *k == "budget.initial").unwrap();
    assert_eq!(rows[huaihua][col], "");
    assert!(rows[huaihua][WIDE_FIXED.len() - 1].contains("budget.initial: 1267.63 | 1410.26"));
    assert!(conflicts >= 1);

    let (header, rows) = read_csv(&long);
    assert_eq!(header, LONG_HEADER);
    let figures: Vec<(&DocumentRecord, &FigureRecord)> = recs
        .iter()
        .flat_map(|r| r.figures.iter().map(move |f| (r, f)))
        .collect();
    assert_eq!(rows.len(), figures.len());
    let opt = |v: Option<String>| v.unwrap_or_default();
    for (row, (r, f)) in rows.iter().zip(&figures) {
        let want = [
            r.path.clone(),
            opt(f.key.clone()),
            // Text a spreadsheet would run as a formula is written defused.
            reportlint::output::table::guard_formula(&f.label).into_owned(),
            f.value.clone(),
            f.unit.clone(),
            opt(f.value_wan.clone()),
            f.qualifiers.join("、"),
            opt(f.year.map(|y| y.to_string())),
            opt(f.page.map(|p| p.to_string())),
            f.line.to_string(),
            opt(f.table.map(|t| t.table.to_string())),
            opt(f.table.map(|t| t.row.to_string())),
            opt(f.table.map(|t| t.column.to_string())),
        ];
        assert_eq!(row, &want);
    }
}

#[test]
fn xlsx_sheets_hold_the_json_figures() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let recs = json_records("extract");
    let dir = tempfile::tempdir().unwrap();
    let out = tmp_out(dir.path(), "dataset.xlsx");
    let (_, err, code) = run(&[
        "extract",
        "--format",
        "xlsx",
        "-o",
        out.to_str().unwrap(),
        &corpus(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), ["documents", "figures", "indicators"]);

    let as_dec = |c: &Data| -> Option<Decimal> {
        match c {
            Data::Empty => None,
            Data::Float(f) => Some(Decimal::from_f64_retain(*f).unwrap().normalize()),
            Data::Int(i) => Some(Decimal::from(*i)),
            Data::String(s) => Some(dec(s).normalize()),
            other => panic!("unexpected cell {other:?}"),
        }
    };
    // A float read back is the nearest double of the written decimal.
    let same = |a: Decimal, b: Decimal| (a - b).abs() < Decimal::new(1, 9);
    let docs = wb.worksheet_range("documents").unwrap();
    let mut rows = docs.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let expected_header: Vec<&str> = WIDE_FIXED.iter().chain(KEYS).copied().collect();
    assert_eq!(header, expected_header);
    let rows: Vec<&[Data]> = rows.collect();
    assert_eq!(rows.len(), recs.len());
    for (r, row) in recs.iter().zip(&rows) {
        assert_eq!(row[0], Data::String(r.path.clone()));
        assert_eq!(
            row[2],
            r.meta
                .year
                .map_or(Data::Empty, |y| Data::Float(f64::from(y)))
        );
        for (i, key) in KEYS.iter().enumerate() {
            let cell = &row[WIDE_FIXED.len() + i];
            let want = distinct_values(r, key);
            let multi = match &row[WIDE_FIXED.len() - 1] {
                Data::String(s) => s.clone(),
                _ => String::new(),
            };
            match (cell, want.as_slice()) {
                (Data::Empty, []) => {}
                (Data::Empty, many) if many.len() > 1 => {
                    let listed = multi
                        .split("; ")
                        .find_map(|e| e.strip_prefix(&format!("{key}: ")))
                        .unwrap();
                    let got: Vec<Decimal> = listed.split(" | ").map(dec).collect();
                    assert_eq!(got, many, "{} {key}", r.path);
                }
                (c, [one]) => assert!(
                    same(as_dec(c).unwrap(), *one),
                    "{} {key}: {c:?} ≠ {one}",
                    r.path
                ),
                (c, w) => panic!("{} {key}: cell {c:?}, JSON {w:?}", r.path),
            }
        }
    }

    let figs = wb.worksheet_range("figures").unwrap();
    let mut rows = figs.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(header, LONG_HEADER);
    let rows: Vec<&[Data]> = rows.collect();
    let figures: Vec<(&DocumentRecord, &FigureRecord)> = recs
        .iter()
        .flat_map(|r| r.figures.iter().map(move |f| (r, f)))
        .collect();
    assert_eq!(rows.len(), figures.len());
    for (row, (r, f)) in rows.iter().zip(&figures) {
        assert_eq!(row[0], Data::String(r.path.clone()));
        assert_eq!(
            row[1],
            f.key.clone().map_or(Data::Empty, Data::String),
            "{row:?} {f:?}"
        );
        // An empty string is an empty cell.
        let text = |s: &str| {
            if s.is_empty() {
                Data::Empty
            } else {
                Data::String(s.into())
            }
        };
        assert_eq!(row[2], text(&f.label), "{row:?} {f:?}");
        assert!(
            same(as_dec(&row[3]).unwrap(), dec(&f.value)),
            "{row:?} {f:?}"
        );
        if let Some(w) = &f.value_wan {
            assert!(same(as_dec(&row[5]).unwrap(), dec(w)), "{row:?} {f:?}");
        } else {
            assert_eq!(row[5], Data::Empty);
        }
        assert_eq!(as_dec(&row[9]), Some(Decimal::from(f.line)));
        assert_eq!(as_dec(&row[8]), f.page.map(Decimal::from));
    }
}

/// Chromium where the system has it: the test set-up (`.ci/run`) installs it.
fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("CHROMIUM").map(PathBuf::from),
        Some("/usr/bin/chromium".into()),
        Some("/usr/bin/chromium-browser".into()),
        Some("/usr/bin/google-chrome".into()),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

/// Runs headless Chromium on a page with extra arguments; returns stdout.
fn chromium_run(exe: &Path, page: &Path, args: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn artifacts() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| path("target"));
    let dir = target.join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Digits of a figure as written, normalised like `value`: no thousands separators, ASCII.
fn digits(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ',' | '，' | ' '))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap(),
            '．' => '.',
            c => c,
        })
        .collect()
}

#[test]
fn html_report_of_the_corpus_shows_every_finding_in_chromium() {
    let Some(exe) = chromium() else {
        println!(
            "SKIPPED html_report_of_the_corpus_shows_every_finding_in_chromium: no chromium \
             (/usr/bin/chromium); .ci/run installs it with apt-get"
        );
        return;
    };
    let recs = json_records("check");
    let dir = artifacts();
    let page = dir.join("report.html");
    let (_, err, code) = run(&[
        "check",
        "--format",
        "html",
        "-o",
        page.to_str().unwrap(),
        &corpus(),
    ]);
    assert_eq!(code, Some(1), "the corpus has error findings: {err}");
    let dom = chromium_run(&exe, &page, &["--dump-dom".into()]);
    let html = Html::parse_document(&dom);
    let body = html.select(&sel("body")).next().unwrap();
    assert_eq!(
        body.value().attr("data-ready"),
        Some("1"),
        "the inline script ran to its end"
    );
    // One summary row per document, in input order.
    let summary: Vec<String> = html
        .select(&sel("#summary tbody tr td:first-child"))
        .map(text_of)
        .collect();
    let paths: Vec<&str> = recs.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(summary, paths);

    let mut findings = 0;
    let mut marks = 0;
    for (d, r) in recs.iter().enumerate() {
        for (n, f) in r.findings.iter().enumerate() {
            findings += 1;
            let li = html
                .select(&sel(&format!("#d{d}-f{n}")))
                .next()
                .unwrap_or_else(|| panic!("finding {} of {} is missing", f.code, r.path));
            assert_eq!(li.value().attr("data-code"), Some(f.code.as_str()));
            let msg = li.select(&sel(".msg")).next().map(text_of);
            assert_eq!(msg.as_deref(), Some(f.message.as_str()));
            let arith = li.select(&sel(".arith")).next().map(text_of);
            assert_eq!(arith, f.arithmetic.clone(), "{}", f.code);
            for e in &f.evidence {
                let mark = li
                    .select(&sel("mark"))
                    .find(|m| m.value().attr("data-value") == Some(e.value.as_str()))
                    .unwrap_or_else(|| {
                        panic!("{} {}: figure {} not highlighted", r.path, f.code, e.value)
                    });
                let shown = text_of(mark);
                if shown.chars().all(|c| !c.is_alphabetic()) {
                    assert_eq!(digits(&shown), e.value, "{} {}", r.path, f.code);
                }
                marks += 1;
                // The evidence links to its line, and that line holds the figure, marked.
                let href = format!("#d{d}-L{}", e.line);
                assert!(
                    li.select(&sel(&format!("a.line[href=\"{href}\"]")))
                        .next()
                        .is_some(),
                    "{} {}: no link to line {}",
                    r.path,
                    f.code,
                    e.line
                );
                let line = html
                    .select(&sel(&href))
                    .next()
                    .unwrap_or_else(|| panic!("no anchor {href}"));
                assert!(
                    line.select(&sel("mark"))
                        .any(|m| m.value().attr("data-value") == Some(e.value.as_str())),
                    "{} line {}: figure {} not marked in the text view",
                    r.path,
                    e.line,
                    e.value
                );
            }
        }
    }
    assert!(
        findings >= 2 && marks >= 4,
        "{findings} findings, {marks} marks"
    );
    // No request leaves the page: nothing in it points elsewhere.
    for a in ["src", "href"] {
        for el in html.select(&sel(&format!("[{a}]"))) {
            let v = el.value().attr(a).unwrap();
            assert!(v.starts_with('#'), "external reference {a}={v}");
        }
    }

    // Following an evidence link opens the collapsed text at that line.
    let (d, f) = recs
        .iter()
        .enumerate()
        .find_map(|(d, r)| r.findings.first().map(|f| (d, f)))
        .unwrap();
    let mut url_page = page.clone().into_os_string();
    url_page.push(format!("#d{d}-L{}", f.evidence[0].line));
    let opened = Html::parse_document(&chromium_run(
        &exe,
        Path::new(&url_page),
        &["--dump-dom".into()],
    ));
    let details = opened
        .select(&sel(&format!("details#d{d}-text")))
        .next()
        .unwrap();
    assert!(
        details.value().attr("open").is_some(),
        "the text view opened"
    );

    // A phone's width (390 px) and a desktop's: the page never scrolls sideways (only the
    // summary table may, inside its own box). UPDATE_SCREENSHOTS=1 puts both into docs/ for
    // the README.
    for (width, name) in [(390, "check-report-390.png"), (1280, "check-report.png")] {
        let size = format!("--window-size={width},2000");
        let dom = Html::parse_document(&chromium_run(
            &exe,
            &page,
            &["--dump-dom".into(), size.clone()],
        ));
        let body = dom.select(&sel("body")).next().unwrap();
        assert_eq!(
            body.value().attr("data-overflow"),
            Some("0"),
            "the page fits {width} px"
        );
        let shot = dir.join(name);
        let _ = std::fs::remove_file(&shot);
        chromium_run(
            &exe,
            &page,
            &[
                format!("--screenshot={}", shot.display()),
                size,
                "--hide-scrollbars".into(),
            ],
        );
        let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        if std::env::var_os("UPDATE_SCREENSHOTS").is_some() {
            std::fs::copy(&shot, path("docs").join(name)).unwrap();
        }
        println!("screenshot: {}", shot.display());
    }
}

#[test]
fn html_summary_sorts_by_a_clicked_header() {
    let Some(exe) = chromium() else {
        println!("SKIPPED html_summary_sorts_by_a_clicked_header: no chromium (/usr/bin/chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    run(&[
        "check",
        "--format",
        "html",
        "-o",
        page.to_str().unwrap(),
        &corpus(),
    ]);
    // A click on "errors" sorts ascending, a second descending.
    let html = std::fs::read_to_string(&page).unwrap().replace(
        "</body>",
        "<script>var h=document.querySelector('#summary th[data-key=errors]');h.click();h.click();</script></body>",
    );
    std::fs::write(&page, html).unwrap();
    let dom = Html::parse_document(&chromium_run(&exe, &page, &["--dump-dom".into()]));
    let errors: Vec<u32> = dom
        .select(&sel("#summary tbody tr td.errors"))
        .map(|td| text_of(td).parse().unwrap())
        .collect();
    let mut sorted = errors.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(errors, sorted);
    assert!(errors.first() > errors.last(), "some documents have errors");
    let th = dom
        .select(&sel("#summary th[data-key=errors]"))
        .next()
        .unwrap();
    assert_eq!(th.value().attr("aria-sort"), Some("descending"));
}

#[test]
fn html_report_cannot_be_injected_from_a_document_or_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
    let name = "<img src=x onerror=alert(3)>.txt";
    // A plain-text report (its first line is not markup, or it would be read as HTML).
    let doc = format!("标题\n编制人数50人，实有人数45人，财政供养人员控制率95%。{hostile}\n");
    std::fs::write(dir.path().join(name), doc).unwrap();
    let page = dir.path().join("report.html");
    let (_, err, _) = run(&[
        "check",
        "--format",
        "html",
        "-o",
        page.to_str().unwrap(),
        dir.path().join(name).to_str().unwrap(),
    ]);
    let src = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{e}: {err}"));
    let html = Html::parse_document(&src);
    assert_eq!(
        html.select(&sel("script")).count(),
        1,
        "only our own script"
    );
    assert_eq!(html.select(&sel("img")).count(), 0);
    for el in html.select(&sel("*")) {
        for (a, _) in el.value().attrs() {
            assert!(!a.starts_with("on"), "event handler attribute {a}");
        }
    }
    // The finding is there, and the hostile text shows as text.
    assert!(html.select(&sel("li.finding")).count() >= 1);
    let lines: Vec<String> = html.select(&sel(".l .t")).map(text_of).collect();
    assert!(lines[1].ends_with(hostile), "{lines:?}");
    let h2 = html
        .select(&sel("section.doc h2"))
        .next()
        .map(text_of)
        .unwrap();
    assert!(h2.ends_with(name), "{h2}");
}

#[test]
fn no_progress_bar_when_stderr_is_piped() {
    // More than a few documents, stderr a pipe: only the summary (skipped files, findings by
    // check, then the totals line).
    let (_, err, code) = run(&["check", "--format", "jsonl", &corpus()]);
    assert_eq!(code, Some(1));
    let lines: Vec<&str> = err.lines().collect();
    let last = lines.last().unwrap();
    assert!(
        last.contains("documents,") && last.contains("unreadable"),
        "{err:?}"
    );
    for l in &lines[..lines.len() - 1] {
        assert!(
            l.starts_with("跳过的非报告文件") || l.starts_with("  ") || l.starts_with("按检查"),
            "not a summary line: {l:?}"
        );
    }
    assert!(!err.contains('\u{1b}'), "no terminal escapes: {err:?}");
}

#[test]
fn explain_lists_every_check_and_documents_each() {
    let (out, _, code) = run(&["explain"]);
    assert_eq!(code, Some(0));
    let list = String::from_utf8(out).unwrap();
    assert_eq!(list.lines().count(), reportlint::check::CHECKS.len());
    for c in reportlint::check::CHECKS {
        assert!(list.contains(c.code) && list.contains(c.name), "{}", c.code);
        // Chinese first: the one-line summary and the doc open in Chinese.
        let line = list.lines().find(|l| l.starts_with(c.code)).unwrap();
        assert!(
            line.chars()
                .any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)),
            "{line}"
        );
        assert!(c.doc.starts_with("## 检查内容") && c.doc.contains("## What it does"));
        let (out, _, code) = run(&["explain", &c.code.to_lowercase()]);
        assert_eq!(code, Some(0));
        let doc = String::from_utf8(out).unwrap();
        assert!(doc.starts_with(&format!("# {} {}", c.code, c.name)));
        assert!(doc.contains(c.doc.trim()));
    }
    let (_, err, code) = run(&["explain", "X999"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("reportlint explain"));
}

#[test]
fn long_is_only_for_csv_and_output_files_are_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.json");
    let (_, err, code) = run(&[
        "extract",
        "--format",
        "json",
        "--long",
        "-o",
        out.to_str().unwrap(),
        &corpus(),
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--long"), "{err}");
    assert!(!out.exists());
    // A successful run leaves exactly the file asked for, no temporary beside it.
    let out = dir.path().join("x.csv");
    let (_, err, code) = run(&[
        "extract",
        "--format",
        "csv",
        "-o",
        out.to_str().unwrap(),
        &corpus(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["x.csv"]);
}

/// `check --format csv` and `xlsx` carry the findings, one row per finding with its
/// document's columns (a document without findings keeps one row); `extract --format html`
/// is refused rather than showing a page of no findings.
#[test]
fn check_tables_carry_the_findings() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    use reportlint::output::table::FINDINGS_HEADER;
    let recs = json_records("check");
    let dir = tempfile::tempdir().unwrap();
    let csv = tmp_out(dir.path(), "findings.csv");
    let (_, err, _) = run(&[
        "check",
        "--format",
        "csv",
        "-o",
        csv.to_str().unwrap(),
        &corpus(),
    ]);
    let (header, rows) = read_csv(&csv);
    assert_eq!(header, FINDINGS_HEADER, "{err}");
    let want_rows: usize = recs.iter().map(|r| r.findings.len().max(1)).sum();
    assert_eq!(rows.len(), want_rows);
    let mut k = 0;
    for r in &recs {
        if r.findings.is_empty() {
            assert_eq!(rows[k][0], r.path);
            assert_eq!(rows[k][7], "");
            k += 1;
        }
        for f in &r.findings {
            let row = &rows[k];
            assert_eq!(row[0], r.path);
            assert_eq!(row[5], r.errors().to_string());
            assert_eq!(
                (row[7].as_str(), row[9].as_str()),
                (f.code.as_str(), f.severity.as_str())
            );
            assert_eq!(row[11], f.message);
            assert_eq!(row[14], f.line.to_string());
            assert!(f.evidence.iter().all(|e| row[15].contains(&e.value)));
            k += 1;
        }
    }
    assert!(rows.iter().any(|r| r[7] == "S003"), "Huaihua's score total");

    let xlsx = tmp_out(dir.path(), "review.xlsx");
    run(&[
        "check",
        "--format",
        "xlsx",
        "-o",
        xlsx.to_str().unwrap(),
        &corpus(),
    ]);
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["documents", "findings", "figures", "indicators"]
    );
    let sheet = wb.worksheet_range("findings").unwrap();
    assert_eq!(sheet.rows().count(), want_rows + 1);
    let codes: Vec<String> = sheet
        .rows()
        .skip(1)
        .map(|r| match &r[7] {
            Data::String(s) => s.clone(),
            _ => String::new(),
        })
        .collect();
    let csv_codes: Vec<String> = rows.iter().map(|r| r[7].clone()).collect();
    assert_eq!(codes, csv_codes);

    let (_, err, code) = run(&["extract", "--format", "html", &corpus()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("check --format html"), "{err}");
}

/// Evidence from a table cell names its column: a table row quoted alone does not say which of
/// its numbers is which.
#[test]
fn table_evidence_names_its_column() {
    let (out, _, _) = run(&[
        "check",
        "--format",
        "jsonl",
        path("corpus/realworld/hz_gongan_2026_dept_budget.pdf")
            .to_str()
            .unwrap(),
    ]);
    let r: DocumentRecord =
        serde_json::from_str(String::from_utf8(out).unwrap().lines().next().unwrap()).unwrap();
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "S002" && f.message.contains("三公"))
        .expect("the 三公 table's total");
    assert!(f
        .evidence
        .iter()
        .all(|e| e.column.as_deref() == Some("“三公”经费合计")));
    let (text, _, _) = run(&[
        "check",
        path("corpus/realworld/hz_gongan_2026_dept_budget.pdf")
            .to_str()
            .unwrap(),
    ]);
    assert!(String::from_utf8(text)
        .unwrap()
        .contains("［列：4112.82 → “三公”经费合计］"));
}

/// `--zh-header` adds a second CSV header row with every column's Chinese name.
#[test]
fn csv_can_carry_chinese_column_names() {
    let dir = tempfile::tempdir().unwrap();
    let out = tmp_out(dir.path(), "zh.csv");
    run(&[
        "extract",
        "--format",
        "csv",
        "--zh-header",
        "-o",
        out.to_str().unwrap(),
        &corpus(),
    ]);
    let (header, rows) = read_csv(&out);
    let zh = &rows[0];
    assert_eq!(zh.len(), header.len());
    let col = header.iter().position(|h| h == "budget.initial").unwrap();
    assert_eq!(zh[col], "年初预算");
    assert_eq!(zh[1], "部门（单位）");
    // Every key has a Chinese name of its own.
    for (h, z) in header.iter().zip(zh).skip(WIDE_FIXED.len()) {
        assert_ne!(h, z, "{h} has no Chinese name");
    }
}
