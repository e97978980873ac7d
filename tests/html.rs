//! HTML reader: the seed report in UTF-8 and GBK (declared by `<meta charset>`, by
//! `http-equiv`, and undeclared), whitespace rules and hostile pages.

use std::path::Path;
use std::time::{Duration, Instant};

use reportlint::reader::{self, html, Limits};
use reportlint::{Document, ErrorKind, Format};

fn fixture(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn read(bytes: &[u8]) -> Document {
    html::read(bytes, &Limits::default()).expect("reads")
}

fn seed_html() -> Document {
    read(&fixture("seed/seed.html"))
}

#[test]
fn seed_tables() {
    let d = seed_html();
    assert_eq!(d.format, Format::Html);
    let t: Vec<_> = d.tables().collect();
    assert_eq!(t.len(), 3);

    assert_eq!(t[0].title.as_deref(), Some("预算情况表"));
    assert_eq!(t[0].header_rows, 2);
    assert_eq!(
        t[0].columns,
        vec![
            "单位名称",
            "年初预算数（万元）/基本支出",
            "年初预算数（万元）/项目支出",
            "年初预算数（万元）/合计",
            "预算调整数（万元）/基本支出",
            "预算调整数（万元）/项目支出",
            "预算调整数（万元）/合计",
            "全年预算数（万元）/基本支出",
            "全年预算数（万元）/项目支出",
            "全年预算数（万元）/合计",
        ]
    );
    assert_eq!(t[0].body().len(), 1);
    let body: Vec<&str> = t[0].body()[0]
        .cells
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(
        body,
        vec![
            "局本级",
            "1,045.63",
            "222.00",
            "1267.63",
            "615.31",
            "1752.16",
            "2367.47",
            "1660.94",
            "1974.16",
            "3635.1"
        ]
    );

    assert_eq!(t[1].title.as_deref(), Some("基本支出表"));
    assert_eq!(
        t[1].columns,
        vec![
            "经济分类",
            "年初预算数",
            "全年预算数",
            "决算支出数",
            "预算执行率"
        ]
    );
    assert_eq!(t[1].body().len(), 4);
    assert_eq!(t[1].body()[3].cells[4].text, "");

    assert_eq!(t[2].title.as_deref(), Some("项目支出表"));
    assert_eq!(t[2].width(), 8);
    assert_eq!(t[2].body().len(), 12);
    assert_eq!(
        t[2].body()[0].cells[5].text,
        "2021年“创客中国”怀化赛区复赛项目经费"
    );
    assert_eq!(t[2].body()[11].cells[4].text, "");
    assert_eq!(t[2].body()[11].cells[7].text, "1974.16");

    // Cell spans point into the text.
    let chars: Vec<char> = d.text.chars().collect();
    for t in &t {
        for r in &t.rows {
            for c in &r.cells {
                assert_eq!(
                    chars[c.span.start..c.span.end].iter().collect::<String>(),
                    c.text
                );
            }
        }
    }
}

#[test]
fn seed_paragraphs_are_all_present() {
    let d = seed_html();
    let paras: Vec<&str> = d.paragraphs().map(|p| p.text.as_str()).collect();
    let txt = String::from_utf8(fixture("seed/seed.txt")).unwrap();
    let mut n = 0;
    for line in txt.lines() {
        if line.starts_with('\t') || line.trim().is_empty() {
            continue;
        }
        n += 1;
        let want = line.trim_start_matches(' ');
        assert!(paras.contains(&want), "missing paragraph: {want}");
    }
    assert_eq!(n, 94);
    assert_eq!(
        paras.len(),
        94,
        "no extra paragraphs (head, style, table text)"
    );
    assert!(paras
        .iter()
        .any(|p| p.contains("中共怀化市委办  怀化市人民政府办公室")));
}

#[test]
fn gbk_copies_read_the_same() {
    let utf8 = seed_html();
    for f in [
        "html/seed.gbk.html",
        "html/seed.http-equiv.gb2312.html",
        "html/seed.undeclared.gbk.html",
    ] {
        let d = read(&fixture(f));
        assert_eq!(d.text, utf8.text, "{f}");
        assert_eq!(d.blocks, utf8.blocks, "{f}");
        assert!(d.problems.is_empty(), "{f}: {:?}", d.problems);
    }
    // Through the dispatcher as well.
    let (fmt, r) = reader::read_bytes(
        &fixture("html/seed.gbk.html"),
        Path::new("seed.htm"),
        &Limits::default(),
    );
    assert_eq!(fmt, Some(Format::Html));
    assert_eq!(r.unwrap().text, utf8.text);
}

#[test]
fn bom_wins_over_meta() {
    let src = String::from_utf8(fixture("seed/seed.html")).unwrap();
    let mut b = vec![0xFF, 0xFE];
    for u in src.encode_utf16() {
        b.extend_from_slice(&u.to_le_bytes());
    }
    assert_eq!(read(&b).text, seed_html().text);
}

#[test]
fn whitespace_and_blocks() {
    let d = read(
        "<html><head><title>标题</title><style>p{}</style></head><body>\
         <h1>一、部门\n概况</h1>\
         <p>截止  2022年\n12月31日，<span>共有</span> <b>98</b>人。</p>\
         <ul><li>第一</li><li>第二<br>第三</li></ul>\
         <div>外<div>内</div>尾</div>\
         <pre>  a\n  b</pre>\
         <p style=\"display:none\">隐藏</p><script>var x = 1;</script>\
         </body></html>"
            .as_bytes(),
    );
    let paras: Vec<&str> = d.paragraphs().map(|p| p.text.as_str()).collect();
    assert_eq!(
        paras,
        vec![
            "一、部门概况",
            "截止 2022年 12月31日，共有 98人。",
            "第一",
            "第二",
            "第三",
            "外",
            "内",
            "尾",
            "  a   b"
        ]
    );
}

#[test]
fn table_spans_caption_and_nesting() {
    let d = read(
        "<table><caption>表1</caption>\
         <thead><tr><th rowspan=2>单位</th><th colspan=\"2\">预算</th></tr><tr><th>基本</th><th>项目</th></tr></thead>\
         <tbody><tr><td><p>本级</p><p>合计</p></td><td>1</td><td>2<table><tr><td>x</td><td>9</td></tr></table></td></tr></tbody>\
         <tfoot><tr><td colspan=99999>注</td></tr></tfoot></table><p>后</p>"
            .as_bytes(),
    );
    let kinds: Vec<&str> = d
        .blocks
        .iter()
        .map(|b| match b {
            reportlint::Block::Paragraph(_) => "p",
            reportlint::Block::Table(_) => "t",
        })
        .collect();
    assert_eq!(kinds, vec!["p", "t", "t", "p"]);
    let t: Vec<_> = d.tables().collect();
    assert_eq!(t[0].columns[..3], ["单位", "预算/基本", "预算/项目"]);
    assert_eq!(t[0].body()[0].cells[0].text, "本级合计");
    assert_eq!(t[0].body()[0].cells[2].text, "2");
    // A huge colspan is clamped, not allocated.
    assert_eq!(t[0].width(), 1000);
    assert_eq!(t[1].rows[0].cells[1].text, "9");
}

#[test]
fn hostile_pages_fail_fast() {
    let limits = Limits::default();
    let deep = "<div>".repeat(100_000) + "x";
    let t = Instant::now();
    let e = html::read(deep.as_bytes(), &limits).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Malformed);
    let nested_tables = "<table><tr><td>".repeat(10_000);
    assert_eq!(
        html::read(nested_tables.as_bytes(), &limits)
            .unwrap_err()
            .kind,
        ErrorKind::Malformed
    );
    // Truncations and garbage are still HTML: they read without panicking.
    let seed = fixture("seed/seed.html");
    for i in 0..40 {
        let _ = html::read(&seed[..seed.len() * i / 40], &limits);
    }
    let junk: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    let _ = html::read(&junk, &limits);
    assert!(
        t.elapsed() < Duration::from_secs(20),
        "took {:?}",
        t.elapsed()
    );
}
