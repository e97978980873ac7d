//! One integration test binary; each module covers one area.

mod util;

// Readers: each format against the same seed report, and hostile inputs.
mod docx;
mod formats;
mod html;
mod pdf;

// Extraction: keys, spans, the corpus's known figures, the patterns' examples.
mod extract;

// Checks and the command line (and splitting and resuming runs).
mod checks;
mod cli;
mod families;
mod forms;
mod scale;

// The Python package, built with pip and tested with pytest.
mod python;

// Fixtures and snapshots compared with their saved expected output.
mod expected;

// The arithmetic relations a real report states, verified by hand: tested and reported.
mod mutation;
mod relations;

// Official reports of eight places (../shared/realworld, when present): the reviewed errors.
mod realworld;

// The outputs people open: CSV, XLSX, the HTML page (in Chromium), progress, explain.
mod outputs;

// Hostile and broken input: a directory of them through the binary, and the fuzzers' finds.
mod hostile;
mod hostile_formats;
mod ocr;
mod regression;
