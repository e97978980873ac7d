//! reportlint reads Chinese government budget and performance reports (DOCX, PDF, text,
//! HTML), extracts every figure into structured records and cross-checks them.
//!
//! # Brief overview
//! - [`reader`] turns a file into a [`model::Document`]: paragraphs and tables with
//!   provenance. It is the only module that touches files.
//! - [`extract`] finds figures, rates, counts, tables and metadata; it never fails.
//! - [`check`] cross-checks the figures: pure functions, rounding by intervals.
//! - [`report`] holds the serialisable output types; [`output`] fills and writes them (JSON,
//!   text, the CSV/XLSX dataset whose columns are [`keys::KEYS`], the HTML review page).
//! - [`cache`] keeps records by the sha256 of their bytes (`--cache`); [`shard`] splits a run.
//! - [`baseline`] holds the findings a reviewer accepted (fingerprints with reasons).
//! - [`pipeline`] runs documents in parallel, one record per input, in input order, each
//!   under a deadline that OCR extends a page at a time ([`deadline`]);
//!   [`progress`] shows how far a long run is on a terminal.
//!
//! ```
//! use reportlint::{extract, check, model::{Format, TextBuilder}};
//! let mut b = TextBuilder::new(Format::Txt);
//! b.paragraph("编制人数50人，实有人数45人，财政供养人员控制率95%。", None);
//! let doc = b.finish();
//! let ex = extract::extract(&doc, &extract::Patterns::builtin());
//! let outcome = check::run(&doc, &ex);
//! assert_eq!(outcome.findings[0].code, "R001");
//! ```

pub mod baseline;
pub mod cache;
pub mod check;
pub mod config;
pub mod deadline;
pub mod error;
pub mod extract;
pub mod keys;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod reader;
pub mod report;
pub mod shard;

pub use error::{ErrorKind, ReadError};
pub use model::{Block, Cell, Document, Format, Paragraph, Row, Span, Table};
