//! PDF reader: seed.pdf against seed.txt/seed.html, the real corpus PDFs, the predefined-CMap
//! fixtures, encryption, image-only files and damaged copies.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use reportlint::reader::{pdf, Limits};
use reportlint::{Document, ErrorKind, Table};

fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(rel: &str) -> reportlint::error::Result<Document> {
    let bytes = std::fs::read(path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    pdf::read(&bytes, &Limits::default())
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn seed() -> Document {
    read("tests/fixtures/seed/seed.pdf").expect("seed.pdf reads")
}

/// The tables of seed.html: rows of (cell text, colspan, rowspan), title row included.
fn html_tables() -> Vec<Vec<Vec<(String, usize, usize)>>> {
    let html = std::fs::read_to_string(path("tests/fixtures/seed/seed.html")).unwrap();
    let table = regex::Regex::new(r"(?s)<table.*?</table>").unwrap();
    let tr = regex::Regex::new(r"(?s)<tr.*?</tr>").unwrap();
    let cell = regex::Regex::new(r"(?s)<t[dh]([^>]*)>(.*?)</t[dh]>").unwrap();
    let span = |attrs: &str, name: &str| {
        regex::Regex::new(&format!(r#"{name}="(\d+)""#))
            .unwrap()
            .captures(attrs)
            .and_then(|c| c[1].parse().ok())
            .unwrap_or(1)
    };
    let tag = regex::Regex::new(r"<[^>]*>").unwrap();
    table
        .find_iter(&html)
        .map(|t| {
            tr.find_iter(t.as_str())
                .map(|r| {
                    cell.captures_iter(r.as_str())
                        .map(|c| {
                            let text = tag.replace_all(&c[2], "").replace("&amp;", "&");
                            (
                                squash(&text),
                                span(&c[1], "colspan"),
                                span(&c[1], "rowspan"),
                            )
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// Origin cells (not covered by a merge) of each row of a table, title row first.
fn origin_rows(t: &Table) -> Vec<Vec<String>> {
    let mut rows = vec![vec![squash(t.title.as_deref().unwrap_or(""))]];
    for r in &t.rows {
        rows.push(
            r.cells
                .iter()
                .filter(|c| c.merged_from.is_none())
                .map(|c| squash(&c.text))
                .collect(),
        );
    }
    rows
}

#[test]
fn seed_tables_match_html() {
    let doc = seed();
    let tables: Vec<&Table> = doc.tables().collect();
    let expected = html_tables();
    assert_eq!(tables.len(), 3, "three tables");
    assert_eq!(expected.len(), 3);
    for (t, e) in tables.iter().zip(&expected) {
        let got = origin_rows(t);
        let want: Vec<Vec<String>> = e
            .iter()
            .map(|r| r.iter().map(|c| c.0.clone()).collect())
            .collect();
        assert_eq!(got, want, "table {:?}", t.title);
        // Grid width is the html's full width.
        let width: usize = e[1].iter().map(|c| c.1).sum::<usize>();
        assert_eq!(t.width(), e[0][0].1.max(width), "width of {:?}", t.title);
    }
    let budget = tables[0];
    assert_eq!(budget.title.as_deref(), Some("预算情况表"));
    assert_eq!(budget.header_rows, 2);
    assert_eq!(budget.columns[0], "单位名称");
    assert_eq!(budget.columns[1], "年初预算数（万元）/基本支出");
    assert_eq!(budget.columns[9], "全年预算数（万元）/合计");
    assert_eq!(budget.body().len(), 1);
    assert_eq!(budget.body()[0].cells[1].text, "1,045.63");
    // 单位名称 spans two rows: the cell below points at it.
    assert_eq!(budget.rows[1].cells[0].merged_from, Some((0, 0)));
    assert_eq!(budget.rows[0].cells[2].merged_from, Some((0, 1)));

    let basic = tables[1];
    assert_eq!(basic.title.as_deref(), Some("基本支出表"));
    assert_eq!(basic.body().len(), 4);
    assert_eq!(basic.body()[3].cells[4].text, "");
    assert_eq!(basic.body()[0].cells[1].text, "822.74");

    let proj = tables[2];
    assert_eq!(proj.title.as_deref(), Some("项目支出表"));
    assert_eq!(proj.header_rows, 1);
    assert_eq!(proj.width(), 8);
    assert_eq!(
        proj.body().len(),
        12,
        "one table across pages 4-5, header repeat removed"
    );
    assert_eq!(proj.columns[2], "22年预算数（万元）");
    let row14 = &proj.body()[1];
    assert_eq!(row14.cells[4].text, "14");
    assert_eq!(
        row14.cells[5].text, "人才资源开发专项资金",
        "row split by the page break is merged"
    );
    assert_eq!(row14.page, Some(4));
    assert_eq!(proj.body()[2].page, Some(5));
    assert_eq!(proj.body()[11].cells[5].text, "合计");
    assert_eq!(proj.body()[11].cells[4].text, "");
}

#[test]
fn seed_text_has_every_number_and_paragraph() {
    let doc = seed();
    let flat = squash(&doc.text);
    let reference = std::fs::read_to_string(path("tests/fixtures/seed/seed.txt")).unwrap();
    let num = regex::Regex::new(r"\d[\d,.]*%?").unwrap();
    let mut missing = Vec::new();
    for m in num.find_iter(&reference) {
        let n = m.as_str().trim_end_matches(['.', ',']);
        if !flat.contains(n) {
            missing.push(n.to_string());
        }
    }
    assert!(missing.is_empty(), "numbers missing: {missing:?}");
    // Every paragraph of the reference comes out whole, as one paragraph.
    let paras: Vec<String> = doc.paragraphs().map(|p| squash(&p.text)).collect();
    let mut absent = Vec::new();
    for line in reference
        .lines()
        .filter(|l| !l.starts_with('\t') && !l.trim().is_empty())
    {
        if !paras.contains(&squash(line)) {
            absent.push(line.to_string());
        }
    }
    assert!(absent.is_empty(), "paragraphs not found whole: {absent:#?}");
    assert!(
        doc.text.contains("截止2022年12月31日"),
        "no spaces between CJK and digits"
    );
    assert!(!doc.text.contains('\u{FFFD}'));
    // Page numbers are not text.
    assert!(!doc.paragraphs().any(|p| p
        .text
        .trim()
        .chars()
        .all(|c| c.is_ascii_digit() || "-— ".contains(c))));
    // Paragraphs carry their page.
    assert_eq!(doc.paragraphs().next().and_then(|p| p.span.page), Some(1));
    assert!(doc.paragraphs().any(|p| p.span.page == Some(9)));
}

fn corpus(name: &str, figures: &[&str]) -> Document {
    let doc = read(&format!("corpus/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(!doc.text.contains('\u{FFFD}'), "{name}: U+FFFD");
    assert!(!doc.text.contains("(cid:"), "{name}: (cid:N)");
    let flat = squash(&doc.text);
    for f in figures {
        assert!(flat.contains(f), "{name}: figure {f} missing");
    }
    assert!(doc.tables().count() > 0, "{name}: tables found");
    doc
}

#[test]
fn corpus_putuo_word2010() {
    let doc = corpus(
        "sh_putuo_ghzy_2024_dept_final.pdf",
        &[
            "4896.98", "4884.09", "5377.64", "480.66", "236.63", "236.64", "2319.21",
        ],
    );
    assert!(doc.text.contains("上海市普陀区规划和自然资源局"));
    // Figures sit in table rows with their labels.
    assert!(doc.tables().flat_map(|t| t.rows.iter()).any(|r| r
        .cells
        .iter()
        .any(|c| c.text == "4884.09")
        && r.cells.iter().any(|c| c.text.contains("人员经费"))));
}

#[test]
fn corpus_czj_wps() {
    let doc = corpus("sh_czj_2025_unit_budget.pdf", &["171,915,169", "17,192"]);
    let t = doc
        .tables()
        .find(|t| {
            t.rows
                .iter()
                .any(|r| r.cells.iter().any(|c| c.text == "行政运行"))
        })
        .expect("收入预算表");
    let row = t
        .rows
        .iter()
        .find(|r| r.cells.iter().any(|c| c.text == "行政运行"))
        .unwrap();
    let texts: Vec<&str> = row.cells.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        &texts[..6],
        ["201", "06", "01", "行政运行", "84,861,719", "84,861,719"]
    );
}

#[test]
fn corpus_gaoyuan() {
    let doc = corpus(
        "js_gaoyuan_2017_dept_budget.pdf",
        &[
            "1959.99", "865.57", "79.05%", "670.12", "304.4", "185.72", "26.86%", "45.43%",
            "27.71%",
        ],
    );
    // The figure and its label are in one paragraph.
    assert!(doc.paragraphs().any(|p| p.text.contains("提租补贴")
        && p.text.contains("1959.99")
        && p.text.contains("79.05%")));
}

/// UniGB-UCS2-H and GBK-EUC-H (non-embedded STSong-Light), and the UCS2 page drawn turned
/// by 90 degrees, which must read the same.
#[test]
fn stsong_ucs2_and_gbk() {
    for f in ["stsong_ucs2.pdf", "stsong_gbk.pdf", "stsong_rotated.pdf"] {
        let doc = read(&format!("tests/fixtures/pdf/{f}")).unwrap();
        let paras: Vec<&str> = doc.paragraphs().map(|p| p.text.as_str()).collect();
        assert_eq!(
            paras,
            [
                "2023年度部门预算收入合计1,234.56万元，其中基本支出800.00万元。",
                "项目支出434.56万元，占总支出的35.20%。"
            ],
            "{f}"
        );
        let t = doc.tables().next().expect("ruled table");
        assert_eq!(t.columns, ["项目", "预算数", "决算数"]);
        let body: Vec<Vec<&str>> = t
            .body()
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(
            body,
            [
                ["基本支出", "800.00", "812.30"],
                ["项目支出", "434.56", "100%"]
            ],
            "{f}"
        );
        assert!(doc.problems.is_empty(), "{f}: {:?}", doc.problems);
    }
}

#[test]
fn identity_h_without_tounicode_uses_embedded_cmap() {
    let doc = read("tests/fixtures/pdf/identity_no_tounicode.pdf").unwrap();
    assert!(
        doc.text.contains("上海市2025年市级单位预算"),
        "{}",
        doc.text
    );
    assert!(doc.text.contains("预算单位：上海市财政局"));
    assert!(!doc.text.contains('\u{FFFD}'));
}

/// Identity-H with no ToUnicode and no embedded font program: Adobe-GB1 CIDs, decoded with
/// Adobe's CID → Unicode table (poppler needs its poppler-data package for this).
#[test]
fn identity_h_adobe_gb1_without_tounicode() {
    let doc = read("tests/fixtures/pdf/stsong_identity_gb1.pdf").unwrap();
    let paras: Vec<&str> = doc.paragraphs().map(|p| p.text.as_str()).collect();
    assert_eq!(
        paras,
        ["2023年度部门预算收入合计1,234.56万元，其中基本支出800.00万元。"]
    );
    assert!(doc.problems.is_empty(), "{:?}", doc.problems);
}

#[test]
fn encrypted_with_password_is_refused() {
    let e = read("tests/fixtures/pdf/encrypted_pw.pdf").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Encrypted);
    assert!(e.message.contains("password") && e.message.contains("密码"));
}

#[test]
fn encrypted_with_empty_password_opens() {
    let doc = read("tests/fixtures/pdf/encrypted_empty.pdf").unwrap();
    assert!(squash(&doc.text).contains("1,234.56万元"));
}

#[test]
fn image_only_needs_ocr() {
    let e = read("tests/fixtures/pdf/image_only.pdf").unwrap_err();
    assert_eq!(e.kind, ErrorKind::NoTextLayer);
    assert!(e.message.contains("OCR"));
}

#[test]
fn too_many_pages() {
    let bytes = std::fs::read(path("tests/fixtures/seed/seed.pdf")).unwrap();
    let limits = Limits {
        max_pages: 3,
        ..Limits::default()
    };
    assert_eq!(
        pdf::read(&bytes, &limits).unwrap_err().kind,
        ErrorKind::TooLarge
    );
}

#[test]
fn garbage_is_malformed() {
    let e = pdf::read(b"%PDF-1.4\nthis is not a pdf at all", &Limits::default()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Malformed);
    let bytes = std::fs::read(path("tests/fixtures/seed/seed.pdf")).unwrap();
    let _ = pdf::read(&bytes[..bytes.len() / 3], &Limits::default());
}

#[test]
fn byte_flipped_copies_never_panic() {
    let bytes = std::fs::read(path("tests/fixtures/seed/seed.pdf")).unwrap();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for i in 0..40 {
        let mut b = bytes.clone();
        for _ in 0..(1 + i % 8) {
            let at = (next() % b.len() as u64) as usize;
            b[at] = next() as u8;
        }
        let t = Instant::now();
        let r = std::panic::catch_unwind(|| pdf::read(&b, &Limits::default()));
        assert!(r.is_ok(), "copy {i} panicked");
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "copy {i} took {:?}",
            t.elapsed()
        );
    }
}

#[test]
fn stream_size_limit_is_respected() {
    let bytes = std::fs::read(path("tests/fixtures/seed/seed.pdf")).unwrap();
    let limits = Limits {
        max_part: 2_000,
        ..Limits::default()
    };
    match pdf::read(&bytes, &limits) {
        Err(e) => assert_eq!(e.kind, ErrorKind::TooLarge, "{e}"),
        Ok(d) => assert!(!d.problems.is_empty(), "oversized streams must be reported"),
    }
    let limits = Limits {
        max_decompressed: 10_000,
        ..Limits::default()
    };
    assert_eq!(
        pdf::read(&bytes, &limits).unwrap_err().kind,
        ErrorKind::TooLarge
    );
}
