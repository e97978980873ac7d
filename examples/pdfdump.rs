//! Dumps what the PDF reader extracts: `cargo run --release --example pdfdump -- file.pdf [--tables] [--time N]`.
use reportlint::reader::{pdf, Limits};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: pdfdump FILE.pdf [--tables] [--time N]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(path).expect("read");
    let limits = Limits::default();
    if args.iter().any(|a| a == "--load") {
        let t = std::time::Instant::now();
        for _ in 0..10 {
            let _ = lopdf::Document::load_mem(&bytes);
        }
        println!("load {:.2} ms", t.elapsed().as_secs_f64() * 100.0);
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--time") {
        let n: usize = args.get(i + 1).and_then(|s| s.parse().ok()).unwrap_or(20);
        let t = std::time::Instant::now();
        for _ in 0..n {
            let _ = pdf::read(&bytes, &limits);
        }
        println!(
            "{:.2} ms per read",
            t.elapsed().as_secs_f64() * 1000.0 / n as f64
        );
        return;
    }
    match pdf::read(&bytes, &limits) {
        Ok(d) => {
            if args.iter().any(|a| a == "--tables") {
                for t in d.tables() {
                    println!(
                        "== table {:?} page {:?} columns {:?} header_rows {}",
                        t.title, t.page, t.columns, t.header_rows
                    );
                    for r in &t.rows {
                        let cells: Vec<&str> = r.cells.iter().map(|c| c.text.as_str()).collect();
                        println!("  p{:?} | {}", r.page, cells.join(" | "));
                    }
                }
            } else {
                print!("{}", d.text);
            }
            for p in &d.problems {
                eprintln!("problem: {p}");
            }
        }
        Err(e) => {
            println!("ERROR {e}");
        }
    }
}
