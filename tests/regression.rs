//! Hostile inputs kept in `tests/fixtures/regress/`: what the fuzz targets in `fuzz/` found
//! crashing or hanging a reader, and hand-made constructs the readers must survive (objects
//! that refer to themselves in a PDF's page tree, contents, resources, fonts and forms; a
//! billion-laughs DOCX; HTML tables nested 2000 deep). A file's name starts with the target it
//! belongs to (`txt-`, `docx-`, `pdf-`, `html-`, `sheet-`, `xls-`, `doc-`, `ofd-`, `number-`); it is fed to that reader
//! directly, where a panic fails the test, and through the pipeline, which must give an
//! ordinary record (neither `panic` nor `timeout`). `fuzz/seed.sh` adds them to the seeds.

use std::path::PathBuf;

use reportlint::extract::number;
use reportlint::model::Format;
use reportlint::pipeline::{run_one, Config, Mode};
use reportlint::reader::{self, Limits};

use crate::util::path;

fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(path("tests/fixtures/regress"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|e| e != "md"))
        .collect();
    v.sort();
    v
}

#[test]
fn regression_inputs_read_without_panic() {
    let files = fixtures();
    assert!(!files.is_empty(), "the regression folder lost its fixtures");
    let limits = Limits::default();
    let cfg = Config::new(Mode::Check);
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(f).unwrap();
        let target = name.split('-').next().unwrap();
        match target {
            "txt" => drop(reader::txt::read(&bytes)),
            "docx" => drop(reader::docx::read(&bytes, &limits)),
            "pdf" => drop(reader::pdf::read(&bytes, &limits)),
            "html" => drop(reader::html::read(&bytes, &limits)),
            "sheet" => {
                let r = reader::sheet::read(&bytes, &limits, Format::Xlsx);
                if name.contains("cellref") {
                    // Refused before the spreadsheet crate's arithmetic sees the reference
                    // (beyond Excel's grid, or in a container too damaged to check).
                    let e = r.expect_err(&name);
                    assert_eq!(
                        e.kind,
                        reportlint::ErrorKind::Malformed,
                        "{name}: {}",
                        e.message
                    );
                }
                drop(reader::sheet::read(&bytes, &limits, Format::Ods));
            }
            "number" => {
                let s = String::from_utf8_lossy(&bytes);
                let n = number::normalize(&s);
                assert_eq!(n.chars().count(), s.chars().count(), "{name}");
                let _ = number::parse_decimal(&s);
                let _ = number::parse_cell(&s);
                let _ = number::parse_cell(&n);
                let _ = number::parse_chinese(&s);
                continue;
            }
            "xls" => {
                let r = reader::sheet::read(&bytes, &limits, Format::Xls);
                if name.contains("oom") {
                    // Refused before the spreadsheet crate allocates what its records claim
                    // (gigabytes from a few bytes: the xls fuzz target's finds).
                    assert_eq!(r.expect_err(&name).kind, reportlint::ErrorKind::Malformed);
                }
            }
            "doc" => drop(reader::doc::read(&bytes, &limits, Format::Doc)),
            "ofd" => drop(reader::ofd::read(&bytes, &limits)),
            other => panic!("{name}: unknown target prefix {other:?}"),
        }
        let rec = run_one(f, &cfg);
        if let Some(e) = &rec.error {
            assert!(
                !matches!(e.kind.as_str(), "panic" | "timeout"),
                "{name}: {} {}",
                e.kind,
                e.message
            );
        }
    }
}
