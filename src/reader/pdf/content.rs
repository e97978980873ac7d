//! The content-stream interpreter: glyph positions and ruling lines of one page. The path
//! operators and the rulings they paint are in [`super::paint`].

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document as PdfDoc, Object, ObjectId};

use super::font::{Code, Font};
use super::paint::Path;

/// One glyph: its text, baseline-left x0, right x1, baseline y (device space, y up), font size.
#[derive(Debug, Clone)]
pub struct Glyph {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    pub y: f32,
    pub size: f32,
    /// Writing direction in device space: 0 right, 1 up, 2 left, 3 down. Until the page is
    /// turned upright (see [`PageContent::upright`]), `x0, y` is the glyph's origin and
    /// `x1 - x0` its advance length.
    pub dir: u8,
}

/// An axis-aligned ruling segment: horizontal when `y0 == y1`, vertical when `x0 == x1`.
#[derive(Debug, Clone, Copy)]
pub struct Seg {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Seg {
    pub fn horizontal(&self) -> bool {
        (self.y0 - self.y1).abs() < 0.01
    }
}

/// Turns device coordinates so that direction `d` reads left to right.
pub fn rot(d: u8, x: f32, y: f32) -> (f32, f32) {
    match d {
        1 => (y, -x),
        2 => (-x, -y),
        3 => (-y, x),
        _ => (x, y),
    }
}

#[derive(Default)]
pub struct PageContent {
    pub glyphs: Vec<Glyph>,
    pub segs: Vec<Seg>,
    pub images: usize,
    pub undecoded: usize,
    /// Text-showing operators seen (even if nothing decoded).
    pub text_ops: usize,
}

impl PageContent {
    /// Keeps the glyphs of the page's main writing direction and turns glyphs, rulings and
    /// the media box so that it reads left to right. Returns the turned media box.
    pub fn upright(&mut self, mb: (f32, f32, f32, f32)) -> (f32, f32, f32, f32) {
        let mut count = [0usize; 4];
        for g in &self.glyphs {
            count[g.dir as usize & 3] += 1;
        }
        let d = (0..4u8)
            .max_by_key(|&d| (count[d as usize], d == 0))
            .unwrap_or(0);
        self.glyphs.retain(|g| g.dir == d);
        for g in &mut self.glyphs {
            let len = g.x1 - g.x0;
            let (x, y) = rot(d, g.x0, g.y);
            g.x0 = x;
            g.x1 = x + len;
            g.y = y;
            g.dir = 0;
        }
        if d == 0 {
            return mb;
        }
        for s in &mut self.segs {
            let (a, b) = (rot(d, s.x0, s.y0), rot(d, s.x1, s.y1));
            *s = Seg {
                x0: a.0.min(b.0),
                y0: a.1.min(b.1),
                x1: a.0.max(b.0),
                y1: a.1.max(b.1),
            };
        }
        let (a, b) = (rot(d, mb.0, mb.1), rot(d, mb.2, mb.3));
        (a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1))
    }
}

pub(super) type M = [f32; 6];
const ID: M = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(a: &M, b: &M) -> M {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

pub(super) fn apply(m: &M, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

#[derive(Clone)]
struct GState {
    ctm: M,
    font: Option<Rc<Font>>,
    size: f32,
    tc: f32,
    tw: f32,
    th: f32,
    tl: f32,
    rise: f32,
}

/// Shared state of the interpretation of one document.
pub struct Interp<'a> {
    pub doc: &'a PdfDoc,
    pub fonts: HashMap<ObjectId, Rc<Font>>,
    inline_fonts: HashMap<usize, Rc<Font>>,
    pub max_part: usize,
    /// Remaining decompression budget for the whole document.
    pub budget: u64,
    pub over_budget: bool,
    codes: Vec<Code>,
    /// Operators left for the current page: nested forms drawn many times must not multiply
    /// without bound.
    ops_left: usize,
}

fn num(o: &Object) -> f32 {
    match o {
        Object::Integer(i) => *i as f32,
        Object::Real(r) if r.is_finite() => *r,
        _ => 0.0,
    }
}

pub(super) fn nums<const N: usize>(ops: &[Object]) -> Option<[f32; N]> {
    if ops.len() < N {
        return None;
    }
    let mut a = [0.0; N];
    for (i, o) in ops[ops.len() - N..].iter().enumerate() {
        a[i] = match o {
            Object::Integer(i) => *i as f32,
            Object::Real(r) if r.is_finite() => *r,
            _ => return None,
        };
    }
    Some(a)
}

const MAX_FORM_DEPTH: usize = 8;
/// Operators interpreted per page, forms included.
const MAX_OPS: usize = 5_000_000;
/// Glyphs kept per page.
const MAX_GLYPHS: usize = 1_000_000;

impl<'a> Interp<'a> {
    pub fn new(doc: &'a PdfDoc, max_part: usize, budget: u64) -> Self {
        Interp {
            doc,
            fonts: HashMap::new(),
            inline_fonts: HashMap::new(),
            max_part,
            budget,
            over_budget: false,
            codes: Vec::new(),
            ops_left: 0,
        }
    }

    fn deref(&self, o: &'a Object) -> &'a Object {
        self.doc
            .dereference(o)
            .map(|(_, o)| o)
            .unwrap_or(&Object::Null)
    }

    fn charge(&mut self, n: usize) -> bool {
        if (n as u64) > self.budget {
            self.over_budget = true;
            return false;
        }
        self.budget -= n as u64;
        true
    }

    /// Interprets a page's content.
    pub fn page(&mut self, data: &[u8], resources: Option<&'a Dictionary>, out: &mut PageContent) {
        if !self.charge(data.len()) {
            return;
        }
        self.ops_left = MAX_OPS;
        let mut stack = Vec::new();
        let gs = GState {
            ctm: ID,
            font: None,
            size: 0.0,
            tc: 0.0,
            tw: 0.0,
            th: 1.0,
            tl: 0.0,
            rise: 0.0,
        };
        self.run(data, resources, gs, out, &mut stack);
    }

    fn font(&mut self, resources: Option<&'a Dictionary>, name: &[u8]) -> Option<Rc<Font>> {
        let fonts = resources?
            .get(b"Font")
            .ok()
            .map(|o| self.deref(o))?
            .as_dict()
            .ok()?;
        let entry = fonts.get(name).ok()?;
        match entry {
            Object::Reference(id) => {
                if let Some(f) = self.fonts.get(id) {
                    return Some(f.clone());
                }
                let d = self.doc.get_object(*id).ok()?.as_dict().ok()?;
                let f = Rc::new(Font::load(self.doc, d, self.max_part));
                self.fonts.insert(*id, f.clone());
                Some(f)
            }
            Object::Dictionary(d) => {
                // A font dictionary written inline: cache by its address (the document is
                // not modified while we read it).
                let addr = d as *const Dictionary as usize;
                if let Some(f) = self.inline_fonts.get(&addr) {
                    return Some(f.clone());
                }
                let f = Rc::new(Font::load(self.doc, d, self.max_part));
                self.inline_fonts.insert(addr, f.clone());
                Some(f)
            }
            _ => None,
        }
    }

    fn run(
        &mut self,
        data: &[u8],
        resources: Option<&'a Dictionary>,
        mut gs: GState,
        out: &mut PageContent,
        forms: &mut Vec<ObjectId>,
    ) {
        self.ops(data, resources, &mut gs, out, forms)
    }

    fn ops(
        &mut self,
        data: &[u8],
        resources: Option<&'a Dictionary>,
        gs: &mut GState,
        out: &mut PageContent,
        forms: &mut Vec<ObjectId>,
    ) {
        let mut saved: Vec<GState> = Vec::new();
        let mut text = TextMatrices { tm: ID, tlm: ID };
        let mut path = Path::default();
        let mut lexer = super::lex::Ops::new(data);
        while let Some((operator, a)) = lexer.next_op() {
            if self.ops_left == 0 || out.glyphs.len() >= MAX_GLYPHS {
                break;
            }
            self.ops_left -= 1;
            match operator {
                "q" | "Q" | "cm" => graphics_state(operator, a, gs, &mut saved),
                "Tf" | "Tc" | "Tw" | "Tz" | "TL" | "Ts" => {
                    self.text_state(operator, a, resources, gs)
                }
                "BT" | "ET" | "Td" | "TD" | "Tm" | "T*" => text.position(operator, a, gs),
                "Tj" | "'" | "\"" | "TJ" => self.show_text(operator, a, gs, &mut text, out),
                "m" | "l" | "c" | "v" | "y" | "h" | "re" => path.construct(operator, a, &gs.ctm),
                "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" | "n" => {
                    path.paint(operator, out)
                }
                "BI" => out.images += 1,
                "Do" => {
                    if let Some(Object::Name(n)) = a.last() {
                        self.xobject(n, resources, gs, out, forms);
                    }
                }
                _ => {}
            }
        }
    }

    /// Tf, Tc, Tw, Tz, TL, Ts: the text state, kept in the graphics state.
    fn text_state(
        &mut self,
        operator: &str,
        a: &[Object],
        resources: Option<&'a Dictionary>,
        gs: &mut GState,
    ) {
        match operator {
            "Tf" if a.len() >= 2 => {
                if let Object::Name(n) = &a[a.len() - 2] {
                    gs.font = self.font(resources, n);
                }
                gs.size = num(&a[a.len() - 1]);
            }
            "Tc" => {
                if let Some([v]) = nums::<1>(a) {
                    gs.tc = v;
                }
            }
            "Tw" => {
                if let Some([v]) = nums::<1>(a) {
                    gs.tw = v;
                }
            }
            "Tz" => {
                if let Some([v]) = nums::<1>(a) {
                    gs.th = v / 100.0;
                }
            }
            "TL" => {
                if let Some([v]) = nums::<1>(a) {
                    gs.tl = v;
                }
            }
            "Ts" => {
                if let Some([v]) = nums::<1>(a) {
                    gs.rise = v;
                }
            }
            _ => {}
        }
    }

    /// Tj, ', ", TJ: the text-showing operators.
    fn show_text(
        &mut self,
        operator: &str,
        a: &[Object],
        gs: &mut GState,
        text: &mut TextMatrices,
        out: &mut PageContent,
    ) {
        match operator {
            "Tj" | "'" | "\"" => {
                if operator != "Tj" {
                    if operator == "\"" && a.len() >= 3 {
                        gs.tw = num(&a[0]);
                        gs.tc = num(&a[1]);
                    }
                    text.tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &text.tlm);
                    text.tm = text.tlm;
                }
                if let Some(Object::String(s, _)) = a.last() {
                    self.show(s, gs, &mut text.tm, out);
                }
            }
            "TJ" => {
                if let Some(Object::Array(arr)) = a.last() {
                    for o in arr {
                        match o {
                            Object::String(s, _) => self.show(s, gs, &mut text.tm, out),
                            Object::Integer(_) | Object::Real(_) => {
                                let tx = -num(o) / 1000.0 * gs.size * gs.th;
                                text.tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &text.tm);
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn xobject(
        &mut self,
        name: &[u8],
        resources: Option<&'a Dictionary>,
        gs: &GState,
        out: &mut PageContent,
        forms: &mut Vec<ObjectId>,
    ) {
        let Some(xo) = resources
            .and_then(|r| r.get(b"XObject").ok())
            .map(|o| self.deref(o))
            .and_then(|o| o.as_dict().ok())
        else {
            return;
        };
        let Ok(Object::Reference(id)) = xo.get(name) else {
            return;
        };
        let Ok(Object::Stream(s)) = self.doc.get_object(*id) else {
            return;
        };
        let sub = s
            .dict
            .get(b"Subtype")
            .ok()
            .and_then(|o| o.as_name().ok())
            .unwrap_or(b"");
        if sub == b"Image" {
            out.images += 1;
            return;
        }
        if sub != b"Form" || forms.len() >= MAX_FORM_DEPTH || forms.contains(id) {
            return;
        }
        let Ok(data) = s
            .decompressed_content_with_limit(self.max_part)
            .or_else(|e| {
                if s.dict.get(b"Filter").is_err() {
                    Ok(s.content.clone())
                } else {
                    Err(e)
                }
            })
        else {
            return;
        };
        if !self.charge(data.len()) {
            return;
        }
        let mut g = gs.clone();
        if let Ok(Object::Array(m)) = s.dict.get(b"Matrix") {
            if let Some(m) = nums::<6>(m) {
                g.ctm = mul(&m, &g.ctm);
            }
        }
        let res = s
            .dict
            .get(b"Resources")
            .ok()
            .map(|o| self.deref(o))
            .and_then(|o| o.as_dict().ok())
            .or(resources);
        forms.push(*id);
        self.run(&data, res, g, out, forms);
        forms.pop();
    }

    fn show(&mut self, s: &[u8], gs: &GState, tm: &mut M, out: &mut PageContent) {
        out.text_ops += 1;
        let Some(font) = gs.font.clone() else {
            return;
        };
        let mut codes = std::mem::take(&mut self.codes);
        codes.clear();
        font.decode(s, &mut codes);
        let size = gs.size;
        for c in codes.drain(..) {
            let adv = c.width * size * gs.th;
            let m = mul(tm, &gs.ctm);
            let (x0, y0) = apply(&m, 0.0, gs.rise);
            let (x1, y1) = apply(&m, adv, gs.rise);
            let fs = (m[2] * m[2] + m[3] * m[3]).sqrt() * size.abs();
            let len = ((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)).sqrt();
            // Axis-aligned, unmirrored glyphs only; the page is turned so that its main
            // direction reads left to right (rotated pages, landscape tables).
            let (ax, ay) = (m[0], m[1]);
            let dir = if ay.abs() <= 0.05 * ax.abs() {
                Some(if ax > 0.0 { 0 } else { 2 })
            } else if ax.abs() <= 0.05 * ay.abs() {
                Some(if ay > 0.0 { 1 } else { 3 })
            } else {
                None
            };
            let upright = ax * m[3] - ay * m[2] > 0.0;
            match c.text {
                Some(t)
                    if dir.is_some()
                        && upright
                        && fs > 0.0
                        && fs.is_finite()
                        && len.is_finite()
                        && x0.is_finite()
                        && y0.is_finite() =>
                {
                    if !t.chars().all(|ch| ch.is_control() && ch != '\t') {
                        out.glyphs.push(Glyph {
                            text: t,
                            x0,
                            x1: x0 + len,
                            y: y0,
                            size: fs,
                            dir: dir.unwrap_or(0),
                        });
                    }
                }
                Some(_) => {}
                None => out.undecoded += 1,
            }
            let tx = (c.width * size + gs.tc + if c.is_space { gs.tw } else { 0.0 }) * gs.th;
            *tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], tm);
        }
        self.codes = codes;
    }
}

/// q, Q, cm: the graphics state stack and the current transformation matrix.
fn graphics_state(operator: &str, a: &[Object], gs: &mut GState, saved: &mut Vec<GState>) {
    match operator {
        "q" if saved.len() < 256 => saved.push(gs.clone()),
        "Q" => {
            if let Some(s) = saved.pop() {
                *gs = s;
            }
        }
        "cm" => {
            if let Some(m) = nums::<6>(a) {
                gs.ctm = mul(&m, &gs.ctm);
            }
        }
        _ => {}
    }
}

/// The text matrix and the text line matrix of the text object being drawn.
struct TextMatrices {
    tm: M,
    tlm: M,
}

impl TextMatrices {
    /// BT, ET, Td, TD, Tm, T*: where text is drawn next.
    fn position(&mut self, operator: &str, a: &[Object], gs: &mut GState) {
        match operator {
            "BT" => {
                self.tm = ID;
                self.tlm = ID;
            }
            "ET" => {}
            "Td" | "TD" => {
                if let Some([x, y]) = nums::<2>(a) {
                    if operator == "TD" {
                        gs.tl = -y;
                    }
                    self.tlm = mul(&[1.0, 0.0, 0.0, 1.0, x, y], &self.tlm);
                    self.tm = self.tlm;
                }
            }
            "Tm" => {
                if let Some(m) = nums::<6>(a) {
                    self.tlm = m;
                    self.tm = m;
                }
            }
            "T*" => {
                self.tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &self.tlm);
                self.tm = self.tlm;
            }
            _ => {}
        }
    }
}
