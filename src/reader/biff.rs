//! The number formats of an Excel 97–2003 (.xls) workbook's cells, which the spreadsheet
//! crate does not give: read from the BIFF8 records of its `Workbook` stream. The globals hold
//! the formats (`FORMAT`), the cell styles pointing at them (`XF`) and where each sheet's
//! records start (`BOUNDSHEET8`); a sheet's number cells (`NUMBER`, `RK`, `MULRK`, `FORMULA`)
//! name their style. What cannot be read leaves a cell without a format (shown as stored).

use std::collections::HashMap;
use std::io::{Cursor, Read};

/// Per sheet name, the decimals each number cell's format shows, by (row, column).
pub type SheetDecimals = HashMap<String, HashMap<(u32, u32), usize>>;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The records from `at` on: (type, body), up to the substream's `EOF` record.
fn records(s: &[u8], mut at: usize) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let ty = u16_at(s, at)?;
        let len = u16_at(s, at + 2)? as usize;
        let body = s.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        (ty != 0x000A).then_some((ty, body))
    })
}

/// The format codes Excel does not store (built in), for the ones that show decimals.
fn builtin(ifmt: u16) -> Option<&'static str> {
    Some(match ifmt {
        1 => "0",
        2 => "0.00",
        3 | 37 | 38 => "#,##0",
        4 | 39 | 40 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        _ => return None,
    })
}

/// An `XLUnicodeString` (16-bit count) or `ShortXLUnicodeString` (8-bit count): the flags
/// byte says whether characters take one byte or two.
fn string(b: &[u8], short: bool) -> Option<String> {
    let (n, at) = if short {
        (*b.first()? as usize, 1)
    } else {
        (u16_at(b, 0)? as usize, 2)
    };
    let wide = b.get(at)? & 1 == 1;
    let chars = &b[at + 1..];
    Some(if wide {
        let units: Vec<u16> = chars
            .chunks_exact(2)
            .take(n)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        chars.iter().take(n).map(|&c| c as char).collect()
    })
}

/// Reads the workbook's cell formats; `limit` bounds the stream read.
pub fn decimals(bytes: &[u8], limit: u64, decimals_of: fn(&str) -> Option<usize>) -> SheetDecimals {
    let mut out = SheetDecimals::new();
    let Ok(mut cfb) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return out;
    };
    let Ok(stream) = cfb.open_stream("Workbook") else {
        return out;
    };
    let mut s = Vec::new();
    if stream.take(limit).read_to_end(&mut s).is_err() {
        return out;
    }
    let mut formats: HashMap<u16, String> = HashMap::new();
    let mut xfs: Vec<u16> = Vec::new();
    let mut sheets: Vec<(usize, String)> = Vec::new();
    for (ty, b) in records(&s, 0) {
        match ty {
            // FILEPASS: the rest is encrypted.
            0x002F => return out,
            0x041E => {
                if let (Some(i), Some(code)) =
                    (u16_at(b, 0), b.get(2..).and_then(|r| string(r, false)))
                {
                    formats.insert(i, code);
                }
            }
            0x00E0 => xfs.push(u16_at(b, 2).unwrap_or(0)),
            0x0085 => {
                if let (Some(pos), Some(name)) =
                    (u32_at(b, 0), b.get(6..).and_then(|r| string(r, true)))
                {
                    sheets.push((pos as usize, name));
                }
            }
            _ => {}
        }
    }
    let shown = |ixfe: u16| -> Option<usize> {
        let ifmt = *xfs.get(ixfe as usize)?;
        match formats.get(&ifmt) {
            Some(code) => decimals_of(code),
            None => builtin(ifmt).and_then(decimals_of),
        }
    };
    for (pos, name) in sheets {
        let mut cells = HashMap::new();
        for (ty, b) in records(&s, pos).skip(1) {
            let (Some(rw), Some(col)) = (u16_at(b, 0), u16_at(b, 2)) else {
                continue;
            };
            match ty {
                // NUMBER, RK, FORMULA: one cell.
                0x0203 | 0x027E | 0x0006 => {
                    if let Some(d) = u16_at(b, 4).and_then(shown) {
                        cells.insert((u32::from(rw), u32::from(col)), d);
                    }
                }
                // MULRK: (style, value) pairs from the first column on.
                0x00BD => {
                    let n = b.len().saturating_sub(6) / 6;
                    for k in 0..n {
                        if let Some(d) = u16_at(b, 4 + 6 * k).and_then(shown) {
                            cells.insert((u32::from(rw), u32::from(col) + k as u32), d);
                        }
                    }
                }
                _ => {}
            }
        }
        out.insert(name, cells);
    }
    out
}
