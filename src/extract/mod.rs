//! Extraction: every number with a unit, its label, key, qualifiers and place; claimed rates;
//! count claims; tables as logical rows; metadata; and the part–whole groups that the text
//! states ("总额X，其中：A a，B b").
//!
//! Extraction never fails: it returns what it found plus problems.

pub mod number;
pub mod patterns;
pub mod segment;

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::model::{Block, Document, Span, Table};
use number::{normalize, parse_cell, parse_chinese, parse_decimal, unit, Unit, UnitClass};
pub use patterns::{Pattern, Patterns};
use segment::Segmenter;

/// A figure: a number with a unit, what it is a number of, and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub key: Option<String>,
    pub label: String,
    /// The noun of the label: phase, generic and organisation words removed.
    pub noun: String,
    /// Plain decimal as written: separators removed, decimals kept, sign applied.
    pub value: String,
    pub dec: Decimal,
    pub unit: String,
    pub class: UnitClass,
    pub value_wan: Option<Decimal>,
    pub phase: Option<String>,
    pub qualifiers: Vec<String>,
    pub year: Option<i32>,
    /// Where the number is written (characters of `Document::text`).
    pub span: Span,
    /// The sentence (or table row) it stands in.
    pub context: (usize, usize),
    pub table: Option<CellPos>,
    pub pattern: Option<String>,
    /// The decimals the figure is stated to: those written, or more where its neighbours
    /// (the amounts of its sentence, or of its table column) are written with more. "222万元"
    /// beside "1045.63万元" is 222.00, not 222 ± 0.5.
    pub precision: u32,
}

impl Figure {
    /// Decimals as written.
    pub fn decimals(&self) -> u32 {
        number::decimals(&self.value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellPos {
    pub table: usize,
    /// Index into the logical rows of [`TableX::rows`].
    pub row: usize,
    pub column: usize,
}

/// A claimed rate: a percentage figure with the figures its sentence names.
#[derive(Debug, Clone, PartialEq)]
pub struct Rate {
    pub figure: usize,
    pub operands: Vec<usize>,
}

/// "设17个科室：A、B…" or "A、B等2个县".
#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    pub noun: String,
    pub count: u32,
    pub unit: String,
    pub items: Vec<String>,
    pub span: Span,
    pub context: (usize, usize),
}

/// A total and the parts the text or a table says make it up.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub total: usize,
    pub parts: Vec<usize>,
    /// Whether the parts are known to be all of the total (基本+项目, a 合计 row), so that a
    /// shortfall is an error and not an unlisted remainder.
    pub complete: bool,
    pub source: GroupSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupSource {
    Text,
    TableRow,
    TableColumn,
}

/// A table as logical rows: a row that holds two records side by side is split.
#[derive(Debug, Clone, PartialEq)]
pub struct TableX {
    pub index: usize,
    pub title: Option<String>,
    pub columns: Vec<String>,
    pub header_rows: usize,
    pub line: usize,
    pub page: Option<u32>,
    pub rows: Vec<TRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TRow {
    pub label: Option<String>,
    pub code: Option<String>,
    pub line: usize,
    pub page: Option<u32>,
    pub cells: Vec<String>,
    /// Figure index per cell, for numeric cells.
    pub figures: Vec<Option<usize>>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub title: Option<String>,
    pub department: Option<String>,
    pub year: Option<i32>,
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    pub meta: Meta,
    pub figures: Vec<Figure>,
    pub rates: Vec<Rate>,
    pub counts: Vec<Count>,
    pub tables: Vec<TableX>,
    pub groups: Vec<Group>,
    pub problems: Vec<String>,
}

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<num>[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[+-]?\d+(?:\.\d+)?)
        [\ \n]*
        (?P<unit>亿元|万元|千元|元|个百分点|%|人|名|个|家|辆|项|户|分)
        |百分之(?P<cnpct>[零一二两三四五六七八九十百]+)
        |(?P<cn>[零〇一二两三四五六七八九十百千]{2,}|两)(?P<cnunit>人|名|个|家|辆|项)",
    )
    .unwrap()
});

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:(19|20)?(\d\d))年(?:度)?(?:末|底)?").unwrap());
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{1,2}月(?:\d{1,2}日)?|截[止至]|[至到]?(?:年底|年末)").unwrap());
static ORG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[我本](?:单位|中心|部门|局|办|委|院|所|校|会|站|队|厅|馆)|局本级|本级|单位|（[万亿千]?元）|\([万亿千]?元\)|（%）|\(%\)|（人）|（类）|（款）|（项）|\(类\)|\(款\)|\(项\)")
        .unwrap()
});
static PHASE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"预算数|决算数|调整数|执行数|安排数|上年|去年|上一年|年初|年中|全年|调整后|调整|追加|调增|调减|决算|实际|预算|安排|执行|完成|批复")
        .unwrap()
});
static GENERIC_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"总额|合计|小计|金额|数额|总数|本年度|本年|当年|年末|年度|日常|情况|[“”\x22‘’「」『』/\s]|^其中|^共|为$|^经")
        .unwrap()
});

/// Characters that end a clause: a label never reaches back past one.
fn is_boundary(c: char) -> bool {
    matches!(
        c,
        '，' | ','
            | '。'
            | '；'
            | ';'
            | '：'
            | ':'
            | '、'
            | '（'
            | '('
            | '）'
            | ')'
            | '！'
            | '？'
            | '\t'
            | '|'
    )
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？')
}

/// The phase a label states: what stage of the budget cycle its figure belongs to.
pub fn phase_of(s: &str) -> Option<&'static str> {
    // 一般公共预算 / 政府性基金预算 / 国有资本经营预算 name funds, not the budget phase.
    let owned;
    let s = if s.contains("公共预算") || s.contains("基金预算") || s.contains("经营预算")
    {
        owned = s
            .replace("一般公共预算", "一般公共")
            .replace("政府性基金预算", "政府性基金")
            .replace("国有资本经营预算", "国有资本经营");
        owned.as_str()
    } else {
        s
    };
    if s.contains("上年") || s.contains("去年") || s.contains("上一年") {
        Some("上年")
    } else if s.contains("调整后") {
        Some("全年")
    } else if s.contains("调整")
        || s.contains("追加")
        || s.contains("年中")
        || s.contains("调增")
        || s.contains("调减")
    {
        Some("调整")
    } else if s.contains("年初") {
        Some("年初")
    } else if (s.contains("实际") || s.contains("决算")) && !s.contains("预算") {
        // "全年“三公”经费实际支出": the year's actual spending, not the year's budget.
        Some("决算")
    } else if s.contains("全年") {
        Some("全年")
    } else if s.contains("决算")
        || s.contains("实际")
        || s.contains("执行数")
        || s.contains("支出数")
    {
        Some("决算")
    } else if s.contains("预算") || s.contains("安排") {
        Some("预算")
    } else {
        None
    }
}

/// The noun of a label: what it is a figure of, without its phase, time, organisation and
/// generic words ("2022年我局基本支出全年预算" → "基本支出").
pub fn noun_of(label: &str) -> String {
    // Labels repeat from document to document (table columns, row names, fixed phrasing),
    // and six regex passes per label were a tenth of the run: remember them per thread.
    thread_local! {
        static NOUNS: std::cell::RefCell<std::collections::HashMap<String, String>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if let Some(n) = NOUNS.with(|m| m.borrow().get(label).cloned()) {
        return n;
    }
    let n = noun_of_uncached(label);
    NOUNS.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= 50_000 {
            m.clear();
        }
        m.insert(label.to_string(), n.clone());
    });
    n
}

fn noun_of_uncached(label: &str) -> String {
    let s = YEAR.replace_all(label, "");
    let s = DATE.replace_all(&s, "");
    let s = ORG.replace_all(&s, "");
    let s = PHASE_WORDS.replace_all(&s, "");
    let mut s = GENERIC_WORDS.replace_all(&s, "").to_string();
    static ENUM: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:[一二三四五六七八九十]+、|\d+[、.．])").unwrap());
    s = ENUM.replace(&s, "").to_string();
    for (from, to) in [
        ("总支出", "支出"),
        ("总收入", "收入"),
        ("整体支出", "支出"),
        ("支出支出", "支出"),
        ("收入收入", "收入"),
    ] {
        s = s.replace(from, to);
    }
    loop {
        let before = s.clone();
        for suffix in ["的", "为", "是", "达", "约", "共", "计"] {
            if let Some(t) = s.strip_suffix(suffix) {
                s = t.to_string();
            }
        }
        if s.ends_with('数') && !s.ends_with("人数") {
            s.pop();
        }
        if let Some(t) = s.strip_prefix('总') {
            s = t.to_string();
        }
        if s == before {
            break;
        }
    }
    s
}

/// Cleans the clause before a number into a label.
fn clean_label(raw: &str, seg: &LazySeg) -> String {
    let mut s = raw
        .trim()
        .trim_matches(|c: char| c.is_whitespace())
        .to_string();
    s.retain(|c| c != '\n' && c != '\u{c}');
    for p in [
        "其中",
        "包括",
        "以及",
        "另外",
        "另",
        "及",
        "和",
        "分别为",
        "即",
    ] {
        if let Some(t) = s.strip_prefix(p) {
            s = t.trim_start_matches(['：', ':']).to_string();
        }
    }
    loop {
        let before = s.len();
        for suffix in [
            "为",
            "是",
            "达到",
            "达",
            "共计",
            "计",
            "约",
            "共",
            "共有",
            "了",
            "实现",
            "累计",
            "合计为",
            "总计为",
            "分别",
            "均",
        ] {
            if s.len() > suffix.len() {
                if let Some(t) = s.strip_suffix(suffix) {
                    // 合计 / 总计 / 小计 are the label's own word, not a verb before the number.
                    if suffix == "计" && t.ends_with(['合', '总', '小']) {
                        continue;
                    }
                    s = t.to_string();
                }
            }
        }
        if s.len() == before {
            break;
        }
    }
    let s = s.trim();
    if s.chars().count() <= 24 {
        return s.to_string();
    }
    seg.get().tail(s, 24)
}

/// The segmenter, built on first need: most labels are short enough to need no cutting, and
/// building jieba's dictionary is most of a single-file run's start-up (~0.1 s).
struct LazySeg<'a> {
    dict: &'a str,
    cell: std::cell::OnceCell<std::sync::Arc<Segmenter>>,
}

impl LazySeg<'_> {
    fn get(&self) -> &Segmenter {
        self.cell.get_or_init(|| Segmenter::shared(self.dict))
    }
}

struct Ctx<'a> {
    patterns: &'a Patterns,
    seg: LazySeg<'a>,
    out: Extraction,
    /// Phase set by the latest heading that names one (预算 / 决算), else by the report kind.
    section_phase: Option<&'static str>,
    doc_phase: Option<&'static str>,
    unit_hint: Option<Unit>,
    money_units: [usize; 4],
    chars: Vec<char>,
    /// The subject of the current paragraph (its first specific money figure's noun).
    topic: String,
    /// The key of the figure that named the subject, if any.
    topic_key: Option<String>,
    /// The subject is an item of the functional classification (…（类）…（项）), which the
    /// following paragraphs go on describing until another subject is named.
    topic_item: bool,
    topic_carried: bool,
    /// Only the first money figure of a paragraph can name its subject.
    topic_closed: bool,
    /// A short line ending in 表 just before a table: its caption.
    caption: Option<String>,
}

/// Extracts everything from a document.
pub fn extract(doc: &Document, patterns: &Patterns) -> Extraction {
    let meta = meta(doc, patterns);
    let doc_phase = match meta.kind.as_deref() {
        Some(k) if k.contains("决算") => Some("决算"),
        Some(k) if k.contains("预算") => Some("预算"),
        _ => None,
    };
    let mut cx = Ctx {
        patterns,
        seg: LazySeg {
            dict: &patterns.dict,
            cell: std::cell::OnceCell::new(),
        },
        out: Extraction {
            meta,
            ..Default::default()
        },
        section_phase: None,
        doc_phase,
        unit_hint: None,
        money_units: [0; 4],
        chars: doc.text.chars().collect(),
        topic: String::new(),
        topic_key: None,
        topic_item: false,
        topic_carried: false,
        topic_closed: false,
        caption: None,
    };
    let blocks = &doc.blocks;
    let mut form = FormState::default();
    let mut carry: Option<String> = None;
    let mut ti = 0;
    for (bi, b) in blocks.iter().enumerate() {
        match b {
            Block::Paragraph(p) => {
                if let Some(u) = unit_line(&p.text) {
                    cx.unit_hint = Some(u);
                }
                let before = cx.out.figures.len();
                cx.topic.clear();
                cx.topic_closed = false;
                // "12、住房保障支出（类）…（项）。" on a line of its own names the subject of
                // the paragraph that follows it.
                cx.topic_key = None;
                cx.topic_item = false;
                cx.topic_carried = false;
                if let Some(t) = carry.take() {
                    cx.topic = t;
                    cx.topic_item = true;
                    cx.topic_carried = true;
                }
                cx.paragraph(&p.text, p.span);
                let tt = p.text.trim();
                // "“三公”经费预算表（万元）": a unit after the caption is the table's.
                let bare = match tt.rfind(['（', '(']) {
                    Some(k) if tt.ends_with(['）', ')']) && unit_in(&tt[k..]).is_some() => {
                        tt[..k].trim_end()
                    }
                    _ => tt,
                };
                cx.caption = (bare.chars().count() <= 30
                    && (bare.ends_with('表') || bare.ends_with("情况")))
                .then(|| tt.to_string());
                carry = if cx.out.figures.len() == before && is_item_subject(&p.text) {
                    Some(noun_of(&p.text))
                } else if cx.out.figures.len() > before && cx.topic_item {
                    Some(cx.topic.clone())
                } else {
                    None
                };
                if cx.out.figures.len() == before && p.text.chars().count() <= 40 {
                    if let Some(ph) = phase_of(&p.text).filter(|p| *p == "预算" || *p == "决算")
                    {
                        cx.section_phase = Some(ph);
                    }
                }
                cx.form_line(&mut form, &blocks[bi..], &p.text, p.span, before);
            }
            Block::Table(t) => {
                form = FormState::default();
                cx.table(ti, t);
                cx.caption = None;
                ti += 1;
            }
        }
    }
    cx.finish()
}

/// A functional-classification item ("住房保障支出（类）…（项）") named as a subject.
fn is_item_subject(s: &str) -> bool {
    ["（类）", "（款）", "（项）", "(类)", "(款)", "(项)"]
        .iter()
        .any(|m| s.contains(m))
}

/// "单位：万元" lines set the unit of the table that follows.
fn unit_line(s: &str) -> Option<Unit> {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"单\s*位\s*[：:]\s*(亿元|万元|千元|元|人)").unwrap());
    RE.captures(s).and_then(|c| unit(&c[1]))
}

impl Ctx<'_> {
    fn default_phase(&self) -> Option<&'static str> {
        self.section_phase.or(self.doc_phase)
    }

    /// Figures of one paragraph, sentence by sentence.
    fn paragraph(&mut self, text: &str, span: Span) {
        let norm = normalize(text);
        let chars: Vec<char> = norm.chars().collect();
        // "1、社会保障和就业支出（类）…（项）。主要用于：…。年初预算为54.53万元" — an item of
        // the functional classification named in a sentence of its own is the subject of the
        // paragraph's figures, which then are the item's, not the department's.
        let first_end = chars
            .iter()
            .position(|&c| is_sentence_end(c))
            .unwrap_or(chars.len());
        let first: String = chars[..first_end].iter().collect();
        if is_item_subject(&first) && !NUMBER.is_match(&first) {
            self.topic = noun_of(&first);
            self.topic_key = None;
            self.topic_item = true;
            self.topic_carried = false;
            self.topic_closed = true;
        }
        let mut s = 0;
        for i in 0..=chars.len() {
            if i == chars.len() || is_sentence_end(chars[i]) {
                if i > s {
                    self.sentence(&chars, s, i, span);
                }
                s = i + 1;
            }
        }
        self.counts(&chars, span);
    }

    fn sentence(&mut self, chars: &[char], s: usize, e: usize, base: Span) {
        let sent: String = chars[s..e].iter().collect();
        // Byte offset → char offset within the sentence.
        let mut b2c = vec![0usize; sent.len() + 1];
        let mut ci = 0;
        for (bi, ch) in sent.char_indices() {
            b2c[bi] = ci;
            ci += 1;
            for k in 1..ch.len_utf8() {
                b2c[bi + k] = ci;
            }
        }
        b2c[sent.len()] = ci;
        let context = (base.start + s, base.start + e);
        let first = self.out.figures.len();
        let mut prev_end = 0usize; // char offset in sentence after the previous match
        let mut topic = std::mem::take(&mut self.topic);
        let mut topic_key = self.topic_key.take();
        let mut inherited: Option<&'static str> = None;
        let mut list_labels: Vec<String> = Vec::new();
        for m in NUMBER.captures_iter(&sent) {
            let whole = m.get(0).unwrap();
            let (mstart, mend) = (b2c[whole.start()], b2c[whole.end()]);
            // Not inside a longer token: "A3级", "2022年12月31" are not figures.
            if mstart > 0 {
                let pc = chars[s + mstart - 1];
                if pc.is_ascii_alphanumeric() || pc == '.' || pc == '第' || pc == '〔' || pc == '['
                {
                    continue;
                }
            }
            let (value, dec, unit_s, num_span) = if let Some(n) = m.name("num") {
                let u = m.name("unit").unwrap().as_str();
                // 分 followed by 钟/之/析… is not a score.
                if u == "分" {
                    let next = chars.get(s + mend).copied().unwrap_or(' ');
                    if "钟之析别配类布解管局支期批级值数".contains(next) {
                        continue;
                    }
                }
                let Some((v, d)) = parse_decimal(n.as_str()) else {
                    continue;
                };
                (v, d, u, (b2c[n.start()], b2c[n.end()]))
            } else if let Some(n) = m.name("cnpct") {
                let Some(v) = parse_chinese(n.as_str()) else {
                    continue;
                };
                (v.to_string(), Decimal::from(v), "%", (mstart, mend))
            } else if let Some(n) = m.name("cn") {
                if n.as_str().chars().any(|c| "千".contains(c)) && n.as_str().chars().count() == 1
                {
                    continue;
                }
                let Some(v) = parse_chinese(n.as_str()) else {
                    continue;
                };
                (
                    v.to_string(),
                    Decimal::from(v),
                    m.name("cnunit").unwrap().as_str(),
                    (b2c[n.start()], b2c[n.end()]),
                )
            } else {
                continue;
            };
            let Some(u) = unit(unit_s) else { continue };
            // The clause before the number.
            let mut cs = mstart;
            while cs > prev_end {
                let c = chars[s + cs - 1];
                if matches!(c, '）' | ')') && cs >= 2 {
                    // "因公出国（境）费": a parenthesis inside a label is part of it.
                    let mut k = cs - 1;
                    while k > prev_end
                        && !matches!(chars[s + k - 1], '（' | '(' | '，' | '。' | '；')
                    {
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
            let mut raw: String = chars[s + cs..s + mstart].iter().collect();
            let clause_text = raw.clone();
            let direction = direction_of(&raw);
            if raw.trim().is_empty() && cs > 0 && matches!(chars[s + cs - 1], '）' | ')') {
                // "工资福利支出(人员支出)3265013元": the label stands before the parenthesis.
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
                if c2 > 0 {
                    let mut c3 = c2 - 1;
                    while c3 > prev_end && !is_boundary(chars[s + c3 - 1]) {
                        c3 -= 1;
                    }
                    raw = chars[s + c3..s + c2 - 1].iter().collect();
                }
            }
            if raw.trim().trim_end_matches(['”', '"']).is_empty() && raw.contains(['”', '"']) {
                // "“…职业年金缴费支出（项）”257.14万元": the label is the quotation.
                let q_end = s + mstart
                    - raw
                        .chars()
                        .rev()
                        .take_while(|c| *c != '”' && *c != '"')
                        .count();
                let mut q = q_end.saturating_sub(1);
                while q > s && chars[q - 1] != '“' && chars[q - 1] != '"' {
                    q -= 1;
                }
                let quoted: String = chars[q..q_end.saturating_sub(1)].iter().collect();
                static PAREN: LazyLock<Regex> =
                    LazyLock::new(|| Regex::new(r"[（(][^）)]{0,4}[）)]").unwrap());
                raw = PAREN.replace_all(&quoted, "").to_string();
            }
            if raw.trim().is_empty() && cs > 0 && matches!(chars[s + cs - 1], '（' | '(') {
                // "A（a）": the label stands before the parenthesis.
                let mut c2 = cs - 1;
                while c2 > 0 && !is_boundary(chars[s + c2 - 1]) {
                    c2 -= 1;
                }
                raw = chars[s + c2..s + cs - 1].iter().collect();
            }
            // "A、B、C分别为a、b、c".
            if raw.contains("分别") || (!list_labels.is_empty() && raw.trim().is_empty()) {
                if list_labels.is_empty() {
                    let mut c2 = cs;
                    while c2 > 0 && !matches!(chars[s + c2 - 1], '，' | '。' | '；' | '：') {
                        c2 -= 1;
                    }
                    let head: String = chars[s + c2..s + mstart].iter().collect();
                    if let Some(h) = head.split("分别").next() {
                        list_labels = h
                            .split(['、', '和', '及'])
                            .map(|x| x.trim().to_string())
                            .filter(|x| !x.is_empty())
                            .collect();
                        list_labels.reverse();
                    }
                }
                if let Some(l) = list_labels.pop() {
                    raw = l;
                }
            }
            let mut label = clean_label(&raw, &self.seg);
            let local_phase = phase_of(&label);
            // "占总支出的45.69%": the subject is the figure before it.
            let mut operands_hint = None;
            if label.starts_with('占') || label.starts_with("比重") {
                if let Some(pi) = (first..self.out.figures.len())
                    .rev()
                    .find(|&i| self.out.figures[i].class != UnitClass::Percent)
                {
                    label = format!("{}{}", self.out.figures[pi].label, label);
                    operands_hint = Some(pi);
                }
            }
            let own_noun = noun_of(&label);
            let mut noun = own_noun.clone();
            let mut fallback_noun = None;
            let generic = matches!(own_noun.as_str(), "" | "支出" | "收入");
            let mut unkeyable = false;
            if generic && !topic.is_empty() {
                // "基本支出全年预算a，决算支出b": b is of the paragraph's subject. When no
                // pattern knows that subject (an item such as 职业年金), b gets no key; when the
                // subject was itself a general figure (部门预算), b stands alone.
                if u.class != UnitClass::Percent {
                    noun = if topic.ends_with(&own_noun) {
                        topic.clone()
                    } else {
                        format!("{topic}{own_noun}")
                    };
                }
                // Rates named only by their kind (完成…预算的, 执行率) are the subject's, not
                // the department's, unless the subject is the department's budget itself.
                let general = topic_key.as_deref().is_some_and(|k| {
                    matches!(
                        k,
                        "budget.initial"
                            | "budget.total"
                            | "budget.adjustment"
                            | "final.expenditure"
                            | "final.income"
                    )
                });
                if topic_key.is_some() && u.class != UnitClass::Percent {
                    fallback_noun = Some(own_noun.clone());
                } else if u.class != UnitClass::Percent
                    || !general
                        && (label.contains("完成")
                            || label.starts_with("预算执行率")
                            || label == "执行率")
                {
                    unkeyable = true;
                }
            }
            // A figure whose label says neither what nor which phase is not a key's figure.
            if generic && local_phase.is_none() && u.class == UnitClass::Money {
                unkeyable = true;
            }
            let sets_topic = !self.topic_closed
                && (topic.is_empty() || self.topic_carried)
                && !generic
                && u.class == UnitClass::Money;
            let names_item = is_item_subject(&clause_text);
            if u.class == UnitClass::Money {
                self.topic_closed = true;
                self.topic_carried = false;
            }
            let phase = match local_phase {
                Some(p) => Some(p),
                None => inherited.or(self.default_phase()),
            };
            if let Some(p) = local_phase {
                if p != "上年" {
                    inherited = Some(p);
                }
            }
            let year = year_of(&raw);
            // "满意度在90%以上" is a target, "约5万元" an approximation: not claims.
            let after: String = chars[(s + mend).min(e)..(s + mend + 2).min(e)]
                .iter()
                .collect();
            let threshold = ["以上", "以下", "左右", "以内", "上下"]
                .iter()
                .any(|w| after.starts_with(w))
                || [
                    "不低于",
                    "不超过",
                    "超过",
                    "低于",
                    "高于",
                    "达到",
                    "未达",
                    "不足",
                    "大于",
                    "小于",
                ]
                .iter()
                .any(|w| raw.trim_end().ends_with(w));
            let start = base.start + s + num_span.0;
            let end = base.start + s + num_span.1;
            let line = self.line_at(start, base);
            let sign_neg = direction == Some(false);
            let mut qualifiers: Vec<String> =
                phase.map(|p| vec![p.to_string()]).unwrap_or_default();
            if threshold {
                qualifiers.push("阈值".to_string());
            }
            if let Some(d) = direction {
                qualifiers.push(if d { "增加" } else { "减少" }.to_string());
            }
            let _ = sign_neg;
            let idx = self.push_figure(FigureInput {
                label,
                noun,
                value,
                dec,
                unit: u,
                phase,
                qualifiers,
                year,
                span: Span {
                    start,
                    end,
                    line,
                    page: base.page,
                },
                context,
                table: None,
                text_source: true,
                fallback_noun,
                threshold: threshold || unkeyable,
            });
            if sets_topic {
                topic = own_noun.clone();
                topic_key = self.out.figures[idx].key.clone();
                self.topic_item = names_item;
            }
            if let Some(pi) = operands_hint {
                if self.out.figures[idx].class == UnitClass::Percent {
                    self.out.rates.push(Rate {
                        figure: idx,
                        operands: vec![pi],
                    });
                }
            }
            prev_end = mend;
        }
        self.topic = topic;
        self.topic_key = topic_key;
        self.sentence_relations(first, chars, s);
    }

    fn line_at(&self, start: usize, base: Span) -> usize {
        // Paragraphs of text files may span lines: count the newlines before the figure.
        let extra = self.chars[base.start.min(self.chars.len())..start.min(self.chars.len())]
            .iter()
            .filter(|&&c| c == '\n')
            .count();
        base.line + extra
    }

    /// Rates named in a sentence, and "总额X，其中：A a，B b" groups.
    fn sentence_relations(&mut self, first: usize, chars: &[char], s: usize) {
        let n = self.out.figures.len();
        for i in first..n {
            let f = &self.out.figures[i];
            if f.class != UnitClass::Percent
                || self.out.rates.iter().any(|r| r.figure == i)
                || f.qualifiers.iter().any(|q| q == "阈值")
            {
                continue;
            }
            let is_rate = f
                .key
                .as_deref()
                .is_some_and(|k| k.starts_with("rate.") || k.starts_with("share."))
                || f.label.contains('率')
                || f.label.contains('占')
                || f.label.contains("完成")
                || f.label.contains("比重");
            if is_rate {
                // The figures a rate rests on stand after the previous rate of its sentence:
                // "…69.26%，其中：…决算为37.35万元，完成预算的71.28%" names only 37.35.
                let from = (first..i)
                    .rev()
                    .find(|&j| self.out.figures[j].class == UnitClass::Percent)
                    .map_or(first, |j| j + 1);
                let operands = (from..i)
                    .filter(|&j| self.out.figures[j].class != UnitClass::Percent)
                    .collect();
                self.out.rates.push(Rate {
                    figure: i,
                    operands,
                });
            }
        }
        // 其中 groups: a figure followed (in the same sentence) by "其中" and parts.
        let _ = (chars, s);
        for i in first..n {
            let fi = &self.out.figures[i];
            if fi.class == UnitClass::Percent || fi.class == UnitClass::Points || i + 1 >= n {
                continue;
            }
            let between = self.slice(fi.span.end, self.out.figures[i + 1].span.start);
            let paren = between
                .trim_start_matches(|c: char| !matches!(c, '（' | '(' | '，' | '：' | '；'))
                .starts_with(['（', '(']);
            if !(between.contains("其中") || between.contains("包括") || paren) {
                continue;
            }
            let total_phase = fi.phase.clone();
            let class = fi.class;
            let mut parts = Vec::new();
            let mut depth = 0i32;
            for j in i + 1..n {
                let fj = &self.out.figures[j];
                if fj.class != class {
                    continue;
                }
                // Text between the previous figure and this one decides nesting.
                let prev = &self.out.figures[j - 1];
                let gap = self.slice(prev.span.end, fj.span.start);
                depth += gap.matches(['（', '(']).count() as i32
                    - gap.matches(['）', ')']).count() as i32;
                if paren && j == i + 1 {
                    depth = 0;
                }
                if depth > 0 && !paren {
                    continue;
                }
                if paren && gap.contains(['）', ')']) {
                    break;
                }
                // A new phase (年中调整…, 决算…) ends the parts of a total of another phase.
                let own = phase_of(&fj.label);
                if own.is_some()
                    && own.map(str::to_string) != total_phase
                    && !fj.label.contains(&fi.noun)
                {
                    break;
                }
                if gap.contains("其中") && !parts.is_empty() {
                    break;
                }
                // "比2024年预算减少990万元" compares; it is not a part.
                if fj
                    .qualifiers
                    .iter()
                    .any(|q| q == "增加" || q == "减少" || q == "上年")
                    || fj.label.contains('比')
                {
                    continue;
                }
                parts.push(j);
            }
            if parts.len() >= 2 {
                let complete = complete_set(&self.out.figures, &parts);
                self.out.groups.push(Group {
                    total: i,
                    parts,
                    complete,
                    source: GroupSource::Text,
                });
            }
        }
    }

    fn slice(&self, a: usize, b: usize) -> String {
        let n = self.chars.len();
        self.chars[a.min(n)..b.min(n).max(a.min(n))]
            .iter()
            .collect()
    }

    fn push_figure(&mut self, f: FigureInput) -> usize {
        let value_wan = (f.unit.class == UnitClass::Money).then(|| {
            let mut d = f.dec;
            let e = f.unit.wan_exp;
            let ten = Decimal::from(10);
            for _ in 0..e.unsigned_abs() {
                d = if e > 0 { d * ten } else { d / ten };
            }
            d
        });
        if let Some(k) = ["元", "千元", "万元", "亿元"]
            .iter()
            .position(|u| *u == f.unit.text)
        {
            self.money_units[k] += 1;
        }
        let other_year = match (f.year, self.out.meta.year) {
            (Some(y), Some(r)) => y != r,
            _ => false,
        };
        let prior = f.phase == Some("上年") || f.qualifiers.iter().any(|q| q == "上年");
        let mut pattern = None;
        let mut key = None;
        let changed = f.qualifiers.iter().any(|q| q == "增加" || q == "减少");
        if !f.threshold
            && !changed
            && !other_year
            && !prior
            && !f.noun.contains("增加")
            && !f.noun.contains("减少")
            && !f.noun.contains("增长")
            && !f.noun.contains("下降")
        {
            // A table column headed only 预算数 may hold the initial or the adjusted budget, so
            // it keys only figures whose patterns do not tell those two apart (三公经费预算).
            let bare_budget = !f.text_source && f.phase == Some("预算");
            let stage_free = |p: &&Pattern| {
                !bare_budget
                    || p.phase.iter().any(|ph| ph == "全年")
                        && p.phase.iter().any(|ph| ph == "年初")
            };
            let found = self
                .patterns
                .key_for(&f.label, &f.noun, f.unit.class, f.phase)
                .filter(stage_free)
                .or_else(|| {
                    f.fallback_noun.as_ref().and_then(|n| {
                        self.patterns
                            .key_for(&f.label, n, f.unit.class, f.phase)
                            .filter(stage_free)
                    })
                });
            if let Some(p) = found {
                key = Some(p.key.clone());
                pattern = Some(p.id.clone());
            }
        }
        self.out.figures.push(Figure {
            key,
            label: f.label,
            noun: f.noun,
            value: f.value,
            dec: f.dec,
            unit: f.unit.text.to_string(),
            class: f.unit.class,
            value_wan,
            phase: f.phase.map(str::to_string),
            qualifiers: f.qualifiers,
            year: f.year,
            span: f.span,
            context: f.context,
            table: f.table,
            pattern,
            precision: 0,
        });
        self.out.figures.len() - 1
    }

    /// Count claims of one paragraph.
    fn counts(&mut self, chars: &[char], base: Span) {
        let text: String = chars.iter().collect();
        let mut b2c = Vec::with_capacity(text.len() + 1);
        for (ci, ch) in text.chars().enumerate() {
            for _ in 0..ch.len_utf8() {
                b2c.push(ci);
            }
        }
        b2c.push(chars.len());
        for p in self.patterns.family("count") {
            let Some(re) = &p.regex else { continue };
            for c in re.captures_iter(&text) {
                let whole = c.get(0).unwrap();
                let ns = c.name("n").unwrap();
                let n = ns
                    .as_str()
                    .parse::<u32>()
                    .ok()
                    .or_else(|| parse_chinese(ns.as_str()).map(|v| v as u32));
                let Some(n) = n else { continue };
                // The noun is the first word(s) after the count: "11个县市区规模…" → 县市区.
                let raw_noun = c.name("noun").map(|m| m.as_str()).unwrap_or_default();
                let noun = if p.key == "before" {
                    let words = self.seg.get().cut(raw_noun);
                    let mut n = String::new();
                    for w in words {
                        n.push_str(w);
                        if n.chars().count() >= 2 {
                            break;
                        }
                    }
                    n
                } else {
                    raw_noun.to_string()
                };
                let (ws, we) = (b2c[whole.start()], b2c[whole.end()]);
                let items: Vec<String> = if p.key == "before" {
                    let mut k = ws;
                    while k > 0 && !matches!(chars[k - 1], '，' | '。' | '；' | '：' | '\n') {
                        k -= 1;
                    }
                    split_items(&chars[k..ws].iter().collect::<String>())
                } else {
                    let mut k = we;
                    while k < chars.len() && !matches!(chars[k], '。' | '；' | '\n') {
                        k += 1;
                    }
                    split_items(&chars[we..k].iter().collect::<String>())
                };
                if items.is_empty() {
                    continue;
                }
                let start = base.start + b2c[ns.start()];
                let end = base.start + b2c[ns.end()];
                let line = self.line_at(start, base);
                self.out.counts.push(Count {
                    noun,
                    count: n,
                    unit: "个".into(),
                    items,
                    span: Span {
                        start,
                        end,
                        line,
                        page: base.page,
                    },
                    context: (base.start, base.end),
                });
            }
        }
    }

    /// Tables: logical rows, numeric cells as figures, and the sums their structure states.
    fn table(&mut self, index: usize, t: &Table) {
        let w = t.width();
        // A header that repeats (序号, 名称, 预算, 决算, 序号, 名称, 预算, 决算) holds several
        // records per row.
        let mut groups = 1;
        for g in [2, 3] {
            if w >= 2 * g && w.is_multiple_of(g) {
                let gw = w / g;
                let first = &t.columns[..gw];
                if first.iter().any(|c| !c.is_empty())
                    && (1..g).all(|k| t.columns[k * gw..(k + 1) * gw] == *first)
                {
                    groups = g;
                    break;
                }
            }
        }
        let gw = w / groups;
        // A caption may stand in the line before the table instead of in its first row.
        let caption = t.title.clone().or_else(|| self.caption.take());
        let title_unit = caption.as_deref().and_then(unit_in);
        let title_topic = caption
            .as_deref()
            .map(|s| noun_of(&s.replace('表', "")))
            .unwrap_or_default();
        let title_phase = caption.as_deref().and_then(phase_of);
        let mut x = TableX {
            index,
            title: t.title.clone(),
            columns: t.columns[..gw].to_vec(),
            header_rows: t.header_rows,
            line: t.line,
            page: t.page,
            rows: Vec::new(),
        };
        for g in 0..groups {
            for row in t.body() {
                let cells = &row.cells[g * gw..((g + 1) * gw).min(row.cells.len())];
                if cells.iter().all(|c| c.is_blank()) {
                    continue;
                }
                let mut label = None;
                let mut code = None;
                for c in cells {
                    let tx = c.text.trim();
                    if tx.is_empty() {
                        continue;
                    }
                    if parse_cell(tx).is_some() {
                        if tx.chars().all(|ch| ch.is_ascii_digit())
                            && label.is_none()
                            && code.is_none()
                        {
                            code = Some(tx.to_string());
                            continue;
                        }
                        break;
                    }
                    label = Some(match label {
                        Some(l) => format!("{l} {tx}"),
                        None => tx.to_string(),
                    });
                }
                // Split classification codes ("201 06 01 行政运行") belong to the code.
                if let Some(l) = label.clone() {
                    let mut digits: String = code.clone().unwrap_or_default();
                    let mut rest = l.as_str();
                    while let Some((head, tail)) = rest.split_once(' ') {
                        if !head.is_empty()
                            && head.chars().all(|c| c.is_ascii_digit())
                            && head.len() <= 4
                        {
                            digits.push_str(head);
                            rest = tail.trim_start();
                        } else {
                            break;
                        }
                    }
                    if rest.len() < l.len() {
                        code = Some(digits);
                        label = Some(rest.to_string());
                    }
                }
                let ri = x.rows.len();
                let mut figs = Vec::with_capacity(cells.len());
                let row_noun = label.as_deref().map(noun_of).unwrap_or_default();
                let is_total_row = label
                    .as_deref()
                    .is_some_and(|l| l.contains("合计") || l.contains("总计"));
                for (ci, c) in cells.iter().enumerate() {
                    let tx = c.text.trim();
                    let col = x.columns.get(ci).cloned().unwrap_or_default();
                    let Some((v, d, pct)) = parse_cell(tx) else {
                        figs.push(None);
                        continue;
                    };
                    // An integer followed by a name is a classification code ("30201 基本工资").
                    let names_next = cells.get(ci + 1).is_some_and(|n| {
                        let n = n.text.trim();
                        !n.is_empty() && parse_cell(n).is_none()
                    });
                    let code_like = tx.chars().all(|ch| ch.is_ascii_digit()) && names_next;
                    if c.merged_from.is_some()
                        || code_like
                        || (code.as_deref() == Some(tx) && label.is_some())
                        || col.contains("序号")
                        || col.contains("编码")
                        || col.contains("代码")
                    {
                        figs.push(None);
                        continue;
                    }
                    let u = if pct {
                        unit("%")
                    } else {
                        unit_in(&col)
                            .or(title_unit)
                            .or(self.unit_hint)
                            .or_else(|| self.dominant_money(&col, label.as_deref()))
                    };
                    let Some(u) = u else {
                        figs.push(None);
                        continue;
                    };
                    // An opening balance row (年初结转和结余) is of its own phase whatever the column.
                    let row_phase = label
                        .as_deref()
                        .and_then(phase_of)
                        .filter(|p| *p == "年初" || *p == "上年");
                    let col_phase = row_phase
                        .or_else(|| phase_of(&col))
                        .or_else(|| label.as_deref().and_then(phase_of))
                        .or(title_phase);
                    let full_label = match &label {
                        Some(l) if !col.is_empty() => format!("{l}/{col}"),
                        Some(l) => l.clone(),
                        None => col.clone(),
                    };
                    // The caption's topic qualifies a row unless the row names it already
                    // (基本支出合计 in a 基本支出表).
                    let row_label = label.as_deref().unwrap_or("");
                    let own = noun_of(&format!("{row_label}{col}"));
                    let topic_named = title_topic.is_empty() || own.contains(&title_topic);
                    let noun = if topic_named {
                        own.clone()
                    } else {
                        noun_of(&format!("{title_topic}{row_label}{col}"))
                    };
                    let year = year_of(&col);
                    // Only cells under a labelled column get a key, and rates only on total rows.
                    let keyable = !col.is_empty()
                        && (u.class != UnitClass::Percent || row_noun.is_empty() || is_total_row);
                    let span = c.span;
                    let idx = self.push_figure(FigureInput {
                        label: full_label.clone(),
                        noun: if keyable {
                            noun
                        } else {
                            format!("表格单元格{}", noun)
                        },
                        value: v,
                        dec: d,
                        unit: u,
                        phase: col_phase,
                        qualifiers: col_phase.map(|p| vec![p.to_string()]).unwrap_or_default(),
                        year,
                        span,
                        context: (
                            row.cells
                                .first()
                                .map(|c| c.span.start)
                                .unwrap_or(span.start),
                            row.cells.last().map(|c| c.span.end).unwrap_or(span.end),
                        ),
                        table: Some(CellPos {
                            table: index,
                            row: ri,
                            column: ci,
                        }),
                        text_source: false,
                        // A named item row keeps its own name when the caption's topic, put
                        // before it, makes no known noun (公务接待费 in a 三公经费 table).
                        fallback_noun: (!topic_named
                            && !is_total_row
                            && keyable
                            && !row_noun.is_empty())
                        .then_some(own),
                        threshold: false,
                    });
                    if !keyable {
                        self.out.figures[idx].noun = noun_of(&full_label);
                        // Rates per row keep their label but not the document-level key.
                        if self.out.figures[idx]
                            .key
                            .as_deref()
                            .is_some_and(|k| k.starts_with("rate.") || k.starts_with("share."))
                        {
                            self.out.figures[idx].key = None;
                            self.out.figures[idx].pattern = None;
                        }
                    }
                    figs.push(Some(idx));
                }
                x.rows.push(TRow {
                    label,
                    code,
                    line: row.line,
                    page: row.page,
                    cells: cells.iter().map(|c| c.text.clone()).collect(),
                    figures: figs,
                });
            }
        }
        self.table_groups(&x);
        self.out.tables.push(x);
    }

    /// The unit of money the document mostly writes, for table columns that say none.
    fn dominant_money(&self, col: &str, row: Option<&str>) -> Option<Unit> {
        let money_words = [
            "预算", "决算", "支出", "收入", "经费", "资金", "金额", "拨款",
        ];
        let ctx = format!("{col}{}", row.unwrap_or(""));
        if !money_words.iter().any(|w| ctx.contains(w)) {
            return None;
        }
        let (k, n) = self
            .money_units
            .iter()
            .enumerate()
            .max_by_key(|(_, n)| **n)?;
        if *n == 0 {
            return None;
        }
        unit(["元", "千元", "万元", "亿元"][k])
    }

    /// Sums a table's structure states: a 合计 column is the sum of its group's other
    /// columns; a 合计 row is the sum of the rows above it at the top level.
    fn table_groups(&mut self, x: &TableX) {
        let cols = &x.columns;
        // Columns: group by the top label ("年初预算数（万元）/合计" with its siblings).
        for (ci, c) in cols.iter().enumerate() {
            let last = c.rsplit('/').next().unwrap_or("");
            if !(last.contains("合计") || last.contains("小计")) {
                continue;
            }
            let top = &c[..c.len() - last.len()];
            let Some(sibs) = direct_parts(cols, ci, top, |k| {
                x.rows
                    .iter()
                    .any(|r| r.figures.get(k).copied().flatten().is_some())
            }) else {
                continue;
            };
            if sibs.len() < 2 {
                continue;
            }
            for r in &x.rows {
                let Some(total) = r.figures.get(ci).copied().flatten() else {
                    continue;
                };
                let parts: Vec<usize> = sibs
                    .iter()
                    .filter_map(|&k| r.figures.get(k).copied().flatten())
                    .collect();
                if parts.len() == sibs.len() {
                    self.out.groups.push(Group {
                        total,
                        parts,
                        complete: true,
                        source: GroupSource::TableRow,
                    });
                }
            }
        }
        // Tables whose header was lost (text copied from a PDF) still show their arithmetic:
        // when, row after row, the first amount is the sum of the others, that is the table's
        // rule, and a row that breaks it is a finding (a total beside parts that miss a digit).
        let before = self.out.groups.len();
        let row_sums = self.out.groups[..before]
            .iter()
            .any(|g| g.source == GroupSource::TableRow);
        if !row_sums {
            let money_row = |r: &TRow| -> Vec<usize> {
                r.figures
                    .iter()
                    .flatten()
                    .copied()
                    .filter(|&i| self.out.figures[i].class == UnitClass::Money)
                    .collect()
            };
            let rows: Vec<Vec<usize>> = x
                .rows
                .iter()
                .map(money_row)
                .filter(|f| f.len() >= 3)
                .collect();
            let holds = |f: &[usize]| {
                let t = self.out.figures[f[0]].dec;
                let sum: Decimal = f[1..].iter().map(|&i| self.out.figures[i].dec).sum();
                (t - sum).abs() <= Decimal::new(1, 2)
            };
            let agree = rows.iter().filter(|f| holds(f)).count();
            if agree >= 3 && agree * 2 > rows.len() {
                for f in rows {
                    self.out.groups.push(Group {
                        total: f[0],
                        parts: f[1..].to_vec(),
                        complete: true,
                        source: GroupSource::TableRow,
                    });
                }
            }
        }
        // Rows: a 合计 row against the top-level rows above it.
        for (ri, r) in x.rows.iter().enumerate() {
            let Some(l) = &r.label else { continue };
            if !(l.contains("合计") || l.contains("总计")) || ri == 0 {
                continue;
            }
            let above: Vec<&TRow> = x.rows[..ri]
                .iter()
                .filter(|o| {
                    !o.label
                        .as_deref()
                        .is_some_and(|l| l.contains("合计") || l.contains("总计"))
                })
                .collect();
            // Classification codes nest (201 ⊃ 20105 ⊃ 2010505): then only the top level adds
            // up to the total. Item numbers (1, 2, … 23) do not nest.
            let codes: Vec<&String> = above.iter().filter_map(|o| o.code.as_ref()).collect();
            let nested = codes.iter().any(|a| {
                codes
                    .iter()
                    .any(|b| b.len() > a.len() + 1 && b.starts_with(a.as_str()))
            });
            let min_code = if nested {
                codes.iter().map(|c| c.len()).min()
            } else {
                None
            };
            // Enumerated labels nest too (一、 ⊃ （一） ⊃ 1、): the top level adds up.
            let level_of = |l: &str| -> Option<u8> {
                let c: Vec<char> = l.trim().chars().take(4).collect();
                let cn = |ch: &char| "一二三四五六七八九十".contains(*ch);
                if c.first().is_some_and(cn) && c.contains(&'、') {
                    Some(1)
                } else if matches!(c.first(), Some('（' | '(')) && c.get(1).is_some_and(cn) {
                    Some(2)
                } else if c.first().is_some_and(|ch| ch.is_ascii_digit())
                    && c.iter().any(|ch| matches!(ch, '、' | '.' | '．'))
                {
                    Some(3)
                } else {
                    None
                }
            };
            let levels: Vec<Option<u8>> = above
                .iter()
                .map(|o| o.label.as_deref().and_then(level_of))
                .collect();
            let top_level = levels.iter().flatten().min().copied();
            let above: Vec<&TRow> = match top_level {
                Some(t) if levels.iter().flatten().any(|l| *l != t) => above
                    .into_iter()
                    .zip(&levels)
                    .filter(|(_, l)| **l == Some(t))
                    .map(|(o, _)| o)
                    .collect(),
                _ => above,
            };
            let top: Vec<&TRow> = above
                .into_iter()
                .filter(|o| match (min_code, &o.code) {
                    (Some(m), Some(c)) => c.len() == m,
                    (Some(_), None) => false,
                    _ => true,
                })
                .collect();
            if top.len() < 2 {
                continue;
            }
            let mut candidates = Vec::new();
            for (ci, tf) in r.figures.iter().enumerate() {
                let Some(total) = *tf else { continue };
                if self.out.figures[total].class == UnitClass::Percent {
                    continue;
                }
                let parts: Vec<usize> = top
                    .iter()
                    .filter_map(|o| o.figures.get(ci).copied().flatten())
                    .collect();
                // Every row above must state the column (blank cells count as zero rows).
                let stated = top
                    .iter()
                    .filter(|o| {
                        o.figures.get(ci).copied().flatten().is_some()
                            || !o.cells.get(ci).is_some_and(|c| c.trim().is_empty())
                    })
                    .count();
                // A sum that is a whole multiple of the total counts a hierarchy twice: the
                // rows are not a flat list (not checked, rather than a false alarm).
                let sum: Decimal = parts.iter().map(|&p| self.out.figures[p].dec).sum();
                let t = self.out.figures[total].dec;
                let multiple = t > Decimal::ZERO && {
                    let k = (sum / t).round();
                    k >= Decimal::TWO && ((sum - k * t).abs() * Decimal::from(200) <= t)
                };
                // Far more than the total: the rows above are not a flat list of its parts.
                let far = sum > t * Decimal::new(15, 1);
                if parts.len() >= 2 && parts.len() == stated {
                    let scale = parts
                        .iter()
                        .chain([&total])
                        .map(|&p| self.out.figures[p].dec.scale())
                        .max()
                        .unwrap_or(0);
                    let adds_up = (t - sum).abs() <= Decimal::new(parts.len() as i64, scale);
                    candidates.push((total, parts, multiple || far, adds_up));
                }
            }
            // A column that adds up shows the rows above are a flat list of parts; then a
            // column far off its total is a wrong figure (a stray digit), not a hierarchy.
            let flat = candidates.iter().any(|c| c.3);
            for (total, parts, suspicious, _) in candidates {
                if flat || !suspicious {
                    self.out.groups.push(Group {
                        total,
                        parts,
                        complete: true,
                        source: GroupSource::TableColumn,
                    });
                }
            }
        }
    }

    /// Forms written one cell per line: a label line, then its value line; or a run of
    /// column labels, a row label and its values.
    fn form_line(
        &mut self,
        st: &mut FormState,
        here: &[Block],
        text: &str,
        span: Span,
        figs_before: usize,
    ) {
        let t = text.trim();
        let is_value = t.is_empty() || t == "/" || parse_cell(t).is_some();
        if is_value
            && figs_before != self.out.figures.len()
            && (st.row.is_some() || !st.labels.is_empty())
        {
            // "100.00%" alone on a line is a form cell: its label is the form's, not the line's.
            self.out.figures.truncate(figs_before);
            self.out.rates.retain(|r| r.figure < figs_before);
        }
        if figs_before != self.out.figures.len() && !is_value {
            *st = FormState::default();
            return;
        }
        if !is_value {
            let label_like = t.chars().count() <= 30 && !t.ends_with('。');
            if st.in_values {
                st.labels.clear();
                st.in_values = false;
                st.slot = 0;
            }
            if label_like {
                st.labels.push(t.to_string());
            } else {
                *st = FormState::default();
            }
            return;
        }
        // A value line.
        if !st.in_values {
            st.in_values = true;
            st.slot = 0;
            // How many value lines follow, this one included.
            let run = here
                .iter()
                .take_while(|b| match b {
                    Block::Paragraph(p) => {
                        let t = p.text.trim();
                        t.is_empty() || t == "/" || parse_cell(t).is_some()
                    }
                    _ => false,
                })
                .count();
            if let Some(row) = st.labels.pop() {
                st.row = Some(row);
                if !st.labels.is_empty() {
                    let mut cols = std::mem::take(&mut st.labels);
                    // A leading group label ("年度预算数(万元)") spans the columns below it.
                    while cols.len() > run && cols.first().is_some_and(|c| unit_in(c).is_some()) {
                        st.group_unit = unit_in(&cols[0]);
                        cols.remove(0);
                    }
                    st.columns = cols;
                } else if run <= 1 {
                    st.columns.clear();
                }
            }
        }
        let slot = st.slot;
        st.slot += 1;
        let Some((v, d, pct)) = parse_cell(t) else {
            return;
        };
        let Some(row) = st.row.clone() else { return };
        if figs_before != self.out.figures.len() {
            return;
        }
        let col = if st.columns.is_empty() {
            None
        } else {
            Some(st.columns.clone())
        };
        let label = match &col {
            Some(cols) => {
                let c = cols.get(slot).cloned().unwrap_or_default();
                if c.is_empty() {
                    row.clone()
                } else {
                    format!("{row}/{c}")
                }
            }
            None => {
                if slot > 0 {
                    return;
                }
                row.clone()
            }
        };
        let col_text = label.rsplit('/').next().unwrap_or("").to_string();
        let u = if pct {
            unit("%")
        } else {
            unit_in(&label)
                .or_else(|| st.columns.iter().find_map(|c| unit_in(c)))
                .or(st.group_unit)
                .or_else(|| {
                    // Headcount and score labels carry their unit in the noun.
                    let n = noun_of(&label);
                    if n.contains("编制") || n.contains("人数") || n.contains("在职") {
                        unit("人")
                    } else if n.ends_with("得分") {
                        unit("分")
                    } else {
                        None
                    }
                })
        };
        let Some(u) = u else { return };
        let phase = phase_of(&col_text).or_else(|| phase_of(&row));
        let noun = noun_of(&label);
        let line = span.line;
        self.push_figure(FigureInput {
            label,
            noun,
            value: v,
            dec: d,
            unit: u,
            phase,
            qualifiers: phase.map(|p| vec![p.to_string()]).unwrap_or_default(),
            year: None,
            span: Span {
                start: span.start + (text.chars().count() - text.trim_start().chars().count()),
                end: span.start
                    + (text.chars().count() - text.trim_start().chars().count())
                    + t.chars().count(),
                line,
                page: span.page,
            },
            context: (span.start, span.end),
            table: None,
            text_source: true,
            fallback_noun: None,
            threshold: false,
        });
        let f = self.out.figures.len() - 1;
        if u.class == UnitClass::Percent {
            self.out.rates.push(Rate {
                figure: f,
                operands: Vec::new(),
            });
        }
    }

    fn finish(mut self) -> Extraction {
        let mut best: std::collections::HashMap<(usize, usize, usize), u32> = Default::default();
        let peer = |f: &Figure| match f.table {
            Some(c) => (1, c.table, c.column),
            None => (0, f.context.0, f.context.1),
        };
        for f in &self.out.figures {
            if f.class == UnitClass::Money {
                let e = best.entry(peer(f)).or_default();
                *e = (*e).max(f.decimals());
            }
        }
        for f in &mut self.out.figures {
            f.precision = f.decimals();
            if f.class == UnitClass::Money {
                f.precision = f.precision.max(best.get(&peer(f)).copied().unwrap_or(0));
            }
        }
        // A rate's operands: where its sentence names none, the keyed figures its definition
        // uses are found by the checks; here only same-sentence figures are recorded.
        self.out.rates.sort_by_key(|r| r.figure);
        self.out.rates.dedup_by_key(|r| r.figure);
        self.out
    }
}

#[derive(Default)]
struct FormState {
    labels: Vec<String>,
    columns: Vec<String>,
    row: Option<String>,
    in_values: bool,
    slot: usize,
    group_unit: Option<Unit>,
}

struct FigureInput {
    label: String,
    noun: String,
    value: String,
    dec: Decimal,
    unit: Unit,
    phase: Option<&'static str>,
    qualifiers: Vec<String>,
    year: Option<i32>,
    span: Span,
    context: (usize, usize),
    table: Option<CellPos>,
    text_source: bool,
    /// The label's own noun, tried when the sentence's subject fits no pattern.
    fallback_noun: Option<String>,
    /// A target or bound ("90%以上"), not a stated value: never keyed.
    threshold: bool,
}

/// The columns that a 合计/小计 column at `ci` (under the header prefix `top`) sums: each
/// direct child of `top` stands for itself, or by its own 小计/合计 when it splits further
/// ("“三公”经费/小计" for the 三公 group). None when a child cannot be summed that way.
fn direct_parts(
    cols: &[String],
    ci: usize,
    top: &str,
    has_figures: impl Fn(usize) -> bool,
) -> Option<Vec<usize>> {
    // Two columns with one label mean a header row was not read as one: undecidable.
    let group: Vec<&String> = cols.iter().filter(|o| o.starts_with(top)).collect();
    if group
        .iter()
        .enumerate()
        .any(|(i, a)| group[i + 1..].contains(a))
    {
        return None;
    }
    let mut children: Vec<&str> = Vec::new();
    for (k, o) in cols.iter().enumerate() {
        if k == ci || !o.starts_with(top) || o.len() == top.len() {
            continue;
        }
        let child = o[top.len()..].split('/').next().unwrap_or("");
        if child.is_empty() || children.contains(&child) {
            continue;
        }
        // Ratios, item numbers and empty columns are not parts of a sum.
        if child.contains('率') || child.contains('占') || child.contains("序号") {
            continue;
        }
        children.push(child);
    }
    let mut out = Vec::new();
    for child in children {
        let whole = format!("{top}{child}");
        let exact = cols.iter().position(|o| *o == whole);
        let sub = cols.iter().position(|o| {
            o.starts_with(&whole)
                && o[whole.len()..].trim_start_matches('/').split('/').count() == 1
                && {
                    let l = &o[whole.len()..];
                    l.starts_with('/') && (l.contains("小计") || l.contains("合计"))
                }
        });
        match exact.or(sub) {
            Some(k) if has_figures(k) => out.push(k),
            Some(_) => {}
            None => return None,
        }
    }
    Some(out)
}

fn unit_in(s: &str) -> Option<Unit> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[（(]\s*(亿元|万元|千元|元|%|人)\s*[）)]|单位\s*[：:]\s*(亿元|万元|千元|元)")
            .unwrap()
    });
    RE.captures(s)
        .and_then(|c| c.get(1).or(c.get(2)))
        .and_then(|m| unit(m.as_str()))
}

/// The year a clause names: "2021年" or "22年".
fn year_of(s: &str) -> Option<i32> {
    YEAR.captures_iter(s).last().and_then(|c| {
        let yy: i32 = c.get(2)?.as_str().parse().ok()?;
        let century = c.get(1).map(|m| m.as_str()).unwrap_or("20");
        // A bare two-digit number before 年 that is not a plausible year (5年) is not one.
        Some(century.parse::<i32>().ok()? * 100 + yy)
    })
}

/// 增加/增长 → Some(true); 减少/下降 → Some(false).
fn direction_of(clause: &str) -> Option<bool> {
    let tail: String = clause
        .chars()
        .rev()
        .take(6)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if ["减少", "下降", "降低", "减", "下调", "压减"]
        .iter()
        .any(|w| tail.contains(w))
    {
        Some(false)
    } else if ["增加", "增长", "提高", "上升", "增"]
        .iter()
        .any(|w| tail.contains(w))
    {
        Some(true)
    } else {
        None
    }
}

fn split_items(s: &str) -> Vec<String> {
    static PAREN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[（(][^）)]*[）)]").unwrap());
    let s = PAREN.replace_all(s, "");
    s.split(['、', '，', ',', '；'])
        .map(|x| {
            x.trim()
                .trim_start_matches(['：', ':'])
                .trim_end_matches(['等', '。'])
                .trim()
                .to_string()
        })
        .filter(|x| !x.is_empty() && x.chars().count() <= 40)
        .collect()
}

/// Parts whose nouns form a known complete decomposition.
fn complete_set(figs: &[Figure], parts: &[usize]) -> bool {
    const SETS: &[&[&str]] = &[
        &["基本支出", "项目支出"],
        &["人员经费", "公用经费"],
        &["公务用车", "公务接待"],
        &["因公出国", "公务用车", "公务接待"],
        &["货物", "工程", "服务"],
    ];
    let nouns: Vec<&str> = parts.iter().map(|&i| figs[i].noun.as_str()).collect();
    SETS.iter().any(|set| {
        set.len() == nouns.len() && set.iter().all(|w| nouns.iter().any(|n| n.contains(w)))
    })
}

/// Title, department, year and kind from the opening lines.
fn meta(doc: &Document, patterns: &Patterns) -> Meta {
    let paras: Vec<&str> = doc
        .paragraphs()
        .map(|p| p.text.trim())
        .filter(|t| !t.is_empty())
        .take(20)
        .collect();
    let mut m = Meta::default();
    let kinds: Vec<_> = patterns.family("kind").collect();
    'outer: for i in 0..paras.len() {
        for w in 1..=3 {
            if i + w > paras.len() {
                break;
            }
            let joined: String = paras[i..i + w]
                .concat()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if joined.chars().count() > 80 {
                break;
            }
            if let Some(k) = kinds
                .iter()
                .find(|k| k.regex.as_ref().is_some_and(|r| r.is_match(&joined)))
            {
                if YEAR.is_match(&joined) || w == 3 || i + w == paras.len() {
                    m.title = Some(joined.clone());
                    m.kind = Some(k.key.clone());
                    break 'outer;
                }
            }
        }
    }
    if let Some(t) = &m.title {
        static Y: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(19|20)\d\d").unwrap());
        m.year = Y.find(t).and_then(|y| y.as_str().parse().ok());
        for p in patterns.family("department") {
            if let Some(c) = p.regex.as_ref().and_then(|r| r.captures(t)) {
                if let Some(d) = c.name("dept") {
                    m.department = Some(d.as_str().to_string());
                    break;
                }
            }
        }
    }
    if m.department.is_none() {
        static NAME: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?:部门|单位|部门（单位）|部门\(单位\))名称\s*[：:]\s*(\S+)").unwrap()
        });
        m.department = paras
            .iter()
            .find_map(|p| NAME.captures(p).map(|c| c[1].to_string()));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Format, TextBuilder};

    fn ex(s: &str) -> Extraction {
        let mut b = TextBuilder::new(Format::Html);
        for l in s.lines() {
            b.paragraph(l, None);
        }
        extract(&b.finish(), &Patterns::builtin())
    }

    fn key(e: &Extraction, k: &str) -> Vec<String> {
        e.figures
            .iter()
            .filter(|f| f.key.as_deref() == Some(k))
            .map(|f| f.value.clone())
            .collect()
    }

    #[test]
    fn nouns() {
        assert_eq!(noun_of("2022年我局基本支出全年预算"), "基本支出");
        assert_eq!(noun_of("部门整体决算总支出"), "部门支出");
        assert_eq!(noun_of("“三公经费”预算金额"), "三公经费");
        assert_eq!(noun_of("年初预算支出总额"), "支出");
        assert_eq!(noun_of("编制人数"), "编制人数");
    }

    #[test]
    fn sentence_keys_and_groups() {
        let e = ex("年初预算支出总额100.5万元，其中：基本支出60.5万元（人员经费50万元，公用经费10.5万元）；项目支出40万元。年中调整预算20万元，全年预算总额120.5万元。");
        assert_eq!(key(&e, "budget.initial"), vec!["100.5"]);
        assert_eq!(key(&e, "budget.initial.basic"), vec!["60.5"]);
        assert_eq!(key(&e, "budget.initial.personnel"), vec!["50"]);
        assert_eq!(key(&e, "budget.initial.project"), vec!["40"]);
        assert_eq!(key(&e, "budget.adjustment"), vec!["20"]);
        assert_eq!(key(&e, "budget.total"), vec!["120.5"]);
        let g: Vec<(String, Vec<String>)> = e
            .groups
            .iter()
            .map(|g| {
                (
                    e.figures[g.total].value.clone(),
                    g.parts
                        .iter()
                        .map(|&p| e.figures[p].value.clone())
                        .collect(),
                )
            })
            .collect();
        assert!(
            g.contains(&("100.5".into(), vec!["60.5".into(), "40".into()])),
            "{g:?}"
        );
        assert!(
            g.contains(&("60.5".into(), vec!["50".into(), "10.5".into()])),
            "{g:?}"
        );
    }

    #[test]
    fn respectively_lists_and_units() {
        let e = ex("资产总额、负债总额、净资产分别为100万元、40万元、60万元。收入3,518.85元。");
        assert_eq!(key(&e, "assets.total"), vec!["100"]);
        assert_eq!(key(&e, "liabilities.total"), vec!["40"]);
        assert_eq!(key(&e, "assets.net"), vec!["60"]);
        let f = e.figures.iter().find(|f| f.value == "3518.85").unwrap();
        assert_eq!(f.value_wan.unwrap().to_string(), "0.351885");
    }

    #[test]
    fn other_years_and_prior_are_not_keyed() {
        let e = ex("2020年度某局整体支出绩效自评报告\n2019年年初预算100万元，2020年年初预算120万元，上年预算100万元。");
        assert_eq!(key(&e, "budget.initial"), vec!["120"]);
    }

    #[test]
    fn counts_with_items() {
        let e =
            ex("局机关设3个科室：办公室、财务科、规划科。甲县（5%）、乙县（4%）等2个县增速较高。");
        assert_eq!(e.counts.len(), 2);
        assert_eq!(e.counts[0].items, vec!["办公室", "财务科", "规划科"]);
        assert_eq!(e.counts[1].items, vec!["甲县", "乙县"]);
    }

    #[test]
    fn chinese_numerals_and_percent_words() {
        let e = ex("编制一百零九人，实有九十八人，满意度百分之九十。");
        assert_eq!(key(&e, "staff.authorized"), vec!["109"]);
        assert_eq!(key(&e, "staff.actual"), vec!["98"]);
        assert_eq!(key(&e, "rate.satisfaction"), vec!["90"]);
    }
}
