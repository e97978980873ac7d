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

/// The globals of a workbook: its formats, cell styles and sheets.
struct Book {
    stream: Vec<u8>,
    formats: HashMap<u16, String>,
    xfs: Vec<u16>,
    sheets: Vec<(usize, String)>,
    encrypted: bool,
}

/// Opens the compound file and reads its `Workbook` (BIFF8) or `Book` (BIFF5) stream's
/// globals; `None` when the container or the stream cannot be read.
fn book(bytes: &[u8], limit: u64) -> Option<Book> {
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let name = ["Workbook", "Book"]
        .into_iter()
        .find(|n| cfb.is_stream(n))?;
    let mut stream = Vec::new();
    cfb.open_stream(name)
        .ok()?
        .take(limit)
        .read_to_end(&mut stream)
        .ok()?;
    let mut b = Book {
        stream: Vec::new(),
        formats: HashMap::new(),
        xfs: Vec::new(),
        sheets: Vec::new(),
        encrypted: false,
    };
    for (ty, r) in records(&stream, 0) {
        match ty {
            // FILEPASS: the rest is encrypted.
            0x002F => {
                b.encrypted = true;
                break;
            }
            0x041E => {
                if let (Some(i), Some(code)) =
                    (u16_at(r, 0), r.get(2..).and_then(|x| string(x, false)))
                {
                    b.formats.insert(i, code);
                }
            }
            0x00E0 => b.xfs.push(u16_at(r, 2).unwrap_or(0)),
            0x0085 => {
                if let (Some(pos), Some(name)) =
                    (u32_at(r, 0), r.get(6..).and_then(|x| string(x, true)))
                {
                    b.sheets.push((pos as usize, name));
                }
            }
            _ => {}
        }
    }
    b.stream = stream;
    Some(b)
}

/// A sheet's own records, after its BOF up to its EOF: the records of a substream nested in it
/// (an embedded chart: BOF … EOF) are passed over, not taken as the sheet's end, as the
/// spreadsheet crate reads them.
fn sheet_records(s: &[u8], pos: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = pos;
    let mut depth = 0usize;
    let mut first = true;
    std::iter::from_fn(move || loop {
        let ty = u16_at(s, at)?;
        let len = u16_at(s, at + 2)? as usize;
        let body = s.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        match ty {
            0x0809 if first => first = false,
            0x0809 => depth += 1,
            0x000A if depth == 0 => return None,
            0x000A => depth -= 1,
            _ if depth == 0 => return Some((ty, body)),
            _ => {}
        }
    })
}

/// A sheet's cell records: (type, row, first column, last column, body).
fn cells(s: &[u8], pos: usize) -> impl Iterator<Item = (u16, u32, u32, u32, &[u8])> {
    sheet_records(s, pos).filter_map(|(ty, b)| {
        let (rw, col) = (u32::from(u16_at(b, 0)?), u32::from(u16_at(b, 2)?));
        match ty {
            // BLANK, NUMBER, LABEL, BOOLERR, RK, LABELSST, FORMULA, RSTRING: one cell.
            0x0201 | 0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x0006 | 0x00D6 => {
                Some((ty, rw, col, col, b))
            }
            // MULRK, MULBLANK: a run of cells, the last column in the last two bytes.
            0x00BD | 0x00BE => {
                let last = u32::from(u16_at(b, b.len().checked_sub(2)?)?);
                Some((ty, rw, col, last.max(col), b))
            }
            _ => None,
        }
    })
}

/// Refuses a workbook the spreadsheet crate must not be given: one whose container or
/// workbook stream cannot be read, or a sheet whose cells span a grid of more than `max`
/// positions (the crate allocates the whole grid: two cells at opposite corners of BIFF's
/// 65,536 × 65,536 ask for 4 billion; a fuzzer's find). Otherwise gives its cells' number
/// formats as decimals, read from the same pass over the stream.
pub fn inspect(
    bytes: &[u8],
    limit: u64,
    max: u64,
    decimals_of: fn(&str) -> Option<usize>,
) -> Result<SheetDecimals, String> {
    // The crate reads the container with its own parser, which may assemble a damaged file's
    // stream otherwise than ours: any DIMENSIONS record anywhere in the file's bytes is
    // weighed too, whichever sheet it would belong to (a fuzzer's find).
    for at in 0..bytes.len().saturating_sub(4) {
        if bytes[at..at + 2] == [0x00, 0x02] {
            let len = u16_at(bytes, at + 2).unwrap_or(0) as usize;
            if matches!(len, 10 | 14 | 16) {
                if let Some(r) = bytes.get(at + 4..at + 4 + len) {
                    dimensions_fit(r, max).map_err(|e| format!("a record {e}"))?;
                }
            }
        }
    }
    let b = book(bytes, limit).ok_or("the workbook stream cannot be read")?;
    for (pos, name) in &b.sheets {
        // DIMENSIONS: the crate reserves rows × columns cells as the record states them
        // (32-bit rows, the last row less one, wrapping when the last is before the first).
        for (_, r) in sheet_records(&b.stream, *pos).filter(|x| x.0 == 0x0200) {
            dimensions_fit(r, max).map_err(|e| format!("sheet {name}: {e}"))?;
        }
        let mut bbox: Option<(u32, u32, u32, u32)> = None;
        for (_, rw, c0, c1, _) in cells(&b.stream, *pos) {
            // BIFF8 has 256 columns (A–IV); a cell past them is damage, and a row of tens of
            // thousands of columns is no report's table.
            if c1 > 255 {
                return Err(format!(
                    "sheet {name}: a cell in column {c1}, past column IV (255)"
                ));
            }
            let v = bbox.get_or_insert((rw, c0, rw, c1));
            *v = (v.0.min(rw), v.1.min(c0), v.2.max(rw), v.3.max(c1));
        }
        if let Some((r0, c0, r1, c1)) = bbox {
            let n = u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
            if n > max {
                return Err(format!(
                    "sheet {name}: its cells span {n} positions, more than {max}"
                ));
            }
        }
    }
    Ok(decimals(&b, decimals_of))
}

/// A DIMENSIONS record's claim, as the spreadsheet crate computes it (32-bit rows, the last
/// row less one, wrapping when the last is before the first), within `max` cells.
fn dimensions_fit(r: &[u8], max: u64) -> Result<(), String> {
    let (rf, rl, cf, cl) = match r.len() {
        10 => (
            u32::from(u16_at(r, 0).unwrap_or(0)),
            u32::from(u16_at(r, 2).unwrap_or(0)),
            u32::from(u16_at(r, 4).unwrap_or(0)),
            u32::from(u16_at(r, 6).unwrap_or(0)),
        ),
        14 | 16 => (
            u32_at(r, 0).unwrap_or(0),
            u32_at(r, 4).unwrap_or(0),
            u32::from(u16_at(r, 8).unwrap_or(0)),
            u32::from(u16_at(r, 10).unwrap_or(0)),
        ),
        _ => return Ok(()),
    };
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    if rl >= 1 && cl >= 1 {
        let rows = u64::from((rl - 1).wrapping_sub(rf)) + 1;
        let cols = u64::from((cl - 1).wrapping_sub(cf)) + 1;
        if rows.saturating_mul(cols) > max {
            return Err(format!(
                "claiming dimensions of {rows} × {cols} cells, more than {max}"
            ));
        }
    }
    Ok(())
}

/// The workbook's cell formats, as decimals (none for an encrypted workbook).
fn decimals(b: &Book, decimals_of: fn(&str) -> Option<usize>) -> SheetDecimals {
    let mut out = SheetDecimals::new();
    if b.encrypted {
        return out;
    }
    let shown = |ixfe: u16| -> Option<usize> {
        let ifmt = *b.xfs.get(ixfe as usize)?;
        match b.formats.get(&ifmt) {
            Some(code) => decimals_of(code),
            None => builtin(ifmt).and_then(decimals_of),
        }
    };
    for (pos, name) in &b.sheets {
        let mut by_cell = HashMap::new();
        for (ty, rw, col, _, r) in cells(&b.stream, *pos) {
            match ty {
                // NUMBER, RK, FORMULA: one number cell and its style.
                0x0203 | 0x027E | 0x0006 => {
                    if let Some(d) = u16_at(r, 4).and_then(shown) {
                        by_cell.insert((rw, col), d);
                    }
                }
                // MULRK: (style, value) pairs from the first column on.
                0x00BD => {
                    for k in 0..r.len().saturating_sub(6) / 6 {
                        if let Some(d) = u16_at(r, 4 + 6 * k).and_then(shown) {
                            by_cell.insert((rw, col + k as u32), d);
                        }
                    }
                }
                _ => {}
            }
        }
        out.insert(name.clone(), by_cell);
    }
    out
}
