//! Word 97–2003 (.doc) and WPS 文字 (.wps) reader, in pure Rust on the `cfb` crate.
//!
//! Both are OLE2 compound files holding a `WordDocument` stream in the Word binary format
//! ([MS-DOC]); WPS Office writes its .wps in the same format. The reader:
//!
//! * reads the File Information Block (FIB) at the head of `WordDocument`: the main text's
//!   length (`ccpText`), which table stream (`0Table`/`1Table`) holds the structures, and
//!   where the piece table (`Clx`) and the paragraph-property index (`PlcBtePapx`) are;
//! * rebuilds the main document's text from the piece table (`pieces`): each piece is a run
//!   of character positions stored either as UTF-16LE or as 8-bit cp1252 ("compressed");
//! * reads each paragraph's properties (`para`): in a table or not, the row-end mark, and the
//!   row's cell boundaries and merge flags;
//! * turns paragraphs and cells into blocks (`build`), the same document model the DOCX
//!   reader gives: one line per paragraph, a table's cells on a grid of the boundaries of all
//!   its rows, horizontal spans and vertical merges as DOCX's.
//!
//! Encrypted files are `encrypted`; Word 6/95 files and streams that do not hold a Word
//! document are `unsupported_format`; anything inconsistent is `malformed`, never garbage.

mod build;
mod para;
mod pieces;

use std::io::{Cursor, Read};

use super::Limits;
use crate::error::{ErrorKind, ReadError, Result};
use crate::model::{Document, Format};

pub(crate) const WHAT: &str = "Word 97–2003 (.doc/.wps)";

/// True when the compound file holds a Word document stream.
pub fn is_ole_word(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "WordDocument"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let head = &bytes[..bytes.len().min(1 << 20)];
    super::find(head, &name).is_some()
}

/// The streams of a compound file, each read through a bound.
struct Streams {
    cfb: cfb::CompoundFile<Cursor<Vec<u8>>>,
    limit: u64,
}

impl Streams {
    fn get(&mut self, name: &str) -> Result<Option<Vec<u8>>> {
        if !self.cfb.is_stream(name) {
            return Ok(None);
        }
        let s = self
            .cfb
            .open_stream(name)
            .map_err(|e| ReadError::malformed(WHAT, e))?;
        let mut out = Vec::new();
        s.take(self.limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| ReadError::malformed(WHAT, e))?;
        if out.len() as u64 > self.limit {
            return Err(ReadError::over_limit(
                format_args!("the {name} stream is larger than {} bytes", self.limit),
                Some("--max-decompressed"),
            ));
        }
        Ok(Some(out))
    }
}

/// What the FIB says about where things are.
#[derive(Debug)]
pub(crate) struct Fib {
    pub ccp_text: u32,
    pub table_stream: &'static str,
    pub clx: (u32, u32),
    pub bte_papx: (u32, u32),
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

pub(crate) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn bad(detail: &str) -> ReadError {
    ReadError::malformed(WHAT, detail)
}

/// Reads the FIB: FibBase (32 bytes), then `csw` 16-bit values, `cslw` 32-bit values and
/// `cbRgFcLcb` (fc, lcb) pairs, each count stored before its array.
fn fib(wd: &[u8]) -> Result<Fib> {
    let ident = u16_at(wd, 0).ok_or_else(|| bad("the WordDocument stream is too short"))?;
    if ident != 0xA5EC {
        return Err(ReadError::new(
            ErrorKind::UnsupportedFormat,
            "这个 OLE2 文件不是 Word 97 及以后版本的文档 / this compound file's WordDocument stream is not in the Word 97–2003 format (an older Word 6/95 file, or another program's): 请用 Word 或 WPS 另存为 .docx 后再检查 / open it in Word or WPS, save it as .docx and run again.",
        ));
    }
    let nfib = u16_at(wd, 2).unwrap_or(0);
    let flags = u16_at(wd, 0x0A).unwrap_or(0);
    if flags & 0x0100 != 0 {
        return Err(ReadError::new(
            ErrorKind::Encrypted,
            "Word 文档已加密，需要密码才能打开 / this Word document is encrypted and needs a password: 请提供未加密的版本，或用密码打开后另存 / supply an unencrypted copy, or open it with its password and save it without one.",
        ));
    }
    if nfib < 101 && nfib != 0 {
        return Err(ReadError::new(
            ErrorKind::UnsupportedFormat,
            format!("这是 Word 6.0/95 格式（nFib {nfib}），暂不支持 / this is a Word 6.0/95 document (nFib {nfib}), which is not read: 请用 Word 或 WPS 另存为 .docx 后再检查 / save it as .docx and run again."),
        ));
    }
    let table_stream = if flags & 0x0200 != 0 {
        "1Table"
    } else {
        "0Table"
    };
    let csw = u16_at(wd, 32).ok_or_else(|| bad("the FIB is truncated"))? as usize;
    let lw_at = 34 + csw * 2;
    let cslw = u16_at(wd, lw_at).ok_or_else(|| bad("the FIB is truncated"))? as usize;
    let lw = lw_at + 2;
    let ccp_text = u32_at(wd, lw + 3 * 4).ok_or_else(|| bad("the FIB is truncated"))?;
    let fc_at = lw + cslw * 4;
    let cb = u16_at(wd, fc_at).ok_or_else(|| bad("the FIB is truncated"))? as usize;
    let pair = |i: usize| -> Result<(u32, u32)> {
        if i >= cb {
            return Err(bad("the FIB has no piece table"));
        }
        let at = fc_at + 2 + i * 8;
        match (u32_at(wd, at), u32_at(wd, at + 4)) {
            (Some(fc), Some(lcb)) => Ok((fc, lcb)),
            _ => Err(bad("the FIB is truncated")),
        }
    };
    Ok(Fib {
        ccp_text,
        table_stream,
        clx: pair(33)?,
        bte_papx: pair(13)?,
    })
}

/// Reads a .doc or .wps document; `format` says which the caller saw (by name), both are
/// read the same way.
pub fn read(bytes: &[u8], limits: &Limits, format: Format) -> Result<Document> {
    let cfb = cfb::CompoundFile::open(Cursor::new(bytes.to_vec()))
        .map_err(|e| ReadError::malformed(WHAT, e))?;
    let mut streams = Streams {
        cfb,
        limit: limits.max_part.min(limits.max_decompressed),
    };
    let Some(wd) = streams.get("WordDocument")? else {
        return Err(ReadError::new(
            ErrorKind::UnsupportedFormat,
            "这个 OLE2 文件里没有 Word 文档 / this compound file holds no WordDocument stream (not a .doc/.wps: perhaps a .ppt or a mail message): 请提供 .docx、.doc、.pdf、.txt 或 .html 格式的报告 / supply the report as .docx, .doc, .pdf, .txt or .html.",
        ));
    };
    let fib = fib(&wd)?;
    let table = streams
        .get(fib.table_stream)?
        .ok_or_else(|| bad("the table stream the FIB names is missing"))?;
    let text = pieces::main_text(&wd, &table, &fib)?;
    let data = streams.get("Data")?.unwrap_or_default();
    let props = para::ParaIndex::read(&wd, &table, &data, &fib);
    let mut problems = Vec::new();
    if props.is_empty() && text.chars.contains(&0x07) {
        problems.push("Word 文档的段落属性无法读取，表格按单元格逐段列出 / the document's paragraph properties could not be read: its table cells are listed one per paragraph, not as a table.".to_string());
    }
    Ok(build::blocks(&text, &props, format, problems))
}

#[cfg(test)]
mod tests;
