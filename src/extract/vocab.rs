//! The domain's words: budget phases, change directions, and the functions that turn a
//! clause into a label and a label into its noun. Pure functions, tested as tables.

use std::sync::LazyLock;

use regex::Regex;

use super::number::{unit, Unit};
use super::segment::LazySegmenter;

/// The stage of the budget cycle a figure belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Phase {
    /// 年初: the budget as approved at the start of the year.
    Initial,
    /// 调整: the adjustment during the year (追加, 调增, 年中).
    Adjustment,
    /// 全年: the year's budget after adjustment.
    Total,
    /// 决算: what was actually spent or received.
    Final,
    /// 预算 without saying which stage.
    Budget,
    /// 上年: last year's figure, for comparison.
    Prior,
}

impl Phase {
    pub const ALL: [Phase; 6] = [
        Phase::Initial,
        Phase::Adjustment,
        Phase::Total,
        Phase::Final,
        Phase::Budget,
        Phase::Prior,
    ];

    /// The word the output and the pattern files use.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Initial => "年初",
            Phase::Adjustment => "调整",
            Phase::Total => "全年",
            Phase::Final => "决算",
            Phase::Budget => "预算",
            Phase::Prior => "上年",
        }
    }

    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// Which way a stated change goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// 增加 / 增长 / 提高.
    Up,
    /// 减少 / 下降 / 压减.
    Down,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "增加",
            Direction::Down => "减少",
        }
    }
}

/// The source of funds a figure is counted over. A figure that names none is of all funds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fund {
    /// 财政拨款: the three budgets together.
    Appropriation,
    /// 一般公共预算 (财政拨款).
    General,
    /// 政府性基金预算.
    GovernmentFund,
    /// 国有资本经营预算.
    StateCapital,
    /// 单位资金, 非财政拨款: the unit's own revenue.
    Own,
}

impl Fund {
    pub fn as_str(self) -> &'static str {
        match self {
            Fund::Appropriation => "财政拨款",
            Fund::General => "一般公共预算",
            Fund::GovernmentFund => "政府性基金",
            Fund::StateCapital => "国有资本经营",
            Fund::Own => "单位资金",
        }
    }
}

/// The fund a label names, the narrowest first.
pub fn fund_of(s: &str) -> Option<Fund> {
    if s.contains("政府性基金") {
        Some(Fund::GovernmentFund)
    } else if s.contains("国有资本经营") {
        Some(Fund::StateCapital)
    } else if s.contains("一般公共预算") || s.contains("公共财政") {
        Some(Fund::General)
    } else if s.contains("非财政") || s.contains("单位资金") {
        Some(Fund::Own)
    } else if s.contains("财政拨款") {
        Some(Fund::Appropriation)
    } else {
        None
    }
}

pub(crate) static YEAR: LazyLock<Regex> =
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
    Regex::new(r"总金额|支出用途|功能分类|经济分类|功能科目名称|科目名称|项目名称|总额|合计|小计|金额|数额|总数|本年度|本年|当年|年末|年度|日常|情况|[“”\x22‘’「」『』/\s]|^其中|^共|为$|^经")
        .unwrap()
});

/// Characters that end a clause: a label never reaches back past one.
pub fn is_boundary(c: char) -> bool {
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

pub fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？')
}

/// The phase a label states: what stage of the budget cycle its figure belongs to.
pub fn phase_of(s: &str) -> Option<Phase> {
    // Called for every table cell with its row and column labels, which repeat: remember.
    thread_local! {
        static PHASES: std::cell::RefCell<std::collections::HashMap<String, Option<Phase>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if let Some(p) = PHASES.with(|m| m.borrow().get(s).copied()) {
        return p;
    }
    let p = phase_of_uncached(s);
    PHASES.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= 50_000 {
            m.clear();
        }
        m.insert(s.to_string(), p);
    });
    p
}

fn phase_of_uncached(s: &str) -> Option<Phase> {
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
        Some(Phase::Prior)
    } else if s.contains("调整后") {
        Some(Phase::Total)
    } else if s.contains("调整")
        || s.contains("追加")
        || s.contains("年中")
        || s.contains("调增")
        || s.contains("调减")
    {
        Some(Phase::Adjustment)
    } else if s.contains("年初") {
        Some(Phase::Initial)
    } else if (s.contains("实际") || s.contains("决算")) && !s.contains("预算") {
        // "全年“三公”经费实际支出": the year's actual spending, not the year's budget.
        Some(Phase::Final)
    } else if s.contains("全年") {
        Some(Phase::Total)
    } else if s.contains("决算")
        || s.contains("实际")
        || s.contains("执行数")
        || s.contains("支出数")
    {
        Some(Phase::Final)
    } else if s.contains("预算") || s.contains("安排") {
        Some(Phase::Budget)
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

/// Cleans the clause before a number into a label: connectives in front and verbs behind
/// removed, long clauses cut to their last words.
pub fn clean_label(raw: &str, seg: &LazySegmenter) -> String {
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

/// A functional-classification item ("住房保障支出（类）…（项）") named as a subject.
pub fn is_item_subject(s: &str) -> bool {
    ["（类）", "（款）", "（项）", "(类)", "(款)", "(项)"]
        .iter()
        .any(|m| s.contains(m))
}

/// "单位：万元" lines set the unit of the table that follows. The colon is sometimes a
/// semicolon (a typing slip, or OCR's reading of a faint colon).
pub fn unit_line(s: &str) -> Option<Unit> {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"单\s*位\s*[：:；;]\s*(亿元|万元|千元|元|人)").unwrap());
    RE.captures(s).and_then(|c| unit(&c[1]))
}

/// The unit a header or caption names: "（万元）", "单位：元".
pub fn unit_in(s: &str) -> Option<Unit> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"[（(]\s*(亿元|万元|千元|元|%|人)\s*[）)]|单位\s*[：:；;]\s*(亿元|万元|千元|元)",
        )
        .unwrap()
    });
    RE.captures(s)
        .and_then(|c| c.get(1).or(c.get(2)))
        .and_then(|m| unit(m.as_str()))
}

/// The year a clause names: "2021年" or "22年".
pub fn year_of(s: &str) -> Option<i32> {
    YEAR.captures_iter(s).last().and_then(|c| {
        let yy: i32 = c.get(2)?.as_str().parse().ok()?;
        let century = c.get(1).map(|m| m.as_str()).unwrap_or("20");
        Some(century.parse::<i32>().ok()? * 100 + yy)
    })
}

/// The direction the end of a clause states: 增加/增长 → Up; 减少/下降 → Down.
pub fn direction_of(clause: &str) -> Option<Direction> {
    let tail: String = clause
        .chars()
        .rev()
        .take(6)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    // 节约 and 超支 state a direction only right before their amount ("比预算节约2万元"), not
    // inside an item's name (节约用水经费).
    let t = tail.trim_end();
    if ["节约", "节约了", "节省", "节省了"]
        .iter()
        .any(|w| t.ends_with(w))
    {
        return Some(Direction::Down);
    }
    if ["超支", "超支了"].iter().any(|w| t.ends_with(w)) {
        return Some(Direction::Up);
    }
    if ["减少", "下降", "降低", "减", "下调", "压减"]
        .iter()
        .any(|w| tail.contains(w))
    {
        Some(Direction::Down)
    } else if ["增加", "增长", "提高", "上升", "增"]
        .iter()
        .any(|w| tail.contains(w))
    {
        Some(Direction::Up)
    } else {
        None
    }
}

/// The items of a list written "A、B、C" or "A，B；C" (parentheses dropped, 等 removed).
pub fn split_items(s: &str) -> Vec<String> {
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

/// Whether nouns make up a known complete decomposition (基本支出 + 项目支出), so that a
/// shortfall is an error and not an unlisted remainder.
pub fn complete_set<'a>(nouns: impl Iterator<Item = &'a str>) -> bool {
    const SETS: &[&[&str]] = &[
        &["基本支出", "项目支出"],
        &["人员经费", "公用经费"],
        &["公务用车", "公务接待"],
        &["因公出国", "公务用车", "公务接待"],
        &["货物", "工程", "服务"],
        // The 项目资金 rows of a 绩效自评表: 年度资金总额 = 其中 these.
        &["财政拨款", "上年结转", "其他资金"],
        &["财政资金", "财政专户", "单位资金", "其他资金"],
    ];
    let nouns: Vec<&str> = nouns.collect();
    SETS.iter().any(|set| {
        set.len() == nouns.len() && set.iter().all(|w| nouns.iter().any(|n| n.contains(w)))
    })
}

/// A label a total row or column carries: 合计, 总计 (小计 only where `subtotal`).
pub fn is_total_label(l: &str, subtotal: bool) -> bool {
    l.contains("合计") || l.contains("总计") || (subtotal && l.contains("小计"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases() {
        let table: &[(&str, Option<Phase>)] = &[
            ("年初预算", Some(Phase::Initial)),
            ("调整后预算", Some(Phase::Total)),
            ("年中追加", Some(Phase::Adjustment)),
            ("全年预算数", Some(Phase::Total)),
            ("全年“三公”经费实际支出", Some(Phase::Final)),
            ("决算支出", Some(Phase::Final)),
            ("执行数", Some(Phase::Final)),
            ("预算安排", Some(Phase::Budget)),
            ("上年决算", Some(Phase::Prior)),
            ("一般公共预算拨款收入", None),
            ("政府性基金预算支出", None),
            ("公务接待费", None),
        ];
        for (s, want) in table {
            assert_eq!(phase_of(s), *want, "{s}");
        }
        for p in Phase::ALL {
            assert_eq!(Phase::parse(p.as_str()), Some(p));
        }
    }

    #[test]
    fn nouns() {
        let table = [
            ("2022年我局基本支出全年预算", "基本支出"),
            ("部门整体决算总支出", "部门支出"),
            ("“三公经费”预算金额", "三公经费"),
            ("年初预算支出总额", "支出"),
            ("编制人数", "编制人数"),
            ("一、工资福利支出", "工资福利支出"),
            ("本单位公用经费", "公用经费"),
        ];
        for (label, noun) in table {
            assert_eq!(noun_of(label), noun, "{label}");
        }
    }

    #[test]
    fn labels() {
        let seg = LazySegmenter::new(crate::extract::patterns::BUILTIN_DICT);
        let table = [
            ("其中：基本支出", "基本支出"),
            ("年初预算为", "年初预算"),
            ("支出合计", "支出合计"),
            ("全年共计", "全年"),
            ("和项目支出分别", "项目支出"),
        ];
        for (raw, label) in table {
            assert_eq!(clean_label(raw, &seg), label, "{raw}");
        }
    }

    #[test]
    fn funds() {
        let table = [
            ("一般公共预算财政拨款支出", Some(Fund::General)),
            ("财政拨款收入支出决算总表", Some(Fund::Appropriation)),
            ("政府性基金预算财政拨款", Some(Fund::GovernmentFund)),
            ("使用非财政拨款结余", Some(Fund::Own)),
            ("本年支出合计", None),
        ];
        for (s, want) in table {
            assert_eq!(fund_of(s), want, "{s}");
        }
    }

    #[test]
    fn directions_years_units() {
        assert_eq!(direction_of("比上年增加"), Some(Direction::Up));
        assert_eq!(direction_of("比上年下降"), Some(Direction::Down));
        assert_eq!(direction_of("比预算节约"), Some(Direction::Down));
        assert_eq!(direction_of("比预算超支"), Some(Direction::Up));
        assert_eq!(direction_of("节约用水经费"), None);
        assert_eq!(direction_of("年初预算"), None);
        assert_eq!(year_of("2021年预算"), Some(2021));
        assert_eq!(year_of("22年"), Some(2022));
        assert_eq!(year_of("预算"), None);
        assert_eq!(unit_in("年初预算数（万元）").map(|u| u.text), Some("万元"));
        assert_eq!(unit_in("单位：元").map(|u| u.text), Some("元"));
        assert_eq!(unit_line("金额单位；万元").map(|u| u.text), Some("万元"));
        assert_eq!(unit_line("单 位：万元").map(|u| u.text), Some("万元"));
        assert!(unit_in("预算数").is_none());
    }

    #[test]
    fn lists_and_sets() {
        assert_eq!(
            split_items("：办公室、财务科（含审计）、规划科等。"),
            ["办公室", "财务科", "规划科"]
        );
        assert!(complete_set(["基本支出", "项目支出"].into_iter()));
        assert!(!complete_set(["基本支出"].into_iter()));
        assert!(is_item_subject("住房保障支出（类）住房改革支出（款）"));
        assert!(!is_item_subject("住房保障支出"));
    }
}
