//! Excel 97–2003 workbook reader on arbitrary bytes: the spreadsheet crate's BIFF reading and
//! our own pass over the BIFF8 records for the cells' number formats (`reader::biff`), with the
//! fuzzing bounds of `common::limits`.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use reportlint::model::Format;
use reportlint::reader::sheet;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = sheet::read(data, &common::limits(), Format::Xls) {
        common::check(&doc);
    }
});
