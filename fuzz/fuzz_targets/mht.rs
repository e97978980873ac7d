//! Web-archive (MHT) reader on arbitrary bytes, with the fuzzing bounds of `common::limits`.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use reportlint::reader::mht;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = mht::read(data, &common::limits()) {
        common::check(&doc);
    }
});
