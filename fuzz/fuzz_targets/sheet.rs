//! Spreadsheet reader (xlsx/ods through calamine, after the zip bounds) on arbitrary bytes,
//! with the fuzzing bounds of `common::limits`.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use reportlint::model::Format;
use reportlint::reader::sheet;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = sheet::read(data, &common::limits(), Format::Xlsx) {
        common::check(&doc);
    }
});
