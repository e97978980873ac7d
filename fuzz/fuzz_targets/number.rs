//! Number reading: normalisation of full-width forms, decimals with thousands separators,
//! table cells (signs, brackets, dashes, percent) and Chinese numerals.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reportlint::extract::number::{normalize, parse_cell, parse_chinese, parse_decimal};

fuzz_target!(|s: &str| {
    let n = normalize(s);
    // normalize maps each character to exactly one character: spans computed on the
    // normalised text are used on the original.
    assert_eq!(
        n.chars().count(),
        s.chars().count(),
        "normalize changed the length"
    );
    let _ = parse_decimal(s);
    let _ = parse_decimal(&n);
    let _ = parse_cell(s);
    let _ = parse_cell(&n);
    let _ = parse_chinese(s);
});
