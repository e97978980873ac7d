//! Scores extraction and checks on a corpus written by `examples/gen.rs`.
//!
//! `cargo run --release --example score -- DIR [--jobs N] [--examples K]`
//!
//! Runs `reportlint::pipeline` (read, extract, check) over `DIR/docs` and compares with the
//! sidecars in `DIR/truth`:
//!
//! * extraction, per key: a figure is a true positive when the truth states a figure of that
//!   key on the same line with the same value (as written); precision over the keyed figures
//!   extracted, recall over the figures the truth states;
//! * checks, per kind of injected error: caught when an error finding cites the corrupted
//!   figure's line (in its evidence or as its own line);
//! * false alarms: error findings per clean document (no injected error), and findings on
//!   documents with errors that cite none of the injected lines.
//!
//! With `--examples K` it prints up to K missed and spurious figures per key and K false
//! alarms per check code, so that the phrasings behind the numbers can be looked at.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use reportlint::pipeline::{run_streaming, Config, Mode};
use reportlint::reader::expand_paths;
use reportlint::report::DocumentRecord;
use rust_decimal::Decimal;
use serde_json::Value;

#[derive(Default)]
struct Prf {
    tp: usize,
    fp: usize,
    fn_: usize,
    fp_examples: Vec<String>,
    fn_examples: Vec<String>,
}

/// Totals per format and table layout (txt: word_export, tabs, pipes).
#[derive(Default)]
struct Row {
    docs: usize,
    unread: usize,
    clean: usize,
    alarms: usize,
    tp: usize,
    fp: usize,
    fn_: usize,
    injected: usize,
    caught: usize,
}

#[derive(Default)]
struct Caught {
    injected: usize,
    caught: usize,
    by: BTreeMap<String, usize>,
    missed: Vec<String>,
}

fn num(s: &str) -> Option<Decimal> {
    Decimal::from_str(&s.replace([',', '，'], "")).ok()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: score DIR [--jobs N] [--examples K]";
    let mut dir = None;
    let mut jobs = 0;
    let mut k_examples = 0usize;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--jobs" => jobs = it.next().and_then(|s| s.parse().ok()).expect(usage),
            "--examples" => k_examples = it.next().and_then(|s| s.parse().ok()).expect(usage),
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build_global()
        .expect("thread pool");
    let docs = dir.join("docs");
    let truth_dir = dir.join("truth");
    let entries = expand_paths(&[docs]);
    let cfg = Config::new(Mode::Check);

    let mut keys: BTreeMap<String, Prf> = BTreeMap::new();
    let mut kinds: BTreeMap<String, Caught> = BTreeMap::new();
    let mut by_format: BTreeMap<String, Row> = BTreeMap::new();
    let mut alarm_codes: BTreeMap<String, usize> = BTreeMap::new();
    let mut alarm_examples: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let (mut n_docs, mut n_clean, mut clean_alarms, mut stray) = (0usize, 0usize, 0usize, 0usize);
    let started = std::time::Instant::now();

    run_streaming(&entries, &cfg, |rec: DocumentRecord| {
        let path = Path::new(&rec.path);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let truth: Value = match std::fs::read(truth_dir.join(format!("{name}.json"))) {
            Ok(b) => serde_json::from_slice(&b).expect("truth json"),
            Err(_) => return,
        };
        n_docs += 1;
        let fmt = format!(
            "{}/{}",
            truth["format"].as_str().unwrap_or("?"),
            truth["layout"].as_str().unwrap_or("?")
        );
        let fmt_row = by_format.entry(fmt).or_default();
        fmt_row.docs += 1;
        if rec.error.is_some() {
            fmt_row.unread += 1;
        }

        // Extraction: match (key, line, value) as multisets.
        let mut want: HashMap<(String, usize), Vec<(Decimal, bool)>> = HashMap::new();
        for f in truth["figures"].as_array().unwrap() {
            let key = f["key"].as_str().unwrap().to_string();
            let line = f["line"].as_u64().unwrap() as usize;
            let v = num(f["value"].as_str().unwrap()).unwrap();
            want.entry((key, line)).or_default().push((v, false));
        }
        for f in &rec.figures {
            let Some(key) = &f.key else { continue };
            let v = num(&f.value);
            let slot = want
                .get_mut(&(key.clone(), f.line))
                .and_then(|vs| vs.iter_mut().find(|(w, used)| !used && Some(*w) == v));
            let e = keys.entry(key.clone()).or_default();
            match slot {
                Some(s) => {
                    s.1 = true;
                    e.tp += 1;
                    fmt_row.tp += 1;
                }
                None => {
                    e.fp += 1;
                    fmt_row.fp += 1;
                    if e.fp_examples.len() < k_examples {
                        e.fp_examples.push(format!(
                            "{name}:{} {}{} «{}»",
                            f.line, f.value, f.unit, f.label
                        ));
                    }
                }
            }
        }
        for ((key, line), vs) in &want {
            for (v, used) in vs {
                if !used {
                    let e = keys.entry(key.clone()).or_default();
                    e.fn_ += 1;
                    fmt_row.fn_ += 1;
                    if e.fn_examples.len() < k_examples {
                        e.fn_examples.push(format!("{name}:{line} {v}"));
                    }
                }
            }
        }

        // Checks.
        let errors = truth["errors"].as_array().unwrap();
        let cites = |f: &reportlint::report::FindingRecord, line: usize| {
            f.line == line || f.evidence.iter().any(|e| e.line == line)
        };
        let error_findings: Vec<_> = rec
            .findings
            .iter()
            .filter(|f| f.severity == "error")
            .collect();
        let lines: Vec<usize> = errors
            .iter()
            .map(|e| e["line"].as_u64().unwrap() as usize)
            .collect();
        for (e, &line) in errors.iter().zip(&lines) {
            let kind = e["kind"].as_str().unwrap().to_string();
            let c = kinds.entry(kind.clone()).or_default();
            c.injected += 1;
            fmt_row.injected += 1;
            match error_findings.iter().find(|f| cites(f, line)) {
                Some(f) => {
                    c.caught += 1;
                    fmt_row.caught += 1;
                    *c.by.entry(f.code.clone()).or_default() += 1;
                }
                None => {
                    if c.missed.len() < k_examples {
                        c.missed.push(format!(
                            "{name}:{line} {} {} → {}",
                            e["key"].as_str().unwrap_or("count"),
                            e["old"].as_str().unwrap_or(""),
                            e["new"].as_str().unwrap_or("")
                        ));
                    }
                }
            }
        }
        if errors.is_empty() {
            n_clean += 1;
            fmt_row.clean += 1;
            clean_alarms += error_findings.len();
            fmt_row.alarms += error_findings.len();
            for f in &error_findings {
                *alarm_codes.entry(f.code.clone()).or_default() += 1;
                let ex = alarm_examples.entry(f.code.clone()).or_default();
                if ex.len() < k_examples {
                    ex.push(format!("{name}:{} {}", f.line, f.message));
                }
            }
        } else {
            stray += error_findings
                .iter()
                .filter(|f| !lines.iter().any(|&l| cites(f, l)))
                .count();
        }
    });
    let secs = started.elapsed().as_secs_f64();

    println!(
        "# reportlint accuracy on {} ({} documents, {} clean, {:.1} s)\n",
        dir.display(),
        n_docs,
        n_clean,
        secs
    );
    println!("## Extraction per key (same key, line and value)\n");
    println!("| key | truth | extracted | TP | precision | recall |");
    println!("|---|---:|---:|---:|---:|---:|");
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let ratio = |a: usize, b: usize| {
        if b == 0 {
            "—".to_string()
        } else {
            format!("{:.3}", a as f64 / b as f64)
        }
    };
    for (k, p) in &keys {
        tp += p.tp;
        fp += p.fp;
        fn_ += p.fn_;
        println!(
            "| {k} | {} | {} | {} | {} | {} |",
            p.tp + p.fn_,
            p.tp + p.fp,
            p.tp,
            ratio(p.tp, p.tp + p.fp),
            ratio(p.tp, p.tp + p.fn_)
        );
    }
    println!(
        "| **all** | {} | {} | {} | {} | {} |\n",
        tp + fn_,
        tp + fp,
        tp,
        ratio(tp, tp + fp),
        ratio(tp, tp + fn_)
    );

    println!("## Check recall per injected error (an error finding cites the corrupted line)\n");
    println!("| kind | injected | caught | recall | caught by |");
    println!("|---|---:|---:|---:|---|");
    let (mut inj, mut cau) = (0, 0);
    for (k, c) in &kinds {
        inj += c.injected;
        cau += c.caught;
        let by: Vec<String> = c.by.iter().map(|(code, n)| format!("{code} {n}")).collect();
        println!(
            "| {k} | {} | {} | {} | {} |",
            c.injected,
            c.caught,
            ratio(c.caught, c.injected),
            by.join(", ")
        );
    }
    println!("| **all** | {inj} | {cau} | {} | |\n", ratio(cau, inj));

    println!("## False alarms\n");
    println!(
        "error findings on clean documents: {clean_alarms} on {n_clean} = {} per clean document",
        ratio(clean_alarms, n_clean)
    );
    let codes: Vec<String> = alarm_codes
        .iter()
        .map(|(c, n)| format!("{c} {n}"))
        .collect();
    println!(
        "by code: {}",
        if codes.is_empty() {
            "none".into()
        } else {
            codes.join(", ")
        }
    );
    println!("error findings on documents with errors that cite no injected line: {stray}\n");
    println!("## Per format and table layout\n");
    println!("| format/layout | documents | unreadable | extraction precision | extraction recall | check recall | clean | alarms per clean document |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (f, r) in &by_format {
        println!(
            "| {f} | {} | {} | {} | {} | {} | {} | {} |",
            r.docs,
            r.unread,
            ratio(r.tp, r.tp + r.fp),
            ratio(r.tp, r.tp + r.fn_),
            ratio(r.caught, r.injected),
            r.clean,
            ratio(r.alarms, r.clean)
        );
    }

    if k_examples > 0 {
        println!("\n## Examples\n");
        for (k, p) in &keys {
            for e in &p.fn_examples {
                println!("missed  {k}: {e}");
            }
            for e in &p.fp_examples {
                println!("spurious {k}: {e}");
            }
        }
        for (k, c) in &kinds {
            for e in &c.missed {
                println!("uncaught {k}: {e}");
            }
        }
        for (code, ex) in &alarm_examples {
            for e in ex {
                println!("alarm {code}: {e}");
            }
        }
    }
}
