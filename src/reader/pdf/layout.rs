//! Page layout: glyphs into lines, ruling lines into table grids, lines into paragraphs.

use super::content::{Glyph, Seg};
use crate::model::{RawCell, RawRow};

/// A line of text: glyphs on one baseline, joined.
#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    pub y: f32,
    pub size: f32,
}

/// A table found on a page, as raw rows of origin cells.
#[derive(Debug, Clone)]
pub struct PageTable {
    pub rows: Vec<RawRow>,
    pub ncols: usize,
    pub top: f32,
}

#[derive(Debug, Clone)]
pub enum Item {
    Line(Line),
    Table(PageTable),
}

impl Item {
    fn top(&self) -> f32 {
        match self {
            Item::Line(l) => l.y + l.size * 0.8,
            Item::Table(t) => t.top,
        }
    }
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric() || (c.is_alphanumeric() && !is_cjk(c))
}

/// Groups glyphs into lines (top to bottom) and joins each line's glyphs (left to right).
pub fn build_lines(mut glyphs: Vec<&Glyph>) -> Vec<Line> {
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let mut groups: Vec<Vec<&Glyph>> = Vec::new();
    let mut cur_y = f32::NAN;
    let mut cur_size = 0.0f32;
    for g in glyphs {
        let tol = 0.45 * g.size.max(cur_size).max(1.0);
        if groups.is_empty() || (g.y - cur_y).abs() > tol {
            groups.push(Vec::new());
            cur_y = g.y;
            cur_size = g.size;
        } else {
            cur_size = cur_size.max(g.size);
        }
        if let Some(last) = groups.last_mut() {
            last.push(g);
        }
    }
    groups.into_iter().filter_map(join_line).collect()
}

fn join_line(mut gs: Vec<&Glyph>) -> Option<Line> {
    gs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut text = String::new();
    let mut prev: Option<&Glyph> = None;
    let mut pending_space = false;
    let (mut x0, mut x1) = (f32::MAX, f32::MIN);
    let mut y = 0.0;
    let mut size = 0.0f32;
    let mut n = 0.0;
    for g in gs {
        if g.text.chars().all(char::is_whitespace) {
            if !text.is_empty() {
                pending_space = true;
            }
            continue;
        }
        if let Some(p) = prev {
            // The same glyph drawn twice at almost the same place (fake bold, shadow).
            if p.text == g.text
                && (g.x0 - p.x0).abs() < 0.2 * g.size
                && (g.y - p.y).abs() < 0.2 * g.size
            {
                continue;
            }
            let gap = g.x0 - p.x1;
            let s = g.size.max(p.size);
            let a = text.chars().last().unwrap_or(' ');
            let b = g.text.chars().next().unwrap_or(' ');
            let space = pending_space
                || gap > 0.8 * s
                || (gap > 0.22 * s && (is_latin(a) || a == '.' || a == '%') && (is_latin(b)));
            if space && !text.ends_with(' ') {
                text.push(' ');
            }
        }
        pending_space = false;
        text.push_str(&g.text);
        x0 = x0.min(g.x0);
        x1 = x1.max(g.x1);
        y += g.y;
        n += 1.0;
        size = size.max(g.size);
        prev = Some(g);
    }
    let text = text.trim().to_string();
    if text.is_empty() {
        return None;
    }
    Some(Line {
        text,
        x0,
        x1,
        y: y / n,
        size,
    })
}

/// Joins wrapped pieces of one cell or paragraph: no space between CJK pieces.
pub fn join_pieces(a: &mut String, b: &str) {
    if b.is_empty() {
        return;
    }
    if a.is_empty() {
        a.push_str(b);
        return;
    }
    let la = a.chars().last().unwrap_or(' ');
    let fb = b.chars().next().unwrap_or(' ');
    // Wrapped Latin words get their space back; a wrapped number does not.
    if is_latin(la) && is_latin(fb) && !la.is_ascii_digit() {
        a.push(' ');
    }
    a.push_str(b);
}

#[derive(Debug, Clone, Copy)]
struct H {
    y: f32,
    x0: f32,
    x1: f32,
}
#[derive(Debug, Clone, Copy)]
struct V {
    x: f32,
    y0: f32,
    y1: f32,
}

const TOL: f32 = 2.0;

fn merge_h(mut hs: Vec<H>) -> Vec<H> {
    hs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut out: Vec<H> = Vec::new();
    // Lines at (almost) the same y: bucket then merge overlapping intervals.
    let mut i = 0;
    while i < hs.len() {
        let mut j = i;
        while j + 1 < hs.len() && hs[j + 1].y - hs[i].y < 1.0 {
            j += 1;
        }
        let mut bucket: Vec<H> = hs[i..=j].to_vec();
        let y = bucket.iter().map(|h| h.y).sum::<f32>() / bucket.len() as f32;
        bucket.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let mut cur = bucket[0];
        for h in &bucket[1..] {
            if h.x0 <= cur.x1 + TOL {
                cur.x1 = cur.x1.max(h.x1);
            } else {
                out.push(H { y, ..cur });
                cur = *h;
            }
        }
        out.push(H { y, ..cur });
        i = j + 1;
    }
    out
}

fn merge_v(vs: Vec<V>) -> Vec<V> {
    merge_h(
        vs.into_iter()
            .map(|v| H {
                y: v.x,
                x0: v.y0,
                x1: v.y1,
            })
            .collect(),
    )
    .into_iter()
    .map(|h| V {
        x: h.y,
        y0: h.x0,
        y1: h.x1,
    })
    .collect()
}

fn cluster(mut v: Vec<f32>) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, f32)> = Vec::new(); // (sum, count)
    let mut last = f32::NAN;
    for x in v {
        if !out.is_empty() && x - last <= TOL {
            let l = out.len() - 1;
            out[l].0 += x;
            out[l].1 += 1.0;
        } else {
            out.push((x, 1.0));
        }
        last = x;
    }
    out.into_iter().map(|(s, n)| s / n).collect()
}

fn find(p: &mut [usize], mut i: usize) -> usize {
    while p[i] != i {
        p[i] = p[p[i]];
        i = p[i];
    }
    i
}

struct Grid {
    xs: Vec<f32>,
    /// Row boundaries, top first (descending y).
    ys: Vec<f32>,
    hs: Vec<H>,
    vs: Vec<V>,
}

/// Finds table grids: connected sets of horizontal and vertical rulings.
fn grids(segs: &[Seg]) -> Vec<Grid> {
    let mut hs = Vec::new();
    let mut vs = Vec::new();
    for s in segs {
        if s.horizontal() {
            if s.x1 - s.x0 >= 2.0 {
                hs.push(H {
                    y: s.y0,
                    x0: s.x0,
                    x1: s.x1,
                });
            }
        } else if s.y1 - s.y0 >= 2.0 {
            vs.push(V {
                x: s.x0,
                y0: s.y0,
                y1: s.y1,
            });
        }
    }
    if hs.len() > 100_000 || vs.len() > 100_000 {
        return Vec::new();
    }
    let hs = merge_h(hs);
    let vs = merge_v(vs);
    // Pairwise intersection tests below: a page of hatching is not a table.
    if hs.len().saturating_mul(vs.len()) > 4_000_000 {
        return Vec::new();
    }
    let n = hs.len() + vs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if v.x >= h.x0 - TOL && v.x <= h.x1 + TOL && h.y >= v.y0 - TOL && h.y <= v.y1 + TOL {
                let (a, b) = (find(&mut parent, i), find(&mut parent, hs.len() + j));
                parent[a] = b;
            }
        }
    }
    let mut comps: std::collections::BTreeMap<usize, (Vec<H>, Vec<V>)> = Default::default();
    for (i, h) in hs.iter().enumerate() {
        comps.entry(find(&mut parent, i)).or_default().0.push(*h);
    }
    for (j, v) in vs.iter().enumerate() {
        comps
            .entry(find(&mut parent, hs.len() + j))
            .or_default()
            .1
            .push(*v);
    }
    let mut out = Vec::new();
    for (_, (hs, vs)) in comps {
        if hs.len() < 2 || vs.len() < 2 {
            continue;
        }
        let mut xs = cluster(vs.iter().map(|v| v.x).collect());
        let mut ys = cluster(hs.iter().map(|h| h.y).collect());
        // Open sides: rulings that run past the outermost line of the other direction.
        let hx0 = hs.iter().map(|h| h.x0).fold(f32::MAX, f32::min);
        let hx1 = hs.iter().map(|h| h.x1).fold(f32::MIN, f32::max);
        if hx0 < xs[0] - 3.0 * TOL {
            xs.insert(0, hx0);
        }
        if hx1 > xs[xs.len() - 1] + 3.0 * TOL {
            xs.push(hx1);
        }
        let vy0 = vs.iter().map(|v| v.y0).fold(f32::MAX, f32::min);
        let vy1 = vs.iter().map(|v| v.y1).fold(f32::MIN, f32::max);
        if vy0 < ys[0] - 3.0 * TOL {
            ys.insert(0, vy0);
        }
        if vy1 > ys[ys.len() - 1] + 3.0 * TOL {
            ys.push(vy1);
        }
        ys.reverse();
        if xs.len() < 3 || ys.len() < 2 {
            continue;
        }
        out.push(Grid { xs, ys, hs, vs });
    }
    out
}

impl Grid {
    /// Is there a vertical ruling at column boundary `k` within row `r`?
    fn vline(&self, k: usize, r: usize) -> bool {
        let x = self.xs[k];
        let (top, bot) = (self.ys[r], self.ys[r + 1]);
        let mid = (top + bot) / 2.0;
        self.vs
            .iter()
            .any(|v| (v.x - x).abs() <= TOL && v.y0 <= mid + 0.5 && v.y1 >= mid - 0.5)
    }
    /// Is there a horizontal ruling at row boundary `k` within column `c`?
    fn hline(&self, k: usize, c: usize) -> bool {
        let y = self.ys[k];
        let mid = (self.xs[c] + self.xs[c + 1]) / 2.0;
        self.hs
            .iter()
            .any(|h| (h.y - y).abs() <= TOL && h.x0 <= mid + 0.5 && h.x1 >= mid - 0.5)
    }
    fn contains(&self, x: f32, y: f32) -> bool {
        x >= self.xs[0] - 1.0
            && x <= self.xs[self.xs.len() - 1] + 1.0
            && y <= self.ys[0] + 1.0
            && y >= self.ys[self.ys.len() - 1] - 1.0
    }
}

struct Block {
    r: usize,
    c: usize,
    rs: usize,
    cs: usize,
    glyphs: Vec<usize>,
}

/// Lays out one page: tables from rulings, the other glyphs as lines, all in reading order.
pub fn layout(glyphs: &[Glyph], segs: &[Seg]) -> Vec<Item> {
    let grids = grids(segs);
    let mut used = vec![false; glyphs.len()];
    let mut items = Vec::new();
    for g in &grids {
        let nr = g.ys.len() - 1;
        let nc = g.xs.len() - 1;
        // Each cell checks its boundaries against every ruling of the grid.
        if nr * nc > 100_000 || nr * nc * (g.hs.len() + g.vs.len()) > 50_000_000 {
            continue;
        }
        let mut owner = vec![usize::MAX; nr * nc];
        let mut blocks: Vec<Block> = Vec::new();
        for r in 0..nr {
            for c in 0..nc {
                if owner[r * nc + c] != usize::MAX {
                    continue;
                }
                let mut cs = 1;
                while c + cs < nc && !g.vline(c + cs, r) && owner[r * nc + c + cs] == usize::MAX {
                    cs += 1;
                }
                let mut rs = 1;
                while r + rs < nr
                    && (c..c + cs)
                        .all(|k| !g.hline(r + rs, k) && owner[(r + rs) * nc + k] == usize::MAX)
                {
                    rs += 1;
                }
                for rr in r..r + rs {
                    for cc in c..c + cs {
                        owner[rr * nc + cc] = blocks.len();
                    }
                }
                blocks.push(Block {
                    r,
                    c,
                    rs,
                    cs,
                    glyphs: Vec::new(),
                });
            }
        }
        for (i, gl) in glyphs.iter().enumerate() {
            if used[i] {
                continue;
            }
            let cx = (gl.x0 + gl.x1) / 2.0;
            let cy = gl.y + 0.3 * gl.size;
            if !g.contains(cx, cy) {
                continue;
            }
            let c = g.xs[1..nc].iter().take_while(|&&x| x <= cx).count();
            let r = g.ys[1..nr].iter().take_while(|&&y| y >= cy).count();
            let b = owner[r.min(nr - 1) * nc + c.min(nc - 1)];
            if let Some(bl) = blocks.get_mut(b) {
                bl.glyphs.push(i);
                used[i] = true;
            }
        }
        // Cell texts.
        let texts: Vec<String> = blocks
            .iter()
            .map(|b| {
                let mut s = String::new();
                for l in build_lines(b.glyphs.iter().map(|&i| &glyphs[i]).collect()) {
                    join_pieces(&mut s, &l.text);
                }
                s
            })
            .collect();
        if texts.iter().all(|t| t.is_empty()) {
            continue;
        }
        // Rows: origin cells in column order; drop rows that are empty spacers.
        let mut rows: Vec<RawRow> = Vec::new();
        for r in 0..nr {
            let mut cells = Vec::new();
            let mut spanned_in = false;
            for c in 0..nc {
                let b = owner[r * nc + c];
                let bl = &blocks[b];
                if bl.r == r && bl.c == c {
                    cells.push(RawCell {
                        rowspan: bl.rs,
                        colspan: bl.cs,
                        ..RawCell::new(texts[b].clone())
                    });
                } else if bl.r != r {
                    spanned_in = true;
                }
            }
            let empty = cells.iter().all(|c| c.text.is_empty() && c.rowspan == 1);
            if empty && !spanned_in {
                continue;
            }
            rows.push(RawRow { cells, page: None });
        }
        if rows.is_empty() {
            continue;
        }
        items.push(Item::Table(PageTable {
            rows,
            ncols: nc,
            top: g.ys[0],
        }));
    }
    let rest: Vec<&Glyph> = glyphs
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(g, _)| g)
        .collect();
    items.extend(build_lines(rest).into_iter().map(Item::Line));
    items.sort_by(|a, b| b.top().total_cmp(&a.top()));
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(t: &str, x0: f32, w: f32, y: f32) -> Glyph {
        Glyph {
            text: t.into(),
            x0,
            x1: x0 + w,
            y,
            size: 10.0,
            dir: 0,
        }
    }

    #[test]
    fn joins_numbers_and_cjk_without_spaces() {
        let gs = vec![
            g("截", 0.0, 10.0, 100.0),
            g("止", 10.0, 10.0, 100.0),
            g("2", 21.0, 5.0, 100.2),
            g("0", 26.0, 5.0, 100.0),
            g("年", 32.0, 10.0, 100.0),
            g("8", 60.0, 5.0, 80.0),
            g("2", 65.0, 5.0, 80.0),
            g(".", 70.5, 2.5, 80.0),
            g("7", 73.0, 5.0, 80.0),
            g("%", 78.5, 8.0, 80.0),
            g("a", 100.0, 5.0, 80.0),
            g("b", 108.0, 5.0, 80.0),
        ];
        let lines = build_lines(gs.iter().collect());
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text, "截止20年");
        assert_eq!(lines[1].text, "82.7% a b");
    }

    #[test]
    fn grid_with_merged_cell() {
        // 3 columns x 2 rows, the top row's first two cells merged.
        let mut segs = vec![];
        for y in [0.0, 20.0, 40.0] {
            segs.push(Seg {
                x0: 0.0,
                y0: y,
                x1: 90.0,
                y1: y,
            });
        }
        for x in [0.0, 60.0, 90.0] {
            segs.push(Seg {
                x0: x,
                y0: 0.0,
                x1: x,
                y1: 40.0,
            });
        }
        segs.push(Seg {
            x0: 30.0,
            y0: 0.0,
            x1: 30.0,
            y1: 20.0,
        });
        let gl = vec![
            g("A", 5.0, 5.0, 25.0),
            g("B", 65.0, 5.0, 25.0),
            g("1", 5.0, 5.0, 5.0),
            g("2", 35.0, 5.0, 5.0),
            g("3", 65.0, 5.0, 5.0),
            g("x", 5.0, 5.0, 50.0),
        ];
        let items = layout(&gl, &segs);
        let Item::Line(l) = &items[0] else { panic!() };
        assert_eq!(l.text, "x");
        let Item::Table(t) = &items[1] else { panic!() };
        assert_eq!(t.ncols, 3);
        assert_eq!(t.rows[0].cells.len(), 2);
        assert_eq!(t.rows[0].cells[0].colspan, 2);
        assert_eq!(t.rows[0].cells[0].text, "A");
        let texts: Vec<&str> = t.rows[1].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["1", "2", "3"]);
    }
}
