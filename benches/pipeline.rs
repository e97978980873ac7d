//! Benchmarks over corpus/: read per format, extract, check, and end to end.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
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
    let mut seeds: Vec<PathBuf> = ["seed.txt", "seed.docx", "seed.html", "seed.pdf"]
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

criterion_group!(benches, read, extract_and_check, end_to_end);
criterion_main!(benches);
