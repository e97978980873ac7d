//! Plain-text reader (stub).

use crate::error::Result;
use crate::model::{Document, Format, TextBuilder};

pub fn looks_binary(_bytes: &[u8]) -> bool {
    false
}

pub fn read(bytes: &[u8]) -> Result<Document> {
    let mut b = TextBuilder::new(Format::Txt);
    b.paragraph(&String::from_utf8_lossy(bytes), None);
    Ok(b.finish())
}
