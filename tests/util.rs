//! Shared helpers: paths, running the pipeline on a file, the built binary.

use std::path::PathBuf;

use reportlint::pipeline::{self, Config, Mode};
use reportlint::report::DocumentRecord;

pub fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The Huaihua report in its six forms.
pub const SEED_FORMS: &[&str] = &[
    "corpus/hn_huaihua_gxj_2022_dept_selfeval.txt",
    "tests/fixtures/seed/seed.gbk.txt",
    "tests/fixtures/seed/seed.utf16.txt",
    "tests/fixtures/seed/seed.docx",
    "tests/fixtures/seed/seed.pdf",
    "tests/fixtures/seed/seed.html",
    // Built from seed.html by tests/fixtures/seed/make_mht.py (GBK, quoted-printable).
    "tests/fixtures/seed/seed.mht",
    // Built from seed.docx by tests/fixtures/seed/make_legacy.sh (LibreOffice, Word 97
    // binary); the .wps is the same binary under WPS 文字's name.
    "tests/fixtures/seed/seed.doc",
    "tests/fixtures/seed/seed.wps",
    // Built from seed.pdf's glyph positions and rulings by tests/fixtures/seed/make_ofd.py.
    "tests/fixtures/seed/seed.ofd",
];

pub fn run(rel: &str, mode: Mode) -> DocumentRecord {
    pipeline::run_one(&path(rel), &Config::new(mode))
}

pub fn bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_reportlint"))
}

/// The characters of `text` from `start` to `end`.
pub fn slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Extraction and checks over a text document given as a string.
pub fn check_text(text: &str) -> (reportlint::extract::Extraction, reportlint::check::Outcome) {
    let doc = reportlint::reader::txt::read(text.as_bytes()).unwrap();
    let ex = reportlint::extract::extract(&doc, &reportlint::extract::Patterns::builtin());
    let o = reportlint::check::run(&doc, &ex);
    (ex, o)
}
