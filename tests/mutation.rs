//! Mutation test: change each figure of the Huaihua report, one at a time. A figure that
//! takes part in a relation the report states must then raise an error citing its line; a
//! figure that takes part in none must change nothing.

use std::collections::BTreeSet;

use reportlint::check;

use crate::util::{check_text as run, path};

/// A typing error in the units digit: 1045.63 → 1046.63, 109 → 100, 89.91 → 80.91.
fn mutate(written: &str) -> String {
    let mut cs: Vec<char> = written.chars().collect();
    let units = cs.iter().position(|c| *c == '.').unwrap_or(cs.len());
    if let Some(i) = cs[..units].iter().rposition(|c| c.is_ascii_digit()) {
        let d = cs[i].to_digit(10).unwrap();
        cs[i] = char::from_digit((d + 1) % 10, 10).unwrap();
    }
    cs.into_iter().collect()
}

fn errors(o: &check::Outcome) -> BTreeSet<(String, usize, String)> {
    o.findings
        .iter()
        .filter(|f| f.severity == check::Severity::Error)
        .map(|f| {
            (
                f.code.to_string(),
                f.evidence[0].span.line,
                f.message.clone(),
            )
        })
        .collect()
}

#[test]
fn changed_figures_are_caught() {
    let text =
        std::fs::read_to_string(path("corpus/hn_huaihua_gxj_2022_dept_selfeval.txt")).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let (ex, base) = run(&text);
    let base_errors = errors(&base);
    // Figures in checked relations, and the numbers of count claims ("设17个科室：…").
    let mut related: BTreeSet<usize> = base.relations.iter().flatten().map(|i| i.index()).collect();
    for (i, f) in ex.figures.iter().enumerate() {
        if ex.counts.iter().any(|c| c.span.start == f.span.start) {
            related.insert(i);
        }
    }
    let (mut caught, mut missed, mut quiet, mut noisy) = (0, Vec::new(), 0, Vec::new());
    for (i, f) in ex.figures.iter().enumerate() {
        let written: String = chars[f.span.start..f.span.end].iter().collect();
        if !written.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let mut m = chars.clone();
        m.splice(f.span.start..f.span.end, mutate(&written).chars());
        let (_, o) = run(&m.into_iter().collect::<String>());
        let new: Vec<_> = errors(&o).difference(&base_errors).cloned().collect();
        if related.contains(&i) {
            let cites = o.findings.iter().any(|g| {
                g.severity == check::Severity::Error
                    && g.evidence.iter().any(|e| e.span.line == f.span.line)
            });
            if cites && errors(&o) != base_errors {
                caught += 1;
            } else {
                missed.push(format!("{} {} (line {})", f.label, f.value, f.span.line));
            }
        } else if new.is_empty() {
            quiet += 1;
        } else {
            noisy.push(format!(
                "{} {} (line {}): {:?}",
                f.label, f.value, f.span.line, new
            ));
        }
    }
    let total = caught + missed.len();
    eprintln!("mutation: {caught}/{total} related figures caught; {quiet} unrelated figures quiet, {} noisy", noisy.len());
    assert!(total >= 40, "too few related figures: {total}");
    assert!(
        caught * 100 >= total * 95,
        "caught {caught}/{total}; missed: {missed:#?}"
    );
    assert!(
        noisy.is_empty(),
        "unrelated figures raised errors: {noisy:#?}"
    );
}
