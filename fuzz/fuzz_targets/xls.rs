//! Excel 97–2003 workbook reader on arbitrary bytes: our checks before the spreadsheet crate
//! (`reader::biff::inspect`: a readable container, a bounded grid), the crate's BIFF
//! reading, and our pass over the records for the cells' number formats, with the fuzzing
//! bounds of `common::limits`.
//!
//! The spreadsheet crate's own panics on damaged input (assertions on record lengths, indexes
//! past its sector table) are caught by `sheet::read` and reported as a malformed workbook;
//! libFuzzer's panic hook would abort on them before the catch, so this target lets panics
//! raised inside the crate unwind to it, and aborts on every other panic, ours included.
#![no_main]

#[path = "common.rs"]
mod common;

use std::sync::Once;

use libfuzzer_sys::fuzz_target;
use reportlint::model::Format;
use reportlint::reader::sheet;

static HOOK: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    HOOK.call_once(|| {
        let fuzzer = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_crate = info
                .location()
                .is_some_and(|l| l.file().contains("/calamine-"));
            if !in_crate {
                fuzzer(info);
            }
        }));
    });
    if let Ok(doc) = sheet::read(data, &common::limits(), Format::Xls) {
        common::check(&doc);
    }
});
