//! N001 count-differs-from-list: "设17个科室：A、B…" listing another number of items.

use crate::check::checker::{Checker, Evidence, Severity};

pub const CODE: &str = "N001";

pub fn run(c: &mut Checker) {
    let ex = c.ex;
    for n in &ex.counts {
        if n.items.len() as u32 == n.count {
            c.pass_unrelated();
            continue;
        }
        let evidence = vec![Evidence {
            span: n.span,
            context: n.context,
            value: n.count.to_string(),
            figure: None,
        }];
        c.fail_with(
            CODE,
            Severity::Error,
            format!("称{}个{}，但列出{}个", n.count, n.noun, n.items.len()),
            Some(format!("{} ≠ {}", n.items.len(), n.count)),
            evidence,
        );
    }
}
