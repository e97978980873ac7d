//! A content-stream lexer: operators with their operands, as lopdf's `Operation`s.
//!
//! lopdf's own content parser is a general object parser and stops at the first token it
//! cannot read; this one is several times faster on text-heavy pages and skips what it cannot
//! read (a stray delimiter, a broken dictionary) and goes on.

#[cfg(test)]
use lopdf::content::Operation;
use lopdf::{Object, StringFormat};

fn is_ws(c: u8) -> bool {
    matches!(c, 0 | 9 | 10 | 12 | 13 | 32)
}

fn is_delim(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn regular(c: u8) -> bool {
    !is_ws(c) && !is_delim(c)
}

const MAX_OPERANDS: usize = 4096;
const MAX_NEST: usize = 32;

struct Lexer<'a> {
    d: &'a [u8],
    i: usize,
}

impl<'a> Lexer<'a> {
    fn skip_ws(&mut self) {
        while self.i < self.d.len() {
            let c = self.d[self.i];
            if is_ws(c) {
                self.i += 1;
            } else if c == b'%' {
                while self.i < self.d.len() && self.d[self.i] != b'\n' && self.d[self.i] != b'\r' {
                    self.i += 1;
                }
            } else {
                break;
            }
        }
    }

    fn literal(&mut self) -> Vec<u8> {
        // At '('.
        self.i += 1;
        let mut out = Vec::new();
        let mut depth = 1usize;
        while self.i < self.d.len() {
            let c = self.d[self.i];
            self.i += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(c);
                }
                b'\\' => {
                    let Some(&e) = self.d.get(self.i) else { break };
                    self.i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            for _ in 0..2 {
                                match self.d.get(self.i) {
                                    Some(&o @ b'0'..=b'7') => {
                                        v = v * 8 + (o - b'0') as u32;
                                        self.i += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        b'\r' => {
                            if self.d.get(self.i) == Some(&b'\n') {
                                self.i += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
        out
    }

    fn hex(&mut self) -> Vec<u8> {
        // At '<' (not '<<').
        self.i += 1;
        let mut out = Vec::new();
        let mut hi: Option<u8> = None;
        while self.i < self.d.len() {
            let c = self.d[self.i];
            self.i += 1;
            let v = match c {
                b'>' => break,
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => continue,
            };
            match hi.take() {
                Some(h) => out.push(h << 4 | v),
                None => hi = Some(v),
            }
        }
        if let Some(h) = hi {
            out.push(h << 4);
        }
        out
    }

    fn name(&mut self) -> Vec<u8> {
        // At '/'.
        self.i += 1;
        let mut out = Vec::new();
        while self.i < self.d.len() && regular(self.d[self.i]) {
            let c = self.d[self.i];
            if c == b'#' && self.i + 2 < self.d.len() {
                if let Ok(v) = u8::from_str_radix(
                    std::str::from_utf8(&self.d[self.i + 1..self.i + 3]).unwrap_or("zz"),
                    16,
                ) {
                    out.push(v);
                    self.i += 3;
                    continue;
                }
            }
            out.push(c);
            self.i += 1;
        }
        out
    }

    /// Skips a dictionary `<< ... >>` (marked-content properties): strings and nesting aware.
    fn skip_dict(&mut self) {
        self.i += 2;
        let mut depth = 1usize;
        while self.i < self.d.len() && depth > 0 {
            match self.d[self.i] {
                b'(' => {
                    self.literal();
                }
                b'<' if self.d.get(self.i + 1) == Some(&b'<') => {
                    depth += 1;
                    self.i += 2;
                }
                b'>' if self.d.get(self.i + 1) == Some(&b'>') => {
                    depth -= 1;
                    self.i += 2;
                }
                b'<' => {
                    self.hex();
                }
                _ => self.i += 1,
            }
        }
    }

    /// After `ID`: skips inline image data up to `EI` standing alone.
    fn skip_inline_image(&mut self) {
        self.i += 1; // the single white-space byte after ID
        while self.i + 1 < self.d.len() {
            if self.d[self.i] == b'E'
                && self.d[self.i + 1] == b'I'
                && self.i > 0
                && is_ws(self.d[self.i - 1])
                && self.d.get(self.i + 2).is_none_or(|&c| is_ws(c))
            {
                self.i += 2;
                return;
            }
            self.i += 1;
        }
        self.i = self.d.len();
    }
}

/// A number token; producer quirks like "--5" or "1.2.3" read as their longest valid prefix.
fn number(tok: &[u8]) -> Object {
    let mut i = 0;
    let mut neg = false;
    while i < tok.len() && (tok[i] == b'-' || tok[i] == b'+') {
        neg |= tok[i] == b'-';
        i += 1;
    }
    let mut int: i64 = 0;
    let mut digits = 0;
    while i < tok.len() && tok[i].is_ascii_digit() {
        int = int
            .saturating_mul(10)
            .saturating_add((tok[i] - b'0') as i64);
        digits += 1;
        i += 1;
    }
    if i >= tok.len() || tok[i] != b'.' {
        if digits > 18 {
            return Object::Real(if neg { -(int as f32) } else { int as f32 });
        }
        return Object::Integer(if neg { -int } else { int });
    }
    i += 1;
    let mut frac = 0.0f64;
    let mut scale = 0.1f64;
    while i < tok.len() && tok[i].is_ascii_digit() {
        frac += (tok[i] - b'0') as f64 * scale;
        scale *= 0.1;
        i += 1;
    }
    let v = (int as f64 + frac) as f32;
    Object::Real(if neg { -v } else { v })
}

/// Reads a content stream operator by operator; `next_op` lends the operands.
pub struct Ops<'a> {
    lx: Lexer<'a>,
    stack: Vec<Object>,
    arrays: Vec<usize>,
}

impl<'a> Ops<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Ops {
            lx: Lexer { d: data, i: 0 },
            stack: Vec::new(),
            arrays: Vec::new(),
        }
    }

    /// The next operator and its operands.
    pub fn next_op(&mut self) -> Option<(&'a str, &[Object])> {
        self.stack.clear();
        self.arrays.clear();
        let data = self.lx.d;
        let lx = &mut self.lx;
        loop {
            lx.skip_ws();
            if lx.i >= data.len() {
                return None;
            }
            let c = data[lx.i];
            let obj = match c {
                b'(' => Object::String(lx.literal(), StringFormat::Literal),
                b'<' if data.get(lx.i + 1) == Some(&b'<') => {
                    lx.skip_dict();
                    Object::Null
                }
                b'<' => Object::String(lx.hex(), StringFormat::Hexadecimal),
                b'/' => Object::Name(lx.name()),
                b'[' => {
                    lx.i += 1;
                    if self.arrays.len() < MAX_NEST {
                        self.arrays.push(self.stack.len());
                    }
                    continue;
                }
                b']' => {
                    lx.i += 1;
                    match self.arrays.pop() {
                        Some(start) => {
                            Object::Array(self.stack.split_off(start.min(self.stack.len())))
                        }
                        None => continue,
                    }
                }
                b'>' | b')' | b'{' | b'}' => {
                    lx.i += 1;
                    continue;
                }
                _ => {
                    let s = lx.i;
                    while lx.i < data.len() && regular(data[lx.i]) {
                        lx.i += 1;
                    }
                    let tok: &'a [u8] = &data[s..lx.i];
                    if tok.is_empty() {
                        lx.i += 1;
                        continue;
                    }
                    match tok[0] {
                        b'0'..=b'9' | b'+' | b'-' | b'.' => number(tok),
                        _ => match tok {
                            b"true" => Object::Boolean(true),
                            b"false" => Object::Boolean(false),
                            b"null" => Object::Null,
                            b"BI" => {
                                self.stack.clear();
                                self.arrays.clear();
                                continue;
                            }
                            b"ID" => {
                                lx.skip_inline_image();
                                self.stack.clear();
                                return Some(("BI", &self.stack));
                            }
                            _ => {
                                // An operator: it takes the operands on the stack.
                                let op = std::str::from_utf8(tok).unwrap_or("");
                                return Some((op, &self.stack));
                            }
                        },
                    }
                }
            };
            if self.stack.len() < MAX_OPERANDS {
                self.stack.push(obj);
            }
        }
    }
}

/// Lexes a whole content stream into owned operations.
#[cfg(test)]
pub fn operations(data: &[u8]) -> Vec<Operation> {
    let mut ops = Vec::new();
    let mut it = Ops::new(data);
    while let Some((op, args)) = it.next_op() {
        ops.push(Operation {
            operator: op.to_string(),
            operands: args.to_vec(),
        });
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexes_text_ops() {
        let ops = operations(b"BT /F1 12 Tf 1 0 0 1 72.5 -.5 Tm [(a\\(b\\)) -250 <4E2D>] TJ (x\\101) ' ET % comment\nq BI /W 1 /H 1 ID \x00\xff EI Q /P <</MCID 0>> BDC EMC");
        let names: Vec<&str> = ops.iter().map(|o| o.operator.as_str()).collect();
        assert_eq!(
            names,
            ["BT", "Tf", "Tm", "TJ", "'", "ET", "q", "BI", "Q", "BDC", "EMC"]
        );
        assert!(matches!(ops[2].operands[5], Object::Real(v) if v == -0.5));
        let Object::Array(a) = &ops[3].operands[0] else {
            panic!()
        };
        assert!(matches!(&a[0], Object::String(s, _) if s == b"a(b)"));
        assert!(matches!(&a[1], Object::Integer(-250)));
        assert!(matches!(&a[2], Object::String(s, _) if s == &[0x4E, 0x2D]));
        assert!(matches!(&ops[4].operands[0], Object::String(s, _) if s == b"xA"));
    }

    #[test]
    fn survives_garbage() {
        for data in [
            &b"[[[[ ( \\"[..],
            b"<<<<>>",
            b")))]]] 1 2 3 re",
            b"1.2.3 --4 Td",
            b"BI ID",
        ] {
            let _ = operations(data);
        }
        let ops = operations(b"--4 1.2.3 Td");
        assert!(matches!(ops[0].operands[0], Object::Integer(-4)));
        assert!(matches!(ops[0].operands[1], Object::Real(v) if (v - 1.2).abs() < 1e-6));
    }
}
