//! Table helpers the DOCX and HTML readers share: the bound on a table's expanded grid, and
//! how the paragraphs of a cell become its text.

use crate::error::{ReadError, Result};
use crate::model::RawTable;

/// Largest expanded table grid (rows × columns) a reader hands to
/// [`TextBuilder::table`](crate::model::TextBuilder::table): spans are clamped to 1000 there,
/// but ten thousand cells with `colspan=1000` would still expand to billions of grid positions.
pub(crate) const MAX_GRID_CELLS: u64 = 2_000_000;

/// Refuses a table whose expanded grid would exceed [`MAX_GRID_CELLS`].
pub(crate) fn check_table_size(raw: &RawTable, what: &str) -> Result<()> {
    let width = raw
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| c.colspan.clamp(1, 1000) as u64)
                .sum::<u64>()
        })
        .max()
        .unwrap_or(0);
    let reach = raw
        .rows
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            r.cells
                .iter()
                .map(move |c| (i + c.rowspan.clamp(1, 1000)) as u64)
        })
        .max()
        .unwrap_or(0);
    let cells = width.saturating_mul(reach.max(raw.rows.len() as u64));
    if cells > MAX_GRID_CELLS {
        return Err(ReadError::over_limit(
            format_args!(
                "a table in the {what} expands to {cells} cells ({width} columns), more than {MAX_GRID_CELLS}"
            ),
            None,
        ));
    }
    Ok(())
}

/// Joins the paragraphs of a table cell: CJK text stays continuous, two ASCII words get a
/// space between them.
pub(crate) fn join_cell_paragraphs<S: AsRef<str>>(paras: &[S]) -> String {
    let mut out = String::new();
    for p in paras {
        let p = p.as_ref().trim();
        if p.is_empty() {
            continue;
        }
        let before = out.chars().next_back();
        let after = p.chars().next();
        if let (Some(b), Some(a)) = (before, after) {
            if b.is_ascii_alphanumeric() && a.is_ascii_alphanumeric() {
                out.push(' ');
            }
        }
        out.push_str(p);
    }
    out
}
