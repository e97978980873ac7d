//! Splitting and resuming runs: `--shard i/n` and `--cache DIR` through the binary.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::util::{bin, path};

/// stdout and stderr of one run of the binary.
fn run(args: &[&str]) -> (String, String) {
    let out = bin().args(args).output().unwrap();
    let code = out.status.code();
    assert!(matches!(code, Some(0 | 1)), "{args:?}: {code:?}");
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The JSONL records of a run by their path.
fn by_path(jsonl: &str) -> BTreeMap<String, String> {
    jsonl
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (v["path"].as_str().unwrap().to_string(), l.to_string())
        })
        .collect()
}

/// The cache line's numbers: (reused unread, reused by content, processed, files read).
fn cache_line(stderr: &str) -> (u64, u64, u64, u64) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("缓存 / cache:"))
        .unwrap_or_else(|| panic!("no cache line in {stderr}"));
    let nums: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    (nums[0], nums[1], nums[2], nums[3])
}

/// Files as a report folder holds them: written long ago, so that their stamps are trusted.
fn age(p: &Path) {
    let f = std::fs::File::options().write(true).open(p).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
}

#[test]
fn shards_are_disjoint_and_complete() {
    let corpus = path("corpus").display().to_string();
    let (full, _) = run(&["extract", &corpus, "--format", "jsonl"]);
    let full = by_path(&full);
    assert!(full.len() > 10);
    let mut union = BTreeMap::new();
    for i in 0..3 {
        let shard = format!("{i}/3");
        let (part, _) = run(&["extract", &corpus, "--format", "jsonl", "--shard", &shard]);
        let part = by_path(&part);
        assert!(!part.is_empty() && part.len() < full.len(), "{shard}");
        for (p, rec) in part {
            assert!(union.insert(p.clone(), rec).is_none(), "{p} in two shards");
        }
    }
    assert_eq!(union, full);
    let (_, err) = {
        let out = bin()
            .args(["extract", &corpus, "--shard", "3/3"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        (out.stdout, String::from_utf8(out.stderr).unwrap())
    };
    assert!(err.contains("0 ≤ i < n"), "{err}");
}

/// A cached re-run opens no input file and writes the same bytes; a changed file is read and
/// processed again, a copy under a new name is recognised by its bytes, and a cache written
/// for other options (check, not extract) is not taken for this one.
#[test]
fn cache_rereads_nothing_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for name in [
        "hn_huaihua_gxj_2022_dept_selfeval.txt",
        "sc_qingshen_fgj_2023_project_selfeval_table.txt",
        "km_panlong_renda_2017_dept_budget.txt",
    ] {
        let to = docs.join(name);
        std::fs::copy(path("corpus").join(name), &to).unwrap();
        age(&to);
    }
    let cache = dir.path().join("cache").display().to_string();
    let d = docs.display().to_string();
    let args = ["check", &d, "--format", "jsonl", "--cache", &cache];
    let (first, err1) = run(&args);
    assert_eq!(cache_line(&err1), (0, 0, 3, 6), "{err1}");
    let (second, err2) = run(&args);
    assert_eq!(cache_line(&err2), (3, 0, 0, 0), "{err2}");
    assert_eq!(first, second);
    let (plain, _) = run(&["check", &d, "--format", "jsonl"]);
    assert_eq!(plain, first, "the cache must not change the output");

    // Extraction has its own entries: nothing is reused from the check run.
    let (_, err) = run(&["extract", &d, "--format", "jsonl", "--cache", &cache]);
    assert_eq!(cache_line(&err).2, 3, "{err}");

    // One file changes: only it is read (sniffed, then read) and processed again.
    let changed = docs.join("km_panlong_renda_2017_dept_budget.txt");
    let mut text = std::fs::read_to_string(&changed).unwrap();
    text.push_str("\n编制人数50人，实有人数45人，财政供养人员控制率95%。\n");
    std::fs::write(&changed, text).unwrap();
    age(&changed);
    let (third, err3) = run(&args);
    assert_eq!(cache_line(&err3), (2, 0, 1, 2), "{err3}");
    let (a, b) = (by_path(&first), by_path(&third));
    let key = changed.display().to_string();
    assert_ne!(a[&key], b[&key]);
    assert!(b[&key].contains("R001"));
    for k in a.keys().filter(|k| **k != key) {
        assert_eq!(a[k], b[k]);
    }

    // A copy under another name: read (it has no stamp yet), reused by its bytes.
    let copy = docs.join("copy_of_huaihua.txt");
    std::fs::copy(docs.join("hn_huaihua_gxj_2022_dept_selfeval.txt"), &copy).unwrap();
    age(&copy);
    let (fourth, err4) = run(&args);
    assert_eq!(cache_line(&err4), (3, 1, 0, 2), "{err4}");
    let recs = by_path(&fourth);
    let orig = &recs[&docs
        .join("hn_huaihua_gxj_2022_dept_selfeval.txt")
        .display()
        .to_string()];
    let dup = &recs[&copy.display().to_string()];
    assert_eq!(
        orig.replace(
            "hn_huaihua_gxj_2022_dept_selfeval.txt",
            "copy_of_huaihua.txt"
        ),
        *dup,
        "the copy's record is the original's under its own path"
    );
}

/// A run killed halfway leaves whole cache entries only; started again it processes the rest
/// and nothing twice, and its output is the full run's.
#[test]
fn killed_run_resumes_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let n = 400;
    for i in 0..n {
        let p = docs.join(format!("{i:04}.txt"));
        std::fs::write(
            &p,
            format!(
                "某局2025年部门预算。编制人数{}人，实有人数{}人，财政供养人员控制率90%。本年收入合计{}.00万元，其中财政拨款{}.00万元，其他收入{}.00万元。\n",
                40 + i,
                36 + i % 7,
                300 + i,
                200 + i,
                100
            ),
        )
        .unwrap();
        age(&p);
    }
    let cache = dir.path().join("cache");
    let results = cache.join("results");
    let count = |dir: &Path| -> usize {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .count()
    };
    let d = docs.display().to_string();
    let c = cache.display().to_string();
    let args = [
        "check", &d, "--format", "jsonl", "--jobs", "1", "--cache", &c,
    ];
    let mut child = bin()
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while count(&results) < 20 && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let done = count(&results);
    assert!(done >= 20, "the first run stored {done}");
    let leftovers = walkdir::WalkDir::new(&cache)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .count();
    assert!(leftovers <= 1, "{leftovers} half-written entries");
    if done == n {
        eprintln!("killed_run_resumes_from_the_cache: the first run finished before it was killed; the resume part proves nothing this time");
    }
    let (resumed, err) = run(&args);
    let (unread, by_content, processed, _) = cache_line(&err);
    assert_eq!(processed as usize, n - done, "{err}");
    assert_eq!((unread + by_content) as usize, done, "{err}");
    let (full, _) = run(&["check", &d, "--format", "jsonl"]);
    assert_eq!(resumed, full);
}
