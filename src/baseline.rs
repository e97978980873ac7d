//! Reviewed findings a reviewer has accepted, with the reason, so that a re-run shows only
//! what is new. A finding is matched by a fingerprint of its document's file name, its code,
//! its message and the values and sentences it quotes: moving the sentence to another line
//! keeps it, changing a figure does not.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::report::{DocumentRecord, FindingRecord};

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    #[serde(default)]
    pub accepted: Vec<Accepted>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accepted {
    pub fingerprint: String,
    /// For the reader of the file: where the finding was and what it said.
    pub file: String,
    pub code: String,
    pub message: String,
    /// Why it is accepted; required.
    pub reason: String,
}

/// The fingerprint of a finding of the document at `path`.
pub fn fingerprint(path: &str, f: &FindingRecord) -> String {
    let name = std::path::Path::new(path)
        .file_name()
        .map_or(path.to_string(), |n| n.to_string_lossy().into_owned());
    let mut h = Sha256::new();
    for part in [name.as_str(), f.code.as_str(), f.message.as_str()] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    for e in &f.evidence {
        let text: String = e.text.chars().filter(|c| !c.is_whitespace()).collect();
        h.update(e.value.as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
        h.update([0]);
    }
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Baseline {
    /// Parses a baseline file's text; `shown` names it in errors. Every entry must say why.
    pub fn parse(text: &str, shown: &str) -> Result<Self, String> {
        let b: Baseline = toml::from_str(text).map_err(|e| format!("{shown}: {e}"))?;
        let unexplained: Vec<&str> = b
            .accepted
            .iter()
            .filter(|a| a.reason.trim().is_empty())
            .map(|a| a.fingerprint.as_str())
            .collect();
        if !unexplained.is_empty() {
            return Err(format!(
                "{shown}: {} accepted finding(s) without a reason ({}…): write why each is accepted in its `reason`",
                unexplained.len(),
                unexplained[0]
            ));
        }
        Ok(b)
    }

    /// The entries for the findings of `records`, each with an empty reason to fill in.
    pub fn of(records: &[DocumentRecord]) -> Self {
        let accepted = records
            .iter()
            .flat_map(|r| {
                r.findings.iter().map(|f| Accepted {
                    fingerprint: fingerprint(&r.path, f),
                    file: r.path.clone(),
                    code: f.code.clone(),
                    message: f.message.clone(),
                    reason: String::new(),
                })
            })
            .collect();
        Baseline { accepted }
    }

    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!(
            "# reportlint baseline: findings reviewed and accepted. A finding listed here is not\n\
             # shown again while its document, figures and sentences stay the same. Write in\n\
             # `reason` why each is accepted; an entry without one is refused.\n\n{body}"
        )
    }

    /// The fingerprints it accepts.
    pub fn set(&self) -> HashMap<String, String> {
        self.accepted
            .iter()
            .map(|a| (a.fingerprint.clone(), a.reason.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::EvidenceRecord;

    fn finding(line: usize, value: &str) -> FindingRecord {
        FindingRecord {
            code: "S003".into(),
            name: "score-total-mismatch".into(),
            severity: "error".into(),
            confidence: "sure".into(),
            ocr: false,
            message: format!("自评得分{value}分与各部分得分之和181分不一致"),
            line,
            page: None,
            evidence: vec![EvidenceRecord {
                column: None,
                line,
                page: None,
                text: format!("自评得分{value}分"),
                value: value.into(),
                start: line * 10,
                end: line * 10 + 3,
            }],
            arithmetic: None,
        }
    }

    #[test]
    fn a_fingerprint_survives_moves_not_changed_figures() {
        let a = fingerprint("a/r.txt", &finding(293, "184"));
        assert_eq!(a, fingerprint("b/r.txt", &finding(301, "184")));
        assert_ne!(a, fingerprint("a/r.txt", &finding(293, "185")));
        assert_ne!(a, fingerprint("a/other.txt", &finding(293, "184")));
    }

    #[test]
    fn entries_need_a_reason() {
        let mut b = Baseline::of(&[]);
        b.accepted.push(Accepted {
            fingerprint: "00".into(),
            file: "x".into(),
            code: "S003".into(),
            message: "m".into(),
            reason: " ".into(),
        });
        assert!(Baseline::parse(&b.to_toml(), "b.toml").is_err());
        b.accepted[0].reason = "the report's own error, reported to the department".into();
        assert_eq!(
            Baseline::parse(&b.to_toml(), "b.toml")
                .unwrap()
                .accepted
                .len(),
            1
        );
        assert!(Baseline::parse("[[accepted]]\nfingerprint = 1\n", "b.toml").is_err());
    }
}
