//! The binary: one record per input in input order, error kinds, exit codes.

use reportlint::report::DocumentRecord;

use crate::util::{bin, path};

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn hostile_files_are_records_and_good_files_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let seed_pdf = std::fs::read(path("tests/fixtures/seed/seed.pdf")).unwrap();
    let seed_docx = std::fs::read(path("tests/fixtures/seed/seed.docx")).unwrap();
    let noise: Vec<u8> = (0..20000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 11) as u8)
        .collect();
    let mut flipped = seed_docx.clone();
    for i in (100..flipped.len()).step_by(97) {
        flipped[i] ^= 0x5a;
    }
    let files = vec![
        write(d, "a_empty.txt", b""),
        write(d, "b_random.pdf", &noise),
        write(d, "c_random.docx", &noise),
        write(d, "d_truncated.pdf", &seed_pdf[..seed_pdf.len() / 3]),
        write(d, "e_flipped.docx", &flipped),
        write(
            d,
            "f_encrypted.pdf",
            &std::fs::read(path("tests/fixtures/pdf/encrypted_pw.pdf")).unwrap(),
        ),
        write(
            d,
            "g_scan.pdf",
            &std::fs::read(path("tests/fixtures/pdf/image_only.pdf")).unwrap(),
        ),
        write(
            d,
            "h_good.txt",
            &std::fs::read(path("corpus/hn_huaihua_gxj_2022_dept_selfeval.txt")).unwrap(),
        ),
        write(
            d,
            "i_legacy.doc",
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0],
        ),
    ];
    let out = bin()
        .arg("extract")
        .arg("--format")
        .arg("jsonl")
        .arg(d)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "some documents could not be read"
    );
    let records: Vec<DocumentRecord> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), files.len());
    let kinds: Vec<Option<String>> = records
        .iter()
        .map(|r| r.error.as_ref().map(|e| e.kind.clone()))
        .collect();
    // An empty file in a folder is no report: listed as skipped, with its reason.
    assert_eq!(kinds[0].as_deref(), Some("not_a_report"));
    assert_eq!(records[0].status, reportlint::report::Status::Skipped);
    assert!(matches!(
        kinds[1].as_deref(),
        Some("unsupported_format" | "malformed")
    ));
    assert!(kinds[2].is_some());
    assert_eq!(kinds[3].as_deref(), Some("malformed"));
    assert!(kinds[4].is_some() || !records[4].figures.is_empty());
    assert_eq!(kinds[5].as_deref(), Some("encrypted"));
    assert_eq!(kinds[6].as_deref(), Some("no_text_layer"));
    assert_eq!(kinds[7], None);
    assert!(records[7].figures.len() > 50);
    // A .doc is read now: twelve bytes of a compound file's signature are a damaged one.
    assert_eq!(kinds[8].as_deref(), Some("malformed"));
    for (r, f) in records.iter().zip(&files) {
        assert_eq!(r.path, f.display().to_string());
        if let Some(e) = &r.error {
            assert!(
                e.message
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
                    && !e.message.is_ascii()
            );
        }
    }
}

#[test]
fn check_exit_codes_and_same_bytes_with_one_or_two_threads() {
    let corpus = path("corpus");
    let one = bin()
        .args(["check", "--format", "jsonl", "--jobs", "1"])
        .arg(&corpus)
        .output()
        .unwrap();
    let two = bin()
        .args(["check", "--format", "jsonl", "--jobs", "2"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert_eq!(one.stdout, two.stdout);
    let huaihua = bin()
        .args(["check"])
        .arg(path("corpus/hn_huaihua_gxj_2022_dept_selfeval.txt"))
        .output()
        .unwrap();
    assert_eq!(huaihua.status.code(), Some(1));
    let text = String::from_utf8(huaihua.stdout).unwrap();
    assert!(
        text.contains("error[S003] 自评得分184分与各部分得分之和181分不一致"),
        "{text}"
    );
    let explain = bin().args(["explain", "S003"]).output().unwrap();
    assert!(String::from_utf8(explain.stdout)
        .unwrap()
        .contains("## Why is this bad?"));
}

#[test]
fn text_prints_the_extracted_text() {
    let out = bin()
        .arg("text")
        .arg(path("tests/fixtures/seed/seed.docx"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("人员编制数109人"));
}

fn run_in(args: &[&str], stdin: Option<&str>) -> (String, String, Option<i32>) {
    use std::io::Write;
    let mut cmd = bin();
    cmd.args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code(),
    )
}

/// A folder as users have them: reports beside a README, a manifest, a script, an image, an
/// Office lock file, a placeholder and an earlier review page. Only the reports are read;
/// the rest are listed as skipped and do not change the exit status.
#[test]
fn a_mixed_folder_gives_its_reports_and_a_skipped_list() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let report = std::fs::read(path("corpus/sh_putuo_shiquan_2025_dept_final.txt")).unwrap();
    write(d, "a_report.txt", &report);
    std::fs::create_dir(d.join("sub")).unwrap();
    write(
        d,
        "sub/b_report.pdf",
        &std::fs::read(path("corpus/sh_czj_2025_unit_budget.pdf")).unwrap(),
    );
    write(d, "README.md", "# 说明\n这些是报告。".as_bytes());
    write(
        d,
        "MANIFEST.csv",
        "file,department\na_report.txt,某局\n".as_bytes(),
    );
    write(d, "gen.py", b"print('hi')\n");
    write(d, "cover.jpg", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]);
    write(d, "~$a_report.docx", b"lock");
    write(d, "placeholder.txt", b"to be added later");
    let (page, _, _) = run_in(
        &[
            "check",
            "--format",
            "html",
            path("corpus/km_panlong_renda_2017_dept_budget.txt")
                .to_str()
                .unwrap(),
        ],
        None,
    );
    write(d, "report.html", page.as_bytes());

    let dir_arg = d.to_str().unwrap();
    let (out, err, code) = run_in(&["check", "--format", "jsonl", dir_arg], None);
    let recs: Vec<DocumentRecord> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let name = |r: &DocumentRecord| {
        std::path::Path::new(&r.path)
            .strip_prefix(d)
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    let read: Vec<String> = recs
        .iter()
        .filter(|r| r.status != reportlint::report::Status::Skipped)
        .map(name)
        .collect();
    assert_eq!(read, ["a_report.txt", "sub/b_report.pdf"]);
    let skipped: Vec<String> = recs
        .iter()
        .filter(|r| r.status == reportlint::report::Status::Skipped)
        .map(name)
        .collect();
    assert_eq!(
        skipped,
        [
            "MANIFEST.csv",
            "README.md",
            "cover.jpg",
            "gen.py",
            "placeholder.txt",
            "report.html",
            "~$a_report.docx"
        ]
    );
    for r in &recs {
        if r.status == reportlint::report::Status::Skipped {
            let e = r.error.as_ref().unwrap();
            assert_eq!(e.kind, "not_a_report");
            assert!(!e.message.is_empty());
        }
    }
    // The shiquan report has error findings; skipped files neither add to nor hide them.
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("7 skipped"), "{err}");
    // The summary names the skipped files and counts the findings by check.
    assert!(
        err.contains("skipped, not reports:") && err.contains("README.md: "),
        "{err}"
    );
    assert!(
        err.contains("by check: ") && err.contains("S002 table-total-mismatch: 1 错误"),
        "{err}"
    );

    // The dataset holds the reports only.
    let (csv, _, _) = run_in(&["extract", "--format", "csv", dir_arg], None);
    assert_eq!(csv.lines().count(), 3, "{csv}");

    // --all-files reads every file as a report, as before.
    let (out, _, code) = run_in(&["extract", "--all-files", dir_arg], None);
    assert_eq!(out.lines().count(), 9);
    assert_eq!(code, Some(3), "the image and the lock file cannot be read");

    // --include / --exclude choose among the walked files.
    let read_with = |globs: &[&str]| -> Vec<String> {
        let (out, _, _) = run_in(&[&["extract"], globs, &[dir_arg]].concat(), None);
        out.lines()
            .map(|l| serde_json::from_str::<DocumentRecord>(l).unwrap())
            .filter(|r| r.status == reportlint::report::Status::Ok)
            .map(|r| name(&r))
            .collect()
    };
    assert_eq!(read_with(&["--include", "*.pdf"]), ["sub/b_report.pdf"]);
    assert_eq!(
        read_with(&["--exclude", "sub/**", "--exclude", "*.md"]),
        ["a_report.txt"]
    );

    // --files-from - reads the list from standard input; a file named twice is read once;
    // files named explicitly are read even when they are no report.
    let a = d.join("a_report.txt");
    let list = format!(
        "{}\n\n# a comment\n{}\n{}\n",
        a.display(),
        a.display(),
        d.join("gen.py").display()
    );
    let (out, _, code) = run_in(&["extract", "--files-from", "-"], Some(&list));
    let recs: Vec<DocumentRecord> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].status, reportlint::report::Status::Ok);
    assert_eq!(code, Some(0));

    // A folder with no report is a usage error, as is a bad glob.
    let empty = d.join("nothing");
    std::fs::create_dir(&empty).unwrap();
    write(&empty, "notes.md", b"# x");
    let (_, err, code) = run_in(&["check", empty.to_str().unwrap()], None);
    assert_eq!(code, Some(2));
    assert!(err.contains("no report found"), "{err}");
    let (_, _, code) = run_in(&["check", "--include", "[", dir_arg], None);
    assert_eq!(code, Some(2));
    // No argument at all: a usage error.
    let (_, _, code) = run_in(&["check"], None);
    assert_eq!(code, Some(2));
}

/// --select / --ignore by code, prefix or name, and --severity, as `explain` lists the checks.
#[test]
fn findings_are_chosen_by_check_and_severity() {
    let huaihua = path("corpus/hn_huaihua_gxj_2022_dept_selfeval.txt");
    let h = huaihua.to_str().unwrap();
    let codes = |args: &[&str]| -> (Vec<String>, Option<i32>) {
        let (out, _, code) = run_in(
            &[&["check", "--format", "jsonl"], args, &[h]].concat(),
            None,
        );
        let r: DocumentRecord = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        (r.findings.iter().map(|f| f.code.clone()).collect(), code)
    };
    assert_eq!(codes(&[]).0, ["S003", "D001"]);
    assert_eq!(codes(&["--select", "S"]).0, ["S003"]);
    assert_eq!(codes(&["--select", "figure-stated-twice"]).0, ["D001"]);
    let (none, code) = codes(&["--ignore", "S003,d001"]);
    assert!(none.is_empty());
    assert_eq!(code, Some(0), "hidden findings do not set the status");
    let (_, err, code) = run_in(&["check", "--select", "Z1", h], None);
    assert_eq!(code, Some(2));
    assert!(err.contains("explain"), "{err}");
    // The shiquan report has a truncation warning (R001) beside its errors.
    let s = path("corpus/sh_putuo_shiquan_2025_dept_final.txt");
    let (out, _, _) = run_in(
        &[
            "check",
            "--format",
            "jsonl",
            "--severity",
            "error",
            s.to_str().unwrap(),
        ],
        None,
    );
    let r: DocumentRecord = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert!(!r.findings.is_empty() && r.findings.iter().all(|f| f.severity == "error"));
}

/// `--patterns DIR`: a copy of patterns/ reads exactly as the defaults; a missing file is an
/// error unless inherited; unknown keys and fields and failing examples are refused at load,
/// with the real path named.
#[test]
fn pattern_directories_are_validated() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for e in std::fs::read_dir(path("patterns")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, d.join(p.file_name().unwrap())).unwrap();
    }
    let doc = path("corpus/sh_putuo_shiquan_2025_dept_final.txt");
    let doc = doc.to_str().unwrap();
    let pd = d.to_str().unwrap();
    let (builtin, _, _) = run_in(&["check", "--format", "jsonl", doc], None);
    let (copied, err, _) = run_in(&["check", "--format", "jsonl", "--patterns", pd, doc], None);
    assert_eq!(builtin, copied, "{err}");

    std::fs::remove_file(d.join("budget.toml")).unwrap();
    let (_, err, code) = run_in(&["check", "--patterns", pd, doc], None);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("budget.toml") && err.contains("inherit.txt"),
        "{err}"
    );
    std::fs::write(
        d.join("inherit.txt"),
        "# taken from the embedded set\nbudget\n",
    )
    .unwrap();
    let (inherited, err, _) = run_in(&["check", "--format", "jsonl", "--patterns", pd, doc], None);
    assert_eq!(builtin, inherited, "{err}");
    std::fs::write(d.join("inherit.txt"), "budgets\n").unwrap();
    let (_, err, code) = run_in(&["check", "--patterns", pd, doc], None);
    assert_eq!(code, Some(2));
    assert!(err.contains("\"budgets\""), "{err}");
    std::fs::write(d.join("inherit.txt"), "budget\n").unwrap();

    let extra = d.join("zz_extra.toml");
    let bad = |body: &str, want: &str| {
        std::fs::write(&extra, body).unwrap();
        let (_, err, code) = run_in(&["check", "--patterns", pd, doc], None);
        assert_eq!(code, Some(2), "{body}");
        assert!(
            err.contains("zz_extra.toml") && err.contains(want),
            "{want}: {err}"
        );
    };
    let base = "[[pattern]]\nid = \"x\"\nkey = \"staff.actual\"\ndoc = \"d\"\nnoun = '^实有人员$'\nunit = \"people\"\n";
    bad(
        &format!(
            "{base}examples = [\"实有人员5人。\"]\ncounter_examples = [\"编制5人。\"]\nkee = 1\n"
        ),
        "kee",
    );
    bad(
        &base.replace("staff.actual", "staff.acutal").replace(
            "unit",
            "examples = [\"实有人员5人。\"]\ncounter_examples = [\"编制5人。\"]\nunit",
        ),
        "unknown key",
    );
    bad(
        &format!("{base}examples = [\"实有人员5人。\"]\ncounter_examples = [\"实有人员6人。\"]\n"),
        "should not match",
    );
    std::fs::remove_file(&extra).unwrap();
}

/// A reviewed-findings baseline hides accepted findings (each with a reason) while their
/// figures stay the same, wherever their lines move; `--write-baseline` keeps the reasons.
#[test]
fn a_baseline_hides_accepted_findings_until_a_figure_changes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text =
        std::fs::read_to_string(path("corpus/hn_huaihua_gxj_2022_dept_selfeval.txt")).unwrap();
    let doc = d.join("huaihua.txt");
    std::fs::write(&doc, &text).unwrap();
    let doc_s = doc.to_str().unwrap();
    let bl = d.join("baseline.toml");
    let bl_s = bl.to_str().unwrap();
    let (_, _, code) = run_in(&["check", "--write-baseline", bl_s, doc_s], None);
    assert_eq!(code, Some(1));
    let written = std::fs::read_to_string(&bl).unwrap();
    assert_eq!(written.matches("[[accepted]]").count(), 2, "{written}");
    // Without reasons the baseline is refused.
    let (_, err, code) = run_in(&["check", "--baseline", bl_s, doc_s], None);
    assert_eq!(code, Some(2));
    assert!(err.contains("reason"), "{err}");
    // Accept the score total (S003) only.
    let mut b: toml::Value = toml::from_str(&written).unwrap();
    let entries = b["accepted"].as_array_mut().unwrap();
    entries.retain(|e| e["code"].as_str() == Some("S003"));
    entries[0]["reason"] =
        toml::Value::String("报告原文如此，已反馈单位 / reported to the unit".into());
    std::fs::write(&bl, toml::to_string(&b).unwrap()).unwrap();
    let codes = |doc: &str| -> (Vec<String>, Option<i32>, String) {
        let (out, err, code) = run_in(
            &["check", "--format", "jsonl", "--baseline", bl_s, doc],
            None,
        );
        let r: DocumentRecord = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        (
            r.findings.iter().map(|f| f.code.clone()).collect(),
            code,
            err,
        )
    };
    let (shown, code, err) = codes(doc_s);
    assert_eq!(shown, ["D001"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("1 accepted in the baseline"), "{err}");
    // Lines moved: still accepted.
    std::fs::write(&doc, format!("\n\n\n{text}")).unwrap();
    assert_eq!(codes(doc_s).0, ["D001"]);
    // The total changed: a new finding.
    std::fs::write(&doc, text.replace("自评得分184分", "自评得分185分")).unwrap();
    assert_eq!(codes(doc_s).0, ["S003", "D001"]);
    // Rewriting the baseline keeps the reason given and lists the new findings to review.
    std::fs::write(&doc, &text).unwrap();
    let bl2 = d.join("next.toml");
    run_in(
        &[
            "check",
            "--baseline",
            bl_s,
            "--write-baseline",
            bl2.to_str().unwrap(),
            doc_s,
        ],
        None,
    );
    let next = std::fs::read_to_string(&bl2).unwrap();
    assert_eq!(next.matches("[[accepted]]").count(), 2, "{next}");
    assert!(next.contains("已反馈单位"), "{next}");
}

/// `reportlint.toml` in the folder (or above it) sets checks, severity, selection and the
/// baseline; command-line options override it; --no-config ignores it; a misspelt setting is
/// a usage error naming the file.
#[test]
fn a_settings_file_applies_and_flags_override_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let d = root.join("reports");
    std::fs::create_dir(&d).unwrap();
    std::fs::copy(
        path("corpus/hn_huaihua_gxj_2022_dept_selfeval.txt"),
        d.join("huaihua.txt"),
    )
    .unwrap();
    std::fs::copy(
        path("corpus/sh_czj_2025_unit_budget.pdf"),
        d.join("czj.pdf"),
    )
    .unwrap();
    std::fs::write(
        root.join("reportlint.toml"),
        "# team settings\nselect = [\"S\"]\nexclude = [\"*.pdf\"]\ntimeout = 30\n",
    )
    .unwrap();
    let d_s = d.to_str().unwrap();
    // (file name, its finding codes) of each report read, the exit code and stderr.
    type Run = (Vec<(String, Vec<String>)>, Option<i32>, String);
    let run = |extra: &[&str]| -> Run {
        let (out, err, code) = run_in(
            &[&["check", "--format", "jsonl"], extra, &[d_s]].concat(),
            None,
        );
        let recs = out
            .lines()
            .map(|l| serde_json::from_str::<DocumentRecord>(l).unwrap())
            .filter(|r| r.status == reportlint::report::Status::Ok)
            .map(|r| {
                let name = std::path::Path::new(&r.path)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (name, r.findings.iter().map(|f| f.code.clone()).collect())
            })
            .collect();
        (recs, code, err)
    };
    let (recs, code, err) = run(&[]);
    assert_eq!(
        recs,
        [("huaihua.txt".to_string(), vec!["S003".to_string()])],
        "{err}"
    );
    assert_eq!(code, Some(1));
    // A flag replaces the file's list.
    let (recs, _, _) = run(&["--select", "D"]);
    assert_eq!(
        recs,
        [("huaihua.txt".to_string(), vec!["D001".to_string()])]
    );
    let (recs, _, _) = run(&["--no-config"]);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[1].1, ["S003", "D001"]);
    std::fs::write(root.join("reportlint.toml"), "selct = [\"S\"]\n").unwrap();
    let (_, code, err) = run(&[]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("reportlint.toml") && err.contains("selct"),
        "{err}"
    );
}
