//! DOCX reader (stub: to be written).

use super::{Limits, Sniffed};
use crate::error::{ErrorKind, ReadError, Result};
use crate::model::{Document, Format};

pub fn sniff_zip(_bytes: &[u8]) -> Sniffed {
    Sniffed::Known(Format::Docx)
}

pub fn read(_bytes: &[u8], _limits: &Limits) -> Result<Document> {
    Err(ReadError::new(ErrorKind::UnsupportedFormat, "docx: not yet"))
}
