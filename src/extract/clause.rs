//! The clause before a number: the backward walk from the number to the previous boundary,
//! with the shapes where the label stands elsewhere (before a parenthesis, in quotes, in a
//! "A、B分别为a、b" list). Pure functions of the sentence's characters.

use std::sync::LazyLock;

use regex::Regex;

use super::vocab::is_boundary;

/// The text before a number.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// Where the clause starts (offset in the sentence).
    pub start: usize,
    /// The clause as written between the boundary and the number.
    pub text: String,
    /// The label the clause gives the number (the text, or the name it points back to).
    pub label: String,
}

/// The clause before the number at `mstart` of the sentence starting at `s` of `chars`
/// (offsets relative to `s`), not reaching back past `prev_end` (the previous number's end).
pub fn before(chars: &[char], s: usize, mstart: usize, prev_end: usize) -> Clause {
    let mut cs = walk_back(chars, s, mstart, prev_end);
    // "采购…社工23名支出373.66万元": a bare word after another number of its clause is the
    // end of one label with that number inside it.
    if cs == prev_end && prev_end > 0 && !is_boundary(chars[s + prev_end - 1]) {
        let word: String = chars[s + cs..s + mstart].iter().collect();
        if matches!(word.trim(), "支出" | "收入" | "经费" | "资金" | "费用") {
            cs = walk_back(chars, s, cs, 0);
        }
    }
    let text: String = chars[s + cs..s + mstart].iter().collect();
    let mut label = text.clone();
    if label.trim().is_empty() && cs > 0 && matches!(chars[s + cs - 1], '）' | ')') {
        // "工资福利支出(人员支出)3265013元": the label stands before the parenthesis.
        if let Some(l) = before_parenthesis(chars, s, cs, prev_end) {
            label = l;
        }
    }
    if label.trim().trim_end_matches(['”', '"']).is_empty() && label.contains(['”', '"']) {
        // "“…职业年金缴费支出（项）”257.14万元": the label is the quotation.
        label = quotation(chars, s, mstart, &label);
    }
    if label.trim().is_empty() && cs > 0 && matches!(chars[s + cs - 1], '（' | '(') {
        // "A（a）": the label stands before the parenthesis.
        let mut c2 = cs - 1;
        while c2 > 0 && !is_boundary(chars[s + c2 - 1]) {
            c2 -= 1;
        }
        label = chars[s + c2..s + cs - 1].iter().collect();
    }
    Clause {
        start: cs,
        text,
        label,
    }
}

/// Back from the number to the previous boundary; a parenthesis inside a label
/// ("因公出国（境）费") is part of it.
fn walk_back(chars: &[char], s: usize, mstart: usize, prev_end: usize) -> usize {
    let mut cs = mstart;
    while cs > prev_end {
        let c = chars[s + cs - 1];
        if matches!(c, '）' | ')') && cs >= 2 {
            let mut k = cs - 1;
            while k > prev_end && !matches!(chars[s + k - 1], '（' | '(' | '，' | '。' | '；') {
                k -= 1;
            }
            if k > prev_end
                && matches!(chars[s + k - 1], '（' | '(')
                && k >= 2
                && !is_boundary(chars[s + k - 2])
                && k - 1 > prev_end
            {
                cs = k - 1;
                continue;
            }
            break;
        }
        if is_boundary(c) {
            break;
        }
        cs -= 1;
    }
    cs
}

/// The clause before the parenthesis that closes at `cs`.
fn before_parenthesis(chars: &[char], s: usize, cs: usize, prev_end: usize) -> Option<String> {
    let mut c2 = cs - 1;
    let mut depth = 0;
    while c2 > 0 {
        let ch = chars[s + c2 - 1];
        if matches!(ch, '）' | ')') {
            depth += 1;
        } else if matches!(ch, '（' | '(') {
            if depth == 0 {
                break;
            }
            depth -= 1;
        }
        c2 -= 1;
    }
    if c2 == 0 {
        return None;
    }
    let mut c3 = c2 - 1;
    while c3 > prev_end && !is_boundary(chars[s + c3 - 1]) {
        c3 -= 1;
    }
    Some(chars[s + c3..s + c2 - 1].iter().collect())
}

/// The quotation that ends just before the number, its short parentheses dropped.
fn quotation(chars: &[char], s: usize, mstart: usize, label: &str) -> String {
    let q_end = s + mstart
        - label
            .chars()
            .rev()
            .take_while(|c| *c != '”' && *c != '"')
            .count();
    let mut q = q_end.saturating_sub(1);
    while q > s && chars[q - 1] != '“' && chars[q - 1] != '"' {
        q -= 1;
    }
    let quoted: String = chars[q..q_end.saturating_sub(1)].iter().collect();
    static PAREN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[（(][^）)]{0,4}[）)]").unwrap());
    PAREN.replace_all(&quoted, "").to_string()
}

/// "A、B、C分别为a、b、c": the names of such a list, handed out one per number. `names` holds
/// those not yet used, last first.
#[derive(Debug, Default)]
pub struct Respectively {
    names: Vec<String>,
}

impl Respectively {
    /// The label of the number at `mstart` whose clause is `clause`: the next name of the
    /// list, when the clause opens one ("…分别为") or continues it (an empty clause).
    pub fn label(&mut self, chars: &[char], s: usize, mstart: usize, clause: &Clause) -> String {
        let raw = &clause.label;
        if !(raw.contains("分别") || (!self.names.is_empty() && raw.trim().is_empty())) {
            return raw.clone();
        }
        if self.names.is_empty() {
            let mut c2 = clause.start;
            while c2 > 0 && !matches!(chars[s + c2 - 1], '，' | '。' | '；' | '：') {
                c2 -= 1;
            }
            let head: String = chars[s + c2..s + mstart].iter().collect();
            if let Some(h) = head.split("分别").next() {
                self.names = h
                    .split(['、', '和', '及'])
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect();
                self.names.reverse();
            }
        }
        self.names.pop().unwrap_or_else(|| raw.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The label of each number (given by its first character) of a sentence.
    fn labels(sentence: &str, numbers: &[&str]) -> Vec<String> {
        let chars: Vec<char> = sentence.chars().collect();
        let mut prev_end = 0;
        let mut list = Respectively::default();
        let mut out = Vec::new();
        for n in numbers {
            let byte = sentence.find(n).unwrap();
            let start = sentence[..byte].chars().count();
            let c = before(&chars, 0, start, prev_end);
            out.push(list.label(&chars, 0, start, &c));
            prev_end = start + n.chars().count();
        }
        out
    }

    #[test]
    fn clause_shapes() {
        let table: &[(&str, &[&str], &[&str])] = &[
            (
                "基本支出60万元，项目支出40万元",
                &["60", "40"],
                &["基本支出", "项目支出"],
            ),
            ("因公出国（境）费1.2万元", &["1.2"], &["因公出国（境）费"]),
            // A parenthesis inside the clause is part of the label.
            (
                "工资福利支出(人员支出)3265013元",
                &["3265013"],
                &["工资福利支出(人员支出)"],
            ),
            (
                "“职业年金缴费支出（项）”257.14万元",
                &["257.14"],
                &["“职业年金缴费支出（项）”"],
            ),
            ("公用经费（10.5万元）", &["10.5"], &["公用经费"]),
            (
                "资产总额、负债总额分别为100万元、40万元",
                &["100", "40"],
                &["资产总额", "负债总额"],
            ),
        ];
        for (sentence, numbers, want) in table {
            assert_eq!(labels(sentence, numbers), *want, "{sentence}");
        }
    }
}
