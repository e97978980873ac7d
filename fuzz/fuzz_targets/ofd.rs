//! OFD reader on arbitrary bytes (zip bounds, OFD.xml → document → pages, glyph positions and paths), with the fuzzing bounds of `common::limits`.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use reportlint::reader::ofd;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = ofd::read(data, &common::limits()) {
        common::check(&doc);
    }
});
