//! The relations a real report states, verified by hand (`tests/fixtures/relations/`, copied
//! from `../shared/relations/`): how many of them the checker tests and passes, and that it
//! reports the ones that fail.
//!
//! A verified relation names its figures by line and value in the pdfplumber text of the
//! report. A figure is found among ours by its page and by its place among the numbers of
//! that page with its value (the second 28,849.38 of page 11 is our second 28849.38 of page
//! 11). A sum, share, rate or change is tested when one relation we check holds all its
//! figures (a share or change: its claimed rate and one figure it rests on); a figure stated
//! in several places when the relations we check connect every statement of it.

use std::collections::HashMap;

use regex::Regex;
use reportlint::check::Outcome;
use reportlint::extract::{Extraction, FigureId};

use crate::util::path;

const DIR: &str = "tests/fixtures/relations";
const REPORT: &str = "js_gaoyuan_2017_dept_budget";

struct Verified {
    id: String,
    kind: String,
    /// (line, value, which equal token on the line).
    tokens: Vec<(usize, String, usize)>,
}

fn parse() -> (Vec<Verified>, Vec<Verified>) {
    let md = std::fs::read_to_string(path(&format!("{DIR}/{REPORT}.relations.md"))).unwrap();
    let row = Regex::new(r"^\| (R12-\d+) \| ([a-z ]+) \| .*? \| (.*) \|$").unwrap();
    let failing = Regex::new(r"^- (R12-\d+) \(([a-z ]+)\) [^:]*: (.*)$").unwrap();
    let token = Regex::new(r"L(\d+) ([\d,]+(?:\.\d+)?)%?(?: \(#(\d+) on the line\))?").unwrap();
    let tokens = |s: &str| {
        token
            .captures_iter(s)
            .map(|c| {
                let nth = c.get(3).map_or(1, |m| m.as_str().parse().unwrap());
                (c[1].parse().unwrap(), c[2].replace(',', ""), nth)
            })
            .collect()
    };
    let (mut holds, mut fails) = (Vec::new(), Vec::new());
    for line in md.lines() {
        if let Some(c) = row.captures(line) {
            holds.push(Verified {
                id: c[1].to_string(),
                kind: c[2].to_string(),
                tokens: tokens(&c[3]),
            });
        } else if let Some(c) = failing.captures(line) {
            // The figures of a failing relation stand before its explanation.
            let figs = c[3].split(". ").next().unwrap_or("");
            fails.push(Verified {
                id: c[1].to_string(),
                kind: c[2].to_string(),
                tokens: tokens(figs),
            });
        }
    }
    (holds, fails)
}

/// Maps (line, value, nth) of the pdfplumber text to our figures.
struct Mapper {
    /// For each (page, value): the line and token order of its occurrences in the text.
    occurrences: HashMap<(u32, String), Vec<(usize, usize)>>,
    page_of_line: Vec<u32>,
    ours: HashMap<(u32, String), Vec<FigureId>>,
}

impl Mapper {
    fn new(ex: &Extraction) -> Mapper {
        let txt = std::fs::read_to_string(path(&format!("{DIR}/{REPORT}.pdfplumber.txt"))).unwrap();
        let number = Regex::new(r"\d[\d,]*(?:\.\d+)?").unwrap();
        let mut page = 1;
        let mut page_of_line = Vec::new();
        let mut occurrences: HashMap<(u32, String), Vec<(usize, usize)>> = HashMap::new();
        for (i, l) in txt.split('\n').enumerate() {
            page_of_line.push(page);
            let mut seen: HashMap<String, usize> = HashMap::new();
            for m in number.find_iter(l) {
                let v = m.as_str().replace(',', "");
                let n = seen.entry(v.clone()).or_default();
                *n += 1;
                occurrences.entry((page, v)).or_default().push((i + 1, *n));
            }
            if l.contains('\u{c}') {
                page += 1;
            }
        }
        let mut ours: HashMap<(u32, String), Vec<FigureId>> = HashMap::new();
        for (id, f) in ex.ids() {
            if let Some(p) = f.span.page {
                ours.entry((p, f.value.clone())).or_default().push(id);
            }
        }
        Mapper {
            occurrences,
            page_of_line,
            ours,
        }
    }

    fn figure(&self, (line, value, nth): &(usize, String, usize)) -> Option<FigureId> {
        let page = *self.page_of_line.get(line - 1)?;
        let key = (page, value.clone());
        let k = self
            .occurrences
            .get(&key)?
            .iter()
            .position(|o| *o == (*line, *nth))?;
        self.ours.get(&key)?.get(k).copied()
    }
}

/// Union-find over the figures of the relations checked.
fn components(o: &Outcome) -> HashMap<FigureId, FigureId> {
    let mut parent: HashMap<FigureId, FigureId> = HashMap::new();
    fn find(p: &mut HashMap<FigureId, FigureId>, x: FigureId) -> FigureId {
        let up = *p.entry(x).or_insert(x);
        if up == x {
            return x;
        }
        let r = find(p, up);
        p.insert(x, r);
        r
    }
    for (r, held) in o.relations.iter().zip(&o.held) {
        if !held {
            continue;
        }
        for w in r.windows(2) {
            let (a, b) = (find(&mut parent, w[0]), find(&mut parent, w[1]));
            parent.insert(a, b);
        }
    }
    let keys: Vec<FigureId> = parent.keys().copied().collect();
    keys.into_iter()
        .map(|k| (k, find(&mut parent, k)))
        .collect()
}

#[test]
fn stated_relations_are_tested() {
    let (holds, fails) = parse();
    assert_eq!(
        (holds.len(), fails.len()),
        (171, 3),
        "the verified relations file changed"
    );
    let file = path(&format!("corpus/{REPORT}.pdf"));
    let limits = reportlint::reader::Limits::default();
    let input = reportlint::reader::read_input(&file, &limits).unwrap();
    let doc = reportlint::reader::read_bytes(&input.bytes, &file, &limits)
        .1
        .unwrap();
    let ex = reportlint::extract::extract(&doc, &reportlint::extract::Patterns::builtin());
    let o = reportlint::check::run(&doc, &ex);
    let map = Mapper::new(&ex);
    let comp = components(&o);
    let held: Vec<&Vec<FigureId>> = o
        .relations
        .iter()
        .zip(&o.held)
        .filter(|(_, h)| **h)
        .map(|(r, _)| r)
        .collect();
    let mut tested = Vec::new();
    let mut untested: Vec<String> = Vec::new();
    for v in &holds {
        let figs: Option<Vec<FigureId>> = v.tokens.iter().map(|t| map.figure(t)).collect();
        let ok = figs.is_some_and(|f| match v.kind.as_str() {
            "same figure" => {
                let c: Vec<Option<&FigureId>> = f.iter().map(|x| comp.get(x)).collect();
                c.iter().all(|x| x.is_some() && *x == c[0])
            }
            "part sum" => held.iter().any(|r| f.iter().all(|x| r.contains(x))),
            // A share, rate or change: its claim and a figure it rests on.
            _ => held
                .iter()
                .any(|r| r.contains(&f[0]) && f[1..].iter().any(|x| r.contains(x))),
        });
        if std::env::var_os("RELATIONS_DEBUG").is_some() && !ok {
            debug(v, &map, &comp, &ex);
            for t in &v.tokens {
                if let Some(id) = map.figure(t) {
                    for (r, h) in o.relations.iter().zip(&o.held) {
                        if r.contains(&id) {
                            println!("    {:?} in {:?} held={}", id, r, h);
                        }
                    }
                }
            }
        }
        if ok {
            tested.push(&v.id);
        } else {
            untested.push(format!("{} ({})", v.id, v.kind));
        }
    }
    println!(
        "{} of {} verified relations tested and passed; not: {}",
        tested.len(),
        holds.len(),
        untested.join(", ")
    );
    assert!(
        tested.len() * 100 >= holds.len() * 80,
        "{} of {} relations tested; not tested: {}",
        tested.len(),
        holds.len(),
        untested.join(", ")
    );
    // The three that fail are reported, each at its claimed figure.
    for v in &fails {
        let claim = map
            .figure(&v.tokens[0])
            .unwrap_or_else(|| panic!("{}: unmapped", v.id));
        assert!(
            o.findings
                .iter()
                .any(|f| f.evidence.iter().any(|e| e.figure == Some(claim))),
            "{} ({}) is not reported",
            v.id,
            v.kind
        );
    }
}

/// With RELATIONS_DEBUG set: where an untested relation's figures are and what joins them.
fn debug(v: &Verified, map: &Mapper, comp: &HashMap<FigureId, FigureId>, ex: &Extraction) {
    println!("{} ({})", v.id, v.kind);
    for t in &v.tokens {
        match map.figure(t) {
            None => println!("  L{} {} #{}: unmapped", t.0, t.1, t.2),
            Some(id) => {
                let f = ex.fig(id);
                println!(
                    "  L{} {}: {:?} key={:?} label={:?} noun={:?} phase={:?} fund={:?} scope={:?} within={:?} year={:?} comp={:?}",
                    t.0,
                    t.1,
                    id,
                    f.key,
                    f.label,
                    f.noun,
                    f.phase,
                    f.fund,
                    f.scope,
                    f.within,
                    f.year,
                    comp.get(&id)
                );
            }
        }
    }
}
