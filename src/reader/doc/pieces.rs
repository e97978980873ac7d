//! The piece table: which bytes of `WordDocument` hold each run of the main text.

use super::{bad, u32_at, Fib};
use crate::error::Result;

/// One piece: character positions `cp..cp_end` stored from byte `fc`, two bytes a character
/// (UTF-16LE) or one (`compressed`, cp1252).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Piece {
    pub cp: u32,
    pub cp_end: u32,
    pub fc: u32,
    pub compressed: bool,
}

/// The main document's text as UTF-16 code units, one per character position, with the
/// pieces that map positions back to file offsets (paragraph properties are indexed by
/// file offset).
pub(crate) struct MainText {
    pub chars: Vec<u16>,
    pub pieces: Vec<Piece>,
}

impl MainText {
    /// The file offset of the character at `cp`.
    pub fn fc_of(&self, cp: u32) -> Option<u32> {
        let i = self.pieces.partition_point(|p| p.cp_end <= cp);
        let p = self.pieces.get(i).filter(|p| p.cp <= cp)?;
        let k = cp - p.cp;
        Some(if p.compressed {
            p.fc.checked_add(k)?
        } else {
            p.fc.checked_add(k.checked_mul(2)?)?
        })
    }
}

/// The `Clx`: property runs (`Prc`, type 1) to skip, then the `Pcdt` (type 2) with the
/// piece descriptors.
fn pieces(table: &[u8], fib: &Fib) -> Result<Vec<Piece>> {
    let (fc, lcb) = (fib.clx.0 as usize, fib.clx.1 as usize);
    let clx = table
        .get(fc..fc.saturating_add(lcb))
        .ok_or_else(|| bad("the piece table lies outside the table stream"))?;
    let mut at = 0usize;
    while clx.get(at) == Some(&1) {
        let cb = clx
            .get(at + 1..at + 3)
            .map(|b| i16::from_le_bytes([b[0], b[1]]))
            .ok_or_else(|| bad("the piece table is truncated"))?;
        at += 3 + usize::try_from(cb).map_err(|_| bad("a negative property run length"))?;
    }
    if clx.get(at) != Some(&2) {
        return Err(bad("the piece table has no piece descriptors"));
    }
    let lcb = u32_at(clx, at + 1).ok_or_else(|| bad("the piece table is truncated"))? as usize;
    let plc = clx
        .get(at + 5..at + 5 + lcb.min(clx.len()))
        .filter(|p| p.len() == lcb && lcb >= 4)
        .ok_or_else(|| bad("the piece table is truncated"))?;
    let n = (lcb - 4) / 12;
    let cp = |i: usize| u32_at(plc, i * 4).unwrap_or(0);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let pcd = 4 * (n + 1) + 8 * i;
        let raw = u32_at(plc, pcd + 2).ok_or_else(|| bad("a piece descriptor is truncated"))?;
        let compressed = raw & 0x4000_0000 != 0;
        let fc = if compressed {
            (raw & 0x3FFF_FFFF) / 2
        } else {
            raw & 0x3FFF_FFFF
        };
        let (a, b) = (cp(i), cp(i + 1));
        if b < a || out.last().is_some_and(|p: &Piece| p.cp_end > a) {
            return Err(bad("the piece table's positions are out of order"));
        }
        out.push(Piece {
            cp: a,
            cp_end: b,
            fc,
            compressed,
        });
    }
    Ok(out)
}

/// cp1252's characters 0x80–0x9F, the only bytes where it differs from Latin-1.
const CP1252_HIGH: [u16; 32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
];

/// The first `ccpText` characters: the main document (footnotes, headers, comments and text
/// boxes follow it in the same positions and are left out).
pub(crate) fn main_text(wd: &[u8], table: &[u8], fib: &Fib) -> Result<MainText> {
    let pieces = pieces(table, fib)?;
    let want = fib.ccp_text;
    // Each character takes at least one byte of the stream.
    if want as usize > wd.len() {
        return Err(bad("the text is longer than its stream"));
    }
    let mut chars = Vec::with_capacity(want as usize);
    for p in &pieces {
        if p.cp >= want {
            break;
        }
        if p.cp as usize != chars.len() {
            return Err(bad("the text pieces leave a gap"));
        }
        let n = (p.cp_end.min(want) - p.cp) as usize;
        let start = p.fc as usize;
        if p.compressed {
            let b = wd
                .get(start..start.saturating_add(n))
                .ok_or_else(|| bad("a text piece lies outside the stream"))?;
            chars.extend(b.iter().map(|&c| match c {
                0x80..=0x9F => CP1252_HIGH[(c - 0x80) as usize],
                _ => u16::from(c),
            }));
        } else {
            let b = wd
                .get(start..start.saturating_add(n * 2))
                .ok_or_else(|| bad("a text piece lies outside the stream"))?;
            chars.extend(b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])));
        }
    }
    Ok(MainText { chars, pieces })
}
