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
        Some(2),
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
    assert_eq!(kinds[0].as_deref(), Some("malformed"));
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
    assert_eq!(kinds[8].as_deref(), Some("unsupported_format"));
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
