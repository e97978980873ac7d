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
    if let Some(i) = args.iter().position(|a| a == "--fuzz") {
        let n: u64 = args.get(i + 1).and_then(|s| s.parse().ok()).unwrap_or(100);
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let (mut ok, mut err) = (0, 0);
        for k in 0..n {
            let mut b = bytes.clone();
            for _ in 0..(1 + next() % 20) {
                let at = (next() % b.len() as u64) as usize;
                b[at] = next() as u8;
            }
            if k % 10 == 9 {
                let cut = (next() % b.len() as u64) as usize;
                b.truncate(cut);
            }
            let t = std::time::Instant::now();
            let r = std::panic::catch_unwind(|| pdf::read(&b, &limits));
            let el = t.elapsed();
            match r {
                Ok(Ok(_)) => ok += 1,
                Ok(Err(_)) => err += 1,
                Err(_) => println!("copy {k}: PANIC"),
            }
            if el.as_millis() > 500 {
                println!("copy {k}: slow {el:?}");
            }
        }
        println!("ok {ok} err {err}");
        return;
    }
    if args.iter().any(|a| a == "--lopdf") {
        // lopdf's own extractor, for comparison.
        let t = std::time::Instant::now();
        let doc = lopdf::Document::load_mem(&bytes).expect("load");
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        let text = doc.extract_text(&pages).unwrap_or_default();
        eprintln!(
            "lopdf extract_text: {:.2} ms",
            t.elapsed().as_secs_f64() * 1000.0
        );
        print!("{text}");
        return;
    }
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
