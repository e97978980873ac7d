//! The document model's contract, checked on every document a reader returns: extraction
//! slices `Document::text` by spans and indexes rows by column, so a violation here is a
//! panic (or a wrong figure) waiting downstream even when the reader itself did not panic.

use reportlint::{Block, Document};

pub fn check(doc: &Document) {
    let n = doc.text.chars().count();
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => {
                assert!(
                    p.span.start <= p.span.end && p.span.end <= n,
                    "paragraph span {:?} outside a text of {n} chars",
                    p.span
                );
            }
            Block::Table(t) => {
                assert!(t.header_rows <= t.rows.len(), "more header rows than rows");
                for r in &t.rows {
                    assert_eq!(r.cells.len(), t.columns.len(), "table is not rectangular");
                    for c in &r.cells {
                        assert!(
                            c.span.start <= c.span.end && c.span.end <= n,
                            "cell span {:?} outside a text of {n} chars",
                            c.span
                        );
                    }
                }
            }
        }
    }
}

/// Bounds for fuzzing: the defaults' shape at a fraction of their size, so that an input
/// which inflates to the bound costs milliseconds rather than seconds and libFuzzer's RSS
/// limit measures leaks, not the configured budget.
#[allow(dead_code)]
pub fn limits() -> reportlint::reader::Limits {
    reportlint::reader::Limits {
        max_file_size: 8 << 20,
        max_decompressed: 32 << 20,
        max_part: 16 << 20,
        max_depth: 256,
        max_pages: 200,
        // External programs are not the readers under test.
        ocr: false,
    }
}
