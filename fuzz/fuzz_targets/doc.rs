//! Word 97–2003 / WPS (.doc/.wps) reader on arbitrary bytes (OLE2 container, FIB, piece table, paragraph properties), with the fuzzing bounds of `common::limits`.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use reportlint::model::Format;
use reportlint::reader::doc;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = doc::read(data, &common::limits(), Format::Doc) {
        common::check(&doc);
    }
});
