//! PDF reader (stub: to be written).

use super::Limits;
use crate::error::{ErrorKind, ReadError, Result};
use crate::model::Document;

pub fn read(_bytes: &[u8], _limits: &Limits) -> Result<Document> {
    Err(ReadError::new(ErrorKind::UnsupportedFormat, "pdf: not yet"))
}
