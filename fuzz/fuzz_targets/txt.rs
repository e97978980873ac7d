//! Text reader: encoding detection and decoding (BOM, UTF-16 without BOM, UTF-8, GB18030),
//! line and page bookkeeping, and table rebuilding from every shape the reader knows.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use reportlint::reader::txt;

fuzz_target!(|data: &[u8]| {
    // The binary sniff runs on every input before the reader; it must never panic either.
    let _ = txt::looks_binary(data);
    if let Ok(doc) = txt::read(data) {
        common::check(&doc);
    }
});
