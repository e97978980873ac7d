//! Writes a corpus of synthetic 部门整体支出绩效自评报告 with known injected errors.
//!
//! `cargo run --release --example gen -- N DIR [--seed S] [--formats txt,docx,html,pdf]`
//!
//! PDFs are written by hand (no writer crate needed): STSong-Light with UniGB-UCS2-H, not
//! embedded, as Java report systems write them, with ruled tables.
//!
//! Every document is drawn from one consistent budget model (exact decimals; rates rounded
//! to two places as the reports round them), written with one of several phrasings per kind
//! of statement and one of several table layouts, then k of its figures are corrupted (k = 0
//! for about a third of the documents). Documents go to `DIR/docs/`; `DIR/truth/NAME.json`
//! records every
//! injected error (kind, key, old and new text, line) and every figure it states (key, value
//! as written, unit, line), so that `examples/score.rs` can measure extraction and checks.
//!
//! The random source is a SplitMix64 seeded per document (seed + index), so document i is the
//! same whatever N is and whichever formats are asked for.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rust_decimal::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::json;

// ---------------------------------------------------------------- randomness

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in lo..=hi.
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 > 1.0 - p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.int(0, xs.len() as i64 - 1) as usize]
    }
    /// An amount in 万元 with two decimals, uniform in lo..hi 万元.
    fn wan(&mut self, lo: i64, hi: i64) -> Decimal {
        Decimal::new(self.int(lo * 100, hi * 100), 2)
    }
}

// ---------------------------------------------------------------- document model

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Money,
    People,
    Percent,
    Score,
    Count,
}

/// How a figure takes part in the relations a check can test; decides which corruptions
/// are injected into it (a corrupted figure nobody could cross-check would measure nothing).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Stated beside related figures (a part, a stated-twice figure, a rate's operand).
    Related,
    /// A total whose parts are stated beside it (其中 …, a table's 合计).
    Total,
    /// A rate in the numbered list of 有效性分析, one per line.
    ListRate,
    /// A rate stated elsewhere.
    Rate,
    /// The N of "设N个科室：…".
    Count,
    /// A total score stated with its part scores.
    ScoreTotal,
    /// Not corrupted.
    Fixed,
}

struct Slot {
    key: Option<&'static str>,
    class: Class,
    role: Role,
    /// The true value, in the unit written (money: 万元 before formatting to 元).
    value: Decimal,
    text: String,
    unit: &'static str,
    /// For a rate: its value on the base a careless author would use (wrong base).
    alt: Option<Decimal>,
    /// For a count: how many items its list names.
    items: usize,
}

enum Seg {
    Lit(String),
    Slot(usize),
}

struct HCell {
    text: String,
    colspan: usize,
    rowspan: usize,
}

struct Table {
    title: String,
    header: Vec<Vec<HCell>>,
    body: Vec<Vec<Seg>>,
}

enum Block {
    Para(Vec<Seg>),
    Table(Table),
    /// A blank line in text output; nothing in DOCX/HTML.
    Gap,
}

struct Doc {
    blocks: Vec<Block>,
    slots: Vec<Slot>,
    /// 元 or 万元: the unit every amount in this document is written in.
    yuan: bool,
    /// Rates written as "100.00%" rather than "100%" when whole.
    fixed_rates: bool,
}

/// A paragraph under construction: literal text and figures.
struct P(Vec<Seg>);

impl P {
    fn new() -> Self {
        P(Vec::new())
    }
    fn t(mut self, s: &str) -> Self {
        self.0.push(Seg::Lit(s.to_string()));
        self
    }
    fn f(mut self, slot: usize) -> Self {
        self.0.push(Seg::Slot(slot));
        self
    }
}

fn pct(num: Decimal, den: Decimal) -> Decimal {
    if den.is_zero() {
        return Decimal::ZERO;
    }
    (num / den * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

impl Doc {
    fn slot(&mut self, s: Slot) -> usize {
        self.slots.push(s);
        self.slots.len() - 1
    }

    fn money_text(&self, wan: Decimal, table: bool, rng: &mut Rng) -> String {
        if self.yuan {
            let y = (wan * Decimal::from(10000)).round_dp(0);
            if table && rng.chance(0.5) {
                group_thousands(&y.to_string())
            } else {
                y.to_string()
            }
        } else {
            let s = if rng.chance(0.5) {
                wan.normalize().to_string()
            } else {
                format!("{:.2}", wan)
            };
            if table && rng.chance(0.3) {
                group_thousands(&s)
            } else {
                s
            }
        }
    }

    /// A money figure in running text, with its unit.
    fn money(
        &mut self,
        key: Option<&'static str>,
        wan: Decimal,
        role: Role,
        rng: &mut Rng,
    ) -> usize {
        let text = self.money_text(wan, false, rng);
        let unit = if self.yuan { "元" } else { "万元" };
        self.slot(Slot {
            key,
            class: Class::Money,
            role,
            value: wan,
            text,
            unit,
            alt: None,
            items: 0,
        })
    }

    /// A money figure in a table cell: the unit is in the column head.
    fn cell(
        &mut self,
        key: Option<&'static str>,
        wan: Decimal,
        role: Role,
        rng: &mut Rng,
    ) -> usize {
        let text = self.money_text(wan, true, rng);
        let unit = if self.yuan { "元" } else { "万元" };
        self.slot(Slot {
            key,
            class: Class::Money,
            role,
            value: wan,
            text,
            unit,
            alt: None,
            items: 0,
        })
    }

    fn people(&mut self, key: Option<&'static str>, n: i64, role: Role) -> usize {
        self.slot(Slot {
            key,
            class: Class::People,
            role,
            value: Decimal::from(n),
            text: n.to_string(),
            unit: "人",
            alt: None,
            items: 0,
        })
    }

    fn rate_text(&self, v: Decimal) -> String {
        if v.fract().is_zero() && !self.fixed_rates {
            v.trunc().to_string()
        } else {
            format!("{:.2}", v)
        }
    }

    fn rate(&mut self, key: &'static str, v: Decimal, alt: Option<Decimal>, role: Role) -> usize {
        let text = self.rate_text(v);
        self.slot(Slot {
            key: Some(key),
            class: Class::Percent,
            role,
            value: v,
            text,
            unit: "%",
            alt,
            items: 0,
        })
    }

    fn score(&mut self, key: &'static str, v: Decimal, role: Role) -> usize {
        self.slot(Slot {
            key: Some(key),
            class: Class::Score,
            role,
            value: v,
            text: v.normalize().to_string(),
            unit: "分",
            alt: None,
            items: 0,
        })
    }

    fn count(&mut self, n: usize) -> usize {
        self.slot(Slot {
            key: None,
            class: Class::Count,
            role: Role::Count,
            value: Decimal::from(n),
            text: n.to_string(),
            unit: "个",
            alt: None,
            items: n,
        })
    }

    fn para(&mut self, p: P) {
        self.blocks.push(Block::Para(p.0));
    }
    fn text(&mut self, s: &str) {
        self.blocks.push(Block::Para(vec![Seg::Lit(s.to_string())]));
    }
    fn gap(&mut self, rng: &mut Rng) {
        if rng.chance(0.6) {
            self.blocks.push(Block::Gap);
        }
    }
}

fn group_thousands(s: &str) -> String {
    let (int, frac) = match s.find('.') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out + frac
}

// ---------------------------------------------------------------- names

const PLACES: &[&str] = &[
    "青山", "临江", "安平", "永宁", "兴化", "江口", "河西", "云岭", "南湖", "东城", "凤凰", "石门",
    "桃源", "双峰", "新田", "宁远", "长乐", "溪口", "龙泉", "白沙", "平江", "华容", "清水", "金川",
];
const DEPTS: &[&str] = &[
    "发展和改革委员会",
    "教育局",
    "民政局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化旅游广电局",
    "卫生健康委员会",
    "应急管理局",
    "审计局",
    "统计局",
    "医疗保障局",
    "工业和信息化局",
    "机关事务服务中心",
    "人民政府办公室",
    "政务服务中心",
    "林业局",
    "市场监督管理局",
    "退役军人事务局",
    "档案馆服务中心",
];
const OFFICES: &[&str] = &[
    "办公室",
    "综合科",
    "财务科",
    "规划科",
    "政策法规科",
    "人事教育科",
    "督查科",
    "信息科",
    "行政审批服务科",
    "安全生产科",
    "项目管理科",
    "统计分析科",
    "监督检查科",
    "机关党委",
    "宣传科",
    "应急科",
    "法制科",
    "科技科",
    "运行监测科",
    "审计科",
];
const UNITS2: &[&str] = &[
    "信息中心",
    "监测站",
    "执法大队",
    "服务中心",
    "培训中心",
    "事务中心",
    "档案室",
    "研究所",
];

// ---------------------------------------------------------------- the budget model

/// One department's year, all in 万元 (exact to the 分 as reports state them).
struct Model {
    year: i64,
    authorized: i64,
    actual: i64,
    retired: i64,
    personnel: Decimal,
    public: Decimal,
    project: Decimal,
    adj_basic: Decimal,
    adj_project: Decimal,
    fin_basic: Decimal,
    fin_project: Decimal,
    fin_public: Decimal,
    wages: Decimal,
    family: Decimal,
    tp_vehicle_b: Decimal,
    tp_recept_b: Decimal,
    tp_abroad_b: Decimal,
    tp_vehicle_a: Decimal,
    tp_recept_a: Decimal,
    tp_abroad_a: Decimal,
    tp_prev: Decimal,
    proc_b: Decimal,
    proc_a: Decimal,
    assets: Decimal,
    liabilities: Decimal,
    score_common: Decimal,
    score_dept: Decimal,
    satisfaction: Decimal,
}

impl Model {
    fn draw(rng: &mut Rng) -> Model {
        let authorized = rng.int(12, 220);
        let actual = authorized - rng.int(0, authorized / 6);
        let scale = Decimal::from(authorized) / Decimal::from(50);
        let w = |rng: &mut Rng, lo: i64, hi: i64| (rng.wan(lo, hi) * scale).round_dp(2);
        let personnel = w(rng, 300, 700);
        let public = w(rng, 30, 150);
        let project = w(rng, 50, 2000);
        let adj_basic = w(rng, 0, 300);
        let adj_project = w(rng, 0, 1500);
        let fin_public = (public * Decimal::new(rng.int(80, 125), 2)).round_dp(2);
        let fin_personnel = personnel + adj_basic;
        let fin_basic = fin_personnel + fin_public;
        let total_project = project + adj_project;
        let fin_project = if rng.chance(0.5) {
            total_project
        } else {
            (total_project * Decimal::new(rng.int(85, 100), 2)).round_dp(2)
        };
        let wages = (fin_personnel * Decimal::new(rng.int(80, 95), 2)).round_dp(2);
        let family = fin_personnel - wages;
        let tp_vehicle_b = w(rng, 5, 30);
        let tp_recept_b = w(rng, 2, 20);
        let tp_abroad_b = if rng.chance(0.4) {
            w(rng, 1, 10)
        } else {
            Decimal::ZERO
        };
        let part = |rng: &mut Rng, b: Decimal| (b * Decimal::new(rng.int(20, 100), 2)).round_dp(2);
        let tp_vehicle_a = part(rng, tp_vehicle_b);
        let tp_recept_a = part(rng, tp_recept_b);
        let tp_abroad_a = part(rng, tp_abroad_b);
        let tp_b = tp_vehicle_b + tp_recept_b + tp_abroad_b;
        let tp_prev = if rng.chance(0.4) {
            tp_b
        } else {
            part(rng, tp_b * Decimal::new(12, 1))
        };
        let proc_b = w(rng, 10, 200);
        let proc_a = if rng.chance(0.6) {
            proc_b
        } else {
            part(rng, proc_b)
        };
        let liabilities = w(rng, 100, 3000);
        let assets = liabilities + w(rng, 500, 8000);
        let score_common =
            Decimal::from(rng.int(70, 100)) / Decimal::from(if rng.chance(0.2) { 2 } else { 1 });
        let score_dept = Decimal::from(rng.int(80, 100));
        Model {
            year: rng.int(2016, 2024),
            authorized,
            actual,
            retired: rng.int(0, authorized / 3),
            personnel,
            public,
            project,
            adj_basic,
            adj_project,
            fin_basic,
            fin_project,
            fin_public,
            wages,
            family,
            tp_vehicle_b,
            tp_recept_b,
            tp_abroad_b,
            tp_vehicle_a,
            tp_recept_a,
            tp_abroad_a,
            tp_prev,
            proc_b,
            proc_a,
            assets,
            liabilities,
            score_common,
            score_dept,
            satisfaction: Decimal::new(rng.int(8500, 9990), 2),
        }
    }
    fn basic(&self) -> Decimal {
        self.personnel + self.public
    }
    fn initial(&self) -> Decimal {
        self.basic() + self.project
    }
    fn adjustment(&self) -> Decimal {
        self.adj_basic + self.adj_project
    }
    fn total(&self) -> Decimal {
        self.initial() + self.adjustment()
    }
    fn total_basic(&self) -> Decimal {
        self.basic() + self.adj_basic
    }
    fn total_project(&self) -> Decimal {
        self.project + self.adj_project
    }
    fn fin(&self) -> Decimal {
        self.fin_basic + self.fin_project
    }
    fn fin_personnel(&self) -> Decimal {
        self.fin_basic - self.fin_public
    }
    fn tp_b(&self) -> Decimal {
        self.tp_vehicle_b + self.tp_recept_b + self.tp_abroad_b
    }
    fn tp_a(&self) -> Decimal {
        self.tp_vehicle_a + self.tp_recept_a + self.tp_abroad_a
    }
}

// ---------------------------------------------------------------- writing a report

#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// Word's plain-text export: one cell per tab-indented line, blank lines between rows.
    WordExport,
    Tabs,
    Pipes,
}

fn compose(rng: &mut Rng) -> (Doc, String) {
    let m = Model::draw(rng);
    let mut d = Doc {
        blocks: Vec::new(),
        slots: Vec::new(),
        yuan: rng.chance(0.25),
        fixed_rates: rng.chance(0.3),
    };
    let place = format!("{}{}", rng.pick(PLACES), rng.pick(&["市", "县", "区"]));
    let dept_name = rng.pick(DEPTS).to_string();
    let dept = format!("{place}{dept_name}");
    let me = if dept_name.ends_with('局') {
        "局"
    } else if dept_name.ends_with("中心") {
        "中心"
    } else if dept_name.ends_with("委员会") {
        "委"
    } else {
        "单位"
    };
    let y = m.year.to_string();
    let title = match rng.int(0, 2) {
        0 => format!("{y}年度{dept}整体支出绩效自评报告"),
        1 => format!("{y}年度{dept}部门整体支出绩效自评报告"),
        _ => format!("{y}年{dept}部门整体支出绩效评价自评报告"),
    };
    d.text(&title);
    d.gap(rng);
    d.text(&format!("根据{place}财政局关于开展{y}年度部门整体支出绩效自评工作的通知要求，我{me}对部门整体支出进行了绩效评价，现报告如下："));
    d.text("一、部门概况");
    d.gap(rng);

    // Headcounts.
    let a = d.people(Some("staff.authorized"), m.authorized, Role::Related);
    let b = d.people(Some("staff.actual"), m.actual, Role::Related);
    let r = d.people(Some("staff.retired"), m.retired, Role::Fixed);
    let p = match rng.int(0, 2) {
        0 => P::new()
            .t(&format!("截止{y}年12月31日我{me}人员编制数"))
            .f(a)
            .t("人，实际在职人数")
            .f(b)
            .t("人，离退休人员")
            .f(r)
            .t("人。"),
        1 => P::new()
            .t(&format!("本{me}核定编制"))
            .f(a)
            .t("人，年末实有人数")
            .f(b)
            .t("人，另有离退休人员")
            .f(r)
            .t("人。"),
        _ => P::new()
            .t(&format!("{y}年末，我{me}编制人数"))
            .f(a)
            .t("人，在职在编人员")
            .f(b)
            .t("人，退休人数")
            .f(r)
            .t("人。"),
    };
    d.para(p);
    d.gap(rng);

    // Offices: a count claim with its list.
    let n = rng.int(4, 12) as usize;
    let mut offices: Vec<&str> = OFFICES.to_vec();
    for i in 0..offices.len() {
        let j = rng.int(i as i64, offices.len() as i64 - 1) as usize;
        offices.swap(i, j);
    }
    let list = offices[..n].join("、");
    let c = d.count(n);
    let p = match rng.int(0, 2) {
        0 => P::new()
            .t(&format!("{dept}设"))
            .f(c)
            .t(&format!("个科室：{list}。")),
        1 => P::new()
            .t(&format!("我{me}内设"))
            .f(c)
            .t(&format!("个职能科室：{list}。")),
        _ => P::new()
            .t("机关下设")
            .f(c)
            .t(&format!("个内设机构，分别为：{list}。")),
    };
    d.para(p);
    if rng.chance(0.5) {
        let k = rng.int(2, 5) as usize;
        let units: Vec<String> = (0..k)
            .map(|i| format!("{}{}", place, UNITS2[(i * 3 + n) % UNITS2.len()]))
            .collect();
        let c2 = d.count(k);
        d.para(
            P::new()
                .t(&format!("{dept}共有"))
                .f(c2)
                .t(&format!("个二级机构：{}。", units.join("，"))),
        );
    }
    d.gap(rng);

    // Budget with its parts.
    d.text("（二）部门整体支出规模、使用方向和主要内容");
    d.text(&format!("1、{y}年部门预算情况"));
    let init = m.initial();
    match rng.int(0, 2) {
        0 => {
            let i1 = d.money(Some("budget.initial"), init, Role::Related, rng);
            let i2 = d.money(Some("budget.initial"), init, Role::Total, rng);
            let bb = d.money(Some("budget.initial.basic"), m.basic(), Role::Total, rng);
            let bp = d.money(
                Some("budget.initial.personnel"),
                m.personnel,
                Role::Related,
                rng,
            );
            let bu = d.money(Some("budget.initial.public"), m.public, Role::Related, rng);
            let bj = d.money(
                Some("budget.initial.project"),
                m.project,
                Role::Related,
                rng,
            );
            let ad = d.money(
                Some("budget.adjustment"),
                m.adjustment(),
                Role::Related,
                rng,
            );
            let tt = d.money(Some("budget.total"), m.total(), Role::Total, rng);
            d.para(
                P::new()
                    .t(&format!("依据{y}年预算批复，我{me}{y}年年初预算收入"))
                    .f(i1)
                    .t("，均为一般公共预算拨款。年初预算支出总额")
                    .f(i2)
                    .t("，其中：基本支出")
                    .f(bb)
                    .t("（人员经费")
                    .f(bp)
                    .t("，公用经费")
                    .f(bu)
                    .t("）；项目支出")
                    .f(bj)
                    .t("。年中调整预算")
                    .f(ad)
                    .t("，全年预算总额")
                    .f(tt)
                    .t("。"),
            );
        }
        1 => {
            let i1 = d.money(Some("budget.initial"), init, Role::Total, rng);
            let bb = d.money(Some("budget.initial.basic"), m.basic(), Role::Related, rng);
            let bj = d.money(
                Some("budget.initial.project"),
                m.project,
                Role::Related,
                rng,
            );
            let ad = d.money(Some("budget.adjustment"), m.adjustment(), Role::Total, rng);
            let ab = d.money(
                Some("budget.adjustment.basic"),
                m.adj_basic,
                Role::Related,
                rng,
            );
            let aj = d.money(
                Some("budget.adjustment.project"),
                m.adj_project,
                Role::Related,
                rng,
            );
            let tt = d.money(Some("budget.total"), m.total(), Role::Related, rng);
            d.para(
                P::new()
                    .t(&format!("{y}年我{me}经财政批复的部门预算"))
                    .f(i1)
                    .t("，其中基本支出")
                    .f(bb)
                    .t("，项目支出")
                    .f(bj)
                    .t("；年中调整预算")
                    .f(ad)
                    .t("，其中基本支出调整")
                    .f(ab)
                    .t("，项目支出调整")
                    .f(aj)
                    .t("；全年预算总额")
                    .f(tt)
                    .t("。"),
            );
        }
        _ => {
            let i1 = d.money(Some("budget.initial"), init, Role::Total, rng);
            let bb = d.money(Some("budget.initial.basic"), m.basic(), Role::Related, rng);
            let bj = d.money(
                Some("budget.initial.project"),
                m.project,
                Role::Related,
                rng,
            );
            let ad = d.money(
                Some("budget.adjustment"),
                m.adjustment(),
                Role::Related,
                rng,
            );
            let tt = d.money(Some("budget.total"), m.total(), Role::Related, rng);
            d.para(
                P::new()
                    .t(&format!("{y}年年初预算"))
                    .f(i1)
                    .t("，其中：基本支出")
                    .f(bb)
                    .t("，项目支出")
                    .f(bj)
                    .t("。年中追加预算")
                    .f(ad)
                    .t("，调整后预算数")
                    .f(tt)
                    .t("。"),
            );
        }
    }
    d.gap(rng);
    budget_table(&mut d, &m, rng);
    d.gap(rng);

    // Final accounts with shares.
    d.text(&format!("2、{y}年部门决算情况"));
    let fin = m.fin();
    let sb = pct(m.fin_basic, fin);
    let sj = pct(m.fin_project, fin);
    match rng.int(0, 2) {
        0 => {
            let fi = d.money(Some("final.income"), fin, Role::Fixed, rng);
            let f = d.money(Some("final.expenditure"), fin, Role::Total, rng);
            let fb = d.money(
                Some("final.expenditure.basic"),
                m.fin_basic,
                Role::Related,
                rng,
            );
            let s1 = d.rate(
                "share.basic",
                sb,
                Some(pct(m.fin_basic, m.total())),
                Role::Rate,
            );
            let fj = d.money(
                Some("final.expenditure.project"),
                m.fin_project,
                Role::Related,
                rng,
            );
            let s2 = d.rate(
                "share.project",
                sj,
                Some(pct(m.fin_project, m.total())),
                Role::Rate,
            );
            d.para(
                P::new()
                    .t(&format!("{y}年度决算收入"))
                    .f(fi)
                    .t(&format!("。{y}年度决算支出"))
                    .f(f)
                    .t("，其中：基本支出")
                    .f(fb)
                    .t("，占总支出的")
                    .f(s1)
                    .t("%；项目支出")
                    .f(fj)
                    .t("，占总支出的")
                    .f(s2)
                    .t("%。"),
            );
        }
        1 => {
            let f = d.money(Some("final.expenditure"), fin, Role::Total, rng);
            let fb = d.money(
                Some("final.expenditure.basic"),
                m.fin_basic,
                Role::Related,
                rng,
            );
            let s1 = d.rate(
                "share.basic",
                sb,
                Some(pct(m.fin_basic, m.total())),
                Role::Rate,
            );
            let fj = d.money(
                Some("final.expenditure.project"),
                m.fin_project,
                Role::Related,
                rng,
            );
            let s2 = d.rate(
                "share.project",
                sj,
                Some(pct(m.fin_project, m.total())),
                Role::Rate,
            );
            d.para(
                P::new()
                    .t(&format!("{y}年度部门整体决算总支出"))
                    .f(f)
                    .t("，其中：基本支出")
                    .f(fb)
                    .t("，占总支出的")
                    .f(s1)
                    .t("%，主要为人员经费和日常公用经费；项目支出")
                    .f(fj)
                    .t("，占总支出的")
                    .f(s2)
                    .t("%，主要用于业务工作经费。"),
            );
        }
        _ => {
            let f = d.money(Some("final.expenditure"), fin, Role::Total, rng);
            let fb = d.money(
                Some("final.expenditure.basic"),
                m.fin_basic,
                Role::Related,
                rng,
            );
            let fj = d.money(
                Some("final.expenditure.project"),
                m.fin_project,
                Role::Related,
                rng,
            );
            d.para(
                P::new()
                    .t(&format!("{y}年度本部门决算支出"))
                    .f(f)
                    .t("，其中基本支出")
                    .f(fb)
                    .t("，项目支出")
                    .f(fj)
                    .t("。"),
            );
        }
    }
    d.gap(rng);
    basic_table(&mut d, &m, rng);
    d.gap(rng);
    let fp = d.money(
        Some("final.expenditure.personnel"),
        m.fin_personnel(),
        Role::Total,
        rng,
    );
    let wg = d.money(None, m.wages, Role::Related, rng);
    let fm = d.money(None, m.family, Role::Related, rng);
    d.para(
        P::new()
            .t("人员经费支出")
            .f(fp)
            .t("，其中工资福利费用")
            .f(wg)
            .t("，对个人和家庭的补助费用")
            .f(fm)
            .t("。"),
    );
    let fu = d.money(
        Some("final.expenditure.public"),
        m.fin_public,
        Role::Related,
        rng,
    );
    d.para(
        P::new()
            .t("公用经费支出")
            .f(fu)
            .t("，主要用于保障机关基本运行而发生的办公费、差旅费、邮电费等。"),
    );
    d.gap(rng);

    // 三公经费.
    threepublic(&mut d, &m, rng);
    d.gap(rng);

    // Assets.
    let la = d.money(Some("assets.total"), m.assets, Role::Total, rng);
    let ll = d.money(Some("liabilities.total"), m.liabilities, Role::Related, rng);
    let ln = d.money(
        Some("assets.net"),
        m.assets - m.liabilities,
        Role::Related,
        rng,
    );
    d.para(
        P::new()
            .t(&format!("{y}年末资产总额"))
            .f(la)
            .t("，负债总额")
            .f(ll)
            .t("，净资产")
            .f(ln)
            .t("。"),
    );
    d.gap(rng);

    // Scores.
    d.text("三、部门整体支出绩效情况");
    let st = d.score(
        "score.total",
        m.score_common + m.score_dept,
        Role::ScoreTotal,
    );
    let sc = d.score("score.common", m.score_common, Role::Fixed);
    let sd = d.score("score.department", m.score_dept, Role::Fixed);
    let p = match rng.int(0, 2) {
        0 => P::new()
            .t("从经济性、效率性、有效性和可持续性等方面开展了评价，自评得分")
            .f(st)
            .t("分，其中部门整体支出绩效评价共性指标自评得分")
            .f(sc)
            .t("分，部门整体支出绩效自评得分")
            .f(sd)
            .t("分。"),
        1 => P::new()
            .t("经综合评价，综合得分")
            .f(st)
            .t("分，其中共性指标得分")
            .f(sc)
            .t("分，个性指标得分")
            .f(sd)
            .t("分。"),
        _ => P::new()
            .t("按照评价指标体系逐项打分，自评总分")
            .f(st)
            .t("分，其中共性指标自评得分")
            .f(sc)
            .t("分，个性指标自评得分")
            .f(sd)
            .t("分。"),
    };
    d.para(p);
    d.gap(rng);

    // Claimed rates, one per numbered line.
    d.text("（三）有效性分析");
    rate_list(&mut d, &m, rng);
    d.gap(rng);
    d.text("四、存在的主要问题");
    d.text("部分绩效指标及目标有待进一步细化和量化，预算执行的均衡性有待加强。");
    (d, dept)
}

/// 预算情况表: 单位名称 (two rows high) and three money groups (three columns wide each).
fn budget_table(d: &mut Doc, m: &Model, rng: &mut Rng) {
    let u = if d.yuan { "元" } else { "万元" };
    let h = |t: &str, c: usize, r: usize| HCell {
        text: t.to_string(),
        colspan: c,
        rowspan: r,
    };
    let mut header = vec![vec![
        h("单位名称", 1, 2),
        h(&format!("年初预算数（{u}）"), 3, 1),
        h(&format!("预算调整数（{u}）"), 3, 1),
        h(&format!("全年预算数（{u}）"), 3, 1),
    ]];
    header.push(
        (0..3)
            .flat_map(|_| ["基本支出", "项目支出", "合计"])
            .map(|t| h(t, 1, 1))
            .collect(),
    );
    let vals = [
        (Some("budget.initial.basic"), m.basic(), Role::Related),
        (Some("budget.initial.project"), m.project, Role::Related),
        (Some("budget.initial"), m.initial(), Role::Total),
        (Some("budget.adjustment.basic"), m.adj_basic, Role::Related),
        (
            Some("budget.adjustment.project"),
            m.adj_project,
            Role::Related,
        ),
        (Some("budget.adjustment"), m.adjustment(), Role::Total),
        (Some("budget.total.basic"), m.total_basic(), Role::Related),
        (
            Some("budget.total.project"),
            m.total_project(),
            Role::Related,
        ),
        (Some("budget.total"), m.total(), Role::Total),
    ];
    let mut row = vec![Seg::Lit("本级".into())];
    for (k, v, role) in vals {
        row.push(Seg::Slot(d.cell(k, v, role, rng)));
    }
    d.blocks.push(Block::Table(Table {
        title: "预算情况表".into(),
        header,
        body: vec![row],
    }));
}

/// 基本支出表: economic classes by 年初/全年/决算 with a 合计 row.
fn basic_table(d: &mut Doc, m: &Model, rng: &mut Rng) {
    let u = if d.yuan { "元" } else { "万元" };
    let h = |t: &str| HCell {
        text: t.to_string(),
        colspan: 1,
        rowspan: 1,
    };
    let header = vec![vec![
        h("经济分类"),
        h(&format!("年初预算数（{u}）")),
        h(&format!("全年预算数（{u}）")),
        h(&format!("决算支出数（{u}）")),
    ]];
    // 年初: personnel split like the 决算 split; 全年 = 年初 + adjustment on personnel.
    let w0 = (m.personnel * Decimal::new(88, 2)).round_dp(2);
    let rows = [
        ("工资福利支出", w0, w0 + m.adj_basic, m.wages),
        ("商品和服务支出", m.public, m.public, m.fin_public),
        (
            "对个人和家庭的补助",
            m.personnel - w0,
            m.personnel - w0,
            m.family,
        ),
    ];
    let mut body = Vec::new();
    for (label, a, b, c) in rows {
        body.push(vec![
            Seg::Lit(label.into()),
            Seg::Slot(d.cell(None, a, Role::Related, rng)),
            Seg::Slot(d.cell(None, b, Role::Related, rng)),
            Seg::Slot(d.cell(None, c, Role::Related, rng)),
        ]);
    }
    // Reports label this row variously; which word names the row is part of what is tested.
    let total_label = *rng.pick(&["合计", "本级合计", "基本支出合计"]);
    body.push(vec![
        Seg::Lit(total_label.into()),
        Seg::Slot(d.cell(Some("budget.initial.basic"), m.basic(), Role::Total, rng)),
        Seg::Slot(d.cell(
            Some("budget.total.basic"),
            m.total_basic(),
            Role::Total,
            rng,
        )),
        Seg::Slot(d.cell(
            Some("final.expenditure.basic"),
            m.fin_basic,
            Role::Total,
            rng,
        )),
    ]);
    d.blocks.push(Block::Table(Table {
        title: "基本支出表".into(),
        header,
        body,
    }));
}

fn threepublic(d: &mut Doc, m: &Model, rng: &mut Rng) {
    let tc = pct(m.tp_a(), m.tp_b());
    match rng.int(0, 2) {
        0 => {
            // Two parts only when nothing was budgeted for travel abroad.
            let abroad = !m.tp_abroad_b.is_zero();
            let tb = d.money(Some("threepublic.budget"), m.tp_b(), Role::Total, rng);
            let vb = d.money(
                Some("threepublic.vehicle.budget"),
                m.tp_vehicle_b,
                Role::Related,
                rng,
            );
            let rb = d.money(
                Some("threepublic.reception.budget"),
                m.tp_recept_b,
                Role::Related,
                rng,
            );
            let ta = d.money(Some("threepublic.actual"), m.tp_a(), Role::Total, rng);
            let va = d.money(
                Some("threepublic.vehicle.actual"),
                m.tp_vehicle_a,
                Role::Related,
                rng,
            );
            let ra = d.money(
                Some("threepublic.reception.actual"),
                m.tp_recept_a,
                Role::Related,
                rng,
            );
            let c = d.rate("rate.threepublic_control", tc, None, Role::Rate);
            let mut p = P::new().t("“三公经费”预算金额").f(tb).t("，其中");
            if abroad {
                let ab = d.money(
                    Some("threepublic.abroad.budget"),
                    m.tp_abroad_b,
                    Role::Related,
                    rng,
                );
                p = p.t("因公出国（境）费").f(ab).t("、");
            }
            p = p
                .t("公务用车购置及运行费")
                .f(vb)
                .t("、公务接待费")
                .f(rb)
                .t("；决算金额为")
                .f(ta)
                .t("，其中");
            if abroad {
                let aa = d.money(
                    Some("threepublic.abroad.actual"),
                    m.tp_abroad_a,
                    Role::Related,
                    rng,
                );
                p = p.t("因公出国（境）费").f(aa).t("、");
            }
            p = p
                .t("公务用车购置及运行费")
                .f(va)
                .t("、公务接待费")
                .f(ra)
                .t("，“三公经费”控制率")
                .f(c)
                .t("%。");
            d.para(p);
        }
        1 => {
            let tb = d.money(Some("threepublic.budget"), m.tp_b(), Role::Total, rng);
            let ab = d.money(
                Some("threepublic.abroad.budget"),
                m.tp_abroad_b,
                Role::Related,
                rng,
            );
            let vb = d.money(
                Some("threepublic.vehicle.budget"),
                m.tp_vehicle_b,
                Role::Related,
                rng,
            );
            let rb = d.money(
                Some("threepublic.reception.budget"),
                m.tp_recept_b,
                Role::Related,
                rng,
            );
            let y = m.year;
            d.para(
                P::new()
                    .t(&format!("{y}年“三公”经费年初预算"))
                    .f(tb)
                    .t("，其中：因公出国（境）费")
                    .f(ab)
                    .t("，公务用车购置及运行维护费")
                    .f(vb)
                    .t("，公务接待费")
                    .f(rb)
                    .t("。"),
            );
            let ta = d.money(Some("threepublic.actual"), m.tp_a(), Role::Total, rng);
            let aa = d.money(
                Some("threepublic.abroad.actual"),
                m.tp_abroad_a,
                Role::Related,
                rng,
            );
            let va = d.money(
                Some("threepublic.vehicle.actual"),
                m.tp_vehicle_a,
                Role::Related,
                rng,
            );
            let ra = d.money(
                Some("threepublic.reception.actual"),
                m.tp_recept_a,
                Role::Related,
                rng,
            );
            d.para(
                P::new()
                    .t("全年“三公”经费实际支出")
                    .f(ta)
                    .t("，其中：因公出国（境）费")
                    .f(aa)
                    .t("，公务用车购置及运行维护费")
                    .f(va)
                    .t("，公务接待费")
                    .f(ra)
                    .t("。"),
            );
        }
        _ => {
            let u = if d.yuan { "元" } else { "万元" };
            let h = |t: &str| HCell {
                text: t.to_string(),
                colspan: 1,
                rowspan: 1,
            };
            let header = vec![vec![
                h("项目"),
                h(&format!("预算数（{u}）")),
                h(&format!("决算数（{u}）")),
            ]];
            let rows = [
                (
                    "因公出国（境）费",
                    "threepublic.abroad.budget",
                    m.tp_abroad_b,
                    "threepublic.abroad.actual",
                    m.tp_abroad_a,
                ),
                (
                    "公务用车购置及运行维护费",
                    "threepublic.vehicle.budget",
                    m.tp_vehicle_b,
                    "threepublic.vehicle.actual",
                    m.tp_vehicle_a,
                ),
                (
                    "公务接待费",
                    "threepublic.reception.budget",
                    m.tp_recept_b,
                    "threepublic.reception.actual",
                    m.tp_recept_a,
                ),
                (
                    "合计",
                    "threepublic.budget",
                    m.tp_b(),
                    "threepublic.actual",
                    m.tp_a(),
                ),
            ];
            let mut body = Vec::new();
            for (label, kb, vb, ka, va) in rows {
                let role = if label == "合计" {
                    Role::Total
                } else {
                    Role::Related
                };
                body.push(vec![
                    Seg::Lit(label.into()),
                    Seg::Slot(d.cell(Some(kb), vb, role, rng)),
                    Seg::Slot(d.cell(Some(ka), va, role, rng)),
                ]);
            }
            d.blocks.push(Block::Table(Table {
                title: "“三公”经费支出情况表".into(),
                header,
                body,
            }));
        }
    }
}

/// The numbered list of 有效性分析: one rate per line, each with the figures it is made of.
fn rate_list(d: &mut Doc, m: &Model, rng: &mut Rng) {
    let y = m.year;
    let mut k = 0;
    let mut num = || {
        k += 1;
        format!("{k}、")
    };
    // Staff control.
    let sc = pct(Decimal::from(m.actual), Decimal::from(m.authorized));
    let a = d.people(Some("staff.authorized"), m.authorized, Role::Related);
    let b = d.people(Some("staff.actual"), m.actual, Role::Related);
    let r = d.rate("rate.staff_control", sc, None, Role::ListRate);
    let p = match rng.int(0, 2) {
        0 => P::new()
            .t(&format!("{}财政供养人员控制率。{y}年度编制人数", num()))
            .f(a)
            .t("人，年末实际在岗在编人数")
            .f(b)
            .t("人，财政供养人员控制率")
            .f(r)
            .t("%。"),
        1 => P::new()
            .t(&format!("{}人员控制情况。核定编制", num()))
            .f(a)
            .t("人，实有人数")
            .f(b)
            .t("人，在职人员控制率为")
            .f(r)
            .t("%。"),
        _ => P::new()
            .t(&format!("{}在职人员控制率。编制数", num()))
            .f(a)
            .t("人，实际在职人数")
            .f(b)
            .t("人，在职人员控制率")
            .f(r)
            .t("%。"),
    };
    d.para(p);

    // 三公 change.
    let tb = d.money(Some("threepublic.budget"), m.tp_b(), Role::Related, rng);
    let prev = d.money(None, m.tp_prev, Role::Fixed, rng);
    let c = d.rate(
        "rate.threepublic_change",
        pct(m.tp_b() - m.tp_prev, m.tp_prev),
        None,
        Role::ListRate,
    );
    d.para(
        P::new()
            .t(&format!(
                "{}“三公经费”变动率。{y}年三公经费年初预算为",
                num()
            ))
            .f(tb)
            .t("，上年预算")
            .f(prev)
            .t("，变动率")
            .f(c)
            .t("%。"),
    );

    // Completion (决算 / 年初) and execution (决算 / 全年): each the other's wrong base.
    let fin = m.fin();
    let comp = pct(fin, m.initial());
    let exec = pct(fin, m.total());
    match rng.int(0, 2) {
        0 => {
            let i = d.money(Some("budget.initial"), m.initial(), Role::Related, rng);
            let f = d.money(Some("final.expenditure"), fin, Role::Related, rng);
            let r = d.rate("rate.completion", comp, Some(exec), Role::ListRate);
            d.para(
                P::new()
                    .t(&format!("{}预算完成率。年初预算", num()))
                    .f(i)
                    .t("，决算支出")
                    .f(f)
                    .t("，预算完成率")
                    .f(r)
                    .t("%。"),
            );
        }
        1 => {
            let f = d.money(Some("final.expenditure"), fin, Role::Related, rng);
            let r = d.rate("rate.completion", comp, Some(exec), Role::ListRate);
            d.para(
                P::new()
                    .t(&format!("{}预算完成情况。支出决算为", num()))
                    .f(f)
                    .t("，完成年初预算的")
                    .f(r)
                    .t("%。"),
            );
        }
        _ => {}
    }
    let t = d.money(Some("budget.total"), m.total(), Role::Related, rng);
    let f = d.money(Some("final.expenditure"), fin, Role::Related, rng);
    let r = d.rate("rate.execution", exec, Some(comp), Role::ListRate);
    let p = match rng.int(0, 2) {
        0 => P::new()
            .t(&format!("{}预算执行率。全年预算数", num()))
            .f(t)
            .t("，决算支出")
            .f(f)
            .t("，预算执行率")
            .f(r)
            .t("%。"),
        1 => P::new()
            .t(&format!("{}预算执行情况。调整后预算数", num()))
            .f(t)
            .t("，实际支出")
            .f(f)
            .t("，预算执行率为")
            .f(r)
            .t("%。"),
        _ => P::new()
            .t(&format!("{}预算执行率。{y}年全年预算", num()))
            .f(t)
            .t("，决算支出")
            .f(f)
            .t("，预算执行率达")
            .f(r)
            .t("%。"),
    };
    d.para(p);

    // Budget control (调整 / 年初).
    let ad = d.money(
        Some("budget.adjustment"),
        m.adjustment(),
        Role::Related,
        rng,
    );
    let r = d.rate(
        "rate.budget_control",
        pct(m.adjustment(), m.initial()),
        None,
        Role::ListRate,
    );
    d.para(
        P::new()
            .t(&format!("{}预算控制率。{y}年本年预算调整", num()))
            .f(ad)
            .t("，预算控制率")
            .f(r)
            .t("%。"),
    );

    // Public funds control.
    let fu = d.money(
        Some("final.expenditure.public"),
        m.fin_public,
        Role::Related,
        rng,
    );
    let bu = d.money(Some("budget.initial.public"), m.public, Role::Related, rng);
    let r = d.rate(
        "rate.public_control",
        pct(m.fin_public, m.public),
        None,
        Role::ListRate,
    );
    let p = match rng.int(0, 2) {
        0 => P::new()
            .t(&format!(
                "{}公用经费控制率。日常公用经费实际支出公用经费总额",
                num()
            ))
            .f(fu)
            .t("，预算安排公用经费总额")
            .f(bu)
            .t("，公用经费控制率")
            .f(r)
            .t("%。"),
        1 => P::new()
            .t(&format!("{}公用经费控制率。公用经费实际支出", num()))
            .f(fu)
            .t("，年初预算安排公用经费")
            .f(bu)
            .t("，公用经费控制率为")
            .f(r)
            .t("%。"),
        _ => P::new()
            .t(&format!("{}公用经费控制情况。预算安排公用经费总额", num()))
            .f(bu)
            .t("，实际支出公用经费总额")
            .f(fu)
            .t("，公用经费控制率")
            .f(r)
            .t("%。"),
    };
    d.para(p);

    // 三公 control.
    let ta = d.money(Some("threepublic.actual"), m.tp_a(), Role::Related, rng);
    let tb = d.money(Some("threepublic.budget"), m.tp_b(), Role::Related, rng);
    let r = d.rate(
        "rate.threepublic_control",
        pct(m.tp_a(), m.tp_b()),
        None,
        Role::ListRate,
    );
    let p = match rng.int(0, 1) {
        0 => P::new()
            .t(&format!(
                "{}“三公经费”控制率。“三公经费”实际支出数为",
                num()
            ))
            .f(ta)
            .t("，预算安排")
            .f(tb)
            .t("，“三公经费”控制率为")
            .f(r)
            .t("%。"),
        _ => P::new()
            .t(&format!("{}“三公经费”控制率。“三公经费”预算安排", num()))
            .f(tb)
            .t("，实际支出数为")
            .f(ta)
            .t("，“三公经费”控制率")
            .f(r)
            .t("%。"),
    };
    d.para(p);

    // Procurement.
    let pb = d.money(Some("procurement.budget"), m.proc_b, Role::Related, rng);
    let pa = d.money(Some("procurement.actual"), m.proc_a, Role::Related, rng);
    let r = d.rate(
        "rate.procurement",
        pct(m.proc_a, m.proc_b),
        None,
        Role::ListRate,
    );
    d.para(
        P::new()
            .t(&format!("{}政府采购执行率。政府采购预算", num()))
            .f(pb)
            .t("，实际政府采购金额")
            .f(pa)
            .t("，政府采购执行率")
            .f(r)
            .t("%。"),
    );

    // Satisfaction: a survey figure with no formula.
    let s = d.rate("rate.satisfaction", m.satisfaction, None, Role::Fixed);
    d.para(
        P::new()
            .t(&format!("{}满意度。满意度", num()))
            .f(s)
            .t("%。"),
    );
}

// ---------------------------------------------------------------- corruption

struct Injected {
    kind: &'static str,
    slot: usize,
    old: String,
    new: String,
}

fn digit_change(s: &str, rng: &mut Rng) -> Option<String> {
    // Work on the bare digits and put the thousands separators back, as a typist would.
    let grouped = s.contains(',');
    let bare = s.replace(',', "");
    let digits: Vec<usize> = bare
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i)
        .collect();
    if digits.len() < 2 {
        return None;
    }
    for _ in 0..8 {
        let mut o = bare.clone();
        if rng.chance(0.5) {
            // Dropped digit (never the leading one, which would read as a typo of another kind).
            o.remove(digits[rng.int(1, digits.len() as i64 - 1) as usize]);
        } else {
            let i = digits[rng.int(0, digits.len() as i64 - 1) as usize];
            o.insert(i + 1, char::from(b'0' + rng.int(0, 9) as u8));
        }
        if o.starts_with('0') && !o.starts_with("0.") {
            continue;
        }
        let (Ok(a), Ok(b)) = (Decimal::from_str(&o), Decimal::from_str(&bare)) else {
            continue;
        };
        if a != b {
            return Some(if grouped { group_thousands(&o) } else { o });
        }
    }
    None
}

fn corrupt(d: &mut Doc, k: usize, rng: &mut Rng) -> Vec<Injected> {
    const KINDS: &[&str] = &[
        "digit",
        "rate_copied",
        "wrong_base",
        "total_not_updated",
        "count_off",
        "score_sum",
    ];
    let mut out: Vec<Injected> = Vec::new();
    let mut tries = 0;
    // Rates in list order, for "copied from the line above".
    let list: Vec<usize> = (0..d.slots.len())
        .filter(|&i| d.slots[i].role == Role::ListRate)
        .collect();
    while out.len() < k && tries < 50 {
        tries += 1;
        let kind = *rng.pick(KINDS);
        let cands: Vec<usize> = (0..d.slots.len())
            .filter(|&i| !out.iter().any(|o| o.slot == i))
            .filter(|&i| {
                let s = &d.slots[i];
                match kind {
                    "digit" => {
                        s.class == Class::Money && matches!(s.role, Role::Related | Role::Total)
                    }
                    "rate_copied" => s.role == Role::ListRate && list.first() != Some(&i),
                    // A rate within a few hundredths of the right one is the 尾差 reports
                    // nudge on purpose (a warning, not an error): not a wrong base.
                    "wrong_base" => s
                        .alt
                        .is_some_and(|a| (a - s.value).abs() >= Decimal::new(1, 1)),
                    "total_not_updated" => s.role == Role::Total && s.class == Class::Money,
                    "count_off" => s.role == Role::Count,
                    "score_sum" => s.role == Role::ScoreTotal,
                    _ => false,
                }
            })
            .collect();
        if cands.is_empty() {
            continue;
        }
        let i = *rng.pick(&cands);
        let old = d.slots[i].text.clone();
        let new = match kind {
            "digit" => match digit_change(&old, rng) {
                Some(n) => n,
                None => continue,
            },
            "rate_copied" => {
                let pos = list.iter().position(|&j| j == i).unwrap();
                let above = d.slots[list[pos - 1]].text.clone();
                if above == old {
                    continue;
                }
                above
            }
            "wrong_base" => d.rate_text(d.slots[i].alt.unwrap()),
            "total_not_updated" => {
                // The total as it stood before one part was revised: off by a plausible
                // amount, written with the same precision.
                let s = &d.slots[i];
                let delta = Decimal::new(rng.int(50, 5000), 2);
                let v = if s.value > delta * Decimal::TWO {
                    s.value - delta
                } else {
                    s.value + delta
                };
                d.money_text(v, false, rng)
            }
            "count_off" => {
                let n = d.slots[i].items as i64 + if rng.chance(0.5) { 1 } else { -1 };
                n.max(1).to_string()
            }
            "score_sum" => {
                let v =
                    d.slots[i].value + Decimal::from(*rng.pick(&[-5i64, -3, -2, -1, 1, 2, 3, 4]));
                v.normalize().to_string()
            }
            _ => unreachable!(),
        };
        if new == old {
            continue;
        }
        d.slots[i].text = new.clone();
        out.push(Injected {
            kind,
            slot: i,
            old,
            new,
        });
    }
    out
}

// ---------------------------------------------------------------- rendering

/// Where each slot ends up: its 1-based line in the text the reader will produce.
type Lines = Vec<usize>;

fn seg_text(d: &Doc, segs: &[Seg]) -> String {
    let mut s = String::new();
    for g in segs {
        match g {
            Seg::Lit(t) => s.push_str(t),
            Seg::Slot(i) => {
                let sl = &d.slots[*i];
                s.push_str(&sl.text);
                // Units follow the number in running text; rates and counts carry their own
                // unit in the template, table cells in the column head.
                if matches!(sl.class, Class::Money) && segs.len() > 1 {
                    s.push_str(sl.unit);
                }
            }
        }
    }
    s
}

fn mark(d: &Doc, segs: &[Seg], line: usize, lines: &mut Lines) {
    for g in segs {
        if let Seg::Slot(i) = g {
            let _ = d;
            lines[*i] = line;
        }
    }
}

/// Each header cell with the grid row and column it starts at (cells spanned from above
/// are skipped over, as HTML places them).
fn header_cells(t: &Table) -> Vec<(usize, usize, &HCell)> {
    let width: usize = t.header[0].iter().map(|c| c.colspan).sum();
    let mut taken = vec![vec![false; width]; t.header.len()];
    let mut out = Vec::new();
    for (r, row) in t.header.iter().enumerate() {
        let mut c = 0;
        for cell in row {
            while c < width && taken[r][c] {
                c += 1;
            }
            if c >= width {
                break;
            }
            out.push((r, c, cell));
            for dr in 0..cell.rowspan {
                for dc in 0..cell.colspan {
                    if r + dr < t.header.len() && c + dc < width {
                        taken[r + dr][c + dc] = true;
                    }
                }
            }
            c += cell.colspan;
        }
    }
    out
}

/// Expands a header into grid rows: a spanned cell's text in its first column, "" elsewhere.
fn header_grid(t: &Table) -> Vec<Vec<String>> {
    let width: usize = t.header[0].iter().map(|c| c.colspan).sum();
    let mut grid = vec![vec![String::new(); width]; t.header.len()];
    for (r, c, cell) in header_cells(t) {
        grid[r][c] = cell.text.clone();
    }
    grid
}

/// The text, the line of every slot, and the name of the table layout used.
fn render_txt(d: &Doc, rng: &mut Rng) -> (String, Lines, &'static str) {
    let mut out = String::new();
    let mut line = 1;
    let mut lines = vec![0; d.slots.len()];
    let layout = *rng.pick(&[Layout::WordExport, Layout::Tabs, Layout::Pipes]);
    let push = |out: &mut String, s: &str, line: &mut usize| {
        out.push_str(s);
        out.push('\n');
        *line += 1;
    };
    for b in &d.blocks {
        match b {
            Block::Gap => push(&mut out, "", &mut line),
            Block::Para(segs) => {
                mark(d, segs, line, &mut lines);
                let s = seg_text(d, segs);
                push(&mut out, &s, &mut line);
            }
            Block::Table(t) => match layout {
                Layout::WordExport => {
                    // Merged header cells collapse: a row lists only the cells that start in it
                    // (a cell continued from above is an empty line).
                    push(&mut out, "", &mut line);
                    push(&mut out, &format!("\t{}", t.title), &mut line);
                    push(&mut out, "", &mut line);
                    for (r, row) in t.header.iter().enumerate() {
                        if r > 0 {
                            // Cells covered by a rowspan from the row above come first here.
                            for _ in 0..t.header[0].iter().filter(|c| c.rowspan > r).count() {
                                push(&mut out, "\t", &mut line);
                            }
                        }
                        for c in row {
                            push(&mut out, &format!("\t{}", c.text), &mut line);
                        }
                        push(&mut out, "", &mut line);
                    }
                    for row in &t.body {
                        for cell in row {
                            mark(d, std::slice::from_ref(cell), line, &mut lines);
                            push(
                                &mut out,
                                &format!("\t{}", seg_text(d, std::slice::from_ref(cell))),
                                &mut line,
                            );
                        }
                        push(&mut out, "", &mut line);
                    }
                    push(&mut out, "", &mut line);
                }
                Layout::Tabs | Layout::Pipes => {
                    let sep = if layout == Layout::Tabs { "\t" } else { " | " };
                    push(&mut out, "", &mut line);
                    push(&mut out, &t.title, &mut line);
                    for row in header_grid(t) {
                        push(&mut out, &row.join(sep), &mut line);
                    }
                    for row in &t.body {
                        let cells: Vec<String> = row
                            .iter()
                            .map(|c| seg_text(d, std::slice::from_ref(c)))
                            .collect();
                        for c in row {
                            mark(d, std::slice::from_ref(c), line, &mut lines);
                        }
                        push(&mut out, &cells.join(sep), &mut line);
                    }
                    push(&mut out, "", &mut line);
                }
            },
        }
    }
    let name = match layout {
        Layout::WordExport => "word_export",
        Layout::Tabs => "tabs",
        Layout::Pipes => "pipes",
    };
    (out, lines, name)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Lines as [`reportlint::model::TextBuilder`] numbers them: one per paragraph (a table's
/// title is a paragraph before it), one per table row.
fn structured_lines(d: &Doc) -> Lines {
    let mut lines = vec![0; d.slots.len()];
    let mut line = 1;
    for b in &d.blocks {
        match b {
            Block::Gap => {}
            Block::Para(segs) => {
                mark(d, segs, line, &mut lines);
                line += 1;
            }
            Block::Table(t) => {
                line += 1 + t.header.len();
                for row in &t.body {
                    mark(d, row, line, &mut lines);
                    line += 1;
                }
            }
        }
    }
    lines
}

fn render_html(d: &Doc) -> String {
    let mut s = String::from("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
    if let Some(Block::Para(t)) = d.blocks.first() {
        s.push_str(&esc(&seg_text(d, t)));
    }
    s.push_str("</title></head><body>\n");
    for b in &d.blocks {
        match b {
            Block::Gap => {}
            Block::Para(segs) => {
                let _ = writeln!(s, "<p>{}</p>", esc(&seg_text(d, segs)));
            }
            Block::Table(t) => {
                let _ = writeln!(
                    s,
                    "<table border=\"1\"><caption>{}</caption>",
                    esc(&t.title)
                );
                s.push_str("<thead>\n");
                for row in &t.header {
                    s.push_str("<tr>");
                    for c in row {
                        let _ = write!(s, "<th");
                        if c.colspan > 1 {
                            let _ = write!(s, " colspan=\"{}\"", c.colspan);
                        }
                        if c.rowspan > 1 {
                            let _ = write!(s, " rowspan=\"{}\"", c.rowspan);
                        }
                        let _ = write!(s, ">{}</th>", esc(&c.text));
                    }
                    s.push_str("</tr>\n");
                }
                s.push_str("</thead><tbody>\n");
                for row in &t.body {
                    s.push_str("<tr>");
                    for c in row {
                        let _ =
                            write!(s, "<td>{}</td>", esc(&seg_text(d, std::slice::from_ref(c))));
                    }
                    s.push_str("</tr>\n");
                }
                s.push_str("</tbody></table>\n");
            }
        }
    }
    s.push_str("</body></html>\n");
    s
}

/// A PDF as a government system writes one: STSong-Light (not embedded, Adobe-GB1) with the
/// UniGB-UCS2-H encoding, every paragraph on a line of its own, tables ruled cell by cell
/// (merged header cells as one rectangle). A page per 60 lines, tables kept whole.
fn render_pdf(d: &Doc) -> Vec<u8> {
    const SIZE: f64 = 9.0;
    const LEAD: f64 = 16.0;
    const ROW: f64 = 15.0;
    const LEFT: f64 = 40.0;
    let width = |t: &str| -> f64 {
        t.chars()
            .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
            .sum::<f64>()
            * SIZE
    };
    let hex = |t: &str| -> String {
        let mut h = String::with_capacity(t.len() * 4 + 2);
        h.push('<');
        for u in t.encode_utf16() {
            let _ = write!(h, "{u:04X}");
        }
        h.push('>');
        h
    };
    let text_at = |c: &mut String, x: f64, y: f64, t: &str| {
        let _ = writeln!(c, "BT /F1 {SIZE} Tf {x:.2} {y:.2} Td {} Tj ET", hex(t));
    };
    // Lay out page by page: (content, height used).
    let mut pages: Vec<String> = Vec::new();
    let mut page_w: f64 = 595.0;
    let top = 800.0;
    let bottom = 50.0;
    let mut c = String::new();
    let mut y = top;
    let mut new_page = |c: &mut String, y: &mut f64| {
        pages.push(std::mem::take(c));
        *y = top;
    };
    for b in &d.blocks {
        match b {
            Block::Gap => {}
            Block::Para(segs) => {
                let t = seg_text(d, segs);
                if y - LEAD < bottom {
                    new_page(&mut c, &mut y);
                }
                y -= LEAD;
                page_w = page_w.max(LEFT * 2.0 + SIZE * 2.0 + width(&t));
                // A first-line indent, as reports are typeset.
                text_at(&mut c, LEFT + SIZE * 2.0, y, &t);
                y -= LEAD * 0.5;
            }
            Block::Table(t) => {
                let grid = header_grid(t);
                let ncol = grid[0].len();
                let body: Vec<Vec<String>> = t
                    .body
                    .iter()
                    .map(|r| {
                        r.iter()
                            .map(|g| seg_text(d, std::slice::from_ref(g)))
                            .collect()
                    })
                    .collect();
                // Column widths from the widest cell (a header cell counts only when it spans
                // no other column).
                let mut cw = vec![40.0f64; ncol];
                for row in &body {
                    for (k, cell) in row.iter().enumerate().take(ncol) {
                        cw[k] = cw[k].max(width(cell) + 8.0);
                    }
                }
                for (_, k, cell) in header_cells(t) {
                    if cell.colspan == 1 {
                        cw[k] = cw[k].max(width(&cell.text) + 8.0);
                    }
                }
                let rows = t.header.len() + body.len();
                let need = LEAD * 2.0 + ROW * rows as f64;
                if y - need < bottom {
                    new_page(&mut c, &mut y);
                }
                y -= LEAD;
                text_at(&mut c, LEFT + SIZE * 2.0, y, &t.title);
                y -= LEAD * 0.5;
                let xs: Vec<f64> = std::iter::once(LEFT)
                    .chain(cw.iter().scan(LEFT, |acc, w| {
                        *acc += w;
                        Some(*acc)
                    }))
                    .collect();
                page_w = page_w.max(xs[ncol] + LEFT);
                c.push_str("0.5 w\n");
                let top_y = y;
                // Header: each cell once, spanning its columns and rows.
                for (r, k, cell) in header_cells(t) {
                    let (x0, x1) = (xs[k], xs[(k + cell.colspan).min(ncol)]);
                    let y0 = top_y - ROW * r as f64;
                    let h = ROW * cell.rowspan as f64;
                    let _ = writeln!(c, "{x0:.2} {:.2} {:.2} {h:.2} re S", y0 - h, x1 - x0);
                    text_at(&mut c, x0 + 4.0, y0 - ROW + 4.0, &cell.text);
                }
                for (i, row) in body.iter().enumerate() {
                    let y0 = top_y - ROW * (t.header.len() + i) as f64;
                    for (k, cell) in row.iter().enumerate().take(ncol) {
                        let _ = writeln!(
                            c,
                            "{:.2} {:.2} {:.2} {ROW:.2} re S",
                            xs[k],
                            y0 - ROW,
                            xs[k + 1] - xs[k]
                        );
                        if !cell.is_empty() {
                            text_at(&mut c, xs[k] + 4.0, y0 - ROW + 4.0, cell);
                        }
                    }
                }
                y = top_y - ROW * rows as f64 - LEAD * 0.5;
            }
        }
    }
    pages.push(c);
    // Objects: 1 catalog, 2 pages, 3 font, 4 CID font, 5 descriptor, then page + content pairs.
    let mut objs: Vec<Vec<u8>> = Vec::new();
    let n = pages.len();
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 6 + 2 * i)).collect();
    objs.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objs.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
    objs.push(b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>".to_vec());
    objs.push(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>".to_vec());
    objs.push(b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>".to_vec());
    for (i, content) in pages.iter().enumerate() {
        objs.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page_w:.0} 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                7 + 2 * i
            )
            .into_bytes(),
        );
        let mut st = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        st.extend_from_slice(content.as_bytes());
        st.extend_from_slice(b"\nendstream");
        objs.push(st);
    }
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objs.len());
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn w_p(s: &mut String, text: &str) {
    let _ = write!(
        s,
        "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        esc(text)
    );
}

fn render_docx(d: &Doc) -> Vec<u8> {
    let mut body = String::new();
    for b in &d.blocks {
        match b {
            Block::Gap => {}
            Block::Para(segs) => w_p(&mut body, &seg_text(d, segs)),
            Block::Table(t) => {
                w_p(&mut body, &t.title);
                let width: usize = t.header[0].iter().map(|c| c.colspan).sum();
                body.push_str("<w:tbl><w:tblPr><w:tblBorders><w:insideH w:val=\"single\"/></w:tblBorders></w:tblPr><w:tblGrid>");
                for _ in 0..width {
                    body.push_str("<w:gridCol w:w=\"1000\"/>");
                }
                body.push_str("</w:tblGrid>");
                // vMerge: "restart" on the first row of a tall cell, a bare continuation below.
                let mut cont: Vec<usize> = vec![0; width];
                for row in &t.header {
                    body.push_str("<w:tr>");
                    let mut col = 0;
                    let mut cells = row.iter();
                    while col < width {
                        if cont[col] > 0 {
                            cont[col] -= 1;
                            body.push_str("<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>");
                            col += 1;
                            continue;
                        }
                        let Some(c) = cells.next() else { break };
                        body.push_str("<w:tc><w:tcPr>");
                        if c.colspan > 1 {
                            let _ = write!(body, "<w:gridSpan w:val=\"{}\"/>", c.colspan);
                        }
                        if c.rowspan > 1 {
                            body.push_str("<w:vMerge w:val=\"restart\"/>");
                            cont[col] = c.rowspan - 1;
                        }
                        body.push_str("</w:tcPr>");
                        w_p(&mut body, &c.text);
                        body.push_str("</w:tc>");
                        col += c.colspan;
                    }
                    body.push_str("</w:tr>");
                }
                for row in &t.body {
                    body.push_str("<w:tr>");
                    for c in row {
                        body.push_str("<w:tc>");
                        w_p(&mut body, &seg_text(d, std::slice::from_ref(c)));
                        body.push_str("</w:tc>");
                    }
                    body.push_str("</w:tr>");
                }
                body.push_str("</w:tbl>");
            }
        }
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let content_types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opt = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in [
            ("[Content_Types].xml", content_types),
            ("_rels/.rels", rels),
            ("word/document.xml", document.as_str()),
        ] {
            z.start_file(name, opt).expect("zip entry");
            z.write_all(data.as_bytes()).expect("zip write");
        }
        z.finish().expect("zip finish");
    }
    buf.into_inner()
}

fn sidecar(
    d: &Doc,
    name: &str,
    format: &str,
    layout: &str,
    dept: &str,
    lines: &Lines,
    injected: &[Injected],
) -> serde_json::Value {
    let errors: Vec<_> = injected
        .iter()
        .map(|e| {
            let s = &d.slots[e.slot];
            json!({"kind": e.kind, "key": s.key, "old": e.old, "new": e.new, "unit": s.unit, "line": lines[e.slot]})
        })
        .collect();
    let figures: Vec<_> = d
        .slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.key.is_some())
        .map(|(i, s)| json!({"key": s.key, "value": s.text.replace(',', ""), "unit": s.unit, "line": lines[i]}))
        .collect();
    let counts: Vec<_> = d
        .slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.class == Class::Count)
        .map(|(i, s)| json!({"count": s.text, "items": s.items, "line": lines[i]}))
        .collect();
    json!({"document": name, "format": format, "layout": layout, "department": dept, "unit": if d.yuan {"元"} else {"万元"},
           "errors": errors, "figures": figures, "counts": counts})
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen N DIR [--seed S] [--formats txt,docx,html,pdf] [--clean-share 0.3]";
    let mut pos = Vec::new();
    let mut seed: u64 = 1;
    let mut formats = vec!["txt".to_string()];
    let mut clean_share = 0.3;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seed" => seed = it.next().and_then(|s| s.parse().ok()).expect(usage),
            "--formats" => {
                formats = it
                    .next()
                    .expect(usage)
                    .split(',')
                    .map(str::to_string)
                    .collect()
            }
            "--clean-share" => clean_share = it.next().and_then(|s| s.parse().ok()).expect(usage),
            _ => pos.push(a.clone()),
        }
    }
    if pos.len() != 2 {
        eprintln!("{usage}");
        std::process::exit(2);
    }
    let n: usize = pos[0].parse().expect(usage);
    // Documents and sidecars in separate folders, so that DIR/docs can be given to
    // reportlint as it is.
    let root = PathBuf::from(&pos[1]);
    let dir = root.join("docs");
    let truth = root.join("truth");
    std::fs::create_dir_all(&dir).expect("create DIR/docs");
    std::fs::create_dir_all(&truth).expect("create DIR/truth");
    let mut errors = 0usize;
    for i in 0..n {
        let fmt = &formats[i % formats.len()];
        let mut rng = Rng(seed.wrapping_mul(0x1000_0000_01B3).wrapping_add(i as u64));
        let (mut d, dept) = compose(&mut rng);
        let k = if rng.chance(clean_share) {
            0
        } else {
            rng.int(1, 3) as usize
        };
        let injected = corrupt(&mut d, k, &mut rng);
        errors += injected.len();
        let name = format!("doc{i:06}.{fmt}");
        let path: &Path = &dir.join(&name);
        // DOCX and HTML tables are real tables (merged cells as gridSpan/vMerge, colspan/rowspan).
        let (lines, layout) = match fmt.as_str() {
            "txt" => {
                let (text, lines, layout) = render_txt(&d, &mut rng);
                std::fs::write(path, text).expect("write");
                (lines, layout)
            }
            "html" => {
                std::fs::write(path, render_html(&d)).expect("write");
                (structured_lines(&d), "table")
            }
            "docx" => {
                std::fs::write(path, render_docx(&d)).expect("write");
                (structured_lines(&d), "table")
            }
            "pdf" => {
                std::fs::write(path, render_pdf(&d)).expect("write");
                (structured_lines(&d), "ruled")
            }
            other => {
                eprintln!("unknown format {other}: txt, docx, html or pdf");
                std::process::exit(2);
            }
        };
        let side = sidecar(&d, &name, fmt, layout, &dept, &lines, &injected);
        std::fs::write(
            truth.join(format!("{name}.json")),
            serde_json::to_vec(&side).unwrap(),
        )
        .expect("write sidecar");
    }
    eprintln!(
        "{n} documents, {errors} injected errors, in {}",
        root.display()
    );
}
