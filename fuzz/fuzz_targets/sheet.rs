//! Spreadsheet reader (xlsx/ods through calamine, after the zip bounds; for ods also our
//! content.xml pass for merges and shown numbers) on arbitrary bytes, with the fuzzing bounds
//! of `common::limits`.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use reportlint::model::Format;
use reportlint::reader::sheet;

fuzz_target!(|data: &[u8]| {
    // The last byte chooses how the bytes are taken: the ods pass runs only for Format::Ods.
    let format = if data.last().is_some_and(|b| b & 1 == 1) {
        Format::Ods
    } else {
        Format::Xlsx
    };
    if let Ok(doc) = sheet::read(data, &common::limits(), format) {
        common::check(&doc);
    }
});
