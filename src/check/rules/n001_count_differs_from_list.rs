//! N001 count-differs-from-list: "设17个科室：A、B…" listing another number of items.

use crate::check::checker::{Checker, Evidence, Severity};

pub const CODE: &str = "N001";

/// A count against the items its list names. A list of examples (A、B等N个) may name
/// fewer than it counts; naming more is still a contradiction.
pub fn run(c: &mut Checker) {
    let ex = c.ex;
    for n in &ex.counts {
        if n.listed == n.count || n.open && n.listed < n.count {
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
            format!("称{}个{}，但列出{}个", n.count, n.noun, n.listed),
            Some(format!("{} ≠ {}", n.listed, n.count)),
            evidence,
        );
    }
}
