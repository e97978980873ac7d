//! `check` over the official reports of `../shared/realworld/` (shared beside the project;
//! CI has it): every error it reports must be one reviewed by hand and listed, with why it is
//! true, in `tests/fixtures/realworld/expected_errors.toml`, and every listed one must still
//! be reported. Without the directory the test says so and passes: the copies in `corpus/`
//! (`corpus/realworld/`) keep real layouts tested on a fresh clone.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use reportlint::extract::parts;
use reportlint::pipeline::{self, Config, Entry, Mode};
use serde::Deserialize;

use crate::util::path;

#[derive(Deserialize)]
struct Expected {
    error: Vec<ExpectedError>,
    /// Notice-level findings (wording), reviewed the same way.
    #[serde(default)]
    notice: Vec<ExpectedError>,
}

#[derive(Deserialize)]
struct ExpectedError {
    file: String,
    code: String,
    line: usize,
    why: String,
}

/// The shared official reports, or None (saying so) where they are absent.
fn realworld_dir() -> Option<PathBuf> {
    let dir = path("../shared/realworld");
    if !dir.is_dir() {
        println!("skipped: {} is not present (CI provides it)", dir.display());
        return None;
    }
    Some(dir)
}

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for place in std::fs::read_dir(dir).unwrap().flatten() {
        if !place.path().is_dir() {
            continue;
        }
        for f in std::fs::read_dir(place.path()).unwrap().flatten() {
            if f.path().extension().is_some_and(|e| e == "pdf") {
                out.push(f.path());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn realworld_errors_are_the_reviewed_ones() {
    let Some(dir) = realworld_dir() else { return };
    let expected: Expected = toml::from_str(
        &std::fs::read_to_string(path("tests/fixtures/realworld/expected_errors.toml")).unwrap(),
    )
    .unwrap();
    for e in &expected.error {
        assert!(
            e.why.len() > 40,
            "{} {} {}: say why it is true",
            e.file,
            e.code,
            e.line
        );
    }
    let files = pdfs(&dir);
    let entries: Vec<Entry> = files.iter().cloned().map(Ok).collect();
    // OCR off: the scans' OCR reading is tested in tests/ocr.rs, against amounts read by eye.
    let mut cfg = Config::new(Mode::Check);
    cfg.limits.ocr = false;
    let records = pipeline::run_many(&entries, &cfg);
    assert_eq!(records.len(), files.len(), "one record per input");

    let rel = |p: &str| -> String {
        p.rsplit_once("realworld/")
            .map_or(p.to_string(), |(_, r)| r.to_string())
    };
    let mut reports = 0;
    let mut tables_held = 0;
    let mut got: BTreeMap<(String, String, usize), String> = BTreeMap::new();
    let mut per_report: BTreeMap<String, usize> = BTreeMap::new();
    let mut notices: BTreeSet<(String, String, usize)> = BTreeSet::new();
    for r in &records {
        let name = rel(&r.path);
        // The scans hold no text layer: without OCR each is one record with an error saying so.
        if name.starts_with("scanned/") {
            assert!(
                r.error.is_some(),
                "{name}: a scan must be reported unreadable"
            );
            continue;
        }
        assert!(r.error.is_none(), "{name}: {:?}", r.error);
        reports += 1;
        // A report that holds its tables holds every required one under its region's title.
        let kind = r.meta.kind.as_deref();
        let required: Vec<&str> = parts::SPECS
            .iter()
            .filter(|s| s.table && s.required && s.applies(kind, r.meta.year))
            .map(|s| s.id.as_str())
            .collect();
        let held: Vec<&str> = required
            .iter()
            .copied()
            .filter(|id| r.parts.iter().any(|p| p.id == *id && p.present))
            .collect();
        if !held.is_empty() {
            tables_held += 1;
            assert_eq!(held, required, "{name}: required tables not recognised");
        }
        for f in r.findings.iter().filter(|f| f.severity == "error") {
            got.insert((name.clone(), f.code.clone(), f.line), f.message.clone());
            *per_report.entry(name.clone()).or_default() += 1;
        }
        for f in r.findings.iter().filter(|f| f.severity == "notice") {
            notices.insert((name.clone(), f.code.clone(), f.line));
        }
    }
    let want: BTreeSet<(String, String, usize)> = expected
        .error
        .iter()
        .map(|e| (e.file.clone(), e.code.clone(), e.line))
        .collect();
    let new: Vec<String> = got
        .iter()
        .filter(|(k, _)| !want.contains(*k))
        .map(|((f, c, l), m)| format!("  {f} {c} line {l}: {m}"))
        .collect();
    let gone: Vec<String> = want
        .iter()
        .filter(|k| !got.contains_key(*k))
        .map(|(f, c, l)| format!("  {f} {c} line {l}"))
        .collect();
    println!(
        "{} errors on {reports} reports ({:.2} per report)",
        got.len(),
        got.len() as f64 / reports.max(1) as f64
    );
    assert!(
        new.is_empty() && gone.is_empty(),
        "errors not reviewed (read each: true? list it with why; false? a bug):\n{}\n\
         reviewed errors no longer reported:\n{}",
        new.join("\n"),
        gone.join("\n")
    );
    let want_notices: BTreeSet<(String, String, usize)> = expected
        .notice
        .iter()
        .map(|e| (e.file.clone(), e.code.clone(), e.line))
        .collect();
    assert_eq!(
        notices, want_notices,
        "notices differ from the reviewed ones (tests/fixtures/realworld/expected_errors.toml)"
    );
    assert!(tables_held >= 60, "{tables_held} reports with their tables");
    // What a reviewer can trust: few errors, and none piling up on one report.
    assert!(got.len() * 2 <= reports, "more than 0.5 errors per report");
    let worst = per_report.iter().max_by_key(|(_, n)| **n);
    assert!(
        worst.is_none_or(|(_, n)| *n <= 3),
        "a report with more than 3 errors: {worst:?}"
    );
}

/// The manifest's department, with the level mark it keeps in the name (（本级）) moved out:
/// the record gives the mark as `level`.
fn manifest_department(d: &str) -> (String, bool) {
    for mark in ["（本级）", "(本级)"] {
        if let Some(s) = d.strip_suffix(mark) {
            return (s.to_string(), true);
        }
    }
    (d.to_string(), false)
}

/// Department, year and kind, the columns a dataset is joined and filtered on, read right on
/// at least 95% of the official reports (measured against MANIFEST.csv).
#[test]
fn realworld_metadata_matches_the_manifest() {
    let Some(dir) = realworld_dir() else { return };
    let mut manifest: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut rd = csv::Reader::from_path(dir.join("MANIFEST.csv")).unwrap();
    let heads = rd.headers().unwrap().clone();
    for row in rd.records() {
        let row = row.unwrap();
        let m: BTreeMap<String, String> = heads
            .iter()
            .zip(row.iter())
            .map(|(h, v)| (h.to_string(), v.to_string()))
            .collect();
        manifest.insert(m["file"].clone(), m);
    }
    let files: Vec<PathBuf> = pdfs(&dir)
        .into_iter()
        .filter(|p| !p.to_string_lossy().contains("/scanned/"))
        .collect();
    let entries: Vec<Entry> = files.iter().cloned().map(Ok).collect();
    let records = pipeline::run_many(&entries, &Config::new(Mode::Extract));
    let (mut n, mut dept, mut year, mut kind, mut level) = (0, 0, 0, 0, 0);
    let mut wrong = Vec::new();
    for r in &records {
        let name = r.path.rsplit_once("realworld/").unwrap().1.to_string();
        let Some(m) = manifest.get(&name) else {
            panic!("{name} is not in MANIFEST.csv");
        };
        n += 1;
        let (want_dept, marked) = manifest_department(&m["department"]);
        let got = &r.meta;
        let mut check = |ok: bool, what: &str, want: &str, got: String, count: &mut usize| {
            if ok {
                *count += 1;
            } else {
                wrong.push(format!("  {name} {what}: want {want}, got {got}"));
            }
        };
        check(
            got.department.as_deref() == Some(want_dept.as_str()),
            "department",
            &want_dept,
            format!("{:?}", got.department),
            &mut dept,
        );
        check(
            got.year.map(|y| y.to_string()) == Some(m["year"].clone()),
            "year",
            &m["year"],
            format!("{:?}", got.year),
            &mut year,
        );
        check(
            got.kind.as_deref() == Some(m["kind"].as_str()),
            "kind",
            &m["kind"],
            format!("{:?}", got.kind),
            &mut kind,
        );
        check(
            (got.level.as_deref() == Some("本级")) == marked,
            "level mark",
            if marked { "本级" } else { "none" },
            format!("{:?}", got.level),
            &mut level,
        );
    }
    println!(
        "metadata on {n} reports: department {dept}, year {year}, kind {kind}, level mark {level}"
    );
    let enough = |k: usize| k * 100 >= n * 95;
    assert!(
        enough(dept) && enough(year) && enough(kind) && enough(level),
        "metadata below 95% (department {dept}, year {year}, kind {kind}, level {level} of {n}):\n{}",
        wrong.join("\n")
    );
}
