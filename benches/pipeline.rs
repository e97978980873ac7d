//! Benchmarks over corpus/: read per format, segment, extract, check, and end to end.
//!
//! Set `REPORTLINT_GEN_DIR` to a corpus written by `cargo run --release --example gen -- N DIR
//! --formats txt,docx,html` to add per-format end-to-end groups over its documents, with
//! throughput in documents and in bytes (keep N small, ~60: every iteration reads them all).

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reportlint::extract::segment::Segmenter;
use reportlint::extract::{extract, Patterns};
use reportlint::pipeline::{read_document, run_many, Config, Mode};
use reportlint::reader::{read_bytes, Limits};

fn files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x != "md"))
        .collect();
    v.sort();
    v
}

fn read(c: &mut Criterion) {
    let mut g = c.benchmark_group("read");
    let mut seeds: Vec<PathBuf> = [
        "seed.txt",
        "seed.docx",
        "seed.html",
        "seed.pdf",
        "seed.mht",
        "seed.xlsx",
        "seed.xls",
        "seed.ods",
        "seed.doc",
        "seed.ofd",
    ]
    .iter()
    .map(|f| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seed")).join(f))
    .collect();
    seeds.extend(files());
    for p in seeds {
        let bytes = std::fs::read(&p).unwrap();
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        g.bench_function(&name, |b| {
            b.iter(|| read_bytes(&bytes, &p, &Limits::default()).1.is_ok())
        });
    }
    g.finish();
}

fn extract_and_check(c: &mut Criterion) {
    let patterns = Patterns::builtin();
    let cfg = Config::new(Mode::Read);
    let docs: Vec<_> = files()
        .iter()
        .filter_map(|p| read_document(p, &cfg).2.ok())
        .collect();
    let chars: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Bytes(chars as u64));
    // Segmentation alone: every paragraph of the corpus through the shared jieba instance,
    // as extraction cuts them (the dictionary is built once, outside the timing).
    let seg = Segmenter::shared(&patterns.dict);
    let paras: Vec<&str> = docs
        .iter()
        .flat_map(|d| d.paragraphs().map(|p| p.text.as_str()))
        .collect();
    g.bench_function("segment", |b| {
        b.iter(|| paras.iter().map(|p| seg.cut(p).len()).sum::<usize>())
    });
    g.bench_function("extract", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| extract(d, &patterns).figures.len())
                .sum::<usize>()
        })
    });
    let exs: Vec<_> = docs.iter().map(|d| extract(d, &patterns)).collect();
    g.bench_function("check", |b| {
        b.iter(|| {
            docs.iter()
                .zip(&exs)
                .map(|(d, e)| reportlint::check::run(d, e).run)
                .sum::<usize>()
        })
    });
    g.finish();
}

fn end_to_end(c: &mut Criterion) {
    let entries: Vec<_> = files().into_iter().map(Ok).collect();
    let mut g = c.benchmark_group("end_to_end");
    g.throughput(Throughput::Elements(entries.len() as u64));
    g.sample_size(10);
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let cfg = Config::new(Mode::Check);
        g.bench_function(format!("corpus_{threads}_threads"), |b| {
            b.iter(|| pool.install(|| run_many(&entries, &cfg).len()))
        });
    }
    g.finish();
}

/// A re-run over corpus/ with a warm result cache (`--cache`): stamps match, no file is read
/// and nothing is parsed; beside `end_to_end`'s cold run of the same files.
fn cached(c: &mut Criterion) {
    let entries: Vec<_> = files().into_iter().map(Ok).collect();
    let dir = tempfile::tempdir().unwrap();
    // Stamps are trusted only when the file is older than the stamp by a margin; the corpus
    // files are (checked out before this runs), but make sure.
    for e in entries.iter().flatten() {
        let f = std::fs::File::options().write(true).open(e).unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let _ = f.set_modified(old.min(f.metadata().unwrap().modified().unwrap()));
    }
    let mut cfg = Config::new(Mode::Check);
    cfg.cache = Some(std::sync::Arc::new(
        reportlint::cache::Cache::open(dir.path(), cfg.cache_salt()).unwrap(),
    ));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    pool.install(|| run_many(&entries, &cfg));
    let read_before = reportlint::reader::files_read();
    let mut g = c.benchmark_group("cached");
    g.throughput(Throughput::Elements(entries.len() as u64));
    g.sample_size(20);
    g.bench_function("corpus_1_thread_warm", |b| {
        b.iter(|| pool.install(|| run_many(&entries, &cfg).len()))
    });
    g.finish();
    assert_eq!(
        reportlint::reader::files_read(),
        read_before,
        "a warm run read a file"
    );
}

/// End to end over a generated corpus, one group per format, 1 and 2 threads.
fn generated(c: &mut Criterion) {
    let Ok(dir) = std::env::var("REPORTLINT_GEN_DIR") else {
        return;
    };
    let dir = PathBuf::from(dir).join("docs");
    let mut all: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("REPORTLINT_GEN_DIR/docs")
        .map(|e| e.unwrap().path())
        .collect();
    all.sort();
    for fmt in ["txt", "docx", "html"] {
        let files: Vec<PathBuf> = all
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == fmt))
            .cloned()
            .collect();
        if files.is_empty() {
            continue;
        }
        let bytes: u64 = files
            .iter()
            .map(|p| std::fs::metadata(p).unwrap().len())
            .sum();
        let entries: Vec<_> = files.into_iter().map(Ok).collect();
        let cfg = Config::new(Mode::Check);
        for (unit, tp) in [
            ("docs", Throughput::Elements(entries.len() as u64)),
            ("bytes", Throughput::Bytes(bytes)),
        ] {
            let mut g = c.benchmark_group(format!("generated_{fmt}_{unit}"));
            g.throughput(tp);
            g.sample_size(10);
            for threads in [1, 2] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                g.bench_function(format!("{threads}_threads"), |b| {
                    b.iter(|| pool.install(|| run_many(&entries, &cfg).len()))
                });
            }
            g.finish();
        }
    }
}

criterion_group!(
    benches,
    read,
    extract_and_check,
    end_to_end,
    cached,
    generated
);
criterion_main!(benches);
