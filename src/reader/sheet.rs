//! Spreadsheets (.xlsx, .xls, .ods): each sheet a table of the document model. Budget tables
//! published as workbooks put a caption and a "单位：万元" line above the header, merged across
//! the sheet: leading rows with one filled cell become paragraphs (the caption the extractor
//! reads), the rest the table, merged regions as spans. A number is written with the decimals
//! its cell's number format shows (0.00 → two), as the report shows it (an .xls's formats are
//! read from its records by `biff.rs`); in an .ods, as the text its cell shows (`ods.rs`,
//! which also gives the merged regions).

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader, Sheets};

use super::Limits;
use crate::error::{ErrorKind, ReadError};
use crate::model::{Document, Format, RawCell, RawRow, RawTable, TextBuilder};

type Result<T> = std::result::Result<T, ReadError>;

/// Most cells read from one workbook: a sheet of millions of empty-looking cells is refused.
const MAX_CELLS: usize = 2_000_000;

pub fn read(bytes: &[u8], limits: &Limits, format: Format) -> Result<Document> {
    // A zip (xlsx, ods) is decompressed within the bounds first; an OLE2 workbook (xls) is
    // read as it is, bounded by the file size. A zip is known by its central directory, not
    // its first bytes: the spreadsheet crate opens one whose head is damaged (a fuzzer's find).
    let is_zip =
        bytes.starts_with(b"PK") || zip::ZipArchive::new(std::io::Cursor::new(bytes)).is_ok();
    if is_zip {
        super::docx::check_zip_bounds(bytes, limits)?;
        // The spreadsheet crate's arithmetic on cell references overflows on crafted ones
        // (tests/fixtures/regress/sheet-*): refused before it reads them.
        check_cell_refs(bytes, limits)?;
    }
    // An .xls is checked before the crate reads it, and its cells' number formats (which the
    // crate does not give) are read in the same pass.
    let xls = match format {
        Format::Xls => Some(
            super::biff::inspect(bytes, limits.max_part, MAX_CELLS as u64, format_decimals)
                .map_err(|e| ReadError::malformed("spreadsheet", e))?,
        ),
        _ => None,
    };
    // Any other panic of the crate makes a malformed workbook too, not ours.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_book(bytes, limits, format, xls)
    }))
    .unwrap_or_else(|_| {
        Err(ReadError::malformed(
            "spreadsheet",
            "the workbook's cell references are malformed",
        ))
    })
}

/// Every cell reference of an xlsx's worksheets (`r`, `ref`, `sqref`: the only parts whose
/// references the spreadsheet crate parses for us) within Excel's grid: at most three column
/// letters and seven row digits (XFD1048576), `$` allowed.
fn check_cell_refs(bytes: &[u8], limits: &Limits) -> Result<()> {
    use std::io::Read;
    use std::sync::LazyLock;
    static REF: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(r#"\s(?:r|ref|sqref)="([^"]*)""#).expect("valid")
    });
    let fits = |t: &[u8]| {
        let t: Vec<u8> = t.iter().copied().filter(|&b| b != b'$').collect();
        let letters = t.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let digits = &t[letters..];
        letters <= 3 && digits.len() <= 7 && digits.iter().all(u8::is_ascii_digit)
    };
    // A container the zip reader cannot open cannot be checked: refused, as a damaged one.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ReadError::malformed("spreadsheet", format!("damaged zip container: {e}")))?;
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else {
            continue;
        };
        let Ok(name) = part.name().map(|n| n.to_string()) else {
            continue;
        };
        if !(name.starts_with("xl/worksheets/") && name.ends_with(".xml")) {
            continue;
        }
        // A part whose checksum fails at its end is still read by the spreadsheet crate up
        // to there: what could be read is checked.
        let mut xml = Vec::new();
        let _ = (&mut part).take(limits.max_part).read_to_end(&mut xml);
        for m in REF.captures_iter(&xml) {
            let v = m.get(1).map_or(&b""[..], |g| g.as_bytes());
            if !v.split(|&b| b == b':' || b == b' ').all(fits) {
                return Err(ReadError::malformed(
                    "spreadsheet",
                    format!(
                        "{name}: a cell reference beyond Excel's grid ({})",
                        String::from_utf8_lossy(&v[..v.len().min(40)])
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn read_book(
    bytes: &[u8],
    limits: &Limits,
    format: Format,
    xls: Option<super::biff::SheetDecimals>,
) -> Result<Document> {
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        let msg = e.to_string();
        if msg.to_ascii_lowercase().contains("password") {
            ReadError::new(
                ErrorKind::Encrypted,
                "工作簿有密码保护 / the workbook is password-protected: 请提供未加密的文件 / supply it without a password.",
            )
        } else {
            ReadError::malformed("spreadsheet", msg)
        }
    })?;
    let mut b = TextBuilder::new(format);
    // The crate gives an .ods neither its merged regions nor the text a number shows.
    let ods = (format == Format::Ods).then(|| super::ods::layout(bytes, limits.max_part));
    let names = wb.sheet_names().to_vec();
    let mut cells = 0usize;
    for name in names {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                b.problem(format!("sheet {name}: {e}"));
                continue;
            }
        };
        let (h, w) = range.get_size();
        cells = cells.saturating_add(h.saturating_mul(w));
        if cells > MAX_CELLS {
            return Err(ReadError::new(
                ErrorKind::TooLarge,
                format!("工作簿单元格过多 / the workbook has more than {MAX_CELLS} cells"),
            ));
        }
        let start = range.start().unwrap_or((0, 0));
        let decimals = match &xls {
            Some(books) => books
                .get(&name)
                .cloned()
                .map(|by_cell| Box::new(move |at| by_cell.get(&at).copied()) as Decimals),
            None => decimals_of(&mut wb, &name),
        };
        let layout = ods.as_ref().and_then(|o| o.get(&name));
        let merges = match layout {
            Some(l) => l.merges.clone(),
            None => merges_of(&mut wb, &name),
        };
        let grid: Vec<Vec<String>> = range
            .rows()
            .enumerate()
            .map(|(r, row)| {
                row.iter()
                    .enumerate()
                    .map(|(c, v)| {
                        let at = (start.0 + r as u32, start.1 + c as u32);
                        match layout.and_then(|l| l.shown.get(&at)) {
                            Some(shown) if matches!(v, Data::Float(_) | Data::Int(_)) => {
                                shown.clone()
                            }
                            _ => text_of(v, decimals.as_ref().and_then(|d| d(at))),
                        }
                    })
                    .collect()
            })
            .collect();
        sheet_blocks(&mut b, &name, &grid, start, &merges);
    }
    if b.is_empty() {
        return Err(ReadError::new(
            ErrorKind::Malformed,
            "工作簿没有内容 / the workbook holds no cells with content.",
        ));
    }
    Ok(b.finish())
}

/// A cell's decimals by (row, column), from its number format, where the format says.
type Decimals = Box<dyn Fn((u32, u32)) -> Option<usize>>;

fn decimals_of(wb: &mut Sheets<Cursor<&[u8]>>, name: &str) -> Option<Decimals> {
    let Sheets::Xlsx(x) = wb else { return None };
    let styles = x.worksheet_style(name).ok()?;
    let mut by_cell = std::collections::HashMap::new();
    for (row, col, style) in styles.cells() {
        if let Some(f) = &style.number_format {
            if let Some(d) = format_decimals(&f.format_code) {
                by_cell.insert((row, col), d);
            }
        }
    }
    Some(Box::new(move |at| by_cell.get(&at).copied()))
}

/// The decimals a number format code shows: "#,##0.00" → 2, "0" → 0, "General" → None.
fn format_decimals(code: &str) -> Option<usize> {
    let first = code.split(';').next().unwrap_or(code);
    if first.eq_ignore_ascii_case("general") || !first.contains('0') {
        return None;
    }
    Some(
        first
            .split_once('.')
            .map_or(0, |(_, f)| f.chars().take_while(|&c| c == '0').count()),
    )
}

/// Merged regions as (first row, first col, last row, last col), absolute.
fn merges_of(wb: &mut Sheets<Cursor<&[u8]>>, name: &str) -> Vec<(u32, u32, u32, u32)> {
    let dims = match wb {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        _ => Vec::new(),
    };
    dims.iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect()
}

fn text_of(v: &Data, decimals: Option<usize>) -> String {
    match v {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => match decimals {
            Some(d) if d > 0 => format!("{i}.{}", "0".repeat(d)),
            _ => i.to_string(),
        },
        Data::Float(f) => match decimals {
            Some(d) => format!("{f:.d$}"),
            // General format: the shortest text that reads back as the stored value.
            None => {
                let s = format!("{f}");
                if s.contains('e') {
                    format!("{f:.2}")
                } else {
                    s
                }
            }
        },
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// One sheet into blocks: leading rows with one filled cell are paragraphs (caption, unit
/// line), the rest one table; empty rows and columns at the edges are dropped.
fn sheet_blocks(
    b: &mut TextBuilder,
    name: &str,
    grid: &[Vec<String>],
    start: (u32, u32),
    merges: &[(u32, u32, u32, u32)],
) {
    let filled = |r: &Vec<String>| r.iter().filter(|c| !c.is_empty()).count();
    let width = grid
        .iter()
        .map(|r| r.iter().rposition(|c| !c.is_empty()).map_or(0, |k| k + 1))
        .max()
        .unwrap_or(0);
    // A title merged across the whole table belongs to it (as a spanning first row does in
    // DOCX and HTML); other lone cells above the table are its caption and unit lines.
    let spans_table = |r: usize| {
        let row = start.0 + r as u32;
        merges
            .iter()
            .any(|&(r0, c0, _, c1)| r0 == row && c0 <= start.1 && c1 + 1 >= start.1 + width as u32)
    };
    let mut first = 0;
    let mut captions = Vec::new();
    while first < grid.len() && filled(&grid[first]) <= 1 && !spans_table(first) {
        if let Some(t) = grid[first].iter().find(|c| !c.is_empty()) {
            captions.push(t.clone());
        }
        first += 1;
    }
    // The sheet's own name is its caption when the sheet states none ("Sheet1" is no name).
    let generic = name.to_ascii_lowercase().starts_with("sheet") || name.starts_with("工作表");
    if captions.is_empty() && !generic {
        captions.push(name.to_string());
    }
    for c in &captions {
        b.paragraph(c, None);
    }
    let body: Vec<&Vec<String>> = grid[first..].iter().collect();
    let last = body
        .iter()
        .rposition(|r| filled(r) > 0)
        .map_or(0, |k| k + 1);
    let body = &body[..last];
    if body.is_empty() {
        return;
    }
    let row0 = start.0 + first as u32;
    let mut rows = Vec::with_capacity(body.len());
    // The merges are swept row by row: only those over the current row are looked at (a
    // sheet of two million cells checked against every merge took seconds; a fuzzer's find).
    // A region given upside down (a damaged file) is taken as the rows and columns it names.
    let mut order: Vec<(u32, u32, u32, u32)> = merges
        .iter()
        .map(|&(r0, c0, r1, c1)| (r0.min(r1), c0.min(c1), r0.max(r1), c0.max(c1)))
        .collect();
    order.sort_unstable();
    let mut next = 0;
    let mut active: Vec<(u32, u32, u32, u32)> = Vec::new();
    for (k, row) in body.iter().enumerate() {
        let r = row0 + k as u32;
        while next < order.len() && order[next].0 <= r {
            active.push(order[next]);
            next += 1;
        }
        active.retain(|m| m.2 >= r);
        let mut cells = Vec::new();
        for (j, text) in row.iter().take(width).enumerate() {
            let c = start.1 + j as u32;
            // Positions covered by a merge but not its origin are left out; the origin spans
            // them.
            let over = active.iter().find(|m| (m.1..=m.3).contains(&c));
            if over.is_some_and(|m| (m.0, m.1) != (r, c)) {
                continue;
            }
            let mut cell = RawCell::new(text.clone());
            if let Some(&(_, _, r1, c1)) = over {
                let bottom = row0 + body.len() as u32 - 1;
                cell.rowspan = (r1.min(bottom).saturating_sub(r) + 1) as usize;
                let right = (start.1 + width as u32).saturating_sub(1);
                cell.colspan = (c1.min(right).saturating_sub(c) + 1) as usize;
            }
            cells.push(cell);
        }
        // A row shorter than the table (trailing empties) is padded by the grid expansion.
        rows.push(RawRow { cells, page: None });
    }
    b.table(RawTable { rows, page: None });
}

/// Whether an OLE2 compound file holds a workbook (its directory names a `Workbook` or
/// `Book` stream, in UTF-16) rather than a Word document.
pub fn is_ole_workbook(bytes: &[u8]) -> bool {
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let head = &bytes[..bytes.len().min(1 << 20)];
    [utf16("Workbook"), utf16("Book\0")]
        .iter()
        .any(|n| super::find(head, n).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats_give_decimals() {
        assert_eq!(format_decimals("#,##0.00"), Some(2));
        assert_eq!(format_decimals("0"), Some(0));
        assert_eq!(format_decimals("0.0%"), Some(1));
        assert_eq!(format_decimals("General"), None);
        assert_eq!(format_decimals("@"), None);
        assert_eq!(text_of(&Data::Float(3456.78), None), "3456.78");
        assert_eq!(text_of(&Data::Float(930.1), Some(2)), "930.10");
        assert_eq!(text_of(&Data::Int(109), None), "109");
    }
}
