//! One integration test binary; each module covers one area.

// Readers: each format against the same seed report, and hostile inputs.
mod docx;
mod html;
mod pdf;
