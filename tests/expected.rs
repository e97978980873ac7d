//! Data-driven fixtures compared with saved expected output, so that any change of a finding
//! or of a keyed figure shows in review:
//! - `tests/fixtures/checks/CODE_fires_*.txt` must raise CODE, `CODE_silent_*.txt` must not;
//!   each has its rendered findings beside it (`.expected`);
//! - `tests/fixtures/extract/*.txt`: the keyed figures (`key = value @ line`);
//! - `tests/snapshots/corpus/*.findings`: the findings on every report of corpus/.
//!
//! Lines starting with `#` in an expected file are comments. `UPDATE_EXPECTED=1 cargo test
//! expected` rewrites the expected files (keeping their comments); review the diff.

use std::path::{Path, PathBuf};

use reportlint::check::CHECKS;
use reportlint::pipeline::Mode;
use reportlint::report::DocumentRecord;

use crate::util::{path, run};

/// Findings as a reviewer reads them: `line: severity[CODE] message`, the arithmetic, and
/// the quoted evidence lines.
fn render_findings(r: &DocumentRecord) -> String {
    let mut out = String::new();
    if let Some(e) = &r.error {
        out.push_str(&format!("error[{}] {}\n", e.kind, e.message));
    }
    for f in &r.findings {
        let page = f.page.map(|p| format!(" (第{p}页)")).unwrap_or_default();
        out.push_str(&format!(
            "{}{page}: {}[{}] {}\n",
            f.line, f.severity, f.code, f.message
        ));
        if let Some(a) = &f.arithmetic {
            out.push_str(&format!("    = {}\n", a.trim_end()));
        }
        for e in &f.evidence {
            out.push_str(&format!("    {:>5} | {}\n", e.line, e.text));
        }
    }
    out.push_str(&format!(
        "checks: {} run, {} passed, {} failed\n",
        r.checks.run, r.checks.passed, r.checks.failed
    ));
    out
}

/// Keyed figures, one per line: `key = value @ line`.
fn render_keys(r: &DocumentRecord) -> String {
    r.figures
        .iter()
        .filter_map(|f| {
            f.key
                .as_ref()
                .map(|k| format!("{k} = {} @ {}\n", f.value, f.line))
        })
        .collect()
}

/// Compares `got` with the expected file (comments aside), or rewrites it.
fn compare(expected: &Path, got: &str, failures: &mut Vec<String>) {
    let old = std::fs::read_to_string(expected).unwrap_or_default();
    let comments: String = old
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    let body: String = old
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    if body == got {
        return;
    }
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::write(expected, format!("{comments}{got}")).unwrap();
        return;
    }
    failures.push(format!(
        "{}\n--- expected\n{body}--- got\n{got}",
        expected.display()
    ));
}

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(path(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    v
}

fn rel(p: &Path) -> String {
    p.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// Every check code has a fixture that must fire and one that must stay silent, and every
/// fixture's findings are exactly the expected ones.
#[test]
fn check_fixtures() {
    let mut failures = Vec::new();
    let files = fixtures("tests/fixtures/checks");
    for c in CHECKS {
        for kind in ["fires", "silent"] {
            let prefix = format!("{}_{kind}_", c.code);
            assert!(
                files.iter().any(|f| f
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(&prefix)),
                "{} has no {kind} fixture",
                c.code
            );
        }
    }
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let (code, rest) = name.split_once('_').unwrap();
        assert!(
            CHECKS.iter().any(|c| c.code == code),
            "{name}: unknown code"
        );
        let r = run(&rel(f), Mode::Check);
        let has = r.findings.iter().any(|x| x.code == code);
        if rest.starts_with("fires_") {
            assert!(has, "{name} must raise {code}: {:?}", r.findings);
        } else {
            assert!(rest.starts_with("silent_"), "{name}: fires_ or silent_");
            assert!(!has, "{name} must not raise {code}: {:?}", r.findings);
        }
        compare(
            &f.with_extension("expected"),
            &render_findings(&r),
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Keyed figures of small documents of known shapes.
#[test]
fn extraction_fixtures() {
    let mut failures = Vec::new();
    for f in fixtures("tests/fixtures/extract") {
        let r = run(&rel(&f), Mode::Extract);
        compare(
            &f.with_extension("expected"),
            &render_keys(&r),
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The findings on every report of corpus/: any change is a reviewed change.
#[test]
fn corpus_snapshots() {
    let mut failures = Vec::new();
    // corpus/ and its copies of official reports (corpus/realworld/, whose errors are the
    // reviewed ones of tests/fixtures/realworld/expected_errors.toml).
    for sub in ["", "realworld"] {
        let mut docs: Vec<PathBuf> = std::fs::read_dir(path("corpus").join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "pdf"))
            .collect();
        docs.sort();
        let dir = path("tests/snapshots/corpus").join(sub);
        std::fs::create_dir_all(&dir).unwrap();
        for d in docs {
            let r = run(&rel(&d), Mode::Check);
            let name = d.file_name().unwrap().to_string_lossy().into_owned();
            let snap = dir.join(format!("{name}.findings"));
            compare(&snap, &render_findings(&r), &mut failures);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
