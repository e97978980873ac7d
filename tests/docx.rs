//! DOCX reader: the seed report, and hostile files (truncations, bit flips, zip bombs, other
//! zip formats, deep nesting, entity declarations) that must fail fast with a clear error.

use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use reportlint::reader::{self, docx, Limits, Sniffed};
use reportlint::{Document, ErrorKind, Format};

fn fixture(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn seed_docx() -> Document {
    docx::read(&fixture("seed/seed.docx"), &Limits::default()).expect("seed.docx reads")
}

/// The parts of a zip, uncompressed.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().unwrap().to_string(), b)
        })
        .collect()
}

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, data) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The seed docx with `word/document.xml` replaced.
fn with_document_xml(xml: &[u8]) -> Vec<u8> {
    let parts = unzip(&fixture("seed/seed.docx"));
    let parts: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, b)| {
            if n == "word/document.xml" {
                (n.as_str(), xml)
            } else {
                (n.as_str(), b.as_slice())
            }
        })
        .collect();
    zip_of(&parts)
}

/// Reads through the dispatcher as a `.docx` file would be, and checks it is quick.
fn read_quick(
    bytes: &[u8],
    limits: &Limits,
    what: &str,
) -> Result<Document, reportlint::ReadError> {
    let t = Instant::now();
    let (_, r) = reader::read_bytes(bytes, Path::new("report.docx"), limits);
    let took = t.elapsed();
    assert!(took < Duration::from_secs(5), "{what}: took {took:?}");
    r
}

#[test]
fn seed_paragraphs_are_all_present() {
    let d = seed_docx();
    assert_eq!(d.format, Format::Docx);
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
    // The restored double space survives.
    assert!(d.text.contains("中共怀化市委办  怀化市人民政府办公室"));
}

#[test]
fn seed_tables() {
    let d = seed_docx();
    let t: Vec<_> = d.tables().collect();
    assert_eq!(t.len(), 3);
    assert_eq!(t[0].title.as_deref(), Some("预算情况表"));
    assert_eq!(t[0].header_rows, 2);
    assert_eq!(t[0].columns[0], "单位名称");
    assert_eq!(t[0].columns[1], "年初预算数（万元）/基本支出");
    assert_eq!(t[0].columns[9], "全年预算数（万元）/合计");
    assert_eq!(t[0].body().len(), 1);
    assert_eq!(t[0].body()[0].cells[1].text, "1,045.63");
    assert_eq!(t[1].title.as_deref(), Some("基本支出表"));
    assert_eq!(t[1].body().len(), 4);
    assert_eq!(t[2].title.as_deref(), Some("项目支出表"));
    assert_eq!(t[2].body().len(), 12);
    assert_eq!(t[2].width(), 8);
    assert_eq!(t[2].body()[11].cells[5].text, "合计");
    // Spans point into the text.
    let chars: Vec<char> = d.text.chars().collect();
    let c = &t[2].body()[11].cells[6];
    assert_eq!(
        chars[c.span.start..c.span.end].iter().collect::<String>(),
        "1974.16"
    );
}

#[test]
fn seed_docx_tables_match_seed_html() {
    let d = seed_docx();
    let h = reportlint::reader::html::read(&fixture("seed/seed.html"), &Limits::default()).unwrap();
    let dt: Vec<_> = d.tables().collect();
    let ht: Vec<_> = h.tables().collect();
    assert_eq!(dt.len(), ht.len());
    for (a, b) in dt.iter().zip(&ht) {
        assert_eq!(a.title, b.title);
        assert_eq!(a.columns, b.columns);
        assert_eq!(a.header_rows, b.header_rows);
        assert_eq!(a.rows.len(), b.rows.len());
        for (ra, rb) in a.rows.iter().zip(&b.rows) {
            let ca: Vec<(&str, Option<(usize, usize)>)> = ra
                .cells
                .iter()
                .map(|c| (c.text.as_str(), c.merged_from))
                .collect();
            let cb: Vec<(&str, Option<(usize, usize)>)> = rb
                .cells
                .iter()
                .map(|c| (c.text.as_str(), c.merged_from))
                .collect();
            assert_eq!(ca, cb);
        }
    }
    let dp: Vec<&str> = d.paragraphs().map(|p| p.text.as_str()).collect();
    let hp: Vec<&str> = h.paragraphs().map(|p| p.text.as_str()).collect();
    assert_eq!(dp, hp);
}

#[test]
fn sniff_tells_docx_from_other_zips() {
    assert_eq!(
        docx::sniff_zip(&fixture("seed/seed.docx"), "docx"),
        Sniffed::Known(Format::Docx)
    );
    let xlsx = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<workbook/>"),
    ]);
    // Workbooks are read by the spreadsheet reader.
    assert_eq!(docx::sniff_zip(&xlsx, "docx"), Sniffed::Known(Format::Xlsx));
    let pptx = zip_of(&[("ppt/presentation.xml", b"<p/>")]);
    assert_eq!(docx::sniff_zip(&pptx, "docx"), Sniffed::OtherZip("pptx"));
    let odt = zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", b"<x/>"),
    ]);
    assert_eq!(docx::sniff_zip(&odt, "docx"), Sniffed::OtherZip("odt"));
    let plain = zip_of(&[("a.txt", b"hello")]);
    assert_eq!(docx::sniff_zip(&plain, "docx"), Sniffed::OtherZip("zip"));
    // An xlsx renamed .docx is read as the workbook it is (this one is broken: malformed).
    let (f, r) = reader::read_bytes(&xlsx, Path::new("renamed.docx"), &Limits::default());
    assert_eq!(f, Some(Format::Xlsx));
    assert_eq!(r.unwrap_err().kind, ErrorKind::Malformed);
    let pptx_r = reader::read_bytes(&pptx, Path::new("slides.docx"), &Limits::default()).1;
    assert_eq!(pptx_r.unwrap_err().kind, ErrorKind::UnsupportedFormat);
    // A zip whose directory is unreadable is a damaged docx.
    let seed = fixture("seed/seed.docx");
    assert_eq!(
        docx::sniff_zip(&seed[..seed.len() / 2], "docx"),
        Sniffed::Known(Format::Docx)
    );
}

#[test]
fn main_part_found_through_content_types() {
    let parts = unzip(&fixture("seed/seed.docx"));
    let renamed: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, b)| {
            let n = if n == "word/document.xml" {
                "word/document2.xml"
            } else {
                n.as_str()
            };
            (n, b.as_slice())
        })
        .collect();
    let ct = String::from_utf8(
        parts
            .iter()
            .find(|p| p.0 == "[Content_Types].xml")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap()
    .replace("/word/document.xml", "/word/document2.xml");
    let mut renamed = renamed;
    for p in renamed.iter_mut() {
        if p.0 == "[Content_Types].xml" {
            p.1 = ct.as_bytes();
        }
    }
    let z = zip_of(&renamed);
    assert_eq!(docx::sniff_zip(&z, "docx"), Sniffed::Known(Format::Docx));
    assert_eq!(
        docx::read(&z, &Limits::default()).unwrap().tables().count(),
        3
    );
}

#[test]
fn truncated_document_xml_fails_fast() {
    let xml = unzip(&fixture("seed/seed.docx"))
        .into_iter()
        .find(|(n, _)| n == "word/document.xml")
        .unwrap()
        .1;
    let limits = Limits::default();
    let n = 40;
    for i in 1..n {
        let cut = xml.len() * i / n;
        let z = with_document_xml(&xml[..cut]);
        let r = read_quick(&z, &limits, &format!("document.xml cut at {cut}"));
        let e = r.expect_err(&format!("cut at {cut} must be an error"));
        assert_eq!(e.kind, ErrorKind::Malformed, "cut at {cut}: {e}");
        assert!(e.message.contains("word/document.xml"), "{}", e.message);
    }
    // Cuts in the middle of a multi-byte character and of a tag.
    for cut in [
        1,
        2,
        7,
        55,
        101,
        1003,
        xml.len() - 1,
        xml.len() - 2,
        xml.len() - 13,
    ] {
        let z = with_document_xml(&xml[..cut]);
        assert!(read_quick(&z, &limits, "cut").is_err(), "cut at {cut}");
    }
}

#[test]
fn truncated_file_fails_fast() {
    let seed = fixture("seed/seed.docx");
    let limits = Limits::default();
    for i in 0..64 {
        let cut = seed.len() * i / 64;
        let r = read_quick(&seed[..cut], &limits, &format!("file cut at {cut}"));
        assert!(r.is_err(), "file cut at {cut} read without error");
    }
}

#[test]
fn bit_flips_never_panic_or_hang() {
    let seed = fixture("seed/seed.docx");
    let limits = Limits::default();
    // Deterministic positions: an LCG over the whole file, plus every byte of the first
    // local header and of the end of central directory.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut positions: Vec<usize> = (0..300)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as usize % seed.len()
        })
        .collect();
    positions.extend(0..30);
    positions.extend(seed.len() - 22..seed.len());
    let mut ok = 0;
    for (k, &pos) in positions.iter().enumerate() {
        let mut b = seed.clone();
        b[pos] ^= 1 << (k % 8);
        let r = std::panic::catch_unwind(|| read_quick(&b, &limits, &format!("flip at {pos}")));
        let r = r.unwrap_or_else(|_| panic!("panic on bit flip at {pos}"));
        if r.is_ok() {
            ok += 1;
        }
    }
    // Flips in stored metadata can be harmless; flips in the deflate data must be caught.
    assert!(ok < positions.len(), "no flip was detected");
}

#[test]
fn random_bytes_fail_fast() {
    let limits = Limits::default();
    let mut x: u64 = 7;
    for len in [0usize, 1, 4, 22, 100, 5000] {
        let mut b: Vec<u8> = (0..len)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                (x >> 56) as u8
            })
            .collect();
        if b.len() >= 4 {
            b[..4].copy_from_slice(b"PK\x03\x04");
        }
        assert!(docx::read(&b, &limits).is_err());
        let _ = read_quick(&b, &limits, "random");
    }
}

/// A document.xml of `n` bytes: one paragraph of spaces, compressing about 1000:1.
fn huge_document_xml(n: usize) -> Vec<u8> {
    let head = br#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>"#;
    let tail = b"</w:t></w:r></w:p></w:body></w:document>";
    let mut v = Vec::with_capacity(n);
    v.extend_from_slice(head);
    v.resize(n - tail.len(), b' ');
    v.extend_from_slice(tail);
    v
}

#[test]
fn zip_bomb_is_too_large() {
    // 300 MB of document.xml, over the default 256 MB part limit; about 300 KB compressed.
    let z = zip_of(&[("word/document.xml", &huge_document_xml(300 << 20))]);
    assert!(z.len() < 2 << 20, "bomb is {} bytes", z.len());
    let e = read_quick(&z, &Limits::default(), "300 MB bomb").unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooLarge, "{e}");
    // The total bound applies too.
    let limits = Limits {
        max_decompressed: 1 << 20,
        ..Limits::default()
    };
    let z = zip_of(&[("word/document.xml", &huge_document_xml(4 << 20))]);
    let e = read_quick(&z, &limits, "4 MB over a 1 MB budget").unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooLarge, "{e}");
    assert!(e.message.contains("max_decompressed"), "{}", e.message);
}

#[test]
fn zip_bomb_with_lying_sizes_is_bounded() {
    // The same bomb with its declared sizes patched down to 1000 bytes: decompression must
    // still stop at the limit.
    let limits = Limits {
        max_part: 1 << 20,
        ..Limits::default()
    };
    let mut z = zip_of(&[("word/document.xml", &huge_document_xml(16 << 20))]);
    let lie = 1000u32.to_le_bytes();
    let mut i = 0;
    while i + 30 < z.len() {
        if z[i..].starts_with(b"PK\x03\x04") {
            z[i + 22..i + 26].copy_from_slice(&lie);
        } else if z[i..].starts_with(b"PK\x01\x02") {
            z[i + 24..i + 28].copy_from_slice(&lie);
        }
        i += 1;
    }
    let e = read_quick(&z, &limits, "lying bomb").unwrap_err();
    assert!(
        matches!(e.kind, ErrorKind::TooLarge | ErrorKind::Malformed),
        "{e}"
    );
}

#[test]
fn deep_nesting_is_malformed() {
    let mut xml = String::from(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    for _ in 0..100_000 {
        xml.push_str("<w:sdt><w:sdtContent>");
    }
    let e = read_quick(
        &with_document_xml(xml.as_bytes()),
        &Limits::default(),
        "deep",
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Malformed);
    assert!(e.message.contains("deeper"), "{}", e.message);
}

#[test]
fn entity_declarations_are_never_expanded() {
    let mut dtd = String::from(r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a0 "lol">"#);
    for i in 1..30 {
        let p = format!("&a{};", i - 1).repeat(10);
        dtd.push_str(&format!("<!ENTITY a{i} \"{p}\">"));
    }
    dtd.push_str("]>");
    let xml = format!(
        r#"{dtd}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>x&a29;y</w:t></w:r></w:p></w:body></w:document>"#
    );
    let d = read_quick(
        &with_document_xml(xml.as_bytes()),
        &Limits::default(),
        "laughs",
    )
    .unwrap();
    assert_eq!(d.paragraphs().next().unwrap().text, "x&a29;y");
}
