//! Scans (image-only PDFs) read by OCR. The engine is optional: `.ci/run` installs it
//! (tesseract-ocr, tesseract-ocr-chi-sim, poppler-utils); where it is missing these tests say
//! so and skip, and the record names the packages to install.
//!
//! The six scans are in ../shared/realworld/scanned/ (the tests skip, saying so, where that
//! folder is absent); their amounts, read by eye from the page images, are in
//! tests/fixtures/ocr/<name>.toml.

use std::path::{Path, PathBuf};

use reportlint::model::{Block, Document};
use reportlint::pipeline::{read_document, run_one, Config, Mode};
use reportlint::reader::ocr;
use serde_json::Value;

use crate::util::{bin, path};

fn engine_or_skip(test: &str) -> bool {
    if ocr::engine().is_none() {
        eprintln!(
            "{test}: skipped, no OCR engine here (apt-get install {})",
            ocr::PACKAGES
        );
        return false;
    }
    true
}

fn scans() -> Option<PathBuf> {
    let d = path("../shared/realworld/scanned");
    if d.is_dir() {
        Some(d)
    } else {
        eprintln!("skipped: ../shared/realworld/scanned is absent");
        None
    }
}

/// The numbers written on one page (tables and paragraphs), separators removed.
fn numbers_on(d: &Document, page: u32) -> Vec<String> {
    let re = regex::Regex::new(r"\d[\d,]*(?:\.\d+)?").unwrap();
    let mut out = Vec::new();
    let mut take = |s: &str| {
        out.extend(re.find_iter(s).map(|m| m.as_str().replace(',', "")));
    };
    for b in &d.blocks {
        match b {
            Block::Paragraph(p) if p.span.page == Some(page) => take(&p.text),
            Block::Table(t) => {
                for r in t.rows.iter().filter(|r| r.page == Some(page)) {
                    for c in &r.cells {
                        take(&c.text);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Every amount read by eye on the six scans, against what OCR reads on that page: the share
/// read exactly. Measured 27 of 34 (the misses are all on one phone photograph of a form,
/// 榆林 信访局, whose lone zeros and a "92" Tesseract drops); each table-bearing page of a
/// proper scan reads in full.
#[test]
fn scans_read_by_ocr_give_the_amounts_read_by_eye() {
    if !engine_or_skip("scans_read_by_ocr_give_the_amounts_read_by_eye") {
        return;
    }
    let Some(dir) = scans() else { return };
    let cfg = Config::new(Mode::Read);
    let (mut found, mut total) = (0, 0);
    let mut report = Vec::new();
    for f in std::fs::read_dir(path("tests/fixtures/ocr")).unwrap() {
        let f = f.unwrap().path();
        if f.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let truth: toml::Value = toml::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let stem = f.file_stem().unwrap().to_str().unwrap();
        let pdf = dir.join(format!("{stem}.pdf"));
        let doc = read_document(&pdf, &cfg)
            .2
            .unwrap_or_else(|e| panic!("{stem}: {e}"));
        assert!(doc.ocr.is_some(), "{stem}: read without OCR?");
        let Some(page) = truth.get("page").and_then(|p| p.as_integer()) else {
            continue;
        };
        let on_page = numbers_on(&doc, page as u32);
        let amounts: Vec<&str> = truth["amounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["value"].as_str().unwrap())
            .collect();
        let hit = amounts
            .iter()
            .filter(|a| on_page.iter().any(|n| n == *a))
            .count();
        report.push(format!("{stem}: {hit}/{}", amounts.len()));
        if truth["kind"].as_str() == Some("money") {
            assert_eq!(hit, amounts.len(), "{stem}: {on_page:?}");
        }
        found += hit;
        total += amounts.len();
    }
    eprintln!("OCR amounts read exactly: {found}/{total}; {report:?}");
    assert!(total >= 30, "the ground truth went missing");
    assert!(found * 100 >= total * 75, "{found}/{total}: {report:?}");
}

/// The scanned table's 合计 is checked like a text table's, and the record says the text came
/// from OCR.
#[test]
fn a_scanned_table_is_checked_and_marked_ocr() {
    if !engine_or_skip("a_scanned_table_is_checked_and_marked_ocr") {
        return;
    }
    let Some(dir) = scans() else { return };
    let rec = run_one(
        &dir.join("长沙_文化广电旅游体育局_2026年部门预算.pdf"),
        &Config::new(Mode::Check),
    );
    assert!(rec.error.is_none(), "{:?}", rec.error);
    assert!(rec.ocr.as_deref().is_some_and(|e| e.contains("tesseract")));
    assert!(
        rec.checks.run >= 1 && rec.checks.failed == 0,
        "{:?}",
        rec.checks
    );
    assert!(rec.problems.iter().any(|p| p.contains("OCR")));
    let table = rec
        .tables
        .iter()
        .find(|t| t.rows.iter().any(|r| r.cells.iter().any(|c| c == "35.678")))
        .expect("the 合计 row");
    assert!(table.rows.len() >= 10);
}

/// Renders each page of `pdf` to a grey image and wraps the images, and nothing else, in a new
/// PDF: a scan of a known report.
fn scan_of(pdf: &Path, out: &Path) {
    use lopdf::{dictionary, Document as PdfDoc, Object, Stream};
    let tmp = tempfile::tempdir().unwrap();
    let ok = std::process::Command::new("pdftoppm")
        .args(["-r", "150", "-gray"])
        .arg(pdf)
        .arg(tmp.path().join("p"))
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let mut pages: Vec<PathBuf> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort_by_key(|p| {
        p.file_stem()
            .unwrap()
            .to_str()
            .unwrap()
            .rsplit('-')
            .next()
            .unwrap()
            .parse::<u32>()
            .unwrap()
    });
    let mut doc = PdfDoc::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for p in pages {
        let img = ocr::Gray::from_pgm(&std::fs::read(&p).unwrap()).unwrap();
        let (w, h) = (img.w as i64, img.h as i64);
        let image = doc.add_object(Stream::new(
            dictionary! {"Type" => "XObject", "Subtype" => "Image", "Width" => w, "Height" => h,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8},
            img.px,
        ));
        // 150 dpi: 72 / 150 points a pixel.
        let (pw, ph) = (w as f32 * 0.48, h as f32 * 0.48);
        let content = doc.add_object(Stream::new(
            dictionary! {},
            format!("q {pw} 0 0 {ph} 0 0 cm /Im0 Do Q").into_bytes(),
        ));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(pw), Object::Real(ph)],
            "Resources" => dictionary! {"XObject" => dictionary! {"Im0" => image}},
        });
        kids.push(Object::Reference(page));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {"Type" => "Pages", "Kids" => kids, "Count" => count}),
    );
    let catalog = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
    doc.trailer.set("Root", catalog);
    doc.save(out).unwrap();
}

/// The Huaihua report scanned: OCR reads it well enough for its 年初预算 conflict to be found,
/// and that finding says it rests on OCR (flag, "[OCR]", confidence at most unsure); the
/// checks that judge characters did not run.
#[test]
fn findings_on_a_scan_are_marked_ocr() {
    if !engine_or_skip("findings_on_a_scan_are_marked_ocr") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let scan = tmp.path().join("huaihua_scan.pdf");
    scan_of(&path("tests/fixtures/seed/seed.pdf"), &scan);
    let out = tmp.path().join("out.jsonl");
    let status = bin()
        .args(["check", "--format", "jsonl", "--no-config", "-o"])
        .arg(&out)
        .arg(&scan)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1), "the scan has errors");
    let rec: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(rec["ocr"].as_str().is_some_and(|e| e.contains("chi_sim")));
    let findings = rec["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        assert_eq!(f["ocr"], true, "{f}");
        assert_eq!(f["confidence"], "unsure", "{f}");
        assert!(f["message"].as_str().unwrap().starts_with("[OCR]"), "{f}");
        assert!(!["T001", "T002", "T004"].contains(&f["code"].as_str().unwrap()));
    }
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "D001" && f["message"].as_str().unwrap().contains("1410.26")),
        "{findings:?}"
    );
    // The same scan without the engine (or with --no-ocr): a no_text_layer record that says
    // what to install.
    let status = bin()
        .env("PATH", "")
        .args(["check", "--format", "jsonl", "--no-config", "-o"])
        .arg(&out)
        .arg(&scan)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(3), "an unreadable document");
    let rec: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(rec["error"]["kind"], "no_text_layer");
    assert!(rec["error"]["message"]
        .as_str()
        .unwrap()
        .contains("tesseract-ocr-chi-sim"));
    bin()
        .args([
            "check",
            "--no-ocr",
            "--format",
            "jsonl",
            "--no-config",
            "-o",
        ])
        .arg(&out)
        .arg(&scan)
        .status()
        .unwrap();
    let rec: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(rec["error"]["kind"], "no_text_layer");
    assert!(rec["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--no-ocr"));
}
