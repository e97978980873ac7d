//! A directory of hostile inputs beside good reports, through the binary: every input is one
//! record in input order with the right error kind, the good reports come out exactly as when
//! they are checked alone, and the run ends. Also: the directory walk's own errors and the
//! atomic `-o`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lopdf::{dictionary, Document as PdfDoc, Object, Stream};
use reportlint::error::ErrorKind;
use reportlint::reader::expand_paths;
use serde_json::Value;

use crate::util::{bin, path};

/// Hang guard, not a speed requirement: the whole hostile run takes seconds; this only turns
/// a hang (a reader that never returns and a deadline that does not fire) into a failure.
const HANG_GUARD: Duration = Duration::from_secs(600);

/// Runs the command to completion or fails after [`HANG_GUARD`]. Output must go to files
/// (`-o`), not to pipes, so that a full pipe cannot block the child.
fn run_guarded(cmd: &mut Command) -> std::process::ExitStatus {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > HANG_GUARD {
            let _ = child.kill();
            panic!("reportlint did not finish within the hang guard");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn records(jsonl: &Path) -> Vec<Value> {
    std::fs::read_to_string(jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

pub(crate) fn kind(r: &Value) -> Option<&str> {
    r["error"]["kind"].as_str()
}

/// A DOCX whose document.xml inflates to 300 MB (over the default 256 MB per part) from a few
/// hundred KB, written in chunks so the test never holds the 300 MB.
fn zip_bomb_docx() -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(br#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>"#).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..300 {
        w.write_all(&chunk).unwrap();
    }
    w.write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .unwrap();
    w.finish().unwrap().into_inner()
}

/// The classic billion laughs: ten levels of ten references, 10^9 "lol"s if expanded.
fn billion_laughs_docx() -> Vec<u8> {
    let mut dtd = String::from(r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">"#);
    dtd.push_str(&format!("<!ENTITY lol1 \"{}\">", "&lol;".repeat(10)));
    for i in 2..=9 {
        dtd.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&lol{};", i - 1).repeat(10)
        ));
    }
    dtd.push_str("]>");
    let xml = format!(
        r#"{dtd}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    w.write_all(xml.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

fn save(mut doc: PdfDoc) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// /Pages whose /Kids holds the /Pages node itself, and a page that is its own parent.
fn self_kids_pdf() -> Vec<u8> {
    let mut doc = PdfDoc::with_version("1.5");
    let pages = doc.new_object_id();
    let page = doc.new_object_id();
    doc.objects.insert(
        page,
        Object::Dictionary(dictionary! {
            "Type" => "Page", "Parent" => page, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    doc.objects.insert(
        pages,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![pages.into(), page.into()], "Count" => 2,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    save(doc)
}

/// A page whose /Contents is an array holding itself, whose /Resources and /Font refer to
/// themselves, and whose font's /ToUnicode is the font again.
fn self_contents_pdf() -> Vec<u8> {
    let mut doc = PdfDoc::with_version("1.5");
    let pages = doc.new_object_id();
    let page = doc.new_object_id();
    let contents = doc.new_object_id();
    let res = doc.new_object_id();
    let font = doc.new_object_id();
    doc.objects
        .insert(contents, Object::Array(vec![contents.into()]));
    doc.objects.insert(
        font,
        Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "F", "ToUnicode" => font,
            "DescendantFonts" => vec![font.into()], "Encoding" => font,
        }),
    );
    doc.objects.insert(
        res,
        Object::Dictionary(dictionary! {
            "Font" => dictionary! { "F1" => font }, "Parent" => res, "XObject" => res,
        }),
    );
    doc.objects.insert(
        page,
        Object::Dictionary(dictionary! {
            "Type" => "Page", "Parent" => pages, "Contents" => contents, "Resources" => res,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    doc.objects.insert(
        pages,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    save(doc)
}

/// `n` pages with empty content streams.
fn empty_pages_pdf(n: usize) -> Vec<u8> {
    let mut doc = PdfDoc::with_version("1.5");
    let pages = doc.new_object_id();
    let mut kids = Vec::with_capacity(n);
    for _ in 0..n {
        let content = doc.add_object(Stream::new(dictionary! {}, Vec::new()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages, "Contents" => content,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(Object::Reference(page));
    }
    doc.objects.insert(
        pages,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => n as i64 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    save(doc)
}

/// 200 MB of pseudo-random bytes, written 1 MB at a time.
fn write_random(p: &Path, mb: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(p).unwrap());
    let mut x: u64 = 0x9e3779b97f4a7c15;
    let mut chunk = vec![0u8; 1 << 20];
    for _ in 0..mb {
        for b in chunk.chunks_mut(8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b.copy_from_slice(&x.to_le_bytes()[..b.len()]);
        }
        f.write_all(&chunk).unwrap();
    }
    f.flush().unwrap();
}

fn symlink(target: impl AsRef<Path>, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

fn mkfifo(p: &Path) {
    let ok = Command::new("mkfifo").arg(p).status().unwrap().success();
    assert!(ok, "mkfifo failed");
}

/// The record of a good report checked on its own, without its path.
fn alone(file: &Path, out: &Path) -> Value {
    run_guarded(
        bin()
            .args(["check", "--format", "jsonl", "-o"])
            .arg(out)
            .arg(file),
    );
    let mut r = records(out).remove(0);
    r.as_object_mut().unwrap().remove("path");
    r
}

#[test]
fn hostile_directory_gives_one_record_per_input_and_finishes() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("in");
    std::fs::create_dir(&d).unwrap();
    let good_txt = path("corpus/hn_huaihua_gxj_2022_dept_selfeval.txt");
    let good_docx = path("tests/fixtures/seed/seed.docx");
    std::fs::copy(&good_txt, d.join("a_good.txt")).unwrap();
    std::fs::write(d.join("b_zip_bomb.docx"), zip_bomb_docx()).unwrap();
    std::fs::write(d.join("c_billion_laughs.docx"), billion_laughs_docx()).unwrap();
    std::fs::write(d.join("d_self_kids.pdf"), self_kids_pdf()).unwrap();
    std::fs::write(d.join("e_self_contents.pdf"), self_contents_pdf()).unwrap();
    write_random(&d.join("f_random_200mb.pdf"), 200);
    symlink(tmp.path().join("nowhere.pdf"), &d.join("g_dangling.pdf"));
    mkfifo(&d.join("h_fifo.txt"));
    symlink(".", &d.join("i_loop"));
    symlink("j_loop_b.txt", &d.join("j_loop_a.txt"));
    symlink("j_loop_a.txt", &d.join("j_loop_b.txt"));
    std::fs::write(d.join("k_2000_empty_pages.pdf"), empty_pages_pdf(2000)).unwrap();
    std::fs::copy(&good_docx, d.join("l_good.docx")).unwrap();
    // The newer readers' hostile inputs (more of each in tests/hostile_formats.rs): a workbook
    // whose records ask the spreadsheet crate for gigabytes, one with a 55,809-column row, and
    // a Word binary and an OFD cut short.
    std::fs::copy(
        path("tests/fixtures/regress/xls-calamine-oom-1.xls"),
        d.join("m_oom.xls"),
    )
    .unwrap();
    std::fs::copy(
        path("tests/fixtures/regress/xls-wide-row.xls"),
        d.join("n_wide.xls"),
    )
    .unwrap();
    let doc = std::fs::read(path("tests/fixtures/seed/seed.doc")).unwrap();
    std::fs::write(d.join("o_cut.doc"), &doc[..doc.len() / 3]).unwrap();
    let ofd = std::fs::read(path("tests/fixtures/seed/seed.ofd")).unwrap();
    std::fs::write(d.join("p_cut.ofd"), &ofd[..ofd.len() / 3]).unwrap();

    let out = tmp.path().join("out.jsonl");
    let status = run_guarded(
        bin()
            .args(["check", "--format", "jsonl", "-o"])
            .arg(&out)
            .arg(&d),
    );
    assert_eq!(status.code(), Some(3), "some inputs are unreadable");
    let recs = records(&out);
    let names: Vec<String> = recs
        .iter()
        .map(|r| {
            Path::new(r["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    // One record per input, in the walk's (sorted) order; j_loop_a and j_loop_b both appear.
    assert_eq!(
        names,
        [
            "a_good.txt",
            "b_zip_bomb.docx",
            "c_billion_laughs.docx",
            "d_self_kids.pdf",
            "e_self_contents.pdf",
            "f_random_200mb.pdf",
            "g_dangling.pdf",
            "h_fifo.txt",
            "i_loop",
            "j_loop_a.txt",
            "j_loop_b.txt",
            "k_2000_empty_pages.pdf",
            "l_good.docx",
            "m_oom.xls",
            "n_wide.xls",
            "o_cut.doc",
            "p_cut.ofd",
        ]
    );
    let k: Vec<Option<&str>> = recs.iter().map(kind).collect();
    assert_eq!(k[0], None);
    assert!(!recs[0]["findings"].as_array().unwrap().is_empty());
    assert_eq!(k[1], Some("too_large"), "{}", recs[1]);
    // Entities are never expanded: the reference stays literal text (or the part is refused).
    assert!(matches!(k[2], None | Some("malformed")), "{}", recs[2]);
    assert!(!recs[2].to_string().contains("lollollol"));
    for i in [3, 4] {
        assert!(
            matches!(k[i], Some("malformed" | "no_text_layer")),
            "{}: {}",
            names[i],
            recs[i]
        );
    }
    assert_eq!(k[5], Some("too_large"), "{}", recs[5]);
    assert!(
        recs[5]["sha256"].is_null(),
        "the 200 MB file must be refused before it is read"
    );
    for i in 6..=10 {
        assert_eq!(k[i], Some("io"), "{}: {}", names[i], recs[i]);
    }
    assert!(recs[8]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("symbolic link loop"));
    assert_eq!(k[11], Some("no_text_layer"), "{}", recs[11]);
    assert_eq!(k[12], None);
    for i in 13..=16 {
        assert_eq!(k[i], Some("malformed"), "{}: {}", names[i], recs[i]);
    }
    // Every error message speaks Chinese and English and says what to do.
    for r in &recs {
        if let Some(m) = r["error"]["message"].as_str() {
            assert!(
                m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{m}"
            );
            assert!(m.contains('/'), "{m}");
            assert!(m.chars().filter(|c| c.is_ascii_alphabetic()).count() > 20);
        }
    }

    // The good reports: the same record as when each is checked alone.
    for (i, file) in [(0, &good_txt), (12, &good_docx)] {
        let mut r = recs[i].clone();
        r.as_object_mut().unwrap().remove("path");
        assert_eq!(
            r,
            alone(file, &tmp.path().join("alone.jsonl")),
            "{}",
            names[i]
        );
    }
}

#[test]
fn page_and_decompression_flags_reach_the_readers() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("pages.pdf");
    std::fs::write(&pdf, empty_pages_pdf(20)).unwrap();
    let bomb = tmp.path().join("bomb.docx");
    std::fs::write(&bomb, zip_bomb_docx()).unwrap();
    let out = tmp.path().join("out.jsonl");
    // Under the defaults the 20 pages are read (and found empty); with --max-pages 10 the
    // file is refused. The bomb's 300 MB are refused at 8 MB with --max-decompressed 16.
    run_guarded(
        bin()
            .args([
                "extract",
                "--max-pages",
                "10",
                "--max-decompressed",
                "16",
                "-o",
            ])
            .arg(&out)
            .arg(&pdf)
            .arg(&bomb),
    );
    let recs = records(&out);
    assert_eq!(kind(&recs[0]), Some("too_large"));
    assert!(recs[0]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--max-pages"));
    assert_eq!(kind(&recs[1]), Some("too_large"));
    let m = recs[1]["error"]["message"].as_str().unwrap();
    assert!(
        m.contains("8388608") && m.contains("--max-decompressed"),
        "{m}"
    );
    run_guarded(bin().args(["extract", "-o"]).arg(&out).arg(&pdf));
    assert_eq!(kind(&records(&out)[0]), Some("no_text_layer"));
}

#[test]
fn walk_errors_are_entries_not_aborts() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("a.txt"), "x").unwrap();
    symlink(d.join("missing"), &d.join("b_dangling.txt"));
    symlink(".", &d.join("c_loop"));
    mkfifo(&d.join("d_fifo"));
    std::fs::write(d.join("e.txt"), "y").unwrap();
    let got = expand_paths(&[d.to_path_buf()]);
    let names: Vec<(String, Option<ErrorKind>)> = got
        .iter()
        .map(|e| match e {
            Ok(p) => (p.file_name().unwrap().to_string_lossy().into(), None),
            Err((p, e)) => (
                p.file_name().unwrap().to_string_lossy().into(),
                Some(e.kind),
            ),
        })
        .collect();
    let io = Some(ErrorKind::Io);
    assert_eq!(
        names,
        [
            ("a.txt".to_string(), None),
            ("b_dangling.txt".to_string(), io),
            ("c_loop".to_string(), io),
            ("d_fifo".to_string(), io),
            ("e.txt".to_string(), None),
        ]
    );
    // A FIFO named on the command line is refused, not opened (opening would block).
    let cfg = reportlint::pipeline::Config::new(reportlint::pipeline::Mode::Read);
    let r = reportlint::pipeline::run_one(&d.join("d_fifo"), &cfg);
    assert_eq!(r.error.unwrap().kind, "io");
}

/// The output file is replaced whole: a reader polling it during the run sees the old content
/// or the complete new one, never a part; a run that fails leaves the old content.
#[test]
fn output_file_is_old_or_complete_new() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.jsonl");
    let old = "old content\n";
    std::fs::write(&out, old).unwrap();
    let inputs: Vec<PathBuf> = ["corpus", "tests/fixtures/seed"]
        .iter()
        .map(|p| path(p))
        .collect();
    let expected = expand_paths(&inputs).len();
    let mut child = bin()
        .args(["check", "--format", "jsonl", "-o"])
        .arg(&out)
        .args(&inputs)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        let done = child.try_wait().unwrap().is_some();
        let now = std::fs::read_to_string(&out).unwrap();
        if now != old {
            let lines: Vec<&str> = now.lines().collect();
            assert_eq!(lines.len(), expected, "a partial output file was visible");
            for l in lines {
                serde_json::from_str::<Value>(l).expect("a complete record per line");
            }
        }
        if done {
            assert_ne!(now, old, "the run did not replace the output");
            break;
        }
        assert!(start.elapsed() < HANG_GUARD, "hang guard");
        std::thread::sleep(Duration::from_millis(5));
    }
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "temporary files left: {leftovers:?}");

    // A run that fails before writing (no such patterns directory) keeps the old output.
    std::fs::write(&out, old).unwrap();
    let status = run_guarded(
        bin()
            .args(["check", "--patterns"])
            .arg(tmp.path().join("no-such-dir"))
            .arg("-o")
            .arg(&out)
            .arg(path("corpus/km_panlong_renda_2017_dept_budget.txt")),
    );
    assert_eq!(status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), old);
}

/// Broken web archives are records, never panics: cut in half, bytes flipped, a boundary that
/// never closes, no HTML part, base64 that is not.
#[test]
fn broken_web_archives_are_records() {
    let good = std::fs::read(path("tests/fixtures/seed/seed.mht")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut flipped = good.clone();
    for i in (200..flipped.len()).step_by(61) {
        flipped[i] ^= 0x41;
    }
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("a_half.mht", good[..good.len() / 2].to_vec()),
        ("b_flipped.mht", flipped),
        (
            "c_no_html.mht",
            b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=B\r\n\r\n--B\r\nContent-Type: image/png\r\n\r\nxx\r\n--B--\r\n".to_vec(),
        ),
        (
            "d_bad_base64.mht",
            b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=B\r\n\r\n--B\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%%\r\n--B--\r\n".to_vec(),
        ),
        ("e_headers_only.mht", b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=".to_vec()),
    ];
    for (name, bytes) in &cases {
        std::fs::write(d.join(name), bytes).unwrap();
    }
    let out = d.join("out.jsonl");
    run_guarded(
        bin()
            .args(["extract", "--all-files", "-o"])
            .arg(&out)
            .arg(d.join("a_half.mht"))
            .arg(d.join("b_flipped.mht"))
            .arg(d.join("c_no_html.mht"))
            .arg(d.join("d_bad_base64.mht"))
            .arg(d.join("e_headers_only.mht")),
    );
    let recs = records(&out);
    assert_eq!(recs.len(), cases.len());
    assert_eq!(kind(&recs[2]), Some("malformed"));
    assert_eq!(kind(&recs[3]), Some("malformed"));
    // Half a report is still most of a report.
    assert!(kind(&recs[0]).is_none());
}

/// The records of `extract` over files written to a temporary folder, one per file, in order.
pub(crate) fn extract_files(files: &[(&str, Vec<u8>)]) -> Vec<Value> {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    for (n, b) in files {
        std::fs::write(d.join(n), b).unwrap();
    }
    let out = d.join("out.jsonl");
    let mut cmd = bin();
    cmd.args(["extract", "-o"]).arg(&out);
    for (n, _) in files {
        cmd.arg(d.join(n));
    }
    run_guarded(&mut cmd);
    let recs = records(&out);
    assert_eq!(recs.len(), files.len());
    recs
}

/// Broken and hostile workbooks are records: cut in half, bytes flipped, a sheet that
/// inflates to 300 MB (refused by the decompression bounds before the spreadsheet crate reads
/// it).
#[test]
fn broken_workbooks_are_records() {
    let good = std::fs::read(path("tests/fixtures/seed/seed.xlsx")).unwrap();
    let mut flipped = good.clone();
    for i in (300..flipped.len()).step_by(53) {
        flipped[i] ^= 0x5a;
    }
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    w.start_file("xl/workbook.xml", opts).unwrap();
    w.write_all(b"<workbook/>").unwrap();
    w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..300 {
        w.write_all(&chunk).unwrap();
    }
    let bomb = w.finish().unwrap().into_inner();
    let recs = extract_files(&[
        ("a_half.xlsx", good[..good.len() / 2].to_vec()),
        ("b_flipped.xlsx", flipped),
        ("c_bomb.xlsx", bomb),
    ]);
    assert!(kind(&recs[0]).is_some());
    assert_eq!(kind(&recs[2]), Some("too_large"));
}

/// Broken and hostile OpenDocument spreadsheets: cut in half, bytes flipped, a content.xml of
/// cells nested 100,000 deep and one whose cells claim spans and repeats of 2^32 − 1 (the
/// layout pass saturates instead of overflowing or allocating per repeated cell).
#[test]
fn broken_opendocument_workbooks_are_records() {
    let good = std::fs::read(path("tests/fixtures/seed/seed.ods")).unwrap();
    let mut flipped = good.clone();
    for i in (200..flipped.len()).step_by(41) {
        flipped[i] ^= 0x5a;
    }
    let ods = |content: &[u8]| {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        w.start_file("mimetype", stored).unwrap();
        w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        w.start_file("content.xml", stored).unwrap();
        w.write_all(content).unwrap();
        w.start_file("META-INF/manifest.xml", stored).unwrap();
        w.write_all(br#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
        w.finish().unwrap().into_inner()
    };
    let head = r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S">"#;
    let tail = "</table:table></office:spreadsheet></office:body></office:document-content>";
    let deep = format!(
        "{head}<table:table-row><table:table-cell>{}{}</table:table-cell></table:table-row>{tail}",
        "<text:span>".repeat(100_000),
        "</text:span>".repeat(100_000)
    );
    let huge = format!(
        r#"{head}<table:table-row table:number-rows-repeated="4294967295"><table:table-cell table:number-columns-repeated="4294967295" table:number-rows-spanned="4294967295" table:number-columns-spanned="4294967295" office:value-type="float" office:value="1"><text:p>1.00</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>编制人数50人</text:p></table:table-cell></table:table-row>{tail}"#
    );
    let recs = extract_files(&[
        ("a_half.ods", good[..good.len() / 2].to_vec()),
        ("b_flipped.ods", flipped),
        ("c_deep.ods", ods(deep.as_bytes())),
        ("d_huge_spans.ods", ods(huge.as_bytes())),
    ]);
    assert!(kind(&recs[0]).is_some());
    for r in &recs {
        assert_ne!(kind(r), Some("panic"), "{r:?}");
        assert_ne!(kind(r), Some("timeout"), "{r:?}");
    }
}
