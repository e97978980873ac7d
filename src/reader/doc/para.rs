//! Paragraph properties: the few that make tables. Word stores them as runs of file offsets
//! (`PlcBtePapx` → 512-byte `PapxFkp` pages → each paragraph's `grpprl` of "sprms"); the
//! properties of a table row (its cell boundaries and merges) sit on the row-end mark's
//! paragraph.

use super::{u32_at, Fib};

/// One row's layout: cell boundaries in twips (one more than the cells) and each cell's merge
/// flags (`horz`: 0 none, 1 first of a merge, 2–3 merged into the previous cell; `vert`: 0
/// none, 1 continues the cell above, 3 starts a vertical merge).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RowDef {
    pub bounds: Vec<i16>,
    pub merges: Vec<(u8, u8)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ParaProps {
    pub in_table: bool,
    /// The paragraph is a table row's end mark.
    pub ttp: bool,
    /// Table nesting depth (`sprmPItap`), 1 for a top-level table.
    pub depth: u32,
    pub inner_cell: bool,
    pub inner_ttp: bool,
    pub row: Option<RowDef>,
}

/// Paragraph properties by file offset.
#[derive(Default)]
pub(crate) struct ParaIndex {
    runs: Vec<(u32, u32, usize)>,
    props: Vec<ParaProps>,
}

const FKP: usize = 512;

impl ParaIndex {
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// The properties of the paragraph whose mark is at file offset `fc`.
    pub fn at(&self, fc: u32) -> Option<&ParaProps> {
        let i = self.runs.partition_point(|r| r.1 <= fc);
        let r = self.runs.get(i).filter(|r| r.0 <= fc)?;
        self.props.get(r.2)
    }

    /// Reads the index; what cannot be read is left out (the reader then says so).
    pub fn read(wd: &[u8], table: &[u8], data: &[u8], fib: &Fib) -> ParaIndex {
        let mut out = ParaIndex::default();
        let (fc, lcb) = (fib.bte_papx.0 as usize, fib.bte_papx.1 as usize);
        let Some(plc) = table.get(fc..fc.saturating_add(lcb)) else {
            return out;
        };
        if plc.len() < 12 {
            return out;
        }
        let n = (plc.len() - 4) / 8;
        // Each page is read once, however often the index names it.
        let mut seen = std::collections::HashSet::new();
        for i in 0..n {
            let Some(pn) = u32_at(plc, 4 * (n + 1) + 4 * i) else {
                break;
            };
            if !seen.insert(pn & 0x3F_FFFF) {
                continue;
            }
            let at = (pn & 0x3F_FFFF) as usize * FKP;
            if let Some(page) = wd.get(at..at + FKP) {
                out.read_page(page, data);
            }
        }
        out.runs.sort_by_key(|r| r.0);
        out
    }

    fn read_page(&mut self, page: &[u8], data: &[u8]) {
        let crun = (page[FKP - 1] as usize).min(0x1D);
        for j in 0..crun {
            let (Some(a), Some(b)) = (u32_at(page, 4 * j), u32_at(page, 4 * j + 4)) else {
                return;
            };
            let bx = 4 * (crun + 1) + 13 * j;
            let off = page.get(bx).map_or(0, |&o| o as usize * 2);
            let props = if off == 0 {
                ParaProps::default()
            } else {
                papx(page, off, data).unwrap_or_default()
            };
            if b > a {
                self.props.push(props);
                self.runs.push((a, b, self.props.len() - 1));
            }
        }
    }
}

/// A `PapxInFkp`: a size byte (in words; 0 means the next byte holds it), the style index,
/// then the sprms. Properties too long for the page (a wide row's table definition) are in
/// the `Data` stream, where `sprmPHugePapx` points: a 16-bit size, then the sprms.
fn papx(page: &[u8], off: usize, data: &[u8]) -> Option<ParaProps> {
    let cb = *page.get(off)? as usize;
    let (start, len) = if cb == 0 {
        (off + 2, 2 * *page.get(off + 1)? as usize)
    } else {
        (off + 1, 2 * cb - 1)
    };
    let grpprl = page.get(start + 2..(start + len).min(page.len()))?;
    let huge = sprms(grpprl)
        .into_iter()
        .find(|s| s.0 == 0x6646)
        .and_then(|s| u32_at(s.1, 0));
    if let Some(at) = huge {
        let at = at as usize;
        let cb = data
            .get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]) as usize)?;
        return Some(props_of(data.get(at + 2..(at + 2 + cb).min(data.len()))?));
    }
    Some(props_of(grpprl))
}

/// The sprms of a `grpprl`: (opcode, operand).
pub(crate) fn sprms(mut g: &[u8]) -> Vec<(u16, &[u8])> {
    let mut out = Vec::new();
    while g.len() >= 2 {
        let op = u16::from_le_bytes([g[0], g[1]]);
        g = &g[2..];
        let len = match op >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => {
                // Variable: a size byte, but sprmTDefTable's size is 2 bytes and counts itself
                // plus one, and sprmPChgTabs may say 255 for "longer".
                if op == 0xD608 || op == 0xD606 {
                    let Some(b) = g.get(..2) else { break };
                    let cb = u16::from_le_bytes([b[0], b[1]]) as usize;
                    g = &g[2..];
                    cb.saturating_sub(1)
                } else {
                    let Some(&b) = g.first() else { break };
                    g = &g[1..];
                    b as usize
                }
            }
        };
        let Some(operand) = g.get(..len) else {
            out.push((op, g));
            break;
        };
        out.push((op, operand));
        g = &g[len..];
    }
    out
}

fn props_of(grpprl: &[u8]) -> ParaProps {
    let mut p = ParaProps::default();
    let mut depth = None;
    for (op, a) in sprms(grpprl) {
        let flag = a.first().is_some_and(|&b| b != 0);
        match op {
            0x2416 => p.in_table = flag,
            0x2417 => p.ttp = flag,
            0x244B => p.inner_cell = flag,
            0x244C => p.inner_ttp = flag,
            0x6649 => depth = u32_at(a, 0),
            0xD608 | 0xD606 => p.row = Some(def_table(a)),
            0x5624 => {
                // sprmTMerge: cells itcFirst..itcLim become one.
                if let (Some(&first), Some(&lim), Some(row)) = (a.first(), a.get(1), p.row.as_mut())
                {
                    for (i, m) in row.merges.iter_mut().enumerate() {
                        if i == first as usize {
                            m.0 = 1;
                        } else if i > first as usize && i < lim as usize {
                            m.0 = 2;
                        }
                    }
                }
            }
            0xD62B => {
                if let (Some(&itc), Some(&flag), Some(row)) = (a.first(), a.get(1), p.row.as_mut())
                {
                    if let Some(m) = row.merges.get_mut(itc as usize) {
                        m.1 = flag;
                    }
                }
            }
            _ => {}
        }
    }
    p.depth = depth.unwrap_or(u32::from(p.in_table)).min(64);
    if p.in_table && p.depth == 0 {
        p.depth = 1;
    }
    p
}

/// `sprmTDefTable`: the cell count, the boundaries, then one `TC80` of 20 bytes a cell (its
/// first two bytes the merge flags); trailing `TC80`s may be left out.
fn def_table(a: &[u8]) -> RowDef {
    let n = a.first().copied().unwrap_or(0) as usize;
    let bounds: Vec<i16> = (0..=n)
        .map_while(|i| a.get(1 + 2 * i..3 + 2 * i))
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect();
    let tc = 1 + 2 * (n + 1);
    let merges = (0..n)
        .map(|i| {
            let f = a
                .get(tc + 20 * i..tc + 20 * i + 2)
                .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
            ((f & 3) as u8, ((f >> 5) & 3) as u8)
        })
        .collect();
    RowDef { bounds, merges }
}
