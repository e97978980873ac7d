//! Which findings a run shows: `--select` / `--ignore` by code, code prefix or name (as
//! `explain` lists them), and `--severity` as the lowest severity shown. The relations
//! tested are counted whatever is shown.

use super::registry::CHECKS;

#[derive(Debug, Clone, Default)]
pub struct FindingFilter {
    /// Codes shown; empty: every code.
    select: Vec<&'static str>,
    ignore: Vec<&'static str>,
    /// The lowest severity shown: 0 notice, 1 warning, 2 error.
    lowest: u8,
}

/// The codes one `--select`/`--ignore` word names: a code (S001), a prefix of codes (S, S00),
/// or a check's name (parts-do-not-sum-to-total), in any case; `ALL` names every check.
fn codes_of(word: &str) -> Result<Vec<&'static str>, String> {
    let w = word.trim();
    if w.eq_ignore_ascii_case("all") {
        return Ok(CHECKS.iter().map(|c| c.code).collect());
    }
    let by_name: Vec<&'static str> = CHECKS
        .iter()
        .filter(|c| c.name.eq_ignore_ascii_case(w))
        .map(|c| c.code)
        .collect();
    if !by_name.is_empty() {
        return Ok(by_name);
    }
    let by_code: Vec<&'static str> = CHECKS
        .iter()
        .filter(|c| {
            !w.is_empty()
                && c.code
                    .to_ascii_uppercase()
                    .starts_with(&w.to_ascii_uppercase())
        })
        .map(|c| c.code)
        .collect();
    if by_code.is_empty() {
        return Err(format!(
            "no check {w:?}: give a code (S001), a code prefix (S) or a name as `reportlint explain` lists them"
        ));
    }
    Ok(by_code)
}

impl FindingFilter {
    /// `select` and `ignore` hold words that may be comma-separated lists; `severity` is
    /// `error`, `warning` or `notice` (the default: everything).
    pub fn new(
        select: &[String],
        ignore: &[String],
        severity: Option<&str>,
    ) -> Result<Self, String> {
        let words = |v: &[String]| -> Result<Vec<&'static str>, String> {
            let mut out = Vec::new();
            for w in v
                .iter()
                .flat_map(|s| s.split(','))
                .filter(|w| !w.trim().is_empty())
            {
                out.extend(codes_of(w)?);
            }
            Ok(out)
        };
        let lowest = match severity.map(str::to_ascii_lowercase).as_deref() {
            None | Some("notice") => 0,
            Some("warning") => 1,
            Some("error") => 2,
            Some(other) => {
                return Err(format!(
                    "--severity {other:?}: give error, warning or notice"
                ))
            }
        };
        Ok(FindingFilter {
            select: words(select)?,
            ignore: words(ignore)?,
            lowest,
        })
    }

    /// Whether a finding of `code` at `severity` ("error"/"warning"/"notice") is shown.
    pub fn keeps(&self, code: &str, severity: &str) -> bool {
        let level = match severity {
            "error" => 2,
            "warning" => 1,
            _ => 0,
        };
        (self.select.is_empty() || self.select.contains(&code))
            && !self.ignore.contains(&code)
            && level >= self.lowest
    }

    /// Whether it shows every finding.
    pub fn is_all(&self) -> bool {
        self.select.is_empty() && self.ignore.is_empty() && self.lowest == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_name_codes_prefixes_and_names() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let f = FindingFilter::new(&s(&["S"]), &s(&["s002"]), None).unwrap();
        assert!(f.keeps("S001", "error") && f.keeps("S003", "warning"));
        assert!(!f.keeps("S002", "error") && !f.keeps("D001", "error"));
        let f = FindingFilter::new(&s(&["figure-stated-twice,R001"]), &[], Some("error")).unwrap();
        assert!(f.keeps("D001", "error") && f.keeps("R001", "error"));
        assert!(!f.keeps("R001", "warning") && !f.keeps("D002", "error"));
        assert!(FindingFilter::new(&s(&["X9"]), &[], None).is_err());
        assert!(FindingFilter::new(&[], &[], Some("note")).is_err());
        let w = FindingFilter::new(&[], &[], Some("warning")).unwrap();
        assert!(w.keeps("R001", "warning") && !w.keeps("T001", "notice"));
        assert!(FindingFilter::new(&[], &[], None).unwrap().is_all());
    }
}
