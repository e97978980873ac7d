//! Paths and the ruling lines they paint: the path operators of a content stream build
//! subpaths and rectangles in device space, and painting keeps only their axis-aligned
//! segments (thin filled rectangles count as lines), which become table rulings.

use lopdf::Object;

use super::content::{apply, nums, PageContent, Seg, M};

/// The current path: subpaths of device-space points, and rectangles.
#[derive(Default)]
pub(super) struct Path {
    subpaths: Vec<Vec<(f32, f32)>>,
    rects: Vec<[(f32, f32); 4]>,
}

impl Path {
    /// m, l, c, v, y, h, re: adds to the path, in device space.
    pub(super) fn construct(&mut self, operator: &str, a: &[Object], ctm: &M) {
        let (path, rects) = (&mut self.subpaths, &mut self.rects);
        match operator {
            "m" => {
                if let Some([x, y]) = nums::<2>(a) {
                    path.push(vec![apply(ctm, x, y)]);
                }
            }
            "l" => {
                if let Some([x, y]) = nums::<2>(a) {
                    let p = apply(ctm, x, y);
                    match path.last_mut() {
                        Some(sp) => sp.push(p),
                        None => path.push(vec![p]),
                    }
                }
            }
            "c" | "v" | "y" => {
                // Curves are not rulings; keep the end point so later lines join up.
                if let Some([x, y]) = nums::<2>(a) {
                    let p = apply(ctm, x, y);
                    path.push(vec![p]);
                }
            }
            "h" => {
                if let Some(sp) = path.last_mut() {
                    if let Some(&f) = sp.first() {
                        if sp.len() > 2 {
                            sp.push(f);
                        }
                    }
                }
            }
            "re" => {
                if let Some([x, y, w, h]) = nums::<4>(a) {
                    rects.push([
                        apply(ctm, x, y),
                        apply(ctm, x + w, y),
                        apply(ctm, x + w, y + h),
                        apply(ctm, x, y + h),
                    ]);
                }
            }
            _ => {}
        }
    }

    /// S, s, f, F, f*, B, B*, b, b*, n: paints the path (or only ends it, for n).
    pub(super) fn paint(&mut self, operator: &str, out: &mut PageContent) {
        let (path, rects) = (&mut self.subpaths, &mut self.rects);
        match operator {
            "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                let stroke = matches!(operator, "S" | "s" | "B" | "B*" | "b" | "b*");
                if path.len() + rects.len() < 100_000 {
                    paint(path, rects, stroke, out);
                }
                path.clear();
                rects.clear();
            }
            "n" => {
                path.clear();
                rects.clear();
            }
            _ => {}
        }
    }
}

/// A ruling's largest thickness: anything thicker is a filled area, not a line.
const LINE_MAX: f32 = 3.0;

fn push_seg(out: &mut PageContent, a: (f32, f32), b: (f32, f32)) {
    let (dx, dy) = ((b.0 - a.0).abs(), (b.1 - a.1).abs());
    if !(dx.is_finite() && dy.is_finite()) {
        return;
    }
    if dy < 1.0 && dx > 1.0 {
        let y = (a.1 + b.1) / 2.0;
        out.segs.push(Seg {
            x0: a.0.min(b.0),
            y0: y,
            x1: a.0.max(b.0),
            y1: y,
        });
    } else if dx < 1.0 && dy > 1.0 {
        let x = (a.0 + b.0) / 2.0;
        out.segs.push(Seg {
            x0: x,
            y0: a.1.min(b.1),
            x1: x,
            y1: a.1.max(b.1),
        });
    }
}

fn bbox(pts: &[(f32, f32)]) -> (f32, f32, f32, f32) {
    let mut b = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for p in pts {
        b.0 = b.0.min(p.0);
        b.1 = b.1.min(p.1);
        b.2 = b.2.max(p.0);
        b.3 = b.3.max(p.1);
    }
    b
}

fn fill_as_line(out: &mut PageContent, pts: &[(f32, f32)]) {
    let (x0, y0, x1, y1) = bbox(pts);
    let (w, h) = (x1 - x0, y1 - y0);
    if h <= LINE_MAX && w > h {
        let y = (y0 + y1) / 2.0;
        push_seg(out, (x0, y), (x1, y));
    } else if w <= LINE_MAX && h > w {
        let x = (x0 + x1) / 2.0;
        push_seg(out, (x, y0), (x, y1));
    }
}

fn paint(path: &[Vec<(f32, f32)>], rects: &[[(f32, f32); 4]], stroke: bool, out: &mut PageContent) {
    for r in rects {
        if stroke {
            for i in 0..4 {
                push_seg(out, r[i], r[(i + 1) % 4]);
            }
        } else {
            fill_as_line(out, r);
        }
    }
    for sp in path {
        if sp.len() < 2 {
            continue;
        }
        if stroke {
            for w in sp.windows(2) {
                push_seg(out, w[0], w[1]);
            }
        } else {
            fill_as_line(out, sp);
        }
    }
}
