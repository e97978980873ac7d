//! Stamps the binary with a digest of its own source (`REPORTLINT_BUILD_ID`): the result cache
//! keys on it, so a cache written by another build of the same version is never reused.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut all = Vec::new();
    for d in ["src", "patterns"] {
        println!("cargo:rerun-if-changed={d}");
        files(&root.join(d), &mut all);
    }
    println!("cargo:rerun-if-changed=Cargo.lock");
    all.push(root.join("Cargo.lock"));
    all.sort();
    // FNV-1a, 64 bits, over each file's relative path and bytes: no build dependency needed,
    // and it only has to change when the source does.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in &all {
        let rel = p
            .strip_prefix(&root)
            .unwrap_or(p)
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(p).unwrap_or_default();
        for b in rel.bytes().chain([0]).chain(bytes).chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=REPORTLINT_BUILD_ID={h:016x}");
}
