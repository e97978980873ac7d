//! HTML reader on scraper/html5ever.
//!
//! * Encoding: a BOM wins; then a `<meta charset>` or `<meta http-equiv="Content-Type"
//!   content="…; charset=…">` in the first 4096 bytes; otherwise UTF-8, and GB18030 when the
//!   bytes are not valid UTF-8 (GBK pages without a declaration are common).
//! * The DOM is walked in order with an explicit stack, bounded by `max_depth`. Block elements
//!   (`p`, `div`, `h1`–`h6`, `li`, …) and `<br>` end a paragraph; inline text is concatenated.
//!   `script`, `style`, `head`, `template`, hidden elements are ignored.
//! * Whitespace: outside `white-space: pre*` (and `<pre>`), a run of ASCII whitespace becomes
//!   one space, or nothing when it holds a line break between two CJK characters (the CSS
//!   segment-break rule); paragraph ends are trimmed. Inside `pre` text is kept as is.
//! * `<table>`: rows of `tr` directly in the table or in `thead`/`tbody`/`tfoot`, in document
//!   order; `td`/`th` with `colspan`/`rowspan` (clamped to 1..=1000). A `<caption>` becomes a
//!   paragraph before the table. The paragraphs inside a cell are concatenated (one space only
//!   between two ASCII letters or digits). A table nested in a cell is emitted as a table of
//!   its own right AFTER the outer table, as the DOCX reader does.
//!
//! The tag scan that refuses hopelessly nested pages before parsing is in the `prescan`
//! submodule; the reading of a `<table>` in the `table` submodule.

mod prescan;
mod table;

use scraper::{ElementRef, Html, Node};

use super::Limits;
use crate::error::{ReadError, Result};
use crate::model::{Document, Format, RawTable, TextBuilder};
use prescan::prescan;

/// How far into the file a charset declaration is looked for.
const PRESCAN: usize = 4096;

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document> {
    let (text, enc, had_errors) = decode(bytes);
    // html5ever's scope checks walk the stack of open elements, so deep nesting costs
    // O(tags × depth): refuse hopeless pages before parsing.
    prescan(&text, limits)?;
    let html = Html::parse_document(&text);
    let mut items = Vec::new();
    walk(html.root_element(), 1, limits, &mut items)?;
    let mut b = TextBuilder::new(Format::Html);
    if had_errors {
        b.problem(format!(
            "部分字符无法按 {0} 解码，已替换为 U+FFFD / some bytes are not valid {0} and were replaced; 请核对页面编码 / check the page's declared charset.",
            enc.name()
        ));
    }
    for it in items {
        match it {
            Item::Para(p) => b.paragraph(&p, None),
            Item::Table(t) => b.table(t),
        }
    }
    Ok(b.finish())
}

/// Decodes the page: BOM, then a declared charset, then UTF-8 or GB18030.
pub fn decode(bytes: &[u8]) -> (String, &'static encoding_rs::Encoding, bool) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (s, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (s.into_owned(), enc, had_errors);
    }
    if let Some(enc) = declared_charset(&bytes[..bytes.len().min(PRESCAN)]) {
        let (s, had_errors) = enc.decode_without_bom_handling(bytes);
        if had_errors && enc == encoding_rs::UTF_8 {
            // Pages re-saved as GBK often keep their old utf-8 declaration.
            let (g, gbk_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if !gbk_errors {
                return (g.into_owned(), encoding_rs::GB18030, false);
            }
        }
        return (s.into_owned(), enc, had_errors);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), encoding_rs::UTF_8, false),
        Err(_) => {
            let (s, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            (s.into_owned(), encoding_rs::GB18030, had_errors)
        }
    }
}

/// The charset of the first `<meta>` that declares one (`charset=` either as an attribute or
/// inside `content`), resolved through the WHATWG label table.
pub fn declared_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(i) = super::find(&lower[from..], b"<meta") {
        let start = from + i + 5;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        let mut k = 0;
        while let Some(j) = super::find(&tag[k..], b"charset") {
            let mut p = k + j + 7;
            while p < tag.len() && tag[p].is_ascii_whitespace() {
                p += 1;
            }
            if p < tag.len() && tag[p] == b'=' {
                p += 1;
                while p < tag.len()
                    && (tag[p].is_ascii_whitespace() || tag[p] == b'"' || tag[p] == b'\'')
                {
                    p += 1;
                }
                let q = tag[p..]
                    .iter()
                    .position(|&b| {
                        matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace()
                    })
                    .map_or(tag.len(), |e| p + e);
                if let Some(enc) = encoding_rs::Encoding::for_label(&tag[p..q]) {
                    // As in browsers: a UTF-16 declaration in an ASCII-compatible prescan
                    // means UTF-8, and x-user-defined means windows-1252.
                    return Some(
                        if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                            encoding_rs::UTF_8
                        } else if enc == encoding_rs::X_USER_DEFINED {
                            encoding_rs::WINDOWS_1252
                        } else {
                            enc
                        },
                    );
                }
            }
            k = k + j + 7;
        }
        from = end.max(start);
    }
    None
}

enum Item {
    Para(String),
    Table(RawTable),
}

fn too_deep(limits: &Limits) -> ReadError {
    ReadError::malformed(
        "HTML",
        format_args!("elements nest deeper than {} levels", limits.max_depth),
    )
}

fn is_ignored(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "script"
            | "style"
            | "template"
            | "noscript"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "math"
            | "select"
            | "textarea"
            | "title"
            | "button"
            | "input"
    )
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "main"
            | "address"
            | "figure"
            | "figcaption"
            | "form"
            | "fieldset"
            | "legend"
            | "hr"
            | "center"
            | "body"
            | "html"
            | "details"
            | "summary"
            | "caption"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "hgroup"
            | "menu"
            | "dir"
            | "listing"
            | "plaintext"
            | "xmp"
    )
}

/// `style` declarations, lowercased without spaces: `Some(true)` for `white-space: pre*`,
/// `Some(false)` for another `white-space`, `None` when unset.
fn style_pre(style: &str) -> Option<bool> {
    let s: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let mut r = None;
    for decl in s.split(';') {
        if let Some(v) = decl.strip_prefix("white-space:") {
            r = Some(v.starts_with("pre") || v.starts_with("break-spaces"));
        }
    }
    r
}

fn hidden(el: &scraper::node::Element) -> bool {
    if el.attr("hidden").is_some() {
        return true;
    }
    el.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.split(';').any(|d| d == "display:none")
    })
}

/// Text collected for one paragraph: segments with their `pre`-ness.
#[derive(Default)]
struct Inline {
    segs: Vec<(String, bool)>,
}

impl Inline {
    fn flush(&mut self, out: &mut Vec<Item>) {
        if self.segs.is_empty() {
            return;
        }
        let s = normalize(&self.segs);
        self.segs.clear();
        if !s.trim().is_empty() {
            out.push(Item::Para(s));
        }
    }
}

fn is_cjk(c: char) -> bool {
    let u = c as u32;
    matches!(u,
        0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Collapses whitespace as CSS `white-space: normal` does, keeping `pre` segments verbatim.
fn normalize(segs: &[(String, bool)]) -> String {
    let mut out = String::new();
    let mut ws = false;
    let mut newline = false;
    for (s, pre) in segs {
        for c in s.chars() {
            if *pre {
                if ws && !out.is_empty() {
                    out.push(' ');
                }
                ws = false;
                newline = false;
                out.push(c);
                continue;
            }
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C') {
                ws = true;
                newline |= c == '\n' || c == '\r';
                continue;
            }
            if ws && !out.is_empty() {
                let prev = out.chars().next_back().unwrap_or(' ');
                let keep = !(newline && is_cjk(prev) && is_cjk(c));
                if keep && prev != ' ' {
                    out.push(' ');
                }
            }
            ws = false;
            newline = false;
            out.push(c);
        }
    }
    // Trailing whitespace is dropped (a pre run keeps its own).
    out
}

/// Walks `root`'s subtree in document order, appending paragraphs and tables to `out`.
fn walk(root: ElementRef<'_>, depth0: usize, limits: &Limits, out: &mut Vec<Item>) -> Result<()> {
    enum Step<N> {
        Enter(N, usize, bool),
        Flush,
    }
    let mut inline = Inline::default();
    let mut stack = vec![Step::Enter(*root, depth0, false)];
    while let Some(step) = stack.pop() {
        let (node, depth, pre) = match step {
            Step::Flush => {
                inline.flush(out);
                continue;
            }
            Step::Enter(n, d, p) => (n, d, p),
        };
        if depth > limits.max_depth {
            return Err(too_deep(limits));
        }
        let mut pre = pre;
        match node.value() {
            Node::Text(t) => {
                inline.segs.push((t.to_string(), pre));
                continue;
            }
            Node::Element(el) => {
                let name = el.name();
                if is_ignored(name) || hidden(el) {
                    continue;
                }
                match name {
                    "br" => {
                        inline.flush(out);
                        continue;
                    }
                    "table" => {
                        inline.flush(out);
                        if let Some(t) = ElementRef::wrap(node) {
                            table::table(t, depth, limits, out)?;
                        }
                        continue;
                    }
                    "img" => {
                        continue;
                    }
                    _ => {}
                }
                if matches!(name, "pre" | "listing" | "plaintext" | "xmp") {
                    pre = true;
                }
                if let Some(p) = el.attr("style").and_then(style_pre) {
                    pre = p;
                }
                if is_block(name) {
                    inline.flush(out);
                    stack.push(Step::Flush);
                }
            }
            Node::Document | Node::Fragment => {}
            _ => continue,
        }
        let children: Vec<_> = node.children().collect();
        for c in children.into_iter().rev() {
            stack.push(Step::Enter(c, depth + 1, pre));
        }
    }
    inline.flush(out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Document {
        read(s.as_bytes(), &Limits::default()).unwrap()
    }

    fn paras(d: &Document) -> Vec<String> {
        d.paragraphs().map(|p| p.text.clone()).collect()
    }

    #[test]
    fn whitespace_rules() {
        let d = doc("<p>中共\n  怀化 <b>市委</b>办<span style='white-space:pre'>  </span>怀化</p><p>  a\n b  </p><div>x<br>y<script>z</script></div>");
        assert_eq!(paras(&d), vec!["中共怀化 市委办  怀化", "a b", "x", "y"]);
    }

    #[test]
    fn charset_prescan() {
        assert_eq!(
            declared_charset(b"<meta charset=\"GBK\">"),
            Some(encoding_rs::GBK)
        );
        assert_eq!(
            declared_charset(
                b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=gb2312\">"
            ),
            Some(encoding_rs::GBK)
        );
        assert_eq!(declared_charset(b"<meta name=x>"), None);
        let gbk = encoding_rs::GBK.encode("<p>预算</p>").0;
        assert_eq!(
            paras(&read(&gbk, &Limits::default()).unwrap()),
            vec!["预算"]
        );
        let mislabelled = encoding_rs::GBK.encode("<meta charset=utf-8><p>预算</p>").0;
        assert_eq!(
            paras(&read(&mislabelled, &Limits::default()).unwrap()),
            vec!["预算"]
        );
    }

    #[test]
    fn nested_table_follows_outer() {
        let d = doc("<table><tr><td>a</td><td>1<table><tr><td>内</td><td>2</td></tr></table></td></tr></table><p>后</p>");
        let t: Vec<_> = d.tables().collect();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].rows[0].cells[1].text, "1");
        assert_eq!(t[1].rows[0].cells[0].text, "内");
        assert_eq!(paras(&d), vec!["后"]);
    }

    #[test]
    fn prescan_follows_omitted_end_tags() {
        let l = Limits::default();
        let rows = "<tr><td>a<td><p>b<p>c".repeat(5000);
        let page = format!("<table>{rows}</table><ul>{}</ul>", "<li>x".repeat(5000));
        assert!(prescan(&page, &l).is_ok());
        let nested = "<table><tr><td>".repeat(100);
        assert!(prescan(&nested, &l).is_ok());
        assert!(
            read(nested.as_bytes(), &l).is_err(),
            "but the DOM is too deep"
        );
        assert!(prescan(&"<table><tr><td>".repeat(200), &l).is_err());
        assert!(prescan(&"<span>".repeat(600), &l).is_err());
        assert!(prescan("<script>".repeat(1000).as_str(), &l).is_ok());
        assert!(prescan("<!-- <div><div> -->", &l).is_ok());
    }

    #[test]
    fn oversized_table_is_too_large() {
        let s = format!(
            "<table><tr>{}</tr></table>",
            "<td colspan=1000>".repeat(3000)
        );
        let e = read(s.as_bytes(), &Limits::default()).unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::TooLarge);
    }

    #[test]
    fn deep_nesting_is_malformed() {
        let s = "<div>".repeat(5000);
        let e = read(s.as_bytes(), &Limits::default()).unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::Malformed);
    }
}
