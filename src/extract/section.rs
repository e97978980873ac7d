//! The section a figure stands in: the enumerated headings above it (第三部分, then 一、,
//! （一）, 1. and （1） inside one another), and what they say about its figures: whose they
//! are (the department's, a subordinate unit's, a project's or a classification item's),
//! which fund they count, and which quantity a generic label ("2026年预算数") under a
//! heading such as "（一）因公出国（境）费用。" is of.

use super::number::UnitClass;
use super::patterns::Patterns;
use super::vocab::{fund_of, is_item_subject, noun_of, Fund, Phase};

/// What a heading says about the figures under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingKind {
    /// A part of the report (收支总体情况, “三公”经费预算情况说明): the department's figures.
    Topic,
    /// A quantity the report breaks down (基本支出, 因公出国（境）费用, 机关运行经费): generic
    /// labels under it are of that quantity.
    Quantity,
    /// A unit of the department (深圳市生态环境局（本级）, a 下属单位): the unit's figures.
    Entity,
    /// A project, a classification item or an indicator: the item's figures.
    Item,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub noun: String,
    pub kind: HeadingKind,
    /// For a quantity: what it is measured in.
    pub class: Option<UnitClass>,
    pub fund: Option<Fund>,
}

/// The headings open at the current place of the document, outermost first.
#[derive(Debug, Default)]
pub struct Sections {
    stack: Vec<Heading>,
}

/// The level of an enumerator at the start of a line, and where the text after it starts
/// (characters): 第一部分 0, 一、 1, （一） 2, 1. 1、 3, （1） 4.
pub fn enumerator(text: &str) -> Option<(u8, usize)> {
    let cs: Vec<char> = text.chars().collect();
    let lead = cs.iter().take_while(|c| c.is_whitespace()).count();
    let cs = &cs[lead..];
    let cn = |c: &char| "一二三四五六七八九十".contains(*c);
    let digits = |from: usize| cs[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let run = |from: usize| cs[from..].iter().take_while(|c| cn(c)).count();
    if cs.first() == Some(&'第') {
        let n = run(1);
        let rest: String = cs.get(1 + n..(3 + n).min(cs.len()))?.iter().collect();
        if n > 0 && (rest.starts_with("部分") || rest.starts_with('章')) {
            let skip = 1 + n + if rest.starts_with('章') { 1 } else { 2 };
            return Some((0, lead + skip));
        }
        return None;
    }
    if matches!(cs.first(), Some('（' | '(')) {
        let n = run(1);
        if n > 0 && matches!(cs.get(1 + n), Some('）' | ')')) {
            return Some((2, lead + n + 2));
        }
        let d = digits(1);
        if d > 0 && matches!(cs.get(1 + d), Some('）' | ')')) {
            return Some((4, lead + d + 2));
        }
        return None;
    }
    let n = run(0);
    if n > 0 && matches!(cs.get(n), Some('、')) {
        return Some((1, lead + n + 1));
    }
    let d = digits(0);
    if d > 0 && d <= 2 {
        match cs.get(d) {
            Some('、') => return Some((3, lead + d + 1)),
            // "3.39万元" is a number, "2.公务接待费" an item.
            Some('.' | '．') if !cs.get(d + 1).is_some_and(|c| c.is_ascii_digit()) => {
                return Some((3, lead + d + 1))
            }
            _ => {}
        }
    }
    None
}

/// The level and the number of an enumerator ("（三）" → (2, 3), "12、" → (3, 12)).
pub fn enumerated(text: &str) -> Option<(u8, u32)> {
    let (level, start) = enumerator(text)?;
    let head: String = text.trim_start().chars().take(start).collect();
    let digits: String = head.chars().filter(char::is_ascii_digit).collect();
    let numerals: String = head
        .chars()
        .filter(|c| "一二三四五六七八九十".contains(*c))
        .collect();
    let n = if !digits.is_empty() {
        digits.parse().ok()?
    } else {
        super::number::parse_chinese(&numerals)? as u32
    };
    Some((level, n))
}

/// Words of a heading about a part of the report rather than a thing.
const TOPIC_WORDS: &[&str] = &[
    "情况", "说明", "概况", "职能", "职责", "机构", "名词", "解释", "总体", "公开", "目录", "附件",
    "附表", "其他", "部分", "报告", "分析", "评价", "措施", "问题", "建议", "结论", "依据", "主要",
    "任务", "目标", "构成", "范围", "要求", "设置", "表格", "文字",
];

/// How the name of a project, an indicator or a fund item ends.
const ITEM_ENDS: &[&str] = &["项目", "专项", "工程", "专项资金", "指标", "经费"];

/// The end of the name of an organisation.
const ORG_ENDS: &[&str] = &[
    "局",
    "委员会",
    "委",
    "办公室",
    "办",
    "中心",
    "院",
    "所",
    "站",
    "队",
    "处",
    "馆",
    "校",
    "会",
    "社",
    "署",
    "厅",
    "公司",
    "集团",
    "本级",
    "（本级）",
    "(本级)",
];

impl Sections {
    /// Reads a paragraph's start: an enumerator closes the sections of its level and
    /// below, and a heading (an enumerator followed by a short text without amounts, ended
    /// by 。 ： or the line) opens one. Returns the heading when there is one.
    pub fn observe(&mut self, text: &str, patterns: &Patterns) -> Option<&Heading> {
        let Some((level, start)) = enumerator(text) else {
            return self.observe_unnumbered(text, patterns);
        };
        self.stack.retain(|h| h.level < level);
        let body: String = text.chars().skip(start).collect();
        let head = heading_part(&body);
        let has_amount = super::sentence::NUMBER.is_match(&head);
        if head.is_empty() || head.chars().count() > 40 || has_amount {
            return None;
        }
        let (kind, class) = classify(&head, patterns);
        self.stack.push(Heading {
            level,
            noun: noun_of(&head),
            fund: fund_of(&head),
            text: head,
            kind,
            class,
        });
        self.stack.last()
    }

    /// A heading whose number was lost: a part of the report closes every section but the
    /// 第X部分 one; a quantity opens a section inside the current one.
    fn observe_unnumbered(&mut self, text: &str, patterns: &Patterns) -> Option<&Heading> {
        // The title of a report on one project, attached to the department's
        // ("2024年度全国信访信息系统维护费项目绩效评价报告"): all of it is the project's.
        let t = text.trim();
        if t.chars().count() <= 50 && t.ends_with("报告") && names_a_project(t) {
            self.stack.clear();
            self.stack.push(Heading {
                level: 0,
                noun: noun_of(t),
                fund: None,
                text: t.to_string(),
                kind: HeadingKind::Item,
                class: None,
            });
            return self.stack.last();
        }
        let head = unnumbered_heading(text)?;
        let (kind, class) = classify(head, patterns);
        let level = match kind {
            HeadingKind::Topic if TOPIC_WORDS.iter().any(|w| head.contains(w)) => 1,
            HeadingKind::Quantity => 5,
            _ => return None,
        };
        self.stack.retain(|h| h.level < level);
        self.stack.push(Heading {
            level,
            noun: noun_of(head),
            fund: fund_of(head),
            text: head.to_string(),
            kind,
            class,
        });
        self.stack.last()
    }

    /// The unit or item the current section is about, when it is not the department.
    pub fn scope(&self) -> Option<&Heading> {
        self.stack
            .iter()
            .rev()
            .find(|h| matches!(h.kind, HeadingKind::Entity | HeadingKind::Item))
    }

    /// The quantity a generic label of this class in the current section is of.
    pub fn quantity(&self, class: UnitClass) -> Option<&str> {
        match self.stack.last() {
            Some(h) if h.kind == HeadingKind::Quantity && h.class == Some(class) => Some(&h.noun),
            _ => None,
        }
    }

    /// The fund the current section counts, from its innermost heading that names one.
    pub fn fund(&self) -> Option<Fund> {
        self.stack.iter().rev().find_map(|h| h.fund)
    }

    /// The innermost heading.
    pub fn current(&self) -> Option<&Heading> {
        self.stack.last()
    }
}

/// What a heading is about: a measure the patterns know, then a part of the report, a unit,
/// an item; a part of the report when nothing says otherwise.
/// A heading's kind, and for a quantity the unit class its pattern measures.
fn classify(head: &str, patterns: &Patterns) -> (HeadingKind, Option<UnitClass>) {
    // Fifteen pattern lookups per heading, and headings repeat across a corpus: remember
    // them per thread and pattern set.
    type Memo = std::collections::HashMap<(u64, String), (HeadingKind, Option<UnitClass>)>;
    thread_local! {
        static KINDS: std::cell::RefCell<Memo> = std::cell::RefCell::new(Memo::new());
    }
    let key = (patterns.id(), head.to_string());
    if let Some(k) = KINDS.with(|m| m.borrow().get(&key).copied()) {
        return k;
    }
    let k = classify_uncached(head, patterns);
    KINDS.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= 20_000 {
            m.clear();
        }
        m.insert(key, k);
    });
    k
}

fn classify_uncached(head: &str, patterns: &Patterns) -> (HeadingKind, Option<UnitClass>) {
    let noun = noun_of(head);
    let phases = [
        None,
        Some(Phase::Budget),
        Some(Phase::Final),
        Some(Phase::Initial),
        Some(Phase::Total),
    ];
    let classes = [UnitClass::Money, UnitClass::Percent, UnitClass::People];
    let known = classes.into_iter().find(|&c| {
        !noun.is_empty()
            && phases
                .iter()
                .any(|&p| patterns.key_for(head, &noun, c, p).is_some())
    });
    let t = head.trim_end_matches(['。', '；', ' ']);
    let department = ["部门", "整体", "本单位", "本部门"]
        .iter()
        .any(|w| t.contains(w));
    // "重点支出和重大投资项目情况说明" is about particular projects.
    let particular = ["重点", "重大"].iter().any(|w| t.contains(w))
        && ["项目", "支出"].iter().any(|w| t.contains(w));
    let kind = if known.is_some() {
        HeadingKind::Quantity
    } else if is_item_subject(t)
        || !department
            && (ITEM_ENDS.iter().any(|e| t.ends_with(e)) || particular || names_a_project(t))
    {
        HeadingKind::Item
    } else if TOPIC_WORDS.iter().any(|w| t.contains(w)) {
        HeadingKind::Topic
    } else if ORG_ENDS.iter().any(|e| t.ends_with(e)) {
        HeadingKind::Entity
    } else {
        HeadingKind::Topic
    };
    (kind, known)
}

/// The heading at the start of an enumerated line: up to its first 。 or ：, or, when the
/// sentence runs on without one ("（四）财政拨款收支预算情况的总体说明（详见表4）2026年财政
/// 拨款收支总预算…"), up to a （详见…） reference or a 说明/情况 followed by a number.
fn heading_part(body: &str) -> String {
    let head = body.split(['。', '：', ':']).next().unwrap_or("").trim();
    if !super::sentence::NUMBER.is_match(head) {
        return head.to_string();
    }
    for open in ["（详见", "（见", "(详见", "(见"] {
        if let Some(k) = head.find(open) {
            if let Some(close) = head[k..].find(['）', ')']) {
                let end = k + close + head[k + close..].chars().next().map_or(0, char::len_utf8);
                return head[..end].trim().to_string();
            }
        }
    }
    for word in ["情况说明", "说明", "情况"] {
        if let Some(k) = head.find(word) {
            let end = k + word.len();
            if head[end..].starts_with(|c: char| c.is_ascii_digit()) {
                return head[..end].to_string();
            }
        }
    }
    head.to_string()
}

/// Whether a heading names a particular project: "信访研究宣传立法专项项目综述", "资产运行维护
/// 项目绩效自评综述" (a name of two or more characters before 项目/专项/工程), not a category
/// ("专项资金使用情况", "项目支出").
fn names_a_project(t: &str) -> bool {
    let cs: Vec<char> = t.chars().collect();
    ["项目", "专项", "工程"].iter().any(|w| {
        let w: Vec<char> = w.chars().collect();
        (2..cs.len().saturating_sub(1)).any(|k| {
            cs[k..].starts_with(&w)
                && cs[k - 2..k].iter().all(|c| is_han(*c))
                && !["支出", "资金", "经费", "预算"]
                    .iter()
                    .any(|n| cs[k + 2..].iter().collect::<String>().starts_with(n))
        })
    })
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// A line that stands alone as a heading without an enumerator (its number lost in the
/// copy): short, no amounts, no punctuation.
fn unnumbered_heading(text: &str) -> Option<&str> {
    let t = text.trim();
    let n = t.chars().count();
    let plain = !t
        .chars()
        .any(|c| c.is_ascii_digit() || "。，；：,;:！？、".contains(c) || c.is_ascii_punctuation());
    ((2..=25).contains(&n) && plain).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumerators() {
        let table: &[(&str, Option<(u8, usize)>)] = &[
            ("第三部分 部门预算支出具体情况", Some((0, 4))),
            ("一、深圳市生态环境局（本级）", Some((1, 2))),
            ("（一）因公出国（境）费用。", Some((2, 3))),
            ("(2)公务接待费", Some((4, 3))),
            ("1.信访研究宣传立法专项", Some((3, 2))),
            ("12、住房保障支出（类）", Some((3, 3))),
            ("3.39万元", None),
            ("2026年预算", None),
            ("第一次会议", None),
        ];
        for (s, want) in table {
            assert_eq!(enumerator(s), *want, "{s}");
        }
    }

    #[test]
    fn enumerated_numbers() {
        assert_eq!(enumerated("（三）公务用车"), Some((2, 3)));
        assert_eq!(enumerated("12、住房保障支出"), Some((3, 12)));
        assert_eq!(enumerated("十一、其他"), Some((1, 11)));
        assert_eq!(enumerated("第二部分"), Some((0, 2)));
    }

    #[test]
    fn inline_headings() {
        assert_eq!(
            heading_part(
                "财政拨款收支预算情况的总体说明（详见表4）2026年财政拨款收支总预算91万元。"
            ),
            "财政拨款收支预算情况的总体说明（详见表4）"
        );
        assert_eq!(
            heading_part("一般公共预算基本支出情况说明2026年基本支出82万元，其中"),
            "一般公共预算基本支出情况说明"
        );
        assert_eq!(
            heading_part("因公出国（境）费用。2026年预算数12万元"),
            "因公出国（境）费用"
        );
    }

    #[test]
    fn heading_kinds() {
        let p = Patterns::builtin();
        let table = [
            ("因公出国（境）费用", HeadingKind::Quantity),
            ("基本支出", HeadingKind::Quantity),
            ("机关运行经费", HeadingKind::Quantity),
            ("部门预算收支总体情况", HeadingKind::Topic),
            ("财政拨款“三公”经费预算情况", HeadingKind::Topic),
            ("深圳市生态环境局（本级）", HeadingKind::Entity),
            ("深圳市劳动人事争议仲裁院", HeadingKind::Entity),
            ("信访研究宣传立法专项", HeadingKind::Item),
            ("重点支出和重大投资项目情况说明", HeadingKind::Item),
            ("部门专项组织实施情况", HeadingKind::Topic),
            (
                "专项资金（主要指财政资金）实际使用情况分析",
                HeadingKind::Topic,
            ),
            ("产出指标", HeadingKind::Item),
            ("信访研究宣传立法专项项目综述", HeadingKind::Item),
            ("资产运行维护项目绩效自评综述", HeadingKind::Item),
            ("项目决策情况", HeadingKind::Topic),
            ("一般公共预算项目支出情况", HeadingKind::Topic),
            (
                "社会保障和就业支出（类）行政事业单位养老支出（款）",
                HeadingKind::Item,
            ),
            ("突出抓企业培育", HeadingKind::Topic),
        ];
        for (h, want) in table {
            assert_eq!(classify(h, &p).0, want, "{h}");
        }
    }

    #[test]
    fn sections_nest_and_close() {
        let p = Patterns::builtin();
        let mut s = Sections::default();
        s.observe("第三部分 部门预算支出具体情况", &p);
        s.observe("一、深圳市某局（本级）", &p);
        assert_eq!(s.scope().unwrap().text, "深圳市某局（本级）");
        // An enumerated sentence with amounts is no heading, but stays in its section.
        assert!(s
            .observe("（一）在职人员经费6,011.73万元，主要是工资。", &p)
            .is_none());
        assert!(s.scope().is_some());
        s.observe("第四部分 政府采购预算情况", &p);
        assert!(s.scope().is_none());
        s.observe("一、一般公共预算财政拨款支出情况", &p);
        assert_eq!(s.fund(), Some(Fund::General));
        s.observe("（一）因公出国（境）费用。2026年预算数12万元。", &p);
        assert_eq!(s.quantity(UnitClass::Money), Some("因公出国（境）费用"));
        s.observe("3、预算完成率。年初预算12万元。", &p);
        assert_eq!(s.quantity(UnitClass::Money), None);
    }
}
