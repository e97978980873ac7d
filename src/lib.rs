//! reportlint reads Chinese government budget and performance reports (DOCX, PDF, text,
//! HTML), extracts every figure into structured records and cross-checks them.
//!
//! # Brief overview
//! - [`reader`] turns a file into a [`model::Document`]: paragraphs and tables with
//!   provenance. It is the only module that touches files.
//! - [`model`] is the document model shared by all formats.

pub mod error;
pub mod model;
pub mod reader;

pub use error::{ErrorKind, ReadError};
pub use model::{Block, Cell, Document, Format, Paragraph, Row, Span, Table};
