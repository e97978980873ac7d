//! D001 figure-stated-twice: one canonical key stated with values that cannot both be true.

use crate::check::checker::{Checker, Severity};
use crate::check::confidence::sure_conflict;
use crate::check::present::{key_name, shown};

pub const CODE: &str = "D001";

/// For each key stated more than once: the values that disagree with the most stated one.
pub fn run(c: &mut Checker) {
    let facts = c.facts;
    for ((key, fund), clusters) in &facts.key_clusters {
        let all: Vec<_> = clusters.iter().flatten().copied().collect();
        if all.len() < 2 {
            continue;
        }
        if clusters.len() == 1 {
            c.pass(&clusters[0]);
            continue;
        }
        // Three or more values: the reading took different quantities for one key.
        if clusters.len() > 2 {
            let values: Vec<String> = clusters.iter().map(|k| shown(c.fig(k[0]))).collect();
            c.note(format!(
                "{}写作{}种不同数值（{}），可能是不同口径的数字被归为同一项，未作比较",
                key_name(key),
                clusters.len(),
                values.join("、")
            ));
            continue;
        }
        let main = &clusters[0];
        for other in &clusters[1..] {
            let (a, b) = (c.fig(main[0]), c.fig(other[0]));
            let label = match fund {
                Some(f) => format!("{}{}", f.as_str(), key_name(key)),
                None => key_name(key).to_string(),
            };
            let msg = if main.len() > 1 {
                format!(
                    "{label}在{}处写作{}，此处写作{}，不一致",
                    main.len(),
                    shown(a),
                    shown(b)
                )
            } else {
                format!(
                    "{label}一处写作{}，另一处写作{}，不一致",
                    shown(a),
                    shown(b)
                )
            };
            // The same digits in two units: the unit is the slip ("预算支出1682.76元").
            let msg = if a.dec == b.dec && a.unit != b.unit {
                format!(
                    "{label}一处写作{}，另一处写作{}：数字相同而单位不同，可能是单位笔误",
                    shown(a),
                    shown(b)
                )
            } else {
                msg
            };
            let arith = format!("{} ≠ {}", a.amount().normalize(), b.amount().normalize());
            if sure_conflict(c.ex, main.len(), main[0], other[0]) {
                c.fail(
                    CODE,
                    Severity::Error,
                    msg,
                    Some(arith),
                    &[other[0], main[0]],
                );
            } else {
                let msg = format!("{msg}（两值各出现一次且相差较大，可能是不同口径的数字）");
                c.fail_unsure(CODE, msg, Some(arith), &[other[0], main[0]]);
            }
        }
    }
}
