//! Count claims: "设17个科室：A、B…" (the list after the count) or "A、B等2个县" (the list
//! before it), with the items they list.

use super::extractor::Extractor;
use super::number::parse_chinese;
use super::patterns::ListSide;
use super::types::Count;
use super::vocab::split_items;
use crate::model::Span;

/// How many things an item names: "秘书一处至七处" names seven, anything else one.
fn range_size(item: &str) -> u32 {
    let Some((a, b)) = item.split_once(['至', '到']) else {
        return 1;
    };
    let last = |s: &str| -> Option<u32> {
        let run: String = s
            .chars()
            .rev()
            .skip_while(|c| !"一二两三四五六七八九十".contains(*c))
            .take_while(|c| "一二两三四五六七八九十".contains(*c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        parse_chinese(&run).map(|v| v as u32)
    };
    let first = |s: &str| -> Option<u32> {
        let run: String = s
            .chars()
            .take_while(|c| "一二两三四五六七八九十".contains(*c))
            .collect();
        parse_chinese(&run).map(|v| v as u32)
    };
    match (last(a), first(b)) {
        (Some(x), Some(y)) if y > x && y - x < 50 => y - x + 1,
        _ => 1,
    }
}

impl Extractor<'_> {
    /// Count claims of one paragraph (its normalised characters).
    pub fn counts(&mut self, chars: &[char], base: Span) {
        let text: String = chars.iter().collect();
        let mut b2c = Vec::with_capacity(text.len() + 1);
        for (ci, ch) in text.chars().enumerate() {
            for _ in 0..ch.len_utf8() {
                b2c.push(ci);
            }
        }
        b2c.push(chars.len());
        for p in self.patterns.family("count") {
            let (Some(re), Some(side)) = (&p.regex, p.list_side()) else {
                continue;
            };
            for c in re.captures_iter(&text) {
                let whole = c.get(0).unwrap();
                let ns = c.name("n").unwrap();
                let n = ns
                    .as_str()
                    .parse::<u32>()
                    .ok()
                    .or_else(|| parse_chinese(ns.as_str()).map(|v| v as u32));
                let Some(n) = n else { continue };
                let raw_noun = c.name("noun").map(|m| m.as_str()).unwrap_or_default();
                let (ws, we) = (b2c[whole.start()], b2c[whole.end()]);
                let (noun, items) = match side {
                    // The noun is the first word(s) after the count: "11个县市区规模…" → 县市区.
                    ListSide::Before => {
                        let mut noun = String::new();
                        for w in self.seg.get().cut(raw_noun) {
                            noun.push_str(w);
                            if noun.chars().count() >= 2 {
                                break;
                            }
                        }
                        let mut k = ws;
                        while k > 0 && !matches!(chars[k - 1], '，' | '。' | '；' | '：' | '\n')
                        {
                            k -= 1;
                        }
                        (noun, split_items(&chars[k..ws].iter().collect::<String>()))
                    }
                    ListSide::After => {
                        let mut k = we;
                        while k < chars.len() && !matches!(chars[k], '。' | '；' | '\n') {
                            k += 1;
                        }
                        // A list joined by 、 ends at the first comma: "…、建筑废弃物管理处，1个非
                        // 独立核算单位：…" goes on to another count.
                        let list = &chars[we..k];
                        let k = if list.contains(&'、') {
                            we + list
                                .iter()
                                .position(|c| matches!(c, '，' | ','))
                                .unwrap_or(list.len())
                        } else {
                            k
                        };
                        (
                            raw_noun.to_string(),
                            split_items(&chars[we..k].iter().collect::<String>()),
                        )
                    }
                };
                if items.is_empty() {
                    continue;
                }
                let start = base.start + b2c[ns.start()];
                let end = base.start + b2c[ns.end()];
                let line = self.line_at(start, base);
                let listed = items.iter().map(|i| range_size(i)).sum();
                self.out.counts.push(Count {
                    noun,
                    count: n,
                    unit: "个".into(),
                    listed,
                    open: side == ListSide::Before,
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
}
